"""``python -m callanalytics`` is the ``callanalytics`` command."""

import sys

from callanalytics.cli import main

sys.exit(main())

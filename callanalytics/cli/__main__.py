"""``python -m callanalytics.cli``, like the ``callanalytics`` command."""

import sys

from callanalytics.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""Write the report notebooks (committed without outputs).

The notebooks are laid out in ``tools/report_notebooks/`` (one module per report, the shared
cells in ``cells.py``); this script writes them: `python tools/build_notebooks.py`. A test
holds the committed notebooks equal to what it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent / "notebooks"
sys.path.insert(0, str(HERE))  # tools/ is not a package: find report_notebooks beside us

from report_notebooks import NOTEBOOKS  # noqa: E402

__all__ = ["NOTEBOOKS", "ROOT"]


if __name__ == "__main__":
    ROOT.mkdir(exist_ok=True)
    for name, nb in NOTEBOOKS.items():
        nbformat.validate(nb)
        nbformat.write(nb, ROOT / f"{name}.ipynb")
        print("wrote", ROOT / f"{name}.ipynb")

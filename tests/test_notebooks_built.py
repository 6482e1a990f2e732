"""The committed notebooks are exactly what tools/build_notebooks.py writes (its one source
of truth), and every report the runner knows has one."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import nbformat

from callanalytics.report import REPORTS

ROOT = Path(__file__).resolve().parent.parent


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", ROOT / "tools" / "build_notebooks.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_notebooks_match_the_builder():
    built = _builder().NOTEBOOKS
    for stem, notebook in built.items():
        out = io.StringIO()
        nbformat.write(notebook, out)
        committed = (ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8")
        assert committed == out.getvalue() + "\n" or committed == out.getvalue(), (
            f"notebooks/{stem}.ipynb differs from tools/build_notebooks.py: "
            "run `python tools/build_notebooks.py`"
        )
    assert {f"{stem}.ipynb" for stem in built} == set(REPORTS.values())


def test_committed_notebooks_have_no_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name

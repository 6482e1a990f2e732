"""environment.yml (conda-forge) mirrors pyproject.toml, the source of truth."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower()


def _spec(requirement: str) -> str:
    return requirement.split(";")[0].strip().replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {}
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name = _name(requirement)
        wanted[CONDA_NAMES.get(name, name)] = _spec(requirement)[len(name) :]
    listed = {}
    text = (ROOT / "environment.yml").read_text()
    section = text.split("dependencies:", 1)[1]
    for line in section.splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+)(\S*)\s*$", line)
        if match and match.group(1) not in ("python", "pip"):
            listed[match.group(1).lower()] = match.group(2)
    assert listed == wanted

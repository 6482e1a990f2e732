"""Progress bars over request windows: shown to people, silent for schedulers."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Set by the report runner so notebooks executed by papermill stay quiet.
QUIET_VARIABLE = "CALLANALYTICS_PROGRESS"


def wants_progress(progress: bool | None) -> bool:
    """An explicit choice wins; otherwise show a bar in a terminal or an interactive
    notebook, never under CI or papermill.

    Example:
        >>> wants_progress(False)
        False
    """
    if progress is not None:
        return progress
    if os.environ.get(QUIET_VARIABLE) == "0" or os.environ.get("CI"):
        return False
    return sys.stderr.isatty() or "ipykernel" in sys.modules


def track(items: Iterable[T], total: int, label: str, progress: bool | None) -> Iterator[T]:
    if not wants_progress(progress):
        yield from items
        return
    from tqdm.auto import tqdm

    yield from tqdm(items, total=total, desc=label, unit="window")

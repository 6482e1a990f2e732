"""A date-partitioned Parquet cache of fetched reports.

Layout: ``<cache_dir>/report=<name>/query=<hash>/date=YYYY-MM-DD/data.parquet``, which
``pl.scan_parquet``, DuckDB and Spark read directly as a hive-partitioned dataset. ``query``
separates different request options (filters, time zone) of the same report. Only days that
are complete and settled are written; writes go to a temporary file that is renamed into
place, so a reader never sees half a file and two writers cannot corrupt one. A file that
does not read back is removed and treated as missing.

Example:
    >>> import tempfile, polars as pl
    >>> cache = DayCache(tempfile.mkdtemp(), "demo", {"zone": "UTC"})
    >>> from datetime import date
    >>> cache.put(date(2024, 1, 1), pl.DataFrame({"x": [1]}))
    >>> cache.get(date(2024, 1, 1))["x"].to_list()
    [1]
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from callanalytics.config import cache_dir

__all__ = ["DayCache", "clear_cache"]

log = logging.getLogger("callanalytics.cache")


def _query_key(options: Mapping[str, Any]) -> str:
    text = json.dumps(dict(sorted(options.items())), default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class DayCache:
    """Typed frames of one report and one set of request options, one file per day."""

    def __init__(
        self, root: str | os.PathLike[str] | None, report: str, options: Mapping[str, Any]
    ) -> None:
        self.root = cache_dir(root)
        self.report = report
        self.folder = self.root / f"report={report}" / f"query={_query_key(options)}"
        self._options = dict(options)

    def path(self, day: date) -> Path:
        return self.folder / f"date={day.isoformat()}" / "data.parquet"

    def get(self, day: date) -> pl.DataFrame | None:
        """The cached frame for ``day``, or None; a corrupt file is removed."""
        path = self.path(day)
        if not path.is_file():
            return None
        try:
            return pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as error:
            log.warning("removing unreadable cache file %s (%s)", path, type(error).__name__)
            path.unlink(missing_ok=True)
            return None

    def put(self, day: date, frame: pl.DataFrame) -> None:
        """Write ``frame`` for ``day`` atomically (temporary file, then rename)."""
        path = self.path(day)
        path.parent.mkdir(parents=True, exist_ok=True)
        options = self.folder / "query.json"
        if not options.exists():
            _atomic_write_bytes(options, json.dumps(self._options, default=str).encode())
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".data-", suffix=".tmp")
        os.close(handle)
        try:
            frame.write_parquet(temporary)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def clear_cache(report: str | None = None, *, root: str | os.PathLike[str] | None = None) -> int:
    """Delete cached reports (one report, or all); returns how many day files went.

    Example:
        >>> import tempfile
        >>> clear_cache(root=tempfile.mkdtemp())
        0
    """
    base = cache_dir(root)
    folders = [base / f"report={report}"] if report else list(base.glob("report=*"))
    removed = 0
    for folder in folders:
        if folder.is_dir():
            removed += sum(1 for _ in folder.rglob("data.parquet"))
            shutil.rmtree(folder)
    return removed

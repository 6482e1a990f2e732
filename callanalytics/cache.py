"""A date-partitioned Parquet cache of fetched reports.

Layout: ``<cache_dir>/report=<name>/query=<key>/date=YYYY-MM-DD/data.parquet``, which
``pl.scan_parquet``, DuckDB and Spark read directly as a hive-partitioned dataset.

The ``query`` key is a hash of everything that changes the answer: the request options
(filters, time zone), the source (server base URL, Engage account id, a one-way hash of the
LeadFlow access key) and the fingerprint of the report schema, so another account, another
server or a newer schema never reads a day cached for something else. ``_query.json`` beside
the days records the options, the schema fingerprint and the public part of the source;
hashes of credentials (source keys ending in ``_sha256``) go into the key only.

Only days that are complete and settled are written; writes go to a temporary file that is
renamed into place, so a reader never sees half a file and two writers cannot corrupt one.
On read, a file that does not read back, or whose columns and dtypes are not exactly the
report schema (time zone and Enum categories included), is removed and treated as missing.

The cache is best effort: when it cannot be written or a bad file cannot be removed, one
warning is logged for the fetch and the downloaded data is returned uncached.

Example:
    >>> import tempfile, polars as pl
    >>> from datetime import date
    >>> from callanalytics.schema import LEADFLOW_HISTORY
    >>> cache = DayCache(tempfile.mkdtemp(), LEADFLOW_HISTORY, {"set_id": 1})
    >>> cache.put(date(2024, 1, 1), pl.DataFrame(schema=LEADFLOW_HISTORY.polars_schema()))
    >>> cache.get(date(2024, 1, 1)).height
    0
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from callanalytics.config import cache_dir
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY
from callanalytics.schema.table import Schema

__all__ = ["REPORT_NAMES", "DayCache", "clear_cache", "one_way_hash", "without_user_info"]

log = logging.getLogger("callanalytics.cache")

#: Names ``clear_cache`` accepts (the CLI's and the schemas'), to the cache folder's name.
REPORT_NAMES = {
    "dialer": DIALER_RESULTS.name,
    "leadflow": LEADFLOW_HISTORY.name,
    DIALER_RESULTS.name: DIALER_RESULTS.name,
    LEADFLOW_HISTORY.name: LEADFLOW_HISTORY.name,
}

#: What may go wrong in the file system or in a Parquet file that is not ours.
_CACHE_ERRORS = (OSError, ValueError, pl.exceptions.PolarsError)


def one_way_hash(secret: str) -> str:
    """A SHA-256 hex digest of ``secret`` for cache keys: it tells two credentials apart
    without storing either.

    Example:
        >>> one_way_hash("a") == one_way_hash("a") != one_way_hash("b")
        True
    """
    return hashlib.sha256(b"callanalytics cache key\0" + secret.encode()).hexdigest()


def without_user_info(url: str) -> str:
    """``url`` without any ``user:password@``, for keys and files that may be read.

    Example:
        >>> without_user_info("https://me:pw@example.com:8443/api")
        'https://example.com:8443/api'
    """
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _query_key(material: Mapping[str, Any]) -> str:
    text = json.dumps(material, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def schema_mismatch(found: Mapping[str, pl.DataType], expected: pl.Schema) -> str | None:
    """Why ``found`` is not a frame the reader returns for ``expected``, or None: the
    documented columns first, in order, with exactly these dtypes; after them only the
    undocumented columns a reader keeps as strings.

    Example:
        >>> expected = pl.Schema({"a": pl.Int64, "b": pl.Datetime("us", "UTC")})
        >>> print(schema_mismatch({"a": pl.Int64, "b": pl.Datetime("us")}, expected))
        b is Datetime(time_unit='us', time_zone=None), not Datetime(time_unit='us', ...='UTC')
        >>> schema_mismatch({"a": pl.Int64, "b": pl.Datetime("us", "UTC"), "x": pl.String},
        ...                 expected) is None
        True
    """
    names, wanted = list(found), list(expected)
    missing = [name for name in wanted if name not in found]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        shown = ", ".join(missing[:5]) + more
        return f"missing {len(missing)} column(s): {shown}"
    if names[: len(wanted)] != wanted:
        return "columns are in another order"
    for name in wanted:
        if repr(found[name]) != repr(expected[name]):
            return f"{name} is {found[name]!r}, not {expected[name]!r}"
    strays = [name for name in names[len(wanted) :] if found[name] != pl.String]
    if strays:
        return f"unexpected column(s) {', '.join(strays[:5])}"
    return None


class DayCache:
    """Typed frames of one report, one source and one set of request options, one file
    per day. ``source`` names where the data comes from (see the clients'
    ``cache_identity()``); ``timezone`` is the zone the report's timestamps are in."""

    def __init__(
        self,
        root: str | os.PathLike[str] | None,
        schema: Schema,
        options: Mapping[str, Any],
        *,
        source: Mapping[str, str] | None = None,
        timezone: str | None = None,
    ) -> None:
        self.root = cache_dir(root)
        self.report = schema.name
        self.expected = schema.polars_schema(timezone)
        fingerprint = schema.fingerprint(timezone)
        source = dict(source or {})
        key = _query_key({"schema": fingerprint, "options": dict(options), "source": source})
        self.folder = self.root / f"report={schema.name}" / f"query={key}"
        self._description = {
            "report": schema.name,
            "schema": fingerprint,
            "options": dict(options),
            "source": {k: v for k, v in source.items() if not k.endswith("_sha256")},
        }
        self._writable = True
        self._warned = False
        self._lock = threading.Lock()

    def path(self, day: date) -> Path:
        return self.folder / f"date={day.isoformat()}" / "data.parquet"

    def get(self, day: date) -> pl.DataFrame | None:
        """The cached frame for ``day``, or None. A file that does not read, or whose schema
        is not exactly the report schema, is removed (with a warning) and treated as missing.
        """
        path = self.path(day)
        try:
            if not path.is_file():
                return None
            problem = schema_mismatch(pl.read_parquet_schema(path), self.expected)
            if problem is None:
                return pl.read_parquet(path)
            reason = f"does not match the {self.report} schema ({problem})"
        except _CACHE_ERRORS as error:
            reason = f"does not read ({type(error).__name__})"
        self._discard(path, reason)
        return None

    def get_many(self, days: Iterable[date]) -> dict[date, pl.DataFrame]:
        """``get`` for each of ``days``: the days found, in the order given. The files are
        read in parallel (one small file per day: read one after another, a month of them
        leaves the cores idle for most of the read).

        Example:
            >>> import tempfile
            >>> cache = DayCache(tempfile.mkdtemp(), DIALER_RESULTS, {})
            >>> cache.get_many([date(2024, 11, 1)])
            {}
        """
        days = list(days)
        if len(days) < 2:
            found = [self.get(day) for day in days]
        else:
            with ThreadPoolExecutor(max_workers=min(8, len(days))) as pool:
                found = list(pool.map(self.get, days))
        return {day: frame for day, frame in zip(days, found, strict=True) if frame is not None}

    def put(self, day: date, frame: pl.DataFrame) -> None:
        """Write ``frame`` for ``day`` atomically (temporary file, then rename). A cache that
        cannot be written is logged once and left alone: the caller keeps its data."""
        if not self._writable:
            return
        problem = schema_mismatch(frame.schema, self.expected)
        if problem is not None:
            log.warning("not caching %s for %s: %s", self.report, day, problem)
            return
        path = self.path(day)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            described = self.folder / "_query.json"  # "_": Spark and Hive readers skip it
            if not described.exists():
                _atomic_write_bytes(described, json.dumps(self._description, default=str).encode())
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".data-", suffix=".tmp")
            os.close(handle)
            try:
                frame.write_parquet(temporary)
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)
        except _CACHE_ERRORS as error:
            self._trouble(f"cannot write {path} ({_why(error)})")

    def _discard(self, path: Path, reason: str) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            self._trouble(f"{path} {reason} and cannot be removed ({_why(error)})")
            return
        log.warning("removed cache file %s: it %s; fetching the day again", path, reason)

    def _trouble(self, message: str) -> None:
        """Stop writing for the rest of this fetch; warn the first time only."""
        with self._lock:  # ``get_many`` reads on several threads
            self._writable = False
            first, self._warned = not self._warned, True
        if not first:
            log.debug("cache: %s", message)
            return
        log.warning(
            "the %s cache under %s is not usable, so days are not cached for this fetch: %s",
            self.report,
            self.root,
            message,
        )


def _why(error: BaseException) -> str:
    detail = getattr(error, "strerror", None)
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def clear_cache(report: str | None = None, *, root: str | os.PathLike[str] | None = None) -> int:
    """Delete cached reports (one report, or all); returns how many day files went.
    ``report`` is a CLI name (``"dialer"``, ``"leadflow"``) or a schema name
    (``"dialer_results"``, ``"leadflow_history"``).

    Example:
        >>> import tempfile
        >>> clear_cache(root=tempfile.mkdtemp())
        0
        >>> clear_cache("dailer", root=tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        ValueError: unknown report 'dailer': choose dialer, leadflow, dialer_results or ...
    """
    if report is not None and report not in REPORT_NAMES:
        choices = list(REPORT_NAMES)
        raise ValueError(
            f"unknown report {report!r}: choose {', '.join(choices[:-1])} or {choices[-1]}"
        )
    base = cache_dir(root)
    folders = [base / f"report={REPORT_NAMES[report]}"] if report else list(base.glob("report=*"))
    removed = 0
    for folder in folders:
        if folder.is_dir():
            removed += sum(1 for _ in folder.rglob("data.parquet"))
            shutil.rmtree(folder)
    return removed

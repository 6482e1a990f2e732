"""Files and bytes to typed frames. Readers never fetch: ``sources/`` hands them bytes or files.

Every reader takes the columns as text, checks them against the report's schema table, and
types them with one per-column plan (``plan``), run eagerly (``eager``) or lazily
(``scanning``). Values that do not fit raise a ``SchemaError`` (``strict=True``) or become
null with one warning per column (``strict=False``). ``inputs`` and ``last_record`` refuse
the usual wrong files; ``json_layouts`` turns LeadFlow JSON into text columns.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from callanalytics.errors import UnreadableFileError
from callanalytics.readers.eager import type_eagerly
from callanalytics.readers.findings import ScanReport
from callanalytics.readers.inputs import (
    Source,
    check_text_file,
    csv_input,
    first_char,
    scan_csv_as,
    scan_text_csv,
    source_name,
)
from callanalytics.readers.json_layouts import json_records, scan_ndjson_text
from callanalytics.readers.last_record import read_head
from callanalytics.readers.scanning import type_lazily
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Schema
from callanalytics.timezones import canonical_timezone

__all__ = [
    "ScanReport",
    "read_dialer_results",
    "read_leadflow_history",
    "read_leadflow_page",
    "scan_dialer_results",
    "scan_leadflow_history",
]


def read_dialer_results(
    source: Source,
    *,
    timezone: str = "America/New_York",
    strict: bool = True,
    name: str | None = None,
    report: ScanReport | None = None,
) -> pl.DataFrame:
    """Read an Engage Voice Dialer Result Download CSV into a typed frame.

    ``source`` is a path, the CSV as ``bytes``, or a binary file object. Times are read in
    ``timezone`` (the report's time zone; legacy names such as ``US/Eastern`` work).
    ``name`` is what errors and warnings call the input (default: the path), for example
    the URL and day a download came from. Pass ``report`` (a ``ScanReport``) to read what
    the reader counted: values read as null, DST-gap and repeated-hour times, blank rows.

    Example:
        >>> import callanalytics as ca
        >>> raw = ca.sample_dialer_results(n=20, raw=True)
        >>> frame = ca.read_dialer_results(raw)
        >>> frame.schema["duration"]
        Duration(time_unit='ms')
    """
    zone = canonical_timezone(timezone)
    name = name or source_name(source)
    data = csv_input(source, DIALER_RESULTS, name)
    raw = scan_text_csv(data, DIALER_RESULTS, name)
    native = partial(scan_csv_as, data)
    return type_eagerly(raw, DIALER_RESULTS, zone, strict, name, report, native)


def scan_dialer_results(
    path: str | os.PathLike[str],
    *,
    timezone: str = "America/New_York",
    strict: bool = True,
    report: ScanReport | None = None,
) -> pl.LazyFrame:
    """Lazily read a Dialer Result Download CSV, for files larger than memory.

    Same columns and dtypes as ``read_dialer_results``. Values are checked batch by batch as
    the query runs: with ``strict=True`` the first bad value raises a ``SchemaError`` from
    ``collect``/``sink_*``. With ``strict=False`` bad values become null; a lazy query has
    no step after its last batch, so each column warns once, at the first batch that had
    bad values, with the count so far, and pass ``report`` (a ``ScanReport``) to read the
    totals after the query ran. Blank rows are dropped and counted the same way. Warnings
    come once per ``scan_dialer_results`` call: running the returned query again adds to
    ``report`` without warning again.

    Example:
        >>> import callanalytics as ca, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
        >>> _ = path.write_bytes(ca.sample_dialer_results(n=20, raw=True))
        >>> ca.scan_dialer_results(path).select("call_start").collect().height
        20
    """
    zone = canonical_timezone(timezone)
    return _scan_csv(path, DIALER_RESULTS, zone, strict, report)


def scan_leadflow_history(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    report: ScanReport | None = None,
) -> pl.LazyFrame:
    """Lazily read a LeadFlow History CSV export (or newline-delimited JSON records), for
    files larger than memory.

    Same columns and dtypes as ``read_leadflow_history``, typed by the same plan, and checked
    batch by batch as ``scan_dialer_results`` does: ``strict``, ``report`` and the warnings
    work the same way. ``call_date`` is read as Eastern time.

    Example:
        >>> import callanalytics as ca, json, tempfile, pathlib
        >>> records = json.loads(ca.sample_leadflow_history(n=20, raw=True))["response"]
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "leadflow.ndjson"
        >>> _ = path.write_text(chr(10).join(json.dumps(r) for r in records))
        >>> ca.scan_leadflow_history(path).select("call_date").collect().height
        20
    """
    schema = LEADFLOW_HISTORY
    if first_char(str(path)) == "{":
        name = str(path)
        check_text_file(Path(path), schema, name)
        raw = scan_ndjson_text(Path(path), schema, name)
        tally = report if report is not None else ScanReport()
        return type_lazily(raw, schema, schema.default_timezone, strict, name, tally)
    return _scan_csv(path, schema, schema.default_timezone, strict, report)


def _scan_csv(
    path: str | os.PathLike[str],
    schema: Schema,
    zone: str,
    strict: bool,
    report: ScanReport | None,
) -> pl.LazyFrame:
    name = str(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"{schema.title}: no such file {name!r}")
    check_text_file(Path(path), schema, name)
    raw = scan_text_csv(name, schema, name, row_index=True)
    return type_lazily(raw, schema, zone, strict, name, report or ScanReport())


def read_leadflow_history(
    source: Source,
    *,
    strict: bool = True,
    name: str | None = None,
    report: ScanReport | None = None,
) -> pl.DataFrame:
    """Read a DialogTech LeadFlow History response (JSON) or CSV export into a typed frame.

    JSON may be a bare list of records or an object holding the list under ``response``,
    ``data`` or ``records``; values may be JSON strings or numbers, mixed across records.
    ``call_date`` is read as Eastern time (``America/New_York``). ``name`` is what errors and
    warnings call the input (default: the path). Pass ``report`` (a ``ScanReport``) to read
    what the reader counted, as for ``read_dialer_results``.

    Example:
        >>> import callanalytics as ca
        >>> frame = ca.read_leadflow_history(ca.sample_leadflow_history(n=20, raw=True))
        >>> frame.schema["offer_price"]
        Decimal(precision=38, scale=2)
    """
    frame, _ = read_leadflow_page(source, name, strict=strict, report=report)
    return frame


def read_leadflow_page(
    source: Source,
    name: str | None = None,
    *,
    strict: bool = True,
    report: ScanReport | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """One LeadFlow response: the typed frame, and the response's other top-level keys
    (``page``, ``total_pages``, ``next`` …) that the client uses to follow pages."""
    schema = LEADFLOW_HISTORY
    name = name or source_name(source)
    data = csv_input(source, schema, name)
    meta: dict[str, Any] = {}
    if read_head(data, 64).removeprefix(b"\xef\xbb\xbf").strip() == b"null":
        raise UnreadableFileError(
            f"{schema.title}: {name}: the response body is JSON null (empty), not records",
            report=schema.name,
            source=name,
        )
    if first_char(data) in ("[", "{"):
        records, meta = json_records(data, schema, name)
        raw = records.lazy()
        native = None
    else:
        raw, native = scan_text_csv(data, schema, name), partial(scan_csv_as, data)
    zone = schema.default_timezone
    return type_eagerly(raw, schema, zone, strict, name, report, native), meta

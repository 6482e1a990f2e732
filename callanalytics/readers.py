"""Files and bytes to typed frames. Readers never fetch: ``sources/`` hands them bytes or files.

Every reader takes the columns as text, checks them against the report's schema table, and
casts them with the column kinds in one pass. Values that do not fit raise a ``SchemaError``
(``strict=True``) or become null with one warning per column (``strict=False``).
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl

from callanalytics.errors import (
    BlankRowsWarning,
    CoercedToNullWarning,
    NonexistentLocalTimeWarning,
    SchemaError,
    UnknownColumnsWarning,
    UnreadableFileError,
)
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Column, Schema
from callanalytics.timezones import canonical_timezone

__all__ = [
    "ScanReport",
    "read_dialer_results",
    "read_leadflow_history",
    "read_leadflow_page",
    "scan_dialer_results",
    "scan_leadflow_history",
]

Source = str | os.PathLike[str] | bytes | IO[bytes]

_BAD = "__bad__"
_BLANK = "__blank__"
_GAP = "__gap__"
_PRESENT = "__present__"
_UNSURE = "__unsure__"
_REPEATED = "__repeated__"
_SHOWN = 5
_RECORD_KEYS = ("response", "data", "records")


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
    name = name or _source_name(source)
    data = _csv_input(source, DIALER_RESULTS, name)
    raw = _scan_text_csv(data, DIALER_RESULTS, name)
    return _type_eagerly(raw, DIALER_RESULTS, zone, strict, name, report)


@dataclass
class ScanReport:
    """What a reader counted: values read as null per column (``coerced``), local times in
    the spring-forward gap per column (``gaps``, read as null), local times in the repeated
    fall-back hour per column (``repeated``, read as the earlier instant) and dropped blank
    rows. Eager reads (``read_dialer_results``, ``read_leadflow_history``) fill it before
    they return; a lazy scan adds to it each time its query runs, so read it after
    ``collect``/``sink_*``. Pass it to ``ca.quality`` checks as ``read_report=``.

    Example:
        >>> import callanalytics as ca, tempfile, pathlib
        >>> from callanalytics.readers import ScanReport
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
        >>> _ = path.write_bytes(ca.sample_dialer_results(n=20, raw=True))
        >>> report = ScanReport()
        >>> ca.scan_dialer_results(path, strict=False, report=report).collect().height
        20
        >>> report.coerced
        {}
    """

    coerced: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, int] = field(default_factory=dict)
    blank_rows: int = 0

    def add(self, kind: str, column: str, count: int) -> None:
        """Add ``count`` to ``kind`` (``coerced``, ``gaps`` or ``repeated``) of ``column``."""
        counts = getattr(self, kind)
        counts[column] = counts.get(column, 0) + int(count)


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
    if _first_char(str(path)) == "{":
        name = str(path)
        _check_text_file(Path(path), schema, name)
        raw = _scan_ndjson_text(Path(path), schema, name)
        tally = report if report is not None else ScanReport()
        return _type_lazily(raw, schema, schema.default_timezone, strict, name, tally)
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
    _check_text_file(Path(path), schema, name)
    raw = _scan_text_csv(name, schema, name, row_index=True)
    return _type_lazily(raw, schema, zone, strict, name, report or ScanReport())


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
    name = name or _source_name(source)
    data = _csv_input(source, schema, name)
    meta: dict[str, Any] = {}
    if _head(data, 64).removeprefix(b"\xef\xbb\xbf").strip() == b"null":
        raise UnreadableFileError(
            f"{schema.title}: {name}: the response body is JSON null (empty), not records",
            report=schema.name,
            source=name,
        )
    if _first_char(data) in ("[", "{"):
        records, meta = _json_records(data, schema, name)
        raw = records.lazy()
    else:
        raw = _scan_text_csv(data, schema, name)
    return _type_eagerly(raw, schema, schema.default_timezone, strict, name, report), meta


# --- inputs -------------------------------------------------------------------------------


def _source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return str(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return "<bytes>"
    return str(getattr(source, "name", "<file object>"))


def _csv_input(source: Source, schema: Schema, name: str) -> str | bytes:
    """A path stays a path (polars memory-maps it); file objects are read into bytes."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{schema.title}: no such file {name!r}")
        _check_text_file(path, schema, name)
        return str(path)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise TypeError(
            f"{schema.title}: source must be a path, bytes or a binary file object, "
            f"not {type(source).__name__}"
        )
    _check_text(data[:65536], data[-4096:], schema, name)
    return data


def _check_text_file(path: Path, schema: Schema, name: str) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    _check_text(head, tail, schema, name)


def _check_text(head: bytes, tail: bytes, schema: Schema, name: str) -> None:
    """Clear errors for the usual wrong files, before a parser gives a cryptic one."""
    if not head.strip().lstrip(b"\xef\xbb\xbf"):
        raise UnreadableFileError(
            f"{schema.title}: {name} is empty", report=schema.name, source=name
        )
    if b"\x00" in head:
        raise UnreadableFileError(
            f"{schema.title}: {name} is binary, not a UTF-8 text export",
            report=schema.name,
            source=name,
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a multi-byte character cut by the 64 KiB window
            raise UnreadableFileError(
                f"{schema.title}: {name} is not UTF-8 text (bad byte at offset {error.start})",
                report=schema.name,
                source=name,
            ) from None
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        raise UnreadableFileError(
            f"{schema.title}: {name} is an HTML page, not report data",
            report=schema.name,
            source=name,
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b'"') and not tail.rstrip(b"\r\n").endswith(b'"'):
        raise UnreadableFileError(
            f"{schema.title}: {name} ends in the middle of a row (the export quotes every "
            "field, so the last row should end with a quote); the file looks truncated",
            report=schema.name,
            source=name,
        )


def _first_char(data: str | bytes) -> str:
    if isinstance(data, str):
        with open(data, "rb") as handle:
            data = handle.read(1024)
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return chr(text[0]) if text else ""


def _scan_text_csv(
    data: str | bytes, schema: Schema, name: str, *, row_index: bool = False
) -> pl.LazyFrame:
    source: Any = data if isinstance(data, str) else io.BytesIO(data)
    frame = pl.scan_csv(
        source,
        infer_schema=False,
        null_values=[""],  # the export quotes every field: "" is an empty field
        row_index_name=_ROW if row_index else None,
        row_index_offset=1,
    )
    try:
        width = len(frame.collect_schema()) - row_index
    except pl.exceptions.PolarsError as error:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be read as CSV: {_first_line(error)}",
            report=schema.name,
            source=name,
        ) from None
    _check_last_record(data, width, schema, name)
    return frame


_ROW = "__row__"
_TAIL_BYTES = 64 << 10
_QUOTE, _COMMA, _LF = ord('"'), ord(","), ord("\n")


_QUOTED_HEADER = re.compile(rb'"[^"\r\n]*"(?:,"[^"\r\n]*")*')


class _ReadMore(Exception):
    """The tail read so far does not hold the whole last record."""


def _check_last_record(data: str | bytes, width: int, schema: Schema, name: str) -> None:
    """Refuse a file whose last record has fewer fields than the header.

    A download cut right after a closing quote still parses as CSV: polars pads the short
    last record with nulls. Counting that record's fields needs only the file's tail: the
    export quotes every field, and a fully quoted CSV can be read backward without doubt (an
    opening quote is never preceded by a quote). Unquoted files are checked when their last
    line holds no quote; anything else is left to the parser.
    """
    header = _head(data, _TAIL_BYTES).removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    quoted = _QUOTED_HEADER.fullmatch(header.rstrip(b"\r")) is not None
    size = len(data) if isinstance(data, bytes) else Path(data).stat().st_size
    window = _TAIL_BYTES
    while True:
        base = max(0, size - window)
        try:
            found = _last_record(_bytes_at(data, base, size), base, quoted)
            break
        except _ReadMore:
            if base == 0:
                return
            window *= 4
    if found is None:
        return
    fields, start = found
    if fields >= width:
        return
    if start < 0:
        line = _count_newlines(data, size) + 1
        problem = f"ends inside a quoted field on line {line}"
    else:
        line = _count_newlines(data, start) + 1
        problem = (
            f"ends with a short record: the record starting on line {line} has {fields} of "
            f"the {width} fields in the header"
        )
    raise UnreadableFileError(
        f"{schema.title}: {name} {problem}; the file looks truncated",
        report=schema.name,
        source=name,
    )


def _last_record(buf: bytes, base: int, quoted: bool) -> tuple[int, int] | None:
    """(number of fields, file offset) of the last record in ``buf``, the tail of a file
    from offset ``base``; None when the layout cannot be read backward."""
    lo = 3 if base == 0 and buf.startswith(b"\xef\xbb\xbf") else 0
    pos = len(buf.rstrip(b"\r\n"))
    if pos <= lo:
        raise _ReadMore
    if not quoted:
        newline = buf.rfind(b"\n", lo, pos)
        if newline < 0:
            if base:
                raise _ReadMore
            return None  # only the header
        line = buf[newline + 1 : pos]
        return None if b'"' in line else (line.count(b",") + 1, base + newline + 1)
    fields = 0
    while True:
        fields += 1
        if buf[pos - 1] == _QUOTE:  # a quoted field: find its opening quote
            end = pos - 1
            while True:
                opening = buf.rfind(b'"', lo, end)
                if opening < 0 or (opening == lo and base):
                    raise _ReadMore
                if opening > lo and buf[opening - 1] == _QUOTE:
                    end = opening - 1  # an escaped quote ("")
                    continue
                pos = opening
                break
        else:
            pos = max(buf.rfind(b",", lo, pos), buf.rfind(b"\n", lo, pos)) + 1
            if pos == 0 and lo == 0 and base:
                raise _ReadMore
            pos = max(pos, lo)
        if pos == lo:
            if base:
                raise _ReadMore
            return fields, base + pos
        if buf[pos - 1] == _COMMA:
            pos -= 1
            continue
        if buf[pos - 1] == _LF:
            return fields, base + pos
        return 0, -1  # a quote that closes no field: the file ends inside a quoted field


def _head(data: str | bytes, size: int) -> bytes:
    if isinstance(data, bytes):
        return data[:size]
    with open(data, "rb") as handle:
        return handle.read(size)


def _bytes_at(data: str | bytes, start: int, stop: int) -> bytes:
    if isinstance(data, bytes):
        return data[start:stop]
    with open(data, "rb") as handle:
        handle.seek(start)
        return handle.read(stop - start)


def _count_newlines(data: str | bytes, stop: int) -> int:
    if isinstance(data, bytes):
        return data.count(b"\n", 0, stop)
    count, offset = 0, 0
    with open(data, "rb") as handle:
        while offset < stop:
            chunk = handle.read(min(8 << 20, stop - offset))
            if not chunk:
                break
            count += chunk.count(b"\n")
            offset += len(chunk)
    return count


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


_WRAPPER = re.compile(rb'\A\s*\{\s*"(response|data|records)"\s*:\s*\[')
_LIST_END = re.compile(rb"\}\s*\]")
#: Up to this size the JSON fast path infers keys from every record; above, from the first
#: and last records (a key seen only in between would not be noticed).
_FULL_INFERENCE_BYTES = 64 << 20
_SAMPLE_RECORDS = 10_000


def _json_as_ndjson(data: bytes) -> tuple[bytes, dict[str, Any]] | None:
    """Flat records as newline-delimited JSON (which polars reads in parallel, many times
    faster than one big JSON value), plus the wrapper's other keys; None when the layout is
    not the plain one. A record split in the wrong place (a "},{" inside a string) makes
    invalid lines, which the caller's read rejects before falling back to the full parser."""
    wrapped = _WRAPPER.match(data)
    if wrapped:
        start = wrapped.end()
        end_match = _LIST_END.search(data, start)
        if end_match is None:
            return None
        stop = end_match.start() + 1
        outside = data[: start - 1] + b"null" + data[end_match.end() :]
        try:
            meta = json.loads(outside)
        except ValueError:
            return None
        meta.pop(wrapped.group(1).decode(), None)
    else:
        text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not text.startswith(b"["):
            return None
        start = len(data) - len(text) + 1
        stop = data.rstrip(b" \t\r\n").rfind(b"]")
        meta = {}
    body = data[start:stop].strip()
    if not body:
        return b"", meta
    # Raw line breaks cannot occur inside JSON strings, so pretty-printing goes first.
    body = body.replace(b"\r", b" ").replace(b"\n", b" ")
    return body.replace(b"},{", b"}\n{").replace(b"}, {", b"}\n{"), meta


def _read_ndjson_text(ndjson: bytes) -> pl.DataFrame:
    """Every key as text: JSON numbers and booleans become their text form."""
    if len(ndjson) <= _FULL_INFERENCE_BYTES:
        inferred = dict(pl.read_ndjson(io.BytesIO(ndjson), infer_schema_length=None).schema)
    else:
        head = pl.read_ndjson(
            io.BytesIO(ndjson), n_rows=_SAMPLE_RECORDS, infer_schema_length=_SAMPLE_RECORDS
        ).schema
        tail_start = max(0, ndjson.rfind(b"\n", 0, max(0, len(ndjson) - (8 << 20))) + 1)
        tail = pl.read_ndjson(
            io.BytesIO(ndjson[tail_start:]), infer_schema_length=_SAMPLE_RECORDS
        ).schema
        inferred = dict(head) | {k: v for k, v in tail.items() if k not in head}
    if any(isinstance(t, pl.Struct | pl.List | pl.Array) for t in inferred.values()):
        raise _Nested  # the full parser names the key
    return pl.read_ndjson(io.BytesIO(ndjson), schema={k: pl.String for k in inferred})


class _Nested(Exception):
    """A record holds nested JSON: leave it to the full parser, which explains."""


def _json_records(
    data: str | bytes, schema: Schema, name: str
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """JSON records as a frame of text columns (numbers and booleans become their text),
    and the wrapper object's other scalar keys."""
    if isinstance(data, str):
        data = Path(data).read_bytes()
    fast = _json_as_ndjson(data)
    if fast is not None:
        ndjson, meta = fast
        if not ndjson:
            return pl.DataFrame(), meta
        try:
            frame = _read_ndjson_text(ndjson)
        except (pl.exceptions.PolarsError, _Nested):
            pass  # not the plain layout after all: the full parser below explains why
        else:
            return frame.select(_text_or_null(pl.col(c)).alias(c) for c in frame.columns), meta
    rewrapped = False
    try:
        frame = pl.read_json(io.BytesIO(data), infer_schema_length=None)
    except pl.exceptions.PolarsError:
        # polars' message may quote a whole record (phone number included): explain in our
        # words. A bare list with null records reads once wrapped in an object.
        _raise_json_problem(data, schema, name)
        wrapped = b'{"records": ' + data.removeprefix(b"\xef\xbb\xbf") + b"}"
        try:
            frame = pl.read_json(io.BytesIO(wrapped), infer_schema_length=None)
        except pl.exceptions.PolarsError:
            raise UnreadableFileError(
                f"{schema.title}: {name} could not be read as a list of flat JSON records",
                report=schema.name,
                source=name,
            ) from None
        rewrapped = True
    meta: dict[str, Any] = {}
    if rewrapped:
        frame = _records_under("records", frame, schema, name)
    elif _first_char(data) == "{":
        key = next((k for k in _RECORD_KEYS if k in frame.columns), None)
        if key is None:
            raise UnreadableFileError(
                f"{schema.title}: {name} is a JSON object without a list of records under "
                f"{', '.join(_RECORD_KEYS)} (its keys: {', '.join(frame.columns)})",
                report=schema.name,
                source=name,
            )
        meta = {
            k: frame.get_column(k)[0]
            for k, t in frame.schema.items()
            if k != key and not isinstance(t, pl.List | pl.Array)
        }
        frame = _records_under(key, frame, schema, name)
    out = []
    for column, dtype in frame.schema.items():
        if isinstance(dtype, pl.Struct | pl.List | pl.Array):
            raise SchemaError(
                f"{schema.title}: {name}: key '{column}' holds nested JSON ({dtype}), "
                "where a plain value was expected",
                report=schema.name,
                source=name,
                column=column,
            )
        out.append(_text_or_null(pl.col(column).cast(pl.String)).alias(column))
    return frame.select(out), meta


def _records_under(key: str, frame: pl.DataFrame, schema: Schema, name: str) -> pl.DataFrame:
    """The records listed under ``key``, one row each; a null record stays an all-null row,
    which the typing pass drops and counts as a blank row."""
    inner = frame.get_column(key).dtype
    if inner == pl.Null:
        raise UnreadableFileError(
            f"{schema.title}: {name}: '{key}' is null (an empty response), not a list of records",
            report=schema.name,
            source=name,
        )
    if not isinstance(inner, pl.List):
        raise UnreadableFileError(
            f"{schema.title}: {name}: '{key}' holds {inner}, not a list of records",
            report=schema.name,
            source=name,
        )
    if not frame.get_column(key).list.len().sum():
        return pl.DataFrame()
    records = frame.select(pl.col(key).explode())
    if not isinstance(records.get_column(key).dtype, pl.Struct):  # every record is null
        _warn_blank(schema, name, records.height)
        return pl.DataFrame()
    return records.unnest(key)


_JSON_TYPES = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    return _JSON_TYPES.get(type(value), "null")


def _raise_json_problem(data: bytes, schema: Schema, name: str) -> None:
    """Raise an error saying why polars could not read ``data`` as records, naming positions
    and JSON types, never values (records hold phone numbers, names, emails). Returns when
    the only oddity is null records, which the caller reads."""

    def fail(problem: str) -> UnreadableFileError:
        return UnreadableFileError(
            f"{schema.title}: {name} {problem}", report=schema.name, source=name
        )

    try:
        body = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise fail(f"is not valid JSON ({error.msg} at {where})") from None
    except ValueError:
        raise fail("is not valid JSON (not UTF-8 text)") from None
    key = next((k for k in _RECORD_KEYS if k in body), None) if isinstance(body, dict) else None
    records = body[key] if key is not None else body
    if not isinstance(records, list):
        raise fail(f"holds {_json_type(records)}, not a list of records")
    odd = [(i, v) for i, v in enumerate(records, 1) if v is not None and not isinstance(v, dict)]
    if odd:
        shown = "; ".join(f"record {i} is {_json_type(v)}, not an object" for i, v in odd[:5])
        raise fail(f"has {len(odd)} record(s) that are not JSON objects: {shown}")
    if key is not None or not any(v is None for v in records):
        raise fail("could not be read as a list of flat JSON records")


def _scan_ndjson_text(path: Path, schema: Schema, name: str) -> pl.LazyFrame:
    """Newline-delimited JSON records as text columns with a row index, lazily; the keys are
    those of the first records (as ``_read_ndjson_text`` does for large files)."""
    try:
        keys = pl.read_ndjson(path, n_rows=_SAMPLE_RECORDS, infer_schema_length=None).schema
    except pl.exceptions.PolarsError:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be read as newline-delimited JSON records",
            report=schema.name,
            source=name,
        ) from None
    if any(isinstance(t, pl.Struct | pl.List | pl.Array) for t in keys.values()):
        nested = next(k for k, t in keys.items() if isinstance(t, pl.Struct | pl.List | pl.Array))
        raise SchemaError(
            f"{schema.title}: {name}: key '{nested}' holds nested JSON, where a plain value "
            "was expected",
            report=schema.name,
            source=name,
            column=nested,
        )
    raw = pl.scan_ndjson(
        path, schema=dict.fromkeys(keys, pl.String), row_index_name=_ROW, row_index_offset=1
    )
    return raw.select(pl.col(_ROW), *(_text_or_null(pl.col(k)).alias(k) for k in keys))


def _text_or_null(text: pl.Expr) -> pl.Expr:
    """JSON strings as text, with "" as null (the CSV reader does the same for "")."""
    return pl.when(text.str.len_bytes() > 0).then(text)


# --- typing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnPlan:
    """How one schema column becomes typed: its kind read in the report's zone, or typed
    nulls when the input leaves the column out (an optional group)."""

    column: Column
    zone: str
    present: bool

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def dtype(self) -> pl.DataType:
        return self.column.kind.dtype(self.zone)

    @property
    def checked(self) -> bool:
        """Whether values can fail to fit, so the reader must look for unresolved ones."""
        return self.present and self.column.kind.can_fail

    def fast(self) -> pl.Expr:
        if not self.present:
            return pl.lit(None, dtype=self.dtype).alias(self.name)
        return self.column.kind.fast(pl.col(self.name), self.zone).alias(self.name)

    def parse(self) -> pl.Expr:
        return self.column.kind.parse(pl.col(self.name), self.zone).alias(self.name)

    def invalid(self) -> pl.Expr:
        return self.column.kind.invalid(pl.col(self.name), self.zone)

    def gap(self) -> pl.Expr:
        return self.column.kind.gap(pl.col(self.name), self.zone)

    def repeated(self) -> pl.Expr:
        return self.column.kind.repeated(pl.col(self.name), self.zone)

    def fast_repeated(self, typed: pl.Expr) -> pl.Expr:
        return self.column.kind.fast_repeated(typed, self.zone)


@dataclass(frozen=True)
class TypingPlan:
    """One plan per read: a ``ColumnPlan`` per schema column, plus the undocumented columns
    kept as text. ``type_eagerly`` and ``type_lazily`` run the same plan."""

    schema: Schema
    zone: str
    name: str
    columns: tuple[ColumnPlan, ...]
    extras: tuple[str, ...]

    @classmethod
    def for_input(
        cls,
        schema: Schema,
        zone: str,
        name: str,
        present: Sequence[str],
        *,
        exclude: Sequence[str] = (),
    ) -> TypingPlan:
        """Check the input's header against ``schema`` (missing columns raise, extras warn)."""
        extras = _check_columns(present, schema, name, exclude=exclude)
        columns = tuple(ColumnPlan(c, zone, c.name in present) for c in schema.columns)
        return cls(schema, zone, name, columns, tuple(extras))

    @property
    def checked(self) -> list[ColumnPlan]:
        return [c for c in self.columns if c.checked]

    @property
    def names(self) -> list[str]:
        return [*self.schema.names, *self.extras]

    def blank_row(self) -> pl.Expr:
        """True for a row with every field empty: a blank line, a line of empty quotes, a
        null JSON record. Such a row is not a record (blanks are null by the time this runs)."""
        present = [c.name for c in self.columns if c.present]
        return pl.all_horizontal(pl.col(c).is_null() for c in [*present, *self.extras])


def _check_columns(
    present: Sequence[str], schema: Schema, name: str, *, exclude: Sequence[str] = ()
) -> list[str]:
    """Raise on missing documented columns; return unknown extras (with a warning)."""
    missing = [c.name for c in schema.columns if c.name not in present and c.group is None]
    if missing:
        hint = ""
        if len(present) == 1 and any(sep in present[0] for sep in (";", "\t", "|")):
            hint = " The header is a single column: is the file separated by ';', tab or '|'?"
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise SchemaError(
            f"{schema.title}: {name} is missing {len(missing)} documented column(s): "
            f"{shown}.{hint}",
            report=schema.name,
            source=name,
            missing=missing,
        )
    known = set(schema.names) | set(exclude)
    extras = [c for c in present if c not in known]
    if extras:
        warnings.warn(
            f"{schema.title}: {name} has {len(extras)} undocumented column(s) kept as "
            f"strings: {', '.join(extras)}",
            UnknownColumnsWarning,
            stacklevel=5,
        )
    return extras


def _read_header(raw: pl.LazyFrame, schema: Schema, name: str) -> list[str]:
    try:
        return raw.collect_schema().names()
    except pl.exceptions.PolarsError as error:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be read: {_first_line(error)}",
            report=schema.name,
            source=name,
        ) from None


def _type_eagerly(
    raw: pl.LazyFrame,
    schema: Schema,
    zone: str,
    strict: bool,
    name: str,
    report: ScanReport | None = None,
) -> pl.DataFrame:
    """Type ``raw`` (text columns, blanks already null) in one streaming pass of each
    column's ``fast`` parse; only columns where that left present values unresolved are
    parsed again in full, which also finds the bad values and the DST-gap times. What was
    counted is added to ``report`` once the read succeeded."""
    present = _read_header(raw, schema, name)
    if not present:  # an empty JSON list: an empty report
        return pl.DataFrame(schema=schema.polars_schema(zone))
    plan = TypingPlan.for_input(schema, zone, name, present)
    checked = plan.checked
    # The first select parses each column once and notes which raw values were present (a
    # cheap boolean, not a copy of the text); the second compares.
    first = [
        plan.blank_row().alias(_BLANK),
        *(pl.col(c.name).is_not_null().alias(_PRESENT + c.name) for c in checked),
        *(c.fast() for c in plan.columns),
        *(pl.col(c) for c in plan.extras),
    ]
    unsure = [
        (pl.col(_PRESENT + c.name) & pl.col(c.name).is_null()).alias(_UNSURE + c.name)
        for c in checked
    ]
    query = raw.select(first).select([*plan.names, *unsure, _BLANK])
    try:
        frame = query.collect(engine="streaming")
    except pl.exceptions.PolarsError as error:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be parsed: {_first_line(error)}",
            report=schema.name,
            source=name,
        ) from None
    # drop_in_place: an eager drop would copy (and rechunk) the whole frame.
    counts = {c.name: frame.drop_in_place(_UNSURE + c.name).sum() for c in checked}
    blanks, records = frame.drop_in_place(_BLANK), raw
    if blank_rows := blanks.sum():
        # Rare: filter here rather than in the query, which stays one plain streaming pass.
        frame = frame.filter(~blanks)
        records = raw.filter(~plan.blank_row())  # the same rows for the full parse below
        _warn_blank(schema, name, blank_rows)
    unresolved = [c for c in checked if counts[c.name]]
    resolved = [c for c in checked if not counts[c.name]]
    repeated = frame.select(c.fast_repeated(pl.col(c.name)).sum().alias(c.name) for c in resolved)
    found = _Found(blank_rows, repeated=repeated.row(0, named=True) if resolved else {})
    if unresolved:
        parsed, full = _parse_in_full(records, unresolved)
        frame = frame.with_columns(parsed)
        found.coerced, found.gaps = full.coerced, full.gaps
        found.repeated |= full.repeated
        bad_columns = [c for c in unresolved if full.coerced[c.name]]
        if bad_columns and strict:
            _raise_bad(raw, bad_columns, full.coerced, plan)
        for column in bad_columns:
            _warn_coerced(schema, name, column.column, full.coerced[column.name])
        for column in unresolved:
            if full.gaps[column.name]:
                _warn_gap(schema, name, column.column, full.gaps[column.name], zone)
    if report is not None:
        found.add_to(report)
    return frame


@dataclass
class _Found:
    """What one eager read counted, per column: added to the caller's ``ScanReport`` only
    once the read succeeded."""

    blank_rows: int = 0
    coerced: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, int] = field(default_factory=dict)

    def add_to(self, report: ScanReport) -> None:
        report.blank_rows += int(self.blank_rows)
        for kind in ("coerced", "gaps", "repeated"):
            for column, count in getattr(self, kind).items():
                if count:
                    report.add(kind, column, count)


def _parse_in_full(
    records: pl.LazyFrame, columns: Sequence[ColumnPlan]
) -> tuple[pl.DataFrame, _Found]:
    """``columns`` parsed in full, with their counts of bad values, DST-gap times and
    times in the repeated hour."""
    source = records.select(c.name for c in columns).collect()
    stats = [
        *(c.invalid().sum().alias(_BAD + c.name) for c in columns),
        *(c.gap().sum().alias(_GAP + c.name) for c in columns),
        *(c.repeated().sum().alias(_REPEATED + c.name) for c in columns),
    ]
    counted = source.select(stats).row(0, named=True)
    found = _Found(
        coerced={c.name: counted[_BAD + c.name] for c in columns},
        gaps={c.name: counted[_GAP + c.name] for c in columns},
        repeated={c.name: counted[_REPEATED + c.name] for c in columns},
    )
    return source.select(c.parse() for c in columns), found


def _warn_blank(schema: Schema, name: str, count: int, where: str = "") -> None:
    warnings.warn(
        f"{schema.title}: {name} had {count} blank row(s) (every field empty){where}; they "
        "are not records and were dropped",
        BlankRowsWarning,
        stacklevel=4,
    )


def _warn_coerced(schema: Schema, name: str, column: Column, count: int, where: str = "") -> None:
    warnings.warn(
        f"{schema.title}: {name}: column '{column.name}' had {count} value(s) that are not "
        f"{column.kind.describe()}{where}; they were read as null",
        CoercedToNullWarning,
        stacklevel=4,
    )


def _warn_gap(
    schema: Schema, name: str, column: Column, count: int, zone: str, where: str = ""
) -> None:
    warnings.warn(
        f"{schema.title}: {name}: column '{column.name}' had {count} local time(s) that do "
        f"not exist in {zone} (daylight-saving gap){where}; they were read as null",
        NonexistentLocalTimeWarning,
        stacklevel=4,
    )


def _bad_message(
    schema: Schema,
    name: str,
    column: Column,
    count: int,
    rows: Sequence[int],
    values: Sequence[Any],
) -> str:
    shown = "; ".join(f"row {r}: {v!r}" for r, v in zip(rows, values, strict=True))
    return (
        f"{schema.title}: {name}: column '{column.name}' has {count} value(s) that are not "
        f"{column.kind.describe()}: {shown}."
    )


def _raise_bad(
    raw: pl.LazyFrame,
    columns: Sequence[ColumnPlan],
    counts: dict[str, int],  # column name -> number of bad values
    plan: TypingPlan,
) -> None:
    """One error naming every bad column, with up to five rows and values for each."""
    messages, first_rows, first_values = [], [], []
    for column in columns:
        sample = (
            raw.select(pl.col(column.name))
            .with_row_index("row", offset=1)
            .filter(column.invalid())
            .head(_SHOWN)
            .collect()
        )
        rows, values = sample["row"].to_list(), sample[column.name].to_list()
        count = counts[column.name]
        messages.append(_bad_message(plan.schema, plan.name, column.column, count, rows, values))
        if not first_rows:
            first_rows, first_values = rows, values
    raise SchemaError(
        "\n".join(messages)
        + "\nFix the data, or pass strict=False to read such values as null with a warning.",
        report=plan.schema.name,
        source=plan.name,
        column=columns[0].name,
        rows=first_rows,
        values=first_values,
    )


def _type_lazily(
    raw: pl.LazyFrame, schema: Schema, zone: str, strict: bool, name: str, report: ScanReport
) -> pl.LazyFrame:
    """The same plan as ``_type_eagerly``, as a lazy query: ``raw`` carries a row index;
    each checked column is checked batch by batch as the query runs."""
    present = raw.collect_schema().names()
    plan = TypingPlan.for_input(schema, zone, name, present, exclude=(_ROW,))
    tally = _ScanTally(report, plan)
    typed = [_checked_in_batches(c, strict, tally) if c.checked else c.fast() for c in plan.columns]
    blank = plan.blank_row().map_batches(
        tally.blank_rows, return_dtype=pl.Boolean, is_elementwise=True
    )
    return raw.filter(~blank).select([*typed, *(pl.col(c) for c in plan.extras)])


class _ScanTally:
    """Counts for one scan, shared by its batch callbacks (which polars may run on several
    threads): the first count of each kind and column warns, later ones only add up."""

    def __init__(self, report: ScanReport, plan: TypingPlan) -> None:
        self.report, self.plan = report, plan
        self.so_far = _SO_FAR.format(scan=_SCANS[plan.schema.name])
        self._lock = threading.Lock()
        self._warned: set[tuple[str, str]] = set()

    def _first(self, key: tuple[str, str]) -> bool:
        first = key not in self._warned
        self._warned.add(key)
        return first

    def blank_rows(self, blank: pl.Series) -> pl.Series:
        if count := blank.sum():
            with self._lock:
                self.report.blank_rows += count
                first = self._first(("blank", ""))
            if first:
                _warn_blank(self.plan.schema, self.plan.name, count, self.so_far)
        return blank

    def coerced(self, column: Column, count: int) -> None:
        with self._lock:
            self.report.coerced[column.name] = self.report.coerced.get(column.name, 0) + count
            first = self._first(("coerced", column.name))
        if first:
            _warn_coerced(self.plan.schema, self.plan.name, column, count, self.so_far)

    def repeated(self, column: Column, count: int) -> None:
        """No warning (the eager readers do not warn either): the earlier instant is a
        reading, not a loss; the count is for ``read_report``."""
        with self._lock:
            self.report.add("repeated", column.name, count)

    def gaps(self, column: Column, count: int) -> None:
        with self._lock:
            self.report.gaps[column.name] = self.report.gaps.get(column.name, 0) + count
            first = self._first(("gap", column.name))
        if first:
            plan = self.plan
            _warn_gap(plan.schema, plan.name, column, count, plan.zone, self.so_far)


_SO_FAR = (
    " in the first batch that had any (a count so far: later batches add to the totals "
    "in {scan}(report=ScanReport()) without warning again)"
)
_SCANS = {"dialer_results": "scan_dialer_results", "leadflow_history": "scan_leadflow_history"}


def _checked_in_batches(column: ColumnPlan, strict: bool, tally: _ScanTally) -> pl.Expr:
    """A typed column for lazy scans: the fast parse, checked batch by batch; a batch with
    unresolved values is parsed again in full, which also finds the bad ones and the
    DST-gap times."""
    plan = tally.plan
    raw, fast = pl.col(column.name), column.fast()
    bundle = pl.struct(
        pl.col(_ROW).alias("row"),
        raw,
        fast.alias("typed"),
        (raw.is_not_null() & fast.is_null()).alias("unsure"),
    )

    def check(batch: pl.Series) -> pl.Series:
        parts = batch.struct.unnest()
        if not parts["unsure"].any():
            if repeats := parts.select(column.fast_repeated(pl.col("typed")).sum()).item():
                tally.repeated(column.column, repeats)
            return parts.get_column("typed")
        full = parts.select(
            "row",
            column.name,
            column.parse().alias("typed"),
            column.invalid().alias("bad"),
            column.gap().alias("gap"),
            column.repeated().alias("repeated"),
        )
        if gaps := full["gap"].sum():
            tally.gaps(column.column, gaps)
        if repeats := full["repeated"].sum():
            tally.repeated(column.column, repeats)
        bad = full.filter(pl.col("bad"))
        if bad.height and strict:
            shown = bad.head(_SHOWN)
            rows, values = shown["row"].to_list(), shown[column.name].to_list()
            raise SchemaError(
                _bad_message(plan.schema, plan.name, column.column, bad.height, rows, values)
                + " (counted in the first batch that had any). Fix the data, or pass "
                "strict=False to read such values as null.",
                report=plan.schema.name,
                source=plan.name,
                column=column.name,
                rows=rows,
                values=values,
            )
        if bad.height:
            tally.coerced(column.column, bad.height)
        return full.get_column("typed")

    return bundle.map_batches(check, return_dtype=column.dtype, is_elementwise=True).alias(
        column.name
    )

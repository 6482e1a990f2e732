"""JSON layouts: LeadFlow records as a bare list or under ``response``/``data``/``records``,
pretty-printed or not, numbers as JSON strings or numbers; newline-delimited JSON for scans.
Everything becomes text columns, which the typing plan types like the CSV."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl

from callanalytics.errors import SchemaError, UnreadableFileError
from callanalytics.readers.findings import warn_blank
from callanalytics.readers.inputs import ROW, first_char
from callanalytics.schema import Schema

_RECORD_KEYS = ("response", "data", "records")


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


def json_records(
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
    elif first_char(data) == "{":
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
        warn_blank(schema, name, records.height)
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


def scan_ndjson_text(path: Path, schema: Schema, name: str) -> pl.LazyFrame:
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
        path, schema=dict.fromkeys(keys, pl.String), row_index_name=ROW, row_index_offset=1
    )
    return raw.select(pl.col(ROW), *(_text_or_null(pl.col(k)).alias(k) for k in keys))


def _text_or_null(text: pl.Expr) -> pl.Expr:
    """JSON strings as text, with "" as null (the CSV reader does the same for "")."""
    return pl.when(text.str.len_bytes() > 0).then(text)

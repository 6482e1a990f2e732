"""Input sniffing: what a source is, and clear errors for the usual wrong files (empty,
binary, not UTF-8, an HTML page, cut mid-row) before a parser gives a cryptic one."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import polars as pl

from callanalytics.errors import UnreadableFileError
from callanalytics.readers.last_record import check_last_record
from callanalytics.schema import Schema

#: What every reader accepts: a path, the bytes, or a binary file object.
Source = str | os.PathLike[str] | bytes | IO[bytes]


def source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return str(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return "<bytes>"
    return str(getattr(source, "name", "<file object>"))


def csv_input(source: Source, schema: Schema, name: str) -> str | bytes:
    """A path stays a path (polars memory-maps it); file objects are read into bytes."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{schema.title}: no such file {name!r}")
        check_text_file(path, schema, name)
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


def check_text_file(path: Path, schema: Schema, name: str) -> None:
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


def first_char(data: str | bytes) -> str:
    if isinstance(data, str):
        with open(data, "rb") as handle:
            data = handle.read(1024)
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return chr(text[0]) if text else ""


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


#: The row-number column a lazy scan carries, so errors name rows (1 = first record).
ROW = "__row__"


def scan_text_csv(
    data: str | bytes, schema: Schema, name: str, *, row_index: bool = False
) -> pl.LazyFrame:
    """Every column as text (empty fields as null), once the last record is known whole."""
    frame = scan_csv_as(data, {}, row_index=row_index)
    try:
        width = len(frame.collect_schema()) - row_index
    except pl.exceptions.PolarsError as error:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be read as CSV: {first_line(error)}",
            report=schema.name,
            source=name,
        ) from None
    check_last_record(data, width, schema, name)
    return frame


def scan_csv_as(
    data: str | bytes, dtypes: Mapping[str, pl.DataType], *, row_index: bool = False
) -> pl.LazyFrame:
    """The CSV with the columns in ``dtypes`` parsed by the CSV reader itself (see
    ``Kind.wire_dtype``) and every other column as text; empty fields are null."""
    source: Any = data if isinstance(data, str) else io.BytesIO(data)
    return pl.scan_csv(
        source,
        infer_schema=False,
        schema_overrides=dict(dtypes) or None,
        null_values=[""],  # the export quotes every field: "" is an empty field
        row_index_name=ROW if row_index else None,
        row_index_offset=1,
    )

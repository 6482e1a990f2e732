"""The truncated-download check: a file whose last record has fewer fields than its header,
found by reading only the file's tail."""

from __future__ import annotations

import re
from pathlib import Path

from callanalytics.errors import UnreadableFileError
from callanalytics.schema import Schema

_TAIL_BYTES = 64 << 10


_QUOTE, _COMMA, _LF = ord('"'), ord(","), ord("\n")


_QUOTED_HEADER = re.compile(rb'"[^"\r\n]*"(?:,"[^"\r\n]*")*')


class _ReadMore(Exception):
    """The tail read so far does not hold the whole last record."""


def check_last_record(data: str | bytes, width: int, schema: Schema, name: str) -> None:
    """Refuse a file whose last record has fewer fields than the header.

    A download cut right after a closing quote still parses as CSV: polars pads the short
    last record with nulls. Counting that record's fields needs only the file's tail: the
    export quotes every field, and a fully quoted CSV can be read backward without doubt (an
    opening quote is never preceded by a quote). Unquoted files are checked when their last
    line holds no quote; anything else is left to the parser.
    """
    header = read_head(data, _TAIL_BYTES).removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
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


def read_head(data: str | bytes, size: int) -> bytes:
    if isinstance(data, bytes):
        return data[:size]
    with open(data, "rb") as handle:
        return handle.read(size)

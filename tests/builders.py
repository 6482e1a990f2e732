"""Test builders: small report files written by hand, exactly as the APIs send them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY


def dialer_csv(
    rows: Iterable[Mapping[str, str]],
    *,
    columns: list[str] | None = None,
    bom: bool = False,
) -> bytes:
    """A Dialer Result Download CSV: every field quoted, empty fields as ``""``."""
    names = columns if columns is not None else DIALER_RESULTS.names
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def leadflow_json(records: Iterable[Mapping[str, object]], *, wrap: str | None = None) -> bytes:
    """A LeadFlow response; every documented key present (null unless given)."""
    full = [
        {name: record.get(name) for name in LEADFLOW_HISTORY.names} | dict(record)
        for record in records
    ]
    body: object = full if wrap is None else {wrap: full, "page": 1}
    return json.dumps(body).encode("utf-8")

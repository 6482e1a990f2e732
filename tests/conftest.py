"""Shared helpers: build small report files by hand, exactly as the APIs send them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

import pytest

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


@pytest.fixture
def one_call() -> dict[str, str]:
    """One answered call with the handful of fields tests usually vary."""
    return {
        "callID": "202411031530450000001234567890",
        "ID": "000123",
        "campaign_id": "0042",
        "lead_phone": "+1 (212) 555-0100",
        "zip": "02134",
        "lead_passes": "1",
        "pass_disposition": "ANSWER",
        "call_start": "2024-11-03 15:30:45",
        "duration": "4.35",
        "on_hold": "12",
        "agent_id": "007",
        "speed_to_lead_first_pass": "00:05:30",
        "dial_duration": "9",
    }

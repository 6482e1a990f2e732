"""The one typing plan on a fixture schema: any schema, both runners, PII kept out of errors."""

from __future__ import annotations

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.readers.eager import type_eagerly
from callanalytics.readers.findings import ScanReport
from callanalytics.readers.inputs import ROW
from callanalytics.readers.scanning import type_lazily
from callanalytics.schema import Column, Count, Schema, Text, Timestamp

FIXTURE = Schema(
    name="fixture",
    title="Fixture report",
    columns=(
        Column("id", Text(), "Row id"),
        Column("callback_phone", Count(), "Digits of a number to call back", pii=True),
        Column("queue_name", Text(), "A column added in one line"),
        Column("seen", Timestamp(), "When"),
    ),
)
RAW = {
    "id": ["1", "2"],
    "callback_phone": ["42", "+1 (617) 555-0100"],
    "queue_name": ["Sales", None],
    "seen": ["2024-01-05 10:00:00", "2024-01-05T16:00:00Z"],
}


def _lazy_with_rows() -> pl.LazyFrame:
    return pl.LazyFrame(RAW).with_row_index(ROW, offset=1)


def test_both_runners_type_any_schema_the_same_way():
    zone = "America/Chicago"
    with pytest.warns(ca.CoercedToNullWarning):
        eager = type_eagerly(pl.LazyFrame(RAW), FIXTURE, zone, False, "fixture.csv")
    with pytest.warns(ca.CoercedToNullWarning):
        lazy = type_lazily(_lazy_with_rows(), FIXTURE, zone, False, "x", ScanReport()).collect()
    assert eager.schema == FIXTURE.polars_schema(zone) == lazy.schema
    assert eager.equals(lazy)
    assert eager["queue_name"].to_list() == ["Sales", None]
    assert eager["seen"][0] == eager["seen"][1]  # 10:00 in Chicago is 16:00 UTC in January
    assert eager["callback_phone"].to_list() == [42, None]


def test_errors_mask_personal_values_to_their_last_four_digits():
    # Issue 11: Column.pii is used, not dead: a bad value in a PII column is not shown whole.
    with pytest.raises(ca.SchemaError) as eager:
        type_eagerly(pl.LazyFrame(RAW), FIXTURE, "UTC", True, "fixture.csv")
    with pytest.raises(ca.SchemaError) as lazy:
        type_lazily(_lazy_with_rows(), FIXTURE, "UTC", True, "x", ScanReport()).collect()
    for error in (eager.value, lazy.value):
        text = f"{error} {error.values}"
        assert "555-0100" not in text and "617" not in text, text
        assert "row 2: '…0100'" in str(error)
    # (polars rebuilds an exception raised inside a lazy query from its message alone)
    assert eager.value.values == ["…0100"]

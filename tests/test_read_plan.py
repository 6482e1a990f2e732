"""The one typing plan on a fixture schema: any schema, both runners, PII kept out of errors."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.readers.eager import type_eagerly
from callanalytics.readers.findings import ScanReport
from callanalytics.readers.inputs import ROW, scan_csv_as
from callanalytics.readers.scanning import type_lazily
from callanalytics.schema import Column, Count, Duration, Schema, Text, Timestamp

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


NUMBERS = Schema(
    name="numbers",
    title="Numbers report",
    columns=(
        Column("id", Text(), "Row id"),
        Column("minutes", Duration("min", 2), "Minutes"),
        Column("seconds", Duration("s"), "Seconds"),
        Column("count", Count(), "A count"),
    ),
)


def _csv(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ['"id","minutes","seconds","count"']
    lines += [f'"{i}","{m}","{s}","{c}"' for i, (m, s, c) in enumerate(rows, 1)]
    return ("\n".join(lines) + "\n").encode()


def _both_ways(data: bytes, strict: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The plan run with the CSV reader parsing the numbers itself, and on the text only."""
    args = (NUMBERS, "UTC", strict, "numbers.csv")
    native = type_eagerly(scan_csv_as(data, {}), *args, native=partial(scan_csv_as, data))
    text = type_eagerly(scan_csv_as(data, {}), *args)
    return native, text


def test_numbers_read_by_the_csv_reader_keep_their_exact_values():
    native, _ = _both_ways(_csv([("4.35", "+5", "007"), ("1e2", " 5", "-0")]), strict=True)
    assert native["minutes"].to_list() == [timedelta(seconds=261), timedelta(minutes=100)]
    assert native["seconds"].to_list() == [timedelta(seconds=5)] * 2
    assert native["count"].to_list() == [7, 0]


@pytest.mark.parametrize(
    "rows",
    [
        # Numbers the CSV reader parses itself: equal to the text parse, value for value.
        [("4.35", "5", "007"), (" 5", "+5", " 5"), ("5.", ".5", "-0"), ("1e2", "-0", "+3")],
        [("", "", ""), ("0.01", "86400", "0")],
    ],
)
def test_numbers_the_csv_reader_parses_are_typed_as_the_text_parse_types_them(rows):
    native, text = _both_ways(_csv(rows), strict=True)
    assert native.equals(text)
    assert native.height == len(rows) and native.null_count().sum_horizontal().item() in (0, 3)


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        (("inf", "1", "1"), "minutes"),  # the CSV reader reads it; the range check refuses it
        (("NaN", "1", "1"), "minutes"),
        (("1e400", "1", "1"), "minutes"),
        (("1", "1_000", "1"), "seconds"),  # the CSV reader refuses it: the text pass names it
        (("1", "1", "5.0"), "count"),
        (("1", "1", "9223372036854775808"), "count"),
    ],
)
def test_a_number_either_path_refuses_is_a_bad_value_named_with_its_row(bad, column):
    data = _csv([("1", "2", "3"), bad])
    with pytest.raises(ca.SchemaError) as raised:
        _both_ways(data, strict=True)
    assert raised.value.column == column and raised.value.rows == [2]
    with pytest.warns(ca.CoercedToNullWarning):
        native, text = _both_ways(data, strict=False)
    assert native.equals(text) and native[column].null_count() == 1


def test_a_row_blank_but_for_spaces_in_a_number_column_reads_as_the_text_reads_it():
    # The CSV reader takes "  " in a number column as empty; the text pass sees a value, so
    # the row is not blank there. Both paths must keep the same rows (the full parse of an
    # unresolved column lines up with them).
    data = _csv([("1", "2", "3"), ("  ", "", ""), ("inf", "1", "1")])
    data = data.replace(b'"2","  ",', b'"","  ",')  # the second row's id is empty too
    with pytest.warns(ca.CoercedToNullWarning):
        native, text = _both_ways(data, strict=False)
    assert native.equals(text) and native.height == 3

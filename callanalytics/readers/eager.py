"""The typing plan run eagerly: one streaming pass of every column's ``fast`` parse, then
the full parse only for the columns where ``fast`` left present values unresolved."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from callanalytics.errors import SchemaError, UnreadableFileError
from callanalytics.readers.findings import (
    SHOWN,
    Found,
    ScanReport,
    bad_message,
    shown_values,
    warn_blank,
    warn_coerced,
    warn_gap,
)
from callanalytics.readers.inputs import first_line
from callanalytics.readers.plan import ColumnPlan, TypingPlan, read_header
from callanalytics.schema import Schema

_BAD = "__bad__"


_BLANK = "__blank__"


_GAP = "__gap__"


_PRESENT = "__present__"


_UNSURE = "__unsure__"


_REPEATED = "__repeated__"


def type_eagerly(
    raw: pl.LazyFrame,
    schema: Schema,
    zone: str,
    strict: bool,
    name: str,
    report: ScanReport | None = None,
    native: Callable[[dict[str, pl.DataType]], pl.LazyFrame] | None = None,
) -> pl.DataFrame:
    """Type ``raw`` (text columns, blanks already null) in one streaming pass of each
    column's ``fast`` parse; only columns where that left present values unresolved are
    parsed again in full, which also finds the bad values and the DST-gap times. What was
    counted is added to ``report`` once the read succeeded.

    ``native(dtypes)``, for a CSV, scans the same input with the columns in ``dtypes`` parsed
    by the CSV reader itself (numbers: see ``Kind.wire_dtype``), which skips building their
    text; if it refuses a value, the pass runs again on the text, which finds and names it.
    """
    present = read_header(raw, schema, name)
    if not present:  # an empty JSON list: an empty report
        return pl.DataFrame(schema=schema.polars_schema(zone))
    plan = TypingPlan.for_input(schema, zone, name, present)
    checked = plan.checked
    frame = _first_pass(raw, plan, native)
    # drop_in_place: an eager drop would copy (and rechunk) the whole frame.
    counts = {c.name: frame.drop_in_place(_UNSURE + c.name).sum() for c in checked}
    blanks, records = frame.drop_in_place(_BLANK), raw
    if blank_rows := blanks.sum():
        # Rare: filter here rather than in the query, which stays one plain streaming pass.
        frame = frame.filter(~blanks)
        records = raw.filter(~plan.blank_row())  # the same rows for the full parse below
        warn_blank(schema, name, blank_rows)
    unresolved = [c for c in checked if counts[c.name]]
    resolved = [c for c in checked if not counts[c.name]]
    repeated = frame.select(c.fast_repeated(pl.col(c.name)).sum().alias(c.name) for c in resolved)
    found = Found(blank_rows, repeated=repeated.row(0, named=True) if resolved else {})
    if unresolved:
        parsed, full = _parse_in_full(records, unresolved)
        frame = frame.with_columns(parsed)
        found.coerced, found.gaps = full.coerced, full.gaps
        found.repeated |= full.repeated
        bad_columns = [c for c in unresolved if full.coerced[c.name]]
        if bad_columns and strict:
            _raise_bad(raw, bad_columns, full.coerced, plan)
        for column in bad_columns:
            warn_coerced(schema, name, column.column, full.coerced[column.name])
        for column in unresolved:
            if full.gaps[column.name]:
                warn_gap(schema, name, column.column, full.gaps[column.name], zone)
    if report is not None:
        found.add_to(report)
    return frame


def _first_pass(
    raw: pl.LazyFrame,
    plan: TypingPlan,
    native: Callable[[dict[str, pl.DataType]], pl.LazyFrame] | None,
) -> pl.DataFrame:
    """Every column's fast parse, whether each row is blank, and, for each checked column,
    whether the parse left a present value unresolved (``_UNSURE`` + name)."""
    dtypes = plan.native_dtypes if native is not None else {}
    if native is not None and dtypes:
        try:
            frame = _collect_fast(native(dtypes), plan, set(dtypes))
        except pl.exceptions.PolarsError:
            frame = None  # a value the CSV reader refuses: the text pass finds and names it
        # Blank rows (rare) are told apart on the text: the CSV reader takes "  " in a
        # number column as an empty field, while to the text pass it is a value.
        if frame is not None and not frame.get_column(_BLANK).any():
            return frame
    try:
        return _collect_fast(raw, plan, set())
    except pl.exceptions.PolarsError as error:
        schema = plan.schema
        raise UnreadableFileError(
            f"{schema.title}: {plan.name} could not be parsed: {first_line(error)}",
            report=schema.name,
            source=plan.name,
        ) from None


def _collect_fast(source: pl.LazyFrame, plan: TypingPlan, native: set[str]) -> pl.DataFrame:
    checked = plan.checked
    # The first select parses each column once and notes which raw values were present (a
    # cheap boolean, not a copy of the text); the second compares.
    first = [
        plan.blank_row().alias(_BLANK),
        *(pl.col(c.name).is_not_null().alias(_PRESENT + c.name) for c in checked),
        *(c.fast(c.name in native) for c in plan.columns),
        *(pl.col(c) for c in plan.extras),
    ]
    unsure = [
        (pl.col(_PRESENT + c.name) & pl.col(c.name).is_null()).alias(_UNSURE + c.name)
        for c in checked
    ]
    query = source.select(first).select([*plan.names, *unsure, _BLANK])
    return query.collect(engine="streaming")


def _parse_in_full(
    records: pl.LazyFrame, columns: Sequence[ColumnPlan]
) -> tuple[pl.DataFrame, Found]:
    """``columns`` parsed in full, with their counts of bad values, DST-gap times and
    times in the repeated hour."""
    source = records.select(c.name for c in columns).collect()
    stats = [
        *(c.invalid().sum().alias(_BAD + c.name) for c in columns),
        *(c.gap().sum().alias(_GAP + c.name) for c in columns),
        *(c.repeated().sum().alias(_REPEATED + c.name) for c in columns),
    ]
    counted = source.select(stats).row(0, named=True)
    found = Found(
        coerced={c.name: counted[_BAD + c.name] for c in columns},
        gaps={c.name: counted[_GAP + c.name] for c in columns},
        repeated={c.name: counted[_REPEATED + c.name] for c in columns},
    )
    return source.select(c.parse() for c in columns), found


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
            .head(SHOWN)
            .collect()
        )
        rows = sample["row"].to_list()
        values = shown_values(column.column, sample[column.name].to_list())
        count = counts[column.name]
        messages.append(bad_message(plan.schema, plan.name, column.column, count, rows, values))
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

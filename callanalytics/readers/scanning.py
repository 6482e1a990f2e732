"""The typing plan run lazily, for files larger than memory: each checked column is checked
batch by batch as the query runs, and what it finds is counted in a ``ScanReport``."""

from __future__ import annotations

import threading

import polars as pl

from callanalytics.errors import SchemaError
from callanalytics.readers.findings import (
    SHOWN,
    ScanReport,
    bad_message,
    shown_values,
    warn_blank,
    warn_coerced,
    warn_gap,
)
from callanalytics.readers.inputs import ROW
from callanalytics.readers.plan import ColumnPlan, TypingPlan
from callanalytics.schema import Column, Schema


def type_lazily(
    raw: pl.LazyFrame, schema: Schema, zone: str, strict: bool, name: str, report: ScanReport
) -> pl.LazyFrame:
    """The same plan as ``type_eagerly``, as a lazy query: ``raw`` carries a row index;
    each checked column is checked batch by batch as the query runs."""
    present = raw.collect_schema().names()
    plan = TypingPlan.for_input(schema, zone, name, present, exclude=(ROW,))
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
        self.so_far = _SO_FAR.format(scan=_SCANS.get(plan.schema.name, "the scan"))
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
                warn_blank(self.plan.schema, self.plan.name, count, self.so_far)
        return blank

    def coerced(self, column: Column, count: int) -> None:
        with self._lock:
            self.report.coerced[column.name] = self.report.coerced.get(column.name, 0) + count
            first = self._first(("coerced", column.name))
        if first:
            warn_coerced(self.plan.schema, self.plan.name, column, count, self.so_far)

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
            warn_gap(plan.schema, plan.name, column, count, plan.zone, self.so_far)


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
        pl.col(ROW).alias("row"),
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
            shown = bad.head(SHOWN)
            rows = shown["row"].to_list()
            values = shown_values(column.column, shown[column.name].to_list())
            raise SchemaError(
                bad_message(plan.schema, plan.name, column.column, bad.height, rows, values)
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

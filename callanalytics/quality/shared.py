"""The checks both sources share: the window, columns gone empty, and what the reader counted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import narwhals as nw

from callanalytics.dates import as_instant
from callanalytics.metrics._engine import Native, with_epoch_ms
from callanalytics.quality.table import Check, Checks
from callanalytics.quality.texts import zone_of

__all__ = ["NULL_JUMP", "null_checks", "null_shares", "reader_checks", "window_check"]

#: A column whose null share grows by more than this (0.25 = 25 points) over the baseline
#: is reported: a column that suddenly goes empty is usually a schema change upstream.
NULL_JUMP = 0.25
_EPOCH = datetime(1970, 1, 1)
_MS = timedelta(milliseconds=1)


def _get(report, key: str, default):
    if report is None:
        return default
    if isinstance(report, Mapping):
        return report.get(key, default)
    return getattr(report, key, default)


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def reader_checks(checks: Checks, report) -> None:
    """What the reader counted and the frame cannot show."""
    specs = (
        (
            "coerced_to_null",
            "coerced",
            "values that could not be read and became null (read with strict=False)",
        ),
        ("dst_gap", "gaps", "local times in the spring-forward gap (they do not exist: null)"),
        (
            "dst_repeated",
            "repeated",
            "local times in the repeated fall-back hour (read as the earlier instant)",
        ),
    )
    blank = "blank rows dropped by the reader (not in the frame)"
    if report is None:
        why = " — not checked: pass what the reader counted as read_report="
        for name, text in [(n, t) for n, _, t in specs] + [("blank_rows", blank)]:
            checks.fixed(name, _capital(text) + why, None)
        return
    for name, key, text in specs:
        counts = dict(_get(report, key, None) or {})
        if not counts:
            checks.fixed(name, _capital(text), 0)
        for column, count in sorted(counts.items()):
            checks.fixed(name, f"{column}: {text}", int(count), column)
    checks.fixed("blank_rows", _capital(blank), int(_get(report, "blank_rows", 0) or 0))


def window_check(checks: Checks, column: str, start, end, key: nw.Expr) -> None:
    """Rows whose ``column`` is outside ``[start, end)``; a bare date is midnight in the
    column's zone (a naive column is compared in its own wall clock)."""
    name = "outside_window"
    if start is None and end is None:
        text = f"{column} outside the requested window — not checked: no start/end given"
        checks.fixed(name, text, None, column)
        return
    zone = zone_of(checks.frame, column)

    def bound(value) -> tuple[datetime, int]:
        instant = as_instant(value, zone or "UTC")
        if zone:
            return instant, int(instant.timestamp() * 1000)
        naive = instant.replace(tzinfo=None)
        return naive, (naive - _EPOCH) // _MS

    checks.data = with_epoch_ms(checks.frame, checks.data, f"_ms_{column}", column)
    at = nw.col(f"_ms_{column}")
    bounds, mask = [], nw.lit(False)
    if start is not None:
        first, ms = bound(start)
        mask = mask | (at < ms)
        bounds.append(f"from {first.isoformat()}")
    if end is not None:
        last, ms = bound(end)
        mask = mask | (at >= ms)
        bounds.append(f"until {last.isoformat()} (excluded)")
    example = nw.concat_str(key, nw.lit(": "), nw.col(f"_stamp_{column}"))
    text = f"{column} outside the requested window ({', '.join(bounds)})"
    checks.add(Check(name, text, mask, example, column))


def _shares(frame: Native, prefix: str) -> nw.LazyFrame:
    names = frame.schema.names()
    wide = frame.lazy.select(
        nw.len().cast(nw.Int64).alias("_n"),
        *[nw.col(c).null_count().fill_null(0).cast(nw.Int64).alias(c) for c in names],
    )
    share = nw.when(nw.col("_n") > 0).then(nw.col(f"{prefix}_nulls") / nw.col("_n"))
    return _long(frame, wide, names, f"{prefix}_nulls").select(
        "column", "_order", f"{prefix}_nulls", share.alias(prefix)
    )


def _long(frame: Native, wide: nw.LazyFrame, names: list[str], value: str) -> nw.LazyFrame:
    """The one-row ``wide`` frame as one row per column of ``names`` (``column``,
    ``_order``, ``value``, ``_n``), in the frame's column order. Spark stacks it in one
    pass; elsewhere a union (narwhals' DuckDB unpivot reads the relation on the default
    connection, not the relation's own)."""
    if frame.is_spark:
        from pyspark.sql import functions as F

        pairs = ", ".join(
            "'" + c.replace("\\", "\\\\").replace("'", "\\'") + f"', {i}L, `{c.replace('`', '``')}`"
            for i, c in enumerate(names)
        )
        stacked = wide.to_native().select(
            "_n", F.expr(f"stack({len(names)}, {pairs}) AS (`column`, `_order`, `{value}`)")
        )
        return nw.from_native(stacked)
    return nw.concat(
        [
            wide.select(
                nw.lit(c).cast(nw.String).alias("column"),
                nw.lit(i).cast(nw.Int64).alias("_order"),
                nw.col(c).alias(value),
                "_n",
            )
            for i, c in enumerate(names)
        ],
        how="vertical",
    )


def shares_table(frame: Native, baseline) -> nw.LazyFrame:
    """:func:`null_shares` as a narwhals frame (with ``_order``, the column's position)."""
    now = _shares(frame, "share").rename({"share_nulls": "nulls"})
    if baseline is None:
        out = now.with_columns(nw.lit(None).cast(nw.Float64).alias("baseline_share"))
    else:
        then = _shares(Native(baseline), "baseline_share").drop("baseline_share_nulls", "_order")
        out = now.join(then, on="column", how="left")
    return out.select(
        "column",
        "_order",
        nw.col("nulls").cast(frame.count_dtype),
        "share",
        "baseline_share",
        (nw.col("share") - nw.col("baseline_share")).alias("change"),
    )


def null_shares(frame, baseline=None):
    """Share of nulls per column now and in ``baseline`` (one row per column of ``frame``).

    Columns: ``column``, ``nulls`` (UInt32), ``share`` and ``baseline_share`` (Float64, null
    without a baseline or on an empty frame), ``change`` (share − baseline_share). Both
    frames of one engine (polars, DuckDB or Spark); the result is the kind ``frame`` is.

    Example:
        >>> import polars as pl
        >>> frame = pl.DataFrame({"a": [1, None], "b": [None, None]})
        >>> null_shares(frame, pl.DataFrame({"a": [1, 2], "b": [1, None]}))["change"].to_list()
        [0.5, 0.5]
    """
    data = Native(frame)
    if not data.schema.names():
        raise ValueError("null_shares: the frame has no columns")
    return data.back(shares_table(data, baseline).sort("_order").drop("_order"))


def null_checks(checks: Checks, baseline, jump: float) -> None:
    """``column_went_empty``: one row per column much emptier than in ``baseline``."""
    name = "column_went_empty"
    if baseline is None:
        text = (
            "Columns much emptier than in the last 30 days — not checked: pass the last "
            "30 days as baseline="
        )
        checks.fixed(name, text, None)
        return
    if not 0 < jump <= 1:
        raise ValueError(f"null_jump must be a share in (0, 1], not {jump!r}")
    percent = [(nw.col(c) * 100).round(1) for c in ("share", "baseline_share")]
    flagged = (
        shares_table(checks.frame, baseline)
        .filter(nw.col("change") > jump)
        .select(
            nw.lit(name).alias("check"),
            nw.col("column"),
            nw.concat_str(
                nw.col("column"),
                nw.lit(": "),
                percent[0].cast(nw.String),
                nw.lit("% null now against "),
                percent[1].cast(nw.String),
                nw.lit("% in the baseline (a schema change upstream?)"),
            ).alias("description"),
            nw.col("nulls").alias("rows"),
            "_order",
        )
    )
    checks.append(flagged, order=nw.col("_order"))
    none = f"No column's null share grew by more than {jump:.0%} over the baseline"
    found = flagged.select(nw.len().alias("_found"))
    checks.fixed(name, none, 0)
    checks.parts[-1] = (
        checks.parts[-1].join(found, how="cross").filter(nw.col("_found") == 0).drop("_found")
    )

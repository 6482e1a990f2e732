"""The quality table: one row per check, built the same way on polars, DuckDB and Spark.

A :class:`Check` is a row mask (True = affected) and an example text per row; each becomes
one row of :data:`QUALITY_SCHEMA` with the rows affected and up to five distinct examples,
the first in the frame's time order (then by text). Checks known without the frame (what
the reader counted, or a check that could not run) are :meth:`Checks.fixed` rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw
import polars as pl

from callanalytics.metrics._engine import Native, native_columns

__all__ = ["QUALITY_SCHEMA", "Check", "Checks"]

#: The columns every quality table has.
QUALITY_SCHEMA: dict[str, pl.DataType] = {
    "check": pl.String(),
    "column": pl.String(),
    "description": pl.String(),
    "rows": pl.UInt32(),
    "share": pl.Float64(),
    "examples": pl.List(pl.String()),
    "status": pl.String(),
}

EXAMPLES = 5
_EXAMPLE = [f"_ex{i}" for i in range(EXAMPLES)]
_PART = ["_i", "_j", "check", "column", "description", "rows", *_EXAMPLE]


def _text(value: str | None) -> nw.Expr:
    return nw.lit(value).cast(nw.String)


class Check:
    """One check: a row mask (True = affected) and how to name an affected row."""

    def __init__(
        self,
        name: str,
        description: str,
        mask: nw.Expr,
        example: nw.Expr,
        column: str | None = None,
        needs: Sequence[str] = (),
    ) -> None:
        self.name, self.description, self.column = name, description, column
        self.mask, self.example, self.needs = mask.fill_null(False), example, tuple(needs)


class Checks:
    """The frame being checked (with ``_pos``, its time order) and the table's parts."""

    def __init__(self, frame: Native, data: nw.LazyFrame, order: Sequence[str]) -> None:
        self.frame = frame
        missing = [nw.col(c).is_null().alias(f"_missing_{c}") for c in order]
        keys = [k for c in order for k in (f"_missing_{c}", c)]
        self.data = data.with_columns(*missing).with_row_index("_pos", order_by=keys)
        self.parts: list[nw.LazyFrame] = []

    def _one_row(self) -> nw.LazyFrame:
        return self.data.select(nw.len().alias("_n"))

    def add(self, check: Check) -> None:
        """Count ``check``'s rows and take its first examples (or say a column is missing)."""
        names = self.frame.schema.names()
        if not all(c in names for c in check.needs):
            text = check.description + " — not checked: column missing"
            self.fixed(check.name, text, None, check.column)
            return
        # Row by row first (a mask may hold a window, which SQL cannot nest in an aggregate).
        marked = self.data.select(
            check.mask.alias("_hit"), check.example.cast(nw.String).alias("_ex"), "_pos"
        )
        counted = marked.select(self.frame.true_count(nw.col("_hit")).alias("rows"))
        hits = (
            marked.filter(nw.col("_hit"))
            .select("_ex", "_pos")
            .group_by("_ex")
            .agg(nw.col("_pos").min())
            .with_row_index("_k", order_by=["_pos", "_ex"])
            .filter(nw.col("_k") < EXAMPLES)
            .select(
                nw.when(nw.col("_k") == i).then(nw.col("_ex")).max().alias(name)
                for i, name in enumerate(_EXAMPLE)
            )
        )
        part = counted.join(hits, how="cross").with_columns(
            _text(check.name).alias("check"),
            _text(check.column).alias("column"),
            _text(check.description).alias("description"),
        )
        self.append(part)

    def fixed(self, name: str, description: str, rows: int | None, column: str | None = None):
        """A check whose count is known without the frame (or that could not run: None)."""
        part = self._one_row().select(
            _text(name).alias("check"),
            _text(column).alias("column"),
            _text(description).alias("description"),
            nw.lit(rows).cast(nw.Int64).alias("rows"),
        )
        self.append(part)

    def append(self, part: nw.LazyFrame, order: nw.Expr | None = None) -> None:
        """Add a part with ``check``, ``column``, ``description``, ``rows`` and, optionally,
        examples; rows within a part keep ``order`` (default: one row)."""
        present = part.collect_schema().names()
        part = part.with_columns(
            nw.lit(len(self.parts)).cast(nw.Int64).alias("_i"),
            (order if order is not None else nw.lit(0)).cast(nw.Int64).alias("_j"),
            nw.col("rows").cast(nw.Int64),
            *[
                (nw.col(c) if c in present else nw.lit(None)).cast(nw.String).alias(c)
                for c in _EXAMPLE
            ],
        )
        self.parts.append(part.select(*_PART))

    def table(self) -> nw.LazyFrame:
        """The finished table, in the order the checks were added."""
        frame = self.frame
        total = self._one_row()
        rows = nw.col("rows")
        examples = {
            "duckdb": "list_filter([" + ", ".join(_EXAMPLE) + "], lambda x: x IS NOT NULL)",
            "spark": "filter(array(" + ", ".join(_EXAMPLE) + "), x -> x IS NOT NULL)",
        }
        polars = pl.concat_list(_EXAMPLE).list.drop_nulls()
        out = nw.concat(self.parts, how="vertical").join(total, how="cross")
        out = out.with_columns(rows.cast(frame.count_dtype), nw.col("_n").cast(frame.count_dtype))
        out = native_columns(frame, out, {"examples": (polars, examples)})
        return out.sort("_i", "_j").select(
            "check",
            "column",
            "description",
            "rows",
            # A column, not a constant: polars divides by a constant through its reciprocal
            # (3 / 10 would be 0.30000000000000004).
            nw.when(nw.col("_n") > 0).then(rows / (nw.col("_n") + nw.col("_i") * 0)).alias("share"),
            "examples",
            nw.when(rows.is_null())
            .then(nw.lit("not checked"))
            .when(rows > 0)
            .then(nw.lit("found"))
            .otherwise(nw.lit("ok"))
            .alias("status"),
        )

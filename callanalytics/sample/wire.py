"""From numpy draws to a typed frame, and from a typed frame to the bytes an API sends: the
Engage CSV (every field quoted) and the LeadFlow JSON (numbers as numbers or strings)."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import polars as pl

from callanalytics.schema import Schema
from callanalytics.schema.kinds import Duration, Money


def typed_frame(columns: dict[str, object]) -> pl.DataFrame:
    """A frame from numpy arrays; object arrays (text with None) go through Python lists."""
    return pl.DataFrame(
        {
            name: values.tolist()
            if isinstance(values, np.ndarray) and values.dtype == object
            else values
            for name, values in columns.items()
        },
        strict=False,
    )


def milliseconds(values: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    """Milliseconds as a Duration series, null where ``present`` is False.

    Example:
        >>> milliseconds(np.array([1500, 60_000]), np.array([True, False])).to_list()
        [datetime.timedelta(seconds=1, microseconds=500000), None]
    """
    series = pl.Series(np.asarray(values, dtype=np.int64)).cast(pl.Duration("ms"))
    if present is None:
        return series
    return pl.select(pl.when(pl.Series(present)).then(series)).to_series()


def to_text(typed: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Typed columns to wire text with each column kind's ``format``."""
    return typed.select(
        schema[name].kind.format(pl.col(name)).alias(name) if name in schema.names else pl.col(name)
        for name in typed.columns
    )


def rows(n: int) -> int:
    """``n``, checked: a sample has zero or more rows (zero: the schema's columns alone).

    Example:
        >>> rows(-1)
        Traceback (most recent call last):
        ...
        ValueError: n must be 0 or more, not -1
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    return n


def no_rows(schema: Schema) -> pl.DataFrame:
    """The wire text of an empty report: the schema's columns, no rows."""
    return pl.DataFrame(schema=dict.fromkeys(schema.names, pl.String))


def in_schema_order(text: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """The wire columns in the schema's order; a column the generator has no rule for (one
    just added to the schema table) is sent empty, as the API sends a field it has no value
    for, so adding a column is one line in the schema.

    Example:
        >>> from callanalytics.schema import LEADFLOW_HISTORY
        >>> in_schema_order(pl.DataFrame({"sid": ["1"]}), LEADFLOW_HISTORY).width
        34
    """
    return text.select(
        pl.col(name) if name in text.columns else pl.lit(None, dtype=pl.String).alias(name)
        for name in schema.names
    )


def to_csv(text: pl.DataFrame) -> bytes:
    """CSV the way Engage sends it: every field quoted, empty fields as ``""``.

    Example:
        >>> to_csv(pl.DataFrame({"a": ["1", None]}))
        b'"a"\\n"1"\\n""\\n'
    """
    return text.fill_null("").write_csv(quote_style="always").encode("utf-8")


def to_json(text: pl.DataFrame, schema: Schema) -> bytes:
    """JSON the way LeadFlow sends it: the records under ``response``; the money and duration
    columns of every other record as JSON numbers, the rest as strings.

    Example:
        >>> from callanalytics.schema import LEADFLOW_HISTORY
        >>> to_json(pl.DataFrame({"margin": ["5.00", "5.50"]}), LEADFLOW_HISTORY)
        b'{"response": [{"margin": 5}, {"margin": "5.50"}]}'
    """
    numeric = {c.name for c in schema.columns if isinstance(c.kind, Money | Duration)}
    records = []
    for i, row in enumerate(text.iter_rows(named=True)):
        if i % 2 == 0:
            row = {k: _json_number(v) if k in numeric else v for k, v in row.items()}
        records.append(row)
    return json.dumps({"response": records}, ensure_ascii=False).encode("utf-8")


def _json_number(value: str | None) -> int | float | None:
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)

"""Write typed frames to files analysts share, and hand them to charting libraries.

CSV and Excel have no duration or exact-decimal type, so durations are written as seconds
with the unit in the column name (``duration`` → ``duration_s``) and money as exact strings
(``"16893.50"``, the default) or floats (``money="float"``). Parquet has both types and keeps
every column as it is, so a saved Parquet file reads back typed.

Excel has no time zones either: a zoned datetime column is written as its local wall time
(naive) and the zone goes into the column header (``call_start`` in New York →
``call_start (America/New_York)``), so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import polars as pl

__all__ = ["for_charts", "write_frame"]

_SUFFIXES = (".csv", ".parquet", ".xlsx")


def _already_exist(columns: list[str]) -> str:
    if len(columns) == 1:
        return f"column {columns[0]} already exists"
    return f"columns {', '.join(columns)} already exist"


def _for_files(frame: pl.DataFrame, money: str) -> pl.DataFrame:
    """Durations as ``<name>_s`` seconds; Decimals as exact strings or floats."""
    durations = [n for n, t in frame.schema.items() if isinstance(t, pl.Duration)]
    clashes = [f"{n}_s" for n in durations if f"{n}_s" in frame.columns]
    if clashes:
        raise ValueError(f"cannot write durations as seconds: {_already_exist(clashes)}")
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Duration):
            column = column.dt.total_seconds(fractional=True).alias(f"{name}_s")
        elif isinstance(dtype, pl.Decimal):
            column = column.cast(pl.String if money == "string" else pl.Float64)
        columns.append(column)
    return frame.select(columns)


def _for_excel(frame: pl.DataFrame) -> pl.DataFrame:
    """Zoned datetimes as local wall time, the zone moved into the header ``<name> (<zone>)``."""
    renamed = {
        name: f"{name} ({dtype.time_zone})"
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    }
    clashes = [new for new in renamed.values() if new in frame.columns]
    if clashes:
        raise ValueError(f"cannot write zoned datetimes for Excel: {_already_exist(clashes)}")
    return frame.with_columns(
        pl.col(name).dt.replace_time_zone(None).alias(name) for name in renamed
    ).rename(renamed)


def write_frame(
    frame: pl.DataFrame | pl.LazyFrame,
    path: str | Path,
    *,
    money: Literal["string", "float"] = "string",
) -> Path:
    """Write ``frame`` as CSV, Parquet or Excel (``.xlsx``), chosen by the file extension.

    CSV and Excel: durations become seconds in a column named ``<name>_s``; money (Decimal)
    becomes exact strings (``money="string"``) or floats (``money="float"``, convenient for
    spreadsheet sums, rounded like any float). Parquet keeps every dtype as it is.

    Excel has no time zones: a zoned datetime column is written as local wall time (naive)
    under the header ``<name> (<zone>)``, e.g. ``call_start (America/New_York)``. CSV keeps
    the zone in each value (ISO 8601 with its offset).

    Example:
        >>> import tempfile, datetime
        >>> out = Path(tempfile.mkdtemp()) / "x.csv"
        >>> _ = write_frame(pl.DataFrame({"d": [datetime.timedelta(seconds=90)]}), out)
        >>> out.read_text().splitlines()
        ['d_s', '90.0']
    """
    if money not in ("string", "float"):
        raise ValueError(f"money must be 'string' or 'float', not {money!r}")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(f"{target}: choose a file name ending in .csv, .parquet or .xlsx")
    data = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        data.write_parquet(target)
    elif suffix == ".csv":
        _for_files(data, money).write_csv(target)
    else:
        _for_excel(_for_files(data, money)).write_excel(target, autofit=True)
    return target


def for_charts(frame):
    """The frame as charting libraries (Altair, Vega) take it: durations as minutes (Float64)
    and money (Decimal) as floats; column names and every other column unchanged.

    Eager in, eager out; lazy in, lazy out.

    Example:
        >>> import datetime
        >>> for_charts(pl.DataFrame({"wait": [datetime.timedelta(seconds=90)]}))["wait"][0]
        1.5
    """
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    converted = []
    for name, dtype in schema.items():
        if isinstance(dtype, pl.Duration):
            converted.append((pl.col(name).dt.total_milliseconds() / 60_000).alias(name))
        elif isinstance(dtype, pl.Decimal):
            converted.append(pl.col(name).cast(pl.Float64))
    return frame.with_columns(converted) if converted else frame

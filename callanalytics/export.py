"""Write typed frames to files analysts share: Parquet keeps every dtype; CSV cannot, so
durations are written as seconds and money as plain decimals."""

from __future__ import annotations

from pathlib import Path

import polars as pl

__all__ = ["write_frame"]


def write_frame(frame: pl.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as Parquet or CSV, chosen by the file extension.

    Example:
        >>> import tempfile, datetime
        >>> out = Path(tempfile.mkdtemp()) / "x.csv"
        >>> _ = write_frame(pl.DataFrame({"d": [datetime.timedelta(seconds=90)]}), out)
        >>> out.read_text().splitlines()
        ['d_seconds', '90.0']
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(target)
    elif suffix == ".csv":
        durations = [n for n, t in frame.schema.items() if isinstance(t, pl.Duration)]
        frame.with_columns(
            pl.col(n).dt.total_seconds(fractional=True).alias(f"{n}_seconds") for n in durations
        ).select(f"{n}_seconds" if n in durations else n for n in frame.columns).write_csv(target)
    else:
        raise ValueError(f"{target}: choose a .parquet or .csv file name")
    return target

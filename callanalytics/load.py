"""One door for notebooks: ``source`` is ``"sample"``, a file path, or ``"api"``.

Whatever the door, the result is the same typed frame, filtered to ``[start, end)`` in the
report's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from callanalytics.readers import read_dialer_results, read_leadflow_history
from callanalytics.sample import DEFAULT_START, sample_dialer_results, sample_leadflow_history
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Schema
from callanalytics.sources.windows import as_instant, within
from callanalytics.timezones import canonical_timezone

__all__ = ["default_range", "load_dialer_results", "load_leadflow_history", "parse_date"]

SAMPLE_DAYS = 14


def parse_date(value: date | str | None, name: str = "date") -> date | None:
    """An ISO date (``YYYY-MM-DD``) or None; anything else is a clear ValueError.

    Example:
        >>> parse_date("2024-11-01")
        datetime.date(2024, 11, 1)
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be an ISO date like 2024-11-01, not {value!r}") from None


def default_range(source: str, start: date | None, end: date | None) -> tuple[date, date]:
    """Fill in a missing start/end: the sample's window, or the last 7 days for real data.

    Example:
        >>> default_range("sample", None, None)
        (datetime.date(2024, 10, 28), datetime.date(2024, 11, 11))
    """
    if source == "sample":
        first = DEFAULT_START
        last = DEFAULT_START + timedelta(days=SAMPLE_DAYS)
    else:
        last = date.today()
        first = last - timedelta(days=7)
    start = start or (end - timedelta(days=7) if end and source != "sample" else first)
    end = end or last
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    return start, end


def _window(frame: pl.DataFrame, column: str, start: date, end: date, zone: str) -> pl.DataFrame:
    """Local days ``[start, end)``; rows whose time is null (a DST-gap time, already
    counted in a warning by the reader) are kept, not dropped."""
    return within(frame, column, as_instant(start, zone), as_instant(end, zone))


def _read_file(path: Path, schema: Schema, zone: str) -> pl.DataFrame:
    if path.suffix.lower() == ".parquet":
        frame = pl.read_parquet(path)
        missing = [c for c in schema.names if c not in frame.columns]
        if missing:
            raise ValueError(f"{path} is not Parquet of the {schema.title} (missing {missing[:5]})")
        return frame
    if schema is DIALER_RESULTS:
        return read_dialer_results(path, timezone=zone)
    return read_leadflow_history(path)


def load_dialer_results(
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    timezone: str = "America/New_York",
    campaigns: Sequence[str] = (),
) -> pl.DataFrame:
    """Dialer results from the sample, a saved file (CSV or Parquet) or the API, for
    ``[start, end)`` and, if given, only the ``campaigns`` named by id or name.

    Example:
        >>> calls = load_dialer_results("sample", "2024-11-01", "2024-11-02", campaigns=["10452"])
        >>> calls["campaign_id"].unique().to_list()
        ['10452']
    """
    zone = canonical_timezone(timezone)
    first, last = default_range(source, parse_date(start, "start"), parse_date(end, "end"))
    if source == "sample":
        frame = sample_dialer_results(start=DEFAULT_START, days=SAMPLE_DAYS, timezone=zone)
    elif source == "api":
        from callanalytics.sources.engage_voice import fetch_dialer_results

        frame = fetch_dialer_results(first, last, timezone=zone)
    else:
        frame = _read_file(Path(source), DIALER_RESULTS, zone)
    if source != "api":
        frame = _window(frame, "call_start", first, last, zone)
    if campaigns:
        wanted = [str(c) for c in campaigns]  # `-p campaigns=[10452]` arrives as numbers
        frame = frame.filter(
            pl.col("campaign_id").is_in(wanted) | pl.col("campaign_name").is_in(wanted)
        )
    return frame


def load_leadflow_history(
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    affiliates: Sequence[str] = (),
) -> pl.DataFrame:
    """LeadFlow history from the sample, a saved file (JSON, CSV or Parquet) or the API, for
    ``[start, end)`` and, if given, only the named ``affiliates``.

    Example:
        >>> load_leadflow_history("sample", "2024-11-01", "2024-11-02").height > 0
        True
    """
    zone = LEADFLOW_HISTORY.default_timezone
    first, last = default_range(source, parse_date(start, "start"), parse_date(end, "end"))
    if source == "sample":
        frame = sample_leadflow_history(start=DEFAULT_START, days=SAMPLE_DAYS)
    elif source == "api":
        from callanalytics.sources.leadflow import fetch_leadflow_history

        frame = fetch_leadflow_history(first, last)
    else:
        frame = _read_file(Path(source), LEADFLOW_HISTORY, zone)
    if source != "api":
        frame = _window(frame, "call_date", first, last, zone)
    if affiliates:
        frame = frame.filter(pl.col("affiliate").is_in([str(a) for a in affiliates]))
    return frame

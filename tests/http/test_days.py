"""The day-cache loop both clients share (``sources/days.py``), without HTTP: a fake fetch
records the windows it is asked for and answers rows written here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from callanalytics.cache import DayCache
from callanalytics.dates import as_instant
from callanalytics.schema import LEADFLOW_HISTORY
from callanalytics.sources.days import fetch_days
from callanalytics.sources.windows import Window, day_windows

ZONE = LEADFLOW_HISTORY.default_timezone
SCHEMA = LEADFLOW_HISTORY.polars_schema()


def rows(*calls: tuple[str, datetime | None]) -> pl.DataFrame:
    """A typed LeadFlow frame with these (sid, call_date) rows and nulls elsewhere."""
    given = pl.DataFrame(
        {"sid": [sid for sid, _ in calls], "call_date": [moment for _, moment in calls]},
        schema={"sid": pl.String, "call_date": SCHEMA["call_date"]},
    )
    return given.select(
        given[name] if name in given.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in SCHEMA.items()
    )


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE))


class FakeApi:
    """Answers every call in ``calls`` that a window asks for, plus the rows in ``extra``
    whatever the window (an API that treats the end as inclusive, or sends null dates)."""

    def __init__(self, calls, extra=()):
        self.calls, self.extra, self.asked = calls, list(extra), []

    def __call__(self, window: Window) -> pl.DataFrame:
        self.asked.append((window.start, window.end, window.day))
        inside = [c for c in self.calls if window.start <= c[1] <= window.end]
        return rows(*inside, *self.extra)


def days(start: str, end: str) -> list[Window]:
    return list(day_windows(as_instant(start, ZONE), as_instant(end, ZONE), ZONE))


CALLS = [(f"s{day}", local(f"2024-11-{day:02d}T12:00")) for day in range(1, 13)]
CALLS.insert(3, ("midnight", local("2024-11-04T00:00")))  # the end of one run, start of the next


def test_runs_of_at_most_seven_days_split_back_into_days_and_cached(tmp_path):
    cache = DayCache(tmp_path, LEADFLOW_HISTORY, {}, source={"base_url": "x"}, timezone=ZONE)
    api = FakeApi(CALLS, extra=[("no-date", None)])
    frame = fetch_days(
        days("2024-10-29", "2024-11-12"),
        api,
        column="call_date",
        schema=SCHEMA,
        cache=cache,
        most_days=7,
    )
    # 14 days around the fall-back: 6 days (the 7th would make 169 hours), then 7, then 1.
    assert [(s.date().isoformat(), e.date().isoformat()) for s, e, _ in api.asked] == [
        ("2024-10-29", "2024-11-04"),
        ("2024-11-04", "2024-11-11"),
        ("2024-11-11", "2024-11-12"),
    ]
    assert [day for _, _, day in api.asked] == [None, None, date(2024, 11, 11)]
    # each call once, in day order (the end-inclusive copy of midnight dropped from run one);
    # each run's null-date row stays with the run's first day
    assert frame.get_column("sid").to_list() == [
        "no-date", "s1", "s2", "s3", "midnight", "s4", "no-date", "s5", "s6", "s7", "s8", "s9",
        "s10", "s11", "no-date",
    ]  # fmt: skip
    assert cache.get(date(2024, 10, 29)).get_column("sid").to_list() == ["no-date"]
    assert cache.get(date(2024, 11, 4)).get_column("sid").to_list() == ["midnight", "s4", "no-date"]
    assert cache.get(date(2024, 11, 5)).get_column("sid").to_list() == ["s5"]

    again = FakeApi(CALLS)
    second = fetch_days(
        days("2024-10-29", "2024-11-13"),
        again,
        column="call_date",
        schema=SCHEMA,
        cache=cache,
        most_days=7,
    )
    assert [(s.date().isoformat(), e.date().isoformat()) for s, e, _ in again.asked] == [
        ("2024-11-12", "2024-11-13")
    ]
    assert second.get_column("sid").to_list()[-3:] == ["s11", "no-date", "s12"]
    assert second.height == frame.height + 1


def test_one_day_per_request_and_an_incomplete_day_is_not_cached(tmp_path):
    cache = DayCache(tmp_path, LEADFLOW_HISTORY, {}, timezone=ZONE)
    windows = list(day_windows(local("2024-11-01T00:00"), local("2024-11-03T06:00"), ZONE))
    api = FakeApi([*CALLS, ("edge", local("2024-11-02T00:00"))])
    frame = fetch_days(windows, api, column="call_date", schema=SCHEMA, cache=cache)
    assert [day for _, _, day in api.asked] == [date(2024, 11, d) for d in (1, 2, 3)]
    # "edge" came back for the first day too (end inclusive): kept once, on its own day
    assert frame.get_column("sid").to_list() == ["s1", "s2", "edge"]
    assert cache.get(date(2024, 11, 2)) is not None
    assert not cache.path(date(2024, 11, 3)).exists()


@pytest.mark.parametrize("cache", [None, "on"])
def test_no_days_is_the_typed_empty_frame(tmp_path, cache):
    day_cache = DayCache(tmp_path, LEADFLOW_HISTORY, {}, timezone=ZONE) if cache else None
    api = FakeApi(CALLS)
    frame = fetch_days([], api, column="call_date", schema=SCHEMA, cache=day_cache)
    assert frame.height == 0 and frame.schema == SCHEMA
    assert api.asked == []

"""The offset table: localizing a wall clock and finding the repeated hour by binary search
agree with polars' own time-zone rules, second by second around every change."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callanalytics.schema.offsets import _transitions, in_repeated_hour, localize

#: Zones with unusual changes: half-hour DST (Lord Howe), a skipped day (Apia 2011), negative
#: DST (Dublin, Casablanca), a two-hour DST (Troll), rules that changed often (Gaza).
ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Pacific/Apia",
    "Europe/Dublin",
    "Africa/Casablanca",
    "America/St_Johns",
    "Antarctica/Troll",
    "Asia/Gaza",
    "Asia/Kolkata",
    "UTC",
]


def _polars_rules(wall: pl.Expr, zone: str) -> pl.Expr:
    return wall.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")


def _around_every_change(zone: str) -> pl.Series:
    """Wall-clock times a second either side of each local edge of every offset change, and
    every minute from an hour before to an hour after."""
    points = []
    for at, before, after in _transitions(zone).drop_nulls("at").iter_rows():
        for edge in (at + before, at + after):
            points += [edge - 1_000_000, edge, edge + 1_000_000]
        low, high = at + min(before, after) - 3_600_000_000, at + max(before, after)
        points += range(low, high + 3_600_000_000, 60_000_000)
    return pl.Series(points, dtype=pl.Int64).cast(pl.Datetime("us"))


@pytest.mark.parametrize("zone", [z for z in ZONES if z != "UTC"])  # UTC never changes
def test_localize_agrees_with_polars_around_every_offset_change(zone):
    frame = pl.DataFrame({"wall": _around_every_change(zone)})
    out = frame.select(
        ours=localize(pl.col("wall"), zone), polars=_polars_rules(pl.col("wall"), zone)
    )
    assert out.height > 0
    assert out.filter(~pl.col("ours").eq_missing(pl.col("polars"))).height == 0


@given(
    st.lists(
        st.datetimes(min_value=datetime(1850, 1, 1), max_value=datetime(2250, 1, 1)),
        min_size=1,
        max_size=50,
    ),
    st.sampled_from(ZONES),
)
@settings(max_examples=200, deadline=None)
def test_localize_agrees_with_polars_anywhere(walls, zone):
    # Outside 1900-2200 the table hands over to polars' rules: both sides of that edge too.
    frame = pl.DataFrame({"wall": pl.Series(walls, dtype=pl.Datetime("us"))})
    out = frame.select(
        ours=localize(pl.col("wall"), zone), polars=_polars_rules(pl.col("wall"), zone)
    )
    assert out["ours"].to_list() == out["polars"].to_list()
    assert out["ours"].dtype == pl.Datetime("us", zone)


def test_the_skipped_hour_is_null_and_the_repeated_hour_reads_as_the_earlier_instant():
    zone = "America/New_York"
    walls = pl.Series([datetime(2024, 3, 10, 2, 30), datetime(2024, 11, 3, 1, 30)])
    out = pl.select(t=localize(pl.lit(walls), zone)).to_series()
    assert out[0] is None
    assert out[1].utcoffset().total_seconds() == -4 * 3600  # EDT: the earlier 1:30
    assert pl.select(in_repeated_hour(pl.lit(out), zone)).to_series().to_list() == [False, True]

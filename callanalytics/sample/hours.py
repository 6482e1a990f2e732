"""The floor's dialing hours: wall clocks in the dialer's and each lead's zone, and waits
counted in dialing seconds, so that every dial falls inside its lead's calling hours.

The hours (9:05–19:55 lead-local, Sundays from 12:05) sit inside every sample state's
window: Texas starts at 9:00, and at noon on Sundays; Florida ends at 20:00.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl

from callanalytics.sample.window import Window

OPEN = 9 * 3600 + 5 * 60
SUNDAY_OPEN = 12 * 3600 + 5 * 60
CLOSE = 19 * 3600 + 55 * 60
FIRST_DAY = -2  # lead-local days before ``start`` the dialing calendar covers


def lead_wall(
    seconds: np.ndarray, lead_zone: np.ndarray, window: Window, *, to_lead: bool
) -> np.ndarray:
    """Seconds after ``start`` midnight on the dialer's wall clock as seconds on each lead's
    wall clock, or back (``to_lead=False``). A time in a spring-forward gap moves an hour
    later, as on the dialer's clock.

    Example:
        >>> window = Window.of("2024-10-28", 14, "America/New_York")
        >>> lead_wall(np.array([43_200]), np.array(["America/Chicago"]), window, to_lead=True)
        array([39600])
    """
    base = window.midnight
    out = np.asarray(seconds, dtype=np.int64).copy()
    for lead_tz in np.unique(lead_zone):
        mask = lead_zone == lead_tz
        naive = pl.Series(out[mask] * 1_000_000).cast(pl.Duration("us")) + base
        src, dst = (window.zone, lead_tz) if to_lead else (lead_tz, window.zone)

        def moved(wall: pl.Series, src: str = src, dst: str = dst) -> pl.Series:
            local = wall.dt.replace_time_zone(src, ambiguous="earliest", non_existent="null")
            return local.dt.convert_time_zone(dst).dt.replace_time_zone(None)

        there = moved(naive).fill_null(moved(naive + timedelta(hours=1)))
        out[mask] = (there - base).dt.total_seconds().to_numpy()
    return out


def _calendar(window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Each lead-local day's opening (seconds after midnight) and the dialing seconds
    before it, from ``FIRST_DAY`` to well after the window."""
    count = window.days + 60 - FIRST_DAY
    weekday = (window.start.weekday() + np.arange(FIRST_DAY, FIRST_DAY + count)) % 7
    opens = np.where(weekday == 6, SUNDAY_OPEN, OPEN)
    before = np.concatenate([[0], np.cumsum(CLOSE - opens)[:-1]])
    return opens, before


def _to_business(local: np.ndarray, window: Window) -> np.ndarray:
    """Wall-clock seconds to seconds of dialing time (a time outside hours: the next open)."""
    opens, before = _calendar(window)
    day, time = np.divmod(local, 86_400)
    day = np.clip(day - FIRST_DAY, 0, len(opens) - 1)
    return before[day] + np.clip(time - opens[day], 0, CLOSE - opens[day])


def _from_business(position: np.ndarray, window: Window) -> np.ndarray:
    opens, before = _calendar(window)
    day = np.clip(np.searchsorted(before, position, side="right") - 1, 0, len(opens) - 1)
    return (day + FIRST_DAY) * 86_400 + opens[day] + (position - before[day])


def fit_window(
    upload: np.ndarray, waited: np.ndarray, lead: np.ndarray, lead_zone: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Waits shortened, in proportion, for leads whose last pass would fall after the
    window, so that every dial is inside it and a lead's passes keep their order; and
    which rows' leads were shortened."""
    position = _to_business(lead_wall(upload, lead_zone, window, to_lead=True), window)
    end = np.full(len(lead), window.days * 86_400 - 600, dtype=np.int64)
    room = _to_business(lead_wall(end, lead_zone, window, to_lead=True), window)
    room = np.maximum(room - 60 - position, 0)  # the last dial a minute before closing
    longest = np.zeros(int(lead.max()) + 1 if len(lead) else 0, dtype=np.int64)
    np.maximum.at(longest, lead, waited)
    longest = longest[lead]
    over = longest > room
    scaled = (waited * (room / np.maximum(longest, 1))).astype(np.int64)
    return np.where(over, scaled, waited), over


def dialing_hours(
    upload: np.ndarray, waited: np.ndarray, lead_zone: np.ndarray, window: Window
) -> np.ndarray:
    """When each dial happens on the dialer's wall clock: ``waited`` seconds of dialing time
    after its lead's upload, within the lead's calling hours. A lead's later passes may fall
    after the window, as they would in a real export of the window's leads."""
    position = _to_business(lead_wall(upload, lead_zone, window, to_lead=True), window)
    local = _from_business(position + np.asarray(waited, dtype=np.int64), window)
    return lead_wall(local, lead_zone, window, to_lead=False)


def local_text(naive: pl.Series, zone: str) -> pl.Series:
    """Wall-clock text in ``zone``; a time in the spring-forward gap moves an hour later.

    Example:
        >>> from datetime import datetime
        >>> local_text(pl.Series([datetime(2025, 3, 9, 2, 30)]), "America/New_York").to_list()
        ['2025-03-09 03:30:00']
    """
    local = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    shifted = (naive + timedelta(hours=1)).dt.replace_time_zone(
        zone, ambiguous="earliest", non_existent="null"
    )
    return local.fill_null(shifted).dt.strftime("%Y-%m-%d %H:%M:%S")

"""The days a sample covers and the options both generators take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict

import numpy as np
import polars as pl

from callanalytics.dates import parse_date

#: The default window starts a week before the 2024 US fall-back (3 Nov) and spans it.
DEFAULT_START = date(2024, 10, 28)


class LeadflowOptions(TypedDict, total=False):
    """The keyword options of ``sample_leadflow_history`` (all optional)."""

    start: date | str
    days: int
    seed: int


class DialerOptions(LeadflowOptions, total=False):
    """The keyword options of ``sample_dialer_results``: LeadFlow's and two more."""

    timezone: str
    leadflow_n: int


@dataclass(frozen=True)
class Window:
    """``days`` days from ``start`` midnight on the wall clock of ``zone``.

    Times inside a generator are whole seconds after ``start`` midnight on that wall clock.

    Example:
        >>> window = Window.of("2024-10-28", 14, "America/New_York")
        >>> window.wall_clock([90]).to_list()
        [datetime.datetime(2024, 10, 28, 0, 1, 30)]
    """

    start: date
    days: int
    zone: str

    @classmethod
    def of(cls, start: date | str, days: int, zone: str) -> Window:
        """A window from a date or an ISO date string (a ValueError names ``start``)."""
        first = parse_date(start, "start")
        if first is None:
            raise ValueError("start must be an ISO date like 2024-11-01, not empty")
        return cls(first, days, zone)

    @property
    def midnight(self) -> datetime:
        """``start`` midnight, naive: the zero of the generators' seconds."""
        return datetime(self.start.year, self.start.month, self.start.day)

    def wall_clock(self, seconds: np.ndarray | list[int]) -> pl.Series:
        """Seconds after ``start`` midnight as naive wall-clock datetimes."""
        base = self.midnight
        return pl.Series(base + timedelta(seconds=int(s)) for s in seconds)

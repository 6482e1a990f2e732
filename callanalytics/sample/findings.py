"""The findings planted in samples of at least :data:`FINDINGS_FROM` rows, for the compliance
and data-quality reports to find; each drawn from its own random stream, so that the rest of
a sample is the same with or without them.

Dialer: four dials just outside calling hours (New York 21:05, California 07:45, Florida
20:15, a Texas Sunday 11:30), one Florida number dialled four times in 24 hours, two redials
after "Do Not Call", two leads with no zone, state or ZIP, two callIDs sent twice, agent
fields on two unanswered calls, three leads connected "before" their first dial, a dial
before its upload, a negative duration and a 13-hour hold. LeadFlow: two rows each of talk >
total, a wrong ``call_duration``, a wrong ``talk_minutes``, a paid call recorded as a
hang-up and ``state`` ≠ ``lf_state``, and one ``sid`` twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from callanalytics.sample.hours import dialing_hours, lead_wall
from callanalytics.sample.pools import place_column
from callanalytics.sample.window import Window

if TYPE_CHECKING:
    from callanalytics.sample.floor import Floor
    from callanalytics.sample.schedule import Schedule

#: Samples of at least this many dials carry a few planted compliance and data-quality
#: findings (smaller ones stay clean, for tests that build on them).
FINDINGS_FROM = 1_000
# Dials moved just outside the lead's calling hours: state, hour, minute, on a Sunday.
_OUTSIDE_HOURS = (
    ("NY", 21, 5, False),
    ("CA", 7, 45, False),
    ("FL", 20, 15, False),
    ("TX", 11, 30, True),
)


class DialerFindings:
    """The findings planted in one dialer sample of ``n`` dials (none below FINDINGS_FROM:
    then every method leaves its input as the clean generator made it)."""

    def __init__(self, n: int, seed: int) -> None:
        self.planted = n >= FINDINGS_FROM
        self._seed = seed
        self._rng = np.random.default_rng([seed, 1313])

    def dials_outside_hours(self, plan: Schedule, window: Window) -> np.ndarray:
        """The dial times with four dials just outside calling hours and one Florida lead
        dialled four times in 24 hours. Only a lead's last pass moves, and only later, so
        its passes stay in order."""
        if not self.planted:
            return plan.offset
        draw = np.random.default_rng([self._seed, 1313, 1])  # varies with the callbacks
        lead, pass_no, zones = plan.lead, plan.pass_no, plan.lead_zone
        offset = plan.offset.copy()
        codes = place_column(plan.state_of, 0)
        last_pass = (pass_no == plan.passes[lead]) & (pass_no > 1)
        # Florida: one lead of four passes dialled an hour of dialing time apart.
        for row in draw.permutation(np.flatnonzero((codes == "FL") & (pass_no == 4) & last_pass)):
            rows = np.flatnonzero(lead == lead[row])
            hurried = plan.waited[rows[0]] + (pass_no[rows] - 1) * 3600
            offset[rows] = dialing_hours(plan.upload_sec[lead[rows]], hurried, zones[rows], window)
            last_pass[rows] = False  # not moved again below
            break
        local = lead_wall(offset, zones, window, to_lead=True)
        for state, hour, minute, sunday in _OUTSIDE_HOURS:
            for row in draw.permutation(np.flatnonzero(last_pass & (codes == state))):
                day = int(local[row] // 86_400) + (0 if hour >= 12 else 1)
                if sunday:
                    day += (6 - (window.midnight + timedelta(days=day)).weekday()) % 7
                target = day * 86_400 + hour * 3600 + minute * 60
                if local[row] < target < (window.days - 1) * 86_400:
                    moved = lead_wall(np.array([target]), zones[[row]], window, to_lead=False)
                    offset[row] = moved[0]
                    break
        return offset

    def do_not_call(
        self, disposition: np.ndarray, answered: np.ndarray, lead: np.ndarray
    ) -> np.ndarray:
        """A "Do Not Call" request ends a lead's dialing: such a request on a pass that has
        later passes becomes "Not Interested", except for two leads (planted)."""
        disposition = disposition.copy()
        request = answered & (disposition == "Do Not Call")
        later = np.r_[lead[1:] == lead[:-1], False]  # the next row is the lead's next pass
        redialed = np.flatnonzero(request & later)
        keep = (
            self._rng.choice(redialed, size=min(2, len(redialed)), replace=False)
            if self.planted
            else []
        )
        disposition[np.setdiff1d(redialed, keep)] = "Not Interested"
        return disposition

    def agents_on_unanswered(self, has_agent: np.ndarray, system: np.ndarray) -> None:
        """Agent fields on two calls no person answered (``has_agent`` in place)."""
        if self.planted:
            unanswered = np.flatnonzero(np.isin(system, ["MACHINE", "NOANSWER"]))
            has_agent[self._rng.choice(unanswered, size=2, replace=False)] = True

    def records(self, floor: Floor, lead: np.ndarray, offset: np.ndarray) -> None:
        """In place: three leads connected "before" their first dial, one dial before its
        list's upload, one negative duration, one hold over 12 hours."""
        if not self.planted:
            return
        quiet = np.flatnonzero(floor.system == "NOANSWER")
        negative, on_hold, early = self._rng.choice(quiet, size=3, replace=False)
        floor.talk_ms[negative] = -30_000
        floor.hold_ms[on_hold] = 13 * 3_600_000
        floor.upload_at[early] = offset[early] + 2 * 3600
        planted = 0
        conn, seen = floor.conn, floor.speed_seen
        for row in self._rng.permutation(np.flatnonzero(floor.answered & (seen > 60))):
            if planted < 3 and conn[row] >= seen[row]:
                conn[lead == lead[row]] = seen[row] - 45
                planted += 1

    def located(self, lead: np.ndarray) -> np.ndarray:
        """Which rows' leads have a zone, a state and a ZIP (all but two leads, planted)."""
        located = np.ones(len(lead), dtype=bool)
        if self.planted:
            located[np.isin(lead, self._rng.choice(np.unique(lead), size=2, replace=False))] = False
        return located

    def sent_twice(self, typed: pl.DataFrame) -> pl.DataFrame:
        """Two dials sent twice: the same row, callID and all, under the next row's ID."""
        if not self.planted:
            return typed
        twice = np.random.default_rng([self._seed, 1313, 2])  # not after draws that vary by row
        for i in np.sort(twice.choice((typed.height - 1) // 2, size=2, replace=False)) * 2:
            copy = typed[i : i + 1].with_columns(typed[i + 1 : i + 2].select("ID"))
            typed = pl.concat([typed[: i + 1], copy, typed[i + 2 :]])
        return typed


@dataclass
class LeadflowRecords:
    """The LeadFlow columns the planted findings touch, one entry per call; the minutes are
    derived from the seconds (``call_duration`` in whole minutes, the others in tenths)."""

    status: np.ndarray
    affiliate_qualified: np.ndarray
    offer_qualified: np.ndarray
    talk_s: np.ndarray
    total_s: np.ndarray
    state: np.ndarray  # the looked-up state
    looked_up: np.ndarray  # whether the caller's name and address were looked up
    sid: np.ndarray
    minutes: np.ndarray = field(init=False)
    talk_tenths: np.ndarray = field(init=False)
    total_tenths: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.status = self.status.copy()
        self.minutes = np.ceil(self.total_s / 60).astype(np.int64)
        self.talk_tenths = np.ceil(self.talk_s / 6).astype(np.int64)
        self.total_tenths = np.ceil(self.total_s / 6).astype(np.int64)


def plant_leadflow_findings(calls: LeadflowRecords, seed: int) -> None:
    """In place, for samples of at least FINDINGS_FROM calls: two paid calls (no offer
    revenue) recorded as hang-ups, not Connected; two rows each of talk > total, a wrong
    ``call_duration``, a wrong ``talk_minutes`` and a looked-up state other than LeadFlow's;
    one ``sid`` twice."""
    n = len(calls.sid)
    if n < FINDINGS_FROM:
        return
    plant = np.random.default_rng([seed, 1717])
    paid = np.flatnonzero(calls.affiliate_qualified & ~calls.offer_qualified)
    calls.status[plant.choice(paid, size=min(2, len(paid)), replace=False)] = "Hang Up"
    over, long, tenths, moved, twice = np.split(
        plant.choice(n, size=9, replace=False), [2, 4, 6, 8]
    )
    calls.talk_s[over] = calls.total_s[over] + 12
    calls.talk_tenths[over] = np.ceil(calls.talk_s[over] / 6).astype(np.int64)
    calls.minutes[long] += 1
    calls.talk_tenths[tenths] += 10  # talk_minutes a minute off its seconds
    calls.state[moved] = np.where(calls.state[moved] == "TX", "OK", "TX")
    calls.looked_up[moved] = True
    calls.sid[twice] = calls.sid[twice - 1 if twice[0] else twice + 1]

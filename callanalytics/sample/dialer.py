"""The Dialer Result Download sample: dial attempts of four campaigns by agents of different
skill, written as Engage sends the CSV and read back through the reader."""

from __future__ import annotations

from datetime import date
from typing import Literal, Unpack, overload

import numpy as np
import polars as pl

from callanalytics.readers import read_dialer_results
from callanalytics.sample.findings import DialerFindings
from callanalytics.sample.floor import Floor, work_the_floor
from callanalytics.sample.hours import local_text
from callanalytics.sample.pools import (
    CAMPAIGNS,
    FIRST_NAMES,
    LAST_NAMES,
    choice,
    digits,
    phones,
    place_column,
)
from callanalytics.sample.schedule import Schedule, schedule
from callanalytics.sample.window import DEFAULT_START, DialerOptions, Window
from callanalytics.sample.wire import (
    in_schema_order,
    milliseconds,
    no_rows,
    rows,
    to_csv,
    to_text,
    typed_frame,
)
from callanalytics.schema import DIALER_RESULTS
from callanalytics.timezones import canonical_timezone


@overload
def sample_dialer_results(
    n: int = ..., *, raw: Literal[False] = ..., **options: Unpack[DialerOptions]
) -> pl.DataFrame: ...
@overload
def sample_dialer_results(
    n: int = ..., *, raw: Literal[True], **options: Unpack[DialerOptions]
) -> bytes: ...
def sample_dialer_results(
    n: int = 5_000,
    *,
    start: date | str = DEFAULT_START,
    days: int = 14,
    seed: int = 0,
    timezone: str = "America/New_York",
    leadflow_n: int = 3_000,
    raw: bool = False,
) -> pl.DataFrame | bytes:
    """A synthetic Dialer Result Download of ``n`` dial attempts over ``days`` days.

    Some leads are callers of ``sample_leadflow_history(leadflow_n, start=start, days=days,
    seed=seed)`` being called back (``leadflow_n=0``: none), so the two samples can be
    joined with :func:`callanalytics.metrics.lead_funnel`.

    Returns the typed frame (exactly what ``read_dialer_results`` returns for it), or with
    ``raw=True`` the CSV bytes as the API sends them (every field quoted).

    Example:
        >>> frame = sample_dialer_results(n=200, seed=1)
        >>> frame.height, frame["pass_disposition"].dtype.categories.to_list()[:3]
        (200, ['ANSWER', 'NOANSWER', 'MACHINE'])
    """
    window = Window.of(start, days, canonical_timezone(timezone))
    text = dialer_text(n, window, seed, leadflow_n) if rows(n) else no_rows(DIALER_RESULTS)
    data = to_csv(text)
    return data if raw else read_dialer_results(data, timezone=window.zone)


def dialer_text(n: int, window: Window, seed: int, leadflow_n: int = 0) -> pl.DataFrame:
    """The sample's dials as wire text, in the schema's column order."""
    rng = np.random.default_rng(seed)
    plan = schedule(rng, n, window, seed, leadflow_n)
    planted = DialerFindings(n, seed)
    plan.offset = planted.dials_outside_hours(plan, window)
    floor = work_the_floor(rng, plan, planted)
    typed = planted.sent_twice(_columns(rng, plan, floor, planted, window))
    typed = typed.sort("call_start_naive", maintain_order=True)
    text = to_text(typed.drop("call_start_naive", "upload_naive"), DIALER_RESULTS)
    start_text = local_text(typed["call_start_naive"], window.zone)
    # The UII's first 14 digits are the call's start time.
    text = text.with_columns(
        call_start=start_text,
        upload_date=local_text(typed["upload_naive"], window.zone),
        callID=pl.concat_str(start_text.str.replace_all(r"\D", ""), pl.col("callID")),
        # Engage's clocks: speed to lead sometimes as bare seconds, sometimes HH:MM:SS.
        speed_to_lead_first_pass=pl.when(pl.int_range(pl.len()) % 3 == 0)
        .then(typed["speed_to_lead_first_pass"].dt.total_seconds().cast(pl.String))
        .otherwise(pl.col("speed_to_lead_first_pass")),
    )
    return in_schema_order(text, DIALER_RESULTS)


def _columns(
    rng: np.random.Generator, plan: Schedule, floor: Floor, planted: DialerFindings, window: Window
) -> pl.DataFrame:
    """The typed columns the generator has a rule for (the draws in a fixed order), with the
    start and upload times as naive wall-clock datetimes."""
    lead, answered, has_agent, agent = plan.lead, floor.answered, floor.has_agent, floor.agent
    n, n_leads = len(lead), plan.n_leads
    states = place_column(plan.state_of, 0)
    located = planted.located(lead)
    lead_phones, aux_phones = plan.numbers(phones(rng, n_leads))
    first = choice(rng, FIRST_NAMES, n_leads)[lead]
    last = choice(rng, LAST_NAMES, n_leads)[lead]
    campaign = plan.campaign_of[lead]
    campaign_name = np.array([CAMPAIGNS[c][1] for c in campaign])
    uii_tail = digits(rng, n, 16)
    international = rng.random(n) < 0.01
    transferred = floor.transferred

    def per_lead(values: list, weights: list[float] | None = None) -> np.ndarray:
        return choice(rng, values, n_leads, weights)[lead]

    def agent_field(values: np.ndarray) -> np.ndarray:
        return np.where(has_agent, values, None)

    return typed_frame(
        {
            "call_start_naive": window.wall_clock(plan.offset),
            "callID": uii_tail,
            "ID": np.char.zfill((np.arange(n) + 880_000_001).astype(str), 12),
            "campaign_id": np.array([CAMPAIGNS[c][0] for c in campaign]),
            "campaign_name": campaign_name,
            "country_name": np.where(international, "Canada", "USA"),
            "lead_phone": lead_phones[lead],
            "lead_state": np.where(located, states, None),
            "lead_timezone": np.where(located, place_column(plan.state_of, 1), None),
            "title": per_lead(["Mr.", "Ms.", "Mrs.", "Dr.", None]),
            "first_name": first,
            "mid_name": per_lead(["A.", "J.", None, None, None]),
            "last_name": last,
            "suffix": per_lead(["Jr.", None, None, None, None, None, None]),
            "address1": np.char.add(
                rng.integers(1, 9999, n_leads).astype(str), ' Main St, Apt "B"'
            )[lead],
            "address2": per_lead(["Unit 2", None, None]),
            "city": place_column(plan.state_of, 3),
            "state": np.where(located, states, None),
            "zip": np.where(
                located, np.char.add(place_column(plan.state_of, 2), digits(rng, n, 2)), None
            ),
            "lead_passes": plan.pass_no,
            "pass_disposition": floor.system,
            "agent_disposition": np.where(answered, floor.agent_disposition, None),
            "duration": milliseconds(floor.talk_ms),
            "agent_notes": np.where(
                answered & (rng.random(n) < 0.3), "Asked about pricing,\nwants a call back", None
            ),
            "agent_id": agent_field(np.char.add("00", (agent + 1071).astype(str))),
            "extern_agent_id": agent_field(np.char.add("EXT-", (agent + 1).astype(str))),
            "username": agent_field(np.char.add("agent", (agent + 1).astype(str))),
            "agent_first_name": agent_field(np.asarray(FIRST_NAMES, dtype=object)[agent % 16]),
            "agent_last_name": agent_field(np.asarray(LAST_NAMES, dtype=object)[(agent * 7) % 16]),
            "loaded_caller_id": np.char.add(
                "617555", np.char.zfill((campaign + 100).astype(str), 4)
            ),
            "on_hold": milliseconds(floor.hold_ms),
            "dial_type": choice(rng, ["PREDICTIVE", "POWER", "PREVIEW"], n, [0.7, 0.2, 0.1]),
            "billing_code": None,
            "aux_data1": per_lead(["web", "tv", "radio", "referral"]),
            "aux_data2": None,
            "aux_data3": None,
            "aux_data4": None,
            "aux_data5": None,
            "aux_phone": aux_phones[lead],
            "upload_naive": window.wall_clock(floor.upload_at),
            "list_state": "ACTIVE",
            "list_desc": np.array([name + " list" for name in campaign_name]),
            "recording_url": np.where(
                answered, np.char.add("https://recordings.example.com/", uii_tail), None
            ),
            "term_session": np.where(answered, choice(rng, ["AGENT", "CALLER"], n), "SYSTEM"),
            "email": np.char.add(np.char.lower(last.astype(str)), "@example.com"),
            "gate_keeper": None,
            "live_answer_message": None,
            "mach_answer_message": np.where(floor.system == "MACHINE", "vm_drop_01.wav", None),
            "int_prefix": np.where(international, "011", None),
            "int_dest": np.where(international, "Canada", None),
            "int_cost": np.where(
                international, np.char.add("0.0", rng.integers(100, 999, n).astype(str)), None
            ),
            "transfer_phone": np.where(transferred, "8005550100", None),
            "transfer_disp": np.where(
                transferred, choice(rng, ["ANSWER", "NOANSWER"], n, [0.85, 0.15]), None
            ),
            "transfer_duration": milliseconds(rng.integers(30, 900, n) * 1000, transferred),
            "transfer_type": np.where(transferred, choice(rng, ["WARM", "COLD"], n), None),
            "speed_to_lead_first_pass": milliseconds(floor.speed_seen * 1000),
            "speed_to_lead_agent_conn": milliseconds(floor.conn * 1000, floor.conn >= 0),
            "dial_duration": milliseconds(floor.dial_ms),
            "agent_wait_time": milliseconds(floor.wait_ms, has_agent),
            "agent_wrap_time": milliseconds(floor.wrap_ms, has_agent),
            "transfer_dial_duration": milliseconds(rng.integers(2, 20, n) * 1000, transferred),
            "dial_group_id": np.array([str(2000 + c) for c in campaign]),
            "dial_group_name": np.array(
                [CAMPAIGNS[c][1].split()[0] + " dial group" for c in campaign]
            ),
        }
    )

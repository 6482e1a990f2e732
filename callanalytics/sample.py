"""Realistic synthetic reports, so everything runs with no account.

Each generator draws plausible values (dispositions in realistic proportions, agents of
different skill, speed to lead from seconds to days, affiliates with different qualification
rates and prices, negative margins, repeat callers, calls across a DST change), writes them
in the wire format with the schema's column kinds, and reads them back with the same casts
the readers use. ``raw=True`` returns the bytes exactly as the API would send them.

The two samples overlap the way a business running both sees it: about half of the unsold
LeadFlow callers (not offer-qualified) of the LeadFlow sample with the same ``seed``,
``start`` and ``days`` reappear as dialer leads, their numbers written the way list owners
write them (``"(617) 555-0100"``, ``"+1 617 555 0100"``, sometimes as the lead's
``aux_phone``), first dialed minutes to days after their call, and converting at a rate
that depends on the affiliate that brought them (:data:`CALLBACK_CONVERSION`). A few
LeadFlow caller IDs are withheld (``"Restricted"``) or a bare local number.

The floor dials inside each lead's calling hours (9:05–19:55 lead-local, Sundays from
12:05) and honours do-not-call requests; each campaign abandons about
:data:`ABANDON_RATES` of its live answers. Samples of at least :data:`FINDINGS_FROM` rows
carry a few planted findings for the compliance and data-quality reports: four dials just
outside hours (New York 21:05, California 07:45, Florida 20:15, a Texas Sunday 11:30), two
leads with no zone, state or ZIP, one Florida number dialled four times in 24 hours, two
redials after "Do Not Call", one campaign over the 3% abandonment safe harbour and one near
it; two callIDs sent twice, agent fields on two unanswered calls, three leads connected
"before" their first dial, a dial before its upload, a negative duration (-0.5 min) and a
13-hour hold; in LeadFlow two rows each of talk > total, a wrong ``call_duration``, a wrong
``talk_minutes``, a paid call recorded as a hang-up and ``state`` ≠ ``lf_state``, and one
``sid`` twice (a saved file keeps duplicates; the API client drops them).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal, overload

import numpy as np
import polars as pl

from callanalytics.dates import parse_date
from callanalytics.readers import read_dialer_results, read_leadflow_history
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Schema
from callanalytics.schema.kinds import Duration, Money
from callanalytics.timezones import canonical_timezone

__all__ = ["sample_dialer_results", "sample_leadflow_history", "write_sample_files"]

#: The default window starts a week before the 2024 US fall-back (3 Nov) and spans it.
DEFAULT_START = date(2024, 10, 28)

_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "María",
    "José",
    "Aaliyah",
    "Nguyễn",
    "Zoë",
    "O'Brien",
]
_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernández",
    "Lopez",
    "O'Neil",
    "Nguyen",
    "Kim",
    "Müller",
]
# state, time zone, ZIP prefixes (New England and New Jersey ZIPs start with a zero)
_STATES = [
    ("MA", "America/New_York", "021"),
    ("NJ", "America/New_York", "070"),
    ("NY", "America/New_York", "100"),
    ("FL", "America/New_York", "331"),
    ("TX", "America/Chicago", "750"),
    ("IL", "America/Chicago", "606"),
    ("CO", "America/Denver", "802"),
    ("AZ", "America/Phoenix", "850"),
    ("CA", "America/Los_Angeles", "900"),
    ("CT", "America/New_York", "061"),
]
_CITIES = [
    "Boston",
    "Newark",
    "New York",
    "Miami",
    "Dallas",
    "Chicago",
    "Denver",
    "Phoenix",
    "Los Angeles",
    "Hartford",
]
_CAMPAIGNS = [
    ("10452", "Medicare Advantage Q4"),
    ("10453", "Auto Insurance Renewals"),
    ("10471", "Solar Web Leads"),
    ("10488", "Debt Relief Inbound Callbacks"),
]
_AGENT_DISPOSITIONS = [
    "Sale",
    "Sale - Upsell",
    "Not Interested",
    "Callback Requested",
    "Do Not Call",
    "Wrong Number",
    "Left Voicemail",
]
_SYSTEM_WEIGHTS = {
    "NOANSWER": 0.34,
    "MACHINE": 0.24,
    "BUSY": 0.08,
    "INTERCEPT": 0.03,
    "CONGESTION": 0.02,
    "ABANDON": 0.05,
    "ANSWER-NOT-PERSON": 0.04,
}


@overload
def sample_dialer_results(
    n: int = ...,
    *,
    start: date | str = ...,
    days: int = ...,
    seed: int = ...,
    timezone: str = ...,
    leadflow_n: int = ...,
    raw: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def sample_dialer_results(
    n: int = ...,
    *,
    start: date | str = ...,
    days: int = ...,
    seed: int = ...,
    timezone: str = ...,
    leadflow_n: int = ...,
    raw: Literal[True],
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
    zone = canonical_timezone(timezone)
    text = _dialer_text(n, parse_date(start, "start"), days, seed, zone, leadflow_n)
    data = _to_csv(text)
    return data if raw else read_dialer_results(data, timezone=zone)


@overload
def sample_leadflow_history(
    n: int = ...,
    *,
    start: date | str = ...,
    days: int = ...,
    seed: int = ...,
    raw: Literal[False] = ...,
) -> pl.DataFrame: ...
@overload
def sample_leadflow_history(
    n: int = ...,
    *,
    start: date | str = ...,
    days: int = ...,
    seed: int = ...,
    raw: Literal[True],
) -> bytes: ...
def sample_leadflow_history(
    n: int = 3_000,
    *,
    start: date | str = DEFAULT_START,
    days: int = 14,
    seed: int = 0,
    raw: bool = False,
) -> pl.DataFrame | bytes:
    """A synthetic LeadFlow History response of ``n`` pay-per-call calls.

    With ``raw=True`` returns the JSON bytes as the API sends them: an object with the
    records under ``response``, numbers sometimes as JSON numbers, sometimes as strings.

    Example:
        >>> frame = sample_leadflow_history(n=100)
        >>> frame["margin"].dtype
        Decimal(precision=38, scale=2)
    """
    text = _leadflow_text(n, parse_date(start, "start"), days, seed)
    data = _to_json(text)
    return data if raw else read_leadflow_history(data)


def write_sample_files(
    directory: str | Path, *, n_dialer: int = 5_000, n_leadflow: int = 3_000, seed: int = 0
) -> dict[str, Path]:
    """Write both samples in their wire formats (CSV, JSON) and as Parquet.

    Returns the paths written, keyed ``dialer_csv``, ``dialer_parquet``, ``leadflow_json``
    and ``leadflow_parquet``. The dialer leads include callbacks of the LeadFlow callers.

    Example:
        >>> import tempfile
        >>> paths = write_sample_files(tempfile.mkdtemp(), n_dialer=50, n_leadflow=50)
        >>> sorted(paths)
        ['dialer_csv', 'dialer_parquet', 'leadflow_json', 'leadflow_parquet']
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "dialer_csv": out / "dialer_results.csv",
        "dialer_parquet": out / "dialer_results.parquet",
        "leadflow_json": out / "leadflow_history.json",
        "leadflow_parquet": out / "leadflow_history.parquet",
    }
    dialer = sample_dialer_results(n_dialer, seed=seed, leadflow_n=n_leadflow, raw=True)
    leadflow = sample_leadflow_history(n_leadflow, seed=seed, raw=True)
    paths["dialer_csv"].write_bytes(dialer)
    paths["leadflow_json"].write_bytes(leadflow)
    read_dialer_results(dialer).write_parquet(paths["dialer_parquet"])
    read_leadflow_history(leadflow).write_parquet(paths["leadflow_parquet"])
    return paths


# --- wire formats ---------------------------------------------------------------------------


def _to_csv(text: pl.DataFrame) -> bytes:
    """CSV the way Engage sends it: every field quoted, empty fields as ``""``."""
    return text.fill_null("").write_csv(quote_style="always").encode("utf-8")


def _numeric_columns(schema: Schema) -> set[str]:
    return {c.name for c in schema.columns if isinstance(c.kind, Money | Duration)}


def _to_json(text: pl.DataFrame) -> bytes:
    """JSON the way LeadFlow sends it; numbers alternate between JSON numbers and strings."""
    numeric = _numeric_columns(LEADFLOW_HISTORY)
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


def _in_schema_order(text: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """The wire columns in the schema's order; a column the generator has no rule for (one
    just added to the schema table) is sent empty, as the API sends a field it has no value
    for, so adding a column is one line in the schema.

    Example:
        >>> _in_schema_order(pl.DataFrame({"sid": ["1"]}), LEADFLOW_HISTORY).width
        34
    """
    return text.select(
        pl.col(name) if name in text.columns else pl.lit(None, dtype=pl.String).alias(name)
        for name in schema.names
    )


def _format(typed: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Typed columns to wire text with each column kind's ``format``."""
    return typed.select(
        schema[name].kind.format(pl.col(name)).alias(name) if name in schema.names else pl.col(name)
        for name in typed.columns
    )


# --- Dialer Result Download -----------------------------------------------------------------


def _choice(rng: np.random.Generator, values: list, size: int, p=None) -> np.ndarray:
    index = rng.choice(len(values), size=size, p=p)
    return np.asarray(values, dtype=object)[index]


def _digits(rng: np.random.Generator, size: int, width: int) -> np.ndarray:
    numbers = rng.integers(0, 10**width, size=size, dtype=np.int64)
    return np.char.zfill(numbers.astype(str), width)


def _frame(columns: dict[str, object]) -> pl.DataFrame:
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


def _ms(values: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    """Milliseconds as a Duration series, null where ``present`` is False."""
    series = pl.Series(np.asarray(values, dtype=np.int64)).cast(pl.Duration("ms"))
    if present is None:
        return series
    return pl.select(pl.when(pl.Series(present)).then(series)).to_series()


# Area codes in service, so every generated number is a valid one (phonenumbers agrees).
_AREA_CODES = np.array(
    """201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229 231
    234 239 240 248 251 252 253 254 256 260 262 267 269 270 272 276 281 301 302 303 304 305 307
    308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 330 331 334 336 337 339 347 351
    352 360 361 385 386 401 402 404 405 406 407 408 409 410 412 413 414 415 417 419 423 424 425
    430 432 434 435 440 443 469 470 475 478 479 480 484 501 502 503 504 505 507 508 509 510 512
    513 515 516 517 518 520 530 540 541 551 559 561 562 563 567 570 571 573 574 575 580 585 586
    601 602 603 605 606 607 608 609 610 612 614 615 616 617 618 619 620 623 626 630 631 636 641
    646 650 651 660 661 662 678 682 701 702 703 704 706 707 708 712 713 714 715 716 717 718 719
    720 724 727 731 732 734 740 754 757 760 763 765 770 772 773 774 775 781 785 786 801 802 803
    804 805 806 808 810 812 813 814 815 816 817 818 828 830 831 832 843 845 847 848 850 856 857
    858 859 860 862 863 864 865 870 878 901 903 904 906 907 908 909 910 912 913 914 915 916 917
    918 919 920 925 928 931 936 937 940 941 947 949 951 952 954 956 970 971 972 973 978 979 980
    985 989""".split()
)


def _phones(rng: np.random.Generator, size: int) -> np.ndarray:
    """Ten-digit US numbers with an area code in service and an exchange from 200 to 999."""
    area = _AREA_CODES[rng.integers(201, 990, size=size) % len(_AREA_CODES)]
    number = rng.integers(0, 10**7, size=size, dtype=np.int64)
    exchange = (200 + (number // 10_000) % 800).astype(str)
    line = np.char.zfill((number % 10_000).astype(str), 4)
    return np.char.add(np.char.add(area, exchange), line)


#: How likely a called-back LeadFlow caller is to buy, relative to the floor's usual rate, by
#: the affiliate that brought them: routing margin and downstream value disagree on purpose.
CALLBACK_CONVERSION = {
    "BlueSky Media": 1.2,
    "CallRoute Partners": 0.6,
    "Delta Leads": 0.9,
    "Evergreen Digital": 1.7,
    "Fastlane Marketing": 0.5,
    "Granite Performance": 2.2,
    "Harbor Call Co": 0.8,
    "Ion Affiliates": 0.25,
}
# How list owners write one number; index 0 is the wire form LeadFlow sends.
_PHONE_STYLES = ("{a}{e}{l}", "({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "1{a}{e}{l}")


def _written(number: str, style: int) -> str:
    return _PHONE_STYLES[style].format(a=number[:3], e=number[3:6], l=number[6:])


def _callbacks(leadflow_n: int, start: date, days: int, seed: int, zone: str) -> pl.DataFrame:
    """Unsold LeadFlow callers the floor calls back: number, affiliate and upload time.

    ``upload_sec`` is seconds after ``start`` midnight on the dialer's wall clock in ``zone``,
    minutes to days after the caller's call (as an instant), within the window.
    """
    empty = pl.DataFrame(
        schema={"caller_id": pl.String, "affiliate": pl.String, "upload_sec": pl.Int64}
    )
    if leadflow_n <= 0:
        return empty
    rng = np.random.default_rng([seed, 31337])
    text = _leadflow_text(leadflow_n, start, days, seed)
    calls = (
        text.select(
            "caller_id",
            "affiliate",
            at=pl.col("call_date")
            .str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us")
            .dt.replace_time_zone(LEADFLOW_HISTORY.default_timezone, ambiguous="earliest"),
            unsold=pl.col("offer_qualified") != "Y",
        )
        .filter(pl.col("unsold") & pl.col("caller_id").str.contains(r"^\d{10}$"))
        .unique("caller_id", keep="first", maintain_order=True)
    )
    if calls.height == 0:
        return empty
    chosen = rng.random(calls.height) < 0.5
    delay = np.exp(rng.normal(np.log(1200), 2.0, size=calls.height)).clip(30, 5 * 86_400)
    base = datetime(start.year, start.month, start.day)
    local = (
        calls.with_columns(
            upload=(
                pl.col("at") + pl.Series(delay.astype(np.int64) * 1_000_000).cast(pl.Duration("us"))
            ).dt.convert_time_zone(zone),
            chosen=pl.Series(chosen),
        )
        .with_columns(naive=pl.col("upload").dt.replace_time_zone(None))
        # A wall-clock time that reads back as another instant (the repeated fall-back hour)
        # could put the callback before the call; such callers are not called back.
        .filter(
            pl.col("chosen")
            & (
                pl.col("naive").dt.replace_time_zone(zone, ambiguous="null", non_existent="null")
                == pl.col("upload")
            )
        )
        .select(
            "caller_id",
            "affiliate",
            upload_sec=(pl.col("naive") - pl.lit(base)).dt.total_seconds(),
        )
    )
    return local.filter((pl.col("upload_sec") >= 0) & (pl.col("upload_sec") < days * 86_400 - 3600))


def _dialer_text(
    n: int, start: date, days: int, seed: int, zone: str, leadflow_n: int = 0
) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    # Leads: each gets 1..6 passes; generate enough leads, then keep the first n passes.
    n_leads = max(1, int(n / 2.2) + 10)
    passes = np.minimum(rng.geometric(0.42, size=n_leads), 6)
    while passes.sum() < n:
        passes = np.concatenate([passes, np.minimum(rng.geometric(0.42, size=n_leads), 6)])
    n_leads = len(passes)
    lead = np.repeat(np.arange(n_leads), passes)[:n]
    pass_no = (np.arange(len(lead)) - np.repeat(np.cumsum(passes) - passes, passes)[:n]) + 1

    # Lists are uploaded during business hours; speed to lead spreads from seconds to days.
    upload_day = rng.integers(0, days, size=n_leads)
    upload_sec = upload_day * 86_400 + rng.integers(8 * 3600, 19 * 3600, size=n_leads)
    speed = np.exp(rng.normal(np.log(900), 2.3, size=n_leads)).clip(3, 5 * 86_400).astype(np.int64)
    campaign_of = rng.integers(0, len(_CAMPAIGNS), size=n_leads)
    campaign_speed = np.array([0.4, 1.0, 2.5, 6.0])[campaign_of]
    speed = (speed * campaign_speed).clip(3, 6 * 86_400).astype(np.int64)

    # Some leads are unsold LeadFlow callers called back (their own random stream, so the
    # rest of the sample draws the same values with or without them).
    back = _callbacks(leadflow_n, start, days, seed, zone)
    side = np.random.default_rng([seed, 4242])
    present = int(lead[-1]) + 1 if n > 0 else 0
    k = min(back.height, present // 3)
    recycled = np.sort(side.choice(present, size=k, replace=False)) if k else np.array([], int)
    back = back.head(k)
    upload_sec[recycled] = back["upload_sec"].to_numpy()
    boost = np.ones(n_leads)
    boost[recycled] = [CALLBACK_CONVERSION.get(a, 1.0) for a in back["affiliate"]]
    styles = side.integers(0, len(_PHONE_STYLES), size=k)
    as_aux = side.random(k) < 0.1
    written = [_written(c, s) for c, s in zip(back["caller_id"], styles, strict=True)]
    retry_gap = rng.integers(1800, 2 * 86_400, size=n)
    state_of = rng.integers(0, len(_STATES), size=n_leads)[lead]
    # At most three dials a day to a Florida number (3 per 24 h): four passes span more
    # than a dialing day.
    florida = np.array([_STATES[i][0] == "FL" for i in state_of], dtype=bool)
    retry_gap = np.where(florida, np.maximum(retry_gap, 10 * 3600), retry_gap)
    # The floor dials inside the lead's calling hours: waits count business seconds, and a
    # lead's passes follow one another (retry gaps add up).
    lead_zone = np.array([_STATES[i][1] for i in state_of], dtype=object)
    first_row = (np.cumsum(passes) - passes)[lead]
    total_gap = np.cumsum(np.where(pass_no > 1, retry_gap, 0))
    # Waits were drawn in wall-clock time; a dialing day is about half of a day.
    waited = (speed[lead] + total_gap - total_gap[first_row]) // 2
    waited, hurried = _fit_window(upload_sec[lead], waited, lead, lead_zone, start, days, zone)
    # A Florida lead whose passes had to be hurried becomes a New York one (the same zone),
    # so that only the planted lead below breaks Florida's three calls in 24 hours.
    state_of = np.where(florida & hurried & (passes[lead] > 3), 2, state_of)
    offset = _dialing_hours(upload_sec[lead], waited, lead_zone, start, days, zone)
    plant = np.random.default_rng([seed, 1313])  # planted findings: their own stream
    findings = n >= FINDINGS_FROM
    if findings:
        offset = _plant_dialing_findings(
            np.random.default_rng([seed, 1313, 1]),  # its draws vary with the callbacks
            offset,
            waited,
            lead,
            pass_no,
            passes,
            first_row,
            upload_sec,
            state_of,
            lead_zone,
            start,
            days,
            zone,
        )

    # Contact falls off with speed to lead (in business time), the pattern the
    # speed-to-lead report shows.
    speed_min = speed[lead] / 60
    p_answer = 0.06 + 0.42 * np.exp(-speed_min / 15)
    answered = rng.random(n) < p_answer
    others = [d for d in _SYSTEM_WEIGHTS if d != "ABANDON"]  # abandons: per campaign, below
    weights = np.array([_SYSTEM_WEIGHTS[d] for d in others])
    system = np.where(answered, "ANSWER", _choice(rng, others, n, weights / weights.sum()))
    system = _abandoned(system, campaign_of[lead], upload_day[lead])

    # Agents differ in skill: conversion, talk time, wrap time.
    n_agents = 14
    agent_conv = rng.uniform(0.06, 0.30, n_agents)
    agent_talk = rng.uniform(2.5, 9.0, n_agents)
    agent_wrap = rng.uniform(15, 120, n_agents)
    agent_hours = rng.uniform(0.6, 1.0, n_agents)
    agent = rng.choice(n_agents, size=n, p=agent_hours / agent_hours.sum())
    p_sale = agent_conv[agent] * (1.4 - 0.4 * (speed_min > 60)) * boost[lead]
    sale = answered & (rng.random(n) < p_sale)
    non_sale = _choice(rng, _AGENT_DISPOSITIONS[2:], n, [0.42, 0.2, 0.1, 0.08, 0.2])
    sale_kind = _choice(rng, _AGENT_DISPOSITIONS[:2], n, [0.8, 0.2])
    agent_disposition = np.where(sale, sale_kind, non_sale)
    agent_disposition = _honour_do_not_call(plant, agent_disposition, answered, lead, findings)
    has_agent = answered | (system == "ABANDON")
    if findings:  # agent fields on two calls no person answered
        unanswered = np.flatnonzero(np.isin(system, ["MACHINE", "NOANSWER"]))
        has_agent[plant.choice(unanswered, size=2, replace=False)] = True

    talk_cs = (rng.gamma(2.0, agent_talk[agent] / 2.0) * 100).astype(np.int64).clip(5, None)
    talk_ms = np.where(
        answered, talk_cs * 600, np.where(has_agent, 0, rng.integers(0, 40, n) * 600)
    )
    hold_ms = np.where(answered & (rng.random(n) < 0.25), rng.integers(5, 240, n) * 1000, 0)
    wrap_ms = np.where(
        answered, (rng.gamma(2.0, agent_wrap[agent] / 2) + 3).astype(np.int64) * 1000, 0
    )
    wait_ms = np.where(answered, rng.gamma(1.5, 40, n).astype(np.int64) * 1000, 0)
    dial_ms = rng.integers(3, 35, n) * 1000
    transferred = answered & ~sale & (rng.random(n) < 0.08)

    first_answer = np.full(n_leads, -1, dtype=np.int64)
    elapsed = offset - upload_sec[lead]
    for i in np.flatnonzero(answered)[::-1]:
        first_answer[lead[i]] = elapsed[i]
    conn = first_answer[lead]
    speed_seen = (offset - upload_sec[lead])[first_row]  # Engage's wall-clock wait
    upload_at = upload_sec[lead].copy()
    if findings:
        _plant_record_findings(
            plant, answered, system, lead, conn, speed_seen, talk_ms, hold_ms, upload_at, offset
        )

    base = datetime(start.year, start.month, start.day)
    naive = pl.Series(base + timedelta(seconds=int(s)) for s in offset)
    uploaded = pl.Series(base + timedelta(seconds=int(s)) for s in upload_at)
    states = [_STATES[i] for i in state_of]
    located = np.ones(n, dtype=bool)  # two leads without a zone, a state or a ZIP
    if findings:
        located[np.isin(lead, plant.choice(np.unique(lead), size=2, replace=False))] = False
    lead_phones = _phones(rng, n_leads).astype(object)
    aux_phones = np.full(n_leads, None, dtype=object)
    lead_phones[recycled[~as_aux]] = [w for w, a in zip(written, as_aux, strict=True) if not a]
    aux_phones[recycled[as_aux]] = [w for w, a in zip(written, as_aux, strict=True) if a]
    phone = lead_phones[lead]
    first = _choice(rng, _FIRST, n_leads)[lead]
    last = _choice(rng, _LAST, n_leads)[lead]
    campaign = campaign_of[lead]
    uii_tail = _digits(rng, n, 16)
    international = rng.random(n) < 0.01

    typed = _frame(
        {
            "call_start_naive": naive,
            "callID": uii_tail,
            "ID": np.char.zfill((np.arange(n) + 880_000_001).astype(str), 12),
            "campaign_id": np.array([_CAMPAIGNS[c][0] for c in campaign]),
            "campaign_name": np.array([_CAMPAIGNS[c][1] for c in campaign]),
            "country_name": np.where(international, "Canada", "USA"),
            "lead_phone": phone,
            "lead_state": np.where(located, np.array([s[0] for s in states]), None),
            "lead_timezone": np.where(located, np.array([s[1] for s in states]), None),
            "title": _choice(rng, ["Mr.", "Ms.", "Mrs.", "Dr.", None], n_leads)[lead],
            "first_name": first,
            "mid_name": _choice(rng, ["A.", "J.", None, None, None], n_leads)[lead],
            "last_name": last,
            "suffix": _choice(rng, ["Jr.", None, None, None, None, None, None], n_leads)[lead],
            "address1": np.char.add(
                rng.integers(1, 9999, n_leads).astype(str), ' Main St, Apt "B"'
            )[lead],
            "address2": _choice(rng, ["Unit 2", None, None], n_leads)[lead],
            "city": np.array([_CITIES[i] for i in state_of]),
            "state": np.where(located, np.array([s[0] for s in states]), None),
            "zip": np.where(
                located, np.char.add(np.array([s[2] for s in states]), _digits(rng, n, 2)), None
            ),
            "lead_passes": pass_no,
            "pass_disposition": system,
            "agent_disposition": np.where(answered, agent_disposition, None),
            "duration": _ms(talk_ms),
            "agent_notes": np.where(
                answered & (rng.random(n) < 0.3), "Asked about pricing,\nwants a call back", None
            ),
            "agent_id": np.where(has_agent, np.char.add("00", (agent + 1071).astype(str)), None),
            "extern_agent_id": np.where(
                has_agent, np.char.add("EXT-", (agent + 1).astype(str)), None
            ),
            "username": np.where(has_agent, np.char.add("agent", (agent + 1).astype(str)), None),
            "agent_first_name": np.where(
                has_agent, np.asarray(_FIRST, dtype=object)[agent % 16], None
            ),
            "agent_last_name": np.where(
                has_agent, np.asarray(_LAST, dtype=object)[(agent * 7) % 16], None
            ),
            "loaded_caller_id": np.char.add(
                "617555", np.char.zfill((campaign + 100).astype(str), 4)
            ),
            "on_hold": _ms(hold_ms),
            "dial_type": _choice(rng, ["PREDICTIVE", "POWER", "PREVIEW"], n, [0.7, 0.2, 0.1]),
            "billing_code": None,
            "aux_data1": _choice(rng, ["web", "tv", "radio", "referral"], n_leads)[lead],
            "aux_data2": None,
            "aux_data3": None,
            "aux_data4": None,
            "aux_data5": None,
            "aux_phone": aux_phones[lead],
            "upload_naive": uploaded,
            "list_state": "ACTIVE",
            "list_desc": np.array([_CAMPAIGNS[c][1] + " list" for c in campaign]),
            "recording_url": np.where(
                answered, np.char.add("https://recordings.example.com/", uii_tail), None
            ),
            "term_session": np.where(answered, _choice(rng, ["AGENT", "CALLER"], n), "SYSTEM"),
            "email": np.char.add(np.char.lower(last.astype(str)), "@example.com"),
            "gate_keeper": None,
            "live_answer_message": None,
            "mach_answer_message": np.where(system == "MACHINE", "vm_drop_01.wav", None),
            "int_prefix": np.where(international, "011", None),
            "int_dest": np.where(international, "Canada", None),
            "int_cost": np.where(
                international, np.char.add("0.0", rng.integers(100, 999, n).astype(str)), None
            ),
            "transfer_phone": np.where(transferred, "8005550100", None),
            "transfer_disp": np.where(
                transferred, _choice(rng, ["ANSWER", "NOANSWER"], n, [0.85, 0.15]), None
            ),
            "transfer_duration": _ms(rng.integers(30, 900, n) * 1000, transferred),
            "transfer_type": np.where(transferred, _choice(rng, ["WARM", "COLD"], n), None),
            "speed_to_lead_first_pass": _ms(speed_seen * 1000),
            "speed_to_lead_agent_conn": _ms(conn * 1000, conn >= 0),
            "dial_duration": _ms(dial_ms),
            "agent_wait_time": _ms(wait_ms, has_agent),
            "agent_wrap_time": _ms(wrap_ms, has_agent),
            "transfer_dial_duration": _ms(rng.integers(2, 20, n) * 1000, transferred),
            "dial_group_id": np.array([str(2000 + c) for c in campaign]),
            "dial_group_name": np.array(
                [_CAMPAIGNS[c][1].split()[0] + " dial group" for c in campaign]
            ),
        }
    )
    if findings:  # two dials sent twice: the same row, callID and all, under a new ID
        twice = np.random.default_rng([seed, 1313, 2])  # not after draws that vary by row
        for i in np.sort(twice.choice((n - 1) // 2, size=2, replace=False)) * 2:
            copy = typed[i : i + 1].with_columns(typed[i + 1 : i + 2].select("ID"))
            typed = pl.concat([typed[: i + 1], copy, typed[i + 2 :]])
    typed = typed.sort("call_start_naive", maintain_order=True)
    text = _format(typed.drop("call_start_naive", "upload_naive"), DIALER_RESULTS)
    start_text = _local_text(typed["call_start_naive"], zone)
    # The UII's first 14 digits are the call's start time.
    text = text.with_columns(
        call_start=start_text,
        upload_date=_local_text(typed["upload_naive"], zone),
        callID=pl.concat_str(start_text.str.replace_all(r"\D", ""), pl.col("callID")),
        # Engage's clocks: speed to lead sometimes as bare seconds, sometimes HH:MM:SS.
        speed_to_lead_first_pass=pl.when(pl.int_range(pl.len()) % 3 == 0)
        .then(typed["speed_to_lead_first_pass"].dt.total_seconds().cast(pl.String))
        .otherwise(pl.col("speed_to_lead_first_pass")),
    )
    return _in_schema_order(text, DIALER_RESULTS)


#: Samples of at least this many dials carry a few planted compliance and data-quality
#: findings (smaller ones stay clean, for tests that build on them).
FINDINGS_FROM = 1_000
#: Each campaign's share of live-answered calls abandoned: two well inside the 3% safe
#: harbour, one just inside its margin, one over it.
ABANDON_RATES = (0.015, 0.012, 0.035, 0.027)
# The floor's dialing hours, lead-local, inside every sample state's window (Texas starts at
# 9:00, and at noon on Sundays; Florida ends at 20:00).
_OPEN = 9 * 3600 + 5 * 60
_SUNDAY_OPEN = 12 * 3600 + 5 * 60
_CLOSE = 19 * 3600 + 55 * 60
_FIRST_DAY = -2  # lead-local days before ``start`` the dialing calendar covers


def _lead_wall(
    seconds: np.ndarray, lead_zone: np.ndarray, start: date, zone: str, *, to_lead: bool
) -> np.ndarray:
    """Seconds after ``start`` midnight on the dialer's wall clock (``zone``) as seconds on
    each lead's wall clock, or back (``to_lead=False``). A time in a spring-forward gap
    moves an hour later, as on the dialer's clock."""
    base = datetime(start.year, start.month, start.day)
    out = np.asarray(seconds, dtype=np.int64).copy()
    for lead_tz in np.unique(lead_zone):
        mask = lead_zone == lead_tz
        naive = pl.Series(out[mask] * 1_000_000).cast(pl.Duration("us")) + base
        src, dst = (zone, lead_tz) if to_lead else (lead_tz, zone)

        def moved(wall: pl.Series, src: str = src, dst: str = dst) -> pl.Series:
            local = wall.dt.replace_time_zone(src, ambiguous="earliest", non_existent="null")
            return local.dt.convert_time_zone(dst).dt.replace_time_zone(None)

        there = moved(naive).fill_null(moved(naive + timedelta(hours=1)))
        out[mask] = (there - base).dt.total_seconds().to_numpy()
    return out


def _calendar(start: date, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Each lead-local day's opening (seconds after midnight) and the dialing seconds
    before it, from ``_FIRST_DAY`` to well after the window."""
    count = days + 60 - _FIRST_DAY
    weekday = (start.weekday() + np.arange(_FIRST_DAY, _FIRST_DAY + count)) % 7
    opens = np.where(weekday == 6, _SUNDAY_OPEN, _OPEN)
    before = np.concatenate([[0], np.cumsum(_CLOSE - opens)[:-1]])
    return opens, before


def _to_business(local: np.ndarray, start: date, days: int) -> np.ndarray:
    """Wall-clock seconds to seconds of dialing time (a time outside hours: the next open)."""
    opens, before = _calendar(start, days)
    day, time = np.divmod(local, 86_400)
    day = np.clip(day - _FIRST_DAY, 0, len(opens) - 1)
    return before[day] + np.clip(time - opens[day], 0, _CLOSE - opens[day])


def _from_business(position: np.ndarray, start: date, days: int) -> np.ndarray:
    opens, before = _calendar(start, days)
    day = np.clip(np.searchsorted(before, position, side="right") - 1, 0, len(opens) - 1)
    return (day + _FIRST_DAY) * 86_400 + opens[day] + (position - before[day])


def _fit_window(
    upload: np.ndarray,
    waited: np.ndarray,
    lead: np.ndarray,
    lead_zone: np.ndarray,
    start: date,
    days: int,
    zone: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Waits shortened, in proportion, for leads whose last pass would fall after the
    window, so that every dial is inside it and a lead's passes keep their order; and
    which rows' leads were shortened."""
    to_lead = _lead_wall(upload, lead_zone, start, zone, to_lead=True)
    position = _to_business(to_lead, start, days)
    end = np.full(len(lead), days * 86_400 - 600, dtype=np.int64)
    room = _to_business(_lead_wall(end, lead_zone, start, zone, to_lead=True), start, days)
    room = np.maximum(room - 60 - position, 0)  # the last dial a minute before closing
    longest = np.zeros(int(lead.max()) + 1 if len(lead) else 0, dtype=np.int64)
    np.maximum.at(longest, lead, waited)
    longest = longest[lead]
    over = longest > room
    scaled = (waited * (room / np.maximum(longest, 1))).astype(np.int64)
    return np.where(over, scaled, waited), over


def _dialing_hours(
    upload: np.ndarray,
    waited: np.ndarray,
    lead_zone: np.ndarray,
    start: date,
    days: int,
    zone: str,
) -> np.ndarray:
    """When each dial happens on the dialer's wall clock: ``waited`` seconds of dialing time
    after its lead's upload, within the lead's calling hours. A lead's later passes may fall
    after the window, as they would in a real export of the window's leads."""
    position = _to_business(_lead_wall(upload, lead_zone, start, zone, to_lead=True), start, days)
    local = _from_business(position + np.asarray(waited, dtype=np.int64), start, days)
    return _lead_wall(local, lead_zone, start, zone, to_lead=False)


def _plant_dialing_findings(
    plant,
    offset,
    waited,
    lead,
    pass_no,
    passes,
    first_row,
    upload_sec,
    state_of,
    lead_zone,
    start,
    days,
    zone,
) -> np.ndarray:
    """A few dials outside calling hours (NY 21:05, CA 07:45, FL 20:15, a TX Sunday 11:30)
    and one Florida number dialled four times in 24 hours. Only a lead's last pass moves,
    and only later, so its passes stay in order."""
    offset = offset.copy()
    codes = np.array([_STATES[i][0] for i in state_of])
    base = datetime(start.year, start.month, start.day)
    last_pass = (pass_no == passes[lead]) & (pass_no > 1)
    # Florida: one lead of four passes dialled an hour of dialing time apart.
    for row in plant.permutation(np.flatnonzero((codes == "FL") & (pass_no == 4) & last_pass)):
        rows = np.flatnonzero(lead == lead[row])
        hurried = waited[rows[0]] + (pass_no[rows] - 1) * 3600
        offset[rows] = _dialing_hours(
            upload_sec[lead[rows]], hurried, lead_zone[rows], start, days, zone
        )
        last_pass[rows] = False  # not moved again below
        break
    local = _lead_wall(offset, lead_zone, start, zone, to_lead=True)
    for state, hour, minute, sunday in (
        ("NY", 21, 5, False),
        ("CA", 7, 45, False),
        ("FL", 20, 15, False),
        ("TX", 11, 30, True),
    ):
        for row in plant.permutation(np.flatnonzero(last_pass & (codes == state))):
            day = int(local[row] // 86_400) + (0 if hour >= 12 else 1)
            if sunday:
                day += (6 - (base + timedelta(days=day)).weekday()) % 7
            target = day * 86_400 + hour * 3600 + minute * 60
            if local[row] < target < (days - 1) * 86_400:
                moved = _lead_wall(np.array([target]), lead_zone[[row]], start, zone, to_lead=False)
                offset[row] = moved[0]
                break
    return offset


def _abandoned(system: np.ndarray, campaign: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Mark unanswered dials ABANDON so that each campaign's abandonment (ABANDON over ANSWER
    plus ABANDON) is near its rate in ABANDON_RATES over the window and over its first days:
    the abandons are spread evenly over the campaign's days, none in the first few."""
    system = system.copy()
    for index, rate in enumerate(ABANDON_RATES):
        answered = int(((campaign == index) & (system == "ANSWER")).sum())
        count = round(rate / (1 - rate) * answered)
        pool = np.flatnonzero((campaign == index) & (system != "ANSWER"))
        if count and len(pool) >= count:
            pool = pool[np.argsort(day[pool], kind="stable")]
            spread = (np.arange(count) + 1.5) / (count + 0.5)  # none in the first days
            chosen = pool[(spread * len(pool)).astype(np.int64) - 1]
            system[chosen] = "ABANDON"
    return system


def _honour_do_not_call(
    plant, disposition: np.ndarray, answered: np.ndarray, lead: np.ndarray, findings: bool
) -> np.ndarray:
    """A "Do Not Call" request ends a lead's dialing: such a request on a pass that has later
    passes becomes "Not Interested", except for two leads (planted findings)."""
    disposition = disposition.copy()
    request = answered & (disposition == "Do Not Call")
    later = np.r_[lead[1:] == lead[:-1], False]  # the next row is the same lead's next pass
    redialed = np.flatnonzero(request & later)
    keep = plant.choice(redialed, size=min(2, len(redialed)), replace=False) if findings else []
    disposition[np.setdiff1d(redialed, keep)] = "Not Interested"
    return disposition


def _plant_record_findings(
    plant, answered, system, lead, conn, speed_seen, talk_ms, hold_ms, upload_at, offset
) -> None:
    """Data-quality findings in place: three leads connected "before" their first dial, one
    dial before its list's upload, one negative duration, one hold over 12 hours."""
    quiet = np.flatnonzero(system == "NOANSWER")
    negative, on_hold, early = plant.choice(quiet, size=3, replace=False)
    talk_ms[negative] = -30_000
    hold_ms[on_hold] = 13 * 3_600_000
    upload_at[early] = offset[early] + 2 * 3600
    planted = 0
    for row in plant.permutation(np.flatnonzero(answered & (speed_seen > 60))):
        if planted < 3 and conn[row] >= speed_seen[row]:
            conn[lead == lead[row]] = speed_seen[row] - 45
            planted += 1


def _local_text(naive: pl.Series, zone: str) -> pl.Series:
    """Wall-clock text in ``zone``; a time in the spring-forward gap moves an hour later."""
    local = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    shifted = (naive + timedelta(hours=1)).dt.replace_time_zone(
        zone, ambiguous="earliest", non_existent="null"
    )
    return local.fill_null(shifted).dt.strftime("%Y-%m-%d %H:%M:%S")


# --- LeadFlow History -----------------------------------------------------------------------

_AFFILIATES = [  # name, share of traffic, qualification rate, payout
    ("BlueSky Media", 0.22, 0.62, "18.00"),
    ("CallRoute Partners", 0.18, 0.48, "22.50"),
    ("Delta Leads", 0.15, 0.71, "15.00"),
    ("Evergreen Digital", 0.12, 0.40, "30.00"),
    ("Fastlane Marketing", 0.11, 0.55, "25.00"),
    ("Granite Performance", 0.09, 0.35, "40.00"),
    ("Harbor Call Co", 0.08, 0.66, "12.00"),
    ("Ion Affiliates", 0.05, 0.30, "45.00"),
]
_OFFERS = [  # advertiser, offer, price, acceptance given affiliate qualification
    ("Acme Insurance", "Final Expense 60s", "45.00", 0.85),
    ("Acme Insurance", "Medicare Supplement", "60.00", 0.80),
    ("Brightline Solar", "Solar Consult 90s", "38.00", 0.70),
    ("Clearpath Debt", "Debt Relief 120s", "55.00", 0.75),
    ("Summit Home", "Home Warranty", "27.50", 0.90),
]
_LF_STATUS = ["Connected", "No Buyer", "Hang Up", "Affiliate Cap"]


def _leadflow_text(n: int, start: date, days: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed + 7919)
    shares = np.array([a[1] for a in _AFFILIATES])
    affiliate = rng.choice(len(_AFFILIATES), size=n, p=shares / shares.sum())
    status = _choice(rng, _LF_STATUS, n, [0.72, 0.11, 0.11, 0.06])
    connected = status == "Connected"
    offer = rng.integers(0, len(_OFFERS), size=n)
    talk_s = np.where(
        connected, rng.gamma(1.6, 150, n).astype(np.int64) + 5, rng.integers(0, 20, n)
    )
    total_s = talk_s + rng.integers(8, 60, n)
    qual_rate = np.array([a[2] for a in _AFFILIATES])[affiliate]
    affiliate_qualified = connected & (rng.random(n) < qual_rate) & (talk_s > 60)
    acceptance = np.array([o[3] for o in _OFFERS])[offer]
    offer_qualified = connected & (
        (affiliate_qualified & (rng.random(n) < acceptance)) | (rng.random(n) < 0.04)
    )
    payout = np.array([Decimal(a[3]) for a in _AFFILIATES], dtype=object)[affiliate]
    price = np.array([Decimal(o[2]) for o in _OFFERS], dtype=object)[offer]
    zero = Decimal("0.00")
    offer_price = np.where(offer_qualified, price, zero)
    affiliate_price = np.where(affiliate_qualified, payout, zero)
    margin = offer_price - affiliate_price
    # A few rows where the platform's margin disagrees with its prices (a real DQ finding).
    misreported = rng.random(n) < 0.004
    margin = np.where(misreported, margin + Decimal("5.00"), margin)

    pool = _phones(rng, max(10, int(n * 0.8)))
    caller = pool[rng.integers(0, len(pool), size=n)]
    seconds = np.sort(rng.integers(0, days * 86_400, size=n))
    base = datetime(start.year, start.month, start.day)
    naive = pl.Series(base + timedelta(seconds=int(s)) for s in seconds)
    seen: set[tuple[int, str]] = set()
    repeat = np.zeros(n, dtype=bool)
    for i in range(n):
        key = (int(affiliate[i]), str(caller[i]))
        repeat[i] = key in seen
        seen.add(key)
    reroute = repeat & (rng.random(n) < 0.5)
    # A few caller IDs arrive withheld or as a bare local number (their own random stream).
    shown = caller.astype(object)
    odd = np.random.default_rng([seed, 911]).random(n)
    shown[odd < 0.01] = "Restricted"
    local = (odd >= 0.01) & (odd < 0.015)
    shown[local] = [str(c)[3:] for c in caller[local]]
    contested = offer_qualified & (rng.random(n) < 0.03)
    state_of = rng.integers(0, len(_STATES), size=n)
    zipcode = np.char.add(np.array([_STATES[i][2] for i in state_of]), _digits(rng, n, 2))
    lookup = rng.random(n) < 0.6
    plant = np.random.default_rng([seed, 1717])  # planted findings: their own stream
    findings = n >= FINDINGS_FROM
    if findings:  # two paid calls (no offer revenue) recorded as hang-ups, not Connected
        paid = np.flatnonzero(affiliate_qualified & ~offer_qualified)
        status = status.copy()
        status[plant.choice(paid, size=min(2, len(paid)), replace=False)] = "Hang Up"
    minutes = np.ceil(total_s / 60).astype(np.int64)
    looked_up_state = np.array([_STATES[i][0] for i in state_of], dtype=object)
    sid = np.char.zfill((np.arange(n) * 7 + 1_000_003).astype(str), 12)
    if findings:  # two rows each of talk > total, wrong minutes; a state; a sid twice
        over, long, tenths, moved, twice = np.split(
            plant.choice(n, size=9, replace=False), [2, 4, 6, 8]
        )
        talk_s[over] = total_s[over] + 12
        minutes[long] += 1
        looked_up_state[moved] = np.where(looked_up_state[moved] == "TX", "OK", "TX")
        lookup[moved] = True
        sid[twice] = sid[twice - 1 if twice[0] else twice + 1]
    talk_tenths = np.ceil(talk_s / 6).astype(np.int64)
    total_tenths = np.ceil(total_s / 6).astype(np.int64)
    if findings:
        talk_tenths[tenths] += 10  # talk_minutes a minute off its seconds

    def money(values: np.ndarray) -> pl.Series:
        return pl.Series([str(v) for v in values], dtype=pl.String)

    typed = _frame(
        {
            "set_name": np.where(affiliate % 2 == 0, "Insurance Pay-Per-Call", "Home Services PPC"),
            "affiliate": np.array([a[0] for a in _AFFILIATES])[affiliate],
            "phone_label": np.char.add("PPC line ", (affiliate + 1).astype(str)),
            "affiliate_number": np.char.add(
                "8885550", np.char.zfill((affiliate + 100).astype(str), 3)
            ),
            "advertiser": np.where(connected, np.array([o[0] for o in _OFFERS])[offer], None),
            "offer": np.where(connected, np.array([o[1] for o in _OFFERS])[offer], None),
            "transfer_number": np.where(
                connected, np.char.add("80055501", np.char.zfill(offer.astype(str), 2)), None
            ),
            "caller_id": shown,
            "lead_status": status,
            "entered_zip": np.where(rng.random(n) < 0.5, zipcode, None),
            "lf_state": np.array([_STATES[i][0] for i in state_of]),
            "first_name": np.where(lookup, _choice(rng, _FIRST, n), None),
            "last_name": np.where(lookup, _choice(rng, _LAST, n), None),
            "street_address": np.where(
                lookup, np.char.add(rng.integers(1, 999, n).astype(str), " Oak Ave"), None
            ),
            "city": np.where(lookup, np.array([_CITIES[i] for i in state_of]), None),
            "state": np.where(lookup, looked_up_state, None),
            "zipcode": np.where(lookup, zipcode, None),
            "reroute": reroute,
            "repeat_affiliate_caller": repeat,
            "affiliate_cap": status == "Affiliate Cap",
            "offer_qualified": offer_qualified,
            "offer_price": money(offer_price),
            "affiliate_qualified": affiliate_qualified,
            "affiliate_price": money(affiliate_price),
            "margin": money(margin),
            "talk_minutes": _ms(talk_tenths * 6000),
            "talk_seconds": _ms(talk_s * 1000),
            "total_minutes": _ms(total_tenths * 6000),
            "total_seconds": _ms(total_s * 1000),
            "call_duration": _ms(minutes * 60_000),
            "recording_link": np.where(
                connected,
                np.char.add("https://rec.example.com/", (np.arange(n) + 5_000_000).astype(str)),
                None,
            ),
            "contest_qualification": contested,
            "sid": sid,
        }
    )
    money_columns = ["offer_price", "affiliate_price", "margin"]
    text = _format(typed.drop(money_columns), LEADFLOW_HISTORY).with_columns(
        typed.select(money_columns),
        call_date=_local_text(naive, LEADFLOW_HISTORY.default_timezone),
    )
    return _in_schema_order(text, LEADFLOW_HISTORY)

"""The findings the sample's docstring promises, counted in the raw files by this test with
the standard library (not by the quality and compliance code that reports them)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import callanalytics as ca

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    raw = ca.sample_dialer_results(raw=True).decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw, newline="")))


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return json.loads(ca.sample_leadflow_history(raw=True))["response"]


def instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=NEW_YORK)


def by_phone(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    leads = defaultdict(list)
    for row in rows:
        leads[row["lead_phone"]].append(row)
    return leads


def test_four_dials_just_outside_the_leads_calling_hours(rows):
    outside = []
    for row in rows:
        if row["lead_timezone"]:
            local = instant(row["call_start"]).astimezone(ZoneInfo(row["lead_timezone"]))
            opens = (12, 5) if local.weekday() == 6 else (9, 5)  # the floor's hours
            if not opens <= (local.hour, local.minute) < (19, 56):
                outside.append((row["lead_state"], local.strftime("%a %H:%M")))
    assert sorted(outside) == [
        ("CA", "Fri 07:45"),
        ("FL", "Thu 20:15"),
        ("NY", "Wed 21:05"),
        ("TX", "Sun 11:30"),
    ]


def test_two_leads_have_no_zone_state_or_zip(rows):
    unlocated = [row for row in rows if not row["lead_timezone"]]
    assert len({row["lead_phone"] for row in unlocated}) == 2
    assert all(not (row["lead_state"] or row["state"] or row["zip"]) for row in unlocated)
    assert all(row["state"] and row["zip"] for row in rows if row["lead_timezone"])


def test_one_florida_number_is_dialled_four_times_in_24_hours(rows):
    hurried = 0  # Florida allows three dials in 24 hours; other states more
    for dials in by_phone(rows).values():
        times = sorted(instant(row["call_start"]).timestamp() for row in dials)
        if dials[0]["lead_state"] == "FL":
            hurried += any(times[i + 3] - times[i] < 86_400 for i in range(len(times) - 3))
    assert hurried == 1


def test_two_leads_are_redialled_after_do_not_call(rows):
    redialled = 0
    for dials in by_phone(rows).values():
        asked = [instant(r["call_start"]) for r in dials if r["agent_disposition"] == "Do Not Call"]
        redialled += any(instant(r["call_start"]) > min(asked) for r in dials) if asked else 0
    assert redialled == 2


def test_one_campaign_abandons_over_three_percent_and_one_near_it(rows):
    counts = defaultdict(Counter)
    for row in rows:
        counts[row["campaign_id"]][row["pass_disposition"]] += 1
    rate = {c: n["ABANDON"] / (n["ABANDON"] + n["ANSWER"]) for c, n in counts.items()}
    assert sorted(rate, key=rate.get) == ["10453", "10452", "10488", "10471"]
    assert rate["10471"] > 0.03 and 0.025 < rate["10488"] < 0.03 and rate["10452"] < 0.02


def test_dialer_record_findings(rows):
    sent = Counter(row["callID"] for row in rows)
    assert sorted(sent.values())[-3:] == [1, 2, 2]  # two callIDs sent twice
    assert len({row["ID"] for row in rows}) == len(rows)  # under new IDs
    unanswered = [r for r in rows if r["pass_disposition"] in ("MACHINE", "NOANSWER")]
    assert sum(bool(row["agent_id"]) for row in unanswered) == 2
    assert [row["duration"] for row in rows if row["duration"].startswith("-")] == ["-0.50"]
    assert [row["on_hold"] for row in rows if int(row["on_hold"]) > 12 * 3600] == ["46800"]
    early = [row for row in rows if instant(row["call_start"]) < instant(row["upload_date"])]
    assert len(early) == 1
    assert sum(row["speed_to_lead_agent_conn"] != "" for row in rows) > 0


def test_leadflow_record_findings(records):
    def seconds(record: dict, name: str) -> int:
        return int(str(record[name]))

    def count(predicate) -> int:
        return sum(1 for record in records if predicate(record))

    assert count(lambda r: seconds(r, "talk_seconds") > seconds(r, "total_seconds")) == 2
    ceil_minutes = lambda r: math.ceil(seconds(r, "total_seconds") / 60)  # noqa: E731
    assert count(lambda r: Decimal(str(r["call_duration"])) != ceil_minutes(r)) == 2
    tenths = lambda r: math.ceil(seconds(r, "talk_seconds") / 6)  # noqa: E731
    assert count(lambda r: Decimal(str(r["talk_minutes"])) * 10 != tenths(r)) == 2
    assert count(lambda r: r["state"] is not None and r["state"] != r["lf_state"]) == 2
    assert count(lambda r: r["affiliate_qualified"] == "Y" and r["lead_status"] == "Hang Up") == 2
    assert sorted(Counter(r["sid"] for r in records).values())[-2:] == [1, 2]


def test_smaller_samples_carry_no_planted_findings():
    raw = ca.sample_dialer_results(999, raw=True).decode("utf-8")
    small = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert not [row for row in small if row["duration"].startswith("-")]
    assert all(row["lead_timezone"] for row in small)
    assert len({row["callID"] for row in small}) == 999
    talk = json.loads(ca.sample_leadflow_history(999, raw=True))["response"]
    assert len({record["sid"] for record in talk}) == 999

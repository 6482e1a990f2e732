"""The sample's wire files against facts this test computes itself with the standard library
(``csv``, ``json``, ``decimal``, ``zoneinfo``), not with the readers that typed the sample.

Values pinned for the default seed were counted from the raw files by these same parsers:
a change to the generator shows up here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest

import callanalytics as ca
from callanalytics.schema import DIALER_RESULTS

NEW_YORK = ZoneInfo("America/New_York")
# The Engage docs' system dispositions, and the sample's agent dispositions.
PASS_DISPOSITIONS = set("ANSWER NOANSWER MACHINE BUSY INTERCEPT CONGESTION ABANDON".split())
PASS_DISPOSITIONS.add("ANSWER-NOT-PERSON")
AGENT_DISPOSITIONS = {"Sale", "Sale - Upsell", "Not Interested", "Callback Requested"}
AGENT_DISPOSITIONS |= {"Do Not Call", "Wrong Number", "Left Voicemail"}
CLOCK = re.compile(r"(\d+):([0-5]\d):([0-5]\d)")


@pytest.fixture(scope="module")
def dialer_raw() -> bytes:
    return ca.sample_dialer_results(raw=True)


@pytest.fixture(scope="module")
def dialer_rows(dialer_raw) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(dialer_raw.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def dialer_frame() -> pl.DataFrame:
    return ca.sample_dialer_results()


@pytest.fixture(scope="module")
def leadflow_records() -> list[dict[str, object]]:
    body = json.loads(ca.sample_leadflow_history(raw=True))
    assert list(body) == ["response"]
    return body["response"]


def wall(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def clock_seconds(text: str) -> int:
    match = CLOCK.fullmatch(text)
    assert match, text
    hours, minutes, seconds = map(int, match.groups())
    return hours * 3600 + minutes * 60 + seconds


def money(value: object) -> Decimal:
    return Decimal(str(value))


def test_every_dialer_field_is_quoted_and_empty_fields_are_two_quotes(dialer_raw, dialer_rows):
    text = dialer_raw.decode("utf-8")
    assert re.fullmatch(r'(?:"(?:[^"]|"")*"[,\n])+', text)  # no bare field, not even an empty one
    assert text.startswith('"callID","ID","campaign_id","campaign_name","country_name"')
    assert ',"",' in text and '""B""' in text  # empty fields; a quote inside a field doubled
    assert len(dialer_rows) == 5_000
    assert list(dialer_rows[0]) == DIALER_RESULTS.names and len(DIALER_RESULTS.names) == 63
    assert all(len(row) == 63 and None not in row.values() for row in dialer_rows)
    assert dialer_rows[0]["address1"].endswith(' Main St, Apt "B"')
    notes = [row["agent_notes"] for row in dialer_rows if row["agent_notes"]]
    assert set(notes) == {"Asked about pricing,\nwants a call back"}  # a newline inside quotes


def test_call_ids_are_30_digits_led_by_the_start_time_in_the_account_zone(
    dialer_rows, dialer_frame
):
    assert all(re.fullmatch(r"\d{30}", row["callID"]) for row in dialer_rows)
    for row in dialer_rows:
        assert row["callID"][:14] == wall(row["call_start"]).strftime("%Y%m%d%H%M%S")
    typed = dialer_frame["call_start"].to_list()
    repeated_hour = 0
    for row, start in zip(dialer_rows, typed, strict=True):
        naive = wall(row["call_start"])
        assert start.replace(tzinfo=None) == naive
        earlier, later = naive.replace(tzinfo=NEW_YORK), naive.replace(tzinfo=NEW_YORK, fold=1)
        if earlier.utcoffset() == later.utcoffset():
            assert start.utcoffset() == earlier.utcoffset(), row["call_start"]
        else:
            repeated_hour += 1
    offsets = {start.utcoffset() for start in typed}
    assert offsets == {timedelta(hours=-4), timedelta(hours=-5)}  # EDT, then EST
    assert repeated_hour == 0  # the floor does not dial at 1 a.m.


def test_durations_are_written_in_their_documented_units(dialer_rows, dialer_frame):
    typed = dialer_frame.to_dicts()
    for i, (row, frame_row) in enumerate(zip(dialer_rows, typed, strict=True)):
        # call duration: minutes with two decimals
        assert re.fullmatch(r"-?\d+\.\d\d", row["duration"]), row["duration"]
        minutes = Decimal(row["duration"])
        assert frame_row["duration"] == timedelta(milliseconds=int(minutes * 60_000))
        for name in ("on_hold", "dial_duration"):  # whole seconds
            assert frame_row[name] == timedelta(seconds=int(row[name]))
        for name in ("speed_to_lead_agent_conn", "agent_wait_time", "agent_wrap_time"):
            if row[name] == "":
                assert frame_row[name] is None
            else:  # H:MM:SS, hours unpadded
                assert frame_row[name] == timedelta(seconds=clock_seconds(row[name]))
        first_pass = row["speed_to_lead_first_pass"]
        if i % 3 == 0:  # Engage's clocks: sometimes bare seconds
            assert re.fullmatch(r"\d+", first_pass), first_pass
            seconds = int(first_pass)
        else:
            seconds = clock_seconds(first_pass)
        assert frame_row["speed_to_lead_first_pass"] == timedelta(seconds=seconds)
    longest = max(clock_seconds(row["speed_to_lead_first_pass"]) for row in dialer_rows[1::3])
    assert longest > 24 * 3600  # hours past 24 stay hours


def test_dispositions_come_from_the_documented_vocabulary(dialer_rows):
    assert {row["pass_disposition"] for row in dialer_rows} == PASS_DISPOSITIONS
    agent = {row["agent_disposition"] for row in dialer_rows}
    assert agent == AGENT_DISPOSITIONS | {""}
    for row in dialer_rows:  # an agent disposes of a call a person answered, and only that
        assert (row["agent_disposition"] != "") == (row["pass_disposition"] == "ANSWER")
    costs = [row["int_cost"] for row in dialer_rows if row["int_cost"]]
    assert costs and all(re.fullmatch(r"0\.0\d{3}", cost) for cost in costs)  # Money(4)


def test_the_default_dialer_sample_is_pinned(dialer_rows):
    sales = [row for row in dialer_rows if row["agent_disposition"].startswith("Sale")]
    assert len(sales) == 259
    assert sum(Decimal(row["duration"]) for row in dialer_rows) == Decimal("6513.19")
    answered = [row for row in dialer_rows if row["pass_disposition"] == "ANSWER"]
    assert len(answered) == 1_011
    assert dialer_rows[0]["call_start"] == "2024-10-28 09:06:16"
    assert dialer_rows[-1]["call_start"] < "2024-11-11 00:00:00"  # inside the window


def test_leadflow_numbers_alternate_between_json_numbers_and_two_decimal_strings(
    leadflow_records,
):
    assert len(leadflow_records) == 3_000
    for i, record in enumerate(leadflow_records):
        for name in ("offer_price", "affiliate_price", "margin"):
            value = record[name]
            if i % 2:
                assert isinstance(value, str) and re.fullmatch(r"-?\d+\.\d\d", value), value
            else:
                assert isinstance(value, int | float) and round(value, 2) == value, value
        for name in ("talk_seconds", "total_seconds", "call_duration"):
            assert isinstance(record[name], str if i % 2 else int)


def test_leadflow_margin_is_price_minus_payout_of_the_qualified_calls(leadflow_records):
    prices = {Decimal(p) for p in ("45.00", "60.00", "38.00", "55.00", "27.50")}
    payouts = {Decimal(p) for p in ("18.00", "22.50", "15.00", "30.00", "25.00", "40.00")}
    payouts |= {Decimal("12.00"), Decimal("45.00")}
    off = []
    for record in leadflow_records:
        price, payout = money(record["offer_price"]), money(record["affiliate_price"])
        assert price in prices if record["offer_qualified"] == "Y" else price == 0
        assert payout in payouts if record["affiliate_qualified"] == "Y" else payout == 0
        if money(record["margin"]) != price - payout:
            off.append(money(record["margin"]) - (price - payout))
    assert off == [Decimal("5.00")] * 10  # the platform's own margin, misreported ten times
    assert sum(record["offer_qualified"] == "Y" for record in leadflow_records) == 895
    assert sum(money(record["margin"]) for record in leadflow_records) == Decimal("16943.50")


def digits_of(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def test_unsold_leadflow_callers_are_called_back_after_their_call(dialer_rows, leadflow_records):
    first_call: dict[str, datetime] = {}  # a caller's first unsold call, as an instant
    for record in leadflow_records:
        caller = str(record["caller_id"])
        if record["offer_qualified"] == "N" and re.fullmatch(r"\d{10}", caller):
            at = wall(str(record["call_date"])).replace(tzinfo=NEW_YORK)
            first_call.setdefault(caller, at)
    uploads: dict[str, datetime] = {}
    for row in dialer_rows:
        for phone in (row["lead_phone"], row["aux_phone"]):
            if digits_of(phone) in first_call:
                uploads[digits_of(phone)] = wall(row["upload_date"]).replace(tzinfo=NEW_YORK)
    assert len(uploads) == 687
    assert all(uploads[caller] > first_call[caller] for caller in uploads)
    written = {row["lead_phone"] for row in dialer_rows} | {row["aux_phone"] for row in dialer_rows}
    assert any(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", phone) for phone in written)
    assert sum(bool(row["aux_phone"]) for row in dialer_rows) > 0
    withheld = [r for r in leadflow_records if r["caller_id"] == "Restricted"]
    assert len(withheld) == 38


def test_an_empty_sample_is_the_schema_with_no_rows():
    """Empty is a normal case: n=0 raised numpy's "zero-size array to reduction operation"."""
    assert ca.sample_dialer_results(0, raw=True) == (
        ",".join(f'"{name}"' for name in DIALER_RESULTS.names) + "\n"
    ).encode("utf-8")
    assert json.loads(ca.sample_leadflow_history(0, raw=True)) == {"response": []}
    dialer, leadflow = ca.sample_dialer_results(0), ca.sample_leadflow_history(0)
    assert dialer.height == leadflow.height == 0
    assert dialer.schema == DIALER_RESULTS.polars_schema()
    assert leadflow.columns == ca.LEADFLOW_HISTORY.names
    with pytest.raises(ValueError, match="n must be 0 or more, not -1"):
        ca.sample_dialer_results(-1)
    with pytest.raises(ValueError, match="n must be 0 or more, not -5"):
        ca.sample_leadflow_history(-5)

"""Data-quality checks on hand-built Dialer and LeadFlow frames, one test per check."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import quality

NY = ZoneInfo("America/New_York")


def build(empty: pl.DataFrame, rows: list[dict]) -> pl.DataFrame:
    """A frame of the reader's schema with the given fields; every other column null."""
    given = [c for c in empty.columns if any(c in r for r in rows)]
    data = pl.DataFrame(
        [{c: r.get(c) for c in given} for r in rows],
        schema={c: empty.schema[c] for c in given},
    )
    missing = [pl.lit(None, t).alias(c) for c, t in empty.schema.items() if c not in given]
    return data.with_columns(missing).select(empty.columns)


@pytest.fixture(scope="module")
def dialer_empty() -> pl.DataFrame:
    return ca.sample_dialer_results(n=5).clear()


@pytest.fixture(scope="module")
def leadflow_empty() -> pl.DataFrame:
    return ca.sample_leadflow_history(n=5).clear()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


def dial(n: int, **fields) -> dict:
    row = {
        "callID": f"C{n}",
        "lead_phone": f"212555{n:04d}",
        "pass_disposition": "ANSWER",
        "call_start": at(2024, 10, 28, 12),
    }
    row.update(fields)
    return row


def check(table: pl.DataFrame, name: str, column: str | None = None) -> dict:
    rows = table.filter(pl.col("check") == name)
    if column is not None:
        rows = rows.filter(pl.col("column") == column)
    assert rows.height == 1, rows
    return rows.row(0, named=True)


# ------------------------------------------------------------------------------ Dialer


def test_duplicate_call_id(dialer_empty):
    frame = build(dialer_empty, [dial(1), dial(1), dial(2), dial(1)])
    row = check(quality.dialer_quality(frame), "duplicate_call_id")
    assert (row["rows"], row["share"], row["status"]) == (3, 0.75, "found")
    assert row["examples"] == ["callID C1 ×3"]


def test_agent_fields_on_a_call_no_person_answered(dialer_empty):
    frame = build(
        dialer_empty,
        [
            dial(1, pass_disposition="MACHINE", agent_id="007"),
            dial(2, pass_disposition="ABANDON", agent_id="007"),
            dial(3, pass_disposition="ANSWER", agent_id="007", username="bond"),
            dial(4, pass_disposition="NOANSWER"),
            dial(5, pass_disposition="BUSY", agent_disposition="Do Not Call"),
        ],
    )
    row = check(quality.dialer_quality(frame), "agent_on_unanswered")
    assert row["rows"] == 2
    assert row["examples"] == [
        "callID C1: MACHINE with agent fields",
        "callID C5: BUSY with agent fields",
    ]


def test_agent_connected_before_the_first_dial(dialer_empty):
    frame = build(
        dialer_empty,
        [
            dial(
                1,
                speed_to_lead_first_pass=timedelta(seconds=5),
                speed_to_lead_agent_conn=timedelta(seconds=4),
            ),
            dial(
                2,
                speed_to_lead_first_pass=timedelta(seconds=5),
                speed_to_lead_agent_conn=timedelta(seconds=5),
            ),
            dial(3, speed_to_lead_first_pass=timedelta(seconds=5)),
        ],
    )
    row = check(quality.dialer_quality(frame), "agent_conn_before_first_pass")
    assert row["rows"] == 1
    assert row["examples"] == ["callID C1: agent_conn 0:00:04 < first_pass 0:00:05"]


def test_a_dial_before_its_lead_was_uploaded(dialer_empty):
    start = at(2024, 10, 28, 9)
    frame = build(
        dialer_empty,
        [
            dial(1, call_start=start, upload_date=start + timedelta(seconds=1)),
            dial(2, call_start=start, upload_date=start),
            dial(3, call_start=start),
        ],
    )
    row = check(quality.dialer_quality(frame), "dial_before_upload")
    assert row["rows"] == 1
    assert row["examples"] == [
        "callID C1: dialled 2024-10-28 09:00:00 EDT, uploaded 2024-10-28 09:00:01 EDT"
    ]


def test_negative_and_implausibly_long_durations(dialer_empty):
    twelve = timedelta(hours=12)
    frame = build(
        dialer_empty,
        [
            dial(1, duration=timedelta(seconds=-1)),
            dial(2, on_hold=twelve),
            dial(3, on_hold=twelve + timedelta(seconds=1)),
            dial(4, agent_wrap_time=timedelta(hours=-2), duration=timedelta(0)),
        ],
    )
    table = quality.dialer_quality(frame)
    negative = check(table, "negative_duration")
    assert negative["rows"] == 2
    assert negative["examples"] == [
        "callID C1: duration -0:00:01",
        "callID C4: agent_wrap_time -2:00:00",
    ]
    long = check(table, "duration_over_12h")
    assert (long["rows"], long["examples"]) == (1, ["callID C3: on_hold 12:00:01"])


def test_rows_outside_the_requested_window_across_a_fall_back_day(dialer_empty):
    frame = build(
        dialer_empty,
        [
            dial(1, call_start=at(2024, 11, 2, 23, 59, 59)),
            dial(2, call_start=at(2024, 11, 3, 0, 0)),
            # 2024-11-03 has 25 hours in New York; 23:30 is still inside the day
            dial(3, call_start=at(2024, 11, 3, 23, 30)),
            dial(4, call_start=at(2024, 11, 4, 0, 0)),
        ],
    )
    table = quality.dialer_quality(frame, start="2024-11-03", end="2024-11-04")
    row = check(table, "outside_window")
    assert row["rows"] == 2
    assert row["examples"] == [
        "callID C1: 2024-11-02 23:59:59 EDT",
        "callID C4: 2024-11-04 00:00:00 EST",
    ]
    unchecked = check(quality.dialer_quality(frame), "outside_window")
    assert (unchecked["rows"], unchecked["status"]) == (None, "not checked")


def test_a_column_that_goes_empty_against_the_baseline(dialer_empty):
    frame = build(dialer_empty, [dial(n) for n in range(4)])
    baseline = build(dialer_empty, [dial(n, agent_id="007") for n in range(10)])
    table = quality.dialer_quality(frame, baseline=baseline)
    row = check(table, "column_went_empty", "agent_id")
    assert (row["rows"], row["share"], row["status"]) == (4, 1.0, "found")
    assert row["description"].startswith("agent_id: 100.0% null now against 0.0%")
    assert table.filter(pl.col("check") == "column_went_empty").height == 1
    same = quality.dialer_quality(frame, baseline=frame)
    assert check(same, "column_went_empty")["status"] == "ok"
    assert check(quality.dialer_quality(frame), "column_went_empty")["status"] == "not checked"


@pytest.mark.parametrize(
    "report",
    [
        {"coerced": {"on_hold": 1, "duration": 3}, "gaps": {"call_start": 2}, "blank_rows": 4},
        SimpleNamespace(
            coerced={"on_hold": 1, "duration": 3}, gaps={"call_start": 2}, blank_rows=4
        ),
    ],
)
def test_counts_the_reader_reports(dialer_empty, report):
    frame = build(dialer_empty, [dial(n) for n in range(10)])
    table = quality.dialer_quality(frame, read_report=report)
    coerced = table.filter(pl.col("check") == "coerced_to_null")
    assert coerced.select("column", "rows", "share").rows() == [
        ("duration", 3, 0.3),
        ("on_hold", 1, 0.1),
    ]
    assert check(table, "dst_gap", "call_start")["rows"] == 2
    assert check(table, "dst_repeated")["status"] == "ok"
    assert check(table, "blank_rows")["rows"] == 4


def test_without_a_read_report_the_reader_checks_say_not_checked(dialer_empty):
    table = quality.dialer_quality(build(dialer_empty, [dial(1)]))
    reader = table.filter(
        pl.col("check").is_in(["coerced_to_null", "dst_gap", "dst_repeated", "blank_rows"])
    )
    assert reader["status"].to_list() == ["not checked"] * 4
    assert reader["rows"].null_count() == 4


def test_at_most_five_examples_and_no_phone_numbers(dialer_empty):
    frame = build(
        dialer_empty,
        [dial(n, pass_disposition="MACHINE", agent_id="007") for n in range(7)],
    )
    row = check(quality.dialer_quality(frame), "agent_on_unanswered")
    assert row["rows"] == 7
    assert len(row["examples"]) == 5
    assert "2125550" not in str(quality.dialer_quality(frame).to_dicts())


# ----------------------------------------------------------------------------- LeadFlow


def call(n: int, **fields) -> dict:
    row = {
        "sid": f"S{n}",
        "call_date": at(2024, 10, 28, 12),
        "caller_id": f"305555{n:04d}",
        "lead_status": "Connected",
        "offer_qualified": True,
        "offer_price": Decimal("38.00"),
        "affiliate_qualified": True,
        "affiliate_price": Decimal("25.00"),
        "margin": Decimal("13.00"),
        "talk_seconds": timedelta(seconds=114),
        "talk_minutes": timedelta(minutes=1.9),
        "total_seconds": timedelta(seconds=120),
        "total_minutes": timedelta(minutes=2),
        "call_duration": timedelta(minutes=2),
        "lf_state": "FL",
        "state": "FL",
    }
    row.update(fields)
    return row


def test_clean_leadflow_calls_pass_every_check(leadflow_empty):
    table = quality.leadflow_quality(build(leadflow_empty, [call(1), call(2)]))
    checked = table.filter(pl.col("status") != "not checked")
    assert set(checked["status"]) == {"ok"}
    assert checked.height == 9


def test_reported_margin_against_the_prices(leadflow_empty):
    frame = build(
        leadflow_empty,
        [
            call(1),
            call(2, margin=Decimal("14.00")),
            call(3, margin=None, offer_price=Decimal("0"), affiliate_price=Decimal("0")),
            call(4, margin=None),
        ],
    )
    row = check(quality.leadflow_quality(frame), "margin_mismatch")
    assert row["rows"] == 2
    assert row["examples"] == [
        "sid S2: margin 14.00 ≠ 38.00 − 25.00",
        "sid S4: margin 0.00 ≠ 38.00 − 25.00",
    ]


def test_talk_longer_than_the_call(leadflow_empty):
    frame = build(
        leadflow_empty,
        [
            call(1, talk_seconds=timedelta(seconds=121)),
            call(2, talk_seconds=timedelta(seconds=120)),
        ],
    )
    row = check(quality.leadflow_quality(frame), "talk_over_total")
    assert (row["rows"], row["examples"]) == (1, ["sid S1: talk 121 s > total 120 s"])


@pytest.mark.parametrize(
    ("total", "duration", "found"),
    [(60, 1, False), (61, 2, False), (61, 1, True), (0, 0, False), (59, 0, True)],
)
def test_call_duration_is_total_seconds_rounded_up(leadflow_empty, total, duration, found):
    frame = build(
        leadflow_empty,
        [
            call(
                1,
                total_seconds=timedelta(seconds=total),
                total_minutes=timedelta(seconds=-(-total // 6) * 6),
                talk_seconds=timedelta(0),
                talk_minutes=timedelta(0),
                call_duration=timedelta(minutes=duration),
            )
        ],
    )
    assert check(quality.leadflow_quality(frame), "call_duration_not_ceil")["rows"] == int(found)


@pytest.mark.parametrize(
    ("seconds", "tenths", "found"),
    [(113, 19, False), (113, 18, False), (113, 17, True), (114, 19, False), (114, 20, True)],
)
def test_talk_minutes_are_the_tenths_of_talk_seconds(leadflow_empty, seconds, tenths, found):
    frame = build(
        leadflow_empty,
        [
            call(
                1,
                talk_seconds=timedelta(seconds=seconds),
                talk_minutes=timedelta(seconds=tenths * 6),
            )
        ],
    )
    row = check(quality.leadflow_quality(frame), "talk_minutes_not_tenths")
    assert row["rows"] == int(found)
    if found:
        assert row["examples"] == [
            f"sid S1: talk_minutes {tenths / 10} min, talk_seconds {seconds} s"
        ]


def test_affiliate_paid_on_a_call_the_buyer_did_not_take(leadflow_empty):
    frame = build(
        leadflow_empty,
        [
            call(1, offer_qualified=False, offer_price=Decimal("0"), margin=Decimal("-25.00")),
            call(2),
            call(
                3, affiliate_qualified=False, affiliate_price=Decimal("0"), margin=Decimal("38.00")
            ),
        ],
    )
    row = check(quality.leadflow_quality(frame), "affiliate_paid_unqualified")
    assert (row["rows"], row["examples"]) == (1, ["sid S1: affiliate paid 25.00, no offer revenue"])


def test_affiliate_paid_while_not_connected(leadflow_empty):
    frame = build(
        leadflow_empty,
        [
            call(1, lead_status="Hang Up"),
            call(2),
            call(3, lead_status="No Buyer", affiliate_qualified=False),
        ],
    )
    row = check(quality.leadflow_quality(frame), "affiliate_paid_not_connected")
    assert (row["rows"], row["examples"]) == (1, ["sid S1: lead_status Hang Up"])


def test_offer_state_against_the_callers_state(leadflow_empty):
    frame = build(
        leadflow_empty,
        [call(1, state="fl "), call(2, state="GA"), call(3, state=None)],
    )
    row = check(quality.leadflow_quality(frame), "state_mismatch")
    assert (row["rows"], row["examples"]) == (1, ["sid S2: lf_state FL, state GA"])


def test_duplicate_sid(leadflow_empty):
    frame = build(leadflow_empty, [call(1), call(1), call(2)])
    row = check(quality.leadflow_quality(frame), "duplicate_sid")
    assert (row["rows"], row["examples"]) == (2, ["sid S1 ×2"])
    assert "3055550" not in str(quality.leadflow_quality(frame).to_dicts())


def test_leadflow_window(leadflow_empty):
    frame = build(leadflow_empty, [call(1, call_date=at(2024, 10, 27, 23)), call(2)])
    row = check(quality.leadflow_quality(frame, start=datetime(2024, 10, 28)), "outside_window")
    assert (row["rows"], row["examples"]) == (1, ["sid S1: 2024-10-27 23:00:00 EDT"])


# ------------------------------------------------------------------------ both sources


@pytest.mark.parametrize("source", ["dialer", "leadflow"])
@pytest.mark.parametrize("lazy", [False, True])
def test_empty_in_same_schema_out_and_lazy_like_eager(source, lazy):
    sample = (
        ca.sample_dialer_results(n=200) if source == "dialer" else ca.sample_leadflow_history(n=200)
    )
    run = quality.dialer_quality if source == "dialer" else quality.leadflow_quality
    options = {"start": "2024-10-29", "baseline": sample, "read_report": {"blank_rows": 1}}
    full = run(sample, **options)
    assert full.schema == pl.Schema(quality.QUALITY_SCHEMA)
    empty = run(sample.clear().lazy() if lazy else sample.clear(), **options)
    assert isinstance(empty, pl.LazyFrame) is lazy
    empty = empty.collect() if lazy else empty
    assert empty.schema == full.schema
    assert empty.filter(pl.col("check") != "blank_rows")["rows"].fill_null(0).sum() == 0
    assert empty["share"].null_count() == empty.height
    assert run(sample.lazy(), **options).collect().equals(full)


def test_a_frame_without_the_reader_columns_is_refused():
    with pytest.raises(ValueError, match=r"dialer_quality: missing column\(s\) callID"):
        quality.dialer_quality(pl.DataFrame({"call_start": [1], "pass_disposition": ["ANSWER"]}))


def test_quality_is_reachable_as_ca_quality():
    assert ca.quality.dialer_quality is quality.dialer_quality
    assert ca.quality.leadflow_quality is quality.leadflow_quality


def test_a_naive_timestamp_column_is_windowed_in_its_own_wall_clock(dialer_empty):
    frame = build(dialer_empty, [dial(1), dial(2, call_start=at(2024, 10, 29, 0, 0))])
    naive = frame.with_columns(pl.col("call_start", "upload_date").dt.replace_time_zone(None))
    row = check(quality.dialer_quality(naive, end="2024-10-29"), "outside_window")
    assert (row["rows"], row["examples"]) == (1, ["callID C2: 2024-10-29 00:00:00"])

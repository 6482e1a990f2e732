"""Compliance rules on hand-built Dialer frames, at their boundaries."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from callanalytics import metrics
from callanalytics.metrics import compliance

FLOOR = "America/New_York"


def dials(rows: list[dict]) -> pl.DataFrame:
    """A Dialer frame with the reader's dtypes; ``call_start`` is New York wall-clock time."""
    import callanalytics as ca

    empty = ca.sample_dialer_results(n=1).clear()
    columns = {name: [row.get(name) for row in rows] for name in empty.columns}
    frame = pl.DataFrame(
        {k: v for k, v in columns.items() if k != "call_start"},
        schema={k: pl.String for k in columns if k != "call_start"},
    )
    starts = pl.Series("call_start", columns["call_start"], dtype=pl.Datetime("us"))
    frame = frame.with_columns(starts.dt.replace_time_zone(FLOOR, ambiguous="earliest"))
    return frame.select(
        pl.col(name).cast(dtype) if name != "call_start" else pl.col(name)
        for name, dtype in empty.schema.items()
    )


def dial(start: datetime, *, n: int = 0, **fields) -> dict:
    row = {
        "callID": f"call{n:04d}",
        "campaign_name": "Solar",
        "lead_phone": "3055550101",
        "pass_disposition": "ANSWER",
        "call_start": start,
    }
    row.update(fields)
    return row


def statuses(frame: pl.DataFrame) -> dict[str, str]:
    out = compliance.calling_hours(frame)
    return dict(zip(out["callID"], out["status"], strict=True))


# -------------------------------------------------------------------------------- hours


def test_federal_hours_include_the_start_and_exclude_the_end():
    frame = dials(
        [
            dial(datetime(2024, 10, 28, 20, 59, 59), n=1, lead_state="NY"),
            dial(datetime(2024, 10, 28, 21, 0, 0), n=2, lead_state="NY"),
            dial(datetime(2024, 10, 28, 7, 59, 59), n=3, lead_state="NY"),
            dial(datetime(2024, 10, 28, 8, 0, 0), n=4, lead_state="NY"),
        ]
    )
    out = compliance.calling_hours(frame)
    assert out["callID"].to_list() == ["call0003", "call0002"]
    assert set(out["status"]) == {"outside hours"}
    assert set(out["citation"]) == {"47 CFR 64.1200(c)(1)"}
    assert out["local_start"].dt.time().to_list() == [time(7, 59, 59), time(21, 0)]


def test_florida_ends_at_eight_and_cites_its_statute():
    frame = dials(
        [
            dial(datetime(2024, 10, 28, 19, 59, 59), n=1, lead_state="FL"),
            dial(datetime(2024, 10, 28, 20, 0, 0), n=2, lead_state="FL"),
        ]
    )
    out = compliance.calling_hours(frame)
    assert out["callID"].to_list() == ["call0002"]
    assert out["allowed"].item() == "08:00–20:00"
    assert out["rule_from"].item() == "FL"
    assert out["citation"].item().startswith("Fla. Stat. § 501.616")


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # July: New York is on EDT (UTC-4), Phoenix on MST (UTC-7) all year: 3 hours apart.
        (datetime(2024, 7, 1, 23, 59, 59), None),
        (datetime(2024, 7, 2, 0, 0, 0), "outside hours"),
        # January: New York on EST (UTC-5): 2 hours apart.
        (datetime(2024, 1, 15, 22, 59, 59), None),
        (datetime(2024, 1, 15, 23, 0, 0), "outside hours"),
        (datetime(2024, 1, 15, 9, 59, 59), "outside hours"),
        (datetime(2024, 1, 15, 10, 0, 0), None),
    ],
)
def test_a_lead_in_arizona_has_no_daylight_saving_time(start, expected):
    frame = dials([dial(start, n=1, lead_state="AZ")])
    assert statuses(frame).get("call0001") == expected
    local = compliance.with_lead_local_time(frame)
    assert local["lead_zone"].item() == "America/Phoenix"
    assert local["zone_source"].item() == "lead_state"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Spring forward (2024-03-10): after 02:00 New York and Los Angeles are both on DST.
        (datetime(2024, 3, 10, 20, 59, 59), None),
        (datetime(2024, 3, 10, 21, 0, 0), "outside hours"),
        # Fall back (2024-11-03): evening of the change day, both on standard time.
        (datetime(2024, 11, 3, 20, 59, 59), None),
        (datetime(2024, 11, 3, 21, 0, 0), "outside hours"),
    ],
)
def test_dst_change_days_in_new_york(start, expected):
    frame = dials([dial(start, n=1, lead_timezone="America/New_York")])
    assert statuses(frame).get("call0001") == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 2024-03-10 in Los Angeles: 10:59:59 EDT is 07:59:59 PDT, 11:00 EDT is 08:00 PDT.
        (datetime(2024, 3, 10, 10, 59, 59), "outside hours"),
        (datetime(2024, 3, 10, 11, 0, 0), None),
        # 2024-11-03: 23:59:59 EST is 20:59:59 PST; midnight EST is 21:00 PST.
        (datetime(2024, 11, 3, 23, 59, 59), None),
        (datetime(2024, 11, 4, 0, 0, 0), "outside hours"),
    ],
)
def test_dst_change_days_for_a_lead_three_zones_away(start, expected):
    frame = dials([dial(start, n=1, lead_timezone="US/Pacific")])
    assert statuses(frame).get("call0001") == expected


def test_the_hour_repeated_at_fall_back_is_placed_by_the_instant():
    # 01:30 EDT and 01:30 EST on 2024-11-03 are an hour apart: 22:30 and 23:30 PDT in LA
    # the evening before, both outside 21:00.
    first = datetime(2024, 11, 3, 5, 30)  # UTC
    frame = dials([dial(datetime(2024, 11, 3, 12), n=1, lead_timezone="PST")])
    frame = pl.concat(
        [
            frame,
            frame.with_columns(
                callID=pl.lit("call0002"),
                call_start=pl.lit(first).dt.replace_time_zone("UTC").dt.convert_time_zone(FLOOR),
            ),
            frame.with_columns(
                callID=pl.lit("call0003"),
                call_start=pl.lit(first + timedelta(hours=1))
                .dt.replace_time_zone("UTC")
                .dt.convert_time_zone(FLOOR),
            ),
        ]
    )
    out = compliance.calling_hours(frame)
    assert out["callID"].to_list() == ["call0002", "call0003"]
    assert out["local_start"].to_list() == [
        datetime(2024, 11, 2, 22, 30),
        datetime(2024, 11, 2, 23, 30),
    ]


def test_texas_sunday_starts_at_noon():
    # 2024-11-10 is a Sunday; 2024-11-09 a Saturday. Texas leads on Central time.
    frame = dials(
        [
            dial(datetime(2024, 11, 10, 12, 59, 59), n=1, lead_state="TX"),
            dial(datetime(2024, 11, 10, 13, 0, 0), n=2, lead_state="TX"),
            dial(datetime(2024, 11, 9, 10, 0, 0), n=3, lead_state="TX"),
            dial(datetime(2024, 11, 9, 9, 59, 59), n=4, lead_state="TX"),
        ]
    )
    out = compliance.calling_hours(frame)
    assert out["callID"].to_list() == ["call0004", "call0001"]
    assert out["allowed"].to_list() == ["09:00–21:00", "12:00–21:00"]


def test_zone_falls_back_from_lead_timezone_to_lead_state_state_and_zip():
    at = datetime(2024, 10, 28, 12)
    frame = dials(
        [
            dial(at, n=1, lead_timezone="America/Chicago", lead_state="FL"),
            dial(at, n=2, lead_timezone="Mars/Base", lead_state="CA"),
            dial(at, n=3, state="Texas"),
            dial(at, n=4, zip="33101-1234"),
            dial(at, n=5, zip="090"),
            dial(at, n=6, lead_timezone="MST"),
        ]
    ).with_columns(lead_phone=pl.format("212555010{}", pl.int_range(pl.len())))
    out = compliance.with_lead_local_time(frame)
    assert out.select("lead_zone", "zone_source", "jurisdiction").rows() == [
        ("America/Chicago", "lead_timezone", "FL"),
        ("America/Los_Angeles", "lead_state", "CA"),
        ("America/Chicago", "state", "TX"),
        ("America/New_York", "zip", "FL"),
        (None, None, None),
        (None, None, None),
    ]
    unknown = compliance.calling_hours(frame)
    assert unknown["callID"].to_list() == ["call0005", "call0006"]
    assert set(unknown["status"]) == {"zone unknown"}
    summary = compliance.compliance_summary(frame).row(0, named=True)
    assert (summary["checked"], summary["unchecked"], summary["status"]) == (4, 2, "pass")
    findings = compliance.compliance_findings(frame)
    assert findings.select("rule", "severity", "count").rows() == [
        ("calling_hours", "unchecked", 2)
    ]


# -------------------------------------------------------------------------- abandonment


def _abandon_day(day: datetime, answered: int, abandoned: int, campaign: str, start: int):
    rows = []
    for i in range(answered + abandoned):
        rows.append(
            dial(
                day + timedelta(minutes=i),
                n=start + i,
                campaign_name=campaign,
                lead_phone=f"212555{start + i:04d}",
                lead_state="NY",
                pass_disposition="ANSWER" if i < answered else "ABANDON",
            )
        )
    return rows


def test_exactly_three_percent_abandoned_passes_and_above_fails():
    day = datetime(2024, 10, 28, 10)
    frame = dials(
        _abandon_day(day, 97, 3, "Exactly", 0)
        + _abandon_day(day, 96, 4, "Above", 1000)
        + _abandon_day(day, 39, 1, "Edge of margin", 2000)
        + _abandon_day(day, 40, 1, "Below margin", 3000)
    )
    rates = compliance.abandonment_rates(frame).sort("campaign")
    assert rates.select("campaign", "answered", "abandoned", "status").rows() == [
        ("Above", 96, 4, "above"),
        ("Below margin", 40, 1, "ok"),
        ("Edge of margin", 39, 1, "near"),
        ("Exactly", 97, 3, "near"),
    ]
    summary = compliance.compliance_summary(frame).filter(pl.col("rule") == "abandonment")
    assert summary.select("violations", "warnings", "status").row(0) == (1, 2, "fail")
    findings = compliance.compliance_findings(frame).filter(pl.col("rule") == "abandonment")
    assert findings.select("severity", "campaign", "count").rows() == [
        ("violation", "Above", 4),
        ("warning", "Edge of margin", 1),
        ("warning", "Exactly", 3),
    ]
    assert "4.0% abandoned (4 of 100 live answers)" in findings["detail"][0]


def test_abandonment_periods_roll_over_thirty_days():
    first = datetime(2024, 9, 1, 10)
    frame = dials(
        _abandon_day(first, 9, 1, "Solar", 0)
        + _abandon_day(first + timedelta(days=30), 10, 0, "Solar", 100)
    )
    rates = compliance.abandonment_rates(frame)
    assert rates.height == 31  # every day from the first to the last dial
    last_two = rates.tail(2)
    assert last_two.select("period_start", "period_end", "answered", "abandoned").rows() == [
        (datetime(2024, 9, 1).date(), datetime(2024, 9, 30).date(), 9, 1),
        (datetime(2024, 9, 2).date(), datetime(2024, 10, 1).date(), 10, 0),
    ]
    assert last_two["status"].to_list() == ["above", "ok"]
    assert last_two["complete"].to_list() == [True, True]
    assert rates["complete"][0] is False
    findings = compliance.compliance_findings(frame).filter(pl.col("rule") == "abandonment")
    # the one abandoned dial (10:09 on the first day) lies inside the flagged period
    assert findings.select("severity", "count", "first").row(0) == (
        "violation",
        1,
        datetime(2024, 9, 1, 10, 9, tzinfo=ZoneInfo(FLOOR)),
    )


def test_abandonment_limit_and_margin_are_checked():
    frame = dials(_abandon_day(datetime(2024, 10, 28, 10), 9, 1, "Solar", 0))
    with pytest.raises(ValueError, match="limit must be a share"):
        compliance.abandonment_rates(frame, limit=3)
    with pytest.raises(ValueError, match="larger than the limit"):
        compliance.abandonment_rates(frame, margin=0.05)


# ---------------------------------------------------------------------------- frequency


def test_florida_allows_three_dials_per_number_in_24_hours():
    t = datetime(2024, 10, 28, 9)
    frame = dials(
        [
            dial(t, n=1, lead_state="FL", lead_phone="+1 (305) 555-0101"),
            dial(t + timedelta(hours=1), n=2, lead_state="FL", lead_phone="305-555-0101"),
            dial(t + timedelta(hours=2), n=3, lead_state="FL"),
            # exactly 24 h after the first: the first has left the window
            dial(t + timedelta(hours=24), n=4, lead_state="FL"),
            dial(t + timedelta(hours=24, seconds=1), n=5, lead_state="FL"),
            # another campaign (another subject) and another state are counted apart
            dial(t + timedelta(hours=3), n=6, lead_state="FL", campaign_name="Auto"),
            dial(t, n=7, lead_state="NY", lead_phone="2125550101"),
            dial(t, n=8, lead_state="NY", lead_phone="2125550101"),
            dial(t, n=9, lead_state="NY", lead_phone="2125550101"),
            dial(t, n=10, lead_state="NY", lead_phone="2125550101"),
        ]
    )
    out = compliance.call_frequency(frame)
    assert out.select("callID", "calls_in_window", "limit", "window").rows() == [
        ("call0005", 4, 3, "24h")
    ]
    assert out["number"].item() == "•••0101"
    summary = compliance.compliance_summary(frame).filter(pl.col("rule") == "frequency_24h")
    assert summary.select("checked", "violations", "status").row(0) == (6, 1, "fail")


def test_a_thirty_day_limit_from_your_own_table(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text(
        "code,start,end,max_calls_30d,citation\n"
        "US,08:00,21:00,,47 CFR 64.1200(c)(1)\n"
        "NY,08:00,21:00,2,House policy\n",
        encoding="utf-8",
    )
    t = datetime(2024, 10, 1, 12)
    frame = dials(
        [
            dial(t, n=1, lead_state="NY"),
            dial(t + timedelta(days=29), n=2, lead_state="NY"),
            # exactly 30 days after the first: the first has left the window
            dial(t + timedelta(days=30), n=3, lead_state="NY"),
            dial(t + timedelta(days=30, seconds=1), n=4, lead_state="NY"),
        ]
    )
    out = compliance.call_frequency(frame, rules=path)
    assert out.select("callID", "window", "calls_in_window", "citation").rows() == [
        ("call0004", "30d", 3, "House policy")
    ]


# ---------------------------------------------------------------------- do not call


def test_a_number_dialled_after_a_do_not_call_request():
    t = datetime(2024, 10, 28, 10)
    frame = dials(
        [
            dial(t - timedelta(hours=1), n=1, lead_state="NY"),
            dial(t, n=2, lead_state="NY", agent_disposition="Do Not Call"),
            dial(t + timedelta(hours=2), n=3, lead_state="NY", campaign_name="Auto"),
            dial(t, n=4, lead_state="NY", lead_phone="2125550199", agent_disposition="dnc"),
            dial(t, n=5, lead_state="NY", lead_phone="2125550177", agent_disposition="Undone"),
            dial(t + timedelta(days=1), n=6, lead_state="NY", lead_phone="2125550177"),
        ]
    )
    out = compliance.dnc_redials(frame)
    assert out.select("callID", "campaign", "request_campaign", "after").rows() == [
        ("call0003", "Auto", "Solar", timedelta(hours=2))
    ]
    assert compliance.dnc_redials(frame, grace=timedelta(hours=3)).height == 0
    custom = compliance.dnc_redials(frame, dispositions=["undone"])
    assert custom["callID"].to_list() == ["call0006"]
    summary = compliance.compliance_summary(frame).filter(pl.col("rule") == "do_not_call")
    assert summary.select("checked", "violations", "status").row(0) == (2, 1, "fail")


# ------------------------------------------------------------------ findings, summary


def test_findings_mask_numbers_and_name_the_rule():
    t = datetime(2024, 10, 28, 21, 30)
    frame = dials(
        [
            dial(t, n=1, lead_state="NY", lead_phone="2125550123"),
            dial(t, n=2, lead_state="NY", lead_phone="2125550456"),
        ]
    )
    findings = compliance.compliance_findings(frame)
    row = findings.row(0, named=True)
    assert (row["rule"], row["severity"], row["campaign"], row["count"]) == (
        "calling_hours",
        "violation",
        "Solar",
        2,
    )
    assert row["examples"] == [
        "•••0123 at 2024-10-28 21:30:00 local (America/New_York)",
        "•••0456 at 2024-10-28 21:30:00 local (America/New_York)",
    ]
    text = str(findings.to_dicts()) + str(compliance.calling_hours(frame).to_dicts())
    assert "5550123" not in text and "5550456" not in text


def test_summary_lists_every_rule_and_passes_clean_data():
    frame = dials([dial(datetime(2024, 10, 28, 12), n=1, lead_state="NY")])
    summary = compliance.compliance_summary(frame)
    assert summary["rule"].to_list() == list(compliance.COMPLIANCE_RULES)
    assert summary["status"].to_list() == ["pass"] * 5
    assert compliance.compliance_findings(frame).height == 0


CHECKS = [
    compliance.calling_hours,
    compliance.abandonment_rates,
    compliance.call_frequency,
    compliance.dnc_redials,
    compliance.compliance_findings,
    compliance.compliance_summary,
    compliance.with_lead_local_time,
]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("lazy", [False, True])
def test_empty_in_empty_out_and_lazy_like_eager(check, lazy):
    import callanalytics as ca

    calls = ca.sample_dialer_results(n=300)
    empty = calls.clear()
    out = check(empty.lazy() if lazy else empty)
    assert isinstance(out, pl.LazyFrame) is lazy
    out = out.collect() if lazy else out
    full = check(calls)
    assert out.schema == full.schema
    if check is compliance.compliance_summary:
        assert out["status"].to_list() == ["pass"] * 5
    else:
        assert out.height == 0
    lazy_full = check(calls.lazy()).collect()
    assert lazy_full.equals(full)


def test_call_start_without_a_zone_is_refused():
    frame = dials([dial(datetime(2024, 10, 28, 12), n=1)])
    naive = frame.with_columns(pl.col("call_start").dt.replace_time_zone(None))
    with pytest.raises(ValueError, match="call_start must be a time-zone-aware Datetime"):
        compliance.calling_hours(naive)


# ------------------------------------------------------------------------- rules table


def test_the_package_rules_table():
    rules = compliance.calling_rules()
    assert rules.schema == pl.Schema(compliance.RULES_SCHEMA)
    us = rules.filter(pl.col("code") == "US").row(0, named=True)
    assert (us["start"], us["end"], us["citation"]) == (time(8), time(21), "47 CFR 64.1200(c)(1)")
    fl = rules.filter(pl.col("code") == "FL").row(0, named=True)
    assert (fl["end"], fl["max_calls_24h"]) == (time(20), 3)
    assert rules["citation"].is_not_null().all()


def test_your_own_toml_table(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[jurisdiction]]\ncode = "US"\nstart = "09:00"\nend = "20:00"\ncitation = "policy"\n'
        '[[jurisdiction]]\ncode = "ny"\nstart = "10:00"\nend = "19:30"\n'
        'sunday_start = "closed"\ncitation = "NY policy"\n',
        encoding="utf-8",
    )
    rules = compliance.calling_rules(path)
    assert rules["code"].to_list() == ["US", "NY"]
    frame = dials(
        [
            dial(datetime(2024, 11, 8, 19, 29, 59), n=1, lead_state="NY"),  # Friday
            dial(datetime(2024, 11, 8, 19, 30), n=2, lead_state="NY"),
            dial(datetime(2024, 11, 10, 12), n=3, lead_state="NY"),  # Sunday: closed
            dial(datetime(2024, 11, 8, 19, 59, 59), n=4, lead_state="CA"),  # 16:59 in CA
        ]
    )
    out = compliance.calling_hours(frame, rules=path)
    assert out.select("callID", "allowed", "citation").rows() == [
        ("call0002", "10:00–19:30", "NY policy"),
        ("call0003", "closed", "NY policy"),
    ]
    assert compliance.calling_hours(frame, rules=rules).equals(out)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('code = "FL"\nstart = "08:00"\nend = "20:00"\ncitation = "x"', "no 'US' row"),
        ('code = "US"\nstart = "8am"\nend = "21:00"\ncitation = "x"', "start: '8am' is not"),
        ('code = "US"\nstart = "21:00"\nend = "08:00"\ncitation = "x"', "end 08:00 is not after"),
        ('code = "US"\nstart = "08:00"\nend = "21:00"', "citation is required"),
        ('code = "XX"\nstart = "08:00"\nend = "21:00"\ncitation = "x"', "code must be 'US'"),
        (
            'code = "US"\nstart = "08:00"\nend = "21:00"\ncitation = "x"\nmax_calls_24h = 0',
            "max_calls_24h: 0 is not a positive",
        ),
        (
            'code = "US"\nstart = "08:00"\nend = "21:00"\ncitation = "x"\nhours = 3',
            "unknown field",
        ),
    ],
)
def test_a_bad_rules_table_names_file_rule_and_field(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text("[[jurisdiction]]\n" + text + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        compliance.calling_rules(path)
    assert str(path) in str(caught.value)


def test_a_rules_table_names_a_duplicate(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        "code,start,end,citation\nUS,08:00,21:00,a\nFL,08:00,20:00,b\nFL,08:00,20:00,c\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"rule 3 \(FL\): FL appears twice"):
        compliance.calling_rules(path)


def test_metrics_exports_the_compliance_functions():
    for name in (
        "calling_rules",
        "calling_hours",
        "abandonment_rates",
        "call_frequency",
        "dnc_redials",
        "compliance_findings",
        "compliance_summary",
        "compliance_checks",
        "with_lead_local_time",
    ):
        assert getattr(metrics, name) is getattr(compliance, name)
        assert name in metrics.__all__


def test_violations_come_before_unchecked_dials_within_a_rule():
    frame = dials(
        [
            dial(datetime(2024, 10, 28, 12), n=1, lead_phone="2125550001"),
            dial(datetime(2024, 10, 28, 22), n=2, lead_state="NY", lead_phone="2125550002"),
        ]
    )
    findings = compliance.compliance_findings(frame)
    assert findings.select("rule", "severity", "count").rows() == [
        ("calling_hours", "violation", 1),
        ("calling_hours", "unchecked", 1),
    ]


def test_the_report_can_say_what_is_not_checked():
    topics = " ".join(topic for topic, _ in compliance.COMPLIANCE_NOT_CHECKED).lower()
    assert "consent" in topics
    assert "wireless" in topics
    assert "registries" in topics
    assert "not legal advice" in compliance.COMPLIANCE_DISCLAIMER

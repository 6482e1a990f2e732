"""Each column kind on the cases the type contract lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callanalytics.schema import (
    Clock,
    Count,
    Duration,
    Flag,
    Id,
    Money,
    Text,
    Timestamp,
    Vocabulary,
)

NY = ZoneInfo("America/New_York")


ZONE = "America/New_York"


def parse(kind, values, timezone=ZONE):
    series = pl.Series("x", values, dtype=pl.String)
    expr = kind.parse(pl.col("x"), timezone)
    return pl.DataFrame([series]).select(expr).to_series().to_list()


def invalid(kind, values):
    return (
        pl.DataFrame([pl.Series("x", values, dtype=pl.String)])
        .select(kind.invalid(pl.col("x"), ZONE))
        .to_series()
        .to_list()
    )


def test_text_turns_empty_into_null_and_keeps_everything_else():
    assert parse(Text(), ["", None, ' a, "b"\nc ', "São Paulo"]) == [
        None,
        None,
        ' a, "b"\nc ',
        "São Paulo",
    ]


def test_ids_keep_leading_zeros_and_punctuation():
    values = ["02134", "007", "+1 (212) 555-0100", "202411031530450000001234567890"]
    assert parse(Id(), values) == values


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("4.35", 261_000),
        ("0.01", 600),
        ("10", 600_000),
        (" 1.5 ", 90_000),
        ("-0.5", -30_000),
        (".5", 30_000),
    ],
)
def test_minutes_are_exact_to_the_millisecond(text, ms):
    assert parse(Duration("min"), [text]) == [timedelta(milliseconds=ms)]


def test_seconds_and_tenths_of_minutes():
    assert parse(Duration("s"), ["12", "0.25", ""]) == [
        timedelta(seconds=12),
        timedelta(milliseconds=250),
        None,
    ]
    assert parse(Duration("min", 1), ["3.1"]) == [timedelta(seconds=186)]


def test_durations_refuse_text_that_is_not_a_number():
    assert invalid(Duration("min"), ["4,35", "abc", "nan", "", None, "4.35"]) == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:05:30", timedelta(minutes=5, seconds=30)),
        ("26:00:01", timedelta(hours=26, seconds=1)),
        ("1:02:03.250", timedelta(hours=1, minutes=2, seconds=3, milliseconds=250)),
        ("2 days 03:04:05", timedelta(days=2, hours=3, minutes=4, seconds=5)),
        ("1 day, 00:00:01", timedelta(days=1, seconds=1)),
        ("330", timedelta(seconds=330)),
        ("12.5", timedelta(seconds=12.5)),
    ],
)
def test_clock_durations_accept_clock_text_and_bare_seconds(text, expected):
    assert parse(Clock(), [text]) == [expected]


def test_clock_column_may_mix_forms_and_flags_garbage():
    assert parse(Clock(), ["00:01:00", "60", None]) == [timedelta(minutes=1)] * 2 + [None]
    assert invalid(Clock(), ["1:60:00", "soon", "00:00:10"]) == [True, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", "12.50"),
        ("$1,234.50", "1234.50"),
        ("-15.00", "-15.00"),
        ("(15.00)", "-15.00"),
        ("$-3", "-3.00"),
        ("7", "7.00"),
        ("12.500", "12.50"),
    ],
)
def test_money_is_exact_decimal(text, expected):
    assert parse(Money(2), [text]) == [Decimal(expected)]


def test_money_refuses_more_decimals_than_its_scale_rather_than_rounding():
    assert invalid(Money(2), ["12.555", "12.50", "1.2.3", "abc"]) == [True, False, True, True]
    assert parse(Money(4), ["0.0125"]) == [Decimal("0.0125")]


def test_flags_accept_the_usual_spellings():
    values = ["Y", "n", "Yes", "NO", "true", "False", "1", "0", "", None, "t", "F"]
    assert parse(Flag(), values) == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        None,
        None,
        True,
        False,
    ]
    assert invalid(Flag(), ["maybe", "Y"]) == [True, False]


def test_vocabulary_is_an_enum_matched_without_case():
    kind = Vocabulary(("Connected", "Hang Up"))
    assert parse(kind, ["connected", " Hang Up ", ""]) == ["Connected", "Hang Up", None]
    assert invalid(kind, ["Busy", "Connected"]) == [True, False]
    assert kind.dtype(ZONE) == pl.Enum(["Connected", "Hang Up"])


def test_counts_are_whole_numbers():
    assert parse(Count(), ["3", " 12 ", ""]) == [3, 12, None]
    assert invalid(Count(), ["3.5", "two", "4"]) == [True, True, False]


def test_timestamps_accept_the_documented_forms():
    values = [
        "2024-01-05 10:00:00",
        "2024-01-05T10:00:00",
        "2024-01-05 10:00:00.250",
        "2024-01-05T15:00:00Z",
        "2024-01-05T10:00:00-05:00",
        "2024-01-05T17:00:00+0200",
        "2024-01-05",
    ]
    out = parse(Timestamp(), values, timezone="America/New_York")
    ten = datetime(2024, 1, 5, 10, tzinfo=NY)
    assert out[:2] == [ten, ten]
    assert out[2] == ten + timedelta(milliseconds=250)
    assert out[3:6] == [ten, ten, ten]
    assert out[6] == datetime(2024, 1, 5, tzinfo=NY)


def test_repeated_local_time_takes_the_earlier_instant_and_gap_is_null():
    kind = Timestamp()
    fall_back, gap = "2024-11-03 01:30:00", "2024-03-10 02:30:00"
    out = parse(kind, [fall_back, gap], timezone="America/New_York")
    assert out[0].utcoffset() == timedelta(hours=-4)  # EDT, the first 01:30
    assert out[1] is None
    frame = pl.DataFrame({"x": [fall_back, gap, "garbage"]})
    flags = frame.select(
        gap=kind.gap(pl.col("x"), "America/New_York"),
        bad=kind.invalid(pl.col("x"), "America/New_York"),
    )
    assert flags["gap"].to_list() == [False, True, False]
    assert flags["bad"].to_list() == [False, False, True]


@pytest.mark.parametrize(
    "kind",
    [Duration("min", 2), Duration("s"), Clock(), Flag(), Money(2), Count(), Vocabulary(("A", "B"))],
)
def test_format_is_the_inverse_of_parse(kind):
    samples = {
        Duration: ["4.35", "0.00", "12.60"],
        Clock: ["0:05:30", "50:00:01", "0:00:00"],
        Flag: ["Y", "N", "Y"],
        Money: ["12.50", "-15.00", "0.00"],
        Count: ["1", "22", "333"],
        Vocabulary: ["A", "B", "A"],
    }
    values = (
        samples[type(kind)]
        if not (isinstance(kind, Duration) and kind.unit == "s")
        else ["12", "0", "3600"]
    )
    frame = pl.DataFrame({"x": values})
    typed = frame.select(kind.parse(pl.col("x"), ZONE))
    assert typed.select(kind.format(pl.col("x"))).to_series().to_list() == values


_TEXTS = st.one_of(
    st.sampled_from(
        [
            "Y",
            "n",
            "Yes",
            "TRUE",
            "0",
            "ANSWER",
            "answer",
            " BUSY ",
            "12",
            "-3",
            "+7",
            "4.35",
            " 1.5 ",
            "1e3",
            "nan",
            "inf",
            "00:05:30",
            "26:00:01",
            "1:60:00",
            "-1:00:00",
            "2 days 03:04:05",
            "12.5",
            "$1,234.50",
            "(15.00)",
            "12.555",
            "2024-11-03 01:30:00",
            "2024-03-10 02:30:00",
            "2024-01-05T10:00:00Z",
            "2024-01-05",
            "x",
            "1:02:03.250",
        ]
    ),
    st.from_regex(r"\A[0-9:. \-+a-zA-Z]{0,12}\Z"),
)
_KINDS = [
    Count(),
    Flag(),
    Vocabulary(("ANSWER", "BUSY")),
    Money(2),
    Duration("min"),
    Duration("s"),
    Clock(),
    Text(),
]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_TEXTS, min_size=1, max_size=30))
def test_fast_parse_agrees_with_full_parse_wherever_it_answers(values):
    # readers hand ``fast`` no empty strings: the CSV reader and JSON reader null them
    frame = pl.DataFrame({"x": [v or None for v in values]}, schema={"x": pl.String})
    for kind in _KINDS:
        out = frame.select(fast=kind.fast(pl.col("x"), ZONE), full=kind.parse(pl.col("x"), ZONE))
        answered = out.filter(pl.col("fast").is_not_null())
        assert answered["fast"].to_list() == answered["full"].to_list(), kind
    stamp = Timestamp()
    out = frame.select(
        fast=stamp.fast(pl.col("x"), "America/New_York"),
        full=stamp.parse(pl.col("x"), "America/New_York"),
    ).filter(pl.col("fast").is_not_null())
    assert out["fast"].to_list() == out["full"].to_list()


def test_fast_clock_refuses_signs_and_spaces_the_full_parse_refuses():
    # Issue 9.16: "-0:00:05" and "+1:00:00" were positive durations on the fast path only.
    values = ["-0:00:05", "+1:00:00", "1:+5:00", "1:05:-1", "1: 5:00", "0:00:05"]
    frame = pl.DataFrame({"x": values})
    out = frame.select(fast=Clock().fast(pl.col("x"), ZONE), full=Clock().parse(pl.col("x"), ZONE))
    assert out["full"].to_list() == [None] * 5 + [timedelta(seconds=5)]
    assert out["fast"].to_list() == [None] * 5 + [timedelta(seconds=5)]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (Duration("min"), "1e20"),
        (Duration("s"), "9223372036854775807"),
        (Duration("ms"), "-1e300"),
        (Clock(), "9999999999999999"),
        (Clock(), "-9223372036854775808"),
        (Clock(), "3000000000:00:00"),
        (Clock(), "99999999999 days 00:00:00"),
    ],
)
def test_durations_out_of_range_are_bad_values_not_overflows(kind, text):
    # Issue 9.15: a raw cast error for the whole column, or a wrapped negative duration.
    frame = pl.DataFrame({"x": [text, "5"]})
    out = frame.select(
        fast=kind.fast(pl.col("x"), ZONE),
        full=kind.parse(pl.col("x"), ZONE),
        bad=kind.invalid(pl.col("x"), ZONE),
    )
    assert out["fast"][0] is None and out["full"][0] is None and out["bad"][0] is True
    five_units = timedelta(milliseconds=5 * getattr(kind, "ms_per_unit", 1000))
    assert out["fast"][1] == out["full"][1] == five_units


def test_the_longest_duration_accepted_is_the_documented_bound():
    from callanalytics.schema.kinds import MAX_DURATION_MS

    limit = MAX_DURATION_MS // 1000
    frame = pl.DataFrame({"x": [str(limit), str(limit + 1), f"-{limit}"]})
    for kind in (Clock(), Duration("s")):
        out = frame.select(fast=kind.fast(pl.col("x"), ZONE), full=kind.parse(pl.col("x"), ZONE))
        expected = [timedelta(seconds=limit), None, timedelta(seconds=-limit)]
        assert out["full"].to_list() == expected, kind
        assert out["fast"].to_list() == expected, kind


def test_clock_text_at_the_bound_agrees_on_both_paths():
    from callanalytics.schema.kinds import MAX_DURATION_MS

    hours = MAX_DURATION_MS // 3_600_000
    frame = pl.DataFrame({"x": [f"{hours}:00:00", f"{hours}:59:59", f"{hours - 1}:59:59"]})
    out = frame.select(fast=Clock().fast(pl.col("x"), ZONE), full=Clock().parse(pl.col("x"), ZONE))
    assert out["full"].to_list() == [
        timedelta(hours=hours),
        None,  # 2**53 ms is passed within this hour
        timedelta(hours=hours - 1, minutes=59, seconds=59),
    ]
    for fast, full in out.iter_rows():
        assert fast is None or fast == full


@pytest.mark.parametrize(
    ("zone", "text", "expected"),
    [
        ("America/New_York", "2024-11-03 00:59:59", False),
        ("America/New_York", "2024-11-03 01:00:00", True),
        ("America/New_York", "2024-11-03 01:59:59", True),
        ("America/New_York", "2024-11-03 02:00:00", False),
        ("Australia/Lord_Howe", "2024-04-07 01:45:00", True),  # a 30-minute fall-back
        ("Australia/Lord_Howe", "2024-04-07 02:00:00", False),
        ("Europe/London", "1971-10-31 02:30:00", True),
        ("America/New_York", "1850-11-03 01:30:00", False),  # before the table: localized again
        ("UTC", "2024-11-03 01:30:00", False),
    ],
)
def test_the_repeated_hour_is_found_at_its_exact_bounds(zone, text, expected):
    kind = Timestamp()
    frame = pl.DataFrame({"x": [text]})
    out = frame.select(
        fast=kind.fast_repeated(kind.fast(pl.col("x"), zone), zone),
        full=kind.repeated(pl.col("x"), zone),
    )
    assert out.row(0) == (expected, expected)

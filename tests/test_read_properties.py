"""One definition per kind (issue 9.16): the fast parse a reader tries first may only accept
what the full parse accepts, and give the same value; so reading a value gives the same
result whatever else is in the file (a bad neighbour sends its column to the full parse)."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import callanalytics as ca
from callanalytics.schema import Clock, Count, Duration, Flag, Money, Timestamp, Vocabulary
from tests.builders import dialer_csv

_PAD = st.sampled_from(["", "", "", " ", "  ", "\t"])
_SIGN = st.sampled_from(["", "", "", "+", "-", "+-", "- ", " -", "−"])
_HUGE = st.sampled_from(
    [
        "9999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "99999999999999999999999",
        "9007199254740",
        "9007199254741",
        "1e20",
        "1e308",
        "1e309",
        "-1e20",
        "1E+15",
    ]
)
_WHOLE = st.one_of(st.integers(0, 10**20).map(str), st.from_regex(r"\A0*\d{1,3}\Z"), _HUGE)
_FIELD = st.one_of(st.integers(0, 99).map(str), st.integers(0, 99).map("{:02d}".format))


@st.composite
def _numbers(draw: st.DrawFn) -> str:
    whole = draw(_WHOLE)
    frac = draw(st.sampled_from(["", ".", ".5", ".25", ".999", ".0001"]))
    exp = draw(st.sampled_from(["", "", "e3", "E-2", "e+1", "e400", "e"]))
    return draw(_SIGN) + whole + frac + exp


@st.composite
def _clocks(draw: st.DrawFn) -> str:
    hours = draw(st.one_of(_FIELD, _WHOLE))
    minutes, seconds = draw(_FIELD), draw(_FIELD)
    frac = draw(st.sampled_from(["", "", ".5", ".250"]))
    days = draw(st.sampled_from(["", "", "1 day, ", "2 days ", "99999999999 days "]))
    middle = draw(st.sampled_from([":", ":", ": ", ":+", ":-"]))
    return f"{draw(_SIGN)}{days}{hours}{middle}{minutes}:{seconds}{frac}"


@st.composite
def _stamps(draw: st.DrawFn) -> str:
    year = draw(st.sampled_from(["2024", "1999", "0000", "99999", "+2024", "-2024", "24"]))
    month, day = draw(_FIELD), draw(_FIELD)
    hour, minute, second = draw(_FIELD), draw(_FIELD), draw(_FIELD)
    sep = draw(st.sampled_from([" ", " ", "T", "  "]))
    tail = draw(st.sampled_from(["", "", ".5", "Z", "+01:00"]))
    return f"{draw(_SIGN)}{year}-{month}-{day}{sep}{hour}:{minute}:{second}{tail}"


_WORDS = st.sampled_from(
    ["Y", "y", "N", "Yes", "no", "true", "FALSE", "1", "0", "ANSWER", "answer", "BUSY", "x"]
)
_RAW = st.builds(
    lambda before, core, after: before + core + after,
    _PAD,
    st.one_of(_numbers(), _clocks(), _stamps(), _WORDS, _WHOLE),
    _PAD,
)

_KINDS = [
    Count(),
    Flag(),
    Vocabulary(("ANSWER", "BUSY")),
    Duration("min"),
    Duration("s"),
    Duration("h"),
    Duration("ms"),
    Clock(),
    Money(2),
    Money(4),
]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_RAW, min_size=1, max_size=20))
def test_every_fast_parse_gives_the_full_parse_value_wherever_it_answers(values):
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String})
    zone = "America/New_York"
    for kind in _KINDS:
        out = frame.select(
            raw=pl.col("x"), fast=kind.fast(pl.col("x"), zone), full=kind.parse(pl.col("x"), zone)
        ).filter(pl.col("fast").is_not_null())
        assert out["fast"].equals(out["full"]), (kind, out.select(pl.col("raw")).rows())
    out = frame.select(
        raw=pl.col("x"),
        fast=Timestamp().fast(pl.col("x"), zone),
        full=Timestamp().parse(pl.col("x"), zone),
    ).filter(pl.col("fast").is_not_null())
    assert out["fast"].equals(out["full"]), out.select(pl.col("raw")).rows()
    stamp, fast = Timestamp(), Timestamp().fast(pl.col("x"), zone)
    repeats = frame.filter(fast.is_not_null()).select(
        raw=pl.col("x"),
        fast=stamp.fast_repeated(fast, zone),
        full=stamp.repeated(pl.col("x"), zone),
    )
    assert repeats["fast"].equals(repeats["full"]), repeats.select(pl.col("raw")).rows()


# One column per kind that has a fast path, as the Dialer export names them.
_COLUMNS = {
    "lead_passes": st.one_of(_numbers(), _WHOLE),
    "pass_disposition": _WORDS,
    "duration": _numbers(),
    "on_hold": _numbers(),
    "agent_wait_time": st.one_of(_clocks(), _numbers()),
    "speed_to_lead_first_pass": _clocks(),
    "call_start": _stamps(),
}
_BAD_ROW = dict.fromkeys(_COLUMNS, "not a value")


def _read_all(data: bytes) -> list[pl.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ca.CallAnalyticsWarning)
        eager = ca.read_dialer_results(data, strict=False)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            path.write_bytes(data)
            lazy = ca.scan_dialer_results(path, strict=False).collect()
    return [eager, lazy]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.fixed_dictionaries({k: st.builds(str.__add__, v, _PAD) for k, v in _COLUMNS.items()}))
def test_a_value_reads_the_same_whatever_else_is_in_the_file(row):
    base = {"callID": "1", "ID": "1"}
    names = list(_COLUMNS)
    alone = _read_all(dialer_csv([base | row]))
    mixed = _read_all(dialer_csv([base | _BAD_ROW, base | row]))
    expected = alone[0].select(names)
    for frame in alone:
        assert frame.select(names).equals(expected)
    for frame in mixed:
        assert frame.select(names).slice(1).equals(expected), row

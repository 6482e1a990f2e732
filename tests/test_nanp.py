"""The engine-neutral NANP parse agrees with phonenumbers (phones.to_e164) value by value."""

from __future__ import annotations

import re

import narwhals as nw
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import callanalytics as ca
from callanalytics.nanp import VALID_NATIONAL, mask_phone_nw, nanp_e164
from callanalytics.phones import mask_phone, to_e164


def ours(values: list[str | None]) -> list[str | None]:
    frame = nw.from_native(pl.DataFrame({"p": values}, schema={"p": pl.String}))
    return frame.select(nanp_e164("p")).to_native()["p"].to_list()


EDGE = [
    None,
    "",
    "   ",
    "(617) 555-0100",
    "617-555-0100",
    "+1 617 555 0100",
    "16175550100",
    "1 (617) 555-0100",
    "+16175550100",
    " +16175550100 ",
    "617.555.0100",
    "617/555/0100",
    "617-555-0100 ext. 12",
    "617-555-0100 x12",
    "617 555 0100 Extension 7",
    "XXX-XXX-0100",
    "***-***-0100",
    "•••0100",
    "617-555-0100 #12",
    "Anonymous",
    "Restricted",
    "0000000000",
    "555-0100",
    "1234",
    "1617555010",
    "+6175550100",  # ten digits after a plus: not a +1 number
    "116175550100",
    "(800) 555-0199",  # toll free
    "900-555-0199",  # premium rate
    "212-155-0199",  # an exchange cannot start with 1
    "111-555-0100",  # no such area code
    "+1 (268) 464-1234",  # Antigua: another NANP region
    "+1 416 555 0199",  # Canada
    "6175550100\t",
    "Tel: 617 555 0100",
    "Tel: 617 555 0100 (cell)",
    "cell +1 617 555 0100.",
    "(cell) 617 555 0100",
    "617 555 0100 (cell)",
    "617 555 0100;ext=12",
    "tel:+1-617-555-0100",
    "1116175550100",
    "11116175550100",
    "+116175550100",
    "+1116175550100",
]


@pytest.mark.parametrize("raw", EDGE)
def test_edge_cases_agree_with_phonenumbers(raw):
    assert ours([raw]) == [to_e164(raw)]


def test_the_samples_numbers_agree_with_phonenumbers():
    calls = ca.sample_dialer_results()
    traffic = ca.sample_leadflow_history()
    values = [*calls["lead_phone"], *calls["aux_phone"], *traffic["caller_id"]]
    distinct = sorted({v for v in values if v is not None})
    assert len(distinct) > 1_000
    assert ours(distinct) == [to_e164(v) for v in distinct]


def test_every_area_code_agrees_with_phonenumbers():
    numbers = [f"{area}{exchange}0100" for area in range(200, 1000) for exchange in (201, 555)]
    assert ours(numbers) == [to_e164(n) for n in numbers]


_SEPARATORS = st.sampled_from(["", "", "", " ", "-", ".", "(", ")", "/"])
_AREAS = ["201", "212", "268", "416", "617", "800", "900", "111", "555", "983", "305", "523"]


@st.composite
def written_numbers(draw) -> str:
    """Numbers near the NANP shapes (leading 1s, area codes, short and long), written with
    separators, a plus or not, text before or an extension after."""
    ones = "1" * draw(st.integers(0, 4))
    area = draw(st.sampled_from(_AREAS))
    size = draw(st.sampled_from([4, 6, 7, 7, 7, 8]))
    rest = draw(st.text(alphabet="0123456789", min_size=size, max_size=size))
    out = "+" if draw(st.integers(0, 3)) == 0 else ""
    for digit in ones + area + rest:
        out += draw(_SEPARATORS) + digit
    before = draw(st.sampled_from(["", "", "Tel: ", "(cell) ", " "]))
    after = draw(st.sampled_from(["", "", " ext. 12", " x7", ";ext=3", ".", " "]))
    return before + out + after


@settings(max_examples=300, deadline=None)
@given(st.lists(written_numbers(), min_size=1, max_size=20))
def test_written_numbers_agree_with_phonenumbers(values):
    expected = [
        # phonenumbers reads a plus followed by another country code as that country
        to_e164(v) if "+" not in v or re.sub(r"\D", "", v.split("+")[1])[:1] == "1" else None
        for v in values
    ]
    assert ours(values) == expected


def test_the_pattern_reads_ascii_digits_only_on_every_engine():
    assert r"\d" not in VALID_NATIONAL
    assert "(?=" not in VALID_NATIONAL and "(?!" not in VALID_NATIONAL


def test_the_mask_is_phones_mask():
    values = ["(617) 555-0100", "Anonymous", None, "12"]
    frame = pl.DataFrame({"p": values}, schema={"p": pl.String})
    got = nw.from_native(frame).select(mask_phone_nw("p")).to_native()["p"].to_list()
    assert got == frame.select(mask_phone("p"))["p"].to_list()

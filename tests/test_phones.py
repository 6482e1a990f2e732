"""Phone numbers to E.164: one parse, mapped over distinct values, nulls counted by reason."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callanalytics.phones import (
    _key,
    e164,
    e164_series,
    mask_phone,
    phone_quality,
    phone_status,
    to_e164,
)

FOUR_FORMATS = ["(617) 555-0100", "617-555-0100", "+1 617 555 0100", "16175550100"]


@pytest.mark.parametrize("raw", [*FOUR_FORMATS, "6175550100", "617.555.0100", " +16175550100 "])
def test_the_same_number_in_every_format_is_one_e164(raw):
    assert to_e164(raw) == "+16175550100"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (None, "missing"),
        ("   ", "missing"),
        ("XXX-XXX-0100", "masked"),
        ("***-***-0100", "masked"),
        ("•••0100", "masked"),
        ("Anonymous", "masked"),
        ("0000000000", "invalid"),
        ("555-0100", "invalid"),  # a local number has no area code
        ("1234", "invalid"),
        ("(617) 555-0100", "valid"),
    ],
)
def test_a_value_that_is_not_a_number_is_null_and_says_why(raw, status):
    frame = pl.DataFrame({"p": [raw]}, schema={"p": pl.String})
    out = frame.select(e164("p").alias("e"), phone_status("p", e164("p")).alias("s"))
    assert out["s"].cast(pl.String).to_list() == [status]
    assert (out["e"][0] is None) == (status != "valid")


def test_region_reads_numbers_without_a_country_code():
    assert to_e164("020 7946 0958", region="GB") == "+442079460958"
    assert to_e164("020 7946 0958") is None  # not a US number
    assert to_e164("+44 20 7946 0958") == "+442079460958"  # a + number ignores the region


def test_series_parses_distinct_values_once(monkeypatch):
    import callanalytics.phones as phones

    seen: list[str] = []
    real = phones.to_e164

    def counting(value, region="US"):
        seen.append(value)
        return real(value, region)

    monkeypatch.setattr(phones, "to_e164", counting)
    values = pl.Series("p", FOUR_FORMATS * 1000 + [None, "Anonymous"] * 10)
    out = e164_series(values)
    assert out.name == "p" and out.len() == values.len()
    assert out.drop_nulls().unique().to_list() == ["+16175550100"]
    assert out.null_count() == 20
    # "(617) 555-0100" and "617-555-0100" share the key "6175550100".
    assert sorted(seen) == sorted(["6175550100", "+16175550100", "16175550100", "Anonymous"])


def test_empty_and_all_null_columns():
    assert e164_series(pl.Series("p", [], dtype=pl.String)).to_list() == []
    assert e164_series(pl.Series("p", [None, None], dtype=pl.String)).to_list() == [None, None]


def test_expression_streams_on_a_lazy_frame():
    lazy = pl.LazyFrame({"p": FOUR_FORMATS * 50_000})
    out = lazy.select(e164("p")).collect(engine="streaming")
    assert out["p"].unique().to_list() == ["+16175550100"]
    assert out.height == 200_000


def test_quality_counts_every_reason_eager_and_lazy():
    frame = pl.DataFrame({"p": ["617-555-0100", None, "XXX-XXX-0100", "123", "+16175550100"]})
    expected = {"rows": 5, "valid": 2, "missing": 1, "masked": 1, "invalid": 1}
    assert phone_quality(frame, "p").row(0, named=True) == expected
    lazy = phone_quality(frame.lazy(), "p")
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().row(0, named=True) == expected
    empty = phone_quality(frame.clear(), "p")
    assert empty.row(0, named=True) == dict.fromkeys(expected, 0)


def test_mask_keeps_only_the_last_four_digits():
    frame = pl.DataFrame({"p": ["(617) 555-0100", "+1 212 555 0199", None]})
    assert frame.select(mask_phone("p"))["p"].to_list() == ["•••0100", "•••0199", None]


_PUNCT = st.sampled_from([" ", "-", ".", "(", ")", "/", ""])


@settings(max_examples=300, deadline=None)
@given(
    plus=st.booleans(),
    digits=st.lists(st.sampled_from("0123456789"), min_size=0, max_size=15),
    punct=st.lists(_PUNCT, min_size=16, max_size=16),
)
def test_the_digits_key_never_changes_what_the_full_parse_says(plus, digits, punct):
    raw = ("+" if plus else "") + "".join(d + p for d, p in zip(digits, punct, strict=False))
    key = _key(pl.Series([raw]))[0]
    assert to_e164(key) == to_e164(raw)


@settings(max_examples=200, deadline=None)
@given(
    area=st.integers(200, 999),
    exchange=st.integers(200, 999),
    line=st.integers(0, 9999),
    style=st.sampled_from(["({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "1{a}{e}{l}"]),
)
def test_every_format_of_a_number_agrees(area, exchange, line, style):
    raw = style.format(a=area, e=exchange, l=f"{line:04d}")
    assert to_e164(raw) == to_e164(f"+1{area}{exchange}{line:04d}")


@pytest.mark.parametrize("region", ["XX", "usa", ""])
def test_an_unknown_region_is_an_error_not_every_number_invalid(region):
    """A typo in ``region`` made every number invalid without a word."""
    frame = pl.DataFrame({"p": ["617-555-0100"]})
    with pytest.raises(ValueError, match="region"):
        to_e164("617-555-0100", region)
    with pytest.raises(ValueError, match="region"):
        frame.select(e164("p", region))


def test_a_region_in_lower_case_is_read_as_the_country_code():
    assert to_e164("416-555-0199", "ca") == "+14165550199"

"""Time zone names: legacy aliases work, unknown names and fixed offsets are refused clearly."""

from __future__ import annotations

import pytest

from callanalytics.timezones import canonical_timezone


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("America/New_York", "America/New_York"),
        ("US/Eastern", "America/New_York"),
        (" US/Pacific ", "America/Los_Angeles"),
        ("EST5EDT", "America/New_York"),  # follows US daylight saving, not a fixed offset
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("Europe/London", "Europe/London"),
    ],
)
def test_names_and_legacy_aliases(name, canonical):
    assert canonical_timezone(name) == canonical


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Pacific", "Pacific/"),  # a tzdata folder: was IsADirectoryError
        ("America", "America/"),
        ("America/New_Yrok", "America/New_York"),
        ("Europe/Londn", "Europe/London"),
    ],
)
def test_unknown_names_get_close_matches(name, suggestion):
    with pytest.raises(ValueError, match="unknown time zone") as caught:
        canonical_timezone(name)
    assert suggestion in str(caught.value)


@pytest.mark.parametrize(
    ("name", "use"),
    [
        ("EST", "America/New_York"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("PST", "America/Los_Angeles"),
        ("CDT", "America/Chicago"),
        ("UTC-5", "America/New_York"),
        ("GMT-08:00", "America/Los_Angeles"),
        ("Etc/GMT+5", "America/New_York"),  # POSIX sign: Etc/GMT+5 is UTC-5
    ],
)
def test_fixed_offsets_are_refused_with_the_iana_name_to_use(name, use):
    with pytest.raises(ValueError, match="fixed") as caught:
        canonical_timezone(name)
    assert use in str(caught.value) and "daylight" in str(caught.value)


def test_load_refuses_a_fixed_offset_before_reading():
    import callanalytics as ca

    with pytest.raises(ValueError, match="America/New_York"):
        ca.load_dialer_results("sample", timezone="EST")

"""Time zone names: legacy aliases (``US/Eastern``) map to their canonical IANA names so that
frames read with either spelling have the same dtype and concatenate. Fixed offsets (``EST``,
``UTC-5``) are refused: a call center's clock follows daylight saving, and a fixed offset
puts every summer call an hour off."""

from __future__ import annotations

import difflib
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = ["canonical_timezone"]

# tzdata's "backward" links that call-center platforms still send.
_LEGACY = {
    "US/Eastern": "America/New_York",
    "US/Central": "America/Chicago",
    "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles",
    "US/Alaska": "America/Anchorage",
    "US/Hawaii": "Pacific/Honolulu",
    "US/Arizona": "America/Phoenix",
    "US/East-Indiana": "America/Indiana/Indianapolis",
    "US/Indiana-Starke": "America/Indiana/Knox",
    "US/Michigan": "America/Detroit",
    "US/Aleutian": "America/Adak",
    "US/Samoa": "Pacific/Pago_Pago",
    "Canada/Atlantic": "America/Halifax",
    "Canada/Eastern": "America/Toronto",
    "Canada/Central": "America/Winnipeg",
    "Canada/Mountain": "America/Edmonton",
    "Canada/Pacific": "America/Vancouver",
    "Canada/Newfoundland": "America/St_Johns",
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "GB": "Europe/London",
    "UCT": "UTC",
    "Etc/UTC": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
}


# Abbreviations people type for US zones -> the zone whose clock they mean. tzdata has EST,
# MST and HST as fixed offsets; the others are not zone names at all.
_ABBREVIATIONS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",  # _refuse_fixed also names America/Phoenix (MST all year)
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "HDT": "America/Adak",
}
# UTC offset in hours -> the US zone with that standard (or, for -4, summer) time.
_BY_OFFSET = {
    -4: "America/New_York",
    -5: "America/New_York",
    -6: "America/Chicago",
    -7: "America/Denver",
    -8: "America/Los_Angeles",
    -9: "America/Anchorage",
    -10: "Pacific/Honolulu",
}
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_ETC_OFFSET = re.compile(r"^Etc/GMT([+-])(\d{1,2})$", re.IGNORECASE)


def _fixed_offset_hours(name: str) -> float | None:
    """The offset from UTC in hours if ``name`` spells a fixed offset, else None."""
    if etc := _ETC_OFFSET.match(name):  # POSIX sign: Etc/GMT+5 is five hours *behind* UTC
        return -int(etc.group(2)) if etc.group(1) == "+" else int(etc.group(2))
    if offset := _OFFSET.match(name):
        hours = int(offset.group(2)) + int(offset.group(3) or 0) / 60
        return -hours if offset.group(1) in "-\u2212" else hours
    return None


def _refuse_fixed(name: str) -> None:
    upper = name.upper()
    if upper in _ABBREVIATIONS:
        use = _ABBREVIATIONS[upper]
        what = f"{name!r} is a fixed-offset abbreviation"
    else:
        hours = _fixed_offset_hours(name)
        if hours is None or hours == 0:  # UTC+0 is UTC, which is a zone
            return
        use = _BY_OFFSET.get(int(hours), "") if hours == int(hours) else ""
        what = f"{name!r} is a fixed UTC{hours:+g} offset"
    example = f"{use!r}" if use else "the place's name, e.g. 'Europe/Berlin'"
    if use == "America/Denver":
        example += " (or 'America/Phoenix', which keeps MST all year)"
    raise ValueError(
        f"{what} that never changes for daylight saving, so wherever the clock does, summer "
        f"times come out an hour off; use the tz database name of the call center's clock "
        f"instead: {example}"
    )


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _unknown(name: str) -> ValueError:
    names = _zone_names()
    folded = {zone.lower(): zone for zone in names}
    close = [folded[name.lower()]] if name.lower() in folded else []
    close += [zone for zone in sorted(names) if zone.startswith(f"{name.rstrip('/')}/")][:5]
    close += difflib.get_close_matches(name, sorted(names), n=5, cutoff=0.6)
    close = list(dict.fromkeys(close))[:5]  # unique, in order
    hint = f"did you mean {', '.join(close)}?" if close else "use one such as 'America/New_York'"
    return ValueError(f"unknown time zone {name!r}: not in the tz database; {hint}")


def canonical_timezone(name: str) -> str:
    """The canonical IANA name for ``name``; unknown names and fixed offsets are refused.

    Example:
        >>> canonical_timezone("US/Eastern")
        'America/New_York'
        >>> canonical_timezone("EST")
        Traceback (most recent call last):
        ...
        ValueError: 'EST' is a fixed-offset abbreviation that never changes for daylight saving, ...
    """
    name = str(name).strip()
    _refuse_fixed(name)
    canonical = _LEGACY.get(name, name)
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a tzdata folder such as "Pacific" (IsADirectoryError)
        raise _unknown(name) from None
    return canonical

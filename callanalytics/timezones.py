"""Time zone names: legacy aliases (``US/Eastern``) map to their canonical IANA names so that
frames read with either spelling have the same dtype and concatenate."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def canonical_timezone(name: str) -> str:
    """The canonical IANA name for ``name``.

    Example:
        >>> canonical_timezone("US/Eastern")
        'America/New_York'
    """
    name = name.strip()
    canonical = _LEGACY.get(name, name)
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: use a tz database name such as 'America/New_York'"
        ) from None
    return canonical

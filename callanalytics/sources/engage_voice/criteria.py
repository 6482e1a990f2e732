"""What a Dialer Result Download asks for: the criteria the API accepts, its time format
and the documented request body for one window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from callanalytics.schema import PASS_DISPOSITIONS
from callanalytics.sources.windows import Window

__all__ = ["LEAD_TYPES", "engage_time", "report_body", "validate_criteria"]

LEAD_TYPES = ("ALL_LEADS", "ALL_PASSES", "LAST_PASSES")


def engage_time(moment: datetime) -> str:
    """The API's ISO-8601 form: ``2020-04-22T00:00:00.000-0400``.

    Example:
        >>> engage_time(datetime.fromisoformat("2020-04-22T00:00:00-04:00"))
        '2020-04-22T00:00:00.000-0400'
    """
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}"
        + (moment.strftime("%z"))
    )


def validate_criteria(system_disposition: str, leads: str) -> None:
    """Refuse criteria the API does not know, before any request (``ValueError``).

    Example:
        >>> validate_criteria("ALL", "SOME_LEADS")
        Traceback (most recent call last):
        ...
        ValueError: leads must be one of ALL_LEADS, ALL_PASSES, LAST_PASSES
    """
    allowed = ("ALL", *PASS_DISPOSITIONS)
    if system_disposition not in allowed:
        raise ValueError(f"system_disposition must be one of {', '.join(allowed)}")
    if leads not in LEAD_TYPES:
        raise ValueError(f"leads must be one of {', '.join(LEAD_TYPES)}")


def report_body(
    window: Window,
    *,
    timezone: str,
    system_disposition: str = "ALL",
    leads: str = "ALL_LEADS",
    include_aux: bool = True,
    include_transfer: bool = True,
    include_speed_to_lead: bool = True,
) -> dict[str, Any]:
    """The documented request body for one window (criteria checked by ``validate_criteria``).

    Example:
        >>> from callanalytics.dates import as_instant
        >>> start = as_instant("2024-11-01", "America/New_York")
        >>> end = as_instant("2024-11-02", "America/New_York")
        >>> body = report_body(Window(start, end), timezone="America/New_York")
        >>> body["reportCriteria"]["startDate"], body["reportCriteria"]["endDate"]
        ('2024-11-01T00:00:00.000-0400', '2024-11-02T00:00:00.000-0400')
    """
    return {
        "reportType": "DIALER_RESULT_DOWNLOAD",
        "reportCriteria": {
            "criteriaType": "DIALER_RESULT_DOWNLOAD_CRITERIA",
            "startDate": engage_time(window.start),
            "endDate": engage_time(window.end),
            "includeAuxData": include_aux,
            "includeXferData": include_transfer,
            "includeSpeedToLead": include_speed_to_lead,
            "dialedLeadsReportType": leads,
            "systemDisposition": system_disposition,
            "schedule": {"repeatOption": "ONCE", "scheduleTimezoneName": timezone},
        },
    }

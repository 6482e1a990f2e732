"""``fetch_dialer_results``: the Dialer Result Download for a range, one request per local
day, through the day cache; a 200 that carries an error document instead of the CSV is
refused before the readers see it."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from callanalytics.cache import DayCache
from callanalytics.errors import UnreadableFileError
from callanalytics.readers import read_dialer_results
from callanalytics.schema import DIALER_RESULTS
from callanalytics.sources.days import fetch_days
from callanalytics.sources.engage_voice.client import SERVICE, EngageVoiceClient
from callanalytics.sources.engage_voice.criteria import validate_criteria
from callanalytics.sources.http import not_report_data, public_url
from callanalytics.sources.windows import Window, day_windows, resolve_range
from callanalytics.timezones import canonical_timezone

__all__ = ["fetch_dialer_results"]


def fetch_dialer_results(
    start: date | datetime | str,
    end: date | datetime | str | None = None,
    *,
    timezone: str = "America/New_York",
    system_disposition: str = "ALL",
    leads: str = "ALL_LEADS",
    include_aux: bool = True,
    include_transfer: bool = True,
    include_speed_to_lead: bool = True,
    cache: bool = True,
    progress: bool | None = None,
    client: EngageVoiceClient | None = None,
    cache_dir: str | Path | None = None,
) -> pl.DataFrame:
    """Fetch the Dialer Result Download for ``[start, end)`` as the typed frame.

    A bare date is midnight in ``timezone``; ``end=None`` means now. The end is clamped to
    15 minutes ago (calls appear minutes after they end). One request per local day; whole
    days in the past are cached as Parquet and not requested again.

    Example:
        >>> fetch_dialer_results("2024-11-02", "2024-11-01")
        Traceback (most recent call last):
        ...
        ValueError: end (2024-11-01 00:00:00-04:00) must be after start (2024-11-02 00:00:00-04:00)
    """
    zone = canonical_timezone(timezone)
    validate_criteria(system_disposition, leads)
    first, last = resolve_range(start, end, zone)
    criteria = dict(
        timezone=zone,
        system_disposition=system_disposition,
        leads=leads,
        include_aux=include_aux,
        include_transfer=include_transfer,
        include_speed_to_lead=include_speed_to_lead,
    )
    api = client or EngageVoiceClient()
    days = (
        DayCache(cache_dir, DIALER_RESULTS, criteria, source=api.cache_identity(), timezone=zone)
        if cache
        else None
    )
    return fetch_days(
        day_windows(first, last, zone),
        lambda window: _fetch_window(api, window, criteria),
        column="call_start",
        schema=DIALER_RESULTS.polars_schema(zone),
        cache=days,
        most_days=1,
        label="Engage Voice days",
        source="Engage Voice",
        progress=progress,
    )


def _fetch_window(api: EngageVoiceClient, window: Window, criteria: dict[str, Any]) -> pl.DataFrame:
    """One day's download as the typed frame (rows outside the day are dropped by the
    caller, ``fetch_days``)."""
    body = api.report_body(window, **criteria)
    with tempfile.TemporaryDirectory(prefix="callanalytics-") as folder:
        path = api.download(body, Path(folder) / "dialer_results.csv")
        url = public_url(api.report_url)  # after the download: a login may set the account
        if reason := _error_document(path):
            raise not_report_data(SERVICE, url, reason, day=window.day)
        name = f"the download from {url} for {window.day}"
        try:
            return read_dialer_results(path, timezone=criteria["timezone"], name=name)
        except UnreadableFileError as error:
            raise not_report_data(SERVICE, url, error, day=window.day) from None


def _error_document(path: Path) -> str | None:
    """Why a 200 body is an error document (JSON or XML) rather than the CSV, or None.
    Only the server's own error fields are quoted, never report rows."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        with path.open("rb") as handle:
            text = handle.read(1 << 20)  # an error document is small; never load a huge body
        try:
            answer = json.loads(text)
        except ValueError:
            answer = None
        said = (
            "; ".join(
                f"{key}: {str(answer[key])[:200]}"
                for key in ("errorCode", "error", "message", "detail")
                if answer.get(key) is not None
            )
            if isinstance(answer, dict)
            else ""
        )
        return "a JSON document, not the CSV report" + (f" ({said})" if said else "")
    if head.startswith(b"<?xml") or (
        head.startswith(b"<") and not head[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return "an XML document, not the CSV report"
    return None

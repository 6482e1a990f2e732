"""DialogTech LeadFlow History: ``GET /report/v1/leadflow/v2/history``.

Headers ``Authorization: <access key>:<secret key>`` and ``x-api-key: <rate-limit key>``.
DialogTech asks for ranges of at most 7 days and about 100 requests a minute, so ranges are
split into non-overlapping windows of at most 7 days and requests are spaced out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import requests

from callanalytics.cache import DayCache, one_way_hash, without_user_info
from callanalytics.config import Secret, secret, setting
from callanalytics.errors import UnreadableFileError
from callanalytics.readers import read_leadflow_page
from callanalytics.schema import LEADFLOW_HISTORY
from callanalytics.sources.http import (
    AuthenticationError,
    HttpClient,
    RetryPolicy,
    not_report_data,
)
from callanalytics.sources.progress import track
from callanalytics.sources.windows import (
    Window,
    day_windows,
    resolve_range,
    split_days,
    within,
)

__all__ = ["LeadFlowClient", "fetch_leadflow_history"]

log = logging.getLogger("callanalytics.leadflow")

DEFAULT_BASE_URL = "https://dialogtechapis.com"
PATH = "/report/v1/leadflow/v2/history"
SERVICE = "DialogTech"
MAX_DAYS = 7
MAX_PAGES = 10_000


@dataclass
class LeadFlowClient:
    """DialogTech settings and session. Arguments fall back to ``DIALOGTECH_BASE_URL``,
    ``DIALOGTECH_ACCESS_KEY``, ``DIALOGTECH_SECRET_KEY``, ``DIALOGTECH_API_KEY``, then to
    ``.env``. ``min_interval`` spaces requests (0.6 s keeps under 100 a minute).

    Example:
        >>> client = LeadFlowClient(access_key="a", secret_key="s3cr3t", api_key="k")
        >>> client.url
        'https://dialogtechapis.com/report/v1/leadflow/v2/history'
        >>> "s3cr3t" in repr(client)
        False
    """

    base_url: str | None = None
    access_key: str | Secret | None = None
    secret_key: str | Secret | None = None
    api_key: str | Secret | None = None
    session: requests.Session | None = None
    timeout: tuple[float, float] = (10.0, 120.0)
    retry: RetryPolicy | None = None
    min_interval: float = 0.6
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        self.base_url = setting("DIALOGTECH_BASE_URL", self.base_url, DEFAULT_BASE_URL).rstrip("/")
        self.access_key = secret("DIALOGTECH_ACCESS_KEY", self.access_key)
        self.secret_key = secret("DIALOGTECH_SECRET_KEY", self.secret_key)
        self.api_key = secret("DIALOGTECH_API_KEY", self.api_key)
        self._last = -1e9
        self.http = HttpClient(
            SERVICE,
            session=self.session or requests.Session(),
            timeout=self.timeout,
            retry=self.retry or RetryPolicy(),
            sleep=self.sleep,
            hints={
                401: "check DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY",
                403: "check DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY and DIALOGTECH_API_KEY",
                404: "check DIALOGTECH_BASE_URL",
                400: "DialogTech refused the query; ranges must be 7 days or less",
                429: "DialogTech allows about 100 requests a minute",
            },
        )

    def __repr__(self) -> str:
        return f"LeadFlowClient(base_url={self.base_url!r})"

    @property
    def url(self) -> str:
        return f"{self.base_url}{PATH}"

    def _headers(self) -> dict[str, str]:
        if not (self.access_key and self.secret_key):
            raise AuthenticationError(
                "no DialogTech credentials: set DIALOGTECH_ACCESS_KEY and DIALOGTECH_SECRET_KEY "
                "(and DIALOGTECH_API_KEY)",
                service=SERVICE,
                url=self.url,
            )
        assert isinstance(self.access_key, Secret) and isinstance(self.secret_key, Secret)
        headers = {
            "Authorization": f"{self.access_key.reveal()}:{self.secret_key.reveal()}",
            "Accept": "application/json",
        }
        if isinstance(self.api_key, Secret):
            headers["x-api-key"] = self.api_key.reveal()
        return headers

    def _throttle(self) -> None:
        wait = self._last + self.min_interval - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last = self.clock()

    def get_page(self, params: dict[str, Any] | None, url: str | None = None) -> bytes:
        """One response body (a body cut short of its Content-Length raises in ``http``)."""
        self._throttle()
        response = self.http.request("GET", url or self.url, params=params, headers=self._headers())
        return response.content

    def history(self, params: dict[str, Any]) -> pl.DataFrame:
        """All pages of one query as one typed frame."""
        frames, page, next_url, query = [], 1, None, dict(params)
        for _ in range(MAX_PAGES):
            body = self.get_page(None if next_url else query, next_url)
            try:
                frame, meta = read_leadflow_page(body, self.url)
            except UnreadableFileError as error:
                raise not_report_data(SERVICE, self.url, error) from None
            frames.append(frame)
            next_url, more = _next_page(meta, page)
            if not (next_url or more) or frame.height == 0:
                break
            page += 1
            query = {**params, "page": page}
        return pl.concat(frames, how="diagonal")

    def cache_identity(self) -> dict[str, str]:
        """What besides the request decides the answer, for the cache key: the base URL
        (without any user info) and a one-way hash of the access key, which names the
        account. The key itself is never stored; the cache writes no ``*_sha256`` value to
        ``query.json`` either.

        Example:
            >>> identity = LeadFlowClient(access_key="a", secret_key="s").cache_identity()
            >>> sorted(identity), len(identity["access_key_sha256"])
            (['access_key_sha256', 'base_url'], 64)
        """
        if not isinstance(self.access_key, Secret):
            self._headers()  # raises the error naming the variables to set
        assert isinstance(self.access_key, Secret)
        return {
            "base_url": without_user_info(str(self.base_url)),
            "access_key_sha256": one_way_hash(self.access_key.reveal()),
        }


def _next_page(meta: dict[str, Any], page: int) -> tuple[str | None, bool]:
    """(next URL, whether a numbered next page exists) from a response's top-level keys."""
    links = meta.get("links")
    for candidate in (
        meta.get("next"),
        meta.get("next_page_url"),
        links.get("next") if isinstance(links, dict) else None,
    ):
        if isinstance(candidate, str) and candidate.startswith("http"):
            return candidate, False
    current = meta.get("page", meta.get("current_page", page))
    total = meta.get("total_pages", meta.get("pages", meta.get("last_page")))
    try:
        return None, total is not None and int(current) < int(total)
    except (TypeError, ValueError):
        return None, False


def fetch_leadflow_history(
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    *,
    sid: str | None = None,
    set_id: int | str | None = None,
    active: bool | int | None = None,
    cache: bool = True,
    progress: bool | None = None,
    client: LeadFlowClient | None = None,
    cache_dir: str | Path | None = None,
) -> pl.DataFrame:
    """Fetch LeadFlow history for ``[start, end)`` (Eastern time), or one call by ``sid``.

    Ranges are split into non-overlapping windows of at most 7 days; whole past days are
    cached as Parquet and not requested again. ``sid`` wins over dates and is never cached.

    Example:
        >>> fetch_leadflow_history()
        Traceback (most recent call last):
        ...
        ValueError: fetch_leadflow_history needs a start date or a sid
    """
    zone = LEADFLOW_HISTORY.default_timezone
    filters: dict[str, Any] = {}
    if set_id is not None:
        filters["set_id"] = int(set_id)
    if active is not None:
        filters["active"] = int(bool(active))
    api = client
    if sid:
        api = api or LeadFlowClient()
        return api.history({"sid": sid, **filters})
    if start is None:
        raise ValueError("fetch_leadflow_history needs a start date or a sid")
    first, last = resolve_range(start, end, zone)
    api = api or (LeadFlowClient() if cache else None)
    days = (
        DayCache(cache_dir, LEADFLOW_HISTORY, filters, source=api.cache_identity(), timezone=zone)
        if api and cache
        else None
    )
    found: dict[date, pl.DataFrame] = {}
    missing: list[Window] = []
    for window in day_windows(first, last, zone):
        cached = days.get(window.day) if days and window.complete else None
        if cached is not None:
            found[window.day] = cached
        else:
            missing.append(window)
    runs = list(split_days(missing, MAX_DAYS))
    for run in track(runs, len(runs), "LeadFlow windows", progress):
        api = api or LeadFlowClient()
        lo, hi = run[0].start, run[-1].end
        frame = api.history({"start_date": lo.isoformat(), "end_date": hi.isoformat(), **filters})
        frame = within(frame, "call_date", lo, hi)
        day_of = frame.get_column("call_date").dt.date()
        for window in run:
            part = (
                frame.filter(day_of == window.day)
                if window is not run[0]
                else frame.filter((day_of == window.day) | day_of.is_null())
            )
            if days and window.complete:
                days.put(window.day, part)
            found[window.day] = part
    if not found:
        return pl.DataFrame(schema=LEADFLOW_HISTORY.polars_schema())
    return pl.concat([found[d] for d in sorted(found)], how="diagonal")

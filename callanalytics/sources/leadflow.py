"""DialogTech LeadFlow History: ``GET /report/v1/leadflow/v2/history``.

Headers ``Authorization: <access key>:<secret key>`` and ``x-api-key: <rate-limit key>``.
DialogTech asks for ranges of at most 7 days and about 100 requests a minute, so ranges are
split into non-overlapping windows of at most 7 days and requests are spaced out.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import requests

from callanalytics.cache import DayCache, one_way_hash, without_user_info
from callanalytics.config import DIALOGTECH_SETTINGS, Secret
from callanalytics.errors import DuplicateRowsWarning, UnreadableFileError
from callanalytics.readers import read_leadflow_page
from callanalytics.schema import LEADFLOW_HISTORY
from callanalytics.sources.days import fetch_days
from callanalytics.sources.http import (
    AuthenticationError,
    HttpClient,
    ResponseError,
    RetryPolicy,
    TransferLimits,
    cannot_connect,
    not_report_data,
    public_url,
    same_origin,
    secure_base_url,
)
from callanalytics.sources.windows import day_windows, resolve_range

__all__ = ["LeadFlowClient", "fetch_leadflow_history"]

log = logging.getLogger("callanalytics.leadflow")

SETTINGS = DIALOGTECH_SETTINGS
PATH = "/report/v1/leadflow/v2/history"
SERVICE = "DialogTech"
MAX_DAYS = 7
MAX_PAGES = 10_000
#: One page request, retries and waits included, never takes longer than this (seconds).
DEFAULT_LIMITS = TransferLimits(min_rate=1024.0, rate_window=30.0, deadline=600.0)
_KEYS = SETTINGS.variables("access_key", "secret_key", sep="/")
HINTS = {
    401: f"check {_KEYS}",
    403: f"check {_KEYS} and {SETTINGS.variable('api_key')}",
    404: f"check {SETTINGS.variable('base_url')}",
    400: "DialogTech refused the query; ranges must be 7 days or less",
    429: "DialogTech allows about 100 requests a minute",
    **cannot_connect(SETTINGS.variable("base_url")),
}


@dataclass
class LeadFlowClient:
    """DialogTech settings and session. Every setting argument falls back to its environment
    variable, then to ``.env``, then to its default, as declared in ``DIALOGTECH_SETTINGS``
    (``base_url``: ``DIALOGTECH_BASE_URL``, ``access_key``: ``DIALOGTECH_ACCESS_KEY``, ...).
    ``min_interval`` spaces requests (0.6 s keeps under 100 a minute). The base
    URL must be ``https://`` (plain ``http://`` only to this machine). ``limits`` bounds one
    page request: the minimum transfer rate and the overall deadline across retries.

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
    limits: TransferLimits = DEFAULT_LIMITS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        SETTINGS.apply(self)
        self.base_url = secure_base_url(
            str(self.base_url).rstrip("/"), SETTINGS.variable("base_url")
        )
        self._last = -1e9
        self.http = HttpClient.for_client(SERVICE, self, HINTS)

    def __repr__(self) -> str:
        return f"LeadFlowClient(base_url={public_url(str(self.base_url))!r})"

    @property
    def url(self) -> str:
        return f"{self.base_url}{PATH}"

    def _headers(self) -> dict[str, str]:
        if not (self.access_key and self.secret_key):
            raise AuthenticationError(
                f"no DialogTech credentials: set {SETTINGS.variables('access_key', 'secret_key')} "
                f"(and {SETTINGS.variable('api_key')})",
                service=SERVICE,
                url=public_url(self.url),
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
        """All pages of one query as one typed frame, one row per ``sid``.

        Pagination must make progress: a next link seen before, a reported page number that
        does not advance, a page identical to the previous one, or more than ``MAX_PAGES``
        pages raise a ``ResponseError`` instead of looping. Credentials go only to next links
        on the base URL's scheme, host and port.
        """
        url = public_url(self.url)
        frames: list[pl.DataFrame] = []
        page, next_url, query = 1, None, dict(params)
        links: set[str] = set()
        reported: int | None = None
        for _ in range(MAX_PAGES):
            body = self.get_page(None if next_url else query, next_url)
            name = f"page {page} from {url}" + (
                f" for {params['start_date']}..{params['end_date']}"
                if "start_date" in params and "end_date" in params
                else ""
            )
            try:
                frame, meta = read_leadflow_page(body, name)
            except UnreadableFileError as error:
                raise not_report_data(SERVICE, url, error) from None
            if frames and frame.height and frame.equals(frames[-1]):
                raise self._loop(f"page {page} repeats the previous page")
            frames.append(frame)
            next_url, more, current = _next_page(meta, page)
            if not (next_url or more) or frame.height == 0:
                return _one_row_per_sid(pl.concat(frames, how="diagonal"), url)
            if next_url:
                if not same_origin(next_url, str(self.base_url)):
                    raise self._loop(
                        f"page {page} links to another host ({public_url(next_url)}); not "
                        f"followed, so the credentials stay with {SETTINGS.variable('base_url')}",
                        what="answered",
                    )
                if next_url in links:
                    raise self._loop(f"the next link repeats ({public_url(next_url)})")
                links.add(next_url)
            elif reported is not None and current is not None and current <= reported:
                raise self._loop(f"asked for page {page}, the server answered page {current} again")
            reported = current if current is not None else reported
            page += 1
            query = {**params, "page": page}
        raise self._loop(f"more than {MAX_PAGES} pages for one query")

    def _loop(self, detail: str, what: str = "paginated") -> ResponseError:
        url = public_url(self.url)
        return ResponseError(
            f"{SERVICE} {what} {url} in a way that does not end: {detail}; stopped",
            service=SERVICE,
            url=url,
        )

    def cache_identity(self) -> dict[str, str]:
        """What besides the request decides the answer, for the cache key: the base URL
        (without any user info) and a one-way hash of the access key, which names the
        account. The key itself is never stored; the cache writes no ``*_sha256`` value to
        ``_query.json`` either.

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


def _one_row_per_sid(frame: pl.DataFrame, url: str) -> pl.DataFrame:
    """Pages of one query may overlap (a record moves while we page): keep the first row of
    each ``sid`` and say how many were dropped."""
    sid = pl.col("sid")
    kept = frame.filter(sid.is_null() | sid.is_first_distinct())
    if dropped := frame.height - kept.height:
        warnings.warn(
            f"{SERVICE} returned {dropped} row{'' if dropped == 1 else 's'} with the same sid "
            f"as an earlier row of the same query ({url}); kept the first row of each sid",
            DuplicateRowsWarning,
            stacklevel=4,
        )
    return kept


def _next_page(meta: dict[str, Any], page: int) -> tuple[str | None, bool, int | None]:
    """(next URL, whether a numbered next page exists, the page number the response reports)
    from a response's top-level keys."""
    links = meta.get("links")
    current = _integer(meta.get("page", meta.get("current_page")))
    for candidate in (
        meta.get("next"),
        meta.get("next_page_url"),
        links.get("next") if isinstance(links, dict) else None,
    ):
        if isinstance(candidate, str) and candidate.startswith("http"):
            return candidate, False, current
    total = _integer(meta.get("total_pages", meta.get("pages", meta.get("last_page"))))
    shown = page if current is None else current
    return None, total is not None and shown < total, current


def _integer(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


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
    if sid:
        return (client or LeadFlowClient()).history({"sid": sid, **filters})
    if start is None:
        raise ValueError("fetch_leadflow_history needs a start date or a sid")
    first, last = resolve_range(start, end, zone)
    api = client or LeadFlowClient()
    days = (
        DayCache(cache_dir, LEADFLOW_HISTORY, filters, source=api.cache_identity(), timezone=zone)
        if cache
        else None
    )
    return fetch_days(
        day_windows(first, last, zone),
        lambda window: api.history(
            {"start_date": window.start.isoformat(), "end_date": window.end.isoformat(), **filters}
        ),
        column="call_date",
        schema=LEADFLOW_HISTORY.polars_schema(),
        cache=days,
        most_days=MAX_DAYS,
        label="LeadFlow windows",
        source="DialogTech LeadFlow",
        progress=progress,
    )

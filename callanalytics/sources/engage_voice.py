"""RingCentral Engage Voice: the Dialer Result Download through ``reportsStreaming``.

Authentication is a ready Engage bearer token (``ENGAGE_VOICE_TOKEN``) or RingCentral JWT
credentials, exchanged for an Engage token at ``/api/auth/login/rc/accesstoken`` (the
answer also names the account id). Long ranges become one request per local day: the
endpoint is slow and rate-limited, and a day is also the unit of the cache.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl
import requests

from callanalytics.cache import DayCache, without_user_info
from callanalytics.config import ENGAGE_VOICE_SETTINGS, Secret
from callanalytics.errors import UnreadableFileError
from callanalytics.readers import read_dialer_results
from callanalytics.schema import DIALER_RESULTS, PASS_DISPOSITIONS
from callanalytics.sources.days import fetch_days
from callanalytics.sources.http import (
    AuthenticationError,
    Hints,
    HttpClient,
    Reply,
    ResponseError,
    RetryPolicy,
    TransferLimits,
    cannot_connect,
    not_report_data,
    public_url,
    secure_base_url,
)
from callanalytics.sources.windows import Window, day_windows, resolve_range
from callanalytics.timezones import canonical_timezone

__all__ = ["EngageVoiceClient", "fetch_dialer_results"]

log = logging.getLogger("callanalytics.engage_voice")

SETTINGS = ENGAGE_VOICE_SETTINGS
#: The RingCentral JWT login, exchanged for an Engage token.
RC_LOGIN = ("rc_client_id", "rc_client_secret", "rc_jwt")
LEAD_TYPES = ("ALL_LEADS", "ALL_PASSES", "LAST_PASSES")
SERVICE = "Engage Voice"
#: One day's download, retries included, never takes longer than this (seconds).
DEFAULT_LIMITS = TransferLimits(min_rate=1024.0, rate_window=30.0, deadline=1800.0)
HINTS = {
    401: f"check {SETTINGS.variable('token')}, or {SETTINGS.variables(*RC_LOGIN, sep='/')}",
    403: "the user behind the token may lack report permissions",
    404: f"check {SETTINGS.variables('base_url', 'account_id')}",
    400: "the report criteria were refused",
    429: "Engage report endpoints are rate-limited; fetch fewer days at once",
    **cannot_connect(SETTINGS.variable("base_url")),
}
LOGIN_HINTS: Hints = {
    400: f"the RingCentral login was refused; check {SETTINGS.variables(*RC_LOGIN)} "
    "(expired or revoked?)",
    401: f"the RingCentral login was refused; check {SETTINGS.variables(*RC_LOGIN)}",
    403: "the login was refused: the RingCentral app may lack Engage Voice access",
    404: f"check {SETTINGS.variables('rc_server_url', 'base_url')}",
}
#: The RingCentral login goes to RINGCENTRAL_SERVER_URL, its exchange for an Engage token
#: to the host of ENGAGE_VOICE_BASE_URL.
RC_LOGIN_HINTS = {**LOGIN_HINTS, **cannot_connect(SETTINGS.variable("rc_server_url"))}
ENGAGE_LOGIN_HINTS = {**LOGIN_HINTS, **cannot_connect(SETTINGS.variable("base_url"))}


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


@dataclass
class EngageVoiceClient:
    """Engage Voice settings and session. Every setting argument falls back to its
    environment variable, then to ``.env``, then to its default, as declared in
    ``ENGAGE_VOICE_SETTINGS`` (``base_url``: ``ENGAGE_VOICE_BASE_URL``, ``token``:
    ``ENGAGE_VOICE_TOKEN``, ``rc_jwt``: ``RINGCENTRAL_JWT``, ...). Base URLs must be ``https://``
    (plain ``http://`` only to this machine). ``limits`` bounds one day's download: the
    minimum transfer rate and the overall deadline across retries (``DEFAULT_LIMITS``).

    Example:
        >>> client = EngageVoiceClient(account_id="123", token="t0k3n")
        >>> client.report_url
        'https://engage.ringcentral.com/voice/api/v1/admin/accounts/123/reportsStreaming'
        >>> "t0k3n" in repr(client)
        False
    """

    base_url: str | None = None
    account_id: str | None = None
    token: str | Secret | None = None
    rc_server_url: str | None = None
    rc_client_id: str | None = None
    rc_client_secret: str | Secret | None = None
    rc_jwt: str | Secret | None = None
    session: requests.Session | None = None
    timeout: tuple[float, float] = (10.0, 600.0)
    retry: RetryPolicy | None = None
    limits: TransferLimits = DEFAULT_LIMITS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        SETTINGS.apply(self)
        self.base_url = secure_base_url(
            str(self.base_url).rstrip("/"), SETTINGS.variable("base_url")
        )
        self.rc_server_url = secure_base_url(
            str(self.rc_server_url), SETTINGS.variable("rc_server_url")
        )
        self.http = HttpClient(
            SERVICE,
            session=self.session or requests.Session(),
            timeout=self.timeout,
            retry=self.retry or RetryPolicy(),
            sleep=self.sleep,
            limits=self.limits,
            clock=self.clock,
            hints=HINTS,
        )

    def __repr__(self) -> str:
        return (
            f"EngageVoiceClient(base_url={public_url(str(self.base_url))!r}, "
            f"account_id={self.account_id!r})"
        )

    @property
    def can_login(self) -> bool:
        return bool(self.rc_client_id and self.rc_client_secret and self.rc_jwt)

    @property
    def report_url(self) -> str:
        if not self.account_id:
            raise AuthenticationError(
                f"no Engage Voice account id: set {SETTINGS.variable('account_id')}, or log in "
                f"with {SETTINGS.variables(*RC_LOGIN, sep='/')}",
                service=SERVICE,
                url=public_url(str(self.base_url)),
            )
        return f"{self.base_url}/v1/admin/accounts/{self.account_id}/reportsStreaming"

    def login(self) -> None:
        """Exchange RingCentral JWT credentials for an Engage token and account id."""
        if not self.can_login:
            raise AuthenticationError(
                f"no Engage Voice credentials: set {SETTINGS.variable('token')} (and "
                f"{SETTINGS.variable('account_id')}), or {SETTINGS.variables(*RC_LOGIN)}",
                service=SERVICE,
                url=public_url(str(self.base_url)),
            )
        assert isinstance(self.rc_client_secret, Secret) and isinstance(self.rc_jwt, Secret)
        # Redirects go nowhere but the same host (http.py), so the JWT assertion is never
        # re-posted to another server.
        rc = self.http.request(
            "POST",
            f"{str(self.rc_server_url).rstrip('/')}/restapi/oauth/token",
            hints=RC_LOGIN_HINTS,
            auth=(str(self.rc_client_id), self.rc_client_secret.reveal()),
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion": self.rc_jwt.reveal(),
            },
        )
        rc_token = _json_field(rc, "access_token", "RingCentral token")
        parts = urlsplit(str(self.base_url))
        engage = self.http.request(
            "POST",
            f"{parts.scheme}://{parts.netloc}/api/auth/login/rc/accesstoken",
            hints=ENGAGE_LOGIN_HINTS,
            data={"rcAccessToken": rc_token, "rcTokenType": "Bearer"},
        )
        self.token = Secret(_json_field(engage, "accessToken", "Engage token"))
        if not self.account_id:
            details = engage.json().get("agentDetails") or [{}]
            account = details[0].get("accountId")
            self.account_id = str(account) if account is not None else None
        log.info("logged in to Engage Voice (account %s)", self.account_id)

    def _auth_headers(self) -> dict[str, str]:
        if not self.token:
            self.login()
        assert isinstance(self.token, Secret)
        return {"Authorization": f"Bearer {self.token.reveal()}"}

    def _refresh(self) -> Mapping[str, str]:
        if not self.can_login:
            raise AuthenticationError(
                f"401 from {SERVICE} at {public_url(self.report_url)}: check "
                f"{SETTINGS.variable('token')} (it may have expired)",
                service=SERVICE,
                url=public_url(self.report_url),
                status=401,
            )
        self.token = None
        return self._auth_headers()

    def report_body(
        self,
        window: Window,
        *,
        timezone: str,
        system_disposition: str = "ALL",
        leads: str = "ALL_LEADS",
        include_aux: bool = True,
        include_transfer: bool = True,
        include_speed_to_lead: bool = True,
    ) -> dict[str, Any]:
        """The documented request body for one window."""
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

    def download(self, body: Mapping[str, Any], destination: Path) -> Path:
        """POST the report request and stream the CSV to ``destination``."""
        headers = {
            **self._auth_headers(),
            "Content-Type": "application/json;charset=UTF-8",
            "Accept": "application/json, text/csv",
        }
        return self.http.download(
            "POST",
            self.report_url,
            destination,
            json=body,
            headers=headers,
            refresh_auth=self._refresh,
        )

    def cache_identity(self) -> dict[str, str]:
        """What besides the request decides the answer, for the cache key: the base URL
        (without any user info) and the account id. The token is left out on purpose: it
        changes at every login while the account's data does not. Without a configured
        account id the client logs in first, since the login names the account; set
        ``ENGAGE_VOICE_ACCOUNT_ID`` to serve cached days without that request.

        Example:
            >>> EngageVoiceClient(account_id="123", token="t").cache_identity()
            {'base_url': 'https://engage.ringcentral.com/voice/api', 'account_id': '123'}
        """
        if not self.account_id and (self.can_login or not self.token):
            self.login()  # names the account, or says which credentials to set
        self.report_url  # noqa: B018 - raises the error naming what to set when no account id
        return {
            "base_url": without_user_info(str(self.base_url)),
            "account_id": str(self.account_id),
        }


def _json_field(response: Reply, key: str, what: str) -> str:
    try:
        value = response.json()[key]
    except (ValueError, KeyError, TypeError):
        raise ResponseError(
            f"{SERVICE}: the {what} answer at {public_url(response.url)} has no '{key}'",
            service=SERVICE,
            url=public_url(response.url),
        ) from None
    return str(value)


def _validate(system_disposition: str, leads: str) -> None:
    allowed = ("ALL", *PASS_DISPOSITIONS)
    if system_disposition not in allowed:
        raise ValueError(f"system_disposition must be one of {', '.join(allowed)}")
    if leads not in LEAD_TYPES:
        raise ValueError(f"leads must be one of {', '.join(LEAD_TYPES)}")


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
    _validate(system_disposition, leads)
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

"""``EngageVoiceClient``: Engage Voice settings, the login, and the report request.

Authentication is a ready Engage bearer token (``ENGAGE_VOICE_TOKEN``) or RingCentral JWT
credentials, exchanged for an Engage token at ``/api/auth/login/rc/accesstoken`` (the
answer also names the account id); one 401 refreshes the token when the JWT credentials
are set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from callanalytics.cache import without_user_info
from callanalytics.config import ENGAGE_VOICE_SETTINGS, Secret
from callanalytics.sources.engage_voice.criteria import report_body
from callanalytics.sources.http import (
    AuthenticationError,
    Hints,
    HttpClient,
    Reply,
    ResponseError,
    RetryPolicy,
    TransferLimits,
    cannot_connect,
    public_url,
    secure_base_url,
)

__all__ = ["EngageVoiceClient"]

log = logging.getLogger("callanalytics.engage_voice")

SETTINGS = ENGAGE_VOICE_SETTINGS
#: The RingCentral JWT login, exchanged for an Engage token.
RC_LOGIN = ("rc_client_id", "rc_client_secret", "rc_jwt")
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
        self.http = HttpClient.for_client(SERVICE, self, HINTS)

    def __repr__(self) -> str:
        return (
            f"EngageVoiceClient(base_url={public_url(str(self.base_url))!r}, "
            f"account_id={self.account_id!r})"
        )

    def _unset(self, message: str) -> AuthenticationError:
        """The error for a setting the call needs and nobody set; ``message`` names it."""
        return AuthenticationError(message, service=SERVICE, url=public_url(str(self.base_url)))

    @property
    def can_login(self) -> bool:
        return bool(self.rc_client_id and self.rc_client_secret and self.rc_jwt)

    @property
    def report_url(self) -> str:
        if not self.account_id:
            raise self._unset(
                f"no Engage Voice account id: set {SETTINGS.variable('account_id')}, or log in "
                f"with {SETTINGS.variables(*RC_LOGIN, sep='/')}"
            )
        return f"{self.base_url}/v1/admin/accounts/{self.account_id}/reportsStreaming"

    def login(self) -> None:
        """Exchange RingCentral JWT credentials for an Engage token and account id."""
        if not self.can_login:
            raise self._unset(
                f"no Engage Voice credentials: set {SETTINGS.variable('token')} (and "
                f"{SETTINGS.variable('account_id')}), or {SETTINGS.variables(*RC_LOGIN)}"
            )
        assert isinstance(self.rc_client_secret, Secret) and isinstance(self.rc_jwt, Secret)
        # Redirects go nowhere but the same host (sources.http), so the JWT assertion is never
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

    #: The documented request body for one window (``criteria.report_body``).
    report_body = staticmethod(report_body)

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

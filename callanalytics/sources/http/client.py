"""``HttpClient``: a ``requests.Session`` with timeouts, the one retry loop, and the
translation of each failure into an ``ApiError`` (see the table in ``sources.http``)."""

from __future__ import annotations

import io
import json
import logging
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import requests
import urllib3.exceptions

from callanalytics.sources.http.body import Stalled, read_body
from callanalytics.sources.http.decoding import ACCEPT_ENCODING, UnsupportedEncoding
from callanalytics.sources.http.errors import (
    ApiError,
    AuthenticationError,
    RateLimitedError,
    ResponseError,
    ServerError,
)
from callanalytics.sources.http.failures import Retryable, gave_up, status_error
from callanalytics.sources.http.hints import Hints, exception_hint
from callanalytics.sources.http.policy import RetryPolicy, TransferLimits, retry_after_seconds
from callanalytics.sources.http.redirects import send_same_origin
from callanalytics.sources.http.urls import public_url

__all__ = ["ClientOptions", "HttpClient", "Reply"]

log = logging.getLogger("callanalytics.http")

#: Status line, URL and headers of a 2xx answer whose body went to the sink.
_Answer = tuple[str, int, Mapping[str, str]]


@dataclass(frozen=True)
class Reply:
    """A whole 2xx answer, read within the transfer limits.

    Example:
        >>> Reply("https://api.example/x", 200, {}, b'{"a": 1}').json()
        {'a': 1}
    """

    url: str
    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


class ClientOptions(Protocol):
    """The transport settings an API client (``EngageVoiceClient``, ``LeadFlowClient``)
    takes as arguments and hands to its ``HttpClient``."""

    session: requests.Session | None
    timeout: tuple[float, float]
    retry: RetryPolicy | None
    limits: TransferLimits
    clock: Callable[[], float]
    sleep: Callable[[float], None]


@dataclass
class HttpClient:
    """A ``requests.Session`` with timeouts, one retry loop and error translation.

    ``hints`` maps a status, or an exception type behind a failed connection, to what the
    user should check, e.g. ``{401: "check DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY"}``
    or ``cannot_connect("DIALOGTECH_BASE_URL")`` (keyed by ``CANNOT_CONNECT``).

    Example:
        >>> HttpClient("Example").retry.attempts
        5
    """

    service: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout: tuple[float, float] = (10.0, 300.0)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    hints: Hints = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    limits: TransferLimits = field(default_factory=TransferLimits)
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def for_client(cls, service: str, options: ClientOptions, hints: Hints) -> HttpClient:
        """The ``HttpClient`` of an API client, from its transport arguments (a new session
        and the default ``RetryPolicy`` where it gave none).

        Example:
            >>> from types import SimpleNamespace as Options
            >>> options = Options(session=None, timeout=(1.0, 2.0), retry=None,
            ...                   limits=TransferLimits(), clock=time.monotonic, sleep=time.sleep)
            >>> HttpClient.for_client("Example", options, {}).timeout
            (1.0, 2.0)
        """
        return cls(
            service,
            session=options.session or requests.Session(),
            timeout=options.timeout,
            retry=options.retry or RetryPolicy(),
            sleep=options.sleep,
            limits=options.limits,
            clock=options.clock,
            hints=hints,
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        refresh_auth: Callable[[], Mapping[str, str]] | None = None,
        hints: Hints | None = None,
        **kwargs: Any,
    ) -> Reply:
        """Send with retries; return the whole 2xx answer or raise an ``ApiError``.

        ``refresh_auth`` is called once on a 401 to get fresh auth headers; ``hints`` add
        to or replace the client's hints for this call.
        """
        buffer = io.BytesIO()
        final, status, headers = self._call(method, url, buffer, refresh_auth, hints, kwargs)
        return Reply(final, status, headers, buffer.getvalue())

    def download(
        self,
        method: str,
        url: str,
        destination: Path,
        *,
        refresh_auth: Callable[[], Mapping[str, str]] | None = None,
        hints: Hints | None = None,
        **kwargs: Any,
    ) -> Path:
        """Stream a 2xx body to ``destination`` with the same retries as ``request``; a
        partial file is never left behind."""
        try:
            with destination.open("w+b") as handle:
                self._call(method, url, handle, refresh_auth, hints, kwargs)
        except BaseException:
            destination.unlink(missing_ok=True)
            raise
        return destination

    # --- the one retry loop ---------------------------------------------------------------

    def _call(
        self,
        method: str,
        url: str,
        sink: IO[bytes],
        refresh_auth: Callable[[], Mapping[str, str]] | None,
        hints: Hints | None,
        kwargs: dict[str, Any],
    ) -> _Answer:
        public = public_url(url)
        hints = {**self.hints, **(hints or {})}
        deadline = self.clock() + self.limits.deadline
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            sink.seek(0)
            sink.truncate()
            outcome = self._attempt(method, url, sink, deadline, hints, kwargs)
            if not isinstance(outcome, Retryable):
                return outcome
            if outcome.status == 401:
                if refresh_auth is None or refreshed or attempt >= self.retry.attempts:
                    raise status_error(self.service, 401, public, hints)
                refreshed = True
                kwargs["headers"] = {**kwargs.get("headers", {}), **refresh_auth()}
                continue
            tried = f"after {attempt} attempt{'s' if attempt != 1 else ''}"
            if attempt >= self.retry.attempts:
                log.warning("%s (%s); attempt %d of %d", outcome.reason, public, attempt, attempt)
                raise gave_up(self.service, outcome, public, f" {tried}; {outcome.advice()}", hints)
            asked = outcome.retry_after
            if asked is not None and asked > self.retry.max_retry_after:
                raise gave_up(
                    self.service,
                    outcome,
                    public,
                    f": the server asked to wait {asked:.0f} s, longer than the "
                    f"{self.retry.max_retry_after:.0f} s this client waits; gave up {tried}. "
                    "Try again after that",
                    hints,
                )
            wait = asked if asked is not None else self.retry.backoff(attempt)
            if self.clock() + wait > deadline:
                raise gave_up(
                    self.service,
                    outcome,
                    public,
                    f": waiting {wait:.0f} s more would pass the deadline of "
                    f"{self.limits.deadline:.0f} s for one call; gave up {tried}",
                    hints,
                    kind=ServerError,
                )
            log.warning(
                "%s (%s); attempt %d of %d, retrying in %.1f s",
                outcome.reason,
                public,
                attempt,
                self.retry.attempts,
                wait,
            )
            self.sleep(wait)

    def _attempt(
        self,
        method: str,
        url: str,
        sink: IO[bytes],
        deadline: float,
        hints: Hints,
        kwargs: dict[str, Any],
    ) -> _Answer | Retryable:
        """One request (and its same-host redirects): the answer, or why it may be retried."""
        public = public_url(url)
        left = deadline - self.clock()
        if left <= 0:
            raise ServerError(
                f"{self.service} did not answer {public} within the deadline of "
                f"{self.limits.deadline:.0f} s for one call",
                service=self.service,
                url=public,
            )
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            response = send_same_origin(self.session, self.service, method, url, timeout, kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            return Retryable(
                f"{type(error).__name__} contacting {self.service}",
                ServerError,
                hint=exception_hint(error, hints),
            )
        except requests.RequestException as error:
            # An invalid URL or header: not worth retrying. The exception's own text may
            # hold the URL's user info, so only its type is shown.
            raise ApiError(
                f"{self.service}: the request to {public} could not be sent "
                f"({type(error).__name__})",
                service=self.service,
                url=public,
            ) from None
        try:
            status = response.status_code
            if status in self.retry.statuses:
                return Retryable(
                    f"{status} from {self.service}",
                    RateLimitedError if status == 429 else ServerError,
                    status,
                    retry_after_seconds(response.headers.get("Retry-After")),
                )
            if status == 401:
                return Retryable("401", AuthenticationError, 401)
            if status >= 300:
                raise status_error(self.service, status, public, hints)
            try:
                read_body(response, sink, deadline=deadline, limits=self.limits, clock=self.clock)
            except UnsupportedEncoding as unsupported:
                raise ResponseError(
                    f"{self.service} answered {public} with Content-Encoding {unsupported}, "
                    f"which was not asked for (Accept-Encoding: {ACCEPT_ENCODING})",
                    service=self.service,
                    url=public,
                ) from None
            except (zlib.error, urllib3.exceptions.DecodeError):
                return Retryable(
                    f"{self.service} sent a corrupt compressed body", ResponseError, status
                )
            except Stalled as stall:
                raise ServerError(
                    f"{self.service} stalled: {stall} at {public}; not retried (a slow server "
                    "stays slow). Try again later, or loosen TransferLimits",
                    service=self.service,
                    url=public,
                ) from None
            except (urllib3.exceptions.HTTPError, OSError) as error:
                # The body ended before its Content-Length (urllib3 enforces it, also for
                # compressed bodies) or the connection broke: a part is never the whole.
                return Retryable(
                    f"{self.service} ended the response early (truncated body, "
                    f"{type(error).__name__})",
                    ResponseError,
                    status,
                )
            return response.url, status, response.headers
        finally:
            response.close()

"""One place for HTTP: sessions, timeouts, retries with backoff, Retry-After, and errors that
say what to check without ever containing a credential."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from callanalytics.errors import CallAnalyticsError

__all__ = [
    "ApiError",
    "AuthenticationError",
    "HttpClient",
    "NotFoundError",
    "RateLimitedError",
    "RequestRejectedError",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "not_report_data",
]

log = logging.getLogger("callanalytics.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ApiError(CallAnalyticsError):
    """An API call failed. ``url`` has no query string; no header or body is kept."""

    def __init__(self, message: str, *, service: str, url: str, status: int | None = None):
        super().__init__(message)
        self.service = service
        self.url = url
        self.status = status


class AuthenticationError(ApiError):
    """401/403: the credentials were refused."""


class RequestRejectedError(ApiError):
    """400: the API refused the request's parameters."""


class NotFoundError(ApiError):
    """404: wrong base URL, account id or path."""


class RateLimitedError(ApiError):
    """429 after every retry."""


class ServerError(ApiError):
    """5xx or a connection failure after every retry."""


class ResponseError(ApiError):
    """A 2xx answer that is not the data: an HTML page, malformed JSON, a truncated body."""


def not_report_data(service: str, url: str, reason: object) -> ResponseError:
    """The reader said a response body is not report data: say so with the URL."""
    return ResponseError(
        f"{service} answered {url} with something that is not report data: {reason}",
        service=service,
        url=url,
    )


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff, full jitter, and ``Retry-After``."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    #: Longest Retry-After we honour; a longer one fails at once rather than hang a report.
    max_retry_after: float = 300.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date.

    Example:
        >>> retry_after_seconds("3")
        3.0
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _public_url(url: str) -> str:
    return url.split("?", 1)[0]


@dataclass
class HttpClient:
    """A ``requests.Session`` with timeouts, retries and error translation.

    ``hints`` maps a status to what the user should check, e.g. ``{401: "check
    DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY"}``.
    """

    service: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout: tuple[float, float] = (10.0, 300.0)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    hints: Mapping[int, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        method: str,
        url: str,
        *,
        stream: bool = False,
        refresh_auth: Callable[[], Mapping[str, str]] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send with retries; return a 2xx response or raise an ``ApiError``.

        ``refresh_auth`` is called once on a 401 to get fresh auth headers.
        """
        public = _public_url(url)
        refreshed = False
        last: str = ""
        for attempt in range(self.retry.attempts):
            try:
                response = self.session.request(
                    method, url, timeout=self.timeout, stream=stream, **kwargs
                )
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as error:
                # ChunkedEncodingError: the body ended before its Content-Length; a part is
                # never taken for the whole.
                truncated = isinstance(error, requests.exceptions.ChunkedEncodingError)
                last = (
                    f"{self.service} ended the response early (truncated body)"
                    if truncated
                    else f"{type(error).__name__} contacting {self.service}"
                )
                log.warning(
                    "%s (%s); attempt %d of %d", last, public, attempt + 1, self.retry.attempts
                )
                if attempt + 1 < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt, None))
                continue
            status = response.status_code
            if status < 300:
                return response
            response.close()
            if status == 401 and refresh_auth is not None and not refreshed:
                refreshed = True
                kwargs["headers"] = {**kwargs.get("headers", {}), **refresh_auth()}
                continue
            if status not in RETRY_STATUSES:
                raise self._error(status, public)
            last = f"{status} from {self.service}"
            wait = self.retry.delay(
                attempt, retry_after_seconds(response.headers.get("Retry-After"))
            )
            log.warning(
                "%s (%s); attempt %d of %d, waiting %.1f s",
                last,
                public,
                attempt + 1,
                self.retry.attempts,
                wait,
            )
            if attempt + 1 < self.retry.attempts:
                self.sleep(wait)
            if status == 429 and wait >= self.retry.max_retry_after:
                break
        if "truncated" in last:
            raise ResponseError(
                f"{last} at {public} after {self.retry.attempts} attempts; nothing was cached",
                service=self.service,
                url=public,
            )
        kind = RateLimitedError if last.startswith("429") else ServerError
        raise kind(
            f"{last} at {public} after {self.retry.attempts} attempts; try again later"
            + (f" ({self.hints[429]})" if kind is RateLimitedError and 429 in self.hints else ""),
            service=self.service,
            url=public,
            status=429 if kind is RateLimitedError else None,
        )

    def _error(self, status: int, url: str) -> ApiError:
        kind: type[ApiError] = {
            400: RequestRejectedError,
            401: AuthenticationError,
            403: AuthenticationError,
            404: NotFoundError,
        }.get(status, ApiError)
        hint = self.hints.get(status, "")
        return kind(
            f"{status} from {self.service} at {url}" + (f": {hint}" if hint else ""),
            service=self.service,
            url=url,
            status=status,
        )

    def download(self, method: str, url: str, destination: Path, **kwargs: Any) -> Path:
        """Stream a 2xx body to ``destination``. A body cut short of its Content-Length
        (urllib3 enforces it, also for compressed bodies) is retried, then a ``ResponseError``;
        the partial file is removed either way."""
        public = _public_url(url)
        for attempt in range(self.retry.attempts):
            response = self.request(method, url, stream=True, **kwargs)
            try:
                _write_chunks(response.iter_content(1 << 20), destination)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
                destination.unlink(missing_ok=True)
                log.warning(
                    "download from %s broke (%s); attempt %d",
                    public,
                    type(error).__name__,
                    attempt + 1,
                )
                if attempt + 1 < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt, None))
                    continue
                raise ResponseError(
                    f"{self.service} ended the response early at {public} "
                    f"({type(error).__name__}); nothing was cached",
                    service=self.service,
                    url=public,
                ) from None
            finally:
                response.close()
            return destination
        raise AssertionError("unreachable")  # pragma: no cover


def _write_chunks(chunks: Iterable[bytes], destination: Path) -> None:
    with destination.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)

"""One place for HTTP: one retry loop, deadlines, Retry-After, redirects that keep credentials
home, and errors that say what to check without ever containing a credential.

Decisions are made on status codes and exception types (``urllib3.util.Retry`` is the model):

========================  ===================================================================
What happened             What the client does
========================  ===================================================================
429, 500, 502, 503, 504   retried with backoff (``RetryPolicy.statuses``); ``Retry-After`` is
                          honoured up to ``max_retry_after``; a longer one fails at once
connection refused/reset  retried; then ``ServerError``
read timeout (no answer)  retried; then ``ServerError``
body cut short, corrupt   retried (the partial body is thrown away); then ``ResponseError``
compressed body
body below ``min_rate``   fails at once as stalled (``ServerError``): a server that trickles
for ``rate_window`` s     once trickles again, and retrying would multiply the wait
``deadline`` passed       fails at once (``ServerError``): one call, retries included, never
                          takes longer than ``TransferLimits.deadline``
redirect                  followed only to the same scheme, host and port (then ``POST``
                          bodies and credentials go along); to any other host: ``ResponseError``
400/401/403/404           not retried (one refresh of the credentials on 401 when possible)
========================  ===================================================================
"""

from __future__ import annotations

import email.utils
import io
import ipaddress
import json
import logging
import random
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions

from callanalytics.errors import CallAnalyticsError, InsecureUrlError

__all__ = [
    "CANNOT_CONNECT",
    "ApiError",
    "AuthenticationError",
    "HttpClient",
    "NotFoundError",
    "RateLimitedError",
    "Reply",
    "RequestRejectedError",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "TransferLimits",
    "cannot_connect",
    "not_report_data",
    "public_url",
    "same_origin",
    "secure_base_url",
]

log = logging.getLogger("callanalytics.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
#: The ``hints`` key for a connection that could not be made at all: refused, a host name
#: that does not resolve, an unreachable network (urllib3 wraps each in this type, inside
#: ``requests.ConnectionError``). Its hint should name the setting that holds the URL.
CANNOT_CONNECT: type[Exception] = urllib3.exceptions.NewConnectionError
#: What the user should check, by HTTP status or by exception type (see ``CANNOT_CONNECT``).
Hints = Mapping[int | type[BaseException], str]


def cannot_connect(variable: str) -> dict[int | type[BaseException], str]:
    """The hint for a connection that could not be made, naming the setting to check.

    Example:
        >>> cannot_connect("DIALOGTECH_BASE_URL")[CANNOT_CONNECT].split(" (")[0]
        'could not connect: check DIALOGTECH_BASE_URL'
    """
    return {
        CANNOT_CONNECT: f"could not connect: check {variable} (host name and port), "
        "or try again later if it is right"
    }


#: We decode bodies ourselves (see ``_Decoder``), so we ask only for what we decode.
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 1 << 16


class ApiError(CallAnalyticsError):
    """An API call failed. ``url`` has no user info and no query string; no header or body
    is kept."""

    def __init__(self, message: str, *, service: str, url: str, status: int | None = None):
        super().__init__(message)
        self.service = service
        self.url = url
        self.status = status


class AuthenticationError(ApiError):
    """401/403: the credentials were refused."""


class RequestRejectedError(ApiError):
    """400: the API refused the request's parameters (or the login)."""


class NotFoundError(ApiError):
    """404: wrong base URL, account id or path."""


class RateLimitedError(ApiError):
    """429 after every retry, or a ``Retry-After`` longer than the client waits."""


class ServerError(ApiError):
    """5xx, a connection failure, a stalled transfer, or the call's deadline passed."""


class ResponseError(ApiError):
    """A 2xx answer that is not the data: an HTML page, malformed JSON, a truncated or
    corrupt body; or an answer that points to another host."""


def public_url(url: str) -> str:
    """``url`` as the package prints it: no ``user:password@``, no query, no fragment.

    Example:
        >>> public_url("https://me:pw@api.example.com:8443/v1/x?key=k")
        'https://api.example.com:8443/v1/x'
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def same_origin(url: str, home: str) -> bool:
    """Whether ``url`` has the scheme, host and port of ``home`` (where credentials may go).

    Example:
        >>> same_origin("https://a.example/next?page=2", "https://a.example:443/api")
        True
        >>> same_origin("https://b.example/next", "https://a.example/api")
        False
    """
    return _origin(url) == _origin(home)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port or {"https": 443, "http": 80}.get(scheme)


def secure_base_url(url: str, setting: str) -> str:
    """``url`` if credentials may be sent to it: ``https://``, or ``http://`` to this machine
    (tests and local proxies). Anything else raises ``InsecureUrlError``.

    Example:
        >>> secure_base_url("http://127.0.0.1:8080", "DIALOGTECH_BASE_URL")
        'http://127.0.0.1:8080'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if (scheme == "https" and parts.hostname) or (scheme == "http" and _loopback(parts.hostname)):
        return url
    why = (
        "plain http:// would send the credentials unencrypted"
        if scheme == "http"
        else "it is not an https:// URL"
    )
    raise InsecureUrlError(
        f"{setting} {public_url(url)!r} is refused: {why}. Use an https:// URL "
        "(plain http:// is allowed only to this machine: localhost, 127.0.0.1, ::1)."
    )


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def not_report_data(service: str, url: str, reason: object, *, day: object = None) -> ResponseError:
    """The reader said a response body is not report data: say so with the URL (and day)."""
    where = public_url(url) + (f" for {day}" if day is not None else "")
    return ResponseError(
        f"{service} answered {where} with something that is not report data: {reason}",
        service=service,
        url=public_url(url),
    )


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff, full jitter, and ``Retry-After``.

    ``attempts`` counts every request of one call, the first included; only ``statuses``
    (and connection failures, timeouts, cut or corrupt bodies) are retried.
    """

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    #: Longest Retry-After we honour; a longer one fails at once rather than hang a report.
    max_retry_after: float = 300.0
    statuses: frozenset[int] = RETRY_STATUSES

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (from 1) without Retry-After."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class TransferLimits:
    """When a call gives up on time, like curl's ``--speed-limit``/``--speed-time`` and
    ``--max-time``.

    A response body that arrives slower than ``min_rate`` bytes a second over
    ``rate_window`` seconds (or sends nothing for ``rate_window`` seconds) is stalled.
    ``deadline`` bounds one call in seconds: every attempt, wait and body read included.

    Example:
        >>> TransferLimits().min_rate, TransferLimits().rate_window
        (1024.0, 30.0)
    """

    min_rate: float = 1024.0
    rate_window: float = 30.0
    deadline: float = 1800.0


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


@dataclass(frozen=True)
class Reply:
    """A whole 2xx answer, read within the transfer limits."""

    url: str
    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass(frozen=True)
class _Retryable:
    """One failed attempt that may be retried."""

    reason: str
    kind: type[ApiError]
    status: int | None = None
    retry_after: float | None = None
    hint: str = ""


class _Stalled(Exception):
    pass


class _Unsupported(Exception):
    pass


class _Decoder:
    """``Content-Encoding`` gzip or deflate, decoded here rather than inside urllib3: the
    transfer rate is measured on the bytes that arrive, a decoder never sits on the socket
    waiting for output, and a compressed stream that stops before its end marker is an error
    (urllib3 returns the part it decoded as if it were the whole body).

    Example:
        >>> import gzip
        >>> decoder = _Decoder("gzip")
        >>> decoder.feed(gzip.compress(b"a,b") + gzip.compress(b"c")) + decoder.finish()
        b'a,bc'
    """

    def __init__(self, encoding: str) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _Unsupported(encoding)
        self.coding = codings[0] if codings else None
        # gzip: a gzip (or zlib) header, detected; deflate: a zlib header, or none at all
        self._zlib = zlib.decompressobj(47 if self.coding != "deflate" else 15)
        self._seen = b""  # the first bytes of a deflate body, to retry them as raw deflate
        self._members = 1
        self._member_out = 0  # bytes the current gzip member has produced
        self._ignore_rest = False

    def feed(self, data: bytes) -> bytes:
        if self.coding is None:
            return data
        out = b""
        while data and not self._ignore_rest:
            if self._zlib.eof:
                if self.coding == "deflate":
                    break  # bytes after the end of a deflate stream carry nothing
                self._zlib, self._members, self._member_out = zlib.decompressobj(31), 2, 0
            try:
                part = self._decompress(data)
            except zlib.error:
                if self._members > 1 and not self._member_out:
                    self._ignore_rest = True  # not another member: trailing bytes, as gzip does
                    break
                raise
            out += part
            self._member_out += len(part)
            data = self._zlib.unused_data if self._zlib.eof else b""
        return out

    def _decompress(self, data: bytes) -> bytes:
        if self.coding != "deflate" or self._seen is None:
            return self._zlib.decompress(data)
        self._seen += data
        try:
            part = self._zlib.decompress(data)
        except zlib.error:
            if len(self._seen) > len(data) + 64:
                raise
            self._zlib, seen, self._seen = zlib.decompressobj(-15), self._seen, None
            return self._zlib.decompress(seen)
        if len(self._seen) > 64:
            self._seen = None
        return part

    def finish(self) -> bytes:
        if self.coding is None or self._ignore_rest:
            return b""
        out = self._zlib.flush()
        if not self._zlib.eof and not (self._members > 1 and not self._member_out):
            raise zlib.error("the compressed body stops before its end marker")
        return out


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
    ) -> tuple[str, int, Mapping[str, str]]:
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
            if not isinstance(outcome, _Retryable):
                return outcome
            if outcome.status == 401:
                if refresh_auth is None or refreshed or attempt >= self.retry.attempts:
                    raise self._error(401, public, hints)
                refreshed = True
                kwargs["headers"] = {**kwargs.get("headers", {}), **refresh_auth()}
                continue
            tried = f"after {attempt} attempt{'s' if attempt != 1 else ''}"
            if attempt >= self.retry.attempts:
                log.warning("%s (%s); attempt %d of %d", outcome.reason, public, attempt, attempt)
                raise self._gave_up(outcome, public, f" {tried}; {_advice(outcome)}", hints)
            asked = outcome.retry_after
            if asked is not None and asked > self.retry.max_retry_after:
                raise self._gave_up(
                    outcome,
                    public,
                    f": the server asked to wait {asked:.0f} s, longer than the "
                    f"{self.retry.max_retry_after:.0f} s this client waits; gave up {tried}. "
                    "Try again after that",
                    hints,
                )
            wait = asked if asked is not None else self.retry.backoff(attempt)
            if self.clock() + wait > deadline:
                raise self._gave_up(
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
    ) -> tuple[str, int, Mapping[str, str]] | _Retryable:
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
            response = self._send(method, url, timeout, kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            return _Retryable(
                f"{type(error).__name__} contacting {self.service}",
                ServerError,
                hint=_exception_hint(error, hints),
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
                return _Retryable(
                    f"{status} from {self.service}",
                    RateLimitedError if status == 429 else ServerError,
                    status,
                    retry_after_seconds(response.headers.get("Retry-After")),
                )
            if status == 401:
                return _Retryable("401", AuthenticationError, 401)
            if status >= 300:
                raise self._error(status, public, hints)
            try:
                self._read_body(response, sink, deadline)
            except _Unsupported as unsupported:
                raise ResponseError(
                    f"{self.service} answered {public} with Content-Encoding {unsupported}, "
                    f"which was not asked for (Accept-Encoding: {ACCEPT_ENCODING})",
                    service=self.service,
                    url=public,
                ) from None
            except (zlib.error, urllib3.exceptions.DecodeError):
                return _Retryable(
                    f"{self.service} sent a corrupt compressed body", ResponseError, status
                )
            except _Stalled as stall:
                raise ServerError(
                    f"{self.service} stalled: {stall} at {public}; not retried (a slow server "
                    "stays slow). Try again later, or loosen TransferLimits",
                    service=self.service,
                    url=public,
                ) from None
            except (urllib3.exceptions.HTTPError, OSError) as error:
                # The body ended before its Content-Length (urllib3 enforces it, also for
                # compressed bodies) or the connection broke: a part is never the whole.
                return _Retryable(
                    f"{self.service} ended the response early (truncated body, "
                    f"{type(error).__name__})",
                    ResponseError,
                    status,
                )
            return response.url, status, response.headers
        finally:
            response.close()

    def _send(
        self, method: str, url: str, timeout: tuple[float, float], kwargs: dict[str, Any]
    ) -> requests.Response:
        """Send, following redirects only on the same scheme, host and port: credentials
        and request bodies (a token request's JWT) never go to another host."""
        home = url
        kwargs = {
            **kwargs,
            "headers": {"Accept-Encoding": ACCEPT_ENCODING, **(kwargs.get("headers") or {})},
        }
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.request(
                method, url, timeout=timeout, stream=True, allow_redirects=False, **kwargs
            )
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response
            response.close()
            target = urljoin(url, location)
            if not same_origin(target, home):
                raise ResponseError(
                    f"{self.service} redirected {public_url(url)} to another host "
                    f"({public_url(target)}); not followed, so credentials and request bodies "
                    "stay with the configured server",
                    service=self.service,
                    url=public_url(url),
                    status=response.status_code,
                )
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method == "POST"
            ):
                method = "GET"
                kwargs = {k: v for k, v in kwargs.items() if k not in ("data", "json", "files")}
            url = target
        raise ResponseError(
            f"{self.service} redirected {public_url(home)} more than {MAX_REDIRECTS} times",
            service=self.service,
            url=public_url(home),
        )

    def _read_body(self, response: requests.Response, sink: IO[bytes], deadline: float) -> None:
        """Copy the body to ``sink``, failing a transfer slower than the minimum rate."""
        limits = self.limits
        raw = response.raw
        decoder = _Decoder(response.headers.get("Content-Encoding", ""))
        _tighten_read_timeout(raw, limits.rate_window)
        since, got = self.clock(), 0
        while True:
            try:
                chunk = raw.read1(_CHUNK, decode_content=False)
            except urllib3.exceptions.ReadTimeoutError:
                raise _Stalled(f"no data for {limits.rate_window:g} s") from None
            if not chunk:
                sink.write(decoder.finish())
                return
            sink.write(decoder.feed(chunk))
            got += len(chunk)
            now = self.clock()
            if now > deadline:
                raise _Stalled(f"the body was still arriving at the {limits.deadline:g} s deadline")
            if now - since >= limits.rate_window:
                if got / (now - since) < limits.min_rate:
                    raise _Stalled(
                        f"{got} bytes in {now - since:.1f} s, below "
                        f"{limits.min_rate:g} bytes/s for {limits.rate_window:g} s"
                    )
                since, got = now, 0

    def _gave_up(
        self,
        outcome: _Retryable,
        url: str,
        detail: str,
        hints: Hints,
        kind: type[ApiError] | None = None,
    ) -> ApiError:
        kind = kind or outcome.kind
        hint = hints.get(429, "") if kind is RateLimitedError else outcome.hint
        if hint in detail:
            hint = ""
        return kind(
            f"{outcome.reason} at {url}{detail}" + (f" ({hint})" if hint else ""),
            service=self.service,
            url=url,
            status=outcome.status if outcome.status and outcome.status >= 400 else None,
        )

    def _error(self, status: int, url: str, hints: Hints) -> ApiError:
        kind: type[ApiError] = {
            400: RequestRejectedError,
            401: AuthenticationError,
            403: AuthenticationError,
            404: NotFoundError,
        }.get(status, ApiError)
        hint = hints.get(status, "")
        return kind(
            f"{status} from {self.service} at {url}" + (f": {hint}" if hint else ""),
            service=self.service,
            url=url,
            status=status,
        )


def _exception_hint(error: BaseException, hints: Hints) -> str:
    """The hint for the first exception type in ``hints`` that ``error`` is, or wraps
    (requests keeps urllib3's error in ``args[0]``, and the cause in its ``reason``)."""
    seen: list[BaseException] = []
    todo: list[object] = [error]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        for key, hint in hints.items():
            if isinstance(key, type) and isinstance(item, key):
                return hint
        todo.extend([*item.args[:1], getattr(item, "reason", None), item.__cause__])
    return ""


def _advice(outcome: _Retryable) -> str:
    if outcome.hint:
        return outcome.hint
    if outcome.kind is ResponseError:
        return "nothing was cached"
    return "try again later"


def _tighten_read_timeout(raw: Any, seconds: float) -> None:
    """Once the body has begun, silence longer than the rate window is a stall: shorten the
    socket's read timeout (the longer one was for the server to start answering)."""
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is None:  # "Connection: close": http.client keeps the socket only in its reader
        sock = getattr(
            getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None
        )
    if sock is not None:
        current = sock.gettimeout()
        sock.settimeout(seconds if current is None else min(current, seconds))

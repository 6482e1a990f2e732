"""The errors an API call raises, one class per thing the user can do about it.

Each carries the service, the public URL (no user info, no query) and the status when there
was one; never a header or a body.
"""

from __future__ import annotations

from callanalytics.errors import CallAnalyticsError
from callanalytics.sources.http.urls import public_url

__all__ = [
    "ApiError",
    "AuthenticationError",
    "NotFoundError",
    "RateLimitedError",
    "RequestRejectedError",
    "ResponseError",
    "ServerError",
    "not_report_data",
]


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


def not_report_data(service: str, url: str, reason: object, *, day: object = None) -> ResponseError:
    """The reader said a response body is not report data: say so with the URL (and day).

    Example:
        >>> str(not_report_data("Example", "https://u:p@api.example/r?k=1", "HTML", day="d"))
        'Example answered https://api.example/r for d with something that is not report data: HTML'
    """
    where = public_url(url) + (f" for {day}" if day is not None else "")
    return ResponseError(
        f"{service} answered {where} with something that is not report data: {reason}",
        service=service,
        url=public_url(url),
    )

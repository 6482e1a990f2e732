"""Why an attempt failed, and the error a call raises when it stops: the class chosen by
status (never by reading our own message text) and a message that says what to check."""

from __future__ import annotations

from dataclasses import dataclass

from callanalytics.sources.http.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    ResponseError,
)
from callanalytics.sources.http.hints import Hints

__all__ = ["Retryable", "gave_up", "status_error"]

_BY_STATUS: dict[int, type[ApiError]] = {
    400: RequestRejectedError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
}


@dataclass(frozen=True)
class Retryable:
    """One failed attempt that may be retried, and the error to raise if it is the last."""

    reason: str
    kind: type[ApiError]
    status: int | None = None
    retry_after: float | None = None
    hint: str = ""

    def advice(self) -> str:
        """What to do once every attempt failed like this one."""
        if self.hint:
            return self.hint
        if self.kind is ResponseError:
            return "nothing was cached"
        return "try again later"


def status_error(service: str, status: int, url: str, hints: Hints) -> ApiError:
    """The error for a status that is not retried (or 401 once refreshing did not help).

    Example:
        >>> str(status_error("Example", 404, "https://api.example/x", {404: "check the URL"}))
        '404 from Example at https://api.example/x: check the URL'
    """
    hint = hints.get(status, "")
    return _BY_STATUS.get(status, ApiError)(
        f"{status} from {service} at {url}" + (f": {hint}" if hint else ""),
        service=service,
        url=url,
        status=status,
    )


def gave_up(
    service: str,
    outcome: Retryable,
    url: str,
    detail: str,
    hints: Hints,
    kind: type[ApiError] | None = None,
) -> ApiError:
    """The error raised when a call stops retrying after ``outcome``: its reason, the URL,
    ``detail`` (why it stopped) and the hint, which is left out if ``detail`` already says it.
    """
    kind = kind or outcome.kind
    hint = hints.get(429, "") if kind is RateLimitedError else outcome.hint
    if hint in detail:
        hint = ""
    return kind(
        f"{outcome.reason} at {url}{detail}" + (f" ({hint})" if hint else ""),
        service=service,
        url=url,
        status=outcome.status if outcome.status and outcome.status >= 400 else None,
    )

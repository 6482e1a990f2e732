"""How long a call may try: the retry policy (attempts, backoff, the statuses worth another
try, ``Retry-After``) and the transfer limits (minimum rate, the deadline of one call)."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

__all__ = ["RETRY_STATUSES", "RetryPolicy", "TransferLimits", "retry_after_seconds"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff, full jitter, and ``Retry-After``.

    ``attempts`` counts every request of one call, the first included; only ``statuses``
    (and connection failures, timeouts, cut or corrupt bodies) are retried.

    Example:
        >>> RetryPolicy(base_delay=0).backoff(3)
        0.0
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

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

One module per job: ``policy`` (retry policy, transfer limits, Retry-After), ``client`` (the
one retry loop), ``redirects`` (same-origin redirects), ``body`` (reading within the limits),
``decoding`` (gzip and deflate), ``failures`` and ``errors`` (which error, with what text),
``hints`` (what to check), ``urls`` (where credentials may go).
"""

from callanalytics.sources.http.client import HttpClient, Reply
from callanalytics.sources.http.decoding import ACCEPT_ENCODING, ContentDecoder
from callanalytics.sources.http.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    ResponseError,
    ServerError,
    not_report_data,
)
from callanalytics.sources.http.hints import CANNOT_CONNECT, Hints, cannot_connect
from callanalytics.sources.http.policy import (
    RETRY_STATUSES,
    RetryPolicy,
    TransferLimits,
    retry_after_seconds,
)
from callanalytics.sources.http.redirects import MAX_REDIRECTS, REDIRECT_STATUSES
from callanalytics.sources.http.urls import public_url, same_origin, secure_base_url

#: The decoder's name before this module became a package (tests/http import it).
_Decoder = ContentDecoder

__all__ = [
    "ACCEPT_ENCODING",
    "CANNOT_CONNECT",
    "MAX_REDIRECTS",
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "ApiError",
    "AuthenticationError",
    "ContentDecoder",
    "Hints",
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
    "retry_after_seconds",
    "same_origin",
    "secure_base_url",
]

"""Reading a response body within the transfer limits: decoded as it arrives, and failed as
stalled when it comes slower than the minimum rate or past the call's deadline."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import requests
import urllib3.exceptions

from callanalytics.sources.http.decoding import ContentDecoder
from callanalytics.sources.http.policy import TransferLimits

__all__ = ["Stalled", "read_body"]

_CHUNK = 1 << 16


class Stalled(Exception):
    """The body came too slowly; the message says how slowly."""


def read_body(
    response: requests.Response,
    sink: IO[bytes],
    *,
    deadline: float,
    limits: TransferLimits,
    clock: Callable[[], float],
) -> None:
    """Copy the body to ``sink``, failing a transfer slower than the minimum rate.

    Raises ``Stalled``, ``UnsupportedEncoding``, ``zlib.error`` (a corrupt or cut compressed
    body) or urllib3's and the socket's own errors (a body cut short of its length).
    """
    raw = response.raw
    decoder = ContentDecoder(response.headers.get("Content-Encoding", ""))
    _tighten_read_timeout(raw, limits.rate_window)
    since, got = clock(), 0
    while True:
        try:
            chunk = raw.read1(_CHUNK, decode_content=False)
        except urllib3.exceptions.ReadTimeoutError:
            raise Stalled(f"no data for {limits.rate_window:g} s") from None
        if not chunk:
            sink.write(decoder.finish())
            return
        sink.write(decoder.feed(chunk))
        got += len(chunk)
        now = clock()
        if now > deadline:
            raise Stalled(f"the body was still arriving at the {limits.deadline:g} s deadline")
        if now - since >= limits.rate_window:
            if got / (now - since) < limits.min_rate:
                raise Stalled(
                    f"{got} bytes in {now - since:.1f} s, below "
                    f"{limits.min_rate:g} bytes/s for {limits.rate_window:g} s"
                )
            since, got = now, 0


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

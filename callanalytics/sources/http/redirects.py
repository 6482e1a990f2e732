"""Sending a request and following its redirects only to the same scheme, host and port:
credentials and request bodies (a token request's JWT) never go to another host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import requests

from callanalytics.sources.http.decoding import ACCEPT_ENCODING
from callanalytics.sources.http.errors import ResponseError
from callanalytics.sources.http.urls import public_url, same_origin

__all__ = ["MAX_REDIRECTS", "REDIRECT_STATUSES", "send_same_origin"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


def send_same_origin(
    session: requests.Session,
    service: str,
    method: str,
    url: str,
    timeout: tuple[float, float],
    kwargs: dict[str, Any],
) -> requests.Response:
    """The streamed response to ``method url``, after at most ``MAX_REDIRECTS`` same-origin
    redirects; a redirect to another host raises ``ResponseError`` naming both hosts.

    A 303, or a 301/302 answering a ``POST``, turns the request into a ``GET`` without its
    body, as browsers and ``requests`` do.
    """
    home = url
    kwargs = {
        **kwargs,
        "headers": {"Accept-Encoding": ACCEPT_ENCODING, **(kwargs.get("headers") or {})},
    }
    for _ in range(MAX_REDIRECTS + 1):
        response = session.request(
            method, url, timeout=timeout, stream=True, allow_redirects=False, **kwargs
        )
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            return response
        response.close()
        target = urljoin(url, location)
        if not same_origin(target, home):
            raise ResponseError(
                f"{service} redirected {public_url(url)} to another host "
                f"({public_url(target)}); not followed, so credentials and request bodies "
                "stay with the configured server",
                service=service,
                url=public_url(url),
                status=response.status_code,
            )
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method = "GET"
            kwargs = {k: v for k, v in kwargs.items() if k not in ("data", "json", "files")}
        url = target
    raise ResponseError(
        f"{service} redirected {public_url(home)} more than {MAX_REDIRECTS} times",
        service=service,
        url=public_url(home),
    )

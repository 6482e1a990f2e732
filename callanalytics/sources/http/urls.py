"""Where credentials may go: the URL as the package prints it, the same-origin test for
redirects and next links, and the https-only rule for base URLs."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from callanalytics.errors import InsecureUrlError

__all__ = ["public_url", "same_origin", "secure_base_url"]


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

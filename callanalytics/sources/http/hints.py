"""What the user should check when a call fails: hints keyed by HTTP status or by the
exception type behind a failed connection."""

from __future__ import annotations

from collections.abc import Mapping

import urllib3.exceptions

__all__ = ["CANNOT_CONNECT", "Hints", "cannot_connect", "exception_hint"]

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


def exception_hint(error: BaseException, hints: Hints) -> str:
    """The hint for the first exception type in ``hints`` that ``error`` is, or wraps
    (requests keeps urllib3's error in ``args[0]``, and the cause in its ``reason``).

    Example:
        >>> exception_hint(OSError(KeyError("x")), {KeyError: "check the key"})
        'check the key'
    """
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

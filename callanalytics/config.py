"""Settings from arguments, environment variables and a ``.env`` file, in that order.

Secrets are held in ``Secret`` objects whose ``repr`` and ``str`` never show the value, so
they cannot leak into logs, notebooks or exception text by accident.

Example:
    >>> Secret("s3cr3t")
    Secret('********')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Secret", "cache_dir", "setting"]


@dataclass(frozen=True)
class Secret:
    """A credential. Call ``reveal()`` only where the value goes on the wire."""

    _value: str

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@lru_cache(maxsize=8)
def _dotenv(directory: str) -> dict[str, str]:
    from dotenv import dotenv_values, find_dotenv

    path = find_dotenv(filename=".env", usecwd=True)
    if not path:
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def setting(name: str, argument: str | None = None, default: str | None = None) -> str | None:
    """``argument`` if given, else the environment variable ``name``, else ``.env``, else
    ``default``.

    Example:
        >>> setting("CALLANALYTICS_EXAMPLE_UNSET", default="fallback")
        'fallback'
    """
    if argument is not None and argument != "":
        return argument
    value = os.environ.get(name)
    if value:
        return value
    value = _dotenv(os.getcwd()).get(name)
    return value if value else default


def secret(name: str, argument: str | Secret | None = None) -> Secret | None:
    """A credential from the same three places, wrapped so it cannot be printed.

    Example:
        >>> secret("CALLANALYTICS_EXAMPLE_UNSET") is None
        True
    """
    if isinstance(argument, Secret):
        return argument
    value = setting(name, argument)
    return Secret(value) if value else None


def cache_dir(argument: str | os.PathLike[str] | None = None) -> Path:
    """Where fetched reports are cached: argument, ``CALLANALYTICS_CACHE_DIR``, ``.env``, or
    the platform's user cache directory.

    Example:
        >>> cache_dir("/tmp/ca-cache")
        PosixPath('/tmp/ca-cache')
    """
    chosen = setting("CALLANALYTICS_CACHE_DIR", str(argument) if argument else None)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("callanalytics"))

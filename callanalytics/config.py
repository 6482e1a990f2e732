"""Settings from arguments, environment variables and a ``.env`` file, in that order.

The ``.env`` file is the one in the working directory, or the file named by
``CALLANALYTICS_ENV_FILE``; never one found further up the tree, which could point the
credentials at another server. Which file was read is logged at INFO.

Secrets are held in ``Secret`` objects whose ``repr`` and ``str`` never show the value, so
they cannot leak into logs, notebooks or exception text by accident.

Example:
    >>> Secret("s3cr3t")
    Secret('********')
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["ENV_FILE_VARIABLE", "Secret", "cache_dir", "setting"]

log = logging.getLogger("callanalytics.config")

#: Names a settings file to read instead of ``./.env``.
ENV_FILE_VARIABLE = "CALLANALYTICS_ENV_FILE"


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


def _dotenv_path(directory: str) -> Path | None:
    """The settings file to read: ``$CALLANALYTICS_ENV_FILE`` (which must exist), else
    ``<directory>/.env`` if there is one. Parent directories are never searched."""
    explicit = os.environ.get(ENV_FILE_VARIABLE)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{ENV_FILE_VARIABLE} names {path}, which is not a file")
        return path
    path = Path(directory) / ".env"
    return path if path.is_file() else None


@lru_cache(maxsize=8)
def _read_dotenv(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    log.info("read settings from %s", path)
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _dotenv(directory: str) -> dict[str, str]:
    path = _dotenv_path(directory)
    return _read_dotenv(path) if path else {}


def setting(name: str, argument: str | None = None, default: str | None = None) -> str | None:
    """``argument`` if given, else the environment variable ``name``, else ``./.env`` (or
    ``$CALLANALYTICS_ENV_FILE``), else ``default``.

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

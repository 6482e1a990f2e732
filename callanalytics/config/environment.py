"""Where a setting's value comes from: the argument, else the environment, else the ``.env``
file (the working directory's, or the one ``CALLANALYTICS_ENV_FILE`` names; never one
further up the tree, which could point the credentials at another server). Which file was
read is logged at INFO. Credentials are held in ``Secret`` objects that never print.

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

__all__ = ["ENV_FILE_VARIABLE", "Secret", "secret", "setting"]

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

"""Settings from arguments, environment variables and a ``.env`` file, in that order.

Every setting is declared once, in a table per source (``ENGAGE_VOICE_SETTINGS``,
``DIALOGTECH_SETTINGS``) or in ``PACKAGE_SETTINGS``: its argument name, environment
variable, default, whether it is a secret, and what it means. The clients resolve their
arguments through the table, their error hints name the variables from it, and the README's
settings table is ``settings_markdown()`` (a test holds the two equal).

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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DIALOGTECH_SETTINGS",
    "ENGAGE_VOICE_SETTINGS",
    "ENV_FILE_VARIABLE",
    "PACKAGE_SETTINGS",
    "Secret",
    "Setting",
    "SettingsTable",
    "cache_dir",
    "secret",
    "setting",
    "settings_markdown",
]

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


@dataclass(frozen=True)
class Setting:
    """One setting: the argument ``name`` it is passed as, the environment ``variable`` (also
    read from ``.env``), the ``default`` when neither is given, whether it is a ``secret``
    (held in a ``Secret``), and a ``description`` for the README.

    Example:
        >>> Setting("token", "EXAMPLE_UNSET_TOKEN", secret=True).resolve("t0k3n")
        Secret('********')
    """

    name: str
    variable: str
    default: str | None = None
    secret: bool = False
    description: str = ""

    def resolve(self, argument: str | Secret | None = None) -> str | Secret | None:
        """``argument``, else the environment variable, else ``.env``, else the default."""
        if self.secret:
            return secret(self.variable, argument)
        if isinstance(argument, Secret):
            raise TypeError(f"{self.name} ({self.variable}) is not a secret; pass a str")
        return setting(self.variable, argument, self.default)


@dataclass(frozen=True)
class SettingsTable:
    """The settings of one source (or of the package), in the order the README lists them.
    ``owner`` is what takes them as keyword arguments, e.g. ``EngageVoiceClient``.

    Example:
        >>> DIALOGTECH_SETTINGS.variable("base_url")
        'DIALOGTECH_BASE_URL'
        >>> DIALOGTECH_SETTINGS.variables("access_key", "secret_key", "api_key")
        'DIALOGTECH_ACCESS_KEY, DIALOGTECH_SECRET_KEY and DIALOGTECH_API_KEY'
        >>> DIALOGTECH_SETTINGS.variables("access_key", "secret_key", sep="/")
        'DIALOGTECH_ACCESS_KEY/DIALOGTECH_SECRET_KEY'
    """

    source: str
    owner: str
    settings: tuple[Setting, ...]

    def __post_init__(self) -> None:
        names = [item.name for item in self.settings]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.source}: a setting is declared twice in {names}")

    def __iter__(self) -> Iterator[Setting]:
        return iter(self.settings)

    def __getitem__(self, name: str) -> Setting:
        for item in self.settings:
            if item.name == name:
                return item
        raise KeyError(f"{self.source} has no setting {name!r}")

    def variable(self, name: str) -> str:
        """The environment variable of the setting ``name``."""
        return self[name].variable

    def variables(self, *names: str, sep: str | None = None) -> str:
        """The variables of ``names`` for a message: ``A, B and C``, or joined by ``sep``."""
        found = [self.variable(name) for name in names]
        if sep is not None or len(found) < 2:
            return (sep or "").join(found)
        return f"{', '.join(found[:-1])} and {found[-1]}"

    def apply(self, target: object) -> None:
        """Resolve every setting of the table on ``target``'s attribute of the same name:
        the attribute (the argument), else the environment, else ``.env``, else the default.
        """
        for item in self.settings:
            setattr(target, item.name, item.resolve(getattr(target, item.name)))


ENGAGE_VOICE_SETTINGS = SettingsTable(
    "Engage Voice",
    "EngageVoiceClient",
    (
        Setting(
            "base_url",
            "ENGAGE_VOICE_BASE_URL",
            "https://engage.ringcentral.com/voice/api",
            description="Engage Voice API base URL",
        ),
        Setting(
            "account_id",
            "ENGAGE_VOICE_ACCOUNT_ID",
            description="Engage account id (taken from the login answer if unset)",
        ),
        Setting(
            "token",
            "ENGAGE_VOICE_TOKEN",
            secret=True,
            description="a ready Engage bearer token, or instead the three RingCentral "
            "JWT credentials below",
        ),
        Setting(
            "rc_server_url",
            "RINGCENTRAL_SERVER_URL",
            "https://platform.ringcentral.com",
            description="RingCentral platform URL for the JWT login",
        ),
        Setting("rc_client_id", "RINGCENTRAL_CLIENT_ID", description="RingCentral app client id"),
        Setting(
            "rc_client_secret",
            "RINGCENTRAL_CLIENT_SECRET",
            secret=True,
            description="RingCentral app client secret",
        ),
        Setting(
            "rc_jwt",
            "RINGCENTRAL_JWT",
            secret=True,
            description="RingCentral JWT; with the client id and secret, exchanged for an "
            "Engage token (refreshed once on a 401)",
        ),
    ),
)

DIALOGTECH_SETTINGS = SettingsTable(
    "DialogTech",
    "LeadFlowClient",
    (
        Setting(
            "base_url",
            "DIALOGTECH_BASE_URL",
            "https://dialogtechapis.com",
            description="DialogTech API base URL",
        ),
        Setting(
            "access_key",
            "DIALOGTECH_ACCESS_KEY",
            secret=True,
            description="access key, sent as `Authorization: access:secret`",
        ),
        Setting(
            "secret_key",
            "DIALOGTECH_SECRET_KEY",
            secret=True,
            description="secret key, sent as `Authorization: access:secret`",
        ),
        Setting(
            "api_key",
            "DIALOGTECH_API_KEY",
            secret=True,
            description="sent as `x-api-key` (rate limiting)",
        ),
    ),
)

PACKAGE_SETTINGS = SettingsTable(
    "callanalytics",
    "fetch_*",
    (
        Setting(
            "cache_dir",
            "CALLANALYTICS_CACHE_DIR",
            description="where fetched days are cached; unset: the platform's user cache directory",
        ),
    ),
)

#: Every table, in the order of the README.
SETTINGS_TABLES = (ENGAGE_VOICE_SETTINGS, DIALOGTECH_SETTINGS, PACKAGE_SETTINGS)


def settings_markdown() -> str:
    """The README's settings table, from the declarations (plus ``CALLANALYTICS_ENV_FILE``,
    which only the environment can set).

    Example:
        >>> print(settings_markdown().splitlines()[2])
        | `ENGAGE_VOICE_BASE_URL` | `EngageVoiceClient(base_url=)` |  | `https://engage.ringcentral.com/voice/api` | Engage Voice API base URL |
    """  # noqa: E501
    rows = [("variable", "argument", "secret", "default", "meaning"), ("---",) * 5]
    for table in SETTINGS_TABLES:
        rows += [
            (
                f"`{item.variable}`",
                f"`{table.owner}({item.name}=)`",
                "yes" if item.secret else "",
                f"`{item.default}`" if item.default else "",
                item.description,
            )
            for item in table
        ]
    rows.append(
        (
            f"`{ENV_FILE_VARIABLE}`",
            "",
            "",
            "`./.env`",
            "a settings file to read instead of the working directory's `.env` (it must "
            "exist); the environment only",
        )
    )
    return "".join(f"| {' | '.join(row)} |\n" for row in rows)


def cache_dir(argument: str | os.PathLike[str] | None = None) -> Path:
    """Where fetched reports are cached: argument, ``CALLANALYTICS_CACHE_DIR``, ``.env``, or
    the platform's user cache directory.

    Example:
        >>> cache_dir("/tmp/ca-cache")
        PosixPath('/tmp/ca-cache')
    """
    chosen = PACKAGE_SETTINGS["cache_dir"].resolve(str(argument) if argument else None)
    if chosen:
        return Path(str(chosen)).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("callanalytics"))

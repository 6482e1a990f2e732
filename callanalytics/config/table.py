"""A settings table: each setting declared once (argument name, environment variable,
default, whether it is a secret, what it means), so that a client resolves its arguments,
names its variables in error hints and is listed in the README from one declaration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from callanalytics.config.environment import Secret, secret, setting

__all__ = ["Setting", "SettingsTable"]


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
        >>> from callanalytics.config import DIALOGTECH_SETTINGS
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

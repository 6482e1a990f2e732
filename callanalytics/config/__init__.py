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

One module per job: ``environment`` (argument, environment, ``.env``; ``Secret``),
``table`` (``Setting``, ``SettingsTable``), ``settings`` (the declared tables and
``cache_dir``), ``readme`` (``settings_markdown``).

Example:
    >>> Secret("s3cr3t")
    Secret('********')
"""

from callanalytics.config.environment import ENV_FILE_VARIABLE, Secret, secret, setting
from callanalytics.config.readme import settings_markdown
from callanalytics.config.settings import (
    DIALOGTECH_SETTINGS,
    ENGAGE_VOICE_SETTINGS,
    PACKAGE_SETTINGS,
    SETTINGS_TABLES,
    cache_dir,
)
from callanalytics.config.table import Setting, SettingsTable

__all__ = [
    "DIALOGTECH_SETTINGS",
    "ENGAGE_VOICE_SETTINGS",
    "ENV_FILE_VARIABLE",
    "PACKAGE_SETTINGS",
    "SETTINGS_TABLES",
    "Secret",
    "Setting",
    "SettingsTable",
    "cache_dir",
    "secret",
    "setting",
    "settings_markdown",
]

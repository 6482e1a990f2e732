"""Every setting the package reads, declared once: one table per source
(``ENGAGE_VOICE_SETTINGS``, ``DIALOGTECH_SETTINGS``) and ``PACKAGE_SETTINGS`` (the cache
folder, read by ``cache_dir``)."""

from __future__ import annotations

import os
from pathlib import Path

from callanalytics.config.table import Setting, SettingsTable

__all__ = [
    "DIALOGTECH_SETTINGS",
    "ENGAGE_VOICE_SETTINGS",
    "PACKAGE_SETTINGS",
    "SETTINGS_TABLES",
    "cache_dir",
]

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

"""The README's settings table, rendered from the declarations (a test holds the README
equal to it)."""

from __future__ import annotations

from callanalytics.config.environment import ENV_FILE_VARIABLE
from callanalytics.config.settings import SETTINGS_TABLES

__all__ = ["settings_markdown"]


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

"""RingCentral Engage Voice: the Dialer Result Download through ``reportsStreaming``.

Long ranges become one request per local day: the endpoint is slow and rate-limited, and a
day is also the unit of the cache. ``client`` holds the settings, the login and the request;
``criteria`` what a request may ask for and its body; ``fetch`` the range through the day
cache.
"""

from callanalytics.sources.engage_voice.client import (
    DEFAULT_LIMITS,
    ENGAGE_LOGIN_HINTS,
    HINTS,
    LOGIN_HINTS,
    RC_LOGIN,
    RC_LOGIN_HINTS,
    SERVICE,
    SETTINGS,
    EngageVoiceClient,
)
from callanalytics.sources.engage_voice.criteria import (
    LEAD_TYPES,
    engage_time,
    report_body,
    validate_criteria,
)
from callanalytics.sources.engage_voice.fetch import fetch_dialer_results

__all__ = [
    "DEFAULT_LIMITS",
    "ENGAGE_LOGIN_HINTS",
    "HINTS",
    "LEAD_TYPES",
    "LOGIN_HINTS",
    "RC_LOGIN",
    "RC_LOGIN_HINTS",
    "SERVICE",
    "SETTINGS",
    "EngageVoiceClient",
    "engage_time",
    "fetch_dialer_results",
    "report_body",
    "validate_criteria",
]

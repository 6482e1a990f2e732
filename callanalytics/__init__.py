"""callanalytics: typed Polars frames and scheduled reports for call-center analytics.

Example:
    >>> import callanalytics as ca
    >>> calls = ca.sample_dialer_results(n=100)
    >>> calls.schema["call_start"]
    Datetime(time_unit='us', time_zone='America/New_York')
    >>> ca.metrics.speed_to_lead_summary(calls).height
    1
"""

from callanalytics import engines, metrics, quality
from callanalytics.cache import clear_cache
from callanalytics.errors import (
    BlankRowsWarning,
    CallAnalyticsError,
    CallAnalyticsWarning,
    CoercedToNullWarning,
    DuplicateRowsWarning,
    InsecureUrlError,
    NonexistentLocalTimeWarning,
    OutOfWindowRowsWarning,
    SchemaError,
    UnknownColumnsWarning,
    UnreadableFileError,
)
from callanalytics.export import for_charts, write_frame
from callanalytics.load import (
    FilterError,
    UnmatchedFilterWarning,
    load_dialer_results,
    load_leadflow_history,
    load_window,
    window_label,
)
from callanalytics.readers import (
    ScanReport,
    read_dialer_results,
    read_leadflow_history,
    scan_dialer_results,
    scan_leadflow_history,
)
from callanalytics.sample import sample_dialer_results, sample_leadflow_history, write_sample_files
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY
from callanalytics.sources.engage_voice import EngageVoiceClient, fetch_dialer_results
from callanalytics.sources.http import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    ResponseError,
    RetryPolicy,
    ServerError,
    TransferLimits,
)
from callanalytics.sources.leadflow import LeadFlowClient, fetch_leadflow_history

__version__ = "0.1.0"

__all__ = [
    "DIALER_RESULTS",
    "LEADFLOW_HISTORY",
    "ApiError",
    "AuthenticationError",
    "BlankRowsWarning",
    "CallAnalyticsError",
    "CallAnalyticsWarning",
    "CoercedToNullWarning",
    "DuplicateRowsWarning",
    "EngageVoiceClient",
    "FilterError",
    "InsecureUrlError",
    "LeadFlowClient",
    "NonexistentLocalTimeWarning",
    "NotFoundError",
    "OutOfWindowRowsWarning",
    "RateLimitedError",
    "RequestRejectedError",
    "ResponseError",
    "RetryPolicy",
    "ScanReport",
    "SchemaError",
    "ServerError",
    "TransferLimits",
    "UnknownColumnsWarning",
    "UnmatchedFilterWarning",
    "UnreadableFileError",
    "__version__",
    "clear_cache",
    "engines",
    "fetch_dialer_results",
    "fetch_leadflow_history",
    "for_charts",
    "load_dialer_results",
    "load_leadflow_history",
    "load_window",
    "metrics",
    "quality",
    "read_dialer_results",
    "read_leadflow_history",
    "sample_dialer_results",
    "sample_leadflow_history",
    "scan_dialer_results",
    "scan_leadflow_history",
    "window_label",
    "write_frame",
    "write_sample_files",
]

"""The public names are exactly those listed in __all__, and each has a docstring example."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import callanalytics as ca

EXPECTED = {
    "DIALER_RESULTS",
    "LEADFLOW_HISTORY",
    "ApiError",
    "AuthenticationError",
    "CallAnalyticsError",
    "CallAnalyticsWarning",
    "CoercedToNullWarning",
    "EngageVoiceClient",
    "LeadFlowClient",
    "NonexistentLocalTimeWarning",
    "NotFoundError",
    "RateLimitedError",
    "RequestRejectedError",
    "ResponseError",
    "SchemaError",
    "ServerError",
    "UnknownColumnsWarning",
    "UnreadableFileError",
    "__version__",
    "clear_cache",
    "fetch_dialer_results",
    "for_charts",
    "fetch_leadflow_history",
    "load_dialer_results",
    "load_leadflow_history",
    "read_dialer_results",
    "read_leadflow_history",
    "sample_dialer_results",
    "sample_leadflow_history",
    "scan_dialer_results",
    "scan_leadflow_history",
    "metrics",
    "write_frame",
    "write_sample_files",
    "DuplicateRowsWarning",
    "InsecureUrlError",
    "FilterError",
    "UnmatchedFilterWarning",
    "load_window",
    "window_label",
    "RetryPolicy",
    "TransferLimits",
    "quality",
    "engines",
    "BlankRowsWarning",
    "OutOfWindowRowsWarning",
    "ScanReport",
}


def test_all_lists_the_public_api():
    assert set(ca.__all__) == EXPECTED
    for name in ca.__all__:
        assert hasattr(ca, name), name
    public = {n for n in dir(ca) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(ca, n)).__name__ == "module"}
    assert public - modules <= set(ca.__all__)


def test_public_functions_document_an_example():
    for name in ca.__all__:
        obj = getattr(ca, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and "Example:" in obj.__doc__, name


def test_metrics_functions_document_an_example():
    for name in ca.metrics.__all__:
        obj = getattr(ca.metrics, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and "Example:" in obj.__doc__, name


def test_docstring_examples_run():
    modules = [ca] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(ca.__path__, prefix="callanalytics.")
        if info.name != "callanalytics.__main__"
    ]
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    attempted = 0
    for module in modules:
        result = doctest.testmod(module, optionflags=flags)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted > 40

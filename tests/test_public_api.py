"""The public names are exactly those listed in __all__, and each has a docstring example."""

from __future__ import annotations

import doctest

import callanalytics as ca

EXPECTED = {
    "DIALER_RESULTS",
    "LEADFLOW_HISTORY",
    "CallAnalyticsError",
    "CallAnalyticsWarning",
    "CoercedToNullWarning",
    "NonexistentLocalTimeWarning",
    "SchemaError",
    "UnknownColumnsWarning",
    "__version__",
    "read_dialer_results",
    "read_leadflow_history",
    "sample_dialer_results",
    "sample_leadflow_history",
    "scan_dialer_results",
    "write_sample_files",
}


def test_all_lists_the_public_api():
    assert set(ca.__all__) >= EXPECTED
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


def test_docstring_examples_run():
    import callanalytics.readers
    import callanalytics.sample
    import callanalytics.schema.kinds
    import callanalytics.schema.table
    import callanalytics.timezones

    for module in (
        callanalytics.readers,
        callanalytics.sample,
        callanalytics.schema.kinds,
        callanalytics.schema.table,
        callanalytics.timezones,
        ca,
    ):
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
        assert result.failed == 0, module.__name__

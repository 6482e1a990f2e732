"""Errors and warnings that name the report, file, column, rows and values involved."""

from __future__ import annotations

from collections.abc import Sequence


class CallAnalyticsError(Exception):
    """Base class of every error this package raises on purpose."""


class SchemaError(CallAnalyticsError, ValueError):
    """Data that does not match the report's documented schema.

    Attributes name what went wrong so callers can act on it programmatically. (They are
    empty when polars re-raises the error from inside a lazy query; the message is kept.)
    """

    def __init__(
        self,
        message: str,
        *,
        report: str = "",
        source: str = "",
        column: str | None = None,
        rows: Sequence[int] = (),
        values: Sequence[object] = (),
        missing: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.report = report
        self.source = source
        self.column = column
        self.rows = list(rows)
        self.values = list(values)
        self.missing = list(missing)


class UnreadableFileError(SchemaError):
    """The input is not report data at all: empty, binary, HTML, not JSON, truncated, or not
    parseable as CSV. (Missing columns and bad values are plain ``SchemaError``.)"""


class CallAnalyticsWarning(UserWarning):
    """Base class of this package's warnings."""


class CoercedToNullWarning(CallAnalyticsWarning):
    """Values that did not fit their column were read as null (``strict=False``)."""


class UnknownColumnsWarning(CallAnalyticsWarning):
    """The file has columns the schema does not document; they are kept as strings."""


class NonexistentLocalTimeWarning(CallAnalyticsWarning):
    """Local times inside a daylight-saving gap were read as null."""


class DuplicateRowsWarning(CallAnalyticsWarning):
    """Rows that repeat a key already seen in the same query (for example a LeadFlow ``sid``
    on two overlapping pages) were dropped; the warning gives the count."""


class InsecureUrlError(CallAnalyticsError, ValueError):
    """A configured URL that would send credentials in the clear (plain ``http://`` to a
    host other than this machine) or is not a web URL at all."""


class BlankRowsWarning(CallAnalyticsWarning):
    """Rows with every field empty (blank lines, ``"",""…`` lines, null JSON records) are
    not records: they were dropped, and this warning counts them."""


class OutOfWindowRowsWarning(CallAnalyticsWarning):
    """A server answered rows strictly outside the requested window (before its start or
    after its end); they were dropped, and this warning counts them. When a response had
    nothing else, the server ignored the range: the window's days were not cached."""

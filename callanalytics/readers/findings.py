"""What a read found (values read as null, DST-gap and repeated-hour times, blank rows),
how it is counted (``ScanReport``) and how it is told (one warning per kind and column,
errors naming rows and values)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from callanalytics.errors import BlankRowsWarning, CoercedToNullWarning, NonexistentLocalTimeWarning
from callanalytics.schema import Column, Schema

#: How many bad rows an error shows per column.

SHOWN = 5


@dataclass
class ScanReport:
    """What a reader counted: values read as null per column (``coerced``), local times in
    the spring-forward gap per column (``gaps``, read as null), local times in the repeated
    fall-back hour per column (``repeated``, read as the earlier instant) and dropped blank
    rows. Eager reads (``read_dialer_results``, ``read_leadflow_history``) fill it before
    they return; a lazy scan adds to it each time its query runs, so read it after
    ``collect``/``sink_*``. Pass it to ``ca.quality`` checks as ``read_report=``.

    Example:
        >>> import callanalytics as ca, tempfile, pathlib
        >>> from callanalytics.readers import ScanReport
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
        >>> _ = path.write_bytes(ca.sample_dialer_results(n=20, raw=True))
        >>> report = ScanReport()
        >>> ca.scan_dialer_results(path, strict=False, report=report).collect().height
        20
        >>> report.coerced
        {}
    """

    coerced: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, int] = field(default_factory=dict)
    blank_rows: int = 0

    def add(self, kind: str, column: str, count: int) -> None:
        """Add ``count`` to ``kind`` (``coerced``, ``gaps`` or ``repeated``) of ``column``."""
        counts = getattr(self, kind)
        counts[column] = counts.get(column, 0) + int(count)


@dataclass
class Found:
    """What one eager read counted, per column: added to the caller's ``ScanReport`` only
    once the read succeeded."""

    blank_rows: int = 0
    coerced: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, int] = field(default_factory=dict)

    def add_to(self, report: ScanReport) -> None:
        report.blank_rows += int(self.blank_rows)
        for kind in ("coerced", "gaps", "repeated"):
            for column, count in getattr(self, kind).items():
                if count:
                    report.add(kind, column, count)


def warn_blank(schema: Schema, name: str, count: int, where: str = "") -> None:
    warnings.warn(
        f"{schema.title}: {name} had {count} blank row(s) (every field empty){where}; they "
        "are not records and were dropped",
        BlankRowsWarning,
        stacklevel=4,
    )


def warn_coerced(schema: Schema, name: str, column: Column, count: int, where: str = "") -> None:
    warnings.warn(
        f"{schema.title}: {name}: column '{column.name}' had {count} value(s) that are not "
        f"{column.kind.describe()}{where}; they were read as null",
        CoercedToNullWarning,
        stacklevel=4,
    )


def warn_gap(
    schema: Schema, name: str, column: Column, count: int, zone: str, where: str = ""
) -> None:
    warnings.warn(
        f"{schema.title}: {name}: column '{column.name}' had {count} local time(s) that do "
        f"not exist in {zone} (daylight-saving gap){where}; they were read as null",
        NonexistentLocalTimeWarning,
        stacklevel=4,
    )


def shown_values(column: Column, values: Sequence[Any]) -> list[Any]:
    """Offending values as errors may show them: a personal-data column (``Column.pii``)
    shows a phone-like value as its last four digits and hides any other value; in any
    column, a value that looks like a phone number, an email address or a person's name (a
    shifted column puts them anywhere) is masked the same way."""
    if column.pii:
        return [None if v is None else _masked(str(v)) for v in values]
    return [v if v is None else _masked_if_personal(str(v)) for v in values]


_PHONE = re.compile(r"^\+?[\d\s().\-]+$")
_EMAIL = re.compile(r"@\w")
_NAME = re.compile(r"^[^\W\d_][^\W\d_'\u2019.-]*(?:[ '\u2019.-]+[^\W\d_][^\W\d_'\u2019.-]*)+$")


def _masked(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"…{digits[-4:]}" if len(digits) >= 7 else "<personal data>"


def _masked_if_personal(value: str) -> str:
    """``value`` unless it looks like a phone number (7 to 15 digits written with only
    phone punctuation), an email address or a name (two or more capitalised words).

    Example:
        >>> [_masked_if_personal(v) for v in ["(212) 555-0100", "a@b.com", "Jane Doe", "1e20"]]
        ['…0100', '<email>', '<name>', '1e20']
    """
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if _PHONE.match(text) and 7 <= len(digits) <= 15 and not text.isdigit():
        return f"…{digits[-4:]}"
    if text.isdigit() and len(digits) in (10, 11):  # a bare US number, 10 or 11 digits
        return f"…{digits[-4:]}"
    if _EMAIL.search(text):
        return "<email>"
    words = text.split()
    if len(words) >= 2 and all(w[:1].isupper() for w in words) and _NAME.match(text):
        return "<name>"
    return value


def bad_message(
    schema: Schema,
    name: str,
    column: Column,
    count: int,
    rows: Sequence[int],
    values: Sequence[Any],
) -> str:
    """The error line for one column; ``values`` as ``shown_values`` gives them."""
    shown = "; ".join(f"row {r}: {v!r}" for r, v in zip(rows, values, strict=True))
    return (
        f"{schema.title}: {name}: column '{column.name}' has {count} value(s) that are not "
        f"{column.kind.describe()}: {shown}."
    )

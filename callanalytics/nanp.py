"""North American (+1) phone numbers as E.164 on any engine: narwhals string expressions.

:func:`callanalytics.phones.to_e164` reads one value with the ``phonenumbers`` library,
which runs in Python, one value at a time: it cannot run inside DuckDB or Spark, lazily.
The lead funnel matches callers across engines, so it reads numbers with :func:`nanp_e164`,
the same parse written as string expressions every engine runs, for the numbers a North
American call centre sees:

- a value that hides digits (``*``, ``•``, ``#``, two ``x`` in a row) is null, as in
  :mod:`~callanalytics.phones`;
- an extension (``"617-555-0100 ext. 12"``, ``"x12"``) is ignored, and so is any text
  before the first digit or ``+`` (``"Tel: 617 555 0100"``) and punctuation at the end;
- digits with only spaces and ``( ) . - /`` between them, an optional leading ``+``: the
  ten digits after the country code and trunk prefix (``1``, written or not) are the
  national number; anything else (letters, another country code) is null;
- the national number must be *valid*: it must match a number type of one of the NANP
  regions in ``phonenumbers``' own metadata (:data:`VALID_NATIONAL`, read from the library
  at import, so both parses use the same table of area codes and exchanges).

On those values it agrees with :func:`~callanalytics.phones.to_e164` in region ``US``
(``tests/test_nanp.py`` holds the two equal, value by value). It gives null where
``phonenumbers`` would find a number it does not read: another country's number
(``"+44 20 7946 0958"``), letters for digits (``"1-800-FLOWERS"``) and digits in other
scripts; a funnel counts those as ``invalid_number``.
"""

from __future__ import annotations

import narwhals as nw
import phonenumbers
from phonenumbers import PhoneMetadata

__all__ = ["NANP_REGIONS", "VALID_NATIONAL", "mask_phone_nw", "nanp_e164"]

#: The regions that share country code 1 (the United States first).
NANP_REGIONS: tuple[str, ...] = tuple(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])

_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


def _valid_national() -> str:
    """Every ten-digit national number type of every NANP region, as one anchored pattern."""
    patterns: list[str] = []
    for region in NANP_REGIONS:
        metadata = PhoneMetadata.metadata_for_region(region)
        for kind in _TYPES:
            desc = getattr(metadata, kind, None)
            if desc is None or desc.national_number_pattern is None:
                continue
            if desc.possible_length and 10 not in desc.possible_length:
                continue
            if desc.national_number_pattern not in patterns:
                patterns.append(desc.national_number_pattern)
    # Java and RE2 read \d as ASCII digits; polars reads it as any Unicode digit: spell it.
    body = "|".join(f"(?:{p})" for p in patterns).replace(r"\d", "[0-9]")
    return f"^(?:{body})$"


#: A valid ten-digit national number of a NANP region (``phonenumbers``' metadata).
VALID_NATIONAL = _valid_national()

_MASKED = r"[*•#]|[xX]{2}"
# An extension at the end: "ext. 12", "extension 12", "x12", ";ext=12" (phonenumbers drops it).
_EXTENSION = (
    r"(?:;[eE][xX][tT]=|[ \t,]*(?:[eE][xX][tT](?:[eE][nN][sS][iI][oO][nN])?\.?|[xX]\.?))"
    r"[ \t]*[0-9]{1,10}[^0-9A-Za-z]*$"
)
# As phonenumbers extracts a number: from the first digit or plus; trailing punctuation off.
_AROUND = r"^[^+0-9]+|[^0-9A-Za-z]+$"
_PLAIN = r"^\+?[0-9 \t\r\n().\-/]*$"


def nanp_e164(column: str) -> nw.Expr:
    """``column`` (String) as E.164 (``"+16175550100"``), null where missing, masked, not a
    North American number or not valid: the same rule on polars, DuckDB and Spark.

    Example:
        >>> import polars as pl
        >>> frame = nw.from_native(pl.DataFrame({"p": ["(617) 555-0100", "16175550100", "555"]}))
        >>> frame.select(nanp_e164("p")).to_native()["p"].to_list()
        ['+16175550100', '+16175550100', None]
    """
    text = nw.col(column)
    body = text.str.replace_all(_EXTENSION, "").str.replace_all(_AROUND, "")
    digits = body.str.replace_all(r"[^0-9]", "")
    # The country code and the trunk prefix, both 1, may each be written (phonenumbers reads
    # up to three leading 1s without a plus, and one or two after it).
    national = (
        nw.when(body.str.starts_with("+"))
        .then(nw.when(digits.str.starts_with("1")).then(digits.str.replace_all("^1{1,2}", "")))
        .otherwise(digits.str.replace_all("^1{1,3}", ""))
    )
    usable = (
        ~text.str.contains(_MASKED)
        & body.str.contains(_PLAIN)
        & national.str.contains(VALID_NATIONAL)
    )
    return (
        nw.when(usable.fill_null(False)).then(nw.concat_str(nw.lit("+1"), national)).alias(column)
    )


def mask_phone_nw(column: str) -> nw.Expr:
    """:func:`callanalytics.phones.mask_phone` on any engine: ``"•••0100"`` (null stays null).

    Example:
        >>> import polars as pl
        >>> frame = nw.from_native(pl.DataFrame({"p": ["(617) 555-0100"]}))
        >>> frame.select(mask_phone_nw("p")).to_native()["p"].to_list()
        ['•••0100']
    """
    digits = nw.col(column).str.replace_all(r"[^0-9]", "")
    return nw.concat_str(nw.lit("•••"), digits.str.slice(-4)).alias(column)

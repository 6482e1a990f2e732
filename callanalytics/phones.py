"""Phone numbers as E.164, so the same caller matches across both sources.

LeadFlow sends ``caller_id`` as bare digits; dialer lists carry whatever the list owner
uploaded: ``"(617) 555-0100"``, ``"617-555-0100"``, ``"+1 617 555 0100"``, ``"16175550100"``.
:func:`to_e164` reads one value with the ``phonenumbers`` library (the one parse: a number
must be *valid* for its country, not just the right length), and everything else here maps
that parse over a column, parsing each distinct value once.

A value becomes null (never a guess) when it is

- ``missing``: null or blank;
- ``masked``: it hides digits (``*``, ``•``, ``#`` or two ``x`` in a row, as in
  ``"XXX-XXX-0100"`` or ``"•••0100"``), or is a withheld caller ID with no digits at all
  (``"Anonymous"``, ``"Restricted"``);
- ``invalid``: ``phonenumbers`` cannot parse it or it is not a valid number
  (``"0000000000"``, a 7-digit local number, an unassigned area code).

:func:`phone_status` names which, and :func:`phone_quality` counts them, so nothing is
dropped silently. Numbers without a ``+`` are read in ``region`` (default ``"US"``).
Extensions are ignored: ``"617-555-0100 ext. 12"`` is ``+16175550100``.
"""

from __future__ import annotations

import phonenumbers
import polars as pl

__all__ = [
    "DEFAULT_REGION",
    "PHONE_STATUS",
    "e164",
    "e164_series",
    "mask_phone",
    "phone_quality",
    "phone_status",
    "to_e164",
]

#: Region for numbers written without a country code.
DEFAULT_REGION = "US"
#: What :func:`phone_status` says about a value.
PHONE_STATUS = pl.Enum(["valid", "missing", "masked", "invalid"])

_MASKED = r"[*•#]|[xX]{2}"
# Digits with only spaces and ( ) . - / between them (an optional leading +): for these the
# parse depends on the digits and the plus alone, so they are parsed once per digit string.
_PLAIN = r"^\s*\+?[\d\s().\-/]*$"


def check_region(region: str) -> str:
    """``region`` as the upper-case country code phone numbers use; a clear error otherwise
    (a typo would otherwise make every number invalid without a word).

    Example:
        >>> check_region("ca")
        'CA'
    """
    code = str(region or "").strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"region must be a two-letter country code that phone numbers use, like US or CA, "
            f"not {region!r}"
        )
    return code


def _masked(value: str) -> bool:
    return any(c in value for c in "*•#") or "xx" in value.lower()


def to_e164(value: str | None, region: str = DEFAULT_REGION) -> str | None:
    """One number as E.164 (``"+16175550100"``), or None if missing, masked or invalid.

    Example:
        >>> [to_e164(v) for v in ["(617) 555-0100", "16175550100", "XXX-XXX-0100", "555-0100"]]
        ['+16175550100', '+16175550100', None, None]
    """
    region = check_region(region)
    if value is None:
        return None
    text = value.strip()
    if not text or _masked(text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    # The region check is the fast path; any other country still counts if valid.
    if not (
        phonenumbers.is_valid_number_for_region(number, region)
        or phonenumbers.is_valid_number(number)
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _key(values: pl.Series) -> pl.Series:
    """Plain numbers reduced to ``+``/digits; anything else kept as written (stripped)."""
    text = pl.col("t")
    plus = pl.when(text.str.starts_with("+")).then(pl.lit("+")).otherwise(pl.lit(""))
    return (
        values.cast(pl.String)
        .str.strip_chars()
        .to_frame("t")
        .select(
            pl.when(text.str.contains(_PLAIN))
            .then(pl.concat_str(plus, text.str.replace_all(r"\D", "")))
            .otherwise(text)
            .alias(values.name)
        )
        .to_series()
    )


def e164_series(values: pl.Series, region: str = DEFAULT_REGION) -> pl.Series:
    """A String series as E.164, parsing each distinct number once (null where not a number).

    Example:
        >>> s = pl.Series("p", ["617-555-0100", "(617) 555-0100", None, "Anonymous"])
        >>> e164_series(s).to_list()
        ['+16175550100', '+16175550100', None, None]
    """
    region = check_region(region)
    keys = _key(values)
    distinct = keys.drop_nulls().unique()
    if distinct.len() == 0:
        return pl.Series(values.name, [None] * values.len(), dtype=pl.String)
    parsed = pl.Series([to_e164(k, region) for k in distinct.to_list()], dtype=pl.String)
    return keys.replace_strict(distinct, parsed, default=None, return_dtype=pl.String)


def e164(column: str | pl.Expr, region: str = DEFAULT_REGION) -> pl.Expr:
    """An expression: ``column`` as E.164 (String, null where missing, masked or invalid).

    Runs batch by batch on the streaming engine, parsing each batch's distinct values once.

    Example:
        >>> frame = pl.DataFrame({"p": ["+1 617 555 0100", "0000000000"]})
        >>> frame.select(e164("p"))["p"].to_list()
        ['+16175550100', None]
    """
    region = check_region(region)
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.map_batches(
        lambda s: e164_series(s, region), return_dtype=pl.String, is_elementwise=True
    )


def phone_status(column: str, normalised: str | pl.Expr | None = None) -> pl.Expr:
    """Why a number is (not) usable: ``valid``, ``missing``, ``masked`` or ``invalid``.

    ``normalised`` is the column (or expression) holding :func:`e164` of ``column``; without
    it the numbers are parsed here in the default region.

    Example:
        >>> frame = pl.DataFrame({"p": ["617-555-0100", " ", "•••0100", "5550100"]})
        >>> frame.select(phone_status("p"))["p"].cast(pl.String).to_list()
        ['valid', 'missing', 'masked', 'invalid']
    """
    text = pl.col(column).cast(pl.String).str.strip_chars()
    if normalised is None:
        e164_expr = e164(column)
    elif isinstance(normalised, str):
        e164_expr = pl.col(normalised)
    else:
        e164_expr = normalised
    return (
        pl.when(e164_expr.is_not_null())
        .then(pl.lit("valid"))
        .when(text.is_null() | (text == ""))
        .then(pl.lit("missing"))
        .when(
            text.str.contains(_MASKED)
            | (text.str.contains(r"[A-Za-z]") & ~text.str.contains(r"\d"))
        )
        .then(pl.lit("masked"))
        .otherwise(pl.lit("invalid"))
        .cast(PHONE_STATUS)
        .alias(column)
    )


def phone_quality(frame, column: str, *, region: str = DEFAULT_REGION):
    """How many values of ``column`` are valid, missing, masked or invalid, as one row.

    Columns ``rows``, ``valid``, ``missing``, ``masked``, ``invalid`` (UInt32); eager in,
    eager out; lazy in, lazy out.

    Example:
        >>> frame = pl.DataFrame({"p": ["617-555-0100", None, "XXX-XXX-0100", "123"]})
        >>> phone_quality(frame, "p").row(0)
        (4, 1, 1, 1, 1)
    """
    status = phone_status(column, e164(column, region))
    out = (
        frame.lazy()
        .select(status.alias("_status"))
        .select(
            rows=pl.len().cast(pl.UInt32),
            **{
                name: (pl.col("_status") == name).sum().cast(pl.UInt32)
                for name in PHONE_STATUS.categories
            },
        )
    )
    return out.collect() if isinstance(frame, pl.DataFrame) else out


def mask_phone(column: str | pl.Expr) -> pl.Expr:
    """A phone number shown only by its last four digits: ``"•••0100"`` (null stays null).

    Example:
        >>> pl.DataFrame({"p": ["(617) 555-0100"]}).select(mask_phone("p"))["p"].to_list()
        ['•••0100']
    """
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.str.replace_all(r"\D", "").str.slice(-4).str.replace(r"^", "•••")

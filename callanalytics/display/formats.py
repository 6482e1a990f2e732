"""Values as a report writes them: durations as ``4m 21s``, money as dollars, rates as
percent, counts with thousands separators; and a whole frame as display text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

__all__ = ["fmt_count", "fmt_duration", "fmt_money", "fmt_rate", "format_table", "plural"]


_DURATION_UNITS = ((86_400, 3_600), (3_600, 60), (60, 1), (0, 1))  # (at least, shown unit) s


def _round_half_up(micros: int, unit: int) -> int:
    """``micros`` (>= 0) rounded half up to a whole number of ``unit`` seconds, in seconds."""
    step = unit * 1_000_000
    return (micros + step // 2) // step * unit


def fmt_duration(value: timedelta | None) -> str:
    """``1h 02m``, ``4m 21s`` or ``35s``, rounded half up at the shown precision.

    The last unit shown is rounded, not cut off (``2h 06m 55s`` → ``2h 07m``), and a value
    that rounds up into the next form takes that form (``59m 59.6s`` → ``1h 00m``).

    Example:
        >>> fmt_duration(timedelta(seconds=261)), fmt_duration(timedelta(seconds=7615))
        ('4m 21s', '2h 07m')
    """
    if value is None:
        return "–"
    micros = abs(value) // timedelta(microseconds=1)
    sign = "-" if value < timedelta(0) and micros else ""
    seconds = micros // 1_000_000
    for at_least, unit in _DURATION_UNITS:
        if seconds >= at_least:
            seconds = _round_half_up(micros, unit)
            break
    if seconds >= 86_400:  # a coarser form needs rounding at its own unit
        seconds = _round_half_up(micros, 3_600)
    elif seconds >= 3_600:
        seconds = _round_half_up(micros, 60)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"


def plural(number: int, singular: str, many: str | None = None, *, count: bool = True) -> str:
    """``1 call``, ``2 calls``: the noun (``many`` or ``singular + "s"``) agreeing with
    ``number``, after the number unless ``count=False``.

    Example:
        >>> plural(1, "call"), plural(1_500, "agent"), plural(2, "was", "were", count=False)
        ('1 call', '1,500 agents', 'were')
    """
    word = singular if number == 1 else (many or f"{singular}s")
    return f"{number:,} {word}" if count else word


def fmt_money(value: Decimal | None) -> str:
    """``$1,234.50``; negatives as ``-$15.00``.

    Example:
        >>> fmt_money(Decimal("-15"))
        '-$15.00'
    """
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def fmt_rate(value: float | None) -> str:
    """A share as a percentage with one decimal (``–`` when there is nothing to divide).

    Example:
        >>> fmt_rate(0.4123), fmt_rate(float("nan"))
        ('41.2%', '–')
    """
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:.1%}"


def fmt_count(value: float | None) -> str:
    """A count with thousands separators; other numbers with one decimal.

    Example:
        >>> fmt_count(12345), fmt_count(1234.56)
        ('12,345', '1,234.6')
    """
    if value is None or value != value:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}"


def _fmt_value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, timedelta):
        return fmt_duration(value)
    if isinstance(value, Decimal):
        return fmt_money(value)
    if isinstance(value, int | float):
        return fmt_count(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%a %d %b %Y")
    return str(value)


def format_table(frame: pl.DataFrame, rates: tuple[str, ...] = ()) -> pl.DataFrame:
    """Every column as display text: durations, money, counts with thousands separators,
    dates, booleans as yes/no and the named ``rates`` as percentages.

    Example:
        >>> format_table(pl.DataFrame({"share": [0.5], "n": [12345]}), rates=("share",)).row(0)
        ('50.0%', '12,345')
    """
    columns = {}
    for name in frame.columns:
        values = frame[name].to_list()
        fmt = fmt_rate if name in rates else _fmt_value
        columns[name] = pl.Series(name, [fmt(v) for v in values], dtype=pl.String)
    return pl.DataFrame(columns, schema=dict.fromkeys(frame.columns, pl.String))

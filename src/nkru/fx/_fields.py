"""The fields of an exchange-rate quote: periods, rates and source ids, checked and converted.

Private: :class:`nkru.fx.RateQuote` and :class:`nkru.fx.ExchangeRates` use
these as attrs converters and validators, and :mod:`nkru.fx._io` uses
them to check each cell of a table so it can name the bad ones. Currency
codes are checked by :func:`nkru.units.check_currency`, as everywhere in nkru.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import attrs

from nkru._core.numbers import is_integer, positive_float
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.periods import MAX_YEAR, MIN_YEAR, Period, Precision, to_period

__all__ = [
    "check_source",
    "interval",
    "level_of",
    "to_quote_period",
    "to_rate",
    "year_period",
]

_MAX_SOURCE: Final = 200
_PERIOD_TEXT: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


def level_of(period: Period) -> Precision | None:
    """Return YEAR, MONTH or DAY if ``period`` is exactly one calendar year, month or day."""
    start, end = period.start, period.end
    if start == end:
        return Precision.DAY
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        if (start.year, start.month) == (end.year, end.month):
            return Precision.MONTH
        if (start.month, end.month, start.year) == (1, 12, end.year):
            return Precision.YEAR
    return None


def to_quote_period(value: object) -> Period:
    """Convert a year, a date, ``YYYY[-MM[-DD]]`` text or a Period to a canonical quote period."""
    if isinstance(value, Period):
        level = level_of(value)
        if level is None or value.approximate:
            raise ValidationError("period", value, "must be one calendar year, month or day")
        if level is Precision.DAY:
            return Period.day(value.start)
        return (
            Period.month(value.start.year, value.start.month)
            if level is Precision.MONTH
            else Period.year(value.start.year)
        )
    # pandas' NaT is a datetime equal to nothing (not even itself); its .time() raises ValueError.
    if isinstance(value, dt.date) and value != value:  # noqa: PLR0124
        raise ValidationError("period", value, "is missing (NaT)")
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValidationError("period", value, "must be a date, not a time of day")
        value = value.date()
    if isinstance(value, dt.date):
        return Period.day(value)
    if is_integer(value):
        return year_period(int(value), "period")
    if isinstance(value, str):
        return _period_from_text(value)
    raise ValidationError("period", value, "must be a year (int), a datetime.date, YYYY[-MM[-DD]] text or a Period")


def _period_from_text(value: str) -> Period:
    match = _PERIOD_TEXT.match(value.strip()) if len(value) <= 20 else None
    if match is None:
        raise ValidationError("period", value, "must be a year, month or day: YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month, day = (None if group is None else int(group) for group in match.groups()[1:])
    if month is None:
        return year_period(year, "period")  # says which years are allowed, where "no such date" would not
    try:
        if day is not None:
            return Period.day(dt.date(year, month, day))
        return Period.month(year, month)
    except (ValueError, ValidationError):
        raise ValidationError("period", value, "no such date") from None


def year_period(year: int, field: str) -> Period:
    """The calendar year ``year`` as a Period, if nkru's periods reach it (:data:`~nkru.periods.MIN_YEAR` to :data:`~nkru.periods.MAX_YEAR`)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(field, year, f"a year must be between {MIN_YEAR} and {MAX_YEAR}")
    return Period.year(year)


def to_rate(value: object) -> float:
    """Convert a positive finite number (or its text) to a float rate."""
    return positive_float("rate", value)


def check_source(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: the field holds a source id (printable, trimmed, 1 to 200 characters)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "must be a non-empty source id")
    if len(value) > _MAX_SOURCE:
        raise ValidationError(attribute.name, shown(value), f"must be at most {_MAX_SOURCE} characters")
    if not value.isprintable() or value != value.strip():
        raise ValidationError(attribute.name, value, "must be printable text without surrounding spaces")


def interval(on: object) -> tuple[int, int, str]:
    """Return first and last day (ordinals) of ``on`` (read by :func:`nkru.periods.to_period`) and its text."""
    period = to_period(on, "on")
    return period.start.toordinal(), period.end.toordinal(), str(period)

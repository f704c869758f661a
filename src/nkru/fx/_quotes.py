"""One exchange rate, :class:`RateQuote`, and the series and period that identify it in a table.

Private: :mod:`nkru.fx` is the public face and re-exports :class:`RateQuote`.
The quote lives here, below both the table (:mod:`nkru.fx`) and its formats
(:mod:`nkru.fx._io`), so that the formats build quotes without importing the
table they are read into.
"""

from __future__ import annotations

import datetime as dt

import attrs

from nkru.errors import ValidationError
from nkru.fx._fields import check_source, level_of, to_quote_period, to_rate
from nkru.periods import Period, Precision
from nkru.units import ROUBLES, currency_code, currency_series, currency_validator, to_unit, unit, ureg

__all__ = ["QuoteKey", "RateQuote", "quote_key", "series_of"]

QuoteKey = tuple[str, dt.date, dt.date]
"""What a table holds at most one quote of, the series (:func:`series_of`) with its first and last day."""


series_of = currency_series
"""RUR and RUB are one series (the redenomination is a fixed, exact factor); :func:`nkru.units.currency_series`."""


@attrs.frozen
class RateQuote:
    """One exchange rate: units of ``currency`` per unit of the base, over a year, a month or a day.

    Args:
        currency: ISO 4217 code (or the historic ``SUR``/``RUR``) of :data:`nkru.units.CURRENCIES`.
        period: The calendar year, month or day the rate is for; a year (int),
            a date, ``"2005"``/``"2005-03"``/``"2005-03-15"`` or a
            :class:`~nkru.periods.Period` is converted.
        rate: Units of ``currency`` one unit of the base currency buys (a
            positive finite number): an average for a year or month, the
            quote of the day for a day.
        source: Id of the source (``docs/data-sources.md`` explains the
            shipped ones).

    Raises:
        ValidationError: a field is not allowed (nan or negative rate, a
            quarter as period, an unknown currency ...).

    >>> RateQuote("RUB", 2005, 28.2844416666667, "wdi-2025-07-01").period.precision
    <Precision.YEAR: 'year'>
    >>> RateQuote("RUB", "2005-Q1", 28.1, "mine")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: period: must be a year, month or day: YYYY, YYYY-MM or YYYY-MM-DD (got '2005-Q1')
    """

    currency: str = attrs.field(converter=currency_code, validator=currency_validator)
    period: Period = attrs.field(converter=to_quote_period)
    rate: float = attrs.field(converter=to_rate)
    source: str = attrs.field(validator=check_source)

    def __attrs_post_init__(self) -> None:
        if self.currency in ROUBLES:  # the table keeps each rouble rate in both codes: RUR = 1000 x RUB
            other = "RUR" if self.currency == "RUB" else "RUB"
            try:
                restated = to_unit(ureg.Quantity(self.rate, unit(self.currency)), other).magnitude
            except ValidationError:
                raise ValidationError("rate", self.rate, f"is too large to restate in {other}") from None
            if restated == 0.0:  # 5e-324 RUR per dollar is 0 RUB: converting would divide by zero
                raise ValidationError("rate", self.rate, f"is too small to restate in {other}")

    @property
    def frequency(self) -> Precision:
        """``Precision.YEAR``, ``Precision.MONTH`` or ``Precision.DAY``."""
        level = level_of(self.period)
        if level is None:  # pragma: no cover - the converter makes periods canonical
            raise AssertionError("unreachable")
        return level


def quote_key(quote: RateQuote) -> QuoteKey:
    """The series and days of ``quote``: a table holds at most one quote per key."""
    return (series_of(quote.currency), quote.period.start, quote.period.end)

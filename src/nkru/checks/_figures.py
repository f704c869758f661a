"""Figures brought to one unit for comparison, intervals turned back into measures, and how messages write them.

The checker never compares two stated figures as bare numbers. Each becomes
the :class:`~nkru.measures.Interval` of values it allows
(:meth:`Interval.allowed <nkru.measures.Interval.allowed>`: "172.3 million" is
172.25 to 172.35 million, "no more than 890 tons" 0 to 890), and the
interval arithmetic propagates those allowances through a sum, a difference or
a quotient, so a verdict holds for every value the text allows. Here
:func:`align` brings the figures of several records to one unit (converting
currencies where needed) and :func:`describe_interval` writes a computed
interval into a message.

>>> from nkru.units import money
>>> aligned = align([(None, Measure(money(172.3e6, "USD"), resolution=1e5))], Settings())
>>> describe_interval(aligned.intervals[0])
"= 172.3 million (172.25 million to 172.35 million given the figures' rounding)"
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Final

import attrs
from pint.facets.plain import PlainUnit

from nkru.errors import NkruError
from nkru.formatting import format_measure, format_number, unit_symbol
from nkru.fx import ExchangeRates, convert_currency
from nkru.measures import APPROXIMATE, Interval, Measure, ObsStatus, Qualifier
from nkru.periods import Period
from nkru.units import currency_of, currency_series, ureg

__all__ = [
    "FIELDS",
    "Aligned",
    "NotComparable",
    "Settings",
    "Writer",
    "align",
    "describe_interval",
    "figure_of",
    "measure_of",
    "period_of",
    "significant_digits",
]


def measure_of(interval: Interval, units: PlainUnit) -> Measure | None:
    """A derived :class:`~nkru.measures.Measure` for a computed interval, or None if unbounded.

    >>> measure_of(Interval(63.3, 64.9, 64.1), ureg.percent).qualifier
    <Qualifier.RANGE: 'range'>
    """
    low, high = interval.low, interval.high
    derived = ObsStatus.DERIVED
    if math.isfinite(low) and math.isfinite(high):
        point = interval.point
        if point is not None and low == high:
            return Measure(ureg.Quantity(point, units), status=derived)
        value = None if point is None else ureg.Quantity(min(max(point, low), high), units)
        return Measure(value, Qualifier.RANGE, ureg.Quantity(low, units), ureg.Quantity(high, units), status=derived)
    if math.isfinite(low):
        qualifier = Qualifier.MORE_THAN if interval.low_open else Qualifier.AT_LEAST
        return Measure(ureg.Quantity(low, units), qualifier, status=derived)
    if math.isfinite(high):
        qualifier = Qualifier.LESS_THAN if interval.high_open else Qualifier.AT_MOST
        return Measure(ureg.Quantity(high, units), qualifier, status=derived)
    return None


# -- how messages write computed intervals ------------------------------------------------------


Writer = Callable[[float, int], str]
"""Writes one number of a message at a number of significant digits (at least 4)."""


def _plain_writer(value: float, digits: int) -> str:
    return format_number(value, digits, style="compact")


def _digits_for(values: list[float], write: Writer) -> int:
    """The fewest significant digits (4 to 9) that keep different values apart when written."""
    distinct = len(set(values))
    for digits in range(4, 10):
        if len({write(value, digits) for value in values}) == distinct:
            return digits
    return 9


def describe_interval(interval: Interval, write: Writer = _plain_writer) -> str:
    """Write a computed interval: ``= +64.1% (+63.3% to +64.9% given the figures' rounding)``.

    Args:
        interval: The computed values.
        write: How to write one number of it, at a given number of significant digits.

    >>> describe_interval(Interval(180.0, math.inf))
    'is ≥ 180'
    >>> describe_interval(Interval(172.25e6, 172.35e6, 172.3e6))
    "= 172.3 million (172.25 million to 172.35 million given the figures' rounding)"
    """
    ends = [x for x in (interval.low, interval.high) if math.isfinite(x)]
    digits = _digits_for([*ends, *([] if interval.point is None else [interval.point])], write)

    def text(value: float) -> str:
        return write(value, digits)

    low_finite, high_finite = math.isfinite(interval.low), math.isfinite(interval.high)
    if interval.point is not None:
        point = text(interval.point)
        if interval.low == interval.high:
            return f"= {point}"
        if low_finite and high_finite:
            return f"= {point} ({text(interval.low)} to {text(interval.high)} given the figures' rounding)"
        bound = f"≥ {text(interval.low)}" if low_finite else f"≤ {text(interval.high)}" if high_finite else "unbounded"
        return f"= {point} ({bound} given the figures' bounds)"
    if low_finite and high_finite:
        return f"is between {text(interval.low)} and {text(interval.high)}"
    if low_finite:
        return f"is {'>' if interval.low_open else '≥'} {text(interval.low)}"
    if high_finite:
        return f"is {'<' if interval.high_open else '≤'} {text(interval.high)}"
    return "is unbounded"


# -- which figure of a record, and figures brought to one unit ---------------------------------


@attrs.frozen
class Settings:
    """How :func:`nkru.check` compares figures.

    Args:
        rates: Exchange rates for figures in different currencies (nkru's own if None).
        approximate: Relative half-width of an "about" figure without bounds.
    """

    rates: ExchangeRates | None = None
    approximate: float = APPROXIMATE


#: The figures a claim or a rule may compare.
FIELDS: Final = ("amount", "mass", "count", "share")


def figure_of(record: object, field: str) -> Measure | None:
    """The record's figure ``field`` (``amount``, ``mass``, ``count``, ``share``), or None if it has none.

    >>> from nkru.records import Shipment
    >>> figure_of(Shipment(id="s"), "mass") is None
    True
    """
    if field not in FIELDS:
        return None
    measure = getattr(record, field, None)
    return measure if isinstance(measure, Measure) else None


def period_of(record: object) -> Period | None:
    """The period a record's figures refer to, if it has one."""
    period = getattr(record, "period", None)
    return period if isinstance(period, Period) else None


@attrs.frozen
class Aligned:
    """Figures brought to one unit, with the intervals they allow.

    Args:
        measures: The figures, converted to ``units``.
        intervals: The values each allows (see :meth:`~nkru.measures.Interval.allowed`).
        units: The unit they share (percent for shares and ratios).
        note: How they were converted, if an exchange rate was used ("" otherwise).
    """

    measures: tuple[Measure, ...]
    intervals: tuple[Interval, ...]
    units: PlainUnit
    note: str = ""


@attrs.frozen
class NotComparable:
    """Why figures could not be brought to one unit."""

    reason: str


_PERCENT: Final = ureg.percent


def align(figures: Iterable[tuple[object, Measure]], settings: Settings) -> Aligned | NotComparable:
    """Bring the figures of some records to the first one's unit (percent for plain ratios).

    Figures of one kind convert exactly (kilograms to tonnes, old roubles to
    new). Money in different currencies is converted to US dollars, each at
    the average rate of its own record's period, from ``settings.rates``;
    where no rate covers a period (or a record has no period) the figures are
    not comparable.

    >>> from nkru.units import format_unit, quantity
    >>> aligned = align([(None, Measure(quantity(1, "t"))), (None, Measure(quantity(500, "kg")))], Settings())
    >>> aligned.intervals[1].point, format_unit(aligned.units)
    (0.5, 'metric_ton')
    """
    pairs = list(figures)
    first = pairs[0][1].units
    target: PlainUnit = _PERCENT if first.dimensionless else first
    codes = {None if (code := currency_of(measure.units)) is None else currency_series(code) for _, measure in pairs}
    note = ""
    converted: list[Measure] = []
    if None not in codes and len(codes) > 1:
        target, note = ureg.USD, "converted to USD at each period's average exchange rate"
        for record, measure in pairs:
            result = _to_dollars(record, measure, settings)
            if isinstance(result, NotComparable):
                return result
            converted.append(result)
    else:
        for _, measure in pairs:
            if measure.units.dimensionality != target.dimensionality:  # pragma: no cover
                # Records keep one kind of quantity per field, so only a caller's own figures get here.
                kinds = f"{unit_symbol(first)} and {unit_symbol(measure.units)}"
                return NotComparable(f"{kinds} are different kinds of quantity")
            if measure.units == target:
                converted.append(measure)
                continue
            try:
                converted.append(measure.to(target))
            except NkruError as exc:
                shown = format_measure(measure, style="compact")
                return NotComparable(f"{shown} cannot be expressed in {unit_symbol(target)}: {exc}")
    intervals = tuple(Interval.allowed(measure, approximate=settings.approximate) for measure in converted)
    return Aligned(tuple(converted), intervals, target, note)


def _to_dollars(record: object, measure: Measure, settings: Settings) -> Measure | NotComparable:
    if currency_of(measure.units) == "USD":
        return measure
    period = period_of(record)
    name = getattr(record, "id", "a figure")
    if period is None:
        return NotComparable(f"{name} is in {unit_symbol(measure.units)} and has no period to pick a rate for")
    try:
        return convert_currency(measure, "USD", on=period, rates=settings.rates)
    except NkruError as exc:
        return NotComparable(f"{name} is in {unit_symbol(measure.units)} and no rate converts it: {exc}")


def significant_digits(measure: Measure) -> int:
    """How many significant digits a figure states, trailing zeros not counted.

    Digits grouped as "50,000" are one significant digit here, though the
    text wrote five: a round figure coinciding with another is no surprise.

    >>> from nkru.units import money
    >>> significant_digits(Measure(money(172.3e6, "USD"), resolution=1e5)), significant_digits(Measure(money(5e4, "USD")))
    (4, 1)
    """
    if measure.value is None:
        return 0
    value = abs(float(measure.value.magnitude))
    if value == 0:
        return 0
    mantissa = f"{value:.15e}".split("e")[0].replace(".", "").rstrip("0")
    digits = len(mantissa)
    if measure.resolution is not None:
        steps = value / measure.resolution  # underflows to 0 for a subnormal value at a coarse resolution
        digits = min(digits, max(1, math.floor(math.log10(steps) + 1e-9) + 1)) if steps > 0 else 1
    return digits

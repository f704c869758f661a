"""What a stated figure allows: an interval of values, its arithmetic, and how messages write it.

The checker never compares two stated figures as bare numbers. "172.3
million" is any value that rounds to it (172.25 to 172.35 million), "no
more than 890 tons" anything from 0 to 890, "about 60%" anything within
:data:`APPROXIMATE` of 60%. :func:`interval_of` turns a
:class:`~nkru.measures.Measure` into such an :class:`Interval`, and the
interval arithmetic here propagates those allowances through a sum, a
difference or a quotient, so a verdict holds for every value the text allows.

>>> from nkru.measures import Measure
>>> from nkru.units import money
>>> new = interval_of(Measure(money(172.3e6, "USD"), resolution=1e5))
>>> old = interval_of(Measure(money(105e6, "USD"), resolution=1e6))
>>> change = new.divide(old).affine(100, -100)
>>> round(change.low, 2), round(change.point, 2), round(change.high, 2)
(63.27, 64.1, 64.93)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru.errors import NkruError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.periods import Period
from nkru.units import currency_of, format_unit, ureg

if TYPE_CHECKING:
    from nkru.fx import ExchangeRates

__all__ = [
    "APPROXIMATE",
    "FIELDS",
    "Aligned",
    "Interval",
    "NotComparable",
    "Settings",
    "Writer",
    "align",
    "describe_interval",
    "describe_measure",
    "figure_of",
    "format_number",
    "format_quantity",
    "interval_of",
    "measure_of",
    "period_of",
    "quantity_writer",
    "significant_digits",
    "unit_symbol",
]

APPROXIMATE: Final = 0.1
"""Relative half-width given to an "about" figure stated without bounds (±10%).

News and reference texts use "about", "some" and "roughly" for figures
rounded well beyond their last digit; ±10% is the allowance nkru gives them
unless the caller passes another (see :func:`nkru.check`). The allowance is
never narrower than half the last stated digit.
"""

#: Relative slack for comparisons, so that float noise (0.1 + 0.2) never decides a verdict.
_SLACK: Final = 1e-9
_INF: Final = math.inf


@attrs.frozen
class Interval:
    """The closed (or half-open) interval of values a figure allows, with its best single value.

    Args:
        low: Lowest value allowed (``-inf`` when unbounded below).
        high: Highest value allowed (``inf`` when unbounded above).
        point: The figure itself, or None when the text gives only a bound.
        low_open: True when ``low`` itself is excluded ("more than").
        high_open: True when ``high`` itself is excluded ("less than").
    """

    low: float
    high: float
    point: float | None = None
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def exact(cls, value: float) -> Interval:
        """The single value ``value``.

        >>> Interval.exact(3.0).width
        0.0
        """
        return cls(value, value, value)

    @property
    def width(self) -> float:
        """``high - low`` (infinite when unbounded)."""
        return self.high - self.low

    @property
    def is_bounded(self) -> bool:
        """True when both ends are finite."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    def _slack(self, other: Interval) -> float:
        ends = [abs(x) for x in (self.low, self.high, other.low, other.high) if math.isfinite(x)]
        return _SLACK * max(ends, default=0.0)

    def overlaps(self, other: Interval) -> bool:
        """True if some value lies in both intervals (open ends respected, float noise forgiven).

        >>> Interval(0, 50, high_open=True).overlaps(Interval(50, math.inf))
        False
        >>> Interval(0, 50).overlaps(Interval(50, math.inf))
        True
        """
        slack = self._slack(other)
        return _meets(self.low, self.low_open, other.high, other.high_open, slack) and _meets(
            other.low, other.low_open, self.high, self.high_open, slack
        )

    def above(self, other: Interval) -> bool:
        """True if every value of this interval exceeds every value of ``other``.

        >>> Interval(180, 1070).above(Interval(0, 100))
        True
        """
        return not _meets(self.low, self.low_open, other.high, other.high_open, self._slack(other))

    def below(self, other: Interval) -> bool:
        """True if every value of this interval is under every value of ``other``."""
        return other.above(self)

    def gap(self, other: Interval) -> float:
        """The distance between the two intervals (0 when they overlap)."""
        if self.overlaps(other):
            return 0.0
        return other.low - self.high if self.high < other.low else self.low - other.high

    def __add__(self, other: Interval) -> Interval:
        point = None if self.point is None or other.point is None else self.point + other.point
        return Interval(
            _plus(self.low, other.low, -_INF),
            _plus(self.high, other.high, _INF),
            point,
            self.low_open or other.low_open,
            self.high_open or other.high_open,
        )

    def __neg__(self) -> Interval:
        point = None if self.point is None else -self.point
        return Interval(-self.high, -self.low, point, self.high_open, self.low_open)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def affine(self, factor: float, offset: float = 0.0) -> Interval:
        """Every value ``x`` mapped to ``x * factor + offset`` (``factor`` > 0)."""
        point = None if self.point is None else self.point * factor + offset
        return Interval(self.low * factor + offset, self.high * factor + offset, point, self.low_open, self.high_open)

    def divide(self, other: Interval) -> Interval | None:
        """The quotient ``self / other`` for a denominator that is never negative.

        Returns None when the denominator may be negative or is only zero.
        A denominator that may be zero makes the quotient unbounded.

        >>> Interval(1070, 1070, 1070).divide(Interval(0, 890)).low
        1.202247191011236
        """
        if other.low < 0 or other.high <= 0:
            return None
        corners = [q for n in (self.low, self.high) for d in (other.low, other.high) if not math.isnan(q := _div(n, d))]
        point = None
        if self.point is not None and other.point is not None and other.point > 0:
            point = self.point / other.point
        low, high = min(corners), max(corners)
        if point is not None:
            point = min(max(point, low), high)
        return Interval(low, high, point)


def _meets(low: float, low_open: bool, high: float, high_open: bool, slack: float) -> bool:
    """True if a value can be at least ``low`` and at most ``high`` at once."""
    if low < high - slack:
        return True
    if low > high + slack:
        return False
    return not (low_open or high_open)


def _plus(left: float, right: float, unbounded: float) -> float:
    # -inf + inf is nan; an end unbounded on either side is unbounded.
    if math.isinf(left) or math.isinf(right):
        return unbounded
    return left + right


def _div(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.nan if numerator == 0 else math.copysign(_INF, numerator)
    if math.isinf(denominator):
        return math.nan if math.isinf(numerator) else 0.0
    return numerator / denominator


def interval_of(measure: Measure, *, approximate: float = APPROXIMATE, floor: float = 0.0) -> Interval:
    """The values a measure allows, in the measure's own unit.

    Args:
        measure: The stated figure.
        approximate: Relative half-width of an "about" figure without bounds.
        floor: Lowest value an "at most" figure allows: 0 for amounts, tonnages,
            counts and shares, ``-inf`` for a change that may be negative.

    The rules:

    - exact: the value ± half its resolution (the place of its last digit),
      or the value alone when the resolution is unknown;
    - approximate: its bounds where given, else the value ± the larger of
      ``approximate`` × value and half the resolution;
    - range: its bounds;
    - at most / less than: from ``floor`` (or the value, if lower) to the value;
    - at least / more than: from the value up, unbounded.

    >>> from nkru.units import quantity
    >>> interval_of(Measure(quantity(64, "percent"), resolution=1.0))
    Interval(low=63.5, high=64.5, point=64.0, low_open=False, high_open=False)
    >>> interval_of(Measure(quantity(50, "item"), Qualifier.LESS_THAN)).high_open
    True
    """
    point = float(measure.point.magnitude)
    half = 0.0 if measure.resolution is None else measure.resolution / 2
    qualifier = measure.qualifier
    if qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN):
        return Interval(min(floor, point), point, None, high_open=qualifier is Qualifier.LESS_THAN)
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return Interval(point, _INF, None, low_open=qualifier is Qualifier.MORE_THAN)
    if qualifier is Qualifier.RANGE:
        return Interval(_magnitude(measure.lower, point), _magnitude(measure.upper, point), point)
    if qualifier is Qualifier.APPROXIMATE:
        spread = max(abs(point) * approximate, half)
        return Interval(_magnitude(measure.lower, point - spread), _magnitude(measure.upper, point + spread), point)
    low, high = point - half, point + half
    return Interval(min(low, _magnitude(measure.lower, low)), max(high, _magnitude(measure.upper, high)), point)


def _magnitude(value: pint.Quantity[Any] | None, default: float) -> float:
    return default if value is None else float(value.magnitude)


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


# -- how messages write numbers ----------------------------------------------------------------

_SCALES: Final = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SYMBOLS: Final = {"metric_ton": "t", "percent": "%", "item": "items", "hectare": "ha", "kilogram": "kg"}


def format_number(value: float, *, digits: int = 4, decimals: int | None = None, sign: bool = False) -> str:
    """Write a number for a reader: millions and billions in words, thousands grouped.

    Args:
        value: The number.
        digits: Significant digits to keep (never fewer than the integer part).
        decimals: Exact decimals to show instead (for percentages).
        sign: Write ``+`` before positive numbers.

    >>> format_number(172.3e6), format_number(34716.0), format_number(64.09523, decimals=1, sign=True)
    ('172.3 million', '34,716', '+64.1')
    >>> format_number(-1.2e9, sign=True), format_number(math.inf)
    ('-1.2 billion', '∞')
    """
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    prefix = "+" if sign and value > 0 else ""
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
        return prefix + ("0" if _is_zero(text) else text)
    magnitude = abs(value)
    for scale, word in _SCALES:
        if magnitude >= scale:
            return f"{prefix}{_plain(value / scale, digits)} {word}"
    return prefix + _plain(value, digits)


def _plain(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if _is_zero(text) else text


def _is_zero(text: str) -> bool:
    return text.lstrip("-").strip("0.,") == ""


def unit_symbol(units: PlainUnit) -> str:
    """The short name messages use for a unit (``t``, ``%``, ``USD``)."""
    name = format_unit(units)
    return _SYMBOLS.get(name, name)


def format_quantity(value: float, units: PlainUnit, *, digits: int = 6, sign: bool = False) -> str:
    """Write an amount with its unit: ``172.3 million USD``, ``890 t``, ``64%``.

    >>> format_quantity(1.723e8, ureg.USD), format_quantity(64.0, ureg.percent)
    ('172.3 million USD', '64%')
    """
    return _with_symbol(format_number(value, digits=digits, sign=sign), unit_symbol(units))


def _with_symbol(number: str, symbol: str) -> str:
    if symbol == "%":
        return f"{number}%"
    if symbol == "dimensionless":
        return number
    return f"{number} {symbol}"


def quantity_writer(units: PlainUnit, *, sign: bool = False) -> Writer:
    """A :data:`Writer` of amounts in ``units`` (the unit's name looked up once).

    >>> quantity_writer(ureg.t, sign=True)(33646.0, 4)
    '+33,646 t'
    """
    symbol = unit_symbol(units)

    def write(value: float, digits: int) -> str:
        return _with_symbol(format_number(value, digits=digits, sign=sign), symbol)

    return write


def describe_measure(measure: Measure, units: PlainUnit | None = None) -> str:
    """Write a stated figure the way the text qualified it: ``≤ 890 t``, ``about 60%``.

    >>> from nkru.units import quantity
    >>> describe_measure(Measure(quantity(890, "t"), Qualifier.AT_MOST))
    '≤ 890 t'
    """
    shown: PlainUnit = measure.units if units is None else units
    point = float(measure.point.magnitude)
    if measure.qualifier is Qualifier.RANGE:
        low = format_number(_magnitude(measure.lower, point), digits=6)
        return f"{low} to {format_quantity(_magnitude(measure.upper, point), shown)}"
    text = format_quantity(point, shown)
    prefix = {
        Qualifier.EXACT: "",
        Qualifier.APPROXIMATE: "about ",
        Qualifier.AT_MOST: "≤ ",
        Qualifier.LESS_THAN: "< ",
        Qualifier.AT_LEAST: "≥ ",
        Qualifier.MORE_THAN: "> ",
    }[measure.qualifier]
    return prefix + text


Writer = Callable[[float, int], str]
"""Writes one number of a message at a number of significant digits (at least 4)."""


def _plain_writer(value: float, digits: int) -> str:
    return format_number(value, digits=digits)


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
        intervals: The values each allows (see :func:`interval_of`).
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
_ROUBLES: Final = frozenset({"RUB", "RUR"})


def _currency_series(code: str | None) -> str | None:
    return "RUB" if code in _ROUBLES else code


def align(figures: Iterable[tuple[object, Measure]], settings: Settings) -> Aligned | NotComparable:
    """Bring the figures of some records to the first one's unit (percent for plain ratios).

    Figures of one kind convert exactly (kilograms to tonnes, old roubles to
    new). Money in different currencies is converted to US dollars, each at
    the average rate of its own record's period, from ``settings.rates``;
    where no rate covers a period (or a record has no period) the figures are
    not comparable.

    >>> from nkru.units import quantity
    >>> aligned = align([(None, Measure(quantity(1, "t"))), (None, Measure(quantity(500, "kg")))], Settings())
    >>> aligned.intervals[1].point, format_unit(aligned.units)
    (0.5, 'metric_ton')
    """
    pairs = list(figures)
    first = pairs[0][1].units
    target: PlainUnit = _PERCENT if first.dimensionless else first
    codes = {_currency_series(currency_of(measure.units)) for _, measure in pairs}
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
                return NotComparable(f"{describe_measure(measure)} cannot be expressed in {unit_symbol(target)}: {exc}")
    intervals = tuple(interval_of(measure, approximate=settings.approximate) for measure in converted)
    return Aligned(tuple(converted), intervals, target, note)


def _to_dollars(record: object, measure: Measure, settings: Settings) -> Measure | NotComparable:
    from nkru.fx import convert_currency  # noqa: PLC0415 - rates load only when currencies differ

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

"""Measures: a quantity together with how sure the text was of it.

A :class:`Measure` is what a trade text states: "about 60%", "no more than
890 tons", "several hundred thousand hectares". It keeps the quantity, a
:class:`Qualifier` (exact, approximate, a one-sided bound, a range), an
observation status in the spirit of SDMX ``OBS_STATUS`` and the resolution the
figure was stated with (``172.3 million`` is stated to the nearest 0.1 million).

>>> from nkru.measures import Measure, Qualifier
>>> from nkru.units import quantity
>>> m = Measure(quantity(890, "t"), Qualifier.AT_MOST)
>>> m.bounds
(None, <Quantity(890.0, 'metric_ton')>)
>>> m.is_exact
False
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable
from typing import Any, Final

import attrs
import pint
from pint.facets.plain import PlainUnit
from pint.util import UnitsContainer

from nkru._core.numbers import checked_float, float_or_problem, scaled_magnitude
from nkru._core.text import instance_of
from nkru.errors import ValidationError
from nkru.units import format_unit, make_quantity, to_unit, units_of, ureg

__all__ = ["APPROXIMATE", "Interval", "Measure", "ObsStatus", "Qualifier"]


class Qualifier(enum.Enum):
    """How a stated figure relates to the true value."""

    EXACT = "exact"
    """Stated without qualification ("830,000 tons")."""
    APPROXIMATE = "approximate"
    """"about", "some", "around", "roughly"."""
    AT_MOST = "at_most"
    """The true value is ≤ the figure ("no more than", "up to", "at most")."""
    LESS_THAN = "less_than"
    """The true value is < the figure ("less than", "under", "fewer than")."""
    AT_LEAST = "at_least"
    """The true value is ≥ the figure ("at least", "no less than")."""
    MORE_THAN = "more_than"
    """The true value is > the figure ("more than", "over")."""
    RANGE = "range"
    """Between two bounds ("200–300 tons", "several hundred thousand")."""


class ObsStatus(enum.Enum):
    """Observation status, after SDMX's ``CL_OBS_STATUS`` code list."""

    REPORTED = "reported"
    """Normal value, as published (SDMX ``A``)."""
    ESTIMATED = "estimated"
    """An estimate ("imports were estimated at ..."; SDMX ``E``)."""
    PROVISIONAL = "provisional"
    """Preliminary, may be revised (SDMX ``P``)."""
    FORECAST = "forecast"
    """A forecast or expectation ("likely to decline"; SDMX ``F``)."""
    IMPUTED = "imputed"
    """Filled in by a reader rather than stated (SDMX ``I``)."""
    DERIVED = "derived"
    """Computed from other figures by nkru or a user (no SDMX code)."""

    @property
    def sdmx_code(self) -> str | None:
        """The SDMX ``OBS_STATUS`` code, or None where SDMX has none."""
        return _SDMX_CODES[self]


_SDMX_CODES = {
    ObsStatus.REPORTED: "A",
    ObsStatus.ESTIMATED: "E",
    ObsStatus.PROVISIONAL: "P",
    ObsStatus.FORECAST: "F",
    ObsStatus.IMPUTED: "I",
    ObsStatus.DERIVED: None,
}

_BOUNDED = frozenset({Qualifier.AT_MOST, Qualifier.LESS_THAN, Qualifier.AT_LEAST, Qualifier.MORE_THAN})
_UPPER_ONLY: Final = frozenset({Qualifier.AT_MOST, Qualifier.LESS_THAN})
_LOWER_ONLY: Final = frozenset({Qualifier.AT_LEAST, Qualifier.MORE_THAN})


def _quantity_key(value: pint.Quantity[float] | None) -> tuple[float, str] | None:
    """Compare quantities by magnitude *and* unit, so 1 RUB != 1000 RUR as data."""
    if value is None:
        return None
    return (value.magnitude, format_unit(value.units))


_QUANTITY: Any = ureg.Quantity


def _finite_quantity(value: Any) -> pint.Quantity[float] | None:
    """Convert to a float-magnitude quantity of nkru's registry, or reject."""
    if value is None:
        return None
    if type(value) is _QUANTITY and type(value.magnitude) is float and math.isfinite(value.magnitude):
        return value  # type: ignore[no-any-return]  # the common case: each registry has its own class
    if not isinstance(value, pint.Quantity):
        raise ValidationError("quantity", value, "must be a pint Quantity (see nkru.units.quantity)")
    if value._REGISTRY is not ureg:  # noqa: SLF001 - pint exposes the registry only here
        # A quantity from another registry would fail later with pint's own error.
        raise ValidationError("quantity", value, "must come from nkru.units.ureg")
    magnitude = value.magnitude
    as_float = float_or_problem(magnitude)
    if isinstance(as_float, str):
        raise ValidationError("quantity", value, f"magnitude {as_float}")
    if type(magnitude) is float:
        return value
    return make_quantity(as_float, units_of(value))


@functools.lru_cache(maxsize=512)
def _dimensionality(units: PlainUnit) -> UnitsContainer:
    return units.dimensionality


@attrs.frozen
class Measure:
    """A stated quantity with its qualifier, bounds, status and resolution.

    Args:
        value: The figure as stated, a quantity of :data:`nkru.ureg`. None only
            for a :attr:`Qualifier.RANGE` given by its bounds alone.
        qualifier: How the figure relates to the true value.
        lower: Lower bound of a range (or of an approximate figure).
        upper: Upper bound of a range (or of an approximate figure).
        status: Observation status.
        resolution: Place value of the last digit stated, in the unit of
            ``value`` (``172.3 million`` gives 100000.0), or None if unknown.

    Raises:
        ValidationError: A magnitude is nan or infinite, units of the
            quantities differ, bounds are reversed, or the qualifier does not
            fit the bounds given.

    >>> from nkru.units import quantity
    >>> Measure(quantity(float("nan"), "t"))
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: quantity: magnitude must be finite (not nan or infinity) (got <Quantity(nan, 'metric_ton')>)
    """

    value: pint.Quantity[float] | None = attrs.field(converter=_finite_quantity, eq=_quantity_key)
    qualifier: Qualifier = attrs.field(default=Qualifier.EXACT, validator=instance_of(Qualifier))
    lower: pint.Quantity[float] | None = attrs.field(default=None, converter=_finite_quantity, eq=_quantity_key)
    upper: pint.Quantity[float] | None = attrs.field(default=None, converter=_finite_quantity, eq=_quantity_key)
    status: ObsStatus = attrs.field(default=ObsStatus.REPORTED, validator=instance_of(ObsStatus))
    resolution: float | None = attrs.field(default=None)
    # The unit, looked up once: pint builds a new Unit object on every ``.units`` access.
    _units: PlainUnit = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.lower is None and self.upper is None and self.value is not None:
            # Most figures: one value, no bounds. Only a range needs bounds, and nothing needs ordering.
            object.__setattr__(self, "_units", units_of(self.value))
            if self.qualifier is Qualifier.RANGE:
                self._check_qualifier()
        else:
            self._check_parts()
        if self.resolution is not None:
            # Stored as a float, as magnitudes are: an int resolution would be written "1" and read back as 1.0.
            object.__setattr__(self, "resolution", checked_float("resolution", self.resolution, "positive"))

    def _check_parts(self) -> None:
        present = [q for q in (self.value, self.lower, self.upper) if q is not None]
        if not present:
            raise ValidationError("value", None, "a measure needs a value or bounds")
        first = units_of(present[0])
        object.__setattr__(self, "_units", first)
        for other in present[1:]:
            if units_of(other) != first:
                raise ValidationError(
                    "upper" if other is self.upper else "lower",
                    other,
                    f"must be in the same unit as the rest of the measure ({format_unit(first)})",
                )
        self._check_qualifier()
        self._check_order()

    def _check_qualifier(self) -> None:
        if self.value is None and self.qualifier is not Qualifier.RANGE:
            raise ValidationError("value", None, f"a {self.qualifier.value} measure needs a value")
        if self.qualifier is Qualifier.RANGE and (self.lower is None or self.upper is None):
            raise ValidationError("qualifier", self.qualifier.value, "a range needs both lower and upper bounds")
        if self.qualifier is Qualifier.EXACT and (self.lower is not None or self.upper is not None):
            raise ValidationError(
                "qualifier", self.qualifier.value, "an exact figure is its own bounds; use approximate or range"
            )
        if self.qualifier in _BOUNDED and (self.lower is not None or self.upper is not None):
            raise ValidationError(
                "qualifier", self.qualifier.value, "a one-sided bound is its value; leave lower and upper empty"
            )

    def _check_order(self) -> None:
        if self.lower is not None and self.upper is not None and self.lower.magnitude > self.upper.magnitude:
            raise ValidationError("lower", self.lower, f"is above the upper bound {self.upper}")
        if self.value is not None:
            if self.lower is not None and self.value.magnitude < self.lower.magnitude:
                raise ValidationError("value", self.value, f"is below the lower bound {self.lower}")
            if self.upper is not None and self.value.magnitude > self.upper.magnitude:
                raise ValidationError("value", self.value, f"is above the upper bound {self.upper}")

    @property
    def units(self) -> PlainUnit:
        """The unit the measure is stated in."""
        return self._units

    @property
    def dimensionality(self) -> UnitsContainer:
        """The dimensions of the measure's unit (``[mass]``, ``[currency_USD]`` …)."""
        return _dimensionality(self._units)

    @property
    def _any(self) -> pint.Quantity[float]:
        for candidate in (self.value, self.lower, self.upper):
            if candidate is not None:
                return candidate
        raise AssertionError("unreachable: validated on construction")  # pragma: no cover

    @property
    def is_exact(self) -> bool:
        """True for a figure stated without qualifier."""
        return self.qualifier is Qualifier.EXACT

    @property
    def bounds(self) -> tuple[pint.Quantity[float] | None, pint.Quantity[float] | None]:
        """The interval the true value lies in; None where it is open.

        An exact figure is its own bounds; an approximate one is bounded only
        where ``lower``/``upper`` were given. Strict bounds ("less than") are
        reported as their limit. This is :meth:`Interval.stated` in the
        measure's unit.
        """
        stated = Interval.stated(self)
        return self._end(stated.low), self._end(stated.high)

    def _end(self, magnitude: float) -> pint.Quantity[float] | None:
        return None if math.isinf(magnitude) else ureg.Quantity(magnitude, self._units)

    @property
    def coarsest_resolution(self) -> float | None:
        """The coarsest resolution the written figure allows, as trailing zeros of a whole number may be rounding.

        "830,000 tons" states every digit (:attr:`resolution` 1 t), but its
        zeros may as well be rounding to the ten thousand: the text does not
        say. So a whole number of steps that ends in zeros is read here as
        stated to its last non-zero digit (10,000 t for "830,000", 10 million
        for "US$80 million", 10 for "60%"), and a figure with a digit after
        its last zero keeps its resolution ("34,716", "172.3 million",
        "US$1 billion"). None when the resolution is unknown. The checker uses
        this, the widest honest reading, so that rounding never raises a false
        alarm; :attr:`resolution` keeps what was written.

        >>> from nkru.units import quantity
        >>> Measure(quantity(830_000, "t"), resolution=1).coarsest_resolution
        10000.0
        >>> Measure(quantity(34_716, "t"), resolution=1).coarsest_resolution
        1.0
        """
        resolution = self.resolution
        if resolution is None or self.value is None:
            return resolution
        steps = abs(float(self.value.magnitude)) / resolution
        whole = round(steps)
        if whole == 0 or not math.isclose(steps, whole, rel_tol=1e-9):
            return resolution
        zeros = len(str(whole)) - len(str(whole).rstrip("0"))
        return float(resolution * 10**zeros)

    @property
    def point(self) -> pint.Quantity[float]:
        """A single figure to compute with, the value or a range's midpoint."""
        if self.value is not None:
            return self.value
        low, high = self.lower, self.upper
        if low is None or high is None:  # pragma: no cover - validated on construction
            raise AssertionError("unreachable")
        return ureg.Quantity((low.magnitude + high.magnitude) / 2, low.units)

    def to(self, target: str | PlainUnit) -> Measure:
        """Return the same measure in another unit (exact decimal factors).

        Raises:
            UnitMismatchError: the unit is of another kind (or currency).
        """
        converted = [None if q is None else to_unit(q, target) for q in (self.value, self.lower, self.upper)]
        factor = None
        if self.resolution is not None:
            factor = float(to_unit(ureg.Quantity(self.resolution, self.units), target).magnitude)
        return attrs.evolve(self, value=converted[0], lower=converted[1], upper=converted[2], resolution=factor)

    def rescaled(
        self,
        scale: Callable[[float], float],
        units: PlainUnit | None = None,
        *,
        field: str,
        target: str | None = None,
        **changes: Any,
    ) -> Measure:
        """Return the measure with its value, bounds and resolution each passed through ``scale``.

        For a change of scale (a currency conversion, a price deflator, a part
        of a year scaled to the whole): every end of the interval and the place
        value of the last digit move alike, so the qualifier stays true.

        Args:
            scale: The change of scale, applied to each magnitude.
            units: The unit of the result; the measure's own by default.
            field: The name the error gives the measure (``"amount"``).
            target: What the result is in, for the error (the units' text by default).
            **changes: Other fields of the result (a new ``status``, say).

        Raises:
            ValidationError: a scaled end (or resolution) is past the largest
                float; the message names ``field`` and ``target``.

        >>> from nkru.units import quantity, unit
        >>> m = Measure(quantity(10, "t"), Qualifier.APPROXIMATE, quantity(9, "t"), quantity(11, "t"), resolution=1)
        >>> doubled = m.rescaled(lambda x: x * 2, unit("kg"), field="measure")
        >>> doubled.lower, doubled.upper, doubled.resolution
        (<Quantity(18.0, 'kilogram')>, <Quantity(22.0, 'kilogram')>, 2.0)
        >>> try:
        ...     m.rescaled(lambda x: x * 1e308, field="measure", target="big tonnes")
        ... except ValidationError as exc:
        ...     print(exc.field, exc.reason)
        measure is too large to express in big tonnes
        """
        new_units = self.units if units is None else units
        shown = format_unit(new_units) if target is None else target

        def scaled(magnitude: float) -> float:
            return float(scaled_magnitude(magnitude, scale, field=field, given=self, target=shown))

        def one(value: pint.Quantity[Any] | None) -> pint.Quantity[Any] | None:
            return None if value is None else ureg.Quantity(scaled(value.magnitude), new_units)

        resolution = None if self.resolution is None else scaled(self.resolution)
        return attrs.evolve(
            self,
            value=one(self.value),
            lower=one(self.lower),
            upper=one(self.upper),
            resolution=resolution,
            **changes,
        )


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
    """The values a qualified figure stands for: an interval with its best single value.

    "About 60%", "no more than 890 tons", "200–300 tons" and "172.3 million"
    each mean a set of values, not one number. This is the one type for that
    set, built from a :class:`Measure` in two ways for two uses:

    - :meth:`stated` is what the words say and no more, for **aggregation**
      (:mod:`nkru.aggregate`): an exact figure is itself, "no more than 890"
      is open below, "about 60" without bounds is open on both sides.
      Aggregation adds these ends figure by figure (a sum of "at most" figures
      is at most their sum; one figure open on a side leaves the sum open on
      it) and turns the result back into a Measure whose qualifier says the
      same thing, so a total never claims more precision than its parts.
    - :meth:`allowed` is every value the text could honestly mean, for the
      **checker** (:func:`nkru.check`): an exact figure is anything that
      rounds to it (half its resolution either side), "about" is ±
      :data:`APPROXIMATE` unless bounded, "no more than" starts at a floor (0
      for sizes). The checker propagates these tolerance bands through sums,
      differences and quotients (``+``, ``-``, :meth:`divide`) and calls two
      figures consistent when their bands :meth:`overlap <overlaps>`, with a
      relative slack of 1e-9 so float noise never decides a verdict.

    Unbounded ends are infinite, never None, so the arithmetic needs no
    special cases. :attr:`Measure.bounds` is :meth:`stated` in the
    measure's unit, with None for an open end.

    Args:
        low: Lowest value (``-inf`` when unbounded below).
        high: Highest value (``inf`` when unbounded above).
        point: The best single value: the figure itself (a range's midpoint
            when it has no figure), or None when only a bound is known.
        low_open: True when ``low`` itself is excluded ("more than").
        high_open: True when ``high`` itself is excluded ("less than").

    >>> from nkru.units import quantity
    >>> new = Interval.allowed(Measure(quantity(172.3e6, "USD"), resolution=1e5))
    >>> old = Interval.allowed(Measure(quantity(105e6, "USD"), resolution=1e6))
    >>> change = new.divide(old).affine(100, -100)
    >>> round(change.low, 2), round(change.point, 2), round(change.high, 2)
    (63.27, 64.1, 64.93)
    >>> Interval.stated(Measure(quantity(890, "t"), Qualifier.AT_MOST))
    Interval(low=-inf, high=890.0, point=890.0, low_open=False, high_open=False)
    >>> Interval.allowed(Measure(quantity(890, "t"), Qualifier.AT_MOST))
    Interval(low=0.0, high=890.0, point=None, low_open=False, high_open=False)
    """

    low: float
    high: float
    point: float | None = None
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def of_figure(cls, qualifier: Qualifier, value: float | None, lower: float | None, upper: float | None) -> Interval:
        """The interval a figure states, from its qualifier and magnitudes (those of a valid :class:`Measure`).

        For callers that hold magnitudes already converted (aggregation's
        running sums); :meth:`stated` is the same for a Measure.

        >>> Interval.of_figure(Qualifier.MORE_THAN, 5.0, None, None)
        Interval(low=5.0, high=inf, point=5.0, low_open=True, high_open=False)
        """
        if value is None:
            if lower is None or upper is None:  # pragma: no cover - a Measure without a value is a range
                raise AssertionError("unreachable: a measure has a value or both bounds")
            point = (lower + upper) / 2
        else:
            point = value
        if qualifier is Qualifier.EXACT:
            return cls(point, point, point)
        if qualifier in _UPPER_ONLY:
            return cls(-_INF, point, point, high_open=qualifier is Qualifier.LESS_THAN)
        if qualifier in _LOWER_ONLY:
            return cls(point, _INF, point, low_open=qualifier is Qualifier.MORE_THAN)
        return cls(-_INF if lower is None else lower, _INF if upper is None else upper, point)

    @classmethod
    def stated(cls, measure: Measure) -> Interval:
        """What the figure's words say: its bounds, open where the text gives none (aggregation's use).

        >>> from nkru.units import quantity
        >>> Interval.stated(Measure(quantity(60, "percent"), Qualifier.APPROXIMATE))
        Interval(low=-inf, high=inf, point=60.0, low_open=False, high_open=False)
        """
        return cls.of_figure(
            measure.qualifier, _magnitude(measure.value), _magnitude(measure.lower), _magnitude(measure.upper)
        )

    @classmethod
    def allowed(cls, measure: Measure, *, approximate: float = APPROXIMATE, floor: float = 0.0) -> Interval:
        """Every value the figure could mean, rounding and "about" included (the checker's use).

        Args:
            measure: The stated figure.
            approximate: Relative half-width of an "about" figure without bounds.
            floor: Lowest value an "at most" figure allows: 0 for amounts, tonnages,
                counts and shares, ``-inf`` for a change that may be negative.

        The rules, on the :meth:`stated` interval:

        - exact: the value ± half its resolution, or the value alone when the
          resolution is unknown. The resolution is the coarsest the written
          figure allows (:attr:`Measure.coarsest_resolution`): trailing zeros of
          a whole number may be rounding, so "830,000 tons" is 825,000 to 835,000;
        - approximate: its bounds where given, else the value ± the larger of
          ``approximate`` × value and half the resolution;
        - range: its bounds;
        - at most / less than: from ``floor`` (or the value, if lower) to the value;
        - at least / more than: from the value up, unbounded;
        - a one-sided bound has no point: it says nothing of where below (or above) it the value is.

        >>> from nkru.units import quantity
        >>> Interval.allowed(Measure(quantity(64, "percent"), resolution=1.0))
        Interval(low=63.5, high=64.5, point=64.0, low_open=False, high_open=False)
        >>> Interval.allowed(Measure(quantity(50, "item"), Qualifier.LESS_THAN)).high_open
        True
        """
        stated = cls.stated(measure)
        point = stated.point
        if point is None:  # pragma: no cover - a stated interval always has a point
            raise AssertionError("unreachable")
        qualifier = measure.qualifier
        resolution = measure.coarsest_resolution
        half = 0.0 if resolution is None else resolution / 2
        if qualifier is Qualifier.EXACT:
            return cls(point - half, point + half, point)
        if qualifier in _UPPER_ONLY:
            return attrs.evolve(stated, low=min(floor, point), point=None)
        if qualifier in _LOWER_ONLY:
            return attrs.evolve(stated, point=None)
        if qualifier is Qualifier.APPROXIMATE:
            spread = max(abs(point) * approximate, half)
            low = stated.low if math.isfinite(stated.low) else point - spread
            high = stated.high if math.isfinite(stated.high) else point + spread
            return cls(low, high, point)
        return stated

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


def _magnitude(value: pint.Quantity[Any] | None) -> float | None:
    return None if value is None else float(value.magnitude)

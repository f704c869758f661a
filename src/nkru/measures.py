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
from typing import Any

import attrs
import pint
from pint.facets.plain import PlainUnit
from pint.util import UnitsContainer

from nkru._core.numbers import checked_float, float_or_problem
from nkru._core.quantities import make_quantity, units_of
from nkru._core.text import instance_of
from nkru.errors import ValidationError
from nkru.units import format_unit, to_unit, ureg

__all__ = ["Measure", "ObsStatus", "Qualifier"]


class Qualifier(enum.Enum):
    """How a stated figure relates to the true value."""

    EXACT = "exact"
    """Stated without qualification ("830,000 tons")."""
    APPROXIMATE = "approximate"
    """"about", "some", "around", "roughly"."""
    AT_MOST = "at_most"
    """"no more than", "up to", "at most": the true value is ≤ the figure."""
    LESS_THAN = "less_than"
    """"less than", "under", "fewer than": the true value is < the figure."""
    AT_LEAST = "at_least"
    """"at least", "no less than": the true value is ≥ the figure."""
    MORE_THAN = "more_than"
    """"more than", "over": the true value is > the figure."""
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
        reported as their limit.
        """
        if self.qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN):
            return (None, self.value)
        if self.qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
            return (self.value, None)
        if self.qualifier is Qualifier.EXACT:
            return (self.value, self.value)
        return (self.lower, self.upper)

    @property
    def point(self) -> pint.Quantity[float]:
        """A single figure to compute with: the value, or a range's midpoint."""
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

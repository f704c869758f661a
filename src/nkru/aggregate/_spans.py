"""The interval arithmetic behind :mod:`nkru.aggregate`: sums and ratios of bounded figures.

Private: :mod:`nkru.aggregate` is the public face, and its module docstring
states the rules implemented here (how qualifiers and statuses combine).
Each measure becomes a :class:`Span`, an interval of possible true values
with flags for what the text said; spans are added or divided end by end,
and :func:`to_measure` turns the result back into a Measure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import Any, Final

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru.errors import ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.units import ureg

__all__ = ["Span", "SpanSum", "combined_status", "divide_spans", "span_of", "to_measure"]

#: Weakest first: the first of these among the inputs is the result's status.
_STATUS_ORDER: Final = (ObsStatus.FORECAST, ObsStatus.ESTIMATED, ObsStatus.IMPUTED, ObsStatus.PROVISIONAL)


@attrs.frozen
class Span:
    """A measure's magnitudes as an interval of possible true values."""

    value: float | None
    point: float
    low: float | None
    high: float | None
    low_strict: bool = False
    high_strict: bool = False
    approximate: bool = False
    exact: bool = False
    #: Some input was bounded above only / below only (rule 0 of nkru.aggregate's docs).
    upper_only: bool = False
    lower_only: bool = False


_UPPER_ONLY: Final = frozenset({Qualifier.AT_MOST, Qualifier.LESS_THAN})
_LOWER_ONLY: Final = frozenset({Qualifier.AT_LEAST, Qualifier.MORE_THAN})


def _span(
    value: float | None, point: float, low: float | None, high: float | None, seen: AbstractSet[Qualifier]
) -> Span:
    """The interval with these ends, flagged by the qualifiers of the figures it came from."""
    return Span(
        value,
        point,
        low,
        high,
        low_strict=Qualifier.MORE_THAN in seen,
        high_strict=Qualifier.LESS_THAN in seen,
        approximate=Qualifier.APPROXIMATE in seen,
        exact=seen <= {Qualifier.EXACT},
        upper_only=not seen.isdisjoint(_UPPER_ONLY),
        lower_only=not seen.isdisjoint(_LOWER_ONLY),
    )


def _point(value: float | None, lower: float | None, upper: float | None) -> float:
    """A single figure to compute with, as :attr:`Measure.point`: the value, or a range's midpoint."""
    if value is not None:
        return value
    if lower is None or upper is None:  # pragma: no cover - a Measure without a value is a range
        raise AssertionError("unreachable: a measure has a value or both bounds")
    return (lower + upper) / 2


def _ends(
    qualifier: Qualifier, value: float | None, lower: float | None, upper: float | None
) -> tuple[float | None, float | None]:
    """The lower and upper end of the interval a figure stands for (None where it is open)."""
    if qualifier is Qualifier.EXACT:
        return value, value
    if qualifier in _UPPER_ONLY:
        return None, value
    if qualifier in _LOWER_ONLY:
        return value, None
    return lower, upper


def span_of(measure: Measure) -> Span:
    """Return the interval a measure stands for."""

    def mag(q: pint.Quantity[Any] | None) -> float | None:
        return None if q is None else float(q.magnitude)

    value, lower, upper = mag(measure.value), mag(measure.lower), mag(measure.upper)
    low, high = _ends(measure.qualifier, value, lower, upper)
    return _span(value, _point(value, lower, upper), low, high, {measure.qualifier})


class SpanSum:
    """A running sum of intervals, added end by end in the order given (the order the columnar engine sums in).

    Figures are added as magnitudes, so a caller converting units can hand
    over converted numbers without building a Measure for each.
    """

    __slots__ = ("_high", "_low", "_point", "_seen", "_value")

    def __init__(self) -> None:
        self._value: float | None = 0.0
        self._point = 0.0
        self._low: float | None = 0.0
        self._high: float | None = 0.0
        self._seen: set[Qualifier] = set()

    def add(self, qualifier: Qualifier, value: float | None, lower: float | None, upper: float | None) -> None:
        """Add a figure given by its qualifier and magnitudes (those of a valid Measure)."""
        low, high = _ends(qualifier, value, lower, upper)
        self._point += _point(value, lower, upper)
        self._value = None if self._value is None or value is None else self._value + value
        self._low = None if self._low is None or low is None else self._low + low
        self._high = None if self._high is None or high is None else self._high + high
        self._seen.add(qualifier)

    def span(self) -> Span:
        """The sum so far."""
        return _span(self._value, self._point, self._low, self._high, self._seen)


def divide_spans(top: Span, bottom: Span, after: Callable[[float], float]) -> Span:
    """Return ``after(top / bottom)`` end by end, for non-negative spans and an increasing ``after``."""

    def divide(upper: float | None, lower: float | None) -> float | None:
        if upper is None or lower is None or lower <= 0:
            return None
        return after(upper / lower)

    return Span(
        value=divide(top.value, bottom.value),
        point=after(top.point / bottom.point),
        low=divide(top.low, bottom.high),
        high=divide(top.high, bottom.low),
        low_strict=top.low_strict or bottom.high_strict,
        high_strict=top.high_strict or bottom.low_strict,
        approximate=top.approximate or bottom.approximate,
        exact=top.exact and bottom.exact,
        upper_only=top.upper_only or bottom.lower_only,
        lower_only=top.lower_only or bottom.upper_only,
    )


def combined_status(statuses: Iterable[ObsStatus]) -> ObsStatus:
    """Return the status of a figure computed from figures of these statuses."""
    present = set(statuses)
    for status in _STATUS_ORDER:
        if status in present:
            return status
    return ObsStatus.DERIVED


def to_measure(span: Span, units: PlainUnit, status: ObsStatus, resolution: float | None, what: str) -> Measure:
    """Turn an interval back into a Measure, choosing the qualifier by nkru.aggregate's rules.

    Raises:
        ValidationError: the span is bounded above only by one input and below
            only by another (``what`` names the inputs).
    """

    def q(magnitude: float | None) -> pint.Quantity[Any] | None:
        return None if magnitude is None else ureg.Quantity(magnitude, units)

    if span.upper_only and span.lower_only:
        raise ValidationError(
            what, "an upper bound and a lower bound", "combining them leaves the result unbounded on both sides"
        )
    for end in (span.point, span.value, span.low, span.high):
        if end is not None and not math.isfinite(end):  # a Measure would refuse it, naming no input
            raise ValidationError(what, end, "give a result too large for a float")
    if span.exact:
        return Measure(q(span.point), Qualifier.EXACT, status=status, resolution=resolution)
    if span.approximate:
        return Measure(q(span.point), Qualifier.APPROXIMATE, q(span.low), q(span.high), status, resolution)
    if span.low is not None and span.high is not None:
        return Measure(q(span.value), Qualifier.RANGE, q(span.low), q(span.high), status, resolution)
    if span.high is not None:
        qualifier = Qualifier.LESS_THAN if span.high_strict else Qualifier.AT_MOST
        return Measure(q(span.high), qualifier, status=status, resolution=resolution)
    if span.low is not None:
        qualifier = Qualifier.MORE_THAN if span.low_strict else Qualifier.AT_LEAST
        return Measure(q(span.low), qualifier, status=status, resolution=resolution)
    raise AssertionError("unreachable: a span has a bound unless it is exact or approximate")  # pragma: no cover

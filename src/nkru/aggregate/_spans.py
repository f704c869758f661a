"""The interval arithmetic behind :mod:`nkru.aggregate`: sums and ratios of bounded figures.

Private: :mod:`nkru.aggregate` is the public face, and its module docstring
states the rules implemented here (how qualifiers and statuses combine).
Each measure becomes a :class:`Span`: the :class:`~nkru.measures.Interval`
its words state (:meth:`~nkru.measures.Interval.stated`; that type's
docstring says how this use differs from the checker's), with what the rules
need besides. Spans are added or divided end by end, and :func:`to_measure`
turns the result back into a Measure.
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
from nkru.measures import Interval, Measure, ObsStatus, Qualifier
from nkru.units import ureg

__all__ = ["Span", "SpanSum", "combined_status", "divide_spans", "span_of", "to_measure"]

#: Weakest first: the first of these among the inputs is the result's status.
_STATUS_ORDER: Final = (ObsStatus.FORECAST, ObsStatus.ESTIMATED, ObsStatus.IMPUTED, ObsStatus.PROVISIONAL)

_UPPER_ONLY: Final = frozenset({Qualifier.AT_MOST, Qualifier.LESS_THAN})
_LOWER_ONLY: Final = frozenset({Qualifier.AT_LEAST, Qualifier.MORE_THAN})


@attrs.frozen
class Span:
    """Figures combined: the interval their words state, and what nkru.aggregate's rules need besides.

    Args:
        ends: The stated interval, summed or divided end by end: infinite where
            open, its point the sum (or quotient) of the figures' points
            (:attr:`Measure.point <nkru.measures.Measure.point>`), its open
            ends where a "more than" or "less than" went in.
        value: The figures' stated values combined, or None if one had none (a range).
        approximate: Some input was "about".
        exact: Every input was exact.
        upper_only: Some input was bounded above only (rule 0 of nkru.aggregate's docs).
        lower_only: Some input was bounded below only.
        overflow: An end that went past the largest float (an open end is
            infinite too, so the sums record it), or None.
    """

    ends: Interval
    value: float | None
    approximate: bool = False
    exact: bool = False
    upper_only: bool = False
    lower_only: bool = False
    overflow: float | None = None


def _span(ends: Interval, value: float | None, seen: AbstractSet[Qualifier], *, overflow: float | None = None) -> Span:
    """The span with these ends, flagged by the qualifiers of the figures it came from."""
    return Span(
        ends,
        value,
        approximate=Qualifier.APPROXIMATE in seen,
        exact=seen <= {Qualifier.EXACT},
        upper_only=not seen.isdisjoint(_UPPER_ONLY),
        lower_only=not seen.isdisjoint(_LOWER_ONLY),
        overflow=overflow,
    )


def span_of(measure: Measure) -> Span:
    """Return the interval a measure stands for."""
    value = None if measure.value is None else float(measure.value.magnitude)
    return _span(Interval.stated(measure), value, {measure.qualifier})


def _overflowed(total: float, left: float, right: float) -> bool:
    """True when two finite ends add up past the largest float (an infinite end is open, not overflowed)."""
    return math.isinf(total) and math.isfinite(left) and math.isfinite(right)


class SpanSum:
    """A running sum of intervals, added end by end in the order given (the order the columnar engine sums in).

    Figures are added as magnitudes, so a caller converting units can hand
    over converted numbers without building a Measure for each.
    """

    __slots__ = ("_ends", "_high_overflow", "_low_overflow", "_seen", "_value")

    def __init__(self) -> None:
        self._ends = Interval(0.0, 0.0, 0.0)
        self._value: float | None = 0.0
        self._seen: set[Qualifier] = set()
        self._low_overflow: float | None = None
        self._high_overflow: float | None = None

    def add(self, qualifier: Qualifier, value: float | None, lower: float | None, upper: float | None) -> None:
        """Add a figure given by its qualifier and magnitudes (those of a valid Measure)."""
        figure = Interval.of_figure(qualifier, value, lower, upper)
        total = self._ends + figure
        if self._low_overflow is None and _overflowed(total.low, self._ends.low, figure.low):
            self._low_overflow = total.low
        if self._high_overflow is None and _overflowed(total.high, self._ends.high, figure.high):
            self._high_overflow = total.high
        self._ends = total
        self._value = None if self._value is None or value is None else self._value + value
        self._seen.add(qualifier)

    def span(self) -> Span:
        """The sum so far."""
        overflow = self._high_overflow if self._low_overflow is None else self._low_overflow
        return _span(self._ends, self._value, self._seen, overflow=overflow)


def divide_spans(top: Span, bottom: Span, after: Callable[[float], float]) -> Span:
    """Return ``after(top / bottom)`` end by end, for non-negative spans and an increasing ``after``.

    An end is open where either end it comes from is open or the
    denominator's end may be 0: unlike :meth:`Interval.divide
    <nkru.measures.Interval.divide>` (the checker's), a ratio over an
    unbounded denominator is open below, not 0, so the result says no more
    than the words did.
    """
    overflows = [end for end in (top.overflow, bottom.overflow) if end is not None]

    def divide(upper: float, lower: float, unbounded: float) -> float:
        if math.isinf(upper) or math.isinf(lower) or lower <= 0:
            return unbounded
        result = after(upper / lower)
        if not math.isfinite(result):  # finite ends whose quotient went past the largest float
            overflows.append(result)
        return result

    low = divide(top.ends.low, bottom.ends.high, -math.inf)
    high = divide(top.ends.high, bottom.ends.low, math.inf)
    top_point, bottom_point = top.ends.point, bottom.ends.point
    if top_point is None or bottom_point is None:  # pragma: no cover - stated intervals always have a point
        raise AssertionError("unreachable")
    ends = Interval(
        low,
        high,
        after(top_point / bottom_point),
        low_open=top.ends.low_open or bottom.ends.high_open,
        high_open=top.ends.high_open or bottom.ends.low_open,
    )
    value = None
    if top.value is not None and bottom.value is not None and bottom.value > 0:
        value = after(top.value / bottom.value)
    return Span(
        ends,
        value,
        approximate=top.approximate or bottom.approximate,
        exact=top.exact and bottom.exact,
        upper_only=top.upper_only or bottom.lower_only,
        lower_only=top.lower_only or bottom.upper_only,
        overflow=overflows[0] if overflows else None,
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
            only by another, or a figure is too large for a float (``what``
            names the inputs).
    """

    def q(magnitude: float | None) -> pint.Quantity[Any] | None:
        return None if magnitude is None or math.isinf(magnitude) else ureg.Quantity(magnitude, units)

    if span.upper_only and span.lower_only:
        raise ValidationError(
            what, "an upper bound and a lower bound", "combining them leaves the result unbounded on both sides"
        )
    ends = span.ends
    point = _finite_point(span, what)
    low, high = math.isfinite(ends.low), math.isfinite(ends.high)
    if span.exact:
        return Measure(q(point), Qualifier.EXACT, status=status, resolution=resolution)
    if span.approximate:
        return Measure(q(point), Qualifier.APPROXIMATE, q(ends.low), q(ends.high), status, resolution)
    if low and high:
        return Measure(q(span.value), Qualifier.RANGE, q(ends.low), q(ends.high), status, resolution)
    if high:
        qualifier = Qualifier.LESS_THAN if ends.high_open else Qualifier.AT_MOST
        return Measure(q(ends.high), qualifier, status=status, resolution=resolution)
    if low:
        qualifier = Qualifier.MORE_THAN if ends.low_open else Qualifier.AT_LEAST
        return Measure(q(ends.low), qualifier, status=status, resolution=resolution)
    raise AssertionError("unreachable: a span has a bound unless it is exact or approximate")  # pragma: no cover


def _finite_point(span: Span, what: str) -> float:
    """The span's point, once its point, value and ends are known to fit in a float."""
    point = span.ends.point
    if point is None:  # pragma: no cover - stated intervals always have a point
        raise AssertionError("unreachable")
    for end in (point, span.value, span.overflow):
        if end is not None and not math.isfinite(end):  # a Measure would refuse it, naming no input
            raise ValidationError(what, end, "give a result too large for a float")
    return point

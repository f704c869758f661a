"""The interval arithmetic behind :mod:`nkru.aggregate`: sums and ratios of bounded figures.

Private: :mod:`nkru.aggregate` is the public face, and its module docstring
states the rules implemented here (how qualifiers and statuses combine).
Each measure becomes a :class:`Span`, an interval of possible true values
with flags for what the text said; spans are added or divided end by end,
and :func:`to_measure` turns the result back into a Measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru.errors import ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.units import ureg

__all__ = ["Span", "combined_status", "divide_spans", "span_of", "sum_spans", "to_measure"]

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


def span_of(measure: Measure) -> Span:
    """Return the interval a measure stands for."""

    def mag(q: pint.Quantity[Any] | None) -> float | None:
        return None if q is None else float(q.magnitude)

    value, point = mag(measure.value), float(measure.point.magnitude)
    qualifier = measure.qualifier
    if qualifier is Qualifier.EXACT:
        return Span(value, point, value, value, exact=True)
    if qualifier is Qualifier.AT_MOST:
        return Span(value, point, None, value, upper_only=True)
    if qualifier is Qualifier.LESS_THAN:
        return Span(value, point, None, value, high_strict=True, upper_only=True)
    if qualifier is Qualifier.AT_LEAST:
        return Span(value, point, value, None, lower_only=True)
    if qualifier is Qualifier.MORE_THAN:
        return Span(value, point, value, None, low_strict=True, lower_only=True)
    approximate = qualifier is Qualifier.APPROXIMATE
    return Span(value, point, mag(measure.lower), mag(measure.upper), approximate=approximate)


def sum_spans(spans: Sequence[Span]) -> Span:
    """Add intervals end by end, left to right (the order the columnar engine sums in)."""

    def add(parts: Iterable[float | None]) -> float | None:
        result = 0.0
        for part in parts:
            if part is None:
                return None
            result += part
        return result

    point = 0.0
    for span in spans:
        point += span.point
    return Span(
        value=add(s.value for s in spans),
        point=point,
        low=add(s.low for s in spans),
        high=add(s.high for s in spans),
        low_strict=any(s.low_strict for s in spans),
        high_strict=any(s.high_strict for s in spans),
        approximate=any(s.approximate for s in spans),
        exact=all(s.exact for s in spans),
        upper_only=any(s.upper_only for s in spans),
        lower_only=any(s.lower_only for s in spans),
    )


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

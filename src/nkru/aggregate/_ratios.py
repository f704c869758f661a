"""Ratios of two measures, bounds and qualifiers included: shares, percent changes and growth rates.

Private: :mod:`nkru.aggregate` is the public face. Each ratio divides the
intervals its measures stand for, end by end (:func:`nkru.aggregate._spans.divide_spans`),
and gives its result in percent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

import pint

from nkru._core.numbers import checked_float
from nkru.aggregate._spans import combined_status, divide_spans, span_of, to_measure
from nkru.aggregate._totals import as_measure
from nkru.errors import ValidationError
from nkru.measures import Measure
from nkru.units import unit

__all__ = ["cagr", "non_negative", "percent_change", "share"]


_PERCENT: Final = unit("percent")


def non_negative(measure: Measure, name: str) -> None:
    for bound in (measure.value, measure.lower, measure.upper):
        if bound is not None and bound.magnitude < 0:
            raise ValidationError(name, bound, "must not be negative (ratios are defined for sizes)")


def _ratio(
    numerator: Measure | pint.Quantity[Any],
    denominator: Measure | pint.Quantity[Any],
    names: tuple[str, str],
    after: Callable[[float], float],
) -> Measure:
    """``after(numerator / denominator)`` in percent, for an increasing ``after``, bounds included."""
    num, den = as_measure(numerator, names[0]), as_measure(denominator, names[1])
    non_negative(num, names[0])
    non_negative(den, names[1])
    if num.units != den.units:
        num = num.to(den.units)
    if den.point.magnitude <= 0:
        raise ValidationError(names[1], den.point, "must be positive")
    try:
        span = divide_spans(span_of(num), span_of(den), after)
    except OverflowError:  # float ** float raises where float * float gives inf (cagr over 1e-10 years)
        raise ValidationError(
            f"{names[0]}, {names[1]}", (num.point, den.point), "give a result too large for a float"
        ) from None
    return to_measure(span, _PERCENT, combined_status((num.status, den.status)), None, f"{names[0]}, {names[1]}")


def share(part: Measure | pint.Quantity[Any], whole: Measure | pint.Quantity[Any]) -> Measure:
    """Return ``part`` as a percentage of ``whole``, bounds and qualifiers included.

    Both must be non-negative and of one kind (one currency, or RUR and RUB);
    ``whole`` must be positive.

    Raises:
        CurrencyMismatchError: two currencies.
        UnitMismatchError: quantities of different kinds.
        ValidationError: a negative amount or a whole of zero.

    >>> from nkru.measures import Qualifier
    >>> from nkru.units import money
    >>> share(money(1.5, "USD"), money(6, "USD")).value
    <Quantity(25.0, 'percent')>
    >>> m = share(Measure(money(1.5, "USD"), Qualifier.AT_MOST), money(6, "USD"))
    >>> m.qualifier.value, m.value.magnitude
    ('at_most', 25.0)
    """
    return _ratio(part, whole, ("part", "whole"), lambda ratio: ratio * 100.0)


def percent_change(before: Measure | pint.Quantity[Any], after: Measure | pint.Quantity[Any]) -> Measure:
    """Return the change from ``before`` to ``after`` in percent, bounds and qualifiers included.

    Raises:
        CurrencyMismatchError: two currencies.
        UnitMismatchError: quantities of different kinds.
        ValidationError: a negative amount or ``before`` of zero.

    >>> from nkru.units import money
    >>> percent_change(money(80, "USD"), money(100, "USD")).value
    <Quantity(25.0, 'percent')>
    """
    return _ratio(after, before, ("after", "before"), lambda ratio: (ratio - 1.0) * 100.0)


def cagr(first: Measure | pint.Quantity[Any], last: Measure | pint.Quantity[Any], years: float) -> Measure:
    """Return the compound annual growth rate from ``first`` to ``last`` over ``years``, in percent.

    ``((last / first) ** (1 / years) - 1) * 100``, bounds and qualifiers included.

    Raises:
        CurrencyMismatchError: two currencies.
        UnitMismatchError: quantities of different kinds.
        ValidationError: ``years`` is not a positive finite number, an amount
            is negative, or ``first`` is zero.

    >>> from nkru.units import money
    >>> round(cagr(money(100, "USD"), money(121, "USD"), 2).value.magnitude, 10)
    10.0
    """
    exponent = 1.0 / checked_float("years", years, "positive")
    if math.isinf(exponent):
        raise ValidationError("years", years, "is too small: 1 / years is past the largest float")
    return _ratio(last, first, ("last", "first"), lambda ratio: (ratio**exponent - 1.0) * 100.0)

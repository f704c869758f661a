"""Numbers handed to nkru by code it does not control: one check, used by every field that takes one.

A rate, a price-index value, a resolution, a tolerance, a span of years and a
magnitude all want "a real number that a float holds, finite, perhaps
positive". Python's own tools each miss a case: ``float(True)`` is ``1.0``,
``float(10**400)`` and ``math.isfinite(10**400)`` raise :class:`OverflowError`,
and ``float("nan")`` reads text nkru's table grammar refuses. Each of those
fields used to carry its own copy of the checks, and one let ``OverflowError``
out; this module is the one copy.
"""

from __future__ import annotations

import math
import numbers
from typing import Literal

import numpy as np

from nkru._tables import parse_number
from nkru.errors import ValidationError

__all__ = ["Sign", "checked_float", "float_or_problem", "is_real", "positive_float"]

Sign = Literal["any", "positive", "non-negative"]
"""Which floats a field takes besides finiteness: any, only those above 0, or 0 and above."""


def is_real(value: object) -> bool:
    """Tell whether ``value`` is a real number: a :class:`numbers.Real` but a bool or a numpy timedelta.

    numpy registers ``timedelta64`` as an integer type, and Python counts bools as ints.

    >>> import numpy as np
    >>> is_real(np.int64(3)), is_real(True), is_real(np.timedelta64(5, "D"))
    (True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.timedelta64))


def float_or_problem(value: object, sign: Sign = "any") -> float | str:
    """Return ``value`` as a float, or what is wrong with it (a phrase for an error message).

    Any :class:`numbers.Real` but a bool is a number (numpy's scalars and
    :class:`fractions.Fraction` included; :class:`decimal.Decimal` is not one).

    >>> float_or_problem(7), float_or_problem(True), float_or_problem(10**400)
    (7.0, 'must be a number', 'is too large for a float')
    >>> float_or_problem(float("nan")), float_or_problem(0, "positive")
    ('must be finite (not nan or infinity)', 'must be positive')
    """
    if not is_real(value):
        return "must be a number"
    try:
        number = float(value)  # type: ignore[arg-type]  # is_real checked it
    except OverflowError:  # an int or Fraction past the largest float
        return "is too large for a float"
    except (TypeError, ValueError):  # a Real subclass whose __float__ fails
        return "must be a number"
    if not math.isfinite(number):
        return "must be finite (not nan or infinity)"
    if sign == "positive" and number <= 0.0:
        return "must be positive"
    if sign == "non-negative" and number < 0.0:
        return "must be 0 or more"
    return number


def checked_float(field: str, value: object, sign: Sign = "any") -> float:
    """Return ``value`` as a float, or raise :class:`~nkru.errors.ValidationError` naming ``field``.

    >>> checked_float("years", 2)
    2.0
    >>> checked_float("years", -1, "positive")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: years: must be positive (got -1)
    """
    result = float_or_problem(value, sign)
    if isinstance(result, str):
        raise ValidationError(field, value, result)
    return result


def positive_float(field: str, value: object) -> float:
    """Return a positive finite number given as a number or as a table's text, as a float.

    Text is read by the tables' number grammar (``"28.28"``, ``"1e-05"``; not
    ``"nan"`` or ``"1_000"``), so a value means the same from a file as from code.

    >>> positive_float("rate", "28.28"), positive_float("rate", 31)
    (28.28, 31.0)
    """
    if isinstance(value, str):
        parsed = parse_number(value)
        if isinstance(parsed, str):
            raise ValidationError(field, value, parsed)
        return parsed
    return checked_float(field, value, "positive")

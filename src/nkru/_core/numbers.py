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
import re
from collections.abc import Callable
from typing import Any, Final, Literal, TypeGuard

import numpy as np

from nkru._core.text import shown
from nkru.errors import ValidationError

__all__ = [
    "Sign",
    "checked_float",
    "float_or_problem",
    "is_integer",
    "is_real",
    "parse_number",
    "positive_float",
    "scaled_magnitude",
    "underflows",
]

_MAX_NUMBER_TEXT: Final = 40
_NUMBER: Final = re.compile(r"\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?\Z")
_NONZERO_DIGIT: Final = re.compile(r"[1-9]")

Sign = Literal["any", "positive", "non-negative"]
"""Which floats a field takes besides finiteness (any, only those above 0, or 0 and above)."""


def is_real(value: object) -> TypeGuard[numbers.Real]:
    """Tell whether ``value`` is a real number: a :class:`numbers.Real` but a bool or a numpy timedelta.

    numpy registers ``timedelta64`` as an integer type, and Python counts bools as ints.

    >>> import numpy as np
    >>> is_real(np.int64(3)), is_real(True), is_real(np.timedelta64(5, "D"))
    (True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.timedelta64))


def is_integer(value: object) -> TypeGuard[numbers.Integral]:
    """Tell whether ``value`` is an integer (a year, say): a :class:`numbers.Integral` but a bool or a numpy timedelta.

    >>> import numpy as np
    >>> is_integer(np.int16(2005)), is_integer(True), is_integer(np.timedelta64(2005, "D"))
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.timedelta64))


def underflows(text: str, value: float) -> bool:
    """Tell whether the decimal ``text`` names a number that is not 0 but reads as the float ``value`` 0.

    >>> underflows("1e-400", 0.0), underflows("0.0e-400", 0.0), underflows("5e-324", 5e-324)
    (True, False, False)
    """
    return value == 0.0 and _NONZERO_DIGIT.search(text.partition("e")[0].partition("E")[0]) is not None


def float_or_problem(value: object, sign: Sign = "any") -> float | str:
    """Return ``value`` as a float, or what is wrong with it (a phrase for an error message).

    Any :class:`numbers.Real` but a bool is a number (numpy's scalars and
    :class:`fractions.Fraction` included; :class:`decimal.Decimal` is not one).

    >>> float_or_problem(7), float_or_problem(True), float_or_problem(10**400)
    (7.0, 'must be a number', 'is too large for a float')
    >>> float_or_problem(float("nan")), float_or_problem(0, "positive")
    ('must be finite (not nan or infinity)', 'must be positive')
    """
    if type(value) is float:  # the common case, without the ABC check of is_real
        number = value
    elif not is_real(value):
        return "must be a number"
    else:
        try:
            number = float(value)
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


def parse_number(text: str) -> float | str:
    """Read a positive finite decimal number; return the float, or the reason it is not one.

    The grammar is digits with an optional fraction and exponent (``28.28``,
    ``1e-05``). It rejects what :func:`float` would let through: ``nan``,
    ``inf``, ``1_000``, signs other than ``+``, and text longer than 40
    characters.
    """
    stripped = text.strip()
    if not stripped:
        return "is empty"
    if len(stripped) > _MAX_NUMBER_TEXT:
        return f"is not a number: {shown(stripped)} is longer than {_MAX_NUMBER_TEXT} characters"
    if _NUMBER.match(stripped) is None:
        lowered = stripped.lower().lstrip("+-")
        if lowered in ("nan", "inf", "infinity"):
            return f"must be a finite number, not {stripped!r}"
        if stripped.startswith("-") and _NUMBER.match(stripped[1:]) is not None:
            return f"must be positive (got {stripped})"
        return f"is not a number: {shown(stripped)}"
    value = float(stripped)
    if not math.isfinite(value):
        return f"is too large: {stripped}"
    if underflows(stripped, value):
        return f"is too small for a float: {stripped} would be read as 0"
    if value <= 0.0:
        return f"must be positive (got {stripped})"
    return value


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


def scaled_magnitude(magnitude: Any, scale: Callable[[Any], Any], *, field: str, given: object, target: str) -> Any:
    """Return ``scale(magnitude)`` for a real number or a numeric array, refusing what no float holds.

    The one check of a conversion's result (units, currencies, constant
    dollars): the magnitude must be finite and no float too large for one, and
    so must the result; ``field``, ``given`` and ``target`` word the
    :class:`~nkru.errors.ValidationError`.

    >>> scaled_magnitude(2, lambda x: x * 1000.0, field="value", given="2 t", target="kg")
    2000.0
    >>> scaled_magnitude(1e308, lambda x: x * 1000.0, field="value", given="1e308 t", target="kg")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: value: is too large to express in kg (got '1e308 t')
    """
    if isinstance(magnitude, np.ndarray):
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, with nkru's error
            result = scale(magnitude)
        if not np.isfinite(magnitude).all():
            raise ValidationError(field, given, "must be finite (not nan or infinity)")
        finite = bool(np.isfinite(result).all())
    else:
        number = float_or_problem(magnitude)
        if isinstance(number, str):
            raise ValidationError(field, given, number)
        try:
            result = scale(number)
        except OverflowError:  # float ** float raises where float * float gives inf
            finite = False
        else:
            finite = math.isfinite(result)
    if not finite:
        raise ValidationError(field, given, f"is too large to express in {target}")
    return result

"""The one rule nkru converts numbers by: divide by an exact number, then multiply by another.

Dividing by 1000 is exact where multiplying by 0.001 is not (0.001 has no
exact binary form), so ``4.5e9`` RUR is exactly ``4.5e6`` RUB and 1 kg exactly
0.001 t. :meth:`ExactFactor.of` picks division for a ratio whose inverse is a
whole number; :meth:`ExactFactor.apply` applies the factor the same way to a
float and to a numpy array, so a columnar table and a record give the same
bits. A currency conversion through a base currency is the same rule with two
numbers: divide by the source's rate per base, multiply by the target's.

>>> ExactFactor.of(0.001)
ExactFactor(divisor=1000.0, multiplier=None)
>>> ExactFactor.of(0.001).apply(4.5e9)
4500000.0
>>> import numpy as np
>>> ExactFactor(divisor=2.0, multiplier=3.0).apply(np.array([1.0, 4.0]))
array([1.5, 6. ])
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["ExactFactor", "Factor"]

#: What a factor's numbers may be: one number, or one per row of a column.
Factor = float | npt.NDArray[np.float64]

_Values = TypeVar("_Values")

#: Whole numbers up to this are exact in a float, so dividing by one loses nothing.
_EXACT_INTEGERS = 2.0**53


@attrs.frozen
class ExactFactor:
    """Divide by ``divisor``, then multiply by ``multiplier``; a None step is skipped (not done with 1).

    Attributes:
        divisor: What to divide by first, or None.
        multiplier: What to multiply by then, or None.
    """

    divisor: Factor | None = None
    multiplier: Factor | None = None

    @classmethod
    def of(cls, ratio: float) -> ExactFactor:
        """The exact way to multiply by ``ratio``: divide by its inverse if that is a whole number below 2**53.

        >>> ExactFactor.of(1000.0), ExactFactor.of(0.25)
        (ExactFactor(divisor=None, multiplier=1000.0), ExactFactor(divisor=4.0, multiplier=None))
        """
        inverse = 1.0 / ratio
        if ratio < 1.0 and inverse == round(inverse) and abs(inverse) < _EXACT_INTEGERS:
            return cls(divisor=float(round(inverse)))
        return cls(multiplier=ratio)

    def apply(self, values: _Values) -> _Values:
        """Return ``values`` (a number or a numpy array) divided, then multiplied.

        Overflow is the caller's to report, with its own field name: an array
        value that overflows comes back infinite without numpy's warning, as
        a float does.
        """
        if isinstance(values, np.ndarray):
            with np.errstate(over="ignore"):
                return cast("_Values", self._apply(values))
        return cast("_Values", self._apply(values))

    @staticmethod
    def apply_by_row(
        values: npt.NDArray[np.float64],
        divisors: npt.NDArray[np.float64],
        multipliers: npt.NDArray[np.float64],
        rows: npt.NDArray[np.integer[Any]],
    ) -> npt.NDArray[np.float64]:
        """Apply a factor per row, picked from small tables: ``values / divisors[rows] * multipliers[rows]``.

        The same rule as :meth:`apply` (one of the two numbers is 1 where a
        step is not needed), for a column whose rows each pick a factor by
        index (a currency and year, a unit). It gathers one table at a time
        into the new column and divides and multiplies in place, so a million
        rows cost one new column and at most one temporary one; a table of ones
        is skipped (dividing or multiplying by 1 changes no float).

        >>> import numpy as np
        >>> ExactFactor.apply_by_row(np.array([4.5e9, 2.0]), np.array([1000.0, 1.0]), np.array([1.0, 3.0]), np.array([0, 1]))
        array([4.5e+06, 6.0e+00])
        """
        with np.errstate(over="ignore"):
            if (divisors == 1.0).all():  # x / 1 is x: only the multipliers, gathered into the one new column
                result: npt.NDArray[np.float64] = multipliers.take(rows)
                result *= values
                return result
            result = divisors.take(rows)
            np.divide(values, result, out=result)
            if not (multipliers == 1.0).all():  # x * 1 is x
                result *= multipliers.take(rows)
        return result

    def _apply(self, values: Any) -> Any:
        if self.divisor is not None:
            values = values / self.divisor
            if self.multiplier is not None and isinstance(values, np.ndarray):
                values *= self.multiplier  # a new array already: no second temporary column
                return values
        if self.multiplier is not None:
            values = values * self.multiplier
        return values

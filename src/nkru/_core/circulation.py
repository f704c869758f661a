"""The one rule for when each rouble code names money: the years it circulated.

Russia redenominated its rouble on 1 January 1998 (1 RUB = 1000 RUR); old
notes were exchanged until the end of 2002. The Soviet rouble (SUR) of the
1961 reform lasted until 1991. An amount dated outside its code's years is
almost always old money written with the new code (or the reverse), and
converting it would be 1000 times off, so every conversion path of nkru
(:meth:`nkru.fx.ExchangeRates.convert`, :func:`nkru.aggregate.total`,
:meth:`nkru.table.TradeTable.convert_currency`, the ``nkru convert``
command) checks the source amount's code here, and the text grammar asks
:func:`rouble_of` which rouble plain "roubles" meant at a date.

:func:`outside` takes a year or a numpy array of years, as
:mod:`nkru._core.factors` does, so a record and a column of a million rows
are judged by the same comparison.

>>> outside("RUB", 1997, 1997), outside("RUR", 1998, 2002), rouble_of(1997, 1997)
(True, False, 'RUR')
>>> import numpy as np
>>> outside("SUR", np.array([1960, 1975, 1992]), np.array([1960, 1975, 1992])).tolist()
[True, False, True]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from nkru.errors import CurrencyNotInCirculationError

__all__ = ["CIRCULATION", "ISSUED", "check_circulation", "outside", "rouble_of"]

_OPEN: Final = 9999

#: The years (first, last) each code named money in; codes not listed circulate always.
CIRCULATION: Final[Mapping[str, tuple[int, int]]] = {"SUR": (1961, 1991), "RUR": (1992, 2002), "RUB": (1998, _OPEN)}

#: The years each rouble was *the* rouble, the one a text of that date means by "roubles"
#: (RUR stopped being issued at the redenomination; its notes were only exchanged after).
ISSUED: Final[Mapping[str, tuple[int, int]]] = {"SUR": (1961, 1991), "RUR": (1992, 1997), "RUB": (1998, _OPEN)}


@overload
def outside(code: str, first: int, last: int) -> bool: ...
@overload
def outside(
    code: str, first: npt.NDArray[np.integer[Any]], last: npt.NDArray[np.integer[Any]]
) -> npt.NDArray[np.bool_]: ...
def outside(code: str, first: Any, last: Any) -> Any:
    """Tell whether money in ``code`` from year ``first`` to ``last`` falls outside its years (per element for arrays)."""
    start, end = CIRCULATION.get(code, (-_OPEN, _OPEN))
    return (first < start) | (last > end)


def rouble_of(first: int, last: int) -> str | None:
    """The rouble issued over all the years ``first`` to ``last``, or None if none was (before 1961, or across a change)."""
    for code, (start, end) in ISSUED.items():
        if start <= first and last <= end:
            return code
    return None


def _years(code: str) -> str:
    start, end = CIRCULATION[code]
    return f"from {start}" if end == _OPEN else f"{start}–{end}"


def check_circulation(code: str, first: int, last: int, when: str, *, redenominate: bool = False) -> None:
    """Raise :class:`~nkru.errors.CurrencyNotInCirculationError` if ``code`` did not circulate from ``first`` to ``last``.

    Args:
        code: The currency of the amount.
        first: The first year of the amount's date.
        last: The last year of it.
        when: The date, as the error should show it.
        redenominate: The caller says the amount is restated in ``code``: no check.
    """
    if redenominate or not outside(code, first, last):
        return
    start, end = CIRCULATION[code]
    # The rouble of the years outside: the earlier ones if the amount starts too early, else the later ones.
    instead = rouble_of(first, min(last, start - 1)) if first < start else rouble_of(max(first, end + 1), last)
    raise CurrencyNotInCirculationError(code, when, _years(code), instead or "")

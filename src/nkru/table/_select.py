"""Which rows of a :class:`nkru.table.TradeTable` a selection keeps, as a boolean mask.

:meth:`~nkru.table.TradeTable.select` names the rows one sum may add (one
level, one frequency, the countries, the totals of breakdowns ...); each
option here becomes a mask over the rows, from category codes, without
looking at a row in Python.
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from nkru.errors import ValidationError
from nkru.parties import AreaKind, comtrade_area
from nkru.table._rules import levels
from nkru.table._storage import Held
from nkru.table.columns import FLOW_CODES, TOTAL_CODES

__all__ = ["selection"]

_PARTY_CHOICES: Final[dict[str, Callable[[AreaKind], bool]]] = {
    "countries": lambda kind: kind is AreaKind.COUNTRY,
    "world": lambda kind: kind is AreaKind.WORLD,
    "areas": lambda kind: kind is not AreaKind.COUNTRY,
}


def selection(  # noqa: C901 - one branch per option, each a line or two
    table: Held,
    *,
    reporters: str | Sequence[str] | None,
    partners: str | Sequence[str] | None,
    level: int | str | None,
    freq: str | None,
    breakdowns: str | None,
    years: int | Sequence[int] | range | None,
    flows: str | Sequence[str] | None,
    mirrored: bool | None,
) -> npt.NDArray[np.bool_]:
    """The rows :meth:`~nkru.table.TradeTable.select` keeps with these options.

    Raises:
        ValidationError: an option that is none of those ``select`` takes.
    """
    keep = np.ones(len(table), dtype=bool)
    for side, choice in (("reporters", reporters), ("partners", partners)):
        if choice is not None:
            keep &= _party_mask(table, side, choice)
    if level is not None:
        keep &= _level_mask(table, level)
    if freq is not None:
        if freq not in ("A", "M"):
            raise ValidationError("freq", freq, 'must be "A" (annual) or "M" (monthly)')
        keep &= (table._month == 0) if freq == "A" else (table._month > 0)
    if breakdowns is not None:
        if breakdowns != "total":
            raise ValidationError("breakdowns", breakdowns, 'must be "total"')
        for name, total in TOTAL_CODES.items():
            column = table._extras[name]
            if isinstance(column, tuple):
                codes, names = column
                wanted = names.index(total) if total in names else -2
                keep &= (codes == wanted) | (codes < 0)
            else:
                keep &= (column == total) | (column < 0)
    if years is not None:
        wanted_years = [years] if isinstance(years, int) else list(years)
        if not all(type(year) is int for year in wanted_years):
            raise ValidationError("years", years, "must be a year or some years")
        keep &= np.isin(table._year, wanted_years)
    if flows is not None:
        wanted_flows = [flows] if isinstance(flows, str) else list(flows)
        codes_wanted = []
        for flow in wanted_flows:
            if flow not in FLOW_CODES:
                raise ValidationError("flows", flow, "is not a flow (export, import, X, M ...)")
            codes_wanted.append(FLOW_CODES[flow])
        keep &= np.isin(table._flow, codes_wanted)
    if mirrored is not None:
        if not isinstance(mirrored, bool):
            raise ValidationError("mirrored", mirrored, "must be True or False")
        keep &= (table._extras["mirrored"] == 1) == mirrored
    return keep


def _party_mask(table: Held, side: str, choice: str | Sequence[str]) -> npt.NDArray[np.bool_]:
    codes, names, kinds = (
        (table._partner, table._partners, table._partner_kinds)
        if side == "partners"
        else (table._reporter, table._reporters, table._reporter_kinds)
    )
    if isinstance(choice, str):
        if choice not in _PARTY_CHOICES:
            raise ValidationError(side, choice, f"must be {', '.join(map(repr, _PARTY_CHOICES))} or a list of codes")
        wanted = [_PARTY_CHOICES[choice](kind) for kind in kinds]
    else:
        listed = list(choice)
        if not all(isinstance(code, str) for code in listed):
            raise ValidationError(side, choice, "must be a list of codes")
        normal = {code if (area := comtrade_area(code)) is None else area.code for code in listed}
        wanted = [name in normal for name in names]
    mask: npt.NDArray[np.bool_] = np.array([*wanted, False], dtype=bool).take(codes)  # a missing code (-1): the last
    return mask


def _level_mask(table: Held, level: int | str) -> npt.NDArray[np.bool_]:
    if level == "leaf":
        return np.asarray(table._extras["is_leaf"] == 1)
    digits = {"total": 0, 2: 2, 4: 4, 6: 6}.get(level) if not isinstance(level, bool) else None
    if digits is None:
        raise ValidationError("level", level, 'must be "total", 2, 4, 6 or "leaf"')
    return np.asarray(levels(table) == digits)

"""The rules against counting trade twice, which :meth:`nkru.table.TradeTable.group_sum` applies.

Comtrade files hold totals beside their parts: the World beside its partners,
a chapter beside its headings, monthly rows beside annual ones, breakdowns
beside their totals, turnover beside exports and imports, and nkru's mirrored
rows beside the reports they mirror. :func:`check_additive` refuses a sum
that would add one to the other, naming the selection to make, and
:func:`deciding_mask` finds the few rows that decide it, so a sum made of
partial sums is checked without holding the pieces together.
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru.errors import DoubleCountError
from nkru.parties import AreaKind
from nkru.records import Flow
from nkru.table._storage import Held, is_absent, present
from nkru.table.columns import FLOW_CODES, FLOWS, TOTAL_CODES, IntArray

__all__ = ["check_additive", "deciding_mask", "levels", "listed"]

_LEVEL_NAMES: Final = {0: "TOTAL", 2: "2-digit", 4: "4-digit", 6: "6-digit"}
#: Flows by the name a message gives them.
_FLOW_NAMES: Final = {
    Flow.EXPORT: "exports",
    Flow.IMPORT: "imports",
    Flow.RE_EXPORT: "re-exports",
    Flow.RE_IMPORT: "re-imports",
    Flow.TURNOVER: "turnover",
}
#: Why a flow holds its :attr:`~nkru.records.Flow.parts`, for a message.
_FLOW_HOLDS: Final = {
    Flow.TURNOVER: "turnover is exports plus imports",
    Flow.EXPORT: "Comtrade's exports hold the re-exports",
    Flow.IMPORT: "Comtrade's imports hold the re-imports",
}


def check_additive(table: Held, keys: Sequence[str]) -> None:
    """Refuse a sum by ``keys`` that would add a total to its parts (see :meth:`~nkru.table.TradeTable.group_sum`).

    Raises:
        DoubleCountError: what would be added to what, and the selection to make.
    """
    if len(table) == 0:
        return
    for side in ("partner", "reporter"):
        if side in keys:
            continue
        codes, names, kinds = (
            (table._partner, table._partners, table._partner_kinds)
            if side == "partner"
            else (table._reporter, table._reporters, table._reporter_kinds)
        )
        used = np.flatnonzero(present(codes, len(names))[0])
        wholes = [names[i] for i in used if kinds[i] in (AreaKind.WORLD, AreaKind.GROUP)]
        if wholes and len(used) > 1:
            others = [names[i] for i in used if names[i] != wholes[0]]
            whole = "the World" if kinds[names.index(wholes[0])] is AreaKind.WORLD else "the group"
            raise DoubleCountError(
                f"{whole} ({wholes[0]}) to other {side}s ({listed(others)}), which it contains",
                f'select one with table.select({side}s="countries") or table.select({side}s=[{wholes[0]!r}]),'
                f" or group by {side}",
            )
    levels_held = _levels_present(table)
    chapters_apart = "hs" in keys
    if len(levels_held) > 1 and not chapters_apart and not (table._extras["is_leaf"] == 1).all():
        raise DoubleCountError(
            f"commodity levels {listed([_LEVEL_NAMES[level] for level in levels_held])} (a total to its parts)",
            'select one level with table.select(level=...) ("total", 2, 4 or 6), level="leaf", or group by hs',
        )
    _check_breakdowns(table)
    if "month" not in keys:
        monthly = table._month > 0
        if monthly.any() and not monthly.all():
            raise DoubleCountError(
                "monthly rows to annual rows",
                'select one frequency with table.select(freq="A") or table.select(freq="M"), or group by month',
            )
    _check_flows(table, keys)
    _check_mirrored(table, keys)


def _check_flows(table: Held, keys: Sequence[str]) -> None:
    """Refuse to add a flow of one reporter and partner to a flow it holds (:attr:`Flow.parts <nkru.records.Flow.parts>`).

    Turnover is exports plus imports, and Comtrade's exports hold the
    re-exports (its imports the re-imports). Exports and imports add up
    (to the turnover); so do flows of different pairs. Grouping by flow
    keeps them apart.
    """
    if "flow" in keys:
        return
    width = len(table._partners)
    pair = table._reporter.astype(np.int64) * width + table._partner.astype(np.int64)
    bins = len(table._reporters) * width
    held = {flow: np.bincount(pair[table._flow == FLOW_CODES[flow]], minlength=bins) > 0 for flow in FLOWS}
    for whole in FLOWS:
        if not whole.parts:
            continue
        clash = held[whole] & np.logical_or.reduce([held[part] for part in whole.parts])
        if clash.any():
            first = int(np.flatnonzero(clash)[0])
            reporter, partner = table._reporters[first // width], table._partners[first % width]
            found = " and ".join(_FLOW_NAMES[part] for part in whole.parts if held[part][first])
            alone = whole if whole is Flow.TURNOVER else whole.parts[0]
            raise DoubleCountError(
                f"{reporter}'s {_FLOW_NAMES[whole]} with {partner} to its {found} ({_FLOW_HOLDS[whole]})",
                f"select with table.select(flows=['export', 'import']) or table.select(flows={alone.value!r}),"
                " or group by flow",
            )


def _check_mirrored(table: Held, keys: Sequence[str]) -> None:
    """Refuse to add rows :meth:`~nkru.table.TradeTable.mirror` built to reported rows, unless the keys keep a flow and its mirror apart.

    A reported flow (A exports to B) and its mirror (B imports from A)
    differ in reporter, partner and flow, so grouping by any of these
    keeps them in different groups.
    """
    if not {"reporter", "partner", "flow"} & set(keys):
        mirrored = table._extras["mirrored"] == 1
        if mirrored.any() and not mirrored.all():
            raise DoubleCountError(
                "mirrored rows to reported rows (a flow and its mirror are one trade)",
                "select one with table.select(mirrored=False) or table.select(mirrored=True),"
                " or group by reporter, partner or flow",
            )


def _check_breakdowns(table: Held) -> None:
    """Refuse to add breakdown rows (customs procedure, transport mode, second partner) to their totals."""
    for name, total in TOTAL_CODES.items():
        column = table._extras[name]
        codes = column[0] if isinstance(column, tuple) else column
        if is_absent(codes) and codes[0] < 0:
            continue  # no row states this breakdown: nothing is added to its total
        values = (
            [column[1][code] for code in np.unique(codes[codes >= 0])]
            if isinstance(column, tuple)
            else np.unique(codes[codes >= 0]).tolist()
        )
        breakdowns = [value for value in values if value != total]
        if breakdowns and (total in values or _missing_breakdown(table, name)):
            raise DoubleCountError(
                f"{name} breakdowns ({listed([str(b) for b in breakdowns])}) to their total ({total})",
                'select the totals with table.select(breakdowns="total")',
            )


def _missing_breakdown(table: Held, name: str) -> bool:
    """Whether some rows do not say their ``name`` breakdown (read as its total)."""
    column = table._extras[name]
    codes = column[0] if isinstance(column, tuple) else column
    return bool((codes < 0).any())


def levels(table: Held) -> IntArray:
    """Each row's commodity level: 0 for all goods (``TOTAL``), else the digits of its HS code."""
    per_row: IntArray = np.array([*_category_levels(table), 0], dtype=np.int64).take(table._commodity)  # -1: the last
    return per_row


def _levels_present(table: Held) -> list[int]:
    """The commodity levels some row has, sorted (see :func:`levels`)."""
    per_category = _category_levels(table)
    if len(set(per_category)) == 1:  # one level among the commodities (2-digit chapters ...): no count needed
        codes = table._commodity
        held = set(per_category) if codes.max() >= 0 else set()
        return sorted(held | ({0} if codes.min() < 0 else set()))
    used, all_goods = present(table._commodity, len(table._commodities))
    return sorted({per_category[i] for i in np.flatnonzero(used)} | ({0} if all_goods else set()))


def _category_levels(table: Held) -> list[int]:
    """Each commodity's level: 0 for all goods (``TOTAL``), else the digits of its HS code."""
    return [0 if hs is None else len(hs) for _label, hs in table._commodities]


def deciding_mask(table: Held) -> npt.NDArray[np.bool_]:
    """Which rows decide whether :func:`check_additive` passes (see :meth:`~nkru.table.TradeTable.deciding_rows`)."""
    pair = (table._reporter.astype(np.int64) + 1) * (len(table._partners) + 2) + table._partner + 1
    columns: list[npt.NDArray[Any]] = [
        pair * (len(FLOWS) + 2) + table._flow + 1,  # every reporter and partner is among these rows
        table._month > 0,
        table._currency,
        levels(table),
    ]
    for name in ("is_leaf", "mirrored", *TOTAL_CODES):
        column = table._extras[name]
        columns.append(column[0] if isinstance(column, tuple) else column)
    keep = np.zeros(len(table), dtype=bool)
    for codes in columns:
        keep[_first_positions(codes)] = True
    return keep


def _first_positions(codes: npt.NDArray[Any]) -> IntArray:
    """The position of each distinct value's first row, by hashing (no sort); one pass for a constant column."""
    if codes.dtype == np.bool_:
        return np.unique(np.array([np.argmin(codes), np.argmax(codes)], dtype=np.int64))
    if codes.min() == codes.max():
        return np.zeros(1, dtype=np.int64)
    return np.flatnonzero(~pd.Series(codes).duplicated().to_numpy()).astype(np.int64)


def listed(names: Sequence[str], most: int = 5) -> str:
    """Some names for a message: the first ``most`` and how many more."""
    shown = ", ".join(sorted(names)[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"

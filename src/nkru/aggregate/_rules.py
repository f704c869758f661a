"""The double-counting rules of :func:`nkru.aggregate.total`: records that would count some trade twice.

Private: :mod:`nkru.aggregate` is the public face. A total (and each group's
total, and the whole a share is taken of) may add records of one series only
if none holds another: not a period and a part of it, not a commodity and a
part of it, not a flow and a part of it. These are the rules
:meth:`nkru.TradeTable.group_sum` applies to a table's rows.
"""

from __future__ import annotations

import itertools
from typing import Any, TypeAlias

from nkru.errors import DoubleCountError
from nkru.measures import Measure
from nkru.periods import Period
from nkru.records import Flow

__all__ = ["Found", "check_additive", "label_of"]


#: A measure found in the items: the measure, its record's period, and the item and
#: its index (to name it in an error; the label is made only when needed).
Found: TypeAlias = tuple[Measure, Period | None, Any, int]


def label_of(item: object, index: int) -> str:
    record_id = getattr(item, "id", None)
    return f"record {record_id!r}" if isinstance(record_id, str) else f"item {index}"


def check_additive(found: list[Found]) -> None:
    """Refuse a total that would add a figure to a part of itself, as :meth:`nkru.TradeTable.group_sum` does.

    Records of one series (the same reporter, partner and flow) double count
    when one's period holds another's (a year and a month of it) for the same
    commodity, or one's commodity holds another's (all goods, a chapter, a
    heading of it) for the same period. Records of one period and level, or
    of separate periods, add up; so do bare measures, which say nothing of
    what they count.

    Raises:
        DoubleCountError: the two records and the selection to make.
    """
    periods: dict[tuple[Any, ...], dict[Period, tuple[Any, int]]] = {}
    commodities: dict[tuple[Any, ...], dict[str | None, tuple[Any, int]]] = {}
    for _measure, period, item, index in found:
        if period is None or isinstance(item, Measure):
            continue
        series = tuple(getattr(item, name, None) for name in ("reporter", "partner", "flow"))
        commodity = getattr(item, "commodity", None)
        hs = getattr(commodity, "hs", None) if commodity is not None else None
        periods.setdefault((*series, commodity), {}).setdefault(period, (item, index))
        if commodity is None or isinstance(hs, str):
            commodities.setdefault((*series, period), {}).setdefault(hs, (item, index))
    for by_period in periods.values():
        _check_overlaps(by_period)
    for by_code in commodities.values():
        _check_nesting(by_code)
    _check_flows(found)


def _check_flows(found: list[Found]) -> None:
    """Refuse a flow of one reporter and partner beside a flow it holds (:attr:`Flow.parts <nkru.records.Flow.parts>`).

    The rule of :meth:`nkru.TradeTable.group_sum` without ``flow`` as a key:
    turnover is exports plus imports, and Comtrade's exports hold the
    re-exports (its imports the re-imports). Exports and imports add up (to
    the turnover); so do flows of different pairs.
    """
    flows: dict[tuple[Any, Any], dict[Flow, tuple[Any, int]]] = {}
    for _measure, _period, item, index in found:
        flow = getattr(item, "flow", None)
        if isinstance(flow, Flow):
            pair = (getattr(item, "reporter", None), getattr(item, "partner", None))
            flows.setdefault(pair, {}).setdefault(flow, (item, index))
    for by_flow in flows.values():
        for whole in Flow:
            parts = [part for part in whole.parts if part in by_flow]
            if whole in by_flow and parts:
                raise DoubleCountError(
                    f"{label_of(*by_flow[whole])} ({whole.value}) and {label_of(*by_flow[parts[0]])}"
                    f" ({parts[0].value}), a flow and a part of it",
                    "total exports and imports, or turnover alone, or re-exports (re-imports) alone; or group by flow",
                )


def _check_overlaps(by_period: dict[Period, tuple[Any, int]]) -> None:
    """Refuse periods of one series and commodity that overlap without being equal."""
    if len(by_period) > 1:
        ordered = sorted(by_period, key=lambda period: (period.start, period.end))
        for earlier, later in itertools.pairwise(ordered):
            if later.start <= earlier.end:
                first, second = (label_of(*by_period[p]) for p in (earlier, later))
                raise DoubleCountError(
                    f"{first} ({earlier}) and {second} ({later}), whose periods overlap",
                    "total records of one frequency (years or months), not a period and a part of it",
                )


def _check_nesting(by_code: dict[str | None, tuple[Any, int]]) -> None:
    """Refuse commodities of one series and period of which one holds another (None: all goods)."""
    if len(by_code) > 1:
        for code, (item, index) in by_code.items():
            if code is None:
                continue
            parents: list[str | None] = [None, *(code[:digits] for digits in (2, 4) if len(code) > digits)]
            for holder in (parent for parent in parents if parent in by_code):
                whole = "all goods" if holder is None else f"HS {holder}"
                raise DoubleCountError(
                    f"{label_of(*by_code[holder])} ({whole}) and {label_of(item, index)} (HS {code}), a commodity"
                    " and a part of it",
                    "total records of one HS level (chapters, headings or subheadings), or all goods alone",
                )

"""Grouping records: the named keys, :func:`group_by`, and :func:`group_total` of each group.

Private: :mod:`nkru.aggregate` is the public face, and documents
:data:`~nkru.aggregate.GroupKey` and :data:`~nkru.aggregate.GROUP_KEYS`
(autodoc reads a name's docstring from the module that shows it). Besides
the double-counting rules of each group's total, a key of names must show
the goods when the trade flows are of different levels of goods
(:func:`check_goods`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Final, Literal, TypeAlias

from nkru.aggregate._rules import check_additive
from nkru.aggregate._totals import check_options, collect, total_found
from nkru.errors import ValidationError
from nkru.fx import ExchangeRates
from nkru.measures import Measure
from nkru.parties import Place, Region
from nkru.periods import Period, When
from nkru.records import TradeFlow

__all__ = ["GROUP_KEYS", "GroupKey", "check_goods", "group_by", "group_total", "key_function", "year_of"]

#: A grouping key: public, and documented, as nkru.aggregate.GroupKey.
GroupKey: TypeAlias = str | Callable[[Any], Hashable]


def _year(record: Any) -> int | str | None:
    # A partial, multi-year or approximate period is never filed as a plain year: its key is the
    # period itself, so a January-to-September figure cannot pass for the year's total.
    period = getattr(record, "period", None)
    if not isinstance(period, Period):
        return None
    if period.is_whole_years and period.start.year == period.end.year and not period.approximate:
        return period.start.year
    return f"~{period}" if period.approximate else str(period)


def _chapter(record: Any) -> str | None:
    commodity = getattr(record, "commodity", None)
    return None if commodity is None else commodity.chapter


def _region(record: Any) -> Region | None:
    for name in ("destination", "origin", "place"):
        where = getattr(record, name, None)
        if isinstance(where, Region):
            return where
        if isinstance(where, Place) and where.region is not None:
            return where.region
    return None


def _attribute(name: str) -> Callable[[Any], Hashable]:
    def get(record: Any) -> Hashable:
        return getattr(record, name, None)

    return get


#: The named grouping keys of group_by: public, and documented, as nkru.aggregate.GROUP_KEYS.
#: A record's year, as the "year" key groups it (the function keeps its name ``_year`` in GROUP_KEYS' repr).
year_of: Final = _year

GROUP_KEYS: Final[dict[str, Callable[[Any], Hashable]]] = {
    "year": _year,
    "flow": _attribute("flow"),
    "commodity": _attribute("commodity"),
    "chapter": _chapter,
    "partner": _attribute("partner"),
    "reporter": _attribute("reporter"),
    "region": _region,
}


def key_function(key: GroupKey | Sequence[GroupKey]) -> Callable[[Any], Hashable]:
    if isinstance(key, str):
        if key not in GROUP_KEYS:
            raise ValidationError("key", key, f"must be a function or one of {', '.join(GROUP_KEYS)}")
        return GROUP_KEYS[key]
    if callable(key):
        return key
    given: object = key  # callers without type checks pass anything
    if isinstance(given, (list, tuple)) and given and all(isinstance(part, str) or callable(part) for part in given):
        parts = [key_function(part) for part in given]
        return lambda record: tuple(part(record) for part in parts)
    raise ValidationError("key", key, "must be a key name, a function, or a non-empty list of them")


def group_by(records: Iterable[Any], key: GroupKey | Sequence[GroupKey]) -> dict[Hashable, tuple[Any, ...]]:
    """Group records by a key, in the order each key is first seen.

    Args:
        records: Records (trade flows, shipments, events ...).
        key: A name from :data:`GROUP_KEYS`, a function of a record, or a
            list of these (the group keys are then tuples).

    Returns:
        A dict from each key to the tuple of its records, in input order.

    Raises:
        ValidationError: an unknown key name.

    >>> from nkru.records import Flow, TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [
    ...     TradeFlow(id=f"f{i}", reporter=Country("RUS"), partner=Country("PRK"), flow=flow,
    ...               period=Period.year(year), amount=Measure(money(v, "USD")))
    ...     for i, (year, flow, v) in enumerate([(2005, Flow.EXPORT, 5), (2005, Flow.IMPORT, 2), (2006, Flow.EXPORT, 7)])
    ... ]
    >>> {year: [r.id for r in group] for year, group in group_by(flows, "year").items()}
    {2005: ['f0', 'f1'], 2006: ['f2']}
    >>> list(group_by(flows, ["year", "flow"]))[1]
    (2005, <Flow.IMPORT: 'import'>)
    >>> nine_months = TradeFlow(id="p", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                         period=Period.months(2005, 1, 9), amount=Measure(money(1, "USD")))
    >>> list(group_by([*flows, nine_months], "year"))
    [2005, 2006, '2005-01/2005-09']
    """
    function = key_function(key)
    groups: dict[Hashable, list[Any]] = {}
    for record in records:
        groups.setdefault(function(record), []).append(record)
    return {name: tuple(members) for name, members in groups.items()}


def group_total(
    records: Iterable[Any],
    key: GroupKey | Sequence[GroupKey],
    *,
    field: str = "amount",
    to: str | None = None,
    rates: ExchangeRates | None = None,
    on: When | None = None,
    missing: Literal["raise", "skip"] = "raise",
    redenominate: bool = False,
) -> dict[Hashable, Measure]:
    """Group records with :func:`group_by` and :func:`total` each group's ``field``.

    With ``missing="skip"``, records lacking ``field`` are left out of their
    group's total (a bare Measure is always kept), and a group left with
    nothing is left out. The other arguments are :func:`total`'s.

    A key of names without ``"commodity"`` or ``"chapter"`` does not show the
    goods, so the trade flows it totals must be of one level of goods: all
    goods, or chapters, or headings (as :meth:`nkru.TradeTable.group_sum`
    adds one level). Otherwise a commodity's total, such as the 2002 fuel-oil
    exports keyed by ``["year", "flow"]``, would pass for all goods'.

    Raises:
        ValidationError: trade flows of different levels of goods under a key
            that does not show the goods (naming two of them and their
            groups), or as :func:`total`.
        DoubleCountError: as :func:`total`, within a group.

    >>> from nkru.records import Flow, TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [
    ...     TradeFlow(id=f"f{i}", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...               period=Period.year(year), amount=Measure(money(v, "USD")))
    ...     for i, (year, v) in enumerate([(2005, 5), (2005, 2), (2006, 7)])
    ... ]
    >>> {year: m.value.magnitude for year, m in group_total(flows, "year").items()}
    {2005: 7.0, 2006: 7.0}
    """
    check_options(missing, to, rates, redenominate)
    groups = {name: collect(members, field, missing) for name, members in group_by(records, key).items()}
    for found in groups.values():
        check_additive(found)
    check_goods(key, {name: [item for _measure, _period, item, _index in found] for name, found in groups.items()})
    result: dict[Hashable, Measure] = {}
    for name, found in groups.items():
        if found:  # empty only if missing="skip" left every member out
            result[name] = total_found(found, to=to, rates=rates, on=on, redenominate=redenominate)
    return result


_GOODS_KEYS: Final = frozenset({"commodity", "chapter"})


def check_goods(key: GroupKey | Sequence[GroupKey], groups: dict[Hashable, list[Any]]) -> None:
    """Refuse totals of trade flows of different levels of goods under named keys that do not show the goods.

    Keyed by ``["year", "flow"]``, a total of one commodity (the 2002 fuel-oil
    exports) would sit beside totals of all goods under a key that looks like
    all goods: it would pass for the year's exports. Trade flows of one level
    (all goods; or chapters, or headings, as :meth:`nkru.TradeTable.group_sum`
    adds them) are fine; so are keys with ``"commodity"`` or ``"chapter"``, and
    keys with a function (which only their author can read).

    Raises:
        ValidationError: two trade flows of different levels, named with their groups.
    """
    names = [key] if isinstance(key, str) else list(key) if isinstance(key, (list, tuple)) else None
    if names is None or not all(isinstance(name, str) for name in names) or _GOODS_KEYS.intersection(names):
        return
    seen: dict[object, tuple[Hashable, TradeFlow]] = {}
    for name, items in groups.items():
        for item in items:
            if not isinstance(item, TradeFlow):
                continue
            goods = item.commodity
            seen.setdefault(None if goods is None else len(goods.hs) if goods.hs else goods.label, (name, item))
            if len(seen) > 1:
                shown = " and ".join(
                    f"{_goods(record)} in group {_shown_key(group)}" for group, record in seen.values()
                )
                raise ValidationError(
                    "key",
                    names,
                    f"does not show the goods, and the trade flows are of different levels of goods: {shown}; a"
                    " commodity's total would pass for all goods' (or a heading's for a chapter's). Add 'chapter'"
                    " or 'commodity' to the key, or total one level at a time (all goods, or chapters, or headings)",
                )


def _goods(record: TradeFlow) -> str:
    goods = record.commodity
    shown = "all goods" if goods is None else goods.label if goods.hs is None else f"{goods.label}, HS {goods.hs}"
    return f"{record.id!r} ({shown})"


def _shown_key(name: Hashable) -> str:
    parts = name if isinstance(name, tuple) else (name,)
    shown = [str(getattr(part, "code", None) or getattr(part, "value", part)) for part in parts]
    return shown[0] if len(shown) == 1 else f"({', '.join(shown)})"

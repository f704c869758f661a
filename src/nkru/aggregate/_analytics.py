"""Trade analytics over records: the object-API twins of :class:`nkru.TradeTable`'s.

Private: :mod:`nkru.aggregate` is the public face. Each analytic here
computes over trade-flow records what its twin computes over a table's
group sums (:mod:`nkru.table._analytics`): balances, shares, unit values,
growth and the top groups, from :func:`~nkru.aggregate.group_total`'s totals
and the ratios of :mod:`nkru.aggregate._ratios`, bounds and qualifiers kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Final, Literal

import attrs
import pint

from nkru.aggregate._groups import GROUP_KEYS, GroupKey, check_goods, group_by, group_total, key_function, year_of
from nkru.aggregate._ratios import cagr, non_negative, percent_change, share
from nkru.aggregate._rules import check_additive
from nkru.aggregate._spans import combined_status, divide_spans, span_of, to_measure
from nkru.aggregate._totals import collect, total
from nkru.errors import ValidationError
from nkru.fx import ExchangeRates
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.periods import Period  # noqa: F401 - the docstrings' examples use it (doctests run in this namespace)
from nkru.records import Flow
from nkru.units import to_unit, unit, ureg

__all__ = ["group_balance", "group_cagr", "group_percent_change", "group_share", "group_unit_value", "top"]


_NEGATED: Final = {
    Qualifier.AT_MOST: Qualifier.AT_LEAST,
    Qualifier.AT_LEAST: Qualifier.AT_MOST,
    Qualifier.LESS_THAN: Qualifier.MORE_THAN,
    Qualifier.MORE_THAN: Qualifier.LESS_THAN,
}


def _negated(measure: Measure) -> Measure:
    """``-measure``: its interval turned over ("at most 5" becomes "at least -5")."""

    def minus(q: pint.Quantity[Any] | None) -> pint.Quantity[Any] | None:
        return None if q is None else ureg.Quantity(-float(q.magnitude), measure.units)

    return attrs.evolve(
        measure,
        value=minus(measure.value),
        qualifier=_NEGATED.get(measure.qualifier, measure.qualifier),
        lower=minus(measure.upper),
        upper=minus(measure.lower),
    )


def _names(key: str | Sequence[str], what: str, *, without: Sequence[str] = ()) -> list[str]:
    """Key names of :data:`GROUP_KEYS` other than ``without``, as a list (as :meth:`TradeTable`'s ``by`` is checked)."""
    names = [key] if isinstance(key, str) else list(key) if isinstance(key, (list, tuple)) else None
    allowed = [name for name in GROUP_KEYS if name not in without]
    if names is None or len(set(names)) != len(names) or not all(name in allowed for name in names):
        raise ValidationError(what, key, f"must be distinct names of {', '.join(allowed)}")
    return names


def _of_flow(records: Iterable[Any], flows: AbstractSet[Flow]) -> list[Any]:
    return [record for record in records if getattr(record, "flow", None) in flows]


def group_balance(
    records: Iterable[Any],
    key: GroupKey | Sequence[GroupKey] = "year",
    *,
    to: str | None = None,
    rates: ExchangeRates | None = None,
    missing: Literal["nan", "zero"] = "nan",
) -> dict[Hashable, Measure]:
    """Exports minus imports of each group of trade flows, bounds and qualifiers included.

    The records of flow export and import are grouped by ``key`` (as
    :func:`group_by` does) and each side totalled (records without an
    amount left out); other flows are left out, since exports already hold
    re-exports. It computes what :meth:`nkru.TradeTable.balance` does over a table.

    Args:
        records: Trade flows.
        key: As :func:`group_by`'s.
        to: The currency of the balances (converting at each record's period, as :func:`total` does).
        rates: Exchange rates for ``to``.
        missing: ``"nan"``: a group with no exports or no imports is left out;
            ``"zero"``: the missing side counts as 0.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        DoubleCountError: as :func:`total`.
        ValidationError: a bad option, a key naming ``flow`` (the balance is
            across the flows), no export or import record, or flows of
            different levels of goods under a key that does not show the goods
            (as :func:`group_total`).

    >>> from nkru.records import TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [TradeFlow(id=f"f{i}", reporter=Country("RUS"), partner=Country("PRK"), flow=flow,
    ...                    period=Period.year(2005), amount=Measure(money(v, "USD")))
    ...          for i, (flow, v) in enumerate([(Flow.EXPORT, 10), (Flow.IMPORT, 4)])]
    >>> group_balance(flows)[2005].value
    <Quantity(6.0, 'USD')>
    """
    if missing not in ("nan", "zero"):
        raise ValidationError("missing", missing, "must be 'nan' or 'zero'")
    parts: list[object] = list(key) if isinstance(key, (list, tuple)) else [key]
    if "flow" in parts:  # the table's balance refuses flow as a key alike
        allowed = ", ".join(name for name in GROUP_KEYS if name != "flow")
        raise ValidationError("key", key, f"must be distinct names of {allowed}, or functions")
    chosen = _of_flow(records, {Flow.EXPORT, Flow.IMPORT})
    if not chosen:
        raise ValidationError("records", "no export or import", "leave nothing to balance: the selection is empty")
    function = key_function(key)
    check_goods(
        key,
        {
            name: [r for r in members if getattr(r, "amount", None) is not None]
            for name, members in group_by(chosen, key).items()
        },
    )
    sums = group_total(chosen, lambda record: (function(record), record.flow), to=to, rates=rates, missing="skip")
    result: dict[Hashable, Measure] = {}
    pairs: list[tuple[Hashable, Flow]] = list(sums)  # type: ignore[arg-type]  # the key function's own tuples
    for name in dict.fromkeys(group for group, _flow in pairs):
        exports, imports = sums.get((name, Flow.EXPORT)), sums.get((name, Flow.IMPORT))
        if exports is None or imports is None:
            if missing == "nan":
                continue
            present = exports if exports is not None else imports
            zero = Measure(ureg.Quantity(0.0, present.units)) if present is not None else None
            exports, imports = exports or zero, imports or zero
        if exports is not None and imports is not None:
            result[name] = total([exports, _negated(imports)])
    return result


def group_share(
    records: Iterable[Any],
    key: str | Sequence[str] = ("year", "flow", "chapter"),
    *,
    of: str | Sequence[str] = ("year", "flow"),
    to: str | None = None,
    rates: ExchangeRates | None = None,
) -> dict[Hashable, Measure]:
    """Each group's amount as a percentage of the total of the groups that share its ``of`` keys.

    Groups are those of :func:`group_total` by the names ``key`` (records
    without an amount left out); the whole of a group is the total of the
    groups with its ``of`` keys; a group whose whole is 0 is left out. It
    computes what :meth:`nkru.TradeTable.share` does over a table.

    Args:
        records: Trade flows.
        key: Names of :data:`GROUP_KEYS`; the result's keys are tuples of them.
        of: Some of those names (none: the grand total).
        to: The currency to total in.
        rates: Exchange rates for ``to``.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        DoubleCountError: as :func:`total`.
        ValidationError: a bad name, ``of`` not a smaller part of ``key``, or no record with an amount.

    >>> from nkru.records import TradeFlow
    >>> from nkru.commodities import Commodity
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [TradeFlow(id=f"f{i}", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                    period=Period.year(2005), commodity=Commodity(f"HS {hs}", hs), amount=Measure(money(v, "USD")))
    ...          for i, (hs, v) in enumerate([("27", 6), ("10", 3), ("44", 1)])]
    >>> group_share(flows)[2005, Flow.EXPORT, "10"].value
    <Quantity(30.0, 'percent')>
    """
    names = _names(key, "key")
    wholes = _names(of, "of") if of else []
    if not set(wholes) < set(names):
        raise ValidationError("of", of, f"must be some of the key's names ({', '.join(names)}), not all")
    listed = list(records)
    parts = group_total(listed, names, to=to, rates=rates, missing="skip")
    if not parts:
        raise ValidationError("records", "no amount", "leave nothing to share: the selection is empty")
    for whole in group_by(listed, wholes).values() if wholes else (listed,):
        check_additive(collect(whole, "amount", "skip"))  # a whole adds groups up: it must count nothing twice
    places = [names.index(name) for name in wholes]

    def whole_of(group: Hashable) -> tuple[Any, ...]:
        return tuple(group[place] for place in places)  # type: ignore[index]

    members: dict[tuple[Any, ...], list[Measure]] = {}
    for group, measure in parts.items():
        members.setdefault(whole_of(group), []).append(measure)
    totals = {name: total(measures) for name, measures in members.items()}
    return {
        group: share(measure, totals[whole_of(group)])
        for group, measure in parts.items()
        if totals[whole_of(group)].point.magnitude > 0
    }


def group_unit_value(
    records: Iterable[Any],
    key: GroupKey | Sequence[GroupKey] = ("year", "flow", "chapter"),
    *,
    per: str = "kg",
    to: str | None = None,
    rates: ExchangeRates | None = None,
    estimated: Literal["flag", "exclude"] = "flag",
) -> dict[Hashable, Measure]:
    """Each group's amount per unit of mass, over the records that state both.

    ``estimated="flag"`` keeps records whose mass is an estimate
    (:attr:`ObsStatus.ESTIMATED`), and their group's unit value is then
    estimated too; ``"exclude"`` leaves them out. It computes what
    :meth:`nkru.TradeTable.unit_value` does over a table.

    Args:
        records: Trade flows.
        key: As :func:`group_by`'s.
        per: The unit of mass (``"kg"``, ``"t"``).
        to: The currency to total in.
        rates: Exchange rates for ``to``.
        estimated: ``"flag"`` or ``"exclude"``.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        UnitMismatchError: ``per`` is no unit of mass.
        DoubleCountError: as :func:`total`.
        ValidationError: a bad option, or no record that states both.

    >>> from nkru.records import TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money, quantity
    >>> flow = TradeFlow(id="f", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                  period=Period.year(2005), amount=Measure(money(400, "USD")), mass=Measure(quantity(4, "t")))
    >>> group_unit_value([flow], "year", per="t")[2005].value
    <Quantity(100.0, 'USD / metric_ton')>
    """
    if estimated not in ("flag", "exclude"):
        raise ValidationError("estimated", estimated, "must be 'flag' or 'exclude'")
    target = unit(per)
    to_unit(ureg.Quantity(1.0, target), unit("kg"))  # nkru's error for a unit that is no mass
    chosen = [
        record
        for record in records
        if getattr(record, "amount", None) is not None
        and getattr(record, "mass", None) is not None
        and (estimated == "flag" or record.mass.status is not ObsStatus.ESTIMATED)
    ]
    if not chosen:
        raise ValidationError(
            "records", "none with an amount and a mass", "leave no unit value: the selection is empty"
        )
    result: dict[Hashable, Measure] = {}
    for name, members in group_by(chosen, key).items():
        amount = total(members, to=to, rates=rates)
        mass = total(members, field="mass", to=per)
        if mass.point.magnitude > 0:
            result[name] = _quotient(amount, mass)
    return result


def _quotient(top: Measure, bottom: Measure) -> Measure:
    """``top / bottom`` of two non-negative measures of different kinds, bounds included."""
    non_negative(top, "amount")
    non_negative(bottom, "mass")
    span = divide_spans(span_of(top), span_of(bottom), lambda ratio: ratio)
    units = (ureg.Quantity(1.0, top.units) / ureg.Quantity(1.0, bottom.units)).units
    return to_measure(span, units, combined_status((top.status, bottom.status)), None, "amount, mass")


def _by_year(
    records: Iterable[Any], key: str | Sequence[str], to: str | None, rates: ExchangeRates | None
) -> dict[tuple[Any, ...], dict[int, Measure]]:
    """The group totals by ``key``'s names and the year, as each group's totals by whole calendar year.

    A record whose period is not one whole calendar year (its ``year`` key is
    text, see :data:`GROUP_KEYS`) is left out before summing: growth compares
    whole years only.
    """
    names = _names(key, "key", without=("year",)) if key else []
    stated = [record for record in records if getattr(record, "amount", None) is not None]
    if not stated:
        raise ValidationError("records", "no amount", "leave no growth to compute: the selection is empty")
    whole = [record for record in stated if isinstance(year_of(record), int)]
    if not whole:
        raise ValidationError(
            "records",
            [getattr(record, "id", None) for record in stated],  # the message clips a long list
            "leave no growth to compute: none covers one whole calendar year"
            " (annualize a partial figure with nkru.aggregate.annualize first)",
        )
    sums = group_total(whole, [*names, "year"], to=to, rates=rates)
    series: dict[tuple[Any, ...], dict[int, Measure]] = {}
    for group, measure in sums.items():
        parts: tuple[Any, ...] = group  # type: ignore[assignment]  # group_total's key of a list of names is a tuple
        series.setdefault(parts[:-1], {})[parts[-1]] = measure
    return series


def group_percent_change(
    records: Iterable[Any],
    key: str | Sequence[str] = ("flow",),
    *,
    to: str | None = None,
    rates: ExchangeRates | None = None,
) -> dict[Hashable, Measure]:
    """Each group's change from the year before, in percent, keyed by ``(*group, year)``.

    A year whose group has no total for the year before (or a total of 0)
    has no change. Only whole calendar years are compared: a record whose
    period is partial, spans years or is approximate ("2005-01/2005-09",
    "~1988") takes no part, so nine months never pass for a year; turn it
    into a yearly figure with :func:`annualize` first to compare it. It
    computes what :meth:`nkru.TradeTable.percent_change` does over a table
    (where such a year's change is NaN).

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        DoubleCountError: as :func:`total`.
        ValidationError: a bad name (``year`` is the axis), no record with an
            amount, or none over a whole calendar year.

    >>> from nkru.records import TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [TradeFlow(id=f"f{y}", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                    period=Period.year(y), amount=Measure(money(v, "USD"))) for y, v in [(2005, 80), (2006, 100)]]
    >>> group_percent_change(flows)[Flow.EXPORT, 2006].value
    <Quantity(25.0, 'percent')>
    >>> nine_months = attrs.evolve(flows[0], id="p", period=Period.months(2007, 1, 9))
    >>> list(group_percent_change([*flows, nine_months]))
    [(<Flow.EXPORT: 'export'>, 2006)]
    """
    result: dict[Hashable, Measure] = {}
    for group, years in _by_year(records, key, to, rates).items():
        for year, measure in sorted(years.items()):
            before = years.get(year - 1)
            if before is not None and before.point.magnitude > 0:
                result[(*group, year)] = percent_change(before, measure)
    return result


def group_cagr(
    records: Iterable[Any],
    key: str | Sequence[str] = "flow",
    *,
    first: int | None = None,
    last: int | None = None,
    to: str | None = None,
    rates: ExchangeRates | None = None,
) -> dict[Hashable, Measure]:
    """Each group's compound annual growth rate from year ``first`` to ``last`` (its own first and last if None).

    Groups without a total in both years (or with a first total of 0) are
    left out. Only whole calendar years take part, as in
    :func:`group_percent_change`: a partial period is neither a group's own
    first or last year nor a given one. Groups are keyed as
    :func:`group_total` keys them: a key name gives bare keys
    (``Flow.EXPORT``), a list of names tuples. It computes what
    :meth:`nkru.TradeTable.cagr` does over a table, and refuses what it refuses.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        DoubleCountError: as :func:`total`.
        ValidationError: a bad name, ``first`` or ``last`` not a year,
            ``first`` not before ``last``, no record with an amount, none over
            a whole calendar year, or no group with a total for both years.

    >>> from nkru.records import TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [TradeFlow(id=f"f{y}", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                    period=Period.year(y), amount=Measure(money(v, "USD"))) for y, v in [(2005, 100), (2007, 121)]]
    >>> round(group_cagr(flows)[Flow.EXPORT].value.magnitude, 10)
    10.0
    >>> group_cagr(flows, first=2004)
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: years: no group states a value in both years (partial years do not count) (got (2004, None))
    """
    for name, year in (("first", first), ("last", last)):
        if year is not None and type(year) is not int:
            raise ValidationError(name, year, "must be a year")
    series = _by_year(records, key, to, rates)
    if first is not None and last is not None and first >= last:
        raise ValidationError("first, last", (first, last), "the first year must come before the last")
    result: dict[Hashable, Measure] = {}
    found = False
    for group, years in series.items():
        start = min(years) if first is None else first  # a group has at least one whole year
        end = max(years) if last is None else last
        if start not in years or end not in years or start >= end:
            continue
        found = True
        if years[start].point.magnitude > 0:
            result[group[0] if isinstance(key, str) else group] = cagr(years[start], years[end], end - start)
    if not found:
        raise ValidationError(
            "years", (first, last), "no group states a value in both years (partial years do not count)"
        )
    return result


def top(
    records: Iterable[Any],
    n: int,
    key: GroupKey | Sequence[GroupKey] = "partner",
    *,
    to: str | None = None,
    rates: ExchangeRates | None = None,
) -> list[tuple[Hashable, Measure]]:
    """The ``n`` groups with the largest totals, largest first (by each total's point).

    Groups are :func:`group_total`'s (records without an amount left out);
    ties keep the order groups are first seen in. It computes what
    :meth:`nkru.TradeTable.top` does over a table.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        DoubleCountError: as :func:`total`.
        ValidationError: ``n`` is not a whole number of at least 1.

    >>> from nkru.records import TradeFlow
    >>> from nkru.parties import Country
    >>> from nkru.units import money
    >>> flows = [TradeFlow(id=code.lower(), reporter=Country(code), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                    period=Period.year(2005), amount=Measure(money(v, "USD")))
    ...          for code, v in [("CHN", 9), ("RUS", 2), ("THA", 5)]]
    >>> [(country.code, m.value.magnitude) for country, m in top(flows, 2, "reporter")]
    [('CHN', 9.0), ('THA', 5.0)]
    """
    if type(n) is not int or n < 1:
        raise ValidationError("n", n, "must be a whole number of groups, at least 1")
    sums = group_total(records, key, to=to, rates=rates, missing="skip")
    ranked = sorted(sums.items(), key=lambda item: -float(item[1].point.magnitude))
    return ranked[:n]

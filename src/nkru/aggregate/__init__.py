"""Aggregation over records: totals, groups, shares, growth and annualization, aware of bounds.

Every function here takes :class:`~nkru.measures.Measure` s (or records that
hold them) and returns a Measure, so what the text said about a figure
survives the arithmetic: an "at most" plus an exact figure is an "at most"
total, an approximate figure keeps its total approximate, and an estimate
makes the total an estimate.

>>> from nkru.measures import Measure, Qualifier
>>> from nkru.units import quantity
>>> total([Measure(quantity(890, "t"), Qualifier.AT_MOST), Measure(quantity(110, "t"))])
Measure(value=<Quantity(1000.0, 'metric_ton')>, qualifier=<Qualifier.AT_MOST: 'at_most'>, lower=None, upper=None, status=<ObsStatus.DERIVED: 'derived'>, resolution=None)

**How qualifiers combine.** Each measure stands for an interval of
possible true values: an exact figure is the point itself, "at most x" is
``(-inf, x]``, "less than x" ``(-inf, x)``, "at least"/"more than" likewise
upwards, a range its bounds, and an approximate figure whatever bounds it
was given (none, usually). A sum adds the intervals' ends (an end is open if
it is open in any input), a share or growth rate divides them. The result's
qualifier is then, in this order:

0. an input bounded only above and another bounded only below ("at most 5"
   plus "at least 3"): the result would be unbounded on both sides and say
   nothing, so nkru raises :class:`~nkru.errors.ValidationError`;
1. all inputs exact: :attr:`~Qualifier.EXACT`;
2. any input approximate: :attr:`~Qualifier.APPROXIMATE` (with the bounds
   that survived, if any), its value computed from the inputs' points (a
   range without a value counts as its midpoint);
3. both ends known: :attr:`~Qualifier.RANGE`, with a value only if every
   input had one;
4. only the upper end: :attr:`~Qualifier.AT_MOST`, or
   :attr:`~Qualifier.LESS_THAN` if an input's upper end was strict; the
   value is that end;
5. only the lower end: :attr:`~Qualifier.AT_LEAST` or
   :attr:`~Qualifier.MORE_THAN` likewise.

**How statuses combine.** A computed figure is
:attr:`~ObsStatus.DERIVED`, unless an input is weaker: the result takes the
weakest status among its inputs in the order FORECAST, ESTIMATED, IMPUTED,
PROVISIONAL (any estimated input makes an ESTIMATED total; a forecast
anywhere makes a FORECAST). REPORTED and DERIVED inputs give DERIVED.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Final, Literal, TypeAlias

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru._core.circulation import check_circulation
from nkru._core.factors import ExactFactor
from nkru._core.numbers import checked_float
from nkru.aggregate._spans import SpanSum, combined_status, divide_spans, span_of, to_measure
from nkru.errors import CurrencyMismatchError, DoubleCountError, ValidationError
from nkru.fx import ExchangeRates, RatePolicy
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Place, Region
from nkru.periods import Period, When, to_period
from nkru.records import Flow, TradeFlow
from nkru.units import ROUBLES, conversion_factor, currency_of, format_unit, to_unit, unit, ureg

__all__ = [
    "GROUP_KEYS",
    "AnnualizeMethod",
    "GroupKey",
    "annualize",
    "cagr",
    "group_balance",
    "group_by",
    "group_cagr",
    "group_percent_change",
    "group_share",
    "group_total",
    "group_unit_value",
    "percent_change",
    "share",
    "top",
    "total",
]

GroupKey: TypeAlias = str | Callable[[Any], Hashable]
"""A grouping key, one of :data:`GROUP_KEYS` or a function of a record."""

AnnualizeMethod: TypeAlias = Literal["scale", "refuse"]
"""How :func:`annualize` treats a period shorter than its calendar year."""

_PERCENT: Final = unit("percent")


# -- totals ---------------------------------------------------------------------------------------


def _label(item: object, index: int) -> str:
    record_id = getattr(item, "id", None)
    return f"record {record_id!r}" if isinstance(record_id, str) else f"item {index}"


def _needs_rates(source: PlainUnit, target: PlainUnit) -> bool:
    src, dst = currency_of(source), currency_of(target)
    return src is not None and dst is not None and src != dst and not {src, dst} <= ROUBLES


def total(
    items: Iterable[Measure | pint.Quantity[Any] | Any],
    *,
    field: str = "amount",
    to: str | None = None,
    rates: ExchangeRates | None = None,
    on: When | None = None,
    missing: Literal["raise", "skip"] = "raise",
    redenominate: bool = False,
) -> Measure:
    """Add up measures, or one field of records, keeping what was said about each figure.

    Quantities in one kind of unit are converted to the first item's unit
    (or ``to``) exactly (``t`` and ``kg``, RUR and RUB). Amounts in different
    currencies are refused unless ``to`` names a currency: then each amount
    is converted at the period-average rate of its record's period (a bare
    Measure, or a record without a period, uses ``on``), from ``rates`` or
    nkru's shipped table. How qualifiers and statuses combine is described in
    :mod:`nkru.aggregate`; the resolution of a total is the coarsest of its
    inputs' (None if any is unknown). An amount converted to another
    currency (or rouble code) must be dated within its currency's years, as
    :meth:`~nkru.fx.ExchangeRates.convert` requires (RUB from 1998, RUR
    1992–2002, SUR 1961–1991), unless ``redenominate=True``.

    Args:
        items: Measures, Quantities of :data:`nkru.units.ureg` (read as exact
            Measures, as :func:`share` reads them), or records
            (:class:`~nkru.records.TradeFlow`, :class:`~nkru.records.Shipment`
            ...) whose ``field`` is a Measure.
        field: The field of each record to add (``"amount"``, ``"mass"``, ``"count"``).
        to: The unit (or currency, in any case) of the total.
        rates: Exchange rates to convert currencies with; nkru's shipped
            table (:meth:`ExchangeRates.default() <nkru.fx.ExchangeRates.default>`) if None. Needs ``to``.
        on: The date to convert amounts that carry no period of their own: a
            year, a date, a Period or its ISO text (see :data:`~nkru.periods.When`).
        missing: ``"raise"`` (the default) if a record lacks ``field``;
            ``"skip"`` to leave such records out.
        redenominate: Convert amounts dated outside their currency's years
            (new roubles before 1998, say) instead of raising.

    Returns:
        The total as a Measure.

    Raises:
        CurrencyMismatchError: two currencies without ``to``.
        CurrencyNotInCirculationError: an amount to convert is dated outside
            its currency's years.
        UnitMismatchError: quantities of different kinds (tonnes and dollars).
        DoubleCountError: records whose periods overlap without being equal (a year
            and a month of it), or of commodities of different HS levels (a chapter and
            a heading): the total would count some trade twice.
        RateNotFoundError: no rate covers a record's period.
        ValidationError: a record lacks ``field``, an amount needs a date and has
            none, no unit is known for an empty total, or the bounds leave the
            total unbounded on both sides.

    >>> from nkru.units import money
    >>> total([Measure(money(1.5e9, "RUR")), Measure(money(2.0e6, "RUB"))]).value
    <Quantity(3.5e+09, 'RUR')>
    >>> total([Measure(money(1, "USD")), Measure(money(1, "EUR"))])
    Traceback (most recent call last):
    ...
    nkru.errors.CurrencyMismatchError: cannot combine EUR with USD without an exchange rate; convert one of them with nkru.convert_currency(amount, to, on=...)
    >>> round(total([money(1, "USD"), money(1, "EUR")], to="usd", on="2011").value.magnitude, 3)
    2.392
    """
    _check_options(missing, to, rates, redenominate)
    found = _collect(items, field, missing)
    _check_additive(found)
    return _total(found, to=to, rates=rates, on=on, redenominate=redenominate)


def _check_additive(found: list[_Found]) -> None:
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


def _check_flows(found: list[_Found]) -> None:
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
                    f"{_label(*by_flow[whole])} ({whole.value}) and {_label(*by_flow[parts[0]])}"
                    f" ({parts[0].value}), a flow and a part of it",
                    "total exports and imports, or turnover alone, or re-exports (re-imports) alone; or group by flow",
                )


def _check_overlaps(by_period: dict[Period, tuple[Any, int]]) -> None:
    """Refuse periods of one series and commodity that overlap without being equal."""
    if len(by_period) > 1:
        ordered = sorted(by_period, key=lambda period: (period.start, period.end))
        for earlier, later in itertools.pairwise(ordered):
            if later.start <= earlier.end:
                first, second = (_label(*by_period[p]) for p in (earlier, later))
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
                    f"{_label(*by_code[holder])} ({whole}) and {_label(item, index)} (HS {code}), a commodity"
                    " and a part of it",
                    "total records of one HS level (chapters, headings or subheadings), or all goods alone",
                )


def _check_options(missing: str, to: str | None, rates: ExchangeRates | None, redenominate: bool) -> None:
    if not isinstance(redenominate, bool):
        raise ValidationError("redenominate", redenominate, "must be True or False")
    if missing not in ("raise", "skip"):
        raise ValidationError("missing", missing, "must be 'raise' or 'skip'")
    if rates is not None and to is None:
        raise ValidationError("rates", rates, "are used only to convert to a currency; pass to=...")


#: A measure found in the items: the measure, its record's period, and the item and
#: its index (to name it in an error; the label is made only when needed).
_Found: TypeAlias = tuple[Measure, Period | None, Any, int]
#: How magnitudes in one unit become magnitudes in the total's: the exact factor
#: nkru.units.to_unit applies; or _AT_RATE, to convert each amount at its period's
#: exchange rate (a marker, told apart by identity, never applied).
_Scaling: TypeAlias = ExactFactor
_AS_IS: Final = ExactFactor()
_AT_RATE: Final = ExactFactor(multiplier=math.nan)


def _total(
    found: list[_Found], *, to: str | None, rates: ExchangeRates | None, on: When | None, redenominate: bool
) -> Measure:
    """Add up the measures :func:`_collect` found (the arguments are checked).

    Units are converted once per distinct unit, by the factor and the rule of
    :func:`nkru.units.to_unit`, so the sum is bit-identical to adding
    ``measure.to(target)`` record by record, without building a Measure for each.
    """
    target = None if to is None else unit(to)
    if not found:
        if target is None:
            raise ValidationError("items", [], "an empty total has no unit; pass to=...")
        return Measure(ureg.Quantity(0.0, target), status=ObsStatus.DERIVED)
    if target is None:
        target = found[0][0].units
    scalings: dict[PlainUnit, _Scaling] = {}
    running = SpanSum()
    statuses: set[ObsStatus] = set()
    coarsest: float | None = None
    known_resolution = True
    for measure, period, item, index in found:
        source = measure.units
        scaling = scalings.get(source)
        if scaling is None:
            scaling = scalings[source] = _scaling(source, target, to)
        amount = measure
        if scaling is _AT_RATE:
            amount = _at_rate(
                measure, period, _label(item, index), to=to, rates=rates, on=on, redenominate=redenominate
            )
            scaling = _AS_IS
        elif scaling is not _AS_IS and not redenominate:
            _check_circulates(source, period if period is not None else on)
        value, lower, upper, resolution = _scaled(amount, source, scaling, target)
        running.add(amount.qualifier, value, lower, upper)
        statuses.add(amount.status)
        if resolution is None:
            known_resolution = False
        elif coarsest is None or resolution > coarsest:
            coarsest = resolution
    return to_measure(
        running.span(), target, combined_status(statuses), coarsest if known_resolution else None, "items"
    )


def _check_circulates(source: PlainUnit, when: When | None) -> None:
    """For RUR to RUB without rates, the rule ExchangeRates.convert applies with them (if a date is known)."""
    code = currency_of(source)
    if code is not None and when is not None:
        period = to_period(when)
        check_circulation(code, period.start.year, period.end.year, str(period))


def _collect(items: Iterable[Measure | Any], field: str, missing: str) -> list[_Found]:
    """Return each item's measure with its period, the item and its index."""
    found: list[_Found] = []
    for index, item in enumerate(items):
        if isinstance(item, (Measure, ureg.Quantity)):
            measure = _as_measure(item, f"items[{index}]")
            found.append((measure, None, measure, index))
            continue
        if not attrs.has(type(item)) or not hasattr(item, field):
            raise ValidationError(f"items[{index}]", item, f"is neither a Measure nor a record with a {field!r} field")
        value = getattr(item, field)
        if value is None:
            if missing == "skip":
                continue
            label = _label(item, index)
            raise ValidationError(label, None, f"has no {field}; pass missing='skip' to leave such records out")
        if not isinstance(value, Measure):
            raise ValidationError(f"{_label(item, index)}.{field}", value, "is not a Measure")
        period = getattr(item, "period", None)
        found.append((value, period if isinstance(period, Period) else None, item, index))
    return found


def _scaling(source: PlainUnit, target: PlainUnit, to: str | None) -> _Scaling:
    """How to bring magnitudes in ``source`` to ``target``; raise if no fixed factor or rate can."""
    if source == target:
        return _AS_IS
    if _needs_rates(source, target):
        if to is None:
            raise CurrencyMismatchError(str(currency_of(source)), str(currency_of(target)))
        return _AT_RATE
    to_unit(ureg.Quantity(1.0, source), target)  # raises nkru's error for a unit of another kind
    # to_unit's own factor (divide by 1000 rather than multiply by 0.001), so totals
    # stay bit-identical to converting record by record.
    return conversion_factor(source, target)


def _scaled(
    measure: Measure, source: PlainUnit, scaling: _Scaling, target: PlainUnit
) -> tuple[float | None, float | None, float | None, float | None]:
    """The value, bounds and resolution of ``measure`` in ``target``, as :meth:`Measure.to` computes them."""

    def scale(magnitude: float | None) -> float | None:
        if magnitude is None or scaling is _AS_IS:
            return magnitude
        converted = scaling.apply(magnitude)
        if not math.isfinite(converted):
            given = ureg.Quantity(magnitude, source)
            raise ValidationError("value", given, f"is too large to express in {format_unit(target)}")
        return converted

    def magnitude(q: pint.Quantity[Any] | None) -> float | None:
        return None if q is None else float(q.magnitude)

    value, lower, upper = measure.value, measure.lower, measure.upper
    return (scale(magnitude(value)), scale(magnitude(lower)), scale(magnitude(upper)), scale(measure.resolution))


def _at_rate(
    measure: Measure,
    period: Period | None,
    label: str,
    *,
    to: str | None,
    rates: ExchangeRates | None,
    on: When | None,
    redenominate: bool,
) -> Measure:
    """Convert an amount to the currency ``to`` at the average rate of its period (or ``on``)."""
    when: When | None = period if period is not None else on
    if when is None:
        raise ValidationError(label, measure, f"has no period to convert it to {to} at; pass on=...")
    table = ExchangeRates.default() if rates is None else rates
    return table.convert(measure, str(to), on=when, policy=RatePolicy.PERIOD_AVERAGE, redenominate=redenominate)


# -- groups ---------------------------------------------------------------------------------------


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


GROUP_KEYS: Final[dict[str, Callable[[Any], Hashable]]] = {
    "year": _year,
    "flow": _attribute("flow"),
    "commodity": _attribute("commodity"),
    "chapter": _chapter,
    "partner": _attribute("partner"),
    "reporter": _attribute("reporter"),
    "region": _region,
}
"""The named grouping keys of :func:`group_by`, each a function of a record.

- ``year``: the calendar year (an int) of a record whose period is exactly
  one calendar year; any other period keys its record by the period's own
  text, so a partial or multi-year figure never passes for a year's:
  ``"2005-01/2005-09"``, ``"2006-Q1"``, ``"1987/1989"``, ``"~1988"`` for an
  approximate year. :func:`annualize` turns a partial figure into a yearly one;
- ``flow``: the :class:`~nkru.records.Flow`;
- ``commodity``: the :class:`~nkru.commodities.Commodity`;
- ``chapter``: the two-digit HS chapter of the commodity (text such as ``"27"``);
- ``partner``, ``reporter``: the :class:`~nkru.parties.Country`;
- ``region``: the ISO 3166-2 :class:`~nkru.parties.Region` of a shipment's
  destination (else its origin) or an event's place, given directly or as a
  place's region. Trade flows are between countries and have no region.

A record without the attribute is grouped under None.
"""


def _key_function(key: GroupKey | Sequence[GroupKey]) -> Callable[[Any], Hashable]:
    if isinstance(key, str):
        if key not in GROUP_KEYS:
            raise ValidationError("key", key, f"must be a function or one of {', '.join(GROUP_KEYS)}")
        return GROUP_KEYS[key]
    if callable(key):
        return key
    given: object = key  # callers without type checks pass anything
    if isinstance(given, (list, tuple)) and given and all(isinstance(part, str) or callable(part) for part in given):
        parts = [_key_function(part) for part in given]
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
    function = _key_function(key)
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
    _check_options(missing, to, rates, redenominate)
    groups = {name: _collect(members, field, missing) for name, members in group_by(records, key).items()}
    for found in groups.values():
        _check_additive(found)
    _check_goods(key, {name: [item for _measure, _period, item, _index in found] for name, found in groups.items()})
    result: dict[Hashable, Measure] = {}
    for name, found in groups.items():
        if found:  # empty only if missing="skip" left every member out
            result[name] = _total(found, to=to, rates=rates, on=on, redenominate=redenominate)
    return result


_GOODS_KEYS: Final = frozenset({"commodity", "chapter"})


def _check_goods(key: GroupKey | Sequence[GroupKey], groups: dict[Hashable, list[Any]]) -> None:
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


# -- ratios ---------------------------------------------------------------------------------------


def _as_measure(value: Measure | pint.Quantity[Any], name: str) -> Measure:
    if isinstance(value, Measure):
        return value
    given: object = value
    if isinstance(given, ureg.Quantity):
        return Measure(value)
    raise ValidationError(name, value, "must be an nkru Measure or a Quantity of nkru.units.ureg")


def _non_negative(measure: Measure, name: str) -> None:
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
    num, den = _as_measure(numerator, names[0]), _as_measure(denominator, names[1])
    _non_negative(num, names[0])
    _non_negative(den, names[1])
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


# -- annualization --------------------------------------------------------------------------------


def annualize(measure: Measure, period: Period, method: AnnualizeMethod = "refuse") -> Measure:
    """Return a figure for ``period`` as a figure for the whole calendar year it lies in.

    A figure for a whole calendar year is returned as is. For a shorter
    period, ``method`` decides:

    - ``"refuse"`` (the default): raise, so no partial figure passes for an annual one;
    - ``"scale"``: scale value, bounds and resolution by the year's days over
      the period's days ("first nine months" of 2005: ×365/273). The
      qualifier is kept; the status becomes ESTIMATED (FORECAST stays FORECAST),
      since the rest of the year is extrapolated.

    Args:
        measure: The figure.
        period: The period it covers, within one calendar year, with exact bounds.
        method: ``"refuse"`` or ``"scale"``.

    Raises:
        ValidationError: the period is partial and ``method`` is ``"refuse"``; the
            period spans several years or has approximate bounds; an unknown method.

    >>> from nkru.units import money
    >>> round(annualize(Measure(money(273, "USD")), Period.months(2005, 1, 9), "scale").value.magnitude, 6)
    365.0
    >>> annualize(Measure(money(273, "USD")), Period.months(2005, 1, 9))
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: period: covers 74.8% of 2005; pass method='scale' to scale it to the whole year (got '2005-01/2005-09')
    """
    if method not in ("scale", "refuse"):
        raise ValidationError("method", method, "must be 'scale' or 'refuse'")
    if not isinstance(measure, Measure):
        raise ValidationError("measure", measure, "must be an nkru Measure")
    if not isinstance(period, Period):
        raise ValidationError("period", period, "must be an nkru Period")
    if period.approximate:
        raise ValidationError(
            "period", str(period), "has approximate bounds, so the share of the year it covers is unknown"
        )
    year = period.start.year
    if period.end.year != year:
        raise ValidationError("period", str(period), "spans several calendar years; annualize each year's part")
    if period.is_whole_years:
        return measure
    if method == "refuse":
        raise ValidationError(
            "period",
            str(period),
            f"covers {period.coverage(year):.1%} of {year}; pass method='scale' to scale it to the whole year",
        )
    year_days, days = Period.year(year).days, period.days
    return measure.rescaled(
        lambda magnitude: magnitude * year_days / days,
        field="measure",
        target=f"{format_unit(measure.units)} a year",
        status=combined_status((measure.status, ObsStatus.ESTIMATED)),
    )


# -- trade analytics over records (the object-API twins of TradeTable's) ---------------------------

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
    function = _key_function(key)
    _check_goods(
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
        _check_additive(_collect(whole, "amount", "skip"))  # a whole adds groups up: it must count nothing twice
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
    _non_negative(top, "amount")
    _non_negative(bottom, "mass")
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
    whole = [record for record in stated if isinstance(_year(record), int)]
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

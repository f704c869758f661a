"""Totals of measures, or of one field of records, with units converted and bounds kept.

Private: :mod:`nkru.aggregate` is the public face, and its module docstring
states how qualifiers and statuses combine (:mod:`nkru.aggregate._spans`
does the interval arithmetic). Here the items are read (:func:`collect`),
each unit is brought to the total's once, by a fixed factor or at the
exchange rate of each record's period, and the measures are added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Final, Literal, TypeAlias

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru._core.circulation import check_circulation
from nkru._core.factors import ExactFactor
from nkru.aggregate._rules import Found, check_additive, label_of
from nkru.aggregate._spans import SpanSum, combined_status, to_measure
from nkru.errors import CurrencyMismatchError, ValidationError
from nkru.fx import ExchangeRates, RatePolicy
from nkru.measures import Measure, ObsStatus
from nkru.periods import Period, When, to_period
from nkru.units import ROUBLES, conversion_factor, currency_of, format_unit, to_unit, unit, ureg

__all__ = ["as_measure", "check_options", "collect", "total", "total_found"]


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
    check_options(missing, to, rates, redenominate)
    found = collect(items, field, missing)
    check_additive(found)
    return total_found(found, to=to, rates=rates, on=on, redenominate=redenominate)


def check_options(missing: str, to: str | None, rates: ExchangeRates | None, redenominate: bool) -> None:
    if not isinstance(redenominate, bool):
        raise ValidationError("redenominate", redenominate, "must be True or False")
    if missing not in ("raise", "skip"):
        raise ValidationError("missing", missing, "must be 'raise' or 'skip'")
    if rates is not None and to is None:
        raise ValidationError("rates", rates, "are used only to convert to a currency; pass to=...")


#: How magnitudes in one unit become magnitudes in the total's: the exact factor
#: nkru.units.to_unit applies; or _AT_RATE, to convert each amount at its period's
#: exchange rate (a marker, told apart by identity, never applied).
_Scaling: TypeAlias = ExactFactor
_AS_IS: Final = ExactFactor()
_AT_RATE: Final = ExactFactor(multiplier=math.nan)


def total_found(
    found: list[Found], *, to: str | None, rates: ExchangeRates | None, on: When | None, redenominate: bool
) -> Measure:
    """Add up the measures :func:`collect` found (the arguments are checked).

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
                measure, period, label_of(item, index), to=to, rates=rates, on=on, redenominate=redenominate
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


def collect(items: Iterable[Measure | Any], field: str, missing: str) -> list[Found]:
    """Return each item's measure with its period, the item and its index."""
    found: list[Found] = []
    for index, item in enumerate(items):
        if isinstance(item, (Measure, ureg.Quantity)):
            measure = as_measure(item, f"items[{index}]")
            found.append((measure, None, measure, index))
            continue
        if not attrs.has(type(item)) or not hasattr(item, field):
            raise ValidationError(f"items[{index}]", item, f"is neither a Measure nor a record with a {field!r} field")
        value = getattr(item, field)
        if value is None:
            if missing == "skip":
                continue
            label = label_of(item, index)
            raise ValidationError(label, None, f"has no {field}; pass missing='skip' to leave such records out")
        if not isinstance(value, Measure):
            raise ValidationError(f"{label_of(item, index)}.{field}", value, "is not a Measure")
        period = getattr(item, "period", None)
        found.append((value, period if isinstance(period, Period) else None, item, index))
    return found


def as_measure(value: Measure | pint.Quantity[Any], name: str) -> Measure:
    if isinstance(value, Measure):
        return value
    given: object = value
    if isinstance(given, ureg.Quantity):
        return Measure(value)
    raise ValidationError(name, value, "must be an nkru Measure or a Quantity of nkru.units.ureg")


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

"""Currency conversion of a :class:`nkru.table.TradeTable`'s money columns, vectorized.

:meth:`~nkru.table.TradeTable.convert_currency` converts at each row's
period-average rate, by :meth:`nkru.fx.ExchangeRates.convert`'s rule and
arithmetic. No rate is looked up per row: each currency's factors are looked
up once per year (or month) present, into a small ``(currency, year, month)``
table, and each row picks its factor by numpy indexing.
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nkru._core.circulation import check_circulation, outside
from nkru._core.factors import ExactFactor
from nkru.errors import ValidationError
from nkru.fx import ExchangeRates, RatePolicy
from nkru.periods import Period
from nkru.table._storage import Held, is_absent
from nkru.table.columns import EXTRAS, Codes, FloatArray, IntArray
from nkru.units import ROUBLES, conversion_factor, unit

__all__ = ["converted"]


def converted(table: Held, to: str, rates: ExchangeRates, *, redenominate: bool) -> dict[str, FloatArray]:
    """The table's ``value`` and the money columns stated on some row, converted to ``to``, by name.

    The table has a row with a value; ``to`` is a checked currency code.

    Raises:
        CurrencyNotInCirculationError: rows of a currency dated outside its years, unless ``redenominate``.
        RateNotFoundError: a currency has no rate for some period present.
        ValidationError: a value overflows in ``to``.
    """
    first_year = int(table._year.min())
    years = int(table._year.max()) - first_year + 1
    slots = len(table._currencies) + 1  # the last slot: rows without a value
    key = _period_keys(table._currency, table._year, table._month, slots=slots, first_year=first_year, years=years)
    present = np.bincount(key, minlength=slots * years * 13).reshape(slots, years, 13) > 0
    divisor = np.ones((slots, years, 13))
    multiplier = np.ones((slots, years, 13))
    for code, name in enumerate(table._currencies):
        if present[code].any():
            _fill_factors(
                rates,
                name,
                to,
                present=present[code],
                first_year=first_year,
                divisor=divisor[code],
                multiplier=multiplier[code],
                redenominate=redenominate,
            )
    # ExchangeRates.convert's rule, per row: divide by the source's rate, multiply by the target's
    divisors, multipliers = divisor.ravel(), multiplier.ravel()
    columns: dict[str, FloatArray] = {}
    for name in ("value", *(extra.name for extra in EXTRAS if extra.kind == "money")):
        before = table._value if name == "value" else table._extras[name]
        if name != "value" and is_absent(before):
            continue  # missing on every row: stays missing, in any currency
        columns[name] = ExactFactor.apply_by_row(before, divisors, multipliers, key)
        _check_overflow(name, before, columns[name], to)
    return columns


def _check_overflow(name: str, before: FloatArray, after: FloatArray, to: str) -> None:
    """Refuse a value that a conversion made infinite, naming the first row.

    Raises:
        ValidationError: a finite value became infinite.
    """
    if after.size == 0 or (np.isfinite(np.fmin.reduce(after)) and np.isfinite(np.fmax.reduce(after))):
        return  # no value is infinite (NaN left out), so none overflowed
    overflow = np.flatnonzero(np.isinf(after) & ~np.isinf(before))
    if overflow.size:
        row = int(overflow[0])
        raise ValidationError(f"row {row}, column {name!r}", float(before[row]), f"is too large to express in {to}")


def _period_keys(currency: Codes, year: Codes, month: Codes, *, slots: int, first_year: int, years: int) -> IntArray:
    """Each row's ``(currency * years + year - first_year) * 13 + month``, a missing currency (-1) as ``slots - 1``.

    Built in place in one column (a million rows cost one temporary column, not five).
    """
    key = currency.astype(np.int64)
    if key.size and key.min() < 0:
        key[key < 0] = slots - 1
    key *= years
    key += year
    key -= first_year
    key *= 13
    key += month
    return key


def _check_circulates(source: str, years: npt.NDArray[np.int64]) -> None:
    """ExchangeRates.convert's rule and comparison (``nkru._core.circulation``), on the years present."""
    bad = years[outside(source, years, years)]
    if bad.size:
        more = f" and {bad.size - 10} more years" if bad.size > 10 else ""
        check_circulation(source, int(bad.min()), int(bad.max()), ", ".join(str(year) for year in bad[:10]) + more)


def _fill_factors(
    rates: ExchangeRates,
    source: str,
    target: str,
    *,
    present: npt.NDArray[np.bool_],
    first_year: int,
    divisor: FloatArray,
    multiplier: FloatArray,
    redenominate: bool,
) -> None:
    """Fill one currency's ``(year, month)`` factors, for the periods present, as ExchangeRates.convert would."""
    if not redenominate:
        _check_circulates(source, np.flatnonzero(present.any(axis=1)) + first_year)
    if source == target:
        return
    if {source, target} <= ROUBLES:  # to_unit's factor, without rates: RUR to RUB divides by 1000
        exact = conversion_factor(unit(source), unit(target))
        divisor[...] = 1.0 if exact.divisor is None else exact.divisor
        multiplier[...] = 1.0 if exact.multiplier is None else exact.multiplier
        return
    annual = np.flatnonzero(present[:, 0])
    years = annual + first_year
    if annual.size:
        if source != rates.base:
            divisor[annual, 0] = rates.annual_rate_array(source, years)
        if target != rates.base:
            multiplier[annual, 0] = rates.annual_rate_array(target, years)
    for year_index, month in zip(*np.nonzero(present[:, 1:]), strict=True):
        period = Period.month(int(year_index) + first_year, int(month) + 1)
        if source != rates.base:
            divisor[year_index, month + 1] = rates.rate(source, period, RatePolicy.PERIOD_AVERAGE)
        if target != rates.base:
            multiplier[year_index, month + 1] = rates.rate(target, period, RatePolicy.PERIOD_AVERAGE)

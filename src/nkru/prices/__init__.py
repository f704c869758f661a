"""Price indexes and constant dollars.

nkru ships the US CPI-U annual averages (BLS, all items, U.S. city average,
1982–84 = 100) for 1913–2025. :func:`to_constant_dollars` restates an amount
of US dollars of one year in the dollars of another; a year the index does
not cover raises :class:`~nkru.errors.RateNotFoundError`, never a guess.

>>> from nkru.prices import cpi_u, to_constant_dollars
>>> from nkru.units import money
>>> cpi_u().value(1988), cpi_u().value(2020)
(118.3, 258.811)
>>> to_constant_dollars(money(100, "USD"), 1988, 2020).magnitude
218.77514792899407
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pint

from nkru._core.numbers import scaled_magnitude
from nkru._core.tables import TableInput, read_package_text
from nkru.errors import CurrencyMismatchError, RateNotFoundError, UnitMismatchError, ValidationError
from nkru.measures import Measure
from nkru.periods import When, to_year
from nkru.prices import _io
from nkru.prices._points import IndexPoint, check_text
from nkru.units import currency_code, currency_of, currency_validator, format_unit, ureg

__all__ = ["IndexPoint", "PriceIndex", "cpi_u", "to_constant_dollars"]

_Amount = TypeVar("_Amount", pint.Quantity[Any], Measure)


def _sorted_points(value: object) -> tuple[IndexPoint, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError("points", value, "must be an iterable of IndexPoint")
    points = tuple(value)
    years: set[int] = set()
    for point in points:
        if not isinstance(point, IndexPoint):
            raise ValidationError("points", point, "must be an IndexPoint")
        if point.year in years:
            raise ValidationError("points", point, f"repeats the year {point.year}")
        years.add(point.year)
    return tuple(sorted(points, key=lambda point: point.year))


@attrs.frozen(repr=False)
class PriceIndex:
    """Annual averages of a price index for the money of one currency.

    Args:
        name: What the index is, such as ``"CPI-U"``.
        currency: The currency whose purchasing power it measures.
        points: One :class:`IndexPoint` per year (any order; no year twice).

    >>> index = PriceIndex("CPI-U", "USD", [IndexPoint(2000, 172.2, "bls"), IndexPoint(2001, 177.1, "bls")])
    >>> round(index.factor(2000, 2001), 6)
    1.028455
    """

    name: str = attrs.field(validator=check_text)
    currency: str = attrs.field(converter=currency_code, validator=currency_validator)
    points: tuple[IndexPoint, ...] = attrs.field(converter=_sorted_points)
    _table: dict[str, tuple[int, npt.NDArray[np.float64]]] = attrs.field(init=False, factory=dict, eq=False)

    def __repr__(self) -> str:
        return f"<PriceIndex {self.name} ({self.currency}): {self.coverage}>"

    @property
    def coverage(self) -> str:
        """The years covered, as text (``"1913–2025"``; stretches separated by commas)."""
        years = [point.year for point in self.points]
        if not years:
            return "no years"
        runs: list[str] = []
        first = previous = years[0]
        for year in [*years[1:], None]:
            if year is None or year != previous + 1:
                runs.append(str(first) if first == previous else f"{first}–{previous}")
                first = year if year is not None else first
            previous = year if year is not None else previous
        return ", ".join(runs)

    def value(self, year: When) -> float:
        """Return the index for ``year``: a year, or a Period or ISO text of one whole year (see :func:`~nkru.periods.to_year`).

        Raises:
            RateNotFoundError: the index has no value for ``year``.
            ValidationError: ``year`` is not one whole calendar year.

        >>> cpi_u().value(1997), cpi_u().value("1997")
        (160.5, 160.5)
        """
        return float(self.value_array(np.array([to_year(year, "year")]))[0])

    def factor(self, year: When, base_year: When) -> float:
        """Return what one unit of money of ``year`` is worth in money of ``base_year`` (each as :meth:`value` reads it).

        Raises:
            RateNotFoundError: either year is not covered.
            ValidationError: either is not one whole calendar year.

        >>> from nkru.periods import Period
        >>> cpi_u().factor(2020, Period.year(2020))
        1.0
        """
        return self.value(to_year(base_year, "base_year")) / self.value(to_year(year, "year"))

    def value_array(self, years: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return the index for each of ``years`` (an integer array), vectorized.

        Raises:
            RateNotFoundError: some years are not covered; the message names them.
            ValidationError: ``years`` are not integers.

        >>> cpi_u().value_array([1997, 2005, 2011])
        array([160.5  , 195.3  , 224.939])
        """
        array = np.asarray(years)
        if array.dtype.kind not in "iu":
            raise ValidationError("years", array.dtype, "must be integer years")
        first, table = self._dense()
        index = array.astype(np.int64) - first
        inside = (index >= 0) & (index < table.size)
        result = table[np.clip(index, 0, max(table.size - 1, 0))] if table.size else np.full(array.shape, np.nan)
        if not inside.all():
            result = np.where(inside, result, np.nan)
        missing = np.isnan(result)
        if missing.any():
            absent = np.unique(array[missing])
            more = f" and {absent.size - 10} more years" if absent.size > 10 else ""
            when = ", ".join(str(year) for year in absent[:10]) + more
            raise RateNotFoundError(f"{self.name} annual average", when, self.coverage)
        return result

    def _dense(self) -> tuple[int, npt.NDArray[np.float64]]:
        cached = self._table.get("dense")
        if cached is None:
            if not self.points:
                cached = (0, np.empty(0))
            else:
                first = self.points[0].year
                values = np.full(self.points[-1].year - first + 1, np.nan)
                for point in self.points:
                    values[point.year - first] = point.value
                values.flags.writeable = False
                cached = (first, values)
            self._table["dense"] = cached
        return cached

    @classmethod
    def from_csv(cls, source: TableInput, *, name: str = "CPI-U", currency: str = "USD") -> PriceIndex:
        r"""Read an index from CSV with columns ``year, index, source``.

        Args:
            source: CSV text (a ``str`` with a line break), a path, or an open text file.
            name: What the index is.
            currency: The currency whose purchasing power it measures.

        Raises:
            StructureError: listing every bad cell by line and column, or
                naming a source that cannot be opened.

        >>> PriceIndex.from_csv("year,index,source\n2000,172.2,bls\n").value(2000)
        172.2
        """
        return cls(name, currency, _io.from_csv(source))

    @classmethod
    def from_bls(
        cls, source: TableInput, *, name: str = "CPI-U", currency: str = "USD", source_id: str | None = None
    ) -> PriceIndex:
        r"""Read annual averages from a BLS CPI publication: the ``cpiai.txt`` table or a monthly ``cpiai.csv``.

        The table (BLS' fixed-width ``cpiai.txt``: Year, Jan. ... Dec.,
        Annual Avg.) gives each year's published annual average; a year
        without one yet is left out. The monthly CSV (``Date,Index`` as
        github.com/datasets/cpi-us publishes BLS' ``CUUR0000SA0``) gives each
        year's mean of its monthly indexes, rounded half-up as BLS rounds its
        averages (one decimal before 2007, three from 2007); the file's last
        year counts only with all twelve months. The format is told by the
        first line (``Date,`` starts the CSV).

        Args:
            source: The file (a path, an open text file, or its text).
            name: What the index is.
            currency: The currency whose purchasing power it measures.
            source_id: The id every point is tagged with; by default
                ``bls-cpiai-`` and the table's date (``bls-cpiai-2014-02-20``),
                or ``bls-cpi-u-monthly-mean`` for the CSV.

        Raises:
            StructureError: a bad date or index, by line and column.

        >>> months = "".join(f"2024-{m:02d}-01,{300 + m}\n" for m in range(1, 13))
        >>> index = PriceIndex.from_bls("Date,Index\n" + months)
        >>> index.value(2024), index.points[0].source
        (306.5, 'bls-cpi-u-monthly-mean')
        """
        return cls(name, currency, _io.from_bls(source, source_id))

    def merged(self, other: PriceIndex) -> PriceIndex:
        """Return an index with ``other``'s points added; they replace points here for the same year.

        >>> mine = PriceIndex("CPI-U", "USD", [IndexPoint(2026, 330.0, "my-source")])
        >>> cpi_u().merged(mine).value(2026)
        330.0
        """
        if (other.name, other.currency) != (self.name, self.currency):
            raise ValidationError(
                "other", other, f"is {other.name} ({other.currency}), not {self.name} ({self.currency})"
            )
        replaced = {point.year for point in other.points}
        kept = [point for point in self.points if point.year not in replaced]
        return PriceIndex(self.name, self.currency, (*kept, *other.points))

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """Return the index as CSV (and write it to ``path`` if given); :meth:`from_csv` reads it back."""
        return _io.csv_text(self.points, path)


@functools.cache
def cpi_u() -> PriceIndex:
    """Return the US CPI-U annual averages shipped with nkru (``nkru/data/cpi_u.csv``), read once.

    >>> cpi_u().coverage
    '1913–2025'
    """
    return PriceIndex.from_csv(read_package_text("cpi_u.csv"), name="CPI-U", currency="USD")


def to_constant_dollars(amount: _Amount, year: When, base_year: When, *, index: PriceIndex | None = None) -> _Amount:
    """Restate dollars of ``year`` in dollars of ``base_year`` (CPI-U annual averages by default).

    The amount is multiplied by ``index(base_year) / index(year)``. A
    :class:`~nkru.measures.Measure` keeps its qualifier and status; value,
    bounds and resolution are restated alike.

    Args:
        amount: Money in the index's currency (US dollars for CPI-U): a
            Quantity or a Measure.
        year: The year the amount is in dollars of: a year, or a
            :class:`~nkru.periods.Period` or ISO text of one whole calendar
            year (``Period.year(1988)``, ``"1988"``; see :func:`~nkru.periods.to_year`).
        base_year: The year whose dollars to restate it in, likewise.
        index: A price index of your own; :func:`cpi_u` if None.

    Raises:
        CurrencyMismatchError: ``amount`` is in another currency; convert it
            with :func:`nkru.fx.convert_currency` first.
        UnitMismatchError: ``amount`` is not money.
        RateNotFoundError: a year the index does not cover.
        ValidationError: ``amount`` is not finite, has no float (an int of
            400 digits), or restated is past the largest float; or a year is
            not one whole calendar year.

    >>> from nkru.units import money
    >>> to_constant_dollars(money(1.97e9, "USD"), 1988, base_year=2020).magnitude
    4309870414.201183
    >>> from nkru.periods import Period
    >>> to_constant_dollars(money(1.97e9, "USD"), Period.year(1988), base_year="2020").magnitude
    4309870414.201183
    >>> to_constant_dollars(money(1, "RUB"), 1988, base_year=2020)
    Traceback (most recent call last):
    ...
    nkru.errors.CurrencyMismatchError: cannot combine RUB with USD without an exchange rate; convert one of them with nkru.convert_currency(amount, to, on=...)
    """
    given_index: object = cpi_u() if index is None else index  # callers without type checks pass anything
    if not isinstance(given_index, PriceIndex):
        raise ValidationError("index", given_index, "must be an nkru.prices.PriceIndex")
    table = given_index
    given: object = amount  # callers without type checks pass anything
    quantity = given.point if isinstance(given, Measure) else given
    if not isinstance(quantity, ureg.Quantity):
        raise ValidationError("amount", amount, "must be money from nkru.units.money or an nkru Measure")
    code = currency_of(quantity)
    if code is None:
        raise UnitMismatchError(format_unit(quantity), table.currency)
    if code != table.currency:
        raise CurrencyMismatchError(code, table.currency)
    first, base = to_year(year, "year"), to_year(base_year, "base_year")
    factor = table.factor(first, base)
    target = f"dollars of {base}"
    if isinstance(amount, Measure):
        return amount.rescaled(lambda number: number * factor, field="amount", target=target)
    restated = scaled_magnitude(
        amount.magnitude, lambda number: number * factor, field="amount", given=amount, target=target
    )
    return ureg.Quantity(restated, amount.units)

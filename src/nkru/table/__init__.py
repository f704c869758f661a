"""A columnar table of trade flows: millions of rows, converted and summed vectorized.

A :class:`TradeTable` holds what a million :class:`~nkru.records.TradeFlow`
records would, as numpy columns with one unit per column:

============== ============ ====================================================
column         dtype        meaning
============== ============ ====================================================
reporter       category     ISO 3166 alpha-3 code of the reporting country
partner        category     the partner's code, or ``W00`` for the World (Comtrade partner 0)
flow           category     a :class:`~nkru.records.Flow` value (``export``, ``import`` ...)
year           int16        calendar year of the period
month          int8         month of the period, 1–12; 0 for the whole year
hs             category     HS code of the commodity (``27``, ``2710`` ...); missing for all goods
commodity      category     the commodity's label; missing for all goods
value          float64      the value, in the row's ``currency``; NaN if not stated
currency       category     ISO 4217 code (or SUR/RUR) of ``value``
mass           float64      net weight in the table's :attr:`~TradeTable.mass_unit` (kg by default); NaN if not stated
qty            float64      Comtrade's supplementary quantity, as read; NaN if none
qty_unit_code  int16        Comtrade's ``qtyUnitCode`` for ``qty``, as read (not interpreted); -1 if none
id             object       record ids, only for a table built from records
============== ============ ====================================================

**Units are column metadata**, not per-value objects: the value column's
currency is the ``currency`` column (a category, so a million rows hold a
few codes), and the mass column has one unit for the whole table. nkru does
not use pint-pandas (it is not a dependency, and it loses units in concat);
:meth:`TradeTable.to_frame` puts the units in ``DataFrame.attrs["units"]``
(``{"mass": "kilogram", "value": "currency", "qty": "qty_unit_code"}``: a unit,
or the name of the column holding each row's unit), and
:meth:`TradeTable.from_frame` reads them back. pandas keeps ``attrs``
through some operations and drops them in others; the Parquet files written by
:meth:`TradeTable.to_parquet` keep the units in the file's schema metadata.

Conversions and sums never parse a unit or look a rate up per row: rates
are looked up once per currency and year (or month), into a small table, and
the rows pick their factor by numpy indexing.

>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "reporter": ["RUS", "RUS", "RUS"], "partner": ["PRK", "PRK", "PRK"], "flow": ["X", "X", "M"],
...     "year": [1997, 2005, 2005], "hs": ["27", "27", "10"],
...     "value": [4.5e9, 28.2844416666667e6, 1.0e6], "currency": ["RUR", "RUB", "USD"],
...     "mass": [1.0, 2.0, 3.0], "mass_unit": ["t", "t", "kg"],
... })
>>> table = TradeTable.from_frame(frame).convert_currency("USD")
>>> table.group_sum(["year", "flow"])[["year", "flow", "value", "mass"]].round(2)
   year    flow       value    mass
0  1997  export   777896.22  1000.0
1  2005  export  1000000.00  2000.0
2  2005  import  1000000.00     3.0
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._core.deprecation import warn_deprecated
from nkru._core.factors import ExactFactor
from nkru._core.tables import TableInput
from nkru.commodities import Commodity
from nkru.errors import CurrencyMismatchError, ValidationError
from nkru.fx import ExchangeRates, RatePolicy
from nkru.measures import Measure
from nkru.parties import Country
from nkru.periods import Period
from nkru.records import TradeFlow
from nkru.table._parquet import read_parquet, write_parquet
from nkru.table._records import columns_from_records
from nkru.table.columns import FLOWS, WORLD, FloatArray, IntArray, categorical, convert_array, read_frame
from nkru.units import ROUBLES, check_currency, conversion_factor, unit, ureg

__all__ = ["GROUP_SUM_KEYS", "WORLD", "TradeTable"]


GROUP_SUM_KEYS: Final = ("year", "month", "flow", "chapter", "hs", "reporter", "partner")
"""The columns :meth:`TradeTable.group_sum` groups by."""

#: Largest number of bins :meth:`TradeTable.group_sum` counts directly; more distinct keys are sorted instead.
_MAX_BINS: Final = 1 << 22


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


class TradeTable:
    """Trade flows as columns: built from records, a DataFrame, a Comtrade CSV or Parquet.

    Build one with :meth:`from_records`, :meth:`from_frame`,
    :func:`nkru.read_comtrade_csv` or :meth:`read_parquet`; the table is
    immutable, and its methods return new tables or DataFrames. The columns
    and their units are listed in :mod:`nkru.table`.
    """

    __slots__ = (
        "_commodities",
        "_commodity",
        "_currencies",
        "_currency",
        "_flow",
        "_ids",
        "_mass",
        "_mass_unit",
        "_month",
        "_partner",
        "_partners",
        "_qty",
        "_qty_unit",
        "_reporter",
        "_reporters",
        "_value",
        "_year",
    )

    def __init__(
        self,
        *,
        reporter: tuple[IntArray, Sequence[str]],
        partner: tuple[IntArray, Sequence[str]],
        flow: IntArray,
        year: IntArray,
        month: IntArray,
        commodity: tuple[IntArray, Sequence[tuple[str, str | None]]],
        value: FloatArray,
        currency: tuple[IntArray, Sequence[str]],
        mass: FloatArray,
        mass_unit: str,
        qty: FloatArray,
        qty_unit: IntArray,
        ids: npt.NDArray[np.object_] | None = None,
    ) -> None:
        """Hold already validated columns; use the ``from_*`` constructors instead."""
        self._reporter = _frozen(np.asarray(reporter[0], dtype=np.int16))
        self._reporters = tuple(reporter[1])
        self._partner = _frozen(np.asarray(partner[0], dtype=np.int16))
        self._partners = tuple(partner[1])
        self._flow = _frozen(np.asarray(flow, dtype=np.int8))
        self._year = _frozen(np.asarray(year, dtype=np.int16))
        self._month = _frozen(np.asarray(month, dtype=np.int8))
        self._commodity = _frozen(np.asarray(commodity[0], dtype=np.int32))
        self._commodities = tuple(commodity[1])
        self._value = _frozen(np.asarray(value, dtype=np.float64))
        self._currency = _frozen(np.asarray(currency[0], dtype=np.int8))
        self._currencies = tuple(currency[1])
        self._mass = _frozen(np.asarray(mass, dtype=np.float64))
        self._mass_unit = mass_unit
        self._qty = _frozen(np.asarray(qty, dtype=np.float64))
        self._qty_unit = _frozen(np.asarray(qty_unit, dtype=np.int16))
        self._ids = None if ids is None else _frozen(ids)

    # -- small questions -------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._year.size)

    def __repr__(self) -> str:
        currencies = ", ".join(self.currencies) or "none"
        return f"<TradeTable: {len(self)} rows, values in {currencies}, mass in {self._mass_unit}>"

    @property
    def mass_unit(self) -> str:
        """The unit of the mass column, as nkru writes it (``"kilogram"``)."""
        return self._mass_unit

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the rows that have a value, sorted."""
        used = np.unique(self._currency[self._currency >= 0])
        return tuple(sorted(self._currencies[int(code)] for code in used))

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def from_records(cls, records: Iterable[TradeFlow], *, mass_unit: str = "kg") -> TradeTable:
        """Build a table from trade flows.

        The table keeps each flow's id, countries, flow, period, commodity,
        value and mass; it does not keep citations, notes or inferred-field
        names. It holds exact reported figures for calendar years and months,
        as Comtrade does, so each flow's period must be a calendar year or
        month, its value and mass exact (:attr:`Qualifier.EXACT`) and reported
        (:attr:`ObsStatus.REPORTED`), and it must have no count or share.

        Args:
            records: The trade flows.
            mass_unit: The unit of the table's mass column.

        Raises:
            ValidationError: a record that the table cannot hold, named by its id.

        >>> from nkru.records import Flow
        >>> from nkru.units import money
        >>> flow = TradeFlow(id="f1", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
        ...                  period=Period.year(2005), amount=Measure(money(5.0, "USD")))
        >>> TradeTable.from_records([flow])
        <TradeTable: 1 rows, values in USD, mass in kilogram>
        """
        return cls(**columns_from_records(records, mass_unit))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, mass_unit: str | None = None) -> TradeTable:
        """Build a table from a pandas DataFrame, checking every row.

        Required columns: ``reporter``, ``partner`` (ISO 3166 alpha-3 codes;
        ``W00`` for the World as partner), ``flow`` (:class:`~nkru.records.Flow`
        members or values, or Comtrade's ``X``, ``M``, ``RX``, ``RM``) and
        ``year`` (integers). Optional: ``month`` (1–12; 0 or missing for the
        whole year), ``hs`` (HS code text; ``TOTAL`` or missing for all
        goods), ``commodity`` (a label; ``HS <code>`` if only ``hs`` is
        given), ``value`` (numbers; NaN where not stated) with ``currency``
        (ISO 4217 codes, or SUR/RUR), ``mass`` (numbers ≥ 0; NaN where not
        stated) with its unit in a ``mass_unit`` column, the ``mass_unit``
        argument, or ``frame.attrs["units"]["mass"]`` (kg if none), ``qty`` and
        ``qty_unit_code`` (as Comtrade gives them) and ``id``. Other columns
        are refused, so a misspelt column is not silently dropped. Text
        columns may be pandas categoricals (fastest) or text.

        Text and units are checked once per distinct value, not per row;
        numbers are checked with numpy.

        Args:
            frame: The data.
            mass_unit: The unit of the ``mass`` column, if the frame has no
                ``mass_unit`` column; also the unit of the table's mass column.

        Raises:
            StructureError: every bad cell (up to 200), by row position and column:
                ``row 12, column 'currency': unknown currency 'RUR '``.

        >>> frame = pd.DataFrame({"reporter": ["RUS"], "partner": ["W00"], "flow": ["M"], "year": [2011],
        ...                       "value": [1.5], "currency": ["XYZ"]})
        >>> TradeTable.from_frame(frame)
        Traceback (most recent call last):
        ...
        nkru.errors.StructureError: cannot build TradeTable: 1 problem: row 0, column 'currency': is not a currency nkru knows (got 'XYZ')
        """
        return cls(**read_frame(frame, mass_unit))

    @classmethod
    def from_comtrade_csv(cls, source: TableInput, **options: Any) -> TradeTable:
        """Read a CSV file in the UN Comtrade layout (deprecated: use :func:`nkru.read_comtrade_csv`).

        .. deprecated:: 0.2
            One entry point per job: :func:`nkru.read_comtrade_csv` takes the
            same arguments. This alias is removed in nkru 0.3.
        """
        warn_deprecated("TradeTable.from_comtrade_csv", "nkru.read_comtrade_csv")
        from nkru.io.comtrade import read_comtrade_csv  # noqa: PLC0415 - deprecated alias, removed in 0.3; the reader sits above the table

        return read_comtrade_csv(source, **options)

    @classmethod
    def concat(cls, tables: Sequence[TradeTable]) -> TradeTable:
        """Join tables end to end (their mass columns converted to the first table's unit).

        >>> import pandas as pd
        >>> one = TradeTable.from_frame(pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"],
        ...                                          "year": [2005], "mass": [1.0]}), mass_unit="t")
        >>> len(TradeTable.concat([one, one]))
        2
        """
        if not tables:
            raise ValidationError("tables", [], "needs at least one table")
        first = tables[0]
        target = unit(first.mass_unit)

        def merged(get: Callable[[TradeTable], tuple[npt.NDArray[Any], tuple[Any, ...]]]) -> tuple[IntArray, list[Any]]:
            categories: dict[Any, int] = {}
            parts = []
            for table in tables:
                codes, names = get(table)
                mapping = np.array([categories.setdefault(name, len(categories)) for name in names] + [-1])
                parts.append(mapping[codes.astype(np.int64)])
            return np.concatenate(parts), list(categories)

        ids = None
        if all(table._ids is not None for table in tables):  # noqa: SLF001 - same class
            ids = np.concatenate([table._ids for table in tables if table._ids is not None])  # noqa: SLF001
        masses = [convert_array(table._mass, unit(table.mass_unit), target) for table in tables]  # noqa: SLF001
        return cls(
            reporter=merged(lambda t: (t._reporter, t._reporters)),  # noqa: SLF001
            partner=merged(lambda t: (t._partner, t._partners)),  # noqa: SLF001
            flow=np.concatenate([t._flow for t in tables]),  # noqa: SLF001
            year=np.concatenate([t._year for t in tables]),  # noqa: SLF001
            month=np.concatenate([t._month for t in tables]),  # noqa: SLF001
            commodity=merged(lambda t: (t._commodity, t._commodities)),  # noqa: SLF001
            value=np.concatenate([t._value for t in tables]),  # noqa: SLF001
            currency=merged(lambda t: (t._currency, t._currencies)),  # noqa: SLF001
            mass=np.concatenate(masses),
            mass_unit=first.mass_unit,
            qty=np.concatenate([t._qty for t in tables]),  # noqa: SLF001
            qty_unit=np.concatenate([t._qty_unit for t in tables]),  # noqa: SLF001
            ids=ids,
        )

    def where(self, mask: npt.ArrayLike) -> TradeTable:
        """Return the rows where the boolean ``mask`` (one entry per row) is true.

        >>> import numpy as np, pandas as pd
        >>> table = TradeTable.from_frame(pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK", "W00"],
        ...                                            "flow": ["X", "X"], "year": [2005, 2005]}))
        >>> len(table.where(table.to_frame()["partner"] != "W00"))
        1
        """
        keep = np.asarray(mask)
        if keep.dtype != np.bool_ or keep.shape != (len(self),):
            raise ValidationError("mask", f"{keep.dtype} of shape {keep.shape}", f"must be {len(self)} booleans")
        return TradeTable(
            reporter=(self._reporter[keep], self._reporters),
            partner=(self._partner[keep], self._partners),
            flow=self._flow[keep],
            year=self._year[keep],
            month=self._month[keep],
            commodity=(self._commodity[keep], self._commodities),
            value=self._value[keep],
            currency=(self._currency[keep], self._currencies),
            mass=self._mass[keep],
            mass_unit=self._mass_unit,
            qty=self._qty[keep],
            qty_unit=self._qty_unit[keep],
            ids=None if self._ids is None else self._ids[keep],
        )

    # -- conversion ------------------------------------------------------------------------------

    def convert_currency(self, to: str = "USD", *, rates: ExchangeRates | None = None) -> TradeTable:
        """Convert every value to ``to`` at each row's period-average rate.

        A row for a year converts at that year's annual average, a row for a
        month at that month's average (:attr:`RatePolicy.PERIOD_AVERAGE`,
        the rule :func:`nkru.aggregate.total` uses, with the same arithmetic,
        so both give the same figures). RUR and RUB convert into each other
        exactly (÷ or × 1000), without rates. Rates come from ``rates`` or
        nkru's shipped table and are looked up once per currency and period.

        Raises:
            RateNotFoundError: a currency has no rate for some year present
                (the message lists the years).
            ValidationError: ``to`` is not a currency nkru knows, or a value
                overflows in it.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"], "year": [1997],
        ...                       "value": [4.5e9], "currency": ["RUR"]})
        >>> float(TradeTable.from_frame(frame).convert_currency("RUB").to_frame()["value"].iloc[0])
        4500000.0
        """
        check_currency("to", to)
        table = ExchangeRates.default() if rates is None else rates
        if not isinstance(table, ExchangeRates):
            raise ValidationError("rates", table, "must be an nkru.fx.ExchangeRates")
        if len(self) == 0 or not (self._currency >= 0).any():
            return self._with_values(self._value, to)
        first_year = int(self._year.min())
        years = int(self._year.max()) - first_year + 1
        slots = len(self._currencies) + 1  # the last slot: rows without a value
        currency = np.where(self._currency < 0, slots - 1, self._currency).astype(np.int64)
        key = (currency * years + (self._year.astype(np.int64) - first_year)) * 13 + self._month
        present = np.bincount(key, minlength=slots * years * 13).reshape(slots, years, 13) > 0
        divisor = np.ones((slots, years, 13))
        multiplier = np.ones((slots, years, 13))
        for code, name in enumerate(self._currencies):
            if present[code].any():
                _fill_factors(
                    table,
                    name,
                    to,
                    present=present[code],
                    first_year=first_year,
                    divisor=divisor[code],
                    multiplier=multiplier[code],
                )
        # ExchangeRates.convert's rule, per row: divide by the source's rate, multiply by the target's
        converted = ExactFactor.apply_by_row(self._value, divisor.ravel(), multiplier.ravel(), key)
        overflow = np.flatnonzero(np.isinf(converted))
        if overflow.size:
            row = int(overflow[0])
            raise ValidationError(
                f"row {row}, column 'value'", float(self._value[row]), f"is too large to express in {to}"
            )
        return self._with_values(converted, to)

    def _with_values(self, values: FloatArray, currency: str) -> TradeTable:
        codes = np.where(np.isnan(values), -1, 0)
        return TradeTable(
            reporter=(self._reporter, self._reporters),
            partner=(self._partner, self._partners),
            flow=self._flow,
            year=self._year,
            month=self._month,
            commodity=(self._commodity, self._commodities),
            value=values,
            currency=(codes, (currency,)),
            mass=self._mass,
            mass_unit=self._mass_unit,
            qty=self._qty,
            qty_unit=self._qty_unit,
            ids=self._ids,
        )

    # -- aggregation -----------------------------------------------------------------------------

    def group_sum(self, by: Sequence[str] = ("year", "flow", "chapter")) -> pd.DataFrame:
        """Sum value and mass by groups of rows, vectorized.

        Rows without a value (or mass) are left out of that sum, as
        :func:`nkru.aggregate.total` does with ``missing="skip"``; the counts
        say how many rows each sum has. A group where no row states a value
        has NaN as its value sum, not 0. The sums are the same floats
        :func:`nkru.aggregate.group_total` gives for the same records (both add
        left to right, in row order).

        Comtrade files hold several levels of aggregation at once (``TOTAL``,
        a chapter and its headings); sum rows of one level only (select them
        with :meth:`where`), or a figure is counted twice.

        Args:
            by: Columns of :data:`GROUP_SUM_KEYS`: ``year``, ``month``,
                ``flow``, ``chapter`` (the two-digit HS chapter), ``hs``,
                ``reporter``, ``partner``.

        Returns:
            One row per group, sorted by the keys (missing keys last), with
            the key columns and ``value``, ``value_count``, ``mass``,
            ``mass_count`` and ``rows``. ``attrs["units"]`` gives the units of
            ``value`` and ``mass``.

        Raises:
            CurrencyMismatchError: the values are in more than one currency
                (convert them with :meth:`convert_currency` first).
            ValidationError: an unknown or repeated key.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 3, "partner": ["PRK"] * 3, "flow": ["X", "X", "M"],
        ...                       "year": [2005] * 3, "hs": ["2710", "27", None], "value": [1.0, 2.0, 4.0],
        ...                       "currency": ["USD"] * 3})
        >>> TradeTable.from_frame(frame).group_sum(["chapter"])[["chapter", "value", "rows"]]
          chapter  value  rows
        0      27    3.0     2
        1     NaN    4.0     1
        """
        keys = list(by) if not isinstance(by, str) else [by]
        if not keys or len(set(keys)) != len(keys) or any(key not in GROUP_SUM_KEYS for key in keys):
            raise ValidationError("by", by, f"must be distinct keys of {', '.join(GROUP_SUM_KEYS)}")
        currencies = self.currencies
        if len(currencies) > 1:
            raise CurrencyMismatchError(currencies[0], currencies[1])
        columns = [self._key_codes(key) for key in keys]
        combined = np.zeros(len(self), dtype=np.int64)
        bins = 1
        for codes, radix, _decode in columns:
            combined = combined * radix + codes
            bins *= radix
        if bins <= max(_MAX_BINS, len(self)):
            groups, index = np.arange(bins), combined
        else:
            groups, index = np.unique(combined, return_inverse=True)
        size = groups.size
        rows = np.bincount(index, minlength=size)
        sums: dict[str, npt.NDArray[Any]] = {}
        for name, column in (("value", self._value), ("mass", self._mass)):
            present = ~np.isnan(column)
            if present.all():  # nothing to leave out: the row counts are the counts
                sums[name], sums[f"{name}_count"] = np.bincount(index, weights=column, minlength=size), rows
            else:
                weights = np.where(present, column, 0.0)
                sums[name] = np.bincount(index, weights=weights, minlength=size)
                sums[f"{name}_count"] = np.bincount(index, weights=present, minlength=size).astype(np.int64)
        for name in ("value", "mass"):
            if np.isinf(sums[name]).any():
                raise ValidationError(name, "a group's sum", "is too large for a float")
        used = rows > 0
        result: dict[str, Any] = {}
        remainder = groups[used]
        for key, (_codes, radix, decode) in reversed(list(zip(keys, columns, strict=True))):
            result[key] = decode(remainder % radix)
            remainder = remainder // radix
        frame = pd.DataFrame({key: result[key] for key in keys})
        frame["value"] = np.where(sums["value_count"][used] > 0, sums["value"][used], np.nan)
        frame["value_count"] = sums["value_count"][used]
        frame["mass"] = np.where(sums["mass_count"][used] > 0, sums["mass"][used], np.nan)
        frame["mass_count"] = sums["mass_count"][used]
        frame["rows"] = rows[used]
        frame.attrs["units"] = {"value": currencies[0] if currencies else None, "mass": self._mass_unit}
        return frame

    def _key_codes(self, key: str) -> tuple[IntArray, int, Callable[[IntArray], Any]]:
        """Per-row codes 0..radix-1 of ``key``, the radix, and how to turn codes into the key's values.

        Codes sort as the values do, with missing values last.
        """
        if key == "year":
            first = int(self._year.min()) if len(self) else 0
            span = int(self._year.max()) - first + 1 if len(self) else 1
            return self._year.astype(np.int64) - first, span, lambda codes: (codes + first).astype(np.int64)
        if key == "month":
            return self._month.astype(np.int64), 13, lambda codes: codes.astype(np.int64)
        if key == "flow":
            names = [flow.value for flow in FLOWS]
            return self._flow.astype(np.int64), len(names), lambda codes: categorical(codes, names)
        if key in ("chapter", "hs"):
            per_category = [hs if hs is None or key == "hs" else hs[:2] for _label, hs in self._commodities]
            return _sorted_codes(self._commodity, per_category)
        if key == "reporter":
            return _sorted_codes(self._reporter, self._reporters)
        return _sorted_codes(self._partner, self._partners)

    # -- output ----------------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """Return the table as a DataFrame with the columns of :mod:`nkru.table`; units in ``attrs["units"]``.

        :meth:`from_frame` reads the result back into an equal table.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"], "year": [2005],
        ...                       "mass": [2.0], "mass_unit": ["t"]})
        >>> out = TradeTable.from_frame(frame).to_frame()
        >>> float(out["mass"].iloc[0]), out.attrs["units"]["mass"]
        (2000.0, 'kilogram')
        """
        hs = [h for _label, h in self._commodities]
        labels = [label for label, _h in self._commodities]
        hs_names = sorted({h for h in hs if h is not None})
        hs_codes = np.array([-1 if h is None else hs_names.index(h) for h in hs] + [-1], dtype=np.int64)
        label_names = sorted(set(labels))
        label_codes = np.array([label_names.index(label) for label in labels] + [-1], dtype=np.int64)
        data: dict[str, Any] = {}
        if self._ids is not None:
            data["id"] = self._ids.copy()
        data |= {
            "reporter": categorical(self._reporter, list(self._reporters)),
            "partner": categorical(self._partner, list(self._partners)),
            "flow": categorical(self._flow, [f.value for f in FLOWS]),
            "year": self._year.copy(),
            "month": self._month.copy(),
            "hs": categorical(hs_codes[self._commodity], hs_names),
            "commodity": categorical(label_codes[self._commodity], label_names),
            "value": self._value.copy(),
            "currency": categorical(self._currency, list(self._currencies)),
            "mass": self._mass.copy(),
            "qty": self._qty.copy(),
            "qty_unit_code": self._qty_unit.copy(),
        }
        frame = pd.DataFrame(data)
        frame.attrs["units"] = {"value": "currency", "mass": self._mass_unit, "qty": "qty_unit_code"}
        return frame

    def to_records(self, *, id_prefix: str = "row-") -> list[TradeFlow]:
        """Return the rows as :class:`~nkru.records.TradeFlow` records (one Python object per row).

        Values and masses become exact, reported Measures. Rows without ids
        (a table read from a frame or a CSV) get ``id_prefix`` and the row
        number.

        Raises:
            ValidationError: a row whose partner is the World (no country) or
                that states neither value nor mass, named by its row.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"], "year": [2005],
        ...                       "month": [3], "value": [2.0], "currency": ["EUR"]})
        >>> record = TradeTable.from_frame(frame).to_records()[0]
        >>> record.id, str(record.period), record.amount.value
        ('row-0', '2005-03', <Quantity(2.0, 'EUR')>)
        """
        countries = {code: Country(code) for code in (*self._reporters, *self._partners) if code != WORLD}
        commodities = [Commodity(label, hs) for label, hs in self._commodities]
        currencies = [unit(code) for code in self._currencies]
        mass_unit = unit(self._mass_unit)
        periods: dict[tuple[int, int], Period] = {}
        records = []
        for row in range(len(self)):
            partner = self._partners[self._partner[row]]
            where = f"row {row}"
            if partner == WORLD:
                raise ValidationError(
                    where, partner, "has the World as partner, which is no country; select rows first"
                )
            value, mass = float(self._value[row]), float(self._mass[row])
            if np.isnan(value) and np.isnan(mass):
                raise ValidationError(where, None, "states neither a value nor a mass")
            year, month = int(self._year[row]), int(self._month[row])
            period = periods.get((year, month))
            if period is None:
                period = Period.year(year) if month == 0 else Period.month(year, month)
                periods[year, month] = period
            commodity_code = int(self._commodity[row])
            records.append(
                TradeFlow(
                    id=str(self._ids[row]) if self._ids is not None else f"{id_prefix}{row}",
                    reporter=countries[self._reporters[self._reporter[row]]],
                    partner=countries[partner],
                    flow=FLOWS[self._flow[row]],
                    period=period,
                    commodity=None if commodity_code < 0 else commodities[commodity_code],
                    amount=None if np.isnan(value) else Measure(ureg.Quantity(value, currencies[self._currency[row]])),
                    mass=None if np.isnan(mass) else Measure(ureg.Quantity(mass, mass_unit)),
                )
            )
        return records

    # -- Parquet ---------------------------------------------------------------------------------

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the table to a Parquet file, units in the file's schema metadata (needs pyarrow).

        The file is written to a temporary file in the same folder and renamed
        over ``path``, so a failed write keeps the old file, never a truncated one.

        Raises:
            MissingDependencyError: pyarrow is not installed (``pip install 'nkru[parquet]'``).
            ValidationError: ``path`` is not a file path.
            OSError: the folder cannot be written or the disk is full.
        """
        write_parquet(self.to_frame(), path)

    @classmethod
    def read_parquet(cls, path: str | os.PathLike[str]) -> TradeTable:
        """Read a table written by :meth:`to_parquet` (or any Parquet file with :meth:`from_frame`'s columns).

        Raises:
            MissingDependencyError: pyarrow is not installed.
            StructureError: a bad cell, as :meth:`from_frame` reports it.
            ValidationError: no such file, not a Parquet file, or its nkru
                metadata cannot be read.
        """
        frame, mass_unit = read_parquet(path)
        return cls.from_frame(frame, mass_unit=mass_unit)


def _sorted_codes(
    codes: npt.NDArray[Any], per_category: Sequence[str | None]
) -> tuple[IntArray, int, Callable[[IntArray], Any]]:
    """Map category codes (-1 = missing) to codes of the sorted distinct names, missing last."""
    names = sorted({name for name in per_category if name is not None})
    position = {name: i for i, name in enumerate(names)}
    missing = len(names)
    mapping = np.array([missing if n is None else position[n] for n in per_category] + [missing], dtype=np.int64)

    def decode(group_codes: IntArray) -> Any:
        return categorical(np.where(group_codes == missing, -1, group_codes), names)

    return mapping[codes.astype(np.int64)], missing + 1, decode


def _fill_factors(
    rates: ExchangeRates,
    source: str,
    target: str,
    *,
    present: npt.NDArray[np.bool_],
    first_year: int,
    divisor: FloatArray,
    multiplier: FloatArray,
) -> None:
    """Fill one currency's ``(year, month)`` factors, for the periods present, as ExchangeRates.convert would."""
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

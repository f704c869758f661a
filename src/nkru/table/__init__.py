"""A columnar table of trade flows: millions of rows, converted and summed vectorized.

A :class:`TradeTable` holds what a million :class:`~nkru.records.TradeFlow`
records would, as numpy columns with one unit per column:

==================== ============ ==============================================================
column               dtype        meaning
==================== ============ ==============================================================
reporter             category     the reporter: an ISO 3166 alpha-3 code, or a Comtrade area's code (``S19``)
partner              category     the partner: likewise, ``W00`` for the World (Comtrade partner 0)
reporter_kind        category     ``country``, ``world``, ``group``, ``nes`` or ``special``
                                  (:class:`~nkru.parties.AreaKind`); one per reporter code
partner_kind         category     the same for the partner
flow                 category     a :class:`~nkru.records.Flow` value (``export``, ``import`` ...)
year                 int16        calendar year of the period
month                int8         month of the period, 1–12; 0 for the whole year
hs                   category     HS code of the commodity (``27``, ``2710`` ...); missing for all goods
commodity            category     the commodity's label; missing for all goods
value                float64      the value (Comtrade's primaryValue), in the row's ``currency``; NaN if not stated
currency             category     ISO 4217 code (or SUR/RUR) of ``value``, ``cif_value`` and ``fob_value``
mass                 float64      net weight in the table's :attr:`~TradeTable.mass_unit` (kg by default); NaN if not stated
qty                  float64      Comtrade's supplementary quantity, as read; NaN if none
qty_unit_code        int16        Comtrade's ``qtyUnitCode`` for ``qty``, as read (not interpreted); -1 if none
cif_value            float64      the CIF value (imports are usually valued CIF), in ``currency``; NaN if none
fob_value            float64      the FOB value (exports are usually valued FOB), in ``currency``; NaN if none
gross_mass           float64      gross weight, in the mass unit; NaN if none
alt_qty              float64      Comtrade's alternate quantity, as read; NaN if none
alt_qty_unit_code    int32        its unit's code, as read; -1 if none
mass_estimated       boolean      whether Comtrade estimated ``mass`` (isNetWgtEstimated); missing if not said
gross_mass_estimated boolean      likewise for ``gross_mass`` (isGrossWgtEstimated)
qty_estimated        boolean      likewise for ``qty`` (isQtyEstimated)
alt_qty_estimated    boolean      likewise for ``alt_qty`` (isAltQtyEstimated)
estimation_flag      int32        Comtrade's legacyEstimationFlag (Classic's ``Flag``); -1 if none
is_reported          boolean      whether the reporter reported the row (isReported)
is_aggregate         boolean      whether Comtrade aggregated the row (isAggregate)
aggr_level           int32        Comtrade's aggrLevel of the commodity; -1 if none
is_leaf              boolean      whether the commodity is a leaf of its classification (isLeaf)
customs_code         category     the customs procedure (customsCode); ``C00`` is the total
mot_code             int32        the mode of transport (motCode); 0 is the total, -1 if none
partner2_code        int32        the second partner (partner2Code); 0 is the total, -1 if none
classification       category     the commodity classification (``H0`` … ``H6``, ``S1`` … ``S4``)
mirrored             boolean      true on rows :meth:`TradeTable.mirror` built from partners' reports (nkru's own)
id                   object       record ids, only for a table built from records
==================== ============ ==============================================================

The Comtrade columns from ``cif_value`` on are listed in
:data:`nkru.table.columns.EXTRAS`; a table built from records or a frame
without them holds them as missing. :meth:`TradeTable.group_sum` refuses sums
that would count trade twice (the World added to its partners, a total to its
parts, monthly rows to annual ones, breakdowns to their totals); select the
rows it may add with :meth:`TradeTable.select`.

**Units are column metadata**, not per-value objects: the value column's
currency is the ``currency`` column (a category, so a million rows hold a
few codes), and the mass column has one unit for the whole table. nkru does
not use pint-pandas (it is not a dependency, and it loses units in concat);
:meth:`TradeTable.to_frame` puts the units in ``DataFrame.attrs["units"]``
(``{"mass": "kilogram", "value": "currency", "qty": "qty_unit_code", ...}``: a
unit, or the name of the column holding each row's unit), and
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
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._core.circulation import outside
from nkru._core.deprecation import warn_deprecated
from nkru._core.numbers import checked_float
from nkru._core.tables import TableInput
from nkru.dataset import AnyRecord, Dataset
from nkru.errors import CurrencyMismatchError, ValidationError
from nkru.fx import ExchangeRates
from nkru.measures import Measure  # noqa: F401 - from_records' example runs in this namespace and uses it
from nkru.parties import AreaKind, Country, comtrade_area  # noqa: F401 - Country: as Measure
from nkru.periods import Period  # noqa: F401 - as Measure
from nkru.records import TradeFlow
from nkru.table._analytics import (
    balance_of,
    cagr_of,
    checked_keys,
    mirror_frame,
    mirror_party,
    months_of,
    percent_change_of,
    reconciled,
    share_of,
    top_of,
    unit_value_of,
)
from nkru.table._convert import converted
from nkru.table._output import frame_of, records_of
from nkru.table._parquet import read_parquet, write_parquet
from nkru.table._records import columns_from_records, fitting_records
from nkru.table._rules import check_additive, deciding_mask, listed
from nkru.table._select import selection
from nkru.table._storage import area_kinds, extra_columns, frozen, joined, present, taken
from nkru.table._sums import group_frame
from nkru.table.columns import (
    FLOW_CODES,
    WORLD,
    Codes,
    FloatArray,
    convert_array,
    has_nan,
    mass_unit,
    read_frame,
)
from nkru.units import check_currency, format_unit, unit

__all__ = ["GROUP_SUM_KEYS", "WORLD", "TradeTable", "reconcile"]


GROUP_SUM_KEYS: Final = ("year", "month", "flow", "chapter", "hs", "reporter", "partner")
"""The columns :meth:`TradeTable.group_sum` groups by."""


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
        "_encoding",
        "_extras",
        "_flow",
        "_ids",
        "_layout",
        "_mass",
        "_mass_unit",
        "_month",
        "_partner",
        "_partner_kinds",
        "_partners",
        "_qty",
        "_qty_unit",
        "_reporter",
        "_reporter_kinds",
        "_reporters",
        "_value",
        "_year",
    )

    def __init__(
        self,
        *,
        reporter: tuple[Codes, Sequence[str]],
        partner: tuple[Codes, Sequence[str]],
        flow: Codes,
        year: Codes,
        month: Codes,
        commodity: tuple[Codes, Sequence[tuple[str, str | None]]],
        value: FloatArray,
        currency: tuple[Codes, Sequence[str]],
        mass: FloatArray,
        mass_unit: str,
        qty: FloatArray,
        qty_unit: Codes,
        reporter_kind: Sequence[AreaKind] | None = None,
        partner_kind: Sequence[AreaKind] | None = None,
        extras: Mapping[str, Any] | None = None,
        ids: npt.NDArray[np.object_] | None = None,
        layout: str | None = None,
        encoding: str | None = None,
    ) -> None:
        """Hold already validated columns; use the ``from_*`` constructors instead.

        ``reporter_kind`` and ``partner_kind`` give each category's kind (found
        with :func:`nkru.parties.area_kind` if not given); ``extras`` holds the
        columns of :data:`nkru.table.columns.EXTRAS` that are present (arrays,
        or ``(codes, names)`` for text columns); absent ones are missing.
        """
        self._reporter = frozen(np.asarray(reporter[0], dtype=np.int16))
        self._reporters = tuple(reporter[1])
        self._reporter_kinds = area_kinds(self._reporters, reporter_kind)
        self._partner = frozen(np.asarray(partner[0], dtype=np.int16))
        self._partners = tuple(partner[1])
        self._partner_kinds = area_kinds(self._partners, partner_kind)
        self._flow = frozen(np.asarray(flow, dtype=np.int8))
        self._year = frozen(np.asarray(year, dtype=np.int16))
        self._month = frozen(np.asarray(month, dtype=np.int8))
        self._commodity = frozen(np.asarray(commodity[0], dtype=np.int32))
        self._commodities = tuple(commodity[1])
        self._value = frozen(np.asarray(value, dtype=np.float64))
        self._currency = frozen(np.asarray(currency[0], dtype=np.int8))
        self._currencies = tuple(currency[1])
        self._mass = frozen(np.asarray(mass, dtype=np.float64))
        self._mass_unit = mass_unit
        self._qty = frozen(np.asarray(qty, dtype=np.float64))
        self._qty_unit = frozen(np.asarray(qty_unit, dtype=np.int16))
        self._ids = None if ids is None else frozen(ids)
        self._extras = extra_columns(len(self._year), extras or {})
        self._layout = layout
        self._encoding = encoding

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
    def layout(self) -> str | None:
        """The layout the rows were read from (``"plus"``, ``"classic"``, ``"bulk"``, ``"json"``, ``"frame"``), if read.

        :func:`nkru.read_comtrade` says which layout it found; a table built
        otherwise, or joined from tables of different layouts, says None.
        """
        return self._layout

    @property
    def encoding(self) -> str | None:
        """The text encoding the rows were read in (``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"`` ...), if read from bytes."""
        return self._encoding

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the rows that have a value, sorted."""
        held, _missing = present(self._currency, len(self._currencies))
        return tuple(sorted(self._currencies[int(code)] for code in np.flatnonzero(held)))

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        records: Iterable[AnyRecord] | Dataset,
        *,
        mass_unit: str = "kg",
        unfit: Literal["skip", "raise"] = "skip",
    ) -> TradeTable:
        """Build a table from trade flows, or from any records or dataset.

        The table keeps each flow's id, countries, flow, period, commodity,
        value and mass; it does not keep citations, notes or inferred-field
        names. It holds exact reported figures for calendar years and months,
        as Comtrade does, so a flow it holds covers a calendar year or month,
        states its value and mass exact (:attr:`Qualifier.EXACT`) and reported
        (:attr:`ObsStatus.REPORTED`), and has no count or share.

        Records it cannot hold whole (shipments, events and claims; a share or
        a count alone; a partial or approximate period; an "about" figure) are
        left out, never changed, and a :class:`UserWarning` counts and names
        them by reason (``nkru.Dataset.to_frame`` keeps every record).

        Args:
            records: The records, or a :class:`~nkru.dataset.Dataset`.
            mass_unit: The unit of the table's mass column.
            unfit: ``"skip"`` (leave the records out, with the warning) or
                ``"raise"`` (refuse the first, naming it and why).

        Raises:
            ValidationError: an item that is not an nkru record; with
                ``unfit="raise"``, a record that the table cannot hold, named by its id.

        >>> from nkru.records import Flow
        >>> from nkru.units import money
        >>> flow = TradeFlow(id="f1", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
        ...                  period=Period.year(2005), amount=Measure(money(5.0, "USD")))
        >>> TradeTable.from_records([flow])
        <TradeTable: 1 rows, values in USD, mass in kilogram>
        """
        if unfit not in ("skip", "raise"):
            raise ValidationError("unfit", unfit, "must be 'skip' or 'raise'")
        items: Iterable[Any] = tuple(records) if isinstance(records, Dataset) else records
        if unfit == "skip":
            kept, message = fitting_records(items)
            if message is not None:
                warnings.warn(message, UserWarning, stacklevel=2)
            items = kept
        return cls(**columns_from_records(items, mass_unit))

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        mass_unit: str | None = None,
        layout: str | None = None,
        encoding: str | None = None,
    ) -> TradeTable:
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
            layout: What the rows were read from, for :attr:`layout` (readers set it).
            encoding: The text encoding they were read in, for :attr:`encoding`.

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
        return cls(**read_frame(frame, mass_unit), layout=layout, encoding=encoding)

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
        return cls(**joined(tables))

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
        rows = np.flatnonzero(keep)
        if rows.size == len(self):
            return self  # every row: the table is immutable
        return TradeTable(**taken(self, rows))

    # -- conversion ------------------------------------------------------------------------------

    def convert_currency(
        self, to: str = "USD", *, rates: ExchangeRates | None = None, redenominate: bool = False
    ) -> TradeTable:
        """Convert every value to ``to`` at each row's period-average rate.

        A row for a year converts at that year's annual average, a row for a
        month at that month's average (:attr:`RatePolicy.PERIOD_AVERAGE`,
        the rule :func:`nkru.aggregate.total` uses, with the same arithmetic,
        so both give the same figures). RUR and RUB convert into each other
        exactly (÷ or × 1000), without rates. Rates come from ``rates`` or
        nkru's shipped table and are looked up once per currency and period.
        Rows in a currency outside its years (RUB before 1998, RUR after
        2002, SUR outside 1961–1991) are refused, as
        :meth:`nkru.fx.ExchangeRates.convert` refuses them, unless
        ``redenominate=True``.

        Args:
            to: The currency code to convert to, in any case.
            rates: A table of your own; nkru's shipped table if None.
            redenominate: Convert rows dated outside their currency's years
                (new roubles before 1998, say) instead of raising.

        Raises:
            CurrencyNotInCirculationError: rows of a currency dated outside
                its years (the message lists the years).
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
        to = check_currency("to", to)
        if rates is not None and not isinstance(rates, ExchangeRates):
            raise ValidationError("rates", rates, "must be an nkru.fx.ExchangeRates")
        if not isinstance(redenominate, bool):
            raise ValidationError("redenominate", redenominate, "must be True or False")
        if self._currencies == (to,) and (
            redenominate or len(self) == 0 or not outside(to, int(self._year.min()), int(self._year.max()))
        ):
            return self  # every value is in ``to`` already (and circulated then), and the table is immutable
        table = ExchangeRates.default() if rates is None else rates
        if len(self) == 0 or not (self._currency >= 0).any():
            return self._with_values(self._value, to)
        values = converted(self, to, table, redenominate=redenominate)
        return self._with_values(values.pop("value"), to, values)

    def _with_values(
        self, values: FloatArray, currency: str, money: Mapping[str, FloatArray] | None = None
    ) -> TradeTable:
        # A row's value and its CIF and FOB values share the row's currency: a row with any of them keeps it.
        if not money and not has_nan(values):
            codes = np.zeros(len(values), dtype=np.int8)  # a value on every row
        else:
            stated = ~np.isnan(values)
            for column in (money or {}).values():
                stated |= ~np.isnan(column)
            codes = np.where(stated, np.int8(0), np.int8(-1))
        return TradeTable(
            reporter=(self._reporter, self._reporters),
            partner=(self._partner, self._partners),
            reporter_kind=self._reporter_kinds,
            partner_kind=self._partner_kinds,
            extras={**self._extras, **(money or {})},
            layout=self._layout,
            encoding=self._encoding,
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

        Comtrade files hold totals beside their parts, and a sum that would
        add one to the other is refused with a :class:`~nkru.errors.DoubleCountError`
        that names the :meth:`select` call to make. A sum may not add, unless
        grouped by the column that keeps them apart:

        - the World or a group (``reporter_kind``/``partner_kind`` ``world``
          or ``group``) to other partners (or reporters): group by partner or
          select ``partners="countries"`` or one partner;
        - different commodity levels (``TOTAL``, 2, 4, 6 digits), unless every
          row is a leaf (``is_leaf``): group by hs or select ``level=``;
        - breakdown rows (``customs_code`` other than C00, ``mot_code`` or
          ``partner2_code`` other than 0) to their totals (or to rows that
          state no breakdown): select ``breakdowns="total"``;
        - monthly rows to annual ones: group by month or select ``freq=``;
        - turnover to the exports or imports of the same reporter and partner
          (turnover is exports plus imports), re-exports to exports or
          re-imports to imports (Comtrade's exports hold the re-exports: see
          :attr:`Flow.parts <nkru.records.Flow.parts>`): group by flow or
          select ``flows=["export", "import"]``; exports and imports add up (to
          the turnover);
        - rows :meth:`mirror` built to reported rows (a flow and its mirror
          are one trade): group by reporter, partner or flow, or select ``mirrored=``.

        "nes" areas and special categories hold trade no country's row holds,
        so adding them to the countries is right (it is what the World holds).

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
            DoubleCountError: the sum would add a total to its parts (see above).
            ValidationError: an unknown or repeated key.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 3, "partner": ["PRK"] * 3, "flow": ["X", "X", "M"],
        ...                       "year": [2005] * 3, "hs": ["2710", "2709", "1001"], "value": [1.0, 2.0, 4.0],
        ...                       "currency": ["USD"] * 3})
        >>> TradeTable.from_frame(frame).group_sum(["chapter"])[["chapter", "value", "rows"]]
          chapter  value  rows
        0      10    4.0     1
        1      27    3.0     2
        """
        keys = [by] if isinstance(by, str) or by is None else list(by)  # None: refused below, as no key
        if not keys or len(set(keys)) != len(keys) or any(key not in GROUP_SUM_KEYS for key in keys):
            raise ValidationError("by", by, f"must be distinct keys of {', '.join(GROUP_SUM_KEYS)}")
        currencies = self.currencies
        if len(currencies) > 1:
            raise CurrencyMismatchError(currencies[0], currencies[1])
        check_additive(self, keys)
        return group_frame(self, keys, currencies[0] if currencies else None)

    # -- analytics (computed from group sums; see nkru.table._analytics) --------------------------

    def balance(self, by: Sequence[str] = ("year",), *, missing: str = "nan") -> pd.DataFrame:
        """Exports minus imports per group, in the values' currency.

        Computed from ``group_sum([*by, "flow"])`` of the export and import
        rows, so :meth:`group_sum`'s rules against double counting hold.
        Re-exports and re-imports are left out: Comtrade's exports already
        hold re-exports, so adding them would count them twice.
        :func:`nkru.aggregate.group_balance` computes the same over records.

        Args:
            by: Keys of :data:`GROUP_SUM_KEYS` other than ``flow``.
            missing: ``"nan"`` (a group missing a side has NaN there and as
                its balance) or ``"zero"`` (the missing side counts as 0).

        Returns:
            The keys, ``exports``, ``imports`` and ``balance``; units in ``attrs["units"]``.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or option, or no export or import rows.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 3, "partner": ["PRK"] * 3, "flow": ["X", "M", "X"],
        ...                       "year": [2005, 2005, 2006], "value": [10.0, 4.0, 7.0], "currency": ["USD"] * 3})
        >>> TradeTable.from_frame(frame).balance()
           year  exports  imports  balance
        0  2005     10.0      4.0      6.0
        1  2006      7.0      NaN      NaN
        """
        keys = checked_keys(by, GROUP_SUM_KEYS, without=("flow",))
        sums = self.select(flows=["export", "import"]).group_sum([*keys, "flow"])
        return balance_of(sums, keys, missing=missing)

    def share(
        self, by: Sequence[str] = ("year", "flow", "chapter"), *, of: Sequence[str] = ("year", "flow")
    ) -> pd.DataFrame:
        """Each group's value as a percentage of the total of the groups that share its ``of`` keys.

        The default gives each chapter's share of a year's exports (and of its
        imports). Computed from ``group_sum(by)``; a group whose total is 0
        or unstated has a NaN share. :func:`nkru.aggregate.group_share`
        computes the same over records.

        Args:
            by: Keys of :data:`GROUP_SUM_KEYS`.
            of: The keys of ``by`` that say which total a group is a part of
                (none: the grand total).

        Returns:
            The keys, ``value``, ``total`` and ``share`` (percent).

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key, ``of`` not a smaller part of ``by``, or an empty table.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 3, "partner": ["PRK"] * 3, "flow": ["X"] * 3,
        ...                       "year": [2005] * 3, "hs": ["27", "10", "44"], "value": [6.0, 3.0, 1.0],
        ...                       "currency": ["USD"] * 3})
        >>> TradeTable.from_frame(frame).share()[["chapter", "value", "share"]]
          chapter  value  share
        0      10    3.0   30.0
        1      27    6.0   60.0
        2      44    1.0   10.0
        """
        keys = checked_keys(by, GROUP_SUM_KEYS)
        wholes = checked_keys(of, keys, what="of") if of else []
        if len(wholes) == len(keys):
            raise ValidationError("of", of, f"must leave some keys of by ({', '.join(keys)}) to share over")
        sums = self.group_sum(keys)
        check_additive(self, wholes)  # the wholes add groups up too: each must count nothing twice
        return share_of(sums, keys, wholes)

    def unit_value(
        self, by: Sequence[str] = ("year", "flow", "chapter"), *, per: str = "kg", estimated: str = "flag"
    ) -> pd.DataFrame:
        """Value per unit of mass (or of Comtrade's quantity) per group, over the rows that state both.

        Comtrade estimates many weights (``mass_estimated``, ``qty_estimated``):
        ``estimated="flag"`` keeps those rows and counts them per group in
        ``estimated_rows``; ``"exclude"`` leaves them out. Computed from
        ``group_sum(by)`` of the rows that state both a value and the
        quantity. :func:`nkru.aggregate.group_unit_value` computes the same
        over records (by mass).

        Args:
            by: Keys of :data:`GROUP_SUM_KEYS`.
            per: A unit of mass (``"kg"``, ``"t"``), or ``"qty"`` for
                Comtrade's quantity, whose rows must then share one ``qty_unit_code``.
            estimated: ``"flag"`` or ``"exclude"``.

        Returns:
            The keys, ``value``, the quantity (``mass`` in ``per``, or ``qty``),
            ``unit_value`` (``value`` over it), ``rows`` and, when flagged, ``estimated_rows``.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or option, ``per`` no unit of mass,
                quantities in several units, or no row stating both.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X"] * 2,
        ...                       "year": [2005] * 2, "hs": ["10", "10"], "value": [300.0, 100.0],
        ...                       "currency": ["USD"] * 2, "mass": [2.0, 2.0], "mass_unit": ["t"] * 2})
        >>> TradeTable.from_frame(frame).unit_value(per="t")[["chapter", "value", "mass", "unit_value"]]
          chapter  value  mass  unit_value
        0      10  400.0   4.0       100.0
        """
        keys = checked_keys(by, GROUP_SUM_KEYS)
        if estimated not in ("flag", "exclude"):
            raise ValidationError("estimated", estimated, "must be 'flag' or 'exclude'")
        if per == "qty":
            quantity, flags, name, scale = self._qty, self._extras["qty_estimated"], "qty", 1.0
            stated = ~np.isnan(quantity) & ~np.isnan(self._value)
            codes = np.unique(self._qty_unit[stated])
            if codes.size > 1:
                raise ValidationError(
                    "qty_unit_code", codes.tolist(), "mixes quantity units; select the rows of one unit first"
                )
            per_text = f"qty unit {int(codes[0])}" if codes.size else "qty"
        else:
            if not isinstance(per, str):
                raise ValidationError("per", per, "must be a unit of mass (kg, t ...) or 'qty'")
            target = mass_unit(per)
            quantity, flags, name = self._mass, self._extras["mass_estimated"], "mass"
            scale = float(convert_array(np.array([1.0]), target, unit(self._mass_unit))[0])
            stated = ~np.isnan(quantity) & ~np.isnan(self._value)
            per_text = format_unit(target)
        if estimated == "exclude":
            stated &= flags != 1
        rows = self._with_mass(quantity).where(stated)
        sums = rows.group_sum(keys)
        counted = None
        if estimated == "flag":  # the same rows and keys give the same groups, in the same order
            ones = np.where(flags[stated] == 1, 1.0, 0.0)
            counted = rows._with_mass(ones).group_sum(keys)["mass"]  # noqa: SLF001 - same class
        return unit_value_of(sums, keys, quantity=name, per=per_text, scale=scale, estimated=counted)

    def percent_change(self, by: Sequence[str] = ("flow",)) -> pd.DataFrame:
        """Each group's change in value from the year before, in percent, per year.

        Computed from ``group_sum([*by, "year"])``; the change is NaN where
        the group has no value for the year before (or it was 0). Only whole
        calendar years are compared: a year counts if its rows are annual or
        all 12 of its months state a value for the group (``months`` says how
        many do), so the change from or to a partial year is NaN, never the
        growth of three months into twelve. Select whole years
        (``select(freq="A")``) or annualize a partial figure
        (:func:`nkru.aggregate.annualize`) to compare it.
        :func:`nkru.aggregate.group_percent_change` computes the same over
        records, where a partial period takes no part.

        Args:
            by: Keys of :data:`GROUP_SUM_KEYS` other than ``year`` (with
                ``month``, each month is compared with the same month a year before).

        Returns:
            The keys, ``year``, ``value``, ``months``, ``previous`` (the year
            before's value, if that year is whole) and ``percent_change``.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or an empty table.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X"] * 2,
        ...                       "year": [2005, 2006], "value": [80.0, 100.0], "currency": ["USD"] * 2})
        >>> TradeTable.from_frame(frame).percent_change()
             flow  year  value  months  previous  percent_change
        0  export  2005   80.0      12       NaN             NaN
        1  export  2006  100.0      12      80.0            25.0
        """
        keys = checked_keys(by, GROUP_SUM_KEYS, without=("year",))
        return percent_change_of(self._by_whole_year(keys), keys)

    def _by_whole_year(self, keys: Sequence[str]) -> pd.DataFrame:
        """``group_sum([*keys, "year"])`` with ``months``, the months of the year each value covers (12: whole).

        :meth:`group_sum` refuses to add monthly rows to annual ones, so the
        rows summed are all annual (a year of them is whole) or all monthly (a
        year is whole if all 12 of its months state a value in the group).
        Grouped by month, each group is one month compared with itself, so
        every year counts as whole.
        """
        sums = self.group_sum([*keys, "year"])
        monthly = None if "month" in keys or not (self._month > 0).any() else self.group_sum([*keys, "year", "month"])
        return months_of(sums, monthly, keys)

    def cagr(self, by: Sequence[str] = ("flow",), *, first: int | None = None, last: int | None = None) -> pd.DataFrame:
        """Each group's compound annual growth rate from year ``first`` to year ``last``, in percent.

        ``((last / first) ** (1 / years) - 1) * 100``, computed from
        ``group_sum([*by, "year"])``; each group's own first and last years
        with a value if not given. Groups without a value in both are left
        out. Only whole calendar years take part, as in :meth:`percent_change`:
        a year of monthly rows missing a month is neither a group's own first
        or last year nor counted as a given one.
        :func:`nkru.aggregate.group_cagr` computes the same over records.

        Args:
            by: Keys of :data:`GROUP_SUM_KEYS` other than ``year``.
            first: The first year.
            last: The last year.

        Returns:
            The keys, ``first_year``, ``last_year``, ``first``, ``last``, ``years`` and ``cagr``.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key, ``first`` or ``last`` not a year,
                ``first`` not before ``last``, or no group with both years whole.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X"] * 2,
        ...                       "year": [2005, 2007], "value": [100.0, 121.0], "currency": ["USD"] * 2})
        >>> float(TradeTable.from_frame(frame).cagr()["cagr"].round(10).iloc[0])
        10.0
        """
        keys = checked_keys(by, GROUP_SUM_KEYS, without=("year",))
        for name, year in (("first", first), ("last", last)):
            if year is not None and type(year) is not int:
                raise ValidationError(name, year, "must be a year")
        return cagr_of(self._by_whole_year(keys), keys, first, last)

    def top(self, n: int, by: Sequence[str] = ("partner",), *, within: Sequence[str] = ()) -> pd.DataFrame:
        """The ``n`` groups of ``by`` with the largest values, within each group of ``within``.

        Computed from ``group_sum([*within, *by])``: ``top(5, by="partner",
        within=["year", "flow"])`` gives each year's five largest partners of
        each flow. Groups without a value are left out; ties keep the keys'
        order. :func:`nkru.aggregate.top` computes the same over records.

        Args:
            n: How many groups.
            by: Keys of :data:`GROUP_SUM_KEYS` to rank.
            within: Other keys, each of whose groups is ranked apart.

        Returns:
            The keys, ``value`` and ``rank`` (1 for the largest), sorted by ``within`` and rank.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or ``n``, or an empty table.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["CHN", "RUS", "THA"], "partner": ["PRK"] * 3, "flow": ["X"] * 3,
        ...                       "year": [2005] * 3, "value": [9.0, 2.0, 5.0], "currency": ["USD"] * 3})
        >>> TradeTable.from_frame(frame).top(2, by="reporter")
          reporter  value  rank
        0      CHN    9.0     1
        1      THA    5.0     2
        """
        keys = checked_keys(by, GROUP_SUM_KEYS)
        groups = checked_keys(within, GROUP_SUM_KEYS, without=keys, what="within") if within else []
        return top_of(self.group_sum([*groups, *keys]), n, keys, groups)

    # -- mirror statistics -----------------------------------------------------------------------

    def mirror(self, of: str = "PRK", *, cif_fob: float = 1.0) -> TradeTable:
        """Build the trade of a country that does not report from its partners' reports.

        Each row whose partner is ``of`` becomes a row of ``of``'s own trade:
        a partner's imports from ``of`` become ``of``'s exports, its exports
        to ``of`` become ``of``'s imports, reporter and partner swap, and the
        ``mirrored`` column is true (kept by :meth:`to_frame`,
        :meth:`from_frame` and Parquet). Re-exports, re-imports and rows
        ``of`` reports itself are left out (Comtrade's exports already hold
        re-exports). Imports are valued CIF (cost, insurance and freight to
        the importer's border), exports FOB: ``cif_fob`` divides the
        partner-reported imports so that ``of``'s mirrored exports are FOB
        equivalent (1.0, the default, leaves them CIF; the IMF's Direction of
        Trade Statistics uses 1.06); ``cif_value`` and ``fob_value`` stay as
        the partner stated them. A table of records keeps each row's id: the
        id of the record it mirrors. It is a map over rows, so a table held in
        partitions mirrors each partition alone.

        Args:
            of: The country code (``PRK``).
            cif_fob: The CIF/FOB factor, at least 1.

        Raises:
            ValidationError: ``of`` is no country or the partner of no export
                or import row, ``cif_fob`` is below 1 or not a finite number,
                or the table holds mirrored rows already.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS", "CHN"], "partner": ["PRK"] * 2, "flow": ["X", "M"],
        ...                       "year": [2005] * 2, "value": [100.0, 106.0], "currency": ["USD"] * 2})
        >>> mirrored = TradeTable.from_frame(frame).mirror("PRK", cif_fob=1.06).to_frame()
        >>> mirrored[["reporter", "partner", "flow", "value", "mirrored"]]
          reporter partner    flow  value  mirrored
        0      PRK     RUS  import  100.0      True
        1      PRK     CHN  export  100.0      True
        """
        used = np.bincount(self._partner.astype(np.int64), minlength=len(self._partners))
        code = mirror_party(of, [name for name, count in zip(self._partners, used, strict=True) if count])
        flows = np.isin(self._flow, [FLOW_CODES["export"], FLOW_CODES["import"]])
        keep = flows & (self._partner == self._partners.index(code))
        if not keep.any():
            raise ValidationError("of", of, "is the partner of no export or import row")
        rows = mirror_frame(self.where(keep).to_frame(), code, cif_fob)
        return TradeTable.from_frame(rows, mass_unit=self._mass_unit, layout=self._layout, encoding=self._encoding)

    def _with_mass(self, mass: FloatArray) -> TradeTable:
        """The same rows with ``mass`` as their mass column (a quantity for unit values, or 0/1 to count rows)."""
        return TradeTable(
            reporter=(self._reporter, self._reporters),
            partner=(self._partner, self._partners),
            reporter_kind=self._reporter_kinds,
            partner_kind=self._partner_kinds,
            extras=self._extras,
            flow=self._flow,
            year=self._year,
            month=self._month,
            commodity=(self._commodity, self._commodities),
            value=self._value,
            currency=(self._currency, self._currencies),
            mass=mass,
            mass_unit=self._mass_unit,
            qty=self._qty,
            qty_unit=self._qty_unit,
            ids=self._ids,
        )

    # -- selection -------------------------------------------------------------------------------

    def select(
        self,
        *,
        reporters: str | Sequence[str] | None = None,
        partners: str | Sequence[str] | None = None,
        level: int | str | None = None,
        freq: str | None = None,
        breakdowns: str | None = None,
        years: int | Sequence[int] | range | None = None,
        flows: str | Sequence[str] | None = None,
        mirrored: bool | None = None,
    ) -> TradeTable:
        """Return the rows that one sum may add: one call that says what to keep.

        Args:
            reporters: ``"countries"`` (countries only), ``"world"``, ``"areas"``
                (no countries), or a list of codes.
            partners: As ``reporters``.
            level: The commodity level: ``"total"`` (all goods), 2, 4 or 6
                digits, or ``"leaf"`` (the rows Comtrade marks ``isLeaf``).
            freq: ``"A"`` (annual rows) or ``"M"`` (monthly rows).
            breakdowns: ``"total"``: only the totals over customs procedure
                (C00), transport mode (0) and second partner (0); rows that do
                not state a breakdown count as its total.
            years: A year or some years.
            flows: A flow (``"export"``, ``"X"`` ...) or some flows.
            mirrored: True: only the rows :meth:`mirror` built; False: only the others.

        Raises:
            ValidationError: an option that is none of these.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["THA"] * 3, "partner": ["W00", "RUS", "PRK"], "flow": ["M"] * 3,
        ...                       "year": [2020] * 3, "value": [100.0, 60.0, 40.0], "currency": ["USD"] * 3})
        >>> table = TradeTable.from_frame(frame)
        >>> table.group_sum(["year", "flow"])
        Traceback (most recent call last):
        ...
        nkru.errors.DoubleCountError: this sum would count trade twice: it adds the World (W00) to other partners (PRK, RUS), which it contains; select one with table.select(partners="countries") or table.select(partners=['W00']), or group by partner
        >>> table.select(partners="countries").group_sum(["year", "flow"])[["year", "flow", "value"]]
           year    flow  value
        0  2020  import  100.0
        """
        # by keyword: freq and breakdowns are both text, so a swap in order would pass the type checker
        keep = selection(
            self,
            reporters=reporters,
            partners=partners,
            level=level,
            freq=freq,
            breakdowns=breakdowns,
            years=years,
            flows=flows,
            mirrored=mirrored,
        )
        return self.where(keep)

    # -- output ----------------------------------------------------------------------------------

    def to_frame(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Return the table as a DataFrame with the columns of :mod:`nkru.table`; units in ``attrs["units"]``.

        :meth:`from_frame` reads the result back into an equal table.

        Args:
            columns: Only these columns, in the table's order (None: all of
                them); the others are not built, which is faster for a few.

        Raises:
            ValidationError: ``columns`` names a column the table has not.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"], "year": [2005],
        ...                       "mass": [2.0], "mass_unit": ["t"]})
        >>> out = TradeTable.from_frame(frame).to_frame()
        >>> float(out["mass"].iloc[0]), out.attrs["units"]["mass"]
        (2000.0, 'kilogram')
        """
        return frame_of(self, columns)

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
        return records_of(self, id_prefix)

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

    def deciding_rows(self) -> TradeTable:
        """The few rows that decide whether :meth:`group_sum` may add these rows: for sums made piece by piece.

        The first row of each reporter, partner and flow of a reporter and
        partner, of each currency and commodity level, of the monthly and the
        annual rows, and of each leaf flag, mirrored flag and breakdown code
        present. For tables ``t1 … tn``, ``TradeTable.concat([t.deciding_rows()
        for t in tables]).group_sum(by)`` raises the :class:`~nkru.errors.DoubleCountError`
        or :class:`~nkru.errors.CurrencyMismatchError` that ``TradeTable.concat(tables).group_sum(by)``
        raises, and none when it raises none: a sum made of partial sums (as
        :mod:`nkru.dask` makes them) is checked without holding the pieces together.

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"reporter": ["RUS"] * 4, "partner": ["PRK", "PRK", "CHN", "W00"],
        ...                       "flow": ["X", "X", "X", "X"], "year": [2005, 2006, 2005, 2005]})
        >>> rows = TradeTable.from_frame(frame).deciding_rows()
        >>> rows.to_frame()[["partner", "year"]]
          partner  year
        0     PRK  2005
        1     CHN  2005
        2     W00  2005
        """
        if not len(self):
            return self
        return self.where(deciding_mask(self))


def reconcile(table: TradeTable, a: str, b: str, *, cif_fob: float = 1.06) -> pd.DataFrame:
    """Set what A reports exporting to B against what B reports importing from A, and the reverse.

    Per year and commodity, each direction gives the exporter's reported
    exports beside the importer's reported imports, from
    :meth:`TradeTable.group_sum` by ``["year", "hs"]`` of each side's rows
    (so its rules against double counting hold: select one commodity level
    and frequency first). The gap is imports minus exports; the adjusted gap
    first divides the imports (valued CIF) by ``cif_fob`` to state them FOB,
    as the exports are: what is left is what freight and insurance do not
    explain (timing, re-exports through third countries, confidential
    trade, errors).

    Only the rows the parties report are set side by side: rows
    :meth:`TradeTable.mirror` built are left out, since a mirrored row is the
    other party's report seen from this side, not this side's own (a table
    with B's mirror would otherwise set A's exports against themselves and
    show no gap).

    Args:
        table: The rows, with both parties' reports (mirrored rows are left out).
        a: One party's code.
        b: The other's.
        cif_fob: The CIF/FOB factor (1.06, the factor the IMF's Direction of
            Trade Statistics uses); at least 1.

    Returns:
        One row per direction with rows, year and commodity: ``year``, ``hs``
        (None for all goods), ``exporter``, ``importer``, ``exports``,
        ``imports`` (NaN where a side reports nothing), ``gap``,
        ``adjusted_gap``, ``gap_percent`` and ``adjusted_percent`` (percent
        of the exports). ``attrs["units"]`` gives the units.

    Raises:
        CurrencyMismatchError: values in more than one currency.
        DoubleCountError: as :meth:`TradeTable.group_sum`.
        ValidationError: a party the table does not hold, ``a`` equal to
            ``b``, a bad ``cif_fob``, or no reported row between the two.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"reporter": ["RUS", "CHN"], "partner": ["CHN", "RUS"], "flow": ["X", "M"],
    ...                       "year": [2005] * 2, "value": [100.0, 112.36], "currency": ["USD"] * 2})
    >>> out = reconcile(TradeTable.from_frame(frame), "RUS", "CHN")
    >>> out[["exporter", "importer", "exports", "imports", "gap", "adjusted_gap"]].round(2)
      exporter importer  exports  imports    gap  adjusted_gap
    0      RUS      CHN    100.0   112.36  12.36           6.0
    """
    if not isinstance(table, TradeTable):
        raise ValidationError("table", type(table).__name__, "must be a TradeTable")
    factor = checked_float("cif_fob", cif_fob, "positive")
    if factor < 1.0:
        raise ValidationError("cif_fob", cif_fob, "must be at least 1: a CIF value is the FOB value plus freight")
    parties = _parties(table, a, b)
    if parties[0] == parties[1]:
        raise ValidationError("b", b, "must be another party than a")
    reported = table.select(mirrored=False)
    parts = []
    units: set[str] = set()
    for exporter, importer in ((parties[0], parties[1]), (parties[1], parties[0])):
        exports = reported.select(reporters=[exporter], partners=[importer], flows="export")
        imports = reported.select(reporters=[importer], partners=[exporter], flows="import")
        if len(exports) or len(imports):
            sums = [side.group_sum(["year", "hs"]) for side in (exports, imports)]
            parts.append(reconciled(sums[0], sums[1], exporter, importer, factor))
            units |= {unit for unit in (sums[0].attrs["units"]["value"], sums[1].attrs["units"]["value"]) if unit}
    if not parts:
        left_out = len(table) - len(reported)
        reason = f" ({left_out} mirrored rows are left out: a mirror is no party's report)" if left_out else ""
        raise ValidationError(
            "a, b", (a, b), f"have no reported export or import row between them: the selection is empty{reason}"
        )
    if len(units) > 1:
        first, second = sorted(units)[:2]
        raise CurrencyMismatchError(first, second)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame = frame.sort_values(["year", "hs"], kind="stable", na_position="first", key=_by_value)
    frame = frame.sort_values("exporter", kind="stable", key=lambda codes: codes != parties[0]).reset_index(drop=True)
    unit_name = units.pop() if units else None
    frame.attrs["units"] = dict.fromkeys(("exports", "imports", "gap", "adjusted_gap"), unit_name)
    frame.attrs["units"] |= {"gap_percent": "percent", "adjusted_percent": "percent"}
    return frame


def _parties(table: TradeTable, a: object, b: object) -> list[str]:
    """The codes of ``a`` and ``b`` as the table writes them; each must be a reporter or partner in it."""
    known = set(table._reporters) | set(table._partners)  # noqa: SLF001 - a function of the class's own module
    parties = []
    for name, party in (("a", a), ("b", b)):
        if not isinstance(party, str):
            raise ValidationError(name, party, "must be a country or area code")
        area = comtrade_area(party)
        code = area.code if area is not None else party
        if code not in known:
            reason = f"is neither a reporter nor a partner in the table (it has {listed(sorted(known))})"
            raise ValidationError(name, party, reason)
        parties.append(code)
    return parties


def _by_value(column: pd.Series[Any]) -> pd.Series[Any]:
    """Sort key of a column of years or HS codes with None (all goods): as text for codes, so mixed types sort."""
    return column if column.name == "year" else column.map(lambda code: "" if code is None else str(code))

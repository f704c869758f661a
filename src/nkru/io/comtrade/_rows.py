"""Check Comtrade rows, vectorized, and turn them into a :class:`~nkru.table.TradeTable`.

The rows come as columns in Comtrade Plus's names: pandas Series (from JSON
records, a DataFrame, or Arrow's general way through a CSV file), or the
arrays of Arrow's fast way (:func:`~nkru.io.comtrade._arrow.arrow_columns`:
float64 numbers, int8 flags, :class:`~nkru.io.comtrade._arrow.Factorized`
text). Numbers are checked with numpy, text once per distinct value; every
problem is reported with the row's place (its line in a file) and the
column's name as the source gives it, up to :data:`~nkru._core.tables.MAX_PROBLEMS`.
The checked columns become the table directly: nothing is checked twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._core.tables import MAX_PROBLEMS, Problems, constant_reason
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.io.comtrade._arrow import FALSE, TRUE, Factorized
from nkru.parties import AreaKind, Country, area_kind, comtrade_area
from nkru.periods import MAX_YEAR, MIN_YEAR
from nkru.table import TradeTable
from nkru.table.columns import (
    CODE_REASON,
    EXTRAS,
    FLOW_CODES,
    CellProblem,
    Codes,
    FloatArray,
    IntArray,
    commodity_category,
    has_nan,
    text_code,
)

__all__ = ["NeedText", "Rows"]

#: The largest numeric code (motCode, partner2Code, aggrLevel ...) a table holds.
_MAX_CODE_NUMBER: Final = 2**31 - 1
_TRUE: Final = frozenset(TRUE)
_FALSE: Final = frozenset(FALSE)
#: The unit of a Comtrade table's masses, as nkru writes it (Comtrade's weights are in kilograms).
_KILOGRAM: Final = "kilogram"
#: Largest number of distinct combined codes counted directly (np.bincount); more are sorted (np.unique).
_MAX_BINS: Final = 1 << 22
#: Each measure and the flag that says Comtrade estimated it.
_ESTIMATED: Final = {"netWgt": "isNetWgtEstimated", "grossWgt": "isGrossWgtEstimated", "qty": "isQtyEstimated",
                     "altQty": "isAltQtyEstimated"}  # fmt: skip


class NeedText(Exception):  # noqa: N818 - a signal between the reader's passes, never raised to users
    """A number column typed by Arrow holds a bad value: read it again as text, to report the cell as written."""


class Rows:
    """The rows of one source, checked column by column.

    Args:
        frame: The rows' columns, by Comtrade Plus's names: pandas Series, or
            the arrays of :func:`~nkru.io.comtrade._arrow.arrow_columns`.
        names: Each column's name as the source gives it (for messages).
        place: The place of a row for a message (``line 12``, ``record 3``).
        flows: The source's flow codes and the table's code for each.
        taiwan: Read 490 "Other Asia, nes" as Taiwan (TWN).
        problems: Where problems go.
        typed_by_arrow: The number columns were typed by Arrow: a bad number raises :class:`NeedText`.
        size: The number of rows.
    """

    def __init__(
        self,
        frame: Mapping[str, Any],
        *,
        names: Mapping[str, str],
        place: Callable[[IntArray], list[str]],
        flows: Mapping[str, str],
        taiwan: bool,
        problems: Problems,
        typed_by_arrow: bool = False,
        size: int,
    ) -> None:
        self.frame = frame
        self.names = names
        self.place = place
        self.flow_codes = flows
        self.taiwan = taiwan
        self.problems = problems
        self.size = size
        self.typed_by_arrow = typed_by_arrow
        #: The text columns whose codes are 0, 1, 2 ... with every value present and none empty (Arrow's, as they came).
        self.dense: set[str] = set()

    def column(self, name: str) -> Any:
        """The column (a Series or an array), or None if the source has none."""
        return self.frame.get(name)

    def bad(self, mask: npt.NDArray[np.bool_], name: str, reason: Callable[[int], str]) -> None:
        rows = np.flatnonzero(mask)[:MAX_PROBLEMS]
        if rows.size == 0:
            return
        shown_name = self.names.get(name, name)
        for row, where in zip(rows, self.place(rows), strict=True):
            self.problems.add(f"{where}, column {shown_name!r}", reason(int(row)))

    def numbers(
        self, name: str, *, required: bool, integer: bool = False, minimum: float = 0.0, maximum: float = math.inf
    ) -> FloatArray:
        """The column's numbers, NaN where empty; junk, negatives and (if asked) fractions reported.

        Raises:
            NeedText: a bad number in a column Arrow read as numbers (read it again as text).
        """
        series = self.column(name)
        if series is None:  # empty on every row: one read-only view of NaN, as the table holds a missing column
            return np.broadcast_to(np.float64(np.nan), (self.size,))
        typed = isinstance(series, np.ndarray) or (
            pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
        )
        if typed:
            values = series if isinstance(series, np.ndarray) else series.to_numpy(dtype=np.float64, na_value=np.nan)
            if _plain(values, required=required, integer=integer, minimum=minimum, maximum=maximum):
                # nothing to report, nothing to blank; a source's own memory is copied (the table freezes what it gets)
                return values if isinstance(series, np.ndarray) else values.copy()
            empty = np.isnan(values)
            cells: Any = values
            junk = np.isinf(values)
        else:
            text = series.astype(object).where(series.notna(), "")
            if not all(isinstance(cell, (str, int, float)) for cell in text.to_numpy(dtype=object)[:1]):
                text = text.map(_text)  # JSON or a frame: bools, lists, dicts among the cells, each shown as text
            empty = (text == "").to_numpy(dtype=bool)
            try:
                values = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(
                    dtype=np.float64, na_value=np.nan
                )
            except (TypeError, OverflowError):  # a list among the cells, or an int past floats: cell by cell
                values = np.array([_float(cell) for cell in text.to_numpy(dtype=object)], dtype=np.float64)
            cells = text.to_numpy(dtype=object)
            junk = ~empty & ~np.isfinite(values)
        low = ~junk & (values < minimum)
        high = ~junk & (values > maximum) if maximum < math.inf else np.zeros(self.size, dtype=bool)
        fraction = ~junk & ~empty & (values != np.round(values)) if integer else np.zeros(self.size, dtype=bool)
        if typed and self.typed_by_arrow and (junk.any() or low.any() or high.any() or fraction.any()):
            raise NeedText(name)
        if typed and not (junk.any() or low.any() or high.any() or fraction.any() or (required and empty.any())):
            # nothing to report, nothing to blank; a source's own memory is copied (the table freezes what it gets)
            return values if isinstance(series, np.ndarray) else values.copy()
        self.bad(junk, name, lambda row: f"is not a number (got {shown(str(cells[row]))})")
        if required:
            self.bad(empty, name, lambda _row: "is empty")
        self.bad(low, name, lambda row: f"must be at least {minimum:g} (got {shown(_cell(cells[row]))})")
        self.bad(high, name, lambda row: f"must be at most {maximum:g} (got {shown(_cell(cells[row]))})")
        self.bad(fraction, name, lambda row: f"must be a whole number (got {shown(_cell(cells[row]))})")
        return np.where(junk | high, np.nan, values)

    def texts(self, name: str) -> tuple[Codes, list[str]]:
        """Codes of a text column and its distinct values as text; the last value is ``""`` (absent or empty)."""
        series = self.column(name)
        if series is None:
            return np.zeros(self.size, dtype=np.int32), [""]
        if isinstance(series, Factorized):
            codes, uniques = series.codes, list(series.uniques)
        elif isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64)
            uniques = list(series.cat.categories)
        else:
            try:
                raw, found = pd.factorize(series, use_na_sentinel=True)
            except TypeError:  # a cell that cannot be hashed (a list in JSON): it stands as its text
                raw, found = pd.factorize(series.map(_text), use_na_sentinel=True)
            codes, uniques = np.asarray(raw, dtype=np.int64), list(found)
        values = [_text(value) for value in uniques]
        merged: dict[str, int] = {}
        mapping = np.empty(len(values) + 1, dtype=np.int32)
        for position, value in enumerate(values):
            mapping[position] = merged.setdefault(value, len(merged)) if value != "" else -1
        if isinstance(series, Factorized) and len(merged) == len(values):
            # distinct and none empty: each code stays (Arrow's codes are never missing, and its dictionary holds
            # only the values some row has)
            self.dense.add(name)
            return codes, [*merged, ""]
        empty = len(merged)
        mapping[mapping == -1] = empty
        mapping[-1] = empty  # a missing cell
        return mapping.take(codes), [*merged, ""]

    def flags(self, name: str) -> npt.NDArray[np.int8]:
        """A true/false column as 1/0, -1 where empty."""
        column = self.column(name)
        if isinstance(column, np.ndarray):  # Arrow's fast way read it as true/false already
            return column.astype(np.int8, copy=False)
        codes, values = self.texts(name)
        mapping = np.full(len(values), -1, dtype=np.int8)
        for position, value in enumerate(values[:-1]):
            if value in _TRUE:
                mapping[position] = 1
            elif value in _FALSE:
                mapping[position] = 0
            else:
                self.bad(codes == position, name, constant_reason(f"must be true or false (got {shown(value)})"))
        return mapping[codes]

    def table(self, *, layout: str, encoding: str | None) -> TradeTable:  # noqa: C901 - one step per column kind
        """Check every column and build the table, which says the ``layout`` and ``encoding`` read.

        Raises:
            StructureError: every problem found.
            NeedText: a number Arrow read must be read again as text to be reported.
        """
        year = self.numbers("refYear", required=True, integer=True)
        outside = ~np.isnan(year) & ((year < MIN_YEAR) | (year > MAX_YEAR))
        self.bad(outside, "refYear", lambda row: f"must be a year from {MIN_YEAR} to {MAX_YEAR} (got {year[row]:g})")
        month = self.months(year)
        reporter = self.areas("reporter")
        partner = self.areas("partner")
        flow = self.flows()
        commodity = self.commodities()
        value = self.numbers("primaryValue", required=True)
        mass = self.numbers("netWgt", required=False)
        qty = self.numbers("qty", required=False)
        qty_unit = (
            self.numbers("qtyUnitCode", required=False, integer=True, minimum=-1, maximum=32767)
            if self.column("qtyUnitCode") is not None
            else None  # -1 on every row
        )
        extras: dict[str, Any] = {}
        for extra in EXTRAS:
            if extra.comtrade is None or extra.comtrade not in self.frame:
                continue
            if extra.kind == "flag":
                extras[extra.name] = self.flags(extra.comtrade)
            elif extra.kind == "text":
                codes, values = self.texts(extra.comtrade)
                for position, text in enumerate(values[:-1]):
                    if text_code(text) is None:
                        self.bad(
                            codes == position, extra.comtrade, constant_reason(f"{CODE_REASON} (got {shown(text)})")
                        )
                extras[extra.name] = _used(codes, values)
            else:
                whole = extra.kind == "code"
                extras[extra.name] = self.numbers(
                    extra.comtrade,
                    required=False,
                    integer=whole,
                    minimum=-1 if whole else 0,
                    maximum=_MAX_CODE_NUMBER if whole else math.inf,
                )
        self.check_kinds("reporter", *reporter)
        self.check_kinds("partner", *partner)
        self.problems.raise_if_any()
        for extra in EXTRAS:
            if extra.kind == "code" and extra.name in extras:
                extras[extra.name] = np.nan_to_num(extras[extra.name], nan=-1.0).astype(np.int32)
        measures: dict[str, FloatArray] = {
            "mass": mass,
            "qty": qty,
            **{name: extras[name] for name in ("gross_mass", "alt_qty") if name in extras},
        }
        self.unstate_estimated_zeros(measures, extras)
        money = [value, *(extras[name] for name in ("cif_value", "fob_value") if name in extras)]
        stated = None if len(money) == 1 and not has_nan(money[0]) else ~np.isnan(money[0])  # None: every row
        for column in money[1:]:
            stated |= ~np.isnan(column)
        extras.update((name, measures[name]) for name in ("gross_mass", "alt_qty") if name in extras)
        for column in extras.values():  # the arrays are this reader's own: the table keeps them, read-only
            (column[0] if isinstance(column, tuple) else column).flags.writeable = False
        # As TradeTable.from_frame builds it from the same columns (its checks are the ones made here).
        return TradeTable(
            reporter=(reporter[0], reporter[1]),
            partner=(partner[0], partner[1]),
            reporter_kind=reporter[2],
            partner_kind=partner[2],
            flow=flow,
            year=(np.where(np.isnan(year), MIN_YEAR, year) if has_nan(year) else year).astype(np.int16),
            month=month,
            commodity=commodity,
            value=value,
            currency=_usd(stated, self.size),
            mass=measures["mass"],
            mass_unit=_KILOGRAM,
            qty=measures["qty"],
            qty_unit=np.broadcast_to(np.int16(-1), (self.size,)) if qty_unit is None else _whole16(qty_unit),
            extras=extras,
            layout=layout,
            encoding=encoding,
        )

    def unstate_estimated_zeros(self, measures: dict[str, FloatArray], extras: Mapping[str, Any]) -> None:
        """An estimated 0 is no stated 0: Comtrade writes netWgt 0, flagged estimated, where it has no weight.

        Such a measure is read as missing (NaN); its flag stays, so the row says it was estimated.
        """
        table_names = {"netWgt": "mass", "grossWgt": "gross_mass", "qty": "qty", "altQty": "alt_qty"}
        flag_names = {extra.comtrade: extra.name for extra in EXTRAS if extra.kind == "flag" and extra.comtrade}
        for measure, flag in _ESTIMATED.items():
            name, flag_name = table_names[measure], flag_names[flag]
            if name in measures and flag_name in extras:
                estimated = extras[flag_name] == 1
                measures[name] = np.where(estimated & (measures[name] == 0), np.nan, measures[name])

    def check_kinds(self, side: str, codes: Codes, names: list[str], kinds: list[AreaKind]) -> None:
        """Refuse a code read as one kind that nkru knows as another, as :meth:`TradeTable.from_frame` would.

        The table holds a code's kind; a code of :data:`~nkru.parties.COMTRADE_AREAS`
        or a country's has one kind only (an area's numeric code with a
        country's ISO code in the file would be read as both).
        """
        for position, (name, kind) in enumerate(zip(names, kinds, strict=True)):
            known = area_kind(name)
            if known is not None and known is not kind:
                reason = f"is {kind.value}, but {name!r} is a {known.value}"
                self.bad(codes == position, f"{side}ISO", constant_reason(reason))

    def months(self, year: FloatArray) -> Codes:
        """0 for annual rows, 1–12 for monthly ones, from ``period`` and ``freqCode``."""
        month = np.zeros(self.size, dtype=np.int8)
        if self.column("period") is not None:
            period = self.numbers("period", required=False, integer=True)
            # A row whose period is its refYear is annual (month 0): only the others are looked at, often none.
            rows = np.flatnonzero(period != year)  # NaN != NaN: an empty period is looked at
            if rows.size:
                month[rows] = self._month_of(period[rows], year[rows], rows)
        if self.column("freqCode") is not None:
            codes, values = self.texts("freqCode")
            some_monthly, all_monthly = bool(month.any()), bool(month.all())
            for position, value in enumerate(values):
                if value not in ("A", "M", ""):
                    self.bad(codes == position, "freqCode", constant_reason(f"must be A or M (got {shown(value)})"))
                elif value == "M" and not all_monthly:
                    reason = constant_reason("is M, but period is not a month")
                    self.bad((codes == position) & (month == 0), "freqCode", reason)
                elif value == "A" and some_monthly:
                    reason = constant_reason("is A, but period is a month")
                    self.bad((codes == position) & (month > 0), "freqCode", reason)
        return month

    def _month_of(self, period: FloatArray, year: FloatArray, rows: IntArray) -> npt.NDArray[np.int8]:
        """The month of the ``rows`` whose period is not their refYear (0 where none is given); a bad period reported."""
        given = ~np.isnan(period) & (year == np.round(year))  # a bad refYear is reported already
        as_month = np.where(given, period, 0.0)
        month_of_year = as_month % 100
        monthly = given & (np.floor(as_month / 100) == year) & (month_of_year >= 1) & (month_of_year <= 12)
        wrong = np.zeros(self.size, dtype=bool)
        wrong[rows] = given & ~monthly & ~np.isnan(year)
        self.bad(
            wrong,
            "period",
            lambda row: (
                f"must be refYear (YYYY) or a month of it (YYYYMM) (got {period[np.searchsorted(rows, row)]:.0f})"
            ),
        )
        return np.where(monthly, month_of_year, 0).astype(np.int8)

    def known(self, first: str, first_values: list[str], second: str, second_values: list[str]) -> int | None:
        """How many distinct pairs two text columns hold, when that is known without a look at the rows.

        It is when one column has one value (absent, or empty on every row)
        and the other's codes are :attr:`dense`: each of its values but the
        empty one is some row's, numbered 0, 1, 2 ...
        """
        if len(first_values) == 1 and second in self.dense:
            return len(second_values) - 1
        if len(second_values) == 1 and first in self.dense:
            return len(first_values) - 1
        return None

    def areas(self, side: str) -> tuple[Codes, list[str], list[AreaKind]]:
        """The reporter's or partner's code per row, the codes and their kinds, once per distinct (code, ISO, name)."""
        code_codes, code_values = self.texts(f"{side}Code")
        iso_codes, iso_values = self.texts(f"{side}ISO")
        pairs, pair_of_row = _distinct(
            _joined(code_codes, len(code_values), iso_codes, len(iso_values)),
            len(code_values) * len(iso_values),
            known=self.known(f"{side}Code", code_values, f"{side}ISO", iso_values),
        )
        del code_codes, iso_codes
        name_codes, name_values = self.texts(f"{side}Desc")
        distinct, inverse = _distinct(
            _joined(pair_of_row, len(pairs), name_codes, len(name_values)),
            len(pairs) * len(name_values),
            known=len(pairs) if len(name_values) == 1 else None,  # every pair is some row's
        )
        del pair_of_row, name_codes
        # each distinct (code, ISO, name) as one number, as the rest of this method reads it
        triples = pairs[distinct // len(name_values)] * len(name_values) + distinct % len(name_values)
        resolved: dict[str, int] = {}
        kinds: list[AreaKind] = []
        named: dict[str, tuple[str, str]] = {}
        mapping = np.full(len(triples), -1, dtype=np.int64)
        for position, triple in enumerate(triples):
            rest, name_position = divmod(int(triple), len(name_values))
            code_position, iso_position = divmod(rest, len(iso_values))
            code, iso, name = code_values[code_position], iso_values[iso_position], name_values[name_position]
            found = self.area(code, iso, side)
            if isinstance(found, CellProblem):
                self.bad(inverse == position, found.column, constant_reason(found.reason))
                continue
            party, kind = found
            if kind is not AreaKind.COUNTRY and comtrade_area(party) is None:
                first = named.setdefault(party, (code, name))
                if first != (code, name):
                    reason = (
                        f"names the area {party!r} as {code or '-'} {name!r}, but an earlier row as"
                        f" {first[0] or '-'} {first[1]!r}: one code, two areas"
                    )
                    self.bad(inverse == position, f"{side}ISO", constant_reason(reason))
            if party not in resolved:
                resolved[party] = len(resolved)
                kinds.append(kind)
            mapping[position] = resolved[party]
        return _mapped(mapping, inverse), list(resolved), kinds

    def area(self, code: str, iso: str, side: str) -> tuple[str, AreaKind] | CellProblem:  # noqa: C901 - Comtrade's rules, one by one
        """The table code and kind of a (code, ISO) pair, or what is wrong with it."""
        code, iso = code.strip(), iso.strip()  # Comtrade pads some codes ("_X ", "0 ")
        number = int(code) if code.isascii() and code.isdigit() and len(code) <= 4 else None
        if code and number is None:
            return CellProblem(f"{side}Code", f"is not a numeric area code (got {shown(code)})")
        if self.taiwan and number == 490:
            return "TWN", AreaKind.COUNTRY
        if iso:
            known = comtrade_area(iso)
            if known is not None:
                return self._not_world_reporter(known.code, known.kind, side, f"{side}ISO")
            area = None if number is None else comtrade_area(number)
            if area is not None:  # an area nkru knows by number; its ISO-like code is the file's if nkru has none
                return self._not_world_reporter(
                    area.code if not area.code.isdigit() else iso, area.kind, side, f"{side}ISO"
                )
            try:
                return Country(iso).code, AreaKind.COUNTRY
            except ValidationError:
                pass
            if not iso.isascii() or text_code(iso) is None:
                return CellProblem(f"{side}ISO", f"is not a country or area code (got {shown(iso)})")
            return self._not_world_reporter(iso, AreaKind.GROUP, side, f"{side}ISO")
        if number is None:
            return CellProblem(f"{side}Code", "is empty, and so is the ISO column")
        area = comtrade_area(number)
        if area is not None:
            return self._not_world_reporter(area.code, area.kind, side, f"{side}Code")
        try:
            return Country.lookup(code.zfill(3)).code, AreaKind.COUNTRY
        except ValidationError:
            return code, AreaKind.GROUP  # an area nkru does not know, named by its number

    @staticmethod
    def _not_world_reporter(code: str, kind: AreaKind, side: str, column: str) -> tuple[str, AreaKind] | CellProblem:
        if kind is AreaKind.WORLD and side == "reporter":
            return CellProblem(column, f"is the World ({code}), which reports nothing")
        return code, kind

    def flows(self) -> Codes:
        """Each row's flow, as a code of :data:`~nkru.table.columns.FLOWS`."""
        codes, values = self.texts("flowCode")
        mapping = np.full(len(values), -1, dtype=np.int8)
        codes_listed = list(self.flow_codes)
        expected = f"{', '.join(codes_listed[:-1])} or {codes_listed[-1]}"
        for position, value in enumerate(values):
            flow = self.flow_codes.get(value)
            if flow is None:
                reason = "is empty" if value == "" else f"is not {expected} (got {shown(value)})"
                self.bad(codes == position, "flowCode", constant_reason(reason))
            else:
                mapping[position] = FLOW_CODES[flow]
        return mapping.take(codes)

    def commodities(self) -> tuple[Codes, list[tuple[str, str | None]]]:
        """Each row's commodity code and the commodities, each distinct (cmdCode, cmdDesc) pair checked once.

        The commodities are ``(label, hs)`` pairs, in the order
        :meth:`TradeTable.from_frame <nkru.table.TradeTable.from_frame>` gives
        them (by HS code, then label, as they first appear); -1 is all goods.
        """
        hs_codes, hs_values = self.texts("cmdCode")
        label_codes, label_values = self.texts("cmdDesc")
        radix = len(label_values)
        pairs, inverse = _distinct(
            _joined(hs_codes, len(hs_values), label_codes, radix),
            len(hs_values) * radix,
            known=self.known("cmdCode", hs_values, "cmdDesc", label_values),
        )
        # from_frame sorts its pairs with an empty HS code or label (missing there) first
        empty_hs, empty_label = len(hs_values) - 1, radix - 1
        order = [
            (-1 if h == empty_hs else h, -1 if lab == empty_label else lab, position)
            for position, (h, lab) in enumerate(divmod(int(pair), radix) for pair in pairs)
        ]
        mapping = np.full(len(pairs), -1, dtype=np.int64)
        kept: dict[tuple[str, str | None], int] = {}
        for h, lab, position in sorted(order):
            hs, label = hs_values[h] if h >= 0 else "", label_values[lab] if lab >= 0 else ""
            if hs == "":
                self.bad(inverse == position, "cmdCode", constant_reason("is empty"))
                continue
            checked = commodity_category(hs, label or None)
            if isinstance(checked, CellProblem):
                name = "cmdCode" if checked.column == "hs" else "cmdDesc"
                self.bad(inverse == position, name, constant_reason(checked.reason))
            elif checked is not None:
                mapping[position] = kept.setdefault(checked, len(kept))
        return _mapped(mapping, inverse), list(kept)


def _plain(values: FloatArray, *, required: bool, integer: bool, minimum: float, maximum: float) -> bool:
    """Whether :meth:`Rows.numbers` would find nothing to report in ``values``, by whole-column reductions only.

    No per-row mask is built: the least and greatest numbers (NaN left out),
    whether a cell is empty and the largest fraction answer for the
    column. False when in doubt (no numbers, an empty cell where one is
    required): the caller then looks row by row.
    """
    if values.size == 0:
        return False
    low, high = np.fmin.reduce(values), np.fmax.reduce(values)
    if not (minimum <= low and high <= maximum and -math.inf < low and high < math.inf):
        return False  # also an all-empty column (NaN bounds), or an infinity
    if required and has_nan(values):
        return False
    if integer:
        scratch = np.round(values)
        np.subtract(values, scratch, out=scratch)
        np.abs(scratch, out=scratch)
        if np.fmax.reduce(scratch) > 0:  # NaN (every cell empty) is no fraction
            return False
    return True


def _joined(first: Codes, first_count: int, second: Codes, second_count: int) -> Codes:
    """Each row's pair of codes as one number below ``first_count * second_count``; a column of one value adds nothing."""
    if second_count == 1:
        return first
    if first_count == 1:
        return second
    return first.astype(np.int64) * second_count + second


def _distinct(combined: Codes, bins: int, *, known: int | None = None) -> tuple[Codes, Codes]:
    """The distinct values of ``combined`` (codes below ``bins``), sorted, and each row's position among them.

    Counted directly (one pass, no sort) when there are few enough bins, as
    :meth:`TradeTable.group_sum <nkru.table.TradeTable.group_sum>` does; not
    at all when the caller knows them to be 0, 1 ... ``known - 1``.
    """
    if known is not None:
        return np.arange(known), combined
    if bins > max(_MAX_BINS, combined.size):
        values, inverse = np.unique(combined, return_inverse=True)
        return values, inverse.reshape(-1)
    present = np.bincount(combined, minlength=bins) > 0
    values = np.flatnonzero(present)
    if values.size == 0 or values[-1] == values.size - 1:
        return values, combined  # the values present are 0, 1, 2 ...: each is its own position
    position = np.cumsum(present) - 1
    return values, position[combined]


def _usd(stated: npt.NDArray[np.bool_] | None, size: int) -> tuple[npt.NDArray[np.int8], list[str]]:
    """The currency column: USD (code 0) where a row states some money, -1 where none (None: every row states some)."""
    if stated is None:
        return np.zeros(size, dtype=np.int8), ["USD"] if size else []
    return np.where(stated, np.int8(0), np.int8(-1)), ["USD"] if stated.any() else []


def _whole16(numbers: FloatArray) -> npt.NDArray[np.int16]:
    """Whole numbers (checked) as int16, -1 where empty."""
    return (np.nan_to_num(numbers, nan=-1.0) if has_nan(numbers) else numbers).astype(np.int16)


def _mapped(mapping: IntArray, codes: Codes) -> Codes:
    """``mapping[codes]``; the codes themselves where the mapping keeps every code."""
    if np.array_equal(mapping, np.arange(mapping.size)):
        return codes
    return mapping.take(codes)


def _used(codes: Codes, values: list[str]) -> tuple[Codes, list[str]]:
    """A text column of :meth:`Rows.texts` as table codes and names: the empty text is missing (-1)."""
    empty = len(values) - 1
    return np.where(codes == empty, -1, codes), values[:-1]


def _text(value: object) -> str:
    """A cell as the text Comtrade would write: ``764`` for 764 or 764.0, ``true`` for True, ``""`` for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _float(cell: object) -> float:
    """A cell as a float; NaN for anything that is no number (reported by the caller)."""
    if isinstance(cell, bool) or not isinstance(cell, (int, float, str)):
        return math.nan
    try:
        return float(cell)
    except (ValueError, OverflowError):
        return math.nan


def _cell(value: object) -> str:
    return _text(value) if not isinstance(value, str) else value

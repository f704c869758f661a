"""Check Comtrade rows, vectorized, and turn them into a :class:`~nkru.table.TradeTable`.

The rows come as a pandas DataFrame in Comtrade Plus's column names, from a
CSV file (through Arrow), JSON records or a DataFrame. Numbers are checked
with numpy, text once per distinct value; every problem is reported with
the row's place (its line in a file) and the column's name as the source
gives it, up to :data:`~nkru._core.tables.MAX_PROBLEMS`.
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
from nkru.parties import AreaKind, Country, comtrade_area
from nkru.periods import MAX_YEAR, MIN_YEAR
from nkru.table import TradeTable
from nkru.table.columns import (
    CODE_REASON,
    EXTRAS,
    CellProblem,
    FloatArray,
    IntArray,
    categorical,
    commodity_category,
    flag_array,
    text_code,
)

__all__ = ["NeedText", "Rows"]

#: The largest numeric code (motCode, partner2Code, aggrLevel ...) a table holds.
_MAX_CODE_NUMBER: Final = 2**31 - 1
_TRUE: Final = frozenset({"true", "True", "TRUE", "1"})
_FALSE: Final = frozenset({"false", "False", "FALSE", "0"})
#: Each measure and the flag that says Comtrade estimated it.
_ESTIMATED: Final = {"netWgt": "isNetWgtEstimated", "grossWgt": "isGrossWgtEstimated", "qty": "isQtyEstimated",
                     "altQty": "isAltQtyEstimated"}  # fmt: skip


class NeedText(Exception):  # noqa: N818 - a signal between the reader's passes, never raised to users
    """A number column typed by Arrow holds a bad value: read it again as text, to report the cell as written."""


class Rows:
    """The rows of one source, checked column by column.

    Args:
        frame: The rows, in Comtrade Plus's column names.
        names: Each column's name as the source gives it (for messages).
        place: The place of a row for a message (``line 12``, ``record 3``).
        flows: The source's flow codes and the table's code for each.
        taiwan: Read 490 "Other Asia, nes" as Taiwan (TWN).
        problems: Where problems go.
        typed_by_arrow: The number columns were typed by Arrow: a bad number raises :class:`NeedText`.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        names: Mapping[str, str],
        place: Callable[[IntArray], list[str]],
        flows: Mapping[str, str],
        taiwan: bool,
        problems: Problems,
        typed_by_arrow: bool = False,
    ) -> None:
        self.frame = frame
        self.names = names
        self.place = place
        self.flow_codes = flows
        self.taiwan = taiwan
        self.problems = problems
        self.size = len(frame)
        self.typed_by_arrow = typed_by_arrow

    def column(self, name: str) -> pd.Series[Any] | None:
        return self.frame[name] if name in self.frame.columns else None

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
        if series is None:
            return np.full(self.size, np.nan)
        typed = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
        if typed:
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
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
        high = ~junk & (values > maximum)
        fraction = ~junk & ~empty & (values != np.round(values)) if integer else np.zeros(self.size, dtype=bool)
        if typed and self.typed_by_arrow and (junk.any() or low.any() or high.any() or fraction.any()):
            raise NeedText(name)
        self.bad(junk, name, lambda row: f"is not a number (got {shown(str(cells[row]))})")
        if required:
            self.bad(empty, name, lambda _row: "is empty")
        self.bad(low, name, lambda row: f"must be at least {minimum:g} (got {shown(_cell(cells[row]))})")
        self.bad(high, name, lambda row: f"must be at most {maximum:g} (got {shown(_cell(cells[row]))})")
        self.bad(fraction, name, lambda row: f"must be a whole number (got {shown(_cell(cells[row]))})")
        return np.where(junk | high, np.nan, values)

    def texts(self, name: str) -> tuple[IntArray, list[str]]:
        """Codes of a text column and its distinct values as text; the last value is ``""`` (absent or empty)."""
        series = self.column(name)
        if series is None:
            return np.zeros(self.size, dtype=np.int64), [""]
        if isinstance(series.dtype, pd.CategoricalDtype):
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
        mapping = np.empty(len(values) + 1, dtype=np.int64)
        for position, value in enumerate(values):
            mapping[position] = merged.setdefault(value, len(merged)) if value != "" else -1
        empty = len(merged)
        mapping[mapping == -1] = empty
        mapping[-1] = empty  # a missing cell
        return mapping[codes], [*merged, ""]

    def flags(self, name: str) -> npt.NDArray[np.int8]:
        """A true/false column as 1/0, -1 where empty."""
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

    def table(self, *, layout: str, encoding: str | None) -> TradeTable:
        """Check every column and build the table, which says the ``layout`` and ``encoding`` read.

        Raises:
            StructureError: every problem found.
            NeedText: a number Arrow read must be read again as text to be reported.
        """
        year = self.numbers("refYear", required=True, integer=True)
        outside = ~np.isnan(year) & ((year < MIN_YEAR) | (year > MAX_YEAR))
        self.bad(outside, "refYear", lambda row: f"must be a year from {MIN_YEAR} to {MAX_YEAR} (got {year[row]:g})")
        month = self.months(year)
        reporter, reporter_kind = self.areas("reporter")
        partner, partner_kind = self.areas("partner")
        flow = self.flows()
        hs, labels = self.commodities()
        data: dict[str, Any] = {
            "reporter": reporter,
            "partner": partner,
            "reporter_kind": reporter_kind,
            "partner_kind": partner_kind,
            "flow": flow,
            "year": np.where(outside | np.isnan(year), MIN_YEAR, year).astype(np.int64),  # bad years are reported
            "month": month,
            "hs": hs,
            "value": self.numbers("primaryValue", required=True),
            "currency": categorical(np.zeros(self.size, dtype=np.int64), ["USD"]),
            "mass": self.numbers("netWgt", required=False),
            "qty": self.numbers("qty", required=False),
            "qty_unit_code": self.numbers("qtyUnitCode", required=False, integer=True, minimum=-1, maximum=32767),
        }
        if labels is not None:
            data["commodity"] = labels
        for extra in EXTRAS:
            if extra.comtrade is None or extra.comtrade not in self.frame.columns:
                continue
            if extra.kind == "flag":
                flags = self.flags(extra.comtrade)
                data[extra.name] = flag_array(flags)
            elif extra.kind == "text":
                codes, values = self.texts(extra.comtrade)
                for position, value in enumerate(values[:-1]):
                    if text_code(value) is None:
                        self.bad(
                            codes == position, extra.comtrade, constant_reason(f"{CODE_REASON} (got {shown(value)})")
                        )
                data[extra.name] = _categories(codes, values)
            else:
                whole = extra.kind == "code"
                data[extra.name] = self.numbers(
                    extra.comtrade,
                    required=False,
                    integer=whole,
                    minimum=-1 if whole else 0,
                    maximum=_MAX_CODE_NUMBER if whole else math.inf,
                )
        self.problems.raise_if_any()
        for name in (
            "qty_unit_code",
            "alt_qty_unit_code",
            "estimation_flag",
            "aggr_level",
            "mot_code",
            "partner2_code",
        ):
            if name in data:
                data[name] = np.nan_to_num(data[name], nan=-1.0).astype(np.int64)
        self.unstate_estimated_zeros(data)
        return TradeTable.from_frame(pd.DataFrame(data), mass_unit="kg", layout=layout, encoding=encoding)

    def unstate_estimated_zeros(self, data: dict[str, Any]) -> None:
        """An estimated 0 is no stated 0: Comtrade writes netWgt 0, flagged estimated, where it has no weight.

        Such a measure is read as missing (NaN); its flag stays, so the row says it was estimated.
        """
        table_names = {"netWgt": "mass", "grossWgt": "gross_mass", "qty": "qty", "altQty": "alt_qty"}
        flag_names = {extra.comtrade: extra.name for extra in EXTRAS if extra.kind == "flag" and extra.comtrade}
        for measure, flag in _ESTIMATED.items():
            name, flag_name = table_names[measure], flag_names[flag]
            if name in data and flag_name in data:
                estimated = data[flag_name].to_numpy(dtype=bool, na_value=False)
                data[name] = np.where(estimated & (data[name] == 0), np.nan, data[name])

    def months(self, year: FloatArray) -> IntArray:
        """0 for annual rows, 1–12 for monthly ones, from ``period`` and ``freqCode``."""
        period = self.numbers("period", required=False, integer=True)
        given = ~np.isnan(period) & (year == np.round(year))  # a bad refYear is reported already
        annual = given & (period == year)
        as_month = np.where(given, period, 0.0)
        monthly = given & ~annual & (np.floor(as_month / 100) == year) & (as_month % 100 >= 1) & (as_month % 100 <= 12)
        self.bad(
            given & ~annual & ~monthly & ~np.isnan(year),
            "period",
            lambda row: f"must be refYear (YYYY) or a month of it (YYYYMM) (got {period[row]:.0f})",
        )
        month = np.where(monthly, as_month % 100, 0).astype(np.int64)
        if self.column("freqCode") is not None:
            codes, values = self.texts("freqCode")
            for position, value in enumerate(values):
                rows = codes == position
                if value not in ("A", "M", ""):
                    self.bad(rows, "freqCode", constant_reason(f"must be A or M (got {shown(value)})"))
                elif value == "M":
                    self.bad(rows & (month == 0), "freqCode", constant_reason("is M, but period is not a month"))
                elif value == "A":
                    self.bad(rows & (month > 0), "freqCode", constant_reason("is A, but period is a month"))
        return month

    def areas(self, side: str) -> tuple[Any, Any]:
        """The reporter's or partner's code per row and its kind, resolved once per distinct (code, ISO, name)."""
        code_codes, code_values = self.texts(f"{side}Code")
        iso_codes, iso_values = self.texts(f"{side}ISO")
        name_codes, name_values = self.texts(f"{side}Desc")
        combined = (code_codes * len(iso_values) + iso_codes) * len(name_values) + name_codes
        triples, inverse = np.unique(combined, return_inverse=True)
        inverse = inverse.reshape(-1)
        resolved: dict[str, int] = {}
        kinds: list[str] = []
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
                kinds.append(kind.value)
            mapping[position] = resolved[party]
        row_codes = mapping[inverse]
        every_kind = [kind.value for kind in AreaKind]
        kind_codes = np.array([*(every_kind.index(kind) for kind in kinds), -1], dtype=np.int64)[row_codes]
        return _categories_of(row_codes, list(resolved)), _categories_of(kind_codes, every_kind)

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

    def flows(self) -> Any:
        codes, values = self.texts("flowCode")
        table_codes: dict[str, int] = {}
        mapping = np.full(len(values), -1, dtype=np.int64)
        codes_listed = list(self.flow_codes)
        expected = f"{', '.join(codes_listed[:-1])} or {codes_listed[-1]}"
        for position, value in enumerate(values):
            flow = self.flow_codes.get(value)
            if flow is None:
                reason = "is empty" if value == "" else f"is not {expected} (got {shown(value)})"
                self.bad(codes == position, "flowCode", constant_reason(reason))
            else:
                mapping[position] = table_codes.setdefault(flow, len(table_codes))
        return _categories_of(mapping[codes], list(table_codes))

    def commodities(self) -> tuple[Any, Any]:
        """HS codes and labels, each distinct (cmdCode, cmdDesc) pair checked once."""
        hs_codes, hs_values = self.texts("cmdCode")
        label_codes, label_values = self.texts("cmdDesc")
        radix = len(label_values)
        pairs, inverse = np.unique(hs_codes * radix + label_codes, return_inverse=True)
        inverse = inverse.reshape(-1)
        for position, pair in enumerate(pairs):
            hs, label = hs_values[int(pair) // radix], label_values[int(pair) % radix]
            if hs == "":
                self.bad(inverse == position, "cmdCode", constant_reason("is empty"))
                continue
            checked = commodity_category(hs, label or None)
            if isinstance(checked, CellProblem):
                name = "cmdCode" if checked.column == "hs" else "cmdDesc"
                self.bad(inverse == position, name, constant_reason(checked.reason))
        labels = None if self.column("cmdDesc") is None else _categories(label_codes, label_values)
        return _categories(hs_codes, hs_values), labels


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


def _categories(codes: IntArray, values: list[str]) -> Any:
    """A Categorical of :meth:`Rows.texts`'s result, the empty text as missing."""
    empty = len(values) - 1
    return _categories_of(np.where(codes == empty, -1, codes), values[:-1])


def _categories_of(codes: IntArray, names: list[str]) -> Any:
    return categorical(codes, names)

"""Checking a DataFrame's columns for :class:`nkru.table.TradeTable`, vectorized.

Text columns are factorized (pandas does that in C) and each *distinct*
value is checked once; numbers are checked with numpy. Every bad cell is
reported by its row position and column, up to
:data:`nkru._tables.MAX_PROBLEMS` of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._tables import MAX_PROBLEMS, Problems, shown
from nkru._text import check_id
from nkru.commodities import Commodity
from nkru.errors import NkruError, ValidationError
from nkru.parties import Country
from nkru.records import Flow
from nkru.units import CURRENCIES, _conversion, format_unit, to_unit, unit, ureg

__all__ = [
    "FLOWS",
    "FLOW_CODES",
    "OPTIONAL",
    "REQUIRED",
    "WORLD",
    "FloatArray",
    "IntArray",
    "categorical",
    "commodity_category",
    "convert_array",
    "mass_unit",
    "read_frame",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

WORLD: Final = "W00"
"""The partner code of the World (Comtrade partner 0, whose ISO-like code is ``W00``)."""

#: The flow column's categories, in code order.
FLOWS: Final = (Flow.EXPORT, Flow.IMPORT, Flow.RE_EXPORT, Flow.RE_IMPORT, Flow.TURNOVER)
#: Every name of a flow a frame may use (the member, its value, its Comtrade code) and its code.
FLOW_CODES: Final[dict[object, int]] = {
    **{flow: i for i, flow in enumerate(FLOWS)},
    **{flow.value: i for i, flow in enumerate(FLOWS)},
    **{flow.comtrade_code: i for i, flow in enumerate(FLOWS) if flow.comtrade_code is not None},
}
REQUIRED: Final = ("reporter", "partner", "flow", "year")
OPTIONAL: Final = ("month", "hs", "commodity", "value", "currency", "mass", "mass_unit", "qty", "qty_unit_code", "id")
MIN_YEAR: Final = 1000
MAX_YEAR: Final = 2999
_TOTAL: Final = "TOTAL"
#: The code of a cell whose text was refused (and reported); -1 is a missing cell.
_BAD: Final = -2
_MASS: Final = ureg.kilogram.dimensionality

#: ``pd.Categorical.from_codes``, whose stubs accept no object categories.
_from_codes: Any = pd.Categorical.from_codes


def categorical(codes: npt.NDArray[Any], names: list[Any]) -> Any:
    """A pandas Categorical from codes (-1 = missing) and category names."""
    return _from_codes(codes, categories=names)


def mass_unit(text: str) -> Any:
    """The pint unit of mass named by ``text``.

    Raises:
        ParseError: ``text`` is no unit.
        ValidationError: it is not a mass.
    """
    resolved = unit(text)
    if resolved.dimensionality != _MASS:
        raise ValidationError("mass_unit", text, "must be a unit of mass, such as kg or t")
    return resolved


def convert_array(values: FloatArray, source: Any, target: Any) -> FloatArray:
    """Convert magnitudes from unit ``source`` to ``target`` with nkru's exact factors (``to_unit``).

    Raises:
        ValidationError: a value overflows in the new unit.
    """
    # nkru.units.to_unit works on one number; its factor rule (divide by 1000 rather than multiply
    # by the inexact 0.001) is applied here to the whole column, so both give the same floats.
    to_unit(ureg.Quantity(1.0, source), target)  # nkru's errors for a wrong kind of unit
    operation, factor = _conversion(source, target)
    with np.errstate(over="ignore"):  # an overflow is reported below, with nkru's error
        converted = values / factor if operation == "/" else values * factor
    if np.isinf(converted).any() and not np.isinf(values).any():
        raise ValidationError("mass", format_unit(source), f"a value is too large to express in {format_unit(target)}")
    return converted


def read_frame(frame: pd.DataFrame, mass_unit_text: str | None) -> dict[str, Any]:
    """Check ``frame`` and return the keyword arguments of :class:`~nkru.table.TradeTable`.

    Raises:
        StructureError: every bad column and cell found.
    """
    problems = Problems("TradeTable")
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError("frame", type(frame).__name__, "must be a pandas DataFrame")
    names = [str(name) for name in frame.columns]
    for name in names:
        if name not in REQUIRED and name not in OPTIONAL:
            problems.add(f"column {shown(name)}", f"unknown column; expected {', '.join(REQUIRED + OPTIONAL)}")
    for name in REQUIRED:
        if name not in names:
            problems.add(f"column {name!r}", "is missing")
    if len(set(names)) != len(names):
        problems.add("columns", "a column name appears twice")
    if "value" in names and "currency" not in names:
        problems.add("column 'currency'", "is missing; the value column needs it")
    problems.raise_if_any()
    return _FrameReader(frame, problems, mass_unit_text).columns()


class _FrameReader:
    def __init__(self, frame: pd.DataFrame, problems: Problems, mass_unit_text: str | None) -> None:
        self.frame = frame
        self.problems = problems
        self.size = len(frame)
        self.names = {str(name): name for name in frame.columns}
        units = frame.attrs.get("units")
        from_attrs = units.get("mass") if isinstance(units, Mapping) else None
        self.mass_unit_text = mass_unit_text or (from_attrs if isinstance(from_attrs, str) else None) or "kg"

    def column(self, name: str) -> pd.Series[Any] | None:
        key = self.names.get(name)
        return None if key is None else self.frame[key]

    def bad_rows(self, mask: npt.NDArray[np.bool_], name: str, reason: Callable[[int], str]) -> None:
        for row in np.flatnonzero(mask)[:MAX_PROBLEMS]:
            self.problems.add(f"row {int(row)}, column {name!r}", reason(int(row)))

    def categories(
        self, name: str, check: Callable[[object], object | None], *, required: bool
    ) -> tuple[IntArray, list[Any]]:
        """Codes and checked categories of a text column; ``check`` gives the value to keep, or None if bad.

        Missing cells get code -1, bad ones (already reported) :data:`_BAD`.
        """
        series = self.column(name)
        if series is None:
            return np.full(self.size, -1, dtype=np.int64), []
        codes, uniques = _factorize(series)
        used = np.bincount(codes[codes >= 0], minlength=len(uniques)) > 0
        mapping = np.full(len(uniques) + 1, -1, dtype=np.int64)
        kept: dict[object, int] = {}
        for position, raw in enumerate(uniques):
            if not used[position]:
                continue
            checked = check(raw)
            if checked is None:
                self.bad_rows(codes == position, name, _constant(_reason_for(name, raw)))
                mapping[position] = _BAD
                continue
            mapping[position] = kept.setdefault(checked, len(kept))
        if required:
            self.bad_rows(codes < 0, name, _constant("is missing"))
        return mapping[codes], list(kept)

    def numbers(self, name: str, *, integers: bool = False) -> FloatArray | None:
        series = self.column(name)
        if series is None:
            return None
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            self.problems.add(f"column {name!r}", f"must hold numbers, not {dtype}")
            return np.full(self.size, np.nan)
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(values)
        self.bad_rows(infinite, name, lambda row: f"must be finite (got {float(values[row])!r})")
        if integers:
            fractional = ~np.isnan(values) & ~infinite & (values != np.round(values))
            self.bad_rows(fractional, name, lambda row: f"must be a whole number (got {float(values[row])!r})")
        return np.where(infinite, np.nan, values)

    def columns(self) -> dict[str, Any]:
        size = self.size
        reporter = self.categories("reporter", _country, required=True)
        partner = self.categories("partner", _partner, required=True)
        flow_codes, flows = self.categories("flow", _flow, required=True)
        flow = np.array([FLOW_CODES[f] for f in flows] + [0], dtype=np.int64)[flow_codes]
        year = self.numbers("year", integers=True)
        if year is None:  # pragma: no cover - a required column, checked by read_frame
            year = np.full(size, np.nan)
        outside = np.isnan(year) | (year < MIN_YEAR) | (year > MAX_YEAR)
        self.bad_rows(outside, "year", _constant(f"must be a year from {MIN_YEAR} to {MAX_YEAR}"))
        month = self.numbers("month", integers=True)
        month = np.zeros(size) if month is None else np.nan_to_num(month, nan=0.0)
        self.bad_rows(
            (month < 0) | (month > 12),
            "month",
            lambda row: f"must be 1 to 12, or 0 for the year (got {float(month[row])!r})",
        )
        value = self.numbers("value")
        value = np.full(size, np.nan) if value is None else value
        currency_codes, currencies = self.categories("currency", _currency, required=False)
        self.bad_rows(~np.isnan(value) & (currency_codes == -1), "currency", _constant("is missing for a value"))
        commodity = self.commodities()
        mass, unit_text = self.masses()
        qty = self.numbers("qty")
        qty_unit = self.numbers("qty_unit_code", integers=True)
        ids = self.ids()
        self.problems.raise_if_any()
        return {
            "reporter": reporter,
            "partner": partner,
            "flow": flow,
            "year": year.astype(np.int64),
            "month": month.astype(np.int64),
            "commodity": commodity,
            "value": value,
            "currency": (np.where(np.isnan(value), -1, currency_codes), currencies),
            "mass": mass,
            "mass_unit": unit_text,
            "qty": np.full(size, np.nan) if qty is None else qty,
            "qty_unit": np.full(size, -1, dtype=np.int64)
            if qty_unit is None
            else np.nan_to_num(qty_unit, nan=-1.0).astype(np.int64),
            "ids": ids,
        }

    def commodities(self) -> tuple[IntArray, list[tuple[str, str | None]]]:
        """Codes of (label, hs) pairs; a pair is checked once, however many rows have it."""
        hs_series, label_series = self.column("hs"), self.column("commodity")
        none = np.full(self.size, -1, dtype=np.int64)
        hs_codes, hs_uniques = (none, []) if hs_series is None else _factorize(hs_series)
        label_codes, label_uniques = (none, []) if label_series is None else _factorize(label_series)
        radix = len(label_uniques) + 1
        if label_series is None:
            inverse = hs_codes + 1
            pairs: list[tuple[int, int]] = [(h, -1) for h in range(-1, len(hs_uniques))]
        else:
            combined, inverse = np.unique((hs_codes + 1) * radix + (label_codes + 1), return_inverse=True)
            inverse = inverse.reshape(-1)
            pairs = [(int(p) // radix - 1, int(p) % radix - 1) for p in combined]
        kept: dict[tuple[str, str | None], int] = {}
        mapping = np.full(len(pairs), -1, dtype=np.int64)
        for position, (h, lab) in enumerate(pairs):
            checked = commodity_category(None if h < 0 else hs_uniques[h], None if lab < 0 else label_uniques[lab])
            if isinstance(checked, tuple):
                mapping[position] = kept.setdefault(checked, len(kept))
            elif checked is not None:
                column, reason = checked.split(":", 1)
                self.bad_rows(inverse == position, column, _constant(reason))
        return mapping[inverse], list(kept)

    def masses(self) -> tuple[FloatArray, str]:
        try:
            target = mass_unit(self.mass_unit_text)
        except NkruError as exc:
            self.problems.add("mass_unit", str(exc))
            target = unit("kg")
        mass = self.numbers("mass")
        if mass is None:
            return np.full(self.size, np.nan), format_unit(target)
        self.bad_rows(mass < 0, "mass", lambda row: f"must not be negative (got {float(mass[row])!r})")
        if self.column("mass_unit") is None:
            return mass, format_unit(target)
        codes, units = self.categories("mass_unit", _mass_unit_or_none, required=False)
        self.bad_rows(~np.isnan(mass) & (codes == -1), "mass_unit", _constant("is missing for a mass"))
        result = mass.copy()
        for position, source in enumerate(units):
            if source != target:
                rows = codes == position
                result[rows] = convert_array(mass[rows], source, target)
        return result, format_unit(target)

    def ids(self) -> npt.NDArray[np.object_] | None:
        """Record ids (a table of records): checked one by one, as each is its own value."""
        series = self.column("id")
        if series is None:
            return None
        values: npt.NDArray[np.object_] = series.to_numpy(dtype=object)
        attribute = _IdField()
        for row, value in enumerate(values):
            try:
                check_id(None, attribute, value)
            except ValidationError as exc:
                self.problems.add(f"row {row}, column 'id'", f"{exc.reason} (got {shown(str(value))})")
                if len(self.problems.found) >= MAX_PROBLEMS:
                    break
        return values


class _IdField:
    """Stands in for the attrs attribute :func:`nkru._text.check_id` names in its error."""

    name = "id"


def _constant(reason: str) -> Callable[[int], str]:
    return lambda _row: reason


def _factorize(series: pd.Series[Any]) -> tuple[IntArray, list[Any]]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return np.asarray(series.cat.codes, dtype=np.int64), list(series.cat.categories)
    raw_codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(raw_codes, dtype=np.int64), list(uniques)


def _reason_for(name: str, raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    reasons = {
        "reporter": "is not an ISO 3166 alpha-3 country code",
        "partner": f"is not an ISO 3166 alpha-3 country code or {WORLD} (the World)",
        "flow": "is not a flow (export, import, re_export, re_import, turnover, or X, M, RX, RM)",
        "currency": "is not a currency nkru knows",
        "mass_unit": "is not a unit of mass nkru reads (kg, t ...)",
    }
    return f"{reasons[name]} (got {shown(text)})"


def _country(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    try:
        return Country(raw).code
    except ValidationError:
        return None


def _partner(raw: object) -> str | None:
    return WORLD if raw == WORLD else _country(raw)


def _flow(raw: object) -> Flow | None:
    if isinstance(raw, (Flow, str)) and raw in FLOW_CODES:
        return FLOWS[FLOW_CODES[raw]]
    return None


def _currency(raw: object) -> str | None:
    return raw if isinstance(raw, str) and raw in CURRENCIES else None


def _mass_unit_or_none(raw: object) -> object | None:
    if not isinstance(raw, str):
        return None
    try:
        resolved: object = mass_unit(raw)
    except NkruError:
        return None
    return resolved


def commodity_category(hs: object, label: object) -> tuple[str, str | None] | str | None:
    """The (label, hs) category of a row, None for all goods, or ``"column:reason"`` if bad."""
    if hs is not None and not isinstance(hs, str):
        return f"hs:must be HS code text (got {shown(repr(hs))})"
    if label is not None and not isinstance(label, str):
        return f"commodity:must be text (got {shown(repr(label))})"
    code = None if hs in (None, _TOTAL) else hs
    if code is None and label is None:
        return None
    try:
        commodity = Commodity(label if label is not None else f"HS {code}", code)
    except ValidationError as exc:
        column = "hs" if exc.field == "hs" else "commodity"
        return f"{column}:{exc.reason} (got {exc.value if len(exc.value) <= 42 else exc.value[:40] + '…'})"
    return commodity.label, commodity.hs

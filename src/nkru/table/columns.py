"""The checked column kinds a reader builds a :class:`~nkru.table.TradeTable` from.

A reader of any format (:mod:`nkru.io.comtrade` reads Comtrade's CSV) turns
its cells into these columns: category codes with their names
(:func:`categorical`), flows by :data:`FLOW_CODES`, the World as
:data:`WORLD`, commodities checked by :func:`commodity_category`, masses
converted by nkru's exact factors (:func:`convert_array`).
:func:`read_frame` checks a whole DataFrame this way for
:meth:`TradeTable.from_frame <nkru.table.TradeTable.from_frame>`.

Text columns are factorized (pandas does that in C) and each *distinct*
value is checked once; numbers are checked with numpy. Every bad cell is
reported by its row position and column, up to
:data:`nkru._core.tables.MAX_PROBLEMS` of them. A check that refuses a value
returns a :class:`CellProblem`, which the reader reports at the rows holding it.
"""

from __future__ import annotations

import contextlib
import reprlib
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._core.factors import ExactFactor
from nkru._core.tables import MAX_PROBLEMS, Problems, constant_reason
from nkru._core.text import check_id, clip, shown
from nkru.commodities import Commodity
from nkru.errors import NkruError, ValidationError
from nkru.parties import AreaKind, area_kind, comtrade_area
from nkru.periods import MAX_YEAR, MIN_YEAR
from nkru.records import Flow
from nkru.units import CURRENCIES, conversion_factor, format_unit, to_unit, unit, ureg

__all__ = [
    "CODE_REASON",
    "EXTRAS",
    "FLOWS",
    "FLOW_CODES",
    "KINDS",
    "OPTIONAL",
    "REQUIRED",
    "TOTAL_CODES",
    "WORLD",
    "CellProblem",
    "Codes",
    "Extra",
    "FloatArray",
    "IntArray",
    "categorical",
    "commodity_category",
    "conversion",
    "convert_array",
    "flag_array",
    "has_nan",
    "mass_unit",
    "read_frame",
    "scaled",
    "text_code",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Codes = npt.NDArray[np.integer[Any]]
"""Category codes of any integer width (-1 for a missing cell)."""

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
#: The kinds of reporters and partners, in the order of the ``reporter_kind``/``partner_kind`` categories.
KINDS: Final = tuple(AreaKind)


class Extra(NamedTuple):
    """One of the table's Comtrade columns beyond the core ones: its name and how it is stored.

    Kinds: ``money`` (floats in the row's currency, converted with ``value``),
    ``mass`` (floats in the table's mass unit), ``number`` (floats as read),
    ``code`` (whole numbers as read; -1 if none), ``flag`` (true, false or
    unknown; pandas' nullable ``boolean``), ``text`` (a category; missing if none).

    ``mirrored`` is nkru's own column, read from no Comtrade file: true on the
    rows :meth:`~nkru.table.TradeTable.mirror` built from partners' reports.
    """

    name: str
    kind: str
    comtrade: str | None
    """The Comtrade Plus (API) column it is read from; None for nkru's own columns (``mirrored``)."""


#: The Comtrade columns a table keeps besides the core ones, in :meth:`~nkru.table.TradeTable.to_frame`'s order.
EXTRAS: Final = (
    Extra("cif_value", "money", "cifvalue"),
    Extra("fob_value", "money", "fobvalue"),
    Extra("gross_mass", "mass", "grossWgt"),
    Extra("alt_qty", "number", "altQty"),
    Extra("alt_qty_unit_code", "code", "altQtyUnitCode"),
    Extra("mass_estimated", "flag", "isNetWgtEstimated"),
    Extra("gross_mass_estimated", "flag", "isGrossWgtEstimated"),
    Extra("qty_estimated", "flag", "isQtyEstimated"),
    Extra("alt_qty_estimated", "flag", "isAltQtyEstimated"),
    Extra("estimation_flag", "code", "legacyEstimationFlag"),
    Extra("is_reported", "flag", "isReported"),
    Extra("is_aggregate", "flag", "isAggregate"),
    Extra("aggr_level", "code", "aggrLevel"),
    Extra("is_leaf", "flag", "isLeaf"),
    Extra("customs_code", "text", "customsCode"),
    Extra("mot_code", "code", "motCode"),
    Extra("partner2_code", "code", "partner2Code"),
    Extra("classification", "text", "classificationCode"),
    Extra("mirrored", "flag", None),
)

#: The codes of the totals over each breakdown: customs procedure C00, transport mode 0, second partner 0.
TOTAL_CODES: Final = {"customs_code": "C00", "mot_code": 0, "partner2_code": 0}

REQUIRED: Final = ("reporter", "partner", "flow", "year")
OPTIONAL: Final = (
    "reporter_kind",
    "partner_kind",
    "month",
    "hs",
    "commodity",
    "value",
    "currency",
    "mass",
    "mass_unit",
    "qty",
    "qty_unit_code",
    *(extra.name for extra in EXTRAS),
    "id",
)
_TOTAL: Final = "TOTAL"
#: The code of a cell whose text was refused (and reported); -1 is a missing cell.
_BAD: Final = -2
_MASS: Final = ureg.kilogram.dimensionality
#: The longest reporter, partner, customs or classification code a table holds.
_MAX_CODE: Final = 20
#: Why :func:`text_code` refuses a code.
CODE_REASON: Final = f"is not a code of at most {_MAX_CODE} printable characters"


class CellProblem(NamedTuple):
    """Why a check refused a value, and which column of the row it blames.

    >>> commodity_category("27x", None).reason
    "is not an HS chapter (01-97, no 77) or a 4- or 6-digit code within one (got '27x')"
    """

    column: str
    """The column to report, as the table names it (a reader maps it to its own)."""
    reason: str
    """What is wrong, with the value shown."""


#: ``pd.Categorical.from_codes``, whose stubs accept no object categories.
_from_codes: Any = pd.Categorical.from_codes


def categorical(codes: npt.NDArray[Any], names: list[Any]) -> Any:
    """A pandas Categorical from codes (-1 = missing) and category names."""
    return _from_codes(codes, categories=names)


def flag_array(codes: npt.NDArray[np.integer[Any]]) -> Any:
    """A pandas nullable ``boolean`` array of flag codes: 1 true, 0 false, -1 (or less) missing."""
    return pd.arrays.BooleanArray(np.asarray(codes) == 1, np.asarray(codes) < 0)


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


def conversion(source: Any, target: Any) -> ExactFactor:
    """The exact factor :func:`nkru.units.to_unit` converts ``source`` to ``target`` by, for whole columns.

    Raises:
        UnitMismatchError: the units are of different kinds.
    """
    to_unit(ureg.Quantity(1.0, source), target)  # nkru's errors for a wrong kind of unit
    return conversion_factor(source, target)


def has_nan(values: FloatArray) -> bool:
    """Whether some entry is NaN: one pass, no temporary column (the least of numbers holding a NaN is NaN)."""
    return values.size > 0 and bool(np.isnan(values.min()))


def convert_array(values: FloatArray, source: Any, target: Any) -> FloatArray:
    """Convert magnitudes from unit ``source`` to ``target`` with nkru's exact factors (see :func:`conversion`).

    Raises:
        ValidationError: a value overflows in the new unit.
    """
    converted = scaled(values, source, target)
    _check_overflow(converted, values, target)
    return converted


def scaled(values: FloatArray, source: Any, target: Any) -> FloatArray:
    """:func:`convert_array` without the overflow check: a value too large for ``target`` becomes infinite."""
    return conversion(source, target).apply(values)  # the caller reports an overflow, with nkru's error


def _check_overflow(converted: FloatArray, values: FloatArray, target: Any) -> None:
    if np.isinf(converted).any() and not np.isinf(values).any():
        raise ValidationError("mass", "a value", f"is too large to express in {format_unit(target)}")


def _filled(size: int, value: float, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A read-only column of one value that takes no memory per row."""
    return np.broadcast_to(np.array(value, dtype=dtype), (size,))


def _code_dtype(count: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type for codes -2 .. count."""
    if count < 127:
        return np.int8
    if count < 32767:
        return np.int16
    return np.int32


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
    money = [name for name in ("value", "cif_value", "fob_value") if name in names]
    if money and "currency" not in names:
        problems.add("column 'currency'", f"is missing; the {money[0]} column needs it")
    _check_unit_attrs(frame.attrs.get("units"), names, problems)
    problems.raise_if_any()
    return _FrameReader(frame, problems, mass_unit_text).columns()


def _check_unit_attrs(units: object, names: list[str], problems: Problems) -> None:
    """``attrs["units"]`` as :meth:`~nkru.table.TradeTable.to_frame` writes it: column name to unit text.

    A malformed mass entry would otherwise leave the mass column read as kilograms without a word.
    Other entries are not read (pandas keeps them on a frame whose columns were dropped).
    """
    if units is None:
        return
    if not isinstance(units, Mapping):
        problems.add("attrs['units']", f"must map column names to units (got {type(units).__name__})")
        return
    if "mass" in names and "mass" in units and not isinstance(units["mass"], str):
        problems.add("attrs['units']['mass']", f"must be a unit as text (got {type(units['mass']).__name__})")


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
    ) -> tuple[Codes, list[Any]]:
        """Codes and checked categories of a text column; ``check`` gives the value to keep, or None if bad.

        Missing cells get code -1, bad ones (already reported) :data:`_BAD`.
        Each distinct value is checked once; the codes are pandas' own when
        every category is used and kept as it is.
        """
        series = self.column(name)
        if series is None:
            return np.broadcast_to(np.int8(-1), (self.size,)), []
        codes, uniques = _factorize(series)
        count = len(uniques)
        used = np.zeros(count + 1, dtype=bool)
        used[codes] = True  # a missing cell (-1) marks the last slot
        mapping = np.full(count + 1, -1, dtype=_code_dtype(count))
        kept: dict[object, int] = {}
        for position in np.flatnonzero(used[:count]):
            raw = uniques[position]
            checked = check(raw)
            if checked is None:
                self.bad_rows(codes == position, name, constant_reason(_reason_for(name, raw)))
                mapping[position] = _BAD
                continue
            mapping[position] = kept.setdefault(checked, len(kept))
        if required and used[count]:
            self.bad_rows(codes < 0, name, constant_reason("is missing"))
        if len(kept) == count and np.array_equal(mapping[:count], np.arange(count)):
            return np.array(codes), list(kept)  # a copy: the table shares no memory with the frame
        return mapping[codes], list(kept)

    def numbers(self, name: str, *, integers: bool = False) -> FloatArray | None:
        """The column as floats (NaN where missing); infinities (and fractions, if asked) reported."""
        series = self.column(name)
        if series is None:
            return None
        dtype = series.dtype
        if getattr(dtype, "kind", "O") not in "iuf":  # not bool, complex or objects; numpy's, pandas' or Arrow's
            self.problems.add(f"column {name!r}", f"must hold numbers, not {dtype}")
            return np.full(self.size, np.nan)
        values: FloatArray = series.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(values)
        if infinite.any():
            self.bad_rows(infinite, name, lambda row: f"must be finite (got {float(values[row])!r})")
            values = np.where(infinite, np.nan, values)
        if integers and not pd.api.types.is_integer_dtype(dtype):
            fractional = values != np.round(values)  # false for NaN
            fractional &= ~np.isnan(values)
            self.bad_rows(fractional, name, lambda row: f"must be a whole number (got {float(values[row])!r})")
        return values

    def whole(
        self, name: str, low: int, high: int, reason: str, *, missing: int | None
    ) -> npt.NDArray[np.int64] | None:
        """A column of whole numbers from ``low`` to ``high``; missing cells are ``missing``, or reported if None."""
        series = self.column(name)
        if series is None:
            return None
        dtype = series.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iu":  # numpy integers: no NaN, no fractions
            values = series.to_numpy()
            self.bad_rows((values < low) | (values > high), name, lambda row: f"{reason} (got {int(values[row])})")
            return values.astype(np.int64)
        floats = self.numbers(name, integers=True)
        if floats is None:  # pragma: no cover - numbers() returns None only for a missing column
            return None
        absent = np.isnan(floats)
        if missing is None:
            self.bad_rows(absent, name, constant_reason("is missing"))
        outside = (floats < low) | (floats > high)
        self.bad_rows(outside, name, lambda row: f"{reason} (got {float(floats[row])!r})")
        return np.where(absent | outside, low if missing is None else missing, floats).astype(np.int64)

    def columns(self) -> dict[str, Any]:
        size = self.size
        reporter, reporter_kind = self.parties("reporter")
        partner, partner_kind = self.parties("partner")
        flow_codes, flows = self.categories("flow", _flow, required=True)
        year = self.whole("year", MIN_YEAR, MAX_YEAR, f"must be a year from {MIN_YEAR} to {MAX_YEAR}", missing=None)
        if year is None:  # pragma: no cover - a required column, checked by read_frame
            year = np.zeros(size, dtype=np.int64)
        month = self.whole("month", 0, 12, "must be 1 to 12, or 0 for the year", missing=0)
        value = self.numbers("value")
        commodity = self.commodities()
        mass, unit_text = self.masses()
        qty = self.numbers("qty")
        qty_unit = self.whole("qty_unit_code", -1, 32767, "must be a whole number from -1 to 32767", missing=-1)
        extras = self.extras(unit(unit_text))
        currency_codes, currencies = self.categories("currency", _currency, required=False)
        money = [column for column in (value, extras.get("cif_value"), extras.get("fob_value")) if column is not None]
        if money:
            no_value = np.logical_and.reduce([np.isnan(column) for column in money])
            if no_value.any():
                currency_codes = np.where(no_value, -1, currency_codes).astype(currency_codes.dtype)
                currency_codes, currencies = _used_only(currency_codes, currencies)
            self.bad_rows(~no_value & (currency_codes == -1), "currency", constant_reason("is missing for a value"))
        ids = self.ids()
        self.problems.raise_if_any()
        # Only now is every flow code valid: a bad or missing cell (code -2 or -1) has been reported.
        flow = np.array([FLOW_CODES[f] for f in flows], dtype=np.int8)[flow_codes]
        # the table must not share memory with the caller's frame: every array is a copy or new
        return {
            "reporter": reporter,
            "partner": partner,
            "reporter_kind": reporter_kind,
            "partner_kind": partner_kind,
            "flow": flow,
            "year": np.array(year, dtype=np.int16),
            "month": _filled(size, 0, np.int8) if month is None else month.astype(np.int8),
            "commodity": commodity,
            "value": _filled(size, np.nan, np.float64) if value is None else np.array(value),
            "currency": (currency_codes if money else _filled(size, -1, np.int8), currencies),
            "mass": mass,
            "mass_unit": unit_text,
            "qty": _filled(size, np.nan, np.float64) if qty is None else np.array(qty),
            "qty_unit": _filled(size, -1, np.int16) if qty_unit is None else np.array(qty_unit, dtype=np.int16),
            "extras": extras,
            "ids": ids,
        }

    def parties(self, side: str) -> tuple[tuple[Codes, list[str]], list[AreaKind]]:
        """The reporter's or partner's codes and categories, and each category's kind.

        A code is an ISO 3166 alpha-3 country code or a Comtrade area nkru
        knows (:data:`nkru.parties.COMTRADE_AREAS`; ``WLD`` is read as
        ``W00``); any other code needs its kind in the ``<side>_kind`` column.
        """
        codes, names = self.categories(side, _party_code, required=True)
        given = self._kinds_given(side, codes, len(names))
        kinds: list[AreaKind] = []
        for position, name in enumerate(names):
            known = area_kind(name)
            stated = given.get(position)
            rows = codes == position
            if isinstance(stated, str):  # the kinds given for this code disagree, or one is no kind
                self.bad_rows(rows, f"{side}_kind", constant_reason(stated))
            elif known is not None and stated is not None and stated is not known:
                reason = f"is {stated.value}, but {name!r} is a {known.value}"
                self.bad_rows(rows, f"{side}_kind", constant_reason(reason))
            kind = known if known is not None else stated if isinstance(stated, AreaKind) else None
            if kind is None:
                reason = (
                    f"is neither an ISO 3166 alpha-3 country code nor a Comtrade area nkru knows "
                    f"(got {shown(name)}); give its kind in a {side}_kind column"
                )
                self.bad_rows(rows, side, constant_reason(reason))
            elif kind is AreaKind.WORLD and side == "reporter":
                self.bad_rows(rows, side, constant_reason(f"the World ({name}) reports nothing"))
            kinds.append(AreaKind.GROUP if kind is None else kind)
        return (codes, names), kinds

    def _kinds_given(self, side: str, codes: Codes, count: int) -> dict[int, AreaKind | str]:
        """The kind the ``<side>_kind`` column gives each code category, or why it gives none."""
        series = self.column(f"{side}_kind")
        if series is None or count == 0:
            return {}
        kind_codes, kind_values = _factorize(series)
        pairs = np.unique(codes.astype(np.int64) * (len(kind_values) + 1) + kind_codes.astype(np.int64) + 1)
        result: dict[int, AreaKind | str] = {}
        for pair in pairs:
            position, kind_position = divmod(int(pair), len(kind_values) + 1)
            if position < 0:
                continue
            raw = kind_values[kind_position - 1] if kind_position > 0 else None
            try:
                kind: AreaKind | str = AreaKind(raw)
            except ValueError:
                kind = f"must be one of {', '.join(k.value for k in AreaKind)} (got {shown(str(raw))})"
            previous = result.get(position)
            if previous is not None and previous != kind:
                kind = previous if isinstance(previous, str) else "gives two kinds for one code"
            result[position] = kind
        return result

    def extras(self, mass_target: Any) -> dict[str, Any]:
        """The Comtrade columns of :data:`EXTRAS`: checked arrays, or (codes, names) for text columns."""
        result: dict[str, Any] = {}
        for extra in EXTRAS:
            if self.column(extra.name) is None:
                continue
            if extra.kind in ("money", "mass", "number"):
                values = self.numbers(extra.name)
                if values is None:  # pragma: no cover - the column exists
                    continue
                if extra.kind == "mass":  # in the unit the frame's masses are in (not a per-row mass_unit)
                    self.bad_rows(values < 0, extra.name, constant_reason("must not be negative"))
                    with contextlib.suppress(NkruError):  # a bad unit is reported by masses()
                        values = convert_array(values, mass_unit(self.mass_unit_text), mass_target)
                result[extra.name] = np.array(values)
            elif extra.kind == "code":
                whole = self.whole(extra.name, -1, 2**31 - 1, "must be a whole number from -1", missing=-1)
                if whole is not None:
                    result[extra.name] = whole.astype(np.int32)
            elif extra.kind == "flag":
                result[extra.name] = self.flags(extra.name)
            else:
                codes, names = self.categories(extra.name, text_code, required=False)
                result[extra.name] = (np.asarray(codes, dtype=np.int32), names)
        return result

    def flags(self, name: str) -> npt.NDArray[np.int8]:
        """A flag column (booleans, missing allowed) as int8: 1 true, 0 false, -1 unknown."""
        series = self.column(name)
        if series is None:  # pragma: no cover - called for present columns
            return _filled(self.size, -1, np.int8)
        codes, values = _factorize(series)
        mapping = np.full(len(values) + 1, -1, dtype=np.int8)
        for position, raw in enumerate(values):
            if isinstance(raw, (bool, np.bool_)) or (isinstance(raw, (int, np.integer)) and raw in (0, 1)):
                mapping[position] = int(raw)
            else:
                self.bad_rows(codes == position, name, constant_reason(f"must be true, false or missing (got {raw!r})"))
        return mapping[codes]

    def commodities(self) -> tuple[Codes, list[tuple[str, str | None]]]:
        """Codes of (label, hs) pairs; a pair is checked once, however many rows have it."""
        hs_series, label_series = self.column("hs"), self.column("commodity")
        if hs_series is None and label_series is None:
            return _filled(self.size, -1, np.int8), []
        none = _filled(self.size, -1, np.int8)
        hs_codes, hs_uniques = (none, []) if hs_series is None else _factorize(hs_series)
        label_codes, label_uniques = (none, []) if label_series is None else _factorize(label_series)
        radix = len(label_uniques) + 1
        if label_series is None:
            inverse: Codes = hs_codes.astype(_code_dtype(len(hs_uniques) + 1)) + 1
            pairs: list[tuple[int, int]] = [(h, -1) for h in range(-1, len(hs_uniques))]
        else:
            combined = (hs_codes.astype(np.int64) + 1) * radix + (label_codes.astype(np.int64) + 1)
            unique, inverse = np.unique(combined, return_inverse=True)
            inverse = inverse.reshape(-1)
            pairs = [(int(p) // radix - 1, int(p) % radix - 1) for p in unique]
        kept: dict[tuple[str, str | None], int] = {}
        mapping = np.full(len(pairs), -1, dtype=_code_dtype(len(pairs)))
        for position, (h, lab) in enumerate(pairs):
            checked = commodity_category(None if h < 0 else hs_uniques[h], None if lab < 0 else label_uniques[lab])
            if isinstance(checked, CellProblem):
                self.bad_rows(inverse == position, checked.column, constant_reason(checked.reason))
            elif checked is not None:
                mapping[position] = kept.setdefault(checked, len(kept))
        return mapping[inverse], list(kept)

    def masses(self) -> tuple[FloatArray, str]:
        try:
            target = mass_unit(self.mass_unit_text)
        except NkruError as exc:
            self.problems.add("mass_unit", str(exc))
            target = unit("kg")
        mass = self.numbers("mass")
        if mass is None:
            return _filled(self.size, np.nan, np.float64), format_unit(target)
        self.bad_rows(mass < 0, "mass", lambda row: f"must not be negative (got {float(mass[row])!r})")
        if self.column("mass_unit") is None:
            return np.array(mass), format_unit(target)
        codes, units = self.categories("mass_unit", _mass_unit_or_none, required=False)
        if (codes == -1).any():
            self.bad_rows(~np.isnan(mass) & (codes == -1), "mass_unit", constant_reason("is missing for a mass"))
        if all(source == target for source in units):
            return np.array(mass), format_unit(target)
        # one exact factor per unit, picked per row by indexing: x / 1 * 1000 or x / 1000 * 1, exact either way
        divide, multiply = np.ones(len(units) + 1), np.ones(len(units) + 1)
        for position, source in enumerate(units):
            factor = conversion(source, target)
            divide[position] = 1.0 if factor.divisor is None else factor.divisor
            multiply[position] = 1.0 if factor.multiplier is None else factor.multiplier
        result = ExactFactor.apply_by_row(mass, divide, multiply, codes)  # an overflow is reported below
        _check_overflow(result, mass, target)
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


def _factorize(series: pd.Series[Any]) -> tuple[Codes, list[Any]]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), list(series.cat.categories)
    try:
        raw_codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # a cell pandas cannot hash (a list, a dict): each stands in as its own bad value
        raw_codes, uniques = pd.factorize(series.map(_hashable), use_na_sentinel=True)
    return np.asarray(raw_codes, dtype=np.int64), list(uniques)


class _Unhashable:
    """Stands in for a cell that cannot be hashed; it is never a valid value and shows as the cell's repr."""

    __slots__ = ("text",)

    def __init__(self, value: object) -> None:
        self.text = reprlib.repr(value)  # bounded, even for a list nested past the recursion limit

    def __repr__(self) -> str:
        return self.text


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return _Unhashable(value)
    return value


def _reason_for(name: str, raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    reasons = {
        "reporter": "is not a country or area code",
        "partner": "is not a country or area code",
        "customs_code": CODE_REASON,
        "classification": CODE_REASON,
        "flow": "is not a flow (export, import, re_export, re_import, turnover, or X, M, RX, RM)",
        "currency": "is not a currency nkru knows",
        "mass_unit": "is not a unit of mass nkru reads (kg, t ...)",
    }
    return f"{reasons[name]} (got {shown(text)})"


def _used_only(codes: Codes, names: list[Any]) -> tuple[Codes, list[Any]]:
    """The categories some row uses, and the codes renumbered for them (a table holds no unused currency)."""
    used = np.zeros(len(names) + 1, dtype=bool)
    used[codes[codes >= 0]] = True
    if used[: len(names)].all():
        return codes, names
    renumber = np.full(len(names) + 2, -1, dtype=np.int64)
    kept = np.flatnonzero(used[: len(names)])
    renumber[kept] = np.arange(kept.size)
    return renumber[codes.astype(np.int64)].astype(codes.dtype), [names[i] for i in kept]


def _party_code(raw: object) -> str | None:
    """A reporter or partner code as the table holds it (``WLD`` is the World, ``W00``); None if no code at all."""
    if not isinstance(raw, str) or not 0 < len(raw) <= _MAX_CODE or not raw.isascii() or not raw.isprintable():
        return None
    area = comtrade_area(raw)
    return area.code if area is not None else raw.strip() or None


def text_code(raw: object) -> str | None:
    """A code of a text column of :data:`EXTRAS` (``C00``, ``H4``): up to 20 printable characters; None if not one."""
    return raw if isinstance(raw, str) and 0 < len(raw) <= _MAX_CODE and raw.isprintable() else None


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


def commodity_category(hs: object, label: object) -> tuple[str, str | None] | CellProblem | None:
    """The ``(label, hs)`` category of a row's HS code and label; None for all goods.

    Returns:
        The category; None if the row is for all goods (no code, or ``TOTAL``, and
        no label); or a :class:`CellProblem` naming ``hs`` or ``commodity``.

    >>> commodity_category("27", None), commodity_category("TOTAL", None)
    (('HS 27', '27'), None)
    """
    if hs is not None and not isinstance(hs, str):
        return CellProblem("hs", f"must be HS code text (got {shown(repr(hs))})")
    if label is not None and not isinstance(label, str):
        return CellProblem("commodity", f"must be text (got {shown(repr(label))})")
    code = None if hs in (None, _TOTAL) else hs
    if code is None and label is None:
        return None
    try:
        commodity = Commodity(label if label is not None else f"HS {code}", code)
    except ValidationError as exc:
        column = "hs" if exc.field == "hs" else "commodity"
        return CellProblem(column, f"{exc.reason} (got {clip(exc.value, 42)})")
    return commodity.label, commodity.hs

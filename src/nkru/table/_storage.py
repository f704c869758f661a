"""How a :class:`nkru.table.TradeTable` holds its columns: read-only arrays, shared where they can be.

Every column is frozen (``writeable = False``), so tables share columns
instead of copying them; a column missing on every row is one read-only view
of its missing value, which costs no memory per row. :class:`Held` names the
columns a table keeps, for the table's private modules, which take a table
but cannot import its class (``nkru.table`` imports them).
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from nkru.errors import ValidationError
from nkru.parties import AreaKind, area_kind
from nkru.table.columns import EXTRAS, IntArray, convert_array
from nkru.units import unit

__all__ = [
    "Held",
    "absent",
    "area_kinds",
    "extra_columns",
    "frozen",
    "is_absent",
    "joined",
    "kept",
    "present",
    "taken",
]


class Held(Protocol):
    """The columns a :class:`~nkru.table.TradeTable` keeps, as its slots name them (see its ``__init__``)."""

    _reporter: npt.NDArray[Any]
    _reporters: tuple[str, ...]
    _reporter_kinds: tuple[AreaKind, ...]
    _partner: npt.NDArray[Any]
    _partners: tuple[str, ...]
    _partner_kinds: tuple[AreaKind, ...]
    _flow: npt.NDArray[Any]
    _year: npt.NDArray[Any]
    _month: npt.NDArray[Any]
    _commodity: npt.NDArray[Any]
    _commodities: tuple[tuple[str, str | None], ...]
    _value: npt.NDArray[Any]
    _currency: npt.NDArray[Any]
    _currencies: tuple[str, ...]
    _mass: npt.NDArray[Any]
    _mass_unit: str
    _qty: npt.NDArray[Any]
    _qty_unit: npt.NDArray[Any]
    _ids: npt.NDArray[Any] | None
    _extras: dict[str, Any]
    _layout: str | None
    _encoding: str | None

    def __len__(self) -> int: ...

    @property
    def mass_unit(self) -> str: ...

    @property
    def layout(self) -> str | None: ...

    @property
    def encoding(self) -> str | None: ...


#: Each kind of extra column: its dtype and its missing value.
_EXTRA_TYPES: Final[dict[str, tuple[Any, Any]]] = {
    "code": (np.int32, np.int32(-1)),
    "flag": (np.int8, np.int8(-1)),
    "money": (np.float64, np.float64(np.nan)),
    "mass": (np.float64, np.float64(np.nan)),
    "number": (np.float64, np.float64(np.nan)),
}


def frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``array``, made read-only."""
    array.flags.writeable = False
    return array


def area_kinds(codes: tuple[str, ...], given: Sequence[AreaKind] | None) -> tuple[AreaKind, ...]:
    """Each category's kind: as given, or what :func:`nkru.parties.area_kind` says of its code."""
    if given is not None:
        kinds = tuple(given)
        if len(kinds) != len(codes):
            raise ValidationError("kinds", len(kinds), f"must give one kind per code ({len(codes)})")
        return kinds
    found = []
    for code in codes:
        kind = area_kind(code)
        if kind is None:
            raise ValidationError("code", code, "is neither a country nor a Comtrade area nkru knows; give its kind")
        found.append(kind)
    return tuple(found)


def _merged_kinds(
    names: Sequence[str], parts: Sequence[tuple[tuple[str, ...], tuple[AreaKind, ...]]]
) -> list[AreaKind]:
    """The kinds of merged categories; one code with two kinds in two tables is refused."""
    kinds: dict[str, AreaKind] = {}
    for codes, part_kinds in parts:
        for code, kind in zip(codes, part_kinds, strict=True):
            if kinds.setdefault(code, kind) is not kind:
                raise ValidationError(
                    "tables", code, f"is a {kinds[code].value} in one table and a {kind.value} in another"
                )
    return [kinds[name] for name in names]


def extra_columns(size: int, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of :data:`~nkru.table.columns.EXTRAS`, read-only: as given, or missing on every row.

    A column not given is a read-only broadcast of its missing value, which costs no memory:
    a table read from a frame of the core columns carries eighteen of these.
    """
    columns: dict[str, Any] = {}
    for extra in EXTRAS:
        column = given.get(extra.name)
        if extra.kind == "text":
            if column is None:
                columns[extra.name] = (absent(np.int32(-1), size), ())
            else:
                codes, names = column
                kept = isinstance(codes, np.ndarray) and not codes.flags.writeable and codes.dtype == np.int32
                columns[extra.name] = (codes if kept else frozen(np.array(codes, dtype=np.int32)), tuple(names))
        else:
            dtype, missing = _EXTRA_TYPES[extra.kind]
            if column is None:
                columns[extra.name] = absent(missing, size)
            elif isinstance(column, np.ndarray) and not column.flags.writeable and column.dtype == dtype:
                columns[extra.name] = column  # read-only (another table's, or a missing column): shared as it is
            else:
                columns[extra.name] = frozen(np.array(column, dtype=dtype))
        if (columns[extra.name][0] if extra.kind == "text" else columns[extra.name]).shape != (size,):
            raise ValidationError(extra.name, size, "must have one entry per row")
    return columns


def present(codes: npt.NDArray[Any], count: int) -> tuple[npt.NDArray[np.bool_], bool]:
    """Which of ``count`` categories some row holds, and whether some row holds none (code -1), without sorting."""
    if codes.size == 0:
        return np.zeros(count, dtype=bool), False
    if codes.min() == codes.max():  # one code on every row (a column missing on every row, one currency)
        code = int(codes[0])
        return np.arange(count) == code, code < 0
    missing = bool(codes.min() < 0)
    held = np.bincount(codes[codes >= 0] if missing else codes, minlength=count)
    return held[:count] > 0, missing


def kept(column: npt.NDArray[Any], rows: IntArray) -> npt.NDArray[Any]:
    """The ``rows`` of a column, read-only.

    A column missing on every row stays one view of its missing value, and a
    new column is frozen as it is, so that the table copies neither.
    """
    if is_absent(column):
        return absent(column[0], rows.size)
    return frozen(column.take(rows))


def absent(missing: Any, size: int) -> npt.NDArray[Any]:
    """A column missing on every row, as a read-only view of one value (no memory per row)."""
    return np.broadcast_to(missing, (size,))


def is_absent(column: Any) -> bool:
    """True for a column made by :func:`absent`: every row views the same missing value."""
    return isinstance(column, np.ndarray) and column.ndim == 1 and column.size > 1 and column.strides == (0,)


def taken(table: Held, rows: IntArray) -> dict[str, Any]:
    """The keyword arguments of a :class:`~nkru.table.TradeTable` of the ``rows`` of ``table``, in their order."""
    extras = {
        name: (kept(column[0], rows), column[1]) if isinstance(column, tuple) else kept(column, rows)
        for name, column in table._extras.items()
    }
    return {
        "reporter": (table._reporter.take(rows), table._reporters),
        "partner": (table._partner.take(rows), table._partners),
        "reporter_kind": table._reporter_kinds,
        "partner_kind": table._partner_kinds,
        "extras": extras,
        "layout": table._layout,
        "encoding": table._encoding,
        "flow": table._flow.take(rows),
        "year": table._year.take(rows),
        "month": table._month.take(rows),
        "commodity": (table._commodity.take(rows), table._commodities),
        "value": table._value.take(rows),
        "currency": (table._currency.take(rows), table._currencies),
        "mass": kept(table._mass, rows),
        "mass_unit": table._mass_unit,
        "qty": kept(table._qty, rows),
        "qty_unit": kept(table._qty_unit, rows),
        "ids": None if table._ids is None else table._ids.take(rows),
    }


def joined(tables: Sequence[Held]) -> dict[str, Any]:
    """The keyword arguments of a :class:`~nkru.table.TradeTable` of ``tables`` end to end (mass in the first's unit)."""
    first = tables[0]
    target = unit(first.mass_unit)

    def merged(get: Callable[[Held], tuple[npt.NDArray[Any], tuple[Any, ...]]]) -> tuple[IntArray, list[Any]]:
        categories: dict[Any, int] = {}
        parts = []
        for table in tables:
            codes, names = get(table)
            mapping = np.array([categories.setdefault(name, len(categories)) for name in names] + [-1])
            parts.append(mapping[codes.astype(np.int64)])
        return np.concatenate(parts), list(categories)

    ids = None
    if all(table._ids is not None for table in tables):
        ids = np.concatenate([table._ids for table in tables if table._ids is not None])
    masses = [convert_array(table._mass, unit(table.mass_unit), target) for table in tables]
    extras: dict[str, Any] = {}
    for extra in EXTRAS:
        parts = [table._extras[extra.name] for table in tables]
        if extra.kind == "text":
            extras[extra.name] = merged(functools.partial(_text_column, name=extra.name))
        elif extra.kind == "mass":
            units = [unit(table.mass_unit) for table in tables]
            extras[extra.name] = np.concatenate(
                [convert_array(p, u, target) for p, u in zip(parts, units, strict=True)]
            )
        else:
            extras[extra.name] = np.concatenate(parts)
    reporter = merged(lambda t: (t._reporter, t._reporters))
    partner = merged(lambda t: (t._partner, t._partners))
    return {
        "reporter": reporter,
        "partner": partner,
        "reporter_kind": _merged_kinds(reporter[1], [(t._reporters, t._reporter_kinds) for t in tables]),
        "partner_kind": _merged_kinds(partner[1], [(t._partners, t._partner_kinds) for t in tables]),
        "extras": extras,
        "layout": _common([table.layout for table in tables]),
        "encoding": _common([table.encoding for table in tables]),
        "flow": np.concatenate([t._flow for t in tables]),
        "year": np.concatenate([t._year for t in tables]),
        "month": np.concatenate([t._month for t in tables]),
        "commodity": merged(lambda t: (t._commodity, t._commodities)),
        "value": np.concatenate([t._value for t in tables]),
        "currency": merged(lambda t: (t._currency, t._currencies)),
        "mass": np.concatenate(masses),
        "mass_unit": first.mass_unit,
        "qty": np.concatenate([t._qty for t in tables]),
        "qty_unit": np.concatenate([t._qty_unit for t in tables]),
        "ids": ids,
    }


def _common(values: Sequence[str | None]) -> str | None:
    """The one value all tables share, or None."""
    return values[0] if len(set(values)) == 1 else None


def _text_column(table: Held, name: str) -> tuple[npt.NDArray[Any], tuple[Any, ...]]:
    """The codes and names of one of a table's text columns of :data:`~nkru.table.columns.EXTRAS`."""
    codes, names = table._extras[name]
    return codes, names

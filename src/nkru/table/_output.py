"""A :class:`nkru.table.TradeTable` written out: as a pandas DataFrame, or as trade flow records.

The frame has the columns listed in :mod:`nkru.table`, text as categoricals
built from the table's codes, and the units in ``DataFrame.attrs["units"]``;
:meth:`~nkru.table.TradeTable.from_frame` reads it back. The records are one
Python object per row, exact and reported.
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru.commodities import Commodity
from nkru.errors import ValidationError
from nkru.measures import Measure
from nkru.parties import AreaKind, Country
from nkru.periods import Period
from nkru.records import TradeFlow
from nkru.table._storage import Held
from nkru.table.columns import EXTRAS, FLOWS, KINDS, WORLD, IntArray, categorical, flag_array
from nkru.units import unit, ureg

__all__ = ["frame_of", "records_of"]

#: The columns of :meth:`TradeTable.to_frame <nkru.table.TradeTable.to_frame>` before the extras (and after ``id``), in order.
_FRAME_COLUMNS: Final = (
    "reporter",
    "partner",
    "flow",
    "year",
    "month",
    "hs",
    "commodity",
    "value",
    "currency",
    "mass",
    "qty",
    "qty_unit_code",
    "reporter_kind",
    "partner_kind",
)


def frame_of(table: Held, columns: Sequence[str] | None) -> pd.DataFrame:
    """The table as :meth:`~nkru.table.TradeTable.to_frame` returns it, only ``columns`` if given.

    Raises:
        ValidationError: ``columns`` names a column the table has not.
    """
    known = ("id", *_FRAME_COLUMNS, *(extra.name for extra in EXTRAS))
    wanted = set(known) if columns is None else set(columns)
    if columns is not None and (isinstance(columns, str) or not wanted <= set(known)):
        raise ValidationError("columns", columns, f"must be columns of the table: {', '.join(known)}")
    builders: dict[str, Callable[[], Any]] = {
        "reporter": lambda: categorical(table._reporter, list(table._reporters)),
        "partner": lambda: categorical(table._partner, list(table._partners)),
        "flow": lambda: categorical(table._flow, [f.value for f in FLOWS]),
        "year": table._year.copy,
        "month": table._month.copy,
        "hs": lambda: _hs_column(table),
        "commodity": lambda: _commodity_column(table),
        "value": table._value.copy,
        "currency": lambda: categorical(table._currency, list(table._currencies)),
        "mass": table._mass.copy,
        "qty": table._qty.copy,
        "qty_unit_code": table._qty_unit.copy,
        "reporter_kind": lambda: _kind_column(table._reporter, table._reporter_kinds),
        "partner_kind": lambda: _kind_column(table._partner, table._partner_kinds),
    }
    data: dict[str, Any] = {}
    if table._ids is not None and "id" in wanted:
        data["id"] = table._ids.copy()
    data |= {name: build() for name, build in builders.items() if name in wanted}
    for extra in EXTRAS:
        if extra.name not in wanted:
            continue
        column = table._extras[extra.name]
        if extra.kind == "text":
            data[extra.name] = categorical(np.asarray(column[0]), list(column[1]))
        elif extra.kind == "flag":
            data[extra.name] = flag_array(column)
        else:
            data[extra.name] = column.copy()
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(table)))
    frame.attrs["units"] = {
        "value": "currency",
        "mass": table._mass_unit,
        "qty": "qty_unit_code",
        "cif_value": "currency",
        "fob_value": "currency",
        "gross_mass": table._mass_unit,
        "alt_qty": "alt_qty_unit_code",
    }
    return frame


def _hs_column(table: Held) -> Any:
    hs = [h for _label, h in table._commodities]
    names = sorted({h for h in hs if h is not None})
    codes = np.array([-1 if h is None else names.index(h) for h in hs] + [-1], dtype=np.int64)
    return categorical(codes[table._commodity], names)


def _commodity_column(table: Held) -> Any:
    labels = [label for label, _h in table._commodities]
    names = sorted(set(labels))
    codes = np.array([names.index(label) for label in labels] + [-1], dtype=np.int64)
    return categorical(codes[table._commodity], names)


def _kind_column(codes: IntArray, kinds: tuple[AreaKind, ...]) -> Any:
    return categorical(_kind_codes(codes, kinds), [kind.value for kind in KINDS])


def _kind_codes(codes: npt.NDArray[Any], kinds: tuple[AreaKind, ...]) -> IntArray:
    """Per row, the position in :data:`~nkru.table.columns.KINDS` of its category's kind (-1 if missing)."""
    mapping = np.array([KINDS.index(kind) for kind in kinds] + [-1], dtype=np.int64)
    return mapping[codes.astype(np.int64)]


def records_of(table: Held, id_prefix: str) -> list[TradeFlow]:
    """The rows as :meth:`~nkru.table.TradeTable.to_records` returns them.

    Raises:
        ValidationError: a row whose partner is the World (no country) or
            that states neither value nor mass, named by its row.
    """
    countries = {
        code: Country(code)
        for codes, kinds in ((table._reporters, table._reporter_kinds), (table._partners, table._partner_kinds))
        for code, kind in zip(codes, kinds, strict=True)
        if kind is AreaKind.COUNTRY
    }
    commodities = [Commodity(label, hs) for label, hs in table._commodities]
    currencies = [unit(code) for code in table._currencies]
    mass_unit = unit(table._mass_unit)
    periods: dict[tuple[int, int], Period] = {}
    records = []
    for row in range(len(table)):
        partner = table._partners[table._partner[row]]
        reporter = table._reporters[table._reporter[row]]
        where = f"row {row}"
        for side, code in (("reporter", reporter), ("partner", partner)):
            if code not in countries:
                what = "the World" if code == WORLD else f"the area {code}"
                raise ValidationError(where, code, f"has {what} as {side}, which is no country; select countries first")
        value, mass = float(table._value[row]), float(table._mass[row])
        if np.isnan(value) and np.isnan(mass):
            raise ValidationError(where, None, "states neither a value nor a mass")
        year, month = int(table._year[row]), int(table._month[row])
        period = periods.get((year, month))
        if period is None:
            period = Period.year(year) if month == 0 else Period.month(year, month)
            periods[year, month] = period
        commodity_code = int(table._commodity[row])
        records.append(
            TradeFlow(
                id=str(table._ids[row]) if table._ids is not None else f"{id_prefix}{row}",
                reporter=countries[reporter],
                partner=countries[partner],
                flow=FLOWS[table._flow[row]],
                period=period,
                commodity=None if commodity_code < 0 else commodities[commodity_code],
                amount=None if np.isnan(value) else Measure(ureg.Quantity(value, currencies[table._currency[row]])),
                mass=None if np.isnan(mass) else Measure(ureg.Quantity(mass, mass_unit)),
            )
        )
    return records

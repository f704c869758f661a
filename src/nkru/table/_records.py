"""Turning trade flow records into :class:`nkru.table.TradeTable` columns.

The loop over records only collects magnitudes and each measure's (cached)
unit; units are converted and currencies named once per distinct unit,
on whole columns, with the same exact factors as :func:`nkru.units.to_unit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from nkru.errors import UnitMismatchError, ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.periods import Period
from nkru.records import TradeFlow
from nkru.table.columns import FLOW_CODES, FloatArray, IntArray, scaled
from nkru.table.columns import mass_unit as _mass_unit
from nkru.units import CURRENCIES, format_unit

__all__ = ["columns_from_records", "fitting_records"]

#: How many ids a warning about skipped records names for each reason.
_IDS_SHOWN = 8


def fitting_records(records: Iterable[object]) -> tuple[list[TradeFlow], str | None]:
    """The trade flows a table can hold whole, and a message naming the records left out (None if none).

    A record is left out, never changed, when it is not a trade flow (a
    shipment, an event, a claim), has neither an amount nor a mass (a share
    or a count alone), has a count or a share (which the table does not
    hold), covers a period that is not a calendar year or month, or states a
    figure that is not exact and reported.

    Raises:
        ValidationError: an item that is not an nkru record at all.
    """
    kept: list[TradeFlow] = []
    skipped: dict[str, list[str]] = {}
    total = 0
    for index, record in enumerate(records):
        total += 1
        reason = _unfit(record, index)
        if reason is None:
            kept.append(record)  # type: ignore[arg-type]  # _unfit checked it is a TradeFlow
        else:
            skipped.setdefault(reason, []).append(getattr(record, "id", f"records[{index}]"))
    if not skipped:
        return kept, None
    parts = []
    for reason, ids in skipped.items():
        shown = ", ".join(ids[:_IDS_SHOWN]) + (f" and {len(ids) - _IDS_SHOWN} more" if len(ids) > _IDS_SHOWN else "")
        parts.append(f"{len(ids)} {reason} ({shown})")
    count = sum(len(ids) for ids in skipped.values())
    return kept, f"TradeTable.from_records left out {count} of {total} records it cannot hold: " + "; ".join(parts)


def _unfit(record: object, index: int) -> str | None:
    """Why the table cannot hold ``record`` whole, or None if it can."""
    if not isinstance(record, TradeFlow):
        if not hasattr(record, "id") or not hasattr(record, "sources"):
            raise ValidationError(f"records[{index}]", record, "must be an nkru record (a TradeFlow to be held)")
        return f"{type(record).__name__.lower()}s, not trade flows"
    if record.amount is None and record.mass is None:
        return "without an amount or a mass"
    if record.count is not None or record.share is not None:
        return "with a count or a share"
    try:
        _year_month(record.period, "")
    except ValidationError:
        return "over a period that is not a calendar year or month"
    for measure in (record.amount, record.mass):
        if measure is not None and (
            measure.qualifier is not Qualifier.EXACT or measure.status is not ObsStatus.REPORTED
        ):
            return "with a figure that is not exact and reported"
    return None


def columns_from_records(records: Iterable[TradeFlow], mass_unit: str) -> dict[str, Any]:
    """Return :class:`~nkru.table.TradeTable`'s keyword arguments for ``records``.

    Raises:
        ValidationError: a record the table cannot hold, named by its id.
    """
    target = _mass_unit(mass_unit)
    # Values keep their magnitude and are named by their unit; masses are converted per distinct unit below.
    interned: dict[str, dict[Any, int]] = {name: {} for name in ("reporter", "partner", "commodity")}
    interned |= {"value_unit": {}, "mass_unit": {}}

    def code(name: str, key: Any) -> int:
        table = interned[name]
        return table.setdefault(key, len(table))

    columns: dict[str, list[Any]] = {name: [] for name in ("reporter", "partner", "flow", "year", "month")}
    columns |= {name: [] for name in ("commodity", "value", "value_unit", "mass", "mass_unit", "id")}
    for index, record in enumerate(records):
        if not isinstance(record, TradeFlow):
            raise ValidationError(f"records[{index}]", record, "must be a TradeFlow")
        label = f"record {record.id!r}"
        year, month = _year_month(record.period, label)
        if record.count is not None or record.share is not None:
            raise ValidationError(label, record.id, "has a count or a share, which a TradeTable does not hold")
        columns["reporter"].append(code("reporter", record.reporter.code))
        columns["partner"].append(code("partner", record.partner.code))
        columns["flow"].append(FLOW_CODES[record.flow])
        columns["year"].append(year)
        columns["month"].append(month)
        commodity = record.commodity
        columns["commodity"].append(-1 if commodity is None else code("commodity", (commodity.label, commodity.hs)))
        # The table's column "value" holds the records' field "amount".
        for name, field, measure in (("value", "amount", record.amount), ("mass", "mass", record.mass)):
            if measure is None:
                columns[name].append(np.nan)
                columns[f"{name}_unit"].append(-1)
            else:
                columns[name].append(float(_exact(measure, label, field).magnitude))
                columns[f"{name}_unit"].append(code(f"{name}_unit", measure.units))
        columns["id"].append(record.id)
    size = len(columns["year"])
    ids = np.array(columns["id"], dtype=object)
    currency, currencies = _currencies(np.array(columns["value_unit"], dtype=np.int64), list(interned["value_unit"]))
    mass = _masses(
        np.array(columns["mass"], dtype=np.float64),
        np.array(columns["mass_unit"], dtype=np.int64),
        list(interned["mass_unit"]),
        target,
        ids,
    )
    return {
        "reporter": (np.array(columns["reporter"], dtype=np.int64), list(interned["reporter"])),
        "partner": (np.array(columns["partner"], dtype=np.int64), list(interned["partner"])),
        "flow": np.array(columns["flow"], dtype=np.int64),
        "year": np.array(columns["year"], dtype=np.int64),
        "month": np.array(columns["month"], dtype=np.int64),
        "commodity": (np.array(columns["commodity"], dtype=np.int64), list(interned["commodity"])),
        "value": np.array(columns["value"], dtype=np.float64),
        "currency": (currency, currencies),
        "mass": mass,
        "mass_unit": format_unit(target),
        "qty": np.full(size, np.nan),
        "qty_unit": np.full(size, -1, dtype=np.int64),
        "ids": ids,
    }


def _currencies(unit_codes: IntArray, units: list[Any]) -> tuple[IntArray, list[str]]:
    """Currency codes per row (-1 for no value) and their names, from the codes of each value's unit."""
    names: dict[str, int] = {}
    mapping = np.array([names.setdefault(_currency_code(u), len(names)) for u in units] + [-1], dtype=np.int64)
    return mapping[unit_codes], list(names)


def _masses(magnitudes: FloatArray, unit_codes: IntArray, units: list[Any], target: Any, ids: Any) -> FloatArray:
    """Masses in ``target``: each distinct unit converted once, on its rows, as :func:`nkru.units.to_unit` would.

    Raises:
        ValidationError: a mass too large to express in ``target``, named by its record.
    """
    result = magnitudes.copy()
    for position, source in enumerate(units):
        if source == target:
            continue
        rows = np.flatnonzero(unit_codes == position)
        converted = scaled(magnitudes[rows], source, target)
        overflow = np.flatnonzero(np.isinf(converted))  # the magnitudes are finite: Measure checks them
        if overflow.size:
            first = rows[overflow[0]]
            reason = f"is too large to express in {format_unit(target)}"
            raise ValidationError(f"record {ids[first]!r}.mass", float(magnitudes[first]), reason)
        result[rows] = converted
    return result


def _year_month(period: Period, label: str) -> tuple[int, int]:
    """The (year, month) of a calendar year (month 0) or month, whatever precision it was stated with."""
    year = period.start.year
    if not period.approximate:
        if period.is_whole_years and period.end.year == year:
            return year, 0
        month = Period.month(year, period.start.month)
        if (period.start, period.end) == (month.start, month.end):
            return year, period.start.month
    raise ValidationError(label, str(period), "a TradeTable holds calendar years and months only")


def _exact(measure: Measure, label: str, field: str) -> Any:
    if measure.qualifier is not Qualifier.EXACT or measure.status is not ObsStatus.REPORTED or measure.value is None:
        raise ValidationError(
            f"{label}.{field}",
            f"{measure.qualifier.value}, {measure.status.value}",
            "a TradeTable holds exact reported figures only",
        )
    return measure.value


def _currency_code(units: Any) -> str:
    text = format_unit(units)
    if text not in CURRENCIES:  # pragma: no cover - records check their values are money
        raise UnitMismatchError(text, "a currency")
    return text

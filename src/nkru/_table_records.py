"""Turning trade flow records into :class:`nkru.table.TradeTable` columns (a loop over records, not rows of data)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from nkru._columns import FLOW_CODES
from nkru._columns import mass_unit as _mass_unit
from nkru.errors import DimensionalityError, ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.periods import Period
from nkru.records import TradeFlow
from nkru.units import CURRENCIES, format_unit, to_unit

__all__ = ["columns_from_records"]


def columns_from_records(records: Iterable[TradeFlow], mass_unit: str) -> dict[str, Any]:
    """Return :class:`~nkru.table.TradeTable`'s keyword arguments for ``records``.

    Raises:
        ValidationError: a record the table cannot hold, named by its id.
    """
    target = _mass_unit(mass_unit)
    interned: dict[str, dict[Any, int]] = {name: {} for name in ("reporter", "partner", "commodity", "currency")}

    def code(name: str, key: Any) -> int:
        table = interned[name]
        return table.setdefault(key, len(table))

    columns: dict[str, list[Any]] = {name: [] for name in ("reporter", "partner", "flow", "year", "month")}
    columns |= {name: [] for name in ("commodity", "value", "currency", "mass", "id")}
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
        value, mass = _exact(record.value, label, "value"), _exact(record.mass, label, "mass")
        if value is None:
            columns["value"].append(np.nan)
            columns["currency"].append(-1)
        else:
            columns["value"].append(float(value.magnitude))
            columns["currency"].append(code("currency", _currency_code(value)))
        columns["mass"].append(np.nan if mass is None else float(to_unit(mass, target).magnitude))
        columns["id"].append(record.id)
    size = len(columns["year"])
    return {
        "reporter": (np.array(columns["reporter"], dtype=np.int64), list(interned["reporter"])),
        "partner": (np.array(columns["partner"], dtype=np.int64), list(interned["partner"])),
        "flow": np.array(columns["flow"], dtype=np.int64),
        "year": np.array(columns["year"], dtype=np.int64),
        "month": np.array(columns["month"], dtype=np.int64),
        "commodity": (np.array(columns["commodity"], dtype=np.int64), list(interned["commodity"])),
        "value": np.array(columns["value"], dtype=np.float64),
        "currency": (np.array(columns["currency"], dtype=np.int64), list(interned["currency"])),
        "mass": np.array(columns["mass"], dtype=np.float64),
        "mass_unit": format_unit(target),
        "qty": np.full(size, np.nan),
        "qty_unit": np.full(size, -1, dtype=np.int64),
        "ids": np.array(columns["id"], dtype=object),
    }


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


def _exact(measure: Measure | None, label: str, field: str) -> Any:
    if measure is None:
        return None
    if measure.qualifier is not Qualifier.EXACT or measure.status is not ObsStatus.REPORTED or measure.value is None:
        raise ValidationError(
            f"{label}.{field}",
            f"{measure.qualifier.value}, {measure.status.value}",
            "a TradeTable holds exact reported figures only",
        )
    return measure.value


def _currency_code(value: Any) -> str:
    text = format_unit(value)
    if text not in CURRENCIES:  # pragma: no cover - records check their values are money
        raise DimensionalityError(text, "a currency")
    return text

"""Write a :class:`~nkru.dataset.Dataset` as CSV: one row per record, flattened columns.

This is the format of ``nkru export --format csv``, for spreadsheets and
programs that read no JSON. Every record kind shares the columns of
:data:`CSV_COLUMNS`; a cell a record kind does not have is empty. Figures are
written with Python's shortest round-tripping ``repr``, so no precision is
lost; :func:`nkru.to_json` remains the lossless format that reads back.

>>> import csv, io
>>> from nkru.seed import load_seed_dataset
>>> rows = list(csv.DictReader(io.StringIO(dataset_csv(load_seed_dataset()))))
>>> tuple(rows[0]) == CSV_COLUMNS
True
"""

from __future__ import annotations

import csv
import io
from typing import Any, Final

import pint

from nkru import formatting
from nkru.dataset import AnyRecord, Claim, Dataset
from nkru.measures import Measure
from nkru.periods import Period
from nkru.records import Event, Shipment, TradeFlow
from nkru.serialization import to_json
from nkru.units import format_unit

__all__ = ["CSV_COLUMNS", "dataset_csv"]

_MEASURE_FIELDS: Final = ("amount", "mass", "count", "share", "relative_level", "stated")
_MEASURE_PARTS: Final = ("", "_unit", "_qualifier", "_lower", "_upper", "_status")

CSV_COLUMNS: Final = (
    "id",
    "kind",
    "period",
    "period_start",
    "period_end",
    "reporter",
    "partner",
    "flow",
    "commodity",
    "hs",
    *(f"{name}{part}" for name in _MEASURE_FIELDS for part in _MEASURE_PARTS),
    "share_of",
    "relative_base",
    "likely_period",
    "origin",
    "destination",
    "route",
    "purpose",
    "donor",
    "channel",
    "event_kind",
    "title",
    "actors",
    "place",
    "claim_kind",
    "subjects",
    "direction",
    "related",
    "measures",
    "quotes",
    "spans",
    "notes",
    "inferred",
)
"""The columns of ``nkru export --format csv``, one row per record."""


def _magnitude(value: pint.Quantity[Any] | None) -> str:
    # repr of a float is its shortest round-tripping form: no precision is lost in the file.
    return "" if value is None else repr(float(value.magnitude))


def _measure_cells(name: str, measure: Measure | None) -> dict[str, str]:
    if measure is None:
        return {}
    return {
        name: _magnitude(measure.value),
        f"{name}_unit": format_unit(measure.units),
        f"{name}_qualifier": measure.qualifier.value,
        f"{name}_lower": _magnitude(measure.lower),
        f"{name}_upper": _magnitude(measure.upper),
        f"{name}_status": measure.status.value,
    }


def _code(value: object) -> str:
    code = getattr(value, "code", None)
    if isinstance(code, str):
        return code
    return formatting.format_value(value)


def _csv_row(record: AnyRecord) -> dict[str, str]:
    row: dict[str, str] = {"id": record.id, "kind": formatting.record_kind(record).replace(" ", "_")}
    period = getattr(record, "period", None)
    if isinstance(period, Period):
        row |= {"period": str(period), "period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
    goods = getattr(record, "commodity", None)
    if goods is not None:
        row |= {"commodity": goods.label, "hs": goods.hs or ""}
    for name in _MEASURE_FIELDS:
        measure = getattr(record, name, None)
        row |= _measure_cells(name, measure if isinstance(measure, Measure) else None)
    if isinstance(record, TradeFlow):
        row |= {"reporter": record.reporter.code, "partner": record.partner.code, "flow": record.flow.value}
        row["share_of"] = record.share_of or ""
        row["relative_base"] = "" if record.relative_base is None else str(record.relative_base)
        row["likely_period"] = "" if record.likely_period is None else str(record.likely_period)
    elif isinstance(record, Shipment):
        for name in ("origin", "destination", "route", "donor", "channel"):
            row[name] = _code(getattr(record, name))
        row["purpose"] = record.purpose.value
    elif isinstance(record, Event):
        row |= {"event_kind": record.kind.value, "title": record.title, "place": _code(record.place)}
        row |= {"actors": "; ".join(_code(a) for a in record.actors), "related": "; ".join(record.related)}
        if record.measures:
            # An event states any number of figures: one cell holds them as nkru's JSON, losslessly.
            row["measures"] = to_json(record.measures)
    elif isinstance(record, Claim):
        row |= {"claim_kind": record.kind.value, "subjects": "; ".join(record.subjects)}
        row |= {"direction": "" if record.direction is None else record.direction.value, "title": record.description}
    row["quotes"] = " | ".join(record.quotes)
    row["spans"] = "; ".join(f"{s.document}:{s.start}-{s.end}" for s in record.sources)
    row["notes"] = " | ".join(record.notes)
    row["inferred"] = "; ".join(record.inferred)
    return row


def dataset_csv(dataset: Dataset) -> str:
    """Return the dataset as CSV text, one row per record, columns :data:`CSV_COLUMNS`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for record in dataset:
        writer.writerow(_csv_row(record))
    return buffer.getvalue()

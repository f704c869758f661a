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
from collections.abc import Callable
from typing import Any, Final

from nkru import formatting
from nkru.dataset import Dataset
from nkru.serialization import to_json

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


# The rows below are those of the frame, every missing cell (NaN, NaT, NA) made None.
_Columns = Callable[[str], tuple[str, ...]]
# How a Period field (of a trade flow) is read back from its cells.
_Reader = Callable[[dict[str, Any]], Any]


def _magnitude(value: Any) -> str:
    # repr of a float is its shortest round-tripping form: no precision is lost in the file.
    return "" if value is None else repr(float(value))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _measure_cells(name: str, row: dict[str, Any], columns: _Columns) -> dict[str, str]:
    """The CSV cells of the measure field ``name``, from the frame's ``columns(name)``."""
    number, unit_column, lower, upper, qualifier, status, _resolution = columns(name)
    if row.get(unit_column) is None:
        return {}
    return {
        name: _magnitude(row[number]),
        f"{name}_unit": row[unit_column],
        f"{name}_qualifier": row[qualifier],
        f"{name}_lower": _magnitude(row[lower]),
        f"{name}_upper": _magnitude(row[upper]),
        f"{name}_status": row[status],
    }


def _code(value: object) -> str:
    code = getattr(value, "code", None)
    if isinstance(code, str):
        return code
    return formatting.format_value(value)


def _csv_row(row: dict[str, Any], columns: _Columns, periods: dict[str, _Reader]) -> dict[str, str]:
    """One CSV row from one row of :func:`~nkru.io.frames.records_to_frame`'s frame."""
    kind = row["kind"]
    out: dict[str, str] = {"id": row["id"], "kind": kind}
    if row.get("period") is not None:
        start, end = row["period_start"].date(), row["period_end"].date()
        out |= {"period": row["period"], "period_start": start.isoformat(), "period_end": end.isoformat()}
    if row.get("commodity") is not None:
        out |= {"commodity": row["commodity"], "hs": _text(row["hs"])}
    for name in _MEASURE_FIELDS:
        out |= _measure_cells(name, row, columns)
    if kind == "trade_flow":
        out |= {"reporter": row["reporter"], "partner": row["partner"], "flow": row["flow"]}
        out["share_of"] = _text(row["share_of"])
        out |= {name: _text(read(row)) for name, read in periods.items()}
    elif kind == "shipment":
        for name in ("origin", "destination", "route", "donor", "channel"):
            out[name] = _code(row[name])
        out["purpose"] = row["purpose"]
    elif kind == "event":
        out |= {"event_kind": row["event_kind"], "title": row["title"]}
        out["place"] = _code(row["place"])
        out |= {"actors": "; ".join(_code(a) for a in row["actors"]), "related": "; ".join(row["related"])}
        if row["measures"]:
            # An event states any number of figures: one cell holds them as nkru's JSON, losslessly.
            out["measures"] = to_json(tuple(row["measures"]))
    elif kind == "claim":
        out |= {"claim_kind": row["claim_kind"], "subjects": "; ".join(row["subjects"])}
        out |= {"direction": _text(row["direction"]), "title": row["description"]}
    sources = row["sources"]
    out["quotes"] = " | ".join(source.quote for source in sources)
    out["spans"] = "; ".join(f"{s.document}:{s.start}-{s.end}" for s in sources)
    out["notes"] = " | ".join(row["notes"])
    out["inferred"] = "; ".join(row["inferred"])
    return out


def dataset_csv(dataset: Dataset) -> str:
    """Return the dataset as CSV text, one row per record, columns :data:`CSV_COLUMNS`.

    The rows are those of :func:`nkru.io.frames.records_to_frame`, written as text.
    """
    # Imported here: the frame module imports pandas (about 0.6 s), which the command line
    # pays only when it writes CSV.
    from nkru.io.frames import _measure_columns, _missing, _period_codec, records_to_frame  # noqa: PLC0415

    periods = {name: _period_codec(name).read for name in ("relative_base", "likely_period")}

    frame = records_to_frame(tuple(dataset))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    names = list(frame.columns)
    for values in frame.itertuples(index=False, name=None):
        row = {name: None if _missing(value) else value for name, value in zip(names, values, strict=True)}
        writer.writerow(_csv_row(row, _measure_columns, periods))
    return buffer.getvalue()

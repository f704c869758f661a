"""Records as a pandas DataFrame and back: one row per record, flat columns, nothing lost.

:func:`records_to_frame` turns trade flows, shipments, events and claims into
a DataFrame an analyst can filter and pivot; :func:`records_from_frame`
rebuilds the very records from it (``records_from_frame(records_to_frame(x))
== x``). :meth:`nkru.dataset.Dataset.to_frame` calls the first.

The columns are made from each record class's attrs fields, by the field's
type, so a field added to a record gets its columns without a change here:

================================ ===================================================================
column                           what it holds
================================ ===================================================================
``id``, ``kind``                 the record's id; its kind (``trade_flow``, ``shipment``, ``event``,
                                 ``claim``)
``reporter``, ``partner``        a country field: its ISO 3166 code (``RUS``, ``PRK``)
``flow``                         an enum field: its value (``export``); an enum field named
                                 ``kind`` becomes ``event_kind`` or ``claim_kind``
``commodity``, ``hs``            a commodity: its label and HS code (None for all goods)
``period_start``, ``period_end`` a period's first and last day (``datetime64[s]``)
``period_precision``             how precisely it was stated (``month``, ``months``, ``year`` ...)
``period_approximate``           whether its bounds are approximate
``period``, ``coverage``         derived, for reading: the period in SDMX form (``2005-01/2005-09``)
                                 and the fraction of the calendar years it touches that it covers
                                 (1.0 for whole years, 0.748 for January to September 2005)
``value``, ``unit``              the ``amount`` (money): its magnitude and its unit
``lower``, ``upper``             its bounds, in ``unit``; NaN if none
``qualifier``, ``status``,       its :class:`~nkru.measures.Qualifier`, :class:`~nkru.measures.ObsStatus`
``resolution``                   and the rounding step the text stated it with
``mass``, ``mass_unit`` ...      every other measure field ``x`` likewise: ``x``, ``x_unit``,
                                 ``x_lower``, ``x_upper``, ``x_qualifier``, ``x_status``,
                                 ``x_resolution`` (``share``, ``count``, a claim's ``stated`` ...)
``inferred``                     the names of the fields a reader inferred, a tuple
``quotes``                       derived, for reading: the quoted words, a tuple of strings
``sources``                      the citations, a tuple of :class:`~nkru.records.Source`
other fields                     as the record holds them (``notes``, ``share_of``, ``title``,
                                 ``actors``, ``origin`` ...): text, or the model's own values
================================ ===================================================================

A column a record kind does not have is missing (None or NaN) on its rows.
**Units are column metadata**, as in :class:`~nkru.table.TradeTable`:
``frame.attrs["units"]`` maps each figure column to the column holding each
row's unit (``{"value": "unit", "lower": "unit", "mass": "mass_unit", ...}``);
units are named as :func:`nkru.units.format_unit` writes them.

>>> from nkru.seed import load_seed_dataset
>>> frame = records_to_frame(load_seed_dataset().trade_flows)
>>> frame.loc[frame["id"] == "tf.exports.2005-jan-sep", ["period", "coverage", "value", "unit"]].round(3)
             period  coverage        value unit
10  2005-01/2005-09     0.748  168700000.0  USD
>>> frame.attrs["units"]["value"]
'unit'
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from nkru.commodities import Commodity
from nkru.dataset import AnyRecord, Claim
from nkru.errors import NkruError, ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period, Precision
from nkru.records import Event, Shipment, Source, TradeFlow
from nkru.units import format_unit, unit

__all__ = ["FRAME_COLUMNS", "RECORD_KINDS", "records_from_frame", "records_to_frame"]

RECORD_KINDS: Final[dict[str, type[AnyRecord]]] = {
    "trade_flow": TradeFlow,
    "shipment": Shipment,
    "event": Event,
    "claim": Claim,
}
"""The record kinds a frame's ``kind`` column names, and their classes."""

_MEASURE_PARTS: Final = ("", "_unit", "_lower", "_upper", "_qualifier", "_status", "_resolution")
_PERIOD_PARTS: Final = ("_start", "_end", "_precision", "_approximate")
#: Columns computed for reading, never read back.
_DERIVED: Final = frozenset({"period", "coverage", "quotes"})


def _measure_columns(name: str) -> tuple[str, ...]:
    # The records' "amount" is the table's "value", so the money figure reads alike in both frames.
    if name == "amount":
        return ("value", "unit", "lower", "upper", "qualifier", "status", "resolution")
    return tuple(f"{name}{part}" for part in _MEASURE_PARTS)


FRAME_COLUMNS: Final = (
    "id",
    "kind",
    "reporter",
    "partner",
    "flow",
    "commodity",
    "hs",
    "period",
    "period_start",
    "period_end",
    "period_precision",
    "period_approximate",
    "coverage",
    *_measure_columns("amount"),
    *_measure_columns("share"),
    "share_of",
    *_measure_columns("count"),
    *_measure_columns("mass"),
    "inferred",
    "quotes",
    "sources",
    "notes",
)
"""The leading columns of a frame of records, in order; a record kind's other fields follow."""


# -- one codec per field type ---------------------------------------------------------------------


@attrs.frozen
class _Codec:
    """How one record field becomes cells and comes back.

    ``columns`` are the cells it writes; ``floats`` the ones holding float64
    (NaN when missing); ``write`` gives a record's cells, ``read`` the field's
    value from a row's cells (a dict), or raises what the model raises.
    """

    field: str
    columns: tuple[str, ...]
    floats: frozenset[str]
    write: Callable[[Any], tuple[Any, ...]]
    read: Callable[[dict[str, Any]], Any]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _measure_codec(name: str) -> _Codec:
    columns = _measure_columns(name)
    number, unit_col, lower, upper, qualifier, status, resolution = columns

    def magnitude(value: Any) -> float:
        return math.nan if value is None else float(value.magnitude)

    def write(measure: Measure | None) -> tuple[Any, ...]:
        if measure is None:
            return (math.nan, None, math.nan, math.nan, None, None, math.nan)
        return (
            magnitude(measure.value),
            format_unit(measure.units),
            magnitude(measure.lower),
            magnitude(measure.upper),
            measure.qualifier.value,
            measure.status.value,
            math.nan if measure.resolution is None else float(measure.resolution),
        )

    def read(row: dict[str, Any]) -> Measure | None:
        text = row[unit_col]
        if _missing(text):
            return None
        try:
            units = unit(text)  # cached: one parse per distinct unit, not per row
        except NkruError as error:
            raise ValidationError(unit_col, text, str(error)) from None

        def amount(cell: str) -> Any:
            value = row[cell]
            return None if _missing(value) else float(value) * units

        parts = (_enum(Qualifier, row[qualifier], qualifier), _enum(ObsStatus, row[status], status))
        try:
            return Measure(
                amount(number),
                parts[0],
                amount(lower),
                amount(upper),
                parts[1],
                None if _missing(row[resolution]) else float(row[resolution]),
            )
        except (NkruError, TypeError, ValueError) as error:
            raise ValidationError(number, row[number], str(error)) from None

    floats = frozenset((number, lower, upper, resolution))
    return _Codec(name, columns, floats, write, read)


def _enum(kind: type[enum.Enum], value: Any, column: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ValidationError(column, value, f"must be one of {', '.join(m.value for m in kind)}") from None


def _coverage(period: Period) -> float:
    years = period.calendar_years
    whole = Period.years(years[0], years[-1]) if len(years) > 1 else Period.year(years[0])
    return period.days / whole.days


def _period_codec(name: str) -> _Codec:
    start, end, precision, approximate = (f"{name}{part}" for part in _PERIOD_PARTS)
    derived = ("period", "coverage") if name == "period" else ()

    def write(period: Period | None) -> tuple[Any, ...]:
        if period is None:
            return (None, None, None, None, *(None, math.nan)[: len(derived)])
        cells = (period.start, period.end, period.precision.value, period.approximate)
        return (*cells, *(str(period), _coverage(period))[: len(derived)])

    def read(row: dict[str, Any]) -> Period | None:
        if _missing(row[start]):
            return None
        return Period(
            _date(row[start], start),
            _date(row[end], end),
            _enum(Precision, row[precision], precision),
            bool(row[approximate]),
        )

    floats = frozenset({"coverage"} if derived else ())
    return _Codec(name, (start, end, precision, approximate, *derived), floats, write, read)


def _date(value: Any, column: str) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValidationError(column, value, "must be a date")


def _commodity_codec(name: str) -> _Codec:
    label, hs = (name, "hs") if name == "commodity" else (name, f"{name}_hs")

    def write(goods: Commodity | None) -> tuple[Any, ...]:
        return (None, None) if goods is None else (goods.label, goods.hs)

    def read(row: dict[str, Any]) -> Commodity | None:
        if _missing(row[label]):
            return None
        return Commodity(row[label], None if _missing(row[hs]) else row[hs])

    return _Codec(name, (label, hs), frozenset(), write, read)


def _country_codec(name: str) -> _Codec:
    def write(country: Country | None) -> tuple[Any, ...]:
        return (None if country is None else country.code,)

    def read(row: dict[str, Any]) -> Country | None:
        if _missing(row[name]):
            return None
        try:
            return Country(row[name])
        except ValidationError as error:
            raise ValidationError(name, row[name], error.reason) from None

    return _Codec(name, (name,), frozenset(), write, read)


def _enum_codec(name: str, column: str, kind: type[enum.Enum]) -> _Codec:
    def write(value: enum.Enum | None) -> tuple[Any, ...]:
        return (None if value is None else value.value,)

    def read(row: dict[str, Any]) -> Any:
        return None if _missing(row[column]) else _enum(kind, row[column], column)

    return _Codec(name, (column,), frozenset(), write, read)


def _sources_codec() -> _Codec:
    def write(sources: tuple[Source, ...]) -> tuple[Any, ...]:
        return (tuple(source.quote for source in sources), sources)

    def read(row: dict[str, Any]) -> Any:
        value = row["sources"]
        return () if _missing(value) else tuple(value)

    return _Codec("sources", ("quotes", "sources"), frozenset(), write, read)


def _plain_codec(name: str, is_tuple: bool) -> _Codec:
    def write(value: Any) -> tuple[Any, ...]:
        return (value,)

    def read(row: dict[str, Any]) -> Any:
        value = row[name]
        if is_tuple:
            return () if _missing(value) else tuple(value)
        return None if _missing(value) else value

    return _Codec(name, (name,), frozenset(), write, read)


def _members(hint: Any) -> tuple[Any, ...]:
    """The types a field's annotation allows, None left out (``Measure | None`` gives ``(Measure,)``)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return tuple(member for member in typing.get_args(hint) if member is not type(None))
    return (hint,)


def _codec(cls: type, field: attrs.Attribute[Any], hint: Any) -> _Codec:
    name = field.name
    members = _members(hint)
    single = members[0] if len(members) == 1 else None
    if name == "sources":
        return _sources_codec()
    if single is Measure:
        return _measure_codec(name)
    if single is Period:
        return _period_codec(name)
    if single is Commodity:
        return _commodity_codec(name)
    if single is Country:
        return _country_codec(name)
    if isinstance(single, type) and issubclass(single, enum.Enum):
        column = f"{_KIND_NAMES[cls]}_kind" if name == "kind" else name
        return _enum_codec(name, column, single)
    return _plain_codec(name, typing.get_origin(hint) is tuple)


_KIND_NAMES: Final = {cls: name for name, cls in RECORD_KINDS.items()}


_CODECS: dict[type, tuple[_Codec, ...]] = {}


def _codecs(cls: type) -> tuple[_Codec, ...]:
    """The codecs of a record class's fields, made once per class."""
    found = _CODECS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)
        found = _CODECS[cls] = tuple(_codec(cls, field, hints[field.name]) for field in fields if field.init)
    return found


@functools.lru_cache(maxsize=64)
def _columns(classes: tuple[type, ...]) -> tuple[str, ...]:
    named = [column for cls in classes for codec in _codecs(cls) for column in codec.columns]
    known = set(named)
    first = [column for column in FRAME_COLUMNS if column in known or column in ("id", "kind")]
    return (*first, *dict.fromkeys(column for column in named if column not in first))


# -- the public functions -------------------------------------------------------------------------


def records_to_frame(records: Iterable[AnyRecord]) -> pd.DataFrame:
    """Return one row per record, with the flat columns listed in :mod:`nkru.io.frames`.

    The columns are those of the record kinds present (all four kinds' for no
    records), in the order of :data:`FRAME_COLUMNS`, then each kind's other
    fields. :func:`records_from_frame` reads the frame back into equal records.

    Args:
        records: Trade flows, shipments, events and claims, in any mix.

    Returns:
        The frame, with the unit column of each figure in ``attrs["units"]``.

    Raises:
        ValidationError: an item is not an nkru record (named by its position).

    >>> from nkru import Country, Flow, Measure, Period, TradeFlow, money
    >>> flow = TradeFlow(id="x", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                  period=Period.months(2005, 1, 9), amount=Measure(money(168.7e6, "USD"), resolution=1e5))
    >>> records_to_frame([flow])[["id", "kind", "reporter", "flow", "period", "value", "unit", "qualifier"]]
      id        kind reporter    flow           period        value unit qualifier
    0  x  trade_flow      RUS  export  2005-01/2005-09  168700000.0  USD     exact
    """
    items = list(records) if not isinstance(records, (list, tuple)) else records
    for index, record in enumerate(items):
        if type(record) not in _KIND_NAMES:
            raise ValidationError(f"records[{index}]", record, "must be a TradeFlow, Shipment, Event or Claim")
    present = {type(record) for record in items}
    classes = tuple(cls for cls in RECORD_KINDS.values() if cls in present or not present)
    columns = _columns(classes)
    data: dict[str, list[Any]] = {name: [] for name in columns}
    size = 0
    for record in items:
        cls = type(record)
        data["kind"].append(_KIND_NAMES[cls])
        filled = {"kind"}
        for codec in _codecs(cls):
            for column, cell in zip(codec.columns, codec.write(getattr(record, codec.field)), strict=True):
                data[column].append(cell)
                filled.add(column)
        size += 1
        for column in columns:
            if column not in filled:
                data[column].append(None)
    return _frame(data, classes, size)


def _frame(data: dict[str, list[Any]], classes: tuple[type, ...], size: int) -> pd.DataFrame:
    floats = {column for cls in classes for codec in _codecs(cls) for column in codec.floats}
    dates = {column for column in data if column.endswith(("_start", "_end")) and column.startswith("period")}
    series: dict[str, Any] = {}
    for column, cells in data.items():
        if column in floats:
            series[column] = np.array([math.nan if cell is None else cell for cell in cells], dtype=np.float64)
        elif column in dates:
            series[column] = np.array([np.datetime64("NaT") if c is None else c for c in cells], dtype="datetime64[s]")
        else:
            series[column] = pd.array(cells, dtype=object) if size else pd.array([], dtype=object)
    frame = pd.DataFrame(series, index=pd.RangeIndex(size))
    frame.attrs["units"] = {
        column: unit_column
        for cls in classes
        for codec in _codecs(cls)
        if codec.columns[1:2] and codec.columns[1].endswith("unit")
        for column, unit_column in _unit_columns(codec.columns)
    }
    return frame


def _unit_columns(columns: tuple[str, ...]) -> list[tuple[str, str]]:
    number, unit_column, lower, upper = columns[:4]
    return [(number, unit_column), (lower, unit_column), (upper, unit_column)]


def records_from_frame(frame: pd.DataFrame) -> tuple[AnyRecord, ...]:
    """Rebuild the records of a frame made by :func:`records_to_frame`, in row order.

    Derived columns (``period``, ``coverage``, ``quotes``) are not read; every
    other cell is checked as the record classes check their fields.

    Args:
        frame: A frame with the columns :func:`records_to_frame` writes (for
            the record kinds it holds).

    Returns:
        The records, equal to those the frame was made from.

    Raises:
        ValidationError: a missing column, an unknown kind, or a cell the
            record refuses, named by its row, record id and column.

    >>> from nkru.seed import load_seed_dataset
    >>> flows = load_seed_dataset().trade_flows
    >>> records_from_frame(records_to_frame(flows)) == flows
    True
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError("frame", frame, "must be a pandas DataFrame")
    for column in ("id", "kind"):
        if column not in frame.columns:
            raise ValidationError("frame", list(frame.columns)[:20], f"has no column {column!r}")
    records: list[AnyRecord] = []
    names = list(frame.columns)
    for position, values in enumerate(frame.itertuples(index=False, name=None)):
        row = dict(zip(names, values, strict=True))
        where = f"row {position} (id {row['id']!r})"
        cls = RECORD_KINDS.get(row["kind"]) if isinstance(row["kind"], str) else None
        if cls is None:
            raise ValidationError(f"{where}.kind", row["kind"], f"must be one of {', '.join(RECORD_KINDS)}")
        records.append(_record(cls, row, where))
    return tuple(records)


def _record(cls: type[AnyRecord], row: dict[str, Any], where: str) -> AnyRecord:
    fields: dict[str, Any] = {}
    for codec in _codecs(cls):
        absent = [column for column in codec.columns if column not in row and column not in _DERIVED]
        if absent:
            raise ValidationError(where, absent[0], f"the frame has no column {absent[0]!r} for a {cls.__name__}")
        try:
            value = codec.read(row)
        except ValidationError as error:
            raise ValidationError(f"{where}.{error.field}", error.value, error.reason) from None
        except (NkruError, TypeError, ValueError) as error:
            raise ValidationError(f"{where}.{codec.columns[0]}", row.get(codec.columns[0]), str(error)) from None
        if value is not None or codec.field == "id":
            fields[codec.field] = value
    try:
        return cls(**fields)
    except ValidationError as error:
        raise ValidationError(f"{where}.{error.field}", error.value, error.reason) from None
    except (NkruError, TypeError, ValueError) as error:
        raise ValidationError(where, row.get("id"), str(error)) from None

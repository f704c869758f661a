"""Plain-text forms of nkru values and records, for the command line and the docs.

One place decides how a figure, a period or a party reads to a person, so
``nkru show``, ``nkru summary`` and the generated data reference agree.

>>> from nkru.parsing import parse_measure
>>> format_measure(parse_measure("no more than 890 tons"))
'at most 890 t'
>>> format_measure(parse_measure("US$172.3 million"))
'172.3 million USD'
"""

from __future__ import annotations

import enum
import math
from typing import Any, Final

import attrs
import pint

from nkru.commodities import Commodity
from nkru.dataset import Claim
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country, Organization, Person, Place, Region
from nkru.periods import Period
from nkru.records import Event, Record, Shipment, Source, TradeFlow
from nkru.units import format_unit

__all__ = [
    "format_measure",
    "format_number",
    "format_quantity",
    "format_value",
    "headline",
    "main_figure",
    "record_fields",
    "record_kind",
]

#: Unit names as a reader writes them; others are shown as pint names them.
_SHORT_UNITS: Final = {
    "metric_ton": "t",
    "kilogram": "kg",
    "hectare": "ha",
    "percent": "%",
    "item": "items",
    "dimensionless": "",
}

_QUALIFIER_WORDS: Final = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATE: "about ",
    Qualifier.AT_MOST: "at most ",
    Qualifier.LESS_THAN: "less than ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
}

#: Fields every record has, shown apart from the others.
_COMMON: Final = frozenset({"id", "sources", "notes", "inferred"})

_KINDS: Final[dict[type, str]] = {TradeFlow: "trade flow", Shipment: "shipment", Event: "event", Claim: "claim"}


def format_number(value: float, digits: int = 6) -> str:
    """Write a number for a reader, to ``digits`` significant digits at most.

    Thousands are separated by commas; millions, billions and trillions are words.

    >>> format_number(830000.0), format_number(1.97e9), format_number(172.3e6), format_number(0.125)
    ('830,000', '1.97 billion', '172.3 million', '0.125')
    >>> format_number(766043.4167, 4), format_number(777896.2233, 8), format_number(-95.93908629)
    ('766,000', '777,896.22', '-95.9391')
    """
    if not math.isfinite(value):
        return str(value)
    size = abs(value)
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if size >= scale:
            return f"{format_number(value / scale, digits)} {word}"
    if size < 1:
        return f"{value:.{digits}g}"
    whole_digits = len(str(int(size)))
    decimals = max(digits - whole_digits, 0)
    rounded = round(value, decimals - max(whole_digits - digits, 0))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unit_text(units: Any) -> str:
    name = format_unit(units)
    return _SHORT_UNITS.get(name, name)


def format_quantity(value: pint.Quantity[Any], digits: int = 6) -> str:
    """Write a quantity as a number and a short unit.

    >>> from nkru.units import quantity
    >>> format_quantity(quantity(34_716, "t")), format_quantity(quantity(60, "percent"))
    ('34,716 t', '60%')
    """
    unit_text = _unit_text(value.units)
    number = format_number(float(value.magnitude), digits)
    if unit_text in ("", "%"):
        return f"{number}{unit_text}"
    return f"{number} {unit_text}"


def format_measure(measure: Measure, digits: int = 6) -> str:
    """Write a measure with its qualifier, bounds and (unless reported) its status.

    >>> from nkru.parsing import parse_measure
    >>> format_measure(parse_measure("several hundred thousand hectares"))
    '200,000 to 900,000 ha'
    >>> format_measure(parse_measure("estimated at US$3.6 million"))
    '3.6 million USD (estimated)'
    """
    if measure.value is None:
        low, high = measure.bounds
        text = _range(low, high, digits)
    else:
        text = _QUALIFIER_WORDS.get(measure.qualifier, "") + format_quantity(measure.value, digits)
        if measure.qualifier is Qualifier.RANGE or measure.lower is not None or measure.upper is not None:
            low, high = measure.lower, measure.upper
            text += f" ({_range(low, high, digits)})"
    if measure.status is not ObsStatus.REPORTED:
        text += f" ({measure.status.value})"
    return text


def _range(low: pint.Quantity[Any] | None, high: pint.Quantity[Any] | None, digits: int) -> str:
    if low is None or high is None:
        return f"{_bound(low, digits)} to {_bound(high, digits)}"
    unit_text = _unit_text(high.units)
    space = "" if unit_text in ("", "%") else " "
    return f"{format_number(float(low.magnitude), digits)} to {format_number(float(high.magnitude), digits)}{space}{unit_text}"


def _bound(value: pint.Quantity[Any] | None, digits: int) -> str:
    return "open" if value is None else format_quantity(value, digits)


def format_value(value: object) -> str:
    """Write any field value of a record for a reader ("" for None or empty).

    >>> from nkru.parties import Country
    >>> format_value(Country("SUN")), format_value(("a", "b"))
    ('USSR, Union of Soviet Socialist Republics (SUN)', 'a; b')
    """
    if value is None:
        return ""
    if isinstance(value, Measure):
        return format_measure(value)
    if isinstance(value, pint.Quantity):
        return format_quantity(value)
    if isinstance(value, Period):
        return str(value) + (" (approximate)" if value.approximate else "")
    if isinstance(value, (Country, Region, Place, Organization, Person)):
        return _format_party(value)
    if isinstance(value, Commodity):
        return value.label if value.hs is None else f"{value.label} (HS {value.hs})"
    if isinstance(value, Source):
        return f"{value.document}[{value.start}:{value.end}] {value.quote!r}"
    if isinstance(value, enum.Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, tuple):
        return "; ".join(format_value(item) for item in value)
    return str(value)


def _format_party(value: Country | Region | Place | Organization | Person) -> str:
    if isinstance(value, (Country, Region)):
        return f"{value.name} ({value.code})"
    if isinstance(value, Place):
        where = value.region.name if value.region is not None else (value.country.name if value.country else "")
        kind = value.kind.value.replace("_", " ")
        return f"{value.name} ({kind}{', ' + where if where else ''})"
    return value.name


def record_kind(record: Record) -> str:
    """Name the kind of a record in words ("trade flow", "shipment", "event", "claim")."""
    return _KINDS.get(type(record), type(record).__name__)


def record_fields(record: Record) -> list[tuple[str, str]]:
    """Return the record's own fields (not id, sources, notes, inferred) that have a value.

    A field the reader inferred rather than found stated is marked
    ``(inferred)``.
    """
    rows: list[tuple[str, str]] = []
    for field in attrs.fields(type(record)):
        if field.name in _COMMON or not field.init:
            continue
        text = format_value(getattr(record, field.name))
        if not text:
            continue
        if field.name in record.inferred:
            text += " (inferred)"
        rows.append((field.name, text))
    return rows


def main_figure(record: Record) -> str:
    """The record's figures: amount, mass, count and share (or a claim's stated figure, an event's measures)."""
    figures = [
        format_measure(measure)
        for name in ("amount", "mass", "count", "share", "stated")
        if isinstance(measure := getattr(record, name, None), Measure)
    ]
    figures += [format_measure(m) for m in getattr(record, "measures", ())]
    return "; ".join(figures)


def headline(record: Record) -> str:
    """One line saying what the record is about."""
    if isinstance(record, TradeFlow):
        what = "all goods" if record.commodity is None else record.commodity.label
        return f"{record.reporter.code}→{record.partner.code} {format_value(record.flow)}, {what}"
    if isinstance(record, Shipment):
        what = "goods" if record.commodity is None else record.commodity.label
        route = "" if record.route is None else f" via {record.route.name}"
        purpose = "" if record.purpose.value == "unknown" else f" ({format_value(record.purpose)})"
        return f"{what}{route}{purpose}"
    if isinstance(record, Event):
        return record.title
    if isinstance(record, Claim):
        return record.description or f"{format_value(record.kind)} of {', '.join(record.subjects)}"
    return record.id

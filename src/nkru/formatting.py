"""Plain-text forms of nkru values and records, for the command line and the docs.

One place decides how a figure, a period or a party reads, so ``nkru show``,
``nkru summary``, the generated data reference and the checker's messages
(:func:`nkru.check`) agree. Figures come in two styles (see :data:`Style`):
``"text"`` for people and ``"compact"`` for the checker's comparisons.

>>> from nkru.parsing import parse_measure
>>> format_measure(parse_measure("no more than 890 tons"))
'at most 890 t'
>>> format_measure(parse_measure("no more than 890 tons"), style="compact")
'≤ 890 t'
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs
import pint
from pint.facets.plain import PlainUnit

from nkru.commodities import Commodity
from nkru.dataset import Claim
from nkru.errors import ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country, Organization, Person, Place, Region
from nkru.periods import Period
from nkru.records import Event, Record, Shipment, Source, TradeFlow
from nkru.units import format_unit

__all__ = [
    "DEFAULT_DIGITS",
    "Style",
    "format_measure",
    "format_number",
    "format_quantity",
    "format_value",
    "headline",
    "main_figure",
    "quantity_writer",
    "record_fields",
    "record_kind",
    "stated_digits",
    "unit_symbol",
]

Style = Literal["text", "compact"]
r"""How figures read, ``"text"`` for people (the command line, the docs), ``"compact"`` for the checker's messages.

======================  ==============================  ===============================
what                    ``"text"``                      ``"compact"``
======================  ==============================  ===============================
qualifier               ``at most 890 t``               ``≤ 890 t``
a range with a figure   ``300 t (200 to 400 t)``        ``200 to 400 t``
bounds of "about"       ``about 60% (55 to 62%)``       ``about 60%``
status                  ``3.6 million USD (estimated)`` ``3.6 million USD``
integer part            rounded: ``766,000`` at 4       kept whole: ``766,043`` at 4
numbers under 1         ``1e-05`` (``g`` format)        ``0.00001``, never ``-0``
infinity                ``inf``                         ``∞``
======================  ==============================  ===============================

A text figure is one a person reads, so it is rounded to its significant
digits and says everything the record holds. The checker's messages set
computed numbers side by side (``33,646 t`` against ``33,650 t``), so they keep
every digit of the integer part and show only the values a figure allows.
"""

DEFAULT_DIGITS: Final = 6
"""Significant digits for a number whose own precision is unknown (a computed figure, a bare quantity)."""

#: Unit names as a reader writes them; others are shown as pint names them ("dimensionless" as nothing).
_SHORT_UNITS: Final = {"metric_ton": "t", "kilogram": "kg", "hectare": "ha", "percent": "%", "item": "items"}

_SCALES: Final = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))

#: Fields every record has, shown apart from the others.
_COMMON: Final = frozenset({"id", "sources", "notes", "inferred"})

_KINDS: Final[dict[type, str]] = {TradeFlow: "trade flow", Shipment: "shipment", Event: "event", Claim: "claim"}


def _significant(value: float, digits: int) -> str:
    """A finite number to ``digits`` significant digits, its integer part rounded too."""
    size = abs(value)
    for scale, word in _SCALES:
        if size >= scale:
            return f"{_significant(value / scale, digits)} {word}"
    if size < 1:
        return f"{value:.{digits}g}"
    whole_digits = len(str(int(size)))
    decimals = max(digits - whole_digits, 0)
    rounded = round(value, decimals - max(whole_digits - digits, 0))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _whole(value: float, digits: int) -> str:
    """A finite number to ``digits`` significant digits, but never fewer than its integer part."""
    size = abs(value)
    for scale, word in _SCALES:
        if size >= scale:
            return f"{_plain(value / scale, digits)} {word}"
    return _plain(value, digits)


def _plain(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _unsigned_zero(text)


def _unsigned_zero(text: str) -> str:
    return "0" if text.lstrip("-").strip("0.,") == "" else text


@attrs.frozen
class _Look:
    """What a :data:`Style` decides (see its table)."""

    qualifiers: Mapping[Qualifier, str]
    number: Callable[[float, int], str]
    infinity: str
    details: bool


#: How a qualifier reads before a figure: in words (text style), in symbols (compact style).
_QUALIFIERS: Final = {
    Qualifier.EXACT: ("", ""),
    Qualifier.APPROXIMATE: ("about ", "about "),
    Qualifier.AT_MOST: ("at most ", "≤ "),
    Qualifier.LESS_THAN: ("less than ", "< "),
    Qualifier.AT_LEAST: ("at least ", "≥ "),
    Qualifier.MORE_THAN: ("more than ", "> "),
    Qualifier.RANGE: ("", ""),
}

_LOOKS: Final[Mapping[str, _Look]] = {
    "text": _Look({q: words for q, (words, _) in _QUALIFIERS.items()}, _significant, "inf", details=True),
    "compact": _Look({q: symbols for q, (_, symbols) in _QUALIFIERS.items()}, _whole, "∞", details=False),
}


def _look(style: object) -> _Look:
    look = _LOOKS.get(style) if isinstance(style, str) else None
    if look is None:
        raise ValidationError("style", style, "must be 'text' or 'compact'")
    return look


def format_number(
    value: float,
    digits: int = DEFAULT_DIGITS,
    *,
    style: Style = "text",
    decimals: int | None = None,
    sign: bool = False,
) -> str:
    """Write a number for a reader: thousands grouped, millions, billions and trillions in words.

    Args:
        value: The number.
        digits: Significant digits to keep (the compact style never drops integer digits).
        style: ``"text"`` or ``"compact"`` (see :data:`Style`).
        decimals: Exact decimals to show instead of significant digits (for percentages).
        sign: Write ``+`` before a positive number.

    Raises:
        ValidationError: ``style`` is not a :data:`Style`.

    >>> format_number(830000.0), format_number(1.97e9), format_number(172.3e6), format_number(0.125)
    ('830,000', '1.97 billion', '172.3 million', '0.125')
    >>> format_number(766043.4167, 4), format_number(777896.2233, 8), format_number(-95.93908629)
    ('766,000', '777,896.22', '-95.9391')
    >>> format_number(766043.4167, 4, style="compact"), format_number(64.09523, decimals=1, sign=True)
    ('766,043', '+64.1')
    >>> format_number(-1.2e9, style="compact", sign=True), format_number(math.inf, style="compact")
    ('-1.2 billion', '∞')
    """
    look = _look(style)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return look.infinity if value > 0 else f"-{look.infinity}"
    prefix = "+" if sign and value > 0 else ""
    if decimals is not None:
        return prefix + _unsigned_zero(f"{value:,.{decimals}f}")
    return prefix + look.number(value, digits)


def unit_symbol(units: PlainUnit) -> str:
    """The short name a reader writes for a unit (``t``, ``%``, ``USD``), else pint's name.

    >>> from nkru.units import unit
    >>> unit_symbol(unit("t")), unit_symbol(unit("RUB")), unit_symbol(unit("dimensionless"))
    ('t', 'RUB', 'dimensionless')
    """
    name = format_unit(units)
    return _SHORT_UNITS.get(name, name)


def _with_symbol(number: str, symbol: str) -> str:
    if symbol == "%":
        return f"{number}%"
    if symbol == "dimensionless":
        return number
    return f"{number} {symbol}"


def quantity_writer(units: PlainUnit, *, style: Style = "text", sign: bool = False) -> Callable[[float, int], str]:
    """A writer of amounts in ``units``, called with a magnitude and significant digits (the unit looked up once).

    >>> from nkru.units import unit
    >>> quantity_writer(unit("t"), style="compact", sign=True)(33646.0, 4)
    '+33,646 t'
    """
    symbol = unit_symbol(units)
    _look(style)

    def write(value: float, digits: int) -> str:
        return _with_symbol(format_number(value, digits, style=style, sign=sign), symbol)

    return write


def format_quantity(
    value: pint.Quantity[Any], digits: int = DEFAULT_DIGITS, *, style: Style = "text", sign: bool = False
) -> str:
    """Write a quantity as a number and a short unit.

    Args:
        value: A quantity of :data:`nkru.ureg`.
        digits: Significant digits to keep (a quantity says nothing of its precision: :data:`DEFAULT_DIGITS`).
        style: ``"text"`` or ``"compact"`` (see :data:`Style`).
        sign: Write ``+`` before a positive number.

    >>> from nkru.units import quantity
    >>> format_quantity(quantity(34_716, "t")), format_quantity(quantity(60, "percent"))
    ('34,716 t', '60%')
    >>> format_quantity(quantity(2.5, "dimensionless"), style="compact")
    '2.5'
    """
    return quantity_writer(value.units, style=style, sign=sign)(float(value.magnitude), digits)


def stated_digits(measure: Measure) -> int | None:
    """The significant digits ``measure`` was stated to, from its resolution; None if that is unknown.

    The count runs from the first digit of the largest figure the measure
    holds (its value, else its upper bound) to the place of its
    :attr:`~nkru.measures.Measure.resolution`: "US$1.97 billion" has 3,
    "172.3 million" 4, "100" 3. The parser counts every written digit as
    stated (:func:`nkru.parse_measure`), so a whole number's trailing zeros
    count: "100" gives 3, never fewer, and nkru prints a result of it to
    3 digits. That is the most the text may mean, not the least: the
    consistency checker reads the same zeros as the coarsest plausible
    resolution instead (docs/consistency.md), so that no false alarm is
    raised; a printed result should not round away digits the text may
    have meant. A converted or restated measure keeps its count, since its
    value and resolution are scaled alike.

    >>> from nkru.parsing import parse_measure
    >>> [stated_digits(parse_measure(text)) for text in ("US$1.97 billion", "100 USD", "830,000 tons", "64%")]
    [3, 3, 6, 2]
    """
    figure = measure.value if measure.value is not None else measure.upper or measure.lower
    if measure.resolution is None or figure is None:
        return None
    size = abs(float(figure.magnitude))
    if size == 0 or not math.isfinite(size):
        return 1
    # A tiny allowance: a converted value over its converted resolution may land just below a power of ten.
    return max(1, math.floor(math.log10(size / measure.resolution) + 1e-9) + 1)


def format_measure(measure: Measure, digits: int | None = None, *, style: Style = "text") -> str:
    """Write a measure with its qualifier, bounds and (unless reported) its status.

    By default a measure is written to the digits it was stated to
    (:func:`stated_digits`), so a conversion claims no more precision than
    its input: "US$1.97 billion" in euros is "1.58 billion EUR", not
    "1.5834864 billion". A measure of unknown resolution (a computed total,
    one built by hand) gets :data:`DEFAULT_DIGITS`. Pass ``digits`` for more
    (or fewer).

    Args:
        measure: Any :class:`~nkru.measures.Measure`.
        digits: Significant digits to keep; None for the measure's own.
        style: ``"text"`` (``at most 890 t``) or ``"compact"`` (``≤ 890 t``; see :data:`Style`).

    >>> from nkru.parsing import parse_measure
    >>> format_measure(parse_measure("several hundred thousand hectares"))
    '200,000 to 900,000 ha'
    >>> format_measure(parse_measure("estimated at US$3.6 million"))
    '3.6 million USD (estimated)'
    >>> format_measure(parse_measure("estimated at US$3.6 million"), style="compact")
    '3.6 million USD'
    >>> from nkru.fx import convert_currency
    >>> euros = convert_currency(parse_measure("US$1.97 billion"), "EUR", on=2005)
    >>> format_measure(euros), format_measure(euros, digits=8)
    ('1.58 billion EUR', '1.5834864 billion EUR')
    """
    look = _look(style)
    if digits is None:
        digits = stated_digits(measure) or DEFAULT_DIGITS
    if measure.value is None or (measure.qualifier is Qualifier.RANGE and not look.details):
        text = _range(measure.lower, measure.upper, digits, style)
    else:
        text = look.qualifiers[measure.qualifier] + format_quantity(measure.value, digits, style=style)
        if look.details and (
            measure.qualifier is Qualifier.RANGE or measure.lower is not None or measure.upper is not None
        ):
            text += f" ({_range(measure.lower, measure.upper, digits, style)})"
    if look.details and measure.status is not ObsStatus.REPORTED:
        text += f" ({measure.status.value})"
    return text


def _range(low: pint.Quantity[Any] | None, high: pint.Quantity[Any] | None, digits: int, style: Style) -> str:
    if low is None or high is None:
        return f"{_bound(low, digits, style)} to {_bound(high, digits, style)}"
    numbers = [format_number(float(end.magnitude), digits, style=style) for end in (low, high)]
    return _with_symbol(" to ".join(numbers), unit_symbol(high.units))


def _bound(value: pint.Quantity[Any] | None, digits: int, style: Style) -> str:
    return "open" if value is None else format_quantity(value, digits, style=style)


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
    """The record's figures: amount, mass, count, share and relative level (or a claim's stated figure, an event's measures).

    A relative level says what it is relative to: "10% of an unstated earlier level", or "of the level of 1990".
    """
    figures = [
        format_measure(measure)
        for name in ("amount", "mass", "count", "share", "stated")
        if isinstance(measure := getattr(record, name, None), Measure)
    ]
    level = getattr(record, "relative_level", None)
    if isinstance(level, Measure):
        base = getattr(record, "relative_base", None)
        of = "an unstated earlier level" if base is None else f"the level of {base}"
        figures.append(f"{format_measure(level)} of {of}")
    figures += [format_measure(m) for m in getattr(record, "measures", ())]
    return "; ".join(figures)


def headline(record: Record) -> str:
    """One line saying what the record is about."""
    if isinstance(record, TradeFlow):
        what = "all goods" if record.commodity is None else record.commodity.label
        return f"{record.reporter.code}→{record.partner.code} {format_value(record.flow)}, {what}"
    if isinstance(record, Shipment):
        what = "goods not stated" if record.commodity is None else record.commodity.label
        route = "" if record.route is None else f" via {record.route.name}"
        purpose = "" if record.purpose.value == "unknown" else f" ({format_value(record.purpose)})"
        return f"{what}{route}{purpose}"
    if isinstance(record, Event):
        return record.title
    if isinstance(record, Claim):
        return record.description or f"{format_value(record.kind)} of {', '.join(record.subjects)}"
    return record.id

"""The domain records: trade flows, shipments and events, each citing its words.

Every record is a frozen, slotted attrs class, validated when it is built,
with keyword-only fields. Every record has a stable ``id``, the
:class:`Source` citations it came from, free-text ``notes`` on how it was
read, and ``inferred``: the names of its fields that a reader inferred
rather than found stated.

>>> from nkru.records import Flow, TradeFlow
>>> from nkru.measures import Measure
>>> from nkru.parties import Country
>>> from nkru.periods import Period
>>> from nkru.units import money
>>> flow = TradeFlow(
...     id="turnover-1990",
...     reporter=Country("SUN"),
...     partner=Country("PRK"),
...     flow=Flow.TURNOVER,
...     period=Period.year(1990),
...     amount=Measure(money(1.97e9, "USD")),
... )
>>> flow.amount.value
<Quantity(1.97e+09, 'USD')>
>>> TradeFlow(id="bad", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
...           period=Period.year(2002), amount=Measure(money(5, "USD")), mass=Measure(money(5, "USD")))
Traceback (most recent call last):
...
nkru.errors.ValidationError: mass: must be a mass, such as t or kg (got 'USD')
"""

from __future__ import annotations

import enum
from typing import Any, Final

import attrs

from nkru._core.deprecation import warn_deprecated
from nkru._core.text import check_id, check_text, instance_of, text_validator, tuple_of
from nkru.commodities import Commodity
from nkru.errors import ValidationError
from nkru.measures import Measure
from nkru.parties import Country, Location, Organization, Party, Person, Place, Region
from nkru.periods import Period
from nkru.units import currency_of, format_unit, ureg

__all__ = [
    "Event",
    "EventKind",
    "Flow",
    "Purpose",
    "Record",
    "Shipment",
    "Source",
    "TradeFlow",
]

_QUOTE_LENGTH: Final = 5000
_NOTE_LENGTH: Final = 2000
_DOCUMENT_LENGTH: Final = 200
_MAX_OFFSET: Final = 10**9


def _check_offset(_instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_OFFSET:
        raise ValidationError(attribute.name, value, "must be a whole number from 0 to 10**9")


@attrs.frozen(kw_only=True)
class Source:
    """The exact words a record came from.

    Args:
        document: The id of the source document (``000_915295fa7ca42148``).
        start: Offset of the first character of ``quote`` in the document.
        end: Offset just past the last character (``text[start:end] == quote``).
        quote: The words, verbatim, typos included.

    >>> Source(document="doc", start=10, end=13, quote="abc").end
    13
    >>> Source(document="doc", start=10, end=12, quote="abc")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: quote: must be end - start = 2 characters long (got 'abc')
    """

    document: str = attrs.field(validator=text_validator(_DOCUMENT_LENGTH))
    start: int = attrs.field(validator=_check_offset)
    end: int = attrs.field(validator=_check_offset)
    quote: str = attrs.field(validator=text_validator(_QUOTE_LENGTH))

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError("end", self.end, f"must be after start {self.start}")
        if len(self.quote) != self.end - self.start:
            raise ValidationError("quote", self.quote, f"must be end - start = {self.end - self.start} characters long")


def _notes_validator(_instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(str, max_items=100)(_instance, attribute, value)
    for index, note in enumerate(value):
        check_text(f"{attribute.name}[{index}]", note, max_length=_NOTE_LENGTH)


def _optional(kind: type | tuple[type, ...]) -> Any:
    return instance_of(kind, optional=True)


def _required(kind: type | tuple[type, ...]) -> Any:
    return instance_of(kind)


_PARTY_TYPES: Final = (Country, Region, Organization, Person)
_LOCATION_TYPES: Final = (Country, Region, Place)


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(field.name for field in attrs.fields(cls))
    return names


@attrs.frozen(kw_only=True)
class Record:
    """Fields every record has: an id, citations, notes and inferred fields.

    Not used on its own; :class:`TradeFlow`, :class:`Shipment`, :class:`Event`
    and :class:`nkru.dataset.Claim` build on it.
    """

    id: str = attrs.field(validator=check_id)
    sources: tuple[Source, ...] = attrs.field(default=(), validator=tuple_of(Source))
    notes: tuple[str, ...] = attrs.field(default=(), validator=_notes_validator)
    inferred: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str, max_items=50))

    def __attrs_post_init__(self) -> None:
        if not self.inferred:
            return
        names = _field_names(type(self))
        for index, name in enumerate(self.inferred):
            if name not in names:
                raise ValidationError(f"inferred[{index}]", name, f"is not a field of {type(self).__name__}")

    @property
    def quotes(self) -> tuple[str, ...]:
        """The quoted words of every citation, in order."""
        return tuple(source.quote for source in self.sources)


def _check_money(name: str, measure: Measure | None) -> None:
    if measure is not None and currency_of(measure.units) is None:
        raise ValidationError(name, format_unit(measure.units), "must be an amount of money, such as USD or RUB")


_MASS = ureg.kilogram.dimensionality
_ITEMS = ureg.item.dimensionality


def _check_mass(name: str, measure: Measure | None) -> None:
    if measure is None:
        return
    if measure.dimensionality != _MASS:
        raise ValidationError(name, format_unit(measure.units), "must be a mass, such as t or kg")
    for bound in (measure.value, measure.lower, measure.upper):
        if bound is not None and bound.magnitude < 0:
            raise ValidationError(name, bound, "must not be negative")


def _check_count(name: str, measure: Measure | None) -> None:
    if measure is None:
        return
    if measure.dimensionality != _ITEMS:
        raise ValidationError(name, format_unit(measure.units), "must be a count of items")
    for bound in (measure.value, measure.lower, measure.upper):
        if bound is not None and bound.magnitude < 0:
            raise ValidationError(name, bound, "must not be negative")


def _check_share(name: str, measure: Measure | None) -> None:
    if measure is not None and measure.dimensionality:
        raise ValidationError(name, format_unit(measure.units), "must be a share (percent or a fraction)")


class Flow(enum.Enum):
    """Direction of a trade flow, seen from the reporter."""

    EXPORT = "export"
    IMPORT = "import"
    TURNOVER = "turnover"
    """Total trade, exports plus imports."""
    RE_EXPORT = "re_export"
    RE_IMPORT = "re_import"

    @property
    def comtrade_code(self) -> str | None:
        """The UN Comtrade ``flowCode`` (``X``, ``M``, ``RX``, ``RM``); None for turnover."""
        return _COMTRADE_FLOW[self]

    @property
    def parts(self) -> tuple[Flow, ...]:
        """The flows this one holds, so that adding it to them counts trade twice.

        Turnover is exports plus imports (and so holds re-exports and
        re-imports too); Comtrade's exports hold the re-exports and its imports
        the re-imports (the general trade system). Exports and imports hold
        nothing of each other: they add up to the turnover.

        >>> [part.value for part in Flow.EXPORT.parts]
        ['re_export']
        """
        return _FLOW_PARTS.get(self, ())


_COMTRADE_FLOW: Final = {
    Flow.EXPORT: "X",
    Flow.IMPORT: "M",
    Flow.TURNOVER: None,
    Flow.RE_EXPORT: "RX",
    Flow.RE_IMPORT: "RM",
}
_FLOW_PARTS: Final = {
    Flow.TURNOVER: (Flow.EXPORT, Flow.IMPORT, Flow.RE_EXPORT, Flow.RE_IMPORT),
    Flow.EXPORT: (Flow.RE_EXPORT,),
    Flow.IMPORT: (Flow.RE_IMPORT,),
}


@attrs.frozen(kw_only=True)
class TradeFlow(Record):
    """Trade between a reporter and a partner over a period.

    Args:
        reporter: The country whose trade it is (the exporter for exports).
        partner: The other country.
        flow: Export, import, turnover, re-export or re-import.
        period: The time the figure covers.
        commodity: What was traded; None for all goods.
        amount: The value, an amount of money.
        mass: The net weight.
        count: A count of items.
        share: The flow's share of a whole (``share_of`` says which whole).
        share_of: What the share is a share of, in words.
        relative_level: The flow's level relative to the same series at an
            earlier time, as a ratio ("declined to a mere 10% of its previous
            contributions" is 10%): not a share of a whole.
        relative_base: The period ``relative_level`` is relative to, or None
            when the text does not say (the base is unknown).
        likely_period: Another reading of ``period`` that the figures point
            to (a "2005" total that equals January-September 2005); must be
            listed in ``inferred``, with the reason in ``notes``.

    At least one of ``amount``, ``mass``, ``count``, ``share`` and
    ``relative_level`` is given.

    >>> from nkru.units import quantity
    >>> drop = TradeFlow(id="x", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
    ...                  period=Period.year(1993), relative_level=Measure(quantity(10, "percent")))
    >>> drop.relative_level.value, drop.relative_base is None
    (<Quantity(10.0, 'percent')>, True)
    """

    reporter: Country = attrs.field(validator=_required(Country))
    partner: Country = attrs.field(validator=_required(Country))
    flow: Flow = attrs.field(validator=_required(Flow))
    period: Period = attrs.field(validator=_required(Period))
    commodity: Commodity | None = attrs.field(default=None, validator=_optional(Commodity))
    amount: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    mass: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    count: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    share: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    share_of: str | None = attrs.field(default=None, validator=attrs.validators.optional(text_validator(300)))
    relative_level: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    relative_base: Period | None = attrs.field(default=None, validator=_optional(Period))
    likely_period: Period | None = attrs.field(default=None, validator=_optional(Period))

    def __attrs_post_init__(self) -> None:
        Record.__attrs_post_init__(self)
        figures = (self.amount, self.mass, self.count, self.share, self.relative_level)
        if all(figure is None for figure in figures):
            raise ValidationError(
                "amount", None, "a trade flow needs an amount, a mass, a count, a share or a relative level"
            )
        _check_money("amount", self.amount)
        _check_mass("mass", self.mass)
        _check_count("count", self.count)
        _check_share("share", self.share)
        _check_share("relative_level", self.relative_level)
        if self.share_of is not None and self.share is None:
            raise ValidationError("share_of", self.share_of, "is given without a share")
        if self.relative_base is not None and self.relative_level is None:
            raise ValidationError("relative_base", self.relative_base, "is given without a relative level")
        if self.relative_base is not None and not self.relative_base.end < self.period.start:
            raise ValidationError("relative_base", self.relative_base, f"must end before the period {self.period}")
        if self.likely_period is not None and "likely_period" not in self.inferred:
            raise ValidationError(
                "likely_period", self.likely_period, "is a reader's reading: list it in inferred, with why in notes"
            )

    @property
    def value(self) -> Measure | None:
        """Deprecated, removed in nkru 0.3; the old name of :attr:`amount`, which reads ``flow.amount.value``."""
        warn_deprecated("TradeFlow.value", "TradeFlow.amount")
        return self.amount


class Purpose(enum.Enum):
    """Why goods were shipped."""

    COMMERCIAL = "commercial"
    HUMANITARIAN_AID = "humanitarian_aid"
    FOOD_ASSISTANCE = "food_assistance"
    OBLIGATION = "obligation"
    """Delivered under an international obligation (the Six-Party Talks)."""
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class Shipment(Record):
    """Goods moved from one place to another: freight, fuel, grain, aid.

    Args:
        commodity: What was shipped.
        mass: How much, by weight.
        amount: What it was worth, an amount of money.
        count: How many items.
        origin: Where it came from.
        destination: Where it went.
        route: The border crossing or route it took.
        period: When.
        purpose: Why.
        donor: Who gave it, for aid.
        channel: Through whom it went (a programme, a company).
    """

    commodity: Commodity | None = attrs.field(default=None, validator=_optional(Commodity))
    mass: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    amount: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    count: Measure | None = attrs.field(default=None, validator=_optional(Measure))
    origin: Location | None = attrs.field(default=None, validator=_optional(_LOCATION_TYPES))
    destination: Location | None = attrs.field(default=None, validator=_optional(_LOCATION_TYPES))
    route: Place | None = attrs.field(default=None, validator=_optional(Place))
    period: Period | None = attrs.field(default=None, validator=_optional(Period))
    purpose: Purpose = attrs.field(default=Purpose.UNKNOWN, validator=_required(Purpose))
    donor: Party | None = attrs.field(default=None, validator=_optional(_PARTY_TYPES))
    channel: Party | None = attrs.field(default=None, validator=_optional(_PARTY_TYPES))

    def __attrs_post_init__(self) -> None:
        Record.__attrs_post_init__(self)
        _check_mass("mass", self.mass)
        _check_money("amount", self.amount)
        _check_count("count", self.count)

    @property
    def value(self) -> Measure | None:
        """Deprecated, removed in nkru 0.3; the old name of :attr:`amount`."""
        warn_deprecated("Shipment.value", "Shipment.amount")
        return self.amount


class EventKind(enum.Enum):
    """What happened, with the nearest CAMEO event code where one fits."""

    AID_PLEDGE = "aid_pledge"
    AID_DELIVERY = "aid_delivery"
    INVESTMENT = "investment"
    VISIT = "visit"
    MEETING = "meeting"
    AGREEMENT = "agreement"
    SANCTION = "sanction"
    NUCLEAR_TEST = "nuclear_test"
    POLICY_CHANGE = "policy_change"
    STATEMENT = "statement"
    PLAN = "plan"
    """A reported plan or intention (to rent land, to deliver)."""
    OTHER = "other"

    @property
    def cameo_code(self) -> str | None:
        """The closest CAMEO event code, or None."""
        return _CAMEO[self]


# CAMEO 1.1b3 codebook (Schrodt, 2012): 033 intend to provide material aid, 070 provide aid,
# 061 cooperate economically, 042 make a visit, 040 consult, 057 sign formal agreement,
# 163 impose embargo/boycott/sanctions, 150 demonstrate military posture (nearest for a test),
# 010 make statement. Policy changes and plans have no single CAMEO code.
_CAMEO: Final = {
    EventKind.AID_PLEDGE: "033",
    EventKind.AID_DELIVERY: "070",
    EventKind.INVESTMENT: "061",
    EventKind.VISIT: "042",
    EventKind.MEETING: "040",
    EventKind.AGREEMENT: "057",
    EventKind.SANCTION: "163",
    EventKind.NUCLEAR_TEST: "150",
    EventKind.POLICY_CHANGE: None,
    EventKind.STATEMENT: "010",
    EventKind.PLAN: None,
    EventKind.OTHER: None,
}


@attrs.frozen(kw_only=True)
class Event(Record):
    """Something that happened on a date or over a period.

    Args:
        kind: What kind of event.
        period: When (a day, a month, a season …).
        title: A one-line summary.
        actors: Who took part.
        place: Where.
        description: More words, if useful.
        measures: Figures the event states (an aid pledge's tonnage).
        related: Ids of records the event concerns.
    """

    kind: EventKind = attrs.field(validator=_required(EventKind))
    period: Period = attrs.field(validator=_required(Period))
    title: str = attrs.field(validator=text_validator(300))
    actors: tuple[Party, ...] = attrs.field(default=(), validator=tuple_of(_PARTY_TYPES, max_items=50))
    place: Location | None = attrs.field(default=None, validator=_optional(_LOCATION_TYPES))
    description: str = attrs.field(default="", validator=text_validator(_QUOTE_LENGTH, allow_empty=True))
    measures: tuple[Measure, ...] = attrs.field(default=(), validator=tuple_of(Measure, max_items=100))
    related: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str, max_items=100))

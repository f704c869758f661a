"""Datasets of records, and claims: statements that relate figures to each other.

A :class:`Dataset` holds trade flows, shipments, events and claims, each
with a unique id. A :class:`Claim` is what a text asserts about its own
figures ("an increase of 64%", "dropped", "a mere 10% of its previous
contributions", "oil products (63%)"); :func:`nkru.check` recomputes them.

>>> from nkru.dataset import Dataset
>>> empty = Dataset()
>>> len(empty), empty.ids
(0, ())
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from nkru._core.deprecation import warn_deprecated
from nkru._core.text import instance_of, text_validator, tuple_of
from nkru.commodities import Commodity
from nkru.commodities import commodity as _commodity
from nkru.errors import ValidationError
from nkru.measures import Measure, ObsStatus
from nkru.parties import Country
from nkru.periods import Period
from nkru.records import Event, Flow, Record, Shipment, TradeFlow

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AnyRecord", "Claim", "ClaimKind", "Dataset", "Direction", "PeriodLike"]


class ClaimKind(enum.Enum):
    """What relation between figures a claim states."""

    PERCENT_CHANGE = "percent_change"
    """``stated`` is the change from ``subjects[0]`` to ``subjects[1]``, in percent."""
    DIRECTION = "direction"
    """Only ``direction`` is stated (``subjects[1]`` is above or below ``subjects[0]``)."""
    RATIO = "ratio"
    """``stated`` is ``subjects[1]`` as a share of ``subjects[0]`` ("a mere 10% of")."""
    SHARE = "share"
    """``stated`` is ``subjects[0]``'s share of the whole ``subjects[1]``."""
    SHARES_OF_WHOLE = "shares_of_whole"
    """The subjects are parts of one whole; their shares sum to at most 100%."""
    PART_OF_TOTAL = "part_of_total"
    """``subjects[0]`` is part of the total ``subjects[1]`` and cannot exceed it."""
    PEAK = "peak"
    """``subjects[0]`` is the peak of its series, so no figure of the same series in the
    surrounding years exceeds it (the checker finds them; further subjects are compared too)."""


class Direction(enum.Enum):
    """The direction of change a text states."""

    INCREASE = "increase"
    DECREASE = "decrease"
    UNCHANGED = "unchanged"


#: Record fields a claim may compare.
_COMPARABLE: Final = frozenset({"amount", "mass", "count", "share"})


def _comparable_field(name: Any) -> Any:
    """Read a claim's ``field``; ``"value"``, the old name of the records' ``amount``, is read as it until 0.3."""
    if name == "value":
        # warn_deprecated, this converter and attrs' __init__ stand between the warning and the caller.
        warn_deprecated('Claim(field="value")', 'Claim(field="amount")', stacklevel=4)
        return "amount"
    return name


@attrs.frozen(kw_only=True)
class Claim(Record):
    """A statement in the text that relates figures of other records.

    Args:
        kind: The relation stated.
        subjects: Ids of the records related, in the order ``kind`` documents.
        field: Which figure of the subjects is compared (``amount``, ``mass``,
            ``count`` or ``share``).
        stated: The figure the text gives for the relation (``64 percent``),
            if any.
        direction: The direction the text gives ("grew", "dropped"), if any.
        description: The claim in a reader's words.
    """

    kind: ClaimKind = attrs.field(validator=instance_of(ClaimKind))
    subjects: tuple[str, ...] = attrs.field(validator=tuple_of(str, max_items=50))
    field: str = attrs.field(default="amount", converter=_comparable_field)
    stated: Measure | None = attrs.field(default=None, validator=instance_of(Measure, optional=True))
    direction: Direction | None = attrs.field(default=None, validator=instance_of(Direction, optional=True))
    description: str = attrs.field(default="", validator=text_validator(2000, allow_empty=True))

    def __attrs_post_init__(self) -> None:
        Record.__attrs_post_init__(self)
        if self.field not in _COMPARABLE:
            raise ValidationError("field", self.field, f"must be one of {', '.join(sorted(_COMPARABLE))}")
        wanted = 1 if self.kind in (ClaimKind.SHARES_OF_WHOLE, ClaimKind.PEAK) else 2
        if len(self.subjects) < wanted:
            raise ValidationError("subjects", self.subjects, f"a {self.kind.value} claim relates {wanted}+ records")
        if self.kind in (ClaimKind.PERCENT_CHANGE, ClaimKind.RATIO, ClaimKind.SHARE) and self.stated is None:
            raise ValidationError("stated", None, f"a {self.kind.value} claim needs the stated figure")
        if self.kind is ClaimKind.DIRECTION and self.direction is None:
            raise ValidationError("direction", None, "a direction claim needs the stated direction")
        if self.stated is not None and not self.stated.units.dimensionless:
            raise ValidationError("stated", self.stated, "must be a percentage or a ratio")


AnyRecord = TradeFlow | Shipment | Event | Claim
"""Any record a :class:`Dataset` holds."""

PeriodLike = int | dt.date | Period
"""A time as :meth:`Dataset.select` takes it, a calendar year, a day or a :class:`~nkru.periods.Period`."""

#: The record kinds, as a frame's ``kind`` column and :meth:`Dataset.select` name them.
_KINDS: Final = {"trade_flow": "trade_flows", "shipment": "shipments", "event": "events", "claim": "claims"}


@attrs.frozen(kw_only=True)
class Dataset:
    """Records with unique ids: trade flows, shipments, events and claims.

    Raises:
        ValidationError: two records share an id, or a claim or an event names
            an id that is not in the dataset.
    """

    trade_flows: tuple[TradeFlow, ...] = attrs.field(default=(), validator=tuple_of(TradeFlow, max_items=10**7))
    shipments: tuple[Shipment, ...] = attrs.field(default=(), validator=tuple_of(Shipment, max_items=10**7))
    events: tuple[Event, ...] = attrs.field(default=(), validator=tuple_of(Event, max_items=10**7))
    claims: tuple[Claim, ...] = attrs.field(default=(), validator=tuple_of(Claim, max_items=10**7))
    _index: dict[str, AnyRecord] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, AnyRecord] = {}
        where: dict[str, str] = {}
        for collection in ("trade_flows", "shipments", "events", "claims"):
            for position, record in enumerate(getattr(self, collection)):
                place = f"{collection}[{position}]"
                if record.id in index:
                    raise ValidationError(
                        f"{place}.id", record.id, f"is used by two records (also by {where[record.id]})"
                    )
                index[record.id] = record
                where[record.id] = place
        for position, claim in enumerate(self.claims):
            _check_links(index, f"claims[{position}].subjects", claim.subjects)
        for position, event in enumerate(self.events):
            _check_links(index, f"events[{position}].related", event.related)
        object.__setattr__(self, "_index", index)

    def __iter__(self) -> Iterator[AnyRecord]:
        """Every record: trade flows, then shipments, events and claims."""
        yield from self.trade_flows
        yield from self.shipments
        yield from self.events
        yield from self.claims

    def __len__(self) -> int:
        return len(self.trade_flows) + len(self.shipments) + len(self.events) + len(self.claims)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._index

    @property
    def ids(self) -> tuple[str, ...]:
        """Every record id, in iteration order."""
        return tuple(self._index)

    def get(self, record_id: str) -> AnyRecord:
        """Return the record with id ``record_id``.

        Raises:
            ValidationError: no record has that id (it is also a ``ValueError``).
        """
        try:
            return self._index[record_id]
        except (KeyError, TypeError):
            raise ValidationError("id", record_id, "no record has this id") from None

    # -- selection ---------------------------------------------------------------------------------

    def records(self, kind: str | Sequence[str] | None = None) -> tuple[AnyRecord, ...]:
        """The records of one kind or several (``trade_flow``, ``shipment``, ``event``, ``claim``), or all.

        Raises:
            ValidationError: an unknown kind.
        """
        return tuple(record for name in _kind_names(kind) for record in getattr(self, _KINDS[name]))

    def select(
        self,
        *,
        kind: str | Sequence[str] | None = None,
        during: PeriodLike | None = None,
        overlapping: PeriodLike | None = None,
        flow: Flow | str | None = None,
        reporter: Country | str | None = None,
        partner: Country | str | None = None,
        commodity: Commodity | str | None = None,
        status: ObsStatus | str | None = None,
    ) -> tuple[AnyRecord, ...]:
        """Return the records that meet every condition given, in the dataset's order.

        Args:
            kind: ``trade_flow``, ``shipment``, ``event`` or ``claim``, or a list of them.
            during: Records whose period lies within this year, day or
                :class:`~nkru.periods.Period` (January to September 2005 is
                during 2005; 2004 to 2005 is not).
            overlapping: Records whose period shares at least a day with it.
            flow: A :class:`~nkru.records.Flow` or its value (``"export"``).
            reporter: A :class:`~nkru.parties.Country` or its code or name.
            partner: Likewise.
            commodity: A :class:`~nkru.commodities.Commodity`, or text: an HS
                code (``"27"`` also selects its headings, such as ``"2710"``)
                or a label, which also selects the records of the HS code
                nkru gives that label (``"grains"`` finds ``"grain"``, HS 10).
            status: An :class:`~nkru.measures.ObsStatus` (or its value) that
                one of the record's figures has.

        A record without the field a condition asks about (a claim has no
        period, an event no reporter) is not selected by it. An empty result is
        an empty tuple.

        Raises:
            ValidationError: an unknown kind, flow, status or country, or a
                period that is not a year, a date or a Period.

        >>> from nkru.seed import load_seed_dataset
        >>> [r.id for r in load_seed_dataset().select(during=2005, flow="export", commodity=None)][:2]
        ['tf.exports.2005-jan-sep', 'tf.exports.oil-products.2005-jan-sep']
        """
        tests: list[Callable[[AnyRecord], bool]] = []
        if during is not None:
            within = _as_period(during, "during")
            tests.append(lambda r: _within(_period_of(r), within))
        if overlapping is not None:
            meets = _as_period(overlapping, "overlapping")
            tests.append(lambda r: _meets(_period_of(r), meets))
        if flow is not None:
            wanted_flow = _as_enum(Flow, flow, "flow")
            tests.append(lambda r: getattr(r, "flow", None) is wanted_flow)
        for side, given in (("reporter", reporter), ("partner", partner)):
            if given is not None:
                tests.append(_party_test(side, _as_country(given, side)))
        if commodity is not None:
            tests.append(_commodity_test(commodity))
        if status is not None:
            wanted_status = _as_enum(ObsStatus, status, "status")
            tests.append(lambda r: any(m.status is wanted_status for m in _measures_of(r)))
        return tuple(record for record in self.records(kind) if all(test(record) for test in tests))

    def to_frame(self, kind: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Return the records as a DataFrame, one row per record (needs pandas).

        The columns and their units are those of
        :func:`nkru.io.frames.records_to_frame`, which this calls;
        :func:`nkru.io.frames.records_from_frame` reads the frame back.

        Args:
            kind: ``trade_flow``, ``shipment``, ``event`` or ``claim`` (or a
                list of them); every record if None.

        Raises:
            ValidationError: an unknown kind.

        >>> from nkru.seed import load_seed_dataset
        >>> load_seed_dataset().to_frame("trade_flow")[["id", "flow", "period", "value"]].head(3)
                               id      flow     period         value
        0   tf.share.prk-sun.1988  turnover       1988           NaN
        1  tf.turnover.late-1980s  turnover  1987/1989  1.000000e+09
        2        tf.turnover.1990  turnover       1990  1.970000e+09
        """
        from nkru.io.frames import records_to_frame  # noqa: PLC0415 - io sits above the model; see docs/architecture.md

        return records_to_frame(self.records(kind))

    def series(
        self,
        *,
        flow: Flow | str,
        partner: Country | str,
        reporter: Country | str | None = None,
        commodity: Commodity | str | None = None,
    ) -> pd.DataFrame:
        """Return the time series of one flow: comparable trade flows with a value, sorted by period.

        Comparable means: the same flow and partner (and reporter, if given),
        all goods unless ``commodity`` is given, and an amount of money (a
        share, a count or a mass alone is not a value in the series). Partial
        periods stay what they are: their row says so in ``period`` and
        ``coverage``.

        Args:
            flow: A :class:`~nkru.records.Flow` or its value (``"turnover"``).
            partner: The partner, a :class:`~nkru.parties.Country` or its code or name.
            reporter: The reporter; every reporter if None (the Soviet Union,
                then Russia, say).
            commodity: What :meth:`select` takes; all goods if None.

        Returns:
            A DataFrame indexed by ``period`` (the SDMX form, ``2005-01/2005-09``),
            with the columns ``id``, ``reporter``, ``partner``, ``flow``,
            ``commodity``, ``hs``, ``period_start``, ``period_end``,
            ``period_precision``, ``coverage``, ``value``, ``unit``, ``lower``,
            ``upper``, ``qualifier``, ``status`` and ``resolution`` of
            :func:`nkru.io.frames.records_to_frame`; units in ``attrs["units"]``.

        Raises:
            ValidationError: an unknown flow or country, or no record matches
                (the message says what was asked).

        >>> from nkru.seed import load_seed_dataset
        >>> turnover = load_seed_dataset().series(flow="turnover", partner="PRK")
        >>> turnover[["reporter", "value", "unit"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                  reporter         value unit
        period
        1987/1989      SUN  1.000000e+09  USD
        1990           SUN  1.970000e+09  USD
        1991           SUN  5.800000e+08  USD
        """
        from nkru.io.frames import records_to_frame  # noqa: PLC0415 - io sits above the model; see docs/architecture.md

        chosen = [
            record
            for record in self.select(kind="trade_flow", flow=flow, reporter=reporter, partner=partner)
            if isinstance(record, TradeFlow)
            and record.amount is not None
            and (record.commodity is None if commodity is None else _commodity_test(commodity)(record))
        ]
        if not chosen:
            asked = f"flow={flow!s}, partner={partner!s}, reporter={reporter!s}, commodity={commodity!s}"
            raise ValidationError("series", asked, "no trade flow with a value matches")
        chosen.sort(key=lambda record: (record.period.start, record.period.end, record.id))
        frame = records_to_frame(chosen)
        columns = ["id", "reporter", "partner", "flow", "commodity", "hs", "period", "period_start", "period_end"]
        columns += ["period_precision", "coverage", "value", "unit", "lower", "upper", "qualifier", "status"]
        units = {name: column for name, column in frame.attrs["units"].items() if name in ("value", "lower", "upper")}
        result = frame[[*columns, "resolution"]].set_index("period")
        result.attrs["units"] = units
        return result


def _kind_names(kind: str | Sequence[str] | None) -> tuple[str, ...]:
    if kind is None:
        return tuple(_KINDS)
    names = (kind,) if isinstance(kind, str) else tuple(kind) if isinstance(kind, (list, tuple)) else (kind,)
    for name in names:
        if name not in _KINDS:
            raise ValidationError("kind", name, f"must be one of {', '.join(_KINDS)}")
    return names


def _as_period(value: object, name: str) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, bool):
        raise ValidationError(name, value, "must be a year, a datetime.date or a Period")
    try:
        if isinstance(value, int):
            return Period.year(value)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return Period.day(value)
    except ValidationError as error:
        raise ValidationError(name, value, error.reason) from None
    raise ValidationError(name, value, "must be a year, a datetime.date or a Period")


def _as_enum(kind: type[enum.Enum], value: object, name: str) -> Any:
    if isinstance(value, kind):
        return value
    for member in kind:
        if member.value == value:
            return member
    raise ValidationError(name, value, f"must be one of {', '.join(str(m.value) for m in kind)}")


def _as_country(value: object, name: str) -> Country:
    if isinstance(value, Country):
        return value
    if not isinstance(value, str):
        raise ValidationError(name, value, "must be a Country or a country's code or name")
    try:
        return Country.lookup(value)
    except ValidationError:
        raise ValidationError(name, value, "no country has this code or name") from None


def _party_test(side: str, country: Country) -> Any:
    return lambda record: getattr(record, side, None) == country


def _commodity_test(commodity: object) -> Any:
    if isinstance(commodity, Commodity):
        return lambda record: getattr(record, "commodity", None) == commodity
    if not isinstance(commodity, str) or not commodity.strip():
        raise ValidationError("commodity", commodity, "must be a Commodity, an HS code or a label")
    text = commodity.strip()
    # A label finds the records of its HS code in nkru's table too, whatever words they use ("grains", "food grains")
    code = text if text.isdigit() else _commodity(text).hs

    def matches(record: object) -> bool:
        goods = getattr(record, "commodity", None)
        if not isinstance(goods, Commodity):
            return False
        return goods.label == text or (goods.hs is not None and code is not None and goods.hs.startswith(code))

    return matches


def _period_of(record: object) -> Period | None:
    period = getattr(record, "period", None)
    return period if isinstance(period, Period) else None


def _within(period: Period | None, whole: Period) -> bool:
    return period is not None and whole.start <= period.start and period.end <= whole.end


def _meets(period: Period | None, other: Period) -> bool:
    return period is not None and period.overlaps(other)


def _measures_of(record: AnyRecord) -> list[Measure]:
    """Every figure a record states: its Measure fields and the items of tuples of them (an event's ``measures``)."""
    found: list[Measure] = []
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        items = value if isinstance(value, tuple) else (value,)
        found.extend(item for item in items if isinstance(item, Measure))
    return found


def _check_links(index: dict[str, Any], field: str, ids: tuple[str, ...]) -> None:
    for position, linked in enumerate(ids):
        if linked not in index:
            raise ValidationError(f"{field}[{position}]", linked, "names no record in the dataset")

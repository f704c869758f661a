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

import enum
from collections.abc import Iterator
from typing import Any, Final

import attrs

from nkru._core.deprecation import warn_deprecated
from nkru._core.text import instance_of, text_validator, tuple_of
from nkru.errors import ValidationError
from nkru.measures import Measure
from nkru.records import Event, Record, Shipment, TradeFlow

__all__ = ["AnyRecord", "Claim", "ClaimKind", "Dataset", "Direction"]


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


def _check_links(index: dict[str, Any], field: str, ids: tuple[str, ...]) -> None:
    for position, linked in enumerate(ids):
        if linked not in index:
            raise ValidationError(f"{field}[{position}]", linked, "names no record in the dataset")

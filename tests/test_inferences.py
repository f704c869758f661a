"""Every field of the seed dataset is read from its record's own quotes, or flagged as inferred.

A general test over the whole dataset, not a list of known cases: for each
record and each field that holds data, the value must follow from the words
the record cites, re-read with nkru's own grammar (``parse_measure``,
``parse_period``, ``commodity``) or found there by name, or the field must be
listed in the record's ``inferred`` (with the reason in its notes).

What "follows from the quotes" means, field by field:

- a figure (``amount``, ``mass``, ``count``, ``share``, an event's ``measures``,
  a claim's ``stated``) equals what ``parse_measure`` reads from some words of
  a quote, and that reading is literal: a range whose bounds the words do not
  write ("several hundred thousand" as 200,000 to 900,000) is a convention of
  the grammar, so a reader's inference;
- a period equals what ``parse_period`` reads from some words of a quote
  without a year supplied, and the reading is literal: the grammar marks the
  parts it guesses ("early September" as days 1-10, "the late 1980s" as
  1987-1989) approximate, and a season's months are a convention too;
- a commodity is what ``commodity`` gives for some words of a quote (the same
  HS code, or the same label when it has none);
- a party (reporter, partner, origin, destination, donor, channel, route,
  actors, place) is named in the quotes;
- a flow, a shipment's purpose and a claim's direction are stated in words.

Fields that are a reader's description or classification rather than a value
(ids, titles, descriptions, an event's kind, links between records, a claim's
kind, subjects and compared field, ``share_of``) are not read from words and
are not tested here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

import attrs
import pytest

from nkru.commodities import Commodity, commodity
from nkru.dataset import AnyRecord, Claim, Dataset, Direction
from nkru.errors import NkruError
from nkru.measures import Measure, Qualifier
from nkru.parsing import parse_measure, parse_period
from nkru.parties import Country, Organization, Person, Place, Region
from nkru.periods import Period, Precision
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.seed import MentionKind, find_mentions, load_seed_dataset

T = TypeVar("T")

#: The longest run of words tried as one figure or period.
_SPAN_WORDS: Final = 8

#: How the text names countries and regions (it uses no ISO codes).
_COUNTRY_WORDS: Final = {
    "RUS": ("russia",),
    "SUN": ("soviet", "ussr"),
    "PRK": ("north korea", "dprk", "the north", "pyongyang"),
    "KOR": ("south korea",),
    "USA": ("united states",),
    "JPN": ("japan",),
}
_REGION_WORDS: Final = {"RU-AMU": "amur", "RU-KEM": "kemerovo", "RU-MAG": "magadan", "RU-PRI": "primorsk"}
_FLOW_WORDS: Final = {Flow.EXPORT: "export", Flow.IMPORT: "import", Flow.TURNOVER: "turnover"}
_PURPOSE_WORDS: Final = {
    Purpose.HUMANITARIAN_AID: ("humanitarian",),
    Purpose.FOOD_ASSISTANCE: ("food assistance",),
    Purpose.OBLIGATION: ("obligation",),
    Purpose.COMMERCIAL: ("export", "trade"),
}
_DIRECTION_WORDS: Final = {
    Direction.INCREASE: ("grew", "increase", "jumped", "expanded", "rose"),
    Direction.DECREASE: ("dropped", "declined", "decreased", "fell"),
    Direction.UNCHANGED: ("remained",),
}
#: Number words that only scale or blur a figure: a range written with them alone states no bound.
_SCALE_WORDS: Final = frozenset(
    {"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "several", "few"}
)
_WORD = re.compile(r"\S+")


def _spans(quote: str) -> Iterator[tuple[tuple[int, int], str]]:
    """Every run of up to ``_SPAN_WORDS`` words of ``quote`` (first and last word), trimmed of punctuation."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(quote)]
    for first in range(len(words)):
        for last in range(first, min(first + _SPAN_WORDS, len(words))):
            text = quote[words[first][0] : words[last][1]].strip(",;:()\"'")
            if text:
                yield (first, last), text


def _longest(spans: list[tuple[tuple[int, int], str]], parse: Callable[[str], T]) -> list[tuple[str, T]]:
    """What ``parse`` reads from the words, longest phrase first, as a reader reads it.

    A reading inside a longer phrase the grammar also reads is not a reading
    of the text: "1965" in "from 1965 to 1968" is an end of a span, not the
    year 1965, and "890 tons" in "no more than 890 tons" is not exactly 890.
    """
    found: list[tuple[tuple[int, int], str, T]] = []
    for where, words in spans:
        try:
            found.append((where, words, parse(words)))
        except NkruError:
            continue
    return [
        (words, value)
        for where, words, value in found
        if not any(o[0] <= where[0] and where[1] <= o[1] and o != where for o, _, _ in found)
    ]


def _literal_measure(words: str, measure: Measure) -> bool:
    """False for a range whose bounds the words do not write ("several hundred thousand")."""
    return not (measure.qualifier is Qualifier.RANGE and measure.value is None and not _writes_bounds(words))


def _literal_period(period: Period) -> bool:
    """False for the parts of a period the grammar guesses (marked approximate) and a season's months."""
    return not period.approximate and period.precision is not Precision.SEASON


def _writes_bounds(words: str) -> bool:
    """True when ``words`` write two figures (a stated range), not a vague amount."""
    figures = [
        mention
        for mention in find_mentions(words)
        if mention.kind is MentionKind.NUMERAL
        or (mention.kind is MentionKind.NUMBER_WORD and mention.text.lower() not in _SCALE_WORDS)
    ]
    return len(figures) >= 2


class _Readings:
    """What nkru's grammar reads, literally, from a record's quotes."""

    def __init__(self, record: AnyRecord) -> None:
        self.text = " | ".join(record.quotes).lower()
        self.measures: list[Measure] = []
        self.periods: list[Period] = []
        self.commodities: list[Commodity] = []
        for quote in record.quotes:
            spans = list(_spans(quote))
            self.measures += [m for w, m in _longest(spans, parse_measure) if _literal_measure(w, m)]
            self.periods += [p for _, p in _longest(spans, parse_period) if _literal_period(p)]
            for _, words in spans:
                with contextlib.suppress(NkruError):
                    self.commodities.append(commodity(words))

    def names(self, party: object) -> bool:
        if isinstance(party, Country):
            return any(word in self.text for word in _COUNTRY_WORDS.get(party.code, ()))
        if isinstance(party, Region):
            return _REGION_WORDS.get(party.code, "\0") in self.text
        if isinstance(party, Place | Organization | Person):
            tokens = [t for t in re.split(r"[^\w]+", party.name.lower()) if len(t) > 3]
            return bool(tokens) and all(token in self.text for token in tokens)
        return False

    def states(self, measure: Measure, *, negated: bool = False) -> bool:
        if measure in self.measures:
            return True
        return negated and any(_negation(measure) == m for m in self.measures)

    def reads(self, period: Period) -> bool:
        return period in self.periods

    def names_goods(self, goods: Commodity) -> bool:
        if goods.hs is None:
            return goods in self.commodities
        return any(found.hs == goods.hs for found in self.commodities)


def _negation(measure: Measure) -> Measure:
    """The figure with its sign turned ("decreased by 91.1 percent" stored as a change of -91.1%)."""
    if measure.value is None or measure.lower is not None or measure.upper is not None:
        return measure
    return attrs.evolve(measure, value=-measure.value)


def _said(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def unread_fields(record: AnyRecord) -> list[str]:
    """The fields of ``record`` whose values its quotes do not give (inferred or not)."""
    read = _Readings(record)
    unread: list[str] = []

    def figure(name: str, value: Any, *, negated: bool = False) -> None:
        if isinstance(value, Measure) and not read.states(value, negated=negated):
            unread.append(name)

    def party(name: str, value: Any) -> None:
        if value is not None and not read.names(value):
            unread.append(name)

    if isinstance(record, TradeFlow | Shipment):
        for name in ("amount", "mass", "count"):
            figure(name, getattr(record, name))
        if record.period is not None and not read.reads(record.period):
            unread.append("period")
        if record.commodity is not None and not read.names_goods(record.commodity):
            unread.append("commodity")
    if isinstance(record, TradeFlow):
        figure("share", record.share)
        party("reporter", record.reporter)
        party("partner", record.partner)
        if _FLOW_WORDS.get(record.flow, "\0") not in read.text:
            unread.append("flow")
    elif isinstance(record, Shipment):
        for name in ("origin", "destination", "route", "donor", "channel"):
            party(name, getattr(record, name))
        words = _PURPOSE_WORDS.get(record.purpose)
        if words is not None and not _said(read.text, words):
            unread.append("purpose")
    elif isinstance(record, Event):
        if not read.reads(record.period):
            unread.append("period")
        party("place", record.place)
        if any(not read.names(actor) for actor in record.actors):
            unread.append("actors")
        if any(not read.states(measure) for measure in record.measures):
            unread.append("measures")
    elif isinstance(record, Claim):
        figure("stated", record.stated, negated=record.direction is Direction.DECREASE)
        if record.direction is not None and not _said(read.text, _DIRECTION_WORDS[record.direction]):
            unread.append("direction")
    return unread


def unflagged(dataset: Dataset) -> list[str]:
    """``record id: field`` for every field not read from the quotes and not flagged inferred."""
    return [
        f"{record.id}: {name}" for record in dataset for name in unread_fields(record) if name not in record.inferred
    ]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_seed_dataset()


class TestEveryInferenceIsFlagged:
    def test_no_field_is_inferred_without_a_flag(self, ds: Dataset) -> None:
        assert unflagged(ds) == []

    def test_every_flagged_record_says_why(self, ds: Dataset) -> None:
        assert [record.id for record in ds if record.inferred and not record.notes] == []


class TestTheRuleCanFail:
    """The rule catches each kind of unflagged reading the audit found (issue 14, item 2)."""

    def test_a_party_the_quote_does_not_name(self) -> None:
        flow = _flow("total exports of mineral fuel oil jumped from $20 million in 2002", "$20 million", "in 2002")
        assert unread_fields(flow) == ["reporter", "partner"]

    def test_a_vague_amount_read_as_a_range_is_a_convention(self) -> None:
        words = "plans to rent several hundred thousand hectares in 2011"
        event = Event(
            id="e",
            sources=(_source(words),),
            kind=_plan(),
            period=parse_period("in 2011"),
            title="t",
            measures=(parse_measure("several hundred thousand hectares"),),
        )
        assert unread_fields(event) == ["measures"]
        written = Event(
            id="e",
            sources=(_source("plans to rent 200–300 hectares in 2011"),),
            kind=_plan(),
            period=parse_period("in 2011"),
            title="t",
            measures=(parse_measure("200–300 hectares"),),
        )
        assert unread_fields(written) == []

    def test_a_guessed_part_of_a_month_is_a_convention(self) -> None:
        event = Event(
            id="e",
            sources=(_source("On early September 2011 it was reported"),),
            kind=_plan(),
            period=parse_period("early September 2011"),
            title="t",
        )
        assert unread_fields(event) == ["period"]

    def test_a_year_the_words_do_not_give(self) -> None:
        shipment = Shipment(id="s", sources=(_source("aid expanded from 1965 to 1968"),), period=Period.year(1965))
        assert unread_fields(shipment) == ["period"]

    def test_a_commodity_code_the_quotes_do_not_name(self) -> None:
        flow = _flow("Russia's exports to North Korea: $96 million in 2003", "$96 million", "in 2003")
        assert unread_fields(attrs_evolve(flow, commodity=commodity("mineral fuel oil"))) == ["commodity"]

    def test_flagging_the_field_satisfies_the_rule(self) -> None:
        flow = _flow("total exports of mineral fuel oil jumped from $20 million in 2002", "$20 million", "in 2002")
        flagged = attrs_evolve(flow, inferred=("reporter", "partner"), notes=("The sentence names no country.",))
        assert unflagged(Dataset(trade_flows=(flagged,))) == []
        assert unflagged(Dataset(trade_flows=(flow,))) == ["t: reporter", "t: partner"]


def attrs_evolve(record: Any, **changes: Any) -> Any:
    return attrs.evolve(record, **changes)


def _source(words: str) -> Source:
    return Source(document="doc", start=0, end=len(words), quote=words)


def _plan() -> EventKind:
    return EventKind.PLAN


def _flow(words: str, figure: str, when: str) -> TradeFlow:
    return TradeFlow(
        id="t",
        sources=(_source(words),),
        reporter=Country("RUS"),
        partner=Country("PRK"),
        flow=Flow.EXPORT,
        period=parse_period(when),
        amount=parse_measure(figure),
    )

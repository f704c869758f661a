"""The seed dataset: every fact of the source document as typed records.

nkru ships one source document verbatim, ``000_915295fa7ca42148`` (a short text
on the economic relations between North Korea and Russia), and its content as
data: trade flows, shipments, events and the claims the text makes about its
own figures. Every record cites the exact words it came from, by character
offsets into :func:`seed_text`.

>>> ds = load_seed_dataset()
>>> flow = ds.get("tf.turnover.1990")
>>> flow.amount.value
<Quantity(1.97e+09, 'USD')>
>>> source = flow.sources[0]
>>> seed_text()[source.start : source.end] == source.quote
True

**Coverage.** :func:`find_mentions` lists every place where the text states a
number or a date, and :func:`uncovered_mentions` those that no record cites
and no :data:`EXCLUSIONS` entry sets aside; for the shipped dataset that list
is empty, and the test suite keeps it so. What counts as a mention:

- a numeral: a run of ASCII digits, with ``,`` or ``.`` allowed between
  digits ("830,000", "1.97", "19.8.2011"); digits inside words count too
  ("US$1", "5m", "5th", "mid-1990s", "Tebaeksan-96");
- a number word: zero to nineteen, the tens, hundred, thousand, million,
  billion, trillion (and their plurals); the vague and multiplying words
  several, few, dozen(s), half, once, twice, thrice, double, triple; the
  ordinals first to tenth;
- a date word: the month names (capitalised, so the verb "may" is not one),
  the days of the week, the seasons (spring, summer, fall, autumn, winter)
  and the calendar units day, week, month, quarter, year, decade (and their
  plurals), which carry relative dates ("A week later", "Few days after",
  "the same period of the previous year").

Not counted: qualifiers ("about", "some", "no more than", "a mere"), "no" and
"none" (the zero they state is carried by the record that cites them), and
words of degree ("much", "most", "large").
"""

from __future__ import annotations

import enum
import functools
import importlib.resources
import re
from typing import Final

import attrs

from nkru._core.text import text_validator
from nkru.dataset import Dataset
from nkru.records import Source
from nkru.serialization import from_json

__all__ = [
    "EXCLUSIONS",
    "SEED_DOCUMENT_ID",
    "Exclusion",
    "Mention",
    "MentionKind",
    "find_mentions",
    "load_seed_dataset",
    "seed_text",
    "uncovered_mentions",
]

SEED_DOCUMENT_ID: Final = "000_915295fa7ca42148"
"""The id of the source document, as every :class:`~nkru.records.Source` of the seed names it."""

_TEXT_FILE: Final = f"{SEED_DOCUMENT_ID}.txt"
_DATA_FILE: Final = "seed.json"


@attrs.frozen(kw_only=True)
class Exclusion:
    """Words of the source that state a number but are deliberately carried by no record.

    Args:
        source: The words set aside, with their offsets.
        reason: Why they are not data.
    """

    source: Source = attrs.field(validator=attrs.validators.instance_of(Source))
    reason: str = attrs.field(validator=text_validator(1000))


EXCLUSIONS: Final[tuple[Exclusion, ...]] = (
    Exclusion(
        source=Source(document=SEED_DOCUMENT_ID, start=6416, end=6442, quote="Herbert Hoover (1874–1964)"),
        reason=(
            "Life dates of the author of a quotation in the closing 'Famous quotes' section, "
            "which is page furniture of the web page the text was taken from, not data."
        ),
    ),
    Exclusion(
        source=Source(
            document=SEED_DOCUMENT_ID, start=6565, end=6609, quote="Ellen Henrietta Swallow Richards (1842–1911)"
        ),
        reason=(
            "Life dates of the author of a quotation in the closing 'Famous quotes' section, "
            "which is page furniture of the web page the text was taken from, not data."
        ),
    ),
)
"""Numbers in the source that no record carries, each with the reason."""


@functools.cache
def seed_text() -> str:
    """Return the source document, verbatim, as shipped in the package.

    >>> seed_text().startswith("North Korea–Russia Relations")
    True
    """
    return importlib.resources.files("nkru").joinpath("data", _TEXT_FILE).read_text(encoding="utf-8")


@functools.cache
def load_seed_dataset() -> Dataset:
    """Return the seed dataset: every fact of the source document as typed records.

    The records are read from the JSON file inside the package and validated
    by nkru's converter; the result is cached (a :class:`~nkru.dataset.Dataset`
    is immutable, so every caller can share it).

    Raises:
        StructureError: the packaged file is damaged.

    >>> ds = load_seed_dataset()
    >>> ds.get("sh.freight.khasan.1989").mass.value
    <Quantity(830000.0, 'metric_ton')>
    """
    data = importlib.resources.files("nkru").joinpath("data", _DATA_FILE).read_bytes()
    return from_json(data, Dataset)


class MentionKind(enum.Enum):
    """What kind of words a :class:`Mention` is."""

    NUMERAL = "numeral"
    NUMBER_WORD = "number_word"
    ORDINAL = "ordinal"
    DATE_WORD = "date_word"


@attrs.frozen
class Mention:
    """Words of a text that state a number or a date, with their offsets.

    Args:
        start: Offset of the first character.
        end: Offset just past the last character.
        text: The words (``text[start:end]`` of the document).
        kind: Numeral, number word, ordinal or date word.
    """

    start: int
    end: int
    text: str
    kind: MentionKind


# Alternations for the mention pattern; see the module documentation for why these words count.
_NUMBER_WORDS: Final = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundreds?|thousands?|millions?|billions?|trillions?|several|few|dozens?|half|once|twice|thrice|double|triple"
)
_ORDINALS: Final = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
_DATE_WORDS: Final = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|fall|autumn|winter|"
    "days?|weeks?|months?|quarters?|years?|decades?"
)
#: Matched with their capital letter only, so the verb "may" and the like are not dates.
_MONTHS: Final = "January|February|March|April|May|June|July|August|September|October|November|December"

_MENTION: Final = re.compile(
    r"(?P<numeral>[0-9]+(?:[.,][0-9]+)*)"
    rf"|\b(?P<number_word>(?i:{_NUMBER_WORDS}))\b"
    rf"|\b(?P<ordinal>(?i:{_ORDINALS}))\b"
    rf"|\b(?P<date_word>(?i:{_DATE_WORDS})|{_MONTHS})\b"
)


def find_mentions(text: str) -> tuple[Mention, ...]:
    """Return every numeral, number word, ordinal and date word in ``text``, in order.

    See the module documentation for what counts.

    >>> [m.text for m in find_mentions("A week later, Ninety three of the 1,070 tons; the 5th on 19.8.2011.")]
    ['week', 'Ninety', 'three', '1,070', '5', '19.8.2011']
    >>> find_mentions("may be several")[0].kind
    <MentionKind.NUMBER_WORD: 'number_word'>
    """
    found = []
    for match in _MENTION.finditer(text):
        kind = MentionKind(match.lastgroup)
        found.append(Mention(match.start(), match.end(), match.group(), kind))
    return tuple(found)


def uncovered_mentions(
    dataset: Dataset,
    text: str | None = None,
    exclusions: tuple[Exclusion, ...] = EXCLUSIONS,
    *,
    document: str = SEED_DOCUMENT_ID,
) -> tuple[Mention, ...]:
    """Return the mentions of numbers and dates in ``text`` that nothing accounts for.

    A mention is accounted for when it lies wholly within the words a record
    of ``dataset`` cites from ``document``, or within an exclusion.

    Args:
        dataset: The records.
        text: The document; the seed text by default.
        exclusions: Words set aside on purpose; :data:`EXCLUSIONS` by default.
        document: The document id the citations must name.

    Returns:
        The mentions no citation and no exclusion covers, in text order.

    >>> uncovered_mentions(load_seed_dataset())
    ()
    >>> [m.text for m in uncovered_mentions(Dataset(), "In 1999: 80 tons.", ())]
    ['1999', '80']
    """
    source_text = seed_text() if text is None else text
    spans = [
        (source.start, source.end) for record in dataset for source in record.sources if source.document == document
    ]
    spans.extend(
        (exclusion.source.start, exclusion.source.end)
        for exclusion in exclusions
        if exclusion.source.document == document
    )
    return tuple(
        mention
        for mention in find_mentions(source_text)
        if not any(start <= mention.start and mention.end <= end for start, end in spans)
    )

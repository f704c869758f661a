"""Build nkru's seed dataset from the source document ``seeds/000_915295fa7ca42148.txt``.

Usage::

    .venv/bin/python tools/build_seed.py            # rewrite src/nkru/data/seed.json (and the text copy)
    .venv/bin/python tools/build_seed.py --check    # exit 1 if the shipped files differ

Every record of the seed is declared here, in the order of the text. Each one
cites its words with :func:`cite`, which finds them in the text by exact
search and fails if they are missing or ambiguous; figures and periods are
read from words inside those citations (:func:`amount`, :func:`when`) with
nkru's own grammar, so a figure cannot drift from its quote. Where a reader's
judgement enters (a year the text leaves out, old roubles, a party, a flow),
the record lists the field in ``inferred`` and says why in ``notes``.

The script then checks that every number and date of the text is cited by a
record or set aside in :data:`nkru.seed.EXCLUSIONS`, and writes the dataset
with :func:`nkru.to_json`. Running it twice gives the same bytes.

Readings worth knowing before editing (each is repeated in the record's notes):

* "dropped from US$1 billion ... to $1.97 billion in 1990": the figures are
  recorded as stated and the stated direction goes into a claim; the checker
  judges it.
* "(6,092 tons)" after "decreased by 91.1 percent" is read as the volume left
  in January-March 2006, not as the size of the fall (see
  ``tf.exports.petroleum.2006-jan-mar``).
* "3.5 billion rubles, in December" 1997 are pre-1998 roubles (RUR): the
  redenomination took effect on 1998-01-01.
* "On 2 February" is 2 February 2012: the ambassador speaks of 2011 as past.
"""

# ruff: noqa: T201, INP001 - a command-line script that reports what it did; not a package

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import attrs

from nkru.commodities import HS_BY_LABEL, Commodity, commodity
from nkru.dataset import AnyRecord, Claim, ClaimKind, Dataset, Direction
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing import parse_measure, parse_period
from nkru.parties import Country, Organization, OrganizationKind, Person, Place, PlaceKind, Region
from nkru.periods import Period, Precision
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.seed import EXCLUSIONS, SEED_DOCUMENT_ID, find_mentions, uncovered_mentions
from nkru.serialization import to_json
from nkru.units import quantity

ROOT = Path(__file__).resolve().parents[1]
SEED_FILE = ROOT / "seeds" / f"{SEED_DOCUMENT_ID}.txt"
DATA = ROOT / "src" / "nkru" / "data"
JSON_FILE = DATA / "seed.json"
TEXT_COPY = DATA / f"{SEED_DOCUMENT_ID}.txt"

TEXT = SEED_FILE.read_text(encoding="utf-8")


class SeedError(Exception):
    """A quote or a figure of the build script does not match the text."""


# -- reading the text ---------------------------------------------------------------------------


def cite(quote: str, occurrence: int | None = None) -> Source:
    """Return the citation of ``quote``: where it stands in the text.

    Without ``occurrence`` the quote must occur exactly once; with it, the
    ``occurrence``-th time (1-based) is cited.
    """
    starts = []
    position = TEXT.find(quote)
    while position != -1:
        starts.append(position)
        position = TEXT.find(quote, position + 1)
    if not starts:
        raise SeedError(f"quote not found in the text: {quote!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise SeedError(f"quote occurs {len(starts)} times, say which: {quote!r}")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise SeedError(f"quote occurs {len(starts)} times, not {occurrence}: {quote!r}")
    start = starts[occurrence - 1]
    return Source(document=SEED_DOCUMENT_ID, start=start, end=start + len(quote), quote=quote)


def _inside(words: str, source: Source) -> None:
    if words not in source.quote:
        raise SeedError(f"{words!r} is not part of the cited words {source.quote!r}")


def amount(words: str, source: Source) -> Measure:
    """Read a figure from ``words``, which must be part of the citation ``source``."""
    _inside(words, source)
    return parse_measure(words)


def when(words: str, source: Source, *, year: int | None = None) -> Period:
    """Read a period from ``words``, part of ``source``; ``year`` where the text gives none."""
    _inside(words, source)
    return parse_period(words, year=year)


def figure(measure: Measure) -> float:
    """The single stated figure of ``measure`` (an error for a range)."""
    if measure.value is None:
        raise SeedError(f"expected a single figure, got a range: {measure}")
    return float(measure.value.magnitude)


def approximate(period: Period) -> Period:
    """The same period, marked as approximate."""
    return Period(period.start, period.end, period.precision, approximate=True)


def days(first: dt.date, last: dt.date) -> Period:
    """An approximate span of days (for dates a reader works out from "a week later")."""
    return Period(first, last, Precision.DAYS, approximate=True)


def tonnes(magnitude: float) -> Measure:
    """An exact mass in metric tonnes (for figures the text gives in words, such as "no")."""
    return Measure(quantity(magnitude, "t"))


# -- parties, places, goods ---------------------------------------------------------------------


def goods(words: str) -> Commodity:
    """The commodity ``words`` name, under the one label the dataset gives its HS code.

    Records of one HS code carry one label, so that grouping by commodity does
    not split them ("grains" and "food grains" are both HS 10): the first label
    :data:`nkru.commodities.HS_BY_LABEL` lists for the code. The text's own
    wording stays in the record's quote.
    """
    found = commodity(words)
    if found.hs is None:
        return found
    label = next(label for label, code in HS_BY_LABEL.items() if code == found.hs)
    return Commodity(label, hs=found.hs)


SUN = Country("SUN")
RUS = Country("RUS")
PRK = Country("PRK")
KOR = Country("KOR")
USA = Country("USA")
JPN = Country("JPN")

KREMLIN = Organization(name="the Kremlin", kind=OrganizationKind.GOVERNMENT, country=RUS)
KAMAZ = Organization(name="Kamaz", kind=OrganizationKind.COMPANY, country=RUS)
GAZPROM = Organization(name="Gazprom", kind=OrganizationKind.COMPANY, country=RUS)
INTERFAX = Organization(name="Interfax", kind=OrganizationKind.MEDIA, country=RUS)
WFP = Organization(name="World Food Programme", kind=OrganizationKind.INTERNATIONAL)

KIM_JONG_IL = Person(name="Kim Jong-il", country=PRK, role="leader of North Korea")
ISHAYEV = Person(name="Viktor Ishayev", country=RUS, role="presidential envoy to Russia's Far East")
BASARGIN = Person(name="Viktor Basargin", country=RUS, role="Minister of Regional Development")
CHOE_YONG_RIM = Person(name="Choe Yong-rim", country=PRK, role="premier of North Korea")
SUKHININ = Person(name="Sukhinin", country=RUS, role="Russian ambassador to North Korea")

KHASAN = Place(name="Khasan", kind=PlaceKind.BORDER_STATION, country=RUS, region=Region("RU-PRI"))
TUMANGANG = Place(name="Tumangang", kind=PlaceKind.BORDER_STATION, country=PRK)
KHASAN_TUMANGANG = Place(name="Khasan–Tumangang border crossing", kind=PlaceKind.BORDER_CROSSING)
PYONGSONG = Place(name="Pyongsong", kind=PlaceKind.CITY, country=PRK, region=Region("KP-02"))
MANSUDAE = Place(name="Mansudae Assembly Hall", kind=PlaceKind.BUILDING, country=PRK, region=Region("KP-01"))
SIBERIA_AND_FAR_EAST = Place(name="Siberia and the Far East", kind=PlaceKind.AREA, country=RUS)
AMUR = Region("RU-AMU")

GRAIN = goods("grains")
FUEL_OIL = goods("mineral fuel oil")
PETROLEUM_PRODUCTS = goods("petroleum products")
FREIGHT = Commodity("freight")

# The days the 2011 paragraph counts from. The text dates the Kremlin's statement to 19.8.2011
# and puts Kim Jong-il's visit to Russia after it ("ahead of"); Ishayev spoke "few days after"
# the visit of deliveries to "begin ... in September", future tense, so the visit is read as
# ending by 31 August 2011. "Few days" is read as 2 to 7 days.
PLEDGE_DAY = dt.date(2011, 8, 19)
VISIT_FIRST, VISIT_LAST = PLEDGE_DAY + dt.timedelta(days=1), dt.date(2011, 8, 31)
DELEGATION_FIRST = VISIT_FIRST + dt.timedelta(days=2) + dt.timedelta(weeks=1)
DELEGATION_LAST = VISIT_LAST + dt.timedelta(days=7) + dt.timedelta(weeks=1)
FRIDAYS = [
    DELEGATION_FIRST + dt.timedelta(days=n)
    for n in range((DELEGATION_LAST - DELEGATION_FIRST).days + 1)
    if (DELEGATION_FIRST + dt.timedelta(days=n)).weekday() == 4
]
DELEGATION_NOTE = (
    f"The text dates this only relative to other events: the Kremlin's statement of 19 August 2011 came "
    f"'ahead of' Kim Jong-il's visit to Russia, Ishayev spoke 'few days after' the visit, and the delegation "
    f"came 'a week later'. Reading the visit as ending by 31 August 2011 (Ishayev spoke of September in the "
    f"future tense) and 'few days' as 2 to 7, the day lies between {DELEGATION_FIRST.isoformat()} and "
    f"{DELEGATION_LAST.isoformat()}; the text says it was a Friday, which in that window is "
    f"{' or '.join(day.isoformat() for day in FRIDAYS)}."
)


# -- trade flows --------------------------------------------------------------------------------


def trade_flows() -> list[TradeFlow]:  # noqa: PLR0915 - one declaration per figure of the text, in order
    """The trade flows of the text, in text order."""
    flows: list[TradeFlow] = []

    s = cite(
        "In 1988, at the peak of the bilateral relationship, about 60% of North Korea's trade was with the Soviet Union"
    )
    flows.append(
        TradeFlow(
            id="tf.share.prk-sun.1988",
            sources=(s,),
            notes=(
                "North Korea's trade with the Soviet Union as a share of all North Korea's foreign trade in 1988.",
                "The text calls 1988 'the peak of the bilateral relationship'.",
            ),
            reporter=PRK,
            partner=SUN,
            flow=Flow.TURNOVER,
            period=when("In 1988", s),
            share=amount("about 60%", s),
            share_of="North Korea's total foreign trade",
        )
    )

    s = cite(
        "Trade turnover between the two states had dropped from US$1 billion, during the peak of the "
        "Soviet-DPRK trade in the late 1980s"
    )
    flows.append(
        TradeFlow(
            id="tf.turnover.late-1980s",
            sources=(s,),
            notes=(
                "Soviet-DPRK trade turnover at its peak in the late 1980s, as stated; the text gives no single year.",
                "The reporter is the Soviet Union: 'the two states' before 1992 are the USSR and the DPRK.",
                (
                    "The text says turnover 'dropped' from this figure to $1.97 billion in 1990; see the claim "
                    "cl.turnover.dropped.late-1980s-1990."
                ),
            ),
            inferred=("reporter",),
            reporter=SUN,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=when("the late 1980s", s),
            amount=amount("US$1 billion", s),
        )
    )

    s = cite("to $1.97 billion in 1990")
    flows.append(
        TradeFlow(
            id="tf.turnover.1990",
            sources=(s,),
            notes=(
                "Soviet-DPRK trade turnover in 1990, as stated ('$' read as US dollars, as in 'US$1 billion' before it).",
                "The reporter is the Soviet Union, which still existed in 1990.",
            ),
            inferred=("reporter",),
            reporter=SUN,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=when("in 1990", s),
            amount=amount("$1.97 billion", s),
        )
    )

    s = cite("to $0.58 billion in 1991")
    flows.append(
        TradeFlow(
            id="tf.turnover.1991",
            sources=(s,),
            notes=(
                "Soviet-DPRK trade turnover in 1991, as stated.",
                "The reporter is the Soviet Union, which existed until December 1991.",
            ),
            inferred=("reporter",),
            reporter=SUN,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=when("in 1991", s),
            amount=amount("$0.58 billion", s),
        )
    )

    s = cite("in 1993, export levels had declined to a mere 10% of its previous contributions")
    flows.append(
        TradeFlow(
            id="tf.exports.1993",
            sources=(s,),
            notes=(
                (
                    "Russia's exports to North Korea in 1993; the text gives no amount, only that they were 'a mere "
                    "10% of its previous contributions'. That is a level relative to an earlier level of the same "
                    "exports, not a share of a whole: it is kept in relative_level, with relative_base unset because "
                    "the text does not say which earlier period, and in the claim cl.exports.declined.1993."
                ),
                (
                    "Read as Russia's exports (the sentence continues the account of Russia's trade with the DPRK); "
                    "the text does not say whose exports."
                ),
                (
                    "Which earlier level 'previous contributions' means is not stated; the claim takes the "
                    "late-1980s peak the text names (US$1 billion). Other readings: 1990 ($1.97 billion) or "
                    "1991 ($0.58 billion)."
                ),
            ),
            inferred=("reporter", "partner"),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 1993", s),
            relative_level=amount("10%", s),
        )
    )

    s = cite("By 1999 the number stood at US$80 million")
    flows.append(
        TradeFlow(
            id="tf.turnover.1999",
            sources=(s,),
            notes=(
                (
                    "Russia-DPRK trade turnover in 1999: 'the number' continues the turnover series of the "
                    "preceding sentences."
                ),
                "'By 1999' is read as the figure for the year 1999.",
            ),
            inferred=("flow", "period"),
            reporter=RUS,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=when("1999", s),
            amount=amount("US$80 million", s),
        )
    )

    s = cite("total exports of mineral fuel oil jumped from $20 million in 2002")
    flows.append(
        TradeFlow(
            id="tf.exports.fuel-oil.2002",
            sources=(s,),
            notes=("Russia's exports of mineral fuel oil to North Korea in 2002.",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 2002", s),
            commodity=FUEL_OIL,
            amount=amount("$20 million", s),
        )
    )

    s = cite("to $96 million in 2003")
    flows.append(
        TradeFlow(
            id="tf.exports.fuel-oil.2003",
            sources=(s, cite("The large increase in 2003 came mostly in refined oil")),
            notes=(
                "Russia's exports of mineral fuel oil to North Korea in 2003.",
                (
                    "The text explains it as the bulk of a 'large increase' of Russia's exports in 2003, mostly "
                    "refined oil; the total for 2003 is not given."
                ),
            ),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 2003", s),
            commodity=FUEL_OIL,
            amount=amount("$96 million", s),
        )
    )

    span = cite("During 2000–2005")
    s = cite("trade grew from US$105 million")
    flows.append(
        TradeFlow(
            id="tf.turnover.2000",
            sources=(span, s),
            notes=(
                "Russia-DPRK trade turnover at the start of 'During 2000–2005', read as the year 2000.",
                "'trade' is read as turnover (exports plus imports).",
            ),
            inferred=("flow", "period"),
            reporter=RUS,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=Period.year(when("During 2000–2005", span).start.year),
            amount=amount("US$105 million", s),
        )
    )

    s = cite("to US$172.3 million")
    nine_months_source = cite("The value of Russian exports for the first nine months of 2005 reached US$168.7 million")
    flows.append(
        TradeFlow(
            id="tf.turnover.2005",
            sources=(span, s),
            notes=(
                "Russia-DPRK trade turnover at the end of 'During 2000–2005', read as the year 2005.",
                "'trade' is read as turnover (exports plus imports).",
                (
                    "Another reading, kept in likely_period: US$172.3 million is exactly the next sentence's exports "
                    "plus imports for January-September 2005 (168.7 + 3.6), so the figure is likely the turnover of "
                    "those nine months, not of the calendar year. The period is kept as the text states it; a claim "
                    "that compares this figure with a full year (the 64% growth from 2000) cannot be confirmed."
                ),
            ),
            inferred=("flow", "period", "likely_period"),
            reporter=RUS,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=Period.year(when("During 2000–2005", span).end.year),
            likely_period=when("first nine months of 2005", nine_months_source),
            amount=amount("US$172.3 million", s),
        )
    )

    s = nine_months_source
    nine_months = when("first nine months of 2005", s)
    exports_2005 = amount("US$168.7 million", s)
    flows.append(
        TradeFlow(
            id="tf.exports.2005-jan-sep",
            sources=(s,),
            notes=("Russia's exports to North Korea in January to September 2005.",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=nine_months,
            amount=exports_2005,
        )
    )

    s = cite("while imports were estimated at US$3.6 million")
    flows.append(
        TradeFlow(
            id="tf.imports.2005-jan-sep",
            sources=(s,),
            notes=(
                "Russia's imports from North Korea, an estimate.",
                "The period is read from the same sentence's 'first nine months of 2005'.",
            ),
            inferred=("period",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.IMPORT,
            period=nine_months,
            amount=amount("estimated at US$3.6 million", s),
        )
    )

    items = (
        ("tf.exports.oil-products.2005-jan-sep", "oil products (63%)", "oil products", "63%", "oil products"),
        (
            "tf.exports.ferrous-metal.2005-jan-sep",
            "ferrous metal and steel production (8%)",
            "ferrous metal and steel",
            "8%",
            "ferrous metal and steel production",
        ),
        (
            "tf.exports.machinery.2005-jan-sep",
            "machinery and equipment (8%)",
            "machinery and equipment",
            "8%",
            "machinery and equipment",
        ),
    )
    heading = cite("Russia's main export items were")
    for record_id, quote, label, share, words in items:
        s = cite(quote)
        flows.append(
            TradeFlow(
                id=record_id,
                sources=(heading, s),
                notes=(
                    f"Share of '{words}' in Russia's exports to North Korea.",
                    (
                        "The period is not stated; it is read as that of the sentence before, the first nine "
                        "months of 2005."
                    ),
                ),
                inferred=("period",),
                reporter=RUS,
                partner=PRK,
                flow=Flow.EXPORT,
                period=nine_months,
                commodity=goods(label),
                share=amount(share, s),
                share_of="Russia's exports to North Korea",
            )
        )

    s = cite("Russian exports of grains to North Korea was no more than 890 tons in 2002")
    flows.append(
        TradeFlow(
            id="tf.exports.grain.2002",
            sources=(s,),
            notes=(
                "Russia's grain exports to North Korea in 2002: at most 890 tonnes ('tons' read as metric tonnes).",
            ),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 2002", s),
            commodity=GRAIN,
            mass=amount("no more than 890 tons", s),
        )
    )

    s = cite("increased to 1,070 tons (mainly wheat) in 2003")
    flows.append(
        TradeFlow(
            id="tf.exports.grain.2003",
            sources=(s,),
            notes=("Russia's grain exports to North Korea in 2003, 'mainly wheat'.",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 2003", s),
            commodity=GRAIN,
            mass=amount("1,070 tons", s),
        )
    )

    s = cite("and to 34,716 tons ($5.31 million) in 2004")
    flows.append(
        TradeFlow(
            id="tf.exports.grain.2004",
            sources=(s,),
            notes=("Russia's grain exports to North Korea in 2004, by weight and by value.",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("in 2004", s),
            commodity=GRAIN,
            mass=amount("34,716 tons", s),
            amount=amount("$5.31 million", s),
        )
    )

    s = cite("In 2005, however, there were no Russian grain export to the North again")
    flows.append(
        TradeFlow(
            id="tf.exports.grain.2005",
            sources=(s,),
            notes=(
                "No grain exports from Russia to North Korea in 2005: recorded as zero tonnes.",
                "'again' suggests an earlier year without grain exports; the text does not say which.",
            ),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=when("In 2005", s),
            commodity=GRAIN,
            mass=tonnes(0),
        )
    )

    published = cite("Russia published trade statistics only from January to March 2006")
    quarter = when("from January to March 2006", published)
    previous = cite("compared to the same period of the previous year")
    fall = cite("drastically decreased by 91.1 percent (6,092 tons)")
    remaining = amount("6,092 tons", fall)
    rate = amount("91.1 percent", fall)
    left = 1 - figure(rate) / 100
    half_left, half_rate = 0.5 * (remaining.resolution or 0), 0.5 * (rate.resolution or 0) / 100
    base = Measure(
        quantity(round(figure(remaining) / left), "t"),
        Qualifier.APPROXIMATE,
        lower=quantity(int((figure(remaining) - half_left) / (left + half_rate)), "t"),
        upper=quantity(int((figure(remaining) + half_left) / (left - half_rate)) + 1, "t"),
        status=ObsStatus.DERIVED,
    )
    # The other reading, "decreased by 6,092 tons", against the text's own value of oil exports.
    other_base = figure(remaining) / (figure(rate) / 100)
    oil_per_quarter = figure(amount("63%", cite("oil products (63%)"))) / 100 * figure(exports_2005) / 3
    reading = (
        "'(6,092 tons)' after 'decreased by 91.1 percent' is read as the volume exported in January-March 2006, "
        "not as the size of the decrease. Both are grammatical. The other reading would put January-March 2005 at "
        f"6,092 / 0.911 = {other_base:,.0f} t. But oil products were 63% of the US$168.7 million of exports in "
        f"January-September 2005, about US${oil_per_quarter / 1e6:.1f} million a quarter, which for "
        f"{other_base:,.0f} t would be about US${oil_per_quarter / other_base:,.0f} a tonne: a reader's judgement "
        "is that no oil product cost that much. The chosen reading gives about "
        f"{figure(remaining) / left:,.0f} t for January-March 2005."
    )
    flows.append(
        TradeFlow(
            id="tf.exports.petroleum.2005-jan-mar",
            sources=(previous, fall),
            notes=(
                (
                    "Russia's exports of petroleum products to North Korea in January-March 2005, the base of the "
                    "stated 91.1 percent decrease. The text gives no figure for it."
                ),
                (
                    f"The mass is derived, not stated: 6,092 t / (1 - 0.911) = {base.point.magnitude:.0f} t, with bounds "
                    f"from the rounding of both stated figures. Its status is DERIVED, so the 91.1% claim cannot be "
                    f"confirmed by it."
                ),
                reading,
            ),
            inferred=("mass", "period"),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=Period.months(quarter.start.year - 1, quarter.start.month, quarter.end.month),
            commodity=PETROLEUM_PRODUCTS,
            mass=base,
        )
    )
    flows.append(
        TradeFlow(
            id="tf.exports.petroleum.2006-jan-mar",
            sources=(published, fall),
            notes=(
                (
                    "Russia's exports of petroleum products to North Korea in January-March 2006, the only months of "
                    "2006 for which Russia had published trade statistics at the time of the nuclear test of "
                    "October 2006."
                ),
                reading,
            ),
            inferred=("mass",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=quarter,
            commodity=PETROLEUM_PRODUCTS,
            mass=remaining,
        )
    )

    s = cite("while exports of food grains remained zero")
    flows.append(
        TradeFlow(
            id="tf.exports.grain.2006-jan-mar",
            sources=(published, s),
            notes=("Russia's exports of food grains to North Korea in January-March 2006: zero.",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.EXPORT,
            period=quarter,
            commodity=goods("food grains"),
            mass=tonnes(0),
        )
    )

    s = cite(
        "of the overall bilateral economic trade between Russia and North Korea, 80% consists of cooperation and "
        "investment between North Korea and Russian regional areas"
    )
    flows.append(
        TradeFlow(
            id="tf.share.russian-regions",
            sources=(s,),
            notes=(
                "The share of Russia's regions (as opposed to the federal level) in Russia-DPRK economic trade.",
                (
                    "The text gives no date. The paragraph follows the statements of 2011 and February 2012, so the "
                    "period is read as 2011-2012, approximately."
                ),
            ),
            inferred=("period",),
            reporter=RUS,
            partner=PRK,
            flow=Flow.TURNOVER,
            period=approximate(Period.years(2011, 2012)),
            share=amount("80%", s),
            share_of="overall bilateral economic trade between Russia and North Korea",
        )
    )
    return flows


# -- shipments ----------------------------------------------------------------------------------


def shipments() -> list[Shipment]:
    """The shipments of the text: freight, aid and deliveries, in text order."""
    ships: list[Shipment] = []

    s = cite("Soviet aid to the DPRK indeed expanded from 1965 to 1968")
    expansion = when("from 1965 to 1968", s)
    ships.extend(
        Shipment(
            id=f"sh.aid.soviet.{year}",
            sources=(s,),
            notes=(
                f"Soviet aid to North Korea in {year}, one end of the stated expansion 'from 1965 to 1968'.",
                (
                    "The text gives no amount or kind of aid; the record exists so that the claim "
                    "cl.soviet-aid.expanded.1965-1968 has its two ends."
                ),
            ),
            origin=SUN,
            destination=PRK,
            donor=SUN,
            period=Period.year(year),
        )
        for year in (expansion.start.year, expansion.end.year)
    )

    s = cite(
        "In 1989, 830,000 tons of freight passed through the border from Russia (Khasan) to North Korea (Tumangang)"
    )
    ships.append(
        Shipment(
            id="sh.freight.khasan.1989",
            sources=(s,),
            notes=(
                (
                    "Freight from Russia to North Korea through the Khasan-Tumangang border crossing in 1989 "
                    "('tons' read as metric tonnes)."
                ),
                "In 1989 Khasan was in the Russian republic of the Soviet Union; the text says 'Russia'.",
            ),
            commodity=FREIGHT,
            mass=amount("830,000 tons", s),
            origin=KHASAN,
            destination=TUMANGANG,
            route=KHASAN_TUMANGANG,
            period=when("In 1989", s),
        )
    )

    s = cite("By 1998 this number stood at 150,000 tons")
    ships.append(
        Shipment(
            id="sh.freight.khasan.1998",
            sources=(s,),
            notes=(
                (
                    "Freight from Russia to North Korea through the Khasan-Tumangang border crossing in 1998: 'this "
                    "number' refers to the 1989 freight figure of the sentence before."
                ),
                "'By 1998' is read as the figure for the year 1998.",
            ),
            inferred=("commodity", "origin", "destination", "route", "period"),
            commodity=FREIGHT,
            mass=amount("150,000 tons", s),
            origin=KHASAN,
            destination=TUMANGANG,
            route=KHASAN_TUMANGANG,
            period=when("1998", s),
        )
    )

    twice = cite("Russia delivered humanitarian aid to North Korea twice in 1997")
    s = cite('food and medicine, worth 4.5 billion "old" Rubles, in the fall')
    ships.append(
        Shipment(
            id="sh.aid.1997-fall",
            sources=(twice, s),
            notes=(
                "The first of Russia's two humanitarian aid deliveries of 1997: food and medicine.",
                "'\"old\" Rubles' are roubles before the redenomination of 1998-01-01 (RUR; 1000 RUR = 1 RUB).",
                "'in the fall' is read as September to November 1997 (meteorological autumn).",
            ),
            commodity=goods("food and medicine"),
            amount=amount('4.5 billion "old" Rubles', s),
            origin=RUS,
            destination=PRK,
            donor=RUS,
            purpose=Purpose.HUMANITARIAN_AID,
            period=when("in the fall", s, year=1997),
        )
    )

    s = cite("370 tones of sugar, canned meat, fish and milk worth 3.5 billion rubles, in December")
    rubles = amount("3.5 billion rubles", s)
    ships.append(
        Shipment(
            id="sh.aid.1997-12",
            sources=(twice, s),
            notes=(
                "The second of Russia's two humanitarian aid deliveries of 1997.",
                "'370 tones' is a misspelling of 370 tonnes; the quote keeps it.",
                "The 370 tonnes are read as the weight of all four goods together.",
                (
                    "The text says 'rubles' without 'old', but December 1997 is before the redenomination of "
                    "1998-01-01, so these are pre-1998 roubles (RUR), like the 'old' Rubles of the fall delivery."
                ),
            ),
            inferred=("amount",),
            commodity=Commodity("sugar, canned meat, fish and milk"),
            mass=amount("370 tones", s),
            amount=Measure(
                quantity(figure(rubles), "RUR"),
                rubles.qualifier,
                status=rubles.status,
                resolution=rubles.resolution,
            ),
            origin=RUS,
            destination=PRK,
            donor=RUS,
            purpose=Purpose.HUMANITARIAN_AID,
            period=when("in December", s, year=1997),
        )
    )

    s = cite(
        "In 2008, Russia delivered oil and food to North Korea only in accordance with its obligations associated "
        "with the progress at the Six-Party Talks"
    )
    ships.append(
        Shipment(
            id="sh.oil-and-food.2008",
            sources=(s,),
            notes=(
                (
                    "Russia's deliveries of oil and food to North Korea in 2008, made only under its obligations in the "
                    "Six-Party Talks. No amount is given."
                ),
            ),
            commodity=Commodity("oil and food"),
            origin=RUS,
            destination=PRK,
            donor=RUS,
            purpose=Purpose.OBLIGATION,
            period=when("In 2008", s),
        )
    )

    s = cite("in 2011 Russia had provided North Korea with 50,000 ton of grain on a bilateral basis")
    ships.append(
        Shipment(
            id="sh.grain.bilateral.2011",
            sources=(s,),
            notes=(
                (
                    "Grain Russia provided to North Korea in 2011 on a bilateral basis, as the ambassador Sukhinin "
                    "reported in February 2012."
                ),
            ),
            commodity=GRAIN,
            mass=amount("50,000 ton", s),
            origin=RUS,
            destination=PRK,
            donor=RUS,
            purpose=Purpose.FOOD_ASSISTANCE,
            period=when("in 2011", s),
        )
    )

    s = cite("as well as with 5m dollars worth of flour as part of a World Food Organization programme")
    ships.append(
        Shipment(
            id="sh.flour.wfp.2011",
            sources=(s,),
            notes=(
                (
                    "Flour worth US$5 million that Russia provided to North Korea in 2011 through a United Nations "
                    "food programme."
                ),
                (
                    "The text says 'World Food Organization programme'; no organisation has that name. The channel is "
                    "read as the World Food Programme (WFP); the quote keeps the text's words."
                ),
                "'dollars' are read as US dollars; the year is that of the same sentence ('in 2011').",
            ),
            inferred=("channel", "period"),
            commodity=goods("flour"),
            amount=amount("5m dollars", s),
            origin=RUS,
            destination=PRK,
            donor=RUS,
            channel=WFP,
            purpose=Purpose.FOOD_ASSISTANCE,
            period=Period.year(2011),
        )
    )

    s = cite("In addition, 10,000 ton of grain was dispatched to North Korea by Gazprom")
    ships.append(
        Shipment(
            id="sh.grain.gazprom.2011",
            sources=(s,),
            notes=(
                "Grain dispatched to North Korea by the Russian company Gazprom.",
                "The year is not stated; 'In addition' continues the ambassador's account of 2011.",
            ),
            inferred=("period",),
            commodity=GRAIN,
            mass=amount("10,000 ton", s),
            origin=RUS,
            destination=PRK,
            donor=GAZPROM,
            purpose=Purpose.FOOD_ASSISTANCE,
            period=Period.year(2011),
        )
    )
    return ships


# -- events -------------------------------------------------------------------------------------


def events() -> list[Event]:
    """The dated events of the text, in text order."""
    evs: list[Event] = []

    s = cite("After the Korean War, the Soviet Union emerged as the main trading partner and sponsor of North Korea")
    evs.append(
        Event(
            id="ev.soviet-union.main-partner",
            sources=(s,),
            notes=(
                (
                    "The text dates this only as 'After the Korean War'. The fighting ended with the armistice of "
                    "July 1953, so the period is read as the rest of the 1950s, approximately."
                ),
            ),
            inferred=("period",),
            kind=EventKind.OTHER,
            period=approximate(Period(dt.date(1953, 7, 27), dt.date(1959, 12, 31), Precision.YEARS)),
            title="The Soviet Union becomes North Korea's main trading partner and sponsor",
            actors=(SUN, PRK),
        )
    )

    s = cite(
        "Ninety three North Korean factories were built with Russian technical assistance, forging the country's "
        "heavy-industrial backbone"
    )
    evs.append(
        Event(
            id="ev.factories.technical-assistance",
            sources=(s,),
            notes=(
                "Ninety-three factories built in North Korea with technical assistance from the Soviet Union.",
                "The text says 'Russian'; the assistance was given by the Soviet Union, read here as the actor.",
                (
                    "No date is given; the sentence follows 'After the Korean War', so the period is read as the "
                    "Soviet era after the armistice, July 1953 to December 1991."
                ),
            ),
            inferred=("actors", "period"),
            kind=EventKind.AID_DELIVERY,
            period=approximate(Period(dt.date(1953, 7, 27), dt.date(1991, 12, 26), Precision.YEARS)),
            title="Ninety-three North Korean factories built with Soviet technical assistance",
            actors=(SUN, PRK),
            place=PRK,
            measures=(amount("Ninety three North Korean factories", s),),
        )
    )

    s = cite(
        "Soviet aid to the DPRK indeed expanded from 1965 to 1968, especially after Sino-North Korean relations "
        "soured during the Chinese Cultural Revolution"
    )
    evs.append(
        Event(
            id="ev.soviet-aid.expanded.1965-1968",
            sources=(s,),
            notes=("Soviet aid to North Korea grew over 1965-1968; the text gives no amounts.",),
            kind=EventKind.AID_DELIVERY,
            period=when("from 1965 to 1968", s),
            title="Soviet aid to North Korea expands",
            actors=(SUN, PRK),
            description="Especially after Sino-North Korean relations soured during the Chinese Cultural Revolution.",
            related=("sh.aid.soviet.1965", "sh.aid.soviet.1968"),
        )
    )

    cooled = cite("Relations between the two cooled seriously in the 1990s")
    nineties = when("in the 1990s", cooled)
    clauses = (
        (
            "ev.recognition.south-korea.1990s",
            "as Russia recognized South Korea",
            EventKind.POLICY_CHANGE,
            "Russia recognises South Korea",
            (RUS, KOR),
        ),
        (
            "ev.hard-currency-trade.1990s",
            "announced that trade with North Korea was to be conducted in hard currencies",
            EventKind.POLICY_CHANGE,
            "Russia announces that trade with North Korea is to be conducted in hard currencies",
            (RUS, PRK),
        ),
        (
            "ev.defense-agreement.opt-out.1990s",
            "opted out of its bilateral defense agreement",
            EventKind.POLICY_CHANGE,
            "Russia opts out of its bilateral defence agreement with North Korea",
            (RUS, PRK),
        ),
    )
    for record_id, quote, kind, title, actors in clauses:
        evs.append(
            Event(
                id=record_id,
                sources=(cooled, cite(quote)),
                notes=("The text dates this only to 'the 1990s', as one of the reasons relations cooled.",),
                kind=kind,
                period=nineties,
                title=title,
                actors=actors,
            )
        )
    evs.append(
        Event(
            id="ev.relations-cooled.1990s",
            sources=(cooled,),
            notes=("Russia-DPRK relations cooled in the 1990s; the text names three reasons, recorded as events.",),
            kind=EventKind.OTHER,
            period=nineties,
            title="Russia-DPRK relations cool seriously",
            actors=(RUS, PRK),
            related=tuple(clause[0] for clause in clauses),
        )
    )

    s = cite(
        "supplies of fuel oil from the United States, Japan, and South Korea were curtailed as the six-party talks "
        "bogged down"
    )
    evs.append(
        Event(
            id="ev.fuel-oil-supplies.curtailed",
            sources=(cite("Pyongyang had to turn to Russia for petroleum"), s),
            notes=(
                (
                    "The United States, Japan and South Korea curtailed their fuel oil supplies to North Korea, which "
                    "turned to Russia for petroleum."
                ),
                (
                    "No date is given; the sentence explains the rise of Russia's fuel exports in 2003, so the period "
                    "is read as 2003, approximately."
                ),
            ),
            inferred=("period",),
            kind=EventKind.POLICY_CHANGE,
            period=approximate(Period.year(2003)),
            title="Fuel oil supplies from the United States, Japan and South Korea to North Korea are curtailed",
            actors=(USA, JPN, KOR, PRK),
            related=("tf.exports.fuel-oil.2003",),
        )
    )

    test = cite("At the time of North Korea's nuclear test in October 2006")
    evs.append(
        Event(
            id="ev.nuclear-test.2006-10",
            sources=(test,),
            notes=("North Korea's nuclear test; the text gives the month only.",),
            kind=EventKind.NUCLEAR_TEST,
            period=when("October 2006", test),
            title="North Korea's nuclear test",
            actors=(PRK,),
            place=PRK,
        )
    )

    s = cite(
        "The Kremlin's approval of international sanctions against the former communist ally was accompanied by "
        "the curtailment of trade with the North"
    )
    evs.append(
        Event(
            id="ev.sanctions.approved",
            sources=(s,),
            notes=(
                "Russia approved international sanctions against North Korea and curtailed trade with it.",
                (
                    "No date is given; the next sentences tie the sanctions to the nuclear test of October 2006, so "
                    "the period is read as October to December 2006, approximately."
                ),
            ),
            inferred=("period",),
            kind=EventKind.SANCTION,
            period=approximate(Period.months(2006, 10, 12)),
            title="The Kremlin approves international sanctions against North Korea and curtails trade",
            actors=(KREMLIN, PRK),
            related=("ev.nuclear-test.2006-10",),
        )
    )

    s = cite("Because of the nuclear test, Russia's total exports to the North are likely to sharply decline")
    evs.append(
        Event(
            id="ev.exports.forecast-decline",
            sources=(s,),
            notes=(
                (
                    "A forecast, not an observation: Russia's total exports to North Korea were expected to fall "
                    "sharply after the nuclear test. It states no figure, so it is kept as an event rather than a "
                    "measure with ObsStatus.FORECAST."
                ),
                "The forecast is undated; it is read as made after the test, October to December 2006.",
            ),
            inferred=("period",),
            kind=EventKind.STATEMENT,
            period=approximate(Period.months(2006, 10, 12)),
            title="Forecast: Russia's total exports to North Korea likely to decline sharply",
            related=("ev.nuclear-test.2006-10",),
        )
    )

    s = cite("In response to the famine stricken North Korea in the mid-1990s")
    evs.append(
        Event(
            id="ev.famine.mid-1990s",
            sources=(s,),
            notes=("Famine in North Korea in the mid-1990s, the reason for Russia's aid of 1997.",),
            kind=EventKind.OTHER,
            period=when("the mid-1990s", s),
            title="Famine in North Korea",
            actors=(PRK,),
            place=PRK,
        )
    )

    s = cite("Russia delivered humanitarian aid to North Korea twice in 1997")
    evs.append(
        Event(
            id="ev.aid.1997",
            sources=(s,),
            notes=("Two deliveries of humanitarian aid in 1997; each is a shipment record.",),
            kind=EventKind.AID_DELIVERY,
            period=when("in 1997", s),
            title="Russia delivers humanitarian aid to North Korea twice",
            actors=(RUS, PRK),
            measures=(Measure(quantity(2.0, "item"), resolution=1.0),),
            related=("sh.aid.1997-fall", "sh.aid.1997-12", "ev.famine.mid-1990s"),
        )
    )

    s = cite(
        "In 2007, for the first time in the post-Soviet era, North Korea saw a major Russian investment: In the "
        "city of Pyongsong the Russian auto plant Kamaz opened its first assembly line, specialising in the "
        'production of medium-size trucks named "Tebaeksan-96"'
    )
    evs.append(
        Event(
            id="ev.kamaz.assembly-line.2007",
            sources=(s,),
            notes=(
                (
                    "Kamaz opened its first assembly line in Pyongsong, for medium-size trucks: the first major Russian "
                    "investment in North Korea since the end of the Soviet Union."
                ),
                "'Tebaeksan-96' is the trucks' model name; its digits are not a quantity.",
            ),
            kind=EventKind.INVESTMENT,
            period=when("In 2007", s),
            title="Kamaz opens an assembly line for medium-size trucks in Pyongsong",
            actors=(KAMAZ, PRK),
            place=PYONGSONG,
            description='Medium-size trucks named "Tebaeksan-96".',
        )
    )

    s = cite("Although less than 50 trucks were assembled in 2007")
    evs.append(
        Event(
            id="ev.kamaz.trucks-assembled.2007",
            sources=(s,),
            notes=("Fewer than 50 trucks were assembled at the Kamaz line in Pyongsong in 2007.",),
            kind=EventKind.INVESTMENT,
            period=when("in 2007", s),
            title="Fewer than 50 trucks assembled at the Kamaz line in Pyongsong",
            actors=(KAMAZ,),
            place=PYONGSONG,
            measures=(amount("less than 50 trucks", s),),
            related=("ev.kamaz.assembly-line.2007",),
        )
    )

    s = cite(
        "On 19.8.2011 ahead of Kim Jong il visit to Russia, the Kremlin said that it was providing food assistance, "
        "including some 50,000 tons of wheat"
    )
    evs.append(
        Event(
            id="ev.food-aid.pledge.2011-08-19",
            sources=(s,),
            notes=(
                (
                    "The Kremlin said it was providing food assistance to North Korea, including about 50,000 tonnes "
                    "of wheat ('some' read as approximate; 'tons' as metric tonnes)."
                ),
            ),
            kind=EventKind.AID_PLEDGE,
            period=when("On 19.8.2011", s),
            title="The Kremlin announces food assistance to North Korea, including wheat",
            actors=(KREMLIN, PRK),
            measures=(amount("some 50,000 tons", s),),
        )
    )

    evs.append(
        Event(
            id="ev.kim-jong-il.visit.2011-08",
            sources=(cite("ahead of Kim Jong il visit to Russia"), cite("Few days after Kim's visit")),
            notes=(
                (
                    "Kim Jong-il's visit to Russia. The text gives no date: it came after 19 August 2011 ('ahead of'), "
                    "and the envoy Ishayev, speaking a few days after it, spoke of September in the future tense, so "
                    "the visit is read as falling in the rest of August 2011."
                ),
            ),
            inferred=("period",),
            kind=EventKind.VISIT,
            period=days(VISIT_FIRST, VISIT_LAST),
            title="Kim Jong-il visits Russia",
            actors=(KIM_JONG_IL, RUS),
            place=RUS,
        )
    )

    s = cite(
        "Few days after Kim's visit the presidential envoy to Russia's Far East Viktor Ishayev, said wheat "
        "deliveries will begin via the town border of Khasan in September"
    )
    evs.append(
        Event(
            id="ev.wheat-deliveries.khasan.2011-09",
            sources=(s,),
            notes=(
                (
                    "The envoy Viktor Ishayev said wheat deliveries to North Korea would begin through Khasan in "
                    "September. The period is that of the planned start of deliveries."
                ),
                (
                    "The year is not stated; the statement came a few days after Kim Jong-il's visit of August 2011, "
                    "so September is September 2011."
                ),
            ),
            inferred=("period",),
            kind=EventKind.PLAN,
            period=when("in September", s, year=2011),
            title="Wheat deliveries to North Korea to begin via Khasan",
            actors=(ISHAYEV,),
            place=KHASAN,
            related=("ev.food-aid.pledge.2011-08-19", "ev.kim-jong-il.visit.2011-08"),
        )
    )

    s = cite(
        "A week later A Russian economic delegation, led by Minister of Regional Development Viktor Basargin, was "
        'in North Korea to sign "a protocol of the 5th Meeting of the North Korea-Russia Intergovernmental '
        'Committee for Cooperation in Trade, Economy, Science and Technology"'
    )
    evs.append(
        Event(
            id="ev.intergovernmental-committee.protocol.2011",
            sources=(s,),
            notes=(
                (
                    "A Russian delegation led by Viktor Basargin signed the protocol of the committee's 5th meeting in "
                    "North Korea. '5th' is the meeting's ordinal, kept in the title."
                ),
                DELEGATION_NOTE,
            ),
            inferred=("period",),
            kind=EventKind.AGREEMENT,
            period=days(DELEGATION_FIRST, DELEGATION_LAST),
            title=(
                "Protocol of the 5th Meeting of the North Korea-Russia Intergovernmental Committee for Cooperation "
                "in Trade, Economy, Science and Technology"
            ),
            actors=(BASARGIN, RUS, PRK),
            place=PRK,
            related=("ev.wheat-deliveries.khasan.2011-09",),
        )
    )

    s = cite(
        "Also on same day, Also on Friday, the North's premier, Choe Yong-rim, met with the Russian economic "
        "delegation at the Mansudae Assembly Hall in Pyongyang"
    )
    evs.append(
        Event(
            id="ev.choe-yong-rim.meets-delegation.2011",
            sources=(s,),
            notes=(
                (
                    "North Korea's premier Choe Yong-rim met the Russian economic delegation on the day of the protocol. "
                    "'Also on same day, Also on Friday' repeats itself (an editing slip); both say the same day, a "
                    "Friday."
                ),
                DELEGATION_NOTE,
            ),
            inferred=("period",),
            kind=EventKind.MEETING,
            period=days(DELEGATION_FIRST, DELEGATION_LAST),
            title="Premier Choe Yong-rim meets the Russian economic delegation",
            actors=(CHOE_YONG_RIM, BASARGIN, PRK, RUS),
            place=MANSUDAE,
            related=("ev.intergovernmental-committee.protocol.2011",),
        )
    )

    s = cite(
        "On early September 2011 it was reported that North Korea was planning to rent several hundred thousand "
        "hectares of land in the Amur Oblast"
    )
    early_september = when("On early September 2011", s)
    evs.append(
        Event(
            id="ev.amur.land-rent-plan.2011-09",
            sources=(s,),
            notes=(
                (
                    "North Korea was reported to plan renting several hundred thousand hectares in Amur Oblast. "
                    "'several hundred thousand' is read as 200,000 to 900,000 hectares."
                ),
                "'early September' is read as 1 to 10 September; the period is when the plan was reported.",
            ),
            kind=EventKind.PLAN,
            period=early_september,
            title="North Korea plans to rent farmland in Amur Oblast",
            actors=(PRK, AMUR),
            place=AMUR,
            measures=(amount("several hundred thousand hectares", s),),
        )
    )

    s = cite("which has about 200,000 hectares of idle land in regional, municipal or private ownership")
    evs.append(
        Event(
            id="ev.amur.idle-land.2011-09",
            sources=(s,),
            notes=(
                (
                    "Amur Oblast has about 200,000 hectares of idle land in regional, municipal or private ownership, "
                    "as reported in early September 2011 with the plan to rent land."
                ),
            ),
            inferred=("period",),
            kind=EventKind.STATEMENT,
            period=early_september,
            title="Amur Oblast reports about 200,000 hectares of idle land",
            actors=(AMUR,),
            place=AMUR,
            measures=(amount("about 200,000 hectares", s),),
            related=("ev.amur.land-rent-plan.2011-09",),
        )
    )

    s = cite(
        "On 2 February Interfax report, further quoted the Russian ambassador to North Korea Sukhinin as saying "
        'that Russia "did not rule out" the possibility of sending more humanitarian aid to North Korea'
    )
    evs.append(
        Event(
            id="ev.sukhinin.statement.2012-02-02",
            sources=(s, cite("Sukhinin went on to say")),
            notes=(
                (
                    "Interfax quoted the Russian ambassador Sukhinin: Russia did not rule out more humanitarian aid to "
                    "North Korea, and had provided grain and flour in 2011."
                ),
                (
                    "The year is not stated. The ambassador speaks of what Russia 'had provided' 'in 2011', so he spoke "
                    "after 2011; the first 2 February after that is 2 February 2012."
                ),
            ),
            inferred=("period",),
            kind=EventKind.STATEMENT,
            period=when("On 2 February", s, year=2012),
            title="Ambassador Sukhinin: Russia does not rule out more humanitarian aid",
            actors=(SUKHININ, INTERFAX),
            related=("sh.grain.bilateral.2011", "sh.flour.wfp.2011", "sh.grain.gazprom.2011"),
        )
    )

    s = cite("The most active regions are Siberia and the Far East, mainly the Kemerovo, Magadan and Primorski regions")
    evs.append(
        Event(
            id="ev.most-active-regions",
            sources=(s,),
            notes=(
                (
                    "Russia's regions most active in economic relations with North Korea: Siberia and the Far East "
                    "(an area, not an ISO region), mainly Kemerovo, Magadan and Primorsky."
                ),
                "Undated; read, like the 80% share beside it, as 2011-2012.",
            ),
            inferred=("period",),
            kind=EventKind.STATEMENT,
            period=approximate(Period.years(2011, 2012)),
            title="The most active Russian regions in trade with North Korea",
            actors=(Region("RU-KEM"), Region("RU-MAG"), Region("RU-PRI")),
            place=SIBERIA_AND_FAR_EAST,
            related=("tf.share.russian-regions",),
        )
    )
    return evs


# -- claims -------------------------------------------------------------------------------------


def percent(magnitude: float, resolution: float) -> Measure:
    """A stated percentage, with the place value of its last digit."""
    return Measure(quantity(magnitude, "percent"), resolution=resolution)


def claims() -> list[Claim]:
    """The relations the text states between its figures (and two a reader adds), in text order."""
    found: list[Claim] = []

    found.append(
        Claim(
            id="cl.share.prk-trade-with-sun.1988",
            sources=(cite("about 60% of North Korea's trade was with the Soviet Union"),),
            notes=("The one share the text gives of North Korea's total trade in 1988.",),
            kind=ClaimKind.SHARES_OF_WHOLE,
            subjects=("tf.share.prk-sun.1988",),
            field="share",
            description="About 60% of North Korea's trade in 1988 was with the Soviet Union.",
        )
    )

    dropped = cite("had dropped from")
    found.append(
        Claim(
            id="cl.turnover.dropped.late-1980s-1990",
            sources=(dropped,),
            notes=(
                "The text states a drop from the late-1980s figure (US$1 billion) to the 1990 figure ($1.97 billion).",
            ),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.turnover.late-1980s", "tf.turnover.1990"),
            direction=Direction.DECREASE,
            description="Trade turnover dropped from the late-1980s peak to 1990.",
        )
    )
    found.append(
        Claim(
            id="cl.turnover.peak.late-1980s",
            sources=(
                cite("In 1988, at the peak of the bilateral relationship"),
                cite("during the peak of the Soviet-DPRK trade in the late 1980s"),
            ),
            notes=(
                (
                    "The text twice puts the peak in the late 1980s: 'In 1988, at the peak of the bilateral "
                    "relationship' and 'the peak of the Soviet-DPRK trade in the late 1980s' (US$1 billion). The "
                    "checker compares that figure with the same turnover series in the surrounding years."
                ),
            ),
            kind=ClaimKind.PEAK,
            subjects=("tf.turnover.late-1980s",),
            description="Soviet-DPRK trade turnover peaked in the late 1980s.",
        )
    )
    found.append(
        Claim(
            id="cl.turnover.dropped.1990-1991",
            sources=(dropped, cite("and to $0.58 billion")),
            notes=("'had dropped ... and to $0.58 billion in 1991': the same drop continues from 1990 to 1991.",),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.turnover.1990", "tf.turnover.1991"),
            direction=Direction.DECREASE,
            description="Trade turnover dropped from 1990 to 1991.",
        )
    )
    found.append(
        Claim(
            id="cl.exports.declined.1993",
            sources=(cite("export levels had declined to a mere 10% of its previous contributions"),),
            notes=(
                (
                    "The 1993 level is given only as this ratio. 'previous contributions' is read as the late-1980s "
                    "peak the text names; the text does not say which earlier level it means."
                ),
                (
                    "The subjects differ in flow (turnover at the peak, exports in 1993): the text gives no earlier "
                    "export figure."
                ),
            ),
            inferred=("subjects",),
            kind=ClaimKind.RATIO,
            subjects=("tf.turnover.late-1980s", "tf.exports.1993"),
            stated=percent(10, 1),
            direction=Direction.DECREASE,
            description="In 1993 exports had declined to a mere 10% of their previous level.",
        )
    )
    found.append(
        Claim(
            id="cl.freight.khasan.1989-1998",
            sources=(cite("By 1998 this number stood at"),),
            notes=(
                (
                    "The text states no direction in words; 'By 1998 this number stood at' a figure far below the "
                    "1989 one, after an account of declining trade, is read as a decrease."
                ),
            ),
            inferred=("direction",),
            kind=ClaimKind.DIRECTION,
            subjects=("sh.freight.khasan.1989", "sh.freight.khasan.1998"),
            field="mass",
            direction=Direction.DECREASE,
            description="Freight through Khasan-Tumangang fell from 1989 to 1998.",
        )
    )
    found.append(
        Claim(
            id="cl.fuel-oil.jumped.2002-2003",
            sources=(cite("jumped from"),),
            notes=("'jumped from $20 million in 2002 to $96 million in 2003': a stated increase.",),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.exports.fuel-oil.2002", "tf.exports.fuel-oil.2003"),
            direction=Direction.INCREASE,
            description="Exports of mineral fuel oil jumped from 2002 to 2003.",
        )
    )
    found.append(
        Claim(
            id="cl.trade-growth.2000-2005",
            sources=(cite("trade grew from"), cite("an increase of 64%")),
            notes=("The stated change from the 2000 to the 2005 turnover: +64%, stated to the whole percent.",),
            kind=ClaimKind.PERCENT_CHANGE,
            subjects=("tf.turnover.2000", "tf.turnover.2005"),
            stated=percent(64, 1),
            direction=Direction.INCREASE,
            description="Trade grew from 2000 to 2005, an increase of 64%.",
        )
    )
    for part in ("tf.exports.2005-jan-sep", "tf.imports.2005-jan-sep"):
        flow = "exports" if "exports" in part else "imports"
        found.append(
            Claim(
                id=f"cl.part-of-total.{flow}-2005-jan-sep",
                sources=(
                    cite("first nine months of 2005") if flow == "exports" else cite("imports were estimated at"),
                    cite("to US$172.3 million"),
                ),
                notes=(
                    (
                        "Not stated in words: a reader's consistency rule. Russia's "
                        f"{flow} in January-September 2005 are part of Russia-DPRK turnover in 2005 and cannot "
                        "exceed it."
                    ),
                ),
                inferred=("kind",),
                kind=ClaimKind.PART_OF_TOTAL,
                subjects=(part, "tf.turnover.2005"),
                description=f"Russia's {flow} in the first nine months of 2005 are part of the 2005 turnover.",
            )
        )
    found.append(
        Claim(
            id="cl.export-shares.2005-jan-sep",
            sources=(cite("Russia's main export items were"),),
            notes=("Three shares of one whole, Russia's exports to North Korea: together at most 100%.",),
            kind=ClaimKind.SHARES_OF_WHOLE,
            subjects=(
                "tf.exports.oil-products.2005-jan-sep",
                "tf.exports.ferrous-metal.2005-jan-sep",
                "tf.exports.machinery.2005-jan-sep",
            ),
            field="share",
            description="Oil products 63%, ferrous metal and steel 8%, machinery and equipment 8% of Russia's exports.",
        )
    )
    found.append(
        Claim(
            id="cl.grain.increased.2002-2003",
            sources=(cite("but increased to"),),
            notes=(
                "'no more than 890 tons in 2002, but increased to 1,070 tons': a stated increase from an upper bound.",
            ),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.exports.grain.2002", "tf.exports.grain.2003"),
            field="mass",
            direction=Direction.INCREASE,
            description="Grain exports increased from 2002 to 2003.",
        )
    )
    found.append(
        Claim(
            id="cl.grain.increased.2003-2004",
            sources=(cite("but increased to"), cite("and to 34,716 tons")),
            notes=("'increased to 1,070 tons ... and to 34,716 tons': the increase continues from 2003 to 2004.",),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.exports.grain.2003", "tf.exports.grain.2004"),
            field="mass",
            direction=Direction.INCREASE,
            description="Grain exports increased from 2003 to 2004.",
        )
    )
    found.append(
        Claim(
            id="cl.grain.none.2005",
            sources=(cite("In 2005, however, there were no"),),
            notes=("'however ... no ... grain export' sets 2005 against the rise to 2004: read as a decrease.",),
            inferred=("direction",),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.exports.grain.2004", "tf.exports.grain.2005"),
            field="mass",
            direction=Direction.DECREASE,
            description="Grain exports fell to nothing in 2005.",
        )
    )
    found.append(
        Claim(
            id="cl.petroleum.decreased.2006-jan-mar",
            sources=(cite("compared to the same period of the previous year"), cite("decreased by 91.1 percent")),
            notes=(
                "The stated change is negative: 'decreased by 91.1 percent' is a change of -91.1%.",
                (
                    "The base (January-March 2005) is derived from this claim's own figures, so the claim can only be "
                    "checked for internal consistency."
                ),
            ),
            kind=ClaimKind.PERCENT_CHANGE,
            subjects=("tf.exports.petroleum.2005-jan-mar", "tf.exports.petroleum.2006-jan-mar"),
            field="mass",
            stated=percent(-91.1, 0.1),
            direction=Direction.DECREASE,
            description="Exports of petroleum products in January-March 2006 fell 91.1% from a year earlier.",
        )
    )
    found.append(
        Claim(
            id="cl.grain.remained-zero.2006-jan-mar",
            sources=(cite("remained zero"),),
            notes=(
                (
                    "'remained zero' compares January-March 2006 with the time before it; the earlier zero in the "
                    "text is the whole of 2005."
                ),
            ),
            inferred=("subjects",),
            kind=ClaimKind.DIRECTION,
            subjects=("tf.exports.grain.2005", "tf.exports.grain.2006-jan-mar"),
            field="mass",
            direction=Direction.UNCHANGED,
            description="Grain exports remained zero in January-March 2006.",
        )
    )
    found.append(
        Claim(
            id="cl.soviet-aid.expanded.1965-1968",
            sources=(cite("expanded from 1965 to 1968"),),
            notes=("No amounts are given, so the claim can be stored but not recomputed.",),
            kind=ClaimKind.DIRECTION,
            subjects=("sh.aid.soviet.1965", "sh.aid.soviet.1968"),
            direction=Direction.INCREASE,
            description="Soviet aid to North Korea expanded from 1965 to 1968.",
        )
    )
    found.append(
        Claim(
            id="cl.share.russian-regions",
            sources=(cite("80% consists of cooperation and investment"),),
            notes=("The one share the text gives of Russia-DPRK trade by level of government.",),
            kind=ClaimKind.SHARES_OF_WHOLE,
            subjects=("tf.share.russian-regions",),
            field="share",
            description="80% of Russia-DPRK economic trade is with Russia's regions.",
        )
    )
    return found


# -- readings from context ----------------------------------------------------------------------

_OF_RUSSIA_AND_DPRK = (
    "the words cited do not name the countries; the paragraph is an account of Russia's trade with North Korea"
)
_SOVIET_PAIR = (
    "the words cited do not name the countries; the sentence continues 'Trade turnover between the two states', "
    "the Soviet Union and the DPRK"
)
_TO_THE_NORTH = "the words cited do not name the partner; the paragraph is about Russia's trade with North Korea"

#: Fields that the words a record cites do not give, read from the text around them, with the reason.
#: ``build`` adds each to the record's ``inferred`` and its reason to the notes, as "Inferred FIELD: REASON";
#: tests/test_inferences.py finds every such field by re-reading the quotes with nkru's grammar.
CONTEXT_READINGS: dict[str, dict[str, str]] = {
    "tf.share.prk-sun.1988": {"flow": "'North Korea's trade was with' is read as turnover, exports plus imports."},
    "tf.turnover.late-1980s": {
        "period": "'the late 1980s' is read as 1987-1989, approximately (the grammar's reading of 'late' in a decade)."
    },
    "tf.turnover.1990": {"partner": _SOVIET_PAIR + ".", "flow": "the figure continues the 'Trade turnover' series."},
    "tf.turnover.1991": {"partner": _SOVIET_PAIR + ".", "flow": "the figure continues the 'Trade turnover' series."},
    "tf.turnover.1999": {"reporter": _OF_RUSSIA_AND_DPRK + ".", "partner": _OF_RUSSIA_AND_DPRK + "."},
    "tf.exports.fuel-oil.2002": {
        "reporter": "the parenthesis names no country; it explains 'Major Russian exports to the DPRK' before it.",
        "partner": "the parenthesis names no country; it explains 'Major Russian exports to the DPRK' before it.",
        "commodity": (
            "'mineral fuel oil' is filed under HS chapter 27 (mineral fuels and oils) as nkru's table reads it; "
            "fuel oil proper is heading 2710, and the text's 'refined oil' would put it there."
        ),
    },
    "tf.exports.fuel-oil.2003": {
        "reporter": "the parenthesis names no country; it explains 'Major Russian exports to the DPRK' before it.",
        "partner": "the parenthesis names no country; it explains 'Major Russian exports to the DPRK' before it.",
        "flow": "'to $96 million in 2003' continues 'total exports of mineral fuel oil jumped from'.",
        "commodity": (
            "'to $96 million in 2003' continues 'total exports of mineral fuel oil', filed under HS chapter 27; "
            "fuel oil proper is heading 2710."
        ),
    },
    "tf.turnover.2000": {"reporter": _OF_RUSSIA_AND_DPRK + ".", "partner": _OF_RUSSIA_AND_DPRK + "."},
    "tf.turnover.2005": {"reporter": _OF_RUSSIA_AND_DPRK + ".", "partner": _OF_RUSSIA_AND_DPRK + "."},
    "tf.exports.2005-jan-sep": {"partner": _TO_THE_NORTH + " ('The value of Russian exports')."},
    "tf.imports.2005-jan-sep": {"reporter": _OF_RUSSIA_AND_DPRK + ".", "partner": _OF_RUSSIA_AND_DPRK + "."},
    "tf.exports.oil-products.2005-jan-sep": {"partner": _TO_THE_NORTH + " ('Russia's main export items')."},
    "tf.exports.ferrous-metal.2005-jan-sep": {"partner": _TO_THE_NORTH + " ('Russia's main export items')."},
    "tf.exports.machinery.2005-jan-sep": {"partner": _TO_THE_NORTH + " ('Russia's main export items')."},
    **{
        f"tf.exports.grain.{year}": dict.fromkeys(
            ("commodity", "reporter", "partner", "flow"),
            "the clause continues 'Russian exports of grains to North Korea was no more than 890 tons in 2002'.",
        )
        for year in (2003, 2004)
    },
    "tf.exports.grain.2005": {"mass": "'there were no Russian grain export' is read as zero tonnes."},
    **{
        f"tf.exports.petroleum.{quarter}": dict.fromkeys(
            ("commodity", "reporter", "partner", "flow"),
            "the words cited give the figures; 'Russia's exports of petroleum products to the North' says whose.",
        )
        for quarter in ("2005-jan-mar", "2006-jan-mar")
    },
    "tf.exports.grain.2006-jan-mar": {
        "mass": "'remained zero' gives no unit; zero tonnes, like the grain figures before it.",
        "partner": _TO_THE_NORTH + " ('Russia's exports ... to the North').",
    },
    "tf.share.russian-regions": {"flow": "'overall bilateral economic trade' is read as turnover."},
    **{
        f"sh.aid.soviet.{year}": {
            "period": (
                f"the text states only the span 'from 1965 to 1968'; this record is its {end} end, made so that the "
                "claim cl.soviet-aid.expanded.1965-1968 has two subjects. It has no amount or kind of aid."
            )
        }
        for year, end in ((1965, "first"), (1968, "last"))
    },
    "sh.freight.khasan.1989": {
        "route": "'through the border from Russia (Khasan) to North Korea (Tumangang)' is the Khasan-Tumangang crossing."
    },
    "sh.aid.1997-fall": {
        "period": "'in the fall' is read as September to November (meteorological autumn) of 1997 ('twice in 1997')."
    },
    "sh.aid.1997-12": {"period": "'in December' takes its year from 'twice in 1997'."},
    "sh.grain.bilateral.2011": {"purpose": "grain 'provided' by Russia is read as food assistance."},
    **{
        record_id: dict.fromkeys(
            fields, "the sentence continues the ambassador's account of what 'Russia had provided North Korea with'."
        )
        for record_id, fields in (
            ("sh.flour.wfp.2011", ("origin", "destination", "donor", "purpose")),
            ("sh.grain.gazprom.2011", ("origin", "purpose")),
        )
    },
    **{
        record_id: {"actors": "the clause names no country; 'Relations between the two' are Russia and North Korea."}
        for record_id in (
            "ev.hard-currency-trade.1990s",
            "ev.defense-agreement.opt-out.1990s",
            "ev.relations-cooled.1990s",
        )
    },
    "ev.famine.mid-1990s": {"period": "'the mid-1990s' is read as 1994-1996, approximately (the grammar's reading)."},
    "ev.aid.1997": {"measures": "'twice' is read as a count of two deliveries."},
    "ev.kamaz.trucks-assembled.2007": {
        "place": "the clause names no place; the trucks were assembled at the Kamaz line in Pyongsong.",
        "actors": "the clause names no one; the line is Kamaz's.",
    },
    "ev.food-aid.pledge.2011-08-19": {"actors": "the recipient, North Korea, is the country Kim Jong-il led."},
    "ev.choe-yong-rim.meets-delegation.2011": {
        "actors": "Basargin led the 'Russian economic delegation', as the sentence before says."
    },
    "ev.amur.land-rent-plan.2011-09": {
        "period": "'early September' is read as 1 to 10 September (the grammar's reading of 'early' in a month).",
        "measures": (
            "'several hundred thousand hectares' is read as 200,000 to 900,000 hectares (the grammar's reading of "
            "'several' as 2 to 9)."
        ),
    },
    "ev.amur.idle-land.2011-09": {
        "place": "the clause continues 'in the Amur Oblast'.",
        "actors": "the clause continues 'in the Amur Oblast'.",
    },
}


def with_context_readings(record: AnyRecord) -> AnyRecord:
    """``record`` with the fields :data:`CONTEXT_READINGS` lists for it flagged inferred, each with its reason."""
    reasons = CONTEXT_READINGS.get(record.id)
    if not reasons:
        return record
    inferred = (*record.inferred, *(field for field in reasons if field not in record.inferred))
    notes = (*record.notes, *(f"Inferred {field}: {reason}" for field, reason in reasons.items()))
    return attrs.evolve(record, inferred=inferred, notes=notes)


# -- assembling and writing ---------------------------------------------------------------------


def build() -> Dataset:
    """Declare every record and check that the text's numbers are all accounted for."""
    dataset = Dataset(
        trade_flows=tuple(map(with_context_readings, trade_flows())),
        shipments=tuple(map(with_context_readings, shipments())),
        events=tuple(map(with_context_readings, events())),
        claims=tuple(map(with_context_readings, claims())),
    )
    unknown = sorted(set(CONTEXT_READINGS) - set(dataset.ids))
    if unknown:
        raise SeedError(f"context readings for records that do not exist: {', '.join(unknown)}")
    missing = uncovered_mentions(dataset, TEXT, EXCLUSIONS)
    if missing:
        listed = ", ".join(f"{m.text!r} at {m.start}" for m in missing)
        raise SeedError(f"numbers or dates of the text that no record cites and no exclusion sets aside: {listed}")
    return dataset


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or with ``--check`` compare) the shipped seed files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped files differ from a rebuild")
    args = parser.parse_args(argv)

    dataset = build()
    text = to_json(dataset, indent=1) + "\n"
    outputs = {JSON_FILE: text.encode("utf-8"), TEXT_COPY: SEED_FILE.read_bytes()}
    if args.check:
        stale = [path for path, data in outputs.items() if not path.exists() or path.read_bytes() != data]
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.write_bytes(data)

    mentions = find_mentions(TEXT)
    excluded = len(uncovered_mentions(dataset, TEXT, ()))
    print(
        f"{len(dataset.trade_flows)} trade flows, {len(dataset.shipments)} shipments, {len(dataset.events)} events, "
        f"{len(dataset.claims)} claims; {len(mentions)} mentions of numbers and dates, "
        f"{len(mentions) - excluded} cited, {excluded} excluded"
    )
    print(f"wrote {JSON_FILE.relative_to(ROOT)} ({len(outputs[JSON_FILE])} bytes) and {TEXT_COPY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

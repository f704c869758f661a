"""Hypothesis strategies for every public nkru type, for property tests.

Import this module only where hypothesis is installed (``pip install
nkru[test]``); ``import nkru`` never imports it.

>>> from hypothesis import given
>>> from nkru.strategies import measures
>>> @given(measures())
... def test_measure_has_units(m):
...     assert m.units is not None
>>> test_measure_has_units()
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint
from hypothesis import strategies as st

from nkru._core.deprecation import moved_names
from nkru.checks import Finding, Report, Rule, Severity
from nkru.commodities import HS_BY_LABEL, Commodity
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
from nkru.fx import ExchangeRates, RateQuote
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import (
    COMTRADE_AREAS,
    Area,
    AreaKind,
    Country,
    Organization,
    OrganizationKind,
    Person,
    Place,
    PlaceKind,
    Region,
    area_kind,
)
from nkru.periods import MAX_YEAR, Period, Precision
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.table import TradeTable
from nkru.table.columns import EXTRAS
from nkru.units import CURRENCIES, quantity

if TYPE_CHECKING:
    from nkru.dask import DaskTradeTable

__all__ = [
    "areas",
    "claims",
    "commodities",
    "comtrade_tables",
    "countries",
    "currencies",
    "dask_trade_tables",
    "datasets",
    "events",
    "exchange_rates",
    "findings",
    "locations",
    "magnitudes",
    "measures",
    "money",
    "organizations",
    "parties",
    "periods",
    "persons",
    "places",
    "quantities",
    "rate_quotes",
    "record_ids",
    "regions",
    "reports",
    "shipments",
    "sources",
    "split_tables",
    "table_flows",
    "texts",
    "trade_flows",
    "trade_tables",
]

_COUNTRIES = ("PRK", "RUS", "SUN", "CHN", "KOR", "JPN", "USA", "DEU")
_REGIONS = ("RU-PRI", "RU-AMU", "RU-KEM", "RU-MAG", "RU-KHA", "RU-MOW")
_UNITS = ("t", "kg", "short_ton", "hectare", "percent", "item", "dimensionless", "USD / t", "RUB / kg")


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty text without control characters, as record names and notes allow."""
    alphabet = st.characters(blacklist_categories=("Cc", "Cs"))
    return st.text(alphabet, min_size=1, max_size=max_size).filter(lambda text: text.strip() != "")


def record_ids() -> st.SearchStrategy[str]:
    """Valid record ids."""
    return st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)


def magnitudes(*, min_value: float | None = None, max_value: float = 1e15) -> st.SearchStrategy[float]:
    """Finite magnitudes as texts state them: whole numbers, decimals, and raw floats."""
    low = -max_value if min_value is None else min_value
    decimals = st.decimals(min_value=Decimal(str(low)), max_value=Decimal(str(max_value)), places=3).map(float)
    return st.one_of(
        st.integers(min_value=int(low), max_value=int(max_value)).map(float),
        decimals,
        st.floats(min_value=low, max_value=max_value, allow_nan=False, allow_infinity=False),
    )


def currencies() -> st.SearchStrategy[str]:
    """Currency codes nkru knows."""
    return st.sampled_from(sorted(CURRENCIES))


def quantities(units: str | None = None, *, min_value: float | None = None) -> st.SearchStrategy[pint.Quantity[float]]:
    """Quantities of nkru's registry, in ``units`` or in a unit drawn from a varied set."""
    unit_names = st.just(units) if units is not None else st.sampled_from(_UNITS + tuple(sorted(CURRENCIES)))
    return st.builds(quantity, magnitudes(min_value=min_value), unit_names)


def money(currency: str | None = None) -> st.SearchStrategy[pint.Quantity[float]]:
    """Amounts of money, non-negative."""
    codes = st.just(currency) if currency is not None else currencies()
    return codes.flatmap(lambda code: quantities(code, min_value=0.0))


@st.composite
def measures(draw: st.DrawFn, units: str | None = None, *, min_value: float | None = None) -> Measure:
    """Valid measures of every qualifier, in ``units`` or any unit."""
    unit_name = units if units is not None else draw(st.sampled_from((*_UNITS, "USD", "RUB", "RUR")))
    qualifier = draw(st.sampled_from(Qualifier))
    status = draw(st.sampled_from(ObsStatus))
    resolution = draw(st.none() | st.sampled_from([0.001, 0.1, 1.0, 1000.0, 1e5]))
    values = sorted(draw(st.lists(magnitudes(min_value=min_value), min_size=3, max_size=3)))
    low, mid, high = (quantity(v, unit_name) for v in values)
    if qualifier is Qualifier.RANGE:
        return Measure(draw(st.none() | st.just(mid)), qualifier, low, high, status, resolution)
    if qualifier is Qualifier.APPROXIMATE and draw(st.booleans()):
        return Measure(mid, qualifier, low, high, status, resolution)
    return Measure(mid, qualifier, status=status, resolution=resolution)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Periods of every precision, from a day to decades."""
    start = draw(st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2030, 12, 31)))
    length = draw(st.integers(min_value=0, max_value=4000))
    end = min(start + dt.timedelta(days=length), dt.date(MAX_YEAR, 12, 31))
    return Period(start, end, draw(st.sampled_from(Precision)), draw(st.booleans()))


def countries() -> st.SearchStrategy[Country]:
    """Countries, current and historic."""
    return st.sampled_from(_COUNTRIES).map(Country)


def areas() -> st.SearchStrategy[Area]:
    """Comtrade's areas that are no country: those nkru knows, and ones a file may name."""
    unknown = st.builds(
        Area,
        code=st.from_regex(r"[A-Z_][A-Z0-9_]{1,3}", fullmatch=True).filter(lambda code: area_kind(code) is None),
        comtrade=st.none() | st.integers(min_value=1, max_value=999),
        name=texts(),
        kind=st.sampled_from([kind for kind in AreaKind if kind is not AreaKind.COUNTRY]),
    )
    return st.one_of(st.sampled_from(sorted(COMTRADE_AREAS.values(), key=lambda area: area.code)), unknown)


def regions() -> st.SearchStrategy[Region]:
    """Russian regions by ISO 3166-2 code."""
    return st.sampled_from(_REGIONS).map(Region)


def places() -> st.SearchStrategy[Place]:
    """Places with or without a country."""
    return st.builds(
        Place,
        name=texts(),
        kind=st.sampled_from(PlaceKind),
        country=st.none() | st.just(Country("RUS")),
        region=st.none() | regions(),
    )


def organizations() -> st.SearchStrategy[Organization]:
    """Organizations."""
    return st.builds(
        Organization, name=texts(), kind=st.sampled_from(OrganizationKind), country=st.none() | countries()
    )


def persons() -> st.SearchStrategy[Person]:
    """Persons."""
    return st.builds(Person, name=texts(), country=st.none() | countries(), role=st.none() | texts())


def parties() -> st.SearchStrategy[Country | Region | Organization | Person]:
    """Any party: a country, a region, an organization or a person."""
    return st.one_of(countries(), regions(), organizations(), persons())


def locations() -> st.SearchStrategy[Country | Region | Place]:
    """Any location: a country, a region or a place."""
    return st.one_of(countries(), regions(), places())


def commodities() -> st.SearchStrategy[Commodity]:
    """Commodities with and without HS codes."""
    known = st.sampled_from(sorted(HS_BY_LABEL)).map(lambda label: Commodity(label, HS_BY_LABEL[label]))
    chapter = st.integers(min_value=1, max_value=97).filter(lambda n: n != 77).map(lambda n: f"{n:02d}")
    return st.one_of(known, st.builds(Commodity, texts(), st.none() | chapter))


@st.composite
def sources(draw: st.DrawFn) -> Source:
    """Citations whose quote fits their span."""
    quote = draw(texts(max_size=60))
    start = draw(st.integers(min_value=0, max_value=100_000))
    document = draw(st.from_regex(r"[0-9a-z_]{1,30}", fullmatch=True))
    return Source(document=document, start=start, end=start + len(quote), quote=quote)


def _record_fields(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    """Common record fields; ``inferred`` names real fields of ``cls``."""
    import attrs  # noqa: PLC0415 - only needed here

    names = [field.name for field in attrs.fields(cls)]
    return {
        "id": draw(record_ids()),
        "sources": tuple(draw(st.lists(sources(), max_size=2))),
        "notes": tuple(draw(st.lists(texts(), max_size=2))),
        "inferred": tuple(draw(st.lists(st.sampled_from(names), max_size=2, unique=True))),
    }


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def trade_flows(draw: st.DrawFn) -> TradeFlow:
    """Valid trade flows."""
    currency = draw(currencies())
    share = draw(_optional(measures("percent")))
    amount = draw(_optional(measures(currency, min_value=0.0)))
    mass = draw(_optional(measures(draw(st.sampled_from(["t", "kg"])), min_value=0.0)))
    if amount is None and mass is None and share is None:
        amount = draw(measures(currency, min_value=0.0))
    period = draw(periods())
    relative_level = draw(_optional(measures("percent", min_value=0.0)))
    base = draw(_optional(periods())) if relative_level is not None else None
    fields = _record_fields(draw, TradeFlow)
    likely_period = draw(_optional(periods()))
    if likely_period is not None and "likely_period" not in fields["inferred"]:
        fields["inferred"] = (*fields["inferred"], "likely_period")
    return TradeFlow(
        **fields,
        relative_level=relative_level,
        relative_base=base if base is not None and base.end < period.start else None,
        likely_period=likely_period,
        reporter=draw(countries()),
        partner=draw(countries()),
        flow=draw(st.sampled_from(Flow)),
        period=period,
        commodity=draw(_optional(commodities())),
        amount=amount,
        mass=mass,
        count=draw(_optional(measures("item", min_value=0.0))),
        share=share,
        share_of=draw(texts()) if share is not None and draw(st.booleans()) else None,
    )


@st.composite
def shipments(draw: st.DrawFn) -> Shipment:
    """Valid shipments."""
    return Shipment(
        **_record_fields(draw, Shipment),
        commodity=draw(_optional(commodities())),
        mass=draw(_optional(measures("t", min_value=0.0))),
        amount=draw(_optional(measures(draw(currencies()), min_value=0.0))),
        count=draw(_optional(measures("item", min_value=0.0))),
        origin=draw(_optional(locations())),
        destination=draw(_optional(locations())),
        route=draw(_optional(places())),
        period=draw(_optional(periods())),
        purpose=draw(st.sampled_from(Purpose)),
        donor=draw(_optional(parties())),
        channel=draw(_optional(parties())),
    )


@st.composite
def events(draw: st.DrawFn, related: tuple[str, ...] = ()) -> Event:
    """Valid events; ``related`` ids are drawn from the given ones."""
    return Event(
        **_record_fields(draw, Event),
        kind=draw(st.sampled_from(EventKind)),
        period=draw(periods()),
        title=draw(texts()),
        actors=tuple(draw(st.lists(parties(), max_size=3))),
        place=draw(_optional(locations())),
        description=draw(st.just("") | texts()),
        measures=tuple(draw(st.lists(measures(), max_size=2))),
        related=tuple(draw(st.lists(st.sampled_from(related), max_size=2))) if related else (),
    )


@st.composite
def claims(draw: st.DrawFn, subjects: tuple[str, ...] = ("a", "b")) -> Claim:
    """Valid claims relating records with the given ids."""
    kind = draw(st.sampled_from(ClaimKind))
    count = 1 if kind is ClaimKind.SHARES_OF_WHOLE else 2
    chosen = tuple(draw(st.lists(st.sampled_from(subjects), min_size=count, max_size=count + 1)))
    needs_stated = kind in (ClaimKind.PERCENT_CHANGE, ClaimKind.RATIO, ClaimKind.SHARE)
    stated = draw(measures("percent")) if needs_stated else draw(_optional(measures("percent")))
    direction = (
        draw(st.sampled_from(Direction)) if kind is ClaimKind.DIRECTION else draw(_optional(st.sampled_from(Direction)))
    )
    return Claim(
        **_record_fields(draw, Claim),
        kind=kind,
        subjects=chosen,
        field=draw(st.sampled_from(["amount", "mass", "count", "share"])),
        stated=stated,
        direction=direction,
        description=draw(st.just("") | texts()),
    )


@st.composite
def datasets(draw: st.DrawFn, *, max_records: int = 4) -> Dataset:
    """Valid datasets with unique ids and claims and events that link to records in them."""
    flows = draw(st.lists(trade_flows(), max_size=max_records, unique_by=lambda r: r.id))
    ships = draw(st.lists(shipments(), max_size=max_records, unique_by=lambda r: r.id))
    used = {record.id for record in (*flows, *ships)}
    ships = [s for s in ships if s.id not in {f.id for f in flows}]
    ids = tuple(sorted(used)) or ("x",)
    evts = [e for e in draw(st.lists(events(ids if used else ()), max_size=max_records)) if e.id not in used]
    evts = list({e.id: e for e in evts}.values())
    used |= {e.id for e in evts}
    claim_list: list[Claim] = []
    if flows or ships:
        subject_ids = tuple(sorted({r.id for r in (*flows, *ships)}))
        for claim in draw(st.lists(claims(subject_ids), max_size=max_records)):
            if claim.id not in used:
                used.add(claim.id)
                claim_list.append(claim)
    return Dataset(trade_flows=tuple(flows), shipments=tuple(ships), events=tuple(evts), claims=tuple(claim_list))


@st.composite
def _quote_periods(draw: st.DrawFn) -> Period:
    """A calendar year, month or day, as exchange rates are quoted for."""
    year = draw(st.integers(min_value=1985, max_value=2030))
    kind = draw(st.sampled_from(("year", "month", "day")))
    if kind == "year":
        return Period.year(year)
    if kind == "month":
        return Period.month(year, draw(st.integers(min_value=1, max_value=12)))
    return Period.day(draw(st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31))))


def _rates() -> st.SearchStrategy[float]:
    """Positive finite rates, from fractions of a unit to millions per US dollar."""
    return st.floats(min_value=1e-4, max_value=1e7, allow_nan=False, allow_infinity=False)


def _rate_sources() -> st.SearchStrategy[str]:
    """Source ids of rate quotes: a few fixed ones (fast to draw) and arbitrary record-id-like ones."""
    return st.sampled_from(("wdi-2025-07-01", "bis", "mine", "ECB reference rate")) | record_ids()


def rate_quotes(currency: str | None = None) -> st.SearchStrategy[RateQuote]:
    """Valid exchange-rate quotes of ``currency`` (or any currency but USD) per US dollar."""
    codes = st.just(currency) if currency is not None else st.sampled_from(sorted(CURRENCIES - {"USD"}))
    return st.builds(RateQuote, codes, _quote_periods(), _rates(), _rate_sources())


@st.composite
def exchange_rates(draw: st.DrawFn, *, min_currencies: int = 0, max_quotes: int = 4) -> ExchangeRates:
    """Small valid tables of US dollar rates: a few currencies, each with a few years, months or days.

    Rouble quotes are drawn as RUR or RUB at random; the table never quotes
    one rouble period twice.
    """
    series = draw(
        st.lists(st.sampled_from(sorted(CURRENCIES - {"USD", "RUR"})), min_size=min_currencies, max_size=3, unique=True)
    )
    quotes = []
    for code in series:
        for period in draw(st.lists(_quote_periods(), min_size=1, max_size=max_quotes, unique=True)):
            quoted = draw(st.sampled_from(("RUB", "RUR"))) if code == "RUB" else code
            quotes.append(RateQuote(quoted, period, draw(_rates()), draw(_rate_sources())))
    return ExchangeRates(quotes)


#: Currencies and the years nkru's shipped rates (nkru/data/usd_rates.csv) cover for them.
_RATED_YEARS = {"USD": (1985, 2024), "SUR": (1985, 1990), "RUR": (1992, 1997), "RUB": (1998, 2023), "EUR": (1999, 2024)}


@st.composite
def table_flows(draw: st.DrawFn) -> TradeFlow:
    """Trade flows a :class:`~nkru.table.TradeTable` holds, convertible to US dollars with nkru's shipped rates.

    Periods are calendar years or months, figures exact and reported, values
    in a currency with a shipped rate for the year, masses in t or kg; no
    citations, notes, counts or shares.
    """
    currency = draw(st.sampled_from(sorted(_RATED_YEARS)))
    year = draw(st.integers(*_RATED_YEARS[currency]))
    month = draw(st.integers(min_value=0, max_value=12))
    amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
    amount = draw(_optional(amounts.map(lambda v: Measure(quantity(v, currency)))))
    mass_unit = draw(st.sampled_from(["t", "kg"]))
    mass = draw(_optional(amounts.map(lambda v: Measure(quantity(v, mass_unit)))))
    if amount is None and mass is None:
        amount = Measure(quantity(draw(amounts), currency))
    return TradeFlow(
        id=draw(record_ids()),
        reporter=draw(countries()),
        partner=draw(countries()),
        flow=draw(st.sampled_from(Flow)),
        period=Period.year(year) if month == 0 else Period.month(year, month),
        commodity=draw(_optional(commodities())),
        amount=amount,
        mass=mass,
    )


def trade_tables(*, max_rows: int = 20) -> st.SearchStrategy[TradeTable]:
    """Small trade tables built from :func:`table_flows`."""
    return st.lists(table_flows(), max_size=max_rows).map(TradeTable.from_records)


@st.composite
def comtrade_tables(draw: st.DrawFn, *, max_rows: int = 12) -> TradeTable:
    """Small tables as Comtrade fills them: areas beside countries, and every Comtrade column, missing or not."""
    size = draw(st.integers(min_value=0, max_value=max_rows))
    parties = st.one_of(countries().map(lambda c: (c.code, AreaKind.COUNTRY.value)), areas().map(_area_cell))
    partners = draw(st.lists(parties, min_size=size, max_size=size))
    reporters = draw(st.lists(parties.filter(lambda p: p[1] != AreaKind.WORLD.value), min_size=size, max_size=size))
    # one kind per code, as a table holds
    kinds = dict((*partners, *reporters))

    def column(values: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(values, min_size=size, max_size=size))

    amounts = st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False)
    codes = st.sampled_from([-1, 0, 1, 2, 4, 6, 9])
    flags = st.sampled_from([True, False, None])
    data: dict[str, Any] = {
        "reporter": [code for code, _kind in reporters],
        "reporter_kind": [kinds[code] for code, _kind in reporters],
        "partner": [code for code, _kind in partners],
        "partner_kind": [kinds[code] for code, _kind in partners],
        "flow": column(st.sampled_from(["X", "M", "RX", "RM"])),
        "year": column(st.integers(min_value=1990, max_value=2024)),
        "month": column(st.integers(min_value=0, max_value=12)),
        "hs": column(st.sampled_from([None, "27", "2710", "271019", "85", "8542"])),
        "value": column(amounts),
        "currency": ["USD"] * size,
        "mass": column(amounts),
        "qty": column(amounts),
        "qty_unit_code": column(codes),
    }
    for extra in EXTRAS:
        if extra.kind in ("money", "mass", "number"):
            data[extra.name] = column(amounts)
        elif extra.kind == "code":
            data[extra.name] = column(codes)
        elif extra.kind == "flag":
            data[extra.name] = pd.array(column(flags), dtype="boolean")
        else:
            data[extra.name] = pd.Categorical(column(st.sampled_from([None, "C00", "C01", "H4", "S4"])))
    frame = pd.DataFrame(data)
    for name in (
        "value",
        "mass",
        "qty",
        *(extra.name for extra in EXTRAS if extra.kind in ("money", "mass", "number")),
    ):
        frame[name] = frame[name].astype(float)
    return TradeTable.from_frame(frame)


@st.composite
def split_tables(draw: st.DrawFn, table: TradeTable, *, max_parts: int = 5) -> list[TradeTable]:
    """``table`` cut into consecutive pieces at random rows (some may be empty), as partitions hold it."""
    count = draw(st.integers(min_value=1, max_value=max_parts))
    cuts = sorted(
        draw(st.lists(st.integers(min_value=0, max_value=len(table)), min_size=count - 1, max_size=count - 1))
    )
    rows = np.arange(len(table))
    bounds = [0, *cuts, len(table)]
    return [table.where((rows >= start) & (rows < stop)) for start, stop in itertools.pairwise(bounds)]


def dask_trade_tables(tables: st.SearchStrategy[TradeTable] | None = None) -> st.SearchStrategy[DaskTradeTable]:
    """Lazy :class:`~nkru.dask.DaskTradeTable` s over random partitions of ``tables`` (needs the dask extra)."""
    from nkru.dask import DaskTradeTable  # noqa: PLC0415 - optional extra: this module imports without it

    source = comtrade_tables() if tables is None else tables
    return source.flatmap(split_tables).map(DaskTradeTable.from_tables)


def _area_cell(area: Area) -> tuple[str, str]:
    return area.code, area.kind.value


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    """Valid findings of every rule and severity, with and without figures."""
    return Finding(
        rule=draw(st.sampled_from(Rule)),
        severity=draw(st.sampled_from(Severity)),
        message=draw(texts(max_size=200)),
        record_ids=tuple(draw(st.lists(record_ids(), max_size=4))),
        quotes=tuple(draw(st.lists(texts(), max_size=3))),
        computed=draw(_optional(measures("percent"))),
        stated=draw(_optional(measures())),
        tolerance=draw(_optional(st.floats(min_value=0, max_value=1e6, allow_nan=False))),
    )


def reports(*, max_findings: int = 5) -> st.SearchStrategy[Report]:
    """Reports of a few :func:`findings`."""
    return st.lists(findings(), max_size=max_findings).map(lambda items: Report(findings=tuple(items)))


#: The British spelling of nkru 0.1, served until 0.3 with a DeprecationWarning.
__getattr__ = moved_names(__name__, {"organisations": "nkru.strategies:organizations"})

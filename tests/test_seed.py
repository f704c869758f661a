"""The seed dataset: coverage of the text, provenance of every quote, round trips, and the readings."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import CHECKOUT, SEEDS
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country, PlaceKind, Region
from nkru.periods import Period, Precision
from nkru.records import Event, Flow, Purpose, Shipment, TradeFlow
from nkru.seed import (
    EXCLUSIONS,
    SEED_DOCUMENT_ID,
    Mention,
    MentionKind,
    find_mentions,
    load_seed_dataset,
    seed_text,
    uncovered_mentions,
)
from nkru.serialization import from_json, to_dict, to_json
from nkru.units import currency_of, format_unit, money, quantity, to_unit

REPO_COPY = CHECKOUT / "seeds" / f"{SEED_DOCUMENT_ID}.txt"
SHARED_COPY = SEEDS / f"{SEED_DOCUMENT_ID}.txt"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_seed_dataset()


def _without(dataset: Dataset, record_id: str) -> Dataset:
    """The dataset less one record, and less the claims and events that would be left pointing at it."""
    return _dropping(dataset, record_id)[0]


def _dropping(dataset: Dataset, record_id: str) -> tuple[Dataset, set[str]]:
    """The dataset less one record and what links to it, and the ids removed."""
    gone = {record_id}
    while True:
        kept_events = tuple(e for e in dataset.events if e.id not in gone and not gone & set(e.related))
        kept_claims = tuple(c for c in dataset.claims if c.id not in gone and not gone & set(c.subjects))
        removed = {e.id for e in dataset.events} - {e.id for e in kept_events}
        removed |= {c.id for c in dataset.claims} - {c.id for c in kept_claims}
        if removed <= gone:
            break
        gone |= removed
    kept = Dataset(
        trade_flows=tuple(r for r in dataset.trade_flows if r.id not in gone),
        shipments=tuple(r for r in dataset.shipments if r.id not in gone),
        events=kept_events,
        claims=kept_claims,
    )
    return kept, gone


# -- 1. coverage --------------------------------------------------------------------------------


class TestFindMentions:
    def test_numerals_keep_their_separators(self) -> None:
        found = find_mentions("830,000 tons; $1.97 billion; 19.8.2011; 1,070.")
        assert [m.text for m in found] == ["830,000", "1.97", "billion", "19.8.2011", "1,070"]
        assert [m.kind for m in found] == [
            MentionKind.NUMERAL,
            MentionKind.NUMERAL,
            MentionKind.NUMBER_WORD,
            MentionKind.NUMERAL,
            MentionKind.NUMERAL,
        ]

    def test_digits_inside_words_count(self) -> None:
        assert [m.text for m in find_mentions("US$1, 5m, the 5th, mid-1990s, Tebaeksan-96")] == [
            "1",
            "5",
            "5",
            "1990",
            "96",
        ]

    def test_words_for_numbers_ordinals_and_dates(self) -> None:
        text = (
            "Ninety three, twice, several hundred, for the first time. A week later, Few days, on Friday, in the fall."
        )
        found = [(m.text, m.kind) for m in find_mentions(text)]
        assert found == [
            ("Ninety", MentionKind.NUMBER_WORD),
            ("three", MentionKind.NUMBER_WORD),
            ("twice", MentionKind.NUMBER_WORD),
            ("several", MentionKind.NUMBER_WORD),
            ("hundred", MentionKind.NUMBER_WORD),
            ("first", MentionKind.ORDINAL),
            ("week", MentionKind.DATE_WORD),
            ("Few", MentionKind.NUMBER_WORD),
            ("days", MentionKind.DATE_WORD),
            ("Friday", MentionKind.DATE_WORD),
            ("fall", MentionKind.DATE_WORD),
        ]

    def test_month_names_only_with_their_capital(self) -> None:
        assert [m.text for m in find_mentions("It may rain in May or in march.")] == ["May"]

    def test_words_inside_longer_words_do_not_count(self) -> None:
        assert find_mentions("someone often attends, nineteenth-century daydream") == ()

    def test_qualifiers_are_not_numbers(self) -> None:
        assert find_mentions("about some no more than a mere none") == ()

    @given(st.text(alphabet=st.sampled_from("0123456789.,- abcdefinorstuvwxyFSMT"), max_size=80))
    def test_mentions_are_ordered_disjoint_slices(self, text: str) -> None:
        found = find_mentions(text)
        for mention in found:
            assert text[mention.start : mention.end] == mention.text
        for before, after in itertools.pairwise(found):
            assert before.end <= after.start

    @given(st.text(max_size=60))
    def test_without_records_everything_is_uncovered(self, text: str) -> None:
        assert uncovered_mentions(Dataset(), text, ()) == find_mentions(text)


class TestCoverage:
    def test_every_number_and_date_is_cited_or_excluded(self, ds: Dataset) -> None:
        assert uncovered_mentions(ds) == ()

    def test_the_text_has_the_mentions_a_reader_sees(self) -> None:
        texts = [m.text for m in find_mentions(seed_text())]
        for expected in ("Ninety", "830,000", "172.3", "6,092", "twice", "19.8.2011", "Friday", "5", "80"):
            assert expected in texts

    def test_only_the_closing_quotations_are_excluded(self, ds: Dataset) -> None:
        excluded = uncovered_mentions(ds, seed_text(), ())
        assert [m.text for m in excluded] == ["1874", "1964", "1842", "1911"]
        quotes_section = seed_text().index("Famous quotes")
        assert all(m.start > quotes_section for m in excluded)

    def test_exclusions_give_reasons(self) -> None:
        assert EXCLUSIONS
        for exclusion in EXCLUSIONS:
            assert "not data" in exclusion.reason

    def test_dropping_a_record_reports_its_numbers(self, ds: Dataset) -> None:
        missing = uncovered_mentions(_without(ds, "tf.turnover.1990"))
        assert [m.text for m in missing] == ["1.97", "billion", "1990"]
        assert all(m.start >= seed_text().index("to $1.97 billion in 1990") for m in missing)

    def test_dropping_a_claim_reports_its_stated_percentage(self, ds: Dataset) -> None:
        missing = uncovered_mentions(_without(ds, "cl.trade-growth.2000-2005"))
        assert [(m.text, m.start) for m in missing] == [("64", seed_text().index("64%"))]

    @pytest.mark.parametrize("record_id", [r.id for r in load_seed_dataset()])
    def test_what_a_dropped_record_uncovers_lies_in_its_quotes(self, ds: Dataset, record_id: str) -> None:
        kept, gone = _dropping(ds, record_id)
        assert len(kept) == len(ds) - len(gone)
        spans = [(s.start, s.end) for dropped in gone for s in ds.get(dropped).sources]
        for mention in uncovered_mentions(kept):
            assert any(start <= mention.start and mention.end <= end for start, end in spans), mention


# -- 2. provenance ------------------------------------------------------------------------------


class TestProvenance:
    def test_every_quote_is_the_text_at_its_offsets(self, ds: Dataset) -> None:
        text = seed_text()
        checked = 0
        for record in ds:
            assert record.sources, record.id
            for source in record.sources:
                assert source.document == SEED_DOCUMENT_ID
                assert text[source.start : source.end] == source.quote, record.id
                checked += 1
        assert checked >= len(ds)

    def test_exclusions_quote_the_text(self) -> None:
        text = seed_text()
        for exclusion in EXCLUSIONS:
            assert text[exclusion.source.start : exclusion.source.end] == exclusion.source.quote

    def test_the_copies_of_the_text_are_identical(self) -> None:
        packaged = seed_text().encode("utf-8")
        assert REPO_COPY.read_bytes() == packaged
        if SHARED_COPY.exists():
            assert SHARED_COPY.read_bytes() == packaged

    def test_the_shipped_file_is_what_the_build_script_writes(self) -> None:
        result = subprocess.run(
            [sys.executable, str(CHECKOUT / "tools" / "build_seed.py"), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def test_every_record_explains_itself(self, ds: Dataset) -> None:
        for record in ds:
            assert record.notes, record.id
            assert all(note.strip() for note in record.notes)

    def test_ids_name_the_record_type(self, ds: Dataset) -> None:
        prefixes = {TradeFlow: "tf.", Shipment: "sh.", Event: "ev.", Claim: "cl."}
        for record in ds:
            assert record.id.startswith(prefixes[type(record)]), record.id


# -- 3. round trip ------------------------------------------------------------------------------


class TestRoundTrip:
    def test_json_round_trip_is_lossless(self, ds: Dataset) -> None:
        again = from_json(to_json(ds), Dataset)
        assert again == ds
        assert to_dict(again) == to_dict(ds)

    def test_loading_is_cached(self) -> None:
        assert load_seed_dataset() is load_seed_dataset()

    def test_counts(self, ds: Dataset) -> None:
        assert (len(ds.trade_flows), len(ds.shipments), len(ds.events), len(ds.claims)) == (23, 10, 24, 18)


# -- 4. the readings ----------------------------------------------------------------------------


def _flow(ds: Dataset, record_id: str) -> TradeFlow:
    record = ds.get(record_id)
    assert isinstance(record, TradeFlow)
    return record


def _shipment(ds: Dataset, record_id: str) -> Shipment:
    record = ds.get(record_id)
    assert isinstance(record, Shipment)
    return record


def _event(ds: Dataset, record_id: str) -> Event:
    record = ds.get(record_id)
    assert isinstance(record, Event)
    return record


def _claim(ds: Dataset, record_id: str) -> Claim:
    record = ds.get(record_id)
    assert isinstance(record, Claim)
    return record


def _measure(value: Measure | None) -> Measure:
    assert value is not None
    return value


class TestTradeFigures:
    def test_turnover_1990_is_exactly_the_stated_figure(self, ds: Dataset) -> None:
        flow = _flow(ds, "tf.turnover.1990")
        value = _measure(flow.amount)
        assert value == Measure(money(1.97e9, "USD"), resolution=1e7)
        assert value.value is not None
        assert value.value.magnitude == 1.97e9
        assert (flow.reporter, flow.partner, flow.flow) == (Country("SUN"), Country("PRK"), Flow.TURNOVER)
        assert flow.period == Period.year(1990)

    def test_late_1980s_peak_is_a_fuzzy_part_of_a_decade(self, ds: Dataset) -> None:
        period = _flow(ds, "tf.turnover.late-1980s").period
        assert (period.start, period.end) == (dt.date(1987, 1, 1), dt.date(1989, 12, 31))
        assert period.precision is Precision.PART_OF_DECADE
        assert period.approximate

    def test_share_1988_is_approximate(self, ds: Dataset) -> None:
        share = _measure(_flow(ds, "tf.share.prk-sun.1988").share)
        assert share.qualifier is Qualifier.APPROXIMATE
        assert share.value == quantity(60.0, "percent")

    def test_grain_2002_is_an_upper_bound(self, ds: Dataset) -> None:
        mass = _measure(_flow(ds, "tf.exports.grain.2002").mass)
        assert mass.qualifier is Qualifier.AT_MOST
        assert mass.bounds == (None, quantity(890.0, "t"))

    def test_grain_2004_has_weight_and_value(self, ds: Dataset) -> None:
        flow = _flow(ds, "tf.exports.grain.2004")
        assert _measure(flow.mass).value == quantity(34716.0, "t")
        assert _measure(flow.amount).value == money(5.31e6, "USD")

    def test_no_grain_in_2005_is_zero_tonnes(self, ds: Dataset) -> None:
        for record_id in ("tf.exports.grain.2005", "tf.exports.grain.2006-jan-mar"):
            mass = _measure(_flow(ds, record_id).mass)
            assert mass == Measure(quantity(0.0, "t"))

    def test_first_nine_months_of_2005(self, ds: Dataset) -> None:
        for record_id in ("tf.exports.2005-jan-sep", "tf.imports.2005-jan-sep", "tf.exports.oil-products.2005-jan-sep"):
            period = _flow(ds, record_id).period
            assert (period.start, period.end) == (dt.date(2005, 1, 1), dt.date(2005, 9, 30))
            assert period.precision is Precision.MONTHS
        assert "period" not in _flow(ds, "tf.exports.2005-jan-sep").inferred
        assert "period" in _flow(ds, "tf.imports.2005-jan-sep").inferred

    def test_imports_2005_are_an_estimate(self, ds: Dataset) -> None:
        value = _measure(_flow(ds, "tf.imports.2005-jan-sep").amount)
        assert value.status is ObsStatus.ESTIMATED
        assert value.value == money(3.6e6, "USD")

    def test_turnover_2005_keeps_its_stated_resolution(self, ds: Dataset) -> None:
        value = _measure(_flow(ds, "tf.turnover.2005").amount)
        assert value.value == money(172.3e6, "USD")
        assert value.resolution == pytest.approx(1e5)

    def test_export_shares(self, ds: Dataset) -> None:
        shares = {
            record_id: _measure(_flow(ds, record_id).share).value
            for record_id in _claim(ds, "cl.export-shares.2005-jan-sep").subjects
        }
        assert shares == {
            "tf.exports.oil-products.2005-jan-sep": quantity(63.0, "percent"),
            "tf.exports.ferrous-metal.2005-jan-sep": quantity(8.0, "percent"),
            "tf.exports.machinery.2005-jan-sep": quantity(8.0, "percent"),
        }
        assert _flow(ds, "tf.exports.oil-products.2005-jan-sep").commodity is not None

    def test_petroleum_2006_reading_is_the_remaining_volume(self, ds: Dataset) -> None:
        after = _flow(ds, "tf.exports.petroleum.2006-jan-mar")
        before = _flow(ds, "tf.exports.petroleum.2005-jan-mar")
        assert _measure(after.mass).value == quantity(6092.0, "t")
        assert after.period == Period.months(2006, 1, 3)
        assert before.period == Period.months(2005, 1, 3)
        base = _measure(before.mass)
        assert base.status is ObsStatus.DERIVED
        assert "mass" in before.inferred
        low, high = base.bounds
        assert low is not None
        assert high is not None
        # Both stated figures at the ends of their rounding: 6,091.5-6,092.5 t left after a 91.05-91.15% fall.
        assert low.magnitude <= 6091.5 / (1 - 0.9105) <= 6092.5 / (1 - 0.9115) <= high.magnitude
        assert any("6,687 t" in note for note in after.notes)  # the other reading is written down

    def test_exports_1993_carry_only_the_ratio(self, ds: Dataset) -> None:
        flow = _flow(ds, "tf.exports.1993")
        assert flow.amount is None
        # "a mere 10% of its previous contributions" is a level relative to an earlier one, not a share.
        assert flow.share is None
        assert flow.share_of is None
        assert _measure(flow.relative_level).value == quantity(10.0, "percent")
        assert flow.relative_base is None  # the text does not say which earlier level
        assert {"reporter", "partner"} <= set(flow.inferred)

    def test_turnover_2005_carries_the_nine_month_reading(self, ds: Dataset) -> None:
        flow = _flow(ds, "tf.turnover.2005")
        assert flow.period == Period.year(2005)  # as the text states it
        assert flow.likely_period == Period.months(2005, 1, 9)
        assert "likely_period" in flow.inferred
        assert any("168.7 + 3.6" in note for note in flow.notes)

    def test_regional_share(self, ds: Dataset) -> None:
        flow = _flow(ds, "tf.share.russian-regions")
        assert _measure(flow.share).value == quantity(80.0, "percent")
        assert flow.period.approximate
        assert "period" in flow.inferred


class TestShipments:
    def test_freight_through_khasan(self, ds: Dataset) -> None:
        early, late = _shipment(ds, "sh.freight.khasan.1989"), _shipment(ds, "sh.freight.khasan.1998")
        assert _measure(early.mass).value == quantity(830_000.0, "t")
        assert _measure(late.mass).value == quantity(150_000.0, "t")
        for shipment in (early, late):
            assert shipment.origin is not None
            assert shipment.route is not None
            assert shipment.route.kind is PlaceKind.BORDER_CROSSING
            assert shipment.origin.name == "Khasan"

    def test_old_roubles_in_the_fall_of_1997(self, ds: Dataset) -> None:
        aid = _shipment(ds, "sh.aid.1997-fall")
        value = _measure(aid.amount)
        assert value.value is not None
        assert currency_of(value.value) == "RUR"
        assert value.value.magnitude == 4.5e9
        assert to_unit(value.value, "RUB") == money(4.5e6, "RUB")
        assert aid.period == Period(dt.date(1997, 9, 1), dt.date(1997, 11, 30), Precision.SEASON)
        assert aid.purpose is Purpose.HUMANITARIAN_AID

    def test_december_1997_roubles_are_inferred_to_be_old(self, ds: Dataset) -> None:
        aid = _shipment(ds, "sh.aid.1997-12")
        value = _measure(aid.amount)
        assert value.value is not None
        assert format_unit(value.value) == "RUR"
        assert value.value.magnitude == 3.5e9
        assert "amount" in aid.inferred
        assert any("1998-01-01" in note for note in aid.notes)
        assert aid.period == Period.month(1997, 12)

    def test_370_tones_stays_verbatim(self, ds: Dataset) -> None:
        aid = _shipment(ds, "sh.aid.1997-12")
        assert any("370 tones" in quote for quote in aid.quotes)
        assert _measure(aid.mass).value == quantity(370.0, "t")
        assert any("tonnes" in note and "tones" in note for note in aid.notes)

    def test_food_aid_of_2011(self, ds: Dataset) -> None:
        bilateral = _shipment(ds, "sh.grain.bilateral.2011")
        flour = _shipment(ds, "sh.flour.wfp.2011")
        gazprom = _shipment(ds, "sh.grain.gazprom.2011")
        assert _measure(bilateral.mass).value == quantity(50_000.0, "t")
        assert _measure(flour.amount).value == money(5e6, "USD")
        assert _measure(gazprom.mass).value == quantity(10_000.0, "t")
        assert any("World Food Organization programme" in quote for quote in flour.quotes)
        assert flour.channel is not None
        assert flour.channel.name == "World Food Programme"
        assert "channel" in flour.inferred
        assert gazprom.donor is not None
        assert gazprom.donor.name == "Gazprom"

    def test_2008_deliveries_under_obligation(self, ds: Dataset) -> None:
        shipment = _shipment(ds, "sh.oil-and-food.2008")
        assert shipment.purpose is Purpose.OBLIGATION
        assert shipment.period == Period.year(2008)


class TestEvents:
    def test_pledge_of_19_august_2011(self, ds: Dataset) -> None:
        pledge = _event(ds, "ev.food-aid.pledge.2011-08-19")
        assert pledge.period == Period.day(dt.date(2011, 8, 19))
        assert pledge.measures == (Measure(quantity(50_000.0, "t"), Qualifier.APPROXIMATE, resolution=1.0),)

    def test_2_february_is_2012_by_inference(self, ds: Dataset) -> None:
        statement = _event(ds, "ev.sukhinin.statement.2012-02-02")
        assert statement.period == Period.day(dt.date(2012, 2, 2))
        assert "period" in statement.inferred
        assert any("2011" in note for note in statement.notes)

    def test_delegation_window_holds_the_friday(self, ds: Dataset) -> None:
        meeting = _event(ds, "ev.choe-yong-rim.meets-delegation.2011")
        protocol = _event(ds, "ev.intergovernmental-committee.protocol.2011")
        assert meeting.period == protocol.period
        assert meeting.period.approximate
        assert meeting.period.start > dt.date(2011, 8, 19) + dt.timedelta(weeks=1)
        fridays = [
            meeting.period.start + dt.timedelta(days=n)
            for n in range(meeting.period.days)
            if (meeting.period.start + dt.timedelta(days=n)).weekday() == 4
        ]
        assert fridays
        assert any(all(day.isoformat() in note for day in fridays) for note in meeting.notes)

    def test_kamaz(self, ds: Dataset) -> None:
        line = _event(ds, "ev.kamaz.assembly-line.2007")
        trucks = _event(ds, "ev.kamaz.trucks-assembled.2007")
        assert line.period == Period.year(2007)
        assert line.place is not None
        assert line.place.name == "Pyongsong"
        assert trucks.measures == (Measure(quantity(50.0, "item"), Qualifier.LESS_THAN, resolution=1.0),)
        assert trucks.related == ("ev.kamaz.assembly-line.2007",)

    def test_amur_land(self, ds: Dataset) -> None:
        plan = _event(ds, "ev.amur.land-rent-plan.2011-09")
        (rent,) = plan.measures
        assert rent.qualifier is Qualifier.RANGE
        assert rent.bounds == (quantity(200_000.0, "hectare"), quantity(900_000.0, "hectare"))
        assert plan.period == Period(dt.date(2011, 9, 1), dt.date(2011, 9, 10), Precision.DAYS, approximate=True)
        (idle,) = _event(ds, "ev.amur.idle-land.2011-09").measures
        assert idle == Measure(quantity(200_000.0, "hectare"), Qualifier.APPROXIMATE, resolution=1.0)

    def test_factories_and_aid_counts(self, ds: Dataset) -> None:
        assert _event(ds, "ev.factories.technical-assistance").measures == (
            Measure(quantity(93.0, "item"), resolution=1.0),
        )
        (twice,) = _event(ds, "ev.aid.1997").measures
        assert twice.value == quantity(2.0, "item")

    def test_nuclear_test_and_sanctions(self, ds: Dataset) -> None:
        assert _event(ds, "ev.nuclear-test.2006-10").period == Period.month(2006, 10)
        sanctions = _event(ds, "ev.sanctions.approved")
        assert "period" in sanctions.inferred
        assert sanctions.period.start >= dt.date(2006, 10, 1)

    def test_most_active_regions(self, ds: Dataset) -> None:
        event = _event(ds, "ev.most-active-regions")
        assert set(event.actors) == {Region("RU-KEM"), Region("RU-MAG"), Region("RU-PRI")}
        assert event.place is not None
        assert event.place.kind is PlaceKind.AREA  # type: ignore[union-attr]

    def test_inferred_periods_are_flagged(self, ds: Dataset) -> None:
        for record_id in (
            "ev.kim-jong-il.visit.2011-08",
            "ev.wheat-deliveries.khasan.2011-09",
            "ev.intergovernmental-committee.protocol.2011",
            "ev.fuel-oil-supplies.curtailed",
            "ev.soviet-union.main-partner",
        ):
            assert "period" in _event(ds, record_id).inferred, record_id

    def test_september_of_ishayev_is_2011(self, ds: Dataset) -> None:
        assert _event(ds, "ev.wheat-deliveries.khasan.2011-09").period == Period.month(2011, 9)


class TestClaims:
    def test_stated_growth_of_64_percent(self, ds: Dataset) -> None:
        claim = _claim(ds, "cl.trade-growth.2000-2005")
        assert claim.kind is ClaimKind.PERCENT_CHANGE
        assert claim.subjects == ("tf.turnover.2000", "tf.turnover.2005")
        assert claim.stated == Measure(quantity(64.0, "percent"), resolution=1.0)
        assert claim.direction is Direction.INCREASE

    def test_decrease_of_91_1_percent_is_negative(self, ds: Dataset) -> None:
        claim = _claim(ds, "cl.petroleum.decreased.2006-jan-mar")
        assert claim.stated == Measure(quantity(-91.1, "percent"), resolution=0.1)
        assert claim.direction is Direction.DECREASE
        assert claim.field == "mass"

    def test_stated_directions(self, ds: Dataset) -> None:
        directions = {c.id: c.direction for c in ds.claims if c.kind is ClaimKind.DIRECTION}
        assert directions == {
            "cl.turnover.dropped.late-1980s-1990": Direction.DECREASE,
            "cl.turnover.dropped.1990-1991": Direction.DECREASE,
            "cl.freight.khasan.1989-1998": Direction.DECREASE,
            "cl.fuel-oil.jumped.2002-2003": Direction.INCREASE,
            "cl.grain.increased.2002-2003": Direction.INCREASE,
            "cl.grain.increased.2003-2004": Direction.INCREASE,
            "cl.grain.none.2005": Direction.DECREASE,
            "cl.grain.remained-zero.2006-jan-mar": Direction.UNCHANGED,
            "cl.soviet-aid.expanded.1965-1968": Direction.INCREASE,
        }

    def test_directions_not_in_words_are_flagged(self, ds: Dataset) -> None:
        for record_id in ("cl.freight.khasan.1989-1998", "cl.grain.none.2005"):
            assert "direction" in _claim(ds, record_id).inferred

    def test_a_mere_ten_percent(self, ds: Dataset) -> None:
        claim = _claim(ds, "cl.exports.declined.1993")
        assert claim.kind is ClaimKind.RATIO
        assert claim.stated == Measure(quantity(10.0, "percent"), resolution=1.0)
        assert claim.subjects[1] == "tf.exports.1993"

    def test_claims_quote_the_words_of_the_relation(self, ds: Dataset) -> None:
        words = {
            "cl.turnover.dropped.late-1980s-1990": "dropped",
            "cl.fuel-oil.jumped.2002-2003": "jumped",
            "cl.trade-growth.2000-2005": "64%",
            "cl.petroleum.decreased.2006-jan-mar": "91.1 percent",
            "cl.grain.remained-zero.2006-jan-mar": "remained zero",
            "cl.exports.declined.1993": "a mere 10%",
        }
        for record_id, word in words.items():
            assert any(word in quote for quote in _claim(ds, record_id).quotes), record_id

    def test_part_of_total_claims_are_a_readers(self, ds: Dataset) -> None:
        parts = [c for c in ds.claims if c.kind is ClaimKind.PART_OF_TOTAL]
        assert {c.subjects for c in parts} == {
            ("tf.exports.2005-jan-sep", "tf.turnover.2005"),
            ("tf.imports.2005-jan-sep", "tf.turnover.2005"),
        }
        assert all("kind" in c.inferred for c in parts)

    def test_every_claim_compares_a_field_its_subjects_have(self, ds: Dataset) -> None:
        for claim in ds.claims:
            for subject in claim.subjects:
                assert attrs.has(type(ds.get(subject)))
                assert claim.field in attrs.fields_dict(type(ds.get(subject))), (claim.id, subject)


def test_one_label_per_hs_code(ds: Dataset) -> None:
    labels: dict[str, set[str]] = {}
    for record in ds:
        goods = getattr(record, "commodity", None)
        if goods is not None and goods.hs is not None:
            labels.setdefault(goods.hs, set()).add(goods.label)
    assert {code: found for code, found in labels.items() if len(found) > 1} == {}
    assert labels["10"] == {"grain"}
    # The text's own wording stays in the quote.
    assert "food grains" in " ".join(_flow(ds, "tf.exports.grain.2006-jan-mar").quotes)


def test_mention_is_plain_data() -> None:
    mention = Mention(3, 7, "1990", MentionKind.NUMERAL)
    assert (mention.start, mention.end, mention.text, mention.kind.value) == (3, 7, "1990", "numeral")

"""Tests for nkru.aggregate: totals, groups, shares, growth, annualization and the bound rules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru.aggregate import (
    GROUP_KEYS,
    annualize,
    cagr,
    group_balance,
    group_by,
    group_share,
    group_total,
    percent_change,
    share,
    total,
)
from nkru.commodities import Commodity
from nkru.errors import (
    CurrencyMismatchError,
    CurrencyNotInCirculationError,
    DoubleCountError,
    NkruError,
    RateNotFoundError,
    UnitMismatchError,
    ValidationError,
)
from nkru.fx import ExchangeRates, RateQuote
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country, Place, PlaceKind, Region
from nkru.periods import Period, Precision
from nkru.records import Flow, Shipment, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.strategies import measures
from nkru.units import money, quantity

EX, APPROX, RANGE = Qualifier.EXACT, Qualifier.APPROXIMATE, Qualifier.RANGE
AT_MOST, LESS, AT_LEAST, MORE = Qualifier.AT_MOST, Qualifier.LESS_THAN, Qualifier.AT_LEAST, Qualifier.MORE_THAN


def t(value: float, qualifier: Qualifier = EX, **kwargs: Any) -> Measure:
    return Measure(quantity(value, "t"), qualifier, **kwargs)


def t_range(low: float, high: float, value: float | None = None, qualifier: Qualifier = RANGE) -> Measure:
    return Measure(None if value is None else quantity(value, "t"), qualifier, quantity(low, "t"), quantity(high, "t"))


def flow(
    record_id: str,
    value: Measure | None,
    *,
    period: Period | None = None,
    kind: Flow = Flow.EXPORT,
    commodity: Commodity | None = None,
    mass: Measure | None = None,
    reporter: str = "RUS",
    partner: str = "PRK",
) -> TradeFlow:
    return TradeFlow(
        id=record_id,
        reporter=Country(reporter),
        partner=Country(partner),
        flow=kind,
        period=period or Period.year(2005),
        commodity=commodity,
        amount=value,
        mass=mass,
    )


def magnitude(m: Measure) -> float:
    assert m.value is not None
    return float(m.value.magnitude)


class TestTotalUnits:
    def test_exact_dollars(self) -> None:
        result = total([Measure(money(1.97e9, "USD")), Measure(money(0.58e9, "USD"))])
        assert result == Measure(money(2.55e9, "USD"), EX, status=ObsStatus.DERIVED)

    def test_mass_in_the_first_unit(self) -> None:
        result = total([t(2), Measure(quantity(500, "kg"))])
        assert result.value == quantity(2.5, "t")

    def test_mass_in_the_unit_asked_for(self) -> None:
        result = total([t(2), Measure(quantity(500, "kg"))], to="kg")
        assert result.value == quantity(2500.0, "kg")

    def test_roubles_across_the_redenomination_are_exact(self) -> None:
        result = total([Measure(money(1.0e6, "RUB")), Measure(money(4.5e9, "RUR"))])
        assert result.value == money(5.5e6, "RUB")
        assert result.qualifier is EX

    def test_mixed_currencies_refused(self) -> None:
        with pytest.raises(CurrencyMismatchError) as info:
            total([Measure(money(1, "USD")), Measure(money(1, "EUR"))])
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, NkruError)

    def test_mass_and_money_refused(self) -> None:
        with pytest.raises(UnitMismatchError):
            total([t(1), Measure(money(1, "USD"))])

    def test_converts_each_record_at_its_period(self) -> None:
        rates = ExchangeRates.default()
        records = [
            flow("a", Measure(money(56.5e6, "RUB")), period=Period.year(2005)),
            flow("b", Measure(money(10e6, "EUR")), period=Period.year(2011)),
            flow("c", Measure(money(4.5e9, "RUR")), period=Period.year(1997)),
            flow("d", Measure(money(3e6, "USD")), period=Period.year(2024)),
        ]
        expected = (
            56.5e6 / rates.rate("RUB", 2005) + 10e6 / rates.rate("EUR", 2011) + 4.5e9 / rates.rate("RUR", 1997) + 3e6
        )
        result = total(records, to="USD")
        assert result.value is not None
        assert result.value.units == money(1, "USD").units
        assert result.value.magnitude == pytest.approx(expected, rel=1e-12)
        # the 1997 figure alone is the example: 4.5 billion RUR at 5784.83 RUR per USD
        assert magnitude(total(records[2:3], to="USD")) == pytest.approx(4.5e9 / 5784.83333333333, rel=1e-9)

    def test_partial_period_uses_the_period_average(self) -> None:
        nine_months = Period.months(2005, 1, 9)
        result = total([flow("a", Measure(money(28.1452e6, "RUB")), period=nine_months)], to="USD")
        assert magnitude(result) == pytest.approx(28.1452e6 / ExchangeRates.default().rate("RUB", nine_months))
        assert magnitude(result) != pytest.approx(28.1452e6 / ExchangeRates.default().rate("RUB", 2005), rel=1e-6)

    def test_rates_of_ones_own(self) -> None:
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "mine")])
        result = total(
            [flow("a", Measure(money(100, "RUB"))), flow("b", Measure(money(1, "USD")))], to="USD", rates=rates
        )
        assert magnitude(result) == 5.0

    def test_bare_measures_need_on(self) -> None:
        items = [Measure(money(100, "RUB")), Measure(money(1, "USD"))]
        with pytest.raises(ValidationError, match=r"item 0.*has no period.*on="):
            total(items, to="USD")
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "mine")])
        assert magnitude(total(items, to="USD", rates=rates, on=2005)) == 5.0

    def test_rates_without_target_refused(self) -> None:
        with pytest.raises(ValidationError, match="to="):
            total([Measure(money(1, "USD"))], rates=ExchangeRates.default())

    def test_no_rate_for_the_year(self) -> None:
        with pytest.raises(RateNotFoundError, match="2024"):
            total([flow("a", Measure(money(1, "RUB")), period=Period.year(2024))], to="USD")

    def test_conversion_keeps_the_qualifier(self) -> None:
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "mine")])
        records = [flow("a", Measure(money(100, "RUB"), AT_MOST)), flow("b", Measure(money(1, "USD")))]
        result = total(records, to="USD", rates=rates)
        assert (result.qualifier, magnitude(result)) == (AT_MOST, 5.0)


class TestTotalMissingAndEmpty:
    def test_missing_field_names_the_record(self) -> None:
        records = [flow("a", Measure(money(1, "USD"))), flow("no-value", None, mass=t(5))]
        with pytest.raises(ValidationError, match=r"record 'no-value'.*has no amount"):
            total(records)

    def test_missing_skipped_when_asked(self) -> None:
        records = [flow("a", Measure(money(1, "USD"))), flow("b", None, mass=t(5)), flow("c", Measure(money(2, "USD")))]
        assert magnitude(total(records, missing="skip")) == 3.0
        assert magnitude(total(records, field="mass", missing="skip")) == 5.0

    def test_old_field_name_value_still_adds_amounts_with_a_warning(self) -> None:
        records = [flow("a", Measure(money(1, "USD"))), flow("b", Measure(money(2, "USD")))]
        with pytest.warns(DeprecationWarning, match=r"TradeFlow\.value is deprecated .* use TradeFlow\.amount"):
            old = total(records, field="value")
        assert old == total(records)
        assert magnitude(old) == 3.0

    def test_bad_missing_option(self) -> None:
        with pytest.raises(ValidationError, match="missing"):
            total([t(1)], missing="ignore")  # type: ignore[arg-type]

    def test_empty_needs_a_unit(self) -> None:
        with pytest.raises(ValidationError, match="empty"):
            total([])
        assert total([], to="USD") == Measure(money(0.0, "USD"), status=ObsStatus.DERIVED)

    def test_not_a_record(self) -> None:
        with pytest.raises(ValidationError, match=r"items\[1\]"):
            total([t(1), 5])

    def test_field_that_is_no_measure(self) -> None:
        record = TradeFlow(
            id="s",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(2005),
            share=Measure(quantity(5, "percent")),
            share_of="exports",
        )
        with pytest.raises(ValidationError, match=r"record 's'\.share_of: is not a Measure"):
            total([record], field="share_of")


class TestTotalBounds:
    def test_an_end_past_the_largest_float_is_refused_though_the_midpoints_fit(self) -> None:
        wide = Measure(None, Qualifier.RANGE, quantity(0, "t"), quantity(1.7e308, "t"))
        with pytest.raises(ValidationError, match=r"^items: give a result too large for a float \(got inf\)$"):
            total([wide, wide])

    def test_an_open_end_is_not_an_overflow(self) -> None:
        # The upper end is open (infinite) before and after the sum; only finite ends can overflow.
        result = total([Measure(quantity(5, "t"), Qualifier.AT_LEAST), Measure(quantity(1.7e308, "t"))])
        assert (result.qualifier, result.bounds) == (Qualifier.AT_LEAST, (quantity(1.7e308, "t"), None))

    @pytest.mark.parametrize(
        ("items", "qualifier", "value"),
        [
            ([t(890, AT_MOST), t(110)], AT_MOST, 1000.0),
            ([t(110), t(890, AT_MOST)], AT_MOST, 1000.0),
            ([t(50, LESS), t(10)], LESS, 60.0),
            ([t(50, LESS), t(10, AT_MOST)], LESS, 60.0),
            ([t(50, AT_LEAST), t(10)], AT_LEAST, 60.0),
            ([t(50, MORE), t(10, AT_LEAST)], MORE, 60.0),
            ([t(100, APPROX), t(50)], APPROX, 150.0),
            ([t(100, APPROX), t(50, AT_MOST)], APPROX, 150.0),
            ([t(10), t(20), t(30)], EX, 60.0),
        ],
    )
    def test_qualifier_and_value(self, items: list[Measure], qualifier: Qualifier, value: float) -> None:
        result = total(items)
        assert (result.qualifier, magnitude(result)) == (qualifier, value)

    def test_approximate_keeps_surviving_bounds(self) -> None:
        result = total([t_range(90, 110, 100, APPROX), t(50)])
        assert result == Measure(
            quantity(150.0, "t"), APPROX, quantity(140.0, "t"), quantity(160.0, "t"), ObsStatus.DERIVED
        )

    def test_approximate_without_bounds_has_none(self) -> None:
        result = total([t(100, APPROX), t(50)])
        assert result.bounds == (None, None)

    def test_range_sums_its_bounds(self) -> None:
        result = total([t_range(200, 300), t(100)])
        assert (result.qualifier, result.value, result.lower, result.upper) == (
            RANGE,
            None,
            quantity(300.0, "t"),
            quantity(400.0, "t"),
        )

    def test_range_with_values_keeps_a_value(self) -> None:
        result = total([t_range(200, 300, 250), t_range(10, 20, 15)])
        assert (result.value, result.lower, result.upper) == (
            quantity(265.0, "t"),
            quantity(210.0, "t"),
            quantity(320.0, "t"),
        )

    def test_range_plus_at_most_is_at_most_its_upper_sum(self) -> None:
        result = total([t_range(200, 300), t(50, AT_MOST)])
        assert (result.qualifier, magnitude(result)) == (AT_MOST, 350.0)

    def test_approximate_range_without_value_uses_midpoint(self) -> None:
        result = total([t(100, APPROX), t_range(200, 300)])
        assert (result.qualifier, magnitude(result)) == (APPROX, 350.0)

    def test_opposite_bounds_refused(self) -> None:
        with pytest.raises(ValidationError, match="unbounded on both sides"):
            total([t(5, AT_MOST), t(3, AT_LEAST)])
        with pytest.raises(ValidationError, match="unbounded on both sides"):
            total([t(10, APPROX), t(5, LESS), t(3, MORE)])

    @pytest.mark.parametrize(
        ("statuses", "expected"),
        [
            ((ObsStatus.REPORTED, ObsStatus.REPORTED), ObsStatus.DERIVED),
            ((ObsStatus.REPORTED,), ObsStatus.DERIVED),
            ((ObsStatus.DERIVED, ObsStatus.REPORTED), ObsStatus.DERIVED),
            ((ObsStatus.ESTIMATED, ObsStatus.REPORTED), ObsStatus.ESTIMATED),
            ((ObsStatus.REPORTED, ObsStatus.ESTIMATED, ObsStatus.PROVISIONAL), ObsStatus.ESTIMATED),
            ((ObsStatus.ESTIMATED, ObsStatus.FORECAST), ObsStatus.FORECAST),
            ((ObsStatus.PROVISIONAL, ObsStatus.REPORTED), ObsStatus.PROVISIONAL),
            ((ObsStatus.PROVISIONAL, ObsStatus.IMPUTED), ObsStatus.IMPUTED),
        ],
    )
    def test_status(self, statuses: tuple[ObsStatus, ...], expected: ObsStatus) -> None:
        assert total([t(1, status=status) for status in statuses]).status is expected

    def test_resolution_is_the_coarsest(self) -> None:
        assert total([t(172.3e6, resolution=1e5), t(2e6, resolution=1e6)]).resolution == 1e6
        assert total([t(172.3e6, resolution=1e5), t(2e6)]).resolution is None

    def test_resolution_converted_with_the_unit(self) -> None:
        result = total([t(2, resolution=1.0), Measure(quantity(500, "kg"), resolution=100.0)])
        assert result.resolution == 1.0

    def test_kilograms_to_tonnes_divide_exactly(self) -> None:
        # 0.001 has no exact binary form: 9 kg * 0.001 would give 0.009000000000000001 t.
        result = total([Measure(quantity(9.0, "kg"), resolution=0.1)], to="t")
        assert result == Measure(quantity(0.009, "t"), status=ObsStatus.DERIVED, resolution=0.0001)

    def test_too_large_for_the_unit_asked_for(self) -> None:
        with pytest.raises(ValidationError, match=r"value: is too large to express in kilogram"):
            total([t(1.0), t(1e306, AT_MOST)], to="kg")
        with pytest.raises(ValidationError, match=r"value: is too large to express in kilogram.*1e\+306"):
            total([t(1.0, resolution=1e306)], to="kg")


def _true_value(measure: Measure, data: st.DataObject) -> float | None:
    """Pick a value the truth could have, given what the measure says; None if it says nothing."""
    low, high = (None if q is None else float(q.magnitude) for q in measure.bounds)
    room = st.floats(min_value=0, max_value=1e6, allow_nan=False)
    if measure.qualifier is Qualifier.APPROXIMATE and low is None and high is None:
        return None
    if low is not None and high is not None:
        return data.draw(st.floats(min_value=low, max_value=high, allow_nan=False))
    if low is not None:
        return low + data.draw(room)
    if high is not None:
        return high - data.draw(room)
    return None  # pragma: no cover - every qualifier has at least one bound or is approximate


class TestTotalProperties:
    @given(st.lists(measures("t"), min_size=1, max_size=5), st.data())
    def test_the_truth_lies_within_the_total(self, items: list[Measure], data: st.DataObject) -> None:
        uppers = any(m.qualifier in (AT_MOST, LESS) for m in items)
        lowers = any(m.qualifier in (AT_LEAST, MORE) for m in items)
        if uppers and lowers:
            with pytest.raises(ValidationError):
                total(items)
            return
        result = total(items)
        truths = [_true_value(m, data) for m in items]
        if any(m.qualifier is APPROX for m in items):
            assert result.qualifier is APPROX
        elif all(m.qualifier is EX for m in items):
            assert result.qualifier is EX
        low, high = (None if q is None else float(q.magnitude) for q in result.bounds)
        if None in truths:
            assert low is None or high is None or result.qualifier is APPROX
            return
        truth = 0.0
        for value in truths:
            assert value is not None
            truth += value
        if low is not None:
            assert low <= truth
        if high is not None:
            assert truth <= high

    @given(
        st.lists(st.sampled_from(["t", "kg", "g", "short_ton"]).flatmap(measures), min_size=1, max_size=6),
        st.sampled_from(["t", "kg", "g"]),
    )
    def test_converting_first_changes_nothing(self, items: list[Measure], target: str) -> None:
        try:
            converted = [m.to(target) for m in items]
            expected = total(converted)
        except ValidationError as error:
            with pytest.raises(ValidationError, match=re.escape(str(error).split(" (got")[0])):
                total(items, to=target)
            return
        assert total(items, to=target) == expected

    @given(st.lists(st.floats(min_value=0, max_value=1e12, allow_nan=False), min_size=1, max_size=20))
    def test_exact_total_is_the_left_to_right_sum(self, values: list[float]) -> None:
        expected = 0.0
        for value in values:
            expected += value
        assert magnitude(total([t(v) for v in values])) == expected


def _flow(record_id: str, period: Period, hs: str | None = None, value: float = 1.0) -> TradeFlow:
    commodity = None if hs is None else Commodity(f"HS {hs}", hs)
    return TradeFlow(id=record_id, reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
                     period=period, commodity=commodity, amount=Measure(money(value, "USD")))  # fmt: skip


class TestTotalDoubleCounting:
    """total and group_total refuse what TradeTable.group_sum refuses: a figure added to a part of itself."""

    def test_a_year_and_a_month_of_it(self) -> None:
        flows = [_flow("y", Period.year(2011), value=6.0), _flow("m", Period.month(2011, 3), value=2.7)]
        with pytest.raises(DoubleCountError) as info:
            total(flows)
        assert str(info.value) == (
            "this sum would count trade twice: it adds record 'y' (2011) and record 'm' (2011-03), whose periods"
            " overlap; total records of one frequency (years or months), not a period and a part of it"
        )
        with pytest.raises(DoubleCountError):
            group_total(flows, "partner")
        by_period = group_total(flows, lambda flow: flow.period)
        assert by_period[Period.year(2011)].value.magnitude == 6.0
        other_flow = attrs.evolve(flows[1], flow=Flow.IMPORT)  # an import is no part of the exports
        assert total([flows[0], other_flow]).value.magnitude == 8.7

    def test_turnover_and_re_exports_beside_the_flows_that_hold_them(self) -> None:
        year = Period.year(2005)
        x, m, turnover, rx = (
            attrs.evolve(_flow(name, year, value=value), flow=flow)
            for name, flow, value in [
                ("x", Flow.EXPORT, 10.0),
                ("m", Flow.IMPORT, 4.0),
                ("t", Flow.TURNOVER, 14.0),
                ("rx", Flow.RE_EXPORT, 1.0),
            ]
        )
        with pytest.raises(DoubleCountError) as info:
            group_total([x, m, turnover, rx], "year")  # 29.0 USD before
        assert str(info.value) == (
            "this sum would count trade twice: it adds record 'x' (export) and record 'rx' (re_export), a flow and"
            " a part of it; total exports and imports, or turnover alone, or re-exports (re-imports) alone; or"
            " group by flow"
        )
        with pytest.raises(DoubleCountError, match=r"record 't' \(turnover\) and record 'x' \(export\)"):
            total([x, m, turnover])
        with pytest.raises(DoubleCountError, match=r"record 't' \(turnover\) and record 'm' \(import\)"):
            group_share([m, turnover], ["year", "flow"], of=["year"])  # turnover was 77.8 % of 18
        rm = attrs.evolve(rx, id="rm", flow=Flow.RE_IMPORT)
        with pytest.raises(DoubleCountError, match=r"record 'm' \(import\) and record 'rm' \(re_import\)"):
            total([m, rm])
        assert total([x, m]).value.magnitude == 14.0  # exports and imports add up to the turnover
        assert total([rx, m]).value.magnitude == 5.0
        by_flow = group_total([x, m, turnover, rx], "flow")
        assert [by_flow[flow].value.magnitude for flow in (Flow.EXPORT, Flow.TURNOVER)] == [10.0, 14.0]
        other_pair = attrs.evolve(x, id="cx", reporter=Country("CHN"))
        assert total([turnover, other_pair]).value.magnitude == 24.0

    def test_equal_and_separate_periods_add(self) -> None:
        flows = [_flow("a", Period.year(2011)), _flow("b", Period.year(2011)), _flow("c", Period.year(2012))]
        assert total(flows).value.magnitude == 3.0
        months = [_flow(f"m{m}", Period.month(2011, m)) for m in (1, 2, 3)]
        assert total(months).value.magnitude == 3.0

    def test_commodity_levels(self) -> None:
        flows = [_flow("ch", Period.year(2011), "85", 2.0), _flow("hd", Period.year(2011), "8542", 1.0)]
        with pytest.raises(DoubleCountError) as info:
            total(flows)
        assert str(info.value) == (
            "this sum would count trade twice: it adds record 'ch' (HS 85) and record 'hd' (HS 8542), a commodity"
            " and a part of it; total records of one HS level (chapters, headings or subheadings), or all goods alone"
        )
        with pytest.raises(DoubleCountError, match=r"record 'all' \(all goods\) and record 'ch'"):
            total([_flow("all", Period.year(2011)), flows[0]])
        same_level = [_flow("a", Period.year(2011), "85"), _flow("b", Period.year(2011), "27")]
        assert total(same_level).value.magnitude == 2.0
        other_chapter = [flows[1], _flow("c", Period.year(2011), "27")]  # a heading of 85 and chapter 27: apart
        assert total(other_chapter).value.magnitude == 2.0
        assert group_total(flows, "commodity")[Commodity("HS 85", "85")].value.magnitude == 2.0

    def test_bare_measures_are_not_checked(self) -> None:
        assert total([Measure(money(1.0, "USD")), Measure(money(2.0, "USD"))]).value.magnitude == 3.0


class TestGroupBy:
    def setup_method(self) -> None:
        fuel, grain = Commodity("oil products", "2710"), Commodity("grain", "10")
        self.records = [
            flow("a", Measure(money(5, "USD")), period=Period.year(2005), commodity=fuel),
            flow("b", Measure(money(2, "USD")), period=Period.months(2005, 1, 9), kind=Flow.IMPORT, commodity=grain),
            flow("c", Measure(money(7, "USD")), period=Period.year(2006), commodity=Commodity("fuel oil", "27")),
            flow("d", Measure(money(1, "USD")), period=Period.year(2006), partner="CHN"),
        ]

    def ids(self, groups: dict[Any, tuple[Any, ...]]) -> dict[Any, list[str]]:
        return {key: [r.id for r in members] for key, members in groups.items()}

    def test_by_year(self) -> None:
        # b covers January to September 2005: keyed by that period, never by the year
        assert self.ids(group_by(self.records, "year")) == {2005: ["a"], "2005-01/2005-09": ["b"], 2006: ["c", "d"]}

    def test_by_flow(self) -> None:
        assert self.ids(group_by(self.records, "flow")) == {Flow.EXPORT: ["a", "c", "d"], Flow.IMPORT: ["b"]}

    def test_by_chapter_and_commodity(self) -> None:
        assert self.ids(group_by(self.records, "chapter")) == {"27": ["a", "c"], "10": ["b"], None: ["d"]}
        assert next(iter(group_by(self.records, "commodity"))) == Commodity("oil products", "2710")

    def test_by_partner_and_reporter(self) -> None:
        assert self.ids(group_by(self.records, "partner")) == {Country("PRK"): ["a", "b", "c"], Country("CHN"): ["d"]}
        assert self.ids(group_by(self.records, "reporter")) == {Country("RUS"): ["a", "b", "c", "d"]}

    def test_by_several_keys(self) -> None:
        assert self.ids(group_by(self.records, ("year", "chapter"))) == {
            (2005, "27"): ["a"],
            ("2005-01/2005-09", "10"): ["b"],
            (2006, "27"): ["c"],
            (2006, None): ["d"],
        }

    def test_by_function(self) -> None:
        groups = group_by(self.records, lambda r: r.amount.value.magnitude > 3)
        assert self.ids(groups) == {True: ["a", "c"], False: ["b", "d"]}

    def test_by_region(self) -> None:
        ships = [
            Shipment(id="s1", mass=t(1), destination=Region("RU-PRI")),
            Shipment(
                id="s2", mass=t(1), origin=Place(name="Khasan", kind=PlaceKind.BORDER_STATION, region=Region("RU-PRI"))
            ),
            Shipment(id="s3", mass=t(1), destination=Country("PRK"), origin=Region("RU-AMU")),
            Shipment(id="s4", mass=t(1), destination=Country("PRK")),
        ]
        assert self.ids(group_by(ships, "year")) == {None: ["s1", "s2", "s3", "s4"]}
        assert self.ids(group_by(ships, "region")) == {
            Region("RU-PRI"): ["s1", "s2"],
            Region("RU-AMU"): ["s3"],
            None: ["s4"],
        }
        assert self.ids(group_by(self.records, "region")) == {None: ["a", "b", "c", "d"]}

    def test_a_period_that_is_not_one_whole_year_keys_by_itself(self) -> None:
        # Partial, multi-year and approximate periods are never filed under a plain year.
        fuzzy_year = Period(dt.date(1988, 1, 1), dt.date(1988, 12, 31), Precision.YEAR, approximate=True)
        records = [
            flow("year", Measure(money(5, "USD")), period=Period.year(2005)),
            flow("nine", Measure(money(4, "USD")), period=Period.months(2005, 1, 9)),
            flow("q1", Measure(money(1, "USD")), period=Period.quarter(2006, 1)),
            flow("span", Measure(money(1, "USD")), period=Period.years(2000, 2005)),
            flow("fuzzy", Measure(money(1, "USD")), period=fuzzy_year),
        ]
        assert self.ids(group_by(records, "year")) == {
            2005: ["year"],
            "2005-01/2005-09": ["nine"],
            "2006-Q1": ["q1"],
            "2000/2005": ["span"],
            "~1988": ["fuzzy"],
        }
        totals = group_total(records, ["year", "flow"])
        assert {key: magnitude(m) for key, m in totals.items()}[("2005-01/2005-09", Flow.EXPORT)] == 4.0
        assert {key: magnitude(m) for key, m in totals.items()}[(2005, Flow.EXPORT)] == 5.0

    def test_the_shipped_trade_flows_group_by_year(self) -> None:
        groups = group_by(load_seed_dataset().trade_flows, "year")
        assert sum(len(members) for members in groups.values()) == len(load_seed_dataset().trade_flows)
        assert [r.id for r in groups["2005-01/2005-09"]][:2] == ["tf.exports.2005-jan-sep", "tf.imports.2005-jan-sep"]
        assert all(member.period.is_whole_years for key, g in groups.items() if isinstance(key, int) for member in g)

    @pytest.mark.parametrize("key", ["month", 5, [], ["year", 5], [["year"]]])
    def test_bad_keys(self, key: Any) -> None:
        with pytest.raises(ValidationError, match="key"):
            group_by(self.records, key)

    def test_named_keys(self) -> None:
        assert sorted(GROUP_KEYS) == ["chapter", "commodity", "flow", "partner", "region", "reporter", "year"]

    def test_group_total(self) -> None:
        totals = group_total(self.records, ["year", "chapter"])
        assert {key: magnitude(m) for key, m in totals.items()} == {
            (2005, "27"): 5.0,
            ("2005-01/2005-09", "10"): 2.0,
            (2006, "27"): 7.0,
            (2006, None): 1.0,
        }

    def test_group_total_never_passes_a_commodity_for_all_goods(self) -> None:
        # Keyed by year alone, 2006 would add HS 27 to PRK and all goods to CHN, and 2005 would be
        # oil products alone under a key that looks like all goods: refused, naming the records.
        with pytest.raises(ValidationError) as info:
            group_total(self.records, "year")
        assert str(info.value) == (
            "key: does not show the goods, and the trade flows are of different levels of goods: 'a' (oil"
            " products, HS 2710) in group 2005 and 'b' (grain, HS 10) in group 2005-01/2005-09; a commodity's"
            " total would pass for all goods' (or a heading's for a chapter's). Add 'chapter' or 'commodity' to"
            " the key, or total one level at a time (all goods, or chapters, or headings) (got ['year'])"
        )
        with pytest.raises(ValidationError, match=r"'c' \(fuel oil, HS 27\) in group \(2006, export\) and 'd'"):
            group_total(self.records[2:], ["year", "flow"])
        # One level of goods, however keyed, is fine, as TradeTable.group_sum adds one level.
        fuel = [attrs.evolve(self.records[0], id=f"f{y}", period=Period.year(y)) for y in (2005, 2006)]
        assert {k: magnitude(m) for k, m in group_total(fuel, "year").items()} == {2005: 5.0, 2006: 5.0}
        chapters = [self.records[1], self.records[2]]  # chapters 10 and 27
        assert {k: magnitude(m) for k, m in group_total(chapters, "flow").items()} == {
            Flow.IMPORT: 2.0,
            Flow.EXPORT: 7.0,
        }
        assert set(group_total(self.records, lambda r: r.period.start.year)) == {2005, 2006}  # a function: its author's

    def test_the_shipped_fuel_oil_is_not_filed_as_the_years_exports(self) -> None:
        flows = load_seed_dataset().trade_flows
        with pytest.raises(
            ValidationError, match=r"'tf.exports.fuel-oil.2002' \(mineral fuels, HS 27\) in group \(2002, export\)"
        ):
            group_total(flows, ["year", "flow"], missing="skip")
        totals = group_total(flows, ["year", "flow", "chapter"], missing="skip")
        assert magnitude(totals[(2002, Flow.EXPORT, "27")]) == 20e6
        assert (2002, Flow.EXPORT, None) not in totals
        all_goods = group_total([f for f in flows if f.commodity is None], ["year", "flow"], missing="skip")
        assert (2002, Flow.EXPORT) not in all_goods
        assert magnitude(all_goods[(2005, Flow.TURNOVER)]) == 172.3e6

    def test_group_balance_never_passes_a_commodity_for_all_goods(self) -> None:
        flows = load_seed_dataset().trade_flows
        with pytest.raises(ValidationError, match=r"'tf.exports.fuel-oil.2002' \(mineral fuels, HS 27\) in group 2002"):
            group_balance(flows, "year", missing="zero")
        balances = group_balance(flows, ["year", "chapter"], missing="zero")
        assert magnitude(balances[(2002, "27")]) == 20e6

    def test_group_total_skips_groups_without_the_field(self) -> None:
        records = [*self.records, flow("e", None, mass=t(3), period=Period.year(2007))]
        totals = group_total(records, ["year", "chapter"], missing="skip")
        assert set(totals) == {(2005, "27"), ("2005-01/2005-09", "10"), (2006, "27"), (2006, None)}
        assert {y: magnitude(m) for y, m in group_total(records, "year", field="mass", missing="skip").items()} == {
            2007: 3.0
        }

    def test_group_total_skip_keeps_range_measures(self) -> None:
        items = [t_range(2, 4), t(10)]
        expected = Measure(None, RANGE, quantity(12.0, "t"), quantity(14.0, "t"), ObsStatus.DERIVED)
        assert total(items) == expected
        assert group_total(items, lambda _: "all", missing="skip") == {"all": expected}

    def test_group_total_skip_drops_only_records_without_the_field(self) -> None:
        items = [
            flow("a", None, mass=t(3)),
            t_range(2, 4),
            flow("b", Measure(money(1, "USD")), period=Period.year(2006)),
        ]
        totals = group_total(
            items,
            lambda item: "measure" if isinstance(item, Measure) else item.period.start.year,
            field="mass",
            to="kg",
            missing="skip",
        )
        assert totals == {
            2005: Measure(quantity(3000.0, "kg"), status=ObsStatus.DERIVED),
            "measure": Measure(None, RANGE, quantity(2000.0, "kg"), quantity(4000.0, "kg"), ObsStatus.DERIVED),
        }

    def test_group_total_skip_still_refuses_junk(self) -> None:
        with pytest.raises(ValidationError, match=r"items\[0\].*neither a Measure nor a record"):
            group_total(["junk", t(1)], lambda _: "all", missing="skip")

    def test_group_total_checks_its_options_even_without_records(self) -> None:
        with pytest.raises(ValidationError, match="missing"):
            group_total([], "year", missing="ignore")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="rates"):
            group_total([], "year", rates=ExchangeRates.default())

    @given(st.lists(measures("t", min_value=0.0), min_size=1, max_size=6))
    def test_group_total_of_one_group_is_the_total(self, items: list[Measure]) -> None:
        try:
            expected = total(items, missing="skip")
        except ValidationError:
            with pytest.raises(ValidationError):
                group_total(items, lambda _: "all", missing="skip")
            return
        assert group_total(items, lambda _: "all", missing="skip") == {"all": expected}
        assert group_total(items, lambda _: "all") == {"all": expected}


class TestShare:
    def test_exact(self) -> None:
        assert share(money(1.5, "USD"), money(6, "USD")) == Measure(quantity(25.0, "percent"), status=ObsStatus.DERIVED)

    def test_roubles_across_the_redenomination(self) -> None:
        assert magnitude(share(money(1e9, "RUR"), money(4e6, "RUB"))) == 25.0

    @pytest.mark.parametrize(
        ("part", "whole", "qualifier", "value"),
        [
            (t(30, AT_MOST), t(60), AT_MOST, 50.0),
            (t(30, LESS), t(60), LESS, 50.0),
            (t(30), t(60, AT_MOST), AT_LEAST, 50.0),
            (t(30), t(60, LESS), MORE, 50.0),
            (t(30), t(60, AT_LEAST), AT_MOST, 50.0),
            (t(30, AT_LEAST), t(60), AT_LEAST, 50.0),
            (t(30, APPROX), t(60), APPROX, 50.0),
        ],
    )
    def test_bounds(self, part: Measure, whole: Measure, qualifier: Qualifier, value: float) -> None:
        result = share(part, whole)
        assert (result.qualifier, magnitude(result)) == (qualifier, value)

    def test_range(self) -> None:
        result = share(t_range(10, 20), t_range(40, 50))
        assert (result.qualifier, result.value, result.lower, result.upper) == (
            RANGE,
            None,
            quantity(20.0, "percent"),
            quantity(50.0, "percent"),
        )

    def test_status(self) -> None:
        assert share(t(1, status=ObsStatus.ESTIMATED), t(4)).status is ObsStatus.ESTIMATED

    def test_unbounded_refused(self) -> None:
        with pytest.raises(ValidationError, match="unbounded"):
            share(t(30, AT_MOST), t(60, AT_MOST))

    def test_zero_whole_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"whole.*positive"):
            share(t(0), t(0))

    def test_negative_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"part.*negative"):
            share(t(-1), t(4))

    def test_currencies_refused(self) -> None:
        with pytest.raises(CurrencyMismatchError):
            share(money(1, "USD"), money(4, "EUR"))

    def test_not_a_quantity(self) -> None:
        with pytest.raises(ValidationError, match="part"):
            share(5, t(4))  # type: ignore[arg-type]


class TestPercentChangeAndCagr:
    @pytest.mark.parametrize(("before", "after", "expected"), [(80, 100, 25.0), (100, 80, -20.0), (100, 100, 0.0)])
    def test_percent_change(self, before: float, after: float, expected: float) -> None:
        assert magnitude(percent_change(t(before), t(after))) == pytest.approx(expected, rel=1e-12)

    def test_percent_change_bounds(self) -> None:
        assert percent_change(t(80), t(100, AT_MOST)).qualifier is AT_MOST
        assert percent_change(t(80, AT_MOST), t(100)).qualifier is AT_LEAST
        assert percent_change(t(80, APPROX), t(100)).qualifier is APPROX

    def test_percent_change_from_zero_refused(self) -> None:
        with pytest.raises(ValidationError, match="before"):
            percent_change(t(0), t(5))

    def test_percent_change_of_the_source(self) -> None:
        # The text: trade "grew from US$105 million to US$172.3 million, an increase of 64%" (2000-2005).
        assert round(magnitude(percent_change(money(105e6, "USD"), money(172.3e6, "USD"))), 2) == 64.10
        # "mineral fuel oil jumped from $20 million in 2002 to $96 million in 2003": +380%.
        assert magnitude(percent_change(money(20e6, "USD"), money(96e6, "USD"))) == pytest.approx(380.0, rel=1e-12)

    def test_cagr(self) -> None:
        assert magnitude(cagr(t(100), t(121), 2)) == pytest.approx(10.0, rel=1e-12)
        assert magnitude(cagr(t(100), t(100), 7)) == 0.0

    def test_cagr_bounds(self) -> None:
        result = cagr(t(100), t_range(110, 121), 2)
        assert result.qualifier is RANGE
        assert result.lower is not None
        assert result.upper is not None
        assert result.lower.magnitude == pytest.approx(100 * (1.1**0.5 - 1))
        assert result.upper.magnitude == pytest.approx(10.0)

    @pytest.mark.parametrize("years", [0, -1, float("nan"), float("inf"), True, "2"])
    def test_cagr_bad_years(self, years: Any) -> None:
        with pytest.raises(ValidationError, match="years"):
            cagr(t(100), t(121), years)


class TestAnnualize:
    def test_whole_year_unchanged(self) -> None:
        measure = t(100)
        assert annualize(measure, Period.year(2005), "refuse") is measure

    @pytest.mark.parametrize(
        ("period", "factor"),
        [
            (Period.months(2005, 1, 9), 365 / 273),
            (Period.quarter(2006, 1), 365 / 90),
            (Period.quarter(2004, 1), 366 / 91),
            (Period.month(2012, 2), 366 / 29),
        ],
    )
    def test_scale(self, period: Period, factor: float) -> None:
        result = annualize(t(273), period, "scale")
        assert magnitude(result) == pytest.approx(273 * factor, rel=1e-12)
        assert result.status is ObsStatus.ESTIMATED

    def test_scale_keeps_qualifier_bounds_and_resolution(self) -> None:
        measure = Measure(quantity(200, "t"), APPROX, quantity(100, "t"), quantity(300, "t"), resolution=10.0)
        result = annualize(measure, Period.months(2005, 1, 6), "scale")
        factor = 365 / 181
        assert result.qualifier is APPROX
        assert result.lower is not None
        assert result.upper is not None
        assert (result.lower.magnitude, result.upper.magnitude) == pytest.approx((100 * factor, 300 * factor))
        assert result.resolution == pytest.approx(10 * factor)

    def test_forecast_stays_forecast(self) -> None:
        result = annualize(t(1, status=ObsStatus.FORECAST), Period.quarter(2006, 1), "scale")
        assert result.status is ObsStatus.FORECAST

    def test_refuse_is_the_default(self) -> None:
        with pytest.raises(ValidationError, match=r"covers 74\.8% of 2005"):
            annualize(t(1), Period.months(2005, 1, 9))

    def test_multi_year_refused(self) -> None:
        with pytest.raises(ValidationError, match="several calendar years"):
            annualize(t(1), Period.years(2000, 2001), "scale")

    def test_approximate_period_refused(self) -> None:
        late = Period(dt.date(1987, 1, 1), dt.date(1989, 12, 31), Precision.PART_OF_DECADE, approximate=True)
        with pytest.raises(ValidationError, match="approximate"):
            annualize(t(1), late, "scale")

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValidationError, match="method"):
            annualize(t(1), Period.year(2005), "linear")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="measure"):
            annualize(5, Period.year(2005))  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="period"):
            annualize(t(1), 2005)  # type: ignore[arg-type]


class TestOneSetOfHabits:
    """Issue 14, trap 10: total takes Quantities as share and percent_change do; on= and to= as everywhere."""

    def test_quantities_total_as_exact_measures(self) -> None:
        from_quantities = total([quantity(890, "t"), quantity(110_000, "kg")])
        from_measures = total([Measure(quantity(890, "t")), Measure(quantity(110_000, "kg"))])
        assert from_quantities == from_measures
        assert from_quantities.value == quantity(1000.0, "t")
        assert total([money(1.5e9, "RUR"), Measure(money(2.0e6, "RUB"))]).value == money(3.5e9, "RUR")

    def test_quantities_of_another_registry_are_refused(self) -> None:
        import pint  # noqa: PLC0415

        other = pint.UnitRegistry()
        with pytest.raises(ValidationError, match=r"items\[1\]"):
            total([quantity(1, "t"), other.Quantity(1, "kg")])

    @pytest.mark.parametrize("on", [2011, "2011", Period.year(2011), "2011-01-01/P1Y"])
    def test_on_and_to_forms(self, on: object) -> None:
        expected = total([money(1, "USD"), money(1, "EUR")], to="USD", on=2011)
        assert total([money(1, "USD"), money(1, "EUR")], to="usd", on=on) == expected  # type: ignore[arg-type]

    def test_rub_dated_before_1998_is_caught_in_a_total(self) -> None:
        flow = TradeFlow(
            id="aid-1997",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(1997),
            amount=Measure(money(3.5e9, "RUB")),
        )
        with pytest.raises(CurrencyNotInCirculationError, match="money of that date is RUR"):
            total([flow], to="USD")
        with pytest.raises(CurrencyNotInCirculationError):
            total([flow], to="RUR")  # the fixed factor, without rates: the same rule
        assert total([flow], to="RUB").value == money(3.5e9, "RUB")  # nothing converted, nothing to check
        redenominated = total([flow], to="USD", redenominate=True).value
        assert redenominated is not None
        assert redenominated.magnitude == pytest.approx(3.5e9 / 5.78483333333334, rel=1e-12)
        grouped = group_total([flow], "year", to="USD", redenominate=True)
        assert grouped[1997].value == redenominated
        with pytest.raises(ValidationError):
            total([flow], to="USD", redenominate=1)  # type: ignore[arg-type]

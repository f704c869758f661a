"""nkru.check on synthetic datasets with planted problems, and on the seed dataset.

Every expected number here is computed in the test from the figures it plants
(172.3 / 105 - 1, 60 + 30 + 20 ...), never copied from the checker's output.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nkru
from nkru import strategies as nst
from nkru.checks import PEAK_YEARS, Finding, Report, Rule, Severity, check
from nkru.checks._figures import (
    describe_interval,
    figure_of,
    measure_of,
    significant_digits,
)
from nkru.commodities import Commodity, commodity
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
from nkru.errors import ValidationError
from nkru.formatting import format_measure, format_number, format_quantity
from nkru.fx import ExchangeRates, RateQuote
from nkru.measures import Interval, Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period, Precision
from nkru.records import Flow, Shipment, Source, TradeFlow
from nkru.serialization import from_json, to_json
from nkru.units import money, quantity, ureg

# -- builders ----------------------------------------------------------------------------------


def source(quote: str) -> Source:
    return Source(document="synthetic", start=0, end=len(quote), quote=quote)


def usd(amount: float, resolution: float | None = None, qualifier: Qualifier = Qualifier.EXACT, **kw: Any) -> Measure:
    return Measure(money(amount, "USD"), qualifier, resolution=resolution, **kw)


def tons(amount: float, resolution: float | None = None, qualifier: Qualifier = Qualifier.EXACT) -> Measure:
    return Measure(quantity(amount, "t"), qualifier, resolution=resolution)


def pct(amount: float, resolution: float | None = 1.0, qualifier: Qualifier = Qualifier.EXACT) -> Measure:
    return Measure(quantity(amount, "percent"), qualifier, resolution=resolution)


def flow(
    record_id: str,
    period: Period | int,
    *,
    value: Measure | None = None,
    mass: Measure | None = None,
    share: Measure | None = None,
    kind: Flow = Flow.TURNOVER,
    goods: Commodity | None = None,
    share_of: str | None = None,
    reporter: str = "RUS",
    partner: str = "PRK",
) -> TradeFlow:
    return TradeFlow(
        id=record_id,
        sources=(source(f"words of {record_id}"),),
        reporter=Country(reporter),
        partner=Country(partner),
        flow=kind,
        period=Period.year(period) if isinstance(period, int) else period,
        commodity=goods,
        amount=value,
        mass=mass,
        share=share,
        share_of=share_of,
    )


def claim(
    record_id: str,
    kind: ClaimKind,
    subjects: tuple[str, ...],
    *,
    stated: Measure | None = None,
    direction: Direction | None = None,
    field: str = "amount",
) -> Claim:
    return Claim(
        id=record_id,
        sources=(source(f"claim {record_id}"),),
        kind=kind,
        subjects=subjects,
        stated=stated,
        direction=direction,
        field=field,
    )


def only(report: Report, rule: Rule) -> Finding:
    chosen = [finding for finding in report.findings if finding.rule is rule]
    assert len(chosen) == 1, [f.message for f in report.findings]
    return chosen[0]


def growth_dataset(stated: Measure, **kw: Any) -> Dataset:
    """Turnover 105 million (2000) and 172.3 million (2005), and a claim about the change."""
    return Dataset(
        trade_flows=(
            flow("t2000", 2000, value=usd(105e6, 1e6)),
            flow("t2005", 2005, value=usd(172.3e6, 1e5)),
        ),
        claims=(claim("growth", ClaimKind.PERCENT_CHANGE, ("t2000", "t2005"), stated=stated, **kw),),
    )


# -- figures -----------------------------------------------------------------------------------


class TestIntervals:
    def test_exact_figure_is_its_rounding(self) -> None:
        interval = Interval.allowed(usd(172.3e6, 1e5))
        assert (interval.low, interval.point, interval.high) == (172.25e6, 172.3e6, 172.35e6)

    def test_exact_figure_without_resolution_is_itself(self) -> None:
        assert Interval.allowed(usd(5.31e6)) == Interval(5.31e6, 5.31e6, 5.31e6)

    def test_approximate_figure_gets_ten_percent_or_the_given_allowance(self) -> None:
        about = pct(60, 1.0, Qualifier.APPROXIMATE)
        assert (Interval.allowed(about).low, Interval.allowed(about).high) == pytest.approx((54.0, 66.0))
        # Never narrower than half the coarsest resolution "60" allows: its zero may be rounding (±5).
        assert (Interval.allowed(about, approximate=0.05).low, Interval.allowed(about, approximate=0.05).high) == (
            55.0,
            65.0,
        )
        about_61 = pct(61, 1.0, Qualifier.APPROXIMATE)
        assert Interval.allowed(about_61, approximate=0.05).low == pytest.approx(61 * 0.95)
        # Never narrower than half the last stated digit.
        coarse = Measure(money(1e9, "USD"), Qualifier.APPROXIMATE, resolution=1e9)
        assert Interval.allowed(coarse).low == 0.5e9

    def test_approximate_figure_with_bounds_uses_them(self) -> None:
        measure = Measure(
            quantity(60, "percent"), Qualifier.APPROXIMATE, quantity(55, "percent"), quantity(62, "percent")
        )
        assert (Interval.allowed(measure).low, Interval.allowed(measure).high) == (55.0, 62.0)

    def test_one_sided_bounds(self) -> None:
        at_most = Interval.allowed(tons(890, 1.0, Qualifier.AT_MOST))
        assert (at_most.low, at_most.high, at_most.point, at_most.high_open) == (0.0, 890.0, None, False)
        less = Interval.allowed(Measure(quantity(50, "item"), Qualifier.LESS_THAN))
        assert less.high_open
        assert Interval.allowed(tons(5, None, Qualifier.MORE_THAN)) == Interval(5.0, math.inf, None, low_open=True)
        assert Interval.allowed(pct(-5, None, Qualifier.AT_MOST), floor=-math.inf).low == -math.inf

    def test_range(self) -> None:
        several = Measure(None, Qualifier.RANGE, quantity(2e5, "hectare"), quantity(9e5, "hectare"))
        assert Interval.allowed(several) == Interval(2e5, 9e5, 5.5e5)

    def test_open_ends_do_not_meet(self) -> None:
        assert not Interval(0, 50, high_open=True).overlaps(Interval(50, math.inf))
        assert Interval(0, 50).overlaps(Interval(50, math.inf))
        assert Interval(0.1 + 0.2, 1).overlaps(Interval(0, 0.3))  # float noise never decides

    def test_division_propagates_bounds(self) -> None:
        quotient = Interval(1070, 1070, 1070).divide(Interval(0, 890))
        assert quotient is not None
        assert (quotient.low, quotient.high) == (1070 / 890, math.inf)
        assert Interval(1, 2).divide(Interval(-1, 1)) is None
        assert Interval(1, 2).divide(Interval(0, 0)) is None

    def test_significant_digits(self) -> None:
        assert significant_digits(usd(172.3e6, 1e5)) == 4
        assert significant_digits(tons(50_000, 1.0)) == 1  # "50,000": a round figure
        assert significant_digits(tons(34_716, 1.0)) == 5
        assert significant_digits(usd(1.234e6, 1e5)) == 2  # the resolution says only 1.2 is stated
        assert significant_digits(usd(0.0)) == 0

    def test_numbers_read_well(self) -> None:
        assert format_number(1.97e9, style="compact") == "1.97 billion"
        assert format_number(-680_000.0, style="compact", sign=True) == "-680,000"
        assert format_number(64.0952, style="compact", decimals=1, sign=True) == "+64.1"
        assert format_number(-0.0001, style="compact", decimals=1) == "0"
        assert (
            describe_interval(Interval(3.5e6, 3.7e6, 3.6e6))
            == "= 3.6 million (3.5 million to 3.7 million given the figures' rounding)"
        )

    def test_measure_of_unbounded_interval_is_none(self) -> None:
        assert measure_of(Interval(-math.inf, math.inf), ureg.percent) is None
        derived = measure_of(Interval(180, math.inf), ureg.t)
        assert derived is not None
        assert (derived.qualifier, derived.status) == (Qualifier.AT_LEAST, ObsStatus.DERIVED)


# -- claims ------------------------------------------------------------------------------------


class TestWriting:
    def test_unbounded_denominator(self) -> None:
        quotient = Interval(5, math.inf).divide(Interval(1, math.inf))
        assert quotient is not None
        assert (quotient.low, quotient.high) == (0.0, math.inf)

    def test_gap(self) -> None:
        assert Interval(0, 1).gap(Interval(3, 4)) == 2
        assert Interval(3, 4).gap(Interval(0, 1)) == 2
        assert Interval(0, 2).gap(Interval(1, 4)) == 0

    def test_interval_with_a_point_and_one_open_side(self) -> None:
        # "5 to 10" against a base that may be 0: the quotient has a point but no upper bound.
        quotient = Interval(10, 10, 10).divide(Interval(0, 10, 5))
        assert quotient is not None
        assert describe_interval(quotient) == "= 2 (≥ 1 given the figures' bounds)"
        assert describe_interval(Interval(-math.inf, 3, high_open=True)) == "is < 3"
        assert describe_interval(Interval(-math.inf, math.inf)) == "is unbounded"

    def test_measure_of_an_upper_bound(self) -> None:
        derived = measure_of(Interval(-math.inf, 50, high_open=True), ureg.item)
        assert derived == Measure(quantity(50, "item"), Qualifier.LESS_THAN, status=ObsStatus.DERIVED)

    def test_quantities_and_measures(self) -> None:
        assert format_quantity(ureg.Quantity(2.5, ureg.dimensionless), style="compact") == "2.5"
        several = Measure(None, Qualifier.RANGE, quantity(2e5, "hectare"), quantity(9e5, "hectare"))
        assert format_measure(several, style="compact") == "200,000 to 900,000 ha"
        assert format_measure(Measure(quantity(50, "item"), Qualifier.LESS_THAN), style="compact") == "< 50 items"

    def test_figure_of(self) -> None:
        record = flow("a", 2000, value=usd(5))
        assert figure_of(record, "amount") == usd(5)
        assert figure_of(record, "mass") is None
        assert figure_of(record, "period") is None  # not a figure
        assert significant_digits(several_hectares()) == 0


def several_hectares() -> Measure:
    return Measure(None, Qualifier.RANGE, quantity(2e5, "hectare"), quantity(9e5, "hectare"))


class TestPercentChange:
    def test_consistent_change(self) -> None:
        report = check(growth_dataset(pct(64)))
        finding = only(report, Rule.PERCENT_CHANGE)
        expected = (172.3 / 105 - 1) * 100
        assert finding.severity is Severity.OK
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == pytest.approx(expected)
        # The inputs' rounding: 172.25/105.5 - 1 to 172.35/104.5 - 1.
        assert finding.computed.lower is not None
        assert finding.computed.upper is not None
        assert finding.computed.lower.magnitude == pytest.approx((172.25 / 105.5 - 1) * 100)
        assert finding.computed.upper.magnitude == pytest.approx((172.35 / 104.5 - 1) * 100)
        assert finding.tolerance == 0.5
        assert f"+{expected:.1f}%" in finding.message
        assert "stated +64% (±0.5): consistent" in finding.message
        assert finding.record_ids == ("growth", "t2000", "t2005")
        assert finding.quotes == ("claim growth", "words of t2000", "words of t2005")
        assert report.ok

    def test_wrong_percentage_is_an_error_with_both_numbers(self) -> None:
        report = check(growth_dataset(pct(80)))
        finding = only(report, Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.ERROR
        assert "+64.1%" in finding.message
        assert "+80%" in finding.message
        # 75 (the lowest the stated 80 allows, its zero possibly rounding) - 64.93 (the highest the figures allow).
        gap = 75 - (172.35 / 104.5 - 1) * 100
        assert f"{gap:.1f} percentage points" in finding.message
        assert not report.ok
        assert report.errors == (finding,)

    def test_rounding_of_the_inputs_is_propagated(self) -> None:
        # 150 against "110" stated to the ten: the change is anything from 150/115 - 1 to 150/105 - 1.
        low, high = (150 / 115 - 1) * 100, (150 / 105 - 1) * 100
        assert low < 36 < high < 44.5
        for stated, severity in ((36, Severity.OK), (45, Severity.ERROR)):
            dataset = Dataset(
                trade_flows=(flow("a", 2000, value=usd(110, 10)), flow("b", 2001, value=usd(150))),
                claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(stated)),),
            )
            assert only(check(dataset), Rule.PERCENT_CHANGE).severity is severity

    def test_approximate_statement_widens_the_tolerance(self) -> None:
        about = pct(70, 1.0, Qualifier.APPROXIMATE)
        finding = only(check(growth_dataset(about)), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.OK  # 70 ± 7 reaches 64.1
        assert finding.tolerance == pytest.approx(7.0)
        assert only(check(growth_dataset(pct(70))), Rule.PERCENT_CHANGE).severity is Severity.ERROR
        narrow = only(check(growth_dataset(about), approximate=0.05), Rule.PERCENT_CHANGE)
        assert narrow.severity is Severity.ERROR  # 70 ± 3.5 stops at 66.5 > 64.93

    @pytest.mark.parametrize(
        ("stated", "direction"),
        [(pct(91.1, 0.1), Direction.DECREASE), (pct(-91.1, 0.1), None), (pct(-91.1, 0.1), Direction.DECREASE)],
    )
    def test_a_decrease_may_be_stated_unsigned(self, stated: Measure, direction: Direction | None) -> None:
        before = 6092 / (1 - 0.911)
        dataset = Dataset(
            trade_flows=(
                flow("q1-2005", Period.quarter(2005, 1), mass=tons(before), kind=Flow.EXPORT),
                flow("q1-2006", Period.quarter(2006, 1), mass=tons(6092), kind=Flow.EXPORT),
            ),
            claims=(
                claim(
                    "fell",
                    ClaimKind.PERCENT_CHANGE,
                    ("q1-2005", "q1-2006"),
                    stated=stated,
                    field="mass",
                    direction=direction,
                ),
            ),
        )
        report = check(dataset)
        finding = only(report, Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.OK, finding.message
        assert "-91.10%" in finding.message
        assert report.ok

    def test_stated_figure_without_resolution_keeps_its_written_decimals(self) -> None:
        finding = only(check(growth_dataset(pct(64.1, None))), Rule.PERCENT_CHANGE)
        # No resolution: the stated 64.1 is taken as exact, so the figures' rounding must reach it.
        assert finding.severity is Severity.OK
        assert "= +64.10% (+63.27% to +64.93%" in finding.message
        assert finding.tolerance == 0.0

    def test_money_without_a_period_cannot_be_converted(self) -> None:
        dataset = Dataset(
            shipments=(
                Shipment(id="a", amount=Measure(money(1e6, "USD")), period=Period.year(2011)),
                Shipment(id="b", amount=Measure(money(5e9, "RUR"))),
            ),
            claims=(claim("c", ClaimKind.RATIO, ("a", "b"), stated=pct(10)),),
        )
        finding = only(check(dataset), Rule.RATIO)
        assert finding.severity is Severity.WARNING
        assert "b is in RUR and has no period to pick a rate for" in finding.message

    def test_stated_figure_too_large_for_percent(self) -> None:
        huge = Measure(quantity(1e307, "dimensionless"))
        finding = only(check(growth_dataset(huge)), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.WARNING
        assert "the stated figure is not a percentage" in finding.message

    def test_qualified_decrease_is_written_with_its_qualifier(self) -> None:
        before = 6092 / (1 - 0.911)
        dataset = Dataset(
            trade_flows=(flow("a", 2005, mass=tons(before)), flow("b", 2006, mass=tons(6092))),
            claims=(
                claim(
                    "fell",
                    ClaimKind.PERCENT_CHANGE,
                    ("a", "b"),
                    stated=pct(90, 1.0, Qualifier.MORE_THAN),
                    direction=Direction.DECREASE,
                    field="mass",
                ),
            ),
        )
        finding = only(check(dataset), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.OK  # "more than 90%" down: a change below -90%
        assert "stated -(> 90%) (a decrease of > 90%)" in finding.message

    def test_zero_base_cannot_be_divided(self) -> None:
        dataset = Dataset(
            trade_flows=(flow("a", 2004, mass=tons(0)), flow("b", 2005, mass=tons(10))),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(100), field="mass"),),
        )
        finding = only(check(dataset), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.WARNING
        assert "cannot divide by 0 t" in finding.message

    def test_missing_field_is_not_comparable(self) -> None:
        dataset = Dataset(
            trade_flows=(flow("a", 2004, value=usd(5)), flow("b", 2005, mass=tons(10), value=usd(6))),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(100), field="mass"),),
        )
        finding = only(check(dataset), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.WARNING
        assert "a states no mass" in finding.message
        assert "not comparable" in finding.message

    @pytest.mark.parametrize("status", [ObsStatus.DERIVED, ObsStatus.IMPUTED])
    def test_a_derived_figure_cannot_confirm_the_claim(self, status: ObsStatus) -> None:
        # A base derived from the claim's own percentage would confirm it by construction.
        base = Measure(quantity(68_449, "t"), status=status)
        dataset = Dataset(
            trade_flows=(flow("a", 2005, mass=base), flow("b", 2006, mass=tons(6092, 1.0))),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(-91.1, 0.1), field="mass"),),
        )
        finding = only(check(dataset), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.WARNING
        assert f"a's mass is {status.value}, not stated" in finding.message

    def test_old_and_new_roubles_compare_exactly(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("a", 1997, value=Measure(money(4.5e9, "RUR"))),
                flow("b", 1998, value=Measure(money(9e6, "RUB"))),
            ),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(100)),),
        )
        finding = only(check(dataset), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.OK
        assert "= +100.0%" in finding.message

    def test_different_currencies_convert_at_each_periods_rate(self) -> None:
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "test"), RateQuote("RUB", 2006, 20.0, "test")])
        dataset = Dataset(
            trade_flows=(
                flow("a", 2005, value=Measure(money(100e6, "USD"))),
                flow("b", 2006, value=Measure(money(3e9, "RUB"))),
            ),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(50)),),
        )
        finding = only(check(dataset, rates=rates), Rule.PERCENT_CHANGE)
        # 3e9 RUB / 20 RUB per USD = 150 million USD: +50%.
        assert finding.severity is Severity.OK, finding.message
        assert "150 million USD / 100 million USD" in finding.message
        assert "converted to USD" in finding.message

    def test_currencies_without_a_rate_are_not_comparable(self) -> None:
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "test")])
        dataset = Dataset(
            trade_flows=(
                flow("a", 2005, value=Measure(money(100e6, "USD"))),
                flow("b", 2006, value=Measure(money(3e9, "RUB"))),
            ),
            claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(50)),),
        )
        finding = only(check(dataset, rates=rates), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.WARNING
        assert "no rate converts it" in finding.message

    def test_subject_without_the_field_is_not_comparable(self) -> None:
        dataset = Dataset(
            shipments=(Shipment(id="a", mass=tons(5), period=Period.year(2000)),),
            trade_flows=(flow("c", 2001, value=usd(6)),),
            claims=(claim("k", ClaimKind.RATIO, ("a", "c"), stated=pct(100), field="mass"),),
        )
        finding = only(check(dataset), Rule.RATIO)
        assert finding.severity is Severity.WARNING
        assert "c states no mass" in finding.message


class TestDirection:
    def test_stated_drop_contradicted_by_the_figures(self) -> None:
        late_1980s = Period(dt.date(1987, 1, 1), dt.date(1989, 12, 31), Precision.PART_OF_DECADE, approximate=True)
        dataset = Dataset(
            trade_flows=(flow("peak", late_1980s, value=usd(1e9, 1e9)), flow("y1990", 1990, value=usd(1.97e9, 1e7))),
            claims=(claim("dropped", ClaimKind.DIRECTION, ("peak", "y1990"), direction=Direction.DECREASE),),
        )
        report = check(dataset)
        finding = only(report, Rule.DIRECTION)
        assert finding.severity is Severity.ERROR
        assert "1.97 billion USD − 1 billion USD = +970 million USD" in finding.message
        assert "contradicted" in finding.message
        assert finding.computed is not None
        assert finding.computed.lower is not None
        assert finding.computed.upper is not None
        # 1.965 - 1.5 and 1.975 - 0.5 billion: an increase for every value the figures allow.
        assert finding.computed.lower.magnitude == pytest.approx(0.465e9)
        assert finding.computed.upper.magnitude == pytest.approx(1.475e9)
        assert finding.record_ids == ("dropped", "peak", "y1990")

    def test_upper_bound_then_larger_figure_is_an_increase(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("g2002", 2002, mass=tons(890, 1.0, Qualifier.AT_MOST), kind=Flow.EXPORT),
                flow("g2003", 2003, mass=tons(1070, 1.0), kind=Flow.EXPORT),
            ),
            claims=(claim("up", ClaimKind.DIRECTION, ("g2002", "g2003"), direction=Direction.INCREASE, field="mass"),),
        )
        finding = only(check(dataset), Rule.DIRECTION)
        assert finding.severity is Severity.OK
        assert finding.computed is not None
        assert finding.computed.lower is not None
        # "1,070" may be rounded to the ten: 1,065 to 1,075.
        assert finding.computed.lower.magnitude == 1065 - 890
        assert "1,070 t − ≤ 890 t is between +175 t and +1,075 t" in finding.message

    def test_bound_that_leaves_the_direction_open_is_a_warning(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("a", 2002, mass=tons(1200, 1.0, Qualifier.AT_MOST), kind=Flow.EXPORT),
                flow("b", 2003, mass=tons(1070, 1.0), kind=Flow.EXPORT),
            ),
            claims=(claim("up", ClaimKind.DIRECTION, ("a", "b"), direction=Direction.INCREASE, field="mass"),),
        )
        finding = only(check(dataset), Rule.DIRECTION)
        assert finding.severity is Severity.WARNING
        assert "not confirmed" in finding.message

    def test_strict_bound_decides_at_equality(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("a", 2006, value=usd(50, None, Qualifier.LESS_THAN)),
                flow("b", 2007, value=usd(50)),
            ),
            claims=(claim("up", ClaimKind.DIRECTION, ("a", "b"), direction=Direction.INCREASE),),
        )
        assert only(check(dataset), Rule.DIRECTION).severity is Severity.OK

    @pytest.mark.parametrize(
        ("direction", "severity"),
        [(Direction.INCREASE, Severity.OK), (Direction.DECREASE, Severity.WARNING), (Direction.UNCHANGED, Severity.OK)],
    )
    def test_figures_whose_rounding_leaves_the_sign_open(self, direction: Direction, severity: Severity) -> None:
        dataset = Dataset(
            trade_flows=(flow("a", 2000, value=usd(1.0e9, 1e8)), flow("b", 2001, value=usd(1.02e9, 1e7))),
            claims=(claim("c", ClaimKind.DIRECTION, ("a", "b"), direction=direction),),
        )
        assert only(check(dataset), Rule.DIRECTION).severity is severity

    def test_unchanged(self) -> None:
        zero = Dataset(
            trade_flows=(flow("a", 2005, mass=tons(0)), flow("b", 2006, mass=tons(0))),
            claims=(claim("c", ClaimKind.DIRECTION, ("a", "b"), direction=Direction.UNCHANGED, field="mass"),),
        )
        finding = only(check(zero), Rule.DIRECTION)
        assert finding.severity is Severity.OK
        assert ": no change; stated no change: consistent" in finding.message
        moved = Dataset(
            trade_flows=(flow("a", 2005, mass=tons(5)), flow("b", 2006, mass=tons(6))),
            claims=(claim("c", ClaimKind.DIRECTION, ("a", "b"), direction=Direction.UNCHANGED, field="mass"),),
        )
        assert only(check(moved), Rule.DIRECTION).severity is Severity.ERROR

    def test_percent_change_with_a_direction_gets_both_findings(self) -> None:
        report = check(growth_dataset(pct(64), direction=Direction.DECREASE))
        assert [f.rule for f in report.findings[:2]] == [Rule.PERCENT_CHANGE, Rule.DIRECTION]
        # A decrease of 64% against figures that rose: both findings are errors.
        assert [f.severity for f in report.findings[:2]] == [Severity.ERROR, Severity.ERROR]


class TestRatioAndShare:
    def test_ratio(self) -> None:
        for stated, severity in ((10, Severity.OK), (20, Severity.ERROR)):
            dataset = Dataset(
                trade_flows=(flow("before", 1990, value=usd(1.2e9, 1e8)), flow("after", 1993, value=usd(0.12e9, 1e7))),
                claims=(claim("mere", ClaimKind.RATIO, ("before", "after"), stated=pct(stated)),),
            )
            finding = only(check(dataset), Rule.RATIO)
            assert finding.severity is severity
            assert "120 million USD / 1.2 billion USD = 10.0%" in finding.message

    def test_share(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("oil", 2005, value=usd(63e6), kind=Flow.EXPORT, goods=commodity("oil products")),
                flow("all", 2005, value=usd(100e6), kind=Flow.EXPORT),
            ),
            claims=(
                claim("right", ClaimKind.SHARE, ("oil", "all"), stated=pct(63)),
                claim(
                    "wrong",
                    ClaimKind.SHARE,
                    ("oil", "all"),
                    stated=Measure(quantity(0.7, "dimensionless"), resolution=0.01),
                ),
            ),
        )
        report = check(dataset)
        right, wrong = (f for f in report.findings if f.rule is Rule.SHARE)
        assert right.severity is Severity.OK
        assert "63 million USD / 100 million USD = 63.0%" in right.message
        assert wrong.severity is Severity.ERROR  # 0.7 is 70% ± 0.5
        assert wrong.stated == Measure(quantity(70.0, "percent"), resolution=1.0)


class TestSharesOfWhole:
    def shares(self, *values: float, resolution: float = 1.0, field: str = "share") -> Dataset:
        flows = tuple(
            flow(
                f"s{i}",
                2005,
                share=pct(v, resolution),
                kind=Flow.EXPORT,
                goods=Commodity(f"good {i}"),
                share_of="exports",
            )
            for i, v in enumerate(values)
        )
        ids = tuple(f.id for f in flows)
        return Dataset(trade_flows=flows, claims=(claim("whole", ClaimKind.SHARES_OF_WHOLE, ids, field=field),))

    def test_shares_within_100(self) -> None:
        report = check(self.shares(63, 8, 8))
        finding = only(report, Rule.SHARES_OF_WHOLE)
        assert finding.severity is Severity.OK
        assert "63% + 8% + 8% = 79%" in finding.message
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == 63 + 8 + 8
        # The claim covers the group, so the general rule does not repeat it.
        assert not [f for f in report.findings if f.rule is Rule.SHARES_SUM]

    def test_shares_over_100_are_an_error(self) -> None:
        finding = only(check(self.shares(61, 31, 21)), Rule.SHARES_OF_WHOLE)
        assert finding.severity is Severity.ERROR
        assert "61% + 31% + 21% = 113%" in finding.message
        assert finding.record_ids == ("whole", "s0", "s1", "s2")

    def test_shares_over_100_only_as_written_are_a_warning(self) -> None:
        # 50.5 and 50 with the last digit at 0.1 and 1: 100.5 as written, 99.95 at the least.
        dataset = Dataset(
            trade_flows=(
                flow("a", 2005, share=pct(50.5, 0.1), goods=Commodity("a")),
                flow("b", 2005, share=pct(50, 1.0), goods=Commodity("b")),
            ),
            claims=(claim("whole", ClaimKind.SHARES_OF_WHOLE, ("a", "b"), field="share"),),
        )
        assert only(check(dataset), Rule.SHARES_OF_WHOLE).severity is Severity.WARNING

    def test_shares_too_large_to_express_in_percent(self) -> None:
        dataset = Dataset(
            trade_flows=(
                flow("a", 2005, share=Measure(quantity(1e307, "dimensionless")), goods=Commodity("a")),
                flow("b", 2005, share=Measure(quantity(0.5, "dimensionless")), goods=Commodity("b")),
            ),
            claims=(claim("whole", ClaimKind.SHARES_OF_WHOLE, ("b", "a"), field="share"),),
        )
        finding = only(check(dataset), Rule.SHARES_OF_WHOLE)
        assert finding.severity is Severity.WARNING
        assert "cannot be expressed in %" in finding.message

    def test_subject_without_a_share(self) -> None:
        dataset = Dataset(
            trade_flows=(flow("a", 2005, share=pct(50), goods=Commodity("a")), flow("b", 2005, value=usd(5))),
            claims=(claim("whole", ClaimKind.SHARES_OF_WHOLE, ("a", "b"), field="share"),),
        )
        assert "b states no share" in only(check(dataset), Rule.SHARES_OF_WHOLE).message

    def test_shares_claim_on_amounts_is_not_comparable(self) -> None:
        finding = only(check(self.shares(60, 30, field="amount")), Rule.SHARES_OF_WHOLE)
        assert finding.severity is Severity.WARNING
        assert "compares amount" in finding.message


class TestPartOfTotal:
    def dataset(self, part: Measure, whole: Measure, part_period: Period, kind: Flow = Flow.EXPORT) -> Dataset:
        return Dataset(
            trade_flows=(flow("part", part_period, value=part, kind=kind), flow("whole", 2005, value=whole)),
            claims=(claim("c", ClaimKind.PART_OF_TOTAL, ("part", "whole")),),
        )

    def test_part_within_total(self) -> None:
        report = check(self.dataset(usd(168.7e6, 1e5), usd(172.3e6, 1e5), Period.months(2005, 1, 9)))
        finding = only(report, Rule.PART_OF_TOTAL)
        assert finding.severity is Severity.OK
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == pytest.approx(172.3e6 - 168.7e6)
        # The claim covers the pair, so the general part-of-whole rule does not repeat it.
        assert not [f for f in report.findings if f.rule is Rule.PART_OF_WHOLE]

    def test_part_exceeding_total_is_an_error(self) -> None:
        finding = only(
            check(self.dataset(usd(201e6, 1e6), usd(151e6, 1e6), Period.months(2005, 1, 9))), Rule.PART_OF_TOTAL
        )
        assert finding.severity is Severity.ERROR
        assert "part exceeds the whole" in finding.message

    def test_part_of_a_period_equal_to_the_whole_is_a_warning(self) -> None:
        finding = only(
            check(self.dataset(usd(172.3e6, 1e5), usd(172.3e6, 1e5), Period.months(2005, 1, 9))), Rule.PART_OF_TOTAL
        )
        assert finding.severity is Severity.WARNING
        assert "nothing is left" in finding.message

    def test_periods_that_do_not_nest_are_a_warning(self) -> None:
        finding = only(check(self.dataset(usd(1e6), usd(2e6), Period.months(2004, 10, 12))), Rule.PART_OF_TOTAL)
        assert finding.severity is Severity.WARNING
        assert "is not within the whole's 2005" in finding.message


# -- coherence rules ---------------------------------------------------------------------------


class TestSharesSum:
    def test_commodity_shares_over_100(self) -> None:
        flows = tuple(
            flow(f"s{v}", 2005, share=pct(v), kind=Flow.EXPORT, goods=Commodity(f"good {v}"), share_of="exports")
            for v in (61, 31, 21)
        )
        report = check(Dataset(trade_flows=flows))
        finding = only(report, Rule.SHARES_SUM)
        assert finding.severity is Severity.ERROR
        assert finding.record_ids == ("s61", "s31", "s21")
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == 113

    def test_shares_of_different_wholes_are_not_summed(self) -> None:
        flows = (
            flow("a", 2005, share=pct(60), goods=Commodity("a"), share_of="exports"),
            flow("b", 2006, share=pct(60), goods=Commodity("b"), share_of="exports"),
            flow("c", 2005, share=pct(60), goods=Commodity("c"), share_of="imports"),
        )
        assert not [f for f in check(Dataset(trade_flows=flows)).findings if f.rule is Rule.SHARES_SUM]


class TestPartOfWhole:
    def test_partial_period_exceeding_the_full_year(self) -> None:
        flows = (
            flow("nine-months", Period.months(2005, 1, 9), value=usd(201e6, 1e6), kind=Flow.EXPORT),
            flow("year", 2005, value=usd(151e6, 1e6), kind=Flow.EXPORT),
        )
        finding = only(check(Dataset(trade_flows=flows)), Rule.PART_OF_WHOLE)
        assert finding.severity is Severity.ERROR
        assert finding.record_ids == ("nine-months", "year")
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == pytest.approx(-50e6)

    def test_one_commodity_exceeding_all_goods(self) -> None:
        flows = (
            flow("wheat", 2004, mass=tons(40_000), kind=Flow.EXPORT, goods=commodity("wheat")),
            flow("grain", 2004, mass=tons(34_716), kind=Flow.EXPORT, goods=commodity("grain")),
        )
        finding = only(check(Dataset(trade_flows=flows)), Rule.PART_OF_WHOLE)
        assert finding.severity is Severity.ERROR
        assert finding.record_ids == ("wheat", "grain")

    def test_one_commodity_equal_to_its_group_is_fine(self) -> None:
        flows = (
            flow("wheat", 2004, mass=tons(34_716), kind=Flow.EXPORT, goods=commodity("wheat")),
            flow("grain", 2004, mass=tons(34_716), kind=Flow.EXPORT, goods=commodity("grain")),
        )
        report = check(Dataset(trade_flows=flows))
        assert only(report, Rule.PART_OF_WHOLE).severity is Severity.OK

    def test_part_of_a_year_of_one_commodity(self) -> None:
        flows = (
            flow("q1", Period.quarter(2004, 1), mass=tons(40_000), kind=Flow.EXPORT, goods=commodity("grain")),
            flow("year", 2004, mass=tons(34_716), kind=Flow.EXPORT, goods=commodity("grain")),
        )
        finding = only(check(Dataset(trade_flows=flows)), Rule.PART_OF_WHOLE)
        assert finding.severity is Severity.ERROR
        assert "q1 (RUS→PRK export of grain, 2004-Q1): 40,000 t" in finding.message

    def test_part_exceeding_only_as_written(self) -> None:
        flows = (
            # "1 million" (0.5 to 1.5 million) in a quarter against 0.98 million (0.975 to 0.985) in the year.
            flow("q1", Period.quarter(2004, 1), value=usd(1e6, 1e6), kind=Flow.EXPORT),
            flow("year", 2004, value=usd(0.98e6, 1e4), kind=Flow.EXPORT),
        )
        finding = only(check(Dataset(trade_flows=flows)), Rule.PART_OF_WHOLE)
        assert finding.severity is Severity.WARNING
        assert "only their rounding reconciles them" in finding.message

    def test_unrelated_commodities_are_not_compared(self) -> None:
        flows = (
            flow("a", 2004, value=usd(5e6), kind=Flow.EXPORT, goods=commodity("wheat")),
            flow("b", 2004, value=usd(1e6), kind=Flow.EXPORT, goods=commodity("machinery")),
        )
        assert not [f for f in check(Dataset(trade_flows=flows)).findings if f.rule is Rule.PART_OF_WHOLE]

    def test_unrelated_flows_are_not_compared(self) -> None:
        flows = (
            flow("x", 2004, value=usd(5e6), kind=Flow.EXPORT, goods=commodity("wheat")),
            flow("y", 2004, value=usd(1e6), kind=Flow.IMPORT),
            flow("z", 2004, value=usd(1e6), kind=Flow.EXPORT, partner="CHN"),
        )
        assert not [f for f in check(Dataset(trade_flows=flows)).findings if f.rule is Rule.PART_OF_WHOLE]


class TestTurnoverSum:
    def flows(self, turnover: Measure) -> tuple[TradeFlow, ...]:
        return (
            flow("x", 2005, value=usd(168.7e6, 1e5), kind=Flow.EXPORT),
            flow("m", 2005, value=usd(3.6e6, 1e5), kind=Flow.IMPORT),
            flow("t", 2005, value=turnover),
        )

    def test_same_period_sum_matches(self) -> None:
        finding = only(check(Dataset(trade_flows=self.flows(usd(172.3e6, 1e5)))), Rule.TURNOVER_SUM)
        assert finding.severity is Severity.OK
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == pytest.approx(168.7e6 + 3.6e6)
        assert finding.record_ids == ("x", "m", "t")

    def test_same_period_sum_differs(self) -> None:
        finding = only(check(Dataset(trade_flows=self.flows(usd(180e6, 1e6)))), Rule.TURNOVER_SUM)
        assert finding.severity is Severity.ERROR
        assert "172.3 million USD" in finding.message

    def test_currencies_without_rates_are_skipped(self) -> None:
        flows = (
            flow("x", 2005, value=Measure(money(5e6, "KPW")), kind=Flow.EXPORT),
            flow("m", 2005, value=usd(3.6e6, 1e5), kind=Flow.IMPORT),
            flow("t", 2005, value=usd(172.3e6, 1e5)),
        )
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "test")])
        report = check(Dataset(trade_flows=flows), rates=rates)
        assert not [f for f in report.findings if f.rule is Rule.TURNOVER_SUM]

    def test_part_of_year_sum_equal_to_the_years_turnover(self) -> None:
        flows = (
            flow("x", Period.months(2005, 1, 9), value=usd(168.7e6, 1e5), kind=Flow.EXPORT),
            flow("m", Period.months(2005, 1, 9), value=usd(3.6e6, 1e5), kind=Flow.IMPORT),
            flow("t", 2005, value=usd(172.3e6, 1e5)),
        )
        report = check(Dataset(trade_flows=flows))
        finding = only(report, Rule.TURNOVER_SUM)
        assert finding.severity is Severity.WARNING
        assert "nothing is left for the rest" in finding.message
        # Each side alone is within the turnover.
        assert {f.severity for f in report.findings if f.rule is Rule.PART_OF_WHOLE} == {Severity.OK}


class TestSamePeriod:
    def test_figure_stated_twice_with_different_values(self) -> None:
        flows = (flow("a", 1990, value=usd(1.97e9, 1e7)), flow("b", 1990, value=usd(2.5e9, 1e8)))
        finding = only(check(Dataset(trade_flows=flows)), Rule.RESTATED_FIGURE)
        assert finding.severity is Severity.ERROR
        assert "1.97 billion USD and 2.5 billion USD" in finding.message

    def test_figure_restated_within_rounding(self) -> None:
        flows = (flow("a", 1990, value=usd(1.97e9, 1e7)), flow("b", 1990, value=usd(2e9, 1e9)))
        finding = only(check(Dataset(trade_flows=flows)), Rule.RESTATED_FIGURE)
        assert finding.severity is Severity.OK
        assert "consistent, the true value is between 1.965 billion USD and 1.975 billion USD" in finding.message

    def test_currencies_without_rates_are_not_compared(self) -> None:
        flows = (flow("a", 1990, value=usd(1.97e9, 1e7)), flow("b", 1990, value=Measure(money(5e9, "KPW"))))
        rates = ExchangeRates([RateQuote("RUB", 1990, 0.58, "test")])
        assert not [
            f for f in check(Dataset(trade_flows=flows), rates=rates).findings if f.rule is Rule.RESTATED_FIGURE
        ]

    @pytest.mark.parametrize(
        ("first", "second", "severity"),
        [
            (tons(890, 1.0, Qualifier.AT_MOST), tons(900, 1.0, Qualifier.AT_LEAST), Severity.ERROR),
            (tons(890, 1.0, Qualifier.AT_MOST), tons(800, 1.0, Qualifier.AT_LEAST), Severity.OK),
            (tons(50, 1.0, Qualifier.LESS_THAN), tons(50, 1.0, Qualifier.AT_LEAST), Severity.ERROR),
            (tons(890, 1.0, Qualifier.AT_MOST), tons(1070, 1.0), Severity.ERROR),
        ],
    )
    def test_bounds(self, first: Measure, second: Measure, severity: Severity) -> None:
        flows = (flow("a", 2002, mass=first, kind=Flow.EXPORT), flow("b", 2002, mass=second, kind=Flow.EXPORT))
        finding = only(check(Dataset(trade_flows=flows)), Rule.CONTRADICTORY_BOUNDS)
        assert finding.severity is severity
        assert finding.record_ids == ("a", "b")


class TestCoincidentFigures:
    def test_same_precise_figure_for_two_years(self) -> None:
        flows = (flow("t2004", 2004, value=usd(172.3e6, 1e5)), flow("t2005", 2005, value=usd(172.3e6, 1e5)))
        finding = only(check(Dataset(trade_flows=flows)), Rule.COINCIDENT_FIGURES)
        assert finding.severity is Severity.WARNING
        assert finding.record_ids == ("t2004", "t2005")
        assert "172.3 million USD" in finding.message
        assert "4 significant digits" in finding.message

    def test_same_figure_for_two_flows(self) -> None:
        flows = (
            flow("x", 2005, value=usd(5.31e6, 1e4), kind=Flow.EXPORT),
            flow("m", 2005, value=usd(5310e3, 1e3), kind=Flow.IMPORT),
        )
        assert only(check(Dataset(trade_flows=flows)), Rule.COINCIDENT_FIGURES).record_ids == ("x", "m")

    def test_round_figures_may_repeat(self) -> None:
        flows = (flow("a", 1988, value=usd(1e9, 1e9)), flow("b", 1989, value=usd(1e9, 1e9)))
        assert not [f for f in check(Dataset(trade_flows=flows)).findings if f.rule is Rule.COINCIDENT_FIGURES]

    def test_shipments_in_one_period_may_share_a_figure(self) -> None:
        ships = (
            Shipment(id="a", mass=tons(34_716), period=Period.year(2004)),
            Shipment(id="b", mass=Measure(quantity(34_716_000, "kg")), period=Period.months(2004, 3, 5)),
            Shipment(id="c", mass=tons(34_716), period=Period.year(2007)),
        )
        finding = only(check(Dataset(shipments=ships)), Rule.COINCIDENT_FIGURES)
        # a and b overlap in time (maybe one shipment); c is three years later.
        assert finding.record_ids == ("a", "b", "c")


# -- the report --------------------------------------------------------------------------------


def planted() -> Dataset:
    """A dataset with one problem of each kind."""
    flows = (
        flow("t2000", 2000, value=usd(105e6, 1e6)),
        flow("t2005", 2005, value=usd(172.3e6, 1e5)),
        flow("s1", 2005, share=pct(61), goods=Commodity("a"), kind=Flow.EXPORT),
        flow("s2", 2005, share=pct(51), goods=Commodity("b"), kind=Flow.EXPORT),
        flow("b1", 2002, mass=tons(890, 1.0, Qualifier.AT_MOST), kind=Flow.EXPORT),
        flow("b2", 2002, mass=tons(900, 1.0, Qualifier.AT_LEAST), kind=Flow.EXPORT),
    )
    claims = (
        claim("growth", ClaimKind.PERCENT_CHANGE, ("t2000", "t2005"), stated=pct(64)),
        claim("wrong", ClaimKind.PERCENT_CHANGE, ("t2000", "t2005"), stated=pct(70), direction=Direction.INCREASE),
    )
    return Dataset(trade_flows=flows, claims=claims)


class TestReport:
    def test_round_trips_through_json(self) -> None:
        report = check(planted())
        assert report.findings
        back = from_json(to_json(report), Report)
        assert back == report
        assert to_json(back) == to_json(report)

    def test_counts_and_properties(self) -> None:
        report = check(planted())
        counts = report.counts
        assert sum(counts.values()) == len(report.findings)
        assert counts[Severity.ERROR] == len(report.errors) == 3  # wrong %, shares 112%, bounds
        assert {f.rule for f in report.errors} == {Rule.PERCENT_CHANGE, Rule.SHARES_SUM, Rule.CONTRADICTORY_BOUNDS}
        assert counts[Severity.OK] == len(report.confirmed)
        assert counts[Severity.WARNING] == len(report.warnings)
        assert not report.ok
        assert [f.rule for f in report.about("wrong")] == [Rule.PERCENT_CHANGE, Rule.DIRECTION]

    def test_clean_dataset_has_no_errors_or_warnings(self) -> None:
        flows = (
            flow("t2000", 2000, value=usd(105e6, 1e6)),
            flow("t2005", 2005, value=usd(172.3e6, 1e5)),
            flow("x", 2005, value=usd(168.7e6, 1e5), kind=Flow.EXPORT),
            flow("m", 2005, value=usd(3.6e6, 1e5), kind=Flow.IMPORT),
            flow("s1", 2005, share=pct(63), goods=Commodity("oil"), kind=Flow.EXPORT),
            flow("s2", 2005, share=pct(8), goods=Commodity("steel"), kind=Flow.EXPORT),
        )
        report = check(
            Dataset(
                trade_flows=flows,
                claims=(
                    claim(
                        "g", ClaimKind.PERCENT_CHANGE, ("t2000", "t2005"), stated=pct(64), direction=Direction.INCREASE
                    ),
                ),
            )
        )
        assert report.ok
        assert report.warnings == ()
        rules = {f.rule for f in report.findings}
        assert {Rule.PERCENT_CHANGE, Rule.DIRECTION, Rule.TURNOVER_SUM, Rule.SHARES_SUM, Rule.PART_OF_WHOLE} <= rules

    def test_text_lists_errors_first_with_quotes(self) -> None:
        text = check(planted()).to_text()
        assert text.startswith("# Consistency report\n\n3 errors, ")
        assert text.index("## Errors") < text.index("## Ok")
        assert "- **percent_change** (`wrong`, `t2000`, `t2005`): " in text
        assert "  > claim wrong" in text

    def test_finding_validates(self) -> None:
        with pytest.raises(ValidationError, match="record_ids"):
            Finding(rule=Rule.SHARE, severity=Severity.OK, message="m", record_ids=("Not An Id",))
        with pytest.raises(ValidationError, match="tolerance"):
            Finding(rule=Rule.SHARE, severity=Severity.OK, message="m", tolerance=-1.0)
        with pytest.raises(ValidationError, match="message"):
            Finding(rule=Rule.SHARE, severity=Severity.OK, message="")

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("rule", "x"),
            ("severity", "error"),
            ("computed", 5.0),
            ("stated", "64%"),
            pytest.param("tolerance", 10**400, id="tolerance-10**400"),  # float() of it raised an OverflowError
            ("tolerance", float("nan")),
            ("tolerance", True),
        ],
    )
    def test_finding_fields_refuse_junk_with_nkru_errors(self, field: str, value: object) -> None:
        # rule and severity used attrs' instance_of, whose TypeError is no nkru error.
        fields: dict[str, Any] = {"rule": Rule.SHARE, "severity": Severity.OK, "message": "m", field: value}
        with pytest.raises(ValidationError) as info:
            Finding(**fields)
        assert info.value.field == field

    def test_severity_rank(self) -> None:
        assert sorted(Severity, key=lambda s: s.rank) == [
            Severity.OK,
            Severity.DIFFERS,
            Severity.WARNING,
            Severity.ERROR,
        ]


class TestArguments:
    def test_not_a_dataset(self) -> None:
        with pytest.raises(ValidationError, match="dataset"):
            check([])  # type: ignore[arg-type]

    @pytest.mark.parametrize("approximate", [-0.1, 1.0, math.nan, True, "0.1"])
    def test_bad_approximate(self, approximate: Any) -> None:
        with pytest.raises(ValidationError, match="approximate"):
            check(Dataset(), approximate=approximate)

    def test_bad_rates(self) -> None:
        with pytest.raises(ValidationError, match="rates"):
            check(Dataset(), rates={"RUB": 28.0})  # type: ignore[arg-type]


# -- properties --------------------------------------------------------------------------------


@st.composite
def change_claims(draw: st.DrawFn) -> tuple[float, float, float | None, float | None, int]:
    """Two positive figures with optional resolutions, and the decimals a stated change keeps."""
    old = draw(st.integers(min_value=1, max_value=10**6)) * 10.0 ** draw(st.integers(-2, 6))
    new = draw(st.integers(min_value=0, max_value=10**6)) * 10.0 ** draw(st.integers(-2, 6))
    old_resolution = draw(st.none() | st.sampled_from([old * 1e-4, old * 1e-3]))
    new_resolution = draw(st.none() | st.sampled_from([new * 1e-4, new * 1e-3]) if new else st.none())
    decimals = draw(st.integers(min_value=0, max_value=2))
    return old, new, old_resolution, new_resolution, decimals


def change_dataset(
    old: float, new: float, old_res: float | None, new_res: float | None, stated: float, decimals: int
) -> Dataset:
    return Dataset(
        trade_flows=(flow("a", 2000, value=usd(old, old_res)), flow("b", 2001, value=usd(new, new_res))),
        claims=(claim("c", ClaimKind.PERCENT_CHANGE, ("a", "b"), stated=pct(stated, 10.0**-decimals)),),
    )


class TestProperties:
    @given(change_claims())
    def test_a_change_rounded_from_the_figures_is_consistent(self, drawn: tuple[Any, ...]) -> None:
        old, new, old_res, new_res, decimals = drawn
        stated = round((new / old - 1) * 100, decimals)
        finding = only(check(change_dataset(old, new, old_res, new_res, stated, decimals)), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.OK, finding.message

    @given(change_claims(), st.floats(min_value=0.01, max_value=100), st.booleans())
    def test_a_change_beyond_tolerance_is_an_error(self, drawn: tuple[Any, ...], margin: float, above: bool) -> None:
        old, new, old_res, new_res, decimals = drawn
        # The interval the figures allow, by hand: the extremes of each figure's rounding, at the coarsest
        # resolution each written figure allows (trailing zeros of a whole number may be rounding).
        half_old = (usd(old, old_res).coarsest_resolution or 0) / 2
        half_new = (usd(new, new_res).coarsest_resolution or 0) / 2
        assume(old - half_old > 0)
        highest = ((new + half_new) / (old - half_old) - 1) * 100
        lowest = ((new - half_new) / (old + half_old) - 1) * 100
        half = 10.0**-decimals / 2
        margin = max(margin, 1e-6 * max(abs(highest), abs(lowest)))  # beyond the checker's float slack
        stated = highest + half + margin if above else lowest - half - margin
        stated = round(stated + (1 if above else -1) * half, decimals)  # stated to its own digits, still beyond
        # A stated figure ending in zeros may be rounded coarser than its decimals: only the others are beyond.
        assume(pct(stated, 10.0**-decimals).coarsest_resolution == 10.0**-decimals)
        finding = only(check(change_dataset(old, new, old_res, new_res, stated, decimals)), Rule.PERCENT_CHANGE)
        assert finding.severity is Severity.ERROR, finding.message

    @given(nst.reports())
    def test_reports_round_trip(self, report: Report) -> None:
        back = from_json(to_json(report), Report)
        assert back == report
        assert to_json(back) == to_json(report)
        assert sum(back.counts.values()) == len(report.findings)

    # Drawing a whole dataset costs about 0.15 s (the check itself under 1 ms): a tenth of the profile's examples.
    @settings(max_examples=max(10, settings().max_examples // 10))
    @given(nst.datasets(max_records=5))
    def test_any_dataset_checks_and_the_report_round_trips(self, dataset: Dataset) -> None:
        report = check(dataset)
        assert from_json(to_json(report), Report) == report
        for record in dataset.claims:
            assert report.about(record.id), record
        text = report.to_text()
        assert text.startswith("# Consistency report")


# -- the seed dataset --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    seed = pytest.importorskip("nkru.seed")
    dataset: Dataset = seed.load_seed_dataset()
    return dataset


@pytest.fixture(scope="module")
def seed_report(seed_dataset: Dataset) -> Report:
    return check(seed_dataset)


class TestSeed:
    def test_report_serializes(self, seed_report: Report) -> None:
        assert from_json(to_json(seed_report), Report) == seed_report

    def test_every_claim_gets_a_finding(self, seed_dataset: Dataset, seed_report: Report) -> None:
        assert seed_dataset.claims
        missing = [c.id for c in seed_dataset.claims if not seed_report.about(c.id)]
        assert missing == []

    def test_the_64_percent_claim_is_recomputed(self, seed_dataset: Dataset, seed_report: Report) -> None:
        stated_64 = [
            c
            for c in seed_dataset.claims
            if c.kind is ClaimKind.PERCENT_CHANGE and c.stated is not None and c.stated.point.magnitude == 64
        ]
        assert len(stated_64) == 1
        finding = next(f for f in seed_report.about(stated_64[0].id) if f.rule is Rule.PERCENT_CHANGE)
        assert finding.computed is not None
        assert finding.computed.value is not None
        assert finding.computed.value.magnitude == pytest.approx((172.3 / 105 - 1) * 100)
        # The arithmetic holds, but 172.3 million is the January-September 2005 total: the claim compares
        # twelve months with nine, so the doubt on tf.turnover.2005 keeps it from being ok (issue 14, item 1).
        assert finding.severity is Severity.WARNING
        assert "+64.1%" in finding.message
        assert "consistent — but not confirmed" in finding.message
        assert "its figures point to 2005-01/2005-09" in finding.message
        assert "the turnover_sum finding on tf.exports.2005-jan-sep" in finding.message

    def test_no_claim_on_a_doubted_record_is_ok(self, seed_dataset: Dataset, seed_report: Report) -> None:
        doubted = {
            record_id
            for finding in seed_report.findings[len(seed_dataset.claims) :]
            if finding.severity is not Severity.OK and finding.rule is not Rule.PEAK
            for record_id in finding.record_ids
        } | {flow.id for flow in seed_dataset.trade_flows if flow.likely_period is not None}
        claims = {claim.id for claim in seed_dataset.claims}
        ok_on_doubt = [
            finding.record_ids
            for finding in seed_report.confirmed
            if finding.record_ids and finding.record_ids[0] in claims and doubted & set(finding.record_ids[1:])
        ]
        assert "tf.turnover.2005" in doubted
        assert ok_on_doubt == []

    def test_the_late_1980s_peak_is_contradicted_by_1990(self, seed_report: Report) -> None:
        (peak,) = [f for f in seed_report.findings if f.rule is Rule.PEAK]
        assert peak.severity is Severity.ERROR
        assert peak.record_ids == (
            "cl.turnover.peak.late-1980s",
            "tf.turnover.late-1980s",
            "tf.turnover.1990",
            "tf.turnover.1991",
        )
        assert "tf.turnover.1990 (SUN→PRK turnover, 1990): 1.97 billion USD" in peak.message
        assert "exceeds the peak for every value the figures allow" in peak.message
        assert "tf.turnover.1991 (SUN→PRK turnover, 1991): 580 million USD" in peak.message
        assert "does not exceed it" in peak.message


def _turnover(record_id: str, period: Period, billions: float) -> TradeFlow:
    return TradeFlow(
        id=record_id,
        reporter=Country("RUS"),
        partner=Country("PRK"),
        flow=Flow.TURNOVER,
        period=period,
        amount=Measure(money(billions * 1e9, "USD"), resolution=1e6),
    )


class TestPeak:
    def _report(self, *flows: TradeFlow) -> Report:
        claim = Claim(id="peak", kind=ClaimKind.PEAK, subjects=(flows[0].id,))
        return check(Dataset(trade_flows=flows, claims=(claim,)))

    def test_a_peak_above_its_neighbours_is_consistent(self) -> None:
        report = self._report(
            _turnover("p", Period.year(2000), 2.001),
            _turnover("a", Period.year(1998), 1.501),
            _turnover("b", Period.year(2003), 1.901),
        )
        (finding,) = [f for f in report.findings if f.rule is Rule.PEAK]
        assert finding.severity is Severity.OK
        assert finding.record_ids == ("peak", "p", "a", "b")

    def test_a_figure_above_the_peak_nearby_is_an_error(self) -> None:
        report = self._report(_turnover("p", Period.year(2000), 2.001), _turnover("a", Period.year(2004), 2.501))
        (finding,) = [f for f in report.findings if f.rule is Rule.PEAK]
        assert finding.severity is Severity.ERROR

    def test_figures_beyond_the_window_do_not_count(self) -> None:
        far = 2000 + PEAK_YEARS + 1
        report = self._report(_turnover("p", Period.year(2000), 2.001), _turnover("a", Period.year(far), 9.001))
        (finding,) = [f for f in report.findings if f.rule is Rule.PEAK]
        assert finding.severity is Severity.WARNING
        assert "no other figure of its series within 5 years" in finding.message

    def test_equal_as_written_is_not_exceeded(self) -> None:
        report = self._report(_turnover("p", Period.year(2000), 2.001), _turnover("a", Period.year(2001), 2.001))
        (finding,) = [f for f in report.findings if f.rule is Rule.PEAK]
        assert finding.severity is Severity.OK


class TestDoubt:
    def test_a_likely_period_keeps_a_claim_from_ok(self) -> None:
        start = _turnover("a", Period.year(2000), 1.0)
        end = attrs.evolve(
            _turnover("b", Period.year(2005), 1.64),
            likely_period=Period.months(2005, 1, 9),
            inferred=("likely_period",),
        )
        claim = Claim(
            id="c",
            kind=ClaimKind.PERCENT_CHANGE,
            subjects=("a", "b"),
            stated=Measure(quantity(64, "percent"), resolution=1.0),
        )
        (finding,) = check(Dataset(trade_flows=(start, end), claims=(claim,))).findings
        assert finding.severity is Severity.WARNING
        assert "b is dated 2005 as stated, but its figures point to 2005-01/2005-09" in finding.message
        undoubted = attrs.evolve(end, likely_period=None, inferred=())
        (finding,) = check(Dataset(trade_flows=(start, undoubted), claims=(claim,))).findings
        assert finding.severity is Severity.OK


def test_significant_digits_of_a_subnormal_value_at_a_coarse_resolution() -> None:
    # value / resolution underflows to 0; log10 of it raised a bare ValueError (found by hypothesis)
    assert significant_digits(Measure(nkru.quantity(-5e-324, "percent"), resolution=1000.0)) == 1

"""Tests for nkru.measures: Measure and Interval."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from nkru import strategies as nst
from nkru.errors import ValidationError
from nkru.measures import APPROXIMATE, Interval, Measure, ObsStatus, Qualifier
from nkru.units import money, quantity, unit


class TestMeasure:
    def test_exact_is_its_own_bounds(self) -> None:
        m = Measure(quantity(830_000, "t"))
        assert m.bounds == (quantity(830_000, "t"), quantity(830_000, "t"))
        assert m.is_exact

    def test_one_sided_bounds(self) -> None:
        assert Measure(quantity(890, "t"), Qualifier.AT_MOST).bounds == (None, quantity(890, "t"))
        assert Measure(quantity(50, "item"), Qualifier.LESS_THAN).bounds == (None, quantity(50, "item"))
        assert Measure(quantity(5, "t"), Qualifier.AT_LEAST).bounds == (quantity(5, "t"), None)

    def test_range_point_is_midpoint(self) -> None:
        m = Measure(None, Qualifier.RANGE, quantity(200_000, "hectare"), quantity(900_000, "hectare"))
        assert m.point == quantity(550_000, "hectare")
        assert m.value is None

    def test_magnitudes_become_floats(self) -> None:
        m = Measure(quantity(5, "t"))
        assert m.value is not None
        assert type(m.value.magnitude) is float

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
    def test_rejects_non_finite(self, bad: float) -> None:
        with pytest.raises(ValidationError, match="finite"):
            Measure(quantity(bad, "t"))

    def test_rejects_huge_int(self) -> None:
        with pytest.raises(ValidationError, match="too large"):
            Measure(quantity(10**400, "t"))

    def test_rejects_mixed_units(self) -> None:
        with pytest.raises(ValidationError, match="same unit"):
            Measure(quantity(5, "t"), Qualifier.APPROXIMATE, quantity(4000, "kg"), quantity(6, "t"))

    def test_rejects_reversed_bounds(self) -> None:
        with pytest.raises(ValidationError, match="above the upper bound"):
            Measure(None, Qualifier.RANGE, quantity(9, "t"), quantity(1, "t"))

    def test_rejects_value_outside_bounds(self) -> None:
        with pytest.raises(ValidationError, match="above the upper bound"):
            Measure(quantity(10, "t"), Qualifier.APPROXIMATE, quantity(1, "t"), quantity(9, "t"))

    def test_rejects_range_without_bounds(self) -> None:
        with pytest.raises(ValidationError, match="both lower and upper"):
            Measure(quantity(10, "t"), Qualifier.RANGE)

    def test_rejects_bounds_on_one_sided(self) -> None:
        with pytest.raises(ValidationError, match="one-sided"):
            Measure(quantity(10, "t"), Qualifier.AT_MOST, upper=quantity(11, "t"))

    def test_rejects_bounds_on_an_exact_figure(self) -> None:
        with pytest.raises(ValidationError, match="its own bounds"):
            Measure(quantity(5, "t"), Qualifier.EXACT, quantity(1, "t"), quantity(10, "t"))

    def test_rejects_bad_resolution(self) -> None:
        with pytest.raises(ValidationError, match="resolution"):
            Measure(quantity(10, "t"), resolution=0.0)

    def test_rejects_non_quantity(self) -> None:
        with pytest.raises(ValidationError, match="pint Quantity"):
            Measure(5.0)  # type: ignore[arg-type]

    def test_equality_keeps_the_unit(self) -> None:
        assert Measure(money(1, "RUB")) != Measure(money(1000, "RUR"))
        assert hash(Measure(money(1, "RUB"))) == hash(Measure(money(1.0, "RUB")))

    def test_to_converts_value_bounds_and_resolution(self) -> None:
        m = Measure(
            quantity(34.716, "t"), Qualifier.APPROXIMATE, quantity(34, "t"), quantity(35, "t"), resolution=0.001
        )
        kg = m.to("kg")
        assert (kg.value, kg.lower, kg.upper, kg.resolution) == (
            quantity(34716.0, "kg"),
            quantity(34000.0, "kg"),
            quantity(35000.0, "kg"),
            1.0,
        )

    def test_status_codes(self) -> None:
        assert ObsStatus.ESTIMATED.sdmx_code == "E"
        assert ObsStatus.DERIVED.sdmx_code is None

    @given(nst.measures())
    def test_generated_measures_have_ordered_bounds(self, m: Measure) -> None:
        low, high = m.bounds
        if low is not None and high is not None:
            assert low.magnitude <= high.magnitude
        assert low is None or m.point.magnitude >= low.magnitude


class TestRescaled:
    """Measure.rescaled: one change of scale for value, bounds and resolution (fx, prices and annualize use it)."""

    def test_value_bounds_and_resolution_move_alike(self) -> None:
        m = Measure(quantity(10, "t"), Qualifier.APPROXIMATE, quantity(9, "t"), quantity(11, "t"), resolution=1)
        tripled = m.rescaled(lambda x: x * 3, field="measure")
        assert tripled == Measure(
            quantity(30.0, "t"), Qualifier.APPROXIMATE, quantity(27.0, "t"), quantity(33.0, "t"), resolution=3.0
        )

    def test_units_and_other_fields_change_on_request(self) -> None:
        m = Measure(money(2, "USD"), Qualifier.AT_MOST)
        restated = m.rescaled(lambda x: x * 30, unit("RUB"), field="amount", status=ObsStatus.DERIVED)
        assert restated == Measure(money(60.0, "RUB"), Qualifier.AT_MOST, status=ObsStatus.DERIVED)

    def test_a_range_without_value_keeps_none(self) -> None:
        m = Measure(None, Qualifier.RANGE, quantity(200, "t"), quantity(300, "t"))
        halved = m.rescaled(lambda x: x / 2, field="measure")
        assert (halved.value, halved.lower, halved.upper) == (None, quantity(100.0, "t"), quantity(150.0, "t"))

    def test_overflow_names_field_and_target(self) -> None:
        m = Measure(quantity(10, "t"), resolution=1)
        with pytest.raises(ValidationError) as info:
            m.rescaled(lambda x: x * 1e308, field="amount", target="dollars of 2020")
        assert (info.value.field, info.value.reason) == ("amount", "is too large to express in dollars of 2020")

    def test_target_defaults_to_the_units_text(self) -> None:
        with pytest.raises(ValidationError, match="is too large to express in kilogram"):
            Measure(quantity(10, "t")).rescaled(lambda x: x * 1e308, unit("kg"), field="measure")


class TestInterval:
    def test_stated_is_what_the_words_say(self) -> None:
        inf = math.inf
        assert Interval.stated(Measure(quantity(830_000, "t"), resolution=1e4)) == Interval(8.3e5, 8.3e5, 8.3e5)
        assert Interval.stated(Measure(quantity(890, "t"), Qualifier.AT_MOST)) == Interval(-inf, 890.0, 890.0)
        assert Interval.stated(Measure(quantity(5, "t"), Qualifier.MORE_THAN)) == Interval(5.0, inf, 5.0, low_open=True)
        assert Interval.stated(Measure(quantity(60, "percent"), Qualifier.APPROXIMATE)) == Interval(-inf, inf, 60.0)
        several = Measure(None, Qualifier.RANGE, quantity(2e5, "hectare"), quantity(9e5, "hectare"))
        assert Interval.stated(several) == Interval(2e5, 9e5, 5.5e5)

    def test_of_figure_is_stated_on_magnitudes(self) -> None:
        less = Interval.of_figure(Qualifier.LESS_THAN, 50.0, None, None)
        assert less == Interval.stated(Measure(quantity(50, "item"), Qualifier.LESS_THAN))
        assert less == Interval(-math.inf, 50.0, 50.0, high_open=True)

    def test_bounds_are_stated_in_the_unit(self) -> None:
        about = Measure(quantity(60, "t"), Qualifier.APPROXIMATE, upper=quantity(62, "t"))
        assert about.bounds == (None, quantity(62, "t"))
        assert Interval.stated(about) == Interval(-math.inf, 62.0, 60.0)

    def test_allowed_widens_stated_by_rounding_about_and_floor(self) -> None:
        assert Interval.allowed(Measure(quantity(64, "percent"), resolution=1.0)) == Interval(63.5, 64.5, 64.0)
        about = Interval.allowed(Measure(quantity(60, "percent"), Qualifier.APPROXIMATE))
        assert (about.low, about.point, about.high) == pytest.approx(
            (60 * (1 - APPROXIMATE), 60.0, 60 * (1 + APPROXIMATE))
        )
        assert Interval.allowed(Measure(quantity(890, "t"), Qualifier.AT_MOST)) == Interval(0.0, 890.0, None)
        assert Interval.allowed(Measure(quantity(-5, "percent"), Qualifier.AT_MOST), floor=-math.inf).low == -math.inf

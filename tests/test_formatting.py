"""nkru.formatting: one formatter, two styles (text for people, compact for the checker's messages)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru.errors import ValidationError
from nkru.formatting import (
    DEFAULT_DIGITS,
    format_measure,
    format_number,
    format_quantity,
    quantity_writer,
    stated_digits,
    unit_symbol,
)
from nkru.fx import convert_currency
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing import parse_measure, parse_quantity
from nkru.prices import to_constant_dollars
from nkru.units import quantity, unit


class TestFormatNumber:
    def test_text_rounds_the_integer_part_and_compact_keeps_it(self) -> None:
        assert format_number(766043.4167, 4) == "766,000"
        assert format_number(766043.4167, 4, style="compact") == "766,043"

    def test_both_styles_agree_within_the_digits(self) -> None:
        for value in (172.3e6, 34716.0, -95.93908629, 0.125, 1.97e9):
            assert format_number(value) == format_number(value, style="compact")

    def test_small_numbers_and_zero(self) -> None:
        assert format_number(0.00001234) == "1.234e-05"
        assert format_number(0.00001234, style="compact") == "0.00001234"
        assert format_number(-0.0) == "-0"
        assert format_number(-0.0, style="compact") == "0"

    def test_infinity(self) -> None:
        assert (format_number(math.inf), format_number(-math.inf)) == ("inf", "-inf")
        assert (format_number(math.inf, style="compact"), format_number(-math.inf, style="compact")) == ("∞", "-∞")

    def test_sign_and_decimals_in_either_style(self) -> None:
        assert format_number(64.09523, decimals=1, sign=True) == "+64.1"
        assert format_number(1.2e9, style="compact", sign=True) == "+1.2 billion"

    def test_an_unknown_style_is_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"^style: must be 'text' or 'compact'"):
            format_number(1.0, style="fancy")  # type: ignore[arg-type]


class TestFormatQuantity:
    def test_one_table_of_short_units(self) -> None:
        assert [unit_symbol(unit(name)) for name in ("t", "kg", "ha", "percent", "item", "USD")] == [
            "t",
            "kg",
            "ha",
            "%",
            "items",
            "USD",
        ]

    def test_percent_and_dimensionless_take_no_space(self) -> None:
        assert format_quantity(quantity(60, "percent")) == "60%"
        assert format_quantity(quantity(2.5, "dimensionless"), style="compact") == "2.5"

    def test_writer_matches_format_quantity(self) -> None:
        write = quantity_writer(unit("t"), style="compact", sign=True)
        assert write(33646.0, 4) == format_quantity(quantity(33646, "t"), 4, style="compact", sign=True) == "+33,646 t"


class TestFormatMeasure:
    def test_qualifiers_in_words_or_symbols(self) -> None:
        at_most = Measure(quantity(890, "t"), Qualifier.AT_MOST)
        assert (format_measure(at_most), format_measure(at_most, style="compact")) == ("at most 890 t", "≤ 890 t")
        more = Measure(quantity(5, "item"), Qualifier.MORE_THAN)
        assert (format_measure(more), format_measure(more, style="compact")) == ("more than 5 items", "> 5 items")

    def test_text_says_everything_and_compact_only_the_values_allowed(self) -> None:
        about = Measure(
            quantity(60, "percent"),
            Qualifier.APPROXIMATE,
            quantity(55, "percent"),
            quantity(62, "percent"),
            status=ObsStatus.ESTIMATED,
        )
        assert format_measure(about) == "about 60% (55 to 62%) (estimated)"
        assert format_measure(about, style="compact") == "about 60%"
        ranged = Measure(quantity(300, "t"), Qualifier.RANGE, quantity(200, "t"), quantity(400, "t"))
        assert format_measure(ranged) == "300 t (200 to 400 t)"
        assert format_measure(ranged, style="compact") == "200 to 400 t"

    def test_an_open_bound_of_an_approximate_figure(self) -> None:
        about = Measure(quantity(60, "t"), Qualifier.APPROXIMATE, quantity(50, "t"))
        assert format_measure(about) == "about 60 t (50 t to open)"


class TestStatedDigits:
    """Issue 14, trap 11: a result is written to the digits its input was stated to, not 6 or 8."""

    @pytest.mark.parametrize(
        ("text", "digits"),
        [
            ("US$1.97 billion", 3),
            ("US$172.3 million", 4),
            ("100 USD", 3),  # a whole number's zeros count: the most the text may mean (see docs/units.md)
            ("830,000 tons", 6),
            ("US$1 billion", 1),
            ("64%", 2),
            ("91.1 percent", 3),
            ("several hundred thousand hectares", 1),
            ("200-300 tons", 3),
            ("0.5 t", 1),
            ("0 t", 1),
        ],
    )
    def test_digits_of_parsed_figures(self, text: str, digits: int) -> None:
        assert stated_digits(parse_measure(text)) == digits

    def test_unknown_resolution(self) -> None:
        assert stated_digits(Measure(quantity(1 / 3, "t"))) is None
        assert format_measure(Measure(quantity(1 / 3, "t"))) == "0.333333 t"  # DEFAULT_DIGITS
        assert DEFAULT_DIGITS == 6

    def test_the_traps_of_the_issue(self) -> None:
        euros = convert_currency(parse_measure("US$1.97 billion"), "EUR", on=2005)
        assert format_measure(euros) == "1.58 billion EUR"
        assert format_measure(euros, digits=8) == "1.5834864 billion EUR"
        restated = to_constant_dollars(parse_measure("100 USD"), 1995, 2020)
        assert format_measure(restated) == "170 USD"
        assert format_measure(restated, digits=8) == "169.82349 USD"
        assert format_measure(parse_measure("about US$3.6 million")) == "about 3.6 million USD"

    @given(
        st.floats(min_value=1.0, max_value=1e14, allow_nan=False, allow_infinity=False),
        st.integers(min_value=1, max_value=9),
        st.floats(min_value=0.01, max_value=100.0),
    )
    def test_a_scaled_measure_prints_its_stated_digits(self, value: float, digits: int, factor: float) -> None:
        """Scale a measure stated to ``digits`` digits (as a conversion does): what is printed reads back as the
        scaled value rounded to those digits."""
        value = float(f"{value:.{digits - 1}e}")  # a figure as a text states it, to its digits
        resolution = float(f"1e{math.floor(math.log10(value)) - digits + 1}")
        stated = Measure(quantity(value, "t"), resolution=resolution)
        assert stated_digits(stated) == digits
        scaled = stated.rescaled(lambda number: number * factor, field="value", target="t")
        assert stated_digits(scaled) in (digits, digits + 1, digits - 1)  # the ratio may cross a power of ten
        shown = parse_quantity(format_measure(scaled)).magnitude
        assert scaled.value is not None
        exact = float(scaled.value.magnitude)
        last_place = 10.0 ** (math.floor(math.log10(exact)) - stated_digits(scaled) + 1)  # type: ignore[operator]
        assert abs(shown - exact) <= last_place / 2 * (1 + 1e-9)  # rounded to the digits, no further
        units_of_last_place = shown / last_place
        assert units_of_last_place == pytest.approx(round(units_of_last_place), abs=1e-6)  # no digit beyond it

"""nkru.formatting: one formatter, two styles (text for people, compact for the checker's messages)."""

from __future__ import annotations

import math

import pytest

from nkru.errors import ValidationError
from nkru.formatting import format_measure, format_number, format_quantity, quantity_writer, unit_symbol
from nkru.measures import Measure, ObsStatus, Qualifier
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

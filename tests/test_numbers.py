"""Tests for nkru._core.numbers: the one check of numbers that callers hand to nkru's fields."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru._core.numbers import Sign, checked_float, float_or_problem, positive_float
from nkru.aggregate import cagr
from nkru.checks import Finding, Rule, Severity
from nkru.errors import ValidationError
from nkru.fx import RateQuote
from nkru.measures import Measure
from nkru.prices import IndexPoint
from nkru.units import money, quantity


@pytest.mark.parametrize(
    ("value", "sign", "expected"),
    [
        (7, "any", 7.0),
        (-2.5, "any", -2.5),
        (np.int64(3), "positive", 3.0),
        (Fraction(1, 4), "positive", 0.25),
        (0, "non-negative", 0.0),
        (0, "positive", "must be positive"),
        (-1e-300, "non-negative", "must be 0 or more"),
        (True, "any", "must be a number"),
        (np.True_, "any", "must be a number"),
        (np.timedelta64(5, "D"), "any", "must be a number"),
        ("5", "any", "must be a number"),
        (None, "any", "must be a number"),
        (Decimal("1.5"), "any", "must be a number"),
        (1 + 0j, "any", "must be a number"),
        (10**400, "any", "is too large for a float"),
        (Fraction(10**400, 3), "any", "is too large for a float"),
        (math.nan, "any", "must be finite (not nan or infinity)"),
        (-math.inf, "non-negative", "must be finite (not nan or infinity)"),
    ],
    ids=repr,
)
def test_float_or_problem(value: object, sign: Sign, expected: float | str) -> None:
    result = float_or_problem(value, sign)
    assert result == expected
    assert type(result) is type(expected)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_come_back_unchanged(number: float) -> None:
    assert float_or_problem(number) == number
    assert float_or_problem(number, "positive") == (number if number > 0 else "must be positive")


def test_checked_float_names_the_field() -> None:
    with pytest.raises(
        ValidationError, match=r"^years: is too large for a float \(got 1000+…\(401 characters\)\)$"
    ) as info:
        checked_float("years", 10**400)
    assert info.value.field == "years"


def test_positive_float_reads_table_text_by_the_table_grammar() -> None:
    assert positive_float("rate", " 1e-05 ") == 1e-05
    with pytest.raises(ValidationError, match=r"^rate: is too small for a float: 1e-400 would be read as 0"):
        positive_float("rate", "1e-400")
    for text, problem in [
        ("nan", "must be a finite number, not 'nan'"),
        ("1_000", "is not a number"),
        ("-3", "must be positive"),
    ]:
        with pytest.raises(ValidationError, match=rf"^rate: {problem}"):
            positive_float("rate", text)


class TestFieldsThatTakeNumbers:
    """Every field that takes a number from a caller goes through the one check (it once had a copy each)."""

    def test_cagr_over_years_no_float_holds(self) -> None:
        # Was a bare OverflowError from math.isfinite.
        with pytest.raises(ValidationError, match=r"^years: is too large for a float"):
            cagr(money(100, "USD"), money(121, "USD"), 10**400)

    def test_cagr_takes_numpy_years(self) -> None:
        growth = cagr(money(100, "USD"), money(121, "USD"), np.int64(2))  # type: ignore[arg-type]
        assert growth.value is not None
        assert growth.value.magnitude == pytest.approx(10.0)

    @pytest.mark.parametrize("given", [2, np.int64(2), Fraction(2), 2.0])
    def test_resolution_and_tolerance_are_stored_as_floats(self, given: Any) -> None:
        measure = Measure(quantity(10, "t"), resolution=given)
        finding = Finding(rule=Rule.SHARE, severity=Severity.OK, message="m", tolerance=given)
        assert (type(measure.resolution), measure.resolution) == (float, 2.0)
        assert (type(finding.tolerance), finding.tolerance) == (float, 2.0)

    @pytest.mark.parametrize(
        ("make", "field", "sign"),
        [
            (lambda v: Measure(quantity(10, "t"), resolution=v), "resolution", "positive"),
            (
                lambda v: Finding(rule=Rule.SHARE, severity=Severity.OK, message="m", tolerance=v),
                "tolerance",
                "non-negative",
            ),
            (lambda v: RateQuote("RUB", 2011, v, "x"), "rate", "positive"),
            (lambda v: IndexPoint(1997, v, "x"), "index", "positive"),
        ],
        ids=["resolution", "tolerance", "rate", "index"],
    )
    @pytest.mark.parametrize("value", [10**400, True, math.nan, "junk", -1, np.timedelta64(2, "D")], ids=repr)
    def test_bad_numbers_name_the_field(self, make: Any, field: str, sign: Sign, value: object) -> None:
        with pytest.raises(ValidationError) as info:
            make(value)
        assert info.value.field == field
        if not isinstance(value, str):  # text goes to the tables' number grammar, in its own words
            expected = float_or_problem(value, sign)
            assert isinstance(expected, str)
            assert info.value.reason == expected

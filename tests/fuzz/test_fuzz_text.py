"""Fuzz nkru's text entry points: amounts, periods, units, codes and commodity labels.

Each entry point gets the active profile's examples (1,000 under ``ci``) of
one mixed strategy: any text (every code point, odd characters, the fixed
hostile strings), mutations of phrasings it must read, bytes, and
JSON-like values. Each call returns a valid value or raises nkru's error:
:class:`~nkru.errors.ParseError` for the grammars,
:class:`~nkru.errors.ValidationError` for constructors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.junk import ODD_CHARACTERS, count, hostile_text, json_like, only_nkru_errors, pick
from nkru.commodities import Commodity, commodity
from nkru.errors import NkruError, ParseError, ValidationError
from nkru.measures import Measure
from nkru.parsing import parse_measure, parse_period, parse_quantity
from nkru.parties import Country, Region
from nkru.periods import Period
from nkru.units import format_unit, unit, ureg

#: Phrasings each reader must read; the mutations start from these.
AMOUNTS = (
    "US$1.97 billion",
    "830,000 tons",
    "about 60%",
    "no more than 890 tons",
    "several hundred thousand hectares",
    "5 million RUB",
    '4.5 billion "old" Rubles',
    "$200 per ton",
    "Ninety three North Korean factories",
    "some 50,000 tons",
)
#: The amounts that are exactly a quantity: no qualifier, no status, no range (what parse_quantity reads).
EXACT_AMOUNTS = tuple(a for a in AMOUNTS if not a.startswith(("about", "no more than", "several", "some")))
RANGES = ("200–300 tons", "several hundred thousand hectares", "between 5 and 6 million USD")
PERIODS = (
    "first nine months of 2005",
    "the late 1980s",
    "19.8.2011",
    "2005-Q1",
    "2005-01-01/P9M",
    "January to March 2006",
    "in the fall of 1997",
    "winter 1997/98",
    "2 February 2012",
    "from 1965 to 1968",
)
SDMX_PERIODS = ("2005", "2005-03", "2011-08-19", "2005-Q1", "1997-S2", "2005-01-01/P9M", "2005-01-01/2005-09-30")
UNITS = ("t", "USD / t", "kilogram / meter ** 2", "percent", "RUR", "item")
CODES = ("PRK", "RUS", "SUN", "RU-PRI", "RU-AMU")
LABELS = ("wheat", "mineral fuels", "tebaeksan-96 trucks")


@st.composite
def mutated(draw: st.DrawFn, valid: tuple[str, ...]) -> str:
    """A valid phrasing with a few characters inserted, deleted, replaced or repeated."""
    text = draw(st.sampled_from(valid))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        kind = draw(st.sampled_from(("insert", "delete", "replace", "repeat", "digits")))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(ODD_CHARACTERS) | st.characters()) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "replace":
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif kind == "repeat":
            text = text[:at] + text[at:] * draw(st.integers(min_value=2, max_value=50))
        else:
            text = text[:at] + draw(pick(("9" * 400, "1e308", ",000" * 30, ".5.5", "--"))) + text[at:]
    return text


def inputs(valid: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Any text, mutated valid text, bytes, and JSON-like values."""
    return st.one_of(
        hostile_text(),
        mutated(valid),
        st.binary(max_size=100),
        json_like(max_leaves=5),
    )


def _quantity_ok(value: Any) -> None:
    assert isinstance(value, pint.Quantity)
    assert value._REGISTRY is ureg
    assert type(value.magnitude) is float
    assert math.isfinite(value.magnitude)
    assert value.magnitude >= 0  # texts state sizes; there is no sign in the grammar


def _measure_ok(value: Any) -> None:
    assert isinstance(value, Measure)
    for part in (value.value, value.lower, value.upper):
        if part is not None:
            _quantity_ok(part)
    assert value.lower is None or value.upper is None or value.lower.magnitude <= value.upper.magnitude


def _period_ok(value: Any) -> None:
    assert isinstance(value, Period)
    assert value.start <= value.end
    assert 1000 <= value.start.year <= value.end.year <= 2999
    # The canonical text reads back as the same days.
    again = Period.from_sdmx(str(value))
    assert (again.start, again.end) == (value.start, value.end)


def _unit_ok(value: Any) -> None:
    assert unit(format_unit(value)) == value


def _code_ok(value: Any) -> None:
    assert isinstance(value, (Country, Region))


def _commodity_ok(value: Any) -> None:
    assert isinstance(value, Commodity)
    assert value.label == value.label.strip().lower()


#: name: (entry point, the phrasings it reads, the check of a value, the error it may raise)
ENTRY_POINTS: dict[str, tuple[Callable[[Any], Any], tuple[str, ...], Callable[[Any], None], type[NkruError]]] = {
    "parse_quantity": (parse_quantity, EXACT_AMOUNTS, _quantity_ok, ParseError),
    "parse_measure": (parse_measure, AMOUNTS + RANGES, _measure_ok, ParseError),
    "parse_period": (parse_period, PERIODS, _period_ok, ParseError),
    "parse_period(year=1997)": (lambda text: parse_period(text, year=1997), PERIODS, _period_ok, ParseError),
    "Period.from_sdmx": (Period.from_sdmx, SDMX_PERIODS, _period_ok, ParseError),
    "unit": (unit, UNITS, _unit_ok, ParseError),
    "Country": (Country, CODES[:3], _code_ok, ValidationError),
    "Region": (Region, CODES[3:], _code_ok, ValidationError),
    "commodity": (commodity, LABELS, _commodity_ok, ValidationError),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_valid_phrasings_are_read(name: str) -> None:
    reader, valid, check, _ = ENTRY_POINTS[name]
    for text in valid:
        check(reader(text))


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_any_input_gives_a_value_or_an_nkru_error(name: str) -> None:
    reader, valid, check, error = ENTRY_POINTS[name]

    @given(inputs(valid))
    def run(text: Any) -> None:
        count()
        outcome = only_nkru_errors(lambda: reader(text))
        if isinstance(outcome, NkruError):
            assert isinstance(outcome, error), repr(outcome)
            assert len(str(outcome)) <= 2_000
        else:
            assert isinstance(text, str), f"{name} read a non-text {text!r}"
            check(outcome)

    run()

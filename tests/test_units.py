"""Tests for nkru.units: the registry, currencies as dimensions, exact conversions."""

from __future__ import annotations

import math
import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru import strategies as nst
from nkru import units as nkru_units
from nkru._core.factors import ExactFactor
from nkru.errors import CurrencyMismatchError, NkruError, ParseError, UnitMismatchError, ValidationError
from nkru.fx import RateQuote, convert_currency
from nkru.parsing import parse_quantity
from nkru.prices import PriceIndex
from nkru.table import TradeTable
from nkru.units import (
    CURRENCIES,
    ROUBLES,
    check_currency,
    conversion_factor,
    currency_code,
    currency_of,
    currency_validator,
    format_unit,
    is_currency,
    money,
    quantity,
    to_unit,
    unit,
    ureg,
)


class TestRegistry:
    def test_metric_tonne_is_1000_kg(self) -> None:
        assert to_unit(quantity(1, "t"), "kg").magnitude == 1000.0

    def test_short_ton_stays_reachable_by_its_name(self) -> None:
        assert to_unit(quantity(1, "short_ton"), "kg").magnitude == pytest.approx(907.18474)

    @pytest.mark.parametrize("name", ["mt", "MT", "kt", "kiloton", "kilotons", "megaton", "Mt", "knot", "kg / kiloton"])
    def test_ambiguous_names_are_refused(self, name: str) -> None:
        with pytest.raises(ParseError, match="ambiguous"):
            unit(name)

    def test_prefixed_tons_ask_for_the_magnitude_in_tonnes(self) -> None:
        with pytest.raises(ParseError, match="pint reads it as tonnes with the prefix 'kilo'"):
            unit("kilotons")


class TestTon:
    """Issue 14, trap 9: "ton" through pint was the US short ton (907.18474 kg)."""

    @pytest.mark.parametrize("name", ["ton", "tons", "tonne", "metric_ton", "t"])
    def test_ton_is_the_metric_tonne_in_nkru_and_through_pint(self, name: str) -> None:
        assert quantity(3, "t").to(name).to("kg").magnitude == 3000.0
        assert to_unit(quantity(3, name), "kg").magnitude == 3000.0
        assert unit("t") == unit(name)

    def test_pint_to_ton_on_an_nkru_quantity_gives_tonnes(self) -> None:
        # Before: 830,000 t .to("ton") gave 914,913 (short tons), a 10% error without a word.
        assert pytest.approx(quantity(830_000, "t").to("ton").magnitude) == 830_000.0
        assert quantity(830_000, "t").to("tons").magnitude == 830_000.0

    @pytest.mark.parametrize(
        ("name", "kilograms"),
        [("short_ton", 907.18474), ("US_ton", 907.18474), ("long_ton", 1016.0469088), ("UK_ton", 1016.0469088)],
    )
    def test_short_and_long_tons_keep_their_explicit_names(self, name: str, kilograms: float) -> None:
        assert kilograms == pytest.approx(to_unit(quantity(1, name), "kg").magnitude, rel=1e-15)

    def test_short_tons_are_written_by_their_explicit_name(self) -> None:
        assert format_unit(unit("short_ton")) == "short_ton"
        assert format_unit(unit("ton")) == "metric_ton"


class TestPickle:
    """Issue 14, trap 9: pickles came back in pint's application registry, foreign to nkru's."""

    @pytest.mark.parametrize(
        "value", [quantity(3, "t"), money(4.5e9, "RUR"), quantity(2, "kilometer"), quantity(1, "USD / t")]
    )
    def test_a_pickled_quantity_unpickles_into_nkru_registry(self, value: pint.Quantity[float]) -> None:
        back = pickle.loads(pickle.dumps(value))
        assert back._REGISTRY is ureg
        assert value == back
        assert 2 * value.magnitude == (back + value).magnitude

    def test_a_pickled_unit_unpickles_into_nkru_registry(self) -> None:
        back = pickle.loads(pickle.dumps(unit("USD / t")))
        assert back._REGISTRY is ureg
        assert quantity(2, "USD / t") == quantity(2, back)

    def test_unpickling_leaves_pint_application_registry_alone(self) -> None:
        before = pint.get_application_registry().get()
        pickle.loads(pickle.dumps(quantity(3, "t")))
        assert before is pint.get_application_registry().get()
        assert before is not ureg


class TestUseAsApplicationRegistry:
    def test_pint_quantities_then_mix_with_nkru_quantities(self) -> None:
        previous = pint.get_application_registry().get()
        try:
            nkru_units.use_as_application_registry()
            assert ureg is pint.get_application_registry().get()
            assert (pint.Quantity(3.0, "ton") + quantity(2, "t")).to("t").magnitude == 5.0
        finally:
            pint.set_application_registry(previous)

    @pytest.mark.parametrize("name", ["kUSD", "kiloUSD", "MRUB", "mRUR", "kKPW", "USD / kUSD", "kEUR / t"])
    def test_prefixed_currencies_are_refused(self, name: str) -> None:
        # 5 "kUSD" converted to roubles at the dollar's rate came out 1000 times too small.
        with pytest.raises(ParseError, match=r"pint reads it as [A-Z]{3} with the prefix"):
            unit(name)

    def test_a_prefixed_currency_made_through_pint_is_not_money(self) -> None:
        thousands = ureg.Quantity(5, "kUSD")
        assert currency_of(thousands) is None
        with pytest.raises(UnitMismatchError):
            convert_currency(thousands, "RUB", on=2005)
        assert currency_of(money(5, "RUR")) == "RUR"
        assert currency_of(money(5, "RUB")) == "RUB"

    def test_pct_is_percent_as_in_texts(self) -> None:
        # pint read "pct" as a picocarat; parse_quantity("5 pct") was already percent.
        assert unit("pct") == unit("Pct") == unit("PCT") == unit("percent")
        assert parse_quantity("5 pct").units == unit("pct")

    def test_hectare_percent_item(self) -> None:
        assert to_unit(quantity(200_000, "hectare"), "kilometer ** 2").magnitude == pytest.approx(2000.0)
        assert to_unit(quantity(60, "percent"), "dimensionless").magnitude == pytest.approx(0.6)
        assert format_unit(quantity(50, "item")) == "item"

    def test_items_do_not_mix_with_percent(self) -> None:
        with pytest.raises(UnitMismatchError):
            to_unit(quantity(50, "item"), "percent")

    def test_every_currency_is_its_own_dimension(self) -> None:
        dims = {str(unit(code).dimensionality) for code in CURRENCIES - {"RUR"}}
        assert len(dims) == len(CURRENCIES) - 1

    def test_price_times_mass_is_money(self) -> None:
        total = quantity(200, "USD / t") * quantity(3, "t")
        assert currency_of(total.to_reduced_units()) == "USD"
        assert total.to("USD").magnitude == 600


class TestExactFactor:
    """The one conversion rule: divide by an exact whole number rather than multiply by its inexact inverse."""

    def test_a_whole_inverse_divides(self) -> None:
        assert ExactFactor.of(0.001) == ExactFactor(divisor=1000.0)
        assert ExactFactor.of(1000.0) == ExactFactor(multiplier=1000.0)
        assert ExactFactor.of(0.3) == ExactFactor(multiplier=0.3)  # 1/0.3 is no whole number

    def test_dividing_is_exact_where_multiplying_is_not(self) -> None:
        assert 123.456 * 0.001 == 0.12345600000000001
        assert ExactFactor.of(0.001).apply(123.456) == 0.123456

    def test_floats_and_arrays_give_the_same_bits(self) -> None:
        factor = ExactFactor(divisor=28.2844416666667, multiplier=0.629)
        values = np.array([1.0, 4.5e9, 0.3, np.nan])
        expected = [value / 28.2844416666667 * 0.629 for value in values.tolist()]
        assert factor.apply(values)[:3].tolist() == expected[:3]
        assert [factor.apply(value) for value in values.tolist()[:3]] == expected[:3]
        assert math.isnan(factor.apply(values)[3])

    def test_no_step_leaves_the_value_alone(self) -> None:
        assert ExactFactor().apply(7) == 7
        assert isinstance(ExactFactor().apply(7), int)

    def test_an_array_overflows_to_infinity_without_a_warning(self) -> None:
        assert ExactFactor(multiplier=1e10).apply(np.array([1e300])).tolist() == [math.inf]

    def test_conversion_factor_is_the_rule_of_to_unit(self) -> None:
        assert conversion_factor(unit("RUR"), unit("RUB")) == ExactFactor(divisor=1000.0)
        assert conversion_factor(unit("kg"), unit("t")) == ExactFactor(divisor=1000.0)
        assert conversion_factor(unit("t"), unit("kg")) == ExactFactor(multiplier=1000.0)
        assert to_unit(money(4.5e9, "RUR"), "RUB").magnitude == conversion_factor(unit("RUR"), unit("RUB")).apply(4.5e9)


class TestCurrencies:
    def test_adding_dollars_to_roubles_raises(self) -> None:
        with pytest.raises(pint.DimensionalityError):
            money(1, "USD") + money(1, "RUB")

    def test_comparing_dollars_to_euros_raises(self) -> None:
        with pytest.raises(pint.DimensionalityError):
            _ = money(1, "USD") < money(1, "EUR")

    def test_to_unit_between_currencies_raises_nkru_error(self) -> None:
        with pytest.raises(CurrencyMismatchError) as info:
            to_unit(money(1, "USD"), "RUB")
        assert (info.value.from_unit, info.value.to_unit) == ("USD", "RUB")
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, NkruError)

    def test_soviet_rouble_is_not_the_russian_rouble(self) -> None:
        with pytest.raises(CurrencyMismatchError):
            to_unit(money(1, "SUR"), "RUR")

    def test_redenomination_is_exact(self) -> None:
        assert to_unit(money(4.5e9, "RUR"), "RUB").magnitude == 4.5e6
        assert to_unit(money(3.5e9, "RUR"), "RUB").magnitude == 3.5e6
        assert to_unit(money(1, "RUB"), "RUR").magnitude == 1000.0

    def test_currency_of(self) -> None:
        assert [currency_of(money(1, c)) for c in ("RUR", "RUB", "KPW")] == ["RUR", "RUB", "KPW"]
        assert currency_of(quantity(1, "t")) is None
        assert is_currency(unit("EUR"))
        assert not is_currency(unit("USD / t"))

    def test_unknown_currency(self) -> None:
        with pytest.raises(ParseError, match="unknown currency"):
            money(1, "XXX")

    @pytest.mark.parametrize(
        "magnitude", [7, 2.5, np.int64(7), np.float32(2.5), Fraction(1, 3), 10**30, math.nan], ids=repr
    )
    def test_real_magnitudes_are_kept_as_given(self, magnitude: object) -> None:
        made = money(magnitude, "USD")  # type: ignore[arg-type]  # the annotation says float; any real works
        assert made.magnitude is magnitude
        assert quantity(magnitude, "t").magnitude is magnitude  # type: ignore[arg-type]

    def test_numeric_arrays_are_kept(self) -> None:
        made = quantity(np.array([1, 2]), "t")  # type: ignore[arg-type]
        assert made.magnitude.tolist() == [1, 2]
        assert str(made.units) == "metric_ton"

    @given(st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False, allow_infinity=False))
    def test_rur_to_rub_is_the_correctly_rounded_quotient(self, amount: Decimal) -> None:
        value = float(amount)
        rub = to_unit(money(value, "RUR"), "RUB").magnitude
        assert rub == float(Decimal(value) / 1000)

    @given(nst.quantities())
    def test_conversion_there_and_back(self, value: pint.Quantity[float]) -> None:
        base = value.to_base_units().units
        back = to_unit(to_unit(value, base), value.units)
        assert back.magnitude == pytest.approx(value.magnitude, rel=1e-12, abs=1e-300)

    @given(nst.currencies(), nst.currencies())
    def test_mixing_currencies_always_raises(self, first: str, second: str) -> None:
        if {first, second} <= {"RUB", "RUR"} or first == second:
            assert currency_of(money(1, first) + money(1, second)) in {"RUB", "RUR"} | {first}
            return
        with pytest.raises(pint.DimensionalityError):
            money(1, first) + money(1, second)
        with pytest.raises(CurrencyMismatchError):
            to_unit(money(1, first), second)


class TestCurrencyCodes:
    """ROUBLES and check_currency: the one home of the rouble codes and of the currency-code check."""

    def test_roubles(self) -> None:
        assert frozenset({"RUB", "RUR"}) == ROUBLES
        assert ROUBLES <= CURRENCIES
        assert to_unit(money(1000, "RUR"), "RUB") == money(1.0, "RUB")

    @pytest.mark.parametrize("code", sorted(CURRENCIES))
    def test_known_codes_pass(self, code: str) -> None:
        assert check_currency("currency", code) == code

    @pytest.mark.parametrize("code", sorted(CURRENCIES))
    def test_codes_in_any_case_read_as_capitals(self, code: str) -> None:
        """Issue 14, trap 10: the API reads "usd" as the command line does."""
        assert check_currency("to", code.lower()) == code
        assert check_currency("to", code.title()) == code
        assert unit(code.lower()) == unit(code)
        assert money(2, code.lower()) == money(2, code)
        assert currency_code(code.lower()) == code

    def test_mixed_case_unit_names_stay_pints(self) -> None:
        # Only a whole code in lower case is read as the currency: "Gbp" is pint's gigapoint, not sterling.
        assert format_unit(unit("Gbp")) == "gigapoint"
        assert format_unit(unit("usd / t")) == "USD / metric_ton"

    def test_records_store_the_code_in_capitals(self) -> None:
        assert RateQuote("rub", 2005, 28.0, "s").currency == "RUB"
        assert PriceIndex("CPI", "usd", []).currency == "USD"

        @attrs.frozen
        class Strict:
            currency: str = attrs.field(validator=currency_validator)

        with pytest.raises(ValidationError, match="in capitals"):
            Strict("usd")

    @pytest.mark.parametrize("bad", ["XYZ", "dollars", "", None, 5, ["USD"]])
    def test_other_values_are_refused_naming_the_field(self, bad: object) -> None:
        with pytest.raises(ValidationError) as info:
            check_currency("to", bad)
        assert info.value.field == "to"
        assert info.value.reason == "must be a currency nkru knows (CNY, EUR, GBP, JPY, KPW, KRW, RUB, RUR, SUR, USD)"

    def test_the_attrs_validator_names_the_attribute(self) -> None:
        @attrs.frozen
        class Priced:
            currency: str = attrs.field(validator=currency_validator)

        assert Priced("KPW").currency == "KPW"
        with pytest.raises(ValidationError, match=r"^currency: must be a currency nkru knows"):
            Priced("WON")

    def test_fx_prices_and_tables_refuse_alike(self) -> None:
        expected = "must be a currency nkru knows (CNY, EUR, GBP, JPY, KPW, KRW, RUB, RUR, SUR, USD) (got 'WON')"
        with pytest.raises(ValidationError) as quote:
            RateQuote("WON", 2005, 1.0, "s")
        with pytest.raises(ValidationError) as index:
            PriceIndex("CPI", "WON", [])
        with pytest.raises(ValidationError) as table:
            TradeTable.from_records([]).convert_currency("WON")
        assert [str(quote.value), str(index.value), str(table.value)] == [
            f"currency: {expected}",
            f"currency: {expected}",
            f"to: {expected}",
        ]


class TestUnitGrammar:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("t", "metric_ton"),
            ("USD / t", "USD / metric_ton"),
            ("kg * m ** 2", "kilogram * meter ** 2"),
            ("1 / t", "1 / metric_ton"),
        ],
    )
    def test_reads(self, text: str, expected: str) -> None:
        assert format_unit(unit(text)) == expected

    @pytest.mark.parametrize(
        "text",
        ["", "9**9**9**9", "kg ** 99", "t + kg", "(t)", "t /", "kg t", "x" * 121, "__import__('os')", "t\x00", "nan"],
    )
    def test_refuses(self, text: str) -> None:
        with pytest.raises(ParseError):
            unit(text)

    def test_non_text(self) -> None:
        with pytest.raises(ParseError):
            unit(5)  # type: ignore[arg-type]

    def test_format_reads_back(self) -> None:
        for text in ("short_ton", "USD / short_ton", "percent", "item", "hectare", "dimensionless"):
            assert unit(format_unit(unit(text))) == unit(text)

    def test_overflow_is_a_validation_error(self) -> None:
        with pytest.raises(ValidationError):
            to_unit(quantity(1e308, "t"), "g")

    def test_registry_is_nkrus_own(self) -> None:
        assert quantity(1, "t")._REGISTRY is ureg
        assert ureg is not pint.get_application_registry()


class TestQuantityShortcuts:
    """nkru.units.make_quantity builds quantities without pint's constructor; it must make the same thing."""

    def test_the_shortcut_is_in_use_with_this_pint(self) -> None:
        # If this fails after a pint upgrade, nkru still works (through pint's constructor), only slower.
        assert nkru_units._SHORTCUT_AGREES
        assert nkru_units.make_quantity is nkru_units._shortcut

    @given(nst.magnitudes(), st.sampled_from(["t", "kg", "USD", "RUR", "RUB / t", "percent", "dimensionless"]))
    def test_makes_what_pint_makes(self, magnitude: float, name: str) -> None:
        made, expected = nkru_units.make_quantity(magnitude, unit(name)), ureg.Quantity(magnitude, unit(name))
        assert type(made) is type(expected)
        assert vars(made) == vars(expected)
        assert made.magnitude == magnitude
        assert str(made.units) == str(expected.units)
        assert to_unit(made, unit(name)).magnitude == magnitude
        assert nkru_units.units_of(made) == expected.units
        assert nkru_units.units_of(made) is nkru_units.units_of(expected)

    def test_a_shortcut_that_disagrees_is_not_used(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def forgetful(magnitude: float, units: pint.Unit) -> pint.Quantity[float]:
            made = object.__new__(ureg.Quantity)
            made._magnitude = magnitude
            return made  # no _units: a pint whose layout changed

        monkeypatch.setattr(nkru_units, "_shortcut", forgetful)
        assert not nkru_units._shortcut_agrees()

    def test_made_quantities_are_independent(self) -> None:
        first = nkru_units.make_quantity(1.0, unit("t"))
        second = nkru_units.make_quantity(1.0, unit("t"))
        first.ito("kg")
        assert (first.magnitude, str(first.units)) == (1000.0, "kilogram")
        assert (second.magnitude, str(second.units)) == (1.0, "metric_ton")

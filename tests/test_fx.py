"""Tests for nkru.fx: exchange-rate tables, policies, redenomination, CSV and the shipped data."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import math
import pickle
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nkru
import nkru.fx
from _shared import CHECKOUT, RAW, needs_shared
from nkru._core.tables import read_package_text
from nkru.errors import (
    CurrencyMismatchError,
    CurrencyNotInCirculationError,
    NkruError,
    RateNotFoundError,
    StructureError,
    UnitMismatchError,
    ValidationError,
)
from nkru.fx import ExchangeRates, RatePolicy, RateQuote, convert_currency
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period, Precision
from nkru.records import Flow, TradeFlow
from nkru.strategies import exchange_rates, rate_quotes
from nkru.table import TradeTable
from nkru.units import money, quantity, to_unit

WDI_FILE = RAW / "API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv"

# Figures as published in the raw files (World Bank WDI PA.NUS.FCRF, vintage 2025-07-01,
# Russian Federation, new roubles per US$) and in DOMAIN.md (CIA World Factbook 1991).
WDI_RUB_1997 = "5.78483333333334"
WDI_RUB_2005 = "28.2844416666667"
WDI_RUB_2011 = "29.3823413709302"
SOVIET_1988 = 0.629


def table(*quotes: RateQuote) -> ExchangeRates:
    return ExchangeRates(quotes)


class TestAcceptance:
    """The 'done when' list of issue 4, with the shipped tables."""

    def test_rur_1997_converts_at_the_annual_average_times_1000(self):
        result = convert_currency(money(4.5e9, "RUR"), "USD", on=1997)
        expected = 4.5e9 / (1000 * float(WDI_RUB_1997))
        assert result.units == money(1, "USD").units
        assert result.magnitude == pytest.approx(expected, rel=1e-13)
        assert 770_000 < result.magnitude < 780_000

    @pytest.mark.parametrize(("year", "published"), [(2005, WDI_RUB_2005), (2011, WDI_RUB_2011)])
    def test_one_dollar_gives_the_years_average_rouble_rate(self, year, published):
        result = convert_currency(money(1, "USD"), "RUB", on=year)
        assert result.magnitude == float(published)
        assert result.units == money(1, "RUB").units

    def test_one_dollar_in_soviet_roubles_1988(self):
        assert convert_currency(money(1, "USD"), "SUR", on=1988).magnitude == SOVIET_1988

    @pytest.mark.parametrize(("currency", "year"), [("RUB", 1991), ("RUB", 2024), ("SUR", 1991), ("RUB", 1984)])
    def test_a_year_without_a_rate_raises(self, currency, year):
        with pytest.raises(NkruError) as info:
            convert_currency(money(1, "USD"), currency, on=year)
        assert isinstance(info.value, RateNotFoundError)
        assert isinstance(info.value, LookupError)
        assert info.value.when == str(year)
        assert str(year) in str(info.value)

    def test_missing_rate_message_says_what_is_covered(self):
        with pytest.raises(RateNotFoundError) as info:
            convert_currency(money(1, "USD"), "RUB", on=1991)
        assert info.value.coverage == "annual 1992–2023; monthly 1996-01–2023-09"


class TestShippedData:
    def test_loaded_from_the_package_once(self):
        assert ExchangeRates.default() is ExchangeRates.default()
        assert ExchangeRates.default().rate("RUB", 2005) == 28.2844416666667

    @pytest.mark.parametrize("module", [nkru.fx, nkru])
    def test_default_rates_is_a_deprecated_alias(self, module: types.ModuleType) -> None:
        expected = (
            "nkru.fx.default_rates() is deprecated and will be removed in nkru 0.3; use nkru.ExchangeRates.default()"
        )
        with pytest.warns(DeprecationWarning, match="default_rates") as caught:
            old = module.default_rates()
        assert [str(w.message) for w in caught] == [expected]
        assert caught[0].filename == __file__  # the warning points at the caller
        assert old is ExchangeRates.default()

    def test_csv_round_trip_is_byte_identical(self):
        text = read_package_text("usd_rates.csv")
        assert text == ExchangeRates.from_csv(text).to_csv()

    def test_every_row_cites_a_known_source(self):
        sources = {q.source for q in ExchangeRates.default().quotes}
        assert sources == {"bis", "cia-wfb-1991", "ecb-eurofxref", "fred-ccusma02rum618n", "wdi-2025-07-01"}

    def test_rouble_codes_by_era(self):
        rates = ExchangeRates.default()
        annual = {(q.currency, q.period.start.year) for q in rates.quotes if q.frequency is Precision.YEAR}
        assert {year for code, year in annual if code == "SUR"} == set(range(1985, 1991))
        assert {year for code, year in annual if code == "RUR"} == set(range(1992, 1998))
        assert {year for code, year in annual if code == "RUB"} == set(range(1998, 2024))

    @pytest.mark.parametrize(("year", "expected"), [(1992, 284.273), (1994, 2191.462), (1995, 4552.658)])
    def test_wdi_gaps_filled_with_bis_in_old_roubles(self, year, expected):
        quote = next(q for q in ExchangeRates.default().quotes if q.currency == "RUR" and q.period == Period.year(year))
        assert (quote.rate, quote.source) == (expected, "bis")

    def test_coverage_texts(self):
        rates = ExchangeRates.default()
        assert rates.coverage("SUR") == "annual 1985–1990"
        assert rates.coverage("EUR") == "annual 1999–2025"
        assert rates.coverage("KPW") == "no dates"
        assert rates.coverage("USD") == "every date (the base currency)"

    def test_monthly_average_over_part_of_a_year(self):
        rates = ExchangeRates.default()
        months = [q.rate for q in rates.quotes if q.currency == "RUB" and q.period.start.year == 2005]
        months = [q for q in rates.quotes if q.currency == "RUB" and q.frequency is Precision.MONTH]
        nine = [q for q in months if q.period.start.year == 2005 and q.period.start.month <= 9]
        weights = [q.period.days for q in nine]
        expected = sum(w * q.rate for w, q in zip(weights, nine, strict=True)) / sum(weights)
        assert rates.rate("RUB", Period.months(2005, 1, 9)) == pytest.approx(expected, rel=1e-14)
        assert rates.rate("RUB", Period.months(2005, 1, 9)) != rates.rate("RUB", 2005)

    @needs_shared
    def test_rouble_rows_match_the_raw_wdi_file(self):
        with WDI_FILE.open(encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle.read().splitlines()[4:]))
        header, russia = rows[0], next(row for row in rows if row[1:2] == ["RUS"])
        published = {int(h): v for h, v in zip(header, russia, strict=False) if h.isdigit() and v}
        rates = ExchangeRates.default()
        for year, figure in published.items():
            code = "RUR" if year < 1998 else "RUB"
            quote = next(q for q in rates.quotes if q.currency == code and q.period == Period.year(year))
            assert quote.source == "wdi-2025-07-01"
            scale = 1000 if code == "RUR" else 1
            assert quote.rate == pytest.approx(float(figure) * scale, rel=1e-15)
        assert 2024 not in published  # this WDI vintage has no 2024 figure, so neither does nkru

    @needs_shared
    def test_build_script_reproduces_the_shipped_tables(self):
        result = subprocess.run(
            [sys.executable, str(CHECKOUT / "tools" / "build_fx_data.py"), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


class TestRateQuote:
    def test_period_forms_are_canonical(self):
        from_text = RateQuote("RUB", "2005-03", 28.0, "s")
        from_period = RateQuote("RUB", Period(dt.date(2005, 3, 1), dt.date(2005, 3, 31), Precision.MONTHS), 28.0, "s")
        assert from_text == from_period
        assert from_text.period == Period.month(2005, 3)
        assert RateQuote("RUB", dt.date(2005, 3, 4), 1.0, "s").frequency is Precision.DAY
        assert RateQuote("RUB", pd.Timestamp("2005-03-04"), 1.0, "s").period == Period.day(dt.date(2005, 3, 4))

    @pytest.mark.parametrize(
        ("field", "kwargs"),
        [
            ("rate", {"rate": float("nan")}),
            ("rate", {"rate": -1.0}),
            ("rate", {"rate": 0}),
            ("rate", {"rate": True}),
            ("rate", {"rate": "1_000"}),
            ("rate", {"rate": float("inf")}),
            ("period", {"period": "2005-Q1"}),
            ("period", {"period": Period.quarter(2005, 1)}),
            ("period", {"period": "2005-02-30"}),
            ("period", {"period": "２００５"}),
            ("period", {"period": dt.datetime(2005, 1, 1, 12, 0)}),  # noqa: DTZ001 - naive on purpose
            ("period", {"period": 99999}),
            ("currency", {"currency": "XYZ"}),
            ("source", {"source": ""}),
            ("source", {"source": "a\nb"}),
            ("source", {"source": "x" * 201}),
        ],
    )
    def test_rejects(self, field, kwargs):
        values = {"currency": "RUB", "period": 2005, "rate": 28.0, "source": "s"} | kwargs
        with pytest.raises(ValidationError) as info:
            RateQuote(**values)
        assert info.value.field == field

    @pytest.mark.parametrize("rate", [1.8e305, 10**306], ids=["1.8e305", "10**306"])
    def test_a_rouble_rate_the_other_rouble_cannot_hold(self, rate):
        # 1.8e305 RUB per USD is more than 1.8e308 RUR per USD; the table's index failed to build it.
        with pytest.raises(ValidationError) as info:
            RateQuote("RUB", 2011, rate, "s")
        assert info.value.field == "rate"
        assert "RUR" in info.value.reason
        assert RateQuote("RUR", 2011, 1.8e305, "s").rate == 1.8e305  # 1.8e302 RUB: fine


class TestPolicies:
    def rates(self) -> ExchangeRates:
        quotes = [
            RateQuote("RUB", 2004, 20.0, "a"),
            RateQuote("RUB", 2005, 30.0, "a"),
            RateQuote("RUB", "2005-01", 10.0, "m"),
            RateQuote("RUB", "2005-02", 40.0, "m"),
            # Daily EUR quotes on Monday 2011-08-15 to Friday 2011-08-19 and Monday 2011-08-29.
            *(RateQuote("EUR", dt.date(2011, 8, d), 0.70 + d / 1000, "d") for d in (15, 16, 17, 18, 19, 29)),
        ]
        return ExchangeRates(quotes)

    def test_exact_quote_wins_a_period_average(self):
        assert self.rates().rate("RUB", 2005) == 30.0
        assert self.rates().rate("RUB", Period.month(2005, 2)) == 40.0

    def test_finer_quotes_averaged_by_days(self):
        result = self.rates().rate("RUB", Period.months(2005, 1, 2))
        assert result == pytest.approx((31 * 10.0 + 28 * 40.0) / 59, rel=1e-15)

    def test_a_month_inside_an_annual_average_gets_it(self):
        assert self.rates().rate("RUB", Period.month(2005, 7)) == 30.0
        assert self.rates().rate("RUB", dt.date(2004, 7, 1)) == 20.0

    def test_period_across_two_years(self):
        period = Period(dt.date(2004, 7, 1), dt.date(2005, 6, 30), Precision.MONTHS)
        result = self.rates().rate("RUB", period)
        assert result == pytest.approx((184 * 20.0 + 181 * 30.0) / 365, rel=1e-15)

    def test_uncovered_part_of_a_period_raises(self):
        with pytest.raises(RateNotFoundError):
            self.rates().rate("RUB", Period.years(2005, 2006))

    def test_daily_average_over_a_week(self):
        expected = sum(0.70 + d / 1000 for d in range(15, 20)) / 5
        week = Period(dt.date(2011, 8, 15), dt.date(2011, 8, 21), Precision.DAYS)
        assert self.rates().rate("EUR", week) == pytest.approx(expected, rel=1e-15)

    def test_daily_average_refuses_a_long_gap(self):
        with pytest.raises(RateNotFoundError):
            self.rates().rate("EUR", Period(dt.date(2011, 8, 15), dt.date(2011, 8, 29), Precision.DAYS))

    def test_exact_date(self):
        assert self.rates().rate("EUR", dt.date(2011, 8, 17), RatePolicy.EXACT_DATE) == pytest.approx(0.717)
        with pytest.raises(RateNotFoundError) as info:
            self.rates().rate("EUR", dt.date(2011, 8, 20), RatePolicy.EXACT_DATE)
        assert "EXACT_DATE" in str(info.value)
        with pytest.raises(RateNotFoundError):
            self.rates().rate("RUB", dt.date(2005, 3, 1), RatePolicy.EXACT_DATE)

    def test_last_known_before_takes_fridays_rate_on_sunday(self):
        assert self.rates().rate("EUR", dt.date(2011, 8, 21), RatePolicy.LAST_KNOWN_BEFORE) == pytest.approx(0.719)

    def test_last_known_before_prefers_the_freshest_quote(self):
        # On 2005-03-15 the February average (ended 2005-02-28) is the latest known;
        # the 2005 annual average is not known until the year is over.
        assert self.rates().rate("RUB", dt.date(2005, 3, 15), RatePolicy.LAST_KNOWN_BEFORE) == 40.0
        assert self.rates().rate("RUB", 2005, RatePolicy.LAST_KNOWN_BEFORE) == 30.0

    def test_last_known_before_refuses_stale_rates(self):
        rates = self.rates()
        assert rates.rate("EUR", dt.date(2011, 9, 8), RatePolicy.LAST_KNOWN_BEFORE) == pytest.approx(0.729)
        with pytest.raises(RateNotFoundError) as info:
            rates.rate("EUR", dt.date(2011, 9, 8), RatePolicy.LAST_KNOWN_BEFORE, max_staleness=dt.timedelta(days=7))
        assert "LAST_KNOWN_BEFORE" in str(info.value)
        with pytest.raises(RateNotFoundError):
            rates.rate("EUR", dt.date(2011, 8, 14), RatePolicy.LAST_KNOWN_BEFORE)

    @pytest.mark.parametrize(
        "on",
        [True, "mid-2005", "2005-13", "x" * 300, 2005.0, dt.datetime(2005, 1, 1), 10_000, None],  # noqa: DTZ001
    )
    def test_bad_dates(self, on):
        with pytest.raises(ValidationError) as info:
            self.rates().rate("RUB", on)
        assert info.value.field == "on"

    def test_bad_policy_and_staleness(self):
        with pytest.raises(ValidationError):
            self.rates().rate("RUB", 2005, "period_average")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            self.rates().rate("RUB", 2005, max_staleness=5)  # type: ignore[arg-type]

    def test_numpy_integer_year(self):
        assert self.rates().rate("RUB", np.int64(2005)) == 30.0


class TestRedenomination:
    def test_rur_and_rub_are_one_series(self):
        rates = table(RateQuote("RUR", 1997, 5784.83, "x"), RateQuote("RUB", 1998, 9.7, "x"))
        assert rates.rate("RUR", 1997) == 5784.83
        assert rates.rate("RUB", 1997) == 5784.83 / 1000
        assert rates.rate("RUR", 1998) == 9.7 * 1000
        assert rates.rate("RUB", Period.years(1997, 1998)) == pytest.approx((5.78483 * 365 + 9.7 * 365) / 730)

    def test_same_period_in_both_codes_is_a_duplicate(self):
        with pytest.raises(ValidationError, match="repeats the period"):
            table(RateQuote("RUR", 1997, 5784.83, "x"), RateQuote("RUB", 1997, 5.78483, "x"))

    @given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False), st.integers(1985, 2030))
    def test_rur_rub_exact_without_rates(self, value, year):
        empty = ExchangeRates(())
        convert = functools.partial(convert_currency, on=year, rates=empty, redenominate=True)  # any year
        assert convert(money(value, "RUR"), "RUB").magnitude == value / 1000
        assert convert(money(value, "RUB"), "RUR").magnitude == value * 1000
        assert convert(money(value, "RUR"), "RUR").magnitude == value

    @given(st.floats(min_value=1e-6, max_value=1e15, allow_nan=False))
    def test_either_rouble_code_gives_the_same_dollars(self, value):
        old = convert_currency(money(value * 1000, "RUR"), "USD", on=2000)  # both codes circulated in 1998-2002
        new = convert_currency(money(value, "RUB"), "USD", on=2000)
        assert old.magnitude == pytest.approx(new.magnitude, rel=1e-14)

    def test_shipped_rub_in_1997_uses_the_rur_quote(self):
        result = convert_currency(money(5784.83333333334, "RUB"), "USD", on=1997, redenominate=True)
        assert result.magnitude == pytest.approx(1000.0, rel=1e-14)


class TestConvert:
    def rates(self) -> ExchangeRates:
        return table(RateQuote("RUB", 2011, 29.38, "x"), RateQuote("EUR", 2011, 0.72, "x"))

    def test_triangulates_through_the_base(self):
        result = self.rates().convert(money(100, "EUR"), "RUB", on=2011)
        assert result.magnitude == pytest.approx(100 / 0.72 * 29.38, rel=1e-15)
        assert result.units == money(1, "RUB").units

    def test_same_currency_is_unchanged(self):
        amount = money(5, "EUR")
        assert self.rates().convert(amount, "EUR", on=1900 + 100) is amount

    def test_measure_value_bounds_and_resolution(self):
        measure = Measure(
            money(1000, "RUB"), Qualifier.APPROXIMATE, money(900, "RUB"), money(1100, "RUB"), ObsStatus.ESTIMATED, 100.0
        )
        result = self.rates().convert(measure, "USD", on=2011)
        assert result.qualifier is Qualifier.APPROXIMATE
        assert result.status is ObsStatus.ESTIMATED
        assert result.value is not None
        assert result.lower is not None
        assert result.upper is not None
        assert result.value.magnitude == pytest.approx(1000 / 29.38)
        assert (result.lower.magnitude, result.upper.magnitude) == pytest.approx((900 / 29.38, 1100 / 29.38))
        assert result.resolution == pytest.approx(100 / 29.38)
        assert str(result.units) == "USD"

    def test_measure_one_sided_and_rouble_codes(self):
        measure = Measure(money(4.5e9, "RUR"), Qualifier.AT_MOST)
        assert self.rates().convert(measure, "RUB", on=1997) == Measure(money(4.5e6, "RUB"), Qualifier.AT_MOST)

    def test_array_magnitudes(self):
        amounts = money(np.array([29.38, 58.76]), "RUB")  # type: ignore[arg-type]
        result = self.rates().convert(amounts, "USD", on=2011)
        np.testing.assert_allclose(result.magnitude, [1.0, 2.0], rtol=1e-15)

    def test_not_money(self):
        with pytest.raises(UnitMismatchError):
            self.rates().convert(quantity(5, "t"), "USD", on=2011)
        with pytest.raises(ValidationError):
            self.rates().convert(5.0, "USD", on=2011)  # type: ignore[type-var]
        with pytest.raises(ValidationError):
            self.rates().convert(money(5, "RUB"), "XYZ", on=2011)

    def test_non_finite_and_overflowing_amounts(self):
        with pytest.raises(ValidationError):
            self.rates().convert(money(float("nan"), "RUB"), "USD", on=2011)
        tiny = table(RateQuote("KRW", 2011, 1e-4, "x"))
        with pytest.raises(ValidationError, match="too large"):
            tiny.convert(money(1e305, "KRW"), "USD", on=2011)

    def test_currency_mismatch_stays_a_mismatch_without_rates(self):
        with pytest.raises(CurrencyMismatchError):
            to_unit(money(1, "USD"), "RUB")

    def test_missing_currency(self):
        with pytest.raises(RateNotFoundError, match="no CNY per USD rate for 2011"):
            self.rates().convert(money(1, "CNY"), "USD", on=2011)

    def test_rates_argument_must_be_a_table(self):
        with pytest.raises(ValidationError):
            convert_currency(money(1, "USD"), "RUB", on=2011, rates={"RUB": 29.0})  # type: ignore[arg-type]

    def test_other_base(self):
        rates = ExchangeRates(
            [RateQuote("USD", 2011, 1 / 0.72, "x"), RateQuote("RUR", 2011, 40_800.0, "x")], base="EUR"
        )
        assert rates.convert(money(1, "USD"), "EUR", on=2011).magnitude == pytest.approx(0.72)
        assert rates.convert(money(1, "EUR"), "RUB", on=2011).magnitude == pytest.approx(40.8)
        with pytest.raises(ValidationError):
            ExchangeRates([RateQuote("EUR", 2011, 1.0, "x")], base="EUR")

    @given(exchange_rates(min_currencies=1), st.data())
    def test_there_and_back_is_identity(self, rates, data):
        quote = data.draw(st.sampled_from(rates.quotes))
        target = data.draw(st.sampled_from(sorted(rates.currencies)))
        try:
            rates.rate(target, quote.period)
        except RateNotFoundError:
            assume(False)
        value = data.draw(st.floats(min_value=1e-3, max_value=1e12))
        # The arithmetic, at any date: TestCirculation holds the dates a currency may have.
        there = rates.convert(money(value, quote.currency), target, on=quote.period, redenominate=True)
        back = rates.convert(there, quote.currency, on=quote.period, redenominate=True)
        assert back.magnitude == pytest.approx(value, rel=1e-12)


class TestAnnualArray:
    def test_matches_the_scalar_rates(self):
        rates = ExchangeRates.default()
        years = np.arange(1992, 2024)
        expected = [rates.rate("RUR", int(year)) for year in years]
        assert rates.annual_rate_array("RUR", years).tolist() == expected

    def test_a_million_years(self):
        rates = ExchangeRates.default()
        years = np.random.default_rng(4).integers(1999, 2024, size=1_000_000)
        result = rates.annual_rate_array("EUR", years)
        lookup = {year: rates.rate("EUR", year) for year in range(1999, 2024)}
        assert result.shape == (1_000_000,)
        assert result[:1000].tolist() == [lookup[int(year)] for year in years[:1000]]

    def test_names_the_missing_years(self):
        with pytest.raises(RateNotFoundError) as info:
            ExchangeRates.default().annual_rate_array("RUB", np.array([2005, 1991, 2024, 1991, 1850]))
        assert info.value.when == "1850, 1991, 2024"

    def test_base_and_empty(self):
        assert ExchangeRates.default().annual_rate_array("USD", np.array([1, 2])).tolist() == [1.0, 1.0]
        assert ExchangeRates.default().annual_rate_array("RUB", np.array([], dtype=np.int64)).size == 0
        with pytest.raises(RateNotFoundError):
            ExchangeRates.default().annual_rate_array("KPW", np.array([2005]))

    def test_years_must_be_integers(self):
        with pytest.raises(ValidationError):
            ExchangeRates.default().annual_rate_array("RUB", np.array([2005.0]))

    def test_years_from_monthly_quotes_only(self):
        months = [RateQuote("CNY", Period.month(2010, m), float(m), "x") for m in range(1, 13)]
        rates = ExchangeRates(months)
        expected = sum(Period.month(2010, m).days * m for m in range(1, 13)) / 365
        assert rates.annual_rate_array("CNY", np.array([2010])).tolist() == [pytest.approx(expected, rel=1e-15)]
        assert rates.annual_rate_array("CNY", np.array([2010]))[0] == rates.rate("CNY", 2010)

    @given(exchange_rates(min_currencies=1), st.data())
    def test_agrees_with_rate_for_every_year(self, rates, data):
        code = data.draw(st.sampled_from(sorted(rates.currencies)))
        year = data.draw(st.integers(1984, 2031))
        try:
            expected = rates.rate(code, year)
        except RateNotFoundError:
            with pytest.raises(RateNotFoundError):
                rates.annual_rate_array(code, np.array([year]))
        else:
            assert rates.annual_rate_array(code, np.array([year])).tolist() == [expected]


HEADER = "currency,base,period,rate,source\n"


class TestCsv:
    @given(exchange_rates())
    def test_round_trip(self, rates):
        text = rates.to_csv()
        again = ExchangeRates.from_csv(text)
        assert again == rates
        assert again.to_csv() == text

    def test_sources_paths_and_files(self, tmp_path):
        rates = table(RateQuote("RUB", 2011, 29.38, "x"))
        path = tmp_path / "rates.csv"
        rates.to_csv(path)
        assert ExchangeRates.from_csv(path) == rates
        assert ExchangeRates.from_csv(str(path)) == rates
        with path.open(encoding="utf-8") as handle:
            assert ExchangeRates.from_csv(handle) == rates
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a BOM is fine
        assert ExchangeRates.from_csv(path) == rates

    @pytest.mark.parametrize(
        ("kind", "named"),
        [
            ("int", "got int"),
            ("None", "got NoneType"),
            ("one line", "'currency,period,rate,source'"),
            ("folder", "rates"),
            ("missing", "missing.csv"),
            ("nul", "'rates\\x00.csv'"),
        ],
    )
    def test_a_source_that_is_no_table(self, tmp_path, kind, named):
        # Each leaked a builtin error (AttributeError, FileNotFoundError, IsADirectoryError, ValueError).
        sources = {
            "int": 3,
            "None": None,
            "one line": "currency,period,rate,source",
            "folder": tmp_path / "rates",
            "missing": tmp_path / "missing.csv",
            "nul": "rates\x00.csv",
        }
        (tmp_path / "rates").mkdir()
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(sources[kind])
        assert info.value.paths == ("$",)
        assert named in str(info.value)

    def test_without_base_column(self):
        rates = ExchangeRates.from_csv("currency,period,rate,source\nUSD,2011,1.39,x\n", base="EUR")
        assert rates.base == "EUR"
        assert rates.rate("USD", 2011) == 1.39

    def test_bom_in_text(self):
        assert ExchangeRates.from_csv("\ufeff" + HEADER + "RUB,USD,2011,29.38,x\n").rate("RUB", 2011) == 29.38

    def test_blank_lines_and_crlf(self):
        text = HEADER.replace("\n", "\r\n") + "\r\nRUB,USD,2011,29.38,x\r\n\r\n"
        assert ExchangeRates.from_csv(text).rate("RUB", 2011) == 29.38

    @pytest.mark.parametrize(
        ("text", "path", "reason"),
        [
            ("currency,period,rate\nRUB,2011,2\n", "line 1", "missing column source"),
            ("currency,period\nRUB,2011\n", "line 1", "missing columns rate, source"),
            (HEADER + "RUB,USD,2011,abc,x\n", "line 2, column 'rate'", "is not a number: 'abc'"),
            (HEADER + "RUB,USD,2011,nan,x\n", "line 2, column 'rate'", "must be a finite number, not 'nan'"),
            (HEADER + "RUB,USD,2011,-inf,x\n", "line 2, column 'rate'", "must be a finite number"),
            (HEADER + "RUB,USD,2011,-2,x\n", "line 2, column 'rate'", "must be positive (got -2)"),
            (HEADER + "RUB,USD,2011,0,x\n", "line 2, column 'rate'", "must be positive (got 0)"),
            (HEADER + "RUB,USD,2011,0.0e5,x\n", "line 2, column 'rate'", "must be positive"),
            (HEADER + "RUB,USD,2011,1e999,x\n", "line 2, column 'rate'", "is too large"),
            (HEADER + "RUB,USD,2011,1_000,x\n", "line 2, column 'rate'", "is not a number"),
            (HEADER + "RUB,USD,2011,,x\n", "line 2, column 'rate'", "is empty"),
            (HEADER + "RUB,USD,2011-13,2,x\n", "line 2, column 'period'", "no such date"),
            (HEADER + "RUB,USD,11.2011,2,x\n", "line 2, column 'period'", "must be a year, month or day"),
            (HEADER + "RUX,USD,2011,2,x\n", "line 2, column 'currency'", "must be a currency nkru knows"),
            (
                HEADER + "RUB,USD,2011,2,x\nCNY,EUR,2011,2,x\n",
                "line 3, column 'base'",
                "is EUR, but the base is USD as on line 2",
            ),
            (HEADER + "RUB,,2011,2,x\n", "line 2, column 'base'", "must be a currency nkru knows"),
            (HEADER + "RUB,USD,2011,2\n", "line 2", "expected 5 fields"),
            (HEADER + "RUB,USD,2011,2,x\nRUB,USD,2011,3,y\n", "line 3, column 'period'", "repeats line 2"),
            (HEADER + "RUR,USD,2011,2,x\nRUB,USD,2011,3,y\n", "line 3, column 'period'", "RUB 2011 repeats line 2"),
            (HEADER + "USD,USD,2011,1,x\n", "line 2", "quotes USD against the base USD itself"),
            (HEADER + 'RUB,USD,2011,2,"x\n', "line 2", "not valid CSV"),
            ("currency,period,rate,source,note\nRUB,2011,2,x,y\n", "line 1, column 5", "unknown column 'note'"),
            ("currency,period,period,rate,source\n", "line 1, column 3", "column 'period' appears twice"),
            ("\n\n", "line 1", "the table is empty"),
        ],
    )
    def test_hostile_text(self, text, path, reason):
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(text)
        messages = [str(problem) for problem in info.value.problems]
        assert any(problem.path == path and reason in problem.reason for problem in info.value.problems), messages

    def test_huge_cells_give_short_messages(self):
        big = "9" * 100_000
        for row, column in (
            (f"RUB,USD,2011,{big},x", "rate"),
            (f"RUB,USD,{big},2,x", "period"),
            (f"RUB,USD,2011,2,{big}", "source"),
            (f"{big},USD,2011,2,x", "currency"),
        ):
            with pytest.raises(StructureError) as info:
                ExchangeRates.from_csv(HEADER + row + "\n")
            assert info.value.paths == (f"line 2, column {column!r}",)
            assert len(str(info.value)) < 400

    def test_cell_beyond_the_csv_field_limit(self):
        with pytest.raises(StructureError, match="not valid CSV"):
            ExchangeRates.from_csv(HEADER + "RUB,USD,2011,2," + "x" * 200_000 + "\n")

    def test_every_bad_cell_is_listed(self):
        text = HEADER + "RUB,USD,2011,abc,x\nEUR,USD,20x1,1,y\nCNY,USD,2011,-1,\n"
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(text)
        assert info.value.paths == (
            "line 2, column 'rate'",
            "line 3, column 'period'",
            "line 4, column 'rate'",
            "line 4, column 'source'",
        )

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "latin1.csv"
        path.write_bytes(HEADER.encode() + "RUB,USD,2011,2,Gro\xdf\n".encode("latin-1"))
        with pytest.raises(StructureError, match="not UTF-8"):
            ExchangeRates.from_csv(path)

    def test_binary_file_object(self):
        with pytest.raises(StructureError, match="bytes"):
            ExchangeRates.from_csv(io.BytesIO(b"currency\n"))  # type: ignore[arg-type]

    @given(exchange_rates(min_currencies=1), st.data())
    def test_hostile_cell_is_named_by_line_and_column(self, rates, data):
        rows = list(csv.reader(io.StringIO(rates.to_csv())))
        line = data.draw(st.integers(min_value=2, max_value=len(rows)))
        column = data.draw(st.sampled_from(["currency", "period", "rate", "source"]))
        junk = {
            "currency": st.sampled_from(["", "u$d", "XXX", "R" * 100_000, "RU B"]),  # "usd" is USD since trap 10
            "period": st.sampled_from(["", "2005-13", "2005-Q1", "20050", "2005-02-30", "0" * 100_000, "-2005"]),
            "rate": st.sampled_from(["", "nan", "NaN", "inf", "-1", "0", "0.0", "abc", "1e999", "1,5", "9" * 100_000]),
            "source": st.sampled_from(["", " padded", "tab\there", "x" * 100_000, "nul\x00"]),
        }[column]
        rows[line - 1][rows[0].index(column)] = data.draw(junk)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(buffer.getvalue())
        assert f"line {line}, column {column!r}" in info.value.paths

    @given(st.text(max_size=300))
    def test_arbitrary_text_never_escapes_as_another_error(self, text):
        with contextlib.suppress(StructureError):
            ExchangeRates.from_csv(HEADER + text + "\n")


class TestRowsAndFrames:
    def test_rows_with_paths(self):
        rows = [
            {"currency": "RUB", "period": 2011, "rate": 29.38, "source": "x"},
            {"currency": "RUB", "period": dt.date(2011, 8, 19), "rate": float("nan"), "source": "x"},
            {"currency": "EUR", "period": "2011-08", "rate": "0.70", "source": "x", "note": "?"},
            RateQuote("CNY", 2011, 6.46, "wdi"),
            "RUB,2011",
        ]
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_rows(rows)  # type: ignore[arg-type]
        assert info.value.paths == ("$[1].rate", "$[2]", "$[4]")

    def test_rows_build_a_table(self):
        rows = [{"currency": "RUB", "period": 2011, "rate": 29.38, "source": "x"}, RateQuote("CNY", 2011, 6.46, "w")]
        rates = ExchangeRates.from_rows(rows)
        assert rates.rate("CNY", 2011) == 6.46
        assert rates.rate("RUB", 2011) == 29.38

    def test_a_huge_rouble_rate_is_named_by_line_and_column(self):
        # It was a ValidationError('value') from the look-up index, naming no line.
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(HEADER + "EUR,USD,2011,0.7,x\nRUB,USD,2011,1.8e305,x\n")
        assert info.value.paths == ("line 3, column 'rate'",)
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_rows([{"currency": "RUB", "period": 2011, "rate": 1e306, "source": "x"}])
        assert info.value.paths == ("$[0].rate",)

    @pytest.mark.parametrize("rows", [5, None, "RUB,2011,29.38,x", {"currency": "RUB"}])
    def test_rows_that_are_no_rows(self, rows):
        # from_rows(5) raised a TypeError: 'int' object is not iterable.
        with pytest.raises(ValidationError) as info:
            ExchangeRates.from_rows(rows)
        assert info.value.field == "rows"

    @pytest.mark.parametrize("frame", [[1], None, {"currency": ["RUB"]}])
    def test_a_frame_that_is_no_frame(self, frame):
        # from_dataframe([1]) raised an AttributeError: 'list' object has no attribute 'to_dict'.
        with pytest.raises(ValidationError) as info:
            ExchangeRates.from_dataframe(frame)
        assert info.value.field == "frame"

    def test_missing_keys(self):
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_rows([{"currency": "RUB", "period": 2011}])
        assert str(info.value.problems[0]) == "$[0]: missing rate, source"

    def test_dataframe_round_trip(self):
        frame = ExchangeRates.default().to_dataframe()
        assert list(frame.columns) == ["currency", "base", "period", "rate", "source"]
        assert len(frame) == len(ExchangeRates.default().quotes)
        assert ExchangeRates.from_dataframe(frame) == ExchangeRates.default()

    def test_dataframe_with_numpy_and_timestamps(self):
        frame = pd.DataFrame(
            {
                "currency": ["EUR", "EUR"],
                "period": [pd.Timestamp("2011-08-19"), pd.Timestamp("2011-08-22")],
                "rate": np.array([0.70, np.nan]),
                "source": ["ecb", "ecb"],
            }
        )
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_dataframe(frame)
        assert info.value.paths == ("$[1].rate",)
        rates = ExchangeRates.from_dataframe(frame.iloc[:1])
        assert rates.rate("EUR", dt.date(2011, 8, 19), RatePolicy.EXACT_DATE) == 0.70


class TestTable:
    def test_merged_replaces_same_periods(self):
        mine = table(RateQuote("RUB", 2024, 92.5, "mine"), RateQuote("RUR", 1997, 5800.0, "mine"))
        merged = ExchangeRates.default().merged(mine)
        assert merged.rate("RUB", 2024) == 92.5
        assert merged.rate("RUR", 1997) == 5800.0
        assert merged.rate("RUB", 2005) == ExchangeRates.default().rate("RUB", 2005)
        assert len(merged.quotes) == len(ExchangeRates.default().quotes) + 1
        with pytest.raises(ValidationError):
            ExchangeRates.default().merged(ExchangeRates((), base="EUR"))

    def test_repr_equality_hash_pickle(self):
        rates = table(RateQuote("RUB", 2011, 29.38, "x"))
        assert repr(rates) == "<ExchangeRates per USD: 1 quotes of RUB>"
        assert rates == table(RateQuote("RUB", 2011, 29.38, "x"))
        assert hash(rates) == hash(table(RateQuote("RUB", 2011, 29.38, "x")))
        assert pickle.loads(pickle.dumps(rates)).rate("RUB", 2011) == 29.38

    def test_quotes_must_be_quotes(self):
        with pytest.raises(ValidationError):
            ExchangeRates(["RUB 2011 29.38"])  # type: ignore[list-item]
        with pytest.raises(ValidationError):
            ExchangeRates("RUB")  # type: ignore[arg-type]

    def test_currencies(self):
        assert table(RateQuote("RUR", 1997, 1.0, "x")).currencies == frozenset({"USD", "RUB", "RUR"})

    @given(rate_quotes())
    def test_any_single_quote_converts_both_ways(self, quote):
        rates = table(quote)
        there = rates.convert(money(1.0, "USD"), quote.currency, on=quote.period)
        assert there.magnitude == quote.rate
        # The arithmetic at any date (a strategy's RUB of 1985, say): TestCirculation holds the dates.
        back = rates.convert(there, "USD", on=quote.period, redenominate=True)
        assert math.isclose(back.magnitude, 1.0, rel_tol=1e-12)


# -- the public readers of the publications (issue 14, item 14) ------------------------------------

CBR_SAMPLE = Path(__file__).resolve().parent / "data" / "cbr_xml_dynamic_usd.xml"
WDI_HEAD = (
    '"Data Source","World Development Indicators",\n\n"Last Updated Date","2026-07-01",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2023","2024",\n'
)


def problems_of(call: object) -> list[str]:
    assert callable(call)
    with pytest.raises(StructureError) as caught:
        call()
    return [str(problem) for problem in caught.value.problems]


@needs_shared
class TestFromWdiRawFile:
    def rates(self, **kwargs: object) -> ExchangeRates:
        return ExchangeRates.from_wdi(WDI_FILE, **kwargs)

    def test_rouble_years_as_published_tagged_with_the_vintage(self):
        rates = self.rates(countries=["RUS"])
        assert {"wdi-2025-07-01"} == {q.source for q in rates.quotes}
        assert rates.coverage("RUB") == "annual 1993, 1996–2023"
        assert rates.rate("RUB", 2011) == 29.3823413709302
        assert (rates.quotes[-1].currency, rates.quotes[-1].rate) == ("RUR", 5784.83333333334)

    def test_the_shipped_wdi_quotes_are_exactly_what_the_reader_gives(self):
        shipped = {q for q in ExchangeRates.default().quotes if q.source == "wdi-2025-07-01"}
        assert shipped == set(self.rates().quotes)

    def test_merges_into_the_defaults(self):
        euro = self.rates(countries=["EMU"])
        merged = ExchangeRates.default().merged(euro)
        assert euro.rate("EUR", 2024) == merged.rate("EUR", 2024)
        assert next(q.source for q in merged.quotes if q.currency == "EUR") == "wdi-2025-07-01"
        assert ExchangeRates.default().rate("RUB", 2011) == merged.rate("RUB", 2011)


class TestFromWdi:
    def test_a_newer_download_adds_2024(self):
        text = WDI_HEAD + '"Russian Federation","RUS","x","PA.NUS.FCRF","85.16","92.8",\n'
        rates = ExchangeRates.default().merged(ExchangeRates.from_wdi(text, countries=["RUS"]))
        assert convert_currency(money(1, "USD"), "RUB", on=2024, rates=rates).magnitude == 92.8
        assert (
            next(q.source for q in rates.quotes if (q.currency, q.period) == ("RUB", Period.year(2024)))
            == "wdi-2026-07-01"
        )

    def test_bad_cells_are_reported_by_line_and_column(self):
        text = WDI_HEAD + '"Russian Federation","RUS","x","PA.NUS.FCRF","-3","nan",\n'
        assert problems_of(lambda: ExchangeRates.from_wdi(text, countries=["RUS"])) == [
            "line 6, column '2023': must be positive (got -3)",
            "line 6, column '2024': must be a finite number, not 'nan'",
        ]

    def test_a_missing_country_row_and_header_are_errors(self):
        assert problems_of(lambda: ExchangeRates.from_wdi(WDI_HEAD, countries=["CHN"])) == [
            "$: no row for the country CHN"
        ]
        assert problems_of(lambda: ExchangeRates.from_wdi("a,b\n1,2\n"))[0].startswith("$: no header row")

    def test_a_country_twice_is_an_error(self):
        row = '"Russian Federation","RUS","x","PA.NUS.FCRF","85.16","",\n'
        assert problems_of(lambda: ExchangeRates.from_wdi(WDI_HEAD + row + row, countries=["RUS"])) == [
            "line 7: a second row for the country RUS"
        ]

    def test_unknown_country_and_source_id(self):
        with pytest.raises(ValidationError, match="countries"):
            ExchangeRates.from_wdi(WDI_HEAD, countries=["USA"])
        text = WDI_HEAD + '"Korea","KOR","x","PA.NUS.FCRF","1305.4","",\n'
        assert tuple(q.source for q in ExchangeRates.from_wdi(text, countries=["KOR"], source_id="mine").quotes) == (
            "mine",
        )


@needs_shared
class TestFromFredRawFile:
    def test_every_month_new_roubles_restated_before_1998(self):
        rates = ExchangeRates.from_fred(RAW / "fred_CCUSMA02RUM618N.csv")
        assert len(rates.quotes) == 376
        assert {"fred-ccusma02rum618n"} == {q.source for q in rates.quotes}
        assert rates.rate("RUR", Period.month(1992, 6)) == 138.0
        assert rates.rate("RUB", Period.month(2023, 9)) == 96.6494

    def test_the_shipped_monthly_quotes_are_the_reader_s_from_1996(self):
        read = set(ExchangeRates.from_fred(RAW / "fred_CCUSMA02RUM618N.csv").quotes)
        shipped = {q for q in ExchangeRates.default().quotes if q.source == "fred-ccusma02rum618n"}
        assert shipped == {q for q in read if q.period.start >= dt.date(1996, 1, 1)}


class TestFromFred:
    def test_missing_values_are_skipped_and_the_new_header_read(self):
        rates = ExchangeRates.from_fred("observation_date,CCUSMA02RUM618N\n2023-10-01,.\n2023-11-01,90.5\n")
        assert [(q.currency, str(q.period), q.rate) for q in rates.quotes] == [("RUB", "2023-11", 90.5)]
        merged = ExchangeRates.default().merged(rates)
        assert merged.rate("RUB", Period.month(2023, 11)) == 90.5

    def test_bad_rows_by_line_and_column(self):
        text = "DATE,CCUSMA02RUM618N\n2023-10-15,1\n2023-13-01,1\n2023-11-01,x\n2023-12-01\n"
        assert problems_of(lambda: ExchangeRates.from_fred(text)) == [
            "line 2, column 'DATE': must be the first day of a month",
            "line 3, column 'DATE': must be a date as YYYY-MM-DD in 1000-2999 (got '2023-13-01')",
            "line 4, column 'CCUSMA02RUM618N': is not a number: 'x'",
            "line 5: expected 2 fields (DATE, CCUSMA02RUM618N), found 1",
        ]

    def test_another_series_is_refused(self):
        assert problems_of(lambda: ExchangeRates.from_fred("DATE,DEXUSEU\n2023-01-01,1\n"))[0].startswith(
            "line 1: expected the header DATE,<series>"
        )


@needs_shared
class TestFromEcbRawFile:
    def test_as_published_per_euro(self):
        rates = ExchangeRates.from_ecb(RAW / "eurofxref-hist.csv", currencies=["USD", "RUB"])
        assert rates.base == "EUR"
        assert rates.rate("USD", dt.date(2026, 10, 30)) == 1.1172
        assert sum(1 for q in rates.quotes if q.currency == "RUB") == 4333
        assert {"ecb-eurofxref"} == {q.source for q in rates.quotes}

    def test_restated_per_dollar_and_merged(self):
        rates = ExchangeRates.from_ecb(RAW / "eurofxref-hist.csv", base="USD", currencies=["RUB"])
        daily = [q.rate for q in rates.quotes if q.period.start.year == 2011]
        assert round(math.fsum(daily) / len(daily), 2) == 29.41
        merged = ExchangeRates.default().merged(rates)
        assert rates.rate("RUB", dt.date(2022, 3, 1)) == merged.rate("RUB", dt.date(2022, 3, 1))
        assert ExchangeRates.default().rate("RUB", 2011) == merged.rate("RUB", 2011)  # the annual average still wins


class TestFromEcb:
    def test_bad_cells_and_dates(self):
        text = "Date,USD,RUB,\n2011-01-03,1.3,x,\n2011-01-03,1.3,40,\nyesterday,1,1,\n0001-01-01,1,1,\n"
        assert problems_of(lambda: ExchangeRates.from_ecb(text)) == [
            "line 2, column 'RUB': is not a number: 'x'",
            "line 3, column 'Date': repeats line 2",
            "line 4, column 'Date': must be a date as YYYY-MM-DD in 1000-2999 (got 'yesterday')",
            "line 5, column 'Date': must be a date as YYYY-MM-DD in 1000-2999 (got '0001-01-01')",
        ]

    def test_a_currency_without_a_column(self):
        assert problems_of(lambda: ExchangeRates.from_ecb("Date,USD\n", currencies=["KRW"])) == [
            "line 1: no column KRW"
        ]


class TestFromCbr:
    def test_the_sample_response(self):
        rates = ExchangeRates.from_cbr(CBR_SAMPLE)
        assert rates.base == "USD"
        assert [(str(q.period), q.rate) for q in rates.quotes] == [
            ("2001-03-02", 28.62),
            ("2001-03-03", 28.65),
            ("2001-03-06", 28.66),
            ("2001-03-07", 28.63),
        ]
        assert {("RUB", "cbr-xml-dynamic")} == {(q.currency, q.source) for q in rates.quotes}
        assert ExchangeRates.default().merged(rates).rate("RUB", dt.date(2001, 3, 6)) == 28.66

    def test_nominal_divides_and_old_roubles_before_1998(self):
        xml = (
            '<?xml version="1.0" encoding="windows-1251"?>\n<ValCurs ID="R01820">\n'
            '<Record Date="05.01.1998"><Nominal>100</Nominal><Value>4,5030</Value></Record>\n'
            '<Record Date="31.12.1997"><Nominal>100</Nominal><Value>4569,0000</Value></Record>\n</ValCurs>\n'
        ).encode("cp1251")
        rates = ExchangeRates.from_cbr(io.BytesIO(xml))
        assert (rates.base, [(q.currency, q.rate) for q in rates.quotes]) == ("JPY", [("RUB", 0.04503), ("RUR", 45.69)])

    def test_an_unknown_bank_code_needs_the_currency(self):
        xml = (
            '<ValCurs ID="R09999">\n<Record Date="05.01.2024"><Nominal>1</Nominal><Value>1,5</Value></Record></ValCurs>'
        )
        assert problems_of(lambda: ExchangeRates.from_cbr(xml)) == [
            "line 1: the currency 'R09999' is not one nkru knows; pass currency= its ISO code"
        ]
        assert ExchangeRates.from_cbr(xml, currency="KPW").base == "KPW"

    def test_hostile_responses_give_located_errors(self):
        def record(nominal: str, value: str, day: str = "01.01.2024") -> bytes:
            return (
                f'<ValCurs ID="R01235"><Record Date="{day}"><Nominal>{nominal}</Nominal>{value}</Record></ValCurs>'
            ).encode()

        cases = {
            b'<?xml version="1.0" encoding="bogus"?><ValCurs/>': "line 1: not valid XML: 'unknown encoding: bogus'",
            record("1e300", "<Value>1e-300</Value>"): "line 1: the rate 0.0 must be positive",
            record("1", "<Value>1e306</Value>"): "line 1: the rate 1e+306 is too large to restate in RUR",
            record("1", "<Value>1</Value><Value>2</Value>"): "line 1, column 84: Value appears twice in one Record",
        }
        for xml, problem in cases.items():
            assert problems_of(lambda xml=xml: ExchangeRates.from_cbr(io.BytesIO(xml))) == [problem]

    def test_entity_declarations_are_refused_before_expansion(self):
        bomb = (
            '<?xml version="1.0"?>\n<!DOCTYPE v [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;">\n]>\n'
            '<ValCurs ID="R01235"><Record Date="05.01.2024"><Nominal>1</Nominal><Value>&b;</Value></Record></ValCurs>\n'
        )
        assert problems_of(lambda: ExchangeRates.from_cbr(bomb)) == [
            "line 2, column 13: declares a DOCTYPE or an entity; the Bank's responses never do"
        ]

    def test_bad_records_and_bad_xml_by_line(self):
        xml = (
            '<ValCurs ID="R01235">\n<Record Date="32.01.2024"><Nominal>1</Nominal><Value>1,5</Value></Record>\n'
            '<Record Date="05.01.2024"><Value>-1,5</Value></Record>\n'
            '<Record Date="01.01.0999"><Nominal>1</Nominal><Value>1,5</Value></Record>\n</ValCurs>\n'
        )
        assert problems_of(lambda: ExchangeRates.from_cbr(xml)) == [
            "line 2: Date must be a day as DD.MM.YYYY in 1000-2999 (got '32.01.2024')",
            "line 3: no Nominal",
            "line 3: Value must be positive (got -1.5)",
            "line 4: Date must be a day as DD.MM.YYYY in 1000-2999 (got '01.01.0999')",
        ]
        assert problems_of(lambda: ExchangeRates.from_cbr("<ValCurs>\n</Record>\n")) == [
            "line 2, column 3: not valid XML: mismatched tag"
        ]


class TestCirculation:
    """Issue 14, trap 7: money dated when its currency did not circulate is an error, never a 1000-fold answer."""

    @pytest.mark.parametrize(
        "on", [1997, "1997", "1997-06-30", dt.date(1997, 6, 30), Period.year(1997), Period.years(1997, 1998)]
    )
    def test_rub_before_1998_names_rur(self, on: object) -> None:
        with pytest.raises(CurrencyNotInCirculationError) as info:
            convert_currency(money(3.5e9, "RUB"), "USD", on=on)  # type: ignore[arg-type]
        assert (info.value.currency, info.value.instead) == ("RUB", "RUR")
        assert "RUR" in str(info.value)
        assert "redenominate=True" in str(info.value)
        assert isinstance(info.value, NkruError)
        assert isinstance(info.value, ValueError)

    def test_the_trap_reads_right_as_old_roubles_and_on_request_as_new(self) -> None:
        old = convert_currency(money(3.5e9, "RUR"), "USD", on=1997).magnitude
        new = convert_currency(money(3.5e9, "RUB"), "USD", on=1997, redenominate=True).magnitude
        assert old == pytest.approx(3.5e9 / (1000 * float(WDI_RUB_1997)), rel=1e-12)
        assert new == pytest.approx(1000 * old, rel=1e-12)
        assert round(old) == 605_030

    @pytest.mark.parametrize("year", [1998, 2000, 2002])
    def test_rur_keeps_converting_while_old_notes_were_exchanged(self, year: int) -> None:
        old = convert_currency(money(1000.0, "RUR"), "USD", on=year).magnitude
        new = convert_currency(money(1.0, "RUB"), "USD", on=year).magnitude
        assert old == pytest.approx(new, rel=1e-14)

    @pytest.mark.parametrize("year", [2003, 2011])
    def test_rur_after_2002_names_rub(self, year: int) -> None:
        with pytest.raises(CurrencyNotInCirculationError, match=r"money of that date is RUB") as info:
            convert_currency(money(1000.0, "RUR"), "USD", on=year)
        assert info.value.instead == "RUB"

    @pytest.mark.parametrize(("year", "instead"), [(1960, ""), (1992, "RUR"), (2005, "RUB")])
    def test_sur_outside_1961_to_1991(self, year: int, instead: str) -> None:
        with pytest.raises(CurrencyNotInCirculationError) as info:
            convert_currency(money(1.0, "SUR"), "USD", on=year)
        assert info.value.instead == instead
        assert convert_currency(money(0.629, "SUR"), "USD", on=1988).magnitude == pytest.approx(1.0)

    def test_measures_and_the_rouble_shortcut_are_checked_too(self) -> None:
        with pytest.raises(CurrencyNotInCirculationError):
            convert_currency(Measure(money(5.0, "RUB"), resolution=1.0), "USD", on=1995)
        with pytest.raises(CurrencyNotInCirculationError):
            convert_currency(money(5.0, "RUB"), "RUR", on=1995)  # no rate involved, the same rule
        with pytest.raises(CurrencyNotInCirculationError):
            convert_currency(money(5.0, "RUB"), "RUB", on=1995)

    def test_the_target_is_the_callers_choice(self) -> None:
        assert convert_currency(money(4.5e9, "RUR"), "RUB", on=1997).magnitude == 4.5e6
        assert convert_currency(money(1.0, "USD"), "RUB", on=1997).magnitude == pytest.approx(float(WDI_RUB_1997))

    def test_redenominate_must_be_a_bool(self) -> None:
        with pytest.raises(ValidationError):
            convert_currency(money(1.0, "RUB"), "USD", on=2005, redenominate="yes")  # type: ignore[arg-type]

    @given(st.sampled_from(["SUR", "RUR", "RUB", "USD"]), st.integers(1950, 2030))
    def test_every_conversion_path_applies_the_same_rule(self, code: str, year: int) -> None:
        """ExchangeRates.convert, nkru.total and TradeTable.convert_currency agree on what raises."""
        windows = {"SUR": (1961, 1991), "RUR": (1992, 2002), "RUB": (1998, 9999), "USD": (0, 9999)}
        expected = not windows[code][0] <= year <= windows[code][1]
        rates = ExchangeRates([RateQuote(c, year, 2.0, "x") for c in ("SUR", "RUR")])  # every code has a rate

        def raises(convert: Callable[[], object]) -> bool:
            try:
                convert()
            except CurrencyNotInCirculationError:
                return True
            return False

        flow = TradeFlow(
            id="f",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(year),
            amount=Measure(money(10.0, code)),
        )
        target = "USD" if code != "USD" else "SUR"
        paths = [
            lambda: rates.convert(money(10.0, code), target, on=year),
            lambda: nkru.total([flow], to=target, rates=rates),
            lambda: TradeTable.from_records([flow]).convert_currency(target, rates=rates),
        ]
        assert [raises(path) for path in paths] == [expected] * 3
        redenominated = [
            lambda: rates.convert(money(10.0, code), target, on=year, redenominate=True),
            lambda: nkru.total([flow], to=target, rates=rates, redenominate=True),
            lambda: TradeTable.from_records([flow]).convert_currency(target, rates=rates, redenominate=True),
        ]
        assert [raises(path) for path in redenominated] == [False] * 3

    def test_a_table_names_the_years(self) -> None:
        frame = pd.DataFrame(
            {
                "reporter": ["RUS"] * 3,
                "partner": ["PRK"] * 3,
                "flow": ["X"] * 3,
                "year": [1996, 1997, 2005],
                "value": [1.0, 2.0, 3.0],
                "currency": ["RUB"] * 3,
            }
        )
        with pytest.raises(CurrencyNotInCirculationError, match=r"RUB did not circulate in 1996, 1997 "):
            TradeTable.from_frame(frame).convert_currency("USD")


class TestOneSetOfHabits:
    """Issue 14, trap 10: a date may be a year, a date, a Period or its ISO text; currency codes in any case."""

    @pytest.mark.parametrize(
        ("on", "same"),
        [
            ("2005", 2005),
            (" 2005 ", 2005),
            ("2005-03", Period.month(2005, 3)),
            ("2011-08-19", dt.date(2011, 8, 19)),
            ("2005-Q1", Period.quarter(2005, 1)),
            ("2005-01-01/P9M", Period.months(2005, 1, 9)),
        ],
    )
    def test_iso_text_is_the_period_it_names(self, on: str, same: object) -> None:
        rates = ExchangeRates.default()
        assert rates.rate("RUB", on) == rates.rate("RUB", same)  # type: ignore[arg-type]
        assert convert_currency(money(1, "USD"), "RUB", on=on) == convert_currency(money(1, "USD"), "RUB", on=same)  # type: ignore[arg-type]

    def test_currency_codes_in_any_case(self) -> None:
        rates = ExchangeRates.default()
        assert rates.rate("rub", 2005) == rates.rate("RUB", 2005)
        assert convert_currency(money(1, "usd"), "Rub", on=2005) == convert_currency(money(1, "USD"), "RUB", on=2005)
        assert rates.coverage("sur") == rates.coverage("SUR")
        assert rates.annual_rate_array("eur", np.array([2005])).tolist() == [rates.rate("EUR", 2005)]
        assert convert_currency(money(1, "USD"), "rub", on=2005).units == money(1, "RUB").units

    def test_a_rate_table_may_write_codes_in_lower_case(self) -> None:
        rates = ExchangeRates.from_csv(HEADER + "rub,usd,2011,29.38,x\n")
        assert (rates.quotes[0].currency, rates.base) == ("RUB", "USD")

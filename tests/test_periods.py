"""Tests for nkru.periods.Period: constructors, SDMX forms, coverage, text round trip, validation."""

from __future__ import annotations

import calendar
import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru.errors import NkruError, ParseError, ValidationError
from nkru.fx import RateQuote
from nkru.parsing import parse_period
from nkru.periods import MAX_YEAR, MIN_YEAR, Period, Precision, month_end
from nkru.prices import IndexPoint
from nkru.strategies import periods


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class TestConstructors:
    def test_day(self) -> None:
        assert Period.day(_d("2011-08-19")) == Period(_d("2011-08-19"), _d("2011-08-19"), Precision.DAY)

    @pytest.mark.parametrize(
        ("year", "month", "last"),
        [(1997, 12, "1997-12-31"), (2012, 2, "2012-02-29"), (2011, 2, "2011-02-28"), (2000, 2, "2000-02-29")],
    )
    def test_month(self, year: int, month: int, last: str) -> None:
        period = Period.month(year, month)
        assert (period.start, period.end, period.precision) == (dt.date(year, month, 1), _d(last), Precision.MONTH)

    def test_months(self) -> None:
        assert Period.months(2005, 1, 9) == Period(_d("2005-01-01"), _d("2005-09-30"), Precision.MONTHS)

    @pytest.mark.parametrize(
        ("quarter", "start", "end"),
        [
            (1, "2006-01-01", "2006-03-31"),
            (2, "2006-04-01", "2006-06-30"),
            (3, "2006-07-01", "2006-09-30"),
            (4, "2006-10-01", "2006-12-31"),
        ],
    )
    def test_quarter(self, quarter: int, start: str, end: str) -> None:
        assert Period.quarter(2006, quarter) == Period(_d(start), _d(end), Precision.QUARTER)

    @pytest.mark.parametrize("quarter", [0, 5, -1])
    def test_quarter_out_of_range(self, quarter: int) -> None:
        with pytest.raises(ValidationError, match="quarter"):
            Period.quarter(2006, quarter)

    def test_year_and_years(self) -> None:
        assert Period.year(1988) == Period(_d("1988-01-01"), _d("1988-12-31"), Precision.YEAR)
        assert Period.years(1965, 1968) == Period(_d("1965-01-01"), _d("1968-12-31"), Precision.YEARS)

    def test_approximate_defaults_to_false(self) -> None:
        assert Period.year(1988).approximate is False

    def test_frozen_hashable_and_picklable(self) -> None:
        period = Period(_d("1987-01-01"), _d("1989-12-31"), Precision.PART_OF_DECADE, approximate=True)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            period.start = _d("1980-01-01")  # type: ignore[misc]
        assert {period: 1}[Period(_d("1987-01-01"), _d("1989-12-31"), Precision.PART_OF_DECADE, True)] == 1
        assert pickle.loads(pickle.dumps(period)) == period


class TestValidation:
    def test_end_before_start(self) -> None:
        with pytest.raises(ValidationError, match="must not be before start") as info:
            Period(_d("2006-03-31"), _d("2006-01-01"), Precision.MONTHS)
        assert info.value.field == "end"

    @pytest.mark.parametrize(
        "value",
        [dt.datetime(2005, 1, 1, tzinfo=dt.UTC), "2005-01-01", 2005, None, dt.date(999, 12, 31), dt.date(3000, 1, 1)],
    )
    def test_start_must_be_a_date_in_range(self, value: object) -> None:
        with pytest.raises(ValidationError) as info:
            Period(value, _d("2005-12-31"), Precision.YEAR)  # type: ignore[arg-type]
        assert info.value.field == "start"

    def test_end_must_be_a_date(self) -> None:
        with pytest.raises(ValidationError) as info:
            Period(_d("2005-01-01"), "2005-12-31", Precision.YEAR)  # type: ignore[arg-type]
        assert info.value.field == "end"

    def test_precision_must_be_a_precision(self) -> None:
        with pytest.raises(ValidationError) as info:
            Period(_d("2005-01-01"), _d("2005-12-31"), "year")  # type: ignore[arg-type]
        assert info.value.field == "precision"

    def test_approximate_must_be_bool(self) -> None:
        with pytest.raises(ValidationError) as info:
            Period(_d("2005-01-01"), _d("2005-12-31"), Precision.YEAR, 1)  # type: ignore[arg-type]
        assert info.value.field == "approximate"

    def test_a_single_day_is_allowed(self) -> None:
        assert Period(_d("2005-01-01"), _d("2005-01-01"), Precision.DAY).days == 1

    def test_constructor_with_bad_month_raises_an_nkru_error(self) -> None:
        with pytest.raises(NkruError):
            Period.month(2005, 13)


class TestSdmx:
    @pytest.mark.parametrize(
        ("text", "start", "end", "precision"),
        [
            ("2005", "2005-01-01", "2005-12-31", Precision.YEAR),
            ("2005-A1", "2005-01-01", "2005-12-31", Precision.YEAR),
            ("2005-03", "2005-03-01", "2005-03-31", Precision.MONTH),
            ("2005-03-01", "2005-03-01", "2005-03-01", Precision.DAY),
            ("2005-Q1", "2005-01-01", "2005-03-31", Precision.QUARTER),
            ("2005-Q4", "2005-10-01", "2005-12-31", Precision.QUARTER),
            ("2005-S1", "2005-01-01", "2005-06-30", Precision.HALF_YEAR),
            ("1997-S2", "1997-07-01", "1997-12-31", Precision.HALF_YEAR),
            ("2005-01-01/P9M", "2005-01-01", "2005-09-30", Precision.MONTHS),
            ("2005-01-01/P1Y", "2005-01-01", "2005-12-31", Precision.YEAR),
            ("2005-01-01/P2Y", "2005-01-01", "2006-12-31", Precision.YEARS),
            ("2005-03-01/P1Y", "2005-03-01", "2006-02-28", Precision.MONTHS),
            ("2005-01-01/P10D", "2005-01-01", "2005-01-10", Precision.DAYS),
            ("2012-02-01/P1M", "2012-02-01", "2012-02-29", Precision.MONTHS),
            ("2005-01-01/2005-09-30", "2005-01-01", "2005-09-30", Precision.DAYS),
            ("2005-01/2005-09", "2005-01-01", "2005-09-30", Precision.MONTHS),
            ("1965/1968", "1965-01-01", "1968-12-31", Precision.YEARS),
            (" 1965 / 1968 ", "1965-01-01", "1968-12-31", Precision.YEARS),
        ],
    )
    def test_forms(self, text: str, start: str, end: str, precision: Precision) -> None:
        assert Period(_d(start), _d(end), precision) == Period.from_sdmx(text)

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("2005-13", "no such date"),
            ("2005-02-30", "no such date"),
            ("2005-01-15/P1M", "first of a month"),
            ("2005-01-01/P0M", "at least one day"),
            ("2005-01-01/P1Y2M3D", "days"),
            ("2005-01-01/yesterday", "end date or an ISO 8601 duration"),
            ("2900-01-01/P99999D", "outside the supported years"),
            ("x" * 201, "at most 200"),
        ],
    )
    def test_errors(self, text: str, reason: str) -> None:
        with pytest.raises(ParseError, match=reason):
            Period.from_sdmx(text)

    @pytest.mark.parametrize("text", ["2999-12-01/P2M", "2005-01-01/P999Y", "2005/2001"])
    def test_invalid_spans_are_parse_errors(self, text: str) -> None:
        with pytest.raises(ParseError):
            Period.from_sdmx(text)

    @pytest.mark.parametrize("text", ["first nine months of 2005", "the late 1980s", "in 2005", "2005 Q1"])
    def test_phrases_are_parse_periods_not_the_models(self, text: str) -> None:
        with pytest.raises(ParseError, match=r"not an SDMX TIME_PERIOD .* nkru\.parse_period reads phrases"):
            Period.from_sdmx(text)
        assert isinstance(parse_period(text), Period)

    @pytest.mark.parametrize("value", [None, 2005, b"2005"])
    def test_non_text(self, value: object) -> None:
        with pytest.raises(ParseError):
            Period.from_sdmx(value)  # type: ignore[arg-type]


class TestQuestions:
    def test_days(self) -> None:
        assert Period.year(2004).days == 366
        assert Period.year(2005).days == 365
        assert Period.months(2005, 1, 9).days == 273

    def test_calendar_years(self) -> None:
        winter = Period(_d("1997-12-01"), _d("1998-02-28"), Precision.SEASON)
        assert list(winter.calendar_years) == [1997, 1998]

    def test_is_whole_years(self) -> None:
        assert Period.years(2000, 2005).is_whole_years
        assert not Period.months(2005, 1, 9).is_whole_years

    @pytest.mark.parametrize(
        ("period", "year", "expected"),
        [
            (Period.months(2005, 1, 9), 2005, 273 / 365),
            (Period.quarter(2006, 1), 2006, 90 / 365),
            (Period.quarter(2004, 1), 2004, 91 / 366),
            (Period.year(2005), 2005, 1.0),
            (Period.year(2005), 2006, 0.0),
            (Period(_d("1997-12-01"), _d("1998-02-28"), Precision.SEASON), 1997, 31 / 365),
            (Period(_d("1997-12-01"), _d("1998-02-28"), Precision.SEASON), 1998, 59 / 365),
            (Period.day(_d("2011-08-19")), 2011, 1 / 365),
        ],
    )
    def test_coverage(self, period: Period, year: int, expected: float) -> None:
        assert expected == period.coverage(year)

    @pytest.mark.parametrize("year", range(1999, 2007))
    def test_coverage_of_a_span_of_years(self, year: int) -> None:
        assert Period.years(2000, 2005).coverage(year) == (1.0 if 2000 <= year <= 2005 else 0.0)

    @given(periods())
    def test_coverage_adds_up_to_the_days(self, period: Period) -> None:
        total = sum(period.coverage(year) * (366 if calendar.isleap(year) else 365) for year in period.calendar_years)
        assert round(total) == period.days
        assert all(0.0 < period.coverage(year) <= 1.0 for year in period.calendar_years)
        assert period.coverage(period.start.year - 1) == 0.0

    def test_contains(self) -> None:
        period = Period.months(2005, 1, 9)
        assert period.contains(_d("2005-01-01"))
        assert period.contains(_d("2005-09-30"))
        assert not period.contains(_d("2005-10-01"))
        assert not period.contains(_d("2004-12-31"))

    def test_overlaps(self) -> None:
        assert Period.year(2005).overlaps(Period.quarter(2005, 4))
        assert Period.quarter(2005, 4).overlaps(Period.year(2005))
        assert not Period.year(2005).overlaps(Period.year(2006))
        assert Period.day(_d("2005-12-31")).overlaps(Period(_d("2005-12-31"), _d("2006-01-05"), Precision.DAYS))


class TestText:
    @pytest.mark.parametrize(
        ("period", "text"),
        [
            (Period.year(2005), "2005"),
            (Period.years(2000, 2005), "2000/2005"),
            (Period.month(1997, 12), "1997-12"),
            (Period.quarter(2006, 1), "2006-Q1"),
            (Period(_d("2005-07-01"), _d("2005-12-31"), Precision.HALF_YEAR), "2005-S2"),
            (Period.months(2005, 1, 9), "2005-01/2005-09"),
            (Period(_d("2005-11-01"), _d("2006-02-28"), Precision.MONTHS), "2005-11/2006-02"),
            (Period.day(_d("2011-08-19")), "2011-08-19"),
            (Period(_d("2011-09-01"), _d("2011-09-10"), Precision.DAYS, True), "2011-09-01/2011-09-10"),
        ],
    )
    def test_str(self, period: Period, text: str) -> None:
        assert text == str(period)

    @given(periods())
    def test_str_round_trip_keeps_the_days(self, period: Period) -> None:
        again = Period.from_sdmx(str(period))
        assert (period.start, period.end) == (again.start, again.end)

    @given(st.sampled_from(["day", "month", "quarter", "year"]), st.integers(1000, 2999), st.integers(1, 12))
    def test_str_round_trip_keeps_calendar_precisions(self, kind: str, year: int, month: int) -> None:
        period = {
            "day": Period.day(dt.date(year, month, 1)),
            "month": Period.month(year, month),
            "quarter": Period.quarter(year, (month - 1) // 3 + 1),
            "year": Period.year(year),
        }[kind]
        assert period == Period.from_sdmx(str(period))


class TestBothEntryPointsAgree:
    """Period.from_sdmx and parse_period give the same error type for the same text."""

    @pytest.mark.parametrize("text", ["2005/2004", "2999-12/P2M", "in 2005/2004", "２００５", "٢٠٠٥"])
    def test_impossible_or_non_ascii_periods_are_parse_errors(self, text: str) -> None:
        with pytest.raises(ParseError):
            Period.from_sdmx(text)
        with pytest.raises(ParseError):
            parse_period(text)


class TestYearBounds:
    """MIN_YEAR and MAX_YEAR: the one home of the years nkru reaches, which every reader of years uses."""

    def test_the_bounds(self) -> None:
        assert (MIN_YEAR, MAX_YEAR) == (1000, 2999)

    def test_periods_reach_exactly_the_bounds(self) -> None:
        assert Period.year(MIN_YEAR).start == dt.date(1000, 1, 1)
        assert Period.year(MAX_YEAR).end == dt.date(2999, 12, 31)
        with pytest.raises(ValidationError, match="year must be between 1000 and 2999"):
            Period.year(MAX_YEAR + 1)

    def test_rate_and_price_tables_use_the_same_bounds(self) -> None:
        assert RateQuote("RUB", MAX_YEAR, 1.0, "s").period == Period.year(2999)
        assert IndexPoint(MIN_YEAR, 1.0, "s").year == 1000
        with pytest.raises(ValidationError, match="between 1000 and 2999"):
            RateQuote("RUB", MIN_YEAR - 1, 1.0, "s")
        with pytest.raises(ValidationError, match="between 1000 and 2999"):
            IndexPoint(MAX_YEAR + 1, 1.0, "s")


class TestMonthEnd:
    @pytest.mark.parametrize(
        ("year", "month", "last"), [(2004, 2, "2004-02-29"), (1900, 2, "1900-02-28"), (1997, 12, "1997-12-31")]
    )
    def test_last_day(self, year: int, month: int, last: str) -> None:
        assert month_end(year, month) == _d(last)

    def test_no_such_month(self) -> None:
        with pytest.raises(ValidationError) as info:
            month_end(2005, 13)
        assert (info.value.field, info.value.reason) == ("date", "is not a calendar date")

    def test_period_phrases_end_on_it(self) -> None:
        assert parse_period("winter 2003/04").end == month_end(2004, 2) == _d("2004-02-29")
        assert parse_period("first half of 2005").end == month_end(2005, 6)

"""Tests for nkru.prices: the shipped CPI-U table and constant dollars."""

from __future__ import annotations

import csv
import io
import pickle
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _shared import RAW, needs_shared
from nkru._core.tables import read_package_text
from nkru.errors import (
    CurrencyMismatchError,
    NkruError,
    RateNotFoundError,
    StructureError,
    UnitMismatchError,
    ValidationError,
)
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.periods import Period
from nkru.prices import IndexPoint, PriceIndex, cpi_u, to_constant_dollars
from nkru.units import money, quantity

# BLS official annual averages, as DOMAIN.md quotes them (1 decimal before 2007, 3 from 2007).
OFFICIAL = {1988: 118.3, 1997: 160.5, 2005: 195.3, 2011: 224.939, 2020: 258.811}


class TestShippedCpi:
    @pytest.mark.parametrize(("year", "value"), sorted(OFFICIAL.items()))
    def test_official_annual_averages(self, year, value):
        assert cpi_u().value(year) == value

    def test_coverage_and_sources(self):
        index = cpi_u()
        assert index.coverage == "1913–2025"
        assert [p.year for p in index.points] == list(range(1913, 2026))
        by_source = (
            {p.source for p in index.points if p.year <= 2013},
            {p.source for p in index.points if p.year > 2013},
        )
        assert by_source == ({"bls-cpiai-2014-02-20"}, {"bls-cpi-u-monthly-mean"})
        assert index.value(2025) == 321.943  # BLS: mean of the 11 months published (no October 2025)

    def test_loaded_once_and_round_trips(self):
        assert cpi_u() is cpi_u()
        text = read_package_text("cpi_u.csv")
        assert PriceIndex.from_csv(text).to_csv() == text

    @needs_shared
    def test_recent_years_are_rounded_monthly_means(self):
        months: dict[int, list[Decimal]] = {}
        with (RAW / "cpiai.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                months.setdefault(int(row["Date"][:4]), []).append(Decimal(row["Index"]))
        for year in range(2014, 2026):
            mean = (sum(months[year], Decimal(0)) / len(months[year])).quantize(Decimal("0.001"), ROUND_HALF_UP)
            assert cpi_u().value(year) == float(mean)

    @pytest.mark.parametrize("year", [1912, 2026, 3000])
    def test_years_out_of_coverage_raise(self, year):
        with pytest.raises((RateNotFoundError, ValidationError)) as info:
            cpi_u().value(year)
        assert isinstance(info.value, NkruError)


class TestConstantDollars:
    def test_restates_by_the_index_ratio(self):
        result = to_constant_dollars(money(100, "USD"), 1988, 2020)
        assert result.magnitude == pytest.approx(100 * 258.811 / 118.3, rel=1e-15)
        assert str(result.units) == "USD"

    def test_same_year_is_identity(self):
        assert to_constant_dollars(money(123.456, "USD"), 1997, 1997).magnitude == 123.456

    def test_other_currencies_raise(self):
        with pytest.raises(CurrencyMismatchError):
            to_constant_dollars(money(1, "RUB"), 1997, 2020)
        with pytest.raises(UnitMismatchError):
            to_constant_dollars(quantity(1, "t"), 1997, 2020)
        with pytest.raises(ValidationError):
            to_constant_dollars(1.0, 1997, 2020)  # type: ignore[type-var]

    def test_uncovered_year_raises(self):
        with pytest.raises(RateNotFoundError, match="no CPI-U annual average for 2030"):
            to_constant_dollars(money(1, "USD"), 2030, 2020)
        with pytest.raises(ValidationError):
            to_constant_dollars(money(1, "USD"), True, 2020)

    def test_measure(self):
        measure = Measure(money(1.97e9, "USD"), Qualifier.AT_MOST, status=ObsStatus.ESTIMATED, resolution=1e7)
        result = to_constant_dollars(measure, 1988, 2020)
        factor = 258.811 / 118.3
        assert result.qualifier is Qualifier.AT_MOST
        assert result.status is ObsStatus.ESTIMATED
        assert result.value is not None
        assert result.value.magnitude == pytest.approx(1.97e9 * factor)
        assert result.resolution == pytest.approx(1e7 * factor)

    def test_own_index(self):
        index = PriceIndex("mine", "USD", [IndexPoint(2000, 100.0, "x"), IndexPoint(2001, 110.0, "x")])
        assert to_constant_dollars(money(10, "USD"), 2000, 2001, index=index).magnitude == pytest.approx(11.0)
        with pytest.raises(ValidationError):
            to_constant_dollars(money(10, "USD"), 2000, 2001, index={2000: 100.0})  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("year", "base_year"),
        [(Period.year(1988), 2020), ("1988", "2020"), (1988, Period.year(2020)), (Period.from_sdmx("1988"), "2020")],
    )
    def test_a_year_as_a_period_or_text(self, year: object, base_year: object) -> None:
        """Issue 14, trap 10: the year parameters take what on= takes, if it is one whole year."""
        expected = to_constant_dollars(money(100, "USD"), 1988, 2020)
        assert to_constant_dollars(money(100, "USD"), year, base_year) == expected  # type: ignore[arg-type]
        assert cpi_u().value(year) == 118.3  # type: ignore[arg-type]
        assert cpi_u().factor(year, base_year) == cpi_u().factor(1988, 2020)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("year", "field"),
        [
            (Period.years(1988, 1989), "year"),
            ("1988-06", "year"),
            (Period.months(1988, 1, 12), None),
            ("late 1980s", "year"),
        ],
    )
    def test_anything_but_one_whole_year_is_refused(self, year: object, field: str | None) -> None:
        if field is None:  # January to December is the whole year, whatever its precision says
            assert to_constant_dollars(money(1, "USD"), year, 2020) == to_constant_dollars(money(1, "USD"), 1988, 2020)  # type: ignore[arg-type]
            return
        with pytest.raises(ValidationError) as info:
            to_constant_dollars(money(1, "USD"), year, 2020)  # type: ignore[arg-type]
        assert info.value.field == field
        with pytest.raises(ValidationError) as base:
            to_constant_dollars(money(1, "USD"), 1988, year)  # type: ignore[arg-type]
        assert base.value.field == "base_year"

    @given(st.integers(1913, 2025), st.integers(1913, 2025), st.floats(min_value=1e-6, max_value=1e15))
    def test_there_and_back(self, year, base_year, value):
        there = to_constant_dollars(money(value, "USD"), year, base_year)
        back = to_constant_dollars(there, base_year, year)
        assert back.magnitude == pytest.approx(value, rel=1e-13)


class TestPriceIndex:
    def test_value_array(self):
        np.testing.assert_array_equal(cpi_u().value_array(np.array([1997, 2005, 2011])), [160.5, 195.3, 224.939])
        with pytest.raises(RateNotFoundError) as info:
            cpi_u().value_array(np.array([2030, 1900, 2030, 2000]))
        assert info.value.when == "1900, 2030"
        with pytest.raises(ValidationError):
            cpi_u().value_array(np.array([2000.0]))

    def test_gaps_in_coverage(self):
        index = PriceIndex("x", "USD", [IndexPoint(y, 100.0 + y - 2000, "s") for y in (2000, 2001, 2003, 2005, 2006)])
        assert index.coverage == "2000–2001, 2003, 2005–2006"
        with pytest.raises(RateNotFoundError):
            index.value(2002)
        assert PriceIndex("x", "USD", []).coverage == "no years"

    @pytest.mark.parametrize("value", [10**400, -(10**400), float("-inf")], ids=["10**400", "-10**400", "-inf"])
    def test_an_index_no_float_holds(self, value):
        # float(10**400) raised an OverflowError.
        with pytest.raises(ValidationError) as info:
            IndexPoint(2000, value, "s")
        assert info.value.field == "index"

    def test_duplicates_and_bad_points(self):
        with pytest.raises(ValidationError):
            PriceIndex("x", "USD", [IndexPoint(2000, 1.0, "s"), IndexPoint(2000, 2.0, "s")])
        with pytest.raises(ValidationError):
            IndexPoint(2000, float("nan"), "s")
        with pytest.raises(ValidationError):
            IndexPoint(2000, 0.0, "s")
        with pytest.raises(ValidationError):
            PriceIndex("x", "XYZ", [])

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ("year,index\n2000,1\n", "line 1"),
            ("year,index,source\n2000,abc,s\n", "line 2, column 'index'"),
            ("year,index,source\n2000,-1,s\n", "line 2, column 'index'"),
            ("year,index,source\n2000,nan,s\n", "line 2, column 'index'"),
            ("year,index,source\n20x0,1,s\n", "line 2, column 'year'"),
            ("year,index,source\n２０００,1,s\n", "line 2, column 'year'"),
            ("year,index,source\n2000,1,\n", "line 2, column 'source'"),
            ("year,index,source\n2000,1,s\n2000,2,s\n", "line 3, column 'year'"),
            ("year,index,source\n2000,1,s\n2001,1\n", "line 3"),
            ("year,index,source\n2000,1," + "s" * 100_000 + "\n", "line 2, column 'source'"),
        ],
    )
    def test_hostile_csv(self, text, path):
        with pytest.raises(StructureError) as info:
            PriceIndex.from_csv(text)
        assert path in info.value.paths
        assert len(str(info.value)) < 500

    @pytest.mark.parametrize(
        ("kind", "named"),
        [
            ("int", "got int"),
            ("None", "got NoneType"),
            ("one line", "'year,index,source'"),
            ("folder", "cpi"),
            ("missing", "missing.csv"),
            ("nul", "'cpi\\x00.csv'"),
        ],
    )
    def test_a_source_that_is_no_table(self, tmp_path, kind, named):
        sources = {
            "int": 3,
            "None": None,
            "one line": "year,index,source",
            "folder": tmp_path / "cpi",
            "missing": tmp_path / "missing.csv",
            "nul": "cpi\x00.csv",
        }
        (tmp_path / "cpi").mkdir()
        with pytest.raises(StructureError) as info:
            PriceIndex.from_csv(sources[kind])
        assert info.value.paths == ("$",)
        assert named in str(info.value)

    def test_repr_and_pickle(self):
        assert repr(cpi_u()) == "<PriceIndex CPI-U (USD): 1913–2025>"
        assert pickle.loads(pickle.dumps(cpi_u())) == cpi_u()

    def test_write_to_path(self, tmp_path):
        path = tmp_path / "cpi.csv"
        cpi_u().to_csv(path)
        assert PriceIndex.from_csv(path) == cpi_u()


BLS_TABLE_HEAD = " 02-20-2014     U.S. Department Of Labor\n\n     Year   Jan.  Feb. ... Annual Avg.\n\n"


def bls_row(year: int, average: str) -> str:
    return f"     {year}" + "  100.0" * 12 + f"  {average}      1.0   1.0\n"


@needs_shared
class TestFromBlsRawFiles:
    def test_the_official_table_as_published(self):
        index = PriceIndex.from_bls(RAW / "cpiai.txt")
        assert index.coverage == "1913–2013"
        assert {point.source for point in index.points} == {"bls-cpiai-2014-02-20"}
        assert [index.value(year) for year in (1988, 1997, 2005, 2011)] == [118.3, 160.5, 195.3, 224.939]

    def test_monthly_means_rounded_as_bls_publishes(self):
        index = PriceIndex.from_bls(RAW / "cpiai.csv")
        assert index.coverage == "1913–2025"  # 2026 is running
        assert (index.value(2020), index.value(2025)) == (258.811, 321.943)  # 2025: eleven months
        assert {point.source for point in index.points} == {"bls-cpi-u-monthly-mean"}

    def test_the_two_rebuild_the_shipped_index(self):
        official = PriceIndex.from_bls(RAW / "cpiai.txt")
        assert PriceIndex.from_bls(RAW / "cpiai.csv").merged(official) == cpi_u()


class TestFromBls:
    def test_a_table_row_without_an_average_is_a_running_year(self):
        index = PriceIndex.from_bls(BLS_TABLE_HEAD + bls_row(2012, "229.594") + "     2013  230.280\n")
        assert [(p.year, p.value, p.source) for p in index.points] == [(2012, 229.594, "bls-cpiai-2014-02-20")]

    def test_monthly_rows_average_and_the_last_partial_year_is_left_out(self):
        months = "".join(f"2026-{month:02d}-01,{100 + month}\n" for month in range(1, 13)) + "2027-01-01,120\n"
        index = PriceIndex.from_bls("Date,Index,Inflation\n" + months.replace("\n", ",\n"), source_id="mine")
        assert [(p.year, p.value, p.source) for p in index.points] == [(2026, 106.5, "mine")]

    def test_bad_cells_by_line_and_column(self):
        with pytest.raises(StructureError) as caught:
            PriceIndex.from_bls("Date,Index\n2026-01-01,x\n2026-01-15,1\n2026-02-01,-1\n")
        assert [str(problem) for problem in caught.value.problems] == [
            "line 2, column 'Index': is not a number: 'x'",
            "line 3, column 'Date': must be the first day of a month, YYYY-MM-01 (got '2026-01-15')",
            "line 4, column 'Index': must be positive (got -1)",
        ]
        with pytest.raises(StructureError) as caught:
            PriceIndex.from_bls(BLS_TABLE_HEAD + bls_row(2012, "n/a"))
        assert [str(problem) for problem in caught.value.problems] == ["line 5, column 96: is not a number: 'n/a'"]

    def test_merged_into_the_shipped_index(self):
        mine = PriceIndex.from_bls("Date,Index\n" + "".join(f"2026-{m:02d}-01,330\n" for m in range(1, 13)))
        merged = cpi_u().merged(mine)
        assert (merged.value(2026), merged.value(2025), merged.coverage) == (330.0, cpi_u().value(2025), "1913–2026")
        with pytest.raises(ValidationError, match="other"):
            cpi_u().merged(PriceIndex("HICP", "USD", mine.points))


def test_from_bls_monthly_refuses_a_year_out_of_range_by_line() -> None:
    # found by the fuzz suite: year 0000 escaped as an unlocated ValidationError
    text = "Date,Index,Inflation\n0000-01-01,308.417,\n2024-02-01,310.326,0.6\n"
    with pytest.raises(StructureError) as info:
        PriceIndex.from_bls(io.StringIO(text))
    assert str(info.value).endswith("line 2, column 'Date': must be between 1000 and 2999 (got '0000-01-01')")

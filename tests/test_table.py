"""Tests for nkru.table.TradeTable: building, checking, converting, summing, and agreeing with nkru.aggregate."""

from __future__ import annotations

import datetime as dt
import importlib
import math
import pickle
import tempfile
from pathlib import Path
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkru.table
from nkru.aggregate import group_total, total
from nkru.commodities import Commodity
from nkru.errors import (
    CurrencyMismatchError,
    CurrencyNotInCirculationError,
    DoubleCountError,
    MissingDependencyError,
    NkruError,
    RateNotFoundError,
    StructureError,
    ValidationError,
)
from nkru.fx import ExchangeRates, RateQuote, convert_currency
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period, Precision
from nkru.records import Flow, TradeFlow
from nkru.strategies import comtrade_tables, split_tables, table_flows, trade_tables
from nkru.table import GROUP_SUM_KEYS, WORLD, TradeTable
from nkru.table.columns import CellProblem, commodity_category
from nkru.units import money, quantity, to_unit

RATES = ExchangeRates.default()

#: Each example builds up to 25 records and a table or two; a fifth of the profile's examples
#: keeps the suite quick under the CI profile and still runs 20,000 under the long one.
fewer = settings(max_examples=max(10, settings().max_examples // 5))


def frame(**columns: Any) -> pd.DataFrame:
    """A one-row-or-more frame with the required columns filled in."""
    size = max((len(v) for v in columns.values() if isinstance(v, list)), default=1)
    base: dict[str, Any] = {"reporter": ["RUS"] * size, "partner": ["PRK"] * size, "flow": ["X"] * size}
    base["year"] = [2005] * size
    base.update(columns)
    return pd.DataFrame(base)


def problems(exc: pytest.ExceptionInfo[StructureError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def flow_record(record_id: str, value: Measure | None = None, **kwargs: Any) -> TradeFlow:
    fields: dict[str, Any] = {
        "reporter": Country("RUS"),
        "partner": Country("PRK"),
        "flow": Flow.EXPORT,
        "period": Period.year(2005),
    }
    fields.update(kwargs)
    return TradeFlow(id=record_id, amount=value, **fields)


class TestCommodityCategory:
    """The commodity check a reader uses: a category, None for all goods, or a CellProblem naming the column."""

    def test_categories(self) -> None:
        assert commodity_category("2710", "Petroleum oils") == ("Petroleum oils", "2710")
        assert commodity_category("27", None) == ("HS 27", "27")
        assert commodity_category("TOTAL", None) is None
        assert commodity_category(None, None) is None

    def test_problems_are_data(self) -> None:
        assert commodity_category(27, None) == CellProblem("hs", "must be HS code text (got '27')")
        assert commodity_category(None, 5) == CellProblem("commodity", "must be text (got '5')")
        problem = commodity_category("77", None)
        assert isinstance(problem, CellProblem)
        assert problem.column == "hs"
        assert problem.reason.endswith("(got '77')")


class TestFromFrame:
    def test_columns_and_units(self) -> None:
        table = TradeTable.from_frame(
            frame(
                year=[1997, 2005],
                month=[0, 3],
                hs=["27", "TOTAL"],
                value=[4.5e9, 10.0],
                currency=["RUR", "USD"],
                mass=[1.5, 250.0],
                mass_unit=["t", "kg"],
            )
        )
        out = table.to_frame()
        assert out["year"].tolist() == [1997, 2005]
        assert out["month"].tolist() == [0, 3]
        assert out["hs"].tolist()[0] == "27"
        assert pd.isna(out["hs"].iloc[1])
        assert out["commodity"].tolist()[0] == "HS 27"
        assert out["mass"].tolist() == [1500.0, 250.0]
        assert out["currency"].tolist() == ["RUR", "USD"]
        assert out["flow"].tolist() == ["export", "export"]
        assert out.attrs["units"] == {
            "value": "currency",
            "mass": "kilogram",
            "qty": "qty_unit_code",
            "cif_value": "currency",
            "fob_value": "currency",
            "gross_mass": "kilogram",
            "alt_qty": "alt_qty_unit_code",
        }
        assert table.mass_unit == "kilogram"
        assert table.currencies == ("RUR", "USD")

    def test_mass_unit_argument_and_attrs(self) -> None:
        in_tonnes = frame(mass=[2.0])
        assert TradeTable.from_frame(in_tonnes, mass_unit="t").to_frame()["mass"].tolist() == [2.0]
        in_tonnes.attrs["units"] = {"mass": "t"}
        table = TradeTable.from_frame(in_tonnes)
        assert (table.mass_unit, table.to_frame()["mass"].tolist()) == ("metric_ton", [2.0])

    def test_mass_converted_exactly(self) -> None:
        table = TradeTable.from_frame(frame(mass=[34_716.0, 0.1], mass_unit=["t", "t"]))
        assert table.to_frame()["mass"].tolist() == [34_716_000.0, 100.0]

    def test_flows_by_any_name(self) -> None:
        names = ["X", "M", "RX", "RM", "export", "turnover", Flow.RE_IMPORT]
        table = TradeTable.from_frame(frame(flow=names))
        assert table.to_frame()["flow"].tolist() == [
            "export",
            "import",
            "re_export",
            "re_import",
            "export",
            "turnover",
            "re_import",
        ]

    @pytest.mark.parametrize("flows", [["Q"], [1], [False], ["Export", "Import"]])
    def test_a_column_with_no_valid_flow(self, flows: list[object]) -> None:
        # Every flow bad left no category to index; the bad cells' code -2 raised an IndexError.
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(frame(flow=flows))
        assert [p.path for p in info.value.problems] == [f"row {i}, column 'flow'" for i in range(len(flows))]

    def test_categorical_input(self) -> None:
        cats = frame(
            reporter=pd.Categorical(["RUS", "RUS"], categories=["RUS", "XYZ"]),
            flow=pd.Categorical(["X", "M"]),
            currency=pd.Categorical(["EUR", None]),
            value=[1.0, np.nan],
        )
        table = TradeTable.from_frame(cats)  # the unused category XYZ is not checked
        assert table.to_frame()["reporter"].tolist() == ["RUS", "RUS"]
        assert table.currencies == ("EUR",)

    def test_world_partner_only(self) -> None:
        assert TradeTable.from_frame(frame(partner=[WORLD])).to_frame()["partner"].tolist() == ["W00"]
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(frame(reporter=[WORLD]))
        assert problems(info) == ["row 0, column 'reporter': the World (W00) reports nothing"]

    def test_missing_and_unknown_columns(self) -> None:
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(pd.DataFrame({"reporter": ["RUS"], "masss": [1.0], "value": [1.0]}))
        assert problems(info)[0].startswith("column 'masss': unknown column")
        assert "column 'partner': is missing" in problems(info)
        assert "column 'currency': is missing; the value column needs it" in problems(info)

    def test_every_bad_cell_by_row(self) -> None:
        bad = frame(
            reporter=["RUS", "XYZ", "RUS", "RUS"],
            flow=["X", "DX", "M", None],
            year=[2005, 2005.5, 999, 2005],
            month=[0, 13, 2, 1],
            hs=["99", "27", "2710", "27"],
            value=[1.0, np.inf, 2.0, 3.0],
            currency=["USD", "USD", None, "rub"],
            mass=[-1.0, 1.0, 2.0, 3.0],
            mass_unit=["kg", "USD", "kg", "MT"],
        )
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(bad)
        assert sorted(problems(info)) == sorted(
            [
                (
                    "row 1, column 'reporter': is neither an ISO 3166 alpha-3 country code nor a Comtrade area nkru"
                    " knows (got 'XYZ'); give its kind in a reporter_kind column"
                ),
                (
                    "row 1, column 'flow': is not a flow (export, import, re_export, re_import, turnover,"
                    " or X, M, RX, RM) (got 'DX')"
                ),
                "row 3, column 'flow': is missing",
                "row 1, column 'year': must be a whole number (got 2005.5)",
                "row 2, column 'year': must be a year from 1000 to 2999 (got 999.0)",
                "row 1, column 'month': must be 1 to 12, or 0 for the year (got 13)",
                "row 1, column 'value': must be finite (got inf)",
                "row 2, column 'currency': is missing for a value",
                "row 3, column 'currency': is not a currency nkru knows (got 'rub')",
                "row 0, column 'hs': is not an HS chapter (01-97, no 77) or a 4- or 6-digit code within one (got '99')",
                "row 0, column 'mass': must not be negative (got -1.0)",
                "row 1, column 'mass_unit': is not a unit of mass nkru reads (kg, t ...) (got 'USD')",
                "row 3, column 'mass_unit': is not a unit of mass nkru reads (kg, t ...) (got 'MT')",
            ]
        )

    @pytest.mark.parametrize("column", ["year", "value", "mass"])
    def test_numbers_as_text_refused(self, column: str) -> None:
        data = frame(value=[1.0], currency=["USD"])
        data[column] = ["1"]
        with pytest.raises(StructureError, match=f"column '{column}': must hold numbers"):
            TradeTable.from_frame(data)

    def test_complex_numbers_refused(self) -> None:
        # numpy kept the real part and dropped the imaginary one (with a ComplexWarning).
        with pytest.raises(StructureError, match="column 'value': must hold numbers, not complex128"):
            TradeTable.from_frame(frame(value=[1 + 2j], currency=["USD"]))

    def test_booleans_refused(self) -> None:
        with pytest.raises(StructureError, match="column 'year': must hold numbers, not bool"):
            TradeTable.from_frame(frame(year=[True]))

    def test_bad_ids(self) -> None:
        with pytest.raises(StructureError, match=r"row 1, column 'id': must be 1-80 characters"):
            TradeTable.from_frame(frame(id=["ok-1", "Not OK"]))

    def test_bad_mass_unit_argument(self) -> None:
        with pytest.raises(StructureError, match="mass_unit"):
            TradeTable.from_frame(frame(mass=[1.0]), mass_unit="USD")

    def test_non_text_cells(self) -> None:
        data = frame(reporter=pd.Series([643], dtype=object), hs=pd.Series([27], dtype=object), mass=[1.0])
        data["mass_unit"] = pd.Series([5], dtype=object)
        data["commodity"] = pd.Series([1.5], dtype=object)
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(data)
        assert sorted(problems(info)) == [
            "row 0, column 'hs': must be HS code text (got '27')",
            "row 0, column 'mass_unit': is not a unit of mass nkru reads (kg, t ...) (got '5')",
            "row 0, column 'reporter': is not a country or area code (got '643')",
        ]

    @pytest.mark.parametrize("column", ["reporter", "partner", "flow", "hs", "commodity", "currency", "mass_unit"])
    def test_cells_pandas_cannot_factorize(self, column: str) -> None:
        # A list or dict in a text column (as a Parquet file may hold) made pd.factorize raise a TypeError.
        data = frame(value=[1.0, 2.0], currency=["USD", "USD"], mass=[1.0, 2.0], mass_unit=["kg", "kg"])
        data[column] = pd.Series([["RUS"], {"a": 1}], dtype=object)
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(data)
        assert info.value.paths == (f"row 0, column {column!r}", f"row 1, column {column!r}")
        assert "['RUS']" in info.value.problems[0].reason
        assert "{'a': 1}" in info.value.problems[1].reason

    def test_label_that_is_not_text(self) -> None:
        with pytest.raises(StructureError, match=r"row 0, column 'commodity': must be text \(got '1.5'\)"):
            TradeTable.from_frame(frame(commodity=pd.Series([1.5], dtype=object)))

    def test_mass_too_large_for_the_unit(self) -> None:
        with pytest.raises(ValidationError, match="too large to express in kilogram"):
            TradeTable.from_frame(frame(mass=[1e306], mass_unit=["t"]))

    def test_repeated_column(self) -> None:
        data = pd.concat([frame(), pd.DataFrame({"year": [2005]})], axis=1)
        with pytest.raises(StructureError, match="a column name appears twice"):
            TradeTable.from_frame(data)

    def test_not_a_frame(self) -> None:
        with pytest.raises(ValidationError, match="frame"):
            TradeTable.from_frame({"reporter": ["RUS"]})  # type: ignore[arg-type]

    def test_many_problems_are_capped(self) -> None:
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(frame(year=[5] * 1000))
        assert len(info.value.problems) == 200


class TestFromRecords:
    def test_round_trip(self) -> None:
        records = [
            flow_record("a", Measure(money(1.5, "EUR")), commodity=Commodity("oil products", "2710")),
            flow_record("b", None, mass=Measure(quantity(2, "t")), period=Period.month(2011, 3), flow=Flow.IMPORT),
        ]
        back = TradeTable.from_records(records).to_records()
        assert back[0] == records[0]
        assert back[1].mass == Measure(quantity(2000.0, "kg"))
        assert (back[1].id, str(back[1].period), back[1].flow) == ("b", "2011-03", Flow.IMPORT)

    @pytest.mark.parametrize(
        ("change", "match"),
        [
            ({"value": Measure(money(1, "USD"), Qualifier.AT_MOST)}, r"record 'r'\.amount: .*exact reported"),
            ({"value": Measure(money(1, "USD"), status=ObsStatus.ESTIMATED)}, "exact reported"),
            ({"period": Period.quarter(2005, 1)}, "calendar years and months only"),
            ({"period": Period.years(2000, 2001)}, "calendar years and months only"),
            ({"share": Measure(quantity(5, "percent"))}, "count or a share"),
        ],
    )
    def test_refuses_what_it_cannot_hold(self, change: dict[str, Any], match: str) -> None:
        fields: dict[str, Any] = {"value": Measure(money(1, "USD"))} | change
        value = fields.pop("value")
        with pytest.raises(ValidationError, match=match):
            TradeTable.from_records([flow_record("r", value, **fields)], unfit="raise")

    def test_periods_by_their_days(self) -> None:
        twelve_months = Period.from_sdmx("2005-01/2005-12")
        march = Period(dt.date(2011, 3, 1), dt.date(2011, 3, 31), Precision.DAYS)
        table = TradeTable.from_records(
            [
                flow_record("y", Measure(money(1, "USD")), period=twelve_months),
                flow_record("m", Measure(money(1, "USD")), period=march),
            ]
        )
        assert table.to_frame()[["year", "month"]].to_numpy().tolist() == [[2005, 0], [2011, 3]]
        fuzzy = Period(dt.date(2005, 1, 1), dt.date(2005, 12, 31), Precision.YEAR, approximate=True)
        with pytest.raises(ValidationError, match="calendar years and months only"):
            TradeTable.from_records([flow_record("f", Measure(money(1, "USD")), period=fuzzy)], unfit="raise")

    def test_a_mass_too_large_for_the_unit_names_the_record(self) -> None:
        records = [
            flow_record("fine", mass=Measure(quantity(1.0, "t"))),
            flow_record("huge", mass=Measure(quantity(1e306, "t"))),
        ]
        with pytest.raises(ValidationError, match="too large to express in kilogram") as info:
            TradeTable.from_records(records)
        assert info.value.field == "record 'huge'.mass"

    @given(
        st.lists(
            st.tuples(st.floats(0, 1e300, allow_subnormal=True), st.sampled_from(["kg", "t", "g", "lb", "short_ton"])),
            min_size=1,
            max_size=20,
        ),
        st.sampled_from(["kg", "t", "g", "lb"]),
    )
    def test_masses_are_the_floats_to_unit_gives(self, masses: list[tuple[float, str]], target: str) -> None:
        # Converting once per unit, as columns, must give what nkru.units.to_unit gives record by record.
        records = [flow_record(f"m{i}", mass=Measure(quantity(m, u))) for i, (m, u) in enumerate(masses)]
        try:
            expected = [to_unit(quantity(m, u), target).magnitude for m, u in masses]
        except ValidationError:  # too large in the target unit: the table refuses the record too
            with pytest.raises(ValidationError, match="too large"):
                TradeTable.from_records(records, mass_unit=target)
            return
        got = TradeTable.from_records(records, mass_unit=target).to_frame()["mass"].tolist()
        assert got == expected

    def test_refuses_other_records(self) -> None:
        with pytest.raises(ValidationError, match=r"records\[0\]"):
            TradeTable.from_records([Measure(money(1, "USD"))])  # type: ignore[list-item]

    def test_empty(self) -> None:
        table = TradeTable.from_records([])
        assert len(table) == 0
        assert table.convert_currency("USD").group_sum().empty
        assert table.to_records() == []

    @fewer
    @given(st.lists(table_flows(), max_size=15))
    def test_records_round_trip(self, flows: list[TradeFlow]) -> None:
        back = TradeTable.from_records(flows).to_records()
        expected = [flow if flow.mass is None else attrs.evolve(flow, mass=flow.mass.to("kg")) for flow in flows]
        assert back == expected


class TestConvertCurrency:
    def table(self, **columns: Any) -> TradeTable:
        return TradeTable.from_frame(frame(**columns))

    def values(self, table: TradeTable) -> list[float]:
        return table.to_frame()["value"].tolist()

    def test_issue_examples(self) -> None:
        table = self.table(year=[1997, 2005, 2011], value=[4.5e9, 1.0, 1.0], currency=["RUR", "USD", "USD"])
        assert self.values(table.convert_currency("RUB")) == [4.5e6, RATES.rate("RUB", 2005), RATES.rate("RUB", 2011)]
        usd = self.values(table.convert_currency("USD"))
        assert usd[0] == 4.5e9 / RATES.rate("RUR", 1997)
        assert usd[0] == pytest.approx(777_896.22, abs=0.01)
        soviet = self.table(year=[1988], value=[1.0], currency=["USD"]).convert_currency("SUR")
        assert self.values(soviet) == [0.629]

    def test_same_as_convert_currency(self) -> None:
        table = self.table(
            year=[2005, 2011, 2011], month=[0, 0, 6], value=[1e6, 2.5e6, 3e6], currency=["RUB", "EUR", "RUB"]
        )
        periods = [Period.year(2005), Period.year(2011), Period.month(2011, 6)]
        for target in ("USD", "EUR", "RUB", "RUR", "CNY"):
            expected = [
                convert_currency(money(v, c), target, on=p).magnitude
                for v, c, p in zip([1e6, 2.5e6, 3e6], ["RUB", "EUR", "RUB"], periods, strict=True)
            ]
            assert (
                self.values(
                    self.table(
                        year=[2005, 2011, 2011],
                        month=[0, 0, 6],
                        value=[1e6, 2.5e6, 3e6],
                        currency=["RUB", "EUR", "RUB"],
                    ).convert_currency(target)
                )
                == expected
            )
        assert table.convert_currency("USD").currencies == ("USD",)

    def test_month_uses_the_monthly_average(self) -> None:
        usd = self.values(
            self.table(year=[2005, 2005], month=[0, 3], value=[1e6, 1e6], currency=["RUB", "RUB"]).convert_currency(
                "USD"
            )
        )
        assert usd[0] == 1e6 / RATES.rate("RUB", 2005)
        assert usd[1] == 1e6 / RATES.rate("RUB", Period.month(2005, 3))
        assert usd[0] != usd[1]

    def test_roubles_exact_without_rates(self) -> None:
        table = self.table(year=[2000, 2000], value=[4.5e9, 1.5], currency=["RUR", "RUB"])  # both codes in 1998-2002
        assert self.values(table.convert_currency("RUB")) == [4.5e6, 1.5]
        assert self.values(table.convert_currency("RUR")) == [4.5e9, 1500.0]
        later = self.table(year=[2024, 2024], value=[4.5e9, 1.5], currency=["RUR", "RUB"])
        with pytest.raises(CurrencyNotInCirculationError, match=r"RUR did not circulate in 2024"):
            later.convert_currency("RUB")
        assert self.values(later.convert_currency("RUR", redenominate=True)) == [4.5e9, 1500.0]

    def test_no_rate(self) -> None:
        with pytest.raises(RateNotFoundError, match=r"RUB per USD annual average.*2024"):
            self.table(year=[2024], value=[1.0], currency=["RUB"]).convert_currency("USD")
        with pytest.raises(RateNotFoundError, match="1991"):
            self.table(year=[1991], value=[1.0], currency=["SUR"]).convert_currency("USD")

    def test_overflow(self) -> None:
        table = self.table(year=[2011, 2011], value=[1.0, 1e306], currency=["USD", "USD"])
        with pytest.raises(ValidationError, match=r"row 1, column 'value': is too large to express in KRW"):
            table.convert_currency("KRW")

    def test_own_rates(self) -> None:
        rates = ExchangeRates([RateQuote("RUB", 2005, 25.0, "mine")])
        table = self.table(year=[2005, 2005], value=[100.0, np.nan], currency=["RUB", None])
        converted = self.values(table.convert_currency("USD", rates=rates))
        assert converted[0] == 4.0
        assert math.isnan(converted[1])

    def test_target_in_any_case(self) -> None:
        table = self.table(year=[2011], value=[1.0], currency=["USD"])
        assert self.values(table.convert_currency("rub")) == self.values(table.convert_currency("RUB"))

    @pytest.mark.parametrize("target", ["u$d", "XYZ", 5])
    def test_bad_target(self, target: Any) -> None:
        with pytest.raises(ValidationError, match="to"):
            self.table(value=[1.0], currency=["USD"]).convert_currency(target)

    def test_bad_rates(self) -> None:
        with pytest.raises(ValidationError, match="rates"):
            self.table(value=[1.0], currency=["USD"]).convert_currency("USD", rates={"RUB": 28.0})  # type: ignore[arg-type]


class TestGroupSum:
    def setup_method(self) -> None:
        self.table = TradeTable.from_frame(
            frame(
                year=[2006, 2005, 2005, 2005, 2005],
                flow=["X", "X", "M", "X", "X"],
                hs=["2710", "2709", "1001", "8703", "2701"],
                value=[1.0, 2.0, 4.0, 8.0, np.nan],
                currency=["USD"] * 5,
                mass=[np.nan, 1.0, np.nan, 2.0, 3.0],
            )
        )

    def test_year_flow_chapter(self) -> None:
        result = self.table.group_sum()
        assert list(result.columns) == ["year", "flow", "chapter", "value", "value_count", "mass", "mass_count", "rows"]
        rows = [tuple(None if pd.isna(x) else x for x in row) for row in result.itertuples(index=False)]
        assert rows == [
            (2005, "export", "27", 2.0, 1, 4.0, 2, 2),
            (2005, "export", "87", 8.0, 1, 2.0, 1, 1),
            (2005, "import", "10", 4.0, 1, None, 0, 1),
            (2006, "export", "27", 1.0, 1, None, 0, 1),
        ]
        assert result.attrs["units"] == {"value": "USD", "mass": "kilogram"}

    def test_one_key(self) -> None:
        assert self.table.group_sum("flow")[["flow", "value", "rows"]].to_numpy().tolist() == [
            ["export", 11.0, 4],
            ["import", 4.0, 1],
        ]

    def test_hs_month_reporter_partner(self) -> None:
        result = self.table.group_sum(["hs", "month", "reporter", "partner"])
        assert result["hs"].tolist() == ["1001", "2701", "2709", "2710", "8703"]
        assert set(result["reporter"]) == {"RUS"}
        mixed = TradeTable.from_frame(frame(hs=["2710", "27", None], value=[1.0, 2.0, 4.0], currency=["USD"] * 3))
        hs = mixed.group_sum(["hs"])  # grouping by hs keeps the levels apart
        assert [None if pd.isna(h) else h for h in hs["hs"]] == ["27", "2710", None]

    def test_group_without_values_is_nan(self) -> None:
        only_mass = TradeTable.from_frame(frame(mass=[1.0]))
        result = only_mass.group_sum(["year"])
        assert math.isnan(result["value"].iloc[0])
        assert (result["value_count"].iloc[0], result["mass"].iloc[0]) == (0, 1.0)

    def test_overflowing_sum(self) -> None:
        table = TradeTable.from_frame(frame(mass=[1e308, 1e308]))
        with pytest.raises(ValidationError, match="mass: is too large for a float"):
            table.group_sum()

    def test_mixed_currencies_refused(self) -> None:
        table = TradeTable.from_frame(frame(value=[1.0, 2.0], currency=["USD", "EUR"]))
        with pytest.raises(CurrencyMismatchError):
            table.group_sum()
        assert table.convert_currency("USD").group_sum()["value_count"].tolist() == [2]

    @pytest.mark.parametrize("by", [[], ["year", "year"], ["currency"], ["Year"]])
    def test_bad_keys(self, by: list[str]) -> None:
        with pytest.raises(ValidationError, match="by"):
            self.table.group_sum(by)

    def test_keys(self) -> None:
        assert GROUP_SUM_KEYS == ("year", "month", "flow", "chapter", "hs", "reporter", "partner")

    def test_many_distinct_keys_are_sorted(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("nkru.table._sums._MAX_BINS", 1)
        result = self.table.group_sum()
        assert result["value"].tolist() == [2.0, 8.0, 4.0, 1.0]


def _key(year: int, flow: Flow, chapter: str | None) -> tuple[int, str, str | None]:
    return (year, flow.value, chapter)


def _calendar_year(flow: TradeFlow) -> int:
    return flow.period.start.year


def _additive(flows: list[TradeFlow]) -> list[TradeFlow]:
    """The flows one sum may add: the first flow's commodity level and frequency, and no flow beside a part of it.

    Exports and imports add up (to the turnover); a turnover, a re-export or a re-import is kept
    only with flows of its own kind (``Flow.parts``).
    """

    def kind(flow: TradeFlow) -> tuple[int, bool]:
        hs = None if flow.commodity is None else flow.commodity.hs
        return (0 if hs is None else len(hs), flow.period.start.month == flow.period.end.month)

    if not flows:
        return []
    first = flows[0].flow
    together = {Flow.EXPORT, Flow.IMPORT} if first in (Flow.EXPORT, Flow.IMPORT) else {first}
    return [flow for flow in flows if kind(flow) == kind(flows[0]) and flow.flow in together]


class TestAgreesWithTheObjectApi:
    """The columnar engine and nkru.aggregate give the same floats for the same records."""

    @fewer
    @given(st.lists(table_flows(), max_size=25).map(_additive))
    def test_group_sums(self, flows: list[TradeFlow]) -> None:
        table = TradeTable.from_records(flows).convert_currency("USD")
        result = table.group_sum(["year", "flow", "chapter"])
        columnar = {
            (row.year, row.flow, row.chapter if isinstance(row.chapter, str) else None): row
            for row in result.itertuples(index=False)
        }
        # The table's "year" is each row's calendar year, months included; nkru.aggregate's "year" key
        # files a month under the month itself, so the object side states the calendar year explicitly.
        by = (_calendar_year, "flow", "chapter")
        values = group_total(flows, by, to="USD", missing="skip")
        masses = group_total(flows, by, field="mass", to="kg", missing="skip")
        assert set(columnar) == {_key(*k) for k in (*values, *masses)}  # type: ignore[misc]
        for key, row in columnar.items():
            year, flow_name, chapter = key
            group = (year, Flow(flow_name), chapter)
            value, mass = values.get(group), masses.get(group)
            assert row.value_count == sum(1 for f in flows if f.amount is not None and _group(f) == group)
            if value is None:
                assert math.isnan(cast("float", row.value))
            else:
                assert value.value is not None
                assert row.value == value.value.magnitude
            if mass is None:
                assert math.isnan(cast("float", row.mass))
            else:
                assert mass.value is not None
                assert row.mass == mass.value.magnitude

    @fewer
    @given(st.lists(table_flows(), min_size=1, max_size=25), st.sampled_from(["USD", "EUR", "RUB", "RUR", "CNY"]))
    def test_conversions(self, flows: list[TradeFlow], target: str) -> None:
        """Each row converts to the same float as ExchangeRates.convert gives its record (tolerance 0)."""
        try:
            expected = [None if f.amount is None else RATES.convert(f.amount, target, on=f.period).value for f in flows]
        except RateNotFoundError:
            with pytest.raises(RateNotFoundError):
                TradeTable.from_records(flows).convert_currency(target)
            return
        values = TradeTable.from_records(flows).convert_currency(target).to_frame()["value"].tolist()
        for value, quantity_ in zip(values, expected, strict=True):
            if quantity_ is None:
                assert math.isnan(value)
            else:
                assert value == quantity_.magnitude

    @fewer
    @given(st.lists(table_flows(), min_size=1, max_size=25).map(_additive), st.sampled_from(["USD", "EUR", "RUB"]))
    def test_totals(self, flows: list[TradeFlow], target: str) -> None:
        valued = [f for f in flows if f.amount is not None]
        try:
            expected = total(valued, to=target) if valued else None
        except RateNotFoundError:
            with pytest.raises(RateNotFoundError):
                TradeTable.from_records(flows).convert_currency(target)
            return
        values = TradeTable.from_records(flows).convert_currency(target).to_frame()["value"].to_numpy()
        running = 0.0
        for value in values[~np.isnan(values)]:
            running += value
        if expected is None:
            assert np.isnan(values).all()
        else:
            assert expected.value is not None
            assert running == expected.value.magnitude


def _group(flow: TradeFlow) -> tuple[int, Flow, str | None]:
    return (flow.period.start.year, flow.flow, None if flow.commodity is None else flow.commodity.chapter)


class TestFrameAndParquet:
    @fewer
    @given(st.one_of(trade_tables(), comtrade_tables()))
    def test_frame_round_trip(self, table: TradeTable) -> None:
        out = table.to_frame()
        pd.testing.assert_frame_equal(TradeTable.from_frame(out).to_frame(), out)

    @fewer
    @given(st.one_of(trade_tables(), comtrade_tables()), st.data())
    def test_frame_of_some_columns_is_those_of_the_whole(self, table: TradeTable, data: st.DataObject) -> None:
        whole = table.to_frame()
        names = data.draw(st.lists(st.sampled_from(list(whole.columns)), unique=True))
        some = table.to_frame(columns=names)
        assert list(some.columns) == [name for name in whole.columns if name in names]
        pd.testing.assert_frame_equal(some, whole[list(some.columns)], check_column_type=bool(names))
        assert len(some) == len(table)
        assert some.attrs == whole.attrs

    def test_frame_of_an_unknown_column_is_refused(self) -> None:
        table = TradeTable.from_frame(frame(year=[2005], value=[1.0], currency=["USD"]))
        with pytest.raises(ValidationError, match="columns: must be columns of the table") as error:
            table.to_frame(columns=["value", "price"])
        assert "price" in str(error.value)
        with pytest.raises(ValidationError, match="columns"):
            table.to_frame(columns="value")

    @settings(max_examples=max(10, settings().max_examples // 20))  # each example writes a file
    @given(comtrade_tables())
    def test_parquet_round_trip_of_comtrade_tables(self, table: TradeTable) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "table.parquet"
            table.to_parquet(path)
            pd.testing.assert_frame_equal(TradeTable.read_parquet(path).to_frame(), table.to_frame())

    def test_parquet_round_trip(self, tmp_path: Path) -> None:
        table = TradeTable.from_frame(
            frame(year=[2005, 2011], hs=["27", None], value=[1.5, np.nan], currency=["RUR", None], mass=[2.0, 3.0]),
            mass_unit="t",
        )
        path = tmp_path / "flows.parquet"
        table.to_parquet(path)
        back = TradeTable.read_parquet(path)
        assert back.mass_unit == "metric_ton"
        pd.testing.assert_frame_equal(back.to_frame(), table.to_frame())

    def test_parquet_without_pyarrow(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        real = importlib.import_module

        def fake(name: str, package: str | None = None) -> Any:
            if name.startswith("pyarrow"):
                raise ImportError(name)
            return real(name, package)

        monkeypatch.setattr(importlib, "import_module", fake)
        table = TradeTable.from_frame(frame())
        with pytest.raises(MissingDependencyError, match=r"pip install 'nkru\[parquet\]'") as info:
            table.to_parquet(tmp_path / "x.parquet")
        assert isinstance(info.value, ImportError)
        assert isinstance(info.value, NkruError)
        with pytest.raises(MissingDependencyError):
            TradeTable.read_parquet(tmp_path / "x.parquet")

    def test_the_module_exports_its_own_names(self) -> None:
        # MissingDependencyError lives in nkru.errors; exporting it here too documented it twice.
        assert nkru.table.__all__ == ["GROUP_SUM_KEYS", "WORLD", "TradeTable", "reconcile"]
        assert nkru.table.WORLD == "W00"

    def test_error_pickles(self) -> None:
        error = MissingDependencyError("pyarrow", "parquet")
        assert str(pickle.loads(pickle.dumps(error))) == str(error)

    def test_parquet_of_someone_else(self, tmp_path: Path) -> None:
        path = tmp_path / "plain.parquet"
        frame(mass=[2.0]).to_parquet(path)
        assert TradeTable.read_parquet(path).to_frame()["mass"].tolist() == [2.0]

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"", "is not a Parquet file"),
            (b"PAR1 junk", "is not a Parquet file"),
            (b"PAR1" + b"\x00" * 100 + b"PAR1", "is not a Parquet file"),
            (None, "no such file"),
        ],
    )
    def test_a_file_that_is_not_parquet(self, tmp_path: Path, data: bytes | None, reason: str) -> None:
        # pyarrow's ArrowInvalid (or a bare OSError for a bad footer) reached the user.
        pytest.importorskip("pyarrow")
        path = tmp_path / "table.parquet"
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(ValidationError, match=reason) as info:
            TradeTable.read_parquet(path)
        assert (info.value.field, info.value.value) == ("path", repr(str(path)))

    @pytest.mark.parametrize("path", [3, None, b"table.parquet"])
    def test_a_path_that_is_no_path(self, path: Any) -> None:
        with pytest.raises(ValidationError) as info:
            TradeTable.read_parquet(path)
        assert info.value.field == "path"
        with pytest.raises(ValidationError) as info:
            TradeTable.from_frame(frame()).to_parquet(path)
        assert info.value.field == "path"

    def test_a_failed_parquet_write_keeps_the_old_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        # to_parquet wrote in place: a write failing halfway left a truncated file.
        pq = pytest.importorskip("pyarrow.parquet")
        path = tmp_path / "table.parquet"
        path.write_bytes(b"old content")

        def fail_halfway(_table: Any, where: Any, **_options: Any) -> None:
            where.write(b"PAR1 half a table")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(pq, "write_table", fail_halfway)
        with pytest.raises(OSError, match="No space left on device"):
            TradeTable.from_frame(frame()).to_parquet(path)
        assert path.read_bytes() == b"old content"
        assert [p.name for p in tmp_path.iterdir()] == ["table.parquet"]

    def test_unreadable_metadata(self, tmp_path: Path) -> None:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        arrow = pa.Table.from_pandas(frame(), preserve_index=False)
        path = tmp_path / "bad.parquet"
        pq.write_table(arrow.replace_schema_metadata({b"nkru": b"{not json"}), path)
        with pytest.raises(ValidationError, match="unreadable nkru metadata"):
            TradeTable.read_parquet(path)


class TestRowsAndRecords:
    def test_where(self) -> None:
        table = TradeTable.from_frame(frame(partner=["PRK", WORLD, "CHN"], value=[1.0, 2.0, 3.0], currency=["USD"] * 3))
        kept = table.where(table.to_frame()["partner"].ne(WORLD).to_numpy())
        assert kept.to_frame()["value"].tolist() == [1.0, 3.0]

    @pytest.mark.parametrize("mask", [[True], np.array([1, 0, 1]), "yes"])
    def test_where_bad_mask(self, mask: Any) -> None:
        table = TradeTable.from_frame(frame(partner=["PRK", WORLD, "CHN"]))
        with pytest.raises(ValidationError, match="mask"):
            table.where(mask)

    def test_to_records_of_the_world(self) -> None:
        table = TradeTable.from_frame(frame(partner=["PRK", WORLD], value=[1.0, 2.0], currency=["USD"] * 2))
        with pytest.raises(ValidationError, match="row 1: has the World as partner"):
            table.to_records()

    def test_to_records_needs_a_figure(self) -> None:
        with pytest.raises(ValidationError, match="row 0: states neither a value nor a mass"):
            TradeTable.from_frame(frame()).to_records()

    def test_to_records_ids(self) -> None:
        table = TradeTable.from_frame(frame(value=[1.0, 2.0], currency=["USD", "USD"]))
        assert [r.id for r in table.to_records(id_prefix="comtrade-")] == ["comtrade-0", "comtrade-1"]

    def test_concat(self) -> None:
        one = TradeTable.from_frame(frame(mass=[1.0], hs=["27"]), mass_unit="t")
        two = TradeTable.from_frame(frame(reporter=["CHN"], mass=[500.0], hs=["10"], value=[3.0], currency=["EUR"]))
        joined = TradeTable.concat([one, two])
        out = joined.to_frame()
        assert joined.mass_unit == "metric_ton"
        assert out["mass"].tolist() == [1.0, 0.5]
        assert out["reporter"].tolist() == ["RUS", "CHN"]
        assert out["hs"].tolist() == ["27", "10"]
        assert out["currency"].tolist()[1] == "EUR"
        with pytest.raises(ValidationError, match="tables"):
            TradeTable.concat([])

    def test_concat_keeps_ids(self) -> None:
        records = [flow_record(f"r{i}", Measure(money(i, "USD"))) for i in range(3)]
        joined = TradeTable.concat([TradeTable.from_records(records[:1]), TradeTable.from_records(records[1:])])
        assert joined.to_records() == TradeTable.from_records(records).to_records()
        assert "id" not in TradeTable.concat([joined, TradeTable.from_frame(frame(mass=[1.0]))]).to_frame()

    def test_repr_and_immutability(self) -> None:
        table = TradeTable.from_frame(frame(value=[1.0], currency=["EUR"]))
        assert repr(table) == "<TradeTable: 1 rows, values in EUR, mass in kilogram>"
        out = table.to_frame()
        out.loc[0, "value"] = 5.0
        assert table.to_frame()["value"].tolist() == [1.0]


def usd(**columns: Any) -> TradeTable:
    size = len(columns["value"])
    return TradeTable.from_frame(frame(currency=["USD"] * size, **columns))


class TestDoubleCounting:
    """The sums that would count trade twice are refused, with the selection to make (issue 12)."""

    def test_the_world_added_to_its_partners(self) -> None:
        table = usd(partner=["W00", "RUS", "PRK"], reporter=["THA"] * 3, value=[100.0, 60.0, 40.0])
        with pytest.raises(DoubleCountError) as info:
            table.group_sum(["year", "flow"])
        assert str(info.value) == (
            "this sum would count trade twice: it adds the World (W00) to other partners (PRK, RUS), which it"
            " contains; select one with table.select(partners=\"countries\") or table.select(partners=['W00']),"
            " or group by partner"
        )
        assert table.select(partners="countries").group_sum(["year"])["value"].tolist() == [100.0]
        assert table.select(partners="world").group_sum(["year"])["value"].tolist() == [100.0]
        by_partner = table.group_sum(["partner"])  # grouping by partner keeps the World apart
        assert dict(zip(by_partner["partner"], by_partner["value"], strict=True)) == {
            "PRK": 40.0,
            "RUS": 60.0,
            "W00": 100.0,
        }

    def test_a_group_added_to_its_members(self) -> None:
        table = TradeTable.from_frame(
            frame(reporter=["97", "DEU"], reporter_kind=["group", "country"], value=[5.0, 3.0], currency=["USD"] * 2)
        )
        with pytest.raises(DoubleCountError, match=r"the group \(97\) to other reporters \(DEU\)"):
            table.group_sum(["year"])
        assert table.group_sum(["reporter"])["value"].tolist() == [5.0, 3.0]

    def test_nes_areas_add_to_countries(self) -> None:
        table = usd(partner=["S19", "_X", "RUS"], value=[1.0, 2.0, 4.0])
        assert table.group_sum(["year"])["value"].tolist() == [7.0]
        assert table.select(partners="areas").group_sum(["year"])["value"].tolist() == [3.0]

    def test_commodity_levels(self) -> None:
        table = usd(hs=[None, "85", "8542"], value=[300.0, 200.0, 100.0])
        with pytest.raises(DoubleCountError) as info:
            table.group_sum(["year", "flow"])
        assert str(info.value) == (
            "this sum would count trade twice: it adds commodity levels 2-digit, 4-digit, TOTAL (a total to its"
            ' parts); select one level with table.select(level=...) ("total", 2, 4 or 6), level="leaf", or group by hs'
        )
        assert [table.select(level=level).group_sum(["year"])["value"].iloc[0] for level in ("total", 2, 4)] == [
            300.0,
            200.0,
            100.0,
        ]
        with pytest.raises(DoubleCountError):
            table.group_sum(["chapter"])  # 85 and 8542 are one chapter: grouping by it does not keep them apart
        assert len(table.group_sum(["hs"])) == 3

    def test_leaves_of_different_levels_add(self) -> None:
        table = usd(hs=["85", "8542"], value=[2.0, 1.0], is_leaf=pd.array([True, True], dtype="boolean"))
        assert table.group_sum(["year"])["value"].tolist() == [3.0]
        partly = usd(hs=["85", "8542"], value=[2.0, 1.0], is_leaf=pd.array([False, True], dtype="boolean"))
        with pytest.raises(DoubleCountError):
            partly.group_sum(["year"])
        assert partly.select(level="leaf").group_sum(["year"])["value"].tolist() == [1.0]

    def test_monthly_and_annual_rows(self) -> None:
        table = usd(month=[0, 3, 4], value=[6.0, 2.7, 3.3])
        with pytest.raises(
            DoubleCountError, match=r'monthly rows to annual rows; select one frequency with table.select\(freq="A"\)'
        ):
            table.group_sum(["year"])
        assert table.select(freq="A").group_sum(["year"])["value"].tolist() == [6.0]
        assert table.select(freq="M").group_sum(["year"])["value"].tolist() == [6.0]
        assert table.group_sum(["year", "month"])["value"].tolist() == [6.0, 2.7, 3.3]

    def test_turnover_and_re_exports_beside_the_flows_that_hold_them(self) -> None:
        table = usd(reporter=["RUS"] * 3, partner=["PRK"] * 3, flow=["X", "M", "turnover"], value=[10.0, 4.0, 14.0])
        refusal = (
            "this sum would count trade twice: it adds RUS's turnover with PRK to its exports and imports (turnover"
            " is exports plus imports); select with table.select(flows=['export', 'import']) or"
            " table.select(flows='turnover'), or group by flow"
        )
        for call in (
            lambda: table.group_sum(["year"]),
            lambda: table.top(1),
            lambda: table.share(["year", "flow"], of=["year"]),
        ):
            with pytest.raises(DoubleCountError) as info:
                call()
            assert str(info.value) == refusal
        assert table.group_sum(["year", "flow"])["value"].tolist() == [10.0, 4.0, 14.0]
        assert table.select(flows=["export", "import"]).group_sum(["year"])["value"].tolist() == [14.0]
        assert table.select(flows=["export", "import"]).share(["year", "flow"], of=["year"])["share"].round(
            6
        ).tolist() == [round(1000 / 14, 6), round(400 / 14, 6)]
        re_exports = usd(flow=["X", "RX", "M"], value=[10.0, 3.0, 4.0])
        with pytest.raises(DoubleCountError, match=r"RUS's exports with PRK to its re-exports \(Comtrade's exports"):
            re_exports.group_sum(["year"])
        with pytest.raises(DoubleCountError, match=r"imports with PRK to its re-imports"):
            usd(flow=["M", "RM"], value=[4.0, 1.0]).group_sum(["year"])
        # exports and imports add up (to the turnover); so do re-exports and imports, and flows of other pairs
        assert usd(flow=["RX", "M"], value=[3.0, 4.0]).group_sum(["year"])["value"].tolist() == [7.0]
        other_pairs = usd(reporter=["RUS", "CHN"], flow=["turnover", "X"], value=[14.0, 5.0])
        assert other_pairs.group_sum(["year"])["value"].tolist() == [19.0]

    @given(
        st.lists(
            st.tuples(st.sampled_from(["RUS", "CHN"]), st.sampled_from(list(Flow)), st.integers(0, 100)),
            min_size=1,
            max_size=6,
        )
    )
    def test_the_flow_rule_is_the_records_rule(self, rows: list[tuple[str, Flow, int]]) -> None:
        # one year and commodity, so that only the flow rule can refuse
        records = [
            TradeFlow(
                id=f"r{i}",
                reporter=Country(reporter),
                partner=Country("PRK"),
                flow=flow,
                period=Period.year(2005),
                amount=Measure(money(value, "USD")),
            )
            for i, (reporter, flow, value) in enumerate(rows)
        ]
        table = TradeTable.from_records(records)
        wholes = {(reporter, flow) for reporter, flow, _ in rows}
        clash = any((reporter, part) in wholes for reporter, flow in wholes for part in flow.parts)
        try:
            sums = table.group_sum(["year"])
        except DoubleCountError:
            assert clash
            with pytest.raises(DoubleCountError):
                group_total(records, "year")
        else:
            assert not clash
            assert sums["value"].tolist() == [group_total(records, "year")[2005].value.magnitude]

    @pytest.mark.parametrize(
        ("name", "values", "total"),
        [
            ("customs_code", pd.Categorical(["C00", "C01", "C02"]), "C00"),
            ("mot_code", [0, 1, 2], "0"),
            ("partner2_code", [0, 156, 643], "0"),
        ],
    )
    def test_breakdowns_and_their_totals(self, name: str, values: Any, total: str) -> None:
        table = usd(value=[10.0, 4.0, 6.0], **{name: values})
        with pytest.raises(DoubleCountError, match=rf"{name} breakdowns \(.*\) to their total \({total}\)"):
            table.group_sum(["year"])
        assert table.select(breakdowns="total").group_sum(["year"])["value"].tolist() == [10.0]
        assert table.where(np.array([False, True, True])).group_sum(["year"])["value"].tolist() == [10.0]

    def test_select_options(self) -> None:
        table = usd(year=[2005, 2006], flow=["X", "M"], value=[1.0, 2.0])
        assert len(table.select(years=2005)) == 1
        assert len(table.select(years=range(2000, 2010))) == 2
        assert len(table.select(flows="import")) == 1
        assert len(table.select(flows=["X", "M"], reporters="countries")) == 2
        assert len(table.select(partners=["WLD"])) == 0  # Classic's World is W00 too
        for option, value in [("freq", "Q"), ("level", 3), ("level", True), ("breakdowns", "all"),
                              ("partners", "planets"), ("partners", [1]), ("years", ["2005"]), ("flows", "out")]:  # fmt: skip
            with pytest.raises(ValidationError, match=option):
                table.select(**{option: value})


class TestDecidingRows:
    """The rows that decide group_sum's rules decide for pieces as the whole table does (nkru.dask relies on it)."""

    @staticmethod
    def outcome(table: TradeTable, keys: list[str]) -> tuple[str, str] | None:
        try:
            table.group_sum(keys)
        except (DoubleCountError, CurrencyMismatchError) as exc:
            return type(exc).__name__, str(exc)
        return None

    @staticmethod
    @st.composite
    def crowded(draw: st.DrawFn) -> TradeTable:
        """Tables of few parties and flows, so that rows share a pair and differ in what else decides a sum."""
        size = draw(st.integers(min_value=0, max_value=40))

        def column(*values: Any) -> list[Any]:  # one value in every row, or any in each
            if draw(st.booleans()):
                return [draw(st.sampled_from(values))] * size
            return draw(st.lists(st.sampled_from(values), min_size=size, max_size=size))

        return TradeTable.from_frame(
            pd.DataFrame(
                {
                    "reporter": column("RUS", "RUS", "RUS", "CHN"),
                    "partner": column("PRK", "PRK", "PRK", "CHN", "W00"),
                    "flow": column("X", "X", "X", "M", "RX", "RM", "turnover"),
                    "year": column(2005, 2006),
                    "month": column(0, 0, 3),
                    "hs": column(None, "27", "2709", "270900"),
                    "value": column(1.0, 2.5, math.nan),
                    "currency": column("USD", "USD", "USD", "EUR"),
                    "is_leaf": column(None, True, True, False),
                    "customs_code": column(None, "C00", "C00", "C01"),
                    "mot_code": column(0, 0, 1000),
                    "partner2_code": column(0, 0, 156),
                    "mirrored": column(False, False, True),
                }
            )
        )

    @given(
        data=st.data(),
        table=st.one_of(comtrade_tables(max_rows=16), crowded()),
        keys=st.lists(st.sampled_from(GROUP_SUM_KEYS), unique=True, min_size=1, max_size=3),
    )
    @settings(max_examples=400, deadline=None)
    def test_the_pieces_deciding_rows_refuse_what_the_whole_refuses(
        self, data: st.DataObject, table: TradeTable, keys: list[str]
    ) -> None:
        pieces = data.draw(split_tables(table))
        deciding = [piece.deciding_rows() for piece in pieces]
        assert sum(len(rows) for rows in deciding) <= len(table)
        assert self.outcome(TradeTable.concat(deciding), keys) == self.outcome(TradeTable.concat(pieces), keys)

    @pytest.mark.parametrize(
        ("middle", "last"),
        [
            ({}, {"month": 3}),
            ({}, {"hs": "2709"}),
            ({}, {"currency": "EUR"}),
            ({"hs": "2709", "is_leaf": True}, {"is_leaf": None}),  # all leaves but the last: levels may not add
            ({}, {"customs_code": "C01"}),
            ({}, {"mirrored": True}),
        ],
    )
    def test_a_row_that_differs_only_in_what_decides_is_kept(
        self, middle: dict[str, Any], last: dict[str, Any]
    ) -> None:
        first = {"month": 0, "hs": "27", "currency": "USD", "is_leaf": None, "customs_code": "C00", "mirrored": False}
        if middle:
            first["is_leaf"] = True
        rows = [first, first | middle, first | middle | last]
        table = TradeTable.from_frame(frame(value=[1.0, 2.0, 3.0], **{k: [row[k] for row in rows] for k in first}))
        deciding = table.deciding_rows()
        assert len(deciding) == (3 if middle else 2)
        assert self.outcome(deciding, ["year"]) == self.outcome(table, ["year"]) is not None

    def test_one_row_per_deciding_value(self) -> None:
        table = usd(
            partner=["PRK", "PRK", "CHN", "PRK"],
            reporter=["RUS"] * 4,
            value=[1.0, 2.0, 3.0, 4.0],
            flow=["X", "X", "X", "M"],
        )
        rows = table.deciding_rows().to_frame()
        assert rows[["partner", "flow", "value"]].to_numpy().tolist() == [
            ["PRK", "export", 1.0],
            ["CHN", "export", 3.0],
            ["PRK", "import", 4.0],
        ]
        assert len(usd(partner=[], reporter=[], value=[]).deciding_rows()) == 0


class TestComtradeColumns:
    """The Comtrade columns the table keeps, losslessly (issue 12)."""

    def comtrade(self) -> TradeTable:
        return TradeTable.from_frame(
            frame(
                partner=["S19", "XX1", "W00"],
                partner_kind=["nes", "special", "world"],
                value=[1.0, np.nan, 3.0],
                cif_value=[1.5, 2.0, np.nan],
                fob_value=[np.nan, 1.0, 2.5],
                currency=["RUB", "RUB", "RUB"],
                mass=[1.0, np.nan, 2.0],
                gross_mass=[1.5, 2.5, np.nan],
                alt_qty=[3.0, np.nan, 1.0],
                alt_qty_unit_code=[8, -1, 5],
                mass_estimated=pd.array([True, None, False], dtype="boolean"),
                estimation_flag=[0, 4, -1],
                is_leaf=pd.array([False, False, None], dtype="boolean"),
                customs_code=pd.Categorical(["C00", None, "C00"]),
                mot_code=[0, 0, -1],
                partner2_code=[0, -1, 0],
                classification=pd.Categorical(["H4", "H5", "S4"]),
            ),
            mass_unit="t",
        )

    def test_frame_round_trip(self) -> None:
        table = self.comtrade()
        out = table.to_frame()
        assert out["partner_kind"].tolist() == ["nes", "special", "world"]
        assert out["gross_mass"].tolist()[:2] == [1.5, 2.5]  # in the table's mass unit, as the mass
        assert (out.attrs["units"]["gross_mass"], out.attrs["units"]["mass"]) == ("metric_ton", "metric_ton")
        assert out["mass_estimated"].tolist() == [True, pd.NA, False]
        pd.testing.assert_frame_equal(TradeTable.from_frame(out).to_frame(), out)

    def test_parquet_round_trip(self, tmp_path: Path) -> None:
        table = self.comtrade()
        table.to_parquet(tmp_path / "comtrade.parquet")
        pd.testing.assert_frame_equal(
            TradeTable.read_parquet(tmp_path / "comtrade.parquet").to_frame(), table.to_frame()
        )

    def test_where_and_concat_keep_them(self) -> None:
        table = self.comtrade()
        both = TradeTable.concat([table, table.where(np.array([False, True, False]))])
        out = both.to_frame()
        assert out["partner"].tolist() == ["S19", "XX1", "W00", "XX1"]
        assert out["classification"].tolist() == ["H4", "H5", "S4", "H5"]
        assert out["estimation_flag"].tolist() == [0, 4, -1, 4]
        plain = TradeTable.concat([table, TradeTable.from_frame(frame(mass=[1.0]))]).to_frame()
        assert plain["cif_value"].isna().tolist()[-1]
        assert plain["customs_code"].isna().tolist()[-1]
        clash = TradeTable.from_frame(frame(partner=["XX1"], partner_kind=["nes"]))
        with pytest.raises(ValidationError, match="XX1"):
            TradeTable.concat([table, clash])

    def test_cif_and_fob_convert_with_the_value(self) -> None:
        out = self.comtrade().convert_currency("RUR").to_frame()
        assert out["value"].tolist()[0] == 1000.0
        assert out["cif_value"].tolist()[:2] == [1500.0, 2000.0]
        assert out["fob_value"].tolist()[1:] == [1000.0, 2500.0]
        assert out["currency"].tolist() == ["RUR"] * 3  # the second row has no value, but CIF and FOB values

    def test_unknown_codes_need_their_kind(self) -> None:
        with pytest.raises(StructureError) as info:
            TradeTable.from_frame(frame(partner=["XX1", "PRK"], partner_kind=["moon", "group"]))
        assert problems(info) == [
            "row 0, column 'partner_kind': must be one of country, world, group, nes, special (got 'moon')",
            (
                "row 0, column 'partner': is neither an ISO 3166 alpha-3 country code nor a Comtrade area nkru"
                " knows (got 'XX1'); give its kind in a partner_kind column"
            ),
            "row 1, column 'partner_kind': is group, but 'PRK' is a country",
        ]

    def test_records_hold_countries_only(self) -> None:
        with pytest.raises(ValidationError, match="has the area S19 as partner, which is no country"):
            self.comtrade().where(np.array([True, False, False])).to_records()

"""Trade analytics on the table (balance, share, unit value, growth, top), mirror statistics and reconcile.

Each table method is checked on small tables built here, against its twin
over records in :mod:`nkru.aggregate` by a hypothesis property, and (mirror
and reconcile) against a hand-written pandas computation on the shared
Classic Comtrade file when ``../shared`` is present.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from pathlib import Path
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkru
from _shared import CLASSIC, needs_shared
from nkru.aggregate import (
    group_balance,
    group_cagr,
    group_percent_change,
    group_share,
    group_unit_value,
    top,
)
from nkru.commodities import Commodity
from nkru.errors import CurrencyMismatchError, DoubleCountError, NkruError, ValidationError
from nkru.measures import Measure, ObsStatus
from nkru.parties import Country
from nkru.periods import Period
from nkru.records import Flow, TradeFlow
from nkru.table import TradeTable, reconcile
from nkru.units import money, quantity


def table(**columns: Any) -> TradeTable:
    """A table of the given columns; reporter RUS, partner PRK, USD and year 2005 unless given."""
    size = max(len(v) for v in columns.values() if isinstance(v, list))
    base: dict[str, Any] = {"reporter": ["RUS"] * size, "partner": ["PRK"] * size, "year": [2005] * size}
    base |= {"flow": ["X"] * size}
    if "value" in columns:
        base["currency"] = ["USD"] * size
    return TradeTable.from_frame(pd.DataFrame(base | columns))


# -- balance ----------------------------------------------------------------------------------------


class TestBalance:
    def test_exports_minus_imports_per_year(self) -> None:
        t = table(flow=["X", "M", "X", "M", "RX"], year=[2005, 2005, 2006, 2006, 2006], value=[10.0, 4, 7, 9, 100])
        result = t.balance()
        assert result["year"].tolist() == [2005, 2006]
        assert result["exports"].tolist() == [10.0, 7.0]  # the re-export (100) is left out
        assert result["imports"].tolist() == [4.0, 9.0]
        assert result["balance"].tolist() == [6.0, -2.0]
        assert result.attrs["units"] == {"exports": "USD", "imports": "USD", "balance": "USD"}

    def test_a_missing_side_is_nan_or_zero(self) -> None:
        t = table(flow=["X", "X"], year=[2005, 2006], value=[3.0, 5.0], partner=["PRK", "PRK"])
        assert t.balance()["balance"].isna().all()
        assert t.balance(missing="zero")["balance"].tolist() == [3.0, 5.0]

    def test_by_partner(self) -> None:
        t = table(flow=["X", "M", "X"], partner=["PRK", "PRK", "CHN"], value=[5.0, 2.0, 1.0])
        result = t.balance(["partner"], missing="zero")
        assert dict(zip(result["partner"], result["balance"], strict=True)) == {"CHN": 1.0, "PRK": 3.0}

    def test_mixed_currencies_are_refused(self) -> None:
        frame = pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X", "M"], "year": [2005] * 2})
        frame["value"], frame["currency"] = [1.0, 2.0], ["USD", "EUR"]
        with pytest.raises(CurrencyMismatchError, match="EUR"):
            TradeTable.from_frame(frame).balance()

    def test_the_world_beside_its_partners_is_refused(self) -> None:
        t = table(flow=["X", "X"], partner=["W00", "PRK"], value=[10.0, 4.0])
        with pytest.raises(DoubleCountError, match="the World"):
            t.balance()
        assert t.select(partners="countries").balance(missing="zero")["balance"].tolist() == [4.0]

    def test_bad_input(self) -> None:
        t = table(flow=["X"], value=[1.0])
        with pytest.raises(ValidationError, match="by: must be distinct keys of year, month, chapter"):
            t.balance(["flow"])
        with pytest.raises(ValidationError, match="missing"):
            t.balance(missing="skip")
        with pytest.raises(ValidationError, match="the selection is empty"):
            table(flow=["RX"], value=[1.0]).balance()


# -- share ------------------------------------------------------------------------------------------


class TestShare:
    def test_chapter_shares_of_each_years_exports(self) -> None:
        t = table(
            flow=["X", "X", "X", "M"],
            year=[2005, 2005, 2006, 2005],
            hs=["27", "10", "27", "27"],
            value=[6.0, 2.0, 5.0, 9.0],
        )
        result = t.share()
        rows = {(r.year, r.flow, r.chapter): (r.share, r.total) for r in result.itertuples()}
        assert rows == {
            (2005, "export", "10"): (25.0, 8.0),
            (2005, "export", "27"): (75.0, 8.0),
            (2005, "import", "27"): (100.0, 9.0),
            (2006, "export", "27"): (100.0, 5.0),
        }
        assert result.attrs["units"]["share"] == "percent"

    def test_share_of_the_grand_total(self) -> None:
        t = table(partner=["PRK", "CHN", "JPN"], value=[1.0, 3.0, 0.0])
        result = t.share(["partner"], of=())
        assert dict(zip(result["partner"], result["share"], strict=True)) == {"CHN": 75.0, "JPN": 0.0, "PRK": 25.0}

    def test_a_zero_total_gives_nan(self) -> None:
        assert math.isnan(table(value=[0.0]).share(["year"], of=()).loc[0, "share"])

    def test_bad_input(self) -> None:
        t = table(value=[1.0])
        with pytest.raises(ValidationError, match="of: must leave some keys"):
            t.share(["year"], of=["year"])
        with pytest.raises(ValidationError, match="of: must be distinct keys of year"):
            t.share(["year"], of=["partner"])
        with pytest.raises(ValidationError, match="the selection is empty"):
            t.select(years=1999).share()


# -- unit value -------------------------------------------------------------------------------------


class TestUnitValue:
    def test_value_per_tonne_over_rows_stating_both(self) -> None:
        t = table(
            flow=["X"] * 3, hs=["10"] * 3, value=[300.0, 100.0, 50.0], mass=[2.0, 2.0, np.nan], mass_unit=["t"] * 3
        )
        result = t.unit_value(per="t")
        assert result[["value", "mass", "unit_value", "rows"]].to_numpy().tolist() == [[400.0, 4.0, 100.0, 2]]
        assert result.attrs["units"] == {"value": "USD", "mass": "metric_ton", "unit_value": "USD/metric_ton"}
        assert t.unit_value()["unit_value"].tolist() == [0.1]  # per kg

    def test_estimated_weights_are_flagged_or_excluded(self) -> None:
        frame = pd.DataFrame({"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X"] * 2, "year": [2005] * 2})
        frame["hs"], frame["value"], frame["currency"] = ["10", "10"], [300.0, 100.0], ["USD"] * 2
        frame["mass"], frame["mass_estimated"] = [2.0, 8.0], pd.array([False, True], dtype="boolean")
        t = TradeTable.from_frame(frame)
        flagged = t.unit_value()
        assert flagged["estimated_rows"].tolist() == [1]
        assert flagged["unit_value"].tolist() == [40.0]
        excluded = t.unit_value(estimated="exclude")
        assert "estimated_rows" not in excluded
        assert excluded["unit_value"].tolist() == [150.0]

    def test_per_quantity_unit(self) -> None:
        t = table(value=[10.0, 30.0], qty=[1.0, 3.0], qty_unit_code=[5, 5])
        result = t.unit_value(["year"], per="qty")
        assert result["unit_value"].tolist() == [10.0]
        assert result.attrs["units"]["unit_value"] == "USD/qty unit 5"

    def test_mixed_quantity_units_are_refused(self) -> None:
        t = table(value=[10.0, 30.0], qty=[1.0, 3.0], qty_unit_code=[5, 8])
        with pytest.raises(ValidationError, match=r"qty_unit_code: mixes quantity units.*\[5, 8\]"):
            t.unit_value(per="qty")

    def test_bad_input(self) -> None:
        t = table(value=[10.0], mass=[1.0])
        with pytest.raises(NkruError, match="must be a unit of mass"):
            t.unit_value(per="USD")
        with pytest.raises(ValidationError, match="estimated"):
            t.unit_value(estimated="keep")
        with pytest.raises(ValidationError, match="the selection is empty"):
            table(value=[10.0]).unit_value()


# -- growth and top -------------------------------------------------------------------------------


class TestGrowth:
    def test_percent_change_from_the_year_before(self) -> None:
        t = table(year=[2003, 2004, 2006], value=[80.0, 100.0, 50.0])
        result = t.percent_change()
        assert result["year"].tolist() == [2003, 2004, 2006]
        assert result["percent_change"].tolist()[1] == 25.0
        assert math.isnan(result["percent_change"].tolist()[0])
        assert math.isnan(result["percent_change"].tolist()[2])  # 2005 is missing: no change to state

    def test_cagr_per_group(self) -> None:
        t = table(flow=["X", "X", "M", "M"], year=[2003, 2005, 2003, 2005], value=[100.0, 121.0, 50.0, 50.0])
        result = t.cagr()
        assert result["flow"].tolist() == ["export", "import"]
        assert result["cagr"].round(12).tolist() == [10.0, 0.0]
        assert result["years"].tolist() == [2, 2]

    def test_cagr_between_given_years(self) -> None:
        t = table(year=[2003, 2004, 2005], value=[100.0, 200.0, 400.0])
        assert t.cagr(first=2004, last=2005)["cagr"].tolist() == [100.0]
        with pytest.raises(ValidationError, match="first, last"):
            t.cagr(first=2005, last=2004)
        with pytest.raises(ValidationError, match="no group states a value in both years"):
            t.cagr(first=2001, last=2005)


def monthly_table(months: dict[int, list[int]], value: float = 10.0) -> TradeTable:
    """Export rows of ``value`` for the given months of each year."""
    years = [year for year, of_year in months.items() for _month in of_year]
    return table(year=years, month=[m for of_year in months.values() for m in of_year], value=[value] * len(years))


class TestGrowthOverWholeYears:
    def test_a_partial_year_is_not_compared_with_a_whole_one(self) -> None:
        t = monthly_table({2005: [1, 2, 3], 2006: list(range(1, 13))})
        result = t.percent_change()
        assert result["value"].tolist() == [30.0, 120.0]
        assert result["months"].tolist() == [3, 12]
        assert result["previous"].isna().all()  # 2005 is not whole: no year before 2006 to compare with
        assert result["percent_change"].isna().all()  # not 300%
        with pytest.raises(ValidationError, match=r"no group states a value in both years \(partial years"):
            t.cagr()

    def test_twelve_months_make_a_year(self) -> None:
        t = monthly_table({2004: list(range(1, 13)), 2005: list(range(1, 13)), 2006: list(range(1, 12))})
        result = t.percent_change()
        assert result["months"].tolist() == [12, 12, 11]
        assert result["percent_change"].tolist()[1] == 0.0
        assert math.isnan(result["percent_change"].tolist()[2])
        assert result["previous"].tolist()[1:] == [120.0, 120.0]
        cagr = t.cagr()  # the last whole year is 2005, not the eleven months of 2006
        assert (cagr["first_year"].tolist(), cagr["last_year"].tolist(), cagr["cagr"].tolist()) == (
            [2004],
            [2005],
            [0.0],
        )
        with pytest.raises(ValidationError, match="no group states a value in both years"):
            t.cagr(first=2004, last=2006)

    def test_a_month_without_a_value_leaves_its_year_partial(self) -> None:
        values = [10.0] * 24
        values[13] = math.nan  # February 2006 states no value
        t = table(year=[2005] * 12 + [2006] * 12, month=list(range(1, 13)) * 2, value=values)
        assert t.percent_change()["months"].tolist() == [12, 11]
        assert math.isnan(t.percent_change()["percent_change"].tolist()[1])

    def test_months_apart_compare_each_month_with_a_year_before(self) -> None:
        t = table(year=[2005, 2006, 2005], month=[3, 3, 4], value=[10.0, 15.0, 1.0])
        result = t.percent_change(["month"])
        assert result["percent_change"].tolist()[1] == 50.0

    def test_annual_rows_are_whole_years(self) -> None:
        assert table(year=[2005, 2006], value=[10.0, 30.0]).percent_change()["months"].tolist() == [12, 12]


def flow_of(period: Period, value: float, flow: Flow = Flow.EXPORT, index: int = 0) -> TradeFlow:
    return TradeFlow(
        id=f"f{index}",
        reporter=Country("RUS"),
        partner=Country("PRK"),
        flow=flow,
        period=period,
        amount=Measure(money(value, "USD")),
    )


class TestRecordsGrowthOverWholeYears:
    def test_seed_totals(self) -> None:
        flows = [r for r in nkru.load_seed_dataset().trade_flows if r.commodity is None]
        assert any(not isinstance(nkru.aggregate.GROUP_KEYS["year"](r), int) for r in flows)  # partial periods
        whole = [r for r in flows if isinstance(nkru.aggregate.GROUP_KEYS["year"](r), int)]
        changes = group_percent_change(flows)
        assert changes  # the whole years still compare
        assert all(isinstance(key[-1], int) for key in changes)
        assert changes == group_percent_change(whole)
        assert group_cagr(flows) == group_cagr(whole)

    def test_a_partial_year_is_left_out(self) -> None:
        flows = [flow_of(Period.year(2004), 100), flow_of(Period.months(2005, 1, 9), 90, index=1)]
        assert group_percent_change(flows) == {}  # not -10%
        with pytest.raises(ValidationError, match=r"records: .*none covers one whole calendar year.*\['f1'\]"):
            group_percent_change(flows[1:])
        overlapping = [flows[1], flow_of(Period.quarter(2005, 1), 30, index=9), flows[0]]
        assert (
            group_percent_change(overlapping) == {}
        )  # partial records take no part, not even in the double-count check
        with pytest.raises(ValidationError, match=r"no group states a value in both years \(partial years"):
            group_cagr(flows)
        flows.append(flow_of(Period.year(2006), 125, index=2))
        flows.append(flow_of(Period.year(2005), 110, index=3))
        changes = group_percent_change(flows)
        assert {key: round(m.value.magnitude, 9) for key, m in changes.items()} == {
            (Flow.EXPORT, 2005): 10.0,
            (Flow.EXPORT, 2006): round(125 / 110 * 100 - 100, 9),
        }
        assert group_cagr(flows)[Flow.EXPORT].value.magnitude == pytest.approx(11.803398875)


class TestGrowthTwinsRefuseAlike:
    flows: ClassVar = [flow_of(Period.year(2005), 100), flow_of(Period.year(2007), 121, index=1)]

    @pytest.mark.parametrize(
        "options",
        [{"first": 2007, "last": 2005}, {"first": "2005"}, {"last": 2005.0}, {"first": True}, {"first": 2004}],
    )
    def test_cagr(self, options: dict[str, Any]) -> None:
        with pytest.raises(ValidationError) as on_table:
            TradeTable.from_records(self.flows).cagr(["flow"], **options)
        with pytest.raises(ValidationError) as on_records:
            group_cagr(self.flows, ["flow"], **options)
        assert str(on_records.value) == str(on_table.value)

    def test_balance_refuses_flow_as_a_key(self) -> None:
        with pytest.raises(ValidationError, match="by: must be distinct keys of year"):
            TradeTable.from_records(self.flows).balance(["flow"])
        for key in ("flow", ["year", "flow"]):
            with pytest.raises(ValidationError, match="key: must be distinct names of year, commodity"):
                group_balance(self.flows, key)  # type: ignore[arg-type]

    def test_keys_are_shaped_as_group_total_shapes_them(self) -> None:
        flows = [*self.flows, flow_of(Period.year(2005), 40, Flow.IMPORT, 2)]
        assert list(group_cagr(self.flows)) == [Flow.EXPORT]
        assert list(group_cagr(self.flows, "flow")) == list(nkru.group_total(self.flows, "flow"))
        assert list(group_cagr(self.flows, ["flow"])) == [(Flow.EXPORT,)]
        assert list(group_balance(flows, "year")) == [2005]
        assert list(group_balance(flows, ["year"])) == [(2005,)]
        assert list(group_percent_change(self.flows, "flow")) == []  # 2006 is missing: no year-over-year change


class TestTop:
    def test_largest_partners_within_each_year(self) -> None:
        t = table(
            reporter=["CHN", "RUS", "THA", "CHN", "RUS"],
            year=[2005, 2005, 2005, 2006, 2006],
            value=[9.0, 2.0, 5.0, 1.0, 4.0],
        )
        result = t.top(2, by="reporter", within=["year"])
        assert list(zip(result["year"], result["reporter"], result["rank"], strict=True)) == [
            (2005, "CHN", 1),
            (2005, "THA", 2),
            (2006, "RUS", 1),
            (2006, "CHN", 2),
        ]

    def test_bad_n(self) -> None:
        with pytest.raises(ValidationError, match="n: must be a whole number"):
            table(value=[1.0]).top(0)
        with pytest.raises(ValidationError, match="within"):
            table(value=[1.0]).top(1, by="partner", within=["partner"])


# -- mirror -----------------------------------------------------------------------------------------


def mirror_table() -> TradeTable:
    return table(
        reporter=["RUS", "CHN", "CHN", "RUS", "PRK", "THA"],
        partner=["PRK", "PRK", "PRK", "JPN", "RUS", "PRK"],
        flow=["X", "M", "RX", "X", "X", "M"],
        value=[100.0, 106.0, 50.0, 7.0, 9.0, 53.0],
        mass=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    )


class TestMirror:
    def test_partner_reports_become_the_partners_trade(self) -> None:
        frame = mirror_table().mirror("PRK").to_frame()
        assert frame["reporter"].astype(str).tolist() == ["PRK", "PRK", "PRK"]
        assert frame["partner"].astype(str).tolist() == ["RUS", "CHN", "THA"]
        assert frame["flow"].astype(str).tolist() == ["import", "export", "export"]
        assert frame["value"].tolist() == [100.0, 106.0, 53.0]
        assert frame["mass"].tolist() == [1.0, 2.0, 6.0]
        assert frame["mirrored"].tolist() == [True, True, True]

    def test_cif_fob_states_imports_fob(self) -> None:
        frame = mirror_table().mirror("PRK", cif_fob=1.06).to_frame()
        assert frame["value"].tolist() == [100.0, 106.0 / 1.06, 53.0 / 1.06]

    def test_the_mirrored_column_is_kept_by_frames_and_parquet(self, tmp_path: Path) -> None:
        mirrored = mirror_table().mirror("PRK")
        again = TradeTable.from_frame(mirrored.to_frame())
        pd.testing.assert_frame_equal(again.to_frame(), mirrored.to_frame())
        pytest.importorskip("pyarrow")
        mirrored.to_parquet(tmp_path / "m.parquet")
        read = TradeTable.read_parquet(tmp_path / "m.parquet").to_frame()
        assert read["mirrored"].tolist() == [True, True, True]
        pd.testing.assert_frame_equal(read, mirrored.to_frame())
        joined = TradeTable.concat([mirror_table(), mirrored]).to_frame()
        assert joined["mirrored"].isna().sum() == 6
        assert joined["mirrored"].sum() == 3

    def test_the_partner_kinds_swap_with_the_codes(self) -> None:
        t = table(reporter=["S19"], flow=["M"], value=[5.0])
        frame = t.mirror("PRK").to_frame()
        assert (frame.loc[0, "reporter"], frame.loc[0, "partner"]) == ("PRK", "S19")
        assert (frame.loc[0, "reporter_kind"], frame.loc[0, "partner_kind"]) == ("country", "nes")

    def test_bad_input(self) -> None:
        t = mirror_table()
        with pytest.raises(ValidationError, match=r"of: is the partner of no row.*got 'KOR'"):
            t.mirror("KOR")
        with pytest.raises(ValidationError, match="is a world area"):
            table(partner=["W00"], value=[1.0]).mirror("W00")
        with pytest.raises(ValidationError, match="cif_fob: must be at least 1"):
            t.mirror("PRK", cif_fob=0.9)
        with pytest.raises(ValidationError, match="cif_fob"):
            t.mirror("PRK", cif_fob=float("nan"))
        with pytest.raises(ValidationError, match="of: must be a country code"):
            t.mirror(408)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="no export or import row"):
            table(flow=["RX"], value=[1.0]).mirror("PRK")
        with pytest.raises(ValidationError, match="already mirrored"):
            TradeTable.concat([t, t.mirror("PRK")]).mirror("RUS")


# -- reconcile --------------------------------------------------------------------------------------


class TestReconcile:
    def test_both_directions_side_by_side(self) -> None:
        t = table(
            reporter=["RUS", "CHN", "CHN", "RUS", "RUS"],
            partner=["CHN", "RUS", "RUS", "CHN", "PRK"],
            flow=["X", "M", "X", "M", "X"],
            year=[2005] * 5,
            value=[100.0, 112.36, 50.0, 60.0, 1.0],
        )
        result = reconcile(t, "RUS", "CHN", cif_fob=1.06)
        assert result[["exporter", "importer"]].to_numpy().tolist() == [["RUS", "CHN"], ["CHN", "RUS"]]
        assert result["exports"].tolist() == [100.0, 50.0]
        assert result["imports"].tolist() == [112.36, 60.0]
        assert result["gap"].round(9).tolist() == [12.36, 10.0]
        assert result["gap_percent"].round(9).tolist() == [12.36, 20.0]
        assert result["adjusted_gap"].tolist() == [112.36 / 1.06 - 100.0, 60.0 / 1.06 - 50.0]
        assert result["adjusted_percent"].tolist() == [(112.36 / 1.06 - 100.0), (60.0 / 1.06 - 50.0) * 2]
        assert result.attrs["units"]["gap"] == "USD"

    def test_one_sided_reports_leave_the_other_side_nan(self) -> None:
        t = table(reporter=["RUS"], partner=["PRK"], flow=["X"], value=[5.0])
        result = reconcile(t, "PRK", "RUS")
        assert result[["exporter", "importer"]].to_numpy().tolist() == [["RUS", "PRK"]]
        assert math.isnan(result.loc[0, "imports"])
        assert math.isnan(result.loc[0, "gap"])

    def test_bad_input(self) -> None:
        t = table(reporter=["RUS"], partner=["PRK"], flow=["X"], value=[5.0])
        with pytest.raises(ValidationError, match=r"b: is neither a reporter nor a partner.*got 'CHN'"):
            reconcile(t, "RUS", "CHN")
        with pytest.raises(ValidationError, match="b: must be another party"):
            reconcile(t, "RUS", "RUS")
        with pytest.raises(ValidationError, match="cif_fob"):
            reconcile(t, "RUS", "PRK", cif_fob=0.5)
        with pytest.raises(ValidationError, match="table: must be a TradeTable"):
            reconcile(t.to_frame(), "RUS", "PRK")  # type: ignore[arg-type]
        two = table(reporter=["RUS", "CHN"], partner=["JPN", "PRK"], flow=["X", "X"], value=[5.0, 1.0])
        with pytest.raises(ValidationError, match="the selection is empty"):
            reconcile(two, "RUS", "CHN")
        frame = pd.DataFrame({"reporter": ["RUS", "PRK"], "partner": ["PRK", "RUS"], "flow": ["X", "M"]})
        frame["year"], frame["value"], frame["currency"] = [2005] * 2, [1.0, 2.0], ["USD", "EUR"]
        with pytest.raises(CurrencyMismatchError):
            reconcile(TradeTable.from_frame(frame), "RUS", "PRK")

    def test_mirrored_rows_are_no_party_s_report(self) -> None:
        # A table with the DPRK's mirror holds "PRK imports 100 from RUS", built from Russia's
        # own exports: setting it against them showed a gap of 0 where the DPRK reports nothing.
        t = table(reporter=["RUS", "CHN"], partner=["PRK", "PRK"], flow=["X", "M"], value=[100.0, 40.0])
        both = TradeTable.concat([t, t.mirror("PRK")])
        result = reconcile(both, "RUS", "PRK")
        assert result[["exporter", "importer"]].to_numpy().tolist() == [["RUS", "PRK"]]
        assert result["exports"].tolist() == [100.0]
        assert math.isnan(result.loc[0, "imports"])
        assert math.isnan(result.loc[0, "gap"])
        mirrored_only = t.mirror("PRK")
        with pytest.raises(ValidationError, match="2 mirrored rows are left out"):
            reconcile(mirrored_only, "RUS", "PRK")

    def test_top_level_name(self) -> None:
        assert nkru.reconcile is reconcile


# -- the table agrees with its twins over records -----------------------------------------------------

PARTNERS = ("PRK", "JPN", "CHN")
CHAPTERS = ("10", "27", "44")


def partial_periods(year: int) -> st.SearchStrategy[Period]:
    """Periods of ``year`` that are not the whole calendar year: months, a quarter, an approximate year."""
    return st.one_of(
        st.integers(min_value=2, max_value=11).map(lambda last: Period.months(year, 1, last)),
        st.integers(min_value=1, max_value=4).map(lambda quarter: Period.quarter(year, quarter)),
        st.just(attrs.evolve(Period.year(year), approximate=True)),
    )


@st.composite
def analytic_flows(draw: st.DrawFn, *, partial: bool = False) -> list[TradeFlow]:
    """Exact annual trade flows in US dollars, all at the chapter level: what both engines sum alike.

    With ``partial``, some flows cover part of a year (or an approximate
    one): the table leaves them out and the growth twins must too.
    """
    size = draw(st.integers(min_value=1, max_value=14))
    flows = []
    for index in range(size):
        chapter = draw(st.sampled_from(CHAPTERS))
        mass = draw(st.none() | st.integers(min_value=1, max_value=10**6))
        year = draw(st.integers(min_value=2003, max_value=2006))
        whole = not partial or draw(st.booleans())
        flows.append(
            TradeFlow(
                id=f"f{index}",
                reporter=Country("RUS"),
                partner=Country(draw(st.sampled_from(PARTNERS))),
                flow=draw(st.sampled_from([Flow.EXPORT, Flow.IMPORT])),
                period=Period.year(year) if whole else draw(partial_periods(year)),
                commodity=Commodity(f"HS {chapter}", chapter),
                amount=Measure(money(draw(st.integers(min_value=1, max_value=10**9)), "USD")),
                mass=None if mass is None else Measure(quantity(mass, "kg")),
            )
        )
    return flows


#: Each example builds a table and sums it twice over: a fifth of the profile's examples.
fewer = settings(max_examples=max(10, settings().max_examples // 5))


def table_of(flows: list[TradeFlow]) -> TradeTable:
    """The table of ``flows``; it leaves out (and warns of) those not over a calendar year or month."""
    if all(flow.period == Period.year(flow.period.start.year) for flow in flows):
        return TradeTable.from_records(flows)
    with pytest.warns(UserWarning, match="over a period that is not a calendar year or month"):
        return TradeTable.from_records(flows)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def as_key(value: Any) -> Any:
    """A record group key part as the table writes it."""
    if isinstance(value, Flow):
        return value.value
    if isinstance(value, Country):
        return value.code
    return value


def table_rows(frame: pd.DataFrame, keys: list[str], column: str) -> dict[Hashable, float]:
    return {
        tuple(as_key(getattr(row, key)) for key in keys): float(getattr(row, column))
        for row in frame.itertuples()
        if not math.isnan(getattr(row, column))
    }


def twin_rows(result: dict[Hashable, Measure]) -> dict[Hashable, float]:
    def key(group: Hashable) -> tuple[Any, ...]:
        parts = group if isinstance(group, tuple) else (group,)
        return tuple(as_key(part) for part in parts)

    return {key(group): float(measure.point.magnitude) for group, measure in result.items()}


def assert_agree(table_side: dict[Hashable, float], twin_side: dict[Hashable, float]) -> None:
    assert table_side.keys() == twin_side.keys()
    for key, value in table_side.items():
        assert close(value, twin_side[key]), (key, value, twin_side[key])


class TestTwins:
    @fewer
    @given(analytic_flows())
    def test_balance(self, flows: list[TradeFlow]) -> None:
        t = TradeTable.from_records(flows)
        for missing in ("nan", "zero"):
            result = t.balance(["year", "partner"], missing=missing)
            twin = group_balance(flows, ["year", "partner"], missing=missing)
            assert_agree(table_rows(result, ["year", "partner"], "balance"), twin_rows(twin))
            assert all(m.status is ObsStatus.DERIVED for m in twin.values())

    @fewer
    @given(analytic_flows())
    def test_share(self, flows: list[TradeFlow]) -> None:
        t = TradeTable.from_records(flows)
        keys = ["year", "flow", "chapter"]
        assert_agree(table_rows(t.share(keys, of=["year", "flow"]), keys, "share"), twin_rows(group_share(flows)))
        result = t.share(["partner"], of=())
        assert_agree(table_rows(result, ["partner"], "share"), twin_rows(group_share(flows, ["partner"], of=())))

    @fewer
    @given(analytic_flows())
    def test_unit_value(self, flows: list[TradeFlow]) -> None:
        if not any(flow.mass is not None for flow in flows):
            with pytest.raises(ValidationError, match="the selection is empty"):
                TradeTable.from_records(flows).unit_value()
            with pytest.raises(ValidationError, match="the selection is empty"):
                group_unit_value(flows)
            return
        result = TradeTable.from_records(flows).unit_value(per="t")
        twin = group_unit_value(flows, ["year", "flow", "chapter"], per="t")
        assert_agree(table_rows(result, ["year", "flow", "chapter"], "unit_value"), twin_rows(twin))

    @fewer
    @given(analytic_flows(partial=True))
    def test_percent_change(self, flows: list[TradeFlow]) -> None:
        t = table_of(flows)
        if len(t) == 0:  # every flow is partial: both refuse
            with pytest.raises(ValidationError, match="none covers one whole calendar year"):
                group_percent_change(flows, ["flow", "partner"])
            with pytest.raises(ValidationError, match="has no rows to compute from"):
                t.percent_change(["flow", "partner"])
            return
        result = t.percent_change(["flow", "partner"])
        twin = group_percent_change(flows, ["flow", "partner"])
        assert_agree(table_rows(result, ["flow", "partner", "year"], "percent_change"), twin_rows(twin))

    @fewer
    @given(analytic_flows(partial=True))
    def test_cagr(self, flows: list[TradeFlow]) -> None:
        t = table_of(flows)
        years: dict[Flow, set[int]] = {}
        for flow in flows:
            if flow.period == Period.year(flow.period.start.year):
                years.setdefault(flow.flow, set()).add(flow.period.start.year)
        if not years:  # every flow is partial: both refuse
            with pytest.raises(ValidationError, match="none covers one whole calendar year"):
                group_cagr(flows, ["flow"])
            with pytest.raises(ValidationError, match="has no rows to compute from"):
                t.cagr(["flow"])
            return
        if not any(len(of_flow) > 1 for of_flow in years.values()):  # no flow with two whole years
            with pytest.raises(ValidationError, match="no group states a value in both years") as on_records:
                group_cagr(flows, ["flow"])
            with pytest.raises(ValidationError) as on_table:
                t.cagr(["flow"])
            assert str(on_table.value) == str(on_records.value)
            return
        assert_agree(table_rows(t.cagr(["flow"]), ["flow"], "cagr"), twin_rows(group_cagr(flows, ["flow"])))

    @fewer
    @given(analytic_flows(), st.integers(min_value=1, max_value=3))
    def test_top(self, flows: list[TradeFlow], n: int) -> None:
        result = TradeTable.from_records(flows).top(n, by=["partner"])
        twin = top(flows, n, "partner")
        assert [float(v) for v in result["value"]] == [float(m.point.magnitude) for _k, m in twin]
        # Ties may rank apart (keys order in one, first seen in the other), also across the cut at n.
        values = [float(m.point.magnitude) for _k, m in top(flows, len(PARTNERS), "partner")]
        if len(set(values)) == len(values):
            assert result["partner"].astype(str).tolist() == [country.code for country, _m in twin]

    def test_twins_refuse_what_the_table_refuses(self) -> None:
        parts = [
            TradeFlow(
                id=f"f{i}",
                reporter=Country("RUS"),
                partner=Country("PRK"),
                flow=Flow.EXPORT,
                period=Period.year(2005),
                commodity=commodity,
                amount=Measure(money(v, "USD")),
            )
            for i, (commodity, v) in enumerate([(None, 10), (Commodity("HS 27", "27"), 4)])
        ]
        with pytest.raises(DoubleCountError):
            TradeTable.from_records(parts).share(["year"], of=())
        with pytest.raises(DoubleCountError):
            group_share(parts, ["year", "flow"], of=["year"])

    def test_twins_keep_qualifiers(self) -> None:
        from nkru.measures import Qualifier  # noqa: PLC0415 - only this test needs it

        flows = [
            TradeFlow(
                id=f"f{i}",
                reporter=Country("RUS"),
                partner=Country("PRK"),
                flow=flow,
                period=Period.year(2005),
                amount=amount,
            )
            for i, (flow, amount) in enumerate(
                [
                    (Flow.EXPORT, Measure(money(10, "USD"), Qualifier.AT_MOST)),
                    (Flow.IMPORT, Measure(money(4, "USD"))),
                ]
            )
        ]
        balance = group_balance(flows)[2005]
        assert (balance.qualifier, balance.value) == (Qualifier.AT_MOST, money(6.0, "USD"))
        flows[1] = attrs.evolve(flows[1], amount=Measure(money(4, "USD"), Qualifier.AT_MOST))
        with pytest.raises(ValidationError, match="unbounded on both sides"):
            group_balance(flows)  # at most 10 minus at most 4 may be anything


# -- the shared Classic file, against pandas by hand ---------------------------------------------------


def classic() -> pd.DataFrame:
    """The Classic file as pandas reads it, with the reporter's code as nkru writes it (490 is S19)."""
    raw = pd.read_csv(CLASSIC, encoding="utf-8", dtype={"Reporter ISO": str, "Partner ISO": str})
    raw["reporter"] = raw["Reporter ISO"].where(raw["Reporter Code"] != 490, "S19")
    return raw


@needs_shared
class TestClassicFile:
    def test_mirror_agrees_with_pandas(self) -> None:
        raw = classic()
        rows = raw[(raw["Partner ISO"] == "PRK") & raw["Trade Flow Code"].isin([1, 2])].copy()
        rows["flow"] = rows["Trade Flow Code"].map({1: "export", 2: "import"})  # the DPRK's flow
        rows["value"] = np.where(
            rows["Trade Flow Code"] == 1, rows["Trade Value (US$)"] / 1.06, rows["Trade Value (US$)"]
        )
        expected = rows.groupby(["Year", "flow", "reporter"])["value"].sum()
        mirrored = nkru.read_comtrade(CLASSIC).mirror("PRK", cif_fob=1.06)
        assert len(mirrored) == len(rows) == 1161
        sums = mirrored.group_sum(["year", "flow", "partner"])
        got = sums.assign(flow=sums["flow"].astype(str), partner=sums["partner"].astype(str))
        got = got.set_index(["year", "flow", "partner"])["value"]
        assert len(got) == len(expected)
        for (year, flow, partner), value in expected.items():
            assert math.isclose(got[(year, flow, partner)], value, rel_tol=1e-12), (year, flow, partner)
        totals = mirrored.group_sum(["year", "flow"])
        by_year = rows.groupby(["Year", "flow"])["value"].sum()
        assert np.allclose(totals["value"].to_numpy(), by_year.to_numpy(), rtol=1e-12)

    @pytest.mark.parametrize(("a", "b"), [("KOR", "JPN"), ("USA", "KOR"), ("JPN", "USA"), ("CHN", "KOR")])
    def test_reconcile_agrees_with_pandas(self, a: str, b: str) -> None:
        raw = classic()
        result = reconcile(nkru.read_comtrade(CLASSIC), a, b, cif_fob=1.06)
        for exporter, importer in ((a, b), (b, a)):
            side = result[(result["exporter"] == exporter) & (result["importer"] == importer)].set_index("year")

            def reported(reporter: str, partner: str, code: int) -> pd.Series[float]:
                rows = raw[(raw["reporter"] == reporter) & (raw["Partner ISO"] == partner)]
                return rows[rows["Trade Flow Code"] == code].groupby("Year")["Trade Value (US$)"].sum()

            exports, imports = reported(exporter, importer, 2), reported(importer, exporter, 1)
            years = sorted(set(exports.index) | set(imports.index))
            assert side.index.tolist() == years
            assert side["hs"].isna().all()  # all goods
            for year in years:
                x, m = float(exports.get(year, np.nan)), float(imports.get(year, np.nan))
                row = side.loc[year]
                assert np.allclose([row["exports"], row["imports"]], [x, m], rtol=0, equal_nan=True)
                assert np.allclose(row["gap"], m - x, equal_nan=True)
                assert np.allclose(row["adjusted_gap"], m / 1.06 - x, equal_nan=True)
                assert np.allclose(row["gap_percent"], (m - x) / x * 100, equal_nan=True)


class TestMirroredBesideReported:
    def test_a_sum_over_a_flow_and_its_mirror_is_refused(self) -> None:
        t = mirror_table()
        both = TradeTable.concat([t, t.mirror("PRK")])
        with pytest.raises(DoubleCountError, match=r"mirrored rows to reported rows.*select\(mirrored=False\)"):
            both.group_sum(["year"])
        with pytest.raises(DoubleCountError, match="mirrored rows"):
            both.share(["year"], of=())
        assert both.select(mirrored=True).group_sum(["year"])["value"].tolist() == [100.0 + 106.0 + 53.0]
        assert both.select(mirrored=False).group_sum(["year"])["value"].tolist() == [t.group_sum(["year"])["value"][0]]
        by_flow = both.group_sum(["flow"])  # a flow and its mirror are of opposite flows: apart
        assert by_flow["rows"].sum() == len(both)

    def test_bad_option(self) -> None:
        with pytest.raises(ValidationError, match="mirrored: must be True or False"):
            mirror_table().select(mirrored="yes")  # type: ignore[arg-type]


class TestTwinsRefuseBadInput:
    def flows(self) -> list[TradeFlow]:
        return [
            TradeFlow(
                id="f0",
                reporter=Country("RUS"),
                partner=Country("PRK"),
                flow=Flow.EXPORT,
                period=Period.year(2005),
                amount=Measure(money(5, "USD")),
                mass=Measure(quantity(1, "t")),
            )
        ]

    def test_wrong_units(self) -> None:
        with pytest.raises(NkruError, match="'USD'"):
            group_unit_value(self.flows(), per="USD")

    def test_bad_keys(self) -> None:
        with pytest.raises(ValidationError, match="of: must be some of the key's names"):
            group_share(self.flows(), ["year"], of=["partner"])
        with pytest.raises(ValidationError, match="key: must be distinct names of year"):
            group_share(self.flows(), ["decade"], of=())
        with pytest.raises(ValidationError, match="key: must be distinct names of flow, commodity"):
            group_cagr(self.flows(), ["year"])
        with pytest.raises(ValidationError, match="n: must be a whole number"):
            top(self.flows(), 0)
        with pytest.raises(ValidationError, match="missing"):
            group_balance(self.flows(), missing="skip")  # type: ignore[arg-type]

    def test_empty_selections(self) -> None:
        for call in (
            lambda: group_balance([]),
            lambda: group_share([]),
            lambda: group_unit_value([]),
            lambda: group_percent_change([]),
            lambda: group_cagr([]),
        ):
            with pytest.raises(ValidationError, match="the selection is empty"):
                call()

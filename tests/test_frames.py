"""Records as DataFrames and back, the dataset's selection and series, and tables built from any records."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings

import nkru
from nkru.commodities import Commodity
from nkru.dataset import Dataset
from nkru.errors import NkruError, ParseError, ValidationError
from nkru.io.frames import FRAME_COLUMNS, RECORD_KINDS, records_from_frame, records_to_frame
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period
from nkru.records import Flow, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.strategies import datasets, events, shipments, trade_flows
from nkru.table import TradeTable
from nkru.units import money

fewer = settings(max_examples=max(10, settings().max_examples // 5))

SEED = load_seed_dataset()


def flow(record_id: str, amount: float | None, period: Period, **fields: Any) -> TradeFlow:
    fields.setdefault("reporter", Country("RUS"))
    fields.setdefault("partner", Country("PRK"))
    fields.setdefault("flow", Flow.EXPORT)
    measure = None if amount is None else Measure(money(amount, "USD"))
    return TradeFlow(id=record_id, period=period, amount=measure, **fields)


class TestRecordsToFrame:
    def test_one_row_per_record_with_the_documented_columns_first(self) -> None:
        frame = records_to_frame(tuple(SEED))
        assert len(frame) == len(SEED) == 75
        assert tuple(frame.columns[: len(FRAME_COLUMNS)]) == FRAME_COLUMNS
        assert frame["kind"].value_counts().to_dict() == {"event": 24, "trade_flow": 23, "claim": 18, "shipment": 10}

    def test_a_partial_period_and_its_figure(self) -> None:
        frame = SEED.to_frame("trade_flow").set_index("id")
        row = frame.loc["tf.exports.2005-jan-sep"]
        assert (row["reporter"], row["partner"], row["flow"]) == ("RUS", "PRK", "export")
        assert (row["period"], row["period_precision"], row["period_approximate"]) == (
            "2005-01/2005-09",
            "months",
            False,
        )
        assert row["period_start"] == pd.Timestamp("2005-01-01")
        assert row["period_end"] == pd.Timestamp("2005-09-30")
        assert row["coverage"] == 273 / 365
        assert (row["value"], row["unit"], row["qualifier"], row["status"]) == (168.7e6, "USD", "exact", "reported")
        assert row["resolution"] == 1e5
        assert math.isnan(row["lower"])
        assert math.isnan(row["upper"])
        assert row["quotes"] == (
            "The value of Russian exports for the first nine months of 2005 reached US$168.7 million",
        )

    def test_shares_counts_commodities_and_inferred_fields(self) -> None:
        frame = SEED.to_frame("trade_flow").set_index("id")
        oil = frame.loc["tf.exports.oil-products.2005-jan-sep"]
        assert (oil["commodity"], oil["hs"], oil["share"], oil["share_unit"]) == (
            "oil products",
            "2710",
            63.0,
            "percent",
        )
        assert math.isnan(oil["value"])
        assert pd.isna(oil["unit"])
        assert frame.loc["tf.turnover.late-1980s", "period_approximate"]
        assert frame.loc["tf.turnover.late-1980s", "coverage"] == 1.0
        flows_with_inferred = {r.id: r.inferred for r in SEED.trade_flows if r.inferred}
        assert {i: frame.loc[i, "inferred"] for i in flows_with_inferred} == flows_with_inferred

    def test_units_are_column_metadata(self) -> None:
        units = SEED.to_frame().attrs["units"]
        assert units["value"] == units["lower"] == units["upper"] == "unit"
        assert units["mass"] == "mass_unit"
        assert units["share"] == "share_unit"
        assert units["stated"] == "stated_unit"

    def test_kinds(self) -> None:
        assert set(SEED.to_frame("claim")["kind"]) == {"claim"}
        assert len(SEED.to_frame(["event", "shipment"])) == 34
        assert "claim_kind" not in SEED.to_frame("event").columns
        assert list(RECORD_KINDS) == ["trade_flow", "shipment", "event", "claim"]
        with pytest.raises(
            ValidationError, match=r"kind: must be one of trade_flow, shipment, event, claim \(got 'flows'\)"
        ):
            SEED.to_frame("flows")

    def test_top_level_names(self) -> None:
        assert nkru.records_to_frame is records_to_frame
        assert nkru.records_from_frame is records_from_frame
        assert nkru.io.records_to_frame is records_to_frame  # type: ignore[attr-defined]

    def test_refuses_what_is_not_a_record(self) -> None:
        with pytest.raises(ValidationError, match=r"records\[1\]: must be a TradeFlow, Shipment, Event or Claim"):
            records_to_frame([SEED.trade_flows[0], Measure(money(1, "USD"))])  # type: ignore[list-item]

    def test_empty(self) -> None:
        frame = records_to_frame([])
        assert frame.empty
        assert "claim_kind" in frame.columns
        assert records_from_frame(frame) == ()


class TestRecordsFromFrame:
    def test_the_shipped_dataset_round_trips(self) -> None:
        records = tuple(SEED)
        assert records_from_frame(records_to_frame(records)) == records

    @fewer
    @given(datasets())
    def test_generated_datasets_round_trip(self, data: Dataset) -> None:
        records = tuple(data)
        back = records_from_frame(data.to_frame())
        assert back == records
        rebuilt = Dataset(
            trade_flows=tuple(r for r in back if isinstance(r, TradeFlow)),
            shipments=tuple(r for r in back if isinstance(r, nkru.Shipment)),
            events=tuple(r for r in back if isinstance(r, nkru.Event)),
            claims=tuple(r for r in back if isinstance(r, nkru.Claim)),
        )
        assert rebuilt == data

    @fewer
    @given(trade_flows(), shipments(), events())
    def test_one_kind_at_a_time_round_trips(self, one: TradeFlow, two: nkru.Shipment, three: nkru.Event) -> None:
        for record in (one, two, three):
            assert records_from_frame(records_to_frame([record])) == (record,)

    def test_derived_columns_are_not_needed(self) -> None:
        frame = SEED.to_frame("trade_flow").drop(columns=["period", "coverage", "quotes"])
        assert records_from_frame(frame) == SEED.trade_flows

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("unit", "dollars", r"row 1 \(id 'tf.turnover.late-1980s'\)\.unit: .*unknown unit 'dollars'"),
            ("qualifier", "roughly", r"row 1 \(id 'tf.turnover.late-1980s'\)\.qualifier: must be one of exact"),
            ("reporter", "XXX", r"row 1 \(id 'tf.turnover.late-1980s'\)\.reporter: is not an ISO 3166-1"),
            ("kind", "thing", r"row 1 \(id 'tf.turnover.late-1980s'\)\.kind: must be one of trade_flow"),
            (
                "period_precision",
                "sometime",
                r"row 1 \(id 'tf.turnover.late-1980s'\)\.period_precision: must be one of",
            ),
            ("resolution", -1.0, r"row 1 \(id 'tf.turnover.late-1980s'\)\.value: .*resolution"),
            ("period_start", "2005", r"row 1 \(id 'tf.turnover.late-1980s'\)\.period_start: must be a date"),
        ],
    )
    def test_a_bad_cell_is_named_by_row_id_and_column(self, column: str, value: object, message: str) -> None:
        frame = SEED.to_frame("trade_flow")
        frame[column] = frame[column].astype(object)
        frame.loc[1, column] = value
        with pytest.raises(NkruError, match=message) as info:
            records_from_frame(frame)
        assert isinstance(info.value, ValueError)

    def test_a_missing_column_is_named(self) -> None:
        with pytest.raises(ValidationError, match=r"the frame has no column 'mass_unit' for a TradeFlow"):
            records_from_frame(SEED.to_frame("trade_flow").drop(columns=["mass_unit"]))
        with pytest.raises(ValidationError, match="has no column 'kind'"):
            records_from_frame(pd.DataFrame({"id": ["x"]}))
        with pytest.raises(ValidationError, match="must be a pandas DataFrame"):
            records_from_frame([{"id": "x"}])  # type: ignore[arg-type]


class TestSelect:
    def test_during_a_year(self) -> None:
        assert [r.id for r in SEED.select(during=2005, flow="export")] == [
            "tf.exports.2005-jan-sep",
            "tf.exports.oil-products.2005-jan-sep",
            "tf.exports.ferrous-metal.2005-jan-sep",
            "tf.exports.machinery.2005-jan-sep",
            "tf.exports.grain.2005",
            "tf.exports.petroleum.2005-jan-mar",
        ]

    def test_during_against_overlapping(self) -> None:
        late_eighties = Period.years(1987, 1989)
        during = {r.id for r in SEED.select(during=late_eighties, kind="trade_flow")}
        overlapping = {r.id for r in SEED.select(overlapping=1988, kind="trade_flow")}
        assert during == {"tf.share.prk-sun.1988", "tf.turnover.late-1980s"}
        # the late 1980s meet 1988 but do not lie within it
        assert overlapping == {"tf.share.prk-sun.1988", "tf.turnover.late-1980s"}
        assert {r.id for r in SEED.select(during=1988, kind="trade_flow")} == {"tf.share.prk-sun.1988"}

    def test_a_day(self) -> None:
        day = dt.date(2005, 6, 1)
        chosen = SEED.select(overlapping=day, kind="trade_flow")
        assert all(r.period.start <= day <= r.period.end for r in chosen)  # type: ignore[union-attr]
        assert {r.id for r in chosen} == {r.id for r in SEED.trade_flows if r.period.start <= day <= r.period.end}
        assert len(chosen) == 7

    def test_status_reads_the_figures_an_event_states(self) -> None:
        # an event's figures are a tuple of Measures: select(status=...) looked only at Measure fields
        events = {r.id for r in SEED.select(status="reported", kind="event")}
        assert events == {e.id for e in SEED.events if any(m.status is ObsStatus.REPORTED for m in e.measures)}
        assert len(events) == 6
        event = SEED.events[0]
        guess = Measure(money(5e6, "USD"), status=ObsStatus.ESTIMATED)
        estimated = Dataset(events=(attrs.evolve(event, measures=(guess,)),))
        assert [r.id for r in estimated.select(status="estimated")] == [event.id]

    def test_parties_commodities_and_status(self) -> None:
        assert [r.id for r in SEED.select(reporter="SUN", flow=Flow.TURNOVER)] == [
            "tf.turnover.late-1980s",
            "tf.turnover.1990",
            "tf.turnover.1991",
        ]
        assert [r.id for r in SEED.select(reporter=Country("PRK"))] == ["tf.share.prk-sun.1988"]
        fuel = [r.id for r in SEED.select(commodity="27", kind="trade_flow")]
        assert fuel == [
            "tf.exports.fuel-oil.2002",
            "tf.exports.fuel-oil.2003",
            "tf.exports.oil-products.2005-jan-sep",
            "tf.exports.petroleum.2005-jan-mar",
            "tf.exports.petroleum.2006-jan-mar",
        ]
        assert [r.id for r in SEED.select(commodity="grains", kind="trade_flow")] == [
            *(f"tf.exports.grain.{y}" for y in range(2002, 2006)),
            "tf.exports.grain.2006-jan-mar",  # "food grains" in the text: one label per HS code
        ]
        assert [r.id for r in SEED.select(commodity=Commodity("oil products", "2710"))] == [
            "tf.exports.oil-products.2005-jan-sep",
            "tf.exports.petroleum.2005-jan-mar",  # "petroleum" in the text, HS 2710's one label in the data
            "tf.exports.petroleum.2006-jan-mar",
        ]
        estimated = SEED.select(status="estimated", kind="trade_flow")
        assert "tf.imports.2005-jan-sep" in {r.id for r in estimated}
        assert SEED.select(status=ObsStatus.FORECAST) == ()

    def test_nothing_is_an_empty_tuple(self) -> None:
        assert SEED.select(during=1950, kind="trade_flow") == ()

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"during": "2005"}, r"during: must be a year, a datetime.date or a Period \(got '2005'\)"),
            ({"overlapping": True}, "overlapping: must be a year"),
            ({"during": 12345}, r"during: is not a calendar date \(got 12345\)"),
            ({"flow": "exports"}, r"flow: must be one of export, import, turnover, re_export, re_import"),
            ({"reporter": "Atlantis"}, r"reporter: no country has this code or name \(got 'Atlantis'\)"),
            ({"partner": 408}, "partner: must be a Country or a country's code or name"),
            ({"commodity": ""}, "commodity: must be a Commodity, an HS code or a label"),
            ({"status": "guessed"}, "status: must be one of reported"),
            ({"kind": "record"}, "kind: must be one of"),
        ],
    )
    def test_bad_conditions(self, options: dict[str, Any], message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            SEED.select(**options)


class TestSeries:
    def test_the_turnover_series(self) -> None:
        series = SEED.series(flow="turnover", partner="PRK")
        assert list(series.index) == ["1987/1989", "1990", "1991", "1999", "2000", "2005"]
        assert series.index.name == "period"
        assert list(series["value"]) == [1e9, 1.97e9, 5.8e8, 8e7, 1.05e8, 1.723e8]
        assert list(series["reporter"]) == ["SUN", "SUN", "SUN", "RUS", "RUS", "RUS"]
        assert list(series["qualifier"]) == ["exact"] * 6
        assert list(series["coverage"]) == [1.0] * 6
        assert series.attrs["units"] == {"value": "unit", "lower": "unit", "upper": "unit"}
        # the share-only record of 1988 is not a value of the series
        assert "tf.share.prk-sun.1988" not in set(series["id"])

    def test_one_reporter_and_partial_periods_kept_as_such(self) -> None:
        series = SEED.series(flow="export", partner="PRK", reporter="RUS")
        assert list(series["id"]) == ["tf.exports.2005-jan-sep"]
        assert series.loc["2005-01/2005-09", "coverage"] == 273 / 365

    def test_a_commodity(self) -> None:
        series = SEED.series(flow="export", partner="PRK", commodity="27")
        assert list(series.index) == ["2002", "2003"]
        assert list(series["value"]) == [2e7, 9.6e7]

    def test_sorted_by_period(self) -> None:
        records = (
            flow("late", 3.0, Period.year(2007)),
            flow("early", 1.0, Period.year(2003)),
            flow("part", 2.0, Period.months(2003, 1, 6)),
        )
        series = Dataset(trade_flows=records).series(flow="export", partner="PRK")
        assert list(series["id"]) == ["part", "early", "late"]

    def test_an_empty_series_says_what_was_asked(self) -> None:
        with pytest.raises(
            ValidationError, match=r"series: no trade flow with a value matches \(got 'flow=import, partner=CHN"
        ):
            SEED.series(flow="import", partner="CHN")

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValidationError, match="flow: must be one of"):
            SEED.series(flow="trade", partner="PRK")
        with pytest.raises(ValidationError, match="partner: no country has this code or name"):
            SEED.series(flow="export", partner="North Korea!")


class TestTableFromAnyRecords:
    def test_the_shipped_dataset_with_a_warning_naming_what_is_left_out(self) -> None:
        with pytest.warns(UserWarning, match="left out 65 of 75 records it cannot hold") as caught:
            table = TradeTable.from_records(SEED)
        assert len(table) == 10
        message = str(caught[0].message)
        assert "6 without an amount or a mass (tf.share.prk-sun.1988, tf.exports.1993," in message
        assert "1 with a figure that is not exact and reported (tf.exports.grain.2002)" in message
        assert "18 claims, not trade flows" in message
        kept = {r.id for r in table.to_records()}
        assert "tf.turnover.1990" in kept
        assert "tf.exports.2005-jan-sep" not in kept

    def test_trade_flows_that_fit_raise_no_warning(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            table = TradeTable.from_records([flow("a", 1.0, Period.year(2005)), flow("b", 2.0, Period.month(2005, 3))])
        assert len(table) == 2

    def test_raise_instead(self) -> None:
        with pytest.raises(ValidationError, match="calendar years and months only"):
            TradeTable.from_records([flow("p", 1.0, Period.months(2005, 1, 9))], unfit="raise")
        with pytest.raises(ValidationError, match="unfit: must be 'skip' or 'raise'"):
            TradeTable.from_records([], unfit="drop")  # type: ignore[arg-type]

    def test_a_share_beside_a_value_is_left_out_whole(self) -> None:
        shared = flow("s", 5.0, Period.year(2005), share=Measure(nkru.quantity(63, "percent")))
        with pytest.warns(UserWarning, match=r"1 with a count or a share \(s\)"):
            assert len(TradeTable.from_records([shared])) == 0

    def test_an_approximate_figure_is_left_out(self) -> None:
        about = TradeFlow(
            id="about",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(2005),
            amount=Measure(money(5, "USD"), Qualifier.APPROXIMATE),
        )
        with pytest.warns(UserWarning, match=r"not exact and reported \(about\)"):
            assert len(TradeTable.from_records([about])) == 0


def test_unit_names_are_read_by_nkrus_grammar() -> None:
    # a unit cell is text from outside: it goes through nkru.unit, never pint's parser
    frame = SEED.to_frame("trade_flow")
    frame["unit"] = frame["unit"].astype(object)
    frame.loc[1, "unit"] = "9**9**9"
    with pytest.raises(ValidationError) as info:
        records_from_frame(frame)
    assert isinstance(info.value.__cause__ or info.value, (ValidationError, ParseError))

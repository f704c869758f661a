"""The text's trade figures against a table of reported statistics: check(dataset, against=table)."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from _shared import CLASSIC, needs_shared
from nkru.checks import Report, Rule, Severity, check
from nkru.cli import main
from nkru.commodities import Commodity
from nkru.dataset import Dataset
from nkru.errors import ValidationError
from nkru.formatting import format_number
from nkru.io.comtrade import read_comtrade
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country
from nkru.periods import Period, Precision
from nkru.records import Flow, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.table import TradeTable
from nkru.units import money, quantity


def stated(
    record_id: str,
    amount: float,
    period: Period,
    *,
    flow: Flow = Flow.EXPORT,
    resolution: float | None = 1e5,
    currency: str = "USD",
    **fields: Any,
) -> TradeFlow:
    return TradeFlow(
        id=record_id,
        reporter=Country("RUS"),
        partner=Country("PRK"),
        flow=flow,
        period=period,
        amount=Measure(money(amount, currency), resolution=resolution, **fields),
    )


def table(*rows: tuple[str, int, int, float], hs: str | None = None, currency: str = "USD") -> TradeTable:
    """A table of RUS→PRK rows: (flow code, year, month, value)."""
    return TradeTable.from_frame(
        pd.DataFrame(
            {
                "reporter": ["RUS"] * len(rows),
                "partner": ["PRK"] * len(rows),
                "flow": [row[0] for row in rows],
                "year": [row[1] for row in rows],
                "month": [row[2] for row in rows],
                "hs": [hs] * len(rows),
                "value": [row[3] for row in rows],
                "currency": [currency] * len(rows),
            }
        )
    )


def only(report: Report) -> Any:
    assert len(report.findings) == 1, report.to_text()
    finding = report.findings[0]
    assert finding.rule is Rule.REPORTED_FIGURE
    return finding


class TestSamePeriod:
    def test_agreement_within_the_rounding(self) -> None:
        finding = only(
            check(
                Dataset(trade_flows=(stated("x", 172.3e6, Period.year(2005)),)), against=table(("X", 2005, 0, 172.34e6))
            )
        )
        assert finding.severity is Severity.OK
        assert finding.computed.value.magnitude == 172.34e6
        assert finding.tolerance == 5e4
        assert f"stated / reported = {format_number(172.3e6 / 172.34e6, 3)}" in finding.message
        assert "the same period" in finding.message
        assert "agrees within the stated figure's rounding" in finding.message

    def test_the_tolerance_shown_is_the_band_the_verdict_used(self) -> None:
        # "80 million" may be rounded to the ten million: the band is 75-85 million, and the finding says so
        record = stated("x", 80e6, Period.year(2005), resolution=1e6)
        inside = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 84.9e6))))
        outside = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 85.1e6))))
        assert (inside.severity, inside.tolerance) == (Severity.OK, 5e6)
        assert (outside.severity, outside.tolerance) == (Severity.DIFFERS, 5e6)

    def test_a_difference_beyond_the_rounding_is_a_warning(self) -> None:
        report = check(
            Dataset(trade_flows=(stated("x", 172.3e6, Period.year(2005)),)), against=table(("X", 2005, 0, 172.36e6))
        )
        finding = only(report)
        assert finding.severity is Severity.DIFFERS
        assert "differs beyond the stated figure's rounding" in finding.message
        assert report.ok  # never an error: the text and the statistics may both be right

    def test_months_summed_from_monthly_rows(self) -> None:
        rows = [("X", 2006, month, 1e6 * month) for month in (1, 2, 3, 4)]
        record = stated("q1", 6.0e6, Period.quarter(2006, 1))
        finding = only(check(Dataset(trade_flows=(record,)), against=table(*rows)))
        assert finding.computed.value.magnitude == 6e6  # January to March, April left out
        assert finding.severity is Severity.OK

    def test_a_turnover_is_exports_plus_imports(self) -> None:
        record = stated("t", 233.2e6, Period.year(2005), flow=Flow.TURNOVER)
        finding = only(
            check(
                Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 226.346204e6), ("M", 2005, 0, 6.871664e6))
            )
        )
        assert finding.computed.value.magnitude == pytest.approx(233.217868e6, rel=1e-15)
        assert finding.severity is Severity.OK
        assert "RUS turnover with PRK" in finding.message

    def test_an_import_is_matched_to_imports(self) -> None:
        record = stated("m", 6.9e6, Period.year(2005), flow=Flow.IMPORT)
        finding = only(
            check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 1e9), ("M", 2005, 0, 6.87e6)))
        )
        assert finding.computed.value.magnitude == 6.87e6
        assert finding.severity is Severity.OK
        assert "RUS import from PRK" in finding.message

    def test_an_at_most_figure_agrees_with_anything_below_it(self) -> None:
        record = stated("b", 10e6, Period.year(2005), resolution=None, qualifier=Qualifier.AT_MOST)
        assert only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 3e6)))).severity is Severity.OK
        assert (
            only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 11e6)))).severity
            is Severity.DIFFERS
        )


class TestPartialPeriod:
    def test_nine_months_against_the_reported_year_scaled_by_days(self) -> None:
        record = stated("p", 168.7e6, Period.months(2005, 1, 9))
        finding = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 226.346204e6))))
        assert finding.severity is Severity.OK
        assert finding.computed.value.magnitude == 226.346204e6 * 273 / 365
        assert finding.computed.status is ObsStatus.DERIVED
        assert (
            "The text's figure covers 2005-01/2005-09 (273 of 365 days, 74.8% of the reported period)"
            in finding.message
        )
        assert f"stated / reported = {format_number(168.7e6 / 226.346204e6, 3)}" in finding.message
        assert f"stated / scaled = {format_number(168.7e6 / (226.346204e6 * 273 / 365), 3)}" in finding.message
        assert "the text's part is within the reported whole" in finding.message

    def test_a_part_above_the_whole_is_a_warning(self) -> None:
        record = stated("p", 250e6, Period.months(2005, 1, 9))
        finding = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 226.346204e6))))
        assert finding.severity is Severity.DIFFERS
        assert "the text's part exceeds the reported whole" in finding.message

    def test_a_year_against_the_months_reported_of_it(self) -> None:
        record = stated("y", 24e6, Period.year(2006))
        rows = [("X", 2006, month, 1e6 * month) for month in (1, 2, 3, 4, 5, 6)]
        finding = only(check(Dataset(trade_flows=(record,)), against=table(*rows)))
        reported = 21e6  # January to June
        assert finding.computed.value.magnitude == reported / (181 / 365)
        assert "The reported figure covers 2006-S1 (181 of 365 days, 49.6% of the text's period)" in finding.message
        assert f"stated / reported = {format_number(24e6 / reported, 3)}" in finding.message
        assert "the reported part is within the text's whole" in finding.message
        assert finding.severity is Severity.OK
        # 20.4 million: three digits, so no trailing zero widens its band (20 million would be 15-25 million)
        above = only(check(Dataset(trade_flows=(stated("y", 20.4e6, Period.year(2006)),)), against=table(*rows)))
        assert above.severity is Severity.DIFFERS
        assert "the reported part exceeds the text's whole" in above.message

    def test_months_with_a_gap_are_not_a_period(self) -> None:
        rows = [("X", 2006, month, 1e6) for month in (1, 2, 5)]
        assert check(Dataset(trade_flows=(stated("y", 3e6, Period.year(2006)),)), against=table(*rows)).findings == ()

    def test_twelve_months_are_the_year(self) -> None:
        rows = [("X", 2006, month, 1e6) for month in range(1, 13)]
        finding = only(check(Dataset(trade_flows=(stated("y", 12e6, Period.year(2006)),)), against=table(*rows)))
        assert finding.computed.value.magnitude == 12e6
        assert "the same period" in finding.message


class TestNothingToCompare:
    def test_no_match_gives_no_finding(self) -> None:
        records = (
            stated("other-year", 1e6, Period.year(2004)),
            stated("fuzzy", 1e6, Period(dt.date(2005, 1, 1), dt.date(2005, 12, 31), Precision.YEAR, approximate=True)),
            stated("two-years", 1e6, Period.years(2004, 2005)),
            TradeFlow(
                id="share",
                reporter=Country("RUS"),
                partner=Country("PRK"),
                flow=Flow.EXPORT,
                period=Period.year(2005),
                share=Measure(quantity(5, "percent")),
            ),
            stated("goods", 1e6, Period.year(2005)),
        )
        report = check(Dataset(trade_flows=records), against=table(("X", 2005, 0, 1e6), hs="27"))
        assert report.findings == ()

    def test_another_currency_is_not_compared(self) -> None:
        record = stated("r", 1e6, Period.year(2005), currency="RUB")
        finding = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 1e6))))
        assert finding.severity is Severity.WARNING
        assert "not comparable: stated in RUB, reported in USD" in finding.message

    def test_a_figure_reported_twice_is_not_compared(self) -> None:
        record = stated("d", 1e6, Period.year(2005))
        finding = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 1e6), ("X", 2005, 0, 1e6))))
        assert finding.severity is Severity.WARNING
        assert "not comparable: the table reports 2005 2 times" in finding.message

    def test_goods_by_hs_code(self) -> None:
        record = TradeFlow(
            id="fuel",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(2003),
            commodity=Commodity("mineral fuel oil", "27"),
            amount=Measure(money(96e6, "USD"), resolution=1e6),
        )
        finding = only(check(Dataset(trade_flows=(record,)), against=table(("X", 2003, 0, 95.7e6), hs="27")))
        assert finding.severity is Severity.OK
        assert "mineral fuel oil (HS 27)" in finding.message


class TestBadInput:
    @pytest.mark.parametrize("against", [object(), "file.csv", 5])
    def test_not_a_table(self, against: Any) -> None:
        with pytest.raises(ValidationError, match=r"against: must be a TradeTable"):
            check(Dataset(), against=against)

    def test_a_frame_without_the_columns(self) -> None:
        class Thin:
            def to_frame(self) -> pd.DataFrame:
                return pd.DataFrame({"reporter": ["RUS"]})

        with pytest.raises(ValidationError, match=r"against: its frame has no column 'partner' \(got 'Thin'\)"):
            check(Dataset(), against=Thin())

    def test_the_command_line_names_a_bad_file(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n1,2\n", encoding="utf-8")
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            assert main(["check", "--against", str(bad)]) == 2
        assert err.getvalue().startswith("nkru: error: cannot build TradeTable")
        assert "line 1" in err.getvalue()


SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data" / "comtrade_sample.csv"


class TestADifferenceHasASeverityOfItsOwn:
    """A figure unlike the reported one is neither a warning nor an error about the text."""

    def test_differs_is_counted_apart(self) -> None:
        record = stated("x", 172.3e6, Period.year(2005))
        report = check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 217.4e6)))
        assert report.counts == {Severity.OK: 0, Severity.DIFFERS: 1, Severity.WARNING: 0, Severity.ERROR: 0}
        assert report.differences == report.findings
        assert report.warnings == ()
        assert report.errors == ()
        assert report.ok

    def test_the_text_report_has_a_section_for_differences(self) -> None:
        record = stated("x", 172.3e6, Period.year(2005))
        text = check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 217.4e6))).to_text()
        assert "0 errors, 0 warnings, 1 difference from reported data, 0 ok (1 finding)." in text
        assert "## Differences from reported data\n\n- **reported_figure** (`x`)" in text
        assert "## Warnings" not in text

    def test_strict_does_not_fail_on_a_difference(self) -> None:
        # The shipped synthetic sample reports 2005 exports of 212 and imports of 5.4 million USD:
        # the text's 2005 turnover (172.3 million) differs, its nine-month figures fit within the year.
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["check", "--strict", "--against", str(SAMPLE)]) == 0
        text = out.getvalue()
        assert "0 errors, 0 warnings, 1 difference from reported data, 2 ok (3 findings)." in text
        assert "stated 172.3 million USD; reported 217.4 million USD for 2005" in text

    def test_a_report_without_differences_reads_as_before(self) -> None:
        record = stated("x", 172.3e6, Period.year(2005))
        text = check(Dataset(trade_flows=(record,)), against=table(("X", 2005, 0, 172.3e6))).to_text()
        assert "0 errors, 0 warnings, 1 ok (1 finding)." in text
        assert "difference" not in text.split("\n")[2]


def _reported(path: Path, year: int, flows: tuple[int, ...]) -> float:
    """Russia's reported trade with the DPRK in ``year``, summed by pandas straight from the file."""
    frame = pd.read_csv(path)
    chosen = frame[
        (frame["Reporter ISO"] == "RUS")
        & (frame["Partner ISO"] == "PRK")
        & (frame["Year"] == year)
        & (frame["Commodity Code"] == "TOTAL")
        & (frame["Trade Flow Code"].isin(flows))
    ]
    assert len(chosen) == len(flows)
    return float(chosen["Trade Value (US$)"].sum())


@needs_shared
class TestTheTextAgainstComtrade:
    def test_the_2005_comparisons_have_pandas_arithmetic(self) -> None:
        report = check(load_seed_dataset(), against=read_comtrade(CLASSIC))
        by_id = {finding.record_ids[0]: finding for finding in report.findings}
        assert set(by_id) == {"tf.turnover.2005", "tf.exports.2005-jan-sep", "tf.imports.2005-jan-sep"}
        exports = _reported(CLASSIC, 2005, (2,))
        imports = _reported(CLASSIC, 2005, (1,))
        nine_months = by_id["tf.exports.2005-jan-sep"]
        assert nine_months.computed.value.magnitude == exports * 273 / 365
        assert f"reported {format_number(exports / 1e6)} million USD for 2005" in nine_months.message
        assert f"stated / reported = {format_number(168.7e6 / exports, 3)}" in nine_months.message
        assert nine_months.severity is Severity.OK
        turnover = by_id["tf.turnover.2005"]
        assert turnover.computed.value.magnitude == exports + imports
        assert turnover.severity is Severity.DIFFERS  # 172.3 million against 233.2 million
        assert by_id["tf.imports.2005-jan-sep"].computed.value.magnitude == imports * 273 / 365

    def test_the_command_line(self) -> None:
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["check", "--against", str(CLASSIC)]) == 0
        exports = _reported(CLASSIC, 2005, (2,))
        text = out.getvalue()
        assert "**reported_figure** (`tf.exports.2005-jan-sep`)" in text
        assert f"stated / reported = {format_number(168.7e6 / exports, 3)}" in text
        assert "0 errors, 0 warnings, 1 difference from reported data, 2 ok (3 findings)." in text

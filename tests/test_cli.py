"""The nkru command line: every command in-process and through ``python -m nkru``, and hostile input."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nkru.io
from nkru import cli
from nkru.checks import Report, check
from nkru.dataset import Claim, ClaimKind, Dataset
from nkru.fx import convert_currency
from nkru.io.comtrade import read_comtrade_csv
from nkru.io.dataset import CSV_COLUMNS, dataset_csv
from nkru.measures import Measure
from nkru.parties import Country
from nkru.periods import Period
from nkru.prices import to_constant_dollars
from nkru.records import Flow, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.serialization import from_json
from nkru.units import money, quantity


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run ``nkru argv`` in-process; return the status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


def run_module(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nkru", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        cwd=cwd,
    )


def assert_one_error_line(status: int, out: str, err: str) -> None:
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("nkru: error: ")
    assert len(lines[0]) <= 400
    assert "Traceback (most recent call last)" not in err


def planted_dataset(stated_percent: float) -> Dataset:
    """Turnover of 105 million USD in 2000 and 172.3 million in 2005, with a claimed change."""

    def turnover(year: int, amount: float, resolution: float) -> TradeFlow:
        return TradeFlow(
            id=f"turnover-{year}",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.TURNOVER,
            period=Period.year(year),
            amount=Measure(money(amount, "USD"), resolution=resolution),
        )

    claim = Claim(
        id="growth",
        kind=ClaimKind.PERCENT_CHANGE,
        subjects=("turnover-2000", "turnover-2005"),
        stated=Measure(quantity(stated_percent, "percent"), resolution=1.0),
    )
    return Dataset(trade_flows=(turnover(2000, 105e6, 1e6), turnover(2005, 172.3e6, 1e5)), claims=(claim,))


_PROTOCOL_END = "Committee for Cooperation in Trade, Economy, Science and Technology"


def _protocol_line(out: str) -> str:
    (line,) = [line for line in out.splitlines() if " ev.intergovernmental-committee.protocol.2011 " in line]
    return line


class TestSummary:
    def test_lists_every_dated_record_once_in_time_order(self) -> None:
        status, out, err = run(["summary"])
        assert (status, err) == (0, "")
        dataset = load_seed_dataset()
        dated = [r for r in dataset if isinstance(getattr(r, "period", None), Period)]
        assert len(dated) > 20
        body = out.splitlines()[2 : 2 + len(dated)]
        ids = [line.split()[1] for line in body]
        assert sorted(ids) == sorted(r.id for r in dated)
        starts = [dataset.get(record_id).period.start for record_id in ids]  # type: ignore[union-attr]
        assert starts == sorted(starts)
        assert f"{len(dated)} dated records shown" in out

    def test_shows_the_1990_turnover_figure(self) -> None:
        _, out, _ = run(["summary"])
        (line,) = [line for line in out.splitlines() if " tf.turnover.1990 " in line]
        assert line.split()[:4] == ["1990", "tf.turnover.1990", "1.97", "billion"]
        assert line.endswith("SUN→PRK turnover, all goods")

    def test_footer_counts_add_up(self) -> None:
        _, out, _ = run(["summary"])
        dataset = load_seed_dataset()
        dated = [r for r in dataset if isinstance(getattr(r, "period", None), Period)]
        footer = [line for line in out.splitlines() if "records shown" in line or "records not shown" in line]
        assert footer == [
            f"{len(dated)} dated records shown (23 trade flows, 10 shipments, 24 events); ~ marks an approximate period.",
            f"{len(dataset) - len(dated)} undated records not shown ({len(dataset.claims)} claims).",
        ]
        for line in footer:
            total = int(line.split()[0])
            parts = line[line.index("(") + 1 : line.index(")")].split(", ")
            assert sum(int(part.split()[0]) for part in parts) == total, line

    def test_lines_fit_the_terminal_width(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLUMNS", "250")
        _, wide, _ = run(["summary"])
        longest = max(wide.splitlines(), key=len)
        assert len(longest) > 176  # the old fixed cut
        assert len(longest) <= 250
        assert _protocol_line(wide).endswith(_PROTOCOL_END)
        monkeypatch.setenv("COLUMNS", "150")
        _, narrow, _ = run(["summary"])
        table = narrow.split("\n\n")[0].splitlines()
        assert max(len(line) for line in table) == 150
        assert len(_protocol_line(narrow)) == 150
        assert _protocol_line(narrow).endswith("…")

    def test_output_to_a_pipe_is_not_cut(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("COLUMNS", raising=False)
        _, out, _ = run(["summary"])
        assert _protocol_line(out).endswith(_PROTOCOL_END)

    def test_a_shipment_without_goods_says_so(self) -> None:
        _, out, _ = run(["summary"])
        (line,) = [line for line in out.splitlines() if " sh.aid.soviet.1965 " in line]
        assert line.endswith("  goods not stated")

    def test_a_relative_level_says_of_what(self) -> None:
        _, out, _ = run(["summary"])
        (line,) = [line for line in out.splitlines() if " tf.exports.1993 " in line]
        assert "10% of an unstated earlier level" in line

    def test_marks_approximate_periods(self) -> None:
        _, out, _ = run(["summary"])
        (line,) = [line for line in out.splitlines() if " tf.turnover.late-1980s " in line]
        assert line.startswith("~1987/1989 ")


class TestCheck:
    def test_text_is_the_reports_text(self) -> None:
        status, out, err = run(["check"])
        assert (status, err) == (0, "")
        assert out == check(load_seed_dataset()).to_text() + "\n"
        assert out.startswith("# Consistency report\n")

    def test_json_reads_back_as_the_report(self) -> None:
        status, out, _ = run(["check", "--format", "json"])
        assert status == 0
        assert from_json(out, Report) == check(load_seed_dataset())

    def test_strict_exits_1_exactly_when_the_seed_has_errors(self) -> None:
        status, _, _ = run(["check", "--strict"])
        assert status == (1 if check(load_seed_dataset()).errors else 0)

    def test_strict_fails_on_a_planted_error_and_passes_a_clean_dataset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(cli, "load_seed_dataset", lambda: planted_dataset(10))
        status, out, _ = run(["check", "--strict"])
        assert status == 1
        assert "## Errors" in out
        assert run(["check"])[0] == 0  # without --strict, findings are not a failure
        monkeypatch.setattr(cli, "load_seed_dataset", lambda: planted_dataset(64))
        assert run(["check", "--strict"])[0] == 0


class TestConvert:
    def test_old_roubles_to_dollars_at_the_1997_rate(self) -> None:
        status, out, err = run(["convert", "4.5 billion RUR", "--to", "USD", "--on", "1997"])
        expected = convert_currency(money(4.5e9, "RUR"), "USD", on=1997).magnitude
        assert round(expected) == 777_896
        assert (status, err) == (0, "")
        # "4.5 billion" states two digits, and so does the result (issue 14, trap 11).
        assert out == "4.5 billion RUR = 780,000 USD (at the rates of 1997)\n"
        status, out, err = run(["convert", "4.5 billion RUR", "--to", "USD", "--on", "1997", "--digits", "8"])
        assert out == f"4.5 billion RUR = {expected:,.2f} USD (at the rates of 1997)\n"

    def test_constant_dollars(self) -> None:
        status, out, _ = run(
            ["convert", '4.5 billion "old" Rubles', "--to", "usd", "--on", "1997", "--constant-dollars", "2024"]
        )
        then = convert_currency(money(4.5e9, "RUR"), "USD", on=1997)
        now = to_constant_dollars(then, 1997, 2024).magnitude
        assert status == 0
        assert out == (
            f'4.5 billion "old" Rubles = 780,000 USD (at the rates of 1997) = {now / 1e6:.2g} million USD'
            " in 2024 dollars (US CPI-U)\n"
        )

    def test_constant_dollars_write_the_input_once(self) -> None:
        """Issue 14, trap 11: "100 USD = 100 USD = 198.01913 USD" said its input twice, to 8 digits."""
        now = to_constant_dollars(money(100, "USD"), 1995, 2020).magnitude
        status, out, _ = run(["convert", "100 USD", "--to", "USD", "--on", "1995", "--constant-dollars", "2020"])
        assert status == 0
        assert out == f"100 USD in 1995 dollars = {now:.3g} USD in 2020 dollars (US CPI-U)\n"
        assert out.count("100 USD") == 1
        _, more, _ = run(
            ["convert", "100 USD", "--to", "usd", "--on", "1995", "--constant-dollars", "2020", "--digits", "8"]
        )
        assert more == f"100 USD in 1995 dollars = {now:.8g} USD in 2020 dollars (US CPI-U)\n"

    def test_results_claim_no_more_digits_than_the_input(self) -> None:
        euros = convert_currency(money(1.97e9, "USD"), "EUR", on=2005).magnitude
        assert f"{euros / 1e9:.8g}" == "1.5834864"
        assert run(["convert", "US$1.97 billion", "--to", "EUR", "--on", "2005"])[1] == (
            "US$1.97 billion = 1.58 billion EUR (at the rates of 2005)\n"
        )

    @pytest.mark.parametrize("digits", ["0", "16", "x", "-1", "3.5"])
    def test_bad_digits(self, digits: str) -> None:
        assert_one_error_line(*run(["convert", "5 t", "--to", "kg", "--digits", digits]))

    def test_units_and_the_exact_redenomination_need_no_date(self) -> None:
        assert run(["convert", "830,000 tons", "--to", "kg"])[1] == "830,000 tons = 830 million kg\n"
        assert (
            run(["convert", "no more than 890 tons", "--to", "kg"])[1] == "no more than 890 tons = at most 890,000 kg\n"
        )
        assert run(["convert", "4.5 billion RUR", "--to", "RUB"])[1] == "4.5 billion RUR = 4.5 million RUB\n"

    def test_a_period_as_the_date(self) -> None:
        status, out, _ = run(
            ["convert", "US$1 million", "--to", "RUB", "--on", "first nine months of 2005", "--digits", "8"]
        )
        expected = convert_currency(money(1e6, "USD"), "RUB", on=Period.months(2005, 1, 9)).magnitude
        assert status == 0
        assert f"= {expected / 1e6:.8g} million RUB (at the rates of 2005-01/2005-09)" in out

    def test_plain_roubles_before_1998_are_old_roubles(self) -> None:
        """Issue 14, trap 7: this gave 605 million USD, 1000 times too much."""
        old = convert_currency(money(3.5e9, "RUR"), "USD", on=1997).magnitude
        assert round(old) == 605_030
        status, out, err = run(["convert", "3.5 billion rubles", "--to", "USD", "--on", "1997"])
        assert (status, err) == (0, "")
        assert out == "3.5 billion rubles = 610,000 USD (at the rates of 1997)\n"
        assert run(["convert", "3.5 billion rubles", "--to", "USD", "--on", "2005"])[1].startswith(
            "3.5 billion rubles = 120 million USD"
        )

    def test_new_roubles_before_1998_are_refused_unless_redenominated(self) -> None:
        status, out, err = run(["convert", "3.5 billion RUB", "--to", "USD", "--on", "1997"])
        assert_one_error_line(status, out, err)
        assert "money of that date is RUR" in err
        assert "--redenominate" in err
        assert "redenominate=True" not in err
        status, out, err = run(["convert", "3.5 billion RUB", "--to", "USD", "--on", "1997", "--redenominate"])
        assert (status, err) == (0, "")
        assert out == "3.5 billion RUB = 610 million USD (at the rates of 1997)\n"
        assert_one_error_line(*run(["convert", "5 RUR", "--to", "RUB", "--on", "2005"]))
        assert_one_error_line(*run(["convert", "5 Soviet roubles", "--to", "USD", "--on", "1995"]))

    def test_currencies_without_a_date_is_a_usage_error(self) -> None:
        status, out, err = run(["convert", "4.5 billion RUR", "--to", "USD"])
        assert_one_error_line(status, out, err)
        assert "--on" in err


class TestExport:
    def test_json_round_trips_to_the_dataset(self) -> None:
        status, out, err = run(["export", "--format", "json"])
        assert (status, err) == (0, "")
        assert from_json(out, Dataset) == load_seed_dataset()

    def test_csv_has_one_row_per_record_with_exact_magnitudes(self) -> None:
        status, out, _ = run(["export", "--format", "csv"])
        assert status == 0
        rows = list(csv.DictReader(io.StringIO(out)))
        dataset = load_seed_dataset()
        assert tuple(rows[0].keys()) == CSV_COLUMNS
        assert [row["id"] for row in rows] == list(dataset.ids)
        (row,) = [row for row in rows if row["id"] == "tf.turnover.1990"]
        assert (row["kind"], row["reporter"], row["partner"], row["flow"]) == ("trade_flow", "SUN", "PRK", "turnover")
        assert float(row["amount"]) == 1.97e9
        assert (row["amount_unit"], row["period_start"], row["period_end"]) == ("USD", "1990-01-01", "1990-12-31")
        record = dataset.get("tf.turnover.1990")
        assert row["quotes"] == " | ".join(record.quotes)
        # A relative level and another reading of a period are exported, not dropped.
        (row,) = [row for row in rows if row["id"] == "tf.exports.1993"]
        assert (row["share"], row["relative_level"], row["relative_level_unit"]) == ("", "10.0", "percent")
        assert row["relative_base"] == ""
        (row,) = [row for row in rows if row["id"] == "tf.turnover.2005"]
        assert (row["period"], row["likely_period"]) == ("2005", "2005-01/2005-09")

    def test_out_writes_the_same_text_atomically(self, tmp_path: Path) -> None:
        target = tmp_path / "seed.csv"
        target.write_text("old content", encoding="utf-8")
        status, out, err = run(["export", "--format", "csv", "--out", str(target)])
        assert (status, out) == (0, "")
        assert err == f"wrote {len(load_seed_dataset())} records to {target}\n"
        assert target.read_text(encoding="utf-8") == run(["export", "--format", "csv"])[1]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.csv"]

    def test_a_failed_write_leaves_the_old_file_and_no_temporary(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        target = tmp_path / "seed.json"
        target.write_text("old content", encoding="utf-8")

        def fail(_self: Path, _target: Path) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(Path, "replace", fail)
        status, out, err = run(["export", "--format", "json", "--out", str(target)])
        assert_one_error_line(status, out, err)
        assert "No space left on device" in err
        assert target.read_text(encoding="utf-8") == "old content"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.json"]

    @pytest.mark.parametrize("where", ["folder", "missing/dir/seed.json"])
    def test_bad_out_is_a_usage_error(self, tmp_path: Path, where: str) -> None:
        target = tmp_path if where == "folder" else tmp_path / where
        assert_one_error_line(*run(["export", "--format", "json", "--out", str(target)]))


class TestShow:
    def test_shows_fields_and_the_exact_quotes(self) -> None:
        status, out, err = run(["show", "tf.turnover.1990"])
        record = load_seed_dataset().get("tf.turnover.1990")
        assert (status, err) == (0, "")
        assert out.startswith("tf.turnover.1990 (trade flow)\n")
        assert "  amount " in out
        assert "1.97 billion USD" in out
        for source in record.sources:
            assert f'"{source.quote}"  [{source.document}, characters {source.start}–{source.end}]' in out

    def test_every_record_can_be_shown(self) -> None:
        for record in load_seed_dataset():
            status, out, _ = run(["show", record.id])
            assert status == 0
            assert out.startswith(f"{record.id} (")


class TestHelp:
    @pytest.mark.parametrize("command", ["summary", "check", "convert", "export", "show"])
    def test_every_command_has_help(self, command: str) -> None:
        status, out, err = run([command, "--help"])
        assert (status, err) == (0, "")
        assert out.startswith(f"usage: nkru {command}")

    def test_top_level_help_lists_the_commands(self) -> None:
        status, out, _ = run(["--help"])
        assert status == 0
        for command in ("summary", "check", "convert", "export", "show"):
            assert command in out


HOSTILE = [
    ["convert", "9" * 100_000, "--to", "t"],
    ["convert", "5 t", "--to", "x" * 100_000],
    ["convert", "nan", "--to", "USD"],
    ["convert", "inf tons", "--to", "kg"],
    ["convert", "9**9**9", "--to", "t"],
    ["convert", "((((((((((1))))))))))", "--to", "t"],
    ["convert", "5 USD + 3 RUB", "--to", "USD"],
    ["convert", "5 t\nTraceback", "--to", "kg"],
    ["convert", "\x00", "--to", "t"],
    ["convert", "5 t", "--to", "USD", "--on", "1997"],
    ["convert", "5 USD", "--to", "RUB", "--on", "not a date"],
    ["convert", "5 USD", "--to", "RUB", "--on", "1997-13-45"],
    ["convert", "5 USD", "--to", "RUB", "--on", "9" * 100_000],
    ["convert", "5 RUB", "--to", "USD", "--on", "1991"],
    ["convert", "5 USD", "--to", "USD", "--on", "1997", "--constant-dollars", "abc"],
    ["convert", "5 USD", "--to", "USD", "--on", "1997", "--constant-dollars", "1800"],
    ["convert", "5 USD", "--to", "USD", "--constant-dollars", "2020"],
    ["convert", "5 RUB", "--to", "RUB", "--on", "1997", "--constant-dollars", "2020"],
    ["convert", "5 USD", "--to", "USD", "--on", "2000-2005", "--constant-dollars", "2020"],
    ["show", "no-such-id"],
    ["show", "x" * 100_000],
    ["show", ""],
    ["check", "--format", "xml"],
    ["export"],
    ["export", "--format", "parquet"],
    ["summary", "--bogus"],
    ["bogus"],
    [],
]


class TestHostileInput:
    @pytest.mark.parametrize("argv", HOSTILE, ids=lambda argv: " ".join(argv)[:40] or "nothing")
    def test_exits_2_with_one_line(self, argv: list[str]) -> None:
        assert_one_error_line(*run(argv))

    @given(st.text(max_size=60))
    def test_any_amount_converts_or_fails_in_one_line(self, text: str) -> None:
        status, out, err = run(["convert", "--to", "kg", "--", text])
        if status == 0:
            assert out.startswith(f"{text} = ")
            assert err == ""
        else:
            assert_one_error_line(status, out, err)

    @given(st.text(max_size=40))
    def test_any_date_converts_or_fails_in_one_line(self, when: str) -> None:
        status, out, err = run(["convert", "US$5 million", "--to", "RUB", f"--on={when}"])
        if status == 0:
            assert " RUB (at the rates of " in out
        else:
            assert_one_error_line(status, out, err)


class TestSubprocess:
    def test_python_m_nkru_summary(self) -> None:
        result = run_module("summary")
        assert result.returncode == 0, result.stderr
        assert " tf.turnover.1990 " in result.stdout

    def test_python_m_nkru_export_csv_is_unadorned(self, tmp_path: Path) -> None:
        result = run_module("export", "--format", "csv", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stderr == ""
        assert result.stdout == run(["export", "--format", "csv"])[1]

    def test_python_m_nkru_convert(self) -> None:
        result = run_module("convert", "830,000 tons", "--to", "t")
        assert (result.returncode, result.stdout) == (0, "830,000 tons = 830,000 t\n")

    @pytest.mark.parametrize("argv", [["convert", "9" * 100_000, "--to", "t"], ["show", "nope"], ["frobnicate"]])
    def test_python_m_nkru_hostile(self, argv: list[str]) -> None:
        result = run_module(*argv)
        assert_one_error_line(result.returncode, result.stdout, result.stderr)

    def test_console_script_is_installed(self) -> None:
        script = Path(sys.executable).parent / ("nkru.exe" if os.name == "nt" else "nkru")
        if not script.exists():
            pytest.skip("the nkru console script is not next to this interpreter")
        result = subprocess.run(
            [str(script), "show", "tf.turnover.1990"], capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0
        assert result.stdout.startswith("tf.turnover.1990 (trade flow)")


def test_csv_export_keeps_event_measures() -> None:
    dataset = load_seed_dataset()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(dataset_csv(dataset)))}
    with_measures = [event for event in dataset.events if event.measures]
    assert with_measures, "the seed has events stating figures"
    for event in with_measures:
        assert from_json(rows[event.id]["measures"], tuple[Measure, ...]) == event.measures


class TestMovedToIo:
    """The dataset's CSV lives in nkru.io.dataset; the command line's old names warn and still work."""

    def test_dataset_csv(self) -> None:
        dataset = load_seed_dataset()
        with pytest.warns(
            DeprecationWarning, match=r"nkru\.cli\.dataset_csv is deprecated.*nkru\.io\.dataset\.dataset_csv"
        ):
            old = cli.dataset_csv
        assert old(dataset) == dataset_csv(dataset)
        assert old(dataset).startswith("id,kind,period,period_start,period_end,reporter,partner,flow,")

    def test_csv_columns(self) -> None:
        with pytest.warns(
            DeprecationWarning, match=r"nkru\.cli\.CSV_COLUMNS is deprecated.*nkru\.io\.dataset\.CSV_COLUMNS"
        ):
            old = cli.CSV_COLUMNS
        assert old is CSV_COLUMNS
        assert (len(old), old[0], old[-1]) == (68, "id", "inferred")  # 60, and relative levels and likely periods

    def test_other_names_are_still_missing(self) -> None:
        with pytest.raises(AttributeError, match="has no attribute 'dataset_json'"):
            cli.dataset_json  # noqa: B018 - the attribute access is the test

    def test_io_package_exports_its_names(self) -> None:
        assert (nkru.io.dataset_csv, nkru.io.CSV_COLUMNS) == (dataset_csv, CSV_COLUMNS)
        assert nkru.io.read_comtrade_csv is read_comtrade_csv
        assert nkru.io.__all__ == [
            "CSV_COLUMNS",
            "TableInput",
            "dataset_csv",
            "read_comtrade",
            "read_comtrade_csv",
            "records_from_frame",
            "records_to_frame",
        ]

    def test_dataset_csv_and_the_cli_do_not_import_pandas(self) -> None:
        code = "import sys, nkru.io.dataset, nkru.cli; print('pandas' in sys.modules)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
        assert result.stdout == "False\n"

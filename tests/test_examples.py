"""Every script in examples/ runs, prints its answer, and writes its chart (or says how to get one)."""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from _shared import CLASSIC, needs_shared
from nkru.aggregate import percent_change, total
from nkru.checks import check
from nkru.formatting import format_measure, format_number
from nkru.fx import convert_currency
from nkru.prices import to_constant_dollars
from nkru.seed import load_seed_dataset

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: A small Comtrade Plus file: Russia's trade with the DPRK beside rows one sum must not add to it
#: (a chapter, the World, a month, a customs breakdown, another reporter).
SMALL_COMTRADE = """\
freqCode,refYear,period,reporterISO,partnerCode,partnerISO,flowCode,cmdCode,cmdDesc,customsCode,primaryValue
A,2019,2019,RUS,408,PRK,X,TOTAL,All Commodities,C00,47000000
A,2019,2019,RUS,408,PRK,X,27,"Mineral fuels, mineral oils",C00,30000000
A,2019,2019,RUS,408,PRK,M,TOTAL,All Commodities,C00,2500000
A,2019,2019,RUS,0,W00,X,TOTAL,All Commodities,C00,9000000000
M,2019,201903,RUS,408,PRK,X,TOTAL,All Commodities,C00,4000000
A,2020,2020,RUS,408,PRK,X,TOTAL,All Commodities,C00,42000000
A,2020,2020,RUS,408,PRK,X,TOTAL,All Commodities,C01,1000000
A,2020,2020,RUS,408,PRK,M,TOTAL,All Commodities,C00,3100000
A,2020,2020,CHN,408,PRK,X,TOTAL,All Commodities,C00,2000000000
"""


def small_comtrade_file(folder: Path) -> Path:
    path = folder / "russia_dprk.csv"
    path.write_text(SMALL_COMTRADE, encoding="utf-8")
    return path


#: Examples that read a file named on the command line, and how to make one.
FILES = {"russia_dprk_comtrade.py": small_comtrade_file}

#: Each example, the chart it writes (None: it prints only) and text its output must contain.
CASES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "turnover_timeline.py": ("turnover_timeline.png", ("tf.turnover.1990", "From 2000 to 2005: +64.1%")),
    "russian_exports.py": ("russian_exports.png", ("2002: 20 million USD", "change 2002→2003: 380% (derived)")),
    "khasan_freight.py": ("khasan_freight.png", ("1989      830,000 t", "Change 1989–1998: -81.9% (-680,000 t)")),
    "grain_exports.py": ("grain_exports.png", ("at most 890 t", "2002→2003: at least 20.22% (derived)")),
    "aid_1997.py": (
        "aid_1997.png",
        ("sh.aid.1997-fall: 4.5 billion RUR", "4.5 billion RUR is exactly 4.5 million RUB"),
    ),
    "consistency_report.py": (None, ("[ERROR] direction: cl.turnover.dropped.late-1980s-1990",)),
    "comtrade_by_chapter.py": ("comtrade_by_chapter.png", ("HS chapter",)),
    "russia_dprk_comtrade.py": (
        "russia_dprk_comtrade.png",
        ("2019          $47M         $2.5M        $44.5M", "2020          $42M         $3.1M        $38.9M"),
    ),
    "mirror_by_partner.py": ("mirror_by_partner.png", ("Mirror trade of PRK from", "Largest partners over all years")),
    "check_against_comtrade.py": (
        None,
        ("[OK] tf.exports.2005-jan-sep (RUS export to PRK, all goods, 2005-01/2005-09): stated 168.7 million USD",)
        if CLASSIC.is_file()
        else ("No Comtrade file:",),
    ),
    "dprk_mirror_dask.py": (
        None,
        ("2005  RUS      import            $212M", "2005: DPRK balance $-206.6M (exports $5.4M, imports $212M)"),
    ),
}


def arguments(name: str, folder: Path) -> list[str]:
    """The arguments ``name`` needs besides ``--out``: a file it reads, written into ``folder``."""
    return [str(FILES[name](folder))] if name in FILES else []


def run_example(
    name: str, *args: str, hide_matplotlib: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    script = EXAMPLES / name
    if hide_matplotlib:
        # A None entry in sys.modules makes "import matplotlib" raise ImportError, as on a machine without it.
        code = (
            "import runpy, sys; sys.modules['matplotlib'] = None; "
            f"sys.argv = {[str(script), *args]!r}; sys.path.insert(0, {str(EXAMPLES)!r}); "
            f"runpy.run_path({str(script)!r}, run_name='__main__')"
        )
        command = [sys.executable, "-c", code]
    else:
        command = [sys.executable, str(script), *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False, cwd=cwd)


def test_every_example_is_covered() -> None:
    scripts = sorted(path.name for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))
    assert scripts == sorted(CASES)
    assert len(scripts) >= 6


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_prints_its_answer_and_writes_its_chart(name: str, tmp_path: Path) -> None:
    chart, expected = CASES[name]
    result = run_example(name, *arguments(name, tmp_path), "--out", str(tmp_path / "charts"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for text in expected:
        assert text in result.stdout
    if chart is None:
        assert not (tmp_path / "charts").exists()
        return
    path = tmp_path / "charts" / chart
    assert f"Chart written to {path}" in result.stdout
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000  # a drawn chart, not an empty canvas


@pytest.mark.parametrize("name", sorted(name for name, (chart, _) in CASES.items() if chart is not None))
def test_without_matplotlib_the_example_still_answers(name: str, tmp_path: Path) -> None:
    _, expected = CASES[name]
    result = run_example(name, *arguments(name, tmp_path), "--out", str(tmp_path / "charts"), hide_matplotlib=True)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout
    assert 'pip install "nkru[plot]"' in result.stdout
    assert not (tmp_path / "charts").exists()


def test_default_out_is_nkru_output_in_the_current_folder(tmp_path: Path) -> None:
    result = run_example("khasan_freight.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "nkru-output" / "khasan_freight.png").read_bytes().startswith(PNG_SIGNATURE)


def test_aid_example_prints_the_converted_amounts() -> None:
    data = load_seed_dataset()
    then = []
    for record_id in ("sh.aid.1997-fall", "sh.aid.1997-12"):
        shipment = data.get(record_id)
        then.append(convert_currency(shipment.amount, "USD", on=shipment.period))
    now = [to_constant_dollars(amount, 1997, base_year=2025) for amount in then]
    result = run_example("aid_1997.py", "--out", "unused", hide_matplotlib=True)
    # Written to the digits of the text's "4.5 billion" (issue 14, trap 11), not to the dollar.
    assert f"= {format_measure(then[0])} at the average rate of 1997-09/1997-11" in result.stdout
    assert f"= {format_measure(then[1])} at the average rate of 1997-12" in result.stdout
    assert round(then[0].point.magnitude) == 766_043
    assert format_measure(then[0]) == "770,000 USD"
    both = total(now)
    assert f"{format_measure(both)} in 2025" in result.stdout


def test_turnover_example_prints_the_computed_fall() -> None:
    data = load_seed_dataset()
    fall = percent_change(data.get("tf.turnover.1990").amount, data.get("tf.turnover.1999").amount)
    result = run_example("turnover_timeline.py", "--out", "unused", hide_matplotlib=True)
    assert f"From the 1990 peak ($1,970M) to 1999 ($80M): {fall.point.magnitude:+.1f}%." in result.stdout


def test_consistency_example_strict_exit_status_follows_the_report() -> None:
    result = run_example("consistency_report.py", "--strict")
    assert result.returncode == (1 if check(load_seed_dataset()).errors else 0)


def example_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import an example script as a module (its ``_common`` beside it), to look at the figures it draws."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module(name)


def many_chapters(folder: Path) -> tuple[Path, pd.DataFrame]:
    """A Comtrade file with 60 chapters x 3 years x 2 flows of trade with the DPRK, and its rows as pandas reads them."""
    rng = np.random.default_rng(12)
    rows = [
        (year, flow, f"{chapter:02d}", f"Chapter {chapter:02d}, goods described at some length", value)
        for year in (2019, 2020, 2021)
        for flow in ("X", "M")
        for chapter, value in zip(range(1, 61), rng.integers(1, 500, 60) * 100_000, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["refYear", "flowCode", "cmdCode", "cmdDesc", "primaryValue"])
    frame.insert(1, "period", frame["refYear"])
    frame.insert(2, "reporterISO", "RUS")
    frame.insert(3, "partnerISO", "PRK")
    path = folder / "many.csv"
    frame.to_csv(path, index=False)
    return path, frame


class TestComtradeByChapter:
    def test_a_partner_not_in_the_file_is_named_with_exit_2(self, tmp_path: Path) -> None:
        result = run_example("comtrade_by_chapter.py", "--partner", "XXX", "--out", str(tmp_path / "charts"))
        assert result.returncode == 2
        assert result.stderr == (
            "nothing to sum: comtrade_sample.csv has no rows with partner XXX; its partners are PRK, W00\n"
        )
        assert "HS chapter" not in result.stdout
        assert not (tmp_path / "charts").exists()

    def test_a_partner_without_chapters_is_named_with_exit_2(self, tmp_path: Path) -> None:
        result = run_example("comtrade_by_chapter.py", "--partner", "W00", "--out", str(tmp_path / "charts"))
        assert result.returncode == 2
        assert "has rows with partner W00, but none of an annual two-digit HS chapter" in result.stderr

    @pytest.mark.parametrize("top", ["0", "x"])
    def test_top_must_be_a_positive_number(self, top: str) -> None:
        result = run_example("comtrade_by_chapter.py", "--top", top)
        assert result.returncode == 2
        assert "must be a whole number of at least 1" in result.stderr

    def test_many_groups_print_all_and_draw_the_largest(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path, frame = many_chapters(tmp_path)
        result = run_example("comtrade_by_chapter.py", "--csv", str(path), "--out", str(tmp_path / "charts"))
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("goods described at") == len(frame) == 360  # every sum is printed
        assert (tmp_path / "charts" / "comtrade_by_chapter.png").read_bytes().startswith(PNG_SIGNATURE)

        example = example_module("comtrade_by_chapter", monkeypatch)
        sums = nkru_chapter_sums(path)
        drawn, rest = example.bars(sums, {}, 20)
        expected = frame.assign(flow=frame["flowCode"].map({"X": "export", "M": "import"}))
        expected = expected.sort_values("primaryValue", ascending=False, kind="stable")
        assert [bar.value for bar in drawn] == expected["primaryValue"].head(20).astype(float).tolist()
        others = expected.iloc[20:].groupby("flow")["primaryValue"].agg(["sum", "size"])
        assert {bar.flow: (bar.value, bar.groups) for bar in rest} == {
            flow: (float(row["sum"]), int(row["size"])) for flow, row in others.iterrows()
        }

        figure = example.draw(example.pyplot(), drawn, rest, "title")
        try:
            assert_readable(figure, bars=20, row_inches=example.ROW_INCHES)
            note = [text.get_text() for text in figure.axes[0].texts if text.get_text().startswith("Not drawn")]
            assert note == [
                "Not drawn: "
                + "; ".join(
                    f"{bar.groups} smaller {bar.flow} groups, \\${bar.value / 1e6:,.2f}".rstrip("0").rstrip(".")
                    + "M in all"
                    for bar in rest
                )
                + "."
            ]
        finally:
            example.pyplot().close(figure)


def nkru_chapter_sums(path: Path) -> Any:
    from nkru.io.comtrade import read_comtrade  # noqa: PLC0415 - only this helper reads a file

    return read_comtrade(path).select(partners=["PRK"], level=2, freq="A").group_sum(["year", "flow", "chapter"])


def assert_readable(figure: Any, *, bars: int, row_inches: float) -> None:
    """The figure has ``bars`` bars, is as tall as they need, and no two of its bar labels overlap."""
    (axes,) = figure.axes
    assert len(axes.patches) == bars
    assert figure.get_size_inches()[1] >= row_inches * bars
    figure.canvas.draw()
    labels = [label.get_window_extent() for label in axes.get_yticklabels()]
    assert len(labels) == bars
    tops = sorted((box.y0, box.y1) for box in labels)
    assert all(upper[0] > lower[1] for lower, upper in itertools.pairwise(tops))  # a gap between labels


class TestRussiaDprkComtrade:
    def test_without_total_rows_the_chapters_are_added(self, tmp_path: Path) -> None:
        lines = [line for line in SMALL_COMTRADE.splitlines() if ",TOTAL," not in line]
        lines.append('A,2019,2019,RUS,408,PRK,X,10,"Cereals",C00,5000000')
        path = tmp_path / "chapters.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run_example("russia_dprk_comtrade.py", str(path), "--out", str(tmp_path / "charts"))
        assert result.returncode == 0, result.stderr
        assert "the sum of its two-digit HS chapters (the file has no TOTAL)" in result.stdout
        assert "2019          $35M                            " in result.stdout  # 30 + 5, no import row

    def test_a_file_without_the_pair_exits_2(self, tmp_path: Path) -> None:
        path = small_comtrade_file(tmp_path)
        result = run_example("russia_dprk_comtrade.py", str(path), "--reporter", "JPN", "--out", str(tmp_path))
        assert result.returncode == 2
        assert result.stderr == (
            "nothing to chart: the file has no annual export or import reported by JPN with partner PRK\n"
        )

    def test_a_file_that_is_no_comtrade_exits_2(self, tmp_path: Path) -> None:
        path = tmp_path / "other.csv"
        path.write_text("a,b\n1,2\n", encoding="utf-8")
        result = run_example("russia_dprk_comtrade.py", str(path), "--out", str(tmp_path))
        assert result.returncode == 2
        assert result.stderr.startswith(f"cannot read {path}: ")
        assert "is neither Comtrade Plus" in result.stderr

    @needs_shared
    def test_the_real_series_from_the_shared_classic_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        raw = pd.read_csv(CLASSIC, dtype={"Reporter ISO": str, "Partner ISO": str})
        russia = raw[
            (raw["Reporter ISO"] == "RUS") & (raw["Partner ISO"] == "PRK") & (raw["Commodity Code"] == "TOTAL")
        ]
        expected = (
            russia.assign(flow=russia["Trade Flow Code"].map({1: "import", 2: "export"}))
            .pivot_table(index="Year", columns="flow", values="Trade Value (US$)", aggfunc="sum")
            .astype(float)
        )
        assert expected.index.tolist() == [2003, 2004, 2005, 2006, 2007]

        example = example_module("russia_dprk_comtrade", monkeypatch)
        from nkru.io.comtrade import read_comtrade  # noqa: PLC0415 - as the example reads it

        by_year, kind = example.series(read_comtrade(CLASSIC), "RUS", "PRK")
        assert kind == "TOTAL"
        assert by_year.index.tolist() == expected.index.tolist()
        for flow in ("export", "import"):
            assert by_year[flow].tolist() == expected[flow].tolist()

        result = run_example("russia_dprk_comtrade.py", str(CLASSIC), "--out", str(tmp_path / "charts"))
        assert result.returncode == 0, result.stderr
        for year, row in expected.iterrows():
            cells = [example.millions(row["export"]), example.millions(row["import"])]
            assert f"{year:>4}  {cells[0]:>12}  {cells[1]:>12}" in result.stdout

        figure = example.draw(example.pyplot(), by_year, "title", "note")
        try:
            heights = [patch.get_height() for patch in figure.axes[0].patches]
            np.testing.assert_allclose(
                heights, [*expected["export"] / 1e6, *expected["import"] / 1e6], rtol=1e-15, atol=0
            )
        finally:
            example.pyplot().close(figure)


def example_helpers() -> Any:
    """The examples' own ``_common`` module (its formatting of amounts), loaded from its file."""
    spec = importlib.util.spec_from_file_location("nkru_examples_common", EXAMPLES / "_common.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_mirror_example_prints_the_partners_reports_as_pandas_sums_them() -> None:
    raw = pd.read_csv(CLASSIC, dtype={"Partner ISO": str, "Reporter ISO": str})
    rows = raw[raw["Partner ISO"] == "PRK"]
    exports = rows[rows["Trade Flow Code"] == 1].groupby("Year")["Trade Value (US$)"].sum() / 1.06
    imports = rows[rows["Trade Flow Code"] == 2].groupby("Year")["Trade Value (US$)"].sum()
    russia = rows[(rows["Reporter ISO"] == "RUS") & (rows["Trade Flow Code"] == 2)].set_index("Year")
    millions = example_helpers().millions
    result = run_example("mirror_by_partner.py", "--cif-fob", "1.06", "--out", "unused", hide_matplotlib=True)
    assert result.returncode == 0, result.stderr
    for year in range(2003, 2008):
        x, m = exports[year], imports[year]
        line = (
            f"{year}  {millions(x):>10}  {millions(m):>10}  {'-' + millions(m - x) if x < m else millions(x - m):>11}"
        )
        assert line in result.stdout
        share = russia.loc[year, "Trade Value (US$)"] / m * 100
        assert f"RUS {millions(russia.loc[year, 'Trade Value (US$)'])} ({share:.1f}%)" in result.stdout


def test_mirror_example_names_a_party_it_cannot_mirror() -> None:
    result = run_example("mirror_by_partner.py", "--of", "KOR", "--csv", str(EXAMPLES / "data" / "comtrade_sample.csv"))
    assert result.returncode == 2
    assert "cannot mirror KOR from" in result.stderr
    assert "of: is the partner of no row" in result.stderr


@needs_shared
def test_check_against_comtrade_prints_the_ratios_pandas_gives() -> None:
    frame = pd.read_csv(CLASSIC)
    russia = frame[(frame["Reporter ISO"] == "RUS") & (frame["Partner ISO"] == "PRK") & (frame["Year"] == 2005)]
    exports = float(russia.loc[russia["Trade Flow Code"] == 2, "Trade Value (US$)"].sum())
    imports = float(russia.loc[russia["Trade Flow Code"] == 1, "Trade Value (US$)"].sum())
    result = run_example("check_against_comtrade.py")
    assert result.returncode == 0, result.stderr
    assert "2 agree or fit, 1 differ, 0 cannot be compared." in result.stdout
    assert "[DIFFERS] tf.turnover.2005" in result.stdout
    assert f"stated / reported = {format_number(168.7e6 / exports, 3)}" in result.stdout
    assert f"stated / reported = {format_number(172.3e6 / (exports + imports), 3)}: differs" in result.stdout
    assert f"the reported figure is {format_number(exports * 273 / 365 / 1e6)} million USD" in result.stdout


def test_check_against_comtrade_names_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    result = run_example("check_against_comtrade.py", "--csv", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"cannot read {bad}: cannot build TradeTable")

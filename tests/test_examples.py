"""Every script in examples/ runs, prints its answer, and writes its chart (or says how to get one)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nkru.aggregate import percent_change, total
from nkru.checks import check
from nkru.fx import convert_currency
from nkru.prices import to_constant_dollars
from nkru.seed import load_seed_dataset

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

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
    "mirror_by_partner.py": ("mirror_by_partner.png", ("Mirror trade of PRK from", "Largest partners over all years")),
    "dprk_mirror_dask.py": (
        None,
        ("2005  RUS      import            $212M", "2005: DPRK balance $-206.6M (exports $5.4M, imports $212M)"),
    ),
}


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
    result = run_example(name, "--out", str(tmp_path / "charts"))
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
    result = run_example(name, "--out", str(tmp_path / "charts"), hide_matplotlib=True)
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
    assert f"= {then[0].point.magnitude:,.0f} USD at the average rate of 1997-09/1997-11" in result.stdout
    assert f"= {then[1].point.magnitude:,.0f} USD at the average rate of 1997-12" in result.stdout
    both = total(now).point.magnitude
    assert f"{both / 1e6:.5g} million USD (derived) in 2025" in result.stdout


def test_turnover_example_prints_the_computed_fall() -> None:
    data = load_seed_dataset()
    fall = percent_change(data.get("tf.turnover.1990").amount, data.get("tf.turnover.1999").amount)
    result = run_example("turnover_timeline.py", "--out", "unused", hide_matplotlib=True)
    assert f"From the 1990 peak ($1,970M) to 1999 ($80M): {fall.point.magnitude:+.1f}%." in result.stdout


def test_consistency_example_strict_exit_status_follows_the_report() -> None:
    result = run_example("consistency_report.py", "--strict")
    assert result.returncode == (1 if check(load_seed_dataset()).errors else 0)


def example_helpers() -> Any:
    """The examples' own ``_common`` module (its formatting of amounts), loaded from its file."""
    spec = importlib.util.spec_from_file_location("nkru_examples_common", EXAMPLES / "_common.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHARED_CLASSIC = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "comtrade"
    / "classic_partners-PRK-KOR-JPN-USA_TOTAL_2003-2007.csv"
)


@pytest.mark.skipif(not SHARED_CLASSIC.is_file(), reason=f"the shared Classic file is not here ({SHARED_CLASSIC})")
def test_mirror_example_prints_the_partners_reports_as_pandas_sums_them() -> None:
    raw = pd.read_csv(SHARED_CLASSIC, dtype={"Partner ISO": str, "Reporter ISO": str})
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

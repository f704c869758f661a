"""Time nkru's Comtrade reader end to end on a real-shaped file against pandas, polars and DuckDB.

Run: ``.venv/bin/python benchmarks/bench_comtrade.py`` (1,000,000 rows); ``--rows N`` for
another size, ``--growth`` to add a 10,000,000-row run of nkru and pandas (a) (about 3.4 GB
of CSV, written once).

**The file.** The shared Comtrade Plus download
(``../shared/data/comtrade/plus_THA_imports_HS8542_2014-2024.csv``: Thailand's imports of HS
8542 by partner, 1,178 rows, 47 columns) repeated until the file has ``--rows`` data rows, each
copy with its years shifted (``refPeriodId``, ``refYear``, ``period``: 1962-2024) and its country
partners rotated (``partnerCode``, ``partnerISO`` and ``partnerDesc`` move together; the World
and the "nes" areas stay). It is written as Comtrade writes it: cp1252, LF, every field
double-quoted, empty fields bare, and a trailing comma after the last column on every data row.
Files are written once to ``benchmarks/.data/`` (gitignored) and reused.

**The work**, end to end from the file as downloaded: read it, convert the values to US dollars
(they are in US dollars already: nkru checks that and converts nothing, the others skip it),
keep the rows whose partner is a country (not the World, not an area), and sum the value and
the net weight by (year, reporter, partner, flow).

- nkru: ``nkru.read_comtrade(path).convert_currency("USD").select(partners="countries")
  .group_sum(["year", "reporter", "partner", "flow"])``; this checks every row of every column
  it keeps.
- pandas (a): ``pd.read_csv(path, encoding="cp1252", index_col=False, usecols=<the 6 columns the
  work needs>, dtype=...)``, a mask of the non-country partner codes, ``groupby(...).sum()``.
- pandas (b): the same, reading the columns nkru keeps (34 of the file's 47), as nkru does.
- polars: ``pl.scan_csv`` of the 6 columns (lazy, multithreaded), filter, ``group_by().sum()``.
  polars reads no cp1252: ``encoding="utf8-lossy"`` (the 6 columns are ASCII, so nothing is lost).
- DuckDB: one SQL query over ``read_csv(path, encoding='latin-1', ...)`` (the 6 columns are
  ASCII; DuckDB has no cp1252 without an extension).

All five results must agree (same groups; sums within 1e-9 relative; nkru's NaN for a group
with no stated weight counts as pandas' 0).

**Time**: best of ``--repeat`` runs each, interleaved in two rounds (the machine is shared:
the load average is printed with the results). **Peak memory**: each contender runs once in a
fresh child process, which reports how far its peak resident set (Linux ``VmHWM``) rose above
what it held just before the run (reset by writing 5 to ``/proc/self/clear_refs``). A child per
contender keeps the peaks apart: in one process, memory freed by one contender stays mapped by
the allocator and hides the next one's peak; and RSS counts what C code (Arrow's and polars'
readers) takes from malloc, which ``tracemalloc`` does not see. The file is in the page cache
for every contender (page cache is not counted in RSS).

Targets (issue 12): nkru <= 1.2x pandas (b) and <= 2x pandas (a) in time; peak memory <= 1.5x
pandas (b)'s. The last line printed is ``nkru/pandas end-to-end ratio: X.XX``, against (a).
Nothing here is a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

import nkru
from nkru.io.comtrade import COLUMNS
from nkru.parties import COMTRADE_AREAS

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "comtrade" / "plus_THA_imports_HS8542_2014-2024.csv"
CACHE = HERE / ".data"
KEYS = ["year", "reporter", "partner", "flow"]
#: The file's columns the work needs, and the names the results use for them.
NEEDED = {"refYear": "year", "reporterISO": "reporter", "partnerISO": "partner", "flowCode": "flow"}
SUMMED = {"primaryValue": "value", "netWgt": "mass"}
DTYPES = {"refYear": "int16", "reporterISO": "category", "partnerISO": "category", "flowCode": "category"}
#: Partner codes (ISO-like) that are no country: the World, groups, "nes" areas and special categories.
NOT_COUNTRIES = sorted({area.code for area in COMTRADE_AREAS.values() if area.kind.value != "country"})
YEAR_SHIFTS = 53  # copies shift the years 0..52 back: 2014-2024 becomes as early as 1962-1972
FLOW_NAMES = {"export": "X", "import": "M", "re_export": "RX", "re_import": "RM"}


# -- the file -------------------------------------------------------------------------------------


def write_file(rows: int, folder: Path = CACHE) -> Path:
    """The benchmark file of ``rows`` data rows, written once to ``folder`` and reused."""
    folder.mkdir(exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    path = folder / f"plus_{rows}.csv"
    if path.exists():
        return path
    source = SHARED.read_bytes()
    with io.TextIOWrapper(io.BytesIO(source), encoding="cp1252", newline="") as text:
        table = list(csv.reader(text))
    header, records = table[0], [row[:-1] for row in table[1:]]  # each row's empty trailing field
    at = {name: header.index(name) for name in header}
    partners: dict[str, tuple[str, str, str]] = {}
    for row in records:
        iso = row[at["partnerISO"]]
        if iso not in NOT_COUNTRIES:
            partners[iso] = (row[at["partnerCode"]], iso, row[at["partnerDesc"]])
    pool = sorted(partners.values(), key=lambda triple: triple[1])
    position = {triple[1]: i for i, triple in enumerate(pool)}

    def quoted(cells: list[str]) -> str:
        return ",".join(f'"{cell}"' if cell else "" for cell in cells) + ",\n"

    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="cp1252", newline="") as out:
        out.write(",".join(header) + "\n")
        written, copy = 0, 0
        while written < rows:
            shift, turn = copy % YEAR_SHIFTS, (copy * 7) % len(pool)
            lines = []
            for row in records[: rows - written]:
                cells = list(row)
                year = int(cells[at["refYear"]]) - shift
                cells[at["refYear"]] = cells[at["period"]] = str(year)
                cells[at["refPeriodId"]] = f"{year}0101"
                iso = cells[at["partnerISO"]]
                if iso in position:
                    code, iso, name = pool[(position[iso] + turn) % len(pool)]
                    cells[at["partnerCode"]], cells[at["partnerISO"]], cells[at["partnerDesc"]] = code, iso, name
                lines.append(quoted(cells))
            out.write("".join(lines))
            written += len(lines)
            copy += 1
    tmp.replace(path)
    return path


# -- the contenders -------------------------------------------------------------------------------


def run_nkru(path: Path) -> pd.DataFrame:
    table = nkru.read_comtrade(path).convert_currency("USD").select(partners="countries")
    result = table.group_sum(KEYS)
    result["flow"] = result["flow"].astype(str).map(FLOW_NAMES)
    for key in ("reporter", "partner"):
        result[key] = result[key].astype(str)
    return result[[*KEYS, "value", "mass"]]


def _pandas_work(frame: pd.DataFrame) -> pd.DataFrame:
    # Comtrade pads some codes ("_X "): strip the categories (a few), not the million cells
    frame["partnerISO"] = frame["partnerISO"].cat.rename_categories(str.strip)
    countries = frame[~frame["partnerISO"].isin(NOT_COUNTRIES)]
    summed = countries.groupby(list(NEEDED), observed=True, sort=True)[list(SUMMED)].sum()
    return summed.reset_index().rename(columns=NEEDED | SUMMED)


def run_pandas_a(path: Path) -> pd.DataFrame:
    """An experienced pandas user's version: only the columns the work needs, with dtype hints."""
    wanted = [*NEEDED, *SUMMED]
    frame = pd.read_csv(path, encoding="cp1252", index_col=False, usecols=wanted, dtype=DTYPES)
    return _pandas_work(frame)


def run_pandas_b(path: Path) -> pd.DataFrame:
    """The same, reading the columns nkru keeps (text columns as categories, as nkru holds them)."""
    with path.open(encoding="cp1252") as handle:
        header = handle.readline().rstrip("\n").split(",")
    kept = [name for name in header if name in COLUMNS]
    numbers = {"primaryValue", "netWgt", "qty", "cifvalue", "fobvalue", "grossWgt", "altQty"}
    dtype: dict[str, Any] = {name: "category" for name in kept if name not in numbers}
    dtype |= {name: "float64" for name in kept if name in numbers}
    dtype |= {"refYear": "int16", "period": "int32"}
    frame = pd.read_csv(path, encoding="cp1252", index_col=False, usecols=kept, dtype=dtype)
    return _pandas_work(frame)


def run_polars(path: Path) -> pd.DataFrame:
    import polars as pl  # noqa: PLC0415 - optional: the bench extra

    wanted = [*NEEDED, *SUMMED]
    frame = (
        pl.scan_csv(
            path,
            encoding="utf8-lossy",
            truncate_ragged_lines=True,
            schema_overrides={"refYear": pl.Int16, "primaryValue": pl.Float64, "netWgt": pl.Float64},
        )
        .select(wanted)
        .with_columns(pl.col("partnerISO").str.strip_chars())  # Comtrade pads some codes ("_X ")
        .filter(~pl.col("partnerISO").is_in(NOT_COUNTRIES))
        .group_by(list(NEEDED))
        .agg(pl.col("primaryValue").sum(), pl.col("netWgt").sum())
        .sort(list(NEEDED))
        .collect()
    )
    return frame.to_pandas().rename(columns=NEEDED | SUMMED)


def run_duckdb(path: Path) -> pd.DataFrame:
    import duckdb  # noqa: PLC0415 - optional: the bench extra

    excluded = ", ".join(f"'{code}'" for code in NOT_COUNTRIES)
    query = f"""
        SELECT refYear AS year, reporterISO AS reporter, trim(partnerISO) AS partner, flowCode AS flow,
               sum(primaryValue) AS value, sum(netWgt) AS mass
        FROM read_csv('{path}', header = true, encoding = 'latin-1', null_padding = true,
                      types = {{'refYear': 'INTEGER', 'primaryValue': 'DOUBLE', 'netWgt': 'DOUBLE'}})
        WHERE trim(partnerISO) NOT IN ({excluded})  -- Comtrade pads some codes ("_X ")
        GROUP BY ALL ORDER BY ALL
    """
    with duckdb.connect() as connection:
        return connection.sql(query).df()


CONTENDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "nkru": run_nkru,
    "pandas (a)": run_pandas_a,
    "pandas (b)": run_pandas_b,
    "polars": run_polars,
    "duckdb": run_duckdb,
}
OPTIONAL = {"polars": "polars", "duckdb": "duckdb"}


def available(name: str) -> bool:
    module = OPTIONAL.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


# -- measuring ------------------------------------------------------------------------------------


def best_of(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def child_peak(name: str, path: Path) -> int:
    """Peak RSS of a fresh process running one contender once, above its RSS just before, in KiB."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", name, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return int(output.strip().splitlines()[-1])


def child(name: str, path: Path) -> None:
    function = CONTENDERS[name]
    if name == "polars":
        import polars as pl  # noqa: F401, PLC0415 - imported before the reset, as nkru, pandas and pyarrow are
    if name == "duckdb":
        import duckdb  # noqa: F401, PLC0415
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the RSS now
    before = status_kib("VmHWM")
    function(path)
    print(status_kib("VmHWM") - before)


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> tuple[bool, float]:
    """Same groups and sums within 1e-9 relative (a NaN sum, no weight stated, counts as 0); the worst difference."""
    left = ours.assign(**{key: ours[key].astype(str) for key in KEYS})
    right = theirs.assign(**{key: theirs[key].astype(str) for key in KEYS})
    both = left.merge(right, on=KEYS, how="outer", suffixes=("_1", "_2"), indicator=True)
    if not (both["_merge"] == "both").all() or len(both) != len(ours):
        return False, float("inf")
    worst = 0.0
    ok = True
    for name in SUMMED.values():
        a = both[f"{name}_1"].fillna(0.0).to_numpy(dtype=np.float64)
        b = both[f"{name}_2"].fillna(0.0).to_numpy(dtype=np.float64)
        ok &= bool(np.allclose(a, b, rtol=1e-9, atol=0.0))
        scale = np.where(b == 0, 1.0, np.abs(b))
        worst = max(worst, float(np.max(np.abs(a - b) / scale)))
    return ok, worst


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def bench(rows: int, repeat: int, names: list[str]) -> dict[str, tuple[float, int]]:
    started = time.perf_counter()
    path = write_file(rows)
    print(
        f"file: {path.name}, {rows:,} data rows, {path.stat().st_size / 2**20:,.0f} MiB ({time.perf_counter() - started:.1f} s to make or find)"
    )
    for name in names:
        if not available(name):
            print(f"{name}: not installed, skipped (pip install 'nkru[bench]')")
    names = [name for name in names if available(name)]
    path.read_bytes()  # into the page cache, for every contender alike
    print(f"load average before: {load()}")
    times: dict[str, float] = {}
    results: dict[str, pd.DataFrame] = {}
    for _round in range(2):  # interleaved rounds: no contender profits from running first
        for name in names:
            elapsed, results[name] = best_of(lambda name=name: CONTENDERS[name](path), repeat)
            times[name] = min(times.get(name, float("inf")), elapsed)
    peaks = {name: child_peak(name, path) for name in names}
    print(f"load average after: {load()}")
    reference = results["pandas (a)"] if "pandas (a)" in results else results[names[0]]
    print(f"groups: {len(reference):,}")
    print(f"{'':14}{'time':>10}{'peak RSS':>12}{'time ratio':>12}{'memory ratio':>14}  agrees with pandas (a)")
    base = "pandas (b)" if "pandas (b)" in names else "pandas (a)"
    for name in names:
        ok, worst = agree(results[name], reference)
        print(
            f"{name:14}{times[name]:9.3f}s{peaks[name] / 1024:9.0f}MiB"
            f"{times[name] / times[base]:12.2f}{peaks[name] / max(peaks[base], 1):14.2f}  {ok} (worst {worst:.1e})"
        )
    print(f"(ratios against {base})")
    return {name: (times[name], peaks[name]) for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--growth", action="store_true", help="also run nkru and pandas (a) on 10,000,000 rows")
    parser.add_argument("--only", nargs="*", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if not SHARED.exists():
        sys.exit(f"the shared Comtrade Plus file is not at {SHARED}")
    started = time.perf_counter()
    print(
        f"nkru {nkru.__version__}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, pyarrow {pa.__version__}, {os.cpu_count()} CPUs "
        f"({len(os.sched_getaffinity(0))} usable), {platform.machine()}"
    )
    names = args.only or list(CONTENDERS)
    measured = bench(args.rows, args.repeat, names)
    nkru_time, nkru_peak = measured["nkru"]
    a_time = measured["pandas (a)"][0]
    if "pandas (b)" in measured:
        b_time, b_peak = measured["pandas (b)"]
        print(f"nkru/pandas (b) time: {nkru_time / b_time:.2f} (target <= 1.2)")
        print(f"nkru/pandas (b) peak memory: {nkru_peak / b_peak:.2f} (target <= 1.5)")
    print(f"nkru/pandas (a) time: {nkru_time / a_time:.2f} (target <= 2)")
    fastest = [measured[name][0] for name in ("polars", "duckdb") if name in measured]
    if fastest:
        print(f"nkru/fastest of polars and DuckDB: {nkru_time / min(fastest):.2f}")
    if args.growth:
        print()
        big = bench(10 * args.rows, 1, ["nkru", "pandas (a)"])
        for name in ("nkru", "pandas (a)"):
            (small_time, small_peak), (big_time, big_peak) = measured[name], big[name]
            print(
                f"{name}: {10 * args.rows:,} rows cost {big_time / small_time:.1f}x the time"
                f" and {big_peak / small_peak:.1f}x the peak memory of {args.rows:,}"
            )
    print(f"\nwhole script: {time.perf_counter() - started:.1f} s")
    print(f"nkru/pandas end-to-end ratio: {nkru_time / a_time:.2f}")


if __name__ == "__main__":
    main()

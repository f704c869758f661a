"""Time the DPRK mirror work at 1M, 10M and 50M rows: nkru in memory, nkru on Dask, polars streaming.

Run: ``.venv/bin/python benchmarks/bench_dask.py`` (``--rows 1000000,10000000`` for other sizes,
``--engines memory,dask,polars`` to choose, ``--plot docs/_static/scaling.png`` to draw the curve).

The data: generated Comtrade Plus CSV files of one million rows each (years 2000-2023, 20
reporters, 30 partners and the World, flows X and M, the 96 HS chapters; values in USD,
weights in kg), written once under ``benchmarks/.cache/dask`` (gitignored) and reused.
Each size reads the first N/1M files.

The work, the same for every engine: read the files, convert values to euros at nkru's
annual-average rates, keep the country partners (not the World), sum value and weight by
(year, reporter, partner, flow), and the DPRK mirror from those sums: the partners' reports
of trade with the DPRK, by (year, reporter, flow).

- ``memory``: ``nkru.read_comtrade`` per file, ``TradeTable.concat``, then the table's methods.
- ``dask``: ``nkru.dask.read_comtrade`` over the folder on a ``LocalCluster`` of 2 worker
  processes (1 thread each) with ``memory_limit`` per worker (``--memory-limit``, 1 GiB by default),
  partitions of at most 64 MiB of CSV, nkru.dask's default (``--blocksize``): one per generated file of
  about 41 MiB. The workers import nkru and load its default rate table
  before the clock starts (the other engines do the same before theirs: polars needs the rates for its join
  table); the seconds that took are recorded as ``worker_import_seconds``.
- ``polars``: ``pl.scan_csv`` and ``collect(engine="streaming")``, the same conversion
  (a join on nkru's yearly EUR rates) and sums, the mirror from the sums; skipped, saying so, when polars is not installed
  (``pip install "nkru[bench]"``).

Each engine runs in a fresh child process; its peak memory is that process's peak resident
set (``ru_maxrss``); for Dask, each worker's own peak (workers are fresh processes), and
whether any worker was restarted (their addresses before and after). Every engine's sums
are checked against the in-memory ones (or the Dask ones where memory was not run) to a
relative 1e-6.
"""

# Each engine's libraries are imported in its own child process, so that one engine's imports do not count in
# another's peak memory: the imports inside functions are on purpose.
# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / ".cache" / "dask"
FILE_ROWS = 1_000_000
HEADER = ["refYear", "period", "freqCode", "reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue", "netWgt"]
REPORTERS = [
    "RUS",
    "CHN",
    "THA",
    "IND",
    "BRA",
    "DEU",
    "FRA",
    "JPN",
    "KOR",
    "USA",
    "TUR",
    "VNM",
    "IDN",
    "MYS",
    "SGP",
    "AUS",
    "CAN",
    "MEX",
    "ZAF",
    "EGY",
]
PARTNERS = [
    *REPORTERS[:10],
    "PRK",
    "PAK",
    "BGD",
    "PHL",
    "ARG",
    "CHL",
    "PER",
    "NGA",
    "KEN",
    "ETH",
    "UKR",
    "KAZ",
    "UZB",
    "MNG",
    "IRN",
    "IRQ",
    "SAU",
    "ARE",
    "ISR",
    "GBR",
    "W00",
]
CHAPTERS = [f"{c:02d}" for c in range(1, 98) if c != 77]
KEYS = ["year", "reporter", "partner", "flow"]
MIRROR = ["year", "reporter", "flow"]


def generate(count: int) -> list[Path]:
    """The first ``count`` cached files, written if missing."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = CACHE / f"plus-{index:03d}.csv"
        paths.append(path)
        if path.exists():
            continue
        rng = np.random.default_rng(index)
        years = rng.integers(2000, 2024, FILE_ROWS)
        reporters = np.array(REPORTERS)[rng.integers(0, len(REPORTERS), FILE_ROWS)]
        partners = np.array(PARTNERS)[rng.integers(0, len(PARTNERS), FILE_ROWS)]
        same = reporters == partners
        partners[same] = "PRK"
        table = pa.table(
            {
                "refYear": years,
                "period": years,
                "freqCode": np.full(FILE_ROWS, "A"),
                "reporterISO": reporters,
                "partnerISO": partners,
                "flowCode": np.array(["X", "M"])[rng.integers(0, 2, FILE_ROWS)],
                "cmdCode": np.array(CHAPTERS)[rng.integers(0, len(CHAPTERS), FILE_ROWS)],
                "primaryValue": rng.integers(1, 10**9, FILE_ROWS).astype(np.float64),
                "netWgt": rng.integers(1, 10**7, FILE_ROWS).astype(np.float64),
            }
        )
        temporary = path.with_suffix(".tmp")
        pacsv.write_csv(table, temporary, pacsv.WriteOptions(quoting_style="none"))
        temporary.rename(path)
    return paths


def mirror_of(sums):
    """The DPRK mirror from the group sums: what the partners report of their trade with the DPRK."""
    prk = sums[sums["partner"].astype(str) == "PRK"]
    return prk.groupby(MIRROR, observed=True)[["value", "mass"]].sum().reset_index()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_memory(paths: list[str]) -> dict:
    import nkru
    from nkru.fx import ExchangeRates
    from nkru.table import TradeTable

    ExchangeRates.default()  # loaded before the clock, as in the other engines
    start = time.perf_counter()
    table = TradeTable.concat([nkru.read_comtrade(path) for path in paths]).convert_currency("EUR")
    countries = table.select(partners="countries")
    sums = countries.group_sum(KEYS)
    mirror = mirror_of(sums)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mib": [peak_mib()],
        "total": float(sums["value"].sum()),
        "mirror": float(mirror["value"].sum()),
        "groups": len(sums),
    }


def warm() -> None:
    """What a worker does before the clock: import nkru's Dask package and load the default rate table."""
    importlib.import_module("nkru.dask")
    from nkru.fx import ExchangeRates

    ExchangeRates.default()


def run_dask(paths: list[str], memory_limit: str, blocksize: int) -> dict:
    import distributed

    import nkru.dask

    def worker_peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, memory_limit=memory_limit, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        before = sorted(client.scheduler_info()["workers"])
        # the workers import nkru and load its rates before the clock starts, as the other engines do
        imported = time.perf_counter()
        client.run(warm)
        imports = time.perf_counter() - imported
        start = time.perf_counter()
        table = nkru.dask.read_comtrade(paths, blocksize=blocksize).convert_currency("EUR").select(partners="countries")
        sums = table.group_sum(KEYS)
        mirror = mirror_of(sums)
        seconds = time.perf_counter() - start
        after = sorted(client.scheduler_info()["workers"])
        peaks = client.run(worker_peak)
    return {
        "seconds": seconds,
        "peak_mib": sorted(peaks.values()),
        "restarted": before != after,
        "worker_import_seconds": imports,
        "total": float(sums["value"].sum()),
        "mirror": float(mirror["value"].sum()),
        "groups": len(sums),
    }


def run_polars(paths: list[str]) -> dict:
    import polars as pl

    from nkru.fx import ExchangeRates
    from nkru.units import money

    rates = ExchangeRates.default()
    years = list(range(2000, 2024))
    factors = [float(rates.convert(money(1.0, "USD"), "EUR", on=year).magnitude) for year in years]
    table = pl.DataFrame({"refYear": years, "factor": factors}).lazy()
    start = time.perf_counter()
    rows = (
        pl.scan_csv(paths, schema_overrides={"primaryValue": pl.Float64, "netWgt": pl.Float64, "cmdCode": pl.Utf8})
        .filter(pl.col("partnerISO") != "W00")
        .join(table, on="refYear")
        .with_columns(value=pl.col("primaryValue") * pl.col("factor"))
    )
    sums = (
        rows.group_by(["refYear", "reporterISO", "partnerISO", "flowCode"])
        .agg(pl.col("value").sum(), pl.col("netWgt").sum())
        .collect(engine="streaming")
    )
    mirror = (
        sums.filter(pl.col("partnerISO") == "PRK")
        .group_by(["refYear", "reporterISO", "flowCode"])
        .agg(pl.col("value").sum())
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mib": [peak_mib()],
        "total": float(sums["value"].sum()),
        "mirror": float(mirror["value"].sum()),
        "groups": sums.height,
    }


def child(engine: str, paths: list[str], memory_limit: str, blocksize: int) -> None:
    if engine == "memory":
        result = run_memory(paths)
    elif engine == "dask":
        result = run_dask(paths, memory_limit, blocksize)
    else:
        result = run_polars(paths)
    print("RESULT " + json.dumps(result))


def measure(engine: str, paths: list[Path], memory_limit: str, blocksize: int) -> dict | None:
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--memory-limit",
        memory_limit,
        "--blocksize",
        str(blocksize),
        *map(str, paths),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    for line in run.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    print(f"  {engine} failed:\n{run.stderr[-3000:]}")
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000,10000000,50000000")
    parser.add_argument("--engines", default="memory,dask,polars")
    parser.add_argument("--memory-limit", default="1GiB")
    parser.add_argument(
        "--blocksize", type=int, default=64 << 20, help="bytes of CSV per Dask partition (nkru.dask.DEFAULT_BLOCKSIZE)"
    )
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--plot-only", action="store_true", help="draw --plot from the recorded results, run nothing")
    parser.add_argument("--child", default=None)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.paths, args.memory_limit, args.blocksize)
        return
    if args.plot_only:
        plot(args.plot)
        return
    engines = args.engines.split(",")
    if "polars" in engines:
        try:
            import polars as pl  # noqa: F401
        except ImportError:
            print('polars is not installed: its column is skipped (pip install "nkru[bench]")')
            engines.remove("polars")
    for rows in (int(n) for n in args.rows.split(",")):
        paths = generate(max(1, rows // FILE_ROWS))
        size = sum(path.stat().st_size for path in paths) / 2**20
        print(f"{rows:,} rows ({len(paths)} files, {size:,.0f} MiB on disk), {os.cpu_count()} cores:")
        results = {}
        for engine in engines:
            result = measure(engine, paths, args.memory_limit, args.blocksize)
            if result is None:
                continue
            results[engine] = result
            record(engine, rows, result, args.memory_limit)
            peaks = ", ".join(f"{peak:,.0f}" for peak in result["peak_mib"])
            extra = (
                f", worker restarted: {result['restarted']}, memory_limit {args.memory_limit}"
                f", workers' nkru import {result['worker_import_seconds']:.1f} s (before the clock)"
                if engine == "dask"
                else ""
            )
            print(
                f"  {engine:7s} {result['seconds']:8.1f} s  {rows / result['seconds']:>12,.0f} rows/s  peak MiB per process: {peaks}{extra}"
            )
        reference = results.get("memory") or results.get("dask")
        for engine, result in results.items():
            for name in ("total", "mirror"):
                if not np.isclose(result[name], reference[name], rtol=1e-6):
                    print(f"  MISMATCH: {engine} {name} {result[name]!r} against {reference[name]!r}")
        if "dask" in results and "memory" in results:
            print(f"  Dask / in memory: {results['dask']['seconds'] / results['memory']['seconds']:.2f}x")
        if "dask" in results and "polars" in results:
            print(f"  Dask / polars streaming: {results['dask']['seconds'] / results['polars']['seconds']:.2f}x")
    if args.plot:
        plot(args.plot)


def record(engine: str, rows: int, result: dict, memory_limit: str) -> None:
    """Keep the measurement in the cache's results.json, so a plot can join runs of different sizes."""
    path = CACHE / "results.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved[f"{engine}/{rows}"] = {**result, "engine": engine, "rows": rows, "memory_limit": memory_limit}
    path.write_text(json.dumps(saved, indent=1))


def plot(target: Path) -> None:
    """Draw seconds against rows for every engine, from the last measurement of each size in results.json."""
    saved = json.loads((CACHE / "results.json").read_text())
    curve: dict[str, list[tuple[int, float]]] = {}
    for result in saved.values():
        curve.setdefault(result["engine"], []).append((result["rows"], result["seconds"]))
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for engine, points in sorted(curve.items()):
        points.sort()
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=engine)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("rows")
    axes.set_ylabel("seconds (read, convert, select, sum, mirror)")
    axes.set_title("nkru: in memory and on Dask (2 workers)")
    axes.legend()
    figure.tight_layout()
    figure.savefig(target, dpi=100)
    print(f"plot: {target}")


if __name__ == "__main__":
    main()

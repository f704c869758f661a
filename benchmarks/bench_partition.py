"""Time the per-partition work of nkru on Dask, single-threaded, stage by stage, against Arrow's parse alone.

Run: ``.venv/bin/python benchmarks/bench_partition.py`` (``--repeat N`` for best of N, ``--block-mib M``
for another block size, ``--profile`` to print cProfile's top functions of one run).

**The block.** One 16 MiB block of the first generated Comtrade Plus file of ``bench_dask.py``
(``benchmarks/.cache/dask/plus-000.csv``, written by its ``generate(1)`` if missing): the file's
header, then its bytes from the start of line 2, cut at the last line break before 16 MiB, as
``nkru.dask`` cuts a partition (about 390,000 rows of 9 columns).

**The work**, what one Dask worker thread does per partition (``bench_dask.py``'s ``dask`` engine):
``nkru.read_comtrade(block, encoding="utf-8", max_rows=None)`` -> ``.convert_currency("EUR")``
-> ``.select(partners="countries")`` -> ``.group_sum(["year", "reporter", "partner", "flow"])``.
Each stage is timed on its own (best of ``--repeat``), and the whole chain as one.

**The baseline**, in the same process: ``pyarrow.csv.read_csv`` of the same bytes with the column
types nkru's reader asks of Arrow (text as ``dictionary<int32, binary>``, numbers as float64), and
nothing else. Arrow runs on one thread (``pyarrow.set_cpu_count(1)``, ``use_threads=False`` for the
baseline) since a Dask worker here has one.

The last line is ``nkru/baseline per-partition ratio: X.XX``. Nothing here is a test: the times
depend on the machine, and the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from bench_dask import KEYS, generate  # beside this script, which Python puts first on sys.path

import nkru

#: The generated file's columns and the types nkru's reader asks Arrow for (see nkru.io.comtrade._arrow).
TYPES = {
    "refYear": pa.float64(),
    "period": pa.float64(),
    "freqCode": pa.dictionary(pa.int32(), pa.binary()),
    "reporterISO": pa.dictionary(pa.int32(), pa.binary()),
    "partnerISO": pa.dictionary(pa.int32(), pa.binary()),
    "flowCode": pa.dictionary(pa.int32(), pa.binary()),
    "cmdCode": pa.dictionary(pa.int32(), pa.binary()),
    "primaryValue": pa.float64(),
    "netWgt": pa.float64(),
}


def block_of(path: Path, size: int) -> bytes:
    """The file's header and its records from line 2, cut at the last line break within ``size`` bytes."""
    with path.open("rb") as handle:
        header = handle.readline()
        body = handle.read(size)
    return header + body[: body.rindex(b"\n") + 1]


def best(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The least time of ``repeat`` runs, and the last run's result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def baseline(block: bytes) -> pa.Table:
    convert = pacsv.ConvertOptions(
        column_types=TYPES, null_values=[""], strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    read = pacsv.ReadOptions(use_threads=False, block_size=4 << 20)
    return pacsv.read_csv(pa.BufferReader(block), read_options=read, convert_options=convert)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--block-mib", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of one chain")
    options = parser.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    (path,) = generate(1)
    block = block_of(path, options.block_mib << 20)
    repeat = options.repeat

    def read() -> nkru.TradeTable:
        return nkru.read_comtrade(block, encoding="utf-8", max_rows=None)

    def chain() -> Any:
        return read().convert_currency("EUR").select(partners="countries").group_sum(KEYS)

    chain()  # warm up: imports, rate tables, caches
    print(f"load average before: {load()}")
    base, table = best(lambda: baseline(block), repeat)
    t_read, read_table = best(read, repeat)
    t_convert, converted = best(lambda: read_table.convert_currency("EUR"), repeat)
    t_select, selected = best(lambda: converted.select(partners="countries"), repeat)
    t_sum, sums = best(lambda: selected.group_sum(KEYS), repeat)
    t_chain, chained = best(chain, repeat)
    print(f"load average after: {load()}")
    if not chained.equals(sums):
        raise SystemExit("the chain's sums differ from the staged ones")
    print(f"block: {len(block) / (1 << 20):.1f} MiB, {table.num_rows:,} rows, {len(sums):,} groups; best of {repeat}")
    rows = [
        ("arrow read_csv (baseline)", base),
        ("read_comtrade", t_read),
        ("convert_currency", t_convert),
        ("select", t_select),
        ("group_sum", t_sum),
        ("stages added up", t_read + t_convert + t_select + t_sum),
        ("whole chain", t_chain),
    ]
    for name, seconds in rows:
        print(f"{name:28}{seconds * 1000:9.1f} ms{seconds / base:8.2f}x baseline")
    if options.profile:
        profile = cProfile.Profile()
        profile.runcall(chain)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(30)
        print(out.getvalue())
    print(f"nkru/baseline per-partition ratio: {t_chain / base:.2f}")


if __name__ == "__main__":
    main()

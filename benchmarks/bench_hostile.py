"""Time every hostile input at every entry point, and every junk mutation of the seed dataset.

Run: ``.venv/bin/python benchmarks/bench_hostile.py`` (add ``--quick`` to skip the full seed matrix)

Part 1 times each hostile value of ``tests/fuzz/junk.py`` (and a few
shaped for JSON, CSV and the command line) at each entry point that reads
outside data, best of three, and prints the slowest per entry point, with
the ratio to a baseline timed in the same run (reading "830,000 tons").
Issue 6's bound is 100 ms per bounded input value.

Part 2 puts each junk kind of ``tests/fuzz/test_fuzz_seed.py`` at each
leaf of the serialized seed dataset (1,483 leaves by 9 kinds) and times
``from_dict`` once each; it prints the slowest, the median and the
baseline (``from_dict`` of the valid dataset). Issue 6's bound is half a
second per mutation.

Exits with status 1 if a bound is broken; tests never time anything.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pandas as pd  # noqa: E402

from fuzz.junk import BIG_TEXT, HOSTILE_TEXTS, leaf_paths, lookup, replaced  # noqa: E402
from fuzz.test_fuzz_seed import JUNK, seed_document  # noqa: E402
from nkru import cli  # noqa: E402
from nkru.commodities import commodity  # noqa: E402
from nkru.dataset import Dataset  # noqa: E402
from nkru.errors import NkruError  # noqa: E402
from nkru.fx import ExchangeRates  # noqa: E402
from nkru.io.comtrade import read_comtrade_csv  # noqa: E402
from nkru.parsing import parse_measure, parse_period, parse_quantity  # noqa: E402
from nkru.parties import Country  # noqa: E402
from nkru.periods import Period  # noqa: E402
from nkru.prices import PriceIndex  # noqa: E402
from nkru.serialization import from_dict, from_json  # noqa: E402
from nkru.table import TradeTable  # noqa: E402
from nkru.units import unit  # noqa: E402

VALUE_LIMIT = 0.1
MUTATION_LIMIT = 0.5


def _deep(depth: int) -> Any:
    nested: Any = []
    for _ in range(depth):
        nested = [nested]
    return nested


NON_TEXT = {"deep list": _deep(100_000), "int of 5,001 digits": 10**5000, "None": None, "bytes": b"5 t"}

JSON_TEXTS = {
    "[ × 100,000": "[" * 100_000 + "]" * 100_000,
    '{"a": × 100,000': '{"a":' * 100_000 + "1" + "}" * 100_000,
    "5,000 digits": "1" * 5_000,
    "1e400": '{"trade_flows": [{"amount": {"value": {"magnitude": 1e400, "unit": "USD"}}}]}',
    "NaN": "NaN",
    "100 kB string": json.dumps(BIG_TEXT),
    "10,000 unknown keys": json.dumps({f"k{i}": i for i in range(10_000)}),
    "100 kB unit": json.dumps({"trade_flows": [{"amount": {"value": {"magnitude": 1, "unit": BIG_TEXT}}}]}),
    "bad UTF-8": b"\xff\xfe{}",
}

RATES_HEADER = "currency,period,rate,source\n"
COMTRADE_HEADER = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
CSV_TEXTS = {
    "100 kB cell": "RUB,2011," + BIG_TEXT + ",wdi\n",
    "5,000-digit rate": "RUB,2011," + "9" * 5_000 + ",wdi\n",
    "unclosed quote": '"RUB,2011,29.38,wdi\n' * 1_000,
    "10,000 columns": ",".join(["x"] * 10_000) + "\n",
    "nan, inf, -1": "RUB,2011,nan,wdi\nRUB,2012,inf,wdi\nRUB,2013,-1,wdi\n",
    "1,000 bad rows": "XXX,99999,x,\n" * 1_000,
}

ARGV = {
    "convert 9**9**9**9": ["convert", "9**9**9**9", "--to", "USD"],
    "convert 100 kB": ["convert", "1" * 100_000, "--to", "t"],
    "convert --to 100 kB": ["convert", "1 t", "--to", BIG_TEXT],
    "convert --on (×5,000": ["convert", "4.5 billion RUR", "--to", "USD", "--on", "(" * 5_000],
    "show 100 kB": ["show", BIG_TEXT],
    "unknown command": ["\ud800"],
}


def best(call: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` timings of ``call``, nkru errors counted as answers."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(NkruError):
            call()
        times.append(time.perf_counter() - start)
    return min(times)


def _quiet_cli(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cli.main(argv)


def entry_points() -> dict[str, list[tuple[str, Callable[[], object]]]]:
    """Each entry point with its hostile inputs, as (name, call)."""
    texts = [(repr(t[:20]) + (f"…({len(t)})" if len(t) > 20 else ""), t) for t in HOSTILE_TEXTS]
    readers: dict[str, Callable[[Any], object]] = {
        "parse_quantity": parse_quantity,
        "parse_measure": parse_measure,
        "parse_period": parse_period,
        "Period.from_sdmx": Period.from_sdmx,
        "unit": unit,
        "Country": Country,
        "commodity": commodity,
    }
    points: dict[str, list[tuple[str, Callable[[], object]]]] = {}
    for name, reader in readers.items():
        cases = [*texts, *NON_TEXT.items()]
        points[name] = [(label, lambda r=reader, v=value: r(v)) for label, value in cases]
    points["from_json(Dataset)"] = [(label, lambda t=text: from_json(t, Dataset)) for label, text in JSON_TEXTS.items()]
    points["from_dict(Dataset)"] = [
        (label, lambda v=value: from_dict({"trade_flows": v}, Dataset)) for label, value in NON_TEXT.items()
    ]
    points["ExchangeRates.from_csv"] = [
        (label, lambda t=text: ExchangeRates.from_csv(io.StringIO(RATES_HEADER + t)))
        for label, text in CSV_TEXTS.items()
    ]
    points["PriceIndex.from_csv"] = [
        (label, lambda t=text: PriceIndex.from_csv(io.StringIO("year,index,source\n" + t)))
        for label, text in CSV_TEXTS.items()
    ]
    points["read_comtrade_csv"] = [
        (label, lambda t=text: read_comtrade_csv(io.StringIO(COMTRADE_HEADER + t))) for label, text in CSV_TEXTS.items()
    ]
    junk_frame = pd.DataFrame({"reporter": ["XXX", BIG_TEXT], "partner": [None, 5], "flow": ["X", "zz"]}).assign(
        year=[10**18, -1], value=[float("inf"), -1.0], currency=["RUR ", "\x00"]
    )
    points["TradeTable.from_frame"] = [("junk in every column", lambda: TradeTable.from_frame(junk_frame))]
    points["nkru (CLI)"] = [(label, lambda a=argv: _quiet_cli(a)) for label, argv in ARGV.items()]
    return points


def part_one() -> float:
    baseline = best(lambda: parse_quantity("830,000 tons"), repeat=20)
    print(f"baseline parse_quantity('830,000 tons'): {baseline * 1e6:.1f} µs\n")
    print(f"{'entry point':24} {'inputs':>6} {'slowest input':34} {'ms':>9} {'ratio':>9}")
    worst = 0.0
    for name, cases in entry_points().items():
        timed = [(best(call), label) for label, call in cases]
        seconds, label = max(timed)
        worst = max(worst, seconds)
        print(f"{name:24} {len(cases):6} {label[:34]:34} {seconds * 1e3:9.3f} {seconds / baseline:9.0f}")
    print(f"\nslowest hostile value: {worst * 1e3:.2f} ms (limit {VALUE_LIMIT * 1e3:.0f} ms)")
    return worst


def part_two() -> float:
    doc = seed_document()
    baseline = min(_timed(lambda: from_dict(doc, Dataset)) for _ in range(5))
    leaves = leaf_paths(doc)
    times: list[tuple[float, str, str]] = []
    started = time.perf_counter()
    for tokens in leaves:
        value = lookup(doc, tokens)
        name = tokens[-1] if isinstance(tokens[-1], str) else ""
        for kind, make in JUNK.items():
            mutated = replaced(doc, tokens, make(value, name))
            seconds = _timed(lambda m=mutated: from_dict(m, Dataset))
            times.append((seconds, kind, "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in tokens)))
    total = time.perf_counter() - started
    seconds, kind, path = max(times)
    median = statistics.median(t for t, _, _ in times)
    print(f"\nseed dataset: {len(leaves)} leaves x {len(JUNK)} junk kinds = {len(times)} mutations in {total:.1f} s")
    print(f"baseline from_dict of the valid dataset: {baseline * 1e3:.2f} ms")
    print(f"median mutation: {median * 1e3:.2f} ms ({median / baseline:.1f}x the baseline)")
    print(f"slowest mutation: {seconds * 1e3:.2f} ms ({kind} at ${path}) (limit {MUTATION_LIMIT * 1e3:.0f} ms)")
    return seconds


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    with contextlib.suppress(NkruError):
        call()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="skip the seed matrix (part 2)")
    args = parser.parse_args()
    worst_value = part_one()
    worst_mutation = 0.0 if args.quick else part_two()
    return 0 if worst_value < VALUE_LIMIT and worst_mutation < MUTATION_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())

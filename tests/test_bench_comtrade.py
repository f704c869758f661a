"""The Comtrade benchmark's workload on a few hundred rows: nkru and hand-written pandas agree.

No timing here (that is ``benchmarks/bench_comtrade.py``'s business): this checks that the
benchmark's generated file is read by nkru as published and that both pipelines it times
compute the same sums, so that a benchmark run compares like with like. It needs the shared
Comtrade Plus file, and skips without it (a fresh clone has no ``../shared``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from _shared import CHECKOUT, needs_shared

BENCH = CHECKOUT / "benchmarks" / "bench_comtrade.py"

pytestmark = needs_shared


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_comtrade", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_comtrade"] = module
    spec.loader.exec_module(module)
    return module


def test_the_generated_file_is_comtrade_as_published(bench: ModuleType, tmp_path: Path) -> None:
    path = bench.write_file(3_000, tmp_path)
    data = path.read_bytes()
    lines = data.split(b"\n")
    assert len(lines) == 3_002  # header, 3,000 rows, and after the last line break nothing
    assert lines[-1] == b""
    assert all(line.endswith(b'",') for line in lines[1:-1])  # Comtrade's trailing comma on every row
    assert b"Cura\xe7ao" in data  # cp1252, as downloaded
    table = bench.nkru.read_comtrade(path)
    assert (len(table), table.layout, table.encoding) == (3_000, "plus", "cp1252")
    years = table.to_frame()["year"]
    assert (years.min(), years.max()) == (2014 - 2, 2024)  # the third copy's years are shifted two back


def test_nkru_and_pandas_agree(bench: ModuleType, tmp_path: Path) -> None:
    path = bench.write_file(3_000, tmp_path)
    ours, theirs, wide = bench.run_nkru(path), bench.run_pandas_a(path), bench.run_pandas_b(path)
    assert len(ours) == len(theirs) == len(wide) > 500
    assert bench.agree(ours, theirs) == (True, pytest.approx(0.0, abs=1e-12))
    assert bench.agree(wide, theirs) == (True, 0.0)
    assert not set(ours["partner"]) & set(bench.NOT_COUNTRIES)
    total = theirs["value"].sum()
    assert np.isclose(ours["value"].sum(), total, rtol=1e-12, atol=0)

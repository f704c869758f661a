"""The per-partition benchmark's block and baseline on a small file: what it times is what a Dask worker reads.

No timing here (that is ``benchmarks/bench_partition.py``'s business): this checks that the
block it cuts is the header and whole records, and that its Arrow baseline and nkru read the
same rows of it, so that the ratio it prints compares like with like.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from _shared import CHECKOUT

HEADER = b"refYear,period,freqCode,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,netWgt\n"


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(CHECKOUT / "benchmarks"))  # bench_partition imports bench_dask beside it
    try:
        yield importlib.import_module("bench_partition")
    finally:
        sys.path.remove(str(CHECKOUT / "benchmarks"))


def test_the_block_is_the_header_and_whole_records(bench: ModuleType, tmp_path: Path) -> None:
    record = b"2005,2005,A,RUS,PRK,X,27,1500000,2000\n"  # 39 bytes
    path = tmp_path / "plus.csv"
    path.write_bytes(HEADER + record * 100)
    block = bench.block_of(path, 200)  # 5 records and 5 bytes of the sixth
    assert block == HEADER + record * 5


def test_the_baseline_reads_the_rows_nkru_reads(bench: ModuleType, tmp_path: Path) -> None:
    rows = [
        f"{2000 + i % 24},{2000 + i % 24},A,RUS,{('PRK', 'CHN', 'W00')[i % 3]},X,{i % 70 + 1:02d},{i},7\n"
        for i in range(300)
    ]
    path = tmp_path / "plus.csv"
    path.write_bytes(HEADER + "".join(rows).encode())
    block = bench.block_of(path, 1 << 20)
    table = bench.baseline(block)
    ours = bench.nkru.read_comtrade(block, encoding="utf-8", max_rows=None)
    assert table.num_rows == len(ours) == 300
    assert table["primaryValue"].to_pylist() == ours.to_frame()["value"].tolist() == [float(i) for i in range(300)]
    sums = ours.convert_currency("EUR").select(partners="countries").group_sum(bench.KEYS)
    assert sums["rows"].sum() == 200  # the World's rows left out

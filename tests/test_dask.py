"""nkru.dask on a real two-process LocalCluster: same answers as in memory, same checks, errors by file and line."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import cloudpickle
import dask
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import nkru
from nkru.dask import DaskTradeTable, read_comtrade
from nkru.errors import CurrencyMismatchError, DoubleCountError, NkruError, StructureError, ValidationError
from nkru.strategies import comtrade_tables, dask_trade_tables, split_tables, trade_tables
from nkru.table import TradeTable
from nkru.units import ureg

distributed = pytest.importorskip("distributed")

#: The relative difference allowed between sums added in a different order (partition by partition).
RTOL = 1e-9
#: No test waits longer than this for the cluster (a hang fails instead).
TIMEOUT = 240

HEADER = "refYear,period,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,netWgt\n"


@pytest.fixture(scope="session")
def client() -> Iterator[distributed.Client]:
    # the workers import this module's functions by value: they do not have tests/ on their path
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", memory_limit="1GiB"
        ) as cluster,
        distributed.Client(cluster, timeout=60) as connected,
    ):
        yield connected


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"a test of nkru.dask ran longer than {TIMEOUT} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(TIMEOUT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def plus_rows(count: int, *, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(count):
        partner = ("PRK", "CHN", "KOR", "JPN")[i % 4]
        year = 2010 + int(rng.integers(0, 5))
        rows.append(
            f"{year},{year},RUS,{partner},{'XM'[i % 2]},{('27', '72', '10')[i % 3]},{int(rng.integers(1, 10**7))},{int(rng.integers(1, 10**5))}\n"
        )
    return rows


def in_memory(paths: list[Path]) -> TradeTable:
    return TradeTable.concat([nkru.read_comtrade(path) for path in paths])


def same_sums(lazy: pd.DataFrame, eager: pd.DataFrame) -> None:
    assert list(lazy.columns) == list(eager.columns)
    assert lazy.attrs == eager.attrs
    pd.testing.assert_frame_equal(lazy, eager, check_categorical=False, rtol=RTOL)


class TestPackaging:
    def test_without_dask_the_entry_point_names_the_extra(self, tmp_path: Path) -> None:
        # A machine without the extra: the interpreter's packages, linked one by one, but for dask and distributed.
        site_packages = Path(distributed.__file__).resolve().parents[1]
        farm = tmp_path / "site-packages"
        farm.mkdir()
        for entry in site_packages.iterdir():
            if not entry.name.lower().startswith(("dask", "distributed")):
                (farm / entry.name).symlink_to(entry)
        code = textwrap.dedent(
            f"""
            import site, sys
            sys.path = [p for p in sys.path if "site-packages" not in p]
            site.addsitedir({str(farm)!r})
            import nkru
            assert nkru.read_comtrade is not None
            try:
                import dask
            except ImportError:
                pass
            else:
                raise SystemExit("dask is still importable")
            try:
                import nkru.dask
            except nkru.MissingDependencyError as exc:
                assert isinstance(exc, ImportError)
                print(exc.extra, "|", exc)
            else:
                print("imported")
            """
        )
        run = subprocess.run(
            [sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120, check=False
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == (
            "dask | this needs dask[dataframe] and distributed, which is not installed;"
            " install it with: pip install 'nkru[dask]'"
        )


class TestRead:
    def test_csv_blocks_bulk_gz_and_parquet_give_the_in_memory_table(
        self, client: distributed.Client, tmp_path: Path
    ) -> None:
        rows = plus_rows(6000)
        big = tmp_path / "csv" / "big.csv"
        big.parent.mkdir()
        big.write_text(HEADER + "".join(rows[:4000]))
        small = tmp_path / "csv" / "small.csv"
        small.write_text(HEADER + "".join(rows[4000:]))
        lazy = read_comtrade(tmp_path / "csv", blocksize=1 << 16)
        assert big.stat().st_size > 2 * (1 << 16)  # so the big file is cut into blocks
        assert lazy.npartitions == sum(-(-path.stat().st_size // (1 << 16)) for path in (big, small))
        eager = in_memory([big, small])
        computed = lazy.compute()
        assert len(computed) == 6000
        pd.testing.assert_frame_equal(computed.to_frame(), eager.to_frame(), check_categorical=False)
        assert computed.to_frame().attrs == eager.to_frame().attrs
        same_sums(lazy.group_sum(["year", "partner", "flow"]), eager.group_sum(["year", "partner", "flow"]))

        gz = tmp_path / "bulk"
        gz.mkdir()
        for name, part in (("a", rows[:3000]), ("b", rows[3000:])):
            (gz / f"{name}.gz").write_bytes(gzip.compress((HEADER + "".join(part)).replace(",", "\t").encode()))
        bulk = read_comtrade(str(gz / "*.gz"))
        assert bulk.npartitions == 2
        assert bulk.compute().layout == "bulk"
        same_sums(bulk.group_sum(["year", "flow"]), eager.group_sum(["year", "flow"]))

        written = lazy.select(partners=["PRK"]).convert_currency("EUR").to_parquet(tmp_path / "parquet")
        assert len(written) == lazy.npartitions
        back = read_comtrade(tmp_path / "parquet")
        expected = eager.select(partners=["PRK"]).convert_currency("EUR")
        same_sums(back.group_sum(["year", "flow"]), expected.group_sum(["year", "flow"]))
        assert back.compute().currencies == ("EUR",)

    def test_a_bad_row_in_partition_17_is_named_by_file_and_line(
        self, client: distributed.Client, tmp_path: Path
    ) -> None:
        rows = plus_rows(40000, seed=1)
        path = tmp_path / "flows.csv"
        path.write_text(HEADER + "".join(rows))
        blocksize = 1 << 16
        lazy = read_comtrade(path, blocksize=blocksize)
        assert lazy.npartitions > 17
        # the first row starting in partition 17's bytes
        data = path.read_bytes()
        start = data.index(b"\n", 17 * blocksize - 1) + 1
        line = data[:start].count(b"\n") + 1
        lines = data.split(b"\n")
        lines[line - 1] = lines[line - 1].replace(b",X,", b",DX,").replace(b",M,", b",DX,")
        path.write_bytes(b"\n".join(lines))
        with pytest.raises(StructureError) as caught:
            read_comtrade(path, blocksize=blocksize).group_sum(["year", "flow", "partner"])
        assert caught.value.paths == (f"{path}, line {line}, column 'flowCode'",)
        assert "is not X, M, RX or RM (got 'DX')" in str(caught.value)

    def test_no_file_mixed_layouts_and_a_broken_gz_are_named(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="matches no file"):
            read_comtrade(str(tmp_path / "*.csv"))
        (tmp_path / "a.csv").write_text(HEADER + "2010,2010,RUS,PRK,X,27,1,1\n")
        classic = "Year,Period,Trade Flow Code,Reporter ISO,Partner ISO,Commodity Code,Trade Value (US$)\n"
        (tmp_path / "b.csv").write_text(classic + "2010,2010,2,RUS,PRK,27,1\n")
        with pytest.raises(StructureError) as caught:
            read_comtrade(str(tmp_path / "*.csv"))
        assert caught.value.paths == (str(tmp_path / "b.csv"),)
        assert "is classic, but" in str(caught.value)
        (tmp_path / "c.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all")
        with pytest.raises(StructureError, match=r"c\.gz"):
            read_comtrade(tmp_path / "c.gz")

    def test_a_worker_that_dies_mid_run_raises_dasks_error_with_nkrus_context(self, tmp_path: Path) -> None:
        # a cluster of its own: the session's workers stay alive; with no failure allowed, the
        # scheduler gives up on the first death instead of retrying the partition elsewhere
        path = tmp_path / "flows.csv"
        path.write_text(HEADER + "".join(plus_rows(60000, seed=2)))
        lazy = read_comtrade(path, blocksize=1 << 16)
        assert lazy.npartitions > 30
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster, timeout=60) as own,
        ):
            pids: dict[str, int] = own.run(os.getpid)
            killed: list[int] = []
            stop = threading.Event()

            def kill_a_busy_worker() -> None:
                while not killed and not stop.is_set():
                    busy = [address for address, keys in own.processing().items() if keys and address in pids]
                    if busy:
                        os.kill(pids[busy[0]], signal.SIGKILL)
                        killed.append(pids[busy[0]])
                    else:
                        time.sleep(0.005)

            killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
            killer.start()
            try:
                with pytest.raises(distributed.KilledWorker) as caught:
                    lazy.group_sum(["year", "flow", "partner"])
            finally:
                stop.set()
                killer.join(timeout=10)
        assert len(killed) == 1
        notes = getattr(caught.value, "__notes__", [])
        assert "nkru.dask: a worker died while reading or summing partitions of Comtrade files" in "\n".join(notes)


class TestCommandLine:
    def test_to_parquet_writes_the_year_reporter_layout_with_a_progress_bar(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rows = plus_rows(400, seed=2)
        for name, part in (("a", rows[:200]), ("b", rows[200:])):
            (tmp_path / f"{name}.gz").write_bytes(gzip.compress((HEADER + "".join(part)).replace(",", "\t").encode()))
        from nkru.cli import main  # noqa: PLC0415

        assert main(["to-parquet", str(tmp_path / "*.gz"), str(tmp_path / "out")]) == 0
        out = capsys.readouterr().out
        assert "100% Completed" in out
        files = sorted((tmp_path / "out").rglob("*.parquet"))
        years = {int(line.split(",")[0]) for line in rows}
        assert {(f.parent.parent.name, f.parent.name) for f in files} == {(f"year={y}", "reporter=RUS") for y in years}
        assert f"wrote {len(files)} Parquet files" in out
        back = read_comtrade(tmp_path / "out")
        eager = in_memory([tmp_path / "a.gz", tmp_path / "b.gz"])
        same_sums(back.group_sum(["year", "partner", "flow"]), eager.group_sum(["year", "partner", "flow"]))


class TestTable:
    def test_the_double_count_rules_see_every_partition(self, client: distributed.Client) -> None:
        # Each partition alone may be summed; together they add the World to its partners.
        world = TradeTable.from_frame(
            pd.DataFrame(
                {
                    "reporter": ["THA"],
                    "partner": ["W00"],
                    "flow": ["M"],
                    "year": [2020],
                    "value": [100.0],
                    "currency": ["USD"],
                }
            )
        )
        parts = TradeTable.from_frame(
            pd.DataFrame(
                {
                    "reporter": ["THA"] * 2,
                    "partner": ["PRK", "RUS"],
                    "flow": ["M"] * 2,
                    "year": [2020] * 2,
                    "value": [40.0, 60.0],
                    "currency": ["USD"] * 2,
                }
            )
        )
        lazy = DaskTradeTable.from_tables([world, parts])
        eager = TradeTable.concat([world, parts])
        with pytest.raises(DoubleCountError) as lazy_error:
            lazy.group_sum(["year", "flow"])
        with pytest.raises(DoubleCountError) as eager_error:
            eager.group_sum(["year", "flow"])
        assert str(lazy_error.value) == str(eager_error.value)
        same_sums(lazy.group_sum(["year", "partner"]), eager.group_sum(["year", "partner"]))
        # a flow and its mirror, in different partitions, are one trade
        mirrored = DaskTradeTable.from_tables([parts, parts.mirror("PRK")])
        with pytest.raises(DoubleCountError, match="mirrored rows to reported rows"):
            mirrored.group_sum(["year"])
        same_sums(
            mirrored.select(mirrored=False).group_sum(["year"]),
            TradeTable.concat([parts, parts.mirror("PRK")]).select(mirrored=False).group_sum(["year"]),
        )
        # re-exports beside the exports of their pair, in another partition, behind an import row
        flows = pd.DataFrame({"reporter": ["RUS"] * 3, "partner": ["PRK"] * 3, "flow": ["M", "X", "RX"]})
        flows["year"], flows["value"], flows["currency"] = [2020] * 3, [4.0, 10.0, 1.0], ["USD"] * 3
        flow_parts = [TradeTable.from_frame(flows.iloc[rows]) for rows in ([0, 1], [2])]
        with pytest.raises(DoubleCountError, match="RUS's exports with PRK to its re-exports"):
            DaskTradeTable.from_tables(flow_parts).group_sum(["year"])
        euro = parts.convert_currency("EUR")
        with pytest.raises(CurrencyMismatchError):
            DaskTradeTable.from_tables([parts, euro]).group_sum(["year"])

    def test_bound_aware_sums_stay_bound_aware_across_partitions(self, client: distributed.Client) -> None:
        # Group 2020 has a value in one partition only; group 2021 has none anywhere.
        def table(years: list[int], values: list[float]) -> TradeTable:
            return TradeTable.from_frame(
                pd.DataFrame(
                    {
                        "reporter": ["RUS"] * len(years),
                        "partner": ["PRK"] * len(years),
                        "flow": ["X"] * len(years),
                        "year": years,
                        "value": values,
                        "currency": ["USD"] * len(years),
                        "mass": [1.0] * len(years),
                    }
                )
            )

        one, two = table([2020, 2021], [5.0, np.nan]), table([2020, 2021], [np.nan, np.nan])
        sums = DaskTradeTable.from_tables([one, two]).group_sum(["year"])
        assert sums["value"].tolist()[0] == 5.0
        assert np.isnan(sums["value"].tolist()[1])
        assert sums["value_count"].tolist() == [1, 0]
        assert sums["rows"].tolist() == [2, 2]
        assert sums["mass"].tolist() == [2.0, 2.0]
        same_sums(sums, TradeTable.concat([one, two]).group_sum(["year"]))

    def test_workers_unpickle_quantities_and_tables_into_nkru_registry(self, client: distributed.Client) -> None:
        def on_worker(quantity: object, table: TradeTable) -> tuple[bool, float, int, str]:
            import nkru.units  # noqa: PLC0415 - on the worker

            return (
                quantity._REGISTRY is nkru.units.ureg,  # type: ignore[attr-defined]
                float(quantity.to("kg").magnitude),  # type: ignore[attr-defined]
                len(table.select(partners=["PRK"])),
                repr(table),
            )

        table = TradeTable.from_frame(
            pd.DataFrame(
                {
                    "reporter": ["RUS"] * 2,
                    "partner": ["PRK", "CHN"],
                    "flow": ["X"] * 2,
                    "year": [2005] * 2,
                    "mass": [1.0, 2.0],
                    "mass_unit": ["t", "t"],
                }
            )
        )
        same, kilograms, rows, shown = client.submit(on_worker, ureg.Quantity(2.5, "t"), table).result(timeout=60)
        assert (same, kilograms, rows, shown) == (True, 2500.0, 1, repr(table))
        assert repr(table) == "<TradeTable: 2 rows, values in none, mass in kilogram>"

    def test_workers_start_with_glibc_mmap_and_trim_thresholds_raised(self, client: distributed.Client) -> None:
        # nkru.dask's Dask defaults: without them a worker's arrays over 128 KiB are mapped afresh each time, and
        # every freed block is handed back to the system and faulted in again by the next partition
        def thresholds() -> tuple[str | None, str | None]:
            return os.environ.get("MALLOC_MMAP_THRESHOLD_"), os.environ.get("MALLOC_TRIM_THRESHOLD_")

        assert set(client.run(thresholds).values()) == {(str(32 << 20), str(64 << 20))}

    def test_balance_share_top_and_mirror_give_the_in_memory_answers(self, client: distributed.Client) -> None:
        rng = np.random.default_rng(3)
        size = 600
        frame = pd.DataFrame(
            {
                "reporter": rng.choice(["RUS", "CHN", "THA"], size),
                "partner": rng.choice(["PRK", "JPN", "KOR"], size),
                "flow": rng.choice(["X", "M", "RX"], size),
                "year": rng.integers(2000, 2005, size),
                "hs": rng.choice(["27", "72", "10"], size),
                "value": rng.random(size) * 1e6,
                "currency": ["USD"] * size,
                "mass": rng.random(size),
            }
        )
        eager = TradeTable.from_frame(frame)
        lazy = DaskTradeTable.from_tables([eager.where(np.arange(size) // 100 == i) for i in range(6)])
        pairs = [
            (lazy.balance(["year", "reporter"]), eager.balance(["year", "reporter"])),
            (lazy.balance(["year"], missing="zero"), eager.balance(["year"], missing="zero")),
            (  # without flow as a key, a sum may not add the exports to the re-exports they hold
                lazy.select(flows=["X", "M"]).share(["year", "partner"], of=["year"]),
                eager.select(flows=["X", "M"]).share(["year", "partner"], of=["year"]),
            ),
            (lazy.top(2, ["reporter"], within=["year", "flow"]), eager.top(2, ["reporter"], within=["year", "flow"])),
            (lazy.mirror("PRK", cif_fob=1.06).compute().to_frame(), eager.mirror("PRK", cif_fob=1.06).to_frame()),
        ]
        for dasked, expected in pairs:
            assert dasked.attrs == expected.attrs
            pd.testing.assert_frame_equal(dasked, expected, check_categorical=False, rtol=RTOL)
        assert len(pairs[-1][1]) > 0
        with pytest.raises(ValidationError, match="world area"):
            lazy.mirror("W00")

    def test_unit_value_percent_change_and_cagr_give_the_in_memory_answers(self, client: distributed.Client) -> None:
        rng = np.random.default_rng(5)
        size = 600
        frame = pd.DataFrame(
            {
                "reporter": rng.choice(["RUS", "CHN", "THA"], size),
                "partner": rng.choice(["PRK", "JPN", "KOR"], size),
                "flow": rng.choice(["X", "M"], size),
                "year": rng.integers(2000, 2005, size),
                "hs": rng.choice(["27", "72", "10"], size),
                "value": np.where(rng.random(size) < 0.1, np.nan, rng.random(size) * 1e6),
                "currency": ["USD"] * size,
                "mass": np.where(rng.random(size) < 0.1, np.nan, rng.random(size) * 1e3),
                "mass_estimated": rng.random(size) < 0.3,
                "qty": np.where(rng.random(size) < 0.2, np.nan, rng.random(size) * 10),
                "qty_unit_code": [8] * size,
                "qty_estimated": rng.random(size) < 0.5,
            }
        )
        eager = TradeTable.from_frame(frame)
        lazy = DaskTradeTable.from_tables([eager.where(np.arange(size) // 100 == i) for i in range(6)])
        pairs = [
            (lazy.unit_value(["year", "flow"]), eager.unit_value(["year", "flow"])),
            (
                lazy.unit_value(["reporter"], per="t", estimated="exclude"),
                eager.unit_value(["reporter"], per="t", estimated="exclude"),
            ),
            (lazy.unit_value(["year"], per="qty"), eager.unit_value(["year"], per="qty")),
            (lazy.percent_change(["reporter", "flow"]), eager.percent_change(["reporter", "flow"])),
            (lazy.cagr(["flow", "partner"]), eager.cagr(["flow", "partner"])),
            (lazy.cagr(first=2001, last=2003), eager.cagr(first=2001, last=2003)),
        ]
        for dasked, expected in pairs:
            assert dasked.attrs == expected.attrs
            pd.testing.assert_frame_equal(dasked, expected, check_categorical=False, rtol=RTOL)
        flagged = pairs[0][0]
        assert 0 < flagged["estimated_rows"].sum() < flagged["rows"].sum()
        assert pairs[2][0].attrs["units"]["unit_value"] == "USD/qty unit 8"
        # options are refused before any work, as in memory
        with pytest.raises(ValidationError, match="'flag' or 'exclude'"):
            lazy.unit_value(estimated="drop")
        with pytest.raises(ValidationError, match="first year must come before"):
            lazy.cagr(first=2003, last=2001)

    def test_unit_value_rules_see_every_partition(self, client: distributed.Client) -> None:
        def rows(partner: str, code: int, mass: float) -> TradeTable:
            return TradeTable.from_frame(
                pd.DataFrame(
                    {
                        "reporter": ["THA"],
                        "partner": [partner],
                        "flow": ["M"],
                        "year": [2020],
                        "value": [100.0],
                        "currency": ["USD"],
                        "mass": [mass],
                        "qty": [5.0],
                        "qty_unit_code": [code],
                    }
                )
            )

        # quantity units that differ only between partitions are refused, listing both
        split = [rows("PRK", 8, 1.0), rows("RUS", 5, 1.0)]
        with pytest.raises(ValidationError) as lazy_error:
            DaskTradeTable.from_tables(split).unit_value(["year"], per="qty")
        with pytest.raises(ValidationError) as eager_error:
            TradeTable.concat(split).unit_value(["year"], per="qty")
        assert str(lazy_error.value) == str(eager_error.value)
        assert "[5, 8]" in str(lazy_error.value)
        # the World with its partners, in two partitions: refused only when the World's row states a mass
        for mass, refused in ((2.0, True), (float("nan"), False)):
            parts = [rows("W00", 8, mass), rows("PRK", 8, 1.0)]
            lazy, eager = DaskTradeTable.from_tables(parts), TradeTable.concat(parts)
            if refused:
                with pytest.raises(DoubleCountError):
                    eager.unit_value(["year"])
                with pytest.raises(DoubleCountError):
                    lazy.unit_value(["year"])
            else:
                pd.testing.assert_frame_equal(lazy.unit_value(["year"]), eager.unit_value(["year"]))
                assert lazy.unit_value(["year"])["rows"].tolist() == [1]

    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lazy=dask_trade_tables())
    def test_the_strategy_gives_lazy_tables_that_sum_as_their_rows(
        self, client: distributed.Client, lazy: DaskTradeTable
    ) -> None:
        assert lazy.npartitions >= 1
        whole = lazy.select(reporters="countries", partners="countries", level="total", breakdowns="total", freq="A")
        same_sums(whole.group_sum(["year", "partner"]), whole.compute().group_sum(["year", "partner"]))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data(), table=st.one_of(comtrade_tables(max_rows=30), trade_tables(max_rows=30)))
    def test_random_partitions_give_the_in_memory_answers(
        self, client: distributed.Client, data: st.DataObject, table: TradeTable
    ) -> None:
        lazy = DaskTradeTable.from_tables(data.draw(split_tables(table)))
        keys = data.draw(
            st.lists(
                st.sampled_from(["year", "month", "flow", "chapter", "hs", "reporter", "partner"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        target = data.draw(st.sampled_from(["USD", "EUR", "RUB"]))
        for eager, dasked in (
            (table, lazy),
            (
                table.select(partners="countries", level="total", breakdowns="total"),
                lazy.select(partners="countries", level="total", breakdowns="total"),
            ),
        ):
            computed = dasked.compute()
            # selections are exact: the same rows, the same cells
            pd.testing.assert_frame_equal(computed.to_frame(), eager.to_frame(), check_categorical=False)
            assert computed.to_frame().attrs == eager.to_frame().attrs
            try:
                expected = eager.convert_currency(target)
            except NkruError as exc:
                event(f"conversion refused: {type(exc).__name__}")
                with pytest.raises(type(exc)):
                    dasked.convert_currency(target).compute()
                continue
            # conversions are exact: each row is converted alone, by the same arithmetic
            converted = dasked.convert_currency(target)
            pd.testing.assert_frame_equal(converted.compute().to_frame(), expected.to_frame(), check_categorical=False)
            try:
                sums = expected.group_sum(keys)
            except NkruError as exc:
                event(f"sum refused: {type(exc).__name__}")
                with pytest.raises(type(exc)):
                    converted.group_sum(keys)
                continue
            event("sums compared")
            same_sums(converted.group_sum(keys), sums)


DESCRIBED = "refYear,period,reporterISO,partnerISO,flowCode,cmdCode,cmdDesc,primaryValue,netWgt\n"


class TestReviewedDefects:
    def test_group_areas_keep_their_kind_in_balance_share_top_and_growth(
        self, client: distributed.Client, tmp_path: Path
    ) -> None:
        path = tmp_path / "groups.csv"
        rows = [
            f"{year},{year},RUS,{partner},{flow},27,{value},1\n"
            for year, value in ((2010, 5), (2011, 9))
            for partner in ("X1", "PRK")
            for flow in ("X", "M")
        ]
        path.write_text(HEADER + "".join(rows))
        eager = nkru.read_comtrade(path)
        lazy = read_comtrade(path)
        assert eager.to_frame()["partner_kind"].astype(str).tolist()[:2] == ["group", "group"]
        pairs = [
            (lazy.balance(["partner"]), eager.balance(["partner"])),
            # a share of each partner's own trade: a total over X1 (a group) and PRK would be refused
            (
                lazy.share(["year", "partner", "flow"], of=["year", "partner"]),
                eager.share(["year", "partner", "flow"], of=["year", "partner"]),
            ),
            (lazy.top(1, ["partner"], within=["year"]), eager.top(1, ["partner"], within=["year"])),
            (lazy.percent_change(["partner"]), eager.percent_change(["partner"])),
            (lazy.cagr(["partner"]), eager.cagr(["partner"])),
        ]
        for dasked, expected in pairs:
            assert dasked.attrs == expected.attrs
            pd.testing.assert_frame_equal(dasked, expected, check_categorical=False, rtol=RTOL)
        assert pairs[0][0]["balance"].tolist() == [0.0, 0.0]  # exports and imports of 5 and 9 each

    def test_a_quoted_line_break_across_a_block_boundary_reads_as_in_memory(
        self, client: distributed.Client, tmp_path: Path
    ) -> None:
        blocksize = 1 << 16
        rows = [
            f'{2010 + i % 3},{2010 + i % 3},RUS,PRK,{"XM"[i % 2]},27,"Fuels, row {i}\nwith a ""quoted""\nline break",'
            f"{i + 1},{i}\n"
            for i in range(2050)
        ]
        path = tmp_path / "described.csv"
        path.write_text(DESCRIBED + "".join(rows))
        data = path.read_bytes()
        # a raw-newline cut falls inside a quoted field at some block boundary
        cuts = [data.index(b"\n", k * blocksize - 1) for k in range(1, len(data) // blocksize + 1)]
        assert any(data[:cut].count(b'"') % 2 == 1 for cut in cuts)
        eager = nkru.read_comtrade(path)
        lazy = read_comtrade(path, blocksize=blocksize)
        assert lazy.npartitions == -(-len(data) // blocksize) > 2
        computed = lazy.compute()
        assert len(computed) == len(eager) == 2050
        pd.testing.assert_frame_equal(computed.to_frame(), eager.to_frame(), check_categorical=False)
        same_sums(lazy.group_sum(["year", "flow"]), eager.group_sum(["year", "flow"]))

    @pytest.mark.parametrize("quote_at", [None, (1 << 20) - 1, 1 << 20])
    def test_a_stray_quote_in_a_cell_reads_as_in_memory(
        self, client: distributed.Client, tmp_path: Path, quote_at: int | None
    ) -> None:
        # A quote inside a cell's text opens nothing for the reader, but counting it put every later cut inside
        # a quoted field: a block then began in the middle of the record of two lines ("never closed"). The quote
        # is early in the file, or on either side of where the 1 MiB pieces of nkru.dask's scan meet.
        def row(i: int, text: str) -> str:
            return f"{2010 + i % 5},{2010 + i % 5},RUS,{('PRK', 'CHN')[i % 2]},{'XM'[i % 2]},27,{text},{i + 1},1\n"

        rows = [row(i, '"two\nlines"' if i == 30000 else "plain") for i in range(40000)]
        if quote_at is None:
            rows[100] = row(100, 'Pipes 5" wide')
        else:
            # the last row whose text starts at or before the byte: its text is padded up to it
            offset, i = len(DESCRIBED), 0
            while offset + len(rows[i]) + len(row(i + 1, "")) - len(f",{i + 2},1\n") <= quote_at:
                offset += len(rows[i])
                i += 1
            cell = offset + len(row(i, "")) - len(f",{i + 1},1\n")
            rows[i] = row(i, "P" * (quote_at - cell) + '" wide')
        path = tmp_path / "stray.csv"
        path.write_text(DESCRIBED + "".join(rows))
        if quote_at is not None:
            assert path.read_bytes()[quote_at - 1 : quote_at + 2] == b'P" '
        eager = nkru.read_comtrade(path)
        lazy = read_comtrade(path, blocksize=1 << 16)
        assert lazy.npartitions > 10
        computed = lazy.compute()
        assert len(computed) == len(eager) == 40000
        pd.testing.assert_frame_equal(computed.to_frame(), eager.to_frame(), check_categorical=False)
        same_sums(lazy.group_sum(["year", "flow"]), eager.group_sum(["year", "flow"]))

    def test_a_quoted_cell_longer_than_a_block_is_refused_at_its_line(
        self, client: distributed.Client, tmp_path: Path
    ) -> None:
        blocksize = 1 << 16
        rows = [f"2010,2010,RUS,PRK,X,27,Fuels {i},{i + 1},{i}\n" for i in range(3000)]
        # a description of 2.5 MB, line breaks and all, on line 1502: the blocks that start inside it hold no record,
        # and the file's scan meets a whole MiB with no quote inside a quoted field
        long = "x" * 100 + "\n"
        rows[1500] = f'2011,2011,RUS,PRK,M,27,"{long * 25_000}",7,8\n'
        path = tmp_path / "long.csv"
        path.write_text(DESCRIBED + "".join(rows))
        lazy = read_comtrade(path, blocksize=blocksize)
        assert lazy.npartitions == -(-path.stat().st_size // blocksize) > 4
        with pytest.raises(StructureError) as eager:
            nkru.read_comtrade(path)
        with pytest.raises(StructureError) as dasked:
            lazy.group_sum(["year", "flow"])
        assert "line 1502, column 'cmdDesc': must be at most 200 characters" in str(eager.value)
        assert [(p.path, p.reason) for p in dasked.value.problems] == [
            (f"{path}, {p.path}", p.reason) for p in eager.value.problems
        ]
        # without that row, every block is read once: the rows are the in-memory ones
        rows[1500] = "2011,2011,RUS,PRK,M,27,Fuels,7,8\n"
        path.write_text(DESCRIBED + "".join(rows))
        computed = read_comtrade(path, blocksize=blocksize).compute()
        pd.testing.assert_frame_equal(computed.to_frame(), nkru.read_comtrade(path).to_frame(), check_categorical=False)

    def test_a_file_of_lone_carriage_returns_is_read_once(self, client: distributed.Client, tmp_path: Path) -> None:
        # no line feed to cut at: the first block holds every row, the others none (they once re-read the whole file)
        rows = [f"2005,2005,RUS,PRK,X,27,Fuels {i},{i + 1},{i}" for i in range(3000)]
        path = tmp_path / "cr.csv"
        path.write_bytes("\r".join([DESCRIBED.strip(), *rows]).encode() + b"\r")
        lazy = read_comtrade(path, blocksize=1 << 16)
        assert lazy.npartitions > 1
        eager = nkru.read_comtrade(path)
        pd.testing.assert_frame_equal(lazy.compute().to_frame(), eager.to_frame(), check_categorical=False)
        same_sums(lazy.group_sum(["year"]), eager.group_sum(["year"]))
        rows[2999] = rows[2999].replace(",X,", ",DX,")
        path.write_bytes("\r".join([DESCRIBED.strip(), *rows]).encode() + b"\r")
        with pytest.raises(StructureError) as eager_error:
            nkru.read_comtrade(path)
        with pytest.raises(StructureError) as dasked:
            read_comtrade(path, blocksize=1 << 16).compute()
        assert "line 3001, column 'flowCode'" in str(eager_error.value)
        assert [(p.path, p.reason) for p in dasked.value.problems] == [
            (f"{path}, {p.path}", p.reason) for p in eager_error.value.problems
        ]

    def test_every_block_is_read_in_the_whole_files_encoding(self, client: distributed.Client, tmp_path: Path) -> None:
        blocksize = 1 << 16
        rows = [f"2010,2010,RUS,PRK,X,27,Fuels {i},{i + 1},{i}\n".encode() for i in range(6000)]
        rows[0] = b"2010,2010,RUS,PRK,X,27,Fuels \xc3\xa9 (UTF-8 bytes; in cp1252 two letters),1,0\n"
        rows[-1] = b"2010,2010,RUS,PRK,X,27,Fuels \xe9 (cp1252),6000,5999\n"  # in the last block only
        path = tmp_path / "cp1252.csv"
        path.write_bytes(DESCRIBED.encode() + b"".join(rows))
        assert path.stat().st_size > 3 * blocksize
        eager = nkru.read_comtrade(path)
        assert eager.encoding == "cp1252"
        computed = read_comtrade(path, blocksize=blocksize).compute()
        assert computed.encoding == "cp1252"
        pd.testing.assert_frame_equal(computed.to_frame(), eager.to_frame(), check_categorical=False)
        assert str(computed.to_frame()["commodity"].iloc[0]).startswith("Fuels \u00c3\u00a9")

    def test_none_keys_give_the_in_memory_validation_error(self, client: distributed.Client) -> None:
        eager = TradeTable.from_frame(
            pd.DataFrame(
                {"reporter": ["RUS"] * 2, "partner": ["PRK", "CHN"], "flow": ["X", "M"], "year": [2010, 2011]}
                | {"value": [1.0, 2.0], "currency": ["USD"] * 2, "mass": [1.0, 2.0]}
            )
        )
        lazy = DaskTradeTable.from_tables([eager])
        calls = {
            "group_sum": lambda table: table.group_sum(None),
            "balance": lambda table: table.balance(None),
            "share": lambda table: table.share(None),
            "top": lambda table: table.top(1, None),
            "unit_value": lambda table: table.unit_value(None),
            "percent_change": lambda table: table.percent_change(None),
            "cagr": lambda table: table.cagr(None),
        }
        for name, call in calls.items():
            with pytest.raises(ValidationError) as expected:
                call(eager)
            with pytest.raises(ValidationError) as dasked:
                call(lazy)
            assert str(dasked.value) == str(expected.value), name
        # within=None and of=None are no groups in memory, and so on Dask
        pd.testing.assert_frame_equal(lazy.top(1, ["partner"], within=None), eager.top(1, ["partner"], within=None))
        shares = lazy.share(["year"], of=None)
        pd.testing.assert_frame_equal(shares, eager.share(["year"], of=None), check_categorical=False)
        assert shares["share"].tolist() == pytest.approx([100 / 3, 200 / 3])
        with pytest.raises(ValidationError, match="partition_by"):
            lazy.to_parquet("unused", partition_by=None)

    def test_convert_currency_redenominates_as_in_memory(self, client: distributed.Client) -> None:
        eager = TradeTable.from_frame(
            pd.DataFrame(
                {"reporter": ["RUS"] * 2, "partner": ["PRK"] * 2, "flow": ["X", "M"], "year": [1995, 2005]}
                | {"value": [1000.0, 2000.0], "currency": ["RUB"] * 2}
            )
        )
        lazy = DaskTradeTable.from_tables([eager.where(np.array([True, False])), eager.where(np.array([False, True]))])
        expected = eager.convert_currency("USD", redenominate=True).to_frame()
        assert expected["value"].notna().all()
        converted = lazy.convert_currency("USD", redenominate=True).compute().to_frame()
        pd.testing.assert_frame_equal(converted, expected, check_categorical=False, rtol=RTOL)
        with pytest.raises(NkruError, match="1995"):
            lazy.convert_currency("USD").compute()

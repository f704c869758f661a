"""The DPRK's trade as its partners report it (mirror statistics), over a folder of Comtrade files, on Dask.

North Korea reports no trade to the UN; its partners do. This script reads every
Comtrade file of a folder lazily with nkru.dask (the shipped synthetic sample by
default; your bulk .gz downloads or the Parquet layout of `nkru to-parquet` for real
work), keeps the annual all-goods rows, turns the partners' reports of trade with the
DPRK into the DPRK's own exports and imports (TradeTable.mirror, partition by partition)
and sums them by year and partner on a local Dask cluster of two worker processes.
Connect to a real cluster instead with --scheduler tcp://HOST:8786.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from _common import make_parser, millions

DATA = Path(__file__).resolve().parent / "data"


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--files", default=str(DATA / "*.csv"), help="a glob or folder of Comtrade files")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: a local cluster of 2 workers)")
    parser.add_argument(
        "--cif-fob", type=float, default=1.0, help="divide partner-reported imports by this (1.06: DOTS)"
    )
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: PLC0415 - the optional dask extra

        import nkru.dask  # noqa: PLC0415
    except ImportError as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    if args.scheduler:
        cluster = None
        client = distributed.Client(args.scheduler, timeout=30)
    else:
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
        client = distributed.Client(cluster)
    with client:
        try:
            table = nkru.dask.read_comtrade(args.files)
            annual = table.select(level="total", freq="A", partners=["PRK"])
            mirrored = annual.mirror("PRK", cif_fob=args.cif_fob)
            sums = mirrored.group_sum(["year", "partner", "flow"])
            balance = mirrored.balance(["year"])
        except nkru.NkruError as exc:
            print(f"cannot read {args.files}: {exc}", file=sys.stderr)
            return 2
        print(
            f"Read {table.npartitions} partitions of {args.files} on {len(client.scheduler_info()['workers'])} workers."
        )
        print("The DPRK's trade, mirrored from its partners' reports (all goods, annual):\n")
        print(f"{'year':>4}  {'partner':7}  {'DPRK flow':9}  {'value':>12}")
        for row in sums.itertuples(index=False):
            print(f"{row.year:>4}  {row.partner:7}  {row.flow:9}  {millions(row.value):>12}")
        print()
        for row in balance.itertuples(index=False):
            print(
                f"{row.year}: DPRK balance {millions(row.balance)} (exports {millions(row.exports)}, imports {millions(row.imports)})"
            )
    if cluster is not None:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

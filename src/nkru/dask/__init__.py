r"""nkru on Dask: Comtrade files larger than memory, read and summed in partitions, with the table's analytics.

:func:`read_comtrade` reads many files lazily (a glob, a folder or a list:
Comtrade Plus or Classic CSV, bulk ``.gz`` files, or Parquet files written
by nkru) into a :class:`DaskTradeTable`, whose :meth:`~DaskTradeTable.select`,
:meth:`~DaskTradeTable.convert_currency`, :meth:`~DaskTradeTable.mirror`,
:meth:`~DaskTradeTable.group_sum`, :meth:`~DaskTradeTable.balance`,
:meth:`~DaskTradeTable.share`, :meth:`~DaskTradeTable.unit_value`,
:meth:`~DaskTradeTable.percent_change`, :meth:`~DaskTradeTable.cagr`, :meth:`~DaskTradeTable.top`,
:meth:`~DaskTradeTable.to_parquet` and :meth:`~DaskTradeTable.compute` do
what :class:`~nkru.table.TradeTable`'s do (and :meth:`~DaskTradeTable.to_dask_dataframe`
gives the rows as a Dask dataframe), partition by partition, on the
current Dask scheduler: a :class:`distributed.Client` connected to a local
or a remote cluster, or Dask's threads if none is open. The in-memory
table's row-level methods (:meth:`~nkru.table.TradeTable.where`,
:meth:`~nkru.table.TradeTable.to_frame`, its constructors and the
``currencies``, ``layout`` and ``encoding`` of its rows) have no lazy
counterpart: :meth:`~DaskTradeTable.compute` gives the in-memory table. Each
partition is read and checked by :func:`nkru.read_comtrade` itself; a bad row
is reported with its file and its line in the file.

Dask is optional: ``pip install "nkru[dask]"`` installs it (with
``distributed``); without it, importing this package raises
:class:`~nkru.errors.MissingDependencyError`.

>>> import io, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> header = "refYear,period,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,netWgt\n"
>>> _ = (folder / "2005.csv").write_text(header + "2005,2005,RUS,PRK,X,27,1500000,2000\n")
>>> _ = (folder / "2006.csv").write_text(header + "2006,2006,RUS,PRK,X,27,2500000,3000\n")
>>> table = read_comtrade(str(folder / "*.csv"))
>>> table
<DaskTradeTable: 2 partitions, steps: none>
>>> table.select(partners=["PRK"]).group_sum(["year", "flow"])[["year", "flow", "value", "mass"]]
   year    flow      value    mass
0  2005  export  1500000.0  2000.0
1  2006  export  2500000.0  3000.0
"""

from __future__ import annotations

try:
    import dask.dataframe  # the extra's check: this package needs Dask's dataframes
    import distributed  # noqa: F401 - and its distributed scheduler
except (
    ImportError
) as exc:  # pragma: no cover - the dask extra is in dev; tests/test_dask.py checks this in a subprocess
    from nkru.errors import MissingDependencyError

    raise MissingDependencyError("dask[dataframe] and distributed", "dask") from exc

import os
from collections.abc import Sequence
from typing import Final

import dask.config

from nkru.dask._partitions import partitions
from nkru.dask._table import DaskTradeTable
from nkru.errors import ValidationError

__all__ = ["DEFAULT_BLOCKSIZE", "DaskTradeTable", "read_comtrade"]

DEFAULT_BLOCKSIZE = 64 << 20
"""The bytes of an uncompressed CSV file :func:`read_comtrade` reads per partition (64 MiB)."""

# distributed starts its workers with MALLOC_TRIM_THRESHOLD_=64 KiB, which also stops glibc from raising its mmap
# threshold: every array over 128 KiB is then mapped afresh and faulted in page by page, and a partition's
# work took 2.7 times the CPU it takes in one process (measured: 0.65 s against 0.24 s a 16 MiB block). A fixed
# 32 MiB mmap threshold (glibc's own ceiling) gave most of it back; with it, the 64 KiB trim threshold still
# hands every freed block back at once, to be faulted in again by the next partition's arrays (99 ms a 16 MiB
# block's work, against 71 ms with a 64 MiB trim threshold: twice the mmap threshold, as glibc pairs them when it
# moves them itself). A worker then keeps up to 64 MiB of freed memory at the top of each allocator heap (one per
# thread that allocates) for its next partition. Defaults only:
# the user's own Dask configuration wins, and they act on clusters started after this import (see Scaling out).
_ALLOCATOR: Final = {"MALLOC_MMAP_THRESHOLD_": 32 << 20, "MALLOC_TRIM_THRESHOLD_": 64 << 20}
dask.config.update_defaults({"distributed": {"nanny": {"pre-spawn-environ": _ALLOCATOR}}})


def read_comtrade(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    blocksize: int | None = DEFAULT_BLOCKSIZE,
    taiwan: bool = False,
) -> DaskTradeTable:
    """Read many Comtrade files lazily into a :class:`DaskTradeTable` (nothing is read until a result is asked for).

    Args:
        source: A glob (``"bulk/*.gz"``, ``"parquet/**/*.parquet"``), a
            folder (every file under it), a file, or a list of files: CSV
            (Comtrade Plus or Classic), bulk gzip-compressed TSV, or Parquet
            written by nkru; all of one layout.
        blocksize: The bytes of an uncompressed CSV file per partition (a
            partition is a whole line block, with the file's header); None
            reads each file whole. Compressed and Parquet files are read
            whole, one partition each.
        taiwan: As :func:`nkru.read_comtrade`'s.

    Returns:
        A lazy table, in USD and kilograms as the in-memory reader gives.

    Raises:
        ValidationError: a glob or folder with no file, a bad option.
        StructureError: files of mixed layouts, or a file that cannot be
            opened (now); a bad row, named by file and line (when computed).
    """
    if not isinstance(taiwan, bool):
        raise ValidationError("taiwan", taiwan, "must be True or False")
    parts, _layout = partitions(source, blocksize)
    return DaskTradeTable(parts, taiwan=taiwan)

"""Readers and writers of the formats nkru's data comes in and goes out as.

Formats depend on the model, never the reverse: this package imports the
model, the table and the rates; nothing below it imports this package.

- :func:`read_comtrade_csv` (:mod:`nkru.io.comtrade`): a UN Comtrade CSV file
  into a :class:`~nkru.table.TradeTable`;
- :func:`dataset_csv` and :data:`CSV_COLUMNS` (:mod:`nkru.io.dataset`): a
  :class:`~nkru.dataset.Dataset` as CSV, one row per record;
- :data:`TableInput`: what a reader reads from (text, a path, or an open file).

:func:`read_comtrade_csv` is loaded on first use, as in :mod:`nkru`: its
module imports pandas (about 0.6 s), which writing a dataset's CSV (and the
command line, which does) does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nkru._core.tables import TableInput
from nkru.io.dataset import CSV_COLUMNS, dataset_csv

if TYPE_CHECKING:
    from nkru.io.comtrade import read_comtrade_csv

__all__ = ["CSV_COLUMNS", "TableInput", "dataset_csv", "read_comtrade_csv"]


def __getattr__(name: str) -> Any:
    if name == "read_comtrade_csv":
        value = importlib.import_module("nkru.io.comtrade").read_comtrade_csv
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nkru.io' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"read_comtrade_csv"})

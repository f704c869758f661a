"""Readers and writers of the formats nkru's data comes in and goes out as.

Formats depend on the model, never the reverse: this package imports the
model, the table and the rates; nothing below it imports this package.

- :func:`read_comtrade` (:mod:`nkru.io.comtrade`): UN Comtrade data as
  published (Plus and Classic CSV, bulk gzip TSV, API JSON, DataFrames) into a
  :class:`~nkru.table.TradeTable`; :func:`read_comtrade_csv` is its former name;
- :func:`dataset_csv` and :data:`CSV_COLUMNS` (:mod:`nkru.io.dataset`): a
  :class:`~nkru.dataset.Dataset` as CSV, one row per record;
- :func:`records_to_frame` and :func:`records_from_frame` (:mod:`nkru.io.frames`):
  records as a pandas DataFrame with flat columns, and back, losslessly;
- :data:`TableInput`: what a reader reads from (text, a path, or an open file).

:func:`read_comtrade` and the frame functions are loaded on first use, as in :mod:`nkru`: their
modules import pandas and pyarrow (about 0.6 s), which writing a dataset's CSV
(and the command line, which does) does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nkru._core.tables import TableInput
from nkru.io.dataset import CSV_COLUMNS, dataset_csv

if TYPE_CHECKING:
    from nkru.io.comtrade import read_comtrade, read_comtrade_csv
    from nkru.io.frames import records_from_frame, records_to_frame

__all__ = [
    "CSV_COLUMNS",
    "TableInput",
    "dataset_csv",
    "read_comtrade",
    "read_comtrade_csv",
    "records_from_frame",
    "records_to_frame",
]

_LAZY = {
    "read_comtrade": "nkru.io.comtrade",
    "read_comtrade_csv": "nkru.io.comtrade",
    "records_from_frame": "nkru.io.frames",
    "records_to_frame": "nkru.io.frames",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nkru.io' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

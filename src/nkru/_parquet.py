"""Parquet files for :class:`nkru.table.TradeTable`, through pyarrow (the optional ``parquet`` extra)."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nkru.errors import MissingDependencyError, ValidationError

__all__ = ["read_parquet", "write_parquet"]


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``frame`` to ``path``, its ``attrs["units"]`` in the schema metadata under ``nkru``.

    Raises:
        MissingDependencyError: pyarrow is not installed.
    """
    pa, pq = _pyarrow()
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = dict(arrow.schema.metadata or {})
    metadata[b"nkru"] = json.dumps({"format": 1, "units": frame.attrs["units"]}).encode()
    pq.write_table(arrow.replace_schema_metadata(metadata), os.fspath(path))


def read_parquet(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, str | None]:
    """Read a frame and the unit of its mass column (None if the file does not say).

    Raises:
        MissingDependencyError: pyarrow is not installed.
        ValidationError: the file's nkru metadata cannot be read.
    """
    _pa, pq = _pyarrow()
    arrow = pq.read_table(os.fspath(path))
    units: object = {}
    raw = (arrow.schema.metadata or {}).get(b"nkru")
    if raw is not None:
        try:
            units = json.loads(raw)["units"]
        except (ValueError, KeyError, TypeError):
            raise ValidationError("path", os.fspath(path), "has unreadable nkru metadata") from None
    frame: pd.DataFrame = arrow.to_pandas()
    frame.attrs.pop("units", None)
    mass = units.get("mass") if isinstance(units, Mapping) else None
    return frame, mass if isinstance(mass, str) else None


def _pyarrow() -> tuple[Any, Any]:
    """Import pyarrow, an optional extra, only when Parquet is used."""
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise MissingDependencyError("pyarrow", "parquet") from None

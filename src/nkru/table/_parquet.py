"""Parquet files for :class:`nkru.table.TradeTable`, through pyarrow (the optional ``parquet`` extra)."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nkru._core.tables import write_atomically
from nkru._core.text import clip
from nkru.errors import MissingDependencyError, ValidationError

__all__ = ["read_parquet", "write_parquet"]

#: The most characters of pyarrow's message an error quotes.
_MAX_REASON = 200


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``frame`` to ``path`` atomically, its ``attrs["units"]`` in the schema metadata under ``nkru``.

    Raises:
        MissingDependencyError: pyarrow is not installed.
        ValidationError: ``path`` is not a file path.
        OSError: the folder cannot be written or the disk is full (the old file, if any, is kept).
    """
    name = _checked_path(path)
    pa, pq = _pyarrow()
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = dict(arrow.schema.metadata or {})
    metadata[b"nkru"] = json.dumps({"format": 1, "units": frame.attrs["units"]}).encode()
    write_atomically(name, lambda stream: pq.write_table(arrow.replace_schema_metadata(metadata), stream))


def read_parquet(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, str | None]:
    """Read a frame and the unit of its mass column (None if the file does not say).

    Raises:
        MissingDependencyError: pyarrow is not installed.
        ValidationError: ``path`` is not a file path, names no file, or the
            file is not Parquet pyarrow can read or its nkru metadata is not.
    """
    name = _checked_path(path)
    _pa, pq = _pyarrow()
    try:
        arrow = pq.read_table(name)
        frame: pd.DataFrame = arrow.to_pandas()
    except FileNotFoundError:
        raise ValidationError("path", name, "no such file") from None
    except (OSError, ValueError) as exc:  # pyarrow: ArrowInvalid (a ValueError), or a bare OSError for a bad footer
        reason = clip(str(exc), _MAX_REASON)
        raise ValidationError("path", name, f"is not a Parquet file pyarrow can read: {reason}") from None
    units: object = {}
    raw = (arrow.schema.metadata or {}).get(b"nkru")
    if raw is not None:
        try:
            units = json.loads(raw)["units"]
        except (ValueError, KeyError, TypeError):
            raise ValidationError("path", name, "has unreadable nkru metadata") from None
    frame.attrs.pop("units", None)
    mass = units.get("mass") if isinstance(units, Mapping) else None
    return frame, mass if isinstance(mass, str) else None


def _checked_path(path: object) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise ValidationError("path", path, "must be a file path (str or os.PathLike)")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise ValidationError("path", name, "must be a file path as text, not bytes")
    return name


def _pyarrow() -> tuple[Any, Any]:
    """Import pyarrow, an optional extra, only when Parquet is used."""
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise MissingDependencyError("pyarrow", "parquet") from None

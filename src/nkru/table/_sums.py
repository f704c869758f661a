"""Sums of a :class:`nkru.table.TradeTable`'s value and mass by groups of rows, vectorized.

Each key column becomes per-row codes that sort as its values do (missing
last); a row's group is its codes read as the digits of one number, and the
sums are ``numpy.bincount`` over those groups, adding left to right in row
order as :func:`nkru.aggregate.group_total` does. :meth:`~nkru.table.TradeTable.group_sum`
checks the keys and the rules against double counting first.
"""

# The table's private modules are its implementation: they read the columns TradeTable keeps from its users.
# ruff: noqa: SLF001

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru.errors import ValidationError
from nkru.table._storage import Held
from nkru.table.columns import FLOWS, Codes, FloatArray, IntArray, categorical, has_nan

__all__ = ["group_frame"]

#: Largest number of bins :meth:`TradeTable.group_sum <nkru.table.TradeTable.group_sum>` counts directly; more distinct keys are sorted instead.
_MAX_BINS: Final = 1 << 22


def group_frame(table: Held, keys: Sequence[str], currency: str | None) -> pd.DataFrame:
    """The group sums of ``table`` by ``keys`` (checked), its values in ``currency``, as ``group_sum`` returns them.

    Raises:
        ValidationError: a group's sum is too large for a float.
    """
    columns = [_key_codes(table, key) for key in keys]
    combined = columns[0][0].astype(np.int64)  # each row's group: the key codes as digits of one number
    bins = columns[0][1]
    for codes, radix, _decode in columns[1:]:
        combined *= radix
        combined += codes
        bins *= radix
    if bins <= max(_MAX_BINS, len(table)):
        groups, index = np.arange(bins), combined
    else:
        groups, index = np.unique(combined, return_inverse=True)
    size = groups.size
    rows = np.bincount(index, minlength=size)
    used = rows > 0
    sums = _sums_by_group(index, rows, used, {"value": table._value, "mass": table._mass})
    result: dict[str, Any] = {}
    remainder = groups[used]
    for key, (_codes, radix, decode) in reversed(list(zip(keys, columns, strict=True))):
        result[key] = decode(remainder % radix)
        remainder = remainder // radix
    frame = pd.DataFrame({key: result[key] for key in keys} | sums | {"rows": rows[used]})
    frame.attrs["units"] = {"value": currency, "mass": table._mass_unit}
    return frame


def _key_codes(table: Held, key: str) -> tuple[Codes, int, Callable[[IntArray], Any]]:
    """Per-row codes 0..radix-1 of ``key``, the radix, and how to turn codes into the key's values.

    Codes sort as the values do, with missing values last.
    """
    if key == "year":
        first = int(table._year.min()) if len(table) else 0
        span = int(table._year.max()) - first + 1 if len(table) else 1
        year: Codes = table._year - np.int16(first)
        return year, span, lambda codes: (codes + first).astype(np.int64)
    if key == "month":
        return table._month, 13, lambda codes: codes.astype(np.int64)
    if key == "flow":
        names = [flow.value for flow in FLOWS]
        return table._flow, len(names), lambda codes: categorical(codes, names)
    if key in ("chapter", "hs"):
        per_category = [hs if hs is None or key == "hs" else hs[:2] for _label, hs in table._commodities]
        return _sorted_codes(table._commodity, per_category)
    if key == "reporter":
        return _sorted_codes(table._reporter, table._reporters)
    return _sorted_codes(table._partner, table._partners)


def _sorted_codes(
    codes: npt.NDArray[Any], per_category: Sequence[str | None]
) -> tuple[Codes, int, Callable[[IntArray], Any]]:
    """Map category codes (-1 = missing) to codes of the sorted distinct names, missing last."""
    names = sorted({name for name in per_category if name is not None})
    position = {name: i for i, name in enumerate(names)}
    missing = len(names)
    mapping = np.array([missing if n is None else position[n] for n in per_category] + [missing], dtype=np.int64)

    def decode(group_codes: IntArray) -> Any:
        return categorical(np.where(group_codes == missing, -1, group_codes), names)

    return mapping.take(codes), missing + 1, decode  # a missing code (-1) picks the last entry


def _sums_by_group(
    index: IntArray, rows: IntArray, used: npt.NDArray[np.bool_], columns: Mapping[str, FloatArray]
) -> dict[str, npt.NDArray[Any]]:
    """Each column's sum and count of stated (not NaN) rows per used group: NaN for a group with none stated.

    Raises:
        ValidationError: a group's sum is too large for a float.
    """
    size = rows.size
    sums: dict[str, npt.NDArray[Any]] = {}
    for name, column in columns.items():
        if not has_nan(column):  # nothing to leave out: the row counts are the counts
            sums[name], sums[f"{name}_count"] = np.bincount(index, weights=column, minlength=size), rows
        else:
            present = ~np.isnan(column)
            weights = np.where(present, column, 0.0)
            sums[name] = np.bincount(index, weights=weights, minlength=size)
            sums[f"{name}_count"] = np.bincount(index, weights=present, minlength=size).astype(np.int64)
    for name in columns:
        if np.isinf(sums[name]).any():
            raise ValidationError(name, "a group's sum", "is too large for a float")
    for name in columns:
        sums[f"{name}_count"] = sums[f"{name}_count"][used]
        sums[name] = np.where(sums[f"{name}_count"] > 0, sums[name][used], np.nan)
    return sums

"""Deprecated home of the Comtrade reader: it moved to :mod:`nkru.io.comtrade`.

``from nkru.comtrade import read_comtrade_csv`` keeps working for one release,
with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

from nkru._core.deprecation import moved_names

__all__: list[str] = []

__getattr__ = moved_names(
    __name__,
    {name: f"nkru.io.comtrade:{name}" for name in ("COLUMNS", "DEFAULT_MAX_ROWS", "CsvSource", "read_comtrade_csv")},
)

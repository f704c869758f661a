"""Old names kept working for one release, with a :class:`DeprecationWarning` that names the new home.

A module whose names moved defines ``__getattr__ = moved_names(__name__, {...})``,
as sdmx does for its model (``sdmx/model/__init__.py``): the old import path
still works, and the warning tells the user what to write instead.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["moved_names", "warn_deprecated"]


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new`` (removed in nkru 0.3)."""
    warnings.warn(
        f"{old} is deprecated and will be removed in nkru 0.3; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def moved_names(module: str, moves: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving each moved name from ``moves`` (``name -> "new.module:new_name"``).

    >>> getattr_ = moved_names("old.place", {"answer": "math:tau"})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     round(getattr_("answer"), 2), str(caught[0].message)
    (6.28, 'old.place.answer is deprecated and will be removed in nkru 0.3; use math.tau')
    """

    def module_getattr(name: str) -> Any:
        target = moves.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        where, _, new_name = target.partition(":")
        warn_deprecated(f"{module}.{name}", f"{where}.{new_name}")
        return getattr(importlib.import_module(where), new_name)

    return module_getattr

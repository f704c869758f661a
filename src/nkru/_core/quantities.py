"""Two pint shortcuts for hot paths: build a quantity, read its unit.

pint's ``Quantity(magnitude, unit)`` costs about 5 µs, most of it in
re-checking which registry the class belongs to, and every ``.units`` access
builds a new :class:`pint.Unit` (about 1 µs). Structuring 100,000 records
makes several of each per record, so nkru's record and table code use these
instead. They lean on pint's private layout (``_magnitude``, ``_units``),
which no public pint API exposes, so at import the shortcut is checked
against pint's own constructor and not used if the two ever disagree: a
newer pint then costs speed, never correctness.
"""

from __future__ import annotations

import functools
from typing import Any

import pint
from pint.facets.plain import PlainUnit

from nkru.units import ureg

__all__ = ["make_quantity", "units_of"]

_QUANTITY: Any = ureg.Quantity
_new = object.__new__


def _shortcut(magnitude: float, units: PlainUnit) -> pint.Quantity[float]:
    made = _new(_QUANTITY)
    made._magnitude = magnitude  # noqa: SLF001 - what pint's __new__ sets, checked below
    made._units = units._units  # noqa: SLF001
    return made  # type: ignore[no-any-return]


def _constructor(magnitude: float, units: PlainUnit) -> pint.Quantity[float]:
    return ureg.Quantity(magnitude, units)


def _shortcut_agrees() -> bool:
    """True when the shortcut makes exactly what pint's constructor makes."""
    probe = ureg.Unit("USD / metric_ton")
    try:
        ours, theirs = _shortcut(1.5, probe), _constructor(1.5, probe)
        return (
            type(ours) is type(theirs)
            and vars(ours) == vars(theirs)
            and ours == theirs
            and ours.units == theirs.units
            and str(ours.to("USD / kilogram")) == str(theirs.to("USD / kilogram"))
        )
    except Exception:  # noqa: BLE001 - any failure means: use pint's constructor
        return False


SHORTCUT_AGREES = _shortcut_agrees()

make_quantity = _shortcut if SHORTCUT_AGREES else _constructor
"""``ureg.Quantity(magnitude, units)`` for a float and a unit of :data:`nkru.ureg`, without pint's overhead."""


@functools.lru_cache(maxsize=1024)
def _unit_for(container: Any) -> PlainUnit:
    return ureg.Unit(container)


def units_of(value: pint.Quantity[float]) -> PlainUnit:
    """``value.units``, shared per distinct unit instead of built anew on every access."""
    container = getattr(value, "_units", None)
    if container is None:  # pragma: no cover - a pint whose quantities keep no ``_units``
        return value.units
    return _unit_for(container)

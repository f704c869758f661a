"""One point of a price index, :class:`IndexPoint`, and the checks of its fields.

Private: :mod:`nkru.prices` is the public face and re-exports
:class:`IndexPoint`. The point and its field checks live here, below both
the index (:mod:`nkru.prices`) and its table formats (:mod:`nkru.prices._io`),
which check each cell with them so they can name the bad ones.
"""

from __future__ import annotations

from typing import Final

import attrs

from nkru._core.numbers import is_integer, positive_float
from nkru.errors import ValidationError
from nkru.periods import MAX_YEAR, MIN_YEAR

__all__ = ["IndexPoint", "check_text", "checked_text", "to_value", "to_year"]

_MAX_TEXT: Final = 200


def to_year(value: object) -> int:
    """Convert a year given as an integer or as four digits of text to an int, if nkru's periods reach it."""
    if isinstance(value, str):
        stripped = value.strip()
        if len(stripped) != 4 or not stripped.isdigit() or not stripped.isascii():
            raise ValidationError("year", value, "must be a four-digit year")
        value = int(stripped)
    if not is_integer(value):
        raise ValidationError("year", value, "must be a year (int)")
    year = int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("year", value, f"must be between {MIN_YEAR} and {MAX_YEAR}")
    return year


def to_value(value: object) -> float:
    """Convert an index value (a positive finite number, or its text) to a float."""
    return positive_float("index", value)


def check_text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: the field holds printable text of 1 to 200 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT or not value.isprintable():
        raise ValidationError(attribute.name, value, f"must be printable text of 1 to {_MAX_TEXT} characters")


@attrs.frozen
class IndexPoint:
    """The annual average of a price index for one calendar year.

    >>> IndexPoint(1997, 160.5, "bls-cpiai-2014-02-20").value
    160.5
    """

    year: int = attrs.field(converter=to_year)
    value: float = attrs.field(converter=to_value)
    source: str = attrs.field(validator=check_text)


def checked_text(value: object) -> str:
    """Return a point's ``source`` if :func:`check_text` accepts it."""
    check_text(None, attrs.fields(IndexPoint).source, value)
    return str(value)

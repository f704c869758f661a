"""Text in records and in messages: validators for text fields, and the one clipper of messages.

Validators check the names, labels, ids and notes of records. :func:`clip`
(and :func:`shown`, which quotes) shortens any text a message repeats, so
that a 100 kB cell, argument or quotation gives a one-line error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from nkru.errors import ValidationError

__all__ = [
    "SHOWN",
    "cell_reason",
    "check_id",
    "check_text",
    "clip",
    "instance_of",
    "shown",
    "text_validator",
    "tuple_of",
]

SHOWN: Final = 60
"""How long a value quoted by :func:`shown` may be before it is clipped."""

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}\Z")
#: Unicode categories Cc (C0 and C1 controls) and Cs (surrogates), less newline and tab.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(field: str, value: object, *, max_length: int, allow_empty: bool = False) -> str:
    """Return ``value`` if it is acceptable record text, else raise ValidationError.

    Acceptable: a ``str`` of at most ``max_length`` characters with no control
    characters other than newline and tab (a NUL or an escape sequence in a
    name is a sign of corrupt input, not data).
    """
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be text")
    if not allow_empty and not value.strip():
        raise ValidationError(field, value, "must not be empty")
    if len(value) > max_length:
        raise ValidationError(field, value, f"must be at most {max_length} characters")
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ValidationError(field, value, f"contains the control character {bad.group()!r}")
    return value


def text_validator(max_length: int, *, allow_empty: bool = False) -> Callable[[Any, Any, Any], None]:
    """An attrs validator running :func:`check_text` on the field."""

    def validate(_instance: Any, attribute: Any, value: Any) -> None:
        check_text(attribute.name, value, max_length=max_length, allow_empty=allow_empty)

    return validate


def check_id(_instance: Any, attribute: Any, value: Any) -> None:
    """Validate a record id: lower-case letters, digits, ``.``, ``_`` and ``-``, at most 80."""
    if not isinstance(value, str) or _ID.match(value) is None:
        raise ValidationError(
            attribute.name,
            value,
            "must be 1-80 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
        )


def instance_of(kind: type | tuple[type, ...], *, optional: bool = False) -> Callable[[Any, Any, Any], None]:
    """An attrs validator like :func:`attrs.validators.instance_of` that raises nkru's error."""
    names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))

    def validate(_instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, kind):
            raise ValidationError(attribute.name, value, f"must be a {names}{' or None' if optional else ''}")

    return validate


def clip(text: str, limit: int, *, count: bool = False) -> str:
    """Return ``text`` cut to at most ``limit`` characters, with "…" where it was cut.

    With ``count``, the cut text ends in its full length instead of "…"
    alone, so the reader of an error knows how much was left out; the result
    still fits in ``limit`` characters (for text under a million characters).
    The messages of :mod:`nkru.errors` clip the same way; nkru's tests hold
    the two to the same results.

    >>> clip("a" * 10, 10), clip("a" * 11, 10), clip("abcdefghijklmnopqrstuvwxyz" * 2, 30, count=True)
    ('aaaaaaaaaa', 'aaaaaaaaa…', 'abcdefghijklmn…(52 characters)')
    """
    if len(text) <= limit:
        return text
    if not count:
        return text[: limit - 1] + "…"
    tail = f"…({len(text)} characters)"
    return text[: max(limit - len(tail), 0)] + tail


def shown(text: object, limit: int = SHOWN) -> str:
    """Quote ``text`` for a message (its ``repr``), clipped to ``limit`` characters and its length.

    >>> shown("x"), shown("x" * 100, 30)
    ("'x'", "'xxxxxxxxxxxx…(102 characters)")
    """
    return clip(repr(text), limit, count=True)


def cell_reason(exc: ValidationError, value: object) -> str:
    """The reason of ``exc`` for a table's cell, with the cell shown clipped if the reason does not quote it.

    >>> cell_reason(ValidationError("rate", "x", "is not a number: 'x'"), "x")
    "is not a number: 'x'"
    >>> cell_reason(ValidationError("rate", 5, "must be even"), 5)
    "must be even (got '5')"
    """
    text = value if isinstance(value, str) else repr(value)
    if text and (text in exc.reason or shown(text) in exc.reason):
        return exc.reason
    return f"{exc.reason} (got {shown(text)})"


def tuple_of(kind: type | tuple[type, ...], *, max_items: int = 1000) -> Any:
    """An attrs validator for a tuple of at most ``max_items`` items, each a ``kind``."""

    def validate(_instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(attribute.name, value, "must be a tuple")
        if len(value) > max_items:
            raise ValidationError(attribute.name, f"{len(value)} items", f"must have at most {max_items} items")
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError(f"{attribute.name}[{index}]", item, "has the wrong type")

    return validate

"""Errors raised by nkru.

Every error nkru raises derives from :class:`NkruError`, and each concrete
error also derives from the builtin exception that fits it, so callers can
catch either ``NkruError`` or, for example, ``ValueError``.

Errors keep their data as attributes (the offending text, the field path, the
currencies involved) and pickle, so they survive a trip through
:mod:`multiprocessing` or a log queue.

>>> from nkru.errors import ParseError
>>> try:
...     raise ParseError("12 parsecs of gold", "unknown unit 'parsecs'", position=3)
... except ValueError as exc:
...     print(exc)
cannot read '12 parsecs of gold' at character 3: unknown unit 'parsecs'
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

__all__ = [
    "CurrencyMismatchError",
    "CurrencyNotInCirculationError",
    "DoubleCountError",
    "FieldError",
    "MissingDependencyError",
    "NkruError",
    "ParseError",
    "RateNotFoundError",
    "StructureError",
    "UnitMismatchError",
    "ValidationError",
]

_MAX_SHOWN = 80


def _clip(text: str) -> str:
    """Shorten ``text`` for a message so a 100 kB input gives a readable error.

    The rule of ``nkru._core.text.clip(text, 80, count=True)``, nkru's one
    clipper, written out here because this module is the lowest layer and
    imports nothing of nkru's; ``tests/test_errors.py`` holds the two to the
    same results.
    """
    if len(text) <= _MAX_SHOWN:
        return text
    tail = f"…({len(text)} characters)"
    return text[: _MAX_SHOWN - len(tail)] + tail


def _repr(value: object) -> str:
    """``repr(value)``, or its type where repr itself fails on hostile input.

    An int past 4,300 digits raises ValueError and a list nested past the
    recursion limit raises RecursionError; the error about such a value must
    not become that error instead.
    """
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - any failure to show the value is reported as its type
        return f"<{type(value).__name__} that cannot be shown>"


class NkruError(Exception):
    """Base class of every error nkru raises."""


class ParseError(NkruError, ValueError):
    """Text could not be read by one of nkru's grammars.

    Attributes:
        text: The text that was being read (kept whole; the message clips it).
        reason: What was wrong, in words.
        position: Character offset in ``text`` where reading failed, if known.
    """

    def __init__(self, text: str, reason: str, position: int | None = None) -> None:
        super().__init__(text, reason, position)
        self.text = text
        self.reason = reason
        self.position = position

    def __str__(self) -> str:
        where = "" if self.position is None else f" at character {self.position}"
        return f"cannot read {_clip(self.text)!r}{where}: {self.reason}"


class ValidationError(NkruError, ValueError):
    """A value is of the right type but not allowed (nan, negative mass, ...).

    Attributes:
        field: Name of the field (or argument) that holds the bad value.
        value: The rejected value, as its ``repr``.
        reason: Why it was rejected.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        shown = _repr(value)
        super().__init__(field, shown, reason)
        self.field = field
        self.value = shown
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason} (got {_clip(self.value)})"


class UnitMismatchError(NkruError, TypeError):
    """Two quantities of different kinds (mass and money, say) were combined.

    Raised by nkru's functions (:func:`nkru.to_unit`, :func:`nkru.convert_currency`,
    the aggregation helpers). Arithmetic on quantities (``+``, ``-``, ``<``)
    is pint's own and raises :class:`pint.DimensionalityError`; both are a
    :class:`TypeError`. Until nkru 0.2 this class was called
    ``DimensionalityError``, pint's name; that name still works until 0.3,
    with a :class:`DeprecationWarning`.

    Attributes:
        from_unit: Unit of the quantity that was being converted or combined.
        to_unit: Unit it was asked to become or be combined with.
    """

    def __init__(self, from_unit: str, to_unit: str) -> None:
        super().__init__(from_unit, to_unit)
        self.from_unit = from_unit
        self.to_unit = to_unit

    def __str__(self) -> str:
        return f"cannot convert or combine {self.from_unit!r} with {self.to_unit!r}: different dimensions"


class CurrencyMismatchError(UnitMismatchError):
    """Amounts in two different currencies were combined without an exchange rate.

    Use :func:`nkru.convert_currency` with a date to convert between
    currencies; the rouble redenomination (RUR to RUB) is the only fixed
    conversion nkru applies.
    """

    def __str__(self) -> str:
        return (
            f"cannot combine {self.from_unit} with {self.to_unit} without an exchange rate;"
            " convert one of them with nkru.convert_currency(amount, to, on=...)"
        )


class CurrencyNotInCirculationError(NkruError, ValueError):
    """Money is dated when its currency did not circulate: RUB before 1998, RUR after 2002, SUR outside 1961–1991.

    The usual cause is a figure in old roubles written with the new code (a
    1997 "3.5 billion roubles" is RUR, 1000 times fewer RUB). Converting it
    as RUB would be 1000 times off, so nkru stops and names the currency of
    that date. Pass ``redenominate=True`` when the amount really is restated
    in the later unit (WDI publishes pre-1998 figures in new roubles).

    Attributes:
        currency: The code of the amount.
        when: The date or period, as text.
        circulated: The years the currency circulated, as text.
        instead: The rouble code of that date, if one (else "").
        option: How the caller says the amount is restated (``redenominate=True``;
            ``--redenominate`` on the command line).
    """

    def __init__(
        self, currency: str, when: str, circulated: str, instead: str = "", option: str = "redenominate=True"
    ) -> None:
        super().__init__(currency, when, circulated, instead, option)
        self.currency = currency
        self.when = when
        self.circulated = circulated
        self.instead = instead
        self.option = option

    def __str__(self) -> str:
        factor = "; 1 RUB = 1000 RUR" if {self.currency, self.instead} == {"RUB", "RUR"} else ""
        use = f"money of that date is {self.instead}, so write the amount in {self.instead}; " if self.instead else ""
        return (
            f"{self.currency} did not circulate in {self.when} ({self.currency}: {self.circulated}{factor}): "
            f"{use}if it is restated in {self.currency}, pass {self.option}"
        )


class RateNotFoundError(NkruError, LookupError):
    """No exchange rate or price index covers the requested date.

    Attributes:
        series: What was looked up, for example ``"RUB per USD"``.
        when: The date or period asked for, as text.
        coverage: The dates the data does cover, as text.
    """

    def __init__(self, series: str, when: str, coverage: str = "") -> None:
        super().__init__(series, when, coverage)
        self.series = series
        self.when = when
        self.coverage = coverage

    def __str__(self) -> str:
        extra = f" (data covers {self.coverage})" if self.coverage else ""
        return f"no {self.series} for {self.when}{extra}"


class FieldError(NkruError, ValueError):
    """One bad field found while structuring data; see :class:`StructureError`.

    Attributes:
        path: Where the field is, as a JSON path such as ``$.shipments[3].mass.unit``.
        reason: What is wrong with it.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class StructureError(NkruError, ValueError):
    """Data (JSON, a dict, a CSV row) could not be turned into nkru records.

    Lists every bad field it found, not only the first.

    Attributes:
        type_name: Name of the type that was being built.
        problems: One :class:`FieldError` per bad field.
    """

    def __init__(self, type_name: str, problems: tuple[FieldError, ...]) -> None:
        super().__init__(type_name, problems)
        self.type_name = type_name
        self.problems = problems

    @property
    def paths(self) -> tuple[str, ...]:
        """The JSON paths of the bad fields, in the order found."""
        return tuple(p.path for p in self.problems)

    def __str__(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:20])
        more = f"; and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"cannot build {self.type_name}: {count} {noun}: {shown}{more}"


class MissingDependencyError(NkruError, ImportError):
    """An optional dependency that a feature needs is not installed.

    Attributes:
        package: The package to install.
        extra: The nkru extra that installs it (``pip install nkru[extra]``).
    """

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(package, extra)
        self.package = package
        self.extra = extra

    def __str__(self) -> str:
        return f"this needs {self.package}, which is not installed; install it with: pip install 'nkru[{self.extra}]'"


class DoubleCountError(NkruError, ValueError):
    """A sum would count the same trade twice: a total added to its parts.

    Comtrade tables hold the World beside its partners, ``TOTAL`` beside
    chapters and headings, annual rows beside monthly ones, and totals beside
    their breakdowns; a sum over such rows is refused, and says which rows to
    select.

    Attributes:
        what: What the sum would add to what.
        selection: The selection that makes the sum right.
    """

    def __init__(self, what: str, selection: str) -> None:
        super().__init__(what, selection)
        self.what = what
        self.selection = selection

    def __str__(self) -> str:
        return f"this sum would count trade twice: it adds {self.what}; {self.selection}"


if TYPE_CHECKING:
    DimensionalityError = UnitMismatchError


def __getattr__(name: str) -> Any:
    # nkru.errors sits below nkru._core, which imports it, so it cannot use
    # nkru._core.deprecation.moved_names; the warning reads the same (tests/test_errors.py checks).
    if name == "DimensionalityError":
        warnings.warn(
            "nkru.errors.DimensionalityError is deprecated and will be removed in nkru 0.3;"
            " use nkru.errors.UnitMismatchError",
            DeprecationWarning,
            stacklevel=2,
        )
        return UnitMismatchError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

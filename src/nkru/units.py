"""nkru's one pint registry: units, currencies, and exact conversions.

Every :class:`pint.Quantity` nkru makes comes from :data:`ureg`. Each
currency is its own pint *dimension*, so adding roubles to dollars raises
instead of giving a number:

>>> from nkru.units import money, ureg
>>> money(5, "USD") + money(5, "USD")
<Quantity(10, 'USD')>
>>> money(5, "USD") + money(5, "RUB")
Traceback (most recent call last):
...
pint.errors.DimensionalityError: Cannot convert from 'USD' ([currency_USD]) to 'RUB' ([currency_RUB])

The only fixed conversion between currencies is the 1998 rouble
redenomination (1 RUB = 1000 RUR), which :func:`to_unit` applies exactly:

>>> to_unit(money(4.5e9, "RUR"), "RUB")
<Quantity(4500000.0, 'RUB')>

Prices combine money and mass the way they should:

>>> (quantity(200, "USD / t") * quantity(3, "t")).to("USD")
<Quantity(600, 'USD')>

In this registry ``ton`` is the metric tonne (1000 kg), as in trade statistics,
not pint's US short ton; the short and long tons keep their explicit names:

>>> quantity(1, "t").to("ton"), quantity(1, "short_ton").to("kg")
(<Quantity(1, 'metric_ton')>, <Quantity(907.18474, 'kilogram')>)

Units given as text are read by a small grammar of nkru's own (:func:`unit`),
never by pint's expression evaluator. Pickled quantities and units come back
in :data:`ureg`; :func:`use_as_application_registry` makes it pint's
application registry too, for code that builds ``pint.Quantity`` directly.
"""

from __future__ import annotations

import functools
import pathlib
import re
from typing import Any, Final

import attrs
import numpy as np
import pint
from pint.facets.plain import PlainUnit
from pint.util import to_units_container

from nkru._core.factors import ExactFactor
from nkru._core.numbers import is_real, scaled_magnitude
from nkru.errors import CurrencyMismatchError, ParseError, UnitMismatchError, ValidationError

__all__ = [
    "CURRENCIES",
    "ROUBLES",
    "Quantity",
    "Unit",
    "check_currency",
    "conversion_factor",
    "currency_code",
    "currency_of",
    "currency_series",
    "currency_validator",
    "format_unit",
    "is_currency",
    "make_quantity",
    "money",
    "quantity",
    "to_unit",
    "unit",
    "units_of",
    "ureg",
    "use_as_application_registry",
]

Quantity = pint.Quantity
"""The class of every quantity nkru makes (from :data:`ureg`); annotate scalars as ``Quantity[float]``."""

Unit = PlainUnit
"""The class of every unit nkru makes (from :data:`ureg`)."""

#: ISO 4217 codes (and the historic SUR and RUR) that nkru models, with their names.
#: pycountry carries ISO 4217 for current currencies only; RUR (the Russian rouble
#: before the 1998-01-01 redenomination) and SUR (the Soviet rouble) are added here.
_CURRENCY_NAMES: Final[dict[str, str]] = {
    "USD": "US dollar",
    "RUB": "Russian rouble (from 1998-01-01)",
    "RUR": "Russian rouble (before 1998-01-01; 1000 RUR = 1 RUB)",
    "SUR": "Soviet rouble",
    "KPW": "North Korean won",
    "CNY": "Chinese yuan",
    "EUR": "euro",
    "JPY": "Japanese yen",
    "KRW": "South Korean won",
    "GBP": "pound sterling",
}

CURRENCIES: Final[frozenset[str]] = frozenset(_CURRENCY_NAMES)
"""Currency codes nkru knows, each a pint dimension of its own."""

ROUBLES: Final[frozenset[str]] = frozenset({"RUB", "RUR"})
"""The two codes of the Russian rouble, one currency at a fixed factor (1 RUB = 1000 RUR), so no rate is needed
between them, and exchange-rate tables keep them as one series."""


def currency_series(code: str) -> str:
    """The series a currency's rates belong to: RUB for either rouble code (see :data:`ROUBLES`), else the code.

    >>> currency_series("RUR"), currency_series("EUR")
    ('RUB', 'EUR')
    """
    return "RUB" if code in ROUBLES else code


_PINT_DEFINITIONS: Final = pathlib.Path(pint.__file__).parent

#: Edits to pint's default definitions, each made exactly once (a pint whose file no longer has
#: one of these lines fails at import rather than quietly keeping the short ton): "ton" is the
#: metric tonne of trade statistics, and the US short ton answers only to its explicit names.
_TON_EDITS: Final = (
    ("metric_ton = 1e3 * kilogram = t = tonne\n", "metric_ton = 1e3 * kilogram = t = tonne = ton\n"),
    ("    ton = 2e3 * pound = _ = short_ton\n", "    short_ton = 2e3 * pound\n"),
    (
        "    force_ton = g_0 * ton = _ = ton_force = force_short_ton = short_ton_force\n",
        "    force_short_ton = g_0 * short_ton = _ = short_ton_force\n",
    ),
    ("    US_ton = ton\n", "    US_ton = short_ton\n"),
    ("    US_force_ton = force_ton = _ = US_ton_force\n", "    US_force_ton = force_short_ton = _ = US_ton_force\n"),
)


def _definitions() -> list[str]:
    """Return the lines of pint's default definitions with :data:`_TON_EDITS` applied, ``@import`` inlined.

    pint reads definitions given as lines only without ``@import``, and offers no way to
    redefine a unit it has loaded (``on_redefinition`` keeps the first or raises).
    """
    text = (_PINT_DEFINITIONS / "default_en.txt").read_text(encoding="utf-8")
    constants = (_PINT_DEFINITIONS / "constants_en.txt").read_text(encoding="utf-8")
    for old, new in (*_TON_EDITS, ("@import constants_en.txt\n", constants + "\n")):
        if text.count(old) != 1:  # pragma: no cover - only a changed pint gets here
            msg = f"pint's default_en.txt no longer has the line {old.strip()!r} once; nkru cannot redefine 'ton'"
            raise RuntimeError(msg)
        text = text.replace(old, new)
    return text.splitlines()


def _unpickle_quantity(magnitude: Any, units: Any) -> pint.Quantity[float]:
    """Rebuild a pickled quantity in :data:`ureg` (pint's own unpickler uses its application registry).

    Pickles name this function: it keeps its name and module so that stored pickles load.
    """
    return ureg.Quantity(magnitude, _unpickle_unit(units))


def _unpickle_unit(units: Any) -> PlainUnit:
    """Rebuild a pickled unit in :data:`ureg`; prefixed names ("kilometer") are defined on first parse."""
    for name in units:
        ureg.parse_units(name)
    return ureg.Unit(units)


class _Quantity(pint.Quantity[Any]):
    """pint's quantity, pickled so that it unpickles in :data:`ureg`."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _unpickle_quantity, (self.magnitude, self._units)


class _Unit(pint.Unit):
    """pint's unit, pickled so that it unpickles in :data:`ureg`."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _unpickle_unit, (self._units,)


class _Registry(pint.UnitRegistry):  # type: ignore[type-arg]
    """pint's registry with nkru's pickling: the classes pint derives for ``ureg`` build on these."""

    Quantity = _Quantity
    Unit = _Unit


def _build_registry() -> pint.UnitRegistry[float]:
    registry: pint.UnitRegistry[float] = _Registry(None, on_redefinition="raise", cache_folder=None)
    registry.load_definitions(_definitions())
    for code in sorted(CURRENCIES - {"RUR"}):
        registry.define(f"{code} = [currency_{code}]")
    # The redenomination is the one fixed rate between two currency codes:
    # RUB and RUR share a dimension; nkru.units.to_unit makes the factor exact.
    registry.define("RUR = RUB / 1000")
    # Counts of things (trucks, factories): a dimension of their own, so a count
    # never mixes with a percentage or a bare number.
    registry.define("item = [item] = _ = items")
    # "pct" is how trade texts abbreviate percent (nkru.parse_quantity reads it so); pint would
    # read it as a picocarat, a mass.
    registry.define("@alias percent = pct = Pct = PCT")
    return registry


ureg: Final[pint.UnitRegistry[float]] = _build_registry()
"""The single pint registry behind every nkru quantity."""


def use_as_application_registry() -> None:
    """Make :data:`ureg` pint's application registry, so pint's own ``pint.Quantity(...)`` builds nkru quantities.

    nkru never does this by itself: pint's application registry is the
    program's, not a library's. Call it once, at start-up, when your code
    builds quantities with ``pint.Quantity`` and mixes them with nkru's (pint
    refuses to combine quantities of two registries).

    >>> import pint
    >>> previous = pint.get_application_registry().get()
    >>> use_as_application_registry()
    >>> pint.Quantity(3, "t") + quantity(2, "t")
    <Quantity(5, 'metric_ton')>
    >>> pint.set_application_registry(previous)  # this example restores pint's; your program would not
    """
    pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]


# -- two shortcuts for hot paths --------------------------------------------------------------
#
# pint's ``Quantity(magnitude, unit)`` costs about 5 µs, most of it in re-checking which registry
# the class belongs to, and every ``.units`` access builds a new Unit (about 1 µs). Structuring
# 100,000 records makes several of each per record. The shortcut leans on pint's private layout
# (``_magnitude``, ``_units``), which no public pint API exposes, so at import it is checked
# against pint's own constructor and not used if the two ever disagree: a newer pint then costs
# speed, never correctness.

_QUANTITY: Any = ureg.Quantity
_new = object.__new__


def _shortcut(magnitude: float, units: PlainUnit) -> pint.Quantity[float]:
    """Make ``ureg.Quantity(magnitude, units)`` for a float and a unit of :data:`ureg`, without pint's overhead.

    This is :func:`make_quantity` when the shortcut agrees with pint. No
    checks: the caller has a finite float and a :class:`Unit` of
    :data:`ureg` (use :func:`quantity` for anything else).

    >>> make_quantity(1.5, unit("t")) == ureg.Quantity(1.5, unit("t"))
    True
    """
    made = _new(_QUANTITY)
    made._magnitude = magnitude  # noqa: SLF001 - what pint's __new__ sets, checked below
    made._units = units._units  # noqa: SLF001
    return made  # type: ignore[no-any-return]


def _constructor(magnitude: float, units: PlainUnit) -> pint.Quantity[float]:
    """Make ``ureg.Quantity(magnitude, units)`` with pint's constructor: :func:`make_quantity` if the shortcut disagrees."""
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


#: Whether make_quantity takes the shortcut: it makes exactly what pint's constructor makes.
_SHORTCUT_AGREES: Final = _shortcut_agrees()

make_quantity = _shortcut if _SHORTCUT_AGREES else _constructor


@functools.lru_cache(maxsize=1024)
def _unit_for(container: Any) -> PlainUnit:
    return ureg.Unit(container)


def units_of(value: pint.Quantity[float]) -> PlainUnit:
    """Return ``value.units``, shared per distinct unit instead of built anew on every access.

    >>> units_of(quantity(3, "t")) is units_of(quantity(4, "t"))
    True
    """
    container = getattr(value, "_units", None)
    if container is None:  # pragma: no cover - a pint whose quantities keep no ``_units``
        return value.units
    return _unit_for(container)


_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,39}"
#: Names pint reads in a way trade data almost never means (see DOMAIN.md, "Traps in pint").
_AMBIGUOUS: Final = {
    "mt": "pint's 'mt' is a millimetric ton (1 kg); write 't' for metric tonnes",
    "MT": "pint's 'MT' is a megatesla; write 't' for metric tonnes",
    "kt": "pint's 'kt' is a knot; write thousands of tonnes as a magnitude in 't'",
}
_FACTOR = re.compile(rf"\s*({_NAME}|1)\s*(?:\*\*\s*(-?[1-4]))?\s*")
_MAX_UNIT_TEXT = 120


def unit(text: str) -> PlainUnit:
    """Return the unit named by ``text``, read by nkru's bounded unit grammar.

    The grammar is a product of unit names from :data:`ureg`, each with an
    optional small integer power, joined by ``*`` or ``/``: ``"t"``,
    ``"USD / t"``, ``"kilogram / meter ** 2"``. A currency code may be
    written in lower case (``"usd"``). Nothing else reaches pint, so
    hostile text cannot make it hang. Results are cached, so calling this per
    row costs a dictionary look-up.

    Args:
        text: The unit, as text.

    Returns:
        The :class:`pint.Unit` from :data:`ureg`.

    Raises:
        ParseError: ``text`` is not a product of known unit names.

    >>> unit("USD / t")
    <Unit('USD / metric_ton')>
    >>> unit("dollars")
    Traceback (most recent call last):
    ...
    nkru.errors.ParseError: cannot read 'dollars' at character 0: unknown unit 'dollars'
    """
    if not isinstance(text, str):
        # Checked before the cache, which would raise TypeError on a list; repr could fail on junk.
        raise ParseError(f"<{type(text).__name__} object>", "a unit must be text")
    return _read_unit(text)


@functools.lru_cache(maxsize=1024)
def _read_unit(text: str) -> PlainUnit:
    if len(text) > _MAX_UNIT_TEXT:
        raise ParseError(text, f"a unit is at most {_MAX_UNIT_TEXT} characters")
    result = ureg.dimensionless
    position = 0
    operator = "*"
    while True:
        match = _FACTOR.match(text, position)
        if match is None or not match.group(1):
            raise ParseError(text, "expected a unit name", position)
        name, power = match.group(1), int(match.group(2) or 1)
        if name.islower() and name.upper() in CURRENCIES:
            # Codes in lower case too ("usd"), as check_currency reads them; not mixed case: "Gbp" is pint's gigapoint.
            name = name.upper()
        if name != "1":
            ambiguity = _ambiguity(name)
            if ambiguity is not None:
                raise ParseError(text, f"ambiguous unit {name!r}: {ambiguity}", position)
            named = _named_unit(name)
            if named is None:
                raise ParseError(text, f"unknown unit {name!r}", position)
            factor = named**power
            result = result * factor if operator == "*" else result / factor
        position = match.end()
        if position == len(text):
            return _writable(result, text)
        operator = text[position]
        if operator not in "*/":
            raise ParseError(text, f"unexpected {operator!r}", position)
        position += 1


_POWERS: Final = frozenset(range(-4, 5))


def _writable(result: PlainUnit, text: str) -> PlainUnit:
    """Refuse a product whose powers leave -4..4: :func:`format_unit` would write text this grammar refuses."""
    for name, power in to_units_container(result, ureg).items():
        if power not in _POWERS:
            raise ParseError(text, f"{name} has the power {power}; powers run from -4 to 4")
    return result


#: Units pint resolves names to that trade data almost never means.
_NEVER_TRADE: Final = frozenset({"tesla", "knot"})


@functools.lru_cache(maxsize=1024)
def _ambiguity(name: str) -> str | None:
    """Why ``name`` is refused as ambiguous, judged by what pint resolves it to, or None.

    Checking the resolved unit and not only the spelling catches the prefixed
    forms too: pint reads "kilotons" as thousands of tonnes and "Mt" as
    megatonnes or, in "MT", megatesla.
    """
    if name in _AMBIGUOUS:
        return _AMBIGUOUS[name]
    try:
        readings = ureg.parse_unit_name(name)
    except (pint.UndefinedUnitError, AttributeError, ValueError, TypeError):
        return None
    for prefix, base, _suffix in readings:
        prefixed = f" with the prefix {prefix!r}" if prefix else ""
        if base in CURRENCIES and prefix:
            # A "kiloUSD" would be money that no exchange rate is quoted in.
            return f"pint reads it as {base}{prefixed}; write the amount in {base!r}, scaling the magnitude"
        if base in _NEVER_TRADE:
            return f"pint reads it as {base}{prefixed}; write 't' for metric tonnes"
        if base == "metric_ton" and prefix:
            return f"pint reads it as tonnes{prefixed}; write the amount in 't'"
    return None


@functools.lru_cache(maxsize=1024)
def _named_unit(name: str) -> PlainUnit | None:
    """Look up one unit name (an identifier, checked by the caller) in the registry."""
    if name.startswith("_"):
        return None
    try:
        return ureg.Unit(name)
    except (pint.UndefinedUnitError, AttributeError, ValueError, TypeError):
        # pint reads some names as numbers ("nan") or constants with a factor; none is a unit.
        return None


def format_unit(value: PlainUnit | pint.Quantity[float]) -> str:
    """Return the canonical text of a unit, which :func:`unit` reads back.

    >>> format_unit(unit("t"))
    'metric_ton'
    >>> format_unit(money(1, "USD") / quantity(1, "t"))
    'USD / metric_ton'
    """
    units = value.units if isinstance(value, pint.Quantity) else value
    return _format_unit(units)


@functools.lru_cache(maxsize=1024)
def _format_unit(units: PlainUnit) -> str:
    return str(units) or "dimensionless"


def quantity(magnitude: float, units: str | PlainUnit) -> pint.Quantity[float]:
    """Make a quantity of :data:`ureg` from a number and a unit.

    A unit given as text goes through the cached grammar of :func:`unit`.

    >>> quantity(830_000, "t")
    <Quantity(830000, 'metric_ton')>

    The magnitude must be a real number (or a numpy array of them); anything
    else is refused here rather than handed to pint, which would read a string
    magnitude with its own expression parser:

    >>> quantity("5", "t")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: magnitude: must be a real number or a numeric numpy array (got '5')

    Raises:
        ValidationError: ``magnitude`` is not a real number.
        ParseError: ``units`` is text nkru cannot read as a unit.
    """
    resolved = unit(units) if isinstance(units, str) else units
    return ureg.Quantity(_real_magnitude(magnitude), resolved)


def money(amount: float, currency: str) -> pint.Quantity[float]:
    """Make an amount of money in ``currency`` (an ISO 4217 code nkru knows, in any case: ``"usd"`` is USD).

    Raises:
        ParseError: ``currency`` is not one of :data:`CURRENCIES`.
        ValidationError: ``amount`` is not a real number (see :func:`quantity`).

    >>> money(1.97e9, "USD")
    <Quantity(1.97e+09, 'USD')>
    """
    code: object = currency  # callers pass anything; a list would make `in` raise TypeError
    if not isinstance(code, str) or code.upper() not in CURRENCIES:
        shown = code if isinstance(code, str) else f"<{type(code).__name__} object>"
        raise ParseError(shown, f"unknown currency; nkru knows {', '.join(sorted(CURRENCIES))}")
    return ureg.Quantity(_real_magnitude(amount), unit(code.upper()))


def _real_magnitude(value: Any) -> Any:
    """``value`` if it is a real number or a numeric numpy array, else :class:`ValidationError`.

    Non-finite values pass: a quantity may hold nan (records refuse it, see
    :class:`~nkru.measures.Measure`). Booleans are refused, though Python counts them as ints.
    """
    if type(value) is float or type(value) is int or is_real(value):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return value
    raise ValidationError("magnitude", value, "must be a real number or a numeric numpy array")


@functools.lru_cache(maxsize=256)
def _currency_of_units(units: PlainUnit) -> str | None:
    # The currency's own unit only: a unit built on one with a prefix (ureg's "kiloUSD", which
    # unit() refuses) is not money any rate converts, and its magnitudes are not in the currency.
    text = format_unit(units)
    return text if text in CURRENCIES else None


def currency_of(value: pint.Quantity[float] | PlainUnit) -> str | None:
    """Return the currency code of an amount of money, or None for other units.

    RUR amounts report ``"RUR"`` (not the dimension they share with RUB).

    >>> currency_of(money(3, "RUR")), currency_of(quantity(3, "t"))
    ('RUR', None)
    """
    units = value.units if isinstance(value, pint.Quantity) else value
    return _currency_of_units(units)


def is_currency(value: pint.Quantity[float] | PlainUnit) -> bool:
    """Tell whether ``value`` is an amount of money (or a currency unit)."""
    return currency_of(value) is not None


def check_currency(field: str, code: object) -> str:
    """Return the code of the currency ``code`` names, in capitals, or raise a ValidationError naming ``field``.

    Codes are read without regard to case (``"usd"`` is ``"USD"``), as on
    the command line; every public function that takes a currency code reads
    it here.

    Raises:
        ValidationError: ``code`` is not the text of a currency nkru knows.

    >>> check_currency("to", "RUR"), check_currency("to", "usd")
    ('RUR', 'USD')
    >>> check_currency("to", "dollars")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: to: must be a currency nkru knows (CNY, EUR, GBP, JPY, KPW, KRW, RUB, RUR, SUR, USD) (got 'dollars')
    """
    upper = code.upper() if isinstance(code, str) else None
    if upper not in CURRENCIES:
        raise ValidationError(field, code, f"must be a currency nkru knows ({', '.join(sorted(CURRENCIES))})")
    return upper


def currency_validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: the field holds a currency code of :data:`CURRENCIES` (see :func:`check_currency`).

    Pair it with the converter :func:`currency_code`, so a field given ``"usd"`` holds ``"USD"``.
    """
    if check_currency(attribute.name, value) != value:
        raise ValidationError(attribute.name, value, "must be a currency code in capitals; add converter=currency_code")


def currency_code(value: object) -> object:
    """An attrs converter: a currency code in any case becomes the code in capitals; anything else is left to the validator.

    >>> currency_code("usd"), currency_code("XYZ")
    ('USD', 'XYZ')
    """
    if isinstance(value, str) and value.upper() in CURRENCIES:
        return value.upper()
    return value


@functools.lru_cache(maxsize=1024)
def conversion_factor(src: PlainUnit, dst: PlainUnit) -> ExactFactor:
    """Return the exact factor that converts magnitudes in ``src`` to ``dst`` (see :mod:`nkru._core.factors`).

    :func:`to_unit` applies it to one number; the columnar table and the
    aggregates apply it to many, so all give the same floats. The units
    must be of one kind (checked by :func:`to_unit`, not here).

    >>> conversion_factor(unit("RUR"), unit("RUB")).apply(4.5e9)
    4500000.0
    """
    return ExactFactor.of(float(ureg.Quantity(1.0, src).to(dst).magnitude))


def to_unit(value: pint.Quantity[float], target: str | PlainUnit) -> pint.Quantity[float]:
    """Convert ``value`` to ``target`` with nkru's errors and exact decimal factors.

    Unlike :meth:`pint.Quantity.to`, a power-of-ten factor is applied
    exactly (``4.5e9 RUR`` is exactly ``4.5e6 RUB``, ``1 kg`` exactly
    ``0.001 t``), and a currency mismatch raises :class:`CurrencyMismatchError`.

    Raises:
        CurrencyMismatchError: ``value`` and ``target`` are different currencies
            (other than RUR and RUB).
        UnitMismatchError: ``value`` cannot be expressed in ``target``.
        ValidationError: the magnitude is not finite, has no float (an int
            of 400 digits), or converted is past the largest float.

    >>> to_unit(quantity(34_716, "t"), "kg")
    <Quantity(34716000.0, 'kilogram')>
    >>> to_unit(money(1, "USD"), "EUR")
    Traceback (most recent call last):
    ...
    nkru.errors.CurrencyMismatchError: cannot combine USD with EUR without an exchange rate; convert one of them with nkru.convert_currency(amount, to, on=...)
    """
    dst = unit(target) if isinstance(target, str) else target
    src = value.units
    if src == dst:
        return value
    if src.dimensionality != dst.dimensionality:
        src_code, dst_code = currency_of(src), currency_of(dst)
        if src_code is not None and dst_code is not None:
            raise CurrencyMismatchError(src_code, dst_code)
        raise UnitMismatchError(format_unit(src), format_unit(dst))
    converted = scaled_magnitude(
        value.magnitude, conversion_factor(src, dst).apply, field="value", given=value, target=format_unit(dst)
    )
    return ureg.Quantity(converted, dst)

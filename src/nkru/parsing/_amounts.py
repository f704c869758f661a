"""The grammar of amounts as trade texts write them; see :mod:`nkru.parsing`.

Private: :func:`nkru.parsing.parse_quantity` and
:func:`nkru.parsing.parse_measure` are the public entry points and document
the rules. Values are computed as :class:`decimal.Decimal` (stated digits
times a power of ten) and turned into a float once, so "1.97 billion" is
exactly ``1970000000.0``.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

import attrs

from nkru.errors import ParseError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing._lexer import DASH, ONES, QUOTE, SPACE_CLASS, TENS, Cursor, Kind, Phrases, Token, check_text, tokenize
from nkru.units import CURRENCIES, Unit, make_quantity, unit, ureg

__all__ = ["PLAIN_ROUBLE", "read_by_grammar", "read_measure"]

# Enough digits that a 500-character number times 10**32 is exact before the
# one rounding to float.
_EXACT: Final = decimal.Context(prec=1200, Emax=999_999, Emin=-999_999)

_ROUBLES: Final = ("rouble", "roubles", "ruble", "rubles")
#: What a plain "roubles" reads as before the caller's date says which rouble it was.
PLAIN_ROUBLE: Final = "rouble"


def _table(*groups: tuple[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
    return dict(groups)


def _words(names: str, target: str) -> list[tuple[tuple[str, ...], str]]:
    """Each space-separated name in ``names`` (a phrase joined by '+') maps to ``target``."""
    return [(tuple(name.split("+")), target) for name in names.split()]


_MASS: Final = _table(
    *_words("t ton tons tonne tonnes tone tones", "t"),
    *_words("metric+ton metric+tons metric+tonne metric+tonnes", "t"),
    *_words("short+ton short+tons", "short_ton"),
    *_words("long+ton long+tons", "long_ton"),
    *_words("kg kgs kilogram kilograms kilogramme kilogrammes", "kg"),
)
_OTHER_UNITS: Final = _table(
    *_words("ha hectare hectares", "hectare"),
    *_words("% percent per+cent pct", "percent"),
)
_COUNTS: Final = _table(
    *_words(
        "item items piece pieces unit units truck trucks factory factories plant plants enterprise enterprises"
        " ship ships vessel vessels boat boats vehicle vehicles car cars bus buses tractor tractors wagon wagons"
        " railcar railcars locomotive locomotives container containers",
        "item",
    ),
)
_CURRENCY_WORDS: Final = _table(
    *(((code.lower(),), code) for code in sorted(CURRENCIES)),
    *_words("dollar dollars us+dollar us+dollars u+.+s+.+dollars", "USD"),
    *(((name,), PLAIN_ROUBLE) for name in _ROUBLES),
    *(((adjective, name), "RUB") for name in _ROUBLES for adjective in ("new", "russian")),
    *(((QUOTE, "new", QUOTE, name), "RUB") for name in _ROUBLES),
    *(((adjective, name), "RUR") for name in _ROUBLES for adjective in ("old",)),
    *(((QUOTE, "old", QUOTE, name), "RUR") for name in _ROUBLES),
    *(((adjective, name), "SUR") for name in _ROUBLES for adjective in ("soviet",)),
    *_words("euro euros", "EUR"),
    *_words("yen japanese+yen", "JPY"),
    *_words("yuan renminbi rmb chinese+yuan", "CNY"),
    *_words("won north+korean+won", "KPW"),
    *_words("south+korean+won", "KRW"),
    *_words("sterling pounds+sterling", "GBP"),
)
_SIGNS: Final = {"$": "USD", "€": "EUR", "¥": "JPY", "£": "GBP", "₩": "KPW"}
_CURRENCY_PREFIX: Final = _table(
    *((((sign,), code) for sign, code in _SIGNS.items())),
    *_words("us+$ u+.+s+.+$", "USD"),
    *_words("cn+¥", "CNY"),
    *_words("jp+¥", "JPY"),
    *(((code.lower(),), code) for code in sorted(CURRENCIES)),
    *_words("rmb", "CNY"),
)
_SUFFIXES: Final = Phrases({**_MASS, **_OTHER_UNITS, **_COUNTS, **_CURRENCY_WORDS})
#: What may follow 'per' or '/' in a price.
_PER_UNITS: Final = Phrases({**_MASS, **_OTHER_UNITS, **_COUNTS})
_COUNT_NOUNS: Final = Phrases(_COUNTS)
_PREFIXES: Final = Phrases(_CURRENCY_PREFIX)

_SCALE_WORDS: Final[Mapping[str, int]] = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_SCALE_ABBREVIATIONS: Final[Mapping[str, int]] = {"m": 6, "mn": 6, "mln": 6, "bn": 9, "bln": 9, "b": 9}
_PLURAL_SCALES: Final[Mapping[str, int]] = {
    "tens": 1,
    "hundreds": 2,
    "thousands": 3,
    "millions": 6,
    "billions": 9,
}

_QUALIFIERS: Final[Phrases[Qualifier]] = Phrases(
    {
        **{key: Qualifier.APPROXIMATE for key, _ in _words("about approximately approx approx+. around roughly", "")},
        **{key: Qualifier.APPROXIMATE for key, _ in _words("some circa c+. ca+. ~ ≈ nearly almost close+to", "")},
        **{key: Qualifier.AT_MOST for key, _ in _words("no+more+than not+more+than at+most up+to", "")},
        **{key: Qualifier.AT_MOST for key, _ in _words("a+maximum+of maximum+of ≤ <+= no+greater+than", "")},
        **{key: Qualifier.LESS_THAN for key, _ in _words("less+than fewer+than under below <", "")},
        **{key: Qualifier.AT_LEAST for key, _ in _words("at+least no+less+than not+less+than no+fewer+than", "")},
        **{key: Qualifier.AT_LEAST for key, _ in _words("not+fewer+than a+minimum+of minimum+of ≥ >+=", "")},
        **{key: Qualifier.MORE_THAN for key, _ in _words("more+than over above in+excess+of >", "")},
    }
)
_STATUS: Final[Phrases[ObsStatus]] = Phrases(
    {key: ObsStatus.ESTIMATED for key, _ in _words("estimated+at estimated an+estimated est+. est", "")}
)

#: Words an adjective before a count noun may not be ("93 North Korean factories"
#: allows "North Korean"; "5 tons factories" does not allow "tons").
_RESERVED: Final = (
    frozenset(key[0] for key in (*_SUFFIXES, *_CURRENCY_PREFIX) if len(key) == 1)
    | frozenset((*ONES, *TENS, *_SCALE_WORDS, *_SCALE_ABBREVIATIONS, *_PLURAL_SCALES))
    | frozenset(("of", "and", "or", "to", "until", "till", "through", "per", "a", "an", "between", "from", "several"))
)
_MAX_ADJECTIVES: Final = 4


@attrs.define
class _Figure:
    """One stated figure: number, scale and the units written around it."""

    start: int
    number: Decimal
    exponent: int
    """Power of ten of the last stated digit, before scaling (-1 for 172.3)."""
    scale: int = 0
    scaled: bool = False
    abbreviated: bool = False
    prefix: str | None = None
    suffix: str | None = None
    per: str | None = None

    @property
    def value(self) -> Decimal:
        return _EXACT.multiply(self.number, Decimal(1).scaleb(self.scale, _EXACT))

    @property
    def resolution(self) -> Decimal:
        return Decimal(1).scaleb(self.exponent + self.scale, _EXACT)


#: Significant digits every float keeps: any decimal of at most this many reads back the same.
_FLOAT_DIGITS: Final = 15


def _finite(cursor: _Cursor, value: Decimal, start: int) -> float:
    result = float(value)
    if not math.isfinite(result):
        raise ParseError(cursor.text, "the number is too large", start)
    if len(value.as_tuple().digits) > _FLOAT_DIGITS and Decimal(repr(result)) != value:
        # 9007199254740993 would become ...992: refuse, as JSON input does, rather than change the figure.
        raise ParseError(cursor.text, "the number has more significant digits than a float keeps", start)
    return result


def _resolution(cursor: _Cursor, step: Decimal, start: int) -> float:
    # A last digit at 1e-400 has no float: refuse rather than let Measure reject a resolution of 0.0.
    result = float(step)
    if result == 0.0:
        raise ParseError(cursor.text, "the number has more decimal places than a float resolves", start)
    return result


# -- numbers ---------------------------------------------------------------------------------


def _digits(cursor: _Cursor) -> tuple[Decimal, int] | None:
    """Read digits with thousands separators and a decimal point, by the one rule.

    A comma directly between digits separates thousands and must be followed by
    exactly three digits, with one to three digits (not starting with 0) before
    the first comma. A point directly between digits is the decimal point, and
    there is at most one, after any commas.
    """
    first = cursor.peek()
    if first is None or first.kind is not Kind.DIGITS:
        return None
    cursor.take()
    parts = [first.text]
    while _touching(cursor, ","):
        group = cursor.peek(1)
        if group is None:  # pragma: no cover - _touching checked it
            break
        if len(group.text) != 3:
            raise ParseError(
                cursor.text,
                "a comma between digits separates thousands and needs exactly three digits after it"
                " (decimal commas such as '1,5' are not read; write '1.5')",
                group.start,
            )
        if len(parts) == 1 and (len(first.text) > 3 or first.text.startswith("0")):
            raise cursor.error("a comma separates thousands: it needs 1 to 3 digits before it, not starting with 0")
        cursor.index += 2
        parts.append(group.text)
    integer = "".join(parts)
    fraction = ""
    if _touching(cursor, "."):
        cursor.take()
        fraction = cursor.take().text
        if _touching(cursor, ".") or _touching(cursor, ","):
            raise cursor.error("a number has one decimal point and no comma after it")
    number = Decimal(f"{integer}.{fraction}" if fraction else integer)
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):  # pragma: no cover - digits always make a finite Decimal
        raise cursor.error("not a finite number")
    return number, exponent


def _touching(cursor: _Cursor, symbol: str) -> bool:
    """True if the next tokens are ``symbol`` then digits, all without spaces."""
    tokens, index = cursor.tokens, cursor.index
    if index == 0 or index + 1 >= len(tokens):
        return False
    mark, after = tokens[index], tokens[index + 1]
    return (
        mark.key == symbol
        and after.kind is Kind.DIGITS
        and tokens[index - 1].end == mark.start
        and mark.end == after.start
    )


def _word_group(cursor: _Cursor) -> tuple[int, int] | None:
    """Read a number from 1 to 1999 in words; return it and the place of its last word."""
    token, following = cursor.peek(), cursor.peek(1)
    if token is None or token.key not in ONES or following is None or following.key != "hundred":
        return _word_below_hundred(cursor)
    cursor.index += 2
    value = ONES[token.key] * 100
    mark = cursor.index
    cursor.key("and")
    rest = _word_below_hundred(cursor)
    if rest is None:
        cursor.index = mark
        return value, 2
    return value + rest[0], rest[1]


def _word_below_hundred(cursor: _Cursor) -> tuple[int, int] | None:
    """Read a number below one hundred in words ("seven", "ninety three", "ninety-three")."""
    token = cursor.peek()
    if token is None:
        return None
    if token.key in ONES:
        cursor.take()
        return ONES[token.key], 0
    if token.key not in TENS:
        return None
    cursor.take()
    mark = cursor.index
    hyphen = cursor.peek()
    if hyphen is not None and hyphen.key == DASH and cursor.adjacent():
        cursor.take()
        if not cursor.adjacent():
            cursor.index = mark
            return TENS[token.key], 1
    ones = cursor.peek()
    if ones is not None and ones.key in ONES and 1 <= ONES[ones.key] <= 9:
        cursor.take()
        return TENS[token.key] + ONES[ones.key], 0
    cursor.index = mark
    return TENS[token.key], 1


def _words_number(cursor: _Cursor, start: int) -> _Figure | None:
    """Read a number in words ("ninety three", "two hundred thousand", "a million").

    Its resolution is the place of the last word stated: "two hundred thousand"
    is stated to the hundred thousand, "ninety three" to the unit.
    """
    token, following = cursor.peek(), cursor.peek(1)
    if token is not None and token.key == "a" and following is not None and following.key in _SCALE_WORDS:
        cursor.take()
        figure = _Figure(start, Decimal(1), 0)
        _scale(cursor, figure)
        return figure
    groups: list[tuple[int, int, int]] = []
    mark = cursor.index
    while (group := _word_group(cursor)) is not None:
        scale_token = cursor.peek()
        scale = 0
        if scale_token is not None and scale_token.key in _SCALE_WORDS and scale_token.key != "hundred":
            scale = _SCALE_WORDS[scale_token.key]
            if groups and scale >= groups[-1][2]:
                raise cursor.error("scale words in a number must get smaller ('one million two hundred thousand')")
            cursor.take()
        groups.append((group[0], group[1], scale))
        if scale == 0:
            break
        mark = cursor.index
        cursor.key("and")
    else:
        cursor.index = mark
    if not groups:
        return None
    last_scale = groups[-1][2]
    number = sum(value * 10 ** (scale - last_scale) for value, _, scale in groups)
    return _Figure(start, Decimal(number), groups[-1][1], scale=last_scale, scaled=last_scale > 0)


def _number(cursor: _Cursor) -> _Figure | None:
    start = cursor.position
    read = _digits(cursor)
    if read is None:
        return _words_number(cursor, start)
    figure = _Figure(start, *read)
    _scale(cursor, figure)
    return figure


def _scale(cursor: _Cursor, figure: _Figure) -> None:
    """Read scale words ("million", "hundred thousand") or one abbreviation ("m", "bn")."""
    token = cursor.peek()
    if token is not None and token.key in _SCALE_ABBREVIATIONS:
        cursor.take()
        figure.scale, figure.scaled, figure.abbreviated = _SCALE_ABBREVIATIONS[token.key], True, True
        return
    previous = -1
    while (token := cursor.peek()) is not None and token.key in _SCALE_WORDS:
        power = _SCALE_WORDS[token.key]
        if power <= previous:
            raise cursor.error("scale words after a number must get larger ('hundred thousand')")
        cursor.take()
        figure.scale += power
        figure.scaled = True
        previous = power


# -- units -----------------------------------------------------------------------------------


def _prefix(cursor: _Cursor) -> str | None:
    return cursor.phrase(_PREFIXES)


def _suffix(cursor: _Cursor) -> str | None:
    """Read the unit or currency after a number, allowing adjectives before a count noun."""
    token = cursor.peek()
    if token is None:
        return None
    _reject_misplaced(cursor, token)
    found = cursor.phrase(_SUFFIXES)
    if found is not None:
        return cursor.rouble if found == PLAIN_ROUBLE else found
    if token.kind is not Kind.WORD or token.key in _RESERVED:
        return None
    mark = cursor.index
    for _ in range(_MAX_ADJECTIVES):
        word = cursor.peek()
        if word is None or word.kind is not Kind.WORD or word.key in _RESERVED:
            break
        cursor.take()
        if (hyphen := cursor.peek()) is not None and hyphen.key == DASH and cursor.adjacent():
            cursor.take()
        count = cursor.phrase(_COUNT_NOUNS)
        if count is not None:
            return count
    cursor.index = mark
    raise cursor.error(f"unknown unit {token.text!r}")


def _reject_misplaced(cursor: _Cursor, token: Token) -> None:
    """Name the mistake in a few look-alike suffixes instead of calling them unknown."""
    if token.text == "T":
        raise cursor.error("'T' is the tesla; write 't' or 'tons' for metric tonnes")
    power = cursor.peek(1)
    if token.key == "e" and cursor.adjacent() and power is not None and power.kind is Kind.DIGITS:
        raise cursor.error("exponents ('1e6') are not read; write '1 million'")
    if token.key in _SIGNS:
        raise cursor.error(f"a currency sign goes before the number ('{token.text}1.97 billion')")


def _per(cursor: _Cursor) -> str | None:
    """Read '/ t' or 'per ton' after a unit: the denominator of a price."""
    mark = cursor.index
    if cursor.key("per", "/") is None:
        return None
    found = cursor.phrase(_PER_UNITS)
    if found is None or found == "percent":
        cursor.index = mark
        raise cursor.error("expected a unit of mass, area or count after 'per'")
    return found


def _figure(cursor: _Cursor) -> _Figure:
    start = cursor.position
    prefix = _prefix(cursor)
    figure = _number(cursor)
    if figure is None:
        token = cursor.peek()
        if token is not None and token.key in _SCALE_WORDS:
            raise cursor.error("a scale word goes after the number ('$1.97 billion')")
        raise cursor.error("expected a number")
    figure.start = start
    figure.prefix = prefix
    figure.suffix = _suffix(cursor)
    if figure.suffix is not None or figure.prefix is not None:
        figure.per = _per(cursor)
    return figure


def _unit_of(cursor: _Cursor, figure: _Figure) -> Unit:
    """Resolve the unit of a figure from its prefix, suffix and 'per' part."""
    return _unit_named(
        cursor.text, figure.start, figure.prefix, figure.suffix, per=figure.per, abbreviated=figure.abbreviated
    )


def _unit_named(
    text: str, start: int, prefix: str | None, suffix: str | None, *, per: str | None, abbreviated: bool
) -> Unit:
    """The unit of a figure with this currency prefix, unit suffix and 'per' part; errors point at ``start``."""
    if prefix is not None and suffix is not None and suffix != prefix:
        if suffix in CURRENCIES:
            raise ParseError(text, f"two currencies: {prefix} before the number, {suffix} after", start)
        raise ParseError(text, f"a currency ({prefix}) and a unit ({suffix}) for one number", start)
    name = prefix or suffix
    if abbreviated and name not in CURRENCIES:
        raise ParseError(
            text,
            "'m', 'mn', 'bn' and 'b' are read as million or billion only for money; write 'million' or 'billion'",
            start,
        )
    result = ureg.dimensionless if name is None else unit(name)
    if per is not None:
        result = result / unit(per)
    return result


# -- measures --------------------------------------------------------------------------------


def _vague(cursor: _Cursor, status: ObsStatus) -> Measure | None:
    """Read "several hundred thousand", "tens of thousands of", "hundreds of" and the unit."""
    start = cursor.position
    token = cursor.peek()
    if token is None:
        return None
    if token.key == "several":
        power, name = _several(cursor)
    elif token.key in _PLURAL_SCALES:
        power, name = _plural_scales(cursor)
    else:
        return None
    units = ureg.dimensionless if name is None else unit(name)
    step = Decimal(1).scaleb(power, _EXACT)
    lower, upper = (_finite(cursor, step * count, start) for count in (2, 9))
    return Measure(
        None,
        Qualifier.RANGE,
        lower=make_quantity(lower, units),
        upper=make_quantity(upper, units),
        status=status,
        resolution=float(step),
    )


def _several(cursor: _Cursor) -> tuple[int, str | None]:
    """Read "several hundred thousand [unit]"; return the power of ten of the step and the unit."""
    cursor.take()
    figure = _Figure(cursor.position, Decimal(1), 0)
    _scale(cursor, figure)
    if not figure.scaled or figure.abbreviated:
        raise cursor.error("'several' needs a scale word after it ('several thousand')")
    return figure.scale, _suffix(cursor)


def _plural_scales(cursor: _Cursor) -> tuple[int, str | None]:
    """Read "tens of thousands of [unit]"; return the power of ten of the step and the unit."""
    power = 0
    while True:
        power += _PLURAL_SCALES[cursor.take().key]
        if cursor.key("of") is None:
            return power, None
        after = cursor.peek()
        if after is None or after.key not in _PLURAL_SCALES:
            name = _suffix(cursor)
            if name is None:
                raise cursor.error("expected a unit after 'of'")
            return power, name


def _range(cursor: _Cursor, lower: _Figure, upper: _Figure, status: ObsStatus) -> Measure:
    if not lower.scaled and upper.scaled and not upper.abbreviated:
        lower.scale = upper.scale
    elif not lower.scaled and upper.abbreviated:
        lower.scale, lower.abbreviated = upper.scale, True
    elif lower.scaled and not upper.scaled:
        raise ParseError(cursor.text, "the upper figure of a range needs its own scale word", upper.start)
    if upper.prefix is not None and lower.prefix != upper.prefix:
        raise ParseError(cursor.text, "a currency before the upper figure of a range must match the lower", upper.start)
    if lower.suffix is not None and (lower.suffix, lower.per) != (upper.suffix, upper.per):
        raise ParseError(cursor.text, "the two figures of a range have different units", upper.start)
    upper.prefix = lower.prefix
    lower.suffix, lower.per = upper.suffix, upper.per
    units = _unit_of(cursor, upper)
    _unit_of(cursor, lower)
    low, high = lower.value, upper.value
    if low > high:
        raise ParseError(cursor.text, "the lower figure of a range is above the upper one", lower.start)
    resolution = min(lower.resolution, upper.resolution)
    return Measure(
        None,
        Qualifier.RANGE,
        lower=make_quantity(_finite(cursor, low, lower.start), units),
        upper=make_quantity(_finite(cursor, high, upper.start), units),
        status=status,
        resolution=_resolution(cursor, resolution, lower.start),
    )


def _single(cursor: _Cursor, figure: _Figure, qualifier: Qualifier, status: ObsStatus) -> Measure:
    """The measure of one figure (not a range)."""
    units = _unit_of(cursor, figure)
    value = make_quantity(_finite(cursor, figure.value, figure.start), units)
    resolution = _resolution(cursor, figure.resolution, figure.start)
    return Measure(value, qualifier, status=status, resolution=resolution)


# -- the plain amount: a shortcut for the commonest shape ------------------------------------

_S = SPACE_CLASS
#: "US$1.97 billion", "830,000 tons", "no more than 890 tons", "60%": up to four words
#: before the figure (a status and a qualifier), an optional currency sign (with an optional
#: word before it), digits, then at most two words or a percent sign. Each word is a whole
#: run of letters, as the tokenizer reads it.
_PLAIN: Final = re.compile(
    rf"{_S}*(?P<lead>(?:[A-Za-z]+{_S}+){{1,4}})?(?:(?:(?P<word>[A-Za-z]+){_S}*)?(?P<sign>[$€¥£₩]){_S}*)?"
    r"(?P<integer>[0-9]+)(?P<groups>(?:,[0-9]+)*)(?:\.(?P<fraction>[0-9]+))?"
    rf"(?:{_S}*(?P<first>[A-Za-z]+(?![A-Za-z])|%))?(?:{_S}*(?P<second>[A-Za-z]+(?![A-Za-z])|%))?{_S}*"
)


def _plain(text: str, rouble: str = "RUB") -> Measure | None:
    """Read the commonest shape of amount without tokens, or return None to leave it to the grammar.

    Parsing a column of scraped figures is mostly this shape, and the token-by-token
    grammar spends most of its time on bookkeeping it does not need here. This reads
    the same tables with the same rules, and returns None (so the grammar decides,
    and words any error) for everything else: words before the figure that are not a
    status and a qualifier, a range, a comma group that is not three digits, "T", a
    scale abbreviation on a non-currency.
    ``tests/test_parsing.py`` checks that wherever this returns a measure, the
    grammar returns an equal one.
    """
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    lead_words, word, sign, integer, groups, fraction, first, second = match.groups()
    lead = _plain_lead(lead_words)
    if lead is None:
        return None
    if groups and (len(integer) > 3 or integer.startswith("0") or any(len(g) != 3 for g in groups[1:].split(","))):
        return None
    prefix = None
    if sign is not None:
        prefix = _PREFIXES.get((sign,) if word is None else (word.lower(), sign))
        if prefix is None:
            return None
    words = _plain_words([after for after in (first, second) if after is not None], rouble)
    if words is None:
        return None
    scale, abbreviated, suffix = words
    fraction = fraction or ""
    digits = integer + groups.replace(",", "") + fraction
    if len(digits.lstrip("0")) > _FLOAT_DIGITS:
        return None  # perhaps more digits than a float keeps: the grammar checks, and words the error
    exponent = scale - len(fraction)
    # The grammar computes the exact Decimal and converts it with float(), which reads its
    # decimal string; float() of this decimal string is the same correctly rounded number.
    value = float(f"{digits}e{exponent}")
    resolution = float(f"1e{exponent}")
    if not math.isfinite(value) or resolution == 0.0:
        return None  # the grammar words these errors
    try:
        units = _unit_named(text, 0, prefix, suffix, per=None, abbreviated=abbreviated)
    except ParseError:
        return None
    return Measure(make_quantity(value, units), lead[1], status=lead[0], resolution=resolution)


_LETTERS: Final = re.compile("[A-Za-z]+")


def _plain_lead(lead: str | None) -> tuple[ObsStatus, Qualifier] | None:
    """Read the words before a plain figure as a status then a qualifier, as the grammar does."""
    if lead is None:
        return ObsStatus.REPORTED, Qualifier.EXACT
    words = tuple(word.lower() for word in _LETTERS.findall(lead))
    status, after_status = _STATUS.starting(words)
    qualifier, after_qualifier = _QUALIFIERS.starting(after_status)
    if after_qualifier:
        return None
    return status or ObsStatus.REPORTED, qualifier or Qualifier.EXACT


def _plain_words(words: list[str], rouble: str) -> tuple[int, bool, str | None] | None:
    """Read the scale (its power of ten, and whether abbreviated) and the unit after a plain figure.

    None if the grammar must read the words.
    """
    scale, abbreviated = 0, False
    key = words[0].lower() if words else ""
    if key in _SCALE_ABBREVIATIONS:
        scale, abbreviated, words = _SCALE_ABBREVIATIONS[key], True, words[1:]
    elif key in _SCALE_WORDS:
        scale, words = _SCALE_WORDS[key], words[1:]
    if not words:
        return scale, abbreviated, None
    if len(words) > 1 or words[0] == "T":
        return None
    suffix = _SUFFIXES.get((words[0].lower(),))
    return None if suffix is None else (scale, abbreviated, rouble if suffix == PLAIN_ROUBLE else suffix)


def read_measure(text: object, rouble: str = "RUB") -> Measure:
    """Read a measure; see :func:`nkru.parsing.parse_measure` for the grammar; plain "roubles" are ``rouble``."""
    checked = check_text(text, "an amount")
    plain = _plain(checked, rouble)
    if plain is not None:
        return plain
    return read_by_grammar(checked, rouble)


class _Cursor(Cursor):
    """The lexer's cursor, knowing which rouble a plain "roubles" means in this text."""

    __slots__ = ("rouble",)

    def __init__(self, text: str, tokens: list[Token], rouble: str) -> None:
        super().__init__(text, tokens)
        self.rouble = rouble


def read_by_grammar(checked: str, rouble: str = "RUB") -> Measure:
    """Read a measure token by token (the whole grammar, without the shortcut)."""
    cursor = _Cursor(checked, tokenize(checked), rouble)
    if cursor.at_end:
        raise cursor.error("expected an amount, got no text")
    status = cursor.phrase(_STATUS) or ObsStatus.REPORTED
    qualifier_start = cursor.position
    qualifier = cursor.phrase(_QUALIFIERS) or Qualifier.EXACT
    measure = _vague(cursor, status)
    if measure is None:
        if cursor.key("between") is not None:
            lower = _figure(cursor)
            if cursor.key("and") is None:
                raise cursor.error("expected 'and' after 'between' and a figure")
            measure = _range(cursor, lower, _figure(cursor), status)
        elif cursor.key("from") is not None:
            lower = _figure(cursor)
            if cursor.key("to", DASH) is None:
                raise cursor.error("expected 'to' after 'from' and a figure")
            measure = _range(cursor, lower, _figure(cursor), status)
        else:
            first = _figure(cursor)
            if cursor.key("to", DASH) is not None:
                measure = _range(cursor, first, _figure(cursor), status)
            else:
                measure = _single(cursor, first, qualifier, status)
    if not cursor.at_end:
        raise cursor.error(f"unexpected {cursor.peek().text!r} after the amount")  # type: ignore[union-attr]
    if measure.qualifier is Qualifier.RANGE and qualifier is not Qualifier.EXACT:
        raise ParseError(checked, "a qualifier before a range or a vague amount is not read", qualifier_start)
    return measure

"""Tokens for nkru's text grammars (amounts in :mod:`nkru.parsing`, period phrases).

Private. The tokenizer is a single left-to-right pass of one regex: spaces,
then one of disjoint character classes (``[0-9]+``, ``[A-Za-z]+``, one symbol
from a fixed set, any other character) or the end of the text, so no
character can be matched two ways and no match backtracks. Any other
character is an error that names its position. The grammars then walk the token list with a :class:`Cursor`
that only moves forward or back to a saved mark, trying a fixed number of
alternatives at each place; with no recursion on the input's structure, work
is linear in the length of the text, which :func:`tokenize` bounds.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from typing import Final, NamedTuple, TypeVar

from nkru.errors import ParseError

__all__ = [
    "DASH",
    "MAX_TEXT",
    "ONES",
    "QUOTE",
    "SPACE_CLASS",
    "TENS",
    "Cursor",
    "Kind",
    "Phrases",
    "Token",
    "check_text",
    "tokenize",
]

MAX_TEXT: Final = 500
"""Longest text the grammars read; longer text is rejected before any work."""

DASH: Final = "-"
"""Key of every dash and hyphen ("-", en dash, em dash, minus sign, non-breaking hyphen)."""

QUOTE: Final = '"'
"""Key of every quotation mark and apostrophe, straight or curly."""

# No-break, thin and figure spaces come with text copied from web pages.
_SPACES: Final = frozenset(" \t\r\n\u00a0\u2007\u2009\u202f")
SPACE_CLASS: Final = "[" + re.escape("".join(sorted(_SPACES))) + "]"
"""A regular-expression class matching one of the characters that separate tokens."""
_DASHES: Final = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
_QUOTES: Final = frozenset("\"'\u2018\u2019\u201c\u201d")
_SYMBOLS: Final = frozenset("$€¥£₩%~≈<>≤≥=.,/") | _DASHES | _QUOTES
#: Spaces, then one token: a run of digits (group 1), a run of letters (2), a symbol (3),
#: any other character but a space (4, an error), or the end of the text (no group). The
#: classes are disjoint and none of the tokens starts with a space, so each match takes
#: the spaces and one token without backtracking; the end is matched after the last
#: spaces, so trailing spaces cost one pass, not one failed match per space.
_TOKEN: Final = re.compile(
    f"{SPACE_CLASS}*(?:([0-9]+)|([A-Za-z]+)|(["
    + re.escape("".join(sorted(_SYMBOLS)))
    + f"])|((?!{SPACE_CLASS}).)|\\Z)",
    re.DOTALL,
)

ONES: Final[Mapping[str, int]] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
"""Number words below twenty."""

TENS: Final[Mapping[str, int]] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
"""Number words for the tens from twenty."""


class Kind(enum.Enum):
    """What a token is."""

    DIGITS = "digits"
    WORD = "word"
    SYMBOL = "symbol"


class Token(NamedTuple):
    """One token: a run of ASCII digits, a run of ASCII letters, or one symbol.

    A named tuple rather than an attrs class: the grammars make a handful per
    call and construction cost is most of tokenizing.

    Attributes:
        kind: Digits, word or symbol.
        text: The characters as written.
        key: What grammars compare: a word in lower case, every dash as
            :data:`DASH`, every quotation mark as :data:`QUOTE`.
        start: Offset of the first character in the text.
        end: Offset just past the last character.
    """

    kind: Kind
    text: str
    key: str
    start: int
    end: int


def check_text(text: object, what: str, limit: int = MAX_TEXT) -> str:
    """Return ``text`` if it is a string of at most ``limit`` characters.

    Raises:
        ParseError: ``text`` is not a ``str`` or is too long. The type is
            named rather than ``repr``-ed, so a huge object costs nothing.
    """
    if not isinstance(text, str):
        raise ParseError(f"<{type(text).__name__} object>", f"{what} must be given as text (str)")
    if len(text) > limit:
        raise ParseError(text, f"{what} is at most {limit} characters; got {len(text)}")
    return text


def _bad_character(text: str, position: int) -> ParseError:
    char = text[position]
    if char.isdecimal():
        reason = f"only the ASCII digits 0-9 are read as numbers, not {char!r}"
    else:
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        reason = f"unexpected character {char!r} ({name})"
    return ParseError(text, reason, position)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; spaces separate tokens and are dropped.

    Raises:
        ParseError: A character is neither a space, an ASCII digit or letter,
            nor one of the symbols the grammars use (currency signs, ``%``,
            ``~``, comparison signs, ``.,/``, dashes, quotation marks).

    >>> [t.key for t in tokenize("US$1.97 billion")]
    ['us', '$', '1', '.', '97', 'billion']
    """
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        group = match.lastindex
        if group is None:  # the end of the text
            break
        run = match.group(group)
        start, end = match.span(group)
        # tuple.__new__ skips the named tuple's Python-level __new__: tokenizing is mostly this.
        if group == 1:
            append(_new_token(Token, (Kind.DIGITS, run, run, start, end)))
        elif group == 2:
            append(_new_token(Token, (Kind.WORD, run, run.lower(), start, end)))
        elif group == 3:
            key = DASH if run in _DASHES else QUOTE if run in _QUOTES else run
            append(_new_token(Token, (Kind.SYMBOL, run, key, start, end)))
        else:
            raise _bad_character(text, start)
    return tokens


_new_token: Final = tuple.__new__


T = TypeVar("T")


class Phrases(dict[tuple[str, ...], T]):
    """Phrases (runs of token keys) and what each means, indexed for :meth:`Cursor.phrase`."""

    __slots__ = ("firsts", "longest")

    def __init__(self, items: Mapping[tuple[str, ...], T]) -> None:
        super().__init__(items)
        self.longest = max(map(len, self), default=0)
        """Tokens in the longest phrase."""
        self.firsts = frozenset(key[0] for key in self if key)
        """Keys a phrase can start with."""

    def starting(self, words: tuple[str, ...]) -> tuple[T | None, tuple[str, ...]]:
        """The meaning of the longest phrase ``words`` start with (or None), and the words after it."""
        for size in range(min(len(words), self.longest), 0, -1):
            found = self.get(words[:size])
            if found is not None:
                return found, words[size:]
        return None, words


class Cursor:
    """A position in a token list, for recursive-descent grammars.

    The grammars peek and take tokens; an alternative that does not fit
    restores a mark saved with :attr:`index`.
    """

    __slots__ = ("index", "text", "tokens")

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0

    @property
    def at_end(self) -> bool:
        """True when every token has been taken."""
        return self.index >= len(self.tokens)

    @property
    def position(self) -> int:
        """Character offset of the next token (the text's length at the end)."""
        return self.tokens[self.index].start if self.index < len(self.tokens) else len(self.text)

    def peek(self, ahead: int = 0) -> Token | None:
        """The token ``ahead`` places after the next one, without taking it."""
        index = self.index + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> Token:
        """Take the next token (the caller has checked there is one)."""
        token = self.tokens[self.index]
        self.index += 1
        return token

    def key(self, *keys: str) -> Token | None:
        """Take the next token if its key is one of ``keys``."""
        token = self.peek()
        if token is not None and token.key in keys:
            self.index += 1
            return token
        return None

    def adjacent(self) -> bool:
        """True if the next token touches the one before it (no space between)."""
        if self.index == 0 or self.index >= len(self.tokens):
            return False
        return self.tokens[self.index - 1].end == self.tokens[self.index].start

    def phrase(self, table: Phrases[T]) -> T | None:
        """Take the longest run of tokens whose keys are a phrase of ``table``."""
        tokens, index = self.tokens, self.index
        if index >= len(tokens) or tokens[index].key not in table.firsts:
            return None  # the common miss, decided by one set look-up
        keys = tuple(token.key for token in tokens[index : index + table.longest])
        found, after = table.starting(keys)
        if found is not None:
            self.index += len(keys) - len(after)
        return found

    def error(self, reason: str) -> ParseError:
        """A :class:`ParseError` at the next token."""
        return ParseError(self.text, reason, self.position)

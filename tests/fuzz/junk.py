"""Hostile input for nkru's entry points: junk text, junk JSON, and mutations of valid documents.

Shared by the fuzz tests in this folder and by ``tests/test_hostile.py``.
Every strategy keeps its examples cheap (the ``ci`` profile runs 1,000 of
them per entry point); the expensive values (100 kB strings, ``10**400``) are
fixed constants that hypothesis picks, not builds.
"""

from __future__ import annotations

import collections
import copy
import functools
import math
import os
import re
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nkru import strategies as nst
from nkru.commodities import Commodity
from nkru.dataset import Claim, Dataset
from nkru.errors import StructureError
from nkru.measures import Measure
from nkru.parties import Country, Organization, Person, Place, Region
from nkru.periods import Period
from nkru.records import Event, Shipment, Source, TradeFlow

T = TypeVar("T")

#: Examples run per test, counted by :func:`count`; ``tests/fuzz/conftest.py`` prints them.
EXAMPLES: collections.Counter[str] = collections.Counter()


def count() -> None:
    """Count one example (or one mutation) of the test pytest is running."""
    EXAMPLES[os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]] += 1


def pick(values: Sequence[T]) -> st.SearchStrategy[T]:
    """Like ``st.sampled_from``, without hypothesis keeping the ``repr`` of each pick.

    Hypothesis records the repr of values drawn by ``sampled_from`` (inside
    ``recursive`` and composite strategies) for every example it runs: with
    100 kB strings and whole documents among the values, a 100,000-example
    run grew to 20 GB and was killed. Drawing an index and mapping it keeps
    only the index.
    """
    items = tuple(values)
    return st.integers(min_value=0, max_value=len(items) - 1).map(items.__getitem__)


#: Characters that have broken parsers elsewhere: NUL and controls, bidi marks, BOM, full-width
#: and Arabic-Indic digits, combining marks, a lone surrogate, line and paragraph separators,
#: no-break and thin spaces, an astral-plane character, the fraction slash and the minus sign.
ODD_CHARACTERS: Final = (
    "\x00\x01\x07\x1b\x7f\x85\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff"
    "\uff10\uff11\uff19\u0660\u0669\u06f1\u0966\u0301\u0308\u20dd\ud800\udfff\u2028\u2029"
    "\u00a0\u2009\u202f\u3000\U0001f4a9\U000e0001\u2044\u2212\u2013\u2014\ufe63\uff04\u20ac\u00a3"
)

BIG_TEXT: Final = "x" * 100_000

#: Junk documents use nkru's field names as keys, and the old names of 0.1 among them ("value" in a
#: TradeFlow, "organisation" as a tag) are still read, with a DeprecationWarning (tests/test_serialization.py
#: asserts it). For a fuzz test that warning is a correct outcome, not an escaped error.
OLD_NAMES_ARE_READ: Final = pytest.mark.filterwarnings(
    r'ignore:(the field name "value" in a \w+ document|the type tag "organisation"|Claim\(field="value"\))'
    r" is deprecated:DeprecationWarning"
)
"""A 100 kB string: longer than any field, cell or phrase nkru accepts."""

#: Fixed hostile strings: each once broke or slowed some parser (pint's among them).
HOSTILE_TEXTS: Final = (
    "",
    " ",
    "\x00",
    "9**9**9**9",
    "2**2**2**2**2**2**2**2",
    "(" * 5_000 + "1" + ")" * 5_000,
    "1" * 5_000,
    "1e999",
    "-1e999",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1_000",
    "0x1F",
    "1,5",
    "tons",
    "ton",
    "mt",
    "MT",
    "kt",
    "parsecs",
    "kg * m / s ** 2",
    "USD/0",
    "1997-02-30",
    "2005-13-01",
    "0000-01-01",
    "9999-12-31",
    "2005-01-01/P99999999Y",
    "2005-Q5",
    "1997-S3",
    "{}",
    "[]",
    "null",
    "\ud800",
    "\ufeff830,000 tons",
    "\uff18\uff13\uff10 t",
    "5\u200f t",
    "US$1.97\u00a0billion",
    BIG_TEXT,
    "a" * 100_000,
    "1" * 100_000,
    "ninety " * 10_000,
    "5" + " " * 499,  # trailing spaces once made each tokenizer match retry per space
    " " * 500,
    "5 to 6 t" + " " * 492,
    "2023" + "\u00a0" * 196,
)


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Any text: every code point (surrogates included), odd characters, and the fixed hostile strings."""
    anything = st.characters(blacklist_categories=())
    odd = st.sampled_from(ODD_CHARACTERS)
    return st.one_of(
        st.text(st.one_of(anything, odd), max_size=max_size),
        pick(HOSTILE_TEXTS),
    )


#: Numbers that are absurd for any field: too large for a float, negative, not numbers.
ABSURD_NUMBERS: Final = (10**400, -(10**400), 1e308, -1e308, -1, 0, 2**63, 2**64 + 1, float("nan"), float("inf"), -0.0)


def scalars(max_text: int = 40) -> st.SearchStrategy[Any]:
    """JSON-like leaves, absurd ones included: None, bools, ints of any size, floats with nan and inf, text."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        pick(ABSURD_NUMBERS),
        st.floats(),
        hostile_text(max_text),
    )


def json_like(keys: st.SearchStrategy[str] | None = None, *, max_leaves: int = 25) -> st.SearchStrategy[Any]:
    """Nested lists and dicts of :func:`scalars`; ``keys`` (field names, say) lead deeper into a type."""
    key_strategy = st.text(max_size=8) if keys is None else st.one_of(keys, st.text(max_size=8))
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(key_strategy, children, max_size=6),
        ),
        max_leaves=max_leaves,
    )


@functools.cache
def field_names() -> st.SearchStrategy[str]:
    """Every key nkru's plain forms use, so junk documents reach past the first check."""
    names = {"magnitude", "unit", "type"}
    for _, cls in STRUCTURED.values():
        names |= {field.name for field in attrs.fields(cls) if field.init}
    return st.sampled_from(sorted(names))


#: Every public type nkru structures, with the strategy that makes valid values of it.
STRUCTURED: Final[dict[str, tuple[st.SearchStrategy[Any], type]]] = {
    "country": (nst.countries(), Country),
    "region": (nst.regions(), Region),
    "place": (nst.places(), Place),
    "organization": (nst.organizations(), Organization),
    "person": (nst.persons(), Person),
    "commodity": (nst.commodities(), Commodity),
    "measure": (nst.measures(), Measure),
    "period": (nst.periods(), Period),
    "source": (nst.sources(), Source),
    "trade_flow": (nst.trade_flows(), TradeFlow),
    "shipment": (nst.shipments(), Shipment),
    "event": (nst.events(), Event),
    "claim": (nst.claims(), Claim),
    "dataset": (nst.datasets(max_records=2), Dataset),
}


@functools.cache
def pool(name: str) -> tuple[Any, ...]:
    """Valid values of ``STRUCTURED[name]``, drawn once per session by nkru's strategies.

    Generating a dataset costs hypothesis about 90 ms, more than a hundred
    times what structuring it costs, so the mutation tests draw their
    documents from this fixed pool (one value per 40 examples of the active
    profile, at least 25) and spend their examples on the mutations.
    The pool is derandomized, so a failure reproduces.
    """
    strategy, _ = STRUCTURED[name]
    size = max(25, settings.default.max_examples // 40)
    found: list[Any] = []

    @settings(
        max_examples=size,
        derandomize=True,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return tuple(found)


@functools.cache
def documents(name: str) -> st.SearchStrategy[Any]:
    """Plain forms (``to_dict``) of the values in :func:`pool`.

    Built once per name: ``test_from_json_of_mutated_documents`` asks for it on
    every example (through ``flatmap``), and re-serializing the long profile's
    pool of 2,500 datasets took 0.19 s each time, most of that test's run.
    :func:`replaced` deep-copies before it changes anything, so sharing the
    documents is safe.
    """
    from nkru.serialization import to_dict  # noqa: PLC0415 - the module under test, imported where used

    return pick([to_dict(value) for value in pool(name)])


# -- paths in plain documents ------------------------------------------------------------------

Token = str | int
_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def path_text(tokens: tuple[Token, ...]) -> str:
    """``("shipments", 3, "mass")`` as nkru's errors write it: ``$.shipments[3].mass``."""
    return "$" + "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in tokens)


def walk(doc: Any, tokens: tuple[Token, ...] = ()) -> Iterator[tuple[tuple[Token, ...], Any]]:
    """Yield ``(path tokens, value)`` for the document and everything inside it, parents first."""
    yield tokens, doc
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from walk(value, (*tokens, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from walk(value, (*tokens, index))


def leaf_paths(doc: Any) -> list[tuple[Token, ...]]:
    """Paths of every scalar in ``doc`` (the fields a user could get wrong)."""
    return [tokens for tokens, value in walk(doc) if not isinstance(value, (dict, list))]


MISSING: Final = object()


def lookup(doc: Any, tokens: tuple[Token, ...]) -> Any:
    """The value at ``tokens`` in ``doc``, or :data:`MISSING`."""
    for token in tokens:
        try:
            doc = doc[token]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return doc


def replaced(doc: Any, tokens: tuple[Token, ...], value: Any) -> Any:
    """A deep copy of ``doc`` with the value at ``tokens`` set to ``value`` (or deleted, for :data:`MISSING`)."""
    if not tokens:
        return value
    result = copy.deepcopy(doc)
    parent = result
    for token in tokens[:-1]:
        parent = parent[token]
    if value is MISSING:
        del parent[tokens[-1]]
    else:
        parent[tokens[-1]] = value
    return result


def related(error_path: str, mutated: str) -> bool:
    """Whether an error's path points at the mutated place.

    The error may name the place itself, something inside it (a key missing
    from a dict put there), the object that holds it (a tagged union, or a
    record-level check such as "a range needs both bounds"), or a sibling in
    that object (the check that compares two fields). A quantity's magnitude
    or unit is checked by the measure that holds the quantity, so there the
    holder is one level further up.
    """
    if error_path == mutated or error_path == "$":
        return True
    if error_path.startswith((mutated + ".", mutated + "[")):
        return True
    if mutated.startswith((error_path + ".", error_path + "[")):
        return True
    holder = _parent(mutated)
    if mutated.endswith((".magnitude", ".unit")):
        holder = _parent(holder)
    return error_path.startswith((holder + ".", holder + "["))


def _parent(path: str) -> str:
    match = re.search(r"(\.[^.\[]+|\[\d+\])\Z", path)
    return path[: match.start()] if match else path


#: Reasons for problems that the Dataset reports where the *link* is, not where the id changed.
LINK_REASONS: Final = ("names no record in the dataset", "is used by two records")


def points_at(error: StructureError, mutated: str) -> bool:
    """Whether some problem of ``error`` names the mutated place (or a dataset link it broke)."""
    return any(related(p.path, mutated) or any(r in p.reason for r in LINK_REASONS) for p in error.problems)


@attrs.frozen
class Declared:
    """What the model declares for one place of a plain document."""

    field: attrs.Attribute[Any] | None
    """The attrs field the place belongs to; None for a quantity's magnitude or unit and a union's tag."""
    kind: Any
    """The field's type (the item type for an item of a tuple)."""
    item: bool
    """True for an item of a tuple field (``notes[2]``)."""

    @property
    def optional(self) -> bool:
        """Whether None is a value of the place's type."""
        return self.field is not None and not self.item and type(None) in typing.get_args(self.kind)

    def accepts(self, junk: Any) -> bool:
        """Whether ``junk`` is a value the model allows here: None where optional, '' where text may be empty."""
        if junk is None:
            return self.optional
        return isinstance(junk, str) and junk == "" and self.field is not None and self.field.default == ""


def declared(root: type, doc: Any, tokens: tuple[Token, ...]) -> Declared:
    """Follow ``tokens`` through ``root``'s fields (and the tags of unions) to the field that declares the place."""
    from nkru.serialization import _TAGGED  # noqa: PLC0415 - the tags are the converter's; used only here

    kind: Any = root
    value = doc
    field: attrs.Attribute[Any] | None = None
    item = False
    for token in tokens:
        members = [m for m in typing.get_args(kind) if m is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType):
            tag = value.get("type") if isinstance(value, dict) else None
            kind = _TAGGED.get(tag, None) if len(members) > 1 else members[0]
        if isinstance(token, int):
            kind, item = typing.get_args(kind)[0], True
        elif isinstance(kind, type) and attrs.has(kind) and token in attrs.fields_dict(kind):
            field, item = attrs.fields_dict(kind)[token], False
            kind = typing.get_type_hints((field.inherited and _owner(kind, token)) or kind)[token]
        else:
            return Declared(None, None, item=False)
        value = value[token]
    return Declared(field, kind, item=item)


def _owner(cls: type, name: str) -> type:
    """The class in ``cls``'s MRO that declares field ``name`` (its annotations resolve there)."""
    for base in cls.__mro__:
        if name in getattr(base, "__annotations__", {}):
            return base
    return cls  # pragma: no cover - attrs fields are always annotated somewhere


# -- mutations ---------------------------------------------------------------------------------


def retyped(value: Any) -> list[Any]:
    """Values of other JSON types than ``value``'s: str↔int↔list↔dict↔None, bools and floats too."""
    shown = value if isinstance(value, str) else repr(value)
    options: list[Any] = [None, True, 7, 7.5, shown, [value], {"value": value}]
    if isinstance(value, bool):
        options += [int(value), str(value).lower()]
    elif isinstance(value, (int, float)):
        options += [str(value), [value]]
    elif isinstance(value, str):
        options += [len(value), [value], {value: value} if value else {"": ""}]
    elif isinstance(value, list):
        options += [{str(i): v for i, v in enumerate(value)}, value[0] if value else "", len(value)]
    elif isinstance(value, dict):
        options += [list(value.values()), list(value), ""]
    return [o for o in options if type(o) is not type(value)]


#: Strings that are malformed where a unit, a date, a code or an enum value belongs.
MALFORMED_TEXTS: Final = (
    "tons",
    "9**9**9**9",
    "USD + RUB",
    "kg/0",
    "1997-02-30",
    "2005-13-01",
    "05-01-2005",
    "2005-1-1",
    "0999-12-31",
    "3000-01-01",
    "ZZZ",
    "prk",
    "country",
    "EXACT",
    "",
    " ",
    "\x00",
    "\ud800",
    BIG_TEXT,
)


def absurd_values(value: Any) -> list[Any]:
    """Junk for the place that holds ``value``: absurd numbers, malformed strings and every other type."""
    return [*ABSURD_NUMBERS, *MALFORMED_TEXTS, *retyped(value), [], {}, [[[[[]]]]], {"type": "country"}]


@functools.cache
def _small_junk() -> st.SearchStrategy[Any]:
    # Built once: hypothesis validates a new recursive strategy on each draw, which costs milliseconds.
    return json_like(field_names(), max_leaves=8)


@attrs.frozen
class Mutation:
    """One change to a valid plain document."""

    tokens: tuple[Token, ...]
    junk: Any
    """The new value, or :data:`MISSING` for a deleted key."""
    document: Any

    @property
    def path(self) -> str:
        """The changed place as an error path."""
        return path_text(self.tokens)

    def __repr__(self) -> str:
        junk = "<deleted>" if self.junk is MISSING else repr(self.junk)
        return f"Mutation({self.path} = {junk[:80]})"


@st.composite
def mutations(draw: st.DrawFn, doc: Any) -> Mutation:
    """A change to one place of ``doc``: a key removed, the value retyped or set to something absurd."""
    places = list(walk(doc))
    tokens, value = draw(pick(places))
    kind = draw(st.sampled_from(("delete", "retype", "absurd", "junk")))
    if kind == "delete" and tokens and isinstance(tokens[-1], str):
        junk: Any = MISSING
    elif kind == "retype":
        junk = draw(pick(retyped(value)))
    elif kind == "junk":
        junk = draw(_small_junk())
    else:
        junk = draw(pick(absurd_values(value)))
    return Mutation(tokens, junk, replaced(doc, tokens, junk))


def same_json(left: Any, right: Any) -> bool:
    """Equality of plain values where 7 == 7.0 but True != 1 and nan == nan."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_json(left[k], right[k]) for k in left)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(same_json(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def only_nkru_errors(call: Callable[[], Any]) -> Any:
    """Run ``call``; return its value, or the :class:`nkru.errors.NkruError` it raised (anything else propagates)."""
    from nkru.errors import NkruError  # noqa: PLC0415 - keeps this module's imports about strategies

    try:
        return call()
    except NkruError as exc:
        return exc

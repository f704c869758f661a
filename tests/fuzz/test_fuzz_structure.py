"""Fuzz nkru's structuring entry points: ``from_dict`` and ``from_json`` for every public type.

Each property says: the input becomes a valid value, or a
:class:`~nkru.errors.StructureError` comes out (never a bare ``KeyError``,
``TypeError``, ``RecursionError`` or a cattrs error), and the error names a
path in the document; for mutations of a valid document, the path points at
the mutated place.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.junk import (
    MISSING,
    OLD_NAMES_ARE_READ,
    STRUCTURED,
    Mutation,
    count,
    documents,
    field_names,
    hostile_text,
    json_like,
    lookup,
    mutations,
    only_nkru_errors,
    points_at,
    pool,
    same_json,
)
from nkru.errors import NkruError, StructureError
from nkru.serialization import _all_types, from_dict, from_json, to_dict, to_json
from nkru.units import unit

NAMES = sorted(STRUCTURED)
pytestmark = OLD_NAMES_ARE_READ

#: Longest message a StructureError may have: it shows 20 problems, each clipped.
MAX_MESSAGE = 20_000


def _check_valid(value: Any, cls: type) -> None:
    """A value that came out of structuring is a real, re-serializable ``cls``."""
    assert type(value) is cls
    assert from_dict(to_dict(value), cls) == value


def _check_error(error: NkruError, cls: type) -> None:
    """The structuring path raises StructureError only, naming at least one path, in a readable message."""
    assert isinstance(error, StructureError), repr(error)
    assert error.type_name == cls.__name__
    assert error.problems, "a StructureError lists at least one problem"
    assert all(path.startswith("$") for path in error.paths)
    assert len(str(error)) <= MAX_MESSAGE


def _check(outcome: Any, cls: type) -> None:
    if isinstance(outcome, NkruError):
        _check_error(outcome, cls)
    else:
        _check_valid(outcome, cls)


def _structure(data: Any, cls: type) -> Any:
    outcome = only_nkru_errors(lambda: from_dict(data, cls))
    _check(outcome, cls)
    return outcome


def test_every_public_type_is_fuzzed() -> None:
    assert {cls for _, cls in STRUCTURED.values()} >= set(_all_types())


@given(st.sampled_from(NAMES), json_like(field_names()))
def test_from_dict_of_junk(name: str, data: Any) -> None:
    """Arbitrary JSON-like structures (keys drawn from real field names too), for every type."""
    count()
    _structure(data, STRUCTURED[name][1])


@pytest.mark.parametrize("name", NAMES)
def test_from_dict_of_mutated_documents(name: str) -> None:
    """A valid document with one place deleted, retyped or set to an absurd value."""
    _, cls = STRUCTURED[name]

    @given(documents(name).flatmap(mutations))
    def check(mutation: Mutation) -> None:
        count()
        outcome = _structure(mutation.document, cls)
        if isinstance(outcome, StructureError):
            assert points_at(outcome, mutation.path), (outcome.paths, mutation)
            return
        # Accepted: the change must be kept as made, never coerced or dropped silently.
        kept = lookup(to_dict(outcome), mutation.tokens)
        if mutation.junk is MISSING:
            # A deleted key comes back absent (its default) or, for a measure's value, as null.
            assert kept is MISSING or kept is None or not mutation.tokens, (kept, mutation)
        elif isinstance(mutation.junk, (dict, list)):
            pass  # an object or list put there comes back without its defaults ({"claims": []} as {})
        elif mutation.tokens and mutation.tokens[-1] == "unit" and isinstance(kept, str):
            # Units are written back by their canonical name ("parsecs" comes back as "parsec").
            assert unit(kept) == unit(mutation.junk), (kept, mutation)
        else:
            assert kept is MISSING or same_json(kept, mutation.junk), (kept, mutation)

    check()


@given(st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), documents(name).flatmap(mutations))))
def test_from_json_of_mutated_documents(case: tuple[str, Mutation]) -> None:
    """The same mutations as JSON text (nan and infinity written as JSON's non-standard constants)."""
    count()
    name, mutation = case
    cls = STRUCTURED[name][1]
    try:
        text = json.dumps(mutation.document, allow_nan=True, ensure_ascii=False)
    except ValueError:
        return  # an int of 5,000 digits has no JSON text Python will write
    _check(only_nkru_errors(lambda: from_json(text, cls)), cls)


@given(st.sampled_from(NAMES), st.one_of(hostile_text(), st.binary(max_size=300)))
def test_from_json_of_any_text(name: str, text: str | bytes) -> None:
    count()
    cls = STRUCTURED[name][1]
    _check(only_nkru_errors(lambda: from_json(text, cls)), cls)


@given(st.sampled_from(NAMES), json_like(field_names()))
def test_from_json_of_json_text_of_junk(name: str, data: Any) -> None:
    """Well-formed JSON text of junk structures."""
    count()
    cls = STRUCTURED[name][1]
    try:
        text = json.dumps(data, allow_nan=True)
    except ValueError:
        return
    _check(only_nkru_errors(lambda: from_json(text, cls)), cls)


@pytest.mark.parametrize("name", NAMES)
def test_json_text_round_trip_is_identity(name: str) -> None:
    """Text → value → text gives the same text, byte for byte (generated values: tests/test_roundtrip.py)."""
    _, cls = STRUCTURED[name]
    for value in pool(name):
        text = to_json(value)
        assert to_json(from_json(text, cls)) == text

"""Mutate every field of the serialized seed dataset into junk (issue 6, "Done when").

Each junk kind below is put at one leaf of ``to_dict(load_seed_dataset())``
at a time, and ``from_dict(..., Dataset)`` must raise a
:class:`~nkru.errors.StructureError` naming that leaf's path (or, for a
union's tag, the union), never another exception, unless the junk is a value
the model allows there (None in an optional field, "" in a text that may be
empty), in which case the dataset must come back with the change kept.

Under the ``ci`` profile every leaf gets one junk kind (rotating through the
kinds), and every *field* (a leaf path with its list indices dropped, 133 in
the seed) gets every kind: 2,547 structurings. Under ``long`` every leaf gets
every kind: 1,483 leaves by 9 kinds, 13,347 structurings. Keys are deleted one
per field path under ``ci`` (179), every key under ``long``.
Time per structuring is measured by ``benchmarks/bench_hostile.py``, not here.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import Any

import attrs
import pytest
from hypothesis import settings

from fuzz.junk import (
    BIG_TEXT,
    MISSING,
    OLD_NAMES_ARE_READ,
    Token,
    count,
    declared,
    leaf_paths,
    lookup,
    path_text,
    replaced,
    same_json,
    walk,
)
from nkru.dataset import Dataset
from nkru.errors import StructureError
from nkru.seed import load_seed_dataset
from nkru.serialization import from_dict, from_json, to_dict, to_json

pytestmark = OLD_NAMES_ARE_READ


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return str(value)
    return 7


def _malformed(value: Any, name: str) -> Any:
    """A malformed unit or date where one belongs; elsewhere, text with a NUL (no field allows control characters)."""
    if name == "unit":
        return "9**9**9**9"
    if name in ("start", "end") and isinstance(value, str):
        return "1997-02-30"
    return "\x00"


#: The junk of the issue: null, empty, huge numbers, nan, wrong types, 100 kB strings, malformed units or dates.
JUNK: dict[str, Any] = {
    "null": lambda value, name: None,
    "empty": lambda value, name: "",
    "huge number": lambda value, name: 10**400,
    "nan": lambda value, name: float("nan"),
    "wrong type": lambda value, name: _wrong_type(value),
    "list": lambda value, name: [value],
    "object": lambda value, name: {"value": value},
    "100 kB string": lambda value, name: BIG_TEXT,
    "malformed": _malformed,
}


@functools.cache
def seed_document() -> Any:
    return to_dict(load_seed_dataset())


def _pattern(tokens: tuple[Token, ...]) -> str:
    return re.sub(r"\[\d+\]", "[]", path_text(tokens))


def _name(tokens: tuple[Token, ...]) -> str:
    return tokens[-1] if isinstance(tokens[-1], str) else ""


def leaves_for(kind: str) -> list[tuple[Token, ...]]:
    """The leaves that get junk ``kind``: all under ``long``, else one of each field plus a rotating share."""
    leaves = leaf_paths(seed_document())
    if settings.default.max_examples >= 10_000:
        return leaves
    kinds = list(JUNK)
    chosen: dict[str, tuple[Token, ...]] = {}
    for tokens in leaves:
        chosen.setdefault(_pattern(tokens), tokens)
    rotating = [tokens for i, tokens in enumerate(leaves) if kinds[i % len(kinds)] == kind]
    return list(dict.fromkeys([*chosen.values(), *rotating]))


def _union_holders(doc: Any, tokens: tuple[Token, ...]) -> set[str]:
    """Paths of the tagged unions (dicts with a "type") that hold the place."""
    holders = set()
    for i in range(len(tokens)):
        holder = lookup(doc, tokens[:i])
        if isinstance(holder, dict) and "type" in holder:
            holders.add(path_text(tokens[:i]))
    return holders


def check_leaf(tokens: tuple[Token, ...], junk: Any) -> str | None:
    """Put ``junk`` at ``tokens``; return what went wrong, or None."""
    doc = seed_document()
    path = path_text(tokens)
    mutated = replaced(doc, tokens, junk)
    try:
        dataset = from_dict(mutated, Dataset)
    except StructureError as exc:
        allowed = {path} | _union_holders(doc, tokens)
        if not set(exc.paths) & allowed:
            return f"{path} = {junk!r:.40}: error names {exc.paths[:3]}, not the field"
        return None
    if not declared(Dataset, doc, tokens).accepts(junk):
        return f"{path} = {junk!r:.40}: accepted"
    kept = lookup(to_dict(dataset), tokens)
    if not (kept is MISSING or same_json(kept, junk)):
        return f"{path} = {junk!r:.40}: came back as {kept!r:.40}"
    return None


@pytest.mark.parametrize("kind", list(JUNK))
def test_junk_in_any_field_is_named(kind: str) -> None:
    doc = seed_document()
    failures = []
    leaves = leaves_for(kind)
    for tokens in leaves:
        count()
        junk = JUNK[kind](lookup(doc, tokens), _name(tokens))
        problem = check_leaf(tokens, junk)
        if problem is not None:
            failures.append(problem)
    assert not failures, f"{len(failures)} of {len(leaves)} leaves:\n" + "\n".join(failures[:30])


def test_every_field_is_mutated() -> None:
    doc = seed_document()
    covered = {_pattern(tokens) for kind in JUNK for tokens in leaves_for(kind)}
    assert covered == {_pattern(tokens) for tokens in leaf_paths(doc)}
    assert len(leaf_paths(doc)) > 1_000  # the seed's 74 records have 1,483 leaves


def test_deleting_any_key_is_named_or_allowed() -> None:
    """Each key removed in turn: a field without a default is named as required; one with a default
    may be left out, and then any error comes from a check across fields of the same record (a trade
    flow with no figure left, a range with one bound) or from a link to the records removed."""
    doc = seed_document()
    failures = []
    for tokens in _deletable(doc):
        count()
        path = path_text(tokens)
        field = declared(Dataset, doc, tokens).field
        has_default = field is not None and field.default is not attrs.NOTHING
        try:
            from_dict(replaced(doc, tokens, MISSING), Dataset)
        except StructureError as exc:
            if has_default:
                record = path_text(tokens[:2]) if len(tokens) > 2 else "$"
                near = [p for p in exc.paths if p.startswith((record + ".", record + "["))]
                links = [p for p in exc.problems if "names no record" in p.reason]
                if not (near or links):
                    failures.append(f"{path} deleted: error names {exc.paths[:3]}")
            elif path not in exc.paths and not set(exc.paths) & _union_holders(doc, tokens):
                failures.append(f"{path} deleted: error names {exc.paths[:3]}, not the field")
            continue
        if not has_default:
            failures.append(f"{path} deleted: accepted, but the field has no default")
    assert not failures, "\n".join(failures[:30])


def _deletable(doc: Any) -> list[tuple[Token, ...]]:
    """Every key of every object under ``long``; one key per field path under ``ci``."""
    keys = [tokens for tokens, _ in walk(doc) if tokens and isinstance(tokens[-1], str)]
    if settings.default.max_examples >= 10_000:
        return keys
    return list({_pattern(tokens): tokens for tokens in reversed(keys)}.values())


def test_seed_json_round_trip_is_identity() -> None:
    """The shipped file → Dataset → JSON text gives the shipped text back, byte for byte."""
    shipped = importlib.resources.files("nkru").joinpath("data", "seed.json").read_text(encoding="utf-8")
    dataset = from_json(shipped, Dataset)
    assert to_json(dataset, indent=1) + "\n" == shipped  # the layout tools/build_seed.py writes
    compact = to_json(dataset)
    assert to_json(from_json(compact, Dataset)) == compact
    assert dataset == load_seed_dataset()

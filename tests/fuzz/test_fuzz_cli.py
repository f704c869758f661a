"""Fuzz the ``nkru`` command line: any arguments give exit status 0, 1 or 2, and an error is one line.

``main`` returns 2 with one ``nkru: error: ...`` line for every
:class:`~nkru.errors.NkruError` and lets anything else out as a traceback (a
bug), so a property over ``main`` finds any exception that is not nkru's.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.junk import count, hostile_text
from nkru.cli import main

COMMANDS = ("summary", "check", "convert", "export", "show")
OPTIONS = ("--to", "--on", "--constant-dollars", "--format", "--strict", "--help", "--version", "-h", "--", "-")
AMOUNTS = ("4.5 billion RUR", "830,000 tons", "US$1.97 billion", "about 60%", "5m dollars", "200–300 tons")
TARGETS = ("USD", "RUB", "RUR", "SUR", "EUR", "KPW", "t", "kg", "ha", "percent", "short_ton", "tons", "USD / t")
WHEN = ("1997", "1988", "2011-08-19", "2005-Q1", "1990s", "first nine months of 2005", "2030", "999", "0")


def _word(values: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), hostile_text(40))


@st.composite
def convert_arguments(draw: st.DrawFn) -> list[str]:
    argv = ["convert", draw(_word(AMOUNTS)), "--to", draw(_word(TARGETS))]
    if draw(st.booleans()):
        argv += ["--on", draw(_word(WHEN))]
    if draw(st.booleans()):
        argv += ["--constant-dollars", draw(_word(("2020", "1997", "1913", "3000", "-1", "2020.5")))]
    return argv


def arguments() -> st.SearchStrategy[list[str]]:
    """Valid-looking commands with junk values, and lists of any words."""
    anything = st.lists(_word(COMMANDS + OPTIONS), max_size=6)
    show = st.tuples(st.just("show"), _word(("sh.freight.khasan.1989", "tf.share.prk-sun.1988"))).map(list)
    return st.one_of(convert_arguments(), show, anything)


def _run(argv: list[str]) -> tuple[Any, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


@given(arguments())
def test_any_arguments_give_a_status_and_at_most_one_error_line(argv: list[str]) -> None:
    count()
    status, out, err = _run(argv)
    assert status in (0, 1, 2), status
    if status == 2:
        assert err.startswith(("nkru: error:", "usage:")), err[:200]
        if err.startswith("nkru: error:"):
            assert err.count("\n") == 1
            assert len(err) <= 401 * 4  # one line of at most 400 characters (UTF-8 can make it longer in bytes)
    elif argv[:1] == ["convert"]:
        assert out.strip(), "a conversion that succeeds prints its result"


@pytest.mark.parametrize(
    "argv",
    [
        ["convert", "9**9**9**9", "--to", "USD"],
        ["convert", "1" * 100_000, "--to", "t"],
        ["convert", "1 t", "--to", "9**9**9**9"],
        ["convert", "4.5 billion RUR", "--to", "USD", "--on", "(" * 5_000],
        ["convert", "1e999 USD", "--to", "RUB", "--on", "1997"],
        ["convert", "nan USD", "--to", "RUB"],
        ["show", "\x00"],
        ["show", "x" * 100_000],
        ["export", "--format", "xml"],
        ["\ud800"],
        [],
    ],
    ids=lambda argv: repr(argv)[:40],
)
def test_hostile_arguments(argv: list[str]) -> None:
    status, _, err = _run(argv)
    assert status == 2
    assert err.startswith("nkru: error:")
    assert err.count("\n") == 1

"""Errors: common base, builtin bases, fields, pickling."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru._core.text import clip, shown
from nkru.errors import (
    CurrencyMismatchError,
    DoubleCountError,
    FieldError,
    MissingDependencyError,
    NkruError,
    ParseError,
    RateNotFoundError,
    StructureError,
    UnitMismatchError,
    ValidationError,
    _clip,
)
from nkru.fx import ExchangeRates

SAMPLES = [
    (ParseError("5 zorks", "unknown unit 'zorks'", 2), ValueError),
    (ValidationError("mass", -1.0, "must not be negative"), ValueError),
    (UnitMismatchError("metric_ton", "USD"), TypeError),
    (CurrencyMismatchError("USD", "RUB"), TypeError),
    (RateNotFoundError("RUB per USD", "1850", "1985-2024"), LookupError),
    (FieldError("$.a[0]", "must be text"), ValueError),
    (MissingDependencyError("pyarrow", "parquet"), ImportError),
    (DoubleCountError("the World to its partners", "select partners='countries'"), ValueError),
    (StructureError("Dataset", (FieldError("$.a", "x"), FieldError("$.b", "y"))), ValueError),
]


@pytest.mark.parametrize(("error", "builtin"), SAMPLES)
def test_bases_and_pickle(error: NkruError, builtin: type[Exception]) -> None:
    assert isinstance(error, NkruError)
    assert isinstance(error, builtin)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert repr(back.__dict__) == repr(error.__dict__)


def test_messages() -> None:
    assert str(DoubleCountError("the World to its partners", "select partners='countries'")) == (
        "this sum would count trade twice: it adds the World to its partners; select partners='countries'"
    )
    assert (
        str(ParseError("5 zorks", "unknown unit 'zorks'", 2))
        == "cannot read '5 zorks' at character 2: unknown unit 'zorks'"
    )
    assert str(ValidationError("mass", -1.0, "must not be negative")) == "mass: must not be negative (got -1.0)"
    assert (
        str(RateNotFoundError("RUB per USD", "1850", "1985-2024")) == "no RUB per USD for 1850 (data covers 1985-2024)"
    )
    error = StructureError("Dataset", (FieldError("$.a", "x"), FieldError("$.b", "y")))
    assert error.paths == ("$.a", "$.b")
    assert str(error) == "cannot build Dataset: 2 problems: $.a: x; $.b: y"


def test_long_text_is_clipped_in_the_message_but_kept_whole() -> None:
    error = ParseError("x" * 100_000, "too long")
    assert len(str(error)) < 200
    assert len(error.text) == 100_000


class TestClipping:
    """One clipper, nkru._core.text.clip; nkru.errors, the lowest layer, writes its rule out and must agree."""

    @given(st.text(max_size=300))
    def test_errors_clip_as_the_kernel_does(self, text: str) -> None:
        assert clip(text, 80, count=True) == _clip(text)

    def test_long_text(self) -> None:
        text = "x" * 100_000
        assert clip(text, 80, count=True) == "x" * 60 + "…(100000 characters)"
        assert len(clip(text, 80, count=True)) == 80
        assert clip(text, 10) == "x" * 9 + "…"

    def test_short_text_is_kept(self) -> None:
        assert clip("abc", 3) == "abc"
        assert clip("abc", 3, count=True) == "abc"
        assert shown("abc") == "'abc'"

    def test_shown_quotes_and_clips(self) -> None:
        assert shown("y" * 1000, 30) == "'yyyyyyyyyyy…(1002 characters)"
        assert len(shown("y" * 1000)) == 60

    def test_messages_of_every_layer_are_short(self) -> None:
        junk = "z" * 100_000
        assert str(ValidationError("field", junk, "bad")) == f"field: bad (got '{'z' * 59}…(100002 characters))"
        with pytest.raises(StructureError) as info:
            ExchangeRates.from_csv(f"currency,period,rate,source\nRUB,2005,{junk},s\n")
        assert str(info.value.problems[0]) == (
            f"line 2, column 'rate': is not a number: '{'z' * 39}…(100002 characters) is longer than 40 characters"
        )

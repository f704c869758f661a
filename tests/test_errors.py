"""Errors: common base, builtin bases, fields, pickling."""

from __future__ import annotations

import pickle

import pytest

from nkru.errors import (
    CurrencyMismatchError,
    DimensionalityError,
    FieldError,
    MissingDependencyError,
    NkruError,
    ParseError,
    RateNotFoundError,
    StructureError,
    ValidationError,
)

SAMPLES = [
    (ParseError("5 zorks", "unknown unit 'zorks'", 2), ValueError),
    (ValidationError("mass", -1.0, "must not be negative"), ValueError),
    (DimensionalityError("metric_ton", "USD"), TypeError),
    (CurrencyMismatchError("USD", "RUB"), TypeError),
    (RateNotFoundError("RUB per USD", "1850", "1985-2024"), LookupError),
    (FieldError("$.a[0]", "must be text"), ValueError),
    (MissingDependencyError("pyarrow", "parquet"), ImportError),
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

"""Errors: common base, builtin bases, fields, pickling."""

from __future__ import annotations

import pickle
import types

import pint
import pytest

import nkru
import nkru.errors
from nkru._core.deprecation import warn_deprecated
from nkru.errors import (
    CurrencyMismatchError,
    FieldError,
    MissingDependencyError,
    NkruError,
    ParseError,
    RateNotFoundError,
    StructureError,
    UnitMismatchError,
    ValidationError,
)
from nkru.units import money, quantity, to_unit

SAMPLES = [
    (ParseError("5 zorks", "unknown unit 'zorks'", 2), ValueError),
    (ValidationError("mass", -1.0, "must not be negative"), ValueError),
    (UnitMismatchError("metric_ton", "USD"), TypeError),
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


class TestUnitMismatchError:
    def test_is_not_pints_error_and_says_so(self) -> None:
        # nkru's own error no longer shares pint's name; both are TypeErrors, which catches either.
        assert UnitMismatchError.__name__ != pint.DimensionalityError.__name__
        assert not issubclass(UnitMismatchError, pint.DimensionalityError)
        with pytest.raises(TypeError):
            money(5, "USD") + money(5, "RUB")
        with pytest.raises(UnitMismatchError) as info:
            to_unit(quantity(5, "t"), "USD")
        assert (info.value.from_unit, info.value.to_unit) == ("metric_ton", "USD")

    def test_currency_mismatch_is_a_unit_mismatch(self) -> None:
        assert issubclass(CurrencyMismatchError, UnitMismatchError)

    @pytest.mark.parametrize("module", [nkru.errors, nkru])
    def test_dimensionality_error_is_a_deprecated_alias(self, module: types.ModuleType) -> None:
        expected = (
            f"{module.__name__}.DimensionalityError is deprecated and will be removed in nkru 0.3;"
            " use nkru.errors.UnitMismatchError"
        )
        with pytest.warns(DeprecationWarning, match="DimensionalityError is deprecated") as caught:
            old = module.DimensionalityError
        assert [str(w.message) for w in caught] == [expected]
        assert old is UnitMismatchError
        with pytest.raises(old):  # catching by the old name catches what nkru raises
            to_unit(quantity(5, "t"), "USD")

    def test_the_hand_written_warning_reads_as_the_shared_helper_writes_it(self) -> None:
        # nkru.errors cannot import nkru._core.deprecation (it sits below it); this pins the two texts together.
        with pytest.warns(DeprecationWarning, match="DimensionalityError") as by_errors:
            _ = nkru.errors.DimensionalityError
        with pytest.warns(DeprecationWarning, match="DimensionalityError") as by_helper:
            warn_deprecated("nkru.errors.DimensionalityError", "nkru.errors.UnitMismatchError")
        assert str(by_errors[0].message) == str(by_helper[0].message)

    def test_other_names_are_still_missing(self) -> None:
        with pytest.raises(AttributeError, match="has no attribute 'Dimensionality'"):
            _ = nkru.errors.Dimensionality  # type: ignore[attr-defined]
        assert "DimensionalityError" in nkru.__all__
        assert "UnitMismatchError" in nkru.__all__
        assert nkru.__all__ == sorted(nkru.__all__, key=lambda name: (not name.isupper(), not name[0].isupper(), name))

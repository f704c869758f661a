"""Round trips through nkru's converter for every public type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from fuzz.junk import STRUCTURED
from nkru import strategies as nst
from nkru.parties import Organization
from nkru.serialization import from_dict, from_json, to_dict, to_json

#: Every public type with the strategy of valid values of it (shared with the fuzz tests).
STRATEGIES = STRUCTURED


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_round_trip(name: str) -> None:
    """JSON and dict forms both give back an equal value of the same type."""
    strategy, cls = STRATEGIES[name]

    @given(strategy)
    def check(value: Any) -> None:
        plain = to_dict(value)
        assert from_dict(plain, cls) == value
        back = from_json(to_json(value), cls)
        assert back == value
        assert type(back) is type(value)
        # Equality compares magnitudes as floats; the plain forms show they come back bit for bit.
        assert to_dict(back) == plain

    check()


def test_organisations_strategy_is_a_deprecated_alias() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"nkru\.strategies\.organisations is deprecated .* use nkru\.strategies\.organizations",
    ):
        old = nst.organisations
    assert old is nst.organizations

    @given(old())
    def check(value: Any) -> None:
        assert type(value) is Organization

    check()

"""Round trips through nkru's converter for every public type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru import strategies as nst
from nkru.commodities import Commodity
from nkru.dataset import Claim, Dataset
from nkru.measures import Measure
from nkru.parties import Country, Organisation, Person, Place, Region
from nkru.periods import Period
from nkru.records import Event, Shipment, Source, TradeFlow
from nkru.serialization import from_dict, from_json, to_dict, to_json

STRATEGIES: dict[str, tuple[st.SearchStrategy[Any], type]] = {
    "country": (nst.countries(), Country),
    "region": (nst.regions(), Region),
    "place": (nst.places(), Place),
    "organisation": (nst.organisations(), Organisation),
    "person": (nst.persons(), Person),
    "commodity": (nst.commodities(), Commodity),
    "measure": (nst.measures(), Measure),
    "period": (nst.periods(), Period),
    "source": (nst.sources(), Source),
    "trade_flow": (nst.trade_flows(), TradeFlow),
    "shipment": (nst.shipments(), Shipment),
    "event": (nst.events(), Event),
    "claim": (nst.claims(), Claim),
    # Small datasets: each record kind has its own 1,000 examples above; this checks the container.
    "dataset": (nst.datasets(max_records=2), Dataset),
}


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

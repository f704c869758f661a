"""nkru: typed data, units, currencies and checks for DPRK–Russia economic relations.

The names a user needs are re-exported here; the modules hold the rest:
:mod:`nkru.units` (the pint registry), :mod:`nkru.parsing` (reading amounts
and periods from text), :mod:`nkru.records` and :mod:`nkru.dataset` (the
domain model), :mod:`nkru.serialization` (JSON), :mod:`nkru.errors`.

>>> import nkru
>>> nkru.money(1.97e9, "USD") + nkru.money(0.58e9, "USD")
<Quantity(2.55e+09, 'USD')>
"""

from __future__ import annotations

from nkru.aggregate import annualize, cagr, group_by, group_total, percent_change, share, total
from nkru.checks import Finding, Report, Rule, Severity, check
from nkru.commodities import Commodity, commodity
from nkru.comtrade import read_comtrade_csv
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
from nkru.errors import (
    CurrencyMismatchError,
    DimensionalityError,
    MissingDependencyError,
    NkruError,
    ParseError,
    RateNotFoundError,
    StructureError,
    ValidationError,
)
from nkru.fx import ExchangeRates, RatePolicy, RateQuote, convert_currency
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing import parse_measure, parse_period, parse_quantity
from nkru.parties import Country, Organisation, OrganisationKind, Person, Place, PlaceKind, Region
from nkru.periods import Period, Precision
from nkru.prices import PriceIndex, to_constant_dollars
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.seed import SEED_DOCUMENT_ID, load_seed_dataset, seed_text
from nkru.serialization import from_dict, from_json, to_dict, to_json
from nkru.table import TradeTable
from nkru.units import Quantity, money, quantity, to_unit, ureg

__all__ = [
    "SEED_DOCUMENT_ID",
    "Claim",
    "ClaimKind",
    "Commodity",
    "Country",
    "CurrencyMismatchError",
    "Dataset",
    "DimensionalityError",
    "Direction",
    "Event",
    "EventKind",
    "ExchangeRates",
    "Finding",
    "Flow",
    "Measure",
    "MissingDependencyError",
    "NkruError",
    "ObsStatus",
    "Organisation",
    "OrganisationKind",
    "ParseError",
    "Period",
    "Person",
    "Place",
    "PlaceKind",
    "Precision",
    "PriceIndex",
    "Purpose",
    "Qualifier",
    "Quantity",
    "RateNotFoundError",
    "RatePolicy",
    "RateQuote",
    "Region",
    "Report",
    "Rule",
    "Severity",
    "Shipment",
    "Source",
    "StructureError",
    "TradeFlow",
    "TradeTable",
    "ValidationError",
    "annualize",
    "cagr",
    "check",
    "commodity",
    "convert_currency",
    "from_dict",
    "from_json",
    "group_by",
    "group_total",
    "load_seed_dataset",
    "money",
    "parse_measure",
    "parse_period",
    "parse_quantity",
    "percent_change",
    "quantity",
    "read_comtrade_csv",
    "seed_text",
    "share",
    "to_constant_dollars",
    "to_dict",
    "to_json",
    "to_unit",
    "total",
    "ureg",
]

__version__ = "0.1.0"

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

import importlib
from typing import TYPE_CHECKING, Any, Final

from nkru._core.deprecation import moved_names
from nkru.aggregate import annualize, cagr, group_by, group_total, percent_change, share, total
from nkru.checks import Finding, Report, Rule, Severity, check
from nkru.commodities import Commodity, commodity
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
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
)
from nkru.formatting import format_measure, format_quantity
from nkru.fx import ExchangeRates, RatePolicy, RateQuote, convert_currency, default_rates
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing import parse_measure, parse_period, parse_quantity
from nkru.parties import Area, AreaKind, Country, Organization, OrganizationKind, Person, Place, PlaceKind, Region
from nkru.periods import Period, Precision
from nkru.prices import IndexPoint, PriceIndex, cpi_u, to_constant_dollars
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.seed import SEED_DOCUMENT_ID, load_seed_dataset, seed_text
from nkru.serialization import from_dict, from_json, make_converter, to_dict, to_json
from nkru.units import CURRENCIES, Quantity, currency_of, format_unit, money, quantity, to_unit, unit, ureg

__all__ = [
    "CURRENCIES",
    "SEED_DOCUMENT_ID",
    "Area",
    "AreaKind",
    "Claim",
    "ClaimKind",
    "Commodity",
    "Country",
    "CurrencyMismatchError",
    "Dataset",
    "DimensionalityError",
    "Direction",
    "DoubleCountError",
    "Event",
    "EventKind",
    "ExchangeRates",
    "FieldError",
    "Finding",
    "Flow",
    "IndexPoint",
    "Measure",
    "MissingDependencyError",
    "NkruError",
    "ObsStatus",
    "Organisation",
    "OrganisationKind",
    "Organization",
    "OrganizationKind",
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
    "UnitMismatchError",
    "ValidationError",
    "annualize",
    "cagr",
    "check",
    "commodity",
    "convert_currency",
    "cpi_u",
    "currency_of",
    "default_rates",
    "format_measure",
    "format_quantity",
    "format_unit",
    "from_dict",
    "from_json",
    "group_by",
    "group_total",
    "load_seed_dataset",
    "make_converter",
    "money",
    "parse_measure",
    "parse_period",
    "parse_quantity",
    "percent_change",
    "quantity",
    "read_comtrade",
    "read_comtrade_csv",
    "reconcile",
    "seed_text",
    "share",
    "to_constant_dollars",
    "to_dict",
    "to_json",
    "to_unit",
    "total",
    "unit",
    "ureg",
]

__version__ = "0.1.0"

if TYPE_CHECKING:
    from nkru.errors import UnitMismatchError as DimensionalityError
    from nkru.io.comtrade import read_comtrade, read_comtrade_csv
    from nkru.parties import Organization as Organisation
    from nkru.parties import OrganizationKind as OrganisationKind
    from nkru.table import TradeTable, reconcile

#: Names whose modules import pandas (about 0.6 s), loaded on first use so that
#: ``import nkru`` and the command line stay quick for everything else.
_LAZY: Final = {
    "TradeTable": "nkru.table",
    "read_comtrade": "nkru.io.comtrade",
    "read_comtrade_csv": "nkru.io.comtrade",
    "reconcile": "nkru.table",
}

#: Old names, served until nkru 0.3 with a DeprecationWarning (and still listed in ``__all__``).
_deprecated = moved_names(
    __name__,
    {
        "DimensionalityError": "nkru.errors:UnitMismatchError",
        "Organisation": "nkru.parties:Organization",
        "OrganisationKind": "nkru.parties:OrganizationKind",
    },
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    return _deprecated(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

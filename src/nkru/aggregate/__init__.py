"""Aggregation over records: totals, groups, shares, growth and annualization, aware of bounds.

Every function here takes :class:`~nkru.measures.Measure` s (or records that
hold them) and returns a Measure, so what the text said about a figure
survives the arithmetic: an "at most" plus an exact figure is an "at most"
total, an approximate figure keeps its total approximate, and an estimate
makes the total an estimate.

>>> from nkru.measures import Measure, Qualifier
>>> from nkru.units import quantity
>>> total([Measure(quantity(890, "t"), Qualifier.AT_MOST), Measure(quantity(110, "t"))])
Measure(value=<Quantity(1000.0, 'metric_ton')>, qualifier=<Qualifier.AT_MOST: 'at_most'>, lower=None, upper=None, status=<ObsStatus.DERIVED: 'derived'>, resolution=None)

**How qualifiers combine.** Each measure stands for an interval of
possible true values: an exact figure is the point itself, "at most x" is
``(-inf, x]``, "less than x" ``(-inf, x)``, "at least"/"more than" likewise
upwards, a range its bounds, and an approximate figure whatever bounds it
was given (none, usually). A sum adds the intervals' ends (an end is open if
it is open in any input), a share or growth rate divides them. The result's
qualifier is then, in this order:

0. an input bounded only above and another bounded only below ("at most 5"
   plus "at least 3"): the result would be unbounded on both sides and say
   nothing, so nkru raises :class:`~nkru.errors.ValidationError`;
1. all inputs exact: :attr:`~Qualifier.EXACT`;
2. any input approximate: :attr:`~Qualifier.APPROXIMATE` (with the bounds
   that survived, if any), its value computed from the inputs' points (a
   range without a value counts as its midpoint);
3. both ends known: :attr:`~Qualifier.RANGE`, with a value only if every
   input had one;
4. only the upper end: :attr:`~Qualifier.AT_MOST`, or
   :attr:`~Qualifier.LESS_THAN` if an input's upper end was strict; the
   value is that end;
5. only the lower end: :attr:`~Qualifier.AT_LEAST` or
   :attr:`~Qualifier.MORE_THAN` likewise.

**How statuses combine.** A computed figure is
:attr:`~ObsStatus.DERIVED`, unless an input is weaker: the result takes the
weakest status among its inputs in the order FORECAST, ESTIMATED, IMPUTED,
PROVISIONAL (any estimated input makes an ESTIMATED total; a forecast
anywhere makes a FORECAST). REPORTED and DERIVED inputs give DERIVED.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Final, TypeAlias

from nkru.aggregate import _annualize, _groups
from nkru.aggregate._analytics import (
    group_balance,
    group_cagr,
    group_percent_change,
    group_share,
    group_unit_value,
    top,
)
from nkru.aggregate._annualize import annualize
from nkru.aggregate._groups import group_by, group_total
from nkru.aggregate._ratios import cagr, percent_change, share
from nkru.aggregate._totals import total

__all__ = [
    "GROUP_KEYS",
    "AnnualizeMethod",
    "GroupKey",
    "annualize",
    "cagr",
    "group_balance",
    "group_by",
    "group_cagr",
    "group_percent_change",
    "group_share",
    "group_total",
    "group_unit_value",
    "percent_change",
    "share",
    "top",
    "total",
]

# The private modules define these; they are bound again here, under their docstrings, because
# autodoc reads the docstring of a name that is no class or function from the module that shows it.

GroupKey: TypeAlias = _groups.GroupKey
"""A grouping key, one of :data:`GROUP_KEYS` or a function of a record."""

AnnualizeMethod: TypeAlias = _annualize.AnnualizeMethod
"""How :func:`annualize` treats a period shorter than its calendar year."""

GROUP_KEYS: Final[dict[str, Callable[[Any], Hashable]]] = _groups.GROUP_KEYS
"""The named grouping keys of :func:`group_by`, each a function of a record.

- ``year``: the calendar year (an int) of a record whose period is exactly
  one calendar year; any other period keys its record by the period's own
  text, so a partial or multi-year figure never passes for a year's:
  ``"2005-01/2005-09"``, ``"2006-Q1"``, ``"1987/1989"``, ``"~1988"`` for an
  approximate year. :func:`annualize` turns a partial figure into a yearly one;
- ``flow``: the :class:`~nkru.records.Flow`;
- ``commodity``: the :class:`~nkru.commodities.Commodity`;
- ``chapter``: the two-digit HS chapter of the commodity (text such as ``"27"``);
- ``partner``, ``reporter``: the :class:`~nkru.parties.Country`;
- ``region``: the ISO 3166-2 :class:`~nkru.parties.Region` of a shipment's
  destination (else its origin) or an event's place, given directly or as a
  place's region. Trade flows are between countries and have no region.

A record without the attribute is grouped under None.
"""

"""Check a dataset against itself: recompute its claims and test its figures for coherence.

:func:`check` reads every :class:`~nkru.dataset.Claim` of a dataset and
recomputes it from the records it relates ("an increase of 64%" from the two
turnover figures), then runs general rules over all trade flows and
shipments: shares of one whole sum to at most 100%, a part (of a period, a
commodity or a turnover) does not exceed its whole, exports plus imports
match the turnover, a figure stated twice agrees with itself, bounds do not
contradict each other, and figures that coincide across periods or flows are
flagged. It returns a :class:`Report` of :class:`Finding` s, each with a
:class:`Severity`, a message holding the computed numbers, the ids of the
records involved and the words they were read from.

Every comparison allows for how the text stated its figures: a figure is
any value that rounds to it (``64%`` is 63.5% to 64.5%; ``172.3 million`` is
172.25 to 172.35 million), "about" allows ±10% (see :data:`APPROXIMATE`),
and "no more than" or "less than" are the bounds they say (see
:meth:`Interval.allowed <nkru.measures.Interval.allowed>`). A stated figure
is consistent when some value it allows is a value the records allow;
a direction is confirmed when every value the records allow moves that way.

>>> from nkru import Claim, ClaimKind, Country, Dataset, Flow, Measure, Period, TradeFlow, money, quantity
>>> def turnover(year, amount, resolution):
...     return TradeFlow(id=f"turnover-{year}", reporter=Country("RUS"), partner=Country("PRK"),
...                      flow=Flow.TURNOVER, period=Period.year(year),
...                      amount=Measure(money(amount, "USD"), resolution=resolution))
>>> claim = Claim(id="growth", kind=ClaimKind.PERCENT_CHANGE, subjects=("turnover-2000", "turnover-2005"),
...               stated=Measure(quantity(64, "percent"), resolution=1.0))
>>> report = check(Dataset(trade_flows=(turnover(2000, 105e6, 1e6), turnover(2005, 172.3e6, 1e5)),
...                        claims=(claim,)))
>>> print(report.findings[0].message)
turnover-2000 → turnover-2005: 172.3 million USD / 105 million USD − 1 = +64.1% (+63.3% to +64.9% given the figures' rounding); stated +64% (±0.5): consistent.
>>> report.ok
True
"""

from __future__ import annotations

from typing import Final

from nkru._core.numbers import checked_float
from nkru.checks import _against, _claims, _coherence, _doubts, _peaks
from nkru.checks._against import ReportedTable
from nkru.checks._figures import Settings
from nkru.checks._findings import Finding, Report, Rule, Severity
from nkru.dataset import ClaimKind, Dataset
from nkru.errors import ValidationError
from nkru.fx import ExchangeRates
from nkru.measures import APPROXIMATE

__all__ = ["APPROXIMATE", "PEAK_YEARS", "Finding", "Report", "ReportedTable", "Rule", "Severity", "check"]

# bound here, with its docstring, so that the API reference lists it (autodoc reads a constant's docstring from
# the module that names it in __all__)
PEAK_YEARS: Final = _peaks.PEAK_YEARS
"""How many years either side of a peak's period the checker looks for figures that exceed it."""


def check(
    dataset: Dataset,
    *,
    rates: ExchangeRates | None = None,
    approximate: float = APPROXIMATE,
    against: ReportedTable | None = None,
) -> Report:
    """Recompute every claim of ``dataset`` and run the coherence rules over its records, or set it against a table.

    Args:
        dataset: Any :class:`~nkru.dataset.Dataset`.
        rates: Exchange rates for comparing figures in different currencies
            (each converted to US dollars at its own period's average rate);
            nkru's shipped table if None. Figures no rate covers are reported
            as not comparable, never guessed.
        approximate: Relative half-width given to an "about" figure stated
            without bounds (0.1 is ±10%).
        against: A :class:`~nkru.table.TradeTable` of reported statistics
            (from :func:`nkru.read_comtrade`, say). When given, the report
            holds instead one :attr:`Rule.REPORTED_FIGURE` finding per stated
            trade figure that the table reports too: the same flow, parties,
            goods and period, or the calendar year a partial period lies in,
            with the ratio, which side covers what, and the reported figure
            scaled by days to the text's period; ok when the figures agree
            within the stated figure's rounding (or a part is within its
            whole), :attr:`Severity.DIFFERS` when not, never an error. Figures in
            another currency than the matching rows' are a warning, not
            comparable (``rates`` is not used). Run ``check(dataset)`` for the text's own consistency.

    Returns:
        A :class:`Report`: one or more findings per claim, then the findings of
        the coherence rules (see :class:`Rule`); with ``against``, the
        comparisons with the table, in the dataset's order.

    Raises:
        ValidationError: ``dataset``, ``rates``, ``approximate`` or ``against``
            is not allowed (``against`` must give a frame with the table's columns).

    >>> check(Dataset()).findings
    ()
    """
    if not isinstance(dataset, Dataset):
        raise ValidationError("dataset", dataset, "must be an nkru Dataset")
    if not checked_float("approximate", approximate, "non-negative") < 1:
        raise ValidationError("approximate", approximate, "must be a number from 0 up to (not including) 1")
    if rates is not None and not isinstance(rates, ExchangeRates):
        raise ValidationError("rates", rates, "must be an nkru.fx.ExchangeRates or None")
    if against is not None:
        return Report(findings=tuple(_against.check_against(dataset, against, approximate=float(approximate))))
    settings = Settings(rates=rates, approximate=float(approximate))
    claimed = _claims.check_claims(dataset, settings)
    claimed += [_peaks.check_peak(c, dataset, settings) for c in dataset.claims if c.kind is ClaimKind.PEAK]
    checked = {frozenset(finding.record_ids[1:]) for finding in claimed}
    coherence = _coherence.check_coherence(dataset, settings, skip=checked)
    claimed = _doubts.propagate(claimed, _doubts.doubts(dataset, coherence))
    return Report(findings=(*claimed, *coherence))

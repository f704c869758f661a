"""Coherence rules over all the records of a dataset, claims or not (see :func:`nkru.check`).

The rules compare trade flows of one *series*: the same reporter, partner,
flow and commodity. Within a series, a figure for one period is compared
with the figures for the same period (:attr:`~nkru.checks.Rule.RESTATED_FIGURE`,
:attr:`~nkru.checks.Rule.CONTRADICTORY_BOUNDS`) and for the periods that
contain it (:attr:`~nkru.checks.Rule.PART_OF_WHOLE`, which also relates one
commodity to its wider group and exports or imports to the turnover). Shares
of one whole are summed, exports plus imports are set against the turnover,
and figures of three or more significant digits that repeat where they
should not are flagged. Events are not compared: their figures are
pledges and plans, not series.

Pairs that a claim already relates are not reported twice.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Final

from nkru.checks._claims import describe_record, part_and_whole, part_verdict, sum_of_shares
from nkru.checks._figures import (
    Aligned,
    NotComparable,
    Settings,
    align,
    describe_interval,
    figure_of,
    measure_of,
    period_of,
    significant_digits,
)
from nkru.checks._findings import Finding, Rule, Severity
from nkru.commodities import Commodity
from nkru.dataset import AnyRecord, Dataset
from nkru.formatting import format_measure, quantity_writer
from nkru.measures import Interval, Measure, Qualifier
from nkru.records import Flow, Shipment, TradeFlow
from nkru.units import format_unit, to_unit, ureg

__all__ = ["COINCIDENCE_DIGITS", "check_coherence"]

COINCIDENCE_DIGITS: Final = 3
"""Figures that repeat with at least this many significant digits are flagged (``172.3`` is 4)."""

_AMOUNTS: Final = ("amount", "mass", "count")
_ONE_SIDED: Final = frozenset(
    {Qualifier.AT_MOST, Qualifier.LESS_THAN, Qualifier.AT_LEAST, Qualifier.MORE_THAN, Qualifier.RANGE}
)
_SIDES: Final = frozenset({Flow.EXPORT, Flow.IMPORT})


def check_coherence(dataset: Dataset, settings: Settings, *, skip: set[frozenset[str]]) -> list[Finding]:
    """Every coherence finding for ``dataset``; ``skip`` holds record sets a claim already checked."""
    flows = dataset.trade_flows
    findings: list[Finding] = []
    findings += _shares_sum(flows, settings, skip)
    findings += _same_period(flows, settings)
    findings += _part_of_whole(flows, settings, skip)
    findings += _turnover_sum(flows, settings)
    findings += _coincident(dataset)
    return findings


def _series(flow: TradeFlow) -> tuple[Hashable, ...]:
    return (flow.reporter.code, flow.partner.code, flow.flow, flow.commodity)


def _groups(items: Iterable[tuple[Hashable, TradeFlow]]) -> dict[Hashable, list[TradeFlow]]:
    groups: dict[Hashable, list[TradeFlow]] = defaultdict(list)
    for key, flow in items:
        groups[key].append(flow)
    return groups


def _figures(records: Sequence[AnyRecord], field: str) -> list[tuple[AnyRecord, Measure]]:
    return [(record, measure) for record in records if (measure := figure_of(record, field)) is not None]


# -- shares of one whole -----------------------------------------------------------------------


def _shares_sum(flows: Sequence[TradeFlow], settings: Settings, skip: set[frozenset[str]]) -> list[Finding]:
    """Commodity shares of one whole: same reporter, partner, flow, period and ``share_of``."""
    wholes = _groups(
        ((f.reporter.code, f.partner.code, f.flow, f.period, f.share_of), f)
        for f in flows
        if f.share is not None and f.commodity is not None
    )
    findings = []
    for members in wholes.values():
        parts = list({flow.commodity: flow for flow in reversed(members)}.values())[::-1]
        if len(parts) < 2 or frozenset(part.id for part in parts) in skip:
            continue
        aligned = align(_figures(parts, "share"), settings)
        if isinstance(aligned, Aligned):
            findings.append(sum_of_shares(Rule.SHARES_SUM, parts, aligned))
    return findings


# -- one series, one period, stated twice ------------------------------------------------------


def _same_period(flows: Sequence[TradeFlow], settings: Settings) -> list[Finding]:
    """A series' figure for one period stated more than once: restated values and bounds must agree."""
    findings = []
    for field in (*_AMOUNTS, "share"):
        groups = _groups(((*_series(f), f.period, f.share_of), f) for f in flows if figure_of(f, field) is not None)
        for members in groups.values():
            for index, first in enumerate(members):
                for second in members[index + 1 :]:
                    finding = _agree(first, second, field, settings)
                    if finding is not None:
                        findings.append(finding)
    return findings


def _agree(first: TradeFlow, second: TradeFlow, field: str, settings: Settings) -> Finding | None:
    aligned = align(_figures([first, second], field), settings)
    if isinstance(aligned, NotComparable):
        return None
    one, other = aligned.intervals
    bounds = {m.qualifier for m in aligned.measures} & _ONE_SIDED
    rule = Rule.CONTRADICTORY_BOUNDS if bounds else Rule.RESTATED_FIGURE
    shown = " and ".join(format_measure(measure, style="compact") for measure in aligned.measures)
    what = f"{describe_record(first)} and {second.id} state {field} for the same series and period: {shown}"
    note = f" ({aligned.note})" if aligned.note else ""
    low, high = max(one.low, other.low), min(one.high, other.high)
    if one.overlaps(other):
        common = Interval(low, high, low if low == high else None)
        units = aligned.units

        write = quantity_writer(units, style="compact")

        allowed = describe_interval(common, write)
        both = f"both give {allowed[2:]}" if allowed.startswith("= ") else f"the true value {allowed}"
        return Finding.about(rule, Severity.OK, f"{what}: consistent, {both}{note}.", [first, second])
    verdict = "cannot both hold" if bounds else "stated twice with different values beyond their rounding"
    return Finding.about(rule, Severity.ERROR, f"{what}: {verdict}{note}.", [first, second])


# -- parts and wholes --------------------------------------------------------------------------


def _commodity_within(part: Commodity | None, whole: Commodity | None) -> tuple[bool, bool] | None:
    """(within, strictly narrower) for commodities; None if the part is not within the whole."""
    if whole is None:
        return (True, part is not None)
    if part == whole:
        return (True, False)
    if part is not None and part.hs is not None and whole.hs is not None and part.hs.startswith(whole.hs):
        return (True, len(part.hs) > len(whole.hs))
    return None


def _part_of(part: TradeFlow, whole: TradeFlow) -> bool | None:
    """Whether ``part`` is a strict part of ``whole``; True if it must leave a rest, None if not a part."""
    if part.period.start < whole.period.start or part.period.end > whole.period.end:
        return None
    shorter = part.period.days < whole.period.days
    goods = _commodity_within(part.commodity, whole.commodity)
    if goods is None:
        return None
    if part.flow is whole.flow:
        one_side = False
    elif whole.flow is Flow.TURNOVER and part.flow in _SIDES:
        one_side = True
    else:
        return None
    if not (shorter or one_side or goods[1]):
        return None
    return shorter or one_side


def _part_of_whole(flows: Sequence[TradeFlow], settings: Settings, skip: set[frozenset[str]]) -> list[Finding]:
    """Every flow against each flow of the same reporter and partner that contains it.

    Candidates are found by commodity, then by period start (a binary search),
    so a table of many years and commodities costs about its pairs that nest.
    """
    findings = []
    for field in _AMOUNTS:
        groups = _groups(((f.reporter.code, f.partner.code), f) for f in flows if figure_of(f, field) is not None)
        for members in groups.values():
            by_goods: dict[Commodity | None, list[TradeFlow]] = defaultdict(list)
            for member in sorted(members, key=lambda f: f.period.start):
                by_goods[member.commodity].append(member)
            starts = {goods: [f.period.start for f in listed] for goods, listed in by_goods.items()}
            within: dict[Commodity | None, list[Commodity | None]] = {}
            for whole in members:
                if whole.commodity not in within:
                    within[whole.commodity] = [g for g in by_goods if _commodity_within(g, whole.commodity) is not None]
                for goods in within[whole.commodity]:
                    low = bisect.bisect_left(starts[goods], whole.period.start)
                    high = bisect.bisect_right(starts[goods], whole.period.end)
                    for part in by_goods[goods][low:high]:
                        finding = _against_whole(part, whole, field, settings, skip)
                        if finding is not None:
                            findings.append(finding)
    return findings


def _against_whole(
    part: TradeFlow, whole: TradeFlow, field: str, settings: Settings, skip: set[frozenset[str]]
) -> Finding | None:
    if part is whole or frozenset((part.id, whole.id)) in skip:
        return None
    leaves_rest = _part_of(part, whole)
    if leaves_rest is None:
        return None
    aligned = align(_figures([part, whole], field), settings)
    if isinstance(aligned, NotComparable):
        return None
    return part_and_whole(Rule.PART_OF_WHOLE, part, whole, aligned, leaves_rest=leaves_rest)


def _turnover_sum(flows: Sequence[TradeFlow], settings: Settings) -> list[Finding]:
    """Exports plus imports of a period against the turnover of that period or one containing it."""
    findings = []
    for field in _AMOUNTS:
        groups = _groups(
            ((f.reporter.code, f.partner.code, f.commodity), f) for f in flows if figure_of(f, field) is not None
        )
        for members in groups.values():
            exports = {f.period: f for f in reversed(members) if f.flow is Flow.EXPORT}
            imports = {f.period: f for f in reversed(members) if f.flow is Flow.IMPORT}
            turnovers = [f for f in members if f.flow is Flow.TURNOVER]
            for period, export in exports.items():
                if period not in imports:
                    continue
                for turnover in turnovers:
                    if turnover.period.start <= period.start and period.end <= turnover.period.end:
                        finding = _sum_against(export, imports[period], turnover, field, settings)
                        if finding is not None:
                            findings.append(finding)
    return findings


def _sum_against(
    export: TradeFlow, imported: TradeFlow, turnover: TradeFlow, field: str, settings: Settings
) -> Finding | None:
    aligned = align(_figures([export, imported, turnover], field), settings)
    if isinstance(aligned, NotComparable):
        return None
    units = aligned.units
    total, whole = aligned.intervals[0] + aligned.intervals[1], aligned.intervals[2]

    write = quantity_writer(units, style="compact")

    shown = " + ".join(format_measure(m, style="compact") for m in aligned.measures[:2])
    sum_text = (
        f"exports + imports ({export.id} + {imported.id}, {export.period}) = {shown} {describe_interval(total, write)}"
    )
    stated_total = format_measure(aligned.measures[2], style="compact")
    versus = f"turnover {describe_record(turnover)}: {stated_total}"
    if turnover.period == export.period:
        agree = total.overlaps(whole)
        severity = Severity.OK if agree else Severity.ERROR
        verdict = "consistent within rounding" if agree else "they differ beyond the figures' rounding"
    else:
        severity, verdict, _ = part_verdict(total, whole, units, leaves_rest=True)
    note = f" ({aligned.note})" if aligned.note else ""
    return Finding.about(
        Rule.TURNOVER_SUM,
        severity,
        f"{sum_text}; {versus}: {verdict}{note}.",
        [export, imported, turnover],
        computed=measure_of(total, units),
        stated=aligned.measures[2],
    )


# -- figures that repeat -----------------------------------------------------------------------


def _key(measure: Measure) -> tuple[str, float] | None:
    value = measure.value
    if value is None or significant_digits(measure) < COINCIDENCE_DIGITS:
        return None
    base = ureg.Quantity(1.0, value.units).to_base_units().units
    canonical = float(to_unit(value, base).magnitude)
    return (format_unit(base), float(f"{canonical:.12g}"))


def _suspicious(one: AnyRecord, other: AnyRecord) -> bool:
    """Two records with one figure: suspicious unless one contains the other or they overlap in one series."""
    first, second = period_of(one), period_of(other)
    apart = first is not None and second is not None and not first.overlaps(second)
    if isinstance(one, TradeFlow) and isinstance(other, TradeFlow):
        if _part_of(one, other) is not None or _part_of(other, one) is not None:
            return False  # a part equal to its whole is the part-of-whole rule's to judge
        return apart or _series(one) != _series(other)
    return apart


def _coincident(dataset: Dataset) -> list[Finding]:
    """One finding per figure that repeats in records where it should not."""
    groups: dict[tuple[str, float], list[tuple[AnyRecord, Measure]]] = defaultdict(list)
    records: Iterable[TradeFlow | Shipment] = (*dataset.trade_flows, *dataset.shipments)
    for record in records:
        for field in (*_AMOUNTS, "share"):
            measure = figure_of(record, field)
            key = None if measure is None else _key(measure)
            if key is not None and measure is not None:
                groups[key].append((record, measure))
    findings = []
    for members in groups.values():
        involved: dict[str, tuple[AnyRecord, Measure]] = {}
        for index, (one, measure) in enumerate(members):
            for other, other_measure in members[index + 1 :]:
                if one.id != other.id and _suspicious(one, other):
                    involved.setdefault(one.id, (one, measure))
                    involved.setdefault(other.id, (other, other_measure))
        if not involved:
            continue
        chosen = list(involved.values())
        chosen.sort(key=lambda pair: [record.id for record, _ in members].index(pair[0].id))
        figure = format_measure(chosen[0][1], style="compact")
        names = "; ".join(describe_record(record) for record, _ in chosen)
        digits = significant_digits(chosen[0][1])
        message = (
            f"the same figure, {figure}, is stated for {names}: a figure of {digits} significant digits "
            "rarely repeats by chance (a copied figure, or one series mistaken for another?)."
        )
        findings.append(
            Finding.about(
                Rule.COINCIDENT_FIGURES, Severity.WARNING, message, [r for r, _ in chosen], stated=chosen[0][1]
            )
        )
    return findings

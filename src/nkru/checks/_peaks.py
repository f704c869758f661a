"""Peak claims: a figure the text calls the peak of its series is not exceeded nearby (see :func:`nkru.check`).

The series of a trade flow is its reporter, partner, flow, commodity and
``share_of``; the Soviet Union and Russia count as one reporter (Russia
continues the Soviet Union's trade statistics). The checker finds the
series' other figures whose periods lie within :data:`PEAK_YEARS` years of
the peak's, and lists them with the claim's own further subjects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Final

from nkru.checks._claims import describe_record
from nkru.checks._figures import Aligned, Settings, align, describe_interval, figure_of, period_of
from nkru.checks._findings import Finding, Rule, Severity
from nkru.dataset import AnyRecord, Claim, Dataset
from nkru.formatting import format_measure, quantity_writer
from nkru.measures import Interval
from nkru.records import TradeFlow

__all__ = ["PEAK_YEARS", "check_peak"]

PEAK_YEARS: Final = 5
"""How many years either side of a peak's period the checker looks for figures that exceed it."""

_ZERO: Final = Interval.exact(0.0)

#: Reporters whose statistics continue each other's.
_SUCCESSOR: Final = {"SUN": "RUS"}


def _series(record: AnyRecord) -> Hashable:
    if isinstance(record, TradeFlow):
        reporter = _SUCCESSOR.get(record.reporter.code, record.reporter.code)
        partner = _SUCCESSOR.get(record.partner.code, record.partner.code)
        return (reporter, partner, record.flow, record.commodity, record.share_of)
    return (type(record).__name__, getattr(record, "commodity", None))


def _near(record: AnyRecord, peak: AnyRecord) -> bool:
    period, around = period_of(record), period_of(peak)
    if period is None or around is None or period.overlaps(around):
        return False
    start = dt.date(max(around.start.year - PEAK_YEARS, 1), 1, 1)
    end = dt.date(min(around.end.year + PEAK_YEARS, 9999), 12, 31)
    return start <= period.start and period.end <= end


def check_peak(claim: Claim, dataset: Dataset, settings: Settings) -> Finding:
    """The claim's peak figure against every figure of its series nearby; an error if one exceeds it."""
    peak = dataset.get(claim.subjects[0])
    field = claim.field
    listed = [dataset.get(subject) for subject in claim.subjects[1:]]
    found = [
        record
        for record in dataset
        if record is not peak
        and record not in listed
        and _series(record) == _series(peak)
        and _near(record, peak)
        and figure_of(record, field) is not None
    ]
    others = [record for record in (*listed, *found) if figure_of(record, field) is not None]
    measure = figure_of(peak, field)
    if measure is None or not others:
        why = (
            f"{peak.id} states no {field}"
            if measure is None
            else f"no other figure of its series within {PEAK_YEARS} years"
        )
        return Finding.about(Rule.PEAK, Severity.WARNING, f"cannot be checked: {why}.", [claim, peak, *others])
    verdicts = []
    severity = Severity.OK
    for other in others:
        other_measure = figure_of(other, field)
        if other_measure is None:  # pragma: no cover - filtered above
            continue
        aligned = align([(peak, measure), (other, other_measure)], settings)
        if not isinstance(aligned, Aligned):
            verdicts.append(f"{other.id}: not comparable ({aligned.reason})")
            severity = max(severity, Severity.WARNING, key=lambda s: s.rank)
            continue
        excess = aligned.intervals[1] - aligned.intervals[0]
        write = quantity_writer(aligned.units, style="compact", sign=True)
        shown = format_measure(aligned.measures[1], style="compact")
        if excess.above(_ZERO):
            verdict, level = "exceeds the peak for every value the figures allow", Severity.ERROR
        elif excess.point is not None and excess.point > 0:
            verdict, level = (
                "exceeds the peak as written; only the figures' rounding allows otherwise",
                Severity.WARNING,
            )
        else:
            verdict, level = "does not exceed it", Severity.OK
        verdicts.append(f"{describe_record(other)}: {shown}, {describe_interval(excess, write)} against it: {verdict}")
        severity = max(severity, level, key=lambda s: s.rank)
    words = {Severity.OK: "consistent", Severity.WARNING: "not confirmed", Severity.ERROR: "contradicted"}[severity]
    message = (
        f"{describe_record(peak)} is called the peak of its series: {format_measure(measure, style='compact')}; "
        f"{'; '.join(verdicts)}. The peak claim is {words}."
    )
    return Finding.about(Rule.PEAK, severity, message, [claim, peak, *others], stated=measure)

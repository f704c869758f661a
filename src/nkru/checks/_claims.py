"""Recompute the claims of a dataset from the records they relate (see :func:`nkru.check`).

Each claim gives one finding for what it states (a change, a ratio, a share,
a sum of shares, a part of a total) and, when it also states a direction,
one for the direction. The verdicts on sums of shares and on parts of a
whole are shared with the coherence rules in :mod:`nkru.checks._coherence`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from pint.facets.plain import PlainUnit

from nkru.checks._figures import (
    Aligned,
    NotComparable,
    Settings,
    align,
    describe_interval,
    figure_of,
    measure_of,
    period_of,
)
from nkru.checks._findings import Finding, Rule, Severity
from nkru.dataset import AnyRecord, Claim, ClaimKind, Dataset, Direction
from nkru.errors import NkruError
from nkru.formatting import format_measure, format_number, quantity_writer
from nkru.measures import Interval, Measure, ObsStatus
from nkru.periods import Period
from nkru.units import ureg

__all__ = ["check_claims", "describe_record", "part_and_whole", "part_verdict", "sum_of_shares"]

_RULE_OF: Final = {
    ClaimKind.PERCENT_CHANGE: Rule.PERCENT_CHANGE,
    ClaimKind.DIRECTION: Rule.DIRECTION,
    ClaimKind.RATIO: Rule.RATIO,
    ClaimKind.SHARE: Rule.SHARE,
    ClaimKind.SHARES_OF_WHOLE: Rule.SHARES_OF_WHOLE,
    ClaimKind.PART_OF_TOTAL: Rule.PART_OF_TOTAL,
}
#: Claims whose subjects are a figure before and after: a direction applies to them.
_CHANGES: Final = frozenset({ClaimKind.PERCENT_CHANGE, ClaimKind.DIRECTION, ClaimKind.RATIO})
_WORDS: Final = {Direction.INCREASE: "an increase", Direction.DECREASE: "a decrease", Direction.UNCHANGED: "no change"}
_ZERO: Final = Interval.exact(0.0)
_PERCENT: Final = ureg.percent


def check_claims(dataset: Dataset, settings: Settings) -> list[Finding]:
    """Findings for every claim of ``dataset`` but peak claims, in the dataset's order."""
    findings: list[Finding] = []
    for claim in dataset.claims:
        if claim.kind is ClaimKind.PEAK:
            continue  # nkru.checks._peaks looks through the dataset for the series' other figures
        subjects = [dataset.get(subject) for subject in claim.subjects]
        findings.extend(_check_claim(claim, subjects, settings))
    return findings


def _check_claim(claim: Claim, subjects: list[AnyRecord], settings: Settings) -> list[Finding]:
    kind = claim.kind
    if kind is ClaimKind.SHARES_OF_WHOLE:
        return [_shares_of_whole(claim, subjects, settings)]
    pair = _pair(claim, subjects, settings)
    findings: list[Finding] = []
    if kind in (ClaimKind.PERCENT_CHANGE, ClaimKind.RATIO, ClaimKind.SHARE):
        findings.append(_recompute(claim, subjects, pair, settings))
    elif kind is ClaimKind.PART_OF_TOTAL:
        findings.append(_part_of_total(claim, subjects, pair))
    if claim.direction is not None and kind in _CHANGES:
        findings.append(_direction(claim, subjects, pair, claim.direction))
    return findings


_NOT_INDEPENDENT = frozenset({ObsStatus.DERIVED, ObsStatus.IMPUTED})


def _pair(claim: Claim, subjects: list[AnyRecord], settings: Settings) -> Aligned | NotComparable:
    """The claim's first two subjects' figures in one unit, or why they cannot be."""
    figures = []
    for record in subjects[:2]:
        measure = figure_of(record, claim.field)
        if measure is None:
            return NotComparable(f"{record.id} states no {claim.field}")
        if measure.status in _NOT_INDEPENDENT:
            # A figure a reader derived (often from this very claim) would confirm it by construction.
            return NotComparable(
                f"{record.id}'s {claim.field} is {measure.status.value}, not stated, so it cannot test the claim"
            )
        figures.append((record, measure))
    return align(figures, settings)


def _not_comparable(rule: Rule, claim: Claim, subjects: Sequence[AnyRecord], why: NotComparable) -> Finding:
    return Finding.about(
        rule, Severity.WARNING, f"cannot be checked: {why.reason}; not comparable.", [claim, *subjects]
    )


def _ids(subjects: Sequence[AnyRecord]) -> str:
    return " → ".join(record.id for record in subjects[:2])


def _decimals(resolution: float | None, value: float) -> int:
    """Decimals of a stated figure: from its resolution, else from how it is written."""
    if resolution is not None:
        return max(0, -math.floor(math.log10(resolution) + 1e-9))
    text = repr(abs(value))
    return 0 if "e" in text or "." not in text else len(text.split(".")[1].rstrip("0"))


def _recompute(claim: Claim, subjects: list[AnyRecord], pair: Aligned | NotComparable, settings: Settings) -> Finding:
    """A percent change, ratio or share: the stated figure against the quotient of the subjects."""
    rule = _RULE_OF[claim.kind]
    if isinstance(pair, NotComparable):
        return _not_comparable(rule, claim, subjects, pair)
    stated = claim.stated
    if stated is None:  # pragma: no cover - Claim refuses these kinds without a stated figure
        return _not_comparable(rule, claim, subjects, NotComparable("the claim states no figure"))
    first, second = (format_measure(measure, style="compact") for measure in pair.measures)
    old, new = pair.intervals
    if claim.kind is ClaimKind.SHARE:
        quotient, formula, offset = old.divide(new), f"{first} / {second}", 0.0
        divisor = second
    else:
        quotient, offset = new.divide(old), -100.0 if claim.kind is ClaimKind.PERCENT_CHANGE else 0.0
        formula = f"{second} / {first}" + (" − 1" if offset else "")
        divisor = first
    if quotient is None:
        why = NotComparable(f"cannot divide by {divisor}: it may be zero or negative")
        return _not_comparable(rule, claim, subjects, why)
    computed = quotient.affine(100.0, offset)
    try:
        percent = stated.to(_PERCENT)
    except NkruError as exc:
        return _not_comparable(rule, claim, subjects, NotComparable(f"the stated figure is not a percentage: {exc}"))
    signed = claim.kind is ClaimKind.PERCENT_CHANGE
    allowed, shown_stated = _stated(percent, settings, signed=signed, decrease=claim.direction is Direction.DECREASE)
    decimals = _decimals(percent.resolution, float(percent.point.magnitude)) + 1

    def write(value: float, digits: int) -> str:
        return format_number(value, style="compact", decimals=decimals + digits - 4, sign=signed) + "%"

    tolerance = allowed.width / 2 if allowed.is_bounded and allowed.point is not None else None
    if tolerance:
        half_width = format_number(tolerance, 3, style="compact")
        shown_stated += f" (±{half_width})"
    text = f"{_ids(subjects)}: {formula} {describe_interval(computed, write)}; stated {shown_stated}"
    if allowed.overlaps(computed):
        severity, verdict = Severity.OK, "consistent"
    else:
        severity = Severity.ERROR
        gap = format_number(allowed.gap(computed), style="compact", decimals=decimals)
        verdict = f"inconsistent: {gap} percentage points from the nearest value the figures allow"
    note = f" ({pair.note})" if pair.note else ""
    return Finding.about(
        rule,
        severity,
        f"{text}: {verdict}{note}.",
        [claim, *subjects],
        computed=measure_of(computed, _PERCENT),
        stated=percent,
        tolerance=tolerance,
    )


def _stated(percent: Measure, settings: Settings, *, signed: bool, decrease: bool) -> tuple[Interval, str]:
    """The values a stated percentage allows, and how the message writes it."""
    allowed = Interval.allowed(percent, approximate=settings.approximate, floor=-math.inf)
    shown = format_measure(percent, style="compact")
    positive = float(percent.point.magnitude) > 0
    if signed and decrease and positive:
        # "decreased by 91.1 percent" may be stored as 91.1 with the direction: a change of -91.1%.
        negated = f"-{shown}" if percent.is_exact else f"-({shown})"
        return -allowed, f"{negated} (a decrease of {shown})"
    if signed and positive and percent.is_exact:
        return allowed, f"+{shown}"
    return allowed, shown


def _direction(claim: Claim, subjects: list[AnyRecord], pair: Aligned | NotComparable, direction: Direction) -> Finding:
    """A stated direction against the sign of ``subjects[1] - subjects[0]`` for every allowed value."""
    if isinstance(pair, NotComparable):
        return _not_comparable(Rule.DIRECTION, claim, subjects, pair)
    first, second = (format_measure(measure, style="compact") for measure in pair.measures)
    change = pair.intervals[1] - pair.intervals[0]
    units = pair.units

    write = quantity_writer(units, style="compact", sign=True)

    rises, falls = change.above(_ZERO), change.below(_ZERO)
    found = "an increase" if rises else "a decrease" if falls else "undecided by the figures"
    if not (rises or falls) and change.point == 0:
        found = "no change" if change.width == 0 else "no change as written"
    if direction is Direction.UNCHANGED:
        severity = Severity.ERROR if rises or falls else Severity.OK
    elif rises or falls:
        severity = Severity.OK if rises == (direction is Direction.INCREASE) else Severity.ERROR
    elif change.point is not None and change.point != 0 and (change.point > 0) == (direction is Direction.INCREASE):
        # The figures as written move the stated way; only their rounding would allow otherwise.
        severity, found = Severity.OK, f"{_WORDS[direction]} as written (their rounding leaves it open)"
    else:
        severity = Severity.WARNING
    verdict = {Severity.OK: "consistent", Severity.ERROR: "contradicted", Severity.WARNING: "not confirmed"}[severity]
    note = f" ({pair.note})" if pair.note else ""
    message = (
        f"{_ids(subjects)}: {second} − {first} {describe_interval(change, write)}: {found}; "
        f"stated {_WORDS[direction]}: {verdict}{note}."
    )
    return Finding.about(Rule.DIRECTION, severity, message, [claim, *subjects], computed=measure_of(change, units))


def sum_of_shares(
    rule: Rule, parts: Sequence[AnyRecord], aligned: Aligned, context: Sequence[AnyRecord] = ()
) -> Finding:
    """Shares of one whole (in ``aligned``, percent) against 100%."""
    total = aligned.intervals[0]
    for interval in aligned.intervals[1:]:
        total = total + interval
    terms = " + ".join(format_measure(measure, style="compact") for measure in aligned.measures)

    def write(value: float, digits: int) -> str:
        return format_number(value, digits, style="compact") + "%"

    hundred = Interval.exact(100.0)
    if total.above(hundred):
        severity, verdict = Severity.ERROR, "over 100%: shares of one whole cannot sum past it"
    elif total.point is not None and total.point > 100 * (1 + 1e-9):
        severity, verdict = Severity.WARNING, "over 100% as written; only the figures' rounding reconciles them"
    else:
        severity, verdict = Severity.OK, "at most 100%: consistent"
    if len(aligned.measures) > 1:
        terms += f" {describe_interval(total, write)}"
    elif total.is_bounded and total.width > 0:
        terms += f" ({write(total.low, 4)} to {write(total.high, 4)})"
    message = f"{terms}: {verdict}."
    return Finding.about(rule, severity, message, [*context, *parts], computed=measure_of(total, _PERCENT))


def _shares_of_whole(claim: Claim, subjects: list[AnyRecord], settings: Settings) -> Finding:
    rule = Rule.SHARES_OF_WHOLE
    if claim.field != "share":
        why = NotComparable(f"a shares-of-whole claim sums shares, and this one compares {claim.field}")
        return _not_comparable(rule, claim, subjects, why)
    figures = []
    for record in subjects:
        measure = figure_of(record, "share")
        if measure is None:
            return _not_comparable(rule, claim, subjects, NotComparable(f"{record.id} states no share"))
        figures.append((record, measure))
    aligned = align(figures, settings)
    if isinstance(aligned, NotComparable):
        return _not_comparable(rule, claim, subjects, aligned)
    return sum_of_shares(rule, subjects, aligned, context=[claim])


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def part_verdict(
    part: Interval, whole: Interval, units: PlainUnit, *, leaves_rest: bool
) -> tuple[Severity, str, Interval]:
    """The verdict on a part against its whole, in words, and the rest ``whole - part``.

    ``leaves_rest`` is True when the part covers less than the whole by its
    nature (a shorter period, one side of a turnover): a part equal to the
    whole then leaves nothing for the rest, which is suspicious.
    """
    rest = whole - part

    write = quantity_writer(units, style="compact")

    if part.above(whole):
        return Severity.ERROR, "the part exceeds the whole for every value the figures allow", rest
    if part.point is not None and part.point > whole.high * (1 + 1e-9):
        return Severity.WARNING, "the part exceeds the whole as written; only their rounding reconciles them", rest
    if leaves_rest and part.point is not None and whole.point is not None and part.point >= whole.low * (1 - 1e-9):
        verdict = (
            f"the part equals the whole within rounding (rest {describe_interval(rest, write)}): nothing is left "
            "for the rest of the whole, or the whole covers only the part"
        )
        return Severity.WARNING, verdict, rest
    return Severity.OK, f"the part is within the whole (rest {describe_interval(rest, write)})", rest


def part_and_whole(
    rule: Rule,
    part: AnyRecord,
    whole: AnyRecord,
    aligned: Aligned,
    *,
    leaves_rest: bool,
    context: Sequence[AnyRecord] = (),
) -> Finding:
    """A part (``aligned``'s first figure) against its whole (the second); see :func:`part_verdict`."""
    units = aligned.units
    severity, verdict, rest = part_verdict(aligned.intervals[0], aligned.intervals[1], units, leaves_rest=leaves_rest)
    shown_part, shown_whole = (format_measure(measure, style="compact") for measure in aligned.measures)
    compared = f"{describe_record(part)}: {shown_part}; {describe_record(whole)}: {shown_whole}"
    periods = period_of(part), period_of(whole)
    if periods[0] is not None and periods[1] is not None and not _within(periods[0], periods[1]):
        verdict += f"; but the part's period {periods[0]} is not within the whole's {periods[1]}"
        severity = Severity.WARNING if severity is Severity.OK else severity
    note = f" ({aligned.note})" if aligned.note else ""
    return Finding.about(
        rule,
        severity,
        f"{compared}: {verdict}{note}.",
        [*context, part, whole],
        computed=measure_of(rest, units),
        stated=aligned.measures[1],
    )


def _part_of_total(claim: Claim, subjects: list[AnyRecord], pair: Aligned | NotComparable) -> Finding:
    if isinstance(pair, NotComparable):
        return _not_comparable(Rule.PART_OF_TOTAL, claim, subjects, pair)
    part, whole = subjects[0], subjects[1]
    periods = period_of(part), period_of(whole)
    shorter = (
        periods[0] is not None
        and periods[1] is not None
        and _within(periods[0], periods[1])
        and periods[0].days < periods[1].days
    )
    return part_and_whole(Rule.PART_OF_TOTAL, part, whole, pair, leaves_rest=shorter, context=[claim])


def describe_record(record: AnyRecord) -> str:
    """A short name for a record in a message: its id, what it is and when.

    >>> from nkru import Country, Flow, Measure, Period, TradeFlow, commodity, money
    >>> describe_record(TradeFlow(id="grain-2004", reporter=Country("RUS"), partner=Country("PRK"),
    ...     flow=Flow.EXPORT, period=Period.year(2004), commodity=commodity("grain"),
    ...     amount=Measure(money(5.31e6, "USD"))))
    'grain-2004 (RUS→PRK export of grain, 2004)'
    """
    what = getattr(record, "flow", None)
    parts: list[str] = []
    reporter, partner = getattr(record, "reporter", None), getattr(record, "partner", None)
    if what is not None and reporter is not None and partner is not None:
        parts.append(f"{reporter.code}→{partner.code} {what.value.replace('_', ' ')}")
    else:
        parts.append(type(record).__name__.lower())
    goods = getattr(record, "commodity", None)
    if goods is not None:
        parts.append(f"of {goods.label}")
    period = period_of(record)
    described = " ".join(parts) + ("" if period is None else f", {period}")
    return f"{record.id} ({described})"

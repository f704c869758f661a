"""What a check finds: :class:`Finding` s with a :class:`Severity` and a :class:`Rule`, gathered in a :class:`Report`.

Private: :mod:`nkru.checks` is the public face. The rules in
:mod:`nkru.checks._claims` and :mod:`nkru.checks._coherence` build these, and
:func:`nkru.check` returns them, so they live below all three.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final

import attrs

from nkru._core.numbers import checked_float
from nkru._core.text import check_id, clip, instance_of, text_validator, tuple_of
from nkru.dataset import AnyRecord
from nkru.measures import Measure

__all__ = ["Finding", "Report", "Rule", "Severity"]

_MESSAGE_LENGTH: Final = 10_000
_QUOTE_LENGTH: Final = 5_000
_QUOTE_SHOWN: Final = 400


class Severity(enum.Enum):
    """How serious a finding is."""

    OK = "ok"
    """The figures agree (a claim is confirmed, or a rule holds)."""
    DIFFERS = "differs"
    """A stated figure differs from the reported statistics it was set against
    (``check(..., against=table)``): a difference between two sources, which may both
    be right about different things (coverage, revisions, CIF against FOB), not a
    contradiction within the text. Only :attr:`Rule.REPORTED_FIGURE` findings have it."""
    WARNING = "warning"
    """Suspicious, or not checkable (figures that coincide, a claim the figures cannot decide)."""
    ERROR = "error"
    """The figures contradict each other (or the claim) for every value the text allows."""

    @property
    def rank(self) -> int:
        """0 for ok, 1 for a difference from reported data, 2 for a warning, 3 for an error (for sorting)."""
        return _RANK[self]


_RANK: Final = {Severity.OK: 0, Severity.DIFFERS: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Rule(enum.Enum):
    """Which check produced a finding."""

    PERCENT_CHANGE = "percent_change"
    """A claim's stated percent change against the change its two figures give."""
    DIRECTION = "direction"
    """A claim's stated direction ("grew", "dropped") against the sign of the change."""
    RATIO = "ratio"
    """A claim's stated ratio ("a mere 10% of") against the quotient of its figures."""
    SHARE = "share"
    """A claim's stated share against its part divided by its whole."""
    SHARES_OF_WHOLE = "shares_of_whole"
    """A claim's shares of one whole, which sum to at most 100%."""
    PART_OF_TOTAL = "part_of_total"
    """A claim's part against its total, which the part cannot exceed."""
    PEAK = "peak"
    """A claim that a figure is the peak of its series against the same series' figures in the
    surrounding years (:data:`~nkru.checks.PEAK_YEARS` either side): none may exceed it."""
    SHARES_SUM = "shares_sum"
    """Shares of one whole stated by trade flows (same reporter, partner, flow, period and
    ``share_of``, different commodities) sum to at most 100%."""
    PART_OF_WHOLE = "part_of_whole"
    """A trade flow over part of a period, of one commodity, or one side of a turnover,
    against the flow it is part of: it cannot exceed it, and equalling it leaves nothing for the rest."""
    TURNOVER_SUM = "turnover_sum"
    """Exports plus imports against the turnover of the same (or a longer) period."""
    RESTATED_FIGURE = "restated_figure"
    """The same series and period stated twice, whose figures must agree within rounding."""
    CONTRADICTORY_BOUNDS = "contradictory_bounds"
    """Bounds on the same series and period ("no more than", "at least", a range) that cannot all hold."""
    COINCIDENT_FIGURES = "coincident_figures"
    """The same figure, to three or more significant digits, for different periods, flows or goods."""
    REPORTED_FIGURE = "reported_figure"
    """A stated trade figure against the matching reported figure of a table, with ``check(..., against=table)``.

    Ok when they agree within the stated figure's rounding (or the text's part is within the
    reported whole), :attr:`Severity.DIFFERS` when they differ; a warning when the two cannot be
    compared (another currency, a figure the table reports twice); never an error."""


def _check_ids(_instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(str, max_items=1000)(_instance, attribute, value)
    for item in value:
        check_id(_instance, attribute, item)


def _check_quotes(_instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(str, max_items=1000)(_instance, attribute, value)
    check = text_validator(_QUOTE_LENGTH)
    for item in value:
        check(_instance, attribute, item)


def _to_tolerance(value: object) -> float | None:
    return None if value is None else checked_float("tolerance", value, "non-negative")


@attrs.frozen(kw_only=True)
class Finding:
    """One result of a check: what was compared, the numbers, and the verdict.

    Args:
        rule: The check that produced it.
        severity: Ok, warning or error; differs for a comparison with reported data.
        message: The comparison in words, with the computed and stated numbers.
        record_ids: Ids of the records involved (a claim first, then its subjects).
        quotes: The words those records were read from, in the same order.
        computed: The figure the check computed (a change, a sum, a remainder),
            with the bounds the stated figures allow, if there is one.
        stated: The figure it was compared with (a claim's stated figure, a total),
            if there is one.
        tolerance: The half-width allowed around the stated figure, in its unit,
            where one applies (0.5 for a "64%").
    """

    rule: Rule = attrs.field(validator=instance_of(Rule))
    severity: Severity = attrs.field(validator=instance_of(Severity))
    message: str = attrs.field(validator=text_validator(_MESSAGE_LENGTH))
    record_ids: tuple[str, ...] = attrs.field(default=(), validator=_check_ids)
    quotes: tuple[str, ...] = attrs.field(default=(), validator=_check_quotes)
    computed: Measure | None = attrs.field(default=None, validator=instance_of(Measure, optional=True))
    stated: Measure | None = attrs.field(default=None, validator=instance_of(Measure, optional=True))
    tolerance: float | None = attrs.field(default=None, converter=_to_tolerance)

    @classmethod
    def about(
        cls,
        rule: Rule,
        severity: Severity,
        message: str,
        records: Iterable[AnyRecord],
        *,
        computed: Measure | None = None,
        stated: Measure | None = None,
        tolerance: float | None = None,
    ) -> Finding:
        """Make a finding about ``records``, taking their ids and quotes (each once, in order).

        >>> from nkru import Country, Flow, Measure, Period, TradeFlow, money
        >>> flow = TradeFlow(id="x", reporter=Country("RUS"), partner=Country("PRK"), flow=Flow.EXPORT,
        ...                  period=Period.year(2004), amount=Measure(money(5.31e6, "USD")))
        >>> Finding.about(Rule.RESTATED_FIGURE, Severity.OK, "fine", [flow, flow]).record_ids
        ('x',)
        """
        ids: dict[str, None] = {}
        quotes: dict[str, None] = {}
        for record in records:
            ids[record.id] = None
            for quote in record.quotes:
                quotes[quote] = None
        return cls(
            rule=rule,
            severity=severity,
            message=message,
            record_ids=tuple(ids),
            quotes=tuple(quotes),
            computed=computed,
            stated=stated,
            tolerance=tolerance,
        )


def _check_findings(_instance: Any, attribute: Any, value: Any) -> None:
    tuple_of(Finding, max_items=10**7)(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`~nkru.checks.check` found: findings in the order the checks ran (claims first).

    ``nkru.to_json`` writes a report and ``nkru.from_json(text, Report)``
    reads it back.
    """

    findings: tuple[Finding, ...] = attrs.field(default=(), validator=_check_findings)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        """The findings of one severity, in order."""
        return tuple(finding for finding in self.findings if finding.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity error."""
        return self.of(Severity.ERROR)

    @property
    def differences(self) -> tuple[Finding, ...]:
        """The findings of severity differs (stated figures unlike the reported ones they were set against)."""
        return self.of(Severity.DIFFERS)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of severity warning."""
        return self.of(Severity.WARNING)

    @property
    def confirmed(self) -> tuple[Finding, ...]:
        """The findings of severity ok."""
        return self.of(Severity.OK)

    @property
    def counts(self) -> dict[Severity, int]:
        """How many findings of each severity (every severity present as a key)."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not self.errors

    def about(self, record_id: str) -> tuple[Finding, ...]:
        """The findings that involve the record ``record_id``."""
        return tuple(finding for finding in self.findings if record_id in finding.record_ids)

    def to_text(self) -> str:
        """Write the report as Markdown that also reads as plain text: errors, warnings, differences, then ok.

        >>> print(Report().to_text())
        # Consistency report
        <BLANKLINE>
        No findings.
        """
        counts = self.counts
        lines = ["# Consistency report", ""]
        if not self.findings:
            lines.append("No findings.")
            return "\n".join(lines)
        differ = counts[Severity.DIFFERS]
        lines.append(
            f"{_plural(counts[Severity.ERROR], 'error')}, {_plural(counts[Severity.WARNING], 'warning')}, "
            + (f"{_plural(differ, 'difference')} from reported data, " if differ else "")
            + f"{counts[Severity.OK]} ok ({_plural(len(self.findings), 'finding')})."
        )
        for severity, title in _SECTIONS:
            chosen = self.of(severity)
            if not chosen:
                continue
            lines += ["", f"## {title}", ""]
            for finding in chosen:
                ids = ", ".join(f"`{record_id}`" for record_id in finding.record_ids)
                lines.append(f"- **{finding.rule.value}** ({ids}): {finding.message}")
                lines.extend(f"  > {_shown_quote(quote)}" for quote in finding.quotes)
        return "\n".join(lines)


_SECTIONS: Final = (
    (Severity.ERROR, "Errors"),
    (Severity.WARNING, "Warnings"),
    (Severity.DIFFERS, "Differences from reported data"),
    (Severity.OK, "Ok"),
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _shown_quote(quote: str) -> str:
    return clip(" ".join(quote.split()), _QUOTE_SHOWN)

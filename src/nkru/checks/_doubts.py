"""Doubt travels: a claim cannot be confirmed by a record whose period or value is in doubt (see :func:`nkru.check`).

A record is in doubt when a coherence rule reports it with a warning or an
error (exports plus imports of nine months that equal a "2005" total, a
figure that coincides with another), or when it carries another reading of
its period (:attr:`~nkru.records.TradeFlow.likely_period`). Every claim
finding that would be ok and involves such a record becomes a warning (of
its own rule), naming the doubt: the claim's arithmetic holds, but for
figures that may not be what the claim compares.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from nkru.checks._findings import Finding, Severity
from nkru.dataset import Dataset

__all__ = ["doubts", "propagate"]


#: Why a record is doubted: the records the doubt is about (empty for the record's own reading), and the reason.
Doubt = tuple[frozenset[str], str]


def doubts(dataset: Dataset, findings: Sequence[Finding]) -> dict[str, list[Doubt]]:
    """Why each record in doubt is doubted: record id to its doubts."""
    claims = {claim.id for claim in dataset.claims}
    found: dict[str, list[Doubt]] = {}
    for flow in dataset.trade_flows:
        if flow.likely_period is not None and flow.likely_period != flow.period:
            reason = f"{flow.id} is dated {flow.period} as stated, but its figures point to {flow.likely_period}"
            found.setdefault(flow.id, []).append((frozenset(), reason))
    for finding in findings:
        if finding.severity is Severity.OK:
            continue
        about = frozenset(finding.record_ids) - claims
        for record_id in sorted(about, key=finding.record_ids.index):
            reason = f"the {finding.rule.value} finding on {', '.join(finding.record_ids)} questions {record_id}"
            found.setdefault(record_id, []).append((about, reason))
    return found


def propagate(claimed: Sequence[Finding], doubted: dict[str, list[Doubt]]) -> list[Finding]:
    """``claimed`` with every ok finding that involves a doubted record turned into a warning.

    A finding about the claim's own subjects alone (two equal figures a claim
    calls unchanged coincide, as it says) is the claim's comparison, not a doubt.
    """
    result = []
    for finding in claimed:
        subjects = frozenset(finding.record_ids[1:])
        reasons = "; ".join(
            dict.fromkeys(
                reason
                for record_id in finding.record_ids[1:]
                for about, reason in doubted.get(record_id, ())
                if not about or not about <= subjects
            )
        )
        if finding.severity is not Severity.OK or not reasons:
            result.append(finding)
            continue
        message = (
            f"{finding.message.rstrip('.')} — but not confirmed, as a {finding.rule.value} claim: {reasons}. "
            "The claim may compare unlike periods or values."
        )
        result.append(attrs.evolve(finding, severity=Severity.WARNING, message=message))
    return result

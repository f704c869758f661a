"""The text against reported statistics: each stated trade figure beside the matching figure of a table.

Private: :func:`nkru.checks.check` calls :func:`check_against` when it is
given ``against=``. The table is anything with a ``to_frame()`` giving the
columns of :class:`nkru.table.TradeTable` (``reporter``, ``partner``,
``flow``, ``year``, ``month``, ``hs``, ``value``, ``currency``): the checker
sits beside the table in the layers and never imports it.

A stated figure is a trade flow with an amount of money. Its match in the
table has the same reporter, partner and flow (a turnover is the reported
exports plus imports), the same goods (all goods, or the same HS code), and
reported figures for its period:

- **the same period**: the calendar years it spans (annual rows), or the
  months (monthly rows), each reported once. The figures agree when the
  reported one lies within what the stated one allows (its rounding, its
  qualifier: :meth:`Interval.allowed <nkru.measures.Interval.allowed>`);
- **a partial period**, on either side: a stated period shorter than the one
  calendar year it lies in (January to September 2005) against that year's
  reported figure, or a stated year against the months a table reports of it
  (one unbroken run, no annual row). The finding says which side covers what
  (the text's 273 days, 74.8% of the reported year), gives the ratio stated /
  reported, and scales the reported figure to the text's period **by days**
  (as :func:`nkru.annualize` with ``method="scale"`` does): a comparison, not a
  verdict, since trade is not spread evenly over a year. The one verdict a
  partial period allows is that a part cannot exceed its whole.

Severities: ok when the figures agree (or the part is within the whole),
:attr:`~nkru.checks.Severity.DIFFERS` when they differ beyond the stated
figure's rounding (or the part exceeds the whole): a severity of its own, never
a warning or an error, because a text and a statistical office may both be
right about different things (sources, revisions, CIF against FOB), so a
difference is not a fault the text's own figures show.
Figures with nothing to match in the table give no finding; figures in a
currency the matching rows do not use, or matched twice, give a warning
saying they could not be compared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Protocol

import attrs

from nkru.checks._findings import Finding, Rule, Severity
from nkru.dataset import Dataset
from nkru.errors import ValidationError
from nkru.formatting import format_measure, format_number
from nkru.measures import Interval, Measure, ObsStatus
from nkru.periods import Period
from nkru.records import Flow, TradeFlow
from nkru.units import currency_of, ureg

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REQUIRED_COLUMNS", "ReportedTable", "check_against"]

REQUIRED_COLUMNS: Final = ("reporter", "partner", "flow", "year", "month", "hs", "value", "currency")
"""The columns of ``table.to_frame()`` the comparison reads."""

#: Reported flows that make up each flow the text may state.
_PARTS: Final = {
    Flow.EXPORT: ("export",),
    Flow.IMPORT: ("import",),
    Flow.RE_EXPORT: ("re_export",),
    Flow.RE_IMPORT: ("re_import",),
    Flow.TURNOVER: ("export", "import"),
}


class ReportedTable(Protocol):
    """What ``against=`` takes: a :class:`nkru.table.TradeTable`, or anything with its ``to_frame()``."""

    def to_frame(self) -> pd.DataFrame:
        """The table's rows as a DataFrame with (at least) :data:`REQUIRED_COLUMNS`."""


@attrs.frozen
class _Row:
    reporter: str
    partner: str
    flow: str
    year: int
    month: int
    hs: str | None
    value: float
    currency: str


@attrs.frozen
class _Match:
    """The reported figure for a stated one: its value, the period it covers, and the rows it came from."""

    value: float
    currency: str
    period: Period
    rows: int


def _rows(table: object) -> list[_Row]:
    to_frame = getattr(table, "to_frame", None)
    if not callable(to_frame):
        raise ValidationError("against", table, "must be a TradeTable (or have its to_frame())")
    frame = to_frame()
    columns = getattr(frame, "columns", None)
    missing = [name for name in REQUIRED_COLUMNS if columns is None or name not in columns]
    if missing:
        raise ValidationError("against", type(table).__name__, f"its frame has no column {missing[0]!r}")
    cells = {name: frame[name].tolist() for name in REQUIRED_COLUMNS}
    rows = []
    for index in range(len(cells["value"])):
        value = cells["value"][index]
        if not isinstance(value, (int, float)) or math.isnan(value):
            continue  # a row without a value (a mass alone) states no figure to compare
        hs = cells["hs"][index]
        rows.append(
            _Row(
                reporter=str(cells["reporter"][index]),
                partner=str(cells["partner"][index]),
                flow=str(cells["flow"][index]),
                year=int(cells["year"][index]),
                month=int(cells["month"][index]),
                hs=hs if isinstance(hs, str) else None,
                value=float(value),
                currency=str(cells["currency"][index]),
            )
        )
    return rows


def check_against(dataset: Dataset, table: object, *, approximate: float) -> list[Finding]:
    """Compare every stated trade figure of ``dataset`` with its match in ``table``; see the module.

    Raises:
        ValidationError: ``table`` is not a table.
    """
    rows = _rows(table)
    index: dict[tuple[str, str, str, str | None], list[_Row]] = {}
    for row in rows:
        index.setdefault((row.reporter, row.partner, row.flow, row.hs), []).append(row)
    findings = []
    for record in dataset.trade_flows:
        finding = _compare(record, index, approximate)
        if finding is not None:
            findings.append(finding)
    return findings


def _compare(
    record: TradeFlow, index: dict[tuple[str, str, str, str | None], list[_Row]], approximate: float
) -> Finding | None:
    stated = record.amount
    if stated is None or record.period.approximate:
        return None
    if record.commodity is not None and record.commodity.hs is None:
        return None  # goods named only in words have no reported counterpart
    hs = None if record.commodity is None else record.commodity.hs
    parts = [index.get((record.reporter.code, record.partner.code, flow, hs), []) for flow in _PARTS[record.flow]]
    if not all(parts):
        return None
    try:
        found = _match(record.period, parts)
    except _NotComparable as problem:
        return Finding.about(Rule.REPORTED_FIGURE, Severity.WARNING, f"{_head(record)}: {problem}", [record])
    if found is None:
        return None
    currency = currency_of(stated.units)
    if currency != found.currency:
        reason = f"not comparable: stated in {currency}, reported in {found.currency}"
        return Finding.about(Rule.REPORTED_FIGURE, Severity.WARNING, f"{_head(record)}: {reason}", [record])
    return _finding(record, stated, found, approximate)


class _NotComparable(Exception):  # noqa: N818 - internal signal, never raised to a user
    pass


def _match(period: Period, parts: Sequence[list[_Row]]) -> _Match | None:
    """The reported figure for ``period`` (summed over ``parts``), or None if the table has none."""
    matches = [_one_flow(period, rows) for rows in parts]
    if any(match is None for match in matches):
        return None
    found = [match for match in matches if match is not None]
    if len({match.currency for match in found}) > 1 or len({match.period for match in found}) > 1:
        raise _NotComparable("not comparable: the reported flows differ in currency or period")
    return _Match(sum(m.value for m in found), found[0].currency, found[0].period, sum(m.rows for m in found))


def _slots(period: Period, rows: list[_Row]) -> tuple[list[tuple[int, int]], Period] | None:
    """The (year, month) rows that report ``period`` (month 0: the year), and the period they cover."""
    years = list(period.calendar_years)
    if period.is_whole_years:
        slots = [(year, 0) for year in years]
        if len(years) == 1 and not _slot(rows, slots[0]):  # no annual row: the months reported, if in one run
            months = sorted({row.month for row in rows if row.year == years[0] and row.month})
            if months and months == list(range(months[0], months[-1] + 1)):
                slots = [(years[0], month) for month in months]
                return slots, period if len(months) == 12 else Period.months(years[0], months[0], months[-1])
        return slots, period
    if len(years) > 1:
        return None
    if _is_months(period):
        slots = [(years[0], month) for month in range(period.start.month, period.end.month + 1)]
        if all(_slot(rows, slot) for slot in slots):
            return slots, period
    return [(years[0], 0)], Period.year(years[0])  # the year the partial period lies in


def _one_flow(period: Period, rows: list[_Row]) -> _Match | None:
    located = _slots(period, rows)
    if located is None:
        return None
    slots, covered = located
    chosen = [_slot(rows, slot) for slot in slots]
    if not all(chosen):
        return None
    for slot, reported in zip(slots, chosen, strict=True):
        if len(reported) > 1:
            raise _NotComparable(f"not comparable: the table reports {_slot_text(slot)} {len(reported)} times")
    picked = [reported[0] for reported in chosen]
    if len({row.currency for row in picked}) > 1:
        raise _NotComparable("not comparable: the reported figures are in several currencies")
    return _Match(sum(row.value for row in picked), picked[0].currency, covered, len(picked))


def _slot_text(slot: tuple[int, int]) -> str:
    year, month = slot
    return str(year) if month == 0 else f"{year}-{month:02d}"


def _slot(rows: list[_Row], slot: tuple[int, int]) -> list[_Row]:
    return [row for row in rows if (row.year, row.month) == slot]


def _is_months(period: Period) -> bool:
    first = Period.month(period.start.year, period.start.month)
    last = Period.month(period.end.year, period.end.month)
    return period.start == first.start and period.end == last.end


def _head(record: TradeFlow) -> str:
    goods = "all goods" if record.commodity is None else f"{record.commodity.label} (HS {record.commodity.hs})"
    link = "from" if record.flow in (Flow.IMPORT, Flow.RE_IMPORT) else "with" if record.flow is Flow.TURNOVER else "to"
    parties = f"{record.reporter.code} {record.flow.value} {link} {record.partner.code}"
    return f"{record.id} ({parties}, {goods}, {record.period})"


def _finding(record: TradeFlow, stated: Measure, found: _Match, approximate: float) -> Finding:
    allowed = Interval.allowed(stated, approximate=approximate)
    reported = found.value
    units = stated.units
    text = format_measure(stated)
    shown = format_measure(Measure(ureg.Quantity(reported, units)))
    ratio = _ratio(stated, reported)
    # The band the verdict used (rounding, coarsest reading, an "about"), as the claim rules report it.
    half = allowed.width / 2 if allowed.is_bounded and allowed.point is not None else None
    head = f"{_head(record)}: stated {text}; reported {shown} for {found.period}"
    if found.period == record.period:
        agrees = allowed.low <= reported <= allowed.high
        verdict = (
            "agrees within the stated figure's rounding" if agrees else "differs beyond the stated figure's rounding"
        )
        message = f"{head}, the same period; stated / reported = {ratio}: {verdict}."
        return Finding.about(
            Rule.REPORTED_FIGURE,
            Severity.OK if agrees else Severity.DIFFERS,
            message,
            [record],
            computed=Measure(ureg.Quantity(reported, units)),
            stated=stated,
            tolerance=half,
        )
    text_part = found.period.start <= record.period.start and record.period.end <= found.period.end
    part, whole = (record.period, found.period) if text_part else (found.period, record.period)
    share = part.days / whole.days
    # The reported figure brought to the text's period, by days: shrunk to a part, or grown to a whole.
    scaled = reported * share if text_part else reported / share
    scaled_shown = format_measure(Measure(ureg.Quantity(scaled, units)))
    if text_part:
        side, exceeds = "The text's figure", allowed.low > reported
        verdict = (
            "the text's part exceeds the reported whole" if exceeds else "the text's part is within the reported whole"
        )
        of = "the reported period"
    else:
        side, exceeds = "The reported figure", reported > allowed.high
        verdict = (
            "the reported part exceeds the text's whole" if exceeds else "the reported part is within the text's whole"
        )
        of = "the text's period"
    message = (
        f"{head}. {side} covers {part} ({part.days} of {whole.days} days, "
        f"{format_number(100 * share, decimals=1)}% of {of}); stated / reported = {ratio}. "
        f"Scaled by days to the text's period, the reported figure is {scaled_shown}; "
        f"stated / scaled = {_ratio(stated, scaled)}: {verdict}."
    )
    computed = Measure(ureg.Quantity(scaled, units), status=ObsStatus.DERIVED)
    return Finding.about(
        Rule.REPORTED_FIGURE,
        Severity.DIFFERS if exceeds else Severity.OK,
        message,
        [record],
        computed=computed,
        stated=stated,
        tolerance=half,
    )


def _ratio(stated: Measure, reported: float) -> str:
    """The ratio stated / reported, at three significant digits; a bound-only figure has none."""
    point = Interval.allowed(stated).point
    if point is None or reported == 0:
        return "not defined"
    return format_number(point / reported, 3)

"""How did Russia–DPRK trade turnover move from the late 1980s to 2005?

Prints the turnover figures the source states, with the words each came from, and
draws them on a time axis (turnover_timeline.png).
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import NO_MATPLOTLIB, SOURCE_NOTE, make_parser, millions, pyplot, save

import nkru
from nkru.aggregate import percent_change


def value(flow: nkru.TradeFlow) -> nkru.Measure:
    """The flow's value (every flow chosen here has one)."""
    if flow.amount is None:
        raise ValueError(f"{flow.id} states no value")
    return flow.amount


def usd(flow: nkru.TradeFlow) -> float:
    """The flow's value in US dollars (a range counts as its midpoint)."""
    return float(value(flow).point.to("USD").magnitude)


def turnover_records(data: nkru.Dataset) -> list[nkru.TradeFlow]:
    """Turnover with North Korea for all goods, stated as an amount of money, in time order."""
    chosen = [
        flow
        for flow in data.trade_flows
        if flow.flow is nkru.Flow.TURNOVER
        and flow.partner.code == "PRK"
        and flow.commodity is None
        and flow.amount is not None
        and flow.share is None
    ]
    return sorted(chosen, key=lambda flow: flow.period.start)


def years(period: nkru.Period) -> tuple[float, float]:
    """The period's middle and length on a time axis of years."""
    start = period.start.year + (period.start.timetuple().tm_yday - 1) / 365.25
    end = period.end.year + period.end.timetuple().tm_yday / 365.25
    return (start + end) / 2, end - start


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser(__doc__.splitlines()[0]).parse_args(argv)
    records = turnover_records(nkru.load_seed_dataset())
    print("Trade turnover between the USSR/Russia and North Korea, as the source states it:\n")
    for flow in records:
        mark = "~" if flow.period.approximate else " "
        print(
            f"  {mark}{flow.period!s:10} {flow.reporter.code}  {millions(usd(flow)):>9}  {flow.id:23} {flow.quotes[-1]!r}"
        )
    peak = max(records, key=usd)
    low = min((flow for flow in records if flow.period.start > peak.period.start), key=usd)
    fall = percent_change(value(peak), value(low))
    print(f"\nFrom the {peak.period} peak ({millions(usd(peak))}) to {low.period} ({millions(usd(low))}):", end=" ")
    print(f"{fall.point.magnitude:+.1f}%.")
    before, last = records[-2], records[-1]
    growth = percent_change(value(before), value(last))
    print(f"From {before.period} to {last.period}: {growth.point.magnitude:+.1f}% (the text: 'an increase of 64%').")
    print("~ marks an approximate period: 1987/1989 is the text's 'late 1980s'.")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(10, 5))
    for flow in records:
        middle, length = years(flow.period)
        color = "#b03a2e" if flow.reporter.code == "SUN" else "#1f618d"
        axes.bar(
            middle,
            usd(flow) / 1e6,
            width=max(length, 0.8) * 0.95,
            color=color,
            alpha=0.55 if flow.period.approximate else 1.0,
            hatch="//" if flow.period.approximate else None,
            edgecolor="white",
        )
        label = millions(usd(flow)) + (" (late 1980s)" if flow.period.approximate else "")
        axes.annotate(
            label,
            (middle, usd(flow) / 1e6),
            ha="center",
            va="bottom",
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=9,
        )
    axes.set_xlim(1985.5, 2006.5)
    axes.set_xticks(range(1986, 2007, 2))
    axes.set_ylabel("Turnover, million US dollars (current)")
    axes.set_title("Trade turnover with North Korea: Soviet Union (red) until 1991, Russia (blue) after")
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(
        0.01,
        -0.03,
        SOURCE_NOTE + ". The text gives no turnover for 1992–1998 or 2001–2004.",
        fontsize=8,
        color="#555555",
    )
    save(figure, args.out, "turnover_timeline.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

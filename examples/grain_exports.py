"""Russian grain exports to North Korea, 2002–2006, with what the text says about each figure.

"no more than 890 tons" is an upper bound, not a figure: nkru keeps it as one, and
the growth computed from it is a bound too. Draws grain_exports.png.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from _common import NO_MATPLOTLIB, SOURCE_NOTE, make_parser, pyplot, save, thousands

import nkru
from nkru import format_measure
from nkru.aggregate import percent_change


def grain_exports(data: nkru.Dataset) -> list[nkru.TradeFlow]:
    """Russia's exports of grain (HS chapter 10) to North Korea that state a mass, in time order."""
    chosen = [
        flow
        for flow in data.trade_flows
        if flow.flow is nkru.Flow.EXPORT
        and flow.reporter.code == "RUS"
        and flow.commodity is not None
        and flow.commodity.chapter == "10"
        and flow.mass is not None
    ]
    return sorted(chosen, key=lambda flow: flow.period.start)


def mass(flow: nkru.TradeFlow) -> nkru.Measure:
    if flow.mass is None:
        raise ValueError(f"{flow.id} states no mass")
    return flow.mass


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser(__doc__.splitlines()[0]).parse_args(argv)
    flows = grain_exports(nkru.load_seed_dataset())
    print("Russian grain exports to North Korea:\n")
    for flow in flows:
        value = "" if flow.amount is None else f", worth {format_measure(flow.amount)}"
        print(f"  {flow.period!s:8} {format_measure(mass(flow)):>14}{value}   {flow.quotes[-1]!r}")
    print()
    yearly = [flow for flow in flows if flow.period.precision is nkru.Precision.YEAR]
    for before, after in itertools.pairwise(yearly):
        if mass(before).point.magnitude == 0:
            continue
        change = percent_change(mass(before), mass(after))
        print(f"  {before.period}→{after.period}: {format_measure(change, digits=4)}")
    priced = [flow for flow in flows if flow.amount is not None and mass(flow).point.magnitude > 0]
    for flow in priced:
        assert flow.amount is not None  # chosen above
        price = flow.amount.point / nkru.to_unit(mass(flow).point, "t")
        print(f"  {flow.period}: {price.magnitude:,.0f} USD per tonne on average")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(8, 4.5))
    labels = [str(flow.period) for flow in flows]
    tonnes = [nkru.to_unit(mass(flow).point, "t").magnitude for flow in flows]
    bounded = [mass(flow).qualifier is not nkru.Qualifier.EXACT for flow in flows]
    bars = axes.bar(
        labels,
        tonnes,
        color=["#f5cba7" if bound else "#ca6f1e" for bound in bounded],
        edgecolor="#ca6f1e",
    )
    for bar, flow in zip(bars, flows, strict=True):
        axes.annotate(
            format_measure(mass(flow)),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            xytext=(0, 3),
            textcoords="offset points",
        )
    axes.set_ylabel("Grain exports, tonnes")
    thousands(axes)
    axes.set_title("Russian grain exports to North Korea (pale: an upper bound, not a figure)")
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(0.01, -0.03, SOURCE_NOTE + "; 2006-Q1 is January–March only.", fontsize=7, color="#555555")
    save(figure, args.out, "grain_exports.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

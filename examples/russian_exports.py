"""What did Russia export to North Korea, by category?

Prints mineral fuel exports in 2002 and 2003, the composition of Russia's exports
in the first nine months of 2005 (shares of a stated total, turned into dollar
amounts), and petroleum products in early 2005 and 2006. Draws the 2005
composition (russian_exports.png).
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import NO_MATPLOTLIB, SOURCE_NOTE, make_parser, millions, pyplot, save

import nkru
from nkru import format_measure
from nkru.aggregate import percent_change


def measure(value: nkru.Measure | None, record_id: str) -> nkru.Measure:
    if value is None:
        raise ValueError(f"{record_id} lacks the figure this example needs")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser(__doc__.splitlines()[0]).parse_args(argv)
    data = nkru.load_seed_dataset()
    exports = [f for f in data.trade_flows if f.flow is nkru.Flow.EXPORT and f.reporter.code == "RUS"]

    fuel = sorted(
        (f for f in exports if f.commodity is not None and f.commodity.chapter == "27" and f.amount is not None),
        key=lambda f: f.period.start,
    )
    print("Mineral fuel oil (HS 27), by value:")
    for flow in fuel:
        print(f"  {flow.period}: {format_measure(measure(flow.amount, flow.id))}")
    jump = percent_change(measure(fuel[0].amount, fuel[0].id), measure(fuel[-1].amount, fuel[-1].id))
    print(f"  change {fuel[0].period}→{fuel[-1].period}: {format_measure(jump)}")

    total = next(f for f in exports if f.commodity is None and f.amount is not None and f.period.start.year == 2005)
    whole = measure(total.amount, total.id).point.to("USD").magnitude
    shares = [f for f in exports if f.share is not None and f.period == total.period and f.commodity is not None]
    print(f"\nRussia's exports, {total.period} ({format_measure(measure(total.amount, total.id))}), by main item:")
    parts: list[tuple[str, float]] = []
    for flow in sorted(shares, key=lambda f: -measure(f.share, f.id).point.magnitude):
        share = measure(flow.share, flow.id).point.to("percent").magnitude
        amount = whole * share / 100
        parts.append((flow.commodity.label if flow.commodity else "?", amount))
        print(
            f"  {flow.commodity.label if flow.commodity else '?':30} {share:4.0f}%  ≈ {millions(amount):>8} (derived)"
        )
    rest = whole - sum(amount for _, amount in parts)
    parts.append(("everything else", rest))
    print(f"  {'everything else':30} {100 * rest / whole:4.0f}%  ≈ {millions(rest):>8} (derived)")

    petroleum = sorted(
        (f for f in exports if f.commodity is not None and f.commodity.hs == "2710" and f.mass is not None),
        key=lambda f: f.period.start,
    )
    print("\nPetroleum products (HS 2710), by weight:")
    for flow in petroleum:
        mass = measure(flow.mass, flow.id)
        print(f"  {flow.period}: {format_measure(mass)}")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(8, 4))
    labels = [label for label, _ in parts][::-1]
    values = [amount / 1e6 for _, amount in parts][::-1]
    bars = axes.barh(labels, values, color=["#aab7b8"] + ["#2874a6"] * (len(values) - 1))
    for bar, value in zip(bars, values, strict=True):
        axes.annotate(
            f"{millions(value * 1e6)} ({100 * value * 1e6 / whole:.0f}%)",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            xytext=(4, 0),
            textcoords="offset points",
        )
    axes.set_xlabel("Million US dollars (share of the stated total × the total)")
    axes.set_title(f"Russia's exports to North Korea, {total.period}: {millions(whole)} in all")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(values) * 1.3)
    figure.text(0.01, -0.05, SOURCE_NOTE + "; amounts derived from stated shares.", fontsize=7, color="#555555")
    save(figure, args.out, "russian_exports.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

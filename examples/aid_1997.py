"""What was Russia's 1997 humanitarian aid to North Korea worth in US dollars, then and today?

The source values the two 1997 deliveries in roubles before the 1998
redenomination (RUR). This converts each at the average exchange rate of its own
months and restates the dollars in constant dollars of a base year (US CPI-U).
Draws aid_1997.png.
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import NO_MATPLOTLIB, SOURCE_NOTE, make_parser, millions, pyplot, save

import nkru
from nkru import format_measure, format_quantity
from nkru.aggregate import total

LATEST_CPI_YEAR = 2025  # the last full year of the CPI-U annual averages nkru ships


def aid_shipments(data: nkru.Dataset) -> list[nkru.Shipment]:
    """Humanitarian aid shipments of 1997 that state a value, in time order."""
    chosen = [
        shipment
        for shipment in data.shipments
        if shipment.purpose is nkru.Purpose.HUMANITARIAN_AID
        and shipment.period is not None
        and shipment.period.start.year == 1997
        and shipment.amount is not None
    ]
    return sorted(chosen, key=lambda shipment: shipment.period.start if shipment.period else None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--base-year", type=int, default=LATEST_CPI_YEAR, help="restate in dollars of this year")
    args = parser.parse_args(argv)
    shipments = aid_shipments(nkru.load_seed_dataset())
    then: list[nkru.Measure] = []
    now: list[nkru.Measure] = []
    print(f"Russia's humanitarian aid to North Korea in 1997, in US dollars of 1997 and of {args.base_year}:\n")
    for shipment in shipments:
        if shipment.amount is None or shipment.period is None:
            continue
        then.append(nkru.convert_currency(shipment.amount, "USD", on=shipment.period))
        now.append(nkru.to_constant_dollars(then[-1], 1997, base_year=args.base_year))
        inferred = " (currency inferred: see the record's notes)" if "amount" in shipment.inferred else ""
        print(f"  {shipment.id}: {format_measure(shipment.amount)}{inferred}")
        print(f"      {shipment.quotes[-1]!r}")
        print(f"      = {format_measure(then[-1])} at the average rate of {shipment.period}")
        print(f"      = {format_measure(now[-1])} in {args.base_year} dollars")
    print(f"\nBoth deliveries: {format_measure(total(then))} then, {format_measure(total(now))} in {args.base_year}.")
    first = shipments[0]
    if first.amount is not None:
        annual = nkru.convert_currency(first.amount, "USD", on=1997)
        in_rub = nkru.to_unit(first.amount.point, "RUB")
        print(f"At the annual average rate of 1997, {first.id} would be {format_measure(annual)}.")
        print(f"{format_quantity(first.amount.point)} is exactly {format_quantity(in_rub)} today: 1 RUB = 1000 RUR.")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(8, 4.5))
    labels = [f"{s.period}\n{s.commodity.label if s.commodity else ''}" for s in shipments]
    positions = range(len(labels))
    width = 0.38
    series = [(then, "#7d3c98", "US$ of 1997"), (now, "#d4ac0d", f"US$ of {args.base_year} (CPI-U)")]
    for offset, (values, color, name) in zip((-width / 2, width / 2), series, strict=True):
        amounts = [m.point.magnitude for m in values]
        bars = axes.bar([p + offset for p in positions], [a / 1e6 for a in amounts], width, color=color, label=name)
        for bar, amount in zip(bars, amounts, strict=True):
            axes.annotate(
                millions(amount),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                xytext=(0, 3),
                textcoords="offset points",
            )
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("Million US dollars")
    axes.set_title("Russia's 1997 aid to North Korea (valued in old roubles), in dollars")
    axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(0.01, -0.03, SOURCE_NOTE + "; rates and CPI: see nkru's data sources.", fontsize=7, color="#555555")
    save(figure, args.out, "aid_1997.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

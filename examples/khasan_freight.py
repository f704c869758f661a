"""How much freight crossed the border at Khasan–Tumangang?

Prints the freight the source reports through the Khasan (Russia) – Tumangang
(North Korea) rail crossing, its change, and the crossing's later mentions, and
draws the freight (khasan_freight.png).
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import NO_MATPLOTLIB, SOURCE_NOTE, make_parser, pyplot, save

import nkru
from nkru import format_measure
from nkru.aggregate import percent_change


def freight(data: nkru.Dataset) -> list[nkru.Shipment]:
    """Shipments routed through the Khasan–Tumangang crossing that state a mass, in time order."""
    chosen = [
        shipment
        for shipment in data.shipments
        if shipment.route is not None
        and "Khasan" in shipment.route.name
        and shipment.mass is not None
        and shipment.period is not None
    ]
    return sorted(chosen, key=lambda shipment: shipment.period.start if shipment.period else None)


def mass(shipment: nkru.Shipment) -> nkru.Measure:
    """The shipment's mass (every shipment chosen here has one)."""
    if shipment.mass is None:
        raise ValueError(f"{shipment.id} states no mass")
    return shipment.mass


def tonnes(shipment: nkru.Shipment) -> float:
    return float(nkru.to_unit(mass(shipment).point, "t").magnitude)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser(__doc__.splitlines()[0]).parse_args(argv)
    data = nkru.load_seed_dataset()
    shipments = freight(data)
    print("Freight from Russia (Khasan) to North Korea (Tumangang):\n")
    for shipment in shipments:
        print(f"  {shipment.period!s:6} {format_measure(mass(shipment)):>12}   {shipment.quotes[0]!r}")
    first, last = shipments[0], shipments[-1]
    change = percent_change(mass(first), mass(last)).point.magnitude
    print(f"\nChange {first.period}–{last.period}: {change:+.1f}% ({tonnes(last) - tonnes(first):+,.0f} t).")
    for event in data.events:
        if not (isinstance(event.place, nkru.Place) and "Khasan" in event.place.name):
            continue
        print(f"Later: {event.period} — {event.title}.")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(7, 4.5))
    labels = [str(shipment.period) for shipment in shipments]
    values = [tonnes(shipment) / 1000 for shipment in shipments]
    bars = axes.bar(labels, values, color="#1e8449", width=0.55)
    for bar, shipment in zip(bars, shipments, strict=True):
        axes.annotate(
            f"{tonnes(shipment):,.0f} t",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            xytext=(0, 3),
            textcoords="offset points",
        )
    axes.set_ylabel("Freight, thousand tonnes")
    axes.set_title(f"Freight through Khasan–Tumangang, Russia → North Korea: {change:+.0f}%")
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(0.01, -0.03, SOURCE_NOTE + "; 'tons' read as metric tonnes.", fontsize=7, color="#555555")
    save(figure, args.out, "khasan_freight.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

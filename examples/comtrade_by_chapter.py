"""Load a CSV in the UN Comtrade layout and aggregate it by HS chapter.

Reads a Comtrade "final data" CSV (your own download, or the synthetic sample
shipped in examples/data/), keeps the rows with North Korea as partner at the
two-digit HS chapter level (so no figure is counted twice across levels), and
sums value and net weight by year, flow and chapter, vectorized. Draws
comtrade_by_chapter.png.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from _common import NO_MATPLOTLIB, make_parser, millions, pyplot, save

import nkru

SAMPLE = Path(__file__).resolve().parent / "data" / "comtrade_sample.csv"


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=SAMPLE, help="a Comtrade-layout CSV (default: the shipped sample)")
    parser.add_argument("--partner", default="PRK", help="ISO alpha-3 code of the partner to keep (default: PRK)")
    args = parser.parse_args(argv)
    try:
        table = nkru.read_comtrade_csv(args.csv)
    except (OSError, nkru.NkruError) as exc:
        print(f"cannot read {args.csv}: {exc}", file=sys.stderr)
        return 2
    frame = table.to_frame()
    print(
        f"Read {len(table)} rows from {args.csv.name}: {', '.join(table.currencies)} values, mass in {table.mass_unit}."
    )
    # One sum may add only rows of one level and frequency: annual two-digit chapters, no TOTAL, headings or months.
    chapters = table.select(partners=[args.partner], level=2, freq="A")
    keep = (frame["partner"] == args.partner) & (frame["hs"].str.len() == 2)
    print(
        f"Kept {len(chapters)} rows: partner {args.partner}, annual two-digit HS chapters (TOTAL, headings and months left out).\n"
    )
    sums = chapters.convert_currency("USD").group_sum(["year", "flow", "chapter"])
    labels = frame[keep].drop_duplicates("hs").set_index("hs")["commodity"].astype(str).to_dict()
    print(f"{'year':>4}  {'flow':6}  {'HS chapter':60}  {'value':>10}  {'net weight':>14}")
    for row in sums.itertuples(index=False):
        label = f"{row.chapter} {labels.get(row.chapter, '')}"[:60]
        tonnes = nkru.to_unit(nkru.quantity(row.mass, sums.attrs["units"]["mass"]), "t").magnitude
        mass = "" if math.isnan(tonnes) else f"{tonnes:,.0f} t"  # NaN: no row of the group reports a weight
        print(f"{row.year:>4}  {row.flow:6}  {label:60}  {millions(row.value):>10}  {mass:>14}")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    figure, axes = plt.subplots(figsize=(9, 4.5))
    names = [f"{row.year} {row.flow}\nHS {row.chapter} {labels.get(row.chapter, '')[:28]}" for row in sums.itertuples()]
    values = sums["value"].to_numpy() / 1e6
    colors = ["#2874a6" if flow == "export" else "#cb4335" for flow in sums["flow"]]
    bars = axes.barh(names[::-1], values[::-1], color=colors[::-1])
    for bar, value in zip(bars, values[::-1], strict=True):
        axes.annotate(
            millions(value * 1e6),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=9,
        )
    axes.set_xlabel("Million US dollars")
    axes.set_title(f"{args.csv.name}: trade with {args.partner} by HS chapter (blue: exports, red: imports)")
    axes.set_xlim(0, max(values) * 1.25)
    axes.spines[["top", "right"]].set_visible(False)
    if args.csv == SAMPLE:
        figure.text(0.01, -0.03, "Synthetic sample data: every figure is invented.", fontsize=8, color="#555555")
    save(figure, args.out, "comtrade_by_chapter.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

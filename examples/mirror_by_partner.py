"""Chart the DPRK's mirror trade by partner from a UN Comtrade file.

The DPRK reports no trade statistics: its trade is read from its partners'
reports (mirror statistics). This script reads a Comtrade file, mirrors the
rows whose partner is the DPRK (nkru.TradeTable.mirror: a partner's imports
from it become its exports, and the reverse), prints the DPRK's exports,
imports and balance per year and its largest partners, and draws
mirror_by_partner.png: exports and imports per year, stacked by partner.

By default it reads the real Comtrade Classic file of ../shared (every
reporter's trade with the DPRK, 2003-2007) where that folder exists, else the
synthetic sample shipped in examples/data/ (one reporter only).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from _common import NO_MATPLOTLIB, make_parser, millions, pyplot, save, thousands

import nkru

HERE = Path(__file__).resolve().parent
CLASSIC = HERE.parent.parent / "shared" / "data" / "comtrade" / "classic_partners-PRK-KOR-JPN-USA_TOTAL_2003-2007.csv"
SAMPLE = HERE / "data" / "comtrade_sample.csv"
OTHERS = "others"


def signed(value: float) -> str:
    """A balance in millions: -635851962.0 is '-$635.85M'."""
    return f"-{millions(-value)}" if value < 0 else millions(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    default = CLASSIC if CLASSIC.is_file() else SAMPLE
    parser.add_argument("--csv", type=Path, default=default, help=f"a Comtrade file (default: {default.name})")
    parser.add_argument("--of", default="PRK", help="the country to mirror (default: PRK)")
    parser.add_argument("--top", type=int, default=6, help="how many partners to chart apart (default: 6)")
    parser.add_argument("--cif-fob", type=float, default=1.0, help="CIF/FOB factor for its exports (default: 1.0)")
    args = parser.parse_args(argv)
    try:
        table = nkru.read_comtrade(args.csv)
        # One sum may add only annual totals over all goods: the file's TOTAL rows, no chapters or months.
        mirror = table.select(level="total", freq="A").mirror(args.of, cif_fob=args.cif_fob)
        balance = mirror.balance(["year"], missing="zero")
        largest = mirror.top(max(args.top, 1), by=["partner"])
        by_partner = mirror.group_sum(["year", "flow", "partner"])
    except (OSError, nkru.NkruError) as exc:
        print(f"cannot mirror {args.of} from {args.csv}: {exc}", file=sys.stderr)
        return 2
    partners = largest["partner"].astype(str).tolist()
    count = by_partner["partner"].nunique()
    print(
        f"Mirror trade of {args.of} from {args.csv.name}: {len(mirror)} partner-reported rows, "
        f"{count} partner{'' if count == 1 else 's'}, values in {', '.join(mirror.currencies)} "
        f"(CIF/FOB factor {args.cif_fob:g})."
    )
    print(f"\n{'year':>4}  {'exports':>10}  {'imports':>10}  {'balance':>11}")
    for row in balance.itertuples(index=False):
        print(f"{row.year:>4}  {millions(row.exports):>10}  {millions(row.imports):>10}  {signed(row.balance):>11}")
    print(f"\nLargest partners over all years (exports and imports): {', '.join(partners)}")
    frame = by_partner.assign(flow=by_partner["flow"].astype(str), partner=by_partner["partner"].astype(str))
    frame["partner"] = frame["partner"].where(frame["partner"].isin(partners), OTHERS)
    stacked = frame.pivot_table(index=["flow", "year"], columns="partner", values="value", aggfunc="sum")
    stacked = stacked.reindex(columns=[*partners, OTHERS]).dropna(axis=1, how="all")
    shares = stacked.div(stacked.sum(axis=1), axis=0) * 100  # a partner that reports nothing is left out, not 0
    for flow in ("export", "import"):
        if flow not in stacked.index.get_level_values("flow"):
            continue
        print(f"\n{args.of}'s {flow}s by partner (share of the year's total):")
        for year, row in stacked.loc[flow].iterrows():
            parts = [
                f"{name} {millions(value)} ({shares.loc[(flow, year), name]:.1f}%)"
                for name, value in row.items()
                if not math.isnan(value)
            ]
            print(f"  {year}: {'; '.join(parts)}")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    draw(plt, stacked.fillna(0.0), args)
    return 0


def draw(plt: Any, stacked: pd.DataFrame, args: argparse.Namespace) -> None:
    """Exports and imports per year, one panel each, stacked by partner."""
    figure, panels = plt.subplots(1, 2, figsize=(11, 4.8), sharey=True)
    colors = plt.get_cmap("tab10").colors
    names = list(stacked.columns)
    palette = {name: ("#b3b3b3" if name == OTHERS else colors[i % len(colors)]) for i, name in enumerate(names)}
    for axes, flow in zip(panels, ("export", "import"), strict=True):
        if flow not in stacked.index.get_level_values("flow"):
            axes.set_title(f"{flow}s: none reported")
            continue
        part = stacked.loc[flow] / 1e6
        bottom = pd.Series(0.0, index=part.index)
        for name in names:
            axes.bar(part.index.astype(str), part[name], bottom=bottom, color=palette[name], label=name)
            bottom += part[name]
        axes.set_title(f"{args.of}'s {flow}s, as its partners report them")
        axes.set_xlabel("year")
        axes.spines[["top", "right"]].set_visible(False)
    panels[0].set_ylabel("Million US dollars")
    thousands(panels[0])
    panels[1].legend(title="partner", frameon=False, bbox_to_anchor=(1.0, 1.0), loc="upper left")
    note = (
        f"Source: UN Comtrade, {args.csv.name}; partners' reports (mirror statistics), CIF/FOB factor {args.cif_fob:g}."
    )
    if args.csv == SAMPLE:
        note += " Synthetic sample data: every figure is invented."
    figure.text(0.01, -0.04, note, fontsize=8, color="#555555")
    save(figure, args.out, "mirror_by_partner.png")


if __name__ == "__main__":
    raise SystemExit(main())

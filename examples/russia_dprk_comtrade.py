"""Chart Russia's reported exports to and imports from North Korea by year, from a UN Comtrade file.

Reads a Comtrade download as published (Plus, Classic, bulk or API JSON: nkru
recognises the layout), keeps what Russia reports of its trade with the DPRK
(reporter RUS, partner PRK), annual rows and totals over customs procedure,
transport mode and second partner, all goods (TOTAL; if the file has no TOTAL rows,
the two-digit HS chapters, which add up to it), and sums exports and imports by year.
Prints the series and draws russia_dprk_comtrade.png. Another pair of countries can be
chosen with --reporter and --partner.

    python examples/russia_dprk_comtrade.py path/to/comtrade.csv --out nkru-output
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import NO_MATPLOTLIB, make_parser, millions, pyplot, save

import nkru

COLORS = {"export": "#2874a6", "import": "#cb4335"}
NAMES = {"RUS": "Russia", "PRK": "North Korea (DPRK)"}


def signed(value: float) -> str:
    """An amount in millions of US dollars with its sign before the dollar: -2e6 is '-$2M'."""
    return "" if math.isnan(value) else ("-" if value < 0 else "") + millions(abs(value))


def series(table: nkru.TradeTable, reporter: str, partner: str) -> tuple[Any, str]:
    """Exports and imports of ``reporter`` with ``partner`` by year, in USD, and which commodity rows were added.

    Returns:
        A DataFrame indexed by year with the columns ``export`` and ``import``
        (NaN where the file has no such row), and ``"TOTAL"`` or ``"chapters"``.

    Raises:
        LookupError: the file has no annual row of that reporter and partner.
    """
    pair = table.select(reporters=[reporter], partners=[partner], freq="A", breakdowns="total")
    pair = pair.select(flows=["export", "import"])
    if len(pair) == 0:
        raise LookupError(f"the file has no annual export or import reported by {reporter} with partner {partner}")
    rows = pair.select(level="total")
    kind = "TOTAL"
    if len(rows) == 0:
        rows, kind = pair.select(level=2), "chapters"
        if len(rows) == 0:
            raise LookupError(f"the file has rows of {reporter} with {partner}, but neither TOTAL nor HS chapters")
    sums = rows.convert_currency("USD").group_sum(["year", "flow"])
    sums["flow"] = sums["flow"].astype(str)
    table_by_year = sums.pivot(index="year", columns="flow", values="value")
    return table_by_year.reindex(columns=["export", "import"]), kind


def draw(plt: Any, by_year: Any, title: str, note: str) -> Any:
    """Draw exports and imports side by side for each year, each bar labelled with its value."""
    years = [int(year) for year in by_year.index]
    figure, axes = plt.subplots(figsize=(max(6.0, 1.3 * len(years) + 2), 4.5))
    width = 0.38
    for offset, flow in ((-width / 2, "export"), (width / 2, "import")):
        values = by_year[flow].to_numpy() / 1e6
        drawn = axes.bar([year + offset for year in years], values, width=width, color=COLORS[flow], label=f"{flow}s")
        for bar, value in zip(drawn, values, strict=True):
            if not math.isnan(value):
                axes.annotate(
                    millions(value * 1e6),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    xytext=(0, 2),
                    textcoords="offset points",
                    fontsize=8,
                )
    axes.set_xticks(years, [str(year) for year in years])
    axes.set_ylabel("Million US dollars (current)")
    axes.set_title(title, fontsize=10)
    axes.legend(frameon=False, loc="upper left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(0.01, -0.03, note, fontsize=8, color="#555555")
    return figure


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a UN Comtrade file (CSV, gzip TSV or API JSON) as downloaded")
    parser.add_argument("--reporter", default="RUS", help="code of the reporting country (default: RUS)")
    parser.add_argument("--partner", default="PRK", help="code of the partner (default: PRK)")
    args = parser.parse_args(argv)
    try:
        table = nkru.read_comtrade(args.path)
    except (OSError, nkru.NkruError) as exc:
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    print(f"Read {len(table)} rows from {args.path.name} (Comtrade {table.layout} layout, {table.encoding}).")
    try:
        by_year, kind = series(table, args.reporter, args.partner)
    except LookupError as exc:
        print(f"nothing to chart: {exc}", file=sys.stderr)
        return 2
    what = "all goods (TOTAL)" if kind == "TOTAL" else "the sum of its two-digit HS chapters (the file has no TOTAL)"
    print(f"{args.reporter}'s trade with {args.partner} as {args.reporter} reports it, by year, {what}:\n")
    print(f"{'year':>4}  {'exports':>12}  {'imports':>12}  {'balance':>12}")
    for year, row in by_year.iterrows():
        cells = [signed(value) for value in (row["export"], row["import"], row["export"] - row["import"])]
        print(f"{year:>4}  {cells[0]:>12}  {cells[1]:>12}  {cells[2]:>12}")
    print("\nBalance = exports - imports (derived). Exports are usually valued FOB, imports CIF.")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    reporter, partner = (NAMES.get(code, code) for code in (args.reporter, args.partner))
    title = f"{reporter}'s exports to and imports from {partner}, as {reporter} reports them"
    note = f"Source: UN Comtrade, {args.path.name}; current US dollars, {what}."
    figure = draw(plt, by_year, title, note)
    save(figure, args.out, "russia_dprk_comtrade.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load a CSV in the UN Comtrade layout and aggregate it by HS chapter.

Reads a Comtrade file (your own download, or the synthetic sample shipped in
examples/data/), keeps the rows with one partner (North Korea by default) at the
two-digit HS chapter level, annual (so no figure is counted twice across levels
or periods), and sums value and net weight by year, flow and chapter, vectorized.
Prints every sum, and draws the --top largest in comtrade_by_chapter.png, with a
note of what the others add up to, by flow.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from _common import NO_MATPLOTLIB, make_parser, millions, pyplot, save

import nkru

SAMPLE = Path(__file__).resolve().parent / "data" / "comtrade_sample.csv"
TOP = 20
COLORS = {"export": "#2874a6", "import": "#cb4335", "re_export": "#7fb3d5", "re_import": "#f1948a"}
#: Height of one bar's row in inches: a 9-point label is 0.125 in, so labels keep space between them.
ROW_INCHES = 0.3


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return number


class Bar(NamedTuple):
    """A bar: its label, its flow, its value in USD, and how many groups it sums (1 for a group of its own)."""

    label: str
    flow: str
    value: float
    groups: int = 1


def clipped(text: str, most: int = 52) -> str:
    """``text`` cut to ``most`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= most else text[: most - 1] + "…"


def bars(sums: Any, labels: dict[str, str], top: int) -> tuple[list[Bar], list[Bar]]:
    """The bars to draw, largest first, and the rest added up by flow.

    The ``top`` largest groups get a bar each; the others are added up by flow
    (exports with exports, over years and chapters), one sum per flow, which
    the chart states in a note rather than as bars that would dwarf the rest.
    Groups whose rows state no value are left out.
    """
    ordered = sums[sums["value"].notna()].sort_values("value", ascending=False, kind="stable")
    drawn = [
        Bar(
            clipped(f"{row.year} {row.flow} · HS {row.chapter} {labels.get(row.chapter, '')}"), str(row.flow), row.value
        )
        for row in ordered.head(top).itertuples(index=False)
    ]
    rest = ordered.iloc[top:]
    summed = []
    for flow in dict.fromkeys(str(flow) for flow in rest["flow"]):
        group = rest[rest["flow"].astype(str) == flow]
        summed.append(Bar(f"{len(group)} smaller {flow} groups", flow, float(group["value"].sum()), len(group)))
    return drawn, summed


def draw(plt: Any, drawn: list[Bar], rest: list[Bar], title: str, footnote: str = "") -> Any:
    """Draw the bars as horizontal bars, largest on top, in a figure as tall as its rows need.

    Below the axes, a note says what the ``rest`` add up to, then ``footnote``.
    """
    figure, axes = plt.subplots(figsize=(10, 1.4 + ROW_INCHES * len(drawn)))
    upward = drawn[::-1]
    values = [bar.value / 1e6 for bar in upward]
    shown = axes.barh(range(len(upward)), values, color=[COLORS.get(bar.flow, "#7f8c8d") for bar in upward])
    for bar, value in zip(shown, values, strict=True):
        axes.annotate(
            millions(value * 1e6),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=9,
        )
    axes.set_yticks(range(len(upward)), [bar.label for bar in upward], fontsize=9)
    axes.set_ylim(-0.6, len(upward) - 0.4)
    axes.set_xlabel("Million US dollars")
    axes.set_title(title, fontsize=10, loc="left")
    axes.set_xlim(0, max(values) * 1.2 or 1.0)  # 1.0: every value 0, where matplotlib would warn of an empty range
    axes.spines[["top", "right"]].set_visible(False)
    notes = [footnote] if footnote else []
    if rest:
        notes.insert(0, "Not drawn: " + "; ".join(f"{bar.label}, {millions(bar.value)} in all" for bar in rest) + ".")
    if notes:
        # "$" escaped: two of them in one text would make matplotlib set the words between as a formula.
        axes.annotate(
            "\n".join(notes).replace("$", r"\$"),
            (0, 0),
            xycoords="axes fraction",
            xytext=(0, -40),
            textcoords="offset points",
            va="top",
        )
    return figure


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=SAMPLE, help="a Comtrade-layout CSV (default: the shipped sample)")
    parser.add_argument("--partner", default="PRK", help="code of the partner to keep (default: PRK)")
    parser.add_argument(
        "--top", type=positive, default=TOP, help=f"groups drawn one bar each, the rest summed by flow (default: {TOP})"
    )
    args = parser.parse_args(argv)
    try:
        table = nkru.read_comtrade(args.csv)
    except (OSError, nkru.NkruError) as exc:
        print(f"cannot read {args.csv}: {exc}", file=sys.stderr)
        return 2
    print(
        f"Read {len(table)} rows from {args.csv.name}: {', '.join(table.currencies)} values, mass in {table.mass_unit}."
    )
    # One sum may add only rows of one level and frequency: annual two-digit chapters, no TOTAL, headings or months.
    chapters = table.select(partners=[args.partner], level=2, freq="A", breakdowns="total")
    if len(chapters) == 0:
        partners = sorted(set(table.to_frame()["partner"].astype(str)))
        if args.partner in partners:
            why = f"has rows with partner {args.partner}, but none of an annual two-digit HS chapter"
        else:
            why = f"has no rows with partner {args.partner}; its partners are {', '.join(partners) or 'none'}"
        print(f"nothing to sum: {args.csv.name} {why}", file=sys.stderr)
        return 2
    print(
        f"Kept {len(chapters)} rows: partner {args.partner}, annual two-digit HS chapters"
        " (TOTAL, headings and months left out).\n"
    )
    sums = chapters.convert_currency("USD").group_sum(["year", "flow", "chapter"])
    kept = chapters.to_frame()
    labels = kept.drop_duplicates("hs").set_index("hs")["commodity"].astype(str).to_dict()
    print(f"{'year':>4}  {'flow':6}  {'HS chapter':60}  {'value':>10}  {'net weight':>14}")
    for row in sums.itertuples(index=False):
        label = f"{row.chapter} {labels.get(row.chapter, '')}"[:60]
        mass = ""  # NaN: no row of the group states a weight
        if not math.isnan(row.mass):
            mass = f"{nkru.to_unit(nkru.quantity(row.mass, sums.attrs['units']['mass']), 't').magnitude:,.0f} t"
        value = "" if math.isnan(row.value) else millions(row.value)
        print(f"{row.year:>4}  {row.flow:6}  {label:60}  {value:>10}  {mass:>14}")

    plt = pyplot()
    if plt is None:
        print(NO_MATPLOTLIB)
        return 0
    drawn, rest = bars(sums, labels, args.top)
    if not drawn:
        print("No chart: no group states a value.")
        return 0
    title = f"{args.csv.name}: trade with {args.partner} by HS chapter (blue: exports, red: imports)"
    if len(sums) > args.top:
        title += f"\nthe {args.top} largest of {len(sums)} groups"
    footnote = "Synthetic sample data: every figure is invented." if args.csv == SAMPLE else ""
    figure = draw(plt, drawn, rest, title, footnote)
    save(figure, args.out, "comtrade_by_chapter.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Does the text agree with what Russia reported to UN Comtrade?

Reads a Comtrade file (by default the shared Classic file of partners' trade with
the DPRK, 2003-2007, present on development machines as ../shared) and runs
nkru.check(dataset, against=table): every trade figure the text states is set
beside the figure its reporter gave Comtrade for the same flow, parties and
period, or for the calendar year a partial period lies in, scaled by days. It
prints each comparison with the ratio and which side covers what.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from _common import make_parser

import nkru
from nkru import Severity

CLASSIC = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "comtrade"
    / "classic_partners-PRK-KOR-JPN-USA_TOTAL_2003-2007.csv"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=None, help="a Comtrade file (default: the shared Classic file)")
    args = parser.parse_args(argv)
    path = args.csv or CLASSIC
    if args.csv is None and not CLASSIC.is_file():
        print(f"No Comtrade file: {CLASSIC} is not here (a fresh clone has no ../shared).")
        print("Download Russia's trade with the DPRK from UN Comtrade and pass it with --csv FILE.")
        return 0
    try:
        table = nkru.read_comtrade(path)
    except (OSError, nkru.NkruError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    report = nkru.check(nkru.load_seed_dataset(), against=table)
    print(f"The text's trade figures against {path.name} ({len(table)} rows):")
    if not report.findings:
        print("no figure of the text has a reported counterpart in this file.")
        return 0
    counts = report.counts
    print(
        f"{counts[Severity.OK]} agree or fit, {counts[Severity.DIFFERS]} differ, "
        f"{counts[Severity.WARNING]} cannot be compared.\n"
    )
    for finding in report.findings:
        print(f"[{finding.severity.value.upper()}] {finding.message}")
        for quote in finding.quotes:
            print(f"    > {quote}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where does the source contradict itself?

Runs nkru.check on the seed dataset: it recomputes every claim the text makes about
its own figures (percent changes, "dropped", "jumped", shares) and general
coherence rules, and prints what contradicts, what is suspicious and what holds,
with the numbers and the words involved. --strict exits 1 when there are errors.
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import make_parser

import nkru
from nkru import Severity


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also list the findings that hold")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when the report has errors")
    args = parser.parse_args(argv)
    report = nkru.check(nkru.load_seed_dataset())
    counts = report.counts
    errors, warnings, ok = (counts[severity] for severity in (Severity.ERROR, Severity.WARNING, Severity.OK))
    print(
        f"{plural(len(report.findings), 'finding')}: {plural(errors, 'error')}, {plural(warnings, 'warning')},", end=" "
    )
    print(f"{ok} confirmed.\n")
    shown = [Severity.ERROR, Severity.WARNING] + ([Severity.OK] if args.all else [])
    for severity in shown:
        for finding in report.of(severity):
            print(f"[{severity.value.upper()}] {finding.rule.value.replace('_', ' ')}: {', '.join(finding.record_ids)}")
            print(f"  {finding.message}")
            for quote in finding.quotes:
                print(f"    > {quote}")
            print()
    if not args.all:
        print(f"Run with --all to list the {counts[Severity.OK]} findings that hold.")
    return 1 if args.strict and report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

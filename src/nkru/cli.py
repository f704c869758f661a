"""The ``nkru`` command line (also ``python -m nkru``).

Commands:

- ``nkru summary``: the timeline of the seed dataset, one line per record;
- ``nkru check [--format text|json] [--strict] [--against FILE]``: the
  consistency report on the seed dataset; ``--strict`` exits 1 when it has
  errors; ``--against`` sets its trade figures against a Comtrade file's
  instead;
- ``nkru convert TEXT --to UNIT|CURRENCY [--on WHEN] [--constant-dollars YEAR]
  [--digits N] [--redenominate]``: an amount as a text writes it, in another
  unit, or in another currency at the rates of a year, a date or a period,
  optionally restated in constant US dollars of another year; results are
  printed to the significant digits of the amount unless ``--digits`` asks
  for more;
- ``nkru export --format json|csv [--out FILE]``: the seed dataset for other
  programs, on standard output or written atomically to a file;
- ``nkru show RECORD_ID``: one record with its fields and quotes.

Output meant for programs (``--format json``, ``export``) goes to standard
output unadorned. Bad arguments and unreadable input print one line on
standard error and exit with status 2; nkru never shows a traceback for them.

>>> main(["convert", "830,000 tons", "--to", "kg"])
830,000 tons = 830 million kg
0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Final, NoReturn

from nkru import __version__, formatting
from nkru._core.deprecation import moved_names
from nkru._core.tables import write_text_atomically
from nkru._core.text import clip, shown
from nkru.checks import check
from nkru.dataset import AnyRecord, Claim, Dataset
from nkru.errors import CurrencyNotInCirculationError, NkruError, UnitMismatchError
from nkru.fx import convert_currency

# Bound privately: nkru.cli.dataset_csv is the deprecated alias that __getattr__ serves, with its warning.
from nkru.io.dataset import dataset_csv as _dataset_csv
from nkru.measures import Measure
from nkru.parsing import parse_measure, parse_period
from nkru.periods import Period
from nkru.prices import to_constant_dollars
from nkru.records import Event, Shipment, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.serialization import to_json
from nkru.units import CURRENCIES, ROUBLES, currency_of, format_unit

__all__ = ["main"]

#: The dataset's CSV moved to nkru.io.dataset, where a library user finds it without the command line.
__getattr__ = moved_names(__name__, {name: f"nkru.io.dataset:{name}" for name in ("CSV_COLUMNS", "dataset_csv")})

#: Exit statuses: success, findings under ``--strict``, bad usage or input.
EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_USAGE: Final = 2

#: The longest error line printed; a 100 kB argument gives a readable message.
_MAX_MESSAGE: Final = 400

#: The most significant digits --digits asks for: a float holds 15 to 17.
_MAX_DIGITS: Final = 15


class UsageError(NkruError, ValueError):
    """The command line was wrong: an unknown option, a missing argument, a bad value."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exception, not usage text and an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (try '{self.prog} --help')")


def _one_line(text: str) -> str:
    """Make ``text`` a single, bounded line for standard error."""
    return clip(" ".join(text.split()), _MAX_MESSAGE)


# -- summary ----------------------------------------------------------------------------------


def _period_text(period: Period) -> str:
    return ("~" if period.approximate else "") + str(period)


def _timeline_rows(dataset: Dataset) -> list[tuple[str, str, str, str]]:
    """One row per dated record, in time order: period, id, figure, what."""
    dated: list[tuple[Period, str, AnyRecord]] = []
    for record in dataset:
        period = getattr(record, "period", None)
        if isinstance(period, Period):
            dated.append((period, record.id, record))
    dated.sort(key=lambda item: (item[0].start, item[0].end, item[1]))
    return [
        (
            _period_text(period),
            record.id,
            formatting.main_figure(record),
            formatting.headline(record),
        )
        for period, _, record in dated
    ]


def _table(
    rows: Sequence[Sequence[str]], header: Sequence[str], widths: Sequence[int], last: int | None = None
) -> Iterator[str]:
    """Lay ``rows`` out in columns of ``widths`` (cut with an ellipsis); the last column is cut at ``last``, if given."""

    def line(row: Sequence[str]) -> str:
        cells = [clip(text, width).ljust(width) for text, width in zip(row[:-1], widths, strict=False)]
        end = row[-1] if last is None else clip(row[-1], last)
        return "  ".join([*cells, end]).rstrip()

    yield line(header)
    yield line(["-" * w for w in widths] + ["-" * len(header[-1])])
    for row in rows:
        yield line(row)


#: The widest the figure column grows: "10% of an unstated earlier level" fits whole.
_FIGURE_WIDTH: Final = 32

#: The narrowest the last column of a table is cut to, however narrow the terminal.
_MIN_LAST: Final = 20

_KINDS: Final = ((TradeFlow, "trade flow"), (Shipment, "shipment"), (Event, "event"), (Claim, "claim"))


def _kinds(records: Iterable[AnyRecord]) -> str:
    """How many records of each kind, in words: "23 trade flows, 10 shipments" (kinds with none left out)."""
    counts = Counter(type(record) for record in records)
    parts = [f"{counts[kind]} {name}{'' if counts[kind] == 1 else 's'}" for kind, name in _KINDS if counts[kind]]
    return ", ".join(parts) or "none"


def _last_column(used: int) -> int | None:
    """The width left for a table's last column: the terminal's (or ``COLUMNS``) minus ``used``; None if unknown.

    Output to a pipe or a file is not cut, unless ``COLUMNS`` says how wide to be.
    """
    columns = shutil.get_terminal_size(fallback=(0, 0)).columns
    return None if columns <= 0 else max(_MIN_LAST, columns - used)


def _cmd_summary(_args: argparse.Namespace, out: IO[str]) -> int:
    dataset = load_seed_dataset()
    rows = _timeline_rows(dataset)
    widths = (
        max([6, *(len(row[0]) for row in rows)]),
        max([2, *(len(row[1]) for row in rows)]),  # ids are never cut: 'nkru show ID' needs them whole
        min(_FIGURE_WIDTH, max([6, *(len(row[2]) for row in rows)])),
    )
    for text in _table(rows, ("period", "id", "figure", "what"), widths, _last_column(sum(widths) + 6)):
        out.write(text + "\n")
    shown = {row[1] for row in rows}
    dated = _kinds(record for record in dataset if record.id in shown)
    undated = _kinds(record for record in dataset if record.id not in shown)
    out.write(f"\n{len(shown)} dated records shown ({dated}); ~ marks an approximate period.\n")
    if len(dataset) > len(shown):
        out.write(f"{len(dataset) - len(shown)} undated records not shown ({undated}).\n")
    out.write("See one record with 'nkru show ID'; check the source's arithmetic with 'nkru check'.\n")
    return EXIT_OK


# -- check ------------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace, out: IO[str]) -> int:
    if args.against is None:
        report = check(load_seed_dataset())
    else:
        # Imported here: the reader imports pandas (about 0.6 s), which the other commands do not need.
        from nkru.io.comtrade import read_comtrade  # noqa: PLC0415

        report = check(load_seed_dataset(), against=read_comtrade(args.against))
    if args.format == "json":
        out.write(to_json(report, indent=2) + "\n")
    else:
        out.write(report.to_text().rstrip("\n") + "\n")
    if args.strict and report.errors:
        return EXIT_FINDINGS
    return EXIT_OK


# -- convert ----------------------------------------------------------------------------------


def _when(text: str | None) -> Period | None:
    return None if text is None else parse_period(text)


def _single_year(period: Period) -> int:
    if period.start.year != period.end.year:
        raise UsageError(f"--constant-dollars needs --on within one year, not {period}")
    return period.start.year


def _convert(measure: Measure, target: str, on: Period | None, *, redenominate: bool) -> tuple[Measure, str]:
    """Convert to a unit or a currency; return the result and how it was done."""
    code = target.strip().upper()
    if code not in CURRENCIES:
        return measure.to(target.strip()), ""
    source = currency_of(measure.units)
    if source is None:
        raise UnitMismatchError(format_unit(measure.units), code)
    if on is not None:  # even to the same currency: the amount's date must fit its currency
        result = convert_currency(measure, code, on=on, redenominate=redenominate)
        return result, "" if source == code or {source, code} <= ROUBLES else f"at the rates of {on}"
    if source == code:
        return measure, ""
    if {source, code} <= ROUBLES:
        return measure.to(code), ""
    raise UsageError(f"converting {source} to {code} needs a date: add --on YEAR (for example --on 1997)")


def _cmd_convert(args: argparse.Namespace, out: IO[str]) -> int:
    on = _when(args.on)
    measure = parse_measure(args.text, on=on)  # plain "roubles" are the rouble of --on's date
    try:
        result, how = _convert(measure, args.to, on, redenominate=args.redenominate)
    except CurrencyNotInCirculationError as exc:  # the same error, naming the option as typed here
        raise CurrencyNotInCirculationError(
            exc.currency, exc.when, exc.circulated, exc.instead, option="--redenominate"
        ) from None
    digits = args.digits  # None: the digits the input was stated to (nkru.formatting.stated_digits)
    written = formatting.format_measure(result, digits)
    if args.constant_dollars is None:
        out.write(f"{args.text} = {written}{f' ({how})' if how else ''}\n")
        return EXIT_OK
    if currency_of(result.units) != "USD":
        raise UsageError("--constant-dollars restates US dollars: use --to USD")
    if on is None:
        raise UsageError("--constant-dollars needs --on YEAR: the year the dollars are of")
    year = _single_year(on)
    constant = formatting.format_measure(to_constant_dollars(result, year, args.constant_dollars), digits)
    # The input is written once: "100 USD in 1995 dollars = ...", not "100 USD = 100 USD = ...".
    start = (
        f"{args.text} in {year} dollars" if currency_of(measure.units) == "USD" else f"{args.text} = {written} ({how})"
    )
    out.write(f"{start} = {constant} in {args.constant_dollars} dollars (US CPI-U)\n")
    return EXIT_OK


# -- export -----------------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace, out: IO[str]) -> int:
    dataset = load_seed_dataset()
    text = to_json(dataset, indent=2) + "\n" if args.format == "json" else _dataset_csv(dataset)
    if args.out is None:
        out.write(text)
        return EXIT_OK
    target = Path(args.out)
    if target.is_dir():
        raise UsageError(f"--out {args.out!r} is a folder; give a file name")
    try:
        write_text_atomically(target, text)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out!r}: {exc.strerror or exc}") from None
    sys.stderr.write(f"wrote {len(dataset)} records to {args.out}\n")
    return EXIT_OK


# -- show -------------------------------------------------------------------------------------


def _cmd_show(args: argparse.Namespace, out: IO[str]) -> int:
    record = load_seed_dataset().get(args.record_id)
    out.write(f"{record.id} ({formatting.record_kind(record)})\n")
    rows = formatting.record_fields(record)
    width = max((len(name) for name, _ in rows), default=0)
    for name, text in rows:
        out.write(f"  {name.ljust(width)}  {text}\n")
    if record.sources:
        out.write("quotes:\n")
        for source in record.sources:
            out.write(f'  "{source.quote}"  [{source.document}, characters {source.start}–{source.end}]\n')
    if record.notes:
        out.write("notes:\n")
        for note in record.notes:
            out.write(f"  - {note}\n")
    if record.inferred:
        out.write(f"inferred (not stated in the text): {', '.join(record.inferred)}\n")
    return EXIT_OK


# -- to-parquet -------------------------------------------------------------------------------


def _cmd_to_parquet(args: argparse.Namespace, out: IO[str]) -> int:
    import nkru.dask  # noqa: PLC0415 - the optional dask extra: the other commands run without it

    with contextlib.ExitStack() as stack:
        if args.scheduler is not None:
            import distributed  # noqa: PLC0415 - installed with the dask extra

            connect: Callable[..., contextlib.AbstractContextManager[object]] = distributed.Client
            try:
                stack.enter_context(connect(args.scheduler, timeout=30))
            except OSError as exc:
                raise UsageError(f"cannot connect to the Dask scheduler {shown(args.scheduler)}: {exc}") from None
        table = nkru.dask.read_comtrade(args.source)
        written = table.to_parquet(args.folder, partition_by=("year", "reporter"), progress=True)
    out.write(f"wrote {len(written)} Parquet files under {args.folder} (year=YYYY/reporter=XXX/)\n")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------


def _digits(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= _MAX_DIGITS):
        raise argparse.ArgumentTypeError(
            f"expected significant digits from 1 to {_MAX_DIGITS}, got {shown(_one_line(text))}"
        )
    return int(text)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"expected a four-digit year, got {shown(_one_line(text))}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``nkru`` command."""
    parser = _Parser(
        prog="nkru",
        description="Data, units, currencies and checks for the economic relations of North Korea and Russia.",
        epilog="Run 'nkru COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"nkru {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")

    summary = commands.add_parser("summary", help="the timeline of the seed dataset", description=_doc(_cmd_summary))
    summary.set_defaults(handler=_cmd_summary)

    checker = commands.add_parser("check", help="the consistency report on the source", description=_doc(_cmd_check))
    checker.add_argument(
        "--format", choices=("text", "json"), default="text", help="text for people, json for programs"
    )
    checker.add_argument("--strict", action="store_true", help="exit with status 1 when the report has errors")
    checker.add_argument(
        "--against",
        metavar="FILE",
        help="set the text's trade figures against the reported ones of a Comtrade file (nkru.read_comtrade)",
    )
    checker.set_defaults(handler=_cmd_check)

    convert = commands.add_parser(
        "convert",
        help="convert an amount to another unit or currency",
        description=_doc(_cmd_convert),
        epilog='Examples: nkru convert "4.5 billion RUR" --to USD --on 1997; nkru convert "830,000 tons" --to kg',
    )
    convert.add_argument("text", help='the amount as a text writes it, e.g. "US$1.97 billion" or "830,000 tons"')
    convert.add_argument("--to", required=True, metavar="UNIT|CURRENCY", help="a unit (t, kg, ha) or currency (USD)")
    convert.add_argument(
        "--on", metavar="WHEN", help='the year, date or period of the rates: 1997, 2011-08-19, "2005-Q1"'
    )
    convert.add_argument(
        "--constant-dollars", type=_year, metavar="BASE_YEAR", help="restate US dollars of --on's year in BASE_YEAR's"
    )
    convert.add_argument(
        "--digits",
        type=_digits,
        metavar="N",
        help="significant digits to print (default: as many as the amount was written with)",
    )
    convert.add_argument(
        "--redenominate",
        action="store_true",
        help="convert an amount dated outside its currency's years (new roubles before 1998) instead of refusing",
    )
    convert.set_defaults(handler=_cmd_convert)

    export = commands.add_parser("export", help="the seed dataset as JSON or CSV", description=_doc(_cmd_export))
    export.add_argument("--format", choices=("json", "csv"), required=True, help="json (lossless) or csv (flat)")
    export.add_argument("--out", metavar="FILE", help="write to FILE atomically instead of standard output")
    export.set_defaults(handler=_cmd_export)

    show = commands.add_parser("show", help="one record with its quotes", description=_doc(_cmd_show))
    show.add_argument("record_id", metavar="RECORD_ID", help="a record id, as 'nkru summary' lists them")
    show.set_defaults(handler=_cmd_show)

    to_parquet = commands.add_parser(
        "to-parquet",
        help="Comtrade files to Parquet by year and reporter (needs nkru[dask])",
        description=_doc(_cmd_to_parquet),
        epilog='Example: nkru to-parquet "bulk/*.gz" comtrade-parquet',
    )
    to_parquet.add_argument("source", help='the files: a glob ("bulk/*.gz"), a folder or a file')
    to_parquet.add_argument("folder", help="the folder to write the year=YYYY/reporter=XXX/ files in")
    to_parquet.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler to run on (tcp://host:8786); else this machine"
    )
    to_parquet.set_defaults(handler=_cmd_to_parquet)
    return parser


_DESCRIPTIONS: Final[dict[str, str]] = {
    "_cmd_summary": "Print the seed dataset as a timeline: period, record id, what, and the headline figure.",
    "_cmd_check": (
        "Recompute the source's own claims (percent changes, directions, shares) from its records and report "
        "what holds and what does not, with the numbers. With --against FILE, set the source's trade figures "
        "against the reported ones of a Comtrade file instead."
    ),
    "_cmd_convert": (
        "Read an amount as trade texts write it and convert it: to another unit (t, kg, ha), to another currency "
        "at the dated exchange rates nkru ships (--on), and to constant US dollars (--constant-dollars). Results "
        "have as many significant digits as the amount (--digits for more); plain 'roubles' are the rouble of "
        "--on's date (RUR before 1998), and money dated outside its currency's years is refused."
    ),
    "_cmd_export": "Write the seed dataset as JSON (nkru.to_json, lossless) or CSV (one row per record).",
    "_cmd_show": "Print one record: its fields, the exact words it was read from, and how it was read.",
    "_cmd_to_parquet": (
        "Read Comtrade files (bulk .gz, CSV) with nkru's checks, on Dask, and write them as Parquet files "
        "partitioned by year and reporter, showing a progress bar; nkru.dask.read_comtrade reads the folder back."
    ),
}


def _doc(handler: Callable[..., int]) -> str:
    return _DESCRIPTIONS[handler.__name__]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``nkru`` command with ``argv`` (the process's arguments if None); return the exit status."""
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version end parsing this way
            return exc.code if isinstance(exc.code, int) else EXIT_OK
        handler: Callable[[argparse.Namespace, IO[str]], int] = args.handler
        return handler(args, sys.stdout)
    except NkruError as exc:
        # Expected failures (bad input, no rate, an unknown id) are one line, never a traceback.
        # Anything else is a bug in nkru and keeps its traceback so it can be reported.
        sys.stderr.write(_one_line(f"nkru: error: {exc}") + "\n")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``nkru export --format csv | head``): stop quietly.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: PTH123, SIM115 - silence the flush at exit
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

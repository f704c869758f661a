"""Price-index tables in and out: CSV for :class:`nkru.prices.PriceIndex`.

Private: :class:`~nkru.prices.PriceIndex`' ``from_csv`` and ``to_csv`` are
the public face, and call these, as :class:`~nkru.fx.ExchangeRates` calls
:mod:`nkru.fx._io`. Each cell goes through the checks of
:class:`~nkru.prices.IndexPoint`'s fields, and every bad one is reported
together by its line and column, so the index class holds no format
concerns. The readers return points and the writer takes them, so this
module never imports :mod:`nkru.prices`. :func:`from_bls` reads the two
BLS publications nkru's shipped CPI-U table is built from.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from nkru._core.tables import Problems, TableInput, read_rows, read_text, write_text_atomically
from nkru._core.text import cell_reason, shown
from nkru.errors import ValidationError
from nkru.prices._points import IndexPoint, checked_text, to_value, to_year

__all__ = ["COLUMNS", "csv_text", "from_bls", "from_csv"]

COLUMNS: Final = ("year", "index", "source")
"""The columns of a price-index table, in the order :func:`csv_text` writes them."""


def from_csv(source: TableInput) -> list[IndexPoint]:
    """Read an index's points from CSV; see :meth:`nkru.prices.PriceIndex.from_csv`."""
    problems = Problems("PriceIndex")
    points: list[IndexPoint] = []
    seen: dict[int, int] = {}
    for line, row in read_rows(read_text(source, "PriceIndex"), problems, required=COLUMNS):
        values: dict[str, Any] = {}
        for column, check in (("year", to_year), ("index", to_value), ("source", checked_text)):
            try:
                values[column] = check(row[column])
            except ValidationError as exc:
                problems.add(f"line {line}, column {column!r}", f"{exc.reason} (got {shown(row[column])})")
        if len(values) < len(COLUMNS):
            continue
        if values["year"] in seen:
            problems.add(f"line {line}, column 'year'", f"repeats the year on line {seen[values['year']]}")
            continue
        seen[values["year"]] = line
        points.append(IndexPoint(values["year"], values["index"], values["source"]))
    problems.raise_if_any()
    return points


#: BLS rounds annual averages to one decimal before 2007 and to three from 2007.
_BLS_THREE_DECIMALS: Final = 2007
_BLS_TABLE_DATE: Final = re.compile(r"\s*(\d{2})-(\d{2})-(\d{4})\s")
_BLS_AVERAGE_FIELD: Final = 13  # Year, Jan. ... Dec., then Annual Avg.


def from_bls(source: TableInput, source_id: str | None) -> list[IndexPoint]:
    """Read annual averages from a BLS CPI file; see :meth:`nkru.prices.PriceIndex.from_bls`."""
    text = read_text(source, "PriceIndex")
    if text.lstrip().startswith("Date,"):
        return _bls_monthly(text, _source_id(source_id, "bls-cpi-u-monthly-mean"))
    dated = _BLS_TABLE_DATE.match(text)
    default = f"bls-cpiai-{dated.group(3)}-{dated.group(1)}-{dated.group(2)}" if dated else "bls-cpiai"
    return _bls_table(text, _source_id(source_id, default))


def _bls_table(text: str, source_id: str) -> list[IndexPoint]:
    """The "Annual Avg." column of a BLS ``cpiai.txt`` table, as published (a year without one is running)."""
    problems = Problems("PriceIndex")
    points: list[IndexPoint] = []
    for line, row in enumerate(text.splitlines(), start=1):
        fields = list(re.finditer(r"\S+", row))
        if not fields or not re.fullmatch(r"\d{4}", fields[0].group()) or len(fields) <= _BLS_AVERAGE_FIELD:
            continue
        cell = fields[_BLS_AVERAGE_FIELD]
        try:
            points.append(IndexPoint(to_year(fields[0].group()), to_value(cell.group()), source_id))
        except ValidationError as exc:
            problems.add(f"line {line}, column {cell.start() + 1}", cell_reason(exc, cell.group()))
    if not points and not problems.found:
        problems.add("line 1", "no year with an annual average: not a BLS cpiai.txt table")
    problems.raise_if_any()
    return _unique(points, problems)


def _bls_monthly(text: str, source_id: str) -> list[IndexPoint]:
    """Annual means of the monthly indexes of a ``Date,Index`` CSV, rounded half-up as BLS publishes.

    A year is the mean of the months published for it (BLS published no
    October 2025 index, and its 2025 average is the mean of eleven); the
    file's last year counts only with all twelve months, as it may be running.
    """
    problems = Problems("PriceIndex")
    months: dict[int, list[Decimal]] = defaultdict(list)
    seen: dict[str, int] = {}
    for line, row in read_rows(text, problems, required=("Date", "Index"), optional=("Inflation",)):
        date = row["Date"].strip()
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-01", date) or date in seen:
            reason = f"repeats line {seen[date]}" if date in seen else "must be the first day of a month, YYYY-MM-01"
            problems.add(f"line {line}, column 'Date'", f"{reason} (got {shown(date)})")
            continue
        seen[date] = line
        try:
            year = to_year(date[:4])
        except ValidationError as exc:  # a year nkru's periods do not reach (0000): the cell's error, located
            problems.add(f"line {line}, column 'Date'", cell_reason(exc, date))
            continue
        try:
            to_value(row["Index"])
        except ValidationError as exc:
            problems.add(f"line {line}, column 'Index'", cell_reason(exc, row["Index"]))
            continue
        months[year].append(Decimal(row["Index"].strip()))
    problems.raise_if_any()
    last = max(months, default=None)
    points = []
    for year, values in sorted(months.items()):
        if year == last and len(values) < 12:
            continue
        step = Decimal("0.001") if year >= _BLS_THREE_DECIMALS else Decimal("0.1")
        mean = (sum(values, Decimal(0)) / len(values)).quantize(step, rounding=ROUND_HALF_UP)
        points.append(IndexPoint(year, float(mean), source_id))
    return points


def _unique(points: list[IndexPoint], problems: Problems) -> list[IndexPoint]:
    years: set[int] = set()
    for point in points:
        if point.year in years:
            problems.add("$", f"the year {point.year} appears twice")
        years.add(point.year)
    problems.raise_if_any()
    return points


def _source_id(given: str | None, default: str) -> str:
    """The source id to tag every point with: ``given``, checked, or the publication's own."""
    return default if given is None else checked_text(given)


def csv_text(points: Iterable[IndexPoint], path: str | os.PathLike[str] | None) -> str:
    """The points as CSV text, also written atomically to ``path`` if given; see :meth:`nkru.prices.PriceIndex.to_csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for point in points:
        writer.writerow((point.year, repr(point.value), point.source))
    text = buffer.getvalue()
    if path is not None:
        write_text_atomically(path, text)
    return text

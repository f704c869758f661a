"""Price-index tables in and out: CSV for :class:`nkru.prices.PriceIndex`.

Private: :class:`~nkru.prices.PriceIndex`' ``from_csv`` and ``to_csv`` are
the public face, and call these, as :class:`~nkru.fx.ExchangeRates` calls
:mod:`nkru.fx._io`. Each cell goes through the checks of
:class:`~nkru.prices.IndexPoint`'s fields, and every bad one is reported
together by its line and column, so the index class holds no format
concerns. The reader returns points and the writer takes them, so this
module never imports :mod:`nkru.prices`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from typing import Any, Final

from nkru._core.tables import Problems, TableInput, read_rows, read_text, write_text_atomically
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.prices._points import IndexPoint, checked_text, to_value, to_year

__all__ = ["COLUMNS", "csv_text", "from_csv"]

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

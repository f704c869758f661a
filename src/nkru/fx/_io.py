"""Exchange-rate tables in and out: CSV, rows and DataFrames for :class:`nkru.fx.ExchangeRates`.

Private: :class:`~nkru.fx.ExchangeRates`' ``from_csv``, ``from_rows``,
``from_dataframe``, ``to_csv`` and ``to_dataframe`` are the public face,
and call these. Each cell goes through the converters
:class:`~nkru.fx.RateQuote` uses, and every bad one is reported together,
by its line and column (CSV) or its path (rows), so the model classes in
:mod:`nkru.fx` hold no format concerns.

The readers return the checked quotes and the base currency, and the
writers take them, so this module never imports :mod:`nkru.fx` (which
imports it): the table is built from quotes, and its formats from the same.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from nkru._core.tables import Problems, TableInput, read_rows, read_text, write_text_atomically
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.fx._fields import check_source, to_quote_period, to_rate
from nkru.fx._quotes import QuoteKey, RateQuote, quote_key, series_of
from nkru.units import check_currency

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "Quotes", "csv_text", "dataframe", "from_csv", "from_dataframe", "from_rows"]

COLUMNS: Final = ("currency", "base", "period", "rate", "source")
"""The columns of a rate table, in the order :func:`csv_text` writes them."""

Quotes = tuple[list[RateQuote], str]
"""What a reader returns and :class:`~nkru.fx.ExchangeRates` is built from, checked quotes
(no two for one currency and period) and the base currency they are quoted against."""


def from_csv(source: TableInput, base: str | None) -> Quotes:
    """Read a table's quotes from CSV; see :meth:`nkru.fx.ExchangeRates.from_csv`."""
    text = read_text(source, "ExchangeRates")
    problems = Problems("ExchangeRates")
    rows = read_rows(text, problems, required=("currency", "period", "rate", "source"), optional=("base",))
    cells = ((f"line {line}, column {{!r}}", f"line {line}", row) for line, row in rows)
    return _build(cells, problems, base)


def from_rows(rows: object, base: str | None) -> Quotes:
    """Check quotes or mappings for a table; see :meth:`nkru.fx.ExchangeRates.from_rows`."""
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        raise ValidationError("rows", rows, "must be an iterable of RateQuote or mappings")
    problems = Problems("ExchangeRates")
    return _build(_row_cells(rows, problems), problems, base)


def from_dataframe(frame: object, base: str | None) -> Quotes:
    """Read a table's quotes from a DataFrame; see :meth:`nkru.fx.ExchangeRates.from_dataframe`."""
    import pandas as pd  # noqa: PLC0415 - pandas is slow to import; only the DataFrame functions need it

    if not isinstance(frame, pd.DataFrame):
        raise ValidationError("frame", type(frame).__name__, "must be a pandas DataFrame")
    repeated = sorted(name for name, count in Counter(str(name) for name in frame.columns).items() if count > 1)
    if repeated:  # to_dict would keep the last such column, with only a warning
        problems = Problems("ExchangeRates")
        for name in repeated:
            problems.add(f"column {shown(name)}", "appears more than once")
        problems.raise_if_any()
    records = frame.to_dict(orient="records")
    return from_rows([{str(key): value for key, value in record.items()} for record in records], base)


def csv_text(quotes: Iterable[RateQuote], base: str, path: str | os.PathLike[str] | None) -> str:
    """The quotes as CSV text, also written atomically to ``path`` if given; see :meth:`nkru.fx.ExchangeRates.to_csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for quote in quotes:
        writer.writerow((quote.currency, base, str(quote.period), repr(quote.rate), quote.source))
    text = buffer.getvalue()
    if path is not None:
        write_text_atomically(path, text)
    return text


def dataframe(quotes: Sequence[RateQuote], base: str) -> pd.DataFrame:
    """The quotes as a DataFrame; see :meth:`nkru.fx.ExchangeRates.to_dataframe`."""
    import pandas as pd  # noqa: PLC0415 - pandas is slow to import; only the DataFrame functions need it

    return pd.DataFrame(
        {
            "currency": [q.currency for q in quotes],
            "base": [base] * len(quotes),
            "period": [str(q.period) for q in quotes],
            "rate": np.array([q.rate for q in quotes], dtype=np.float64),
            "source": [q.source for q in quotes],
        }
    )


def _build(rows: Iterable[tuple[str, str, Mapping[str, object]]], problems: Problems, base: str | None) -> Quotes:
    """Check every row's cells; raise once, listing every bad cell."""
    quotes: list[RateQuote] = []
    seen: dict[QuoteKey, str] = {}
    base_from: str | None = None
    for path, where, row in rows:
        missing = [name for name in ("currency", "period", "rate", "source") if name not in row]
        if missing:
            problems.add(where, f"missing {', '.join(missing)}")
            continue
        if row.get("base") is not None:
            base, base_from = _row_base(row["base"], path, where, problems, base=base, base_from=base_from)
        quote = _quote_or_problems(row, path, problems)
        if quote is None:
            continue
        key = quote_key(quote)
        if key in seen:
            problems.add(path.format("period"), f"{quote.currency} {quote.period} repeats {seen[key]}")
            continue
        seen[key] = where
        quotes.append(quote)
    base = base or "USD"
    for quote in quotes:
        if series_of(quote.currency) == series_of(base):
            problems.add(seen[quote_key(quote)], f"quotes {quote.currency} against the base {base} itself")
    problems.raise_if_any()
    return quotes, base


def _row_cells(
    rows: Iterable[RateQuote | Mapping[str, object]], problems: Problems
) -> Iterator[tuple[str, str, Mapping[str, object]]]:
    """Yield ``(path pattern, row path, row)`` per row, recording rows that are not rows."""
    for i, row in enumerate(rows):
        if isinstance(row, RateQuote):
            yield f"$[{i}].{{}}", f"$[{i}]", attrs.asdict(row, recurse=False)
            continue
        if not isinstance(row, Mapping):
            problems.add(f"$[{i}]", f"expected a RateQuote or a mapping, got {type(row).__name__}")
            continue
        unknown = [str(key) for key in row if key not in COLUMNS]
        if unknown:
            problems.add(f"$[{i}]", f"unknown key {shown(unknown[0])}; expected {', '.join(COLUMNS)}")
        yield f"$[{i}].{{}}", f"$[{i}]", row


def _row_base(
    value: object, path: str, where: str, problems: Problems, *, base: str | None, base_from: str | None
) -> tuple[str | None, str | None]:
    """Check one row's base against the table's; return the (possibly now known) base and where it was set."""
    try:
        code = check_currency("base", value)
    except ValidationError as exc:
        problems.add(path.format("base"), _reason(exc, value))
        return base, base_from
    if base is None:
        return code, where
    if code != base:
        origin = f" as on {base_from}" if base_from else ""
        problems.add(path.format("base"), f"is {code}, but the base is {base}{origin}")
    return base, base_from


def _quote_or_problems(row: Mapping[str, object], path: str, problems: Problems) -> RateQuote | None:
    """Build a quote from one row's cells, recording each bad cell under its path."""
    values: dict[str, object] = {}
    ok = True
    checks = (
        ("currency", lambda v: check_currency("currency", v)),
        ("period", to_quote_period),
        ("rate", to_rate),
        ("source", _checked_source),
    )
    for name, check in checks:
        try:
            values[name] = check(row[name])
        except ValidationError as exc:
            problems.add(path.format(name), _reason(exc, row[name]))
            ok = False
    if not ok:
        return None
    try:
        return RateQuote(**values)  # type: ignore[arg-type]
    except ValidationError as exc:  # a check across fields: a rouble rate too large in the other rouble
        problems.add(path.format(exc.field), _reason(exc, row[exc.field]))
        return None


def _checked_source(value: object) -> str:
    check_source(None, attrs.fields(RateQuote).source, value)
    return str(value)


def _reason(exc: ValidationError, value: object) -> str:
    """The reason of ``exc``, with the cell shown clipped if the reason does not quote it."""
    text = value if isinstance(value, str) else repr(value)
    if text and (text in exc.reason or shown(text) in exc.reason):
        return exc.reason
    return f"{exc.reason} (got {shown(text)})"

"""Exchange-rate tables in and out: CSV, rows and DataFrames for :class:`nkru.fx.ExchangeRates`.

Private: :class:`~nkru.fx.ExchangeRates`' ``from_csv``, ``from_rows``,
``from_dataframe``, ``to_csv`` and ``to_dataframe`` are the public face,
and call these, as do the readers of the publications nkru's shipped table
is built from (``from_wdi``, ``from_fred``, ``from_ecb``, ``from_cbr``). Each cell goes through the converters
:class:`~nkru.fx.RateQuote` uses, and every bad one is reported together,
by its line and column (CSV) or its path (rows), so the model classes in
:mod:`nkru.fx` hold no format concerns.

The readers return the checked quotes and the base currency, and the
writers take them, so this module never imports :mod:`nkru.fx` (which
imports it): the table is built from quotes, and its formats from the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final
from xml.parsers import expat

import attrs
import numpy as np

from nkru._core.tables import Problems, TableInput, read_bytes, read_rows, read_text, write_text_atomically
from nkru._core.text import cell_reason, shown
from nkru.errors import ValidationError
from nkru.fx._fields import check_source, to_quote_period, to_rate
from nkru.fx._quotes import QuoteKey, RateQuote, quote_key, series_of
from nkru.periods import MAX_YEAR, MIN_YEAR, Period
from nkru.units import CURRENCIES, check_currency

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CBR_CURRENCIES",
    "COLUMNS",
    "WDI_CURRENCIES",
    "Quotes",
    "csv_text",
    "dataframe",
    "from_cbr",
    "from_csv",
    "from_dataframe",
    "from_ecb",
    "from_fred",
    "from_rows",
    "from_wdi",
]

COLUMNS: Final = ("currency", "base", "period", "rate", "source")
"""The columns of a rate table, in the order :func:`csv_text` writes them."""

Quotes = tuple[list[RateQuote], str]
"""What a reader returns and :class:`~nkru.fx.ExchangeRates` is built from, checked quotes
(no two for one currency and period) and the base currency they are quoted against."""


WDI_CURRENCIES: Final = {
    "CHN": "CNY",
    "EMU": "EUR",
    "GBR": "GBP",
    "JPN": "JPY",
    "KOR": "KRW",
    "PRK": "KPW",
    "RUS": "RUB",
}
"""The World Bank country codes :func:`from_wdi` reads, and the currency of each (the Russian
Federation's figures are new roubles, quoted as RUR before 1998)."""

CBR_CURRENCIES: Final = {
    "R01035": "GBP",
    "R01235": "USD",
    "R01239": "EUR",
    "R01375": "CNY",
    "R01815": "KRW",
    "R01820": "JPY",
}
"""The Bank of Russia's internal currency codes (``VAL_NM_RQ``) :func:`from_cbr` knows, and their ISO codes."""

#: The 1998 redenomination: WDI, FRED and the ECB publish new roubles for every date, and
#: nkru quotes dates before it in old roubles (RUR = 1000 x RUB), moving the decimal point.
_REDENOMINATION: Final = dt.date(1998, 1, 1)
_FRED_SERIES: Final = re.compile(r"CCUSMA02([A-Z]{2})M618N")
_FRED_COUNTRIES: Final = {"CN": "CNY", "EZ": "EUR", "GB": "GBP", "JP": "JPY", "KR": "KRW", "RU": "RUB"}
_FRED_MISSING: Final = "."
_ECB_MISSING: Final = frozenset({"", "N/A"})
_CBR_DATE: Final = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


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
        problems.add(path.format("base"), cell_reason(exc, value))
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
            problems.add(path.format(name), cell_reason(exc, row[name]))
            ok = False
    if not ok:
        return None
    try:
        return RateQuote(**values)  # type: ignore[arg-type]
    except ValidationError as exc:  # a check across fields: a rouble rate too large in the other rouble
        problems.add(path.format(exc.field), cell_reason(exc, row[exc.field]))
        return None


def _checked_source(value: object) -> str:
    check_source(None, attrs.fields(RateQuote).source, value)
    return str(value)


# -- the publications the shipped table is built from -------------------------------------------


def from_wdi(source: TableInput, countries: Iterable[str], source_id: str | None) -> Quotes:
    """Read annual rates from the World Bank's ``PA.NUS.FCRF`` CSV; see :meth:`nkru.fx.ExchangeRates.from_wdi`."""
    wanted = {_wdi_country(code): False for code in countries}
    problems = Problems("ExchangeRates")
    text = read_text(source, "ExchangeRates")
    updated = re.search(r'^"Last Updated Date","(\d{4}-\d{2}-\d{2})"', text, re.MULTILINE)
    source_id = _source_id(source_id, f"wdi-{updated.group(1)}" if updated else "wdi")
    quotes: list[RateQuote] = []
    years: dict[int, int] | None = None
    for line, row in _csv_lines(text, problems):
        if years is None:
            if row[:2] == ["Country Name", "Country Code"]:
                years = {i: int(name) for i, name in enumerate(row) if re.fullmatch(r"\d{4}", name)}
            continue
        if len(row) < 2 or row[1] not in wanted:
            continue
        if wanted[row[1]]:
            problems.add(f"line {line}", f"a second row for the country {row[1]}")
            continue
        wanted[row[1]] = True
        quotes += _wdi_row(row, line, years, source_id, problems)
    if years is None:
        problems.fail("$", 'no header row starting "Country Name","Country Code": not a World Bank API_ CSV')
    for code, found in wanted.items():
        if not found:
            problems.add("$", f"no row for the country {code}")
    problems.raise_if_any()
    return quotes, "USD"


def _wdi_row(row: list[str], line: int, years: dict[int, int], source_id: str, problems: Problems) -> list[RateQuote]:
    """The quotes of one country's row: one per non-empty year cell."""
    currency = WDI_CURRENCIES[row[1]]
    quotes: list[RateQuote] = []
    for i, year in years.items():
        cell = row[i] if i < len(row) else ""
        if cell.strip():
            where = f"line {line}, column {str(year)!r}"
            _keep(_published(currency, Period.year(year), cell, source_id, where), quotes, problems)
    return quotes


def from_fred(source: TableInput, source_id: str | None) -> Quotes:
    """Read monthly rates from a FRED ``CCUSMA02..M618N`` CSV; see :meth:`nkru.fx.ExchangeRates.from_fred`."""
    problems = Problems("ExchangeRates")
    rows = iter(_csv_lines(read_text(source, "ExchangeRates"), problems))
    line, header = next(rows, (1, []))
    series = _FRED_SERIES.fullmatch(header[1].strip()) if len(header) == 2 else None
    if series is None or series.group(1) not in _FRED_COUNTRIES or header[0] not in ("DATE", "observation_date"):
        known = ", ".join(f"CCUSMA02{country}M618N" for country in sorted(_FRED_COUNTRIES))
        problems.fail(f"line {line}", f"expected the header DATE,<series> for one of {known}; got {shown(header)}")
    currency = _FRED_COUNTRIES[series.group(1)]
    source_id = _source_id(source_id, f"fred-{series.group(0).lower()}")
    quotes: list[RateQuote] = []
    seen: dict[dt.date, int] = {}
    for line, row in rows:
        if len(row) != 2:
            problems.add(f"line {line}", f"expected 2 fields ({', '.join(header)}), found {len(row)}")
            continue
        day = _iso_date(row[0], f"line {line}, column {header[0]!r}", problems)
        if day is None or row[1].strip() == _FRED_MISSING:
            continue
        if day.day != 1 or day in seen:
            reason = f"repeats line {seen[day]}" if day in seen else "must be the first day of a month"
            problems.add(f"line {line}, column {header[0]!r}", reason)
            continue
        seen[day] = line
        where = f"line {line}, column {header[1]!r}"
        _keep(_published(currency, Period.month(day.year, day.month), row[1], source_id, where), quotes, problems)
    problems.raise_if_any()
    return quotes, "USD"


def from_ecb(source: TableInput, base: str, currencies: Iterable[str] | None, source_id: str | None) -> Quotes:
    """Read daily rates from the ECB's ``eurofxref-hist.csv``; see :meth:`nkru.fx.ExchangeRates.from_ecb`."""
    base = check_currency("base", base)
    source_id = _source_id(source_id, "ecb-eurofxref")
    problems = Problems("ExchangeRates")
    rows = iter(_csv_lines(read_text(source, "ExchangeRates"), problems))
    line, header = next(rows, (1, []))
    if header[:1] != ["Date"]:
        problems.fail(f"line {line}", f"expected a header starting with Date, then currency codes; got {shown(header)}")
    columns = {code.strip(): i for i, code in enumerate(header) if i and code.strip() in CURRENCIES}
    wanted = _ecb_wanted(columns, base, currencies, line, problems)
    quotes: list[RateQuote] = []
    seen: dict[dt.date, int] = {}
    for line, row in rows:
        day = _iso_date(row[0], f"line {line}, column 'Date'", problems)
        if day is None:
            continue
        if day in seen:
            problems.add(f"line {line}, column 'Date'", f"repeats line {seen[day]}")
            continue
        seen[day] = line
        per_euro = _ecb_day(row, line, {code: columns[code] for code in {*wanted, base} - {"EUR"}}, problems)
        if base not in per_euro:
            continue
        for code in wanted:
            if code in per_euro and code != base:  # as published against the euro, else via the day's base quote
                rate = per_euro[code] if base == "EUR" else per_euro[code] / per_euro[base]
                _keep(_quote(code, Period.day(day), rate, source_id, f"line {line}, column {code!r}"), quotes, problems)
    problems.raise_if_any()
    return quotes, base


def _ecb_wanted(
    columns: dict[str, int], base: str, currencies: Iterable[str] | None, line: int, problems: Problems
) -> list[str]:
    """The currencies to quote: those asked for, else every column nkru knows and the euro, less the base."""
    if currencies is None:
        wanted = sorted({*columns, "EUR"} - {base})
    else:
        wanted = [check_currency("currencies", code) for code in currencies]
    for code in [*wanted, base]:
        if code not in columns and code != "EUR":
            problems.fail(f"line {line}", f"no column {code}")
    return wanted


def _ecb_day(row: list[str], line: int, columns: dict[str, int], problems: Problems) -> dict[str, float]:
    """One day's quotes per euro (the euro itself 1), for the currencies and columns in ``columns``."""
    per_euro = {"EUR": 1.0}
    for code, column in sorted(columns.items()):
        cell = row[column].strip() if column < len(row) else ""
        if cell in _ECB_MISSING:
            continue
        try:
            per_euro[code] = to_rate(cell)
        except ValidationError as exc:
            problems.add(f"line {line}, column {code!r}", cell_reason(exc, cell))
    return per_euro


def from_cbr(source: TableInput, currency: str | None, source_id: str | None) -> Quotes:
    """Read daily rouble rates from the Bank of Russia's ``XML_dynamic``; see :meth:`nkru.fx.ExchangeRates.from_cbr`."""
    source_id = _source_id(source_id, "cbr-xml-dynamic")
    reader = _CbrReader(read_bytes(source, "ExchangeRates"))
    problems = reader.problems
    base = currency
    if base is None:
        base = CBR_CURRENCIES.get(reader.currency_id)
        if base is None:
            problems.fail(
                "line 1", f"the currency {shown(reader.currency_id)} is not one nkru knows; pass currency= its ISO code"
            )
    base = check_currency("currency", base)
    quotes: list[RateQuote] = []
    seen: dict[dt.date, int] = {}
    for line, day, nominal, value in reader.records:
        if day in seen:
            problems.add(f"line {line}", f"the date {day:%d.%m.%Y} repeats line {seen[day]}")
            continue
        seen[day] = line
        rate = float(Decimal(value) / Decimal(nominal))
        code = "RUR" if day < _REDENOMINATION else "RUB"
        _keep(_quote(code, Period.day(day), rate, source_id, f"line {line}"), quotes, problems)
    problems.raise_if_any()
    return quotes, base


class _CbrReader:
    """Parse an ``XML_dynamic`` response with expat, refusing DOCTYPE and ENTITY declarations.

    :mod:`xml.etree` would expand entities (a "billion laughs" response fills
    memory); the Bank's responses never declare any, so a declaration is
    refused before it is expanded. Records are kept as ``(line, date,
    nominal, value)`` with the numbers as checked decimal text.
    """

    def __init__(self, data: bytes) -> None:
        self.problems = Problems("ExchangeRates")
        self.currency_id = ""
        self.records: list[tuple[int, dt.date, str, str]] = []
        self._parser = expat.ParserCreate()
        self._parser.StartDoctypeDeclHandler = self._refuse
        self._parser.EntityDeclHandler = self._refuse
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text
        self._record: dict[str, str] | None = None
        self._record_line = 0
        self._field: str | None = None
        self._root = False
        try:
            self._parser.Parse(data, True)  # noqa: FBT003 - expat takes "the last piece" positionally only
        except expat.ExpatError as exc:
            self.problems.fail(
                f"line {exc.lineno}, column {exc.offset + 1}", f"not valid XML: {expat.ErrorString(exc.code)}"
            )
        except LookupError as exc:  # expat asks Python's codecs for an encoding it lacks, which may not exist
            self.problems.fail("line 1", f"not valid XML: {shown(str(exc))}")
        if not self._root:
            self.problems.fail("line 1", "no ValCurs element: not a Bank of Russia XML_dynamic response")

    def _where(self) -> str:
        return f"line {self._parser.CurrentLineNumber}, column {self._parser.CurrentColumnNumber + 1}"

    def _refuse(self, *_args: object) -> None:
        self.problems.fail(self._where(), "declares a DOCTYPE or an entity; the Bank's responses never do")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "ValCurs":
            self._root = True
            self.currency_id = attributes.get("ID", "")
        elif name == "Record":
            self._record, self._record_line = {"Date": attributes.get("Date", "")}, self._parser.CurrentLineNumber
        elif self._record is not None and name in ("Nominal", "Value"):
            if name in self._record:
                self.problems.add(self._where(), f"{name} appears twice in one Record")
            self._field = name
            self._record[name] = ""

    def _text(self, data: str) -> None:
        if self._record is not None and self._field is not None:
            self._record[self._field] += data

    def _end(self, name: str) -> None:
        if name in ("Nominal", "Value"):
            self._field = None
        if name == "Record" and self._record is not None:
            self._close_record(self._record, self._record_line)
            self._record = None

    def _close_record(self, record: dict[str, str], line: int) -> None:
        where = f"line {line}"
        match = _CBR_DATE.fullmatch(record["Date"])
        day = None
        if match is not None:
            try:
                day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                day = None
            if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
                day = None
        if day is None:
            self.problems.add(
                where, f"Date must be a day as DD.MM.YYYY in {MIN_YEAR}-{MAX_YEAR} (got {shown(record['Date'])})"
            )
        numbers = []
        for name in ("Nominal", "Value"):
            text = record.get(name)
            if text is None:
                self.problems.add(where, f"no {name}")
                continue
            decimal_text = text.strip().replace(",", ".", 1)  # the Bank writes a decimal comma
            try:
                to_rate(decimal_text)
            except ValidationError as exc:
                self.problems.add(where, f"{name} {cell_reason(exc, decimal_text)}")
                continue
            numbers.append(decimal_text)
        if day is not None and len(numbers) == 2:
            self.records.append((line, day, numbers[0], numbers[1]))


def _wdi_country(code: object) -> str:
    if not isinstance(code, str) or code not in WDI_CURRENCIES:
        raise ValidationError("countries", code, f"must be one of {', '.join(sorted(WDI_CURRENCIES))}")
    return code


def _source_id(given: str | None, default: str) -> str:
    """The source id to tag every quote with: ``given``, checked, or the publication's own."""
    return default if given is None else _checked_source(given)


def _csv_lines(text: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)`` for each non-blank CSV record of ``text``; bad quoting raises, naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    ended = 0
    try:
        for row in reader:
            line, ended = ended + 1, reader.line_num
            if row and any(cell.strip() for cell in row):
                yield line, row
    except csv.Error as exc:
        problems.fail(f"line {ended + 1}", f"not valid CSV: {exc}")


def _iso_date(text: str, where: str, problems: Problems) -> dt.date | None:
    """The day of ``YYYY-MM-DD`` text, or None with the problem recorded under ``where``."""
    stripped = text.strip()
    if _ISO_DATE.fullmatch(stripped):
        try:
            day = dt.date.fromisoformat(stripped)
        except ValueError:
            pass
        else:
            if MIN_YEAR <= day.year <= MAX_YEAR:
                return day
    problems.add(where, f"must be a date as YYYY-MM-DD in {MIN_YEAR}-{MAX_YEAR} (got {shown(text)})")
    return None


def _keep(quote: RateQuote | tuple[str, str], quotes: list[RateQuote], problems: Problems) -> None:
    """Add a quote :func:`_published` gave to ``quotes``, or record its problem."""
    if isinstance(quote, RateQuote):
        quotes.append(quote)
    else:
        problems.add(*quote)


def _published(currency: str, period: Period, text: str, source_id: str, where: str) -> RateQuote | tuple[str, str]:
    """The quote of a figure as published, or ``(where, reason)`` if it is not a rate.

    A rouble figure is in new roubles whatever its date, as WDI, FRED and the
    ECB publish; before 1998 the quote is RUR, 1000 x the figure, by moving the
    decimal point (no digit changes).
    """
    try:
        rate = to_rate(text)
    except ValidationError as exc:
        return where, cell_reason(exc, text)
    if currency == "RUB" and period.start < _REDENOMINATION:
        return _quote("RUR", period, float(Decimal(text.strip()).scaleb(3)), source_id, where)
    return _quote(currency, period, rate, source_id, where)


def _quote(currency: str, period: Period, rate: float, source_id: str, where: str) -> RateQuote | tuple[str, str]:
    """The quote, or ``(where, reason)`` if its rate is none (a quotient of two figures that is zero or infinite)."""
    try:
        return RateQuote(currency, period, rate, source_id)
    except ValidationError as exc:
        return where, f"the rate {rate!r} {exc.reason}"

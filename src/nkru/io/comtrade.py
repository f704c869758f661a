r"""Read UN Comtrade CSV files into a :class:`~nkru.table.TradeTable`, checking every row.

The reader takes the columns of Comtrade's "final data" CSV downloads that
nkru uses, and ignores the others:

================ ========= ===============================================================
column           needed    read as
================ ========= ===============================================================
refYear          yes       the year (1000–2999)
period           no        ``YYYY`` (the year, equal to refYear) or ``YYYYMM`` (a month of it)
freqCode         no        ``A`` (annual) or ``M`` (monthly); must agree with period
reporterISO      one of    the reporter's ISO 3166 alpha-3 code (wins over reporterCode)
reporterCode     the two   the reporter's numeric code, used if reporterISO is absent or empty
partnerISO       one of    the partner's code; ``W00`` is the World
partnerCode      the two   numeric; ``0`` is the World
flowCode         yes       ``X`` export, ``M`` import, ``RX`` re-export, ``RM`` re-import
cmdCode          yes       an HS chapter, heading or subheading (2, 4 or 6 digits), or ``TOTAL``
cmdDesc          no        the commodity's label (``HS <code>`` if absent)
primaryValue     yes       the value in US dollars, ≥ 0
netWgt           no        net weight in kg, ≥ 0; empty if not reported
qty              no        the supplementary quantity, ≥ 0; empty if none
qtyUnitCode      no        Comtrade's code for qty's unit, kept as read (-1 if none)
================ ========= ===============================================================

Comtrade's numeric area codes are UN M49 and differ from ISO 3166 numeric for
a few countries (842 for the USA, 251 for France), so an ISO column, when
present, is trusted over the numeric one and the two are not cross-checked;
a row with only a numeric code must use an ISO 3166 numeric code. Areas
that are not countries ("Other Asia, nes", 490) are refused: give them an
ISO code of your own or drop the rows.

The file is read in chunks of ``chunk_rows`` rows, so memory holds the
table, not the text; a file of more than ``max_rows`` rows (20 million by
default, about 1 GB of table) is refused. Every cell is checked with
vectorized pandas/numpy operations, text once per distinct value; problems
are reported with their line (the header is line 1; Comtrade files have no
line breaks inside cells) and column, up to 200 of them.

>>> import io
>>> text = (
...     "refYear,period,reporterISO,partnerCode,flowCode,cmdCode,primaryValue,netWgt\n"
...     "2005,2005,RUS,408,X,27,1500000,2000000\n"
...     "2005,2005,RUS,0,X,TOTAL,9e6,\n"
... )
>>> table = read_comtrade_csv(io.StringIO(text))
>>> table.to_frame()[["partner", "flow", "hs", "value", "mass"]]
  partner    flow   hs      value       mass
0     PRK  export   27  1500000.0  2000000.0
1     W00  export  NaN  9000000.0        NaN
>>> read_comtrade_csv(io.StringIO(text.replace("RUS,408,X,27", "RUS,408,DX,27")))
Traceback (most recent call last):
...
nkru.errors.StructureError: cannot build TradeTable: 1 problem: line 2, column 'flowCode': is not X, M, RX or RM (got 'DX')
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from nkru._core.tables import MAX_PROBLEMS, Problems, TableInput, constant_reason, open_source
from nkru._core.text import shown
from nkru.errors import ValidationError
from nkru.parties import Country
from nkru.periods import MAX_YEAR, MIN_YEAR
from nkru.table import TradeTable
from nkru.table.columns import WORLD, CellProblem, FloatArray, IntArray, categorical, commodity_category

__all__ = ["COLUMNS", "DEFAULT_MAX_ROWS", "CsvSource", "read_comtrade_csv"]

CsvSource: TypeAlias = TableInput
"""The former name of :data:`nkru.io.TableInput`, the one type of a table's input (text, a path, or an open file).

A plain alias, without a deprecation warning: a type alias served by a module
``__getattr__`` would be ``Any`` to a type checker, which refuses it in annotations.
"""

DEFAULT_MAX_ROWS: Final = 20_000_000
"""The most rows :func:`read_comtrade_csv` reads unless told otherwise."""

COLUMNS: Final = (
    "refYear",
    "period",
    "freqCode",
    "reporterCode",
    "reporterISO",
    "partnerCode",
    "partnerISO",
    "flowCode",
    "cmdCode",
    "cmdDesc",
    "primaryValue",
    "netWgt",
    "qty",
    "qtyUnitCode",
)
"""The Comtrade columns nkru reads; other columns are ignored."""

_REQUIRED: Final = ("refYear", "flowCode", "cmdCode", "primaryValue")
_QUOTE, _COMMA, _NEWLINE, _RETURN = (ord(c) for c in '",\n\r')
#: The longest record accepted; more means an unbalanced quote has swallowed the file.
_MAX_RECORD: Final = 64 << 20
_FLOW_CODES: Final = ("X", "M", "RX", "RM")


def read_comtrade_csv(
    source: TableInput,
    *,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    chunk_bytes: int = 16 << 20,
) -> TradeTable:
    """Read a CSV file in the UN Comtrade layout into a table (values in USD, mass in kg).

    Args:
        source: The CSV: its text (a ``str`` with a line break), a path, or an
            open file (text or binary, UTF-8).
        max_rows: The most data rows to accept (None for no limit).
        chunk_bytes: About how many bytes to read and check at a time.

    Returns:
        A :class:`~nkru.table.TradeTable` with ``currency`` USD and mass in kilograms.

    Raises:
        StructureError: a missing column, junk in a cell (named by line and
            column), a row with too many or too few fields, an unbalanced
            quote, a non-UTF-8 file, too many rows, or a source that cannot
            be opened (no such file, a folder, not a path or file at all).

    See :mod:`nkru.io.comtrade` for the columns read and the checks made.
    """
    limit: object = max_rows  # callers without type checks pass anything
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValidationError("max_rows", max_rows, "must be a positive whole number or None")
    size: object = chunk_bytes
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValidationError("chunk_bytes", chunk_bytes, "must be a positive whole number")
    problems = Problems("TradeTable")
    tables: list[TradeTable] = []
    rows_read = 0
    with _blocks(source, chunk_bytes) as blocks:
        pieces = _records(blocks, problems)
        first = next(pieces, None)
        if first is None:
            problems.add("line 1", f"the file is empty; expected a header with {', '.join(_REQUIRED)}")
            problems.raise_if_any()
            raise AssertionError("unreachable")  # pragma: no cover - raise_if_any raised
        header = _read_header(first, problems)
        for piece in itertools.chain([first.without_first()], pieces):
            keep = _check_fields(piece, header, problems)
            rows_read += int(keep.sum())
            if max_rows is not None and rows_read > max_rows:
                problems.add(f"line {int(piece.lines[-1])}", f"the file has more than max_rows={max_rows} rows")
                problems.raise_if_any()
            if keep.any():
                chunk = _parse(piece, header, problems)[keep]
                tables.append(_Chunk(chunk, piece.lines[keep], problems).table())
    return TradeTable.concat(tables) if tables else TradeTable.from_frame(_empty_frame())


def _check_fields(piece: _Piece, header: list[str], problems: Problems) -> npt.NDArray[np.bool_]:
    """Report records whose field count differs from the header's; return which records hold data."""
    keep = ~piece.blank
    wrong = keep & (piece.fields != len(header))
    for row in np.flatnonzero(wrong)[:MAX_PROBLEMS]:
        problems.add(
            f"line {int(piece.lines[row])}",
            f"expected {len(header)} fields as in the header, found {int(piece.fields[row])}",
        )
    problems.raise_if_any()
    return keep


class _Piece:
    """Whole CSV records: their bytes, and for each its first physical line, field count and blankness."""

    def __init__(
        self, data: bytes, lines: IntArray, fields: IntArray, blank: npt.NDArray[np.bool_], starts: IntArray
    ) -> None:
        self.data = data
        self.lines = lines
        self.fields = fields
        self.blank = blank
        self.starts = starts

    def without_first(self) -> _Piece:
        start = int(self.starts[1]) if self.starts.size > 1 else len(self.data)
        return _Piece(self.data[start:], self.lines[1:], self.fields[1:], self.blank[1:], self.starts[1:] - start)


@contextlib.contextmanager
def _blocks(source: TableInput, size: int) -> Iterator[Iterator[bytes]]:
    """Yield the source's bytes in blocks of about ``size``, a byte-order mark removed.

    Raises:
        StructureError: the source cannot be opened (see :func:`nkru._tables.open_source`).
    """
    with open_source(source, "TradeTable") as opened:
        if isinstance(opened, str):
            data = opened.encode("utf-8", "surrogatepass")
            yield _unmarked(data[start : start + size] for start in range(0, len(data), size))
            return

        def read() -> Iterator[bytes]:
            while block := opened.read(size):
                yield block.encode("utf-8", "surrogatepass") if isinstance(block, str) else bytes(block)

        yield _unmarked(read())


def _unmarked(blocks: Iterator[bytes]) -> Iterator[bytes]:
    first = True
    for block in blocks:
        yield block.removeprefix(b"\xef\xbb\xbf") if first else block
        first = False


def _records(blocks: Iterator[bytes], problems: Problems) -> Iterator[_Piece]:
    """Split blocks into pieces of whole records, vectorized: a record ends at a line break outside quotes.

    A line break is LF, CRLF or a lone CR (old Mac files), as pandas' reader
    and the csv module see it. Quotes toggle "inside a quoted field" (a
    doubled quote toggles twice), so the parity of the quotes before a byte
    says whether it is quoted.
    """
    carry = b""
    line = 1
    for block in itertools.chain(blocks, [None]):
        data = carry + (block if block is not None else b"")
        if block is None:
            if not data:
                return
            if not data.endswith(b"\n"):
                data += b"\n"
        raw = np.frombuffer(data, dtype=np.uint8)
        quoted = (np.cumsum(raw == _QUOTE, dtype=np.uint8) & 1).astype(bool)
        line_break = raw == _NEWLINE
        lone_return = raw == _RETURN
        lone_return[:-1] &= ~line_break[1:]
        if block is not None:
            lone_return[-1:] = False  # a CR ending the block may be the first half of a CRLF: wait for the next
        line_break |= lone_return
        ends = np.flatnonzero(line_break & ~quoted)
        if block is None and (ends.size == 0 or ends[-1] != raw.size - 1):
            problems.add(f"line {line}", "a quoted field is never closed (an unbalanced quote)")
            problems.raise_if_any()
        if ends.size == 0:
            carry = data
            if len(carry) > _MAX_RECORD:
                problems.add(
                    f"line {line}", f"a record runs on for more than {_MAX_RECORD:,} bytes (an unbalanced quote?)"
                )
                problems.raise_if_any()
            continue
        cut = int(ends[-1]) + 1
        starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
        commas = (raw[:cut] == _COMMA) & ~quoted[:cut]
        fields = np.add.reduceat(commas, starts, dtype=np.int64) + 1
        breaks = np.add.reduceat(line_break[:cut], starts, dtype=np.int64)
        lines = line + np.concatenate(([0], np.cumsum(breaks[:-1]))).astype(np.int64)
        lengths = ends - starts
        blank = (lengths == 0) | ((lengths == 1) & (raw[starts] == _RETURN))
        yield _Piece(data[:cut], lines, fields, blank, starts)
        line += int(breaks.sum())
        carry = data[cut:]


def _read_header(piece: _Piece, problems: Problems) -> list[str]:
    end = int(piece.starts[1]) if piece.starts.size > 1 else len(piece.data)
    try:
        text = piece.data[:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(f"line 1, byte {exc.start}", "the file is not UTF-8 text")
        problems.raise_if_any()
    try:
        names = [name.strip() for name in next(csv.reader([text.rstrip("\r\n")]), [])]
    except csv.Error as exc:  # a quote inside an unquoted name, then a line break the splitter thought quoted
        problems.add("line 1", f"not valid CSV: {str(exc).partition(' - ')[0]}")
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised
    seen: set[str] = set()
    for name in names:
        if name in COLUMNS and name in seen:
            problems.add("line 1", f"column {name!r} appears twice")
        seen.add(name)
    _check_header(names, problems)
    return names


def _parse(piece: _Piece, header: list[str], problems: Problems) -> pd.DataFrame:
    """Parse a piece's records with pandas' C reader, every cell as text."""
    names = [name if name in COLUMNS else f"_ignored{i}" for i, name in enumerate(header)]
    try:
        frame = pd.read_csv(
            io.BytesIO(piece.data),
            header=None,
            names=names,
            usecols=[name for name in names if name in COLUMNS],
            index_col=False,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",
        )
    except UnicodeDecodeError:
        # pandas' offset is into its own buffer, not the piece: find the byte again.
        row = max(int(np.searchsorted(piece.starts, _first_bad_byte(piece.data), side="right")) - 1, 0)
        problems.add(f"line {int(piece.lines[row])}", "is not UTF-8 text")
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised
    except (pd.errors.ParserError, ValueError) as exc:  # pragma: no cover - records are split and counted first
        problems.add(f"line {int(piece.lines[0])}", f"not valid CSV: {shown(str(exc).strip())}")
        problems.raise_if_any()
        raise
    if len(frame) != len(piece.lines):  # pragma: no cover - a safety net for the record splitter
        problems.add(f"line {int(piece.lines[0])}", "the CSV reader and the record splitter disagree")
        problems.raise_if_any()
    return frame


def _first_bad_byte(data: bytes) -> int:
    """The offset of the first byte of ``data`` that is not UTF-8 (0 if every byte is)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0  # pragma: no cover - pandas refused bytes that Python decodes


def _check_header(names: list[str], problems: Problems) -> None:
    for name in _REQUIRED:
        if name not in names:
            problems.add("line 1", f"missing column {name!r}")
    for side in ("reporter", "partner"):
        if f"{side}ISO" not in names and f"{side}Code" not in names:
            problems.add("line 1", f"missing column {side}ISO or {side}Code")
    problems.raise_if_any()


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {name: pd.Series([], dtype=dtype) for name, dtype in (("reporter", str), ("partner", str), ("flow", str))}
        | {"year": pd.Series([], dtype=np.int64)}
    )


class _Chunk:
    """One chunk of rows: each column checked and turned into :meth:`TradeTable.from_frame`'s form."""

    def __init__(self, chunk: pd.DataFrame, lines: IntArray, problems: Problems) -> None:
        self.chunk = chunk
        self.lines = lines
        self.problems = problems
        self.size = len(self.chunk)

    def text(self, name: str) -> pd.Series[Any] | None:
        return self.chunk[name] if name in self.chunk.columns else None

    def bad(self, mask: npt.NDArray[np.bool_], name: str, reason: Callable[[int], str]) -> None:
        for row in np.flatnonzero(mask)[:MAX_PROBLEMS]:
            self.problems.add(f"line {int(self.lines[row])}, column {name!r}", reason(int(row)))

    def numbers(self, name: str, *, required: bool, integer: bool = False, minimum: float = 0.0) -> FloatArray:
        """The column's numbers, NaN where empty; junk, negatives and (if asked) fractions reported."""
        series = self.text(name)
        if series is None:
            return np.full(self.size, np.nan)
        empty = (series == "").to_numpy(dtype=bool)
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        cells = series.to_numpy(dtype=object)
        junk = ~empty & ~np.isfinite(values)
        self.bad(junk, name, lambda row: f"is not a number (got {shown(str(cells[row]))})")
        if required:
            self.bad(empty, name, lambda _row: "is empty")
        low = ~junk & (values < minimum)
        self.bad(low, name, lambda row: f"must be at least {minimum:g} (got {shown(str(cells[row]))})")
        if integer:
            fraction = ~junk & ~empty & (values != np.round(values))
            self.bad(fraction, name, lambda row: f"must be a whole number (got {shown(str(cells[row]))})")
        return np.where(junk, np.nan, values)

    def table(self) -> TradeTable:
        year = self.numbers("refYear", required=True, integer=True)
        outside = ~np.isnan(year) & ((year < MIN_YEAR) | (year > MAX_YEAR))
        self.bad(outside, "refYear", lambda row: f"must be a year from {MIN_YEAR} to {MAX_YEAR} (got {year[row]:g})")
        month = self.months(year)
        reporter = self.areas("reporter")
        partner = self.areas("partner")
        flow = self.flows()
        hs, labels = self.commodities()
        value = self.numbers("primaryValue", required=True)
        mass = self.numbers("netWgt", required=False)
        qty = self.numbers("qty", required=False)
        qty_unit = self.numbers("qtyUnitCode", required=False, integer=True, minimum=-1)
        self.problems.raise_if_any()
        data: dict[str, Any] = {
            "reporter": reporter,
            "partner": partner,
            "flow": flow,
            "year": year.astype(np.int64),
            "month": month,
            "hs": hs,
            "value": value,
            "currency": categorical(np.zeros(self.size, dtype=np.int64), ["USD"]),
            "mass": mass,
            "qty": qty,
            "qty_unit_code": np.nan_to_num(qty_unit, nan=-1.0).astype(np.int64),
        }
        if labels is not None:
            data["commodity"] = labels
        return TradeTable.from_frame(pd.DataFrame(data), mass_unit="kg")

    def months(self, year: FloatArray) -> IntArray:
        """0 for annual rows, 1–12 for monthly ones, from ``period`` and ``freqCode``."""
        period = self.numbers("period", required=False, integer=True)
        given = ~np.isnan(period) & (year == np.round(year))  # a bad refYear is reported already
        annual = given & (period == year)
        as_month = np.where(given, period, 0.0)
        monthly = given & ~annual & (np.floor(as_month / 100) == year) & (as_month % 100 >= 1) & (as_month % 100 <= 12)
        self.bad(
            given & ~annual & ~monthly & ~np.isnan(year),
            "period",
            lambda row: f"must be refYear (YYYY) or a month of it (YYYYMM) (got {period[row]:.0f})",
        )
        month = np.where(monthly, as_month % 100, 0).astype(np.int64)
        frequency = self.text("freqCode")
        if frequency is not None:
            codes = frequency.to_numpy(dtype=object)
            known = (codes == "A") | (codes == "M") | (codes == "")
            self.bad(~known, "freqCode", lambda row: f"must be A or M (got {shown(str(codes[row]))})")
            self.bad((codes == "M") & (month == 0), "freqCode", lambda _row: "is M, but period is not a month")
            self.bad((codes == "A") & (month > 0), "freqCode", lambda _row: "is A, but period is a month")
        return month

    def areas(self, side: str) -> Any:
        """The reporter's or partner's ISO code per row, resolved once per distinct (code, ISO) pair."""
        code_column, iso_column = f"{side}Code", f"{side}ISO"
        codes, code_values = _factorize(self.text(code_column), self.size)
        isos, iso_values = _factorize(self.text(iso_column), self.size)
        pairs, inverse = np.unique(codes * (len(iso_values) + 1) + isos, return_inverse=True)
        inverse = inverse.reshape(-1)
        names: dict[str, int] = {}
        mapping = np.full(len(pairs), -1, dtype=np.int64)
        for position, pair in enumerate(pairs):
            code = code_values[int(pair) // (len(iso_values) + 1)]
            iso = iso_values[int(pair) % (len(iso_values) + 1)]
            resolved = _area(code, iso, side)
            if isinstance(resolved, CellProblem):
                self.bad(inverse == position, resolved.column, constant_reason(resolved.reason))
            else:
                mapping[position] = names.setdefault(resolved, len(names))
        return categorical(mapping[inverse], list(names))

    def flows(self) -> Any:
        codes, values = _factorize(self.text("flowCode"), self.size)
        mapping = np.full(len(values), -1, dtype=np.int64)
        for position, value in enumerate(values):
            if value in _FLOW_CODES:
                mapping[position] = _FLOW_CODES.index(value)
            else:
                self.bad(codes == position, "flowCode", constant_reason(f"is not X, M, RX or RM (got {shown(value)})"))
        return categorical(mapping[codes], list(_FLOW_CODES))

    def commodities(self) -> tuple[Any, Any]:
        """HS codes and labels, each distinct (cmdCode, cmdDesc) pair checked once."""
        hs_codes, hs_values = _factorize(self.text("cmdCode"), self.size)
        descriptions = self.text("cmdDesc")
        label_codes, label_values = _factorize(descriptions, self.size)
        radix = len(label_values) + 1
        pairs, inverse = np.unique(hs_codes * radix + label_codes, return_inverse=True)
        inverse = inverse.reshape(-1)
        for position, pair in enumerate(pairs):
            hs, label = hs_values[int(pair) // radix], label_values[int(pair) % radix]
            checked = commodity_category(hs, label or None)
            if isinstance(checked, CellProblem):
                name = "cmdCode" if checked.column == "hs" else "cmdDesc"
                self.bad(inverse == position, name, constant_reason(checked.reason))
        labels = None if descriptions is None else _categories(label_codes, label_values)
        return _categories(hs_codes, hs_values), labels


def _factorize(series: pd.Series[Any] | None, size: int) -> tuple[IntArray, list[str]]:
    """Codes of a text column and its distinct values; the last value is always ``""`` (absent or empty)."""
    if series is None:
        return np.zeros(size, dtype=np.int64), [""]
    raw, uniques = pd.factorize(series)
    values = [str(value) for value in uniques]
    codes = np.asarray(raw, dtype=np.int64)
    if "" in values:
        empty = values.index("")
        values[empty], values[-1] = values[-1], values[empty]
        swap = np.arange(len(values))
        swap[empty], swap[-1] = len(values) - 1, empty
        codes = swap[codes]
        return codes, values
    return codes, [*values, ""]


def _categories(codes: IntArray, values: list[str]) -> Any:
    """A Categorical of :func:`_factorize`'s result, the empty text as missing."""
    empty = len(values) - 1
    return categorical(np.where(codes == empty, -1, codes), values[:-1])


def _area(code: str, iso: str, side: str) -> str | CellProblem:
    """The ISO alpha-3 code (or W00) of ``side`` (reporter or partner) for a (code, ISO) pair, or what is wrong."""
    partner = side == "partner"
    if iso:
        if partner and iso == WORLD:
            return WORLD
        try:
            return Country(iso).code
        except ValidationError:
            kind = f"an ISO 3166 alpha-3 country code or {WORLD}" if partner else "an ISO 3166 alpha-3 country code"
            return CellProblem(f"{side}ISO", f"is not {kind} (got {shown(iso)})")
    refused = f"{side}Code"
    if not code:
        return CellProblem(refused, "is empty, and so is the ISO column")
    if not code.isascii() or not code.isdigit() or len(code) > 3:
        return CellProblem(refused, f"is not a numeric area code (got {shown(code)})")
    if int(code) == 0:
        return WORLD if partner else CellProblem(refused, "0 is the World, which reports nothing")
    try:
        return Country.lookup(code.zfill(3)).code
    except ValidationError:
        return CellProblem(refused, f"{int(code)} is no ISO 3166 numeric country code; give the ISO column")

r"""Read UN Comtrade data as Comtrade publishes it into a :class:`~nkru.table.TradeTable`, checking every row.

:func:`read_comtrade` reads, and says which it found (:attr:`TradeTable.layout <nkru.table.TradeTable.layout>`):

- ``"plus"``: Comtrade Plus CSV downloads, including the empty trailing field
  after the last column that every row of a real download has (accepted
  when it is empty on every row);
- ``"classic"``: Comtrade Classic (legacy) CSV downloads, recognised from the
  header (``Year``, ``Trade Flow Code``, ``Reporter ISO``, ``Trade Value (US$)`` ...;
  flows 1 Import, 2 Export, 3 Re-Export, 4 Re-Import; ``WLD`` for the World);
- ``"bulk"``: bulk files, gzip-compressed and tab-separated, in the Plus layout;
- ``"json"``: the records of the Comtrade API's ``data`` array (``{"data": [...]}``
  or a list of records), as text, a file, or parsed;
- ``"frame"``: a pandas DataFrame in the API's column layout (what the
  official ``comtradeapicall`` package returns).

Text is UTF-8 (with or without a byte-order mark) or, if it is not,
cp1252 (real Plus downloads are): :attr:`TradeTable.encoding
<nkru.table.TradeTable.encoding>` says which; ``encoding=`` decides instead.

The columns read, in Comtrade Plus's names (Classic's in brackets); others are ignored:

==================== ===================================================================
column               read as
==================== ===================================================================
refYear (Year)       the year (1000–2999); required
period (Period)      ``YYYY`` (the year) or ``YYYYMM`` (a month of it)
freqCode             ``A`` (annual) or ``M`` (monthly); must agree with period
reporterCode, -ISO   the reporter (Reporter Code, Reporter ISO): a country's ISO 3166
                     alpha-3 code, or an area (see below); one of the two required
partnerCode, -ISO    the partner, as the reporter; partner 0 (``W00``, ``WLD``) is the World
reporterDesc, ...    (Reporter, Partner) the area's name, for areas nkru does not know
flowCode             ``X``, ``M``, ``RX``, ``RM`` (Trade Flow Code ``2``, ``1``, ``3``, ``4``); required
cmdCode              an HS chapter, heading or subheading (2, 4 or 6 digits), or ``TOTAL``; required
cmdDesc (Commodity)  the commodity's label
primaryValue         (Trade Value (US$)) the value in US dollars, ≥ 0; required
cifvalue, fobvalue   the CIF and FOB values, when given (table: ``cif_value``, ``fob_value``)
netWgt, grossWgt     net and gross weight in kg (Netweight (kg), Gross weight (kg))
qty, altQty          the quantity and alternate quantity, with qtyUnitCode, altQtyUnitCode
is...Estimated       whether Comtrade estimated netWgt, grossWgt, qty, altQty
legacyEstimationFlag (Flag) Comtrade's estimation code
isReported           whether the reporter reported the row (else Comtrade derived it)
isAggregate          whether Comtrade aggregated the row
aggrLevel, isLeaf    (Aggregate Level, Is Leaf Code) the commodity's level, and whether it is a leaf
customsCode          (Customs Proc. Code) the customs procedure; ``C00`` is the total
motCode              (Mode of Transport Code) the mode of transport; ``0`` is the total
partner2Code         (2nd Partner Code) the second partner; ``0`` is the total
classificationCode   (Classification) ``H0`` … ``H6``, ``S1`` … ``S4`` …
==================== ===================================================================

**An estimated 0 is no stated 0.** Comtrade writes a weight (or quantity) of
0, flagged estimated, where it has none (TOTAL rows do): such a measure is
read as missing (NaN), and its flag is kept, so the row still says it was
estimated. A 0 that is not flagged estimated is read as 0.

**Areas.** Reporters and partners that are no country are read as areas:
the World (``W00``; Classic's ``WLD`` is read as ``W00``), groups (97, the
EU), "nes" areas (490 ``S19`` "Other Asia, nes", 899 ``_X`` "Areas, nes" …)
and special categories (837 Bunkers …): :data:`nkru.parties.COMTRADE_AREAS`.
The table's ``reporter_kind``/``partner_kind`` columns say which kind each
is. Classic's reporter 490, whose ISO cell is empty, is ``S19``. An area
nkru does not know is read under the file's code (its ISO-like code, else
its number), as kind ``group`` (it may overlap countries), provided every
row names it alike; ``taiwan=True`` reads 490 as Taiwan (``TWN``), which it is.

Comtrade's numeric area codes are UN M49 and differ from ISO 3166 numeric
for a few countries (842 for the USA), so an ISO column, when present, is
trusted over the numeric one.

Arrow (:mod:`pyarrow.csv`) parses the CSV, multithreaded, with explicit
column types, and the rows are checked vectorized, text once per distinct
value. A CSV file on disk in UTF-8 or cp1252 (Comtrade's downloads) is read
where it lies: scanned once, in blocks, to choose its encoding, then parsed
by Arrow from the file itself, its text cells kept as bytes and decoded once
per distinct value; the file is never held whole in memory. Other sources
are read whole (an open file in blocks, so that an endless stream ends in an
error). A file of more than ``max_rows`` rows (20 million by default) is
refused. Problems are reported with their line (the header is line 1) and
column, up to 200 of them; the lines are found, by re-reading the text, only
when there is a problem to report.

>>> import io
>>> text = (
...     "refYear,period,reporterISO,partnerCode,flowCode,cmdCode,primaryValue,netWgt\n"
...     "2005,2005,RUS,408,X,27,1500000,2000000\n"
...     "2005,2005,RUS,0,X,TOTAL,9e6,\n"
... )
>>> table = read_comtrade(io.StringIO(text))
>>> table.layout
'plus'
>>> table.to_frame()[["partner", "partner_kind", "flow", "hs", "value", "mass"]]
  partner partner_kind    flow   hs      value       mass
0     PRK      country  export   27  1500000.0  2000000.0
1     W00        world  export  NaN  9000000.0        NaN
>>> read_comtrade(io.StringIO(text.replace("RUS,408,X,27", "RUS,408,DX,27")))
Traceback (most recent call last):
...
nkru.errors.StructureError: cannot build TradeTable: 1 problem: line 2, column 'flowCode': is not X, M, RX or RM (got 'DX')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from nkru._core.tables import Problems, TableInput
from nkru._core.text import shown
from nkru.errors import StructureError, ValidationError
from nkru.io.comtrade._arrow import TRAILING, arrow_columns, arrow_frame
from nkru.io.comtrade._layouts import CLASSIC, CLASSIC_FLOWS, KINDS, PARSED, PLUS_FLOWS, REQUIRED
from nkru.io.comtrade._rows import NeedText, Rows
from nkru.io.comtrade._source import (
    Csv,
    Fast,
    codec_of,
    fast_csv,
    header,
    load,
    raw_source,
    record_lines,
    structure_problems,
)
from nkru.table import TradeTable
from nkru.table.columns import IntArray

__all__ = ["COLUMNS", "DEFAULT_MAX_ROWS", "LAYOUTS", "CsvSource", "read_comtrade", "read_comtrade_csv"]

CsvSource: TypeAlias = TableInput
"""The former name of :data:`nkru.io.TableInput`, the one type of a table's input (text, a path, or an open file).

A plain alias, without a deprecation warning: a type alias served by a module
``__getattr__`` would be ``Any`` to a type checker, which refuses it in annotations.
"""

DEFAULT_MAX_ROWS: Final = 20_000_000
"""The most rows :func:`read_comtrade` reads unless told otherwise."""

COLUMNS: Final = tuple(KINDS)
"""The Comtrade columns nkru reads, in Comtrade Plus's names; other columns are ignored."""

LAYOUTS: Final = ("plus", "classic", "bulk", "json", "frame")
"""The layouts :func:`read_comtrade` reads, as :attr:`TradeTable.layout <nkru.table.TradeTable.layout>` names them."""


def read_comtrade(
    source: TableInput | bytes | bytearray | pd.DataFrame | Mapping[str, Any] | list[Any],
    *,
    encoding: str | None = None,
    taiwan: bool = False,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    chunk_bytes: int | None = None,
) -> TradeTable:
    """Read Comtrade data as published (Plus, Classic, bulk, API JSON or DataFrame) into a table.

    Args:
        source: A CSV or gzip-compressed TSV file (a path, an open file, its
            bytes, or its text as a ``str`` with a line break; Arrow parses
            a ``bytearray`` where it lies, without a whole copy, and it must
            not change while it is read); the API's
            JSON (text, a file, or the parsed ``{"data": [...]}`` or list of
            records); or a DataFrame in the API's columns.
        encoding: The file's text encoding; None detects UTF-8 (with or
            without a byte-order mark), else reads cp1252.
        taiwan: Read reporter or partner 490 ("Other Asia, nes" in Comtrade,
            which is Taiwan) as the country Taiwan (``TWN``), not as the area ``S19``.
        max_rows: The most data rows to accept (None for no limit).
        chunk_bytes: The size of the blocks Arrow parses a CSV file in, in
            parallel: its unit of work, and what parsing holds in memory at
            once besides the columns (4 MiB if None; a smaller size is read as
            1 MiB, the least that pays). A record longer than a block is
            parsed whole; the table is the same whatever the size.

    Returns:
        A :class:`~nkru.table.TradeTable` in USD and kilograms, whose
        :attr:`~nkru.table.TradeTable.layout` and
        :attr:`~nkru.table.TradeTable.encoding` say what was read.

    Raises:
        StructureError: a header of neither layout, a missing column, a row
            with too many or too few fields, an unbalanced quote, a cell
            that is not what its column holds (each named by line and
            column), text in no encoding, too many rows, or a source that
            cannot be opened.
        ValidationError: a bad option.

    See :mod:`nkru.io.comtrade` for the columns read and the checks made.
    """
    limit: object = max_rows  # callers without type checks pass anything
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValidationError("max_rows", max_rows, "must be a positive whole number or None")
    size: object = chunk_bytes
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise ValidationError("chunk_bytes", chunk_bytes, "must be a positive whole number")
    if not isinstance(taiwan, bool):
        raise ValidationError("taiwan", taiwan, "must be True or False")
    problems = Problems("TradeTable")
    if isinstance(source, pd.DataFrame):
        return _from_records(source, "frame", None, taiwan=taiwan, max_rows=max_rows, problems=problems)
    if isinstance(source, (Mapping, list)):
        return _from_json(source, None, taiwan=taiwan, max_rows=max_rows, problems=problems)
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):  # JSON text (it may have no line break)
        source = source.encode("utf-8")
    codec = codec_of(encoding)
    raw = raw_source(source, problems, max_rows)
    fast = fast_csv(raw, codec)
    if fast is not None:
        table = _from_csv_fast(fast, taiwan=taiwan, max_rows=max_rows, block=chunk_bytes)
        if table is not None:
            return table
    loaded = load(raw, codec, problems, max_rows)
    if loaded.data is None:
        return _from_json(loaded.records, loaded.encoding, taiwan=taiwan, max_rows=max_rows, problems=problems)
    return _from_csv(
        loaded.data,
        loaded.encoding,
        loaded.compressed,
        taiwan=taiwan,
        max_rows=max_rows,
        problems=problems,
        block=chunk_bytes,
    )


read_comtrade_csv = read_comtrade
"""The former name of :func:`read_comtrade` (it reads more than CSV now); the same function."""


def _from_json(
    document: object, encoding: str | None, *, taiwan: bool, max_rows: int | None, problems: Problems
) -> TradeTable:
    records = document.get("data") if isinstance(document, Mapping) else document
    if not isinstance(records, list):
        problems.fail("$", 'expected the Comtrade API\'s JSON: {"data": [records]} or a list of records')
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.add(f"record {index}", f"must be a JSON object of Comtrade fields (got {type(record).__name__})")
    problems.raise_if_any()
    try:
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
        return _from_records(frame, "json", encoding, taiwan=taiwan, max_rows=max_rows, problems=problems)
    except UnicodeEncodeError:  # a lone surrogate in a string (JSON's \ud800), which no text column holds
        for index, record in enumerate(records):
            try:
                json.dumps(record, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                problems.add(f"record {index}", "holds a lone surrogate (such as \\ud800), which is no character")
        problems.raise_if_any()
        raise


def _from_records(
    frame: pd.DataFrame,
    layout: str,
    encoding: str | None,
    *,
    taiwan: bool,
    max_rows: int | None,
    problems: Problems,
) -> TradeTable:
    """Read JSON records or a DataFrame in the API's columns (Comtrade Plus names)."""
    word = "record" if layout == "json" else "row"
    names = [str(name) for name in frame.columns]
    _check_columns(names, {name: name for name in names}, "columns", problems)
    if max_rows is not None and len(frame) > max_rows:
        problems.fail(f"{word} {max_rows}", f"there are more than max_rows={max_rows} rows")
    wanted = {str(name): frame[name] for name in frame.columns if str(name) in KINDS}

    def place(rows: IntArray) -> list[str]:
        return [f"{word} {int(row)}" for row in rows]

    rows = Rows(wanted, names={}, place=place, flows=PLUS_FLOWS, taiwan=taiwan, problems=problems, size=len(frame))
    return rows.table(layout=layout, encoding=encoding)


def _columns_of(csv: Csv, problems: Problems) -> tuple[bool, dict[str, str]]:
    """Whether the header is Comtrade Classic's, and each column read: its name in the file to its Plus name."""
    classic = any(name in CLASSIC for name in csv.names) and not any(name in KINDS for name in csv.names)
    canonical = {name: CLASSIC[name] for name in csv.names if name in CLASSIC} if classic else {}
    if not classic:
        canonical = {name: name for name in csv.names if name in KINDS}
    _check_columns(csv.names, canonical, "line 1", problems)
    return classic, canonical


def _from_csv_fast(fast: Fast, *, taiwan: bool, max_rows: int | None, block: int | None) -> TradeTable | None:
    """Read a plain CSV file the fast way (see :mod:`~nkru.io.comtrade._source` and :mod:`~nkru.io.comtrade._arrow`); None if it has any problem.

    A problem of any kind sends the file the general way, which reports it
    with its line: the fast way knows no lines.
    """
    problems = Problems("TradeTable")
    try:
        csv = header(fast.head, problems, fast.codec)
        classic, canonical = _columns_of(csv, problems)
    except StructureError:
        return None
    columns = {name: PARSED[plus] for name, plus in canonical.items()}
    parsed = arrow_columns(fast, csv, columns, block)
    if parsed is None:
        return None
    size, arrays = parsed
    trailing = arrays.pop(TRAILING, None)
    if trailing is not None and any(value != "" for value in trailing.uniques):
        return None
    if max_rows is not None and size > max_rows:
        return None

    def place(rows: IntArray) -> list[str]:  # never shown: a problem sends the file the general way
        return [f"row {int(row)}" for row in rows]

    rows = Rows(
        {canonical[name]: column for name, column in arrays.items()},
        names={plus: name for name, plus in canonical.items()},
        place=place,
        flows=CLASSIC_FLOWS if classic else PLUS_FLOWS,
        taiwan=taiwan,
        problems=problems,
        typed_by_arrow=True,
        size=size,
    )
    layout = "classic" if classic else "bulk" if csv.delimiter == "\t" else "plus"
    try:
        return rows.table(layout=layout, encoding=fast.encoding)
    except (NeedText, StructureError):
        return None


def _from_csv(
    data: bytes,
    encoding: str | None,
    compressed: bool,
    *,
    taiwan: bool,
    max_rows: int | None,
    problems: Problems,
    block: int | None,
) -> TradeTable:
    csv = header(data, problems)
    classic, canonical = _columns_of(csv, problems)
    layout = "classic" if classic else "bulk" if compressed or csv.delimiter == "\t" else "plus"
    file_names = {plus: name for name, plus in canonical.items()}
    columns = {name: KINDS[plus] for name, plus in canonical.items()}
    lines: list[IntArray] = []
    read: list[int] = []

    def place(rows: IntArray) -> list[str]:
        if not lines:
            lines.append(record_lines(data, csv.delimiter))
        if lines[0].size != read[-1]:  # never seen; a wrong line would be worse than none
            problems.fail(
                "line 1",
                f"Arrow read {read[-1]} records, nkru's line count {lines[0].size}: no line of a problem can be named",
            )
        return [f"line {int(lines[0][row])}" for row in rows]

    for typed in (True, False):
        frame = _parsed(data, csv, columns, typed=typed, problems=problems, block=block)
        read.append(len(frame))
        _check_rows(frame, csv, max_rows, place, problems)
        frame = frame.rename(columns=canonical)
        rows = Rows(
            {str(name): frame[name] for name in frame.columns},
            size=len(frame),
            names=file_names,
            place=place,
            flows=CLASSIC_FLOWS if classic else PLUS_FLOWS,
            taiwan=taiwan,
            problems=problems,
            typed_by_arrow=typed,
        )
        try:
            return rows.table(layout=layout, encoding=encoding)
        except NeedText:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - the text pass raises no NeedText


def _parsed(
    data: bytes, csv: Csv, columns: dict[str, str], *, typed: bool, problems: Problems, block: int | None
) -> pd.DataFrame:
    """The CSV's columns through Arrow; a file Arrow cannot parse is re-read for the lines at fault."""
    try:
        frame: pd.DataFrame = arrow_frame(data, csv, columns, typed=typed, block=block)
    except pa.ArrowInvalid as exc:
        if typed and "conversion error" in str(exc):
            return _parsed(data, csv, columns, typed=False, problems=problems, block=block)
        structure_problems(data, csv, problems, str(exc))
        raise  # pragma: no cover - structure_problems raised
    return frame


def _check_rows(
    frame: pd.DataFrame, csv: Csv, max_rows: int | None, place: Callable[[IntArray], list[str]], problems: Problems
) -> None:
    """Refuse too many rows, and a trailing field that is not empty on every row."""
    if max_rows is not None and len(frame) > max_rows:
        (where,) = place(np.array([max_rows]))
        problems.fail(where, f"the file has more than max_rows={max_rows} rows")
    if csv.trailing:
        trailing = frame.pop(TRAILING)
        filled = (trailing.astype(object) != "").to_numpy(dtype=bool)
        cells = trailing.to_numpy(dtype=object)
        bad = np.flatnonzero(filled)[:200]
        for row, where in zip(bad, place(bad) if bad.size else [], strict=True):
            problems.add(
                where,
                f"the field after the last column {shown(csv.names[-1])} must be empty, as Comtrade Plus downloads"
                f" leave it (got {shown(str(cells[row]))})",
            )
        problems.raise_if_any()


def _check_columns(names: list[str], canonical: Mapping[str, str], where: str, problems: Problems) -> None:
    """Refuse a header of neither layout, a repeated column, or a missing one, naming the file's columns."""
    if not canonical:
        problems.fail(
            where,
            "is neither Comtrade Plus (refYear, reporterISO, partnerISO, flowCode, cmdCode, primaryValue ...)"
            " nor Comtrade Classic (Year, Reporter ISO, Partner ISO, Trade Flow Code, Commodity Code,"
            f" Trade Value (US$) ...) (got {shown(', '.join(names), 120)})",
        )
    seen: set[str] = set()
    for name in names:
        if name in canonical and name in seen:
            problems.add(where, f"column {name!r} appears twice")
        seen.add(name)
    own = {plus: name for name, plus in canonical.items()}
    classic = any(name != plus for name, plus in canonical.items())
    spelled = {plus: name for name, plus in CLASSIC.items()} if classic else {}
    for plus in REQUIRED:
        if plus not in own:
            problems.add(where, f"missing column {spelled.get(plus, plus)!r}")
    for side in ("reporter", "partner"):
        if f"{side}ISO" not in own and f"{side}Code" not in own:
            iso, code = (spelled.get(f"{side}{k}", f"{side}{k}") for k in ("ISO", "Code"))
            problems.add(where, f"missing column {iso} or {code}")
    problems.raise_if_any()

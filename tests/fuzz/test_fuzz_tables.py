"""Fuzz nkru's table entry points: exchange-rate and price CSVs, rows and frames, Comtrade files, TradeTable frames.

Each gets the profile's examples of any text (or bytes), and of valid
tables with one cell, line or column damaged. The call returns a table or
raises a :class:`~nkru.errors.StructureError` (a
:class:`~nkru.errors.ValidationError` for a bad argument); a damaged cell is
named by its line (CSV) or row (frames).
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
from typing import Any

import pandas as pd
from hypothesis import assume, given
from hypothesis import strategies as st

from fuzz.junk import ABSURD_NUMBERS, BIG_TEXT, count, hostile_text, json_like, only_nkru_errors, pick, scalars
from nkru import strategies as nst
from nkru.errors import NkruError, StructureError
from nkru.fx import ExchangeRates
from nkru.io.comtrade import read_comtrade, read_comtrade_csv
from nkru.prices import PriceIndex
from nkru.table import TradeTable

COMTRADE_HEADER = "refYear,period,freqCode,reporterISO,partnerCode,flowCode,cmdCode,primaryValue,netWgt,qty"
COMTRADE_ROWS = (
    "2005,2005,A,RUS,408,X,27,1500000,2000000,",
    "2005,200503,M,RUS,408,M,TOTAL,9e6,,5",
    "2011,2011,A,RUS,0,RX,1001,2.5e3,10,",
)
#: A Comtrade Plus download: every row ends with the empty trailing field real downloads have.
PLUS_HEADER = (
    "typeCode,freqCode,refYear,period,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,partnerDesc,"
    "cmdCode,isLeaf,customsCode,motCode,partner2Code,netWgt,isNetWgtEstimated,cifvalue,primaryValue,isReported"
)
PLUS_ROWS = (
    "C,A,2014,2014,764,THA,M,0,W00,World,8542,false,C00,0,0,0,true,900,900,true,",
    "C,A,2014,2014,764,THA,M,490,S19,Other Asia nes,8542,false,C00,0,0,74,false,500,500,false,",
    "C,M,2014,201403,764,THA,X,643,RUS,Russia,854231,true,C00,0,0,1.5,false,,400,true,",
)
#: A Comtrade Classic download, with reporter 490 "Other Asia, nes" and its empty ISO cell.
CLASSIC_HEADER = (
    "Classification,Year,Period,Aggregate Level,Is Leaf Code,Trade Flow Code,Reporter Code,Reporter,Reporter ISO,"
    "Partner Code,Partner,Partner ISO,Commodity Code,Netweight (kg),Trade Value (US$),Flag"
)
CLASSIC_ROWS = (
    "H2,2004,2004,0,0,1,490,Other Asia nes,,0,World,WLD,TOTAL,,168685711624,0",
    "H2,2004,2004,0,0,2,643,Russian Federation,RUS,408,DPRK,PRK,TOTAL,,205000000,0",
    "H2,2004,2004,2,0,3,643,Russian Federation,RUS,408,DPRK,PRK,27,100,5000000,2",
)
#: The Comtrade API's records: what ``{"data": [...]}`` holds.
API_RECORDS = (
    {"refYear": 2014, "period": "2014", "freqCode": "A", "reporterCode": 764, "reporterISO": "THA",
     "partnerCode": 490, "partnerISO": "S19", "partnerDesc": "Other Asia, nes", "flowCode": "M",
     "cmdCode": "8542", "primaryValue": 500.5, "netWgt": 74.0, "isNetWgtEstimated": False, "isLeaf": False},
    {"refYear": 2014, "period": 2014, "freqCode": "A", "reporterCode": 764, "reporterISO": "THA",
     "partnerCode": 0, "partnerISO": "W00", "partnerDesc": "World", "flowCode": "M", "cmdCode": "8542",
     "primaryValue": 900, "netWgt": 0, "isNetWgtEstimated": True, "isLeaf": False},
)  # fmt: skip
CPI = "year,index,source\n1997,160.5,bls\n2005,195.3,bls\n2011,224.939,bls\n"

#: Cell junk: absurd numbers as text, malformed codes and dates, CSV syntax, odd characters.
CELL_JUNK = st.one_of(
    hostile_text(20),
    pick([repr(n) for n in ABSURD_NUMBERS]),
    st.sampled_from(["", " ", '"', '""', '"x', ",", "\n", "\r", "nan", "NaN", "-0", "1_000", "0x10", "1e-400"]),
    pick(["9" * 400, "2005-13", "1997-02-30", "99999", "-2005", "XXX", "rub", "W00", "TOTAL", "77", BIG_TEXT[:5_000]]),
)


def _table(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.rstrip("\n").split("\n")]


def _csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows) + "\n"


@st.composite
def damaged(draw: st.DrawFn, text: str) -> tuple[str, range | None]:
    """A CSV with one cell replaced, a line dropped or repeated, a column removed or added, or a cut.

    Returns the text and the lines (1-based) a replaced data cell spans (junk with a line break
    spans two), else None.
    """
    rows = _table(text)
    kind = draw(
        st.sampled_from(("cell", "cell", "cell", "drop line", "repeat line", "drop column", "add column", "cut"))
    )
    line = draw(st.integers(min_value=0, max_value=len(rows) - 1))
    if kind == "cell":
        column = draw(st.integers(min_value=0, max_value=len(rows[line]) - 1))
        junk = draw(CELL_JUNK)
        rows[line][column] = junk
        breaks = len(re.findall(r"\r\n|\r|\n", junk))
        return _csv(rows), (range(line + 1, line + 2 + breaks) if line > 0 else None)
    if kind == "drop line":
        del rows[line]
    elif kind == "repeat line":
        rows.insert(line, list(rows[line]))
    elif kind == "drop column":
        column = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
        rows = [[cell for i, cell in enumerate(row) if i != column] for row in rows]
    elif kind == "add column":
        rows = [[*row, draw(CELL_JUNK)] for row in rows]
    else:
        whole = _csv(rows)
        return whole[: draw(st.integers(min_value=0, max_value=len(whole)))], None
    return _csv(rows), None


def _check_table_error(outcome: Any, lines: range | None) -> None:
    """An nkru error from a table reader is a StructureError, and names the damaged line when there is one."""
    if not isinstance(outcome, NkruError):
        return
    assert isinstance(outcome, StructureError), repr(outcome)
    assert outcome.problems
    assert len(str(outcome)) <= 20_000
    if lines is not None:
        # A repeated period may be reported on the other line of the pair; its reason then names this one.
        named = {int(n) for p in outcome.problems for n in re.findall(r"\bline (\d+)", f"{p.path} {p.reason}")}
        assert named & set(lines) or any(p.path.startswith("line 1") for p in outcome.problems), (lines, outcome)


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """The DataFrame of ``columns``, or nothing to test if pandas itself refuses them."""
    try:
        return pd.DataFrame(columns)
    except UnicodeEncodeError:  # pandas' Arrow-backed strings refuse lone surrogates
        assume(False)
        raise


# -- exchange rates ----------------------------------------------------------------------------


@given(nst.exchange_rates(min_currencies=1).map(ExchangeRates.to_csv).flatmap(damaged))
def test_exchange_rates_from_damaged_csv(case: tuple[str, range | None]) -> None:
    count()
    text, lines = case
    outcome = only_nkru_errors(lambda: ExchangeRates.from_csv(io.StringIO(text)))
    _check_table_error(outcome, lines)
    if not isinstance(outcome, NkruError):
        assert ExchangeRates.from_csv(outcome.to_csv()) == outcome


@given(st.one_of(hostile_text(300), st.text(st.sampled_from('RUBSD,0123456789.-\n\r"e'), max_size=200)))
def test_exchange_rates_from_any_text(text: str) -> None:
    count()
    outcome = only_nkru_errors(lambda: ExchangeRates.from_csv(io.StringIO(text)))
    _check_table_error(outcome, None)


_RATE_KEYS = st.sampled_from(["currency", "base", "period", "rate", "source", "Rate", ""])


@given(st.lists(st.one_of(st.dictionaries(_RATE_KEYS, scalars(), max_size=6), json_like(max_leaves=4)), max_size=4))
def test_exchange_rates_from_junk_rows(rows: list[Any]) -> None:
    count()
    outcome = only_nkru_errors(lambda: ExchangeRates.from_rows(rows))
    _check_table_error(outcome, None)


@given(st.dictionaries(_RATE_KEYS, st.lists(scalars(), min_size=2, max_size=2), max_size=6))
def test_exchange_rates_from_junk_frames(columns: dict[str, list[Any]]) -> None:
    count()
    frame = _frame(columns)
    outcome = only_nkru_errors(lambda: ExchangeRates.from_dataframe(frame))
    _check_table_error(outcome, None)


# -- prices ------------------------------------------------------------------------------------


@given(st.one_of(damaged(CPI), hostile_text(300).map(lambda text: (text, None))))
def test_price_index_from_damaged_or_any_csv(case: tuple[str, range | None]) -> None:
    count()
    text, lines = case
    outcome = only_nkru_errors(lambda: PriceIndex.from_csv(io.StringIO(text)))
    _check_table_error(outcome, lines)
    if not isinstance(outcome, NkruError):
        assert all(math.isfinite(point.value) and point.value > 0 for point in outcome.points)


# -- Comtrade files ----------------------------------------------------------------------------


@given(
    st.one_of(
        damaged("\n".join((COMTRADE_HEADER, *COMTRADE_ROWS)) + "\n"),
        hostile_text(300).map(lambda text: (text, None)),
        st.text(st.sampled_from(COMTRADE_HEADER + '\n\r"0123456789,'), max_size=300).map(lambda text: (text, None)),
    ),
    st.booleans(),
)
def test_comtrade_from_damaged_or_any_csv(case: tuple[str, range | None], as_bytes: bool) -> None:
    count()
    text, lines = case
    source: Any = io.BytesIO(text.encode("utf-8", "surrogatepass")) if as_bytes else io.StringIO(text)
    outcome = only_nkru_errors(lambda: read_comtrade_csv(source, chunk_bytes=64))
    _check_table_error(outcome, lines)
    if not isinstance(outcome, NkruError):
        assert isinstance(outcome, TradeTable)


@given(st.binary(max_size=300))
def test_comtrade_from_any_bytes(data: bytes) -> None:
    count()
    outcome = only_nkru_errors(lambda: read_comtrade_csv(io.BytesIO(data), chunk_bytes=64))
    _check_table_error(outcome, None)


@given(
    st.one_of(
        damaged("\n".join((PLUS_HEADER, *PLUS_ROWS)) + "\n"),
        damaged("\r\n".join((CLASSIC_HEADER, *CLASSIC_ROWS)).replace("\r\n", "\n") + "\n"),
    ),
    st.sampled_from(["utf-8", "cp1252", "gzip"]),
)
def test_read_comtrade_from_damaged_plus_and_classic(case: tuple[str, range | None], form: str) -> None:
    """A Plus download (trailing field and all) or a Classic one, damaged: a table, or the damaged line named."""
    count()
    text, lines = case
    data = text.encode("cp1252" if form == "cp1252" else "utf-8", "replace")
    source = gzip.compress(data) if form == "gzip" else data
    outcome = only_nkru_errors(lambda: read_comtrade(source))
    _check_table_error(outcome, lines)
    if not isinstance(outcome, NkruError):
        assert isinstance(outcome, TradeTable)
        assert outcome.layout in ("plus", "classic", "bulk")


@st.composite
def damaged_records(draw: st.DrawFn) -> tuple[Any, int | None]:
    """The API's records with one field replaced by junk, dropped or added, or junk in place of the document."""
    records = [dict(record) for record in API_RECORDS]
    kind = draw(st.sampled_from(("field", "field", "drop", "add", "junk")))
    index = draw(st.integers(min_value=0, max_value=len(records) - 1))
    keys = sorted(records[index])
    if kind == "field":
        records[index][draw(st.sampled_from(keys))] = draw(st.one_of(scalars(), CELL_JUNK))
    elif kind == "drop":
        del records[index][draw(st.sampled_from(keys))]
    elif kind == "add":
        records[index][draw(st.sampled_from([*keys, "cifvalue", "isReported", "x"]))] = draw(json_like(max_leaves=5))
    else:
        return draw(json_like(st.sampled_from(keys))), None
    wrapped = draw(st.sampled_from(("data", "list", "text")))
    document: Any = {"data": records} if wrapped == "data" else records
    return (json.dumps(document) if wrapped == "text" else document), index


@given(damaged_records())
def test_read_comtrade_from_damaged_api_json(case: tuple[Any, int | None]) -> None:
    """The API's JSON, damaged: a table, or an error naming the damaged record."""
    count()
    document, index = case
    outcome = only_nkru_errors(lambda: read_comtrade(document))
    if isinstance(outcome, NkruError):
        assert isinstance(outcome, StructureError), repr(outcome)
        if index is not None:
            paths = [problem.path for problem in outcome.problems]
            assert any(path.startswith((f"record {index}", "columns", "$")) for path in paths), (index, paths)
    else:
        assert isinstance(outcome, TradeTable)
        assert len(outcome) == len(API_RECORDS)


# -- the publications (WDI, FRED, ECB, Bank of Russia, BLS) ------------------------------------

_WDI = (
    '"Last Updated Date","2025-07-01",\n\n"Country Name","Country Code","Indicator Name","Indicator Code","1997","2024",\n'
    '"Russian Federation","RUS","x","PA.NUS.FCRF","5.78483333333334","",\n"China","CHN","x","PA.NUS.FCRF","8.2898","7.19",\n'
)
PUBLICATIONS: dict[str, tuple[str, Any]] = {
    "from_wdi": (_WDI, ExchangeRates.from_wdi),
    "from_fred": ("DATE,CCUSMA02RUM618N\n1997-12-01,5.941\n1998-01-01,6.0\n2023-09-01,.\n", ExchangeRates.from_fred),
    "from_ecb": ("Date,USD,JPY,RUB,\n2011-01-04,1.3,108.9,N/A,\n2011-01-03,1.33,109,40.8,\n", ExchangeRates.from_ecb),
    "from_bls": ("Date,Index,Inflation\n2024-01-01,308.417,\n2024-02-01,310.326,0.6\n", PriceIndex.from_bls),
}
_CBR = (
    '<?xml version="1.0" encoding="windows-1251"?>\n<ValCurs ID="R01235" name="Foreign Currency Market Dynamic">\n'
    '<Record Date="02.03.2001" Id="R01235"><Nominal>1</Nominal><Value>28,6200</Value></Record>\n'
    '<Record Date="03.03.1997" Id="R01235"><Nominal>100</Nominal><Value>5600,5</Value></Record>\n</ValCurs>\n'
)


@given(
    st.sampled_from(sorted(PUBLICATIONS)).flatmap(lambda name: damaged(PUBLICATIONS[name][0]).map(lambda c: (name, c)))
)
def test_publication_readers_from_damaged_files(case: tuple[str, tuple[str, range | None]]) -> None:
    count()
    name, (text, _lines) = case
    reader = PUBLICATIONS[name][1]
    _check_table_error(only_nkru_errors(lambda: reader(io.StringIO(text))), None)


@given(st.sampled_from(sorted(PUBLICATIONS)), st.one_of(hostile_text(300), st.text(max_size=200)))
def test_publication_readers_from_any_text(name: str, text: str) -> None:
    count()
    reader = PUBLICATIONS[name][1]
    _check_table_error(only_nkru_errors(lambda: reader(io.StringIO(text))), None)


@given(st.integers(0, len(_CBR)), st.integers(0, 20), CELL_JUNK)
def test_bank_of_russia_reader_from_damaged_responses(at: int, cut: int, junk: str) -> None:
    count()
    text = _CBR[:at] + junk + _CBR[at + cut :]
    for data in (text.encode("cp1251", errors="replace"), text.encode("utf-8", errors="replace")):
        _check_table_error(only_nkru_errors(lambda data=data: ExchangeRates.from_cbr(io.BytesIO(data))), None)


@given(st.binary(max_size=300))
def test_bank_of_russia_reader_from_any_bytes(data: bytes) -> None:
    count()
    _check_table_error(only_nkru_errors(lambda: ExchangeRates.from_cbr(io.BytesIO(data))), None)


# -- TradeTable frames -------------------------------------------------------------------------

_FRAME_COLUMNS = (
    "reporter",
    "partner",
    "year",
    "month",
    "hs",
    "commodity",
    "value",
    "currency",
    "mass",
    "mass_unit",
    "qty",
    "qty_unit_code",
    "id",
    "colour",
)
_VALID = {
    "reporter": ["RUS", "PRK"],
    "partner": ["PRK", "W00"],
    "flow": ["X", "import"],
    "year": [2005, 2011],
    "value": [1.5e6, float("nan")],
    "currency": ["USD", "RUB"],
}


@given(
    st.dictionaries(st.sampled_from(_FRAME_COLUMNS), st.lists(scalars(), min_size=2, max_size=2), max_size=5),
    st.lists(st.one_of(scalars(), st.sampled_from(["X", "M", "RX", "RM", "export"])), min_size=2, max_size=2),
)
def test_trade_table_from_junk_frames(junk: dict[str, list[Any]], flow: list[Any]) -> None:
    count()
    columns = {**_VALID, **junk, "flow": flow}
    frame = _frame(columns)
    outcome = only_nkru_errors(lambda: TradeTable.from_frame(frame))
    if isinstance(outcome, NkruError):
        assert isinstance(outcome, StructureError), repr(outcome)
        assert all(p.path.startswith(("row ", "column ", "$")) for p in outcome.problems), outcome.paths
    else:
        assert len(outcome) == 2

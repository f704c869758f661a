"""Hostile input, named: the catalogue of inputs that broke or slowed parsers, at every entry point.

The fuzz tests (``tests/fuzz/``) try random junk; this file pins down the
cases a reviewer should see by name, and the guarantees that are not about
random input: precision kept, messages readable, files written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import math
import os
import resource
import signal
import stat
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fuzz.junk import BIG_TEXT, HOSTILE_TEXTS, only_nkru_errors
from nkru import cli
from nkru._core import tables as _tables
from nkru.aggregate import annualize, cagr, total
from nkru.commodities import Commodity, commodity
from nkru.dataset import Dataset
from nkru.errors import NkruError, ParseError, StructureError, ValidationError
from nkru.fx import ExchangeRates, convert_currency
from nkru.io.comtrade import read_comtrade_csv
from nkru.io.dataset import dataset_csv
from nkru.measures import Measure
from nkru.parsing import parse_measure, parse_period, parse_quantity
from nkru.parties import Country, Person, Place, Region
from nkru.periods import Period, Precision
from nkru.prices import PriceIndex, cpi_u, to_constant_dollars
from nkru.records import Source, TradeFlow
from nkru.seed import load_seed_dataset
from nkru.serialization import from_dict, from_json, to_json
from nkru.table import TradeTable
from nkru.units import format_unit, money, quantity, to_unit, unit

#: Longest message an error may have: errors clip what they quote.
MAX_MESSAGE = 2_000

_FLOW = {
    "id": "tf.1",
    "reporter": {"code": "RUS"},
    "partner": {"code": "PRK"},
    "flow": "export",
    "period": {"start": "2005-01-01", "end": "2005-12-31", "precision": "year"},
    "amount": {"value": {"magnitude": 168.7e6, "unit": "USD"}},
}


def _problems(data: Any, cls: type = TradeFlow) -> dict[str, str]:
    with pytest.raises(StructureError) as info:
        from_dict(data, cls)
    assert len(str(info.value)) <= MAX_MESSAGE
    return {p.path: p.reason for p in info.value.problems}


class TestTextEntryPoints:
    @pytest.mark.parametrize("reader", [parse_quantity, parse_measure, parse_period, Period.from_sdmx])
    @pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=lambda t: repr(t[:20]) + f"…{len(t)}")
    def test_hostile_text_is_a_parse_error_or_a_value(self, reader: Any, text: str) -> None:
        value = only_nkru_errors(lambda: reader(text))
        if isinstance(value, NkruError):
            assert isinstance(value, ParseError)
            assert len(str(value)) <= MAX_MESSAGE
            return
        # The valid texts of the catalogue: amounts (BOM-prefixed, with a no-break space, padded
        # with spaces) and one year padded with no-break spaces.
        if reader in (parse_period, Period.from_sdmx):
            assert value == Period.year(2023)
            return
        parts = [value] if reader is parse_quantity else [value.value, value.lower, value.upper]
        magnitudes = [part.magnitude for part in parts if part is not None]
        assert magnitudes
        assert all(math.isfinite(magnitude) for magnitude in magnitudes)

    @pytest.mark.parametrize(
        "text",
        ["4." + "9" * 400 + " t", "0." + "0" * 330 + "1 t", "1." + "0" * 400 + " to 2 t", "1 to 2." + "0" * 400 + " t"],
    )
    @pytest.mark.parametrize("reader", [parse_quantity, parse_measure])
    def test_more_decimals_than_a_float_resolves(self, reader: Any, text: str) -> None:
        # The resolution of the last digit (1e-400) is 0.0 as a float; it was a ValidationError from Measure.
        if "to" in text and reader is parse_quantity:
            return
        with pytest.raises(ParseError, match=r"decimal places|more significant digits than a float keeps"):
            reader(text)

    @pytest.mark.parametrize("reader", [parse_quantity, parse_measure, parse_period, Period.from_sdmx])
    @pytest.mark.parametrize("value", [None, 5, 5.0, b"5 t", ["5 t"], {"5": "t"}, float("nan")])
    def test_non_text_is_a_parse_error(self, reader: Any, value: object) -> None:
        with pytest.raises(ParseError):
            reader(value)


def _deep_list(depth: int = 100_000) -> list[Any]:
    nested: list[Any] = []
    for _ in range(depth):
        nested = [nested]
    return nested


#: Values whose repr fails: a list nested past the recursion limit, an int past 4,300 digits.
UNSHOWABLE = {"deep list": _deep_list(), "int of 5,001 digits": 10**5000}

CONSTRUCTORS = {
    "Country": Country,
    "Region": Region,
    "commodity": commodity,
    "Commodity": Commodity,
    "Commodity.hs": lambda v: Commodity("gold", v),
    "Source.start": lambda v: Source(document="d", start=v, end=3, quote="abc"),
    "Period.from_sdmx": Period.from_sdmx,
    "Period.year": Period.year,
    "Period": lambda v: Period(v, v, Precision.DAY),
    "parse_period(year=)": lambda v: parse_period("in the fall", year=v),
    "unit": unit,
    "money(currency)": lambda v: money(1, v),
    "Measure": Measure,
    "Measure.resolution": lambda v: Measure(quantity(1.0, "t"), resolution=v),
    "Place": lambda v: Place(name=v),
    "Person": lambda v: Person(name=v),
}

#: Magnitudes ``quantity`` and ``money`` refuse (they take real numbers and numeric numpy arrays).
NOT_REAL = {
    "None": None,
    "'5'": "5",
    "'9**9**9**9'": "9**9**9**9",
    "b'5'": b"5",
    "[1, 2]": [1, 2],
    "a dict": {"magnitude": 1},
    "True": True,
    "np.True_": np.True_,
    "np.timedelta64": np.timedelta64(5, "D"),
    "1+2j": 1 + 2j,
    "Decimal('1.5')": Decimal("1.5"),
    "array of text": np.array(["5"]),
    "array of complex": np.array([1j]),
    "deep list": UNSHOWABLE["deep list"],
}


class TestConstructors:
    """Errors about a value never fail while showing it (``repr`` of hostile values raises)."""

    @pytest.mark.parametrize("name", sorted(CONSTRUCTORS))
    @pytest.mark.parametrize("value", sorted(UNSHOWABLE))
    def test_unshowable_values_give_nkru_errors(self, name: str, value: str) -> None:
        with pytest.raises(NkruError) as info:
            CONSTRUCTORS[name](UNSHOWABLE[value])
        assert len(str(info.value)) <= MAX_MESSAGE

    @pytest.mark.parametrize("name", ["unit", "money(currency)"])
    @pytest.mark.parametrize("value", [["t"], {"t": 1}, None, b"t", 5])
    def test_units_and_currencies_of_other_types(self, name: str, value: object) -> None:
        with pytest.raises(ParseError):
            CONSTRUCTORS[name](value)

    @pytest.mark.parametrize("make", [lambda v: quantity(v, "t"), lambda v: money(v, "USD")], ids=["quantity", "money"])
    @pytest.mark.parametrize("value", sorted(NOT_REAL))
    def test_magnitudes_that_are_not_real_numbers(self, make: Callable[[object], object], value: str) -> None:
        # Handed to pint, "5" would be read by its expression parser and None would raise its TypeError.
        with pytest.raises(ValidationError, match=r"^magnitude: must be a real number") as info:
            make(NOT_REAL[value])
        assert len(str(info.value)) <= MAX_MESSAGE


class TestUnits:
    @pytest.mark.parametrize("text", ["USD/1/s/s/s/s/s", "m*m*m*m*m", "kg ** 4 * kg", "1/s**4/s"])
    def test_powers_the_grammar_cannot_write_back_are_refused(self, text: str) -> None:
        # Accepting these made JSON that from_json refused: format_unit wrote "second ** 5".
        with pytest.raises(ParseError, match="power"):
            unit(text)

    @pytest.mark.parametrize("text", ["USD / t", "m*m*m*m", "1/s**4", "kg**4/kg**4", "t/t"])
    def test_units_read_back_from_their_canonical_text(self, text: str) -> None:
        assert unit(format_unit(unit(text))) == unit(text)


_EVENT = {
    "id": "ev.1",
    "kind": "visit",
    "period": {"start": "2011-08-01", "end": "2011-08-31", "precision": "month"},
    "title": "Visit",
}


class TestPathsNameTheItem:
    """A bad item of a list is named by its index, not only by the list."""

    @pytest.mark.parametrize("junk", ["", BIG_TEXT, "\x00"])
    def test_a_bad_note(self, junk: str) -> None:
        assert list(_problems({**_FLOW, "notes": ["fine", junk]})) == ["$.notes[1]"]

    def test_an_inferred_name_that_is_no_field(self) -> None:
        assert list(_problems({**_FLOW, "inferred": ["amount", "colour"]})) == ["$.inferred[1]"]

    def test_a_link_to_no_record(self) -> None:
        data = {"trade_flows": [_FLOW], "events": [{**_EVENT, "related": ["tf.1", "tf.2"]}]}
        assert list(_problems(data, Dataset)) == ["$.events[0].related[1]"]

    def test_a_repeated_id_names_the_second_record(self) -> None:
        data = {"trade_flows": [_FLOW], "events": [_EVENT, {**_EVENT, "id": "tf.1"}]}
        problems = _problems(data, Dataset)
        assert list(problems) == ["$.events[1].id"]
        assert "two records (also by trade_flows[0])" in problems["$.events[1].id"]


class TestNothingLost:
    @pytest.mark.parametrize("resolution", [1, 1.0, 100_000, 0.1])
    def test_json_text_of_a_measure_is_stable(self, resolution: float) -> None:
        # A resolution given as the int 1 was written "1" and read back as 1.0, so the text changed.
        text = to_json(Measure(quantity(10, "percent"), resolution=resolution))
        assert to_json(from_json(text, Measure)) == text
        assert from_json(text, Measure).resolution == float(resolution)

    def test_a_resolution_is_a_float(self) -> None:
        measure = Measure(quantity(10, "percent"), resolution=1)
        assert type(measure.resolution) is float


class _Endless(io.TextIOBase):
    """A text stream that never ends: a table reader must stop on its own."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.given = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        if size is None or size < 0:
            raise MemoryError("read() of an endless stream")
        self.given += size
        return (self.line * (size // len(self.line) + 1))[:size]


_RATES = "currency,period,rate,source\nRUB,2011,29.38,wdi\n"
_CPI = "year,index,source\n2000,172.2,bls\n"
_READERS = {"ExchangeRates.from_csv": ExchangeRates.from_csv, "PriceIndex.from_csv": PriceIndex.from_csv}


class TestTableFiles:
    """Rate and price tables are read whole, so a file past a limit is refused before it is read."""

    @pytest.mark.parametrize("name", sorted(_READERS))
    def test_a_file_past_the_limit_is_refused(self, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_tables, "MAX_TABLE_BYTES", 1_000)
        header, row = (_RATES if "Exchange" in name else _CPI).split("\n", 1)
        path = tmp_path / "big.csv"
        path.write_text(header + "\n" + row * (2_000 // len(row)), encoding="utf-8")
        with pytest.raises(StructureError, match="larger than 1000 bytes"):
            _READERS[name](path)
        with path.open(encoding="utf-8") as handle, pytest.raises(StructureError, match="larger than 1000"):
            _READERS[name](handle)

    @pytest.mark.parametrize("name", sorted(_READERS))
    def test_a_file_at_the_limit_is_read(self, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        text = _RATES if "Exchange" in name else _CPI
        monkeypatch.setattr(_tables, "MAX_TABLE_BYTES", len(text.encode()))
        path = tmp_path / "small.csv"
        path.write_text(text, encoding="utf-8")
        assert _READERS[name](path) == _READERS[name](text)

    @pytest.mark.parametrize("name", sorted(_READERS))
    def test_an_endless_stream_is_refused(self, name: str) -> None:
        stream = _Endless("2000,1,x\n")
        with pytest.raises(StructureError, match="larger than"):
            _READERS[name](stream)
        assert stream.given == _tables.MAX_TABLE_BYTES + 1

    @pytest.mark.parametrize("name", sorted(_READERS))
    @pytest.mark.parametrize("source", ["rates\x00.csv", "\x00"])
    def test_a_name_with_a_nul_is_an_nkru_error(self, name: str, source: str) -> None:
        # open() raises a bare ValueError ("embedded null byte") for these names.
        with pytest.raises(NkruError):
            _READERS[name](source)

    @pytest.mark.parametrize("name", sorted(_READERS))
    def test_an_unclosed_quote_is_named_where_it_opens(self, name: str) -> None:
        header, row = (_RATES if "Exchange" in name else _CPI).split("\n", 1)
        text = header + "\n" + '"' + row + row * 3
        with pytest.raises(StructureError) as info:
            _READERS[name](text)
        assert info.value.paths == ("line 2",)
        assert "runs to line 5" in info.value.problems[0].reason


class TestComtradeFiles:
    def test_an_endless_stream_is_refused_at_max_rows(self) -> None:
        header = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
        stream = io.StringIO(header + "2005,RUS,PRK,X,27,1\n" * 5_000)
        with pytest.raises(StructureError, match="more than max_rows=1000 rows"):
            read_comtrade_csv(stream, max_rows=1_000, chunk_bytes=4_096)

    @pytest.mark.parametrize("header", ["refYear\rx\n2005\n", "a\rb\n", '0"\n"'])
    def test_a_carriage_return_inside_the_header(self, header: str) -> None:
        with pytest.raises(StructureError):
            read_comtrade_csv(io.StringIO(header))

    @pytest.mark.parametrize("source", ["rows\x00.csv"])
    def test_a_name_with_a_nul_is_an_nkru_error(self, source: str) -> None:
        with pytest.raises(NkruError):
            read_comtrade_csv(source)

    @pytest.mark.parametrize("chunk_bytes", [64, 1 << 20])
    def test_a_byte_that_is_not_utf8_is_named_by_its_line(self, chunk_bytes: int) -> None:
        header = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
        data = (header + "2005,RUS,PRK,X,27,1\n" + "2005,RUS,PRK,\xff,27,1\n").encode("latin-1")
        with pytest.raises(StructureError) as info:  # read as cp1252, the byte is a flow code "ÿ"
            read_comtrade_csv(io.BytesIO(data), chunk_bytes=chunk_bytes)
        assert info.value.paths == ("line 3, column 'flowCode'",)
        with pytest.raises(StructureError) as info:
            read_comtrade_csv(io.BytesIO(data), chunk_bytes=chunk_bytes, encoding="utf-8")
        assert info.value.paths == ("line 3, byte 94",)


class TestTradeTableFrames:
    @pytest.mark.parametrize("flows", [[False], [0], ["zz"], ["Export", "Import"]])
    def test_a_column_of_bad_flows_is_a_structure_error(self, flows: list[object]) -> None:
        size = len(flows)
        frame = pd.DataFrame(
            {"reporter": ["RUS"] * size, "partner": ["PRK"] * size, "flow": flows, "year": [2005] * size}
        )
        with pytest.raises(StructureError):
            TradeTable.from_frame(frame)


@contextlib.contextmanager
def _disk_full(limit: int) -> Iterator[None]:
    """Make any write past ``limit`` bytes of a file fail with EFBIG, as a full disk does (Linux and macOS)."""
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


_EXPORTS = {
    "nkru export --format json": lambda path: cli.main(["export", "--format", "json", "--out", str(path)]),
    "nkru export --format csv": lambda path: cli.main(["export", "--format", "csv", "--out", str(path)]),
    "ExchangeRates.to_csv": lambda path: ExchangeRates.default().to_csv(path),
    "PriceIndex.to_csv": lambda path: cpi_u().to_csv(path),
}


def _export_or_raise(name: str, target: Path) -> None:
    """Run an export; the CLI reports an error as one line and status 2, which becomes an OSError here."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = _EXPORTS[name](target)
    if status == cli.EXIT_USAGE:
        raise OSError(stderr.getvalue())


class TestAtomicExports:
    """An export that fails while writing leaves the old file as it was and no temporary file."""

    @pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE (POSIX)")
    @pytest.mark.parametrize("name", sorted(_EXPORTS))
    def test_a_write_failing_halfway(self, name: str, tmp_path: Path) -> None:
        target = tmp_path / "out.txt"
        target.write_text("old content", encoding="utf-8")
        with _disk_full(1024), pytest.raises(OSError) as info:
            _export_or_raise(name, target)
        assert "too large" in str(info.value) or info.value.errno == errno.EFBIG
        assert target.read_text(encoding="utf-8") == "old content"
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    @pytest.mark.parametrize("name", sorted(_EXPORTS))
    def test_an_interrupt_before_the_rename(self, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        target = tmp_path / "out.txt"
        target.write_text("old content", encoding="utf-8")

        def interrupt(_fd: int) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupt)
        with contextlib.redirect_stderr(io.StringIO()), pytest.raises(KeyboardInterrupt):
            _EXPORTS[name](target)
        assert target.read_text(encoding="utf-8") == "old content"
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    @pytest.mark.parametrize("name", sorted(_EXPORTS))
    def test_a_successful_export_replaces_the_file(self, name: str, tmp_path: Path) -> None:
        target = tmp_path / "out.txt"
        target.write_text("old content", encoding="utf-8")
        with contextlib.redirect_stderr(io.StringIO()):
            _EXPORTS[name](target)
        assert target.read_text(encoding="utf-8") != "old content"
        assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]

    def test_exported_json_loads_back_equal(self, tmp_path: Path) -> None:
        target = tmp_path / "seed.json"
        with contextlib.redirect_stderr(io.StringIO()):
            assert cli.main(["export", "--format", "json", "--out", str(target)]) == 0
        text = target.read_text(encoding="utf-8")
        assert from_json(text, Dataset) == load_seed_dataset()
        assert to_json(from_json(text, Dataset), indent=2) + "\n" == text

    def test_exported_tables_load_back_equal(self, tmp_path: Path) -> None:
        rates, index = tmp_path / "rates.csv", tmp_path / "cpi.csv"
        ExchangeRates.default().to_csv(rates)
        cpi_u().to_csv(index)
        assert ExchangeRates.from_csv(rates) == ExchangeRates.default()
        assert PriceIndex.from_csv(index) == cpi_u()

    def test_exported_csv_keeps_every_magnitude_exactly(self) -> None:
        # The CLI has no CSV import; this checks what a reader of the file gets: every figure, bit for bit.
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(dataset_csv(load_seed_dataset())))}
        checked = 0
        for record in load_seed_dataset():
            for name in ("amount", "mass", "count", "share", "stated"):
                measure = getattr(record, name, None)
                if measure is None:
                    continue
                for part, suffix in ((measure.value, ""), (measure.lower, "_lower"), (measure.upper, "_upper")):
                    cell = rows[record.id][name + suffix]
                    assert (cell == "") == (part is None)
                    if part is not None:
                        assert float(cell) == part.magnitude
                        checked += 1
                assert unit(rows[record.id][name + "_unit"]) == measure.units
        assert checked > 30  # the seed states some 37 figures with a value or bounds


class TestParquet:
    @pytest.mark.parametrize("data", [b"", b"PAR1 junk", b"PAR1" + b"\x00" * 100 + b"PAR1"])
    def test_a_file_that_is_not_parquet_is_an_nkru_error(self, data: bytes, tmp_path: Path) -> None:
        pytest.importorskip("pyarrow")
        path = tmp_path / "table.parquet"
        path.write_bytes(data)
        with pytest.raises(NkruError):
            TradeTable.read_parquet(path)

    def test_to_parquet_failing_halfway_keeps_the_old_file(self, tmp_path: Path) -> None:
        pytest.importorskip("pyarrow")
        frame = pd.DataFrame({"reporter": ["RUS"] * 500, "partner": ["PRK"] * 500, "flow": ["X"] * 500})
        table = TradeTable.from_frame(frame.assign(year=range(1500, 2000), value=1.0, currency="USD"))
        target = tmp_path / "table.parquet"
        target.write_text("old content", encoding="utf-8")
        with _disk_full(2048), pytest.raises(OSError):
            table.to_parquet(target)
        assert target.read_text(encoding="utf-8") == "old content"


class TestStructuring:
    def test_big_integers_are_refused_not_rounded(self) -> None:
        # 2**64 + 1 has no float; reading it as 18446744073709551616.0 would change the figure silently.
        data = {**_FLOW, "amount": {"value": {"magnitude": 2**64 + 1, "unit": "USD"}}}
        problems = _problems(data)
        assert list(problems) == ["$.amount.value.magnitude"]
        assert "18446744073709551617" in problems["$.amount.value.magnitude"]
        assert problems["$.amount.value.magnitude"].endswith("write the float you mean, 1.8446744073709552e+19")

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ('{"magnitude": 1.0, "unit": "USD", "magnitude": 2.0}', "an object has the key 'magnitude' twice"),
            ('{"value": {"unit": "t", "magnitude": 5, "unit": "kg"}}', "an object has the key 'unit' twice"),
            ('{"value": {"magnitude": 1e-400, "unit": "USD"}}', "the number '1e-400' is too small for a float"),
            ('{"value": {"magnitude": 5.0E-999, "unit": "USD"}}', "the number '5.0E-999' is too small for a float"),
        ],
    )
    def test_json_that_would_change_silently_is_refused(self, text: str, problem: str) -> None:
        # json.loads keeps the last of two keys and reads 1e-400 as 0.0, without a word.
        with pytest.raises(StructureError) as info:
            from_json(text, Measure)
        assert info.value.problems[0].path == "$"
        assert problem in str(info.value)

    @pytest.mark.parametrize("cls", ["TradeFlow", object, 5])
    def test_a_class_nkru_does_not_build(self, cls: Any) -> None:
        # from_json(text, "TradeFlow") let cattrs' StructureHandlerNotFoundError out.
        for read in (lambda: from_json("{}", cls), lambda: from_dict({}, cls)):
            with pytest.raises(StructureError, match=r"\$: is not a type nkru builds"):
                read()

    def test_json_zeros_with_exponents_are_zeros(self) -> None:
        assert from_json('{"value": {"magnitude": 0.0e-400, "unit": "USD"}}', Measure) == Measure(money(0, "USD"))

    @pytest.mark.parametrize("magnitude", [2**53, 10**20, 2**60 + 2**8, 12345])
    def test_integers_a_float_holds_exactly_are_read(self, magnitude: int) -> None:
        data = {**_FLOW, "count": {"value": {"magnitude": magnitude, "unit": "item"}}}
        count = from_dict(data, TradeFlow).count
        assert count == Measure(quantity(float(magnitude), "item"))
        assert count is not None
        assert int(count.value.magnitude) == magnitude

    @pytest.mark.parametrize("junk", [[1], "abc", [[]], ""])
    @pytest.mark.parametrize("field", ["period", "amount", "reporter", "commodity"])
    def test_non_objects_where_objects_belong_say_so(self, field: str, junk: Any) -> None:
        problems = _problems({**_FLOW, field: junk})
        assert list(problems) == [f"$.{field}"]
        assert "unknown error" not in problems[f"$.{field}"]
        assert "object" in problems[f"$.{field}"]

    def test_huge_unknown_keys_are_clipped_in_the_message(self) -> None:
        problems = _problems({**_FLOW, BIG_TEXT: 1})
        assert list(problems) == ["$"]

    def test_many_unknown_keys_are_clipped_in_the_message(self) -> None:
        problems = _problems({f"key{i}": i for i in range(10_000)}, Dataset)
        assert list(problems) == ["$"]
        assert "key0" in problems["$"]

    @pytest.mark.parametrize("depth", [1_000, 100_000])
    def test_deep_nesting_is_a_structure_error(self, depth: int) -> None:
        nested = _deep_list(depth)
        with pytest.raises(StructureError):
            from_dict({"trade_flows": nested}, Dataset)
        with pytest.raises(StructureError) as info:
            from_json("[" * depth + "]" * depth, Dataset)
        assert info.value.paths == ("$",)

    @pytest.mark.parametrize("value", sorted(UNSHOWABLE))
    @pytest.mark.parametrize("field", ["id", "reporter", "amount", "period", "notes"])
    def test_unshowable_values_in_documents(self, field: str, value: str) -> None:
        problems = _problems({**_FLOW, field: UNSHOWABLE[value]})
        assert len(problems) == 1
        assert next(iter(problems)) in (f"$.{field}", f"$.{field}[0]")

    def test_self_referencing_dict_is_a_structure_error(self) -> None:
        data: dict[str, Any] = {}
        data["trade_flows"] = [data]
        with pytest.raises(StructureError):
            from_dict(data, Dataset)

    @pytest.mark.parametrize(
        "text",
        [b"\xff\xfe", "\ufeff{}", "1e400", "NaN", "-Infinity", "1" * 5_000, "", "{", '{"trade_flows": [}'],
    )
    def test_bad_json_text_is_a_structure_error(self, text: str | bytes) -> None:
        with pytest.raises(StructureError) as info:
            from_json(text, Dataset)
        assert info.value.paths == ("$",)
        assert len(str(info.value)) <= MAX_MESSAGE

    @pytest.mark.parametrize("value", [None, 1, [], bytearray(b"{}"), object()])
    def test_from_json_of_non_text(self, value: object) -> None:
        with pytest.raises(StructureError):
            from_json(value, Dataset)  # type: ignore[arg-type]

    def test_every_error_is_an_nkru_error(self) -> None:
        assert issubclass(StructureError, NkruError)
        assert issubclass(StructureError, ValueError)


class TestExtremeValues:
    """Numbers at a float's limits and missing values from pandas, found by a tester, each once a builtin error or a silent value."""

    def test_to_unit_takes_the_arrays_quantity_takes(self) -> None:
        converted = to_unit(quantity(np.array([1.0, 2.0]), "t"), "kg")  # type: ignore[arg-type]
        assert converted.magnitude.tolist() == [1000.0, 2000.0]
        with pytest.raises(ValidationError, match="is too large to express in kilogram"):
            to_unit(quantity(np.array([1.0, 1e308]), "t"), "kg")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("magnitude", "problem"),
        [(10**400, "is too large for a float"), (math.nan, "must be finite"), (1e308, "is too large to express in")],
    )
    def test_to_unit_of_values_no_float_holds(self, magnitude: float, problem: str) -> None:
        with pytest.raises(ValidationError, match=problem):
            to_unit(quantity(magnitude, "t"), "kg")

    @pytest.mark.parametrize("currency", ["USD", "RUR"])
    def test_converting_an_int_no_float_holds(self, currency: str) -> None:
        with pytest.raises(ValidationError, match="is too large for a float"):
            convert_currency(money(10**400, currency), "RUB", on=2000)  # a year both rouble codes circulated

    def test_a_rouble_rate_that_underflows_when_restated(self) -> None:
        # 5e-324 RUR per dollar is 0 RUB per dollar: converting roubles then divided by zero.
        with pytest.raises(StructureError, match=r"line 2, column 'rate': is too small to restate in RUB"):
            ExchangeRates.from_csv("currency,period,rate,source\nRUR,2005,5e-324,x\n")

    @pytest.mark.parametrize("year", ["9999", "0000"])
    def test_a_year_out_of_range_says_so(self, year: str) -> None:
        with pytest.raises(StructureError, match=r"column 'period': a year must be between 1000 and 2999"):
            ExchangeRates.from_csv(f"currency,period,rate,source\nRUB,{year},5,x\n")

    def test_a_missing_date_in_a_frame_is_named(self) -> None:
        frame = pd.DataFrame(
            {
                "currency": ["RUB", "EUR"],
                "period": pd.to_datetime(["2005-03-01", None]),
                "rate": [28.0, 0.8],
                "source": ["x", "x"],
            }
        )
        with pytest.raises(StructureError, match=r"\$\[1\]\.period: is missing \(NaT\)"):
            ExchangeRates.from_dataframe(frame)
        with pytest.raises(StructureError, match=r"\$\[0\]\.period: is missing \(NaT\)"):
            ExchangeRates.from_rows([{"currency": "RUB", "period": pd.NaT, "rate": 5, "source": "x"}])

    def test_a_timedelta_is_not_a_rate(self) -> None:
        row = {"currency": "RUB", "period": 2005, "rate": np.timedelta64(5, "D"), "source": "x"}
        with pytest.raises(StructureError, match=r"\$\[0\]\.rate: must be a number"):
            ExchangeRates.from_rows([row])

    def test_a_repeated_column_in_a_rate_frame_is_refused(self) -> None:
        frame = pd.DataFrame([["RUB", 2005, 28.0, 99.0, "x"]], columns=["currency", "period", "rate", "rate", "source"])
        with pytest.raises(StructureError, match="column 'rate': appears more than once"):
            ExchangeRates.from_dataframe(frame)

    @pytest.mark.parametrize(
        ("units", "problem"),
        [
            ({"mass": 5}, r"attrs\['units'\]\['mass'\]: must be a unit as text"),
            ("t", r"attrs\['units'\]: must map column names to units"),
        ],
    )
    def test_malformed_units_in_frame_attrs(self, units: object, problem: str) -> None:
        # Each left the mass column read as kilograms without a word.
        frame = pd.DataFrame(
            {"reporter": ["RUS"], "partner": ["PRK"], "flow": ["export"], "year": [2005], "mass": [5.0]}
        )
        frame.attrs["units"] = units
        with pytest.raises(StructureError, match=problem):
            TradeTable.from_frame(frame)

    def test_frame_attrs_of_dropped_columns_are_not_read(self) -> None:
        # pandas keeps attrs["units"] (value, mass, qty) on a frame whose qty columns were dropped.
        frame = pd.DataFrame(
            {"reporter": ["RUS"], "partner": ["PRK"], "flow": ["export"], "year": [2005], "mass": [5.0]}
        )
        out = TradeTable.from_frame(frame, mass_unit="t").to_frame()
        subset = out[["reporter", "partner", "flow", "year", "mass"]]
        assert TradeTable.from_frame(subset).to_frame()["mass"].tolist() == [5.0]

    def test_cagr_over_a_moment(self) -> None:
        # 1e-10 years: float ** float raised OverflowError.
        with pytest.raises(ValidationError, match=r"^last, first: give a result too large for a float"):
            cagr(money(100, "USD"), money(121, "USD"), 1e-10)
        with pytest.raises(ValidationError, match=r"^years: is too small: 1 / years is past the largest float"):
            cagr(money(100, "USD"), money(121, "USD"), 1e-320)

    @pytest.mark.parametrize(
        "make",
        [
            lambda: ExchangeRates.from_rows(
                [{"currency": "RUB", "period": np.timedelta64(2005, "D"), "rate": 30.0, "source": "x"}]
            ),
            lambda: convert_currency(money(5, "USD"), "RUB", on=np.timedelta64(2005, "D")),
            lambda: to_constant_dollars(money(5, "USD"), np.timedelta64(2005, "D"), 2020),
        ],
        ids=["rate period", "on", "constant-dollar year"],
    )
    def test_a_timedelta_is_not_a_year(self, make: Callable[[], object]) -> None:
        # numpy registers timedelta64 as an integer type; each let TypeError out.
        with pytest.raises(NkruError):
            make()

    def test_a_measure_converted_past_the_largest_float(self) -> None:
        # Measure refused the inf it was given, naming "quantity" and an inf the caller never wrote.
        with pytest.raises(ValidationError, match=r"^amount: is too large to express in KRW"):
            convert_currency(Measure(money(1.7e308, "USD")), "KRW", on=2005)

    def test_annualizing_past_the_largest_float(self) -> None:
        # One month of 1e308 dollars scaled to a year; Measure refused the inf, naming "quantity".
        with pytest.raises(ValidationError, match=r"^measure: is too large to express in USD a year"):
            annualize(Measure(money(1e308, "USD")), Period.months(2005, 1, 1), "scale")

    def test_nan_in_an_array_is_not_too_large(self) -> None:
        amounts = money(np.array([math.nan, 1.0]), "USD")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^amount: must be finite"):
            to_constant_dollars(amounts, 1988, 2020)
        with pytest.raises(ValidationError, match=r"^amount: must be finite"):
            convert_currency(amounts, "RUB", on=2005)

    def test_a_total_past_the_largest_float(self) -> None:
        with pytest.raises(ValidationError, match="give a result too large for a float"):
            total([Measure(money(1e308, "USD")), Measure(money(1e308, "USD"))])

    @pytest.mark.parametrize(
        ("amount", "problem"),
        [
            (money(1e308, "USD"), "is too large to express in dollars of 2020"),
            (Measure(money(1e308, "USD")), "is too large to express in dollars of 2020"),
            (money(10**400, "USD"), "is too large for a float"),
        ],
    )
    def test_constant_dollars_past_the_largest_float(self, amount: Any, problem: str) -> None:
        # The quantity came back as inf USD; an int no float holds raised OverflowError.
        with pytest.raises(ValidationError, match=problem):
            to_constant_dollars(amount, 1990, 2020)


class TestFileModes:
    """Atomic writes leave the permissions a plain ``open(path, "w")`` would (issue 14, item 12)."""

    def test_a_new_file_gets_0666_less_the_umask(self, tmp_path: Path) -> None:
        old = os.umask(0o022)
        try:
            _tables.write_text_atomically(tmp_path / "new.csv", "a\n")
            _tables.write_text_atomically(tmp_path / "other.csv", "a\n")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644
        assert stat.S_IMODE((tmp_path / "other.csv").stat().st_mode) == 0o644

    def test_the_umask_is_respected(self, tmp_path: Path) -> None:
        old = os.umask(0o077)
        try:
            _tables.write_text_atomically(tmp_path / "private.csv", "a\n")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "private.csv").stat().st_mode) == 0o600

    def test_an_existing_file_keeps_its_mode(self, tmp_path: Path) -> None:
        target = tmp_path / "shared.csv"
        target.write_text("old\n")
        target.chmod(0o664)
        _tables.write_text_atomically(target, "new\n")
        assert target.read_text() == "new\n"
        assert stat.S_IMODE(target.stat().st_mode) == 0o664

    def test_no_temporary_file_is_left(self, tmp_path: Path) -> None:
        _tables.write_text_atomically(tmp_path / "x.csv", "a\n")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


class TestComtradeStreams:
    """An open file is read in blocks, so that an endless stream ends in an error (read_comtrade reads whole)."""

    def test_more_line_breaks_than_rows_allow(self) -> None:
        class Endless(io.RawIOBase):
            def readable(self) -> bool:
                return True

            def read(self, size: int = -1) -> bytes:
                return b"2005,RUS,PRK,X,27,1\n" * max(1, min(size, 1 << 20) // 20)

        with pytest.raises(StructureError, match="more than max_rows=1000 rows"):
            read_comtrade_csv(Endless(), max_rows=1_000)

    def test_an_endless_line(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("nkru.io.comtrade._source._MAX_LINE", 1000)
        monkeypatch.setattr("nkru.io.comtrade._source._READ_BLOCK", 256)
        stream = io.BytesIO(b"refYear,flowCode\n" + b"x" * 5000)
        with pytest.raises(StructureError, match="line 2: a line runs on for more than 1,000 bytes"):
            read_comtrade_csv(stream)

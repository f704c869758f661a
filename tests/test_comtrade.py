"""Tests for nkru.comtrade.read_comtrade_csv: Comtrade's conventions, every bad cell by line, and chunking."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkru
import nkru.io
from nkru.errors import DoubleCountError, StructureError, ValidationError
from nkru.io.comtrade import COLUMNS, read_comtrade, read_comtrade_csv
from nkru.parties import Area, AreaKind, comtrade_area
from nkru.table import WORLD, TradeTable

SAMPLE = Path(__file__).parent.parent / "examples" / "data" / "comtrade_sample.csv"
HEADER = "refYear,period,freqCode,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,cmdCode,cmdDesc,primaryValue,netWgt,qty,qtyUnitCode,isLeaf"
ROW = "2005,2005,A,643,RUS,408,PRK,X,27,Mineral fuels,1500000,2000000,,-1,False"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def problems(text: Any, **options: Any) -> list[str]:
    with pytest.raises(StructureError) as info:
        read_comtrade_csv(text, **options)
    return [str(p) for p in info.value.problems]


class TestSample:
    def test_reads_the_sample(self) -> None:
        table = read_comtrade_csv(SAMPLE)
        out = table.to_frame()
        assert len(table) == 13
        assert table.currencies == ("USD",)
        assert table.mass_unit == "kilogram"
        assert set(out["reporter"]) == {"RUS"}
        assert set(out["partner"]) == {"PRK", WORLD}
        assert out["month"].tolist()[-2:] == [3, 4]
        assert out["commodity"].iloc[1] == "Mineral fuels, mineral oils and products of their distillation"
        assert out["qty_unit_code"].tolist()[:2] == [-1, 8]

    def test_sums_of_the_sample(self) -> None:
        table = read_comtrade_csv(SAMPLE)
        frame = table.to_frame()
        totals = table.select(partners=["PRK"], level="total", freq="A")
        assert len(totals) == len(table.where(frame["hs"].isna().to_numpy() & frame["partner"].eq("PRK").to_numpy()))
        result = totals.group_sum(["year", "flow"])
        assert result[["year", "flow", "value"]].to_numpy().tolist() == [
            [2005, "export", 212_000_000.0],
            [2005, "import", 5_400_000.0],
            [2011, "export", 101_000_000.0],
            [2011, "import", 14_300_000.0],
        ]
        chapters = table.select(level=2, freq="A").group_sum(["year", "chapter"])
        assert chapters[["year", "chapter", "value", "mass"]].to_numpy().tolist() == [
            [2005, "10", 18_500_000.0, 120_000_000.0],
            [2005, "27", 61_000_000.0, 90_500_000.0],
            [2005, "87", 1_900_000.0, 1_250_000.0],
            [2011, "27", 47_500_000.0, 52_000_000.0],
        ]
        # The two monthly Cereals rows of 2011 are no annual figure: summed with annual rows, they are refused.
        with pytest.raises(DoubleCountError, match=r'table.select\(freq="A"\)'):
            table.select(level=2).group_sum(["year", "chapter"])
        monthly = table.select(level=2, freq="M").group_sum(["year", "month", "chapter"])
        assert monthly[["year", "month", "chapter", "value"]].to_numpy().tolist() == [
            [2011, 3, "10", 2_700_000.0],
            [2011, 4, "10", 3_300_000.0],
        ]

    def test_sources(self) -> None:
        text = SAMPLE.read_text(encoding="utf-8")
        expected = read_comtrade_csv(SAMPLE).to_frame()
        for source in (str(SAMPLE), text, io.StringIO(text), io.BytesIO(text.encode())):
            pd.testing.assert_frame_equal(read_comtrade_csv(source).to_frame(), expected)
        with SAMPLE.open("rb") as handle:
            pd.testing.assert_frame_equal(read_comtrade_csv(handle).to_frame(), expected)

    def test_from_comtrade_csv_is_a_deprecated_alias(self) -> None:
        with pytest.warns(
            DeprecationWarning, match=r"TradeTable.from_comtrade_csv is deprecated.*nkru.read_comtrade_csv"
        ):
            table = TradeTable.from_comtrade_csv(SAMPLE, max_rows=100)
        pd.testing.assert_frame_equal(table.to_frame(), read_comtrade_csv(SAMPLE).to_frame())
        assert len(table) == 13

    def test_columns(self) -> None:
        assert "primaryValue" in COLUMNS
        assert "netWgt" in COLUMNS


class TestConventions:
    def test_world_and_codes(self) -> None:
        header = "refYear,reporterCode,partnerCode,flowCode,cmdCode,primaryValue"
        table = read_comtrade_csv(csv_text("2005,643,408,X,TOTAL,1", "2005,643,0,M,TOTAL,2", header=header))
        out = table.to_frame()
        assert out["reporter"].tolist() == ["RUS", "RUS"]
        assert out["partner"].tolist() == ["PRK", WORLD]
        assert out["flow"].tolist() == ["export", "import"]
        assert out["hs"].isna().all()

    def test_iso_trusted_over_comtrade_codes(self) -> None:
        # Comtrade codes the USA 842 (ISO 3166 numeric: 840); the ISO column wins.
        table = read_comtrade_csv(csv_text(ROW.replace("643,RUS", "842,USA")))
        assert table.to_frame()["reporter"].tolist() == ["USA"]

    def test_soviet_union(self) -> None:
        table = read_comtrade_csv(csv_text(ROW.replace("2005,2005,A,643,RUS", "1990,1990,A,810,SUN")))
        assert table.to_frame()["reporter"].tolist() == ["SUN"]

    def test_flows(self) -> None:
        rows = [ROW.replace(",X,", f",{code},") for code in ("X", "M", "RX", "RM")]
        assert read_comtrade_csv(csv_text(*rows)).to_frame()["flow"].tolist() == [
            "export",
            "import",
            "re_export",
            "re_import",
        ]

    def test_monthly(self) -> None:
        table = read_comtrade_csv(csv_text(ROW.replace("2005,2005,A", "2005,200512,M")))
        assert table.to_records()[0].period.end.isoformat() == "2005-12-31"

    def test_empty_weight_and_qty(self) -> None:
        out = read_comtrade_csv(csv_text(ROW.replace("2000000,,-1", ",,"))).to_frame()
        assert np.isnan(out["mass"].iloc[0])
        assert np.isnan(out["qty"].iloc[0])
        assert out["qty_unit_code"].iloc[0] == -1

    def test_quoted_cells_crlf_and_bom(self) -> None:
        row = '2005,2005,A,643,RUS,408,PRK,X,2710,"Oils, ""refined""\nand more",5,6,7,8,True'
        text = "\ufeff" + csv_text(row, ROW).replace("\n", "\r\n").replace("\r\nand", "\nand")
        out = read_comtrade_csv(text).to_frame()
        assert out["commodity"].tolist() == ['Oils, "refined"\nand more', "Mineral fuels"]
        assert out["value"].tolist() == [5.0, 1500000.0]

    @pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
    @pytest.mark.parametrize("newline", ["\r", "\r\n"])
    def test_old_mac_line_ends_read_as_line_ends(self, newline: str, chunk: int) -> None:
        # A lone CR ends a record, as it does for pandas and the csv module; it was a csv.Error.
        text = csv_text(ROW, ROW.replace(",X,", ",M,")).replace("\n", newline)
        expected = read_comtrade_csv(csv_text(ROW, ROW.replace(",X,", ",M,"))).to_frame()
        pd.testing.assert_frame_equal(read_comtrade_csv(text, chunk_bytes=chunk).to_frame(), expected)
        bad = csv_text(ROW, ROW.replace(",X,", ",Z,")).replace("\n", newline)
        assert problems(bad, chunk_bytes=chunk) == ["line 3, column 'flowCode': is not X, M, RX or RM (got 'Z')"]

    def test_a_carriage_return_between_line_ends_is_a_blank_line(self) -> None:
        assert problems(csv_text(ROW + "\r\r", ROW.replace(",X,", ",Z,"))) == [
            "line 4, column 'flowCode': is not X, M, RX or RM (got 'Z')"
        ]

    def test_blank_lines_skipped(self) -> None:
        assert len(read_comtrade_csv(csv_text(ROW, "", ROW, "\r"))) == 2

    def test_header_only(self) -> None:
        table = read_comtrade_csv(HEADER + "\n")
        assert len(table) == 0
        assert table.to_frame().empty


class TestJunk:
    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ("1500000", "nan", "line 2, column 'primaryValue': is not a number (got 'nan')"),
            ("1500000", "1e999", "line 2, column 'primaryValue': is not a number (got '1e999')"),
            ("1500000", "-5", "line 2, column 'primaryValue': must be at least 0 (got '-5')"),
            ("1500000,", ",", "line 2, column 'primaryValue': is empty"),
            ("2000000", "lots", "line 2, column 'netWgt': is not a number (got 'lots')"),
            ("2005,2005,A", "20x5,2005,A", "line 2, column 'refYear': is not a number (got '20x5')"),
            ("2005,2005,A", "2005.5,2005,A", "line 2, column 'refYear': must be a whole number (got '2005.5')"),
            ("2005,2005,A", "0999,0999,A", "line 2, column 'refYear': must be a year from 1000 to 2999 (got 999)"),
            (
                "2005,2005,A",
                "2005,2006,A",
                "line 2, column 'period': must be refYear (YYYY) or a month of it (YYYYMM) (got 2006)",
            ),
            (",A,", ",Q,", "line 2, column 'freqCode': must be A or M (got 'Q')"),
            (",A,", ",M,", "line 2, column 'freqCode': is M, but period is not a month"),
            ("PRK", "X\u00e9X", "line 2, column 'partnerISO': is not a country or area code (got 'X\u00e9X')"),
            ("RUS", "W00", "line 2, column 'reporterISO': is the World (W00), which reports nothing"),
            (",X,", ",DX,", "line 2, column 'flowCode': is not X, M, RX or RM (got 'DX')"),
            (
                ",27,",
                ",99,",
                (
                    "line 2, column 'cmdCode': is not an HS chapter (01-97, no 77) or a 4- or 6-digit code"
                    " within one (got '99')"
                ),
            ),
            ("-1,False", "1.5,False", "line 2, column 'qtyUnitCode': must be a whole number (got '1.5')"),
        ],
    )
    def test_bad_cell(self, old: str, new: str, expected: str) -> None:
        assert problems(csv_text(ROW, ROW.replace(old, new, 1))) == [expected.replace("line 2", "line 3")]

    def test_codes_only(self) -> None:
        header = "refYear,reporterCode,partnerCode,flowCode,cmdCode,primaryValue"
        rows = ("2005,643,490,X,TOTAL,1", "2005,0,408,X,TOTAL,1", "2005,,408,X,TOTAL,1", "2005,6x,408,X,TOTAL,1")
        assert sorted(problems(csv_text(*rows, header=header))) == [
            "line 3, column 'reporterCode': is the World (W00), which reports nothing",
            "line 4, column 'reporterCode': is empty, and so is the ISO column",
            "line 5, column 'reporterCode': is not a numeric area code (got '6x')",
        ]
        out = read_comtrade_csv(csv_text(rows[0], "2005,643,123,X,TOTAL,2", header=header)).to_frame()
        assert out["partner"].tolist() == ["S19", "123"]  # 490 "Other Asia, nes"; 123 an area nkru does not know
        assert out["partner_kind"].tolist() == ["nes", "group"]

    def test_control_characters(self) -> None:
        assert problems(csv_text(ROW.replace("Mineral fuels", "Mineral\x00fuels"))) == [
            "line 2, column 'cmdDesc': contains the control character '\\x00' (got 'Mineral\\x00fuels')"
        ]

    def test_field_counts(self) -> None:
        assert problems(csv_text(ROW, ROW.replace("1500000", "1,500,000"), ROW + ",extra", ROW.rsplit(",", 2)[0])) == [
            "line 3: expected 15 fields as in the header, found 17",
            "line 4: expected 15 fields as in the header, found 16",
            "line 5: expected 15 fields as in the header, found 13",
        ]

    def test_line_numbers_count_lines_inside_quotes(self) -> None:
        quoted = ROW.replace("Mineral fuels", '"Mineral\nfuels"')
        assert problems(csv_text(quoted, ROW.replace(",X,", ",Z,"))) == [
            "line 4, column 'flowCode': is not X, M, RX or RM (got 'Z')"
        ]

    def test_unbalanced_quote(self) -> None:
        assert problems(csv_text(ROW, ROW.replace("Mineral fuels", '"Mineral fuels'))) == [
            "line 3: a quoted field is never closed (an unbalanced quote)"
        ]

    def test_missing_columns(self) -> None:
        header = "refYear,flowCode,primaryValue,partnerISO"
        assert problems(csv_text("2005,X,1,PRK", header=header)) == [
            "line 1: missing column 'cmdCode'",
            "line 1: missing column reporterISO or reporterCode",
        ]

    def test_repeated_column(self) -> None:
        assert "line 1: column 'flowCode' appears twice" in problems(csv_text(ROW + ",X", header=HEADER + ",flowCode"))

    def test_empty_and_encodings(self) -> None:
        assert problems("\n") == ["line 1: the file is empty; expected a header of Comtrade columns"]
        with pytest.raises(StructureError, match="the file is empty"):
            read_comtrade_csv(io.BytesIO(b""))
        with pytest.raises(StructureError, match="the file is empty"):
            read_comtrade_csv(io.BytesIO(b"\xef\xbb\xbf"))  # a byte-order mark alone
        # Not UTF-8: read as cp1252, and said so; an explicit encoding always wins.
        latin = csv_text(ROW.replace("Mineral", "Min\xe9ral")).encode("cp1252")
        table = read_comtrade_csv(io.BytesIO(latin))
        assert (table.encoding, table.to_frame()["commodity"].tolist()) == ("cp1252", ["Min\xe9ral fuels"])
        assert problems(io.BytesIO(latin), encoding="utf-8") == ["line 2, byte 176: is not utf-8 text"]
        assert read_comtrade_csv(io.BytesIO(latin), encoding="latin-1").encoding == "iso8859-1"
        assert read_comtrade_csv(io.BytesIO(b"\xef\xbb\xbf" + latin.replace(b"\xe9", b"e"))).encoding == "utf-8-sig"
        assert read_comtrade_csv(io.BytesIO(latin.replace(b"\xe9", b"e"))).encoding == "utf-8"
        assert read_comtrade_csv(csv_text(ROW)).encoding is None  # text, not bytes: no encoding to tell
        # 0x81 is no cp1252 character either.
        assert problems(io.BytesIO(latin.replace(b"\xe9", b"\x81"))) == [
            "line 2, byte 176: is neither UTF-8 nor cp1252 text; give encoding="
        ]
        with pytest.raises(ValidationError, match="encoding"):
            read_comtrade_csv(csv_text(ROW), encoding="klingon")

    @pytest.mark.parametrize("header", ['refYear,"flow\nCode",0"\n"', 'refYear,0"\n"'])
    def test_a_header_the_csv_reader_refuses(self, header: str) -> None:
        # A quote inside an unquoted header name: the csv module refuses the line break after it.
        found = problems(header + "\n2005\n")
        assert found
        assert all(problem.startswith("line 1: ") for problem in found)

    def test_a_header_whose_quote_closes_on_a_later_line(self, tmp_path: Path) -> None:
        # Found by the fuzz suite: the csv module read lines 1-3 as the header, Arrow skipped line 1 alone, and the
        # line of a bad trailing field was looked up past the end of the records (an IndexError).
        text = csv_text(ROW + ",", ROW + ',"', ROW + ",", header=HEADER + ',"')
        path = tmp_path / "quoted.csv"
        path.write_bytes(text.encode())
        expected = ["line 1: a quoted column name is not closed on the header's line (an unbalanced quote)"]
        for source in (text, text.encode(), io.BytesIO(text.encode()), path):
            assert problems(source) == expected
        # A quote inside a name opens nothing (the csv module and Arrow agree): such a header is read.
        stray = csv_text(ROW + ",", ROW + ",", header=HEADER + ',Note 5"')
        assert len(read_comtrade_csv(stray)) == 2

    @pytest.mark.parametrize("delimiter", [",", "\t"])
    def test_a_stray_quote_inside_a_field_opens_nothing(self, delimiter: str) -> None:
        # Lines are counted as Arrow reads records: a quote opens a quoted field only where a field starts. Counting
        # every quote made the stray one open a field to the end of the file, and naming line 4 raised IndexError.
        rows = (ROW.replace("Mineral fuels", 'Pipes 5" wide'), ROW, ROW.replace("1500000", "abc"))
        text = csv_text(*rows).replace(",", delimiter)
        assert problems(text) == ["line 4, column 'primaryValue': is not a number (got 'abc')"]
        assert problems(text.replace("abc", "1500000") + ROW.replace(",", delimiter) + delimiter + "x\n") == [
            "line 5: expected 15 fields as in the header, found 16"
        ]
        # a quoted field, text after its closing quote, a doubled quote and a quote in that text
        quoted = ROW.replace("Mineral fuels", '"Min""eral" 5" fuels')
        assert problems(csv_text(quoted, ROW, ROW.replace("1500000", "abc"))) == [
            "line 4, column 'primaryValue': is not a number (got 'abc')"
        ]

    @pytest.mark.parametrize("before", ["\n", "\r\n", "  \n"])
    def test_a_blank_line_before_the_header(self, before: str, tmp_path: Path) -> None:
        # Arrow skipped the blank line 1 and read the header as data, named as line 3 (the data's own line).
        text = before + csv_text(ROW)
        path = tmp_path / "blank.csv"
        path.write_bytes(text.encode())
        expected = ["line 1: is blank, but a Comtrade file's header (its column names) must be its first line"]
        for source in (text, text.encode(), path):
            assert problems(source) == expected

    @pytest.mark.parametrize(
        ("kind", "named"),
        [
            ("int", "got int"),
            ("None", "got NoneType"),
            ("one line", "'refYear,flowCode'"),
            ("folder", "trade"),
            ("missing", "missing.csv"),
            ("nul", "'trade\\x00.csv'"),
        ],
    )
    def test_a_source_that_is_no_table(self, tmp_path: Path, kind: str, named: str) -> None:
        # Each leaked a builtin error (AttributeError, FileNotFoundError, IsADirectoryError, ValueError).
        sources: dict[str, Any] = {
            "int": 3,
            "None": None,
            "one line": "refYear,flowCode",
            "folder": tmp_path / "trade",
            "missing": tmp_path / "missing.csv",
            "nul": "trade\x00.csv",
        }
        (tmp_path / "trade").mkdir()
        with pytest.raises(StructureError) as info:
            read_comtrade_csv(sources[kind])
        assert info.value.paths == ("$",)
        assert named in str(info.value)

    def test_an_unbalanced_quote_in_a_long_file_is_named_by_its_line(self) -> None:
        text = csv_text(*([ROW] * 50), ROW.replace("Mineral fuels", '"Mineral fuels'), *([ROW] * 50))
        assert problems(text) == ["line 52: a quoted field is never closed (an unbalanced quote)"]

    def test_last_line_without_line_break(self) -> None:
        assert len(read_comtrade_csv(csv_text(ROW, ROW).rstrip("\n"))) == 2

    def test_max_rows(self) -> None:
        assert len(read_comtrade_csv(csv_text(ROW, ROW), max_rows=2)) == 2
        assert problems(csv_text(ROW, ROW, ROW), max_rows=2) == ["line 4: the file has more than max_rows=2 rows"]

    def test_max_rows_names_the_same_line_from_a_path_a_stream_or_bytes(self, tmp_path: Path) -> None:
        # a file read from disk was stopped by a coarse guard and named its last line break ("line 14")
        data = SAMPLE.read_bytes()
        path = tmp_path / "sample.csv"
        path.write_bytes(data)
        expected = ["line 7: the file has more than max_rows=5 rows"]
        for source in (data, path, io.BytesIO(data), io.StringIO(data.decode("utf-8"))):
            assert problems(source, max_rows=5) == expected

    @pytest.mark.parametrize(
        ("option", "value"), [("max_rows", 0), ("max_rows", True), ("chunk_bytes", 0), ("chunk_bytes", "1")]
    )
    def test_bad_options(self, option: str, value: Any) -> None:
        with pytest.raises(ValidationError, match=option):
            read_comtrade_csv(csv_text(ROW), **{option: value})

    def test_hostile_long_cell(self) -> None:
        long_row = ROW.replace("Mineral fuels", "x" * 300_000)
        (problem,) = problems(csv_text(long_row))
        assert problem.startswith("line 2, column 'cmdDesc': must be at most 200 characters (got 'xxx")
        assert len(problem) < 200


class TestChunking:
    @settings(max_examples=max(10, settings().max_examples // 5))  # each example parses up to 400 chunks
    @given(
        st.lists(
            st.tuples(
                st.integers(1990, 2024),
                st.sampled_from(["X", "M"]),
                st.sampled_from(["TOTAL", "27", "2710", "10"]),
                st.floats(0, 1e12),
                st.sampled_from(["", '"a, ""quoted""\nlabel"', "Cereals"]),
            ),
            max_size=20,
        ),
        st.integers(1, 400),
    )
    def test_any_chunk_size_reads_the_same(self, rows: list[tuple[int, str, str, float, str]], chunk: int) -> None:
        header = "refYear,reporterISO,partnerISO,flowCode,cmdCode,cmdDesc,primaryValue"
        text = csv_text(*(f"{y},RUS,PRK,{f},{c},{d},{v!r}" for y, f, c, v, d in rows), header=header)
        whole = read_comtrade_csv(text).to_frame()
        assert len(whole) == len(rows)
        assert whole["value"].tolist() == [v for _y, _f, _c, v, _d in rows]
        pd.testing.assert_frame_equal(
            read_comtrade_csv(text, chunk_bytes=chunk).to_frame(), whole, check_categorical=False
        )


PLUS_HEADER = (
    "typeCode,freqCode,refYear,period,reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,"
    "partnerDesc,partner2Code,classificationCode,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,motCode,qtyUnitCode,"
    "qty,isQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,"
    "isReported,isAggregate"
)
PLUS_ROWS = (
    (
        '"C","A","2014","2014","764","THA","Thailand","M","0","W00","World","0","H4","8542","ICs","4","false","C00","0",'
        '"-1",,"false","0","true",,"900","","900","0","true","false",'
    ),
    (
        '"C","A","2014","2014","764","THA","Thailand","M","490","S19","Other Asia, nes","0","H4","8542","ICs","4","false",'
        '"C00","0","5","20","false","74","false","80","500","","500","4","false","true",'
    ),
    (
        '"C","A","2014","2014","764","THA","Thailand","M","643","RUS","Russian Federation","0","H4","8542","ICs","4",'
        '"false","C00","0","5","7","true","1","false",,"400","390","400","0","true","false",'
    ),
)
CLASSIC_HEADER = (
    "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,"
    "Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,2nd Partner Code,2nd Partner,2nd Partner ISO,"
    "Customs Proc. Code,Customs,Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,"
    "Qty Unit,Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),Trade Value (US$),"
    "CIF Trade Value (US$),FOB Trade Value (US$),Flag"
)
CLASSIC_ROWS = (
    (
        'H2,2004,2004,2004,0,0,1,Import,490,"Other Asia, nes",,0,World,WLD,,,,,,,,TOTAL,ALL COMMODITIES,1,No Quantity,'
        ",,,,,,168685711624,,,0"
    ),
    (
        "H2,2004,2004,2004,0,0,2,Export,643,Russian Federation,RUS,408,Dem. People's Rep. of Korea,PRK,,,,,,,,TOTAL,"
        "ALL COMMODITIES,1,No Quantity,,,,,,,205000000,,,0"
    ),
    (
        "H2,2004,2004,2004,0,0,3,Re-Export,643,Russian Federation,RUS,408,Dem. People's Rep. of Korea,PRK,,,,,,,,TOTAL,"
        "ALL COMMODITIES,1,No Quantity,,,,,,,5000000,,,2"
    ),
)


def plus_text(*rows: str) -> str:
    return "\r\n".join((PLUS_HEADER, *rows)) + "\n"


class TestLayouts:
    def test_plus_download_with_its_trailing_field(self) -> None:
        table = read_comtrade(plus_text(*PLUS_ROWS).encode("cp1252"))
        assert (table.layout, table.encoding, len(table)) == ("plus", "utf-8", 3)
        out = table.to_frame()
        assert out["partner"].tolist() == ["W00", "S19", "RUS"]
        assert out["partner_kind"].tolist() == ["world", "nes", "country"]
        assert out["cif_value"].tolist() == [900.0, 500.0, 400.0]
        assert out["fob_value"].isna().tolist() == [True, True, False]
        assert out["customs_code"].tolist() == ["C00"] * 3
        assert out["classification"].tolist() == ["H4"] * 3
        assert out["estimation_flag"].tolist() == [0, 4, 0]
        assert out["is_reported"].tolist() == [True, False, True]
        assert out["qty_estimated"].tolist() == [False, False, True]

    def test_an_estimated_zero_is_missing_and_stays_estimated(self) -> None:
        out = read_comtrade(plus_text(*PLUS_ROWS)).to_frame()
        # World's netWgt is 0 flagged estimated: no weight, not 0 kg. RUS states 1 kg, not estimated.
        assert out["mass"].tolist()[1:] == [74.0, 1.0]
        assert np.isnan(out["mass"].iloc[0])
        assert out["mass_estimated"].tolist() == [True, False, False]
        stated = read_comtrade(plus_text(PLUS_ROWS[0].replace('"0","true",,"900"', '"0","false",,"900"')))
        assert stated.to_frame()["mass"].tolist() == [0.0]

    def test_a_trailing_field_that_is_not_empty_is_refused(self) -> None:
        rows = (PLUS_ROWS[0], PLUS_ROWS[1] + '"oops"')
        assert problems(plus_text(*rows)) == [
            (
                "line 3: the field after the last column 'isAggregate' must be empty, as Comtrade Plus downloads"
                " leave it (got 'oops')"
            )
        ]
        assert problems(plus_text(PLUS_ROWS[0], PLUS_ROWS[1][:-1])) == [
            (
                "line 3: expected 32 fields (31 columns and the empty trailing field after 'isAggregate' that the"
                " first record has), found 31"
            )
        ]

    def test_a_huge_last_column_name_is_clipped_in_both_messages(self) -> None:
        # found by the fuzz suite: the column's name was quoted whole, 100 kB in one message
        name = "x" * 100_000
        text = plus_text(*PLUS_ROWS).replace("isAggregate", name, 1)
        wrong_trailing = text.replace(PLUS_ROWS[1], PLUS_ROWS[1] + '"oops"', 1)
        short_row = text.replace(PLUS_ROWS[1], PLUS_ROWS[1][:-1], 1)
        for source in (wrong_trailing, short_row):
            (problem,) = problems(source)
            assert problem.startswith("line 3: ")
            assert len(problem) < 1_000
            assert "…(100002 characters)" in problem

    def test_bulk_gzip_tab_separated(self) -> None:
        text = plus_text(*PLUS_ROWS).replace('"', "").replace(",", "\t").replace("Other Asia\t nes", "Other Asia, nes")
        table = read_comtrade(gzip.compress(text.encode("utf-8")))
        assert (table.layout, len(table)) == ("bulk", 3)
        pd.testing.assert_frame_equal(
            table.to_frame(), read_comtrade(plus_text(*PLUS_ROWS)).to_frame(), check_categorical=False
        )

    def test_bulk_file_by_path(self, tmp_path: Path) -> None:
        path = tmp_path / "bulk.txt.gz"
        path.write_bytes(gzip.compress(plus_text(*PLUS_ROWS).replace(",", "\t").encode("cp1252")))
        assert read_comtrade(path).layout == "bulk"
        path.write_bytes(b"\x1f\x8bnot gzip")
        with pytest.raises(StructureError, match="cannot be decompressed"):
            read_comtrade(path)

    def test_classic_download(self) -> None:
        table = read_comtrade("\r\n".join((CLASSIC_HEADER, *CLASSIC_ROWS)) + "\r\n")
        out = table.to_frame()
        assert table.layout == "classic"
        assert out["reporter"].tolist() == ["S19", "RUS", "RUS"]
        assert out["reporter_kind"].tolist() == ["nes", "country", "country"]
        assert out["partner"].tolist() == ["W00", "PRK", "PRK"]
        assert out["flow"].tolist() == ["import", "export", "re_export"]
        assert out["estimation_flag"].tolist() == [0, 0, 2]
        assert out["aggr_level"].tolist() == [0, 0, 0]
        assert out["is_leaf"].tolist() == [False, False, False]
        assert out["value"].tolist() == [168685711624.0, 205000000.0, 5000000.0]
        taiwan = read_comtrade("\n".join((CLASSIC_HEADER, *CLASSIC_ROWS)), taiwan=True).to_frame()
        assert taiwan["reporter"].tolist() == ["TWN", "RUS", "RUS"]

    def test_classic_flow_codes(self) -> None:
        bad = CLASSIC_ROWS[1].replace(",2,Export,", ",5,Export,")
        assert problems(f"{CLASSIC_HEADER}\n{bad}") == [
            "line 2, column 'Trade Flow Code': is not 1, 2, 3 or 4 (got '5')"
        ]
        missing = CLASSIC_HEADER.replace("Trade Value (US$)", "Value")
        assert problems("\n".join((missing, CLASSIC_ROWS[1]))) == ["line 1: missing column 'Trade Value (US$)'"]

    def test_api_json(self) -> None:
        records = [
            {"refYear": 2014, "period": "2014", "freqCode": "A", "reporterCode": 764, "reporterISO": "THA",
             "partnerCode": 490, "partnerISO": "S19", "flowCode": "M", "cmdCode": "8542", "primaryValue": 500.5,
             "netWgt": 74.0, "isNetWgtEstimated": False, "isLeaf": False, "customsCode": "C00", "motCode": 0},
            {"refYear": 2014, "period": 2014, "freqCode": "A", "reporterCode": 764, "reporterISO": "THA",
             "partnerCode": 643, "partnerISO": "RUS", "flowCode": "M", "cmdCode": "8542", "primaryValue": 400,
             "netWgt": None, "isNetWgtEstimated": True, "isLeaf": False, "customsCode": "C00", "motCode": 0},
        ]  # fmt: skip
        document = {"elapsedTime": "0.1 secs", "count": 2, "data": records, "error": ""}
        for source in (document, records, json.dumps(document), json.dumps(records).encode()):
            table = read_comtrade(source)
            out = table.to_frame()
            assert table.layout == "json"
            assert out["partner"].tolist() == ["S19", "RUS"]
            assert out["value"].tolist() == [500.5, 400.0]
            assert out["mass_estimated"].tolist() == [False, True]
        broken = [{**records[0], "flowCode": "Q"}]
        assert problems(broken) == ["record 0, column 'flowCode': is not X, M, RX or RM (got 'Q')"]
        assert problems([3]) == ["record 0: must be a JSON object of Comtrade fields (got int)"]
        assert problems('{"data": [}') == ["$: is not valid JSON: 'Expecting value: line 1 column 11 (char 10)'"]

    def test_api_frame(self) -> None:
        frame = pd.DataFrame(
            {"refYear": [2014, 2014], "reporterCode": [764, 764], "reporterISO": ["THA", "THA"],
             "partnerCode": [0, 899], "partnerISO": ["W00", "_X"], "partnerDesc": ["World", "Areas, nes"],
             "flowCode": ["M", "M"], "cmdCode": ["8542", "8542"], "primaryValue": [10.0, 2.5],
             "isReported": [True, False], "aggrLevel": [4, 4]}
        )  # fmt: skip
        table = read_comtrade(frame)
        out = table.to_frame()
        assert (table.layout, table.encoding) == ("frame", None)
        assert out["partner_kind"].tolist() == ["world", "nes"]
        assert out["is_reported"].tolist() == [True, False]
        assert out["aggr_level"].tolist() == [4, 4]
        assert problems(frame.assign(primaryValue=[1.0, -2.0])) == [
            "row 1, column 'primaryValue': must be at least 0 (got '-2')"
        ]

    def test_a_header_of_neither_layout(self) -> None:
        (problem,) = problems("name,age\nAnn,3\n")
        assert problem.startswith("line 1: is neither Comtrade Plus (refYear")
        assert problem.endswith("(got 'name, age')")


class TestAreas:
    def test_unknown_areas_are_read_when_named_alike(self) -> None:
        rows = [PLUS_ROWS[2].replace('"643","RUS","Russian Federation"', area) for area in (
            '"568","E19","Other Europe, nes"', '"577","F19","Other Africa, nes"', '"473","A59","LAIA, nes"',
            '"473","A59","LAIA, nes"')]  # fmt: skip
        out = read_comtrade(plus_text(*rows)).to_frame()
        assert out["partner"].tolist() == ["E19", "F19", "A59", "A59"]
        assert out["partner_kind"].tolist() == ["nes", "nes", "group", "group"]
        clash = rows[2].replace('"LAIA, nes"', '"Somewhere else"')
        assert problems(plus_text(rows[2], clash)) == [
            (
                "line 3, column 'partnerISO': names the area 'A59' as 473 'Somewhere else', but an earlier row as"
                " 473 'LAIA, nes': one code, two areas"
            )
        ]

    def test_area_table(self) -> None:
        assert comtrade_area(899) == Area(code="_X", comtrade=899, name="Areas, nes", kind=AreaKind.NES)
        assert comtrade_area(837).kind is AreaKind.SPECIAL
        assert comtrade_area(97).kind is AreaKind.GROUP
        assert comtrade_area("WLD") is comtrade_area(0)
        with pytest.raises(ValidationError, match="no country"):
            Area(code="RUS", name="Russia", kind=AreaKind.COUNTRY)


class TestEntryPoints:
    def test_one_reader_under_its_names(self) -> None:
        assert nkru.read_comtrade is nkru.io.read_comtrade is read_comtrade
        assert nkru.read_comtrade_csv is nkru.io.read_comtrade_csv is read_comtrade
        assert "read_comtrade" in dir(nkru.io)
        assert "read_comtrade" in nkru.__all__

    def test_taiwan_must_be_a_bool(self) -> None:
        with pytest.raises(ValidationError, match="taiwan"):
            read_comtrade(csv_text(ROW), taiwan="yes")  # type: ignore[arg-type]


class TestCodeColumns:
    """The code columns (ISO, flow, commodity, customs codes ...) are parsed as bytes and factorized by the reader."""

    @pytest.fixture(autouse=True)
    def _fast_way_only(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The general way would read these files right too: a wrong code would only send the file there."""

        def general_way(*_args: object) -> None:
            raise AssertionError("read the general way")

        monkeypatch.setattr("nkru.io.comtrade.load", general_way)

    @staticmethod
    def codes_text(codes: list[str]) -> str:
        return csv_text(*(f"2005,RUS,PRK,X,27,1,{code}" for code in codes), header="refYear,reporterISO,partnerISO,"
                        "flowCode,cmdCode,primaryValue,customsCode")  # fmt: skip

    @pytest.mark.parametrize(
        "alphabet",
        [
            ["C", "D", "E"],  # 1 byte
            ["C0", "C1"],
            ["C00", "C01", "Cé"],  # 3 bytes, one of them a two-byte character
            ["C000", "C001"],
            ["C0000", "C0001"],
            ["C00000", "C00001"],
            ["C000000", "C000001"],
            ["C0000000", "C0000001"],  # 8 bytes
            ["C00000000", "C00000001"],  # 9: Arrow's dictionary, as before
            ["C", "C00", "C0000"],  # mixed widths: Arrow's dictionary
        ],
    )
    def test_codes_of_every_width_read_as_written_in_order(self, alphabet: list[str]) -> None:
        codes = [alphabet[(i * 7 + i // 3) % len(alphabet)] for i in range(60_000)]  # two Arrow blocks of 1 MiB
        frame = read_comtrade(self.codes_text(codes), chunk_bytes=1).to_frame()
        assert frame["customs_code"].astype(str).tolist() == codes
        assert list(frame["customs_code"].cat.categories) == list(dict.fromkeys(codes))  # as they first appear

    def test_codes_in_cp1252(self) -> None:
        codes = ["É1", "C00", "É1", "É2"]
        table = read_comtrade(self.codes_text(codes).encode("cp1252"))
        assert table.encoding == "cp1252"
        assert table.to_frame()["customs_code"].astype(str).tolist() == codes

    def test_one_width_in_one_block_and_another_in_the_next(self) -> None:
        codes = ["C00"] * 40_000 + ["C0"] * 20_000  # each block alike, the blocks not
        frame = read_comtrade(self.codes_text(codes), chunk_bytes=1).to_frame()
        assert frame["customs_code"].astype(str).tolist() == codes


class TestWholeNumbers:
    def test_whole_numbers_written_as_floats_read_the_same(self) -> None:
        """Years and codes are parsed as integers the fast way; ``2005.0`` sends the file the general way, read alike."""
        text = csv_text(ROW, ROW.replace("2005,2005", "2005.0,2.005e3").replace(",-1,", ",-1.0,"))
        frame = read_comtrade(text).to_frame()
        assert frame["year"].tolist() == [2005, 2005]
        assert frame["month"].tolist() == [0, 0]
        assert frame["qty_unit_code"].tolist() == [-1, -1]

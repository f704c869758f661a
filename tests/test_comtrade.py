"""Tests for nkru.comtrade.read_comtrade_csv: Comtrade's conventions, every bad cell by line, and chunking."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkru.errors import StructureError, ValidationError
from nkru.io.comtrade import COLUMNS, read_comtrade_csv
from nkru.table import WORLD, TradeTable

SAMPLE = Path(__file__).parent.parent / "examples" / "data" / "comtrade_sample.csv"
HEADER = "refYear,period,freqCode,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,cmdCode,cmdDesc,primaryValue,netWgt,qty,qtyUnitCode,isLeaf"
ROW = "2005,2005,A,643,RUS,408,PRK,X,27,Mineral fuels,1500000,2000000,,-1,False"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def problems(text: str | io.BytesIO, **options: Any) -> list[str]:
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
        totals = table.where(frame["hs"].isna().to_numpy() & frame["partner"].eq("PRK").to_numpy())
        result = totals.group_sum(["year", "flow"])
        assert result[["year", "flow", "value"]].to_numpy().tolist() == [
            [2005, "export", 212_000_000.0],
            [2005, "import", 5_400_000.0],
            [2011, "export", 101_000_000.0],
            [2011, "import", 14_300_000.0],
        ]
        chapters = table.where(frame["hs"].str.len().eq(2).to_numpy()).group_sum(["year", "chapter"])
        assert chapters[["year", "chapter", "value", "mass"]].to_numpy().tolist() == [
            [2005, "10", 18_500_000.0, 120_000_000.0],
            [2005, "27", 61_000_000.0, 90_500_000.0],
            [2005, "87", 1_900_000.0, 1_250_000.0],
            [2011, "10", 6_000_000.0, 20_000_000.0],
            [2011, "27", 47_500_000.0, 52_000_000.0],
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
            ("PRK", "XXX", "line 2, column 'partnerISO': is not an ISO 3166 alpha-3 country code or W00 (got 'XXX')"),
            ("RUS", "W00", "line 2, column 'reporterISO': is not an ISO 3166 alpha-3 country code (got 'W00')"),
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
            "line 2, column 'partnerCode': 490 is no ISO 3166 numeric country code; give the ISO column",
            "line 3, column 'reporterCode': 0 is the World, which reports nothing",
            "line 4, column 'reporterCode': is empty, and so is the ISO column",
            "line 5, column 'reporterCode': is not a numeric area code (got '6x')",
        ]

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

    def test_empty_and_not_utf8(self) -> None:
        assert problems("\n") == ["line 1: missing column 'refYear'", *problems("\n")[1:]]
        with pytest.raises(StructureError, match="the file is empty"):
            read_comtrade_csv(io.BytesIO(b""))
        with pytest.raises(StructureError, match="the file is empty"):
            read_comtrade_csv(io.BytesIO(b"\xef\xbb\xbf"))  # a byte-order mark alone
        with pytest.raises(StructureError, match="line 1, byte 0: the file is not UTF-8 text"):
            read_comtrade_csv(io.BytesIO(b"\xff" + csv_text(ROW).encode()))
        with pytest.raises(StructureError, match="line 2: is not UTF-8 text"):
            read_comtrade_csv(io.BytesIO(csv_text(ROW.replace("Mineral", "Min\xe9ral")).encode("latin-1")))

    @pytest.mark.parametrize("chunk", [16, 1 << 20])
    def test_a_byte_that_is_not_utf8_is_named_by_its_line(self, chunk: int) -> None:
        text = csv_text(ROW, ROW, ROW.replace("Mineral", "Min\xe9ral"), ROW)
        assert problems(io.BytesIO(text.encode("latin-1")), chunk_bytes=chunk) == ["line 4: is not UTF-8 text"]

    @pytest.mark.parametrize("header", ['refYear,"flow\nCode",0"\n"', 'refYear,0"\n"'])
    def test_a_header_the_csv_reader_refuses(self, header: str) -> None:
        # A quote inside an unquoted header name: the csv module refuses the line break after it.
        (problem,) = problems(header + "\n2005\n")
        assert problem.startswith("line 1: not valid CSV: ")

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

    def test_runaway_quote_is_cut_short(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("nkru.io.comtrade._MAX_RECORD", 1000)
        text = csv_text(ROW.replace("Mineral fuels", '"Mineral fuels'), *([ROW] * 50))
        assert problems(text, chunk_bytes=64) == [
            "line 2: a record runs on for more than 1,000 bytes (an unbalanced quote?)"
        ]

    def test_last_line_without_line_break(self) -> None:
        assert len(read_comtrade_csv(csv_text(ROW, ROW).rstrip("\n"))) == 2

    def test_max_rows(self) -> None:
        assert len(read_comtrade_csv(csv_text(ROW, ROW), max_rows=2)) == 2
        assert problems(csv_text(ROW, ROW, ROW), max_rows=2) == ["line 4: the file has more than max_rows=2 rows"]

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

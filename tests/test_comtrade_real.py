"""The real Comtrade files in ../shared/data/comtrade, read as published and summed as pandas sums them.

The files are byte for byte as Comtrade published them (see their README); a
fresh clone has no ``../shared``, and these tests skip then.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _shared import CHINA, CLASSIC, PLUS, needs_shared
from nkru.errors import DoubleCountError
from nkru.io.comtrade import read_comtrade

pytestmark = needs_shared

KEYS = ["year", "reporter", "partner", "flow"]
FLOWS = {"M": "import", "X": "export", "RM": "re_import", "RX": "re_export", 1: "import", 2: "export"}
FLOWS |= {3: "re_export", 4: "re_import"}


def data_rows(path: Path) -> int:
    """The file's records after the header (none of these files has a line break inside a cell)."""
    return sum(1 for line in path.read_bytes().splitlines() if line.strip()) - 1


def nkru_totals(path: Path) -> pd.Series[float]:
    frame = read_comtrade(path).group_sum(KEYS)
    frame["flow"] = frame["flow"].astype(str)
    return frame.set_index(KEYS)["value"].sort_index()


def assert_close(nkru: pd.Series[float], pandas: pd.Series[float]) -> None:
    assert nkru.index.tolist() == pandas.index.tolist()
    np.testing.assert_allclose(nkru.to_numpy(), pandas.to_numpy(dtype=np.float64), rtol=1e-9, atol=0)


class TestPlus:
    def test_read_as_published(self) -> None:
        table = read_comtrade(PLUS)
        assert (len(table), table.layout, table.encoding) == (data_rows(PLUS), "plus", "cp1252")
        out = table.to_frame()
        areas = out[out["partner_kind"] != "country"].groupby(["partner", "partner_kind"], observed=True).size()
        assert areas.to_dict() == {("S19", "nes"): 11, ("W00", "world"): 11, ("_X", "nes"): 8}
        assert set(out["classification"]) == {"H4", "H5", "H6"}
        raw = pd.read_csv(PLUS, encoding="cp1252", index_col=False)
        assert int(out["mass_estimated"].sum()) == int(raw["isNetWgtEstimated"].sum()) > 0
        # Every weight is kept as published (the file has no estimated 0, which would be read as missing).
        assert not (raw["isNetWgtEstimated"] & (raw["netWgt"] == 0)).any()
        stated = raw["netWgt"].notna().to_numpy()
        assert out["mass"][stated].tolist() == raw["netWgt"][stated].tolist()
        assert out["mass"][~stated].isna().all()

    def test_totals_equal_pandas(self) -> None:
        raw = pd.read_csv(PLUS, encoding="cp1252", index_col=False, dtype={"partnerISO": str})
        raw["flow"] = raw["flowCode"].map(FLOWS)
        raw["partner"] = raw["partnerISO"].str.strip()  # the file writes "Areas, nes" as "_X " (with a space)
        expected = raw.groupby(["refYear", "reporterISO", "partner", "flow"])["primaryValue"].sum()
        expected.index.names = KEYS
        assert_close(nkru_totals(PLUS), expected.sort_index())

    def test_the_world_is_not_added_to_its_partners(self) -> None:
        table = read_comtrade(PLUS)
        with pytest.raises(DoubleCountError, match=r'table.select\(partners="countries"\)'):
            table.group_sum(["year", "flow"])
        countries = table.select(partners="countries").group_sum(["year"])
        world = table.select(partners="world").group_sum(["year"])
        everyone = table.select(partners=[code for code in table.to_frame()["partner"].unique() if code != "W00"])
        # The countries alone fall short of the World: "Other Asia, nes" (Taiwan) and "Areas, nes" are missing.
        assert (countries["value"] < world["value"]).all()
        np.testing.assert_allclose(everyone.group_sum(["year"])["value"], world["value"], rtol=1e-6)


class TestClassic:
    @pytest.mark.parametrize("path", [CLASSIC, CHINA], ids=["partners", "china"])
    def test_read_as_published(self, path: Path) -> None:
        table = read_comtrade(path)
        assert (len(table), table.layout, table.encoding) == (data_rows(path), "classic", "utf-8")

    @pytest.mark.parametrize("path", [CLASSIC, CHINA], ids=["partners", "china"])
    def test_totals_equal_pandas(self, path: Path) -> None:
        raw = pd.read_csv(path, dtype={"Reporter ISO": str, "Partner ISO": str})
        raw["reporter"] = raw["Reporter ISO"].fillna("S19")  # 490 "Other Asia, nes" has no ISO cell
        raw["partner"] = raw["Partner ISO"].replace({"WLD": "W00"})
        raw["flow"] = raw["Trade Flow Code"].map(FLOWS)
        expected = raw.groupby(["Year", "reporter", "partner", "flow"])["Trade Value (US$)"].sum()
        expected.index.names = KEYS
        assert_close(nkru_totals(path), expected.sort_index())

    def test_other_asia_nes_and_taiwan(self) -> None:
        out = read_comtrade(CLASSIC).to_frame()
        assert ((out["reporter"] == "S19") & (out["reporter_kind"] == "nes")).sum() == 70
        taiwan = read_comtrade(CLASSIC, taiwan=True).to_frame()
        assert ((taiwan["reporter"] == "TWN") & (taiwan["reporter_kind"] == "country")).sum() == 70

    def test_russia_reports_its_trade_with_the_dprk(self) -> None:
        table = read_comtrade(CLASSIC).select(reporters=["RUS"], partners=["PRK"])
        raw = pd.read_csv(CLASSIC)
        russia = raw[(raw["Reporter ISO"] == "RUS") & (raw["Partner ISO"] == "PRK")]
        assert len(table) == len(russia) > 0
        sums = table.group_sum(["year", "flow"])
        expected = russia.groupby(["Year", "Trade Flow Code"])["Trade Value (US$)"].sum()
        assert {(int(y), str(f)): v for y, f, v in sums[["year", "flow", "value"]].to_numpy()} == {
            (int(y), FLOWS[int(f)]): float(v) for (y, f), v in expected.items()
        }

"""The shared data folder beside the checkout (``../shared``), and the marker of the tests that read it.

Development machines and CI have ``../shared``: the Comtrade downloads (``data/comtrade/``), the raw
rate and price publications (``data/raw/``) and the source document (``seeds/``). A user's fresh
clone has none of it, and every test that reads it is marked :data:`needs_shared`, so it skips
there with one reason. The marker asks for the folder, not for each file: where ``../shared`` is
present, a file missing from it is a failure that names the file, not a quiet skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: The checkout these tests belong to (the folder holding ``tests/``).
CHECKOUT = Path(__file__).resolve().parents[1]
#: The shared data folder beside the checkout.
SHARED = CHECKOUT.parent / "shared"

COMTRADE = SHARED / "data" / "comtrade"
RAW = SHARED / "data" / "raw"
SEEDS = SHARED / "seeds"

#: Comtrade Classic: every reporter's total trade with the World, the DPRK, KOR, JPN and the USA, 2003-2007.
CLASSIC = COMTRADE / "classic_partners-PRK-KOR-JPN-USA_TOTAL_2003-2007.csv"
#: Comtrade Classic: China's total trade with the World, JPN, the DPRK, KOR and the USA, 1993-1997.
CHINA = COMTRADE / "classic_CHN_TOTAL_1993-1997.csv"
#: Comtrade Plus: Thailand's imports of HS 8542, 2014-2024.
PLUS = COMTRADE / "plus_THA_imports_HS8542_2014-2024.csv"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="needs ../shared (the shared data beside the checkout), absent here"
)

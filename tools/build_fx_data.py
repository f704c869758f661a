"""Rebuild nkru's shipped exchange-rate and CPI tables from the raw public files.

Usage (on a development machine, where ``../shared/data/raw`` exists)::

    .venv/bin/python tools/build_fx_data.py            # rewrite src/nkru/data/*.csv
    .venv/bin/python tools/build_fx_data.py --check    # exit 1 if the shipped files differ

The package ships the CSV files; this script only documents and reproduces
how they were derived. Each raw file has a ``.source.txt`` beside it naming
its publisher, series and commit; ``docs/data-sources.md`` explains every
source id written into the tables and how the gaps were filled.

The raw files are read with nkru's own public readers (``ExchangeRates.from_wdi``,
``from_fred``, ``from_ecb`` and ``PriceIndex.from_bls``), the ones users extend
the shipped tables with; this script only adds the figures no raw file holds
and the choices below. Derivation, in short:

* ``SUR`` 1985–1990: Soviet official rate, CIA World Factbook 1991 (figures
  quoted in ``../shared/DOMAIN.md``; not in any raw file). No figure for 1991.
* ``RUR`` 1992–1997 annual: World Bank WDI ``PA.NUS.FCRF`` (IMF IFS) for
  1993, 1996, 1997, and BIS annual averages (quoted in DOMAIN.md) for the WDI
  gaps 1992, 1994, 1995. WDI and BIS give new roubles; RUR = 1000 × that,
  shifted in decimal so no digit changes.
* ``RUB`` 1998–2023 annual: WDI (this WDI vintage has no 2024 figure).
* ``RUR``/``RUB`` monthly 1996-01 to 2023-09: FRED/OECD ``CCUSMA02RUM618N``
  (monthly averages of daily rates; their 12-month means equal WDI's annual
  figures). 1992–1995 months are left out: some look like end-of-month rates.
* ``EUR`` 1999–2025 annual: ECB euro reference rates; EUR per USD =
  1 / (mean of the daily USD per EUR quotes of the year), the convention
  WDI's euro-area figures follow. Only complete years.
* ``CNY``, ``GBP``, ``JPY``, ``KRW`` annual: WDI, as published.
* CPI-U annual averages: BLS table ``cpiai.txt`` (official, 1913–2013) and,
  from 2014, the mean of the monthly indexes in ``cpiai.csv`` rounded half-up
  to 3 decimals, as BLS publishes (2025 is the mean of 11 months: BLS
  published no October 2025 index).
"""

# ruff: noqa: T201, INP001 - a command-line script that reports what it did; not a package

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from nkru.fx import ExchangeRates, RateQuote
from nkru.prices import PriceIndex
from nkru.units import ROUBLES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"
DATA = ROOT / "src" / "nkru" / "data"

WDI_FILE = "API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv"
FRED_FILE = "fred_CCUSMA02RUM618N.csv"
ECB_FILE = "eurofxref-hist.csv"
CPI_TABLE_FILE = "cpiai.txt"
CPI_MONTHLY_FILE = "cpiai.csv"

# Source ids not read from a raw file (the readers tag theirs: wdi-2025-07-01, fred-ccusma02rum618n,
# bls-cpiai-2014-02-20, bls-cpi-u-monthly-mean).
BIS = "bis"
CIA = "cia-wfb-1991"
ECB = "ecb-eurofxref"

#: Soviet official rate, roubles per US$ (CIA World Factbook 1991, as quoted in ../shared/DOMAIN.md).
SOVIET_OFFICIAL = {1985: "0.838", 1986: "0.704", 1987: "0.633", 1988: "0.629", 1989: "0.629", 1990: "0.580"}
#: BIS annual averages, NEW roubles per US$, for the years WDI lacks (as quoted in ../shared/DOMAIN.md).
BIS_NEW_ROUBLES = {1992: "0.284273", 1994: "2.191462", 1995: "4.552658"}
#: WDI countries whose rates are shipped as published (country code -> currency).
WDI_AS_PUBLISHED = {"CHN": "CNY", "GBR": "GBP", "JPN": "JPY", "KOR": "KRW"}
FRED_FIRST_MONTH = dt.date(1996, 1, 1)


def old_roubles(new_roubles: str) -> float:
    """1000 x a new-rouble figure, by moving the decimal point (exact), as the public readers quote RUR."""
    return float(Decimal(new_roubles).scaleb(3))


def new_roubles(quote: RateQuote) -> float:
    """A rouble quote's rate in new roubles (for comparing sources)."""
    return quote.rate / 1000 if quote.currency == "RUR" else quote.rate


def build_rates(raw: Path) -> tuple[ExchangeRates, list[str]]:
    """The shipped rate table and the cross-check notes, read with nkru's public readers."""
    wdi = ExchangeRates.from_wdi(raw / WDI_FILE, countries=(*WDI_AS_PUBLISHED, "RUS"))
    fred = ExchangeRates.from_fred(raw / FRED_FILE)
    quotes = [RateQuote("SUR", year, float(Decimal(rate)), CIA) for year, rate in SOVIET_OFFICIAL.items()]
    wdi_rouble_years = {q.period.start.year for q in wdi.quotes if q.currency in ROUBLES}
    for year, figure in BIS_NEW_ROUBLES.items():
        if year not in wdi_rouble_years:
            quotes.append(RateQuote("RUR", year, old_roubles(figure), BIS))
    quotes += wdi.quotes
    quotes += [quote for quote in fred.quotes if quote.period.start >= FRED_FIRST_MONTH]
    quotes += euro_quotes(ExchangeRates.from_ecb(raw / ECB_FILE, currencies=["USD"]))
    rates = ExchangeRates(quotes)
    emu = ExchangeRates.from_wdi(raw / WDI_FILE, countries=["EMU"])
    return rates, cross_checks(rates, wdi, fred, emu)


def euro_quotes(ecb: ExchangeRates) -> list[RateQuote]:
    """EUR per USD annual averages: 1 / mean of the daily USD per EUR quotes, complete years only."""
    by_year: dict[int, list[float]] = defaultdict(list)
    for quote in ecb.quotes:
        by_year[quote.period.start.year].append(quote.rate)
    last = max(quote.period.start for quote in ecb.quotes)
    complete = [year for year in sorted(by_year) if year < last.year]
    return [RateQuote("EUR", year, 1.0 / (math.fsum(by_year[year]) / len(by_year[year])), ECB) for year in complete]


def cross_checks(rates: ExchangeRates, wdi: ExchangeRates, fred: ExchangeRates, emu: ExchangeRates) -> list[str]:
    """Compare the sources where they overlap; the numbers go into docs/data-sources.md."""
    notes = []
    monthly: dict[int, list[float]] = defaultdict(list)
    for quote in fred.quotes:
        monthly[quote.period.start.year].append(new_roubles(quote))
    annual = {q.period.start.year: new_roubles(q) for q in wdi.quotes if q.currency in ROUBLES}
    worst = max(abs(math.fsum(monthly[year]) / len(monthly[year]) / annual[year] - 1) for year in range(1996, 2023))
    notes.append(f"FRED 12-month means vs WDI annual RUB, 1996-2022: largest relative difference {worst:.1e}")
    gaps = [abs(rates.rate("EUR", year) / emu.rate("EUR", year) - 1) for year in range(1999, 2025)]
    notes.append(f"ECB-derived EUR vs WDI euro area, 1999-2024: largest relative difference {max(gaps):.1e}")
    for year, figure in sorted(BIS_NEW_ROUBLES.items()):
        months = monthly.get(year, [])
        fred_mean = f"{math.fsum(months) / len(months):.6f} ({len(months)} months)" if months else "none"
        notes.append(f"{year}: BIS {figure} new roubles per USD; FRED monthly mean {fred_mean}")
    return notes


def build_cpi(raw: Path) -> tuple[PriceIndex, list[str]]:
    """The shipped CPI-U annual averages and a note on how they were checked, read with nkru's public reader."""
    official = PriceIndex.from_bls(raw / CPI_TABLE_FILE)
    monthly = PriceIndex.from_bls(raw / CPI_MONTHLY_FILE)
    last_official = official.points[-1].year
    mismatches = [
        point.year
        for point in monthly.points
        if 1980 <= point.year <= last_official and point.value != official.value(point.year)
    ]
    months_2025 = sum(
        1 for line in (raw / CPI_MONTHLY_FILE).read_text(encoding="utf-8").splitlines() if line.startswith("2025-")
    )
    notes = [
        (
            f"CPI-U: {len(official.points)} official annual averages {official.points[0].year}-{last_official}; "
            f"monthly means rounded as BLS does match them for 1980-{last_official} "
            f"except {mismatches or 'none'}; 2025 averages {months_2025} months"
        )
    ]
    return monthly.merged(official), notes


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the shipped tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the raw files (../shared/data/raw)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = parser.parse_args(argv)
    rates, rate_notes = build_rates(args.raw)
    cpi, cpi_notes = build_cpi(args.raw)
    outputs = {DATA / "usd_rates.csv": rates.to_csv(), DATA / "cpi_u.csv": cpi.to_csv()}
    for note in rate_notes + cpi_notes:
        print(note)
    stale = [path for path, text in outputs.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} differs from what the raw files give", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path.relative_to(ROOT)}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

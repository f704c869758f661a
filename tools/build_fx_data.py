"""Rebuild nkru's shipped exchange-rate and CPI tables from the raw public files.

Usage (on a development machine, where ``../shared/data/raw`` exists)::

    .venv/bin/python tools/build_fx_data.py            # rewrite src/nkru/data/*.csv
    .venv/bin/python tools/build_fx_data.py --check    # exit 1 if the shipped files differ

The package ships the CSV files; this script only documents and reproduces
how they were derived. Each raw file has a ``.source.txt`` beside it naming
its publisher, series and commit; ``docs/data-sources.md`` explains every
source id written into the tables and how the gaps were filled.

Derivation, in short:

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
import csv
import datetime as dt
import math
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from nkru.fx import ExchangeRates, RateQuote
from nkru.periods import Period
from nkru.prices import IndexPoint, PriceIndex

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"
DATA = ROOT / "src" / "nkru" / "data"

WDI_FILE = "API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv"
FRED_FILE = "fred_CCUSMA02RUM618N.csv"
ECB_FILE = "eurofxref-hist.csv"
CPI_TABLE_FILE = "cpiai.txt"
CPI_MONTHLY_FILE = "cpiai.csv"

WDI = "wdi-2025-07-01"
BIS = "bis"
CIA = "cia-wfb-1991"
FRED = "fred-ccusma02rum618n"
ECB = "ecb-eurofxref"
BLS_TABLE = "bls-cpiai-2014-02-20"
BLS_MONTHLY = "bls-cpi-u-monthly-mean"

#: Soviet official rate, roubles per US$ (CIA World Factbook 1991, as quoted in ../shared/DOMAIN.md).
SOVIET_OFFICIAL = {1985: "0.838", 1986: "0.704", 1987: "0.633", 1988: "0.629", 1989: "0.629", 1990: "0.580"}
#: BIS annual averages, NEW roubles per US$, for the years WDI lacks (as quoted in ../shared/DOMAIN.md).
BIS_NEW_ROUBLES = {1992: "0.284273", 1994: "2.191462", 1995: "4.552658"}
#: WDI countries whose rates are shipped as published (country code -> currency).
WDI_AS_PUBLISHED = {"CHN": "CNY", "GBR": "GBP", "JPN": "JPY", "KOR": "KRW"}
REDENOMINATION = dt.date(1998, 1, 1)
FRED_FIRST_MONTH = dt.date(1996, 1, 1)


def old_roubles(new_roubles: str) -> Decimal:
    """1000 x a new-rouble figure, by moving the decimal point (exact)."""
    return Decimal(new_roubles).scaleb(3)


def as_float(text: str | Decimal) -> float:
    """The float nearest to a decimal figure as published."""
    return float(Decimal(text))


def read_wdi(raw: Path) -> dict[str, dict[int, str]]:
    """Return ``{country code: {year: figure as published}}`` from the WDI bulk CSV."""
    lines = (raw / WDI_FILE).read_text(encoding="utf-8-sig").splitlines()
    reader = csv.reader(lines[4:])
    header = next(reader)
    years = {i: int(name) for i, name in enumerate(header) if re.fullmatch(r"\d{4}", name)}
    table: dict[str, dict[int, str]] = {}
    for row in reader:
        if len(row) < 2:
            continue
        table[row[1]] = {year: row[i] for i, year in years.items() if i < len(row) and row[i].strip()}
    return table


def read_fred(raw: Path) -> dict[dt.date, str]:
    """Monthly new roubles per US$, as published, by first day of month."""
    with (raw / FRED_FILE).open(encoding="utf-8") as handle:
        return {dt.date.fromisoformat(row["DATE"]): row["CCUSMA02RUM618N"] for row in csv.DictReader(handle)}


def read_ecb_usd(raw: Path) -> dict[dt.date, float]:
    """Daily USD per EUR reference rates."""
    with (raw / ECB_FILE).open(encoding="utf-8") as handle:
        return {
            dt.date.fromisoformat(row["Date"]): float(row["USD"])
            for row in csv.DictReader(handle)
            if row["USD"] not in ("", "N/A")
        }


def rouble_quotes(wdi: dict[int, str], fred: dict[dt.date, str]) -> list[RateQuote]:
    """SUR, RUR and RUB quotes: annual from CIA/BIS/WDI, monthly from FRED from 1996."""
    quotes = [RateQuote("SUR", year, as_float(rate), CIA) for year, rate in SOVIET_OFFICIAL.items()]
    for year in range(1992, 2100):
        if year in wdi:
            figure, source = wdi[year], WDI
        elif year in BIS_NEW_ROUBLES:
            figure, source = BIS_NEW_ROUBLES[year], BIS
        else:
            continue
        if year < REDENOMINATION.year:
            quotes.append(RateQuote("RUR", year, as_float(old_roubles(figure)), source))
        else:
            quotes.append(RateQuote("RUB", year, as_float(figure), source))
    for month, figure in sorted(fred.items()):
        if month < FRED_FIRST_MONTH:
            continue
        period = Period.month(month.year, month.month)
        if month < REDENOMINATION:
            quotes.append(RateQuote("RUR", period, as_float(old_roubles(figure)), FRED))
        else:
            quotes.append(RateQuote("RUB", period, as_float(figure), FRED))
    return quotes


def euro_quotes(usd_per_eur: dict[dt.date, float]) -> list[RateQuote]:
    """EUR per USD annual averages: 1 / mean of the daily USD per EUR quotes, complete years only."""
    by_year: dict[int, list[float]] = defaultdict(list)
    for day, rate in usd_per_eur.items():
        by_year[day.year].append(rate)
    last = max(usd_per_eur)
    complete = [year for year in sorted(by_year) if year < last.year]
    return [RateQuote("EUR", year, 1.0 / (math.fsum(by_year[year]) / len(by_year[year])), ECB) for year in complete]


def build_rates(raw: Path) -> tuple[ExchangeRates, list[str]]:
    """The shipped rate table and the cross-check notes."""
    wdi = read_wdi(raw)
    fred = read_fred(raw)
    quotes = rouble_quotes(wdi["RUS"], fred) + euro_quotes(read_ecb_usd(raw))
    for country, currency in WDI_AS_PUBLISHED.items():
        quotes += [RateQuote(currency, year, as_float(rate), WDI) for year, rate in wdi[country].items()]
    rates = ExchangeRates(quotes)
    return rates, cross_checks(rates, wdi, fred)


def cross_checks(rates: ExchangeRates, wdi: dict[str, dict[int, str]], fred: dict[dt.date, str]) -> list[str]:
    """Compare the sources where they overlap; the numbers go into docs/data-sources.md."""
    notes = []
    worst = 0.0
    for year in range(1996, 2023):
        months = [float(rate) for month, rate in fred.items() if month.year == year]
        worst = max(worst, abs(math.fsum(months) / len(months) / float(wdi["RUS"][year]) - 1))
    notes.append(f"FRED 12-month means vs WDI annual RUB, 1996-2022: largest relative difference {worst:.1e}")
    emu = wdi["EMU"]
    gaps = [abs(rates.rate("EUR", year) / float(emu[year]) - 1) for year in range(1999, 2025)]
    notes.append(f"ECB-derived EUR vs WDI euro area, 1999-2024: largest relative difference {max(gaps):.1e}")
    for year, figure in sorted(BIS_NEW_ROUBLES.items()):
        months = [float(rate) for month, rate in fred.items() if month.year == year]
        fred_mean = f"{math.fsum(months) / len(months):.6f} ({len(months)} months)" if months else "none"
        notes.append(f"{year}: BIS {figure} new roubles per USD; FRED monthly mean {fred_mean}")
    return notes


def build_cpi(raw: Path) -> tuple[PriceIndex, list[str]]:
    """The shipped CPI-U annual averages and a note on how they were checked."""
    official: dict[int, str] = {}
    for line in (raw / CPI_TABLE_FILE).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 14 and re.fullmatch(r"\d{4}", fields[0]):
            official[int(fields[0])] = fields[13]  # Year, Jan..Dec, Annual Avg.
    monthly: dict[int, list[Decimal]] = defaultdict(list)
    with (raw / CPI_MONTHLY_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            monthly[int(row["Date"][:4])].append(Decimal(row["Index"]))
    points = [IndexPoint(year, float(value), BLS_TABLE) for year, value in sorted(official.items())]
    mismatches = []
    for year, values in sorted(monthly.items()):
        step = Decimal("0.1") if year < 2007 else Decimal("0.001")
        mean = (sum(values, Decimal(0)) / len(values)).quantize(step, rounding=ROUND_HALF_UP)
        if year in official:
            if Decimal(official[year]) != mean and year >= 1980:
                mismatches.append(year)
            continue
        if year >= max(monthly):  # the current year is partial
            continue
        if len(values) != 12 and year != 2025:
            raise SystemExit(f"{CPI_MONTHLY_FILE}: {year} has {len(values)} months; decide how to treat it")
        points.append(IndexPoint(year, float(mean), BLS_MONTHLY))
    notes = [
        (
            f"CPI-U: {len(official)} official annual averages {min(official)}-{max(official)}; "
            f"monthly means rounded as BLS does match them for 1980-{max(official)} "
            f"except {mismatches or 'none'}; 2025 averages {len(monthly[2025])} months"
        )
    ]
    return PriceIndex("CPI-U", "USD", tuple(points)), notes


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

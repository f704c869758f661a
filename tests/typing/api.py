"""User-style code that mypy --strict checks, to prove nkru's public API types well.

Not collected by pytest (no test functions); mypy reads it through the `files` setting.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pint

import nkru
from nkru.records import TradeFlow


def annual_export(value_usd: float, year: int) -> TradeFlow:
    return nkru.TradeFlow(
        id=f"tf.export.{year}",
        reporter=nkru.Country("RUS"),
        partner=nkru.Country("PRK"),
        flow=nkru.Flow.EXPORT,
        period=nkru.Period.year(year),
        amount=nkru.Measure(nkru.money(value_usd, "USD"), resolution=1e5),
    )


def in_tonnes(amount: pint.Quantity[float]) -> float:
    converted: pint.Quantity[float] = nkru.to_unit(amount, "t")
    magnitude: float = converted.magnitude
    return magnitude


def coverage_of_first_quarter() -> float:
    period: nkru.Period = nkru.Period.from_sdmx("2006-Q1")
    start: dt.date = period.start
    return period.coverage(start.year)


def round_trip(flow: TradeFlow) -> TradeFlow:
    text: str = nkru.to_json(flow)
    back: TradeFlow = nkru.from_json(text, TradeFlow)
    return back


def catch_both() -> str:
    try:
        nkru.money(1, "XXX")
    except nkru.NkruError as exc:
        return str(exc)
    return ""


def russian_exports_to_the_dprk(path: str) -> dict[int, float]:
    table: nkru.TradeTable = nkru.read_comtrade(path, encoding=None, taiwan=False)
    layout: str | None = table.layout
    assert layout in (None, "plus", "classic", "bulk", "json", "frame")
    chosen = table.select(reporters=["RUS"], partners=["PRK"], level="total", freq="A", flows="export")
    sums = chosen.group_sum(["year"])
    return {int(year): float(value) for year, value in zip(sums["year"], sums["value"], strict=True)}


def an_area_is_no_country() -> bool:
    area: nkru.Area = nkru.Area(code="S19", comtrade=490, name="Other Asia, nes", kind=nkru.AreaKind.NES)
    try:
        nkru.TradeTable.from_frame(pd.DataFrame()).group_sum(["year"])
    except nkru.DoubleCountError as exc:
        return bool(exc.selection)
    except nkru.NkruError:
        pass
    return area.kind is nkru.AreaKind.NES


def one_set_of_habits(text: str) -> str:
    """A date as text or a Period, codes in lower case, Quantities in a total, digits as stated."""
    aid: nkru.Measure = nkru.parse_measure(text, on="1997-12")
    dollars: nkru.Measure = nkru.convert_currency(aid, "usd", on=nkru.Period.month(1997, 12))
    instead = ""
    try:
        nkru.convert_currency(nkru.money(3.5e9, "RUB"), "USD", on=1997)
    except nkru.CurrencyNotInCirculationError as exc:
        instead = exc.instead
    restated = nkru.to_constant_dollars(dollars, nkru.Period.year(1997), "2025")
    both: nkru.Measure = nkru.total([nkru.money(1, "USD"), restated], to="USD", on=dt.date(2005, 6, 30))
    return instead + nkru.format_measure(both, digits=None) + nkru.format_measure(restated)


def the_dprks_mirror_trade(path: str) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    table = nkru.read_comtrade(path)
    dprk: nkru.TradeTable = table.mirror("PRK", cif_fob=1.06)
    balance: pd.DataFrame = dprk.balance(["year"], missing="zero")
    shares = dprk.share(["year", "flow", "partner"], of=["year", "flow"])
    dprk.unit_value(per="t", estimated="exclude")
    dprk.percent_change(["flow"])
    growth = dprk.cagr(["flow"], first=2003, last=2007)
    dprk.top(5, by=["partner"], within=["year"])
    gaps: pd.DataFrame = nkru.reconcile(table, "KOR", "JPN", cif_fob=1.06)
    twin = nkru.aggregate.group_balance(nkru.load_seed_dataset().trade_flows, "year", missing="zero")
    first = next(iter(twin.values()), None)
    return balance, shares.merge(gaps, how="cross"), float(growth["cagr"].iloc[0]) + (first is None)


def an_analysts_afternoon(path: str) -> list[str]:
    data: nkru.Dataset = nkru.load_seed_dataset()
    turnover: pd.DataFrame = data.series(flow="turnover", partner="PRK")
    flows_2005: tuple[nkru.dataset.AnyRecord, ...] = data.select(during=2005, kind="trade_flow", flow=nkru.Flow.EXPORT)
    frame: pd.DataFrame = nkru.records_to_frame(flows_2005)
    back: tuple[nkru.dataset.AnyRecord, ...] = nkru.records_from_frame(frame)
    assert back == flows_2005
    table = nkru.TradeTable.from_records(data, unfit="skip")
    report: nkru.Report = nkru.check(data, against=nkru.read_comtrade(path))
    assert len(table) + len(turnover) > 0
    return [finding.message for finding in report.findings if finding.rule is nkru.Rule.REPORTED_FIGURE]


def mirror_on_dask(glob: str) -> dict[int, float]:
    import nkru.dask  # noqa: PLC0415 - the optional extra, as a user imports it

    table: nkru.dask.DaskTradeTable = nkru.dask.read_comtrade(glob, blocksize=None)
    mirrored = table.select(level="total", freq="A", partners=["PRK"]).mirror("PRK", cif_fob=1.06)
    sums = mirrored.convert_currency("USD").group_sum(["year"])
    whole: nkru.TradeTable = mirrored.compute()
    assert len(whole) >= 0
    return {int(year): float(value) for year, value in zip(sums["year"], sums["value"], strict=True)}

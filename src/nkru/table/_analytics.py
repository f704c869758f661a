"""Trade analytics on group sums and mirror statistics on frames, for :class:`nkru.table.TradeTable`.

Each analytic here is computed from the frame :meth:`TradeTable.group_sum
<nkru.table.TradeTable.group_sum>` returns (balance, share, growth, top,
unit value) or maps a frame of rows to a frame of rows (the mirror), so any
table that can sum by groups, or map its partitions, computes the same:
the columnar table's methods call these on their own sums and rows.

A group-sum frame holds the key columns, ``value``, ``value_count``,
``mass``, ``mass_count`` and ``rows``, with ``attrs["units"]`` giving the
units of ``value`` and ``mass``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from nkru._core.numbers import checked_float
from nkru.errors import CurrencyMismatchError, ValidationError
from nkru.parties import AreaKind, area_kind, comtrade_area

__all__ = [
    "balance_of",
    "cagr_of",
    "checked_keys",
    "mirror_frame",
    "mirror_party",
    "months_of",
    "percent_change_of",
    "reconciled",
    "share_of",
    "top_of",
    "unit_value_of",
]

#: What :func:`mirror_frame` turns each partner-reported flow into: the flow of the party mirrored.
MIRRORED_FLOWS: Final = {"import": "export", "export": "import"}


def checked_keys(by: object, allowed: Sequence[str], *, without: Sequence[str] = (), what: str = "by") -> list[str]:
    """``by`` as a list of distinct keys of ``allowed``, none of ``without``.

    Raises:
        ValidationError: an unknown, repeated or refused key, named with ``what``.
    """
    keys = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple)) else None
    if keys is None or len(set(keys)) != len(keys) or any(key not in allowed or key in without for key in keys):
        choices = ", ".join(key for key in allowed if key not in without)
        raise ValidationError(what, by, f"must be distinct keys of {choices}")
    return keys


def _non_empty(sums: pd.DataFrame, what: str) -> None:
    if sums.empty:
        raise ValidationError("table", what, "has no rows to compute from: the selection is empty")


def _value_unit(sums: pd.DataFrame) -> str | None:
    units = sums.attrs.get("units", {})
    unit = units.get("value") if isinstance(units, dict) else None
    return unit if isinstance(unit, str) else None


def _plain(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The key columns as plain objects (categories of two frames merge as objects anyway), None for missing."""
    result = frame.copy()
    for key in keys:
        if key in result and isinstance(result[key].dtype, pd.CategoricalDtype):
            result[key] = result[key].astype(object).where(result[key].notna(), None)
    return result


def balance_of(sums: pd.DataFrame, by: Sequence[str], *, missing: str = "nan") -> pd.DataFrame:
    """Exports minus imports per group, from a group sum by ``[*by, "flow"]``.

    Args:
        sums: The group sums.
        by: The group keys besides ``flow``.
        missing: ``"nan"``: a group with no export (or import) rows has NaN as
            that side and as its balance; ``"zero"``: the missing side counts as 0.

    Raises:
        ValidationError: ``missing`` is neither, or there are no export or import sums.
    """
    if missing not in ("nan", "zero"):
        raise ValidationError("missing", missing, "must be 'nan' or 'zero'")
    flows = sums["flow"].astype(str)
    _non_empty(sums[flows.isin(("export", "import"))], "export and import rows")
    plain = _plain(sums, by)
    sides = []
    for flow, name in (("export", "exports"), ("import", "imports")):
        side = plain.loc[flows == flow, [*by, "value"]].rename(columns={"value": name})
        sides.append(side)
    if by:
        frame = sides[0].merge(sides[1], on=list(by), how="outer", sort=False)
        frame = frame.sort_values(list(by), na_position="last", kind="stable").reset_index(drop=True)
    else:
        frame = pd.DataFrame(
            {
                "exports": [sides[0]["exports"].iloc[0] if len(sides[0]) else math.nan],
                "imports": [sides[1]["imports"].iloc[0] if len(sides[1]) else math.nan],
            }
        )
    if missing == "zero":
        frame[["exports", "imports"]] = frame[["exports", "imports"]].fillna(0.0)
    frame["balance"] = frame["exports"] - frame["imports"]
    unit = _value_unit(sums)
    frame.attrs["units"] = {"exports": unit, "imports": unit, "balance": unit}
    return frame


def share_of(sums: pd.DataFrame, by: Sequence[str], of: Sequence[str]) -> pd.DataFrame:
    """Each group's value as a percentage of the sum over the groups that share its ``of`` keys.

    A whole of zero or NaN gives a NaN share.
    """
    _non_empty(sums, "the groups")
    frame = sums[[*by, "value"]].copy()
    if of:
        wholes = frame.groupby(list(of), observed=True, dropna=False, sort=False)["value"].transform("sum")
        counts = frame.groupby(list(of), observed=True, dropna=False, sort=False)["value"].transform("count")
    else:
        wholes = pd.Series(frame["value"].sum(), index=frame.index)
        counts = pd.Series(frame["value"].count(), index=frame.index)
    whole = np.where(counts.to_numpy() > 0, wholes.to_numpy(dtype=np.float64), np.nan)
    frame["total"] = whole
    with np.errstate(divide="ignore", invalid="ignore"):
        share = frame["value"].to_numpy(dtype=np.float64) / whole * 100.0
    frame["share"] = np.where(whole > 0, share, np.nan)
    unit = _value_unit(sums)
    frame.attrs["units"] = {"value": unit, "total": unit, "share": "percent"}
    return frame


def unit_value_of(
    sums: pd.DataFrame,
    by: Sequence[str],
    *,
    quantity: str,
    per: str,
    scale: float,
    estimated: pd.Series[Any] | None,
) -> pd.DataFrame:
    """Value over quantity per group, from sums over the rows that state both.

    Args:
        sums: Group sums whose ``mass`` column holds the quantity summed.
        by: The group keys.
        quantity: The name of the quantity column in the result (``mass`` or ``qty``).
        per: The unit the unit value is per, for ``attrs["units"]``.
        scale: What one unit of the summed quantity is in ``per`` (1000 for kg per tonne, say).
        estimated: Per group (aligned with ``sums``), the rows whose quantity was estimated; None if left out.
    """
    _non_empty(sums, "rows that state both a value and a quantity")
    frame = sums[list(by)].copy()
    frame["value"] = sums["value"].to_numpy()
    amount = sums["mass"].to_numpy(dtype=np.float64) / scale
    frame[quantity] = amount
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["unit_value"] = np.where(amount > 0, frame["value"].to_numpy(dtype=np.float64) / amount, np.nan)
    frame["rows"] = sums["rows"].to_numpy()
    if estimated is not None:
        frame["estimated_rows"] = estimated.to_numpy(dtype=np.int64)
    unit = _value_unit(sums)
    frame.attrs["units"] = {"value": unit, quantity: per, "unit_value": f"{unit}/{per}"}
    return frame


def months_of(sums: pd.DataFrame, monthly: pd.DataFrame | None, by: Sequence[str]) -> pd.DataFrame:
    """``sums`` (a group sum by ``[*by, "year"]``) with ``months``: how many months of the year its value covers.

    A year of annual rows covers 12. For monthly rows, ``monthly`` is the
    group sum by ``[*by, "year", "month"]`` and a year covers the months in
    which some row states a value; None: every row is annual. Growth counts a
    year only if it covers all 12 months, so three months of 2005 never pass
    for 2005.
    """
    result = sums.copy()
    if monthly is None:
        result["months"] = np.full(len(result), 12, dtype=np.int64)
        return result
    stated = _plain(monthly, by)
    stated = stated[stated["value_count"] > 0]
    counts = stated.groupby([*by, "year"], observed=True, dropna=False, sort=False).size().rename("months")
    merged = _plain(result, by).merge(counts.reset_index(), on=[*by, "year"], how="left", sort=False)
    result["months"] = merged["months"].fillna(0).to_numpy(dtype=np.int64)
    return result


def _whole(sums: pd.DataFrame) -> pd.Series[Any]:
    """Each group's value where its year is whole (``months`` is 12), else NaN."""
    return sums["value"].where(sums["months"] == 12)


def percent_change_of(sums: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Each group's change from the year before, in percent, from :func:`months_of`'s group sum by ``[*by, "year"]``.

    The change is NaN where the group has no sum for the year before, or it was
    0 or NaN, or either year is partial (``months`` below 12): only whole
    calendar years are compared. ``previous`` is the year before's value if
    that year is whole.
    """
    _non_empty(sums, "the groups")
    plain = _plain(sums, by)[[*by, "year", "value", "months"]]
    before = plain.assign(year=plain["year"] + 1, previous=_whole(plain))[[*by, "year", "previous"]]
    frame = plain.merge(before, on=[*by, "year"], how="left", sort=False)
    previous = frame["previous"].to_numpy(dtype=np.float64)
    current = _whole(frame).to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (current / previous - 1.0) * 100.0
    frame["percent_change"] = np.where(previous > 0, change, np.nan)
    frame = frame.sort_values([*by, "year"], na_position="last", kind="stable").reset_index(drop=True)
    unit = _value_unit(sums)
    frame.attrs["units"] = {"value": unit, "previous": unit, "percent_change": "percent"}
    return frame


def cagr_of(sums: pd.DataFrame, by: Sequence[str], first: int | None, last: int | None) -> pd.DataFrame:
    """Each group's compound annual growth from year ``first`` to ``last`` (its own first and last if None).

    Only whole years (``months`` 12, see :func:`months_of`) take part: a
    partial year is neither a group's own first or last year nor a given one.

    Raises:
        ValidationError: ``first`` is not before ``last``, or no group has a value for both as whole years.
    """
    _non_empty(sums, "the groups")
    plain = _plain(sums, by)
    stated = plain[_whole(plain).notna()]
    if first is not None and last is not None and first >= last:
        raise ValidationError("first, last", (first, last), "the first year must come before the last")
    rows = []
    groups = stated.groupby(list(by), observed=True, dropna=False, sort=True) if by else [((), stated)]
    for key, group in groups:
        years = group.set_index("year")["value"]
        start = int(years.index.min()) if first is None else first
        end = int(years.index.max()) if last is None else last
        if start not in years.index or end not in years.index or start >= end:
            continue
        begin, finish = float(years[start]), float(years[end])
        rate = ((finish / begin) ** (1.0 / (end - start)) - 1.0) * 100.0 if begin > 0 and finish >= 0 else math.nan
        values = tuple(key)
        rows.append({**dict(zip(by, values, strict=True)), "first_year": start, "last_year": end})
        rows[-1] |= {"first": begin, "last": finish, "years": end - start, "cagr": rate}
    if not rows:
        raise ValidationError(
            "years", (first, last), "no group states a value in both years (partial years do not count)"
        )
    frame = pd.DataFrame(rows)
    unit = _value_unit(sums)
    frame.attrs["units"] = {"first": unit, "last": unit, "cagr": "percent"}
    return frame


def top_of(sums: pd.DataFrame, n: int, by: Sequence[str], within: Sequence[str]) -> pd.DataFrame:
    """The ``n`` groups of ``by`` with the largest values, within each group of ``within``.

    Groups without a value are left out; ties keep the keys' order.
    """
    if type(n) is not int or n < 1:
        raise ValidationError("n", n, "must be a whole number of groups, at least 1")
    _non_empty(sums, "the groups")
    frame = sums[sums["value"].notna()][[*within, *by, "value"]]
    order = [*within, "value"] if within else ["value"]
    ascending = [*([True] * len(within)), False]
    frame = frame.sort_values(order, ascending=ascending, kind="stable", na_position="last")
    rank = frame.groupby(list(within), observed=True, dropna=False, sort=False).cumcount() + 1 if within else None
    frame["rank"] = np.arange(1, len(frame) + 1) if rank is None else rank.to_numpy()
    frame = frame[frame["rank"] <= n].reset_index(drop=True)
    frame.attrs["units"] = {"value": _value_unit(sums)}
    return frame


def mirror_party(of: object, partners: Sequence[str]) -> str:
    """The country ``of`` names, as the table writes it, if some row has it as partner.

    Raises:
        ValidationError: ``of`` is no code, the World or an area, or no row has it as partner.
    """
    if not isinstance(of, str):
        raise ValidationError("of", of, "must be a country code such as 'PRK'")
    area = comtrade_area(of)
    code = area.code if area is not None else of
    kind = area_kind(code)
    if kind is not None and kind is not AreaKind.COUNTRY:
        raise ValidationError("of", of, f"is a {kind.value} area: mirror statistics are built for a country")
    if code not in partners:
        shown = ", ".join(sorted(partners)[:8]) or "none"
        raise ValidationError("of", of, f"is the partner of no row (the table's partners include {shown})")
    return code


def mirror_frame(frame: pd.DataFrame, of: str, cif_fob: float) -> pd.DataFrame:
    """The rows of ``of``'s trade read from its partners' reports, as a frame of :meth:`TradeTable.to_frame`'s columns.

    Rows whose partner is ``of`` and whose flow is an export or an import are
    kept; the rest are dropped. Reporter and partner (and their kinds) swap,
    imports become exports and exports imports, the values of
    partner-reported imports are divided by ``cif_fob``, and ``mirrored`` is
    true. This is a map over rows: a frame cut in partitions gives the same
    rows partition by partition.

    Raises:
        ValidationError: a row is already mirrored.
    """
    factor = checked_float("cif_fob", cif_fob, "positive")
    if factor < 1.0:
        raise ValidationError("cif_fob", cif_fob, "must be at least 1: a CIF value is the FOB value plus freight")
    if "mirrored" in frame and frame["mirrored"].fillna(value=False).astype(bool).any():
        raise ValidationError("table", "mirrored rows", "are already mirrored: mirror the reported rows only")
    flows = frame["flow"].astype(str)
    keep = (frame["partner"].astype(object) == of).to_numpy() & flows.isin(tuple(MIRRORED_FLOWS)).to_numpy()
    rows = frame[keep]
    result = rows.copy()
    for one, other in (("reporter", "partner"), ("reporter_kind", "partner_kind")):
        if one in rows and other in rows:
            result[one], result[other] = rows[other].to_numpy(), rows[one].to_numpy()
    result["flow"] = flows[keep].map(MIRRORED_FLOWS).to_numpy()
    imports = (flows[keep] == "import").to_numpy()
    result["value"] = np.where(imports, rows["value"].to_numpy(dtype=np.float64) / factor, rows["value"].to_numpy())
    result["mirrored"] = pd.array(np.ones(len(result), dtype=bool), dtype="boolean")
    result.attrs = dict(frame.attrs)
    return result.reset_index(drop=True)


def reconciled(
    exports: pd.DataFrame, imports: pd.DataFrame, exporter: str, importer: str, cif_fob: float
) -> pd.DataFrame:
    """One direction of :func:`nkru.table.reconcile`: exports as the exporter reports them beside imports as the importer does.

    Args:
        exports: The exporter's group sums of its exports to the importer, by year and hs.
        imports: The importer's group sums of its imports from the exporter, likewise.
        exporter: The exporter's code.
        importer: The importer's code.
        cif_fob: The CIF/FOB factor the adjusted gap divides imports by.

    Raises:
        CurrencyMismatchError: the two sides are in different currencies.
    """
    units = {_value_unit(exports), _value_unit(imports)} - {None}
    if len(units) > 1:
        first, second = sorted(str(unit) for unit in units)
        raise CurrencyMismatchError(first, second)
    keys = ["year", "hs"]
    left = _plain(exports, keys)[[*keys, "value"]].rename(columns={"value": "exports"})
    right = _plain(imports, keys)[[*keys, "value"]].rename(columns={"value": "imports"})
    frame = left.merge(right, on=keys, how="outer", sort=False)
    frame.insert(2, "exporter", exporter)
    frame.insert(3, "importer", importer)
    exported = frame["exports"].to_numpy(dtype=np.float64)
    imported = frame["imports"].to_numpy(dtype=np.float64)
    frame["gap"] = imported - exported
    frame["adjusted_gap"] = imported / cif_fob - exported
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["gap_percent"] = np.where(exported > 0, frame["gap"].to_numpy() / exported * 100.0, np.nan)
        frame["adjusted_percent"] = np.where(exported > 0, frame["adjusted_gap"].to_numpy() / exported * 100.0, np.nan)
    return frame

"""The lazy table: a plan of per-partition steps on :class:`~nkru.table.TradeTable` s, run by Dask."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import dask.bag as db
import dask.base
import dask.dataframe as dd
import distributed
import numpy as np
import numpy.typing as npt
import pandas as pd
from dask.delayed import Delayed, delayed
from dask.diagnostics.progress import ProgressBar

from nkru.dask._partitions import Cuts, Partition, cuts, read_partition
from nkru.errors import StructureError, ValidationError
from nkru.fx import ExchangeRates
from nkru.table import TradeTable
from nkru.table.columns import FLOWS, TOTAL_CODES

__all__ = ["DaskTradeTable", "empty_table"]

#: A step of the plan: a TradeTable method that returns a TradeTable, and its keyword arguments.
Step = tuple[str, tuple[tuple[str, Any], ...]]
#: The columns whose distinct values decide whether a sum adds a total to its parts (see TradeTable.group_sum).
_DECIDING: Final = ("reporter", "partner", "month", "currency", "is_leaf", "mirrored", *TOTAL_CODES)
_SUMS: Final = ("value", "value_count", "mass", "mass_count", "rows")
#: Dask's compute, typed (dask does not annotate it).
_dask_compute: Callable[..., tuple[Any, ...]] = dask.base.compute


def _compute(*collections: Any) -> tuple[Any, ...]:
    """Dask's compute; a worker that died on the way (Dask's ``KilledWorker``) says what nkru was doing."""
    try:
        return _dask_compute(*collections)
    except distributed.KilledWorker as exc:
        exc.add_note(
            "nkru.dask: a worker died while reading or summing partitions of Comtrade files; a partition's table"
            " may not fit in its memory_limit: read with a smaller blocksize, or give the workers more memory"
        )
        raise


#: distributed's and dask's helpers, typed (they are not annotated).
_default_client: Callable[[], Any] = distributed.default_client
_progress: Callable[[Any], None] = distributed.progress
_progress_bar: Callable[[], contextlib.AbstractContextManager[Any]] = ProgressBar
_bag_of: Callable[[list[Delayed]], db.Bag] = db.from_delayed
#: How many partial sums Dask adds in one task of its tree reduction.
_SPLIT_EVERY: Final = 16


def empty_table() -> TradeTable:
    """A table of no rows, in the units the reader gives (kilograms)."""
    return TradeTable.from_frame(pd.DataFrame({"reporter": [], "partner": [], "flow": [], "year": []}))


class DaskTradeTable:
    """Trade flows in partitions, read and worked on by Dask: :class:`~nkru.table.TradeTable`'s analytics, lazily.

    Build one with :func:`nkru.dask.read_comtrade` or :meth:`from_tables`.
    :meth:`select` and :meth:`convert_currency` return new lazy tables
    (nothing is read until a result is asked for); :meth:`group_sum`,
    :meth:`compute` and :meth:`to_parquet` run the plan on the current Dask
    scheduler (a :class:`distributed.Client` if one is open). Every
    partition runs the in-memory table's own code, so a partition's rows are
    checked, converted and selected exactly as in memory.
    """

    __slots__ = ("_empty", "_parts", "_steps", "_taiwan")

    def __init__(
        self, parts: Sequence[Partition | TradeTable], *, steps: Sequence[Step] = (), taiwan: bool = False
    ) -> None:
        """Hold the partitions and the plan; use :func:`nkru.dask.read_comtrade` or :meth:`from_tables` instead."""
        self._parts = tuple(parts)
        self._steps = tuple(steps)
        self._taiwan = taiwan
        self._empty = _run(empty_table(), self._steps)  # the steps checked now, on no rows, not on a worker

    @classmethod
    def from_tables(cls, tables: Sequence[TradeTable]) -> DaskTradeTable:
        """A lazy table whose partitions are in-memory tables (one partition each), as a test or a pipeline has them.

        >>> import pandas as pd
        >>> from nkru.table import TradeTable
        >>> one = TradeTable.from_frame(pd.DataFrame({"reporter": ["RUS"], "partner": ["PRK"], "flow": ["X"],
        ...                                          "year": [2005], "value": [2.0], "currency": ["USD"]}))
        >>> DaskTradeTable.from_tables([one, one])
        <DaskTradeTable: 2 partitions, steps: none>
        """
        if not tables or not all(isinstance(table, TradeTable) for table in tables):
            raise ValidationError("tables", tables, "must be a non-empty list of TradeTables")
        return cls(tables)

    def __repr__(self) -> str:
        steps = ", ".join(name for name, _ in self._steps) or "none"
        return f"<DaskTradeTable: {self.npartitions} partitions, steps: {steps}>"

    @property
    def npartitions(self) -> int:
        """The number of partitions (files, or blocks of large CSV files)."""
        return len(self._parts)

    @property
    def mass_unit(self) -> str:
        """The unit of the mass column, as in memory (``"kilogram"``)."""
        return self._empty.mass_unit

    def _then(self, name: str, **options: Any) -> DaskTradeTable:
        return DaskTradeTable(self._parts, steps=(*self._steps, (name, tuple(options.items()))), taiwan=self._taiwan)

    def select(
        self,
        *,
        reporters: str | Sequence[str] | None = None,
        partners: str | Sequence[str] | None = None,
        level: int | str | None = None,
        freq: str | None = None,
        breakdowns: str | None = None,
        years: int | Sequence[int] | range | None = None,
        flows: str | Sequence[str] | None = None,
        mirrored: bool | None = None,
    ) -> DaskTradeTable:
        """The rows :meth:`TradeTable.select <nkru.table.TradeTable.select>` keeps, lazily; its options, checked now.

        Raises:
            ValidationError: an option that :meth:`TradeTable.select <nkru.table.TradeTable.select>` refuses.
        """
        return self._then(
            "select",
            reporters=reporters,
            partners=partners,
            level=level,
            freq=freq,
            breakdowns=breakdowns,
            years=years,
            flows=flows,
            mirrored=mirrored,
        )

    def convert_currency(
        self, to: str = "USD", *, rates: ExchangeRates | None = None, redenominate: bool = False
    ) -> DaskTradeTable:
        """Every value converted to ``to``, lazily, as :meth:`TradeTable.convert_currency <nkru.table.TradeTable.convert_currency>` does.

        ``redenominate=True`` converts rows dated outside their currency's
        years (new roubles before 1998, say) instead of raising, as in memory.

        Raises:
            ValidationError: ``to`` is not a currency, or ``rates`` no rate table (checked now).
            CurrencyNotInCirculationError: when computed, rows of a currency
                dated outside its years (without ``redenominate``).
            RateNotFoundError: when computed, a currency has no rate for a year present.
        """
        return self._then("convert_currency", to=to, rates=rates, redenominate=redenominate)

    def mirror(self, of: str = "PRK", *, cif_fob: float = 1.0) -> DaskTradeTable:
        """``of``'s trade read from its partners' reports, lazily: :meth:`TradeTable.mirror <nkru.table.TradeTable.mirror>` of each partition.

        The mirror is a map over rows, so each partition is mirrored alone; a
        partition with no export or import row whose partner is ``of`` gives
        no rows (in memory, a table with no such row at all is refused).

        Raises:
            ValidationError: ``of`` is no country, or ``cif_fob`` below 1 (checked now).
        """
        _probe_mirror(of, cif_fob)
        return self._then("mirror", of=of, cif_fob=cif_fob)

    def balance(self, by: Sequence[str] = ("year",), *, missing: str = "nan") -> pd.DataFrame:
        """Exports minus imports per group, as :meth:`TradeTable.balance <nkru.table.TradeTable.balance>` computes it.

        The export and import rows are summed by :meth:`group_sum` over every
        partition; the in-memory method then runs on those sums, one row per group.
        """
        _probed(lambda: _PROBE.balance(by, missing=missing))  # the in-memory checks of the keys, now
        keys = [by] if isinstance(by, str) else list(by)
        traded = self.select(flows=["export", "import"])
        sums, witness = traded._group_sums([*keys, "flow"])  # noqa: SLF001 - a table of this class
        return _summary(sums, witness, [*keys, "flow"]).balance(keys, missing=missing)

    def share(
        self, by: Sequence[str] = ("year", "flow", "chapter"), *, of: Sequence[str] = ("year", "flow")
    ) -> pd.DataFrame:
        """Each group's percentage of its ``of`` total, as :meth:`TradeTable.share <nkru.table.TradeTable.share>` computes it, from :meth:`group_sum`."""
        _probed(lambda: _PROBE.share(by, of=of))  # the in-memory checks of the keys, now
        keys = [by] if isinstance(by, str) else list(by)
        return _summary(*self._group_sums(keys), keys=keys).share(keys, of=of)

    def top(self, n: int, by: Sequence[str] = ("partner",), *, within: Sequence[str] = ()) -> pd.DataFrame:
        """The ``n`` largest groups of ``by`` within each ``within`` group, as :meth:`TradeTable.top <nkru.table.TradeTable.top>` ranks them, from :meth:`group_sum`."""
        _probed(lambda: _PROBE.top(n, by, within=within))  # the in-memory checks of n and the keys, now
        keys = [by] if isinstance(by, str) else list(by)
        groups = [] if not within else [within] if isinstance(within, str) else list(within)
        summed = [*groups, *[key for key in keys if key not in groups]]
        return _summary(*self._group_sums(summed), keys=summed).top(n, keys, within=groups)

    def unit_value(
        self, by: Sequence[str] = ("year", "flow", "chapter"), *, per: str = "kg", estimated: str = "flag"
    ) -> pd.DataFrame:
        """Value per unit of mass (or of quantity) per group, as :meth:`TradeTable.unit_value <nkru.table.TradeTable.unit_value>` computes it.

        Each partition keeps the rows that state both a value and the
        quantity (without the estimated ones for ``estimated="exclude"``) and
        sums them by ``by``; Dask adds the partial sums (value, quantity, rows
        and, for ``estimated="flag"``, estimated rows) in a tree. The
        double-counting rules, the one-currency rule and, for ``per="qty"``,
        the one-quantity-unit rule are the in-memory method's, run on the few
        kept rows of every partition that decide them. Sums differ from the
        in-memory ones only by the order of addition.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or option (checked now), quantities in
                several units, or no row stating both.
        """
        _probed(lambda: _PROBE.unit_value(by, per=per, estimated=estimated))
        keys = [by] if isinstance(by, str) else list(by)
        parts = [
            delayed(_unit_parts, pure=True)(part, where, self._steps, self._taiwan, (keys, per, estimated))
            for part, where in self._sources()
        ]
        witness_table, sums = _summed(parts)
        units = witness_table.unit_value(keys, per=per, estimated=estimated).attrs["units"]  # the in-memory checks
        sums = _finished(sums, keys, {}, extra=("estimated",))
        name = "qty" if per == "qty" else "mass"
        frame = sums[keys].copy()
        frame["value"] = sums["value"].to_numpy()
        amount = sums["mass"].to_numpy(dtype=np.float64)
        frame[name] = amount
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["unit_value"] = np.where(amount > 0, frame["value"].to_numpy(dtype=np.float64) / amount, np.nan)
        frame["rows"] = sums["rows"].to_numpy()
        if estimated == "flag":
            frame["estimated_rows"] = sums["estimated"].to_numpy(dtype=np.int64)
        frame.attrs["units"] = dict(units)
        return frame

    def percent_change(self, by: Sequence[str] = ("flow",)) -> pd.DataFrame:
        """Each group's change from the year before, as :meth:`TradeTable.percent_change <nkru.table.TradeTable.percent_change>` computes it, from :meth:`group_sum`.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key (checked now) or no rows.
        """
        _probed(lambda: _PROBE.percent_change(by))
        keys = [by] if isinstance(by, str) else list(by)
        summed = [*keys, "year"]
        return _summary(*self._group_sums(summed), keys=summed).percent_change(keys)

    def cagr(self, by: Sequence[str] = ("flow",), *, first: int | None = None, last: int | None = None) -> pd.DataFrame:
        """Each group's compound annual growth rate, as :meth:`TradeTable.cagr <nkru.table.TradeTable.cagr>` computes it, from :meth:`group_sum`.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: as :meth:`group_sum`.
            ValidationError: a bad key or year (checked now), ``first`` not
                before ``last``, or no group with both years.
        """
        _probed(lambda: _PROBE.cagr(by, first=first, last=last))
        keys = [by] if isinstance(by, str) else list(by)
        summed = [*keys, "year"]
        return _summary(*self._group_sums(summed), keys=summed).cagr(keys, first=first, last=last)

    # -- results ---------------------------------------------------------------------------------

    def _sources(self) -> list[tuple[Partition | TradeTable, Delayed | None]]:
        """Each partition, with the :func:`~nkru.dask._partitions.cuts` of its file if it is a block of one.

        A file's cuts are one task, which every block task of the file waits
        for: the file is scanned on a worker, once, not when the read is planned.
        """
        blocks = Counter(part.path for part in self._parts if isinstance(part, Partition) and part.block is not None)
        scans = {
            part.path: delayed(cuts, pure=True)(part.path, part.blocksize, blocks[part.path])
            for part in self._parts
            if isinstance(part, Partition) and part.block is not None
        }
        return [(part, scans.get(part.path) if isinstance(part, Partition) else None) for part in self._parts]

    def _tables(self) -> list[Delayed]:
        return [delayed(_load, pure=True)(part, where, self._steps, self._taiwan) for part, where in self._sources()]

    def compute(self) -> TradeTable:
        """Run the plan and join the partitions into one in-memory table (they must fit in memory).

        Raises:
            StructureError: a bad row, named by file and line.
        """
        tables = list(_compute(*self._tables()))
        return TradeTable.concat(tables) if tables else self._empty

    def group_sum(self, by: Sequence[str] = ("year", "flow", "chapter")) -> pd.DataFrame:
        """Sum value and mass by groups, as :meth:`TradeTable.group_sum <nkru.table.TradeTable.group_sum>` does, over every partition.

        Each partition is summed in memory; Dask adds the partial sums in a
        tree. The sums are the in-memory table's up to the order of
        addition (a relative difference of a few ulps per partition); the
        counts are exact. The double-counting rules are the in-memory
        table's, applied to all partitions at once: each partition sends the
        few rows that decide them (one per reporter, partner, month kind,
        currency, commodity level, breakdown, mirrored or not, and flow of a
        reporter and partner), and the joined rows are
        checked by :meth:`TradeTable.group_sum <nkru.table.TradeTable.group_sum>` itself.

        Returns:
            The in-memory result's columns, rows and ``attrs["units"]``; its
            text keys are categoricals of the values present.

        Raises:
            CurrencyMismatchError: values in more than one currency.
            DoubleCountError: the sum would add a total to its parts.
            ValidationError: an unknown or repeated key (checked before any work).
        """
        return self._group_sums(by)[0]

    def _group_sums(self, by: Sequence[str]) -> tuple[pd.DataFrame, TradeTable]:
        """:meth:`group_sum`, and the joined witness rows (every reporter and partner, with its kind)."""
        self._empty.group_sum(by)  # the in-memory checks of the keys, before any work
        keys = [by] if isinstance(by, str) else list(by)
        # one task per partition reads it, runs the plan, and returns its witness rows and partial sums:
        # the partition's table is never held for a second task nor sent to another worker
        parts = [
            delayed(_sum_part, pure=True)(part, where, self._steps, self._taiwan, keys)
            for part, where in self._sources()
        ]
        witness_table, sums = _summed(parts)
        units = witness_table.group_sum(keys).attrs["units"]  # raises DoubleCountError, CurrencyMismatchError
        return _finished(sums, keys, units), witness_table

    def to_parquet(
        self, folder: str | os.PathLike[str], *, partition_by: Sequence[str] = (), progress: bool = False
    ) -> list[str]:
        """Write the rows to Parquet files under ``folder`` with :meth:`TradeTable.to_parquet <nkru.table.TradeTable.to_parquet>`.

        Without ``partition_by``, each partition is ``folder/part-NNNNN.parquet``;
        with ``partition_by=("year", "reporter")``, each partition's rows of
        a year and reporter go to ``folder/year=2005/reporter=RUS/part-NNNNN.parquet``
        (the layout :func:`nkru.dask.read_comtrade` reads a year or a
        reporter from by a glob). The files read back with
        :func:`nkru.dask.read_comtrade`, and each with :meth:`TradeTable.read_parquet
        <nkru.table.TradeTable.read_parquet>`.

        Args:
            folder: The folder to write in (made if missing).
            partition_by: ``()``, or some of ``"year"`` and ``"reporter"``, in the folder order wanted.
            progress: Show a progress bar on standard output: :func:`distributed.progress`
                when a :class:`distributed.Client` is open, else :class:`dask.diagnostics.ProgressBar`.

        Returns:
            The paths written, sorted.

        Raises:
            ValidationError: ``partition_by`` holds another column.
        """
        keys = (
            [partition_by]
            if isinstance(partition_by, str)
            else list(partition_by)
            if isinstance(partition_by, (list, tuple))
            else [None]
        )
        if len(set(keys)) != len(keys) or not set(keys) <= {"year", "reporter"}:
            raise ValidationError("partition_by", partition_by, 'must be some of "year" and "reporter"')
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        writes = [
            delayed(_write, pure=True)(table, str(target), keys, index) for index, table in enumerate(self._tables())
        ]
        written = _run_all(writes, progress=progress)
        return sorted(path for paths in written for path in paths)

    def to_dask_dataframe(self) -> dd.DataFrame:
        """The rows as a :class:`dask.dataframe.DataFrame` of :meth:`TradeTable.to_frame <nkru.table.TradeTable.to_frame>` partitions.

        The text columns are categoricals whose categories differ by
        partition (Dask's "unknown categories").
        """
        meta = self._empty.to_frame()
        for name in meta.columns:
            if isinstance(meta[name].dtype, pd.CategoricalDtype):
                meta[name] = meta[name].astype(object).astype("category")
        frames = [delayed(_frame, pure=True)(table) for table in self._tables()]
        frame: dd.DataFrame = dd.from_delayed(frames, meta=meta, verify_meta=False)
        return frame


def _run(table: TradeTable, steps: Sequence[Step]) -> TradeTable:
    for name, options in steps:
        table = _mirror(table, **dict(options)) if name == "mirror" else getattr(table, name)(**dict(options))
    return table


def _mirror(table: TradeTable, of: str, cif_fob: float) -> TradeTable:
    """:meth:`TradeTable.mirror` of one partition; a partition without ``of``'s rows mirrors to no rows."""
    if not len(table.select(partners=[of], flows=["export", "import"])):
        return table.where(np.zeros(len(table), dtype=bool))
    return table.mirror(of, cif_fob=cif_fob)


def _probe_mirror(of: str, cif_fob: float) -> None:
    """Refuse, now, what :meth:`TradeTable.mirror` refuses for ``of`` and ``cif_fob``, on one row of ``of``."""
    if not isinstance(of, str):
        raise ValidationError("of", of, "must be a country code such as 'PRK'")
    other = "CAN" if of == "USA" else "USA"
    frame = pd.DataFrame({"reporter": [other], "partner": [of], "flow": ["M"], "year": [2000]})
    try:
        probe = TradeTable.from_frame(frame)
    except StructureError:
        raise ValidationError("of", of, "is no country or area nkru knows") from None
    probe.mirror(of, cif_fob=cif_fob)


def _summary(sums: pd.DataFrame, witness: TradeTable, keys: Sequence[str]) -> TradeTable:
    """A table of one row per group of ``sums`` (its keys, value and mass), for the in-memory analytics to run on.

    A key not grouped by gets one constant value, so it keeps no groups apart
    and trips no double-counting rule (the rows were checked when summed). A
    reporter or partner keeps the kind it was read with (a Comtrade group
    such as ``X1``, or a code given with its kind), from ``witness``: the
    joined witness rows of the sum, which hold every reporter and partner.
    """
    size = len(sums)
    units = sums.attrs["units"]

    def key(name: str, constant: object) -> Any:
        if name not in keys:
            return np.full(size, constant, dtype=np.int64 if isinstance(constant, int) else object)
        return sums[name].to_numpy(dtype=np.int64 if name in ("year", "month") else object)

    hs = "hs" if "hs" in keys else "chapter"
    values = sums["value"].to_numpy()
    frame = pd.DataFrame(
        {
            "reporter": key("reporter", "USA"),
            "partner": key("partner", "CAN"),
            "flow": key("flow", "export"),
            "year": key("year", 2000),
            "month": key("month", 0),
            "hs": key(hs, None),
            "value": values,
            "currency": np.where(np.isnan(values), None, units["value"]),
            "mass": sums["mass"].to_numpy(),
        }
    )
    parties = witness.to_frame(columns=["reporter", "reporter_kind", "partner", "partner_kind"])
    for side in ("reporter", "partner"):
        if side in keys:
            pairs = parties[[side, f"{side}_kind"]].astype(object).drop_duplicates()
            kind_of = dict(zip(pairs[side], pairs[f"{side}_kind"], strict=True))
            frame[f"{side}_kind"] = [kind_of.get(code) for code in frame[side]]
    return TradeTable.from_frame(frame, mass_unit=units["mass"])


def _load(part: Partition | TradeTable, where: Cuts | None, steps: Sequence[Step], taiwan: bool) -> TradeTable:
    table = part if isinstance(part, TradeTable) else read_partition(part, taiwan, where)
    return _run(table, steps)


def _frame(table: TradeTable) -> pd.DataFrame:
    return table.to_frame()


def _write(table: TradeTable, folder: str, keys: list[str], index: int) -> list[str]:
    name = f"part-{index:05d}.parquet"
    if not keys:
        path = str(Path(folder) / name)
        table.to_parquet(path)
        return [path]
    frame = table.to_frame()[keys]
    written = []
    for group in frame.drop_duplicates().itertuples(index=False):
        mask = np.ones(len(frame), dtype=bool)
        for key, value in zip(keys, group, strict=True):
            mask &= (frame[key] == value).to_numpy()
        place = Path(folder).joinpath(*(f"{key}={value}" for key, value in zip(keys, group, strict=True)), name)
        place.parent.mkdir(parents=True, exist_ok=True)
        table.where(mask).to_parquet(place)
        written.append(str(place))
    return written


def _run_all(tasks: list[Delayed], *, progress: bool) -> list[Any]:
    """Compute ``tasks`` on the open distributed client (else Dask's default scheduler), with a progress bar if asked."""
    try:
        client = _default_client()
    except ValueError:  # no client: Dask's local scheduler
        with _progress_bar() if progress else contextlib.nullcontext():
            return list(_compute(*tasks))
    submit: Callable[[list[Delayed]], list[Any]] = client.compute
    gather: Callable[[list[Any]], list[Any]] = client.gather
    futures = submit(tasks)
    if progress:
        _progress(futures)
    return list(gather(futures))


def _partial_sum(table: TradeTable, keys: list[str]) -> pd.DataFrame:
    """A partition's group sums, keys as plain values (categories differ by partition), missing sums as 0."""
    sums = table.group_sum(keys)
    out = pd.DataFrame({key: _plain(sums[key]) for key in keys})
    for name in _SUMS:
        out[name] = sums[name].fillna(0.0) if name in ("value", "mass") else sums[name].astype(np.int64)
    return out


def _plain(column: pd.Series[Any]) -> pd.Series[Any]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(object).where(column.notna(), None)
    return column.astype(np.int64)


def _partial_meta(keys: list[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    columns: dict[str, Any] = {
        key: pd.Series([], dtype=np.int64 if key in ("year", "month") else object) for key in keys
    }
    sums = (*_SUMS, *extra)
    columns |= {name: pd.Series([], dtype=np.float64 if name in ("value", "mass") else np.int64) for name in sums}
    return pd.DataFrame(columns)


#: One row stating a value, a mass and a quantity: the in-memory analytics check their options on it.
_PROBE: Final = TradeTable.from_frame(
    pd.DataFrame(
        {
            "reporter": ["USA"],
            "partner": ["CAN"],
            "flow": ["X"],
            "year": [2000],
            "value": [1.0],
            "currency": ["USD"],
            "mass": [1.0],
            "qty": [1.0],
            "qty_unit_code": [8],
        }
    )
)


def _probed(run: Callable[[], object]) -> None:
    """Run an in-memory analytic on :data:`_PROBE` to refuse its bad options now; what one row cannot give is fine."""
    try:
        run()
    except ValidationError as exc:
        if exc.field not in ("table", "years"):  # no rows to compute from, no group with both years: not an option
            raise


def _sum_part(
    part: Partition | TradeTable, where: Cuts | None, steps: Sequence[Step], taiwan: bool, keys: list[str]
) -> list[tuple[TradeTable, pd.DataFrame]]:
    """A partition's witness rows and partial sums by ``keys`` for :meth:`DaskTradeTable.group_sum` (a bag's one item)."""
    table = _load(part, where, steps, taiwan)
    return [(_witness(table), _partial_sum(table, keys))]


def _unit_parts(
    part: Partition | TradeTable,
    where: Cuts | None,
    steps: Sequence[Step],
    taiwan: bool,
    options: tuple[list[str], str, str],
) -> list[tuple[TradeTable, pd.DataFrame]]:
    """A partition's witness rows and partial sums for :meth:`DaskTradeTable.unit_value` (a bag's one item).

    ``options`` are the keys, ``per`` and ``estimated``.

    The rows kept are the in-memory method's: a value and the quantity
    stated, and no estimated quantity for ``estimated="exclude"``. The witness
    adds the first row of each quantity unit, for the one-unit rule.
    """
    keys, per, estimated = options
    table = _load(part, where, steps, taiwan)
    quantity, flag = ("qty", "qty_estimated") if per == "qty" else ("mass", "mass_estimated")
    frame = table.to_frame(columns=["value", quantity, "qty_unit_code", flag])
    stated = frame[quantity].notna().to_numpy() & frame["value"].notna().to_numpy()
    flagged = frame[flag].to_numpy(dtype=bool, na_value=False)
    if estimated == "exclude":
        stated &= ~flagged
    rows = table.where(stated)
    witness = _witness(rows)
    if per == "qty":
        codes = frame["qty_unit_code"].to_numpy()[stated]
        _, firsts = np.unique(codes, return_index=True)
        witness = TradeTable.concat([witness, rows.where(np.isin(np.arange(len(rows)), firsts))])
        if firsts.size > 1:  # refused by the witness's check, with every partition's units
            return [(witness, _partial_meta(keys, extra=("estimated",)))]
    if not len(rows):
        return [(witness, _partial_meta(keys, extra=("estimated",)))]
    sums = rows.unit_value(keys, per=per, estimated=estimated)
    out = pd.DataFrame({key: _plain(sums[key]) for key in keys})
    count = sums["rows"].to_numpy(dtype=np.int64)
    out["value"] = sums["value"].to_numpy(dtype=np.float64)
    out["value_count"] = count
    out["mass"] = sums[quantity].to_numpy(dtype=np.float64)
    out["mass_count"] = count
    out["rows"] = count
    flagged_rows = sums["estimated_rows"] if estimated == "flag" else np.zeros(len(sums))
    out["estimated"] = np.asarray(flagged_rows, dtype=np.int64)
    return [(witness, out)]


def _witness(table: TradeTable) -> TradeTable:
    """The rows of ``table`` that decide the double-counting rules: the first of each deciding value."""
    frame = table.to_frame(columns=[*_DECIDING, "flow", "hs"])  # only these columns are built
    keep = np.zeros(len(frame), dtype=bool)
    if not len(frame):
        return table
    for name in _DECIDING[2:]:  # every reporter and partner is among the pairs' rows below
        keep[_first_rows(frame[name].to_numpy() > 0 if name == "month" else frame[name])] = True
    # the flow rule asks which flows each reporter and partner have: the first row of each (reporter, partner, flow)
    pair = np.zeros(len(frame), dtype=np.int64)
    for name in ("reporter", "partner", "flow"):
        codes = frame[name].cat.codes.to_numpy()
        pair = pair * (len(frame[name].cat.categories) + 1) + codes + 1
    keep[_first_rows(pair)] = True
    hs = frame["hs"]
    lengths = np.array([len(str(code)) for code in hs.cat.categories] + [0], dtype=np.int64)
    keep[_first_rows(lengths[hs.cat.codes.to_numpy()])] = True
    return table.where(keep)


def _first_rows(column: pd.Series[Any] | npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """The position of each distinct value's first row (a missing value counts as one value), by hashing, not sorting."""
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        values = column.cat.codes.to_numpy()
    elif isinstance(column, pd.Series) and isinstance(column.dtype, pd.BooleanDtype):
        values = column.to_numpy(dtype=np.int8, na_value=-1)
    else:
        values = np.asarray(column)
    if values.dtype == np.bool_:  # the first false and the first true
        return np.unique(np.array([np.argmin(values), np.argmax(values)], dtype=np.int64))
    if values.dtype.kind in "iu" and values.size and values.min() == values.max():
        return np.zeros(1, dtype=np.int64)  # one value (a column the file does not have, say)
    return np.flatnonzero(~pd.Series(values).duplicated().to_numpy()).astype(np.int64)


def _summed(parts: list[Delayed]) -> tuple[TradeTable, pd.DataFrame]:
    """The joined witness rows and the partial sums added by their keys, from one (witness, sums) pair per partition.

    The pairs are a :class:`dask.bag.Bag` of one item per partition, reduced by
    :meth:`~dask.bag.Bag.reduction` in a tree (:data:`_SPLIT_EVERY` at a
    time): one task per partition, a few to add them, no shuffle, and the
    loaded tables never leave their workers.
    """
    reduction: Callable[..., Any] = _bag_of(parts).reduction  # dask.bag is not annotated
    witness, sums = _compute(reduction(_merged, _merged, split_every=_SPLIT_EVERY))[0]
    return witness, sums.reset_index(drop=True)


def _merged(pairs: Iterable[tuple[TradeTable, pd.DataFrame]]) -> tuple[TradeTable, pd.DataFrame]:
    """Witness rows and partial sums of several partitions as one pair: their witness rows joined, their sums added."""
    witnesses, frames = zip(*pairs, strict=True)
    witness = TradeTable.concat([empty_table(), *witnesses])
    frame = pd.concat(frames, ignore_index=True)
    keys = [name for name in frame.columns if name not in (*_SUMS, "estimated")]
    return witness, frame.groupby(keys, dropna=False, sort=False).sum().reset_index()


def _finished(sums: pd.DataFrame, keys: list[str], units: dict[str, Any], extra: Sequence[str] = ()) -> pd.DataFrame:
    """The combined partial sums in the in-memory result's form: NaN for no value, sorted by key, missing last."""
    out = pd.DataFrame(index=range(len(sums)))
    for key in keys:
        if key in ("year", "month"):
            out[key] = sums[key].astype(np.int64)
        else:
            values = sums[key].astype(object).where(sums[key].notna(), None)
            names = [flow.value for flow in FLOWS] if key == "flow" else sorted({v for v in values if v is not None})
            out[key] = pd.Categorical(values, categories=names)
    out = out.sort_values(keys, na_position="last", kind="stable")
    order = out.index.to_numpy()
    out = out.reset_index(drop=True)
    for name in ("value", "mass"):
        counts = sums[f"{name}_count"].to_numpy()[order]
        out[name] = np.where(counts > 0, sums[name].to_numpy()[order], np.nan)
        out[f"{name}_count"] = counts.astype(np.int64)
    out["rows"] = sums["rows"].to_numpy()[order].astype(np.int64)
    for name in extra:
        out[name] = sums[name].to_numpy()[order].astype(np.int64)
    out.attrs["units"] = dict(units)
    return out

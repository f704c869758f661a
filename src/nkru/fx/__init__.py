"""Exchange rates: dated rates per currency, and money converted at a date or over a period.

An :class:`ExchangeRates` table holds :class:`RateQuote` s: how many units of
a currency one US dollar (the *base*) buys over a calendar year, a month or a
day, each with the id of its source. Conversions go through the base
(triangulation), at an explicit :class:`RatePolicy`, and apply the 1998
rouble redenomination exactly (1 RUB = 1000 RUR). When no rate covers the
date asked for, nkru raises :class:`~nkru.errors.RateNotFoundError`; it never
extrapolates silently.

nkru ships annual averages for the rouble (SUR 1985–1990, RUR 1992–1997, RUB
from 1998), the euro and four other currencies, and monthly rouble averages;
``docs/data-sources.md`` lists every figure's source.

>>> from nkru.fx import convert_currency
>>> from nkru.units import money
>>> convert_currency(money(1, "USD"), "RUB", on=2011).magnitude
29.3823413709302
>>> round(convert_currency(money(4.5e9, "RUR"), "USD", on=1997).magnitude, 2)
777896.22
>>> convert_currency(money(1, "USD"), "RUB", on=1991)
Traceback (most recent call last):
...
nkru.errors.RateNotFoundError: no RUB per USD rate for 1991 (data covers annual 1992–2023; monthly 1996-01–2023-09)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pint

from nkru._core.circulation import check_circulation
from nkru._core.deprecation import warn_deprecated
from nkru._core.factors import ExactFactor
from nkru._core.numbers import scaled_magnitude
from nkru._core.tables import TableInput, read_package_text
from nkru.errors import RateNotFoundError, UnitMismatchError, ValidationError
from nkru.fx import _io
from nkru.fx._fields import interval
from nkru.fx._index import LEVELS, Level, last_known
from nkru.fx._quotes import QuoteKey, RateQuote, quote_key, series_of
from nkru.measures import Measure
from nkru.periods import Period, Precision, When, to_period
from nkru.units import (
    ROUBLES,
    check_currency,
    currency_code,
    currency_of,
    currency_validator,
    format_unit,
    to_unit,
    unit,
    ureg,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_MAX_STALENESS",
    "ExchangeRates",
    "RatePolicy",
    "RateQuote",
    "When",
    "convert_currency",
    "default_rates",
]

_Amount = TypeVar("_Amount", pint.Quantity[Any], Measure)

DEFAULT_MAX_STALENESS: Final = dt.timedelta(days=366)
"""How old the last known rate may be under :attr:`RatePolicy.LAST_KNOWN_BEFORE` unless told otherwise."""

_LEVEL_NAMES: Final = {Precision.YEAR: "annual", Precision.MONTH: "monthly", Precision.DAY: "daily"}
_CSV_ORDER: Final = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


class RatePolicy(enum.Enum):
    """Which rate converts money dated by a year, a day or a period."""

    PERIOD_AVERAGE = "period_average"
    """The average rate over the period, as trade statistics convert.

    A quote for exactly that period wins (the annual average for a year);
    otherwise the finest quotes that cover the whole period are averaged,
    weighted by days (daily quotes: the mean of the quotes, with at most a
    week without one). A month inside a year with only an annual average gets
    that average.
    """
    EXACT_DATE = "exact_date"
    """Only a quote for exactly the period asked for (a day's rate for a date,
    the annual average for a year, the monthly one for a month)."""
    LAST_KNOWN_BEFORE = "last_known_before"
    """The latest quote whose period ended on or before the last day asked for
    (a weekend takes Friday's rate), if it is at most ``max_staleness`` old."""


def _sorted_quotes(value: object) -> tuple[RateQuote, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError("quotes", value, "must be an iterable of RateQuote")
    quotes = tuple(value)
    for quote in quotes:
        if not isinstance(quote, RateQuote):
            raise ValidationError("quotes", quote, "must be a RateQuote")
    return tuple(sorted(quotes, key=lambda q: (q.currency, _CSV_ORDER[q.frequency], q.period.start)))


@attrs.frozen(repr=False)
class ExchangeRates:
    """A table of dated exchange rates against one base currency (US dollars by default).

    Build one from quotes, from CSV (:meth:`from_csv`), from rows or a pandas
    DataFrame (:meth:`from_rows`, :meth:`from_dataframe`), from the
    publications nkru's own table is built from (:meth:`from_wdi`,
    :meth:`from_fred`, :meth:`from_ecb`, :meth:`from_cbr`), or take nkru's
    shipped table (:meth:`default`); :meth:`merged` adds one table to another.

    Args:
        quotes: The rates; at most one per currency and period (RUR and RUB
            count as one currency, the rouble).
        base: The currency every rate is quoted against.

    Raises:
        ValidationError: two quotes for the same currency and period, or a
            quote of the base currency itself.

    >>> from nkru.units import money
    >>> rates = ExchangeRates([RateQuote("RUB", 2011, 29.38, "mine"), RateQuote("EUR", 2011, 0.72, "mine")])
    >>> rates.rate("RUR", 2011)
    29380.0
    >>> rates.convert(money(100, "EUR"), "RUB", on=2011).magnitude
    4080.555555555555
    """

    quotes: tuple[RateQuote, ...] = attrs.field(converter=_sorted_quotes)
    base: str = attrs.field(default="USD", converter=currency_code, validator=currency_validator)
    _series: dict[str, dict[Precision, Level]] = attrs.field(init=False, factory=dict, eq=False)
    _annual: dict[str, tuple[int, npt.NDArray[np.float64]]] = attrs.field(init=False, factory=dict, eq=False)

    def __attrs_post_init__(self) -> None:
        seen: dict[QuoteKey, RateQuote] = {}
        grouped: dict[str, dict[Precision, list[RateQuote]]] = {}
        for quote in self.quotes:
            if series_of(quote.currency) == series_of(self.base):
                raise ValidationError("quotes", quote, f"quotes {quote.currency} against the base {self.base}")
            key = quote_key(quote)
            if key in seen:
                raise ValidationError("quotes", quote, f"repeats the period of {seen[key]}")
            seen[key] = quote
            grouped.setdefault(key[0], {}).setdefault(quote.frequency, []).append(quote)
        for series, levels in grouped.items():
            self._series[series] = {level: Level(quotes, self.base) for level, quotes in levels.items()}

    def __repr__(self) -> str:
        codes = ", ".join(sorted({q.currency for q in self.quotes}))
        return f"<ExchangeRates per {self.base}: {len(self.quotes)} quotes of {codes or 'no currency'}>"

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def default(cls) -> ExchangeRates:
        """Return nkru's shipped table of US dollar rates, ``nkru/data/usd_rates.csv``, read once and cached.

        >>> ExchangeRates.default().rate("RUB", 2005)
        28.2844416666667
        """
        return _shipped_rates()

    @classmethod
    def from_csv(cls, source: TableInput, *, base: str | None = None) -> ExchangeRates:
        r"""Read a table from CSV with columns ``currency, base, period, rate, source``.

        ``base`` may be left out of the file (the ``base`` argument, else
        USD); ``period`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``rate``
        is units of ``currency`` per unit of the base.

        Args:
            source: CSV text (a ``str`` with a line break), a path, or an open text file.
            base: The base currency, if the file has no ``base`` column.

        Raises:
            StructureError: listing every bad cell by line and column
                (missing columns, junk numbers, nan, zero or negative rates,
                unknown currencies, duplicate periods, ...), or naming a
                source that cannot be opened.

        >>> ExchangeRates.from_csv("currency,period,rate,source\nRUB,2011,29.38,mine\n").rate("RUB", 2011)
        29.38
        >>> from nkru.errors import StructureError
        >>> try:
        ...     ExchangeRates.from_csv("currency,period,rate,source\nRUB,2011,-5,mine\nRUB,2012,x,\n")
        ... except StructureError as exc:
        ...     print(*exc.problems, sep="\n")
        line 2, column 'rate': must be positive (got -5)
        line 3, column 'rate': is not a number: 'x'
        line 3, column 'source': must be a non-empty source id (got '')
        """
        quotes, table_base = _io.from_csv(source, base)
        return cls(quotes, base=table_base)

    @classmethod
    def from_rows(cls, rows: Iterable[RateQuote | Mapping[str, object]], *, base: str | None = None) -> ExchangeRates:
        """Build a table from :class:`RateQuote` s or mappings with the CSV's keys.

        A mapping's ``period`` may be a year, a date, text or a Period, its
        ``rate`` a number or text.

        Raises:
            StructureError: listing every bad field by its path (``$[3].rate``).

        >>> rows = [{"currency": "RUR", "period": 1997, "rate": 5784.83, "source": "mine"}]
        >>> ExchangeRates.from_rows(rows).rate("RUB", 1997)
        5.78483
        """
        quotes, table_base = _io.from_rows(rows, base)
        return cls(quotes, base=table_base)

    @classmethod
    def from_dataframe(cls, frame: pd.DataFrame, *, base: str | None = None) -> ExchangeRates:
        """Build a table from a pandas DataFrame with the CSV's columns (see :meth:`from_rows`).

        >>> import pandas as pd
        >>> frame = pd.DataFrame({"currency": ["RUB"], "period": [2011], "rate": [29.38], "source": ["mine"]})
        >>> ExchangeRates.from_dataframe(frame).rate("RUB", 2011)
        29.38
        """
        quotes, table_base = _io.from_dataframe(frame, base)
        return cls(quotes, base=table_base)

    # -- the publications nkru's table is built from ----------------------------------------------

    @classmethod
    def from_wdi(
        cls,
        source: TableInput,
        *,
        countries: Iterable[str] = ("CHN", "GBR", "JPN", "KOR", "RUS"),
        source_id: str | None = None,
    ) -> ExchangeRates:
        r"""Read annual averages per US dollar from the World Bank's ``PA.NUS.FCRF`` bulk CSV.

        This is the file WDI's download button gives for the indicator
        "Official exchange rate (LCU per US$, period average)"
        (``API_PA.NUS.FCRF_DS2_en_csv_v2_*.csv``). Every non-empty cell of the
        chosen countries becomes an annual quote. The Russian Federation's
        figures are new roubles for every year; before 1998 they are quoted
        as RUR, 1000 times the figure, so no digit changes.

        Args:
            source: The CSV file (a path, an open text file, or its text).
            countries: World Bank country codes to read; the currency of
                each is known (``CHN`` CNY, ``EMU`` EUR, ``GBR`` GBP, ``JPN`` JPY,
                ``KOR`` KRW, ``PRK`` KPW, ``RUS`` RUB).
            source_id: The id every quote is tagged with; by default ``wdi-``
                and the file's "Last Updated Date" (``wdi-2025-07-01``).

        Raises:
            StructureError: a bad cell (by line and column), no header row, or
                no row for a country asked for.
            ValidationError: an unknown country code or a bad ``source_id``.

        >>> head = '"Last Updated Date","2026-07-01",\n\n"Country Name","Country Code","Indicator Name","Indicator Code","2024",\n'
        >>> rates = ExchangeRates.from_wdi(head + '"Russia","RUS","x","PA.NUS.FCRF","92.8",\n', countries=["RUS"])
        >>> [(q.currency, str(q.period), q.rate, q.source) for q in rates.quotes]
        [('RUB', '2024', 92.8, 'wdi-2026-07-01')]
        """
        quotes, base = _io.from_wdi(source, countries, source_id)
        return cls(quotes, base=base)

    @classmethod
    def from_fred(cls, source: TableInput, *, source_id: str | None = None) -> ExchangeRates:
        r"""Read monthly averages per US dollar from a FRED CSV of an OECD ``CCUSMA02..M618N`` series.

        FRED's CSV download has the columns ``DATE`` (or ``observation_date``)
        and the series id; the series says the currency (``CCUSMA02RUM618N``
        is the rouble; CN, EZ, GB, JP and KR are read too). FRED's missing
        value ``.`` is skipped. Rouble figures are new roubles for every date;
        months before 1998 are quoted as RUR, 1000 times the figure.

        Args:
            source: The CSV file (a path, an open text file, or its text).
            source_id: The id every quote is tagged with; by default ``fred-``
                and the series id in lower case (``fred-ccusma02rum618n``).

        Raises:
            StructureError: a bad header, date or figure, by line and column.

        >>> rates = ExchangeRates.from_fred("DATE,CCUSMA02RUM618N\n1997-12-01,5.941\n2023-09-01,96.6494\n")
        >>> [(q.currency, str(q.period), q.rate, q.source) for q in rates.quotes]
        [('RUB', '2023-09', 96.6494, 'fred-ccusma02rum618n'), ('RUR', '1997-12', 5941.0, 'fred-ccusma02rum618n')]
        """
        quotes, base = _io.from_fred(source, source_id)
        return cls(quotes, base=base)

    @classmethod
    def from_ecb(
        cls,
        source: TableInput,
        *,
        base: str = "EUR",
        currencies: Iterable[str] | None = None,
        source_id: str | None = None,
    ) -> ExchangeRates:
        r"""Read the ECB's daily euro reference rates, ``eurofxref-hist.csv`` (units of each currency per euro).

        Only the columns of currencies nkru knows are read (``N/A`` and empty
        cells are days without a quote). With ``base="EUR"`` the rates are as
        published; with another base (``"USD"`` to merge into
        :meth:`default`), each day's rates are restated against it through
        that day's quote of the base: X per USD = (X per EUR) / (USD per EUR),
        and EUR per USD = 1 / (USD per EUR).

        Args:
            source: The CSV file (a path, an open text file, or its text).
            base: The currency to quote against; a column of the file, or EUR.
            currencies: The currencies to read (all those nkru knows by default).
            source_id: The id every quote is tagged with (``ecb-eurofxref``).

        Raises:
            StructureError: a bad header, date or figure, by line and column,
                or a column asked for that the file lacks.

        >>> text = "Date,USD,JPY,RUB,\n2011-01-03,1.3351,108.9,40.8,\n"
        >>> import datetime as dt
        >>> ExchangeRates.from_ecb(text).rate("JPY", dt.date(2011, 1, 3))
        108.9
        >>> round(ExchangeRates.from_ecb(text, base="USD").rate("EUR", dt.date(2011, 1, 3)), 6)
        0.749008
        """
        quotes, table_base = _io.from_ecb(source, base, currencies, source_id)
        return cls(quotes, base=table_base)

    @classmethod
    def from_cbr(
        cls, source: TableInput, *, currency: str | None = None, source_id: str | None = None
    ) -> ExchangeRates:
        r"""Read the Bank of Russia's daily rouble rates of one currency, its ``XML_dynamic`` response.

        The response (documented at https://www.cbr.ru/development/SXML/,
        ``XML_dynamic.asp?date_req1=DD/MM/YYYY&date_req2=DD/MM/YYYY&VAL_NM_RQ=R01235``)
        is windows-1251 XML: a ``ValCurs`` element naming the currency by the
        Bank's code, with one ``Record Date="DD.MM.YYYY"`` per day holding
        ``Nominal`` (units of the currency) and ``Value`` (roubles for them,
        with a decimal comma). The table is quoted against that currency:
        roubles per one unit (Value / Nominal), RUR before 1998 as the Bank
        published them then. A US dollar response merges into :meth:`default`.
        DOCTYPE and entity declarations are refused, so a hostile response
        cannot expand entities.

        Args:
            source: The XML response (a path, an open binary file, or its text).
            currency: The ISO code of the currency, for a Bank code nkru does
                not know (it knows R01235 USD, R01239 EUR, R01375 CNY, R01035
                GBP, R01820 JPY, R01815 KRW).
            source_id: The id every quote is tagged with (``cbr-xml-dynamic``).

        Raises:
            StructureError: not XML, a declaration, or a bad record, by line
                and column.

        >>> xml = '<ValCurs ID="R01235">\n<Record Date="09.01.2024" Id="R01235"><Nominal>1</Nominal><Value>90,4268</Value></Record>\n</ValCurs>'
        >>> rates = ExchangeRates.from_cbr(xml)
        >>> rates.base, rates.quotes[0].rate, str(rates.quotes[0].period)
        ('USD', 90.4268, '2024-01-09')
        """
        quotes, base = _io.from_cbr(source, currency, source_id)
        return cls(quotes, base=base)

    # -- output ---------------------------------------------------------------------------------

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """Return the table as CSV text (and write it to ``path`` if given); :meth:`from_csv` reads it back.

        >>> print(ExchangeRates([RateQuote("SUR", 1988, 0.629, "cia-wfb-1991")]).to_csv(), end="")
        currency,base,period,rate,source
        SUR,USD,1988,0.629,cia-wfb-1991
        """
        return _io.csv_text(self.quotes, self.base, path)

    def to_dataframe(self) -> pd.DataFrame:
        """Return the table as a pandas DataFrame with the CSV's columns (periods as text)."""
        return _io.dataframe(self.quotes, self.base)

    def merged(self, other: ExchangeRates) -> ExchangeRates:
        """Return a table with ``other``'s quotes added; they replace quotes here for the same period.

        >>> mine = ExchangeRates([RateQuote("RUB", 2024, 92.5, "my-source")])
        >>> ExchangeRates.default().merged(mine).rate("RUB", 2024)
        92.5
        """
        if other.base != self.base:
            raise ValidationError("other", other, f"is quoted against {other.base}, this table against {self.base}")
        replaced = {quote_key(quote) for quote in other.quotes}
        kept = [quote for quote in self.quotes if quote_key(quote) not in replaced]
        return ExchangeRates((*kept, *other.quotes), base=self.base)

    # -- look-ups -------------------------------------------------------------------------------

    @property
    def currencies(self) -> frozenset[str]:
        """The currencies this table converts (the base, those quoted, and RUR/RUB for either)."""
        codes = {self.base} | {q.currency for q in self.quotes}
        if codes & ROUBLES:
            codes |= ROUBLES
        return frozenset(codes)

    def coverage(self, currency: str) -> str:
        """Describe the dates quoted for ``currency``, by frequency.

        >>> ExchangeRates.default().coverage("SUR")
        'annual 1985–1990'
        """
        currency = check_currency("currency", currency)
        if series_of(currency) == series_of(self.base):
            return "every date (the base currency)"
        levels = self._series.get(series_of(currency), {})
        texts = []
        for level in (Precision.YEAR, Precision.MONTH, Precision.DAY):
            if level in levels:
                runs = levels[level].runs(level)
                more = f", and {len(runs) - 6} more stretches" if len(runs) > 6 else ""
                texts.append(f"{_LEVEL_NAMES[level]} {', '.join(runs[:6])}{more}")
        return "; ".join(texts) or "no dates"

    def rate(
        self,
        currency: str,
        on: When,
        policy: RatePolicy = RatePolicy.PERIOD_AVERAGE,
        *,
        max_staleness: dt.timedelta = DEFAULT_MAX_STALENESS,
    ) -> float:
        """Return units of ``currency`` per unit of the base currency for ``on``.

        Args:
            currency: The currency code, in any case (RUR and RUB are converted into each other exactly).
            on: A year, a date, a :class:`~nkru.periods.Period` or its ISO
                text (see :data:`~nkru.periods.When`).
            policy: How to pick or average the rates (see :class:`RatePolicy`).
            max_staleness: For :attr:`RatePolicy.LAST_KNOWN_BEFORE`, how old the
                rate may be at the last day of ``on``.

        Raises:
            RateNotFoundError: no rate covers ``on`` under ``policy``.
            ValidationError: ``currency`` or ``on`` is not allowed.

        >>> rates = ExchangeRates.default()
        >>> rates.rate("SUR", 1988)
        0.629
        >>> rates.rate("RUB", 2005), round(rates.rate("RUB", Period.months(2005, 1, 9)), 4)
        (28.2844416666667, 28.1452)
        """
        currency = check_currency("currency", currency)
        if not isinstance(policy, RatePolicy):
            raise ValidationError("policy", policy, "must be a RatePolicy")
        start, end, label = interval(on)
        if series_of(currency) == series_of(self.base):
            if currency != self.base:  # a rouble base: the other rouble code is a fixed factor
                return float(to_unit(ureg.Quantity(1.0, unit(self.base)), currency).magnitude)
            return 1.0
        staleness: object = max_staleness  # callers without type checks pass anything
        days = staleness.days if isinstance(staleness, dt.timedelta) else -1
        if days < 0:
            raise ValidationError("max_staleness", max_staleness, "must be a non-negative datetime.timedelta")
        found = self._find(currency, start, end, policy, days)
        if found is None:
            if policy is RatePolicy.EXACT_DATE:
                label = f"exactly {label} (policy EXACT_DATE)"
            elif policy is RatePolicy.LAST_KNOWN_BEFORE:
                last = dt.date.fromordinal(end).isoformat()
                label = f"{last} or the {days} days before (policy LAST_KNOWN_BEFORE)"
            raise RateNotFoundError(f"{currency} per {self.base} rate", label, self.coverage(currency))
        return found

    def _find(self, code: str, start: int, end: int, policy: RatePolicy, stale_days: int) -> float | None:
        levels = self._series.get(series_of(code))
        if levels is None:
            return None
        if policy is RatePolicy.LAST_KNOWN_BEFORE:
            return last_known(levels, code, end, stale_days)
        for level in levels.values():
            exact = level.exact(code, start, end)
            if exact is not None:
                return exact
        if policy is RatePolicy.EXACT_DATE:
            return None
        for precision in LEVELS:
            if precision in levels:
                average = levels[precision].average(code, start, end, precision)
                if average is not None:
                    return average
        return None

    def convert(
        self,
        amount: _Amount,
        to: str,
        *,
        on: When,
        policy: RatePolicy = RatePolicy.PERIOD_AVERAGE,
        max_staleness: dt.timedelta = DEFAULT_MAX_STALENESS,
        redenominate: bool = False,
    ) -> _Amount:
        """Convert money (a Quantity or a :class:`~nkru.measures.Measure`) to ``to`` at the rates of ``on``.

        Both currencies are converted through the base currency with rates
        chosen by ``policy`` (see :meth:`rate`). RUR and RUB convert into
        each other exactly, without rates. A Measure keeps its qualifier and
        status; its value, bounds and resolution are converted alike.

        The amount's currency must have circulated over all of ``on``: RUB
        from 1998, RUR 1992–2002 (old notes were exchanged until the end of
        2002), SUR 1961–1991. A 1997 amount written in RUB is nearly always
        old roubles (RUR) under the new code, 1000 times too much, so it
        raises :class:`~nkru.errors.CurrencyNotInCirculationError` naming
        RUR, unless ``redenominate=True`` says it really is restated in new
        roubles. The target currency is not checked: converting 1997 RUR
        to RUB asks for the redenomination by name.

        Args:
            amount: Money: a Quantity of :data:`nkru.units.ureg` or a Measure.
            to: The currency code to convert to, in any case (``"usd"``).
            on: A year, a date, a :class:`~nkru.periods.Period` or its ISO
                text (see :data:`~nkru.periods.When`).
            policy: How to pick or average rates (see :class:`RatePolicy`).
            max_staleness: How old a rate :attr:`RatePolicy.LAST_KNOWN_BEFORE` may use.
            redenominate: Convert an amount dated outside its currency's years
                (new roubles before 1998, say) instead of raising.

        Raises:
            CurrencyNotInCirculationError: the amount's currency did not
                circulate over ``on`` and ``redenominate`` is False.
            RateNotFoundError: no rate covers ``on`` for one of the currencies.
            UnitMismatchError: ``amount`` is not money.
            ValidationError: ``to`` or ``on`` is not allowed, or the amount
                is not finite, has no float, or converted is past the largest float.

        >>> from nkru.units import money
        >>> ExchangeRates.default().convert(money(1, "USD"), "sur", on="1988")
        <Quantity(0.629, 'SUR')>
        >>> ExchangeRates.default().convert(money(3.5e9, "RUB"), "USD", on=1997)
        Traceback (most recent call last):
        ...
        nkru.errors.CurrencyNotInCirculationError: RUB did not circulate in 1997 (RUB: from 1998; 1 RUB = 1000 RUR): money of that date is RUR, so write the amount in RUR; if it is restated in RUB, pass redenominate=True
        """
        to = check_currency("to", to)
        period = to_period(on, "on")
        if isinstance(amount, Measure):
            source = _money_code(amount.point, to)
            _check_circulates(source, period, redenominate)
            if source == to or {source, to} <= ROUBLES:
                return amount.to(to)
            factor = self._pair(source, to, period, policy, max_staleness)
            return amount.rescaled(factor.apply, unit(to), field="amount", target=to)
        given: object = amount  # callers without type checks pass anything
        if not isinstance(given, ureg.Quantity):  # a Quantity of this registry, not of another
            raise ValidationError("amount", amount, "must be money from nkru.units.money or an nkru Measure")
        source = _money_code(amount, to)
        _check_circulates(source, period, redenominate)
        if source == to or {source, to} <= ROUBLES:
            return to_unit(amount, to)
        factor = self._pair(source, to, period, policy, max_staleness)
        converted = scaled_magnitude(amount.magnitude, factor.apply, field="amount", given=amount, target=to)
        return ureg.Quantity(converted, unit(to))

    def _pair(self, source: str, target: str, on: When, policy: RatePolicy, max_staleness: dt.timedelta) -> ExactFactor:
        """Divide by the source's rate per base, then multiply by the target's (no step for the base itself)."""
        from_rate = None if source == self.base else self.rate(source, on, policy, max_staleness=max_staleness)
        to_rate = None if target == self.base else self.rate(target, on, policy, max_staleness=max_staleness)
        return ExactFactor(divisor=from_rate, multiplier=to_rate)

    def annual_rate_array(self, currency: str, years: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return units of ``currency`` per unit of the base for each year in ``years``, vectorized.

        Each year's rate is what :meth:`rate` gives for that year under
        :attr:`RatePolicy.PERIOD_AVERAGE`, computed once per currency; the
        look-up itself is a numpy indexing operation, so a million years take
        milliseconds. To convert a column ``values`` in ``source`` to
        ``target``: ``values / annual_rate_array(source, years) *
        annual_rate_array(target, years)``.

        Args:
            currency: The currency.
            years: Integer years (any shape).

        Raises:
            RateNotFoundError: some years have no rate; the message names them.
            ValidationError: ``years`` are not integers.

        >>> import numpy as np
        >>> ExchangeRates.default().annual_rate_array("RUR", np.array([1997, 2005])).round(4).tolist()
        [5784.8333, 28284.4417]
        """
        currency = check_currency("currency", currency)
        array = np.asarray(years)
        if array.dtype.kind not in "iu":
            raise ValidationError("years", array.dtype, "must be an array of integer years")
        if series_of(currency) == series_of(self.base):
            return np.full(array.shape, self.rate(currency, 2000))  # a fixed factor: any year will do
        first, table = self._annual_table(currency)
        index = array.astype(np.int64) - first
        inside = (index >= 0) & (index < table.size)
        if table.size == 0:
            result = np.full(array.shape, np.nan)
        elif inside.all():
            result = table[index]
        else:
            result = table[np.clip(index, 0, table.size - 1)]
            result[~inside] = np.nan
        missing = np.isnan(result)
        if missing.any():
            absent = np.unique(array[missing])
            shown_years = ", ".join(str(year) for year in absent[:10])
            more = f" and {absent.size - 10} more years" if absent.size > 10 else ""
            raise RateNotFoundError(
                f"{currency} per {self.base} annual average", shown_years + more, self.coverage(currency)
            )
        return result

    def _annual_table(self, code: str) -> tuple[int, npt.NDArray[np.float64]]:
        cached = self._annual.get(code)
        if cached is not None:
            return cached
        levels = self._series.get(series_of(code), {})
        if not levels:
            table: tuple[int, npt.NDArray[np.float64]] = (0, np.empty(0))
        else:
            first = min(dt.date.fromordinal(int(level.starts[0])).year for level in levels.values())
            last = max(dt.date.fromordinal(int(level.ends[-1])).year for level in levels.values())
            values = np.full(last - first + 1, np.nan)
            for year in range(first, last + 1):
                start, end = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
                found = self._find(code, start, end, RatePolicy.PERIOD_AVERAGE, 0)
                if found is not None:
                    values[year - first] = found
            values.flags.writeable = False
            table = (first, values)
        self._annual[code] = table
        return table


def _check_circulates(code: str, period: Period, redenominate: bool) -> None:
    if not isinstance(redenominate, bool):
        raise ValidationError("redenominate", redenominate, "must be True or False")
    check_circulation(code, period.start.year, period.end.year, str(period), redenominate=redenominate)


def _money_code(amount: pint.Quantity[Any], to: str) -> str:
    code = currency_of(amount)
    if code is None:
        raise UnitMismatchError(format_unit(amount), to)
    return code


@functools.cache
def _shipped_rates() -> ExchangeRates:
    # A module function, so that the cache holds one table rather than one per class asking.
    return ExchangeRates.from_csv(read_package_text("usd_rates.csv"))


def default_rates() -> ExchangeRates:
    """Deprecated (removed in nkru 0.3): use :meth:`ExchangeRates.default`, which returns the same table.

    nkru keeps one entry point per job; the shipped table is read where the
    other tables are, beside :meth:`ExchangeRates.from_csv`.
    """
    warn_deprecated("nkru.fx.default_rates()", "nkru.ExchangeRates.default()")
    return ExchangeRates.default()


def convert_currency(
    amount: _Amount,
    to: str,
    *,
    on: When,
    rates: ExchangeRates | None = None,
    policy: RatePolicy = RatePolicy.PERIOD_AVERAGE,
    max_staleness: dt.timedelta = DEFAULT_MAX_STALENESS,
    redenominate: bool = False,
) -> _Amount:
    """Convert money to the currency ``to`` at the rates of ``on`` (nkru's shipped rates by default).

    The rules are those of :meth:`ExchangeRates.convert`, including the one
    on currencies dated outside their years (RUB before 1998, RUR after 2002).

    Args:
        amount: Money: a Quantity of :data:`nkru.units.ureg` or a
            :class:`~nkru.measures.Measure` (value and bounds are converted).
        to: The currency code to convert to, in any case (``"usd"``).
        on: A year, a date, a :class:`~nkru.periods.Period` or its ISO text
            such as ``"1995"`` or ``"1995-06-30"`` (see :data:`~nkru.periods.When`).
        rates: A table of your own; :meth:`ExchangeRates.default` if None.
        policy: How to pick or average rates (see :class:`RatePolicy`).
        max_staleness: How old a rate :attr:`RatePolicy.LAST_KNOWN_BEFORE` may use.
        redenominate: Convert an amount dated outside its currency's years
            (new roubles before 1998, say) instead of raising.

    Returns:
        The amount in ``to`` (a Measure if a Measure was given).

    Raises:
        CurrencyNotInCirculationError: the amount's currency did not circulate
            over ``on`` and ``redenominate`` is False.
        RateNotFoundError: no rate covers ``on`` for a currency involved.
        UnitMismatchError: ``amount`` is not money.
        ValidationError: ``to``, ``on`` or ``policy`` is not allowed.

    >>> from nkru.units import money
    >>> convert_currency(money(1, "USD"), "RUB", on=2005).magnitude
    28.2844416666667
    >>> convert_currency(money(1, "usd"), "sur", on="1988")
    <Quantity(0.629, 'SUR')>
    >>> round(convert_currency(money(3.5e9, "RUB"), "USD", on=1997, redenominate=True).magnitude / 1e6, 1)
    605.0
    """
    table = ExchangeRates.default() if rates is None else rates
    if not isinstance(table, ExchangeRates):
        raise ValidationError("rates", table, "must be an nkru.fx.ExchangeRates")
    return table.convert(amount, to, on=on, policy=policy, max_staleness=max_staleness, redenominate=redenominate)

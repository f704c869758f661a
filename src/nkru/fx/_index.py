"""The look-up index behind :class:`nkru.fx.ExchangeRates`: sorted numpy arrays per series and frequency.

Private: :mod:`nkru.fx` is the public face. Quotes of one currency at one
frequency never overlap, so a binary search over their first and last days
finds the quotes covering any period.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from nkru.fx._quotes import RateQuote, series_of
from nkru.periods import Precision
from nkru.units import to_unit, unit, ureg

__all__ = ["LEVELS", "MAX_DAILY_GAP", "Level", "last_known", "redenominated"]

#: A period average of daily quotes tolerates this many days in a row without a quote
#: (weekends and holidays: the ECB's longest pause, at Easter, is four days).
MAX_DAILY_GAP: Final = 7
#: Frequencies, finest first: a period average prefers the finest quotes that cover it.
LEVELS: Final = (Precision.DAY, Precision.MONTH, Precision.YEAR)


class Level:
    """The quotes of one series at one frequency, as sorted arrays (periods never overlap)."""

    __slots__ = ("ends", "quotes", "rates", "starts")

    def __init__(self, quotes: list[RateQuote], base: str) -> None:
        quotes.sort(key=lambda quote: quote.period.start)
        self.quotes = tuple(quotes)
        self.starts = np.array([q.period.start.toordinal() for q in quotes], dtype=np.int64)
        self.ends = np.array([q.period.end.toordinal() for q in quotes], dtype=np.int64)
        raw = np.array([q.rate for q in quotes], dtype=np.float64)
        if series_of(quotes[0].currency) != "RUB":
            self.rates = {quotes[0].currency: raw}
            return
        # Each rouble quote is kept exactly in its own code; the other code's figure
        # comes from nkru.units.to_unit (RUR per USD = 1000 x RUB per USD).
        self.rates = {
            code: np.array([redenominated(q.rate, q.currency, code, base) for q in quotes], dtype=np.float64)
            for code in ("RUB", "RUR")
        }

    def exact(self, code: str, start: int, end: int) -> float | None:
        """The rate quoted for exactly ``start``..``end``, if any."""
        i = int(np.searchsorted(self.starts, start))
        if i < self.starts.size and self.starts[i] == start and self.ends[i] == end:
            return float(self.rates[code][i])
        return None

    def average(self, code: str, start: int, end: int, level: Precision) -> float | None:
        """The day-weighted average over ``start``..``end`` if these quotes cover all of it."""
        rates = self.rates[code]
        if level is Precision.DAY:
            i0 = int(np.searchsorted(self.starts, start, side="left"))
            i1 = int(np.searchsorted(self.starts, end, side="right"))
            if i0 >= i1:
                return None
            days = self.starts[i0:i1]
            longest = max(int(days[0]) - start, end - int(days[-1]), int(np.diff(days).max(initial=1)) - 1)
            if longest > MAX_DAILY_GAP:
                return None
            return float(rates[i0]) if i1 - i0 == 1 else float(np.mean(rates[i0:i1]))
        i0 = int(np.searchsorted(self.ends, start, side="left"))
        i1 = int(np.searchsorted(self.starts, end, side="right"))
        if i0 >= i1 or self.starts[i0] > start or self.ends[i1 - 1] < end:
            return None
        if i1 - i0 == 1:
            return float(rates[i0])
        starts, ends = self.starts[i0:i1], self.ends[i0:i1]
        if np.any(starts[1:] != ends[:-1] + 1):
            return None
        weights = np.minimum(ends, end) - np.maximum(starts, start) + 1
        return float(np.dot(weights, rates[i0:i1]) / weights.sum())

    def last_before(self, day: int) -> int | None:
        """Index of the latest quote ending on or before ``day``."""
        i = int(np.searchsorted(self.ends, day, side="right")) - 1
        return i if i >= 0 else None

    def runs(self, level: Precision) -> list[str]:
        """The stretches of dates these quotes cover, as text ("1992–2023")."""
        allowed = MAX_DAILY_GAP + 1 if level is Precision.DAY else 1
        breaks = np.flatnonzero(self.starts[1:] - self.ends[:-1] > allowed)
        firsts = [0, *(int(b) + 1 for b in breaks)]
        lasts = [*(int(b) for b in breaks), len(self.quotes) - 1]
        texts = []
        for first, last in zip(firsts, lasts, strict=True):
            a, b = str(self.quotes[first].period), str(self.quotes[last].period)
            texts.append(a if a == b else f"{a}–{b}")
        return texts


def redenominated(rate: float, code: str, target: str, base: str) -> float:
    """A rate in ``code`` per ``base`` restated in ``target`` per ``base`` (RUR <-> RUB), exactly."""
    if code == target:
        return rate
    return float(to_unit(ureg.Quantity(rate, unit(f"{code} / {base}")), f"{target} / {base}").magnitude)


def last_known(levels: dict[Precision, Level], code: str, end: int, stale_days: int) -> float | None:
    """The latest quote ending on or before ``end``, at most ``stale_days`` before it."""
    best: tuple[int, Level, int] | None = None
    for precision in LEVELS:  # finest first: on a tie the finer, fresher quote wins
        if precision in levels:
            level = levels[precision]
            i = level.last_before(end)
            if i is not None and (best is None or level.ends[i] > best[0]):
                best = (int(level.ends[i]), level, i)
    if best is None or end - best[0] > stale_days:
        return None
    return float(best[1].rates[code][best[2]])

"""Read amounts and periods as trade texts write them, safely.

Three readers, each a small grammar of nkru's own; none hands text to pint's
expression evaluator, so hostile input cannot make them hang:

- :func:`parse_quantity` reads an amount that is exactly a quantity
  ("US$1.97 billion", "830,000 tons") into a :class:`pint.Quantity` of
  :data:`nkru.units.ureg`; a qualified, estimated or ranged amount is an error.
- :func:`parse_measure` reads the same amounts and keeps what the text said
  about them ("about 60%", "no more than 890 tons", "several hundred thousand
  hectares") as a :class:`nkru.measures.Measure`.
- :func:`parse_period` reads a period phrase ("the late 1980s", "first nine
  months of 2005", "19.8.2011") into a :class:`nkru.periods.Period`.

>>> parse_quantity("US$1.97 billion")
<Quantity(1.97e+09, 'USD')>
>>> parse_measure("some 50,000 tons").qualifier
<Qualifier.APPROXIMATE: 'approximate'>
>>> str(parse_period("first nine months of 2005"))
'2005-01/2005-09'

**Safety.** Text longer than 500 characters (200 for a period) is rejected
before any work. The text is split into tokens in one pass (runs of ASCII
digits, runs of ASCII letters, single symbols); every other character is an
error at its position, so full-width digits, right-to-left marks, combining
characters and NUL are rejected, never misread. The grammars walk the tokens
forward, trying a fixed number of alternatives at each place, with no
recursion on the input, so reading time is linear in the text's length by
construction. Every failure is a :class:`nkru.errors.ParseError` with the
character position where reading stopped.

**Numbers** follow one rule. Digits are ASCII. A comma *directly between
digits* separates thousands: it must have exactly three digits after it, and
one to three digits (not starting with 0) before the first comma
("830,000", "1,070", "1,234,567.5"). A point directly between digits is the
decimal point, at most one, after any commas. Anything else ("1,5", "1,07",
"1.000.000", "12,34,567", "1.5,000") is a :class:`ParseError`, never a
number read some other way. There is no sign (amounts in texts are sizes;
changes are stated in words) and no exponent ("1e999", "nan" and "inf" are
errors). The value is the stated digits times a power of ten, computed in
:class:`decimal.Decimal` and turned into a float once, so "1.97 billion" is
exactly ``1970000000.0``; a value too large for a float is an error, and so
is one with more significant digits than a float keeps ("9007199254740993",
which a float would hold as ...992), as in JSON input.

Numbers may also be words: zero to nineteen, the tens, "hundred" and the
scale words ("ninety three", "ninety-three", "two hundred and five",
"one million two hundred thousand", "a billion"). Scale words after a number
are thousand, million, billion, trillion (and "hundred thousand"); the
abbreviations "m", "mn", "mln", "bn", "bln" and "b" mean million and billion
only for money ("5m dollars", "$1.2bn") because "5 m" could be metres.

**Units.** Currency signs go *before* the number: "$" and "US$" (US dollar),
"€", "£", "¥" (yen; "CN¥" is the yuan) and "₩" (North Korean won, as in this
library's sources); a sign after the number ("1.97$ billion") is an error.
ISO codes go before or after ("USD 5 million", "5 million RUB"). Words go after:
dollars, US dollars; roubles/rubles (the rouble of the text's date, given as
``parse_measure(text, on=...)``: SUR 1961–1991, RUR 1992–1997, RUB from 1998;
RUB when no date is given), "old" roubles (RUR, the rouble before the 1998
redenomination), new or Russian roubles (RUB), Soviet roubles (SUR);
euros; yen; yuan, renminbi, RMB; won and North Korean won (KPW), South Korean
won (KRW); sterling. Mass: t, ton(s), tonne(s), the misspelling "tones" and
metric ton(s) are the metric tonne; "short ton(s)" is pint's short ton and
"long ton(s)" the long ton; kg. Area: hectare(s), ha. Share: %, percent,
per cent, pct. Counts of things (items, trucks, factories, plants, ships,
vehicles, wagons, ...) are ``item``, and up to four adjectives may stand
between the number and such a noun ("Ninety three North Korean factories").
A price's denominator follows "per" or "/" ("$200 per ton").
"""

from __future__ import annotations

import functools
from typing import Final

import pint

from nkru._core.circulation import rouble_of
from nkru.errors import ParseError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parsing._amounts import read_measure
from nkru.parsing._lexer import MAX_TEXT
from nkru.parsing._periods import read_period
from nkru.periods import Period, When, to_period
from nkru.units import make_quantity, units_of

__all__ = ["parse_measure", "parse_period", "parse_quantity"]

#: How many distinct texts :func:`parse_quantity` remembers.
_CACHE_SIZE: Final = 4096


def parse_quantity(text: str) -> pint.Quantity[float]:
    """Read an amount as a trade text writes it into a quantity.

    The grammar and the one rule for separators are described in
    :mod:`nkru.parsing`. Only an amount that is exactly a quantity is read:
    a figure with a qualifier ("less than 50 trucks", "about 60%"), a status
    ("estimated at US$3.6 million") or a range ("200–300 tons") says more
    than a quantity can hold, and is an error here that points to
    :func:`parse_measure`, which keeps what the text says.

    Args:
        text: The amount, at most 500 characters.

    Returns:
        A float-valued :class:`pint.Quantity` of :data:`nkru.units.ureg`.

    Raises:
        ParseError: ``text`` is not a string, is too long, or is not an amount
            of the grammar (the error gives the character position); or the
            amount is qualified, has a status or is a range.

    >>> parse_quantity("830,000 tons")
    <Quantity(830000.0, 'metric_ton')>
    >>> parse_quantity("5m dollars")
    <Quantity(5000000.0, 'USD')>
    >>> parse_quantity('4.5 billion "old" Rubles')
    <Quantity(4.5e+09, 'RUR')>
    >>> parse_quantity("1,5 t")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nkru.errors.ParseError: cannot read '1,5 t' at character 2: a comma between digits separates thousands ...
    >>> parse_quantity("no more than 890 tons")
    Traceback (most recent call last):
    ...
    nkru.errors.ParseError: cannot read 'no more than 890 tons': the figure is qualified (at_most), which a quantity cannot hold; read it with parse_measure
    """
    # Non-text and over-long text go straight to the grammar, which refuses them.
    measure = _read_cached(text) if _cacheable(text) else read_measure(text)
    value = _exact_value(text, measure)
    # A fresh quantity each call: pint quantities can be changed in place (``ito``),
    # and the cached one must never be.
    return make_quantity(value.magnitude, units_of(value))


def _exact_value(text: str, measure: Measure) -> pint.Quantity[float]:
    """The value of ``measure`` if it is exactly a quantity, else the :class:`ParseError` naming what it says more.

    One check after either reading (the grammar or its shortcut), so no path
    drops a qualifier or a status.
    """
    value = measure.value
    if value is None:
        raise ParseError(str(text), "a range has no single value; read it with parse_measure")
    if measure.qualifier is not Qualifier.EXACT:
        raise ParseError(
            text,
            f"the figure is qualified ({measure.qualifier.value}), which a quantity cannot hold; read it with parse_measure",
        )
    if measure.status is not ObsStatus.REPORTED:
        raise ParseError(
            text, f"the figure is {measure.status.value}, which a quantity cannot hold; read it with parse_measure"
        )
    return value


def _cacheable(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_TEXT


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read_cached(text: str, rouble: str = "RUB") -> Measure:
    """The grammar's reading of ``text``, remembered for repeated cells.

    Columns of trade data repeat the same few phrasings, so, like
    :func:`pandas.to_datetime` with ``cache=True``, nkru remembers the last
    readings. Only successful readings are kept (errors are raised afresh);
    texts longer than the grammar's limit never reach the cache.
    """
    return read_measure(text, rouble)


def parse_measure(text: str, *, on: When | None = None) -> Measure:
    """Read an amount with what the text says about it: qualifier, range, status.

    Plain "roubles" (or "rubles") mean the rouble of the text's date ``on``:
    the Soviet rouble (SUR) for a date within 1961–1991, the old Russian
    rouble (RUR) within 1992–1997, the new rouble (RUB) from 1998. Without a
    date, or for one that spans a change, they read as RUB; converting such
    an amount at a date before 1998 then raises
    :class:`~nkru.errors.CurrencyNotInCirculationError` naming RUR (see
    :meth:`nkru.fx.ExchangeRates.convert`), so the 1000-fold mistake cannot
    pass silently. Codes and qualified words ("RUB", "new roubles", "old
    roubles") mean what they say at any date.

    Before the figure may come a status and a qualifier:

    - "estimated at", "an estimated", "estimated", "est." give
      :attr:`~nkru.measures.ObsStatus.ESTIMATED`;
    - "about", "approximately", "approx.", "around", "roughly", "some",
      "circa", "c.", "ca.", "~", "≈", "close to", and also "nearly" and
      "almost" give :attr:`~nkru.measures.Qualifier.APPROXIMATE`. Strictly,
      "nearly 60%" is below 60%, but texts use these words for rounded figures
      that may lie on either side, so nkru does not turn them into a bound;
    - "no more than", "not more than", "at most", "up to", "a maximum of",
      "≤", "<=" give ``AT_MOST``; "less than", "fewer than", "under",
      "below", "<" give ``LESS_THAN``; "at least", "no less than",
      "not less than", "no fewer than", "a minimum of", "≥", ">=" give
      ``AT_LEAST``; "more than", "over", "above", "in excess of", ">" give
      ``MORE_THAN``.

    A range is two figures joined by a dash or "to", or written "between X
    and Y" or "from X to Y": "200–300 tons", "$1-2 billion". A scale, currency
    sign or unit written once applies to both figures, as in "$1-2 billion"
    (1 to 2 billion dollars); figures written with different units are an
    error. A vague amount is a range too, with these bounds:
    "several S" and "Ss of" (S a scale: tens, hundreds, thousands, ...) mean
    2 S to 9 S, so "several hundred thousand hectares" is 200,000 to 900,000
    hectares and "tens of thousands of tons" 20,000 to 90,000 tons. A
    qualifier before a range is an error.

    :attr:`~nkru.measures.Measure.resolution` is the place value of the last
    stated digit, in the unit of the value: "US$172.3 million" gives
    100000.0, "91.1 percent" 0.1, "64%" 1.0. Every written digit counts as
    stated, so "830,000 tons" gives 1.0 (the text does not say whether its
    zeros were rounded). A number in words is stated to its last word: "two
    hundred thousand" gives 100000.0, "ninety three" 1.0. A range takes the
    finer of its two figures; a vague amount its step S.

    Args:
        text: The amount, at most 500 characters.
        on: The date the text speaks of: a year, a date, a Period or its
            ISO text (see :data:`~nkru.periods.When`).

    Returns:
        The :class:`~nkru.measures.Measure`; its quantities are floats in
        :data:`nkru.units.ureg`.

    Raises:
        ParseError: ``text`` is not a string, is too long, or is not an amount
            of the grammar; the error gives the character position.
        ValidationError: ``on`` is not a date nkru reads.

    >>> m = parse_measure("no more than 890 tons")
    >>> m.qualifier.value, m.value
    ('at_most', <Quantity(890.0, 'metric_ton')>)
    >>> parse_measure("several hundred thousand hectares").bounds
    (<Quantity(200000.0, 'hectare')>, <Quantity(900000.0, 'hectare')>)
    >>> parse_measure("estimated at US$3.6 million").status.value
    'estimated'
    >>> parse_measure("3.5 billion rubles", on=1997).value, parse_measure("3.5 billion rubles").value
    (<Quantity(3.5e+09, 'RUR')>, <Quantity(3.5e+09, 'RUB')>)
    """
    rouble = "RUB"
    if on is not None:
        period = to_period(on, "on")
        rouble = rouble_of(period.start.year, period.end.year) or "RUB"
    return _read_cached(text, rouble) if _cacheable(text) else read_measure(text, rouble)


def parse_period(text: str, *, year: int | None = None) -> Period:
    """Read a period phrase of a trade text (or an SDMX ``TIME_PERIOD``).

    A leading "in", "during", "on", "for" or "at" and "the" are skipped. Then:

    - a year, "1988"; a span of years, "2000–2005", "2000-2005",
      "from 1965 to 1968", "between 1965 and 1968" (``YEARS``);
    - a decade, "the 1990s", "1990's" (``DECADE``); its early, mid or late
      part, "the late 1980s", "mid-1990s" (``PART_OF_DECADE``, approximate):
      early is years 0–3 of the decade, mid 4–6, late 7–9, so the three parts
      cover it;
    - early, mid or late in a year, "late 2005": January–April, May–August,
      September–December (``MONTHS``, approximate);
    - a month, "October 2006", "Dec. 1997"; months, "January to March 2006",
      "from January to March 2006", "November 2005 – February 2006"; a
      month range without its own first year starts in the last year, or the
      year before when its first month comes later ("November to February
      2006" starts in November 2005);
    - "first nine months of 2005", "last three months of 2005" (``MONTHS``),
      "first half of 2005" (``HALF_YEAR``), "first quarter of 2006",
      "Q1 2006", "2006 Q1" (``QUARTER``);
    - a season of the northern hemisphere, in meteorological months, "in the
      fall of 1997", "autumn 1997" (September–November), spring March–May,
      summer June–August; "winter 1997" and "winter 1997/98" run from
      December 1997 to February 1998 (``SEASON``). Seasons are not marked
      approximate: their precision already says what was stated, and the
      months are the meteorological convention;
    - early, mid or late in a month, "early September 2011": days 1–10,
      11–20, 21 to the month's end (``DAYS``, approximate);
    - a day: "19.8.2011" (day.month.year, with points only), "2 February
      2012", "2nd of February 2012", "February 2, 2012";
    - SDMX and ISO forms that :meth:`nkru.periods.Period.from_sdmx` reads,
      "2011-08-19", "2005-Q1", "2005-01-01/P9M".

    A phrase without a year ("in the fall", "on 2 February") is an error
    unless ``year`` is given; then that year is used, and the caller should
    record that it was inferred.

    Args:
        text: The phrase, at most 200 characters.
        year: The year to assume when the phrase states none.

    Returns:
        The :class:`~nkru.periods.Period`.

    Raises:
        ParseError: ``text`` is not a string, is too long, is not a phrase of
            the grammar, names no such date, or states no year and none is
            given.
        ValidationError: ``year`` is not a whole year from 1000 to 2999.

    >>> p = parse_period("the late 1980s")
    >>> p.start.year, p.end.year, p.precision.value, p.approximate
    (1987, 1989, 'part_of_decade', True)
    >>> str(parse_period("in the fall", year=1997))
    '1997-09/1997-11'
    >>> parse_period("on 2 February")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nkru.errors.ParseError: cannot read 'on 2 February' at character 13: the phrase states no year; ...
    """
    return read_period(text, year=year)

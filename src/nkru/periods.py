"""Periods: the time a figure or an event refers to, with its precision.

A :class:`Period` is a closed interval of calendar days (``start`` and ``end``
both included) with a :class:`Precision` that says how it was stated: a day,
a month, a quarter, a season, a year, a span of years, part of a decade
("late 1980s"). A period reads and writes its SDMX ``TIME_PERIOD`` form
(:meth:`Period.from_sdmx`, ``str``); the phrasings of trade texts are read by
:func:`nkru.parse_period`. Periods know how much of each calendar year they
cover, which the aggregation helpers need to annualize partial periods.

>>> from nkru.periods import Period
>>> p = Period.from_sdmx("2005-01-01/P9M")
>>> p.start, p.end, p.precision.value
(datetime.date(2005, 1, 1), datetime.date(2005, 9, 30), 'months')
>>> round(p.coverage(2005), 4)
0.7479
>>> str(Period.from_sdmx("2005-Q1"))
'2005-Q1'
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from typing import Final, TypeAlias

import attrs

from nkru._core.deprecation import warn_deprecated
from nkru._core.numbers import is_integer
from nkru._core.text import instance_of
from nkru.errors import ParseError, ValidationError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "Precision",
    "When",
    "month_end",
    "read_sdmx_period",
    "to_period",
    "to_year",
]

MIN_YEAR: Final = 1000
"""The first year nkru's periods reach; every year nkru reads (from text, tables or code) is checked against it."""
MAX_YEAR: Final = 2999
"""The last year nkru's periods reach."""
_MAX_TEXT: Final = 200


class Precision(enum.Enum):
    """How precisely a period was stated."""

    DAY = "day"
    DAYS = "days"
    """A span of days, such as "early September" (the 1st to the 10th)."""
    MONTH = "month"
    MONTHS = "months"
    """A span of months ("first nine months of 2005", "January to March 2006")."""
    QUARTER = "quarter"
    SEASON = "season"
    """A season of the northern hemisphere ("in the fall" is September to November)."""
    HALF_YEAR = "half_year"
    YEAR = "year"
    YEARS = "years"
    """A span of whole years ("2000–2005", "from 1965 to 1968")."""
    DECADE = "decade"
    PART_OF_DECADE = "part_of_decade"
    """A third of a decade ("early/mid/late 1980s"), approximate by nature."""


def _check_date(_instance: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(attribute.name, value, "must be a datetime.date")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(attribute.name, value, f"year must be between {MIN_YEAR} and {MAX_YEAR}")


def _date(year: int, month: int, day: int) -> dt.date:
    """Make a date, raising nkru's error for a day that does not exist."""
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError("date", (year, month, day), "is not a calendar date") from None


def month_end(year: int, month: int) -> dt.date:
    """Return the last day of the month ``month`` of ``year``.

    Raises:
        ValidationError: there is no such month (the field is ``date``).

    >>> month_end(2004, 2), month_end(2005, 2)
    (datetime.date(2004, 2, 29), datetime.date(2005, 2, 28))
    """
    first = _date(year, month, 1)
    return _date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@attrs.frozen(order=False)
class Period:
    """A closed interval of days with the precision it was stated in.

    Args:
        start: First day of the period.
        end: Last day of the period (included).
        precision: How the period was stated.
        approximate: True where the bounds themselves are fuzzy ("late 1980s",
            "early September").

    Raises:
        ValidationError: ``end`` is before ``start``, or a date is out of range.

    >>> import datetime as dt
    >>> Period(dt.date(2006, 3, 31), dt.date(2006, 1, 1), Precision.MONTHS)
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: end: must not be before start 2006-03-31 (got datetime.date(2006, 1, 1))
    """

    start: dt.date = attrs.field(validator=_check_date)
    end: dt.date = attrs.field(validator=_check_date)
    precision: Precision = attrs.field(validator=instance_of(Precision))
    approximate: bool = attrs.field(default=False, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("end", self.end, f"must not be before start {self.start}")

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def day(cls, date: dt.date) -> Period:
        """The single day ``date``.

        >>> str(Period.day(dt.date(2011, 8, 19)))
        '2011-08-19'
        """
        return cls(date, date, Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A calendar month.

        >>> str(Period.month(1997, 12))
        '1997-12'
        """
        return cls(_date(year, month, 1), month_end(year, month), Precision.MONTH)

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        """The months ``first`` to ``last`` (both included) of ``year``.

        >>> Period.months(2005, 1, 9).end
        datetime.date(2005, 9, 30)
        """
        return cls(_date(year, first, 1), month_end(year, last), Precision.MONTHS)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """A calendar quarter (1 to 4).

        >>> Period.quarter(2006, 1).end
        datetime.date(2006, 3, 31)
        """
        if not 1 <= quarter <= 4:
            raise ValidationError("quarter", quarter, "must be 1, 2, 3 or 4")
        first = 3 * quarter - 2
        return cls(_date(year, first, 1), month_end(year, first + 2), Precision.QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        """A calendar year.

        >>> str(Period.year(2005))
        '2005'
        """
        return cls(_date(year, 1, 1), _date(year, 12, 31), Precision.YEAR)

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        """The whole years ``first`` to ``last`` (both included).

        >>> str(Period.years(2000, 2005))
        '2000/2005'
        """
        return cls(_date(first, 1, 1), _date(last, 12, 31), Precision.YEARS)

    @classmethod
    def from_sdmx(cls, text: str) -> Period:
        """Read a period from its SDMX ``TIME_PERIOD`` form, the form ``str(period)`` writes.

        Forms: ``2005``, ``2005-03``, ``2005-03-01``, ``2005-Q1``, ``2005-S1``,
        ``2005-01-01/P9M`` (a start and an ISO 8601 duration in years, months
        or days), ``2005-01-01/2005-09-30`` and ``1965/1968``. The phrases of
        trade texts ("first nine months of 2005", "late 1980s") are read by
        :func:`nkru.parse_period`, which reads these forms too.

        Raises:
            ParseError: the text is not an SDMX form, or its form names no
                possible period (a day that does not exist, an end before the start).

        >>> Period.from_sdmx("1997-S2").start
        datetime.date(1997, 7, 1)
        >>> str(Period.from_sdmx("2005-01-01/P9M"))
        '2005-01/2005-09'
        """
        period = read_sdmx_period(_period_text(text))
        if period is None:
            raise ParseError(
                text,
                "not an SDMX TIME_PERIOD such as 2005, 2005-03, 2005-Q1 or 2005-01-01/P9M; nkru.parse_period reads phrases",
            )
        return period

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read an SDMX form or a trade text's phrase; deprecated, removed in nkru 0.3.

        Use :meth:`from_sdmx` for the SDMX forms or :func:`nkru.parse_period`
        for any phrase: nkru keeps one entry point per job. Until then it reads
        what it always read, an SDMX form first, else a phrase.
        """
        warn_deprecated("Period.parse", "Period.from_sdmx (SDMX forms) or nkru.parse_period (any phrase)")
        stripped = _period_text(text)
        sdmx = read_sdmx_period(stripped)
        if sdmx is not None:
            return sdmx
        from nkru.parsing import parse_period  # noqa: PLC0415 - deprecated alias, removed in 0.3; parsing sits above the model

        return parse_period(stripped)

    # -- questions -----------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def calendar_years(self) -> range:
        """The calendar years the period touches.

        >>> list(Period.from_sdmx("1965/1968").calendar_years)
        [1965, 1966, 1967, 1968]
        """
        return range(self.start.year, self.end.year + 1)

    @property
    def is_whole_years(self) -> bool:
        """True when the period is one or more complete calendar years."""
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def coverage(self, year: int) -> float:
        """Fraction of calendar year ``year`` that the period covers, by days.

        >>> Period.quarter(2006, 1).coverage(2006)
        0.2465753424657534
        >>> Period.year(2005).coverage(2006)
        0.0
        """
        first, last = _date(year, 1, 1), _date(year, 12, 31)
        overlap_start, overlap_end = max(first, self.start), min(last, self.end)
        if overlap_end < overlap_start:
            return 0.0
        return ((overlap_end - overlap_start).days + 1) / ((last - first).days + 1)

    def contains(self, date: dt.date) -> bool:
        """True if ``date`` lies in the period."""
        return self.start <= date <= self.end

    def overlaps(self, other: Period) -> bool:
        """True if the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        """The SDMX/ISO 8601 form of the period, which :meth:`from_sdmx` reads back."""
        start, end = self.start, self.end
        if self.is_whole_years:
            return f"{start.year:04d}" if start.year == end.year else f"{start.year:04d}/{end.year:04d}"
        if start.day == 1 and end == month_end(end.year, end.month):
            if (start.year, start.month) == (end.year, end.month):
                return f"{start.year:04d}-{start.month:02d}"
            if start.year == end.year and end.month - start.month == 2 and start.month % 3 == 1:
                return f"{start.year:04d}-Q{start.month // 3 + 1}"
            if start.year == end.year and end.month - start.month == 5 and start.month in (1, 7):
                return f"{start.year:04d}-S{1 if start.month == 1 else 2}"
            return f"{start.year:04d}-{start.month:02d}/{end.year:04d}-{end.month:02d}"
        if start == end:
            return start.isoformat()
        return f"{start.isoformat()}/{end.isoformat()}"


_YEAR = r"(?P<year>[0-9]{4})"
_SDMX_SIMPLE = re.compile(
    rf"{_YEAR}(?:-(?:(?P<month>[0-9]{{2}})(?:-(?P<day>[0-9]{{2}}))?|Q(?P<quarter>[1-4])|S(?P<half>[12])|A1?))?\Z"
)
_DURATION = re.compile(r"P(?:(?P<years>[0-9]{1,3})Y)?(?:(?P<months>[0-9]{1,4})M)?(?:(?P<days>[0-9]{1,5})D)?\Z")


def _period_text(text: object) -> str:
    """``text`` stripped, if it is text short enough to be a period; else a ParseError."""
    if not isinstance(text, str):
        raise ParseError(f"<{type(text).__name__} object>", "a period must be text")
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT:
        raise ParseError(text, f"a period is at most {_MAX_TEXT} characters")
    return stripped


def read_sdmx_period(text: str) -> Period | None:
    """Read a period's SDMX ``TIME_PERIOD`` form, or return None if ``text`` has none of its forms.

    :meth:`Period.from_sdmx` raises where this returns None; the text grammar
    (:func:`nkru.parse_period`) uses this to give phrases their turn.

    Raises:
        ParseError: the text has an SDMX form but names no possible period
            (an end before the start, a day that does not exist, a year out of range).

    >>> read_sdmx_period("2005-Q1").end, read_sdmx_period("the first nine months of 2005")
    (datetime.date(2005, 3, 31), None)
    """
    try:
        return _read_sdmx(text)
    except ParseError:
        raise
    except ValidationError as exc:
        raise ParseError(text, f"{exc.field} {exc.reason}") from None
    except (OverflowError, ValueError):
        raise ParseError(text, "the period runs outside the supported years") from None


def _read_sdmx(text: str) -> Period | None:
    if "/" in text:
        left, _, right = text.partition("/")
        start = _sdmx_simple(left.strip(), text)
        if start is None:
            return None
        right = right.strip()
        duration = _DURATION.match(right)
        if duration is not None and any(duration.groups()):
            return _with_duration(start, duration, text)
        end = _sdmx_simple(right, text)
        if end is None:
            raise ParseError(text, "expected an end date or an ISO 8601 duration after '/'", text.index("/") + 1)
        precision = _span_precision(start, end)
        return Period(start.start, end.end, precision)
    return _sdmx_simple(text, text)


def _span_precision(start: Period, end: Period) -> Precision:
    if start.precision is Precision.YEAR and end.precision is Precision.YEAR:
        return Precision.YEARS
    if start.precision is Precision.DAY or end.precision is Precision.DAY:
        return Precision.DAYS
    return Precision.MONTHS


def _with_duration(start: Period, match: re.Match[str], text: str) -> Period:
    years, months, days = (int(match.group(name) or 0) for name in ("years", "months", "days"))
    first = start.start
    try:
        if days:
            if years or months:
                raise ParseError(text, "a duration mixing days with years or months is not supported")
            end = first + dt.timedelta(days=days - 1)
            return Period(first, end, Precision.DAYS)
        total = years * 12 + months
        if first.day != 1:
            raise ParseError(text, "a duration in months or years must start on the first of a month")
        end = _add_months(first, total) - dt.timedelta(days=1)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(text, "the period runs outside the supported years") from None
    if end < first:
        raise ParseError(text, "a duration must be at least one day")
    if months == 0 and first.month == 1:
        return Period(first, end, Precision.YEAR if years == 1 else Precision.YEARS)
    return Period(first, end, Precision.MONTHS)


def _sdmx_simple(text: str, whole: str) -> Period | None:
    match = _SDMX_SIMPLE.match(text)
    if match is None:
        return None
    year = int(match.group("year"))
    try:
        if match.group("day"):
            return Period.day(dt.date(year, int(match.group("month")), int(match.group("day"))))
        if match.group("month"):
            return Period.month(year, int(match.group("month")))
        if match.group("quarter"):
            return Period.quarter(year, int(match.group("quarter")))
        if match.group("half"):
            first = 1 if match.group("half") == "1" else 7
            return Period(dt.date(year, first, 1), month_end(year, first + 5), Precision.HALF_YEAR)
        return Period.year(year)
    except ValidationError as exc:
        raise ParseError(whole, "no such date" if exc.field == "date" else exc.reason) from None
    except ValueError:
        raise ParseError(whole, "no such date") from None


When: TypeAlias = "int | dt.date | Period | str"
"""What nkru accepts wherever a date is asked for (``on=``, a price index's years).

A calendar year (``1997``), a :class:`datetime.date`, a :class:`Period`, or
the ISO/SDMX text of one (``"1997"``, ``"1997-06"``, ``"1997-06-30"``,
``"1997-Q2"``, ``"2005-01-01/P9M"``, as :meth:`Period.from_sdmx` reads them).
:func:`to_period` is the one function that reads it, so every part of nkru
takes the same forms.
"""


def to_period(value: object, field: str = "on") -> Period:
    """Read a :data:`When` (a year, a date, a Period or its ISO text) as a :class:`Period`.

    Every public function with an ``on=`` parameter (and the years of
    :func:`nkru.prices.to_constant_dollars`) reads it here. A
    :class:`datetime.datetime` is refused rather than cut to its day.

    Args:
        value: The year, date, Period or text.
        field: The parameter's name, for the error.

    Raises:
        ValidationError: ``value`` is none of these, names no such date, or a
            year outside :data:`MIN_YEAR`–:data:`MAX_YEAR`.

    >>> str(to_period(1995)), str(to_period("1995-06-30")), str(to_period(dt.date(1995, 6, 30)))
    ('1995', '1995-06-30', '1995-06-30')
    >>> to_period("mid-1995")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: on: must be a year (int), a datetime.date, an nkru Period or its ISO text such as 1995, 1995-06, 1995-06-30 or 1995-Q2 (got 'mid-1995')
    """
    if isinstance(value, Period):
        return value
    if isinstance(value, dt.datetime):
        raise ValidationError(field, value, "must be a year, a datetime.date or a Period, not a datetime")
    if isinstance(value, dt.date):
        return Period.day(value)
    if is_integer(value):
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(field, value, f"a year must be between {MIN_YEAR} and {MAX_YEAR}")
        return Period.year(year)
    if isinstance(value, str) and len(value) <= _MAX_TEXT:
        try:
            period = read_sdmx_period(value.strip())
        except ParseError as exc:
            raise ValidationError(field, value, exc.reason) from None
        if period is not None:
            return period
    raise ValidationError(
        field,
        value,
        "must be a year (int), a datetime.date, an nkru Period or its ISO text"
        " such as 1995, 1995-06, 1995-06-30 or 1995-Q2",
    )


def to_year(value: object, field: str = "year") -> int:
    """Read a :data:`When` that must be one calendar year (a year, its Period or its text) as the year.

    For parameters that pick an annual figure, as a price index's years do.

    Raises:
        ValidationError: ``value`` is not a :data:`When`, or spans more or
            less than one whole calendar year.

    >>> to_year(1995), to_year(Period.year(1995)), to_year("1995")
    (1995, 1995, 1995)
    >>> to_year("1995-06")
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: year: must be one whole calendar year (got '1995-06')
    """
    period = to_period(value, field)
    first = period.start
    if (first.month, first.day, period.end) != (1, 1, dt.date(first.year, 12, 31)):
        raise ValidationError(field, str(period), "must be one whole calendar year")
    return first.year

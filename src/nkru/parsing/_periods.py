"""The grammar of period phrases as trade texts write them; see :mod:`nkru.parsing`.

Private: :func:`nkru.parsing.parse_period` is the public entry point and
documents the phrases. Each phrase shape is one method of :class:`_Phrases`
that either reads its shape from the cursor or leaves the cursor where it was;
they are tried in a fixed order, so the work is linear in the text's length.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Final

from nkru.errors import ParseError, ValidationError
from nkru.parsing._lexer import DASH, ONES, QUOTE, Cursor, Kind, Token, check_text, tokenize
from nkru.periods import MAX_YEAR, MIN_YEAR, Period, Precision, month_end, read_sdmx_period

__all__ = ["MAX_PERIOD_TEXT", "read_period"]

MAX_PERIOD_TEXT: Final = 200
"""Longest period phrase read (the same bound as :meth:`nkru.periods.Period.from_sdmx`)."""

_MONTHS: Final[Mapping[str, int]] = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_SEASONS: Final[Mapping[str, tuple[int, int]]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "fall": (9, 11),
    "autumn": (9, 11),
    "winter": (12, 2),
}
_PARTS: Final[Mapping[str, int]] = {"early": 0, "mid": 1, "late": 2}
#: Parts of a decade as offsets into it: the three parts cover the whole decade.
_DECADE_PARTS: Final = ((0, 3), (4, 6), (7, 9))
#: Parts of a month as days: the 1st to the 10th, 11th to 20th, 21st to the end.
_MONTH_PARTS: Final = ((1, 10), (11, 20), (21, 31))
#: Parts of a year as months: January to April, May to August, September to December.
_YEAR_PARTS: Final = ((1, 4), (5, 8), (9, 12))
_ORDINALS: Final[Mapping[str, int]] = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_TO: Final = (DASH, "to", "until", "till", "through", "thru")
_LEADING: Final = ("in", "during", "on", "for", "at")
_DAY_SUFFIXES: Final = ("st", "nd", "rd", "th")


class _Phrases:
    """One reading of one text: the cursor and the year to assume if none is stated."""

    def __init__(self, cursor: Cursor, default_year: int | None) -> None:
        self.cursor = cursor
        self.default_year = default_year

    # -- small pieces -------------------------------------------------------------------------

    def make(self, start: int, build: Callable[[], Period]) -> Period:
        """Build a period, turning invalid dates into a ParseError at ``start``."""
        try:
            return build()
        except ValidationError as exc:
            raise ParseError(self.cursor.text, f"{exc.field}: {exc.reason}", start) from None
        except ValueError as exc:
            raise ParseError(self.cursor.text, f"no such date ({exc})", start) from None

    def year(self) -> int | None:
        """Take a four-digit year that is not a decade ("1990s")."""
        cursor = self.cursor
        token = cursor.peek()
        if token is None or token.kind is not Kind.DIGITS or len(token.text) != 4:
            return None
        after = cursor.peek(1)
        if after is not None and after.start == token.end and after.key in ("s", QUOTE):
            return None
        cursor.take()
        return int(token.text)

    def year_or_default(self) -> int:
        """Take a year, or use the default; with neither, the phrase is incomplete."""
        stated = self.year()
        if stated is not None:
            return stated
        if self.default_year is not None:
            return self.default_year
        raise self.cursor.error("the phrase states no year; pass year= to say which year is meant")

    def month(self) -> int | None:
        """Take a month name or its abbreviation ("Sept.", "Oct")."""
        cursor = self.cursor
        token = cursor.peek()
        if token is None or token.key not in _MONTHS:
            return None
        cursor.take()
        if len(token.key) <= 4 and cursor.adjacent():
            cursor.key(".")
        return _MONTHS[token.key]

    def day(self) -> int | None:
        """Take a day of the month, 1 or 2 digits with an optional "st", "nd", "rd", "th"."""
        cursor = self.cursor
        token = cursor.peek()
        if token is None or token.kind is not Kind.DIGITS or len(token.text) > 2:
            return None
        cursor.take()
        if cursor.adjacent():
            cursor.key(*_DAY_SUFFIXES)
        return int(token.text)

    def to(self, *extra: str) -> Token | None:
        return self.cursor.key(*_TO, *extra)

    # -- phrase shapes ------------------------------------------------------------------------

    def body(self) -> Period:
        cursor = self.cursor
        for shape in (
            self.part,
            self.decade,
            self.ordinal_part,
            self.quarter,
            self.span,
            self.season,
            self.month_first,
            self.day_first,
            self.year_first,
        ):
            mark = cursor.index
            found = shape()
            if found is not None:
                return found
            cursor.index = mark
        token = cursor.peek()
        what = "no text" if token is None else repr(token.text)
        raise cursor.error(f"expected a date, month, season, year or decade, got {what}")

    def decade_start(self) -> int | None:
        """Take a decade ("1990s", "1990's") and return its first year."""
        cursor = self.cursor
        token = cursor.peek()
        if token is None or token.kind is not Kind.DIGITS or len(token.text) != 4:
            return None
        after = cursor.peek(1)
        if after is None or after.start != token.end:
            return None
        if after.key == "s":
            cursor.index += 2
        elif after.key == QUOTE and (s := cursor.peek(2)) is not None and s.key == "s" and s.start == after.end:
            cursor.index += 3
        else:
            return None
        if not token.text.endswith("0"):
            raise ParseError(cursor.text, "a decade is written with its first year, such as '1990s'", token.start)
        return int(token.text)

    def decade(self) -> Period | None:
        start = self.cursor.position
        first = self.decade_start()
        if first is None:
            return None
        return self.make(start, lambda: Period(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), Precision.DECADE))

    def part(self) -> Period | None:
        """Early, mid or late: a decade, a month or a year ("late 1980s", "early September 2011")."""
        cursor = self.cursor
        start = cursor.position
        token = cursor.key(*_PARTS)
        if token is None:
            return None
        if cursor.peek() is not None and cursor.peek().key == DASH and cursor.adjacent():  # type: ignore[union-attr]
            cursor.take()
        index = _PARTS[token.key]
        first = self.decade_start()
        if first is not None:
            low, high = _DECADE_PARTS[index]
            return self.make(
                start,
                lambda: Period(
                    dt.date(first + low, 1, 1),
                    dt.date(first + high, 12, 31),
                    Precision.PART_OF_DECADE,
                    approximate=True,
                ),
            )
        month = self.month()
        if month is not None:
            year = self.year_or_default()
            low, high = _MONTH_PARTS[index]

            def days() -> Period:
                end = min(high, calendar.monthrange(year, month)[1])
                return Period(dt.date(year, month, low), dt.date(year, month, end), Precision.DAYS, approximate=True)

            return self.make(start, days)
        stated = self.year()
        if stated is not None:
            first_month, last_month = _YEAR_PARTS[index]
            return self.make(
                start,
                lambda: Period(
                    dt.date(stated, first_month, 1), month_end(stated, last_month), Precision.MONTHS, approximate=True
                ),
            )
        raise cursor.error(f"expected a decade, month or year after {token.text!r}")

    def ordinal_part(self) -> Period | None:
        """Read "first nine months of 2005", "last three months", "first half of 2005", "second quarter"."""
        cursor = self.cursor
        start = cursor.position
        token = cursor.key(*_ORDINALS, "last")
        if token is None:
            return None
        if cursor.key("half") is not None:
            if token.key not in ("first", "second"):
                raise cursor.error("a year has a first and a second half")
            half = _ORDINALS[token.key]
            year = self.of_year()
            first = 1 if half == 1 else 7
            return self.make(
                start, lambda: Period(dt.date(year, first, 1), month_end(year, first + 5), Precision.HALF_YEAR)
            )
        if cursor.key("quarter") is not None:
            number = 4 if token.key == "last" else _ORDINALS[token.key]
            year = self.of_year()
            return self.make(start, lambda: Period.quarter(year, number))
        count = self.count()
        if count is None or cursor.key("months", "month") is None:
            raise cursor.error(f"expected 'half', 'quarter' or a number of months after {token.text!r}")
        if not 1 <= count <= 12:
            raise ParseError(cursor.text, "a year has 1 to 12 months", start)
        year = self.of_year()
        first, last = (1, count) if token.key != "last" else (13 - count, 12)
        return self.make(start, lambda: Period.months(year, first, last))

    def count(self) -> int | None:
        """Take a small count in digits or words ("nine", "9")."""
        token = self.cursor.peek()
        if token is None:
            return None
        if token.kind is Kind.DIGITS and len(token.text) <= 2:
            self.cursor.take()
            return int(token.text)
        if token.key in ONES:
            self.cursor.take()
            return ONES[token.key]
        return None

    def of_year(self) -> int:
        """Take "of 2005" (or "of the year 2005"), or use the default year."""
        cursor = self.cursor
        mark = cursor.index
        if cursor.key("of") is not None:
            cursor.key("the")
            cursor.key("year")
            year = self.year()
            if year is not None:
                return year
            cursor.index = mark
        return self.year_or_default()

    def quarter(self) -> Period | None:
        """Read "Q1 2006", "2006 Q1", "Q1 of 2006"."""
        cursor = self.cursor
        start = cursor.position
        mark = cursor.index
        year = self.year()
        number = self.quarter_number()
        if number is None:
            cursor.index = mark
            return None
        if year is None:
            cursor.key("of")
            year = self.year_or_default()
        found = year
        return self.make(start, lambda: Period.quarter(found, number))

    def quarter_number(self) -> int | None:
        cursor = self.cursor
        letter, digit = cursor.peek(), cursor.peek(1)
        if letter is None or letter.key != "q" or digit is None or digit.kind is not Kind.DIGITS:
            return None
        if digit.start != letter.end or digit.text not in ("1", "2", "3", "4"):
            raise ParseError(cursor.text, "a quarter is Q1, Q2, Q3 or Q4", letter.start)
        cursor.index += 2
        return int(digit.text)

    def span(self) -> Period | None:
        """Read "from 1965 to 1968", "between 1965 and 1968", "from January to March 2006"."""
        cursor = self.cursor
        opener = cursor.key("from", "between")
        if opener is None:
            return None
        joiners = ("and",) if opener.key == "between" else _TO
        start = cursor.position
        first_year = self.year()
        if first_year is not None:
            if cursor.key(*joiners) is None:
                raise cursor.error(f"expected {' or '.join(repr(j) for j in joiners)} in a span of years")
            return self.years_to(start, first_year)
        month = self.month()
        if month is None:
            raise cursor.error(f"expected a year or a month after {opener.text!r}")
        return self.months_to(start, month, joiners)

    def years_to(self, start: int, first: int) -> Period:
        last = self.year()
        if last is None:
            raise self.cursor.error("expected the last year of the span")
        return self.make(start, lambda: Period.years(first, last))

    def months_to(self, start: int, first_month: int, joiners: tuple[str, ...]) -> Period:
        """Read the rest of "January [2005] to March 2006" after the first month."""
        cursor = self.cursor
        first_year = self.year()
        if cursor.key(*joiners) is None:
            raise cursor.error("expected 'to' between two months")
        last_month = self.month()
        if last_month is None:
            raise cursor.error("expected a month after 'to'")
        last_year = self.year_or_default()
        if first_year is None:
            first_year = last_year if first_month <= last_month else last_year - 1
        begin = first_year
        return self.make(
            start, lambda: Period(dt.date(begin, first_month, 1), month_end(last_year, last_month), Precision.MONTHS)
        )

    def season(self) -> Period | None:
        """Read "the fall of 1997", "autumn 1997", "winter 1997/98" (December 1997 to February 1998)."""
        cursor = self.cursor
        start = cursor.position
        token = cursor.key(*_SEASONS)
        if token is None:
            return None
        first, last = _SEASONS[token.key]
        year = self.of_year()
        if first > last:
            mark = cursor.index
            if cursor.key("/", DASH) is not None:
                self.next_year(year, mark)
            return self.make(
                start, lambda: Period(dt.date(year, first, 1), month_end(year + 1, last), Precision.SEASON)
            )
        return self.make(start, lambda: Period(dt.date(year, first, 1), month_end(year, last), Precision.SEASON))

    def next_year(self, year: int, mark: int) -> None:
        """Check the "/98" or "/1998" of "winter 1997/98" names the year after ``year``."""
        cursor = self.cursor
        token = cursor.peek()
        if token is None or token.kind is not Kind.DIGITS or len(token.text) not in (2, 4):
            cursor.index = mark
            raise cursor.error("expected the next year after '/' in a winter")
        stated = int(token.text)
        expected = year + 1 if len(token.text) == 4 else (year + 1) % 100
        if stated != expected:
            raise ParseError(cursor.text, f"a winter that starts in {year} ends in {year + 1}", token.start)
        cursor.take()

    def month_first(self) -> Period | None:
        """Read "October 2006", "February 2, 2012", "January to March 2006", "January 2005 - March 2006"."""
        cursor = self.cursor
        start = cursor.position
        month = self.month()
        if month is None:
            return None
        mark = cursor.index
        day = self.day()
        if day is not None:
            cursor.key(",")
            year = self.year_or_default()
            return self.make(start, lambda: Period.day(dt.date(year, month, day)))
        cursor.index = mark
        stated = self.year()
        if stated is None and cursor.key("of") is not None:
            stated = self.year()
        after = cursor.peek()
        if after is not None and after.key in _TO:
            cursor.index = mark
            return self.months_to(start, month, _TO)
        found = stated if stated is not None else self.year_or_default()
        return self.make(start, lambda: Period.month(found, month))

    def day_first(self) -> Period | None:
        """Read "19.8.2011" (day.month.year), "2 February 2012", "2nd of February"."""
        cursor = self.cursor
        start = cursor.position
        token = cursor.peek()
        if token is None or token.kind is not Kind.DIGITS or len(token.text) > 2:
            return None
        dotted = self.dotted()
        if dotted is not None:
            return dotted
        day = self.day()
        if day is None:  # pragma: no cover - the token was checked above
            return None
        cursor.key("of")
        month = self.month()
        if month is None:
            raise cursor.error("expected a month after the day")
        cursor.key(",")
        year = self.year_or_default()
        return self.make(start, lambda: Period.day(dt.date(year, month, day)))

    def dotted(self) -> Period | None:
        """Read "19.8.2011": day, month and four-digit year joined by points, no spaces."""
        cursor = self.cursor
        tokens = [cursor.peek(ahead) for ahead in range(5)]
        day, dot1, month, dot2, year = tokens
        if dot1 is None or dot1.key != "." or day is None or dot1.start != day.end:
            return None
        if (
            month is None
            or dot2 is None
            or year is None
            or month.kind is not Kind.DIGITS
            or year.kind is not Kind.DIGITS
            or dot2.key != "."
            or len(month.text) > 2
            or len(year.text) != 4
            or (dot1.end, month.end, dot2.end) != (month.start, dot2.start, year.start)
        ):
            raise cursor.error("a date with points is written day.month.year, such as '19.8.2011'")
        cursor.index += 5
        return self.make(day.start, lambda: Period.day(dt.date(int(year.text), int(month.text), int(day.text))))

    def year_first(self) -> Period | None:
        """Read "1988", "2000–2005", "1965 to 1968"."""
        cursor = self.cursor
        start = cursor.position
        year = self.year()
        if year is None:
            return None
        if self.to() is not None:
            return self.years_to(start, year)
        return self.make(start, lambda: Period.year(year))


def _check_year(year: object) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR):
        raise ValidationError("year", year, f"must be a whole year between {MIN_YEAR} and {MAX_YEAR}")


def read_period(text: object, *, year: int | None = None) -> Period:
    """Read a period phrase; see :func:`nkru.parsing.parse_period` for the grammar."""
    _check_year(year)
    checked = check_text(text, "a period", MAX_PERIOD_TEXT)
    cursor = Cursor(checked, tokenize(checked))
    if cursor.at_end:
        raise cursor.error("expected a period, got no text")
    if cursor.key(*_LEADING) is not None and cursor.at_end:
        raise cursor.error("expected a period after the preposition")
    cursor.key("the")
    offset = cursor.position
    try:
        sdmx = read_sdmx_period(checked[offset:].strip())
    except ParseError as exc:
        raise ParseError(checked, exc.reason, None if exc.position is None else offset + exc.position) from None
    if sdmx is not None:
        return sdmx
    period = _Phrases(cursor, year).body()
    if not cursor.at_end:
        raise cursor.error(f"unexpected {cursor.peek().text!r} after the period")  # type: ignore[union-attr]
    return period

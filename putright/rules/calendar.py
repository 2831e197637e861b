"""Working days in England for Complaint Handling Code deadlines.

Pure Python on purpose (an import-linter contract forbids Django here), so the engine, reports and
benchmarks can all share one implementation and test it without a database.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from operator import index
from typing import Final, NamedTuple

import holidays

__all__ = [
    "CODE_CALENDAR_NOTE",
    "WorkingDayCalendar",
    "england_and_wales_bank_holidays",
    "supported_years",
]

CODE_CALENDAR_NOTE: Final = (
    "A working day is Monday to Friday, other than an England and Wales bank holiday or a closure "
    "day. Closure days are not part of the Complaint Handling Code: they are the landlord's own "
    "policy choice, none by default. Each one that falls inside a deadline pushes that Code "
    "deadline back by a working day, so they must be listed in the published complaints policy "
    "and stated in every report that counted them."
)


def _as_date(value: date, what: str = "date") -> date:
    """Return a plain date; refuse datetimes.

    A datetime's calendar day depends on the time zone it is read in, so callers must convert a
    receipt timestamp to the landlord's local date themselves rather than have it truncated here.
    """
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise TypeError(f"{what} must be a date, not a datetime (convert to a local date first)")
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    raise TypeError(f"{what} must be a date, got {type(value).__name__}")


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """First and last year for which the holidays library knows England's bank holidays.

    Outside this range the library silently returns no holidays, which would make every deadline
    early; the calendar refuses such dates instead.
    """
    gb = holidays.country_holidays("GB", subdiv="ENG")
    return gb.start_year, gb.end_year


@lru_cache(maxsize=32)
def england_and_wales_bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """England and Wales bank holidays falling on weekdays, first_year to last_year inclusive.

    subdiv="ENG" matters: plain "GB" only lists holidays common to the whole UK and so loses
    Easter Monday and the August bank holiday. The library lists a weekend Christmas or New Year
    alongside its weekday substitute; only the substitute stops a working day, so weekend dates
    are dropped. The library computes dates from rules and known one-offs (jubilees, the 2023
    coronation); a future one-off needs a library upgrade or a closure day until then.
    """
    low, high = supported_years()
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    if first_year < low or last_year > high:
        raise ValueError(
            f"bank holidays are only known for {low} to {high}; asked for {first_year} to "
            f"{last_year}"
        )
    gb = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(d for d in gb if d.weekday() < 5)


class _Span(NamedTuple):
    """Sorted working-day ordinals covering whole years first_year..last_year."""

    ordinals: tuple[int, ...]
    lo: int  # ordinal of 1 Jan first_year
    hi: int  # ordinal of 31 Dec last_year
    first_year: int
    last_year: int


def _build_span(first_year: int, last_year: int, closures: frozenset[date]) -> _Span:
    bank = england_and_wales_bank_holidays(first_year, last_year)
    skip = {d.toordinal() for d in bank} | {d.toordinal() for d in closures}
    lo = date(first_year, 1, 1).toordinal()
    hi = date(last_year, 12, 31).toordinal()
    # date.fromordinal(1) is a Monday, so (o + 6) % 7 is date.weekday() without making dates.
    ordinals = tuple(o for o in range(lo, hi + 1) if (o + 6) % 7 < 5 and o not in skip)
    return _Span(ordinals, lo, hi, first_year, last_year)


class WorkingDayCalendar:
    """Monday to Friday, less England and Wales bank holidays, less the landlord's closure days.

    Closure days are the landlord's published policy choice (none by default) and lengthen every
    Code deadline they fall inside; see CODE_CALENDAR_NOTE.

    Working days are held as a sorted tuple of ordinals, so add() and between() are a bisect and
    an index, not a walk day by day. Dates outside the initial years are handled by rebuilding the
    tuple for a wider range (up to the years the holidays library knows; ValueError beyond). The
    answers never change, so the calendar behaves as immutable; the widening is done under a lock
    and published as one new tuple, which makes instances safe to share between threads.
    """

    __slots__ = ("_closures", "_lock", "_span")

    _closures: frozenset[date]
    _lock: threading.Lock
    _span: _Span

    def __init__(
        self, closures: Iterable[date] = (), *, first_year: int = 2015, last_year: int = 2040
    ) -> None:
        closure_set = frozenset(_as_date(d, "closure day") for d in closures)
        object.__setattr__(self, "_closures", closure_set)
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_span", _build_span(first_year, last_year, closure_set))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingDayCalendar is immutable; use with_closures()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("WorkingDayCalendar is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        # The lock cannot be pickled or copied; rebuild from the closures and year range instead.
        span = self._span
        return (_rebuild, (tuple(sorted(self._closures)), span.first_year, span.last_year))

    def __repr__(self) -> str:
        days = ", ".join(d.isoformat() for d in sorted(self._closures))
        return f"WorkingDayCalendar(closures=[{days}])"

    def __eq__(self, other: object) -> bool:
        # Bank holidays are fixed and the year range is only a cache, so closures decide equality.
        if not isinstance(other, WorkingDayCalendar):
            return NotImplemented
        return self._closures == other._closures

    def __hash__(self) -> int:
        return hash(self._closures)

    @property
    def closures(self) -> frozenset[date]:
        """The landlord's closure days, which every report must state alongside its figures."""
        return self._closures

    def with_closures(self, closures: Iterable[date]) -> WorkingDayCalendar:
        """A new calendar with these closure days instead of the current ones."""
        span = self._span
        return WorkingDayCalendar(closures, first_year=span.first_year, last_year=span.last_year)

    def is_working_day(self, d: date) -> bool:
        o = _as_date(d).toordinal()
        span = self._span
        if not span.lo <= o <= span.hi:
            span = self._cover(o, o)
        ordinals = span.ordinals
        i = bisect_left(ordinals, o)
        return i < len(ordinals) and ordinals[i] == o

    def add(self, d: date, n: int) -> date:
        """The n-th working day strictly after d (before d when n < 0); d itself if n == 0.

        d need not be a working day: a complaint received on a Saturday or a bank holiday still
        has its first working day on the next working day.
        """
        if type(d) is not date:
            d = _as_date(d)
        n = index(n)
        if n == 0:
            return d
        o = d.toordinal()
        span = self._span
        if span.lo <= o <= span.hi:
            found = _offset(span.ordinals, o, n)
            if found is not None:
                return date.fromordinal(found)
        return date.fromordinal(self._add_slow(o, n))

    def between(self, a: date, b: date) -> int:
        """Working days after a up to and including b; negative when b is before a.

        The inverse of add(): between(d, add(d, n)) == n, and add(a, between(a, b)) == b when b is
        a working day after a.
        """
        if type(a) is not date:
            a = _as_date(a)
        if type(b) is not date:
            b = _as_date(b)
        oa = a.toordinal()
        ob = b.toordinal()
        span = self._span
        if not (span.lo <= oa <= span.hi and span.lo <= ob <= span.hi):
            span = self._cover(min(oa, ob), max(oa, ob))
        # Counting (a, b] as rank(b) - rank(a) also gives -between(b, a) when b < a.
        return bisect_right(span.ordinals, ob) - bisect_right(span.ordinals, oa)

    def _add_slow(self, o: int, n: int) -> int:
        # Outside the span, or the answer runs off its end: widen by a guess and retry. Any year
        # has well over 100 working days unless a landlord closes for most of it, hence the loop.
        self._cover(o, o)
        years = abs(n) // 100 + 1
        while True:
            target = o + (366 * years if n > 0 else -366 * years)
            span = self._cover(min(o, target), max(o, target), clamp=True)
            found = _offset(span.ordinals, o, n)
            if found is not None:
                return found
            low, high = supported_years()
            if (n > 0 and span.last_year >= high) or (n < 0 and span.first_year <= low):
                raise ValueError(
                    f"{n} working days from {date.fromordinal(o)} falls outside {low} to {high}, "
                    "the years whose bank holidays are known"
                )
            years *= 2

    def _cover(self, lo_ordinal: int, hi_ordinal: int, *, clamp: bool = False) -> _Span:
        """Widen the span to include both ordinals (or as far as the known years, if clamp)."""
        low, high = supported_years()
        first = _year_of(lo_ordinal, low)
        last = _year_of(hi_ordinal, high)
        if clamp:
            first, last = max(first, low), min(last, high)
        elif first < low or last > high:
            raise ValueError(
                f"working days can only be worked out between {low} and {high} (the years whose "
                "bank holidays are known)"
            )
        with self._lock:
            span = self._span
            if span.first_year <= first and last <= span.last_year:
                return span
            span = _build_span(
                min(first, span.first_year), max(last, span.last_year), self._closures
            )
            object.__setattr__(self, "_span", span)
            return span


def _rebuild(closures: tuple[date, ...], first_year: int, last_year: int) -> WorkingDayCalendar:
    return WorkingDayCalendar(closures, first_year=first_year, last_year=last_year)


def _year_of(ordinal: int, fallback: int) -> int:
    """Year of an ordinal, or a year one past the fallback when the ordinal is not a valid date."""
    try:
        return date.fromordinal(ordinal).year
    except (ValueError, OverflowError):
        return fallback - 1 if ordinal < 1 else fallback + 1


def _offset(ordinals: tuple[int, ...], o: int, n: int) -> int | None:
    """The n-th working ordinal strictly after (n > 0) or before (n < 0) o, if inside the span."""
    if n > 0:
        i = bisect_right(ordinals, o) + n - 1
        return ordinals[i] if i < len(ordinals) else None
    i = bisect_left(ordinals, o) + n
    return ordinals[i] if i >= 0 else None

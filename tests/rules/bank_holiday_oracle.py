"""An independent record of England and Wales bank holidays, for checking the calendar against.

The calendar takes its bank holidays from the `holidays` package. Tests that compared it against
the same package would pass whatever that package (or our use of it) got wrong, so the oracle here
shares nothing with it:

- 2012 to 2028: GOV.UK's published list for England and Wales, https://www.gov.uk/bank-holidays
  (the JSON at https://www.gov.uk/bank-holidays.json, as cached in the govuk-bank-holidays 0.19
  package), written out below as literal data and checked by hand against a calendar: every
  weekday and every substitute day was confirmed, and Easter against the published Easter Sundays.
- 2029 onwards, where GOV.UK publishes nothing yet: the standing rules of the Banking and Financial
  Dealings Act 1971 as applied in England and Wales, computed below with its own Easter algorithm.
  A future one-off (a jubilee, a state funeral) is unknowable until announced.

The rules are checked against the published list for every published year without a one-off.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from functools import cache

# (month, day) of every England and Wales bank holiday, as published by GOV.UK.
GOVUK_ENGLAND_AND_WALES: dict[int, tuple[tuple[int, int], ...]] = {
    # New Year's Day on a Sunday (substitute 2 Jan); spring bank holiday moved to Mon 4 Jun for
    # the Queen's Diamond Jubilee on Tue 5 Jun.
    2012: ((1, 2), (4, 6), (4, 9), (5, 7), (6, 4), (6, 5), (8, 27), (12, 25), (12, 26)),
    2013: ((1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    2014: ((1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)),
    # Boxing Day on a Saturday: substitute Mon 28 Dec.
    2015: ((1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
    # Christmas Day on a Sunday: Boxing Day Mon 26 Dec, Christmas substitute Tue 27 Dec.
    2016: ((1, 1), (3, 25), (3, 28), (5, 2), (5, 30), (8, 29), (12, 26), (12, 27)),
    2017: ((1, 2), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)),
    2018: ((1, 1), (3, 30), (4, 2), (5, 7), (5, 28), (8, 27), (12, 25), (12, 26)),
    2019: ((1, 1), (4, 19), (4, 22), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    # Early May bank holiday moved to Fri 8 May for the 75th anniversary of VE Day.
    2020: ((1, 1), (4, 10), (4, 13), (5, 8), (5, 25), (8, 31), (12, 25), (12, 28)),
    # Christmas Day on a Saturday: substitutes Mon 27 and Tue 28 Dec.
    2021: ((1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
    # Spring bank holiday Thu 2 Jun and Platinum Jubilee Fri 3 Jun; Queen Elizabeth II's state
    # funeral Mon 19 Sep; New Year's Day on a Saturday (substitute Mon 3 Jan).
    2022: ((1, 3), (4, 15), (4, 18), (5, 2), (6, 2), (6, 3), (8, 29), (9, 19), (12, 26), (12, 27)),
    # Coronation of King Charles III, Mon 8 May.
    2023: ((1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)),
    2024: ((1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    2025: ((1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)),
    2026: ((1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
    2027: ((1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
    2028: ((1, 3), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)),
}
PUBLISHED_YEARS = range(min(GOVUK_ENGLAND_AND_WALES), max(GOVUK_ENGLAND_AND_WALES) + 1)
# Published years whose list differs from the standing rules because of a one-off.
ONE_OFF_YEARS = frozenset({2012, 2020, 2022, 2023})


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _mondays_in(year: int, month: int) -> list[date]:
    days_in_month = monthrange(year, month)[1]
    return [
        date(year, month, day)
        for day in range(1, days_in_month + 1)
        if date(year, month, day).weekday() == 0
    ]


def rule_bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays by the standing rules alone (no one-offs)."""
    new_year = date(year, 1, 1)
    # A weekend New Year's Day is replaced by the following Monday.
    new_year += timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0))
    easter = easter_sunday(year)
    # Christmas Day and Boxing Day, by the weekday Christmas Day falls on.
    christmas = {
        0: (25, 26),  # Mon, Tue
        1: (25, 26),
        2: (25, 26),
        3: (25, 26),  # Thu, Fri
        4: (25, 28),  # Fri; Boxing Day on Saturday moves to Monday 28th
        5: (27, 28),  # Sat; both move to Monday 27th and Tuesday 28th
        6: (26, 27),  # Sun; Boxing Day Monday 26th, Christmas substitute Tuesday 27th
    }[date(year, 12, 25).weekday()]
    return frozenset(
        {
            new_year,
            easter - timedelta(days=2),  # Good Friday
            easter + timedelta(days=1),  # Easter Monday
            _mondays_in(year, 5)[0],  # early May bank holiday: first Monday in May
            _mondays_in(year, 5)[-1],  # spring bank holiday: last Monday in May
            _mondays_in(year, 8)[-1],  # summer bank holiday: last Monday in August
            *(date(year, 12, day) for day in christmas),
        }
    )


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The independent record for one year: published where GOV.UK has published, else the rules."""
    if year in GOVUK_ENGLAND_AND_WALES:
        return frozenset(date(year, m, d) for m, d in GOVUK_ENGLAND_AND_WALES[year])
    if year < PUBLISHED_YEARS.start:
        raise ValueError(f"the oracle has no record of {year}, which may hold one-off holidays")
    return rule_bank_holidays(year)


def is_working_day(d: date, closures: frozenset[date] = frozenset()) -> bool:
    return d.weekday() < 5 and d not in bank_holidays(d.year) and d not in closures


def add(d: date, n: int, closures: frozenset[date] = frozenset()) -> date:
    """Count n working days from d one calendar day at a time."""
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        if is_working_day(d, closures):
            left -= 1
    return d


def between(a: date, b: date, closures: frozenset[date] = frozenset()) -> int:
    """Working days after a up to and including b, counted one day at a time; negative if b < a."""
    lo, hi = sorted((a, b))
    count = sum(
        is_working_day(lo + timedelta(days=i), closures) for i in range(1, (hi - lo).days + 1)
    )
    return count if b >= a else -count

"""Working-day calendar: hand-worked cases, a bank holiday regression list and properties.

Every expected date below was counted by hand on a calendar, day of receipt as day 0.
"""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from putright.rules.calendar import (
    CODE_CALENDAR_NOTE,
    WorkingDayCalendar,
    england_and_wales_bank_holidays,
    supported_years,
)

from . import bank_holiday_oracle as oracle

D = date
CAL = WorkingDayCalendar()
# The closure days in the regulatory spec's worked example.
XMAS_CLOSURES = (D(2025, 12, 24), D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31))
CLOSED = WorkingDayCalendar(XMAS_CLOSURES)

BANK_HOLIDAYS = {
    # 29 Aug 2022 (late summer) is a real bank holiday too; it was missing from the task's list.
    2022: [(1, 3), (4, 15), (4, 18), (5, 2), (6, 2), (6, 3), (8, 29), (9, 19), (12, 26), (12, 27)],
    2023: [(1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)],
    2024: [(1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)],
    2025: [(1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)],
    2026: [(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)],
}


def expected_bank_holidays(year: int) -> set[date]:
    return {D(year, m, d) for m, d in BANK_HOLIDAYS[year]}


# --- bank holidays -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_bank_holidays_match_the_regression_list(year: int) -> None:
    assert set(england_and_wales_bank_holidays(year, year)) == expected_bank_holidays(year)


def test_bank_holidays_over_a_range_are_the_union_of_the_years() -> None:
    expected = set().union(*(expected_bank_holidays(y) for y in BANK_HOLIDAYS))
    assert england_and_wales_bank_holidays(2022, 2026) == frozenset(expected)


def test_weekend_originals_are_dropped_and_only_substitutes_kept() -> None:
    hols = england_and_wales_bank_holidays(2021, 2027)
    assert all(d.weekday() < 5 for d in hols)
    # Christmas 2022 fell on a Sunday; New Year 2023 on a Sunday; Boxing Day 2026 on a Saturday.
    assert D(2022, 12, 25) not in hols and D(2022, 12, 27) in hols
    assert D(2023, 1, 1) not in hols and D(2023, 1, 2) in hols
    assert D(2026, 12, 26) not in hols and D(2026, 12, 28) in hols


def test_english_only_holidays_are_included() -> None:
    # Dropping subdiv="ENG" loses these (they are not UK-wide); 2 Jan is Scottish only.
    hols = england_and_wales_bank_holidays(2026, 2026)
    assert D(2026, 4, 6) in hols  # Easter Monday
    assert D(2026, 8, 31) in hols  # August bank holiday
    assert D(2026, 1, 2) not in hols
    assert D(2026, 3, 17) not in hols  # St Patrick's Day, Northern Ireland only


def test_bank_holidays_refuse_unknown_years_instead_of_returning_none() -> None:
    low, high = supported_years()
    with pytest.raises(ValueError, match="only known"):
        england_and_wales_bank_holidays(low - 1, low)
    with pytest.raises(ValueError, match="only known"):
        england_and_wales_bank_holidays(high, high + 1)
    with pytest.raises(ValueError, match="after"):
        england_and_wales_bank_holidays(2026, 2025)


# --- the spec's worked examples ------------------------------------------------------------------


def test_stage1_christmas_example_without_closures() -> None:
    received = D(2025, 12, 22)
    ack_due = CAL.add(received, 5)
    assert ack_due == D(2025, 12, 31)
    response_due = CAL.add(ack_due, 10)
    assert response_due == D(2026, 1, 15)
    assert CAL.add(response_due, 10) == D(2026, 1, 29)


def test_stage1_christmas_example_with_closure_days() -> None:
    ack_due = CLOSED.add(D(2025, 12, 22), 5)
    assert ack_due == D(2026, 1, 7)
    assert CLOSED.add(ack_due, 10) == D(2026, 1, 21)


def test_stage2_easter_example() -> None:
    ack_due = CAL.add(D(2026, 4, 2), 5)
    assert ack_due == D(2026, 4, 13)
    response_due = CAL.add(ack_due, 20)
    assert response_due == D(2026, 5, 12)
    assert CAL.add(response_due, 20) == D(2026, 6, 10)


def test_add_and_between_agree_on_the_christmas_example() -> None:
    assert CAL.add(D(2025, 12, 22), 5) == D(2025, 12, 31)
    assert CAL.between(D(2025, 12, 22), D(2025, 12, 31)) == 5
    assert CLOSED.between(D(2025, 12, 22), D(2026, 1, 7)) == 5


# --- hand-worked cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Ordinary week: Mon + 1 = Tue, Fri + 1 = Mon.
        (D(2025, 11, 3), 1, D(2025, 11, 4)),
        (D(2025, 11, 7), 1, D(2025, 11, 10)),
        (D(2025, 11, 3), 5, D(2025, 11, 10)),
        # Christmas 2025: 25, 26 Dec are bank holidays.
        (D(2025, 12, 24), 1, D(2025, 12, 29)),
        (D(2025, 12, 23), 2, D(2025, 12, 29)),
        # Easter 2025: Good Friday 18 Apr, Easter Monday 21 Apr.
        (D(2025, 4, 17), 1, D(2025, 4, 22)),
        # Substitute days: 27 Dec 2022 (Christmas on a Sunday), 2 Jan 2023, 28 Dec 2026.
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        (D(2022, 12, 23), 2, D(2022, 12, 29)),
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        # Across the year boundary and the 2 Jan 2023 substitute.
        (D(2022, 12, 30), 1, D(2023, 1, 3)),
        (D(2025, 12, 31), 1, D(2026, 1, 2)),
        # Coronation of Charles III, Mon 8 May 2023, a week after the May Day holiday.
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        (D(2023, 4, 28), 5, D(2023, 5, 9)),
        # From a Saturday, a Sunday and a bank holiday: the next working day is day 1.
        (D(2025, 12, 20), 1, D(2025, 12, 22)),
        (D(2025, 12, 21), 1, D(2025, 12, 22)),
        (D(2025, 12, 27), 1, D(2025, 12, 29)),
        (D(2025, 12, 25), 1, D(2025, 12, 29)),
        (D(2025, 12, 25), 2, D(2025, 12, 30)),
        # n = 0 is the date itself, even when it is not a working day.
        (D(2025, 12, 25), 0, D(2025, 12, 25)),
        (D(2025, 12, 22), 0, D(2025, 12, 22)),
        # Negative n: the working day(s) strictly before.
        (D(2025, 12, 29), -1, D(2025, 12, 24)),
        (D(2026, 1, 2), -1, D(2025, 12, 31)),
        (D(2025, 12, 27), -1, D(2025, 12, 24)),
        (D(2025, 12, 26), -1, D(2025, 12, 24)),
        (D(2026, 4, 13), -5, D(2026, 4, 2)),
        (D(2023, 1, 3), -1, D(2022, 12, 30)),
    ],
)
def test_add_hand_worked(start: date, n: int, expected: date) -> None:
    assert CAL.add(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 12, 22), D(2025, 12, 22), 0),
        (D(2025, 12, 22), D(2025, 12, 23), 1),
        (D(2025, 12, 19), D(2025, 12, 20), 0),  # Fri to Sat
        (D(2025, 12, 20), D(2025, 12, 21), 0),  # Sat to Sun
        (D(2025, 12, 20), D(2025, 12, 22), 1),  # Sat to Mon counts the Monday
        (D(2025, 12, 24), D(2025, 12, 26), 0),  # only bank holidays in between
        (D(2025, 12, 31), D(2026, 1, 15), 10),
        (D(2023, 4, 28), D(2023, 5, 12), 8),  # two May holidays incl. the coronation
        (D(2025, 12, 31), D(2025, 12, 22), -5),
        (D(2025, 12, 22), D(2025, 12, 20), -1),
        (D(2026, 1, 15), D(2025, 12, 31), -10),
    ],
)
def test_between_hand_worked(a: date, b: date, expected: int) -> None:
    assert CAL.between(a, b) == expected


def test_is_working_day() -> None:
    assert CAL.is_working_day(D(2025, 12, 24))
    assert not CAL.is_working_day(D(2025, 12, 25))
    assert not CAL.is_working_day(D(2025, 12, 27))  # Saturday
    assert not CAL.is_working_day(D(2025, 12, 28))  # Sunday
    assert not CAL.is_working_day(D(2026, 4, 6))  # Easter Monday (England only)
    assert not CAL.is_working_day(D(2023, 5, 8))  # coronation
    assert CAL.is_working_day(D(2026, 1, 2))  # a bank holiday in Scotland only
    assert not CLOSED.is_working_day(D(2025, 12, 24))
    assert CLOSED.is_working_day(D(2025, 12, 23))


# --- closures ------------------------------------------------------------------------------------


def test_closure_days_lengthen_deadlines_and_are_reported() -> None:
    assert CLOSED.closures == frozenset(XMAS_CLOSURES)
    assert CAL.closures == frozenset()
    # Four closure days inside the window push the deadline four working days later.
    assert CLOSED.add(D(2025, 12, 22), 5) == CAL.add(D(2025, 12, 22), 9)


def test_closures_on_weekends_or_bank_holidays_change_nothing() -> None:
    cal = WorkingDayCalendar([D(2025, 12, 25), D(2025, 12, 27)])
    assert cal.add(D(2025, 12, 22), 5) == D(2025, 12, 31)
    assert cal.between(D(2025, 12, 1), D(2026, 1, 31)) == CAL.between(
        D(2025, 12, 1), D(2026, 1, 31)
    )


def test_with_closures_returns_a_new_calendar_and_leaves_the_old_one() -> None:
    cal = CAL.with_closures(XMAS_CLOSURES)
    assert cal is not CAL
    assert cal.closures == frozenset(XMAS_CLOSURES)
    assert CAL.closures == frozenset()
    assert cal.add(D(2025, 12, 22), 5) == D(2026, 1, 7)
    assert CAL.add(D(2025, 12, 22), 5) == D(2025, 12, 31)
    # Replaces rather than adds to the existing closures.
    assert cal.with_closures([D(2025, 12, 24)]).closures == {D(2025, 12, 24)}
    assert cal.with_closures([]) == CAL


def test_calendars_are_immutable_values() -> None:
    with pytest.raises(AttributeError):
        CAL._span = None  # type: ignore[misc]
    assert WorkingDayCalendar(XMAS_CLOSURES) == CLOSED
    assert hash(WorkingDayCalendar(reversed(XMAS_CLOSURES))) == hash(CLOSED)
    assert CLOSED != CAL
    assert "2025-12-24" in repr(CLOSED)
    for clone in (pickle.loads(pickle.dumps(CLOSED)), copy.deepcopy(CLOSED)):
        assert clone == CLOSED
        assert clone.add(D(2025, 12, 22), 5) == D(2026, 1, 7)


def test_datetimes_are_refused() -> None:
    # The day of a timestamp depends on the time zone; the caller must decide it.
    when = datetime(2025, 12, 22, 23, 30)
    with pytest.raises(TypeError, match="datetime"):
        CAL.add(when, 5)
    with pytest.raises(TypeError, match="datetime"):
        CAL.between(when, D(2025, 12, 31))
    with pytest.raises(TypeError, match="datetime"):
        CAL.is_working_day(when)
    with pytest.raises(TypeError, match="datetime"):
        WorkingDayCalendar([when])
    with pytest.raises(TypeError):
        CAL.add("2025-12-22", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CAL.add(D(2025, 12, 22), 1.5)  # type: ignore[arg-type]


def test_note_warns_that_closures_lengthen_code_deadlines() -> None:
    assert "closure" in CODE_CALENDAR_NOTE.lower()
    assert "published" in CODE_CALENDAR_NOTE.lower()
    assert WorkingDayCalendar.__doc__ and "closure" in WorkingDayCalendar.__doc__.lower()


# --- outside the precomputed years ---------------------------------------------------------------


def test_dates_outside_the_initial_years_extend_the_calendar() -> None:
    cal = WorkingDayCalendar(first_year=2025, last_year=2025)
    assert cal.add(D(2025, 12, 22), 5) == D(2025, 12, 31)
    # Runs off the end of 2025: must still see 1 Jan 2026 as a bank holiday.
    assert cal.add(D(2025, 12, 31), 10) == D(2026, 1, 15)
    assert cal.add(D(2026, 4, 2), 5) == D(2026, 4, 13)
    assert cal.add(D(2025, 1, 2), -1) == D(2024, 12, 31)
    assert cal.between(D(2022, 12, 23), D(2023, 1, 3)) == 4
    assert not cal.is_working_day(D(2050, 12, 26))
    assert cal.add(D(2030, 1, 1), 2600) == CAL.add(D(2030, 1, 1), 2600)


def test_closures_apply_after_extension() -> None:
    cal = WorkingDayCalendar([D(2031, 6, 2)], first_year=2025, last_year=2025)
    assert not cal.is_working_day(D(2031, 6, 2))
    assert cal.add(D(2031, 5, 30), 1) == D(2031, 6, 3)


def test_years_without_known_bank_holidays_are_refused() -> None:
    low, high = supported_years()
    with pytest.raises(ValueError, match="known"):
        CAL.add(D(low - 1, 6, 1), 1)
    with pytest.raises(ValueError, match="known"):
        CAL.is_working_day(D(high + 1, 6, 1))
    with pytest.raises(ValueError, match="known"):
        CAL.between(D(2025, 1, 1), D(high + 1, 1, 1))
    with pytest.raises(ValueError, match="known"):
        CAL.add(D(high, 12, 1), 40)
    with pytest.raises(ValueError, match="known"):
        CAL.add(D(low, 1, 10), -40)
    with pytest.raises(ValueError, match="known"):
        CAL.add(D(9999, 12, 31), 1)
    # Still fine right up to the edge.
    assert CAL.add(D(high, 12, 1), 5).year == high


def test_sharing_one_calendar_across_threads_while_it_extends() -> None:
    cal = WorkingDayCalendar(first_year=2025, last_year=2025)
    starts = [D(1900 + i, 3, 1) for i in range(0, 200, 3)]

    def work(start: date) -> tuple[date, int]:
        end = cal.add(start, 123)
        return end, cal.between(start, end)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, starts))
    reference = WorkingDayCalendar(first_year=1899, last_year=2100)
    for start, (end, count) in zip(starts, results, strict=True):
        assert end == reference.add(start, 123)
        assert count == 123


# --- properties, checked against a day-by-day oracle ---------------------------------------------
# The oracle takes its bank holidays from GOV.UK's published list and the standing rules
# (bank_holiday_oracle), never from the holidays package the calendar itself uses. Dates run past
# the end of the default calendar's stored years (2015 to 2040) so that widening is exercised too.

dates = st.dates(min_value=D(2012, 4, 1), max_value=D(2045, 12, 31))
closure_sets = st.frozensets(
    st.one_of(
        st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
        st.dates(min_value=D(2040, 10, 1), max_value=D(2041, 3, 31)),
    )
)


@given(d=dates, n=st.integers(-60, 60), closures=closure_sets)
def test_add_matches_a_day_by_day_count(d: date, n: int, closures: frozenset[date]) -> None:
    assert WorkingDayCalendar(closures).add(d, n) == oracle.add(d, n, closures)


@given(d=dates, closures=closure_sets)
def test_is_working_day_matches_the_definition(d: date, closures: frozenset[date]) -> None:
    assert WorkingDayCalendar(closures).is_working_day(d) == oracle.is_working_day(d, closures)


@given(d=dates, n=st.integers(-300, 300).filter(lambda n: n != 0))
def test_add_always_lands_on_a_working_day(d: date, n: int) -> None:
    result = CAL.add(d, n)
    assert CAL.is_working_day(result)
    assert (result > d) if n > 0 else (result < d)


@given(d=dates, n=st.integers(0, 300))
def test_between_inverts_add(d: date, n: int) -> None:
    assert CAL.between(d, CAL.add(d, n)) == n


@given(a=dates, b=dates)
@settings(max_examples=200)
def test_add_inverts_between_when_b_is_a_later_working_day(a: date, b: date) -> None:
    if b > a and CAL.is_working_day(b):
        assert CAL.add(a, CAL.between(a, b)) == b


@given(a=dates, b=dates)
def test_between_is_antisymmetric(a: date, b: date) -> None:
    assert CAL.between(a, b) == -CAL.between(b, a)


@given(a=dates, b=dates, closures=closure_sets)
def test_between_matches_a_day_by_day_count(a: date, b: date, closures: frozenset[date]) -> None:
    lo, hi = sorted((a, b))
    lo, hi = max(lo, hi - timedelta(days=400)), hi  # keep the oracle quick
    assert WorkingDayCalendar(closures).between(lo, hi) == oracle.between(lo, hi, closures)


@given(d=dates, n=st.integers(-500, 500))
def test_a_narrow_calendar_gives_the_same_answers(d: date, n: int) -> None:
    narrow = WorkingDayCalendar(first_year=2027, last_year=2027)
    assert narrow.add(d, n) == CAL.add(d, n)
    assert narrow.between(d, D(2027, 6, 1)) == CAL.between(d, D(2027, 6, 1))

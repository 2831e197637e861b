"""Working-day calendar at its edges: stored years, known years, long closures, odd date types.

The calendar precomputes working days for a range of years (2015 to 2040 by default) and widens
it on demand, up to the years whose bank holidays are known. Answers must not depend on where that
stored range ends, so each test here builds a fresh calendar with a known range rather than share
one that earlier tests may already have widened. Dates are worked by hand, day of receipt day 0.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putright.rules.calendar import WorkingDayCalendar, supported_years
from putright.rules.timescales import add_months, months_between_exceeds

from . import bank_holiday_oracle as oracle

D = date
OUTSIDE_KNOWN_YEARS = (
    r"^working days can only be worked out between \d+ and \d+ \(the years whose bank holidays "
    r"are known\)$"
)
RUNS_OUT_OF_KNOWN_YEARS = (
    r"^-?\d+ working days from \d{4}-\d\d-\d\d falls outside \d+ to \d+, the years whose bank "
    r"holidays are known$"
)


class LocalDate(date):
    """A date subclass, as some libraries hand out; it must count exactly like a plain date."""


def weekdays(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


# --- the end of the stored years -----------------------------------------------------------------


def test_the_last_stored_day_is_a_working_day() -> None:
    # Mon 31 Dec 2040 is the last day of the default range (Christmas is Tue 25 and Wed 26 Dec).
    assert WorkingDayCalendar().is_working_day(D(2040, 12, 31))
    assert WorkingDayCalendar().add(D(2040, 12, 28), 1) == D(2040, 12, 31)
    assert WorkingDayCalendar().add(D(2040, 12, 24), 2) == D(2040, 12, 28)


def test_the_working_day_after_the_last_stored_day_is_2_january_2041() -> None:
    # Tue 1 Jan 2041 is New Year's Day, so the next working day is Wed 2 Jan.
    assert WorkingDayCalendar().add(D(2040, 12, 31), 1) == D(2041, 1, 2)
    assert WorkingDayCalendar().add(D(2040, 12, 31), 3) == D(2041, 1, 4)
    assert WorkingDayCalendar().between(D(2040, 12, 31), D(2041, 1, 2)) == 1
    assert WorkingDayCalendar().add(D(2041, 1, 2), -1) == D(2040, 12, 31)
    assert not WorkingDayCalendar().is_working_day(D(2041, 1, 1))


def test_the_working_day_before_the_first_stored_day_is_31_december_2014() -> None:
    # Thu 1 Jan 2015 is New Year's Day; Wed 31 Dec 2014 and Fri 2 Jan 2015 are working days.
    assert WorkingDayCalendar().add(D(2015, 1, 2), -1) == D(2014, 12, 31)
    assert WorkingDayCalendar().add(D(2014, 12, 31), 1) == D(2015, 1, 2)
    assert WorkingDayCalendar().between(D(2014, 12, 31), D(2015, 1, 2)) == 1
    assert not WorkingDayCalendar().is_working_day(D(2015, 1, 1))


def test_a_stored_range_that_ends_on_a_weekend() -> None:
    # 2022 ends on Saturday 31 Dec. Sun 1 Jan 2023 gives the substitute Mon 2 Jan, so the working
    # day after Fri 30 Dec 2022 is Tue 3 Jan 2023.
    def cal() -> WorkingDayCalendar:
        return WorkingDayCalendar(first_year=2022, last_year=2022)

    assert not cal().is_working_day(D(2022, 12, 31))
    assert cal().is_working_day(D(2022, 12, 30))
    assert cal().add(D(2022, 12, 30), 1) == D(2023, 1, 3)
    assert cal().add(D(2022, 12, 31), 1) == D(2023, 1, 3)
    assert cal().between(D(2022, 12, 30), D(2022, 12, 31)) == 0
    assert cal().add(D(2023, 1, 3), -1) == D(2022, 12, 30)


def test_a_stored_range_that_starts_on_a_weekend() -> None:
    # 2022 starts on Saturday 1 Jan, with the New Year substitute on Mon 3 Jan: the first working
    # day is Tue 4 Jan, and the one before it Fri 31 Dec 2021.
    def cal() -> WorkingDayCalendar:
        return WorkingDayCalendar(first_year=2022, last_year=2022)

    assert not cal().is_working_day(D(2022, 1, 1))
    assert cal().add(D(2022, 1, 1), -1) == D(2021, 12, 31)
    assert cal().add(D(2022, 1, 4), -1) == D(2021, 12, 31)
    assert cal().add(D(2021, 12, 31), 1) == D(2022, 1, 4)
    assert cal().between(D(2021, 12, 31), D(2022, 1, 4)) == 1


def test_1_january_is_a_working_day_before_new_years_day_became_a_bank_holiday() -> None:
    # New Year's Day has been an England and Wales bank holiday only since 1974; Monday
    # 1 January 1973 was an ordinary working day, and the first day of this stored range.
    assert WorkingDayCalendar(first_year=1973, last_year=1973).is_working_day(D(1973, 1, 1))


year_edges = st.builds(
    lambda year, at_end, offset: (
        year,
        (D(year, 12, 31) if at_end else D(year, 1, 1)) + timedelta(days=offset),
    ),
    st.integers(2013, 2044),
    st.booleans(),
    st.integers(-9, 9),
)


@given(edge=year_edges, n=st.integers(-12, 12))
def test_a_one_year_calendar_agrees_with_the_oracle_around_both_ends(
    edge: tuple[int, date], n: int
) -> None:
    year, d = edge

    def cal() -> WorkingDayCalendar:
        return WorkingDayCalendar(first_year=year, last_year=year)

    assert cal().is_working_day(d) == oracle.is_working_day(d)
    assert cal().add(d, n) == oracle.add(d, n)
    other = d + timedelta(days=3 * n)
    assert cal().between(d, other) == oracle.between(d, other)
    assert cal().between(other, d) == oracle.between(other, d)


# --- the end of the known years ------------------------------------------------------------------


def test_the_first_and_last_known_years_can_be_counted() -> None:
    low, high = supported_years()
    in_first_year = WorkingDayCalendar(first_year=2025, last_year=2025).between(
        D(low, 1, 1), D(low, 12, 31)
    )
    assert 245 <= in_first_year <= 262
    assert WorkingDayCalendar(first_year=2025, last_year=2025).between(
        D(high, 1, 1), D(high, 12, 31)
    ) == oracle.between(D(high, 1, 1), D(high, 12, 31))
    assert WorkingDayCalendar(first_year=2025, last_year=2025).is_working_day(D(high, 12, 31)) == (
        oracle.is_working_day(D(high, 12, 31))
    )


def test_adding_close_to_the_last_known_year_does_not_look_beyond_it() -> None:
    high = supported_years()[1]
    start = D(high, 12, 1)
    cal = WorkingDayCalendar(first_year=2025, last_year=2025)
    assert cal.add(start, 5) == oracle.add(start, 5)


def test_subtracting_close_to_the_first_known_year_does_not_look_before_it() -> None:
    low = supported_years()[0]
    start = D(low, 1, 31)
    cal = WorkingDayCalendar(first_year=2025, last_year=2025)
    result = cal.add(start, -5)
    assert result.year == low and result < start
    assert cal.is_working_day(result)
    assert cal.between(result, start) == 5


def test_running_past_the_last_known_year_is_refused() -> None:
    low, high = supported_years()
    with pytest.raises(ValueError, match=RUNS_OUT_OF_KNOWN_YEARS):
        WorkingDayCalendar().add(D(high, 12, 31), 1)
    with pytest.raises(ValueError, match=RUNS_OUT_OF_KNOWN_YEARS):
        WorkingDayCalendar().add(D(low, 1, 1), -1)


@pytest.mark.parametrize("n", [1_000_000, -1_000_000, 10**9, -(10**9)])
def test_an_absurd_number_of_working_days_is_refused_not_crashed_on(n: int) -> None:
    with pytest.raises(ValueError, match=RUNS_OUT_OF_KNOWN_YEARS):
        WorkingDayCalendar().add(D(2025, 1, 1), n)


def test_dates_outside_the_known_years_are_refused_with_the_reason() -> None:
    low, high = supported_years()
    with pytest.raises(ValueError, match=OUTSIDE_KNOWN_YEARS):
        WorkingDayCalendar().is_working_day(D(high + 1, 1, 1))
    with pytest.raises(ValueError, match=OUTSIDE_KNOWN_YEARS):
        WorkingDayCalendar().is_working_day(D(low - 1, 12, 31))
    with pytest.raises(ValueError, match=OUTSIDE_KNOWN_YEARS):
        WorkingDayCalendar().between(D(2025, 1, 1), D(high + 1, 1, 1))
    with pytest.raises(ValueError, match=OUTSIDE_KNOWN_YEARS):
        WorkingDayCalendar().add(D(low - 1, 12, 31), 1)


# --- closures that last longer than a year -------------------------------------------------------

# A landlord closed on every weekday from 2031 to 2033 (absurd, but closure days are unlimited).
THREE_YEARS_CLOSED = frozenset(weekdays(D(2031, 1, 1), D(2033, 12, 31)))


def test_a_deadline_is_pushed_past_closures_lasting_years() -> None:
    # Tue 31 Dec 2030 is the last working day before the closure. Sun 1 Jan 2034 gives the
    # substitute Mon 2 Jan, so the next working day is Tue 3 Jan 2034.
    cal = WorkingDayCalendar(THREE_YEARS_CLOSED, first_year=2030, last_year=2030)
    assert cal.add(D(2030, 12, 31), 1) == D(2034, 1, 3)
    assert cal.add(D(2030, 12, 30), 2) == D(2034, 1, 3)


def test_counting_back_over_closures_lasting_years() -> None:
    cal = WorkingDayCalendar(THREE_YEARS_CLOSED, first_year=2034, last_year=2034)
    assert cal.add(D(2034, 1, 3), -1) == D(2030, 12, 31)
    assert cal.add(D(2034, 1, 4), -2) == D(2030, 12, 31)


def test_between_counts_none_of_a_closure_lasting_years() -> None:
    cal = WorkingDayCalendar(THREE_YEARS_CLOSED, first_year=2030, last_year=2030)
    assert cal.between(D(2030, 12, 31), D(2034, 1, 3)) == 1
    assert cal.between(D(2034, 1, 3), D(2030, 12, 31)) == -1


# --- date subclasses and datetimes ---------------------------------------------------------------


def test_date_subclasses_count_like_plain_dates() -> None:
    cal = WorkingDayCalendar()
    assert not cal.is_working_day(LocalDate(2025, 12, 25))
    assert cal.is_working_day(LocalDate(2025, 12, 24))
    assert cal.add(LocalDate(2025, 12, 22), 5) == D(2025, 12, 31)
    assert cal.between(LocalDate(2025, 12, 22), LocalDate(2025, 12, 31)) == 5
    assert cal.between(D(2025, 12, 22), LocalDate(2025, 12, 31)) == 5
    assert cal.between(LocalDate(2025, 12, 22), D(2025, 12, 31)) == 5


def test_add_always_returns_a_plain_date() -> None:
    cal = WorkingDayCalendar()
    for n in (0, 1, -1):
        result = cal.add(LocalDate(2025, 12, 25), n)
        assert type(result) is date
    assert cal.add(LocalDate(2025, 12, 25), 0) == D(2025, 12, 25)


def test_closure_days_given_as_a_date_subclass_are_stored_as_plain_dates() -> None:
    cal = WorkingDayCalendar([LocalDate(2025, 12, 24)])
    assert cal == WorkingDayCalendar([D(2025, 12, 24)])
    assert [type(d) for d in cal.closures] == [date]
    assert cal.add(D(2025, 12, 23), 1) == D(2025, 12, 29)


def test_between_refuses_a_datetime_in_either_place() -> None:
    when = datetime(2025, 12, 31, 9, 30)
    with pytest.raises(TypeError, match="not a datetime"):
        WorkingDayCalendar().between(D(2025, 12, 22), when)
    with pytest.raises(TypeError, match="not a datetime"):
        WorkingDayCalendar().between(when, D(2026, 1, 15))


def test_months_accept_date_subclasses_and_refuse_datetimes() -> None:
    assert months_between_exceeds(LocalDate(2024, 3, 15), LocalDate(2025, 3, 16), 12)
    assert not months_between_exceeds(LocalDate(2024, 3, 15), LocalDate(2025, 3, 15), 12)
    assert type(add_months(LocalDate(2024, 2, 29), 12)) is date
    with pytest.raises(TypeError, match="not a datetime"):
        months_between_exceeds(D(2024, 3, 15), datetime(2025, 3, 16, 0, 1), 12)


# --- messages that name what was wrong -----------------------------------------------------------


def test_a_non_date_is_refused_with_its_type() -> None:
    with pytest.raises(TypeError, match=r"^date must be a date, got str$"):
        WorkingDayCalendar().is_working_day("2025-12-25")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^date must be a date, not a datetime \(convert"):
        WorkingDayCalendar().add(datetime(2025, 12, 22, 23, 30), 5)


def test_a_bad_closure_day_is_refused_as_a_closure_day() -> None:
    with pytest.raises(TypeError, match=r"^closure day must be a date, got str$"):
        WorkingDayCalendar(["2025-12-24"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^closure day must be a date, not a datetime"):
        WorkingDayCalendar([datetime(2025, 12, 24, 0, 0)])


def test_calendars_cannot_be_changed_or_emptied() -> None:
    cal = WorkingDayCalendar()
    with pytest.raises(AttributeError, match=r"immutable; use with_closures\(\)$"):
        cal._closures = frozenset()  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"^WorkingDayCalendar is immutable$"):
        del cal._closures
    assert cal.add(D(2025, 12, 24), 1) == D(2025, 12, 29)


def test_repr_lists_the_closure_days_in_order() -> None:
    cal = WorkingDayCalendar([D(2025, 12, 29), D(2025, 12, 24)])
    assert repr(cal) == "WorkingDayCalendar(closures=[2025-12-24, 2025-12-29])"
    assert repr(WorkingDayCalendar()) == "WorkingDayCalendar(closures=[])"

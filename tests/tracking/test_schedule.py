"""When an action's owner is reminded, worked by hand on the 2026 calendar of England: Good
Friday is 3 April and Easter Monday 6 April; the late May bank holiday is Monday 25 May."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.organisation.selectors import current_calendar
from putright.tracking.schedule import reminder_due

D = dt.date
pytestmark = pytest.mark.django_db


def due(due_on, today, before=2, every=5):
    return reminder_due(
        due_on=due_on,
        today=today,
        calendar=current_calendar(),
        days_before=before,
        overdue_every=every,
    )


def test_nothing_is_due_before_the_first_reminder():
    # Due Tue 7 April: two working days before, over Easter, is Wed 1 April.
    assert due(D(2026, 4, 7), D(2026, 3, 31)) is None


def test_the_reminder_before_skips_the_easter_bank_holidays():
    # Mon 6 (Easter Monday) and Fri 3 April (Good Friday) are not working days: Thu 2 is one
    # working day before Tue 7, Wed 1 two.
    assert due(D(2026, 4, 7), D(2026, 4, 1)) == ("before_due", D(2026, 4, 1))
    # The same reminder stays the latest one up to and on the due date.
    assert due(D(2026, 4, 7), D(2026, 4, 7)) == ("before_due", D(2026, 4, 1))


def test_the_first_reminder_after_is_the_next_working_day_then_every_five():
    assert due(D(2026, 4, 7), D(2026, 4, 8)) == ("overdue", D(2026, 4, 8))
    # 9, 10, 13, 14 April: still the reminder of the 8th.
    assert due(D(2026, 4, 7), D(2026, 4, 14)) == ("overdue", D(2026, 4, 8))
    # Five working days after the 8th: 9, 10, 13, 14, 15 April.
    assert due(D(2026, 4, 7), D(2026, 4, 15)) == ("overdue", D(2026, 4, 15))
    assert due(D(2026, 4, 7), D(2026, 4, 22)) == ("overdue", D(2026, 4, 22))


def test_due_on_a_friday_before_the_may_bank_holiday_weekend():
    # Due Fri 22 May: reminded Wed 20 May; the first working day after is Tue 26 May (Mon 25 is
    # the late May bank holiday); then Tue 2 June (26, 27, 28, 29 May, 1, 2 June).
    assert due(D(2026, 5, 22), D(2026, 5, 20)) == ("before_due", D(2026, 5, 20))
    assert due(D(2026, 5, 22), D(2026, 5, 23)) == ("before_due", D(2026, 5, 20))  # Saturday
    assert due(D(2026, 5, 22), D(2026, 5, 26)) == ("overdue", D(2026, 5, 26))
    assert due(D(2026, 5, 22), D(2026, 6, 1)) == ("overdue", D(2026, 5, 26))
    assert due(D(2026, 5, 22), D(2026, 6, 2)) == ("overdue", D(2026, 6, 2))


def test_the_settings_change_the_schedule():
    assert due(D(2026, 4, 7), D(2026, 4, 2), before=1) == ("before_due", D(2026, 4, 2))
    assert due(D(2026, 4, 7), D(2026, 4, 9), every=1) == ("overdue", D(2026, 4, 9))

"""Reminders before the Ombudsman's submission deadline (30 September for a landlord with over
1,000 homes): 30 and 7 days before, once each, to the complaints managers, while the year's
self-assessment is not approved; through the daily jobs."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.jobs.schedule import DAILY
from putright.organisation.models import StockCount
from putright.outbox.models import OutgoingEmail
from putright.selfassessment import tasks
from putright.selfassessment.models import DeadlineReminder
from putright.selfassessment.reminders import deadline_reminders_send, submission_deadline
from tests.selfassessment.test_approval import answered, approve

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_deadline_is_30_september_after_the_year_and_six_months_for_a_small_landlord(db):
    assert submission_deadline(2025) == D(2026, 9, 30)
    StockCount.objects.create(reporting_year=2025, tenure="LCRA", homes=800)
    assert submission_deadline(2025) == D(2026, 9, 30)  # six months after 31 March
    StockCount.objects.create(reporting_year=2024, tenure="LCRA", homes=5000)
    assert submission_deadline(2024) == D(2025, 9, 30)


def test_managers_are_reminded_30_and_7_days_before_once_each(
    set_today, manager, handler, reviewer, board
):
    set_today(D(2026, 8, 30))  # 31 days before 30 September 2026
    assert deadline_reminders_send() == 0
    set_today(D(2026, 8, 31))  # 30 days before
    assert deadline_reminders_send() == 1
    assert deadline_reminders_send() == 0  # a rerun sends nothing more
    [email] = OutgoingEmail.objects.all()
    assert email.to == [manager.email]  # not the case handler, reviewer or board
    assert email.subject == "Self-assessment 2025-26: the Ombudsman's submission is due in 30 days"
    assert "It has not been started in PutRight yet." in email.text
    set_today(D(2026, 9, 20))
    assert deadline_reminders_send() == 0
    set_today(D(2026, 9, 23))  # 7 days before
    assert tasks.remind_selfassessment_deadline.call() == 1
    assert tasks.remind_selfassessment_deadline.call() == 0
    assert list(DeadlineReminder.objects.values_list("days_before", flat=True)) == [30, 7]
    set_today(D(2026, 10, 1))  # past the deadline: nothing more
    assert deadline_reminders_send() == 0
    assert OutgoingEmail.objects.count() == 2


def test_thresholds_missed_while_no_worker_ran_go_in_one_email(set_today, manager):
    set_today(D(2026, 9, 25))
    assert deadline_reminders_send() == 1
    assert sorted(DeadlineReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    assert OutgoingEmail.objects.count() == 1


def test_no_reminder_once_the_year_is_approved(set_today, manager, reviewer, board):
    set_today(D(2026, 8, 1))
    approve(answered(manager, 2025), manager=manager, reviewer=reviewer, board=board)
    set_today(D(2026, 9, 23))
    assert deadline_reminders_send() == 0
    assert not DeadlineReminder.objects.exists()


def test_a_started_but_unapproved_assessment_is_named_in_the_reminder(set_today, manager):
    set_today(D(2026, 8, 1))
    answered(manager, 2025)
    set_today(D(2026, 9, 23))
    assert deadline_reminders_send() == 1
    assert "started but not yet approved" in OutgoingEmail.objects.get().text


def test_the_daily_jobs_send_it():
    assert DAILY["remind_selfassessment_deadline"] is tasks.remind_selfassessment_deadline

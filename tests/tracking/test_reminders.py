"""The daily reminders about promised actions: who gets them, on which working days, and each
once however often the job runs (Code 6.6, 6.17)."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import Action, Stage
from putright.jobs.schedule import DAILY
from putright.letters.services import letter_issue
from putright.outbox.models import OutgoingEmail
from putright.tracking import tasks
from putright.tracking.models import Reminder
from putright.tracking.services import action_reminders_send, actions_update_dues_refresh
from tests.accounts.helpers import make_staff

D = dt.date
pytestmark = pytest.mark.django_db


def sent(*, updates: bool = False) -> list[tuple[str, str, tuple[str, ...]]]:
    """The reminders sent so far: about the actions, or (``updates``) about resident updates."""
    return [
        (r.kind, r.for_date.isoformat(), tuple(r.recipients))
        for r in Reminder.objects.filter(action__isnull=updates).order_by("id")
    ]


@pytest.fixture
def easter_action(responded, handler):
    """Due Tue 7 April 2026, owned by the handler."""
    return responded(
        [{"description": "Fix the ceiling.", "owner": handler, "due_on": D(2026, 4, 7)}]
    )[0]


def test_the_job_is_a_daily_job():
    assert DAILY["send_action_reminders"] is tasks.send_action_reminders


def test_running_twice_on_a_day_sends_once(easter_action, set_today):
    set_today(D(2026, 4, 1))

    first = action_reminders_send()
    second = action_reminders_send()

    assert (first.before_due, second.sent) == (1, 0)
    assert sent() == [("before_due", "2026-04-01", ("hana@example.org",))]
    email = OutgoingEmail.objects.get()
    assert email.to == ["hana@example.org"]
    assert "due on 7 April 2026" in email.subject
    assert "Fix the ceiling." in email.text


def test_a_second_worker_racing_the_first_cannot_send_again(easter_action, set_today):
    set_today(D(2026, 4, 1))
    action_reminders_send()
    # Another worker that read the same open actions before the first committed: its insert
    # hits the unique constraint and nothing more is sent.
    from putright.tracking.services import _send

    again = _send(
        kind="before_due",
        action=easter_action,
        stage=easter_action.stage,
        for_date=D(2026, 4, 1),
        today=D(2026, 4, 1),
        to=["hana@example.org"],
        subject="x",
        text="x",
    )
    assert again is False
    assert OutgoingEmail.objects.count() == 1


def test_a_missed_run_sends_only_the_latest_reminder(easter_action, set_today):
    # No run from 1 to 13 April: on Tue 14 April the latest reminder due is the first after the
    # due date (Wed 8 April); the one before it is not sent late.
    set_today(D(2026, 4, 14))
    action_reminders_send()
    assert sent() == [("overdue", "2026-04-08", ("hana@example.org",))]
    # Wed 15 April is five working days after the 8th.
    set_today(D(2026, 4, 15))
    action_reminders_send()
    set_today(D(2026, 4, 16))
    action_reminders_send()
    assert [k for k, *_ in sent()] == ["overdue", "overdue"]
    assert sent()[1][1] == "2026-04-15"


def test_no_reminders_on_a_bank_holiday_or_weekend(easter_action, set_today):
    for day in (D(2026, 4, 3), D(2026, 4, 4), D(2026, 4, 6)):
        set_today(day)
        assert action_reminders_send().sent == 0
    assert Reminder.objects.filter(action__isnull=False).count() == 0


def test_a_done_action_is_not_reminded(easter_action, set_today, handler):
    from putright.complaints import services

    set_today(D(2026, 4, 1))
    services.action_complete(acting_user=handler, action=easter_action, note="Fixed.")
    assert action_reminders_send().sent == 0


def test_a_team_without_a_named_person_reminds_its_members(responded, repairs, set_today):
    member = make_staff("Case handler", email="rita@example.org")
    member.team = repairs
    member.save()
    gone = make_staff("Case handler", email="gone@example.org")
    gone.team, gone.is_active = repairs, False
    gone.save()
    responded([{"description": "Survey the roof.", "due_on": D(2026, 4, 7)}])
    Action.objects.update(team=repairs)
    set_today(D(2026, 4, 1))

    action_reminders_send()

    assert sent() == [("before_due", "2026-04-01", ("rita@example.org",))]


def test_with_no_owner_or_team_the_handler_is_reminded(responded, set_today):
    responded([{"description": "Survey the roof.", "due_on": D(2026, 4, 7)}])
    set_today(D(2026, 4, 1))
    action_reminders_send()
    assert sent() == [("before_due", "2026-04-01", ("hana@example.org",))]


def test_the_handler_is_told_when_an_update_to_the_resident_is_due(
    easter_action, set_today, named_organisation
):
    # Responded Tue 10 March; 20 working days later, skipping Good Friday and Easter Monday, is
    # Thu 9 April.
    stage = Stage.objects.get(pk=easter_action.stage_id)
    assert stage.actions_update_due == D(2026, 4, 9)
    set_today(D(2026, 4, 9))
    action_reminders_send()
    action_reminders_send()
    assert sent(updates=True) == [("update_due", "2026-04-09", ("hana@example.org",))]

    # The update letter moves the next update on 20 working days: Fri 8 May is the 20th (4 May
    # is the early May bank holiday).
    letter_issue(
        acting_user=easter_action.complaint.handler,
        complaint=easter_action.complaint,
        letter_type_key="stage1_actions_update",
        stage_number=1,
        sections={"next_steps": "- The ceiling will be fixed by 17 April 2026."},
    )
    stage.refresh_from_db()
    assert (stage.actions_updated_on, stage.actions_update_due) == (D(2026, 4, 9), D(2026, 5, 8))
    set_today(D(2026, 4, 10))
    action_reminders_send()
    assert len(sent(updates=True)) == 1


def test_the_daily_refresh_keeps_update_dates_in_step_with_the_calendar(easter_action):
    Stage.objects.filter(pk=easter_action.stage_id).update(actions_update_due=D(2026, 1, 1))
    assert actions_update_dues_refresh() == 1
    assert actions_update_dues_refresh() == 0
    assert Stage.objects.get(pk=easter_action.stage_id).actions_update_due == D(2026, 4, 9)


def test_the_task_refreshes_then_sends(easter_action, set_today):
    set_today(D(2026, 4, 1))
    assert tasks.send_action_reminders.call() == 1


def test_the_refresh_reads_update_letters_stored_without_their_signal(easter_action):
    # A letter stored in bulk (as an import might) sends no signal: the daily refresh finds it.
    from django.db.models.signals import post_save

    from putright.letters.models import IssuedLetter
    from putright.tracking import receivers

    post_save.disconnect(
        receivers._update_letter_issued,
        sender=IssuedLetter,
        dispatch_uid="tracking_actions_update_letter",
    )
    try:
        IssuedLetter.objects.create(
            complaint=easter_action.complaint,
            stage_number=1,
            type_key="stage1_actions_update",
            heading="An update",
            dated=D(2026, 3, 24),
            sections={},
            recipient={},
            sender={},
            delivery="email",
        )
    finally:
        post_save.connect(
            receivers._update_letter_issued,
            sender=IssuedLetter,
            dispatch_uid="tracking_actions_update_letter",
        )
    assert actions_update_dues_refresh() == 1
    stage = Stage.objects.get(pk=easter_action.stage_id)
    # 20 working days after Tue 24 March, skipping Good Friday and Easter Monday: Thu 23 April.
    assert (stage.actions_updated_on, stage.actions_update_due) == (D(2026, 3, 24), D(2026, 4, 23))

"""``putright worker``: the daily sweep runs in a deployment, once a day, whatever runs it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from putright.complaints import services
from putright.complaints.models import ClosureReason, Complaint, ComplaintEvent, Status
from putright.jobs.models import ScheduledRun
from putright.jobs.schedule import enqueue_due
from putright.organisation.selectors import get_organisation
from tests.complaints.conftest import at
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import ResidentFactory, StaffUserFactory

D = dt.date

# The worker runs tasks the way a deployment does: outside any transaction of the test's, and it
# closes connections it finds inside one (as Django does between requests).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def responded(transactional_db):
    """A stage 1 response issued Mon 5 Jan 2026; with a 20 working-day window the resident may
    escalate until Mon 2 Feb 2026, so the complaint is due to close from Tue 3 Feb."""
    organisation = get_organisation()
    organisation.escalation_window_days = 20
    organisation.stage1_requires_sign_off = False
    organisation.save()
    officer = StaffUserFactory()
    complaint = services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=ResidentFactory(),
        channel="phone",
        received_at=at(2025, 12, 22),
        description="The damp is back.",
    )
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    return respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))


def snapshot(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (
        complaint.status,
        complaint.version,
        ComplaintEvent.objects.filter(complaint=complaint).count(),
        ScheduledRun.objects.count(),
        DBTaskResult.objects.count(),
    )


def test_the_worker_closes_due_complaints_once_and_a_second_round_changes_nothing(
    responded, set_today
):
    set_today(D(2026, 2, 2))  # the window's last day: nothing to close yet
    call_command("worker", "--once")
    assert snapshot(responded)[0] == Status.STAGE1_RESPONDED
    assert set(ScheduledRun.objects.values_list("day", flat=True)) == {D(2026, 2, 2)}

    set_today(D(2026, 2, 3))
    call_command("worker", "--once")
    responded.refresh_from_db()
    assert responded.status == Status.CLOSED
    assert responded.closure_reason == ClosureReason.NOT_ESCALATED
    closed = responded.events.get(action=ComplaintEvent.Action.CLOSED)
    assert (closed.actor, closed.happened_on) == (None, D(2026, 2, 3))
    assert closed.actor_description == "PutRight (no signed-in user)"
    after_first = snapshot(responded)
    task = DBTaskResult.objects.filter(task_path__endswith="close_unescalated_complaints").latest(
        "enqueued_at"
    )
    assert task.status == "SUCCESSFUL"
    assert task.return_value == 1

    call_command("worker", "--once")
    assert snapshot(responded) == after_first


def test_a_day_is_claimed_once_however_many_workers_ask(responded, set_today):
    set_today(D(2026, 2, 3))
    assert enqueue_due() == [
        "close_unescalated_complaints",
        "sweep_orphan_documents",
        "anonymise_past_retention",
        "anonymise_filed_email",
        "snapshot_ended_quarters",
        "remind_ombudsman_due_dates",
        "send_action_reminders",
        "remind_selfassessment_deadline",
    ]
    assert enqueue_due() == []
    assert enqueue_due(day=D(2026, 2, 3)) == []
    assert ScheduledRun.objects.filter(day=D(2026, 2, 3)).count() == 8
    assert DBTaskResult.objects.count() == 8


def test_a_day_missed_while_no_worker_ran_is_caught_up_the_next_day(responded, set_today):
    set_today(D(2026, 2, 20))  # weeks after the window closed, first run since
    call_command("worker", "--once")
    responded.refresh_from_db()
    assert responded.status == Status.CLOSED
    assert responded.events.get(action=ComplaintEvent.Action.CLOSED).happened_on == D(2026, 2, 20)


def test_a_complaint_escalated_meanwhile_is_not_closed(responded, set_today):
    set_today(D(2026, 2, 3))
    services.complaint_escalate(acting_user=None, complaint=responded, on=D(2026, 2, 3))
    call_command("worker", "--once")
    responded.refresh_from_db()
    assert responded.status == Status.STAGE2_OPEN

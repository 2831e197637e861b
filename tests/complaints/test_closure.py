"""Closing a complaint nobody escalated once the landlord's escalation window has passed."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ClosureReason, ComplaintEvent, Stage, Status
from putright.core.errors import DomainError
from putright.organisation.selectors import get_organisation
from tests.complaints import helpers
from tests.complaints.conftest import at
from tests.complaints.helpers import D, acknowledge, state


@pytest.fixture
def window_20(db):
    organisation = get_organisation()
    organisation.escalation_window_days = 20
    organisation.save()


ACK = D(2025, 12, 31)
RESPONDED = D(2026, 1, 5)


@pytest.fixture
def respond(log, officer, window_20):
    def _respond(received=(2025, 12, 22), ack=ACK, responded=RESPONDED):
        complaint = log(at(*received))
        acknowledge(acting_user=officer, complaint=complaint, on=ack)
        return helpers.respond(acting_user=officer, complaint=complaint, on=responded)

    return _respond


# Responded Mon 5 Jan 2026; 20 working days (no bank holidays between) run to Mon 2 Feb 2026.


def test_window_still_open_on_its_last_day(respond):
    complaint = respond()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        services.complaint_close_unescalated(complaint=complaint, on=D(2026, 2, 2))
    assert refused.value.code == "escalation_window_open"
    assert "2 February 2026" in refused.value.message
    assert state(complaint) == before


def test_closed_the_day_after_the_window(respond, officer):
    complaint = respond()
    services.complaint_close_unescalated(acting_user=officer, complaint=complaint, on=D(2026, 2, 3))
    assert complaint.status == Status.CLOSED
    assert complaint.closure_reason == ClosureReason.NOT_ESCALATED
    event = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert event.action == ComplaintEvent.Action.CLOSED
    assert event.happened_on == D(2026, 2, 3)


def test_only_stage1_responded_complaints_close_this_way(log, window_20):
    complaint = log()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        services.complaint_close_unescalated(complaint=complaint, on=D(2026, 3, 2))
    assert refused.value.code == "not_allowed_in_status"
    assert state(complaint) == before


def test_a_late_escalation_reopens_a_closed_complaint(respond, officer):
    complaint = respond()
    services.complaint_close_unescalated(complaint=complaint, on=D(2026, 2, 3))
    services.complaint_escalate(acting_user=officer, complaint=complaint, on=D(2026, 3, 2))
    assert complaint.status == Status.STAGE2_OPEN
    # Mon 2 Mar 2026 + 5 working days: Mon 9 Mar.
    assert Stage.objects.get(complaint=complaint, number=2).acknowledgement_due == D(2026, 3, 9)


def test_sweep_closes_only_due_complaints_and_is_idempotent(respond, log):
    due = respond()  # responded Mon 5 Jan: window ends Mon 2 Feb
    last_day = respond(received=(2026, 1, 5), ack=D(2026, 1, 5), responded=D(2026, 1, 6))
    # responded Tue 6 Jan: window ends Tue 3 Feb, so still open on 3 Feb
    untouched = log()
    assert services.complaints_close_unescalated_sweep(on=D(2026, 2, 3)) == 1
    for complaint in (due, last_day, untouched):
        complaint.refresh_from_db()
    assert due.status == Status.CLOSED
    assert last_day.status == Status.STAGE1_RESPONDED
    assert untouched.status == Status.RECEIVED
    assert services.complaints_close_unescalated_sweep(on=D(2026, 2, 3)) == 0
    assert services.complaints_close_unescalated_sweep(on=D(2026, 2, 4)) == 1
    last_day.refresh_from_db()
    assert last_day.status == Status.CLOSED
    assert ComplaintEvent.objects.filter(action=ComplaintEvent.Action.CLOSED).count() == 2

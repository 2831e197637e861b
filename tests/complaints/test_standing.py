"""Where a complaint stands (the queue columns) follows every step, with hand-worked dates."""

from __future__ import annotations

from putright.complaints import services
from putright.complaints.models import Action, Complaint, ComplaintEvent
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.organisation.services import closure_day_add
from tests.complaints.helpers import D, acknowledge, respond, state
from tests.people.factories import StaffUserFactory

POINTS = [("Damp not treated.", "Treat it.")]
DECISIONS = {1: ("upheld", "Reported in May and not treated.")}


def fields(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (
        complaint.stage_number,
        complaint.next_due_on,
        complaint.next_due_kind,
        complaint.is_extended,
        complaint.is_breached,
    )


def test_the_next_deadline_follows_the_stage_through_both_stages(log, officer):
    complaint = log()  # Mon 22 Dec 2025
    assert fields(complaint) == (1, D(2025, 12, 31), "acknowledgement", False, False)
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    assert fields(complaint) == (1, D(2026, 1, 15), "response", False, False)
    services.stage_extend(
        acting_user=officer,
        complaint=complaint,
        new_due=D(2026, 1, 29),
        reason="Waiting for the surveyor's report.",
        notice_on=D(2026, 1, 14),
        ombudsman_details_given=True,
    )
    assert fields(complaint) == (1, D(2026, 1, 29), "response", True, False)
    respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 28))
    # Late against the Code's date but inside a valid extension: not a breach.
    assert fields(complaint) == (1, None, "", True, False)
    services.complaint_escalate(acting_user=officer, complaint=complaint, on=D(2026, 4, 2))
    # Stage 2 received Thu 2 Apr 2026: acknowledgement due Mon 13 Apr (Easter in between).
    assert fields(complaint) == (2, D(2026, 4, 13), "acknowledgement", False, False)


def test_a_late_acknowledgement_marks_the_complaint_breached(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2026, 1, 2))
    assert fields(complaint)[4] is True


def test_a_late_response_without_extension_is_a_breach(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 16))
    assert fields(complaint) == (1, None, "", False, True)


def test_the_handler_is_copied_from_the_current_stage(log, officer):
    handler = StaffUserFactory()
    complaint = log(handler=None)
    assert complaint.handler is None
    services.complaint_allocate(acting_user=officer, complaint=complaint, handler=handler)
    complaint.refresh_from_db()
    assert complaint.handler == handler
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))
    services.complaint_escalate(acting_user=officer, complaint=complaint, on=D(2026, 1, 8))
    complaint.refresh_from_db()
    assert complaint.handler is None  # stage 2 waits for someone independent


def test_a_calendar_change_moves_the_next_deadline(log, officer):
    complaint = log()  # acknowledgement due Wed 31 Dec 2025
    closure_day_add(acting_user=officer, on=D(2025, 12, 29), description="Christmas closure")
    complaint.refresh_from_db()
    assert complaint.next_due_on == D(2026, 1, 2)


def test_withdrawal_clears_the_next_deadline(log, officer):
    complaint = log()
    services.complaint_withdraw(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    assert fields(complaint)[1:3] == (None, "")


def test_an_action_stays_open_after_closure_and_is_completed_once(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23), points=POINTS)
    respond(
        acting_user=officer,
        complaint=complaint,
        on=D(2026, 1, 5),
        decisions=DECISIONS,
        actions=[{"description": "Treat the damp.", "owner": officer, "due_on": D(2026, 2, 2)}],
    )
    services.complaint_close_unescalated(acting_user=officer, complaint=complaint, on=D(2026, 2, 5))
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    action = Action.objects.get(complaint=complaint)
    assert action.status == "open"
    with_version = complaint.version
    with_note = " Damp course injected. "
    with_date = D(2026, 2, 10)
    services.action_complete(acting_user=officer, action=action, on=with_date, note=with_note)
    assert (action.status, action.completed_on, action.completion_note) == (
        "done",
        with_date,
        "Damp course injected.",
    )
    complaint.refresh_from_db()
    assert complaint.version == with_version + 1
    event = complaint.events.get(action=ComplaintEvent.Action.ACTION_COMPLETED)
    assert event.changes["status"] == ["open", "done"]
    before = state(complaint)
    try:
        services.action_complete(
            acting_user=officer, action=action, on=with_date, expected_version=with_version
        )
    except StaleVersion as exc:
        assert exc.code == "stale_version"
    else:
        raise AssertionError("a stale version must be refused")
    try:
        services.action_complete(acting_user=officer, action=action, on=with_date)
    except StepRefused as exc:
        assert exc.code == "action_done"
    else:
        raise AssertionError("completing twice must be refused")
    assert state(complaint) == before


def test_an_action_cannot_be_completed_before_the_response(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    respond(
        acting_user=officer,
        complaint=complaint,
        on=D(2026, 1, 5),
        actions=[{"description": "Treat the damp.", "due_on": D(2026, 2, 2)}],
    )
    action = Action.objects.get(complaint=complaint)
    try:
        services.action_complete(acting_user=officer, action=action, on=D(2026, 1, 2))
    except InvalidInput as exc:
        assert exc.code == "date_before_response"
    else:
        raise AssertionError("an action cannot be done before it was promised")


def test_bad_remedies_and_actions_are_refused_with_nothing_written(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    before = state(complaint)
    cases = [
        (
            {"remedies": [{"kind": "compensation", "description": "For the delay."}]},
            "amount_missing",
        ),
        ({"remedies": [{"kind": "gift", "description": "Flowers."}]}, "invalid_remedy_kind"),
        (
            {"remedies": [{"kind": "compensation", "description": "x", "amount_pence": -5}]},
            "invalid_amount",
        ),
        (
            {"actions": [{"description": " ", "due_on": D(2026, 2, 2)}]},
            "action_description_missing",
        ),
        ({"actions": [{"description": "Treat the damp."}]}, "action_due_missing"),
    ]
    for kwargs, code in cases:
        try:
            respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5), **kwargs)
        except InvalidInput as exc:
            assert exc.code == code
        else:
            raise AssertionError(f"{kwargs} should be refused")
        assert state(complaint) == before


def test_opening_a_confidential_case_is_recorded_without_a_new_version(log, officer):
    open_case = log()
    secret = log(is_confidential=True)
    services.complaint_viewed(acting_user=officer, complaint=open_case)
    services.complaint_viewed(acting_user=officer, complaint=secret)
    assert not open_case.events.filter(action=ComplaintEvent.Action.VIEWED).exists()
    event = secret.events.get(action=ComplaintEvent.Action.VIEWED)
    assert event.actor == officer
    secret.refresh_from_db()
    assert secret.version == 1


def test_an_escalation_can_carry_what_the_resident_said(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))
    services.complaint_escalate(
        acting_user=officer, complaint=complaint, on=D(2026, 1, 8), note=" Still damp. "
    )
    event = complaint.events.get(action=ComplaintEvent.Action.ESCALATED)
    assert event.changes["note"] == [None, "Still damp."]
    assert event.summary == "Escalated to stage 2: Still damp."


def test_what_was_missed_is_said_in_words():
    from types import SimpleNamespace

    from putright.complaints.standing import missed_timescales

    def stage(number=1, ack=True, code=None, extension=None):
        return SimpleNamespace(
            number=number,
            ack_within_code=ack,
            response_within_code=code,
            response_within_extension=extension,
        )

    assert missed_timescales(stage()) == []
    assert missed_timescales(stage(ack=False)) == ["stage 1 acknowledged late"]
    assert missed_timescales(stage(2, code=False)) == ["stage 2 response late"]
    # Late against the Code's date but within a valid extension: nothing missed.
    assert missed_timescales(stage(code=False, extension=True)) == []
    assert missed_timescales(stage(ack=False, code=False, extension=False)) == [
        "stage 1 acknowledged late",
        "stage 1 response late",
    ]

"""Steps the Code forbids, refused by the services themselves (each was once accepted).

Dates: received Mon 22 Dec 2025; acknowledged Tue 23 Dec; stage 1 response due 10 working days
later, Fri 9 Jan 2026 (25, 26 Dec and 1 Jan are bank holidays).
"""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import Extension, Refusal, Stage, Status
from putright.core.errors import DomainError, InvalidInput
from putright.organisation.models import ExclusionReason
from tests.complaints.helpers import D, acknowledge, decisions_for, respond, state
from tests.people.factories import StaffUserFactory


@pytest.fixture
def reason(db):
    return ExclusionReason.objects.create(
        code="court", label="Before a court", applies_to=ExclusionReason.AppliesTo.BOTH
    )


def refusal_terms(reason, on):
    return {
        "reason": reason,
        "explanation": "The same matter is before the county court.",
        "evidence": "The claim form.",
        "resident_told_on": on,
        "ombudsman_rights_given": True,
        "on": on,
    }


@pytest.fixture
def acknowledged(log, officer):
    return acknowledge(acting_user=officer, complaint=log(), on=D(2025, 12, 23))


@pytest.fixture
def responded(acknowledged, officer):
    return respond(acting_user=officer, complaint=acknowledged, on=D(2026, 1, 5))


def refused(call, code: str, complaint) -> DomainError:
    before = state(complaint)
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code, exc.value.message
    assert state(complaint) == before
    return exc.value


# 1. No definition, no decisions, no check, no handler ------------------------------------------


def test_a_response_needs_a_handler(log, officer):
    complaint = acknowledge(acting_user=officer, complaint=log(handler=None), on=D(2025, 12, 23))
    error = refused(
        lambda: services.stage_respond(
            acting_user=officer,
            complaint=complaint,
            decisions=decisions_for(complaint),
            on=D(2026, 1, 5),
        ),
        "handler_required",
        complaint,
    )
    assert error.field == "handler"


def test_the_sign_off_setting_applies_to_every_response(acknowledged, officer, sign_off_required):
    from putright.organisation.selectors import get_organisation

    organisation = get_organisation()
    organisation.stage1_requires_sign_off = True
    organisation.save()
    refused(
        lambda: services.stage_respond(
            acting_user=officer,
            complaint=acknowledged,
            decisions=decisions_for(acknowledged),
            on=D(2026, 1, 5),
        ),
        "sign_off_required",
        acknowledged,
    )


# 2. Code 6.13 when the stage 2 response is issued ------------------------------------------------


def test_the_stage1_handler_cannot_issue_the_stage2_response(responded, officer):
    complaint = services.complaint_escalate(
        acting_user=officer, complaint=responded, on=D(2026, 1, 12)
    )
    stage2_handler = StaffUserFactory()
    services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=stage2_handler, on=D(2026, 1, 12)
    )
    acknowledge(acting_user=stage2_handler, complaint=complaint, stage=2, on=D(2026, 1, 13))
    error = refused(
        lambda: services.stage_respond(
            acting_user=officer,  # handled stage 1
            complaint=complaint,
            decisions=decisions_for(complaint, "not_upheld"),
            on=D(2026, 1, 20),
        ),
        "not_independent",
        complaint,
    )
    assert error.field == "acting_user"
    respond(acting_user=stage2_handler, complaint=complaint, on=D(2026, 1, 20))
    assert Stage.objects.get(complaint=complaint, number=2).responded_on == D(2026, 1, 20)


# 3. Escalating what was never answered (Code 5.3, 6.10) ------------------------------------------


def test_a_duplicate_closed_at_receipt_cannot_be_escalated_or_refused(log, officer, reason):
    duplicate = services.complaint_mark_duplicate(
        acting_user=officer, complaint=log(), original=log(), note="Same leak.", on=D(2025, 12, 23)
    )
    assert duplicate.status == Status.CLOSED
    refused(
        lambda: services.complaint_escalate(
            acting_user=officer, complaint=duplicate, on=D(2026, 1, 5)
        ),
        "closed_unanswered",
        duplicate,
    )
    refused(
        lambda: services.escalation_refuse(
            acting_user=officer, complaint=duplicate, **refusal_terms(reason, D(2026, 1, 5))
        ),
        "closed_unanswered",
        duplicate,
    )


def test_a_request_dated_before_the_stage1_response_is_refused(responded, officer):
    error = refused(
        lambda: services.complaint_escalate(
            acting_user=officer, complaint=responded, on=D(2026, 1, 2)
        ),
        "date_before_response",
        responded,
    )
    assert error.field == "on"


# 4. Escalating past a standing refusal (Code 5.11) -----------------------------------------------


def test_a_refused_escalation_is_overturned_only_by_its_reversal(responded, officer, reason):
    complaint = services.escalation_refuse(
        acting_user=officer, complaint=responded, **refusal_terms(reason, D(2026, 1, 12))
    )
    error = refused(
        lambda: services.complaint_escalate(
            acting_user=officer, complaint=complaint, on=D(2026, 1, 14)
        ),
        "not_allowed_in_status",
        complaint,
    )
    assert "reverse the refusal" in error.message
    services.refusal_reverse(
        acting_user=officer,
        complaint=complaint,
        basis=Refusal.ReversalBasis.OMBUDSMAN,
        note="The Ombudsman asked us to consider it at stage 2.",
        on=D(2026, 1, 14),
    )
    assert complaint.status == Status.STAGE2_OPEN
    assert not Refusal.objects.filter(complaint=complaint, reversed_on__isnull=True).exists()


# 5. Steps on ended complaints --------------------------------------------------------------------


def test_a_withdrawn_complaint_cannot_be_acknowledged_or_extended(log, acknowledged, officer):
    received = services.complaint_withdraw(acting_user=officer, complaint=log(), on=D(2025, 12, 23))
    refused(
        lambda: acknowledge(acting_user=officer, complaint=received, on=D(2025, 12, 24)),
        "not_allowed_in_status",
        received,
    )
    withdrawn = services.complaint_withdraw(
        acting_user=officer, complaint=acknowledged, on=D(2025, 12, 24)
    )
    refused(
        lambda: services.stage_extend(
            acting_user=officer,
            complaint=withdrawn,
            new_due=D(2026, 1, 16),
            reason="Waiting for a survey.",
            notice_on=D(2026, 1, 5),
            ombudsman_details_given=True,
        ),
        "not_allowed_in_status",
        withdrawn,
    )
    # The record stays open.
    services.note_add(acting_user=officer, complaint=withdrawn, text="Resident rang to say thanks.")


# 6. The extension notice --------------------------------------------------------------------------


FRI_16_JAN = D(2026, 1, 16)


def extend(officer, complaint, notice_on, new_due=FRI_16_JAN):
    return services.stage_extend(
        acting_user=officer,
        complaint=complaint,
        new_due=new_due,
        reason="Waiting for a damp survey.",
        notice_on=notice_on,
        ombudsman_details_given=True,
    )


def test_an_extension_notice_before_the_acknowledgement_is_refused(acknowledged, officer):
    for notice_on in (D(2025, 12, 19), D(2025, 12, 22)):  # before receipt; before acknowledgement
        error = refused(
            lambda n=notice_on: extend(officer, acknowledged, n),
            "extension_notice_before_acknowledgement",
            acknowledged,
        )
        assert error.field == "notice_on"
        assert isinstance(error, InvalidInput)


def test_an_extension_notice_on_the_due_date_is_in_time_and_the_day_after_is_not(
    acknowledged, officer
):
    error = refused(
        lambda: extend(officer, acknowledged, D(2026, 1, 12)),
        "extension_notice_late",
        acknowledged,
    )
    assert "by 9 January 2026, the date the response is due" in error.message
    extend(officer, acknowledged, D(2026, 1, 9))
    assert Stage.objects.get(complaint=acknowledged).extended_due == D(2026, 1, 16)


# 7. A reversed refusal starts the stage's clocks afresh -------------------------------------------


def test_reversing_a_refusal_clears_the_old_extension(acknowledged, officer, reason):
    extend(officer, acknowledged, D(2026, 1, 5), new_due=D(2026, 1, 23))
    services.complaint_not_accept(
        acting_user=officer, complaint=acknowledged, **refusal_terms(reason, D(2026, 1, 6))
    )
    # Reversed on Mon 2 Feb 2026; acknowledged again on Tue 3 Feb: the response is due 10
    # working days later, Tue 17 Feb, with no extension carried over.
    services.refusal_reverse(
        acting_user=officer,
        complaint=acknowledged,
        basis=Refusal.ReversalBasis.REVIEW,
        note="On review the court claim is about something else.",
        on=D(2026, 2, 2),
    )
    stage = Stage.objects.get(complaint=acknowledged)
    assert (stage.extended_due, stage.draft, stage.acknowledgement_due) == (None, {}, D(2026, 2, 9))
    assert acknowledged.is_extended is False
    old = Extension.objects.get(stage=stage)
    assert old.voided_on == D(2026, 2, 2)
    complaint = acknowledge(acting_user=officer, complaint=acknowledged, on=D(2026, 2, 3))
    stage.refresh_from_db()
    assert stage.response_due == D(2026, 2, 17)
    assert complaint.next_due_on == D(2026, 2, 17)
    assert complaint.is_extended is False
    respond(acting_user=officer, complaint=complaint, on=D(2026, 2, 17))
    stage.refresh_from_db()
    assert (stage.response_within_code, stage.response_within_extension) == (True, None)


def test_every_problem_with_an_extension_is_reported_together(acknowledged, officer):
    before = state(acknowledged)
    with pytest.raises(DomainError) as exc:
        services.stage_extend(
            acting_user=officer,
            complaint=acknowledged,
            new_due=D(2026, 1, 8),  # not after the due date, Fri 9 Jan
            reason=" ",
            notice_on=D(2026, 1, 12),  # after it
            ombudsman_details_given=False,
        )
    assert [e.code for e in exc.value.every()] == [
        "reason_missing",
        "extension_not_later",
        "extension_notice_late",
        "ombudsman_details_missing",
    ]
    assert [e.field for e in exc.value.every()] == [
        "reason",
        "new_due",
        "notice_on",
        "ombudsman_details_given",
    ]
    assert state(acknowledged) == before

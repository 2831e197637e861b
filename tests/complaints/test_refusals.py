"""Not accepting a complaint (Code 2.1-2.5), refusing an escalation (5.11) and reversing either
(Code 2.4), with dates worked out by hand."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Refusal, Stage, Status
from putright.core.errors import DomainError, StaleVersion
from putright.organisation.models import ExclusionReason
from tests.complaints.helpers import D, acknowledge, respond, state


def reason(code: str, applies_to: str = "both", **kwargs) -> ExclusionReason:
    return ExclusionReason.objects.create(
        code=f"test-{code}", label=f"Test {code}", applies_to=applies_to, **kwargs
    )


@pytest.fixture
def acceptance_reason(db):
    return reason("acceptance", ExclusionReason.AppliesTo.ACCEPTANCE)


@pytest.fixture
def escalation_reason(db):
    return reason("escalation", ExclusionReason.AppliesTo.ESCALATION)


def not_accept(officer, complaint, why, **kwargs):
    args = {
        "acting_user": officer,
        "complaint": complaint,
        "reason": why,
        "explanation": "The same leak was answered at stage 2 in March.",
        "evidence": "Response letter C-2025-00001, 12 March 2025.",
        "resident_told_on": D(2025, 12, 23),
        "ombudsman_rights_given": True,
        "on": D(2025, 12, 23),
    }
    args.update(kwargs)
    return services.complaint_not_accept(**args)


def refuse_escalation(officer, complaint, why, **kwargs):
    args = {
        "acting_user": officer,
        "complaint": complaint,
        "reason": why,
        "explanation": "The request concerns a matter in court proceedings.",
        "evidence": "Claim form served 2 January 2026.",
        "resident_told_on": D(2026, 1, 20),
        "ombudsman_rights_given": True,
        "on": D(2026, 1, 20),
    }
    args.update(kwargs)
    return services.escalation_refuse(**args)


@pytest.fixture
def responded(log, officer):
    complaint = log()  # Mon 22 Dec 2025
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    return respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))


# Not accepting ---------------------------------------------------------------------------------


def test_not_accepting_records_the_decision(log, officer, acceptance_reason):
    complaint = log()
    not_accept(officer, complaint, acceptance_reason)
    assert complaint.status == Status.NOT_ACCEPTED
    assert complaint.version == 2
    refusal = Refusal.objects.get(complaint=complaint)
    assert refusal.kind == Refusal.Kind.ACCEPTANCE
    assert refusal.stage_number == 1
    assert refusal.reason == acceptance_reason
    assert refusal.decided_by == officer
    assert refusal.decided_on == D(2025, 12, 23)
    assert refusal.ombudsman_rights_given is True
    assert refusal.reversed_on is None
    event = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert event.action == ComplaintEvent.Action.NOT_ACCEPTED
    assert event.changes["status"] == ["received", "not_accepted"]


def test_not_accepting_from_stage1_open_with_a_reason_for_both(log, officer):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    not_accept(officer, complaint, reason("both"), on=D(2026, 1, 2))
    assert complaint.status == Status.NOT_ACCEPTED


def test_date_evidence_is_kept_when_the_reason_needs_it(log, officer):
    why = reason("court", "acceptance", requires_date_evidence=True, evidence_date_label="Filed")
    complaint = log()
    not_accept(officer, complaint, why, evidence_date=D(2025, 11, 3))
    assert Refusal.objects.get(complaint=complaint).evidence_date == D(2025, 11, 3)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"reason": None}, "reason_required"),
        ({"explanation": "  "}, "explanation_required"),
        ({"evidence": ""}, "evidence_required"),
        ({"ombudsman_rights_given": False}, "ombudsman_rights_missing"),
        ({"expected_version": 7}, "stale_version"),
    ],
)
def test_not_accepting_without_what_the_code_needs_writes_nothing(
    log, officer, acceptance_reason, change, code
):
    complaint = log()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        not_accept(officer, complaint, acceptance_reason, **change)
    assert refused.value.code == code
    assert refused.value.message
    assert state(complaint) == before
    if code == "stale_version":
        assert isinstance(refused.value, StaleVersion)


def test_inactive_or_escalation_only_reasons_are_refused(log, officer, escalation_reason):
    inactive = reason("old", "acceptance", is_active=False)
    complaint = log()
    before = state(complaint)
    for why, code in [(inactive, "reason_inactive"), (escalation_reason, "reason_not_applicable")]:
        with pytest.raises(DomainError) as refused:
            not_accept(officer, complaint, why)
        assert refused.value.code == code
        assert why.label in refused.value.message
        assert state(complaint) == before


def test_missing_evidence_date_is_refused(log, officer):
    why = reason("court", "acceptance", requires_date_evidence=True, evidence_date_label="Filed")
    complaint = log()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        not_accept(officer, complaint, why)
    assert refused.value.code == "evidence_date_required"
    assert "Filed" in refused.value.message
    assert state(complaint) == before


def test_cannot_refuse_acceptance_after_the_stage1_response(responded, officer, acceptance_reason):
    before = state(responded)
    with pytest.raises(DomainError) as refused:
        not_accept(officer, responded, acceptance_reason, on=D(2026, 1, 6))
    assert refused.value.code == "not_allowed_in_status"
    assert state(responded) == before


def test_there_is_no_bulk_refusal():
    # Code 2.5: each decision is made on one complaint's facts.
    assert not [name for name in dir(services) if "refus" in name and "bulk" in name]
    assert not hasattr(services, "complaints_not_accept")


# Refusing escalation ---------------------------------------------------------------------------


def test_refusing_escalation(responded, officer, escalation_reason):
    refuse_escalation(officer, responded, escalation_reason)
    assert responded.status == Status.ESCALATION_REFUSED
    refusal = Refusal.objects.get(complaint=responded)
    assert (refusal.kind, refusal.stage_number) == (Refusal.Kind.ESCALATION, 2)
    assert not Stage.objects.filter(complaint=responded, number=2).exists()
    event = ComplaintEvent.objects.filter(complaint=responded).last()
    assert event.action == ComplaintEvent.Action.ESCALATION_REFUSED
    assert event.stage_number == 2


def test_refusing_a_late_request_on_a_closed_complaint(responded, officer, escalation_reason):
    services.complaint_close_unescalated(complaint=responded, on=D(2026, 2, 3))
    refuse_escalation(officer, responded, escalation_reason, on=D(2026, 3, 2))
    assert responded.status == Status.ESCALATION_REFUSED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"reason": None}, "reason_required"),
        ({"ombudsman_rights_given": False}, "ombudsman_rights_missing"),
        ({"explanation": ""}, "explanation_required"),
    ],
)
def test_refusing_escalation_without_what_the_code_needs_writes_nothing(
    responded, officer, escalation_reason, change, code
):
    before = state(responded)
    with pytest.raises(DomainError) as refused:
        refuse_escalation(officer, responded, escalation_reason, **change)
    assert refused.value.code == code
    assert state(responded) == before


def test_acceptance_only_reason_cannot_refuse_escalation(responded, officer, acceptance_reason):
    before = state(responded)
    with pytest.raises(DomainError) as refused:
        refuse_escalation(officer, responded, acceptance_reason)
    assert refused.value.code == "reason_not_applicable"
    assert state(responded) == before


def test_escalation_cannot_be_refused_before_a_stage1_response(log, officer, escalation_reason):
    complaint = log()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        refuse_escalation(officer, complaint, escalation_reason, on=D(2025, 12, 23))
    assert refused.value.code == "not_allowed_in_status"
    assert state(complaint) == before


# Reversal --------------------------------------------------------------------------------------


def test_ombudsman_instruction_restarts_the_clock_from_the_decision(
    log, officer, acceptance_reason
):
    complaint = log()  # received Mon 22 Dec 2025
    not_accept(officer, complaint, acceptance_reason)
    reviewer = officer
    services.refusal_reverse(
        acting_user=reviewer,
        complaint=complaint,
        basis=Refusal.ReversalBasis.OMBUDSMAN,
        note="Ombudsman order of 2 April 2026.",
        on=D(2026, 4, 2),
    )
    # Thu 2 Apr 2026 + 5 working days, skipping Good Friday (3 Apr) and Easter Monday (6 Apr):
    # Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 April.
    assert complaint.status == Status.RECEIVED
    assert complaint.received_on == D(2025, 12, 22)
    first = Stage.objects.get(complaint=complaint, number=1)
    assert first.received_on == D(2026, 4, 2)
    assert first.acknowledgement_due == D(2026, 4, 13)
    assert first.acknowledged_on is None
    refusal = Refusal.objects.get(complaint=complaint)
    assert refusal.reversed_on == D(2026, 4, 2)
    assert refusal.reversed_by == reviewer
    assert refusal.reversal_basis == Refusal.ReversalBasis.OMBUDSMAN
    event = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert event.action == ComplaintEvent.Action.REFUSAL_REVERSED
    # The clock survives a calendar recompute, and the complaint can go on normally.
    services.stage_deadlines_recompute()
    assert Stage.objects.get(pk=first.pk).acknowledgement_due == D(2026, 4, 13)
    acknowledge(acting_user=officer, complaint=complaint, on=D(2026, 4, 9))
    assert complaint.status == Status.STAGE1_OPEN


def test_reversing_an_acknowledged_then_refused_complaint_resets_stage1(
    log, officer, acceptance_reason
):
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    not_accept(officer, complaint, acceptance_reason, on=D(2026, 1, 2))
    services.refusal_reverse(
        acting_user=officer,
        complaint=complaint,
        basis=Refusal.ReversalBasis.REVIEW,
        note="Reviewed: the earlier complaint was about a different room.",
        on=D(2026, 1, 12),
    )
    first = Stage.objects.get(complaint=complaint, number=1)
    # Mon 12 Jan 2026 + 5 working days: Mon 19 Jan.
    assert first.acknowledgement_due == D(2026, 1, 19)
    assert (first.acknowledged_on, first.response_due) == (None, None)


def test_reversing_a_refused_escalation_opens_stage2_from_the_decision(
    responded, officer, escalation_reason
):
    refuse_escalation(officer, responded, escalation_reason)
    services.refusal_reverse(
        acting_user=officer,
        complaint=responded,
        basis=Refusal.ReversalBasis.OMBUDSMAN,
        note="Ombudsman instruction.",
        on=D(2026, 4, 2),
    )
    assert responded.status == Status.STAGE2_OPEN
    second = Stage.objects.get(complaint=responded, number=2)
    assert second.received_on == D(2026, 4, 2)
    assert second.acknowledgement_due == D(2026, 4, 13)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"basis": "whim"}, "basis_required"),
        ({"note": " "}, "note_required"),
        ({"on": D(2025, 12, 22)}, "date_before_refusal"),
    ],
)
def test_reversal_refusals_write_nothing(log, officer, acceptance_reason, change, code):
    complaint = log()
    not_accept(officer, complaint, acceptance_reason)
    before = state(complaint)
    args = {"basis": "review", "note": "Reviewed.", "on": D(2026, 1, 5)}
    args.update(change)
    with pytest.raises(DomainError) as refused:
        services.refusal_reverse(acting_user=officer, complaint=complaint, **args)
    assert refused.value.code == code
    assert state(complaint) == before


def test_nothing_to_reverse(log, officer):
    complaint = log()
    before = state(complaint)
    with pytest.raises(DomainError) as refused:
        services.refusal_reverse(
            acting_user=officer, complaint=complaint, basis="review", note="x", on=D(2026, 1, 5)
        )
    assert refused.value.code == "not_allowed_in_status"
    assert state(complaint) == before

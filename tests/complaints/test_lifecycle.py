"""The lifecycle table, walked through the services: every step from every status.

A step the table does not allow from a status is refused by its service with
``not_allowed_in_status`` and writes nothing; a step it allows is never refused for the status
(it may still be refused for its own preconditions, with another code).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from putright.complaints import lifecycle, services
from putright.complaints.lifecycle import LIFECYCLE, TRANSITIONS, Step
from putright.complaints.models import Action, Complaint, Refusal, Status
from putright.core.errors import DomainError
from putright.organisation.models import ExclusionReason
from tests.complaints.conftest import at
from tests.complaints.helpers import D, acknowledge, respond, state
from tests.people.factories import StaffUserFactory

ACTION = [{"description": "Treat the damp.", "due_on": D(2026, 2, 2)}]


def _reason() -> ExclusionReason:
    return ExclusionReason.objects.create(
        code="any",
        label="Any reason in the policy",
        applies_to=ExclusionReason.AppliesTo.BOTH,
    )


def _refusal_terms() -> dict:
    return {
        "reason": ExclusionReason.objects.get(code="any"),
        "explanation": "The policy says so.",
        "evidence": "The file.",
        "resident_told_on": D(2026, 2, 10),
        "ombudsman_rights_given": True,
        "on": D(2026, 2, 10),
    }


def _responded(log, officer) -> Complaint:
    complaint = log()
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    return respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5), actions=ACTION)


def _escalated(log, officer) -> Complaint:
    complaint = services.complaint_escalate(
        acting_user=officer, complaint=_responded(log, officer), on=D(2026, 1, 12)
    )
    return services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=StaffUserFactory(), on=D(2026, 1, 12)
    )


def _stage2_acknowledged(log, officer) -> Complaint:
    complaint = _escalated(log, officer)
    return acknowledge(acting_user=officer, complaint=complaint, stage=2, on=D(2026, 1, 13))


# Each situation: how to reach it through the services, and the status it leaves.
SITUATIONS: dict[str, tuple[Callable, str]] = {
    "received": (lambda log, officer: log(), Status.RECEIVED),
    "stage1_open": (
        lambda log, officer: acknowledge(acting_user=officer, complaint=log(), on=D(2025, 12, 23)),
        Status.STAGE1_OPEN,
    ),
    "stage1_responded": (_responded, Status.STAGE1_RESPONDED),
    "stage2_escalated": (_escalated, Status.STAGE2_OPEN),
    "stage2_acknowledged": (_stage2_acknowledged, Status.STAGE2_OPEN),
    "stage2_responded": (
        lambda log, officer: respond(
            acting_user=StaffUserFactory(),
            complaint=_stage2_acknowledged(log, officer),
            on=D(2026, 1, 20),
        ),
        Status.STAGE2_RESPONDED,
    ),
    "closed_unescalated": (
        lambda log, officer: services.complaint_close_unescalated(
            complaint=_responded(log, officer), on=D(2026, 2, 9)
        ),
        Status.CLOSED,
    ),
    "closed_duplicate": (
        lambda log, officer: services.complaint_mark_duplicate(
            acting_user=officer, complaint=log(), original=log(), note="Same.", on=D(2025, 12, 23)
        ),
        Status.CLOSED,
    ),
    "not_accepted": (
        lambda log, officer: services.complaint_not_accept(
            acting_user=officer, complaint=log(), **_refusal_terms()
        ),
        Status.NOT_ACCEPTED,
    ),
    "escalation_refused": (
        lambda log, officer: services.escalation_refuse(
            acting_user=officer, complaint=_responded(log, officer), **_refusal_terms()
        ),
        Status.ESCALATION_REFUSED,
    ),
    "withdrawn": (
        lambda log, officer: services.complaint_withdraw(
            acting_user=officer, complaint=log(), on=D(2025, 12, 23)
        ),
        Status.WITHDRAWN,
    ),
}


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("note.txt", b"What the resident said on the phone.")


# How each step is asked for, with arguments it would accept on a case ready for it.
# ``o`` is another complaint just received, for the steps that link two.
CALLS: dict[Step, Callable[[Complaint, object, Complaint], object]] = {
    Step.ACKNOWLEDGE: lambda c, u, o: acknowledge(
        acting_user=u, complaint=c, stage=c.stage_number, on=D(2026, 2, 11)
    ),
    Step.ALLOCATE: lambda c, u, o: services.complaint_allocate(
        acting_user=u, complaint=c, handler=StaffUserFactory(), on=D(2026, 2, 11)
    ),
    Step.ADD_POINT: lambda c, u, o: services.stage_point_add(
        acting_user=u, complaint=c, summary="Mould.", outcome_sought="Treat it.", on=D(2026, 2, 11)
    ),
    Step.AGREE_UPDATE_INTERVAL: lambda c, u, o: services.stage_agree_update_interval(
        acting_user=u, complaint=c, days=5, on=D(2026, 2, 11)
    ),
    Step.EXTEND: lambda c, u, o: services.stage_extend(
        acting_user=u,
        complaint=c,
        new_due=D(2026, 12, 1),
        reason="Waiting for a survey.",
        good_reason="A specialist survey.",
        notice_on=D(2026, 1, 14),
        ombudsman_details_given=True,
    ),
    Step.DRAFT_RESPONSE: lambda c, u, o: services.response_draft_submit(
        acting_user=StaffUserFactory(), complaint=c, decisions={}, on=D(2026, 2, 11)
    ),
    Step.SIGN_OFF: lambda c, u, o: services.response_sign_off(
        acting_user=StaffUserFactory(), complaint=c, on=D(2026, 2, 11)
    ),
    Step.RETURN_DRAFT: lambda c, u, o: services.response_sign_off_decline(
        acting_user=StaffUserFactory(), complaint=c, note="Redo it.", on=D(2026, 2, 11)
    ),
    Step.RESPOND: lambda c, u, o: services.stage_respond(
        acting_user=StaffUserFactory(), complaint=c, decisions={}, on=D(2026, 2, 11)
    ),
    Step.ESCALATE: lambda c, u, o: services.complaint_escalate(
        acting_user=u, complaint=c, on=D(2026, 2, 11)
    ),
    Step.REFUSE_ESCALATION: lambda c, u, o: services.escalation_refuse(
        acting_user=u, complaint=c, **{**_refusal_terms(), "on": D(2026, 2, 11)}
    ),
    Step.NOT_ACCEPT: lambda c, u, o: services.complaint_not_accept(
        acting_user=u, complaint=c, **{**_refusal_terms(), "on": D(2026, 2, 11)}
    ),
    Step.REVERSE_REFUSAL: lambda c, u, o: services.refusal_reverse(
        acting_user=u,
        complaint=c,
        basis=Refusal.ReversalBasis.REVIEW,
        note="Reviewed.",
        on=D(2026, 2, 11),
    ),
    Step.CLOSE_UNESCALATED: lambda c, u, o: services.complaint_close_unescalated(
        acting_user=u, complaint=c, on=D(2026, 2, 11)
    ),
    Step.MARK_DUPLICATE: lambda c, u, o: services.complaint_mark_duplicate(
        acting_user=u,
        complaint=c,
        original=o,
        note="Same.",
        on=D(2026, 2, 11),
    ),
    Step.LINK_DUPLICATE: lambda c, u, o: services.complaint_mark_duplicate(
        acting_user=u,
        complaint=o,
        original=c,
        note="Same.",
        on=D(2026, 2, 11),
    ),
    Step.WITHDRAW: lambda c, u, o: services.complaint_withdraw(
        acting_user=u, complaint=c, on=D(2026, 2, 11)
    ),
    Step.COMPLETE_ACTION: lambda c, u, o: services.action_complete(
        acting_user=u,
        action=Action.objects.filter(complaint=c).first() or pytest.skip("no action on this case"),
        on=D(2026, 2, 11),
    ),
    Step.REASSIGN_ACTION: lambda c, u, o: services.action_reassign(
        acting_user=u,
        action=Action.objects.filter(complaint=c).first() or pytest.skip("no action on this case"),
        owner=u,
        due_on=D(2026, 3, 2),
        reason="Moved to the repairs team.",
        on=D(2026, 2, 11),
    ),
    Step.AGREE_ACTIONS_UPDATE_INTERVAL: lambda c, u, o: (
        services.stage_agree_actions_update_interval(
            acting_user=u, complaint=c, stage_number=1, days=10, on=D(2026, 2, 11)
        )
    ),
    Step.RECORD_CORRESPONDENCE: lambda c, u, o: services.correspondence_record(
        acting_user=u,
        complaint=c,
        direction="in",
        channel="phone",
        party="resident",
        summary="Asked for news.",
        on=D(2026, 2, 11),
    ),
    Step.UPLOAD_DOCUMENT: lambda c, u, o: services.document_upload(
        acting_user=u, complaint=c, uploaded_file=_upload(), kind="other", on=D(2026, 2, 11)
    ),
    Step.ADD_NOTE: lambda c, u, o: services.note_add(
        acting_user=u, complaint=c, text="Rang the surveyor.", on=D(2026, 2, 11)
    ),
}


def test_every_step_has_a_rule_and_a_call():
    assert set(LIFECYCLE) == set(Step) == set(CALLS)


def test_every_service_names_its_step_when_it_locks():
    """A service cannot reach the complaint's row without saying which step it runs."""
    import putright.complaints.services as package

    named = set()
    for module in (package.intake, package.stages, package.responses, package.refusals):
        named |= {s for s in Step if f"Step.{s.name}" in inspect.getsource(module)}
    named |= {s for s in Step if f"Step.{s.name}" in inspect.getsource(package.record)}
    assert named == set(Step)
    assert "step: Step" in inspect.getsource(package._common._lock)


def test_the_transitions_follow_from_the_steps():
    assert TRANSITIONS[Status.WITHDRAWN] == frozenset()
    assert TRANSITIONS[Status.STAGE2_RESPONDED] == frozenset()
    assert TRANSITIONS[Status.ESCALATION_REFUSED] == {Status.STAGE2_OPEN}
    assert TRANSITIONS[Status.NOT_ACCEPTED] == {Status.RECEIVED}
    assert TRANSITIONS[Status.CLOSED] == {Status.STAGE2_OPEN, Status.ESCALATION_REFUSED}
    # Every status a step can move to is reachable and every move lands on a real status.
    assert set().union(*TRANSITIONS.values()) <= set(Status)


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("step", list(Step))
def test_each_step_runs_only_where_the_table_allows(situation, step, log, officer):
    _reason()
    build, status = SITUATIONS[situation]
    complaint = build(log, officer)
    other = log(at(2025, 12, 1))
    complaint.refresh_from_db()
    assert complaint.status == status
    before = state(complaint)
    allowed = lifecycle.allows(step, complaint.status)
    try:
        CALLS[step](complaint, officer, other)
    except DomainError as error:
        if allowed:
            assert error.code != "not_allowed_in_status", error.message
        else:
            assert error.code == "not_allowed_in_status"
            assert Status(status).label.lower() in error.message
            assert state(complaint) == before
        return
    assert allowed, f"{step} ran on a {status} complaint"

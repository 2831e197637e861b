"""Reassigning a promised action, completing one with its evidence, and the interval for updates
to the resident: each refused by the service itself when it makes no sense, each in the
complaint's history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.core.errors import InvalidInput, StaleVersion, StepRefused

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def action(responded, handler):
    return responded(
        [{"description": "Fix the ceiling.", "owner": handler, "due_on": D(2026, 4, 7)}]
    )[0]


def test_a_manager_reassigns_an_action_to_a_team_with_a_reason(action, manager, repairs):
    version = action.complaint.version

    services.action_reassign(
        acting_user=manager,
        action=action,
        owner=None,
        team=repairs,
        due_on=D(2026, 4, 21),
        reason="The roofer is booked for the 20th.",
        expected_version=version,
    )

    assert (action.owner_id, action.team_id, action.due_on) == (None, repairs.pk, D(2026, 4, 21))
    event = ComplaintEvent.objects.get(action=ComplaintEvent.Action.ACTION_REASSIGNED)
    assert event.actor_id == manager.pk
    assert event.changes["reason"] == [None, "The roofer is booked for the 20th."]
    assert event.changes["due_on"] == ["2026-04-07", "2026-04-21"]
    assert event.changes["team"][1]["label"] == "Repairs"
    assert event.changes["owner"][1] is None
    action.complaint.refresh_from_db()
    assert action.complaint.version == version + 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"reason": " "}, "reason_missing"),
        ({"owner": None, "team": None}, "owner_missing"),
        ({"due_on": D(2026, 3, 9)}, "due_before_response"),
        ({"due_on": D(2026, 4, 7)}, "nothing_changed"),
    ],
)
def test_a_reassignment_that_makes_no_sense_is_refused(action, manager, handler, change, code):
    arguments = {"owner": handler, "team": None, "due_on": D(2026, 4, 14), "reason": "Busy."}
    with pytest.raises(InvalidInput) as refused:
        services.action_reassign(acting_user=manager, action=action, **{**arguments, **change})
    assert refused.value.code == code
    assert not ComplaintEvent.objects.filter(action=ComplaintEvent.Action.ACTION_REASSIGNED)


def test_a_done_action_is_not_reassigned(action, manager, handler):
    services.action_complete(acting_user=handler, action=action, note="Fixed.")
    with pytest.raises(StepRefused) as refused:
        services.action_reassign(
            acting_user=manager, action=action, owner=manager, due_on=D(2026, 4, 14), reason="x"
        )
    assert refused.value.code == "action_done"


def test_a_stale_reassignment_is_refused(action, manager):
    with pytest.raises(StaleVersion):
        services.action_reassign(
            acting_user=manager,
            action=action,
            owner=manager,
            due_on=D(2026, 4, 14),
            reason="Cover while Hana is away.",
            expected_version=action.complaint.version - 1,
        )


def test_completion_keeps_a_document_from_the_complaint_as_evidence(action, handler):
    document = services.document_upload(
        acting_user=handler,
        complaint=action.complaint,
        uploaded_file=SimpleUploadedFile("job-sheet.pdf", PDF),
        kind="evidence",
    )
    services.action_complete(
        acting_user=handler, action=action, note="Ceiling replastered.", document=document
    )
    assert (action.completion_note, action.completion_document_id) == (
        "Ceiling replastered.",
        document.pk,
    )
    event = ComplaintEvent.objects.get(action=ComplaintEvent.Action.ACTION_COMPLETED)
    assert event.changes["completion_document"][1]["id"] == document.pk


def test_another_complaints_document_is_not_evidence(action, responded, handler):
    other = responded([{"description": "Clear the gutter.", "due_on": D(2026, 4, 7)}], hour=10)[0]
    document = services.document_upload(
        acting_user=handler,
        complaint=other.complaint,
        uploaded_file=SimpleUploadedFile("gutter.pdf", PDF),
        kind="evidence",
    )
    with pytest.raises(StepRefused) as refused:
        services.action_complete(acting_user=handler, action=action, document=document)
    assert refused.value.code == "document_mismatch"


def test_an_agreed_interval_moves_the_next_update(action, handler):
    stage = Stage.objects.get(pk=action.stage_id)
    assert stage.actions_update_due == D(2026, 4, 9)  # the default 20 working days

    services.stage_agree_actions_update_interval(
        acting_user=handler, complaint=action.complaint, stage_number=1, days=5
    )

    stage.refresh_from_db()
    # Five working days after Tue 10 March.
    assert (stage.actions_update_interval_days, stage.actions_update_due) == (5, D(2026, 3, 17))
    assert ComplaintEvent.objects.filter(
        action=ComplaintEvent.Action.ACTIONS_UPDATE_INTERVAL_AGREED
    ).exists()


def test_a_response_never_waits_for_its_actions(action):
    # The stage was responded to with the action still open (Code 6.6, 6.17).
    assert action.stage.responded_on == D(2026, 3, 10)
    assert action.status == "open"

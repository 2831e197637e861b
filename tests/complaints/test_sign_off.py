"""Quality sign-off of responses (organisation settings) and its part in independence (6.13)."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.core.errors import InvalidInput, StepRefused
from putright.organisation.selectors import get_organisation
from tests.complaints.helpers import D, acknowledge, state
from tests.people.factories import StaffUserFactory

POINTS = [("Damp not treated.", "Treat it.")]
DECISIONS = {1: ("upheld", "The damp was reported in May and not treated.")}


@pytest.fixture(autouse=True)
def sign_off_required(db) -> bool:
    """The organisation's default: every response is signed off before it goes."""
    return True


@pytest.fixture
def handler(db):
    return StaffUserFactory()


@pytest.fixture
def manager(db):
    return StaffUserFactory()


@pytest.fixture
def defined(log, officer, handler):
    complaint = log(handler=handler)
    return acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23), points=POINTS)


@pytest.fixture
def drafted(defined, handler):
    return draft(handler, defined)


def draft(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2025, 12, 30))
    kwargs.setdefault("decisions", DECISIONS)
    return services.response_draft_submit(acting_user=user, complaint=complaint, **kwargs)


def issue(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 5))
    return services.stage_respond(acting_user=user, complaint=complaint, **kwargs)


def sign_off(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 2))
    return services.response_sign_off(acting_user=user, complaint=complaint, **kwargs)


def respond(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 5))
    kwargs.setdefault("decisions", DECISIONS)
    return services.stage_respond(acting_user=user, complaint=complaint, **kwargs)


def test_sign_off_is_recorded(drafted, manager):
    assert drafted.awaiting_sign_off
    sign_off(manager, drafted, note=" Checked the letter. ", expected_version=3)
    stage = Stage.objects.get(complaint=drafted, number=1)
    assert stage.signed_off_by == manager
    assert stage.signed_off_on == D(2026, 1, 2)
    assert stage.sign_off_note == "Checked the letter."
    assert drafted.version == 4
    assert not drafted.awaiting_sign_off
    event = drafted.events.get(action=ComplaintEvent.Action.SIGNED_OFF)
    assert event.actor == manager
    assert event.stage_number == 1


def test_a_signed_off_draft_is_issued_as_drafted(drafted, handler, manager):
    sign_off(manager, drafted)
    issue(handler, drafted)
    stage = Stage.objects.get(complaint=drafted)
    assert stage.responded_on == D(2026, 1, 5)
    assert stage.outcome == "upheld"
    assert stage.points.get().decision.reasons == DECISIONS[1][1]
    assert stage.drafted_by == handler


def test_the_draft_records_its_author_and_content(drafted, handler):
    stage = Stage.objects.get(complaint=drafted)
    assert stage.drafted_by == handler and stage.drafted_on == D(2025, 12, 30)
    assert stage.draft["decisions"] == {"1": list(DECISIONS[1])}
    event = drafted.events.get(action=ComplaintEvent.Action.DRAFTED)
    assert event.actor == handler


def test_there_is_nothing_to_sign_off_without_a_draft(defined, manager):
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, defined)
    assert exc.value.code == "no_draft"
    assert state(defined) == before


def test_an_incomplete_draft_is_refused(defined, handler):
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        draft(handler, defined, decisions={})
    assert exc.value.code == "point_undecided"
    assert state(defined) == before


def test_the_drafter_cannot_sign_off_their_own_draft(defined, officer, manager):
    draft(manager, defined)
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, defined)
    assert exc.value.code == "sign_off_by_handler"
    assert state(defined) == before


def test_a_returned_draft_needs_a_new_one_before_issue(drafted, handler, manager):
    with pytest.raises(InvalidInput) as exc:
        services.response_sign_off_decline(acting_user=manager, complaint=drafted, note=" ")
    assert exc.value.code == "note_missing"
    services.response_sign_off_decline(
        acting_user=manager, complaint=drafted, note="Say when the damp will be treated."
    )
    assert not drafted.awaiting_sign_off
    event = drafted.events.get(action=ComplaintEvent.Action.SIGN_OFF_DECLINED)
    assert event.changes["note"] == [None, "Say when the damp will be treated."]
    with pytest.raises(StepRefused) as exc:
        issue(handler, drafted)
    assert exc.value.code == "draft_returned"
    with pytest.raises(StepRefused) as exc:
        sign_off(StaffUserFactory(), drafted)
    assert exc.value.code == "draft_returned"
    draft(handler, drafted, on=D(2026, 1, 2))
    assert drafted.awaiting_sign_off


def test_a_new_draft_clears_the_sign_off(drafted, handler, manager):
    sign_off(manager, drafted)
    draft(handler, drafted, on=D(2026, 1, 2), decisions={1: ("not_upheld", "Treated in June.")})
    stage = Stage.objects.get(complaint=drafted)
    assert stage.signed_off_by is None and drafted.awaiting_sign_off
    with pytest.raises(StepRefused) as exc:
        issue(handler, drafted)
    assert exc.value.code == "sign_off_required"


def test_content_cannot_bypass_a_pending_draft(drafted, handler, manager):
    sign_off(manager, drafted)
    before = state(drafted)
    with pytest.raises(StepRefused) as exc:
        respond(handler, drafted, decisions={1: ("not_upheld", "Different words.")})
    assert exc.value.code == "draft_pending"
    assert state(drafted) == before


def test_a_stage1_drafter_cannot_draft_or_sign_off_at_stage2(drafted, officer, handler, manager):
    sign_off(manager, drafted)
    issue(handler, drafted)
    services.complaint_escalate(acting_user=officer, complaint=drafted, on=D(2026, 1, 8))
    stage2_handler = StaffUserFactory()
    services.complaint_allocate(acting_user=officer, complaint=drafted, handler=stage2_handler)
    acknowledge(acting_user=officer, complaint=drafted, stage=2, on=D(2026, 1, 9), points=POINTS)
    for attempt in (
        lambda: draft(handler, drafted, on=D(2026, 1, 12)),
        lambda: draft(manager, drafted, on=D(2026, 1, 12)),
    ):
        with pytest.raises(StepRefused) as exc:
            attempt()
        assert exc.value.code == "not_independent"
    draft(stage2_handler, drafted, on=D(2026, 1, 12))
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, drafted, on=D(2026, 1, 13))
    assert exc.value.code == "not_independent"
    sign_off(StaffUserFactory(), drafted, on=D(2026, 1, 13))
    assert drafted.stage_number == 2 and not drafted.awaiting_sign_off


def test_the_organisation_setting_requires_sign_off_for_a_defined_stage(defined, handler):
    assert get_organisation().stage1_requires_sign_off
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        respond(handler, defined)
    assert exc.value.code == "sign_off_required"
    assert state(defined) == before


def test_no_sign_off_needed_when_the_organisation_does_not_ask(defined, handler):
    organisation = get_organisation()
    organisation.stage1_requires_sign_off = False
    organisation.save()
    respond(handler, defined)
    assert Stage.objects.get(complaint=defined).responded_on == D(2026, 1, 5)


def test_no_caller_can_skip_the_organisation_setting(defined, handler):
    before = state(defined)
    with pytest.raises(TypeError):
        respond(handler, defined, require_sign_off=False)
    with pytest.raises(StepRefused) as exc:
        respond(handler, defined)
    assert exc.value.code == "sign_off_required"
    assert state(defined) == before


def test_the_handler_cannot_sign_off_their_own_response(drafted, handler):
    before = state(drafted)
    with pytest.raises(StepRefused) as exc:
        sign_off(handler, drafted)
    assert exc.value.code == "sign_off_by_handler"
    assert state(drafted) == before


def test_a_signer_who_became_the_handler_does_not_count(drafted, officer, manager):
    sign_off(manager, drafted)
    services.complaint_allocate(
        acting_user=officer, complaint=drafted, handler=manager, reason="Handler left"
    )
    before = state(drafted)
    with pytest.raises(StepRefused) as exc:
        issue(manager, drafted)
    assert exc.value.code == "sign_off_by_handler"
    assert state(drafted) == before


def test_sign_off_before_acknowledgement_is_refused(log, officer, manager):
    complaint = log()
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, complaint)
    assert exc.value.code == "not_allowed_in_status"
    assert state(complaint) == before


def test_sign_off_after_the_response_is_refused(drafted, handler, manager):
    sign_off(manager, drafted)
    issue(handler, drafted)
    before = state(drafted)
    with pytest.raises(StepRefused) as exc:
        sign_off(StaffUserFactory(), drafted, on=D(2026, 1, 6))
    assert exc.value.code == "not_allowed_in_status"
    assert state(drafted) == before


def test_sign_off_dated_before_the_acknowledgement_is_refused(drafted, manager):
    before = state(drafted)
    with pytest.raises(InvalidInput) as exc:
        sign_off(manager, drafted, on=D(2025, 12, 22))
    assert exc.value.code == "date_before_acknowledgement"
    assert state(drafted) == before


def test_the_stage1_signer_is_not_independent_at_stage2(drafted, officer, handler, manager):
    sign_off(manager, drafted)
    issue(handler, drafted)
    services.complaint_escalate(acting_user=officer, complaint=drafted, on=D(2026, 1, 8))
    before = state(drafted)
    with pytest.raises(StepRefused) as exc:
        services.complaint_allocate(acting_user=officer, complaint=drafted, handler=manager)
    assert exc.value.code == "not_independent"
    assert state(drafted) == before
    someone_else = StaffUserFactory()
    services.complaint_allocate(acting_user=officer, complaint=drafted, handler=someone_else)
    assert Stage.objects.get(complaint=drafted, number=2).handler == someone_else


def test_a_draft_cannot_be_issued_before_it_was_signed_off(drafted, handler, manager):
    sign_off(manager, drafted, on=D(2026, 1, 2))
    before = state(drafted)
    with pytest.raises(InvalidInput) as exc:
        issue(handler, drafted, on=D(2025, 12, 31))
    assert exc.value.code == "date_before_draft"
    assert state(drafted) == before

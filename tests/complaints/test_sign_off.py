"""Quality sign-off of responses (organisation settings) and its part in independence (6.13)."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.core.errors import InvalidInput, StepRefused
from putright.organisation.selectors import get_organisation
from tests.complaints.helpers import D, state
from tests.people.factories import StaffUserFactory

POINTS = [("Damp not treated.", "Treat it.")]
DECISIONS = {1: ("upheld", "The damp was reported in May and not treated.")}


@pytest.fixture
def handler(db):
    return StaffUserFactory()


@pytest.fixture
def manager(db):
    return StaffUserFactory()


@pytest.fixture
def defined(log, officer, handler):
    complaint = log(handler=handler)
    return services.stage_acknowledge(
        acting_user=officer, complaint=complaint, on=D(2025, 12, 23), points=POINTS
    )


def sign_off(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 2))
    return services.response_sign_off(acting_user=user, complaint=complaint, **kwargs)


def respond(user, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 5))
    kwargs.setdefault("decisions", DECISIONS)
    return services.stage_respond(acting_user=user, complaint=complaint, **kwargs)


def test_sign_off_is_recorded(defined, manager):
    sign_off(manager, defined, note=" Checked the letter. ", expected_version=2)
    stage = Stage.objects.get(complaint=defined, number=1)
    assert stage.signed_off_by == manager
    assert stage.signed_off_on == D(2026, 1, 2)
    assert stage.sign_off_note == "Checked the letter."
    assert defined.version == 3
    event = defined.events.get(action=ComplaintEvent.Action.SIGNED_OFF)
    assert event.actor == manager
    assert event.stage_number == 1


def test_a_signed_off_response_can_be_recorded(defined, handler, manager):
    sign_off(manager, defined)
    respond(handler, defined)
    assert Stage.objects.get(complaint=defined).responded_on == D(2026, 1, 5)


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


def test_an_explicit_requirement_overrides_the_setting(log, officer):
    complaint = log()
    services.stage_acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        services.stage_respond(
            acting_user=officer, complaint=complaint, on=D(2026, 1, 5), require_sign_off=True
        )
    assert exc.value.code == "sign_off_required"
    assert state(complaint) == before


def test_a_stage_without_points_needs_no_sign_off_by_default(log, officer):
    complaint = log()
    services.stage_acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    services.stage_respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))
    assert Stage.objects.get(complaint=complaint).responded_on == D(2026, 1, 5)


def test_the_handler_cannot_sign_off_their_own_response(defined, handler):
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        sign_off(handler, defined)
    assert exc.value.code == "sign_off_by_handler"
    assert state(defined) == before


def test_a_signer_who_became_the_handler_does_not_count(defined, officer, manager):
    sign_off(manager, defined)
    services.complaint_allocate(acting_user=officer, complaint=defined, handler=manager)
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        respond(manager, defined)
    assert exc.value.code == "sign_off_by_handler"
    assert state(defined) == before


def test_sign_off_before_acknowledgement_is_refused(log, officer, manager):
    complaint = log()
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, complaint)
    assert exc.value.code == "stage_not_open"
    assert state(complaint) == before


def test_sign_off_after_the_response_is_refused(defined, handler, manager):
    respond(handler, defined, require_sign_off=False)
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        sign_off(manager, defined, on=D(2026, 1, 6))
    assert exc.value.code == "stage_not_open"
    assert state(defined) == before


def test_sign_off_dated_before_the_acknowledgement_is_refused(defined, manager):
    before = state(defined)
    with pytest.raises(InvalidInput) as exc:
        sign_off(manager, defined, on=D(2025, 12, 22))
    assert exc.value.code == "date_before_acknowledgement"
    assert state(defined) == before


def test_the_stage1_signer_is_not_independent_at_stage2(defined, officer, handler, manager):
    sign_off(manager, defined)
    respond(handler, defined)
    services.complaint_escalate(acting_user=officer, complaint=defined, on=D(2026, 1, 8))
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        services.complaint_allocate(acting_user=officer, complaint=defined, handler=manager)
    assert exc.value.code == "not_independent"
    assert state(defined) == before
    someone_else = StaffUserFactory()
    services.complaint_allocate(acting_user=officer, complaint=defined, handler=someone_else)
    assert Stage.objects.get(complaint=defined, number=2).handler == someone_else

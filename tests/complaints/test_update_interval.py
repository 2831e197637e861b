"""Agreed intervals for keeping the resident informed while a response is late (Code 5.9)."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from tests.complaints.helpers import D, acknowledge, respond, state


def agree(user, complaint, **kwargs):
    kwargs.setdefault("days", 5)
    kwargs.setdefault("on", D(2026, 1, 5))
    return services.stage_agree_update_interval(acting_user=user, complaint=complaint, **kwargs)


@pytest.fixture
def acknowledged(log, officer):
    complaint = log()
    return acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))


def test_the_interval_is_recorded(officer, acknowledged):
    agree(officer, acknowledged, days=10, expected_version=2)
    stage = Stage.objects.get(complaint=acknowledged, number=1)
    assert stage.update_interval_days == 10
    assert stage.update_interval_agreed_on == D(2026, 1, 5)
    assert acknowledged.version == 3
    event = acknowledged.events.get(action=ComplaintEvent.Action.UPDATE_INTERVAL_AGREED)
    assert event.stage_number == 1
    assert event.changes["update_interval_days"] == [None, 10]


def test_the_interval_can_be_changed(officer, acknowledged):
    agree(officer, acknowledged, days=10)
    agree(officer, acknowledged, days=3, on=D(2026, 1, 6))
    assert Stage.objects.get(complaint=acknowledged).update_interval_days == 3


@pytest.mark.parametrize("days", [1, 20])
def test_the_bounds_are_allowed(officer, acknowledged, days):
    agree(officer, acknowledged, days=days)
    assert Stage.objects.get(complaint=acknowledged).update_interval_days == days


@pytest.mark.parametrize("days", [0, 21, -3, "5", 2.5, True, None])
def test_intervals_outside_1_to_20_are_refused(officer, acknowledged, days):
    before = state(acknowledged)
    with pytest.raises(InvalidInput) as exc:
        agree(officer, acknowledged, days=days)
    assert exc.value.code == "invalid_update_interval"
    assert state(acknowledged) == before


def test_a_responded_stage_is_refused(officer, acknowledged):
    respond(acting_user=officer, complaint=acknowledged, on=D(2026, 1, 5))
    before = state(acknowledged)
    with pytest.raises(StepRefused) as exc:
        agree(officer, acknowledged, on=D(2026, 1, 6))
    assert exc.value.code == "not_allowed_in_status"
    assert state(acknowledged) == before


def test_a_date_before_the_stage_is_refused(officer, acknowledged):
    before = state(acknowledged)
    with pytest.raises(InvalidInput) as exc:
        agree(officer, acknowledged, on=D(2025, 12, 1))
    assert exc.value.code == "date_before_receipt"
    assert state(acknowledged) == before


def test_a_missing_stage_is_refused(officer, acknowledged):
    before = state(acknowledged)
    with pytest.raises(StepRefused) as exc:
        agree(officer, acknowledged, stage_number=2)
    assert exc.value.code == "no_such_stage"
    assert state(acknowledged) == before


def test_a_stale_version_writes_nothing(officer, acknowledged):
    before = state(acknowledged)
    with pytest.raises(StaleVersion):
        agree(officer, acknowledged, expected_version=1)
    assert state(acknowledged) == before

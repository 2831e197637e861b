"""The complaint definition (Code 5.6, 5.7), triage (6.1) and points added later (6.8)."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Point, Stage
from putright.core.errors import InvalidInput, StepRefused
from tests.complaints.helpers import D, respond, state

POINTS = [
    ("The bedroom damp has not been treated.", "Treat the damp and redecorate."),
    ("Calls were not returned.", "An apology."),
]


def acknowledge(officer, complaint, **kwargs):
    kwargs.setdefault("on", D(2025, 12, 23))
    return services.stage_acknowledge(acting_user=officer, complaint=complaint, **kwargs)


def test_acknowledging_records_the_definition_and_triage(log, officer):
    complaint = log()
    acknowledge(
        officer,
        complaint,
        points=POINTS,
        not_responsible_for="The neighbour's fence.",
        complexity="medium",
        risk="some",
        vulnerability_note="Asthma in the household; prioritised.",
    )
    stage = Stage.objects.get(complaint=complaint, number=1)
    assert stage.not_responsible_for == "The neighbour's fence."
    assert (stage.complexity, stage.risk) == ("medium", "some")
    assert stage.vulnerability_note == "Asthma in the household; prioritised."
    points = list(stage.points.order_by("number"))
    assert [(p.number, p.summary, p.outcome_sought) for p in points] == [
        (1, *POINTS[0]),
        (2, *POINTS[1]),
    ]
    assert all(p.added_on == D(2025, 12, 23) and not p.added_after_acknowledgement for p in points)
    assert complaint.version == 2
    event = complaint.events.get(action=ComplaintEvent.Action.ACKNOWLEDGED)
    assert event.changes["points"][1] == [list(p) for p in POINTS]


def test_acknowledging_without_a_definition_is_refused_and_writes_nothing(log, officer):
    complaint = log()
    before = state(complaint)
    for points in (None, []):
        with pytest.raises(InvalidInput) as exc:
            acknowledge(officer, complaint, points=points)
        assert exc.value.code == "definition_required"
        assert exc.value.field == "points"
        assert "Code 5.6" in exc.value.message
        assert state(complaint) == before


def test_points_recorded_before_acknowledgement_are_the_definition(log, officer):
    complaint = log()
    services.stage_point_add(
        acting_user=officer,
        complaint=complaint,
        summary="The boiler has failed twice.",
        outcome_sought="A new boiler.",
        on=D(2025, 12, 22),
    )
    acknowledge(officer, complaint)
    stage = Stage.objects.get(complaint=complaint, number=1)
    assert stage.acknowledged_on == D(2025, 12, 23)
    assert list(stage.points.values_list("summary", flat=True)) == ["The boiler has failed twice."]


@pytest.mark.parametrize(
    ("points", "code"),
    [
        ([("", "An apology.")], "point_summary_missing"),
        ([("Calls not returned.", "  ")], "outcome_sought_missing"),
        ([("Only one part",)], "invalid_point"),
    ],
)
def test_incomplete_points_are_refused_and_nothing_written(log, officer, points, code):
    complaint = log()
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        acknowledge(officer, complaint, points=points)
    assert exc.value.code == code
    assert state(complaint) == before


@pytest.mark.parametrize(("field", "value"), [("complexity", "extreme"), ("risk", "lots")])
def test_invalid_triage_is_refused(log, officer, field, value):
    complaint = log()
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        acknowledge(officer, complaint, **{field: value})
    assert exc.value.code == f"invalid_{field}"
    assert state(complaint) == before


def test_a_point_can_be_added_before_the_response(log, officer):
    complaint = log()
    acknowledge(officer, complaint, points=POINTS)
    services.stage_point_add(
        acting_user=officer,
        complaint=complaint,
        summary=" The contractor left rubbish. ",
        outcome_sought="Remove it.",
        on=D(2025, 12, 30),
        expected_version=2,
    )
    point = Point.objects.get(stage__complaint=complaint, number=3)
    assert point.summary == "The contractor left rubbish."
    assert point.added_on == D(2025, 12, 30)
    assert point.added_after_acknowledgement is True
    assert complaint.version == 3
    event = complaint.events.get(action=ComplaintEvent.Action.POINT_ADDED)
    assert event.stage_number == 1
    assert event.actor == officer


def test_a_point_added_before_acknowledgement_is_marked_so(log, officer):
    complaint = log()
    services.stage_point_add(
        acting_user=officer, complaint=complaint, summary="Damp.", outcome_sought="Fix it."
    )
    point = Point.objects.get(stage__complaint=complaint)
    assert (point.number, point.added_after_acknowledgement) == (1, False)


def test_adding_a_point_after_the_response_needs_a_new_complaint(log, officer):
    complaint = log()
    acknowledge(officer, complaint, points=POINTS)
    respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 5))
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        services.stage_point_add(
            acting_user=officer, complaint=complaint, summary="Mould.", outcome_sought="Fix."
        )
    assert exc.value.code == "not_allowed_in_status"
    assert "new complaint" in exc.value.message
    assert complaint.reference in exc.value.message
    assert state(complaint) == before


def test_adding_an_incomplete_point_is_refused(log, officer):
    complaint = log()
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        services.stage_point_add(
            acting_user=officer, complaint=complaint, summary="Mould.", outcome_sought=""
        )
    assert exc.value.code == "outcome_sought_missing"
    assert exc.value.field == "outcome_sought"
    assert state(complaint) == before


def test_adding_a_point_to_a_withdrawn_complaint_is_refused(log, officer):
    complaint = log()
    services.complaint_withdraw(acting_user=officer, complaint=complaint)
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        services.stage_point_add(
            acting_user=officer, complaint=complaint, summary="Mould.", outcome_sought="Fix."
        )
    assert exc.value.code == "not_allowed_in_status"
    assert state(complaint) == before


def test_points_cannot_be_given_twice_at_acknowledgement(log, officer):
    complaint = log()
    services.stage_point_add(
        acting_user=officer, complaint=complaint, summary="Damp.", outcome_sought="Fix it."
    )
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        acknowledge(officer, complaint, points=POINTS)
    assert exc.value.code == "points_already_recorded"
    assert state(complaint) == before

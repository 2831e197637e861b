"""Deciding each point of complaint, and the stage outcome derived from them (Code 6.7, 6.9)."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Decision, Finding, Stage, Status
from putright.core.errors import InvalidInput, StepRefused
from tests.complaints.helpers import D, acknowledge, state

POINTS = [("Damp not treated.", "Treat it."), ("Calls not returned.", "An apology.")]


@pytest.fixture
def defined(log, officer):
    complaint = log()
    return acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 23), points=POINTS)


def respond(officer, complaint, **kwargs):
    kwargs.setdefault("on", D(2026, 1, 5))
    return services.stage_respond(acting_user=officer, complaint=complaint, **kwargs)


@pytest.mark.parametrize(
    ("findings", "outcome"),
    [
        (("upheld", "upheld"), Finding.UPHELD),
        (("not_upheld", "not_upheld"), Finding.NOT_UPHELD),
        (("upheld", "not_upheld"), Finding.PARTLY_UPHELD),
        (("partly_upheld", "partly_upheld"), Finding.PARTLY_UPHELD),
        (("upheld", "partly_upheld"), Finding.PARTLY_UPHELD),
    ],
)
def test_the_outcome_is_derived_from_the_decisions(defined, officer, findings, outcome):
    decisions = {1: (findings[0], "Reason one."), 2: (findings[1], " Reason two. ")}
    respond(
        officer,
        defined,
        decisions=decisions,
        remedies=[{"kind": "compensation", "description": "For the delay.", "amount_pence": 5000}],
        actions=[{"description": " Treat the damp. ", "owner": officer, "due_on": D(2026, 1, 12)}],
        root_causes=["delay", "communication", "delay"],
    )
    stage = Stage.objects.get(complaint=defined, number=1)
    assert stage.outcome == outcome
    assert list(stage.remedies.values_list("kind", "description", "amount_pence")) == [
        ("compensation", "For the delay.", 5000)
    ]
    action = stage.actions.get()
    assert (action.description, action.owner, action.due_on) == (
        "Treat the damp.",
        officer,
        D(2026, 1, 12),
    )
    assert action.status == "open" and action.complaint == defined
    assert stage.root_causes == ["delay", "communication"]
    stored = {d.point.number: (d.finding, d.reasons) for d in Decision.objects.all()}
    assert stored == {1: (findings[0], "Reason one."), 2: (findings[1], "Reason two.")}
    # The response keeps how many points got each finding, for the reports.
    given = {f: getattr(stage, f"points_{f}") for f in Finding.values}
    assert given == {f: findings.count(f) for f in Finding.values}
    assert sum(given.values()) == 2
    assert defined.status == Status.STAGE1_RESPONDED
    event = defined.events.get(action=ComplaintEvent.Action.RESPONDED)
    assert event.changes["outcome"] == ["", outcome]
    assert event.changes["decisions"][1]["1"] == [findings[0], "Reason one."]


def test_responses_given_before_the_counts_were_kept_get_them_from_their_decisions(
    defined, officer
):
    """The migration that added ``Stage.points_<finding>`` counts them for every response
    already given, from its decisions; an unanswered stage keeps none."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    respond(officer, defined, decisions={1: ("upheld", "One."), 2: ("partly_upheld", "Two.")})
    Stage.objects.update(points_upheld=None, points_partly_upheld=None, points_not_upheld=None)
    migration = import_module("putright.complaints.migrations.0015_stage_point_counts")
    migration.count_points(apps, SimpleNamespace(connection=connection))
    answered = Stage.objects.get(complaint=defined, number=1)
    assert (
        answered.points_upheld,
        answered.points_partly_upheld,
        answered.points_not_upheld,
    ) == (1, 1, 0)
    assert not Stage.objects.filter(responded_on__isnull=True, points_upheld__isnull=False)


def test_every_point_must_be_decided(defined, officer):
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        respond(officer, defined, decisions={1: ("upheld", "We were slow.")})
    assert exc.value.code == "point_undecided"
    assert "Point 2" in exc.value.message
    assert "Calls not returned." in exc.value.message
    assert exc.value.context["point"] == 2
    assert state(defined) == before


def test_no_decisions_at_all_is_refused_when_there_are_points(defined, officer):
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        respond(officer, defined)
    assert exc.value.code == "point_undecided"
    assert "Point 1" in exc.value.message
    assert state(defined) == before


@pytest.mark.parametrize("reasons", ["", "   ", None])
def test_each_decision_needs_reasons(defined, officer, reasons):
    before = state(defined)
    with pytest.raises(InvalidInput) as exc:
        respond(officer, defined, decisions={1: ("upheld", "Slow."), 2: ("upheld", reasons)})
    assert exc.value.code == "reasons_missing"
    assert "Point 2" in exc.value.message
    assert state(defined) == before


@pytest.mark.parametrize(
    ("decisions", "code"),
    [
        ({1: ("maybe", "x"), 2: ("upheld", "y")}, "invalid_finding"),
        ({1: ("upheld", "x"), 2: ("upheld", "y"), 3: ("upheld", "z")}, "unknown_point"),
        ({1: "upheld", 2: ("upheld", "y")}, "invalid_decision"),
    ],
)
def test_malformed_decisions_are_refused(defined, officer, decisions, code):
    before = state(defined)
    with pytest.raises(InvalidInput) as exc:
        respond(officer, defined, decisions=decisions)
    assert exc.value.code == code
    assert state(defined) == before


def test_an_unknown_root_cause_is_refused(defined, officer):
    before = state(defined)
    with pytest.raises(InvalidInput) as exc:
        respond(
            officer,
            defined,
            decisions={1: ("upheld", "x"), 2: ("upheld", "y")},
            root_causes=["bad_luck"],
        )
    assert exc.value.code == "invalid_root_cause"
    assert state(defined) == before


def test_a_point_added_later_must_also_be_decided(defined, officer):
    services.stage_point_add(
        acting_user=officer, complaint=defined, summary="Rubbish left.", outcome_sought="Clear."
    )
    before = state(defined)
    with pytest.raises(StepRefused) as exc:
        respond(officer, defined, decisions={1: ("upheld", "x"), 2: ("upheld", "y")})
    assert exc.value.code == "point_undecided"
    assert "Point 3" in exc.value.message
    assert state(defined) == before


def test_a_stage_without_a_definition_cannot_be_answered(defined, officer):
    # Acknowledgement needs points, so only a record changed outside the services (an old
    # import) can lack them; the response still refuses rather than answer nothing (6.9).
    Decision.objects.all().delete()
    Stage.objects.get(complaint=defined).points.all().delete()
    before = state(defined)
    for decisions in ({}, {1: ("upheld", "x")}):
        with pytest.raises(StepRefused) as exc:
            respond(officer, defined, decisions=decisions)
        assert exc.value.code == "definition_missing"
        assert "Code 5.6" in exc.value.message
        assert state(defined) == before
    with pytest.raises(StepRefused) as exc:
        services.response_draft_submit(
            acting_user=officer, complaint=defined, decisions={}, on=D(2026, 1, 5)
        )
    assert exc.value.code == "definition_missing"

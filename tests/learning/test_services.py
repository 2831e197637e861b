"""The learning services: every refusal, the history they write, and the quarterly snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import ComplaintEvent
from putright.core.errors import DomainError, InvalidInput, StepRefused
from putright.learning import services
from putright.learning.models import (
    ActionUpdate,
    LearningEvent,
    LessonStatus,
    QuarterSnapshot,
    Rag,
    SnapshotRow,
)
from tests.learning.conftest import lesson, log_complaint, plan

pytestmark = pytest.mark.django_db
D = dt.date


def codes(error: DomainError) -> set[str]:
    return {problem.code for problem in error.every()}


# --- Lessons -------------------------------------------------------------------------------------


def test_a_lesson_from_two_complaints_is_written_to_each_complaints_history(
    manager, handler, complaint, damp, property_services
):
    other = log_complaint(handler, day=6)
    recorded = lesson(
        manager, complaints=[complaint, other], category=damp, business_area=property_services
    )

    assert recorded.status == LessonStatus.IDENTIFIED
    assert set(recorded.complaints.all()) == {complaint, other}
    for linked in (complaint, other):
        event = ComplaintEvent.objects.get(
            complaint=linked, action=ComplaintEvent.Action.LESSON_LINKED
        )
        assert event.actor == manager
        assert recorded.title in event.summary
    event = LearningEvent.objects.get(lesson=recorded)
    assert event.action == LearningEvent.Action.LESSON_RECORDED
    assert event.actor == manager and event.happened_on == D(2026, 2, 10)
    assert event.changes["complaints"] == [None, sorted([complaint.reference, other.reference])]
    assert event.changes["root_cause"] == [None, "quality_of_work"]


def test_a_lesson_without_the_essentials_is_refused_with_every_problem(manager, today):
    with pytest.raises(InvalidInput) as refused:
        services.lesson_record(
            acting_user=manager,
            title=" ",
            what_happened="",
            root_cause="bad luck",
            learning="",
            owner=None,
        )
    assert codes(refused.value) == {
        "title_missing",
        "what_happened_missing",
        "learning_missing",
        "root_cause_invalid",
        "owner_missing",
    }


def test_a_lesson_cannot_be_identified_in_the_future(manager, today):
    with pytest.raises(InvalidInput) as refused:
        lesson(manager, identified_on=D(2026, 2, 11))
    assert codes(refused.value) == {"identified_on_in_future"}


def test_an_inactive_owner_is_refused(manager, handler, today):
    handler.is_active = False
    handler.save()
    with pytest.raises(StepRefused) as refused:
        lesson(manager, owner=handler)
    assert codes(refused.value) == {"owner_inactive"}


def test_a_lesson_is_not_done_without_a_change_recorded(manager, today):
    with pytest.raises(StepRefused) as refused:
        lesson(manager, status=LessonStatus.EMBEDDED, done_on=D(2026, 2, 1))
    assert codes(refused.value) == {"done_without_change"}


def test_done_needs_a_date_not_before_identified_and_not_in_the_future(manager, today):
    with pytest.raises(DomainError) as refused:
        lesson(manager, status=LessonStatus.EMBEDDED, change_made="Surveys first.")
    assert codes(refused.value) == {"done_on_missing"}
    with pytest.raises(StepRefused) as refused:
        lesson(
            manager, status=LessonStatus.EMBEDDED, change_made="Surveys.", done_on=D(2026, 1, 19)
        )
    assert codes(refused.value) == {"done_before_identified"}
    with pytest.raises(DomainError) as refused:
        lesson(manager, status=LessonStatus.EMBEDDED, change_made="Surveys.", done_on=D(2026, 3, 1))
    assert codes(refused.value) == {"done_on_in_future"}


def test_a_date_done_is_refused_on_a_lesson_not_done(manager, today):
    with pytest.raises(StepRefused) as refused:
        lesson(manager, status=LessonStatus.IN_PROGRESS, done_on=D(2026, 2, 1))
    assert codes(refused.value) == {"done_date_not_done"}


def test_updating_a_lesson_to_embedded_records_the_change_and_the_old_values(manager, today):
    recorded = lesson(manager)
    services.lesson_update(
        acting_user=manager,
        lesson=recorded,
        status=LessonStatus.EMBEDDED,
        change_made="Every damp job now starts with a survey.",
        done_on=D(2026, 2, 9),
    )
    recorded.refresh_from_db()
    assert recorded.status == LessonStatus.EMBEDDED and recorded.done_on == D(2026, 2, 9)
    event = LearningEvent.objects.filter(lesson=recorded).latest("id")
    assert event.action == LearningEvent.Action.LESSON_UPDATED
    assert event.changes["status"] == ["identified", "embedded"]
    assert event.changes["done_on"] == [None, "2026-02-09"]


def test_reopening_an_embedded_lesson_drops_its_date_done(manager, today):
    recorded = lesson(
        manager, status=LessonStatus.EMBEDDED, change_made="Surveys.", done_on=D(2026, 2, 1)
    )
    services.lesson_update(acting_user=manager, lesson=recorded, status=LessonStatus.IN_PROGRESS)
    recorded.refresh_from_db()
    assert recorded.status == LessonStatus.IN_PROGRESS and recorded.done_on is None


def test_an_embedded_lesson_cannot_go_back_to_identified(manager, today):
    recorded = lesson(
        manager, status=LessonStatus.EMBEDDED, change_made="Surveys.", done_on=D(2026, 2, 1)
    )
    with pytest.raises(StepRefused) as refused:
        services.lesson_update(acting_user=manager, lesson=recorded, status=LessonStatus.IDENTIFIED)
    assert codes(refused.value) == {"lesson_move_refused"}


def test_linking_a_complaint_later_writes_its_history_once(manager, complaint, today):
    recorded = lesson(manager)
    for _ in range(2):
        services.lesson_update(acting_user=manager, lesson=recorded, complaints=[complaint])
    assert (
        ComplaintEvent.objects.filter(
            complaint=complaint, action=ComplaintEvent.Action.LESSON_LINKED
        ).count()
        == 1
    )
    # The second call changed nothing, so wrote no event.
    assert LearningEvent.objects.filter(lesson=recorded).count() == 2


# --- The plan -------------------------------------------------------------------------------------


@pytest.fixture
def goal(manager, today):
    return services.goal_add(acting_user=manager, plan=plan(manager), title="People")


def add_action(manager, goal, **overrides):
    fields = {
        "acting_user": manager,
        "goal": goal,
        "description": "Complaint handling training for every service manager.",
        "lead": manager,
        "due_on": D(2026, 3, 31),
        **overrides,
    }
    return services.plan_action_add(**fields)


def test_one_plan_a_year(manager, today):
    plan(manager)
    with pytest.raises(StepRefused) as refused:
        plan(manager)
    assert codes(refused.value) == {"plan_exists"}
    with pytest.raises(InvalidInput):
        services.plan_create(acting_user=manager, year=25)


def test_goals_and_actions_are_numbered_in_turn(manager, goal):
    second = services.goal_add(acting_user=manager, plan=goal.plan, title="Systems")
    first_action, second_action = add_action(manager, goal), add_action(manager, goal)
    assert (goal.number, second.number) == (1, 2)
    assert (first_action.number, second_action.number) == (1, 2)
    with pytest.raises(InvalidInput):
        services.goal_add(acting_user=manager, plan=goal.plan, title="")


def test_an_action_starts_with_its_first_update(manager, goal):
    action = add_action(manager, goal, percent_complete=10, rag=Rag.AMBER, rag_reason="Late start")
    update = ActionUpdate.objects.get(action=action)
    assert (update.percent_complete, update.rag, update.rag_reason) == (10, "amber", "Late start")
    assert update.happened_on == D(2026, 2, 10) and update.by == manager
    assert action.progress_on == D(2026, 2, 10)


def test_an_action_without_a_description_lead_or_due_date_is_refused(manager, goal):
    with pytest.raises(InvalidInput) as refused:
        add_action(manager, goal, description="", lead=None, due_on=None)
    assert codes(refused.value) == {"description_missing", "lead_missing", "due_on_missing"}


@pytest.mark.parametrize(
    ("percent", "rag", "reason", "code"),
    [
        (101, Rag.GREEN, "", "percent_out_of_range"),
        (-1, Rag.GREEN, "", "percent_out_of_range"),
        (50, Rag.RED, "", "rag_reason_missing"),
        (50, Rag.AMBER, "  ", "rag_reason_missing"),
        (90, Rag.COMPLETE, "", "complete_not_100"),
        (50, "purple", "", "rag_invalid"),
        ("fifty", Rag.GREEN, "", "percent_invalid"),
    ],
)
def test_progress_refusals(manager, goal, percent, rag, reason, code):
    action = add_action(manager, goal)
    with pytest.raises(DomainError) as refused:
        services.plan_action_progress(
            acting_user=manager,
            action=action,
            percent_complete=percent,
            rag=rag,
            rag_reason=reason,
            note="Training booked.",
        )
    assert codes(refused.value) == {code}
    action.refresh_from_db()
    assert (action.percent_complete, action.rag) == (0, "green")
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_the_same_refusals_when_an_action_is_added(manager, goal):
    with pytest.raises(StepRefused) as refused:
        add_action(manager, goal, percent_complete=20, rag=Rag.RED)
    assert codes(refused.value) == {"rag_reason_missing"}


def test_a_progress_update_needs_a_note_and_a_date_not_before_the_latest(manager, goal, set_today):
    action = add_action(manager, goal)
    with pytest.raises(InvalidInput) as refused:
        services.plan_action_progress(
            acting_user=manager, action=action, percent_complete=10, rag=Rag.GREEN, note=""
        )
    assert codes(refused.value) == {"note_missing"}
    with pytest.raises(StepRefused) as refused:
        services.plan_action_progress(
            acting_user=manager,
            action=action,
            percent_complete=10,
            rag=Rag.GREEN,
            note="Booked.",
            on=D(2026, 2, 9),
        )
    assert codes(refused.value) == {"update_before_latest"}
    with pytest.raises(InvalidInput) as refused:
        services.plan_action_progress(
            acting_user=manager,
            action=action,
            percent_complete=10,
            rag=Rag.GREEN,
            note="Booked.",
            on=D(2026, 2, 11),
        )
    assert codes(refused.value) == {"on_in_future"}


def test_the_actions_values_are_the_latest_updates(manager, goal, set_today):
    action = add_action(manager, goal)
    set_today(D(2026, 2, 20))
    services.plan_action_progress(
        acting_user=manager,
        action=action,
        percent_complete=40,
        rag=Rag.RED,
        rag_reason="The trainer cancelled.",
        note="Course moved to March.",
    )
    assert (action.percent_complete, action.rag, action.rag_reason) == (
        40,
        "red",
        "The trainer cancelled.",
    )
    assert action.progress_on == D(2026, 2, 20)
    event = LearningEvent.objects.filter(plan_action=action).latest("id")
    assert event.action == LearningEvent.Action.PROGRESS_UPDATED
    assert event.changes["percent_complete"] == [0, 40]
    assert event.changes["rag"] == ["green", "red"]


def test_changing_an_action_links_lessons_and_is_recorded(manager, goal):
    action = add_action(manager, goal)
    learned = lesson(manager)
    services.plan_action_change(
        acting_user=manager,
        action=action,
        description=action.description,
        lead=action.lead,
        due_on=D(2026, 6, 30),
        lessons=[learned],
    )
    assert list(action.lessons.all()) == [learned]
    event = LearningEvent.objects.filter(plan_action=action).latest("id")
    assert event.changes == {
        "due_on": ["2026-03-31", "2026-06-30"],
        "lessons": [[], [learned.pk]],
    }


# --- The quarterly snapshot -----------------------------------------------------------------------


def test_a_snapshot_keeps_each_actions_values_at_the_quarters_end(manager, set_today):
    set_today(D(2025, 12, 1))
    the_plan = plan(manager)
    goal = services.goal_add(acting_user=manager, plan=the_plan, title="People")
    training = add_action(manager, goal, percent_complete=20, rag=Rag.GREEN)
    panel = add_action(manager, goal, description="Set up a residents' panel.")
    set_today(D(2025, 12, 31))
    services.plan_action_progress(
        acting_user=manager,
        action=panel,
        percent_complete=10,
        rag=Rag.AMBER,
        rag_reason="No residents have come forward yet.",
        note="Advertised in the newsletter.",
    )
    set_today(D(2026, 1, 5))  # after the quarter's end: these must not show in Q3
    services.plan_action_progress(
        acting_user=manager, action=training, percent_complete=100, rag=Rag.COMPLETE, note="Done."
    )
    late = add_action(manager, goal, description="Added in January.")

    taken, created = services.plan_snapshot_take(acting_user=manager, plan=the_plan, quarter=3)

    assert created and taken.quarter_end == D(2025, 12, 31)
    rows = {
        row.action_id: (row.percent_complete, row.rag, row.rag_reason, row.progress_on)
        for row in taken.rows.all()
    }
    assert rows == {
        training.pk: (20, "green", "", D(2025, 12, 1)),
        panel.pk: (10, "amber", "No residents have come forward yet.", D(2025, 12, 31)),
    }
    assert late.pk not in rows
    assert (
        LearningEvent.objects.filter(
            plan=the_plan, action=LearningEvent.Action.SNAPSHOT_TAKEN
        ).count()
        == 1
    )


def test_taking_a_quarters_snapshot_again_returns_the_one_stored(manager, set_today):
    set_today(D(2025, 12, 1))
    the_plan = plan(manager)
    goal = services.goal_add(acting_user=manager, plan=the_plan, title="People")
    action = add_action(manager, goal, percent_complete=20)
    set_today(D(2026, 1, 5))
    first, created = services.plan_snapshot_take(acting_user=manager, plan=the_plan, quarter=3)
    services.plan_action_progress(
        acting_user=manager, action=action, percent_complete=60, rag=Rag.GREEN, note="On track."
    )
    again, created_again = services.plan_snapshot_take(
        acting_user=manager, plan=the_plan, quarter=3
    )

    assert created and not created_again and again.pk == first.pk
    assert QuarterSnapshot.objects.count() == 1 and SnapshotRow.objects.count() == 1
    assert SnapshotRow.objects.get().percent_complete == 20
    assert LearningEvent.objects.filter(action=LearningEvent.Action.SNAPSHOT_TAKEN).count() == 1


def test_a_quarter_not_yet_ended_has_no_snapshot(manager, today):
    the_plan = plan(manager)  # today is 10 February 2026: Q4 ends on 31 March 2026
    with pytest.raises(StepRefused) as refused:
        services.plan_snapshot_take(acting_user=manager, plan=the_plan, quarter=4)
    assert codes(refused.value) == {"quarter_not_ended"}
    with pytest.raises(InvalidInput):
        services.plan_snapshot_take(acting_user=manager, plan=the_plan, quarter=5)


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2026, 3, 31), 2025), (D(2026, 4, 1), 2026), (D(2025, 12, 31), 2025)],
)
def test_financial_year_of(day, year):
    assert services.financial_year_of(day) == year


def test_quarter_ends():
    assert [services.quarter_end(2025, q) for q in (1, 2, 3, 4)] == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
        D(2026, 3, 31),
    ]


def test_the_sweep_takes_each_ended_quarter_once(manager, set_today):
    set_today(D(2025, 5, 1))
    the_plan = plan(manager)
    goal = services.goal_add(acting_user=manager, plan=the_plan, title="People")
    add_action(manager, goal)
    set_today(D(2026, 1, 2))
    assert services.plan_snapshots_sweep() == 3  # Q1, Q2 and Q3 have ended; Q4 has not
    assert services.plan_snapshots_sweep() == 0
    assert list(the_plan.snapshots.values_list("quarter", flat=True)) == [1, 2, 3]
    assert the_plan.snapshots.get(quarter=1).taken_by is None
    assert the_plan.snapshots.get(quarter=1).rows.count() == 1

"""Every change to lessons learned and the service improvement plan (Code 9.1 to 9.4).

Each service checks its own preconditions and refuses an invalid step with ``StepRefused``
(``InvalidInput`` for a missing or malformed value), every problem found at once so a form shows
them all; it runs in one transaction and appends one ``LearningEvent`` saying who did it and when.
A lesson linked to a complaint also writes to that complaint's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery

from putright.complaints.models import Complaint, RootCause
from putright.complaints.services import lesson_history_record
from putright.core import clock
from putright.core.errors import InvalidInput, Problems, StepRefused
from putright.core.history import created, diff, snapshot
from putright.learning.models import (
    NEEDS_REASON,
    ActionUpdate,
    Goal,
    ImprovementPlan,
    LearningEvent,
    Lesson,
    LessonStatus,
    PlanAction,
    QuarterSnapshot,
    Rag,
    SnapshotRow,
)
from putright.organisation.models import BusinessArea, Category

LESSON_FIELDS = [
    "title",
    "what_happened",
    "root_cause",
    "learning",
    "change_made",
    "owner",
    "status",
    "identified_on",
    "done_on",
    "category",
    "business_area",
]
ACTION_FIELDS = ["description", "lead", "due_on"]
PROGRESS_FIELDS = ["percent_complete", "rag", "rag_reason", "progress_on"]

# Which status a lesson may move to from each: done may be re-opened when the change did not
# hold (the lesson goes back in progress and loses its date done).
LESSON_MOVES: dict[str, frozenset[str]] = {
    LessonStatus.IDENTIFIED: frozenset({LessonStatus.IN_PROGRESS, LessonStatus.EMBEDDED}),
    LessonStatus.IN_PROGRESS: frozenset({LessonStatus.IDENTIFIED, LessonStatus.EMBEDDED}),
    LessonStatus.EMBEDDED: frozenset({LessonStatus.IN_PROGRESS}),
}


# Financial years and quarters (DESIGN.md section 6: 1 April to 31 March, Q1 April to June) ----


def financial_year_of(day: date) -> int:
    """The year a financial year starts in: 10 February 2026 is in 2025 (2025 to 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_end(year: int, quarter: int) -> date:
    """The last day of ``quarter`` (1 to 4) of the financial year starting in ``year``."""
    return {
        1: dt.date(year, 6, 30),
        2: dt.date(year, 9, 30),
        3: dt.date(year, 12, 31),
        4: dt.date(year + 1, 3, 31),
    }[quarter]


# Checks ------------------------------------------------------------------------------------------


def _text(problems: Problems, value: Any, *, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if not text:
        problems.add(InvalidInput(f"{field}_missing", message, field=field))
        return ""
    return text


def _day(problems: Problems, value: Any, *, field: str, what: str) -> date | None:
    if value is None:
        problems.add(InvalidInput(f"{field}_missing", f"Enter {what}.", field=field))
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, date):
        problems.add(InvalidInput(f"{field}_invalid", f"Enter {what} as a date.", field=field))
        return None
    return value


def _not_future(problems: Problems, value: date | None, *, field: str, what: str) -> None:
    if value is not None and value > clock.today():
        problems.add(
            InvalidInput(f"{field}_in_future", f"{what} cannot be in the future.", field=field)
        )


def _staff(problems: Problems, user: Any, *, field: str, message: str) -> None:
    """An active member of staff (owner of a lesson, lead of an action)."""
    if getattr(user, "pk", None) is None or not isinstance(user, get_user_model()):
        problems.add(InvalidInput(f"{field}_missing", message, field=field))
    elif not user.is_active:
        problems.add(
            StepRefused(
                f"{field}_inactive",
                f"{user} no longer has an active account: choose someone who does.",
                field=field,
            )
        )


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _choice(problems: Problems, value: Any, choices: Any, *, field: str, message: str) -> str:
    value = _plain(value)
    if value not in choices.values:
        problems.add(InvalidInput(f"{field}_invalid", message, field=field))
        return ""
    return value


def _rag(
    problems: Problems, *, percent_complete: Any, rag: Any, rag_reason: str
) -> tuple[int, str, str]:
    """The Code's plan conventions: 0 to 100 per cent; red and amber say why; complete is
    100 per cent (a finished action may still be shown green, as plans often do)."""
    rag = _choice(problems, rag, Rag, field="rag", message="Select a RAG status.")
    reason = (rag_reason or "").strip()
    if isinstance(percent_complete, bool) or not isinstance(percent_complete, int):
        problems.add(
            InvalidInput(
                "percent_invalid",
                "Enter the percentage complete as a whole number from 0 to 100.",
                field="percent_complete",
            )
        )
        return 0, rag, reason
    if not 0 <= percent_complete <= 100:
        problems.add(
            StepRefused(
                "percent_out_of_range",
                "The percentage complete must be from 0 to 100.",
                field="percent_complete",
            )
        )
    if rag in NEEDS_REASON and not reason:
        problems.add(
            StepRefused(
                "rag_reason_missing",
                f"Say why the action is {rag}: a red or amber status needs a reason.",
                field="rag_reason",
            )
        )
    if rag == Rag.COMPLETE and percent_complete != 100:
        problems.add(
            StepRefused(
                "complete_not_100",
                "An action marked complete is 100% complete: change the percentage or the status.",
                field="percent_complete",
            )
        )
    return percent_complete, rag, reason


# Lessons -----------------------------------------------------------------------------------------


def _check_lesson(fields: dict[str, Any], *, before: str | None = None) -> dict[str, Any]:
    """Check a lesson's values as a whole; ``before`` is its status before this change."""
    problems = Problems()
    checked = dict(fields)
    checked["title"] = _text(
        problems, fields.get("title"), field="title", message="Enter a short title for the lesson."
    )
    checked["what_happened"] = _text(
        problems,
        fields.get("what_happened"),
        field="what_happened",
        message="Enter what happened.",
    )
    checked["learning"] = _text(
        problems, fields.get("learning"), field="learning", message="Enter the learning."
    )
    checked["change_made"] = (fields.get("change_made") or "").strip()
    checked["root_cause"] = _choice(
        problems,
        fields.get("root_cause"),
        RootCause,
        field="root_cause",
        message="Select the root cause.",
    )
    status = _choice(
        problems,
        fields.get("status"),
        LessonStatus,
        field="status",
        message="Select the lesson's status.",
    )
    checked["status"] = status
    _staff(problems, fields.get("owner"), field="owner", message="Select who owns the lesson.")
    identified_on = _day(
        problems, fields.get("identified_on"), field="identified_on", what="the date identified"
    )
    _not_future(problems, identified_on, field="identified_on", what="The date identified")
    category = fields.get("category")
    if category is not None and not isinstance(category, Category):
        problems.add(InvalidInput("category_invalid", "Select a category.", field="category"))
    area = fields.get("business_area")
    if area is not None and not isinstance(area, BusinessArea):
        problems.add(
            InvalidInput("business_area_invalid", "Select a business area.", field="business_area")
        )
    if before is not None and status and status != before and status not in LESSON_MOVES[before]:
        problems.add(
            StepRefused(
                "lesson_move_refused",
                f"A lesson that is {LessonStatus(before).label.lower()} cannot be moved to "
                f"{LessonStatus(status).label.lower()}.",
                field="status",
            )
        )
    done_on = fields.get("done_on")
    if status == LessonStatus.EMBEDDED:
        if not checked["change_made"]:
            problems.add(
                StepRefused(
                    "done_without_change",
                    "A lesson is embedded only once a change has been made: record the change "
                    "made.",
                    field="change_made",
                )
            )
        done_on = _day(problems, done_on, field="done_on", what="the date the change was made")
        _not_future(problems, done_on, field="done_on", what="The date done")
        if done_on and identified_on and done_on < identified_on:
            problems.add(
                StepRefused(
                    "done_before_identified",
                    "The date done cannot be before the date the lesson was identified.",
                    field="done_on",
                )
            )
    elif done_on is not None:
        problems.add(
            StepRefused(
                "done_date_not_done",
                "Only an embedded lesson has a date done: clear the date or mark it embedded.",
                field="done_on",
            )
        )
    checked["done_on"] = done_on if status == LessonStatus.EMBEDDED else None
    problems.raise_any()
    return checked


def _link_complaints(
    lesson: Lesson, complaints: Iterable[Complaint], *, acting_user: Any, on: date
) -> list[str]:
    """Link the complaints not yet linked, writing each one's history; their references."""
    already = set(lesson.complaints.values_list("pk", flat=True))
    new = [complaint for complaint in complaints if complaint.pk not in already]
    if not new:
        return []
    lesson.complaints.add(*new)
    for complaint in new:
        lesson_history_record(
            acting_user=acting_user,
            complaint=complaint,
            on=on,
            summary=f"Lesson {lesson.reference} recorded: {lesson.title}",
            changes={"lesson": [None, {"id": lesson.pk, "label": lesson.title}]},
        )
    return [complaint.reference for complaint in new]


@transaction.atomic
def lesson_record(
    *,
    acting_user: Any,
    title: str,
    what_happened: str,
    root_cause: str,
    learning: str,
    owner: Any,
    identified_on: date | None = None,
    change_made: str = "",
    status: str = LessonStatus.IDENTIFIED,
    done_on: date | None = None,
    category: Category | None = None,
    business_area: BusinessArea | None = None,
    complaints: Iterable[Complaint] = (),
) -> Lesson:
    """Record a lesson learned, from one complaint, several or none (a theme seen elsewhere)."""
    fields = _check_lesson(
        {
            "title": title,
            "what_happened": what_happened,
            "root_cause": root_cause,
            "learning": learning,
            "change_made": change_made,
            "owner": owner,
            "status": status,
            "identified_on": identified_on or clock.today(),
            "done_on": done_on,
            "category": category,
            "business_area": business_area,
        }
    )
    lesson = Lesson.objects.create(**fields)
    references = _link_complaints(
        lesson, list(complaints), acting_user=acting_user, on=clock.today()
    )
    changes = created(snapshot(lesson, LESSON_FIELDS))
    if references:
        changes["complaints"] = [None, references]
    LearningEvent.write(
        lesson=lesson,
        on=clock.today(),
        acting_user=acting_user,
        action=LearningEvent.Action.LESSON_RECORDED,
        summary=f"Lesson {lesson.reference} recorded",
        changes=changes,
    )
    return lesson


@transaction.atomic
def lesson_update(
    *,
    acting_user: Any,
    lesson: Lesson,
    complaints: Iterable[Complaint] | None = None,
    **values: Any,
) -> Lesson:
    """Change a lesson: any of ``LESSON_FIELDS`` given, and the complaints linked when
    ``complaints`` is given (links are only added: a lesson learned from a complaint stays
    learned from it, and the complaint's history already says so)."""
    unknown = set(values) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"lesson_update() cannot change {sorted(unknown)}")
    locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
    before = snapshot(locked, LESSON_FIELDS)
    current = {name: getattr(locked, name) for name in LESSON_FIELDS}
    # Re-opening a done lesson drops its date done unless a new one is given.
    if values.get("status") not in (None, LessonStatus.EMBEDDED) and "done_on" not in values:
        current["done_on"] = None
    fields = _check_lesson({**current, **values}, before=locked.status)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    references = (
        _link_complaints(locked, list(complaints), acting_user=acting_user, on=clock.today())
        if complaints is not None
        else []
    )
    changes = diff(before, snapshot(locked, LESSON_FIELDS))
    if references:
        changes["complaints"] = [None, references]
    if changes:
        LearningEvent.write(
            lesson=locked,
            on=clock.today(),
            acting_user=acting_user,
            action=LearningEvent.Action.LESSON_UPDATED,
            summary=f"Lesson {locked.reference} updated",
            changes=changes,
        )
    lesson.refresh_from_db()
    return locked


# The improvement plan ----------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, acting_user: Any, year: int, title: str = "") -> ImprovementPlan:
    """Start the service improvement plan for the financial year starting in ``year``."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(
            "year_invalid",
            "Enter the year the plan's financial year starts, like 2025.",
            field="year",
        )
    if ImprovementPlan.objects.filter(year=year).exists():
        raise StepRefused(
            "plan_exists",
            f"There is already a plan for {year} to {year + 1}: add goals to it instead.",
            field="year",
        )
    plan = ImprovementPlan.objects.create(year=year, title=(title or "").strip())
    LearningEvent.write(
        plan=plan,
        on=clock.today(),
        acting_user=acting_user,
        action=LearningEvent.Action.PLAN_CREATED,
        summary=f"Plan for {plan.year_label} created",
        changes=created(snapshot(plan, ["year", "title"])),
    )
    return plan


@transaction.atomic
def goal_add(*, acting_user: Any, plan: ImprovementPlan, title: str, description: str = "") -> Goal:
    """Add a goal to a plan, numbered after the last."""
    problems = Problems()
    title = _text(problems, title, field="title", message="Enter the goal.")
    problems.raise_any()
    plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    number = (plan.goals.aggregate(last=Max("number"))["last"] or 0) + 1
    goal = Goal.objects.create(
        plan=plan, number=number, title=title, description=(description or "").strip()
    )
    LearningEvent.write(
        plan=plan,
        on=clock.today(),
        acting_user=acting_user,
        action=LearningEvent.Action.GOAL_ADDED,
        summary=f"Goal {number} added: {title}",
        changes=created(snapshot(goal, ["number", "title", "description"])),
    )
    return goal


def _check_action(
    problems: Problems, *, description: Any, lead: Any, due_on: Any
) -> tuple[str, date | None]:
    description = _text(
        problems, description, field="description", message="Enter what the action is."
    )
    _staff(problems, lead, field="lead", message="Select who leads the action.")
    due = _day(problems, due_on, field="due_on", what="the date the action is due")
    return description, due


def _lessons(lessons: Iterable[Lesson]) -> list[Lesson]:
    lessons = list(lessons)
    if any(not isinstance(lesson, Lesson) for lesson in lessons):
        raise InvalidInput("lessons_invalid", "Select lessons from the register.", field="lessons")
    return lessons


@transaction.atomic
def plan_action_add(
    *,
    acting_user: Any,
    goal: Goal,
    description: str,
    lead: Any,
    due_on: date,
    percent_complete: int = 0,
    rag: str = Rag.GREEN,
    rag_reason: str = "",
    note: str = "",
    lessons: Iterable[Lesson] = (),
    on: date | None = None,
) -> PlanAction:
    """Add an action to a goal, with its starting progress as its first update."""
    problems = Problems()
    description, due = _check_action(problems, description=description, lead=lead, due_on=due_on)
    percent, rag, reason = _rag(
        problems, percent_complete=percent_complete, rag=rag, rag_reason=rag_reason
    )
    on = _day(problems, on or clock.today(), field="on", what="the date")
    _not_future(problems, on, field="on", what="The date")
    problems.raise_any()
    lessons = _lessons(lessons)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    number = (goal.actions.aggregate(last=Max("number"))["last"] or 0) + 1
    action = PlanAction.objects.create(
        goal=goal,
        number=number,
        description=description,
        lead=lead,
        due_on=due,
        percent_complete=percent,
        rag=rag,
        rag_reason=reason,
        progress_on=on,
    )
    action.lessons.set(lessons)
    ActionUpdate.objects.create(
        action=action,
        happened_on=on,
        by=acting_user,
        percent_complete=percent,
        rag=rag,
        rag_reason=reason,
        note=(note or "").strip() or "Action added to the plan.",
    )
    changes = created(snapshot(action, [*ACTION_FIELDS, *PROGRESS_FIELDS]))
    if lessons:
        changes["lessons"] = [None, [lesson.reference for lesson in lessons]]
    LearningEvent.write(
        plan_id=goal.plan_id,
        plan_action=action,
        on=on,
        acting_user=acting_user,
        action=LearningEvent.Action.ACTION_ADDED,
        summary=f"Action {goal.number}.{number} added",
        changes=changes,
    )
    return action


@transaction.atomic
def plan_action_change(
    *,
    acting_user: Any,
    action: PlanAction,
    description: str,
    lead: Any,
    due_on: date,
    lessons: Iterable[Lesson],
) -> PlanAction:
    """Change what an action is, who leads it, when it is due and the lessons behind it.
    Progress changes only through ``plan_action_progress``, so every change to it is dated."""
    problems = Problems()
    description, due = _check_action(problems, description=description, lead=lead, due_on=due_on)
    problems.raise_any()
    lessons = _lessons(lessons)
    locked = PlanAction.objects.select_for_update().select_related("goal").get(pk=action.pk)
    before = snapshot(locked, ACTION_FIELDS)
    lessons_before = sorted(locked.lessons.values_list("pk", flat=True))
    locked.description, locked.lead, locked.due_on = description, lead, due
    locked.save(update_fields=[*ACTION_FIELDS, "updated_at"])
    locked.lessons.set(lessons)
    changes = diff(before, snapshot(locked, ACTION_FIELDS))
    lessons_after = sorted(lesson.pk for lesson in lessons)
    if lessons_after != lessons_before:
        changes["lessons"] = [lessons_before, lessons_after]
    if changes:
        LearningEvent.write(
            plan_id=locked.goal.plan_id,
            plan_action=locked,
            on=clock.today(),
            acting_user=acting_user,
            action=LearningEvent.Action.ACTION_CHANGED,
            summary=f"Action {locked.goal.number}.{locked.number} changed",
            changes=changes,
        )
    return locked


@transaction.atomic
def plan_action_progress(
    *,
    acting_user: Any,
    action: PlanAction,
    percent_complete: int,
    rag: str,
    note: str,
    rag_reason: str = "",
    on: date | None = None,
) -> ActionUpdate:
    """Record a dated progress update; the action's current values become the update's."""
    locked = PlanAction.objects.select_for_update().select_related("goal").get(pk=action.pk)
    problems = Problems()
    percent, rag, reason = _rag(
        problems, percent_complete=percent_complete, rag=rag, rag_reason=rag_reason
    )
    note = _text(
        problems, note, field="note", message="Enter what has happened since the last update."
    )
    on = _day(problems, on or clock.today(), field="on", what="the date of the update")
    _not_future(problems, on, field="on", what="The date of the update")
    if on is not None and on < locked.progress_on:
        # Updates are a dated series: the latest is the action's current state, so none may be
        # slipped in before it.
        problems.add(
            StepRefused(
                "update_before_latest",
                f"The latest update is dated {locked.progress_on:%-d %B %Y}: an update cannot "
                "be dated before it.",
                field="on",
            )
        )
    problems.raise_any()
    before = snapshot(locked, PROGRESS_FIELDS)
    update = ActionUpdate.objects.create(
        action=locked,
        happened_on=on,
        by=acting_user,
        percent_complete=percent,
        rag=rag,
        rag_reason=reason,
        note=note,
    )
    locked.percent_complete, locked.rag, locked.rag_reason = percent, rag, reason
    locked.progress_on = on
    locked.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    LearningEvent.write(
        plan_id=locked.goal.plan_id,
        plan_action=locked,
        on=on,
        acting_user=acting_user,
        action=LearningEvent.Action.PROGRESS_UPDATED,
        summary=f"Action {locked.goal.number}.{locked.number}: {percent}%, {Rag(rag).label}",
        changes=diff(before, snapshot(locked, PROGRESS_FIELDS)),
    )
    action.refresh_from_db()
    return update


def plan_snapshot_take(
    *, acting_user: Any, plan: ImprovementPlan, quarter: int
) -> tuple[QuarterSnapshot, bool]:
    """Store every action's values at the end of ``quarter`` of the plan's year, once.

    Taken again, it returns the snapshot already stored (``created`` False) and writes nothing:
    the board's report of a quarter must not change after it was read. Each action's values are
    those of its latest update dated on or before the quarter's end, so a snapshot taken a few
    days late still shows the quarter's end; actions added after the quarter are left out.
    """
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput("quarter_invalid", "Choose a quarter from 1 to 4.", field="quarter")
    end = quarter_end(plan.year, quarter)
    existing = QuarterSnapshot.objects.filter(plan=plan, quarter=quarter).first()
    if existing is not None:
        return existing, False
    if end > clock.today():
        raise StepRefused(
            "quarter_not_ended",
            f"Quarter {quarter} of {plan.year_label} ends on {end:%-d %B %Y}: take its "
            "snapshot after that.",
            field="quarter",
        )
    try:
        with transaction.atomic():
            return _snapshot_write(acting_user=acting_user, plan=plan, quarter=quarter, end=end)
    except IntegrityError:
        # Two people took it at the same moment: the other one's stands.
        return QuarterSnapshot.objects.get(plan=plan, quarter=quarter), False


def _snapshot_write(
    *, acting_user: Any, plan: ImprovementPlan, quarter: int, end: date
) -> tuple[QuarterSnapshot, bool]:
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), happened_on__lte=end).order_by(
        "-happened_on", "-id"
    )
    actions = (
        PlanAction.objects.filter(goal__plan=plan, updates__happened_on__lte=end)
        .distinct()
        .select_related("goal", "lead")
        .annotate(
            at_percent=Subquery(latest.values("percent_complete")[:1]),
            at_rag=Subquery(latest.values("rag")[:1]),
            at_reason=Subquery(latest.values("rag_reason")[:1]),
            at_on=Subquery(latest.values("happened_on")[:1]),
        )
        .order_by("goal__number", "number")
    )
    taken = QuarterSnapshot.objects.create(
        plan=plan,
        quarter=quarter,
        quarter_end=end,
        taken_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    rows = SnapshotRow.objects.bulk_create(
        SnapshotRow(
            snapshot=taken,
            action=action,
            goal_number=action.goal.number,
            goal_title=action.goal.title,
            action_number=action.number,
            description=action.description,
            lead_name=str(action.lead),
            due_on=action.due_on,
            percent_complete=action.at_percent,
            rag=action.at_rag,
            rag_reason=action.at_reason,
            progress_on=action.at_on,
        )
        for action in actions
    )
    LearningEvent.write(
        plan=plan,
        on=clock.today(),
        acting_user=acting_user,
        action=LearningEvent.Action.SNAPSHOT_TAKEN,
        summary=f"Quarter {quarter} snapshot taken ({len(rows)} actions)",
        changes={"quarter": [None, quarter], "quarter_end": [None, end.isoformat()]},
    )
    return taken, True


def plan_snapshots_sweep(*, today: date | None = None) -> int:
    """Take the snapshot of every quarter that has ended, of every plan, that has none yet;
    how many were taken. Idempotent (each quarter once), so a daily job may run it."""
    today = today or clock.today()
    taken = 0
    for plan in ImprovementPlan.objects.order_by("year"):
        done = set(plan.snapshots.values_list("quarter", flat=True))
        for quarter in (1, 2, 3, 4):
            if quarter not in done and quarter_end(plan.year, quarter) < today:
                _, created = plan_snapshot_take(acting_user=None, plan=plan, quarter=quarter)
                taken += created
    return taken

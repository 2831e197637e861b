"""Reading lessons and the improvement plan: a few set-based queries each, never one per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from putright.complaints.models import Complaint, RootCause
from putright.learning.models import (
    ActionUpdate,
    Goal,
    ImprovementPlan,
    LearningEvent,
    Lesson,
    PlanAction,
    QuarterSnapshot,
    Rag,
)
from putright.organisation.models import BusinessArea, Category

VIEW_COMPLAINT = "complaints.view_complaint"
VIEW_CONFIDENTIAL = "complaints.view_confidential"


@dataclass(frozen=True)
class LessonFilters:
    status: str = ""
    category_id: int | None = None
    business_area_id: int | None = None
    root_cause: str = ""
    year: int | None = None  # financial year starting in


def lessons_register(filters: LessonFilters | None = None) -> QuerySet[Lesson]:
    """Lessons matching ``filters``, newest identified first, with their owner, category and
    business area joined (the complaints come separately: ``complaint_links``)."""
    filters = filters or LessonFilters()
    lessons = Lesson.objects.select_related("owner", "category__parent", "business_area")
    if filters.status:
        lessons = lessons.filter(status=filters.status)
    if filters.category_id:
        # A top-level category takes in its sub-categories.
        lessons = lessons.filter(
            Q(category_id=filters.category_id) | Q(category__parent_id=filters.category_id)
        )
    if filters.business_area_id:
        lessons = lessons.filter(business_area_id=filters.business_area_id)
    if filters.root_cause:
        lessons = lessons.filter(root_cause=filters.root_cause)
    if filters.year:
        lessons = lessons.filter(
            identified_on__gte=dt.date(filters.year, 4, 1),
            identified_on__lte=dt.date(filters.year + 1, 3, 31),
        )
    return lessons.order_by("-identified_on", "-id")


def complaint_links(*, lesson_ids: list[int], user: Any) -> dict[int, dict[str, Any]]:
    """For each lesson: how many complaints it came from, and the references this person may
    see (none for anyone who cannot see complaints, such as a board member; confidential ones
    only for those who may see them). One query."""
    through = Lesson.complaints.through
    rows = through.objects.filter(lesson_id__in=lesson_ids).values_list(
        "lesson_id",
        "complaint__reference",
        "complaint__is_confidential",
        "complaint__handler_id",
    )
    sees_complaints = user.has_perm(VIEW_COMPLAINT)
    sees_confidential = user.has_perm(VIEW_CONFIDENTIAL)
    links: dict[int, dict[str, Any]] = {pk: {"count": 0, "references": []} for pk in lesson_ids}
    for lesson_id, reference, confidential, handler_id in rows.order_by("complaint__reference"):
        entry = links[lesson_id]
        entry["count"] += 1
        if sees_complaints and (not confidential or sees_confidential or handler_id == user.pk):
            entry["references"].append(reference)
    return links


@dataclass(frozen=True)
class ThemeCount:
    label: str
    count: int
    embedded: int


@dataclass
class Themes:
    total: int = 0
    by_root_cause: list[ThemeCount] = field(default_factory=list)
    by_category: list[ThemeCount] = field(default_factory=list)
    by_business_area: list[ThemeCount] = field(default_factory=list)


def _counts(lessons: QuerySet[Lesson], key: str, labels: dict[Any, str]) -> list[ThemeCount]:
    rows = (
        lessons.order_by()
        .values(key)
        .annotate(count=Count("id"), embedded=Count("id", filter=Q(status="embedded")))
    )
    counts = [
        ThemeCount(labels.get(row[key], "Not recorded"), row["count"], row["embedded"])
        for row in rows
    ]
    return sorted(counts, key=lambda theme: (-theme.count, theme.label))


def themes(lessons: QuerySet[Lesson]) -> Themes:
    """How many of ``lessons`` there are by root cause, by top-level category (sub-categories
    counted in their parent) and by business area, most common first: three grouped queries
    and the names of the categories and business areas."""
    lessons = lessons.select_related(None)
    result = Themes(by_root_cause=_counts(lessons, "root_cause", dict(RootCause.choices)))
    categories = dict(Category.objects.values_list("pk", "name"))
    # Group by the top-level category: a lesson filed under a sub-category counts in its parent.
    by_category: dict[Any, list[int]] = {}
    rows = (
        lessons.order_by()
        .values("category_id", "category__parent_id")
        .annotate(count=Count("id"), embedded=Count("id", filter=Q(status="embedded")))
    )
    for row in rows:
        top = row["category__parent_id"] or row["category_id"]
        counts = by_category.setdefault(top, [0, 0])
        counts[0] += row["count"]
        counts[1] += row["embedded"]
    result.by_category = sorted(
        (
            ThemeCount(categories.get(top, "Not recorded"), count, embedded)
            for top, (count, embedded) in by_category.items()
        ),
        key=lambda theme: (-theme.count, theme.label),
    )
    result.by_business_area = _counts(
        lessons, "business_area_id", dict(BusinessArea.objects.values_list("pk", "name"))
    )
    result.total = sum(theme.count for theme in result.by_root_cause)
    return result


def lesson_years() -> list[int]:
    """The financial years with a lesson identified in them, newest first."""
    days = Lesson.objects.order_by().values_list("identified_on", flat=True).distinct()
    return sorted({day.year if day.month >= 4 else day.year - 1 for day in days}, reverse=True)


def lesson_detail(pk: int) -> Lesson:
    return Lesson.objects.select_related("owner", "category__parent", "business_area").get(pk=pk)


def lesson_history(lesson: Lesson) -> QuerySet[LearningEvent]:
    return (
        LearningEvent.objects.filter(lesson=lesson)
        .select_related("actor")
        .order_by("-recorded_at", "-id")
    )


def lesson_plan_actions(lesson: Lesson) -> QuerySet[PlanAction]:
    return lesson.plan_actions.select_related("goal__plan").order_by(
        "-goal__plan__year", "goal__number", "number"
    )


def lessons_for_complaint(*, complaint: Complaint) -> QuerySet[Lesson]:
    """The lessons learned from a complaint, for its case page."""
    return (
        Lesson.objects.filter(complaints=complaint)
        .select_related("owner")
        .only("title", "status", "root_cause", "identified_on", "done_on", "owner__full_name")
        .order_by("-identified_on", "-id")
    )


# The improvement plan ----------------------------------------------------------------------------


def plans() -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.annotate(
        goal_count=Count("goals", distinct=True),
        action_count=Count("goals__actions", distinct=True),
    ).order_by("-year")


def rag_counts(actions: QuerySet[PlanAction]) -> dict[str, int]:
    """How many actions are at each RAG status (every status present, 0 when none)."""
    totals = actions.aggregate(
        **{value: Count("id", filter=Q(rag=value)) for value in Rag.values},
        total=Count("id"),
    )
    return totals


def plan_with_goals(year: int) -> tuple[ImprovementPlan, list[Goal]]:
    """The plan and its goals, each with its actions (lead and lessons loaded): four queries."""
    plan = ImprovementPlan.objects.get(year=year)
    actions = PlanAction.objects.select_related("lead").prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.only("id", "title"))
    )
    goals = list(
        Goal.objects.filter(plan=plan)
        .prefetch_related(Prefetch("actions", queryset=actions.order_by("number")))
        .order_by("number")
    )
    return plan, goals


def plan_action_detail(pk: int) -> PlanAction:
    return PlanAction.objects.select_related("goal__plan", "lead").get(pk=pk)


def action_updates(action: PlanAction) -> QuerySet[ActionUpdate]:
    return (
        ActionUpdate.objects.filter(action=action)
        .select_related("by")
        .order_by("-happened_on", "-id")
    )


def plan_snapshots(plan: ImprovementPlan) -> QuerySet[QuarterSnapshot]:
    return plan.snapshots.select_related("taken_by").annotate(
        action_count=Count("rows"),
        **{f"rag_{value}": Count("rows", filter=Q(rows__rag=value)) for value in Rag.values},
    )


def snapshot_detail(*, plan: ImprovementPlan, quarter: int) -> QuarterSnapshot:
    return QuarterSnapshot.objects.select_related("plan", "taken_by").get(
        plan=plan, quarter=quarter
    )

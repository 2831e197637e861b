"""The register's queries: hand-worked theme counts, filters, and who sees which references."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.learning import selectors, services
from putright.learning.models import LessonStatus, Rag
from putright.learning.selectors import LessonFilters, ThemeCount
from tests.learning.conftest import lesson, log_complaint, plan

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def six(manager, repairs, damp, asb, property_services, housing, today):
    """Six lessons, worked by hand:

    | lesson | root cause    | category            | business area | status      | identified |
    | 1      | delay         | damp (in repairs)   | property      | embedded    | 2026-01-10 |
    | 2      | delay         | repairs             | property      | identified  | 2026-01-20 |
    | 3      | delay         | neighbours          | housing       | in progress | 2025-05-01 |
    | 4      | communication | damp (in repairs)   | housing       | embedded    | 2025-04-01 |
    | 5      | communication | none                | none          | identified  | 2025-03-31 |
    | 6      | policy        | neighbours          | housing       | identified  | 2026-02-10 |
    """
    embedded = {"status": LessonStatus.EMBEDDED, "change_made": "Changed."}
    rows = [
        ("delay", damp, property_services, D(2026, 1, 10), embedded | {"done_on": D(2026, 2, 1)}),
        ("delay", repairs, property_services, D(2026, 1, 20), {}),
        ("delay", asb, housing, D(2025, 5, 1), {"status": LessonStatus.IN_PROGRESS}),
        ("communication", damp, housing, D(2025, 4, 1), embedded | {"done_on": D(2025, 6, 1)}),
        ("communication", None, None, D(2025, 3, 31), {}),
        ("policy", asb, housing, D(2026, 2, 10), {}),
    ]
    return [
        lesson(
            manager,
            title=f"Lesson {number}",
            root_cause=cause,
            category=category,
            business_area=area,
            identified_on=identified,
            **extra,
        )
        for number, (cause, category, area, identified, extra) in enumerate(rows, start=1)
    ]


def test_themes_count_by_root_cause_category_and_business_area(
    six, repairs, asb, property_services, housing
):
    themes = selectors.themes(selectors.lessons_register())

    assert themes.total == 6
    assert themes.by_root_cause == [
        ThemeCount("Delay", 3, 1),
        ThemeCount("Communication", 2, 1),
        ThemeCount("Policy", 1, 0),
    ]
    # Damp is a sub-category of repairs: lessons 1, 2 and 4 are all repairs.
    assert themes.by_category == [
        ThemeCount(repairs.name, 3, 2),
        ThemeCount(asb.name, 2, 0),
        ThemeCount("Not recorded", 1, 0),
    ]
    assert themes.by_business_area == [
        ThemeCount(housing.name, 3, 1),
        ThemeCount(property_services.name, 2, 1),
        ThemeCount("Not recorded", 1, 0),
    ]


def test_themes_follow_the_filters(six, repairs):
    themes = selectors.themes(selectors.lessons_register(LessonFilters(year=2025)))
    # 2025 to 2026: lessons 1, 2, 3, 4 and 6 (lesson 5 was identified on 31 March 2025).
    assert themes.total == 5
    assert themes.by_root_cause[0] == ThemeCount("Delay", 3, 1)
    themes = selectors.themes(selectors.lessons_register(LessonFilters(category_id=repairs.pk)))
    assert themes.total == 3


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (LessonFilters(status="embedded"), ["Lesson 1", "Lesson 4"]),
        (LessonFilters(root_cause="communication"), ["Lesson 4", "Lesson 5"]),
        (LessonFilters(year=2024), ["Lesson 5"]),
        (LessonFilters(root_cause="delay", year=2025), ["Lesson 2", "Lesson 1", "Lesson 3"]),
    ],
)
def test_register_filters(six, filters, titles):
    assert [row.title for row in selectors.lessons_register(filters)] == titles


def test_business_area_filter(six, property_services):
    filters = LessonFilters(business_area_id=property_services.pk)
    assert [row.title for row in selectors.lessons_register(filters)] == ["Lesson 2", "Lesson 1"]


def test_lesson_years(six):
    assert selectors.lesson_years() == [2025, 2024]


def test_complaint_links_show_references_only_to_those_who_may_see_them(
    manager, handler, board, today
):
    open_one = log_complaint(handler, day=5)
    secret = log_complaint(handler, day=6, confidential=True)
    learned = lesson(manager, complaints=[open_one, secret])
    from tests.accounts.helpers import make_staff

    colleague = make_staff("Case handler", email="colin@example.org", full_name="Colin Colleague")

    def seen(user):
        return selectors.complaint_links(lesson_ids=[learned.pk], user=user)[learned.pk]

    both = sorted([open_one.reference, secret.reference])
    assert seen(manager) == {"count": 2, "references": both}
    assert seen(handler) == {"count": 2, "references": both}  # handles the confidential one
    assert seen(colleague) == {"count": 2, "references": [open_one.reference]}
    assert seen(board) == {"count": 2, "references": []}


def test_rag_counts(manager, today):
    goal = services.goal_add(acting_user=manager, plan=plan(manager), title="People")
    for percent, rag, reason in [
        (10, Rag.RED, "Stuck."),
        (20, Rag.AMBER, "Slow."),
        (30, Rag.AMBER, "Slow."),
        (100, Rag.COMPLETE, ""),
    ]:
        services.plan_action_add(
            acting_user=manager,
            goal=goal,
            description="x",
            lead=manager,
            due_on=D(2026, 3, 31),
            percent_complete=percent,
            rag=rag,
            rag_reason=reason,
        )
    counts = selectors.rag_counts(goal.actions.all())
    assert counts == {"red": 1, "amber": 2, "green": 0, "complete": 1, "total": 4}

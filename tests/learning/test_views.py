"""The lessons register, a lesson's forms and the improvement plan through Django's test client:
who may read and who may change, what the board sees (no complaint references), forms that keep
what was typed, and the list pages' query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.complaints.models import ComplaintEvent
from putright.learning import services
from putright.learning.models import ActionUpdate, ImprovementPlan, Lesson, Rag
from tests.accounts.helpers import make_staff
from tests.learning.conftest import lesson, log_complaint, plan

pytestmark = pytest.mark.django_db
D = dt.date
REGISTER = "/learning/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def reviewer(db):
    return make_staff("Quality reviewer")


@pytest.fixture
def recorded(manager, complaint, damp, property_services):
    return lesson(manager, complaints=[complaint], category=damp, business_area=property_services)


@pytest.fixture
def the_plan(manager, set_today):
    set_today(D(2025, 12, 1))
    the_plan = plan(manager)
    goal = services.goal_add(acting_user=manager, plan=the_plan, title="People")
    services.plan_action_add(
        acting_user=manager,
        goal=goal,
        description="Complaint handling training for service managers.",
        lead=manager,
        due_on=D(2026, 2, 28),
        percent_complete=50,
        rag=Rag.AMBER,
        rag_reason="Trainer booked for January.",
    )
    services.plan_action_add(
        acting_user=manager,
        goal=goal,
        description="Lessons learnt case studies for every team.",
        lead=manager,
        due_on=D(2025, 8, 31),
        percent_complete=100,
        rag=Rag.COMPLETE,
    )
    set_today(D(2026, 2, 10))
    return the_plan


def test_the_register_lives_at_learning_lessons():
    assert reverse("learning:lessons") == REGISTER


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(REGISTER)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


def test_staff_see_the_register_with_the_complaint_references(client, handler, recorded, complaint):
    client.force_login(handler)
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = text(response)
    assert "1 lesson" in page
    assert recorded.title in page
    assert complaint.reference in response.content.decode()
    # The handler reads, but is not offered recording a lesson.
    assert "Record a lesson" not in page


def test_the_board_reads_the_register_without_any_complaint_reference(
    client, board, recorded, complaint
):
    client.force_login(board)
    response = client.get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert recorded.title in html
    assert complaint.reference not in html and "/cases/" not in html
    assert f"{complaint.complainant.first_name} {complaint.complainant.last_name}" not in html
    assert "1 complaint" in text(response)
    detail = client.get(reverse("learning:lesson", args=[recorded.pk]))
    assert detail.status_code == 200
    assert complaint.reference not in detail.content.decode()
    assert ": Lesson recorded by " in text(detail)  # the history says what happened


def test_a_confidential_complaint_reference_is_hidden_from_staff_who_may_not_see_it(
    client, manager, handler, today
):
    colleague = make_staff("Case handler", email="colin@example.org", full_name="Colin Colleague")
    secret = log_complaint(handler, confidential=True)
    lesson(manager, complaints=[secret])
    client.force_login(colleague)
    assert secret.reference not in client.get(REGISTER).content.decode()
    client.force_login(manager)
    assert secret.reference in client.get(REGISTER).content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("board", 403), ("handler", 403), ("reviewer", 403), ("manager", 200)]
)
def test_only_complaints_managers_record_and_change_lessons(client, request, recorded, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("learning:lesson-new")).status_code == status
    assert client.get(reverse("learning:lesson-edit", args=[recorded.pk])).status_code == status
    assert client.post(reverse("learning:lesson-new"), {}).status_code in (status, 400)


def test_the_board_cannot_post_a_lesson(client, board, today):
    client.force_login(board)
    assert client.post(reverse("learning:lesson-new"), {"title": "x"}).status_code == 403
    assert Lesson.objects.count() == 0


def lesson_form(**overrides) -> dict[str, str]:
    return {
        "title": "Repairs missed the cause of damp",
        "what_happened": "Damp jobs closed after a mould wash.",
        "root_cause": "quality_of_work",
        "learning": "Survey first.",
        "change_made": "",
        "status": "identified",
        "identified_on_day": "20",
        "identified_on_month": "1",
        "identified_on_year": "2026",
        "done_on_day": "",
        "done_on_month": "",
        "done_on_year": "",
        "category": "",
        "business_area": "",
        "complaints": "",
        **overrides,
    }


def test_record_a_lesson_from_a_case_starts_linked_to_it(client, manager, complaint, damp):
    complaint.category = damp
    complaint.save(update_fields=["category"])
    client.force_login(manager)
    form = client.get(reverse("learning:lesson-new") + f"?complaint={complaint.reference}")
    html = form.content.decode()
    assert f'value="{complaint.reference}"' in html
    assert f'<option value="{damp.pk}" selected>' in html

    response = client.post(
        reverse("learning:lesson-new"),
        lesson_form(owner=str(manager.pk), complaints=complaint.reference, category=str(damp.pk)),
    )
    created = Lesson.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("learning:lesson", args=[created.pk])
    assert list(created.complaints.all()) == [complaint]
    assert ComplaintEvent.objects.filter(
        complaint=complaint, action=ComplaintEvent.Action.LESSON_LINKED
    ).exists()


def test_a_refused_lesson_keeps_what_was_typed_beside_the_error_summary(client, manager, today):
    client.force_login(manager)
    response = client.post(
        reverse("learning:lesson-new"),
        lesson_form(
            owner=str(manager.pk),
            status="embedded",
            done_on_day="1",
            done_on_month="2",
            done_on_year="2026",
            title="Repairs missed the cause of damp",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#change_made"' in html or 'href="#id_change_made"' in html
    assert "A lesson is embedded only once a change has been made" in html
    assert 'value="Repairs missed the cause of damp"' in html
    assert Lesson.objects.count() == 0


def test_an_unknown_complaint_reference_is_an_error(client, manager, today):
    client.force_login(manager)
    response = client.post(
        reverse("learning:lesson-new"),
        lesson_form(owner=str(manager.pk), complaints="C-2026-99999"),
    )
    assert response.status_code == 400
    assert "There is no complaint with the reference C-2026-99999" in response.content.decode()


def test_changing_a_lesson_to_embedded(client, manager, recorded):
    client.force_login(manager)
    url = reverse("learning:lesson-edit", args=[recorded.pk])
    assert "Damp reports were closed" in client.get(url).content.decode()
    response = client.post(
        url,
        lesson_form(
            title=recorded.title,
            owner=str(manager.pk),
            status="embedded",
            change_made="Every damp job now starts with a survey.",
            done_on_day="9",
            done_on_month="2",
            done_on_year="2026",
        ),
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.status == "embedded" and recorded.done_on == D(2026, 2, 9)


def test_the_register_filters_and_its_themes(
    client, manager, damp, asb, property_services, housing, today
):
    lesson(manager, title="A", root_cause="delay", category=damp, business_area=housing)
    lesson(manager, title="B", root_cause="delay", category=asb, business_area=housing)
    lesson(manager, title="C", root_cause="communication", category=damp)
    client.force_login(manager)

    response = client.get(REGISTER, {"root_cause": "delay"})
    page = text(response)
    assert "2 lessons matching the filters" in page
    assert response.context["themes"].total == 2

    response = client.get(REGISTER, {"category": str(damp.parent_id)})
    assert [row["lesson"].title for row in response.context["rows"]] == ["C", "A"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_and_the_plan_read_in_a_fixed_number_of_queries(
    client, manager, handler, today, the_plan, django_assert_max_num_queries
):
    lesson(manager, title="Lesson 0", complaints=[log_complaint(handler)])
    client.force_login(manager)
    plan_url = reverse("learning:plan", args=[2025])
    client.get(REGISTER)  # warm the session and permission caches
    register_with_one, plan_with_two = queries(client, REGISTER), queries(client, plan_url)

    goal = the_plan.goals.get()
    for number in range(1, 12):
        learned = lesson(
            manager,
            title=f"Lesson {number}",
            complaints=[log_complaint(handler, day=1 + number % 9)],
        )
        services.plan_action_add(
            acting_user=manager,
            goal=goal,
            description=f"Action {number}",
            lead=handler,
            due_on=D(2026, 3, 31),
            lessons=[learned],
        )
    # Session, user, permissions (2), years, count, page, complaint links, three theme counts
    # with the category and business area names, organisation name, roles, and the filters'
    # category and business area choices: none per row.
    with django_assert_max_num_queries(17):
        response = client.get(REGISTER)
    assert len(response.context["rows"]) == 12
    assert queries(client, REGISTER) == register_with_one
    with django_assert_max_num_queries(14):
        client.get(plan_url)
    assert queries(client, plan_url) == plan_with_two


# --- The plan -------------------------------------------------------------------------------------


def test_the_plan_page_shows_goals_actions_and_rag_counts(client, board, the_plan):
    client.force_login(board)
    response = client.get(reverse("learning:plan", args=[2025]))
    assert response.status_code == 200
    page = text(response)
    assert "Goal 1: People" in page
    assert "Complaint handling training for service managers." in page
    assert "Trainer booked for January." in page
    counts = {item["label"]: item["count"] for item in response.context["rag_counts"]}
    assert counts == {"Red": 0, "Amber": 1, "Green": 0, "Complete": 1}
    assert "Add an action" not in page and "Take the snapshot" not in page


@pytest.mark.parametrize("who", ["board", "handler"])
def test_the_board_and_handlers_cannot_change_the_plan(client, request, the_plan, who):
    client.force_login(request.getfixturevalue(who))
    action = the_plan.goals.get().actions.first()
    assert client.get(reverse("learning:goal-new", args=[2025])).status_code == 403
    assert client.get(reverse("learning:action-new", args=[2025, 1])).status_code == 403
    assert client.get(reverse("learning:action-edit", args=[action.pk])).status_code == 403
    assert client.get(reverse("learning:action", args=[action.pk])).status_code == 200
    progress = {
        "percent_complete": "60",
        "rag": "green",
        "note": "x",
        "on_day": "10",
        "on_month": "2",
        "on_year": "2026",
    }
    assert client.post(reverse("learning:action", args=[action.pk]), progress).status_code == 403
    assert client.post(reverse("learning:plan", args=[2025]), {"quarter": "3"}).status_code == 403
    assert client.post(reverse("learning:plans"), {"year": "2026"}).status_code == 403
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_a_red_update_without_a_reason_is_refused_and_kept(client, manager, the_plan):
    action = the_plan.goals.get().actions.first()
    client.force_login(manager)
    response = client.post(
        reverse("learning:action", args=[action.pk]),
        {
            "on_day": "10",
            "on_month": "2",
            "on_year": "2026",
            "percent_complete": "55",
            "rag": "red",
            "rag_reason": "",
            "note": "The trainer cancelled.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "a red or amber status needs a reason" in html
    assert "The trainer cancelled." in html and 'value="55"' in html


def test_a_progress_update_through_the_page(client, manager, the_plan):
    action = the_plan.goals.get().actions.first()
    client.force_login(manager)
    response = client.post(
        reverse("learning:action", args=[action.pk]),
        {
            "on_day": "10",
            "on_month": "2",
            "on_year": "2026",
            "percent_complete": "80",
            "rag": "green",
            "note": "Two of three sessions held.",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.percent_complete, action.rag, action.progress_on) == (
        80,
        "green",
        D(2026, 2, 10),
    )


def test_a_manager_starts_a_plan_adds_a_goal_and_an_action(client, manager, today):
    client.force_login(manager)
    response = client.post(reverse("learning:plans"), {"year": "2026", "title": ""})
    assert response.status_code == 302
    assert ImprovementPlan.objects.get().year == 2026
    again = client.post(reverse("learning:plans"), {"year": "2026"})
    assert again.status_code == 400 and "There is already a plan" in again.content.decode()
    assert (
        client.post(reverse("learning:goal-new", args=[2026]), {"title": "Systems"}).status_code
        == 302
    )
    response = client.post(
        reverse("learning:action-new", args=[2026, 1]),
        {
            "description": "Store evidence on the housing system.",
            "lead": str(manager.pk),
            "due_on_day": "31",
            "due_on_month": "3",
            "due_on_year": "2027",
            "percent_complete": "25",
            "rag": "amber",
            "rag_reason": "",
        },
    )
    assert response.status_code == 400
    assert "a red or amber status needs a reason" in response.content.decode()


def test_taking_a_snapshot_through_the_page_twice_keeps_the_first(client, manager, the_plan):
    client.force_login(manager)
    url = reverse("learning:plan", args=[2025])
    first = client.post(url, {"quarter": "3"})
    assert first.status_code == 302 and first.url == reverse("learning:snapshot", args=[2025, 3])
    second = client.post(url, {"quarter": "3"}, follow=True)
    assert "already had a snapshot" in second.content.decode()
    assert the_plan.snapshots.count() == 1
    refused = client.post(url, {"quarter": "4"})
    assert refused.status_code == 400 and "take its snapshot after that" in refused.content.decode()
    page = client.get(reverse("learning:snapshot", args=[2025, 3]))
    assert "Quarter 3, to 31 December 2025" in text(page)


# --- The case page ------------------------------------------------------------------------------


def test_the_case_page_lists_the_complaints_lessons_and_offers_recording_one(
    client, manager, handler, recorded, complaint
):
    case = reverse("casework:case", args=[complaint.reference])
    client.force_login(manager)
    html = client.get(case).content.decode()
    assert recorded.title in html
    assert f"/learning/lessons/new/?complaint={complaint.reference}" in html
    client.force_login(handler)
    html = client.get(case).content.decode()
    assert recorded.title in html and "/learning/lessons/new/" not in html


def test_the_navigation_reaches_learning(client, board):
    client.force_login(board)
    assert 'href="/learning/"' in client.get("/").content.decode()

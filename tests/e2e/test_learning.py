"""Learning in a real browser: the lessons register, a lesson form with its errors, and the
improvement plan are accessible and stay within the Content Security Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from putright.core import clock
from putright.learning import services
from putright.learning.models import Rag

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_register_a_lesson_form_and_the_plan_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Complaints manager")
    manager = page.user
    today = clock.today()
    year = services.financial_year_of(today)
    lesson = services.lesson_record(
        acting_user=manager,
        title="Damp jobs were closed before the cause was found",
        what_happened="Repairs closed damp jobs after a mould wash, without a survey.",
        root_cause="quality_of_work",
        learning="A mould wash treats the sign, not the cause.",
        owner=manager,
    )
    plan = services.plan_create(acting_user=manager, year=year)
    goal = services.goal_add(acting_user=manager, plan=plan, title="People")
    services.plan_action_add(
        acting_user=manager,
        goal=goal,
        description="Complaint handling training for every service manager.",
        lead=manager,
        due_on=today + dt.timedelta(days=60),
        percent_complete=40,
        rag=Rag.AMBER,
        rag_reason="The trainer moved the first session.",
        lessons=[lesson],
    )

    page.goto(f"{live_server.url}/learning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons learned")
    expect(page.get_by_role("link", name=lesson.title)).to_be_visible()
    axe_check(page)
    screenshot(page, "learning-register")

    page.get_by_role("button", name="Record a lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a lesson")
    axe_check(page)
    page.get_by_label("Title").fill("Callbacks were not made")
    page.get_by_label("Embedded").check()
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Title")).to_have_value("Callbacks were not made")
    axe_check(page)
    screenshot(page, "learning-lesson-errors")

    page.goto(f"{live_server.url}/learning/plans/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(plan))
    expect(page.get_by_text("The trainer moved the first session.")).to_be_visible()
    axe_check(page)
    screenshot(page, "learning-plan")

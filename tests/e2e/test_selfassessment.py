"""The self-assessment in a real browser: the list, the start form, an assessment in five
columns with what changed highlighted, the answer form with its errors, the register of
exceptional circumstances with its form and record, and the public notice are accessible and
stay within the Content Security Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from putright.core import clock
from putright.selfassessment import services
from putright.selfassessment.models import Answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_self_assessment_pages_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Complaints manager")
    manager = page.user
    today = clock.today()
    last = services.assessment_start(
        acting_user=manager, trigger="restructure", as_at=today, prompted_by="Merger."
    )
    services.provision_answer(
        acting_user=manager,
        assessment=last,
        provision="1.2",
        comply="yes",
        evidence="Complaints policy, section 2.",
        expected_version=1,
    )
    assessment = services.assessment_start(
        acting_user=manager, trigger="procedure", as_at=today, prompted_by="New policy."
    )
    services.provision_answer(
        acting_user=manager,
        assessment=assessment,
        provision="1.2",
        comply="no",
        evidence="The definition was left out of the new policy.",
        action="Put the Code's definition back in the policy.",
        action_due_on=today + dt.timedelta(days=60),
        expected_version=1,
    )

    page.goto(f"{live_server.url}/self-assessments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessments")
    axe_check(page)
    screenshot(page, "selfassessment-list")

    page.get_by_role("button", name="Start a self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a self-assessment")
    axe_check(page)
    page.get_by_label("After a significant restructure or merger").check()
    page.get_by_role("button", name="Start the self-assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe_check(page)
    screenshot(page, "selfassessment-start-errors")

    page.goto(f"{live_server.url}/self-assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(assessment.title)
    expect(page.get_by_text("Changed since the last self-assessment: comply")).to_be_visible()
    axe_check(page)
    screenshot(page, "selfassessment-assessment")

    page.get_by_role("link", name="Answer provision 6.15").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Provision 6.15")
    axe_check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Evidence").fill("Extension letters leave out the Ombudsman's details.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what you will do to comply with 6.15")
    expect(page.get_by_label("Evidence")).to_have_value(
        "Extension letters leave out the Ombudsman's details."
    )
    axe_check(page)
    screenshot(page, "selfassessment-answer-errors")
    page.get_by_label("What you will do to comply").fill("Add the details to the template.")
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill(str(today.year + 1))
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(assessment.title)
    assert Answer.objects.get(assessment=assessment, provision="6.15").comply == "no"


def test_exceptional_circumstances_pages_and_the_public_notice_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Complaints manager")
    today = clock.today()
    recorded = services.circumstance_record(
        acting_user=page.user,
        title="Cyber incident",
        what_happened="Our housing system was taken offline by a cyber attack.",
        provisions=["6.2", "6.3"],
        started_on=today,
        expected_return_on=today + dt.timedelta(days=30),
        public_notice="Our computer systems are down, so replies to complaints will be late.",
    )

    page.goto(f"{live_server.url}/self-assessments/exceptional-circumstances/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exceptional circumstances")
    axe_check(page)
    screenshot(page, "exceptional-circumstances")

    page.get_by_role("link", name="Cyber incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber incident")
    axe_check(page)

    page.get_by_role("button", name="Change this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Cyber incident")
    axe_check(page)
    page.get_by_label("Notice for residents").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter notice for residents")
    axe_check(page)
    screenshot(page, "exceptional-circumstances-errors")

    page.goto(f"{live_server.url}/self-assessments/exceptional-circumstances/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record exceptional circumstances")
    axe_check(page)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/published-reports/")
    expect(page.get_by_text(recorded.public_notice)).to_be_visible()
    axe_check(page)
    screenshot(page, "published-reports-notice")


def _all_answered(assessment, *, no: str = "6.2") -> None:
    """Every provision answered yes (set directly: the answer form is tested above), and ``no``
    answered no with its action and date."""
    Answer.objects.filter(assessment=assessment).update(comply="yes", evidence="Our policy.")
    Answer.objects.filter(assessment=assessment, provision=no).update(
        comply="no",
        evidence="Audit of 20 cases: 3 acknowledged late.",
        action="Daily check of the acknowledgement queue.",
        action_due_on=clock.today() + dt.timedelta(days=90),
    )
    assessment.refresh_from_db()


def test_approval_publication_and_the_files_are_accessible(
    signed_in_page, live_server, axe_check, screenshot, browser
):
    from putright.selfassessment import exports
    from tests.e2e.conftest import use_session

    page: Page = signed_in_page("Complaints manager")
    manager = page.user
    assessment = services.assessment_start(
        acting_user=manager, trigger="restructure", as_at=clock.today(), prompted_by="Merger."
    )
    _all_answered(assessment)

    # The complaints manager submits it from the status panel.
    page.goto(f"{live_server.url}/self-assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", name="Approval and publication")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit for review")
    axe_check(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted for review")

    # A quality reviewer reviews it; returning it needs comments.
    reviewer_page: Page = signed_in_page("Quality reviewer", email="reviewer@example.org")
    # One browser page: signing in as someone else switches its session.
    reviewer_page.goto(f"{live_server.url}/self-assessments/{assessment.pk}/review/")
    expect(reviewer_page.get_by_role("heading", level=1)).to_have_text("Review the self-assessment")
    axe_check(reviewer_page)
    reviewer_page.get_by_label("No, return it to draft").check()
    reviewer_page.get_by_role("button", name="Record the review").click()
    expect(reviewer_page.get_by_role("alert")).to_contain_text("Say what needs to change")
    expect(reviewer_page.get_by_label("No, return it to draft")).to_be_checked()
    axe_check(reviewer_page)
    screenshot(reviewer_page, "selfassessment-review-errors")
    reviewer_page.get_by_label("Yes, it is ready for the governing body").check()
    reviewer_page.get_by_role("button", name="Record the review").click()
    expect(reviewer_page.locator(".govuk-notification-banner")).to_contain_text("review recorded")

    # A board member records the governing body's approval; the form keeps what was typed.
    board_page: Page = signed_in_page("Board member", email="board@example.org")
    board_page.goto(f"{live_server.url}/self-assessments/{assessment.pk}/approve/")
    expect(board_page.get_by_role("heading", level=1)).to_have_text(
        "Record the governing body's approval"
    )
    axe_check(board_page)
    board_page.get_by_label("Minute reference").fill("2026/14")
    board_page.get_by_role("button", name="Record the approval").click()
    expect(board_page.get_by_role("alert")).to_contain_text("Enter the date of the meeting")
    expect(board_page.get_by_label("Minute reference")).to_have_value("2026/14")
    axe_check(board_page)
    screenshot(board_page, "selfassessment-approve-errors")
    today = clock.today()
    board_page.get_by_label("Day").fill(str(today.day))
    board_page.get_by_label("Month").fill(str(today.month))
    board_page.get_by_label("Year").fill(str(today.year))
    board_page.get_by_label("Member Responsible for Complaints").fill("Helen Ashworth")
    board_page.get_by_label("The governing body's response").fill("The board approves it.")
    board_page.get_by_role("button", name="Record the approval").click()
    expect(board_page.locator(".govuk-notification-banner")).to_contain_text("approval recorded")

    # The manager publishes it, and may then start a new version.
    use_session(page, live_server, manager)
    page.goto(f"{live_server.url}/self-assessments/{assessment.pk}/publish/")
    axe_check(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("link", name="the public page")).to_be_visible()
    axe_check(page)
    screenshot(page, "selfassessment-published")
    page.get_by_role("button", name="Make a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a new version")
    page.get_by_role("button", name="Make a new version").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why")
    axe_check(page)

    # The public page and the reports page linking to it, signed out.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/published-reports/")
    axe_check(page)
    page.get_by_role("link", name=assessment.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(assessment.title)
    axe_check(page)
    screenshot(page, "selfassessment-public")

    # The standalone HTML file, as it would open from a file, on a desktop and a phone.
    assessment.refresh_from_db()
    standalone = browser.new_page()
    for width in (1280, 320):
        standalone.set_viewport_size({"width": width, "height": 900})
        standalone.set_content(exports.render(assessment, "html").content.decode())
        expect(standalone.get_by_role("heading", level=1)).to_have_text(assessment.title)
        assert standalone.evaluate("document.documentElement.scrollWidth") <= width
        axe_check(standalone)
        screenshot(standalone, f"selfassessment-file-{width}")
    standalone.close()

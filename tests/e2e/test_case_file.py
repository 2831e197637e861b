"""The case file and each role's home page in a real browser: accessible, within the CSP, and
usable with the keyboard and without JavaScript's help for the timeline filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.casework.test_case_file import build_full_case
from tests.casework.test_workload import build_team
from tests.e2e.conftest import use_session
from tests.people.factories import StaffUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def sign_in_as(page: Page, live_server, user) -> Page:
    """A session cookie for ``user`` (no sign-in form), as the signed_in_page fixture does."""
    return use_session(page, live_server, user)


def test_the_case_file_is_accessible(page: Page, live_server, media, axe_check, screenshot):
    handler = StaffUserFactory(role="Case handler", full_name="Hana Handler")
    manager = StaffUserFactory(role="Complaints manager", full_name="Mo Manager")
    complaint = build_full_case(handler, manager, is_confidential=True)
    sign_in_as(page, live_server, manager)

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Complaint {complaint.reference}")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Contact restricted")
    expect(page.get_by_role("heading", name="Stage 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Hearing impairment")).to_be_visible()  # managers may see it
    axe_check(page)
    screenshot(page, "case-file")

    page.get_by_role("navigation", name="Filter the timeline").get_by_role(
        "link", name="Notes"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{complaint.reference}/?show=notes#timeline")
    expect(page.locator(".moj-timeline__title")).to_have_count(12)
    expect(page.get_by_role("link", name="Notes", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    axe_check(page)

    page.get_by_role("link", name="History").click()
    expect(page.locator(".moj-timeline__title").first).to_have_text("Confidential case viewed")


def test_the_action_menu_opens_from_the_keyboard(
    signed_in_page, live_server, media, axe_check, screenshot
):
    page = signed_in_page("Case handler")
    manager = StaffUserFactory(role="Complaints manager")
    complaint = build_full_case(page.user, manager, notes=1, letters=1, documents=1)

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")

    toggle = page.get_by_role("button", name="Actions")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Escalate to stage 2")).to_be_visible()
    axe_check(page)
    screenshot(page, "case-file-actions")


@pytest.mark.parametrize(
    "who", ["alex", "reviewer", "manager", "board"], ids=lambda who: f"home-{who}"
)
def test_each_role_home_page_with_work_is_accessible(
    page: Page, live_server, axe_check, screenshot, who
):
    team = build_team()
    sign_in_as(page, live_server, getattr(team, who))

    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, f"home-with-work-{who}")

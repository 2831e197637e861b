"""One complaint from logging to its stage 2 response, through the screens only.

A case handler logs, acknowledges, drafts and issues stage 1 after a quality reviewer signs it
off; the resident escalates; a different reviewer, not involved at stage 1 (Code 6.13), takes
stage 2, and a complaints manager signs off its response. Every step is reached from the case
file's action menu, and the case file then shows each step in its timeline.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from putright.complaints.models import Complaint, Status
from tests.accounts.helpers import make_staff
from tests.e2e.conftest import use_session
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),  # the letters are signed with it
]


def step(page: Page, label: str) -> None:
    """Open the case file's Actions menu and choose a step."""
    menu = page.get_by_role("button", name="Actions")
    if menu.count():
        menu.click()
    page.get_by_role("button", name=label, exact=True).click()


def draft(page: Page, reasons: str) -> None:
    page.locator("#id_point_1_finding").check()  # upheld
    page.get_by_label("Reasons for the finding on point 1").fill(reasons)
    page.get_by_role("button", name="Send for quality check").click()


def sign_off(page: Page, live_server, user, reference: str) -> None:
    use_session(page, live_server, user)
    page.goto(f"{live_server.url}/cases/{reference}/")
    step(page, "Sign off the draft")
    page.get_by_role("button", name="Sign off the response").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def issue(page: Page) -> None:
    step(page, "Issue the response")
    page.get_by_role("button", name="Issue the response").click()  # the form
    expect(page.locator("#letter-complete")).to_be_visible()  # the letter, checked
    page.get_by_role("button", name="Issue the response").click()  # the confirmation


def acknowledge(page: Page, letter_heading: str) -> None:
    """Acknowledge from the filled-in form: the confirmation shows the letter that will go."""
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".app-letter-preview h3")).to_have_text(letter_heading)
    page.get_by_role("button", name="Acknowledge").click()


def test_a_complaint_from_logging_to_its_stage_2_response(signed_in_page, live_server, axe_check):
    page = signed_in_page("Case handler", full_name="Cara Handler")
    handler = page.user
    reviewer = make_staff("Quality reviewer", full_name="Quinn Reviewer", email="quinn@example.org")
    stage2_reviewer = make_staff(
        "Quality reviewer", full_name="Sam Stage-Two", email="sam@example.org"
    )
    manager = make_staff("Complaints manager", full_name="Mo Manager", email="mo@example.org")
    ResidentFactory(first_name="Ada", last_name="Okafor")

    # Stage 1, by the case handler.
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("Search for the person complaining").fill("okafor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Choose Ada Okafor").click()
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("textbox", name="The complaint").fill("Damp in the bedroom since May.")
    page.get_by_role("button", name="Log complaint").click()
    page.wait_for_url(re.compile(r"/cases/C-\d{4}-\d{5}/$"))
    reference = Complaint.objects.get().reference
    axe_check(page)

    step(page, "Acknowledge and define")
    page.get_by_label("Stage 1 handler (optional)").select_option(label="Cara Handler")
    page.locator("#id_point_1_summary").fill("The damp was not treated")
    page.locator("#id_point_1_outcome").fill("Treat the damp")
    acknowledge(page, "We have received your complaint")

    step(page, "Draft the response")
    draft(page, "The damp was reported in May and not treated.")
    sign_off(page, live_server, reviewer, reference)
    use_session(page, live_server, handler)
    page.goto(f"{live_server.url}/cases/{reference}/")
    issue(page)
    expect(page.get_by_text("Stage 1 responded").first).to_be_visible()

    step(page, "Escalate to stage 2")
    page.get_by_role("button", name="Escalate to stage 2").click()

    # The manager allocates stage 2: the stage 1 reviewer is not even offered (Code 6.13);
    # someone with no part in stage 1 is.
    use_session(page, live_server, manager)
    page.goto(f"{live_server.url}/cases/{reference}/")
    step(page, "Allocate")
    handler_picker = page.get_by_label("Handler")
    expect(handler_picker.locator("option", has_text="Quinn Reviewer")).to_have_count(0)
    expect(handler_picker.locator("option", has_text="Sam Stage-Two")).to_have_count(1)
    axe_check(page)
    page.get_by_label("Handler").select_option(label="Sam Stage-Two")
    page.get_by_role("button", name="Allocate").click()

    # Stage 2, by that reviewer.
    use_session(page, live_server, stage2_reviewer)
    page.goto(f"{live_server.url}/cases/{reference}/")
    step(page, "Acknowledge and define")
    page.locator("#id_point_1_summary").fill("The stage 1 response did not fix the damp")
    page.locator("#id_point_1_outcome").fill("A survey and a timetable for the work")
    acknowledge(page, "We have received your request for stage 2")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)

    step(page, "Draft the response")
    draft(page, "The treatment failed; a survey is booked.")
    sign_off(page, live_server, manager, reference)
    use_session(page, live_server, stage2_reviewer)
    page.goto(f"{live_server.url}/cases/{reference}/")
    issue(page)

    complaint = Complaint.objects.get()
    assert complaint.status == Status.STAGE2_RESPONDED
    stage1, stage2 = complaint.stages.order_by("number")
    assert (stage1.handler, stage1.drafted_by, stage1.signed_off_by) == (
        handler,
        handler,
        reviewer,
    )
    assert (stage2.handler, stage2.drafted_by, stage2.signed_off_by) == (
        stage2_reviewer,
        stage2_reviewer,
        manager,
    )

    # The case file shows every step.
    page.goto(f"{live_server.url}/cases/{reference}/?show=history")
    timeline = page.locator(".moj-timeline")
    for text in (
        "Complaint logged",
        "Stage acknowledged",
        "Response drafted for quality check",
        "Response signed off",
        "Stage responded",
        "Escalated to stage 2",
        "Handler allocated",
    ):
        expect(timeline).to_contain_text(text)
    expect(timeline.get_by_text("Stage responded", exact=True)).to_have_count(2)
    axe_check(page)

    # Each letter went with its step and is on the Correspondence tab, with a page of its own.
    page.goto(f"{live_server.url}/cases/{reference}/?show=correspondence")
    letters = page.locator(".moj-timeline__title")
    expect(letters).to_have_text(
        [
            "Letter to resident: Our final response to your complaint",
            "Letter to resident: We have received your request for stage 2",
            "Letter to resident: Our response to your complaint",
            "Letter to resident: We have received your complaint",
        ]
    )
    axe_check(page)
    page.get_by_role("link", name="Read the letter").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letter")
    expect(page.locator(".app-letter-preview")).to_contain_text("Our final response")
    axe_check(page)

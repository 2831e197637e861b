"""Promised actions in a real browser: the tracker from the navigation, and a complaints
manager reassigning an overdue action (a refused attempt's errors too), each page checked with
axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from putright.accounts.models import Team
from putright.complaints import services
from putright.complaints.models import Action, Channel
from tests.accounts.helpers import make_staff
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),
]


def test_the_tracker_and_reassigning_an_overdue_action(
    signed_in_page, live_server, axe_check, screenshot
):
    page = signed_in_page("Complaints manager")
    handler = make_staff("Case handler", full_name="Hana Handler", email="hana@example.org")
    repairs = Team.objects.create(name="Repairs")
    today = timezone.localdate()
    complaint = services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(first_name="Ria", last_name="Patel"),
        channel=Channel.PHONE,
        received_at=timezone.now() - dt.timedelta(days=3),
        description="The bathroom ceiling leaks.",
    )
    flow.acknowledge(acting_user=handler, complaint=complaint, on=today)
    flow.respond(
        acting_user=handler,
        complaint=complaint,
        on=today,
        actions=[
            {
                "description": "Fix the ceiling.",
                "owner": handler,
                "due_on": today - dt.timedelta(days=10),
            }
        ],
    )

    # The tracker, from the navigation.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Actions", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Promised actions")
    expect(page.get_by_role("table")).to_contain_text("Fix the ceiling.")
    expect(page.get_by_role("table")).to_contain_text("Overdue")
    axe_check(page)
    screenshot(page, "tracking-tracker")

    # Reassign it: without a reason the form says so and keeps what was chosen.
    page.get_by_role("link", name=f"Reassign the action on complaint {complaint.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reassign an action")
    axe_check(page)
    page.get_by_label("Team").select_option(label="Repairs")
    page.get_by_role("button", name="Reassign the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the action is being reassigned"
    )
    expect(page.get_by_label("Team")).to_have_value(str(repairs.pk))
    axe_check(page)
    screenshot(page, "tracking-reassign-refused")
    page.get_by_label("Why it is being reassigned").fill("The repairs team has a roofer free.")
    page.get_by_role("button", name="Reassign the action").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Action on complaint {complaint.reference} reassigned"
    )
    # The case page shows the team beside the person, and offers to reassign again.
    expect(page.get_by_role("link", name="Reassign : Fix the ceiling.")).to_be_visible()
    axe_check(page)

    action = Action.objects.get()
    assert (action.owner, action.team) == (handler, repairs)

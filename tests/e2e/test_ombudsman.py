"""Ombudsman casework in a real browser: the cases, a case with its findings and orders, a step
form with its errors, and the board's summary are accessible and stay within the CSP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from putright.complaints import services as complaint_services
from putright.complaints.models import Channel
from putright.core import clock
from putright.ombudsman import services
from tests.people.factories import ResidentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_cases_a_case_a_form_and_the_summary_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Complaints manager")
    manager = page.user
    today = clock.today()
    complaint = complaint_services.complaint_log(
        acting_user=manager,
        handler=manager,
        complainant=ResidentFactory(),
        channel=Channel.PHONE,
        received_at=dt.datetime.combine(today - dt.timedelta(days=200), dt.time(10), tzinfo=dt.UTC),
        description="The roof leaks.",
    )
    case = services.case_open(
        acting_user=manager,
        reference="202412345",
        referred_on=today - dt.timedelta(days=90),
        complaints=[complaint],
        stage="investigation",
    )
    services.determination_record(acting_user=manager, case=case, on=today - dt.timedelta(days=20))
    services.finding_add(
        acting_user=manager, case=case, element="Repairs to the roof", outcome="maladministration"
    )
    services.order_record(
        acting_user=manager,
        case=case,
        what="Pay £400 for distress and inconvenience.",
        due_on=today - dt.timedelta(days=1),
        compensation_pence=40_000,
    )

    page.goto(f"{live_server.url}/ombudsman/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman cases")
    expect(page.get_by_role("link", name="202412345")).to_be_visible()
    axe_check(page)
    screenshot(page, "ombudsman-cases")

    page.get_by_role("link", name="202412345").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman case 202412345")
    expect(page.get_by_role("cell", name="Repairs to the roof")).to_be_visible()
    axe_check(page)
    screenshot(page, "ombudsman-case")

    page.get_by_role("link", name="Record a request for information").click()
    page.get_by_label("What the Ombudsman asked for").fill("The repair records")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("What the Ombudsman asked for")).to_have_value("The repair records")
    axe_check(page)
    screenshot(page, "ombudsman-request-errors")

    # The other page types: a form about one of its orders, and opening a case.
    page.goto(f"{live_server.url}/ombudsman/{case.pk}/")
    page.get_by_role("link", name=re.compile("^Record compliance")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/ombudsman/new/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)

    page.goto(f"{live_server.url}/ombudsman/summary/")
    expect(page.locator("#malrate")).to_contain_text("100%")
    axe_check(page)
    screenshot(page, "ombudsman-summary")

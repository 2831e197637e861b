"""Contacts beside complaints in a real browser: the hub, the service requests list with its
filters, and the enquiry form with its errors are accessible and within the Content Security
Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from putright.contacts import services

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),
]


def test_the_service_requests_list_and_the_enquiry_form_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    handler = page.user
    today = timezone.localdate()
    services.service_request_record(
        acting_user=handler,
        source="housing_system",
        category="repairs",
        description="Boiler not heating water.",
        opened_on=today - dt.timedelta(days=30),
        target_on=today - dt.timedelta(days=2),
        external_reference="JOB-4471",
    )

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Contacts", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    axe_check(page)

    page.goto(f"{live_server.url}/contacts/service-requests/?state=overdue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service requests")
    expect(page.get_by_role("link", name="JOB-4471")).to_be_visible()
    axe_check(page)
    screenshot(page, "contacts-service-requests")

    page.goto(f"{live_server.url}/contacts/enquiries/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an enquiry")
    axe_check(page)
    page.get_by_label("From").fill("Cllr Priya Shah")
    page.get_by_label("Councillor").check()
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("From")).to_have_value("Cllr Priya Shah")
    axe_check(page)
    screenshot(page, "contacts-enquiry-errors")

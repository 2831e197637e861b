"""Putting things right in a real browser: the compensation payments register and a payment's
approval and payment steps, each page checked with axe (including a refused step's errors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from putright.complaints import services
from putright.complaints.models import Channel, Remedy
from putright.redress import services as redress
from putright.redress.models import Compensation
from tests.accounts.helpers import make_staff
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),
]


def test_the_register_and_a_payment_approved_and_paid(
    signed_in_page, live_server, axe_check, screenshot
):
    page = signed_in_page("Complaints manager")
    manager = page.user
    handler = make_staff("Case handler", full_name="Hana Handler")
    today = timezone.localdate()
    complaint = services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(first_name="Ria", last_name="Patel"),
        channel=Channel.PHONE,
        received_at=timezone.now() - dt.timedelta(days=3),
        description="Damp in the bedroom since May.",
    )
    flow.acknowledge(acting_user=handler, complaint=complaint, on=today)
    flow.respond(
        acting_user=handler,
        complaint=complaint,
        on=today,
        remedies=[
            {"kind": "compensation", "description": "For the delay.", "amount_pence": 45_000}
        ],
    )
    offered = redress.compensation_offer(
        acting_user=handler,
        remedy=Remedy.objects.get(stage__complaint=complaint),
        heads={"distress_pence": 30_000, "complaint_handling_pence": 15_000},
    )
    redress.compensation_accept(acting_user=handler, compensation=offered, on=today)

    # The register, from the navigation.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Compensation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compensation payments register")
    expect(page.locator('[data-total="sum"]')).to_have_text("£450.00")
    expect(page.get_by_text("Ombudsman band £100 to £600", exact=True)).to_be_visible()
    axe_check(page)
    screenshot(page, "redress-register")

    # Approve it from the case page.
    page.goto(live_server.url + reverse("casework:case", kwargs={"reference": complaint.reference}))
    page.get_by_role("link", name="Approve for the £450.00 financial remedy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the payment")
    axe_check(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")

    # Record the payment: offsetting without the resident's agreement is refused.
    page.get_by_role("link", name="Record the payment for the £450.00 financial remedy").click()
    page.get_by_label("Offset against rent arrears").check()
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("only where the resident agreed")
    axe_check(page)
    screenshot(page, "redress-pay-refused")
    page.get_by_label("Bank transfer").check()
    page.get_by_label("Payment reference").fill("BACS-778")
    page.get_by_role("button", name="Record the payment").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")

    row = Compensation.objects.get()
    assert (row.status, row.approved_by, row.payment_reference) == ("paid", manager, "BACS-778")

"""Email in, in a real browser: the triage queue, a message (with its form errors) and logging
a complaint from it are accessible and stay within the Content Security Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from putright.inbound.models import InboundMessage, MessageStatus
from putright.inbound.services import message_receive
from tests.inbound.helpers import PDF, png
from tests.people.factories import ResidentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def receive(number: int, **overrides) -> InboundMessage:
    fields = {
        "message_id": f"<e2e-{number}@example.org>",
        "received_at": dt.datetime(2026, 6, 1, 23, 30 + number, tzinfo=dt.UTC),
        "from_address": "cleo@example.org",
        "from_name": "Cleo Nwosu",
        "to": "complaints@landlord.example",
        "subject": f"Mould in the flat ({number})",
        "text": "The mould is back in the bathroom.\n\nNobody has come since March.",
        "html": "<p>The mould is back</p>",
        "attachments": [],
        "source": "imap",
        **overrides,
    }
    return message_receive(**fields)


def test_the_triage_queue_and_a_message_are_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    message = receive(
        1,
        attachments=[
            ("report.pdf", "application/pdf", PDF),
            ("photo.png", "image/png", png()),
        ],
    )
    receive(2, from_name="", subject="")

    page.goto(f"{live_server.url}/inbound/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email to triage")
    expect(page.get_by_role("heading", name="2 emails")).to_be_visible()
    expect(page.get_by_role("cell", name="2 Jun 2026, 12:31am")).to_be_visible()
    axe_check(page)
    screenshot(page, "inbound-triage")

    page.get_by_role("link", name="Mould in the flat (1)").click()
    expect(page).to_have_url(f"{live_server.url}/inbound/{message.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mould in the flat (1)")
    expect(page.get_by_role("link", name="report.pdf (download)")).to_be_visible()
    axe_check(page)
    screenshot(page, "inbound-message")

    # Both forms sent empty: each error beside its field, and the summary links to them.
    page.get_by_role("button", name="Dismiss the email").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are dismissing the email"
    )
    axe_check(page)
    page.get_by_label("Complaint reference").fill("C-2026-99999")
    page.get_by_role("button", name="File on the complaint").click()
    expect(page.get_by_label("Complaint reference")).to_have_value("C-2026-99999")
    expect(page.locator("#id_reference-error")).to_contain_text("There is no complaint")
    axe_check(page)


def test_logging_a_complaint_from_an_email_is_accessible(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    resident = ResidentFactory(first_name="Cleo", last_name="Nwosu", email="cleo@example.org")
    message = receive(1)

    page.goto(f"{live_server.url}/inbound/{message.pk}/")
    page.get_by_role("button", name="Log as a new complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is complaining?")
    axe_check(page)
    screenshot(page, "inbound-log-find")

    page.get_by_role("link", name="Choose Cleo Nwosu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint from Cleo Nwosu")
    expect(page.get_by_label("The complaint")).to_have_value(
        "The mould is back in the bathroom.\n\nNobody has come since March."
    )
    axe_check(page)
    screenshot(page, "inbound-log-complaint")

    page.get_by_role("button", name="Log complaint").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("logged from the email")
    axe_check(page)
    message.refresh_from_db()
    assert message.status == MessageStatus.LOGGED
    assert message.complaint.complainant == resident

"""Letters in a real browser: an issued letter's page (recording a posted letter, with its form
errors) and the "Failed to send" list with its resend, each accessible and within the Content
Security Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from putright.complaints.models import Channel
from putright.complaints.services import complaint_log
from putright.letters import services as letters
from putright.outbox.models import EmailStatus, OutgoingEmail
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),  # the letters are signed with it
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def acknowledged(handler, **resident):
    complaint = complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(
            first_name="Ada", last_name="Okafor", correspondence_address="4 Canal Row", **resident
        ),
        channel=Channel.PHONE,
        received_at=timezone.now() - dt.timedelta(days=1),
        description="Damp in the bedroom since May.",
        handler=handler,
    )
    letter = letters.acknowledgement_issue(
        acting_user=handler,
        complaint=complaint,
        points=[("The damp was not treated", "Treat the damp")],
        not_responsible_for="The council's bins",
    )
    letters.letter_deliver(letter_id=letter.pk)  # the PDF, as the worker would
    return complaint, letter


def test_a_letter_for_post_is_read_and_recorded_as_posted(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    complaint, letter = acknowledged(page.user)

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    alert = page.locator("#letters-to-send")
    expect(alert).to_contain_text("print and post it")
    alert.get_by_role("link", name="We have received your complaint").click()

    expect(page.locator("#letter-status")).to_have_text(
        "For post: print it and record the date it went."
    )
    expect(
        page.get_by_role("link", name=f"{complaint.reference}-stage1_acknowledgement")
    ).to_be_visible()
    expect(page.locator(".app-letter-preview")).to_contain_text("The damp was not treated")
    axe_check(page)
    screenshot(page, "letter-for-post")

    page.locator("#id_posted_on_day").fill("")
    page.get_by_role("button", name="Record as posted").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe_check(page)

    today = timezone.localdate()
    page.locator("#id_posted_on_day").fill(str(today.day))
    page.get_by_role("button", name="Record as posted").click()
    page.wait_for_url(f"{live_server.url}/cases/{complaint.reference}/")
    expect(page.locator("#letters-to-send")).to_have_count(0)
    letter.refresh_from_db()
    assert letter.posted_on == today


def test_an_email_that_failed_is_listed_and_sent_again(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Complaints manager")
    complaint, letter = acknowledged(
        page.user, email="ada@example.org", preferred_contact_method="email"
    )
    letter.refresh_from_db()
    OutgoingEmail.objects.filter(pk=letter.email_id).update(
        status=EmailStatus.FAILED,
        attempts=5,
        failed_at=timezone.now(),
        last_error="Connection refused by smtp.example.org",
    )

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    expect(page.locator("#letters-to-send")).to_contain_text("the email failed to send")
    page.get_by_role("link", name="Failed to send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Failed to send")
    expect(page.get_by_text("Connection refused by smtp.example.org")).to_be_visible()
    axe_check(page)
    screenshot(page, "failed-to-send")

    page.get_by_role("button", name="Send again").first.click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    axe_check(page)
    assert OutgoingEmail.objects.get(pk=letter.email_id).status != EmailStatus.FAILED


def test_the_handler_rewrites_the_acknowledgement_before_it_goes(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    complaint = complaint_log(
        acting_user=page.user,
        complainant=ResidentFactory(correspondence_address="4 Canal Row"),
        channel=Channel.PHONE,
        received_at=timezone.now() - dt.timedelta(days=1),
        description="Damp in the bedroom since May.",
        handler=page.user,
    )

    page.goto(f"{live_server.url}/cases/{complaint.reference}/acknowledge/")
    page.locator("#id_point_1_summary").fill("The damp was not treated")
    page.locator("#id_point_1_outcome").fill("Treat the damp")
    page.get_by_role("button", name="Acknowledge").click()

    page.get_by_text("Change the letter’s wording").click()
    page.get_by_label("What we will and will not look into").fill(
        "We will look into the damp, and nothing else was raised."
    )
    axe_check(page)
    page.get_by_role("button", name="Update the letter").click()
    expect(page.locator(".app-letter-preview")).to_contain_text("nothing else was raised")
    expect(page.locator("#letter-complete")).to_be_visible()
    screenshot(page, "acknowledge-letter-rewritten")
    page.get_by_role("button", name="Acknowledge").click()

    page.wait_for_url(f"{live_server.url}/cases/{complaint.reference}/")
    letter = complaint.letters.get()
    assert letter.sections["responsibilities"] == (
        "We will look into the damp, and nothing else was raised."
    )


def test_the_handler_writes_a_free_letter_from_the_case(
    signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    complaint, _ = acknowledged(page.user)

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("button", name="Write a letter").click()
    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which letter to write")
    axe_check(page)

    page.get_by_label("A letter you write yourself").check()
    page.get_by_role("button", name="Send the letter").click()
    # Nothing written yet: the letter says what is missing and cannot be sent.
    expect(page.locator("#letter-problems")).to_be_visible()
    expect(page.get_by_role("button", name="Send the letter")).to_have_count(0)
    axe_check(page)
    page.locator("#letter-body").fill("We will call on Tuesday at 10am to look at the damp.")
    page.get_by_role("button", name="Update the letter").click()
    expect(page.locator(".app-letter-preview")).to_contain_text("Tuesday at 10am")
    screenshot(page, "free-letter-written")
    page.get_by_role("button", name="Send the letter").click()

    page.wait_for_url(f"{live_server.url}/cases/{complaint.reference}/")
    expect(
        page.get_by_role("alert").or_(page.locator(".govuk-notification-banner"))
    ).to_contain_text("ready to print")
    assert complaint.letters.filter(type_key="free").get().sections["body"].startswith("We will")

"""The triage queue, a message and logging a complaint from it, through Django's test client:
permissions enforced, the email's own words escaped, and form errors keeping what was typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from putright.complaints.models import Channel, Complaint
from putright.inbound.models import InboundMessage, MessageStatus
from putright.inbound.services import message_receive
from putright.people.models import Resident
from tests.casework.test_intake_actions import error_beside, input_value, page, textarea_value
from tests.inbound.helpers import PDF, UTC, complaint
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

TRIAGE = "/inbound/"


def receive(number: int = 1, **overrides) -> InboundMessage:
    fields = {
        "message_id": f"<m{number}@example.org>",
        "received_at": dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC),
        "from_address": "cleo@example.org",
        "from_name": "Cleo Nwosu",
        "to": "complaints@landlord.example",
        "subject": f"Mould in the flat {number}",
        "text": "The mould is back.\nNobody has come.",
        "html": "",
        "attachments": [],
        "source": "imap",
        **overrides,
    }
    return message_receive(**fields)


def message_url(message: InboundMessage, suffix: str = "") -> str:
    return reverse("inbound:message", args=[message.pk]) + suffix


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Cara Handler")


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


# --- Who may open the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Board member", "Administrator"])
def test_staff_who_do_not_handle_complaints_are_refused(client, role):
    message = receive(attachments=[("a.pdf", "application/pdf", PDF)])
    client.force_login(StaffUserFactory(role=role))
    attachment = message.attachments.get()
    for url in (
        TRIAGE,
        message_url(message),
        reverse("inbound:log", args=[message.pk]),
        reverse("inbound:attachment", args=[message.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(message_url(message), {"action": "dismiss", "reason": "x"}).status_code == 403
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.TRIAGE


def test_the_signed_out_are_sent_to_sign_in(client):
    assert client.get(TRIAGE).status_code == 302


def test_an_email_filed_on_a_confidential_complaint_is_hidden_from_colleagues(client, handler):
    case = complaint(handler=handler, is_confidential=True)
    message = receive(subject=f"About {case.reference}")
    assert message.complaint == case

    client.force_login(StaffUserFactory(role="Case handler"))
    assert client.get(message_url(message)).status_code == 404
    client.force_login(handler)
    assert client.get(message_url(message)).status_code == 200


def test_posting_needs_the_csrf_token(handler):
    message = receive()
    client = Client(enforce_csrf_checks=True)
    client.force_login(handler)
    response = client.post(message_url(message), {"action": "dismiss", "reason": "Spam"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.TRIAGE


# --- The queue -----------------------------------------------------------------------------------


def test_the_queue_lists_emails_in_triage_oldest_first_in_london_time(signed_in, handler):
    later = receive(2, received_at=dt.datetime(2026, 6, 3, 9, 0, tzinfo=UTC))
    first = receive(1)  # 23:30 UTC on 1 June: 12:30am on 2 June in England
    dismissed = receive(3)
    dismissed.status = MessageStatus.DISMISSED
    dismissed.dismiss_reason = "Spam"
    dismissed.save()

    html = page(signed_in.get(TRIAGE))

    subjects = re.findall(r'<a class="govuk-link" href="/inbound/\d+/">([^<]+)</a>', html)
    assert subjects == [first.subject, later.subject]
    assert "2 Jun 2026, 12:30am" in html
    assert "2 emails" in html


def test_the_queue_pages_by_25(signed_in):
    for number in range(26):
        receive(number, received_at=dt.datetime(2026, 6, 1, 9, number, tzinfo=UTC))
    assert "Showing 1 to 25" in page(signed_in.get(TRIAGE))
    second = page(signed_in.get(TRIAGE + "?page=2"))
    assert "Showing 26 to 26" in second and "Mould in the flat 25" in second


# --- The message page ----------------------------------------------------------------------------


def test_the_email_is_shown_as_text_and_its_html_never_rendered(signed_in):
    message = receive(
        text="<script>alert('x')</script> & the damp",
        html="<p onclick=\"alert('x')\"><b>Bold</b></p>",
        attachments=[("report.pdf", "application/pdf", PDF)],
    )
    html = page(signed_in.get(message_url(message)))

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; the damp" in html
    assert "<script>alert" not in html and "<b>Bold</b>" not in html
    assert "Cleo Nwosu &lt;cleo@example.org&gt;" in html
    assert "2 June 2026 at 12:30am" in html
    assert "report.pdf" in html


def test_an_attachment_downloads_and_is_never_served_as_its_declared_type(signed_in):
    message = receive(attachments=[("page.html", "text/html", b"<script>alert(1)</script>")])
    attachment = message.attachments.get()
    response = signed_in.get(reverse("inbound:attachment", args=[message.pk, attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


# --- Filing --------------------------------------------------------------------------------------


def test_filing_on_a_complaint_by_reference(signed_in, handler):
    case = complaint()
    message = receive(attachments=[("report.pdf", "application/pdf", PDF)])

    response = signed_in.post(
        message_url(message), {"action": "file", "reference": f" {case.reference.lower()} "}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[case.reference])
    message.refresh_from_db()
    assert (message.status, message.complaint, message.handled_by) == (
        MessageStatus.FILED,
        case,
        handler,
    )
    assert [d.original_name for d in case.documents.all()] == ["report.pdf"]


def test_an_attachment_the_record_refuses_is_reported_after_filing(signed_in):
    case = complaint()
    message = receive(attachments=[("virus.exe", "application/octet-stream", b"MZ\x90\x00")])

    response = signed_in.post(
        message_url(message), {"action": "file", "reference": case.reference}, follow=True
    )

    assert "virus.exe was not kept on the complaint" in page(response)
    assert not case.documents.exists()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter the reference of the complaint to file the email on"),
        ("2026-42", "Enter a complaint reference in the correct format, like C-2026-00042"),
        ("C-2026-09999", "There is no complaint with the reference C-2026-09999"),
    ],
)
def test_a_wrong_reference_is_explained_and_kept(signed_in, typed, error):
    message = receive()
    response = signed_in.post(message_url(message), {"action": "file", "reference": typed})

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_reference") == error
    assert input_value(html, "id_reference") == (typed or None)
    message.refresh_from_db()
    assert message.status == MessageStatus.TRIAGE


def test_a_confidential_complaint_someone_may_not_see_cannot_be_filed_on(signed_in):
    case = complaint(is_confidential=True, handler=StaffUserFactory(role="Case handler"))
    message = receive()
    response = signed_in.post(message_url(message), {"action": "file", "reference": case.reference})
    assert error_beside(page(response), "id_reference") == (
        f"There is no complaint with the reference {case.reference}"
    )


# --- Dismissing ----------------------------------------------------------------------------------


def test_dismissing_needs_a_reason(signed_in):
    message = receive()
    response = signed_in.post(message_url(message), {"action": "dismiss", "reason": ""})
    assert response.status_code == 400
    assert error_beside(page(response), "id_reason") == "Enter why you are dismissing the email"


def test_dismissing_takes_it_out_of_the_queue(signed_in, handler):
    message = receive()
    response = signed_in.post(
        message_url(message), {"action": "dismiss", "reason": "A repair request"}
    )
    assert response["Location"] == TRIAGE
    message.refresh_from_db()
    assert (message.status, message.dismiss_reason, message.handled_by) == (
        MessageStatus.DISMISSED,
        "A repair request",
        handler,
    )
    html = page(signed_in.get(message_url(message)))
    assert "What to do with it" not in html
    assert "A repair request" in html


# --- Logging a complaint -------------------------------------------------------------------------


def test_choosing_the_complainant_starts_from_the_senders_address(signed_in):
    cleo = ResidentFactory(first_name="Cleo", last_name="Nwosu", email="cleo@example.org")
    ResidentFactory(first_name="Other", last_name="Person", email="other@example.org")
    message = receive()

    html = page(signed_in.get(reverse("inbound:log", args=[message.pk])))

    assert input_value(html, "id_q") == "cleo@example.org"
    assert f"?resident={cleo.pk}" in html
    assert "Other Person" not in html
    # Adding someone new starts from the email's sender.
    assert input_value(html, "id_first_name") == "Cleo"
    assert input_value(html, "id_last_name") == "Nwosu"


def test_adding_the_sender_as_a_new_person_goes_on_to_the_complaint(signed_in):
    message = receive()
    url = reverse("inbound:log", args=[message.pk])
    response = signed_in.post(
        url,
        {
            "step": "resident",
            "first_name": "Cleo",
            "last_name": "Nwosu",
            "kind": "tenant",
            "email": "cleo@example.org",
        },
    )
    resident = Resident.objects.get(email="cleo@example.org")
    assert response["Location"] == f"{url}?resident={resident.pk}"


def test_logging_a_complaint_from_the_email_fixes_how_and_when_it_was_received(signed_in, handler):
    resident = ResidentFactory(email="cleo@example.org")
    message = receive()
    url = reverse("inbound:log", args=[message.pk])

    form = page(signed_in.get(f"{url}?resident={resident.pk}"))
    assert textarea_value(form, "id_description") == "The mould is back.\nNobody has come."
    assert "By email, 2 June 2026 at 12:30am" in form
    assert 'name="received_at_day"' not in form and 'name="channel"' not in form

    response = signed_in.post(
        url,
        {
            "complainant": resident.pk,
            "received_by": "Complaints mailbox",
            "description": "The mould is back in the bathroom.",
        },
    )

    case = Complaint.objects.get()
    assert response["Location"] == reverse("casework:case", args=[case.reference])
    assert (case.channel, case.received_at, case.received_on, case.received_by) == (
        Channel.EMAIL,
        dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC),
        dt.date(2026, 6, 2),
        "Complaints mailbox",
    )
    message.refresh_from_db()
    assert (message.status, message.complaint, message.handled_by) == (
        MessageStatus.LOGGED,
        case,
        handler,
    )
    # Back to the log page now: the email was dealt with.
    assert signed_in.get(url)["Location"] == message_url(message)


def test_a_complaint_form_with_errors_keeps_what_was_typed(signed_in):
    resident = ResidentFactory()
    message = receive()
    response = signed_in.post(
        reverse("inbound:log", args=[message.pk]),
        {
            "complainant": resident.pk,
            "received_by": "Contact centre",
            "description": "",
            "service_request_reference": "SR-77",
        },
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_description")
    assert input_value(html, "id_received_by") == "Contact centre"
    assert input_value(html, "id_service_request_reference") == "SR-77"
    assert not Complaint.objects.exists()
    message.refresh_from_db()
    assert message.status == MessageStatus.TRIAGE

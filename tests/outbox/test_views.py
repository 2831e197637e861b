"""The "Failed to send" screen through Django's test client: who may open it, what it lists,
and the "Send again" button (POST, with the CSRF check switched on as in production)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.core.models import SecurityEvent
from putright.outbox.models import EmailStatus, OutgoingEmail
from putright.outbox.services import email_deliver, email_enqueue
from tests.accounts.helpers import make_staff
from tests.outbox.conftest import letter_email

pytestmark = pytest.mark.django_db

FAILED = "/outbox/failed/"


def allowed(user, *codenames: str):
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def failed(smtp, complaint, officer) -> OutgoingEmail:
    """An email the mail server refused outright, so it is on the failed list."""
    smtp.mailbox.refuse_rcpt = "550 5.1.1 No such mailbox here"
    email = email_enqueue(**letter_email(complaint=complaint, acting_user=officer))
    assert email_deliver(email_id=email.pk) == "failed"
    smtp.mailbox.refuse_rcpt = None
    return email


@pytest.fixture
def resender(db):
    return allowed(make_staff("Case handler"), "resend_outgoingemail")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_page_lives_at_outbox_failed():
    assert reverse("outbox:failed") == FAILED


def test_signed_out_people_are_sent_to_sign_in(client, failed):
    response = client.get(FAILED)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))
    assert client.post(reverse("outbox:resend", args=[failed.pk])).status_code == 302


def test_staff_without_the_permission_are_refused_the_page_and_the_button(client, failed):
    client.force_login(make_staff("Case handler"))
    assert client.get(FAILED).status_code == 403
    assert client.post(reverse("outbox:resend", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED


def test_the_list_shows_each_failed_email_with_its_complaint_and_error(
    client, resender, failed, complaint
):
    client.force_login(resender)
    response = client.get(FAILED)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Failed to send</h1>' in page
    assert "1 email not sent" in page
    assert "rita.resident@example.com" in page
    assert "We have received your complaint" in page
    case_url = reverse("casework:case", kwargs={"reference": complaint.reference})
    assert f'<a class="govuk-link" href="{case_url}">{complaint.reference}</a>' in page
    assert "550 5.1.1 No such mailbox here" in page
    assert f'action="{reverse("outbox:resend", args=[failed.pk])}"' in page


def test_send_again_queues_the_email_and_says_so(smtp, resender, failed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resender)
    token = csrf_token(client.get(FAILED).content.decode())

    response = client.post(
        reverse("outbox:resend", args=[failed.pk]),
        {"csrfmiddlewaretoken": token, "page": "1"},
        follow=True,
    )
    assert response.redirect_chain == [(FAILED, 302)]
    page = response.content.decode()
    assert "The email to rita.resident@example.com will be sent again." in page
    assert "No emails waiting" in page
    failed.refresh_from_db()
    assert (failed.status, failed.resent_by, failed.resend_count) == (
        EmailStatus.QUEUED,
        resender,
        1,
    )

    # Sending it again twice (a double click, a second tab) is refused, not repeated.
    response = client.post(
        reverse("outbox:resend", args=[failed.pk]), {"csrfmiddlewaretoken": token}, follow=True
    )
    assert "is already waiting to be sent" in response.content.decode()
    failed.refresh_from_db()
    assert failed.resend_count == 1


def test_send_again_without_the_csrf_token_is_refused(resender, failed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resender)
    response = client.post(reverse("outbox:resend", args=[failed.pk]))
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED


def test_send_again_is_post_only(client, resender, failed):
    client.force_login(resender)
    assert client.get(reverse("outbox:resend", args=[failed.pk])).status_code == 405


def test_an_email_about_a_confidential_complaint_is_shown_only_to_those_who_may_see_it(
    client, resender, failed, complaint
):
    Complaint.objects.filter(pk=complaint.pk).update(is_confidential=True)

    client.force_login(resender)
    assert "No emails waiting" in client.get(FAILED).content.decode()
    assert client.post(reverse("outbox:resend", args=[failed.pk])).status_code == 404

    manager = allowed(
        make_staff("Case handler", email="mo.manager@example.org"),
        "resend_outgoingemail",
        "view_confidential",
    )
    client.force_login(manager)
    page = client.get(FAILED).content.decode()
    assert complaint.reference in page and "Confidential" in page
    logged = SecurityEvent.objects.get(kind="confidential_read", actor=manager)
    assert complaint.reference in logged.subject

"""Email delivered by a provider's inbound webhook, through real HTTP with real payloads
(Mailgun's raw MIME form post, Postmark's parsed JSON), authenticated by anymail."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from putright.inbound.models import InboundMessage, MessageStatus, Source
from tests.inbound.helpers import UTC, complaint, email, png

pytestmark = pytest.mark.django_db

SECRET = "putright:webhook-secret"
SIGNING_KEY = "mailgun-signing-key"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def basic_auth(credentials: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def mailgun_post(client, raw_mime: str, *, timestamp: int, auth: dict | None = None):
    """Mailgun's inbound route forwarding the raw MIME, signed with the webhook key."""
    token = "a" * 50
    signature = hmac.new(
        SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return client.post(
        reverse("anymail:mailgun_inbound_webhook"),
        {
            "body-mime": raw_mime,
            "recipient": "complaints@landlord.example",
            "sender": "ada@example.org",
            "timestamp": str(timestamp),
            "token": token,
            "signature": signature,
        },
        **(basic_auth() if auth is None else auth),
    )


def postmark_payload(*, message_id: str, subject: str, text: str) -> dict:
    """Postmark's inbound JSON (parsed fields, no RawEmail), as its documentation shows it."""
    picture = png()
    return {
        "FromName": "Cleo Nwosu",
        "From": "cleo@example.org",
        "FromFull": {"Email": "cleo@example.org", "Name": "Cleo Nwosu", "MailboxHash": ""},
        "To": "complaints@landlord.example",
        "ToFull": [{"Email": "complaints@landlord.example", "Name": "", "MailboxHash": ""}],
        "CcFull": [],
        "BccFull": [],
        "OriginalRecipient": "complaints@landlord.example",
        "Subject": subject,
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "ReplyTo": "",
        "Date": "Tue, 2 Jun 2026 10:00:00 +0100",
        "TextBody": text,
        "HtmlBody": f"<p>{text}</p>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<cleo@example.org>"},
            {"Name": "Message-ID", "Value": message_id},
        ],
        "Attachments": [
            {
                "Name": "mould.png",
                "Content": base64.b64encode(picture).decode(),
                "ContentType": "image/png",
                "ContentLength": len(picture),
            }
        ],
    }


def postmark_post(client, payload: dict):
    return client.post(
        reverse("anymail:postmark_inbound_webhook"),
        json.dumps(payload),
        content_type="application/json",
        **basic_auth(),
    )


def test_a_mailgun_delivery_naming_a_complaint_is_filed_timed_by_the_provider(client):
    case = complaint(email_address="ada@example.org")
    raw = email(
        message_id="<mailgun-1@example.org>",
        subject=f"Photos for {case.reference}",
        body="The damp has spread.",
        attachments=(("wall.png", "image/png", png()),),
    ).as_string()
    arrived = dt.datetime(2026, 6, 2, 8, 15, 30, tzinfo=UTC)

    response = mailgun_post(client, raw, timestamp=int(arrived.timestamp()))

    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.source, message.status, message.complaint) == (
        Source.WEBHOOK,
        MessageStatus.FILED,
        case,
    )
    assert message.received_at == arrived
    assert message.from_address == "ada@example.org"
    assert [(d.original_name, d.content_type) for d in case.documents.all()] == [
        ("wall.png", "image/png")
    ]


def test_a_provider_retrying_the_same_message_is_ignored(client):
    raw = email(message_id="<retry@example.org>", subject="Leak", body="Leaking.").as_string()
    first = mailgun_post(client, raw, timestamp=1780387200)
    again = mailgun_post(client, raw, timestamp=1780387260)

    assert (first.status_code, again.status_code) == (200, 200)
    message = InboundMessage.objects.get()
    assert message.received_at == dt.datetime.fromtimestamp(1780387200, tz=UTC)


def test_a_postmark_delivery_without_a_reference_waits_in_triage_timed_on_arrival(client):
    before = timezone.now()

    response = postmark_post(
        client,
        postmark_payload(
            message_id="<postmark-1@example.org>",
            subject="Mould in the flat",
            text="The mould is back in the bathroom.",
        ),
    )

    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.status == MessageStatus.TRIAGE
    assert message.message_id == "<postmark-1@example.org>"
    # Postmark gives no event time: the moment it was posted, not the sender's Date.
    assert before <= message.received_at <= timezone.now()
    assert (message.from_name, message.from_address) == ("Cleo Nwosu", "cleo@example.org")
    assert message.text == "The mould is back in the bathroom."
    assert message.html == "<p>The mould is back in the bathroom.</p>"
    attachment = message.attachments.get()
    assert (attachment.name, attachment.content_type) == ("mould.png", "image/png")
    assert attachment.file.read() == png()


def test_a_post_without_the_secret_is_refused_and_nothing_kept(client):
    raw = email(message_id="<forged@example.org>", subject="Forged", body="x").as_string()
    response = mailgun_post(client, raw, timestamp=1780387200, auth=basic_auth("wrong:guess"))

    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def test_without_a_webhook_secret_configured_nothing_is_kept(client, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    raw = email(message_id="<open@example.org>", subject="Open", body="x").as_string()

    response = mailgun_post(client, raw, timestamp=1780387200, auth={})

    assert response.status_code == 403
    assert not InboundMessage.objects.exists()

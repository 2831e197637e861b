"""Email delivered by a provider's inbound webhook (django-anymail at ``/anymail/<esp>/inbound/``).

Anymail checks the request (basic auth from ``ANYMAIL["WEBHOOK_SECRET"]``, and the provider's
signature where it has one) and sends its ``inbound`` signal; this receiver keeps the message.
An error answers 500, and providers retry: the Message-ID makes the retry harmless.

Without a ``WEBHOOK_SECRET`` anymail only warns and lets anyone post; here nothing is kept
then (403), so a deployment that forgot the secret cannot be fed invented complaints.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent
from anymail.utils import get_anymail_setting
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from putright.inbound.models import Source
from putright.inbound.services import message_id_or_digest, message_receive


def receive_inbound(sender: Any, event: AnymailInboundEvent, esp_name: str, **kwargs: Any) -> None:
    """Anymail's ``inbound`` signal: keep the message, timed by the provider's event."""
    if not get_anymail_setting("webhook_secret", default=None):
        raise PermissionDenied("Set ANYMAIL's WEBHOOK_SECRET to take email in by webhook.")
    message_receive(**_fields(event.message, event.timestamp))


def _is_attached(part: AnymailInboundMessage) -> bool:
    """Files sent with the message, including pictures placed inline in the text (phones often
    send photos that way), but not the message's own text or HTML."""
    if part.is_attachment():
        return True
    return part.is_inline() and part.get_content_maintype() not in ("text", "multipart")


def _fields(message: AnymailInboundMessage, timestamp: datetime | None) -> dict:
    """``message_receive``'s arguments for one inbound message. Providers post within moments
    of receiving, so without an event time the time now is nearer than the sender's Date."""
    sender = message.from_email
    if isinstance(sender, list):  # several From addresses: rare, but legal
        sender = sender[0]
    to = ", ".join(address.addr_spec for address in message.to)
    return {
        "message_id": message_id_or_digest(message["Message-ID"], message.as_bytes()),
        "received_at": timestamp or timezone.now(),
        "from_address": sender.addr_spec if sender else "",
        "from_name": sender.display_name if sender else "",
        "to": to or message.envelope_recipient or "",
        "subject": message.subject or "",
        "text": message.text or "",
        "html": message.html or "",
        "attachments": [
            (part.get_filename(), part.get_content_type(), part.get_content_bytes())
            for part in message.walk()
            if _is_attached(part)
        ],
        "source": Source.WEBHOOK,
    }

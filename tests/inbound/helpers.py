"""Real email for the inbound tests: RFC 822 messages with real PDF and PNG files."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from email.message import EmailMessage
from email.utils import format_datetime

from putright.complaints import services
from putright.complaints.models import Channel, Complaint
from tests.people.factories import ResidentFactory

UTC = dt.UTC
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    """A real one-pixel PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + _chunk(b"IEND", b"")
    )


def email(
    *,
    message_id: str | None,
    subject: str,
    body: str,
    sender: str = "Ada Okafor <ada@example.org>",
    sent: dt.datetime = dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> EmailMessage:
    """An email as a mail client writes it; ``attachments`` are (name, content type, bytes)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@landlord.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    for name, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def complaint(
    *,
    email_address: str = "",
    received_at: dt.datetime | None = None,
    complainant=None,
    **kwargs,
) -> Complaint:
    """A complaint logged by phone, from a resident with this email address (or the
    ``complainant`` given)."""
    return services.complaint_log(
        acting_user=None,
        complainant=complainant or ResidentFactory(email=email_address),
        channel=Channel.PHONE,
        received_at=received_at or dt.datetime(2026, 5, 11, 10, tzinfo=UTC),
        description="The damp in the bedroom has not been treated.",
        **kwargs,
    )

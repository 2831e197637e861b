"""Fixtures for the outbox: a real SMTP server (aiosmtpd) on a free port, and a complaint with a
letter's PDF on its record to send."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from putright.complaints import services
from putright.complaints.models import Channel, Complaint, Document
from tests.people.factories import ResidentFactory, StaffUserFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2026, 1, 5)

# A letter's PDF as the letters app stores it: about the size of a two-page letter.
PDF = b"%PDF-1.4\n" + b"% padding to the size of a real letter\n" * 780 + b"%%EOF\n"


class Mailbox:
    """The SMTP server's handler: refuses with ``refuse_rcpt`` (say a 451) while it is set,
    else keeps every message it accepts in ``received``."""

    def __init__(self) -> None:
        self.refuse_rcpt: str | None = None
        self.refuse_data: str | None = None
        self.received: list[EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_data:
            return self.refuse_data
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on ``port``, in a thread; ``stop`` leaves nothing listening there."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[EmailMessage]:
        return self.mailbox.received

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """Django sends through a real SMTP server, started; ``smtp.stop()`` takes it down."""
    server = SmtpServer(free_port())
    server.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
        DEFAULT_FROM_EMAIL="complaints@greenway-homes.example",
    ):
        yield server
    server.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def officer(db):
    return StaffUserFactory()


@pytest.fixture
def complaint(officer, set_today) -> Complaint:
    set_today(TODAY)
    return services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=ResidentFactory(email="rita.resident@example.com"),
        channel=Channel.PHONE,
        received_at=dt.datetime(2025, 12, 22, 10, tzinfo=LONDON),
        description="Nobody has fixed the damp in my bedroom since May.",
    )


@pytest.fixture
def letter_pdf(media, officer, complaint) -> Document:
    return services.document_upload(
        acting_user=officer,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile("acknowledgement.pdf", PDF),
        kind=Document.Kind.LETTER,
    )


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    ]


def letter_email(**kwargs: Any) -> dict[str, Any]:
    """What the letters app would enqueue for an acknowledgement letter."""
    return {
        "to": ["rita.resident@example.com"],
        "subject": "We have received your complaint",
        "text": "Please find your acknowledgement letter attached.",
        "html": "<p>Please find your acknowledgement letter attached.</p>",
        **kwargs,
    }

"""Taking a message in and what staff do with it, through the services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from putright.complaints.models import Channel, ComplaintEvent, Correspondence, Party, Stage
from putright.core.errors import InvalidInput, StepRefused
from putright.inbound.models import InboundMessage, MessageStatus
from putright.inbound.services import (
    message_dismiss,
    message_file,
    message_id_or_digest,
    message_log_complaint,
    message_receive,
    messages_sweep_anonymised,
    references_in,
)
from putright.people.models import Relationship
from tests.inbound.helpers import PDF, UTC, complaint
from tests.people.factories import RepresentativeFactory, ResidentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

D = dt.date


def receive(**overrides) -> InboundMessage:
    fields = {
        "message_id": "<m1@example.org>",
        "received_at": dt.datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        "from_address": "cleo@example.org",
        "from_name": "Cleo Nwosu",
        "to": "complaints@landlord.example",
        "subject": "Mould in the flat",
        "text": "The mould is back.\nNobody has come.",
        "html": "",
        "attachments": [],
        "source": "webhook",
        **overrides,
    }
    return message_receive(**fields)


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Cara Handler")


# --- Receiving -----------------------------------------------------------------------------------


def test_references_are_found_in_any_case_each_once_in_order():
    text = "About c-2026-00002 and C-2026-00001, not C-2026-000011; again C-2026-00002."
    assert references_in(text) == ["C-2026-00002", "C-2026-00001"]


def test_the_same_message_id_again_returns_the_message_kept_and_changes_nothing():
    first = receive()
    again = receive(subject="Something else", text="Other words", source="imap")

    assert again.pk == first.pk
    assert (again.subject, again.source) == ("Mould in the flat", "webhook")
    assert InboundMessage.objects.count() == 1


def test_the_subject_is_read_before_the_body_and_only_existing_complaints_count():
    in_subject, in_body = complaint(), complaint()
    message = receive(
        subject=f"C-2026-09999 and {in_subject.reference}",
        text=f"See {in_body.reference}",
    )
    assert message.complaint == in_subject


def test_a_reference_in_an_html_only_body_files_it():
    case = complaint()
    message = receive(text="", html=f"<p>My complaint is <b>{case.reference}</b></p>")
    assert (message.status, message.complaint) == (MessageStatus.FILED, case)
    assert Correspondence.objects.get(complaint=case).summary == (
        f"Email: Mould in the flat\nMy complaint is {case.reference}"
    )


def test_an_email_naming_a_complaint_received_after_it_waits_in_triage_saying_why():
    case = complaint(received_at=dt.datetime(2026, 5, 11, 10, tzinfo=UTC))
    message = receive(
        subject=f"About {case.reference}", received_at=dt.datetime(2026, 5, 1, 9, tzinfo=UTC)
    )

    assert (message.status, message.complaint) == (MessageStatus.TRIAGE, None)
    assert message.filing_problem.startswith(f"It names complaint {case.reference}, but")
    assert "cannot be dated before the complaint was received" in message.filing_problem
    assert not Correspondence.objects.exists()


def test_a_message_without_a_message_id_is_known_by_its_content():
    raw = b"From: a@example.org\r\nSubject: Hi\r\n\r\nHello\r\n"
    assert message_id_or_digest(None, raw) == message_id_or_digest("  ", raw)
    assert message_id_or_digest(None, raw) != message_id_or_digest(None, raw + b"!")
    assert message_id_or_digest(" <id@example.org> ", raw) == "<id@example.org>"


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(InvalidInput) as refused:
        receive(received_at=dt.datetime(2026, 6, 2, 9, 0))
    assert refused.value.field == "received_at"


def test_an_attachment_without_a_name_gets_one_from_its_type():
    message = receive(attachments=[(None, "application/pdf", PDF)])
    attachment = message.attachments.get()
    assert (attachment.name, attachment.size) == ("attachment-1.pdf", len(PDF))
    assert attachment.file.name.startswith("inbound/")


# --- Filing by hand ------------------------------------------------------------------------------


def test_filing_from_triage_records_who_and_when_and_the_representative_as_party(handler):
    resident = ResidentFactory()
    representative = RepresentativeFactory(
        resident=resident, email="adviser@example.net", relationship=Relationship.ADVOCATE
    )
    case = complaint(complainant=resident, representative=representative)
    message = receive(
        from_address="Adviser@Example.net", attachments=[("r.pdf", "application/pdf", PDF)]
    )
    assert message.status == MessageStatus.TRIAGE

    filed = message_file(message=message, complaint=case, acting_user=handler)

    assert (filed.status, filed.complaint, filed.handled_by) == (
        MessageStatus.FILED,
        case,
        handler,
    )
    assert filed.handled_at is not None
    entry = filed.correspondence
    assert (entry.party, entry.recorded_by, entry.happened_on) == (
        Party.REPRESENTATIVE,
        handler,
        D(2026, 6, 2),
    )
    assert [d.original_name for d in case.documents.all()] == ["r.pdf"]
    assert filed.attachments.get().document.uploaded_by == handler


def test_a_message_is_dealt_with_once(handler):
    message = receive()
    message_dismiss(message=message, reason="Spam", acting_user=handler)

    with pytest.raises(StepRefused) as refused:
        message_file(message=message, complaint=complaint(), acting_user=handler)
    assert refused.value.code == "already_handled"
    assert str(refused.value) == "This email has already been dismissed."


# --- Dismissing ----------------------------------------------------------------------------------


def test_dismissing_needs_a_reason_and_keeps_it_with_who_and_when(handler):
    message = receive()
    with pytest.raises(InvalidInput) as refused:
        message_dismiss(message=message, reason="  ", acting_user=handler)
    assert refused.value.field == "reason"
    message.refresh_from_db()
    assert message.status == MessageStatus.TRIAGE

    message_dismiss(message=message, reason="A repair request: passed on", acting_user=handler)

    assert (message.status, message.dismiss_reason, message.handled_by) == (
        MessageStatus.DISMISSED,
        "A repair request: passed on",
        handler,
    )
    assert message.handled_at is not None


# --- Logging a complaint -------------------------------------------------------------------------


def test_a_complaint_logged_from_an_email_was_received_when_the_email_arrived(handler):
    # 23:30 UTC on a summer evening is 00:30 the next day in England (BST).
    arrived = dt.datetime(2026, 7, 14, 23, 30, tzinfo=UTC)
    message = receive(received_at=arrived, attachments=[("photo.pdf", "application/pdf", PDF)])

    case = message_log_complaint(
        message=message,
        acting_user=handler,
        complainant=ResidentFactory(email="cleo@example.org"),
        description=message.text,
    )

    assert (case.channel, case.received_at, case.received_on) == (
        Channel.EMAIL,
        arrived,
        D(2026, 7, 15),
    )
    assert Stage.objects.get(complaint=case).received_on == D(2026, 7, 15)
    message.refresh_from_db()
    assert (message.status, message.complaint, message.handled_by) == (
        MessageStatus.LOGGED,
        case,
        handler,
    )
    assert message.correspondence.party == Party.RESIDENT
    assert message.correspondence.happened_on == D(2026, 7, 15)
    assert [d.original_name for d in case.documents.all()] == ["photo.pdf"]


def test_logging_leaves_the_email_in_triage_when_the_complaint_is_refused(handler):
    message = receive()
    with pytest.raises(InvalidInput):
        message_log_complaint(
            message=message, acting_user=handler, complainant=ResidentFactory(), description=" "
        )
    message.refresh_from_db()
    assert (message.status, message.complaint) == (MessageStatus.TRIAGE, None)


def test_the_channel_and_receipt_time_come_from_the_email_only(handler):
    with pytest.raises(TypeError):
        message_log_complaint(
            message=receive(),
            acting_user=handler,
            complainant=ResidentFactory(),
            description="Words",
            channel=Channel.PHONE,
        )


# --- Retention -----------------------------------------------------------------------------------


def test_emails_on_an_anonymised_complaint_lose_their_personal_details():
    case, other = complaint(), complaint()
    gone = receive(
        subject=f"About {case.reference}", attachments=[("letter.pdf", "application/pdf", PDF)]
    )
    kept = receive(message_id="<m2@example.org>", subject=f"About {other.reference}")
    path = Path(gone.attachments.get().file.path)
    ComplaintEvent.write(
        complaint=case,
        stage_number=None,
        on=D(2033, 1, 5),
        acting_user=None,
        action=ComplaintEvent.Action.ANONYMISED,
        summary="Personal data removed at the end of the retention period",
    )

    assert messages_sweep_anonymised() == 1

    gone.refresh_from_db()
    assert (gone.from_address, gone.from_name, gone.subject, gone.text, gone.html) == (
        "",
        "[anonymised]",
        "[anonymised]",
        "[anonymised]",
        "",
    )
    assert (gone.status, gone.complaint, gone.received_at) == (
        MessageStatus.FILED,
        case,
        dt.datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
    )
    attachment = gone.attachments.get()
    assert (attachment.name, attachment.file.name) == ("[anonymised]", "")
    assert not path.exists()
    kept.refresh_from_db()
    assert kept.from_address == "cleo@example.org"
    assert messages_sweep_anonymised() == 0

"""Taking email in and deciding what it is: each action one transaction, refusals as domain
errors (``putright.core.errors``).

- ``message_receive``: keep a message once (by Message-ID) and, when it names an existing
  complaint, file it there; otherwise it waits in triage.
- ``message_file``, ``message_dismiss``, ``message_log_complaint``: what staff do with a message
  in triage. Each records who acted and when.

Filing records the email as incoming correspondence and copies each attachment onto the
complaint through ``document_upload``, so the same size and real-type checks apply as to an
upload. An attachment those checks refuse stays on the message with the reason; it never stops
the filing and is never dropped silently.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import mimetypes
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from putright.complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    CorrespondenceChannel,
    Direction,
    DocumentKind,
    Party,
)
from putright.complaints.services import complaint_log, correspondence_record, document_upload
from putright.core import clock
from putright.core.errors import DomainError, InvalidInput, StepRefused
from putright.inbound.models import InboundAttachment, InboundMessage, MessageStatus, Source
from putright.privacy.redaction import REDACTED, redacted_text

# A complaint reference as ``_next_reference`` writes it; people retype it in any case.
REFERENCE = re.compile(r"\bC-\d{4}-\d{5}\b", re.IGNORECASE)
SUMMARY_LINES = 5  # of the body, after the subject, in the correspondence summary
MAX_NAME = 255
MAX_MESSAGE_ID = InboundMessage._meta.get_field("message_id").max_length


# Reading a message ------------------------------------------------------------------------------


def references_in(text: str) -> list[str]:
    """The complaint references in ``text``, in the order they appear, each once."""
    return list(dict.fromkeys(match.upper() for match in REFERENCE.findall(text or "")))


def body_text(*, text: str, html: str) -> str:
    """The body as plain text: the text part, else the HTML part with its tags removed."""
    if text.strip():
        return text
    return html_lib.unescape(strip_tags(html))


def message_id_or_digest(header: str | None, raw: bytes) -> str:
    """The Message-ID header, or for a message without one a digest of the message itself, so
    the same message delivered twice is still recognised."""
    value = (header or "").strip()
    return value or _digest_id(raw)


def _digest_id(raw: bytes) -> str:
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@putright.invalid>"


def _named_complaint(*, subject: str, body: str) -> Complaint | None:
    """The first existing complaint named in the subject, else in the body."""
    for source in (subject, body):
        references = references_in(source)
        if not references:
            continue
        found = {c.reference: c for c in Complaint.objects.filter(reference__in=references)}
        for reference in references:
            if reference in found:
                return found[reference]
    return None


def _attachment_name(name: str | None, content_type: str, number: int) -> str:
    """A file name without any folders, never empty (inline parts often have none), no longer
    than the column. The extension is kept: the type check compares it with the content."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    if not name:
        extension = mimetypes.guess_extension(content_type or "") or ".bin"
        name = f"attachment-{number}{extension}"
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name


# Receiving --------------------------------------------------------------------------------------


@transaction.atomic
def message_receive(
    *,
    message_id: str,
    received_at: datetime,
    from_address: str,
    from_name: str = "",
    to: str = "",
    subject: str = "",
    text: str = "",
    html: str = "",
    attachments: Iterable[tuple[str | None, str, bytes]] = (),
    source: str,
) -> InboundMessage:
    """Keep one email; file it on the complaint it names, or leave it in triage.

    Idempotent on ``message_id``: a message already kept is returned as it is, unchanged, so a
    mailbox polled twice or a provider's retried webhook records nothing new.
    ``received_at`` is when the landlord's mail server received it (aware).
    """
    message_id = message_id.strip()
    if not message_id:
        raise InvalidInput("message_id_missing", "Give the message's Message-ID.")
    if len(message_id) > MAX_MESSAGE_ID:  # longer than a header line may be: keep it unique
        message_id = _digest_id(message_id.encode())
    existing = InboundMessage.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    if source not in Source.values:
        raise InvalidInput("invalid_source", "Say where the email came from.", field="source")
    if timezone.is_naive(received_at):
        raise InvalidInput(
            "invalid_date", "Give the time received with its time zone.", field="received_at"
        )
    message = InboundMessage(
        message_id=message_id,
        received_at=received_at,
        from_address=_plain(from_address).strip()[:254],
        from_name=_plain(from_name).strip()[:200],
        to=_plain(to),
        subject=_plain(subject).strip(),
        text=_plain(text),
        html=_plain(html),
        source=source,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # another worker kept the same message a moment ago
        return InboundMessage.objects.get(message_id=message_id)
    stored: list[InboundAttachment] = []
    try:
        for number, (name, content_type, content) in enumerate(attachments, start=1):
            stored.append(_store_attachment(message, number, name, content_type, content))
        complaint = _named_complaint(subject=subject, body=body_text(text=text, html=html))
        if complaint is not None:
            _file_named(message, complaint)
    except Exception:
        for attachment in stored:  # the rows roll back; their files must go with them
            attachment.file.delete(save=False)
        raise
    return message


def _plain(value: str | None) -> str:
    """Text as a database column takes it: PostgreSQL refuses NUL characters, which a badly
    encoded email can carry."""
    return (value or "").replace("\x00", "")


def _store_attachment(
    message: InboundMessage, number: int, name: str | None, content_type: str, content: bytes
) -> InboundAttachment:
    content_type = (content_type or "application/octet-stream")[:100]
    name = _attachment_name(name, content_type, number)
    attachment = InboundAttachment(
        message=message, name=name, content_type=content_type, size=len(content)
    )
    attachment.file.save(name, ContentFile(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def _file_named(message: InboundMessage, complaint: Complaint) -> None:
    """File a message on the complaint its reference names. If the complaint's record refuses it
    (an email dated before the complaint was received, say), it waits in triage with the reason
    for someone to decide."""
    try:
        with transaction.atomic():
            _file(message, complaint, acting_user=None, status=MessageStatus.FILED)
    except DomainError as error:
        message.refresh_from_db()
        message.filing_problem = (
            f"It names complaint {complaint.reference}, but could not be filed there: "
            f"{error.message}"
        )
        message.save(update_fields=["filing_problem", "updated_at"])


# Filing -----------------------------------------------------------------------------------------


def _arrival_date(message: InboundMessage) -> date:
    """The day it arrived in England; never later than today, since a step cannot be dated in
    the future and a sender's clock may be wrong."""
    return min(timezone.localtime(message.received_at).date(), clock.today())


def _party(message: InboundMessage, complaint: Complaint) -> str:
    sender = message.from_address.casefold()
    if not sender:
        return Party.OTHER
    if sender == (complaint.complainant.email or "").casefold():
        return Party.RESIDENT
    representative = complaint.representative
    if representative is not None and sender == (representative.email or "").casefold():
        return Party.REPRESENTATIVE
    return Party.OTHER


def _summary(message: InboundMessage) -> str:
    """The subject and the first lines of the body: enough to recognise it on the timeline."""
    body = body_text(text=message.text, html=message.html)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    subject = message.subject or "(no subject)"
    return "\n".join([f"Email: {subject}", *lines[:SUMMARY_LINES]])


def _document_kind(attachment: InboundAttachment) -> str:
    return (
        DocumentKind.PHOTO
        if attachment.content_type.startswith("image/")
        else DocumentKind.EVIDENCE
    )


def _file(
    message: InboundMessage, complaint: Complaint, *, acting_user: Any, status: str
) -> list[InboundAttachment]:
    """Record the message on the complaint and copy its attachments there; the attachments
    refused by the checks."""
    correspondence = correspondence_record(
        acting_user=acting_user,
        complaint=complaint,
        direction=Direction.IN,
        channel=CorrespondenceChannel.EMAIL,
        party=_party(message, complaint),
        summary=_summary(message),
        on=_arrival_date(message),
        stage_number=complaint.stage_number,
    )
    refused = []
    for attachment in message.attachments.filter(document__isnull=True):
        with attachment.file.open("rb") as handle:
            upload = ContentFile(handle.read(), name=attachment.name)
        try:
            attachment.document = document_upload(
                acting_user=acting_user,
                complaint=complaint,
                uploaded_file=upload,
                kind=_document_kind(attachment),
            )
            attachment.refused = ""
        except DomainError as error:
            attachment.refused = error.message
            refused.append(attachment)
        attachment.save(update_fields=["document", "refused", "updated_at"])
    message.status = status
    message.complaint = complaint
    message.correspondence = correspondence
    message.handled_by = acting_user
    message.handled_at = timezone.now()
    message.filing_problem = ""
    message.save()
    return refused


def _lock_in_triage(message: InboundMessage) -> InboundMessage:
    """The message's row, locked, after checking nobody has dealt with it yet."""
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status == MessageStatus.TRIAGE:
        return locked
    reference = locked.complaint.reference if locked.complaint_id else ""
    done = {
        MessageStatus.FILED: f"filed on complaint {reference}",
        MessageStatus.LOGGED: f"logged as complaint {reference}",
        MessageStatus.DISMISSED: "dismissed",
    }[MessageStatus(locked.status)]
    raise StepRefused("already_handled", f"This email has already been {done}.")


@transaction.atomic
def message_file(
    *, message: InboundMessage, complaint: Complaint, acting_user: Any
) -> InboundMessage:
    """File a message from triage on ``complaint``: incoming correspondence, and its attachments
    as documents (those refused by the checks stay on the message, with the reason)."""
    locked = _lock_in_triage(message)
    _file(locked, complaint, acting_user=acting_user, status=MessageStatus.FILED)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_dismiss(*, message: InboundMessage, reason: str, acting_user: Any) -> InboundMessage:
    """Take a message out of triage as not about a complaint (spam, a repair request sent to the
    wrong address, a thank-you), saying why. It stays on record."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "reason_missing", "Say why the email is being dismissed.", field="reason"
        )
    locked = _lock_in_triage(message)
    locked.status = MessageStatus.DISMISSED
    locked.dismiss_reason = reason
    locked.handled_by = acting_user
    locked.handled_at = timezone.now()
    locked.save()
    message.refresh_from_db()
    return message


@transaction.atomic
def message_log_complaint(
    *, message: InboundMessage, acting_user: Any, **complaint_fields: Any
) -> Complaint:
    """Log a new complaint from a message in triage, then file the message on it.

    The complaint was received by email when the email arrived (Code 6.2), so ``channel`` and
    ``received_at`` come from the message, never from the caller; ``complaint_fields`` are the
    rest of ``complaint_log``'s arguments.
    """
    fixed = {"channel", "received_at"} & complaint_fields.keys()
    if fixed:
        raise TypeError(f"message_log_complaint sets {', '.join(sorted(fixed))} itself")
    locked = _lock_in_triage(message)
    complaint = complaint_log(
        acting_user=acting_user,
        channel=Channel.EMAIL,
        received_at=locked.received_at,
        **complaint_fields,
    )
    _file(locked, complaint, acting_user=acting_user, status=MessageStatus.LOGGED)
    message.refresh_from_db()
    return complaint


# Retention --------------------------------------------------------------------------------------


def messages_sweep_anonymised() -> int:
    """Remove the personal details of emails filed on complaints the retention job has
    anonymised: sender, recipients, subject, bodies and attachments. When each arrived, how it
    came and what became of it stay, for the counts. ``putright.privacy`` cannot reach this app
    (it sits below it), so this runs as its own daily job after the retention sweep.
    Idempotent; how many messages it anonymised."""
    anonymised = ComplaintEvent.objects.filter(action=ComplaintEvent.Action.ANONYMISED).values(
        "complaint_id"
    )
    ids = list(
        InboundMessage.objects.filter(complaint__in=anonymised)
        .exclude(subject=REDACTED)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        attachments = InboundAttachment.objects.filter(message__in=ids)
        # As for complaint documents: the files go before the commit, so none outlives it.
        for attachment in attachments.exclude(file="").only("pk", "file"):
            attachment.file.storage.delete(attachment.file.name)
        attachments.update(file="", name=REDACTED, refused=redacted_text("refused"), updated_at=now)
        InboundMessage.objects.filter(pk__in=ids).update(
            from_address="",
            from_name=redacted_text("from_name"),
            to=redacted_text("to"),
            subject=REDACTED,  # always set: it marks the message as done
            text=redacted_text("text"),
            html=redacted_text("html"),
            dismiss_reason=redacted_text("dismiss_reason"),
            filing_problem=redacted_text("filing_problem"),
            updated_at=now,
        )
    return len(ids)

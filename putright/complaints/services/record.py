"""The full record (Code 5.12): documents, correspondence and internal notes; agreed update
intervals while a response is late (5.9)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Correspondence,
    CorrespondenceChannel,
    Direction,
    Document,
    DocumentKind,
    Note,
    Party,
    Stage,
)
from putright.complaints.services._common import (
    _check_on,
    _finish,
    _lock,
    _stage,
)
from putright.core import clock, security_log
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created, diff, snapshot

# The full record (Code 5.12) and updates while late (Code 5.9) ----------------------------------

# Detected content type -> extensions a file of that type may carry.
DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "text/plain": ("txt",),
    "message/rfc822": ("eml",),
}
TEXT_EXTENSIONS = {"txt": "text/plain", "eml": "message/rfc822"}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), plain text or email (.eml)"
UPDATE_INTERVAL_RANGE = (1, 20)


def _check_text(value: Any, *, code: str, message: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(code, message, field=field)
    return value.strip()


def _check_stage_number(complaint: Complaint, stage_number: int | None) -> None:
    if stage_number is None:
        return
    if not Stage.objects.filter(complaint=complaint, number=stage_number).exists():
        raise StepRefused(
            "no_such_stage",
            f"Complaint {complaint.reference} has no stage {stage_number}.",
            field="stage_number",
        )


def _detect_content_type(head: bytes, extension: str) -> str | None:
    """The file's type read from its content, or None when it is not one we accept."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if extension in TEXT_EXTENSIONS:
        # Text has no magic number: accept it only if it decodes as text without control bytes.
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
            return None
        return TEXT_EXTENSIONS[extension]
    return None


def _check_upload(uploaded_file: Any) -> tuple[str, str, int]:
    """The original name, content type and size of an acceptable upload."""
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.strip():
        raise InvalidInput("file_missing", "Choose a file to upload.", field="uploaded_file")
    size = uploaded_file.size or 0
    if size == 0:
        raise InvalidInput(
            "file_empty", f"{name} is empty. Choose the file again.", field="uploaded_file"
        )
    limit = settings.PUTRIGHT_DOCUMENT_MAX_BYTES
    if size > limit:
        raise InvalidInput(
            "file_too_large",
            f"{name} is larger than the {limit / (1024 * 1024):g} MB limit. Reduce its size or "
            "split it, then upload it again.",
            field="uploaded_file",
            limit_bytes=limit,
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    content_type = _detect_content_type(head, extension)
    if content_type not in DOCUMENT_TYPES or extension not in DOCUMENT_TYPES[content_type]:
        raise InvalidInput(
            "file_type_not_allowed",
            f"{name} is not a file type that can be kept on the record, or its content does not "
            f"match its name. Upload {ALLOWED_DESCRIPTION}.",
            field="uploaded_file",
        )
    return name, content_type, size


@transaction.atomic
def document_upload(
    *,
    acting_user: Any,
    complaint: Complaint,
    uploaded_file: Any,
    kind: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Document:
    """Keep a file on the complaint's record, after checking its size and its real type."""
    on = _check_on(on)
    if kind not in DocumentKind.values:
        raise InvalidInput("invalid_kind", "Choose what kind of document this is.", field="kind")
    name, content_type, size = _check_upload(uploaded_file)
    locked = _lock(complaint, expected_version, step=Step.UPLOAD_DOCUMENT)
    document = Document(
        complaint=locked,
        original_name=name,
        content_type=content_type,
        size=size,
        kind=kind,
        uploaded_on=on,
        uploaded_by=acting_user,
    )
    document.file.save(name, uploaded_file, save=False)
    try:
        document.save()
        _finish(
            locked,
            acting_user=acting_user,
            on=on,
            action=ComplaintEvent.Action.DOCUMENT_UPLOADED,
            summary=f"Document {name} uploaded",
            changes=created(
                {
                    "document": {"id": document.pk, "label": name},
                    "kind": kind,
                    "content_type": content_type,
                    "size": size,
                }
            ),
            stage_number=None,
            original=complaint,
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def correspondence_record(
    *,
    acting_user: Any,
    complaint: Complaint,
    direction: str,
    channel: str,
    party: str,
    summary: str,
    on: date | None = None,
    stage_number: int | None = None,
    document: Document | None = None,
    expected_version: int | None = None,
) -> Correspondence:
    """Record one letter, email, call or meeting about the complaint; ``on`` is when it happened."""
    on = _check_on(on)
    if direction not in Direction.values:
        raise InvalidInput(
            "invalid_direction", "Say whether it was received or sent.", field="direction"
        )
    if channel not in CorrespondenceChannel.values:
        raise InvalidInput(
            "invalid_channel", "Choose how it was sent or received.", field="channel"
        )
    if party not in Party.values:
        raise InvalidInput("invalid_party", "Choose who it was with.", field="party")
    summary = _check_text(
        summary,
        code="summary_missing",
        message="Summarise what was said or sent.",
        field="summary",
    )
    locked = _lock(complaint, expected_version, step=Step.RECORD_CORRESPONDENCE)
    if on < locked.received_on:
        raise InvalidInput(
            "date_before_receipt",
            "Correspondence on the record cannot be dated before the complaint was received.",
            field="on",
        )
    _check_stage_number(locked, stage_number)
    if document is not None and document.complaint_id != locked.pk:
        raise StepRefused(
            "document_mismatch",
            f"{document.original_name} is on another complaint's record, not {locked.reference}'s.",
            field="document",
        )
    row = Correspondence.objects.create(
        complaint=locked,
        stage_number=stage_number,
        direction=direction,
        channel=channel,
        party=party,
        happened_on=on,
        summary=summary,
        document=document,
        recorded_by=acting_user,
    )
    _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.CORRESPONDENCE_RECORDED,
        summary=(
            f"{Direction(direction).label} {CorrespondenceChannel(channel).label.lower()} "
            f"({Party(party).label.lower()}) recorded"
        ),
        changes=created(
            {
                "correspondence": row.pk,
                "direction": direction,
                "channel": channel,
                "party": party,
                "summary": summary,
                "document": snapshot(row, ["document"])["document"],
            }
        ),
        stage_number=stage_number,
        original=complaint,
    )
    return row


@transaction.atomic
def document_attach(
    *,
    acting_user: Any,
    complaint: Complaint,
    name: str,
    content: bytes,
    content_type: str,
    kind: str,
    on: date | None = None,
) -> Document:
    """Keep a file PutRight made itself (a letter's PDF) on the record.

    Unlike an upload it neither checks nor bumps the complaint's version: it changes nothing a
    person edits, so a form someone has open stays valid. The history still records it.
    """
    on = _check_on(on)
    if kind not in DocumentKind.values:
        raise InvalidInput("invalid_kind", "Choose what kind of document this is.", field="kind")
    document = Document(
        complaint=complaint,
        original_name=name,
        content_type=content_type,
        size=len(content),
        kind=kind,
        uploaded_on=on,
        uploaded_by=acting_user,
    )
    document.file.save(name, ContentFile(content), save=False)
    try:
        document.save()
        ComplaintEvent.write(
            complaint=complaint,
            stage_number=None,
            on=on,
            acting_user=acting_user,
            action=ComplaintEvent.Action.DOCUMENT_UPLOADED,
            summary=f"Document {name} stored",
            changes=created(
                {"document": {"id": document.pk, "label": name}, "kind": kind, "size": len(content)}
            ),
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


LETTER_ACTIONS = (ComplaintEvent.Action.LETTER_ISSUED, ComplaintEvent.Action.LETTER_POSTED)


def letter_history_record(
    *,
    acting_user: Any,
    complaint: Complaint,
    action: str,
    summary: str,
    changes: dict,
    on: date,
    stage_number: int | None = None,
) -> None:
    """Append a letter's issue or posting to the complaint's history (putright.letters keeps the
    letter itself). Like ``document_attach`` it leaves the version alone: the step the letter
    belongs to has already moved it on, in the same transaction."""
    if action not in LETTER_ACTIONS:
        raise ValueError(f"{action!r} is not a letter event")
    ComplaintEvent.write(
        complaint=complaint,
        stage_number=stage_number,
        on=on,
        acting_user=acting_user,
        action=action,
        summary=summary,
        changes=changes,
    )


def lesson_history_record(
    *, acting_user: Any, complaint: Complaint, summary: str, changes: dict, on: date
) -> None:
    """Append to the complaint's history that a lesson learned was linked to it (putright.learning
    keeps the lesson). Like ``letter_history_record`` it leaves the version alone: a lesson
    changes nothing about the complaint's handling."""
    ComplaintEvent.write(
        complaint=complaint,
        on=on,
        acting_user=acting_user,
        action=ComplaintEvent.Action.LESSON_LINKED,
        summary=summary,
        changes=changes,
    )


# What other apps may append to a complaint's history about the records they keep.
LINK_ACTIONS = frozenset(
    {
        ComplaintEvent.Action.OMBUDSMAN_REFERRED,
        ComplaintEvent.Action.OMBUDSMAN_DETERMINED,
        ComplaintEvent.Action.SERVICE_REQUEST_LINKED,
        ComplaintEvent.Action.ENQUIRY_LINKED,
        ComplaintEvent.Action.SURVEY_SENT,
        ComplaintEvent.Action.RAISED_FROM_FOLLOW_UP,
    }
)


def link_history_record(
    *, acting_user: Any, complaint: Complaint, action: str, summary: str, changes: dict, on: date
) -> None:
    """Append to the complaint's history that a record another app keeps (an Ombudsman case,
    a service request, an enquiry, a survey) now involves it, so the timeline tells the whole
    story. Like ``lesson_history_record`` it leaves the version alone."""
    if action not in LINK_ACTIONS:
        raise ValueError(f"{action!r} is not a linked record's event")
    ComplaintEvent.write(
        complaint=complaint,
        on=on,
        acting_user=acting_user,
        action=action,
        summary=summary,
        changes=changes,
    )


@transaction.atomic
def note_add(
    *,
    acting_user: Any,
    complaint: Complaint,
    text: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Note:
    """Add a case note to the complaint's record."""
    on = _check_on(on)
    text = _check_text(text, code="note_missing", message="Write the note.", field="text")
    locked = _lock(complaint, expected_version, step=Step.ADD_NOTE)
    note = Note.objects.create(complaint=locked, text=text, written_on=on, written_by=acting_user)
    _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.NOTE_ADDED,
        summary="Note added",
        changes=created({"note": note.pk, "text": text}),
        stage_number=None,
        original=complaint,
    )
    return note


@transaction.atomic
def stage_agree_update_interval(
    *,
    acting_user: Any,
    complaint: Complaint,
    days: int,
    on: date | None = None,
    stage_number: int | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record how often, in working days, the resident will be updated while the response is
    late (Code 5.9)."""
    on = _check_on(on)
    low, high = UPDATE_INTERVAL_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise InvalidInput(
            "invalid_update_interval",
            f"Agree an update interval of between {low} and {high} working days.",
            field="days",
        )
    locked = _lock(complaint, expected_version, step=Step.AGREE_UPDATE_INTERVAL)
    row = _stage(locked, stage_number)
    if row.responded_on is not None:
        raise StepRefused(
            "stage_not_open",
            f"Stage {row.number} of complaint {locked.reference} is not awaiting its response, "
            "so there is no update interval to agree.",
        )
    if on < row.received_on:
        raise InvalidInput(
            "date_before_receipt",
            "The interval cannot be agreed before the stage began.",
            field="on",
        )
    fields = ["update_interval_days", "update_interval_agreed_on"]
    before = snapshot(row, fields)
    row.update_interval_days = days
    row.update_interval_agreed_on = on
    row.save(update_fields=[*fields, "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.UPDATE_INTERVAL_AGREED,
        summary=f"Stage {row.number}: updates every {days} working days agreed",
        changes=diff(before, snapshot(row, fields)),
        stage_number=row.number,
        original=complaint,
    )


def complaint_viewed(*, acting_user: Any, complaint: Complaint) -> None:
    """Record that someone opened a confidential complaint (DESIGN.md section 7).

    A read changes nothing, so the version stays as it is: a colleague's open form is not made
    stale by someone looking at the case.
    """
    if not complaint.is_confidential:
        return
    ComplaintEvent.write(
        complaint=complaint,
        stage_number=complaint.stage_number,
        on=clock.today(),
        acting_user=acting_user,
        action=ComplaintEvent.Action.VIEWED,
        summary="Confidential case opened",
    )
    security_log.record(
        security_log.Kind.CONFIDENTIAL_READ,
        actor=acting_user,
        subject=security_log.subject_for("complaint", [complaint.reference]),
        where="case page",
        references=[complaint.reference],
    )


def confidential_complaints_listed(
    *, acting_user: Any, complaints: Iterable[Complaint], where: str
) -> None:
    """Record in the security log that a page listed confidential complaints (a queue, a home
    page list, the admin): one event for the page naming every confidential one, nothing when
    there are none. Set-based: the complaints are the rows already read for the page, so it
    costs one insert at most. Rows read without ``is_confidential`` are checked in one query.
    """
    rows = list(complaints)
    if not rows:
        return
    if any("is_confidential" in row.get_deferred_fields() for row in rows):
        references = list(
            Complaint.objects.filter(pk__in=[row.pk for row in rows], is_confidential=True)
            .order_by("reference")
            .values_list("reference", flat=True)
        )
    else:
        references = [row.reference for row in rows if row.is_confidential]
    confidential_complaints_read(acting_user=acting_user, references=references, where=where)


def confidential_complaints_read(
    *, acting_user: Any, references: Iterable[str], where: str
) -> None:
    """One security event saying ``acting_user`` was shown these confidential complaints (or
    records of theirs) on one page; nothing when there are none."""
    references = list(dict.fromkeys(references))  # a complaint in two lists of a page counts once
    if references:
        security_log.record(
            security_log.Kind.CONFIDENTIAL_READ,
            actor=acting_user,
            subject=security_log.subject_for("complaint", references),
            where=where,
            references=references,
        )


# Files without a record ----------------------------------------------------------------------

DOCUMENTS_FOLDER = "complaints"  # Document.file's upload_to starts here
ORPHAN_GRACE = timedelta(hours=1)  # an upload still being recorded is never swept


def _stored_files(storage: Storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}")


def documents_sweep_orphans(*, storage: Storage | None = None, batch: int = 500) -> int:
    """Delete stored files that no document record refers to, left by an upload whose record
    was never committed (a crash between storing the file and the commit). Files younger than
    ``ORPHAN_GRACE`` are left for their upload to finish. Idempotent; returns how many went."""
    storage = storage or Document._meta.get_field("file").storage
    if not storage.exists(DOCUMENTS_FOLDER):
        return 0
    cutoff = timezone.now() - ORPHAN_GRACE
    deleted = 0
    names = list(_stored_files(storage, DOCUMENTS_FOLDER))
    for start in range(0, len(names), batch):
        chunk = names[start : start + batch]
        recorded = set(Document.objects.filter(file__in=chunk).values_list("file", flat=True))
        for name in chunk:
            if name not in recorded and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted += 1
    return deleted

"""The retention job: anonymise the complaints, then the residents, past their period.

What goes: names, contact details, the resident's addresses (their correspondence address, the
home a complaint was about, their tenancies), representatives' names and contacts, every piece of
free text, the search text and its index, and document files. What stays: dates, stages,
statuses, outcomes, findings, categories, tenure at receipt, channel, Code compliance flags,
amounts, staff, and the shape of the history (which step, when, by whom). Reports count those.

Each batch is one transaction holding the history unlock, and re-checks that its records are
still past their period (a colleague may have added a note since they were found). A record once
anonymised is marked, so running the job again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Document,
    Extension,
    Note,
    Point,
    Refusal,
    Remedy,
    Stage,
)
from putright.complaints.search import FTS_TABLE
from putright.core import clock
from putright.people.models import (
    ContactRestriction,
    DisclosedDisability,
    ReasonableAdjustment,
    Representative,
    Resident,
    ResidentEvent,
    Tenancy,
)
from putright.privacy.append_only import Purpose, unlocked
from putright.privacy.models import AnonymisedComplaint, AnonymisedResident
from putright.privacy.redaction import (
    ANONYMISED_NAME,
    REDACTED,
    event_summary,
    redact_changes,
    redacted_text,
)
from putright.privacy.retention import complaints_past_retention, residents_past_retention

BATCH = 200
ANONYMISED = "anonymised"
SUMMARY = "Personal data removed at the end of the retention period"
# What EventBase.build writes when PutRight itself acted: not a person, so it stays.
SYSTEM_ACTOR = "PutRight (no signed-in user)"
COMPLAINT_ACTIONS = dict(ComplaintEvent.Action.choices)


def retention_sweep(*, today: date | None = None) -> dict[str, int]:
    """Anonymise everything past its retention period; how many complaints and residents."""
    today = today or clock.today()
    _zero_freed_space()
    complaints = sum(
        complaints_anonymise(ids=batch, today=today)
        for batch in _batches(complaints_past_retention(today=today))
    )
    if complaints:
        _purge_search_index()
    residents = sum(
        residents_anonymise(ids=batch, today=today)
        for batch in _batches(residents_past_retention(today=today))
    )
    return {"complaints": complaints, "residents": residents}


def complaints_anonymise(*, ids: Iterable[int], today: date) -> int:
    """Anonymise those of ``ids`` still past their period; how many were."""
    with unlocked(Purpose.REDACT):
        due = complaints_past_retention(today=today).filter(pk__in=list(ids))
        ids = list(due.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        now = timezone.now()
        Complaint.objects.filter(pk__in=ids).update(
            description=REDACTED,
            search_text="",  # SQLite's full-text trigger drops the complaint's words from the index
            discretion_note=redacted_text("discretion_note"),
            received_by=redacted_text("received_by"),
            service_request_reference=redacted_text("service_request_reference"),
            property=None,  # the home it was about is the resident's address
            version=F("version") + 1,  # the one "anonymised" event below
            updated_at=now,
        )
        _redact_stages(Stage.objects.filter(complaint__in=ids), now)
        Point.objects.filter(stage__complaint__in=ids).update(
            summary=REDACTED, outcome_sought=redacted_text("outcome_sought"), updated_at=now
        )
        Decision.objects.filter(point__stage__complaint__in=ids).update(
            reasons=REDACTED, updated_at=now
        )
        Extension.objects.filter(stage__complaint__in=ids).update(
            reason=redacted_text("reason"), good_reason=redacted_text("good_reason"), updated_at=now
        )
        Refusal.objects.filter(complaint__in=ids).update(
            explanation=redacted_text("explanation"),
            evidence=redacted_text("evidence"),
            reversal_note=redacted_text("reversal_note"),
            updated_at=now,
        )
        Remedy.objects.filter(stage__complaint__in=ids).update(
            description=redacted_text("description"), updated_at=now
        )
        Action.objects.filter(complaint__in=ids).update(
            description=redacted_text("description"),
            completion_note=redacted_text("completion_note"),
            updated_at=now,
        )
        Correspondence.objects.filter(complaint__in=ids).update(summary=REDACTED, updated_at=now)
        Note.objects.filter(complaint__in=ids).update(text=REDACTED, updated_at=now)
        _destroy_documents(Document.objects.filter(complaint__in=ids), now)
        _redact_events(ComplaintEvent.objects.filter(complaint__in=ids), COMPLAINT_ACTIONS)
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent.build(
                acting_user=None,
                on=today,
                action=ComplaintEvent.Action.ANONYMISED,
                summary=SUMMARY,
                complaint_id=pk,
            )
            for pk in ids
        )
        AnonymisedComplaint.objects.bulk_create(
            AnonymisedComplaint(complaint_id=pk, anonymised_on=today) for pk in ids
        )
    return len(ids)


def residents_anonymise(*, ids: Iterable[int], today: date) -> int:
    """Anonymise those of ``ids`` still past their period; how many were."""
    with unlocked(Purpose.REDACT):
        due = residents_past_retention(today=today).filter(pk__in=list(ids))
        ids = list(due.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        now = timezone.now()
        Resident.objects.filter(pk__in=ids).update(
            reference=None,  # the housing management system's key to the same person
            title="",
            first_name="",
            last_name=ANONYMISED_NAME,
            date_of_birth=None,
            email="",
            phone="",
            correspondence_address="",
            notes="",
            updated_at=now,
        )
        Representative.objects.filter(resident__in=ids).update(
            name=ANONYMISED_NAME,
            organisation="",
            email="",
            phone="",
            address="",
            authority_note=redacted_text("authority_note"),
            updated_at=now,
        )
        ReasonableAdjustment.objects.filter(resident__in=ids).update(
            description=REDACTED, updated_at=now
        )
        DisclosedDisability.objects.filter(resident__in=ids).update(
            description=REDACTED, updated_at=now
        )
        ContactRestriction.objects.filter(resident__in=ids).update(
            reason=REDACTED,
            evidence=REDACTED,
            proportionality_note=REDACTED,
            restriction=REDACTED,
            updated_at=now,
        )
        # Where they lived: every tenancy ended more than the period ago (or they would not be
        # due), and the home's tenure is on each complaint as it was at receipt.
        Tenancy.objects.filter(resident__in=ids).delete()
        _redact_events(ResidentEvent.objects.filter(resident__in=ids), {}, detach_home=True)
        ResidentEvent.objects.bulk_create(
            ResidentEvent.build(
                acting_user=None, on=today, action=ANONYMISED, summary=SUMMARY, resident_id=pk
            )
            for pk in ids
        )
        AnonymisedResident.objects.bulk_create(
            AnonymisedResident(resident_id=pk, anonymised_on=today) for pk in ids
        )
    return len(ids)


# Parts -----------------------------------------------------------------------------------------


def _batches(queryset: QuerySet) -> Iterator[list[int]]:
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _redact_stages(stages: QuerySet[Stage], now: Any) -> None:
    stages.update(
        not_responsible_for=redacted_text("not_responsible_for"),
        vulnerability_note=redacted_text("vulnerability_note"),
        sign_off_note=redacted_text("sign_off_note"),
        updated_at=now,
    )
    drafted = list(stages.exclude(draft={}).only("pk", "draft"))
    for stage in drafted:
        stage.draft = redact_changes(stage.draft)
    Stage.objects.bulk_update(drafted, ["draft"], batch_size=BATCH)


def _destroy_documents(documents: QuerySet[Document], now: Any) -> None:
    # Deleted before the transaction commits: if it then rolls back, the next run finds the
    # complaint again and deleting a file that is gone does nothing; a file kept after a commit
    # would be personal data nobody knows is there.
    for document in documents.exclude(file="").only("pk", "file"):
        document.file.storage.delete(document.file.name)
    documents.update(original_name=REDACTED, file="", updated_at=now)


def _redact_events(events: QuerySet, labels: dict[str, str], *, detach_home: bool = False) -> None:
    fields = ["summary", "changes", "actor_description"]
    rows = list(events.only("pk", "action", *fields))
    for event in rows:
        event.summary = event_summary(event.action, labels)
        event.changes = redact_changes(event.changes)
        if event.actor_description not in ("", SYSTEM_ACTOR):
            event.actor_description = REDACTED
        if detach_home:
            event.property_id = None
    if detach_home:
        fields.append("property")
    events.model.objects.bulk_update(rows, fields, batch_size=BATCH)


def _purge_search_index() -> None:
    """SQLite's full-text index keeps a removed complaint's words in its older segments until
    they are merged; ``optimize`` merges them, so the words are gone, not just unreachable."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def _zero_freed_space() -> None:
    """On SQLite, overwrite what is deleted or replaced with zeros rather than leave it in the
    file's free space (PostgreSQL's VACUUM reclaims dead rows; see docs/security.md)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")

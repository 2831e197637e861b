"""Shared steps of every complaint service: dates, locking, the version bump and the event."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from putright.complaints import deadlines, lifecycle
from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    ClosureReason,
    Complaint,
    ComplaintEvent,
    ReferenceCounter,
    Stage,
    Status,
)
from putright.complaints.report_copies import copied_from
from putright.complaints.selectors import stage1_involved_ids
from putright.complaints.standing import STANDING_FIELDS, standing
from putright.complaints.standing import apply as apply_standing
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.organisation.selectors import current_calendar, current_timescales

STAGE_DATE_FIELDS = [
    "acknowledgement_due",
    "response_due",
    "response_due_if_acknowledged_on_time",
    "extension_cap",
]
# The complaint's columns a step may change (the rest are written once, at logging).
STEP_FIELDS = [
    "version",
    "status",
    "closure_reason",
    "duplicate_of",
    *STANDING_FIELDS,
    "updated_at",
]
# A stage's response draft and its quality check.
DRAFT_FIELDS = [
    "draft",
    "drafted_by",
    "drafted_on",
    "signed_off_by",
    "signed_off_on",
    "sign_off_note",
]
# What ``standing`` reads from each stage.
STANDING_STAGE_FIELDS = [
    "complaint",
    "number",
    "handler",
    "acknowledged_on",
    "acknowledgement_due",
    "response_due",
    "extended_due",
    "responded_on",
    "ack_within_code",
    "response_within_code",
    "response_within_extension",
    "draft",
    "signed_off_by",
]


# Helpers ----------------------------------------------------------------------------------------


def _check_on(on: date | None, *, field: str = "on") -> date:
    """The step's date, default today; a step cannot have happened in the future."""
    if on is None:
        return clock.today()
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidInput("invalid_date", "Give the date the step happened.", field=field)
    if on > clock.today():
        raise InvalidInput(
            "date_in_future", "The date a step happened cannot be in the future.", field=field
        )
    return on


def _lock(complaint: Complaint, expected_version: int | None, *, step: Step) -> Complaint:
    """The complaint's row, locked for this transaction, after checking the caller's version and
    that the lifecycle lets ``step`` run from the complaint's status."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            "stale_version",
            f"Complaint {locked.reference} was changed by someone else while you were working "
            "on it. Reload it to see the changes, then try again.",
            expected=expected_version,
            actual=locked.version,
        )
    lifecycle.check(step, locked)
    return locked


def _stage(complaint: Complaint, number: int | None = None) -> Stage:
    """The stage asked for, or the latest stage; locked with its complaint."""
    stages = Stage.objects.select_for_update().filter(complaint=complaint).order_by("-number")
    if number is not None:
        stages = stages.filter(number=number)
    stage = stages.first()
    if stage is None:
        raise StepRefused(
            "no_such_stage",
            f"Complaint {complaint.reference} has no stage {number}.",
            field="stage",
        )
    return stage


def _finish(
    complaint: Complaint,
    *,
    acting_user: Any,
    on: date,
    action: str,
    summary: str,
    changes: dict,
    stage_number: int | None,
    original: Complaint | None = None,
) -> Complaint:
    """Bump the version, bring the queue fields up to date, save, write the one event, and
    refresh the caller's instance."""
    complaint.version += 1
    stages = list(
        Stage.objects.filter(complaint=complaint).only(*STANDING_STAGE_FIELDS, "complaint_status")
    )
    apply_standing(complaint, standing(complaint.status, stages))
    if any(stage.complaint_status != complaint.status for stage in stages):
        # The report counts stages by their copy of the status (report_copies).
        Stage.objects.filter(complaint=complaint).update(complaint_status=complaint.status)
    # Only what a step may change: a full save would rewrite search_text too, and on SQLite
    # its trigger would re-index the complaint's words on every step.
    complaint.save(update_fields=STEP_FIELDS)
    ComplaintEvent.write(
        complaint=complaint,
        stage_number=stage_number,
        on=on,
        acting_user=acting_user,
        action=action,
        summary=summary,
        changes=changes,
    )
    if original is not None and original is not complaint:
        _copy_into(original, complaint)
    return complaint


def _copy_into(original: Complaint, saved: Complaint) -> None:
    """Bring the caller's instance up to date from the row just saved, as ``refresh_from_db``
    would but without reading it again. Related objects are dropped from its caches, so they
    load afresh if asked for."""
    for field in Complaint._meta.concrete_fields:
        setattr(original, field.attname, getattr(saved, field.attname))
    original._state.fields_cache = {}
    original.__dict__.pop("_prefetched_objects_cache", None)


def _open_stage(
    complaint: Complaint, number: int, received_on: date, *, handler: Any = None
) -> Stage:
    """Start a stage: received on ``received_on``, acknowledgement due 5 working days later."""
    return Stage.objects.create(
        complaint=complaint,
        number=number,
        received_on=received_on,
        **copied_from(complaint),
        handler=handler,
        acknowledgement_due=deadlines.stage_acknowledgement_due(
            current_calendar(), current_timescales(), number, received_on
        ),
    )


def _next_reference(year: int) -> str:
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"C-{year}-{counter.last:05d}"


def _check_escalatable(locked: Complaint, on: date) -> None:
    """A request to escalate can be decided (accepted or refused) only on a complaint whose
    stage 1 was answered and that has no stage 2 yet (Code 5.3, 6.10, 5.11)."""
    if locked.status == Status.CLOSED and locked.closure_reason != ClosureReason.NOT_ESCALATED:
        raise StepRefused(
            "closed_unanswered",
            f"Complaint {locked.reference} was closed as "
            f"{ClosureReason(locked.closure_reason).label.lower()}, without its own stage 1 "
            "response, so there is nothing to escalate. Escalate the complaint it duplicates.",
        )
    stages = dict(Stage.objects.filter(complaint=locked).values_list("number", "responded_on"))
    if 2 in stages:
        raise StepRefused(
            "third_stage",
            "This complaint has already been through stage 2. The Code allows two stages; the "
            "resident can now go to the Housing Ombudsman.",
        )
    responded_on = stages.get(1)
    if responded_on is None:
        raise StepRefused(
            "stage1_unanswered",
            f"Stage 1 of complaint {locked.reference} has no response, so it cannot be escalated.",
        )
    if on < responded_on:
        raise InvalidInput(
            "date_before_response",
            f"A request to escalate cannot come before the stage 1 response "
            f"({long_date(responded_on)}).",
            field="on",
        )


def _check_independent(complaint: Complaint, person: Any, *, field: str = "handler") -> None:
    """Refuse ``person`` at stage 2 if they considered the complaint at stage 1 (Code 6.13)."""
    if person is not None and person.pk in stage1_involved_ids(complaint=complaint):
        raise StepRefused(
            "not_independent",
            f"{person} was involved in this complaint at stage 1, so cannot consider it at "
            "stage 2. Choose someone not previously involved.",
            field=field,
        )

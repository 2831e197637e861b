"""Logging a complaint, acknowledging it with its definition, and marking duplicates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.complaints import deadlines, lifecycle, search
from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    Channel,
    ClosureReason,
    Complaint,
    ComplaintEvent,
    Complexity,
    Point,
    Risk,
    Status,
)
from putright.complaints.services._common import (
    STAGE_DATE_FIELDS,
    _check_independent,
    _check_on,
    _finish,
    _lock,
    _next_reference,
    _open_stage,
    _stage,
)
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
)
from putright.rules.timescales import months_between_exceeds

# Logging and acknowledging ----------------------------------------------------------------------


@transaction.atomic
def complaint_log(
    *,
    acting_user: Any,
    complainant: Any,
    channel: str,
    received_at: datetime,
    description: str,
    property: Any = None,
    tenure_at_receipt: str = "",
    category: Any = None,
    sub_category: Any = None,
    is_vulnerable: bool = False,
    is_confidential: bool = False,
    handler: Any = None,
    issue_date: date | None = None,
    aware_date: date | None = None,
    discretion_note: str = "",
    representative: Any = None,
    business_area: Any = None,
    service_request_reference: str = "",
    received_by: str = "",
    other_complainants: Any = (),
) -> Complaint:
    """Record a complaint as received, with stage 1 and its acknowledgement due date.

    The receipt date is ``received_at`` read in Europe/London: a complaint emailed at 23:30 UTC
    on a summer evening was received the next day in England.

    ``issue_date`` and ``aware_date`` (either optional) drive the Code 2.3 age check: when the
    later of them is more than the age limit (12 months) before receipt, the complaint may still
    be accepted, but only as a recorded decision (``discretion_note``); without one logging is
    refused with ``discretion_required`` so the handler decides rather than the system.
    """
    if timezone.is_naive(received_at):
        raise InvalidInput(
            "invalid_date", "Give the time received with its time zone.", field="received_at"
        )
    received_on = _check_on(timezone.localtime(received_at).date(), field="received_at")
    if channel not in Channel.values:
        raise InvalidInput("invalid_channel", "Choose how the complaint came in.", field="channel")
    if not description.strip():
        raise InvalidInput(
            "description_missing",
            "Record the complaint in the resident's own words.",
            field="description",
        )
    outside_time_limit = _check_age(received_on, issue_date, aware_date, discretion_note)
    co_complainants = _check_log_extras(complainant, representative, other_complainants)
    complaint = Complaint(
        reference=_next_reference(received_on.year),
        complainant=complainant,
        property=property,
        tenure_at_receipt=tenure_at_receipt,
        channel=channel,
        received_at=received_at,
        received_on=received_on,
        logged_at=timezone.now(),
        category=category,
        sub_category=sub_category,
        is_vulnerable=is_vulnerable,
        is_confidential=is_confidential,
        description=description,
        search_text=search.text_for(
            complainant=complainant, property=property, description=description
        ),
        issue_date=issue_date,
        aware_date=aware_date,
        outside_time_limit=outside_time_limit,
        discretion_note=discretion_note.strip(),
        representative=representative,
        business_area=business_area,
        service_request_reference=service_request_reference.strip(),
        received_by=received_by.strip(),
        status=Status.RECEIVED,
        version=0,  # _finish bumps it to 1
    )
    complaint.full_clean(exclude=["reference", "version"])
    complaint.save()
    if co_complainants:
        complaint.co_complainants.set(co_complainants)
    stage = _open_stage(complaint, 1, received_on, handler=handler)
    after = snapshot(
        complaint,
        ["reference", "complainant", "channel", "received_at", "received_on", "status"],
    )
    if outside_time_limit:
        after.update(snapshot(complaint, ["outside_time_limit", "discretion_note"]))
    after.update(
        snapshot(
            complaint,
            ["representative", "business_area", "service_request_reference", "received_by"],
        )
    )
    if co_complainants:
        after["co_complainants"] = [{"id": r.pk, "label": str(r)} for r in co_complainants]
    after.update(snapshot(stage, ["handler", "acknowledgement_due"]))
    return _finish(
        complaint,
        acting_user=acting_user,
        on=received_on,
        action=ComplaintEvent.Action.LOGGED,
        summary=f"Complaint {complaint.reference} logged",
        changes=created(after),
        stage_number=1,
    )


def _check_log_extras(complainant: Any, representative: Any, other_complainants: Any) -> list:
    """The group's other residents, after checking the representative acts for the complainant."""
    if representative is not None and not representative.is_active:
        raise StepRefused(
            "representative_ended",
            f"{representative.name} stopped acting for the complainant on "
            f"{long_date(representative.ended_on)}. Record new authority first, or record the "
            "complaint without a representative.",
            field="representative",
        )
    if representative is not None and representative.resident_id != complainant.pk:
        raise StepRefused(
            "representative_mismatch",
            f"{representative.name} represents someone other than the complainant. Choose a "
            "representative of the complainant, or record the complaint without one.",
            field="representative",
        )
    others: list = []
    for resident in other_complainants or ():
        if resident.pk == complainant.pk:
            raise InvalidInput(
                "co_complainant_is_complainant",
                "The complainant is already on the complaint; list only the other residents.",
                field="other_complainants",
            )
        if resident.pk not in {r.pk for r in others}:
            others.append(resident)
    return others


def _check_age(
    received_on: date, issue_date: date | None, aware_date: date | None, discretion_note: str
) -> bool:
    """Whether the complaint is outside the Code 2.3 age limit; refused unless a decision is
    recorded for one that is."""
    given = []
    for field, value in (("issue_date", issue_date), ("aware_date", aware_date)):
        if value is None:
            continue
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InvalidInput("invalid_date", "Give a date.", field=field)
        if value > received_on:
            raise InvalidInput(
                "date_after_receipt",
                "The date of the issue, or of becoming aware of it, cannot be after the "
                "complaint was received.",
                field=field,
            )
        given.append(value)
    if not given:
        return False
    months = current_timescales().age_limit_months
    if not months_between_exceeds(max(given), received_on, months):
        return False
    if not discretion_note.strip():
        raise StepRefused(
            "discretion_required",
            f"This complaint was raised more than {months} months after the issue arose or the "
            "resident became aware of it (Code 2.3). You may still accept it: record why you "
            "are using your discretion to do so, or decide not to accept it.",
            field="discretion_note",
        )
    return True


def _clean_points(points: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for index, item in enumerate(points, start=1):
        try:
            summary, outcome_sought = item
        except (TypeError, ValueError):
            raise InvalidInput(
                "invalid_point",
                f"Point {index} must give the point of complaint and the outcome sought.",
                field="points",
            ) from None
        _check_point_text(summary, outcome_sought, label=f"Point {index}", field="points")
        cleaned.append((summary.strip(), outcome_sought.strip()))
    return cleaned


def _check_point_text(summary: Any, outcome_sought: Any, *, label: str, field: str) -> None:
    if not isinstance(summary, str) or not summary.strip():
        raise InvalidInput(
            "point_summary_missing",
            f"{label}: say what the resident is complaining about.",
            field=field if field == "points" else "summary",
        )
    if not isinstance(outcome_sought, str) or not outcome_sought.strip():
        raise InvalidInput(
            "outcome_sought_missing",
            f"{label}: record the outcome the resident is seeking.",
            field=field if field == "points" else "outcome_sought",
        )


@transaction.atomic
def stage_acknowledge(
    *,
    acting_user: Any,
    complaint: Complaint,
    stage: int = 1,
    on: date | None = None,
    expected_version: int | None = None,
    points: list[tuple[str, str]] | None = None,
    not_responsible_for: str = "",
    complexity: str = "",
    risk: str = "",
    vulnerability_note: str = "",
) -> Complaint:
    """Record the acknowledgement with the complaint definition, and work out the response
    dates from it.

    Stage 1 moves the complaint from received to stage 1 open. At stage 2 the handler must be
    someone not involved at stage 1 (Code 6.13), so one must be allocated first.

    ``points`` (the complaint definition, Code 5.6) are ``(point of complaint, outcome sought)``
    pairs numbered from 1. The definition is mandatory at both stages: the stage must end with
    at least one point, given here or added before. At stage 2 the screen starts from the stage 1
    points for the handler to confirm or change. ``not_responsible_for`` records anything the
    landlord is not responsible for (5.7); ``complexity``, ``risk`` and ``vulnerability_note``
    are the triage (6.1), optional.
    """
    on = _check_on(on)
    cleaned_points = _clean_points(points) if points else []
    if complexity and complexity not in Complexity.values:
        raise InvalidInput("invalid_complexity", "Choose low, medium or high.", field="complexity")
    if risk and risk not in Risk.values:
        raise InvalidInput("invalid_risk", "Choose none, some or high.", field="risk")
    locked = _lock(complaint, expected_version, step=Step.ACKNOWLEDGE)
    row = _stage(locked, stage)
    if row.acknowledged_on is not None:
        raise StepRefused(
            "already_acknowledged",
            f"Stage {stage} was already acknowledged on {long_date(row.acknowledged_on)}.",
        )
    if on < row.received_on:
        raise InvalidInput(
            "date_before_receipt",
            "The acknowledgement cannot be earlier than the date the stage was received.",
            field="on",
        )
    if stage == 2:
        if row.handler_id is None:
            raise InvalidInput(
                "handler_required",
                "Allocate a stage 2 handler who was not involved at stage 1 before acknowledging.",
                field="handler",
            )
        _check_independent(locked, row.handler)
    has_points = row.points.exists()
    if cleaned_points and has_points:
        raise StepRefused(
            "points_already_recorded",
            f"Stage {stage} already has points of complaint; add further ones one at a time.",
            field="points",
        )
    if not cleaned_points and not has_points:
        raise InvalidInput(
            "definition_required",
            f"Record at least one point of complaint, with the outcome the resident is seeking, "
            f"to acknowledge stage {stage} (the complaint definition, Code 5.6).",
            field="points",
        )
    definition = ["not_responsible_for", "complexity", "risk", "vulnerability_note"]
    before = snapshot(row, ["acknowledged_on", *STAGE_DATE_FIELDS, "ack_within_code", *definition])
    dates = deadlines.stage_response_dates(
        current_calendar(), current_timescales(), stage, on, row.acknowledgement_due
    )
    row.acknowledged_on = on
    row.response_due, row.response_due_if_acknowledged_on_time, row.extension_cap = dates
    row.ack_within_code = on <= row.acknowledgement_due
    row.not_responsible_for = not_responsible_for.strip()
    row.complexity = complexity
    row.risk = risk
    row.vulnerability_note = vulnerability_note.strip()
    row.save()
    Point.objects.bulk_create(
        Point(stage=row, number=n, summary=summary, outcome_sought=sought, added_on=on)
        for n, (summary, sought) in enumerate(cleaned_points, start=1)
    )
    status_before, _ = lifecycle.move(Step.ACKNOWLEDGE, locked)
    changes = diff(before, snapshot(row, list(before)))
    if locked.status != status_before:
        changes["status"] = [status_before, locked.status]
    if cleaned_points:
        changes["points"] = [None, [list(p) for p in cleaned_points]]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ACKNOWLEDGED,
        summary=f"Stage {stage} acknowledged; response due {long_date(row.response_due)}",
        changes=changes,
        stage_number=stage,
        original=complaint,
    )


@transaction.atomic
def stage_point_add(
    *,
    acting_user: Any,
    complaint: Complaint,
    summary: str,
    outcome_sought: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Add a point of complaint to the open stage before its response (Code 6.8).

    Once the stage has been responded to, a new issue is a new complaint, logged and linked.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.ADD_POINT)
    row = _stage(locked)
    _check_point_text(summary, outcome_sought, label="The new point", field="summary")
    if on < row.received_on:
        raise InvalidInput(
            "date_before_receipt",
            "A point cannot be added before the stage was received.",
            field="on",
        )
    number = (row.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    point = Point.objects.create(
        stage=row,
        number=number,
        summary=summary.strip(),
        outcome_sought=outcome_sought.strip(),
        added_on=on,
        added_after_acknowledgement=row.acknowledged_on is not None,
    )
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.POINT_ADDED,
        summary=f"Point {number} added to stage {row.number}",
        changes=created(snapshot(point, ["number", "summary", "outcome_sought"])),
        stage_number=row.number,
        original=complaint,
    )


# Duplicates -------------------------------------------------------------------------------------


@transaction.atomic
def complaint_mark_duplicate(
    *,
    acting_user: Any,
    complaint: Complaint,
    original: Complaint,
    note: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Close ``complaint`` as a duplicate of ``original``; both histories record the link."""
    on = _check_on(on)
    if complaint.pk == original.pk:
        raise InvalidInput(
            "duplicate_of_itself", "A complaint cannot duplicate itself.", field="original"
        )
    if not (note or "").strip():
        raise InvalidInput(
            "note_required", "Record why this complaint repeats the other one.", field="note"
        )
    # Lock both rows in a fixed order so two handlers linking the same pair cannot deadlock.
    first, second = sorted([complaint, original], key=lambda c: c.pk)
    locks = {
        c.pk: (
            _lock(c, expected_version, step=Step.MARK_DUPLICATE)
            if c is complaint
            else _lock(c, None, step=Step.LINK_DUPLICATE)
        )
        for c in (first, second)
    }
    dup, orig = locks[complaint.pk], locks[original.pk]
    if dup.duplicate_of_id is not None:
        raise StepRefused(
            "already_duplicate", f"Complaint {dup.reference} is already marked as a duplicate."
        )
    if orig.duplicate_of_id is not None:
        raise StepRefused(
            "original_is_duplicate",
            f"Complaint {orig.reference} is itself a duplicate; link to the complaint it repeats.",
            field="original",
        )
    status_before, _ = lifecycle.move(Step.MARK_DUPLICATE, dup)
    dup.closure_reason = ClosureReason.DUPLICATE
    dup.duplicate_of = orig
    _finish(
        dup,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.MARKED_DUPLICATE,
        summary=f"Closed as a duplicate of {orig.reference}: {note}",
        changes={
            "status": [status_before, dup.status],
            "closure_reason": ["", ClosureReason.DUPLICATE.value],
            "duplicate_of": [None, {"id": orig.pk, "label": orig.reference}],
        },
        stage_number=None,
    )
    _finish(
        orig,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.DUPLICATE_LINKED,
        summary=f"{dup.reference} closed as a duplicate of this complaint: {note}",
        changes={"duplicates": [None, {"id": dup.pk, "label": dup.reference}]},
        stage_number=None,
        original=original,
    )
    if complaint is not dup:
        complaint.refresh_from_db()
    return dup

"""Working a stage: handlers, extensions, responses and sign-off, escalation, withdrawal,
agreed update intervals and recomputing deadlines when the calendar changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from putright.complaints import deadlines, lifecycle
from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Extension,
    Stage,
)
from putright.complaints.services._common import (
    STAGE_DATE_FIELDS,
    _check_escalatable,
    _check_independent,
    _check_on,
    _finish,
    _lock,
    _open_stage,
    _stage,
)
from putright.complaints.standing import next_deadline
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, Problems, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
)

# Handlers ---------------------------------------------------------------------------------------


@transaction.atomic
def complaint_allocate(
    *,
    acting_user: Any,
    complaint: Complaint,
    handler: Any,
    stage: int | None = None,
    on: date | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Complaint:
    """Give a stage (by default the latest) a handler; stage 2 needs someone independent.

    Taking a stage from the person handling it is a reassignment: it needs a ``reason``, which
    the history keeps with who made it."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.ALLOCATE)
    row = _stage(locked, stage)
    if row.responded_on is not None:
        raise StepRefused("stage_responded", f"Stage {row.number} has been responded to already.")
    if row.number == 2:
        _check_independent(locked, handler)
    previous = row.handler
    reason = reason.strip()
    reassigned = previous is not None and previous.pk != handler.pk
    if reassigned and not reason:
        raise InvalidInput(
            "reason_required",
            f"Say why stage {row.number} is moving from {previous} to {handler}.",
            field="reason",
        )
    before = snapshot(row, ["handler"])
    row.handler = handler
    row.save(update_fields=["handler", "updated_at"])
    changes = diff(before, snapshot(row, ["handler"]))
    if reassigned:
        changes["reason"] = [None, reason]
        summary = f"Stage {row.number} reallocated from {previous} to {handler}: {reason}"
    else:
        summary = f"Stage {row.number} allocated to {handler}"
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ALLOCATED,
        summary=summary,
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


# Extensions and responses -----------------------------------------------------------------------


@transaction.atomic
def stage_extend(
    *,
    acting_user: Any,
    complaint: Complaint,
    new_due: date,
    reason: str,
    notice_on: date,
    ombudsman_details_given: bool,
    good_reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Extend the open stage's response date (Code 6.4, 6.5; 6.15, 6.16 at stage 2).

    The resident must be told within the current timescale (on or before the date the
    response is due: decision record 0006), with reasons and the Ombudsman's details, and not
    before the stage was acknowledged (there was no response date to extend). Several extensions
    are allowed; together they may not pass the cap (10 or 20 working days after the original due
    date) unless a good reason is recorded.

    All the input problems are reported at once (``InvalidInput`` with ``errors``), so a form can
    show every one beside its field.
    """
    notice_on = _check_on(notice_on, field="notice_on")
    on = _check_on(on) if on is not None else notice_on
    locked = _lock(complaint, expected_version, step=Step.EXTEND)
    row = _stage(locked)
    if row.acknowledged_on is None or row.responded_on is not None:
        raise StepRefused(
            "stage_not_open",
            f"Only an acknowledged stage awaiting its response can be extended; stage "
            f"{row.number} is not.",
        )
    current_due = row.current_due
    problems = Problems()
    if not reason.strip():
        problems.add(
            InvalidInput(
                "reason_missing", "Give the reasons the resident was told.", field="reason"
            )
        )
    if new_due <= current_due:
        problems.add(
            InvalidInput(
                "extension_not_later",
                f"The new date must be after the current due date, {long_date(current_due)}.",
                field="new_due",
            )
        )
    if notice_on < row.acknowledged_on:
        problems.add(
            InvalidInput(
                "extension_notice_before_acknowledgement",
                f"The resident cannot have been told of an extension before stage {row.number} "
                f"was acknowledged on {long_date(row.acknowledged_on)}, when its response date "
                "was set.",
                field="notice_on",
            )
        )
    elif notice_on > current_due:
        problems.add(
            StepRefused(
                "extension_notice_late",
                f"The resident must be told of an extension by {long_date(current_due)}, the date "
                f"the response is due; they were told on {long_date(notice_on)}.",
                field="notice_on",
            )
        )
    if not ombudsman_details_given:
        problems.add(
            StepRefused(
                "ombudsman_details_missing",
                "The resident must be given the Housing Ombudsman's details with an extension.",
                field="ombudsman_details_given",
            )
        )
    if new_due > row.extension_cap and not good_reason.strip():
        problems.add(
            StepRefused(
                "extension_beyond_cap",
                f"Extensions may reach {long_date(row.extension_cap)} at the latest unless a good "
                "reason is recorded.",
                field="good_reason",
            )
        )
    problems.raise_any()
    before = snapshot(row, ["extended_due"])
    Extension.objects.create(
        stage=row,
        notice_on=notice_on,
        previous_due=current_due,
        new_due=new_due,
        reason=reason,
        good_reason=good_reason,
        ombudsman_details_given=ombudsman_details_given,
    )
    row.extended_due = new_due
    row.save(update_fields=["extended_due", "updated_at"])
    changes = diff(before, snapshot(row, ["extended_due"]))
    changes["reason"] = [None, reason]
    if good_reason:
        changes["good_reason"] = [None, good_reason]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.EXTENDED,
        summary=f"Stage {row.number} response date extended to {long_date(new_due)}",
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


# Escalation and withdrawal ----------------------------------------------------------------------


@transaction.atomic
def complaint_escalate(
    *,
    acting_user: Any,
    complaint: Complaint,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Open stage 2 on the resident's request; no reason is needed (Code 6.12), and there is no
    time limit on asking (a complaint closed after the escalation window re-opens).

    Only a complaint whose stage 1 was answered can be escalated (Code 5.3, 6.10): not one closed
    as a duplicate, and never past a standing refusal, which only its reversal overturns (5.11).
    ``note`` optionally records what the resident said, in the same history event.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.ESCALATE)
    _check_escalatable(locked, on)
    status_before, _ = lifecycle.move(Step.ESCALATE, locked)
    stage = _open_stage(locked, 2, on)
    changes = created(snapshot(stage, ["received_on", "acknowledgement_due"]))
    changes["status"] = [status_before, locked.status]
    note = note.strip() if isinstance(note, str) else ""
    if note:
        changes["note"] = [None, note]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ESCALATED,
        summary=f"Escalated to stage 2: {note}" if note else "Escalated to stage 2",
        changes=changes,
        stage_number=2,
        original=complaint,
    )


@transaction.atomic
def complaint_withdraw(
    *,
    acting_user: Any,
    complaint: Complaint,
    reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """The resident withdrew the complaint; the record and its history stay."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.WITHDRAW)
    status_before, _ = lifecycle.move(Step.WITHDRAW, locked)
    changes: dict[str, list] = {"status": [status_before, locked.status]}
    if reason:
        changes["reason"] = [None, reason]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.WITHDRAWN,
        summary="Complaint withdrawn" + (f": {reason}" if reason else ""),
        changes=changes,
        stage_number=None,
        original=complaint,
    )


# Calendar changes -------------------------------------------------------------------------------


@transaction.atomic
def stage_deadlines_recompute(*, acting_user: Any = None, on: date | None = None) -> int:
    """Recompute stored due dates of every open stage after the calendar changed.

    A constant number of queries however many stages are open: one read, one bulk update, one
    bulk insert of events and one version bump. Unacknowledged stages get a new acknowledgement
    due date; acknowledged ones new response dates and cap. Agreed extension dates, and flags
    already recorded, are facts and stay. Returns how many stages changed.
    """
    on = _check_on(on)
    cal = current_calendar()
    ts = current_timescales()
    stages = list(
        Stage.objects.select_for_update()
        .filter(responded_on__isnull=True, complaint__status__in=lifecycle.AWAITING_LANDLORD)
        .only(
            "id",
            "complaint_id",
            "number",
            "received_on",
            "acknowledged_on",
            "extended_due",
            "responded_on",
            *STAGE_DATE_FIELDS,
        )
    )
    changed: list[Stage] = []
    events: list[ComplaintEvent] = []
    for stage in stages:
        before = snapshot(stage, STAGE_DATE_FIELDS)
        if stage.acknowledged_on is None:
            stage.acknowledgement_due = deadlines.stage_acknowledgement_due(
                cal, ts, stage.number, stage.received_on
            )
        else:
            dates = deadlines.stage_response_dates(
                cal, ts, stage.number, stage.acknowledged_on, stage.acknowledgement_due
            )
            stage.response_due, stage.response_due_if_acknowledged_on_time = dates[:2]
            stage.extension_cap = dates.extension_cap
        changes = diff(before, snapshot(stage, STAGE_DATE_FIELDS))
        if changes:
            changed.append(stage)
            events.append(
                ComplaintEvent.build(
                    complaint_id=stage.complaint_id,
                    stage_number=stage.number,
                    on=on,
                    acting_user=acting_user,
                    action=ComplaintEvent.Action.DEADLINES_RECOMPUTED,
                    summary=f"Stage {stage.number} due dates moved by a calendar change",
                    changes=changes,
                )
            )
    if changed:
        Stage.objects.bulk_update(changed, STAGE_DATE_FIELDS, batch_size=500)
        ComplaintEvent.objects.bulk_create(events, batch_size=500)
        Complaint.objects.filter(pk__in={s.complaint_id for s in changed}).update(
            version=F("version") + 1
        )
        # Only an open stage's next deadline can move; everything else about where the
        # complaint stands is unchanged by the calendar.
        moved = [
            Complaint(pk=stage.complaint_id, next_due_on=next_deadline(stage)[0])
            for stage in changed
        ]
        Complaint.objects.bulk_update(moved, ["next_due_on"], batch_size=500)
    return len(changed)

"""Every change to a complaint: one transaction, one version bump and one history event each.

Each service takes ``acting_user`` and ``on`` (the date the step happened in the world, default
today in Europe/London), so historic imports flow through the same rules. ``expected_version``,
when given, must match the stored version or nothing is written (``StaleVersion``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from putright.complaints import deadlines
from putright.complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    Extension,
    ReferenceCounter,
    Stage,
    Status,
)
from putright.complaints.transitions import set_status
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.selectors import current_calendar, current_timescales

STAGE_DATE_FIELDS = [
    "acknowledgement_due",
    "response_due",
    "response_due_if_acknowledged_on_time",
    "extension_cap",
]
OPEN_STAGE_STATES = (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN)


# Helpers ----------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _check_on(on: date | None, *, field: str = "on") -> date:
    """The step's date, default today; a step cannot have happened in the future."""
    if on is None:
        return _today()
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidInput("invalid_date", "Give the date the step happened.", field=field)
    if on > _today():
        raise InvalidInput(
            "date_in_future", "The date a step happened cannot be in the future.", field=field
        )
    return on


def _lock(complaint: Complaint, expected_version: int | None) -> Complaint:
    """The complaint's row, locked for this transaction, after checking the caller's version."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            "stale_version",
            f"Complaint {locked.reference} was changed by someone else while you were working "
            "on it. Reload it to see the changes, then try again.",
            expected=expected_version,
            actual=locked.version,
        )
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
    """Bump the version, save, write the one event, and refresh the caller's instance."""
    complaint.version += 1
    complaint.save()
    ComplaintEvent.objects.create(
        complaint=complaint,
        stage_number=stage_number,
        happened_on=on,
        actor=acting_user,
        action=action,
        summary=summary,
        changes=changes,
    )
    if original is not None and original is not complaint:
        original.refresh_from_db()
    return complaint


def _next_reference(year: int) -> str:
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"C-{year}-{counter.last:05d}"


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
) -> Complaint:
    """Record a complaint as received, with stage 1 and its acknowledgement due date.

    The receipt date is ``received_at`` read in Europe/London: a complaint emailed at 23:30 UTC
    on a summer evening was received the next day in England.
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
        status=Status.RECEIVED,
        version=0,  # _finish bumps it to 1
    )
    complaint.full_clean(exclude=["reference", "version"])
    complaint.save()
    stage = Stage.objects.create(
        complaint=complaint,
        number=1,
        received_on=received_on,
        handler=handler,
        acknowledgement_due=deadlines.stage_acknowledgement_due(
            current_calendar(), current_timescales(), 1, received_on
        ),
    )
    after = snapshot(
        complaint,
        ["reference", "complainant", "channel", "received_at", "received_on", "status"],
    )
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


@transaction.atomic
def stage_acknowledge(
    *,
    acting_user: Any,
    complaint: Complaint,
    stage: int = 1,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record the acknowledgement and work out the response dates from it.

    Stage 1 moves the complaint from received to stage 1 open. At stage 2 the handler must be
    someone not involved at stage 1 (Code 6.13), so one must be allocated first.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    row = _stage(locked, stage)
    if row.acknowledged_on is not None:
        raise StepRefused(
            "already_acknowledged",
            f"Stage {stage} was already acknowledged on {row.acknowledged_on:%d %B %Y}.",
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
    before = snapshot(row, ["acknowledged_on", *STAGE_DATE_FIELDS, "ack_within_code"])
    status_before = locked.status
    dates = deadlines.stage_response_dates(
        current_calendar(), current_timescales(), stage, on, row.acknowledgement_due
    )
    row.acknowledged_on = on
    row.response_due, row.response_due_if_acknowledged_on_time, row.extension_cap = dates
    row.ack_within_code = on <= row.acknowledgement_due
    row.save()
    if locked.status == Status.RECEIVED:
        set_status(locked, Status.STAGE1_OPEN)
    changes = diff(before, snapshot(row, list(before)))
    if locked.status != status_before:
        changes["status"] = [status_before, locked.status]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ACKNOWLEDGED,
        summary=f"Stage {stage} acknowledged; response due {row.response_due:%d %B %Y}",
        changes=changes,
        stage_number=stage,
        original=complaint,
    )


# Handlers ---------------------------------------------------------------------------------------


def _stage1_involved_ids(complaint: Complaint) -> set[int]:
    """Everyone who considered the complaint at stage 1: handlers past and present, and whoever
    recorded the stage 1 response (Code 6.13)."""
    involved: set[int] = set()
    stage1 = Stage.objects.filter(complaint=complaint, number=1).values_list("handler", flat=True)
    involved.update(pk for pk in stage1 if pk is not None)
    events = ComplaintEvent.objects.filter(complaint=complaint, stage_number=1).values_list(
        "action", "actor", "changes"
    )
    for action, actor, changes in events:
        if action == ComplaintEvent.Action.RESPONDED and actor is not None:
            involved.add(actor)
        for value in (changes or {}).get("handler", []):
            if isinstance(value, dict) and value.get("id") is not None:
                involved.add(value["id"])
    return involved


def _check_independent(complaint: Complaint, handler: Any) -> None:
    if handler is not None and handler.pk in _stage1_involved_ids(complaint):
        raise StepRefused(
            "not_independent",
            f"{handler} was involved in this complaint at stage 1, so cannot consider it at "
            "stage 2. Choose someone not previously involved.",
            field="handler",
        )


@transaction.atomic
def complaint_allocate(
    *,
    acting_user: Any,
    complaint: Complaint,
    handler: Any,
    stage: int | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Give a stage (by default the latest) a handler; stage 2 needs someone independent."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    row = _stage(locked, stage)
    if row.responded_on is not None:
        raise StepRefused("stage_responded", f"Stage {row.number} has been responded to already.")
    if row.number == 2:
        _check_independent(locked, handler)
    before = snapshot(row, ["handler"])
    row.handler = handler
    row.save(update_fields=["handler", "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ALLOCATED,
        summary=f"Stage {row.number} allocated to {handler}",
        changes=diff(before, snapshot(row, ["handler"])),
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

    The resident must be told before the current due date, with reasons and the Ombudsman's
    details. Several extensions are allowed; together they may not pass the cap (10 or 20 working
    days after the original due date) unless a good reason is recorded.
    """
    notice_on = _check_on(notice_on, field="notice_on")
    on = _check_on(on) if on is not None else notice_on
    locked = _lock(complaint, expected_version)
    row = _stage(locked)
    if row.acknowledged_on is None or row.responded_on is not None:
        raise StepRefused(
            "stage_not_open",
            f"Only an acknowledged stage awaiting its response can be extended; stage "
            f"{row.number} is not.",
        )
    current_due = row.current_due
    if not reason.strip():
        raise InvalidInput(
            "reason_missing", "Give the reasons the resident was told.", field="reason"
        )
    if new_due <= current_due:
        raise InvalidInput(
            "extension_not_later",
            f"The new date must be after the current due date, {current_due:%d %B %Y}.",
            field="new_due",
        )
    if notice_on > current_due:
        raise StepRefused(
            "extension_notice_late",
            f"The resident must be told of an extension before the response is due "
            f"({current_due:%d %B %Y}); they were told on {notice_on:%d %B %Y}.",
            field="notice_on",
        )
    if not ombudsman_details_given:
        raise StepRefused(
            "ombudsman_details_missing",
            "The resident must be given the Housing Ombudsman's details with an extension.",
            field="ombudsman_details_given",
        )
    if new_due > row.extension_cap and not good_reason.strip():
        raise StepRefused(
            "extension_beyond_cap",
            f"Extensions may reach {row.extension_cap:%d %B %Y} at the latest unless a good "
            "reason is recorded.",
            field="good_reason",
        )
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
        summary=f"Stage {row.number} response date extended to {new_due:%d %B %Y}",
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


@transaction.atomic
def stage_respond(
    *,
    acting_user: Any,
    complaint: Complaint,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record the open stage's response and whether it met the Code and any extension."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    row = _stage(locked)
    if row.acknowledged_on is None:
        raise StepRefused(
            "not_acknowledged", f"Stage {row.number} must be acknowledged before responding."
        )
    if on < row.acknowledged_on:
        raise InvalidInput(
            "date_before_acknowledgement",
            "The response cannot be earlier than the acknowledgement.",
            field="on",
        )
    status_before = locked.status
    set_status(locked, Status.STAGE1_RESPONDED if row.number == 1 else Status.STAGE2_RESPONDED)
    fields = ["responded_on", "response_within_code", "response_within_extension"]
    before = snapshot(row, fields)
    row.responded_on = on
    row.response_within_code = on <= row.response_due
    row.response_within_extension = None if row.extended_due is None else on <= row.extended_due
    row.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, snapshot(row, fields))
    changes["status"] = [status_before, locked.status]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.RESPONDED,
        summary=f"Stage {row.number} response recorded",
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
    expected_version: int | None = None,
) -> Complaint:
    """Open stage 2 on the resident's request; no reason is needed (Code 6.12)."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    if Stage.objects.filter(complaint=locked, number=2).exists():
        raise StepRefused(
            "third_stage",
            "This complaint has already been through stage 2. The Code allows two stages; the "
            "resident can now go to the Housing Ombudsman.",
        )
    status_before = locked.status
    set_status(locked, Status.STAGE2_OPEN)
    stage = Stage.objects.create(
        complaint=locked,
        number=2,
        received_on=on,
        acknowledgement_due=deadlines.stage_acknowledgement_due(
            current_calendar(), current_timescales(), 2, on
        ),
    )
    changes = created(snapshot(stage, ["received_on", "acknowledgement_due"]))
    changes["status"] = [status_before, locked.status]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ESCALATED,
        summary="Escalated to stage 2",
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
    locked = _lock(complaint, expected_version)
    status_before = locked.status
    set_status(locked, Status.WITHDRAWN)
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
        .filter(responded_on__isnull=True, complaint__status__in=OPEN_STAGE_STATES)
        .only("id", "complaint_id", "number", "received_on", "acknowledged_on", *STAGE_DATE_FIELDS)
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
                ComplaintEvent(
                    complaint_id=stage.complaint_id,
                    stage_number=stage.number,
                    happened_on=on,
                    actor=acting_user,
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
    return len(changed)

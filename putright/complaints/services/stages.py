"""Working a stage: handlers, extensions, responses and sign-off, escalation, withdrawal,
agreed update intervals and recomputing deadlines when the calendar changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from putright.complaints import deadlines
from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Decision,
    Extension,
    Finding,
    Point,
    RootCause,
    Stage,
    Status,
)
from putright.complaints.services._common import (
    OPEN_STAGE_STATES,
    STAGE_DATE_FIELDS,
    _check_independent,
    _check_on,
    _finish,
    _lock,
    _stage,
)
from putright.complaints.transitions import set_status
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
    get_organisation,
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
    decisions: dict[int, tuple[str, str]] | None = None,
    remedies_offered: str = "",
    outstanding_actions: str = "",
    root_causes: Any = (),
    require_sign_off: bool | None = None,
) -> Complaint:
    """Record the open stage's response and whether it met the Code and any extension.

    When the stage has points of complaint, ``decisions`` must decide every one (point number ->
    ``(finding, reasons)``, Code 6.7) and the stage's outcome is derived from them: upheld if
    all are upheld, not upheld if none are, otherwise partly upheld. A stage without points
    takes no decisions and keeps no outcome.

    Sign-off: ``require_sign_off=True`` or ``False`` decides it for this response. The default
    (``None``) follows the organisation's stage 1 / stage 2 sign-off setting, but only for a
    stage with points of complaint (the definition-based flow); a stage without points needs no
    sign-off by default. The signer must not be the stage's handler.
    """
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
    points = list(row.points.order_by("number")) if row.responded_on is None else []
    findings = _check_decisions(row, points, decisions or {})
    causes = _check_root_causes(root_causes)
    _check_signed_off(row, bool(points), require_sign_off)
    status_before = locked.status
    set_status(locked, Status.STAGE1_RESPONDED if row.number == 1 else Status.STAGE2_RESPONDED)
    fields = [
        "responded_on",
        "response_within_code",
        "response_within_extension",
        "outcome",
        "remedies_offered",
        "outstanding_actions",
        "root_causes",
    ]
    before = snapshot(row, fields)
    row.responded_on = on
    row.response_within_code = on <= row.response_due
    row.response_within_extension = None if row.extended_due is None else on <= row.extended_due
    row.outcome = _outcome([finding for finding, _ in findings.values()]) if points else ""
    row.remedies_offered = remedies_offered.strip()
    row.outstanding_actions = outstanding_actions.strip()
    row.root_causes = causes
    row.save(update_fields=[*fields, "updated_at"])
    Decision.objects.bulk_create(
        Decision(point=point, finding=findings[point.number][0], reasons=findings[point.number][1])
        for point in points
    )
    changes = diff(before, snapshot(row, fields))
    changes["status"] = [status_before, locked.status]
    if points:
        changes["decisions"] = [None, {str(n): list(v) for n, v in sorted(findings.items())}]
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


def _check_decisions(
    row: Stage, points: list[Point], decisions: dict
) -> dict[int, tuple[str, str]]:
    """The decisions cleaned, after checking every point is decided with reasons."""
    if not points:
        if decisions:
            raise InvalidInput(
                "no_points",
                f"Stage {row.number} has no points of complaint to decide. Record the points "
                "first, or respond without decisions.",
                field="decisions",
            )
        return {}
    numbers = {point.number for point in points}
    unknown = sorted(str(n) for n in decisions if n not in numbers)
    if unknown:
        raise InvalidInput(
            "unknown_point",
            f"Stage {row.number} has no point {', '.join(unknown)}.",
            field="decisions",
        )
    cleaned: dict[int, tuple[str, str]] = {}
    for point in points:
        if point.number not in decisions:
            raise StepRefused(
                "point_undecided",
                f'Point {point.number} ("{point.summary}") has no decision. Decide every point '
                "of complaint before recording the response.",
                field="decisions",
                point=point.number,
            )
        try:
            finding, reasons = decisions[point.number]
        except (TypeError, ValueError):
            raise InvalidInput(
                "invalid_decision",
                f"Give a finding and reasons for point {point.number}.",
                field="decisions",
                point=point.number,
            ) from None
        if finding not in Finding.values:
            raise InvalidInput(
                "invalid_finding",
                f"Point {point.number}: choose upheld, partly upheld or not upheld.",
                field="decisions",
                point=point.number,
            )
        if not isinstance(reasons, str) or not reasons.strip():
            raise InvalidInput(
                "reasons_missing",
                f"Point {point.number}: give the reasons for the decision.",
                field="decisions",
                point=point.number,
            )
        cleaned[point.number] = (finding, reasons.strip())
    return cleaned


def _check_root_causes(root_causes: Any) -> list[str]:
    if isinstance(root_causes, str):
        root_causes = [root_causes]
    causes: list[str] = []
    for cause in root_causes or ():
        if cause not in RootCause.values:
            raise InvalidInput(
                "invalid_root_cause",
                f"{cause!r} is not a root cause; choose from "
                f"{', '.join(RootCause.labels).lower()}.",
                field="root_causes",
            )
        if cause not in causes:
            causes.append(cause)
    return causes


def _outcome(findings: list[str]) -> str:
    if all(f == Finding.UPHELD for f in findings):
        return Finding.UPHELD
    if all(f == Finding.NOT_UPHELD for f in findings):
        return Finding.NOT_UPHELD
    return Finding.PARTLY_UPHELD


def _check_signed_off(row: Stage, has_points: bool, require_sign_off: bool | None) -> None:
    if require_sign_off is None:
        organisation = get_organisation()
        setting = (
            organisation.stage1_requires_sign_off
            if row.number == 1
            else organisation.stage2_requires_sign_off
        )
        require_sign_off = has_points and setting
    if not require_sign_off:
        return
    if row.signed_off_by_id is None:
        raise StepRefused(
            "sign_off_required",
            f"The stage {row.number} response must be signed off by someone other than the "
            "handler before it is recorded.",
            field="signed_off_by",
        )
    if row.signed_off_by_id == row.handler_id:
        raise StepRefused(
            "sign_off_by_handler",
            f"The stage {row.number} response was signed off by its own handler. Ask someone "
            "else to sign it off.",
            field="signed_off_by",
        )


@transaction.atomic
def response_sign_off(
    *,
    acting_user: Any,
    complaint: Complaint,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record the quality sign-off of the open stage's response by someone not handling it."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    row = _stage(locked)
    if row.acknowledged_on is None or row.responded_on is not None:
        raise StepRefused(
            "stage_not_open",
            f"Only an acknowledged stage awaiting its response can be signed off; stage "
            f"{row.number} is not.",
        )
    if locked.status not in OPEN_STAGE_STATES:
        raise StepRefused(
            "stage_not_open",
            f"Complaint {locked.reference} is {Status(locked.status).label.lower()}, so its "
            "response cannot be signed off.",
        )
    if acting_user is not None and acting_user.pk == row.handler_id:
        raise StepRefused(
            "sign_off_by_handler",
            f"You are handling stage {row.number}, so cannot sign off its response. Ask someone "
            "else to sign it off.",
            field="acting_user",
        )
    if on < row.acknowledged_on:
        raise InvalidInput(
            "date_before_acknowledgement",
            "The sign-off cannot be earlier than the acknowledgement.",
            field="on",
        )
    fields = ["signed_off_by", "signed_off_on", "sign_off_note"]
    before = snapshot(row, fields)
    row.signed_off_by = acting_user
    row.signed_off_on = on
    row.sign_off_note = note.strip()
    row.save(update_fields=[*fields, "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.SIGNED_OFF,
        summary=f"Stage {row.number} response signed off",
        changes=diff(before, snapshot(row, fields)),
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

"""Every change to a complaint: one transaction, one version bump and one history event each.

Each service takes ``acting_user`` and ``on`` (the date the step happened in the world, default
today in Europe/London), so historic imports flow through the same rules. ``expected_version``,
when given, must match the stored version or nothing is written (``StaleVersion``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import filetype
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from putright.complaints import deadlines
from putright.complaints.models import (
    Channel,
    ClosureReason,
    Complaint,
    ComplaintEvent,
    Complexity,
    Correspondence,
    CorrespondenceChannel,
    Decision,
    Direction,
    Document,
    DocumentKind,
    Extension,
    Finding,
    Note,
    Party,
    Point,
    ReferenceCounter,
    Refusal,
    Risk,
    RootCause,
    Stage,
    Status,
)
from putright.complaints.transitions import set_status
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.models import ExclusionReason
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
    get_organisation,
)
from putright.rules.timescales import months_between_exceeds

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
    """Record the acknowledgement and work out the response dates from it.

    Stage 1 moves the complaint from received to stage 1 open. At stage 2 the handler must be
    someone not involved at stage 1 (Code 6.13), so one must be allocated first.

    ``points`` (the complaint definition, Code 5.6) are ``(point of complaint, outcome sought)``
    pairs numbered from 1; ``not_responsible_for`` records anything the landlord is not
    responsible for (5.7); ``complexity``, ``risk`` and ``vulnerability_note`` are the triage
    (6.1). All optional.
    """
    on = _check_on(on)
    cleaned_points = _clean_points(points) if points else []
    if complexity and complexity not in Complexity.values:
        raise InvalidInput("invalid_complexity", "Choose low, medium or high.", field="complexity")
    if risk and risk not in Risk.values:
        raise InvalidInput("invalid_risk", "Choose none, some or high.", field="risk")
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
    if cleaned_points and row.points.exists():
        raise StepRefused(
            "points_already_recorded",
            f"Stage {stage} already has points of complaint; add further ones one at a time.",
            field="points",
        )
    definition = ["not_responsible_for", "complexity", "risk", "vulnerability_note"]
    before = snapshot(row, ["acknowledged_on", *STAGE_DATE_FIELDS, "ack_within_code", *definition])
    status_before = locked.status
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
    if locked.status == Status.RECEIVED:
        set_status(locked, Status.STAGE1_OPEN)
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
        summary=f"Stage {stage} acknowledged; response due {row.response_due:%d %B %Y}",
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
    locked = _lock(complaint, expected_version)
    row = _stage(locked)
    if row.responded_on is not None:
        raise StepRefused(
            "log_new_complaint",
            f"Stage {row.number} was responded to on {row.responded_on:%d %B %Y}, so this new "
            "issue cannot be added to it. Log it as a new complaint linked to "
            f"{locked.reference}.",
        )
    if locked.status not in OPEN_STAGE_STATES:
        raise StepRefused(
            "stage_not_open",
            f"Complaint {locked.reference} is {Status(locked.status).label.lower()}, so points "
            "cannot be added to it.",
        )
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


# Handlers ---------------------------------------------------------------------------------------


def _stage1_involved_ids(complaint: Complaint) -> set[int]:
    """Everyone who considered the complaint at stage 1: handlers past and present, whoever
    signed off the stage 1 response, and whoever recorded it (Code 6.13)."""
    involved: set[int] = set()
    stage1 = Stage.objects.filter(complaint=complaint, number=1).values_list(
        "handler", "signed_off_by"
    )
    for row in stage1:
        involved.update(pk for pk in row if pk is not None)
    events = ComplaintEvent.objects.filter(complaint=complaint, stage_number=1).values_list(
        "action", "actor", "changes"
    )
    for action, actor, changes in events:
        signed = action == ComplaintEvent.Action.SIGNED_OFF
        if (action == ComplaintEvent.Action.RESPONDED or signed) and actor is not None:
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


# Refusals (Code 2.1-2.5, 5.11) ------------------------------------------------------------------


def _check_refusal(
    *,
    kind: str,
    reason: Any,
    explanation: str,
    evidence: str,
    evidence_date: date | None,
    ombudsman_rights_given: bool,
) -> None:
    """The policy's conditions for refusing, checked before anything is written."""
    decision = (
        "not accepting a complaint"
        if kind == Refusal.Kind.ACCEPTANCE
        else ("refusing an escalation")
    )
    if reason is None:
        raise InvalidInput(
            "reason_required",
            f"Choose the reason from the complaints policy for {decision}.",
            field="reason",
        )
    if not reason.is_active:
        raise StepRefused(
            "reason_inactive",
            f"'{reason.label}' is no longer in the complaints policy; choose a current reason.",
            field="reason",
        )
    if reason.applies_to not in (kind, ExclusionReason.AppliesTo.BOTH):
        raise StepRefused(
            "reason_not_applicable",
            f"'{reason.label}' is not a reason the policy allows for {decision}.",
            field="reason",
        )
    if not (explanation or "").strip():
        raise InvalidInput(
            "explanation_required",
            "Explain why the reason applies to this complaint; the resident must be told.",
            field="explanation",
        )
    if not (evidence or "").strip():
        raise InvalidInput(
            "evidence_required",
            "Record the evidence the decision rests on.",
            field="evidence",
        )
    if reason.requires_date_evidence and evidence_date is None:
        raise InvalidInput(
            "evidence_date_required",
            f"This reason needs a date as evidence: {reason.evidence_date_label}.",
            field="evidence_date",
        )
    if not ombudsman_rights_given:
        raise StepRefused(
            "ombudsman_rights_missing",
            "The resident must be told they can take this decision to the Housing Ombudsman.",
            field="ombudsman_rights_given",
        )


def _refuse(
    *,
    kind: str,
    acting_user: Any,
    complaint: Complaint,
    reason: Any,
    explanation: str,
    evidence: str,
    resident_told_on: date,
    ombudsman_rights_given: bool,
    evidence_date: date | None,
    on: date | None,
    expected_version: int | None,
) -> Complaint:
    on = _check_on(on)
    resident_told_on = _check_on(resident_told_on, field="resident_told_on")
    if evidence_date is not None:
        evidence_date = _check_on(evidence_date, field="evidence_date")
    locked = _lock(complaint, expected_version)
    if kind == Refusal.Kind.ACCEPTANCE:
        stage_number, new_status = 1, Status.NOT_ACCEPTED
        action = ComplaintEvent.Action.NOT_ACCEPTED
        if locked.status not in (Status.RECEIVED, Status.STAGE1_OPEN):
            raise StepRefused(
                "cannot_refuse_acceptance",
                f"Complaint {locked.reference} is {locked.get_status_display().lower()}; it can "
                "only be not accepted before its stage 1 response.",
            )
    else:
        stage_number, new_status = 2, Status.ESCALATION_REFUSED
        action = ComplaintEvent.Action.ESCALATION_REFUSED
        if locked.status not in (Status.STAGE1_RESPONDED, Status.CLOSED):
            raise StepRefused(
                "cannot_refuse_escalation",
                f"Complaint {locked.reference} is {locked.get_status_display().lower()}; only a "
                "request to escalate after the stage 1 response can be refused.",
            )
        if Stage.objects.filter(complaint=locked, number=2).exists():
            raise StepRefused(
                "third_stage",
                "This complaint has already been through stage 2; there is no escalation to "
                "refuse. The resident can go to the Housing Ombudsman.",
            )
    _check_refusal(
        kind=kind,
        reason=reason,
        explanation=explanation,
        evidence=evidence,
        evidence_date=evidence_date,
        ombudsman_rights_given=ombudsman_rights_given,
    )
    if on < locked.received_on or resident_told_on < locked.received_on:
        raise InvalidInput(
            "date_before_receipt",
            "The decision cannot be earlier than the date the complaint was received.",
            field="on" if on < locked.received_on else "resident_told_on",
        )
    status_before = locked.status
    set_status(locked, new_status)
    refusal = Refusal.objects.create(
        complaint=locked,
        stage_number=stage_number,
        kind=kind,
        reason=reason,
        explanation=explanation,
        evidence=evidence,
        evidence_date=evidence_date,
        resident_told_on=resident_told_on,
        ombudsman_rights_given=ombudsman_rights_given,
        decided_by=acting_user,
        decided_on=on,
    )
    changes = created(
        snapshot(
            refusal,
            ["reason", "explanation", "evidence", "evidence_date", "resident_told_on"],
        )
    )
    changes["status"] = [status_before, locked.status]
    label = "Complaint not accepted" if kind == Refusal.Kind.ACCEPTANCE else "Escalation refused"
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=action,
        summary=f"{label}: {reason.label}",
        changes=changes,
        stage_number=stage_number,
        original=complaint,
    )


@transaction.atomic
def complaint_not_accept(
    *,
    acting_user: Any,
    complaint: Complaint,
    reason: Any,
    explanation: str,
    evidence: str,
    resident_told_on: date,
    ombudsman_rights_given: bool,
    evidence_date: date | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Decide not to accept ONE complaint, for a reason in the policy (Code 2.1-2.5).

    There is deliberately no bulk form: each decision is made on the complaint's own facts.
    """
    return _refuse(
        kind=Refusal.Kind.ACCEPTANCE,
        acting_user=acting_user,
        complaint=complaint,
        reason=reason,
        explanation=explanation,
        evidence=evidence,
        resident_told_on=resident_told_on,
        ombudsman_rights_given=ombudsman_rights_given,
        evidence_date=evidence_date,
        on=on,
        expected_version=expected_version,
    )


@transaction.atomic
def escalation_refuse(
    *,
    acting_user: Any,
    complaint: Complaint,
    reason: Any,
    explanation: str,
    evidence: str,
    resident_told_on: date,
    ombudsman_rights_given: bool,
    evidence_date: date | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Refuse ONE request to escalate to stage 2, for a reason in the policy (Code 5.11)."""
    return _refuse(
        kind=Refusal.Kind.ESCALATION,
        acting_user=acting_user,
        complaint=complaint,
        reason=reason,
        explanation=explanation,
        evidence=evidence,
        resident_told_on=resident_told_on,
        ombudsman_rights_given=ombudsman_rights_given,
        evidence_date=evidence_date,
        on=on,
        expected_version=expected_version,
    )


@transaction.atomic
def refusal_reverse(
    *,
    acting_user: Any,
    complaint: Complaint,
    basis: str,
    note: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Overturn the standing refusal after a review or on the Ombudsman's instruction (Code 2.4).

    The complaint keeps its original receipt date; the Code clock starts again from ``on``, the
    date of the decision to take it on. A not-accepted complaint gets stage 1 back, unacknowledged,
    with received_on = ``on``; a refused escalation gets stage 2 opened from ``on``.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    if locked.status not in (Status.NOT_ACCEPTED, Status.ESCALATION_REFUSED):
        raise StepRefused(
            "not_refused",
            f"Complaint {locked.reference} is {locked.get_status_display().lower()}; there is no "
            "refusal to reverse.",
        )
    if basis not in Refusal.ReversalBasis.values:
        raise InvalidInput(
            "basis_required",
            "Say whether the refusal is reversed on review or on the Ombudsman's instruction.",
            field="basis",
        )
    if not (note or "").strip():
        raise InvalidInput(
            "note_required", "Record why the refusal is being reversed.", field="note"
        )
    refusal = (
        Refusal.objects.select_for_update()
        .filter(complaint=locked, reversed_on__isnull=True)
        .order_by("-decided_on", "-id")
        .first()
    )
    if refusal is None:  # pragma: no cover - every refused status has its Refusal row
        raise StepRefused("not_refused", "There is no standing refusal to reverse.")
    if on < refusal.decided_on:
        raise InvalidInput(
            "date_before_refusal",
            f"The reversal cannot be earlier than the refusal ({refusal.decided_on:%d %B %Y}).",
            field="on",
        )
    status_before = locked.status
    cal, ts = current_calendar(), current_timescales()
    fields = ["received_on", "acknowledged_on", "ack_within_code", *STAGE_DATE_FIELDS]
    if locked.status == Status.NOT_ACCEPTED:
        set_status(locked, Status.RECEIVED)
        row = _stage(locked, 1)
        before = snapshot(row, fields)
        row.received_on = on
        row.acknowledged_on = None
        row.ack_within_code = None
        row.acknowledgement_due = deadlines.stage_acknowledgement_due(cal, ts, 1, on)
        row.response_due = row.response_due_if_acknowledged_on_time = None
        row.extension_cap = None
        row.save()
        changes = diff(before, snapshot(row, fields))
    else:
        set_status(locked, Status.STAGE2_OPEN)
        row = Stage.objects.create(
            complaint=locked,
            number=2,
            received_on=on,
            acknowledgement_due=deadlines.stage_acknowledgement_due(cal, ts, 2, on),
        )
        changes = created(snapshot(row, ["received_on", "acknowledgement_due"]))
    refusal.reversed_on = on
    refusal.reversed_by = acting_user
    refusal.reversal_basis = basis
    refusal.reversal_note = note
    refusal.save()
    changes["status"] = [status_before, locked.status]
    changes["reversal_basis"] = [None, basis]
    changes["reversal_note"] = [None, note]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.REFUSAL_REVERSED,
        summary=(
            f"Refusal reversed ({Refusal.ReversalBasis(basis).label}); stage {row.number} "
            f"acknowledgement due {row.acknowledgement_due:%d %B %Y}"
        ),
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


# Closing ----------------------------------------------------------------------------------------


def escalation_window_end(cal: Any, responded_on: date, window_days: int) -> date:
    """The last day the resident may ask to escalate before the complaint is closed."""
    return cal.add(responded_on, window_days)


@transaction.atomic
def complaint_close_unescalated(
    *,
    acting_user: Any = None,
    complaint: Complaint,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Close a stage 1 responded complaint once the landlord's escalation window has passed.

    A later request to escalate is still accepted (``complaint_escalate`` re-opens it).
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version)
    if locked.status != Status.STAGE1_RESPONDED:
        raise StepRefused(
            "not_awaiting_escalation",
            f"Complaint {locked.reference} is {locked.get_status_display().lower()}; only a "
            "complaint with a stage 1 response and no escalation can be closed this way.",
        )
    row = _stage(locked, 1)
    window = get_organisation().escalation_window_days
    last_day = escalation_window_end(current_calendar(), row.responded_on, window)
    if on <= last_day:
        raise StepRefused(
            "escalation_window_open",
            f"The resident can still ask to escalate until {last_day:%d %B %Y} ({window} working "
            "days after the stage 1 response). Close it after that date.",
            window_ends=last_day.isoformat(),
        )
    status_before = locked.status
    set_status(locked, Status.CLOSED)
    locked.closure_reason = ClosureReason.NOT_ESCALATED
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.CLOSED,
        summary=f"Closed: no escalation requested by {last_day:%d %B %Y}",
        changes={
            "status": [status_before, locked.status],
            "closure_reason": ["", ClosureReason.NOT_ESCALATED.value],
        },
        stage_number=1,
        original=complaint,
    )


def complaints_close_unescalated_sweep(*, on: date | None = None) -> int:
    """Close every complaint whose escalation window has passed by ``on``; returns how many.

    The due complaints are found with one query: the latest stage 1 response date whose window
    has ended is worked out from the calendar first. Running it again closes nothing more.
    """
    on = _check_on(on)
    cal = current_calendar()
    window = get_organisation().escalation_window_days
    cutoff = on - timedelta(days=1)
    while escalation_window_end(cal, cutoff, window) >= on:
        cutoff -= timedelta(days=1)
    due = Complaint.objects.filter(
        status=Status.STAGE1_RESPONDED,
        stages__number=1,
        stages__responded_on__lte=cutoff,
    ).order_by("pk")
    closed = 0
    for complaint in due:
        complaint_close_unescalated(complaint=complaint, on=on)
        closed += 1
    return closed


# Duplicates -------------------------------------------------------------------------------------

DUPLICATE_FROM = (Status.RECEIVED, Status.STAGE1_RESPONDED)


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
    locks = {c.pk: _lock(c, expected_version if c is complaint else None) for c in (first, second)}
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
    if dup.status not in DUPLICATE_FROM:
        raise StepRefused(
            "cannot_close_as_duplicate",
            f"Complaint {dup.reference} is {dup.get_status_display().lower()}; only a complaint "
            "just received, or awaiting escalation after its stage 1 response, can be closed "
            "as a duplicate.",
        )
    status_before = dup.status
    set_status(dup, Status.CLOSED)
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
    locked = _lock(complaint, expected_version)
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
    locked = _lock(complaint, expected_version)
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
    locked = _lock(complaint, expected_version)
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
    locked = _lock(complaint, expected_version)
    row = _stage(locked, stage_number)
    if row.responded_on is not None or locked.status not in OPEN_STAGE_STATES:
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

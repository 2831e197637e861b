"""Not accepting a complaint (Code 2.1-2.5), refusing escalation (5.11), reversing either,
and closing after the escalation window."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from putright.complaints import deadlines, lifecycle
from putright.complaints.deadlines import escalation_window_end
from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    ClosureReason,
    Complaint,
    ComplaintEvent,
    Extension,
    Refusal,
    Stage,
    Status,
)
from putright.complaints.services._common import (
    DRAFT_FIELDS,
    STAGE_DATE_FIELDS,
    _check_escalatable,
    _check_on,
    _finish,
    _lock,
    _open_stage,
    _stage,
)
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.models import ExclusionReason
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
    get_organisation,
)

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
    if kind == Refusal.Kind.ACCEPTANCE:
        stage_number, step = 1, Step.NOT_ACCEPT
        action = ComplaintEvent.Action.NOT_ACCEPTED
        locked = _lock(complaint, expected_version, step=step)
    else:
        stage_number, step = 2, Step.REFUSE_ESCALATION
        action = ComplaintEvent.Action.ESCALATION_REFUSED
        locked = _lock(complaint, expected_version, step=step)
        _check_escalatable(locked, on)
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
    status_before, _ = lifecycle.move(step, locked)
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
    with received_on = ``on`` and its clocks, extensions and any draft cleared (the points of
    complaint stay, for the new acknowledgement to confirm); the old extension rows stay on the
    record, marked void. A refused escalation gets stage 2 opened from ``on``.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.REVERSE_REFUSAL)
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
            f"The reversal cannot be earlier than the refusal ({long_date(refusal.decided_on)}).",
            field="on",
        )
    status_before, status_after = lifecycle.move(Step.REVERSE_REFUSAL, locked)
    if status_after == Status.RECEIVED:
        row = _stage(locked, 1)
        changes = _restart_stage(row, on)
    else:
        row = _open_stage(locked, 2, on)
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
            f"acknowledgement due {long_date(row.acknowledgement_due)}"
        ),
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


# Everything a stage's clocks and quality check hold, cleared when it starts again.
RESTART_FIELDS = [
    "received_on",
    "acknowledged_on",
    "ack_within_code",
    *STAGE_DATE_FIELDS,
    "extended_due",
    *DRAFT_FIELDS,
    "update_interval_days",
    "update_interval_agreed_on",
]


def _restart_stage(row: Stage, on: date) -> dict:
    """Start an unanswered stage again from ``on``: new acknowledgement date, no response dates,
    no extension, no draft. Returns the changes for the history."""
    before = snapshot(row, RESTART_FIELDS)
    for name in RESTART_FIELDS:
        setattr(row, name, None)
    row.received_on = on
    row.draft = {}
    row.acknowledgement_due = deadlines.stage_acknowledgement_due(
        current_calendar(), current_timescales(), row.number, on
    )
    row.sign_off_note = ""
    row.save()
    voided = Extension.objects.filter(stage=row, voided_on__isnull=True).update(voided_on=on)
    changes = diff(before, snapshot(row, RESTART_FIELDS))
    if voided:
        changes["extensions_voided"] = [None, voided]
    return changes


# Closing ----------------------------------------------------------------------------------------


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
    locked = _lock(complaint, expected_version, step=Step.CLOSE_UNESCALATED)
    row = _stage(locked, 1)
    window = get_organisation().escalation_window_days
    last_day = escalation_window_end(current_calendar(), row.responded_on, window)
    if on <= last_day:
        raise StepRefused(
            "escalation_window_open",
            f"The resident can still ask to escalate until {long_date(last_day)} ({window} working "
            "days after the stage 1 response). Close it after that date.",
            window_ends=last_day.isoformat(),
        )
    status_before, _ = lifecycle.move(Step.CLOSE_UNESCALATED, locked)
    locked.closure_reason = ClosureReason.NOT_ESCALATED
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.CLOSED,
        summary=f"Closed: no escalation requested by {long_date(last_day)}",
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
    has ended is worked out from the calendar first. Each is closed in its own transaction, so
    one that a colleague escalated meanwhile is skipped, not a reason to stop. Running it again
    closes nothing more.
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
    for complaint in due.iterator():
        try:
            complaint_close_unescalated(complaint=complaint, on=on)
        except StepRefused:
            continue
        closed += 1
    return closed

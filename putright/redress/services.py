"""Every step in putting a financial remedy right, from the offer to the payment.

One function per step. Each runs in one transaction, locks the compensation row, checks the step
against ``TRANSITIONS`` (a step out of order is refused here, whatever screen or job calls it),
writes the change and one event in the complaint's history. The steps work whatever the
complaint's status: a remedy outlives the complaint (Code 6.6, 6.17, 7.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from putright.complaints.models import ComplaintEvent, Remedy, RemedyKind
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, Problems, StepRefused
from putright.redress.models import HEAD_FIELDS, HEADS_OF_LOSS, BandConfirmation, Compensation
from putright.rules.remedy_bands import band_by_key

Status = Compensation.Status

# step -> (the statuses it may run from, the status it leaves)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({Status.OFFERED}), Status.ACCEPTED),
    "decline": (frozenset({Status.OFFERED}), Status.DECLINED),
    "approve": (frozenset({Status.ACCEPTED}), Status.APPROVED),
    "pay": (frozenset({Status.APPROVED}), Status.PAID),
}
# What each status is waiting for, to say why a step is out of order.
_WAITING = {
    Status.OFFERED: "the resident's answer to the offer",
    Status.ACCEPTED: "approval",
    Status.DECLINED: "nothing: the resident declined it",
    Status.APPROVED: "payment",
    Status.PAID: "nothing: it has been paid",
}
_STEP_WORDS = {
    "accept": "recorded as accepted",
    "decline": "recorded as declined",
    "approve": "approved",
    "pay": "recorded as paid",
}


def waiting_for(status: str) -> str:
    """What a compensation in this status is waiting for, in words."""
    return _WAITING[status]


def steps_from(status: str) -> list[str]:
    """The steps that may run from a status, in the order a screen offers them."""
    return [step for step, (sources, _) in TRANSITIONS.items() if status in sources]


# Helpers ----------------------------------------------------------------------------------------


def _check_on(on: date | None) -> date:
    if on is None:
        return clock.today()
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidInput("invalid_date", "Give the date the step happened.", field="on")
    if on > clock.today():
        raise InvalidInput(
            "date_in_future", "The date a step happened cannot be in the future.", field="on"
        )
    return on


def _not_before(on: date, earlier: date | None, what: str) -> None:
    if earlier is not None and on < earlier:
        raise InvalidInput(
            "date_out_of_order",
            f"The date cannot be earlier than {what} ({long_date(earlier)}).",
            field="on",
        )


def _lock(compensation: Compensation, step: str) -> Compensation:
    """The row, locked for this transaction, after checking the step may run from its status."""
    row = (
        Compensation.objects.select_for_update()
        .select_related("complaint", "stage")
        .get(pk=compensation.pk)
    )
    sources, _ = TRANSITIONS[step]
    if row.status not in sources:
        raise StepRefused(
            "step_out_of_order",
            f"This compensation is {row.get_status_display().lower()}, so it cannot be "
            f"{_STEP_WORDS[step]}. It is waiting for {_WAITING[row.status]}.",
            step=step,
            status=row.status,
        )
    return row


def _event(
    row: Compensation,
    *,
    acting_user: Any,
    on: date,
    action: str,
    summary: str,
    changes: dict,
) -> None:
    ComplaintEvent.write(
        acting_user=acting_user,
        on=on,
        action=action,
        summary=summary,
        changes={"compensation": [None, row.pk], **changes},
        complaint=row.complaint,
        stage_number=row.stage.number,
    )


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def approval_limit(user: Any) -> int:
    """The most this person may approve, in pence: the highest limit of the roles they hold
    (``PUTRIGHT_COMPENSATION_APPROVAL_LIMITS``). A superuser has the highest limit of all."""
    limits: Mapping[str, int] = settings.PUTRIGHT_COMPENSATION_APPROVAL_LIMITS
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser:
        return max(limits.values(), default=0)
    cached = getattr(user, "_putright_role_names", None)
    roles = cached if cached is not None else user.groups.values_list("name", flat=True)
    return max((limits.get(role, 0) for role in roles), default=0)


# The offer --------------------------------------------------------------------------------------


def _check_heads(heads: Mapping[str, Any], amount: int) -> dict[str, int]:
    problems = Problems()
    cleaned: dict[str, int] = {}
    unknown = sorted(set(heads) - set(HEAD_FIELDS))
    if unknown:
        raise InvalidInput(
            "unknown_head", f"{', '.join(unknown)} is not a head of loss.", field="heads"
        )
    labels = dict(HEADS_OF_LOSS)
    for field in HEAD_FIELDS:
        value = heads.get(field) or 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.add(
                InvalidInput(
                    "invalid_head",
                    f"{labels[field]}: give the amount in whole pence, not negative.",
                    field=field,
                )
            )
            continue
        cleaned[field] = value
    problems.raise_any()
    total = sum(cleaned.values())
    if total != amount:
        raise InvalidInput(
            "heads_do_not_add_up",
            f"The heads of loss add up to {_pounds(total)}, but the financial remedy is "
            f"{_pounds(amount)}. Make the parts add up to the amount offered.",
            field="heads",
        )
    return cleaned


@transaction.atomic
def compensation_offer(
    *,
    acting_user: Any,
    remedy: Remedy,
    heads: Mapping[str, int],
    ombudsman: str = Compensation.Ombudsman.NONE,
    on: date | None = None,
) -> Compensation:
    """Record the offer of an issued financial remedy, split by heads of loss that add up to the
    remedy's amount. ``on`` defaults to the date the response was issued."""
    remedy = Remedy.objects.select_for_update().select_related("stage").get(pk=remedy.pk)
    stage = remedy.stage
    if remedy.kind != RemedyKind.COMPENSATION or not remedy.amount_pence:
        raise StepRefused(
            "not_financial",
            "Only a financial remedy with an amount can be offered as compensation.",
        )
    if stage.responded_on is None:
        raise StepRefused(
            "response_not_issued",
            f"The stage {stage.number} response has not been issued, so its remedies are not "
            "offered yet.",
        )
    if Compensation.objects.filter(remedy=remedy).exists():
        raise StepRefused(
            "already_offered", "The offer of this financial remedy is already recorded."
        )
    on = _check_on(on if on is not None else stage.responded_on)
    _not_before(on, stage.responded_on, "the response that offered it")
    if ombudsman not in Compensation.Ombudsman.values:
        raise InvalidInput(
            "invalid_ombudsman",
            "Say whether the Ombudsman ordered or recommended it, or neither.",
            field="ombudsman",
        )
    cleaned = _check_heads(heads, remedy.amount_pence)
    row = Compensation.objects.create(
        remedy=remedy,
        stage=stage,
        complaint_id=stage.complaint_id,
        amount_pence=remedy.amount_pence,
        ombudsman=ombudsman,
        offered_on=on,
        offered_by=acting_user if getattr(acting_user, "pk", None) else None,
        **cleaned,
    )
    _event(
        row,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.COMPENSATION_OFFERED,
        summary=f"Compensation of {_pounds(row.amount_pence)} offered at stage {stage.number}",
        changes={
            "status": [None, row.status],
            "amount_pence": [None, row.amount_pence],
            "ombudsman": [None, ombudsman],
            **{field: [None, value] for field, value in cleaned.items() if value},
        },
    )
    return row


# The resident's answer --------------------------------------------------------------------------


def _answer(
    compensation: Compensation, *, step: str, acting_user: Any, on: date | None, note: str
) -> Compensation:
    on = _check_on(on)
    row = _lock(compensation, step)
    _not_before(on, row.offered_on, "the offer")
    before = row.status
    row.status = TRANSITIONS[step][1]
    row.decided_on = on
    row.decision_note = note.strip()
    row.save(update_fields=["status", "decided_on", "decision_note", "updated_at"])
    accepted = step == "accept"
    _event(
        row,
        acting_user=acting_user,
        on=on,
        action=(
            ComplaintEvent.Action.COMPENSATION_ACCEPTED
            if accepted
            else ComplaintEvent.Action.COMPENSATION_DECLINED
        ),
        summary=(
            f"The resident {'accepted' if accepted else 'declined'} compensation of "
            f"{_pounds(row.amount_pence)}"
        ),
        changes={"status": [before, row.status], "decided_on": [None, on.isoformat()]},
    )
    return row


@transaction.atomic
def compensation_accept(
    *, acting_user: Any, compensation: Compensation, on: date | None = None, note: str = ""
) -> Compensation:
    """The resident accepted the offer."""
    return _answer(compensation, step="accept", acting_user=acting_user, on=on, note=note)


@transaction.atomic
def compensation_decline(
    *, acting_user: Any, compensation: Compensation, on: date | None = None, note: str = ""
) -> Compensation:
    """The resident declined the offer; the record stays, as the offer was made."""
    return _answer(compensation, step="decline", acting_user=acting_user, on=on, note=note)


# Approval and payment ---------------------------------------------------------------------------


@transaction.atomic
def compensation_approve(
    *, acting_user: Any, compensation: Compensation, on: date | None = None
) -> Compensation:
    """Approve an accepted payment. The approver's limit (by role) must cover the amount; above
    it, the payment waits for someone whose limit does."""
    on = _check_on(on)
    row = _lock(compensation, "approve")
    _not_before(on, row.decided_on, "the resident's acceptance")
    limit = approval_limit(acting_user)
    if row.amount_pence > limit:
        raise StepRefused(
            "above_approval_limit",
            f"{_pounds(row.amount_pence)} is above your approval limit of {_pounds(limit)}. "
            "Someone whose limit covers it must approve it.",
            limit=limit,
        )
    before = row.status
    row.status = Status.APPROVED
    row.approved_on = on
    row.approved_at = timezone.now()
    row.approved_by = acting_user
    row.save(update_fields=["status", "approved_on", "approved_at", "approved_by", "updated_at"])
    _event(
        row,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.COMPENSATION_APPROVED,
        summary=f"Compensation of {_pounds(row.amount_pence)} approved",
        changes={
            "status": [before, row.status],
            "approved_by": [None, acting_user.pk],
            "approval_limit_pence": [None, limit],
        },
    )
    return row


@transaction.atomic
def compensation_pay(
    *,
    acting_user: Any,
    compensation: Compensation,
    method: str,
    reference: str = "",
    offset_agreed: bool = False,
    on: date | None = None,
) -> Compensation:
    """Record an approved payment as made: the date, how, and the payment's reference.

    Offsetting against rent arrears is refused unless the resident agreed to it (the Ombudsman's
    remedies guidance: compensation is paid to the resident, not silently used for arrears).
    """
    on = _check_on(on)
    row = _lock(compensation, "pay")
    _not_before(on, row.approved_on, "the approval")
    reference = reference.strip()
    if method not in Compensation.Method.values:
        raise InvalidInput("invalid_method", "Select how it was paid.", field="method")
    offset = method == Compensation.Method.RENT_ARREARS_OFFSET
    if offset and not offset_agreed:
        raise StepRefused(
            "offset_not_agreed",
            "Compensation can be offset against rent arrears only where the resident agreed. "
            "Pay it to the resident, or record their agreement first.",
            field="offset_agreed",
        )
    if not offset and not reference:
        raise InvalidInput(
            "reference_missing",
            "Enter the payment reference, so the payment can be evidenced.",
            field="reference",
        )
    before = row.status
    row.status = Status.PAID
    row.paid_on = on
    row.method = method
    row.payment_reference = reference
    row.offset_agreed = offset and offset_agreed
    row.save(
        update_fields=[
            "status",
            "paid_on",
            "method",
            "payment_reference",
            "offset_agreed",
            "updated_at",
        ]
    )
    _event(
        row,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.COMPENSATION_PAID,
        summary=(
            f"Compensation of {_pounds(row.amount_pence)} paid ({row.get_method_display().lower()})"
        ),
        changes={
            "status": [before, row.status],
            "paid_on": [None, on.isoformat()],
            "method": [None, method],
            "payment_reference": [None, reference],
        },
    )
    return row


# Bands ------------------------------------------------------------------------------------------


@transaction.atomic
def band_confirm(
    *, acting_user: Any, band_key: str, source_checked: str, on: date | None = None
) -> BandConfirmation:
    """Record that a compensation band was checked against the Ombudsman's published guidance."""
    on = _check_on(on)
    if band_by_key(band_key) is None:
        raise InvalidInput("unknown_band", f"There is no band {band_key!r}.", field="band_key")
    if not source_checked.strip():
        raise InvalidInput(
            "source_missing",
            "Say which guidance, and which revision of it, the band was checked against.",
            field="source_checked",
        )
    confirmation, _ = BandConfirmation.objects.update_or_create(
        band_key=band_key,
        defaults={
            "confirmed_on": on,
            "confirmed_by": acting_user if getattr(acting_user, "pk", None) else None,
            "source_checked": source_checked.strip(),
        },
    )
    return confirmation

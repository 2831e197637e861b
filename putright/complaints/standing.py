"""Where a complaint stands now, worked out from its stages for the queue columns.

The queue fields on ``Complaint`` (stage, handler, next deadline, extended, breached, awaiting
sign-off) are copies kept by the services, so that a queue of a million complaints filters and
sorts one indexed table. This is the one place that says how they follow from the stages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Q

from putright.complaints.models import DueKind, Status

OPEN_STATES = (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN)

# The same complaints as ``status__in=OPEN_STATES``: :func:`standing` sets a next deadline
# exactly while a complaint is open. Queries ask this way because the open-work index holds
# only those rows, so its counts stay the size of the live caseload.
OPEN_Q = Q(next_due_on__isnull=False)


class Standing(NamedTuple):
    stage_number: int
    handler_id: int | None
    next_due_on: date | None
    next_due_kind: str
    is_extended: bool
    is_breached: bool
    awaiting_sign_off: bool


def missed_timescales(stage: Any) -> list[str]:
    """What the stage missed, in words: a late acknowledgement, or a response later than both
    the Code's date and any agreed extension (the facts recorded when each step happened)."""
    missed = []
    if stage.ack_within_code is False:
        missed.append(f"stage {stage.number} acknowledged late")
    if stage.response_within_code is False and stage.response_within_extension is not True:
        missed.append(f"stage {stage.number} response late")
    return missed


def missed_a_timescale(stage: Any) -> bool:
    return bool(missed_timescales(stage))


def next_deadline(stage: Any) -> tuple[date | None, str]:
    """The open stage's next Code deadline: acknowledgement, then the (extended) response."""
    if stage.acknowledged_on is None:
        return stage.acknowledgement_due, DueKind.ACKNOWLEDGEMENT
    if stage.responded_on is None:
        return stage.extended_due or stage.response_due, DueKind.RESPONSE
    return None, ""


def standing(status: str, stages: Iterable[Any]) -> Standing:
    stages = sorted(stages, key=lambda s: s.number)
    current = stages[-1]
    is_open = status in OPEN_STATES
    due_on, kind = next_deadline(current) if is_open else (None, "")
    return Standing(
        stage_number=current.number,
        handler_id=current.handler_id,
        next_due_on=due_on,
        next_due_kind=kind,
        is_extended=current.extended_due is not None,
        is_breached=any(missed_a_timescale(s) for s in stages),
        awaiting_sign_off=is_open
        and bool(current.draft)
        and "returned" not in current.draft
        and current.signed_off_by_id is None
        and current.responded_on is None,
    )


def apply(complaint: Any, value: Standing) -> None:
    complaint.stage_number = value.stage_number
    complaint.handler_id = value.handler_id
    complaint.next_due_on = value.next_due_on
    complaint.next_due_kind = value.next_due_kind
    complaint.is_extended = value.is_extended
    complaint.is_breached = value.is_breached
    complaint.awaiting_sign_off = value.awaiting_sign_off


STANDING_FIELDS = list(Standing._fields)

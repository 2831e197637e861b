"""The complaint's lifecycle as one table: for every step, the statuses it may run from and the
status it leaves the complaint in (DESIGN.md sections 4 and 10).

Every service names its step when it locks the complaint (``_lock(..., step=...)``), so a step
cannot exist without saying where it may run, and the case page's menu is drawn from the same
table. What is not about status (points defined, every point decided, sign-off, independence at
stage 2) is checked by the step's own service, each with its own error code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from putright.complaints.models import Status
from putright.complaints.standing import OPEN_STATES
from putright.core.errors import StepRefused


class Step(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ALLOCATE = "allocate"
    ADD_POINT = "add_point"
    AGREE_UPDATE_INTERVAL = "agree_update_interval"
    EXTEND = "extend"
    DRAFT_RESPONSE = "draft_response"
    SIGN_OFF = "sign_off"
    RETURN_DRAFT = "return_draft"
    RESPOND = "respond"
    ESCALATE = "escalate"
    REFUSE_ESCALATION = "refuse_escalation"
    NOT_ACCEPT = "not_accept"
    REVERSE_REFUSAL = "reverse_refusal"
    CLOSE_UNESCALATED = "close_unescalated"
    MARK_DUPLICATE = "mark_duplicate"
    LINK_DUPLICATE = "link_duplicate"
    WITHDRAW = "withdraw"
    COMPLETE_ACTION = "complete_action"
    REASSIGN_ACTION = "reassign_action"
    AGREE_ACTIONS_UPDATE_INTERVAL = "agree_actions_update_interval"
    RECORD_CORRESPONDENCE = "record_correspondence"
    UPLOAD_DOCUMENT = "upload_document"
    ADD_NOTE = "add_note"


@dataclass(frozen=True)
class Rule:
    """Where a step may run (``moves``' keys) and the status each of those leaves behind."""

    does: str  # completes "A complaint that is closed cannot ..."
    moves: Mapping[str, str]
    # What to do instead, for statuses where the refusal alone would leave a handler stuck.
    instead: Mapping[str, str] = field(default_factory=dict)

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset(self.moves)


def _stays(does: str, statuses: Iterable[str]) -> Rule:
    return Rule(does, {status: status for status in statuses})


def _to(does: str, new_status: str, statuses: Iterable[str]) -> Rule:
    return Rule(does, dict.fromkeys(statuses, new_status))


S = Status
# Awaiting something from the landlord at a stage (acknowledgement or response).
AWAITING_LANDLORD: Final = OPEN_STATES
# Acknowledged or (at stage 2) escalated: a stage that can be worked towards its response.
STAGE_IN_PROGRESS: Final = (S.STAGE1_OPEN, S.STAGE2_OPEN)
# Stage 1 answered and no stage 2 yet: a request to escalate can be accepted or refused.
AFTER_STAGE1: Final = (S.STAGE1_RESPONDED, S.CLOSED)
EVERY_STATUS: Final = tuple(S)

LIFECYCLE: Final[Mapping[Step, Rule]] = {
    # Stage 1 from received; stage 2 from its escalation (status stage 2 open, not acknowledged).
    Step.ACKNOWLEDGE: Rule(
        "be acknowledged", {S.RECEIVED: S.STAGE1_OPEN, S.STAGE2_OPEN: S.STAGE2_OPEN}
    ),
    Step.ALLOCATE: _stays("be allocated", AWAITING_LANDLORD),
    Step.ADD_POINT: Rule(
        "have points of complaint added",
        {status: status for status in AWAITING_LANDLORD},
        instead=dict.fromkeys(
            (S.STAGE1_RESPONDED, S.STAGE2_RESPONDED, S.CLOSED),
            "A new issue raised after a response is a new complaint: log it and link it to "
            "this one (Code 6.8).",
        ),
    ),
    Step.AGREE_UPDATE_INTERVAL: _stays("have an update interval agreed", AWAITING_LANDLORD),
    Step.EXTEND: _stays("have its response date extended", STAGE_IN_PROGRESS),
    Step.DRAFT_RESPONSE: _stays("have a response drafted", STAGE_IN_PROGRESS),
    Step.SIGN_OFF: _stays("have a response signed off", STAGE_IN_PROGRESS),
    Step.RETURN_DRAFT: _stays("have a draft returned", STAGE_IN_PROGRESS),
    Step.RESPOND: Rule(
        "be responded to",
        {S.STAGE1_OPEN: S.STAGE1_RESPONDED, S.STAGE2_OPEN: S.STAGE2_RESPONDED},
    ),
    # From closed only when it was closed because nobody escalated in time (checked by the
    # service): a duplicate was never answered in its own right (Code 5.3, 6.10).
    Step.ESCALATE: Rule(
        "be escalated to stage 2",
        dict.fromkeys(AFTER_STAGE1, S.STAGE2_OPEN),
        instead={
            S.ESCALATION_REFUSED: "The escalation was refused; reverse the refusal (after a "
            "review or on the Ombudsman's instruction) to open stage 2 (Code 5.11).",
            S.STAGE2_RESPONDED: "The Code allows two stages; the resident can now go to the "
            "Housing Ombudsman.",
        },
    ),
    Step.REFUSE_ESCALATION: _to("have an escalation refused", S.ESCALATION_REFUSED, AFTER_STAGE1),
    Step.NOT_ACCEPT: _to("be not accepted", S.NOT_ACCEPTED, (S.RECEIVED, S.STAGE1_OPEN)),
    # Not dead ends: a review or the Ombudsman may overturn a refusal (Code 2.4, 5.11). The only
    # way past a standing refusal is this step.
    Step.REVERSE_REFUSAL: Rule(
        "have a refusal reversed",
        {S.NOT_ACCEPTED: S.RECEIVED, S.ESCALATION_REFUSED: S.STAGE2_OPEN},
    ),
    Step.CLOSE_UNESCALATED: _to("be closed", S.CLOSED, (S.STAGE1_RESPONDED,)),
    Step.MARK_DUPLICATE: _to(
        "be closed as a duplicate",
        S.CLOSED,
        (S.RECEIVED, S.STAGE1_OPEN, S.STAGE1_RESPONDED),
    ),
    # The original of a duplicate only gains a link; it may be in any status.
    Step.LINK_DUPLICATE: _stays("have a duplicate linked", EVERY_STATUS),
    Step.WITHDRAW: _to(
        "be withdrawn",
        S.WITHDRAWN,
        (S.RECEIVED, S.STAGE1_OPEN, S.STAGE1_RESPONDED, S.STAGE2_OPEN),
    ),
    # Promised actions outlive the complaint (Code 6.6, 6.17); the record stays open (5.12).
    Step.COMPLETE_ACTION: _stays("have an action completed", EVERY_STATUS),
    Step.REASSIGN_ACTION: _stays("have an action reassigned", EVERY_STATUS),
    Step.AGREE_ACTIONS_UPDATE_INTERVAL: _stays(
        "have an interval for updates on actions agreed", EVERY_STATUS
    ),
    Step.RECORD_CORRESPONDENCE: _stays("have correspondence recorded", EVERY_STATUS),
    Step.UPLOAD_DOCUMENT: _stays("have a document uploaded", EVERY_STATUS),
    Step.ADD_NOTE: _stays("have a note added", EVERY_STATUS),
}

# Every status move the lifecycle allows, derived from the steps (for reading and tests).
TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    status: frozenset(
        rule.moves[status]
        for rule in LIFECYCLE.values()
        if status in rule.moves and rule.moves[status] != status
    )
    for status in S
}


def allows(step: Step, status: str) -> bool:
    return status in LIFECYCLE[step].moves


def steps_allowed(status: str) -> frozenset[Step]:
    return frozenset(step for step, rule in LIFECYCLE.items() if status in rule.moves)


def check(step: Step, complaint: Any) -> None:
    """Refuse ``step`` unless the complaint's status allows it."""
    if not allows(step, complaint.status):
        status = Status(complaint.status)
        rule = LIFECYCLE[step]
        instead = rule.instead.get(status.value)
        raise StepRefused(
            "not_allowed_in_status",
            f"Complaint {complaint.reference} is {status.label.lower()}, so it cannot "
            f"{rule.does}." + (f" {instead}" if instead else ""),
            step=step.value,
            status=status.value,
        )


def move(step: Step, complaint: Any) -> tuple[str, str]:
    """Set the status the step leaves behind (the calling service saves); ``(old, new)``."""
    check(step, complaint)
    before = complaint.status
    complaint.status = LIFECYCLE[step].moves[before]
    return before, complaint.status

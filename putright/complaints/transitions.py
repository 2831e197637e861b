"""The complaint's lifecycle as an explicit transition table (DESIGN.md section 4).

Every status change goes through ``set_status``, so an illegal move is refused in one place.
"""

from __future__ import annotations

from typing import Final

from putright.complaints.models import Complaint, Status
from putright.core.errors import StepRefused

# Open states can be withdrawn; stage1_responded counts as open while escalation is possible.
OPEN_STATES: Final = frozenset(
    {Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE1_RESPONDED, Status.STAGE2_OPEN}
)

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    # received -> closed: a duplicate spotted at receipt.
    Status.RECEIVED: frozenset(
        {Status.STAGE1_OPEN, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.CLOSED}
    ),
    Status.STAGE1_OPEN: frozenset(
        # closed: found to duplicate a complaint already being considered
        {Status.STAGE1_RESPONDED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.CLOSED}
    ),
    Status.STAGE1_RESPONDED: frozenset(
        {Status.STAGE2_OPEN, Status.CLOSED, Status.ESCALATION_REFUSED, Status.WITHDRAWN}
    ),
    Status.STAGE2_OPEN: frozenset({Status.STAGE2_RESPONDED, Status.WITHDRAWN}),
    Status.STAGE2_RESPONDED: frozenset({Status.CLOSED}),
    # A complaint closed when the escalation window passed is re-opened by a later request.
    # A late request may also be refused under the policy (Code 5.11).
    Status.CLOSED: frozenset({Status.STAGE2_OPEN, Status.ESCALATION_REFUSED}),
    # Not dead ends: a review or the Ombudsman may overturn a refusal (Code 2.4, 5.11).
    Status.NOT_ACCEPTED: frozenset({Status.STAGE1_OPEN, Status.RECEIVED}),
    Status.ESCALATION_REFUSED: frozenset({Status.STAGE2_OPEN}),
    Status.WITHDRAWN: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def set_status(complaint: Complaint, new_status: str) -> None:
    """Change the status in memory (the calling service saves), or refuse an illegal move."""
    current = complaint.status
    if not can_move(current, new_status):
        raise StepRefused(
            "illegal_transition",
            f"A complaint that is {Status(current).label.lower()} cannot be moved to "
            f"{Status(new_status).label.lower()}.",
            current=current,
            requested=new_status,
        )
    complaint.status = new_status

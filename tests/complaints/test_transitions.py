"""The transition table of DESIGN.md section 4."""

from __future__ import annotations

import pytest

from putright.complaints.models import Complaint, Status
from putright.complaints.transitions import TRANSITIONS, set_status
from putright.core.errors import StepRefused


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.RECEIVED, Status.STAGE1_OPEN),
        (Status.RECEIVED, Status.NOT_ACCEPTED),
        (Status.NOT_ACCEPTED, Status.STAGE1_OPEN),
        (Status.STAGE1_OPEN, Status.STAGE1_RESPONDED),
        (Status.STAGE1_RESPONDED, Status.STAGE2_OPEN),
        (Status.STAGE1_RESPONDED, Status.CLOSED),
        (Status.STAGE1_RESPONDED, Status.ESCALATION_REFUSED),
        (Status.ESCALATION_REFUSED, Status.STAGE2_OPEN),
        (Status.CLOSED, Status.STAGE2_OPEN),
        (Status.STAGE2_OPEN, Status.STAGE2_RESPONDED),
        (Status.STAGE2_RESPONDED, Status.CLOSED),
        (Status.STAGE2_OPEN, Status.WITHDRAWN),
    ],
)
def test_allowed_moves(current, new):
    complaint = Complaint(status=current)
    set_status(complaint, new)
    assert complaint.status == new


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.RECEIVED, Status.STAGE2_OPEN),
        (Status.STAGE1_OPEN, Status.STAGE2_OPEN),
        (Status.STAGE2_RESPONDED, Status.WITHDRAWN),
        (Status.WITHDRAWN, Status.STAGE1_OPEN),
        (Status.CLOSED, Status.STAGE1_OPEN),
    ],
)
def test_illegal_moves_are_refused_with_a_message_for_case_handlers(current, new):
    complaint = Complaint(status=current)
    with pytest.raises(StepRefused) as refused:
        set_status(complaint, new)
    assert refused.value.code == "illegal_transition"
    assert Status(current).label.lower() in refused.value.message
    assert complaint.status == current

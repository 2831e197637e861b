"""Which drafts a person may check: the quality-check queue and the reviewer's home list leave
out what the services would refuse them, so nobody is offered work they cannot do."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from putright.complaints.models import ComplaintEvent, Stage
from putright.complaints.selectors import CONSIDERING_ACTIONS


def may_check_q(user: Any) -> Q:
    """Complaints whose draft ``user`` could sign off or return: not one they handle or drafted,
    and at stage 2 not one they considered at stage 1 (Code 6.13). Earlier stage 1 handlers,
    known only from the history, are still refused by the service when they try."""
    drafted_by_them = Exists(
        Stage.objects.filter(
            complaint=OuterRef("pk"), number=OuterRef("stage_number"), drafted_by=user
        )
    )
    at_stage1 = Exists(
        Stage.objects.filter(complaint=OuterRef("pk"), number=1).filter(
            Q(handler=user) | Q(drafted_by=user) | Q(signed_off_by=user)
        )
    )
    considered = Exists(
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"), stage_number=1, actor=user, action__in=CONSIDERING_ACTIONS
        )
    )
    return ~Q(handler=user) & ~Q(drafted_by_them) & ~(Q(stage_number=2) & (at_stage1 | considered))

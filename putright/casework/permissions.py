"""Who may see and act on a complaint. Screens and the API ask here; services stay role-free.

Confidential complaints are seen only by roles with ``complaints.view_confidential`` and by
whoever is handling them (DESIGN.md section 7).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from putright.complaints.models import Complaint

HANDLE = "complaints.handle_complaint"
ALLOCATE = "complaints.allocate_complaint"
SIGN_OFF = "complaints.sign_off_response"
REVERSE_REFUSAL = "complaints.reverse_refusal"
VIEW_CONFIDENTIAL = "complaints.view_confidential"
ACT_ON_ANY = "complaints.act_on_any_complaint"
REASSIGN_ACTION = "complaints.reassign_action"


def visible_complaints(user: Any, queryset: QuerySet[Complaint] | None = None) -> QuerySet:
    """The complaints ``user`` may see: all but confidential ones they neither handle nor may
    see by role."""
    queryset = Complaint.objects.all() if queryset is None else queryset
    if user.has_perm(VIEW_CONFIDENTIAL):
        return queryset
    return queryset.filter(Q(is_confidential=False) | Q(handler=user))


def can_view(user: Any, complaint: Complaint) -> bool:
    return (
        not complaint.is_confidential
        or user.has_perm(VIEW_CONFIDENTIAL)
        or (complaint.handler_id is not None and complaint.handler_id == user.pk)
    )


def may_act_on(user: Any, complaint: Complaint) -> bool:
    """Whether ``user`` may take a step on ``complaint``: their own case, an unallocated one (to
    take it on), or anyone's when their role allows it. Quality checks, refusal reversals,
    allocation, notes, documents and contacts have rules of their own (see each view)."""
    return (
        complaint.handler_id is None or complaint.handler_id == user.pk or user.has_perm(ACT_ON_ANY)
    )


def may_allocate(user: Any, complaint: Complaint, handler: Any) -> bool:
    """Allocation: those who allocate give any stage to anyone; a handler may only take an
    unallocated stage for themselves."""
    if user.has_perm(ALLOCATE):
        return True
    return user.has_perm(HANDLE) and complaint.handler_id is None and handler == user

"""Read queries for complaints."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from putright.complaints.models import Complaint, ComplaintEvent, Point, Stage

VIEW_CONFIDENTIAL = "complaints.view_confidential"


def visible_to(user: Any, *, via: str = "") -> Q:
    """The complaints ``user`` may see, as a condition on any query that reaches a complaint
    through ``via`` (``"complaint__"`` from a stage or a refusal): every one but the
    confidential complaints they neither handle nor may see by role (DESIGN.md section 7; the
    rule ``casework.permissions.visible_complaints`` applies to complaints themselves)."""
    if user.has_perm(VIEW_CONFIDENTIAL):
        return Q()
    return Q(**{f"{via}is_confidential": False}) | Q(**{f"{via}handler": user})


def complaint_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The case history, oldest first, with the acting member of staff in the same query."""
    return ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")


def definition_proposal(*, stage: Stage) -> list[tuple[str, str]]:
    """The points a stage's acknowledgement starts from: none when it has its own already; at
    stage 2, the stage 1 points, for the handler to confirm or change (Code 5.6)."""
    if stage.number == 1 or stage.points.exists():
        return []
    return list(
        Point.objects.filter(stage__complaint_id=stage.complaint_id, stage__number=1)
        .order_by("number")
        .values_list("summary", "outcome_sought")
    )


# Steps whose actor has considered the complaint at that stage.
CONSIDERING_ACTIONS = frozenset(
    {
        ComplaintEvent.Action.RESPONDED,
        ComplaintEvent.Action.DRAFTED,
        ComplaintEvent.Action.SIGNED_OFF,
        ComplaintEvent.Action.SIGN_OFF_DECLINED,
    }
)


def stage1_involved_ids(*, complaint: Complaint) -> set[int]:
    """Everyone who considered the complaint at stage 1, so may not consider it at stage 2
    (Code 6.13): handlers past and present, and whoever drafted, signed off (approved), returned
    or issued the stage 1 response. Two queries."""
    involved: set[int] = set()
    stage1 = Stage.objects.filter(complaint=complaint, number=1).values_list(
        "handler", "drafted_by", "signed_off_by"
    )
    for row in stage1:
        involved.update(pk for pk in row if pk is not None)
    events = ComplaintEvent.objects.filter(complaint=complaint, stage_number=1).values_list(
        "action", "actor", "changes"
    )
    for action, actor, changes in events:
        if action in CONSIDERING_ACTIONS and actor is not None:
            involved.add(actor)
        for value in (changes or {}).get("handler", []):
            if isinstance(value, dict) and value.get("id") is not None:
                involved.add(value["id"])
    return involved

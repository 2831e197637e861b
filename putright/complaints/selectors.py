"""Read queries for complaints."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.complaints.models import Complaint, ComplaintEvent, Point, Stage


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

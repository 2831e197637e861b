"""Read queries for complaints."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.complaints.models import Complaint, ComplaintEvent


def complaint_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The case history, oldest first, with the acting member of staff in the same query."""
    return ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")

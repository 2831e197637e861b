"""Shared checks for the refusal, closure and duplicate tests."""

from __future__ import annotations

import datetime as dt

from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Document,
    Extension,
    Note,
    Point,
    ReferenceCounter,
    Refusal,
    Stage,
)

D = dt.date


def state(complaint: Complaint) -> tuple:
    """Everything a refused step must leave untouched."""
    complaint.refresh_from_db()
    stages = list(Stage.objects.filter(complaint=complaint).order_by("number").values())
    for row in stages:
        row.pop("updated_at")
    refusals = list(Refusal.objects.filter(complaint=complaint).order_by("id").values())
    for row in refusals:
        row.pop("updated_at")
    return (
        complaint.status,
        complaint.version,
        complaint.closure_reason,
        complaint.duplicate_of_id,
        ComplaintEvent.objects.filter(complaint=complaint).count(),
        Extension.objects.filter(stage__complaint=complaint).count(),
        stages,
        refusals,
        list(Point.objects.filter(stage__complaint=complaint).order_by("id").values()),
        list(Decision.objects.filter(point__stage__complaint=complaint).order_by("id").values()),
        list(ReferenceCounter.objects.order_by("year").values()),
        list(Correspondence.objects.filter(complaint=complaint).order_by("id").values()),
        list(Document.objects.filter(complaint=complaint).order_by("id").values()),
        list(Note.objects.filter(complaint=complaint).order_by("id").values()),
    )

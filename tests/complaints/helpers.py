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


# The definition-led flow, for tests whose subject is elsewhere ------------------------------------

POINTS = [("The damp in the bedroom has not been treated.", "Treat the damp and redecorate.")]


def decisions_for(complaint: Complaint, finding: str = "upheld") -> dict[int, tuple[str, str]]:
    """A decision with reasons on every point of the complaint's latest stage."""
    stage = Stage.objects.filter(complaint=complaint).order_by("-number").first()
    numbers = Point.objects.filter(stage=stage).values_list("number", flat=True)
    return {n: (finding, f"Point {n}: the records show what happened.") for n in numbers}


def acknowledge(**kwargs) -> Complaint:
    """``stage_acknowledge`` with a one-point definition unless points are given or recorded."""
    from putright.complaints import services

    complaint = kwargs["complaint"]
    number = kwargs.get("stage", 1)
    recorded = Point.objects.filter(stage__complaint=complaint, stage__number=number).exists()
    if "points" not in kwargs and not recorded:
        kwargs["points"] = POINTS
    return services.stage_acknowledge(**kwargs)


def respond(**kwargs) -> Complaint:
    """``stage_respond`` the way the organisation requires, for tests about something else:
    every point decided upheld unless decisions are given, and where sign-off is required and
    missing, the response drafted by the responder and signed off by a new colleague first."""
    from putright.complaints import services
    from putright.organisation.selectors import get_organisation
    from tests.people.factories import StaffUserFactory

    complaint = kwargs["complaint"]
    stage = Stage.objects.filter(complaint=complaint).order_by("-number").first()
    organisation = get_organisation()
    required = getattr(organisation, f"stage{stage.number}_requires_sign_off")
    if required and stage.signed_off_by_id is None and stage.acknowledged_on is not None:
        on = kwargs.get("on") or stage.acknowledged_on
        if not stage.draft:
            content = {
                k: kwargs.pop(k) for k in ("remedies", "actions", "root_causes") if k in kwargs
            }
            services.response_draft_submit(
                acting_user=kwargs["acting_user"],
                complaint=complaint,
                decisions=kwargs.pop("decisions", None) or decisions_for(complaint),
                on=max(stage.acknowledged_on, on - dt.timedelta(days=1)),
                **content,
            )
        services.response_sign_off(acting_user=StaffUserFactory(), complaint=complaint, on=on)
        kwargs.pop("expected_version", None)
        complaint.refresh_from_db()
        stage.refresh_from_db()
    if "decisions" not in kwargs and not stage.draft:
        kwargs["decisions"] = decisions_for(complaint)
    return services.stage_respond(**kwargs)


def draft(**kwargs) -> Complaint:
    """``response_draft_submit`` deciding every point upheld unless decisions are given."""
    from putright.complaints import services

    kwargs.setdefault("decisions", decisions_for(kwargs["complaint"]))
    return services.response_draft_submit(**kwargs)


def stage_copies_out_of_step() -> list[tuple]:
    """Stages whose copies of their complaint's facts (``report_copies``) differ from it."""
    from putright.complaints.models import Stage
    from putright.complaints.report_copies import COPIES

    pairs = [(stage, f"complaint__{field}") for stage, field in COPIES.items()]
    columns = [name for pair in pairs for name in pair]
    return [
        row
        for row in Stage.objects.values_list("complaint__reference", *columns)
        if any(row[1 + 2 * i] != row[2 + 2 * i] for i in range(len(pairs)))
    ]

"""Everything held about one person, read in a fixed number of queries however much there is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Document,
    Note,
    Point,
    Refusal,
    Stage,
)
from putright.people.models import (
    ContactRestriction,
    EqualityData,
    Resident,
    ResidentEvent,
    Tenancy,
)


@dataclass(frozen=True)
class SubjectRecord:
    """A resident with every related record prefetched, and the complaints they made or joined
    (each with its stages, points, decisions, remedies, actions, extensions, refusals,
    correspondence, notes, documents and history prefetched)."""

    resident: Resident
    equality_data: EqualityData | None
    complaints: list[Complaint]


def subject_access_record(*, resident_id: int) -> SubjectRecord:
    resident = Resident.objects.prefetch_related(
        Prefetch(
            "tenancies",
            queryset=Tenancy.objects.select_related("property").order_by("start_date", "id"),
        ),
        "representatives",
        "adjustments",
        Prefetch(
            "restrictions", queryset=ContactRestriction.objects.select_related("representative")
        ),
        "disabilities",
        Prefetch("events", queryset=ResidentEvent.objects.select_related("actor", "property")),
    ).get(pk=resident_id)
    stages = Stage.objects.select_related("handler", "drafted_by", "signed_off_by")
    stages = stages.prefetch_related(
        Prefetch("points", queryset=Point.objects.select_related("decision")),
        "remedies",
        Prefetch("actions", queryset=Action.objects.select_related("owner")),
        "extensions",
    )
    complaints = (
        Complaint.objects.filter(Q(complainant_id=resident_id) | Q(co_complainants=resident_id))
        .distinct()
        .select_related(
            "complainant",
            "category",
            "sub_category",
            "business_area",
            "property",
            "handler",
            "representative",
            "duplicate_of",
        )
        .prefetch_related(
            Prefetch("stages", queryset=stages),
            Prefetch(
                "refusals",
                queryset=Refusal.objects.select_related("reason", "decided_by", "reversed_by"),
            ),
            Prefetch(
                "correspondence", queryset=Correspondence.objects.select_related("recorded_by")
            ),
            Prefetch("notes", queryset=Note.objects.select_related("written_by")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")),
            Prefetch("co_complainants", queryset=Resident.objects.only("pk")),
        )
        .order_by("received_at", "id")
    )
    return SubjectRecord(
        resident=resident,
        equality_data=EqualityData.objects.filter(resident_id=resident_id).first(),
        complaints=list(complaints),
    )

"""Which complaints and residents have passed their retention period (read queries only).

A complaint is past its period when it has ended (closed, withdrawn, not accepted, escalation
refused, or answered at stage 2), no action it promised is still open, and nothing has happened
on it for ``PUTRIGHT_RETAIN_COMPLAINT_YEARS`` (reading a confidential case does not count).

A resident is past theirs when every complaint they made or joined has been anonymised, no
tenancy of theirs is current or ended within ``PUTRIGHT_RETAIN_RESIDENT_YEARS``, and nothing was
recorded about them within that time either. A current tenant keeps their record, however old
their complaints.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from putright.complaints.models import Action, Complaint, ComplaintEvent, Status
from putright.people.models import Resident, ResidentEvent, Tenancy
from putright.privacy.models import AnonymisedComplaint, AnonymisedResident

ENDED = (
    Status.CLOSED,
    Status.WITHDRAWN,
    Status.NOT_ACCEPTED,
    Status.ESCALATION_REFUSED,
    Status.STAGE2_RESPONDED,
)
# Events that do not keep a record alive: reading it, exporting it, anonymising it.
NOT_ACTIVITY = ("viewed", "subject_access_exported", "anonymised")


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def complaints_past_retention(*, today: date) -> QuerySet[Complaint]:
    cutoff = years_before(today, settings.PUTRIGHT_RETAIN_COMPLAINT_YEARS)
    recent_step = ComplaintEvent.objects.filter(
        complaint=OuterRef("pk"), happened_on__gte=cutoff
    ).exclude(action__in=NOT_ACTIVITY)
    open_action = Action.objects.filter(complaint=OuterRef("pk"), status=Action.Status.OPEN)
    done = AnonymisedComplaint.objects.filter(complaint=OuterRef("pk"))
    # received_on first: the index narrows the search to complaints older than the period.
    return (
        Complaint.objects.filter(received_on__lt=cutoff, status__in=ENDED)
        .exclude(Exists(done))
        .exclude(Exists(open_action))
        .exclude(Exists(recent_step))
        .order_by("pk")
    )


def residents_past_retention(*, today: date) -> QuerySet[Resident]:
    cutoff = years_before(today, settings.PUTRIGHT_RETAIN_RESIDENT_YEARS)
    kept = Complaint.objects.filter(anonymised__isnull=True)
    complaint_kept = kept.filter(complainant=OuterRef("pk"))
    joined_kept = kept.filter(co_complainants=OuterRef("pk"))
    tenancy_recent = Tenancy.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff), resident=OuterRef("pk")
    )
    recent_record = ResidentEvent.objects.filter(
        resident=OuterRef("pk"), happened_on__gte=cutoff
    ).exclude(action__in=NOT_ACTIVITY)
    done = AnonymisedResident.objects.filter(resident=OuterRef("pk"))
    # Recorded within the period (an import without history, say): kept until it has passed.
    recorded_before = dt.datetime.combine(
        cutoff, dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return (
        Resident.objects.filter(created_at__lt=recorded_before)
        .exclude(Exists(done))
        .exclude(Exists(complaint_kept))
        .exclude(Exists(joined_kept))
        .exclude(Exists(tenancy_recent))
        .exclude(Exists(recent_record))
        .order_by("pk")
    )

"""Read queries for contacts beside complaints: each list's query, the hub's counts, the
contact-demand table, and what the case page shows. Set-based: a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth

from putright.complaints.models import Complaint
from putright.contacts.models import (
    Compliment,
    Contact,
    ContactsEvent,
    Enquiry,
    SatisfactionSurvey,
    ServiceRequest,
    SurveyFollowUp,
)
from putright.core import clock

# Enquiries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnquiryFilters:
    state: str = ""  # "open", "overdue", "responded"
    role: str = ""
    received_from: date | None = None
    received_to: date | None = None


def enquiry_list(filters: EnquiryFilters) -> QuerySet[Enquiry]:
    """Enquiries, oldest due first among the unanswered; the resident and complaint joined."""
    today = clock.today()
    rows = Enquiry.objects.select_related("resident", "complaint")
    if filters.state == "open":
        rows = rows.filter(responded_on__isnull=True)
    elif filters.state == "overdue":
        rows = rows.filter(responded_on__isnull=True, due_on__lt=today)
    elif filters.state == "responded":
        rows = rows.filter(responded_on__isnull=False)
    if filters.role:
        rows = rows.filter(enquirer_role=filters.role)
    if filters.received_from:
        rows = rows.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        rows = rows.filter(received_on__lte=filters.received_to)
    return rows.order_by("-received_on", "-id")


# Service requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRequestFilters:
    state: str = ""  # "open", "overdue", "closed"
    category: str = ""
    became_complaint: bool = False
    not_reviewed: bool = False


def _named_by_complaint() -> Exists:
    """A complaint names this request's housing-system reference (before anyone linked it)."""
    return Exists(
        Complaint.objects.filter(service_request_reference__iexact=OuterRef("external_reference"))
    )


def service_request_list(filters: ServiceRequestFilters) -> QuerySet[ServiceRequest]:
    today = clock.today()
    rows = ServiceRequest.objects.select_related("resident").annotate(
        complaint_count=Count("complaints", distinct=True)
    )
    if filters.state == "open":
        rows = rows.filter(status=ServiceRequest.Status.OPEN)
    elif filters.state == "overdue":
        rows = rows.filter(status=ServiceRequest.Status.OPEN, target_on__lt=today)
    elif filters.state == "closed":
        rows = rows.filter(status=ServiceRequest.Status.CLOSED)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.became_complaint:
        # The review list of Code 1.4 and 1.5: requests that became complaints.
        rows = rows.filter(Q(complaint_count__gt=0) | _named_by_complaint())
    if filters.not_reviewed:
        rows = rows.filter(reviewed_on__isnull=True)
    return rows.order_by("-opened_on", "-id")


def complaints_for_requests(requests: list[ServiceRequest]) -> dict[int, list[Complaint]]:
    """The complaints linked to each of these requests, in one query."""
    found: dict[int, list[Complaint]] = {request.pk: [] for request in requests}
    through = ServiceRequest.complaints.through.objects.filter(
        servicerequest_id__in=list(found)
    ).select_related("complaint")
    for row in through.order_by("complaint__received_on"):
        found[row.servicerequest_id].append(row.complaint)
    return found


def complaints_naming(
    service_request: ServiceRequest, *, exclude: list[Complaint] = ()
) -> list[Complaint]:
    """Complaints whose free-text service request reference names this request, not linked."""
    if not service_request.external_reference:
        return []
    return list(
        Complaint.objects.filter(
            service_request_reference__iexact=service_request.external_reference
        ).exclude(pk__in=[complaint.pk for complaint in exclude])
    )


# Compliments, surveys, follow-ups, contacts ----------------------------------------------------


def compliment_list(*, channel: str = "", text: str = "") -> QuerySet[Compliment]:
    rows = Compliment.objects.select_related("about_staff")
    if channel:
        rows = rows.filter(channel=channel)
    if text:
        rows = rows.filter(
            Q(about_team__icontains=text)
            | Q(about_person__icontains=text)
            | Q(about_contractor__icontains=text)
            | Q(about_staff__full_name__icontains=text)
        )
    return rows.order_by("-received_on", "-id")


def survey_list(*, state: str = "") -> QuerySet[SatisfactionSurvey]:
    rows = SatisfactionSurvey.objects.select_related("complaint", "follow_up")
    if state == "awaiting":
        rows = rows.filter(responded_on__isnull=True)
    elif state == "responded":
        rows = rows.filter(responded_on__isnull=False)
    elif state == "low":
        rows = rows.filter(score__lte=2)
    return rows.order_by("-sent_on", "-id")


@dataclass(frozen=True)
class SatisfactionSummary:
    sent: int
    responses: int
    average: float | None  # mean score out of 5, of the responses

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.sent if self.sent else None


def satisfaction_summary(rows: QuerySet[SatisfactionSurvey]) -> SatisfactionSummary:
    """Surveys sent, responses and the mean score (seed 000: 81 responses from 372, 2.4 of 5).

    Numerator of the mean: the sum of the scores; denominator: the responses. Surveys with no
    response count in ``sent`` only."""
    totals = rows.order_by().aggregate(
        sent=Count("id"), responses=Count("score"), average=Avg("score")
    )
    return SatisfactionSummary(totals["sent"], totals["responses"], totals["average"])


def follow_up_list(*, include_done: bool = False) -> QuerySet[SurveyFollowUp]:
    """Follow-ups, listed until done (oldest first: they wait on someone)."""
    rows = SurveyFollowUp.objects.select_related("survey__complaint", "complaint")
    if not include_done:
        rows = rows.filter(done_on__isnull=True)
    return rows.order_by("opened_on", "id")


@dataclass(frozen=True)
class ContactFilters:
    channel: str = ""
    contact_type: str = ""
    state: str = ""  # "unanswered", "overdue", "late", "in_time"
    received_from: date | None = None
    received_to: date | None = None


def contact_list(filters: ContactFilters) -> QuerySet[Contact]:
    rows = Contact.objects.all()
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.contact_type:
        rows = rows.filter(contact_type=filters.contact_type)
    if filters.state == "unanswered":
        rows = rows.filter(answered_on__isnull=True)
    elif filters.state == "overdue":
        rows = rows.filter(answered_on__isnull=True, due_on__lt=clock.today())
    elif filters.state == "late":
        rows = rows.filter(answered_in_time=False)
    elif filters.state == "in_time":
        rows = rows.filter(answered_in_time=True)
    if filters.received_from:
        rows = rows.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        rows = rows.filter(received_on__lte=filters.received_to)
    return rows.order_by("-received_on", "-id")


@dataclass(frozen=True)
class DemandRow:
    month: date
    channel: str
    contact_type: str
    contacts: int
    answered: int
    in_time: int

    @property
    def share_in_time(self) -> float | None:
        """Answered within the target, of the contacts received (unanswered count as not)."""
        return self.in_time / self.contacts if self.contacts else None


def contact_demand(*, received_from: date, received_to: date) -> list[DemandRow]:
    """Contacts by month received, channel and type, with the share answered in time: one query.

    Numerator: contacts answered on or before their due date (the stored ``answered_in_time``);
    denominator: every contact received in the month, answered or not (seed 001 section 9
    reports "% contacts responded to within target time" of all contacts logged).
    """
    rows = (
        Contact.objects.filter(received_on__gte=received_from, received_on__lte=received_to)
        .annotate(month=TruncMonth("received_on"))
        .values("month", "channel", "contact_type")
        .annotate(
            contacts=Count("id"),
            answered=Count("id", filter=Q(answered_on__isnull=False)),
            in_time=Count("id", filter=Q(answered_in_time=True)),
        )
        .order_by("month", "channel", "contact_type")
    )
    return [
        DemandRow(
            month=row["month"] if isinstance(row["month"], date) else row["month"].date(),
            channel=row["channel"],
            contact_type=row["contact_type"],
            contacts=row["contacts"],
            answered=row["answered"],
            in_time=row["in_time"],
        )
        for row in rows
    ]


# The hub, history, the case page ---------------------------------------------------------------


def hub_counts() -> dict[str, Any]:
    """The figures on the contacts hub: a handful of aggregate queries."""
    today = clock.today()
    enquiries = Enquiry.objects.aggregate(
        open=Count("id", filter=Q(responded_on__isnull=True)),
        overdue=Count("id", filter=Q(responded_on__isnull=True, due_on__lt=today)),
    )
    requests = ServiceRequest.objects.aggregate(
        open=Count("id", filter=Q(status="open")),
        overdue=Count("id", filter=Q(status="open", target_on__lt=today)),
        closed=Count("id", filter=Q(status="closed")),
    )
    follow_ups = SurveyFollowUp.objects.filter(done_on__isnull=True).count()
    contacts = Contact.objects.aggregate(
        unanswered=Count("id", filter=Q(answered_on__isnull=True)),
        overdue=Count("id", filter=Q(answered_on__isnull=True, due_on__lt=today)),
    )
    return {
        "enquiries": enquiries,
        "requests": requests,
        "follow_ups": follow_ups,
        "contacts": contacts,
    }


def history(**subject: Any) -> QuerySet[ContactsEvent]:
    """One record's history, oldest first (``enquiry=``, ``service_request=``, ...)."""
    return (
        ContactsEvent.objects.filter(**subject)
        .select_related("actor")
        .order_by("recorded_at", "id")
    )


@dataclass(frozen=True)
class CaseLink:
    """One record linked to a complaint, as the case page lists it."""

    kind: str  # "service_request", "enquiry" or "survey"
    pk: int
    code: str  # the housing-system reference, or who made the enquiry
    label: str  # the category, or the enquirer's role
    state: str  # a service request's status
    day: date  # opened, received or sent
    score: int | None

    @property
    def reference(self) -> str:
        # As the models' own ``reference`` properties give it.
        if self.kind == "service_request":
            return self.code or f"SR{self.pk:06d}"
        return f"{'EQ' if self.kind == 'enquiry' else 'SV'}{self.pk:05d}"

    @property
    def label_display(self) -> str:
        if self.kind == "service_request":
            return ServiceRequest.Category(self.label).label
        if self.kind == "enquiry":
            return Enquiry.Role(self.label).label
        return ""

    @property
    def is_open(self) -> bool:
        return self.state == ServiceRequest.Status.OPEN


@dataclass(frozen=True)
class CaseContacts:
    service_requests: list[CaseLink]
    enquiries: list[CaseLink]
    surveys: list[CaseLink]
    service_request_reference: str = ""

    @property
    def service_request_for_reference(self) -> CaseLink | None:
        """The recorded request the complaint's free-text reference names, if any."""
        wanted = self.service_request_reference.lower()
        return next(
            (row for row in self.service_requests if wanted and row.code.lower() == wanted), None
        )


def contacts_for_complaint(*, complaint: Complaint) -> CaseContacts:
    """What the case page shows from this app, in one query (a union of the three kinds)."""
    reference = (complaint.service_request_reference or "").strip()
    through = ServiceRequest.complaints.through.objects.filter(complaint=complaint)
    match = Q(pk__in=Subquery(through.values("servicerequest_id")))
    if reference:
        match |= Q(external_reference__iexact=reference)

    def no_text() -> Value:
        return Value("", output_field=CharField())

    def no_number() -> Cast:
        # Typed: PostgreSQL reads a bare NULL in a union's first part as text, which then
        # cannot be matched with the survey's score.
        return Cast(Value(None), IntegerField())

    # Every column an annotation, made in the same order in each part: a union pairs them by
    # position, and no alias may share a model field's name.
    columns = (
        "link_kind",
        "link_pk",
        "link_code",
        "link_label",
        "link_state",
        "link_day",
        "link_score",
    )
    requests = (
        ServiceRequest.objects.filter(match)
        .annotate(
            link_kind=Value("service_request", output_field=CharField()),
            link_pk=F("pk"),
            link_code=Coalesce("external_reference", no_text()),
            link_label=F("category"),
            link_state=F("status"),
            link_day=F("opened_on"),
            link_score=no_number(),
        )
        .order_by()
        .values_list(*columns)
    )
    enquiries = (
        Enquiry.objects.filter(complaint=complaint)
        .annotate(
            link_kind=Value("enquiry", output_field=CharField()),
            link_pk=F("pk"),
            link_code=F("enquirer_name"),
            link_label=F("enquirer_role"),
            link_state=no_text(),
            link_day=F("received_on"),
            link_score=no_number(),
        )
        .order_by()
        .values_list(*columns)
    )
    surveys = (
        SatisfactionSurvey.objects.filter(complaint=complaint)
        .annotate(
            link_kind=Value("survey", output_field=CharField()),
            link_pk=F("pk"),
            link_code=no_text(),
            link_label=no_text(),
            link_state=no_text(),
            link_day=F("sent_on"),
            link_score=F("score"),
        )
        .order_by()
        .values_list(*columns)
    )
    rows = [CaseLink(*row) for row in requests.union(enquiries, surveys, all=True)]
    rows.sort(key=lambda row: (row.day, row.pk))
    by_kind: dict[str, list[CaseLink]] = {"service_request": [], "enquiry": [], "survey": []}
    for row in rows:
        by_kind[row.kind].append(row)
    return CaseContacts(
        service_requests=by_kind["service_request"],
        enquiries=by_kind["enquiry"],
        surveys=by_kind["survey"],
        service_request_reference=reference,
    )

"""Read queries for Ombudsman casework: a few set-based queries each, never one per row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum

from putright.complaints.models import Complaint
from putright.core import clock
from putright.ombudsman.models import (
    FailureOrder,
    Finding,
    InformationRequest,
    OmbudsmanCase,
    OmbudsmanEvent,
    Order,
    Recommendation,
)
from putright.ombudsman.reminders import REMINDER_WORKING_DAYS
from putright.organisation.selectors import get_organisation
from putright.rules import malrate
from putright.rules.calendar import WorkingDayCalendar


def financial_year(day: date) -> int:
    """The reporting year a day falls in, named by the year it starts in (the organisation's
    reporting year: 1 April to 31 March unless set otherwise)."""
    return get_organisation().reporting_year_of(day)


def year_bounds(year: int) -> tuple[date, date]:
    return get_organisation().reporting_year_bounds(year)


def mediation_in_denominator() -> bool:
    """Whether mediation findings count among the findings considered (the Ombudsman does not
    say); ``PUTRIGHT_MALRATE_MEDIATION_IN_DENOMINATOR``, in by default as regulatory-spec 4.3."""
    return bool(getattr(settings, "PUTRIGHT_MALRATE_MEDIATION_IN_DENOMINATOR", True))


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    outcome: str = ""
    year: int | None = None  # financial year of the referral
    overdue: bool = False


def _overdue_q(today: date) -> tuple[Exists, Exists]:
    requests = InformationRequest.objects.filter(
        case=OuterRef("pk"), provided_on=None, due_on__lt=today
    )
    orders = Order.objects.filter(case=OuterRef("pk"), complied_on=None, due_on__lt=today)
    return Exists(requests), Exists(orders)


def cases_list(filters: CaseFilters = CaseFilters()) -> QuerySet[OmbudsmanCase]:
    """The cases, newest referral first, with what the list shows counted in the database."""
    today = clock.today()
    late_request, late_order = _overdue_q(today)
    cases = OmbudsmanCase.objects.annotate(
        finding_count=Count("findings", distinct=True),
        failure_count=Count(
            "findings", filter=Q(findings__outcome__in=malrate.FAILURES), distinct=True
        ),
        overdue_requests=Count(
            "requests",
            filter=Q(requests__provided_on=None, requests__due_on__lt=today),
            distinct=True,
        ),
        overdue_orders=Count(
            "orders", filter=Q(orders__complied_on=None, orders__due_on__lt=today), distinct=True
        ),
    ).order_by("-referred_on", "-id")
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.outcome:
        cases = cases.filter(
            Exists(Finding.objects.filter(case=OuterRef("pk"), outcome=filters.outcome))
        )
    if filters.year:
        start, end = year_bounds(filters.year)
        cases = cases.filter(referred_on__range=(start, end))
    if filters.overdue:
        cases = cases.filter(late_request | late_order)
    return cases


def case_years() -> list[int]:
    days = OmbudsmanCase.objects.order_by().values_list("referred_on", flat=True).distinct()
    return sorted({financial_year(day) for day in days}, reverse=True)


def complaint_references(case_ids: list[int]) -> dict[int, list[str]]:
    """The complaints each case links, in one query."""
    links: dict[int, list[str]] = {pk: [] for pk in case_ids}
    through = OmbudsmanCase.complaints.through.objects.filter(ombudsmancase_id__in=case_ids)
    for case_id, reference in through.values_list(
        "ombudsmancase_id", "complaint__reference"
    ).order_by("complaint__reference"):
        links[case_id].append(reference)
    return links


def case_detail(pk: int) -> OmbudsmanCase:
    return (
        OmbudsmanCase.objects.prefetch_related(
            "stage_changes",
            "requests",
            Prefetch("findings", queryset=Finding.objects.select_related("category", "complaint")),
            Prefetch("orders", queryset=Order.objects.select_related("compensation")),
            Prefetch("recommendations", queryset=Recommendation.objects.all()),
            Prefetch("failure_orders", queryset=FailureOrder.objects.all()),
            Prefetch("complaints", queryset=Complaint.objects.only("id", "reference")),
        )
        .select_related("review__lesson")
        .get(pk=pk)
    )


def case_history(case: OmbudsmanCase) -> QuerySet[OmbudsmanEvent]:
    return (
        OmbudsmanEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("recorded_at", "id")
    )


def cases_for_complaint(complaint: Complaint) -> QuerySet[OmbudsmanCase]:
    """The Ombudsman cases a complaint is part of, for the case page."""
    return complaint.ombudsman_cases.annotate(
        finding_count=Count("findings", distinct=True),
        failure_count=Count(
            "findings", filter=Q(findings__outcome__in=malrate.FAILURES), distinct=True
        ),
    ).order_by("-referred_on", "-id")


def failure_orders() -> QuerySet[FailureOrder]:
    return FailureOrder.objects.select_related("case").order_by("-issued_on", "-id")


@dataclass(frozen=True)
class Summary:
    """A financial year's Ombudsman figures: counts only, no personal data (the board's)."""

    year: int
    determinations: int
    outcome_counts: dict[str, int]
    rate: malrate.MalRate
    orders: int
    orders_done: int
    orders_done_in_time: int
    compensation_ordered_pence: int
    recommendations: int
    requests: int
    requests_in_time: int
    failure_orders: int

    @property
    def actions_in_time_percent(self) -> int | None:
        """Ombudsman actions (orders and requests) done by the date set, of those due (seed 001,
        5: "% of Ombudsman actions done in time")."""
        due = self.orders + self.requests
        if not due:
            return None
        return round(100 * (self.orders_done_in_time + self.requests_in_time) / due)


def summary(year: int) -> Summary:
    """A reporting year's figures (see ``period_summary``)."""
    start, end = year_bounds(year)
    return period_summary(start, end, year)


def period_summary(start: date, end: date, year: int) -> Summary:
    """Findings of cases determined between ``start`` and ``end``; orders and recommendations of
    those determinations; requests made in the period; failure orders and notices issued in it.
    ``year`` is the reporting year the period belongs to."""
    determined = Q(case__determined_on__range=(start, end))
    counts = dict(
        Finding.objects.filter(determined).values_list("outcome").annotate(n=Count("id")).order_by()
    )
    orders = Order.objects.filter(determined).aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(complied_on__isnull=False)),
        in_time=Count("id", filter=Q(complied_on__lte=F("due_on"))),
        money=Sum("compensation_pence"),
    )
    requests = InformationRequest.objects.filter(requested_on__range=(start, end)).aggregate(
        n=Count("id"), in_time=Count("id", filter=Q(provided_on__lte=F("due_on")))
    )
    return Summary(
        year=year,
        determinations=OmbudsmanCase.objects.filter(determined_on__range=(start, end)).count(),
        outcome_counts=counts,
        rate=malrate.malrate_from_counts(
            counts, mediation_in_denominator=mediation_in_denominator()
        ),
        orders=orders["n"],
        orders_done=orders["done"],
        orders_done_in_time=orders["in_time"],
        compensation_ordered_pence=orders["money"] or 0,
        recommendations=Recommendation.objects.filter(determined).count(),
        requests=requests["n"],
        requests_in_time=requests["in_time"],
        failure_orders=FailureOrder.objects.filter(issued_on__range=(start, end)).count(),
    )


@dataclass(frozen=True)
class Outstanding:
    """Orders and requests for information not yet done: past their date, or due within the
    reminder window (the working days ahead that the managers are emailed). Counts only."""

    orders_overdue: int
    orders_due_soon: int
    requests_overdue: int
    requests_due_soon: int


def outstanding(*, today: date, calendar: WorkingDayCalendar) -> Outstanding:
    """Two aggregate queries over the open-item indexes, whatever the number of cases."""
    horizon = calendar.add(today, REMINDER_WORKING_DAYS)
    windows = {
        "overdue": Count("id", filter=Q(due_on__lt=today)),
        "due_soon": Count("id", filter=Q(due_on__gte=today, due_on__lte=horizon)),
    }
    orders = Order.objects.filter(complied_on=None).aggregate(**windows)
    requests = InformationRequest.objects.filter(provided_on=None).aggregate(**windows)
    return Outstanding(
        orders_overdue=orders["overdue"],
        orders_due_soon=orders["due_soon"],
        requests_overdue=requests["overdue"],
        requests_due_soon=requests["due_soon"],
    )

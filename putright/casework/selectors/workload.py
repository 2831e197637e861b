"""The figures on each role's home page, as set-based aggregate queries.

Every figure counts stored facts: the queue fields on ``Complaint`` (kept current by every
service) and the compliance flags recorded on each ``Stage`` when the step happened. "Open" means
a stage is running with a Code deadline: status received, stage 1 open or stage 2 open. "Today"
is ``timezone.localdate()`` (Europe/London) unless a date is given, and working days come from
``organisation.selectors.current_calendar()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from putright.casework.permissions import HANDLE, visible_complaints
from putright.casework.selectors.case_file import days_left_label, days_left_tag_class
from putright.casework.selectors.checks import may_check_q
from putright.casework.selectors.deadlines import (
    due_soon_q,
    due_soon_until,
    due_today_q,
    overdue_q,
)
from putright.casework.selectors.queues import QUEUES_BY_SLUG, queue_q
from putright.complaints.models import Complaint, Stage, Status
from putright.complaints.services import confidential_complaints_listed
from putright.complaints.standing import OPEN_Q, OPEN_STATES
from putright.core import clock
from putright.organisation.selectors import current_calendar, get_organisation

LISTED = 10  # rows in each list on a home page


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar month ``day`` falls in."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _with_days_left(complaints: list[Complaint], calendar: Any, today: dt.date) -> list:
    """Each complaint gets ``working_days_left`` to its next deadline, with its label and tag
    colour (``days_label``, ``tag_class``), worked out with the calendar (no query)."""
    for complaint in complaints:
        days = calendar.between(today, complaint.next_due_on) if complaint.next_due_on else None
        complaint.working_days_left = days
        complaint.days_label = "" if days is None else days_left_label(days)
        complaint.tag_class = "" if days is None else days_left_tag_class(days)
    return complaints


def _listed(queryset) -> list[Complaint]:
    return list(
        queryset.select_related("complainant")
        .only(
            "reference",
            "status",
            "stage_number",
            "next_due_on",
            "next_due_kind",
            "is_extended",
            "is_breached",
            "is_confidential",  # for the security log (confidential_complaints_listed)
            "awaiting_sign_off",
            "handler_id",
            "complainant__title",
            "complainant__first_name",
            "complainant__last_name",
        )
        .order_by("next_due_on", "id")[:LISTED]
    )


# --- case handler ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerWork:
    """A handler's cases (the "My cases" queue): those awaiting the landlord (open), with what
    is due today or overdue, and stage 1 responses waiting to see whether the resident
    escalates."""

    today: dt.date
    case_count: int  # the length of the "My cases" queue
    open_count: int
    awaiting_resident_count: int
    due_today_count: int
    overdue_count: int
    open_cases: list[Complaint]  # the first LISTED by next deadline
    due_today: list[Complaint]
    overdue: list[Complaint]


def handler_work(*, user: Any, today: dt.date | None = None) -> HandlerWork:
    """The complaints in ``user``'s "My cases" queue (the same filter), counted by where they
    stand. Open: the current stage awaits the landlord. Due today and overdue: the shared
    definitions in ``casework.selectors.deadlines``. Four queries: the counts, then three short
    lists.
    """
    today = today or clock.today()
    calendar = current_calendar()
    cases = Complaint.objects.filter(
        queue_q(QUEUES_BY_SLUG["mine"], user=user, today=today, calendar=calendar)
    )
    is_open = Q(status__in=OPEN_STATES)
    counts = cases.aggregate(
        case_count=Count("id"),
        open_count=Count("id", filter=is_open),
        awaiting_resident_count=Count("id", filter=Q(status=Status.STAGE1_RESPONDED)),
        due_today_count=Count("id", filter=is_open & due_today_q(today)),
        overdue_count=Count("id", filter=is_open & overdue_q(today)),
    )
    mine = cases.filter(is_open)
    work = HandlerWork(
        today=today,
        open_cases=_with_days_left(_listed(mine), calendar, today),
        due_today=_with_days_left(_listed(mine.filter(due_today_q(today))), calendar, today),
        overdue=_with_days_left(_listed(mine.filter(overdue_q(today))), calendar, today),
        **counts,
    )
    listed = work.open_cases + work.due_today + work.overdue
    confidential_complaints_listed(acting_user=user, complaints=listed, where="home page")
    return work


# --- quality reviewer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerWork:
    today: dt.date
    awaiting_count: int
    awaiting: list[Complaint]  # the first LISTED by next deadline


def reviewer_work(*, user: Any, today: dt.date | None = None) -> ReviewerWork:
    """Response drafts waiting for their quality check (``Complaint.awaiting_sign_off``) among
    the complaints ``user`` may see and may check (``checks.may_check_q``), soonest deadline
    first: the quality-check queue's filter. Two queries."""
    today = today or clock.today()
    waiting = visible_complaints(
        user, Complaint.objects.filter(Q(awaiting_sign_off=True) & may_check_q(user))
    )
    awaiting_count = waiting.count()
    awaiting = _with_days_left(_listed(waiting), current_calendar(), today)
    confidential_complaints_listed(acting_user=user, complaints=awaiting, where="home page")
    return ReviewerWork(today=today, awaiting_count=awaiting_count, awaiting=awaiting)


# --- complaints manager --------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerLoad:
    handler_id: int | None  # None: the complaints nobody has been given
    name: str
    open: int
    due_soon: int
    overdue: int


@dataclass(frozen=True)
class Breaches:
    """Code timescales missed with the due date (or, for responses, the response) in a month."""

    month_start: dt.date
    month_end: dt.date
    late_acknowledgements: int
    late_responses: int
    open_past_due: int

    @property
    def total(self) -> int:
        return self.late_acknowledgements + self.late_responses + self.open_past_due


@dataclass(frozen=True)
class TeamWork:
    today: dt.date
    due_soon_until: dt.date  # the last date counted as due soon
    handlers: list[HandlerLoad]  # everyone who may handle complaints, then anyone else with cases
    unallocated: HandlerLoad
    breaches: Breaches

    @property
    def open_total(self) -> int:
        return sum(row.open for row in self.handlers) + self.unallocated.open

    @property
    def due_soon_total(self) -> int:
        return sum(row.due_soon for row in self.handlers) + self.unallocated.due_soon

    @property
    def overdue_total(self) -> int:
        return sum(row.overdue for row in self.handlers) + self.unallocated.overdue


def team_work(*, today: dt.date | None = None) -> TeamWork:
    """Open complaints per handler with how many are due soon and overdue, the unallocated
    ones, and this month's breaches. Four queries whatever the number of complaints.

    - Due soon: the next deadline is today or within the next ``DUE_SOON_WORKING_DAYS`` (2)
      working days, i.e. at most 2 working days are left (``between(today, due) <= 2``, which
      is ``today <= due < add(today, 3)``). Overdue: the next deadline was before today. The two
      never overlap.
    - Handlers listed: every active member of staff whose role may handle complaints (even with
      nothing open), then anyone else still holding open complaints.
    """
    today = today or clock.today()
    calendar = current_calendar()
    rows = (
        Complaint.objects.filter(OPEN_Q)
        .values("handler")
        .annotate(
            open=Count("id"),
            due_soon=Count("id", filter=due_soon_q(today, calendar)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by()
    )
    loads = {row["handler"]: row for row in rows}
    user_model = get_user_model()
    app_label, codename = HANDLE.split(".")
    may_handle = Q(
        is_active=True,
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )
    people = (
        user_model.objects.filter(may_handle | Q(pk__in=[pk for pk in loads if pk is not None]))
        .distinct()
        .only("id", "full_name", "email")
        .order_by("full_name", "email", "id")
    )
    empty = {"open": 0, "due_soon": 0, "overdue": 0}
    handlers = [
        HandlerLoad(handler_id=person.pk, name=str(person), **_counts(loads.get(person.pk, empty)))
        for person in people
    ]
    return TeamWork(
        today=today,
        due_soon_until=due_soon_until(today, calendar),
        handlers=handlers,
        unallocated=HandlerLoad(
            handler_id=None, name="Not allocated", **_counts(loads.get(None, empty))
        ),
        breaches=breaches_in_month(today=today),
    )


def _counts(row: dict) -> dict[str, int]:
    return {"open": row["open"], "due_soon": row["due_soon"], "overdue": row["overdue"]}


def breaches_in_month(*, today: dt.date | None = None) -> Breaches:
    """Code timescales missed this calendar month, counted from stored flags. One query.

    The month is the calendar month ``today`` falls in (first to last day). Each missed
    timescale of a stage counts once, in one of three groups:

    - late acknowledgements: ``ack_within_code`` is False and ``acknowledgement_due`` is in
      the month (the stage was acknowledged after its due date);
    - late responses: ``response_within_code`` is False, the response was not within an
      agreed extension (``response_within_extension`` is not True), and ``responded_on`` is in
      the month;
    - open and past due: the complaint is open (received, stage 1 open, stage 2 open), the stage
      has no response yet, and its current deadline is before today and in the month: the
      acknowledgement due date while unacknowledged, else the response date (the extended one
      when extended).

    A stage acknowledged late and then responded late counts twice (two timescales missed); a
    stage only counts once it has missed a timescale, so nothing due later this month counts.
    Breaches of earlier months are not counted, even while still open.
    """
    today = today or clock.today()
    start, end = month_bounds(today)
    open_stage = Q(responded_on__isnull=True, complaint__status__in=OPEN_STATES)
    # Every group needs a date from the first of the month to today (a timescale cannot have
    # been missed on a date still to come); the indexed ranges leave every other stage unread.
    so_far = (start, today)
    in_month = (
        Q(acknowledgement_due__range=so_far)
        | Q(responded_on__range=so_far)
        | Q(response_due__range=so_far)
        | Q(extended_due__range=so_far)
    )
    counts = (
        Stage.objects.filter(in_month)
        .annotate(current_due=Coalesce("extended_due", "response_due"))
        .aggregate(
            late_acknowledgements=Count(
                "id", filter=Q(ack_within_code=False, acknowledgement_due__range=(start, end))
            ),
            late_responses=Count(
                "id",
                filter=Q(response_within_code=False, responded_on__range=(start, end))
                & ~Q(response_within_extension=True),
            ),
            open_past_due=Count(
                "id",
                filter=open_stage
                & (
                    Q(
                        acknowledged_on__isnull=True,
                        acknowledgement_due__lt=today,
                        acknowledgement_due__range=(start, end),
                    )
                    | Q(
                        acknowledged_on__isnull=False,
                        current_due__lt=today,
                        current_due__range=(start, end),
                    )
                ),
            ),
        )
    )
    return Breaches(month_start=start, month_end=end, **counts)


# --- board member --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFigures:
    """Aggregate figures only: no complaint, person or handler is named."""

    today: dt.date
    open_stage1: int
    open_stage2: int
    month_start: dt.date
    month_end: dt.date
    responded_stage1_this_month: int
    responded_stage2_this_month: int
    year_label: str
    year_start: dt.date
    year_end: dt.date
    stage1_responded_in_year: int
    stage1_within_code_in_year: int

    @property
    def open_total(self) -> int:
        return self.open_stage1 + self.open_stage2

    @property
    def responded_this_month(self) -> int:
        return self.responded_stage1_this_month + self.responded_stage2_this_month

    @property
    def stage1_within_code_percent(self) -> Decimal | None:
        """To one decimal place, half up; ``None`` when nothing was responded to yet."""
        if not self.stage1_responded_in_year:
            return None
        share = Decimal(self.stage1_within_code_in_year * 100) / self.stage1_responded_in_year
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def board_figures(*, today: dt.date | None = None) -> BoardFigures:
    """The board's figures. Three queries (the reporting year's start month is a setting).

    - Open complaints by stage: status received or stage 1 open (stage 1), stage 2 open
      (stage 2). A complaint awaiting a possible escalation after its stage 1 response is not
      open.
    - Responded this month: stage responses issued (``Stage.responded_on``) in the calendar
      month ``today`` falls in, by stage.
    - Stage 1 responses within the Code timescale this reporting year: the denominator is the
      stage 1 responses issued (``responded_on``) from the first day of the reporting year
      (``Organisation.reporting_year_start_month``, April by default) to ``today``; the
      numerator those with ``response_within_code`` True or, after an agreed extension,
      ``response_within_extension`` True (TSM CH02 counts a response within a Code-compliant
      extension as within timescale). Withdrawn and refused complaints have no response and are
      not counted.
    """
    today = today or clock.today()
    organisation = get_organisation()
    year = organisation.reporting_year_of(today)
    year_start, year_end = organisation.reporting_year_bounds(year)
    month_start, month_end = month_bounds(today)
    open_counts = Complaint.objects.filter(status__in=OPEN_STATES).aggregate(
        open_stage1=Count("id", filter=Q(status__in=(Status.RECEIVED, Status.STAGE1_OPEN))),
        open_stage2=Count("id", filter=Q(status=Status.STAGE2_OPEN)),
    )
    in_month = Q(responded_on__range=(month_start, month_end))
    in_year = Q(number=1, responded_on__range=(year_start, today))
    within = Q(response_within_code=True) | Q(response_within_extension=True)
    stage_counts = Stage.objects.filter(
        responded_on__range=(min(month_start, year_start), max(month_end, today))
    ).aggregate(
        responded_stage1_this_month=Count("id", filter=in_month & Q(number=1)),
        responded_stage2_this_month=Count("id", filter=in_month & Q(number=2)),
        stage1_responded_in_year=Count("id", filter=in_year),
        stage1_within_code_in_year=Count("id", filter=in_year & within),
    )
    single_year = organisation.reporting_year_start_month == 1
    return BoardFigures(
        today=today,
        month_start=month_start,
        month_end=month_end,
        year_label=str(year) if single_year else f"{year}/{(year + 1) % 100:02d}",
        year_start=year_start,
        year_end=year_end,
        **open_counts,
        **stage_counts,
    )

"""The caseworking queues: which complaints each holds, filtered, searched, sorted and paged.

Every queue reads one indexed table: the queue fields the services keep on ``Complaint``
(``stage_number``, ``handler``, ``next_due_on``, ``next_due_kind``, ``is_extended``,
``is_breached``, ``awaiting_sign_off``). A page of a queue costs the same handful of queries
whatever its length: the calendar's closure days, a count, and the page's rows (complainant,
category and handler joined in). Working days left are worked out in Python from that calendar,
never a query per row.

Queues are data (:data:`QUEUES`, one :class:`Queue` each); the pieces a queue is made of (its
statuses, whose cases, which deadlines) are turned into a filter by small lookup tables rather
than by code per queue.

Which statuses count as "open", and who sees what:

- ``received``, ``stage1_open`` and ``stage2_open`` are open: a stage is running and has a Code
  deadline. ``complaints.standing`` keeps ``next_due_on`` set exactly while a complaint is open,
  so the open-only queues ask for "has a next deadline", which the deadline indexes answer.
- ``mine`` also holds ``stage1_responded``. Those complaints have no deadline while the resident
  decides whether to escalate, but the handler who responded is the person the resident will
  contact and the promised actions are theirs, and no other working queue shows them. Without a
  deadline they sort after everything that has one.
- ``team`` holds open complaints only: it is the team's deadline board, sorted by deadline, and a
  responded complaint has no deadline to watch. Each handler finds their own under ``mine``.
- ``unallocated``, ``due-soon``, ``overdue``, ``quality-check`` and ``stage-2`` hold open
  complaints only.

How a page is read (see :func:`queue_page`): the page's ids are picked from the complaint table
alone, sorted and cut to 25 rows, and only those rows are joined to their complainant, category
and handler. So the database never joins or sorts the whole queue to show one page. In the
picking query the queue's status list is hidden from SQLite's index choice (see
:class:`Unindexed`), so that SQLite walks the index that gives the page's order (received date,
next deadline) instead of gathering a whole status and sorting it; the count keeps the status
index, which answers it fastest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, F, Func, OrderBy, Q, QuerySet

from putright.casework.permissions import visible_complaints
from putright.casework.selectors.checks import may_check_q
from putright.casework.selectors.deadlines import DUE_SOON_WORKING_DAYS, due_soon_q, overdue_q
from putright.casework.selectors.staff import handlers
from putright.complaints import lifecycle
from putright.complaints.deadlines import escalation_window_end
from putright.complaints.models import Complaint, Stage, Status
from putright.complaints.search import matching as matching_words
from putright.complaints.services import confidential_complaints_listed
from putright.complaints.standing import OPEN_Q, OPEN_STATES, missed_timescales
from putright.core import clock
from putright.organisation.models import Category
from putright.organisation.selectors import current_calendar, get_organisation
from putright.rules.calendar import WorkingDayCalendar

PAGE_SIZE = 25

OPEN_STATUSES: tuple[str, ...] = OPEN_STATES
WORKING_STATUSES: tuple[str, ...] = (*OPEN_STATUSES, Status.STAGE1_RESPONDED)
OMBUDSMAN_STATUSES: tuple[str, ...] = (Status.STAGE2_RESPONDED, Status.ESCALATION_REFUSED)
CLOSED_STATUSES: tuple[str, ...] = (Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN)


# Queue definitions ------------------------------------------------------------------------------


class Whose(StrEnum):
    """Whose complaints a queue holds, relative to the person looking."""

    ANYONE = "anyone"
    MINE = "mine"
    MY_TEAM = "my_team"
    NOBODY = "nobody"


class Window(StrEnum):
    """Which next deadlines a queue holds."""

    ANY = "any"
    DUE_SOON = "due_soon"  # from today to DUE_SOON_WORKING_DAYS working days ahead
    OVERDUE = "overdue"  # before today


class Sort(StrEnum):
    DUE = "due"
    DUE_DESC = "-due"
    RECEIVED = "received"
    RECEIVED_DESC = "-received"
    REFERENCE = "reference"
    REFERENCE_DESC = "-reference"


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    intro: str
    statuses: tuple[str, ...]
    whose: Whose = Whose.ANYONE
    window: Window = Window.ANY
    stage_number: int | None = None
    awaiting_sign_off: bool | None = None
    default_sort: Sort = Sort.DUE

    @property
    def allocatable(self) -> bool:
        """Some complaints the queue holds can be given a handler (so bulk allocation applies)."""
        return bool(set(self.statuses) & lifecycle.LIFECYCLE[lifecycle.Step.ALLOCATE].statuses)

    @property
    def open_only(self) -> bool:
        """The queue holds open complaints only, each of which has a next deadline."""
        return set(self.statuses) == set(OPEN_STATUSES)


QUEUES: tuple[Queue, ...] = (
    Queue(
        "mine",
        "My cases",
        "Complaints you are handling now, and stage 1 responses of yours waiting to see whether "
        "the resident escalates. Soonest deadline first.",
        WORKING_STATUSES,
        whose=Whose.MINE,
    ),
    Queue(
        "team",
        "My team",
        "Open complaints handled by anyone in your team, soonest deadline first.",
        OPEN_STATUSES,
        whose=Whose.MY_TEAM,
    ),
    Queue(
        "unallocated",
        "Unallocated",
        "Open complaints with nobody handling their current stage.",
        OPEN_STATUSES,
        whose=Whose.NOBODY,
    ),
    Queue(
        "due-soon",
        "Due soon",
        f"Open complaints whose next Code deadline is today or within the next "
        f"{DUE_SOON_WORKING_DAYS} working days.",
        OPEN_STATUSES,
        window=Window.DUE_SOON,
    ),
    Queue(
        "overdue",
        "Overdue",
        "Open complaints whose next Code deadline has passed.",
        OPEN_STATUSES,
        window=Window.OVERDUE,
    ),
    Queue(
        "quality-check",
        "Quality check",
        "Drafted responses waiting for their quality check before they are issued.",
        OPEN_STATUSES,
        awaiting_sign_off=True,
    ),
    Queue(
        "stage-2",
        "Stage 2",
        "Open complaints at stage 2. Nobody involved at stage 1 may consider them.",
        OPEN_STATUSES,
        stage_number=2,
    ),
    Queue(
        "ombudsman",
        "Ombudsman",
        "Complaints whose internal complaints process is complete, so the resident may take them "
        "to the Housing Ombudsman: stage 2 responded, or escalation refused. Ombudsman case "
        "records arrive with a later feature.",
        OMBUDSMAN_STATUSES,
        default_sort=Sort.RECEIVED_DESC,
    ),
    Queue(
        "closed",
        "Closed",
        "Complaints that are closed, not accepted or withdrawn. Most recently received first.",
        CLOSED_STATUSES,
        default_sort=Sort.RECEIVED_DESC,
    ),
)
QUEUES_BY_SLUG: dict[str, Queue] = {queue.slug: queue for queue in QUEUES}


def _nobody(_user: Any) -> Q:
    return Q(pk__in=[])


def _team(user: Any) -> Q:
    if user.team_id is None:
        return _nobody(user)
    # The members' ids as a list (one small query) rather than a join or a subquery: SQLite
    # then reads the (handler, next_due_on) index for each of them, with or without statistics.
    # Kept on the user object, which lives for one request, as the roles are.
    members = getattr(user, "_putright_team_member_ids", None)
    if members is None:
        members = list(
            get_user_model()
            .objects.filter(team_id=user.team_id)
            .order_by()
            .values_list("pk", flat=True)
        )
        user._putright_team_member_ids = members
    return Q(handler_id__in=members)


WHOSE_FILTERS: dict[Whose, Callable[[Any], Q]] = {
    Whose.ANYONE: lambda user: Q(),
    Whose.MINE: lambda user: Q(handler_id=user.pk),
    Whose.MY_TEAM: _team,
    Whose.NOBODY: lambda user: Q(handler__isnull=True),
}

WINDOW_FILTERS: dict[Window, Callable[[date, WorkingDayCalendar], Q]] = {
    Window.ANY: lambda today, calendar: Q(),
    # Exactly the rows whose working days left are 0 to DUE_SOON_WORKING_DAYS (see
    # deadline_status).
    Window.DUE_SOON: due_soon_q,
    Window.OVERDUE: lambda today, calendar: overdue_q(today),
}


def queue_q(
    queue: Queue,
    *,
    user: Any,
    today: date,
    calendar: WorkingDayCalendar,
    status_field: str = "status",
) -> Q:
    """The filter that says which complaints are in ``queue`` for ``user`` on ``today``.

    An open-only queue asks for a next deadline instead of listing the open statuses: the two
    are the same (``complaints.standing``), and the deadline indexes can answer the first.
    """
    condition = OPEN_Q if queue.open_only else Q(**{f"{status_field}__in": queue.statuses})
    condition &= WHOSE_FILTERS[queue.whose](user)
    condition &= WINDOW_FILTERS[queue.window](today, calendar)
    if queue.stage_number is not None:
        condition &= Q(stage_number=queue.stage_number)
    if queue.awaiting_sign_off is not None:
        condition &= Q(awaiting_sign_off=queue.awaiting_sign_off)
        if queue.awaiting_sign_off:
            condition &= may_check_q(user)
    return condition


def default_queue_slug(user: Any) -> str:
    """Where ``/cases/`` goes: allocators start with the unallocated work, everyone else with
    their own cases."""
    return "unallocated" if user.has_perm("complaints.allocate_complaint") else "mine"


# Row status: days left and the tag --------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    key: str
    label: str
    classes: str


TAGS: dict[str, Tag] = {
    tag.key: tag
    for tag in (
        Tag("breached", "Breached", "govuk-tag--red"),
        Tag("overdue", "Overdue", "govuk-tag--orange"),
        Tag("due_soon", "Due soon", "govuk-tag--yellow"),
        Tag("extended", "Extended", "govuk-tag--light-blue"),
        Tag("on_track", "On track", "govuk-tag--green"),
    )
}


@dataclass(frozen=True)
class DeadlineStatus:
    days_left: int | None  # working days from today to the deadline; negative when overdue
    tag: Tag | None  # None: no deadline running and no Code timescale missed


def deadline_status(
    *,
    due_on: date | None,
    today: date,
    calendar: WorkingDayCalendar,
    is_breached: bool = False,
    is_extended: bool = False,
) -> DeadlineStatus:
    """Working days left to the next deadline and the tag that sums the complaint up.

    ``days_left`` counts the working days after today up to and including the deadline
    (``calendar.between``): 0 when it is due today, 1 when it is due on the next working day,
    -1 when it was due on the previous working day. The tag is the first of these that applies:

    1. breached: a Code timescale was missed at some stage (a stored fact, kept after closing);
    2. overdue: the deadline is before today;
    3. due soon: ``DUE_SOON_WORKING_DAYS`` working days left or fewer;
    4. extended: the response date was extended;
    5. on track: any other running deadline.

    A complaint with no running deadline and no missed timescale has no tag.
    """
    days_left = None if due_on is None else calendar.between(today, due_on)
    if is_breached:
        key = "breached"
    elif due_on is None:
        return DeadlineStatus(days_left, None)
    elif due_on < today:
        key = "overdue"
    elif days_left is not None and days_left <= DUE_SOON_WORKING_DAYS:
        key = "due_soon"
    elif is_extended:
        key = "extended"
    else:
        key = "on_track"
    return DeadlineStatus(days_left, TAGS[key])


# Filters, search and sorting --------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What the person narrowed the queue to; ``None`` (or "") means no filter."""

    search: str = ""
    stage: int | None = None
    status: str = ""
    category_id: int | None = None
    handler_id: int | None = None
    unallocated: bool = False
    tenure: str = ""
    vulnerable: bool | None = None
    channel: str = ""
    received_from: date | None = None
    received_to: date | None = None
    breached: bool | None = None

    @property
    def chosen(self) -> bool:
        """Whether any filter or search is in use."""
        return self != QueueFilters()


# C-2025-00042 (or 2025-00042) is a whole reference; "C-2025-0004", "c-2025" and "C-" are the
# start of one.
REFERENCE_RE = re.compile(r"^(C-)?\d{4}-\d{5,}$")
REFERENCE_PREFIX_RE = re.compile(r"^C-(\d{1,4}|\d{4}-\d*)?$")
# The start of a reference down to at least the first digit of its number: a tenth of a year's
# complaints at most.
NARROW_PREFIX_RE = re.compile(r"^C-\d{4}-\d+$")


def _reference_prefix(prefix: str) -> Q:
    """References starting with ``prefix``, in a form the reference index can serve.

    SQLite's LIKE ignores case, so it cannot use the (binary) unique index on ``reference``;
    a range over the prefix can. References are ASCII, so [prefix, prefix + DEL) holds exactly
    the references that start with it. PostgreSQL serves ``startswith`` from the
    ``varchar_pattern_ops`` index Django creates beside the unique one, and a range there would
    follow the database's collation, which may ignore the hyphens.
    """
    if connection.vendor != "sqlite":
        return Q(reference__startswith=prefix)
    within = Q(reference__gte=prefix, reference__lt=prefix + "\x7f")
    if NARROW_PREFIX_RE.match(prefix):
        # SQLite cannot tell this range from the queue's own (say, the overdue deadlines) and
        # may walk the queue checking each reference. Picked first, through the reference
        # index, the few references a year and a digit leave are what the queue then checks.
        return Q(pk__in=Complaint.objects.filter(within).values("pk"))
    return within


def search_q(search: str) -> Q:
    """The complaints matching a search.

    A reference, or the start of one, is looked up on the reference alone (through its index).
    Anything else goes to the full-text index (``complaints.search``): every word must start a
    word of the complainant's name, the home's address or postcode, or the complaint's words.
    """
    text = " ".join(search.split())
    if not text:
        return Q()
    upper = text.upper()
    if REFERENCE_RE.match(upper):
        return Q(reference=upper if upper.startswith("C-") else f"C-{upper}")
    if REFERENCE_PREFIX_RE.match(upper):
        return _reference_prefix(upper)
    return matching_words(text)


def filters_q(filters: QueueFilters) -> Q:
    """The filter for everything the person chose (each piece only when it was chosen)."""
    pieces: list[tuple[bool, Callable[[], Q]]] = [
        (bool(filters.search.strip()), lambda: search_q(filters.search)),
        (filters.stage is not None, lambda: Q(stage_number=filters.stage)),
        (bool(filters.status), lambda: Q(status=filters.status)),
        (filters.category_id is not None, lambda: Q(category_id=filters.category_id)),
        (filters.handler_id is not None, lambda: Q(handler_id=filters.handler_id)),
        (filters.unallocated, lambda: Q(handler__isnull=True)),
        (bool(filters.tenure), lambda: Q(tenure_at_receipt=filters.tenure)),
        (filters.vulnerable is not None, lambda: Q(is_vulnerable=filters.vulnerable)),
        (bool(filters.channel), lambda: Q(channel=filters.channel)),
        (filters.received_from is not None, lambda: Q(received_on__gte=filters.received_from)),
        (filters.received_to is not None, lambda: Q(received_on__lte=filters.received_to)),
        (filters.breached is not None, lambda: Q(is_breached=filters.breached)),
    ]
    condition = Q()
    for chosen, make in pieces:
        if chosen:
            condition &= make()
    return condition


def _due(descending: bool, *, nulls: bool) -> tuple[OrderBy | str, ...]:
    # Complaints without a deadline go last either way. When the queue cannot hold any, the
    # plain ordering lets the (next_due_on, id) index give the rows already sorted.
    if descending:
        first = F("next_due_on").desc(nulls_last=True) if nulls else F("next_due_on").desc()
        return (first, "-id")
    first = F("next_due_on").asc(nulls_last=True) if nulls else F("next_due_on").asc()
    return (first, "id")


SORT_LABELS: dict[Sort, str] = {
    Sort.DUE: "next deadline, soonest first",
    Sort.DUE_DESC: "next deadline, latest first",
    Sort.RECEIVED: "date received, oldest first",
    Sort.RECEIVED_DESC: "date received, newest first",
    Sort.REFERENCE: "reference, lowest first",
    Sort.REFERENCE_DESC: "reference, highest first",
}

ORDERINGS: dict[Sort, Callable[[bool], tuple[Any, ...]]] = {
    Sort.DUE: lambda nulls: _due(False, nulls=nulls),
    Sort.DUE_DESC: lambda nulls: _due(True, nulls=nulls),
    # (received_on, id) is what the received_on index holds, so it serves this sort too.
    Sort.RECEIVED: lambda nulls: ("received_on", "id"),
    Sort.RECEIVED_DESC: lambda nulls: ("-received_on", "-id"),
    Sort.REFERENCE: lambda nulls: ("reference",),
    Sort.REFERENCE_DESC: lambda nulls: ("-reference",),
}


# Reading a page ---------------------------------------------------------------------------------

ROW_FIELDS = (
    "id",
    "reference",
    "version",
    "status",
    "stage_number",
    "received_on",
    "next_due_on",
    "next_due_kind",
    "is_extended",
    "is_breached",
    "is_confidential",
    "is_vulnerable",
    "complainant__title",
    "complainant__first_name",
    "complainant__last_name",
    "category__name",
    "handler__full_name",
    "handler__email",
)


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    days_left: int | None
    tag: Tag | None
    # A stage 1 response waiting on the resident: the last day they may ask for stage 2.
    waiting_until: date | None = None
    missed: str = ""  # what made a breached complaint breached, in words


def _stage_facts(complaints: list[Complaint], calendar: WorkingDayCalendar) -> dict[int, dict]:
    """For the rows that need them (breached, or waiting on the resident after stage 1), what
    was missed and when the escalation window ends: one query, none when no row needs it."""
    wanted = [c.pk for c in complaints if c.is_breached or c.status == Status.STAGE1_RESPONDED]
    if not wanted:
        return {}
    facts: dict[int, dict] = {pk: {"missed": [], "waiting_until": None} for pk in wanted}
    window = None
    stages = Stage.objects.filter(complaint_id__in=wanted).only(
        "complaint_id",
        "number",
        "responded_on",
        "ack_within_code",
        "response_within_code",
        "response_within_extension",
    )
    statuses = {c.pk: c.status for c in complaints}
    for stage in stages.order_by("complaint_id", "number"):
        fact = facts[stage.complaint_id]
        fact["missed"].extend(missed_timescales(stage))
        if statuses[stage.complaint_id] == Status.STAGE1_RESPONDED and stage.number == 1:
            if window is None:
                window = get_organisation().escalation_window_days
            fact["waiting_until"] = escalation_window_end(calendar, stage.responded_on, window)
    return facts


@dataclass
class QueuePage:
    queue: Queue
    sort: Sort
    page: Page
    rows: list[QueueRow] = field(default_factory=list)
    today: date | None = None

    @property
    def total(self) -> int:
        return self.page.paginator.count


class Unindexed(Func):
    """A column's value that SQLite will not look up through an index.

    SQLite documents the unary ``+`` for exactly this: without table statistics its planner
    takes any ``IN`` list on an indexed column for a few rows, gathers, say, every closed
    complaint through the status index and sorts them all to show 25. Hidden, the status is
    checked row by row while SQLite walks the index that already gives the page's order. Other
    databases plan from statistics and get the plain column.
    """

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def queue_queryset(
    queue: Queue,
    *,
    user: Any,
    filters: QueueFilters | None = None,
    sort: Sort | None = None,
    today: date | None = None,
    calendar: WorkingDayCalendar | None = None,
    status_index: bool = True,
) -> QuerySet[Complaint]:
    """The complaints in ``queue`` that ``user`` may see, filtered and sorted (not yet read).

    ``status_index=False`` hides the queue's status list from SQLite's index choice (see
    :class:`Unindexed`): for the query that picks one sorted page, and for counts that have
    other conditions to check on every row anyway.
    """
    today = today or clock.today()
    calendar = calendar or current_calendar()
    sort = sort or queue.default_sort
    complaints = Complaint.objects.all()
    status_field = "status"
    if not status_index:
        complaints = complaints.alias(status_unindexed=Unindexed("status"))
        status_field = "status_unindexed"
    complaints = complaints.filter(
        queue_q(queue, user=user, today=today, calendar=calendar, status_field=status_field)
    ).filter(filters_q(filters or QueueFilters()))
    complaints = visible_complaints(user, complaints)
    return complaints.order_by(*ORDERINGS[sort](not queue.open_only))


class _PagedQueue:
    """What the paginator pages through: the count, and a page read in one query.

    The page's ids come from a subquery over the complaint table alone (sorted, offset and
    limited there); the outer query joins just those rows to what the table shows.
    """

    def __init__(self, counting: QuerySet, picking: QuerySet, ordering: tuple[Any, ...]):
        self.counting = counting
        self.picking = picking
        self.ordering = ordering

    def count(self) -> int:
        return self.counting.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Complaint]:
        page_ids = self.picking.values("pk")[window]
        return list(
            Complaint.objects.filter(pk__in=page_ids)
            .select_related("complainant", "category", "handler")
            .only(*ROW_FIELDS)
            .order_by(*self.ordering)
        )


def queue_page(
    queue: Queue,
    *,
    user: Any,
    filters: QueueFilters | None = None,
    sort: Sort | None = None,
    page_number: Any = 1,
    today: date | None = None,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """One page of a queue for ``user``: three queries (closure days, count, rows)."""
    today = today or clock.today()
    calendar = current_calendar()
    sort = sort or queue.default_sort
    arguments = {
        "user": user,
        "filters": filters,
        "sort": sort,
        "today": today,
        "calendar": calendar,
    }
    # A whole status's count (closed, with the Ombudsman) is read from the status index alone.
    # Once filters are chosen each row must be read anyway, and reading the table in order beats
    # fetching every row of a status; an open-only queue has no status list. Either way the
    # count is the picking query unsorted, built once.
    picking = queue_queryset(queue, status_index=False, **arguments)
    chosen = filters is not None and filters.chosen
    if queue.open_only or chosen:
        counting = picking.order_by()
    else:
        counting = queue_queryset(queue, status_index=True, **arguments).order_by()
    paged = _PagedQueue(counting, picking, ORDERINGS[sort](not queue.open_only))
    page = Paginator(paged, page_size).get_page(page_number)
    rows = []
    facts = _stage_facts(page.object_list, calendar)
    for complaint in page.object_list:
        fact = facts.get(complaint.pk, {})
        waiting_until = fact.get("waiting_until")
        status = deadline_status(
            due_on=complaint.next_due_on,
            today=today,
            calendar=calendar,
            is_breached=complaint.is_breached,
            is_extended=complaint.is_extended,
        )
        days_left = status.days_left
        if waiting_until is not None:
            days_left = calendar.between(today, waiting_until)
        missed = "; ".join(fact.get("missed", ())).capitalize()
        rows.append(QueueRow(complaint, days_left, status.tag, waiting_until, missed))
    confidential_complaints_listed(
        acting_user=user, complaints=page.object_list, where=f"queue {queue.slug}"
    )
    return QueuePage(queue=queue, sort=sort, page=page, rows=rows, today=today)


# Choices for the filter and allocation forms ----------------------------------------------------


def handler_choices() -> list[Any]:
    """Active staff who may handle complaints, by name (one query)."""
    return list(handlers().only("id", "full_name", "email"))


def top_level_categories() -> list[Category]:
    """Top-level categories for the filter, retired ones too (old complaints still use them)."""
    return list(
        Category.objects.filter(parent__isnull=True)
        .only("id", "name", "is_active")
        .order_by("-is_active", "sort_order", "name")
    )

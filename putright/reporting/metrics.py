"""Every figure the complaint reports publish, each defined once, computed in the database.

Each function takes a ``Period`` (both ends inclusive) and says what it counts: the numerator,
the denominator, what is left out and which stored fact places a record in the period. Counts
are aggregates over indexed columns (a few queries whatever the number of complaints); the only
figures worked in Python are those that need the working-day calendar (days to respond) or a
list held as JSON (root causes), and they read two small columns of the period's rows only.

Definitions shared by every figure:

- A complaint is **received at stage 1** on its stage 1 ``received_on`` (the day anyone at the
  landlord first had it, Code 6.2) and **at stage 2** on the day it was escalated (its stage 2
  ``received_on``). A complaint not accepted into the process (a refusal that stands) is not a
  stage 1 complaint (Code 2.1, 8.1 b: it is reported under "not accepted" instead); one whose
  refusal was reversed counts again. Withdrawn complaints were complaints and count as received.
- A stage is **responded to** on its ``responded_on``: the date of the response letter.
- **Within the Code's timescales** means a response on or before the stage's due date, or on or
  before its extended date where it was extended (the engine refuses an extension the Code does
  not allow, so every recorded extension is one the Code allows). The "initial" figure leaves
  extensions out.
- **Acknowledged within the Code** means acknowledged within 5 working days of receipt (6.2,
  6.11), counted over stages acknowledged in the period.

Every count of complaints is the size of a queryset named here (``received``, ``responded``,
``acknowledged``, ``responded_any``, ``withdrawals``, ``refusals``), or of one of them narrowed
by a condition named here (``RESPONSE_SUBSETS``, ``ACKNOWLEDGEMENT_SUBSETS``, an outcome, a
category...). ``reporting.drill`` lists the same querysets, so a manager who opens a figure sees
exactly the records it counted.

Records beside complaints (compliments, contacts, satisfaction surveys) may simply not be kept
in PutRight: each such figure says whether it was ``recorded`` for the period, so a report says
"not recorded" rather than showing zeros that were never counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from putright.complaints.models import (
    Channel,
    Finding,
    Refusal,
    RootCause,
    Stage,
    Status,
)
from putright.contacts.models import Compliment, ComplimentChannel, Contact, SatisfactionSurvey
from putright.contacts.selectors import contact_demand
from putright.organisation.models import BusinessArea, Category, StockCount
from putright.organisation.selectors import current_calendar, get_organisation
from putright.people.models import (
    LCHO_TENURES,
    LCRA_TENURES,
    AgeBand,
    DisclosedDisability,
    Ethnicity,
    Resident,
    ResidentKind,
    Sex,
    Tenure,
)
from putright.reporting.periods import Period
from putright.rules.calendar import WorkingDayCalendar
from putright.rules.ratios import Ratio, per_thousand, percentage

STAGES = (1, 2)
TSM_GROUPS = ("LCRA", "LCHO", "all")

# --- the records a figure counts ------------------------------------------------------------------


RECEIVED_AT: dict[int, Q] = {
    1: Q(number=1) & ~Q(complaint_status=Status.NOT_ACCEPTED),
    2: Q(number=2),
}
"""The stages ``received`` counts at each stage: at stage 1, not complaints whose non-acceptance
stands."""

WITHDRAWN = Q(complaint_status=Status.WITHDRAWN)
"""A complaint the resident has withdrawn (``withdrawals``)."""


def received(period: Period, stage: int) -> QuerySet[Stage]:
    """Stages received in the period, without complaints whose non-acceptance stands."""
    return Stage.objects.filter(RECEIVED_AT[stage], received_on__range=(period.start, period.end))


def responded(period: Period, stage: int) -> QuerySet[Stage]:
    """Stages whose response is dated in the period."""
    return Stage.objects.filter(number=stage, responded_on__range=(period.start, period.end))


def responded_any(period: Period) -> QuerySet[Stage]:
    """Responses at either stage dated in the period: a complaint answered at both stages in the
    period counts twice, once per response."""
    return Stage.objects.filter(responded_on__range=(period.start, period.end))


def acknowledged(period: Period, stage: int) -> QuerySet[Stage]:
    """Stages acknowledged in the period."""
    return Stage.objects.filter(number=stage, acknowledged_on__range=(period.start, period.end))


def withdrawals(period: Period) -> QuerySet[Stage]:
    """Stage 1 complaints received in the period that the resident has since withdrawn."""
    return received(period, 1).filter(WITHDRAWN)


def refusals(period: Period, kind: str = Refusal.Kind.ACCEPTANCE) -> QuerySet[Refusal]:
    """Decisions in the period not to accept a complaint (or, with ``kind`` escalation, not to
    take it to stage 2) that still stand: a reversed decision is not counted."""
    return Refusal.objects.filter(
        kind=kind, decided_on__range=(period.start, period.end), reversed_on__isnull=True
    )


WITHIN_CODE = Q(response_within_code=True) | Q(response_within_extension=True)
"""A response on or before its due date, or its extended date (see the module's definitions)."""

LATE = Q(response_within_code=False) & (
    Q(response_within_extension=False) | Q(response_within_extension__isnull=True)
)
"""A response after its due date and after any extended date: stated as the stored facts
themselves (not "not within"), as ``complaints.standing`` reads a missed timescale."""

RESPONSE_SUBSETS: dict[str, Q] = {
    "within_code": WITHIN_CODE,
    "within_initial": Q(response_within_code=True),  # on or before the first due date
    "after_extension": Q(extended_due__isnull=False),  # the response had an extension
    "late": LATE,
}
"""The parts of a period's responses each figure counts, by name (``responded_<name>``)."""

ACKNOWLEDGEMENT_SUBSETS: dict[str, Q] = {
    "within_code": Q(ack_within_code=True),
    "late": Q(ack_within_code=False),
}
"""The parts of a period's acknowledgements each figure counts (``acknowledged_<name>``)."""


# --- the counts many figures share, one pass over the stages each ------------------------------


def _by(rows: list[dict], key: str, *counts: str, **within: Collection) -> dict:
    """Grouped rows' counts added up by one attribute (a tenure, a category, a channel), over
    the rows whose attributes are each in the given set (``number={1}``), in one pass over the
    rows: ``{value: {count: n, ...}}``."""
    found: dict = {}
    for row in rows:
        if all(row[k] in allowed for k, allowed in within.items()):
            sums = found.setdefault(row[key], dict.fromkeys(counts, 0))
            for count in counts:
                sums[count] += row[count]
    return found


def _sum(parts: dict, count: str, keys: Collection | None = None) -> int:
    """One count of ``_by``'s parts added up, over the parts whose value is in ``keys`` (all of
    them when ``keys`` is None): how a TSM group's figure is made from the counts by tenure."""
    return sum(sums[count] for key, sums in parts.items() if keys is None or key in keys)


class PeriodCounts:
    """The counts of one period's stages that several figures share, each kind in one aggregate
    query over the rows it concerns, asked for when a figure first needs it and kept only as
    long as this object (one ``annual.figures`` call): nothing is kept between calls.

    - ``received``: at each stage (``RECEIVED_AT``), by TSM group, and the withdrawals, added up
      from ``received_by`` (the same counts by tenure, channel and category);
    - ``responded``: at each stage, each of ``RESPONSE_SUBSETS``, each outcome, the points given
      each finding, by TSM group and within the Code by TSM group, added up from
      ``responded_by`` (the same counts by stage, tenure, category and business area);
    - ``acknowledged``: at each stage and each of ``ACKNOWLEDGEMENT_SUBSETS``;
    - ``response_days``: each stage's responses as (received, responded, how many) per pair of
      dates, for the working days to respond.

    Each count is one of this module's querysets narrowed by one of its conditions, counted in a
    ``FILTER`` beside the others instead of in a query of its own: the same figure, one pass over
    the period's rows instead of one per figure. Keys are ``stage<n>``, ``stage<n>_<name>``.
    """

    def __init__(self, period: Period, includes_leaseholders: bool | None = None) -> None:
        self.period = period
        if includes_leaseholders is not None:
            self.includes_leaseholders = includes_leaseholders

    @cached_property
    def includes_leaseholders(self) -> bool:
        """The organisation's choice to count leaseholders in the TSMs (read once)."""
        return get_organisation().tsm_includes_leaseholders

    @cached_property
    def groups(self) -> dict[str, frozenset[str]]:
        return tsm_tenures(self.includes_leaseholders)

    @cached_property
    def received_by(self) -> list[dict]:
        """The period's received stages counted by their complaint's tenure at receipt, channel
        and category, and the month received: every received figure (CH01, withdrawals,
        channels, categories, months) is a sum of these rows (a few thousand), so the period's
        stages are joined to their complaints once, not once per figure (at a million complaints
        each join reads 200,000 index entries)."""
        return list(
            Stage.objects.filter(
                number__in=STAGES, received_on__range=(self.period.start, self.period.end)
            )
            .order_by()
            .values(
                tenure=F("complaint_tenure"),
                channel=F("complaint_channel"),
                category=F("complaint_category_id"),
                month=_month_of("received_on", self.period),
            )
            .annotate(
                **{f"stage{stage}": Count("id", filter=RECEIVED_AT[stage]) for stage in STAGES},
                withdrawn=Count("id", filter=RECEIVED_AT[1] & WITHDRAWN),
            )
        )

    @cached_property
    def received(self) -> dict[str, int]:
        by_tenure = _by(self.received_by, "tenure", "withdrawn", *(f"stage{n}" for n in STAGES))
        counts = {"withdrawn": _sum(by_tenure, "withdrawn")}
        for stage in STAGES:
            at = f"stage{stage}"
            counts[at] = _sum(by_tenure, at)
            for group, tenures in self.groups.items():
                counts[f"{at}_{group}"] = _sum(by_tenure, at, tenures)
        return counts

    @cached_property
    def responded_by(self) -> list[dict]:
        """The period's responses counted by stage and by their complaint's tenure at receipt,
        category and business area, each row with every part of ``RESPONSE_SUBSETS`` and each
        outcome: the responded figures (timeliness, outcomes, CH02, categories, business areas)
        are sums of these rows, from one join of the period's responses to their complaints."""
        return list(
            responded_any(self.period)
            .filter(number__in=STAGES)
            .order_by()
            .values(
                "number",
                tenure=F("complaint_tenure"),
                category=F("complaint_category_id"),
                business_area=F("complaint_business_area_id"),
            )
            .annotate(
                n=Count("id"),
                **{name: Count("id", filter=where) for name, where in RESPONSE_SUBSETS.items()},
                **{f"outcome_{f}": Count("id", filter=Q(outcome=f)) for f in Finding.values},
                **{f"points_{f}": Coalesce(Sum(f"points_{f}"), 0) for f in Finding.values},
            )
        )

    @cached_property
    def responded(self) -> dict[str, int]:
        outcomes = [
            f"{kind}_{finding}" for kind in ("outcome", "points") for finding in Finding.values
        ]
        counts = {}
        for stage in STAGES:
            at = f"stage{stage}"
            by_tenure = _by(
                self.responded_by, "tenure", "n", *RESPONSE_SUBSETS, *outcomes, number={stage}
            )
            counts[at] = _sum(by_tenure, "n")
            for name in [*RESPONSE_SUBSETS, *outcomes]:
                counts[f"{at}_{name}"] = _sum(by_tenure, name)
            for group, tenures in self.groups.items():
                counts[f"{at}_{group}"] = _sum(by_tenure, "n", tenures)
                counts[f"{at}_{group}_within"] = _sum(by_tenure, "within_code", tenures)
        return counts

    @cached_property
    def acknowledged(self) -> dict[str, int]:
        counts = {}
        for stage in STAGES:
            at = Q(number=stage)
            counts[f"stage{stage}"] = Count("id", filter=at)
            for name, where in ACKNOWLEDGEMENT_SUBSETS.items():
                counts[f"stage{stage}_{name}"] = Count("id", filter=at & where)
        return Stage.objects.filter(
            number__in=STAGES, acknowledged_on__range=(self.period.start, self.period.end)
        ).aggregate(**counts)

    @cached_property
    def response_days(self) -> dict[int, list[tuple]]:
        found: dict[int, list[tuple]] = {stage: [] for stage in STAGES}
        for stage, received_on, responded_on, n in response_date_pairs(self.period):
            found[stage].append((received_on, responded_on, n))
        return found


def response_date_pairs(period: Period) -> QuerySet[Stage]:
    """The period's responses as (stage, date received, date responded, how many) for each pair
    of dates: grouped in the responded covering index's own order, so no sort is needed. (Every
    stage is 1 or 2, so asking for those numbers would only offer the planner a worse index.)"""
    return (
        responded_any(period)
        .order_by()
        .values_list("number", "received_on", "responded_on")
        .annotate(n=Count("id"))
        .values_list("number", "received_on", "responded_on", "n")
    )


# --- volumes and timeliness --------------------------------------------------------------------


@dataclass(frozen=True)
class StageFigures:
    """One stage's figures for a period, each a raw count (rates are ``Ratio``)."""

    stage: int
    received: int
    responded: int
    responded_within_code: int  # including responses within a valid extension
    responded_within_initial: int  # on or before the first due date, no extension
    extended: int  # responses that had an extension
    acknowledged: int
    acknowledged_within_code: int
    responded_late: int = 0  # after the due date and after any extended date
    acknowledged_late: int = 0  # more than 5 working days after receipt

    @property
    def within_code(self) -> Ratio:
        return percentage(self.responded_within_code, self.responded)

    @property
    def within_initial(self) -> Ratio:
        return percentage(self.responded_within_initial, self.responded)

    @property
    def acknowledged_on_time(self) -> Ratio:
        return percentage(self.acknowledged_within_code, self.acknowledged)


def stage_figures(period: Period, stage: int, counts: PeriodCounts | None = None) -> StageFigures:
    """Received, responded (in all, within the Code, within the first date, extended, late) and
    acknowledged (in all, within the Code, late) at one stage: three aggregate queries, shared
    with the other figures through ``counts``."""
    counts = PeriodCounts(period) if counts is None else counts
    answered, acknowledgements = counts.responded, counts.acknowledged
    at = f"stage{stage}"
    return StageFigures(
        stage=stage,
        received=counts.received[at],
        responded=answered[at],
        responded_within_code=answered[f"{at}_within_code"],
        responded_within_initial=answered[f"{at}_within_initial"],
        extended=answered[f"{at}_after_extension"],
        acknowledged=acknowledgements[at],
        acknowledged_within_code=acknowledgements[f"{at}_within_code"],
        responded_late=answered[f"{at}_late"],
        acknowledged_late=acknowledgements[f"{at}_late"],
    )


@dataclass(frozen=True)
class DaysToRespond:
    """Working days from receipt to response, over the responses dated in a period."""

    responses: int
    mean: float | None
    median: float | None


def days_to_respond(
    period: Period,
    stage: int,
    calendar: WorkingDayCalendar | None = None,
    counts: PeriodCounts | None = None,
) -> DaysToRespond:
    """The mean and median working days from a stage's receipt to its response, for responses
    in the period (seed 000 reports the mean falling from 15 to 13 days). Working days follow
    the landlord's calendar: bank holidays and closure days are not counted. Pass ``calendar``
    to share one reading of the closure days between stages. The responses are read as pairs
    of dates with how many responses share each pair, so the calendar works out each pair once."""
    calendar = calendar or current_calendar()
    counts = PeriodCounts(period) if counts is None else counts
    tally: Counter[int] = Counter()  # responses by their working days to respond
    for start, end, n in counts.response_days[stage]:
        tally[calendar.between(start, end)] += n
    responses = tally.total()
    if not responses:
        return DaysToRespond(0, None, None)
    mean = sum(days * n for days, n in tally.items()) / responses
    return DaysToRespond(responses, mean, _median(tally, responses))


def _median(tally: Counter[int], size: int) -> float:
    """The median of ``size`` values given as value: how many times it occurs, as
    ``statistics.median`` gives it (the mean of the two middle values when ``size`` is even),
    without writing out a value per response."""
    middle, seen, low = ((size - 1) // 2, size // 2), 0, None
    for value, n in sorted(tally.items()):
        seen += n
        if low is None and seen > middle[0]:
            low = value
        if seen > middle[1]:
            return (low + value) / 2
    raise ValueError("the tally holds fewer values than its size")


# --- outcomes -----------------------------------------------------------------------------------


def outcomes(period: Period, stage: int, counts: PeriodCounts | None = None) -> dict[str, int]:
    """Responses in the period by their overall outcome (upheld, partly, not upheld)."""
    counts = PeriodCounts(period) if counts is None else counts
    return {
        finding: counts.responded[f"stage{stage}_outcome_{finding}"] for finding in Finding.values
    }


def point_outcomes(
    period: Period, stage: int, counts: PeriodCounts | None = None
) -> dict[str, int]:
    """The decision on each point of complaint, over the responses in the period: the counts
    each response stored with its decisions (``Stage.points_<finding>``)."""
    counts = PeriodCounts(period) if counts is None else counts
    return {
        finding: counts.responded[f"stage{stage}_points_{finding}"] for finding in Finding.values
    }


def escalation_rate(period: Period, counts: PeriodCounts | None = None) -> Ratio:
    """Complaints escalated to stage 2 in the period over stage 1 responses in the period: the
    share of residents who were still unhappy after stage 1 (a flow measure, as boards read it:
    a response late in one year may be escalated early in the next)."""
    counts = PeriodCounts(period) if counts is None else counts
    return percentage(counts.received["stage2"], counts.responded["stage1"])


def overturn_rate(period: Period, counts: PeriodCounts | None = None) -> Ratio:
    """Of stage 2 responses in the period, those that upheld or partly upheld a complaint that
    stage 1 had not upheld (seed 002, 4.25): how often stage 1 got it wrong."""
    counts = PeriodCounts(period) if counts is None else counts
    overturned = responded(period, 2).filter(
        outcome__in=(Finding.UPHELD, Finding.PARTLY_UPHELD),
        complaint__stages__number=1,
        complaint__stages__outcome=Finding.NOT_UPHELD,
    )
    return percentage(overturned.count(), counts.responded["stage2"])


# --- not accepted and withdrawn -----------------------------------------------------------------


@dataclass(frozen=True)
class Refusals:
    total: int
    by_reason: dict[str, int]  # the policy's reason, as written in it (Code 8.1 b)
    # A code of each reason, so a list of the refusals for one reason can be asked for by it.
    codes: dict[str, str] = field(default_factory=dict)


def not_accepted(period: Period, kind: str = Refusal.Kind.ACCEPTANCE) -> Refusals:
    """``refusals`` in the period by the policy's reason: the types of complaints the landlord
    refused, which the annual report must show (Code 8.1 b). Reasons are counted by their label
    as the policy words it, so two reasons worded alike are one line."""
    rows = (
        refusals(period, kind)
        .values_list("reason__label")
        .annotate(n=Count("id"), code=Min("reason__code"))
        .order_by("-n", "reason__label")
        .values_list("reason__label", "n", "code")
    )
    by_reason = {label: n for label, n, _ in rows}
    codes = {label: code for label, _, code in rows}
    return Refusals(total=sum(by_reason.values()), by_reason=by_reason, codes=codes)


def withdrawn(period: Period, counts: PeriodCounts | None = None) -> int:
    """Complaints received at stage 1 in the period that the resident has since withdrawn
    (``withdrawals``)."""
    counts = PeriodCounts(period) if counts is None else counts
    return counts.received["withdrawn"]


# --- what complaints are about, and how they arrive --------------------------------------------


def channels(period: Period, counts: PeriodCounts | None = None) -> dict[str, int]:
    """Stage 1 complaints received in the period by how they arrived."""
    counts = PeriodCounts(period) if counts is None else counts
    found = _by(counts.received_by, "channel", "stage1")
    return {
        label: found[value]["stage1"]
        for value, label in Channel.choices
        if found.get(value, {}).get("stage1")
    }


@dataclass(frozen=True)
class CategoryRow:
    category: str
    received: int
    responded: int
    upheld: int
    partly_upheld: int
    not_upheld: int
    category_id: int | None = None  # None: no category recorded


def categories(period: Period, counts: PeriodCounts | None = None) -> list[CategoryRow]:
    """Stage 1 complaints by category: received in the period, and the outcomes of the stage 1
    responses in the period. Grouped by the category itself, so two categories of the same name
    under different parents stay apart; a category with neither is not listed."""
    counts = PeriodCounts(period) if counts is None else counts
    came = _by(counts.received_by, "category", "stage1")
    outcomes = [f"outcome_{finding}" for finding in Finding.values]
    answered = _by(counts.responded_by, "category", "n", *outcomes, number={1})
    keys = {k for k, row in came.items() if row["stage1"]} | set(answered)
    names = dict(Category.objects.filter(pk__in=keys - {None}).values_list("pk", "name"))
    received_n = {key: came.get(key, {}).get("stage1", 0) for key in keys}
    order = sorted(keys, key=lambda k: (k is None, -received_n[k], names.get(k, ""), k or 0))
    none: dict[str, int] = {}
    return [
        CategoryRow(
            category=names[key] if key is not None else "No category recorded",
            received=received_n[key],
            responded=answered.get(key, none).get("n", 0),
            upheld=answered.get(key, none).get("outcome_upheld", 0),
            partly_upheld=answered.get(key, none).get("outcome_partly_upheld", 0),
            not_upheld=answered.get(key, none).get("outcome_not_upheld", 0),
            category_id=key,
        )
        for key in order
    ]


@dataclass(frozen=True)
class AreaRow:
    business_area: str
    responded: int
    within_code: int
    business_area_id: int | None = None  # None: no business area recorded

    @property
    def timeliness(self) -> Ratio:
        return percentage(self.within_code, self.responded)


def business_areas(period: Period, counts: PeriodCounts | None = None) -> list[AreaRow]:
    """Responses at either stage in the period by business area, with how many were within the
    Code's timescales: where delays come from. Most responses first, then by name."""
    counts = PeriodCounts(period) if counts is None else counts
    found = _by(counts.responded_by, "business_area", "n", "within_code")
    names = dict(BusinessArea.objects.filter(pk__in=set(found) - {None}).values_list("pk", "name"))
    order = sorted(found, key=lambda k: (-found[k]["n"], k is None, names.get(k, ""), k or 0))
    return [
        AreaRow(
            business_area=names[key] if key is not None else "No business area recorded",
            responded=found[key]["n"],
            within_code=found[key]["within_code"],
            business_area_id=key,
        )
        for key in order
    ]


def root_causes(period: Period) -> dict[str, int]:
    """Root causes recorded on the responses in the period (a response may give several), most
    often found first; causes found equally often in the order ``RootCause`` lists them. The
    responses are counted per list of causes in the database (a few dozen lists, whatever the
    number of responses), so no response's list is read one by one."""
    counts: Counter[str] = Counter()
    for causes, n in (
        responded_any(period)
        .order_by()
        .values_list("root_causes")
        .annotate(n=Count("id"))
        .values_list("root_causes", "n")
    ):
        for cause in causes or ():
            counts[cause] += n
    labels = dict(RootCause.choices)
    order = {key: position for position, key in enumerate(labels)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
    return {labels.get(key, key): n for key, n in ranked}


def _month(day) -> str:
    return day.strftime("%Y-%m")


def _month_of(field: str, period: Period) -> Case:
    """The month of the period ("2024-04") a date column falls in, worked out in the database
    by comparing the date with each month's end: no date function, which SQLite would call in
    Python once per row. The column must lie within the period."""
    starts = period.months()
    ends = [*starts[1:], period.end + timedelta(days=1)]
    return Case(
        *(
            When(**{f"{field}__lt": end}, then=Value(_month(start)))
            for start, end in zip(starts, ends, strict=True)
        ),
        output_field=CharField(),
    )


def monthly_received(period: Period, counts: PeriodCounts | None = None) -> dict[str, int]:
    """Stage 1 complaints received in each month of the period ("2024-04": 47), every month
    present, so a quiet month shows as 0 rather than missing: ``received`` by month, added up
    from ``PeriodCounts.received_by``."""
    counts = PeriodCounts(period) if counts is None else counts
    found = _by(counts.received_by, "month", "stage1")
    return {
        _month(month): found.get(_month(month), {}).get("stage1", 0) for month in period.months()
    }


def monthly_within_code(period: Period, stage: int) -> dict[str, Ratio]:
    """The responses dated in each month of the period and the share within the Code's
    timescales (as ``stage_figures`` counts them, so the months add up to the period's figure).
    Every month present; a month with no response is "n/a", never 0%. One query, by day, the
    days added up into months here (as ``monthly_received``)."""
    responses: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    for day, n, within in (
        responded(period, stage)
        .order_by()
        .values_list("responded_on")
        .annotate(n=Count("id"), within=Count("id", filter=WITHIN_CODE))
        .values_list("responded_on", "n", "within")
    ):
        responses[_month(day)] += n
        on_time[_month(day)] += within
    shares = {}
    for month in period.months():
        n, within = responses[_month(month)], on_time[_month(month)]
        shares[month.strftime("%Y-%m")] = percentage(within, n)
    return shares


# --- the Tenant Satisfaction Measures -----------------------------------------------------------


def tsm_tenures(includes_leaseholders: bool | None = None) -> dict[str, frozenset[str]]:
    """Who each TSM group counts, by tenure at receipt: tenants (LCRA) and shared owners
    (LCHO); leaseholders only when the organisation has chosen to count them (seed 000 leaves
    them out), and never people with no tenancy. ``includes_leaseholders`` is that choice when
    the caller has read it already."""
    if includes_leaseholders is None:
        includes_leaseholders = get_organisation().tsm_includes_leaseholders
    groups = {"LCRA": frozenset(LCRA_TENURES), "LCHO": frozenset(LCHO_TENURES)}
    everyone = groups["LCRA"] | groups["LCHO"]
    if includes_leaseholders:
        everyone |= {Tenure.LEASEHOLDER}
    return {**groups, "all": everyone}


@dataclass(frozen=True)
class TenantSatisfactionMeasures:
    """CH01 and CH02 for a reporting year, per group, with the homes behind CH01."""

    homes: dict[str, int]
    ch01_stage1: dict[str, Ratio]
    ch01_stage2: dict[str, Ratio]
    ch02_stage1: dict[str, Ratio]
    ch02_stage2: dict[str, Ratio]
    notes: list[str] = field(default_factory=list)


def tenant_satisfaction_measures(
    period: Period, counts: PeriodCounts | None = None
) -> TenantSatisfactionMeasures:
    """TSM CH01 (stage 1 and stage 2 complaints received per 1,000 homes) and CH02 (the share of
    stage 1 and stage 2 responses within the Code's timescales), for LCRA, LCHO and both, as
    regulatory-spec.md section 3 sets out. The homes are the stock counts at the reporting
    year's end; a year with no stock count gives "n/a", never a rate per 0 homes. The counts by
    group are ``PeriodCounts``' (``received`` and ``responded`` by ``tsm_tenures``)."""
    counts = PeriodCounts(period) if counts is None else counts
    includes_leaseholders = counts.includes_leaseholders
    stock = dict(
        StockCount.objects.filter(reporting_year=period.reporting_year).values_list(
            "tenure", "homes"
        )
    )
    homes = {"LCRA": stock.get("LCRA", 0), "LCHO": stock.get("LCHO", 0)}
    homes["all"] = homes["LCRA"] + homes["LCHO"]
    figures: dict[str, dict[str, Ratio]] = {}
    came, answered = counts.received, counts.responded
    for stage in STAGES:
        at = f"stage{stage}"
        figures[f"ch01_stage{stage}"] = {
            g: per_thousand(came[f"{at}_{g}"], homes[g]) for g in TSM_GROUPS
        }
        figures[f"ch02_stage{stage}"] = {
            g: percentage(answered[f"{at}_{g}_within"], answered[f"{at}_{g}"]) for g in TSM_GROUPS
        }
    notes = [
        "Counts tenants (LCRA) and shared owners (LCHO) by their tenure when the complaint "
        "arrived"
        + (
            "; leaseholders are counted in the total as the organisation has chosen."
            if includes_leaseholders
            else "; leaseholders and people without a tenancy are left out."
        ),
        "CH01 counts complaints received in the year at each stage, over homes owned at the "
        "year's end; complaints not accepted are left out, withdrawn ones are counted.",
        "CH02 counts responses in the year; a response within an extension the Code allows is "
        "within the timescales.",
    ]
    if not homes["all"]:
        notes.append(
            f"No stock count is recorded for {period.label}, so CH01 cannot be worked out: an "
            "administrator adds it under Stock counts."
        )
    return TenantSatisfactionMeasures(homes=homes, notes=notes, **figures)


# --- compensation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompensationFigures:
    payments: int
    total_pence: int
    small_payments: int  # £100 or less
    ordered_pence: int  # ordered by the Housing Ombudsman

    @property
    def small_share(self) -> Ratio:
        return percentage(self.small_payments, self.payments)


def compensation(period: Period) -> CompensationFigures:
    """Compensation paid in the period (by the date paid): how many payments, how much, the
    share of £100 or less and what the Ombudsman ordered. One query."""
    from putright.redress.models import Compensation
    from putright.rules.remedy_bands import SMALL_PAYMENT_PENCE

    figures = Compensation.objects.filter(
        status=Compensation.Status.PAID, paid_on__range=(period.start, period.end)
    ).aggregate(
        n=Count("id"),
        total=Coalesce(Sum("amount_pence"), 0),
        small=Count("id", filter=Q(amount_pence__lte=SMALL_PAYMENT_PENCE)),
        ordered=Coalesce(Sum("amount_pence", filter=Q(ombudsman="ordered")), 0),
    )
    return CompensationFigures(figures["n"], figures["total"], figures["small"], figures["ordered"])


def complaints_per_thousand_homes(period: Period, counts: PeriodCounts | None = None) -> Ratio:
    """Every stage 1 complaint received in the period (whatever the tenure) per 1,000 homes
    owned at the reporting year's end: the size-adjusted volume boards compare."""
    homes = StockCount.objects.filter(reporting_year=period.reporting_year).aggregate(
        n=Coalesce(Sum("homes"), 0)
    )["n"]
    counts = PeriodCounts(period) if counts is None else counts
    return per_thousand(counts.received["stage1"], homes)


# --- records beside complaints: compliments, contacts, satisfaction -----------------------------


def _recorded(found: int, on_or_before_end: QuerySet) -> bool:
    """Whether the landlord was keeping this kind of record in PutRight by the period's end:
    surely so when the period has some; otherwise only if one is dated earlier (a query asked
    only then), so a year before the landlord started shows "not recorded", not zeros."""
    return bool(found) or on_or_before_end.exists()


COMPLIMENT_ABOUT = {
    "team": ~Q(about_team=""),
    "person": ~Q(about_person="") | Q(about_staff__isnull=False),
    "contractor": ~Q(about_contractor=""),
}
"""What a compliment praises; one may praise several (a team and a person in it)."""


@dataclass(frozen=True)
class ComplimentFigures:
    recorded: bool
    total: int
    about: dict[str, int]  # team, person, contractor: may add up to more than the total
    by_channel: dict[str, int]  # channel label: count, only channels that had one


def compliments(period: Period) -> ComplimentFigures:
    """Compliments received in the period (by ``received_on``): in all, by what they praise and
    by how they arrived. Kept out of CH01 and CH02 (regulatory-spec.md section 7). One query
    (two when the period has none)."""
    rows = Compliment.objects.filter(received_on__range=(period.start, period.end))
    found = rows.aggregate(
        n=Count("id"),
        **{f"about_{k}": Count("id", filter=where) for k, where in COMPLIMENT_ABOUT.items()},
        **{
            f"channel_{value}": Count("id", filter=Q(channel=value))
            for value in ComplimentChannel.values
        },
    )
    return ComplimentFigures(
        recorded=_recorded(found["n"], Compliment.objects.filter(received_on__lte=period.end)),
        total=found["n"],
        about={k: found[f"about_{k}"] for k in COMPLIMENT_ABOUT},
        by_channel={
            label: found[f"channel_{value}"]
            for value, label in ComplimentChannel.choices
            if found[f"channel_{value}"]
        },
    )


@dataclass(frozen=True)
class ContactFigures:
    recorded: bool
    received: int
    answered: int
    within_target: int

    @property
    def within_target_share(self) -> Ratio:
        return percentage(self.within_target, self.received)


def contacts_answered(period: Period) -> ContactFigures:
    """Contacts received in the period and how many were answered within their response target,
    as the contact-demand table counts them (``contacts.selectors.contact_demand``): numerator
    the contacts answered on or before their due date, denominator every contact received in the
    period, answered or not (seed 001, 9.3). One query (two when the period has none)."""
    rows = contact_demand(received_from=period.start, received_to=period.end)
    received_n = sum(row.contacts for row in rows)
    return ContactFigures(
        recorded=_recorded(received_n, Contact.objects.filter(received_on__lte=period.end)),
        received=received_n,
        answered=sum(row.answered for row in rows),
        within_target=sum(row.in_time for row in rows),
    )


@dataclass(frozen=True)
class SatisfactionFigures:
    recorded: bool
    sent: int
    responses: int
    score_total: int  # the sum of the responses' scores, 1 to 5 each
    follow_ups: int  # low scores or dissatisfied comments that opened a follow-up (Code 1.6)
    choice_offered: int  # follow-ups done: the resident was offered the choice to complain

    @property
    def response_rate(self) -> Ratio:
        return percentage(self.responses, self.sent)

    @property
    def mean_score(self) -> Ratio:
        """Out of 5: the sum of the scores over the responses (seed 000: 2.4 from 81)."""
        return Ratio(self.score_total, self.responses, scale=1)


def satisfaction(period: Period) -> SatisfactionFigures:
    """Transactional satisfaction surveys sent in the period (after a complaint closed) and what
    came of them, counted over the surveys sent in the period whenever their answer came: the
    responses, the mean score out of 5, and the follow-ups that offered the resident the choice
    to complain (Code 1.6). One query (two when the period has none)."""
    rows = SatisfactionSurvey.objects.filter(sent_on__range=(period.start, period.end))
    found = rows.aggregate(
        sent=Count("id"),
        responses=Count("score"),
        score_total=Coalesce(Sum("score"), 0),
        follow_ups=Count("follow_up"),
        choice_offered=Count("follow_up", filter=Q(follow_up__choice_offered=True)),
    )
    return SatisfactionFigures(
        recorded=_recorded(
            found["sent"], SatisfactionSurvey.objects.filter(sent_on__lte=period.end)
        ),
        **found,
    )


# --- equality ----------------------------------------------------------------------------------

RESIDENT_KINDS = (
    ResidentKind.TENANT,
    ResidentKind.SHARED_OWNER,
    ResidentKind.LEASEHOLDER,
    ResidentKind.HOUSEHOLD_MEMBER,
)
"""Who "all residents" are in the equality profile: the people living in the landlord's homes
as the register records them now, not former residents, applicants or others."""

UNKNOWN = "unknown"
UNKNOWN_LABEL = "Unknown / not recorded"

EQUALITY_CHARACTERISTICS: dict[str, tuple[str, type]] = {
    "age_band": ("Age", AgeBand),
    "sex": ("Sex", Sex),
    "ethnicity": ("Ethnicity", Ethnicity),
}
"""The equality answers PutRight records (``people.EqualityData``), each with its own "prefer
not to say"; a disability disclosed is the fourth characteristic."""

DISABILITY_DISCLOSED = "disclosed"


@dataclass(frozen=True)
class EqualityRow:
    value: str
    label: str
    complainants: int
    residents: int


@dataclass(frozen=True)
class EqualityProfile:
    recorded: bool  # any equality answer or disclosed disability, of anyone counted
    complainants: int
    residents: int
    characteristics: dict[str, tuple[str, list[EqualityRow]]]  # key: (label, rows)


def _equality_answers() -> dict[str, dict[str, str]]:
    """Each characteristic's answers as value: label, every recorded answer ("prefer not to
    say" included) and "unknown / not recorded" for no answer, so each column adds up to its
    population."""
    answers = {
        key: {**dict(choices.choices), UNKNOWN: UNKNOWN_LABEL}
        for key, (_, choices) in EQUALITY_CHARACTERISTICS.items()
    }
    answers["disability"] = {
        DISABILITY_DISCLOSED: "Disability or health condition disclosed",
        UNKNOWN: UNKNOWN_LABEL,
    }
    return answers


def _answers_counted() -> dict[str, Count]:
    """A count of each recorded answer (``<key>__<value>``), each a condition on a column of
    the person's answers alone."""
    return {
        f"{key}__{value}": Count("pk", filter=Q(**{f"equality_data__{key}": value}))
        for key, (_, choices) in EQUALITY_CHARACTERISTICS.items()
        for value in choices.values
    }


def _equality_result(found: dict[str, int], disclosed: int, disclosed_alone: int) -> dict[str, int]:
    """The counts ``equality_counts`` gives, from what is recorded: ``n``, ``with_answers`` and
    each answer (``_answers_counted``), and how many disclosed a disability, in all and without
    any answer. A characteristic's unknowns are the people counted in none of its answers;
    ``answered`` is those with answers plus those who disclosed a disability without any."""
    n = found["n"]
    answers = _equality_answers()
    counts = {
        "n": n,
        "answered": found["with_answers"] + disclosed_alone,
        **{name: found[name] for name in _answers_counted()},
        f"disability__{DISABILITY_DISCLOSED}": disclosed,
        f"disability__{UNKNOWN}": n - disclosed,
    }
    for key in EQUALITY_CHARACTERISTICS:
        known = sum(counts[f"{key}__{value}"] for value in answers[key] if value != UNKNOWN)
        counts[f"{key}__{UNKNOWN}"] = n - known
    return counts


def equality_counts(people: QuerySet[Resident]) -> dict[str, int]:
    """One population's equality answers counted in one aggregate query: ``n`` (the people),
    ``answered`` (those with any answer or a disclosed disability) and ``<key>__<value>`` for
    each answer of ``_equality_answers``, unknowns included.

    Only what is recorded is counted, each condition on a column of the row itself, and the
    rest is worked out (``_equality_result``): counting the unknowns directly needed an ``OR``
    on a subquery of each person with their disclosure, which took twice as long."""
    active = Exists(DisclosedDisability.objects.filter(resident=OuterRef("pk"), is_active=True))
    found = people.order_by().aggregate(
        n=Count("pk"),
        with_answers=Count("equality_data"),
        disclosed=Count("pk", filter=Q(active)),
        # Evaluated only for people without answers: the ``AND`` stops at the first test.
        disclosed_alone=Count("pk", filter=Q(equality_data__isnull=True) & Q(active)),
        **_answers_counted(),
    )
    return _equality_result(found, found["disclosed"], found["disclosed_alone"])


def residents_equality() -> dict[str, int]:
    """All residents' equality counts (as ``equality_counts`` gives them) of ``RESIDENT_KINDS``
    on the register as it is now, whatever the period. Nearly everyone on the register is
    counted, so the disclosures are counted from their own table (one in ten people) rather
    than looked up for each person: 0.3 s less over 600,000 residents."""
    found = (
        Resident.objects.filter(kind__in=RESIDENT_KINDS)
        .order_by()
        .aggregate(n=Count("pk"), with_answers=Count("equality_data"), **_answers_counted())
    )
    disclosures = (
        DisclosedDisability.objects.filter(is_active=True, resident__kind__in=RESIDENT_KINDS)
        .order_by()
        .values("resident")
        .distinct()
    )
    return _equality_result(
        found,
        disclosures.count(),
        disclosures.filter(resident__equality_data__isnull=True).count(),
    )


def equality_profile(period: Period) -> EqualityProfile:
    """The equality profile of complainants beside that of all residents (seed 002, section 4),
    so a board can see whether some groups complain less than their share.

    Complainants: the people who made a stage 1 complaint received in the period (``received``:
    refusals that stand are left out, withdrawn complaints counted), each counted once however
    many complaints they made. All residents: ``RESIDENT_KINDS`` on the register as it is now
    (``residents_equality``). For each characteristic
    every answer is a row, "prefer not to say" included, and people with no answer are their own
    "unknown / not recorded" row, never dropped: each column adds up to its population. Shares
    are of the whole population, unknowns included.

    One aggregate query per population, each over its own people only: the complainants are
    found once, as a set (``pk IN`` the period's complainants), not asked again of every
    resident for each answer counted, which made one query's cost grow with the answers times
    the residents (seconds at 20,000 complaints).
    """
    complainants = received(period, 1).order_by().values("complainant_id")
    found = {
        "complainants": equality_counts(Resident.objects.filter(pk__in=complainants)),
        "residents": residents_equality(),
    }
    answers = _equality_answers()
    labels = {key: label for key, (label, _) in EQUALITY_CHARACTERISTICS.items()}
    labels["disability"] = "Disability"
    return EqualityProfile(
        recorded=bool(found["complainants"]["answered"] + found["residents"]["answered"]),
        complainants=found["complainants"]["n"],
        residents=found["residents"]["n"],
        characteristics={
            key: (
                labels[key],
                [
                    EqualityRow(
                        value,
                        label,
                        found["complainants"][f"{key}__{value}"],
                        found["residents"][f"{key}__{value}"],
                    )
                    for value, label in rows.items()
                ],
            )
            for key, rows in answers.items()
        },
    )

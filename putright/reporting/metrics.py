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

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from putright.complaints.models import (
    Channel,
    Decision,
    Finding,
    Refusal,
    RootCause,
    Stage,
    Status,
)
from putright.contacts.models import Compliment, ComplimentChannel, Contact, SatisfactionSurvey
from putright.contacts.selectors import contact_demand
from putright.organisation.models import StockCount
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


def received(period: Period, stage: int) -> QuerySet[Stage]:
    """Stages received in the period, without complaints whose non-acceptance stands."""
    rows = Stage.objects.filter(number=stage, received_on__range=(period.start, period.end))
    if stage == 1:
        rows = rows.exclude(complaint__status=Status.NOT_ACCEPTED)
    return rows


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
    return received(period, 1).filter(complaint__status=Status.WITHDRAWN)


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


def _count_subsets(rows: QuerySet[Stage], subsets: dict[str, Q]) -> dict[str, int]:
    """One aggregate: every row (``n``) and the rows meeting each named condition."""
    return rows.aggregate(
        n=Count("id"), **{name: Count("id", filter=where) for name, where in subsets.items()}
    )


def stage_figures(period: Period, stage: int) -> StageFigures:
    """Received, responded (in all, within the Code, within the first date, extended, late) and
    acknowledged (in all, within the Code, late) at one stage: three aggregate queries."""
    answered = _count_subsets(responded(period, stage), RESPONSE_SUBSETS)
    acknowledgements = _count_subsets(acknowledged(period, stage), ACKNOWLEDGEMENT_SUBSETS)
    return StageFigures(
        stage=stage,
        received=received(period, stage).count(),
        responded=answered["n"],
        responded_within_code=answered["within_code"],
        responded_within_initial=answered["within_initial"],
        extended=answered["after_extension"],
        acknowledged=acknowledgements["n"],
        acknowledged_within_code=acknowledgements["within_code"],
        responded_late=answered["late"],
        acknowledged_late=acknowledgements["late"],
    )


@dataclass(frozen=True)
class DaysToRespond:
    """Working days from receipt to response, over the responses dated in a period."""

    responses: int
    mean: float | None
    median: float | None


def days_to_respond(
    period: Period, stage: int, calendar: WorkingDayCalendar | None = None
) -> DaysToRespond:
    """The mean and median working days from a stage's receipt to its response, for responses
    in the period (seed 000 reports the mean falling from 15 to 13 days). Working days follow
    the landlord's calendar: bank holidays and closure days are not counted. Pass ``calendar``
    to share one reading of the closure days between stages."""
    calendar = calendar or current_calendar()
    days = [
        calendar.between(start, end)
        for start, end in responded(period, stage).values_list("received_on", "responded_on")
    ]
    if not days:
        return DaysToRespond(0, None, None)
    return DaysToRespond(len(days), statistics.fmean(days), float(statistics.median(days)))


# --- outcomes -----------------------------------------------------------------------------------


def outcomes(period: Period, stage: int) -> dict[str, int]:
    """Responses in the period by their overall outcome (upheld, partly, not upheld)."""
    found = dict(
        responded(period, stage)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return {finding: found.get(finding, 0) for finding in Finding.values}


def point_outcomes(period: Period, stage: int) -> dict[str, int]:
    """The decision on each point of complaint, over the responses in the period."""
    found = dict(
        Decision.objects.filter(
            point__stage__number=stage,
            point__stage__responded_on__range=(period.start, period.end),
        )
        .values_list("finding")
        .annotate(n=Count("id"))
        .values_list("finding", "n")
    )
    return {finding: found.get(finding, 0) for finding in Finding.values}


def escalation_rate(period: Period) -> Ratio:
    """Complaints escalated to stage 2 in the period over stage 1 responses in the period: the
    share of residents who were still unhappy after stage 1 (a flow measure, as boards read it:
    a response late in one year may be escalated early in the next)."""
    return percentage(received(period, 2).count(), responded(period, 1).count())


def overturn_rate(period: Period) -> Ratio:
    """Of stage 2 responses in the period, those that upheld or partly upheld a complaint that
    stage 1 had not upheld (seed 002, 4.25): how often stage 1 got it wrong."""
    stage2 = responded(period, 2)
    overturned = stage2.filter(
        outcome__in=(Finding.UPHELD, Finding.PARTLY_UPHELD),
        complaint__stages__number=1,
        complaint__stages__outcome=Finding.NOT_UPHELD,
    )
    return percentage(overturned.count(), stage2.count())


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


def withdrawn(period: Period) -> int:
    """Complaints received at stage 1 in the period that the resident has since withdrawn."""
    return withdrawals(period).count()


# --- what complaints are about, and how they arrive --------------------------------------------


def channels(period: Period) -> dict[str, int]:
    """Stage 1 complaints received in the period by how they arrived."""
    found = dict(
        received(period, 1)
        .values_list("complaint__channel")
        .annotate(n=Count("id"))
        .values_list("complaint__channel", "n")
    )
    return {label: found.get(value, 0) for value, label in Channel.choices if found.get(value)}


@dataclass(frozen=True)
class CategoryRow:
    category: str
    received: int
    responded: int
    upheld: int
    partly_upheld: int
    not_upheld: int
    category_id: int | None = None  # None: no category recorded


def categories(period: Period) -> list[CategoryRow]:
    """Stage 1 complaints by category: received in the period, and the outcomes of the stage 1
    responses in the period. Two queries. Grouped by the category itself, so two categories of
    the same name under different parents stay apart."""
    names: dict[int | None, str | None] = {}
    came: dict[int | None, int] = {}
    for key, name, n in (
        received(period, 1)
        .values_list("complaint__category_id", "complaint__category__name")
        .annotate(n=Count("id"))
        .values_list("complaint__category_id", "complaint__category__name", "n")
    ):
        names[key], came[key] = name, n
    answered = {}
    for row in (
        responded(period, 1)
        .values("complaint__category_id", "complaint__category__name")
        .annotate(
            n=Count("id"),
            upheld=Count("id", filter=Q(outcome=Finding.UPHELD)),
            partly=Count("id", filter=Q(outcome=Finding.PARTLY_UPHELD)),
            not_upheld=Count("id", filter=Q(outcome=Finding.NOT_UPHELD)),
        )
    ):
        key = row["complaint__category_id"]
        names[key], answered[key] = row["complaint__category__name"], row
    order = sorted(names, key=lambda k: (k is None, -(came.get(k) or 0), names[k] or "", k or 0))
    return [
        CategoryRow(
            category=names[key] or "No category recorded",
            received=came.get(key, 0),
            responded=answered.get(key, {}).get("n", 0),
            upheld=answered.get(key, {}).get("upheld", 0),
            partly_upheld=answered.get(key, {}).get("partly", 0),
            not_upheld=answered.get(key, {}).get("not_upheld", 0),
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


def business_areas(period: Period) -> list[AreaRow]:
    """Responses at either stage in the period by business area, with how many were within the
    Code's timescales: where delays come from."""
    rows = (
        responded_any(period)
        .values("complaint__business_area_id", "complaint__business_area__name")
        .annotate(n=Count("id"), within=Count("id", filter=WITHIN_CODE))
        .order_by("-n", "complaint__business_area__name")
    )
    return [
        AreaRow(
            business_area=row["complaint__business_area__name"] or "No business area recorded",
            responded=row["n"],
            within_code=row["within"],
            business_area_id=row["complaint__business_area_id"],
        )
        for row in rows
    ]


def root_causes(period: Period) -> dict[str, int]:
    """Root causes recorded on the responses in the period (a response may give several)."""
    counts: Counter[str] = Counter()
    for causes in responded_any(period).values_list("root_causes", flat=True):
        counts.update(causes or ())
    labels = dict(RootCause.choices)
    return {labels.get(key, key): n for key, n in counts.most_common()}


def monthly_received(period: Period) -> dict[str, int]:
    """Stage 1 complaints received in each month of the period ("2024-04": 47), every month
    present, so a quiet month shows as 0 rather than missing."""
    found = {
        month.strftime("%Y-%m"): n
        for month, n in received(period, 1)
        .annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    }
    return {
        month.strftime("%Y-%m"): found.get(month.strftime("%Y-%m"), 0) for month in period.months()
    }


def monthly_within_code(period: Period, stage: int) -> dict[str, Ratio]:
    """The responses dated in each month of the period and the share within the Code's
    timescales (as ``stage_figures`` counts them, so the months add up to the period's figure).
    Every month present; a month with no response is "n/a", never 0%. One query."""
    found = {
        month.strftime("%Y-%m"): (n, within)
        for month, n, within in responded(period, stage)
        .annotate(month=TruncMonth("responded_on"))
        .values_list("month")
        .annotate(n=Count("id"), within=Count("id", filter=WITHIN_CODE))
        .values_list("month", "n", "within")
    }
    shares = {}
    for month in period.months():
        n, within = found.get(month.strftime("%Y-%m"), (0, 0))
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


def _by_group(rows: QuerySet[Stage], groups: dict[str, frozenset[str]], **extra) -> dict:
    """One aggregate: a count per group (and per ``extra`` filter), by tenure at receipt."""
    aggregates = {}
    for group, tenures in groups.items():
        aggregates[group] = Count("id", filter=Q(complaint__tenure_at_receipt__in=tenures))
        for name, condition in extra.items():
            aggregates[f"{group}_{name}"] = Count(
                "id", filter=Q(complaint__tenure_at_receipt__in=tenures) & condition
            )
    return rows.aggregate(**aggregates)


def tenant_satisfaction_measures(period: Period) -> TenantSatisfactionMeasures:
    """TSM CH01 (stage 1 and stage 2 complaints received per 1,000 homes) and CH02 (the share of
    stage 1 and stage 2 responses within the Code's timescales), for LCRA, LCHO and both, as
    regulatory-spec.md section 3 sets out. The homes are the stock counts at the reporting
    year's end; a year with no stock count gives "n/a", never a rate per 0 homes."""
    includes_leaseholders = get_organisation().tsm_includes_leaseholders
    groups = tsm_tenures(includes_leaseholders)
    stock = dict(
        StockCount.objects.filter(reporting_year=period.reporting_year).values_list(
            "tenure", "homes"
        )
    )
    homes = {"LCRA": stock.get("LCRA", 0), "LCHO": stock.get("LCHO", 0)}
    homes["all"] = homes["LCRA"] + homes["LCHO"]
    figures: dict[str, dict[str, Ratio]] = {}
    for stage in STAGES:
        came = _by_group(received(period, stage), groups)
        figures[f"ch01_stage{stage}"] = {g: per_thousand(came[g], homes[g]) for g in TSM_GROUPS}
        answered = _by_group(responded(period, stage), groups, within=WITHIN_CODE)
        figures[f"ch02_stage{stage}"] = {
            g: percentage(answered[f"{g}_within"], answered[g]) for g in TSM_GROUPS
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


def complaints_per_thousand_homes(period: Period) -> Ratio:
    """Every stage 1 complaint received in the period (whatever the tenure) per 1,000 homes
    owned at the reporting year's end: the size-adjusted volume boards compare."""
    homes = StockCount.objects.filter(reporting_year=period.reporting_year).aggregate(
        n=Coalesce(Sum("homes"), 0)
    )["n"]
    return per_thousand(received(period, 1).count(), homes)


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


def equality_profile(period: Period) -> EqualityProfile:
    """The equality profile of complainants beside that of all residents (seed 002, section 4),
    so a board can see whether some groups complain less than their share.

    Complainants: the people who made a stage 1 complaint received in the period (``received``:
    refusals that stand are left out, withdrawn complaints counted), each counted once however
    many complaints they made. All residents: ``RESIDENT_KINDS`` on the register. For each
    characteristic every answer is a row, "prefer not to say" included, and people with no
    answer are their own "unknown / not recorded" row, never dropped: each column adds up to its
    population. Shares are of the whole population, unknowns included. One aggregate query.
    """
    people = Resident.objects.annotate(
        complained=Exists(received(period, 1).filter(complaint__complainant=OuterRef("pk"))),
        disclosed=Exists(
            DisclosedDisability.objects.filter(resident=OuterRef("pk"), is_active=True)
        ),
    ).filter(Q(complained=True) | Q(kind__in=RESIDENT_KINDS))
    populations = {"complainants": Q(complained=True), "residents": Q(kind__in=RESIDENT_KINDS)}
    answers: dict[str, dict[str, tuple[str, Q]]] = {
        key: {
            **{
                value: (label, Q(**{f"equality_data__{key}": value}))
                for value, label in choices.choices
            },
            UNKNOWN: (
                UNKNOWN_LABEL,
                Q(equality_data__isnull=True) | Q(**{f"equality_data__{key}": ""}),
            ),
        }
        for key, (_, choices) in EQUALITY_CHARACTERISTICS.items()
    }
    answers["disability"] = {
        DISABILITY_DISCLOSED: ("Disability or health condition disclosed", Q(disclosed=True)),
        UNKNOWN: (UNKNOWN_LABEL, Q(disclosed=False)),
    }
    counts = {f"{who}": Count("pk", filter=among) for who, among in populations.items()} | {
        f"{who}__{key}__{value}": Count("pk", filter=among & where)
        for who, among in populations.items()
        for key, rows in answers.items()
        for value, (_, where) in rows.items()
    }
    found = people.aggregate(
        answered=Count("pk", filter=Q(equality_data__isnull=False) | Q(disclosed=True)), **counts
    )
    labels = {key: label for key, (label, _) in EQUALITY_CHARACTERISTICS.items()}
    labels["disability"] = "Disability"
    return EqualityProfile(
        recorded=bool(found["answered"]),
        complainants=found["complainants"],
        residents=found["residents"],
        characteristics={
            key: (
                labels[key],
                [
                    EqualityRow(
                        value,
                        label,
                        found[f"complainants__{key}__{value}"],
                        found[f"residents__{key}__{value}"],
                    )
                    for value, (label, _) in rows.items()
                ],
            )
            for key, rows in answers.items()
        },
    )

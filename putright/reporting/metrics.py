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
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
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
from putright.organisation.models import StockCount
from putright.organisation.selectors import current_calendar, get_organisation
from putright.people.models import LCHO_TENURES, LCRA_TENURES, Tenure
from putright.reporting.periods import Period
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


WITHIN_CODE = Q(response_within_code=True) | Q(response_within_extension=True)
"""A response on or before its due date, or its extended date (see the module's definitions)."""


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

    @property
    def within_code(self) -> Ratio:
        return percentage(self.responded_within_code, self.responded)

    @property
    def within_initial(self) -> Ratio:
        return percentage(self.responded_within_initial, self.responded)

    @property
    def acknowledged_on_time(self) -> Ratio:
        return percentage(self.acknowledged_within_code, self.acknowledged)


def stage_figures(period: Period, stage: int) -> StageFigures:
    """Received, responded (in all, within the Code, within the first date, extended) and
    acknowledged (in all, within the Code) at one stage: three aggregate queries."""
    answered = responded(period, stage).aggregate(
        n=Count("id"),
        within=Count("id", filter=WITHIN_CODE),
        initial=Count("id", filter=Q(response_within_code=True)),
        extended=Count("id", filter=Q(extended_due__isnull=False)),
    )
    acknowledged = Stage.objects.filter(
        number=stage, acknowledged_on__range=(period.start, period.end)
    ).aggregate(n=Count("id"), within=Count("id", filter=Q(ack_within_code=True)))
    return StageFigures(
        stage=stage,
        received=received(period, stage).count(),
        responded=answered["n"],
        responded_within_code=answered["within"],
        responded_within_initial=answered["initial"],
        extended=answered["extended"],
        acknowledged=acknowledged["n"],
        acknowledged_within_code=acknowledged["within"],
    )


@dataclass(frozen=True)
class DaysToRespond:
    """Working days from receipt to response, over the responses dated in a period."""

    responses: int
    mean: float | None
    median: float | None


def days_to_respond(period: Period, stage: int) -> DaysToRespond:
    """The mean and median working days from a stage's receipt to its response, for responses
    in the period (seed 000 reports the mean falling from 15 to 13 days). Working days follow
    the landlord's calendar: bank holidays and closure days are not counted."""
    calendar = current_calendar()
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


def not_accepted(period: Period, kind: str = Refusal.Kind.ACCEPTANCE) -> Refusals:
    """Decisions in the period not to accept a complaint (or, with ``kind`` escalation, not to
    take it to stage 2) that still stand, by the policy's reason: the types of complaints the
    landlord refused, which the annual report must show (Code 8.1 b)."""
    rows = (
        Refusal.objects.filter(
            kind=kind, decided_on__range=(period.start, period.end), reversed_on__isnull=True
        )
        .values_list("reason__label")
        .annotate(n=Count("id"))
        .order_by("-n", "reason__label")
        .values_list("reason__label", "n")
    )
    by_reason = dict(rows)
    return Refusals(total=sum(by_reason.values()), by_reason=by_reason)


def withdrawn(period: Period) -> int:
    """Complaints received at stage 1 in the period that the resident has since withdrawn."""
    return received(period, 1).filter(complaint__status=Status.WITHDRAWN).count()


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


def categories(period: Period) -> list[CategoryRow]:
    """Stage 1 complaints by category: received in the period, and the outcomes of the stage 1
    responses in the period. Two queries."""
    came = dict(
        received(period, 1)
        .values_list("complaint__category__name")
        .annotate(n=Count("id"))
        .values_list("complaint__category__name", "n")
    )
    answered = {
        row["complaint__category__name"]: row
        for row in responded(period, 1)
        .values("complaint__category__name")
        .annotate(
            n=Count("id"),
            upheld=Count("id", filter=Q(outcome=Finding.UPHELD)),
            partly=Count("id", filter=Q(outcome=Finding.PARTLY_UPHELD)),
            not_upheld=Count("id", filter=Q(outcome=Finding.NOT_UPHELD)),
        )
    }
    names = sorted(
        set(came) | set(answered), key=lambda n: (n is None, -(came.get(n) or 0), n or "")
    )
    return [
        CategoryRow(
            category=name or "No category recorded",
            received=came.get(name, 0),
            responded=answered.get(name, {}).get("n", 0),
            upheld=answered.get(name, {}).get("upheld", 0),
            partly_upheld=answered.get(name, {}).get("partly", 0),
            not_upheld=answered.get(name, {}).get("not_upheld", 0),
        )
        for name in names
    ]


@dataclass(frozen=True)
class AreaRow:
    business_area: str
    responded: int
    within_code: int

    @property
    def timeliness(self) -> Ratio:
        return percentage(self.within_code, self.responded)


def business_areas(period: Period) -> list[AreaRow]:
    """Responses at either stage in the period by business area, with how many were within the
    Code's timescales: where delays come from."""
    rows = (
        Stage.objects.filter(responded_on__range=(period.start, period.end))
        .values("complaint__business_area__name")
        .annotate(n=Count("id"), within=Count("id", filter=WITHIN_CODE))
        .order_by("-n", "complaint__business_area__name")
    )
    return [
        AreaRow(
            business_area=row["complaint__business_area__name"] or "No business area recorded",
            responded=row["n"],
            within_code=row["within"],
        )
        for row in rows
    ]


def root_causes(period: Period) -> dict[str, int]:
    """Root causes recorded on the responses in the period (a response may give several)."""
    counts: Counter[str] = Counter()
    for causes in Stage.objects.filter(responded_on__range=(period.start, period.end)).values_list(
        "root_causes", flat=True
    ):
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


# --- the Tenant Satisfaction Measures -----------------------------------------------------------


def tsm_tenures() -> dict[str, frozenset[str]]:
    """Who each TSM group counts, by tenure at receipt: tenants (LCRA) and shared owners
    (LCHO); leaseholders only when the organisation has chosen to count them (seed 000 leaves
    them out), and never people with no tenancy."""
    groups = {"LCRA": frozenset(LCRA_TENURES), "LCHO": frozenset(LCHO_TENURES)}
    everyone = groups["LCRA"] | groups["LCHO"]
    if get_organisation().tsm_includes_leaseholders:
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
    groups = tsm_tenures()
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
            if get_organisation().tsm_includes_leaseholders
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

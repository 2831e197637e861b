"""Evidence from the record: for each provision PutRight can measure or demonstrate, a live
figure or fact for the assessment's period, with a link to the records behind it (issue 23).

Each provision (or group of provisions sharing one measure) has one small function here taking a
``Period`` and returning an :class:`Evidence`: a plain-English statement with the figure, the
numerator and denominator where it is a ratio, how many records breach the provision (what a
**breach** is, each function's docstring defines) and links to the lists behind it. They are
registered in ``GROUPS`` for the Code version they were written against, so a later Code's
renumbering never reads this evidence under a new number.

Rules every function keeps:

- **Set-based**: one to three aggregate queries each, never a query or a Python loop per
  complaint; ``evidence_for`` computes a whole assessment's evidence in a number of queries set
  by the number of functions, whatever the number of complaints (a test counts them).
- **The report's definitions**: where ``reporting.metrics`` defines the records a figure counts
  (acknowledgements, responses, refusals, channels, compensation), they are used as they are,
  so the self-assessment and the annual report cannot disagree, and the links open
  ``reporting.drill``'s lists of those very records.
- **Not kept is not zero**: where PutRight holds no records of a kind for the period (service
  requests, surveys, reports kept elsewhere), the statement says so and shows no breach.

A "yes" for a provision whose evidence shows a breach must address the figure in its commentary
(``check_answer``, called by ``services.provision_answer``).

The period of an annual assessment is its reporting year; of any other, the twelve months to its
date. ``reporting.drill``'s complaints lists cover whole reporting years only, so the evidence of
other periods links no list of complaints.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from putright.complaints.models import (
    Action,
    Channel,
    Complaint,
    ComplaintEvent,
    Extension,
    Finding,
    Point,
    Refusal,
    Remedy,
    RemedyKind,
    Stage,
)
from putright.complaints.selectors import CONSIDERING_ACTIONS
from putright.contacts.models import ServiceRequest
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import StepRefused
from putright.letters.models import IssuedLetter
from putright.organisation.selectors import get_organisation
from putright.people.models import ContactRestriction, ReasonableAdjustment
from putright.reporting import metrics as m
from putright.reporting.models import Edition, EditionKind, EditionStatus
from putright.reporting.periods import Period, year_label
from putright.rules.ratios import percentage

__all__ = [
    "EVIDENCE",
    "Evidence",
    "Link",
    "addresses_figure",
    "check_answer",
    "evidence_for",
    "evidence_for_provision",
    "period_of",
]

# The permissions each list's page asks for, so a screen links only what its reader may open.
DRILL_PERMISSIONS = ("complaints.view_reports", "complaints.view_complaint")
EDITIONS_PERMISSIONS = ("complaints.view_reports",)
TRACKER_PERMISSIONS = ("complaints.handle_complaint",)
REGISTER_PERMISSIONS = ("redress.view_payments_register",)
SERVICE_REQUEST_PERMISSIONS = ("contacts.view_servicerequest",)
FOLLOW_UP_PERMISSIONS = ("contacts.view_surveyfollowup",)


@dataclass(frozen=True)
class Link:
    """A list behind a figure, and the permissions needed to open it."""

    label: str
    url: str
    permissions: tuple[str, ...] = ()

    def open_to(self, user: Any) -> bool:
        return all(user.has_perm(permission) for permission in self.permissions)


@dataclass(frozen=True)
class Evidence:
    """What the record shows for one provision, or a group sharing one measure, in a period.

    ``breach_count`` is how many records breach the provision: the figure a "yes" must address
    (``breach`` is whether there are any). ``recorded`` is False where PutRight holds no records
    of the kind for the period: the statement then says so rather than showing zeros.
    """

    provisions: tuple[str, ...]
    statement: str
    breach_rule: str  # what counts as a breach, in words for the screen
    breach_count: int = 0
    numerator: int | None = None
    denominator: int | None = None
    recorded: bool = True
    links: tuple[Link, ...] = ()

    @property
    def breach(self) -> bool:
        return self.breach_count > 0

    @property
    def share(self) -> str:
        """The ratio as a percentage ("97.0%"); blank where the evidence is not a ratio."""
        if self.numerator is None or self.denominator is None:
            return ""
        return percentage(self.numerator, self.denominator).shown()

    def links_for(self, user: Any) -> list[Link]:
        return [link for link in self.links if link.open_to(user)]


# --- the period, words and links --------------------------------------------------------------


def period_of(assessment: Any) -> Period:
    """The period an assessment's evidence covers: the reporting year of an annual one (whose
    ``as_at`` is that year's last day), else the twelve months to its date; both ends inclusive.
    Read from the assessment alone, without a query."""
    end = assessment.as_at
    try:
        start = end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)
    if assessment.reporting_year is not None:
        year = assessment.reporting_year
        return Period(start, end, year_label(year), year)
    organisation = get_organisation()
    return Period(
        start, end, f"the 12 months to {long_date(end)}", organisation.reporting_year_of(end)
    )


def _is_reporting_year(period: Period) -> bool:
    """Whether the period is a whole reporting year (as ``reporting_year`` labels one)."""
    return period.label == year_label(period.reporting_year)


def _drill(period: Period, label: str, key: str) -> tuple[Link, ...]:
    """A link to ``reporting.drill``'s list for ``key``; none where the period is not a year."""
    if not _is_reporting_year(period):
        return ()
    url = reverse("reporting:drill", args=[period.reporting_year, key])
    return (Link(label, url, DRILL_PERMISSIONS),)


def _as_of(period: Period) -> dt.date:
    """The day a standing fact (a review overdue) is read on: the period's end, or today while
    the period runs."""
    return min(clock.today(), period.end)


def _n(count: int, one: str, many: str = "") -> str:
    """``3 complaints``, ``1 complaint``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


# --- Section 1: definition of a complaint ------------------------------------------------------


def service_requests_reviewed(period: Period) -> Evidence:
    """1.4: service requests are recorded, and those that became complaints (linked to one, or
    named by a complaint's service request reference) are reviewed, as the service requests
    page's review list shows them. Counted over requests opened in the period.

    Breach: any service request opened in the period that became a complaint and has no review
    recorded. One query (two when the period has none)."""
    rule = "Any service request that became a complaint and has no review recorded."
    linked = Exists(
        ServiceRequest.complaints.through.objects.filter(servicerequest_id=OuterRef("pk"))
    )
    named = Exists(
        Complaint.objects.filter(service_request_reference__iexact=OuterRef("external_reference"))
    )
    found = (
        ServiceRequest.objects.filter(opened_on__range=(period.start, period.end))
        .annotate(has_complaint=linked | named)
        .aggregate(
            n=Count("id"),
            became=Count("id", filter=Q(has_complaint=True)),
            reviewed=Count("id", filter=Q(has_complaint=True, reviewed_on__isnull=False)),
        )
    )
    if not found["n"]:
        kept = ServiceRequest.objects.filter(opened_on__lte=period.end).exists()
        statement = (
            f"No service request was opened in {period.label}."
            if kept
            else f"PutRight holds no service requests for {period.label}, so the record cannot "
            "show how they are recorded and reviewed."
        )
        return Evidence(("1.4",), statement, rule, recorded=kept)
    became, reviewed = found["became"], found["reviewed"]
    url = reverse("contacts:service-requests") + "?became_complaint=on&not_reviewed=on"
    return Evidence(
        ("1.4",),
        f"{_n(found['n'], 'service request')} opened in {period.label}; {became:,} became "
        f"complaints, of which {reviewed:,} {_were(reviewed)} reviewed and {became - reviewed:,} "
        f"{_were(became - reviewed)} not.",
        rule,
        breach_count=became - reviewed,
        numerator=reviewed,
        denominator=became,
        links=(
            Link(
                "Service requests that became complaints, not yet reviewed",
                url,
                SERVICE_REQUEST_PERMISSIONS,
            ),
        ),
    )


def surveys_offer_choice(period: Period) -> Evidence:
    """1.6: a low score or a dissatisfied comment in a satisfaction survey opens a follow-up that
    offers the resident the choice to complain (``reporting.metrics.satisfaction``: surveys sent
    in the period). A follow-up is done only once the choice was offered (a constraint).

    Breach: any follow-up of the period's surveys not yet done, so the resident has not yet been
    offered the choice to complain. One query (two when the period has none)."""
    rule = "Any survey follow-up not yet done: the resident not yet offered the choice."
    found = m.satisfaction(period)
    if not found.sent:
        statement = (
            f"No satisfaction survey was sent in {period.label}."
            if found.recorded
            else f"PutRight holds no satisfaction surveys for {period.label}, so the record "
            "cannot show them."
        )
        return Evidence(("1.6",), statement, rule, recorded=found.recorded)
    waiting = found.follow_ups - found.choice_offered
    return Evidence(
        ("1.6",),
        f"{_n(found.sent, 'satisfaction survey')} sent in {period.label}, "
        f"{_n(found.responses, 'response')}; {_n(found.follow_ups, 'follow-up')} for a low "
        f"score or a dissatisfied comment, {found.choice_offered:,} offering the choice to "
        f"complain and {waiting:,} not yet done.",
        rule,
        breach_count=waiting,
        numerator=found.choice_offered,
        denominator=found.follow_ups,
        links=(Link("Survey follow-ups", reverse("contacts:follow-ups"), FOLLOW_UP_PERMISSIONS),),
    )


# --- Section 2: exclusions ----------------------------------------------------------------------


def _refusal_evidence(period: Period, kind: str, provisions: tuple[str, ...]) -> Evidence:
    found = m.refusals(period, kind).aggregate(
        n=Count("id"),
        short=Count(
            "id",
            filter=Q(explanation="") | Q(evidence="") | Q(ombudsman_rights_given=False),
        ),
    )
    what = (
        "complaint not accepted" if kind == Refusal.Kind.ACCEPTANCE else "stage 2 request refused"
    )
    many = (
        "complaints not accepted" if kind == Refusal.Kind.ACCEPTANCE else "stage 2 requests refused"
    )
    n, short = found["n"], found["short"]
    complete = n - short
    statement = (
        f"{_n(n, what, many)} in {period.label} (decisions that stand); {complete:,} with the "
        "reasons, the evidence and the right to take the decision to the Ombudsman recorded"
        + (f", {short:,} without." if short else ".")
        if n
        else f"No {many} in {period.label}."
    )
    key = "not_accepted" if kind == Refusal.Kind.ACCEPTANCE else "escalation_refused"
    return Evidence(
        provisions,
        statement,
        "Any refusal without its reasons, its evidence or the Ombudsman rights given.",
        breach_count=short,
        numerator=complete,
        denominator=n,
        links=_drill(period, many[:1].upper() + many[1:], key),
    )


def refusals_with_reasons(period: Period) -> Evidence:
    """2.1 and 2.4: every complaint not accepted has its reasons (the explanation and the
    evidence) and the resident was told they may take the decision to the Ombudsman. Counted over
    ``reporting.metrics.refusals`` (decisions in the period that still stand), as the report.

    Breach: any such refusal with no explanation, no evidence, or no Ombudsman rights given. One
    query."""
    return _refusal_evidence(period, Refusal.Kind.ACCEPTANCE, ("2.1", "2.4"))


def escalation_refusals_with_reasons(period: Period) -> Evidence:
    """5.11: refusals to escalate, on the same terms as 2.1 and 2.4 (decisions in the period
    that still stand).

    Breach: any with no explanation, no evidence, or no Ombudsman rights given. One query."""
    return _refusal_evidence(period, Refusal.Kind.ESCALATION, ("5.11",))


def outside_time_limit_discretion(period: Period) -> Evidence:
    """2.3: complaints raised more than 12 months after the issue (or the resident learning of
    it) that were accepted have the discretion recorded. Counted over stage 1 complaints
    received in the period (``reporting.metrics.received``).

    Breach: any such complaint with no discretion note. One query."""
    found = (
        m.received(period, 1)
        .filter(complaint__outside_time_limit=True)
        .aggregate(n=Count("id"), noted=Count("id", filter=~Q(complaint__discretion_note="")))
    )
    n, noted = found["n"], found["noted"]
    statement = (
        f"{_n(n, 'complaint')} received in {period.label} {_were(n)} raised outside the 12 "
        f"months and accepted; {noted:,} with the discretion used recorded"
        + (f", {n - noted:,} without." if n - noted else ".")
        if n
        else f"No complaint received in {period.label} was raised outside the 12 months."
    )
    return Evidence(
        ("2.3",),
        statement,
        "Any complaint accepted outside the 12 months without the discretion recorded.",
        breach_count=n - noted,
        numerator=noted,
        denominator=n,
    )


def no_bulk_refusals(period: Period) -> Evidence:
    """2.5: no blanket exclusions. Each refusal is made for one complaint (the engine has no bulk
    refusal); this looks for the trace of one made in bulk: two or more refusals of the same kind
    decided on the same day with the same explanation, word for word, as though the
    circumstances of each were not considered.

    Breach: any refusal of either kind decided in the period that still stands (as
    ``reporting.metrics.refusals`` counts them) sharing its day and its explanation with
    another. One query."""
    groups = list(
        Refusal.objects.filter(
            decided_on__range=(period.start, period.end), reversed_on__isnull=True
        )
        .values("kind", "decided_on", "explanation")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    total = sum(groups)
    alike = sum(n for n in groups if n > 1)
    statement = (
        f"{_n(total, 'refusal')} to accept or escalate in {period.label}, each made for one "
        "complaint; "
        + (
            f"{alike:,} share their day and their explanation word for word with another."
            if alike
            else "none shares its day and its explanation word for word with another."
        )
        if total
        else f"No complaint was refused or escalation declined in {period.label}."
    )
    return Evidence(
        ("2.5",),
        statement,
        "Any refusals decided the same day with the same explanation, word for word.",
        breach_count=alike,
        links=_drill(period, "Complaints not accepted", "not_accepted"),
    )


# --- Section 3: accessibility -----------------------------------------------------------------


def channels_in_use(period: Period) -> Evidence:
    """3.1: the channels complaints arrived by (``reporting.metrics.channels``: stage 1
    complaints received in the period). A fact, not a test: the record shows the channels
    residents used, not every channel offered.

    Breach: never. One query."""
    found = m.channels(period)
    values = {label: value for value, label in Channel.choices}
    total = sum(found.values())
    listed = ", ".join(f"{label.lower()} {n:,}" for label, n in found.items())
    statement = (
        f"{_n(total, 'stage 1 complaint')} received in {period.label} by "
        f"{_n(len(found), 'channel')}: {listed}."
        if total
        else f"No stage 1 complaint was received in {period.label}."
    )
    links: tuple[Link, ...] = ()
    for label in found:
        links += _drill(period, f"By {label.lower()}", f"channels.{values[label]}")
    return Evidence(
        ("3.1",),
        statement,
        "Not tested: the record shows the channels used, not those offered.",
        links=links,
    )


# --- Section 5: the complaint handling process ---------------------------------------------------


def _in_force_and_overdue(
    records, period: Period, day: dt.date, *, starts: str, ends: str, in_force_on_day: Q
) -> tuple[int, int]:
    """How many records (adjustments, restrictions) were in force at some time in the period,
    and how many of them were still in force on ``day`` with their review date passed. One
    query. ``in_force_on_day`` says how the record's own end date counts on that day."""
    found = records.filter(
        Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gte": period.start}),
        **{f"{starts}__lte": period.end},
    ).aggregate(
        n=Count("id"),
        overdue=Count(
            "id", filter=Q(**{f"{starts}__lte": day}, next_review_on__lt=day) & in_force_on_day
        ),
    )
    return found["n"], found["overdue"]


def adjustments_under_review(period: Period) -> Evidence:
    """5.10: reasonable adjustments are recorded and kept under review. Counted over the
    adjustments in force at some time in the period; one is overdue when it was in force on the
    period's end (today, while the period runs) and its review date had passed. An adjustment
    reviewed since has a later review date, so this reads the record as it stands.

    Breach: any adjustment overdue for review. One query."""
    day = _as_of(period)
    n, overdue = _in_force_and_overdue(
        ReasonableAdjustment.objects,
        period,
        day,
        starts="agreed_on",
        in_force_on_day=Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        ends="ended_on",
    )
    statement = (
        f"{_n(n, 'reasonable adjustment')} in force in {period.label}; {overdue:,} overdue for "
        f"review on {long_date(day)}."
        if n
        else f"No reasonable adjustment is recorded as in force in {period.label}."
    )
    return Evidence(
        ("5.10",),
        statement,
        "Any adjustment in force past its review date.",
        breach_count=overdue,
        numerator=n - overdue,
        denominator=n,
    )


def restrictions_reviewed(period: Period) -> Evidence:
    """5.14 and 5.15: restrictions on contact have their reasons, evidence and proportionality
    recorded (PutRight requires all three) and a review date, and are reviewed by it. Counted over
    restrictions in force at some time in the period; one is overdue when it was in force on the
    period's end (today, while the period runs) and its review date had passed.

    Breach: any restriction overdue for review. One query."""
    day = _as_of(period)
    n, overdue = _in_force_and_overdue(
        ContactRestriction.objects,
        period,
        day,
        starts="starts_on",
        in_force_on_day=Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        ends="ends_on",
    )
    statement = (
        f"{_n(n, 'restriction')} on contact in force in {period.label}, each with its reasons, "
        f"evidence and proportionality recorded; {overdue:,} overdue for review on "
        f"{long_date(day)}."
        if n
        else f"No restriction on contact was in force in {period.label}."
    )
    return Evidence(
        ("5.14", "5.15"),
        statement,
        "Any restriction in force past its review date.",
        breach_count=overdue,
        numerator=n - overdue,
        denominator=n,
    )


# --- Section 6: the stages ----------------------------------------------------------------------


def _acknowledgements(period: Period, stage: int, provision: str) -> Evidence:
    found = m.acknowledged(period, stage).aggregate(
        n=Count("id"), late=Count("id", filter=m.ACKNOWLEDGEMENT_SUBSETS["late"])
    )
    n, late = found["n"], found["late"]
    statement = (
        f"{n - late:,} of {_n(n, f'stage {stage} complaint')} acknowledged in {period.label} "
        f"{_were(n)} acknowledged within 5 working days; {late:,} late."
        if n
        else f"No stage {stage} complaint was acknowledged in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        "Any acknowledgement later than 5 working days after receipt.",
        breach_count=late,
        numerator=n - late,
        denominator=n,
        links=_drill(period, "Acknowledged late", f"stage{stage}.acknowledged.late")
        + _drill(period, "All acknowledged", f"stage{stage}.acknowledged"),
    )


def acknowledged_stage1(period: Period) -> Evidence:
    """6.2: stage 1 complaints acknowledged within 5 working days of receipt, over those
    acknowledged in the period (``reporting.metrics.acknowledged``, as the report counts them).

    Breach: any acknowledgement later than that. One query."""
    return _acknowledgements(period, 1, "6.2")


def acknowledged_stage2(period: Period) -> Evidence:
    """6.11: stage 2 requests acknowledged within 5 working days, as 6.2.

    Breach: any acknowledgement later than that. One query."""
    return _acknowledgements(period, 2, "6.11")


def _responses(period: Period, stage: int, provision: str) -> Evidence:
    found = m.responded(period, stage).aggregate(
        n=Count("id"), late=Count("id", filter=m.RESPONSE_SUBSETS["late"])
    )
    n, late = found["n"], found["late"]
    days = 10 if stage == 1 else 20
    statement = (
        f"{n - late:,} of {_n(n, f'stage {stage} response')} in {period.label} {_were(n)} within "
        f"the Code's timescales ({days} working days, or a valid extension); {late:,} late."
        if n
        else f"No stage {stage} response was sent in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        "Any response after its due date and after any extended date.",
        breach_count=late,
        numerator=n - late,
        denominator=n,
        links=_drill(period, "Late responses", f"stage{stage}.responded.late")
        + _drill(period, "All responses", f"stage{stage}.responded"),
    )


def responded_stage1(period: Period) -> Evidence:
    """6.3: stage 1 responses within 10 working days of acknowledgement or within a valid
    extension, over the responses dated in the period (``reporting.metrics.responded``).

    Breach: any late response (``reporting.metrics.LATE``). One query."""
    return _responses(period, 1, "6.3")


def responded_stage2(period: Period) -> Evidence:
    """6.14: stage 2 responses within 20 working days of acknowledgement, as 6.3.

    Breach: any late response. One query."""
    return _responses(period, 2, "6.14")


def _extensions(period: Period, stage: int):
    """The extensions whose notice the resident was given in the period, at one stage, not voided
    by a stage starting again."""
    return Extension.objects.filter(
        stage__number=stage,
        notice_on__range=(period.start, period.end),
        voided_on__isnull=True,
    )


BEYOND_CAP = Q(new_due__gt=F("stage__extension_cap"), good_reason="")
NOTICE_LATE = Q(notice_on__gt=F("previous_due"))
NO_REASON = Q(reason="")


def _extension_caps(period: Period, stage: int, provision: str) -> Evidence:
    found = _extensions(period, stage).aggregate(
        n=Count("id"), wrong=Count("id", filter=BEYOND_CAP | NOTICE_LATE | NO_REASON)
    )
    n, wrong = found["n"], found["wrong"]
    cap = 10 if stage == 1 else 20
    statement = (
        f"{_n(n, f'stage {stage} extension')} notified in {period.label}; {n - wrong:,} within "
        f"the cap of {cap} working days (or with a good reason recorded), with reasons, "
        "notified before the response was due" + (f"; {wrong:,} not." if wrong else ".")
        if n
        else f"No stage {stage} response was extended in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        f"Any extension past {cap} working days without a good reason, without reasons, or "
        "notified after the response was due.",
        breach_count=wrong,
        numerator=n - wrong,
        denominator=n,
        links=_drill(
            period, "Responses after an extension", f"stage{stage}.responded.after_extension"
        ),
    )


def extensions_stage1(period: Period) -> Evidence:
    """6.4: stage 1 extensions notified in the period are within the cap (10 working days past
    the original due date, or a good reason recorded), have reasons, and were notified before the
    response was due.

    Breach: any extension failing one of those. One query."""
    return _extension_caps(period, 1, "6.4")


def extensions_stage2(period: Period) -> Evidence:
    """6.15: stage 2 extensions, as 6.4 with a cap of 20 working days.

    Breach: any extension failing one of those. One query."""
    return _extension_caps(period, 2, "6.15")


def _extension_ombudsman(period: Period, stage: int, provision: str) -> Evidence:
    found = _extensions(period, stage).aggregate(
        n=Count("id"), given=Count("id", filter=Q(ombudsman_details_given=True))
    )
    n, given = found["n"], found["given"]
    statement = (
        f"The Ombudsman's details were given with {given:,} of "
        f"{_n(n, f'stage {stage} extension')} notified in {period.label}"
        + (f"; {n - given:,} without." if n - given else ".")
        if n
        else f"No stage {stage} response was extended in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        "Any extension notified without the Ombudsman's details.",
        breach_count=n - given,
        numerator=given,
        denominator=n,
        links=_drill(
            period, "Responses after an extension", f"stage{stage}.responded.after_extension"
        ),
    )


def extension_ombudsman_stage1(period: Period) -> Evidence:
    """6.5: every stage 1 extension notified in the period gave the Ombudsman's details.

    Breach: any that did not. One query."""
    return _extension_ombudsman(period, 1, "6.5")


def extension_ombudsman_stage2(period: Period) -> Evidence:
    """6.16: every stage 2 extension notified in the period gave the Ombudsman's details.

    Breach: any that did not. One query."""
    return _extension_ombudsman(period, 2, "6.16")


def _actions(period: Period, stage: int, provision: str) -> Evidence:
    today = clock.today()
    found = Action.objects.filter(
        stage__number=stage, stage__responded_on__range=(period.start, period.end)
    ).aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(status=Action.Status.DONE)),
        done_late=Count("id", filter=Q(status=Action.Status.DONE, completed_on__gt=F("due_on"))),
        overdue=Count("id", filter=Q(status=Action.Status.OPEN, due_on__lt=today)),
    )
    n, done, overdue = found["n"], found["done"], found["overdue"]
    statement = (
        f"{_n(n, 'outstanding action')} promised in the stage {stage} responses of "
        f"{period.label}: {done:,} done ({found['done_late']:,} after its date), "
        f"{n - done - overdue:,} open and not yet due, {overdue:,} open past its date on "
        f"{long_date(today)}."
        if n
        else f"No stage {stage} response in {period.label} promised an outstanding action."
    )
    return Evidence(
        (provision,),
        statement,
        "Any promised action still open after its date.",
        breach_count=overdue,
        numerator=n - overdue,
        denominator=n,
        links=(Link("Overdue actions", reverse("tracking:overdue"), TRACKER_PERMISSIONS),),
    )


def actions_stage1(period: Period) -> Evidence:
    """6.6: the outstanding actions promised in stage 1 responses dated in the period are
    tracked to completion: how many are done, open, and open past their date today.

    Breach: any still open after its date. One query."""
    return _actions(period, 1, "6.6")


def actions_stage2(period: Period) -> Evidence:
    """6.17: as 6.6, for stage 2 responses.

    Breach: any still open after its date. One query."""
    return _actions(period, 2, "6.17")


def _points(period: Period, stage: int, provision: str) -> Evidence:
    found = Point.objects.filter(
        stage__number=stage, stage__responded_on__range=(period.start, period.end)
    ).aggregate(n=Count("id"), decided=Count("decision"))
    n, decided = found["n"], found["decided"]
    statement = (
        f"{decided:,} of {_n(n, 'point')} of the complaint definitions answered at stage "
        f"{stage} in {period.label} {_were(n)} decided with reasons"
        + (f"; {n - decided:,} not." if n - decided else ".")
        if n
        else f"No stage {stage} response was sent in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        "Any point of a complaint definition with no decision in the response.",
        breach_count=n - decided,
        numerator=decided,
        denominator=n,
        links=_drill(period, "All responses", f"stage{stage}.responded"),
    )


def points_decided_stage1(period: Period) -> Evidence:
    """6.7: every point of the complaint definition decided, with reasons, over the points of
    the stage 1 responses dated in the period (the engine asks for a decision with reasons on
    every point; a point added after the response shows here).

    Breach: any point with no decision. One query."""
    return _points(period, 1, "6.7")


def points_decided_stage2(period: Period) -> Evidence:
    """6.18: as 6.7, for stage 2.

    Breach: any point with no decision. One query."""
    return _points(period, 2, "6.18")


def _letters(period: Period, stage: int, provision: str) -> Evidence:
    letter = IssuedLetter.objects.filter(
        complaint_id=OuterRef("complaint_id"),
        stage_number=stage,
        type_key=f"stage{stage}_response",
    )
    found = (
        m.responded(period, stage)
        .annotate(has_letter=Exists(letter))
        .aggregate(n=Count("id"), lettered=Count("id", filter=Q(has_letter=True)))
    )
    n, lettered = found["n"], found["lettered"]
    statement = (
        f"{lettered:,} of {_n(n, f'stage {stage} response')} in {period.label} {_were(n)} issued "
        "as letters through PutRight, each passing its check of the Code's elements (a letter "
        "that fails is not issued)"
        + (
            f"; {n - lettered:,} {_were(n - lettered)} recorded without a letter issued here, so "
            "the record cannot show what they said."
            if n - lettered
            else "."
        )
        if n
        else f"No stage {stage} response was sent in {period.label}."
    )
    return Evidence(
        (provision,),
        statement,
        "Not flagged: PutRight issues no letter that fails its check.",
        numerator=lettered,
        denominator=n,
        recorded=lettered > 0 or n == 0,
        links=_drill(period, "All responses", f"stage{stage}.responded"),
    )


def letters_stage1(period: Period) -> Evidence:
    """6.9: stage 1 responses in the period issued as letters that passed the Code's element
    checks (``putright.letters`` refuses to issue one that fails, so every letter on the record
    passed). A response recorded without a letter issued through PutRight cannot be checked.

    Breach: never shown (the record holds no letter that failed). One query."""
    return _letters(period, 1, "6.9")


def letters_stage2(period: Period) -> Evidence:
    """6.19: as 6.9, for stage 2 (final) responses.

    Breach: never shown. One query."""
    return _letters(period, 2, "6.19")


def stage2_independent(period: Period) -> Evidence:
    """6.13: stage 2 is considered by someone not involved at stage 1. Counted over the stage 2
    responses dated in the period. At stage 1, "involved" is, as ``complaints.selectors`` reads
    it: the stage 1 handler, whoever drafted or signed off its response, and whoever responded,
    drafted, signed off or returned a draft there (its history). At stage 2, "considered" is the
    handler, the drafter, the signer-off and whoever took one of those steps there. (An earlier
    stage 1 handler who took none of those steps is refused at allocation by the engine, and is
    not looked for here.)

    Breach: any stage 2 response considered by someone involved at stage 1. One query."""
    stage1 = Stage.objects.filter(complaint_id=OuterRef("complaint_id"), number=1)
    considering = ComplaintEvent.objects.filter(
        complaint_id=OuterRef("complaint_id"), action__in=CONSIDERING_ACTIONS
    )

    def involved_at_stage1(person: str) -> Q:
        """``person`` (a field of the stage 2 row) was involved at stage 1."""
        return (
            Q(**{person: F("s1_handler")})
            | Q(**{person: F("s1_drafted")})
            | Q(**{person: F("s1_signed")})
            | Q(Exists(considering.filter(stage_number=1, actor_id=OuterRef(person))))
        )

    stage2_steps = considering.filter(stage_number=2, actor__isnull=False).filter(
        Q(actor_id=OuterRef("s1_handler"))
        | Q(actor_id=OuterRef("s1_drafted"))
        | Q(actor_id=OuterRef("s1_signed"))
        | Q(
            Exists(
                ComplaintEvent.objects.filter(
                    complaint_id=OuterRef(OuterRef("complaint_id")),
                    stage_number=1,
                    action__in=CONSIDERING_ACTIONS,
                    actor_id=OuterRef("actor_id"),
                )
            )
        )
    )
    found = (
        m.responded(period, 2)
        .annotate(
            s1_handler=Subquery(stage1.values("handler_id")[:1]),
            s1_drafted=Subquery(stage1.values("drafted_by_id")[:1]),
            s1_signed=Subquery(stage1.values("signed_off_by_id")[:1]),
        )
        .annotate(
            is_conflicted=involved_at_stage1("handler_id")
            | involved_at_stage1("drafted_by_id")
            | involved_at_stage1("signed_off_by_id")
            | Q(Exists(stage2_steps))
        )
        .aggregate(n=Count("id"), conflicted=Count("id", filter=Q(is_conflicted=True)))
    )
    n, conflicted = found["n"], found["conflicted"]
    statement = (
        f"{n - conflicted:,} of {_n(n, 'stage 2 response')} in {period.label} {_were(n)} "
        "considered only by people not involved at stage 1"
        + (f"; {conflicted:,} by someone who was." if conflicted else ".")
        if n
        else f"No stage 2 response was sent in {period.label}."
    )
    return Evidence(
        ("6.13",),
        statement,
        "Any stage 2 response considered by someone involved at stage 1.",
        breach_count=conflicted,
        numerator=n - conflicted,
        denominator=n,
        links=_drill(period, "All stage 2 responses", "stage2.responded"),
    )


# --- Section 7: putting things right ------------------------------------------------------------


def remedies_by_kind(period: Period) -> Evidence:
    """7.1: where something went wrong, a remedy says what will be put right. The remedies of the
    responses dated in the period, by kind (Code 7.1's list), and the compensation paid in the
    period (``reporting.metrics.compensation``).

    Breach: any response in the period that upheld or partly upheld the complaint and recorded
    no remedy. Three queries."""
    responses = m.responded_any(period)
    kinds = dict(
        Remedy.objects.filter(stage__in=responses)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    found = (
        responses.filter(outcome__in=(Finding.UPHELD, Finding.PARTLY_UPHELD))
        .annotate(has_remedy=Exists(Remedy.objects.filter(stage_id=OuterRef("pk"))))
        .aggregate(n=Count("id"), remedied=Count("id", filter=Q(has_remedy=True)))
    )
    paid = m.compensation(period)
    labels = dict(RemedyKind.choices)
    listed = ", ".join(
        f"{labels[kind].lower()} {kinds[kind]:,}" for kind in RemedyKind.values if kinds.get(kind)
    )
    n, remedied = found["n"], found["remedied"]
    statement = (
        f"{_n(sum(kinds.values()), 'remedy', 'remedies')} recorded in the responses of "
        f"{period.label}" + (f": {listed}" if listed else "") + ". "
    )
    statement += (
        f"{remedied:,} of {_n(n, 'response')} upholding a complaint in whole or part recorded a "
        f"remedy; {n - remedied:,} did not. "
        if n
        else "No response upheld a complaint in whole or part. "
    )
    statement += (
        f"{_n(paid.payments, 'compensation payment')} made, £{paid.total_pence / 100:,.2f} in all."
    )
    return Evidence(
        ("7.1",),
        statement,
        "Any response upholding a complaint, in whole or part, with no remedy recorded.",
        breach_count=n - remedied,
        numerator=remedied,
        denominator=n,
        links=_drill(period, "Upheld at stage 1", "stage1.outcome.upheld")
        + _drill(period, "Partly upheld at stage 1", "stage1.outcome.partly_upheld")
        + (Link("Compensation register", reverse("redress:register"), REGISTER_PERMISSIONS),),
    )


# --- Sections 8 and 9: reporting and oversight --------------------------------------------------


def annual_report_published(period: Period) -> Evidence:
    """8.1 and 8.2: the annual complaints performance and service improvement report, reported to
    the governing body and published with its response. The report for the period's reporting
    year comes after the year (this self-assessment is part of it), so the one checked for a
    breach is the year before's: where PutRight holds it, it should be published, with the
    governing body's response (PutRight refuses to publish an annual report without one).

    Breach: the year before's annual report started in PutRight but never published, or a
    published one without the governing body's response. One query."""
    year = period.reporting_year
    rows = list(
        Edition.objects.filter(kind=EditionKind.ANNUAL, reporting_year__in=(year - 1, year))
        .order_by("reporting_year", "-version")
        .values("reporting_year", "version", "status", "response", "published_at")
    )

    def latest(y: int, status: str | None = None) -> dict | None:
        return next(
            (r for r in rows if r["reporting_year"] == y and status in (None, r["status"])), None
        )

    def said(y: int) -> tuple[str, int]:
        """What the record holds for year ``y``'s report, and 1 where it shows a breach."""
        label = year_label(y)
        published = latest(y, EditionStatus.PUBLISHED)
        if published is not None:
            when = long_date(timezone.localdate(published["published_at"]))
            if published["response"].strip():
                return (
                    f"The annual report for {label} was published on {when} (version "
                    f"{published['version']}) with the governing body's response.",
                    0,
                )
            return (
                f"The annual report for {label} was published on {when} without the governing "
                "body's response.",
                1,
            )
        if latest(y) is not None:
            # Only the year before's is due by now: this year's follows the assessment.
            return f"The annual report for {label} is a draft, not yet published.", int(y < year)
        return f"PutRight holds no annual report for {label}.", 0

    before, breach_before = said(year - 1)
    this, breach_this = said(year)
    return Evidence(
        ("8.1", "8.2"),
        f"{before} {this}",
        "The year before's report left unpublished, or published without the governing body's "
        "response.",
        breach_count=breach_before + breach_this,
        recorded=bool(rows),
        links=(Link("Reports", reverse("reporting:editions"), EDITIONS_PERMISSIONS),),
    )


def board_reports(period: Period) -> Evidence:
    """9.7: the governing body receives regular reports: a quarterly board report published for
    each quarter of the period's reporting year that has ended (by today). Where PutRight holds
    no quarterly board report at all, they are kept elsewhere: not recorded, not a breach.

    Breach: any ended quarter with no published board report. Two queries (three when none is
    held for the year)."""
    organisation = get_organisation()
    year = period.reporting_year
    start, _ = organisation.reporting_year_bounds(year)
    today = clock.today()
    ended = []
    for number in (1, 2, 3, 4):
        month = start.month + 3 * number  # the first month after the quarter
        after = dt.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        if after <= today:
            ended.append(number)
    rows = list(
        Edition.objects.filter(kind=EditionKind.QUARTER, reporting_year=year).values_list(
            "quarter", "status"
        )
    )
    published = {quarter for quarter, status in rows if status == EditionStatus.PUBLISHED}
    missing = [q for q in ended if q not in published]
    label = year_label(year)
    rule = "Any quarter that has ended with no published board report."
    links = (Link("Reports", reverse("reporting:editions"), EDITIONS_PERMISSIONS),)
    if not rows and not Edition.objects.filter(kind=EditionKind.QUARTER).exists():
        return Evidence(
            ("9.7",),
            "PutRight holds no quarterly board reports, so the record cannot show what the "
            "governing body received.",
            rule,
            recorded=False,
            links=links,
        )
    if not ended:
        statement = f"No quarter of {label} has ended yet."
    else:
        statement = (
            f"Board reports published for {len(ended) - len(missing)} of the {len(ended)} "
            f"quarters of {label} that have ended"
            + (f"; none for {', '.join(f'Q{q}' for q in missing)}." if missing else ".")
        )
    return Evidence(
        ("9.7",),
        statement,
        rule,
        breach_count=len(missing),
        numerator=len(ended) - len(missing),
        denominator=len(ended),
        links=links,
    )


# --- the register ---------------------------------------------------------------------------------

GROUPS: dict[str, list[tuple[tuple[str, ...], Callable[[Period], Evidence]]]] = {
    "2024": [
        (("1.4",), service_requests_reviewed),
        (("1.6",), surveys_offer_choice),
        (("2.1", "2.4"), refusals_with_reasons),
        (("2.3",), outside_time_limit_discretion),
        (("2.5",), no_bulk_refusals),
        (("3.1",), channels_in_use),
        (("5.10",), adjustments_under_review),
        (("5.11",), escalation_refusals_with_reasons),
        (("5.14", "5.15"), restrictions_reviewed),
        (("6.2",), acknowledged_stage1),
        (("6.3",), responded_stage1),
        (("6.4",), extensions_stage1),
        (("6.5",), extension_ombudsman_stage1),
        (("6.6",), actions_stage1),
        (("6.7",), points_decided_stage1),
        (("6.9",), letters_stage1),
        (("6.11",), acknowledged_stage2),
        (("6.13",), stage2_independent),
        (("6.14",), responded_stage2),
        (("6.15",), extensions_stage2),
        (("6.16",), extension_ombudsman_stage2),
        (("6.17",), actions_stage2),
        (("6.18",), points_decided_stage2),
        (("6.19",), letters_stage2),
        (("7.1",), remedies_by_kind),
        (("8.1", "8.2"), annual_report_published),
        (("9.7",), board_reports),
    ]
}
"""Per Code version: the provisions each function evidences."""

EVIDENCE: dict[str, dict[str, Callable[[Period], Evidence]]] = {
    version: {number: function for numbers, function in groups for number in numbers}
    for version, groups in GROUPS.items()
}
"""Per Code version: provision number -> the function that evidences it."""


def evidence_for(assessment: Any) -> dict[str, Evidence]:
    """Every evidenced provision of the assessment's Code, for its period: provision number ->
    ``Evidence``. Each function runs once (a group's provisions share its result), so the
    queries are fixed by ``GROUPS``, whatever the number of complaints."""
    groups = GROUPS.get(assessment.code_version, [])
    if not groups:
        return {}
    period = period_of(assessment)
    found: dict[str, Evidence] = {}
    for numbers, function in groups:
        evidence = function(period)
        for number in numbers:
            found[number] = evidence
    return found


def evidence_for_provision(assessment: Any, provision: str) -> Evidence | None:
    """One provision's evidence for the assessment's period, or None where the record cannot
    evidence it."""
    function = EVIDENCE.get(assessment.code_version, {}).get(provision)
    return function(period_of(assessment)) if function else None


# --- the rule: a "yes" against a breach addresses the figure --------------------------------------


def addresses_figure(commentary: str, figure: int) -> bool:
    """Whether ``commentary`` addresses the figure: it gives the number of breaches as a whole
    number, written plainly or with thousands separators ("12", "1,200" or "1200"), not as part
    of another number ("112", "12.5") — a simple, checkable test of having read the figure."""
    text = commentary or ""
    for written in {str(figure), f"{figure:,}"}:
        if re.search(rf"(?<![\d.,]){re.escape(written)}(?![\d]|[.,]\d)", text):
            return True
    return False


def check_answer(*, assessment: Any, provision: str, comply: str, commentary: str) -> None:
    """Refuse a "yes" for a provision whose evidence, computed now for the assessment's period,
    shows a breach, unless the commentary addresses the figure (``addresses_figure``): the
    landlord may still judge that it complies, but says why, in view of the number."""
    if comply != "yes":
        return
    evidence = evidence_for_provision(assessment, provision)
    if evidence is None or not evidence.breach:
        return
    if addresses_figure(commentary, evidence.breach_count):
        return
    raise StepRefused(
        "evidence_shows_breach",
        f"The record shows a breach of {provision}: {evidence.statement} To answer yes, explain "
        f"in the commentary why you comply all the same, and give the figure "
        f"({evidence.breach_count:,}) in it.",
        field="commentary",
        provision=provision,
        figure=evidence.breach_count,
    )

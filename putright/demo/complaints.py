"""Demo step: two reporting years of complaints, made through the real complaint services.

About 40 stage 1 complaints per 1,000 homes a year, received on working days from the start of
the demo period to a couple of weeks before ``as_at``. Each comes from a resident holding a
tenancy on the day it was received (the home and its tenure are taken from that tenancy) and is
then taken step by step through ``putright.complaints.services``: logged, acknowledged (a share
late), sometimes extended (once, a few twice, always inside the cap with the Ombudsman's details
given), responded to (mostly on time), a share escalated to stage 2 and handled there by a quality
reviewer who had no part in stage 1, and a few withdrawn. A step that would fall after ``as_at``
(or after today) is not taken, so recent complaints are left open at an earlier step.

Unlike the bulk-loaded people, every complaint has its full case history, because each step is
a service call with its own event.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from putright.accounts.roles import CASE_HANDLER, COMPLAINTS_MANAGER, QUALITY_REVIEWER
from putright.complaints import deadlines, services
from putright.complaints.models import Channel, Complaint, Finding, RootCause, Stage, Status
from putright.organisation.models import Category
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
    exclusion_reasons,
)
from putright.people.models import Property, Resident

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

LONDON = ZoneInfo("Europe/London")
PER_THOUSAND_HOMES_A_YEAR = 40
QUIET_DAYS_BEFORE_AS_AT = 14  # no complaints received in the last two weeks

CATEGORY_MIX = {  # top-level category name: weight; other seeded categories get a little
    "Repairs": 40,
    "Damp and mould": 10,
    "Estate and neighbourhood": 8,
    "Anti-social behaviour handling": 7,
    "Staff conduct": 6,
    "Charges and rent": 6,
    "Communication": 6,
    "Moving home": 3,
    "Building safety": 3,
    "Home ownership": 3,
    "Defects": 2,
    "Complaint handling": 2,
}
CHANNEL_MIX = {
    Channel.EMAIL: 75,
    Channel.PHONE: 12,
    Channel.WEB_FORM: 5,
    Channel.LETTER: 3,
    Channel.IN_PERSON: 2,
    Channel.MP_OR_COUNCILLOR: 3,
}
ACK_LATE = 0.10
EXTEND_ONCE = 0.15
EXTEND_TWICE = 0.03  # of all stage 1 complaints (a share of those extended)
RESPOND_LATE = 0.08
ESCALATE = 0.23  # of stage 1 responses
WITHDRAW = 0.03
STAGE2_EXTEND = 0.10
STAGE2_LATE = 0.06
NOT_ACCEPT = 0.04  # not accepted shortly after logging, for a reason in the policy
STAGE1_OUTCOMES = {Finding.UPHELD: 45, Finding.PARTLY_UPHELD: 30, Finding.NOT_UPHELD: 25}
STAGE2_OUTCOMES = {Finding.UPHELD: 25, Finding.PARTLY_UPHELD: 30, Finding.NOT_UPHELD: 45}
POINT_COUNTS = {1: 50, 2: 35, 3: 15}

# Points of complaint as (summary, outcome sought), by top-level category.
POINTS = {
    "Repairs": (
        ("The repair was not done within the target time.", "Complete the repair this month."),
        ("The contractor missed the appointment.", "Pay for the day off work I lost."),
        ("The repair was poor and had to be redone.", "Have it put right by a supervisor."),
        ("I was not kept updated about the repair.", "Regular updates until it is done."),
    ),
    "Damp and mould": (
        ("Mould keeps coming back in the bedroom.", "Find and fix the cause of the damp."),
        ("The damp report was not acted on.", "Carry out the surveyor's recommendations."),
        ("Belongings were ruined by the mould.", "Compensation for the damaged items."),
    ),
    "Estate and neighbourhood": (
        ("Communal areas are not being cleaned.", "Cleaning to the published schedule."),
        ("Fly-tipping was left for weeks.", "Remove it and check the estate weekly."),
    ),
    "Anti-social behaviour handling": (
        ("My reports of noise were not followed up.", "An action plan with named contact."),
        ("I was not told what action was taken.", "Be kept informed of progress."),
    ),
    "Staff conduct": (
        ("A member of staff was rude on the phone.", "An apology and staff training."),
        ("An officer did not do what they promised.", "The promised action carried out."),
    ),
    "Charges and rent": (
        ("My service charge bill is wrong.", "Correct the bill and refund the overcharge."),
        ("Arrears letters were sent in error.", "Withdraw the letters and an apology."),
    ),
    "Communication": (
        ("Calls and emails went unanswered.", "A named person who replies within a week."),
        ("I was given conflicting information.", "A clear written explanation."),
    ),
}
GENERIC_POINTS = (
    ("Nobody replied to my contacts.", "A proper reply and an apology."),
    ("The problem has gone on for months.", "Sort the problem out for good."),
    ("I was promised a call back that never came.", "Compensation for my time and trouble."),
    ("The matter was handled badly.", "Review how it was handled."),
)
REASONS = {
    Finding.UPHELD: (
        "Our records confirm the service fell short of our standards.",
        "We accept we did not do what we said we would, when we said we would.",
    ),
    Finding.PARTLY_UPHELD: (
        "Some delay was ours, but part of it was caused by access not being available.",
        "We got part of this wrong, but the rest was handled in line with our policy.",
    ),
    Finding.NOT_UPHELD: (
        "Our records show the work was done on time and to standard.",
        "We acted in line with our policy and the tenancy agreement.",
    ),
}
REMEDIES = (  # (kind, description, amount in pence)
    ("compensation", "For time and trouble.", 5000),
    ("compensation", "For the delay in completing the work.", 10000),
    ("compensation", "Refund of the amount overcharged.", 4250),
    ("compensation", "For distress and inconvenience.", 15000),
    ("repair", "The outstanding work completed.", None),
    ("explanation", "A full explanation of what went wrong and why.", None),
)
OUTSTANDING_ACTIONS = (
    "Follow-up inspection to be booked within 20 working days.",
    "Contractor to return to complete the remaining work.",
    "Team manager to review the case notes with the officer.",
)
CAUSES_BY_FINDING = (
    RootCause.DELAY,
    RootCause.FAILURE_TO_ACT,
    RootCause.QUALITY_OF_WORK,
    RootCause.COMMUNICATION,
    RootCause.STAFF_CONDUCT,
    RootCause.POLICY,
)

DESCRIPTIONS = {
    "Repairs": (
        "I reported a leaking pipe under the kitchen sink weeks ago and nobody has come.",
        "The contractor did not turn up for the appointment and I took the day off work.",
        "The new boiler keeps losing pressure and we have had no heating for days.",
        "The repair to the bathroom ceiling was done badly and it is coming down again.",
    ),
    "Damp and mould": (
        "There is black mould in the children's bedroom and it keeps coming back.",
        "The damp in the living room wall has not been looked at since I first reported it.",
        "The mould wash did not work; the wall is wet again and my asthma is worse.",
    ),
}
GENERIC_DESCRIPTIONS = (
    "I have contacted you several times about this and nobody has got back to me.",
    "I am unhappy with how my enquiry was handled and want it looked at properly.",
    "I was promised a call back and it never happened.",
    "The problem has gone on for months and it is affecting my family.",
)
EXTENSION_REASONS = (
    "We are waiting for a surveyor's report before we can respond fully.",
    "A contractor's inspection is booked and we need its findings to respond.",
    "The complaint covers several services and we need more time to gather their records.",
)


def _weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Flow:
    """Takes one complaint through the services, stopping at the first step after the limit."""

    def __init__(self, limit: dt.date):
        self.cal = current_calendar()
        self.ts = current_timescales()
        self.limit = limit

    def ok(self, day: dt.date) -> bool:
        return day <= self.limit

    def working_day_between(self, rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
        """A working day in [first, last], or first when there is none after it."""
        span = self.cal.between(first, last)
        if span <= 0:
            return first
        return self.cal.add(first, rng.randint(0 if self.cal.is_working_day(first) else 1, span))

    def acknowledge(
        self, rng, complaint, handler, stage: int, received: dt.date, points: list
    ) -> dt.date | None:
        ack_due = deadlines.stage_acknowledgement_due(self.cal, self.ts, stage, received)
        if rng.random() < ACK_LATE:
            on = self.cal.add(ack_due, rng.randint(1, 4))
        else:
            on = self.working_day_between(rng, received, ack_due)
        if not self.ok(on):
            return None
        services.stage_acknowledge(
            acting_user=handler, complaint=complaint, stage=stage, on=on, points=points
        )
        return on

    def extend_and_respond(
        self,
        rng,
        complaint,
        handler,
        stage: int,
        received: dt.date,
        acked: dt.date,
        extensions: int,
        late: bool,
        response: dict,
        signer,
    ) -> dt.date | None:
        ack_due = deadlines.stage_acknowledgement_due(self.cal, self.ts, stage, received)
        due, _on_time, cap = deadlines.stage_response_dates(
            self.cal, self.ts, stage, acked, ack_due
        )
        current, start = due, acked
        for number in range(extensions):
            room = self.cal.between(current, cap)
            if room <= 0:
                break
            notice = self.working_day_between(rng, self.cal.add(start, 1), current)
            notice = min(notice, current)
            if not self.ok(notice):
                return self.draft_only(rng, complaint, handler, acked, current, response)
            # The first extension leaves room inside the cap for a second.
            step = rng.randint(1, max(1, room // 2)) if number == 0 and extensions > 1 else None
            new_due = self.cal.add(current, step or rng.randint(max(1, room // 2), room))
            services.stage_extend(
                acting_user=handler,
                complaint=complaint,
                new_due=new_due,
                reason=rng.choice(EXTENSION_REASONS),
                notice_on=notice,
                ombudsman_details_given=True,
            )
            current, start = new_due, notice
        if late:
            on = self.cal.add(current, rng.randint(1, 8))
        else:
            on = self.working_day_between(rng, self.cal.add(acked, 1), current)
        if not self.ok(on):
            return self.draft_only(rng, complaint, handler, acked, current, response)
        # Drafted, checked by someone else, then issued (the organisation's sign-off setting).
        drafted = self.working_day_between(rng, acked, on)
        signed = self.working_day_between(rng, drafted, on)
        self.draft(complaint, handler, drafted, on, response)
        services.response_sign_off(acting_user=signer, complaint=complaint, on=signed)
        services.stage_respond(acting_user=handler, complaint=complaint, on=on)
        return on

    def content(self, response: dict, handler, issue_on: dt.date) -> dict:
        """The response with each action's due date counted from the day it is issued."""
        actions = [
            {
                "description": a["description"],
                "owner": handler,
                "due_on": self.cal.add(issue_on, a["due_in"]),
            }
            for a in response.get("actions", ())
        ]
        return {**response, "actions": actions}

    def draft(self, complaint, handler, drafted: dt.date, issue_on: dt.date, response: dict):
        services.response_draft_submit(
            acting_user=handler,
            complaint=complaint,
            on=drafted,
            **self.content(response, handler, issue_on),
        )

    def draft_only(self, rng, complaint, handler, acked, due, response) -> None:
        """A response not yet issued by the limit may already be drafted, awaiting its check."""
        if self.ok(acked) and complaint.status != Status.RECEIVED:
            drafted = self.working_day_between(rng, acked, min(due, self.limit))
            if self.ok(drafted) and drafted >= acked:
                self.draft(complaint, handler, drafted, self.limit, response)
        return None


def _describe(rng: random.Random, category: Category | None) -> str:
    name = category.name if category else ""
    return rng.choice(DESCRIPTIONS.get(name, GENERIC_DESCRIPTIONS))


def _points(rng: random.Random, category: Category | None) -> list[tuple[str, str]]:
    options = POINTS.get(category.name if category else "", GENERIC_POINTS)
    count = min(_weighted(rng, POINT_COUNTS), len(options))
    return rng.sample(options, count)


def _findings(rng: random.Random, outcome: str, count: int) -> list[str]:
    """Point findings whose derived stage outcome is ``outcome``."""
    if outcome != Finding.PARTLY_UPHELD:
        return [outcome] * count
    if count == 1:
        return [Finding.PARTLY_UPHELD]
    findings = [rng.choice(Finding.values) for _ in range(count)]
    findings[rng.randrange(count)] = Finding.PARTLY_UPHELD
    return findings


def _response(rng: random.Random, outcome: str, count: int) -> dict:
    """The ``stage_respond`` arguments deciding ``count`` points to give ``outcome``."""
    findings = _findings(rng, outcome, count)
    decisions = {n: (f, rng.choice(REASONS[f])) for n, f in enumerate(findings, start=1)}
    found = [f for f in findings if f != Finding.NOT_UPHELD]
    response: dict = {"decisions": decisions}
    if found:
        remedies = [("apology", "A written apology.", None), *rng.sample(REMEDIES, 1)]
        response["remedies"] = [
            {"kind": kind, "description": text, "amount_pence": pence}
            for kind, text, pence in remedies
        ]
        response["root_causes"] = rng.sample(CAUSES_BY_FINDING, rng.randint(1, 2))
        if rng.random() < 0.4:
            # Due a number of working days after the response; dated when it is issued.
            response["actions"] = [
                {"description": rng.choice(OUTSTANDING_ACTIONS), "due_in": rng.randint(5, 30)}
            ]
    return response


def make_complaints(generator: DemoGenerator) -> None:
    from putright.demo.organisation import reporting_period

    rng = generator.rng_for("complaints")
    period = generator.results.get("period") or reporting_period(generator)
    people = generator.results["people"]
    by_role = generator.results["staff_by_role"]
    handlers, reviewers = by_role[CASE_HANDLER], by_role[QUALITY_REVIEWER]
    # Signs off stage 2 responses: never involved at stage 1 (Code 6.13).
    stage2_signer = by_role[COMPLAINTS_MANAGER][0]

    limit = min(period.as_at, timezone.localdate())  # services refuse future dates
    flow = _Flow(limit)
    cal = flow.cal
    first = period.first_day
    last = limit - dt.timedelta(days=QUIET_DAYS_BEFORE_AS_AT)
    homes = len(people.property_ids)
    days = (last - first).days + 1
    total = round(homes / 1000 * PER_THOUSAND_HOMES_A_YEAR * days / 365.25) if days > 0 else 0

    working_days = [first + dt.timedelta(days=n) for n in range(max(days, 0))]
    working_days = [d for d in working_days if cal.is_working_day(d)]
    received = sorted(rng.choice(working_days) for _ in range(total)) if working_days else []

    # Top-level categories with their sub-categories, by name.
    tops = {c.name: c for c in Category.objects.filter(parent=None, is_active=True)}
    children: dict[int, list[Category]] = {}
    for child in Category.objects.filter(parent__in=tops.values(), is_active=True):
        children.setdefault(child.parent_id, []).append(child)
    category_mix = {tops[name]: w for name, w in CATEGORY_MIX.items() if name in tops}
    others = [c for name, c in sorted(tops.items()) if name not in CATEGORY_MIX]
    for category in others:
        category_mix[category] = 2

    # Choose each complainant from the tenancies running on the day (ordered, so repeatable).
    tenancies = sorted(people.tenancies, key=lambda t: (t[3], t[0], t[1]))
    chosen: list[tuple[dt.date, tuple]] = []
    for day in received:
        for _ in range(200):
            tenancy = rng.choice(tenancies)
            if tenancy[3] <= day and (tenancy[4] is None or tenancy[4] >= day):
                chosen.append((day, tenancy))
                break
    residents = Resident.objects.in_bulk({t[0] for _, t in chosen})
    properties = Property.objects.in_bulk({t[1] for _, t in chosen})

    acceptance_reasons = list(exclusion_reasons("acceptance").order_by("code"))

    stats: Counter = Counter()
    complaint_ids: list[int] = []
    for day, (resident_id, property_id, tenure, _start, _end) in chosen:
        handler = rng.choice(handlers)
        category = _weighted(rng, category_mix) if category_mix else None
        subs = children.get(category.pk, []) if category else []
        sub_category = rng.choice(subs) if subs else None
        received_at = dt.datetime.combine(
            day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=LONDON
        )
        complaint = services.complaint_log(
            acting_user=handler,
            complainant=residents[resident_id],
            channel=_weighted(rng, CHANNEL_MIX),
            received_at=received_at,
            description=_describe(rng, category),
            property=properties[property_id],
            tenure_at_receipt=tenure,
            category=category,
            sub_category=sub_category,
            is_vulnerable=rng.random() < 0.08,
            handler=handler,
        )
        complaint_ids.append(complaint.pk)
        # Draw every choice up front so a complaint's fate does not depend on the limit.
        roll = rng.random()
        extensions = 2 if roll < EXTEND_TWICE else 1 if roll < EXTEND_ONCE else 0
        late = rng.random() < RESPOND_LATE
        withdraw = rng.random() < WITHDRAW
        escalate = rng.random() < ESCALATE
        escalate_after = rng.randint(1, 18)
        reviewer = rng.choice(reviewers)
        stage2_extensions = 1 if rng.random() < STAGE2_EXTEND else 0
        stage2_late = rng.random() < STAGE2_LATE
        not_accept = rng.random() < NOT_ACCEPT and bool(acceptance_reasons)
        outcome1 = _weighted(rng, STAGE1_OUTCOMES)
        outcome2 = _weighted(rng, STAGE2_OUTCOMES)
        step_rng = random.Random(rng.random())
        text_rng = random.Random(rng.random())
        points = _points(text_rng, category)
        response1 = _response(text_rng, outcome1, len(points))
        points2 = text_rng.sample(points, text_rng.randint(1, len(points)))
        response2 = _response(text_rng, outcome2, len(points2))

        if not_accept:
            reason = text_rng.choice(acceptance_reasons)
            on = flow.working_day_between(step_rng, day, cal.add(day, 5))
            if flow.ok(on):
                services.complaint_not_accept(
                    acting_user=handler,
                    complaint=complaint,
                    reason=reason,
                    explanation=f"The complaint falls under our policy: {reason.label}.",
                    evidence="Case notes and the resident's account checked against our records.",
                    resident_told_on=on,
                    ombudsman_rights_given=True,
                    evidence_date=(day - dt.timedelta(days=text_rng.randint(400, 700)))
                    if reason.requires_date_evidence
                    else None,
                    on=on,
                )
                stats["not_accepted"] += 1
            continue
        acked = flow.acknowledge(step_rng, complaint, handler, 1, day, points)
        if acked is None:
            continue
        stats["acknowledged"] += 1
        stats["ack_on_time"] += acked <= deadlines.stage_acknowledgement_due(cal, flow.ts, 1, day)
        if withdraw:
            on = cal.add(acked, step_rng.randint(1, 10))
            if flow.ok(on):
                services.complaint_withdraw(
                    acting_user=handler,
                    complaint=complaint,
                    reason="The resident said the matter had been sorted out.",
                    on=on,
                )
            continue
        signer = next(r for r in reviewers if r != reviewer)
        responded = flow.extend_and_respond(
            step_rng, complaint, handler, 1, day, acked, extensions, late, response1, signer
        )
        if responded is None or not escalate:
            continue
        escalated = cal.add(responded, escalate_after)
        if not flow.ok(escalated):
            continue
        services.complaint_escalate(acting_user=handler, complaint=complaint, on=escalated)
        services.complaint_allocate(
            acting_user=reviewer, complaint=complaint, handler=reviewer, stage=2, on=escalated
        )
        acked2 = flow.acknowledge(step_rng, complaint, reviewer, 2, escalated, points2)
        if acked2 is None:
            continue
        flow.extend_and_respond(
            step_rng,
            complaint,
            reviewer,
            2,
            escalated,
            acked2,
            stage2_extensions,
            stage2_late,
            response2,
            stage2_signer,
        )

    closed = services.complaints_close_unescalated_sweep(on=limit) if complaint_ids else 0

    statuses = Counter(
        Complaint.objects.filter(pk__in=complaint_ids).values_list("status", flat=True)
    )
    responded1 = sum(  # closed here means closed unescalated after a stage 1 response
        statuses[s]
        for s in (
            Status.STAGE1_RESPONDED,
            Status.CLOSED,
            Status.STAGE2_OPEN,
            Status.STAGE2_RESPONDED,
        )
    )
    escalated_n = statuses[Status.STAGE2_OPEN] + statuses[Status.STAGE2_RESPONDED]
    generator.results["complaints"] = {"count": len(chosen), "statuses": dict(statuses)}
    by_status = ", ".join(
        f"{Status(s).label.lower()} {n:,}" for s, n in sorted(statuses.items()) if n
    )
    escalation = escalated_n / responded1 if responded1 else 0
    on_time = stats["ack_on_time"] / stats["acknowledged"] if stats["acknowledged"] else 0
    outcomes = Counter(
        Stage.objects.filter(complaint_id__in=complaint_ids, number=1)
        .exclude(outcome="")
        .values_list("outcome", flat=True)
    )
    decided = sum(outcomes.values())
    mix = (
        ", ".join(f"{Finding(f).label.lower()} {outcomes[f] / decided:.0%}" for f in Finding.values)
        if decided
        else "none decided"
    )
    generator.say(
        f"Complaints: {len(chosen):,} logged through the services since {first.day} "
        f"{first:%B %Y} ({by_status}); escalated to stage 2 {escalation:.0%} of stage 1 "
        f"responses; acknowledged on time {on_time:.0%}; stage 1 outcomes {mix}; "
        f"not accepted {stats['not_accepted']:,}; closed without escalation {closed:,}."
    )

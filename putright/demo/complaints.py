"""Demo step: two reporting years of complaints and a live caseload, made through the services.

About 70 stage 1 complaints per 1,000 homes a year (the rate the reference landlords' annual
complaints reports show), received on working days from the start of the demo period up to and
including ``as_at``. Each comes from a resident holding a tenancy on the day it was received (the
home and its tenure are taken from that tenancy).

It works in two passes:

1. **Plan.** Every complaint's whole life is drawn up front as dated steps (``_Plan``): logged
   (a share from the shared inbox with nobody handling it yet, allocated one to three working
   days later),
   acknowledged with its points of complaint (a share late), sometimes extended, drafted, signed
   off by someone else and issued (mostly on time), its promised actions done (mostly on time),
   then closed when the escalation window passes, or escalated to stage 2 and handled there by a
   reviewer who had no part in stage 1; a few are not accepted or withdrawn. The plan does not
   depend on ``as_at``, so the same seed gives the same complaints whatever the date.
2. **Play.** Each complaint's steps dated on or before ``as_at`` are taken through
   ``putright.complaints.services``, in date order; later steps are not, which leaves recent
   complaints open at an earlier step: the live caseload.

Between the two, the plan is read as it stands on ``as_at`` (``_standing``, the same rules as
``complaints.standing``) and, for any kind of live work still missing (a small landlord may have
none due today), a complaint is added that shows it (``_live_work``): unallocated and
unacknowledged complaints, responses due today or overdue, extensions, drafts waiting for their
quality check that each reviewer may sign off, breaches this month, stage 2 cases, refusals,
withdrawals, promised actions open and overdue, and for each demo handler and reviewer
something of their own. At the default scale the background alone shows nearly all of them; the
demo says which it added.

Unlike the bulk-loaded people, every complaint has its full case history, because each step is
a service call with its own event.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from putright.accounts.roles import CASE_HANDLER, COMPLAINTS_MANAGER, QUALITY_REVIEWER
from putright.casework.selectors.queues import DUE_SOON_WORKING_DAYS
from putright.complaints import deadlines, services
from putright.complaints.models import Action, Channel, Complaint, Finding, RootCause, Stage
from putright.complaints.models import Status as S
from putright.complaints.standing import OPEN_STATES
from putright.core import clock
from putright.demo.redress import compensation_amount
from putright.letters import services as letters
from putright.letters.models import IssuedLetter
from putright.letters.versions import wording_in_use
from putright.organisation.models import BusinessArea, Category
from putright.organisation.selectors import (
    current_calendar,
    current_timescales,
    exclusion_reasons,
    get_organisation,
)
from putright.people.models import Property, Resident

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

LONDON = ZoneInfo("Europe/London")
PER_THOUSAND_HOMES_A_YEAR = 70

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
# The part of the landlord that answers for each category (the seeded business areas), so the
# reports can show timeliness by business area; derived, so it draws nothing from the seed.
BUSINESS_AREA_OF = {
    "Repairs": "Repairs and maintenance",
    "Damp and mould": "Repairs and maintenance",
    "Defects": "Repairs and maintenance",
    "Estate and neighbourhood": "Housing management",
    "Anti-social behaviour handling": "Housing management",
    "Home ownership": "Housing management",
    "Charges and rent": "Income and service charges",
    "Moving home": "Lettings and allocations",
    "Building safety": "Asset management and compliance",
    "Communication": "Customer services",
    "Staff conduct": "Customer services",
    "Complaint handling": "Customer services",
}
CHANNEL_MIX = {
    Channel.EMAIL: 75,
    Channel.PHONE: 12,
    Channel.WEB_FORM: 5,
    Channel.LETTER: 3,
    Channel.IN_PERSON: 2,
    Channel.MP_OR_COUNCILLOR: 3,
}
LOGGED_UNALLOCATED = 0.3  # from the shared inbox: nobody handles it until the manager allocates
ALLOCATION_DAYS = (1, 3)  # working days from receipt (or escalation) to allocation
ACK_LATE = 0.10
EXTEND_ONCE = 0.15
EXTEND_TWICE = 0.03  # of all stage 1 complaints (a share of those extended)
RESPOND_LATE = 0.08
QUALITY_CHECK_DAYS = (1, 3)  # working days from the draft to its sign-off
ESCALATE = 0.23  # of stage 1 responses
ESCALATE_LATE = 0.1  # of escalations: asked for after the window closed, re-opening it
WITHDRAW = 0.03
STAGE2_EXTEND = 0.10
STAGE2_LATE = 0.06
STAGE1_SIGNED_BY_MANAGER = 0.2  # otherwise by the reviewer who will not handle any stage 2
NOT_ACCEPT = 0.04  # not accepted shortly after logging, for a reason in the policy
ACTION_PROMISED = 0.4  # of responses upholding something
ACTION_DONE_ON_TIME = 0.8
ACTION_DONE_LATE = 0.17  # the rest (3%) are never recorded as done
# Steps in the last this many working days send their letters (each letter's PDF takes about a
# tenth of a second, so the whole history's would slow the demo past a minute).
LETTER_WORKING_DAYS = 10
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
WITHDRAWAL_REASON = "The resident said the matter had been sorted out."


def _weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- the plan: every complaint's life as dated steps ---------------------------------------------


@dataclass
class _Step:
    on: dt.date
    kind: str  # the service it becomes (see ``_Player.play``)
    stage: int = 1
    args: dict = field(default_factory=dict)


@dataclass
class _Plan:
    """One complaint: who, what, and the dated steps of its life."""

    received_at: dt.datetime
    tenancy: tuple  # (resident_id, property_id, tenure, start, end)
    category: Category | None
    sub_category: Category | None
    channel: str
    is_vulnerable: bool
    description: str
    logged_by: Any
    handler: Any  # stage 1's handler when logged, None when logged unallocated
    steps: list[_Step] = field(default_factory=list)
    live: str = ""  # the kind of live work it was added to show, if any

    @property
    def day(self) -> dt.date:
        return self.received_at.date()

    def add(self, on: dt.date, kind: str, stage: int = 1, **args: Any) -> None:
        self.steps.append(_Step(on, kind, stage, args))

    def sort(self) -> _Plan:
        # Stable: steps on the same day keep the order they were planned in, which is the order
        # the services need them in.
        self.steps.sort(key=lambda step: step.on)
        return self


@dataclass(frozen=True)
class _Staff:
    handlers: list
    reviewers: list
    manager: Any


class _Planner:
    """Draws complaints' lives. Every date is a working day from the landlord's real calendar and
    timescales, worked out as the services will work them out."""

    def __init__(self, staff: _Staff, tenancies: list, first_day: dt.date) -> None:
        self.cal = current_calendar()
        self.ts = current_timescales()
        self.window = get_organisation().escalation_window_days
        self.staff = staff
        self.tenancies = tenancies
        self.first_day = first_day
        # Financial remedies' amounts, drawn in seed 000's proportions from their own stream, so
        # the rest of the plan is the same whether or not they are drawn.
        self.amounts: random.Random | None = None
        self.acceptance_reasons = list(exclusion_reasons("acceptance").order_by("code"))
        tops = {c.name: c for c in Category.objects.filter(parent=None, is_active=True)}
        self.children: dict[int, list[Category]] = {}
        children = Category.objects.filter(parent__in=tops.values(), is_active=True)
        for child in children.order_by("name", "pk"):
            self.children.setdefault(child.parent_id, []).append(child)
        self.category_mix = {tops[name]: w for name, w in CATEGORY_MIX.items() if name in tops}
        for name, category in sorted(tops.items()):
            if name not in CATEGORY_MIX:
                self.category_mix[category] = 2

    # --- dates -----------------------------------------------------------------------------------

    def between(self, rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
        """A working day in [first, last], or ``first`` when there is none after it."""
        span = self.cal.between(first, last)
        if span <= 0:
            return first
        return self.cal.add(first, rng.randint(0 if self.cal.is_working_day(first) else 1, span))

    def ack_due(self, number: int, received: dt.date) -> dt.date:
        return deadlines.stage_acknowledgement_due(self.cal, self.ts, number, received)

    def response_dates(self, number: int, received: dt.date, acked: dt.date):
        return deadlines.stage_response_dates(
            self.cal, self.ts, number, acked, self.ack_due(number, received)
        )

    # --- who and what ----------------------------------------------------------------------------

    def new(self, rng: random.Random, day: dt.date, *, handler: Any, logged_by: Any):
        """A complaint received on ``day`` from someone holding a tenancy that day."""
        tenancy = None
        for _ in range(200):
            candidate = rng.choice(self.tenancies)
            if candidate[3] <= day and (candidate[4] is None or candidate[4] >= day):
                tenancy = candidate
                break
        if tenancy is None:
            return None
        category = _weighted(rng, self.category_mix) if self.category_mix else None
        subs = self.children.get(category.pk, []) if category else []
        return _Plan(
            received_at=dt.datetime.combine(
                day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=LONDON
            ),
            tenancy=tenancy,
            category=category,
            sub_category=rng.choice(subs) if subs else None,
            channel=_weighted(rng, CHANNEL_MIX),
            is_vulnerable=rng.random() < 0.08,
            description=_describe(rng, category),
            logged_by=logged_by,
            handler=handler,
        )

    def points(self, rng: random.Random, category: Category | None) -> list[tuple[str, str]]:
        options = POINTS.get(category.name if category else "", GENERIC_POINTS)
        count = min(_weighted(rng, POINT_COUNTS), len(options))
        return rng.sample(options, count)

    # --- a stage, from acknowledgement to response -----------------------------------------------

    def stage(
        self,
        plan: _Plan,
        rng: random.Random,
        *,
        number: int,
        received: dt.date,
        handler: Any,
        allocate_on: dt.date | None,
        points: list,
        response: dict,
        signer: Any,
        ack_late: bool,
        extensions: int,
        late: bool,
        withdraw: bool = False,
    ) -> dt.date | None:
        """Plan the stage's steps and return the day its response is issued (None when the
        complaint is withdrawn first)."""
        if allocate_on is not None:
            plan.add(allocate_on, "allocate", number, handler=handler)
        ack_due = self.ack_due(number, received)
        if ack_late:
            acked = self.cal.add(ack_due, rng.randint(1, 4))
        else:
            acked = self.between(rng, received, ack_due)
        acked = max(acked, allocate_on or acked)  # acknowledged by its handler
        plan.add(acked, "acknowledge", number, points=points)
        if withdraw:
            plan.add(self.cal.add(acked, rng.randint(1, 10)), "withdraw", number)
            return None
        due, _on_time, cap = self.response_dates(number, received, acked)
        current, start = due, acked
        for count in range(extensions):
            room = self.cal.between(current, cap)
            if room <= 0:
                break
            notice = min(self.between(rng, self.cal.add(start, 1), current), current)
            # The first of two extensions leaves room inside the cap for the second.
            if count == 0 and extensions > 1:
                new_due = self.cal.add(current, rng.randint(1, max(1, room // 2)))
            else:
                new_due = self.cal.add(current, rng.randint(max(1, room // 2), room))
            plan.add(
                notice, "extend", number, new_due=new_due, reason=rng.choice(EXTENSION_REASONS)
            )
            current, start = new_due, notice
        if late:
            issued = self.cal.add(current, rng.randint(1, 8))
        else:
            issued = self.between(rng, self.cal.add(start, 1), current)
        signed = max(start, self.cal.add(issued, -rng.choice((0, 0, 1))))
        drafted = max(start, self.cal.add(signed, -rng.randint(*QUALITY_CHECK_DAYS)))
        self.respond(plan, rng, number, handler, response, drafted, signed, signer, issued)
        return issued

    def respond(
        self, plan, rng, number, handler, response, drafted, signed, signer, issued, *, done=True
    ):
        """Drafted by the handler, checked and signed off by someone else, issued; then (when
        ``done``) the promised actions done, most on time, a few late, some never recorded."""
        planned_issue = issued or self.cal.add(signed or drafted, 2)
        plan.add(drafted, "draft", number, content=self.content(response, handler, planned_issue))
        if signed is None:
            return
        plan.add(signed, "sign_off", number, signer=signer)
        if issued is None:
            return
        plan.add(issued, "respond", number)
        for index, action in enumerate(response.get("actions", ()) if done else ()):
            due = self.cal.add(issued, action["due_in"])
            roll = rng.random()
            if roll < ACTION_DONE_ON_TIME:
                completed = self.between(rng, self.cal.add(issued, 1), due)
            elif roll < ACTION_DONE_ON_TIME + ACTION_DONE_LATE:
                completed = self.cal.add(due, rng.randint(1, 20))
            else:
                continue
            plan.add(completed, "complete_action", number, index=index)

    def content(self, response: dict, handler: Any, issued: dt.date) -> dict:
        """The response as drafted: each action due a number of working days after issue."""
        actions = [
            {
                "description": a["description"],
                "owner": handler,
                "due_on": self.cal.add(issued, a["due_in"]),
            }
            for a in response.get("actions", ())
        ]
        return {**response, "actions": actions}

    def after_stage1(self, plan: _Plan, issued: dt.date, escalate_after: int | None, actor):
        """Closed once the escalation window has passed, unless escalated inside it; a later
        request re-opens it."""
        if escalate_after is None or escalate_after > self.window:
            plan.add(self.cal.add(issued, self.window + 1), "close")
        if escalate_after is not None:
            plan.add(self.cal.add(issued, escalate_after), "escalate", actor=actor)

    # --- a complaint with its fate drawn at random -----------------------------------------------

    def complaint(self, rng: random.Random, day: dt.date) -> _Plan | None:
        staff = self.staff
        handler = rng.choice(staff.handlers)
        unallocated = rng.random() < LOGGED_UNALLOCATED
        plan = self.new(
            rng,
            day,
            handler=None if unallocated else handler,
            logged_by=staff.manager if unallocated else handler,
        )
        if plan is None:
            return None
        # Every choice is drawn up front, so a complaint's fate never depends on the as-at date.
        roll = rng.random()
        extensions = 2 if roll < EXTEND_TWICE else 1 if roll < EXTEND_ONCE else 0
        late = rng.random() < RESPOND_LATE
        ack_late = rng.random() < ACK_LATE
        withdraw = rng.random() < WITHDRAW
        escalate = rng.random() < ESCALATE
        escalate_after = (
            self.window + rng.randint(1, 20) if rng.random() < ESCALATE_LATE else rng.randint(1, 18)
        )
        reviewer = rng.choice(staff.reviewers)
        by_manager = rng.random() < STAGE1_SIGNED_BY_MANAGER
        allocate_after = rng.randint(*ALLOCATION_DAYS)
        allocate2_after = rng.randint(*ALLOCATION_DAYS) if rng.random() < 0.5 else 0
        stage2_extensions = 1 if rng.random() < STAGE2_EXTEND else 0
        stage2_late = rng.random() < STAGE2_LATE
        stage2_ack_late = rng.random() < ACK_LATE / 2
        not_accept = rng.random() < NOT_ACCEPT and bool(self.acceptance_reasons)
        outcome1 = _weighted(rng, STAGE1_OUTCOMES)
        outcome2 = _weighted(rng, STAGE2_OUTCOMES)
        step_rng = random.Random(rng.random())
        text_rng = random.Random(rng.random())
        points = self.points(text_rng, plan.category)
        response1 = _response(text_rng, outcome1, len(points), amounts=self.amounts)
        points2 = text_rng.sample(points, text_rng.randint(1, len(points)))
        response2 = _response(text_rng, outcome2, len(points2), amounts=self.amounts)

        allocate_on = None
        if unallocated:
            allocate_on = self.between(step_rng, day, self.cal.add(day, allocate_after))
        if not_accept:
            on = self.between(step_rng, allocate_on or day, self.cal.add(day, 5))
            if allocate_on is not None:
                plan.add(allocate_on, "allocate", handler=handler)
            reason = text_rng.choice(self.acceptance_reasons)
            plan.add(on, "not_accept", reason=reason, evidence_days=text_rng.randint(400, 700))
            return plan
        other = next(r for r in staff.reviewers if r != reviewer)
        issued = self.stage(
            plan,
            step_rng,
            number=1,
            received=day,
            handler=handler,
            allocate_on=allocate_on,
            points=points,
            response=response1,
            signer=staff.manager if by_manager else other,
            ack_late=ack_late,
            extensions=extensions,
            late=late,
            withdraw=withdraw,
        )
        if issued is None:
            return plan
        self.after_stage1(plan, issued, escalate_after if escalate else None, handler)
        if escalate:
            escalated = self.cal.add(issued, escalate_after)
            self.stage(
                plan,
                step_rng,
                number=2,
                received=escalated,
                handler=reviewer,
                allocate_on=self.cal.add(escalated, allocate2_after),
                points=points2,
                response=response2,
                # Nobody who considered stage 1 signs off stage 2 (Code 6.13).
                signer=other if by_manager else staff.manager,
                ack_late=stage2_ack_late,
                extensions=stage2_extensions,
                late=stage2_late,
            )
        return plan

    # --- a complaint scripted to show one kind of live work --------------------------------------

    def scripted(
        self,
        rng: random.Random,
        live: str,
        *,
        handler: Any,
        received: dt.date,
        unallocated: bool = False,
        acked: dt.date | None = None,
        extended_on: dt.date | None = None,
        drafted: dt.date | None = None,
        signed: dt.date | None = None,
        issued: dt.date | None = None,
        action_due_in: int | None = None,
        escalated: dt.date | None = None,
        reviewer: Any = None,
        acked2: dt.date | None = None,
        not_accepted: dt.date | None = None,
        withdrawn: dt.date | None = None,
    ) -> _Plan | None:
        """A complaint whose steps fall on the days given (working days on or before the as-at
        date), and no others: what happens next is left to the people using the demo."""
        staff = self.staff
        plan = self.new(
            rng,
            received,
            handler=None if unallocated else handler,
            logged_by=staff.manager if unallocated else handler,
        )
        if plan is None:
            return None
        plan.live = live
        points = self.points(rng, plan.category)
        outcome = Finding.UPHELD if action_due_in is not None else _weighted(rng, STAGE1_OUTCOMES)
        response = _response(rng, outcome, len(points), amounts=self.amounts)
        if action_due_in is not None:
            response["actions"] = [
                {"description": rng.choice(OUTSTANDING_ACTIONS), "due_in": action_due_in}
            ]
        if not_accepted is not None:
            reason = rng.choice(self.acceptance_reasons)
            plan.add(not_accepted, "not_accept", reason=reason, evidence_days=rng.randint(400, 700))
            return plan
        if acked is None:
            return plan
        plan.add(acked, "acknowledge", points=points)
        if withdrawn is not None:
            plan.add(withdrawn, "withdraw")
            return plan
        if extended_on is not None:
            due = self.response_dates(1, received, acked).response_due
            plan.add(
                extended_on,
                "extend",
                new_due=self.cal.add(due, 5),
                reason=rng.choice(EXTENSION_REASONS),
            )
        if drafted is None:
            return plan
        reviewer = reviewer or rng.choice(staff.reviewers)
        other = next(r for r in staff.reviewers if r != reviewer)
        self.respond(plan, rng, 1, handler, response, drafted, signed, other, issued, done=False)
        if issued is None:
            return plan
        self.after_stage1(
            plan,
            issued,
            None if escalated is None else self.cal.between(issued, escalated),
            handler,
        )
        if escalated is None:
            return plan
        plan.add(escalated, "allocate", 2, handler=reviewer)
        if acked2 is not None:
            points2 = rng.sample(points, rng.randint(1, len(points)))
            plan.add(acked2, "acknowledge", 2, points=points2)
        return plan


# --- where a planned complaint stands on a day ---------------------------------------------------


@dataclass
class _StageState:
    number: int
    received: dt.date
    ack_due: dt.date
    handler: Any = None
    handlers: list = field(default_factory=list)
    acked: dt.date | None = None
    response_due: dt.date | None = None
    extended_due: dt.date | None = None
    drafted_by: Any = None
    content: dict = field(default_factory=dict)
    signed_by: Any = None
    responded: dt.date | None = None
    ack_within: bool | None = None
    response_within: bool | None = None
    response_within_extension: bool | None = None

    @property
    def missed(self) -> bool:
        if self.ack_within is False:
            return True
        return self.response_within is False and self.response_within_extension is not True


@dataclass
class _Standing:
    """What the complaint's queue fields will say on the day (``complaints.standing``)."""

    status: str
    stages: dict[int, _StageState]
    actions: dict[tuple[int, int], list]  # (stage, index): [due, done or None]

    @property
    def current(self) -> _StageState:
        return self.stages[max(self.stages)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def handler(self) -> Any:
        return self.current.handler

    @property
    def next_due(self) -> dt.date | None:
        if not self.is_open:
            return None
        stage = self.current
        if stage.acked is None:
            return stage.ack_due
        return stage.extended_due or stage.response_due

    @property
    def breached(self) -> bool:
        return any(stage.missed for stage in self.stages.values())

    @property
    def awaiting_sign_off(self) -> bool:
        stage = self.current
        return self.is_open and stage.drafted_by is not None and stage.signed_by is None

    def may_sign_off(self, person: Any) -> bool:
        """Whether ``person`` may sign off the draft waiting for its check (Code 6.13)."""
        stage = self.current
        if not self.awaiting_sign_off or person in (stage.handler, stage.drafted_by):
            return False
        first = self.stages[1]
        involved = {*first.handlers, first.drafted_by, first.signed_by}
        return stage.number == 1 or person not in involved

    def breached_between(self, first: dt.date, last: dt.date, today: dt.date) -> bool:
        """A Code timescale counted as missed in [first, last] (``breaches_in_month``)."""
        for stage in self.stages.values():
            if stage.ack_within is False and first <= stage.ack_due <= last:
                return True
            if (
                stage.response_within is False
                and stage.response_within_extension is not True
                and first <= stage.responded <= last
            ):
                return True
            if self.is_open and stage.responded is None:
                due = stage.ack_due if stage.acked is None else stage.extended_due
                due = due or stage.response_due
                if due < today and first <= due <= last:
                    return True
        return False


def _standing(planner: _Planner, plan: _Plan, day: dt.date) -> _Standing:
    """Play the plan's steps up to ``day`` on paper, with the services' rules."""
    stage1 = _StageState(1, plan.day, planner.ack_due(1, plan.day), handler=plan.handler)
    if plan.handler is not None:
        stage1.handlers.append(plan.handler)
    state = _Standing(S.RECEIVED, {1: stage1}, {})
    for step in plan.steps:
        if step.on > day:
            break
        stage = state.stages.get(step.stage)
        kind = step.kind
        if kind == "allocate":
            stage.handler = step.args["handler"]
            stage.handlers.append(stage.handler)
        elif kind == "acknowledge":
            stage.acked = step.on
            stage.ack_within = step.on <= stage.ack_due
            dates = planner.response_dates(stage.number, stage.received, step.on)
            stage.response_due = dates.response_due
            if state.status == S.RECEIVED:
                state.status = S.STAGE1_OPEN
        elif kind == "extend":
            stage.extended_due = step.args["new_due"]
        elif kind == "draft":
            stage.drafted_by, stage.signed_by = stage.handler, None
            stage.content = step.args["content"]
        elif kind == "sign_off":
            stage.signed_by = step.args["signer"]
        elif kind == "respond":
            stage.responded = step.on
            stage.response_within = step.on <= stage.response_due
            if stage.extended_due is not None:
                stage.response_within_extension = step.on <= stage.extended_due
            state.status = S.STAGE1_RESPONDED if stage.number == 1 else S.STAGE2_RESPONDED
            for index, action in enumerate(stage.content.get("actions", ())):
                state.actions[stage.number, index] = [action["due_on"], None]
        elif kind == "complete_action":
            state.actions[stage.number, step.args["index"]][1] = step.on
        elif kind == "close":
            state.status = S.CLOSED
        elif kind == "escalate":
            state.status = S.STAGE2_OPEN
            state.stages[2] = _StageState(2, step.on, planner.ack_due(2, step.on))
        elif kind == "withdraw":
            state.status = S.WITHDRAWN
        elif kind == "not_accept":
            state.status = S.NOT_ACCEPTED
    return state


# --- live work: every kind shown on the as-at date, whatever the landlord's size ----------------


@dataclass(frozen=True)
class _Day:
    """The as-at date, and working days counted back from the last one on or before it."""

    today: dt.date
    last: dt.date
    cal: Any

    def ago(self, days: int) -> dt.date:
        return self.cal.add(self.last, -days)

    @property
    def month(self) -> tuple[dt.date, dt.date]:
        first = self.today.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)


Check = Callable[[list[_Standing], _Day], bool]
Make = Callable[[_Planner, random.Random, _Day], "_Plan | None"]


def _live_work(staff: _Staff) -> list[tuple[str, Check, Make]]:
    """Each kind of live work: its name, whether the complaints show it on the day, and a
    complaint that would (dates in working days before the last working day, ``d.ago(n)``)."""

    def scripted(live: str, handler: Any = None, **days: Any) -> Make:
        def make(planner: _Planner, rng: random.Random, d: _Day) -> _Plan | None:
            values = {k: (v(d) if callable(v) else v) for k, v in days.items()}
            chosen = handler or rng.choice(planner.staff.handlers)
            return planner.scripted(rng, live, handler=chosen, **values)

        return make

    def ago(n: int) -> Callable[[_Day], dt.date]:
        return lambda d: d.ago(n)

    def open_ones(states):
        return [s for s in states if s.is_open]

    work: list[tuple[str, Check, Make]] = [
        (
            "unallocated",
            lambda states, d: any(s.handler is None for s in open_ones(states)),
            scripted("unallocated", received=ago(0), unallocated=True),
        ),
        (
            "unacknowledged",
            lambda states, d: any(s.status == S.RECEIVED and s.handler is not None for s in states),
            scripted("unacknowledged", received=ago(1)),
        ),
        (
            "awaiting a response",
            lambda states, d: any(
                s.status == S.STAGE1_OPEN and s.current.drafted_by is None for s in states
            ),
            scripted("awaiting a response", received=ago(4), acked=ago(2)),
        ),
        (
            "extended",
            lambda states, d: any(s.current.extended_due for s in open_ones(states)),
            scripted("extended", received=ago(12), acked=ago(10), extended_on=ago(1)),
        ),
        (
            "due today",
            lambda states, d: d.today != d.last or any(s.next_due == d.today for s in states),
            scripted("due today", received=ago(5)),
        ),
        (
            "overdue",
            lambda states, d: any(s.next_due < d.today for s in open_ones(states)),
            scripted("overdue", received=ago(7)),
        ),
        (
            "breached and open",
            lambda states, d: any(s.breached for s in open_ones(states)),
            scripted("breached and open", received=ago(9), acked=ago(2)),
        ),
        (
            "breach this month",
            lambda states, d: any(s.breached_between(*d.month, d.today) for s in states),
            scripted(
                "breach this month",
                received=ago(17),
                acked=ago(15),
                drafted=ago(3),
                signed=ago(1),
                issued=ago(0),
            ),
        ),
        (
            "stage 2 unacknowledged",
            lambda states, d: any(
                s.status == S.STAGE2_OPEN and s.current.acked is None for s in states
            ),
            scripted(
                "stage 2 unacknowledged",
                received=ago(26),
                acked=ago(24),
                drafted=ago(18),
                signed=ago(16),
                issued=ago(15),
                escalated=ago(2),
            ),
        ),
        (
            "stage 2 acknowledged",
            lambda states, d: any(
                s.status == S.STAGE2_OPEN and s.current.acked is not None for s in states
            ),
            scripted(
                "stage 2 acknowledged",
                received=ago(40),
                acked=ago(38),
                drafted=ago(32),
                signed=ago(31),
                issued=ago(30),
                escalated=ago(15),
                acked2=ago(12),
            ),
        ),
        (
            "not accepted",
            lambda states, d: any(s.status == S.NOT_ACCEPTED for s in states),
            scripted("not accepted", received=ago(6), not_accepted=ago(4)),
        ),
        (
            "withdrawn",
            lambda states, d: any(s.status == S.WITHDRAWN for s in states),
            scripted("withdrawn", received=ago(10), acked=ago(8), withdrawn=ago(3)),
        ),
        (
            "action open",
            lambda states, d: any(
                done is None and due >= d.today for s in states for due, done in s.actions.values()
            ),
            scripted(
                "action open",
                received=ago(22),
                acked=ago(20),
                drafted=ago(14),
                signed=ago(12),
                issued=ago(11),
                action_due_in=30,
            ),
        ),
        (
            "action overdue",
            lambda states, d: any(
                done is None and due < d.today for s in states for due, done in s.actions.values()
            ),
            scripted(
                "action overdue",
                received=ago(60),
                acked=ago(58),
                drafted=ago(52),
                signed=ago(51),
                issued=ago(50),
                action_due_in=15,
            ),
        ),
    ]
    for handler in staff.handlers:
        # Something due soon (today or the next two working days) or overdue on their home page.
        work.append(
            (
                f"due soon or overdue for {handler.email}",
                lambda states, d, h=handler: any(
                    s.handler == h and s.next_due < d.cal.add(d.today, DUE_SOON_WORKING_DAYS + 1)
                    for s in open_ones(states)
                ),
                scripted(f"due soon for {handler.email}", received=ago(4), handler=handler),
            )
        )
    for reviewer in staff.reviewers:
        work.append(
            (
                f"a stage 2 case for {reviewer.email}",
                lambda states, d, r=reviewer: any(
                    s.status == S.STAGE2_OPEN and s.handler == r for s in states
                ),
                scripted(
                    f"stage 2 for {reviewer.email}",
                    received=ago(36),
                    acked=ago(34),
                    drafted=ago(27),
                    signed=ago(26),
                    issued=ago(25),
                    escalated=ago(8),
                    reviewer=reviewer,
                    acked2=ago(5),
                ),
            )
        )
        work.append(
            (
                f"a draft {reviewer.email} may sign off",
                lambda states, d, r=reviewer: any(s.may_sign_off(r) for s in states),
                scripted(
                    f"draft for {reviewer.email}",
                    received=ago(8),
                    acked=ago(6),
                    drafted=ago(0),
                ),
            )
        )
    return work


def _top_up(
    generator: DemoGenerator, planner: _Planner, plans: list[_Plan], today: dt.date
) -> list[str]:
    """Add a complaint for each kind of live work the plans do not show on ``today``; the names
    of the kinds added."""
    cal = planner.cal
    last = today if cal.is_working_day(today) else cal.add(today, -1)
    day = _Day(today, last, cal)
    states = [_standing(planner, plan, today) for plan in plans]
    added = []
    for name, shown, make in _live_work(planner.staff):
        if shown(states, day):
            continue
        plan = make(planner, generator.rng_for(f"complaints:live:{name}"), day)
        if plan is None or plan.day < planner.first_day:
            continue
        plans.append(plan.sort())
        states.append(_standing(planner, plan, today))
        added.append(name)
    return added


# --- playing the plans through the services -----------------------------------------------------


class _Player:
    """Takes each planned step dated on or before ``limit`` through the complaint services.

    A step on or after ``letters_from`` that sends a letter (an acknowledgement, an extension, a
    refusal, a response) goes through the letters service instead, so the recent caseload has
    its letters as a handler would have issued them: checked, stored, made into a PDF and sent.
    Older history is taken through the engine alone, like a record brought over from an earlier
    system, which keeps the demo quick."""

    def __init__(
        self, staff: _Staff, limit: dt.date, plans: list[_Plan], letters_from: dt.date
    ) -> None:
        self.manager = staff.manager
        self.limit = limit
        self.letters_from = letters_from
        self.we_will_look_into = wording_in_use().text("we_will_look_into")
        self.residents = Resident.objects.in_bulk({p.tenancy[0] for p in plans})
        self.properties = Property.objects.in_bulk({p.tenancy[1] for p in plans})
        areas = {area.name: area for area in BusinessArea.objects.filter(is_active=True)}
        self.business_areas = {
            category: areas.get(area) for category, area in BUSINESS_AREA_OF.items()
        }
        self.steps = Counter()

    def play(self, plan: _Plan) -> Complaint:
        resident_id, property_id, tenure, _start, _end = plan.tenancy
        complaint = services.complaint_log(
            acting_user=plan.logged_by,
            complainant=self.residents[resident_id],
            channel=plan.channel,
            received_at=plan.received_at,
            description=plan.description,
            property=self.properties[property_id],
            tenure_at_receipt=tenure,
            category=plan.category,
            sub_category=plan.sub_category,
            business_area=self.business_areas.get(plan.category.name) if plan.category else None,
            is_vulnerable=plan.is_vulnerable,
            handler=plan.handler,
        )
        logged = complaint
        # The services read only the primary key of the complaint they are given, then refresh
        # it: an instance holding nothing but its key makes that refresh a one-column read.
        complaint = Complaint.from_db(None, ["id"], [logged.pk])
        handlers = {1: plan.handler}
        actions: dict[int, list[Action]] = {}
        for step in plan.steps:
            if step.on > self.limit:
                break
            handler = handlers.get(step.stage)
            args = step.args
            on = step.on
            kind = step.kind
            if kind == "allocate":
                handlers[step.stage] = args["handler"]
                services.complaint_allocate(
                    acting_user=self.manager,
                    complaint=complaint,
                    handler=args["handler"],
                    stage=step.stage,
                    on=on,
                )
            elif kind == "acknowledge":
                letter = {"letter_sections": {"responsibilities": self.we_will_look_into}}
                self._step(on, services.stage_acknowledge, letters.acknowledgement_issue, letter)(
                    acting_user=handler,
                    complaint=complaint,
                    stage=step.stage,
                    on=on,
                    points=args["points"],
                )
            elif kind == "extend":
                self._step(on, services.stage_extend, letters.extension_issue)(
                    acting_user=handler,
                    complaint=complaint,
                    new_due=args["new_due"],
                    reason=args["reason"],
                    notice_on=on,
                    ombudsman_details_given=True,
                )
            elif kind == "draft":
                services.response_draft_submit(
                    acting_user=handler, complaint=complaint, on=on, **args["content"]
                )
            elif kind == "sign_off":
                services.response_sign_off(acting_user=args["signer"], complaint=complaint, on=on)
            elif kind == "respond":
                self._step(on, services.stage_respond, letters.response_issue)(
                    acting_user=handler, complaint=complaint, on=on
                )
            elif kind == "complete_action":
                if step.stage not in actions:
                    actions[step.stage] = list(
                        Action.objects.filter(complaint=complaint, stage__number=step.stage)
                        .select_related("stage", "complaint")
                        .order_by("id")
                    )
                services.action_complete(
                    acting_user=handler,
                    action=actions[step.stage][args["index"]],
                    on=on,
                    note="Done and checked with the resident.",
                )
            elif kind == "close":
                services.complaint_close_unescalated(acting_user=None, complaint=complaint, on=on)
            elif kind == "escalate":
                services.complaint_escalate(acting_user=args["actor"], complaint=complaint, on=on)
                handlers[2] = None
            elif kind == "withdraw":
                services.complaint_withdraw(
                    acting_user=handler or self.manager,
                    complaint=complaint,
                    reason=WITHDRAWAL_REASON,
                    on=on,
                )
            elif kind == "not_accept":
                reason = args["reason"]
                self._step(on, services.complaint_not_accept, letters.not_accepted_issue)(
                    acting_user=handler or self.manager,
                    complaint=complaint,
                    reason=reason,
                    explanation=f"The complaint falls under our policy: {reason.label}.",
                    evidence="Case notes and the resident's account checked against our records.",
                    resident_told_on=on,
                    ombudsman_rights_given=True,
                    evidence_date=(plan.day - dt.timedelta(days=args["evidence_days"]))
                    if reason.requires_date_evidence
                    else None,
                    on=on,
                )
            else:  # pragma: no cover - a planning mistake
                raise ValueError(f"Unknown demo step {kind!r}")
            self.steps[kind] += 1
        return logged

    def _step(
        self,
        on: dt.date,
        step: Callable[..., Any],
        with_letter: Callable[..., Any],
        letter: dict[str, Any] | None = None,
    ) -> Callable[..., Any]:
        """The service that takes a step dated ``on``: with its letter for recent steps."""
        if on < self.letters_from:
            return step

        def issue(**arguments: Any) -> Any:
            self.steps["letter"] += 1
            return with_letter(**arguments, **(letter or {}))

        return issue


# --- the step ------------------------------------------------------------------------------------


def _describe(rng: random.Random, category: Category | None) -> str:
    name = category.name if category else ""
    return rng.choice(DESCRIPTIONS.get(name, GENERIC_DESCRIPTIONS))


def _findings(rng: random.Random, outcome: str, count: int) -> list[str]:
    """Point findings whose derived stage outcome is ``outcome``."""
    if outcome != Finding.PARTLY_UPHELD:
        return [outcome] * count
    if count == 1:
        return [Finding.PARTLY_UPHELD]
    findings = [rng.choice(Finding.values) for _ in range(count)]
    findings[rng.randrange(count)] = Finding.PARTLY_UPHELD
    return findings


def _response(
    rng: random.Random, outcome: str, count: int, *, amounts: random.Random | None = None
) -> dict:
    """The response deciding ``count`` points to give ``outcome``; actions are due a number of
    working days after the response (``due_in``) and dated when it is planned. With ``amounts``,
    a financial remedy's amount is drawn from it in seed 000's proportions."""
    findings = _findings(rng, outcome, count)
    decisions = {n: (f, rng.choice(REASONS[f])) for n, f in enumerate(findings, start=1)}
    found = [f for f in findings if f != Finding.NOT_UPHELD]
    response: dict = {"decisions": decisions}
    if found:
        remedies = [("apology", "A written apology.", None), *rng.sample(REMEDIES, 1)]
        response["remedies"] = [
            {
                "kind": kind,
                "description": text,
                "amount_pence": (
                    compensation_amount(amounts)
                    if pence is not None and amounts is not None
                    else pence
                ),
            }
            for kind, text, pence in remedies
        ]
        response["root_causes"] = rng.sample(CAUSES_BY_FINDING, rng.randint(1, 2))
        if rng.random() < ACTION_PROMISED:
            response["actions"] = [
                {"description": rng.choice(OUTSTANDING_ACTIONS), "due_in": rng.randint(5, 30)}
            ]
    return response


def make_complaints(generator: DemoGenerator) -> None:
    from putright.core.dates import long_date
    from putright.demo.organisation import reporting_period

    period = generator.results.get("period") or reporting_period(generator)
    people = generator.results["people"]
    by_role = generator.results["staff_by_role"]
    staff = _Staff(
        handlers=by_role[CASE_HANDLER],
        reviewers=by_role[QUALITY_REVIEWER],
        manager=by_role[COMPLAINTS_MANAGER][0],
    )
    today = min(period.as_at, clock.today())  # the services refuse dates in the future
    # Ordered, so the same seed picks the same complainants.
    tenancies = sorted(people.tenancies, key=lambda t: (t[3], t[0], t[1]))
    planner = _Planner(staff, tenancies, period.first_day)
    planner.amounts = generator.rng_for("complaints:compensation")
    cal = planner.cal

    rng = generator.rng_for("complaints")
    first = period.first_day
    days = (today - first).days + 1
    homes = len(people.property_ids)
    total = round(homes / 1000 * PER_THOUSAND_HOMES_A_YEAR * days / 365.25) if days > 0 else 0
    working_days = [first + dt.timedelta(days=n) for n in range(max(days, 0))]
    working_days = [d for d in working_days if cal.is_working_day(d)]
    received = sorted(rng.choice(working_days) for _ in range(total)) if working_days else []
    plans = [plan.sort() for day in received if (plan := planner.complaint(rng, day))]
    added = _top_up(generator, planner, plans, today)
    for plan in plans:
        if plan.day == today:  # received this morning rather than later today
            plan.received_at = plan.received_at.replace(hour=8 + plan.received_at.hour % 2)
    plans.sort(key=lambda plan: plan.received_at)  # references follow the order of receipt

    player = _Player(staff, today, plans, letters_from=cal.add(today, -LETTER_WORKING_DAYS))
    complaint_ids = [player.play(plan).pk for plan in plans]
    _post_earlier_letters(complaint_ids, today)
    generator.results["complaints"] = {
        "count": len(plans),
        "live_added": added,
        "ids": complaint_ids,
    }
    _report(generator, complaint_ids, first, today, player.steps, added, long_date)


def _post_earlier_letters(complaint_ids: list[int], today: dt.date) -> None:
    """Letters for post went the day they were issued, as a complaints team posts them; only
    today's wait on the case pages to be printed and posted."""
    waiting = IssuedLetter.objects.filter(
        complaint_id__in=complaint_ids,
        delivery=IssuedLetter.Delivery.POST,
        posted_on__isnull=True,
        dated__lt=today,
    ).select_related("issued_by")
    for letter in waiting:
        letters.letter_record_posted(acting_user=letter.issued_by, letter=letter, on=letter.dated)


def _report(generator, complaint_ids, first, today, steps, added, long_date) -> None:
    """Say what was made, and the live work waiting on the as-at date."""
    complaints = Complaint.objects.filter(pk__in=complaint_ids)
    statuses = Counter(complaints.values_list("status", flat=True))
    generator.results["complaints"]["statuses"] = dict(statuses)
    by_status = ", ".join(f"{S(s).label.lower()} {n:,}" for s, n in sorted(statuses.items()) if n)
    responded1 = Stage.objects.filter(
        complaint__in=complaints, number=1, responded_on__isnull=False
    ).count()
    escalated = Stage.objects.filter(complaint__in=complaints, number=2).count()
    acknowledged = Stage.objects.filter(
        complaint__in=complaints, number=1, acknowledged_on__isnull=False
    )
    on_time = acknowledged.filter(ack_within_code=True).count()
    outcomes = Counter(
        Stage.objects.filter(complaint__in=complaints, number=1)
        .exclude(outcome="")
        .values_list("outcome", flat=True)
    )
    decided = sum(outcomes.values())
    mix = (
        ", ".join(f"{Finding(f).label.lower()} {outcomes[f] / decided:.0%}" for f in Finding.values)
        if decided
        else "none decided"
    )
    total = len(complaint_ids)
    acked = acknowledged.count()
    generator.say(
        f"Complaints: {total:,} logged through the services since {long_date(first)} "
        f"({by_status}); escalated to stage 2 {escalated / responded1 if responded1 else 0:.0%} "
        f"of stage 1 responses; acknowledged on time {on_time / acked if acked else 0:.0%}; "
        f"stage 1 outcomes {mix}; not accepted {statuses[S.NOT_ACCEPTED]:,}; closed without "
        f"escalation {steps['close']:,}; promised actions done {steps['complete_action']:,}; "
        f"letters issued in the last {LETTER_WORKING_DAYS} working days {steps['letter']:,}."
    )
    live = live_work_on(today, complaints)
    generator.say(
        f"Live work on {long_date(today)}: {live['open']:,} open "
        f"({live['unallocated']:,} unallocated, {live['unacknowledged']:,} unacknowledged, "
        f"{live['awaiting_sign_off']:,} drafts awaiting their quality check, "
        f"{live['extended']:,} extended, {live['due_today']:,} due today, "
        f"{live['overdue']:,} overdue, {live['breached']:,} with a missed timescale), "
        f"{live['stage2_open']:,} at stage 2; promised actions open {live['actions_open']:,} "
        f"({live['actions_overdue']:,} overdue)."
        + (f" Added to show: {', '.join(added)}." if added else "")
    )


def live_work_on(today: dt.date, complaints=None) -> dict[str, int]:
    """Counts of the live work on ``today``, from the complaints' queue fields (one query for the
    complaints, one for their actions)."""
    from django.db.models import Count, Q

    complaints = Complaint.objects.all() if complaints is None else complaints
    open_ = Q(status__in=OPEN_STATES)
    counts = complaints.aggregate(
        open=Count("id", filter=open_),
        unallocated=Count("id", filter=open_ & Q(handler__isnull=True)),
        unacknowledged=Count("id", filter=open_ & Q(next_due_kind="acknowledgement")),
        awaiting_sign_off=Count("id", filter=Q(awaiting_sign_off=True)),
        extended=Count("id", filter=open_ & Q(is_extended=True)),
        due_today=Count("id", filter=open_ & Q(next_due_on=today)),
        overdue=Count("id", filter=open_ & Q(next_due_on__lt=today)),
        breached=Count("id", filter=open_ & Q(is_breached=True)),
        stage2_open=Count("id", filter=Q(status=S.STAGE2_OPEN)),
    )
    actions = Action.objects.filter(complaint__in=complaints, status=Action.Status.OPEN).aggregate(
        actions_open=Count("id"), actions_overdue=Count("id", filter=Q(due_on__lt=today))
    )
    return {**counts, **actions}

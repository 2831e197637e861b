"""The casework benchmark's data: realistic case records, bulk-created to the engine's rules.

``build(complaints)`` fills an empty, migrated database with staff, homes, residents and
complaints. The complaint records are written in chunks as plain rows (``executemany`` on SQLite,
``COPY`` on PostgreSQL: 100,000 complaints, about two million rows, in a few minutes), not
through ``putright.complaints.services``, but every complaint is what the services would have
left behind:

- each acknowledged stage has at least one point of complaint (Code 5.6);
- each response has a handler, a decision with reasons on every point, a draft drafted by the
  handler and signed off by someone else (the organisation's default sign-off setting), the
  outcome derived from the decisions, root causes, remedies and sometimes promised actions (some
  done, some still open);
- stage 2 is handled, drafted and signed off by people not involved at stage 1 (Code 6.13);
- extensions stay inside the cap, are given notice of on or before the date they move;
- refusals (not accepted, escalation refused, a few reversed) carry a reason from the policy;
- closed complaints were closed after the escalation window or as a duplicate of an earlier one;
- notes, correspondence (some with a letter attached), documents and confidential-case views are
  on a share of complaints, each with the history event its service writes;
- the queue fields on ``Complaint`` come from ``putright.complaints.standing`` applied to the
  stages, and ``version`` counts the history events that bumped it.

Dates come from the real calendar and ``putright.complaints.deadlines``; nothing happens after
today. ``check(today)`` re-reads the database and counts any row that breaks those rules; the
benchmark refuses to time pages over data that fails it.

Open complaints are over-represented (a quarter of all complaints, with next deadlines within a
month either side of today) so that the queues are stressed; closed ones spread over three years.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from types import SimpleNamespace
from typing import Any

SEED = 20251224
CHUNK = 5_000  # complaints materialised and written at a time
HANDLERS = 20  # staff who work cases: every fifth is a quality reviewer, the rest case handlers
TEAMS = ("North", "South", "East", "West")
MARKER_TABLE = "putright_benchmark"  # says a database was built by this benchmark (and how)
BENCH_DOMAIN = "bench.putright.test"

# Share of complaints in each status (open ones are over-represented, to stress the queues).
STATUS_MIX = {
    "received": 4,
    "stage1_open": 16,
    "stage1_responded": 8,
    "stage2_open": 5,
    "stage2_responded": 5,
    "closed": 50,
    "not_accepted": 4,
    "escalation_refused": 1,
    "withdrawn": 7,
}
OPEN = ("received", "stage1_open", "stage2_open")
WITHDRAWN_FROM = {"received": 15, "stage1_open": 60, "stage1_responded": 15, "stage2_open": 10}
CHANNEL_MIX = {
    "email": 60,
    "phone": 15,
    "web_form": 12,
    "letter": 5,
    "in_person": 3,
    "social_media": 2,
    "mp_or_councillor": 2,
    "other": 1,
}
TENURE_MIX = {
    "lcra_general_needs": 70,
    "lcra_supported": 6,
    "lcra_older_people": 8,
    "lcho_shared_ownership": 8,
    "leaseholder": 6,
    "other": 2,
}
POINT_COUNTS = {1: 50, 2: 35, 3: 15}
OUTCOMES = {
    1: {"upheld": 45, "partly_upheld": 30, "not_upheld": 25},
    2: {"upheld": 25, "partly_upheld": 30, "not_upheld": 45},
}
CONFIDENTIAL = 0.015
VULNERABLE = 0.10
ACK_LATE = 0.07
RESPOND_LATE = 0.08
EXTEND_ONCE = 0.12
EXTEND_TWICE = 0.03
ACTIONS = 0.35  # of responses that find fault: promised actions
DUPLICATE = 0.04  # of closed complaints: closed as a duplicate of an earlier one
REVERSED_REFUSAL = 0.03  # of received and stage 1 open: a refusal reversed on review earlier
UNALLOCATED_RECEIVED = 0.5
UNALLOCATED_OPEN = 0.06
DRAFT_STATES = {"": 91, "awaiting": 6, "returned": 1.5, "signed": 1.5}  # open, acknowledged
FREQUENT_SHARE = 0.3  # of complaints from the 5% of residents who complain most

_WORDS_TEXT = (
    "damp mould bathroom bedroom kitchen boiler heating radiator leak roof window door lock "
    "repair appointment contractor missed rearranged noise neighbour rent charge service lift "
    "stairs cleaning bins parking garden fence gutter ceiling wall floor electrics smell pest "
    "communication phone call email letter response waited weeks months nobody came again"
)
WORDS = tuple(_WORDS_TEXT.split())
LETTERS = "ABDEFGHJLN"
STREETS = (
    "Acacia Avenue",
    "Birch Close",
    "Cedar Road",
    "Deacon Street",
    "Elm Grove",
    "Foundry Lane",
    "Granary Court",
    "Holly Way",
    "Ivy Terrace",
    "Juniper Place",
)
_FIRST_NAMES_TEXT = (
    "Ada Ben Cara Dev Emma Femi Gita Hana Ian Jo Kofi Lena Mo Nia Olu Priya Quinn Rhys "
    "Sara Tom Uma Vik Wren Yusuf Zoe"
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_LAST_NAMES_TEXT = (
    "Adams Begum Clarke Davies Evans Fraser Green Hussain Iqbal Jones Khan Lewis Morgan "
    "Nowak Owen Patel Quinn Roberts Smith Taylor Usman Vaughan Walker Young"
)
LAST_NAMES = tuple(_LAST_NAMES_TEXT.split())
NOTES = (
    "Called the resident to talk through the complaint; they agreed the points as recorded.",
    "Asked the repairs team for the job history and the contractor's notes.",
    "Inspection booked; resident asked for a morning appointment.",
    "Resident called for an update; told the response is on track.",
    "Spoke to the surveyor, report expected next week.",
    "Checked the rent account: the charge was applied twice in March.",
    "Manager asked to review the draft before it goes for sign-off.",
)
CORRESPONDENCE_TEXT = {
    "in": (
        "Resident emailed photos of the mould in the back bedroom.",
        "Resident phoned to say the contractor did not arrive again.",
        "Letter from the resident's MP asking for an update.",
        "Resident emailed to add that the heating is now off completely.",
    ),
    "out": (
        "Acknowledgement letter with the points of complaint and the response date.",
        "Update to the resident on the inspection and what happens next.",
        "Response letter with the decision on each point and the remedies offered.",
        "Email confirming the appointment for the follow-up inspection.",
    ),
}


def _weighted(rng: random.Random, mix: dict) -> Any:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


@dataclass
class StagePlan:
    """One stage: the random choices first, then (from ``_compose``) its dates."""

    number: int
    handler: Any = None
    ack_days: int | None = None  # working days from receipt to acknowledgement; None: not yet
    extensions: list[int] = field(default_factory=list)  # working days each extension adds
    respond: str = ""  # "", "on_time" or "late"
    respond_days: int = 0  # on time: after the acknowledgement; late: after the current due date
    draft_share: float = 0.0  # where drafting falls between acknowledgement and response
    sign_share: float = 0.0
    signer: Any = None
    draft_state: str = ""  # an open stage's draft: "", "awaiting", "returned", "signed"
    outcome: str = ""
    # Dates, worked out by _compose.
    received: date | None = None
    ack_due: date | None = None
    ack: date | None = None
    response_due: date | None = None
    on_time_due: date | None = None
    cap: date | None = None
    ext_dues: list[date] = field(default_factory=list)
    current_due: date | None = None
    responded: date | None = None
    drafted: date | None = None
    signed: date | None = None


@dataclass
class Plan:
    """One complaint before it becomes rows: status, stages, the step that ended it, dates."""

    status: str
    stages: list[StagePlan]
    escalate_days: int = 0  # working days from the stage 1 response to the escalation request
    end: str = ""  # "closed", "duplicate", "not_accepted", "escalation_refused", "withdrawn"
    end_days: int = 0  # working days from the last step to the ending one
    reversed_refusal: tuple[int, int] | None = None  # (receipt to refusal, refusal to reversal)
    received: date | None = None  # the complaint's receipt (stage 1's, unless a refusal reversed)
    end_on: date | None = None
    index: int = 0
    reference: str = ""


class Builder:
    """Makes the rows; one instance per build."""

    def __init__(self, complaints: int, seed: int, say):
        from putright.organisation.selectors import current_calendar, current_timescales

        self.n = complaints
        self.rng = random.Random(seed)
        self.say = say
        from putright.core import clock

        self.calendar = current_calendar()
        self.timescales = current_timescales()
        self.today = clock.today()
        cal = self.calendar
        # The last working day on or before today: open deadlines are placed from it.
        self.base = self.today if cal.is_working_day(self.today) else cal.add(self.today, -1)
        first = date(self.today.year - 3, 1, 1)
        self.first = cal.add(first - timedelta(days=1), 1)
        self.counts: Counter = Counter()
        # The complaint being materialised: its last possible day, category and stage 1 points.
        self.until = self.today
        self.category_name = ""
        self.stage1_points: list[tuple[str, str]] = []

    # --- people and staff --------------------------------------------------------------------

    def people_and_staff(self) -> None:
        from django.contrib.auth.models import Group

        from putright.accounts.models import Team, User
        from putright.organisation.models import Category, ExclusionReason
        from putright.organisation.selectors import get_organisation
        from putright.people.models import Property, Resident, Tenancy

        rng = self.rng
        self.organisation = get_organisation()
        teams = [Team.objects.create(name=name) for name in TEAMS]
        groups = {g.name: g for g in Group.objects.all()}
        self.case_handlers, self.reviewers = [], []
        for n in range(HANDLERS):
            user = User.objects.create_user(
                email=f"handler{n}@{BENCH_DOMAIN}",
                password=None,
                full_name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} Handler{n}",
                team=teams[n % len(teams)],
            )
            reviewer = n % 5 == 4
            user.groups.add(groups["Quality reviewer" if reviewer else "Case handler"])
            (self.reviewers if reviewer else self.case_handlers).append(user)
        self.manager = User.objects.create_user(
            email=f"manager@{BENCH_DOMAIN}", password=None, full_name="Mina Manager"
        )
        self.manager.groups.add(groups["Complaints manager"])
        self.board = User.objects.create_user(
            email=f"board@{BENCH_DOMAIN}", password=None, full_name="Bola Board"
        )
        self.board.groups.add(groups["Board member"])

        # Most residents complain once or twice; a few many times (FREQUENT_SHARE).
        people = max(200, self.n * 3 // 5)
        homes = max(200, people * 4 // 5)
        self.properties = Property.objects.bulk_create(
            (
                Property(
                    uprn=str(100_000_000 + n),
                    address_line_1=f"{n % 300 + 1} {STREETS[n % len(STREETS)]}",
                    address_line_2=f"Block {n // 3000 + 1}" if n % 4 == 0 else "",
                    town="Greenway",
                    postcode=f"GW{n % 9 + 1} {n % 9 + 1}{LETTERS[n % 10]}{LETTERS[n // 10 % 10]}",
                )
                for n in range(homes)
            ),
            batch_size=2000,
        )
        self.residents = Resident.objects.bulk_create(
            (
                Resident(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    email=f"resident{n}@example.com",
                    phone=f"07700 9{n % 100000:05d}",
                )
                for n in range(people)
            ),
            batch_size=2000,
        )
        self.home_of: dict[int, Any] = {}
        tenancies = []
        for n, resident in enumerate(self.residents):
            home = self.properties[n % len(self.properties)]
            self.home_of[resident.pk] = home
            tenancies.append(
                Tenancy(
                    resident=resident,
                    property=home,
                    tenure=_weighted(rng, TENURE_MIX),
                    start_date=date(2012 + n % 10, 4, 1),
                    is_joint=n >= len(self.properties),
                )
            )
        Tenancy.objects.bulk_create(tenancies, batch_size=2000)
        self.frequent = self.residents[: max(1, people // 20)]
        self.top = list(Category.objects.filter(parent__isnull=True).prefetch_related("children"))
        self.children = {c.pk: list(c.children.all()) for c in self.top}
        reasons = list(ExclusionReason.objects.filter(is_active=True))
        self.reasons = {
            kind: [r for r in reasons if r.applies_to in (kind, "both")]
            for kind in ("acceptance", "escalation")
        }
        self.counts.update(
            {"staff": HANDLERS + 2, "homes": homes, "residents": people, "tenancies": people}
        )
        self.say(
            f"  {len(self.case_handlers)} case handlers, {len(self.reviewers)} quality reviewers, "
            f"a complaints manager and a board member; {homes:,} homes, {people:,} residents"
        )

    # --- planning: choices, then dates -------------------------------------------------------

    def _stage_choices(self, number: int, handler: Any, *, acknowledged: bool, responded: bool):
        rng = self.rng
        stage_ts = self.timescales.for_stage(number)
        plan = StagePlan(number=number, handler=handler)
        if not acknowledged:
            return plan
        plan.ack_days = rng.randint(6, 9) if rng.random() < ACK_LATE else rng.randint(1, 5)
        roll = rng.random()
        if roll < EXTEND_TWICE:
            first = rng.randint(1, stage_ts.extension_cap // 2)
            plan.extensions = [first, rng.randint(1, stage_ts.extension_cap - first)]
        elif roll < EXTEND_TWICE + EXTEND_ONCE:
            plan.extensions = [rng.randint(2, stage_ts.extension_cap)]
        if responded:
            if rng.random() < RESPOND_LATE:
                plan.respond, plan.respond_days = "late", rng.randint(1, 8)
            else:
                room = stage_ts.respond + sum(plan.extensions)
                plan.respond, plan.respond_days = "on_time", rng.randint(min(3, room), room)
            plan.draft_share, plan.sign_share = rng.random(), rng.random()
            plan.outcome = _weighted(rng, OUTCOMES[number])
        return plan

    def plan(self, index: int) -> Plan:
        """The complaint's choices and dates, with its receipt placed so its status fits today."""
        rng = self.rng
        status = _weighted(rng, STATUS_MIX)
        stage1_handler = rng.choice(self.case_handlers)
        signer1 = rng.choice(self.reviewers)
        plan = Plan(status=status, stages=[], index=index)
        if status == "withdrawn":
            plan.end, plan.end_days = "withdrawn", rng.randint(1, 10)
            status = _weighted(rng, WITHDRAWN_FROM)
        elif status == "closed" and rng.random() < DUPLICATE:
            plan.end, plan.end_days = "duplicate", rng.randint(1, 5)
            status = rng.choice(("received", "stage1_open"))
        elif status == "closed":
            window = self.organisation.escalation_window_days
            plan.end, plan.end_days = "closed", window + rng.randint(1, 2)
            status = "stage1_responded"
        elif status == "not_accepted":
            plan.end, plan.end_days = "not_accepted", rng.randint(1, 5)
            status = "stage1_open" if rng.random() < 0.2 else "received"
        elif status == "escalation_refused":
            plan.end, plan.end_days = "escalation_refused", rng.randint(1, 18)
            status = "stage1_responded"
        # ``status`` is now where the stages stand (or stood when the ending step came).
        s1_acked = status != "received"
        s1_responded = status in ("stage1_responded", "stage2_open", "stage2_responded")
        unallocated = {"received": UNALLOCATED_RECEIVED, "stage1_open": UNALLOCATED_OPEN}
        handler = None if rng.random() < unallocated.get(status, 0) else stage1_handler
        stage1 = self._stage_choices(1, handler, acknowledged=s1_acked, responded=s1_responded)
        stage1.signer = signer1
        plan.stages.append(stage1)
        if status in ("stage2_open", "stage2_responded"):
            plan.escalate_days = rng.randint(1, 18)
            # Code 6.13: nobody who considered stage 1 (handler, drafter, signer) at stage 2.
            handler2 = rng.choice([r for r in self.reviewers if r != signer1])
            s2_acked = status == "stage2_responded" or rng.random() > 0.15
            if not s2_acked and rng.random() < 0.4:
                handler2 = None
            stage2 = self._stage_choices(
                2, handler2, acknowledged=s2_acked, responded=status == "stage2_responded"
            )
            others = [r for r in self.reviewers if r not in (signer1, handler2)]
            stage2.signer = self.manager if rng.random() < 0.5 or not others else rng.choice(others)
            plan.stages.append(stage2)
        current = plan.stages[-1]
        if (
            plan.end in ("", "withdrawn")
            and status in OPEN
            and current.ack_days is not None
            and current.handler is not None
        ):
            current.draft_state = _weighted(rng, DRAFT_STATES)
            current.draft_share, current.sign_share = rng.random(), rng.random()
            current.outcome = _weighted(rng, OUTCOMES[current.number])
        if plan.status in ("received", "stage1_open") and rng.random() < REVERSED_REFUSAL:
            plan.reversed_refusal = (rng.randint(1, 5), rng.randint(5, 15))
        self._fit(plan)
        return plan

    def _compose(self, plan: Plan, received: date) -> list[date]:
        """Work out every date from the stage 1 receipt; returns the dates of steps taken."""
        from putright.complaints import deadlines

        cal, ts = self.calendar, self.timescales
        happened = [received]
        day = received
        for stage in plan.stages:
            stage.received = day
            stage.ack_due = deadlines.stage_acknowledgement_due(cal, ts, stage.number, day)
            if stage.ack_days is None:
                break
            stage.ack = cal.add(day, stage.ack_days)
            happened.append(stage.ack)
            dates = deadlines.stage_response_dates(cal, ts, stage.number, stage.ack, stage.ack_due)
            stage.response_due, stage.on_time_due, stage.cap = dates
            due = stage.response_due
            stage.ext_dues = []
            for step in stage.extensions:
                due = cal.add(due, step)
                stage.ext_dues.append(due)
            stage.current_due = due
            if stage.respond == "on_time":
                stage.responded = cal.add(stage.ack, stage.respond_days)
            elif stage.respond == "late":
                stage.responded = cal.add(due, stage.respond_days)
            if stage.responded is None:
                break
            span = cal.between(stage.ack, stage.responded)
            stage.drafted = cal.add(stage.ack, int(span * stage.draft_share))
            stage.signed = cal.add(
                stage.drafted,
                int(cal.between(stage.drafted, stage.responded) * stage.sign_share),
            )
            happened.append(stage.responded)
            if plan.escalate_days and stage.number == 1:
                day = cal.add(stage.responded, plan.escalate_days)
                happened.append(day)
        if plan.end:
            plan.end_on = cal.add(max(happened), plan.end_days)
            happened.append(plan.end_on)
        return happened

    def _fit(self, plan: Plan) -> None:
        """Place the receipt: open complaints' next deadlines within 21 working days either side
        of today, stage 1 responses inside the escalation window, the rest over three years."""
        cal, rng = self.calendar, self.rng
        happened = self._compose(plan, self.first)
        last = max(happened)
        current = plan.stages[-1]
        if plan.status in OPEN:
            anchor = current.ack_due if current.ack is None else current.current_due
            latest = cal.between(last, anchor)  # the deadline can be this far ahead of today
            target = cal.add(self.base, rng.randint(-21, min(21, latest)))
        elif plan.status == "stage1_responded":
            anchor = current.responded
            target = cal.add(self.base, -rng.randint(0, 19))
        else:
            anchor = last
            room = cal.between(self.first, self.base) - cal.between(self.first, last)
            target = cal.add(self.base, -rng.randint(1, max(1, room)))
        received = cal.add(target, -cal.between(self.first, anchor))
        happened = self._compose(plan, received)
        if max(happened) > self.today:  # pragma: no cover - the ranges above prevent it
            raise AssertionError(f"planned a step after today: {plan}")
        plan.received = received
        if plan.reversed_refusal:
            to_refusal, to_reversal = plan.reversed_refusal
            plan.received = cal.add(received, -(to_refusal + to_reversal))

    # --- rows ---------------------------------------------------------------------------------

    def build(self) -> None:
        from django.db.models import F

        from putright.complaints.models import Complaint, ReferenceCounter

        started = time.perf_counter()
        plans = [self.plan(i) for i in range(self.n)]
        plans.sort(key=lambda p: (p.received, p.index))
        counters: Counter = Counter()
        for plan in plans:
            counters[plan.received.year] += 1
            plan.reference = f"C-{plan.received.year}-{counters[plan.received.year]:05d}"
        self.say(f"  planned {len(plans):,} complaints in {time.perf_counter() - started:.1f}s")
        self.writer = Writer()
        self.complainant_of: list[Any] = [None] * len(plans)
        self.pk_of: list[int] = [0] * len(plans)
        self.is_duplicate = [p.end == "duplicate" for p in plans]
        self.linked: Counter = Counter()  # originals of duplicates: "duplicate linked" events
        written = time.perf_counter()
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start : start + CHUNK]
            for position, plan in enumerate(chunk, start=start):
                self.materialise(plan, position, plans)
            self._write()
            if (start // CHUNK) % 4 == 3 or start + CHUNK >= len(plans):
                seconds = time.perf_counter() - written
                self.say(f"  {start + len(chunk):,} complaints written ({seconds:.0f}s)")
        self.writer.reset_sequences()
        ReferenceCounter.objects.bulk_create(
            ReferenceCounter(year=year, last=last) for year, last in counters.items()
        )
        # Each "duplicate linked" event bumped its complaint's version too.
        by_count: dict[int, list[int]] = defaultdict(list)
        for pk, times in self.linked.items():
            by_count[times].append(pk)
        for times, pks in by_count.items():
            Complaint.objects.filter(pk__in=pks).update(version=F("version") + times)

    def _write(self) -> None:
        """Write one chunk's rows, parents before children."""
        for name in TABLES:
            rows = self.writer.rows.pop(name, [])
            if rows:
                self.writer.write(name, rows)
                self.counts[name] += len(rows)

    def materialise(self, plan: Plan, position: int, plans: list[Plan]) -> None:
        """The rows of one complaint, added to this chunk's."""
        from putright.complaints import search
        from putright.complaints.standing import apply, standing

        rng, new = self.rng, self.writer.new
        original_index = None
        if plan.end == "duplicate":
            # An earlier complaint of the same resident, not itself a duplicate.
            candidates = [
                i for i in range(max(0, position - 2000), position) if not self.is_duplicate[i]
            ]
            if candidates:
                original_index = rng.choice(candidates)
            else:  # the very first complaint has nothing to repeat: withdrawn instead
                plan.end, plan.status = "withdrawn", "withdrawn"
        self.until = plan.end_on or self.today
        if original_index is not None:
            resident = self.complainant_of[original_index]
        elif rng.random() < FREQUENT_SHARE:
            resident = rng.choice(self.frequent)
        else:
            resident = rng.choice(self.residents)
        self.complainant_of[position] = resident
        home = self.home_of[resident.pk]
        category = rng.choice(self.top)
        self.category_name = category.name
        children = self.children[category.pk]
        words = rng.choices(WORDS, k=rng.randint(15, 45))
        description = " ".join(words).capitalize() + "."
        received_at = datetime.combine(plan.received, datetime.min.time(), tzinfo=UTC).replace(
            hour=rng.randint(8, 17), minute=rng.randint(0, 59)
        )
        complaint = new(
            "complaints",
            reference=plan.reference,
            complainant_id=resident.pk,
            property_id=home.pk,
            tenure_at_receipt=_weighted(rng, TENURE_MIX),
            channel=_weighted(rng, CHANNEL_MIX),
            received_at=received_at,
            received_on=plan.received,
            logged_at=received_at + timedelta(minutes=rng.randint(1, 90)),
            category_id=category.pk,
            sub_category_id=rng.choice(children).pk if children else None,
            is_vulnerable=rng.random() < VULNERABLE,
            is_confidential=rng.random() < CONFIDENTIAL,
            description=description,
            search_text=search.text_for(
                complainant=resident, property=home, description=description
            ),
            status=plan.status,
            created_at=received_at,
        )
        self.pk_of[position] = complaint.id
        events = _Events(self.writer, complaint.id)
        logger = plan.stages[0].handler or self.manager
        events.add(plan.received, logger, "logged", f"Complaint {plan.reference} logged", 1)
        if plan.reversed_refusal:
            self._reversed_refusal(plan, complaint, events)
        stages = [self._stage(plan, sp, complaint, events) for sp in plan.stages]
        self._ending(plan, complaint, events, original_index, plans)
        self._record(plan, complaint, events)
        if complaint.is_confidential:
            for _ in range(rng.randint(1, 3)):
                on = _day_between(rng, plan.received, self.until)
                events.add(on, self.manager, "viewed", "Confidential case opened", None, bump=False)
        apply(complaint, standing(plan.status, stages))
        if plan.end == "duplicate":
            complaint.closure_reason = "duplicate"
        elif plan.end == "closed":
            complaint.closure_reason = "not_escalated"
        complaint.version = events.version
        events.flush()

    def _stage(self, plan: Plan, sp: StagePlan, complaint: Row, events: _Events) -> Row:
        rng, cal, new = self.rng, self.calendar, self.writer.new
        n = sp.number
        handler_id = sp.handler.pk if sp.handler else None
        stage = new(
            "stages",
            complaint_id=complaint.id,
            number=n,
            received_on=sp.received,
            handler_id=handler_id,
            acknowledgement_due=sp.ack_due,
        )
        if n == 2:
            events.add(sp.received, plan.stages[0].handler, "escalated", "Escalated to stage 2", 2)
        if sp.handler is not None and (n == 2 or rng.random() < 0.5):
            events.add(
                sp.received,
                self.manager,
                "allocated",
                f"Stage {n} allocated to {sp.handler.full_name}",
                n,
                changes={"handler": [None, {"id": handler_id, "label": sp.handler.full_name}]},
            )
        texts = self._point_texts(n)
        points: list[Row] = []
        if sp.ack is None:
            # Points may be recorded before the acknowledgement (Code 6.8).
            if rng.random() < 0.25:
                on = _day_between(rng, sp.received, self.until)
                summary, sought = texts[0]
                points.append(
                    new(
                        "points",
                        stage_id=stage.id,
                        number=1,
                        summary=summary,
                        outcome_sought=sought,
                        added_on=on,
                    )
                )
                events.add(
                    on, sp.handler or self.manager, "point_added", f"Point 1 added to stage {n}", n
                )
            return stage
        stage.acknowledged_on = sp.ack
        stage.response_due = sp.response_due
        stage.response_due_if_acknowledged_on_time = sp.on_time_due
        stage.extension_cap = sp.cap
        stage.ack_within_code = sp.ack <= sp.ack_due
        if rng.random() < 0.5:
            stage.complexity = rng.choice(("low", "medium", "high"))
            stage.risk = rng.choice(("none", "some", "high"))
        for number, (summary, sought) in enumerate(texts, start=1):
            points.append(
                new(
                    "points",
                    stage_id=stage.id,
                    number=number,
                    summary=summary,
                    outcome_sought=sought,
                    added_on=sp.ack,
                )
            )
        events.add(
            sp.ack,
            sp.handler or self.manager,
            "acknowledged",
            f"Stage {n} acknowledged; response due {sp.response_due:%d %B %Y}",
            n,
        )
        until = sp.responded or self.until
        if rng.random() < 0.05 and sp.ack < until:
            on = _day_between(rng, cal.add(sp.ack, 1), until)
            points.append(
                new(
                    "points",
                    stage_id=stage.id,
                    number=len(points) + 1,
                    summary="The resident added that nobody returned their calls.",
                    outcome_sought="A named contact for the rest of the complaint.",
                    added_on=on,
                    added_after_acknowledgement=True,
                )
            )
            events.add(
                on,
                sp.handler or self.manager,
                "point_added",
                f"Point {len(points)} added to stage {n}",
                n,
            )
        self._extensions(sp, stage, events)
        if sp.responded is not None:
            self._response(sp, stage, points, complaint, events)
        elif sp.draft_state:
            self._open_draft(sp, stage, points, events)
        if sp.responded is None and sp.current_due < self.until and rng.random() < 0.3:
            # A late response: updates agreed with the resident (Code 5.9).
            on = _day_between(rng, sp.current_due, self.until)
            stage.update_interval_days = rng.randint(5, 10)
            stage.update_interval_agreed_on = on
            events.add(
                on,
                sp.handler or self.manager,
                "update_interval_agreed",
                f"Stage {n}: updates every {stage.update_interval_days} working days agreed",
                n,
            )
        return stage

    def _point_texts(self, number: int) -> list[tuple[str, str]]:
        from putright.demo.complaints import GENERIC_POINTS, POINTS

        rng = self.rng
        if number == 2 and self.stage1_points:
            # Stage 2 starts from the stage 1 points, confirmed or narrowed by the handler.
            return rng.sample(self.stage1_points, rng.randint(1, len(self.stage1_points)))
        options = POINTS.get(self.category_name, GENERIC_POINTS)
        count = min(_weighted(rng, POINT_COUNTS), len(options))
        self.stage1_points = rng.sample(options, count)
        return self.stage1_points

    def _extensions(self, sp: StagePlan, stage: Row, events: _Events) -> None:
        from putright.demo.complaints import EXTENSION_REASONS

        rng = self.rng
        previous, since = sp.response_due, sp.ack
        for new_due in sp.ext_dues:
            # Told on or before the date it moves, after the acknowledgement, never in the future.
            notice = _day_between(rng, since, min(previous, self.until))
            self.writer.new(
                "extensions",
                stage_id=stage.id,
                notice_on=notice,
                previous_due=previous,
                new_due=new_due,
                reason=rng.choice(EXTENSION_REASONS),
                ombudsman_details_given=True,
            )
            events.add(
                notice,
                sp.handler or self.manager,
                "extended",
                f"Stage {sp.number} response date extended to {new_due:%d %B %Y}",
                sp.number,
                changes={"extended_due": [str(previous), str(new_due)]},
            )
            previous, since = new_due, notice
        stage.extended_due = sp.ext_dues[-1] if sp.ext_dues else None

    def _content(self, sp: StagePlan, points: list[Row], issue_on: date) -> dict:
        """A response as ``response_draft_submit`` stores it: a decision on every point."""
        from putright.demo.complaints import (
            CAUSES_BY_FINDING,
            OUTSTANDING_ACTIONS,
            REASONS,
            REMEDIES,
        )

        rng = self.rng
        outcome = sp.outcome or "upheld"
        if outcome != "partly_upheld" or len(points) == 1:
            findings = [outcome] * len(points)
        else:
            findings = [rng.choice(("upheld", "partly_upheld", "not_upheld")) for _ in points]
            findings[rng.randrange(len(points))] = "partly_upheld"
        content: dict[str, Any] = {
            "decisions": {
                str(p.number): [f, rng.choice(REASONS[f])]
                for p, f in zip(points, findings, strict=True)
            },
            "remedies": [],
            "actions": [],
            "root_causes": [],
        }
        if any(f != "not_upheld" for f in findings):
            remedies = [("apology", "A written apology.", None), rng.choice(REMEDIES)]
            content["remedies"] = [
                {"kind": k, "description": d, "amount_pence": a} for k, d, a in remedies
            ]
            content["root_causes"] = [
                str(c) for c in rng.sample(CAUSES_BY_FINDING, rng.randint(1, 2))
            ]
            if rng.random() < ACTIONS:
                content["actions"] = [
                    {
                        "description": rng.choice(OUTSTANDING_ACTIONS),
                        "owner_id": sp.handler.pk,
                        "due_on": self.calendar.add(issue_on, rng.randint(5, 30)).isoformat(),
                    }
                    for _ in range(rng.choice((1, 1, 2)))
                ]
        return content

    def _response(self, sp: StagePlan, stage: Row, points: list[Row], complaint: Row, events):
        rng, cal, new = self.rng, self.calendar, self.writer.new
        n = sp.number
        content = self._content(sp, points, sp.responded)
        stage.draft = content
        stage.drafted_by_id = sp.handler.pk
        stage.drafted_on = sp.drafted
        stage.signed_off_by_id = sp.signer.pk
        stage.signed_off_on = sp.signed
        stage.responded_on = sp.responded
        stage.response_within_code = sp.responded <= sp.response_due
        stage.response_within_extension = (
            None if not sp.ext_dues else sp.responded <= sp.ext_dues[-1]
        )
        findings = [content["decisions"][str(p.number)][0] for p in points]
        if all(f == "upheld" for f in findings):
            stage.outcome = "upheld"
        elif all(f == "not_upheld" for f in findings):
            stage.outcome = "not_upheld"
        else:
            stage.outcome = "partly_upheld"
        for finding in ("upheld", "partly_upheld", "not_upheld"):
            setattr(stage, f"points_{finding}", findings.count(finding))
        stage.root_causes = content["root_causes"]
        events.add(
            sp.drafted,
            sp.handler,
            "drafted",
            f"Stage {n} response drafted for its quality check",
            n,
        )
        events.add(sp.signed, sp.signer, "signed_off", f"Stage {n} response signed off", n)
        events.add(
            sp.responded,
            sp.handler,
            "responded",
            f"Stage {n} response issued",
            n,
            changes={"outcome": ["", stage.outcome]},
        )
        for point in points:
            finding, reasons = content["decisions"][str(point.number)]
            new("decisions", point_id=point.id, finding=finding, reasons=reasons)
        for remedy in content["remedies"]:
            new("remedies", stage_id=stage.id, **remedy)
        for spec in content["actions"]:
            due_on = date.fromisoformat(spec["due_on"])
            action = new(
                "actions",
                stage_id=stage.id,
                complaint_id=complaint.id,
                description=spec["description"],
                owner_id=spec["owner_id"],
                due_on=due_on,
                status="open",
            )
            latest = min(self.today, cal.add(due_on, 10))
            if latest > sp.responded and rng.random() < 0.8:
                action.status = "done"
                action.completed_on = _day_between(rng, cal.add(sp.responded, 1), latest)
                action.completion_note = "Done and confirmed with the resident."
                events.add(
                    action.completed_on,
                    sp.handler,
                    "action_completed",
                    f"Action done: {action.description}",
                    n,
                )

    def _open_draft(self, sp: StagePlan, stage: Row, points: list[Row], events: _Events) -> None:
        """A draft waiting for its check, returned for changes, or signed off and not issued."""
        rng = self.rng
        n = sp.number
        drafted = _day_between(rng, sp.ack, self.until)
        content = self._content(sp, points, self.until)
        stage.drafted_by_id = sp.handler.pk
        stage.drafted_on = drafted
        events.add(
            drafted, sp.handler, "drafted", f"Stage {n} response drafted for its quality check", n
        )
        checked = _day_between(rng, drafted, self.until)
        if sp.draft_state == "returned":
            content["returned"] = {
                "returned": checked.isoformat(),
                "note": "Explain the repair history before the decision on point 1.",
            }
            events.add(
                checked,
                sp.signer,
                "sign_off_declined",
                f"Stage {n} response returned for changes",
                n,
            )
        elif sp.draft_state == "signed":
            stage.signed_off_by_id = sp.signer.pk
            stage.signed_off_on = checked
            events.add(checked, sp.signer, "signed_off", f"Stage {n} response signed off", n)
        stage.draft = content

    def _reversed_refusal(self, plan: Plan, complaint: Row, events: _Events) -> None:
        """Not accepted soon after logging, then taken on after a review (Code 2.4)."""
        reason = self.rng.choice(self.reasons["acceptance"])
        decided = self.calendar.add(plan.received, plan.reversed_refusal[0])
        reversed_on = plan.stages[0].received
        self._refusal(
            complaint,
            "acceptance",
            1,
            reason,
            decided,
            plan.received,
            reversed_on=reversed_on,
            reversed_by_id=self.manager.pk,
            reversal_basis="review",
            reversal_note="On review the complaint is about our service, so we take it on.",
        )
        events.add(
            decided, self.manager, "not_accepted", f"Complaint not accepted: {reason.label}", 1
        )
        events.add(
            reversed_on,
            self.manager,
            "refusal_reversed",
            "Refusal reversed (Landlord's own review)",
            1,
        )

    def _refusal(self, complaint, kind, stage_number, reason, decided, received, **extra) -> None:
        evidence_date = None
        if reason.requires_date_evidence:
            evidence_date = received - timedelta(days=self.rng.randint(400, 700))
        self.writer.new(
            "refusals",
            complaint_id=complaint.id,
            stage_number=stage_number,
            kind=kind,
            reason_id=reason.pk,
            explanation=f"The complaint falls under our policy: {reason.label}.",
            evidence="Case notes and the resident's account checked against our records.",
            evidence_date=evidence_date,
            resident_told_on=decided,
            ombudsman_rights_given=True,
            decided_by_id=self.manager.pk,
            decided_on=decided,
            **extra,
        )

    def _ending(self, plan, complaint, events, original_index, plans) -> None:
        if not plan.end:
            return
        on = plan.end_on
        who = plan.stages[0].handler or self.manager
        if plan.end == "withdrawn":
            events.add(on, who, "withdrawn", "Complaint withdrawn: the matter was sorted out", None)
        elif plan.end == "closed":
            events.add(on, None, "closed", "Closed: no escalation requested in time", 1)
        elif plan.end == "duplicate":
            original = plans[original_index]
            complaint.duplicate_of_id = self.pk_of[original_index]
            events.add(
                on,
                who,
                "marked_duplicate",
                f"Closed as a duplicate of {original.reference}: the same repair reported twice",
                None,
            )
            # The original's own history records the link (and its version moves).
            linked = _Events(self.writer, complaint.duplicate_of_id)
            linked.add(
                on,
                who,
                "duplicate_linked",
                f"{plan.reference} closed as a duplicate of this complaint: the same "
                "repair reported twice",
                None,
                changes={"duplicates": [None, {"id": complaint.id, "label": plan.reference}]},
            )
            linked.flush()
            self.linked[complaint.duplicate_of_id] += 1
        else:
            kind = "acceptance" if plan.end == "not_accepted" else "escalation"
            reason = self.rng.choice(self.reasons[kind])
            stage_number = 1 if kind == "acceptance" else 2
            self._refusal(complaint, kind, stage_number, reason, on, plan.received)
            action = "not_accepted" if kind == "acceptance" else "escalation_refused"
            label = "Complaint not accepted" if kind == "acceptance" else "Escalation refused"
            events.add(on, self.manager, action, f"{label}: {reason.label}", stage_number)

    def _record(self, plan: Plan, complaint: Row, events: _Events) -> None:
        """Correspondence, notes and documents (Code 5.12), each with its service's event."""
        rng, new = self.rng, self.writer.new
        last = self.until
        writer = plan.stages[-1].handler or plan.stages[0].handler or self.manager

        def document(on, kind, name, content_type="application/pdf") -> Row:
            events.add(on, writer, "document_uploaded", f"Document {name} uploaded", None)
            return new(
                "documents",
                complaint_id=complaint.id,
                file=f"complaints/{on:%Y/%m}/{name}",
                original_name=name,
                content_type=content_type,
                size=rng.randint(20_000, 2_000_000),
                kind=kind,
                uploaded_on=on,
                uploaded_by_id=writer.pk,
                created_at=_at(on),
            )

        def letter(on, direction, channel, party, text, stage_number, attached=None) -> None:
            new(
                "correspondence",
                complaint_id=complaint.id,
                stage_number=stage_number,
                direction=direction,
                channel=channel,
                party=party,
                happened_on=on,
                summary=text,
                document_id=attached.id if attached else None,
                recorded_by_id=writer.pk,
                created_at=_at(on),
            )
            events.add(
                on,
                writer,
                "correspondence_recorded",
                f"{'Incoming' if direction == 'in' else 'Outgoing'} {channel} ({party}) recorded",
                stage_number,
            )

        if rng.random() < 0.4:
            letter(
                plan.received,
                "in",
                "email",
                "resident",
                "The resident's complaint email, as received.",
                1,
            )
        for sp in plan.stages:
            if sp.ack is not None and rng.random() < 0.7:
                letter(
                    sp.ack,
                    "out",
                    rng.choice(("email", "letter")),
                    "resident",
                    CORRESPONDENCE_TEXT["out"][0],
                    sp.number,
                )
            if sp.responded is not None and rng.random() < 0.85:
                attached = None
                if rng.random() < 0.5:
                    attached = document(
                        sp.responded, "letter", f"stage-{sp.number}-response-{plan.reference}.pdf"
                    )
                letter(
                    sp.responded,
                    "out",
                    rng.choice(("email", "letter")),
                    "resident",
                    CORRESPONDENCE_TEXT["out"][2],
                    sp.number,
                    attached,
                )
        for _ in range(rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0]):
            direction = rng.choice(("in", "out"))
            letter(
                _day_between(rng, plan.received, last),
                direction,
                rng.choice(("phone", "email", "letter")),
                rng.choice(("resident", "resident", "contractor", "mp_or_councillor")),
                rng.choice(CORRESPONDENCE_TEXT[direction]),
                None,
            )
        for _ in range(rng.choices((0, 1, 2, 3, 5), (35, 30, 20, 10, 5))[0]):
            on = _day_between(rng, plan.received, last)
            new(
                "notes",
                complaint_id=complaint.id,
                text=rng.choice(NOTES),
                written_on=on,
                written_by_id=writer.pk,
                created_at=_at(on),
            )
            events.add(on, writer, "note_added", "Note added", None)
        if rng.random() < 0.2:
            for number in range(rng.randint(1, 2)):
                document(
                    _day_between(rng, plan.received, last),
                    rng.choice(("photo", "evidence")),
                    f"photo-{number + 1}.jpg",
                    "image/jpeg",
                )


# Writing rows ------------------------------------------------------------------------------------

# Tables in the order they are written (parents first), by the name rows are kept under.
TABLES = {
    "complaints": "Complaint",
    "stages": "Stage",
    "points": "Point",
    "decisions": "Decision",
    "remedies": "Remedy",
    "actions": "Action",
    "extensions": "Extension",
    "refusals": "Refusal",
    "documents": "Document",
    "correspondence": "Correspondence",
    "notes": "Note",
    "events": "ComplaintEvent",
}


class Row(dict):
    """One row to insert, keyed by column attribute (``complaint_id``); attributes read it too,
    so ``putright.complaints.standing`` can read stages and set a complaint's queue fields."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return self.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Writer:
    """Rows with ids given here (so children and duplicates link without asking the database),
    written with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL). Values go through Django's
    own adapters for the database (dates, times, JSON, files); columns a row leaves out get the
    model field's default, and ``auto_now`` columns the time of the build unless the row gives
    one."""

    def __init__(self):
        from django.apps import apps
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.models import DateField, DateTimeField, FileField, JSONField
        from django.utils import timezone

        connection = connections[DEFAULT_DB_ALIAS]
        self.connection = connection
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.models = {name: apps.get_model("complaints", model) for name, model in TABLES.items()}
        self.next_id: dict[str, int] = {}
        self.plans: dict[str, tuple[str, list]] = {}
        ops, quote, now = connection.ops, connection.ops.quote_name, timezone.now()
        for name, model in self.models.items():
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next_id[name] = last or 0
            fields = model._meta.concrete_fields
            columns = []
            for f in fields:
                if isinstance(f, DateTimeField):
                    convert = ops.adapt_datetimefield_value
                elif isinstance(f, DateField):
                    convert = ops.adapt_datefield_value
                elif isinstance(f, (JSONField, FileField)):
                    convert = partial(_prep, f, connection)
                else:
                    convert = None
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = now
                else:
                    default = None if f.primary_key else f.get_default()
                # The default, converted once for every row that leaves the column out.
                columns.append((f.attname, convert(default) if convert else default, convert))
            table = quote(model._meta.db_table)
            names = ", ".join(quote(f.column) for f in fields)
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({names}) FROM STDIN"
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
            self.plans[name] = (sql, columns)

    def new(self, table: str, **values: Any) -> Row:
        self.next_id[table] += 1
        row = Row(id=self.next_id[table], **values)
        self.rows[table].append(row)
        return row

    def write(self, table: str, rows: list[Row]) -> None:
        sql, columns = self.plans[table]
        values = [
            tuple(
                default
                if name not in row
                else (convert(row[name]) if convert is not None else row[name])
                for name, default, convert in columns
            )
            for row in rows
        ]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(sql) as copy:
                    for row in values:
                        copy.write_row(row)
                return
            for start in range(0, len(values), 5000):
                cursor.executemany(sql, values[start : start + 5000])

    def reset_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids given here (SQLite's AUTOINCREMENT
        follows explicit ids by itself)."""
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models.values())
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _Events:
    """One complaint's history, written in the order it happened; ``version`` counts the events
    that bumped the complaint's version (all but the record of a confidential case's reading)."""

    def __init__(self, writer: Writer, complaint_id: int):
        self.writer = writer
        self.complaint_id = complaint_id
        self.pending: list[tuple[date, int, dict]] = []
        self.version = 0

    def add(self, on, actor, action, summary, stage_number, *, changes=None, bump=True) -> None:
        self.pending.append(
            (
                on,
                len(self.pending),
                {
                    "complaint_id": self.complaint_id,
                    "stage_number": stage_number,
                    "happened_on": on,
                    "actor_id": actor.pk if actor is not None else None,
                    # As EventBase.build: PutRight itself acted (the closing sweep).
                    "actor_description": ""
                    if actor is not None
                    else "PutRight (no signed-in user)",
                    "action": action,
                    "summary": summary,
                    "changes": changes or {},
                },
            )
        )
        self.version += bump

    def flush(self) -> None:
        for minute, (on, _, values) in enumerate(sorted(self.pending, key=lambda e: e[:2])):
            self.writer.new("events", recorded_at=_at(on, minute), **values)
        self.pending = []


def _prep(field: Any, connection: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _at(on: date, minute: int = 0) -> datetime:
    """When PutRight recorded something that happened on ``on``: that morning."""
    return datetime(on.year, on.month, on.day, 9, tzinfo=UTC) + timedelta(minutes=minute)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from ``first`` to ``last`` (``first`` when ``last`` is earlier)."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randint(0, span))


# Building, marking and checking ------------------------------------------------------------------


def build(complaints: int, *, seed: int = SEED, say=print) -> dict[str, Any]:
    """Migrate the empty database and fill it; returns who to sign in as and what was made."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from putright.accounts.roles import sync_roles
    from putright.complaints.report_copies import copy_onto_stages

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    sync_roles()
    say(f"  migrated in {time.perf_counter() - started:.1f}s")
    with transaction.atomic():
        builder = Builder(complaints, seed, say)
        builder.people_and_staff()
        builder.build()
        # As the services do when a stage opens: the complaint's facts the report counts by.
        copy_onto_stages(connection)
    counts = dict(builder.counts)
    say("  rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    return {"seconds": round(time.perf_counter() - started, 1), "rows": counts}


def mark(complaints: int, seed: int, seconds: float) -> None:
    """Record in the database that this benchmark built it (so a later run may reuse or drop it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (complaints integer, seed integer, built_on date, "
            "build_seconds real)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s)",
            [complaints, seed, date.today().isoformat(), seconds],
        )


def marker() -> dict[str, Any] | None:
    """What ``mark`` recorded, or None when the database was not built by this benchmark."""
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT complaints, seed, built_on, build_seconds FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    if row is None:
        return None
    return {"complaints": row[0], "seed": row[1], "built_on": str(row[2]), "build_seconds": row[3]}


def check(today: date | None = None) -> dict[str, int]:
    """Count rows that break the engine's rules; every count should be 0.

    Reads every complaint and stage once (a few seconds at 100,000 complaints).
    """
    from django.db.models import Count, Exists, F, OuterRef, Q

    from putright.complaints.models import (
        Complaint,
        ComplaintEvent,
        Decision,
        Extension,
        Point,
        Refusal,
        Stage,
    )
    from putright.complaints.standing import STANDING_FIELDS, standing
    from putright.core import clock

    today = today or clock.today()
    problems: Counter = Counter()
    stage_fields = (
        "complaint_id",
        "number",
        "handler_id",
        "acknowledged_on",
        "acknowledgement_due",
        "response_due",
        "extended_due",
        "responded_on",
        "ack_within_code",
        "response_within_code",
        "response_within_extension",
        "draft",
        "signed_off_by_id",
        "drafted_by_id",
        "received_on",
    )
    stages_of: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for row in Stage.objects.values_list(*stage_fields).iterator(chunk_size=5000):
        stages_of[row[0]].append(SimpleNamespace(**dict(zip(stage_fields, row, strict=True))))
    complaint_fields = ("id", "status", "received_on", "closure_reason", *STANDING_FIELDS)
    for row in Complaint.objects.values_list(*complaint_fields).iterator(chunk_size=5000):
        values = dict(zip(complaint_fields, row, strict=True))
        stages = sorted(stages_of.get(values["id"], []), key=lambda s: s.number)
        if not stages or stages[0].number != 1:
            problems["complaint without stage 1"] += 1
            continue
        expected = standing(values["status"], stages)
        if tuple(values[name] for name in STANDING_FIELDS) != tuple(expected):
            problems["queue fields differ from standing()"] += 1
        status, number = values["status"], stages[-1].number
        at_stage2 = status in ("stage2_open", "stage2_responded")
        if status != "withdrawn" and at_stage2 != (number == 2):
            problems["stage count does not fit the status"] += 1
        if status == "closed" and values["closure_reason"] not in ("not_escalated", "duplicate"):
            problems["closed without a closure reason"] += 1
        for stage in stages:
            if stage.received_on > today or (stage.acknowledged_on or today) > today:
                problems["stage dated after today"] += 1
            if stage.responded_on is not None:
                if stage.handler_id is None:
                    problems["response without a handler"] += 1
                if stage.signed_off_by_id is None or stage.signed_off_by_id in (
                    stage.handler_id,
                    stage.drafted_by_id,
                ):
                    problems["response not signed off by someone else"] += 1
                if stage.acknowledged_on is None or stage.responded_on < stage.acknowledged_on:
                    problems["response before acknowledgement"] += 1
        if len(stages) == 2:
            first, second = stages
            involved = {first.handler_id, first.drafted_by_id, first.signed_off_by_id} - {None}
            if {second.handler_id, second.drafted_by_id, second.signed_off_by_id} & involved:
                problems["stage 2 person involved at stage 1"] += 1
    acknowledged_without_points = Stage.objects.filter(acknowledged_on__isnull=False).exclude(
        Exists(Point.objects.filter(stage=OuterRef("pk")))
    )
    problems["acknowledged stage without points"] = acknowledged_without_points.count()
    problems["responded stage with an undecided point"] = (
        Point.objects.filter(stage__responded_on__isnull=False)
        .exclude(Exists(Decision.objects.filter(point=OuterRef("pk"))))
        .count()
    )
    problems["decision on a stage not responded"] = Decision.objects.filter(
        point__stage__responded_on__isnull=True
    ).count()
    problems["extension beyond its cap or noticed late"] = Extension.objects.filter(
        Q(new_due__gt=F("stage__extension_cap"))
        | Q(notice_on__gt=F("previous_due"))
        | Q(notice_on__lt=F("stage__acknowledged_on"))
        | Q(notice_on__gt=today)
    ).count()
    refused = Complaint.objects.filter(status__in=("not_accepted", "escalation_refused"))
    problems["refused without a standing refusal"] = refused.exclude(
        Exists(Refusal.objects.filter(complaint=OuterRef("pk"), reversed_on__isnull=True))
    ).count()
    problems["event dated after today"] = ComplaintEvent.objects.filter(
        happened_on__gt=today
    ).count()
    versions = (
        ComplaintEvent.objects.exclude(action="viewed")
        .values("complaint")
        .annotate(n=Count("id"))
        .values_list("complaint", "n")
    )
    version_of = dict(Complaint.objects.values_list("id", "version"))
    problems["version differs from its events"] = sum(
        1 for pk, n in versions.iterator(chunk_size=5000) if version_of.get(pk) != n
    )
    return dict(sorted(problems.items()))

"""Demo step: lessons learned from the demo's complaints, and this year's service improvement
plan with actions at mixed RAG status, progress updates and the quarters' snapshots.

Everything goes through ``putright.learning.services`` (a few dozen calls, well under a second).
Run again (``--force``), it leaves an existing plan and its lessons alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from putright.accounts.roles import COMPLAINTS_MANAGER, QUALITY_REVIEWER
from putright.complaints.models import Complaint, Stage
from putright.core import clock
from putright.learning import services
from putright.learning.models import ImprovementPlan, LessonStatus, Rag

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

# (root cause, title, what happened, learning, change made or "" while not yet embedded)
LESSONS = (
    (
        "quality_of_work",
        "Damp jobs closed after a mould wash, before the cause was found",
        "Repairs closed damp and mould jobs once the mould was washed, without a survey, so "
        "the mould came back and residents complained again.",
        "A mould wash treats the sign, not the cause: every report needs a survey first.",
        "Every damp and mould report now starts with a survey within 10 working days, and the "
        "job closes only when the surveyor signs off the cause as fixed.",
    ),
    (
        "communication",
        "Residents were not told when a repair appointment moved",
        "Appointments were moved by the contractor without anyone telling the resident, who "
        "stayed in for a visit that did not happen.",
        "Whoever moves an appointment owns telling the resident, the same day.",
        "The contractor's system now texts the resident whenever an appointment moves.",
    ),
    (
        "delay",
        "Stage 1 responses waited for a manager's sign-off",
        "Drafts sat for days waiting for one manager to sign them off, so responses missed "
        "the Code's 10 working days.",
        "Sign-off must not depend on one person.",
        "",
    ),
    (
        "failure_to_act",
        "Follow-on works promised in responses were not booked",
        "Responses promised follow-on works that nobody booked, so residents came back to "
        "complain that nothing had happened.",
        "A promise in a response is an action with an owner and a date, tracked to the end.",
        "",
    ),
    (
        "policy",
        "The compensation policy did not cover time without heating",
        "Residents without heating were offered different amounts by different teams.",
        "The policy needs set amounts for loss of heating and hot water.",
        "",
    ),
)

# The category of the complaints each lesson above came from, in the same order.
LESSON_CATEGORIES = (
    "Damp and mould",
    "Repairs",
    "Complaint handling",
    "Repairs",
    "Charges and rent",
)

GOALS = (
    (
        "People",
        (
            (
                "Complaint handling and letter-writing training for every service manager.",
                60,
                Rag.AMBER,
                "The first sessions moved to next quarter.",
            ),
            (
                "Set up a residents' panel to review complaint handling.",
                20,
                Rag.RED,
                "No residents have come forward yet; working with TPAS to recruit.",
            ),
            (
                "Lessons learnt case studies for every team's performance updates.",
                100,
                Rag.COMPLETE,
                "",
            ),
        ),
    ),
    (
        "Systems",
        (
            ("Store every complaint's evidence on the case record.", 50, Rag.GREEN, ""),
            (
                "Collect satisfaction after each complaint closes.",
                30,
                Rag.AMBER,
                "Waiting for the survey wording to be agreed.",
            ),
        ),
    ),
    (
        "Processes",
        (
            ("Review the complaints policy against the Code.", 100, Rag.COMPLETE, ""),
            ("Survey first for every damp and mould report.", 70, Rag.GREEN, ""),
        ),
    ),
)


def make_learning(generator: DemoGenerator) -> None:
    today = min(generator.as_at, clock.today())
    year = services.financial_year_of(today)
    if ImprovementPlan.objects.filter(year=year).exists():
        generator.say("Learning: this year's plan already exists; left as it is.")
        return
    by_role = generator.results["staff_by_role"]
    manager = by_role[COMPLAINTS_MANAGER][0]
    leads = [manager, *by_role[QUALITY_REVIEWER]]
    rng = generator.rng_for("learning")
    with clock.fixed(today):
        lessons = _lessons(generator, rng, manager, leads, today)
        actions = _plan(rng, manager, leads, lessons, year, today)
    generator.say(f"Learning: {len(lessons)} lessons and a plan with {actions} actions.")


def _lessons(generator, rng, manager, leads, today: dt.date) -> list:
    """Lessons from complaints responded to in the last year, grouped by root cause."""
    ids = generator.results.get("complaints", {}).get("ids", [])
    responded = list(
        Stage.objects.filter(
            complaint_id__in=ids,
            number=1,
            responded_on__isnull=False,
            responded_on__gte=today - dt.timedelta(days=365),
        )
        .order_by("responded_on", "id")
        .values_list("complaint_id", "responded_on", "complaint__category__name")
    )
    complaints = Complaint.objects.in_bulk([pk for pk, _, _ in responded])
    made = []
    for index, (cause, title, happened, learning, change) in enumerate(LESSONS):
        # Complaints of the lesson's own category, so a lesson about damp is filed under it.
        fitting = [(pk, on) for pk, on, name in responded if name == LESSON_CATEGORIES[index]] or [
            (pk, on) for pk, on, _ in responded
        ]
        group = rng.sample(fitting, min(len(fitting), rng.randint(1, 3)))
        identified_on = max([on for _, on in group], default=today - dt.timedelta(days=90))
        first = complaints.get(group[0][0]) if group else None
        status = (
            LessonStatus.EMBEDDED
            if change
            else (LessonStatus.IN_PROGRESS if index % 2 else LessonStatus.IDENTIFIED)
        )
        done_on = min(today, identified_on + dt.timedelta(days=rng.randint(20, 60)))
        made.append(
            services.lesson_record(
                acting_user=manager,
                title=title,
                what_happened=happened,
                root_cause=cause,
                learning=learning,
                change_made=change,
                owner=leads[index % len(leads)],
                identified_on=identified_on,
                status=status,
                done_on=done_on if change else None,
                category=first.category if first else None,
                business_area=first.business_area if first else None,
                complaints=[complaints[pk] for pk, _ in group if pk in complaints],
            )
        )
    return made


def _plan(rng, manager, leads, lessons, year: int, today: dt.date) -> int:
    """The year's plan, its actions added at the year's start and updated since; a snapshot of
    every quarter already ended."""
    start = dt.date(year, 4, 1)
    plan = services.plan_create(
        acting_user=manager,
        year=year,
        title=f"Complaint handling improvement plan {year}-{year + 1 - 2000}",
    )
    count = 0
    for title, actions in GOALS:
        goal = services.goal_add(acting_user=manager, plan=plan, title=title)
        for description, percent, rag, reason in actions:
            action = services.plan_action_add(
                acting_user=manager,
                goal=goal,
                description=description,
                lead=leads[count % len(leads)],
                due_on=dt.date(year + 1, rng.choice((1, 2, 3)), 28),
                lessons=[lessons[count % len(lessons)]] if lessons and count % 2 == 0 else [],
                on=start,
            )
            # Half way between the start and today, then today: the updates a lead would give.
            middle = start + (today - start) / 2
            halfway = percent // 2
            services.plan_action_progress(
                acting_user=manager,
                action=action,
                percent_complete=halfway,
                rag=Rag.GREEN,
                note="Under way.",
                on=middle,
            )
            services.plan_action_progress(
                acting_user=manager,
                action=action,
                percent_complete=percent,
                rag=rag,
                rag_reason=reason,
                note="Completed." if rag == Rag.COMPLETE else "Progress as planned.",
                on=today,
            )
            count += 1
    for quarter in (1, 2, 3, 4):
        if services.quarter_end(year, quarter) < today:
            services.plan_snapshot_take(acting_user=manager, plan=plan, quarter=quarter)
    return count

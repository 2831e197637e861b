"""Demo step: Ombudsman cases for a few of the demo's complaints that finished stage 2, in the
proportions of seed 002 (51 determinations, 116 findings, 77 of them failures, about 16% outside
jurisdiction; orders on most determinations) scaled to the demo's size.

Everything goes through ``putright.ombudsman.services`` (a handful of cases, a few dozen calls).
Run again (``--force``), it leaves existing cases alone: references are derived from the
complaint, and a complaint already referred is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from putright.accounts.roles import COMPLAINTS_MANAGER
from putright.complaints.models import Stage
from putright.core import clock
from putright.ombudsman import services
from putright.ombudsman.models import OmbudsmanCase

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

SHARE_REFERRED = 0.15  # of complaints answered at stage 2
MOST_CASES = 8
ELEMENTS = (
    "Repairs to the property",
    "Damp and mould",
    "Complaint handling",
    "Communication with the resident",
    "Record keeping",
)
# Outcomes drawn in seed 002's mix: 77 failures (severe, maladministration, service failure),
# 19 outside jurisdiction and 20 no maladministration or reasonable redress, of 116.
OUTCOMES = (
    ("severe_maladministration", 8),
    ("maladministration", 45),
    ("service_failure", 24),
    ("outside_jurisdiction", 19),
    ("no_maladministration", 12),
    ("reasonable_redress", 8),
)


def _reference(stage: Stage) -> str:
    """An Ombudsman-like reference derived from the complaint's own reference (C-2026-00042:
    2 for the service, the year of the stage 2 response, then 26 and 00042), never from a row
    id, so the same seed gives the same references on any database."""
    _, year, number = stage.complaint.reference.split("-")
    return f"2{stage.responded_on.year % 100:02d}{int(year) % 100:02d}{int(number):05d}"


def make_ombudsman(generator: DemoGenerator) -> None:
    today = min(generator.as_at, clock.today())
    by_role = generator.results.get("staff_by_role", {})
    managers = by_role.get(COMPLAINTS_MANAGER) or []
    if not managers:
        return
    manager = managers[0]
    rng = generator.rng_for("ombudsman")
    ids = generator.results.get("complaints", {}).get("ids", [])
    answered = list(
        Stage.objects.filter(complaint_id__in=ids, number=2, responded_on__isnull=False)
        .exclude(complaint__ombudsman_cases__isnull=False)
        .select_related("complaint")
        .order_by("responded_on", "id")
    )
    # At least a few, so the screens show each stage; at most a handful.
    wanted = min(MOST_CASES, len(answered), max(3, round(len(answered) * SHARE_REFERRED)))
    chosen = sorted(rng.sample(answered, wanted), key=lambda s: (s.responded_on, s.pk))
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    made = findings = 0
    with clock.fixed(today):
        for number, stage in enumerate(chosen):
            reference = _reference(stage)
            if OmbudsmanCase.objects.filter(reference=reference).exists():
                continue
            referred = min(today, stage.responded_on + dt.timedelta(days=rng.randint(14, 60)))
            case = services.case_open(
                acting_user=manager,
                reference=reference,
                referred_on=referred,
                complaints=[stage.complaint],
            )
            made += 1
            days_open = (today - referred).days
            asked = referred + dt.timedelta(days=min(days_open, 21))
            request = services.request_record(
                acting_user=manager,
                case=case,
                what="The complaint file, repair records and correspondence.",
                requested_on=asked,
                due_on=asked + dt.timedelta(days=14),
            )
            if asked + dt.timedelta(days=16) <= today:
                services.request_provide(
                    acting_user=manager,
                    request=request,
                    on=asked + dt.timedelta(days=rng.choice((7, 10, 16))),  # some late
                )
            # Older referrals have been determined; the newest are still with the Ombudsman.
            if days_open < 45 or (number == len(chosen) - 1 and len(chosen) > 2):
                services.case_move(acting_user=manager, case=case, stage="assessment", on=asked)
                continue
            services.case_move(acting_user=manager, case=case, stage="assessment", on=asked)
            services.case_move(
                acting_user=manager,
                case=case,
                stage="investigation",
                on=asked + dt.timedelta(days=10),
            )
            determined = referred + dt.timedelta(days=rng.randint(40, min(days_open, 200)))
            services.determination_record(acting_user=manager, case=case, on=determined)
            for element in rng.sample(ELEMENTS, rng.choice((2, 2, 3))):
                services.finding_add(
                    acting_user=manager,
                    case=case,
                    element=element,
                    outcome=rng.choice(outcomes),
                    category=stage.complaint.category,
                    complaint=stage.complaint,
                )
                findings += 1
            if case.findings.filter(
                outcome__in=("severe_maladministration", "maladministration", "service_failure")
            ).exists():
                due = determined + dt.timedelta(days=28)  # "no later than", about four weeks
                order = services.order_record(
                    acting_user=manager,
                    case=case,
                    what="Apologise in writing and pay the compensation ordered.",
                    due_on=due,
                    compensation_pence=rng.choice((15_000, 30_000, 45_000, 60_000)),
                )
                if due + dt.timedelta(days=3) <= today:
                    services.order_comply(
                        acting_user=manager,
                        order=order,
                        evidence="Letter of apology and remittance advice sent to the Ombudsman.",
                        on=due - dt.timedelta(days=rng.choice((2, 5, -3))),
                    )
                services.recommendation_record(
                    acting_user=manager,
                    case=case,
                    what="Review how repair appointments are communicated to residents.",
                )
    generator.results["ombudsman"] = {"cases": made, "findings": findings}
    generator.say(f"Ombudsman: {made} cases referred, {findings} findings recorded.")

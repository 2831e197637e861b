"""Demo step: compensation for the demo's financial remedies, in the proportions of seed 000.

Seed 000 (a landlord's annual report) made "over 500 compensation payments" in a year,
"totalling £92,236.77" (about £183 each), "approximately 27%" of them "for £100 and under", and
£5,260 of the total ordered by the Housing Ombudsman (about 6%). ``compensation_amount`` draws
amounts in those proportions (the complaints step uses it for each financial remedy it issues);
``make_redress`` then records each issued financial remedy's offer, split by heads of loss, and
takes it as far as a landlord would have by the as-at date: most paid, some declined, recent ones
still waiting. Rows and their history events are bulk-inserted, as the services would leave them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING

from putright.accounts.roles import COMPLAINTS_MANAGER
from putright.complaints.models import ComplaintEvent, Remedy, RemedyKind
from putright.core import clock
from putright.organisation.selectors import current_calendar

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

SMALL_SHARE = 0.27  # payments of £100 or less
SMALL_AMOUNTS = (2_000, 2_500, 3_000, 5_000, 5_000, 7_500, 10_000)  # missed appointments etc.
# The rest, as (share, lowest, highest) in pence, chosen so the mean payment is near £183.
LARGER = ((0.88, 10_500, 25_000), (0.10, 25_000, 60_000), (0.02, 60_000, 150_000))
ORDERED_SHARE = 0.03  # of payments; larger on average, so about 6% of the value
RECOMMENDED_SHARE = 0.01
DECLINED_SHARE = 0.05
# Working days from the response to each later step, for a payment that went the whole way.
ACCEPTED_AFTER, APPROVED_AFTER, PAID_AFTER = 4, 6, 10


def compensation_amount(rng: random.Random) -> int:
    """One payment's amount in pence, in seed 000's proportions (whole pounds mostly)."""
    if rng.random() < SMALL_SHARE:
        return rng.choice(SMALL_AMOUNTS)
    low, high = _larger_band(rng.random())
    pounds = rng.randint(low // 100, high // 100)
    return pounds * 100 + (rng.choice((0, 0, 0, 50, 99)) if pounds < 1_000 else 0)


def _larger_band(pick: float) -> tuple[int, int]:
    for share, low, high in LARGER:
        if pick < share:
            return low, high
        pick -= share
    return LARGER[-1][1:]


def heads_split(rng: random.Random, amount: int) -> dict[str, int]:
    """An amount split into heads of loss that add up to it: mostly distress and inconvenience,
    often a part for time and trouble or for complaint handling failures."""
    heads = {"distress_pence": amount}
    if amount >= 5_000 and rng.random() < 0.5:
        part = amount * rng.choice((20, 25, 30, 40)) // 100
        heads["distress_pence"] -= part
        heads[rng.choice(("time_trouble_pence", "complaint_handling_pence"))] = part
    if amount >= 20_000 and rng.random() < 0.15:
        costs = min(heads["distress_pence"] - 100, rng.choice((2_500, 4_000, 6_000)))
        heads["distress_pence"] -= costs
        heads["costs_pence"] = costs
    return heads


def _reached(offered_on: dt.date, days: int, today: dt.date) -> dt.date | None:
    """The working day a step ``days`` working days after the offer happened, or ``None`` if it
    is still to come."""
    day = current_calendar().add(offered_on, days)
    return day if day <= today else None


def make_redress(generator: DemoGenerator) -> None:
    from putright.demo.organisation import reporting_period
    from putright.redress.models import Compensation

    rng = generator.rng_for("redress")
    period = generator.results.get("period") or reporting_period(generator)
    today = min(period.as_at, clock.today())  # as the complaints step: nothing after either
    managers = generator.results.get("staff_by_role", {}).get(COMPLAINTS_MANAGER) or [None]
    manager = managers[0]
    remedies = list(
        Remedy.objects.filter(
            kind=RemedyKind.COMPENSATION,
            amount_pence__gt=0,
            stage__responded_on__isnull=False,
            compensation__isnull=True,
        )
        .select_related("stage")
        .order_by("id")
    )
    rows, events = [], []
    for remedy in remedies:
        stage = remedy.stage
        offered_on = stage.responded_on
        amount = remedy.amount_pence
        pick = rng.random()
        ombudsman = (
            Compensation.Ombudsman.ORDERED
            if pick < ORDERED_SHARE
            else Compensation.Ombudsman.RECOMMENDED
            if pick < ORDERED_SHARE + RECOMMENDED_SHARE
            else Compensation.Ombudsman.NONE
        )
        row = Compensation(
            remedy=remedy,
            stage=stage,
            complaint_id=stage.complaint_id,
            amount_pence=amount,
            ombudsman=ombudsman,
            offered_on=offered_on,
            offered_by=stage.handler,
            status=Compensation.Status.OFFERED,
            **heads_split(rng, amount),
        )
        steps = [(offered_on, ComplaintEvent.Action.COMPENSATION_OFFERED, "offered")]

        if (answered := _reached(offered_on, ACCEPTED_AFTER, today)) is not None:
            row.decided_on = answered
            if rng.random() < DECLINED_SHARE:
                row.status = Compensation.Status.DECLINED
                steps.append((answered, ComplaintEvent.Action.COMPENSATION_DECLINED, "declined"))
            else:
                row.status = Compensation.Status.ACCEPTED
                steps.append((answered, ComplaintEvent.Action.COMPENSATION_ACCEPTED, "accepted"))
                if (approved := _reached(offered_on, APPROVED_AFTER, today)) is not None:
                    row.status = Compensation.Status.APPROVED
                    row.approved_on, row.approved_by = approved, manager
                    row.approved_at = dt.datetime.combine(approved, dt.time(11), dt.UTC)
                    steps.append(
                        (approved, ComplaintEvent.Action.COMPENSATION_APPROVED, "approved")
                    )
                    if (paid := _reached(offered_on, PAID_AFTER, today)) is not None:
                        row.status = Compensation.Status.PAID
                        row.paid_on = paid
                        row.method = Compensation.Method.BANK_TRANSFER
                        row.payment_reference = f"BACS-{remedy.pk:06d}"
                        steps.append((paid, ComplaintEvent.Action.COMPENSATION_PAID, "paid"))
        rows.append(row)
        pounds = f"£{amount // 100:,}.{amount % 100:02d}"
        before = None
        for on, action, status in steps:
            actor = (
                stage.handler
                if action != ComplaintEvent.Action.COMPENSATION_APPROVED
                else (manager)
            )
            events.append(
                ComplaintEvent.build(
                    acting_user=actor,
                    on=on,
                    action=action,
                    summary=f"Compensation of {pounds} {status}",
                    changes={"status": [before, status]},
                    complaint_id=stage.complaint_id,
                    stage_number=stage.number,
                )
            )
            before = status
    generator.bulk_create(Compensation, rows)
    generator.bulk_create(ComplaintEvent, events)
    statuses = Counter(row.status for row in rows)
    total = sum(row.amount_pence for row in rows)
    small = sum(1 for row in rows if row.amount_pence <= 10_000)
    generator.results["redress"] = {"count": len(rows), "total_pence": total, "small": small}
    if rows:
        generator.say(
            f"Recorded {len(rows):,} compensation payments totalling £{total / 100:,.2f}, "
            f"{small / len(rows):.0%} of them £100 or less ("
            + ", ".join(f"{status} {n:,}" for status, n in sorted(statuses.items()))
            + ")"
        )

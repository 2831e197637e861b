"""Case records for the letter tests, built through the real services.

Dates worked by hand (England and Wales bank holidays, no closure days):
- received Mon 22 Dec 2025; stage 1 acknowledgement due Wed 31 Dec 2025 (25 and 26 December are
  bank holidays);
- acknowledged Wed 31 Dec 2025; response due Thu 15 Jan 2026 (1 January is a bank holiday);
- extension notice Wed 14 Jan 2026, new date Thu 29 Jan 2026 (inside the 10-day cap, 29 Jan);
- responded Tue 27 Jan 2026; the 20-working-day escalation window ends Tue 24 Feb 2026;
- escalated Mon 2 Feb 2026, stage 2 acknowledged Thu 5 Feb 2026, responded Fri 20 Feb 2026.
"""

from __future__ import annotations

import datetime as dt

from putright.complaints import services
from putright.complaints.models import Action, Complaint
from putright.organisation.models import ExclusionReason
from putright.people.models import Resident
from tests.people.factories import (
    PropertyFactory,
    ResidentFactory,
    StaffUserFactory,
    TenancyFactory,
)

D = dt.date

RECEIVED = D(2025, 12, 22)
ACKNOWLEDGED = D(2025, 12, 31)
EXTENSION_NOTICE = D(2026, 1, 14)
EXTENDED_TO = D(2026, 1, 29)
RESPONDED = D(2026, 1, 27)
ESCALATED = D(2026, 2, 2)
STAGE2_ACKNOWLEDGED = D(2026, 2, 5)
STAGE2_RESPONDED = D(2026, 2, 20)

STAGE1_POINTS = [
    ("The damp in the bedroom has not been treated", "Treat the damp and redecorate"),
    ("Nobody returned my calls about the damp", "An apology and a named contact"),
]
STAGE2_POINTS = [
    ("The redecoration was left unfinished", "Finish the redecoration properly"),
]
NOT_RESPONSIBLE_FOR = "The fence at the back, which belongs to the council"


def resident(**kwargs) -> Resident:
    """Ms Amara Okafor, living at 14 Elm Road (a current tenancy)."""
    kwargs.setdefault("title", "Ms")
    kwargs.setdefault("first_name", "Amara")
    kwargs.setdefault("last_name", "Okafor")
    person = ResidentFactory(**kwargs)
    home = PropertyFactory(address_line_1="14 Elm Road", town="Greenway", postcode="GW2 2BQ")
    TenancyFactory(resident=person, property=home)
    return person


def owner() -> object:
    return StaffUserFactory(full_name="Jo Reed", job_title="Repairs Manager")


def remedies(count: int = 2) -> list[dict]:
    """An apology, then financial remedies of £250.50, £1,000.00, ..."""
    found = [{"kind": "apology", "description": "We apologise for the delay in treating the damp"}]
    amounts = [25050, 100000, 5, 1999, 700]
    for n in range(count - 1):
        found.append(
            {
                "kind": "compensation",
                "description": f"Payment {n + 1} for the time without a usable bedroom",
                "amount_pence": amounts[n % len(amounts)],
            }
        )
    return found


def actions(who, count: int = 2) -> list[dict]:
    """Actions due on Thu 5 Feb 2026, Mon 9 Feb 2026, ..."""
    due = [D(2026, 2, 5), D(2026, 2, 9), D(2026, 2, 16), D(2026, 2, 23), D(2026, 3, 2)]
    return [
        {
            "description": f"Action {n + 1}: treat the damp in room {n + 1}",
            "owner": who,
            "due_on": due[n % len(due)],
        }
        for n in range(count)
    ]


def points(count: int) -> list[tuple[str, str]]:
    return [(f"Point {n + 1} of the complaint", f"Outcome {n + 1} sought") for n in range(count)]


def acknowledged(log, officer, *, with_points=None, **kwargs) -> Complaint:
    complaint = log(complainant=kwargs.pop("complainant", None) or resident(), **kwargs)
    kwargs_ack = {"not_responsible_for": NOT_RESPONSIBLE_FOR}
    return services.stage_acknowledge(
        acting_user=officer,
        complaint=complaint,
        on=ACKNOWLEDGED,
        points=with_points or STAGE1_POINTS,
        **kwargs_ack,
    )


def extended(complaint: Complaint, officer) -> Complaint:
    return services.stage_extend(
        acting_user=officer,
        complaint=complaint,
        new_due=EXTENDED_TO,
        reason="We are waiting for a damp survey, booked for 20 January.",
        notice_on=EXTENSION_NOTICE,
        ombudsman_details_given=True,
    )


def decisions(complaint: Complaint, count: int) -> dict[int, tuple[str, str]]:
    findings = ["upheld", "partly_upheld", "not_upheld"]
    return {
        n: (findings[(n - 1) % 3], f"The repair records for point {n} show what happened")
        for n in range(1, count + 1)
    }


def responded(
    log, officer, *, n_points: int = 2, n_remedies: int = 2, n_actions: int = 2, **kwargs
) -> Complaint:
    """A stage 1 response issued on Tue 27 Jan 2026, after an extension."""
    complaint = acknowledged(
        log, officer, with_points=STAGE1_POINTS if n_points == 2 else points(n_points), **kwargs
    )
    extended(complaint, officer)
    who = owner()
    return services.stage_respond(
        acting_user=officer,
        complaint=complaint,
        on=RESPONDED,
        decisions=decisions(complaint, n_points),
        remedies=remedies(n_remedies) if n_remedies else (),
        actions=actions(who, n_actions) if n_actions else (),
    )


def stage2_handler() -> object:
    return StaffUserFactory(full_name="Lee Chen", job_title="Head of Housing Services")


def escalated(log, officer) -> Complaint:
    complaint = responded(log, officer)
    services.complaint_escalate(acting_user=officer, complaint=complaint, on=ESCALATED)
    handler = stage2_handler()
    services.complaint_allocate(
        acting_user=handler, complaint=complaint, handler=handler, stage=2, on=ESCALATED
    )
    return services.stage_acknowledge(
        acting_user=handler,
        complaint=complaint,
        stage=2,
        on=STAGE2_ACKNOWLEDGED,
        points=STAGE2_POINTS,
        not_responsible_for="The council's bin collections",
    )


def stage2_responded(log, officer) -> Complaint:
    complaint = escalated(log, officer)
    handler = complaint.handler
    return services.stage_respond(
        acting_user=handler,
        complaint=complaint,
        on=STAGE2_RESPONDED,
        decisions={1: ("upheld", "The decorator left before the job was signed off")},
        remedies=[
            {
                "kind": "compensation",
                "description": "For the unfinished redecoration",
                "amount_pence": 7500,
            }
        ],
        actions=[
            {
                "description": "Finish redecorating the bedroom",
                "owner": owner(),
                "due_on": D(2026, 3, 6),
            }
        ],
    )


def reason(kind: str) -> ExclusionReason:
    return ExclusionReason.objects.create(
        code=f"letters-{kind}",
        label="The matter is the subject of legal proceedings",
        applies_to=kind,
    )


def not_accepted(log, officer) -> Complaint:
    complaint = log(complainant=resident())
    return services.complaint_not_accept(
        acting_user=officer,
        complaint=complaint,
        reason=reason(ExclusionReason.AppliesTo.ACCEPTANCE),
        explanation="A claim about the same damp was filed at the county court on 1 December.",
        evidence="Claim form dated 1 December 2025.",
        resident_told_on=D(2025, 12, 23),
        ombudsman_rights_given=True,
        on=D(2025, 12, 23),
    )


def escalation_refused(log, officer) -> Complaint:
    complaint = responded(log, officer)
    return services.escalation_refuse(
        acting_user=officer,
        complaint=complaint,
        reason=reason(ExclusionReason.AppliesTo.ESCALATION),
        explanation="The damp is now part of a disrepair claim filed at court on 28 January.",
        evidence="Claim form dated 28 January 2026.",
        resident_told_on=D(2026, 2, 3),
        ombudsman_rights_given=True,
        on=D(2026, 2, 3),
    )


FIRST_ACTION_DONE = D(2026, 2, 6)


def one_action_done(complaint: Complaint, officer, *, on: dt.date = FIRST_ACTION_DONE) -> Complaint:
    """The first action (due Thu 5 Feb 2026) recorded as done on ``on`` (Fri 6 Feb 2026)."""
    first = Action.objects.filter(complaint=complaint).order_by("due_on", "id").first()
    services.action_complete(
        acting_user=officer, action=first, on=on, note="Damp course injected and walls dried out"
    )
    complaint.refresh_from_db()
    return complaint


def all_actions_done(complaint: Complaint, officer, *, on: dt.date) -> Complaint:
    for action in Action.objects.filter(complaint=complaint, status=Action.Status.OPEN):
        services.action_complete(acting_user=officer, action=action, on=on, note="Done as agreed")
    complaint.refresh_from_db()
    return complaint


def closed_unescalated(log, officer) -> Complaint:
    """Closed on Wed 25 Feb 2026, the day after the escalation window, every action done."""
    complaint = responded(log, officer)
    all_actions_done(complaint, officer, on=D(2026, 2, 10))
    return services.complaint_close_unescalated(
        acting_user=officer, complaint=complaint, on=D(2026, 2, 25)
    )

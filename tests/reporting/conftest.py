"""A small landlord's complaints, built through the services, with every figure worked by hand.

Reporting year 2025-26 runs from Tue 1 April 2025 to Tue 31 March 2026. Bank holidays on the
way: Good Friday 18 April and Easter Monday 21 April 2025, 5 May, 26 May 2025. Homes at the
year's end: 1,000 LCRA and 200 LCHO. Working days are counted after the first date up to and
including the second.

- A, LCRA: received Mon 31 Mar 2025 (2024-25); acknowledged Tue 1 Apr (due Mon 7 Apr);
  response due Tue 15 Apr, given Mon 14 Apr (10 working days): upheld.
- B, LCHO, by email: received Wed 2 Apr 2025; acknowledged Thu 10 Apr, late (due Wed 9 Apr);
  response due Mon 28 Apr, extended on Thu 24 Apr to Fri 9 May, given Thu 8 May (23 days):
  not upheld. Escalated Mon 12 May, acknowledged Tue 13 May (due Mon 19 May), answered Tue
  27 May (10 days, 26 May a holiday): partly upheld.
- C, LCRA: received Mon 2 Jun 2025; acknowledged Tue 3 Jun; response due Tue 17 Jun, given Thu
  19 Jun, late (13 days): partly upheld.
- D, leaseholder: received Mon 7 Jul 2025; acknowledged Tue 8 Jul; withdrawn Wed 9 Jul.
- E, LCRA: received Mon 4 Aug 2025; not accepted Tue 5 Aug (legal proceedings), standing.
- F, LCRA, by web form: received Mon 1 Sep 2025; not accepted Tue 2 Sep; reversed Wed 3 Sep,
  which receives it again that day.
- G, LCRA: received Tue 31 Mar 2026; acknowledged Wed 1 Apr 2026 (2026-27).

So for 2025-26: stage 1 received B, C, D, F, G (5; A belongs to 2024-25, E's refusal stands);
responded A, B, C (3), within the Code A and B (2: B within its extension), within the first
date A only (1); acknowledged A, B, C, D (4), on time A, C, D (3). Stage 2: B received,
acknowledged on time and answered on time (1 each). Escalation 1 of 3 stage 1 responses; B
overturned (not upheld, then partly upheld). Working days to respond at stage 1: 10, 23, 13
(mean 15.3, median 13).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services
from putright.complaints.models import Channel, Refusal
from putright.organisation.models import ExclusionReason, StockCount
from putright.people.models import Tenure
from tests.complaints.conftest import officer, sign_off_required  # noqa: F401  (fixtures)
from tests.people.factories import ResidentFactory, StaffUserFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
POINT = [("The repair was not done", "Do the repair")]


def _log(who, on: dt.date, tenure: str, channel: str = Channel.PHONE):
    return services.complaint_log(
        acting_user=who,
        complainant=ResidentFactory(),
        received_at=dt.datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        channel=channel,
        description="The repair was not done.",
        tenure_at_receipt=tenure,
        handler=who,
    )


def _acknowledge(who, complaint, on: dt.date, stage: int = 1):
    return services.stage_acknowledge(
        acting_user=who, complaint=complaint, stage=stage, on=on, points=POINT
    )


def _respond(who, complaint, on: dt.date, finding: str):
    return services.stage_respond(
        acting_user=who,
        complaint=complaint,
        on=on,
        decisions={1: (finding, "The records show what happened")},
    )


def _refuse(who, complaint, on: dt.date):
    reason, _ = ExclusionReason.objects.get_or_create(
        code="reporting-legal",
        defaults={
            "label": "The matter is the subject of legal proceedings",
            "applies_to": ExclusionReason.AppliesTo.ACCEPTANCE,
        },
    )
    return services.complaint_not_accept(
        acting_user=who,
        complaint=complaint,
        reason=reason,
        explanation="A claim about the same repair was filed at court.",
        evidence="Claim form.",
        resident_told_on=on,
        ombudsman_rights_given=True,
        on=on,
    )


@pytest.fixture
def landlord(officer):  # noqa: F811  (the imported fixture)
    """The complaints of the table above, and the homes at the end of 2025-26."""
    StockCount.objects.create(reporting_year=2025, tenure="LCRA", homes=1000)
    StockCount.objects.create(reporting_year=2025, tenure="LCHO", homes=200)
    general, shared = Tenure.LCRA_GENERAL_NEEDS, Tenure.LCHO_SHARED_OWNERSHIP

    a = _log(officer, D(2025, 3, 31), general)
    _acknowledge(officer, a, D(2025, 4, 1))
    _respond(officer, a, D(2025, 4, 14), "upheld")

    b = _log(officer, D(2025, 4, 2), shared, Channel.EMAIL)
    _acknowledge(officer, b, D(2025, 4, 10))
    services.stage_extend(
        acting_user=officer,
        complaint=b,
        new_due=D(2025, 5, 9),
        reason="We are waiting for a survey.",
        notice_on=D(2025, 4, 24),
        ombudsman_details_given=True,
    )
    _respond(officer, b, D(2025, 5, 8), "not_upheld")
    services.complaint_escalate(acting_user=officer, complaint=b, on=D(2025, 5, 12))
    reviewer = StaffUserFactory()  # nobody involved at stage 1 considers stage 2 (Code 6.13)
    services.complaint_allocate(
        acting_user=reviewer, complaint=b, handler=reviewer, stage=2, on=D(2025, 5, 12)
    )
    _acknowledge(reviewer, b, D(2025, 5, 13), stage=2)
    _respond(reviewer, b, D(2025, 5, 27), "partly_upheld")

    c = _log(officer, D(2025, 6, 2), general)
    _acknowledge(officer, c, D(2025, 6, 3))
    _respond(officer, c, D(2025, 6, 19), "partly_upheld")

    d = _log(officer, D(2025, 7, 7), Tenure.LEASEHOLDER)
    _acknowledge(officer, d, D(2025, 7, 8))
    services.complaint_withdraw(acting_user=officer, complaint=d, on=D(2025, 7, 9))

    e = _log(officer, D(2025, 8, 4), general)
    _refuse(officer, e, D(2025, 8, 5))

    f = _log(officer, D(2025, 9, 1), general, Channel.WEB_FORM)
    _refuse(officer, f, D(2025, 9, 2))
    services.refusal_reverse(
        acting_user=officer,
        complaint=f,
        basis=Refusal.ReversalBasis.REVIEW,
        note="The claim was withdrawn.",
        on=D(2025, 9, 3),
    )

    g = _log(officer, D(2026, 3, 31), general)
    _acknowledge(officer, g, D(2026, 4, 1))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g}

"""The landlord of ``conftest`` (complaints A to G) with what is at risk on the dashboard's day,
Monday 2 March 2026 (2025-26 Q4: January to March 2026), worked by hand.

Working days after Mon 2 March: 3, 4, 5, 6, 9 March, so "due in the next 5 working days" is
today to Mon 9 March. Every complaint here is LCRA, received at 10:00.

- H: received Mon 2 Feb; not acknowledged (due Mon 9 Feb): acknowledgement overdue.
- I: received Mon 5 Jan; acknowledged Tue 6 Jan; response due Tue 20 Jan, none: response
  overdue.
- J: received Wed 25 Feb; acknowledgement due Wed 4 Mar: due in the next 5 working days.
- K: received Mon 2 Feb; acknowledged Tue 3 Feb; response due Tue 17 Feb, extended on Mon
  16 Feb to Tue 3 Mar (the Code's cap, 10 working days on): on an extension, and due in the
  next 5 working days.
- L: received Mon 5 Jan; acknowledged Tue 6 Jan; responded Mon 19 Jan (due Tue 20 Jan, so
  within the Code), promising actions due Fri 27 Feb (overdue) and Fri 20 Mar (not yet).
- And from ``conftest``: F, whose refusal was reversed on Wed 3 Sep 2025, is still waiting for
  its acknowledgement (due Wed 10 Sep 2025): acknowledgement overdue. G (received Tue 31 March
  2026, acknowledged 1 April) is open but not yet due.
- The Housing Ombudsman's case on B, referred Mon 3 Nov 2025 and determined Mon 2 Feb 2026:
  requests for information due Mon 24 Nov 2025 (not sent: overdue) and Tue 3 Mar 2026 (not
  sent: due soon); orders due Fri 20 Feb (overdue), Fri 6 Mar (due soon), Thu 30 Apr (later)
  and Fri 13 Feb (complied with: not counted).

So on 2 March 2026: acknowledgements overdue 2 (F, H), responses overdue 1 (I), due in the next
5 working days 2 (J, K), extended 1 (K), promised actions overdue 1, Ombudsman orders overdue 1
and due soon 1, requests overdue 1 and due soon 1.

The year 2025-26 then holds stage 1 complaints received B, C, D, F, G and H to L (10), of which
G to L (6) in Q4; stage 1 responses A, B, C and L (4), within the Code A, B and L (3), of which
L in Q4 (1 of 1).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services
from putright.ombudsman import services as ombudsman
from putright.people.models import Tenure
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2026, 3, 2)


def log(who, on: dt.date):
    return services.complaint_log(
        acting_user=who,
        complainant=ResidentFactory(),
        received_at=dt.datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        channel="phone",
        description="The repair was not done.",
        tenure_at_receipt=Tenure.LCRA_GENERAL_NEEDS,
        handler=who,
    )


@pytest.fixture
def at_risk(landlord, officer):
    """Complaints H to L and the Ombudsman's case on B, as the module's docstring lists them."""
    h = log(officer, D(2026, 2, 2))

    i = log(officer, D(2026, 1, 5))
    flow.acknowledge(acting_user=officer, complaint=i, on=D(2026, 1, 6))

    j = log(officer, D(2026, 2, 25))

    k = log(officer, D(2026, 2, 2))
    flow.acknowledge(acting_user=officer, complaint=k, on=D(2026, 2, 3))
    services.stage_extend(
        acting_user=officer,
        complaint=k,
        new_due=D(2026, 3, 3),
        reason="We are waiting for a survey.",
        notice_on=D(2026, 2, 16),
        ombudsman_details_given=True,
    )

    promise = log(officer, D(2026, 1, 5))
    flow.acknowledge(acting_user=officer, complaint=promise, on=D(2026, 1, 6))
    flow.respond(
        acting_user=officer,
        complaint=promise,
        on=D(2026, 1, 19),
        actions=[
            {"description": "Replace the gutter.", "due_on": D(2026, 2, 27)},
            {"description": "Repaint the hall.", "due_on": D(2026, 3, 20)},
        ],
    )

    case = ombudsman.case_open(
        acting_user=officer,
        reference="202512345",
        referred_on=D(2025, 11, 3),
        complaints=[landlord["B"]],
        stage="investigation",
    )
    for requested, due in ((D(2025, 11, 10), D(2025, 11, 24)), (D(2026, 1, 12), D(2026, 3, 3))):
        ombudsman.request_record(
            acting_user=officer,
            case=case,
            what="The repair records.",
            requested_on=requested,
            due_on=due,
        )
    ombudsman.determination_record(acting_user=officer, case=case, on=D(2026, 2, 2))
    orders = [
        ombudsman.order_record(acting_user=officer, case=case, what="Apologise.", due_on=due)
        for due in (D(2026, 2, 20), D(2026, 3, 6), D(2026, 4, 30), D(2026, 2, 13))
    ]
    ombudsman.order_comply(
        acting_user=officer, order=orders[-1], evidence="The letter sent.", on=D(2026, 2, 10)
    )
    return {**landlord, "H": h, "I": i, "J": j, "K": k, "L": promise, "case": case}

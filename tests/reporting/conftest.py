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
from tests.reporting.dashboard_data import at_risk  # noqa: F401  (a fixture: the dashboard's day)

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


@pytest.fixture
def beside_complaints(landlord, officer):  # noqa: F811  (the imported fixture)
    """The records kept beside the landlord's complaints, worked by hand for 2025-26, through
    the contacts services. Nothing of the kind is dated before 2025-26 except one compliment,
    so 2024-25 has compliments recorded and no contacts or surveys recorded.

    Compliments: 10 Apr 2025 email, a team; 5 Jun phone, a team and a person in it; 1 Jul email,
    a member of staff; 2 Feb 2026 letter, a contractor; and 15 Mar 2025 (2024-25) and 1 Apr 2026
    (2026-27) phone, a team. So 2025-26: 4, about a team 2, a person 2, a contractor 1; by email
    2, phone 1, letter 1; 2024-25: 1.

    Contacts (answer due 2 working days after receipt): Thu 17 Apr 2025, due Wed 23 Apr past
    Good Friday and Easter Monday, answered 23 Apr (in time); Mon 2 Jun, due Wed 4 Jun, answered
    4 Jun (in time) and another answered Thu 5 Jun (late); Mon 1 Sep, not answered. So 4
    received, 3 answered, 2 within target: 50.0%.

    Surveys (D withdrawn and E not accepted are closed): D sent 1 Aug 2025 scored 5; D sent 2
    Aug scored 2 (a follow-up, done with the choice to complain offered); E sent 1 Sep, no
    answer; E sent 2 Sep scored 4 with a dissatisfied comment (a follow-up, still open); E sent
    20 Mar 2026 scored 1 on 2 Apr 2026 (a follow-up, open; counted with the surveys sent in
    2025-26). So 5 sent, 4 responses (80.0%), mean (5 + 2 + 4 + 1) / 4 = 3.0, 3 follow-ups, 1
    offering the choice to complain.

    Equality answers (age, sex, ethnicity; a disability disclosed): A 35-44, female, Asian; B
    25-34, female, White; C no age, male, ethnicity "prefer not to say"; D 65-74, sex "prefer
    not to say", no ethnicity, a disability; E, F, G nothing; H (a tenant who never complained)
    no age, male, Black, a disability; I ("other", not a resident, never complained) female,
    counted nowhere. Complainants of 2025-26: B, C, D, F, G (5); residents A to H (8).
    """
    from putright.contacts import services as contacts
    from putright.people.models import EqualityData, ResidentKind
    from tests.people.factories import DisabilityFactory, EqualityDataFactory

    compliments = [
        (D(2025, 4, 10), "email", {"about_team": "Repairs"}),
        (D(2025, 6, 5), "phone", {"about_team": "Lettings", "about_person": "Jo in Lettings"}),
        (D(2025, 7, 1), "email", {"about_staff": officer}),
        (D(2026, 2, 2), "letter", {"about_contractor": "Fixit Ltd"}),
        (D(2025, 3, 15), "phone", {"about_team": "Repairs"}),
        (D(2026, 4, 1), "phone", {"about_team": "Repairs"}),
    ]
    for on, channel, about in compliments:
        contacts.compliment_record(
            acting_user=officer, received_on=on, channel=channel, text="Thank you.", **about
        )

    for received_on, answered_on in (
        (D(2025, 4, 17), D(2025, 4, 23)),
        (D(2025, 6, 2), D(2025, 6, 4)),
        (D(2025, 6, 2), D(2025, 6, 5)),
        (D(2025, 9, 1), None),
    ):
        contacts.contact_log(
            acting_user=officer,
            received_on=received_on,
            channel="phone",
            contact_type="repair",
            answered_on=answered_on,
        )

    d, e = landlord["D"], landlord["E"]
    contacts.survey_send(
        acting_user=officer, complaint=d, sent_on=D(2025, 8, 1), score=5, responded_on=D(2025, 8, 3)
    )
    low = contacts.survey_send(
        acting_user=officer, complaint=d, sent_on=D(2025, 8, 2), score=2, responded_on=D(2025, 8, 4)
    )
    contacts.follow_up_complete(
        acting_user=officer,
        follow_up=low.follow_up,
        done_on=D(2025, 8, 6),
        choice_offered=True,
        outcome="Happy with how it ended; does not want to complain.",
    )
    contacts.survey_send(acting_user=officer, complaint=e, sent_on=D(2025, 9, 1))
    contacts.survey_send(
        acting_user=officer,
        complaint=e,
        sent_on=D(2025, 9, 2),
        score=4,
        comment="Nobody rang me back.",
        comment_dissatisfied=True,
        responded_on=D(2025, 9, 5),
    )
    contacts.survey_send(
        acting_user=officer,
        complaint=e,
        sent_on=D(2026, 3, 20),
        score=1,
        responded_on=D(2026, 4, 2),
    )

    age, sex, ethnicity = EqualityData.AgeBand, EqualityData.Sex, EqualityData.Ethnicity
    h = ResidentFactory()
    i = ResidentFactory(kind=ResidentKind.OTHER)
    answers = [
        (landlord["A"].complainant, age.FROM_35, sex.FEMALE, ethnicity.ASIAN),
        (landlord["B"].complainant, age.FROM_25, sex.FEMALE, ethnicity.WHITE),
        (landlord["C"].complainant, "", sex.MALE, ethnicity.PREFER_NOT_TO_SAY),
        (d.complainant, age.FROM_65, sex.PREFER_NOT_TO_SAY, ""),
        (h, "", sex.MALE, ethnicity.BLACK),
        (i, "", sex.FEMALE, ""),
    ]
    for resident, age_band, sex_answer, ethnicity_answer in answers:
        EqualityDataFactory(
            resident=resident, age_band=age_band, sex=sex_answer, ethnicity=ethnicity_answer
        )
    DisabilityFactory(resident=d.complainant)
    DisabilityFactory(resident=h)
    return {"H": h, "I": i}

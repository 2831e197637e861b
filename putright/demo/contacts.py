"""Demo step: a year of contacts beside complaints, in proportion to the seeds at the demo's
size (8,000 homes at scale 1): 9,946 contacts a year, 91% answered within 2 working days, 85% by
email (seed 001 section 9); 42 MP and councillor enquiries (seed 001 section 6); 411 compliments
and satisfaction surveys after closed complaints with a 22% response rate and a mean score near
2.4 out of 5 (seed 000). No seed gives service requests; 600 a year, one in ten leading to a
complaint, is an assumption.

Bulk inserts (a history event for each record, as the services would write), with due dates from
the organisation's calendar. Run again (``--force``), it leaves existing contacts alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings

from putright.accounts.roles import CASE_HANDLER
from putright.complaints.models import Complaint
from putright.contacts.models import (
    Compliment,
    Contact,
    ContactsEvent,
    Enquiry,
    SatisfactionSurvey,
    ServiceRequest,
    SurveyFollowUp,
)
from putright.core import clock
from putright.organisation.selectors import current_calendar
from putright.people.models import Resident

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

CONTACTS_A_YEAR = 9_946
IN_TIME = 0.91
CHANNELS = (("email", 0.85), ("phone", 0.145), ("letter", 0.003), ("in_person", 0.002))
TYPES = (
    ("repair", 0.45),
    ("rent", 0.15),
    ("tenancy", 0.1),
    ("antisocial_behaviour", 0.06),
    ("complaint", 0.04),
    ("general", 0.15),
    ("other", 0.05),
)
ENQUIRIES_A_YEAR = 42
COMPLIMENTS_A_YEAR = 411
SURVEYS_A_YEAR = 372
RESPONSE_RATE = 81 / 372
# Chosen so the mean is about 2.4 out of 5: 0.42 + 0.32 + 0.42 + 0.56 + 0.70 = 2.42.
SCORES = ((1, 0.42), (2, 0.16), (3, 0.14), (4, 0.14), (5, 0.14))
SERVICE_REQUESTS_A_YEAR = 600
TEAMS = ("Customer services", "Repairs", "Neighbourhoods", "Income", "Lettings")
CONTRACTORS = ("Swift Plumbing", "Kent Roofing", "Bright Electrical")


def _pick(rng, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def make_contacts(generator: DemoGenerator) -> None:
    if Contact.objects.exists() or Enquiry.objects.exists():
        generator.say("Contacts: already recorded; left as they are.")
        return
    rng = generator.rng_for("contacts")
    fake = generator.faker_for("contacts")
    today = min(generator.as_at, clock.today())
    first = today - dt.timedelta(days=364)
    calendar = current_calendar()
    handler = generator.results["staff_by_role"][CASE_HANDLER][0]
    residents = list(Resident.objects.order_by("pk").values_list("pk", flat=True)[:2_000])

    def day() -> dt.date:
        return first + dt.timedelta(days=rng.randrange(365))

    def events(rows, action, key, summary):
        generator.bulk_create(
            ContactsEvent,
            (
                ContactsEvent.build(
                    acting_user=handler, on=row_day, action=action, summary=summary, **{key: row}
                )
                for row, row_day in rows
            ),
        )

    # Contacts: due 2 working days after receipt, 91% answered by then.
    contacts = []
    for _ in range(generator.scaled(CONTACTS_A_YEAR)):
        received = day()
        due = calendar.add(received, settings.PUTRIGHT_CONTACT_RESPONSE_DAYS)
        if rng.random() < IN_TIME:
            answered = min(calendar.add(received, rng.randint(0, 2)), due)
        else:
            answered = calendar.add(due, rng.randint(1, 5))
        if answered > today:
            answered = None
        contacts.append(
            Contact(
                received_on=received,
                channel=_pick(rng, CHANNELS),
                contact_type=_pick(rng, TYPES),
                due_on=due,
                answered_on=answered,
                answered_in_time=None if answered is None else answered <= due,
            )
        )
    generator.bulk_create(Contact, contacts)
    events(((c, c.received_on) for c in contacts), "contact_logged", "contact", "Contact logged")

    # Enquiries for residents: most answered within 10 working days, a few overdue.
    enquiries = []
    for _ in range(generator.scaled(ENQUIRIES_A_YEAR, minimum=3)):
        received = day()
        due = calendar.add(received, settings.PUTRIGHT_ENQUIRY_RESPONSE_DAYS)
        responded = calendar.add(received, rng.randint(3, 14))
        offered = rng.random() < 0.6
        enquiries.append(
            Enquiry(
                received_on=received,
                enquirer_name=f"{fake.name()}{' MP' if rng.random() < 0.6 else ''}",
                enquirer_role=_pick(
                    rng,
                    (
                        ("mp", 0.6),
                        ("councillor", 0.3),
                        ("chief_executive", 0.07),
                        ("board_member", 0.03),
                    ),
                ),
                resident_id=rng.choice(residents),
                summary=rng.choice(
                    (
                        "Asks when the damp and mould in the bedroom will be treated.",
                        "Asks why the repair to the boiler has taken so long.",
                        "Asks about a transfer on medical grounds.",
                        "Raises the neighbour's noise on the resident's behalf.",
                    )
                ),
                due_on=due,
                responded_on=None if responded > today else responded,
                choice_offered=offered,
                choice_offered_on=received + dt.timedelta(days=1) if offered else None,
            )
        )
    for enquiry in enquiries:  # an offer cannot be dated after today
        if enquiry.choice_offered_on and enquiry.choice_offered_on > today:
            enquiry.choice_offered, enquiry.choice_offered_on = False, None
    generator.bulk_create(Enquiry, enquiries)
    events(
        ((e, e.received_on) for e in enquiries), "enquiry_recorded", "enquiry", "Enquiry recorded"
    )

    # Compliments.
    compliments = [
        Compliment(
            received_on=day(),
            channel=_pick(rng, (("email", 0.6), ("phone", 0.2), ("letter", 0.1), ("survey", 0.1))),
            about_team=rng.choice(TEAMS),
            about_contractor=rng.choice(CONTRACTORS) if rng.random() < 0.2 else "",
            text=rng.choice(
                (
                    "Thank you for sorting the leak so quickly.",
                    "The officer was patient and kept me updated.",
                    "The operative was polite and left everything tidy.",
                )
            ),
        )
        for _ in range(generator.scaled(COMPLIMENTS_A_YEAR))
    ]
    generator.bulk_create(Compliment, compliments)
    events(
        ((c, c.received_on) for c in compliments),
        "compliment_recorded",
        "compliment",
        "Compliment recorded",
    )

    # Service requests: open, closed and overdue; one in ten linked to a complaint.
    requests = []
    for index in range(generator.scaled(SERVICE_REQUESTS_A_YEAR)):
        opened = day()
        target = calendar.add(opened, rng.choice((5, 10, 20, 28)))
        closed = calendar.add(opened, rng.randint(2, 35))
        requests.append(
            ServiceRequest(
                external_reference=f"JOB-{100_000 + index}",
                source=_pick(rng, (("housing_system", 0.7), ("phone", 0.2), ("email", 0.1))),
                category=_pick(
                    rng,
                    (
                        ("repairs", 0.6),
                        ("damp_and_mould", 0.15),
                        ("antisocial_behaviour", 0.1),
                        ("estate_services", 0.1),
                        ("other", 0.05),
                    ),
                ),
                resident_id=rng.choice(residents),
                description="Reported through the repairs line.",
                opened_on=opened,
                target_on=target,
                status="closed" if closed <= today else "open",
                closed_on=closed if closed <= today else None,
            )
        )
    generator.bulk_create(ServiceRequest, requests)
    events(
        ((r, r.opened_on) for r in requests),
        "service_request_recorded",
        "service_request",
        "Service request recorded",
    )
    complaint_ids = list(
        Complaint.objects.filter(received_on__gte=first).order_by("pk").values_list("pk", flat=True)
    )
    through = ServiceRequest.complaints.through
    linked = rng.sample(requests, min(len(requests) // 10, len(complaint_ids)))
    through.objects.bulk_create(
        through(servicerequest_id=request.pk, complaint_id=complaint_id)
        for request, complaint_id in zip(
            linked, rng.sample(complaint_ids, len(linked)), strict=True
        )
    )

    # Satisfaction surveys after closed complaints, and the follow-ups low scores open.
    closed = list(
        Complaint.objects.filter(status="closed", received_on__gte=first - dt.timedelta(days=60))
        .order_by("pk")
        .values_list("pk", "received_on")
    )
    surveys = []
    for complaint_id, received in rng.sample(
        closed, min(len(closed), generator.scaled(SURVEYS_A_YEAR))
    ):
        sent = min(received + dt.timedelta(days=rng.randint(20, 60)), today)
        responded = sent + dt.timedelta(days=rng.randint(0, 7))
        answered = rng.random() < RESPONSE_RATE and responded <= today
        score = int(_pick(rng, SCORES)) if answered else None
        surveys.append(
            SatisfactionSurvey(
                complaint_id=complaint_id,
                sent_on=sent,
                score=score,
                comment="Nobody kept me updated." if score and score <= 2 else "",
                responded_on=responded if answered else None,
            )
        )
    generator.bulk_create(SatisfactionSurvey, surveys)
    events(((s, s.sent_on) for s in surveys), "survey_sent", "survey", "Satisfaction survey sent")
    follow_ups = []
    for survey in surveys:
        if survey.score is not None and survey.score <= 2:
            done = survey.responded_on + dt.timedelta(days=rng.randint(1, 10))
            finished = done <= today and rng.random() < 0.8
            follow_ups.append(
                SurveyFollowUp(
                    survey=survey,
                    reason="low_score",
                    opened_on=survey.responded_on,
                    done_on=done if finished else None,
                    choice_offered=finished,
                    outcome="Offered the choice to complain; declined." if finished else "",
                )
            )
    generator.bulk_create(SurveyFollowUp, follow_ups)
    generator.say(
        f"Contacts: {len(contacts):,} contacts, {len(enquiries)} enquiries, "
        f"{len(compliments)} compliments, {len(requests)} service requests "
        f"({len(linked)} became complaints), {len(surveys)} surveys "
        f"({sum(s.score is not None for s in surveys)} responses, {len(follow_ups)} follow-ups)."
    )

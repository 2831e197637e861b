"""A person's whole record, built through the services: Zebedee Quillfeather, who complained
four times in the winter of 2025-26 and moved out in March 2026.

Every piece of free text names Zebedee, so finding the name anywhere finds the text.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from putright.complaints import services
from putright.complaints.models import Action, Channel
from putright.organisation.models import Category, ExclusionReason
from putright.people import services as people
from putright.people.models import AuthorityMethod, Relationship, Tenure
from tests.complaints.conftest import at
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import PropertyFactory, StaffUserFactory

D = dt.date

NAME = ("Zebedee", "Quillfeather")
EMAIL = "zebedee.quillfeather@example.net"
PHONE = "01632 960123"
POSTCODE = "QZ9 9ZZ"  # their correspondence address
HOME_POSTCODE = "QZ1 1QZ"  # the home they rented, which stays the landlord's
REPRESENTATIVE = ("Quentin Marchbanks", "q.marchbanks@example.org", "01632 960456", "QZ8 8ZZ")
# What must not be found anywhere once they are anonymised.
DATE_OF_BIRTH = D(1950, 2, 3)
PERSONAL = [
    *NAME,
    EMAIL,
    PHONE,
    POSTCODE,
    *REPRESENTATIVE,
    "Marchbanks Advocacy",
    "T-9911",  # their reference in the housing management system
    DATE_OF_BIRTH.isoformat(),
]


def categories() -> list[Category]:
    return list(Category.objects.filter(parent=None).order_by("pk")[:2])


def build_person(officer) -> SimpleNamespace:
    """The person, their tenancy (ended 27 March 2026), representative, adjustment, disclosed
    disability, contact restriction and equality answers. Call with today set to 2026-03-31."""
    start = D(2025, 12, 1)
    person = people.resident_create(
        acting_user=officer,
        on=start,
        reference="T-9911",
        first_name=NAME[0],
        last_name=NAME[1],
        date_of_birth=DATE_OF_BIRTH,
        email=EMAIL,
        phone=PHONE,
        correspondence_address=f"Flat 2, Kiln Court, Quillby {POSTCODE}",
        notes="Zebedee prefers morning calls.",
    )
    home = PropertyFactory(address_line_1="1 Lark Rise", town="Quillby", postcode=HOME_POSTCODE)
    tenancy = people.tenancy_start(
        resident=person,
        property=home,
        tenure=Tenure.LCRA_GENERAL_NEEDS,
        start_date=D(2015, 4, 6),
        acting_user=officer,
        on=start,
    )
    representative = people.representative_add(
        resident=person,
        name=REPRESENTATIVE[0],
        relationship=Relationship.ADVOCATE,
        authority_method=AuthorityMethod.WRITTEN,
        authority_received_on=start,
        authority_note="Zebedee signed our form.",
        organisation="Marchbanks Advocacy",
        email=REPRESENTATIVE[1],
        phone=REPRESENTATIVE[2],
        address=f"4 Kiln Yard, Quillby {REPRESENTATIVE[3]}",
        acting_user=officer,
        on=start,
    )
    people.adjustment_record(
        resident=person,
        description="Large print letters for Zebedee.",
        agreed_on=start,
        next_review_on=D(2026, 6, 1),
        acting_user=officer,
        on=start,
    )
    people.disability_record(
        resident=person,
        description="Zebedee has a lung condition made worse by damp.",
        disclosed_on=start,
        next_review_on=D(2026, 12, 1),
        acting_user=officer,
        on=start,
    )
    people.restriction_record(
        resident=person,
        reason="Zebedee rang forty times in a day.",
        evidence="Call log for Zebedee, 2 January 2026.",
        proportionality_note="Zebedee can still write or email.",
        restriction="Zebedee: one call a day.",
        starts_on=D(2026, 1, 5),
        next_review_on=D(2026, 4, 6),
        acting_user=officer,
        on=D(2026, 1, 5),
    )
    people.equality_data_record(
        resident=person, age_band="75_plus", sex="male", ethnicity="white", acting_user=officer
    )
    people.tenancy_end(tenancy=tenancy, end_date=D(2026, 3, 27), acting_user=officer)
    return SimpleNamespace(person=person, home=home, representative=representative)


def build_complaints(officer, person, home, representative) -> list:
    """Four complaints that have ended: answered at stage 2 (with everything a record holds),
    closed when nobody escalated, not accepted, and withdrawn."""
    first, second = categories()
    colleague = StaffUserFactory()

    def log(received_at, category, **kwargs):
        return services.complaint_log(
            acting_user=officer,
            handler=officer,
            complainant=person,
            property=home,
            tenure_at_receipt=Tenure.LCRA_GENERAL_NEEDS,
            category=category,
            channel=Channel.EMAIL,
            received_at=received_at,
            **kwargs,
        )

    answered = log(
        at(2025, 12, 22),
        first,
        representative=representative,
        description="Zebedee Quillfeather: the bedroom at 1 Lark Rise is black with mould.",
        service_request_reference="REP-Zebedee-1",
        received_by="Zebedee's neighbour passed it on",
    )
    acknowledge(
        acting_user=officer,
        complaint=answered,
        on=D(2025, 12, 23),
        points=[("Zebedee's bedroom is mouldy.", "Zebedee wants it treated.")],
        vulnerability_note="Zebedee's lungs are affected.",
        not_responsible_for="Zebedee's own furniture.",
    )
    services.note_add(
        acting_user=officer, complaint=answered, text="Called Zebedee.", on=D(2025, 12, 23)
    )
    services.correspondence_record(
        acting_user=officer,
        complaint=answered,
        direction="in",
        channel="email",
        party="resident",
        summary="Zebedee sent photographs.",
        on=D(2025, 12, 24),
    )
    services.document_upload(
        acting_user=officer,
        complaint=answered,
        uploaded_file=SimpleUploadedFile(
            "quillfeather-photos.txt", b"Photographs from Zebedee Quillfeather, QZ9 9ZZ."
        ),
        kind="evidence",
        on=D(2025, 12, 24),
    )
    respond(
        acting_user=officer,
        complaint=answered,
        on=D(2026, 1, 5),
        decisions={1: ("upheld", "Zebedee reported it in May and nothing was done.")},
        remedies=[
            {
                "kind": "compensation",
                "description": "For Zebedee's distress.",
                "amount_pence": 25000,
            }
        ],
        actions=[
            {"description": "Treat Zebedee's walls.", "owner": officer, "due_on": D(2026, 1, 9)}
        ],
    )
    services.action_complete(
        acting_user=officer,
        action=Action.objects.get(complaint=answered),
        on=D(2026, 1, 9),
        note="Walls treated for Zebedee.",
    )
    services.complaint_escalate(
        acting_user=officer, complaint=answered, on=D(2026, 1, 12), note="Zebedee is not happy."
    )
    services.complaint_allocate(
        acting_user=officer, complaint=answered, handler=colleague, on=D(2026, 1, 12)
    )
    acknowledge(acting_user=colleague, complaint=answered, stage=2, on=D(2026, 1, 13))
    respond(
        acting_user=colleague,
        complaint=answered,
        on=D(2026, 1, 27),
        decisions={1: ("partly_upheld", "Zebedee's walls were treated late.")},
    )

    closed = log(at(2026, 1, 6), second, description="Zebedee: the hall light is broken.")
    acknowledge(acting_user=officer, complaint=closed, on=D(2026, 1, 7))
    respond(acting_user=officer, complaint=closed, on=D(2026, 1, 14))
    services.complaints_close_unescalated_sweep(on=D(2026, 3, 2))

    refused = log(at(2026, 1, 7), first, description="Zebedee: the neighbours are noisy.")
    services.complaint_not_accept(
        acting_user=officer,
        complaint=refused,
        reason=ExclusionReason.objects.filter(
            applies_to__in=["acceptance", "both"], requires_date_evidence=False
        ).first(),
        explanation="Zebedee's neighbour dispute is for the tenancy team.",
        evidence="Zebedee's email of 7 January.",
        resident_told_on=D(2026, 1, 8),
        ombudsman_rights_given=True,
        on=D(2026, 1, 8),
    )

    withdrawn = log(at(2026, 1, 8), second, description="Zebedee: the gate sticks.")
    services.complaint_withdraw(
        acting_user=officer, complaint=withdrawn, reason="Zebedee fixed it.", on=D(2026, 1, 9)
    )
    for complaint in (answered, closed, refused, withdrawn):
        complaint.refresh_from_db()
    return [answered, closed, refused, withdrawn]

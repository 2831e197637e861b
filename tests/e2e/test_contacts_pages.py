"""Every page type of contacts beside complaints, in a real browser and checked by axe: each
list, each record's page, each form, contact demand, and logging a complaint raised from a
service request or a survey's follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from putright.complaints import services as complaint_services
from putright.complaints.models import Channel, Complaint
from putright.contacts import services
from putright.core import clock
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),
]


def _records(manager) -> dict[str, int]:
    today = clock.today()
    resident = ResidentFactory(first_name="Ada", last_name="Okafor")
    complaint = complaint_services.complaint_log(
        acting_user=manager,
        handler=manager,
        complainant=resident,
        channel=Channel.PHONE,
        received_at=dt.datetime.combine(today - dt.timedelta(days=60), dt.time(10), tzinfo=dt.UTC),
        description="The boiler repair was not finished.",
    )
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    complaint.refresh_from_db()
    week_ago = today - dt.timedelta(days=7)
    enquiry = services.enquiry_record(
        acting_user=manager,
        received_on=week_ago,
        enquirer_name="Cllr Priya Shah",
        enquirer_role="councillor",
        resident=resident,
        summary="Asked about the boiler.",
    )
    request = services.service_request_record(
        acting_user=manager,
        source="housing_system",
        category="repairs",
        description="Boiler not heating water.",
        opened_on=week_ago,
        target_on=today,
        external_reference="JOB-4471",
        resident=resident,
    )
    compliment = services.compliment_record(
        acting_user=manager,
        received_on=week_ago,
        channel="email",
        text="The plumber was kind and quick.",
        about_contractor="Acme Plumbing",
    )
    survey = services.survey_send(
        acting_user=manager,
        complaint=complaint,
        sent_on=week_ago,
        score=1,
        comment="Nobody came back to me.",
        responded_on=today - dt.timedelta(days=2),
    )
    contact = services.contact_log(
        acting_user=manager, received_on=week_ago, channel="email", contact_type="repair"
    )
    return {
        "enquiry": enquiry.pk,
        "request": request.pk,
        "compliment": compliment.pk,
        "survey": survey.pk,
        "follow_up": survey.follow_up.pk,
        "contact": contact.pk,
        "resident": resident.pk,
    }


def test_every_contacts_page_type_is_accessible(signed_in_page, live_server, axe_check, screenshot):
    page: Page = signed_in_page("Complaints manager")
    ids = _records(page.user)
    pages = [
        # Lists
        ("/contacts/enquiries/", "MP, councillor and executive enquiries"),
        ("/contacts/compliments/", "Compliments"),
        ("/contacts/surveys/", "Satisfaction surveys"),
        ("/contacts/follow-ups/", "Survey follow-ups"),
        ("/contacts/log/", "Contacts"),
        ("/contacts/demand/", None),
        # Records
        (f"/contacts/enquiries/{ids['enquiry']}/", None),
        (f"/contacts/service-requests/{ids['request']}/", "Service request JOB-4471"),
        (f"/contacts/compliments/{ids['compliment']}/", None),
        (f"/contacts/surveys/{ids['survey']}/", None),
        (f"/contacts/log/{ids['contact']}/", None),
        # Forms
        (f"/contacts/enquiries/{ids['enquiry']}/change/", None),
        ("/contacts/service-requests/new/", "Record a service request"),
        (f"/contacts/service-requests/{ids['request']}/change/", None),
        ("/contacts/compliments/new/", "Record a compliment"),
        ("/contacts/surveys/new/", "Record a survey sent"),
        (f"/contacts/surveys/{ids['survey']}/response/", None),
        (f"/contacts/follow-ups/{ids['follow_up']}/", None),
        ("/contacts/log/new/", "Log a contact"),
    ]
    for path, heading in pages:
        page.goto(f"{live_server.url}{path}")
        title = page.get_by_role("heading", level=1)
        if heading:
            expect(title).to_have_text(heading)
        else:
            expect(title).to_be_visible()
        axe_check(page)

    # Logging a complaint from the service request: its page's step, then the complaint form.
    page.goto(f"{live_server.url}/contacts/service-requests/{ids['request']}/")
    page.get_by_role("link", name="Log a complaint raised from it").click()
    expect(page.locator("#raised-from")).to_contain_text("Boiler not heating water.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint from Ada Okafor")
    axe_check(page)
    screenshot(page, "contacts-log-from-service-request")

    page.goto(f"{live_server.url}/contacts/surveys/{ids['survey']}/")
    page.get_by_role("link", name="Log the complaint the resident chose to make").click()
    expect(page.locator("#raised-from")).to_contain_text("Nobody came back to me.")
    axe_check(page)

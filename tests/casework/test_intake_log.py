"""Logging a complaint: find or add the complainant, then the complaint, through the services."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from putright.complaints.models import Complaint, ComplaintEvent, Stage, Status
from putright.organisation.models import BusinessArea, Category
from putright.people.models import Resident, ResidentEvent, Tenure
from tests.casework.test_intake_actions import (
    checked_values,
    date_data,
    error_beside,
    input_value,
    page,
    selected_value,
    textarea_value,
)
from tests.people.factories import (
    PropertyFactory,
    RepresentativeFactory,
    ResidentFactory,
    StaffUserFactory,
    TenancyFactory,
)

LONDON = ZoneInfo("Europe/London")
D = dt.date
LOG = "/cases/new/"


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Cara Handler")


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


@pytest.fixture
def tenant(db):
    resident = ResidentFactory(first_name="Ada", last_name="Okafor")
    TenancyFactory(
        resident=resident,
        property=PropertyFactory(address_line_1="12 Mill Lane", postcode="GW1 1AQ"),
        tenure=Tenure.LCHO_SHARED_OWNERSHIP,
        start_date=D(2018, 5, 1),
        end_date=D(2021, 3, 31),
    )
    TenancyFactory(
        resident=resident,
        property=PropertyFactory(address_line_1="4 Canal Row", postcode="GW2 2BQ"),
        tenure=Tenure.LCRA_GENERAL_NEEDS,
        start_date=D(2021, 4, 1),
    )
    return resident


def complaint_data(resident, **overrides):
    data = {
        "complainant": resident.pk,
        "channel": "phone",
        **date_data("received_at", D(2026, 11, 2)),
        "received_time": "2:30pm",
        "received_by": "Contact centre",
        "description": "The boiler has failed three times since September.",
        "service_request_reference": "SR-1234",
    }
    data.update(overrides)
    return data


def test_the_log_page_is_the_resident_search(signed_in):
    response = signed_in.get(LOG)

    assert response.status_code == 200
    html = page(response)
    assert reverse("casework:log") == LOG
    assert "Who is complaining?" in html
    assert 'name="q"' in html
    assert "Add someone new" in html


def test_a_board_member_cannot_log_a_complaint(client, db):
    client.force_login(StaffUserFactory(role="Board member"))

    assert client.get(LOG).status_code == 403
    assert client.get(f"{LOG}?q=smith").status_code == 403
    assert client.post(LOG, {"step": "resident", "last_name": "Smith"}).status_code == 403
    assert Resident.objects.count() == 0


def test_the_search_lists_people_with_their_addresses_in_a_fixed_number_of_queries(
    signed_in, django_assert_max_num_queries
):
    for n in range(30):
        TenancyFactory(
            resident=ResidentFactory(first_name=f"Sam{n}", last_name="Patel"),
            property=PropertyFactory(address_line_1=f"{n + 1} Long Street", postcode="GW3 3DQ"),
        )

    with django_assert_max_num_queries(7):
        response = signed_in.get(LOG, {"q": "patel"})

    assert response.status_code == 200
    html = page(response)
    assert "20 people matching ‘patel’" in html  # the search shows its first 20
    assert "Sam0 Patel" in html
    assert "1 Long Street, GW3 3DQ" in html
    first = Resident.objects.get(first_name="Sam0")
    assert f'href="{LOG}?resident={first.pk}"' in html
    assert input_value(html, "id_q") == "patel"


def test_a_search_finding_no_one_says_so(signed_in):
    html = page(signed_in.get(LOG, {"q": "Zebedee"}))

    assert "No one matches ‘Zebedee’" in html


def test_choosing_a_person_shows_the_complaint_form_with_their_current_home(signed_in, tenant):
    representative = RepresentativeFactory(resident=tenant, name="Grace Okafor")

    response = signed_in.get(LOG, {"resident": tenant.pk})

    assert response.status_code == 200
    html = page(response)
    assert "Complaint from Ada Okafor" in html
    assert "4 Canal Row, GW2 2BQ (LCRA general needs)" in html
    current_home = tenant.tenancies.get(end_date__isnull=True).property_id
    assert selected_value(html, "id_property") == str(current_home)
    assert "12 Mill Lane, GW1 1AQ" in html  # an earlier home can be chosen too
    assert "Grace Okafor" in html and f'value="{representative.pk}"' in html
    assert input_value(html, "id_received_by") == "Cara Handler"
    today = timezone.localdate()
    assert input_value(html, "id_received_at_day") == str(today.day)
    assert 'name="discretion_note"' not in html  # only when the service asks for it


def test_an_unknown_person_is_not_found(signed_in):
    assert signed_in.get(LOG, {"resident": "999999"}).status_code == 404
    assert signed_in.get(LOG, {"resident": "abc"}).status_code == 404


def test_logging_a_complaint_records_it_and_goes_to_the_case(signed_in, tenant, handler):
    home = tenant.tenancies.get(end_date__isnull=True).property
    representative = RepresentativeFactory(resident=tenant)
    category = Category.objects.get(name="Repairs", parent=None)
    sub_category = Category.objects.get(name="Time taken to complete a repair", parent=category)
    area = BusinessArea.objects.get(name="Repairs and maintenance")

    response = signed_in.post(
        LOG,
        complaint_data(
            tenant,
            property=home.pk,
            representative=representative.pk,
            sub_category=sub_category.pk,  # its category follows
            business_area=area.pk,
            is_vulnerable="true",
        ),
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "casework:case", kwargs={"reference": complaint.reference}
    )
    assert complaint.complainant == tenant
    assert complaint.channel == "phone"
    assert complaint.received_at == dt.datetime(2026, 11, 2, 14, 30, tzinfo=LONDON)
    assert complaint.received_on == D(2026, 11, 2)
    assert complaint.received_by == "Contact centre"
    assert complaint.description == "The boiler has failed three times since September."
    assert (complaint.category, complaint.sub_category) == (category, sub_category)
    assert complaint.business_area == area
    assert complaint.property == home
    assert complaint.tenure_at_receipt == Tenure.LCRA_GENERAL_NEEDS
    assert complaint.representative == representative
    assert complaint.is_vulnerable is True and complaint.is_confidential is False
    assert complaint.service_request_reference == "SR-1234"
    assert complaint.status == Status.RECEIVED
    assert Stage.objects.get(complaint=complaint).acknowledgement_due == D(2026, 11, 9)
    event = ComplaintEvent.objects.get(complaint=complaint)
    assert (event.action, event.actor) == ("logged", handler)


def test_the_time_may_be_left_blank(signed_in, tenant):
    response = signed_in.post(LOG, complaint_data(tenant, received_time="", channel="letter"))

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.received_at == dt.datetime(2026, 11, 2, 12, 0, tzinfo=LONDON)


def test_bad_input_is_shown_beside_each_field_with_what_was_typed(signed_in, tenant):
    data = complaint_data(
        tenant,
        received_at_day="31",
        received_at_month="11",
        received_time="25:70",
        description="",
        channel="",
        received_by="Front desk",
    )

    response = signed_in.post(LOG, data)

    assert response.status_code == 400
    html = page(response)
    assert "<title>Error: " in html
    assert error_beside(html, "id_received_at") == "Date received must be a real date"
    assert input_value(html, "id_received_at_day") == "31"
    assert error_beside(html, "id_received_time") == (
        "Enter the time received in the correct format, like 14:30 or 2:30pm"
    )
    assert input_value(html, "id_received_time") == "25:70"
    assert error_beside(html, "id_description") == "Enter the complaint"
    assert error_beside(html, "id_channel") == "Select how the complaint came in"
    assert input_value(html, "id_received_by") == "Front desk"
    assert input_value(html, "id_complainant") == str(tenant.pk)
    assert Complaint.objects.count() == 0


def test_a_complaint_received_in_the_future_is_refused_beside_the_date(signed_in, tenant):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = signed_in.post(LOG, complaint_data(tenant, **date_data("received_at", tomorrow)))

    assert response.status_code == 400
    assert error_beside(page(response), "id_received_at") == (
        "Date received must be today or in the past"
    )
    assert Complaint.objects.count() == 0


def test_a_sub_category_of_another_category_is_an_error(signed_in, tenant):
    repairs = Category.objects.get(name="Repairs", parent=None)
    parking = Category.objects.get(name="Parking")

    response = signed_in.post(
        LOG, complaint_data(tenant, category=repairs.pk, sub_category=parking.pk)
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_sub_category") == (
        "Choose a sub-category of Repairs, or change the category"
    )
    assert selected_value(html, "id_category") == str(repairs.pk)


def test_a_late_complaint_asks_for_the_discretion_decision_beside_its_box(signed_in, tenant):
    data = complaint_data(tenant, **date_data("issue_date", D(2025, 3, 1)))

    refused = signed_in.post(LOG, data)

    assert refused.status_code == 400
    html = page(refused)
    assert "more than 12 months after the issue arose" in error_beside(html, "id_discretion_note")
    assert input_value(html, "id_issue_date_year") == "2025"
    assert textarea_value(html, "id_description") == data["description"]
    assert checked_values(html, "channel") == ["phone"]
    assert Complaint.objects.count() == 0

    data["discretion_note"] = "The resident was in hospital for most of 2025."
    accepted = signed_in.post(LOG, data)

    assert accepted.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.outside_time_limit is True
    assert complaint.discretion_note == "The resident was in hospital for most of 2025."
    assert complaint.issue_date == D(2025, 3, 1)


def test_a_representative_of_someone_else_is_not_offered(signed_in, tenant):
    stranger = RepresentativeFactory(name="Someone Else")

    response = signed_in.post(LOG, complaint_data(tenant, representative=stranger.pk))

    assert response.status_code == 400
    assert error_beside(page(response), "id_representative").startswith("Select a valid choice")


def test_a_confidential_complaint_logged_by_a_handler_goes_back_to_their_work(signed_in, tenant):
    response = signed_in.post(LOG, complaint_data(tenant, is_confidential="true"))

    complaint = Complaint.objects.get()
    assert complaint.is_confidential is True
    assert response.status_code == 302
    assert complaint.reference not in response["Location"]
    follow = signed_in.get(LOG)
    assert f"Complaint {complaint.reference} logged as confidential" in page(follow)


# --- Adding someone new --------------------------------------------------------------------------


def test_adding_someone_new_goes_on_to_their_complaint(signed_in, handler):
    response = signed_in.post(
        LOG,
        {
            "step": "resident",
            "first_name": "Nia",
            "last_name": "Jones",
            "kind": "leaseholder",
            "phone": "07700 900123",
            "email": "",
        },
    )

    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?resident={resident.pk}"
    assert (resident.first_name, resident.last_name, resident.kind) == (
        "Nia",
        "Jones",
        "leaseholder",
    )
    assert resident.phone == "07700 900123"
    assert ResidentEvent.objects.filter(resident=resident, actor=handler).exists()
    follow = page(signed_in.get(response["Location"]))
    assert "Complaint from Nia Jones" in follow
    assert "No homes are recorded for Nia Jones" in follow


def test_adding_someone_without_a_last_name_keeps_what_was_typed(signed_in):
    response = signed_in.post(
        LOG, {"step": "resident", "first_name": "Nia", "last_name": "", "kind": "tenant"}
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_last_name") == "Enter their last name"
    assert input_value(html, "id_first_name") == "Nia"
    assert Resident.objects.count() == 0


def test_the_service_refusing_a_new_person_shows_its_message_beside_the_field(signed_in):
    response = signed_in.post(
        LOG,
        {"step": "resident", "last_name": "Jones", "kind": "tenant", "email": "not an address"},
    )

    assert response.status_code == 400
    assert "not an email address" in error_beside(page(response), "id_email")


# --- Sent twice -----------------------------------------------------------------------------------


def test_a_complaint_form_sent_twice_logs_one_complaint(signed_in, tenant):
    form = page(signed_in.get(f"{LOG}?resident={tenant.pk}"))
    key = re.search(r'name="submission" value="([0-9a-f-]{36})"', form).group(1)
    data = complaint_data(tenant, submission=key)

    first = signed_in.post(LOG, data)
    again = signed_in.post(LOG, data)  # a double click, or the browser's resubmit

    complaint = Complaint.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/cases/{complaint.reference}/"
    assert "was logged when the form was first sent" in page(signed_in.get(again["Location"]))


def test_a_complaint_refused_then_corrected_with_the_same_form_is_logged(signed_in, tenant):
    form = page(signed_in.get(f"{LOG}?resident={tenant.pk}"))
    key = re.search(r'name="submission" value="([0-9a-f-]{36})"', form).group(1)

    refused = signed_in.post(
        LOG, complaint_data(tenant, submission=key, **date_data("received_at", D(2099, 1, 1)))
    )
    assert refused.status_code == 400
    assert f'value="{key}"' in page(refused)  # the redrawn form keeps its key
    assert not Complaint.objects.exists()

    assert signed_in.post(LOG, complaint_data(tenant, submission=key)).status_code == 302
    assert Complaint.objects.count() == 1


def test_two_blank_forms_log_two_complaints(signed_in, tenant):
    keys = [
        re.search(
            r'name="submission" value="([0-9a-f-]{36})"',
            page(signed_in.get(f"{LOG}?resident={tenant.pk}")),
        ).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    for key in keys:
        signed_in.post(LOG, complaint_data(tenant, submission=key))
    assert Complaint.objects.count() == 2


def test_adding_a_person_twice_with_one_form_adds_them_once(signed_in):
    key = re.search(r'name="submission" value="([0-9a-f-]{36})"', page(signed_in.get(LOG))).group(1)
    data = {
        "step": "resident",
        "submission": key,
        "first_name": "Nia",
        "last_name": "Jones",
        "kind": "leaseholder",
        "phone": "",
        "email": "",
    }

    first = signed_in.post(LOG, data)
    again = signed_in.post(LOG, data)

    resident = Resident.objects.get()
    assert first["Location"] == again["Location"] == f"{LOG}?resident={resident.pk}"

"""The contacts screens: who may open them, forms that keep what was typed, lists in a fixed
number of queries, and the links from the case page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from putright.accounts.navigation import navigation_for
from putright.contacts import services
from putright.contacts.models import Contact, Enquiry, ServiceRequest, SurveyFollowUp
from tests.contacts.conftest import log_complaint

pytestmark = pytest.mark.django_db


def test_the_board_sees_no_contacts(client, board, today):
    client.force_login(board)

    assert client.get(reverse("contacts:hub")).status_code == 403
    assert client.get(reverse("contacts:enquiries")).status_code == 403


def test_case_handlers_reach_the_hub_from_the_navigation(client, handler, today):
    client.force_login(handler)

    response = client.get(reverse("contacts:hub"))

    assert response.status_code == 200
    assert navigation_for(handler, "/contacts/log/")[-1] == {
        "label": "Contacts",
        "url": "/contacts/",
        "current": True,
    }


def test_an_enquiry_form_with_errors_keeps_what_was_typed(client, handler, today):
    client.force_login(handler)

    response = client.post(
        reverse("contacts:enquiry-new"),
        {
            "received_on_day": "2",
            "received_on_month": "4",
            "received_on_year": "2026",
            "enquirer_name": "Cllr Priya Shah",
            "enquirer_role": "councillor",
            "resident": "",
            "summary": "",
            "choice_offered": "on",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'value="Cllr Priya Shah"' in content
    assert "Enter the resident&#x27;s reference, or the complaint" in content
    assert "Enter what they asked" in content
    assert "Enter the date the choice to complain was offered" in content
    assert Enquiry.objects.count() == 0


def test_an_enquiry_is_recorded_through_the_form(client, handler, resident, today):
    client.force_login(handler)

    response = client.post(
        reverse("contacts:enquiry-new"),
        {
            "received_on_day": "2",
            "received_on_month": "4",
            "received_on_year": "2026",
            "enquirer_name": "Cllr Priya Shah",
            "enquirer_role": "councillor",
            "resident": "t-10042",
            "summary": "Asks about the damp.",
        },
    )

    made = Enquiry.objects.get()
    assert response.url == reverse("contacts:enquiry", args=[made.pk])
    assert made.resident == resident and made.due_on == dt.date(2026, 4, 20)
    page = client.get(response.url).content.decode()
    assert "20 Apr 2026 (overdue)" in page
    assert "Enquiry from Cllr Priya Shah (Councillor)" in page  # the history


def test_a_service_request_refused_by_the_service_shows_the_reason(client, handler, today):
    client.force_login(handler)

    response = client.post(
        reverse("contacts:service-request-new"),
        {
            "source": "phone",
            "category": "repairs",
            "description": "Leaking gutter.",
            "opened_on_day": "10",
            "opened_on_month": "5",
            "opened_on_year": "2026",
            "target_on_day": "1",
            "target_on_month": "5",
            "target_on_year": "2026",
            "status": "open",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "The target date cannot be before the date opened." in content
    assert 'value="Leaking gutter."' in content or "Leaking gutter." in content
    assert ServiceRequest.objects.count() == 0


def test_a_complaint_is_linked_to_a_request_which_stays_open(client, handler, complaint, today):
    request = services.service_request_record(
        acting_user=handler,
        source="housing_system",
        category="repairs",
        description="Boiler.",
        opened_on=dt.date(2026, 4, 1),
        target_on=dt.date(2026, 4, 29),
    )
    client.force_login(handler)

    response = client.post(
        reverse("contacts:service-request-link", args=[request.pk]),
        {"complaint": complaint.reference.lower()},
    )

    assert response.status_code == 302
    assert list(request.complaints.all()) == [complaint]
    page = client.get(reverse("contacts:service-request", args=[request.pk])).content.decode()
    assert complaint.reference in page


def test_the_case_page_links_the_recorded_service_request(client, handler, today):
    complaint = log_complaint(handler, service_request_reference="JOB-9")
    request = services.service_request_record(
        acting_user=handler,
        source="housing_system",
        category="repairs",
        description="Boiler.",
        opened_on=dt.date(2026, 4, 1),
        target_on=dt.date(2026, 4, 29),
        external_reference="JOB-9",
    )
    client.force_login(handler)

    page = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()

    link = reverse("contacts:service-request", args=[request.pk])
    assert f'<a class="govuk-link" href="{link}">JOB-9</a>' in page
    assert 'id="contacts"' in page


def _contacts(handler, count):
    for n in range(count):
        services.contact_log(
            acting_user=handler,
            received_on=dt.date(2026, 4, 1 + n % 20),
            channel="email" if n % 3 else "phone",
            contact_type="repair",
            answered_on=dt.date(2026, 4, 22) if n % 2 else None,
        )


def _list_pages(handler, resident, complaint, n):
    for index in range(n):
        enquiry = services.enquiry_record(
            acting_user=handler,
            received_on=dt.date(2026, 4, 1),
            enquirer_name=f"MP {index}",
            enquirer_role="mp",
            resident=resident,
            summary="Asks.",
            complaint=complaint,
        )
        assert enquiry
        request = services.service_request_record(
            acting_user=handler,
            source="phone",
            category="repairs",
            description="Gutter.",
            opened_on=dt.date(2026, 4, 1),
            target_on=dt.date(2026, 4, 9),
        )
        services.service_request_link_complaint(
            acting_user=handler, service_request=request, complaint=complaint
        )
        services.compliment_record(
            acting_user=handler,
            received_on=dt.date(2026, 4, 1),
            channel="email",
            text="Thanks.",
            about_staff=handler,
        )
    _contacts(handler, n)


LISTS = [
    "contacts:hub",
    "contacts:enquiries",
    "contacts:service-requests",
    "contacts:compliments",
    "contacts:surveys",
    "contacts:follow-ups",
    "contacts:contacts",
    "contacts:demand",
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_run_a_fixed_number_of_queries(
    client, handler, resident, complaint, today, name, django_assert_max_num_queries
):
    client.force_login(handler)
    url = reverse(name)
    _list_pages(handler, resident, complaint, 1)
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    _list_pages(handler, resident, complaint, 12)

    # Session, user, permissions, roles, the organisation's name, count and page: none per row.
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_review_filter_and_the_demand_table_show_on_screen(client, handler, complaint, today):
    _list_pages(handler, complaint.complainant, complaint, 2)
    client.force_login(handler)

    review = client.get(reverse("contacts:service-requests"), {"became_complaint": "on"})
    assert len(review.context["rows"]) == 2

    demand = client.get(
        reverse("contacts:demand"),
        {
            "received_from_day": "1",
            "received_from_month": "4",
            "received_from_year": "2026",
            "received_to_day": "30",
            "received_to_month": "4",
            "received_to_year": "2026",
        },
    )
    assert demand.context["total"] == Contact.objects.count() == 2
    assert "April 2026" in demand.content.decode()


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def test_a_contact_is_logged_and_answered_through_the_forms(client, handler, today):
    client.force_login(handler)

    response = client.post(
        reverse("contacts:contact-new"),
        {**_date("received_on", dt.date(2026, 5, 1)), "channel": "phone", "contact_type": "rent"},
    )

    contact = Contact.objects.get()
    assert response.status_code == 302 and contact.due_on == dt.date(2026, 5, 6)
    response = client.post(
        reverse("contacts:contact-edit", args=[contact.pk]),
        {
            **_date("received_on", dt.date(2026, 5, 1)),
            "channel": "phone",
            "contact_type": "rent",
            **_date("answered_on", dt.date(2026, 5, 7)),
        },
    )
    contact.refresh_from_db()
    assert contact.answered_in_time is False
    page = client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    assert "Contact updated" in page


def test_a_compliment_form_needs_someone_it_is_about(client, handler, today):
    client.force_login(handler)
    fields = {**_date("received_on", dt.date(2026, 5, 1)), "channel": "email", "text": "Thanks!"}

    refused = client.post(reverse("contacts:compliment-new"), fields)
    made = client.post(reverse("contacts:compliment-new"), {**fields, "about_staff": handler.pk})

    assert refused.status_code == 400
    assert "Say who the compliment is about" in refused.content.decode()
    assert made.status_code == 302


def test_a_survey_response_and_its_follow_up_through_the_forms(
    client, handler, closed_complaint, today
):
    client.force_login(handler)
    client.post(
        reverse("contacts:survey-new"),
        {"complaint": closed_complaint.reference, **_date("sent_on", dt.date(2026, 5, 1))},
    )
    survey = closed_complaint.surveys.get()

    client.post(
        reverse("contacts:survey-response", args=[survey.pk]),
        {"score": "2", "comment": "", **_date("responded_on", dt.date(2026, 5, 4))},
    )

    follow_up = SurveyFollowUp.objects.get(survey=survey)
    listed = client.get(reverse("contacts:follow-ups"))
    assert len(listed.context["rows"]) == 1
    refused = client.post(
        reverse("contacts:follow-up", args=[follow_up.pk]),
        {**_date("done_on", dt.date(2026, 5, 6)), "outcome": "Rang; no answer."},
    )
    assert refused.status_code == 400
    assert "offered the choice to complain" in refused.content.decode()
    done = client.post(
        reverse("contacts:follow-up", args=[follow_up.pk]),
        {
            **_date("done_on", dt.date(2026, 5, 6)),
            "choice_offered": "on",
            "outcome": "Offered; does not want to complain.",
        },
    )
    assert done.status_code == 302
    assert len(client.get(reverse("contacts:follow-ups")).context["rows"]) == 0

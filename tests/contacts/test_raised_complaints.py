"""Logging a complaint raised from a service request (Code 1.5) or from a satisfaction survey's
follow-up (Code 1.6): the casework log steps, with the link back made in the same transaction."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.contacts import services as contact_services
from putright.contacts.models import ContactsEvent, ServiceRequest, SurveyFollowUp
from putright.core.errors import StepRefused
from tests.accounts.helpers import make_staff
from tests.casework.test_intake_actions import date_data
from tests.casework.test_intake_log import complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


@pytest.fixture
def service_request(handler, resident, today):
    return contact_services.service_request_record(
        acting_user=handler,
        source="housing_system",
        category="repairs",
        description="Boiler not heating water.",
        opened_on=today - dt.timedelta(days=30),
        target_on=today - dt.timedelta(days=2),
        external_reference="JOB-4471",
        resident=resident,
    )


@pytest.fixture
def follow_up(handler, closed_complaint, today):
    contact_services.survey_send(
        acting_user=handler,
        complaint=closed_complaint,
        sent_on=today - dt.timedelta(days=5),
        score=1,
        comment="Nobody came back to me.",
        comment_dissatisfied=True,
        responded_on=today - dt.timedelta(days=1),
    )
    return SurveyFollowUp.objects.get(survey__complaint=closed_complaint)


def _links(response) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', response.content.decode())]


def _post(client, url, resident, today, **overrides):
    yesterday = today - dt.timedelta(days=1)  # the time given is in the afternoon
    return client.post(
        url, complaint_data(resident, **date_data("received_at", yesterday), **overrides)
    )


def test_a_service_request_offers_logging_a_complaint_at_the_complaint_step(
    signed_in,
    service_request,
    resident,
):
    url = reverse("casework:log-from-service-request", args=[service_request.pk])

    detail = signed_in.get(reverse("contacts:service-request", args=[service_request.pk]))
    assert f"{url}?resident={resident.pk}" in _links(detail)

    form = signed_in.get(url, {"resident": resident.pk}).content.decode()
    assert "Log a complaint raised from a service request" in form
    assert "Boiler not heating water." in form
    assert 'value="JOB-4471"' in form  # the request's reference starts in its box


def test_the_complaint_is_logged_and_linked_while_the_request_stays_open(
    signed_in,
    service_request,
    resident,
    today,
):
    url = reverse("casework:log-from-service-request", args=[service_request.pk])

    response = _post(signed_in, url, resident, today, service_request_reference="JOB-4471")

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[complaint.reference])
    assert list(service_request.complaints.all()) == [complaint]
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.OPEN
    assert ContactsEvent.objects.filter(
        service_request=service_request, summary__contains=complaint.reference
    ).exists()


def test_a_complaint_from_a_follow_up_completes_it_with_the_choice_recorded(
    signed_in,
    follow_up,
    closed_complaint,
    today,
):
    complainant = closed_complaint.complainant
    url = reverse("casework:log-from-follow-up", args=[follow_up.pk])
    survey_page = signed_in.get(reverse("contacts:survey", args=[follow_up.survey_id]))
    assert f"{url}?resident={complainant.pk}" in _links(survey_page)

    _post(signed_in, url, complainant, today)

    new = Complaint.objects.exclude(pk=closed_complaint.pk).get()
    follow_up.refresh_from_db()
    assert follow_up.complaint == new
    assert follow_up.done_on == today
    assert follow_up.choice_offered is True
    assert new.reference in follow_up.outcome
    # Done once: the page now sends people back to the survey.
    again = signed_in.get(url)
    assert again["Location"] == reverse("contacts:survey", args=[follow_up.survey_id])


def test_a_refused_link_leaves_no_complaint_behind(
    signed_in,
    follow_up,
    closed_complaint,
    today,
    monkeypatch,
):
    def refuse(**kwargs):
        raise StepRefused("follow_up_done", "This follow-up is already done.")

    monkeypatch.setattr(contact_services, "follow_up_complete", refuse)
    url = reverse("casework:log-from-follow-up", args=[follow_up.pk])

    response = _post(signed_in, url, closed_complaint.complainant, today)

    assert response.status_code == 400
    assert "This follow-up is already done." in response.content.decode()
    assert Complaint.objects.count() == 1  # only the closed one


@pytest.mark.parametrize("role", ["Board member", "Quality reviewer"])
def test_only_those_who_handle_complaints_and_change_the_record_may_log_from_it(
    client, service_request, role
):
    staff = make_staff(role)
    client.force_login(staff)
    url = reverse("casework:log-from-service-request", args=[service_request.pk])
    allowed = staff.has_perm("complaints.handle_complaint") and staff.has_perm(
        "contacts.change_servicerequest"
    )

    assert client.get(url).status_code == (200 if allowed else 403)

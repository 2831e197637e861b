"""Linking a service request, an enquiry or a survey to a complaint is written in the complaint's
own history too, so its timeline tells the whole story."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import ComplaintEvent
from putright.contacts import services
from tests.contacts.conftest import log_complaint

pytestmark = pytest.mark.django_db
Action = ComplaintEvent.Action


def _history(complaint, action):
    return list(
        ComplaintEvent.objects.filter(complaint=complaint, action=action).values_list(
            "happened_on", "summary"
        )
    )


def test_a_request_linked_by_hand_or_by_its_reference_is_in_the_history(handler, today):
    named = log_complaint(handler, service_request_reference="job-77")
    by_hand = log_complaint(handler)

    request = services.service_request_record(
        acting_user=handler,
        source="housing_system",
        category="repairs",
        description="Leak under the sink.",
        opened_on=dt.date(2026, 4, 1),
        target_on=dt.date(2026, 4, 8),
        external_reference="JOB-77",
    )
    services.service_request_link_complaint(
        acting_user=handler, service_request=request, complaint=by_hand
    )

    for complaint in (named, by_hand):
        assert _history(complaint, Action.SERVICE_REQUEST_LINKED) == [
            (today, "Service request JOB-77 (repairs)")
        ]


def test_an_enquiry_is_in_the_history_once_when_it_is_linked(handler, resident, today):
    complaint = log_complaint(handler, resident)
    enquiry = services.enquiry_record(
        acting_user=handler,
        received_on=dt.date(2026, 5, 18),
        enquirer_name="Cllr Priya Shah",
        enquirer_role="councillor",
        resident=resident,
        summary="Asked about the boiler.",
    )
    assert _history(complaint, Action.ENQUIRY_LINKED) == []

    services.enquiry_update(acting_user=handler, enquiry=enquiry, complaint=complaint)
    services.enquiry_update(acting_user=handler, enquiry=enquiry, summary="Asked twice.")

    assert _history(complaint, Action.ENQUIRY_LINKED) == [
        (today, "Enquiry from Cllr Priya Shah (Councillor), received 18 May 2026")
    ]


def test_a_survey_and_the_complaint_made_after_its_follow_up(
    handler, resident, closed_complaint, today
):
    survey = services.survey_send(
        acting_user=handler,
        complaint=closed_complaint,
        sent_on=dt.date(2026, 5, 11),
        score=1,
        responded_on=dt.date(2026, 5, 15),
    )
    assert _history(closed_complaint, Action.SURVEY_SENT) == [
        (dt.date(2026, 5, 11), f"Survey {survey.reference}")
    ]

    new = log_complaint(handler, resident)
    services.follow_up_complete(
        acting_user=handler,
        follow_up=survey.follow_up,
        done_on=today,
        choice_offered=True,
        outcome="They chose to complain.",
        complaint=new,
    )

    assert _history(new, Action.RAISED_FROM_FOLLOW_UP) == [
        (today, f"After survey {survey.reference} about complaint {closed_complaint.reference}")
    ]

"""The rules of contacts beside complaints, through their services. Dates worked by hand on the
England calendar: Good Friday 3 April 2026, Easter Monday 6 April 2026, early May bank holiday
4 May 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import Complaint
from putright.contacts import selectors, services
from putright.contacts.models import ContactsEvent, ServiceRequest, SurveyFollowUp
from putright.core.errors import InvalidInput, StepRefused
from tests.contacts.conftest import log_complaint

pytestmark = pytest.mark.django_db


def enquiry(handler, resident, **overrides):
    fields = {
        "acting_user": handler,
        "received_on": dt.date(2026, 4, 2),
        "enquirer_name": "Jo Bloggs MP",
        "enquirer_role": "mp",
        "resident": resident,
        "summary": "Asks when the boiler will be fixed.",
        **overrides,
    }
    return services.enquiry_record(**fields)


def service_request(handler, **overrides):
    fields = {
        "acting_user": handler,
        "source": "housing_system",
        "category": "repairs",
        "description": "Boiler not heating water.",
        "opened_on": dt.date(2026, 4, 1),
        "target_on": dt.date(2026, 4, 29),
        **overrides,
    }
    return services.service_request_record(**fields)


# Enquiries ---------------------------------------------------------------------------------------


def test_an_enquiry_is_due_ten_working_days_after_receipt_across_easter(handler, resident, today):
    # Thursday 2 April 2026; Good Friday, the weekend and Easter Monday do not count:
    # 7, 8, 9, 10, 13, 14, 15, 16, 17 and 20 April.
    made = enquiry(handler, resident, received_on=dt.date(2026, 4, 2))

    assert made.due_on == dt.date(2026, 4, 20)


def test_the_enquiry_target_is_a_policy_setting(handler, resident, today, settings):
    settings.PUTRIGHT_ENQUIRY_RESPONSE_DAYS = 5
    # Friday 1 May 2026; the weekend and the early May bank holiday (4 May) do not count.
    made = enquiry(handler, resident, received_on=dt.date(2026, 5, 1))

    assert made.due_on == dt.date(2026, 5, 11)


def test_an_enquiry_writes_its_history(handler, resident, today):
    made = enquiry(handler, resident)

    event = ContactsEvent.objects.get(enquiry=made)
    assert event.action == "enquiry_recorded"
    assert event.actor == handler
    assert event.changes["enquirer_name"] == [None, "Jo Bloggs MP"]


def test_an_enquiry_refuses_a_response_before_receipt_and_a_missing_offer_date(
    handler, resident, today
):
    with pytest.raises(StepRefused) as refused:
        enquiry(
            handler,
            resident,
            responded_on=dt.date(2026, 4, 1),
            choice_offered=True,
            choice_offered_on=None,
        )

    codes = {problem.code for problem in refused.value.every()}
    assert codes == {"responded_on_too_early", "choice_offered_on_missing"}


def test_an_enquiry_cannot_arrive_in_the_future(handler, resident, today):
    with pytest.raises(InvalidInput):
        enquiry(handler, resident, received_on=dt.date(2026, 5, 21))


def test_recording_the_response_and_the_choice_offered_is_a_change_with_history(
    handler, resident, complaint, today
):
    made = enquiry(handler, resident)

    changed = services.enquiry_update(
        acting_user=handler,
        enquiry=made,
        responded_on=dt.date(2026, 4, 16),
        complaint=complaint,
        choice_offered=True,
        choice_offered_on=dt.date(2026, 4, 9),
    )

    assert changed.responded_on == dt.date(2026, 4, 16)
    event = ContactsEvent.objects.filter(enquiry=made).last()
    assert event.action == "enquiry_updated"
    assert event.changes["responded_on"] == [None, "2026-04-16"]
    assert event.changes["complaint"][1]["label"] == str(complaint)


def test_overdue_enquiries_are_those_unanswered_past_their_due_date(handler, resident, today):
    late = enquiry(handler, resident, received_on=dt.date(2026, 4, 2))  # due 20 April
    enquiry(handler, resident, received_on=dt.date(2026, 5, 19))  # due 2 June
    answered = enquiry(handler, resident, received_on=dt.date(2026, 4, 2))
    services.enquiry_update(
        acting_user=handler, enquiry=answered, responded_on=dt.date(2026, 4, 10)
    )

    overdue = selectors.enquiry_list(selectors.EnquiryFilters(state="overdue"))

    assert list(overdue) == [late]


# Service requests --------------------------------------------------------------------------------


def test_a_complaint_raised_from_a_request_leaves_it_open(handler, complaint, today):
    request = service_request(handler)

    services.service_request_link_complaint(
        acting_user=handler, service_request=request, complaint=complaint
    )

    request.refresh_from_db()
    assert request.status == ServiceRequest.Status.OPEN
    assert list(request.complaints.all()) == [complaint]
    with pytest.raises(StepRefused, match="already linked"):
        services.service_request_link_complaint(
            acting_user=handler, service_request=request, complaint=complaint
        )


def test_a_request_recorded_with_a_housing_reference_links_complaints_naming_it(handler, today):
    named = log_complaint(handler, service_request_reference="job-778")

    request = service_request(handler, external_reference="JOB-778")

    assert list(request.complaints.all()) == [named]
    contacts = selectors.contacts_for_complaint(complaint=named)
    assert contacts.service_request_for_reference.pk == request.pk


def test_the_case_page_reads_a_complaints_contacts_in_one_query(
    handler, resident, closed_complaint, today, django_assert_num_queries
):
    closed_complaint.service_request_reference = "JOB-5"
    request = service_request(handler, external_reference="JOB-5")
    other = service_request(handler)
    services.service_request_link_complaint(
        acting_user=handler, service_request=other, complaint=closed_complaint
    )
    enquiry(handler, resident, complaint=closed_complaint)
    services.survey_send(
        acting_user=handler,
        complaint=closed_complaint,
        sent_on=dt.date(2026, 5, 1),
        score=4,
        responded_on=dt.date(2026, 5, 2),
    )

    with django_assert_num_queries(1):
        contacts = selectors.contacts_for_complaint(complaint=closed_complaint)

    assert [row.reference for row in contacts.service_requests] == [
        "JOB-5",
        f"SR{other.pk:06d}",
    ]
    assert contacts.service_request_for_reference.pk == request.pk
    assert [row.label_display for row in contacts.enquiries] == ["MP"]
    assert [row.score for row in contacts.surveys] == [4]


def test_a_closed_request_needs_its_date_and_an_open_one_has_none(handler, today):
    with pytest.raises(InvalidInput, match="date closed"):
        service_request(handler, status="closed")
    request = service_request(handler)

    with pytest.raises(StepRefused, match="no date closed"):
        services.service_request_update(
            acting_user=handler, service_request=request, closed_on=dt.date(2026, 5, 1)
        )
    closed = services.service_request_update(
        acting_user=handler,
        service_request=request,
        status="closed",
        closed_on=dt.date(2026, 5, 1),
    )
    assert closed.closed_on == dt.date(2026, 5, 1)


def test_a_housing_reference_is_recorded_once(handler, today):
    service_request(handler, external_reference="JOB-1")

    with pytest.raises(StepRefused, match="already recorded"):
        service_request(handler, external_reference="JOB-1")


def test_requests_are_monitored_open_overdue_and_closed(handler, today):
    overdue = service_request(handler, target_on=dt.date(2026, 5, 19))
    on_time = service_request(handler, target_on=dt.date(2026, 5, 20))
    closed = service_request(handler, status="closed", closed_on=dt.date(2026, 4, 20))

    def listed(state):
        return set(selectors.service_request_list(selectors.ServiceRequestFilters(state=state)))

    assert listed("open") == {overdue, on_time}
    assert listed("overdue") == {overdue}
    assert listed("closed") == {closed}
    counts = selectors.hub_counts()["requests"]
    assert (counts["open"], counts["overdue"], counts["closed"]) == (2, 1, 1)


def test_the_review_list_holds_requests_that_became_complaints(handler, complaint, today):
    linked = service_request(handler)
    services.service_request_link_complaint(
        acting_user=handler, service_request=linked, complaint=complaint
    )
    service_request(handler)  # never became a complaint

    review = selectors.service_request_list(selectors.ServiceRequestFilters(became_complaint=True))

    assert list(review) == [linked]


def test_a_review_needs_a_note_and_is_recorded_in_the_history(handler, today):
    request = service_request(handler)
    with pytest.raises(InvalidInput, match="what the review found"):
        services.service_request_review(
            acting_user=handler, service_request=request, reviewed_on=dt.date(2026, 5, 1), note=" "
        )

    services.service_request_review(
        acting_user=handler,
        service_request=request,
        reviewed_on=dt.date(2026, 5, 1),
        note="Should have been offered a complaint when the second visit failed.",
    )

    request.refresh_from_db()
    assert request.reviewed_on == dt.date(2026, 5, 1)
    assert ContactsEvent.objects.filter(
        service_request=request, action="service_request_reviewed"
    ).exists()


# Compliments -------------------------------------------------------------------------------------


def test_a_compliment_is_about_someone(handler, today):
    with pytest.raises(InvalidInput, match="who the compliment is about"):
        services.compliment_record(
            acting_user=handler,
            received_on=dt.date(2026, 5, 1),
            channel="email",
            text="Thank you.",
        )

    made = services.compliment_record(
        acting_user=handler,
        received_on=dt.date(2026, 5, 1),
        channel="email",
        text="The plumber was quick and tidy.",
        about_contractor="Swift Plumbing",
        about_staff=handler,
    )
    assert made.about == f"{handler}; Swift Plumbing"


# Surveys and follow-ups --------------------------------------------------------------------------


def test_a_survey_is_sent_only_after_the_complaint_closes(handler, complaint, today):
    with pytest.raises(StepRefused, match="still open"):
        services.survey_send(acting_user=handler, complaint=complaint, sent_on=dt.date(2026, 5, 1))


@pytest.mark.parametrize(
    ("score", "dissatisfied", "reason"),
    [
        (1, False, "low_score"),
        (2, False, "low_score"),
        (3, True, "dissatisfied_comment"),
        (3, False, None),
        (5, False, None),
    ],
)
def test_a_low_score_or_a_dissatisfied_comment_opens_a_follow_up_not_a_complaint(
    handler, closed_complaint, today, score, dissatisfied, reason
):
    complaints_before = Complaint.objects.count()
    survey = services.survey_send(
        acting_user=handler, complaint=closed_complaint, sent_on=dt.date(2026, 5, 1)
    )

    services.survey_response_record(
        acting_user=handler,
        survey=survey,
        score=score,
        comment="Nobody called me back." if dissatisfied else "",
        comment_dissatisfied=dissatisfied,
        responded_on=dt.date(2026, 5, 4),
    )

    follow_up = SurveyFollowUp.objects.filter(survey=survey).first()
    assert (follow_up.reason if follow_up else None) == reason
    assert Complaint.objects.count() == complaints_before


def test_a_score_must_be_1_to_5_and_the_response_after_sending(handler, closed_complaint, today):
    survey = services.survey_send(
        acting_user=handler, complaint=closed_complaint, sent_on=dt.date(2026, 5, 1)
    )
    with pytest.raises(InvalidInput) as refused:
        services.survey_response_record(
            acting_user=handler, survey=survey, score=6, responded_on=dt.date(2026, 4, 30)
        )
    codes = {problem.code for problem in refused.value.every()}
    assert codes == {"score_invalid", "responded_on_too_early"}


def test_a_follow_up_is_done_only_once_the_choice_to_complain_was_offered(
    handler, closed_complaint, today
):
    survey = services.survey_send(
        acting_user=handler,
        complaint=closed_complaint,
        sent_on=dt.date(2026, 5, 1),
        score=1,
        responded_on=dt.date(2026, 5, 2),
    )
    follow_up = survey.follow_up
    assert list(selectors.follow_up_list()) == [follow_up]

    with pytest.raises(StepRefused, match="offered the choice"):
        services.follow_up_complete(
            acting_user=handler,
            follow_up=follow_up,
            done_on=dt.date(2026, 5, 6),
            choice_offered=False,
            outcome="Left a message.",
        )
    services.follow_up_complete(
        acting_user=handler,
        follow_up=follow_up,
        done_on=dt.date(2026, 5, 6),
        choice_offered=True,
        outcome="Does not want to complain; the callback has been made.",
    )

    assert list(selectors.follow_up_list()) == []
    assert list(selectors.follow_up_list(include_done=True)) == [follow_up]


def test_the_satisfaction_summary_counts_responses_and_the_mean_score(
    handler, closed_complaint, today
):
    for day, score in ((1, 2), (4, 3), (5, None)):
        services.survey_send(
            acting_user=handler,
            complaint=closed_complaint,
            sent_on=dt.date(2026, 5, day),
            score=score,
            responded_on=dt.date(2026, 5, 6) if score else None,
        )

    summary = selectors.satisfaction_summary(selectors.survey_list())

    assert (summary.sent, summary.responses, summary.average) == (3, 2, 2.5)


# Contacts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (dt.date(2026, 3, 27), dt.date(2026, 3, 31)),  # Friday: Monday, Tuesday
        (dt.date(2026, 3, 28), dt.date(2026, 3, 31)),  # Saturday: Monday, Tuesday
        (dt.date(2026, 4, 2), dt.date(2026, 4, 8)),  # Thursday before Easter: 7, 8 April
        (dt.date(2026, 5, 1), dt.date(2026, 5, 6)),  # Friday before the May bank holiday
    ],
)
def test_a_contact_is_due_two_working_days_after_receipt(handler, today, received_on, due_on):
    contact = services.contact_log(
        acting_user=handler, received_on=received_on, channel="email", contact_type="repair"
    )

    assert contact.due_on == due_on


def test_whether_a_contact_was_answered_in_time_is_stored_when_answered(handler, today):
    contact = services.contact_log(
        acting_user=handler,
        received_on=dt.date(2026, 4, 2),
        channel="phone",
        contact_type="rent",
    )
    assert contact.answered_in_time is None

    assert services.contact_update(
        acting_user=handler, contact=contact, answered_on=dt.date(2026, 4, 8)
    ).answered_in_time
    assert not services.contact_update(
        acting_user=handler, contact=contact, answered_on=dt.date(2026, 4, 9)
    ).answered_in_time
    assert ContactsEvent.objects.filter(contact=contact).count() == 3


def test_the_contact_demand_table_is_one_query(handler, today, django_assert_num_queries):
    def log(day, channel, answered=None, kind="repair"):
        services.contact_log(
            acting_user=handler,
            received_on=day,
            channel=channel,
            contact_type=kind,
            answered_on=answered,
        )

    log(dt.date(2026, 4, 1), "email", dt.date(2026, 4, 2))  # due 3 April: in time
    log(dt.date(2026, 4, 2), "email", dt.date(2026, 4, 9))  # due 8 April: late
    log(dt.date(2026, 4, 20), "email")  # not answered
    log(dt.date(2026, 4, 21), "phone", dt.date(2026, 4, 21))
    log(dt.date(2026, 5, 1), "email", dt.date(2026, 5, 5), kind="rent")

    with django_assert_num_queries(1):
        rows = selectors.contact_demand(
            received_from=dt.date(2026, 4, 1), received_to=dt.date(2026, 5, 31)
        )

    table = [
        (row.month, row.channel, row.contact_type, row.contacts, row.answered, row.in_time)
        for row in rows
    ]
    assert table == [
        (dt.date(2026, 4, 1), "email", "repair", 3, 2, 1),
        (dt.date(2026, 4, 1), "phone", "repair", 1, 1, 1),
        (dt.date(2026, 5, 1), "email", "rent", 1, 1, 1),
    ]
    assert rows[0].share_in_time == pytest.approx(1 / 3)

"""Every step of Ombudsman casework, and every refusal, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.core.errors import InvalidInput, StepRefused
from putright.learning.models import Lesson
from putright.ombudsman import services
from putright.ombudsman.models import CaseReview, FailureOrder, OmbudsmanEvent
from tests.ombudsman.conftest import determined_case, log_complaint, open_case

D = dt.date


def refused(code, call, *args, **kwargs):
    with pytest.raises((StepRefused, InvalidInput)) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


# The case ---------------------------------------------------------------------------------------


def test_a_case_is_opened_with_its_complaint_stage_and_history(manager, complaint):
    case = open_case(manager, complaint, reference=" 2025-00123 ")
    assert case.reference == "2025-00123"
    assert case.stage == "enquiry" and case.stage_since == D(2025, 10, 1)
    assert list(case.complaints.all()) == [complaint]
    assert [(c.stage, c.on) for c in case.stage_changes.all()] == [("enquiry", D(2025, 10, 1))]
    event = OmbudsmanEvent.objects.get(case=case)
    assert event.action == "case_opened" and event.actor == manager


def test_a_reference_is_recorded_once(manager, complaint, case):
    refused("duplicate_reference", open_case, manager, complaint, reference="202512345")


def test_opening_refuses_missing_or_inconsistent_details(manager, complaint, handler):
    refused("missing", open_case, manager, complaint, reference=" ")
    refused("no_complaint", open_case, manager, complaint, complaints=[])
    other = log_complaint(handler, day=9)
    refused("one_complaint", open_case, manager, complaint, complaints=[complaint, other])
    refused("date_in_future", open_case, manager, complaint, referred_on=D(2026, 3, 1))
    refused("invalid_stage", open_case, manager, complaint, stage="closed")
    refused("invalid_kind", open_case, manager, complaint, kind="odd")


def test_a_wider_investigation_links_several_complaints(manager, complaint, handler):
    other = log_complaint(handler, day=9)
    case = open_case(manager, complaint, kind="wider", complaints=[complaint, other])
    assert case.complaints.count() == 2


def test_stages_move_in_the_ombudsman_order_with_dates(manager, case):
    services.case_move(acting_user=manager, case=case, stage="assessment", on=D(2025, 10, 20))
    services.case_move(acting_user=manager, case=case, stage="investigation", on=D(2025, 11, 3))
    case.refresh_from_db()
    assert (case.stage, case.stage_since) == ("investigation", D(2025, 11, 3))
    assert case.stage_changes.count() == 3
    refused(
        "stage_out_of_order", services.case_move, acting_user=manager, case=case, stage="enquiry"
    )
    refused(
        "use_determination",
        services.case_move,
        acting_user=manager,
        case=case,
        stage="determination",
    )
    refused(
        "date_out_of_order",
        services.case_move,
        acting_user=manager,
        case=case,
        stage="closed",
        on=D(2025, 11, 2),
    )
    refused("invalid_stage", services.case_move, acting_user=manager, case=case, stage="odd")


def test_a_determination_needs_a_stage_that_can_end_in_one(manager, case, complaint):
    refused(
        "not_determinable",
        services.determination_record,
        acting_user=manager,
        case=case,
        on=D(2026, 1, 8),
    )
    case = determined_case(manager, complaint, reference="X1")
    assert (case.stage, case.determined_on) == ("determination", D(2026, 1, 8))
    refused(
        "not_determinable",
        services.determination_record,
        acting_user=manager,
        case=case,
        on=D(2026, 1, 9),
    )


# Findings and the case review -------------------------------------------------------------------


def test_findings_one_per_element_and_failure_opens_a_review(manager, complaint, repairs):
    case = determined_case(manager, complaint)
    services.finding_add(
        acting_user=manager,
        case=case,
        element="Repairs to the roof",
        outcome="no_maladministration",
        category=repairs,
    )
    assert not CaseReview.objects.filter(case=case).exists()
    services.finding_add(
        acting_user=manager,
        case=case,
        element="Complaint handling",
        outcome="service_failure",
        complaint=complaint,
    )
    review = CaseReview.objects.get(case=case)
    assert review.opened_on == D(2026, 1, 8)
    refused(
        "duplicate_element",
        services.finding_add,
        acting_user=manager,
        case=case,
        element="complaint HANDLING",
        outcome="maladministration",
    )
    refused(
        "invalid_outcome",
        services.finding_add,
        acting_user=manager,
        case=case,
        element="Noise",
        outcome="partial",
    )
    refused(
        "missing",
        services.finding_add,
        acting_user=manager,
        case=case,
        element="",
        outcome="maladministration",
    )


def test_findings_wait_for_the_determination_and_the_case_complaints(
    manager, case, complaint, handler
):
    refused(
        "not_determined",
        services.finding_add,
        acting_user=manager,
        case=case,
        element="Repairs",
        outcome="maladministration",
    )
    determined = determined_case(manager, complaint, reference="X2")
    stranger = log_complaint(handler, day=12)
    refused(
        "complaint_not_on_case",
        services.finding_add,
        acting_user=manager,
        case=determined,
        element="Repairs",
        outcome="maladministration",
        complaint=stranger,
    )


def test_the_case_review_completes_once_and_can_start_a_lesson(manager, complaint, repairs):
    case = determined_case(manager, complaint)
    services.finding_add(
        acting_user=manager,
        case=case,
        element="Repairs",
        outcome="maladministration",
        category=repairs,
    )
    review = case.review
    refused(
        "missing",
        services.case_review_complete,
        acting_user=manager,
        review=review,
        what_went_wrong=" ",
    )
    refused(
        "missing",
        services.case_review_complete,
        acting_user=manager,
        review=review,
        what_went_wrong="Slow repairs",
        lesson_title="Repairs",
        learning_text="",
    )
    done = services.case_review_complete(
        acting_user=manager,
        review=review,
        what_went_wrong="Roof repairs waited 9 months.",
        lesson_title="Roof repairs need an owner",
        learning_text="Name an owner for each job.",
        root_cause="delay",
        on=D(2026, 2, 1),
    )
    lesson = Lesson.objects.get(pk=done.lesson_id)
    assert list(lesson.complaints.all()) == [complaint]
    assert lesson.category == repairs
    refused(
        "already_completed",
        services.case_review_complete,
        acting_user=manager,
        review=review,
        what_went_wrong="Again",
    )


# Requests for information ----------------------------------------------------------------------


def test_a_request_is_provided_once_and_in_time_is_a_count(manager, case):
    request = services.request_record(
        acting_user=manager,
        case=case,
        what="Repair records",
        requested_on=D(2025, 10, 6),
        due_on=D(2025, 10, 20),
    )
    done = services.request_provide(acting_user=manager, request=request, on=D(2025, 10, 21))
    assert done.in_time is False
    refused("already_provided", services.request_provide, acting_user=manager, request=request)


def test_a_request_refuses_bad_dates_and_a_closed_case(manager, case):
    refused(
        "date_out_of_order",
        services.request_record,
        acting_user=manager,
        case=case,
        what="Notes",
        requested_on=D(2025, 10, 6),
        due_on=D(2025, 10, 5),
    )
    refused(
        "date_out_of_order",
        services.request_record,
        acting_user=manager,
        case=case,
        what="Notes",
        requested_on=D(2025, 9, 6),
        due_on=D(2025, 10, 5),
    )
    refused(
        "missing",
        services.request_record,
        acting_user=manager,
        case=case,
        what="",
        requested_on=D(2025, 10, 6),
        due_on=D(2025, 10, 9),
    )
    request = services.request_record(
        acting_user=manager,
        case=case,
        what="Notes",
        requested_on=D(2025, 10, 6),
        due_on=D(2025, 10, 9),
    )
    refused(
        "date_out_of_order",
        services.request_provide,
        acting_user=manager,
        request=request,
        on=D(2025, 10, 5),
    )
    services.case_move(acting_user=manager, case=case, stage="closed", on=D(2025, 12, 1))
    refused(
        "case_closed",
        services.request_record,
        acting_user=manager,
        case=case,
        what="More",
        requested_on=D(2025, 12, 2),
        due_on=D(2025, 12, 9),
    )


# Orders and recommendations ---------------------------------------------------------------------


def test_orders_come_after_the_determination_and_are_complied_with_once(manager, case, complaint):
    refused(
        "not_determined",
        services.order_record,
        acting_user=manager,
        case=case,
        what="Pay £300",
        due_on=D(2026, 2, 5),
    )
    case = determined_case(manager, complaint, reference="X3")
    refused(
        "date_out_of_order",
        services.order_record,
        acting_user=manager,
        case=case,
        what="Pay",
        due_on=D(2026, 1, 7),
    )
    refused(
        "invalid_amount",
        services.order_record,
        acting_user=manager,
        case=case,
        what="Pay",
        due_on=D(2026, 2, 5),
        compensation_pence=-1,
    )
    order = services.order_record(
        acting_user=manager,
        case=case,
        what="Pay £300",
        due_on=D(2026, 2, 5),
        compensation_pence=30000,
    )
    refused("missing", services.order_comply, acting_user=manager, order=order, evidence="")
    done = services.order_comply(
        acting_user=manager, order=order, evidence="Remittance advice", on=D(2026, 2, 4)
    )
    assert done.in_time is True
    refused(
        "already_complied",
        services.order_comply,
        acting_user=manager,
        order=order,
        evidence="Again",
    )


def test_an_order_without_money_takes_no_payment(manager, complaint):
    case = determined_case(manager, complaint)
    order = services.order_record(
        acting_user=manager, case=case, what="Apologise", due_on=D(2026, 2, 5)
    )
    refused(
        "no_compensation",
        services.order_link_compensation,
        acting_user=manager,
        order=order,
        compensation=None,
    )


def test_recommendations_are_decided_then_done(manager, complaint):
    case = determined_case(manager, complaint)
    rec = services.recommendation_record(acting_user=manager, case=case, what="Train staff")
    refused("not_accepted", services.recommendation_done, acting_user=manager, recommendation=rec)
    refused(
        "reason_missing",
        services.recommendation_decide,
        acting_user=manager,
        recommendation=rec,
        accepted=False,
    )
    services.recommendation_decide(
        acting_user=manager, recommendation=rec, accepted=True, on=D(2026, 1, 20)
    )
    refused(
        "already_decided",
        services.recommendation_decide,
        acting_user=manager,
        recommendation=rec,
        accepted=True,
    )
    refused(
        "date_out_of_order",
        services.recommendation_done,
        acting_user=manager,
        recommendation=rec,
        on=D(2026, 1, 19),
    )
    services.recommendation_done(acting_user=manager, recommendation=rec, on=D(2026, 2, 2))
    refused("already_done", services.recommendation_done, acting_user=manager, recommendation=rec)


# Failure orders and notices ---------------------------------------------------------------------


def test_failure_orders_and_notices_with_the_landlords_response(manager, case):
    order = services.failure_order_record(
        acting_user=manager,
        kind="chfo",
        order_type="1",
        issued_on=D(2025, 11, 1),
        reason="Delay",
        case=case,
    )
    refused(
        "notice_has_no_type",
        services.failure_order_record,
        acting_user=manager,
        kind="chfn",
        order_type="2",
        issued_on=D(2025, 11, 1),
        reason="Delay",
    )
    refused(
        "invalid_kind",
        services.failure_order_record,
        acting_user=manager,
        kind="x",
        issued_on=D(2025, 11, 1),
        reason="Delay",
    )
    refused(
        "invalid_type",
        services.failure_order_record,
        acting_user=manager,
        kind="chfo",
        order_type="4",
        issued_on=D(2025, 11, 1),
        reason="Delay",
    )
    refused(
        "missing",
        services.failure_order_record,
        acting_user=manager,
        kind="chfn",
        issued_on=D(2025, 11, 1),
        reason="",
    )
    refused(
        "date_out_of_order",
        services.failure_order_respond,
        acting_user=manager,
        failure_order=order,
        response="Sorry",
        on=D(2025, 10, 30),
    )
    services.failure_order_respond(
        acting_user=manager, failure_order=order, response="Now sent", on=D(2025, 11, 5)
    )
    refused(
        "already_responded",
        services.failure_order_respond,
        acting_user=manager,
        failure_order=order,
        response="Again",
    )
    assert FailureOrder.objects.get().responded_on == D(2025, 11, 5)
    assert OmbudsmanEvent.objects.filter(failure_order=order).count() == 2

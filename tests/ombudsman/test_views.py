"""Ombudsman screens: who may open them, bounded queries, forms that keep what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from putright.ombudsman import services
from putright.ombudsman.models import InformationRequest, OmbudsmanCase
from tests.ombudsman.conftest import determined_case, log_complaint, open_case

D = dt.date


def _many_cases(manager, handler, n: int) -> None:
    for i in range(n):
        complaint = log_complaint(handler, day=2 + i % 20)
        case = determined_case(manager, complaint, reference=f"2025{i:05d}")
        services.finding_add(
            acting_user=manager, case=case, element="Repairs", outcome="maladministration"
        )
        services.request_record(
            acting_user=manager,
            case=case,
            what="Records",
            requested_on=D(2025, 12, 1),
            due_on=D(2025, 12, 15),
        )
        services.order_record(
            acting_user=manager,
            case=case,
            what="Pay",
            due_on=D(2026, 2, 5),
            compensation_pence=10000,
        )


def _open_cases(manager, handler, n: int, prefix: str) -> None:
    for i in range(n):
        open_case(manager, log_complaint(handler, day=3 + i), reference=f"{prefix}{i}")


def test_the_list_filters(client, manager, handler, today):
    _many_cases(manager, handler, 2)
    # A hyphen keeps the reference from ever matching inside a CSRF token.
    _open_cases(manager, handler, 1, "X-")
    client.force_login(manager)
    url = reverse("ombudsman:cases")
    body = client.get(url).content.decode()
    assert "202500000" in body and "X-0" in body and "Overdue" in body
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert "202500000" in overdue and "X-0" not in overdue
    by_stage = client.get(url, {"stage": "enquiry"}).content.decode()
    assert "X-0" in by_stage and "202500000" not in by_stage
    by_finding = client.get(url, {"outcome": "maladministration"}).content.decode()
    assert "202500001" in by_finding and "X-0" not in by_finding
    by_year = client.get(url, {"year": "2025"}).content.decode()
    assert "202500001" in by_year
    assert "No cases" in client.get(url, {"outcome": "withdrawn"}).content.decode()


def test_the_list_queries_do_not_grow_with_the_cases(
    client, manager, handler, today, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse("ombudsman:cases")
    _many_cases(manager, handler, 2)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    _many_cases(manager, handler, 0)
    _open_cases(manager, handler, 6, "Y")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"overdue": ""}).status_code == 200


def test_the_case_page_shows_everything_in_bounded_queries(
    client, manager, handler, today, django_assert_max_num_queries
):
    _many_cases(manager, handler, 1)
    case = OmbudsmanCase.objects.get()
    services.recommendation_record(acting_user=manager, case=case, what="Train staff")
    services.failure_order_record(
        acting_user=manager, kind="chfn", issued_on=D(2025, 12, 20), reason="No reply", case=case
    )
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("ombudsman:case", args=[case.pk]))
    body = response.content.decode()
    for text in (
        "Repairs",
        "Maladministration",
        "Records",
        "£100.00",
        "Train staff",
        "Complaint Handling Failure Notice",
        "Complete the case review",
        "History",
    ):
        assert text in body, text


def test_a_form_keeps_what_was_typed_and_shows_the_refusal(client, manager, case, today):
    client.force_login(manager)
    url = reverse("ombudsman:step", args=[case.pk, "request"])
    response = client.post(
        url,
        {
            "what": "Repair records",
            "requested_on_day": "6",
            "requested_on_month": "10",
            "requested_on_year": "2025",
            "due_on_day": "1",
            "due_on_month": "10",
            "due_on_year": "2025",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Repair records" in body
    assert "The date cannot be earlier than the request" in body
    assert not InformationRequest.objects.exists()

    response = client.post(
        url,
        {
            "what": "Repair records",
            "requested_on_day": "6",
            "requested_on_month": "10",
            "requested_on_year": "2025",
            "due_on_day": "20",
            "due_on_month": "10",
            "due_on_year": "2025",
        },
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    done = client.post(
        reverse("ombudsman:item-step", args=[case.pk, "requests", request.pk, "provided"]),
        {"on_day": "17", "on_month": "10", "on_year": "2025"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.in_time is True


def test_a_case_is_recorded_from_the_complaint(client, manager, complaint, today):
    client.force_login(manager)
    url = reverse("ombudsman:case-new")
    page = client.get(url, {"complaint": complaint.reference}).content.decode()
    assert complaint.reference in page
    response = client.post(
        url,
        {
            "reference": "202577777",
            "kind": "individual",
            "complaints": complaint.reference,
            "referred_on_day": "1",
            "referred_on_month": "10",
            "referred_on_year": "2025",
            "stage": "enquiry",
        },
    )
    assert response.status_code == 302
    case = OmbudsmanCase.objects.get()
    assert list(case.complaints.all()) == [complaint]
    again = client.post(
        url,
        {
            "reference": "202577777",
            "kind": "individual",
            "complaints": complaint.reference,
            "referred_on_day": "1",
            "referred_on_month": "10",
            "referred_on_year": "2025",
            "stage": "enquiry",
        },
    )
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()


def test_the_case_page_of_the_complaint_lists_its_ombudsman_cases(
    client, manager, complaint, case, handler
):
    client.force_login(manager)
    page = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()
    assert "Ombudsman case 202512345" in page
    client.force_login(handler)
    page = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()
    assert "Ombudsman case 202512345" not in page
    # The handler still sees in the complaint's history that it went to the Ombudsman.
    assert "Referred to the Housing Ombudsman" in page
    assert "The Ombudsman&#x27;s reference is 202512345" in page


def test_the_board_reads_the_summary_without_personal_data(client, board, manager, handler, today):
    _many_cases(manager, handler, 2)
    client.force_login(board)
    assert client.get(reverse("ombudsman:cases")).status_code == 403
    body = client.get(reverse("ombudsman:summary"), {"year": "2025"}).content.decode()
    assert "100%" in body and "2 of 2 findings considered" in body
    assert "Okonkwo" not in body and "C-" not in body and "202500000" not in body


@pytest.mark.parametrize(
    "step",
    ["stage", "determination", "finding", "request", "order", "recommendation", "failure-order"],
)
def test_every_step_form_opens_for_a_manager(client, manager, complaint, today, step):
    case = determined_case(manager, complaint)
    client.force_login(manager)
    assert client.get(reverse("ombudsman:step", args=[case.pk, step])).status_code == 200


def test_the_review_form_completes_the_review_and_starts_a_lesson(
    client, manager, complaint, today
):
    case = determined_case(manager, complaint)
    services.finding_add(
        acting_user=manager, case=case, element="Repairs", outcome="severe_maladministration"
    )
    client.force_login(manager)
    url = reverse("ombudsman:item-step", args=[case.pk, "review", case.review.pk, "complete"])
    form = {
        "what_went_wrong": "Nobody owned the roof repair.",
        "on_day": "2",
        "on_month": "2",
        "on_year": "2026",
        "lesson_title": "Each repair has an owner",
        "learning_text": "",
        "root_cause": "delay",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Nobody owned the roof repair." in refused.content.decode()
    form["learning_text"] = "Name an owner when the job is raised."
    assert client.post(url, form).status_code == 302
    case.review.refresh_from_db()
    assert case.review.lesson.title == "Each repair has an owner"
    page = client.get(reverse("ombudsman:case", args=[case.pk])).content.decode()
    assert "Each repair has an owner" in page


def test_the_order_is_complied_with_through_its_form(client, manager, complaint, today):
    case = determined_case(manager, complaint)
    order = services.order_record(
        acting_user=manager, case=case, what="Apologise", due_on=D(2026, 2, 5)
    )
    client.force_login(manager)
    url = reverse("ombudsman:item-step", args=[case.pk, "orders", order.pk, "complied"])
    assert (
        client.post(
            url, {"evidence": "", "on_day": "4", "on_month": "2", "on_year": "2026"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"evidence": "Letter sent", "on_day": "4", "on_month": "2", "on_year": "2026"}
        ).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.in_time is True
    again = client.post(
        url, {"evidence": "Again", "on_day": "4", "on_month": "2", "on_year": "2026"}
    )
    assert "already recorded as complied with" in again.content.decode()


def test_a_record_of_another_case_is_not_found(client, manager, complaint, handler, today):
    case = determined_case(manager, complaint)
    other = determined_case(manager, log_complaint(handler, day=9), reference="OTHER")
    order = services.order_record(acting_user=manager, case=other, what="Pay", due_on=D(2026, 2, 5))
    client.force_login(manager)
    url = reverse("ombudsman:item-step", args=[case.pk, "orders", order.pk, "complied"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("ombudsman:step", args=[case.pk, "nonsense"])).status_code == 404


def test_the_payment_form_offers_only_ordered_payments_of_the_case(
    client, manager, complaint, today
):
    case = determined_case(manager, complaint)
    order = services.order_record(
        acting_user=manager,
        case=case,
        what="Pay £300",
        due_on=D(2026, 2, 5),
        compensation_pence=30_000,
    )
    client.force_login(manager)
    page = client.get(reverse("ombudsman:case", args=[case.pk])).content.decode()
    assert "not yet in the payments register" in page
    url = reverse("ombudsman:item-step", args=[case.pk, "orders", order.pk, "payment"])
    response = client.post(url, {"compensation": "999"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()

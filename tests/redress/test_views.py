"""The steps of a financial remedy through the case screens (Django's client): links on the
case page, GOV.UK error summaries that keep what was typed, limits and permissions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from putright.redress.models import Compensation
from tests.casework.test_response_support import assert_error_beside, date_data
from tests.people.factories import StaffUserFactory

D = dt.date


def step_url(name: str, row) -> str:
    return reverse(f"casework:{name}", kwargs={"reference": row.complaint.reference, "pk": row.pk})


def offer_url(remedy) -> str:
    return reverse(
        "casework:remedy-offer",
        kwargs={"reference": remedy.stage.complaint.reference, "pk": remedy.pk},
    )


def case_url(complaint) -> str:
    return reverse("casework:case", kwargs={"reference": complaint.reference})


def offer_data(remedy, **fields) -> dict:
    data = {
        "version": remedy.stage.complaint.version,
        "distress_pence": "250",
        "complaint_handling_pence": "100",
        "ombudsman": "none",
        **date_data("on", D(2026, 1, 20)),
    }
    data.update(fields)
    return data


def test_the_case_page_offers_the_next_step_of_each_financial_remedy(client, remedy, handler):
    client.force_login(handler)
    html = client.get(case_url(remedy.stage.complaint)).content.decode()
    assert "Offer not recorded" in html
    assert f'href="{offer_url(remedy)}"' in html


def test_recording_the_offer(client, remedy, handler):
    client.force_login(handler)
    page = client.get(offer_url(remedy)).content.decode()
    assert "£350.00" in page and "Ombudsman band £100 to £600" in page

    response = client.post(offer_url(remedy), offer_data(remedy))

    assert response.status_code == 302
    row = Compensation.objects.get()
    assert (row.distress_pence, row.complaint_handling_pence) == (25_000, 10_000)
    html = client.get(case_url(remedy.stage.complaint)).content.decode()
    assert "Offered" in html
    assert f'href="{step_url("compensation-accept", row)}"' in html
    assert f'href="{step_url("compensation-decline", row)}"' in html


def test_heads_that_do_not_add_up_are_shown_beside_the_first_head_keeping_what_was_typed(
    client, remedy, handler
):
    client.force_login(handler)
    response = client.post(offer_url(remedy), offer_data(remedy, costs_pence="12.34"))

    assert response.status_code == 400
    assert_error_beside(
        response,
        "id_distress_pence",
        "The heads of loss add up to £362.34, but the financial remedy is £350.00. Make the "
        "parts add up to the amount offered.",
    )
    assert 'value="12.34"' in response.content.decode()
    assert not Compensation.objects.exists()


def test_an_amount_that_is_not_money_is_refused_by_the_form(client, remedy, handler):
    client.force_login(handler)
    response = client.post(offer_url(remedy), offer_data(remedy, other_pence="ten"))
    assert response.status_code == 400
    assert_error_beside(
        response, "id_other_pence", "Other must be an amount of money, like 150 or 1,250.50"
    )


def test_approval_above_the_limit_is_refused_on_the_page_and_a_manager_approves(
    client, accepted, handler, manager
):
    client.force_login(handler)
    url = step_url("compensation-approve", accepted)
    page = client.get(url).content.decode()
    assert "Your approval limit" in page and "£250.00" in page
    data = {"version": accepted.complaint.version, **date_data("on", D(2026, 1, 23))}

    response = client.post(url, data)

    assert response.status_code == 400
    assert "£350.00 is above your approval limit of £250.00" in response.content.decode()
    client.force_login(manager)
    assert client.post(url, data).status_code == 302
    accepted.refresh_from_db()
    assert (accepted.status, accepted.approved_by) == ("approved", manager)


def test_paying_by_offset_without_agreement_is_refused_beside_the_agreement(
    client, approved, handler
):
    client.force_login(handler)
    url = step_url("compensation-pay", approved)
    data = {
        "version": approved.complaint.version,
        "method": "rent_arrears_offset",
        "reference": "",
        **date_data("on", D(2026, 1, 26)),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert_error_beside(
        response,
        "id_offset_agreed",
        "Compensation can be offset against rent arrears only where the resident agreed. "
        "Pay it to the resident, or record their agreement first.",
    )
    assert 'value="rent_arrears_offset" checked' in response.content.decode()

    response = client.post(url, {**data, "offset_agreed": "on"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == "paid"


def test_a_step_out_of_order_is_refused_on_the_page(client, offered, handler):
    client.force_login(handler)
    url = step_url("compensation-pay", offered)
    data = {
        "version": offered.complaint.version,
        "method": "cheque",
        "reference": "000123",
        **date_data("on", D(2026, 1, 26)),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "This compensation is offered, so it cannot be recorded as paid" in (
        response.content.decode()
    )


def test_a_colleague_not_handling_the_case_cannot_record_the_answer(client, offered):
    client.force_login(StaffUserFactory(role="Case handler"))
    assert client.get(step_url("compensation-accept", offered)).status_code == 403


def test_a_board_member_cannot_open_the_steps(client, offered, board_member):
    client.force_login(board_member)
    assert client.get(step_url("compensation-approve", offered)).status_code == 403


@pytest.mark.parametrize("name", ["compensation-accept", "compensation-approve"])
def test_a_step_page_costs_a_bounded_number_of_queries(
    client, offered, manager, name, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        assert client.get(step_url(name, offered)).status_code == 200


def test_a_step_that_cannot_be_taken_now_says_what_the_payment_waits_for(client, offered, handler):
    client.force_login(handler)
    response = client.get(step_url("compensation-pay", offered))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This payment is offered, so this step cannot be taken now." in html
    assert "It is waiting for the resident’s answer to the offer." in html or (
        "It is waiting for the resident&#x27;s answer to the offer." in html
    )
    assert "Record the payment</button>" not in html


# The response draft: every Code 7.1 kind, with by when and the resident's agreement -------------


def _draft_data(complaint, **overrides) -> dict:
    data = {
        "version": str(complaint.version),
        "point_1_finding": "upheld",
        "point_1_reasons": "The damp was reported in May and not treated.",
        "point_2_finding": "not_upheld",
        "point_2_reasons": "Both calls were made; the call log shows them.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def acknowledged(handler):
    from tests.casework.test_response_support import acknowledge, log_complaint

    return acknowledge(handler, log_complaint(handler))


def test_the_draft_records_by_when_and_the_residents_agreement(client, handler, acknowledged):
    client.force_login(handler)
    url = reverse("casework:draft-response", kwargs={"reference": acknowledged.reference})
    html = client.get(url).content.decode()
    assert 'value="action_on_delay"' in html and 'value="record_amended"' in html
    data = _draft_data(
        acknowledged,
        remedy_1_kind="action_on_delay",
        remedy_1_description="The damp treatment booked as a priority job.",
        remedy_1_resident_agreed="yes",
        **date_data("remedy_1_due_on", D(2026, 2, 6)),
    )

    response = client.post(url, data)

    assert response.status_code == 302
    stage = acknowledged.stages.get()
    assert stage.draft["remedies"] == [
        {
            "kind": "action_on_delay",
            "description": "The damp treatment booked as a priority job.",
            "amount_pence": None,
            "due_on": "2026-02-06",
            "resident_agreed": "yes",
        }
    ]


def test_a_by_when_that_is_not_a_date_is_shown_beside_it_keeping_what_was_typed(
    client, handler, acknowledged
):
    client.force_login(handler)
    url = reverse("casework:draft-response", kwargs={"reference": acknowledged.reference})
    data = _draft_data(
        acknowledged,
        remedy_1_kind="apology",
        remedy_1_description="A written apology.",
        **date_data("remedy_1_due_on", ("31", "2", "2026")),
    )

    response = client.post(url, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "By when date of remedy 1 must be a real date" in html
    assert re.search(r'name="remedy_1_due_on_day"[^>]*value="31"', html)
    assert not acknowledged.stages.get().draft

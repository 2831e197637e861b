"""The draft-response screen: a decision per point, remedies, actions and root causes, saved
through ``services.response_draft_submit``."""

from __future__ import annotations

from typing import Any

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.core.errors import InvalidInput, StepRefused
from tests.casework.test_response_support import *  # noqa: F403 (the fixtures)
from tests.casework.test_response_support import (
    D,
    acknowledge,
    assert_error_beside,
    assert_stale_message,
    date_data,
    error_summary,
    log_complaint,
    messages,
    url,
)
from tests.complaints import helpers as flow
from tests.people.factories import StaffUserFactory


def form_data(complaint, **overrides: Any) -> dict[str, str]:
    data = {
        "version": str(complaint.version),
        "point_1_finding": "upheld",
        "point_1_reasons": "The damp was reported in May and not treated.",
        "point_2_finding": "not_upheld",
        "point_2_reasons": "Both calls were made; the call log shows them.",
    }
    data.update(overrides)
    return data


def stage1(complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=1)


@pytest.fixture
def as_handler(client, handler):
    client.force_login(handler)
    return client


def test_each_point_is_shown_with_the_outcome_sought_above_its_decision(as_handler, complaint):
    response = as_handler.get(url("draft-response", complaint))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft the stage 1 response" in html
    for summary, sought, n in [
        ("The damp in the bedroom was not treated.", "Treat the damp and redecorate.", 1),
        ("Nobody called back as promised.", "An apology.", 2),
    ]:
        assert html.index(summary) < html.index(sought) < html.index(f"Finding on point {n}")
        assert f'name="point_{n}_finding" type="radio" value="partly_upheld"' in html
        assert f'name="point_{n}_reasons"' in html
    # Five remedy rows and five action rows without JavaScript, owners from the staff.
    assert html.count('name="remedy_5_amount"') == 1
    assert html.count('name="action_5_due_on_day"') == 1
    assert "Hana Handler" in html
    assert 'name="root_causes"' in html


def test_a_full_draft_is_saved_for_its_quality_check(as_handler, complaint, handler, reviewer):
    data = form_data(
        complaint,
        remedy_1_kind="compensation",
        remedy_1_description="For the time without a dry bedroom.",
        remedy_1_amount="£1,250.50",
        remedy_2_kind="apology",
        remedy_2_description="A written apology.",
        action_1_description="Treat the damp and redecorate.",
        action_1_owner=str(reviewer.pk),
        **date_data("action_1_due_on", ("27", "Feb", "2026")),
        action_2_description="Check the bedroom again in six months.",
        **date_data("action_2_due_on", D(2026, 8, 3)),
        root_causes=["delay", "communication"],
    )

    response = as_handler.post(url("draft-response", complaint), data)

    assert response.status_code == 302
    assert response["Location"] == url("case", complaint)
    stage = stage1(complaint)
    assert stage.draft == {
        "decisions": {
            "1": ["upheld", "The damp was reported in May and not treated."],
            "2": ["not_upheld", "Both calls were made; the call log shows them."],
        },
        "remedies": [
            {
                "kind": "compensation",
                "description": "For the time without a dry bedroom.",
                "amount_pence": 125050,
            },
            {"kind": "apology", "description": "A written apology.", "amount_pence": None},
        ],
        "actions": [
            {
                "description": "Treat the damp and redecorate.",
                "owner_id": reviewer.pk,
                "due_on": "2026-02-27",
            },
            {
                "description": "Check the bedroom again in six months.",
                "owner_id": None,
                "due_on": "2026-08-03",
            },
        ],
        "root_causes": ["delay", "communication"],
    }
    assert stage.drafted_by == handler
    complaint.refresh_from_db()
    assert complaint.awaiting_sign_off
    assert complaint.version == 3
    assert complaint.events.filter(action=ComplaintEvent.Action.DRAFTED, actor=handler).exists()


def test_the_success_message_says_the_draft_waits_for_its_check(as_handler, complaint):
    response = as_handler.post(url("draft-response", complaint), form_data(complaint))
    assert messages(response) == ["Stage 1 response drafted. It now waits for its quality check."]


def test_missing_decisions_and_bad_amounts_are_shown_beside_their_fields(as_handler, complaint):
    data = form_data(
        complaint,
        point_2_finding="",
        point_2_reasons="Typed reasons stay.",
        remedy_1_kind="compensation",
        remedy_1_description="For the delay.",
        remedy_1_amount="-5",
        remedy_3_amount="12.345",
        action_1_description="Treat the damp.",
        **date_data("action_1_due_on", ("31", "2", "2026")),
    )

    response = as_handler.post(url("draft-response", complaint), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_point_2_finding", "Select the finding on point 2")
    assert_error_beside(response, "id_remedy_1_amount", "Amount of remedy 1 cannot be negative")
    assert_error_beside(
        response,
        "id_remedy_3_amount",
        "Amount of remedy 3 must have no more than 2 numbers after the decimal point",
    )
    assert_error_beside(response, "id_remedy_3_kind", "Select the kind of remedy 3")
    assert_error_beside(response, "id_remedy_3_description", "Describe remedy 3")
    assert_error_beside(response, "id_action_1_due_on", "Due date of action 1 must be a real date")
    html = response.content.decode()
    assert ">\nTyped reasons stay.</textarea>" in html
    assert 'name="remedy_1_amount" type="text" value="-5"' in html
    assert 'name="remedy_3_amount" type="text" value="12.345"' in html
    assert 'name="action_1_due_on_day" type="text" inputmode="numeric" value="31"' in html
    assert 'value="compensation" selected' in html
    # Remedy 3 sits in the folded rows, which open to show the error.
    assert '<details class="govuk-details" open>' in html
    # The error summary links to each field, in page order.
    summary = error_summary(html)
    assert summary.index("#id_point_2_finding") < summary.index("#id_remedy_1_amount")
    assert summary.index("#id_remedy_3_amount") < summary.index("#id_action_1_due_on_day")
    assert stage1(complaint).draft == {}
    complaint.refresh_from_db()
    assert complaint.version == 2


def test_an_action_needs_a_description_and_a_due_date(as_handler, complaint, reviewer):
    data = form_data(complaint, action_3_owner=str(reviewer.pk))

    response = as_handler.post(url("draft-response", complaint), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_action_3_description", "Describe action 3")
    assert_error_beside(response, "id_action_3_due_on", "Enter the due date of action 3")
    assert f'<option value="{reviewer.pk}" selected>' in response.content.decode()


def test_the_services_refusal_of_a_remedy_is_shown_beside_that_row(as_handler, complaint):
    """Rows left empty are skipped, so the service's "remedy 1" is the form's remedy 3."""
    data = form_data(
        complaint,
        remedy_3_kind="compensation",
        remedy_3_description="For the delay.",
    )

    response = as_handler.post(url("draft-response", complaint), data)

    assert response.status_code == 400
    assert_error_beside(
        response, "id_remedy_3_amount", "Remedy 1: give the amount of the financial remedy."
    )
    assert ">\nFor the delay.</textarea>" in response.content.decode()
    assert stage1(complaint).draft == {}


@pytest.mark.parametrize(
    ("code", "field_id"),
    [
        ("reasons_missing", "id_point_2_reasons"),
        ("invalid_finding", "id_point_2_finding"),
        ("point_undecided", "id_point_2_finding"),
    ],
)
def test_the_services_refusal_of_a_point_is_shown_beside_that_point(
    as_handler, complaint, monkeypatch, code, field_id
):
    """The form asks for every decision itself, so the service's per-point refusal (for a
    rule the form does not know) is provoked here."""

    def refuse(**kwargs):
        raise InvalidInput(code, "Point 2: the service says no.", field="decisions", point=2)

    monkeypatch.setattr(services, "response_draft_submit", refuse)

    response = as_handler.post(url("draft-response", complaint), form_data(complaint))

    assert response.status_code == 400
    assert_error_beside(response, field_id, "Point 2: the service says no.")


def test_the_services_refusal_of_an_action_is_shown_beside_that_action(
    as_handler, complaint, monkeypatch
):
    def refuse(**kwargs):
        raise InvalidInput(
            "action_due_missing", "Action 1: give the date it is due.", field="actions", action=1
        )

    monkeypatch.setattr(services, "response_draft_submit", refuse)
    data = form_data(
        complaint, action_2_description="Fix it.", **date_data("action_2_due_on", D(2026, 3, 2))
    )

    response = as_handler.post(url("draft-response", complaint), data)

    assert_error_beside(response, "id_action_2_due_on", "Action 1: give the date it is due.")


def test_an_old_version_is_refused_with_a_clear_message(as_handler, complaint, handler):
    old = complaint.version
    services.note_add(acting_user=handler, complaint=complaint, text="Called the resident.")

    response = as_handler.post(
        url("draft-response", complaint), form_data(complaint, version=str(old))
    )

    assert_stale_message(response, complaint)
    assert ">\nThe damp was reported in May and not treated.</textarea>" in (
        response.content.decode()
    )
    assert stage1(complaint).draft == {}


def test_an_existing_draft_is_shown_for_editing(as_handler, drafted):
    response = as_handler.get(url("draft-response", drafted))

    html = response.content.decode()
    assert 'name="point_2_finding" type="radio" value="partly_upheld" checked' in html
    assert ">\nOne call back was missed; the second was made.</textarea>" in html
    assert 'value="compensation" selected' in html
    assert 'name="remedy_1_amount" type="text" value="125.50"' in html
    assert 'name="action_1_due_on_month" type="text" inputmode="numeric" value="2"' in html
    assert 'value="delay" checked' in html
    assert "Drafted by Hana Handler" in html


def test_a_returned_draft_shows_what_needs_to_change(client, drafted, handler, reviewer):
    services.response_sign_off_decline(
        acting_user=reviewer, complaint=drafted, note="Say when the damp will be treated."
    )
    client.force_login(handler)

    html = client.get(url("draft-response", drafted)).content.decode()

    assert "Returned for changes on" in html
    assert "Say when the damp will be treated." in html


def test_a_new_draft_after_sign_off_warns_and_clears_it(as_handler, signed_off):
    html = as_handler.get(url("draft-response", signed_off)).content.decode()
    assert "Sending a new draft clears the sign-off" in html

    response = as_handler.post(url("draft-response", signed_off), form_data(signed_off))

    assert response.status_code == 302
    assert stage1(signed_off).signed_off_by is None


def test_a_stage_2_draft_decides_the_stage_2_points(client, handler, reviewer, manager):
    complaint = acknowledge(handler, log_complaint(handler), points=[("Damp.", "Treat it.")])
    services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        decisions={1: ("upheld", "Reported in May.")},
        on=D(2026, 1, 15),
    )
    services.response_sign_off(acting_user=reviewer, complaint=complaint, on=D(2026, 1, 16))
    flow.respond(acting_user=handler, complaint=complaint, on=D(2026, 1, 20))
    services.complaint_escalate(acting_user=handler, complaint=complaint, on=D(2026, 1, 27))
    services.complaint_allocate(acting_user=manager, complaint=complaint, handler=manager)
    flow.acknowledge(
        acting_user=manager,
        complaint=complaint,
        stage=2,
        on=D(2026, 1, 28),
        points=[("The repair is still not done.", "Finish the repair.")],
    )
    client.force_login(manager)

    page = client.get(url("draft-response", complaint))
    assert "Draft the stage 2 response" in page.content.decode()
    assert "The repair is still not done." in page.content.decode()
    response = client.post(
        url("draft-response", complaint),
        {
            "version": str(complaint.version),
            "point_1_finding": "upheld",
            "point_1_reasons": "The repair was booked but not done.",
        },
    )

    assert response.status_code == 302
    stage2 = Stage.objects.get(complaint=complaint, number=2)
    assert stage2.draft["decisions"] == {"1": ["upheld", "The repair was booked but not done."]}
    assert stage1(complaint).draft["decisions"] == {"1": ["upheld", "Reported in May."]}


def test_someone_involved_at_stage_1_cannot_draft_stage_2(client, handler, reviewer, manager):
    complaint = acknowledge(handler, log_complaint(handler), points=[("Damp.", "Treat it.")])
    services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        decisions={1: ("upheld", "Reported in May.")},
        on=D(2026, 1, 15),
    )
    services.response_sign_off(acting_user=reviewer, complaint=complaint, on=D(2026, 1, 16))
    flow.respond(acting_user=handler, complaint=complaint, on=D(2026, 1, 20))
    services.complaint_escalate(acting_user=handler, complaint=complaint, on=D(2026, 1, 27))
    services.complaint_allocate(acting_user=manager, complaint=complaint, handler=manager)
    flow.acknowledge(acting_user=manager, complaint=complaint, stage=2, on=D(2026, 1, 28))
    client.force_login(handler)

    response = client.post(
        url("draft-response", complaint),
        {
            "version": str(complaint.version),
            "point_1_finding": "upheld",
            "point_1_reasons": "Reported in May.",
        },
    )

    # Stage 2 is the manager's case, so the screen turns the stage 1 handler away; the service
    # refuses them by itself too (Code 6.13), whoever calls it.
    assert response.status_code == 403
    with pytest.raises(StepRefused) as refused:
        services.response_draft_submit(
            acting_user=handler,
            complaint=complaint,
            decisions={1: ("upheld", "Reported in May.")},
            on=D(2026, 1, 29),
        )
    assert "was involved in this complaint at stage 1" in refused.value.message
    assert Stage.objects.get(complaint=complaint, number=2).draft == {}


def test_a_stage_not_yet_acknowledged_cannot_be_drafted(as_handler, handler):
    complaint = log_complaint(handler)

    response = as_handler.post(url("draft-response", complaint), {"version": complaint.version})

    assert response.status_code == 400
    assert (
        f"Complaint {complaint.reference} is received, so it cannot have a response drafted."
        in (response.content.decode())
    )


def test_a_board_member_may_not_draft(client, board_member, complaint):
    client.force_login(board_member)
    assert client.get(url("draft-response", complaint)).status_code == 403
    assert client.post(url("draft-response", complaint), form_data(complaint)).status_code == 403
    assert stage1(complaint).draft == {}


def test_the_draft_page_reads_a_long_definition_in_a_few_queries(
    client, handler, django_assert_max_num_queries
):
    points = [(f"Point number {n}.", f"Outcome {n}.") for n in range(1, 31)]
    complaint = acknowledge(handler, log_complaint(handler), points=points)
    services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        decisions={n: ("upheld", f"Reasons {n}.") for n in range(1, 31)},
        actions=[
            {
                "description": f"Action {n}.",
                "owner": StaffUserFactory(role="Case handler"),
                "due_on": D(2026, 3, n),
            }
            for n in range(1, 6)
        ],
    )
    client.force_login(handler)

    with django_assert_max_num_queries(12):
        response = client.get(url("draft-response", complaint))

    assert response.status_code == 200
    assert "Outcome 30." in response.content.decode()


def test_a_refused_step_names_no_field_it_is_shown_at_the_top(as_handler, complaint, monkeypatch):
    def refuse(**kwargs):
        raise StepRefused("stage_not_open", "Stage 1 is not awaiting a response.")

    monkeypatch.setattr(services, "response_draft_submit", refuse)

    response = as_handler.post(url("draft-response", complaint), form_data(complaint))

    assert response.status_code == 400
    html = response.content.decode()
    summary = error_summary(html)
    assert "Stage 1 is not awaiting a response." in summary

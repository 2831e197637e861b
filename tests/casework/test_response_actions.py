"""Escalating, withdrawing, closing, refusing an escalation, reversing a refusal and completing
a promised action: each screen through the real lifecycle service.

The stage 1 response in these tests was sent on Tuesday 20 January 2026; with the default
escalation window of 20 working days the resident could ask to escalate until Tuesday 17 February
2026 (no bank holidays in between), so the complaint can be closed from Wednesday 18 February.
"""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import (
    Action,
    ClosureReason,
    ComplaintEvent,
    Note,
    Refusal,
    Stage,
    Status,
)
from putright.organisation.models import ExclusionReason
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
from tests.people.factories import StaffUserFactory


@pytest.fixture
def as_handler(client, handler):
    client.force_login(handler)
    return client


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def unchanged(complaint, status: str, version: int) -> None:
    complaint.refresh_from_db()
    assert (complaint.status, complaint.version) == (status, version)


@pytest.fixture
def refused(responded, handler, escalation_reason):
    """The request to escalate was refused on Monday 26 January 2026."""
    return services.escalation_refuse(
        acting_user=handler,
        complaint=responded,
        reason=escalation_reason,
        explanation="The same matter is before the county court.",
        evidence="Claim form served 2 January 2026.",
        resident_told_on=D(2026, 1, 26),
        ombudsman_rights_given=True,
        on=D(2026, 1, 26),
    )


# Escalating ---------------------------------------------------------------------------------


def test_the_escalate_page_says_no_reason_is_needed(as_handler, responded):
    html = as_handler.get(url("escalate", responded)).content.decode()

    assert "The stage 1 response was sent on 20 January 2026." in html
    assert "The resident does not have to give a reason for asking (Code 6.12)." in html
    assert "Date the request to escalate was received" in html


def test_escalating_opens_stage_2_and_keeps_what_the_resident_said(as_handler, responded, handler):
    data = {
        "version": responded.version,
        "note": "Still damp; wants someone senior to look again.",
        **date_data("on", D(2026, 1, 27)),
    }

    response = as_handler.post(url("escalate", responded), data)

    assert response.status_code == 302
    assert response["Location"] == url("case", responded)
    # Acknowledge within 5 working days of Tuesday 27 January: Tuesday 3 February 2026.
    assert messages(response) == [
        "Escalated to stage 2. The stage 2 acknowledgement is due by 3 February 2026."
    ]
    responded.refresh_from_db()
    assert responded.status == Status.STAGE2_OPEN
    stage2 = Stage.objects.get(complaint=responded, number=2)
    assert stage2.received_on == D(2026, 1, 27)
    event = responded.events.order_by("id").last()
    assert event.action == ComplaintEvent.Action.ESCALATED
    assert event.changes["note"] == [None, "Still damp; wants someone senior to look again."]
    assert not Note.objects.filter(complaint=responded).exists()


def test_escalating_without_a_note_adds_none(as_handler, responded):
    data = {"version": responded.version, **date_data("on", D(2026, 1, 27))}

    assert as_handler.post(url("escalate", responded), data).status_code == 302
    assert not Note.objects.filter(complaint=responded).exists()


def test_a_late_request_re_opens_a_closed_complaint(as_handler, responded, handler):
    services.complaint_close_unescalated(
        acting_user=handler, complaint=responded, on=D(2026, 2, 18)
    )
    responded.refresh_from_db()

    html = as_handler.get(url("escalate", responded)).content.decode()
    assert "escalating now re-opens it" in html
    data = {"version": responded.version, **date_data("on", D(2026, 3, 2))}
    response = as_handler.post(url("escalate", responded), data)

    assert response.status_code == 302
    responded.refresh_from_db()
    assert responded.status == Status.STAGE2_OPEN


def test_a_bad_escalation_date_keeps_what_was_typed(as_handler, responded):
    version = responded.version
    data = {"version": version, "note": "Wants a review.", **date_data("on", ("27", "", "2026"))}

    response = as_handler.post(url("escalate", responded), data)

    assert response.status_code == 400
    assert_error_beside(
        response, "id_on", "Date the request to escalate was received must include a month"
    )
    html = response.content.decode()
    assert 'name="on_day" type="text" inputmode="numeric" value="27"' in html
    assert ">\nWants a review.</textarea>" in html
    unchanged(responded, Status.STAGE1_RESPONDED, version)


def test_a_date_in_the_future_is_refused_beside_the_date(as_handler, responded):
    version = responded.version
    data = {"version": version, **date_data("on", D(2099, 1, 5))}

    response = as_handler.post(url("escalate", responded), data)

    assert_error_beside(response, "id_on", "The date a step happened cannot be in the future.")
    unchanged(responded, Status.STAGE1_RESPONDED, version)


def test_a_complaint_still_at_stage_1_cannot_be_escalated(as_handler, complaint):
    version = complaint.version
    data = {"version": version, "note": "x", **date_data("on", D(2026, 1, 27))}

    response = as_handler.post(url("escalate", complaint), data)

    assert response.status_code == 400
    assert "is stage 1 open, so it cannot be escalated to stage 2" in error_summary(
        response.content.decode()
    )
    unchanged(complaint, Status.STAGE1_OPEN, version)
    assert not Note.objects.filter(complaint=complaint).exists()


def test_escalating_an_old_version_is_refused(as_handler, responded, handler):
    old = responded.version
    services.note_add(acting_user=handler, complaint=responded, text="Resident called.")
    data = {"version": old, **date_data("on", D(2026, 1, 27))}

    response = as_handler.post(url("escalate", responded), data)

    assert_stale_message(response, responded)
    assert not Stage.objects.filter(complaint=responded, number=2).exists()


# Withdrawing --------------------------------------------------------------------------------


def test_withdrawing_is_confirmed_before_anything_is_written(as_handler, complaint):
    version = complaint.version
    data = {
        "version": version,
        "method": "phone",
        "details": "The repair is done; no longer wants to complain.",
        **date_data("on", D(2026, 1, 9)),
    }

    response = as_handler.post(url("withdraw", complaint), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before you withdraw the complaint" in html
    assert "9 January 2026" in html
    assert "Phone" in html
    assert "The repair is done; no longer wants to complain." in html
    unchanged(complaint, Status.STAGE1_OPEN, version)

    response = as_handler.post(url("withdraw", complaint), {**data, "confirmed": "yes"})

    assert response.status_code == 302
    unchanged(complaint, Status.WITHDRAWN, version + 1)
    event = complaint.events.get(action=ComplaintEvent.Action.WITHDRAWN)
    assert event.changes["reason"] == [
        None,
        "Phone: The repair is done; no longer wants to complain.",
    ]
    assert event.happened_on == D(2026, 1, 9)


def test_withdrawing_needs_to_know_how(as_handler, complaint):
    data = {"version": complaint.version, "details": "Said so.", **date_data("on", D(2026, 1, 9))}

    response = as_handler.post(url("withdraw", complaint), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_method", "Select how the resident withdrew the complaint")
    assert 'name="on_day" type="text" inputmode="numeric" value="9"' in response.content.decode()


def test_withdrawing_an_old_version_is_refused(as_handler, complaint, handler):
    old = complaint.version
    services.note_add(acting_user=handler, complaint=complaint, text="Resident called.")
    data = {"version": old, "method": "email", "confirmed": "yes", **date_data("on", D(2026, 1, 9))}

    response = as_handler.post(url("withdraw", complaint), data)

    assert_stale_message(response, complaint)
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE1_OPEN


# Closing after the escalation window --------------------------------------------------------


def test_the_close_page_shows_when_the_escalation_window_ends(as_handler, responded):
    html = as_handler.get(url("close", responded)).content.decode()

    assert "The stage 1 response was sent on 20 January 2026." in html
    assert "<strong>17 February 2026</strong> (20 working days later)" in html


def test_closing_inside_the_window_is_refused_beside_the_date(as_handler, responded):
    version = responded.version
    data = {"version": version, "confirmed": "yes", **date_data("on", D(2026, 2, 17))}

    response = as_handler.post(url("close", responded), data)

    assert response.status_code == 400
    assert_error_beside(
        response,
        "id_on",
        "The resident can still ask to escalate until 17 February 2026 (20 working days after "
        "the stage 1 response). Close it after that date.",
    )
    unchanged(responded, Status.STAGE1_RESPONDED, version)


def test_closing_after_the_window_is_confirmed_then_done(as_handler, responded):
    version = responded.version
    data = {"version": version, **date_data("on", D(2026, 2, 18))}

    response = as_handler.post(url("close", responded), data)
    assert response.status_code == 200
    assert "Check before you close the complaint" in response.content.decode()
    assert "18 February 2026" in response.content.decode()
    unchanged(responded, Status.STAGE1_RESPONDED, version)

    response = as_handler.post(url("close", responded), {**data, "confirmed": "yes"})

    assert response.status_code == 302
    unchanged(responded, Status.CLOSED, version + 1)
    assert responded.closure_reason == ClosureReason.NOT_ESCALATED
    # Closing never closes the actions the response promised.
    assert Action.objects.get(complaint=responded).status == Action.Status.OPEN


def test_closing_an_old_version_is_refused(as_handler, responded, handler):
    old = responded.version
    services.note_add(acting_user=handler, complaint=responded, text="Resident called.")
    data = {"version": old, "confirmed": "yes", **date_data("on", D(2026, 2, 18))}

    assert_stale_message(as_handler.post(url("close", responded), data), responded)


# Refusing an escalation ---------------------------------------------------------------------


def refusal_data(complaint, reason, **overrides):
    data = {
        "version": complaint.version,
        "reason": str(reason.pk),
        "explanation": "The same matter is before the county court.",
        "evidence": "Claim form served 2 January 2026.",
        "ombudsman_rights_given": "on",
        **date_data("resident_told_on", D(2026, 1, 26)),
        **date_data("on", D(2026, 1, 26)),
    }
    data.update(overrides)
    return data


def test_only_the_policys_reasons_for_refusing_an_escalation_are_offered(
    as_handler, responded, escalation_reason
):
    ExclusionReason.objects.create(
        code="test-acceptance-only",
        label="Only for new complaints",
        applies_to=ExclusionReason.AppliesTo.ACCEPTANCE,
    )
    ExclusionReason.objects.create(code="test-retired", label="A retired reason", is_active=False)

    html = as_handler.get(url("refuse-escalation", responded)).content.decode()

    assert "The matter is before a court" in html
    assert "Legal proceedings have started about the same issue." in html
    assert "Only for new complaints" not in html
    assert "A retired reason" not in html


def test_refusing_is_confirmed_then_recorded(as_handler, responded, escalation_reason, handler):
    version = responded.version
    data = refusal_data(responded, escalation_reason)

    response = as_handler.post(url("refuse-escalation", responded), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before you refuse the escalation" in html
    assert "The matter is before a court" in html
    assert "26 January 2026" in html
    assert "Yes" in html
    unchanged(responded, Status.STAGE1_RESPONDED, version)
    assert not Refusal.objects.exists()

    response = as_handler.post(url("refuse-escalation", responded), {**data, "confirmed": "yes"})

    assert response.status_code == 302
    unchanged(responded, Status.ESCALATION_REFUSED, version + 1)
    refusal = Refusal.objects.get(complaint=responded)
    assert (refusal.kind, refusal.reason, refusal.decided_by, refusal.decided_on) == (
        Refusal.Kind.ESCALATION,
        escalation_reason,
        handler,
        D(2026, 1, 26),
    )


def test_refusal_errors_are_shown_beside_their_fields(as_handler, responded, escalation_reason):
    data = refusal_data(
        responded,
        escalation_reason,
        explanation="",
        evidence="The claim form.",
        **date_data("resident_told_on", ("26", "13", "2026")),
    )

    response = as_handler.post(url("refuse-escalation", responded), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_explanation", "Enter why the reason applies to this request")
    assert_error_beside(
        response, "id_resident_told_on", "Date the resident was told must be a real date"
    )
    html = response.content.decode()
    assert ">\nThe claim form.</textarea>" in html
    assert 'name="resident_told_on_month" type="text" inputmode="numeric" value="13"' in html
    assert f'value="{escalation_reason.pk}" checked' in html


def test_the_ombudsman_rights_must_be_given(as_handler, responded, escalation_reason):
    version = responded.version
    data = refusal_data(responded, escalation_reason, confirmed="yes")
    del data["ombudsman_rights_given"]

    response = as_handler.post(url("refuse-escalation", responded), data)

    assert response.status_code == 400
    assert_error_beside(
        response,
        "id_ombudsman_rights_given",
        "The resident must be told they can take this decision to the Housing Ombudsman.",
    )
    unchanged(responded, Status.STAGE1_RESPONDED, version)


def test_refusing_an_old_version_is_refused(as_handler, responded, escalation_reason, handler):
    data = refusal_data(responded, escalation_reason, confirmed="yes")
    services.note_add(acting_user=handler, complaint=responded, text="Resident called.")

    assert_stale_message(as_handler.post(url("refuse-escalation", responded), data), responded)
    assert not Refusal.objects.exists()


# Reversing a refusal ------------------------------------------------------------------------


def test_reversing_needs_the_permission(client, refused, handler, reviewer):
    refusal = Refusal.objects.get(complaint=refused)
    for user in (handler, reviewer):
        client.force_login(user)
        assert client.get(url("reverse-refusal", refused, pk=refusal.pk)).status_code == 403


def test_the_reverse_page_shows_the_refusal(as_manager, refused):
    refusal = Refusal.objects.get(complaint=refused)

    html = as_manager.get(url("reverse-refusal", refused, pk=refusal.pk)).content.decode()

    assert "Escalation refused" in html
    assert "The matter is before a court" in html
    assert "The same matter is before the county court." in html
    assert "Reversing it opens stage 2" in html


def test_reversing_is_confirmed_then_opens_stage_2(as_manager, refused, manager):
    refusal = Refusal.objects.get(complaint=refused)
    version = refused.version
    data = {
        "version": version,
        "basis": "ombudsman",
        "note": "The Ombudsman told us to consider it at stage 2.",
        **date_data("on", D(2026, 3, 2)),
    }
    address = url("reverse-refusal", refused, pk=refusal.pk)

    response = as_manager.post(address, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before you reverse the refusal" in html
    assert "Housing Ombudsman instruction" in html
    assert "2 March 2026" in html
    unchanged(refused, Status.ESCALATION_REFUSED, version)

    response = as_manager.post(address, {**data, "confirmed": "yes"})

    assert response.status_code == 302
    # Stage 2 acknowledgement: 5 working days after Monday 2 March 2026 is Monday 9 March.
    assert messages(response) == [
        "Refusal reversed. Stage 2 is open again; its acknowledgement is due by 9 March 2026."
    ]
    unchanged(refused, Status.STAGE2_OPEN, version + 1)
    refusal.refresh_from_db()
    assert (refusal.reversed_on, refusal.reversed_by, refusal.reversal_basis) == (
        D(2026, 3, 2),
        manager,
        "ombudsman",
    )


def test_a_reversal_needs_a_note(as_manager, refused):
    refusal = Refusal.objects.get(complaint=refused)
    data = {"version": refused.version, "basis": "review", **date_data("on", D(2026, 3, 2))}

    response = as_manager.post(url("reverse-refusal", refused, pk=refusal.pk), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_note", "Enter why the refusal is being reversed")
    assert 'value="review" checked' in response.content.decode()


def test_reversing_an_old_version_is_refused(as_manager, refused, handler):
    refusal = Refusal.objects.get(complaint=refused)
    old = refused.version
    services.note_add(acting_user=handler, complaint=refused, text="Ombudsman called.")
    data = {
        "version": old,
        "basis": "review",
        "note": "Reviewed.",
        "confirmed": "yes",
        **date_data("on", D(2026, 3, 2)),
    }

    response = as_manager.post(url("reverse-refusal", refused, pk=refusal.pk), data)

    assert_stale_message(response, refused)
    refusal.refresh_from_db()
    assert refusal.reversed_on is None


def test_a_refusal_of_another_complaint_is_not_found(as_manager, refused, handler):
    refusal = Refusal.objects.get(complaint=refused)
    other = log_complaint(handler)
    assert as_manager.get(url("reverse-refusal", other, pk=refusal.pk)).status_code == 404


def test_a_reversed_refusal_cannot_be_reversed_again(as_manager, refused, manager):
    refusal = Refusal.objects.get(complaint=refused)
    services.refusal_reverse(
        acting_user=manager, complaint=refused, basis="review", note="Reviewed.", on=D(2026, 3, 2)
    )
    address = url("reverse-refusal", refused, pk=refusal.pk)

    html = as_manager.get(address).content.decode()
    assert "This refusal was reversed on 2 March 2026" in html
    assert 'name="note"' not in html
    response = as_manager.post(
        address,
        {
            "version": refused.version,
            "basis": "review",
            "note": "Again.",
            "confirmed": "yes",
            **date_data("on", D(2026, 3, 3)),
        },
    )
    assert response.status_code == 200
    assert Refusal.objects.get(pk=refusal.pk).reversal_note == "Reviewed."


# Completing a promised action ---------------------------------------------------------------


def test_completing_an_action_records_it_as_done(as_handler, responded, handler):
    action = Action.objects.get(complaint=responded)
    address = url("complete-action", responded, pk=action.pk)

    html = as_handler.get(address).content.decode()
    assert "Treat the damp." in html
    assert "27 February 2026" in html
    response = as_handler.post(
        address,
        {
            "version": responded.version,
            "note": "Damp treated and bedroom redecorated.",
            **date_data("on", D(2026, 2, 20)),
        },
    )

    assert response.status_code == 302
    assert messages(response) == ["Action recorded as done on 20 February 2026."]
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.completion_note) == (
        Action.Status.DONE,
        D(2026, 2, 20),
        "Damp treated and bedroom redecorated.",
    )
    assert responded.events.filter(
        action=ComplaintEvent.Action.ACTION_COMPLETED, actor=handler
    ).exists()


def test_an_action_stays_open_and_completable_after_the_complaint_is_withdrawn(
    as_handler, responded, handler
):
    services.complaint_withdraw(acting_user=handler, complaint=responded, on=D(2026, 1, 30))
    action = Action.objects.get(complaint=responded)
    responded.refresh_from_db()

    response = as_handler.post(
        url("complete-action", responded, pk=action.pk),
        {"version": responded.version, **date_data("on", D(2026, 2, 20))},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_an_action_cannot_be_done_before_the_response(as_handler, responded):
    action = Action.objects.get(complaint=responded)

    response = as_handler.post(
        url("complete-action", responded, pk=action.pk),
        {"version": responded.version, "note": "Done.", **date_data("on", D(2026, 1, 19))},
    )

    assert response.status_code == 400
    assert_error_beside(
        response, "id_on", "An action cannot be completed before the response that promised it."
    )
    assert ">\nDone.</textarea>" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_a_done_action_says_so_and_is_not_done_twice(as_handler, responded, handler):
    action = Action.objects.get(complaint=responded)
    services.action_complete(acting_user=handler, action=action, on=D(2026, 2, 20))
    responded.refresh_from_db()
    address = url("complete-action", responded, pk=action.pk)

    html = as_handler.get(address).content.decode()
    assert "This action was recorded as done on 20 February 2026." in html
    assert 'name="on_day"' not in html

    response = as_handler.post(
        address, {"version": responded.version, **date_data("on", D(2026, 2, 23))}
    )
    assert response.status_code == 400
    assert "This action was recorded as done on 20 February 2026." in error_summary(
        response.content.decode()
    )
    action.refresh_from_db()
    assert action.completed_on == D(2026, 2, 20)


def test_completing_an_action_on_a_stale_form_is_refused(as_handler, responded, handler):
    action = Action.objects.get(complaint=responded)
    stale = responded.version
    services.note_add(acting_user=handler, complaint=responded, text="Called the resident.")
    response = as_handler.post(
        url("complete-action", responded, pk=action.pk),
        {"version": stale, "note": "Done.", **date_data("on", D(2026, 2, 23))},
    )
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_an_action_of_another_complaint_is_not_found(as_handler, responded, handler):
    action = Action.objects.get(complaint=responded)
    other = log_complaint(handler)
    assert as_handler.get(url("complete-action", other, pk=action.pk)).status_code == 404


# Who may act --------------------------------------------------------------------------------

SCREENS = [
    "draft-response",
    "sign-off",
    "return-draft",
    "issue-response",
    "escalate",
    "withdraw",
    "close",
    "refuse-escalation",
]


def test_a_board_member_may_use_none_of_these_screens(client, refused, board_member):
    client.force_login(board_member)
    refusal = Refusal.objects.get(complaint=refused)
    action = Action.objects.get(complaint=refused)
    addresses = [url(name, refused) for name in SCREENS] + [
        url("reverse-refusal", refused, pk=refusal.pk),
        url("complete-action", refused, pk=action.pk),
    ]
    version = refused.version
    for address in addresses:
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"version": version, "confirmed": "yes"}).status_code == 403
    unchanged(refused, Status.ESCALATION_REFUSED, version)


def test_a_confidential_complaint_is_hidden_from_other_handlers(client, handler):
    complaint = acknowledge(handler, log_complaint(handler, is_confidential=True))
    other = StaffUserFactory(role="Case handler")
    client.force_login(other)

    for name in ("draft-response", "escalate", "withdraw"):
        assert client.get(url(name, complaint)).status_code == 404


def test_opening_a_confidential_complaints_screen_is_recorded(client, handler):
    complaint = acknowledge(handler, log_complaint(handler, is_confidential=True))
    client.force_login(handler)

    assert client.get(url("draft-response", complaint)).status_code == 200
    assert complaint.events.filter(action=ComplaintEvent.Action.VIEWED, actor=handler).exists()

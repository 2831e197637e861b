"""Issuing the drafted response through ``services.stage_respond``, after a confirmation page."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import Action, ComplaintEvent, Decision, Remedy, Stage, Status
from putright.organisation.selectors import get_organisation
from tests.casework.test_response_support import *  # noqa: F403 (the fixtures)
from tests.casework.test_response_support import (
    D,
    assert_error_beside,
    assert_stale_message,
    date_data,
    draft,
    error_summary,
    messages,
    url,
)


def stage1(complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=1)


def nothing_issued(complaint, version: int) -> None:
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE1_OPEN
    assert complaint.version == version
    assert stage1(complaint).responded_on is None
    assert not Decision.objects.filter(point__stage__complaint=complaint).exists()
    assert not Action.objects.filter(complaint=complaint).exists()


@pytest.fixture
def as_handler(client, handler):
    client.force_login(handler)
    return client


def test_without_a_draft_the_handler_is_told_to_draft_first(as_handler, complaint):
    organisation = get_organisation()
    organisation.stage1_requires_sign_off = False
    organisation.save()

    response = as_handler.get(url("issue-response", complaint))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no drafted stage 1 response to issue." in html
    assert f'href="{url("draft-response", complaint)}">Draft the response</a> first' in html
    assert "on_day" not in html


def test_the_issue_page_shows_the_draft_and_asks_for_the_date(as_handler, signed_off):
    response = as_handler.get(url("issue-response", signed_off))

    html = response.content.decode()
    assert "Signed off by Rhys Reviewer on 16 January 2026." in html
    assert "The damp was reported in May and not treated." in html
    assert "Date the response was sent" in html
    assert 'name="on_day"' in html


def test_issuing_asks_for_confirmation_and_writes_nothing_until_confirmed(as_handler, signed_off):
    version = signed_off.version
    data = {"version": version, **date_data("on", D(2026, 1, 20))}

    response = as_handler.post(url("issue-response", signed_off), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before you issue the response" in html
    assert "Date the response was sent" in html
    assert "20 January 2026" in html
    assert "The response you are issuing" in html
    assert "One call back was missed; the second was made." in html
    assert "£125.50" in html
    assert '<input type="hidden" name="on_day" value="20">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    nothing_issued(signed_off, version)


def test_confirming_issues_the_draft(as_handler, signed_off, handler):
    data = {"version": signed_off.version, "confirmed": "yes", **date_data("on", D(2026, 1, 20))}

    response = as_handler.post(url("issue-response", signed_off), data)

    assert response.status_code == 302
    assert response["Location"] == url("case", signed_off)
    email = signed_off.complainant.email  # no postal address recorded: the letter is emailed
    assert messages(response) == [
        "Stage 1 response issued on 20 January 2026. The letter “Our response to your complaint” "
        f"is being emailed to {email}."
    ]
    signed_off.refresh_from_db()
    assert signed_off.status == Status.STAGE1_RESPONDED
    stage = stage1(signed_off)
    assert stage.responded_on == D(2026, 1, 20)
    assert stage.outcome == "partly_upheld"
    assert stage.root_causes == ["delay"]
    decisions = Decision.objects.filter(point__stage=stage).order_by("point__number")
    assert [(d.finding, d.reasons) for d in decisions] == [
        ("upheld", "The damp was reported in May and not treated."),
        ("partly_upheld", "One call back was missed; the second was made."),
    ]
    assert list(Remedy.objects.filter(stage=stage).values_list("kind", "amount_pence")) == [
        ("compensation", 12550)
    ]
    action = Action.objects.get(complaint=signed_off)
    assert (action.description, action.owner, action.due_on, action.status) == (
        "Treat the damp.",
        handler,
        D(2026, 2, 27),
        "open",
    )
    assert signed_off.events.filter(action=ComplaintEvent.Action.RESPONDED).count() == 1


def test_a_date_that_is_not_real_is_shown_beside_the_field(as_handler, signed_off):
    version = signed_off.version
    data = {"version": version, **date_data("on", ("32", "1", "2026"))}

    response = as_handler.post(url("issue-response", signed_off), data)

    assert response.status_code == 400
    assert_error_beside(response, "id_on", "Date the response was sent must be a real date")
    assert 'name="on_day" type="text" inputmode="numeric" value="32"' in response.content.decode()
    nothing_issued(signed_off, version)


def test_a_date_before_the_sign_off_is_refused_beside_the_date(as_handler, signed_off):
    version = signed_off.version
    data = {"version": version, "confirmed": "yes", **date_data("on", D(2026, 1, 7))}

    response = as_handler.post(url("issue-response", signed_off), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_on-error"' in html
    assert "The response cannot be issued before its" in html
    assert 'name="on_day" type="text" inputmode="numeric" value="7"' in html
    nothing_issued(signed_off, version)


def test_a_draft_that_needs_sign_off_is_not_issued_without_it(as_handler, drafted):
    version = drafted.version
    data = {"version": version, "confirmed": "yes", **date_data("on", D(2026, 1, 20))}

    html = as_handler.get(url("issue-response", drafted)).content.decode()
    assert "Not signed off yet." in html
    response = as_handler.post(url("issue-response", drafted), data)

    assert response.status_code == 400
    assert "must be signed off by someone other than the handler" in error_summary(
        response.content.decode()
    )
    nothing_issued(drafted, version)


def test_a_draft_without_sign_off_is_issued_when_none_is_needed(as_handler, complaint, handler):
    organisation = get_organisation()
    organisation.stage1_requires_sign_off = False
    organisation.save()
    draft(handler, complaint)
    data = {"version": complaint.version, "confirmed": "yes", **date_data("on", D(2026, 1, 20))}

    response = as_handler.post(url("issue-response", complaint), data)

    assert response.status_code == 302
    assert stage1(complaint).responded_on == D(2026, 1, 20)


def test_an_old_version_is_refused(as_handler, signed_off, handler):
    old = signed_off.version
    services.note_add(acting_user=handler, complaint=signed_off, text="Resident called.")
    data = {"version": old, "confirmed": "yes", **date_data("on", D(2026, 1, 20))}

    response = as_handler.post(url("issue-response", signed_off), data)

    assert_stale_message(response, signed_off)
    assert stage1(signed_off).responded_on is None


def test_a_returned_draft_cannot_be_issued(as_handler, drafted, reviewer):
    services.response_sign_off_decline(
        acting_user=reviewer, complaint=drafted, note="Add the dates.", on=D(2026, 1, 16)
    )

    html = as_handler.get(url("issue-response", drafted)).content.decode()

    assert "A returned draft cannot be issued." in html
    assert "Add the dates." in html
    assert 'name="on_day"' not in html


def test_a_board_member_cannot_issue(client, board_member, signed_off):
    client.force_login(board_member)
    assert client.get(url("issue-response", signed_off)).status_code == 403
    data = {"version": signed_off.version, "confirmed": "yes", **date_data("on", D(2026, 1, 20))}
    assert client.post(url("issue-response", signed_off), data).status_code == 403
    assert stage1(signed_off).responded_on is None


@pytest.mark.parametrize("name", ["draft-response", "issue-response"])
def test_once_issued_there_is_nothing_more_to_draft_or_issue(as_handler, responded, name):
    html = as_handler.get(url(name, responded)).content.decode()

    assert "The stage 1 response was issued on 20 January 2026" in html
    assert 'name="on_day"' not in html
    assert 'name="point_1_reasons"' not in html


def test_the_draft_message_says_it_can_be_issued_when_no_check_is_needed(as_handler, complaint):
    organisation = get_organisation()
    organisation.stage1_requires_sign_off = False
    organisation.save()
    data = {
        "version": complaint.version,
        "point_1_finding": "upheld",
        "point_1_reasons": "Reported in May.",
        "point_2_finding": "upheld",
        "point_2_reasons": "No call back.",
    }

    response = as_handler.post(url("draft-response", complaint), data)

    assert messages(response) == ["Stage 1 response drafted. You can now issue it."]


def test_the_issue_page_shows_the_response_letter_and_what_it_lacks(as_handler, signed_off):
    html = as_handler.get(url("issue-response", signed_off)).content.decode()

    letter = html[html.index('<div class="app-letter-preview">') :]
    assert "The damp was reported in May and not treated." in letter
    assert "stage 2" in letter.lower()  # how to escalate, from a stage 1 response
    # Everything the Code requires comes from the record, except what nobody has recorded yet,
    # which the page lists rather than letting the letter go without it.
    assert ('id="letter-complete"' in html) != ('id="letter-problems"' in html)
    assert 'id="letter-readability"' in html


def test_a_returned_draft_has_no_letter(as_handler, drafted, reviewer):
    services.response_sign_off_decline(
        acting_user=reviewer, complaint=drafted, note="Say when the damp will be treated."
    )
    html = as_handler.get(url("issue-response", drafted)).content.decode()
    assert "app-letter-preview" not in html

"""The quality check: signing off a drafted response, or returning it with a note."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from tests.casework.test_response_support import *  # noqa: F403 (the fixtures)
from tests.casework.test_response_support import (
    DECISIONS,
    D,
    acknowledge,
    assert_error_beside,
    assert_stale_message,
    error_summary,
    log_complaint,
    messages,
    url,
)
from tests.people.factories import StaffUserFactory


def stage1(complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=1)


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_reviewer_sees_the_draft_read_only(as_reviewer, drafted):
    response = as_reviewer.get(url("sign-off", drafted))

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Drafted by Hana Handler on 15 January 2026.",
        "The damp in the bedroom was not treated.",
        "Treat the damp and redecorate.",
        "Partly upheld",
        "One call back was missed; the second was made.",
        "Financial remedy",
        "£125.50",
        "Treat the damp.",
        "27 February 2026",
        "Delay",
    ]:
        assert text in html
    # Read only: the only things to fill in are the note and the hidden version.
    assert 'name="point_1_reasons"' not in html
    assert 'name="note"' in html
    assert url("return-draft", drafted) in html


def test_signing_off_approves_the_draft(as_reviewer, drafted, reviewer):
    response = as_reviewer.post(
        url("sign-off", drafted), {"version": drafted.version, "note": "Checked the letter."}
    )

    assert response.status_code == 302
    assert response["Location"] == url("case", drafted)
    assert messages(response) == ["Stage 1 response signed off. The handler can now issue it."]
    stage = stage1(drafted)
    assert stage.signed_off_by == reviewer
    assert stage.sign_off_note == "Checked the letter."
    drafted.refresh_from_db()
    assert not drafted.awaiting_sign_off
    assert drafted.events.filter(action=ComplaintEvent.Action.SIGNED_OFF, actor=reviewer).exists()


def test_the_note_is_optional(as_reviewer, drafted, reviewer):
    response = as_reviewer.post(url("sign-off", drafted), {"version": drafted.version})
    assert response.status_code == 302
    assert stage1(drafted).signed_off_by == reviewer


def test_a_case_handler_cannot_sign_off(client, drafted, handler):
    client.force_login(handler)
    assert client.get(url("sign-off", drafted)).status_code == 403
    assert client.post(url("sign-off", drafted), {"version": drafted.version}).status_code == 403
    assert client.get(url("return-draft", drafted)).status_code == 403
    assert stage1(drafted).signed_off_by is None


def test_a_board_member_cannot_sign_off(client, drafted, board_member):
    client.force_login(board_member)
    assert client.get(url("sign-off", drafted)).status_code == 403
    assert client.post(url("return-draft", drafted), {"note": "No."}).status_code == 403


def test_the_handler_cannot_sign_off_their_own_draft_even_with_the_permission(client, manager):
    complaint = acknowledge(manager, log_complaint(manager))
    services.response_draft_submit(
        acting_user=manager, complaint=complaint, decisions=DECISIONS, on=D(2026, 1, 15)
    )
    client.force_login(manager)

    response = client.post(
        url("sign-off", complaint), {"version": complaint.version, "note": "Fine by me."}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "You handled or drafted the stage 1 response, so cannot sign off it." in (
        error_summary(html)
    )
    assert ">\nFine by me.</textarea>" in html
    assert stage1(complaint).signed_off_by is None


def test_an_old_version_is_refused(as_reviewer, drafted, handler):
    old = drafted.version
    services.note_add(acting_user=handler, complaint=drafted, text="Resident called.")

    response = as_reviewer.post(url("sign-off", drafted), {"version": old, "note": "OK."})

    assert_stale_message(response, drafted)
    assert stage1(drafted).signed_off_by is None


def test_without_a_draft_there_is_nothing_to_sign_off(as_reviewer, complaint):
    response = as_reviewer.get(url("sign-off", complaint))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no drafted stage 1 response to check yet." in html
    assert 'name="note"' not in html


def test_a_signed_off_draft_shows_who_signed_it(as_reviewer, signed_off):
    html = as_reviewer.get(url("sign-off", signed_off)).content.decode()
    assert "Signed off by Rhys Reviewer on 16 January 2026." in html
    assert 'name="note"' not in html


def test_returning_the_draft_needs_a_note(as_reviewer, drafted):
    response = as_reviewer.post(url("return-draft", drafted), {"version": drafted.version})

    assert response.status_code == 400
    assert_error_beside(
        response,
        "id_note",
        "Enter what needs to change before the response can be signed off",
    )
    assert "returned" not in stage1(drafted).draft


def test_returning_the_draft_records_the_note_for_its_author(as_reviewer, drafted, reviewer):
    response = as_reviewer.post(
        url("return-draft", drafted),
        {"version": drafted.version, "note": "Say when the damp will be treated."},
    )

    assert response.status_code == 302
    assert messages(response) == ["Stage 1 draft returned to its author with your note."]
    stage = stage1(drafted)
    assert stage.draft["returned"]["note"] == "Say when the damp will be treated."
    assert stage.signed_off_by is None
    assert drafted.events.filter(
        action=ComplaintEvent.Action.SIGN_OFF_DECLINED, actor=reviewer
    ).exists()
    # The sign-off page now says the draft waits for its author, with no form.
    html = as_reviewer.get(url("sign-off", drafted)).content.decode()
    assert "Say when the damp will be treated." in html
    assert "It waits for its author to send a new draft." in html
    assert 'name="note"' not in html


def test_returning_an_old_version_is_refused(as_reviewer, drafted, handler):
    old = drafted.version
    services.note_add(acting_user=handler, complaint=drafted, text="Resident called.")

    response = as_reviewer.post(
        url("return-draft", drafted), {"version": old, "note": "Add the dates."}
    )

    assert_stale_message(response, drafted)
    assert ">\nAdd the dates.</textarea>" in response.content.decode()
    assert "returned" not in stage1(drafted).draft


def test_the_sign_off_page_reads_a_long_draft_in_a_few_queries(
    client, handler, reviewer, django_assert_max_num_queries
):
    points = [(f"Point number {n}.", f"Outcome {n}.") for n in range(1, 31)]
    complaint = acknowledge(handler, log_complaint(handler), points=points)
    services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        decisions={n: ("upheld", f"Reasons {n}.") for n in range(1, 31)},
        remedies=[{"kind": "apology", "description": f"Sorry {n}."} for n in range(1, 6)],
        actions=[
            {
                "description": f"Action {n}.",
                "owner": StaffUserFactory(role="Case handler"),
                "due_on": D(2026, 3, n),
            }
            for n in range(1, 6)
        ],
        on=D(2026, 1, 15),
    )
    client.force_login(reviewer)

    # 12 for the page and its draft, 9 for the response letter composed from it (its wording
    # version among them): neither grows with the 30 points, 5 remedies and 5 actions.
    with django_assert_max_num_queries(21):
        response = client.get(url("sign-off", complaint))

    html = response.content.decode()
    assert "Reasons 30." in html
    assert "Action 5." in html
    letter = html[html.index('<div class="app-letter-preview">') :]
    assert "Point number 30." in letter and "Reasons 30." in letter

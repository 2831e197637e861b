"""The action tracker and the reassignment form through Django's test client: who may open
them, the filters, the overdue and per-team lists, forms that keep what was typed, and query
counts that do not grow with the number of actions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from putright.complaints import services
from putright.complaints.models import Action, ComplaintEvent

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 9)  # Thursday; the default update interval falls due today
TRACKER = "/actions/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-action="(\d+)"', response.content.decode())]


@pytest.fixture
def actions(responded, handler, colleague, repairs, set_today):
    """Overdue (handler, 7 Apr), due soon (team Repairs, 14 Apr), later (colleague, 30 Apr), and
    done (handler)."""
    rows = responded(
        [
            {"description": "Fix the ceiling.", "owner": handler, "due_on": D(2026, 4, 7)},
            {"description": "Survey the roof.", "due_on": D(2026, 4, 14)},
            {"description": "Repaint the hall.", "owner": colleague, "due_on": D(2026, 4, 30)},
            {"description": "Apologise in writing.", "owner": handler, "due_on": D(2026, 3, 20)},
        ]
    )
    Action.objects.filter(pk=rows[1].pk).update(team=repairs)
    services.action_complete(acting_user=handler, action=rows[3], on=D(2026, 3, 10), note="Sent.")
    set_today(TODAY)
    return rows


def test_the_tracker_is_for_people_who_handle_complaints(client, actions, handler, board):
    assert client.get(TRACKER).status_code == 302
    client.force_login(board)
    assert client.get(TRACKER).status_code == 403
    client.force_login(handler)
    response = client.get(TRACKER)
    assert response.status_code == 200
    # Open actions, soonest due first; no reassign link for a handler.
    assert listed(response) == [actions[0].pk, actions[1].pk, actions[2].pk]
    assert "Reassign" not in text(response)
    assert "Overdue" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=done", [3]),
        ("status=any", [3, 0, 1, 2]),
        ("overdue=on", [0]),
        ("due_within=5", [1]),  # 9 to 16 April: the survey on the 14th
        ("owner={colleague}", [2]),
        ("team={repairs}", [1]),
        ("update_due=on", [0, 1, 2]),
    ],
)
def test_the_filters(client, actions, handler, colleague, repairs, query, expected):
    client.force_login(handler)
    query = query.format(colleague=colleague.pk, repairs=repairs.pk)
    response = client.get(f"{TRACKER}?{query}")
    assert listed(response) == [actions[i].pk for i in expected]


def test_an_update_due_links_to_the_letter(client, actions, handler):
    client.force_login(handler)
    html = client.get(f"{TRACKER}?update_due=on").content.decode()
    reference = actions[0].complaint.reference
    assert f'href="/cases/{reference}/letters/new/"' in html
    assert "Due 9 Apr 2026" in text(client.get(TRACKER))


def test_the_overdue_list_and_a_teams_list(client, actions, handler, repairs):
    client.force_login(handler)
    overdue = client.get(reverse("tracking:overdue"))
    assert listed(overdue) == [actions[0].pk]
    assert "Overdue actions" in text(overdue)
    team = client.get(reverse("tracking:team", args=[repairs.pk]))
    assert listed(team) == [actions[1].pk]
    assert "Actions for Repairs" in text(team)
    assert client.get(reverse("tracking:team", args=[999])).status_code == 404


def test_a_confidential_complaints_actions_are_hidden_from_colleagues(
    client, actions, colleague, manager
):
    actions[0].complaint.__class__.objects.filter(pk=actions[0].complaint_id).update(
        is_confidential=True
    )
    client.force_login(colleague)
    assert listed(client.get(TRACKER)) == []
    client.force_login(manager)
    assert len(listed(client.get(TRACKER))) == 3


def test_the_tracker_runs_the_same_queries_for_many_actions(
    client, responded, handler, set_today, django_assert_max_num_queries
):
    responded(
        [{"description": f"Job {n}.", "owner": handler, "due_on": D(2026, 4, 7)} for n in range(3)]
    )
    set_today(TODAY)
    client.force_login(handler)
    client.get(TRACKER)  # warm the session and the calendar
    with django_assert_max_num_queries(12) as few:
        client.get(TRACKER)
    responded(
        [
            {"description": f"Job {n}.", "owner": handler, "due_on": D(2026, 4, 8)}
            for n in range(60)
        ],
        hour=10,
    )
    set_today(TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{TRACKER}?page=2")
    assert len(listed(response)) == 13


def test_a_manager_reassigns_from_the_tracker(client, actions, manager, colleague, handler):
    client.force_login(manager)
    html = client.get(TRACKER).content.decode()
    address = reverse("tracking:reassign", args=[actions[0].pk])
    assert address in html

    form = client.get(address)
    assert form.status_code == 200
    assert "Fix the ceiling." in text(form)
    response = client.post(
        address,
        {
            "version": actions[0].complaint.version,
            "owner": colleague.pk,
            "team": "",
            "due_on_day": "16",
            "due_on_month": "4",
            "due_on_year": "2026",
            "reason": "Hana is on leave.",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=actions[0].pk)
    assert (action.owner_id, action.due_on) == (colleague.pk, D(2026, 4, 16))
    event = ComplaintEvent.objects.get(action=ComplaintEvent.Action.ACTION_REASSIGNED)
    assert "Hana is on leave." in event.summary


def test_the_reassign_form_shows_errors_and_keeps_what_was_typed(client, actions, manager):
    client.force_login(manager)
    address = reverse("tracking:reassign", args=[actions[0].pk])
    response = client.post(
        address,
        {
            "version": actions[0].complaint.version,
            "owner": "",
            "team": "",
            "due_on_day": "16",
            "due_on_month": "4",
            "due_on_year": "2026",
            "reason": "Nobody is free.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose the person or the team who will do it." in html
    assert "Nobody is free.</textarea>" in html
    missing = client.post(address, {"version": actions[0].complaint.version})
    assert "Enter why the action is being reassigned" in missing.content.decode()


def test_only_managers_reassign(client, actions, handler):
    client.force_login(handler)
    assert client.get(reverse("tracking:reassign", args=[actions[0].pk])).status_code == 403
    assert client.post(reverse("tracking:reassign", args=[actions[0].pk])).status_code == 403


def test_the_case_page_offers_reassign_to_managers_and_warns_of_an_update_due(
    client, actions, manager, handler
):
    case = reverse("casework:case", args=[actions[0].complaint.reference])
    client.force_login(manager)
    html = client.get(case).content.decode()
    assert reverse("tracking:reassign", args=[actions[0].pk]) in html
    assert "data-actions-update-due" in html
    client.force_login(handler)
    html = client.get(case).content.decode()
    assert reverse("tracking:reassign", args=[actions[0].pk]) not in html
    assert "An update to the resident on these actions was due on 9 April 2026." in text(
        client.get(case)
    )


def test_completing_an_action_with_a_document_as_evidence(client, actions, handler):
    complaint = actions[0].complaint
    document = services.document_upload(
        acting_user=handler,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile("job-sheet.pdf", PDF),
        kind="evidence",
    )
    complaint.refresh_from_db()
    client.force_login(handler)
    address = reverse("casework:complete-action", args=[complaint.reference, actions[0].pk])
    assert "job-sheet.pdf" in client.get(address).content.decode()
    response = client.post(
        address,
        {
            "version": complaint.version,
            "note": "Replastered.",
            "document": document.pk,
            "on_day": "9",
            "on_month": "4",
            "on_year": "2026",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=actions[0].pk)
    assert action.completion_document_id == document.pk
    html = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()
    assert "Evidence:" in html and "job-sheet.pdf" in html


def test_the_handler_agrees_how_often_to_update_the_resident(client, actions, handler, colleague):
    complaint = actions[0].complaint
    address = reverse("tracking:update-interval", args=[complaint.reference, 1])
    case = reverse("casework:case", args=[complaint.reference])
    client.force_login(handler)
    assert address in client.get(case).content.decode()
    assert "every 20 working days" in text(client.get(case))

    refused = client.post(address, {"version": complaint.version, "days": "0"})
    assert refused.status_code == 400
    assert "Enter a number of working days between 1 and 60" in refused.content.decode()
    assert 'value="0"' in refused.content.decode()

    response = client.post(address, {"version": complaint.version, "days": "10"})
    assert response.status_code == 302
    stage = actions[0].stage
    stage.refresh_from_db()
    # Ten working days after Tue 10 March 2026 is Tue 24 March.
    assert (stage.actions_update_interval_days, stage.actions_update_due) == (10, D(2026, 3, 24))

    client.force_login(colleague)  # not their case
    assert client.get(address).status_code == 403

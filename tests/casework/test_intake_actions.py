"""The case-record action screens, through Django's test client and the real services.

Dates are worked by hand on the England calendar with no closure days: a complaint received on
Monday 2 November 2026 is due its acknowledgement on Monday 9 November; acknowledged on Tuesday
3 November its response is due on Tuesday 17 November, and extensions may reach Tuesday
1 December without a good reason (10 working days later).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from putright.complaints import services
from putright.complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Document,
    Extension,
    Note,
    Point,
    Refusal,
    Stage,
    Status,
)
from putright.organisation.models import ExclusionReason
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import ResidentFactory, StaffUserFactory

LONDON = ZoneInfo("Europe/London")
RECEIVED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)  # Monday
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- HTML helpers (also used by the logging tests) -----------------------------------------------


def page(response) -> str:
    return response.content.decode()


def error_beside(html: str, field_id: str) -> str:
    """The error message shown beside the field with this id (its ``<id>-error`` paragraph)."""
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> (.*?)</p>',
        html,
        re.S,
    )
    assert match, f"no error message beside {field_id}"
    return unescape(match[1])


def has_error_beside(html: str, field_id: str) -> bool:
    return f'id="{field_id}-error"' in html


def input_value(html: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert tag, f"no input {field_id}"
    value = re.search(r'\bvalue="([^"]*)"', tag[0])
    return unescape(value[1]) if value else None


def textarea_value(html: str, field_id: str) -> str:
    match = re.search(
        rf'<textarea[^>]*\bid="{re.escape(field_id)}"[^>]*>\n?(.*?)</textarea>', html, re.S
    )
    assert match, f"no textarea {field_id}"
    return unescape(match[1])


def selected_value(html: str, field_id: str) -> str | None:
    select = re.search(rf'<select[^>]*\bid="{re.escape(field_id)}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {field_id}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select[1])
    return chosen[1] if chosen else None


def checked_values(html: str, name: str) -> list[str]:
    tags = re.findall(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag)[1] for tag in tags if " checked" in tag]


def date_data(name: str, value: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


# --- Fixtures ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Cara Handler")


@pytest.fixture
def colleague(db):
    return StaffUserFactory(role="Case handler", full_name="Colin Colleague")


@pytest.fixture
def manager(db):
    return StaffUserFactory(role="Complaints manager", full_name="Morgan Manager")


@pytest.fixture
def board(db):
    return StaffUserFactory(role="Board member")


@pytest.fixture
def complaint(handler):
    return services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(first_name="Jo", last_name="Bloggs"),
        channel=Channel.PHONE,
        received_at=RECEIVED,
        description="Nobody has fixed the damp in my bedroom since May.",
    )


@pytest.fixture
def acknowledged(complaint, handler):
    services.complaint_allocate(acting_user=handler, complaint=complaint, handler=handler)
    acknowledge(
        acting_user=handler,
        complaint=complaint,
        on=D(2026, 11, 3),
        points=[("Damp in the bedroom", "Fix the damp")],
    )
    return complaint


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


def url(name: str, complaint: Complaint, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"reference": complaint.reference, **kwargs})


def case_url(complaint: Complaint) -> str:
    return reverse("casework:case", kwargs={"reference": complaint.reference})


def stage(complaint: Complaint, number: int = 1) -> Stage:
    return Stage.objects.get(complaint=complaint, number=number)


def responded_and_escalated(complaint: Complaint, user) -> Complaint:
    """Stage 1 responded by ``user`` on 16 November, and escalated on 18 November."""
    respond(
        acting_user=user,
        complaint=complaint,
        on=D(2026, 11, 16),
        decisions={
            point.number: ("not_upheld", "The damp was treated in June.")
            for point in Point.objects.filter(stage__complaint=complaint, stage__number=1)
        },
    )
    return services.complaint_escalate(acting_user=user, complaint=complaint, on=D(2026, 11, 18))


# --- Permissions and stale forms, for every screen -----------------------------------------------

ACTIONS = [
    "not-accept",
    "acknowledge",
    "allocate",
    "extend",
    "add-point",
    "record-contact",
    "upload",
    "add-note",
    "update-interval",
    "mark-duplicate",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_a_board_member_is_refused_every_action(client, board, complaint, name):
    client.force_login(board)

    assert client.get(url(name, complaint)).status_code == 403
    assert client.post(url(name, complaint), {"version": complaint.version}).status_code == 403


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_page_shows_its_form_to_a_handler(signed_in, acknowledged, manager, name):
    if name == "allocate":  # the handler's own case: only a manager moves it on
        signed_in.force_login(manager)
    response = signed_in.get(url(name, acknowledged))

    assert response.status_code == 200
    html = page(response)
    assert f'name="version" value="{acknowledged.version}"' in html
    assert acknowledged.reference in html


@pytest.mark.parametrize("name", ACTIONS)
def test_a_confidential_complaint_is_not_found_by_someone_else(client, colleague, handler, name):
    complaint = services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(),
        channel=Channel.EMAIL,
        received_at=RECEIVED,
        description="About my neighbour.",
        is_confidential=True,
        handler=handler,
    )
    client.force_login(colleague)

    assert client.get(url(name, complaint)).status_code == 404


STALE_POSTS = {
    # screen: (what is posted, something typed that must still be on the page)
    "add-note": ({"text": "Rang the resident back."}, "Rang the resident back."),
    "add-point": (
        {"summary": "Mould in the hall", "outcome_sought": "Treat it"},
        "Mould in the hall",
    ),
    "update-interval": ({"days": "7"}, 'value="7"'),
    "extend": (
        {
            **date_data("new_due", D(2026, 11, 24)),
            "reason": "Awaiting a damp survey",
            **date_data("notice_on", D(2026, 11, 16)),
            "ombudsman_details_given": "true",
        },
        "Awaiting a damp survey",
    ),
    "record-contact": (
        {
            "direction": "out",
            "channel": "phone",
            "party": "resident",
            **date_data("on", D(2026, 11, 4)),
            "summary": "Explained next steps",
        },
        "Explained next steps",
    ),
    "allocate": ({}, "Cara Handler"),
}


@pytest.mark.parametrize("name", sorted(STALE_POSTS))
def test_an_old_version_is_refused_with_a_clear_message_and_the_input_kept(
    signed_in, acknowledged, handler, manager, name
):
    seen = acknowledged.version
    services.note_add(acting_user=handler, complaint=acknowledged, text="Someone else's change")
    acknowledged.refresh_from_db()
    before = acknowledged.version
    data, kept = STALE_POSTS[name]
    if name == "allocate":
        data = {"handler": handler.pk}
        signed_in.force_login(manager)

    response = signed_in.post(url(name, acknowledged), {"version": seen, **data})

    assert response.status_code == 400
    html = page(response)
    assert (
        f"Complaint {acknowledged.reference} was changed by someone else while you were working "
        "on it. Reload it to see the changes, then try again."
    ) in unescape(html)
    assert "govuk-error-summary" in html
    assert kept in html
    acknowledged.refresh_from_db()
    assert acknowledged.version == before


# --- Not accepting -------------------------------------------------------------------------------


@pytest.fixture
def legal_proceedings(db):
    return ExclusionReason.objects.get(code="legal-proceedings")


def not_accept_data(complaint, reason, **overrides):
    data = {
        "version": complaint.version,
        "reason": reason.pk,
        "explanation": "A claim about the same damp was filed at the county court.",
        "evidence": "Claim form served on us on 1 November 2026",
        **date_data("evidence_date", D(2026, 10, 30)),
        **date_data("resident_told_on", D(2026, 11, 4)),
        "ombudsman_rights_given": "true",
    }
    data.update(overrides)
    return data


def test_not_accepting_shows_a_confirmation_page_first(signed_in, complaint, legal_proceedings):
    response = signed_in.post(
        url("not-accept", complaint), not_accept_data(complaint, legal_proceedings)
    )

    assert response.status_code == 200
    html = page(response)
    assert "Check before you do not accept" in html
    assert "Legal proceedings have started" in html
    assert "30 October 2026" in html and "4 November 2026" in html
    assert ">Yes<" in html  # the Ombudsman rights, in words
    assert 'name="confirmed" value="yes"' in html
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_not_accepting_after_confirming_records_the_refusal(
    signed_in, complaint, legal_proceedings, handler
):
    response = signed_in.post(
        url("not-accept", complaint),
        {**not_accept_data(complaint, legal_proceedings), "confirmed": "yes"},
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(complaint)
    complaint.refresh_from_db()
    assert complaint.status == Status.NOT_ACCEPTED
    refusal = Refusal.objects.get(complaint=complaint)
    assert refusal.reason == legal_proceedings
    assert refusal.evidence_date == D(2026, 10, 30)
    assert refusal.resident_told_on == D(2026, 11, 4)
    assert refusal.ombudsman_rights_given is True
    assert refusal.decided_by == handler


def test_not_accepting_without_the_ombudsman_rights_is_refused_beside_that_box(
    signed_in, complaint, legal_proceedings
):
    data = not_accept_data(complaint, legal_proceedings, confirmed="yes")
    del data["ombudsman_rights_given"]

    response = signed_in.post(url("not-accept", complaint), data)

    assert response.status_code == 400
    html = page(response)
    assert "can take this decision to the Housing Ombudsman" in error_beside(
        html, "id_ombudsman_rights_given"
    )
    assert textarea_value(html, "id_explanation") == data["explanation"]
    assert checked_values(html, "reason") == [str(legal_proceedings.pk)]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_reason_needing_a_date_is_refused_without_one(signed_in, complaint, legal_proceedings):
    data = not_accept_data(complaint, legal_proceedings, confirmed="yes")
    for part in ("day", "month", "year"):
        del data[f"evidence_date_{part}"]

    response = signed_in.post(url("not-accept", complaint), data)

    assert response.status_code == 400
    assert "Date the claim was filed at court" in error_beside(page(response), "id_evidence_date")


def test_an_impossible_date_is_kept_as_typed_beside_its_field(
    signed_in, complaint, legal_proceedings
):
    data = not_accept_data(complaint, legal_proceedings)
    data["resident_told_on_day"] = "31"
    data["resident_told_on_month"] = "2"

    response = signed_in.post(url("not-accept", complaint), data)

    assert response.status_code == 400
    html = page(response)
    assert (
        error_beside(html, "id_resident_told_on")
        == "Date the resident was told must be a real date"
    )
    assert input_value(html, "id_resident_told_on_day") == "31"
    assert input_value(html, "id_resident_told_on_month") == "2"


def test_only_reasons_for_not_accepting_are_offered(signed_in, complaint):
    html = page(signed_in.get(url("not-accept", complaint)))

    assert "Already considered under the complaints process" in html  # acceptance only
    escalation_only = ExclusionReason.objects.create(
        code="escalation-only", label="Only for escalations", applies_to="escalation"
    )
    assert escalation_only.label not in page(signed_in.get(url("not-accept", complaint)))


# --- Acknowledging -------------------------------------------------------------------------------


def acknowledge_data(complaint, **overrides):
    data = {
        "version": complaint.version,
        **date_data("on", D(2026, 11, 3)),
        "point_1_summary": "Damp in the bedroom",
        "point_1_outcome": "Fix the damp",
        "point_3_summary": "Nobody called back",
        "point_3_outcome": "An apology",
        "not_responsible_for": "The council's bins",
        "complexity": "medium",
        "risk": "some",
        "vulnerability_note": "Asthma in the household",
        "confirmed": "yes",  # past the page that shows the letter (tested on its own)
    }
    data.update(overrides)
    return data


def test_acknowledging_stage_1_records_the_definition_and_the_handler(
    signed_in, complaint, handler
):
    response = signed_in.post(
        url("acknowledge", complaint), acknowledge_data(complaint, handler=handler.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(complaint)
    row = stage(complaint)
    assert row.acknowledged_on == D(2026, 11, 3)
    assert row.response_due == D(2026, 11, 17)
    assert row.handler == handler
    assert (row.not_responsible_for, row.complexity, row.risk) == (
        "The council's bins",
        "medium",
        "some",
    )
    assert row.vulnerability_note == "Asthma in the household"
    # Blank rows are ignored; the points are numbered in order.
    assert list(row.points.values_list("number", "summary", "outcome_sought")) == [
        (1, "Damp in the bedroom", "Fix the damp"),
        (2, "Nobody called back", "An apology"),
    ]
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE1_OPEN
    assert list(
        ComplaintEvent.objects.filter(complaint=complaint).values_list("action", flat=True)
    ) == ["logged", "allocated", "acknowledged", "letter_issued"]


def test_acknowledging_without_choosing_a_handler_leaves_stage_1_unallocated(signed_in, complaint):
    response = signed_in.post(url("acknowledge", complaint), acknowledge_data(complaint))

    assert response.status_code == 302
    assert stage(complaint).handler is None
    assert stage(complaint).acknowledged_on == D(2026, 11, 3)


def test_a_half_filled_point_is_an_error_beside_the_missing_half(signed_in, complaint):
    data = acknowledge_data(complaint, point_2_summary="Rude contractor")

    response = signed_in.post(url("acknowledge", complaint), data)

    assert response.status_code == 400
    html = page(response)
    assert (
        error_beside(html, "id_point_2_outcome")
        == "Point 2: enter the outcome the resident is seeking"
    )
    assert textarea_value(html, "id_point_2_summary") == "Rude contractor"
    assert textarea_value(html, "id_point_3_summary") == "Nobody called back"
    assert stage(complaint).acknowledged_on is None


def test_an_acknowledgement_before_receipt_is_refused_beside_the_date(signed_in, complaint):
    data = acknowledge_data(complaint, **date_data("on", D(2026, 10, 30)))

    response = signed_in.post(url("acknowledge", complaint), data)

    assert response.status_code == 400
    html = page(response)
    assert "cannot be earlier than the date the stage was received" in error_beside(html, "id_on")
    assert input_value(html, "id_on_day") == "30"


def test_stage_2_needs_someone_not_involved_at_stage_1(signed_in, acknowledged, handler, colleague):
    responded_and_escalated(acknowledged, handler)
    acknowledged.refresh_from_db()

    page_html = page(signed_in.get(url("acknowledge", acknowledged)))
    assert "Acknowledge stage 2" in page_html
    # Cara considered it at stage 1 and a handler may only choose themselves: nobody is offered.
    assert f'value="{handler.pk}"' not in page_html

    response = signed_in.post(
        url("acknowledge", acknowledged),
        acknowledge_data(acknowledged, handler=handler.pk, **date_data("on", D(2026, 11, 19))),
    )
    assert response.status_code == 400
    html = page(response)
    assert "Select one of the handlers listed" in error_beside(html, "id_handler")
    assert textarea_value(html, "id_point_1_summary") == "Damp in the bedroom"
    assert stage(acknowledged, 2).handler is None
    assert stage(acknowledged, 2).acknowledged_on is None


def test_a_manager_acknowledges_stage_2_with_an_independent_handler(
    client, acknowledged, handler, colleague, manager
):
    responded_and_escalated(acknowledged, handler)
    acknowledged.refresh_from_db()
    client.force_login(manager)

    response = client.post(
        url("acknowledge", acknowledged),
        acknowledge_data(acknowledged, handler=colleague.pk, **date_data("on", D(2026, 11, 19))),
    )

    assert response.status_code == 302
    row = stage(acknowledged, 2)
    assert row.handler == colleague
    assert row.acknowledged_on == D(2026, 11, 19)
    assert row.points.count() == 2


def test_stage_2_without_a_handler_is_refused_beside_the_handler_choice(
    client, acknowledged, handler, manager
):
    responded_and_escalated(acknowledged, handler)
    acknowledged.refresh_from_db()
    client.force_login(manager)

    response = client.post(
        url("acknowledge", acknowledged),
        acknowledge_data(acknowledged, **date_data("on", D(2026, 11, 19))),
    )

    assert response.status_code == 400
    assert "Allocate a stage 2 handler" in error_beside(page(response), "id_handler")


def test_acknowledging_twice_is_refused_at_the_top(signed_in, acknowledged):
    assert "Stage 1 was acknowledged on 3 November 2026." in page(
        signed_in.get(url("acknowledge", acknowledged))
    )

    response = signed_in.post(url("acknowledge", acknowledged), acknowledge_data(acknowledged))

    assert response.status_code == 400
    html = page(response)
    assert f"Complaint {acknowledged.reference} is stage 1 open, so it cannot be acknowledged." in (
        html
    )
    assert not has_error_beside(html, "id_on")


# --- Allocating ----------------------------------------------------------------------------------


def test_a_manager_allocates_to_any_handler(client, manager, complaint, colleague):
    client.force_login(manager)
    html = page(client.get(url("allocate", complaint)))
    assert "Colin Colleague" in html and "Cara Handler" in html

    response = client.post(
        url("allocate", complaint), {"version": complaint.version, "handler": colleague.pk}
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler == colleague
    assert stage(complaint).handler == colleague


def test_a_handler_can_take_a_complaint_but_not_give_it_to_someone_else(
    signed_in, complaint, handler, colleague
):
    html = page(signed_in.get(url("allocate", complaint)))
    assert "Cara Handler" in html
    assert "Colin Colleague" not in html

    refused = signed_in.post(
        url("allocate", complaint), {"version": complaint.version, "handler": colleague.pk}
    )
    assert refused.status_code == 400
    assert has_error_beside(page(refused), "id_handler")
    assert stage(complaint).handler is None

    taken = signed_in.post(
        url("allocate", complaint), {"version": complaint.version, "handler": handler.pk}
    )
    assert taken.status_code == 302
    assert stage(complaint).handler == handler


def test_allocating_stage_2_to_someone_involved_at_stage_1_is_refused(
    client, manager, acknowledged, handler
):
    responded_and_escalated(acknowledged, handler)
    acknowledged.refresh_from_db()
    client.force_login(manager)

    # The picker leaves out everyone involved at stage 1 (Code 6.13) ...
    form_html = page(client.get(url("allocate", acknowledged)))
    assert f'value="{handler.pk}"' not in form_html
    assert "not involved at stage 1" in form_html
    # ... and a hand-made post naming one of them is refused beside the field.
    response = client.post(
        url("allocate", acknowledged), {"version": acknowledged.version, "handler": handler.pk}
    )

    assert response.status_code == 400
    html = page(response)
    assert "Select one of the handlers listed" in error_beside(html, "id_handler")
    assert stage(acknowledged, 2).handler is None


# --- Extending -----------------------------------------------------------------------------------


def extend_data(complaint, **overrides):
    data = {
        "version": complaint.version,
        **date_data("new_due", D(2026, 11, 24)),
        "reason": "Awaiting a damp survey",
        **date_data("notice_on", D(2026, 11, 16)),
        "ombudsman_details_given": "true",
        "confirmed": "yes",  # past the page that shows the letter (tested on its own)
    }
    data.update(overrides)
    return data


def test_the_extension_page_shows_the_due_date_and_the_cap(signed_in, acknowledged):
    html = page(signed_in.get(url("extend", acknowledged)))

    assert re.search(r'id="current-due">17 November 2026<', html)
    assert re.search(r'id="extension-cap">1 December 2026<', html)
    assert "Only needed if the new date is after 1 December 2026" in html


def test_the_extension_page_cites_the_provisions_of_its_stage(
    signed_in, acknowledged, handler, colleague
):
    assert "(Code 6.4, 6.5)" in page(signed_in.get(url("extend", acknowledged)))
    assert "the date the response is due (Code 6.4)" in page(
        signed_in.get(url("extend", acknowledged))
    )
    responded_and_escalated(acknowledged, handler)
    services.complaint_allocate(
        acting_user=handler, complaint=acknowledged, handler=colleague, on=D(2026, 11, 18)
    )
    acknowledge(acting_user=colleague, complaint=acknowledged, stage=2, on=D(2026, 11, 19))
    signed_in.force_login(colleague)  # stage 2 is the colleague's now

    html = page(signed_in.get(url("extend", acknowledged)))

    assert "(Code 6.15, 6.16)" in html
    assert "the date the response is due (Code 6.15)" in html
    assert "6.4" not in html


def test_every_problem_with_an_extension_is_shown_at_once(signed_in, acknowledged):
    # Due Tue 17 Nov 2026: a new date before it, told on the 18th, no Ombudsman details.
    data = extend_data(
        acknowledged,
        **date_data("new_due", D(2026, 11, 16)),
        **date_data("notice_on", D(2026, 11, 18)),
    )
    data.pop("ombudsman_details_given", None)

    response = signed_in.post(url("extend", acknowledged), data)

    assert response.status_code == 400
    html = page(response)
    assert "must be after the current due date" in error_beside(html, "id_new_due")
    assert "by 17 November 2026, the date the response is due" in error_beside(html, "id_notice_on")
    assert "Housing Ombudsman's details" in error_beside(html, "id_ombudsman_details_given")
    assert not Extension.objects.exists()


def test_extending_records_the_extension(signed_in, acknowledged):
    response = signed_in.post(url("extend", acknowledged), extend_data(acknowledged))

    assert response.status_code == 302
    extension = Extension.objects.get(stage__complaint=acknowledged)
    assert (extension.previous_due, extension.new_due) == (D(2026, 11, 17), D(2026, 11, 24))
    assert extension.notice_on == D(2026, 11, 16)
    assert stage(acknowledged).extended_due == D(2026, 11, 24)


def test_extending_past_the_cap_asks_for_a_good_reason_beside_that_field(signed_in, acknowledged):
    data = extend_data(acknowledged, **date_data("new_due", D(2026, 12, 8)))

    response = signed_in.post(url("extend", acknowledged), data)

    assert response.status_code == 400
    html = page(response)
    assert "unless a good reason is recorded" in error_beside(html, "id_good_reason")
    assert input_value(html, "id_new_due_day") == "8"
    assert textarea_value(html, "id_reason") == "Awaiting a damp survey"
    assert not Extension.objects.exists()

    data["good_reason"] = "The specialist contractor cannot survey until December"
    assert signed_in.post(url("extend", acknowledged), data).status_code == 302
    assert stage(acknowledged).extended_due == D(2026, 12, 8)


def test_an_extension_without_the_ombudsman_details_is_refused_beside_the_box(
    signed_in, acknowledged
):
    data = extend_data(acknowledged)
    del data["ombudsman_details_given"]

    response = signed_in.post(url("extend", acknowledged), data)

    assert response.status_code == 400
    assert "Housing Ombudsman's details" in error_beside(
        page(response), "id_ombudsman_details_given"
    )


# --- Points --------------------------------------------------------------------------------------


def test_adding_a_point_numbers_it_after_the_others(signed_in, acknowledged):
    response = signed_in.post(
        url("add-point", acknowledged),
        {
            "version": acknowledged.version,
            "summary": "Mould in the hall",
            "outcome_sought": "Treat it",
        },
    )

    assert response.status_code == 302
    point = Point.objects.get(stage__complaint=acknowledged, number=2)
    assert (point.summary, point.outcome_sought) == ("Mould in the hall", "Treat it")
    assert point.added_after_acknowledgement is True


def test_a_point_without_an_outcome_is_an_error_beside_it(signed_in, acknowledged):
    response = signed_in.post(
        url("add-point", acknowledged),
        {"version": acknowledged.version, "summary": "Mould in the hall", "outcome_sought": ""},
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_outcome_sought") == "Enter the outcome they are seeking"
    assert textarea_value(html, "id_summary") == "Mould in the hall"


# --- Contact, documents, notes -------------------------------------------------------------------


def contact_data(complaint, **overrides):
    data = {
        "version": complaint.version,
        "direction": "in",
        "channel": "letter",
        "party": "resident",
        **date_data("on", D(2026, 11, 4)),
        "summary": "Letter with photos of the mould",
    }
    data.update(overrides)
    return data


def test_recording_a_contact(signed_in, acknowledged, handler):
    response = signed_in.post(url("record-contact", acknowledged), contact_data(acknowledged))

    assert response.status_code == 302
    row = Correspondence.objects.get(complaint=acknowledged)
    assert (row.direction, row.channel, row.party) == ("in", "letter", "resident")
    assert row.happened_on == D(2026, 11, 4)
    assert row.stage_number == 1
    assert row.document is None
    assert row.recorded_by == handler


def test_recording_a_contact_with_a_copy_attached_links_the_document(signed_in, acknowledged):
    data = contact_data(acknowledged, kind="letter")
    data["uploaded_file"] = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")

    response = signed_in.post(url("record-contact", acknowledged), data)

    assert response.status_code == 302
    row = Correspondence.objects.select_related("document").get(complaint=acknowledged)
    assert row.document.original_name == "letter.pdf"
    assert row.document.content_type == "application/pdf"
    assert row.document.kind == "letter"
    assert row.document.file.read() == PDF


def test_an_attachment_of_the_wrong_type_keeps_nothing(signed_in, acknowledged, settings):
    data = contact_data(acknowledged)
    data["uploaded_file"] = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64)

    response = signed_in.post(url("record-contact", acknowledged), data)

    assert response.status_code == 400
    html = page(response)
    assert "photo.pdf is not a file type that can be kept" in error_beside(html, "id_uploaded_file")
    assert textarea_value(html, "id_summary") == "Letter with photos of the mould"
    assert not Correspondence.objects.exists()
    assert not Document.objects.exists()


def test_a_contact_failing_after_its_attachment_is_stored_keeps_neither(
    signed_in, acknowledged, settings
):
    data = contact_data(acknowledged, **date_data("on", D(2026, 10, 1)))  # before receipt
    data["uploaded_file"] = SimpleUploadedFile("letter.pdf", PDF)

    response = signed_in.post(url("record-contact", acknowledged), data)

    assert response.status_code == 400
    assert "cannot be dated before the complaint was received" in error_beside(
        page(response), "id_on"
    )
    assert not Document.objects.exists()
    assert not Correspondence.objects.exists()
    stored = [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []


def test_uploading_a_document_and_downloading_it(signed_in, acknowledged):
    response = signed_in.post(
        url("upload", acknowledged),
        {
            "version": acknowledged.version,
            "kind": "evidence",
            "uploaded_file": SimpleUploadedFile("survey report.pdf", PDF),
        },
    )

    assert response.status_code == 302
    document = Document.objects.get(complaint=acknowledged)
    assert (document.original_name, document.kind) == ("survey report.pdf", "evidence")

    download = signed_in.get(url("document", acknowledged, pk=document.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "survey report.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_an_upload_without_a_file_is_an_error_beside_the_file_input(signed_in, acknowledged):
    response = signed_in.post(
        url("upload", acknowledged), {"version": acknowledged.version, "kind": "photo"}
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_uploaded_file") == "Select a file to upload"
    assert checked_values(html, "kind") == ["photo"]


def test_documents_are_only_for_those_who_can_see_the_complaint(
    client, handler, colleague, board, manager
):
    confidential = services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(),
        channel=Channel.EMAIL,
        received_at=RECEIVED,
        description="About a member of staff.",
        is_confidential=True,
        handler=handler,
    )
    document = services.document_upload(
        acting_user=handler,
        complaint=confidential,
        uploaded_file=SimpleUploadedFile("statement.pdf", PDF),
        kind="evidence",
    )
    address = url("document", confidential, pk=document.pk)

    client.force_login(board)
    assert client.get(address).status_code == 403
    client.force_login(colleague)
    assert client.get(address).status_code == 404
    client.force_login(manager)
    assert client.get(address).status_code == 200
    # A read of a confidential case is recorded.
    assert ComplaintEvent.objects.filter(
        complaint=confidential, action=ComplaintEvent.Action.VIEWED, actor=manager
    ).exists()


def test_a_document_is_found_only_under_its_own_complaint(signed_in, acknowledged, handler):
    other = services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(),
        channel=Channel.EMAIL,
        received_at=RECEIVED,
        description="Another complaint.",
    )
    document = services.document_upload(
        acting_user=handler,
        complaint=other,
        uploaded_file=SimpleUploadedFile("other.pdf", PDF),
        kind="evidence",
    )

    assert signed_in.get(url("document", acknowledged, pk=document.pk)).status_code == 404


def test_adding_a_note(signed_in, acknowledged, handler):
    response = signed_in.post(
        url("add-note", acknowledged), {"version": acknowledged.version, "text": "Rang back."}
    )

    assert response.status_code == 302
    note = Note.objects.get(complaint=acknowledged)
    assert (note.text, note.written_by) == ("Rang back.", handler)


def test_an_empty_note_is_an_error_beside_it(signed_in, acknowledged):
    response = signed_in.post(
        url("add-note", acknowledged), {"version": acknowledged.version, "text": "  "}
    )

    assert response.status_code == 400
    assert error_beside(page(response), "id_text") == "Enter the note"


# --- Update interval -----------------------------------------------------------------------------


def test_agreeing_an_update_interval(signed_in, acknowledged):
    response = signed_in.post(
        url("update-interval", acknowledged), {"version": acknowledged.version, "days": "5"}
    )

    assert response.status_code == 302
    row = stage(acknowledged)
    assert row.update_interval_days == 5
    html = page(signed_in.get(url("update-interval", acknowledged)))
    assert input_value(html, "id_days") == "5"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25", "Agree an update interval of between 1 and 20 working days."),
        ("five", "Enter the number of working days as a whole number, like 5"),
    ],
)
def test_an_update_interval_out_of_range_is_an_error_beside_it(
    signed_in, acknowledged, typed, message
):
    response = signed_in.post(
        url("update-interval", acknowledged), {"version": acknowledged.version, "days": typed}
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_days") == message
    assert input_value(html, "id_days") == typed


# --- Duplicates ----------------------------------------------------------------------------------


def test_marking_a_duplicate_confirms_then_closes_it(signed_in, complaint, handler):
    original = services.complaint_log(
        acting_user=handler,
        complainant=complaint.complainant,
        channel=Channel.EMAIL,
        received_at=RECEIVED - dt.timedelta(days=1),
        description="The damp in my bedroom.",
    )
    data = {
        "version": complaint.version,
        "original": original.reference.lower(),
        "note": "Same damp, raised again by phone",
    }

    check = signed_in.post(url("mark-duplicate", complaint), data)
    assert check.status_code == 200
    assert "Check before you close as a duplicate" in page(check)
    assert original.reference in page(check)

    response = signed_in.post(url("mark-duplicate", complaint), {**data, "confirmed": "yes"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.duplicate_of == original


def test_an_unknown_original_is_an_error_beside_the_reference(signed_in, complaint):
    response = signed_in.post(
        url("mark-duplicate", complaint),
        {"version": complaint.version, "original": "C-2026-09999", "note": "Same thing"},
    )

    assert response.status_code == 400
    html = page(response)
    assert (
        error_beside(html, "id_original") == "There is no complaint with the reference C-2026-09999"
    )
    assert input_value(html, "id_original") == "C-2026-09999"
    assert textarea_value(html, "id_note") == "Same thing"


def test_a_duplicate_of_itself_is_refused_beside_the_reference(signed_in, complaint):
    response = signed_in.post(
        url("mark-duplicate", complaint),
        {
            "version": complaint.version,
            "original": complaint.reference,
            "note": "x",
            "confirmed": "yes",
        },
    )

    assert response.status_code == 400
    assert error_beside(page(response), "id_original") == "A complaint cannot duplicate itself."


# --- Reads stay set-based ------------------------------------------------------------------------


def test_the_acknowledge_page_lists_many_points_in_a_fixed_number_of_queries(
    signed_in, complaint, handler, django_assert_max_num_queries
):
    for n in range(30):
        services.stage_point_add(
            acting_user=handler,
            complaint=complaint,
            summary=f"Issue number {n}",
            outcome_sought="Put it right",
            on=D(2026, 11, 2),
        )

    with django_assert_max_num_queries(12):
        response = signed_in.get(url("acknowledge", complaint))

    html = page(response)
    assert "Issue number 29" in html
    assert "point_1_summary" not in html  # the definition is already recorded


def test_the_allocate_page_lists_many_handlers_in_a_fixed_number_of_queries(
    client, manager, complaint, django_assert_max_num_queries
):
    for n in range(30):
        StaffUserFactory(role="Case handler", full_name=f"Handler {n:02d}")
    client.force_login(manager)

    with django_assert_max_num_queries(10):
        response = client.get(url("allocate", complaint))

    html = page(response)
    assert "Handler 29" in html


# --- Whose case ----------------------------------------------------------------------------------

# Steps that change where a complaint stands: only its handler or a complaints manager take them.
OWN_CASE_STEPS = ["not-accept", "acknowledge", "extend", "add-point", "update-interval"]


@pytest.mark.parametrize("name", [*OWN_CASE_STEPS, "allocate"])
def test_a_handler_cannot_act_on_a_colleagues_case(client, colleague, acknowledged, name):
    client.force_login(colleague)
    before = acknowledged.version

    shown = client.get(url(name, acknowledged))
    posted = client.post(url(name, acknowledged), {"version": before, "handler": colleague.pk})

    assert shown.status_code == posted.status_code == 403
    assert "You cannot take this step" in page(shown)
    assert "is handled by Cara Handler" in page(posted)
    acknowledged.refresh_from_db()
    assert (acknowledged.version, acknowledged.handler_id) == (before, acknowledged.handler_id)


@pytest.mark.parametrize("name", OWN_CASE_STEPS)
def test_a_complaints_manager_may_act_on_anyones_case(client, manager, acknowledged, name):
    client.force_login(manager)
    assert client.get(url(name, acknowledged)).status_code == 200


@pytest.mark.parametrize("name", ["record-contact", "upload", "add-note"])
def test_colleagues_keep_records_on_each_others_cases(client, colleague, acknowledged, name):
    client.force_login(colleague)
    assert client.get(url(name, acknowledged)).status_code == 200


def test_a_handler_takes_an_unallocated_complaint_for_themselves(client, colleague, complaint):
    assert complaint.handler_id is None
    client.force_login(colleague)

    response = client.post(
        url("allocate", complaint), {"version": complaint.version, "handler": colleague.pk}
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler_id == colleague.pk


def test_a_manager_moving_a_case_must_say_why(client, manager, colleague, acknowledged):
    client.force_login(manager)
    form = {"version": acknowledged.version, "handler": colleague.pk}

    refused = client.post(url("allocate", acknowledged), form)

    assert refused.status_code == 400
    assert "Say why stage 1 is moving from Cara Handler to Colin Colleague" in page(refused)
    moved = client.post(url("allocate", acknowledged), {**form, "reason": "Cara is on leave"})
    assert moved.status_code == 302
    event = acknowledged.events.order_by("-id").first()
    assert (event.actor, event.summary) == (
        manager,
        "Stage 1 reallocated from Cara Handler to Colin Colleague: Cara is on leave",
    )


# --- Uploads: size cut-off and stored file permissions (ASVS V12) ---------------------------------


def test_an_upload_over_the_limit_is_cut_off_with_a_message_and_nothing_kept(
    signed_in, acknowledged, settings
):
    settings.PUTRIGHT_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (3 * 1024 * 1024)  # three times the limit

    response = signed_in.post(
        url("upload", acknowledged),
        {
            "version": acknowledged.version,
            "kind": "evidence",
            "uploaded_file": SimpleUploadedFile("survey.pdf", big),
        },
    )

    assert response.status_code == 400
    html = page(response)
    assert error_beside(html, "id_uploaded_file") == "The selected file must be 1 MB or smaller"
    assert checked_values(html, "kind") == ["evidence"]  # what was chosen before the file
    assert not Document.objects.filter(complaint=acknowledged).exists()
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []


def test_the_upload_handler_stops_at_the_chunk_that_crosses_the_limit(rf, settings):
    from django.core.files.uploadhandler import StopUpload

    from putright.core.uploads import LimitedUploadHandler, upload_too_large

    settings.PUTRIGHT_DOCUMENT_MAX_BYTES = 100
    request = rf.post("/")
    handler = LimitedUploadHandler(request)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    assert not upload_too_large(request)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert upload_too_large(request)


def test_stored_documents_are_readable_by_the_service_alone(signed_in, acknowledged, settings):
    signed_in.post(
        url("upload", acknowledged),
        {
            "version": acknowledged.version,
            "kind": "evidence",
            "uploaded_file": SimpleUploadedFile("survey.pdf", PDF),
        },
    )

    stored = Document.objects.get(complaint=acknowledged).file.path
    assert os.stat(stored).st_mode & 0o777 == 0o600
    assert os.stat(os.path.dirname(stored)).st_mode & 0o777 == 0o700

"""The case file (casework:case) and the steps it offers (casework.steps).

Cases are built through the real services with hand-worked dates (bank holidays of England:
none between 5 January and 27 February 2026), so the page shows what a handler would see.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import post_init
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from putright.casework import steps
from putright.casework.selectors.case_file import pounds
from putright.complaints import services
from putright.complaints.models import (
    Action,
    Channel,
    ClosureReason,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Document,
    DueKind,
    RemedyKind,
    Status,
)
from putright.organisation.models import BusinessArea, Category, ExclusionReason
from putright.people.models import Tenure
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import (
    AdjustmentFactory,
    DisabilityFactory,
    EqualityDataFactory,
    PropertyFactory,
    RepresentativeFactory,
    ResidentFactory,
    RestrictionFactory,
    StaffUserFactory,
    TenancyFactory,
)

D = dt.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2026, 2, 25)  # a Wednesday: "today" for every page in this module
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
POINTS = [
    ("Damp in the bedroom was reported in May and not treated.", "Treat the damp."),
    ("Nobody called back after three calls.", "An apology."),
    ("The contractor left the window broken.", "Repair the window."),
]
DECISIONS = {
    1: ("upheld", "The damp was reported on 6 May and not treated."),
    2: ("partly_upheld", "Two of the three calls were returned late."),
    3: ("not_upheld", "The window was broken before the visit."),
}


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fixed_today(set_today):
    set_today(TODAY)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Hana Handler")


@pytest.fixture
def other_handler(db):
    return StaffUserFactory(role="Case handler", full_name="Otto Other")


@pytest.fixture
def manager(db):
    return StaffUserFactory(role="Complaints manager", full_name="Mo Manager")


@pytest.fixture
def board_member(db):
    return StaffUserFactory(role="Board member")


def log(officer, *, received_at=None, **kwargs):
    kwargs.setdefault("complainant", ResidentFactory())
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Nobody has fixed the damp in my bedroom since May.")
    return services.complaint_log(
        acting_user=officer, received_at=received_at or at(2026, 1, 5), **kwargs
    )


FIRST_RECORDS_ON = D(2026, 1, 9)


def add_record(complaint, user, *, notes=0, letters=0, documents=0, start=FIRST_RECORDS_ON):
    """Notes, correspondence and documents, each one history event too."""
    for n in range(notes):
        services.note_add(acting_user=user, complaint=complaint, text=f"Note {n}", on=start)
    for n in range(letters):
        services.correspondence_record(
            acting_user=user,
            complaint=complaint,
            direction=Correspondence.Direction.OUT if n % 2 else Correspondence.Direction.IN,
            channel=Correspondence.Channel.EMAIL,
            party=Correspondence.Party.RESIDENT,
            summary=f"Email {n} about the damp",
            stage_number=1,
            on=start,
        )
    for n in range(documents):
        services.document_upload(
            acting_user=user,
            complaint=complaint,
            uploaded_file=SimpleUploadedFile(f"photo-{n}.png", PNG),
            kind=Document.Kind.PHOTO,
            on=start,
        )


def build_full_case(handler, manager, *, is_confidential=False, notes=12, letters=8, documents=4):
    """A stage 1 complaint from logging to its response, with a bit of everything.

    Received Monday 5 January 2026: acknowledgement due Monday 12 January (5 working days).
    Acknowledged Thursday 8 January: response due Thursday 22 January (10 working days), and
    extensions may reach Thursday 5 February (10 more). Extended on 20 January to 29 January,
    drafted 26th, signed off 27th by the manager, issued 28 January: late for the Code, within
    the extension.
    """
    resident = ResidentFactory(first_name="Ruth", last_name="Resident")
    home = PropertyFactory(address_line_1="12 Elm Road", postcode="GW1 1AA")
    TenancyFactory(resident=resident, property=home, tenure=Tenure.LCRA_GENERAL_NEEDS)
    representative = RepresentativeFactory(
        resident=resident, name="Priya Advocate", authority_note="Signed form on file"
    )
    AdjustmentFactory(resident=resident, description="Letters in large print (16 point)")
    RestrictionFactory(
        resident=resident,
        restriction="Email to the named case officer only",
        starts_on=D(2025, 6, 16),
        next_review_on=D(2026, 6, 16),
    )
    DisabilityFactory(resident=resident, description="Hearing impairment")
    EqualityDataFactory(resident=resident)
    repairs = Category.objects.create(name="Test repairs")
    damp = Category.objects.create(name="Damp and mould", parent=repairs)
    area = BusinessArea.objects.create(name="Test property services")
    complaint = log(
        handler,
        complainant=resident,
        property=home,
        tenure_at_receipt=Tenure.LCRA_GENERAL_NEEDS,
        category=repairs,
        sub_category=damp,
        business_area=area,
        representative=representative,
        service_request_reference="SR-77812",
        is_vulnerable=True,
        is_confidential=is_confidential,
        handler=handler,
        issue_date=D(2024, 5, 6),
        aware_date=D(2024, 11, 1),
        discretion_note="The resident was in hospital for most of 2025.",
    )
    acknowledge(
        acting_user=handler,
        complaint=complaint,
        on=D(2026, 1, 8),
        points=POINTS,
        not_responsible_for="The neighbour's extractor fan.",
        complexity="medium",
        risk="some",
    )
    add_record(complaint, handler, notes=notes, letters=letters, documents=documents)
    services.stage_extend(
        acting_user=handler,
        complaint=complaint,
        new_due=D(2026, 1, 29),
        reason="Waiting for the damp survey.",
        notice_on=D(2026, 1, 20),
        ombudsman_details_given=True,
    )
    services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        on=D(2026, 1, 26),
        decisions=DECISIONS,
        remedies=[
            {"kind": RemedyKind.APOLOGY, "description": "Apology for the delay"},
            {
                "kind": RemedyKind.COMPENSATION,
                "description": "For time and trouble",
                "amount_pence": 125050,
            },
        ],
        actions=[
            {
                "description": "Treat the damp in the bedroom",
                "owner": handler,
                "due_on": D(2026, 2, 20),
            },
            {"description": "Check the window frame", "owner": None, "due_on": D(2026, 3, 6)},
        ],
        root_causes=["delay", "communication"],
    )
    services.response_sign_off(
        acting_user=manager, complaint=complaint, on=D(2026, 1, 27), note="Clear letter."
    )
    respond(acting_user=handler, complaint=complaint, on=D(2026, 1, 28))
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def full_case(media, handler, manager):
    return build_full_case(handler, manager)


def page(client, user, complaint, query=""):
    client.force_login(user)
    return client.get(f"/cases/{complaint.reference}/{query}")


def text_of(response) -> str:
    html = response.content.decode()
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# --- steps.py ------------------------------------------------------------------------------------


def _page(request, **kwargs):
    return HttpResponse("step")


_STEP_URLS = [
    *(path(f"<str:reference>/{step.url_name}/", _page, name=step.url_name) for step in steps.STEPS),
    path("<str:reference>/refusals/<int:pk>/reverse/", _page, name="reverse-refusal"),
    path("<str:reference>/actions/<int:pk>/complete/", _page, name="complete-action"),
    path("<str:reference>/documents/<int:pk>/", _page, name="document"),
]


def _urls_with_every_step():
    from putright.casework.views import case_file as case_file_views

    return [
        path("", include("putright.accounts.urls")),
        path("cases/", include(([*_STEP_URLS, *case_file_views.urlpatterns], "casework"))),
    ]


urlpatterns = _urls_with_every_step()  # for @pytest.mark.urls(__name__)


def complaint_in(status: str, **fields) -> Complaint:
    """An unsaved complaint in a state, for the step rules (which read no database)."""
    defaults = {
        "reference": "C-2026-00001",
        "status": status,
        "stage_number": 2 if status.startswith("stage2") else 1,
        "next_due_kind": "",
        "awaiting_sign_off": False,
        "closure_reason": "",
    }
    return Complaint(**{**defaults, **fields})


def names(user, complaint, **kwargs) -> list[str]:
    return [link["name"] for link in steps.available_steps(user, complaint, **kwargs)]


@pytest.mark.urls(__name__)
def test_a_received_complaint_offers_acknowledgement_and_refusal(handler):
    complaint = complaint_in(Status.RECEIVED, next_due_kind=DueKind.ACKNOWLEDGEMENT)

    assert names(handler, complaint) == [
        "acknowledge",
        "add-point",
        "allocate",
        "not-accept",
        "mark-duplicate",
        "withdraw",
        "write-letter",
        "record-contact",
        "upload",
        "add-note",
    ]


@pytest.mark.urls(__name__)
def test_an_acknowledged_stage_offers_the_response_steps(handler):
    complaint = complaint_in(Status.STAGE1_OPEN, next_due_kind=DueKind.RESPONSE)

    assert names(handler, complaint)[:5] == [
        "draft-response",
        "issue-response",
        "extend",
        "update-interval",
        "add-point",
    ]
    assert "acknowledge" not in names(handler, complaint)
    # A handler may take a complaint on (the allocate page offers only themselves).
    assert "allocate" in names(handler, complaint)


@pytest.mark.urls(__name__)
def test_a_manager_may_allocate_and_check_a_draft_someone_else_handles(handler, manager):
    complaint = complaint_in(
        Status.STAGE1_OPEN,
        next_due_kind=DueKind.RESPONSE,
        awaiting_sign_off=True,
        handler=handler,
    )

    offered = names(manager, complaint)
    assert {"allocate", "sign-off", "return-draft"} <= set(offered)
    assert "draft-response" not in offered  # a draft waits for its check
    assert "sign-off" not in names(handler, complaint)  # no sign-off permission, and own case
    manager_handles = complaint_in(
        Status.STAGE1_OPEN, next_due_kind=DueKind.RESPONSE, awaiting_sign_off=True, handler=manager
    )
    assert "sign-off" not in names(manager, manager_handles)


@pytest.mark.urls(__name__)
def test_escalation_is_offered_after_stage_1_and_after_closing_unescalated(handler):
    responded = complaint_in(Status.STAGE1_RESPONDED)
    closed_late = complaint_in(Status.CLOSED, closure_reason=ClosureReason.NOT_ESCALATED)
    duplicate = complaint_in(Status.CLOSED, closure_reason=ClosureReason.DUPLICATE)

    assert {"escalate", "refuse-escalation", "close", "mark-duplicate"} <= set(
        names(handler, responded)
    )
    assert {"escalate", "refuse-escalation"} <= set(names(handler, closed_late))
    assert "close" not in names(handler, closed_late)
    assert names(handler, duplicate) == ["write-letter", "record-contact", "upload", "add-note"]


@pytest.mark.urls(__name__)
def test_a_stage_2_complaint_awaiting_acknowledgement(handler):
    complaint = complaint_in(Status.STAGE2_OPEN, next_due_kind=DueKind.ACKNOWLEDGEMENT)

    offered = names(handler, complaint)
    assert offered[0] == "acknowledge"
    assert "escalate" not in offered and "not-accept" not in offered


@pytest.mark.urls(__name__)
def test_a_refusal_is_reversed_only_by_those_allowed(handler, manager):
    complaint = complaint_in(Status.NOT_ACCEPTED)

    assert "reverse-refusal" not in names(handler, complaint, standing_refusal_id=7)
    links = steps.available_steps(manager, complaint, standing_refusal_id=7)
    assert links[-1] == {
        "text": "Reverse the refusal",
        "href": "/cases/C-2026-00001/refusals/7/reverse/",
        "name": "reverse-refusal",
    }


@pytest.mark.urls(__name__)
def test_board_members_are_offered_nothing(board_member):
    for status in Status.values:
        assert names(board_member, complaint_in(status, next_due_kind="response")) == []


class OnlyTheCaseFile:
    """A URL configuration (any hashable object with ``urlpatterns`` will do) without steps."""

    from putright.casework.views import case_file as _views

    urlpatterns = [path("cases/", include((_views.urlpatterns, "casework")))]


def test_steps_whose_pages_are_not_registered_are_left_out(handler, settings):
    settings.ROOT_URLCONF = OnlyTheCaseFile
    complaint = complaint_in(Status.RECEIVED, next_due_kind=DueKind.ACKNOWLEDGEMENT)

    assert steps.available_steps(handler, complaint) == []
    assert steps.url_or_none("acknowledge", reference="C-2026-00001") is None


def test_every_step_names_a_url_in_the_brief():
    brief = {
        "not-accept", "acknowledge", "allocate", "extend", "add-point", "record-contact",
        "upload", "add-note", "update-interval", "mark-duplicate", "draft-response", "sign-off",
        "return-draft", "issue-response", "escalate", "withdraw", "close", "refuse-escalation",
        "write-letter",
    }  # fmt: skip
    assert {step.url_name for step in steps.STEPS} == brief
    for step in steps.STEPS:
        permissions = (step.permission,) if isinstance(step.permission, str) else step.permission
        assert all(p.startswith("complaints.") for p in permissions)


def test_pounds_are_worked_out_from_pence_without_floats():
    assert pounds(125050) == "£1,250.50"
    assert pounds(5) == "£0.05"
    assert pounds(0) == "£0.00"
    assert pounds(None) == ""


# --- the page ------------------------------------------------------------------------------------


def test_the_case_file_shows_the_summary_and_the_complainant(client, full_case, handler):
    response = page(client, handler, full_case)

    assert response.status_code == 200
    text = text_of(response)
    assert f"Complaint {full_case.reference}" in text
    assert "Ruth Resident" in text
    for expected in (
        "Test repairs: Damp and mould",
        "Test property services",
        "SR-77812",
        "12 Elm Road",
        "LCRA general needs",
        "5 January 2026 at 10:00am by phone",
        "accepted at the landlord’s discretion: The resident was in hospital for most of 2025.",
        "Priya Advocate (family member)",
        "Authority: written authority, received 6 January 2025. Signed form on file",
        "Outside time limit",
        "Vulnerable",
    ):
        assert expected in text, expected


def test_restrictions_and_adjustments_are_shown_first(client, full_case, handler):
    html = page(client, handler, full_case).content.decode()

    warning = html.index("govuk-warning-text")
    assert "Contact restricted: Email to the named case officer only" in html
    assert html.index("Reasonable adjustments agreed") < html.index(">Summary</h2>")
    assert warning < html.index(">Summary</h2>")
    assert "Format: Letters in large print" not in html  # label, not the raw category
    assert "Written information in another format: Letters in large print (16 point)" in html


def test_special_category_data_only_for_those_allowed(client, full_case, handler, manager):
    as_handler = text_of(page(client, handler, full_case))
    as_manager = text_of(page(client, manager, full_case))

    assert "Hearing impairment" not in as_handler
    assert "Disclosed disabilities" not in as_handler
    assert "Ethnicity" not in as_handler
    assert "Hearing impairment" in as_manager
    assert "Ethnicity: White" in as_manager


def test_the_stage_shows_its_definition_decisions_remedies_and_actions(client, full_case, handler):
    text = text_of(page(client, handler, full_case))

    assert "Damp in the bedroom was reported in May and not treated." in text
    assert "Outcome sought Treat the damp." in text
    assert "Upheld The damp was reported on 6 May and not treated." in text
    assert "Not upheld The window was broken before the visit." in text
    assert "The neighbour's extractor fan." in text or "The neighbour&#x27;s" in text
    assert "Outcome Partly upheld" in text
    assert "Root causes Delay, Communication" in text
    assert "Financial remedy For time and trouble £1,250.50" in text
    assert "Total financial remedy £1,250.50" in text
    assert "Treat the damp in the bedroom Hana Handler 20 Feb 2026 Overdue" in text
    assert "Check the window frame No owner 6 Mar 2026 Open" in text
    assert "Signed off by Mo Manager on 27 January 2026: Clear letter." in text
    assert "Drafted by Hana Handler on 26 January 2026" in text


def test_deadlines_and_extensions_are_shown_per_stage(client, full_case, handler):
    text = text_of(page(client, handler, full_case))

    assert "Due 12 January 2026 Acknowledged 8 January 2026 Within the Code" in text
    assert (
        "Due 22 January 2026 Extended to 29 January 2026 Extensions may reach 5 February 2026 "
        "Responded 28 January 2026 Within the extension"
    ) in text
    assert "20 Jan 2026 Ombudsman’s details given 22 Jan 2026 29 Jan 2026 Waiting for the damp" in (
        text
    )


def test_after_the_stage_1_response_what_is_next_is_the_escalation_window(
    client, full_case, handler
):
    text = text_of(page(client, handler, full_case))

    # 20 working days after 28 January 2026 is 25 February 2026: today, the last day.
    assert "Escalation window ends Wednesday 25 February 2026 Last day today" in text
    assert "can ask for stage 2 until then" in text


def test_an_escalation_window_that_has_passed_has_ended(client, full_case, handler, set_today):
    set_today(D(2026, 2, 26))

    text = text_of(page(client, handler, full_case))

    assert "Escalation window ends Wednesday 25 February 2026 Ended" in text


def test_an_open_stage_shows_its_next_deadline_and_working_days_left(client, media, handler):
    complaint = log(handler, received_at=at(2026, 2, 20), handler=handler)  # a Friday

    text = text_of(page(client, handler, complaint))

    # Acknowledgement due 5 working days after Friday 20 February: Friday 27 February;
    # from Wednesday 25 February that leaves 2 working days.
    assert "Stage 1 acknowledgement due Friday 27 February 2026 2 working days left" in text


def test_a_point_added_before_acknowledgement_and_a_note_are_shown(client, media, handler):
    complaint = log(handler, received_at=at(2026, 2, 20), handler=handler)
    services.stage_point_add(
        acting_user=handler,
        complaint=complaint,
        summary="The lift has been broken for a month",
        outcome_sought="Repair the lift",
        on=D(2026, 2, 23),
    )
    services.note_add(acting_user=handler, complaint=complaint, text="Called the caretaker.")

    text = text_of(page(client, handler, complaint))

    assert "The lift has been broken for a month" in text
    assert "Called the caretaker." in text


def test_an_overdue_response_with_an_extension_says_so(client, media, handler):
    complaint = log(handler, received_at=at(2026, 1, 5), handler=handler)
    acknowledge(acting_user=handler, complaint=complaint, on=D(2026, 1, 8))
    services.stage_extend(
        acting_user=handler,
        complaint=complaint,
        new_due=D(2026, 2, 5),
        reason="Survey",
        notice_on=D(2026, 1, 20),
        ombudsman_details_given=True,
    )

    text = text_of(page(client, handler, complaint))

    # Due 5 February (extended from 22 January); 25 February is 14 working days later.
    assert "Stage 1 response due Thursday 5 February 2026 Overdue by 14 working days" in text
    assert "Extended from 22 January 2026" in text
    assert "Extensions may reach 5 February 2026 at the latest" in text


def test_the_timeline_interleaves_records_newest_first(client, full_case, handler):
    html = page(client, handler, full_case).content.decode()
    titles = re.findall(r'<h3 class="moj-timeline__title">(.*?)</h3>', html)

    assert titles[0] == "Stage responded"
    assert titles[-1] == "Complaint logged"
    assert titles.count("Note") == 12
    assert titles.count("Email from resident") == 4
    assert titles.count("Email to resident") == 4
    assert titles.count("Photo uploaded") == 4
    assert "Note added" not in titles  # the note itself stands in for its event
    assert titles.index("Response signed off") < titles.index("Response date extended")


@pytest.mark.parametrize(
    ("show", "title", "count"),
    [
        ("notes", "Note", 12),
        ("correspondence", "Email from resident", 4),
        ("documents", "Photo uploaded", 4),
        ("history", "Note added", 12),
    ],
)
def test_the_timeline_filters_by_kind(client, full_case, handler, show, title, count):
    html = page(client, handler, full_case, f"?show={show}").content.decode()
    titles = re.findall(r'<h3 class="moj-timeline__title">(.*?)</h3>', html)

    assert titles.count(title) == count
    kinds = {"Note", "Email from resident", "Photo uploaded", "Complaint logged"}
    expected = {"notes": "Note", "correspondence": "Email from resident"}.get(show)
    if expected:
        assert set(titles) & kinds == {expected}
    assert f'href="/cases/{full_case.reference}/?show={show}#timeline" aria-current="page"' in html


def test_an_unknown_filter_shows_everything(client, full_case, handler):
    html = page(client, handler, full_case, "?show=<script>").content.decode()

    assert f'href="/cases/{full_case.reference}/#timeline" aria-current="page"' in html
    assert "<script>" not in re.search(r"<main.*</main>", html, re.S).group(0)


def test_linked_records(client, media, handler, manager):
    resident = ResidentFactory(first_name="Lin", last_name="Linked")
    neighbour = ResidentFactory(first_name="Nia", last_name="Neighbour")
    first = log(handler, complainant=resident, received_at=at(2026, 1, 5))
    second = log(
        handler, complainant=resident, received_at=at(2026, 1, 6), other_complainants=[neighbour]
    )
    secret = log(handler, complainant=resident, received_at=at(2026, 1, 7), is_confidential=True)
    services.complaint_mark_duplicate(
        acting_user=handler, complaint=second, original=first, note="Same leak", on=D(2026, 1, 7)
    )

    as_handler = text_of(page(client, handler, second))
    assert f"Duplicate of {first.reference}" in as_handler
    assert "Complaining with Nia Neighbour" in as_handler
    assert first.reference in as_handler
    assert secret.reference not in as_handler  # confidential, not theirs
    assert f"Duplicates of this complaint {second.reference}" in text_of(
        page(client, handler, first)
    )
    assert secret.reference in text_of(page(client, manager, second))


def test_a_refusal_is_shown_with_its_reasons(client, media, handler, manager):
    complaint = log(handler, handler=handler)
    reason = ExclusionReason.objects.create(code="test-court", label="Test: in court")
    services.complaint_not_accept(
        acting_user=handler,
        complaint=complaint,
        reason=reason,
        explanation="The same leak is before the county court.",
        evidence="Claim form served 2 January 2026.",
        resident_told_on=D(2026, 1, 6),
        ombudsman_rights_given=True,
        on=D(2026, 1, 6),
    )

    text = text_of(page(client, handler, complaint))

    assert "Not accepted on 6 January 2026" in text
    assert "Test: in court The same leak is before the county court." in text
    assert "6 January 2026, with their right to go to the Housing Ombudsman" in text
    assert "No Code deadline is running: the complaint is not accepted." in text


# --- who may see it ------------------------------------------------------------------------------


def test_board_members_may_not_open_case_files(client, full_case, board_member):
    assert page(client, board_member, full_case).status_code == 403


def test_an_unknown_reference_is_not_found(client, handler):
    client.force_login(handler)
    assert client.get("/cases/C-2026-99999/").status_code == 404


def test_a_confidential_case_is_not_found_for_other_handlers(
    client, media, handler, other_handler, manager
):
    complaint = log(handler, handler=handler, is_confidential=True)

    assert page(client, other_handler, complaint).status_code == 404
    assert page(client, handler, complaint).status_code == 200
    assert page(client, manager, complaint).status_code == 200


@pytest.mark.skipif(
    getattr(services, "complaint_viewed", None) is None,
    reason="services.complaint_viewed is not in the engine yet (the integrator adds it)",
)
def test_opening_a_confidential_case_is_recorded(client, media, handler, manager):
    complaint = log(handler, handler=handler, is_confidential=True)
    ordinary = log(handler, handler=handler)
    version = Complaint.objects.get(pk=complaint.pk).version

    page(client, manager, complaint)
    page(client, handler, ordinary)

    viewed = ComplaintEvent.objects.filter(action=ComplaintEvent.Action.VIEWED)
    assert [(e.complaint_id, e.actor_id) for e in viewed] == [(complaint.pk, manager.pk)]
    assert Complaint.objects.get(pk=complaint.pk).version == version  # a read changes nothing
    history = text_of(page(client, manager, complaint, "?show=history"))
    assert "Confidential case viewed" in history


def test_opening_a_case_reads_no_more_for_every_earlier_opening(client, media, handler, manager):
    complaint = log(handler, handler=handler, is_confidential=True)
    built: list[ComplaintEvent] = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    def events_read_opening_it() -> int:
        built.clear()
        post_init.connect(count, sender=ComplaintEvent)
        try:
            page(client, manager, complaint)
        finally:
            post_init.disconnect(count, sender=ComplaintEvent)
        return len([event for event in built if event.pk is not None])

    first = events_read_opening_it()
    for _ in range(5):
        page(client, manager, complaint)

    assert events_read_opening_it() == first
    assert ComplaintEvent.objects.filter(action=ComplaintEvent.Action.VIEWED).count() == 7


def test_a_confidential_case_that_is_not_viewed_records_nothing(
    client, media, handler, other_handler
):
    complaint = log(handler, handler=handler, is_confidential=True)

    page(client, other_handler, complaint)

    assert not ComplaintEvent.objects.filter(action=ComplaintEvent.Action.VIEWED).exists()


# --- the action menu -----------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_the_action_menu_offers_the_steps_for_the_status(client, media, handler):
    complaint = log(handler, handler=handler)

    html = page(client, handler, complaint).content.decode()

    menu = re.search(r'<div class="moj-button-menu".*?</div>', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</a>", menu) == [
        "Acknowledge and define",
        "Add a point of complaint",
        # No "Allocate": a handler cannot hand their case on; a complaints manager does.
        "Do not accept",
        "Mark as a duplicate",
        "Record a withdrawal",
        "Write a letter",
        "Record a contact",
        "Upload a document",
        "Add a note",
    ]
    assert f'href="/cases/{complaint.reference}/acknowledge/"' in menu


@pytest.mark.urls(__name__)
def test_on_a_colleagues_case_a_handler_is_offered_only_the_record_keeping(
    client, media, handler, other_handler
):
    complaint = log(handler, handler=handler)

    html = page(client, other_handler, complaint).content.decode()

    menu = re.search(r'<div class="moj-button-menu".*?</div>', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</a>", menu) == [
        "Record a contact",
        "Upload a document",
        "Add a note",
    ]


@pytest.mark.urls(__name__)
def test_open_actions_link_to_completing_them(client, full_case, handler):
    html = page(client, handler, full_case).content.decode()
    open_ids = Action.objects.filter(complaint=full_case).values_list("pk", flat=True)

    for pk in open_ids:
        assert f'href="/cases/{full_case.reference}/actions/{pk}/complete/"' in html
    assert f'href="/cases/{full_case.reference}/documents/' in html


# --- speed ---------------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("show", ["", "?show=history", "?show=notes"])
def test_the_page_runs_a_fixed_number_of_queries(
    client, full_case, handler, manager, django_assert_max_num_queries, show
):
    client.force_login(manager)
    url = f"/cases/{full_case.reference}/{show}"
    assert full_case.events.count() >= 30
    # One record of each kind first: a kind the case has none of is not read at all.
    add_record(full_case, handler, notes=1, letters=1, documents=1)
    first = log(handler, complainant=full_case.complainant, received_at=at(2026, 1, 9))
    services.complaint_mark_duplicate(
        acting_user=handler, complaint=first, original=full_case, note="Again", on=D(2026, 2, 2)
    )
    client.get(url)  # warm the per-process caches (calendar)
    before = count_queries(client, url)

    add_record(full_case, handler, notes=15, letters=10, documents=5)
    extra = log(handler, complainant=full_case.complainant, received_at=at(2026, 1, 12))
    services.complaint_mark_duplicate(
        acting_user=handler, complaint=extra, original=full_case, note="Again", on=D(2026, 2, 2)
    )

    assert count_queries(client, url) == before
    # The case page also reads the complaint's lessons, Ombudsman cases and contacts (one query
    # each) and its actions' compensation and teams: a fixed budget, whatever the record holds.
    with django_assert_max_num_queries(32):
        client.get(url)


def test_timeline_text_is_escaped_once(client, media, handler):
    complaint = log(handler, handler=handler)
    services.note_add(
        acting_user=handler,
        complaint=complaint,
        text="Rang <b>twice</b>\nNo answer",
        on=D(2026, 1, 6),
    )

    html = page(client, handler, complaint, "?show=notes").content.decode()

    assert "<p>Rang &lt;b&gt;twice&lt;/b&gt;<br>No answer</p>" in html


def test_a_breached_case_says_what_was_missed(client, handler):
    # Received Mon 5 Jan 2026, acknowledgement due Mon 12 Jan; acknowledged Wed 14 Jan: late.
    complaint = log(handler, handler=handler)
    acknowledge(acting_user=handler, complaint=complaint, on=D(2026, 1, 14))

    html = page(client, handler, complaint).content.decode()

    assert "Code timescale missed" in html
    assert re.search(r'id="missed-timescales">Stage 1 acknowledged late<', html)


def test_the_summary_totals_the_compensation_offered(client, full_case, handler):
    html = page(client, handler, full_case).content.decode()

    assert re.search(r'id="compensation-total">£1,250.50 across all stages<', html)


def test_a_case_with_no_financial_remedy_shows_no_total(client, handler):
    complaint = log(handler, handler=handler)

    assert "compensation-total" not in page(client, handler, complaint).content.decode()

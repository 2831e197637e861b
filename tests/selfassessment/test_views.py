"""The self-assessment's screens through Django's test client: who may open each page, the
five-column assessment page with what changed since the last one, forms that keep what was typed,
a conflict on a stale version, the register of exceptional circumstances and its notice on the
public reports page, and each page's query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.selfassessment import services
from putright.selfassessment.models import Answer, ExceptionalCircumstance, SelfAssessment
from tests.selfassessment.conftest import annual, answer

pytestmark = pytest.mark.django_db
D = dt.date
LIST = "/self-assessments/"
CIRCUMSTANCES = "/self-assessments/exceptional-circumstances/"
PUBLIC = "/published-reports/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def answer_url(assessment: SelfAssessment, provision: str) -> str:
    return reverse("selfassessment:answer", args=[assessment.pk, provision])


def assessment_url(assessment: SelfAssessment) -> str:
    return reverse("selfassessment:assessment", args=[assessment.pk])


def date_fields(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@pytest.fixture
def two_years(manager, today):
    """2024-25 answered in part, and 2025-26 carried from it with some answers changed."""
    last_year = annual(manager, 2024)
    answer(manager, last_year, "1.2", evidence="Policy section 2.")
    answer(manager, last_year, "1.3", evidence="Policy section 3.")
    this_year = annual(manager, 2025)
    answer(manager, this_year, "1.3", evidence="Policy section 3, as revised in 2025.")
    answer(
        manager,
        this_year,
        "5.10",
        comply="no",
        evidence="Adjustments are noted on paper files.",
        action="Record adjustments in the housing system.",
        action_due_on=D(2026, 6, 30),
    )
    return last_year, this_year


@pytest.fixture
def cyber(manager, today) -> ExceptionalCircumstance:
    return services.circumstance_record(
        acting_user=manager,
        title="Cyber incident",
        what_happened="Our housing system was taken offline by a cyber attack.",
        provisions=["6.2", "6.3"],
        started_on=D(2026, 2, 2),
        expected_return_on=D(2026, 3, 16),
        ombudsman_informed_on=D(2026, 2, 3),
        public_notice="Our computer systems are down, so replies to complaints will be late.",
    )


# Who may open what -------------------------------------------------------------------------------


def test_the_list_lives_at_self_assessments():
    assert reverse("selfassessment:list") == LIST
    assert reverse("selfassessment:circumstances") == CIRCUMSTANCES


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


def test_each_role_gets_the_pages_it_needs_and_no_more(
    client, manager, board, reviewer, handler, two_years, cyber
):
    _, this_year = two_years
    pages = {
        LIST: {"manager": 200, "board": 200, "reviewer": 200, "handler": 403},
        "/self-assessments/new/": {"manager": 200, "board": 403, "reviewer": 403, "handler": 403},
        assessment_url(this_year): {"manager": 200, "board": 200, "reviewer": 200, "handler": 403},
        answer_url(this_year, "6.15"): {
            "manager": 200,
            "board": 403,
            "reviewer": 403,
            "handler": 403,
        },
        CIRCUMSTANCES: {"manager": 200, "board": 403, "reviewer": 403, "handler": 403},
        f"{CIRCUMSTANCES}new/": {"manager": 200, "board": 403, "reviewer": 403, "handler": 403},
        f"{CIRCUMSTANCES}{cyber.pk}/": {
            "manager": 200,
            "board": 403,
            "reviewer": 403,
            "handler": 403,
        },
        f"{CIRCUMSTANCES}{cyber.pk}/change/": {
            "manager": 200,
            "board": 403,
            "reviewer": 403,
            "handler": 403,
        },
    }
    people = {"manager": manager, "board": board, "reviewer": reviewer, "handler": handler}
    for url, expected in pages.items():
        got = {}
        for role, person in people.items():
            client.force_login(person)
            got[role] = client.get(url).status_code
        assert got == expected, url


def test_readers_get_no_buttons_to_change_anything(client, board, two_years):
    _, this_year = two_years
    client.force_login(board)
    assert "Start a self-assessment" not in text(client.get(LIST))
    page = client.get(assessment_url(this_year)).content.decode()
    assert answer_url(this_year, "1.2") not in page
    assert "Exceptional circumstances" not in page  # the register is the manager's


def test_posting_as_a_reader_is_refused(client, board, two_years):
    _, this_year = two_years
    client.force_login(board)
    response = client.post(answer_url(this_year, "1.2"), {"version": "1", "comply": "no"})
    assert response.status_code == 403
    assert Answer.objects.get(assessment=this_year, provision="1.2").comply == "yes"


def test_the_navigation_leads_managers_board_and_reviewers_here(
    client, manager, board, reviewer, handler
):
    for person in (board, reviewer):
        client.force_login(person)
        assert f'href="{LIST}"' in client.get("/").content.decode()
    for person in (manager, board):
        client.force_login(person)
        assert f'href="{LIST}"' in client.get(reverse("reporting:index")).content.decode()
    client.force_login(handler)
    assert f'href="{LIST}"' not in client.get("/").content.decode()


def test_an_unknown_assessment_or_provision_is_not_found(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    assert client.get(reverse("selfassessment:assessment", args=[9999])).status_code == 404
    assert client.get(answer_url(this_year, "6.21")).status_code == 404
    assert client.get(f"{CIRCUMSTANCES}9999/").status_code == 404


# The list and starting -------------------------------------------------------------------------


def test_the_list_counts_each_assessments_answers(client, manager, two_years):
    client.force_login(manager)
    page = text(client.get(LIST))
    # 2025-26: 1.2 and 1.3 carried as yes, 5.10 no, 69 not answered.
    assert "Self-assessment 2025-26 Annual self-assessment Draft 2 1 69" in page
    assert "Self-assessment 2024-25 Annual self-assessment Draft 2 0 70" in page


def test_starting_an_annual_assessment(client, manager, today):
    client.force_login(manager)
    form = client.get("/self-assessments/new/").content.decode()
    assert '<option value="2025" selected>2025-26</option>' in form
    assert '<option value="2024">2024-25</option>' in form and '"2023"' not in form

    response = client.post(
        "/self-assessments/new/",
        {"trigger": "annual", "reporting_year": "2025", **date_fields("as_at", None)},
    )

    assessment = SelfAssessment.objects.get()
    assert response.status_code == 302 and response.url == assessment_url(assessment)
    assert assessment.reporting_year == 2025 and assessment.prepared_by == manager
    assert '"2025"' not in client.get("/self-assessments/new/").content.decode()


def test_a_start_form_with_problems_keeps_what_was_typed(client, manager, today):
    client.force_login(manager)
    response = client.post(
        "/self-assessments/new/",
        {"trigger": "restructure", "reporting_year": "", **date_fields("as_at", D(2026, 1, 5))},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Say what changed: the restructure, merger or change of procedure" in page
    assert 'name="as_at_day" type="text" inputmode="numeric" value="5"' in page
    assert 'value="restructure" checked' in page
    assert not SelfAssessment.objects.exists()


def test_starting_after_an_investigation_links_the_case(client, manager, today, ombudsman_case):
    client.force_login(manager)
    response = client.post(
        "/self-assessments/new/",
        {
            "trigger": "ombudsman",
            "ombudsman_case": str(ombudsman_case.pk),
            **date_fields("as_at", today),
        },
    )
    assessment = SelfAssessment.objects.get()
    assert response.status_code == 302 and assessment.ombudsman_case == ombudsman_case
    page = client.get(assessment_url(assessment)).content.decode()
    assert f'href="{reverse("ombudsman:case", args=[ombudsman_case.pk])}"' in page


# The assessment page ---------------------------------------------------------------------------


def test_the_assessment_page_has_the_five_columns_by_section(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    response = client.get(assessment_url(this_year))
    page = text(response)

    assert response.status_code == 200
    assert (
        page.count("Code provision Code requirement Comply Evidence Commentary or explanation")
        == 10
    )  # nine sections, section 6 in its two stages
    assert "Section 6: Complaints stages" in page and "Stage 1" in page and "Stage 2" in page
    assert "72 provisions: 2 yes, 1 no, 69 not answered yet; 2 changed since" in page
    assert "Action: Record adjustments in the housing system. By: 30 June 2026" in page
    assert page.index("6.9") < page.index("6.10")  # the Code's order, not the alphabet's
    html = response.content.decode()
    for number in ("1.2", "6.15", "9.8"):
        assert f'id="provision-{number.replace(".", "-")}"' in html
        assert answer_url(this_year, number) in html


def test_the_assessment_page_highlights_what_changed_since_the_last(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    html = client.get(assessment_url(this_year)).content.decode()

    def row(number: str) -> str:
        start = html.index(f'id="provision-{number.replace(".", "-")}"')
        return text_of(html[start : html.index("</tr>", start)])

    assert "Changed since the last self-assessment: evidence" in row("1.3")
    assert "Changed since the last self-assessment: comply, evidence, action and date" in row(
        "5.10"
    )
    assert "Changed" not in row("1.2") and "Changed" not in row("6.1")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Answering a provision -------------------------------------------------------------------------


def test_answering_a_provision(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    form = client.get(answer_url(this_year, "6.15")).content.decode()
    assert "Provision 6.15" in form and "20 working days" in form
    assert "How Self-assessment 2024-25 answered it" in form

    response = client.post(
        answer_url(this_year, "6.15"),
        {
            "version": "1",
            "comply": "yes",
            "evidence": "Extension letters since April.",
            "commentary": "",
            "action": "",
            **date_fields("action_due_on", None),
        },
    )

    assert response.status_code == 302
    assert response.url == f"{assessment_url(this_year)}#provision-6-15"
    saved = Answer.objects.get(assessment=this_year, provision="6.15")
    assert (saved.comply, saved.evidence, saved.version) == (
        "yes",
        "Extension letters since April.",
        2,
    )


def test_no_without_an_action_keeps_what_was_typed(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    response = client.post(
        answer_url(this_year, "6.2"),
        {
            "version": "1",
            "comply": "no",
            "evidence": "Only 81% acknowledged in time.",
            "commentary": "Staff shortage in the summer.",
            "action": "",
            **date_fields("action_due_on", None),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Say what you will do to comply with 6.2" in page
    assert "Enter the date by which you will comply with 6.2" in page
    assert "Only 81% acknowledged in time." in page and "Staff shortage in the summer." in page
    assert 'value="no" checked' in page
    assert Answer.objects.get(assessment=this_year, provision="6.2").comply == ""


def test_an_impossible_date_is_kept_as_typed(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    response = client.post(
        answer_url(this_year, "6.2"),
        {
            "version": "1",
            "comply": "no",
            "evidence": "",
            "commentary": "",
            "action": "Recruit two officers.",
            "action_due_on_day": "31",
            "action_due_on_month": "2",
            "action_due_on_year": "2026",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Date by which you will comply must be a real date" in page
    assert 'value="31"' in page and "Recruit two officers." in page


def test_a_stale_answer_is_a_conflict_that_keeps_both(client, manager, two_years):
    _, this_year = two_years
    client.force_login(manager)
    answer(manager, this_year, "6.2", evidence="Saved by a colleague.")  # version 1 -> 2

    response = client.post(
        answer_url(this_year, "6.2"),
        {
            "version": "1",
            "comply": "yes",
            "evidence": "Typed by me.",
            "commentary": "",
            "action": "",
            **date_fields("action_due_on", None),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else saved the answer to 6.2 while you were working on it" in page
    assert "What is saved now" in page and "Saved by a colleague." in page
    assert "Typed by me." in page
    assert 'name="version" value="2"' in page  # saving again is a knowing choice
    assert Answer.objects.get(assessment=this_year, provision="6.2").evidence == (
        "Saved by a colleague."
    )


# Exceptional circumstances ---------------------------------------------------------------------


def circumstance_form(**overrides) -> dict[str, str]:
    data = {
        "title": "Office flood",
        "what_happened": "The complaints team's office flooded; post cannot be opened.",
        "provisions": ["6.2", "6.11"],
        **date_fields("started_on", D(2026, 2, 9)),
        **date_fields("residents_informed_on", None),
        **date_fields("ombudsman_informed_on", None),
        **date_fields("expected_return_on", D(2026, 2, 27)),
        **date_fields("ended_on", None),
        "public_notice": "Letters to us will be answered late until the end of February.",
    }
    data.update(overrides)
    return data


def test_recording_exceptional_circumstances_through_the_form(client, manager, today):
    client.force_login(manager)
    assert "6.11: Acknowledge, define and log a stage 2 request" in text(
        client.get(f"{CIRCUMSTANCES}new/")
    )

    response = client.post(f"{CIRCUMSTANCES}new/", circumstance_form())

    recorded = ExceptionalCircumstance.objects.get()
    assert response.status_code == 302 and response.url == f"{CIRCUMSTANCES}{recorded.pk}/"
    assert recorded.provisions == ["6.2", "6.11"] and recorded.recorded_by == manager
    page = text(client.get(response.url))
    assert "Running: notice published" in page and "6.11" in page
    assert "Exceptional circumstances recorded by Morgan Manager" in page


def test_a_circumstances_form_with_problems_keeps_what_was_typed(client, manager, today):
    client.force_login(manager)
    response = client.post(
        f"{CIRCUMSTANCES}new/",
        circumstance_form(
            provisions=[], **date_fields("expected_return_on", D(2026, 2, 1)), public_notice=""
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select provisions of the Code affected" in page
    assert "Enter notice for residents" in page
    assert 'value="Office flood"' in page and "post cannot be opened" in page
    assert not ExceptionalCircumstance.objects.exists()


def test_a_service_refusal_shows_beside_its_field(client, manager, today):
    client.force_login(manager)
    response = client.post(
        f"{CIRCUMSTANCES}new/",
        circumstance_form(**date_fields("expected_return_on", D(2026, 2, 1))),
    )
    assert response.status_code == 400
    assert (
        "The expected return to compliance cannot be before it started" in response.content.decode()
    )


def test_a_stale_change_to_circumstances_is_a_conflict(client, manager, cyber):
    client.force_login(manager)
    services.circumstance_update(
        acting_user=manager, circumstance=cyber, expected_version=1, title="Cyber attack"
    )
    response = client.post(
        f"{CIRCUMSTANCES}{cyber.pk}/change/",
        circumstance_form(version="1", title="Ransomware", provisions=["6.2", "6.3"]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "What is saved now" in page and "Cyber attack" in page and 'value="Ransomware"' in page
    assert 'name="version" value="2"' in page
    cyber.refresh_from_db()
    assert cyber.title == "Cyber attack"


def test_ending_circumstances_through_the_form(client, manager, cyber):
    client.force_login(manager)
    form = client.get(f"{CIRCUMSTANCES}{cyber.pk}/change/").content.decode()
    assert re.search(r'value="6\.2"[^>]*checked', form)
    assert re.search(r'value="6\.3"[^>]*checked', form)
    assert not re.search(r'value="6\.4"[^>]*checked', form)
    response = client.post(
        f"{CIRCUMSTANCES}{cyber.pk}/change/",
        circumstance_form(
            version="1",
            title="Cyber incident",
            provisions=["6.2", "6.3"],
            **date_fields("started_on", D(2026, 2, 2)),
            **date_fields("ended_on", D(2026, 2, 10)),
        ),
    )
    assert response.status_code == 302
    cyber.refresh_from_db()
    assert cyber.ended_on == D(2026, 2, 10) and cyber.version == 2


def test_the_public_reports_page_shows_the_notice_while_it_runs(client, manager, cyber, set_today):
    page = text(client.get(PUBLIC))
    assert "we cannot follow all of the Complaint Handling Code at the moment" in page
    assert "Our computer systems are down, so replies to complaints will be late." in page
    assert "This started on 2 February 2026. We expect to be following the Code again by " in page
    assert "We told the Housing Ombudsman on 3 February 2026." in page

    services.circumstance_update(
        acting_user=manager, circumstance=cyber, expected_version=1, ended_on=D(2026, 2, 10)
    )
    assert "cannot follow" not in text(client.get(PUBLIC))
    set_today(D(2026, 2, 9))
    assert "cannot follow" in text(client.get(PUBLIC))


def test_no_notice_when_nothing_is_running(client, today):
    assert "cannot follow" not in text(client.get(PUBLIC))


# Query counts ----------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_read_in_a_bounded_number_of_queries(client, manager, two_years, cyber):
    last_year, this_year = two_years
    client.force_login(manager)
    client.get(LIST)  # warm the session and permission caches

    list_with_two = queries(client, LIST)
    first, carried = (
        queries(client, assessment_url(last_year)),
        queries(client, assessment_url(this_year)),
    )
    answer_page = queries(client, answer_url(this_year, "5.10"))
    register = queries(client, CIRCUMSTANCES)
    public = queries(client, PUBLIC)

    services.assessment_start(
        acting_user=manager, trigger="procedure", as_at=D(2026, 2, 1), prompted_by="New policy."
    )
    services.circumstance_record(
        acting_user=manager,
        title="Second",
        what_happened="Another.",
        provisions=["6.3"],
        started_on=D(2026, 2, 5),
        expected_return_on=D(2026, 3, 1),
        public_notice="Another notice.",
    )
    assert queries(client, LIST) == list_with_two
    assert queries(client, CIRCUMSTANCES) == register
    assert queries(client, PUBLIC) == public
    # 72 provisions in a fixed number: the assessment, its answers, the earlier answers, history,
    # then the record's evidence (about 33 set-based counts for 30 provisions, whatever the number
    # of complaints: tests/selfassessment/test_evidence.py holds that part to its own count).
    assert carried <= first + 1
    assert carried <= 45, carried
    assert answer_page <= 11, answer_page
    assert list_with_two <= 8 and register <= 8

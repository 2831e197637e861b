"""Each role's home page shows its own work and figures (the data: tests/casework/test_workload.py,
whose complaints and hand-worked numbers these pages show on Wednesday 11 March 2026)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from putright.complaints import services
from putright.complaints.models import Channel
from tests.accounts.helpers import make_staff
from tests.casework.test_workload import LONDON, TODAY, build_team
from tests.complaints import helpers as flow
from tests.complaints.helpers import acknowledge
from tests.people.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_today(set_today):
    set_today(TODAY)


@pytest.fixture
def team():
    return build_team()


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    main = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
    return main


def text(html: str) -> str:
    # Unescaped, so a generated name such as O'Brien reads as it does on the screen.
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def table(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with this caption, as lists of cell texts."""
    for match in re.finditer(r"<table.*?</table>", html, re.S):
        found = match.group(0)
        if re.search(rf"<caption[^>]*>\s*{re.escape(caption)}\s*</caption>", found):
            body = found.split("<tbody", 1)[1]
            return [
                [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr.*?</tr>", body, re.S)
            ]
    raise AssertionError(f"no table captioned {caption!r}")


WAITING = "Responded at stage 1, waiting to see whether the resident escalates"


def test_the_case_handler_sees_their_cases_and_what_is_due(client, team):
    html = home(client, team.alex)
    c = team.c

    assert f"Your open cases 4 {WAITING} 5 Due today 1 Overdue 1" in text(html)
    assert table(html, "Overdue") == [
        [c[4].reference, c[4].complainant.full_name, "Stage 1 acknowledgement 10 Mar 2026",
         "Overdue by 1 working day"],
    ]  # fmt: skip
    assert [row[0] for row in table(html, "Due today")] == [c[1].reference]
    rows = table(html, "Your open cases, next deadline first")
    assert [(row[0], row[3]) for row in rows] == [
        (c[4].reference, "Overdue by 1 working day"),
        (c[1].reference, "Due today"),
        (c[2].reference, "1 working day left"),
        (c[3].reference, "3 working days left"),
    ]
    assert f'href="/cases/{c[4].reference}/"' in html


def test_a_handler_with_nothing_open_is_told_so(client, team):
    html = home(client, make_staff("Case handler"))

    assert f"Your open cases 0 {WAITING} 0 Due today 0 Overdue 0" in text(html)
    assert "You have no open cases." in html
    assert "<table" not in html


def test_the_quality_reviewer_sees_drafts_waiting_for_them(client, team):
    html = home(client, team.reviewer)

    assert "Drafts awaiting a quality check 1" in text(html)
    rows = table(html, "Drafts awaiting a quality check, next deadline first")
    assert [(row[0], row[2], row[3]) for row in rows] == [
        (team.c[6].reference, "Stage 1 response 11 Mar 2026", "Due today")
    ]
    assert team.c[15].reference not in html  # confidential, and not theirs


def test_a_reviewer_who_handles_cases_sees_them_too(client, team):
    assert "Cases you are handling" not in home(client, team.reviewer)
    services.complaint_allocate(
        acting_user=team.manager,
        complaint=team.c[2],
        handler=team.reviewer,
        on=TODAY,
        reason="Cover while the handler is away",
    )

    html = home(client, team.reviewer)

    assert "Cases you are handling" in html
    rows = table(html, "Your open cases, next deadline first")
    assert [row[0] for row in rows] == [team.c[2].reference]
    assert '<a class="govuk-link" href="/cases/queues/mine/">See all 1 of your cases</a>' in html


def test_the_complaints_manager_sees_team_workload_and_breaches(client, team):
    html = home(client, team.manager)

    assert table(html, "Team workload") == [
        ["Alex Able", "4", "2", "1"],
        ["Bea Busy", "4", "2", "1"],
        ["Cal Left", "1", "0", "0"],
        ["Mo Manager", "0", "0", "0"],
        ["Quinn Reviewer", "0", "0", "0"],
        ["Not allocated", "3", "1", "2"],
        ["Total", "12", "5", "4"],
    ]
    assert "by 13 March 2026" in html
    page = text(html)
    assert (
        "Breaches this month Late acknowledgements 1 Late responses 1 "
        "Open and past their deadline 3 All breaches 5"
    ) in page
    assert "between 1 March 2026 and 31 March 2026" in page


def test_the_board_member_sees_aggregate_figures_only(client, team):
    html = home(client, team.board)
    page = text(html)

    assert "Open complaints Stage 1 11 Stage 2 1 All open complaints 12" in page
    assert "Responses issued in March 2026 Stage 1 3 Stage 2 0 All responses 3" in page
    assert "Stage 1 responses within the Code timescale, 2025/26 60.0%" in page
    assert (
        "3 of 5 stage 1 responses issued from 1 April 2025 to 11 March 2026 were within the Code "
        "timescale or an agreed extension."
    ) in page
    for complaint in team.c.values():  # no case data at all
        assert complaint.reference not in html
        assert f"{complaint.complainant.first_name} {complaint.complainant.last_name}" not in html
    assert "Alex Able" not in html and "/cases/" not in html


def test_a_board_member_in_an_empty_year(client):
    page = text(home(client, make_staff("Board member")))

    assert "No stage 1 responses have been issued since 1 April 2025." in page


def test_someone_with_two_roles_sees_both_sections(client, team):
    team.alex.groups.add(*team.reviewer.groups.all())

    page = text(home(client, team.alex))

    assert "Your open cases 4" in page
    assert "Drafts awaiting a quality check 1" in page


# --- links to the queues, once they exist --------------------------------------------------------


def _page(request, **kwargs):
    return HttpResponse("queue")


# URLs with the queues and logging pages registered (used as ROOT_URLCONF = __name__).
urlpatterns = [
    path("", include("putright.accounts.urls")),
    path(
        "cases/",
        include(
            (
                [
                    path("", _page, name="queues"),
                    path("new/", _page, name="log"),
                    path("queues/<slug:queue>/", _page, name="queue"),
                    path("<str:reference>/", _page, name="case"),
                ],
                "casework",
            )
        ),
    ),
]


def test_home_pages_link_to_the_queues_once_they_exist(client, team, settings):
    settings.ROOT_URLCONF = "tests.casework.test_case_file"  # the case file and its steps only
    assert "/queues/" not in home(client, team.alex)
    assert "Complaint queues" not in home(client, team.manager)
    assert "The pages for this role are not available yet." not in home(client, team.alex)

    settings.ROOT_URLCONF = __name__
    html = home(client, team.alex)

    assert '<a class="govuk-link" href="/cases/queues/mine/">See all 9 of your cases</a>' in html
    assert 'href="/cases/">Complaint queues</a>' in html
    assert 'href="/cases/new/">Log a complaint</a>' in html
    assert 'href="/cases/queues/quality-check/">See every draft' in home(client, team.reviewer)
    manager = home(client, team.manager)
    assert 'href="/cases/queues/unallocated/">Not allocated</a>' in manager
    assert 'href="/cases/queues/due-soon/">See the complaints due soon</a>' in manager
    assert 'href="/cases/queues/overdue/">See the overdue complaints</a>' in manager


# --- speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alex", "reviewer", "manager", "board"])
def test_each_home_page_runs_a_fixed_number_of_queries(client, team, who):
    user = getattr(team, who)
    client.force_login(user)
    client.get("/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    before = count()
    for day in (2, 3, 4, 5, 6, 9, 10):
        for handler in (team.alex, team.bea, None):
            complaint = services.complaint_log(
                acting_user=team.manager,
                complainant=ResidentFactory(),
                channel=Channel.PHONE,
                received_at=dt.datetime(2026, 3, day, 9, tzinfo=LONDON),
                description="More",
                handler=handler,
            )
            if handler is not None:
                acknowledge(acting_user=handler, complaint=complaint, on=dt.date(2026, 3, 10))
                flow.draft(acting_user=handler, complaint=complaint, on=dt.date(2026, 3, 10))

    assert count() == before
    assert before <= 16  # the reviewer: drafts to check, and the cases they handle

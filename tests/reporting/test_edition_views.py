"""The editions' screens and the public page, as each role uses them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from putright.accounts.roles import BOARD_MEMBER, CASE_HANDLER, COMPLAINTS_MANAGER
from putright.people.models import Tenure
from putright.reporting import contents, services
from putright.reporting.models import Edition
from tests.accounts.helpers import make_staff
from tests.reporting.conftest import _log

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(set_today, named_organisation):
    set_today(dt.date(2026, 6, 1))
    return {
        "manager": make_staff(COMPLAINTS_MANAGER),
        "board": make_staff(BOARD_MEMBER),
        "handler": make_staff(CASE_HANDLER),
    }


@pytest.fixture
def draft(people):
    return services.edition_start(
        acting_user=people["manager"], kind=contents.ANNUAL, reporting_year=2024
    )


def _response_post(revision: int, **changes) -> dict:
    return {
        "revision": revision,
        "response": "The board accepts the report.",
        "meeting_on_day": "20",
        "meeting_on_month": "5",
        "meeting_on_year": "2026",
        "minute": "2026/41",
        "member": "Priya Shah",
        **changes,
    }


def _publish_through_the_screens(client, manager, edition: Edition) -> Edition:
    client.force_login(manager)
    client.post(
        reverse("reporting:edition-response", args=[edition.pk]),
        _response_post(edition.revision),
    )
    edition.refresh_from_db()
    page = client.get(reverse("reporting:edition-publish", args=[edition.pk]))
    assert "Publishing freezes the report below" in page.content.decode()
    done = client.post(
        reverse("reporting:edition-publish", args=[edition.pk]), {"revision": edition.revision}
    )
    assert done.status_code == 302
    edition.refresh_from_db()
    assert edition.is_published
    page = client.get(done.url).content.decode()
    assert "This version is frozen" in page and "Published" in page
    return edition


def test_who_may_do_what(client, people, draft):
    urls = {
        "list": reverse("reporting:editions"),
        "page": reverse("reporting:edition", args=[draft.pk]),
        "words": reverse("reporting:edition-words", args=[draft.pk]),
        "response": reverse("reporting:edition-response", args=[draft.pk]),
        "publish": reverse("reporting:edition-publish", args=[draft.pk]),
        "new": reverse("reporting:edition-new", args=[2025, "q1"]),
        "tp09": reverse("reporting:tp09", args=[2025]),
        "public": reverse("published:index"),
    }
    expected = {
        # Managers write and publish; the board reads drafts and records its response.
        "manager": dict.fromkeys(urls, 200),
        "board": {**dict.fromkeys(urls, 403), "list": 200, "page": 200, "response": 200}
        | {"public": 200},
        "handler": {**dict.fromkeys(urls, 403), "public": 200},
        "signed out": {**dict.fromkeys(urls, 302), "public": 200},
    }
    for role, answers in expected.items():
        client.logout()
        if role != "signed out":
            client.force_login(people[role])
        got = {name: client.get(url).status_code for name, url in urls.items()}
        assert got == answers, role


def test_the_board_records_its_response_and_errors_keep_what_was_typed(client, people, draft):
    client.force_login(people["board"])
    url = reverse("reporting:edition-response", args=[draft.pk])
    refused = client.post(url, _response_post(draft.revision, member="", meeting_on_day="40"))
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Enter the name of the Member Responsible for Complaints" in html
    assert "Date of the meeting must be a real date" in html
    assert "The board accepts the report." in html  # kept

    assert client.post(url, _response_post(draft.revision)).status_code == 302
    draft.refresh_from_db()
    assert (draft.response_member, draft.response_meeting_on) == (
        "Priya Shah",
        dt.date(2026, 5, 20),
    )
    assert draft.response_recorded_by == people["board"]


def test_two_managers_on_one_draft_nothing_is_lost(client, people, draft):
    other = make_staff(COMPLAINTS_MANAGER, email="other.manager@example.org")
    url = reverse("reporting:edition-words", args=[draft.pk])
    client.force_login(other)
    first = client.post(
        url, {"revision": draft.revision, "foreword": "The first foreword.", "commentary_tsm": ""}
    )
    assert first.status_code == 302

    client.force_login(people["manager"])
    second = client.post(
        url,
        {"revision": draft.revision, "foreword": "The second foreword.", "commentary_tsm": "TSM"},
    )
    html = second.content.decode()
    assert second.status_code == 400
    assert "Someone else saved" in html
    assert "The second foreword." in html  # what this manager typed, still in the form
    assert "The first foreword." in html  # and what the other saved, shown beside it
    draft.refresh_from_db()
    assert draft.foreword == "The first foreword."
    assert f'name="revision" value="{draft.revision}"' in html  # saving again is a choice


def test_character_counts_and_a_too_long_commentary_kept(client, people, draft):
    client.force_login(people["manager"])
    url = reverse("reporting:edition-words", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="5000"' in page
    typed = "x" * 5_001
    refused = client.post(url, {"revision": draft.revision, "commentary_performance": typed})
    assert refused.status_code == 400
    assert typed in refused.content.decode()
    assert "How we handled complaints must be 5,000 characters or fewer" in (
        refused.content.decode()
    )


def test_the_public_page_keeps_the_published_version_while_the_draft_moves(
    client, people, landlord, officer
):
    manager = people["manager"]
    edition = services.edition_start(acting_user=manager, kind=contents.ANNUAL, reporting_year=2025)
    edition = _publish_through_the_screens(client, manager, edition)
    client.logout()
    public_url = reverse("published:edition", args=[2025, "annual", 1])
    assert public_url in client.get(reverse("published:index")).content.decode()
    before = client.get(public_url).content.decode()
    assert "Stage 1 complaints received</th><td" in before.replace("\n", "")
    assert "The board accepts the report." in before

    _log(officer, dt.date(2025, 10, 1), Tenure.LCRA_GENERAL_NEEDS)
    assert client.get(public_url).content.decode() == before

    client.force_login(manager)
    start = client.post(
        reverse("reporting:edition-new", args=[2025, "annual"]),
        {"reason": "A complaint logged late is now counted."},
    )
    second = Edition.objects.get(reporting_year=2025, version=2)
    assert start.url == reverse("reporting:edition", args=[second.pk])
    draft_page = client.get(start.url).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in draft_page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' not in before
    second = _publish_through_the_screens(client, manager, second)
    client.logout()
    v2 = client.get(reverse("published:edition", args=[2025, "annual", 2])).content.decode()
    assert "A complaint logged late is now counted." in v2
    assert "Read the latest version (2)" in client.get(public_url).content.decode()
    assert client.get(reverse("published:edition", args=[2025, "q1", 1])).status_code == 404
    assert client.get(reverse("published:edition", args=[2025, "q9", 1])).status_code == 404


def test_a_draft_is_not_public(client, people, draft):
    assert client.get(reverse("published:edition", args=[2024, "annual", 1])).status_code == 404
    assert (
        "No report has been published yet"
        in client.get(reverse("published:index")).content.decode()
    )


def test_tp09_entered_on_its_screen(client, people):
    client.force_login(people["manager"])
    url = reverse("reporting:tp09", args=[2025])
    refused = client.post(
        url,
        {
            "lcra_satisfied": "90",
            "lcra_respondents": "80",
            "lcho_satisfied": "1",
            "lcho_respondents": "2",
            "method_note": "Telephone survey.",
        },
    )
    assert refused.status_code == 400
    assert "LCRA respondents satisfied cannot be more than the LCRA respondents (80)" in (
        refused.content.decode()
    )
    saved = client.post(
        url,
        {
            "lcra_satisfied": "60",
            "lcra_respondents": "80",
            "lcho_satisfied": "1",
            "lcho_respondents": "2",
            "method_note": "Telephone survey.",
        },
    )
    assert saved.status_code == 302
    assert "entered" in client.get(reverse("reporting:editions")).content.decode()


def test_every_format_downloads_for_staff_and_the_public(client, people, draft):
    """A draft for those who read reports, the frozen version for anyone, in each format."""
    from putright.reporting.formats import FORMATS

    staff_url = reverse("reporting:edition-download", args=[draft.pk, "csv"])
    client.force_login(people["board"])
    drafted = client.get(staff_url)
    assert drafted.status_code == 200
    assert "-draft.csv" in drafted["Content-Disposition"]
    assert (
        client.get(reverse("reporting:edition-download", args=[draft.pk, "doc"])).status_code == 404
    )
    client.force_login(people["handler"])
    assert client.get(staff_url).status_code == 403

    edition = _publish_through_the_screens(client, people["manager"], draft)
    client.logout()
    for fmt in FORMATS:
        public = client.get(
            reverse(
                "published:download",
                args=[edition.reporting_year, edition.part, edition.version, fmt],
            )
        )
        assert public.status_code == 200, fmt
        assert "attachment" in public["Content-Disposition"]
        assert "-draft" not in public["Content-Disposition"]
    assert (
        b"%PDF"
        in client.get(
            reverse("published:download", args=[edition.reporting_year, edition.part, 1, "pdf"])
        ).content[:8]
    )

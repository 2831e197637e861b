"""The published annual report opens with the approved self-assessment (Code 8.1 a), end to end.

The self-assessment for 2024-25 is prepared, reviewed by someone else, approved by the governing
body and published through the services; a complaints manager then starts the annual report,
records the governing body's response and publishes it through the screens, posting each form
with its CSRF token as a browser does. The report is read back on the staff page, the public
page and as a PDF. Once the report is published, a new approved version of the self-assessment
changes the next draft of the report, never the published one.

Dates: 2024-25 ended on 31 March 2025. The self-assessment is prepared on 1 July 2025, approved
at the governing body's meeting of 8 July 2025 (minute GB/2025/31) and published on 15 July
2025, the day the report is published. Two provisions are answered "no": 5.8 (by 31 December
2025) and 6.2 (by 30 September 2025), so it complies with 70 of the 72. On 1 September 2025 a
second version, complying with 5.8 too, is approved (minute GB/2025/40) and published.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from putright.people.models import Tenure
from putright.reporting import contents, editions
from putright.reporting.models import Edition
from putright.rules.code import CODES, LATEST
from putright.selfassessment import services
from putright.selfassessment.models import Status
from tests.letters.test_pdf import quiet_weasyprint, words  # noqa: F401  (a fixture)
from tests.people.factories import StaffUserFactory
from tests.reporting.conftest import _log
from tests.reporting.test_publishing_privacy import _personal_data
from tests.selfassessment.conftest import answer
from tests.selfassessment.test_approval import answered, approve

pytestmark = pytest.mark.django_db

D = dt.date
ORDER = [key for key, _ in contents.SECTIONS[contents.ANNUAL]]
HEADING = dict(contents.SECTIONS[contents.ANNUAL])["self_assessment"]
PERFORMANCE = dict(contents.SECTIONS[contents.ANNUAL])["performance"]
MEMBER = "Helen Ashworth"
# The provisions answered "no": what the landlord will do, and by when.
NOT_YET = {
    "5.8": ("Train every complaint handler in weighing the evidence.", D(2025, 12, 31)),
    "6.2": ("Check the acknowledgement queue every morning.", D(2025, 9, 30)),
}
APPROVAL = (
    "Our governing body approved our self-assessment against the Complaint Handling Code 2024 "
    f"at its meeting on 8 July 2025 (minute GB/2025/31). Our Member Responsible for Complaints "
    f"is {MEMBER}."
)
REPORT_RESPONSE = "The board accepts the report and asks for the actions to be followed up."
NOT_RECORDED = "The self-assessment against the Code is not recorded in PutRight yet"


def _text(markup: str) -> str:
    """The words of some HTML, tags dropped, entities read, whitespace made single spaces."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def _sections(page: str) -> list[tuple[str, str]]:
    """(key, markup) of each of the report's sections, in the page's order."""
    return re.findall(
        r'<section aria-labelledby="section-([a-z_]+)">(.*?)</section>', page, flags=re.S
    )


def _rows(markup: str, table_key: str) -> list[list[str]]:
    """The words of each cell of each body row of table ``table_key`` within ``markup``."""
    found = re.search(rf'<table class="govuk-table" id="{table_key}">(.*?)</table>', markup, re.S)
    assert found, f"no table {table_key}"
    body = found.group(1).split("<tbody", 1)[1]
    return [
        [_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def _action_rows(not_yet: dict[str, tuple[str, D]]) -> list[list[str]]:
    code = CODES[LATEST]
    return [
        [provision, code.provision(provision).summary, action, f"{by.day} {by:%B %Y}"]
        for provision, (action, by) in sorted(not_yet.items())
    ]


def _assert_opens_with_the_assessment(page: str) -> str:
    """The report's sections in the Code's order, the self-assessment first, holding the
    approval and the provisions not yet complied with; returns the section's words."""
    sections = _sections(page)
    assert [key for key, _ in sections] == ORDER
    assert ORDER[0] == "self_assessment"
    headings = re.findall(r'<h2 class="govuk-heading-l" id="section-[a-z_]+">([^<]*)</h2>', page)
    assert headings[:2] == [HEADING, PERFORMANCE]
    assert page.index(f">{HEADING}</h2>") < page.index(f">{PERFORMANCE}</h2>")
    markup = dict(sections)["self_assessment"]
    said = _text(markup)
    assert said.startswith(HEADING)
    assert APPROVAL in said
    assert "We comply with 70 of the 72 provisions of the Code and do not yet comply with 2" in (
        said
    )
    assert "was published on 15 July 2025" in said
    assert NOT_RECORDED not in said
    assert _rows(markup, "self_assessment_actions") == _action_rows(NOT_YET)
    # Nowhere else: the approval is the first section's, not another's.
    assert _text(page).count(APPROVAL) == 1
    return said


# The story -------------------------------------------------------------------------------------


def _post_form(client: Client, url: str, data: dict) -> HttpResponse:
    """Post ``data`` to the form on ``url`` as a browser does: open the page, then post with
    the page's CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, url
    return client.post(url, {"csrfmiddlewaretoken": token.group(1), **data})


def _publish_the_annual_report(staff_client: Client, manager) -> tuple[Edition, str]:
    staff_client.force_login(manager)
    started = _post_form(staff_client, reverse("reporting:edition-new", args=[2024, "annual"]), {})
    assert started.status_code == 302
    edition = Edition.objects.get(kind=contents.ANNUAL, reporting_year=2024, version=1)
    assert started.url == reverse("reporting:edition", args=[edition.pk])
    recorded = _post_form(
        staff_client,
        reverse("reporting:edition-response", args=[edition.pk]),
        {
            "revision": edition.revision,
            "response": REPORT_RESPONSE,
            "meeting_on_day": "8",
            "meeting_on_month": "7",
            "meeting_on_year": "2025",
            "minute": "GB/2025/32",
            "member": MEMBER,
        },
    )
    assert recorded.status_code == 302
    edition.refresh_from_db()
    publish_url = reverse("reporting:edition-publish", args=[edition.pk])
    # The page saying what publishing will freeze, kept for the tests to read.
    confirmation = staff_client.get(publish_url).content.decode()
    published = _post_form(staff_client, publish_url, {"revision": edition.revision})
    assert published.status_code == 302
    assert published.url == reverse("reporting:edition", args=[edition.pk])
    edition.refresh_from_db()
    assert edition.is_published
    return edition, confirmation


@pytest.fixture
def staff_client() -> Client:
    """A client that checks CSRF tokens, as the site does for a browser."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def report(set_today, named_organisation, staff_client, manager, reviewer, board):
    set_today(D(2025, 7, 1))
    officer = StaffUserFactory()
    complaints = [
        _log(officer, on, Tenure.LCRA_GENERAL_NEEDS)
        for on in (D(2024, 5, 7), D(2024, 9, 2), D(2025, 1, 13))
    ]
    assessment = answered(manager, 2024, no=tuple(NOT_YET), actions=NOT_YET)
    set_today(D(2025, 7, 8))
    assessment = approve(
        assessment,
        manager=manager,
        reviewer=reviewer,
        board=board,
        meeting_on=D(2025, 7, 8),
        minute="GB/2025/31",
    )
    set_today(D(2025, 7, 15))
    assessment = services.assessment_publish(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    assert assessment.status == Status.PUBLISHED
    edition, confirmation = _publish_the_annual_report(staff_client, manager)
    return SimpleNamespace(
        assessment=assessment,
        edition=edition,
        confirmation=confirmation,
        complaints=complaints,
        staff=[manager, reviewer, board, officer],
        staff_url=reverse("reporting:edition", args=[edition.pk]),
        public_url=reverse("published:edition", args=[2024, "annual", 1]),
    )


# The tests ---------------------------------------------------------------------------------------


def test_the_published_report_opens_with_the_approved_self_assessment(staff_client, client, report):
    assert report.public_url == "/published-reports/2024/annual/version-1/"
    frozen = report.edition.document
    assert [section["key"] for section in frozen["sections"]] == ORDER
    assert frozen["sections"][0]["statements"][0] == APPROVAL

    # What the manager saw before publishing is what was frozen.
    assert "Publishing freezes the report below" in report.confirmation
    _assert_opens_with_the_assessment(report.confirmation)

    staff = staff_client.get(report.staff_url)
    assert staff.status_code == 200
    staff_page = staff.content.decode()
    assert "This version is frozen" in staff_page
    _assert_opens_with_the_assessment(staff_page)

    public = client.get(report.public_url)  # nobody signed in
    assert public.status_code == 200
    public_page = public.content.decode()
    _assert_opens_with_the_assessment(public_page)
    # The governing body's response to the report goes out alongside it (Code 8.2), last.
    assert _text(public_page).index(REPORT_RESPONSE) > _text(public_page).index(PERFORMANCE)
    assert report.public_url in client.get(reverse("published:index")).content.decode()


def test_a_new_version_of_the_assessment_leaves_the_published_report_as_it_was(
    staff_client, client, report, set_today, manager, reviewer, board
):
    before = client.get(report.public_url).content.decode()
    staff_before = dict(_sections(staff_client.get(report.staff_url).content.decode()))

    set_today(D(2025, 9, 1))
    revision = services.assessment_revise(
        acting_user=manager,
        assessment=report.assessment,
        expected_version=report.assessment.version,
        reason="Every handler has now been trained.",
    )
    answer(manager, revision, "5.8", comply="yes", evidence="Training records for every handler.")
    revision.refresh_from_db()
    revision = approve(
        revision,
        manager=manager,
        reviewer=reviewer,
        board=board,
        meeting_on=D(2025, 9, 1),
        minute="GB/2025/40",
    )
    revision = services.assessment_publish(
        acting_user=manager, assessment=revision, expected_version=revision.version
    )
    assert services.latest_approved(reporting_year=2024) == revision

    assert client.get(report.public_url).content.decode() == before
    assert dict(_sections(staff_client.get(report.staff_url).content.decode())) == staff_before
    report.edition.refresh_from_db()
    assert report.edition.document["sections"][0]["statements"][0] == APPROVAL

    # The next version of the report is drawn from today's records, so it shows the new
    # self-assessment: it is the freezing that keeps it off the published version.
    started = _post_form(
        staff_client,
        reverse("reporting:edition-new", args=[2024, "annual"]),
        {"reason": "The self-assessment has a new version."},
    )
    assert started.status_code == 302
    draft = staff_client.get(started.url).content.decode()
    markup = dict(_sections(draft))["self_assessment"]
    said = _text(markup)
    assert (
        "Complaint Handling Code 2024, version 2, at its meeting on 1 September 2025 "
        "(minute GB/2025/40)" in said
    )
    assert "We comply with 71 of the 72 provisions" in said
    assert _rows(markup, "self_assessment_actions") == _action_rows({"6.2": NOT_YET["6.2"]})
    assert client.get(report.public_url).content.decode() == before


def test_the_public_page_has_no_staff_links_and_names_nobody(staff_client, client, report):
    public = client.get(report.public_url).content.decode()
    links = re.findall(r'\b(?:href|src|action)="([^"]*)"', public)
    assert links  # the check has something to look at
    public_only = ("#", "/published-reports/", "/static/", "data:")
    assert [link for link in links if not link.startswith(public_only)] == []
    assert "<form" not in public
    # The staff page, by contrast, links to the staff screens.
    staff = staff_client.get(report.staff_url).content.decode()
    assert reverse("reporting:editions") in staff

    # No resident, address or complaint reference (as tests.reporting.test_publishing_privacy
    # checks), and nobody on the staff who prepared, reviewed or published anything.
    personal = _personal_data()
    assert {complaint.reference for complaint in report.complaints} <= personal
    for person in report.staff:
        personal |= {person.full_name, person.email}
    frozen = json.dumps(report.edition.document)
    assert sorted(text for text in personal if text in public) == []
    assert sorted(text for text in personal if text in frozen) == []
    assert MEMBER in public  # the Member Responsible for Complaints is named, as the Code asks

    # Small counts in breakdowns are hidden: three complaints only.
    document = editions.document_from_json(report.edition.document)
    small = [
        (table.key, row[0], cell)
        for section in document.sections
        for table in section.tables
        if table.key not in editions.TOTALS
        for row in table.rows
        for cell in row[1:]
        if re.fullmatch(r"[1-4]", cell)
    ]
    assert small == []
    assert "fewer than 5" in public


@pytest.mark.usefixtures("quiet_weasyprint")  # a WeasyPrint warning fails the test
def test_the_pdf_opens_with_the_self_assessment(staff_client, client, report):
    urls = [
        (staff_client, reverse("reporting:edition-download", args=[report.edition.pk, "pdf"])),
        (client, reverse("published:download", args=[2024, "annual", 1, "pdf"])),
    ]
    for who, url in urls:
        response = who.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="complaints-report-2024-25.pdf"' in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF")
        text = words(
            " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        )
        assert HEADING in text
        assert text.index(HEADING) < text.index(PERFORMANCE)
        # The section's own words, after the contents list.
        body = text[text.index("Our governing body approved") :]
        assert body.startswith(APPROVAL)
        assert body.index(APPROVAL) < body.index(PERFORMANCE)
        assert NOT_RECORDED not in text

"""The subject access export page and the case page's link to it, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests.people.factories import ResidentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_export_page_is_accessible_and_downloads_a_zip(
    signed_in_page, live_server, axe_check, screenshot
):
    resident = ResidentFactory(first_name="Ruth", last_name="Resident")
    page: Page = signed_in_page("Complaints manager")
    page.goto(f"{live_server.url}/residents/{resident.pk}/subject-access/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Export everything held about Ruth Resident"
    )
    axe_check(page)
    screenshot(page, "subject-access-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    assert download.value.suggested_filename.endswith(".zip")

"""The published report's HTML page in a real browser: axe finds nothing, on a desktop and on a
phone, as a draft and once published. The page is standalone, so it is loaded as it would be from
a file, with no server."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from putright.reporting import contents, formats
from putright.reporting.annual import figures
from putright.reporting.periods import reporting_year
from tests.complaints.conftest import officer, sign_off_required  # noqa: F401  (fixtures)
from tests.reporting.conftest import landlord  # noqa: F401  (the hand-worked landlord)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def document(landlord, set_today):  # noqa: F811  (the imported fixture)
    set_today(dt.date(2026, 6, 1))
    period = reporting_year(2025)
    return contents.build(
        contents.ANNUAL,
        period,
        figures(period),
        figures(period.year_before()),
        landlord="Greenway Homes",
        commentary={"performance": "We answered faster.\n\n- More staff\n- A new team"},
        foreword="A year of listening.",
        governing_body_response="The board accepts this report.",
    )


@pytest.mark.parametrize(
    ("published", "width"), [(False, 1280), (True, 1280), (False, 320)], ids=str
)
def test_the_report_page_passes_axe(page: Page, axe_check, screenshot, document, published, width):
    if published:
        document = dataclasses.replace(document, published_on=dt.date(2026, 7, 1), version=1)
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(formats.render(document, "html").content.decode())

    expect(page.get_by_role("heading", level=1)).to_have_text(document.title)
    # A table with nothing recorded is a statement under its title, not an empty grid.
    expect(page.get_by_role("table")).to_have_count(
        sum(1 for section in document.sections for table in section.tables if table.columns)
    )
    # Nothing wider than the screen (WCAG 1.4.10): a table too wide scrolls in its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
    screenshot(page, f"report-{'published' if published else 'draft'}-{width}")

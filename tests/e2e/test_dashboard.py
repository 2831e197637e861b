"""The board's dashboard in a real browser, at a desktop's width and a phone's: accessible, within
the Content Security Policy (the charts are inline SVG), and never wider than a phone's screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.complaints.conftest import officer, sign_off_required  # noqa: F401  (fixtures)
from tests.reporting.conftest import landlord  # noqa: F401  (a fixture)
from tests.reporting.dashboard_data import TODAY, at_risk  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHARTS = (
    "Stage 1 complaints received each month",
    "Responses within the Code's timescales each month",
)


def test_a_board_member_reads_the_dashboard_on_a_desktop_and_a_phone(
    at_risk,  # noqa: F811  (the fixture imported above)
    set_today,
    signed_in_page,
    live_server,
    axe_check,
    screenshot,
):
    set_today(TODAY)
    page: Page = signed_in_page("Board member")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="View the complaints dashboard").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints dashboard")
    for name in CHARTS:
        expect(page.get_by_role("img", name=name)).to_be_visible()
    expect(page.get_by_role("table", name="This quarter and the year to date")).to_be_visible()
    axe_check(page)
    screenshot(page, "dashboard-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    for name in CHARTS:
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] <= 390
    axe_check(page)
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"the page scrolls sideways by {sideways}px at 390px"
    screenshot(page, "dashboard-390")

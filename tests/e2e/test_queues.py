"""The caseworking queues in a real browser: filtering, sorting, paging and bulk allocation,
accessible and within the Content Security Policy."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from putright.complaints import services
from putright.complaints.models import Channel
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONDON = ZoneInfo("Europe/London")
DAYS = [dt.date(2025, 12, d) for d in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22)]


@pytest.fixture
def unallocated(set_today):
    """30 unallocated complaints, every other one by phone; "today" is Wed 24 Dec 2025."""
    set_today(dt.date(2025, 12, 24))
    officer = StaffUserFactory(role="Complaints manager", full_name="Lee Logger")
    complaints = []
    for n in range(30):
        day = DAYS[n % len(DAYS)]
        complaints.append(
            services.complaint_log(
                acting_user=officer,
                complainant=ResidentFactory(),
                channel=Channel.PHONE if n % 2 == 0 else Channel.EMAIL,
                received_at=dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
                description="The repair to my roof was never finished.",
            )
        )
    return complaints


def rows(page: Page):
    return page.locator("tbody tr")


def test_a_handler_filters_sorts_and_pages_a_queue(
    signed_in_page, live_server, axe_check, unallocated, screenshot
):
    page = signed_in_page("Case handler")

    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_url(re.compile(r"/cases/queues/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    axe_check(page)

    page.get_by_role("navigation", name="Queues").get_by_role("link", name="Unallocated").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unallocated")
    expect(page.locator("#results-heading")).to_have_text("30 complaints")
    expect(rows(page)).to_have_count(25)
    axe_check(page)
    screenshot(page, "queue-unallocated")

    # Filter: the 15 that came by phone fit on one page.
    page.get_by_text("More filters").click()
    page.get_by_label("How it came in").select_option("phone")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"channel=phone"))
    expect(page.locator("#results-heading")).to_have_text("15 complaints")
    expect(rows(page)).to_have_count(15)
    expect(page.locator(".moj-filter__tag")).to_have_text(re.compile("How it came in: Phone"))
    # The filters in use stay in view: the fold opens by itself.
    expect(page.get_by_label("How it came in")).to_be_visible()

    # Sort by reference, then reverse it, by the column header's link.
    phone = sorted(c.reference for c in unallocated[::2])
    page.get_by_role("link", name=re.compile(r"^Reference")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Reference")
    expect(rows(page).first.get_by_role("link")).to_have_text(phone[0])
    page.get_by_role("link", name=re.compile(r"^Reference")).click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Reference")
    expect(rows(page).first.get_by_role("link")).to_have_text(phone[-1])
    expect(page).to_have_url(re.compile(r"channel=phone"))
    axe_check(page)

    # Clear the filter (the sort stays), then page on.
    page.locator(".moj-filter__tag").click()
    expect(page.locator("#results-heading")).to_have_text("30 complaints")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"sort=-reference.*page=2"))
    expect(rows(page)).to_have_count(5)
    everything = sorted((c.reference for c in unallocated), reverse=True)
    expect(rows(page).first.get_by_role("link")).to_have_text(everything[25])
    # A handler cannot allocate in bulk.
    expect(page.get_by_role("button", name="Allocate")).to_have_count(0)


def test_a_manager_allocates_complaints_in_bulk(
    signed_in_page, live_server, axe_check, unallocated, screenshot
):
    StaffUserFactory(role="Case handler", full_name="Hana Handler")
    page = signed_in_page("Complaints manager")
    first, second = sorted(c.reference for c in unallocated)[:2]

    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unallocated")
    page.get_by_role("link", name=re.compile(r"^Reference")).click()
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    page.get_by_label("Allocate to").select_option(label="Hana Handler")
    page.get_by_role("button", name="Allocate", exact=True).click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("2 complaints allocated to Hana Handler")
    expect(page.locator("#results-heading")).to_have_text("28 complaints")
    expect(page).to_have_url(re.compile(r"sort=reference"))
    axe_check(page)
    screenshot(page, "queue-bulk-allocated")


def test_allocating_with_nothing_ticked_shows_an_accessible_error(
    signed_in_page, live_server, axe_check, unallocated
):
    StaffUserFactory(role="Case handler", full_name="Hana Handler")
    page = signed_in_page("Complaints manager")

    page.goto(f"{live_server.url}/cases/queues/unallocated/")
    page.get_by_label("Allocate to").select_option(label="Hana Handler")
    page.get_by_role("button", name="Allocate", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the complaints to allocate")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)
    summary.get_by_role("link").click()
    expect(page.locator("#allocate-complaint")).to_be_focused()

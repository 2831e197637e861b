"""The demo on the day it is opened: each role signs in through the sign-in form and finds real,
consistent work on its home page and its first queue (the count on the home page is the length of
the queue it links to)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from playwright.sync_api import Page, expect

from putright.core import clock
from putright.demo.generator import DemoGenerator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Greenway-demo-2025"
SCALE = 0.05  # 400 homes


@pytest.fixture
def demo(transactional_db):
    DemoGenerator(seed=7, scale=SCALE, as_at=clock.today(), stdout=StringIO()).run()


def sign_in(page: Page, live_server, who: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(f"{who}@demo.putright.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def count_in(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found"
    return int(match.group(1).replace(",", ""))


def queue_total(page: Page) -> int:
    heading = page.locator("#results-heading").inner_text()
    return 0 if heading.startswith("No ") else count_in(heading, r"([\d,]+) complaint")


def test_each_role_finds_real_work_that_agrees_with_its_queue(
    demo, page: Page, live_server, axe_check
):
    # A case handler: their cases, and the My cases queue holds as many.
    sign_in(page, live_server, "handler")
    main = page.locator("main").inner_text()
    open_cases = count_in(main, r"Your open cases\s+(\d+)")
    mine = count_in(main, r"See all ([\d,]+) of your cases")
    assert open_cases > 0
    page.get_by_role("link", name=re.compile("See all .* of your cases")).click()
    assert queue_total(page) == mine
    axe_check(page)

    # A quality reviewer: drafts they may check, and the quality-check queue agrees.
    page.context.clear_cookies()
    sign_in(page, live_server, "reviewer")
    awaiting = count_in(
        page.locator("main").inner_text(), r"Drafts awaiting a quality check\s+(\d+)"
    )
    assert awaiting > 0
    page.get_by_role("link", name="See every draft awaiting a quality check").click()
    assert queue_total(page) == awaiting

    # The complaints manager: unallocated work, and the queue /cases/ lands on lists it.
    page.context.clear_cookies()
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unallocated")
    assert queue_total(page) > 0

    # The board member: aggregate figures from the record, no personal data.
    page.context.clear_cookies()
    sign_in(page, live_server, "board")
    board = page.locator("main").inner_text()
    assert "C-20" not in board  # no complaint references
    axe_check(page)

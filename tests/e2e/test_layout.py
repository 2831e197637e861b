"""Layout for people who work in PutRight all day, in a real browser.

- Caseworking pages (queues, the case page, action forms, home pages) use the whole width of a
  wide screen; reading pages such as sign-in keep GOV.UK's 960px column.
- On a 320px phone no page scrolls sideways: a wide table scrolls inside its own region (a
  focusable region with a name), and every cell of the deadline column can be reached there.
- The case page starts with links to each of its sections, folds away past stages and shows the
  resident's support needs with the alerts at the top.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from putright.accounts.models import Team
from putright.casework.selectors.queues import QUEUES
from putright.complaints import services
from putright.complaints.models import Channel
from putright.people.models import Format
from tests.casework.test_case_file import build_full_case
from tests.casework.test_workload import TODAY, build_team
from tests.complaints.helpers import acknowledge
from tests.e2e.conftest import use_session
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONDON = ZoneInfo("Europe/London")
PHONE = {"width": 320, "height": 800}
PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# How wide the page is, and where the page (not a region inside it) has been scrolled to.
PAGE_WIDTHS = """() => ({
  html: document.documentElement.scrollWidth,
  body: document.body.scrollWidth,
  scrollX: window.scrollX,
})"""

# Brings each cell of the named column into view the way a person would: by scrolling the
# region that holds the table, never the page. For each cell: is it on the screen afterwards, and
# is it the cell itself that shows there (not a column that stays put, drawn over it)?
REACH_COLUMN = """([table, heading]) => {
  const headers = [...table.tHead.rows[0].cells];
  const column = headers.findIndex((th) => th.textContent.trim().startsWith(heading));
  if (column < 0) return {error: `no column ${heading}`};
  const region = table.closest("[role=region]");
  return [...table.tBodies[0].rows].map((row) => {
    const cell = row.cells[column];
    cell.scrollIntoView({block: "center", inline: "nearest"});
    if (region) {
      const cellBox = cell.getBoundingClientRect();
      const regionBox = region.getBoundingClientRect();
      region.scrollLeft += cellBox.right - regionBox.right;
    }
    const box = cell.getBoundingClientRect();
    const shown = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      text: cell.textContent.trim(),
      left: box.left,
      right: box.right,
      onScreen: box.left >= 0 && box.right <= window.innerWidth && box.width > 0,
      uncovered: cell.contains(shown),
      pageScrolled: window.scrollX !== 0,
    };
  });
}"""


@pytest.fixture
def busy_team(set_today):
    """The home-page team of tests.casework.test_workload (today 11 March 2026) in one team, with
    30 more complaints with long names: half Alex's (acknowledged), half nobody's."""
    set_today(TODAY)
    team = build_team()
    office = Team.objects.create(name="Complaints team")
    for user in (team.alex, team.bea, team.manager):
        user.team = office
        user.save(update_fields=["team"])
    for n in range(30):
        received = TODAY - dt.timedelta(days=1 + n % 12)
        complaint = services.complaint_log(
            acting_user=team.manager,
            complainant=ResidentFactory(
                first_name="Bartholomew", last_name=f"Featherstonehaugh-Whittingham {n}"
            ),
            channel=Channel.EMAIL,
            received_at=dt.datetime.combine(received, dt.time(9), tzinfo=LONDON),
            description="The repair to my roof was never finished.",
            handler=team.alex if n % 2 else None,
        )
        if n % 2:
            acknowledge(
                acting_user=team.alex,
                complaint=complaint,
                on=received,
                points=[("The roof still leaks.", "Finish the repair.")],
            )
    return team


def page_widths(page: Page) -> dict:
    return page.evaluate(PAGE_WIDTHS)


def damp_action(page: Page):
    """A row of the folded stage 1's table of actions (build_full_case promises it)."""
    return page.get_by_role("cell", name="Treat the damp in the bedroom", exact=True)


def assert_references_on_one_line(page: Page) -> int:
    """No complaint reference in a table breaks at its hyphens. Returns how many there were."""
    lines = page.locator("table a").evaluate_all(
        """links => links
          .filter((a) => /^C-\\d{4}-\\d+$/.test(a.textContent.trim()))
          .map((a) => [a.textContent.trim(), a.getClientRects().length])"""
    )
    wrapped = [reference for reference, count in lines if count != 1]
    assert not wrapped, f"{page.url}: references wrapped: {wrapped}"
    return len(lines)


def assert_no_sideways_scrolling(page: Page, width: int) -> None:
    widths = page_widths(page)
    assert widths["html"] <= width and widths["body"] <= width, (
        f"{page.url} is wider than the {width}px screen: {widths}"
    )


def assert_column_reachable(page: Page, table_selector: str, heading: str) -> int:
    """Every cell of the column is on screen once its table's region is scrolled to it, and the
    page itself never scrolls sideways. Returns how many cells there were."""
    tables = page.locator(table_selector)
    count = 0
    for index in range(tables.count()):
        cells = page.evaluate(REACH_COLUMN, [tables.nth(index).element_handle(), heading])
        assert not isinstance(cells, dict), cells
        for cell in cells:
            assert cell["onScreen"] and cell["uncovered"], f"{page.url}: {cell}"
            assert not cell["pageScrolled"], f"{page.url}: {cell}"
        count += len(cells)
        assert_no_sideways_scrolling(page, page.viewport_size["width"])
    return count


def assert_tables_scroll_in_named_regions(page: Page) -> None:
    """A table wider than its place sits in a scrolling region with a name that the keyboard
    can reach."""
    for table in page.locator("table").all():
        region = table.locator("xpath=ancestor::*[@role='region'][1]")
        if region.count() == 0:
            overflows = table.evaluate("t => t.offsetWidth > t.parentElement.clientWidth")
            assert not overflows, f"{page.url}: a wide table outside a scrolling region"
            continue
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
        if region.evaluate("r => r.scrollWidth > r.clientWidth"):
            assert region.get_attribute("tabindex") == "0", f"{page.url}: no tab stop"
            assert region.evaluate("r => getComputedStyle(r).overflowX") in ("auto", "scroll")


@pytest.mark.parametrize("who", ["manager", "alex"], ids=["complaints-manager", "case-handler"])
def test_every_queue_fits_a_320px_screen(page: Page, live_server, busy_team, axe_check, who):
    use_session(page, live_server, getattr(busy_team, who))
    page.set_viewport_size(PHONE)

    deadlines = 0
    for queue in QUEUES:
        page.goto(f"{live_server.url}/cases/queues/{queue.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(queue.title)
        assert_no_sideways_scrolling(page, PHONE["width"])
        assert_tables_scroll_in_named_regions(page)
        assert_references_on_one_line(page)
        deadlines += assert_column_reachable(page, "table", "Next deadline")
    assert deadlines >= 25  # the queues held complaints, so cells were really reached

    # The home page's lists of complaints fit too.
    page.goto(f"{live_server.url}/")
    assert_no_sideways_scrolling(page, PHONE["width"])
    assert_tables_scroll_in_named_regions(page)
    assert_references_on_one_line(page)

    page.goto(f"{live_server.url}/cases/queues/unallocated/")
    axe_check(page)


def test_the_reviewers_list_fits_a_320px_screen(page: Page, live_server, busy_team, axe_check):
    use_session(page, live_server, busy_team.reviewer)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("table")).to_have_count(1)
    assert_no_sideways_scrolling(page, PHONE["width"])
    assert_tables_scroll_in_named_regions(page)
    assert assert_references_on_one_line(page) >= 1
    assert assert_column_reachable(page, "table", "Next deadline") >= 1
    axe_check(page)


def test_caseworking_pages_use_the_whole_width_and_reading_pages_stay_narrow(
    page: Page, live_server, busy_team
):
    page.set_viewport_size({"width": 1600, "height": 900})
    main_width = "() => document.querySelector('main').getBoundingClientRect().width"

    page.goto(f"{live_server.url}/sign-in/")
    assert page.evaluate(main_width) <= 960

    use_session(page, live_server, busy_team.manager)
    reference = busy_team.c[1].reference
    caseworking = (
        "/",
        "/cases/queues/unallocated/",
        f"/cases/{reference}/",
        f"/cases/{reference}/add-note/",  # an action form: its form keeps to two thirds
    )
    for path in caseworking:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(main_width) > 1500, path
        assert_no_sideways_scrolling(page, 1600)
    page.goto(f"{live_server.url}/no-such-page/")
    assert page.evaluate(main_width) <= 960

    # At 1280px the queue's columns fit: nothing to scroll, so no extra tab stop either.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/cases/queues/unallocated/")
    assert_no_sideways_scrolling(page, DESKTOP["width"])
    region = page.get_by_role("region", name="Complaints in this queue")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
    expect(region).not_to_have_attribute("tabindex", "0")
    assert assert_references_on_one_line(page) >= 15


def test_the_case_page_leads_to_each_section_and_folds_away_past_stages(
    page: Page, live_server, set_today, axe_check, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    set_today(dt.date(2026, 3, 11))
    handler = StaffUserFactory(role="Case handler", full_name="Hana Handler")
    manager = StaffUserFactory(role="Complaints manager", full_name="Mo Manager")
    complaint = build_full_case(handler, manager, notes=3, letters=2, documents=2)
    resident = complaint.complainant
    resident.preferred_format = Format.LARGE_PRINT
    resident.language = "Polish"
    resident.interpreter_needed = True
    resident.save()
    services.complaint_escalate(acting_user=manager, complaint=complaint, on=dt.date(2026, 2, 2))
    use_session(page, live_server, handler)

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")

    # Support needs are with the alerts, before anything else about the case.
    needs = page.locator("#support-needs")
    expect(needs).to_contain_text("Letters in large print (16 point)")
    expect(needs).to_contain_text("Written information in large print")
    expect(needs).to_contain_text("Speaks Polish: needs an interpreter")
    needs_top = needs.bounding_box()["y"]
    summary_top = page.get_by_role("heading", name="Summary", exact=True).bounding_box()["y"]
    assert needs_top < summary_top

    # The contents: one link to each section, each leading to it.
    contents = page.get_by_role("navigation", name="Sections of this complaint")
    names = contents.get_by_role("link").all_inner_texts()
    assert names[:2] == ["What is next", "Summary"]
    assert {"Complainant", "Stage 2", "Stage 1", "Timeline", "Documents"} <= set(names)
    # The current stage is open, the past stage folded away but reached from the contents.
    expect(page.get_by_role("heading", name="Stage 2", exact=True)).to_be_visible()
    stage1 = page.locator(".app-case-section:has(#stage-1) > details")
    expect(stage1).to_have_js_property("open", False)
    expect(page.locator(".app-case-section:has(#stage-2) details")).to_have_count(0)
    expect(damp_action(page)).to_be_hidden()
    axe_check(page)

    contents.get_by_role("link", name="Stage 1").click()
    expect(stage1).to_have_js_property("open", True)
    expect(damp_action(page)).to_be_visible()
    expect(page.locator("#stage-1")).to_be_in_viewport()

    contents.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_in_viewport()

    contents.get_by_role("link", name="Documents").click()
    documents = f"{live_server.url}/cases/{complaint.reference}/?show=documents#timeline"
    expect(page).to_have_url(documents)
    expect(page.locator(".moj-timeline__title")).to_have_count(2)

    # On a phone the page does not scroll sideways, and the contents still come first.
    for viewport in (PHONE_390, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/cases/{complaint.reference}/")
        assert_no_sideways_scrolling(page, viewport["width"])
        assert_tables_scroll_in_named_regions(page)
        next_top = page.get_by_role("heading", name="What is next").bounding_box()["y"]
        assert contents.bounding_box()["y"] < next_top
    axe_check(page)


def test_the_case_page_folds_without_javascript(
    browser, live_server, set_today, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    set_today(dt.date(2026, 3, 11))
    handler = StaffUserFactory(role="Case handler")
    manager = StaffUserFactory(role="Complaints manager")
    complaint = build_full_case(handler, manager, notes=1, letters=1, documents=1)
    services.complaint_escalate(acting_user=manager, complaint=complaint, on=dt.date(2026, 2, 2))
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = use_session(context.new_page(), live_server, handler)
        page.goto(f"{live_server.url}/cases/{complaint.reference}/")

        expect(damp_action(page)).to_be_hidden()
        page.get_by_role("navigation", name="Sections of this complaint").get_by_role(
            "link", name="Stage 1"
        ).click()
        # Without a script the link leads to the stage's heading, with the fold just below it.
        expect(page.locator("#stage-1")).to_be_in_viewport()
        page.locator(".app-case-section:has(#stage-1) summary").click()
        expect(damp_action(page)).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=lambda v: f"{v['width']}px")
def test_screenshots(page: Page, live_server, busy_team, screenshot, viewport, tmp_path, settings):
    """Pictures of a queue and a case page for people to look at (PUTRIGHT_SCREENSHOTS)."""
    settings.MEDIA_ROOT = tmp_path
    use_session(page, live_server, busy_team.manager)
    page.set_viewport_size(viewport)
    width = viewport["width"]
    complaint = build_full_case(busy_team.alex, busy_team.manager, notes=3, letters=2)
    services.complaint_escalate(
        acting_user=busy_team.manager, complaint=complaint, on=dt.date(2026, 2, 2)
    )

    page.goto(f"{live_server.url}/cases/queues/unallocated/")
    screenshot(page, f"layout-queue-{width}")
    assert_no_sideways_scrolling(page, width)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    screenshot(page, f"layout-case-{width}")
    assert_no_sideways_scrolling(page, width)

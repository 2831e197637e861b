"""GOV.UK's timeout warning in a real browser: it opens before the session limit, is accessible,
"Stay signed in" keeps the session, and running out shows the sign-in page with the reason."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WARNING = "You’re about to be signed out"


@pytest.fixture
def short_sessions(settings):
    # The warning opens 120 seconds before the end: with 123 seconds it opens about 3 seconds in.
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 123


def test_the_warning_opens_and_stay_signed_in_keeps_the_session(
    short_sessions, signed_in_page, live_server, axe_check, screenshot
):
    page: Page = signed_in_page("Case handler")
    page.goto(f"{live_server.url}/cases/")
    dialog = page.get_by_role("dialog", name=WARNING)
    expect(dialog).to_be_visible(timeout=10_000)
    expect(page.get_by_role("heading", name=WARNING)).to_be_focused()
    expect(dialog).to_contain_text("we’ll sign you out in 2 minutes")
    axe_check(page)
    screenshot(page, "timeout-warning")

    with page.expect_response("**/session/keep-alive/") as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.json()["signed_in"] is True
    # The server counted the activity, so the session has its full time again and the warning
    # comes back only after it has nearly run out once more.
    assert answer.value.json()["seconds_left"] > 120
    expect(dialog).to_be_hidden()


def test_escape_means_stay_signed_in(short_sessions, signed_in_page, live_server):
    page: Page = signed_in_page("Case handler")
    page.goto(f"{live_server.url}/cases/")
    dialog = page.get_by_role("dialog", name=WARNING)
    expect(dialog).to_be_visible(timeout=10_000)
    with page.expect_response("**/session/keep-alive/"):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_when_time_runs_out_the_sign_in_page_says_why(settings, signed_in_page, live_server):
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 3
    page: Page = signed_in_page("Case handler")
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible(timeout=15_000)
    expect(page.locator("body")).to_contain_text("You have been signed out because")

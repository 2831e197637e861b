"""Signing in and the home page in a real browser: accessible, scripted, within the CSP."""

import pytest
from playwright.sync_api import Page, expect

from putright.accounts.roles import ROLE_NAMES
from tests.accounts.helpers import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_sign_in_page_is_accessible(page: Page, live_server, axe_check, screenshot):
    page.goto(f"{live_server.url}/sign-in/")

    expect(page).to_have_title("Sign in – PutRight")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    axe_check(page)
    screenshot(page, "sign-in")


def test_a_failed_sign_in_is_accessible_and_keeps_the_email_address(
    page: Page, live_server, axe_check, screenshot
):
    make_staff("Case handler")
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill("Cara.Handler@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – PutRight")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary.get_by_role("link")).to_have_text("The email address or password is not correct")
    expect(page.get_by_label("Email address")).to_have_value("Cara.Handler@example.org")
    expect(page.get_by_label("Password")).to_have_value("")
    axe_check(page)
    screenshot(page, "sign-in-error")

    summary.get_by_role("link").click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_empty_sign_in_is_accessible(page: Page, live_server, axe_check):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary li")).to_have_text(
        ["Enter your email address", "Enter your password"]
    )
    axe_check(page)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_signs_in_and_sees_its_home_page(
    page: Page, live_server, sign_in, axe_check, screenshot, role
):
    user = make_staff(role)

    sign_in(page, user)

    expect(page.get_by_role("heading", level=1)).to_have_text(role)
    expect(page.locator(".govuk-caption-l")).to_have_text(user.full_name)
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home")
    ).to_have_attribute("aria-current", "page")
    axe_check(page)
    screenshot(page, f"home-{role.lower().replace(' ', '-')}")


def test_govuk_frontend_runs_within_the_content_security_policy(
    signed_in_page, live_server, browser_problems
):
    page = signed_in_page("Administrator")
    page.goto(f"{live_server.url}/")

    body_classes = page.locator("body").get_attribute("class").split()
    assert "js-enabled" in body_classes
    assert "govuk-frontend-supported" in body_classes
    # The skip link and service navigation are initialised by app.js.
    expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")
    assert page.evaluate("window.htmx && window.htmx.version").startswith("2.")
    assert page.locator("style").count() == 0  # htmx was told not to inject styles
    font = page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily")
    assert font.lower().startswith("arial")
    assert browser_problems.csp_violations() == []
    assert browser_problems.console_errors == []
    assert browser_problems.page_errors == []


def test_the_404_page_is_accessible(signed_in_page, live_server, axe_check, screenshot):
    page = signed_in_page("Case handler")

    response = page.goto(f"{live_server.url}/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe_check(page)
    screenshot(page, "404")


def test_signing_out_returns_to_sign_in_with_a_message(signed_in_page, live_server, axe_check):
    page = signed_in_page("Board member")
    page.goto(f"{live_server.url}/")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("alert")).to_contain_text("You have signed out")
    axe_check(page)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/sign-in/?next=/")


def test_the_administrator_reaches_the_organisation_settings(signed_in_page, live_server):
    page = signed_in_page("Administrator")
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="Organisation settings").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("organisation")


def test_the_administrator_rewords_a_letter_phrase(
    signed_in_page, live_server, axe_check, screenshot
):
    from putright.letters.models import WordingVersion

    page = signed_in_page("Administrator")
    page.goto(f"{live_server.url}/admin/letters/wordingversion/add/")

    expect(page.get_by_label("No remedy:", exact=True)).to_have_value(
        "We are not offering a remedy for this complaint."
    )
    axe_check(page, admin=True)
    screenshot(page, "admin-letter-wording")
    page.get_by_label("Note:").fill("Plainer wording from the residents' panel")
    page.locator("summary", has_text="Acknowledgements").click()
    page.get_by_label("When we will reply:", exact=True).fill("We will reply soon.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist").first).to_contain_text("must fill in exactly {date}")
    expect(page.get_by_label("When we will reply:", exact=True)).to_have_value(
        "We will reply soon."
    )

    # The group with the faulty phrase is open; the rest are closed again.
    expect(page.get_by_label("No remedy:", exact=True)).not_to_be_visible()
    page.get_by_label("When we will reply:", exact=True).fill("You will hear from us by {date}.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert WordingVersion.objects.get().texts["response_by"] == "You will hear from us by {date}."
    axe_check(page, admin=True)

"""The lockout message and the password pages in a real browser: accessible, within the CSP."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.accounts.helpers import PASSWORD, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_locked_sign_in_says_when_to_try_again(page: Page, live_server, axe_check, screenshot):
    user = make_staff("Case handler")
    page.goto(f"{live_server.url}/sign-in/")
    for password in ["wrong"] * 5 + [PASSWORD]:
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – PutRight")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("signing in is locked for 15 minutes")
    expect(summary).to_contain_text("ask your PutRight administrator to unlock it")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)
    screenshot(page, "sign-in-locked")


def test_changing_your_password_from_the_header(page: Page, live_server, sign_in, axe_check):
    user = make_staff("Case handler")
    sign_in(page, user)

    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    axe_check(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This password is too short")
    axe_check(page)

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new long passphrase")
    page.get_by_label("Confirm new password").fill("a brand new long passphrase")
    page.get_by_role("button", name="Change password").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your password has been changed"
    )


def test_resetting_a_forgotten_password_by_email(page: Page, live_server, axe_check):
    user = make_staff("Case handler")
    page.goto(f"{live_server.url}/sign-in/")

    page.get_by_role("link", name="Forgotten your password?").click()
    axe_check(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe_check(page)

    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("a brand new long passphrase")
    page.get_by_label("Confirm new password").fill("a brand new long passphrase")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    axe_check(page)

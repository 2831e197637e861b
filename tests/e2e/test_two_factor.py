"""The second factor in a real browser: setting up an app after the password, then its code at
the next sign-in. Accessible (axe), and within the Content Security Policy (the QR code is an
inline SVG element, not an image or a style)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.accounts.helpers import PASSWORD, make_staff
from tests.accounts.test_two_factor import code_for, wrong_code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in_with_password(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_an_app_then_signs_in_with_its_code(
    page: Page, live_server, settings, axe_check, screenshot
):
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = ["Complaints manager", "Administrator"]
    # A browser types faster than a person: no wait after a wrong code (tested over HTTP).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    manager = make_staff("Complaints manager")

    sign_in_with_password(page, live_server, manager)

    page.wait_for_url(re.compile(r"/account/two-factor/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your app")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    device = TOTPDevice.objects.get(user=manager)
    key = page.locator("#authenticator-key")
    expect(key).to_be_visible()
    assert key.inner_text().replace(" ", "") in device.config_url
    axe_check(page)
    screenshot(page, "two-factor-set-up")

    code_box = page.get_by_label("Enter the 6-digit code the app shows")
    code_box.fill(wrong_code_for(device))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The code is not correct")
    expect(page).to_have_title(re.compile(r"^Error: Set up an authenticator app"))
    axe_check(page)

    page.get_by_label("Enter the 6-digit code the app shows").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your authenticator app is set up"
    )
    expect(page.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(10)
    axe_check(page)
    screenshot(page, "two-factor-backup-codes")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, live_server, manager)

    page.wait_for_url(re.compile(r"/sign-in/code/"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Enter the code from your authenticator app")
    axe_check(page)
    screenshot(page, "two-factor-code")

    page.get_by_label("Enter the code from your authenticator app").fill(wrong_code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not correct")
    axe_check(page)

    # The code of the next 30 seconds: the one used to set up the app cannot be used again.
    page.get_by_label("Enter the code from your authenticator app").fill(
        code_for(device, steps_ahead=1)
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Complaints", exact=True)).to_be_visible()


def test_the_backup_code_page_and_the_two_factor_page(page: Page, live_server, settings, axe_check):
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = ["Complaints manager", "Administrator"]
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    from putright.accounts.two_factor import services

    manager = make_staff("Complaints manager")
    TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    codes = services.backup_codes_issue(user=manager)

    sign_in_with_password(page, live_server, manager)
    page.get_by_role("link", name="Use a backup code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter one of your backup codes")
    axe_check(page)
    page.get_by_label("Enter one of your backup codes").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("9 backup codes left")

    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.locator(".govuk-summary-list")).to_contain_text("9 left")
    axe_check(page)

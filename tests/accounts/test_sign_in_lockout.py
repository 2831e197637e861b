"""Sign-in throttling (django-axes): a lock per account and per address after 5 failures, for
15 minutes after the last one, on our sign-in page and the admin's; administrators unlock."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.test import Client

from tests.accounts.helpers import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
ADMIN_SIGN_IN = "/admin/login/"
LOCKED = "Too many attempts to sign in have failed, so signing in is locked for 15 minutes."


def attempt(client, email: str, password: str = "wrong password", *, path=SIGN_IN, ip="10.0.0.1"):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_the_defaults_are_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, case_handler):
    for _ in range(4):
        response = attempt(client, case_handler.email)
        assert response.status_code == 200
        assert "The email address or password is not correct" in response.content.decode()

    fifth = attempt(client, case_handler.email)
    right = attempt(client, case_handler.email, PASSWORD)

    for response in (fifth, right):
        assert response.status_code == 429
        assert not response.wsgi_request.user.is_authenticated
    html = right.content.decode()
    # The sign-in page, in GOV.UK markup, saying when to try again and who can unlock it.
    assert "<title>Error: Sign in – PutRight" in html
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert LOCKED in summary
    assert "Try again after that, or ask your PutRight administrator to unlock it now." in summary
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert f'value="{case_handler.email}"' in html
    assert "Forbidden" not in html


def test_changing_the_case_of_the_address_does_not_buy_more_attempts(client, case_handler):
    for spelling in (
        "Cara.Handler@example.org",
        "CARA.HANDLER@EXAMPLE.ORG",
        " cara.handler@example.org",
    ):
        attempt(client, spelling, ip="10.0.0.1")
    for spelling in ("cara.HANDLER@example.org", "Cara.handler@Example.org"):
        attempt(client, spelling, ip="10.0.0.2")  # and from another address

    response = attempt(client, case_handler.email, PASSWORD, ip="10.0.0.3")

    assert response.status_code == 429


def test_an_account_is_locked_whichever_address_the_failures_came_from(client, case_handler):
    for n in range(5):
        attempt(client, case_handler.email, ip=f"10.0.1.{n}")

    assert attempt(client, case_handler.email, PASSWORD, ip="10.0.2.1").status_code == 429


def test_an_address_is_locked_for_every_account_after_failures_on_several(client, case_handler):
    for n in range(5):
        attempt(client, f"guess{n}@example.org", ip="192.0.2.7")

    from_there = attempt(client, case_handler.email, PASSWORD, ip="192.0.2.7")
    from_elsewhere = attempt(client, case_handler.email, PASSWORD, ip="192.0.2.8")

    assert from_there.status_code == 429
    assert signed_in(from_elsewhere)


def test_the_admin_sign_in_page_is_locked_too(client, administrator):
    for _ in range(5):
        attempt(client, administrator.email, path=ADMIN_SIGN_IN)

    response = attempt(client, administrator.email, PASSWORD, path=ADMIN_SIGN_IN)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert attempt(client, administrator.email, PASSWORD).status_code == 429  # here as well


def test_failures_on_the_admin_and_the_sign_in_page_count_together(client, case_handler):
    for path in (SIGN_IN, ADMIN_SIGN_IN, SIGN_IN, ADMIN_SIGN_IN, SIGN_IN):
        attempt(client, case_handler.email, path=path)

    assert attempt(client, case_handler.email, PASSWORD).status_code == 429


def test_the_lock_lifts_fifteen_minutes_after_the_last_failure(client, case_handler):
    for _ in range(5):
        attempt(client, case_handler.email)

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
    assert attempt(client, case_handler.email, PASSWORD).status_code == 429
    # That attempt started the wait again; once 15 minutes have passed since it, sign-in works.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert signed_in(attempt(client, case_handler.email, PASSWORD))


def test_an_administrator_unlocks_an_account_in_the_admin(client, case_handler, administrator):
    for _ in range(5):
        attempt(client, case_handler.email)
    staff = Client()
    staff.force_login(administrator)

    home = staff.get("/").content.decode()
    listing = staff.get("/admin/axes/accessattempt/?locked_out=yes")
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    deleted = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert 'href="/admin/axes/accessattempt/">Locked sign-ins</a>' in home
    assert listing.status_code == 200
    assert case_handler.email in listing.content.decode()
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(attempt(client, case_handler.email, PASSWORD))


def test_other_roles_cannot_unlock(client, case_handler):
    manager = make_staff("Complaints manager", is_staff=True)
    client.force_login(manager)

    assert client.get("/admin/axes/accessattempt/").status_code == 302  # to the admin sign-in


def test_sign_ins_and_failures_are_logged(client, case_handler):
    attempt(client, case_handler.email)
    attempt(client, case_handler.email, PASSWORD)

    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address, failure.locked_out) == (
        case_handler.email,
        "10.0.0.1",
        False,
    )
    assert AccessLog.objects.get().username == case_handler.email


def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(rf, settings):
    from putright.accounts.signin import client_ip_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9", REMOTE_ADDR="10.0.0.2")

    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip_address(request) == "10.0.0.2"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip_address(request) == "198.51.100.9"  # not the one the client made up

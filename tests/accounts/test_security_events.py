"""Sign-ins, failures, lockouts, sign-outs and password changes go in the security log (issue 24,
ASVS V7), for our sign-in page and the admin's alike, with the address they came from."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from putright.core.models import SecurityEvent
from tests.accounts.helpers import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind
NEW_PASSWORD = "a brand new long passphrase"


def attempt(client, email: str, password: str = "wrong password", *, path="/sign-in/"):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR="192.0.2.44")


def events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def test_a_sign_in_writes_one_event_with_who_and_from_where(client, case_handler):
    attempt(client, case_handler.email, PASSWORD)

    (event,) = events(Kind.SIGNED_IN)
    assert event.actor == case_handler
    assert event.subject == "user cara.handler@example.org"
    assert event.ip_address == "192.0.2.44"
    assert not events(Kind.SIGN_IN_FAILED)


@pytest.mark.parametrize("path", ["/sign-in/", "/admin/login/"])
def test_a_failed_sign_in_writes_one_event_naming_the_address_typed(client, case_handler, path):
    attempt(client, " Cara.Handler@example.org", path=path)

    (event,) = events(Kind.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_description == "Someone signing in"
    assert event.subject == "user cara.handler@example.org"
    assert event.ip_address == "192.0.2.44"
    assert event.details["path"] == path
    assert "wrong password" not in str(event.details)  # never the password typed
    assert not events(Kind.SIGNED_IN)


def test_the_failure_that_reaches_the_limit_writes_a_lockout(client, case_handler):
    for _ in range(4):
        attempt(client, case_handler.email)
    assert not events(Kind.LOCKED_OUT)

    attempt(client, case_handler.email)

    (event,) = events(Kind.LOCKED_OUT)
    assert event.subject == "user cara.handler@example.org"
    assert event.ip_address == "192.0.2.44"
    assert event.details["failures"] == 5
    assert len(events(Kind.SIGN_IN_FAILED)) == 5


def test_trying_the_right_password_while_locked_out_is_logged_and_signs_nobody_in(
    client, case_handler
):
    for _ in range(5):
        attempt(client, case_handler.email)
    before = len(events(Kind.LOCKED_OUT))

    response = attempt(client, case_handler.email, PASSWORD)

    assert response.status_code == 429
    assert len(events(Kind.LOCKED_OUT)) == before + 1
    assert not events(Kind.SIGNED_IN)


def test_signing_out_writes_one_event(client, case_handler):
    client.force_login(case_handler)

    client.post("/sign-out/")

    (event,) = events(Kind.SIGNED_OUT)
    assert event.actor == case_handler


def test_changing_a_password_writes_one_event(client, case_handler):
    client.force_login(case_handler)

    client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    (event,) = events(Kind.PASSWORD_CHANGED)
    assert event.actor == case_handler
    assert event.subject == "user cara.handler@example.org"


def test_asking_for_a_reset_and_using_the_link_are_both_logged(client, case_handler):
    client.post("/password-reset/", {"email": "Cara.Handler@example.org"}, REMOTE_ADDR="192.0.2.5")

    (requested,) = events(Kind.PASSWORD_RESET_REQUESTED)
    assert requested.actor is None
    assert requested.subject == "user cara.handler@example.org"
    assert requested.ip_address == "192.0.2.5"

    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    (changed,) = events(Kind.PASSWORD_CHANGED)
    assert changed.actor == case_handler
    assert changed.details == {"how": "reset with an emailed link"}


def test_a_reset_asked_for_an_address_with_no_account_is_logged_too(client, db):
    make_staff("Case handler")

    client.post("/password-reset/", {"email": "nobody@example.org"})

    (event,) = events(Kind.PASSWORD_RESET_REQUESTED)
    assert event.subject == "user nobody@example.org"
    assert not mail.outbox

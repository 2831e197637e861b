"""Staff change their own password, and reset a forgotten one by email (ASVS V2), under
Django's password validators; the reset never tells a stranger whether an address has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.helpers import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

CHANGE = "/account/password/"
RESET = "/password-reset/"
NEW_PASSWORD = "a brand new long passphrase"


def summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def sign_in(client: Client, email: str, password: str):
    return client.post("/sign-in/", {"username": email, "password": password})


# Changing a password -----------------------------------------------------------------------------


def test_the_header_links_to_changing_your_password(client, case_handler):
    client.force_login(case_handler)

    html = client.get("/").content.decode()

    assert f'<a class="moj-header__navigation-link" href="{CHANGE}">Change password</a>' in html


def test_the_change_page_asks_for_the_current_password_and_a_new_one_twice(client, case_handler):
    client.force_login(case_handler)

    html = client.get(CHANGE).content.decode()

    assert '<h1 class="govuk-heading-l">Change your password</h1>' in html
    for name, label in (
        ("old_password", "Current password"),
        ("new_password1", "New password"),
        ("new_password2", "Confirm new password"),
    ):
        assert f'<label class="govuk-label" for="id_{name}">{label}</label>' in html
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert "autofocus" not in html
    assert "at least 12 characters" in html  # the validators' rules, as the hint


def test_changing_the_password_keeps_you_signed_in_and_signs_out_your_other_sessions(
    client, case_handler
):
    client.force_login(case_handler)
    elsewhere = Client()
    elsewhere.force_login(case_handler)

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/", 302)]
    assert "Your password has been changed" in response.content.decode()
    case_handler.refresh_from_db()
    assert case_handler.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # to sign in


def test_the_current_password_must_be_right(client, case_handler):
    client.force_login(case_handler)

    response = client.post(
        CHANGE,
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert '<a href="#id_old_password">Your current password is not correct</a>' in summary(
        response.content.decode()
    )
    case_handler.refresh_from_db()
    assert case_handler.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short pass", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
        ("cara.handler@example", "The password is too similar to the email address."),
    ],
)
def test_django_password_validators_apply_to_a_change(client, case_handler, new, message):
    client.force_login(case_handler)

    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_new_password1">{message}</a>' in summary(html)
    case_handler.refresh_from_db()
    assert case_handler.check_password(PASSWORD)


def test_the_new_passwords_must_match(client, case_handler):
    client.force_login(case_handler)

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "different"},
    )

    assert '<a href="#id_new_password2">The new passwords do not match</a>' in summary(
        response.content.decode()
    )


def test_changing_a_password_needs_signing_in(client):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


# Resetting a forgotten password ----------------------------------------------------------------


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get("/sign-in/").content.decode()

    assert f'<a class="govuk-link" href="{RESET}">Forgotten your password?</a>' in html


def test_asking_for_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    client, case_handler
):
    known = client.post(RESET, {"email": "Cara.Handler@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [("/password-reset/sent/", 302)]
    assert known.content == unknown.content
    assert "Check your email" in known.content.decode()
    assert [message.to for message in mail.outbox] == [[case_handler.email]]


def test_a_closed_account_gets_no_reset_email(client, case_handler):
    case_handler.is_active = False
    case_handler.save()

    response = client.post(RESET, {"email": case_handler.email})

    assert response.url == "/password-reset/sent/"
    assert mail.outbox == []


def test_an_empty_or_malformed_address_is_explained(client):
    empty = client.post(RESET, {"email": ""}).content.decode()
    malformed = client.post(RESET, {"email": "not an address"}).content.decode()

    assert '<a href="#id_email">Enter your email address</a>' in summary(empty)
    assert '<label class="govuk-label" for="id_email">Email address</label>' in empty
    assert "Enter an email address in the correct format, like name@example.com" in malformed


def test_the_emailed_link_sets_a_new_password_once(client, case_handler):
    client.post(RESET, {"email": case_handler.email})
    (email,) = mail.outbox
    link = re.search(r"https?://testserver(/password-reset/\S+/)", email.body).group(1)
    assert email.subject == "Reset your PutRight password"

    to_form = client.get(link)
    assert to_form.status_code == 302  # the token leaves the address bar
    form_url = to_form.url
    too_short = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    again = client.get(link)

    assert "This password is too short" in summary(too_short.content.decode())
    assert done.redirect_chain == [("/password-reset/done/", 302)]
    assert "Password changed" in done.content.decode()
    assert "This link does not work" in again.content.decode()
    assert sign_in(Client(), case_handler.email, NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), case_handler.email, PASSWORD).status_code == 200


def test_the_reset_pages_are_open_without_signing_in(client):
    for path in (RESET, "/password-reset/sent/", "/password-reset/done/", "/password-reset/x/y/"):
        assert client.get(path).status_code == 200, path


def test_a_reset_goes_to_the_account_owner_only(client):
    ada = make_staff("Administrator")
    make_staff("Case handler")

    client.post(RESET, {"email": ada.email})

    assert [message.to for message in mail.outbox] == [[ada.email]]

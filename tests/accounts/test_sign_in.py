"""Signing in with an email address and password."""

import re

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def test_the_sign_in_page_is_open_to_anyone(client):
    response = client.get(SIGN_IN)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "govuk-error-summary" not in html


def test_signing_in_goes_to_the_home_page(client, case_handler):
    response = client.post(SIGN_IN, {"username": case_handler.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == case_handler


def test_the_email_address_is_not_case_sensitive(client, case_handler):
    response = client.post(
        SIGN_IN, {"username": "  Cara.HANDLER@Example.ORG ", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/").context["user"] == case_handler


def test_a_wrong_password_shows_an_error_and_keeps_the_email_address(client, case_handler):
    response = client.post(SIGN_IN, {"username": "Cara.Handler@example.org", "password": "nope"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in – PutRight" in html
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert '<a href="#id_username">The email address or password is not correct</a>' in summary
    assert 'value="Cara.Handler@example.org"' in html  # what they typed, as they typed it
    assert 'id="id_username-error"' in html
    assert 'aria-describedby="id_username-error"' in html
    assert 'name="password" type="password"' in html
    assert 'value="nope"' not in html  # a password is never sent back
    assert not response.wsgi_request.user.is_authenticated


def test_an_unknown_email_address_gets_the_same_message(client, case_handler):
    response = client.post(SIGN_IN, {"username": "nobody@example.org", "password": PASSWORD})

    assert "The email address or password is not correct" in response.content.decode()


def test_a_closed_account_cannot_sign_in(client, case_handler):
    case_handler.is_active = False
    case_handler.save()

    response = client.post(SIGN_IN, {"username": case_handler.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "The email address or password is not correct" in response.content.decode()


def test_empty_fields_say_what_to_enter(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})

    html = response.content.decode()
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_signing_in_returns_to_the_page_asked_for(client, case_handler):
    response = client.post(
        f"{SIGN_IN}?next=/admin/",
        {"username": case_handler.email, "password": PASSWORD, "next": "/admin/"},
    )

    assert response.url == "/admin/"


def test_signing_in_will_not_send_people_to_another_site(client, case_handler):
    response = client.post(
        SIGN_IN,
        {"username": case_handler.email, "password": PASSWORD, "next": "https://evil.example"},
    )

    assert response.url == "/"


def test_someone_signed_in_is_sent_on_from_the_sign_in_page(client, case_handler):
    client.force_login(case_handler)

    response = client.get(SIGN_IN)

    assert response.status_code == 302
    assert response.url == reverse("accounts:home")

"""Signing out: a POST from the button in the header, then a message on the sign-in page."""

import pytest

pytestmark = pytest.mark.django_db

SIGN_OUT = "/sign-out/"


def test_the_header_has_a_sign_out_button_that_posts(client, case_handler):
    client.force_login(case_handler)

    html = client.get("/").content.decode()

    assert '<form method="post" action="/sign-out/"' in html
    assert '<button type="submit" class="app-header__sign-out">Sign out</button>' in html
    assert "Cara Handler" in html


def test_signing_out_needs_a_post(client, case_handler):
    client.force_login(case_handler)

    response = client.get(SIGN_OUT)

    assert response.status_code == 405
    assert client.get("/").status_code == 200  # still signed in


def test_signing_out_ends_the_session_and_says_so(client, case_handler):
    client.force_login(case_handler)

    response = client.post(SIGN_OUT, follow=True)

    assert response.redirect_chain == [("/sign-in/", 302)]
    html = response.content.decode()
    assert "You have signed out" in html
    assert "govuk-notification-banner--success" in html
    assert client.get("/").status_code == 302


def test_signing_out_when_already_signed_out_goes_to_sign_in(client):
    response = client.post(SIGN_OUT)

    assert response.status_code == 302
    assert response.url == "/sign-in/"

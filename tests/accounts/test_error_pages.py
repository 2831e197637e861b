"""The 403, 404 and 500 pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from putright.accounts.views import server_error


@pytest.mark.django_db
def test_a_missing_page_gets_the_404_page(client, case_handler):
    client.force_login(case_handler)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – PutRight" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert '<html lang="en-GB"' in html
    assert "Cara Handler" in html  # the usual header: still signed in


@pytest.mark.django_db
def test_the_404_page_for_someone_signed_out(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_the_403_page(case_handler):
    request = RequestFactory().get("/somewhere/")
    request.user = case_handler

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_the_500_page_needs_no_database():
    # No django_db mark: any database query here would fail the test.
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert '<link rel="stylesheet" href="/static/app.css">' in html


def test_the_500_page_is_the_project_handler():
    from putright import urls

    assert urls.handler500 == "putright.accounts.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.accounts.error_urls")
def test_an_unexpected_error_gets_the_500_page(client, case_handler):
    client.raise_request_exception = False
    client.force_login(case_handler)

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_a_page_that_explains(case_handler):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/sign-in/", {"username": case_handler.email, "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, your form could not be sent" in html
    assert "<style" not in html

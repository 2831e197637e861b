"""Sessions (ASVS V3): signed out after 30 minutes without a request and 9 hours after signing
in, a cookie that goes when the browser closes, and ``__Host-`` cookie names over HTTPS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    """``later(minutes=…)`` moves Django's clock (``timezone.now``) on, for the session store
    and the session limits alike."""
    start = timezone.now()
    offset = dt.timedelta()

    def advance(**delta) -> None:
        nonlocal offset
        offset += dt.timedelta(**delta)

    monkeypatch.setattr(timezone, "now", lambda: start + offset)
    return advance


def test_the_defaults_are_thirty_minutes_idle_and_nine_hours_in_all():
    assert settings.PUTRIGHT_SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.PUTRIGHT_SESSION_MAX_AGE == 9 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_session_cookie_lasts_until_the_browser_closes_and_is_host_only(client, case_handler):
    response = client.post("/sign-in/", {"username": case_handler.email, "password": PASSWORD})

    cookie = response.cookies["__Host-sessionid"]
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # no lifetime: a browser session
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""  # __Host-: this host only


def test_the_csrf_cookie_has_the_host_prefix_too(client):
    response = client.get("/sign-in/")

    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""


def test_a_session_in_use_stays_signed_in(client, case_handler, later):
    client.force_login(case_handler)

    for _ in range(6):  # an hour and a half, a request every quarter of an hour
        later(minutes=15)
        assert client.get("/").status_code == 200


def test_thirty_minutes_without_a_request_signs_you_out_and_says_why(client, case_handler, later):
    client.force_login(case_handler)
    later(minutes=29)
    assert client.get("/").status_code == 200

    later(minutes=30)
    response = client.get("/cases/queues/mine/")

    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/cases/queues/mine/"
    html = client.get(response.url).content.decode()
    assert "You have been signed out because you had not used PutRight for 30 minutes." in html
    assert client.get("/").status_code == 302  # and it stays that way


def test_an_abandoned_session_expires_in_the_database_too(client, case_handler, later):
    client.force_login(case_handler)
    client.get("/")

    later(minutes=32)

    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()
    assert client.get("/").status_code == 302


def test_nine_hours_after_signing_in_you_are_signed_out_however_busy(client, case_handler, later):
    client.post("/sign-in/", {"username": case_handler.email, "password": PASSWORD})

    for _ in range(35):  # 8 hours 45 minutes, a request every quarter of an hour
        later(minutes=15)
        assert client.get("/").status_code == 200
    later(minutes=15)
    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/sign-in/?next=/", 302)]
    assert "You have been signed out because you signed in more than 9 hours ago." in (
        response.content.decode()
    )


def test_signing_in_again_starts_both_limits_afresh(client, case_handler, later):
    client.force_login(case_handler)
    later(hours=9)
    client.get("/")  # signed out

    client.post("/sign-in/", {"username": case_handler.email, "password": PASSWORD})
    later(minutes=20)

    assert client.get("/").status_code == 200


def test_a_session_is_saved_at_most_once_a_minute(client, case_handler, later):
    """Not a database write on every page: the expiry moves on when a minute has passed."""
    client.force_login(case_handler)
    expiry = Session.objects.get().expire_date

    later(seconds=30)
    client.get("/")
    unchanged = Session.objects.get().expire_date
    later(seconds=40)
    client.get("/")
    moved = Session.objects.get().expire_date

    assert unchanged == expiry
    assert moved == expiry + dt.timedelta(seconds=70)

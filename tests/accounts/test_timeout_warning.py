"""The timeout warning's server side: what the page tells the script, and "Stay signed in"."""

import math
import re
import time

import pytest
from django.urls import reverse

from putright.core.middleware import LAST_SEEN
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_carries_the_warning_with_the_time_left(client, settings):
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 1800
    client.force_login(make_staff("Case handler"))

    html = client.get(reverse("accounts:home")).content.decode()

    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 1795 <= seconds_left <= 1800  # a second may pass between sign-in and the page
    assert "Stay signed in" in html


def test_the_time_left_counts_from_the_last_activity_saved(client, settings):
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 1800
    handler = make_staff("Case handler")
    started = time.monotonic()
    client.force_login(handler)
    session = client.session
    session[LAST_SEEN] -= 50  # saved 50 seconds ago; within a minute it is not saved again
    session.save()

    html = client.get(reverse("accounts:home")).content.decode()

    # 1,800 less the 50, less however long this test took on a busy machine (whole seconds).
    taken = math.ceil(time.monotonic() - started)
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 1750 - taken - 1 <= seconds_left <= 1750


def test_signed_out_pages_have_no_warning(client):
    assert "data-app-timeout" not in client.get(reverse("accounts:sign-in")).content.decode()


def test_stay_signed_in_records_activity_and_answers_the_time_left(client, settings):
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 1800
    client.force_login(make_staff("Case handler"))
    session = client.session
    session[LAST_SEEN] -= 1700  # the warning would be open now
    session.save()

    answer = client.post(reverse("keep-alive"))

    assert answer.status_code == 200
    assert answer.json()["signed_in"] is True
    assert answer.json()["seconds_left"] >= 1799
    assert client.get(reverse("keep-alive")).status_code == 405


def test_stay_signed_in_after_the_limit_says_signed_out(client, settings):
    settings.PUTRIGHT_SESSION_IDLE_TIMEOUT = 1800
    client.force_login(make_staff("Case handler"))
    session = client.session
    session[LAST_SEEN] -= 1801
    session.save()

    answer = client.post(reverse("keep-alive"))

    # Signed out by the session limits, as any other page would be (the script then reloads).
    assert (answer.status_code, answer["Location"]) == (302, "/sign-in/?next=/session/keep-alive/")
    assert client.post(reverse("keep-alive")).status_code == 302  # and so is anyone signed out

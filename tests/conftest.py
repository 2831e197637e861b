"""Suite-wide fixtures. App-specific fixtures live beside the app's tests."""

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# CI runs the suite on both databases at once, one per core, so a test can be slowed by the other:
# Hypothesis still tries as many examples, but no longer fails a test for taking its time.
hypothesis_settings.register_profile(
    "putright", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("putright")

# Playwright's sync API runs an event loop in the test thread; Django must allow sync ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _runs_after(item: pytest.Item) -> int:
    """0 for a test that rolls back, 1 for a transactional one, 2 for one without a database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that roll back must all run before transactional ones, which leave the database
    empty as they end (pytest-django sorts them so). pytest then groups the tests that share a
    parametrized session fixture, Playwright's ``browser_name``: a single browser test that
    rolls back pulled every transactional browser test in among the rolled-back tests, and those
    after them met an empty database (no permissions: 403 everywhere). So sort again, last."""
    items.sort(key=_runs_after)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the rows serialized at set-up (seeded categories, exclusion reasons) on the
    connection class as well as on the connection.

    Playwright's sync API runs browser tests in another context, where Django hands out a new
    connection object that lacks ``_test_serialized_contents``; ``serialized_rollback`` would
    then restore nothing and later tests would find the seeded reference lists empty.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with one fast round: the production hasher (PBKDF2, a million rounds) is
    slow by design, and the suite makes thousands of staff accounts. Nothing here tests the
    hasher itself; production settings keep Django's default."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _second_factor_not_required_by_default():
    """Tests sign staff in with ``force_login`` (a password-only session); with the production
    default a manager or administrator would then meet the second factor's code page first. So
    no role requires it in tests, as in ``make run``'s demo: the second factor's own tests ask
    for the production default with the ``two_factor_required`` fixture."""
    from django.test import override_settings

    with override_settings(PUTRIGHT_TWO_FACTOR_REQUIRED_FOR=[]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _uploads_and_letters_kept_apart(tmp_path_factory):
    """Documents and letters' PDFs the tests store go to a directory of their own, not into
    ``var/media`` where ``make run`` keeps the demo's."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def two_factor_required(settings):
    """The production default: complaints managers and administrators must use a second
    factor."""
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = ["Complaints manager", "Administrator"]


@pytest.fixture
def set_today(monkeypatch):
    """Set the one clock (``putright.core.clock``): every service, selector and screen then
    takes ``day`` as today, until the test ends."""
    from putright.core import clock

    def _set(day: dt.date) -> dt.date:
        monkeypatch.setattr(clock, "_fixed", day)
        return day

    return _set


@pytest.fixture
def named_organisation(db):
    """Every letter is signed with the landlord's name, and a letter missing it cannot be
    issued: a fresh deployment's administrator sets it once. Tests that issue letters through
    the screens start from a named organisation (the letter tests set their own details)."""
    from putright.organisation.models import Organisation

    Organisation.objects.update_or_create(singleton=1, defaults={"name": "Greenway Homes"})

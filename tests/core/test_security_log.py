"""The security log (issue 24, ASVS V7): what ``record`` keeps, that nothing in the application
changes or deletes an event, and that administrators read it in the admin and nobody edits it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin

from putright.accounts.models import User
from putright.core import security_log
from putright.core.models import SecurityEvent
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


@pytest.fixture
def case_handler():
    return make_staff("Case handler")


@pytest.fixture
def administrator():
    return make_staff("Administrator")


def test_an_event_keeps_who_what_where_from_and_the_details(rf, case_handler):
    request = rf.get("/", REMOTE_ADDR="192.0.2.10")

    event = security_log.record(
        Kind.EXPORT,
        actor=case_handler,
        subject="resident R-000123",
        request=request,
        on=dt.date(2026, 1, 9),
        rows=3,
    )

    event.refresh_from_db()
    assert event.kind == "export"
    assert event.actor == case_handler
    assert event.actor_description == ""
    assert event.subject == "resident R-000123"
    assert event.ip_address == "192.0.2.10"
    assert event.details == {"on": "2026-01-09", "rows": 3}
    assert event.occurred_at is not None


def test_without_a_user_the_actor_is_described_and_without_a_request_there_is_no_address():
    event = security_log.record(Kind.SIGN_IN_FAILED, actor="Someone signing in", subject="x")
    nobody = security_log.record(Kind.EXPORT)

    assert (event.actor, event.actor_description, event.ip_address) == (
        None,
        "Someone signing in",
        None,
    )
    assert nobody.actor_description == "PutRight (no signed-in user)"


def test_the_signed_in_user_of_the_request_is_the_actor_by_default(rf, case_handler):
    request = rf.get("/", REMOTE_ADDR="192.0.2.11")
    request.user = case_handler

    assert security_log.record(Kind.EXPORT, request=request).actor == case_handler


def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9", REMOTE_ADDR="10.0.0.2")

    assert security_log.record(Kind.EXPORT, request=request).ip_address == "198.51.100.9"


def test_an_address_that_is_not_one_is_kept_as_text_beside_the_event(rf):
    request = rf.get("/", REMOTE_ADDR="not an address")

    event = security_log.record(Kind.EXPORT, request=request)

    assert event.ip_address is None
    assert event.details == {"ip_address_given": "not an address"}


def test_a_long_subject_is_cut_to_the_column():
    references = [f"C-2026-{n:05d}" for n in range(40)]

    subject = security_log.subject_for("complaint", references)

    assert len(subject) == 200
    assert subject.startswith("complaints C-2026-00000, C-2026-00001")
    assert subject.endswith("…")
    assert security_log.subject_for("complaint", ["C-2026-00001"]) == "complaint C-2026-00001"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        security_log.record("made_up")


def test_the_request_being_served_gives_its_address_to_a_record_made_without_it(rf, case_handler):
    """A selector logs a read with a user, not a request: the middleware supplies the address."""
    request = rf.get("/", REMOTE_ADDR="192.0.2.20")
    middleware = security_log.SecurityLogMiddleware(
        lambda request: security_log.record(Kind.EXPORT, actor=case_handler)
    )

    during = middleware(request)
    after = security_log.record(Kind.EXPORT, actor=case_handler)

    assert during.ip_address == "192.0.2.20"
    assert after.ip_address is None  # forgotten once the response is made


# Append-only -------------------------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_in_the_application():
    event = security_log.record(Kind.EXPORT, subject="resident R-1")

    event.subject = "resident R-2"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).update(subject="resident R-2")
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).delete()

    event.refresh_from_db()
    assert event.subject == "resident R-1"


# The admin ---------------------------------------------------------------------------------------


@pytest.fixture
def events(case_handler):
    security_log.record(Kind.SIGN_IN_FAILED, actor="Someone signing in", subject="user a@b.c")
    return security_log.record(Kind.ROLES_CHANGED, actor=case_handler, subject="user x@y.z")


def test_an_administrator_reads_the_log_filtered_by_kind_and_date(client, administrator, events):
    client.force_login(administrator)

    everything = client.get("/admin/core/securityevent/").content.decode()
    roles = client.get("/admin/core/securityevent/?kind=roles_changed").content.decode()
    today = dt.date.today()
    by_date = client.get(
        f"/admin/core/securityevent/?occurred_at__year={today.year}"
        f"&occurred_at__month={today.month}&occurred_at__day={today.day}"
    )
    record = client.get(f"/admin/core/securityevent/{events.pk}/change/")

    assert "user a@b.c" in everything and "user x@y.z" in everything
    assert "user x@y.z" in roles and "user a@b.c" not in roles
    assert by_date.status_code == 200 and "user x@y.z" in by_date.content.decode()
    assert record.status_code == 200
    assert 'name="subject"' not in record.content.decode()  # shown, not a form field
    assert 'href="/admin/core/securityevent/">' in client.get("/admin/").content.decode()


@pytest.mark.parametrize("as_superuser", [False, True])
def test_nobody_adds_changes_or_deletes_an_event_in_the_admin(client, events, as_superuser):
    if as_superuser:
        user = User.objects.create_superuser(
            email="root@example.org", password="a long root password", full_name="Root"
        )
    else:
        user = make_staff("Administrator")
    client.force_login(user)
    base = "/admin/core/securityevent/"

    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {"kind": "export"}).status_code == 403
    changed = client.post(f"{base}{events.pk}/change/", {"subject": "rewritten"})
    assert changed.status_code == 403
    assert client.get(f"{base}{events.pk}/delete/").status_code == 403
    assert client.post(f"{base}{events.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        base, {"action": "delete_selected", "_selected_action": [events.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    events.refresh_from_db()
    assert events.subject == "user x@y.z"

    model_admin = admin.site._registry[SecurityEvent]
    request = type("Request", (), {"user": user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, events)
    assert not model_admin.has_delete_permission(request, events)


@pytest.mark.parametrize(
    "role", ["Case handler", "Quality reviewer", "Complaints manager", "Board member"]
)
def test_other_roles_cannot_read_the_log(client, role):
    client.force_login(make_staff(role, is_staff=True))

    assert client.get("/admin/core/securityevent/").status_code == 302  # to the admin sign-in

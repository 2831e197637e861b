"""Reads of confidential complaints go in the security log (issue 24, ASVS V7): the case page,
every queue and home page list that shows one (one event per page, naming each), and the admin."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from putright.accounts import roles
from putright.complaints import services
from putright.complaints.models import Channel, Complaint
from putright.core.models import SecurityEvent
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def log(manager, *, handler=None, **kwargs) -> Complaint:
    return services.complaint_log(
        acting_user=manager,
        complainant=ResidentFactory(),
        channel=Channel.PHONE,
        received_at=dt.datetime(2026, 1, 5, 10, tzinfo=LONDON),
        description="Nobody has fixed the damp in my bedroom since May.",
        handler=handler,
        **kwargs,
    )


def reads() -> list[SecurityEvent]:
    return list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CONFIDENTIAL_READ).order_by("id")
    )


@pytest.fixture
def world(set_today):
    set_today(dt.date(2026, 1, 6))
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)
    handler = StaffUserFactory(role=roles.CASE_HANDLER)
    secret = [log(manager, handler=handler, is_confidential=True) for _ in range(2)]
    ordinary = log(manager, handler=handler)
    return manager, handler, secret, ordinary


def test_the_case_page_of_a_confidential_complaint_writes_one_event(client, world):
    manager, _, secret, ordinary = world
    client.force_login(manager)

    client.get(f"/cases/{secret[0].reference}/", REMOTE_ADDR="192.0.2.9")
    client.get(f"/cases/{ordinary.reference}/")

    (event,) = reads()
    assert event.actor == manager
    assert event.subject == f"complaint {secret[0].reference}"
    assert event.ip_address == "192.0.2.9"
    assert event.details == {"where": "case page", "references": [secret[0].reference]}


def test_a_queue_page_listing_confidential_complaints_writes_one_event_naming_each(client, world):
    _, handler, secret, ordinary = world
    client.force_login(handler)

    response = client.get(reverse("casework:queue", kwargs={"queue": "mine"}))

    assert response.status_code == 200
    assert ordinary.reference in response.content.decode()
    (event,) = reads()
    assert event.actor == handler
    assert sorted(event.details["references"]) == sorted(c.reference for c in secret)
    assert ordinary.reference not in event.subject
    assert event.details["where"] == "queue mine"


def test_a_queue_page_without_confidential_complaints_writes_nothing(client, world):
    manager, _, _, _ = world
    colleague = StaffUserFactory(role=roles.CASE_HANDLER)
    log(manager, handler=colleague)
    client.force_login(colleague)

    client.get(reverse("casework:queue", kwargs={"queue": "mine"}))

    assert reads() == []


def test_the_handler_s_home_page_lists_their_confidential_cases_once(client, world):
    _, handler, secret, _ = world
    client.force_login(handler)

    assert client.get("/").status_code == 200

    (event,) = reads()
    assert event.actor == handler
    assert event.details["where"] == "home page"
    assert sorted(event.details["references"]) == sorted(c.reference for c in secret)


def test_the_complaints_admin_logs_lists_and_records(client, world):
    _, _, secret, ordinary = world
    superuser = StaffUserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)

    listing = client.get(reverse("admin:complaints_complaint_changelist"))
    record = client.get(reverse("admin:complaints_complaint_change", args=[secret[1].pk]))
    client.get(reverse("admin:complaints_complaint_change", args=[ordinary.pk]))

    assert listing.status_code == record.status_code == 200
    page_event, record_event = reads()
    assert page_event.details["where"] == "admin list"
    assert sorted(page_event.details["references"]) == sorted(c.reference for c in secret)
    assert record_event.details == {"where": "admin record", "references": [secret[1].reference]}


def test_the_admin_of_a_complaint_s_records_logs_the_confidential_ones_they_belong_to(
    client, world
):
    _, _, secret, _ = world
    client.force_login(StaffUserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:complaints_complaintevent_changelist"))

    assert response.status_code == 200
    (event,) = reads()
    assert event.details["where"] == "admin list (complaint events)"
    assert event.details["references"] == sorted(c.reference for c in secret)

"""Reads of health, disability and equality data go in the security log (issue 24, ASVS V7): one
event per profile or admin page that shows them, naming the person by reference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from putright.accounts import roles
from putright.core.models import SecurityEvent
from putright.people import selectors
from tests.people.factories import (
    DisabilityFactory,
    EqualityDataFactory,
    ResidentFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db


def reads() -> list[SecurityEvent]:
    return list(
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SPECIAL_CATEGORY_READ).order_by("id")
    )


@pytest.fixture
def resident():
    person = ResidentFactory(reference="R-000123")
    DisabilityFactory(resident=person, description="Uses a wheelchair")
    EqualityDataFactory(resident=person)
    return person


def test_a_profile_with_special_category_data_writes_one_event(resident):
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)

    selectors.resident_profile(resident.pk, user=manager)

    (event,) = reads()
    assert event.actor == manager
    assert event.subject == "resident R-000123"
    assert event.details == {
        "where": "resident profile",
        "residents": ["R-000123"],
        "resident_ids": [resident.pk],
        "disabilities": 1,
        "equality_data": True,
    }
    assert "wheelchair" not in str(event.details)  # the log never copies the data itself


def test_each_read_is_logged(resident):
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)

    selectors.resident_profile(resident.pk, user=manager)
    selectors.resident_profile(resident.pk, user=manager)

    assert len(reads()) == 2


def test_nothing_is_logged_when_none_is_shown(resident):
    handler = StaffUserFactory(role=roles.CASE_HANDLER)
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)
    nothing_held = ResidentFactory()

    selectors.resident_profile(resident.pk, user=handler)  # not allowed to see it
    selectors.resident_profile(nothing_held.pk, user=manager)  # nothing to see

    assert reads() == []


def test_a_person_without_a_reference_is_named_by_id():
    person = ResidentFactory(reference=None)
    EqualityDataFactory(resident=person)

    selectors.resident_profile(person.pk, user=StaffUserFactory(role=roles.COMPLAINTS_MANAGER))

    assert reads()[0].subject == f"resident id {person.pk}"


def test_the_admin_logs_one_event_per_list_page_and_one_per_record(client, resident):
    other = DisabilityFactory(resident=ResidentFactory(reference="R-000124"))
    superuser = StaffUserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)

    listing = client.get(reverse("admin:people_discloseddisability_changelist"))
    record = client.get(reverse("admin:people_discloseddisability_change", args=[other.pk]))

    assert listing.status_code == record.status_code == 200
    page_event, record_event = reads()
    assert page_event.actor == superuser
    assert page_event.details["where"] == "admin list"
    assert sorted(page_event.details["residents"]) == ["R-000123", "R-000124"]
    assert record_event.subject == "resident R-000124"
    assert record_event.details["where"] == "admin record"


def test_a_refused_admin_page_logs_no_read(client, resident):
    administrator = StaffUserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)
    disability = resident.disabilities.get()

    client.get(reverse("admin:people_discloseddisability_changelist"))
    client.get(reverse("admin:people_discloseddisability_change", args=[disability.pk]))

    assert reads() == []

"""The database itself refuses rows that break the people invariants, whatever writes them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from putright.people.models import Resident, ResidentEvent
from tests.people.factories import (
    AdjustmentFactory,
    PropertyFactory,
    ResidentFactory,
    RestrictionFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_a_tenancy_cannot_end_before_it_starts():
    refused_by_database(
        TenancyFactory,
        start_date=dt.date(2025, 4, 7),
        end_date=dt.date(2025, 4, 6),
        end_reason="moved_out",
    )


def test_a_person_holds_one_current_tenancy():
    current = TenancyFactory()
    refused_by_database(TenancyFactory, resident=current.resident)


def test_a_tenure_must_be_one_of_the_list():
    refused_by_database(TenancyFactory, tenure="council")


def test_a_uprn_belongs_to_one_home_and_is_digits():
    PropertyFactory(uprn="100090000001")
    refused_by_database(PropertyFactory, uprn="100090000001")
    refused_by_database(PropertyFactory, uprn="UPRN-1")
    PropertyFactory(uprn=None)
    PropertyFactory(uprn=None)  # many homes may have no UPRN


def test_an_adjustment_review_date_must_follow_the_date_agreed():
    refused_by_database(
        AdjustmentFactory, agreed_on=dt.date(2025, 3, 3), next_review_on=dt.date(2025, 3, 3)
    )


def test_a_restriction_needs_a_proportionality_note_and_a_later_review_date():
    refused_by_database(RestrictionFactory, proportionality_note="")
    refused_by_database(
        RestrictionFactory, starts_on=dt.date(2025, 6, 16), next_review_on=dt.date(2025, 6, 1)
    )


def test_resident_choices_are_checked_by_the_database():
    refused_by_database(ResidentFactory, kind="lodger")
    refused_by_database(ResidentFactory, preferred_format="fax")


def test_history_is_append_only_and_about_someone_or_somewhere():
    resident = ResidentFactory()
    event = ResidentEvent.objects.create(
        resident=resident, happened_on=dt.date(2025, 1, 6), action="resident_created"
    )
    event.summary = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentEvent.objects.create(happened_on=dt.date(2025, 1, 6), action="orphan")


def test_a_resident_has_the_special_category_and_subject_access_permissions():
    codenames = [codename for codename, _ in Resident._meta.permissions]
    assert codenames == ["view_special_category", "export_subject_access"]

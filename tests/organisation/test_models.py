"""Invariants held by the organisation models, most of them by the database itself."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from putright.organisation.models import (
    Category,
    ClosureDay,
    ExclusionReason,
    Organisation,
    StockCount,
)

pytestmark = pytest.mark.django_db


def test_a_second_organisation_row_is_refused_by_the_database():
    Organisation.objects.get_or_create(singleton=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Another landlord")


def test_the_singleton_column_cannot_hold_anything_but_one():
    Organisation.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(singleton=2, name="Sneaky")


def test_first_contact_target_must_be_stricter_than_the_code_acknowledgement():
    organisation, _ = Organisation.objects.get_or_create(singleton=1)
    organisation.first_contact_target_days = 6
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_first_contact_target_may_be_switched_off():
    organisation, _ = Organisation.objects.get_or_create(singleton=1)
    organisation.first_contact_target_days = None
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.first_contact_target_days is None


@pytest.mark.parametrize(
    ("start_month", "day", "year"),
    [
        (4, date(2026, 3, 31), 2025),
        (4, date(2026, 4, 1), 2026),
        (1, date(2026, 12, 31), 2026),
    ],
)
def test_reporting_year_is_named_by_the_year_it_starts(start_month, day, year):
    organisation = Organisation(reporting_year_start_month=start_month)
    assert organisation.reporting_year_of(day) == year


def test_reporting_year_bounds_run_april_to_march_by_default():
    assert Organisation().reporting_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert Organisation(reporting_year_start_month=1).reporting_year_bounds(2025) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )


def test_a_closure_day_must_be_a_weekday_that_is_not_a_bank_holiday():
    with pytest.raises(ValidationError) as saturday:
        ClosureDay(date=date(2025, 12, 27), description="Christmas").full_clean()
    assert "weekend day or a bank holiday" in saturday.value.message_dict["date"][0]
    with pytest.raises(ValidationError):
        ClosureDay(date=date(2025, 12, 25), description="Christmas Day").full_clean()
    ClosureDay(date=date(2025, 12, 24), description="Christmas Eve").full_clean()


def test_one_closure_day_per_date():
    ClosureDay.objects.create(date=date(2025, 12, 24), description="Christmas Eve")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureDay.objects.create(date=date(2025, 12, 24), description="Again")


def test_one_stock_count_per_year_and_tenure():
    StockCount.objects.create(reporting_year=2025, tenure=StockCount.Tenure.LCRA, homes=1200)
    StockCount.objects.create(reporting_year=2025, tenure=StockCount.Tenure.LCHO, homes=85)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockCount.objects.create(reporting_year=2025, tenure=StockCount.Tenure.LCRA, homes=1)


def test_stock_count_labels_the_financial_year():
    assert StockCount(reporting_year=2025).reporting_year_label == "2025/26"
    assert StockCount(reporting_year=2099).reporting_year_label == "2099/00"


def test_sub_categories_go_one_level_deep_only():
    repairs = Category.objects.get(parent=None, name="Repairs")
    delays = Category.objects.get(parent=repairs, name="Time taken to complete a repair")

    with pytest.raises(ValidationError) as too_deep:
        Category(name="Plumbing delays", parent=delays).full_clean()
    assert "one level deep" in too_deep.value.message_dict["parent"][0]

    Category(name="Roofing", parent=repairs).full_clean()


def test_a_category_with_sub_categories_cannot_become_one():
    repairs = Category.objects.get(parent=None, name="Repairs")
    repairs.parent = Category.objects.get(parent=None, name="Other")
    with pytest.raises(ValidationError) as error:
        repairs.full_clean()
    assert "must stay top-level" in error.value.message_dict["parent"][0]


def test_category_names_are_unique_among_siblings_and_at_the_top():
    repairs = Category.objects.get(parent=None, name="Repairs")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="Repairs")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="Standard of repair work", parent=repairs)
    # The same name under a different parent is fine.
    Category.objects.create(
        name="Standard of repair work", parent=Category.objects.get(name="Other")
    )


def test_an_exclusion_reason_needing_a_date_says_which_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExclusionReason.objects.create(code="x", label="X", requires_date_evidence=True)

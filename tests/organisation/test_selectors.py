"""Reading the organisation's settings, calendar and lists."""

from datetime import date
from unittest import mock

import pytest
from django.db import OperationalError

from putright.organisation import selectors
from putright.organisation.models import (
    Category,
    ClosureDay,
    ExclusionReason,
    Organisation,
    StockCount,
)
from putright.rules.timescales import CODE

pytestmark = pytest.mark.django_db

CHRISTMAS_2025 = [date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]


def close_for_christmas_2025() -> None:
    ClosureDay.objects.bulk_create(
        ClosureDay(date=d, description="Christmas closure") for d in CHRISTMAS_2025
    )


def test_organisation_name_falls_back_to_putright_until_a_name_is_set():
    assert selectors.organisation_name() == "PutRight"
    Organisation.objects.update(name="Riverside Example Homes")
    assert selectors.organisation_name() == "Riverside Example Homes"


def test_organisation_name_copes_with_an_empty_table_without_creating_a_row():
    Organisation.objects.all().delete()
    assert selectors.organisation_name() == "PutRight"
    assert not Organisation.objects.exists()


def test_organisation_name_copes_with_a_database_not_yet_migrated():
    with mock.patch.object(
        Organisation.objects, "values_list", side_effect=OperationalError("no such table")
    ):
        assert selectors.organisation_name() == "PutRight"


def test_get_organisation_creates_the_row_with_defaults_when_missing():
    Organisation.objects.all().delete()
    organisation = selectors.get_organisation()
    assert organisation.escalation_window_days == 20
    assert selectors.get_organisation().pk == organisation.pk
    assert Organisation.objects.count() == 1


def test_closure_days_are_none_by_default():
    assert selectors.closure_days() == frozenset()
    assert selectors.current_calendar().closures == frozenset()


def test_without_closure_days_the_christmas_deadline_is_the_thirty_first():
    # 25 and 26 Dec are bank holidays, 27 and 28 a weekend.
    assert selectors.current_calendar().add(date(2025, 12, 22), 5) == date(2025, 12, 31)


def test_closure_days_push_the_christmas_deadline_into_january():
    close_for_christmas_2025()
    calendar = selectors.current_calendar()
    assert selectors.closure_days() == frozenset(CHRISTMAS_2025)
    assert calendar.closures == frozenset(CHRISTMAS_2025)
    # 23 Dec, then 2, 5, 6 and 7 Jan (1 Jan is a bank holiday).
    assert calendar.add(date(2025, 12, 22), 5) == date(2026, 1, 7)
    assert calendar.between(date(2025, 12, 22), date(2026, 1, 7)) == 5
    assert not calendar.is_working_day(date(2025, 12, 24))


def test_current_calendar_costs_one_query_and_reuses_the_built_calendar(
    django_assert_max_num_queries,
):
    close_for_christmas_2025()
    first = selectors.current_calendar()
    with django_assert_max_num_queries(1):
        second = selectors.current_calendar()
    assert second is first


def test_current_calendar_sees_a_change_at_once():
    before = selectors.current_calendar()
    close_for_christmas_2025()
    after = selectors.current_calendar()
    assert after is not before
    assert after.add(date(2025, 12, 22), 5) == date(2026, 1, 7)
    ClosureDay.objects.all().delete()
    assert selectors.current_calendar().add(date(2025, 12, 22), 5) == date(2025, 12, 31)


def test_current_timescales_keep_the_code_and_add_the_landlord_policy():
    Organisation.objects.update(escalation_window_days=15, first_contact_target_days=2)
    timescales = selectors.current_timescales()
    assert timescales.stage1 == CODE.stage1
    assert timescales.stage2 == CODE.stage2
    assert timescales.age_limit_months == 12
    assert timescales.escalation_window == 15
    assert dict(timescales.local_targets) == {"first_contact": 2}


def test_current_timescales_without_a_local_target():
    Organisation.objects.update(first_contact_target_days=None)
    assert dict(selectors.current_timescales().local_targets) == {}


def test_homes_by_tenure_marks_a_missing_count_as_unknown():
    StockCount.objects.create(reporting_year=2025, tenure="LCRA", homes=1200)
    StockCount.objects.create(reporting_year=2025, tenure="LCHO", homes=85)
    StockCount.objects.create(reporting_year=2024, tenure="LCRA", homes=1150)
    assert selectors.homes_by_tenure(2025) == {"LCRA": 1200, "LCHO": 85}
    assert selectors.homes_by_tenure(2024) == {"LCRA": 1150, "LCHO": None}
    assert selectors.homes_by_tenure(2023) == {"LCRA": None, "LCHO": None}


def test_active_categories_take_two_queries_and_skip_retired_ones(django_assert_num_queries):
    Category.objects.filter(parent=None, name="Defects").update(is_active=False)
    Category.objects.filter(name="Parking").update(is_active=False)
    with django_assert_num_queries(2):
        categories = selectors.active_categories()
        names = {c.name: [child.name for child in c.children.all()] for c in categories}
    assert "Defects" not in names
    assert "Grounds maintenance" in names["Estate and neighbourhood"]
    assert "Parking" not in names["Estate and neighbourhood"]
    assert names["Other"] == []
    assert list(names)[0] == "Repairs"


def test_exclusion_reasons_for_escalation_include_those_for_both():
    escalation = set(selectors.exclusion_reasons("escalation").values_list("code", flat=True))
    acceptance = set(selectors.exclusion_reasons("acceptance").values_list("code", flat=True))
    assert "already-considered" in acceptance
    assert "already-considered" not in escalation
    assert "legal-proceedings" in escalation & acceptance
    assert selectors.exclusion_reasons().count() == 6


def test_exclusion_reasons_leave_out_retired_ones():
    ExclusionReason.objects.filter(code="not-our-service").update(is_active=False)
    assert not selectors.exclusion_reasons("acceptance").filter(code="not-our-service").exists()


def test_exclusion_reasons_refuse_an_unknown_decision():
    with pytest.raises(ValueError, match="applies_to"):
        selectors.exclusion_reasons("closure")

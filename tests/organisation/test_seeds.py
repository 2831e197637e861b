"""The starting lists a new deployment gets from the data migration."""

import pytest
from django.contrib.auth.models import Permission

from putright.organisation.models import (
    BusinessArea,
    Category,
    ExclusionReason,
    Organisation,
)

pytestmark = pytest.mark.django_db


def test_the_settings_row_exists_with_the_ombudsman_and_regulator_details():
    organisation = Organisation.objects.get()
    for fact in (
        "Housing Ombudsman Service",
        "PO Box 1484, Unit D",
        "Preston",
        "PR2 0ET",
        "0300 111 3000",
        "info@housing-ombudsman.org.uk",
        "www.housing-ombudsman.org.uk",
    ):
        assert fact in organisation.ombudsman_contact
    assert "0300 790 6787" in organisation.building_safety_regulator_contact
    assert "GOV.UK" in organisation.building_safety_regulator_contact


def test_the_settings_defaults_match_the_policy():
    organisation = Organisation.objects.get()
    assert organisation.reporting_year_start_month == Organisation.Month.APRIL
    assert organisation.stage1_requires_sign_off is True
    assert organisation.stage2_requires_sign_off is True
    assert organisation.escalation_window_days == 20
    assert organisation.first_contact_target_days == 3
    assert organisation.tsm_includes_leaseholders is False


def test_categories_are_seeded_two_levels_deep():
    top = set(Category.objects.filter(parent=None).values_list("name", flat=True))
    assert {
        "Repairs",
        "Damp and mould",
        "Estate and neighbourhood",
        "Anti-social behaviour handling",
        "Staff conduct",
        "Charges and rent",
        "Moving home",
        "Defects",
        "Communication",
        "Complaint handling",
        "Other",
    } <= top
    subs = Category.objects.filter(parent__isnull=False)
    assert subs.exists()
    assert not subs.filter(parent__parent__isnull=False).exists()
    assert set(subs.filter(parent__name="Moving home").values_list("name", flat=True)) >= {
        "Transfers",
        "Mutual exchange",
        "Allocations and lettings",
    }
    assert subs.filter(parent__name="Defects", name="New-build defects").exists()


def test_exclusion_reasons_cover_the_policy_list():
    reasons = {reason.code: reason for reason in ExclusionReason.objects.all()}
    assert set(reasons) == {
        "older-than-12-months",
        "legal-proceedings",
        "already-considered",
        "policy-not-application",
        "not-our-service",
        "unacceptable-behaviour",
    }
    assert reasons["legal-proceedings"].requires_date_evidence
    assert "filed at court" in reasons["legal-proceedings"].evidence_date_label
    assert reasons["older-than-12-months"].requires_date_evidence
    assert "discretion" in reasons["older-than-12-months"].description
    assert reasons["already-considered"].applies_to == ExclusionReason.AppliesTo.ACCEPTANCE
    assert "unacceptable behaviour policy" in reasons["unacceptable-behaviour"].description


def test_business_areas_are_seeded():
    assert BusinessArea.objects.filter(is_active=True).count() == 8
    assert BusinessArea.objects.filter(name="Asset management and compliance").exists()


def test_every_permission_the_administrator_role_needs_here_exists():
    needed = {
        "change_organisation",
        "add_closureday",
        "change_closureday",
        "delete_closureday",
        "view_closureday",
        "add_category",
        "change_category",
        "view_category",
        "add_stockcount",
        "change_stockcount",
        "view_stockcount",
    }
    found = set(
        Permission.objects.filter(
            content_type__app_label="organisation", codename__in=needed
        ).values_list("codename", flat=True)
    )
    assert found == needed

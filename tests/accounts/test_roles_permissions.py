"""Every permission a role names must exist: a typo would silently take a power away."""

import pytest
from django.contrib.auth.models import Group

from putright.accounts import roles


@pytest.mark.django_db
def test_every_role_permission_exists():
    assert roles.sync_roles(strict=True) == set()


@pytest.mark.django_db
def test_board_members_get_no_casework_or_personal_data_permissions():
    roles.sync_roles(strict=True)
    board = {p.codename for p in Group.objects.get(name=roles.BOARD_MEMBER).permissions.all()}
    assert board == {
        "view_reports",
        "view_lesson",
        "view_improvementplan",
        "view_ombudsman_summary",  # counts and the rate, no personal data
        "record_governing_body_response",  # its own words on a report (Code 8.2)
        "view_selfassessment",  # the landlord's evidence against the Code, no personal data
        "approve_selfassessment",  # the governing body's own approval of it (Code 8.2)
    }


@pytest.mark.django_db
def test_only_complaints_managers_see_confidential_cases_and_special_category_data():
    roles.sync_roles(strict=True)
    holders = {
        group.name
        for group in Group.objects.filter(
            permissions__codename__in=["view_confidential", "view_special_category"]
        )
    }
    assert holders == {roles.COMPLAINTS_MANAGER}

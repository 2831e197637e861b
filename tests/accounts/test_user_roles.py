"""Role changes go through one audited service (issue 24 item 3, ASVS V4): nobody changes their own
roles, nobody gives a role that allows more than they may do themselves, every change is in the
security log with who, whom, before and after."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from putright.accounts.models import User
from putright.accounts.roles import (
    ADMINISTRATOR,
    BOARD_MEMBER,
    CASE_HANDLER,
    COMPLAINTS_MANAGER,
    QUALITY_REVIEWER,
)
from putright.accounts.services import user_set_roles
from putright.core.errors import InvalidInput, StepRefused
from putright.core.models import SecurityEvent
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return make_staff(CASE_HANDLER, email="col.league@example.org", full_name="Col League")


def role_events() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLES_CHANGED))


def test_an_administrator_gives_a_colleague_ordinary_roles_and_it_is_logged(
    administrator, colleague
):
    after = user_set_roles(
        acting_user=administrator,
        user=colleague,
        roles=[CASE_HANDLER, QUALITY_REVIEWER],
        reason="Promoted to team leader",
    )

    assert after == [CASE_HANDLER, QUALITY_REVIEWER]
    assert colleague.role_names == [CASE_HANDLER, QUALITY_REVIEWER]
    (event,) = role_events()
    assert event.actor == administrator
    assert event.subject == "user col.league@example.org"
    assert event.details == {
        "user_id": colleague.pk,
        "before": [CASE_HANDLER],
        "after": [CASE_HANDLER, QUALITY_REVIEWER],
        "added": [QUALITY_REVIEWER],
        "removed": [],
        "reason": "Promoted to team leader",
    }


def test_an_administrator_cannot_change_their_own_roles(administrator):
    with pytest.raises(StepRefused) as refused:
        user_set_roles(
            acting_user=administrator,
            user=administrator,
            roles=[ADMINISTRATOR, COMPLAINTS_MANAGER],
        )

    assert refused.value.code == "roles_own_account"
    assert administrator.role_names == [ADMINISTRATOR]
    assert not role_events()


def test_an_administrator_cannot_make_a_colleague_a_complaints_manager(administrator, colleague):
    with pytest.raises(StepRefused) as refused:
        user_set_roles(acting_user=administrator, user=colleague, roles=[COMPLAINTS_MANAGER])

    assert refused.value.code == "roles_beyond_own_rights"
    assert "Complaints manager" in refused.value.message
    assert "complaints.view_confidential" in refused.value.context["permissions"]
    assert "people.view_special_category" in refused.value.context["permissions"]
    assert User.objects.get(pk=colleague.pk).role_names == [CASE_HANDLER]
    assert not role_events()


def test_a_superuser_may_make_someone_a_complaints_manager(colleague):
    root = User.objects.create_superuser(
        email="root@example.org", password="a long root password", full_name="Root"
    )

    user_set_roles(acting_user=root, user=colleague, roles=[COMPLAINTS_MANAGER])

    assert colleague.role_names == [COMPLAINTS_MANAGER]
    assert role_events()[0].details["removed"] == [CASE_HANDLER]


def test_someone_who_is_administrator_and_manager_may_give_the_manager_role(colleague):
    both = make_staff(ADMINISTRATOR, COMPLAINTS_MANAGER, email="both@example.org")

    user_set_roles(acting_user=both, user=colleague, roles=[COMPLAINTS_MANAGER])

    assert colleague.role_names == [COMPLAINTS_MANAGER]


def test_taking_a_role_away_is_allowed_even_one_the_administrator_could_not_give(administrator):
    manager = make_staff(COMPLAINTS_MANAGER)

    user_set_roles(acting_user=administrator, user=manager, roles=[])

    assert manager.role_names == []
    assert role_events()[0].details["removed"] == [COMPLAINTS_MANAGER]


@pytest.mark.parametrize("role", [CASE_HANDLER, QUALITY_REVIEWER, BOARD_MEMBER])
def test_other_roles_cannot_change_anyone_s_roles(role, colleague):
    someone = make_staff(role, email="someone@example.org")

    with pytest.raises(StepRefused) as refused:
        user_set_roles(acting_user=someone, user=colleague, roles=[BOARD_MEMBER])

    assert refused.value.code == "roles_not_allowed"


def test_an_unknown_role_is_invalid(administrator, colleague):
    with pytest.raises(InvalidInput) as invalid:
        user_set_roles(acting_user=administrator, user=colleague, roles=["Overlord"])

    assert invalid.value.code == "roles_unknown"


def test_giving_the_roles_someone_already_has_writes_nothing(administrator, colleague):
    user_set_roles(
        acting_user=administrator, user=colleague, roles=[Group.objects.get(name=CASE_HANDLER)]
    )

    assert not role_events()

"""The staff accounts admin cannot be used to raise rights (issue 24 item 3): roles change only
through the audited service, nobody edits their own roles or flags, nobody sets a colleague's
password, and a reset link goes to the account owner's own address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from putright.accounts.models import User
from putright.accounts.roles import (
    ADMINISTRATOR,
    CASE_HANDLER,
    COMPLAINTS_MANAGER,
    QUALITY_REVIEWER,
)
from putright.core.models import SecurityEvent
from tests.accounts.helpers import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return make_staff(CASE_HANDLER, email="col.league@example.org", full_name="Col League")


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def form_data(user: User, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "team": "",
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def group(name: str) -> int:
    return Group.objects.get(name=name).pk


def role_events() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLES_CHANGED))


def test_an_administrator_cannot_add_themselves_to_the_manager_group(signed_in, administrator):
    response = signed_in.post(
        change_url(administrator),
        form_data(
            administrator,
            groups=[group(ADMINISTRATOR), group(COMPLAINTS_MANAGER)],
            is_superuser="on",
            user_permissions=[1, 2, 3],
        ),
    )

    assert response.status_code in (200, 302)
    administrator.refresh_from_db()
    assert administrator.role_names == [ADMINISTRATOR]
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()
    assert not administrator.has_perm("complaints.view_confidential")
    assert not role_events()


def test_their_own_roles_and_flags_are_shown_but_not_editable(signed_in, administrator):
    html = signed_in.get(change_url(administrator)).content.decode()

    assert 'name="groups"' not in html
    assert 'name="is_staff"' not in html
    assert 'name="full_name"' in html  # the rest of their own details stay editable


def test_an_administrator_cannot_make_a_colleague_a_manager_in_the_admin(signed_in, colleague):
    response = signed_in.post(
        change_url(colleague), form_data(colleague, groups=[group(COMPLAINTS_MANAGER)])
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Complaints manager" in errors["groups"][0]
    assert User.objects.get(pk=colleague.pk).role_names == [CASE_HANDLER]
    assert not role_events()


def test_a_role_change_in_the_admin_goes_through_the_service_and_is_logged(
    signed_in, administrator, colleague
):
    response = signed_in.post(
        change_url(colleague), form_data(colleague, groups=[group(QUALITY_REVIEWER)])
    )

    assert response.status_code == 302
    assert User.objects.get(pk=colleague.pk).role_names == [QUALITY_REVIEWER]
    (event,) = role_events()
    assert event.actor == administrator
    assert event.subject == "user col.league@example.org"
    assert (event.details["before"], event.details["after"]) == ([CASE_HANDLER], [QUALITY_REVIEWER])
    assert event.details["reason"] == "Changed in the administration site"


def test_turning_a_flag_on_or_off_is_logged(signed_in, administrator, colleague):
    signed_in.post(change_url(colleague), form_data(colleague, is_active=None))

    (event,) = role_events()
    assert event.details["flags"] == {"is_active": [True, False]}


def test_permissions_and_superuser_are_not_offered_to_an_administrator(signed_in, colleague):
    html = signed_in.get(change_url(colleague)).content.decode()

    assert 'name="groups"' in html
    assert 'name="user_permissions"' not in html
    assert 'name="is_superuser"' not in html
    assert "/password/" not in html  # no link to set their password


def test_the_superuser_flag_is_offered_to_superusers_only(client, colleague):
    client.force_login(
        User.objects.create_superuser(
            email="root@example.org", password="a long root password", full_name="Root"
        )
    )

    html = client.get(change_url(colleague)).content.decode()

    assert 'name="is_superuser"' in html
    assert 'name="user_permissions"' not in html  # rights come from roles only


def test_an_administrator_cannot_set_a_colleague_s_password(signed_in, colleague):
    url = f"/admin/accounts/user/{colleague.pk}/password/"

    page = signed_in.get(url)
    posted = signed_in.post(
        url, {"password1": "a password i chose", "password2": "a password i chose"}
    )

    assert page.status_code == 403
    assert posted.status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)


def test_their_own_password_is_changed_on_the_account_page(signed_in, administrator):
    response = signed_in.get(f"/admin/accounts/user/{administrator.pk}/password/")

    assert response.status_code == 302
    assert response.url == "/account/password/"


def test_a_reset_email_goes_to_the_colleague_s_own_address(signed_in, administrator, colleague):
    response = signed_in.post(
        "/admin/accounts/user/",
        {"action": "send_password_reset", "_selected_action": [colleague.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "A password reset email has gone to Col League" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["col.league@example.org"]
    assert administrator.email not in message.to + message.cc + message.bcc
    assert re.search(r"http://testserver/password-reset/\S+/\S+/", message.body)
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)  # nothing changes until the owner acts
    (event,) = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED)
    assert event.actor == administrator
    assert event.subject == "user col.league@example.org"
    assert event.details["sent"] is True


def test_no_reset_email_goes_to_a_closed_account(signed_in, colleague):
    colleague.is_active = False
    colleague.save()

    response = signed_in.post(
        "/admin/accounts/user/",
        {"action": "send_password_reset", "_selected_action": [colleague.pk]},
        follow=True,
    )

    assert "No email was sent to Col League" in response.content.decode()
    assert not mail.outbox

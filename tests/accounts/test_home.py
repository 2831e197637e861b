"""The home page shows each signed-in person the part for their role(s)."""

import re
from html import escape

import pytest
from django.urls import reverse

from putright.accounts.roles import ROLES
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db

DESCRIPTIONS = {role.name: escape(role.description) for role in ROLES}


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def test_the_home_page_is_the_root_url():
    assert reverse("accounts:home") == "/"


def test_each_role_sees_its_own_home_page(client, staff_with_role, role):
    client.force_login(staff_with_role)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert h1(html) == role
    assert f"<title>{role} – PutRight" in html
    assert DESCRIPTIONS[role] in html
    for other in DESCRIPTIONS:
        if other != role:
            assert DESCRIPTIONS[other] not in html


def test_someone_with_two_roles_sees_both(client):
    user = make_staff("Case handler", "Quality reviewer")
    client.force_login(user)

    html = client.get("/").content.decode()

    assert h1(html) == "Home"
    assert '<h2 class="govuk-heading-m" id="role-1">Case handler</h2>' in html
    assert '<h2 class="govuk-heading-m" id="role-2">Quality reviewer</h2>' in html


def test_someone_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(make_staff())

    html = client.get("/").content.decode()

    assert "Your account does not have a role yet" in html


def test_the_administrator_is_offered_the_organisation_settings_and_staff_accounts(
    client, administrator
):
    client.force_login(administrator)

    html = client.get("/").content.decode()

    assert 'href="/admin/organisation/organisation/">Organisation settings</a>' in html
    assert 'href="/admin/organisation/closureday/">Closure days</a>' in html
    assert 'href="/admin/accounts/user/">Staff accounts</a>' in html
    assert 'href="/admin/">Go to the administration site</a>' in html


def test_an_administrator_the_admin_site_would_refuse_is_told_why(client):
    user = make_staff("Administrator", is_staff=False)
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Your account cannot open the administration site yet" in html
    assert "/admin/organisation/" not in html


def test_other_roles_are_not_offered_administration(client, case_handler):
    client.force_login(case_handler)

    html = client.get("/").content.decode()

    assert "/admin/" not in html
    assert "Your open cases" in html  # their work instead (tests/accounts/test_home_pages.py)


@pytest.mark.parametrize("role", ["Administrator"])  # the others' figures: test_home_pages.py
def test_no_figures_are_shown_that_were_not_computed(client, role):
    client.force_login(make_staff(role))

    main = re.search(r"<main.*</main>", client.get("/").content.decode(), re.S).group(0)
    text = re.sub(r"<[^>]+>", "", main).replace(DESCRIPTIONS[role], "")

    assert not re.search(r"\d", text)

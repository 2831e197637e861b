"""The service navigation: declared once, shown by role, current page marked."""

import pytest
from django.contrib.auth.models import AnonymousUser

from putright.accounts import navigation
from putright.accounts.navigation import NavItem, navigation_for
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


def labels(items):
    return [item["label"] for item in items]


def test_anonymous_people_get_no_navigation():
    assert navigation_for(AnonymousUser(), "/") == []
    assert navigation_for(None, "/") == []


def test_everyone_signed_in_gets_home(board_member):
    assert navigation_for(board_member, "/") == [
        {"label": "Home", "url": "/", "current": True},
        {"label": "Learning", "url": "/learning/", "current": False},
        {"label": "Ombudsman", "url": "/ombudsman/summary/", "current": False},
        {"label": "Reports", "url": "/reports/", "current": False},
    ]


def test_case_workers_get_the_complaints_on_every_case_page(case_handler):
    assert navigation_for(case_handler, "/cases/C-2026-00001/") == [
        {"label": "Home", "url": "/", "current": False},
        {"label": "Complaints", "url": "/cases/", "current": True},
        {"label": "Email in", "url": "/inbound/", "current": False},
        {"label": "Actions", "url": "/actions/", "current": False},
        {"label": "Learning", "url": "/learning/", "current": False},
        {"label": "Contacts", "url": "/contacts/", "current": False},
    ]


def test_administrators_also_get_administration(administrator):
    items = navigation_for(administrator, "/admin/accounts/user/")

    assert items == [
        {"label": "Home", "url": "/", "current": False},
        {"label": "Administration", "url": "/admin/", "current": True},
    ]


def test_the_staff_flag_alone_does_not_give_administration():
    user = make_staff("Complaints manager", is_staff=True)

    assert labels(navigation_for(user, "/")) == [
        "Home",
        "Complaints",
        "Email in",
        "Actions",
        "Compensation",
        "Failed to send",
        "Learning",
        "Ombudsman",
        "Reports",
        "Contacts",
    ]


def test_items_need_their_permission_and_role(monkeypatch, case_handler):
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (
            NavItem("Home", "accounts:home", exact=True),
            NavItem("Complaints", "accounts:sign-in", permission="complaints.view_complaint"),
            NavItem("Reports", "accounts:sign-out", roles=("Board member",)),
        ),
    )
    user_has_perm = case_handler.has_perm("complaints.view_complaint")

    items = labels(navigation_for(case_handler, "/"))

    assert items == (["Home", "Complaints"] if user_has_perm else ["Home"])


def test_items_whose_pages_do_not_exist_yet_are_left_out(monkeypatch, case_handler):
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (NavItem("Home", "accounts:home", exact=True), NavItem("Later", "later:index")),
    )

    assert labels(navigation_for(case_handler, "/")) == ["Home"]


def test_the_page_shows_the_navigation(client, administrator):
    client.force_login(administrator)

    html = client.get("/").content.decode()

    assert 'class="govuk-service-navigation"' in html
    assert (
        '<a class="govuk-service-navigation__link" href="/" aria-current="page">'
        '<strong class="govuk-service-navigation__active-fallback">Home</strong></a>'
    ) in html
    assert '<a class="govuk-service-navigation__link" href="/admin/">Administration</a>' in html


def test_roles_are_read_once_per_request(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    client.get("/")  # warm up: the session, content types

    with django_assert_max_num_queries(7):
        client.get("/")

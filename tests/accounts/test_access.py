"""Every page needs a signed-in member of staff unless its view says otherwise."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def _paths_without_arguments(resolver=None, prefix=""):
    """Every URL in the project that takes no arguments, except the admin's (which has its own
    sign-in page)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from _paths_without_arguments(pattern, prefix + route)
        elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
            if "^" in route or "(" in route or "<" in route:
                continue
            yield prefix + route, pattern.callback


def test_anonymous_people_are_sent_to_sign_in_from_the_home_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/"


def test_anonymous_people_are_sent_to_sign_in_from_every_page(client):
    checked = []
    for path, view in _paths_without_arguments():
        if not getattr(view, "login_required", True):
            continue  # marked login_not_required: sign-in itself, and any public page
        response = client.get("/" + path)
        assert response.status_code == 302, path
        assert response.url.startswith("/sign-in/?next="), path
        checked.append(path)
    assert "" in checked  # at least the home page


def test_the_admin_sends_anonymous_people_to_its_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")

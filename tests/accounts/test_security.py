"""Security headers and cookies every page gets."""

import pytest
from django.conf import settings

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/sign-in/")

    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/sign-in/", "/", "/no-such-page/"])
def test_pages_have_no_inline_scripts_or_styles(client, case_handler, path):
    if path != "/sign-in/":
        client.force_login(case_handler)

    html = client.get(path).content.decode()

    assert "<style" not in html
    assert " style=" not in html
    scripts = html.split("<script")[1:]
    assert len(scripts) >= 3  # htmx, app.js (a module) and js-enabled.js
    for script in scripts:
        tag, _, rest = script.partition(">")
        assert "src=" in tag
        assert rest.startswith("</script>")


def test_other_headers(client):
    response = client.get("/sign-in/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_secure_and_hidden_from_scripts(client, case_handler):
    assert settings.DEBUG is False

    response = client.post("/sign-in/", {"username": case_handler.email, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True

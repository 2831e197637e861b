"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Fixtures for every browser test:

- ``live_server`` (pytest-django) and ``page`` (pytest-playwright), with Chromium from Debian.
- ``signed_in_page(role, **staff)``: a page already signed in as a new member of staff with that
  role (a session cookie, no sign-in form), returned with the user as ``page.user``.
- ``sign_in(page, user)``: signs in through the real sign-in form.
- ``axe_check(page)``: runs axe-core on the page and fails listing every violation.
- ``browser_problems``: what the browser reported (CSP violations, console errors, page errors).
  Any Content Security Policy violation fails the test that caused it, whatever it tests.
- ``screenshot(page, name)``: saves a PNG when PUTRIGHT_SCREENSHOTS names a folder.

Mark browser tests ``@pytest.mark.e2e`` and
``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` so the live server's thread
sees the test's data and the seeded reference lists come back after each test's flush
(``pytestmark`` at the top of the module does both). Every transactional test must use
``serialized_rollback``: one that does not lets post_migrate recreate content types with new ids,
and the next restore then clashes with them. Static files come from ``static_build/``:
``make test`` builds it; run ``npm run build`` first when calling pytest directly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from putright.accounts.models import User
from tests.accounts.helpers import PASSWORD, make_staff

# Playwright's sync API runs an event loop in the test thread; Django must allow sync ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Without the networking flags Chromium's background connections are refused and slow it down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Records Content Security Policy violations as the page sees them (added through DevTools,
# so the policy itself does not apply to it).
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Browser tests need Debian's chromium: `sudo apt-get install chromium` "
            "(make test installs it when run as root). Never `playwright install`."
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture(scope="session", autouse=True)
def _static_files_are_built():
    built = Path(settings.BASE_DIR) / "static_build" / "app.css"
    if not built.exists():
        pytest.fail("static_build/ is missing: run `npm run build` (or `make test`).")


class BrowserProblems:
    def __init__(self, page: Page):
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.add_init_script(_RECORD_CSP_VIOLATIONS)
        self._csp_console: list[str] = []

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)
            if "Content Security Policy" in message.text:
                self._csp_console.append(message.text)

    def csp_violations(self) -> list[str]:
        try:
            in_page = self.page.evaluate("window.__cspViolations || []")
        except Exception:  # the page is closed or navigating
            in_page = []
        return [*self._csp_console, *in_page]


@pytest.fixture
def browser_problems(page: Page):
    """What the browser reported during the test. A CSP violation fails the test at the end."""
    problems = BrowserProblems(page)
    yield problems
    violations = problems.csp_violations()
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture(autouse=True)
def _watch_the_browser(request):
    """Every browser test is watched for Content Security Policy violations."""
    if "page" in request.fixturenames:
        request.getfixturevalue("browser_problems")


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def axe_check(axe: Axe) -> Callable[..., None]:
    """``axe_check(page)`` fails listing every accessibility violation axe-core finds.

    ``admin=True`` is for Django's admin pages: their stylesheets ``@import`` one another, and
    axe reads such a sheet by adding a ``<style>`` element of its own, which the Content
    Security Policy rightly blocks; without its preload axe runs every rule but the one that
    needs the style sheets (CSS orientation lock)."""

    def check(page: Page, context: str | list | dict | None = None, *, admin: bool = False) -> None:
        options = {"resultTypes": ["violations"], **({"preload": False} if admin else {})}
        results = axe.run(page, context=context, options=options)
        violations = results.response["violations"]
        assert not violations, f"axe found problems on {page.url}:\n" + _format_violations(
            violations
        )

    return check


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, User], Page]:
    """``sign_in(page, user)`` signs in through the sign-in form and waits for the home page."""

    def do_sign_in(page: Page, user: User, password: str = PASSWORD) -> Page:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do_sign_in


def use_session(page: Page, live_server, user: User) -> Page:
    """Switch the browser to ``user``'s session (a session cookie, no sign-in form)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                # A __Host- cookie is Secure, host-only and for path "/" (Chromium takes a
                # Secure cookie for localhost over HTTP, but not through a "url" field).
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
                "secure": settings.SESSION_COOKIE_SECURE,
            }
        ]
    )
    page.user = user
    return page


@pytest.fixture
def signed_in_page(page: Page, live_server) -> Callable[..., Page]:
    """``signed_in_page("Case handler")``: the page, signed in as a new member of staff.

    Extra keyword arguments go to ``tests.accounts.helpers.make_staff`` (``email``,
    ``full_name``, ``is_staff``); pass several roles as ``signed_in_page("A", "B")``. The page
    starts blank: ``page.goto(live_server.url + "/…")``. The user is ``page.user``.
    """

    def open_as(*roles: str, **staff) -> Page:
        return use_session(page, live_server, make_staff(*roles, **staff))

    return open_as


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    """``screenshot(page, "home")`` saves home.png in $PUTRIGHT_SCREENSHOTS, if that is set."""
    folder = os.environ.get("PUTRIGHT_SCREENSHOTS")

    def save(page: Page, name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return save

"""What each signed-in person can reach: the service navigation, and the links on home pages.

Both are declarative lists of :class:`NavItem`. An item names a URL (resolved with ``reverse``)
and who may see it: a permission, one of a set of roles, or a check. An item whose URL name is
not registered yet is skipped, so an app adds its pages with one line here and the link appears
once its URLs exist. For example::

    NavItem("Reports", "reports:index", permission="complaints.view_reports"),
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from putright.accounts.roles import ADMINISTRATOR


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # "app_label.codename", checked with user.has_perm
    roles: tuple[str, ...] = ()  # shown to anyone holding one of these roles
    check: Callable[..., bool] | None = None  # any further test, given the user
    description: str = ""  # shown beside the link on home pages
    exact: bool = False  # "current" only on this URL itself, not the pages below it


def can_use_admin_site(user) -> bool:
    """The Django admin's own rule: administrators only (see accounts.admin).

    Asked once per request: the answer is kept on the user object, as the roles are.
    """
    cached = getattr(user, "_putright_can_use_admin_site", None)
    if cached is None:
        import_module(settings.ROOT_URLCONF)  # where that rule is applied to admin.site
        cached = bool(admin.site.has_permission(SimpleNamespace(user=user)))
        user._putright_can_use_admin_site = cached
    return cached


# The service navigation, in order. Home is for everyone signed in.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "accounts:home", exact=True),
    NavItem("Complaints", "casework:queues", permission="complaints.handle_complaint"),
    NavItem("Email in", "inbound:triage", permission="complaints.handle_complaint"),
    NavItem("Actions", "tracking:tracker", permission="complaints.handle_complaint"),
    NavItem("Compensation", "redress:register", permission="redress.view_payments_register"),
    NavItem("Failed to send", "outbox:failed", permission="outbox.resend_outgoingemail"),
    NavItem("Learning", "learning:lessons", permission="learning.view_lesson"),
    NavItem("Ombudsman", "ombudsman:cases", permission="ombudsman.view_ombudsmancase"),
    # The board reads the Ombudsman figures (counts and the rate) without the cases.
    NavItem(
        "Ombudsman",
        "ombudsman:summary",
        permission="ombudsman.view_ombudsman_summary",
        check=lambda user: not user.has_perm("ombudsman.view_ombudsmancase"),
    ),
    NavItem("Reports", "reporting:index", permission="complaints.view_reports"),
    NavItem("Contacts", "contacts:hub", permission="contacts.view_enquiry"),
    NavItem("Administration", "admin:index", check=can_use_admin_site),
)


def role_names(user) -> frozenset[str]:
    """The roles (groups) this person holds, read once per request and kept on the user.

    A superuser with no role counts as an administrator: the admin site lets them in.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_putright_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser and not cached:
            cached = frozenset({ADMINISTRATOR})
        user._putright_role_names = cached
    return cached


def _allowed(item: NavItem, user, roles: frozenset[str]) -> bool:
    if item.roles and not roles.intersection(item.roles):
        return False
    if item.permission and not user.has_perm(item.permission):
        return False
    return not (item.check and not item.check(user))


def _url(item: NavItem) -> str | None:
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None  # the app that owns this page has not registered it (yet)


def links_for(user, items: Iterable[NavItem]) -> list[dict]:
    """The items this person may follow, as ``{"label", "url", "description"}``."""
    if user is None or not user.is_authenticated:
        return []
    roles = role_names(user)
    links = []
    for item in items:
        if not _allowed(item, user, roles):
            continue
        url = _url(item)
        if url is not None:
            links.append({"label": item.label, "url": url, "description": item.description})
    return links


def navigation_for(user, path: str) -> list[dict]:
    """Service navigation for this person on this page: ``[{"label", "url", "current"}]``.

    The current item is the one whose URL is the longest match for the path (Home only when on
    the home page itself). Anonymous people get no navigation.
    """
    if user is None or not user.is_authenticated:
        return []
    roles = role_names(user)
    items: list[tuple[NavItem, str]] = []
    for item in NAVIGATION:
        if _allowed(item, user, roles):
            url = _url(item)
            if url is not None:
                items.append((item, url))
    matches = [
        url for item, url in items if path == url or (not item.exact and path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return [{"label": item.label, "url": url, "current": url == current} for item, url in items]

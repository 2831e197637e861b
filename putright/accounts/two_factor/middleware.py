"""Keeps a session that must still enter a code (or set up an app) away from every page but
those it needs: the code pages, setting up an app, signing out, and keeping the session alive.
Static files never reach it (WhiteNoise answers them first). The Django admin is covered like
every other page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from putright.accounts.two_factor import policy

# Views (by URL name) open before the second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:sign-out",
        "accounts:two-factor-code",
        "accounts:two-factor-backup-code",
        "accounts:two-factor-set-up",
        "keep-alive",
    }
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not policy.session_needs_code(request):
            return None
        has_app = policy.authenticator(user) is not None
        url = reverse("accounts:two-factor-code" if has_app else "accounts:two-factor-set-up")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)

"""Middleware for signed-in pages: the session's idle and absolute limits, and no caching of
any page a signed-in person sees (settings.MIDDLEWARE says where each runs)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# Seconds since the epoch (UTC): when this session signed in, and when it last made a request
# (to within REFRESH_EVERY).
SIGNED_IN_AT = "putright_signed_in_at"
LAST_SEEN = "putright_last_seen"
# The session (and the expiry Django stores with it) is saved at most this often, in seconds.
REFRESH_EVERY = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def record_sign_in_time(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """On ``user_logged_in``: both limits count from here."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = session[LAST_SEEN] = _now()


def record_activity(request: HttpRequest) -> None:
    """Count now as the session's last activity, whenever it was last saved ("Stay signed
    in" asks for exactly this)."""
    request.session[LAST_SEEN] = _now()


def seconds_left(request: HttpRequest) -> int:
    """Seconds until this signed-in session ends, by whichever limit comes first (as the
    middleware will judge it: from the last activity it saved, not the last request)."""
    session = request.session
    now = _now()
    idle_left = settings.PUTRIGHT_SESSION_IDLE_TIMEOUT - (now - session.get(LAST_SEEN, now))
    absolute_left = settings.PUTRIGHT_SESSION_MAX_AGE - (now - session.get(SIGNED_IN_AT, now))
    return max(0, min(idle_left, absolute_left))


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SessionLimitsMiddleware:
    """Signs a person out after ``PUTRIGHT_SESSION_IDLE_TIMEOUT`` seconds without a request,
    and ``PUTRIGHT_SESSION_MAX_AGE`` seconds after they signed in however busy they have been.
    They are told why on the sign-in page, and the page they asked for follows sign-in.

    Each request that is more than ``REFRESH_EVERY`` seconds after the last one saved moves the
    stored session's expiry (``SESSION_COOKIE_AGE``) forward, so an abandoned session also
    disappears from the database on its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._apply_limits(request)
        return self.get_response(request)

    def _apply_limits(self, request: HttpRequest) -> None:
        session = request.session
        now = _now()
        # A session from before these limits existed starts counting now.
        signed_in_at = session.get(SIGNED_IN_AT) or now
        last_seen = session.get(LAST_SEEN) or now
        if now - last_seen >= settings.PUTRIGHT_SESSION_IDLE_TIMEOUT:
            reason = (
                "You have been signed out because you had not used PutRight for "
                f"{_duration(settings.PUTRIGHT_SESSION_IDLE_TIMEOUT)}."
            )
        elif now - signed_in_at >= settings.PUTRIGHT_SESSION_MAX_AGE:
            reason = (
                "You have been signed out because you signed in more than "
                f"{_duration(settings.PUTRIGHT_SESSION_MAX_AGE)} ago."
            )
        else:
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = signed_in_at
            if LAST_SEEN not in session or now - last_seen >= REFRESH_EVERY:
                session[LAST_SEEN] = now  # saved with a new expiry date
            return
        logout(request)
        messages.info(request, f"{reason} Sign in again to carry on.")


class NoStoreWhenSignedInMiddleware:
    """Every response to a signed-in person says ``Cache-Control: no-store`` (Django's
    ``never_cache``), so no browser or proxy keeps a copy of residents' personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

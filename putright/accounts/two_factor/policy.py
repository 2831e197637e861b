"""Who must use a second factor, and whether a signed-in session still has to enter a code.

A person is asked for a code after their password when a role they hold is in
``PUTRIGHT_TWO_FACTOR_REQUIRED_FOR`` (a superuser counts as an administrator), or when they have
set up an authenticator app although their role does not require one. Someone who must and has
no app sets one up first.

The answer is worked out when the person signs in and kept in the session while it is "no", so
the pages of someone who need not enter a code cost no extra query. It is worked out again at
most ``RECHECK_EVERY`` seconds later, so a role given during a session (or an app set up in
another browser) takes effect within a minute rather than at the next sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.navigation import role_names
from putright.accounts.roles import ADMINISTRATOR

# Seconds since the epoch when this session was last found not to need a code.
NOT_NEEDED_AT = "putright_second_factor_not_needed_at"
RECHECK_EVERY = 60


def required_roles() -> frozenset[str]:
    return frozenset(settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR)


def is_required_for(user) -> bool:
    """Whether this person's roles oblige them to use a second factor."""
    required = required_roles()
    if not required or not user.is_authenticated:
        return False
    if user.is_superuser and ADMINISTRATOR in required:
        return True
    return bool(required & role_names(user))


def authenticator(user) -> TOTPDevice | None:
    """The person's authenticator app, once it is set up (confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def backup_codes(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def must_enter_code(user) -> bool:
    """Asked for a code after the password: required by a role, or an app has been set up."""
    return is_required_for(user) or authenticator(user) is not None


def is_verified(request: HttpRequest) -> bool:
    """This session has entered a code from the person's device (django-otp's OTPMiddleware
    checks the device still exists and is theirs on every request)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _now() -> int:
    return int(timezone.now().timestamp())


def _remember(session, *, needed: bool) -> None:
    if needed:
        session.pop(NOT_NEEDED_AT, None)
    else:
        session[NOT_NEEDED_AT] = _now()


def assess_at_sign_in(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    """On ``user_logged_in``: does this session have to enter a code?"""
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        _remember(session, needed=must_enter_code(user))


def session_needs_code(request: HttpRequest) -> bool:
    """True while this signed-in session must enter a code (or set up an app) first."""
    if is_verified(request):
        return False
    session = request.session
    checked = session.get(NOT_NEEDED_AT)
    if checked is not None and 0 <= _now() - checked < RECHECK_EVERY:
        return False
    needed = must_enter_code(request.user)
    _remember(session, needed=needed)
    return needed

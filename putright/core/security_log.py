"""The security log (OWASP ASVS V7): one call, :func:`record`, for every app.

What is recorded, and from where:

- sign-in succeeded, failed, locked out, signed out: the receivers below, on Django's
  ``user_logged_in``, ``user_login_failed`` and ``user_logged_out`` and django-axes'
  ``user_locked_out`` signals (connected in ``CoreConfig.ready``), for our sign-in page and the
  admin's alike;
- role changes: ``accounts.services.user_set_roles`` and the user admin;
- password changed and reset requested: the password views in ``accounts`` and the user admin's
  "Send a password reset email" action;
- special category data read: ``people.selectors.resident_profile`` and the people admin;
- confidential complaints read: the case page (``complaints.services.complaint_viewed``), the
  queues and home lists and the complaints admin (``confidential_complaints_listed``), one event
  per page, never one per row.

Events are append-only (``SecurityEvent``): nothing in the application changes or deletes one.
A read event is written outside any check of whether the read was allowed: the selectors and
views decide that, the log only says it happened.

A selector or service has no request to hand, so :class:`SecurityLogMiddleware` keeps the current
request in a context variable; ``record`` takes the client's address from it when no request is
given.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

from putright.core.client import client_ip_address
from putright.core.models import SecurityEvent

Kind = SecurityEvent.Kind

SUBJECT_LENGTH = SecurityEvent._meta.get_field("subject").max_length
ACTOR_LENGTH = SecurityEvent._meta.get_field("actor_description").max_length
SOMEONE_SIGNING_IN = "Someone signing in"

_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "putright_security_log_request", default=None
)


def record(
    kind: str,
    *,
    actor: Any = None,
    subject: str = "",
    request: HttpRequest | None = None,
    **details: Any,
) -> SecurityEvent:
    """Append one event to the security log and return it.

    ``actor`` is a member of staff, or text saying who acted when nobody was signed in (or
    ``None``: the request's signed-in user, else PutRight itself). ``subject`` is a few words
    naming what the event is about, such as ``"complaint C-2026-00001"``. ``request`` gives the
    client's address; without it, the request being served (see :class:`SecurityLogMiddleware`).
    ``details`` are kept as JSON (dates, decimals and UUIDs are turned into text).
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown security event kind: {kind!r}")
    request = request if request is not None else _current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    user_actor, description = _actor(actor)
    address = client_ip_address(request) if request is not None else None
    valid_address = _valid_ip(address)
    if address and not valid_address:
        details["ip_address_given"] = str(address)[:100]
    event = SecurityEvent(
        kind=kind,
        actor=user_actor,
        actor_description=description[:ACTOR_LENGTH],
        subject=shorten(subject),
        ip_address=valid_address,
        details=details,
    )
    event.save(force_insert=True)
    return event


def subject_for(noun: str, references: Iterable[Any]) -> str:
    """``"complaint C-1"``, or ``"complaints C-1, C-2"``, cut to the column's length."""
    references = [str(reference) for reference in references]
    if len(references) == 1:
        return shorten(f"{noun} {references[0]}")
    return shorten(f"{noun}s {', '.join(references)}")


def shorten(text: str) -> str:
    text = str(text or "")
    return text if len(text) <= SUBJECT_LENGTH else text[: SUBJECT_LENGTH - 1] + "…"


def user_subject(user: Any) -> str:
    return shorten(f"user {getattr(user, 'email', '') or user}")


def _actor(actor: Any) -> tuple[Any, str]:
    if actor is None:
        return None, "PutRight (no signed-in user)"
    if isinstance(actor, str):
        return None, actor
    if getattr(actor, "pk", None) is not None and getattr(actor, "is_authenticated", False):
        return actor, ""
    return None, str(actor)


def _valid_ip(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


# --- the current request -----------------------------------------------------------------------


class SecurityLogMiddleware:
    """Keeps the request being served within reach of :func:`record`, so a selector that logs a
    read (it has a user, not a request) still records the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


# --- sign-in signals ----------------------------------------------------------------------------


def _typed_username(credentials: dict | None) -> str:
    """The address typed, as django-axes counts it (``accounts.signin.lockout_username``)."""
    return str((credentials or {}).get("username") or "").strip().lower()


def on_signed_in(sender, request: HttpRequest | None = None, user: Any = None, **kwargs) -> None:
    record(Kind.SIGNED_IN, actor=user, subject=user_subject(user), request=request)


def on_signed_out(sender, request: HttpRequest | None = None, user: Any = None, **kwargs) -> None:
    if user is None:  # signing out when not signed in
        return
    record(Kind.SIGNED_OUT, actor=user, subject=user_subject(user), request=request)


def on_sign_in_failed(
    sender, credentials: dict | None = None, request: HttpRequest | None = None, **kwargs
) -> None:
    username = _typed_username(credentials)
    record(
        Kind.SIGN_IN_FAILED,
        actor=SOMEONE_SIGNING_IN,
        subject=shorten(f"user {username}") if username else "",
        request=request,
        path=getattr(request, "path", "") if request is not None else "",
    )


def on_locked_out(
    sender,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs,
) -> None:
    """django-axes locked sign-in (the attempt that reached the limit, and every attempt while
    locked): for the account, the address, or both (``AXES_LOCKOUT_PARAMETERS``)."""
    record(
        Kind.LOCKED_OUT,
        actor=SOMEONE_SIGNING_IN,
        subject=shorten(f"user {username}") if username else "",
        request=request,
        path=getattr(request, "path", "") if request is not None else "",
        failures=getattr(request, "axes_failures_since_start", None),
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_signed_in, dispatch_uid="putright-security-signed-in")
    user_logged_out.connect(on_signed_out, dispatch_uid="putright-security-signed-out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="putright-security-sign-in-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="putright-security-locked-out")

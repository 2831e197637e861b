"""How django-axes recognises who is signing in, and from where (settings: ``AXES_*``)."""

from __future__ import annotations

from django.http import HttpRequest

from putright.core.client import client_ip_address

__all__ = ["client_ip_address", "lockout_username"]


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is for, as the account is matched: the email address,
    trimmed and in lower case. Otherwise ``Cara@…`` and ``cara@…`` would be counted apart and
    an attacker could double the attempts allowed by changing the case."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").strip().lower()

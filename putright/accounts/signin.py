"""How django-axes recognises who is signing in, and from where (settings: ``AXES_*``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is for, as the account is matched: the email address,
    trimmed and in lower case. Otherwise ``Cara@…`` and ``cara@…`` would be counted apart and
    an attacker could double the attempts allowed by changing the case."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").strip().lower()


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a request came from, for counting failures per address.

    Behind the TLS proxy (``BEHIND_TLS_PROXY``) every request arrives from the proxy, so the
    address is the last one in ``X-Forwarded-For``: the one the proxy itself added. Addresses
    before it are whatever the client sent and cannot be trusted. Without the proxy, the
    connection's own address.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")

"""Where a request came from, for sign-in throttling (django-axes) and the security log.

It lives in ``core`` (the lowest Django layer) so every app's security events can name the
address; ``putright.accounts.signin`` re-exports it for the ``AXES_CLIENT_IP_CALLABLE`` setting.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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

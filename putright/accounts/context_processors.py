"""Template context shared by every page: the service name and navigation for the signed-in role."""

from django.http import HttpRequest

from putright.accounts.navigation import navigation_for


def service(request: HttpRequest) -> dict:
    from putright.core.middleware import seconds_left
    from putright.organisation.selectors import organisation_name

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated and hasattr(request, "session"))
    return {
        "service_name": "PutRight",
        "organisation_name": organisation_name(),
        "navigation": navigation_for(user, request.path) if user else [],
        # For the timeout warning (templates/components/timeout_warning.html).
        "session_seconds_left": seconds_left(request) if signed_in else None,
    }

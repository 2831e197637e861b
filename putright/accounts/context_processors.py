"""Template context shared by every page: the service name and navigation for the signed-in role."""

from django.http import HttpRequest

from putright.accounts.navigation import navigation_for


def service(request: HttpRequest) -> dict:
    from putright.organisation.selectors import organisation_name

    user = getattr(request, "user", None)
    return {
        "service_name": "PutRight",
        "organisation_name": organisation_name(),
        "navigation": navigation_for(user, request.path) if user else [],
    }

"""Views every part of the service shares."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from putright.core.middleware import record_activity, seconds_left


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """For "Stay signed in" on the timeout warning: records the activity at once (the
    middleware saves it at most once a minute) and answers how long the session now has.
    (Signed out, or past a limit, the request is redirected to sign in like any other.)"""
    record_activity(request)
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})

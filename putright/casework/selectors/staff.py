"""Staff who may be given complaints."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet


def handlers() -> QuerySet:
    """Active staff who may handle complaints (by role, directly, or as superusers), by name."""
    may_handle = Permission.objects.filter(
        codename="handle_complaint", content_type__app_label="complaints"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__in=may_handle)
            | Q(user_permissions__in=may_handle)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("full_name", "email", "id")
    )

"""The security log in the administration site: for reading only, by administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from putright.core.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes an event here, superusers included: the log is written
    only by ``putright.core.security_log.record``. Viewing needs ``core.view_securityevent``
    (the administrator role)."""

    list_display = ["occurred_at", "kind", "who", "subject", "ip_address"]
    list_filter = ["kind", "occurred_at"]
    date_hierarchy = "occurred_at"
    search_fields = ["subject", "actor__email", "actor__full_name", "actor_description"]
    list_select_related = ["actor"]
    fields = [
        "occurred_at",
        "kind",
        "actor",
        "actor_description",
        "subject",
        "ip_address",
        "details",
    ]
    readonly_fields = fields
    actions = None

    @admin.display(description="who", ordering="actor__full_name")
    def who(self, event: SecurityEvent) -> str:
        return str(event.actor) if event.actor_id else event.actor_description

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RecordsReadsAdminMixin:
    """For a ModelAdmin whose pages show records whose every read is logged (confidential
    complaints, special category data): ``log_reads`` is called once per list page with its
    rows, and once per record opened, so a page writes at most one security event."""

    def log_reads(self, request: HttpRequest, objects: list[Any], *, where: str) -> None:
        raise NotImplementedError

    def get_changelist_instance(self, request: HttpRequest):
        changelist = super().get_changelist_instance(request)
        # Evaluates the page's queryset once; the template then iterates the same rows.
        rows = list(changelist.result_list)
        if rows:
            self.log_reads(request, rows, where="admin list")
        return changelist

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        # The admin asks for the object before checking whether the user may see it.
        if obj is not None and self.has_view_or_change_permission(request, obj):
            self.log_reads(request, [obj], where="admin record")
        return obj

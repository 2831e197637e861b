"""The outbox in the admin: read only. Sending again goes through the "Failed to send" screen,
so it is checked and recorded by ``email_resend``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from putright.complaints.services import confidential_complaints_read
from putright.core.admin import RecordsReadsAdminMixin
from putright.outbox.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(RecordsReadsAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipients", "subject", "complaint", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["subject", "complaint__reference", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["complaint"]
    actions = None

    @admin.display(description="to")
    def recipients(self, email: OutgoingEmail) -> str:
        return ", ".join(email.to)

    def log_reads(self, request: HttpRequest, objects: list[Any], *, where: str) -> None:
        references = (
            OutgoingEmail.objects.filter(
                pk__in=[obj.pk for obj in objects], complaint__is_confidential=True
            )
            .order_by("complaint__reference")
            .values_list("complaint__reference", flat=True)
        )
        confidential_complaints_read(
            acting_user=request.user,
            references=references,
            where=f"{where} ({self.opts.verbose_name_plural})",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Admin pages for looking at complaints. Everything is read-only: changes go through services,
so each one is checked against the Code and recorded in the complaint's history."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Document,
    Extension,
    Note,
    Point,
    Refusal,
    Remedy,
    Stage,
)
from putright.complaints.services import (
    confidential_complaints_listed,
    confidential_complaints_read,
)
from putright.core.admin import RecordsReadsAdminMixin


class ReadOnlyAdmin(RecordsReadsAdminMixin, admin.ModelAdmin):
    """Read only. Every list page or record that shows a confidential complaint, or a record of
    one, writes one security event naming the complaints (issue 24)."""

    complaint_path = "complaint"  # how a row reaches its complaint

    def log_reads(self, request: HttpRequest, objects: list, *, where: str) -> None:
        path = self.complaint_path
        references = (
            self.model._default_manager.filter(
                pk__in=[obj.pk for obj in objects], **{f"{path}__is_confidential": True}
            )
            .order_by(f"{path}__reference")
            .values_list(f"{path}__reference", flat=True)
        )
        confidential_complaints_read(
            acting_user=request.user,
            references=references,
            where=f"{where} ({self.opts.verbose_name_plural})",
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    can_delete = False
    fields = ["number", "received_on", "handler", "acknowledgement_due", "responded_on"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["reference", "complainant", "channel", "status", "received_on"]
    list_filter = ["status", "channel"]
    search_fields = ["reference"]
    date_hierarchy = "received_on"
    inlines = [StageInline]

    def log_reads(self, request: HttpRequest, objects: list, *, where: str) -> None:
        # The rows are complaints already read: no further query to find the confidential ones.
        confidential_complaints_listed(acting_user=request.user, complaints=objects, where=where)


@admin.register(Stage)
class StageAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "number", "handler", "acknowledgement_due", "response_due"]
    list_filter = ["number", "complaint__status", "complaint__channel"]
    search_fields = ["complaint__reference"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    complaint_path = "stage__complaint"
    list_display = ["stage", "previous_due", "new_due", "notice_on"]
    search_fields = ["stage__complaint__reference"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "reason", "decided_on", "decided_by", "reversed_on"]
    list_filter = ["kind", "reason", "reversal_basis", "complaint__status"]
    search_fields = ["complaint__reference"]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "action", "happened_on", "actor", "recorded_at"]
    list_filter = ["action"]
    search_fields = ["complaint__reference"]


@admin.register(Point)
class PointAdmin(ReadOnlyAdmin):
    complaint_path = "stage__complaint"
    list_display = ["stage", "number", "summary", "added_on", "added_after_acknowledgement"]
    search_fields = ["stage__complaint__reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    complaint_path = "point__stage__complaint"
    list_display = ["point", "finding"]
    list_filter = ["finding"]
    search_fields = ["point__stage__complaint__reference"]


@admin.register(Remedy)
class RemedyAdmin(ReadOnlyAdmin):
    complaint_path = "stage__complaint"
    list_display = ["stage", "kind", "amount_pence"]
    list_filter = ["kind"]
    search_fields = ["stage__complaint__reference"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "description", "owner", "due_on", "status", "completed_on"]
    list_filter = ["status"]
    search_fields = ["complaint__reference"]


@admin.register(Correspondence)
class CorrespondenceAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "direction", "channel", "party", "happened_on"]
    list_filter = ["direction", "channel", "party"]
    search_fields = ["complaint__reference"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "original_name", "kind", "content_type", "size", "uploaded_on"]
    list_filter = ["kind"]
    search_fields = ["complaint__reference", "original_name"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "written_on", "written_by"]
    search_fields = ["complaint__reference"]

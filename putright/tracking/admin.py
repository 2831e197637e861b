from django.contrib import admin

from putright.tracking.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read only: reminders are a record of what was sent."""

    list_display = ("kind", "for_date", "sent_on", "action", "stage")
    list_filter = ("kind",)
    date_hierarchy = "sent_on"
    raw_id_fields = ("action", "stage", "email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""People in the administration site: read-only views for checking data.

Every change to a person goes through ``putright.people.services`` so that it writes history;
the admin therefore never adds, changes or deletes these records. Special category records are
shown only to users with ``people.view_special_category``.
"""

from django.contrib import admin

from putright.core.admin import RecordsReadsAdminMixin
from putright.people.models import (
    ContactRestriction,
    DisclosedDisability,
    EqualityData,
    Property,
    ReasonableAdjustment,
    Representative,
    Resident,
    ResidentEvent,
    Tenancy,
)
from putright.people.selectors import SPECIAL_CATEGORY_PERMISSION, special_category_read


class ReadOnlyAdminMixin:
    """View only: changes go through the services, which write history."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SpecialCategoryAdminMixin(RecordsReadsAdminMixin, ReadOnlyAdminMixin):
    """Hidden entirely (list, detail and index) from users who may not see special category
    data, even if they hold the model's own view permission. Each list page or record shown
    writes one security event naming the people it is about."""

    def log_reads(self, request, objects: list, *, where: str) -> None:
        special_category_read(
            acting_user=request.user, residents=[obj.resident for obj in objects], where=where
        )

    def _may_see(self, request) -> bool:
        return request.user.has_perm(SPECIAL_CATEGORY_PERMISSION)

    def has_module_permission(self, request) -> bool:
        return self._may_see(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_see(request)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class TenancyInline(ReadOnlyInline):
    model = Tenancy
    fields = ["property", "tenure", "start_date", "end_date", "end_reason", "is_joint"]
    readonly_fields = fields
    fk_name = "resident"


class RepresentativeInline(ReadOnlyInline):
    model = Representative
    fields = ["name", "relationship", "authority_method", "authority_received_on", "is_active"]
    readonly_fields = fields


class AdjustmentInline(ReadOnlyInline):
    model = ReasonableAdjustment
    fields = ["category", "description", "agreed_on", "next_review_on", "is_active"]
    readonly_fields = fields


class RestrictionInline(ReadOnlyInline):
    model = ContactRestriction
    fields = ["restriction", "starts_on", "next_review_on", "ends_on"]
    readonly_fields = fields


@admin.register(Property)
class PropertyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["address_line_1", "town", "postcode", "property_type", "scheme", "uprn"]
    list_filter = ["property_type"]
    search_fields = ["address_line_1", "postcode", "uprn", "scheme"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "kind", "email", "phone", "reference"]
    list_filter = ["kind", "preferred_contact_method", "preferred_format", "interpreter_needed"]
    search_fields = ["last_name", "first_name", "email", "phone", "reference"]
    inlines = [TenancyInline, RepresentativeInline, AdjustmentInline, RestrictionInline]


@admin.register(Tenancy)
class TenancyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "property", "tenure", "start_date", "end_date", "is_joint"]
    list_filter = ["tenure", "end_reason", "is_joint"]
    list_select_related = ["resident", "property"]
    search_fields = ["resident__last_name", "property__postcode", "property__address_line_1"]
    date_hierarchy = "start_date"


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "relationship", "resident", "authority_method", "is_active"]
    list_filter = ["relationship", "authority_method", "is_active"]
    list_select_related = ["resident"]
    search_fields = ["name", "resident__last_name"]


@admin.register(ReasonableAdjustment)
class ReasonableAdjustmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "category", "agreed_on", "next_review_on", "is_active"]
    list_filter = ["category", "is_active"]
    list_select_related = ["resident"]


@admin.register(ContactRestriction)
class ContactRestrictionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "starts_on", "next_review_on", "ends_on"]
    list_select_related = ["resident"]


@admin.register(DisclosedDisability)
class DisclosedDisabilityAdmin(SpecialCategoryAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "disclosed_on", "next_review_on", "is_active"]
    list_select_related = ["resident"]


@admin.register(EqualityData)
class EqualityDataAdmin(SpecialCategoryAdminMixin, admin.ModelAdmin):
    list_display = ["resident", "age_band", "sex", "ethnicity"]
    list_select_related = ["resident"]


@admin.register(ResidentEvent)
class ResidentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["happened_on", "action", "resident", "property", "actor", "recorded_at"]
    list_filter = ["action"]
    list_select_related = ["resident", "property", "actor"]

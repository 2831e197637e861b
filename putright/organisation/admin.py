"""Admin pages an administrator uses to keep the organisation's settings and lists.

Settings, closure days and stock counts are saved through ``services`` so that each change is
recorded in the organisation's history and closure-day changes send ``calendar_changed``.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from putright.organisation import services
from putright.organisation.models import (
    BusinessArea,
    Category,
    ClosureDay,
    ExclusionReason,
    Organisation,
    OrganisationChange,
    StockCount,
)
from putright.organisation.selectors import get_organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "senior_lead", "member_responsible_for_complaints", "updated_at"]
    fieldsets = (
        (
            "Landlord",
            {"fields": ("name", "address", "phone", "email", "website", "complaints_page_url")},
        ),
        (
            "Accountability for complaints",
            {"fields": ("member_responsible_for_complaints", "senior_lead")},
        ),
        (
            "Where residents can go next",
            {"fields": ("ombudsman_contact", "building_safety_regulator_contact")},
        ),
        (
            "Your own timescales",
            {
                "description": (
                    "The Complaint Handling Code's timescales are built in and cannot be changed "
                    "here. These settings are your policy, reported beside the Code's."
                ),
                "fields": ("escalation_window_days", "first_contact_target_days"),
            },
        ),
        ("Quality sign-off", {"fields": ("stage1_requires_sign_off", "stage2_requires_sign_off")}),
        ("Reporting", {"fields": ("reporting_year_start_month", "tsm_includes_leaseholders")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One landlord per deployment: the row exists from the first migration on.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # A list of one row is noise; go straight to the settings form.
        organisation = get_organisation()
        return HttpResponseRedirect(
            reverse("admin:organisation_organisation_change", args=[organisation.pk])
        )

    def save_model(self, request, obj, form, change) -> None:
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.ORGANISATION_FIELDS
        }
        services.organisation_update(acting_user=request.user, **changed)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "description"]
    date_hierarchy = "date"
    search_fields = ["description"]
    fields = ("date", "description")

    @admin.display(description="day")
    def weekday(self, obj: ClosureDay) -> str:
        return f"{obj.date:%A}"

    def get_readonly_fields(self, request, obj=None):
        # Changing the date is a removal and an addition; doing them separately keeps each
        # calendar change visible in the history.
        return ("date",) if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            day = services.closure_day_describe(
                acting_user=request.user, on=obj.date, description=obj.description
            )
        else:
            day = services.closure_day_add(
                acting_user=request.user, on=obj.date, description=obj.description
            )
        obj.pk, obj.created_at, obj.updated_at = day.pk, day.created_at, day.updated_at

    def delete_model(self, request, obj) -> None:
        services.closure_day_remove(acting_user=request.user, on=obj.date)

    def delete_queryset(self, request, queryset: QuerySet[ClosureDay]) -> None:
        with transaction.atomic():
            for on in queryset.values_list("date", flat=True):
                services.closure_day_remove(acting_user=request.user, on=on)


class SubCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ("name", "is_active", "sort_order")
    extra = 1
    verbose_name = "sub-category"
    verbose_name_plural = "sub-categories"


class TopLevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", "Top-level categories"), ("sub", "Sub-categories")]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = [TopLevelFilter, "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    # Each top-level category followed by its own sub-categories.
    ordering = [
        Coalesce("parent__sort_order", "sort_order"),
        Coalesce("parent__name", "name"),
        F("parent").asc(nulls_first=True),
        "sort_order",
        "name",
    ]
    fields = ("name", "parent", "is_active", "sort_order")

    def get_inlines(self, request, obj):
        # Sub-categories can only hang off a top-level category.
        return [SubCategoryInline] if obj is None or obj.parent_id is None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StockCount)
class StockCountAdmin(admin.ModelAdmin):
    list_display = ["reporting_year_label", "tenure", "homes"]
    list_filter = ["tenure", "reporting_year"]
    fields = ("reporting_year", "tenure", "homes")

    @admin.display(description="reporting year", ordering="reporting_year")
    def reporting_year_label(self, obj: StockCount) -> str:
        return obj.reporting_year_label

    def get_readonly_fields(self, request, obj=None):
        return ("reporting_year", "tenure") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        count = services.stock_count_set(
            acting_user=request.user,
            reporting_year=obj.reporting_year,
            tenure=obj.tenure,
            homes=obj.homes,
        )
        obj.pk, obj.created_at, obj.updated_at = count.pk, count.created_at, count.updated_at


@admin.register(ExclusionReason)
class ExclusionReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "applies_to", "requires_date_evidence", "is_active"]
    list_filter = ["applies_to", "is_active", "requires_date_evidence"]
    search_fields = ["label", "code", "description"]
    fields = (
        "label",
        "code",
        "description",
        "applies_to",
        "requires_date_evidence",
        "evidence_date_label",
        "is_active",
        "sort_order",
    )

    def get_prepopulated_fields(self, request, obj=None):
        return {"code": ("label",)} if obj is None else {}

    def get_readonly_fields(self, request, obj=None):
        # Other records and exports refer to reasons by code, so it stays fixed once made.
        return ("code",) if obj is not None else ()


@admin.register(BusinessArea)
class BusinessAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    """The history is read-only: it records what the services did."""

    list_display = ["recorded_at", "happened_on", "action", "summary", "actor"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["summary"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

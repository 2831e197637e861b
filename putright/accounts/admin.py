from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from putright.accounts.models import Team, User
from putright.accounts.roles import ADMINISTRATOR


def restrict_admin_to_administrators(site: admin.AdminSite) -> None:
    """The Django admin is for administrators only, whatever other flags an account has."""

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())
        )

    site.has_permission = has_permission
    site.site_header = "PutRight administration"
    site.site_title = "PutRight administration"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "team", "is_active"]
    list_filter = ["is_active", "groups", "team"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Details", {"fields": ("full_name", "job_title", "team")}),
        ("Roles", {"fields": ("is_active", "is_staff", "groups")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]

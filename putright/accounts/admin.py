from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect

from putright.accounts.models import Team, User
from putright.accounts.roles import ADMINISTRATOR
from putright.accounts.services import password_reset_send, user_roles_check, user_set_roles
from putright.core import security_log
from putright.core.errors import DomainError


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


# Fields about what an account may do: never editable on one's own account (issue 24).
OWN_ACCOUNT_LOCKED = ("groups", "is_staff", "is_superuser", "user_permissions")
ROLE_FLAGS = ("is_active", "is_staff", "is_superuser")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff accounts. Roles change only through ``accounts.services.user_set_roles`` (checked
    and in the security log); nobody edits their own roles or flags here; nobody sets another
    person's password: the "Send a password reset email" action mails the account's owner a link.
    Permissions are given by role only, so ``user_permissions`` is never shown, and
    ``is_superuser`` only to superusers."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "team", "is_active"]
    list_filter = ["is_active", "groups", "team"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Details", {"fields": ("full_name", "job_title", "team")}),
        ("Roles", {"fields": ("is_active", "is_staff", "groups")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    actions = ["send_password_reset"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.is_superuser:
            return fieldsets
        return tuple(
            (name, {**options, "fields": (*options["fields"], "is_superuser")})
            if name == "Roles"
            else (name, options)
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += [name for name in OWN_ACCOUNT_LOCKED if name not in readonly]
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        acting_user = request.user

        class RolesCheckedForm(form_class):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                try:
                    user_roles_check(acting_user=acting_user, user=self.instance, roles=groups)
                except DomainError as error:
                    raise ValidationError(error.message, code=error.code) from error
                return groups

        RolesCheckedForm.__name__ = form_class.__name__
        return RolesCheckedForm

    def save_model(self, request: HttpRequest, obj: Any, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        flags = {
            name: [form.initial.get(name), form.cleaned_data[name]]
            for name in ROLE_FLAGS
            if change and name in form.changed_data
        }
        if flags:
            security_log.record(
                security_log.Kind.ROLES_CHANGED,
                actor=request.user,
                subject=security_log.user_subject(obj),
                request=request,
                user_id=obj.pk,
                flags=flags,
                reason="Changed in the administration site",
            )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The roles go through the service, never straight from the form.
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            user_set_roles(
                acting_user=request.user,
                user=form.instance,
                roles=groups,
                reason="Changed in the administration site",
            )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        """Nobody sets a colleague's password; one's own is changed on the account page, with
        the current password."""
        if str(request.user.pk) == str(id):
            return redirect("accounts:password-change")
        raise PermissionDenied

    @admin.action(description="Send a password reset email", permissions=["change"])
    def send_password_reset(self, request: HttpRequest, queryset) -> None:
        sent, skipped = [], []
        for user in queryset:
            if password_reset_send(acting_user=request.user, user=user, request=request):
                sent.append(user)
            else:
                skipped.append(user)
        if sent:
            self.message_user(
                request,
                f"A password reset email has gone to {_names(sent)}, at their own address.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                f"No email was sent to {_names(skipped)}: the account is closed or cannot sign "
                "in with a password.",
                messages.WARNING,
            )


def _names(users: list[Any]) -> str:
    return ", ".join(str(user) for user in users)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]

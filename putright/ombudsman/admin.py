"""Ombudsman cases are read only in the admin: every step goes through the services, which
check it and write the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from putright.ombudsman.models import FailureOrder, OmbudsmanCase


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OmbudsmanCase)
class OmbudsmanCaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "stage", "referred_on", "determined_on"]
    list_filter = ["stage", "kind"]
    search_fields = ["reference"]


@admin.register(FailureOrder)
class FailureOrderAdmin(ReadOnlyAdmin):
    list_display = ["kind", "order_type", "issued_on", "responded_on", "case"]
    list_filter = ["kind", "order_type"]
    list_select_related = ["case"]

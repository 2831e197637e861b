"""Band confirmations are kept in the admin; compensation is read only there (its steps go
through the services, which check them and write the case history)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from putright.redress.models import BandConfirmation, Compensation
from putright.rules.remedy_bands import BANDS


class BandConfirmationForm(forms.ModelForm):
    band_key = forms.ChoiceField(
        label="Band",
        choices=[(band.key, f"{band.label} ({band.source})") for band in BANDS],
    )

    class Meta:
        model = BandConfirmation
        fields = ["band_key", "confirmed_on", "confirmed_by", "source_checked"]


@admin.register(BandConfirmation)
class BandConfirmationAdmin(admin.ModelAdmin):
    form = BandConfirmationForm
    list_display = ["band_key", "confirmed_on", "confirmed_by", "source_checked"]
    autocomplete_fields = ["confirmed_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if obj.confirmed_by_id is None:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Compensation)
class CompensationAdmin(admin.ModelAdmin):
    list_display = ["complaint", "amount_pence", "status", "ombudsman", "offered_on", "paid_on"]
    list_filter = ["status", "ombudsman"]
    search_fields = ["complaint__reference", "payment_reference"]
    list_select_related = ["complaint"]
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

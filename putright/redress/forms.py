"""The payments register's filters (a GET form: every field optional)."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.core.forms import GovukForm
from putright.organisation.models import Category
from putright.redress.models import HEADS_OF_LOSS, Compensation
from putright.redress.selectors import RegisterFilters
from putright.rules.remedy_bands import BANDS

ANY = ""


class RegisterFilterForm(GovukForm):
    year = forms.TypedChoiceField(label="Financial year offered", required=False, coerce=int)
    category = forms.TypedChoiceField(label="Category", required=False, coerce=int)
    head = forms.ChoiceField(
        label="Head of loss",
        required=False,
        choices=[(ANY, "Any head of loss"), *HEADS_OF_LOSS],
    )
    band = forms.ChoiceField(
        label="Ombudsman band",
        required=False,
        choices=[
            (ANY, "Any amount"),
            ("below", "Below £50"),
            *((band.key, band.label) for band in BANDS),
        ],
    )
    ombudsman = forms.ChoiceField(
        label="Ordered or recommended",
        required=False,
        choices=[(ANY, "Any"), *Compensation.Ombudsman.choices],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(ANY, "Any status"), *Compensation.Status.choices],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (ANY, "Any year"),
            *((str(year), f"April {year} to March {year + 1}") for year in years),
        ]
        self.fields["category"].choices = [
            (ANY, "Any category"),
            *Category.objects.filter(parent__isnull=True)
            .order_by("name")
            .values_list("pk", "name"),
        ]

    def filters(self) -> RegisterFilters:
        """The valid filters; a field that did not validate is left out (shown with its error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return RegisterFilters(
            year=data.get("year") or None,
            category_id=data.get("category") or None,
            head=data.get("head") or "",
            band=data.get("band") or "",
            ombudsman=data.get("ombudsman") or "",
            status=data.get("status") or "",
        )

"""The queue's filter panel (a GET form) and the bulk allocation form (POST)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import QueryDict

from putright.casework.selectors.queues import QUEUES, QueueFilters, Sort
from putright.complaints.models import Channel, Status
from putright.core.dates import long_date
from putright.core.forms import DATE_PARTS, GovukDateField, GovukForm
from putright.people.models import Tenure

ANY = ""
UNALLOCATED = "none"
YES, NO = "yes", "no"


def _yes_no(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


class QueueFilterForm(GovukForm):
    """Filters, search and the sort to keep. Every field is optional; a field that does not
    validate is shown with its error and left out, and the other filters still apply."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A reference, like C-2025-00042, or words from the complainant's name, the "
        "address or the complaint",
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[(ANY, "Any stage"), ("1", "Stage 1"), ("2", "Stage 2")],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[(ANY, "Any status"), *Status.choices]
    )
    category = forms.ChoiceField(label="Category", required=False)
    handler = forms.ChoiceField(label="Handler", required=False)
    tenure = forms.ChoiceField(
        label="Tenure when received", required=False, choices=[(ANY, "Any tenure"), *Tenure.choices]
    )
    channel = forms.ChoiceField(
        label="How it came in", required=False, choices=[(ANY, "Any channel"), *Channel.choices]
    )
    vulnerable = forms.ChoiceField(
        label="Vulnerability",
        required=False,
        choices=[(ANY, "Any"), (YES, "Vulnerable"), (NO, "Not flagged vulnerable")],
    )
    breached = forms.ChoiceField(
        label="Code timescales",
        required=False,
        choices=[(ANY, "Any"), (YES, "A timescale was missed"), (NO, "No timescale missed")],
    )
    received_from = GovukDateField(
        label="Received on or after", required=False, help_text="For example, 1 12 2025"
    )
    received_to = GovukDateField(
        label="Received on or before", required=False, help_text="For example, 31 12 2025"
    )
    sort = forms.ChoiceField(
        required=False, choices=[(s.value, s.value) for s in Sort], widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        handlers: Iterable[Any] = (),
        categories: Iterable[Any] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [
            (ANY, "Anyone"),
            (UNALLOCATED, "Unallocated"),
            *((str(user.pk), str(user)) for user in handlers),
        ]
        self.fields["category"].choices = [
            (ANY, "Any category"),
            *((str(c.pk), c.name if c.is_active else f"{c.name} (retired)") for c in categories),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error(
                "received_to",
                "Received on or before must be the same as or after received on or after",
            )
        return cleaned

    # What the queue selector needs ---------------------------------------------------------

    def filters(self) -> QueueFilters:
        """The valid filters (a form with errors still gives the fields that are right)."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = self.cleaned_data
        handler = data.get("handler") or ANY
        return QueueFilters(
            search=(data.get("q") or "").strip(),
            stage=int(data["stage"]) if data.get("stage") else None,
            status=data.get("status") or "",
            category_id=int(data["category"]) if data.get("category") else None,
            handler_id=int(handler) if handler not in (ANY, UNALLOCATED) else None,
            unallocated=handler == UNALLOCATED,
            tenure=data.get("tenure") or "",
            vulnerable=_yes_no(data.get("vulnerable") or ""),
            channel=data.get("channel") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            breached=_yes_no(data.get("breached") or ""),
        )

    def sort_value(self) -> Sort | None:
        if not self.is_bound:
            return None
        self.is_valid()
        value = self.cleaned_data.get("sort")
        return Sort(value) if value else None

    def selected(self, query: QueryDict) -> list[dict[str, str]]:
        """Each filter in use, with a link that removes it (keeping the others and the sort).

        For the MoJ filter's "Selected filters" list: ``{"heading", "text", "href"}``.
        """
        if not self.is_bound:
            return []
        self.is_valid()
        chosen = []
        for name in (
            "q",
            "stage",
            "status",
            "category",
            "handler",
            "tenure",
            "channel",
            "vulnerable",
            "breached",
            "received_from",
            "received_to",
        ):
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))
            elif name in ("received_from", "received_to"):
                text = long_date(value)
            else:
                text = str(value)
            params = (
                [f"{name}_{part}" for part in DATE_PARTS]
                if isinstance(field, GovukDateField)
                else [name]
            )
            remaining = query.copy()
            for param in [*params, "page"]:
                remaining.pop(param, None)
            chosen.append(
                {
                    "heading": str(field.label),
                    "text": text,
                    "href": "?" + remaining.urlencode(),
                }
            )
        return chosen


class SelectedComplaints(forms.Field):
    """The ticked complaints, each sent as ``<id>:<version>`` so that a complaint someone else
    changed since the page was drawn is refused rather than overwritten."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": "Select the complaints to allocate",
        "invalid": "Select the complaints to allocate from the list",
    }

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        selected: dict[int, int] = {}
        for item in value:
            pk, _, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            selected[int(pk)] = int(version)
        return list(selected.items())


class BulkAllocateForm(GovukForm):
    """Give each ticked complaint the chosen handler (one service call per complaint)."""

    complaint = SelectedComplaints(label="Complaints")
    handler = forms.ChoiceField(label="Allocate to")
    reason = forms.CharField(
        label="Why complaints that already have a handler are moving",
        required=False,
        max_length=500,
        help_text="Only needed for those with a handler now. The reason is kept in each history",
    )
    queue = forms.ChoiceField(choices=[(q.slug, q.slug) for q in QUEUES], widget=forms.HiddenInput)

    def __init__(self, *args: Any, handlers: Iterable[Any] = (), **kwargs: Any):
        # The filter form on the same page has a handler field too: keep the ids apart.
        kwargs.setdefault("auto_id", "allocate-%s")
        super().__init__(*args, **kwargs)
        self.handlers = {str(user.pk): user for user in handlers}
        self.fields["handler"].choices = [
            ("", "Choose a handler"),
            *((pk, str(user)) for pk, user in self.handlers.items()),
        ]
        self.fields["handler"].error_messages["required"] = "Select who to allocate them to"

    @property
    def handler_user(self) -> Any:
        return self.handlers[self.cleaned_data["handler"]]

"""The tracker's filters (a GET form, every field optional) and the reassignment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from putright.complaints.models import Action
from putright.core.forms import GovukDateField, GovukForm
from putright.tracking.selectors import TrackerFilters, teams

ANY = ""
WITHIN_CHOICES = [
    (ANY, "Any time"),
    ("5", "5 working days"),
    ("10", "10 working days"),
    ("20", "20 working days"),
]


def staff() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("full_name", "email")


class TrackerFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(Action.Status.OPEN, "Open"), (Action.Status.DONE, "Done"), ("any", "Any")],
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int)
    due_within = forms.TypedChoiceField(
        label="Due in the next", required=False, coerce=int, choices=WITHIN_CHOICES
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    update_due = forms.BooleanField(label="Update to the resident due", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [
            (ANY, "Any team"),
            *teams().values_list("pk", "name"),
        ]
        self.fields["owner"].choices = [
            (ANY, "Anyone"),
            *((user.pk, str(user)) for user in staff().only("pk", "full_name", "email")),
        ]

    def filters(self, **fixed: Any) -> TrackerFilters:
        """The valid filters; a field that did not validate is left out (shown with its error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        status = data.get("status") or Action.Status.OPEN
        values = {
            "status": "" if status == "any" else status,
            "team_id": data.get("team") or None,
            "owner_id": data.get("owner") or None,
            "overdue": bool(data.get("overdue")),
            "due_within_days": data.get("due_within") or None,
            "update_due": bool(data.get("update_due")),
        }
        values.update(fixed)
        return TrackerFilters(**values)


class ReassignForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(
        queryset=staff(),
        label="Person",
        required=False,
        empty_label="No named person",
        help_text="Who will do it. Leave blank to give it to the team.",
        error_messages={"invalid_choice": "Select the person from the list"},
    )
    team = forms.ModelChoiceField(
        queryset=teams(),
        label="Team",
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Select the team from the list"},
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the action is due"},
    )
    reason = forms.CharField(
        label="Why it is being reassigned",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the action is being reassigned"},
        help_text="Kept in the complaint's history.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff()
        self.fields["team"].queryset = teams()

    def add_domain_error(self, error: Any) -> None:
        for problem in error.every():
            named = problem.field in self.fields and problem.field != "version"
            self.add_error(problem.field if named else None, problem.message)


class UpdateIntervalForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(
        label="Working days between updates",
        min_value=1,
        max_value=60,
        help_text="As agreed with the resident. The next update is due this many working days "
        "after the last one, or after the response if none was sent yet.",
        error_messages={
            "required": "Enter how many working days between updates",
            "invalid": "Enter the number of working days as a whole number, like 10",
            "min_value": "Enter a number of working days between 1 and 60",
            "max_value": "Enter a number of working days between 1 and 60",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    def add_domain_error(self, error: Any) -> None:
        for problem in error.every():
            named = problem.field in self.fields and problem.field != "version"
            self.add_error(problem.field if named else None, problem.message)

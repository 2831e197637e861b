"""What staff type for report editions and the TP09 result. Shape only: the services decide
what is allowed. Every form carries the revision the person started from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.reporting import contents
from putright.reporting.models import (
    COMMENTARY_MAX,
    FOREWORD_MAX,
    METHOD_NOTE_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    Edition,
)

PRIVACY_HINT = (
    "This is published. Write about the service, never about a resident: no names, addresses "
    "or complaint references"
)


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top of the form."""
    for problem in error.every():
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


class RevisionForm(GovukForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)


def _text(label: str, limit: int, *, required: bool = False, hint: str = "") -> forms.CharField:
    """A box of text with a GOV.UK character count. Built here, with its own messages, because
    fields added after a form is made miss ``GovukFormMixin``'s rewording."""
    field = forms.CharField(
        label=label, widget=forms.Textarea, max_length=limit, required=required, help_text=hint
    )
    field.validators = [
        MaxLengthValidator(limit, message=f"{label} must be {limit:,} characters or fewer")
    ]
    return field


def _reason_field(required: bool) -> forms.CharField:
    field = _text(
        "Why this version replaces the one before",
        REASON_MAX,
        required=required,
        hint="Published with the report, for example: corrected the stage 2 figures",
    )
    field.error_messages["required"] = "Say why this version replaces the one before"
    return field


class NewEditionForm(GovukForm):
    """Starting a report; a later version must say why it is needed."""

    def __init__(self, *args: Any, needs_reason: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"] = _reason_field(True)


class WordsForm(RevisionForm):
    """The foreword and a commentary box per section of the report, in the report's order."""

    foreword = forms.CharField(
        label="Foreword",
        widget=forms.Textarea,
        max_length=FOREWORD_MAX,
        required=False,
        help_text=PRIVACY_HINT,
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sections = contents.SECTIONS[edition.kind]
        for key, heading in self.sections:
            self.fields[f"commentary_{key}"] = _text(heading, COMMENTARY_MAX)
        if edition.version > 1:
            self.fields["reason"] = _reason_field(True)

    @staticmethod
    def initial_for(edition: Edition) -> dict[str, Any]:
        initial = {"revision": edition.revision, "foreword": edition.foreword}
        initial.update({f"commentary_{k}": v for k, v in edition.commentary.items()})
        if edition.version > 1:
            initial["reason"] = edition.reason
        return initial

    def commentary(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"commentary_{key}"] for key, _ in self.sections}

    def commentary_fields(self) -> list[forms.BoundField]:
        return [self[f"commentary_{key}"] for key, _ in self.sections]


class ResponseForm(RevisionForm):
    response = forms.CharField(
        label="The governing body's response",
        widget=forms.Textarea,
        max_length=RESPONSE_MAX,
        help_text="Published alongside the report (Code 8.2)",
    )
    meeting_on = GovukDateField(label="Date of the meeting", help_text="For example, 12 6 2026")
    minute = forms.CharField(label="Minute reference", max_length=60, required=False)
    member = forms.CharField(
        label="Member Responsible for Complaints",
        max_length=150,
        help_text="The governing body member with lead responsibility for complaints",
        error_messages={"required": "Enter the name of the Member Responsible for Complaints"},
    )


def _count(label: str, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        help_text=hint,
        error_messages={
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
        },
    )


class Tp09Form(GovukForm):
    """``revision`` is blank for a first entry."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lcra_satisfied = _count("LCRA respondents satisfied")
    lcra_respondents = _count(
        "LCRA respondents", "Tenants (low cost rental) who answered the TP09 question"
    )
    lcho_satisfied = _count("LCHO respondents satisfied")
    lcho_respondents = _count(
        "LCHO respondents", "Shared owners (low cost home ownership) who answered it; 0 if none"
    )
    method_note = forms.CharField(
        label="How the survey was carried out",
        widget=forms.Textarea,
        max_length=METHOD_NOTE_MAX,
        help_text="Published beside the result: who carried it out, how, when, and the sample",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for group in ("lcra", "lcho"):
            satisfied, asked = data.get(f"{group}_satisfied"), data.get(f"{group}_respondents")
            if satisfied is not None and asked is not None and satisfied > asked:
                self.add_error(
                    f"{group}_satisfied",
                    f"{group.upper()} respondents satisfied cannot be more than the "
                    f"{group.upper()} respondents ({asked:,})",
                )
        return data

"""What staff type for self-assessments and exceptional circumstances. Shape only: the services
decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.ombudsman.models import OmbudsmanCase
from putright.rules.code import CODES, LATEST
from putright.selfassessment.models import (
    ACTION_MAX,
    COMMENTARY_MAX,
    EVIDENCE_MAX,
    MEMBER_MAX,
    MINUTE_MAX,
    NOTICE_MAX,
    PROMPTED_BY_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    Answer,
    ExceptionalCircumstance,
    Trigger,
)
from putright.selfassessment.services import CIRCUMSTANCE_FIELDS, COMMENTS_MAX

DATE_HINT = "For example, 27 3 2026"
NOT_ANSWERED = ""


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top of the form."""
    for problem in error.every():
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


def _text(label: str, limit: int, *, hint: str = "", rows: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=hint,
        widget=forms.Textarea if rows else forms.TextInput,
    )


class StartForm(GovukForm):
    trigger = forms.ChoiceField(
        label="Why is this self-assessment being made?",
        choices=Trigger.choices,
        widget=forms.RadioSelect,
    )
    reporting_year = forms.TypedChoiceField(
        label="Reporting year",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="For the annual self-assessment only",
    )
    as_at = GovukDateField(
        label="Date of the self-assessment",
        required=False,
        help_text=f"For any other self-assessment: the date it speaks for. {DATE_HINT}",
    )
    prompted_by = _text(
        "What prompted it",
        PROMPTED_BY_MAX,
        hint="The restructure, merger or change of procedure, and when it took effect",
    )
    ombudsman_case = forms.ModelChoiceField(
        label="Ombudsman investigation",
        queryset=OmbudsmanCase.objects.none(),
        required=False,
        empty_label="",
        help_text="After an Ombudsman investigation only: the case that led to it",
        error_messages={"invalid_choice": "Select the Ombudsman case from the list"},
    )

    def __init__(self, *args: Any, years: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reporting_year"].choices = [("", ""), *years]
        self.fields["ombudsman_case"].queryset = OmbudsmanCase.objects.order_by(
            "-referred_on", "-id"
        )


class AnswerForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comply = forms.ChoiceField(
        label="Do you comply?",
        choices=[("yes", "Yes"), ("no", "No"), (NOT_ANSWERED, "Not answered yet")],
        widget=forms.RadioSelect,
        required=False,
    )
    evidence = _text(
        "Evidence",
        EVIDENCE_MAX,
        hint="Where the record, policy or procedure shows it: documents, links and figures",
    )
    commentary = _text("Commentary or explanation", COMMENTARY_MAX)
    action = _text(
        "What you will do to comply",
        ACTION_MAX,
        hint="Needed when the answer is no; kept only then",
    )
    action_due_on = GovukDateField(
        label="Date by which you will comply",
        required=False,
        help_text=f"Needed when the answer is no. {DATE_HINT}",
    )

    @staticmethod
    def initial_for(answer: Answer) -> dict[str, Any]:
        return {
            "version": answer.version,
            "comply": answer.comply,
            "evidence": answer.evidence,
            "commentary": answer.commentary,
            "action": answer.action,
            "action_due_on": answer.action_due_on,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "comply": data["comply"] or "",
            "evidence": data["evidence"],
            "commentary": data["commentary"],
            "action": data["action"],
            "action_due_on": data["action_due_on"],
            "expected_version": data["version"],
        }


def provision_choices(code_version: str = LATEST) -> list[tuple[str, str]]:
    return [
        (provision.number, f"{provision.number}: {provision.summary}")
        for provision in CODES[code_version].provisions
    ]


class CircumstanceForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label="What happened, in a few words", max_length=200, help_text="Like a headline"
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        max_length=EVIDENCE_MAX,
        help_text="How it stops you complying with the Code, and what you are doing about it",
    )
    provisions = forms.MultipleChoiceField(
        label="Provisions of the Code affected",
        choices=provision_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every provision you cannot comply with while this lasts",
    )
    started_on = GovukDateField(label="Date it started", help_text=DATE_HINT)
    residents_informed_on = GovukDateField(
        label="Date residents were informed", required=False, help_text=DATE_HINT
    )
    ombudsman_informed_on = GovukDateField(
        label="Date the Ombudsman was informed", required=False, help_text=DATE_HINT
    )
    expected_return_on = GovukDateField(
        label="Date you expect to comply again", help_text=DATE_HINT
    )
    ended_on = GovukDateField(
        label="Date it ended",
        required=False,
        help_text=f"When you were complying again; the public notice stops that day. {DATE_HINT}",
    )
    public_notice = forms.CharField(
        label="Notice for residents",
        widget=forms.Textarea,
        max_length=NOTICE_MAX,
        help_text="Shown on your published reports page while this lasts. Plain words: what "
        "has happened, what it means for someone making a complaint, and when things will be "
        "back to normal",
    )

    def __init__(self, *args: Any, code_version: str = LATEST, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provisions"].choices = provision_choices(code_version)

    @staticmethod
    def initial_for(circumstance: ExceptionalCircumstance) -> dict[str, Any]:
        return {
            "version": circumstance.version,
            **{name: getattr(circumstance, name) for name in CIRCUMSTANCE_FIELDS},
        }

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CIRCUMSTANCE_FIELDS}


# Approval and publication -----------------------------------------------------------------------


class StepForm(GovukForm):
    """A step with nothing to type (submit, publish): the version the page was drawn with."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(StepForm):
    decision = forms.ChoiceField(
        label="Is it ready for the governing body?",
        choices=[
            ("reviewed", "Yes, it is ready for the governing body"),
            ("returned", "No, return it to draft"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    comments = _text(
        "Comments",
        COMMENTS_MAX,
        hint="Needed when you return it: what needs to change before it comes back",
    )


class ApprovalForm(StepForm):
    meeting_on = GovukDateField(
        label="Date of the governing body's meeting",
        help_text=DATE_HINT,
        required=False,
    )
    minute = forms.CharField(
        label="Minute reference",
        max_length=MINUTE_MAX,
        required=False,
        help_text="As the minutes of that meeting number the decision, for example 2026/14",
    )
    member = forms.CharField(
        label="Member Responsible for Complaints",
        max_length=MEMBER_MAX,
        required=False,
        help_text="The member of the governing body named as responsible for complaints",
    )
    response = _text(
        "The governing body's response",
        RESPONSE_MAX,
        hint="Published alongside the self-assessment (Code 8.2)",
    )


class ReviseForm(StepForm):
    reason = _text(
        "Why does it need a new version?",
        REASON_MAX,
        hint="Published with the new version, for example a restructure, or an answer that "
        "was wrong",
    )

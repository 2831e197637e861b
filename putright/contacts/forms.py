"""Forms for contacts beside complaints: GOV.UK markup and error summaries (``GovukForm``) that
keep what was typed. The forms check the shape of what was typed; the services check the rules,
and their refusals are shown beside the fields they name (``add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from putright.complaints.models import Complaint
from putright.contacts.models import (
    ComplimentChannel,
    ContactChannel,
    ContactType,
    EnquirerRole,
    ServiceRequest,
    ServiceRequestCategory,
    ServiceRequestSource,
)
from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.learning.forms import visible_complaints
from putright.people.models import Resident

ANY = ""


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top of the form."""
    for problem in error.every():
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


def _radios(choices: Any, label: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _select(choices: Any, label: str, *, blank: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[(ANY, blank), *choices], required=True)


class _ComplaintReference(forms.CharField):
    """A complaint named by its reference, among those this person may see."""

    def __init__(self, *, user: Any = None, **kwargs: Any):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.user = user

    def clean(self, value: Any) -> Complaint | None:
        text = (super().clean(value) or "").strip().upper()
        if not text:
            return None
        found = visible_complaints(self.user).filter(reference=text).first()
        if found is None:
            raise forms.ValidationError(f"There is no complaint {text}: check the reference")
        return found


class _ResidentReference(forms.CharField):
    def clean(self, value: Any) -> Resident | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        found = Resident.objects.filter(reference__iexact=text).first()
        if found is None:
            raise forms.ValidationError(f"There is no resident with the reference {text}")
        return found


class _UserForm(GovukForm):
    """A form that looks complaints up among those its user may see."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, _ComplaintReference):
                field.user = user


# Enquiries ---------------------------------------------------------------------------------------


class EnquiryForm(_UserForm):
    received_on = GovukDateField(label="Date received", help_text="For example, 27 3 2026")
    enquirer_name = forms.CharField(label="From", max_length=200, help_text="Their name")
    enquirer_role = _radios(EnquirerRole.choices, "Their role")
    resident = _ResidentReference(
        label="Resident's reference",
        max_length=30,
        required=False,
        help_text="The reference of the resident the enquiry is about. Leave it empty to use "
        "the complainant of the complaint below",
    )
    summary = forms.CharField(label="What they asked", widget=forms.Textarea)
    complaint = _ComplaintReference(
        label="Complaint reference",
        required=False,
        help_text="Where the matter is a complaint, for example C-2026-00042",
    )
    choice_offered = forms.BooleanField(
        label="The resident was offered the choice to make a complaint", required=False
    )
    choice_offered_on = GovukDateField(label="Date the choice was offered", required=False)
    responded_on = GovukDateField(label="Date responded", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Said here as well as by the service, so it shows with the form's other errors.
        offered, on = data.get("choice_offered"), data.get("choice_offered_on")
        if offered and not on and "choice_offered_on" not in self.errors:
            self.add_error("choice_offered_on", "Enter the date the choice to complain was offered")
        if not data.get("resident") and "resident" not in self.errors:
            complaint = data.get("complaint")
            if complaint is not None:
                data["resident"] = complaint.complainant
            elif "complaint" not in self.errors:
                self.add_error(
                    "resident",
                    "Enter the resident's reference, or the complaint the enquiry is about",
                )
        return data


class EnquiryFilterForm(GovukForm):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (ANY, "Any"),
            ("open", "Not yet responded"),
            ("overdue", "Overdue"),
            ("responded", "Responded"),
        ],
    )
    role = forms.ChoiceField(
        label="Their role", required=False, choices=[(ANY, "Any role"), *EnquirerRole.choices]
    )
    received_from = GovukDateField(label="Received from", required=False)
    received_to = GovukDateField(label="Received to", required=False)


# Service requests --------------------------------------------------------------------------------


class ServiceRequestForm(GovukForm):
    external_reference = forms.CharField(
        label="Housing system reference",
        max_length=100,
        required=False,
        help_text="The job or request number in the housing management system, if it has one",
    )
    source = _select(ServiceRequestSource.choices, "Where it came from")
    category = _select(ServiceRequestCategory.choices, "Category")
    resident = _ResidentReference(label="Resident's reference", max_length=30, required=False)
    description = forms.CharField(label="What was asked for", widget=forms.Textarea)
    opened_on = GovukDateField(label="Date opened")
    target_on = GovukDateField(label="Target date")
    status = _radios(ServiceRequest.Status.choices, "Status", initial="open")
    closed_on = GovukDateField(label="Date closed", required=False)


class ServiceRequestReviewForm(GovukForm):
    reviewed_on = GovukDateField(label="Date reviewed")
    note = forms.CharField(
        label="What the review found",
        widget=forms.Textarea,
        help_text="For example, whether it should have been a complaint, or what delayed it",
    )


class LinkComplaintForm(_UserForm):
    complaint = _ComplaintReference(
        label="Complaint reference",
        help_text="The complaint raised from this request, for example C-2026-00042. The request "
        "stays open: the work carries on while the complaint is handled (Code 1.5)",
    )


class ServiceRequestFilterForm(GovukForm):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (ANY, "Any"),
            ("open", "Open"),
            ("overdue", "Open past its target"),
            ("closed", "Closed"),
        ],
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[(ANY, "Any category"), *ServiceRequestCategory.choices],
    )
    became_complaint = forms.BooleanField(label="Only those that became complaints", required=False)
    not_reviewed = forms.BooleanField(label="Only those not yet reviewed", required=False)


# Compliments -------------------------------------------------------------------------------------


def _staff() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).order_by("full_name", "email")


class ComplimentForm(GovukForm):
    received_on = GovukDateField(label="Date received")
    channel = _select(ComplimentChannel.choices, "How it arrived")
    about_team = forms.CharField(label="Team", max_length=200, required=False)
    about_staff = forms.ModelChoiceField(
        queryset=_staff(),
        label="Member of staff",
        required=False,
        empty_label="",
        error_messages={"invalid_choice": "Select a member of staff from the list"},
    )
    about_person = forms.CharField(
        label="Person", max_length=200, required=False, help_text="Someone not in the list above"
    )
    about_contractor = forms.CharField(label="Contractor", max_length=200, required=False)
    text = forms.CharField(label="What they said", widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["about_staff"].queryset = _staff()


class ComplimentFilterForm(GovukForm):
    channel = forms.ChoiceField(
        label="How it arrived", required=False, choices=[(ANY, "Any"), *ComplimentChannel.choices]
    )
    about = forms.CharField(label="About", max_length=200, required=False)


# Surveys and follow-ups --------------------------------------------------------------------------

SCORES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(_UserForm):
    complaint = _ComplaintReference(label="Complaint reference", help_text="A closed complaint")
    sent_on = GovukDateField(label="Date sent")
    provider_reference = forms.CharField(
        label="Survey provider's reference", max_length=100, required=False
    )


class SurveyResponseForm(GovukForm):
    score = forms.TypedChoiceField(
        label="Score out of 5",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is very dissatisfied, 5 very satisfied",
    )
    comment = forms.CharField(label="Comment", widget=forms.Textarea, required=False)
    comment_dissatisfied = forms.BooleanField(
        label="The comment expresses dissatisfaction", required=False
    )
    responded_on = GovukDateField(label="Date responded")


class SurveyFilterForm(GovukForm):
    state = forms.ChoiceField(
        label="Response",
        required=False,
        choices=[
            (ANY, "Any"),
            ("awaiting", "Awaiting a response"),
            ("responded", "Responded"),
            ("low", "Score of 2 or less"),
        ],
    )


class FollowUpForm(_UserForm):
    done_on = GovukDateField(label="Date done")
    choice_offered = forms.BooleanField(
        label="The resident was offered the choice to make a complaint", required=False
    )
    outcome = forms.CharField(label="What the resident said", widget=forms.Textarea)
    complaint = _ComplaintReference(
        label="Complaint reference",
        required=False,
        help_text="If they chose to complain, the complaint logged",
    )


# Contacts ----------------------------------------------------------------------------------------


class ContactForm(GovukForm):
    received_on = GovukDateField(label="Date received")
    channel = _select(ContactChannel.choices, "Channel")
    contact_type = _select(ContactType.choices, "Type")
    answered_on = GovukDateField(label="Date answered", required=False)
    external_reference = forms.CharField(
        label="Reference",
        max_length=100,
        required=False,
        help_text="The contact's reference in the telephony or CRM system, if any",
    )


class ContactFilterForm(GovukForm):
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[(ANY, "Any channel"), *ContactChannel.choices]
    )
    contact_type = forms.ChoiceField(
        label="Type", required=False, choices=[(ANY, "Any type"), *ContactType.choices]
    )
    state = forms.ChoiceField(
        label="Answer",
        required=False,
        choices=[
            (ANY, "Any"),
            ("unanswered", "Not answered"),
            ("overdue", "Overdue"),
            ("late", "Answered late"),
            ("in_time", "Answered in time"),
        ],
    )
    received_from = GovukDateField(label="Received from", required=False)
    received_to = GovukDateField(label="Received to", required=False)


class DemandForm(GovukForm):
    received_from = GovukDateField(label="From")
    received_to = GovukDateField(label="To")

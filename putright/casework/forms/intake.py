"""Forms for logging a complaint and keeping its record: what a case handler types, checked for
shape only. Whether a step is allowed is the services' decision; their refusals come back beside
the field they name, so every field is named after the service argument it feeds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from putright.casework.display import long_date
from putright.casework.permissions import ALLOCATE, visible_complaints
from putright.casework.selectors.staff import handlers
from putright.casework.views.base import ActionForm
from putright.complaints import selectors as complaint_selectors
from putright.complaints.models import (
    Channel,
    Complaint,
    Complexity,
    CorrespondenceChannel,
    Direction,
    DocumentKind,
    Party,
    Risk,
    Stage,
)
from putright.core import clock
from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.core.submissions import submission_field
from putright.organisation.models import BusinessArea, Category
from putright.organisation.selectors import exclusion_reasons
from putright.people.models import Property, Representative, Resident, ResidentKind
from putright.rules.provisions import provision

POINT_ROWS = 5

# --- Shared -------------------------------------------------------------------------------------


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top (as ActionForm does)."""
    for problem in error.every():
        named = problem.field in form.fields and problem.field != "version"
        form.add_error(problem.field if named else None, problem.message)


def handler_field(
    user: Any, *, required: bool, label: str, hint: str = "", stage: Stage | None = None
) -> forms.Field:
    """A choice of handler. Only someone who may allocate work chooses between colleagues;
    anyone else can only take the complaint themselves. At stage 2 nobody involved at stage 1
    is offered (Code 6.13)."""
    queryset = handlers() if user.has_perm(ALLOCATE) else handlers().filter(pk=user.pk)
    if stage is not None and stage.number == 2:
        queryset = queryset.exclude(
            pk__in=complaint_selectors.stage1_involved_ids(complaint=stage.complaint)
        )
    return forms.ModelChoiceField(
        queryset=queryset,
        required=required,
        label=label,
        help_text=hint,
        empty_label="",
        error_messages={
            "required": "Select a handler",
            "invalid_choice": "Select one of the handlers listed",
        },
    )


def _required(message: str | None) -> dict[str, str]:
    return {"required": message} if message else {}


def _text(
    label: str,
    *,
    required: bool = True,
    hint: str = "",
    max_length: int | None = None,
    message: str | None = None,
):
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=max_length,
        strip=True,
        error_messages=_required(message),
    )


def _textarea(label: str, *, required: bool = True, hint: str = "", message: str | None = None):
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea,
        error_messages=_required(message),
    )


def _date(label: str, *, required: bool = True, hint: str = "", message: str | None = None):
    return GovukDateField(
        label=label, required=required, help_text=hint, error_messages=_required(message)
    )


def today() -> dt.date:
    return clock.today()


# --- Logging: step 1, the complainant ------------------------------------------------------------


class ResidentSearchForm(GovukForm):
    q = _text(
        "Search for the person complaining",
        required=False,
        hint="Name, address, postcode, phone number, email address or reference",
        max_length=200,
    )


class ResidentQuickCreateForm(GovukForm):
    """The least needed to add someone who is not on record yet; the rest can follow later."""

    submission = submission_field()

    first_name = _text("First name", required=False, max_length=100)
    last_name = _text(
        "Last name",
        max_length=100,
        hint="Or their only name, if they have one",
        message="Enter their last name",
    )
    kind = forms.ChoiceField(
        label="Who they are",
        choices=ResidentKind.choices,
        initial=ResidentKind.TENANT,
    )
    phone = _text("Phone number", required=False, max_length=30)
    email = _text("Email address", required=False, max_length=254)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("first_name", "last_name", "kind", "phone", "email")}


# --- Logging: step 2, the complaint --------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def parse_time(value: str) -> dt.time | None:
    """``14:30``, ``14.30``, ``2:30pm`` or ``2pm``; None when it is not a time of day."""
    match = _TIME.match(value.strip())
    if match is None:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
    elif match[2] is None:
        return None  # "14" alone is ambiguous: ask for the minutes
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class ComplaintLogForm(GovukForm):
    """The complaint as received. ``resident`` gives the homes and representatives to choose."""

    submission = submission_field()

    complainant = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label="How the complaint came in", choices=Channel.choices, widget=forms.RadioSelect
    )
    received_at = _date(
        "Date received",
        hint="When anyone at the landlord first received it, by any channel. For example, "
        "27 3 2025",
        message="Enter the date received",
    )
    received_time = _text(
        "Time received",
        required=False,
        max_length=20,
        hint="For example, 14:30 or 2:30pm. Leave blank if it is not known, such as for a "
        "letter: midday is recorded",
    )
    received_by = _text(
        "Who received it",
        required=False,
        max_length=200,
        hint="The person or team who first received the complaint",
    )
    description = _textarea("The complaint", hint="In the resident's own words, as they gave it")
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(parent__isnull=True, is_active=True),
        required=False,
        label="Category",
        empty_label="",
    )
    sub_category = forms.ModelChoiceField(
        queryset=Category.objects.filter(
            parent__isnull=False, is_active=True, parent__is_active=True
        )
        .select_related("parent")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name"),
        required=False,
        label="Sub-category",
        help_text="Choosing a sub-category also sets its category",
        empty_label="",
    )
    business_area = forms.ModelChoiceField(
        queryset=BusinessArea.objects.filter(is_active=True),
        required=False,
        label="Business area",
        empty_label="",
    )
    is_vulnerable = forms.BooleanField(
        required=False,
        label="The resident may be vulnerable",
        help_text="Their circumstances may need to be taken into account in handling it",
    )
    is_confidential = forms.BooleanField(
        required=False,
        label="Confidential",
        help_text="Only complaints managers and its handler will be able to open it",
    )
    property = forms.ModelChoiceField(
        queryset=Property.objects.none(),
        required=False,
        label="Home the complaint is about",
        empty_label="Not about one of our homes",
    )
    representative = forms.ModelChoiceField(
        queryset=Representative.objects.none(),
        required=False,
        label="Representative",
        help_text="Someone acting for the resident, with their authority recorded",
        empty_label="Nobody: the resident is complaining themselves",
    )
    issue_date = _date(
        "Date the issue happened",
        required=False,
        hint="If the resident says. For example, 27 3 2025",
    )
    aware_date = _date(
        "Date the resident became aware of it",
        required=False,
        hint="If later than when it happened. For example, 27 3 2025",
    )
    discretion_note = _textarea(
        "Why you are accepting it although it is late",
        required=False,
        hint="The decision to use discretion under the complaints policy (Code 2.3)",
    )
    service_request_reference = _text(
        "Service request reference",
        required=False,
        max_length=100,
        hint="The repair or other request the complaint grew from, if any. It stays open",
    )

    def __init__(self, *args: Any, resident: Resident, **kwargs: Any):
        self.resident = resident
        super().__init__(*args, **kwargs)
        self.fields["property"].queryset = (
            Property.objects.filter(tenancies__resident=resident)
            .distinct()
            .order_by("address_line_1", "postcode", "id")
        )
        self.fields["property"].label_from_instance = _address
        self.fields["representative"].queryset = Representative.objects.filter(
            resident=resident, is_active=True
        )

    def clean_received_time(self) -> dt.time | None:
        value = self.cleaned_data["received_time"]
        if not value:
            return None
        parsed = parse_time(value)
        if parsed is None:
            raise forms.ValidationError(
                "Enter the time received in the correct format, like 14:30 or 2:30pm"
            )
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        received_on = data.get("received_at")
        if received_on is not None and "received_time" in data:
            moment = data["received_time"] or dt.time(12, 0)
            received = timezone.make_aware(dt.datetime.combine(received_on, moment))
            if received_on > today():
                self.add_error("received_at", "Date received must be today or in the past")
            elif data["received_time"] and received > timezone.now():
                self.add_error("received_time", "Time received must be now or in the past")
            else:
                data["received_datetime"] = received
        sub = data.get("sub_category")
        if sub is not None:
            category = data.get("category")
            if category is None:
                data["category"] = sub.parent
            elif sub.parent_id != category.pk:
                self.add_error(
                    "sub_category",
                    f"Choose a sub-category of {category.name}, or change the category",
                )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            "channel",
            "description",
            "received_by",
            "category",
            "sub_category",
            "business_area",
            "is_vulnerable",
            "is_confidential",
            "property",
            "representative",
            "issue_date",
            "aware_date",
            "discretion_note",
            "service_request_reference",
        ]
        return {
            "complainant": self.resident,
            "received_at": data["received_datetime"],
            **{name: data[name] for name in names},
        }


def _address(home: Property) -> str:
    return ", ".join(part for part in (home.address_line_1, home.postcode) if part)


# --- Not accepting -------------------------------------------------------------------------------


class NotAcceptForm(ActionForm):
    reason = forms.ModelChoiceField(
        queryset=exclusion_reasons("acceptance"),
        label="Reason from the complaints policy",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason from the complaints policy"},
    )
    explanation = _textarea(
        "Why the reason applies to this complaint", hint="The resident will be told this"
    )
    evidence = _textarea(
        "Evidence the decision rests on", message="Enter the evidence the decision rests on"
    )
    evidence_date = _date("Evidence date", required=False)
    resident_told_on = _date(
        "Date the resident was told",
        hint="For example, 27 3 2025",
        message="Enter the date the resident was told",
    )
    ombudsman_rights_given = forms.BooleanField(
        required=False,
        label="The resident was told they can take this decision to the Housing Ombudsman",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        reasons = list(self.fields["reason"].queryset)
        self.fields["reason"].item_hints = {str(r.pk): r.description for r in reasons}
        needing = [r for r in reasons if r.requires_date_evidence]
        hint = " ".join(f"{r.label}: {r.evidence_date_label.lower()}." for r in needing)
        self.fields["evidence_date"].help_text = (
            f"Needed for some reasons. {hint}" if hint else "Needed for some reasons."
        )
        self.initial.setdefault("resident_told_on", today())


# --- Acknowledging -------------------------------------------------------------------------------


class AcknowledgeForm(ActionForm):
    on = _date(
        "Date acknowledged", hint="For example, 27 3 2025", message="Enter the date acknowledged"
    )
    not_responsible_for = _textarea(
        "What the landlord is not responsible for",
        required=False,
        hint=(
            "Anything in the complaint that is for someone else, such as the council (Code 5.7). "
            "Leave it blank if every point is ours: the letter then says we will look into each one"
        ),
    )
    complexity = forms.ChoiceField(
        label="Complexity",
        choices=[("", ""), *Complexity.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    risk = forms.ChoiceField(
        label="Risk", choices=[("", ""), *Risk.choices], required=False, widget=forms.RadioSelect
    )
    vulnerability_note = _textarea(
        "How the resident's circumstances are being considered",
        required=False,
        hint="Any vulnerability or reasonable adjustment to take into account (Code 6.1)",
    )

    def __init__(
        self,
        *args: Any,
        stage: Stage,
        user: Any,
        has_points: bool = False,
        proposed_points: list[tuple[str, str]] = (),
        **kwargs: Any,
    ):
        self.stage = stage
        self.has_points = has_points
        self.rows = max(POINT_ROWS, len(proposed_points))
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", today())
        for n, (summary, outcome) in enumerate(proposed_points, start=1):
            self.initial.setdefault(f"point_{n}_summary", summary)
            self.initial.setdefault(f"point_{n}_outcome", outcome)
        for n in range(1, self.rows + 1):
            self.fields[f"point_{n}_summary"] = forms.CharField(
                label="What the resident is complaining about",
                required=False,
                widget=forms.Textarea,
            )
            self.fields[f"point_{n}_outcome"] = forms.CharField(
                label="The outcome they are seeking", required=False, widget=forms.Textarea
            )
        if stage.handler_id is None:
            if stage.number == 2:
                hint = "Someone not involved in the complaint at stage 1 (Code 6.13)"
            else:
                hint = "Leave blank to allocate it later"
            self.fields["handler"] = handler_field(
                user, required=False, label=f"Stage {stage.number} handler", hint=hint, stage=stage
            )

    def point_rows(self) -> list[tuple[int, Any, Any]]:
        """(number, summary field, outcome field) for each row, for the template."""
        return [
            (n, self[f"point_{n}_summary"], self[f"point_{n}_outcome"])
            for n in range(1, self.rows + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        points = []
        for n in range(1, self.rows + 1):
            summary = data.get(f"point_{n}_summary", "")
            outcome = data.get(f"point_{n}_outcome", "")
            if summary and not outcome:
                self.add_error(
                    f"point_{n}_outcome", f"Point {n}: enter the outcome the resident is seeking"
                )
            elif outcome and not summary:
                self.add_error(
                    f"point_{n}_summary",
                    f"Point {n}: enter what the resident is complaining about",
                )
            elif summary and outcome:
                points.append((summary, outcome))
        if not points and not self.has_points and not self.errors:
            self.add_error(
                "point_1_summary",
                "Enter at least one point of complaint, with the outcome the resident is seeking",
            )
        data["points"] = points
        return data


# --- Allocating ----------------------------------------------------------------------------------


class AllocateForm(ActionForm):
    def __init__(self, *args: Any, user: Any, stage: Stage | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if user.has_perm(ALLOCATE):
            hint = "Staff who handle complaints"
        else:
            hint = (
                "You can take the complaint yourself; a complaints manager allocates it to others"
            )
        if stage is not None and stage.number == 2:
            hint += ". Only people not involved at stage 1 are listed (Code 6.13)"
        self.fields["handler"] = handler_field(
            user, required=True, label="Handler", hint=hint, stage=stage
        )
        if stage is not None and stage.handler_id is not None:
            self.fields["reason"] = _textarea(
                "Why the complaint is moving to someone else",
                required=False,
                hint=f"It is handled by {stage.handler} now. The reason is kept in its history",
            )


# --- Extending -----------------------------------------------------------------------------------


class ExtendForm(ActionForm):
    new_due = _date(
        "New response date", hint="For example, 27 3 2025", message="Enter the new response date"
    )
    reason = _textarea(
        "Reasons the resident was given", message="Enter the reasons the resident was given"
    )
    notice_on = _date(
        "Date the resident was told",
        hint="For example, 27 3 2025",
        message="Enter the date the resident was told",
    )
    ombudsman_details_given = forms.BooleanField(
        required=False,
        label="The resident was given the Housing Ombudsman's details",
    )
    good_reason = _textarea("Good reason for going past the limit", required=False)

    def __init__(self, *args: Any, stage: Stage, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notice_on", today())
        if stage.current_due is not None:
            self.fields["notice_on"].help_text = (
                f"On or before {long_date(stage.current_due)}, the date the response is due "
                f"(Code {provision(stage.number, 'extend')}). For example, 27 3 2025"
            )
        if stage.extension_cap is not None:
            self.fields["good_reason"].help_text = (
                f"Only needed if the new date is after {long_date(stage.extension_cap)}, "
                "the furthest the Code allows without one"
            )


# --- Points, contact, documents, notes, intervals ------------------------------------------------


class AddPointForm(ActionForm):
    summary = _textarea("What the resident is complaining about")
    outcome_sought = _textarea("The outcome they are seeking")


class RecordContactForm(ActionForm):
    direction = forms.ChoiceField(
        label="Direction",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it was received or sent"},
    )
    channel = forms.ChoiceField(
        label="How",
        choices=[("", ""), *CorrespondenceChannel.choices],
        error_messages={"required": "Select how it was sent or received"},
    )
    party = forms.ChoiceField(
        label="With whom",
        choices=[("", ""), *Party.choices],
        error_messages={"required": "Select who it was with"},
    )
    on = _date("Date", hint="For example, 27 3 2025", message="Enter the date of the contact")
    summary = _textarea(
        "Summary", hint="What was said or sent", message="Enter a summary of what was said or sent"
    )
    uploaded_file = forms.FileField(
        label="Attach a copy",
        required=False,
        help_text="A letter, email (.eml), PDF, Word or Excel file, image or text file",
        error_messages={"empty": "The chosen file is empty. Choose the file again"},
    )
    kind = forms.ChoiceField(
        label="What the attachment is",
        choices=DocumentKind.choices,
        initial=DocumentKind.LETTER,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", today())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("uploaded_file") and not data.get("kind"):
            data["kind"] = DocumentKind.LETTER
        return data


class UploadForm(ActionForm):
    uploaded_file = forms.FileField(
        label="File",
        help_text="PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), plain text or email (.eml)",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The chosen file is empty. Choose the file again",
        },
    )
    kind = forms.ChoiceField(
        label="What it is",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of document it is"},
    )


class AddNoteForm(ActionForm):
    text = _textarea(
        "Note", hint="Internal: the resident does not see case notes", message="Enter the note"
    )


class UpdateIntervalForm(ActionForm):
    days = forms.IntegerField(
        label="How often the resident will be updated",
        help_text="In working days, while the response is late (Code 5.9). For example, 5",
        error_messages={"invalid": "Enter the number of working days as a whole number, like 5"},
    )

    def __init__(self, *args: Any, stage: Stage | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if stage is not None and stage.update_interval_days:
            self.initial.setdefault("days", stage.update_interval_days)


class MarkDuplicateForm(ActionForm):
    original = _text(
        "Reference of the original complaint",
        hint="The complaint this one repeats. For example, C-2025-00042",
        max_length=30,
        message="Enter the reference of the original complaint",
    )
    note = _textarea("Why this complaint repeats the other one")

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_original(self) -> Complaint:
        reference = self.cleaned_data["original"].strip().upper()
        # A confidential complaint the user may not see is reported as not found, so the form
        # does not reveal that it exists.
        found = visible_complaints(self.user).filter(reference=reference).first()
        if found is None:
            raise forms.ValidationError(f"There is no complaint with the reference {reference}")
        return found

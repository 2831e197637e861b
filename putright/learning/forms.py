"""What staff type for lessons and the plan. Shape only: the services decide what is allowed."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from putright.complaints.models import Complaint, RootCause
from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.learning.models import Lesson, LessonStatus, Rag
from putright.learning.selectors import VIEW_CONFIDENTIAL
from putright.organisation.models import BusinessArea, Category

REFERENCE = re.compile(r"C-\d{4}-\d{5}")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top of the form."""
    for problem in error.every():
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


def staff() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).order_by("full_name", "email")


def _choice_field(queryset: QuerySet, *, label: str, required: bool, hint: str = "") -> Any:
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        help_text=hint,
        empty_label="",
        error_messages={"invalid_choice": f"Select {label.lower()} from the list"},
    )


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    """The complaints this person may name: all but confidential ones they neither handle nor
    may see by role (as on the case page)."""
    complaints = Complaint.objects.all()
    if user.has_perm(VIEW_CONFIDENTIAL):
        return complaints
    return complaints.filter(Q(is_confidential=False) | Q(handler=user))


class LessonForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, help_text="A few words, like a headline")
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        help_text="About the service, not the resident: the register is read by the board and "
        "residents' panels, so leave out names and anything that identifies someone",
    )
    root_cause = forms.ChoiceField(label="Root cause", choices=RootCause.choices)
    learning = forms.CharField(label="The learning", widget=forms.Textarea)
    change_made = forms.CharField(
        label="Change made",
        widget=forms.Textarea,
        required=False,
        help_text="Needed before the lesson can be marked embedded",
    )
    owner = _choice_field(staff(), label="Owner", required=True)
    status = forms.ChoiceField(
        label="Status", choices=LessonStatus.choices, widget=forms.RadioSelect
    )
    identified_on = GovukDateField(label="Date identified", help_text="For example, 27 3 2026")
    done_on = GovukDateField(
        label="Date done",
        required=False,
        help_text="When the change was embedded. For example, 27 3 2026",
    )
    category = _choice_field(
        Category.objects.filter(is_active=True).select_related("parent"),
        label="Category",
        required=False,
    )
    business_area = _choice_field(
        BusinessArea.objects.filter(is_active=True), label="Business area", required=False
    )
    complaints = forms.CharField(
        label="Complaints it came from",
        required=False,
        help_text="Complaint references separated by commas, like C-2026-00042. A complaint "
        "once linked stays linked.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff()

    def clean_complaints(self) -> list[Complaint]:
        references = [
            part.strip().upper()
            for part in re.split(r"[,\s]+", self.cleaned_data["complaints"])
            if part.strip()
        ]
        wrong = [reference for reference in references if not REFERENCE.fullmatch(reference)]
        if wrong:
            raise forms.ValidationError(
                f"Enter complaint references like C-2026-00042 ({', '.join(wrong)} is not one)"
            )
        found = {
            complaint.reference: complaint
            for complaint in visible_complaints(self.user).filter(reference__in=references)
        }
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise forms.ValidationError(
                f"There is no complaint with the reference {', '.join(missing)}"
            )
        return list(found.values())

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def lesson_initial(lesson: Lesson, *, user: Any) -> dict[str, Any]:
    references = (
        visible_complaints(user)
        .filter(lessons=lesson)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    return {
        "title": lesson.title,
        "what_happened": lesson.what_happened,
        "root_cause": lesson.root_cause,
        "learning": lesson.learning,
        "change_made": lesson.change_made,
        "owner": lesson.owner_id,
        "status": lesson.status,
        "identified_on": lesson.identified_on,
        "done_on": lesson.done_on,
        "category": lesson.category_id,
        "business_area": lesson.business_area_id,
        "complaints": ", ".join(references),
    }


class LessonFilterForm(GovukForm):
    """The register's filters (GET); anything not understood is ignored."""

    status = forms.ChoiceField(
        label="Status", choices=[("", "Any")] + LessonStatus.choices, required=False
    )
    root_cause = forms.ChoiceField(
        label="Root cause", choices=[("", "Any")] + RootCause.choices, required=False
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=Category.objects.filter(parent__isnull=True),
        required=False,
        empty_label="Any",
    )
    business_area = forms.ModelChoiceField(
        label="Business area",
        queryset=BusinessArea.objects.all(),
        required=False,
        empty_label="Any",
    )
    year = forms.TypedChoiceField(label="Year identified", coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any")] + [
            (year, f"April {year} to March {year + 1}") for year in years
        ]


class PlanForm(GovukForm):
    year = forms.IntegerField(
        label="Year the plan starts",
        help_text="The financial year runs from 1 April: 2025 for April 2025 to March 2026",
        error_messages={"invalid": "Enter the year as a number, like 2025"},
    )
    title = forms.CharField(label="Title", max_length=200, required=False)


class GoalForm(GovukForm):
    title = forms.CharField(label="Goal", max_length=200, help_text="For example, People")
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)


class _ProgressFields(forms.Form):
    percent_complete = forms.IntegerField(
        label="Percentage complete",
        help_text="A whole number from 0 to 100",
        error_messages={"invalid": "Enter the percentage complete as a whole number, like 50"},
    )
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices, widget=forms.RadioSelect)
    rag_reason = forms.CharField(
        label="Reason for the status",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when the action is red or amber",
    )


class ActionForm(GovukForm):
    description = forms.CharField(label="Action", widget=forms.Textarea)
    lead = _choice_field(staff(), label="Lead", required=True)
    due_on = GovukDateField(label="Due date", help_text="For example, 31 3 2026")
    lessons = forms.ModelMultipleChoiceField(
        label="Lessons that prompted it",
        queryset=Lesson.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff()
        self.fields["lessons"].queryset = Lesson.objects.order_by("-identified_on", "-id").only(
            "id", "title"
        )


class NewActionForm(ActionForm, _ProgressFields):
    """Adding an action: what it is, and where it stands to begin with."""

    field_order = ["description", "lead", "due_on", "percent_complete", "rag", "rag_reason"]


class ProgressForm(GovukForm, _ProgressFields):
    field_order = ["on", "percent_complete", "rag", "rag_reason", "note"]
    on = GovukDateField(label="Date of the update", help_text="For example, 31 3 2026")
    note = forms.CharField(label="Progress update", widget=forms.Textarea)


class SnapshotForm(GovukForm):
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Quarter 1 (April to June)"),
            (2, "Quarter 2 (July to September)"),
            (3, "Quarter 3 (October to December)"),
            (4, "Quarter 4 (January to March)"),
        ],
        widget=forms.RadioSelect,
    )

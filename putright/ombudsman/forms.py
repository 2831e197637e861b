"""Forms for each step of Ombudsman casework. Each knows the service it calls (``save``); the
services refuse what the rules forbid, and the view shows that beside the field it names."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from putright.complaints.models import Complaint, RootCause
from putright.core.errors import DomainError
from putright.core.forms import GovukDateField, GovukForm
from putright.ombudsman import services
from putright.ombudsman.models import CaseStage, FailureOrder, OmbudsmanCase, Outcome
from putright.organisation.models import Category
from putright.redress.models import Compensation

VIEW_CONFIDENTIAL = "complaints.view_confidential"
DATE_HINT = "For example, 27 3 2026"


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusals beside the fields they name, else at the top of the form."""
    for problem in error.every():
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    complaints = Complaint.objects.all()
    if user.has_perm(VIEW_CONFIDENTIAL):
        return complaints
    return complaints.filter(Q(is_confidential=False) | Q(handler=user))


def _date(label: str, *, required: bool = True, hint: str = DATE_HINT) -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=hint)


class CaseFilterForm(GovukForm):
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "Any")] + CaseStage.choices, required=False
    )
    outcome = forms.ChoiceField(
        label="Finding", choices=[("", "Any")] + Outcome.choices, required=False
    )
    year = forms.TypedChoiceField(label="Year referred", coerce=int, required=False)
    overdue = forms.BooleanField(
        label="Only cases with an overdue request or order", required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any")] + [
            (year, f"April {year} to March {year + 1}") for year in years
        ]


class CaseForm(GovukForm):
    reference = forms.CharField(label="The Ombudsman's reference", max_length=40)
    kind = forms.ChoiceField(
        label="What the case covers", choices=OmbudsmanCase.Kind.choices, widget=forms.RadioSelect
    )
    complaints = forms.CharField(
        label="Complaints referred",
        help_text="Complaint references separated by commas, like C-2026-00042",
    )
    referred_on = _date("Date referred")
    stage = forms.ChoiceField(
        label="Stage the case is at",
        choices=[c for c in CaseStage.choices if c[0] not in ("closed", "determination")],
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_complaints(self) -> list[Complaint]:
        references = [
            part.strip().upper()
            for part in re.split(r"[,\s]+", self.cleaned_data["complaints"])
            if part.strip()
        ]
        found = {
            c.reference: c for c in visible_complaints(self.user).filter(reference__in=references)
        }
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise forms.ValidationError(
                f"There is no complaint with the reference {', '.join(missing)}"
            )
        return list(found.values())

    def save(self, *, user: Any) -> OmbudsmanCase:
        return services.case_open(acting_user=user, **self.cleaned_data)


class StepForm(GovukForm):
    """A step on a case or one of its records; ``title`` heads the page."""

    title = ""
    button = "Save"

    def __init__(self, *args: Any, case: OmbudsmanCase, item: Any = None, **kwargs: Any):
        self.case, self.item = case, item
        super().__init__(*args, **kwargs)

    def save(self, *, user: Any) -> Any:  # pragma: no cover - each step says what it does
        raise NotImplementedError


class MoveForm(StepForm):
    title = "Change the stage"
    stage = forms.ChoiceField(
        label="New stage",
        widget=forms.RadioSelect,
        choices=[c for c in CaseStage.choices if c[0] != CaseStage.DETERMINATION],
    )
    on = _date("Date of the change")

    def save(self, *, user: Any) -> Any:
        return services.case_move(acting_user=user, case=self.case, **self.cleaned_data)


class DeterminationForm(StepForm):
    title = "Record the determination"
    on = _date("Date of the determination")

    def save(self, *, user: Any) -> Any:
        return services.determination_record(acting_user=user, case=self.case, **self.cleaned_data)


class FindingForm(StepForm):
    title = "Add a finding"
    element = forms.CharField(
        label="Complaint element",
        max_length=300,
        help_text="As the determination names it, like 'Repairs to the roof'",
    )
    outcome = forms.ChoiceField(label="Finding", choices=Outcome.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        empty_label="",
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
    )
    complaint = forms.ModelChoiceField(
        label="Complaint", required=False, empty_label="", queryset=Complaint.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["complaint"].queryset = self.case.complaints.only("id", "reference")
        self.fields["complaint"].label_from_instance = lambda c: c.reference

    def save(self, *, user: Any) -> Any:
        return services.finding_add(acting_user=user, case=self.case, **self.cleaned_data)


class RequestForm(StepForm):
    title = "Record a request for information"
    what = forms.CharField(label="What the Ombudsman asked for", widget=forms.Textarea)
    requested_on = _date("Date of the request")
    due_on = _date("Date the Ombudsman set for a reply")

    def save(self, *, user: Any) -> Any:
        return services.request_record(acting_user=user, case=self.case, **self.cleaned_data)


def _pence(text: str) -> int:
    try:
        amount = Decimal(text.replace("£", "").replace(",", "").strip() or "0")
    except InvalidOperation:
        raise forms.ValidationError("Enter an amount in pounds, like 300 or 312.50") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError("Enter an amount in pounds, like 300 or 312.50")
    return int(amount * 100)


class OrderForm(StepForm):
    title = "Record an order"
    what = forms.CharField(label="What the Ombudsman ordered", widget=forms.Textarea)
    due_on = _date("Date set in the determination", hint="The 'no later than' date")
    compensation = forms.CharField(
        label="Compensation ordered, in pounds",
        required=False,
        help_text="Leave empty if the order carries none",
    )

    def clean_compensation(self) -> int:
        return _pence(self.cleaned_data["compensation"])

    def save(self, *, user: Any) -> Any:
        data = dict(self.cleaned_data)
        return services.order_record(
            acting_user=user, case=self.case, compensation_pence=data.pop("compensation"), **data
        )


class RecommendationForm(StepForm):
    title = "Record a recommendation"
    what = forms.CharField(label="What the Ombudsman recommended", widget=forms.Textarea)

    def save(self, *, user: Any) -> Any:
        return services.recommendation_record(acting_user=user, case=self.case, **self.cleaned_data)


class FailureOrderForm(StepForm):
    title = "Record a failure order or notice"
    kind = forms.ChoiceField(
        label="Order or notice", choices=FailureOrder.Kind.choices, widget=forms.RadioSelect
    )
    order_type = forms.ChoiceField(
        label="Type of order",
        choices=FailureOrder.OrderType.choices,
        required=False,
        help_text="Orders only",
    )
    issued_on = _date("Date issued")
    reason = forms.CharField(label="The Ombudsman's reason", widget=forms.Textarea)

    def save(self, *, user: Any) -> Any:
        return services.failure_order_record(acting_user=user, case=self.case, **self.cleaned_data)


class ReviewForm(StepForm):
    title = "Complete the case review"
    what_went_wrong = forms.CharField(label="What went wrong", widget=forms.Textarea)
    on = _date("Date completed")
    lesson_title = forms.CharField(
        label="Lesson to record",
        required=False,
        max_length=200,
        help_text="Leave empty to record no lesson; give a title to start one in Learning",
    )
    learning_text = forms.CharField(label="The learning", widget=forms.Textarea, required=False)
    root_cause = forms.ChoiceField(label="Root cause", choices=RootCause.choices, required=False)

    def save(self, *, user: Any) -> Any:
        return services.case_review_complete(
            acting_user=user, review=self.item, **self.cleaned_data
        )


class ProvideForm(StepForm):
    title = "Record the information as sent"
    on = _date("Date sent")

    def save(self, *, user: Any) -> Any:
        return services.request_provide(acting_user=user, request=self.item, **self.cleaned_data)


class ComplyForm(StepForm):
    title = "Record compliance with the order"
    evidence = forms.CharField(label="Evidence of compliance sent", widget=forms.Textarea)
    on = _date("Date complied")

    def save(self, *, user: Any) -> Any:
        return services.order_comply(acting_user=user, order=self.item, **self.cleaned_data)


class PaymentForm(StepForm):
    title = "Link the payment in the register"
    compensation = forms.ModelChoiceField(
        label="Payment",
        queryset=Compensation.objects.none(),
        empty_label="",
        help_text="Payments in the register recorded as ordered by the Ombudsman, for this "
        "case's complaints. Record the offer on the complaint first if it is not here.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["compensation"].queryset = Compensation.objects.filter(
            complaint__in=self.case.complaints.all(),
            ombudsman=Compensation.Ombudsman.ORDERED,
            ombudsman_order__isnull=True,
        ).select_related("complaint")
        self.fields["compensation"].label_from_instance = lambda c: (
            f"{c.complaint.reference}: £{c.amount_pence // 100:,}.{c.amount_pence % 100:02d} "
            f"offered {c.offered_on:%d %b %Y}"
        )

    def save(self, *, user: Any) -> Any:
        return services.order_link_compensation(
            acting_user=user, order=self.item, **self.cleaned_data
        )


class DecideForm(StepForm):
    title = "Record whether the recommendation was accepted"
    accepted = forms.TypedChoiceField(
        label="Accepted?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label="Why not", widget=forms.Textarea, required=False)
    on = _date("Date decided")

    def save(self, *, user: Any) -> Any:
        return services.recommendation_decide(
            acting_user=user, recommendation=self.item, **self.cleaned_data
        )


class DoneForm(StepForm):
    title = "Record the recommendation as done"
    on = _date("Date done")

    def save(self, *, user: Any) -> Any:
        return services.recommendation_done(
            acting_user=user, recommendation=self.item, **self.cleaned_data
        )


class RespondForm(StepForm):
    title = "Record the landlord's response"
    response = forms.CharField(label="The landlord's response", widget=forms.Textarea)
    on = _date("Date of the response")

    def save(self, *, user: Any) -> Any:
        return services.failure_order_respond(
            acting_user=user, failure_order=self.item, **self.cleaned_data
        )


# step -> form, on the case itself
CASE_STEPS: dict[str, type[StepForm]] = {
    "stage": MoveForm,
    "determination": DeterminationForm,
    "finding": FindingForm,
    "request": RequestForm,
    "order": OrderForm,
    "recommendation": RecommendationForm,
    "failure-order": FailureOrderForm,
}
# (record, step) -> form, on one of the case's records
ITEM_STEPS: dict[tuple[str, str], type[StepForm]] = {
    ("requests", "provided"): ProvideForm,
    ("orders", "complied"): ComplyForm,
    ("orders", "payment"): PaymentForm,
    ("recommendations", "decision"): DecideForm,
    ("recommendations", "done"): DoneForm,
    ("failure-orders", "response"): RespondForm,
    ("review", "complete"): ReviewForm,
}

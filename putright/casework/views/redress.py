"""The steps of a financial remedy on the case: record the offer (split by heads of loss), the
resident's acceptance or refusal, approval within a limit, and payment.

Each screen calls one ``putright.redress.services`` function, which refuses a step out of order
by itself; the screen shows the refusal beside the field it names, keeping what was typed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from putright.casework.forms.redress import AnswerForm, ApproveForm, OfferForm, PayForm
from putright.casework.forms.responses import format_pounds
from putright.casework.views.responses import ResponseActionView
from putright.complaints.models import Remedy, RemedyKind
from putright.redress import services
from putright.redress.models import Compensation
from putright.redress.selectors import band_guidance

TEMPLATE = "casework/actions/redress/form.html"


class _RedressStepView(ResponseActionView):
    template_name = TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["amount"] = format_pounds(self.amount())
        context["band"] = band_guidance(self.amount())
        return context

    def amount(self) -> int:
        raise NotImplementedError


class OfferView(_RedressStepView):
    title = "Record the compensation offer"
    submit_label = "Record the offer"
    form_class = OfferForm

    remedy: Remedy

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.remedy_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_complaint(self, reference: str) -> Any:
        complaint = super().get_complaint(reference)
        remedy = (
            Remedy.objects.select_related("stage")
            .filter(stage__complaint=complaint, pk=self.remedy_pk, kind=RemedyKind.COMPENSATION)
            .first()
        )
        if remedy is None:
            raise Http404
        self.remedy = remedy
        return complaint

    def get_initial(self) -> dict[str, Any]:
        return {"on": self.remedy.stage.responded_on}

    def amount(self) -> int:
        return self.remedy.amount_pence or 0

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["remedy"] = self.remedy
        return context

    def perform(self, form: OfferForm) -> str:
        services.compensation_offer(
            acting_user=self.request.user,
            remedy=self.remedy,
            heads=form.heads(),
            ombudsman=form.cleaned_data["ombudsman"],
            on=form.cleaned_data["on"],
        )
        return f"Offer of {format_pounds(self.remedy.amount_pence)} recorded."


class _CompensationStepView(_RedressStepView):
    compensation: Compensation
    step = ""  # as ``services.TRANSITIONS`` names it

    def show_form(self) -> bool:
        return self.step in services.steps_from(self.compensation.status)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.compensation_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_complaint(self, reference: str) -> Any:
        complaint = super().get_complaint(reference)
        compensation = (
            Compensation.objects.select_related("stage", "remedy", "approved_by")
            .filter(complaint=complaint, pk=self.compensation_pk)
            .first()
        )
        if compensation is None:
            raise Http404
        self.compensation = compensation
        return complaint

    def amount(self) -> int:
        return self.compensation.amount_pence

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["compensation"] = self.compensation
        context["waiting_for"] = services.waiting_for(self.compensation.status)
        return context


class AcceptView(_CompensationStepView):
    step = "accept"
    title = "Record that the resident accepted"
    submit_label = "Record acceptance"
    form_class = AnswerForm

    def perform(self, form: AnswerForm) -> str:
        services.compensation_accept(
            acting_user=self.request.user,
            compensation=self.compensation,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
        return "The resident's acceptance is recorded. The payment now needs approval."


class DeclineView(_CompensationStepView):
    step = "decline"
    title = "Record that the resident declined"
    submit_label = "Record refusal"
    form_class = AnswerForm

    def perform(self, form: AnswerForm) -> str:
        services.compensation_decline(
            acting_user=self.request.user,
            compensation=self.compensation,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
        return "The resident declined the offer. It stays on the record."


class ApproveView(_CompensationStepView):
    own_case_only = False  # approval is by whoever's limit covers the amount
    step = "approve"
    title = "Approve the payment"
    submit_label = "Approve"
    form_class = ApproveForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["limit"] = format_pounds(services.approval_limit(self.request.user))
        return context

    def perform(self, form: ApproveForm) -> str:
        services.compensation_approve(
            acting_user=self.request.user,
            compensation=self.compensation,
            on=form.cleaned_data["on"],
        )
        return f"Payment of {format_pounds(self.compensation.amount_pence)} approved."


class PayView(_CompensationStepView):
    step = "pay"
    title = "Record the payment"
    submit_label = "Record the payment"
    form_class = PayForm

    def perform(self, form: PayForm) -> str:
        services.compensation_pay(
            acting_user=self.request.user,
            compensation=self.compensation,
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
            offset_agreed=form.cleaned_data["offset_agreed"],
            on=form.cleaned_data["on"],
        )
        return f"Payment of {format_pounds(self.compensation.amount_pence)} recorded."


# The URL name of each step after the offer, as ``services.steps_from`` names them.
STEP_URL_NAMES = {
    "accept": "compensation-accept",
    "decline": "compensation-decline",
    "approve": "compensation-approve",
    "pay": "compensation-pay",
}
STEP_LABELS = {
    "accept": "Resident accepted",
    "decline": "Resident declined",
    "approve": "Approve",
    "pay": "Record payment",
}

urlpatterns = [
    path("<str:reference>/remedies/<int:pk>/offer/", OfferView.as_view(), name="remedy-offer"),
    path(
        "<str:reference>/compensation/<int:pk>/accept/",
        AcceptView.as_view(),
        name="compensation-accept",
    ),
    path(
        "<str:reference>/compensation/<int:pk>/decline/",
        DeclineView.as_view(),
        name="compensation-decline",
    ),
    path(
        "<str:reference>/compensation/<int:pk>/approve/",
        ApproveView.as_view(),
        name="compensation-approve",
    ),
    path(
        "<str:reference>/compensation/<int:pk>/pay/",
        PayView.as_view(),
        name="compensation-pay",
    ),
]

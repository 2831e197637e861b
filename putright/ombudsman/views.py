"""Ombudsman casework screens: the cases, a case with everything hanging off it, a form for each
step, and the board's summary (counts and the maladministration rate, no personal data).

Who: ``ombudsman.view_ombudsmancase`` reads cases and ``ombudsman.manage_ombudsmancase`` records
steps (complaints managers); ``ombudsman.view_ombudsman_summary`` reads the summary (managers and
the board).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from putright.core import clock
from putright.core.errors import DomainError
from putright.ombudsman import selectors
from putright.ombudsman.forms import (
    CASE_STEPS,
    ITEM_STEPS,
    CaseFilterForm,
    CaseForm,
    add_domain_error,
    visible_complaints,
)
from putright.ombudsman.models import (
    CaseReview,
    FailureOrder,
    InformationRequest,
    OmbudsmanCase,
    Order,
    Outcome,
    Recommendation,
)

VIEW = "ombudsman.view_ombudsmancase"
MANAGE = "ombudsman.manage_ombudsmancase"
SUMMARY = "ombudsman.view_ombudsman_summary"
PAGE_SIZE = 25
ITEM_MODELS = {
    "requests": InformationRequest,
    "orders": Order,
    "recommendations": Recommendation,
    "failure-orders": FailureOrder,
    "review": CaseReview,
}


def _needs(permission: str):
    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def case_url(reference: str) -> str:
    try:
        return reverse("casework:case", kwargs={"reference": reference})
    except NoReverseMatch:
        return ""


@_needs(VIEW)
@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, years=selectors.case_years())
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            stage=data["stage"],
            outcome=data["outcome"],
            year=data["year"] or None,
            overdue=data["overdue"],
        )
    page = Paginator(selectors.cases_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    links = selectors.complaint_references([row.pk for row in rows])
    return render(
        request,
        "ombudsman/cases.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [(row, links[row.pk]) for row in rows],
            "filtered": filters != selectors.CaseFilters(),
            "may_manage": request.user.has_perm(MANAGE),
            "may_summary": request.user.has_perm(SUMMARY),
        },
    )


def _case(pk: int) -> OmbudsmanCase:
    try:
        return selectors.case_detail(pk)
    except OmbudsmanCase.DoesNotExist:
        raise Http404("No such Ombudsman case") from None


@_needs(VIEW)
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    visible = set(
        visible_complaints(request.user)
        .filter(pk__in=[c.pk for c in case.complaints.all()])
        .values_list("pk", flat=True)
    )
    try:
        review = case.review
    except CaseReview.DoesNotExist:
        review = None
    return render(
        request,
        "ombudsman/case.html",
        {
            "case": case,
            "complaints": [
                (c.reference, case_url(c.reference) if c.pk in visible else "")
                for c in case.complaints.all()
            ],
            "review": review,
            "history": selectors.case_history(case),
            "may_manage": request.user.has_perm(MANAGE),
            "today": clock.today(),
        },
    )


@_needs(MANAGE)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    cancel = reverse("ombudsman:cases")
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                case = form.save(user=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Ombudsman case {case.reference} recorded")
                return HttpResponseRedirect(reverse("ombudsman:case", args=[case.pk]))
    else:
        reference = request.GET.get("complaint", "").strip().upper()
        complaint = visible_complaints(request.user).filter(reference=reference).first()
        initial = {"kind": "individual", "stage": "enquiry", "referred_on": clock.today()}
        if complaint is not None:
            initial["complaints"] = complaint.reference
            cancel = case_url(complaint.reference) or cancel
        form = CaseForm(initial=initial, user=request.user)
    return render(
        request,
        "ombudsman/step_form.html",
        {
            "form": form,
            "title": "Record an Ombudsman case",
            "cancel_url": cancel,
            "caption": "Ombudsman casework",
        },
        status=400 if form.errors else 200,
    )


def _step_page(request: HttpRequest, case: OmbudsmanCase, form_class, item=None) -> HttpResponse:
    back = reverse("ombudsman:case", args=[case.pk])
    if request.method == "POST":
        form = form_class(request.POST, case=case, item=item)
        if form.is_valid():
            try:
                form.save(user=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{form.title}: saved")
                return HttpResponseRedirect(back)
    else:
        form = form_class(initial={"on": clock.today()}, case=case, item=item)
    return render(
        request,
        "ombudsman/step_form.html",
        {
            "form": form,
            "title": form.title,
            "cancel_url": back,
            "caption": f"Ombudsman case {case.reference}",
        },
        status=400 if form.errors else 200,
    )


@_needs(MANAGE)
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    form_class = CASE_STEPS.get(step)
    if form_class is None:
        raise Http404("No such step")
    case = OmbudsmanCase.objects.filter(pk=pk).first()
    if case is None:
        raise Http404("No such Ombudsman case")
    return _step_page(request, case, form_class)


@_needs(MANAGE)
@require_http_methods(["GET", "POST"])
def item_step(request: HttpRequest, pk: int, record: str, item: int, step: str) -> HttpResponse:
    form_class = ITEM_STEPS.get((record, step))
    if form_class is None:
        raise Http404("No such step")
    row = ITEM_MODELS[record].objects.select_related("case").filter(pk=item, case_id=pk).first()
    if row is None:
        raise Http404("No such record on this case")
    return _step_page(request, row.case, form_class, row)


@_needs(SUMMARY)
@require_http_methods(["GET"])
def summary(request: HttpRequest) -> HttpResponse:
    """Counts and the rate for a financial year: what the board may read."""
    this_year = selectors.financial_year(clock.today())
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    years = sorted({this_year, year, *selectors.case_years()}, reverse=True)
    figures = selectors.summary(year)
    return render(
        request,
        "ombudsman/summary.html",
        {
            "figures": figures,
            "years": years,
            "outcomes": [
                (label, figures.outcome_counts.get(value, 0)) for value, label in Outcome.choices
            ],
            "may_view_cases": request.user.has_perm(VIEW),
        },
    )

"""The self-assessment's screens: the list of assessments, starting one, an assessment in the
Ombudsman's five columns grouped by section of the Code, and the answer to one provision; and
the register of exceptional circumstances (Code 8.5).

Who: ``selfassessment.view_selfassessment`` reads assessments (complaints managers, quality
reviewers, the board); ``selfassessment.prepare_selfassessment`` starts them and writes answers
(complaints managers). ``selfassessment.view_exceptionalcircumstance`` and
``selfassessment.manage_exceptionalcircumstance`` read and keep the register (complaints
managers).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import DomainError, StaleVersion
from putright.organisation.selectors import get_organisation
from putright.reporting.periods import year_label
from putright.rules.code import CODES, LATEST
from putright.selfassessment import evidence, selectors, services
from putright.selfassessment.forms import (
    AnswerForm,
    CircumstanceForm,
    StartForm,
    add_domain_error,
)
from putright.selfassessment.models import (
    Answer,
    ExceptionalCircumstance,
    SelfAssessment,
    Trigger,
)

VIEW = "selfassessment.view_selfassessment"
PREPARE = "selfassessment.prepare_selfassessment"
VIEW_CIRCUMSTANCES = "selfassessment.view_exceptionalcircumstance"
MANAGE_CIRCUMSTANCES = "selfassessment.manage_exceptionalcircumstance"
HISTORY_SHOWN = 20


def _needs(permission: str):
    """Signed in (else to sign in), then the permission (else 403)."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _shown(value: Any) -> str:
    """A saved or typed value as text, for comparing and showing."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return long_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value).strip()


def _conflict(form, *, saved: dict[str, Any], version: int) -> list[tuple[str, str]]:
    """After a refused save: the form keeps what was typed and now carries the current version
    (saving again is then a choice made knowingly); returns, per field where the saved value
    differs from what was typed, its label and the saved value."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data
    return [
        (str(form[name].label), _shown(value) or "(blank)")
        for name, value in saved.items()
        if _shown(value) != _shown(form.cleaned_data.get(name))
    ]


# --- Self-assessments ----------------------------------------------------------------------------


def _from_record(
    request: HttpRequest, found: dict[str, evidence.Evidence]
) -> dict[str, dict[str, Any]]:
    """Per provision, its evidence from the record and the links its reader may open."""
    return {
        number: {"evidence": shown, "links": shown.links_for(request.user)}
        for number, shown in found.items()
    }


def _assessment(pk: int) -> SelfAssessment:
    try:
        return selectors.assessment_detail(pk)
    except SelfAssessment.DoesNotExist:
        raise Http404("No such self-assessment") from None


def _assessment_url(assessment: SelfAssessment) -> str:
    return reverse("selfassessment:assessment", args=[assessment.pk])


@_needs(VIEW)
@require_http_methods(["GET"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "selfassessment/list.html",
        {
            "assessments": list(selectors.assessments()),
            "may_prepare": request.user.has_perm(PREPARE),
            "may_see_circumstances": request.user.has_perm(VIEW_CIRCUMSTANCES),
        },
    )


def _years() -> list[tuple[int, str]]:
    """The reporting years an annual self-assessment may still be started for: from the first
    the latest Code applies in to the current one, newest first."""
    organisation = get_organisation()
    first = organisation.reporting_year_of(CODES[LATEST].in_force_from)
    current = organisation.reporting_year_of(clock.today())
    started = set(
        SelfAssessment.objects.filter(trigger=Trigger.ANNUAL).values_list(
            "reporting_year", flat=True
        )
    )
    return [
        (year, year_label(year)) for year in range(current, first - 1, -1) if year not in started
    ]


@_needs(PREPARE)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    years = _years()
    if request.method == "POST":
        form = StartForm(request.POST, years=years)
        if form.is_valid():
            try:
                assessment = services.assessment_start(
                    acting_user=request.user, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{assessment.title} started")
                return HttpResponseRedirect(_assessment_url(assessment))
    else:
        initial = {"trigger": Trigger.ANNUAL, "reporting_year": years[0][0] if years else None}
        form = StartForm(initial=initial, years=years)
    return render(
        request,
        "selfassessment/new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@_needs(VIEW)
@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    sections, summary = selectors.assessment_sections(assessment)
    may_see_case = request.user.has_perm("ombudsman.view_ombudsmancase")
    # Evidence from the record, computed once for the page (a fixed number of queries).
    from_record = _from_record(request, evidence.evidence_for(assessment))
    for group in sections:
        for row in group.rows:
            row.from_record = from_record.get(row.provision.number)
    return render(
        request,
        "selfassessment/assessment.html",
        {
            "assessment": assessment,
            "code": CODES[assessment.code_version],
            "sections": sections,
            "summary": summary,
            "evidenced": len(from_record),
            "flagged": sum(1 for shown in from_record.values() if shown["evidence"].breach),
            "period": evidence.period_of(assessment) if from_record else None,
            "history": list(selectors.assessment_history(assessment)[:HISTORY_SHOWN]),
            "may_prepare": request.user.has_perm(PREPARE) and assessment.is_draft,
            "case_url": reverse("ombudsman:case", args=[assessment.ombudsman_case_id])
            if assessment.ombudsman_case_id and may_see_case
            else "",
        },
    )


@_needs(PREPARE)
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, provision: str) -> HttpResponse:
    assessment = _assessment(pk)
    code = CODES[assessment.code_version]
    if provision not in code:
        raise Http404("No such provision")
    try:
        answer = selectors.answer_for(assessment, provision)
    except Answer.DoesNotExist:
        raise Http404("No such provision in this self-assessment") from None
    back = f"{_assessment_url(assessment)}#provision-{code.provision(provision).slug}"
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.provision_answer(
                    acting_user=request.user,
                    assessment=assessment,
                    provision=provision,
                    **form.service_arguments(),
                )
            except StaleVersion as error:
                form.add_error(None, error.message)
                fresh = selectors.answer_for(assessment, provision)
                saved = AnswerForm.initial_for(fresh)
                saved.pop("version")
                labels = dict(form.fields["comply"].choices)
                saved["comply"] = labels[fresh.comply]
                form.cleaned_data["comply"] = labels[form.cleaned_data["comply"] or ""]
                saved_now = _conflict(form, saved=saved, version=fresh.version)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Answer to {provision} saved")
                return HttpResponseRedirect(back)
    else:
        form = AnswerForm(initial=AnswerForm.initial_for(answer))
    return render(
        request,
        "selfassessment/answer.html",
        {
            "form": form,
            "assessment": assessment,
            "provision": code.provision(provision),
            "section": code.section(code.provision(provision).section),
            "earlier": selectors.carried_answer(assessment, provision),
            "from_record": _from_record(
                request,
                {provision: found}
                if (found := evidence.evidence_for_provision(assessment, provision))
                else {},
            ).get(provision),
            "saved_now": saved_now,
            "back": back,
            "history": list(selectors.provision_history(assessment, provision)[:HISTORY_SHOWN]),
        },
        status=400 if form.errors else 200,
    )


# --- Exceptional circumstances (Code 8.5) --------------------------------------------------------


def _circumstance(pk: int) -> ExceptionalCircumstance:
    try:
        return selectors.circumstances().get(pk=pk)
    except ExceptionalCircumstance.DoesNotExist:
        raise Http404("No such record of exceptional circumstances") from None


@_needs(VIEW_CIRCUMSTANCES)
@require_http_methods(["GET"])
def circumstance_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    return render(
        request,
        "selfassessment/circumstances.html",
        {
            "rows": [
                {"circumstance": c, "running": c.is_running_on(today)}
                for c in selectors.circumstances()
            ],
            "may_manage": request.user.has_perm(MANAGE_CIRCUMSTANCES),
        },
    )


@_needs(VIEW_CIRCUMSTANCES)
@require_http_methods(["GET"])
def circumstance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    circumstance = _circumstance(pk)
    return render(
        request,
        "selfassessment/circumstance.html",
        {
            "circumstance": circumstance,
            "running": circumstance.is_running_on(clock.today()),
            "provisions": selectors.provisions_of(circumstance),
            "history": list(selectors.circumstance_history(circumstance)),
            "may_manage": request.user.has_perm(MANAGE_CIRCUMSTANCES),
        },
    )


def _circumstance_form_page(
    request: HttpRequest,
    form: CircumstanceForm,
    *,
    title: str,
    cancel_url: str,
    saved_now: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    return render(
        request,
        "selfassessment/circumstance_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "saved_now": saved_now or []},
        status=400 if form.errors else 200,
    )


@_needs(MANAGE_CIRCUMSTANCES)
@require_http_methods(["GET", "POST"])
def circumstance_new(request: HttpRequest) -> HttpResponse:
    cancel = reverse("selfassessment:circumstances")
    title = "Record exceptional circumstances"
    if request.method == "POST":
        form = CircumstanceForm(request.POST)
        if form.is_valid():
            try:
                circumstance = services.circumstance_record(
                    acting_user=request.user, **form.service_arguments()
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{circumstance.title} recorded")
                return HttpResponseRedirect(
                    reverse("selfassessment:circumstance", args=[circumstance.pk])
                )
    else:
        form = CircumstanceForm(initial={"started_on": clock.today()})
    return _circumstance_form_page(request, form, title=title, cancel_url=cancel)


@_needs(MANAGE_CIRCUMSTANCES)
@require_http_methods(["GET", "POST"])
def circumstance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    circumstance = _circumstance(pk)
    cancel = reverse("selfassessment:circumstance", args=[circumstance.pk])
    title = f"Change {circumstance.title}"
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST":
        form = CircumstanceForm(request.POST, code_version=circumstance.code_version)
        if form.is_valid():
            try:
                services.circumstance_update(
                    acting_user=request.user,
                    circumstance=circumstance,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.service_arguments(),
                )
            except StaleVersion as error:
                form.add_error(None, error.message)
                fresh = _circumstance(pk)
                saved = CircumstanceForm.initial_for(fresh)
                saved.pop("version")
                saved_now = _conflict(form, saved=saved, version=fresh.version)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{circumstance.title} saved")
                return HttpResponseRedirect(cancel)
    else:
        form = CircumstanceForm(
            initial=CircumstanceForm.initial_for(circumstance),
            code_version=circumstance.code_version,
        )
    return _circumstance_form_page(
        request, form, title=title, cancel_url=cancel, saved_now=saved_now
    )

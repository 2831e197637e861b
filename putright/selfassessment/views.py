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
from django.contrib.auth.decorators import (
    login_not_required,
    login_required,
    permission_required,
)
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
from putright.selfassessment import evidence, exports, selectors, services
from putright.selfassessment.forms import (
    AnswerForm,
    ApprovalForm,
    CircumstanceForm,
    ReviewForm,
    ReviseForm,
    StartForm,
    StepForm,
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
            "answer": answer,
            "frozen": not assessment.is_draft,
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


# --- Approval, publication and the files (Code 8.1, 8.2) ----------------------------------------
#
# Who: complaints managers submit, publish and start a new version
# (``selfassessment.prepare_selfassessment``); quality reviewers and complaints managers review
# (``selfassessment.review_selfassessment``; the service refuses whoever prepared or submitted
# it); board members and complaints managers record the governing body's approval
# (``selfassessment.approve_selfassessment``). Anyone who reads assessments downloads them; a
# draft's files say "Draft" on them, because the governing body approves from the draft.

REVIEW = "selfassessment.review_selfassessment"
APPROVE = "selfassessment.approve_selfassessment"


def _step_page(
    request: HttpRequest,
    *,
    assessment: SelfAssessment,
    form,
    template: str,
    status: int | None = None,
    saved_now: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "form": form,
            "back": _assessment_url(assessment),
            "saved_now": saved_now or [],
            **extra,
        },
        status=status or (400 if form.errors else 200),
    )


def _run_step(request: HttpRequest, form, step, *, done: str, **arguments: Any):
    """Call the service with the form's version; on success a message and the assessment's
    page (or the new version's); on a refusal the errors on the form and None."""
    try:
        result = step(
            acting_user=request.user, expected_version=form.cleaned_data["version"], **arguments
        )
    except StaleVersion as error:
        form.add_error(None, error.message)
        fresh = _assessment(arguments["assessment"].pk)
        data = form.data.copy()
        data["version"] = str(fresh.version)
        form.data = data
        return None
    except DomainError as error:
        add_domain_error(form, error)
        return None
    messages.success(request, done.format(title=result.title_with_version))
    return HttpResponseRedirect(_assessment_url(result))


def _step_view(
    permission: str,
    form_class,
    step,
    *,
    template: str,
    done: str,
    arguments=lambda data: {},
    extra=lambda assessment: {},
):
    """A page for one step of the status flow: its form (with the version it was read at), the
    service call, and the errors or the assessment's page after. ``arguments`` gives the
    service what it needs from the form's data; ``extra`` adds to the page."""

    @_needs(permission)
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assessment = _assessment(pk)
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                response = _run_step(
                    request,
                    form,
                    step,
                    assessment=assessment,
                    done=done,
                    **arguments(form.cleaned_data),
                )
                if response:
                    return response
        else:
            form = form_class(initial={"version": assessment.version})
        return _step_page(
            request, assessment=assessment, form=form, template=template, **extra(assessment)
        )

    return view


assessment_submit = _step_view(
    PREPARE,
    StepForm,
    services.assessment_submit,
    template="selfassessment/submit.html",
    done="{title} submitted for review",
    extra=lambda assessment: {
        "problems": services.submission_problems(assessment) if assessment.is_draft else []
    },
)
assessment_review = _step_view(
    REVIEW,
    ReviewForm,
    services.assessment_review,
    template="selfassessment/review.html",
    done="{title}: review recorded",
    arguments=lambda data: {"decision": data["decision"], "comments": data["comments"]},
)
assessment_approve = _step_view(
    APPROVE,
    ApprovalForm,
    services.assessment_approve,
    template="selfassessment/approve.html",
    done="{title}: the governing body's approval recorded",
    arguments=lambda data: {
        name: data[name] for name in ("meeting_on", "minute", "member", "response")
    },
)
assessment_publish = _step_view(
    PREPARE,
    StepForm,
    services.assessment_publish,
    template="selfassessment/publish.html",
    done="{title} published",
)
assessment_revise = _step_view(
    PREPARE,
    ReviseForm,
    services.assessment_revise,
    template="selfassessment/revise.html",
    done="{title} started: change what needs changing, then submit it for review",
    arguments=lambda data: {"reason": data["reason"]},
)


def _file(assessment: SelfAssessment, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("No such format")
    rendered = exports.render(assessment, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@_needs(VIEW)
@require_http_methods(["GET"])
def assessment_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The assessment as HTML, PDF or Word, whatever its status: a draft's files say so."""
    return _file(_assessment(pk), fmt)


# --- Published, for anyone without signing in ---------------------------------------------------


def _published(pk: int) -> SelfAssessment:
    try:
        return exports.published_assessments().get(pk=pk)
    except SelfAssessment.DoesNotExist:
        raise Http404("No such published self-assessment") from None


@login_not_required
@require_http_methods(["GET"])
def published_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """A published self-assessment as an accessible page beside the published reports, with
    its files, the governing body's response, and a pointer to any later version."""
    assessment = _published(pk)
    newest = (
        exports.published_assessments()
        .filter(
            trigger=assessment.trigger,
            reporting_year=assessment.reporting_year,
            as_at=assessment.as_at,
            version_number__gt=assessment.version_number,
        )
        .order_by("-version_number")
        .first()
    )
    return render(
        request,
        "selfassessment/public/assessment.html",
        {
            "assessment": assessment,
            "document": exports.document_for(assessment),
            "columns": exports.COLUMNS,
            "formats": exports.FORMATS,
            "newest": newest,
        },
    )


@login_not_required
@require_http_methods(["GET"])
def published_assessment_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _file(_published(pk), fmt)

"""Report editions on screen: the reports of each year and quarter, a page per edition showing
the document as it will be published, the landlord's words, the governing body's response, the
TP09 result, and publishing.

Who: ``complaints.view_reports`` reads editions, drafts included (the board, complaints
managers); ``reporting.change_edition`` starts drafts and writes their words and
``reporting.publish_edition`` publishes (complaints managers); ``reporting.record_governing_body_
response`` records the governing body's response (the board, complaints managers);
``reporting.change_perceptionsurveyresult`` enters TP09 (complaints managers).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from putright.core import clock
from putright.core.errors import DomainError, StaleVersion
from putright.organisation.selectors import get_organisation
from putright.reporting import contents, editions, formats, selectors, services
from putright.reporting.document import ReportDocument
from putright.reporting.forms import (
    NewEditionForm,
    ResponseForm,
    RevisionForm,
    Tp09Form,
    WordsForm,
    add_domain_error,
)
from putright.reporting.models import Edition, PerceptionSurveyResult
from putright.reporting.periods import year_label

VIEW_REPORTS = "complaints.view_reports"
CHANGE_EDITION = "reporting.change_edition"
PUBLISH_EDITION = "reporting.publish_edition"
RECORD_RESPONSE = "reporting.record_governing_body_response"
RECORD_TP09 = "reporting.change_perceptionsurveyresult"
FIRST_YEAR = 2024  # the 2024 Code applies from 1 April 2024


def _needs(permission: str):
    """Signed in (else to sign in), then the permission (else 403)."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _years() -> list[int]:
    current = get_organisation().reporting_year_of(clock.today())
    return list(range(current, FIRST_YEAR - 1, -1))


def _year(year: int) -> int:
    if year not in _years():
        raise Http404("No such reporting year")
    return year


def parse_part(part: str) -> tuple[str, int]:
    """ "annual" -> (annual, 0); "q1" to "q4" -> (quarter, n); anything else is not found."""
    if part == contents.ANNUAL:
        return contents.ANNUAL, 0
    if part in ("q1", "q2", "q3", "q4"):
        return contents.QUARTER, int(part[1])
    raise Http404("No such report")


def _edition(pk: int) -> Edition:
    return get_object_or_404(Edition, pk=pk)


def _edition_url(edition: Edition) -> str:
    return reverse("reporting:edition", args=[edition.pk])


def _draft_only(edition: Edition) -> None:
    if edition.is_published:
        raise Http404("A published version does not change")


@_needs(VIEW_REPORTS)
@require_http_methods(["GET"])
def edition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/editions.html",
        {
            "years": selectors.reports_by_year(_years()),
            "may_change": request.user.has_perm(CHANGE_EDITION),
            "may_record_tp09": request.user.has_perm(RECORD_TP09),
        },
    )


@_needs(CHANGE_EDITION)
@require_http_methods(["GET", "POST"])
def edition_new(request: HttpRequest, year: int, part: str) -> HttpResponse:
    kind, quarter = parse_part(part)
    report = selectors.report_versions(kind=kind, reporting_year=_year(year), quarter=quarter)
    if report.draft is not None:
        return HttpResponseRedirect(_edition_url(report.draft))
    needs_reason = bool(report.versions)
    form = NewEditionForm(request.POST or None, needs_reason=needs_reason)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_start(
                acting_user=request.user,
                kind=kind,
                reporting_year=year,
                quarter=quarter,
                reason=form.cleaned_data.get("reason", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Draft of {edition.title} version {edition.version} started")
            return HttpResponseRedirect(_edition_url(edition))
    return render(
        request,
        "reporting/edition_new.html",
        {"form": form, "report": report, "needs_reason": needs_reason},
        status=400 if form.errors else 200,
    )


def document_of(edition: Edition):
    """What the page shows: the frozen document once published; before that, today's figures
    and words as publishing would freeze them (suppressed)."""
    if edition.is_published:
        return editions.document_from_json(edition.document)
    return editions.publishable(editions.draft_document(edition), editions.threshold())


@_needs(VIEW_REPORTS)
@require_http_methods(["GET"])
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(pk)
    user = request.user
    return render(
        request,
        "reporting/edition.html",
        {
            "edition": edition,
            "document": document_of(edition),
            "report": selectors.report_versions(
                kind=edition.kind, reporting_year=edition.reporting_year, quarter=edition.quarter
            ),
            "history": selectors.report_history(edition)[:50],
            "threshold": edition.suppression_threshold or editions.threshold(),
            "may_change": user.has_perm(CHANGE_EDITION),
            "may_publish": user.has_perm(PUBLISH_EDITION),
            "may_respond": user.has_perm(RECORD_RESPONSE),
            "formats": formats.FORMATS,
        },
    )


def download(document: ReportDocument, fmt: str) -> HttpResponse:
    """A report drawn in one of ``formats.FORMATS``, as a file to save."""
    if fmt not in formats.FORMATS:
        raise Http404("No such format")
    drawn = formats.render(document, fmt)
    response = HttpResponse(drawn.content, content_type=drawn.content_type)
    response["Content-Disposition"] = f'attachment; filename="{drawn.filename}"'
    return response


@_needs(VIEW_REPORTS)
@require_http_methods(["GET"])
def edition_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A draft as it stands (marked as a draft in every format), or a published version."""
    return download(document_of(_edition(pk)), fmt)


def _conflict(form, *, saved: dict[str, Any], revision: int) -> list[tuple[str, str]]:
    """After a refused save: the form keeps what was typed and now carries the current
    revision (saving again is then a choice made knowingly); returns, per field where the saved
    text differs from what was typed, its label and the saved text."""
    data = form.data.copy()
    data["revision"] = str(revision)
    form.data = data
    return [
        (str(form[name].label), saved.get(name) or "(blank)")
        for name in saved
        if name in form.fields and (saved.get(name) or "") != (form.data.get(name) or "").strip()
    ]


@_needs(CHANGE_EDITION)
@require_http_methods(["GET", "POST"])
def edition_words(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(pk)
    _draft_only(edition)
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST":
        form = WordsForm(request.POST, edition=edition)
        if form.is_valid():
            try:
                services.edition_save_words(
                    acting_user=request.user,
                    edition=edition,
                    foreword=form.cleaned_data["foreword"],
                    commentary=form.commentary(),
                    reason=form.cleaned_data.get("reason"),
                    expected_revision=form.cleaned_data["revision"],
                )
            except StaleVersion as error:
                form.add_error(None, error.message)
                fresh = _edition(pk)
                saved = WordsForm.initial_for(fresh)
                saved.pop("revision")
                saved_now = _conflict(form, saved=saved, revision=fresh.revision)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Foreword and commentary saved")
                return HttpResponseRedirect(_edition_url(edition))
    else:
        form = WordsForm(initial=WordsForm.initial_for(edition), edition=edition)
    return render(
        request,
        "reporting/edition_words.html",
        {"form": form, "edition": edition, "saved_now": saved_now},
        status=400 if form.errors else 200,
    )


@_needs(RECORD_RESPONSE)
@require_http_methods(["GET", "POST"])
def edition_response(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(pk)
    _draft_only(edition)
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ResponseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edition_record_response(
                    acting_user=request.user,
                    edition=edition,
                    response=data["response"],
                    meeting_on=data["meeting_on"],
                    minute=data["minute"],
                    member=data["member"],
                    expected_revision=data["revision"],
                )
            except StaleVersion as error:
                form.add_error(None, error.message)
                fresh = _edition(pk)
                saved = {"response": fresh.response, "minute": fresh.response_minute}
                saved["member"] = fresh.response_member
                saved_now = _conflict(form, saved=saved, revision=fresh.revision)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The governing body's response is recorded")
                return HttpResponseRedirect(_edition_url(edition))
    else:
        form = ResponseForm(
            initial={
                "revision": edition.revision,
                "response": edition.response,
                "meeting_on": edition.response_meeting_on,
                "minute": edition.response_minute,
                "member": edition.response_member
                or get_organisation().member_responsible_for_complaints,
            }
        )
    return render(
        request,
        "reporting/edition_response.html",
        {"form": form, "edition": edition, "saved_now": saved_now},
        status=400 if form.errors else 200,
    )


@_needs(PUBLISH_EDITION)
@require_http_methods(["GET", "POST"])
def edition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page saying what will be frozen; publishing on its button."""
    edition = _edition(pk)
    _draft_only(edition)
    form = RevisionForm(request.POST or None, initial={"revision": edition.revision})
    if request.method == "POST" and form.is_valid():
        try:
            published = services.edition_publish(
                acting_user=request.user,
                edition=edition,
                expected_revision=form.cleaned_data["revision"],
            )
        except StaleVersion:
            messages.error(
                request,
                "Someone changed this draft since you opened this page. Check what will be "
                "published below, then publish again.",
            )
            return HttpResponseRedirect(reverse("reporting:edition-publish", args=[pk]))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{published.title} version {published.version} published")
            return HttpResponseRedirect(_edition_url(published))
    document = document_of(edition)
    return render(
        request,
        "reporting/edition_publish.html",
        {
            "form": form,
            "edition": edition,
            "document": document,
            "threshold": editions.threshold(),
            "suppressed": [
                table.title
                for section in document.sections
                for table in section.tables
                if "fewer than" in table.note or "withheld" in table.note
            ],
            "commented": [s.heading for s in document.sections if s.commentary],
        },
        status=400 if form.errors else 200,
    )


@_needs(RECORD_TP09)
@require_http_methods(["GET", "POST"])
def tp09(request: HttpRequest, year: int) -> HttpResponse:
    result = PerceptionSurveyResult.objects.filter(reporting_year=_year(year)).first()
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST":
        form = Tp09Form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.perception_result_record(
                    acting_user=request.user,
                    reporting_year=year,
                    lcra_satisfied=data["lcra_satisfied"],
                    lcra_respondents=data["lcra_respondents"],
                    lcho_satisfied=data["lcho_satisfied"],
                    lcho_respondents=data["lcho_respondents"],
                    method_note=data["method_note"],
                    expected_revision=data["revision"],
                )
            except StaleVersion as error:
                form.add_error(None, error.message)
                fresh = PerceptionSurveyResult.objects.get(reporting_year=year)
                saved = {name: str(getattr(fresh, name)) for name in services.TP09_FIELDS}
                saved_now = _conflict(form, saved=saved, revision=fresh.revision)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"TP09 result for {year_label(year)} saved")
                return HttpResponseRedirect(reverse("reporting:editions"))
    else:
        initial: dict[str, Any] = {}
        if result is not None:
            initial = {name: getattr(result, name) for name in services.TP09_FIELDS}
            initial["revision"] = result.revision
        form = Tp09Form(initial=initial)
    return render(
        request,
        "reporting/tp09.html",
        {"form": form, "year": year, "label": year_label(year), "saved_now": saved_now},
        status=400 if form.errors else 200,
    )

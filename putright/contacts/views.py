"""The contacts screens: a hub, and for each record type a list with filters, a detail page with
its history, and forms.

Who: case handlers and complaints managers hold ``contacts.view_*`` (read), ``contacts.add_*``
(record) and ``contacts.change_*`` (change); board members hold none, since these records hold
personal data. Lists run a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from putright.contacts import selectors, services
from putright.contacts.forms import (
    ComplimentFilterForm,
    ComplimentForm,
    ContactFilterForm,
    ContactForm,
    DemandForm,
    EnquiryFilterForm,
    EnquiryForm,
    FollowUpForm,
    LinkComplaintForm,
    ServiceRequestFilterForm,
    ServiceRequestForm,
    ServiceRequestReviewForm,
    SurveyFilterForm,
    SurveyForm,
    SurveyResponseForm,
    add_domain_error,
)
from putright.contacts.models import (
    Compliment,
    Contact,
    ContactChannel,
    ContactType,
    Enquiry,
    SatisfactionSurvey,
    ServiceRequest,
    SurveyFollowUp,
)
from putright.core import clock
from putright.core.errors import DomainError

PAGE_SIZE = 50
# Logging a complaint is casework's; this app only links to it.
HANDLE_COMPLAINT = "complaints.handle_complaint"


def _needs(permission: str):
    """Signed in (else to sign in), then the permission (else 403)."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _day(value: date | None, empty: str = "") -> str:
    return date_format(value, "j M Y") if value else empty


def case_url(reference: str) -> str:
    try:
        return reverse("casework:case", kwargs={"reference": reference})
    except NoReverseMatch:  # a deployment without the casework screens
        return ""


def _complaint_cell(complaint: Any) -> dict[str, str]:
    if complaint is None:
        return {"text": "None"}
    return {"text": complaint.reference, "url": case_url(complaint.reference)}


def _get(model: type[Model], pk: int, **related: Any) -> Any:
    rows = model.objects.all()
    if related.get("select"):
        rows = rows.select_related(*related["select"])
    try:
        return rows.get(pk=pk)
    except model.DoesNotExist:
        raise Http404("No such record") from None


def _filters(form_class: type, request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    form = form_class(request.GET or None)
    data: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
    return form, data


def _list_page(
    request: HttpRequest,
    *,
    title: str,
    rows: Any,
    filter_form: Any,
    columns: list[str],
    cells: Callable[[Any], list[dict[str, Any]]],
    new_url: str = "",
    new_text: str = "",
    intro: str = "",
    clear_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    objects = list(page.object_list)
    return render(
        request,
        "contacts/list.html",
        {
            "title": title,
            "intro": intro,
            "filter_form": filter_form,
            "clear_url": clear_url,
            "page_obj": page,
            "columns": columns,
            "rows": [cells(obj) for obj in objects],
            "new_url": new_url,
            "new_text": new_text,
            **(extra or {}),
        },
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    cancel_url: str,
    button: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "contacts/form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "cancel_url": cancel_url,
            "button": button,
            "intro": intro,
        },
        status=400 if form.errors else 200,
    )


def _log_from(name: str, pk: int, resident_id: int | None) -> str:
    """Logging a complaint raised from a record, at the complaint step when it names the
    resident (the casework log view; the name is a string so this app need not import it)."""
    url = reverse(name, args=[pk])
    return f"{url}?{urlencode({'resident': resident_id})}" if resident_id else url


def _detail_page(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    rows: list[tuple[str, Any]],
    history: Any,
    actions: list[tuple[str, str]],
    back_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "contacts/detail.html",
        {
            "title": title,
            "caption": caption,
            "rows": rows,
            "history": list(history),
            "actions": actions,
            "back_url": back_url,
            **(extra or {}),
        },
    )


def _save(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: Callable[[Any], str],
    redirect: Callable[[Any], str],
) -> HttpResponse | None:
    """Run the service with the form's values; a redirect on success, else ``None`` with the
    service's refusals on the form."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return None
    messages.success(request, success(result))
    return HttpResponseRedirect(redirect(result))


# Hub ---------------------------------------------------------------------------------------------


@_needs("contacts.view_enquiry")
@require_http_methods(["GET"])
def hub(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/hub.html", {"counts": selectors.hub_counts()})


# Enquiries ---------------------------------------------------------------------------------------


def _enquiry_cells(enquiry: Enquiry) -> list[dict[str, Any]]:
    overdue = enquiry.responded_on is None and enquiry.due_on < clock.today()
    return [
        {"text": enquiry.reference, "url": reverse("contacts:enquiry", args=[enquiry.pk])},
        {"text": _day(enquiry.received_on)},
        {"text": f"{enquiry.enquirer_name} ({enquiry.get_enquirer_role_display()})"},
        {"text": enquiry.resident.full_name},
        {"text": _day(enquiry.due_on), "tag": "Overdue" if overdue else ""},
        {"text": _day(enquiry.responded_on, "Not yet")},
        _complaint_cell(enquiry.complaint),
    ]


@_needs("contacts.view_enquiry")
@require_http_methods(["GET"])
def enquiries(request: HttpRequest) -> HttpResponse:
    form, data = _filters(EnquiryFilterForm, request)
    rows = selectors.enquiry_list(
        selectors.EnquiryFilters(
            state=data.get("state", ""),
            role=data.get("role", ""),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
        )
    )
    return _list_page(
        request,
        title="MP, councillor and executive enquiries",
        intro="Enquiries made for a resident by an MP, a councillor, the chief executive or a "
        "board member. Where the matter is a complaint, link it, and offer the resident the "
        "choice to complain (Code 1.3).",
        rows=rows,
        filter_form=form,
        clear_url=reverse("contacts:enquiries"),
        columns=["Enquiry", "Received", "From", "Resident", "Due", "Responded", "Complaint"],
        cells=_enquiry_cells,
        new_url=reverse("contacts:enquiry-new")
        if request.user.has_perm("contacts.add_enquiry")
        else "",
        new_text="Record an enquiry",
    )


@_needs("contacts.view_enquiry")
@require_http_methods(["GET"])
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _get(Enquiry, pk, select=["resident", "complaint"])
    overdue = enquiry.responded_on is None and enquiry.due_on < clock.today()
    choice = (
        f"Yes, on {_day(enquiry.choice_offered_on)}" if enquiry.choice_offered else "Not recorded"
    )
    actions = []
    if request.user.has_perm("contacts.change_enquiry"):
        actions.append(
            ("Change or record the response", reverse("contacts:enquiry-edit", args=[pk]))
        )
    return _detail_page(
        request,
        title=f"Enquiry {enquiry.reference}",
        caption="MP, councillor and executive enquiries",
        rows=[
            ("Received", _day(enquiry.received_on)),
            ("From", enquiry.enquirer_name),
            ("Their role", enquiry.get_enquirer_role_display()),
            ("Resident", enquiry.resident.full_name),
            ("What they asked", enquiry.summary),
            ("Response due", _day(enquiry.due_on) + (" (overdue)" if overdue else "")),
            ("Responded", _day(enquiry.responded_on, "Not yet")),
            ("Complaint", _complaint_cell(enquiry.complaint)),
            ("Offered the choice to complain", choice),
        ],
        history=selectors.history(enquiry=enquiry),
        actions=actions,
        back_url=reverse("contacts:enquiries"),
    )


def _enquiry_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in EnquiryForm.base_fields}


@_needs("contacts.add_enquiry")
@require_http_methods(["GET", "POST"])
def enquiry_new(request: HttpRequest) -> HttpResponse:
    cancel = reverse("contacts:enquiries")
    if request.method == "POST":
        form = EnquiryForm(request.POST, user=request.user)
        done = _save(
            request,
            form,
            lambda data: services.enquiry_record(acting_user=request.user, **_enquiry_values(data)),
            success=lambda enquiry: (
                f"Enquiry {enquiry.reference} recorded: the response is due {_day(enquiry.due_on)}"
            ),
            redirect=lambda enquiry: reverse("contacts:enquiry", args=[enquiry.pk]),
        )
        if done:
            return done
    else:
        form = EnquiryForm(initial={"received_on": clock.today()}, user=request.user)
    return _form_page(
        request,
        form,
        title="Record an enquiry",
        caption="MP, councillor and executive enquiries",
        cancel_url=cancel,
        button="Save enquiry",
    )


@_needs("contacts.change_enquiry")
@require_http_methods(["GET", "POST"])
def enquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _get(Enquiry, pk, select=["resident", "complaint"])
    cancel = reverse("contacts:enquiry", args=[pk])
    if request.method == "POST":
        form = EnquiryForm(request.POST, user=request.user)
        done = _save(
            request,
            form,
            lambda data: services.enquiry_update(
                acting_user=request.user, enquiry=enquiry, **_enquiry_values(data)
            ),
            success=lambda enquiry: f"Enquiry {enquiry.reference} updated",
            redirect=lambda enquiry: cancel,
        )
        if done:
            return done
    else:
        form = EnquiryForm(
            initial={
                **{name: getattr(enquiry, name) for name in EnquiryForm.base_fields},
                "resident": enquiry.resident.reference or "",
                "complaint": enquiry.complaint.reference if enquiry.complaint else "",
            },
            user=request.user,
        )
    return _form_page(
        request,
        form,
        title=f"Change enquiry {enquiry.reference}",
        caption="MP, councillor and executive enquiries",
        cancel_url=cancel,
        button="Save changes",
    )


# Service requests ------------------------------------------------------------------------------


@_needs("contacts.view_servicerequest")
@require_http_methods(["GET"])
def service_requests(request: HttpRequest) -> HttpResponse:
    form, data = _filters(ServiceRequestFilterForm, request)
    rows = selectors.service_request_list(
        selectors.ServiceRequestFilters(
            state=data.get("state", ""),
            category=data.get("category", ""),
            became_complaint=bool(data.get("became_complaint")),
            not_reviewed=bool(data.get("not_reviewed")),
        )
    )
    today = clock.today()

    def cells(row: ServiceRequest) -> list[dict[str, Any]]:
        overdue = row.status == ServiceRequest.Status.OPEN and row.target_on < today
        return [
            {"text": row.reference, "url": reverse("contacts:service-request", args=[row.pk])},
            {"text": row.get_category_display()},
            {"text": _day(row.opened_on)},
            {"text": _day(row.target_on), "tag": "Overdue" if overdue else ""},
            {
                "text": row.get_status_display()
                + (f", {_day(row.closed_on)}" if row.closed_on else "")
            },
            {"text": str(row.complaint_count) if row.complaint_count else "None"},
            {"text": _day(row.reviewed_on, "Not yet")},
        ]

    return _list_page(
        request,
        title="Service requests",
        intro="Requests to put something right, recorded here or referenced from the housing "
        "system (Code 1.4). A complaint raised from one is linked while the request stays open "
        "(Code 1.5). Tick “Only those that became complaints” for the review list.",
        rows=rows,
        filter_form=form,
        clear_url=reverse("contacts:service-requests"),
        columns=["Request", "Category", "Opened", "Target", "Status", "Complaints", "Reviewed"],
        cells=cells,
        new_url=reverse("contacts:service-request-new")
        if request.user.has_perm("contacts.add_servicerequest")
        else "",
        new_text="Record a service request",
    )


@_needs("contacts.view_servicerequest")
@require_http_methods(["GET"])
def service_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(ServiceRequest, pk, select=["resident"])
    complaints = selectors.complaints_for_requests([row])[row.pk]
    named = selectors.complaints_naming(row, exclude=complaints)
    actions = []
    if request.user.has_perm("contacts.change_servicerequest"):
        actions = [
            ("Change, close or re-open", reverse("contacts:service-request-edit", args=[pk])),
            ("Record a review", reverse("contacts:service-request-review", args=[pk])),
            (
                "Link a complaint raised from it",
                reverse("contacts:service-request-link", args=[pk]),
            ),
        ]
        if request.user.has_perm(HANDLE_COMPLAINT):
            actions.append(
                (
                    "Log a complaint raised from it",
                    _log_from("casework:log-from-service-request", pk, row.resident_id),
                )
            )
    return _detail_page(
        request,
        title=f"Service request {row.reference}",
        caption="Service requests",
        rows=[
            ("Housing system reference", row.external_reference or "None"),
            ("Where it came from", row.get_source_display()),
            ("Category", row.get_category_display()),
            ("Resident", row.resident.full_name if row.resident else "Not recorded"),
            ("What was asked for", row.description),
            ("Opened", _day(row.opened_on)),
            ("Target", _day(row.target_on)),
            ("Status", row.get_status_display()),
            ("Closed", _day(row.closed_on, "Not closed")),
            ("Reviewed", _day(row.reviewed_on, "Not yet")),
            ("Review note", row.review_note or "None"),
        ],
        history=selectors.history(service_request=row),
        actions=actions,
        back_url=reverse("contacts:service-requests"),
        extra={
            "complaints": [_complaint_cell(c) for c in [*complaints, *named]],
            "complaints_heading": "Complaints raised from this request",
        },
    )


def _sr_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in ServiceRequestForm.base_fields}


@_needs("contacts.add_servicerequest")
@require_http_methods(["GET", "POST"])
def service_request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ServiceRequestForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.service_request_record(
                acting_user=request.user, **_sr_values(data)
            ),
            success=lambda row: f"Service request {row.reference} recorded",
            redirect=lambda row: reverse("contacts:service-request", args=[row.pk]),
        )
        if done:
            return done
    else:
        form = ServiceRequestForm(initial={"opened_on": clock.today(), "status": "open"})
    return _form_page(
        request,
        form,
        title="Record a service request",
        caption="Service requests",
        cancel_url=reverse("contacts:service-requests"),
        button="Save service request",
    )


@_needs("contacts.change_servicerequest")
@require_http_methods(["GET", "POST"])
def service_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(ServiceRequest, pk, select=["resident"])
    cancel = reverse("contacts:service-request", args=[pk])
    if request.method == "POST":
        form = ServiceRequestForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.service_request_update(
                acting_user=request.user, service_request=row, **_sr_values(data)
            ),
            success=lambda saved: f"Service request {saved.reference} updated",
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        form = ServiceRequestForm(
            initial={
                **{name: getattr(row, name) for name in ServiceRequestForm.base_fields},
                "resident": row.resident.reference if row.resident else "",
            }
        )
    return _form_page(
        request,
        form,
        title=f"Change service request {row.reference}",
        caption="Service requests",
        cancel_url=cancel,
        button="Save changes",
    )


@_needs("contacts.change_servicerequest")
@require_http_methods(["GET", "POST"])
def service_request_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(ServiceRequest, pk)
    cancel = reverse("contacts:service-request", args=[pk])
    if request.method == "POST":
        form = ServiceRequestReviewForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.service_request_review(
                acting_user=request.user,
                service_request=row,
                reviewed_on=data["reviewed_on"],
                note=data["note"],
            ),
            success=lambda saved: f"Review of {saved.reference} recorded",
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        form = ServiceRequestReviewForm(initial={"reviewed_on": clock.today()})
    return _form_page(
        request,
        form,
        title=f"Review service request {row.reference}",
        caption="Service requests",
        cancel_url=cancel,
        button="Save review",
    )


@_needs("contacts.change_servicerequest")
@require_http_methods(["GET", "POST"])
def service_request_link(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(ServiceRequest, pk)
    cancel = reverse("contacts:service-request", args=[pk])
    if request.method == "POST":
        form = LinkComplaintForm(request.POST, user=request.user)
        done = _save(
            request,
            form,
            lambda data: services.service_request_link_complaint(
                acting_user=request.user, service_request=row, complaint=data["complaint"]
            ),
            success=lambda saved: (
                f"Complaint linked to {saved.reference}; the request stays "
                f"{saved.get_status_display().lower()}"
            ),
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        form = LinkComplaintForm(user=request.user)
    return _form_page(
        request,
        form,
        title=f"Link a complaint to {row.reference}",
        caption="Service requests",
        cancel_url=cancel,
        button="Link complaint",
    )


# Compliments -------------------------------------------------------------------------------------


@_needs("contacts.view_compliment")
@require_http_methods(["GET"])
def compliments(request: HttpRequest) -> HttpResponse:
    form, data = _filters(ComplimentFilterForm, request)
    rows = selectors.compliment_list(channel=data.get("channel", ""), text=data.get("about", ""))
    return _list_page(
        request,
        title="Compliments",
        rows=rows,
        filter_form=form,
        clear_url=reverse("contacts:compliments"),
        columns=["Compliment", "Received", "How", "About"],
        cells=lambda row: [
            {"text": row.reference, "url": reverse("contacts:compliment", args=[row.pk])},
            {"text": _day(row.received_on)},
            {"text": row.get_channel_display()},
            {"text": row.about},
        ],
        new_url=reverse("contacts:compliment-new")
        if request.user.has_perm("contacts.add_compliment")
        else "",
        new_text="Record a compliment",
    )


@_needs("contacts.view_compliment")
@require_http_methods(["GET"])
def compliment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(Compliment, pk, select=["about_staff"])
    actions = []
    if request.user.has_perm("contacts.change_compliment"):
        actions.append(("Change", reverse("contacts:compliment-edit", args=[pk])))
    return _detail_page(
        request,
        title=f"Compliment {row.reference}",
        caption="Compliments",
        rows=[
            ("Received", _day(row.received_on)),
            ("How it arrived", row.get_channel_display()),
            ("Team", row.about_team or "None"),
            ("Member of staff", str(row.about_staff) if row.about_staff else "None"),
            ("Person", row.about_person or "None"),
            ("Contractor", row.about_contractor or "None"),
            ("What they said", row.text),
        ],
        history=selectors.history(compliment=row),
        actions=actions,
        back_url=reverse("contacts:compliments"),
    )


def _compliment_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in ComplimentForm.base_fields}


@_needs("contacts.add_compliment")
@require_http_methods(["GET", "POST"])
def compliment_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ComplimentForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.compliment_record(
                acting_user=request.user, **_compliment_values(data)
            ),
            success=lambda row: f"Compliment {row.reference} recorded",
            redirect=lambda row: reverse("contacts:compliment", args=[row.pk]),
        )
        if done:
            return done
    else:
        form = ComplimentForm(initial={"received_on": clock.today()})
    return _form_page(
        request,
        form,
        title="Record a compliment",
        caption="Compliments",
        cancel_url=reverse("contacts:compliments"),
        button="Save compliment",
        intro="Say who it is about: a team, a member of staff or another person, or a "
        "contractor (one or more).",
    )


@_needs("contacts.change_compliment")
@require_http_methods(["GET", "POST"])
def compliment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(Compliment, pk)
    cancel = reverse("contacts:compliment", args=[pk])
    if request.method == "POST":
        form = ComplimentForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.compliment_update(
                acting_user=request.user, compliment=row, **_compliment_values(data)
            ),
            success=lambda saved: f"Compliment {saved.reference} updated",
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        form = ComplimentForm(
            initial={name: getattr(row, name) for name in ComplimentForm.base_fields}
            | {"about_staff": row.about_staff_id}
        )
    return _form_page(
        request,
        form,
        title=f"Change compliment {row.reference}",
        caption="Compliments",
        cancel_url=cancel,
        button="Save changes",
    )


# Surveys and follow-ups ------------------------------------------------------------------------


def _score(survey: SatisfactionSurvey) -> str:
    return f"{survey.score} out of 5" if survey.score is not None else "No response yet"


@_needs("contacts.view_satisfactionsurvey")
@require_http_methods(["GET"])
def surveys(request: HttpRequest) -> HttpResponse:
    form, data = _filters(SurveyFilterForm, request)
    rows = selectors.survey_list(state=data.get("state", ""))
    summary = selectors.satisfaction_summary(rows)

    def cells(row: SatisfactionSurvey) -> list[dict[str, Any]]:
        follow_up = getattr(row, "follow_up", None)
        return [
            {"text": row.reference, "url": reverse("contacts:survey", args=[row.pk])},
            _complaint_cell(row.complaint),
            {"text": _day(row.sent_on)},
            {
                "text": _score(row),
                "tag": "Follow up" if follow_up and not follow_up.done_on else "",
            },
            {"text": _day(row.responded_on, "Not yet")},
        ]

    return _list_page(
        request,
        title="Satisfaction surveys",
        intro="Transactional surveys sent after a complaint closes. A score of 2 or less, or a "
        "dissatisfied comment, is not a complaint: it opens a follow-up to offer the resident "
        "the choice to complain (Code 1.6).",
        rows=rows,
        filter_form=form,
        clear_url=reverse("contacts:surveys"),
        columns=["Survey", "Complaint", "Sent", "Score", "Responded"],
        cells=cells,
        new_url=reverse("contacts:survey-new")
        if request.user.has_perm("contacts.add_satisfactionsurvey")
        else "",
        new_text="Record a survey sent",
        extra={"summary": summary},
    )


@_needs("contacts.view_satisfactionsurvey")
@require_http_methods(["GET"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(SatisfactionSurvey, pk, select=["complaint"])
    follow_up = SurveyFollowUp.objects.filter(survey=row).select_related("complaint").first()
    actions = []
    if request.user.has_perm("contacts.change_satisfactionsurvey"):
        actions.append(("Record the response", reverse("contacts:survey-response", args=[pk])))
        if follow_up and follow_up.done_on is None:
            actions.append(
                ("Record the follow-up", reverse("contacts:follow-up", args=[follow_up.pk]))
            )
            if request.user.has_perm(HANDLE_COMPLAINT):
                actions.append(
                    (
                        "Log the complaint the resident chose to make",
                        _log_from(
                            "casework:log-from-follow-up",
                            follow_up.pk,
                            row.complaint.complainant_id,
                        ),
                    )
                )
    rows = [
        ("Complaint", _complaint_cell(row.complaint)),
        ("Sent", _day(row.sent_on)),
        ("Provider's reference", row.provider_reference or "None"),
        ("Score", _score(row)),
        ("Comment", row.comment or "None"),
        ("Comment expresses dissatisfaction", "Yes" if row.comment_dissatisfied else "No"),
        ("Responded", _day(row.responded_on, "Not yet")),
    ]
    if follow_up:
        state = (
            f"Done {_day(follow_up.done_on)}: {follow_up.outcome}"
            if follow_up.done_on
            else f"Open since {_day(follow_up.opened_on)} ({follow_up.get_reason_display()})"
        )
        rows.append(("Follow-up", state))
        if follow_up.complaint:
            rows.append(
                ("Complaint made after the follow-up", _complaint_cell(follow_up.complaint))
            )
    return _detail_page(
        request,
        title=f"Survey {row.reference}",
        caption="Satisfaction surveys",
        rows=rows,
        history=selectors.history(survey=row),
        actions=actions,
        back_url=reverse("contacts:surveys"),
    )


@_needs("contacts.add_satisfactionsurvey")
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SurveyForm(request.POST, user=request.user)
        done = _save(
            request,
            form,
            lambda data: services.survey_send(acting_user=request.user, **data),
            success=lambda row: f"Survey {row.reference} recorded",
            redirect=lambda row: reverse("contacts:survey", args=[row.pk]),
        )
        if done:
            return done
    else:
        form = SurveyForm(initial={"sent_on": clock.today()}, user=request.user)
    return _form_page(
        request,
        form,
        title="Record a survey sent",
        caption="Satisfaction surveys",
        cancel_url=reverse("contacts:surveys"),
        button="Save survey",
    )


@_needs("contacts.change_satisfactionsurvey")
@require_http_methods(["GET", "POST"])
def survey_response(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(SatisfactionSurvey, pk, select=["complaint"])
    cancel = reverse("contacts:survey", args=[pk])
    if request.method == "POST":
        form = SurveyResponseForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.survey_response_record(
                acting_user=request.user, survey=row, **data
            ),
            success=lambda saved: f"Response to {saved.reference} recorded",
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        initial = {"responded_on": row.responded_on or clock.today()}
        if row.score is not None:
            initial.update(
                score=str(row.score),
                comment=row.comment,
                comment_dissatisfied=row.comment_dissatisfied,
            )
        form = SurveyResponseForm(initial=initial)
    return _form_page(
        request,
        form,
        title=f"Response to survey {row.reference}",
        caption="Satisfaction surveys",
        cancel_url=cancel,
        button="Save response",
        intro="A score of 2 or less, or a comment that expresses dissatisfaction, opens a "
        "follow-up: someone contacts the resident and offers the choice to complain.",
    )


@_needs("contacts.view_surveyfollowup")
@require_http_methods(["GET"])
def follow_ups(request: HttpRequest) -> HttpResponse:
    include_done = request.GET.get("done") == "yes"
    rows = selectors.follow_up_list(include_done=include_done)
    return _list_page(
        request,
        title="Survey follow-ups",
        intro="Residents whose survey showed dissatisfaction, to be offered the choice to make "
        "a complaint (Code 1.6). Each stays here until it is done.",
        rows=rows,
        filter_form=None,
        clear_url=reverse("contacts:follow-ups"),
        columns=["Survey", "Complaint", "Reason", "Opened", "Done"],
        cells=lambda row: [
            {"text": row.survey.reference, "url": reverse("contacts:follow-up", args=[row.pk])},
            _complaint_cell(row.survey.complaint),
            {"text": row.get_reason_display()},
            {"text": _day(row.opened_on)},
            {"text": _day(row.done_on, "Not yet")},
        ],
        extra={"include_done": include_done},
    )


@_needs("contacts.change_surveyfollowup")
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(SurveyFollowUp, pk, select=["survey__complaint"])
    cancel = reverse("contacts:follow-ups")
    if request.method == "POST":
        form = FollowUpForm(request.POST, user=request.user)
        done = _save(
            request,
            form,
            lambda data: services.follow_up_complete(
                acting_user=request.user, follow_up=row, **data
            ),
            success=lambda saved: "Follow-up recorded as done",
            redirect=lambda saved: reverse("contacts:survey", args=[saved.survey_id]),
        )
        if done:
            return done
    else:
        form = FollowUpForm(initial={"done_on": clock.today()}, user=request.user)
    survey = row.survey
    return _form_page(
        request,
        form,
        title=f"Follow up survey {survey.reference}",
        caption="Survey follow-ups",
        cancel_url=cancel,
        button="Save follow-up",
        intro=f"Complaint {survey.complaint.reference}: {_score(survey)}"
        + (f", “{survey.comment}”" if survey.comment else "")
        + ". Contact the resident and offer the choice to make a complaint; if they choose to, "
        "log it and give its reference here.",
    )


# Contacts and contact demand -------------------------------------------------------------------


@_needs("contacts.view_contact")
@require_http_methods(["GET"])
def contacts(request: HttpRequest) -> HttpResponse:
    form, data = _filters(ContactFilterForm, request)
    rows = selectors.contact_list(
        selectors.ContactFilters(
            channel=data.get("channel", ""),
            contact_type=data.get("contact_type", ""),
            state=data.get("state", ""),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
        )
    )
    today = clock.today()

    def cells(row: Contact) -> list[dict[str, Any]]:
        if row.answered_on is None:
            answered = {"text": "Not yet", "tag": "Overdue" if row.due_on < today else ""}
        else:
            answered = {"text": _day(row.answered_on) + ("" if row.answered_in_time else " (late)")}
        return [
            {"text": row.reference, "url": reverse("contacts:contact", args=[row.pk])},
            {"text": _day(row.received_on)},
            {"text": row.get_channel_display()},
            {"text": row.get_contact_type_display()},
            {"text": _day(row.due_on)},
            answered,
        ]

    return _list_page(
        request,
        title="Contacts",
        intro="Contacts logged by channel and type, each with its response target. The "
        "contact-demand table counts them by month.",
        rows=rows,
        filter_form=form,
        clear_url=reverse("contacts:contacts"),
        columns=["Contact", "Received", "Channel", "Type", "Due", "Answered"],
        cells=cells,
        new_url=reverse("contacts:contact-new")
        if request.user.has_perm("contacts.add_contact")
        else "",
        new_text="Log a contact",
        extra={"demand_url": reverse("contacts:demand")},
    )


@_needs("contacts.view_contact")
@require_http_methods(["GET"])
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(Contact, pk)
    met = {True: "Yes", False: "No", None: "Not answered yet"}[row.answered_in_time]
    actions = []
    if request.user.has_perm("contacts.change_contact"):
        actions.append(("Change or record the answer", reverse("contacts:contact-edit", args=[pk])))
    return _detail_page(
        request,
        title=f"Contact {row.reference}",
        caption="Contacts",
        rows=[
            ("Received", _day(row.received_on)),
            ("Channel", row.get_channel_display()),
            ("Type", row.get_contact_type_display()),
            ("Answer due", _day(row.due_on)),
            ("Answered", _day(row.answered_on, "Not yet")),
            ("Answered in time", met),
        ],
        history=selectors.history(contact=row),
        actions=actions,
        back_url=reverse("contacts:contacts"),
    )


def _contact_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in ContactForm.base_fields}


@_needs("contacts.add_contact")
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.contact_log(acting_user=request.user, **_contact_values(data)),
            success=lambda row: f"Contact {row.reference} logged: answer due {_day(row.due_on)}",
            redirect=lambda row: reverse("contacts:contacts"),
        )
        if done:
            return done
    else:
        form = ContactForm(initial={"received_on": clock.today()})
    return _form_page(
        request,
        form,
        title="Log a contact",
        caption="Contacts",
        cancel_url=reverse("contacts:contacts"),
        button="Save contact",
    )


@_needs("contacts.change_contact")
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _get(Contact, pk)
    cancel = reverse("contacts:contact", args=[pk])
    if request.method == "POST":
        form = ContactForm(request.POST)
        done = _save(
            request,
            form,
            lambda data: services.contact_update(
                acting_user=request.user, contact=row, **_contact_values(data)
            ),
            success=lambda saved: f"Contact {saved.reference} updated",
            redirect=lambda saved: cancel,
        )
        if done:
            return done
    else:
        form = ContactForm(initial={name: getattr(row, name) for name in ContactForm.base_fields})
    return _form_page(
        request,
        form,
        title=f"Change contact {row.reference}",
        caption="Contacts",
        cancel_url=cancel,
        button="Save changes",
    )


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


@_needs("contacts.view_contact")
@require_http_methods(["GET"])
def demand(request: HttpRequest) -> HttpResponse:
    """Contacts by channel and type per month, with the share answered in time."""
    today = clock.today()
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    form = DemandForm(request.GET or None, initial={"received_from": start, "received_to": today})
    received_from, received_to = start, today
    if form.is_bound and form.is_valid():
        received_from = form.cleaned_data["received_from"]
        received_to = form.cleaned_data["received_to"]
        if received_to < received_from:
            form.add_error("received_to", "The end date must be the same as or after the start")
            received_from, received_to = start, today
    rows = selectors.contact_demand(received_from=received_from, received_to=received_to)
    channels = dict(ContactChannel.choices)
    types = dict(ContactType.choices)
    total = sum(row.contacts for row in rows)
    in_time = sum(row.in_time for row in rows)
    return render(
        request,
        "contacts/demand.html",
        {
            "form": form,
            "received_from": received_from,
            "received_to": received_to,
            "rows": [
                {
                    "month": date_format(row.month, "F Y"),
                    "channel": channels.get(row.channel, row.channel),
                    "type": types.get(row.contact_type, row.contact_type),
                    "contacts": row.contacts,
                    "answered": row.answered,
                    "in_time": row.in_time,
                    "share": _percent(row.share_in_time),
                }
                for row in rows
            ],
            "total": total,
            "total_in_time": in_time,
            "total_share": _percent(in_time / total if total else None),
            "target_days": settings.PUTRIGHT_CONTACT_RESPONSE_DAYS,
        },
    )

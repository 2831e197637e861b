"""Email in: the triage queue, one message, and logging a complaint from a message.

Every page needs ``complaints.handle_complaint``, as logging a complaint does: whoever logs
complaints that arrive by phone deals with those that arrive by email. Logging from an email
also needs ``people.view_resident`` (to choose the complainant), and adding someone new
``people.add_resident``, as in casework. A message filed on a confidential complaint is seen
only by those who may see the complaint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.http import require_GET

from putright.casework.forms import intake as intake_forms
from putright.casework.permissions import HANDLE, can_view
from putright.complaints.models import Complaint
from putright.complaints.services import complaint_viewed
from putright.core.errors import DomainError
from putright.core.submissions import once
from putright.inbound import selectors
from putright.inbound.forms import DismissForm, EmailComplaintLogForm, FileForm
from putright.inbound.models import InboundAttachment, InboundMessage, MessageStatus
from putright.inbound.services import (
    body_text,
    message_dismiss,
    message_file,
    message_log_complaint,
)
from putright.organisation.selectors import current_timescales
from putright.people import services as people_services
from putright.people.models import Resident
from putright.people.selectors import property_tenure_at, resident_search, tenancy_at

VIEW_RESIDENT = "people.view_resident"
ADD_RESIDENT = "people.add_resident"
PAGE_SIZE = 25


def _require(user: Any, *permissions: str) -> None:
    if not all(user.has_perm(permission) for permission in (HANDLE, *permissions)):
        raise PermissionDenied


def _message_for(request: HttpRequest, pk: int) -> InboundMessage:
    """The message, unless it is filed on a complaint this person may not see (then: none)."""
    try:
        message = selectors.message_with_attachments(pk)
    except InboundMessage.DoesNotExist:
        raise Http404("No such email") from None
    if message.complaint is not None and not can_view(request.user, message.complaint):
        raise Http404("No such email")
    return message


def _message_url(message: InboundMessage) -> str:
    return reverse("inbound:message", kwargs={"pk": message.pk})


def _after_filing(request: HttpRequest, message: InboundMessage, complaint: Complaint) -> str:
    """Say what happened, including any attachment the record refused; where to go next."""
    for attachment in message.attachments.exclude(refused=""):
        messages.warning(
            request, f"{attachment.name} was not kept on the complaint: {attachment.refused}"
        )
    if can_view(request.user, complaint):
        return reverse("casework:case", kwargs={"reference": complaint.reference})
    return reverse("inbound:triage")  # logged as confidential, and this person may not open it


# --- The triage queue ----------------------------------------------------------------------------


@require_GET
def triage(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    page = Paginator(selectors.triage_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbound/triage.html", {"page_obj": page})


# --- One message ---------------------------------------------------------------------------------


class MessageView(View):
    """The email as it arrived (its text escaped; the HTML part is never rendered) and, while it
    waits in triage, the three things to do with it. Each form posts here with ``action``."""

    message: InboundMessage

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request.user)
        self.message = _message_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_page(
        self,
        file_form: FileForm | None = None,
        dismiss_form: DismissForm | None = None,
    ) -> HttpResponse:
        file_form = file_form or FileForm(user=self.request.user)
        dismiss_form = dismiss_form or DismissForm()
        has_errors = bool(file_form.errors or dismiss_form.errors)
        return render(
            self.request,
            "inbound/message.html",
            {
                "message": self.message,
                "body": body_text(text=self.message.text, html=self.message.html),
                "from_html_only": not self.message.text.strip() and bool(self.message.html),
                "in_triage": self.message.status == MessageStatus.TRIAGE,
                "file_form": file_form,
                "dismiss_form": dismiss_form,
                "has_errors": has_errors,
            },
            status=400 if has_errors else 200,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.message.complaint is not None:
            complaint_viewed(acting_user=request.user, complaint=self.message.complaint)
        return self.render_page()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "file":
            return self.file()
        if action == "dismiss":
            return self.dismiss()
        return HttpResponseRedirect(_message_url(self.message))

    def file(self) -> HttpResponse:
        form = FileForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            return self.render_page(file_form=form)
        try:
            message_file(
                message=self.message, complaint=form.complaint, acting_user=self.request.user
            )
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_page(file_form=form)
        messages.success(self.request, f"Email filed on complaint {form.complaint.reference}")
        return HttpResponseRedirect(_after_filing(self.request, self.message, form.complaint))

    def dismiss(self) -> HttpResponse:
        form = DismissForm(self.request.POST)
        if not form.is_valid():
            return self.render_page(dismiss_form=form)
        try:
            message_dismiss(
                message=self.message,
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_page(dismiss_form=form)
        messages.success(self.request, "Email dismissed")
        return HttpResponseRedirect(reverse("inbound:triage"))


@require_GET
def attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    """An attachment as a download. Its type is the sender's word, unchecked until filing, so
    it is never served as anything a browser would open or run."""
    _require(request.user)
    message = _message_for(request, pk)
    item = get_object_or_404(InboundAttachment, pk=attachment, message=message)
    if message.complaint is not None:
        complaint_viewed(acting_user=request.user, complaint=message.complaint)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Logging a complaint from a message ----------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """``("Ada", "Okafor")`` from "Ada Okafor"; a single name is the last name."""
    first, _, last = name.strip().rpartition(" ")
    return first.strip(), last.strip()


class MessageLogView(View):
    """Log the email as a new complaint, in the casework flow's two steps: choose or add the
    complainant (the search starts from the sender's address), then the complaint, its
    description taken from the email and its receipt time fixed at the email's arrival."""

    message: InboundMessage

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request.user, VIEW_RESIDENT)
        self.message = _message_for(request, kwargs["pk"])
        if self.message.status != MessageStatus.TRIAGE:
            messages.info(request, "This email has already been dealt with.")
            return HttpResponseRedirect(_message_url(self.message))
        return super().dispatch(request, *args, **kwargs)

    def url(self, resident: Resident | None = None) -> str:
        url = reverse("inbound:log", kwargs={"pk": self.message.pk})
        return f"{url}?{urlencode({'resident': resident.pk})}" if resident else url

    # Step 1: who is complaining ---------------------------------------------------------------

    def render_find(self, resident_form: forms.Form | None = None) -> HttpResponse:
        data = self.request.GET if "q" in self.request.GET else {"q": self.message.from_address}
        search = intake_forms.ResidentSearchForm(data)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        can_add = self.request.user.has_perm(ADD_RESIDENT)
        if can_add and resident_form is None:
            first_name, last_name = _split_name(self.message.from_name)
            resident_form = intake_forms.ResidentQuickCreateForm(
                initial={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": self.message.from_address,
                }
            )
        has_errors = bool(resident_form is not None and resident_form.errors)
        return render(
            self.request,
            "inbound/log_find.html",
            {
                "message": self.message,
                "search_form": search,
                "query": query,
                "results": resident_search(query) if query else [],
                "resident_form": resident_form if can_add else None,
                "has_errors": has_errors,
                "log_url": self.url(),
            },
            status=400 if has_errors else 200,
        )

    def create_resident(self) -> HttpResponse:
        if not self.request.user.has_perm(ADD_RESIDENT):
            raise PermissionDenied
        form = intake_forms.ResidentQuickCreateForm(self.request.POST)
        if not form.is_valid():
            return self.render_find(form)

        def add() -> str:
            resident = people_services.resident_create(
                acting_user=self.request.user, **form.service_arguments()
            )
            messages.success(self.request, f"{resident.full_name} added")
            return self.url(resident)

        try:
            url, _ = once(form.cleaned_data["submission"], add)
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_find(form)
        return HttpResponseRedirect(url)

    # Step 2: the complaint ---------------------------------------------------------------------

    def resident(self, value: Any) -> Resident:
        try:
            return Resident.objects.get(pk=int(value))
        except (TypeError, ValueError, Resident.DoesNotExist):
            raise Http404("No such person") from None

    def received_on(self) -> dt.date:
        return timezone.localtime(self.message.received_at).date()

    def render_complaint(self, form: EmailComplaintLogForm) -> HttpResponse:
        resident = form.resident
        show_discretion = bool(form["discretion_note"].errors or form["discretion_note"].value())
        return render(
            self.request,
            "inbound/log_complaint.html",
            {
                "message": self.message,
                "form": form,
                "resident": resident,
                "current_tenancy": tenancy_at(resident, self.received_on()),
                # A field with an error is always shown, so the error is beside something.
                "has_homes": bool(
                    form["property"].errors or form.fields["property"].queryset.exists()
                ),
                "has_representatives": bool(
                    form["representative"].errors or form.fields["representative"].queryset.exists()
                ),
                "show_discretion": show_discretion,
                "age_limit_months": current_timescales().age_limit_months,
                "log_url": self.url(),
            },
            status=400 if form.errors else 200,
        )

    def log(self) -> HttpResponse:
        resident = self.resident(self.request.POST.get("complainant"))
        form = EmailComplaintLogForm(self.request.POST, resident=resident, message=self.message)
        if not form.is_valid():
            return self.render_complaint(form)
        arguments = form.service_arguments()
        if arguments["property"] is not None:
            arguments["tenure_at_receipt"] = (
                property_tenure_at(arguments["property"], self.received_on()) or ""
            )

        def log() -> str:
            complaint = message_log_complaint(
                message=self.message, acting_user=self.request.user, **arguments
            )
            messages.success(self.request, f"Complaint {complaint.reference} logged from the email")
            return _after_filing(self.request, self.message, complaint)

        try:
            url, _ = once(form.cleaned_data["submission"], log)
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_complaint(form)
        return HttpResponseRedirect(url)

    # HTTP --------------------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "resident" not in request.GET:
            return self.render_find()
        resident = self.resident(request.GET["resident"])
        tenancy = tenancy_at(resident, self.received_on())
        initial = {
            "complainant": resident.pk,
            "description": body_text(text=self.message.text, html=self.message.html).strip(),
            "property": tenancy.property_id if tenancy else None,
        }
        return self.render_complaint(
            EmailComplaintLogForm(initial=initial, resident=resident, message=self.message)
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("step") == "resident":
            return self.create_resident()
        return self.log()

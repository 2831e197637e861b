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
from django.views import View
from django.views.decorators.http import require_GET

from putright.casework.forms import intake as intake_forms
from putright.casework.permissions import HANDLE, can_view
from putright.casework.views.intake import ComplaintLogView
from putright.complaints.models import Complaint
from putright.complaints.services import complaint_viewed
from putright.core.errors import DomainError
from putright.inbound import selectors
from putright.inbound.forms import DismissForm, EmailComplaintLogForm, FileForm
from putright.inbound.models import InboundAttachment, InboundMessage, MessageStatus
from putright.inbound.services import (
    body_text,
    message_dismiss,
    message_file,
    message_log_complaint,
)
from putright.people.models import Resident

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


class MessageLogView(ComplaintLogView):
    """Log the email as a new complaint, in the casework flow's two steps and on its pages:
    choose or add the complainant (the search starts from the sender's address), then the
    complaint, its description taken from the email and its receipt time fixed at the email's
    arrival."""

    find_template = "inbound/log_find.html"
    complaint_template = "inbound/log_complaint.html"
    show_email = True
    message: InboundMessage

    def start(self, **kwargs: Any) -> HttpResponse | None:
        self.message = _message_for(self.request, kwargs["pk"])
        if self.message.status != MessageStatus.TRIAGE:
            messages.info(self.request, "This email has already been dealt with.")
            return HttpResponseRedirect(_message_url(self.message))
        return None

    def log_url(self) -> str:
        return reverse("inbound:log", kwargs={"pk": self.message.pk})

    def cancel_url(self) -> str:
        return _message_url(self.message)

    def extra_context(self) -> dict[str, Any]:
        return {"message": self.message}

    # Step 1: the search starts from the sender, and so does adding someone new.

    def search_data(self) -> Any:
        return self.request.GET if "q" in self.request.GET else {"q": self.message.from_address}

    def new_resident_form(self) -> forms.Form:
        first_name, last_name = _split_name(self.message.from_name)
        return intake_forms.ResidentQuickCreateForm(
            initial={
                "first_name": first_name,
                "last_name": last_name,
                "email": self.message.from_address,
            }
        )

    # Step 2: how and when it was received are the email's; the description starts as its text.

    def complaint_form(self, *args: Any, **kwargs: Any) -> EmailComplaintLogForm:
        return EmailComplaintLogForm(*args, message=self.message, **kwargs)

    def home_on(self) -> dt.date:
        return timezone.localtime(self.message.received_at).date()

    def initial(self, resident: Resident, tenancy: Any) -> dict[str, Any]:
        initial = super().initial(resident, tenancy)
        # The email fixes when it was received, and who received it is left to say (not
        # necessarily whoever is logging it: a mailbox, a team).
        del initial["received_at"], initial["received_by"]
        description = body_text(text=self.message.text, html=self.message.html).strip()
        return {**initial, "description": description}

    def received_on(self, arguments: dict[str, Any]) -> dt.date:
        return self.home_on()

    def record(self, arguments: dict[str, Any]) -> str:
        complaint = message_log_complaint(
            message=self.message, acting_user=self.request.user, **arguments
        )
        messages.success(self.request, f"Complaint {complaint.reference} logged from the email")
        return _after_filing(self.request, self.message, complaint)

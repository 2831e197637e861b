"""Logging a complaint and the steps that keep its record: each screen calls one lifecycle
service (two, in one transaction, where a screen does two things at once).

Permissions: every screen needs ``complaints.handle_complaint``, except allocating, which needs
``complaints.allocate_complaint`` to give a complaint to someone else; a handler without it may
only take a complaint themselves. Downloading a document needs ``complaints.view_complaint`` and
sight of the complaint (confidential ones are for their handler and those who may see them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.views import View

from putright.casework.display import long_date
from putright.casework.forms import intake as intake_forms
from putright.casework.permissions import ALLOCATE, HANDLE, can_view
from putright.casework.views.base import ActionForm, ComplaintActionView
from putright.casework.views.letters import LetterStepMixin, issued_message
from putright.complaints import selectors as complaint_selectors
from putright.complaints import services
from putright.complaints.models import Complaint, Document, Stage
from putright.core.errors import DomainError
from putright.core.submissions import once
from putright.letters import services as letter_services
from putright.letters.versions import wording_in_use
from putright.organisation.selectors import current_timescales
from putright.people import services as people_services
from putright.people.models import Resident
from putright.people.selectors import property_tenure_at, resident_search, tenancy_at
from putright.rules.provisions import provisions_for

VIEW_COMPLAINT = "complaints.view_complaint"
VIEW_RESIDENT = "people.view_resident"
ADD_RESIDENT = "people.add_resident"
TEMPLATES = "casework/actions/intake"


# --- Logging a complaint -------------------------------------------------------------------------


class ComplaintLogView(View):
    """Step 1 finds the complainant (search, or add someone new); step 2, reached with
    ``?resident=<id>``, is the complaint itself. Plain links and forms: no script needed.

    Logging a complaint from an email (``putright.inbound``), a service request or a survey's
    follow-up (``raised``) is this view too: each overrides the hooks below (where the pages
    live, what the forms start with, when the complaint was received, and the service that
    records it) and extends the two templates.
    """

    find_template = f"{TEMPLATES}/log_find.html"
    complaint_template = f"{TEMPLATES}/log_complaint.html"
    show_email = False  # an email address column in the search results

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.has_perm(HANDLE) and request.user.has_perm(VIEW_RESIDENT)):
            raise PermissionDenied
        return self.start(**kwargs) or super().dispatch(request, *args, **kwargs)

    # Hooks ------------------------------------------------------------------------------------

    def start(self, **kwargs: Any) -> HttpResponse | None:
        """Once permission is checked: load what the view needs, or answer early."""
        return None

    def log_url(self) -> str:
        """Step 1, where both steps' forms are sent."""
        return reverse("casework:log")

    def cancel_url(self) -> str:
        return self.log_url()

    def extra_context(self) -> dict[str, Any]:
        return {}

    def search_data(self) -> Any:
        return self.request.GET or None

    def new_resident_form(self) -> forms.Form:
        return intake_forms.ResidentQuickCreateForm()

    def complaint_form(self, *args: Any, **kwargs: Any) -> intake_forms.ComplaintLogForm:
        return intake_forms.ComplaintLogForm(*args, **kwargs)

    def home_on(self) -> dt.date:
        """The day whose home the complaint form shows and offers first."""
        return intake_forms.today()

    def initial(self, resident: Resident, tenancy: Any) -> dict[str, Any]:
        return {
            "complainant": resident.pk,
            "received_at": intake_forms.today(),
            "received_by": self.request.user.get_full_name(),
            "property": tenancy.property_id if tenancy else None,
        }

    def received_on(self, arguments: dict[str, Any]) -> dt.date:
        """The day the complaint was received, for the tenure recorded with it."""
        return arguments["received_at"].date()

    def log_complaint(self, arguments: dict[str, Any]) -> Complaint:
        return services.complaint_log(acting_user=self.request.user, **arguments)

    def record(self, arguments: dict[str, Any]) -> str:
        """Log the complaint, say so, and return where to go next."""
        complaint = self.log_complaint(arguments)
        if can_view(self.request.user, complaint):
            messages.success(self.request, f"Complaint {complaint.reference} logged")
            return reverse("casework:case", kwargs={"reference": complaint.reference})
        # Confidential, and this person may not open it: say so rather than show a 404.
        messages.success(
            self.request,
            f"Complaint {complaint.reference} logged as confidential. Only complaints "
            "managers and its handler can open it.",
        )
        return _queues_url()

    # Shared by both steps ---------------------------------------------------------------------

    def url(self, resident: Resident | None = None) -> str:
        """Step 1; step 2 with ``resident``."""
        url = self.log_url()
        return f"{url}?{urlencode({'resident': resident.pk})}" if resident else url

    def context(self, **context: Any) -> dict[str, Any]:
        return {
            "log_url": self.log_url(),
            "cancel_url": self.cancel_url(),
            **self.extra_context(),
            **context,
        }

    # Step 1 -----------------------------------------------------------------------------------

    def render_find(self, resident_form: forms.Form | None = None) -> HttpResponse:
        search = intake_forms.ResidentSearchForm(self.search_data())
        query = search.cleaned_data["q"] if search.is_valid() else ""
        results = resident_search(query) if query else []
        can_add = self.request.user.has_perm(ADD_RESIDENT)
        if can_add and resident_form is None:
            resident_form = self.new_resident_form()
        status = 400 if resident_form is not None and resident_form.errors else 200
        return render(
            self.request,
            self.find_template,
            self.context(
                search_form=search,
                query=query,
                results=results,
                show_email=self.show_email,
                resident_form=resident_form if can_add else None,
                has_errors=status == 400,
            ),
            status=status,
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
            url, first_time = once(form.cleaned_data["submission"], add)
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_find(form)
        if not first_time:
            messages.info(self.request, "That person was added when the form was first sent.")
        return HttpResponseRedirect(url)

    # Step 2 -----------------------------------------------------------------------------------

    def resident(self, value: Any) -> Resident:
        try:
            return Resident.objects.get(pk=int(value))
        except (TypeError, ValueError, Resident.DoesNotExist):
            raise Http404("No such person") from None

    def render_complaint(
        self, form: intake_forms.ComplaintLogForm, tenancy: Any = None
    ) -> HttpResponse:
        resident = form.resident
        tenancy = tenancy or tenancy_at(resident, self.home_on())
        show_discretion = bool(form["discretion_note"].errors or form["discretion_note"].value())
        return render(
            self.request,
            self.complaint_template,
            self.context(
                form=form,
                resident=resident,
                current_tenancy=tenancy,
                # A field with an error is always shown, so the error is beside something.
                has_homes=bool(
                    form["property"].errors or form.fields["property"].queryset.exists()
                ),
                has_representatives=bool(
                    form["representative"].errors or form.fields["representative"].queryset.exists()
                ),
                show_discretion=show_discretion,
                age_limit_months=current_timescales().age_limit_months,
            ),
            status=400 if form.errors else 200,
        )

    def log(self) -> HttpResponse:
        resident = self.resident(self.request.POST.get("complainant"))
        form = self.complaint_form(self.request.POST, resident=resident)
        if not form.is_valid():
            return self.render_complaint(form)
        arguments = form.service_arguments()
        home = arguments["property"]
        if home is not None:
            received_on = self.received_on(arguments)
            arguments["tenure_at_receipt"] = property_tenure_at(home, received_on) or ""

        try:
            url, first_time = once(form.cleaned_data["submission"], lambda: self.record(arguments))
        except DomainError as error:
            intake_forms.add_domain_error(form, error)
            return self.render_complaint(form)
        if not first_time:
            messages.info(self.request, "This complaint was logged when the form was first sent.")
        return HttpResponseRedirect(url)

    # HTTP -------------------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "resident" not in request.GET:
            return self.render_find()
        resident = self.resident(request.GET["resident"])
        tenancy = tenancy_at(resident, self.home_on())
        return self.render_complaint(
            self.complaint_form(initial=self.initial(resident, tenancy), resident=resident), tenancy
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("step") == "resident":
            return self.create_resident()
        return self.log()


def _queues_url() -> str:
    try:
        return reverse("casework:queues")
    except NoReverseMatch:  # until the queues land
        return reverse("casework:log")


# --- Shared by the action screens ----------------------------------------------------------------


class IntakeActionView(ComplaintActionView):
    """An action screen of this module."""

    def latest_stage(self) -> Stage:
        stage = getattr(self, "_stage", None)
        if stage is None:
            stage = (
                Stage.objects.filter(complaint=self.complaint)
                .select_related("handler")
                .order_by("-number")
                .first()
            )
            if stage is None:
                raise Http404("This complaint has no stage")
            self._stage = stage
        return stage

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["has_errors"] = bool(context.get("form") is not None and context["form"].errors)
        return context

    def refreshed_on_error(self, error: DomainError) -> DomainError:
        """After a rolled-back step, show the complaint as it is, not as it nearly became."""
        self.complaint.refresh_from_db()
        return error


class NotAcceptView(LetterStepMixin, IntakeActionView):
    form_class = intake_forms.NotAcceptForm
    template_name = f"{TEMPLATES}/not_accept.html"
    title = "Do not accept the complaint"
    submit_label = "Do not accept"
    issue = staticmethod(letter_services.not_accepted_issue)

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "reason": data["reason"],
            "explanation": data["explanation"],
            "evidence": data["evidence"],
            "evidence_date": data["evidence_date"],
            "resident_told_on": data["resident_told_on"],
            "ombudsman_rights_given": data["ombudsman_rights_given"],
            "expected_version": data["version"],
        }

    def perform(self, form: ActionForm) -> str:
        letter = self.perform_issue(form)
        return f"Complaint {self.complaint.reference} not accepted. {issued_message(letter)}"


class AcknowledgeView(LetterStepMixin, IntakeActionView):
    form_class = intake_forms.AcknowledgeForm
    template_name = f"{TEMPLATES}/acknowledge.html"
    submit_label = "Acknowledge"
    issue = staticmethod(letter_services.acknowledgement_issue)

    @property
    def title(self) -> str:
        return f"Acknowledge stage {self.latest_stage().number}"

    def get_form_kwargs(self) -> dict[str, Any]:
        stage = self.latest_stage()
        return {
            **super().get_form_kwargs(),
            "stage": stage,
            "user": self.request.user,
            "has_points": bool(self.existing_points()),
            "proposed_points": complaint_selectors.definition_proposal(stage=stage),
        }

    def existing_points(self) -> list:
        if not hasattr(self, "_existing_points"):
            self._existing_points = list(self.latest_stage().points.order_by("number"))
        return self._existing_points

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        stage = self.latest_stage()
        return super().get_context_data(
            stage=stage, existing_points=self.existing_points(), **kwargs
        )

    def shown_on_confirmation(self, name: str, form: ActionForm) -> bool:
        """Every answer but the point boxes left empty."""
        return not (name.startswith("point_") and not form.cleaned_data.get(name))

    def before_step(self, form: ActionForm) -> dict[str, Any] | None:
        """Allocates the handler chosen on the form, when the stage has none, so the letter is
        signed by them."""
        data = form.cleaned_data
        stage = self.latest_stage()
        handler = data.get("handler")
        if handler is None or stage.handler_id is not None:
            return None
        allocated = services.complaint_allocate(
            acting_user=self.request.user,
            complaint=self.complaint,
            handler=handler,
            stage=stage.number,
            on=data["on"],
            expected_version=data["version"],
        )
        return {"expected_version": allocated.version}

    def issue_arguments(self, form: ActionForm) -> dict[str, Any]:
        arguments = super().issue_arguments(form)
        if not form.cleaned_data["not_responsible_for"].strip():
            # Left blank on this form: nothing is outside our responsibility (see its hint),
            # unless the handler has written the section themselves.
            sections = arguments.setdefault("letter_sections", {})
            sections.setdefault("responsibilities", wording_in_use().text("we_will_look_into"))
        return arguments

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "stage": self.latest_stage().number,
            "on": data["on"],
            "points": data["points"],
            "not_responsible_for": data["not_responsible_for"],
            "complexity": data["complexity"],
            "risk": data["risk"],
            "vulnerability_note": data["vulnerability_note"],
            "expected_version": data["version"],
        }

    def perform(self, form: ActionForm) -> str:
        stage = self.latest_stage()
        try:
            letter = self.perform_issue(form)
        except DomainError as error:
            raise self.refreshed_on_error(error) from None
        stage.refresh_from_db()
        return (
            f"Stage {stage.number} of {self.complaint.reference} acknowledged. The response is "
            f"due by {long_date(stage.response_due)}. {issued_message(letter)}"
        )


class AllocateView(IntakeActionView):
    form_class = intake_forms.AllocateForm
    template_name = f"{TEMPLATES}/allocate.html"
    title = "Allocate the complaint"
    submit_label = "Allocate"
    # Allocating to someone else needs ALLOCATE; taking it yourself needs HANDLE (the form's
    # choices enforce which).
    permission = None

    own_case_only = False  # a handler takes unallocated work; moving anyone's needs ALLOCATE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.has_perm(ALLOCATE) or request.user.has_perm(HANDLE)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def denial(self) -> str:
        if self.request.user.has_perm(ALLOCATE) or self.complaint.handler_id is None:
            return ""
        return (
            f"Complaint {self.complaint.reference} is handled by {self.complaint.handler}. "
            "Ask a complaints manager to allocate it to you."
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "stage": self.latest_stage(),
        }

    def get_initial(self) -> dict[str, Any]:
        handler = self.latest_stage().handler_id
        if handler is None and not self.request.user.has_perm(ALLOCATE):
            handler = self.request.user.pk
        return {"handler": handler}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(stage=self.latest_stage(), **kwargs)

    def perform(self, form: ActionForm) -> str:
        data = form.cleaned_data
        services.complaint_allocate(
            acting_user=self.request.user,
            complaint=self.complaint,
            handler=data["handler"],
            stage=self.latest_stage().number,
            expected_version=data["version"],
            reason=data.get("reason", ""),
        )
        return f"Stage {self.latest_stage().number} allocated to {data['handler']}"


class ExtendView(LetterStepMixin, IntakeActionView):
    form_class = intake_forms.ExtendForm
    issue = staticmethod(letter_services.extension_issue)
    template_name = f"{TEMPLATES}/extend.html"
    title = "Extend the response date"
    submit_label = "Extend"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "stage": self.latest_stage()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        stage = self.latest_stage()
        return super().get_context_data(
            stage=stage,
            extensions=list(stage.extensions.filter(voided_on__isnull=True)),
            code=provisions_for(stage.number),
            **kwargs,
        )

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "new_due": data["new_due"],
            "reason": data["reason"],
            "notice_on": data["notice_on"],
            "ombudsman_details_given": data["ombudsman_details_given"],
            "good_reason": data["good_reason"],
            "expected_version": data["version"],
        }

    def perform(self, form: ActionForm) -> str:
        letter = self.perform_issue(form)
        new_due = long_date(form.cleaned_data["new_due"])
        return f"Response date extended to {new_due}. {issued_message(letter)}"


class AddPointView(IntakeActionView):
    form_class = intake_forms.AddPointForm
    template_name = f"{TEMPLATES}/add_point.html"
    title = "Add a point of complaint"
    submit_label = "Add point"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        stage = self.latest_stage()
        return super().get_context_data(
            stage=stage, existing_points=list(stage.points.order_by("number")), **kwargs
        )

    def perform(self, form: ActionForm) -> str:
        data = form.cleaned_data
        services.stage_point_add(
            acting_user=self.request.user,
            complaint=self.complaint,
            summary=data["summary"],
            outcome_sought=data["outcome_sought"],
            expected_version=data["version"],
        )
        return "Point of complaint added"


class RecordContactView(IntakeActionView):
    own_case_only = False  # whoever takes the call records it
    form_class = intake_forms.RecordContactForm
    template_name = f"{TEMPLATES}/record_contact.html"
    title = "Record a contact"
    submit_label = "Record contact"

    def perform(self, form: ActionForm) -> str:
        data = form.cleaned_data
        version = data["version"]
        document = None
        try:
            with transaction.atomic():
                if data["uploaded_file"]:
                    # The copy goes on the record first, then the contact links to it; both or
                    # neither are kept.
                    document = services.document_upload(
                        acting_user=self.request.user,
                        complaint=self.complaint,
                        uploaded_file=data["uploaded_file"],
                        kind=data["kind"],
                        expected_version=version,
                    )
                    version = version + 1
                services.correspondence_record(
                    acting_user=self.request.user,
                    complaint=self.complaint,
                    direction=data["direction"],
                    channel=data["channel"],
                    party=data["party"],
                    summary=data["summary"],
                    on=data["on"],
                    stage_number=self.latest_stage().number,
                    document=document,
                    expected_version=version,
                )
        except DomainError as error:
            if document is not None:
                document.file.delete(save=False)  # the row was rolled back; drop the file too
            raise self.refreshed_on_error(error) from None
        if document is not None:
            return f"Contact recorded with {document.original_name} attached"
        return "Contact recorded"


class UploadView(IntakeActionView):
    own_case_only = False  # evidence reaches the case from anyone working it
    form_class = intake_forms.UploadForm
    template_name = f"{TEMPLATES}/upload.html"
    title = "Upload a document"
    submit_label = "Upload"

    def perform(self, form: ActionForm) -> str:
        data = form.cleaned_data
        document = services.document_upload(
            acting_user=self.request.user,
            complaint=self.complaint,
            uploaded_file=data["uploaded_file"],
            kind=data["kind"],
            expected_version=data["version"],
        )
        return f"{document.original_name} uploaded"


class AddNoteView(IntakeActionView):
    own_case_only = False  # colleagues leave notes on each other's cases
    form_class = intake_forms.AddNoteForm
    template_name = f"{TEMPLATES}/add_note.html"
    title = "Add a case note"
    submit_label = "Add note"

    def perform(self, form: ActionForm) -> str:
        services.note_add(
            acting_user=self.request.user,
            complaint=self.complaint,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
        return "Note added"


class UpdateIntervalView(IntakeActionView):
    form_class = intake_forms.UpdateIntervalForm
    template_name = f"{TEMPLATES}/update_interval.html"
    title = "Agree how often to update the resident"
    submit_label = "Save"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "stage": self.latest_stage()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(stage=self.latest_stage(), **kwargs)

    def perform(self, form: ActionForm) -> str:
        days = form.cleaned_data["days"]
        services.stage_agree_update_interval(
            acting_user=self.request.user,
            complaint=self.complaint,
            days=days,
            stage_number=self.latest_stage().number,
            expected_version=form.cleaned_data["version"],
        )
        return f"Updates every {days} working days agreed"


class MarkDuplicateView(IntakeActionView):
    form_class = intake_forms.MarkDuplicateForm
    template_name = f"{TEMPLATES}/mark_duplicate.html"
    title = "Close as a duplicate"
    submit_label = "Close as a duplicate"
    confirm = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: ActionForm) -> str:
        original = form.cleaned_data["original"]
        services.complaint_mark_duplicate(
            acting_user=self.request.user,
            complaint=self.complaint,
            original=original,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        return f"Closed as a duplicate of {original.reference}"


# --- Documents -----------------------------------------------------------------------------------


class DocumentDownloadView(View):
    """The stored file, as an attachment with its checked content type."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        if not request.user.has_perm(VIEW_COMPLAINT):
            raise PermissionDenied
        document = get_object_or_404(
            Document.objects.select_related("complaint"), pk=pk, complaint__reference=reference
        )
        complaint: Complaint = document.complaint
        if not can_view(request.user, complaint):
            raise Http404
        services.complaint_viewed(acting_user=request.user, complaint=complaint)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404("The stored file is missing") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("new/", ComplaintLogView.as_view(), name="log"),
    path("<str:reference>/not-accept/", NotAcceptView.as_view(), name="not-accept"),
    path("<str:reference>/acknowledge/", AcknowledgeView.as_view(), name="acknowledge"),
    path("<str:reference>/allocate/", AllocateView.as_view(), name="allocate"),
    path("<str:reference>/extend/", ExtendView.as_view(), name="extend"),
    path("<str:reference>/add-point/", AddPointView.as_view(), name="add-point"),
    path("<str:reference>/record-contact/", RecordContactView.as_view(), name="record-contact"),
    path("<str:reference>/upload/", UploadView.as_view(), name="upload"),
    path("<str:reference>/add-note/", AddNoteView.as_view(), name="add-note"),
    path("<str:reference>/update-interval/", UpdateIntervalView.as_view(), name="update-interval"),
    path("<str:reference>/mark-duplicate/", MarkDuplicateView.as_view(), name="mark-duplicate"),
    path(
        "<str:reference>/documents/<int:pk>/",
        DocumentDownloadView.as_view(),
        name="document",
    ),
]

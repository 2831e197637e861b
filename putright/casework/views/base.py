"""The one shape every lifecycle action screen takes.

GET shows the form. POST validates it and calls one service through ``perform``. A domain error
from the service is shown beside the field it names (or at the top), with everything the person
typed kept; a stale version says someone else changed the case. Irreversible steps first show a
confirmation page that carries the submitted values in hidden fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from putright.casework.display import display_value
from putright.casework.permissions import can_view, may_act_on
from putright.complaints.models import Complaint
from putright.complaints.services import complaint_viewed
from putright.core.errors import DomainError, StaleVersion
from putright.core.forms import GovukForm
from putright.core.uploads import upload_too_large


class ActionForm(GovukForm):
    """Every action form carries the version the person saw, so a stale form is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, complaint: Complaint | None = None, **kwargs: Any):
        self.complaint = complaint
        super().__init__(*args, **kwargs)
        if complaint is not None and "version" not in self.initial:
            self.initial["version"] = complaint.version

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusals beside the fields they name, else at the top of the form."""
        for problem in error.every():
            named = problem.field in self.fields and problem.field != "version"
            self.add_error(problem.field if named else None, problem.message)


class ComplaintActionView(View):
    """Base for a step on one complaint. Subclasses set the form, template and ``perform``.

    - ``permission``: the permission the step needs (checked before anything is shown).
    - ``confirm``: show a confirmation page before an irreversible step.
    - ``perform(form)``: call the service with ``acting_user=self.request.user`` and
      ``expected_version=form.cleaned_data["version"]``; return the success message.
    """

    form_class: type[ActionForm] = ActionForm
    template_name = "casework/actions/form.html"
    confirm_template_name = "casework/actions/confirm.html"
    permission: str | None = "complaints.handle_complaint"
    # Steps a handler takes on their own cases (and unallocated ones) only; see ``refusal``.
    own_case_only = True
    confirm = False
    # Fields the confirmation page draws itself (a letter's sections), not carried as hidden.
    own_fields_prefix = "\0"
    title = ""
    submit_label = "Save"

    complaint: Complaint

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.permission and not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.complaint = self.get_complaint(kwargs["reference"])
        denial = self.denial()
        if denial:
            context = {"complaint": self.complaint, "denial": denial, "title": self.title}
            return render(request, "casework/actions/not_yours.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def denial(self) -> str:
        """Why this person may not take the step on this complaint, or "" if they may."""
        if self.own_case_only and not may_act_on(self.request.user, self.complaint):
            return (
                f"Complaint {self.complaint.reference} is handled by {self.complaint.handler}. "
                "Only they, or a complaints manager, can take this step. Ask a complaints "
                "manager to allocate it to you if you need to."
            )
        return ""

    def get_complaint(self, reference: str) -> Complaint:
        complaint = get_object_or_404(
            Complaint.objects.select_related("complainant"), reference=reference
        )
        if not can_view(self.request.user, complaint):
            raise Http404
        return complaint

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"complaint": self.complaint, "initial": self.get_initial()}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form(self) -> ActionForm:
        return self.form_class(**self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            "complaint": self.complaint,
            "title": self.title,
            "submit_label": self.submit_label,
            "case_url": self.success_url(),
            **kwargs,
        }

    def success_url(self) -> str:
        return reverse("casework:case", kwargs={"reference": self.complaint.reference})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Opening a confidential case is recorded, whichever page opens it (DESIGN.md 7).
        complaint_viewed(acting_user=request.user, complaint=self.complaint)
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if upload_too_large(request):
            limit = settings.PUTRIGHT_DOCUMENT_MAX_BYTES / (1024 * 1024)
            form.is_valid()  # the other fields' errors; the file's is replaced by why it went
            for name, field in form.fields.items():
                if isinstance(field, forms.FileField):
                    message = f"The selected file must be {limit:g} MB or smaller"
                    form.errors[name] = form.error_class([message])
            return self.render_form(form)
        if not form.is_valid():
            return self.render_form(form)
        if self.confirm and request.POST.get("change") == "yes":
            # "Change" on the confirmation page: the form again, with everything as typed.
            return self.render_form(form)
        if self.confirm and (
            request.POST.get("confirmed") != "yes" or request.POST.get("preview") == "yes"
        ):
            try:
                extra = self.confirmation_context(form)
            except DomainError as error:
                form.add_domain_error(error)
                return self.render_form(form)
            return render(
                request,
                self.confirm_template_name,
                self.get_context_data(
                    form=form, confirmation=self.confirmation(form), posted=self.posted(), **extra
                ),
            )
        try:
            message = self.perform(form)
        except StaleVersion as error:
            form.add_error(None, error.message)
            return self.render_form(form)
        except DomainError as error:
            form.add_domain_error(error)
            return self.render_form(form)
        messages.success(request, message)
        return HttpResponseRedirect(self.success_url())

    def render_form(self, form: ActionForm) -> HttpResponse:
        status = 200 if not form.is_bound or form.is_valid() and not form.errors else 400
        return render(
            self.request, self.template_name, self.get_context_data(form=form), status=status
        )

    def confirmation(self, form: ActionForm) -> list[tuple[str, str]]:
        """What the confirmation page lists: (label, value) for each field, as a person reads it."""
        return [
            (str(form[name].label), display_value(field, form.cleaned_data.get(name)))
            for name, field in form.fields.items()
            if not isinstance(field.widget, forms.HiddenInput)
            and self.shown_on_confirmation(name, form)
        ]

    def shown_on_confirmation(self, name: str, form: ActionForm) -> bool:
        """Whether the confirmation page lists this field's answer."""
        return True

    def confirmation_context(self, form: ActionForm) -> dict[str, Any]:
        """More for the confirmation page (a step's letter, say); a refusal shows the form."""
        return {}

    def posted(self) -> list[tuple[str, str]]:
        """The submitted values, exactly as typed, for the confirmation page to send back."""
        skip = {"csrfmiddlewaretoken", "confirmed", "change", "preview"}
        return [
            (name, value)
            for name in self.request.POST
            if name not in skip and not name.startswith(self.own_fields_prefix)
            for value in self.request.POST.getlist(name)
        ]

    def perform(self, form: ActionForm) -> str:
        raise NotImplementedError

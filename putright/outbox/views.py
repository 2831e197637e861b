"""The "Failed to send" screen: emails the worker gave up on, each with a button to send it again.

Staff with ``outbox.resend_outgoingemail`` only. Emails about confidential complaints are shown
to those who may see the complaint (its handler, or a role with ``view_confidential``), and
listing them is recorded in the security log, as the casework queues do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import ListView

from putright.complaints.services import confidential_complaints_listed
from putright.core.errors import DomainError
from putright.outbox.models import OutgoingEmail
from putright.outbox.selectors import failed_emails
from putright.outbox.services import email_resend

RESEND = "outbox.resend_outgoingemail"
VIEW_CONFIDENTIAL = "complaints.view_confidential"
PAGE_SIZE = 25


def _visible(user: Any, emails: QuerySet[OutgoingEmail]) -> QuerySet[OutgoingEmail]:
    """Leave out emails about confidential complaints the person may not see."""
    if user.has_perm(VIEW_CONFIDENTIAL):
        return emails
    return emails.filter(
        Q(complaint__isnull=True) | Q(complaint__is_confidential=False) | Q(complaint__handler=user)
    )


def _case_url(reference: str) -> str:
    try:
        return reverse("casework:case", kwargs={"reference": reference})
    except NoReverseMatch:  # a deployment without the casework screens
        return ""


class FailedEmailsView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = RESEND
    template_name = "outbox/failed.html"
    paginate_by = PAGE_SIZE
    context_object_name = "emails"

    def get_queryset(self) -> QuerySet[OutgoingEmail]:
        return _visible(self.request.user, failed_emails())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        emails = list(context["object_list"])
        confidential_complaints_listed(
            acting_user=self.request.user,
            complaints=[email.complaint for email in emails if email.complaint_id is not None],
            where="failed to send",
        )
        context["rows"] = [
            {
                "pk": email.pk,
                "to": ", ".join(email.to),
                "subject": email.subject,
                "reference": email.complaint.reference if email.complaint_id else "",
                "case_url": _case_url(email.complaint.reference) if email.complaint_id else "",
                "confidential": bool(email.complaint_id and email.complaint.is_confidential),
                "attempts": email.attempts,
                "resend_count": email.resend_count,
                "last_error": email.last_error,
                "failed_at": email.failed_at,
            }
            for email in emails
        ]
        context["page_number"] = context["page_obj"].number if context.get("page_obj") else 1
        return context


class ResendView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST only: send one failed email again, then go back to the list with what happened."""

    permission_required = RESEND
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        email = _visible(request.user, OutgoingEmail.objects.filter(pk=pk)).first()
        if email is None:
            raise Http404("No such email")
        try:
            email_resend(email_id=email.pk, acting_user=request.user)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"The email to {', '.join(email.to)} will be sent again.")
        url = reverse("outbox:failed")
        page = request.POST.get("page", "")
        if page.isdigit() and page != "1":
            url += f"?page={page}"
        return HttpResponseRedirect(url)

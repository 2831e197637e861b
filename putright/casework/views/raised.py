"""Logging a complaint raised from a service request (Code 1.5) or from a satisfaction survey's
follow-up (Code 1.6): the casework log steps, starting from the resident on record there, and
linking the new complaint back to where it came from in the same transaction, so a complaint is
never logged without its link nor a link made without its complaint.

The request stays as it is (open work is not held up by a complaint about it); the follow-up is
done, with the resident recorded as having chosen to complain.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from putright.casework.views.intake import ComplaintLogView
from putright.complaints.models import Complaint
from putright.contacts import services as contact_services
from putright.contacts.models import ServiceRequest, SurveyFollowUp
from putright.core import clock
from putright.people.models import Resident


class RaisedComplaintLogView(ComplaintLogView):
    """What both sources share: their own permission, a summary of the source above each step
    and the link made with the complaint. Links to these pages name the source's resident
    (``?resident=``) when it has one, so they open at the complaint step."""

    find_template = "casework/actions/intake/raised_find.html"
    complaint_template = "casework/actions/intake/raised_complaint.html"
    source_permission = ""
    source_caption = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(self.source_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # What each source says -------------------------------------------------------------------

    def source_rows(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def source_url(self) -> str:
        raise NotImplementedError

    def link(self, complaint: Complaint) -> None:
        raise NotImplementedError

    # Hooks of the log view ----------------------------------------------------------------------

    def cancel_url(self) -> str:
        return self.source_url()

    def extra_context(self) -> dict[str, Any]:
        return {
            "source_caption": self.source_caption,
            "source_rows": self.source_rows(),
            "source_url": self.source_url(),
        }

    def log_complaint(self, arguments: dict[str, Any]) -> Complaint:
        with transaction.atomic():
            complaint = super().log_complaint(arguments)
            self.link(complaint)
        return complaint


class ServiceRequestLogView(RaisedComplaintLogView):
    source_permission = "contacts.change_servicerequest"
    source_caption = "Log a complaint raised from a service request"
    service_request: ServiceRequest

    def start(self, **kwargs: Any) -> HttpResponse | None:
        self.service_request = get_object_or_404(
            ServiceRequest.objects.select_related("resident"), pk=kwargs["pk"]
        )
        return None

    def log_url(self) -> str:
        return reverse("casework:log-from-service-request", args=[self.service_request.pk])

    def source_url(self) -> str:
        return reverse("contacts:service-request", args=[self.service_request.pk])

    def source_rows(self) -> list[tuple[str, str]]:
        row = self.service_request
        return [
            ("Service request", row.reference),
            ("Category", row.get_category_display()),
            ("What was asked for", row.description),
            ("Status", row.get_status_display()),
        ]

    def initial(self, resident: Resident, tenancy: Any) -> dict[str, Any]:
        initial = super().initial(resident, tenancy)
        return {**initial, "service_request_reference": self.service_request.reference}

    def link(self, complaint: Complaint) -> None:
        contact_services.service_request_link_complaint(
            acting_user=self.request.user,
            service_request=self.service_request,
            complaint=complaint,
        )


class FollowUpLogView(RaisedComplaintLogView):
    source_permission = "contacts.change_surveyfollowup"
    source_caption = "Log a complaint from a survey follow-up"
    follow_up: SurveyFollowUp

    def start(self, **kwargs: Any) -> HttpResponse | None:
        self.follow_up = get_object_or_404(
            SurveyFollowUp.objects.select_related("survey__complaint__complainant"),
            pk=kwargs["pk"],
        )
        if self.follow_up.done_on is not None:
            messages.info(self.request, "This follow-up is already done.")
            return HttpResponseRedirect(self.source_url())
        return None

    def log_url(self) -> str:
        return reverse("casework:log-from-follow-up", args=[self.follow_up.pk])

    def source_url(self) -> str:
        return reverse("contacts:survey", args=[self.follow_up.survey_id])

    def source_rows(self) -> list[tuple[str, str]]:
        survey = self.follow_up.survey
        score = "No score" if survey.score is None else f"{survey.score} out of 5"
        return [
            ("Survey", survey.reference),
            ("About complaint", survey.complaint.reference),
            ("Score", score),
            ("Comment", survey.comment or "None"),
            ("Why it needs a follow-up", self.follow_up.get_reason_display()),
        ]

    def link(self, complaint: Complaint) -> None:
        contact_services.follow_up_complete(
            acting_user=self.request.user,
            follow_up=self.follow_up,
            done_on=clock.today(),
            choice_offered=True,
            outcome=f"The resident chose to complain: complaint {complaint.reference} logged.",
            complaint=complaint,
        )


urlpatterns = [
    path(
        "new/from-service-request/<int:pk>/",
        ServiceRequestLogView.as_view(),
        name="log-from-service-request",
    ),
    path("new/from-follow-up/<int:pk>/", FollowUpLogView.as_view(), name="log-from-follow-up"),
]

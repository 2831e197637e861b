"""The action tracker (everyone who handles complaints) and reassigning an action (complaints
managers). A page of the tracker runs a fixed number of queries whatever the number of actions:
the filter form's two lists, the calendar's closure days, the count and the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from putright.complaints import services as complaint_services
from putright.complaints.models import Action, Complaint, Stage
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import DomainError, StaleVersion
from putright.organisation.selectors import current_calendar
from putright.tracking.forms import ReassignForm, TrackerFilterForm, UpdateIntervalForm
from putright.tracking.selectors import teams, tracker_actions, visible_actions

HANDLE = "complaints.handle_complaint"
REASSIGN = "complaints.reassign_action"
VIEW_CONFIDENTIAL = "complaints.view_confidential"
ACT_ON_ANY = "complaints.act_on_any_complaint"
PAGE_SIZE = 50


def _row(action: Action, *, today: Any, may_reassign: bool) -> dict[str, Any]:
    reference = action.complaint.reference
    is_open = action.status == Action.Status.OPEN
    update_due = (
        is_open
        and action.stage.actions_update_due is not None
        and action.stage.actions_update_due <= today
    )
    owner = [str(x) for x in (action.owner, action.team) if x is not None]
    return {
        "action": action,
        "reference": reference,
        "case_url": reverse("casework:case", kwargs={"reference": reference}),
        "stage": action.stage.number,
        "owner": " – ".join(owner) or "Not assigned",
        "overdue": is_open and action.due_on < today,
        "update_due": update_due,
        "update_due_on": action.stage.actions_update_due if is_open else None,
        "letter_url": reverse("casework:write-letter", kwargs={"reference": reference})
        if update_due
        else "",
        "reassign_url": reverse("tracking:reassign", kwargs={"pk": action.pk})
        if may_reassign and is_open
        else "",
    }


class TrackerView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Promised actions, soonest due first; ``fixed`` narrows the list for the overdue page and
    each team's page."""

    permission_required = HANDLE
    title = "Promised actions"

    def fixed(self, **kwargs: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = TrackerFilterForm(request.GET or None)
        if form.is_bound:
            form.is_valid()
        fixed = self.fixed(**kwargs)
        today = clock.today()
        rows = tracker_actions(
            user=request.user,
            filters=form.filters(**fixed),
            today=today,
            calendar=current_calendar(),
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        actions = list(page.object_list)
        complaint_services.confidential_complaints_listed(
            acting_user=request.user,
            complaints=[a.complaint for a in actions],
            where="action tracker",
        )
        may_reassign = request.user.has_perm(REASSIGN)
        context = {
            "title": self.heading(**kwargs),
            "filter_form": form,
            "fixed": fixed,
            "page_obj": page,
            "rows": [_row(a, today=today, may_reassign=may_reassign) for a in actions],
            "clear_url": request.path,
            "today": today,
        }
        return render(request, "tracking/tracker.html", context)

    def heading(self, **kwargs: Any) -> str:
        return self.title


class OverdueView(TrackerView):
    title = "Overdue actions"

    def fixed(self, **kwargs: Any) -> dict[str, Any]:
        return {"overdue": True, "status": Action.Status.OPEN}


class TeamView(TrackerView):
    def fixed(self, **kwargs: Any) -> dict[str, Any]:
        self.team = get_object_or_404(teams(), pk=kwargs["pk"])
        return {"team_id": self.team.pk}

    def heading(self, **kwargs: Any) -> str:
        return f"Actions for {self.team.name}"


class ReassignView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A complaints manager gives an open action to another person or team, or a new date."""

    permission_required = REASSIGN
    title = "Reassign an action"

    def action(self, pk: int) -> Action:
        action = (
            visible_actions(self.request.user)
            .select_related("complaint", "stage", "owner", "team")
            .filter(pk=pk)
            .first()
        )
        if action is None:
            raise Http404
        return action

    def render_form(self, action: Action, form: ReassignForm) -> HttpResponse:
        status = 400 if form.is_bound and form.errors else 200
        context = {
            "title": self.title,
            "form": form,
            "action": action,
            "is_open": action.status == Action.Status.OPEN,
            "case_url": reverse("casework:case", kwargs={"reference": action.complaint.reference}),
            "cancel_url": self.back_url(),
        }
        return render(self.request, "tracking/reassign.html", context, status=status)

    def back_url(self) -> str:
        """Where "Back" goes: the tracker page the manager came from, if it is one of ours."""
        back = self.request.GET.get("next", "")
        if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
            return back
        return reverse("tracking:tracker")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.action(pk)
        form = ReassignForm(
            initial={
                "version": action.complaint.version,
                "owner": action.owner_id,
                "team": action.team_id,
                "due_on": action.due_on,
            }
        )
        return self.render_form(action, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.action(pk)
        form = ReassignForm(request.POST)
        if not form.is_valid():
            return self.render_form(action, form)
        data = form.cleaned_data
        try:
            complaint_services.action_reassign(
                acting_user=request.user,
                action=action,
                owner=data["owner"],
                team=data["team"],
                due_on=data["due_on"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except StaleVersion as error:
            form.add_error(None, error.message)
            return self.render_form(action, form)
        except DomainError as error:
            form.add_domain_error(error)
            return self.render_form(action, form)
        messages.success(
            request,
            f"Action on complaint {action.complaint.reference} reassigned; it is due on "
            f"{long_date(action.due_on)}.",
        )
        return HttpResponseRedirect(
            reverse("casework:case", kwargs={"reference": action.complaint.reference})
        )


class UpdateIntervalView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Agree how often the resident is updated on a stage's outstanding actions: the case's
    handler, or a complaints manager (as for the case's other steps)."""

    permission_required = HANDLE
    title = "Agree how often to update the resident on actions"

    def stage(self, reference: str, number: int) -> Stage:
        complaint = get_object_or_404(Complaint, reference=reference)
        user = self.request.user
        sees = (
            not complaint.is_confidential
            or user.has_perm(VIEW_CONFIDENTIAL)
            or complaint.handler_id == user.pk
        )
        if not sees:
            raise Http404
        if not (complaint.handler_id == user.pk or user.has_perm(ACT_ON_ANY)):
            raise PermissionDenied
        stage = get_object_or_404(
            Stage.objects.select_related("complaint"), complaint=complaint, number=number
        )
        return stage

    def render_form(self, stage: Stage, form: UpdateIntervalForm) -> HttpResponse:
        status = 400 if form.is_bound and form.errors else 200
        case_url = reverse("casework:case", kwargs={"reference": stage.complaint.reference})
        context = {"title": self.title, "form": form, "stage": stage, "case_url": case_url}
        return render(self.request, "tracking/update_interval.html", context, status=status)

    def get(self, request: HttpRequest, reference: str, number: int) -> HttpResponse:
        stage = self.stage(reference, number)
        initial = {
            "version": stage.complaint.version,
            "days": complaint_services.actions_update_interval(stage),
        }
        return self.render_form(stage, UpdateIntervalForm(initial=initial))

    def post(self, request: HttpRequest, reference: str, number: int) -> HttpResponse:
        stage = self.stage(reference, number)
        form = UpdateIntervalForm(request.POST)
        if not form.is_valid():
            return self.render_form(stage, form)
        try:
            row = complaint_services.stage_agree_actions_update_interval(
                acting_user=request.user,
                complaint=stage.complaint,
                stage_number=stage.number,
                days=form.cleaned_data["days"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            form.add_error(None, error.message)
            return self.render_form(stage, form)
        except DomainError as error:
            form.add_domain_error(error)
            return self.render_form(stage, form)
        messages.success(
            request,
            f"Updates on the stage {row.number} actions agreed every "
            f"{row.actions_update_interval_days} working days; the next is due by "
            f"{long_date(row.actions_update_due)}.",
        )
        return HttpResponseRedirect(
            reverse("casework:case", kwargs={"reference": stage.complaint.reference})
        )

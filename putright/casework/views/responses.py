"""Responding to a stage, the quality check, escalation, withdrawal, closure and refusals.

Each screen is a :class:`ComplaintActionView` that calls one lifecycle service; the services
decide what is allowed and the screens show their refusals beside the right field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse

from putright.casework.display import display_value, long_date  # noqa: E402
from putright.casework.forms.responses import (
    CloseForm,
    CompleteActionForm,
    DraftResponseForm,
    EscalateForm,
    IssueResponseForm,
    RefuseEscalationForm,
    ReturnDraftForm,
    ReverseRefusalForm,
    SignOffForm,
    WithdrawForm,
    draft_initial,
    format_pounds,
    staff_choices,
)
from putright.casework.permissions import REVERSE_REFUSAL, SIGN_OFF
from putright.casework.selectors.letters import response_letter_preview
from putright.casework.views.base import ActionForm, ComplaintActionView
from putright.casework.views.letters import LetterStepMixin, issued_message
from putright.complaints import deadlines, services
from putright.complaints.models import (
    Action,
    Finding,
    Refusal,
    RemedyKind,
    ResidentAgreed,
    RootCause,
    Stage,
    Status,
)
from putright.core import clock
from putright.letters import services as letter_services
from putright.organisation.selectors import current_calendar, get_organisation

TEMPLATES = "casework/actions/responses"


def _lines(text: str) -> str:
    """Text with its line breaks kept, escaped, for a component that prints HTML as given."""
    return linebreaksbr(text, autoescape=True)


def open_stage(complaint: Any) -> Stage | None:
    """The complaint's latest stage, with the people named on it."""
    return (
        Stage.objects.filter(complaint=complaint)
        .select_related("handler", "drafted_by", "signed_off_by")
        .order_by("-number")
        .first()
    )


def draft_summary(stage: Stage | None, points: list[Any] | None = None) -> dict[str, Any] | None:
    """The stage's draft response shaped for reading: two queries however long it is (one
    when the stage's ``points`` are given)."""
    if stage is None or not stage.draft:
        return None
    draft = stage.draft
    if points is None:
        points = list(stage.points.all())
    points = {point.number: point for point in points}
    finding_labels = dict(Finding.choices)
    decisions = []
    for number, (finding, reasons) in sorted(
        (draft.get("decisions") or {}).items(), key=lambda item: int(item[0])
    ):
        point = points.get(int(number))
        decisions.append(
            {
                "number": int(number),
                "title": f"Point {int(number)}",
                "rows": [
                    {"key": "Point of complaint", "value": _lines(point.summary if point else "")},
                    {
                        "key": "Outcome sought",
                        "value": _lines(point.outcome_sought if point else ""),
                    },
                    {"key": "Finding", "value": finding_labels.get(finding, finding)},
                    {"key": "Reasons", "value": _lines(reasons)},
                ],
            }
        )
    kinds = dict(RemedyKind.choices)
    agreed_labels = dict(ResidentAgreed.choices)
    remedies = [
        {
            "kind": kinds.get(remedy.get("kind"), remedy.get("kind")),
            "description": remedy.get("description", ""),
            "amount": format_pounds(remedy.get("amount_pence")),
            "due_on": (
                long_date(datetime.date.fromisoformat(remedy["due_on"]))
                if remedy.get("due_on")
                else ""
            ),
            "agreed": agreed_labels.get(remedy.get("resident_agreed") or "unknown", ""),
        }
        for remedy in draft.get("remedies") or []
    ]
    owner_ids = {a.get("owner_id") for a in draft.get("actions") or [] if a.get("owner_id")}
    owners = get_user_model().objects.in_bulk(owner_ids) if owner_ids else {}
    actions = []
    for action in draft.get("actions") or []:
        due_on = action.get("due_on")
        actions.append(
            {
                "description": action.get("description", ""),
                "owner": owners.get(action.get("owner_id"), ""),
                "due_on": long_date(datetime.date.fromisoformat(due_on)) if due_on else "",
            }
        )
    causes = dict(RootCause.choices)
    returned = draft.get("returned")
    return {
        "stage": stage,
        "decisions": decisions,
        "remedies": remedies,
        "remedy_head": [
            {"text": "Kind"},
            {"text": "Description"},
            {"text": "Amount"},
            {"text": "By when"},
            {"text": "Resident agreed"},
        ],
        "remedy_rows": [
            [
                {"text": remedy["kind"]},
                {"text": _lines(remedy["description"])},
                {"text": remedy["amount"] or "–"},
                {"text": remedy["due_on"] or "Not set"},
                {"text": remedy["agreed"]},
            ]
            for remedy in remedies
        ],
        "actions": actions,
        "action_head": [{"text": "Action"}, {"text": "Owner"}, {"text": "Due"}],
        "action_rows": [
            [
                {"text": _lines(action["description"])},
                {"text": action["owner"] or "No owner yet"},
                {"text": action["due_on"]},
            ]
            for action in actions
        ],
        "root_causes": [causes.get(cause, cause) for cause in draft.get("root_causes") or []],
        "returned": (
            {
                "on": long_date(datetime.date.fromisoformat(returned["returned"])),
                "note": returned.get("note", ""),
            }
            if returned
            else None
        ),
        "drafted_by": stage.drafted_by,
        "drafted_on": long_date(stage.drafted_on),
        "signed_off_by": stage.signed_off_by,
        "signed_off_on": long_date(stage.signed_off_on),
        "sign_off_note": stage.sign_off_note,
    }


class ResponseActionView(ComplaintActionView):
    """The screens of this module: own templates, readable confirmation pages, dates today."""

    template_name = f"{TEMPLATES}/form.html"
    confirm_template_name = f"{TEMPLATES}/confirm.html"
    intro_template: str | None = None
    date_fields: tuple[str, ...] = ("on",)

    def get_initial(self) -> dict[str, Any]:
        today = clock.today()
        return dict.fromkeys(self.date_fields, today)

    def show_form(self) -> bool:
        """Whether the step makes sense on this page at all (else only the intro is shown)."""
        return True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        # A refused post shows its form again, so the message sits beside what was typed.
        context.setdefault("show_form", self.show_form() or bool(form is not None and form.errors))
        context.setdefault("intro_template", self.intro_template)
        return context

    def confirmation(self, form: ActionForm) -> list[tuple[str, str]]:
        rows = []
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            rows.append((str(form[name].label), display_value(field, form.cleaned_data.get(name))))
        return rows


# --- Drafting, the quality check and issuing ---------------------------------------------------


class StageResponseView(ResponseActionView):
    """A screen about the open stage's response, which shows the draft when there is one."""

    stage: Stage | None

    def get_complaint(self, reference: str) -> Any:
        complaint = super().get_complaint(reference)
        self.stage = open_stage(complaint)
        return complaint

    def show_form(self) -> bool:
        return self.stage is not None and self.stage.responded_on is None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["stage"] = self.stage
        if "draft" not in context:
            context["draft"] = draft_summary(self.stage)
        return context

    def with_letter(self, context: dict[str, Any]) -> dict[str, Any]:
        """Adds the response letter composed from the draft, for the screens that check and
        issue it (a returned draft or none has no letter yet)."""
        draft = self.stage.draft if self.stage else None
        if draft and "returned" not in draft and self.stage.responded_on is None:
            context["letter"] = response_letter_preview(self.complaint, self.stage)
        return context


class DraftResponseView(StageResponseView):
    title = "Draft the response"
    submit_label = "Send for quality check"
    template_name = f"{TEMPLATES}/draft.html"
    form_class = DraftResponseForm
    intro_template = f"{TEMPLATES}/_draft_intro.html"
    date_fields = ()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["points"] = self.points()
        kwargs["staff"] = staff_choices()
        return kwargs

    def points(self) -> list[Any]:
        if not hasattr(self, "_points"):
            self._points = list(self.stage.points.order_by("number")) if self.stage else []
        return self._points

    def get_initial(self) -> dict[str, Any]:
        return draft_initial(self.stage.draft if self.stage else None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("draft", draft_summary(self.stage, self.points()))
        context = super().get_context_data(**kwargs)
        context["title"] = f"Draft the stage {self.stage.number} response" if self.stage else ""
        return context

    def perform(self, form: DraftResponseForm) -> str:
        users = get_user_model().objects.in_bulk(form.owner_ids())
        complaint = services.response_draft_submit(
            acting_user=self.request.user,
            complaint=self.complaint,
            decisions=form.decisions(),
            remedies=form.remedies(),
            actions=form.actions(users),
            root_causes=form.cleaned_data["root_causes"],
            expected_version=form.cleaned_data["version"],
        )
        number = complaint.stage_number
        organisation = get_organisation()
        checked = (
            organisation.stage1_requires_sign_off
            if number == 1
            else organisation.stage2_requires_sign_off
        )
        if checked:
            return f"Stage {number} response drafted. It now waits for its quality check."
        return f"Stage {number} response drafted. You can now issue it."


class SignOffView(StageResponseView):
    own_case_only = False  # the quality check is by someone other than the handler
    permission = SIGN_OFF
    title = "Sign off the response"
    submit_label = "Sign off the response"
    form_class = SignOffForm
    intro_template = f"{TEMPLATES}/_sign_off_intro.html"
    date_fields = ()

    alternative = ("return-draft", "Return the draft for changes instead")

    def show_form(self) -> bool:
        draft = self.stage.draft if self.stage else None
        return (
            super().show_form()
            and bool(draft)
            and "returned" not in draft
            and not self.stage.signed_off_by_id
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        name, text = self.alternative
        context["alternative"] = {
            "href": reverse(f"casework:{name}", kwargs={"reference": self.complaint.reference}),
            "text": text,
        }
        return self.with_letter(context)

    def perform(self, form: ActionForm) -> str:
        services.response_sign_off(
            acting_user=self.request.user,
            complaint=self.complaint,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        return f"Stage {self.stage.number} response signed off. The handler can now issue it."


class ReturnDraftView(SignOffView):
    title = "Return the draft for changes"
    submit_label = "Return the draft"
    form_class = ReturnDraftForm
    alternative = ("sign-off", "Sign it off instead")

    def perform(self, form: ActionForm) -> str:
        services.response_sign_off_decline(
            acting_user=self.request.user,
            complaint=self.complaint,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        return f"Stage {self.stage.number} draft returned to its author with your note."


class IssueResponseView(LetterStepMixin, StageResponseView):
    title = "Issue the response"
    issue = staticmethod(letter_services.response_issue)
    submit_label = "Issue the response"
    form_class = IssueResponseForm
    intro_template = f"{TEMPLATES}/_issue_intro.html"
    confirm = True

    def show_form(self) -> bool:
        draft = self.stage.draft if self.stage else None
        return super().show_form() and bool(draft) and "returned" not in draft

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return self.with_letter(super().get_context_data(**kwargs))

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        return {
            "on": form.cleaned_data["on"],
            "decisions": None,
            "expected_version": form.cleaned_data["version"],
        }

    def perform(self, form: ActionForm) -> str:
        letter = self.perform_issue(form)
        return (
            f"Stage {letter.stage_number} response issued on "
            f"{long_date(form.cleaned_data['on'])}. {issued_message(letter)}"
        )


# --- Escalation, withdrawal and closure --------------------------------------------------------


class EscalateView(ResponseActionView):
    title = "Escalate to stage 2"
    submit_label = "Escalate to stage 2"
    form_class = EscalateForm
    intro_template = f"{TEMPLATES}/_escalate_intro.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["stage1"] = (
            Stage.objects.filter(complaint=self.complaint, number=1)
            .only("responded_on", "complaint_id", "number")
            .first()
        )
        context["is_closed"] = self.complaint.status == Status.CLOSED
        return context

    def perform(self, form: ActionForm) -> str:
        on = form.cleaned_data["on"]
        note = form.cleaned_data["note"].strip()
        complaint = services.complaint_escalate(
            acting_user=self.request.user,
            complaint=self.complaint,
            on=on,
            note=note,
            expected_version=form.cleaned_data["version"],
        )
        return (
            f"Escalated to stage 2. The stage 2 acknowledgement is due by "
            f"{long_date(complaint.next_due_on)}."
        )


class WithdrawView(ResponseActionView):
    title = "Record that the complaint was withdrawn"
    submit_label = "Withdraw the complaint"
    form_class = WithdrawForm
    confirm = True

    def perform(self, form: WithdrawForm) -> str:
        services.complaint_withdraw(
            acting_user=self.request.user,
            complaint=self.complaint,
            reason=form.reason(),
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
        )
        return "Complaint recorded as withdrawn. Any actions already promised stay open."


class CloseView(ResponseActionView):
    title = "Close the complaint"
    submit_label = "Close the complaint"
    form_class = CloseForm
    intro_template = f"{TEMPLATES}/_close_intro.html"
    confirm = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stage1 = Stage.objects.filter(complaint=self.complaint, number=1).first()
        window_end = None
        if stage1 is not None and stage1.responded_on is not None:
            window_end = deadlines.escalation_window_end(
                current_calendar(),
                stage1.responded_on,
                get_organisation().escalation_window_days,
            )
        context.update(
            stage1=stage1,
            window_end=window_end,
            window_days=get_organisation().escalation_window_days,
        )
        return context

    def perform(self, form: ActionForm) -> str:
        services.complaint_close_unescalated(
            acting_user=self.request.user,
            complaint=self.complaint,
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
        )
        return "Complaint closed: the resident did not ask to escalate within the window."


# --- Refusing an escalation and reversing a refusal --------------------------------------------


class RefuseEscalationView(LetterStepMixin, ResponseActionView):
    issue = staticmethod(letter_services.escalation_refusal_issue)
    title = "Refuse the request to escalate"
    submit_label = "Refuse the escalation"
    form_class = RefuseEscalationForm
    intro_template = f"{TEMPLATES}/_refuse_intro.html"
    date_fields = ("on", "resident_told_on")
    confirm = True

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "reason": data["reason"],
            "explanation": data["explanation"],
            "evidence": data["evidence"],
            "evidence_date": data["evidence_date"],
            "resident_told_on": data["resident_told_on"],
            "ombudsman_rights_given": data["ombudsman_rights_given"],
            "on": data["on"],
            "expected_version": data["version"],
        }

    def perform(self, form: ActionForm) -> str:
        letter = self.perform_issue(form)
        return (
            "Escalation refused. The resident can take the decision to the Housing Ombudsman. "
            + issued_message(letter)
        )


class ReverseRefusalView(ResponseActionView):
    own_case_only = False  # a manager's decision, whoever handles the case
    permission = REVERSE_REFUSAL
    title = "Reverse the refusal"
    submit_label = "Reverse the refusal"
    form_class = ReverseRefusalForm
    intro_template = f"{TEMPLATES}/_reverse_intro.html"
    confirm = True

    refusal: Refusal

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.refusal_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_complaint(self, reference: str) -> Any:
        complaint = super().get_complaint(reference)
        refusal = (
            Refusal.objects.select_related("reason", "decided_by")
            .filter(complaint=complaint, pk=self.refusal_pk)
            .first()
        )
        if refusal is None:
            raise Http404
        self.refusal = refusal
        return complaint

    def show_form(self) -> bool:
        return self.refusal.reversed_on is None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["refusal"] = self.refusal
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.show_form():
            # This refusal was reversed already; the service would reverse a later one.
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def perform(self, form: ActionForm) -> str:
        complaint = services.refusal_reverse(
            acting_user=self.request.user,
            complaint=self.complaint,
            basis=form.cleaned_data["basis"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
        )
        return (
            f"Refusal reversed. Stage {complaint.stage_number} is open again; its "
            f"acknowledgement is due by {long_date(complaint.next_due_on)}."
        )


# --- Completing a promised action --------------------------------------------------------------


class CompleteActionView(ResponseActionView):
    own_case_only = False  # a promised action's owner is often not the handler
    title = "Record an action as done"
    submit_label = "Record as done"
    form_class = CompleteActionForm
    intro_template = f"{TEMPLATES}/_action_intro.html"

    action: Action

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_complaint(self, reference: str) -> Any:
        complaint = super().get_complaint(reference)
        action = (
            Action.objects.select_related("owner", "stage")
            .filter(complaint=complaint, pk=self.action_pk)
            .first()
        )
        if action is None:
            raise Http404
        self.action = action
        return complaint

    def show_form(self) -> bool:
        return self.action.status == Action.Status.OPEN

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        return context

    def perform(self, form: ActionForm) -> str:
        services.action_complete(
            acting_user=self.request.user,
            action=self.action,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            document=form.cleaned_data.get("document"),
            expected_version=form.cleaned_data["version"],
        )
        return f"Action recorded as done on {long_date(form.cleaned_data['on'])}."


urlpatterns = [
    path("<str:reference>/draft-response/", DraftResponseView.as_view(), name="draft-response"),
    path("<str:reference>/sign-off/", SignOffView.as_view(), name="sign-off"),
    path("<str:reference>/return-draft/", ReturnDraftView.as_view(), name="return-draft"),
    path("<str:reference>/issue-response/", IssueResponseView.as_view(), name="issue-response"),
    path("<str:reference>/escalate/", EscalateView.as_view(), name="escalate"),
    path("<str:reference>/withdraw/", WithdrawView.as_view(), name="withdraw"),
    path("<str:reference>/close/", CloseView.as_view(), name="close"),
    path(
        "<str:reference>/refuse-escalation/",
        RefuseEscalationView.as_view(),
        name="refuse-escalation",
    ),
    path(
        "<str:reference>/refusals/<int:pk>/reverse/",
        ReverseRefusalView.as_view(),
        name="reverse-refusal",
    ),
    path(
        "<str:reference>/actions/<int:pk>/complete/",
        CompleteActionView.as_view(),
        name="complete-action",
    ),
]

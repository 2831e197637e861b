"""The steps a case file offers, as data: which screen, who may take it and when it applies.

Each :class:`Step` names an action screen in the ``casework`` namespace that takes the complaint's
reference, the permission it needs, the lifecycle step it runs (whose statuses come from the one
lifecycle table, ``putright.complaints.lifecycle``) and, where the status alone does not say, a
test on the complaint's queue fields (no query). The services still decide: a step offered here
may be refused with a reason, and a step not offered is refused by the service too.

A screen that is not registered yet is left out (``NoReverseMatch``), so a step appears as soon as
its view exists. Steps on one row of the case (completing an action, reversing a refusal) are
:class:`RowStep` and take the row's primary key as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from putright.casework.permissions import (
    ALLOCATE,
    HANDLE,
    REVERSE_REFUSAL,
    SIGN_OFF,
    may_act_on,
)
from putright.complaints import lifecycle
from putright.complaints.models import ClosureReason, Complaint, DueKind, Status

NAMESPACE = "casework"

# Tests on the complaint's queue fields (kept current by every service, so no query).


def awaiting_acknowledgement(complaint: Complaint, user: Any) -> bool:
    return complaint.next_due_kind == DueKind.ACKNOWLEDGEMENT


def awaiting_response(complaint: Complaint, user: Any) -> bool:
    return complaint.next_due_kind == DueKind.RESPONSE


def can_draft(complaint: Complaint, user: Any) -> bool:
    return awaiting_response(complaint, user) and not complaint.awaiting_sign_off


def can_check_draft(complaint: Complaint, user: Any) -> bool:
    """A draft waits for its check, and this person does not handle the complaint (the service
    also refuses whoever drafted it)."""
    return complaint.awaiting_sign_off and complaint.handler_id != getattr(user, "pk", None)


def can_escalate(complaint: Complaint, user: Any) -> bool:
    """Stage 1 responded, or closed because nobody escalated in time (a later request re-opens
    it); never a third stage, never a closed duplicate."""
    if complaint.stage_number != 1:
        return False
    return complaint.status == Status.STAGE1_RESPONDED or (
        complaint.closure_reason == ClosureReason.NOT_ESCALATED
    )


def not_a_duplicate(complaint: Complaint, user: Any) -> bool:
    return complaint.duplicate_of_id is None


def anyones(user: Any, complaint: Complaint) -> bool:
    return True


def may_take_or_allocate(user: Any, complaint: Complaint) -> bool:
    return user.has_perm(ALLOCATE) or complaint.handler_id is None


@dataclass(frozen=True)
class Step:
    url_name: str  # in the casework namespace, taking ``reference``
    label: str
    permission: str | tuple[str, ...]  # any one of them will do
    runs: lifecycle.Step
    when: Callable[[Complaint, Any], bool] | None = None
    # Whose complaints: by default the person's own and unallocated ones (``may_act_on``); the
    # views apply the same rule (``ComplaintActionView.denial``).
    whose: Callable[[Any, Complaint], bool] = may_act_on

    @property
    def statuses(self) -> frozenset[str]:
        return lifecycle.LIFECYCLE[self.runs].statuses

    def applies_to(self, complaint: Complaint, user: Any) -> bool:
        if complaint.status not in self.statuses:
            return False
        permissions = (self.permission,) if isinstance(self.permission, str) else self.permission
        if not any(user.has_perm(permission) for permission in permissions):
            return False
        if not self.whose(user, complaint):
            return False
        return self.when is None or self.when(complaint, user)


@dataclass(frozen=True)
class RowStep:
    """A step on one row of the case: the URL takes ``reference`` and ``pk``."""

    url_name: str
    label: str
    permission: str


# In the order the menu shows them: the next step in the lifecycle first, the record keeping last.
L = lifecycle.Step
STEPS: tuple[Step, ...] = (
    Step("acknowledge", "Acknowledge and define", HANDLE, L.ACKNOWLEDGE, awaiting_acknowledgement),
    Step("draft-response", "Draft the response", HANDLE, L.DRAFT_RESPONSE, can_draft),
    Step("sign-off", "Sign off the draft", SIGN_OFF, L.SIGN_OFF, can_check_draft, anyones),
    Step(
        "return-draft",
        "Return the draft for changes",
        SIGN_OFF,
        L.RETURN_DRAFT,
        can_check_draft,
        anyones,
    ),
    Step("issue-response", "Issue the response", HANDLE, L.RESPOND, awaiting_response),
    Step("extend", "Extend the response date", HANDLE, L.EXTEND, awaiting_response),
    Step(
        "update-interval",
        "Agree update intervals",
        HANDLE,
        L.AGREE_UPDATE_INTERVAL,
        awaiting_response,
    ),
    Step("add-point", "Add a point of complaint", HANDLE, L.ADD_POINT),
    # A manager allocates to anyone; a handler may take the complaint on themselves.
    Step("allocate", "Allocate", (ALLOCATE, HANDLE), L.ALLOCATE, whose=may_take_or_allocate),
    Step("escalate", "Escalate to stage 2", HANDLE, L.ESCALATE, can_escalate),
    Step("refuse-escalation", "Refuse to escalate", HANDLE, L.REFUSE_ESCALATION, can_escalate),
    Step("not-accept", "Do not accept", HANDLE, L.NOT_ACCEPT),
    Step("mark-duplicate", "Mark as a duplicate", HANDLE, L.MARK_DUPLICATE, not_a_duplicate),
    Step("close", "Close the complaint", HANDLE, L.CLOSE_UNESCALATED),
    Step("withdraw", "Record a withdrawal", HANDLE, L.WITHDRAW),
    Step("write-letter", "Write a letter", HANDLE, L.RECORD_CORRESPONDENCE),
    Step("record-contact", "Record a contact", HANDLE, L.RECORD_CORRESPONDENCE, whose=anyones),
    Step("upload", "Upload a document", HANDLE, L.UPLOAD_DOCUMENT, whose=anyones),
    Step("add-note", "Add a note", HANDLE, L.ADD_NOTE, whose=anyones),
)

REVERSE_REFUSAL_STEP = RowStep("reverse-refusal", "Reverse the refusal", REVERSE_REFUSAL)
COMPLETE_ACTION_STEP = RowStep("complete-action", "Record as done", HANDLE)
# A financial remedy's steps (putright.redress.services checks their order and limits).
REMEDY_OFFER_STEP = RowStep("remedy-offer", "Record the offer", HANDLE)
COMPENSATION_STEPS = {
    "accept": RowStep("compensation-accept", "Record acceptance", HANDLE),
    "decline": RowStep("compensation-decline", "Record refusal", HANDLE),
    "approve": RowStep("compensation-approve", "Approve", HANDLE),
    "pay": RowStep("compensation-pay", "Record the payment", HANDLE),
}
REFUSED = lifecycle.LIFECYCLE[lifecycle.Step.REVERSE_REFUSAL].statuses


def url_or_none(url_name: str, **kwargs: Any) -> str | None:
    """The URL of a casework page, or ``None`` while the page is not registered."""
    try:
        return reverse(f"{NAMESPACE}:{url_name}", kwargs=kwargs)
    except NoReverseMatch:
        return None


def available_steps(
    user: Any,
    complaint: Complaint,
    *,
    standing_refusal_id: int | None = None,
    steps: Iterable[Step] = STEPS,
) -> list[dict[str, str]]:
    """The steps ``user`` may take on ``complaint`` now, as ``{"text", "href", "name"}``.

    ``standing_refusal_id``: the refusal not yet reversed, offered for reversal while the
    complaint is not accepted or its escalation refused.
    """
    links = []
    for step in steps:
        if not step.applies_to(complaint, user):
            continue
        href = url_or_none(step.url_name, reference=complaint.reference)
        if href is not None:
            links.append({"text": step.label, "href": href, "name": step.url_name})
    if standing_refusal_id is not None and complaint.status in REFUSED:
        href = row_step_url(REVERSE_REFUSAL_STEP, user, complaint, standing_refusal_id)
        if href is not None:
            links.append(
                {"text": REVERSE_REFUSAL_STEP.label, "href": href, "name": "reverse-refusal"}
            )
    return links


def row_step_url(step: RowStep, user: Any, complaint: Complaint, pk: int) -> str | None:
    """The URL of a step on one row, when ``user`` may take it and its page exists."""
    if not user.has_perm(step.permission):
        return None
    return url_or_none(step.url_name, reference=complaint.reference, pk=pk)

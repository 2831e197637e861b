"""Responding at a stage: the draft, its quality check, issuing it, and the actions it
promised.

A response is drafted (a decision with reasons on every point of complaint, remedies, actions and
root causes), checked and signed off by someone other than the handler where the organisation asks
for it, then issued. Issuing records the decisions, remedies and actions as rows; actions stay
open after the complaint closes until someone records them as done (Code 6.6, 6.17).
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from putright.complaints import lifecycle
from putright.complaints.lifecycle import Step
from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Decision,
    Document,
    Finding,
    Point,
    Remedy,
    RemedyKind,
    ResidentAgreed,
    RootCause,
    Stage,
)
from putright.complaints.services._common import (
    DRAFT_FIELDS,
    _check_independent,
    _check_on,
    _finish,
    _lock,
    _stage,
)
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import diff, snapshot
from putright.organisation.selectors import current_calendar, get_organisation

RESPONSE_FIELDS = ["responded_on", "response_within_code", "response_within_extension", "outcome"]
# How many points got each finding (``Stage.points_<finding>``): stored for the reports, and
# left out of the history, which records each point's decision itself.
POINT_COUNT_FIELDS = [f"points_{finding}" for finding in Finding.values]


def _open_for_response(locked: Complaint, row: Stage, on: date, *, step: str) -> None:
    """The stage (whose status the lifecycle allowed) is acknowledged, and ``on`` is not before
    the acknowledgement."""
    if row.acknowledged_on is None:
        raise StepRefused(
            "not_acknowledged", f"Stage {row.number} must be acknowledged before {step}."
        )
    if on < row.acknowledged_on:
        raise InvalidInput(
            "date_before_acknowledgement",
            f"The date of {step} cannot be earlier than the acknowledgement.",
            field="on",
        )


# The response's content: decisions, remedies, actions, root causes -------------------------------


def _check_decisions(
    row: Stage, points: list[Point], decisions: dict
) -> dict[int, tuple[str, str]]:
    """The decisions cleaned, after checking every point is decided with reasons (Code 6.9,
    6.19: the response addresses every point of the complaint definition)."""
    if not points:
        raise StepRefused(
            "definition_missing",
            f"Stage {row.number} has no points of complaint to decide. Record the complaint "
            "definition (Code 5.6) before responding.",
            field="decisions",
        )
    numbers = {point.number for point in points}
    unknown = sorted(str(n) for n in decisions if n not in numbers)
    if unknown:
        raise InvalidInput(
            "unknown_point",
            f"Stage {row.number} has no point {', '.join(unknown)}.",
            field="decisions",
        )
    cleaned: dict[int, tuple[str, str]] = {}
    for point in points:
        if point.number not in decisions:
            raise StepRefused(
                "point_undecided",
                f'Point {point.number} ("{point.summary}") has no decision. Decide every point '
                "of complaint before recording the response.",
                field="decisions",
                point=point.number,
            )
        try:
            finding, reasons = decisions[point.number]
        except (TypeError, ValueError):
            raise InvalidInput(
                "invalid_decision",
                f"Give a finding and reasons for point {point.number}.",
                field="decisions",
                point=point.number,
            ) from None
        if finding not in Finding.values:
            raise InvalidInput(
                "invalid_finding",
                f"Point {point.number}: choose upheld, partly upheld or not upheld.",
                field="decisions",
                point=point.number,
            )
        if not isinstance(reasons, str) or not reasons.strip():
            raise InvalidInput(
                "reasons_missing",
                f"Point {point.number}: give the reasons for the decision.",
                field="decisions",
                point=point.number,
            )
        cleaned[point.number] = (finding, reasons.strip())
    return cleaned


def _check_root_causes(root_causes: Any) -> list[str]:
    if isinstance(root_causes, str):
        root_causes = [root_causes]
    causes: list[str] = []
    for cause in root_causes or ():
        if cause not in RootCause.values:
            raise InvalidInput(
                "invalid_root_cause",
                f"{cause!r} is not a root cause; choose from "
                f"{', '.join(RootCause.labels).lower()}.",
                field="root_causes",
            )
        if cause not in causes:
            causes.append(cause)
    return causes


def _outcome(findings: list[str]) -> str:
    if all(f == Finding.UPHELD for f in findings):
        return Finding.UPHELD
    if all(f == Finding.NOT_UPHELD for f in findings):
        return Finding.NOT_UPHELD
    return Finding.PARTLY_UPHELD


def _check_signed_off(row: Stage) -> None:
    """The organisation's sign-off setting for the stage applies to every response."""
    organisation = get_organisation()
    required = (
        organisation.stage1_requires_sign_off
        if row.number == 1
        else organisation.stage2_requires_sign_off
    )
    if not required:
        return
    if row.signed_off_by_id is None:
        raise StepRefused(
            "sign_off_required",
            f"The stage {row.number} response must be signed off by someone other than the "
            "handler before it is recorded.",
            field="signed_off_by",
        )
    if row.signed_off_by_id == row.handler_id:
        raise StepRefused(
            "sign_off_by_handler",
            f"The stage {row.number} response was signed off by its own handler. Ask someone "
            "else to sign it off.",
            field="signed_off_by",
        )


def _check_remedies(remedies: Any) -> list[dict]:
    """Each remedy has a kind and a description; a financial remedy has an amount in pence."""
    cleaned = []
    for number, remedy in enumerate(remedies or (), start=1):
        kind = remedy.get("kind")
        description = (remedy.get("description") or "").strip()
        amount = remedy.get("amount_pence")
        if kind not in RemedyKind.values:
            raise InvalidInput(
                "invalid_remedy_kind",
                f"Remedy {number}: choose what kind of remedy it is.",
                field="remedies",
                remedy=number,
            )
        if not description:
            raise InvalidInput(
                "remedy_description_missing",
                f"Remedy {number}: describe the remedy.",
                field="remedies",
                remedy=number,
            )
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, int) or amount < 0
        ):
            raise InvalidInput(
                "invalid_amount",
                f"Remedy {number}: give the amount in whole pence, not negative.",
                field="remedies",
                remedy=number,
            )
        if kind == RemedyKind.COMPENSATION and not amount:
            raise InvalidInput(
                "amount_missing",
                f"Remedy {number}: give the amount of the financial remedy.",
                field="remedies",
                remedy=number,
            )
        due_on = remedy.get("due_on") or None
        if isinstance(due_on, str):
            with suppress(ValueError):  # left a string, it is refused just below
                due_on = date.fromisoformat(due_on)
        if due_on is not None and not _is_plain_date(due_on):
            raise InvalidInput(
                "invalid_remedy_due",
                f"Remedy {number}: give the date by when it will happen.",
                field="remedies",
                remedy=number,
            )
        agreed = remedy.get("resident_agreed") or ResidentAgreed.UNKNOWN
        if agreed not in ResidentAgreed.values:
            raise InvalidInput(
                "invalid_resident_agreed",
                f"Remedy {number}: say whether the resident agreed: yes, no or not known yet.",
                field="remedies",
                remedy=number,
            )
        entry = {"kind": kind, "description": description, "amount_pence": amount}
        # Only when given, so drafts saved before these existed read the same.
        if due_on:
            entry["due_on"] = due_on.isoformat()  # the draft is JSON; a date again when issued
        if agreed != ResidentAgreed.UNKNOWN:
            entry["resident_agreed"] = agreed
        cleaned.append(entry)
    return cleaned


def _is_plain_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _remedy_row(stage: Stage, remedy: dict) -> Remedy:
    """A remedy from the response's content; drafts made before remedies had a "by when" or the
    resident's agreement have neither, so both have defaults."""
    due_on = remedy.get("due_on")
    return Remedy(
        stage=stage,
        kind=remedy["kind"],
        description=remedy["description"],
        amount_pence=remedy.get("amount_pence"),
        due_on=date.fromisoformat(due_on) if due_on else None,
        resident_agreed=remedy.get("resident_agreed") or ResidentAgreed.UNKNOWN,
    )


def _check_actions(actions: Any) -> list[dict]:
    """Each action says what will be done and by when; the owner is optional. Kept as plain
    values (owner id, ISO date) so a draft can hold them."""
    cleaned = []
    for number, action in enumerate(actions or (), start=1):
        description = (action.get("description") or "").strip()
        due_on = action.get("due_on")
        owner = action.get("owner")
        owner_id = action.get("owner_id", getattr(owner, "pk", owner))
        if not description:
            raise InvalidInput(
                "action_description_missing",
                f"Action {number}: say what will be done.",
                field="actions",
                action=number,
            )
        if isinstance(due_on, str):
            try:
                due_on = date.fromisoformat(due_on)
            except ValueError:
                due_on = None
        if not isinstance(due_on, date):
            raise InvalidInput(
                "action_due_missing",
                f"Action {number}: give the date it is due.",
                field="actions",
                action=number,
            )
        cleaned.append(
            {"description": description, "owner_id": owner_id, "due_on": due_on.isoformat()}
        )
    owner_ids = {a["owner_id"] for a in cleaned if a["owner_id"] is not None}
    found = set(get_user_model().objects.filter(pk__in=owner_ids).values_list("pk", flat=True))
    if owner_ids - found:
        raise InvalidInput(
            "unknown_owner", "An action's owner is not a member of staff.", field="actions"
        )
    return cleaned


def _content(
    row: Stage, points: list[Point], decisions: Any, remedies: Any, actions: Any, root_causes: Any
) -> dict:
    findings = _check_decisions(row, points, decisions or {})
    return {
        "decisions": {str(n): list(v) for n, v in sorted(findings.items())},
        "remedies": _check_remedies(remedies),
        "actions": _check_actions(actions),
        "root_causes": _check_root_causes(root_causes),
    }


# Drafting and the quality check ------------------------------------------------------------------


@transaction.atomic
def response_draft_submit(
    *,
    acting_user: Any,
    complaint: Complaint,
    decisions: dict[int, tuple[str, str]] | None = None,
    remedies: Any = (),
    actions: Any = (),
    root_causes: Any = (),
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Save the open stage's response as a draft for its quality check.

    The draft must be complete (every point decided with reasons). A new draft replaces the last
    one and clears any sign-off, because the check was of the old wording. At stage 2 the drafter
    must not have considered the complaint at stage 1 (Code 6.13).
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.DRAFT_RESPONSE)
    row = _stage(locked)
    _open_for_response(locked, row, on, step="drafting the response")
    if row.number == 2:
        _check_independent(locked, acting_user)
    points = list(row.points.order_by("number"))
    content = _content(row, points, decisions, remedies, actions, root_causes)
    before = snapshot(row, DRAFT_FIELDS)
    row.draft = content
    row.drafted_by = acting_user
    row.drafted_on = on
    row.signed_off_by = None
    row.signed_off_on = None
    row.sign_off_note = ""
    row.save(update_fields=[*DRAFT_FIELDS, "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.DRAFTED,
        summary=f"Stage {row.number} response drafted for its quality check",
        changes=diff(before, snapshot(row, DRAFT_FIELDS)),
        stage_number=row.number,
        original=complaint,
    )


def _check_reviewer(locked: Complaint, row: Stage, acting_user: Any, *, step: str) -> None:
    if not row.draft:
        raise StepRefused(
            "no_draft",
            f"Stage {row.number} has no drafted response to {step}. Draft the response first.",
        )
    if "returned" in row.draft:
        raise StepRefused(
            "draft_returned",
            f"The stage {row.number} draft was returned for changes. It can be checked again "
            "once a new draft is submitted.",
        )
    if acting_user is not None and acting_user.pk in {row.handler_id, row.drafted_by_id}:
        raise StepRefused(
            "sign_off_by_handler",
            f"You handled or drafted the stage {row.number} response, so cannot {step} it. Ask "
            "someone else to check it.",
            field="acting_user",
        )
    if row.number == 2:
        _check_independent(locked, acting_user)


@transaction.atomic
def response_sign_off(
    *,
    acting_user: Any,
    complaint: Complaint,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Approve the open stage's drafted response, by someone who neither handles nor drafted it."""
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.SIGN_OFF)
    row = _stage(locked)
    _open_for_response(locked, row, on, step="the sign-off")
    _check_reviewer(locked, row, acting_user, step="sign off")
    if row.drafted_on is not None and on < row.drafted_on:
        raise InvalidInput(
            "date_before_draft", "The sign-off cannot be earlier than the draft.", field="on"
        )
    fields = ["signed_off_by", "signed_off_on", "sign_off_note"]
    before = snapshot(row, fields)
    row.signed_off_by = acting_user
    row.signed_off_on = on
    row.sign_off_note = note.strip()
    row.save(update_fields=[*fields, "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.SIGNED_OFF,
        summary=f"Stage {row.number} response signed off",
        changes=diff(before, snapshot(row, fields)),
        stage_number=row.number,
        original=complaint,
    )


@transaction.atomic
def response_sign_off_decline(
    *,
    acting_user: Any,
    complaint: Complaint,
    note: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Return the draft to its author with what must change; the draft stays for editing."""
    on = _check_on(on)
    if not isinstance(note, str) or not note.strip():
        raise InvalidInput(
            "note_missing",
            "Say what needs to change before the response can be signed off.",
            field="note",
        )
    locked = _lock(complaint, expected_version, step=Step.RETURN_DRAFT)
    row = _stage(locked)
    _open_for_response(locked, row, on, step="returning the draft")
    _check_reviewer(locked, row, acting_user, step="return")
    if row.signed_off_by_id is not None:
        raise StepRefused(
            "already_signed_off",
            f"The stage {row.number} draft is already signed off. A new draft clears the sign-off.",
        )
    before = {"returned": None, "note": None}
    returned = {"returned": on.isoformat(), "note": note.strip()}
    # A returned draft no longer waits for a check: it waits for its author.
    row.draft = {**row.draft, "returned": returned}
    row.save(update_fields=["draft", "updated_at"])
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.SIGN_OFF_DECLINED,
        summary=f"Stage {row.number} response returned for changes: {note.strip()}",
        changes={k: [before[k], returned[k]] for k in returned},
        stage_number=row.number,
        original=complaint,
    )


# Issuing the response ----------------------------------------------------------------------------


@transaction.atomic
def stage_respond(
    *,
    acting_user: Any,
    complaint: Complaint,
    on: date | None = None,
    expected_version: int | None = None,
    decisions: dict[int, tuple[str, str]] | None = None,
    remedies: Any = (),
    actions: Any = (),
    root_causes: Any = (),
) -> Complaint:
    """Issue the open stage's response and record whether it met the Code and any extension.

    With a draft on the stage, the draft is what is issued (pass no content). Without one, the
    content is given here. Every point of the complaint definition must be decided (point
    number -> ``(finding, reasons)``, Code 6.7, 6.9, 6.19) and the outcome is derived from them:
    upheld if all are upheld, not upheld if none are, otherwise partly upheld.

    The stage must have a handler. Where the organisation requires sign-off at this stage
    (every response, no exceptions), the response must be signed off by someone other than the
    handler and the drafter. At stage 2 whoever issues it must not have considered the complaint
    at stage 1 (6.13), as for the handler, the drafter and the signer.
    """
    on = _check_on(on)
    locked = _lock(complaint, expected_version, step=Step.RESPOND)
    row = _stage(locked)
    _open_for_response(locked, row, on, step="responding")
    if row.handler_id is None:
        raise StepRefused(
            "handler_required",
            f"Allocate stage {row.number} to a handler before its response is issued.",
            field="handler",
        )
    if row.number == 2:
        _check_independent(locked, acting_user, field="acting_user")
    points = list(row.points.order_by("number"))
    draft = {k: v for k, v in (row.draft or {}).items() if k != "returned"}
    if draft:
        if decisions is not None or remedies or actions or root_causes:
            raise StepRefused(
                "draft_pending",
                f"Stage {row.number} has a drafted response. Issue the draft, or submit a new "
                "draft with the changes.",
                field="decisions",
            )
        if "returned" in row.draft:
            raise StepRefused(
                "draft_returned",
                f"The stage {row.number} draft was returned for changes. Submit a new draft.",
            )
        content = draft
        for earlier, what in ((row.drafted_on, "draft"), (row.signed_off_on, "sign-off")):
            if earlier is not None and on < earlier:
                raise InvalidInput(
                    "date_before_draft",
                    f"The response cannot be issued before its {what} ({long_date(earlier)}).",
                    field="on",
                )
        # The draft was checked when submitted; the points may not change after acknowledgement
        # without a new draft, so check again that every point is decided.
        _check_decisions(row, points, {int(n): tuple(v) for n, v in draft["decisions"].items()})
    else:
        content = _content(row, points, decisions, remedies, actions, root_causes)
    _check_signed_off(row)
    status_before, _ = lifecycle.move(Step.RESPOND, locked)
    findings = {int(n): tuple(v) for n, v in content["decisions"].items()}
    before = snapshot(row, [*RESPONSE_FIELDS, "root_causes"])
    row.responded_on = on
    row.response_within_code = on <= row.response_due
    row.response_within_extension = None if row.extended_due is None else on <= row.extended_due
    row.outcome = _outcome([finding for finding, _ in findings.values()])
    given = Counter(finding for finding, _ in findings.values())
    for finding in Finding.values:
        setattr(row, f"points_{finding}", given[finding])
    row.root_causes = content["root_causes"]
    # The first update on the promised actions falls due one interval after the response.
    row.actions_update_due = actions_update_due(row, on) if content["actions"] else None
    row.save(
        update_fields=[
            *RESPONSE_FIELDS,
            *POINT_COUNT_FIELDS,
            "root_causes",
            "actions_update_due",
            "updated_at",
        ]
    )
    Decision.objects.bulk_create(
        Decision(point=point, finding=findings[point.number][0], reasons=findings[point.number][1])
        for point in points
    )
    Remedy.objects.bulk_create(_remedy_row(row, remedy) for remedy in content["remedies"])
    Action.objects.bulk_create(
        Action(
            stage=row,
            complaint=locked,
            description=action["description"],
            owner_id=action["owner_id"],
            due_on=date.fromisoformat(action["due_on"]),
        )
        for action in content["actions"]
    )
    changes = diff(before, snapshot(row, [*RESPONSE_FIELDS, "root_causes"]))
    changes["status"] = [status_before, locked.status]
    changes["decisions"] = [None, content["decisions"]]
    for key in ("remedies", "actions"):
        if content[key]:
            changes[key] = [None, content[key]]
    return _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.RESPONDED,
        summary=f"Stage {row.number} response issued",
        changes=changes,
        stage_number=row.number,
        original=complaint,
    )


# Actions after the response ----------------------------------------------------------------------


def actions_update_interval(stage: Stage) -> int:
    """Working days between updates to the resident on a stage's outstanding actions: the
    interval agreed with them, else the organisation's default."""
    return stage.actions_update_interval_days or settings.PUTRIGHT_ACTIONS_UPDATE_INTERVAL_DAYS


def actions_update_due(stage: Stage, last_update_on: date, calendar: Any = None) -> date:
    """When the next update on a stage's actions is due after one given (or the response) on
    ``last_update_on``."""
    calendar = calendar or current_calendar()
    return calendar.add(last_update_on, actions_update_interval(stage))


def stage_actions_updated(*, stage: Stage, on: date) -> Stage:
    """Record that the resident was sent an update on a stage's actions on ``on``, and move the
    next update's due date on. Called when the update letter is issued (putright.letters records
    the letter, its correspondence and the history event), so it writes no event itself."""
    row = Stage.objects.select_for_update().get(pk=stage.pk)
    if row.actions_updated_on is None or on >= row.actions_updated_on:
        row.actions_updated_on = on
        row.actions_update_due = actions_update_due(row, on)
        row.save(update_fields=["actions_updated_on", "actions_update_due", "updated_at"])
    return row


UPDATE_INTERVAL_RANGE = (1, 60)


@transaction.atomic
def stage_agree_actions_update_interval(
    *,
    acting_user: Any,
    complaint: Complaint,
    stage_number: int,
    days: int,
    on: date | None = None,
    expected_version: int | None = None,
) -> Stage:
    """Record how often, in working days, the resident will be updated on the actions a stage's
    response promised while any is open (Code 6.6, 6.17); the next update is due one interval
    after the last update, or after the response if none was sent yet."""
    on = _check_on(on)
    low, high = UPDATE_INTERVAL_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise InvalidInput(
            "invalid_update_interval",
            f"Agree an interval of between {low} and {high} working days.",
            field="days",
        )
    locked = _lock(complaint, expected_version, step=Step.AGREE_ACTIONS_UPDATE_INTERVAL)
    row = _stage(locked, stage_number)
    if row.responded_on is None:
        raise StepRefused(
            "not_responded",
            f"Stage {row.number} has not been responded to, so it has promised no actions yet.",
        )
    fields = ["actions_update_interval_days", "actions_update_due"]
    before = snapshot(row, fields)
    row.actions_update_interval_days = days
    row.actions_update_due = actions_update_due(row, row.actions_updated_on or row.responded_on)
    row.save(update_fields=[*fields, "updated_at"])
    _finish(
        locked,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ACTIONS_UPDATE_INTERVAL_AGREED,
        summary=f"Stage {row.number}: updates on actions every {days} working days agreed",
        changes=diff(before, snapshot(row, fields)),
        stage_number=row.number,
        original=complaint,
    )
    return row


@transaction.atomic
def action_complete(
    *,
    acting_user: Any,
    action: Action,
    on: date | None = None,
    note: str = "",
    document: Document | None = None,
    expected_version: int | None = None,
) -> Action:
    """Record a promised action as done, with its evidence: what was done and, optionally, one
    of the complaint's documents. Works whatever the complaint's status (Code 6.17).

    ``expected_version`` is the complaint's version, as for every other step on the case.
    """
    on = _check_on(on)
    locked_complaint = _lock(action.complaint, expected_version, step=Step.COMPLETE_ACTION)
    row = Action.objects.select_for_update().get(pk=action.pk)
    if row.status == Action.Status.DONE:
        raise StepRefused(
            "action_done", f"This action was recorded as done on {long_date(row.completed_on)}."
        )
    if on < row.stage.responded_on:
        raise InvalidInput(
            "date_before_response",
            "An action cannot be completed before the response that promised it.",
            field="on",
        )
    if document is not None and document.complaint_id != row.complaint_id:
        raise StepRefused(
            "document_mismatch",
            f"{document.original_name} is on another complaint's record.",
            field="document",
        )
    fields = ["status", "completed_on", "completion_note", "completion_document"]
    before = snapshot(row, fields)
    row.status = Action.Status.DONE
    row.completed_on = on
    row.completion_note = (note or "").strip()
    row.completion_document = document
    row.save(update_fields=[*fields, "updated_at"])
    _finish(
        locked_complaint,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ACTION_COMPLETED,
        summary=f"Action done: {row.description}",
        changes={"action": [None, row.pk], **diff(before, snapshot(row, fields))},
        stage_number=row.stage.number,
    )
    action.refresh_from_db()
    return action


@transaction.atomic
def action_reassign(
    *,
    acting_user: Any,
    action: Action,
    owner: Any = None,
    team: Any = None,
    due_on: date,
    reason: str,
    on: date | None = None,
    expected_version: int | None = None,
) -> Action:
    """Give an open action to another person or team (or both) or a new due date, with the
    reason, recorded in the complaint's history. Who may reassign is the screens' business (a
    complaints manager); the action must still be open and someone must own it."""
    on = _check_on(on)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput(
            "reason_missing", "Say why the action is being reassigned.", field="reason"
        )
    if owner is None and team is None:
        raise InvalidInput(
            "owner_missing", "Choose the person or the team who will do it.", field="owner"
        )
    if isinstance(due_on, datetime) or not isinstance(due_on, date):
        raise InvalidInput("action_due_missing", "Give the date it is due.", field="due_on")
    if owner is not None and not getattr(owner, "is_active", False):
        raise InvalidInput(
            "owner_inactive", f"{owner} no longer has an active account.", field="owner"
        )
    locked_complaint = _lock(action.complaint, expected_version, step=Step.REASSIGN_ACTION)
    row = Action.objects.select_for_update().select_related("stage").get(pk=action.pk)
    if row.status != Action.Status.OPEN:
        raise StepRefused(
            "action_done",
            f"This action was recorded as done on {long_date(row.completed_on)}, so it cannot "
            "be reassigned.",
        )
    if due_on != row.due_on and due_on < row.stage.responded_on:
        raise InvalidInput(
            "due_before_response",
            "The action cannot be due before the response that promised it.",
            field="due_on",
        )
    fields = ["owner", "team", "due_on"]
    before = snapshot(row, fields)
    row.owner = owner
    row.team = team
    row.due_on = due_on
    changes = diff(before, snapshot(row, fields))
    if not changes:
        raise InvalidInput(
            "nothing_changed",
            "Change the owner, the team or the due date to reassign the action.",
            field="owner",
        )
    row.save(update_fields=[*fields, "updated_at"])
    _finish(
        locked_complaint,
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.ACTION_REASSIGNED,
        summary=f"Action reassigned: {row.description} Reason: {reason}",
        changes={"action": [None, row.pk], "reason": [None, reason], **changes},
        stage_number=row.stage.number,
    )
    action.refresh_from_db()
    return action

"""Reminders about promised actions, sent by the daily job (``tracking.tasks``).

Each reminder is a ``Reminder`` row, unique on what it is about, its kind and the date of the
schedule it is for, created in the same transaction as its email: running the job twice, or on
two workers at once, sends each reminder once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from putright.complaints.models import Action, Stage
from putright.complaints.services import actions_update_due, stage_actions_updated
from putright.core import clock
from putright.core.dates import long_date
from putright.letters.models import IssuedLetter
from putright.organisation.selectors import current_calendar
from putright.outbox.services import email_enqueue
from putright.tracking.models import Reminder
from putright.tracking.schedule import reminder_due


@dataclass
class SweepResult:
    before_due: int = 0
    overdue: int = 0
    update_due: int = 0
    no_recipient: int = 0

    @property
    def sent(self) -> int:
        return self.before_due + self.overdue + self.update_due


def _team_members(team_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each team's active members' addresses, in one query."""
    members: dict[int, list[str]] = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(team_id__in=set(team_ids), is_active=True)
        .order_by("email")
        .values_list("team_id", "email")
    )
    for team_id, email in rows:
        members[team_id].append(email)
    return members


def action_recipients(action: Action, team_members: dict[int, list[str]]) -> list[str]:
    """Who is reminded about an action: its named owner; else the members of its team; else
    whoever handles the complaint."""
    if action.owner_id is not None and action.owner.is_active:
        return [action.owner.email]
    if action.team_id is not None and team_members.get(action.team_id):
        return team_members[action.team_id]
    handler = action.complaint.handler
    if handler is not None and handler.is_active:
        return [handler.email]
    return []


def _case_url(reference: str) -> str:
    return reverse("casework:case", kwargs={"reference": reference})


def _send(
    *,
    kind: str,
    stage: Stage,
    for_date: date,
    today: date,
    to: list[str],
    subject: str,
    text: str,
    action: Action | None = None,
) -> bool:
    """Create the reminder and its email together; False when it was sent already."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                kind=kind,
                action=action,
                stage=stage,
                for_date=for_date,
                sent_on=today,
                recipients=to,
            )
            reminder.email = email_enqueue(to=to, subject=subject, text=text)
            reminder.save(update_fields=["email", "updated_at"])
    except IntegrityError:  # sent already, by an earlier run or another worker
        return False
    return True


def _action_email(action: Action, kind: str) -> tuple[str, str]:
    reference = action.complaint.reference
    due = long_date(action.due_on)
    if kind == Reminder.Kind.OVERDUE:
        subject = f"Overdue action on complaint {reference}: it was due on {due}"
        opening = f"An action promised to the resident on complaint {reference} is overdue."
    else:
        subject = f"Action on complaint {reference} due on {due}"
        opening = f"An action promised to the resident on complaint {reference} is due soon."
    text = (
        f"{opening}\n\n"
        f"Action: {action.description}\n"
        f"Due: {due}\n\n"
        "When it is done, record it as done on the case, with what was done:\n"
        f"{_case_url(reference)}\n\n"
        "If it cannot be done by then, ask a complaints manager to reassign it or agree a new "
        "date, and keep the resident informed (Complaint Handling Code 6.6, 6.17).\n"
    )
    return subject, text


def action_reminders_send(*, today: date | None = None) -> SweepResult:
    """Send today's reminders about open actions and resident updates; idempotent.

    Runs on working days only: on another day nothing is due, and the next working day's run
    sends the latest reminder of each schedule.
    """
    today = today or clock.today()
    result = SweepResult()
    calendar = current_calendar()
    if not calendar.is_working_day(today):
        return result
    days_before = settings.PUTRIGHT_ACTION_REMINDER_DAYS_BEFORE
    every = settings.PUTRIGHT_ACTION_REMINDER_OVERDUE_EVERY
    horizon = calendar.add(today, days_before) if days_before > 0 else today
    actions = list(
        Action.objects.filter(status=Action.Status.OPEN, due_on__lte=horizon)
        .select_related("owner", "complaint__handler", "stage")
        .order_by("due_on", "id")
    )
    # What was sent already for these actions: one query, so a second run costs no inserts.
    sent = set(
        Reminder.objects.filter(
            action__status=Action.Status.OPEN, action__due_on__lte=horizon
        ).values_list("action_id", "kind", "for_date")
    )
    members = _team_members(a.team_id for a in actions if a.team_id and a.owner_id is None)
    for action in actions:
        due = reminder_due(
            due_on=action.due_on,
            today=today,
            calendar=calendar,
            days_before=days_before,
            overdue_every=every,
        )
        if due is None or (action.pk, *due) in sent:
            continue
        kind, for_date = due
        to = action_recipients(action, members)
        if not to:
            result.no_recipient += 1
            continue
        subject, text = _action_email(action, kind)
        if _send(
            kind=kind,
            action=action,
            stage=action.stage,
            for_date=for_date,
            today=today,
            to=to,
            subject=subject,
            text=text,
        ):
            setattr(result, kind, getattr(result, kind) + 1)
    result.update_due = _update_reminders_send(today)
    return result


def _update_reminders_send(today: date) -> int:
    """Tell each handler whose resident is due an update on a stage's open actions; one
    reminder per due date, which moves on when the update letter is issued."""
    stages = list(
        Stage.objects.filter(actions_update_due__lte=today, actions__status=Action.Status.OPEN)
        .exclude(
            Exists(
                Reminder.objects.filter(
                    stage=OuterRef("pk"),
                    kind=Reminder.Kind.UPDATE_DUE,
                    for_date=OuterRef("actions_update_due"),
                )
            )
        )
        .select_related("handler", "complaint__handler")
        .distinct()
        .order_by("actions_update_due", "id")
    )
    count = 0
    for stage in stages:
        handler = stage.handler or stage.complaint.handler
        if handler is None or not handler.is_active:
            continue
        reference = stage.complaint.reference
        subject = f"Update due to the resident on complaint {reference}'s actions"
        text = (
            f"The resident on complaint {reference} is due an update on the actions the stage "
            f"{stage.number} response promised (due {long_date(stage.actions_update_due)}).\n\n"
            "Write the update from the case (Write a letter, then the update on actions):\n"
            f"{reverse('casework:write-letter', kwargs={'reference': reference})}\n"
        )
        if _send(
            kind=Reminder.Kind.UPDATE_DUE,
            stage=stage,
            for_date=stage.actions_update_due,
            today=today,
            to=[handler.email],
            subject=subject,
            text=text,
        ):
            count += 1
    return count


def actions_update_dues_refresh() -> int:
    """Recompute when each stage's next update is due, for stages with open actions, from the
    update letters actually issued and the calendar as it is now (after a calendar change, or
    letters stored without their signal); idempotent. How many stages changed."""
    calendar = current_calendar()
    stages = list(
        Stage.objects.filter(responded_on__isnull=False, actions__status=Action.Status.OPEN)
        .distinct()
        .only(
            "id",
            "complaint_id",
            "number",
            "responded_on",
            "actions_updated_on",
            "actions_update_interval_days",
            "actions_update_due",
        )
    )
    keys = [f"stage{n}_actions_update" for n in (1, 2)]
    last_letters = {
        (row["complaint_id"], row["type_key"]): row["last"]
        for row in IssuedLetter.objects.filter(
            type_key__in=keys, complaint_id__in={stage.complaint_id for stage in stages}
        )
        .values("complaint_id", "type_key")
        .annotate(last=Max("dated"))
        .order_by()
    }
    changed = []
    for stage in stages:
        letter = last_letters.get((stage.complaint_id, f"stage{stage.number}_actions_update"))
        updated = max(
            (d for d in (stage.actions_updated_on, letter) if d is not None), default=None
        )
        due = actions_update_due(stage, updated or stage.responded_on, calendar)
        if (updated, due) != (stage.actions_updated_on, stage.actions_update_due):
            stage.actions_updated_on, stage.actions_update_due = updated, due
            changed.append(stage)
    Stage.objects.bulk_update(changed, ["actions_updated_on", "actions_update_due"], batch_size=500)
    return len(changed)


def actions_update_letter_issued(*, complaint_id: int, stage_number: int, on: date) -> None:
    """An update letter on a stage's actions was issued: the next one is due an interval on."""
    stage = Stage.objects.filter(complaint_id=complaint_id, number=stage_number).first()
    if stage is not None and stage.responded_on is not None:
        stage_actions_updated(stage=stage, on=on)

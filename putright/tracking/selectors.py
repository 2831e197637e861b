"""The action tracker's reads: one query for a page of actions, one for its count.

Overdue and "due within N working days" compare stored due dates with dates worked out from the
calendar once per request; "update to the resident due" compares the stage's stored next-update
date (kept by the response, the update letters and the daily job), so every filter is a plain
indexed comparison in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from putright.complaints.models import Action

VIEW_CONFIDENTIAL = "complaints.view_confidential"


@dataclass(frozen=True)
class TrackerFilters:
    status: str = Action.Status.OPEN  # "open", "done" or "" for both
    team_id: int | None = None
    owner_id: int | None = None
    overdue: bool = False
    due_within_days: int | None = None  # working days from today
    update_due: bool = False


def overdue_q(today: date) -> Q:
    """An open action whose due date has passed: the tracker's filter, its count and the
    board's dashboard all ask this."""
    return Q(status=Action.Status.OPEN, due_on__lt=today)


def teams() -> QuerySet:
    """Teams, read through the action's field: accounts sits above this app in the layers."""
    return Action._meta.get_field("team").related_model.objects.order_by("name")


def visible_actions(user: Any) -> QuerySet[Action]:
    """Actions on the complaints ``user`` may see: confidential ones only for those who may see
    them by role or handle the complaint (as ``casework.permissions.visible_complaints``)."""
    actions = Action.objects.all()
    if user.has_perm(VIEW_CONFIDENTIAL):
        return actions
    return actions.filter(Q(complaint__is_confidential=False) | Q(complaint__handler=user))


def tracker_actions(
    *, user: Any, filters: TrackerFilters, today: date, calendar: Any
) -> QuerySet[Action]:
    """The actions the tracker lists for these filters, soonest due first, with what each row
    shows joined in."""
    actions = visible_actions(user)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.team_id:
        actions = actions.filter(team_id=filters.team_id)
    if filters.owner_id:
        actions = actions.filter(owner_id=filters.owner_id)
    if filters.overdue:
        actions = actions.filter(overdue_q(today))
    if filters.due_within_days is not None:
        last = calendar.add(today, filters.due_within_days)
        actions = actions.filter(status=Action.Status.OPEN, due_on__gte=today, due_on__lte=last)
    if filters.update_due:
        actions = actions.filter(status=Action.Status.OPEN, stage__actions_update_due__lte=today)
    return actions.select_related(
        "complaint", "complaint__handler", "stage", "owner", "team"
    ).order_by("due_on", "id")


def overdue_count(*, user: Any, today: date) -> int:
    return visible_actions(user).filter(overdue_q(today)).count()


def overdue_total(*, today: date) -> int:
    """Every overdue action, confidential complaints' included: a count names nobody, so the
    board's dashboard counts them all."""
    return Action.objects.filter(overdue_q(today)).count()

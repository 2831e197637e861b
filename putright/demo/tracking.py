"""Demo step: some open promised actions handed to a team, as a complaints manager would.

The complaints step promises every action to the stage's handler. Here every fourth open action
(at most a dozen) is passed, through ``action_reassign`` and so with its reason in the history,
to the team that does the work, keeping its named person: the tracker's team filter and each
team's page then have something to show. A handful of service calls, so the demo stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from putright.accounts.models import Team
from putright.accounts.roles import COMPLAINTS_MANAGER
from putright.complaints.models import Action
from putright.complaints.services import action_reassign
from putright.core import clock

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

TEAM = "Property services"
EVERY, AT_MOST = 4, 12


def make_tracking(generator: DemoGenerator) -> None:
    from putright.demo.organisation import reporting_period

    managers = generator.results.get("staff_by_role", {}).get(COMPLAINTS_MANAGER) or []
    team = Team.objects.filter(name=TEAM).first()
    if not managers or team is None:
        return
    period = generator.results.get("period") or reporting_period(generator)
    today = min(period.as_at, clock.today())
    open_actions = list(
        Action.objects.filter(status=Action.Status.OPEN, team__isnull=True)
        .select_related("complaint", "owner")
        .order_by("due_on", "id")
    )
    moved = 0
    for action in open_actions[::EVERY][:AT_MOST]:
        action_reassign(
            acting_user=managers[0],
            action=action,
            owner=action.owner,
            team=team,
            due_on=action.due_on,
            reason=f"{TEAM} do this work; the named person stays as the contact.",
            on=today,
        )
        moved += 1
    generator.results["tracking"] = {"actions_given_to_teams": moved}

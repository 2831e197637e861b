"""The demo's promised actions: some open ones handed to a team, with the reason in each
complaint's history, and every open action's stage knowing when its next update is due."""

from __future__ import annotations

import time
from io import StringIO

from django.core.management import call_command
from django.test import override_settings


def test_the_demo_gives_some_open_actions_to_a_team(db):
    from putright.complaints.models import Action, ComplaintEvent

    started = time.perf_counter()
    with override_settings(DEBUG=True):
        call_command("demo", "--scale=0.1", "--as-at=2026-11-18", stdout=StringIO())
    elapsed = time.perf_counter() - started

    with_team = Action.objects.filter(team__name="Property services", status="open")
    assert with_team.exists()
    assert not with_team.filter(owner__isnull=True).exists()  # the named person stays
    assert ComplaintEvent.objects.filter(action="action_reassigned").count() == with_team.count()
    responded_open = Action.objects.filter(status="open", stage__responded_on__isnull=False)
    assert not responded_open.filter(stage__actions_update_due__isnull=True).exists()
    assert elapsed < 120

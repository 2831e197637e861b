"""Fixtures for promised actions: staff, a team, and a complaint whose stage 1 response (issued
Tue 10 March 2026) promised actions with hand-picked due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.accounts.models import Team
from putright.complaints import services
from putright.complaints.models import Action, Channel, Complaint
from tests.accounts.helpers import make_staff
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory

D = dt.date
RESPONDED_ON = D(2026, 3, 10)  # a Tuesday


@pytest.fixture
def repairs(db):
    return Team.objects.create(name="Repairs")


@pytest.fixture
def handler(db):
    return make_staff("Case handler", full_name="Hana Handler", email="hana@example.org")


@pytest.fixture
def colleague(db):
    return make_staff("Case handler", full_name="Colin Colleague", email="colin@example.org")


@pytest.fixture
def manager(db):
    return make_staff("Complaints manager", full_name="Mo Manager", email="mo@example.org")


@pytest.fixture
def board(db):
    return make_staff("Board member", email="bea@example.org")


@pytest.fixture
def responded(set_today, handler):
    """Build a complaint responded to on RESPONDED_ON promising ``actions``; its actions."""

    def build(actions: list[dict], *, handler=handler, hour: int = 9) -> list[Action]:
        set_today(RESPONDED_ON)
        complaint = services.complaint_log(
            acting_user=handler,
            complainant=ResidentFactory(),
            channel=Channel.EMAIL,
            received_at=dt.datetime(2026, 3, 2, hour, tzinfo=dt.UTC),
            description="The bathroom ceiling leaks.",
            handler=handler,
        )
        complaint = flow.acknowledge(acting_user=handler, complaint=complaint, on=D(2026, 3, 3))
        flow.respond(acting_user=handler, complaint=complaint, on=RESPONDED_ON, actions=actions)
        return list(Action.objects.filter(complaint=complaint).order_by("id"))

    return build


def reload(complaint: Complaint) -> Complaint:
    complaint.refresh_from_db()
    return complaint

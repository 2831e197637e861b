"""A complaint's own history says when it went to the Ombudsman and when the Ombudsman decided,
whoever may or may not open the Ombudsman case itself."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import ComplaintEvent
from tests.ombudsman.conftest import determined_case, log_complaint

pytestmark = pytest.mark.django_db
Action = ComplaintEvent.Action


def _linked_history(complaint):
    return list(
        ComplaintEvent.objects.filter(
            complaint=complaint,
            action__in=[Action.OMBUDSMAN_REFERRED, Action.OMBUDSMAN_DETERMINED],
        )
        .order_by("id")
        .values_list("action", "happened_on", "summary")
    )


def test_referral_and_determination_are_in_each_linked_complaints_history(
    manager, handler, complaint, today
):
    determined_case(manager, complaint)

    assert _linked_history(complaint) == [
        (Action.OMBUDSMAN_REFERRED, dt.date(2025, 10, 1), "The Ombudsman's reference is 202512345"),
        (
            Action.OMBUDSMAN_DETERMINED,
            dt.date(2026, 1, 8),
            "The Ombudsman's decision on its case 202512345",
        ),
    ]


def test_a_wider_investigation_writes_to_every_complaint_it_covers(manager, handler, today):
    from putright.ombudsman import services

    first, second = log_complaint(handler, day=5), log_complaint(handler, day=6)
    services.case_open(
        acting_user=manager,
        reference="202599999",
        referred_on=dt.date(2025, 11, 3),
        complaints=[first, second],
        kind="wider",
    )

    for complaint in (first, second):
        assert [row[0] for row in _linked_history(complaint)] == [Action.OMBUDSMAN_REFERRED]

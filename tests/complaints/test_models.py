"""Database constraints, permissions and the timeline selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction

from putright.accounts.roles import sync_roles
from putright.complaints.models import ComplaintEvent, Stage
from putright.complaints.selectors import complaint_timeline
from tests.complaints.helpers import acknowledge


def test_stage_number_must_be_1_or_2_and_unique(log):
    complaint = log()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(
            complaint=complaint,
            number=3,
            received_on=dt.date(2026, 1, 5),
            acknowledgement_due=dt.date(2026, 1, 12),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(
            complaint=complaint,
            number=1,
            received_on=dt.date(2026, 1, 5),
            acknowledgement_due=dt.date(2026, 1, 12),
        )


def test_events_are_append_only(log):
    event = log().events.get()
    event.summary = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_custom_permissions_exist_for_roles(db):
    codenames = set(
        Permission.objects.filter(content_type__app_label="complaints").values_list(
            "codename", flat=True
        )
    )
    assert {
        "view_complaint",
        "handle_complaint",
        "sign_off_response",
        "allocate_complaint",
        "view_confidential",
        "reverse_refusal",
        "view_reports",
    } <= codenames
    assert not {p for p in sync_roles() if p.startswith("complaints.")}


def test_timeline_is_oldest_first(log, officer):

    complaint = acknowledge(acting_user=officer, complaint=log(), on=dt.date(2025, 12, 31))
    assert [e.action for e in complaint_timeline(complaint=complaint)] == [
        ComplaintEvent.Action.LOGGED,
        ComplaintEvent.Action.ACKNOWLEDGED,
    ]

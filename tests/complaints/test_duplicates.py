"""Closing a complaint as a duplicate of another."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import ClosureReason, ComplaintEvent, Status
from putright.core.errors import DomainError
from tests.complaints.helpers import D, acknowledge, state


def test_marking_a_duplicate_links_and_closes_it(log, officer):
    original, duplicate = log(), log()
    original_version = original.version
    services.complaint_mark_duplicate(
        acting_user=officer,
        complaint=duplicate,
        original=original,
        note="Same leak reported by phone and email.",
        on=D(2025, 12, 23),
    )
    assert duplicate.status == Status.CLOSED
    assert duplicate.closure_reason == ClosureReason.DUPLICATE
    assert duplicate.duplicate_of == original
    assert list(original.duplicates.all()) == [duplicate]
    assert original.status == Status.RECEIVED
    assert original.version == original_version + 1
    dup_event = ComplaintEvent.objects.filter(complaint=duplicate).last()
    orig_event = ComplaintEvent.objects.filter(complaint=original).last()
    assert dup_event.action == ComplaintEvent.Action.MARKED_DUPLICATE
    assert orig_event.action == ComplaintEvent.Action.DUPLICATE_LINKED
    assert original.reference in dup_event.summary
    assert duplicate.reference in orig_event.summary


def test_duplicate_refusals_write_nothing(log, officer):
    original, duplicate, other, gone = log(), log(), log(), log()
    services.complaint_withdraw(acting_user=officer, complaint=gone, on=D(2025, 12, 23))
    services.complaint_mark_duplicate(
        acting_user=officer, complaint=other, original=original, note="Same.", on=D(2025, 12, 23)
    )
    acknowledge(acting_user=officer, complaint=original, on=D(2025, 12, 31))
    cases = [
        ({"complaint": duplicate, "original": duplicate}, "duplicate_of_itself"),
        ({"complaint": duplicate, "original": original, "note": ""}, "note_required"),
        # A duplicate is closed, so it cannot be closed again.
        ({"complaint": other, "original": duplicate}, "not_allowed_in_status"),
        ({"complaint": duplicate, "original": other}, "original_is_duplicate"),
        ({"complaint": gone, "original": duplicate}, "not_allowed_in_status"),
    ]
    for kwargs, code in cases:
        before = [state(c) for c in (original, duplicate, other)]
        kwargs.setdefault("note", "Same.")
        with pytest.raises(DomainError) as refused:
            services.complaint_mark_duplicate(acting_user=officer, on=D(2026, 1, 2), **kwargs)
        assert refused.value.code == code
        assert refused.value.message
        assert [state(c) for c in (original, duplicate, other)] == before


def test_an_acknowledged_complaint_can_be_closed_as_a_duplicate(log, officer):
    original, duplicate = log(), log()
    acknowledge(acting_user=officer, complaint=duplicate, on=D(2025, 12, 23))
    services.complaint_mark_duplicate(
        acting_user=officer,
        complaint=duplicate,
        original=original,
        note="The same leak, already at stage 1 under the first reference.",
        on=D(2025, 12, 24),
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("closed", original)
    assert duplicate.next_due_on is None

"""Closure days added or removed move the stored due dates of open stages, and only those."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Stage
from putright.organisation.models import ClosureDay
from putright.organisation.services import closure_day_add, closure_day_remove
from tests.complaints.conftest import at
from tests.complaints.helpers import acknowledge, respond

D = dt.date


def test_closure_days_recompute_open_due_dates(log, officer):
    waiting = log()  # received Mon 22 Dec 2025, acknowledgement due Wed 31 Dec
    open_ = acknowledge(acting_user=officer, complaint=log(), on=D(2025, 12, 31))
    answered = acknowledge(acting_user=officer, complaint=log(), on=D(2025, 12, 31))
    answered = respond(acting_user=officer, complaint=answered, on=D(2026, 1, 2))
    versions = {c.pk: c.version for c in (waiting, open_, answered)}

    # Mon 29 Dec closed: 23, 24, 30, 31 Dec, 2 Jan (1 Jan a bank holiday) -> Fri 2 Jan 2026.
    closure_day_add(acting_user=officer, on=D(2025, 12, 29), description="Christmas closure")
    # Wed 7 Jan closed: response 31 Dec + 10 moves from Thu 15 to Fri 16 Jan; cap 16 Jan + 10 is
    # Fri 30 Jan.
    closure_day_add(acting_user=officer, on=D(2026, 1, 7), description="Office move")

    assert Stage.objects.get(complaint=waiting).acknowledgement_due == D(2026, 1, 2)
    stage = Stage.objects.get(complaint=open_)
    assert stage.acknowledgement_due == D(2025, 12, 31)  # already acknowledged: a fact now
    assert stage.response_due == D(2026, 1, 16)
    assert stage.response_due_if_acknowledged_on_time == D(2026, 1, 16)
    assert stage.extension_cap == D(2026, 1, 30)
    done = Stage.objects.get(complaint=answered)
    assert (done.response_due, done.extension_cap) == (D(2026, 1, 15), D(2026, 1, 29))

    recomputed = ComplaintEvent.objects.filter(action=ComplaintEvent.Action.DEADLINES_RECOMPUTED)
    assert recomputed.filter(complaint=waiting).count() == 1  # 7 Jan is outside its window
    assert recomputed.filter(complaint=open_).count() == 1  # 29 Dec is before acknowledgement
    assert recomputed.get(complaint=open_).changes == {
        "response_due": ["2026-01-15", "2026-01-16"],
        "response_due_if_acknowledged_on_time": ["2026-01-15", "2026-01-16"],
        "extension_cap": ["2026-01-29", "2026-01-30"],
    }
    assert not recomputed.filter(complaint=answered).exists()
    for complaint in (waiting, open_, answered):
        complaint.refresh_from_db()
    assert waiting.version == versions[waiting.pk] + 1
    assert open_.version == versions[open_.pk] + 1
    assert answered.version == versions[answered.pk]

    closure_day_remove(acting_user=officer, on=D(2026, 1, 7))
    stage.refresh_from_db()
    assert (stage.response_due, stage.extension_cap) == (D(2026, 1, 15), D(2026, 1, 29))


def test_recompute_uses_a_constant_number_of_queries(log, officer):
    # Closure days written directly (no signal), so the recompute below has work to do.
    log(received_at=at(2025, 12, 15))
    ClosureDay.objects.create(date=D(2025, 12, 16), description="Training day")
    with CaptureQueriesContext(connection) as one:
        assert services.stage_deadlines_recompute(acting_user=officer) == 1
    for day in (10, 11, 12, 15, 16):
        log(received_at=at(2025, 12, day))
    ClosureDay.objects.create(date=D(2025, 12, 17), description="Training day")
    with CaptureQueriesContext(connection) as six:
        assert services.stage_deadlines_recompute(acting_user=officer) == 6
    assert len(six) == len(one)

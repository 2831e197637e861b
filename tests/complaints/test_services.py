"""The complaint lifecycle services, with deadlines worked out by hand in each test."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints import services
from putright.complaints.models import Complaint, ComplaintEvent, Extension, Stage, Status
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from tests.complaints.conftest import at
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import StaffUserFactory

D = dt.date


def stage(complaint: Complaint, number: int = 1) -> Stage:
    return Stage.objects.get(complaint=complaint, number=number)


def state(complaint: Complaint) -> tuple:
    """Everything a refused step must leave untouched."""
    complaint.refresh_from_db()
    stages = list(Stage.objects.filter(complaint=complaint).order_by("number").values())
    for row in stages:
        row.pop("updated_at")
    return (
        complaint.status,
        complaint.version,
        ComplaintEvent.objects.filter(complaint=complaint).count(),
        Extension.objects.filter(stage__complaint=complaint).count(),
        stages,
    )


@pytest.fixture
def stage1_open(log, officer):
    complaint = log()
    return acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))


@pytest.fixture
def stage2_open(stage1_open, officer):
    complaint = respond(acting_user=officer, complaint=stage1_open, on=D(2026, 1, 14))
    return services.complaint_escalate(acting_user=officer, complaint=complaint, on=D(2026, 4, 2))


# Logging ---------------------------------------------------------------------------------------


def test_logging_creates_received_complaint_with_stage1_ack_due(log, officer):
    # Mon 22 Dec 2025 + 5 working days, skipping Christmas Day and Boxing Day: Wed 31 Dec.
    complaint = log()
    assert complaint.status == Status.RECEIVED
    assert complaint.received_on == D(2025, 12, 22)
    assert complaint.version == 1
    first = stage(complaint)
    assert first.received_on == D(2025, 12, 22)
    assert first.acknowledgement_due == D(2025, 12, 31)
    event = complaint.events.get()
    assert event.action == ComplaintEvent.Action.LOGGED
    assert event.actor == officer
    assert event.happened_on == D(2025, 12, 22)
    assert event.changes["acknowledgement_due"] == [None, "2025-12-31"]


def test_receipt_date_is_read_in_london_time(log):
    # 23:30 UTC on 30 Jun 2025 is 00:30 on 1 Jul in London (BST).
    complaint = log(received_at=dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert complaint.received_on == D(2025, 7, 1)


def test_references_are_sequential_per_year_of_receipt(log):
    refs = [
        log(received_at=at(2025, 3, 3)).reference,
        log(received_at=at(2025, 3, 4)).reference,
        log(received_at=at(2026, 1, 5)).reference,
        log(received_at=at(2025, 3, 5)).reference,
        log(received_at=at(2026, 1, 6)).reference,
    ]
    assert refs == ["C-2025-00001", "C-2025-00002", "C-2026-00001", "C-2025-00003", "C-2026-00002"]


def test_logging_refuses_naive_time_and_blank_description(log):
    with pytest.raises(InvalidInput) as naive:
        log(received_at=dt.datetime(2025, 12, 22, 10))
    assert naive.value.code == "invalid_date"
    with pytest.raises(InvalidInput) as blank:
        log(description="  ")
    assert blank.value.code == "description_missing"
    assert Complaint.objects.count() == 0


# Acknowledgement -------------------------------------------------------------------------------


def test_stage1_acknowledged_on_time_sets_response_due_and_cap(stage1_open):
    # Ack Wed 31 Dec 2025 + 10 working days (1 Jan a bank holiday): Thu 15 Jan 2026.
    # Cap: 15 Jan + 10 working days: Thu 29 Jan 2026.
    complaint = stage1_open
    assert complaint.status == Status.STAGE1_OPEN
    assert complaint.version == 2
    first = stage(complaint)
    assert first.acknowledged_on == D(2025, 12, 31)
    assert first.ack_within_code is True
    assert first.response_due == D(2026, 1, 15)
    assert first.response_due_if_acknowledged_on_time == D(2026, 1, 15)
    assert first.extension_cap == D(2026, 1, 29)
    event = complaint.events.latest("id")
    assert event.action == ComplaintEvent.Action.ACKNOWLEDGED
    assert event.changes["status"] == ["received", "stage1_open"]
    assert event.changes["response_due"] == [None, "2026-01-15"]


def test_late_acknowledgement_keeps_both_readings(log, officer):
    # Due Wed 31 Dec, acknowledged Mon 5 Jan 2026 (two working days late).
    # From the actual acknowledgement: 5 Jan + 10 = Mon 19 Jan; from the due date: Thu 15 Jan.
    complaint = acknowledge(acting_user=officer, complaint=log(), on=D(2026, 1, 5))
    first = stage(complaint)
    assert first.ack_within_code is False
    assert first.response_due == D(2026, 1, 19)
    assert first.response_due_if_acknowledged_on_time == D(2026, 1, 15)
    # The cap runs from the response date the resident was given: 19 Jan + 10 = Mon 2 Feb.
    assert first.extension_cap == D(2026, 2, 2)


def test_acknowledging_twice_is_refused_and_writes_nothing(stage1_open, officer):
    before = state(stage1_open)
    with pytest.raises(StepRefused) as refused:
        acknowledge(acting_user=officer, complaint=stage1_open, on=D(2026, 1, 2))
    assert refused.value.code == "not_allowed_in_status"
    assert state(stage1_open) == before


def test_step_dated_in_future_is_invalid(log, officer):
    complaint = log()
    with pytest.raises(InvalidInput) as invalid:
        acknowledge(
            acting_user=officer, complaint=complaint, on=dt.date.today() + dt.timedelta(days=2)
        )
    assert invalid.value.code == "date_in_future"


def test_stale_version_is_refused_and_writes_nothing(log, officer):
    complaint = log()
    other_copy = Complaint.objects.get(pk=complaint.pk)
    acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31), expected_version=1)
    before = state(complaint)
    with pytest.raises(StaleVersion) as stale:
        services.complaint_withdraw(
            acting_user=officer, complaint=other_copy, expected_version=other_copy.version
        )
    assert stale.value.code == "stale_version"
    assert stale.value.kind == "conflict"
    assert state(complaint) == before


# Extensions ------------------------------------------------------------------------------------


def extend(complaint, officer, **kwargs):
    kwargs.setdefault("reason", "Waiting for the surveyor's damp report")
    kwargs.setdefault("notice_on", D(2026, 1, 14))
    kwargs.setdefault("ombudsman_details_given", True)
    return services.stage_extend(acting_user=officer, complaint=complaint, **kwargs)


def test_second_extension_inside_cap_is_accepted(stage1_open, officer):
    complaint = extend(stage1_open, officer, new_due=D(2026, 1, 22))
    complaint = extend(complaint, officer, new_due=D(2026, 1, 29), notice_on=D(2026, 1, 21))
    first = stage(complaint)
    assert first.extended_due == D(2026, 1, 29)
    assert first.response_due == D(2026, 1, 15)  # the original date is kept
    assert list(first.extensions.values_list("previous_due", "new_due")) == [
        (D(2026, 1, 15), D(2026, 1, 22)),
        (D(2026, 1, 22), D(2026, 1, 29)),
    ]
    assert complaint.events.filter(action=ComplaintEvent.Action.EXTENDED).count() == 2
    assert complaint.version == 4


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        # Told on Fri 16 Jan, the day after the response was due.
        ({"new_due": D(2026, 1, 22), "notice_on": D(2026, 1, 16)}, "extension_notice_late"),
        # Fri 30 Jan is one working day past the cap of Thu 29 Jan.
        ({"new_due": D(2026, 1, 30)}, "extension_beyond_cap"),
        (
            {"new_due": D(2026, 1, 22), "ombudsman_details_given": False},
            "ombudsman_details_missing",
        ),
    ],
)
def test_extension_refusals_write_nothing(stage1_open, officer, kwargs, code):
    before = state(stage1_open)
    with pytest.raises(StepRefused) as refused:
        extend(stage1_open, officer, **kwargs)
    assert refused.value.code == code
    assert state(stage1_open) == before


def test_notice_late_is_measured_against_the_extended_date(stage1_open, officer):
    complaint = extend(stage1_open, officer, new_due=D(2026, 1, 22))
    # Told on 20 Jan: after the original 15 Jan, but before the extended 22 Jan, so in time.
    complaint = extend(complaint, officer, new_due=D(2026, 1, 27), notice_on=D(2026, 1, 20))
    assert stage(complaint).extended_due == D(2026, 1, 27)


def test_extension_beyond_cap_accepted_with_good_reason(stage1_open, officer):
    complaint = extend(
        stage1_open,
        officer,
        new_due=D(2026, 2, 12),
        good_reason="Specialist structural survey cannot be booked sooner",
    )
    first = stage(complaint)
    assert first.extended_due == D(2026, 2, 12)
    assert first.extensions.get().good_reason.startswith("Specialist")


# Responses -------------------------------------------------------------------------------------


def test_response_on_time_meets_code(stage1_open, officer):
    complaint = respond(acting_user=officer, complaint=stage1_open, on=D(2026, 1, 15))
    first = stage(complaint)
    assert complaint.status == Status.STAGE1_RESPONDED
    assert first.responded_on == D(2026, 1, 15)
    assert first.response_within_code is True
    assert first.response_within_extension is None


def test_response_after_due_within_extension_is_recorded_as_such(stage1_open, officer):
    complaint = extend(stage1_open, officer, new_due=D(2026, 1, 22))
    complaint = respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 21))
    first = stage(complaint)
    assert first.response_within_code is False
    assert first.response_within_extension is True


def test_response_after_extension_missed_both(stage1_open, officer):
    complaint = extend(stage1_open, officer, new_due=D(2026, 1, 22))
    complaint = respond(acting_user=officer, complaint=complaint, on=D(2026, 1, 23))
    first = stage(complaint)
    assert (first.response_within_code, first.response_within_extension) == (False, False)


def test_responding_before_acknowledgement_is_refused(log, officer):
    complaint = log()
    before = state(complaint)
    with pytest.raises(StepRefused) as refused:
        respond(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    assert refused.value.code == "not_allowed_in_status"
    assert state(complaint) == before


# Stage 2 ---------------------------------------------------------------------------------------


def test_stage2_dates_over_easter_and_may_bank_holidays(stage2_open, officer):
    # Thu 2 Apr 2026 + 5 working days, skipping Good Friday and Easter Monday: Mon 13 Apr.
    complaint = stage2_open
    assert complaint.status == Status.STAGE2_OPEN
    second = stage(complaint, 2)
    assert second.received_on == D(2026, 4, 2)
    assert second.acknowledgement_due == D(2026, 4, 13)
    independent = StaffUserFactory()
    complaint = services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=independent
    )
    complaint = acknowledge(
        acting_user=independent, complaint=complaint, stage=2, on=D(2026, 4, 13)
    )
    # 13 Apr + 20 working days, skipping Mon 4 May: Tue 12 May. Cap: + 20, skipping Mon 25 May:
    # Wed 10 Jun.
    second = stage(complaint, 2)
    assert second.ack_within_code is True
    assert second.response_due == D(2026, 5, 12)
    assert second.extension_cap == D(2026, 6, 10)
    complaint = respond(acting_user=independent, complaint=complaint, on=D(2026, 5, 12))
    assert complaint.status == Status.STAGE2_RESPONDED
    assert stage(complaint, 2).response_within_code is True


def test_third_stage_is_refused(stage2_open, officer):
    before = state(stage2_open)
    with pytest.raises(StepRefused) as refused:
        services.complaint_escalate(acting_user=officer, complaint=stage2_open, on=D(2026, 4, 7))
    assert refused.value.code == "not_allowed_in_status"
    assert state(stage2_open) == before


def test_escalating_an_unanswered_stage1_is_an_illegal_transition(stage1_open, officer):
    before = state(stage1_open)
    with pytest.raises(StepRefused) as refused:
        services.complaint_escalate(acting_user=officer, complaint=stage1_open, on=D(2026, 1, 5))
    assert refused.value.code == "not_allowed_in_status"
    assert state(stage1_open) == before


def test_stage1_handler_refused_at_stage2(log, officer):
    handler = StaffUserFactory()
    complaint = log(handler=handler)
    complaint = acknowledge(acting_user=handler, complaint=complaint, on=D(2025, 12, 31))
    complaint = respond(acting_user=handler, complaint=complaint, on=D(2026, 1, 14))
    complaint = services.complaint_escalate(
        acting_user=officer, complaint=complaint, on=D(2026, 4, 2)
    )
    before = state(complaint)
    with pytest.raises(StepRefused) as refused:
        services.complaint_allocate(acting_user=officer, complaint=complaint, handler=handler)
    assert refused.value.code == "not_independent"
    assert state(complaint) == before


def test_earlier_stage1_handler_and_responder_are_not_independent(log, officer):
    first_handler, second_handler, responder = StaffUserFactory.create_batch(3)
    complaint = log(handler=first_handler)
    complaint = services.complaint_allocate(
        acting_user=officer,
        complaint=complaint,
        handler=second_handler,
        on=D(2025, 12, 23),
        reason="First handler on leave",
    )
    complaint = acknowledge(acting_user=officer, complaint=complaint, on=D(2025, 12, 31))
    complaint = respond(acting_user=responder, complaint=complaint, on=D(2026, 1, 14))
    complaint = services.complaint_escalate(
        acting_user=officer, complaint=complaint, on=D(2026, 4, 2)
    )
    for person in (first_handler, second_handler, responder):
        with pytest.raises(StepRefused) as refused:
            services.complaint_allocate(acting_user=officer, complaint=complaint, handler=person)
        assert refused.value.code == "not_independent"


def test_stage2_acknowledgement_needs_an_independent_handler(stage2_open, officer):
    before = state(stage2_open)
    with pytest.raises(InvalidInput) as invalid:
        acknowledge(acting_user=officer, complaint=stage2_open, stage=2, on=D(2026, 4, 13))
    assert invalid.value.code == "handler_required"
    assert state(stage2_open) == before


# Withdrawal ------------------------------------------------------------------------------------


def test_withdrawal_records_status_and_reason(stage1_open, officer):
    complaint = services.complaint_withdraw(
        acting_user=officer,
        complaint=stage1_open,
        reason="Repair done; resident happy",
        on=D(2026, 1, 6),
    )
    assert complaint.status == Status.WITHDRAWN
    event = complaint.events.latest("id")
    assert event.changes == {
        "status": ["stage1_open", "withdrawn"],
        "reason": [None, "Repair done; resident happy"],
    }
    with pytest.raises(StepRefused) as refused:
        services.complaint_withdraw(acting_user=officer, complaint=complaint, on=D(2026, 1, 7))
    assert refused.value.code == "not_allowed_in_status"


def test_reassigning_a_stage_needs_a_reason_kept_in_the_history(log, officer):
    first, second = StaffUserFactory.create_batch(2)
    complaint = log(handler=first)
    before = state(complaint)
    with pytest.raises(InvalidInput) as invalid:
        services.complaint_allocate(acting_user=officer, complaint=complaint, handler=second)
    assert (invalid.value.code, invalid.value.field) == ("reason_required", "reason")
    assert state(complaint) == before

    services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=second, reason="  Long-term sick leave "
    )

    event = complaint.events.order_by("-recorded_at", "-id").first()
    assert event.actor == officer
    assert event.summary == f"Stage 1 reallocated from {first} to {second}: Long-term sick leave"
    assert event.changes["reason"] == [None, "Long-term sick leave"]


def test_allocating_an_unallocated_stage_or_the_same_handler_needs_no_reason(log, officer):
    handler = StaffUserFactory()
    complaint = log(handler=None)
    complaint = services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=handler
    )
    complaint = services.complaint_allocate(
        acting_user=officer, complaint=complaint, handler=handler
    )
    assert complaint.handler_id == handler.pk

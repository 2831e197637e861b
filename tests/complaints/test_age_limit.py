"""The 12-month age limit (Code 2.3): a warning that needs a recorded decision, not a block."""

from __future__ import annotations

import pytest

from putright.complaints.models import Complaint, ComplaintEvent, ReferenceCounter, Stage
from putright.core.errors import InvalidInput, StepRefused
from tests.complaints.helpers import D


def nothing_written() -> tuple:
    return (
        Complaint.objects.count(),
        Stage.objects.count(),
        ComplaintEvent.objects.count(),
        list(ReferenceCounter.objects.values()),
    )


def test_exactly_twelve_months_is_inside_the_limit(log):
    complaint = log(issue_date=D(2024, 12, 22))  # received Mon 22 Dec 2025
    assert complaint.outside_time_limit is False
    assert complaint.issue_date == D(2024, 12, 22)


def test_without_dates_there_is_no_age_check(log):
    assert log().outside_time_limit is False


def test_older_than_twelve_months_needs_a_recorded_decision(log, db):
    before = nothing_written()
    with pytest.raises(StepRefused) as exc:
        log(issue_date=D(2024, 12, 21))
    assert exc.value.code == "discretion_required"
    assert "12 months" in exc.value.message
    assert exc.value.field == "discretion_note"
    assert nothing_written() == before


def test_a_blank_note_is_not_a_decision(log, db):
    before = nothing_written()
    with pytest.raises(StepRefused) as exc:
        log(issue_date=D(2023, 1, 1), discretion_note="   ")
    assert exc.value.code == "discretion_required"
    assert nothing_written() == before


def test_with_a_decision_the_complaint_is_logged_and_flagged(log):
    complaint = log(
        issue_date=D(2023, 6, 1),
        aware_date=D(2024, 1, 10),
        discretion_note=" Ongoing damp; the resident was in hospital. ",
    )
    complaint.refresh_from_db()
    assert complaint.outside_time_limit is True
    assert complaint.discretion_note == "Ongoing damp; the resident was in hospital."
    assert (complaint.issue_date, complaint.aware_date) == (D(2023, 6, 1), D(2024, 1, 10))
    event = complaint.events.get(action=ComplaintEvent.Action.LOGGED)
    assert event.changes["outside_time_limit"] == [None, True]


def test_the_later_awareness_date_counts(log):
    complaint = log(issue_date=D(2022, 3, 1), aware_date=D(2025, 2, 1))
    assert complaint.outside_time_limit is False
    assert complaint.discretion_note == ""


@pytest.mark.parametrize("field", ["issue_date", "aware_date"])
def test_dates_after_receipt_are_refused(log, db, field):
    before = nothing_written()
    with pytest.raises(InvalidInput) as exc:
        log(**{field: D(2025, 12, 23)})
    assert exc.value.code == "date_after_receipt"
    assert exc.value.field == field
    assert nothing_written() == before


def test_a_non_date_is_refused(log, db):
    before = nothing_written()
    with pytest.raises(InvalidInput) as exc:
        log(issue_date="2024-01-01")
    assert exc.value.code == "invalid_date"
    assert nothing_written() == before

"""Due dates for a stage, worked out with the calendar and timescales in one place.

Services and the recompute after a calendar change both call these, so a stage's stored dates
never depend on which path wrote them.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from putright.rules.calendar import WorkingDayCalendar
from putright.rules.timescales import (
    Timescales,
    acknowledgement_due,
    extension_cap_date,
    response_due,
)


class ResponseDates(NamedTuple):
    response_due: date
    response_due_if_acknowledged_on_time: date
    extension_cap: date


def stage_acknowledgement_due(
    cal: WorkingDayCalendar, ts: Timescales, number: int, received_on: date
) -> date:
    return acknowledgement_due(cal, received_on, ts.for_stage(number))


def stage_response_dates(
    cal: WorkingDayCalendar,
    ts: Timescales,
    number: int,
    acknowledged_on: date,
    ack_due: date,
) -> ResponseDates:
    """Both readings of the response date after a (possibly late) acknowledgement.

    ``response_due`` counts from the actual acknowledgement, as the Code words it; the second
    counts from the acknowledgement's due date when it was late, so a late acknowledgement
    cannot quietly buy extra time in reports. The extension cap runs from ``response_due``.
    """
    stage_ts = ts.for_stage(number)
    due = response_due(cal, acknowledged_on, stage_ts)
    on_time = response_due(cal, min(acknowledged_on, ack_due), stage_ts)
    return ResponseDates(due, on_time, extension_cap_date(cal, due, stage_ts))


def escalation_window_end(cal: WorkingDayCalendar, responded_on: date, window_days: int) -> date:
    """The last day the resident may ask to escalate before the complaint is closed (a landlord
    setting; a later request is still accepted, Code 5.3)."""
    return cal.add(responded_on, window_days)

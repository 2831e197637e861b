"""When an action's owner is reminded, in working days (pure functions over a calendar).

The schedule of an open action due on ``due`` is a list of days: N working days before it, the
first working day after it, then every M working days while it is overdue. On any day the
reminder to send is the latest of those days not after it, so a day the job did not run sends
only the latest reminder, never the backlog.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def reminder_due(
    *, due_on: date, today: date, calendar: Any, days_before: int, overdue_every: int
) -> tuple[str, date] | None:
    """``(kind, for_date)`` of the latest reminder due by ``today``, or None before the first.

    ``kind`` is "before_due" or "overdue"; ``for_date`` is the day of the schedule it is for.
    """
    after = calendar.between(due_on, today)  # working days after the due date, up to today
    if today > due_on and after >= 1:
        every = max(overdue_every, 1)
        return "overdue", calendar.add(due_on, 1 + ((after - 1) // every) * every)
    before = calendar.add(due_on, -days_before) if days_before > 0 else due_on
    if today >= before:
        return "before_due", before
    return None

"""What counts as due today, due soon and overdue: the one definition that the home pages, the
manager's workload, the queues and the board's dashboard all use, so a count on one page is the
length of the queue another links to.

Each is a filter on ``Complaint.next_due_on``, the next Code deadline of a complaint awaiting the
landlord (``complaints.standing``); a complaint waiting on the resident has none. It lives here,
below the screens, so that the casework screens and the reports read the same definition.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from putright.rules.calendar import WorkingDayCalendar

DUE_SOON_WORKING_DAYS = 2  # "due soon": this many working days left, or fewer (0 is today)


def due_soon_until(
    today: date, calendar: WorkingDayCalendar, working_days: int = DUE_SOON_WORKING_DAYS
) -> date:
    """The last date counted as due soon."""
    return calendar.add(today, working_days)


def due_today_q(today: date) -> Q:
    return Q(next_due_on=today)


def due_soon_q(
    today: date, calendar: WorkingDayCalendar, working_days: int = DUE_SOON_WORKING_DAYS
) -> Q:
    """Working days left 0 to ``working_days``: before the next working day after that many
    (so a deadline on a closure day inside the window counts)."""
    return Q(
        next_due_on__gte=today,
        next_due_on__lt=calendar.add(today, working_days + 1),
    )


def overdue_q(today: date) -> Q:
    return Q(next_due_on__lt=today)

"""What counts as due today, due soon and overdue: the one definition that the home pages, the
manager's workload and the queues all use, so a count on a home page is the length of the queue
it links to.

Each is a filter on ``Complaint.next_due_on``, the next Code deadline of a complaint awaiting the
landlord (``complaints.standing``); a complaint waiting on the resident has none.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from putright.rules.calendar import WorkingDayCalendar

DUE_SOON_WORKING_DAYS = 2  # "due soon": this many working days left, or fewer (0 is today)


def due_soon_until(today: date, calendar: WorkingDayCalendar) -> date:
    """The last date counted as due soon."""
    return calendar.add(today, DUE_SOON_WORKING_DAYS)


def due_today_q(today: date) -> Q:
    return Q(next_due_on=today)


def due_soon_q(today: date, calendar: WorkingDayCalendar) -> Q:
    """Working days left 0 to ``DUE_SOON_WORKING_DAYS``: before the next working day after
    that many (so a deadline on a closure day inside the window counts)."""
    return Q(
        next_due_on__gte=today,
        next_due_on__lt=calendar.add(today, DUE_SOON_WORKING_DAYS + 1),
    )


def overdue_q(today: date) -> Q:
    return Q(next_due_on__lt=today)

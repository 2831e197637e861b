"""Due today, due soon and overdue, for the casework screens: defined once in
``complaints.due_windows`` (below both the screens and the reports, which share it)."""

from putright.complaints.due_windows import (
    DUE_SOON_WORKING_DAYS,
    due_soon_q,
    due_soon_until,
    due_today_q,
    overdue_q,
)

__all__ = ["DUE_SOON_WORKING_DAYS", "due_soon_q", "due_soon_until", "due_today_q", "overdue_q"]

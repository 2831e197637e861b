"""Pure-Python rules core: working days and the Complaint Handling Code's timescales.

Nothing here may import Django or another PutRight package (an import-linter contract checks it),
so every rule can be tested and benchmarked without a database.
"""

from .calendar import CODE_CALENDAR_NOTE, WorkingDayCalendar, england_and_wales_bank_holidays
from .timescales import (
    CODE,
    StageTimescales,
    Timescales,
    acknowledgement_due,
    extension_cap_date,
    months_between_exceeds,
    response_due,
)

__all__ = [
    "CODE",
    "CODE_CALENDAR_NOTE",
    "StageTimescales",
    "Timescales",
    "WorkingDayCalendar",
    "acknowledgement_due",
    "england_and_wales_bank_holidays",
    "extension_cap_date",
    "months_between_exceeds",
    "response_due",
]

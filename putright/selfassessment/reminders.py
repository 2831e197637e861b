"""Reminders before the Ombudsman's annual submission deadline, to the complaints managers,
while the year's self-assessment is not yet approved by the governing body.

The deadline (regulatory-spec section 6): a landlord with over 1,000 homes submits by 30
September; a smaller one within six months of its financial year end. For a year ending on 31
March both fall on 30 September. Without a stock count the larger landlord's date is used.

Idempotent: a reminder is sent once per reporting year and threshold (30 and 7 days before),
claimed by a unique ``DeadlineReminder`` row, so a rerun, a second worker or a retry sends
nothing more. Thresholds passed while no worker ran are claimed together in one email.
"""

from __future__ import annotations

import datetime as dt
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from putright.complaints.models import Party
from putright.core import clock
from putright.core.dates import long_date
from putright.organisation.selectors import get_organisation, homes_by_tenure
from putright.outbox.services import email_enqueue
from putright.reporting.periods import year_label
from putright.selfassessment.models import DeadlineReminder, SelfAssessment, Trigger
from putright.selfassessment.services import latest_approved

# Days before the deadline a reminder goes out, largest first.
REMINDER_DAYS = (30, 7)
LARGE_LANDLORD_HOMES = 1_000


def submission_deadline(reporting_year: int) -> date:
    """The day the year's submission to the Ombudsman is due."""
    _, end = get_organisation().reporting_year_bounds(reporting_year)
    homes = [count for count in homes_by_tenure(reporting_year).values() if count is not None]
    if homes and sum(homes) <= LARGE_LANDLORD_HOMES:
        # Six months after the year end: the last day of the sixth month after it.
        month = end.month + 6
        year, month = end.year + (month - 1) // 12, (month - 1) % 12 + 1
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return after - dt.timedelta(days=1)
    deadline = dt.date(end.year, 9, 30)
    return deadline if deadline > end else dt.date(end.year + 1, 9, 30)


def recipients() -> list[str]:
    """Everyone active who prepares self-assessments (the complaints managers)."""
    users = get_user_model().objects.filter(
        is_active=True,
        groups__permissions__codename="prepare_selfassessment",
        groups__permissions__content_type__app_label="selfassessment",
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the complaints managers when the last complete reporting year's deadline is 30
    or 7 days away (or closer) and its self-assessment is not approved; how many emails were
    sent (0 or 1)."""
    today = today or clock.today()
    year = get_organisation().reporting_year_of(today) - 1
    deadline = submission_deadline(year)
    days_left = (deadline - today).days
    crossed = [days for days in REMINDER_DAYS if 0 <= days_left <= days]
    if not crossed or latest_approved(reporting_year=year) is not None:
        return 0
    to = recipients()
    if not to:
        return 0
    with transaction.atomic():
        claimed = []
        for days in crossed:
            try:
                with transaction.atomic():
                    DeadlineReminder.objects.create(
                        reporting_year=year, deadline=deadline, days_before=days, recipients=len(to)
                    )
            except IntegrityError:  # sent already, by this job or another worker
                continue
            claimed.append(days)
        if not claimed:
            return 0
        started = SelfAssessment.objects.filter(
            trigger=Trigger.ANNUAL, reporting_year=year
        ).exists()
        where = (
            "It has been started but not yet approved by the governing body."
            if started
            else "It has not been started in PutRight yet."
        )
        label = year_label(year)
        when = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        email_enqueue(
            to=to,
            subject=f"Self-assessment {label}: the Ombudsman's submission is due {when}",
            text=(
                f"The annual submission to the Housing Ombudsman for {label} is due on "
                f"{long_date(deadline)} ({when}).\n\n"
                f"The self-assessment for {label} must be approved by the governing body and "
                f"published with the annual report before it is submitted. {where}\n\n"
                "Open Self-assessments in PutRight to finish it, send it for review and record "
                "the governing body's approval."
            ),
            party=Party.INTERNAL,
        )
    return 1

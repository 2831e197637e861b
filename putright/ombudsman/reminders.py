"""Reminders before the dates the Ombudsman set: orders and requests for information.

Idempotent: a reminder is sent once per item and due date (``reminded_for``), claimed by a
conditional update, so a rerun, a second worker or a retry sends nothing more. A due date
changed later earns a new reminder.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from putright.complaints.models import Party
from putright.core import clock
from putright.core.dates import long_date
from putright.ombudsman.models import InformationRequest, Order
from putright.organisation.selectors import current_calendar
from putright.outbox.services import email_enqueue

# How far ahead of a due date the complaints managers are reminded, in working days.
REMINDER_WORKING_DAYS = 5


def recipients() -> list[str]:
    """Everyone active who records Ombudsman casework (the complaints managers)."""
    users = get_user_model().objects.filter(
        is_active=True,
        groups__permissions__codename="manage_ombudsmancase",
        groups__permissions__content_type__app_label="ombudsman",
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _claim(model, pk: int, due_on: date) -> bool:
    """True once per item and due date, whoever asks."""
    return bool(
        model.objects.filter(pk=pk, due_on=due_on)
        .exclude(reminded_for=due_on)
        .update(reminded_for=due_on)
    )


def reminders_send(*, today: date | None = None) -> int:
    """Email a reminder for every order and request due within ``REMINDER_WORKING_DAYS``
    working days (or overdue) and not done; how many were sent."""
    today = today or clock.today()
    horizon = current_calendar().add(today, REMINDER_WORKING_DAYS)
    to = recipients()
    if not to:
        return 0
    sent = 0
    items = [
        (Order, row, "Ombudsman order", row.what)
        for row in Order.objects.filter(complied_on=None, due_on__lte=horizon)
        .exclude(reminded_for=F("due_on"))
        .select_related("case")
    ] + [
        (InformationRequest, row, "Ombudsman request for information", row.what)
        for row in InformationRequest.objects.filter(provided_on=None, due_on__lte=horizon)
        .exclude(reminded_for=F("due_on"))
        .select_related("case")
    ]
    for model, row, label, what in items:
        with transaction.atomic():
            if not _claim(model, row.pk, row.due_on):
                continue
            when = "was due" if row.due_on < today else "is due"
            email_enqueue(
                to=to,
                subject=f"{label} {when} {long_date(row.due_on)}: {row.case.reference}",
                text=(
                    f"{label} on case {row.case.reference} {when} on {long_date(row.due_on)}.\n\n"
                    f"{what}\n\nRecord it in PutRight when it is done."
                ),
                party=Party.INTERNAL,
            )
            sent += 1
    return sent

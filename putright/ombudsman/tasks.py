"""Background tasks for Ombudsman casework, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.ombudsman.reminders import reminders_send


@task()
def remind_ombudsman_due_dates() -> int:
    """Remind the complaints managers of orders and requests for information coming due (once
    per item and due date); how many reminders were sent. Meant for the daily jobs."""
    return reminders_send()

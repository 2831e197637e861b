"""Background tasks for the self-assessment, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.selfassessment.reminders import deadline_reminders_send


@task()
def remind_selfassessment_deadline() -> int:
    """Remind the complaints managers of the Ombudsman's submission deadline while the year's
    self-assessment is not approved (once per year and threshold); how many emails were sent.
    Meant for the daily jobs."""
    return deadline_reminders_send()

"""Background tasks for promised actions, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.tracking.services import action_reminders_send, actions_update_dues_refresh


@task()
def send_action_reminders() -> int:
    """Bring update due dates up to date with the calendar, then send today's reminders about
    promised actions and resident updates (each once); how many were sent. Meant for
    ``putright.jobs.schedule.DAILY``."""
    actions_update_dues_refresh()
    return action_reminders_send().sent

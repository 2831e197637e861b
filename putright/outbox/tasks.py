"""The outbox's background tasks, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.outbox.services import email_deliver, emails_fail_stalled, emails_retry_due


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email; returns ``sent``, ``retrying``, ``failed`` or ``skipped``."""
    return email_deliver(email_id=email_id)


@task()
def retry_due_emails() -> dict[str, int]:
    """The outbox sweep: re-enqueue due emails whose send task was lost, and move sends a dead
    worker left unfinished to the failed list. Idempotent; cheap enough to run every round."""
    return {"enqueued": emails_retry_due(), "stalled": emails_fail_stalled()}

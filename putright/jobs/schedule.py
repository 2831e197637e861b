"""The periodic jobs PutRight relies on, and claiming each one once a day.

A job is a task. ``enqueue_due`` claims today's run of every job with a ``ScheduledRun`` row
(unique per job and day) and enqueues its task in the same transaction, so two workers, or a
worker and a cron line, never run a job twice for one day, and a job missed while no worker ran
is picked up on the next day the worker runs. Each job itself must be idempotent: running it
again on the same data changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from django.db import IntegrityError, transaction

from putright.complaints.tasks import close_unescalated_complaints, sweep_orphan_documents
from putright.core import clock
from putright.inbound.tasks import anonymise_filed_email
from putright.jobs.models import ScheduledRun
from putright.learning.tasks import snapshot_ended_quarters
from putright.ombudsman.tasks import remind_ombudsman_due_dates
from putright.privacy.tasks import anonymise_past_retention
from putright.selfassessment.tasks import remind_selfassessment_deadline
from putright.tracking.tasks import send_action_reminders

DAILY: Final[Mapping[str, Any]] = {
    # Close stage 1 complaints nobody escalated once the landlord's window has passed.
    "close_unescalated_complaints": close_unescalated_complaints,
    # Remove document files left without a record by an upload that never committed.
    "sweep_orphan_documents": sweep_orphan_documents,
    # Anonymise complaints and residents past their retention period (putright.privacy).
    "anonymise_past_retention": anonymise_past_retention,
    # Remove personal details from emails filed on complaints anonymised above (putright.inbound).
    "anonymise_filed_email": anonymise_filed_email,
    # Keep each ended quarter of the improvement plan as it stood, for the reports.
    "snapshot_ended_quarters": snapshot_ended_quarters,
    # Remind complaints managers of Ombudsman orders and requests coming due (once per date).
    "remind_ombudsman_due_dates": remind_ombudsman_due_dates,
    # Remind owners of promised actions before and after their due dates, and handlers when a
    # resident is due an update on them (putright.tracking; each reminder once).
    "send_action_reminders": send_action_reminders,
    # Remind complaints managers 30 and 7 days before the Ombudsman's submission deadline while
    # the year's self-assessment is not approved (putright.selfassessment; once per threshold).
    "remind_selfassessment_deadline": remind_selfassessment_deadline,
}


def enqueue_due(*, day: date | None = None, jobs: Mapping[str, Any] = DAILY) -> list[str]:
    """Enqueue every job not yet claimed for ``day`` (default today); the names enqueued."""
    day = day or clock.today()
    claimed = set(ScheduledRun.objects.filter(day=day).values_list("job", flat=True))
    enqueued = []
    for name, job in jobs.items():
        if name in claimed:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=name, day=day)
                result = job.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:  # another worker claimed it first
            continue
        enqueued.append(name)
    return enqueued

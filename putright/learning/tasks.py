"""Background tasks for learning, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.learning.services import plan_snapshots_sweep


@task()
def snapshot_ended_quarters() -> int:
    """Keep each ended quarter of every improvement plan as it stood (once per quarter); how
    many snapshots were taken. Meant for ``putright.jobs.schedule.DAILY``."""
    return plan_snapshots_sweep()

"""Background tasks over complaints, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.complaints.services import (
    complaints_close_unescalated_sweep,
    documents_sweep_orphans,
)


@task()
def close_unescalated_complaints() -> int:
    """Close every complaint whose escalation window has passed; returns how many closed."""
    return complaints_close_unescalated_sweep()


@task()
def sweep_orphan_documents() -> int:
    """Delete stored document files no record refers to; returns how many were deleted."""
    return documents_sweep_orphans()

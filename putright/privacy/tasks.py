"""Background tasks over personal data, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.privacy.services import retention_sweep


@task()
def anonymise_past_retention() -> dict[str, int]:
    """Anonymise complaints and residents past their retention period; how many of each."""
    return retention_sweep()

"""Letters' background work, run by the worker (``putright worker``)."""

from __future__ import annotations

from django_tasks import task

from putright.letters import services


@task()
def letter_deliver(letter_id: int) -> int:
    """Render an issued letter's PDF onto the case and queue its email; returns the letter's id."""
    return services.letter_deliver(letter_id=letter_id).pk

"""Shared model bases."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models


class TimeStampedModel(models.Model):
    """When a row was recorded and last changed (not when the thing it describes happened)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EventBase(models.Model):
    """One append-only history entry: who did what, when it happened and when it was recorded.

    ``happened_on`` is the date the step took place in the world (services take it as ``on=``);
    ``recorded_at`` is when PutRight wrote it, so historic imports keep both. ``changes`` holds
    ``{field: [old, new]}`` for every value the step changed. Domain apps subclass this with a
    foreign key to what the history belongs to.
    """

    happened_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_description = models.CharField(
        max_length=120, blank=True, help_text="Who acted when it was not a member of staff."
    )
    action = models.CharField(max_length=60, db_index=True)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["recorded_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("History is append-only: an event is never changed once written")
        super().save(*args, **kwargs)

    @classmethod
    def build(
        cls,
        *,
        acting_user: Any,
        on: date,
        action: str,
        summary: str = "",
        changes: dict | None = None,
        actor_description: str = "",
        **subject: Any,
    ) -> EventBase:
        """One unsaved event (``bulk_create`` many at once; ``write`` saves one).

        ``acting_user`` is a member of staff, ``None`` when PutRight itself acted (a scheduled
        job), or anything else that says who acted (a resident, an import), kept as text.
        """
        if getattr(acting_user, "pk", None) is not None:
            actor = acting_user
        else:
            actor = None
            if not actor_description:
                actor_description = (
                    str(acting_user) if acting_user is not None else "PutRight (no signed-in user)"
                )
        return cls(
            happened_on=on,
            actor=actor,
            actor_description=actor_description[:120],
            action=action,
            summary=summary,
            changes=changes or {},
            **subject,
        )

    @classmethod
    def write(cls, **fields: Any) -> EventBase:
        """Append one event to the history; the only way services write one."""
        event = cls.build(**fields)
        event.save(force_insert=True)
        return event


class Submission(models.Model):
    """A form posted once: its key is a hidden field the form was drawn with, so a double click,
    a resubmit or two tabs sending the same form create one record, not several."""

    key = models.UUIDField(primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return str(self.key)

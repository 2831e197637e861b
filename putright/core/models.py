"""Shared model bases."""

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

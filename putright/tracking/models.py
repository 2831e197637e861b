"""Reminders about promised actions (Code 6.6, 6.17), one row per reminder sent.

A reminder is unique on what it is about, its kind and the date it is for, so the daily job can
run twice, or on two workers, and each reminder still goes once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from putright.core.models import TimeStampedModel


class Reminder(TimeStampedModel):
    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Due soon"
        OVERDUE = "overdue", "Overdue"
        UPDATE_DUE = "update_due", "Update to the resident due"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # An action's reminders name the action; an update reminder names the stage whose actions
    # the resident is to be updated on.
    action = models.ForeignKey(
        "complaints.Action",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    stage = models.ForeignKey(
        "complaints.Stage", on_delete=models.PROTECT, related_name="action_reminders"
    )
    for_date = models.DateField(help_text="The day of the schedule this reminder is for.")
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)
    email = models.ForeignKey(
        "outbox.OutgoingEmail", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "for_date"],
                condition=Q(action__isnull=False),
                name="reminder_once_per_action_kind_date",
            ),
            models.UniqueConstraint(
                fields=["stage", "kind", "for_date"],
                condition=Q(kind="update_due"),
                name="reminder_once_per_stage_update_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="update_due", action__isnull=True)
                | (~Q(kind="update_due") & Q(action__isnull=False)),
                name="reminder_names_action_or_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.for_date.isoformat()}"

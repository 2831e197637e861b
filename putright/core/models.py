"""Shared model bases."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


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


class SecurityEventQuerySet(models.QuerySet):
    """The security log is append-only in the application: no bulk rewrite, no bulk removal."""

    def update(self, **kwargs):
        raise TypeError("The security log is append-only: events are never changed")

    def delete(self):
        raise TypeError("The security log is append-only: events are never deleted")


class SecurityEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Sign-in succeeded"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGNED_OUT = "signed_out", "Signed out"
    ROLES_CHANGED = "roles_changed", "Roles changed"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    SPECIAL_CATEGORY_READ = "special_category_read", "Special category data read"
    CONFIDENTIAL_READ = "confidential_read", "Confidential complaint read"
    EXPORT = "export", "Export"
    SECOND_FACTOR_RESET = "second_factor_reset", "Two-factor authentication reset"


class SecurityEvent(models.Model):
    """One entry in the security log (OWASP ASVS V7): sign-ins, role and password changes, and
    reads of special category data and confidential complaints. Written only through
    ``putright.core.security_log.record``; administrators read it in the Django admin.

    ``subject`` names what the event is about in a few words ("resident R-000123",
    "complaint C-2026-00001", "user x@example.org"): references, never a resident's name.
    """

    Kind = SecurityEventKind

    occurred_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_description = models.CharField(
        max_length=120, blank=True, help_text="Who acted when it was not a signed-in user."
    )
    subject = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["kind", "occurred_at"], name="core_secevent_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SecurityEventKind.values),
                name="core_secevent_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}" if self.subject else self.kind

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The security log is append-only: an event is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The security log is append-only: an event is never deleted")

"""Every email PutRight sends, saved before it goes so a crash or a mail server outage loses none.

A row is written in the transaction of the step that wants the email sent; the worker sends it
afterwards, retrying with back-off, and a row that could not be sent after the last attempt
waits on the "Failed to send" screen until someone sends it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.complaints.models import Complaint, Correspondence, Document, Party
from putright.core.models import TimeStampedModel


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed to send"


class OutgoingEmail(TimeStampedModel):
    """One email to send, or sent. Status changes only through ``putright.outbox.services``."""

    Status = EmailStatus

    to = models.JSONField(help_text="The recipients' addresses, as a list.")
    subject = models.CharField(max_length=255)
    text = models.TextField("plain text body")
    html = models.TextField("HTML body", blank=True)
    attachment = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_emails",
        help_text="A file on the complaint's record sent with the email (a letter's PDF).",
    )
    # Where the email goes on the record once it has been sent.
    complaint = models.ForeignKey(
        Complaint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_emails",
    )
    stage_number = models.PositiveSmallIntegerField(null=True, blank=True)
    party = models.CharField(max_length=20, choices=Party.choices, default=Party.RESIDENT)
    correspondence_summary = models.TextField(blank=True)
    correspondence = models.ForeignKey(
        Correspondence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The complaint's record of this email, written when it was sent.",
    )
    # Kept from the first attempt to the last, so a receiving server can spot a repeat.
    message_id = models.CharField("Message-ID", max_length=255)

    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a send task was last put on the queue: the sweep leaves alone rows whose task is
    # still waiting its turn.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resend_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing email"
        indexes = [
            # The "Failed to send" screen, newest first.
            models.Index(
                fields=["-failed_at", "-id"],
                name="outbox_failed_idx",
                condition=Q(status=EmailStatus.FAILED),
            ),
            # The retry sweep: queued emails whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status=EmailStatus.QUEUED),
            ),
            # The sweep's check for a send the worker never finished.
            models.Index(
                fields=["last_attempt_at"],
                name="outbox_sending_idx",
                condition=Q(status=EmailStatus.SENDING),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(condition=Q(party__in=Party.values), name="outbox_party_valid"),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.FAILED) | Q(failed_at__isnull=False),
                name="outbox_failed_has_failed_at",
            ),
            models.CheckConstraint(
                condition=Q(stage_number__isnull=True) | Q(complaint__isnull=False),
                name="outbox_stage_needs_complaint",
            ),
        ]
        permissions = [
            ("resend_outgoingemail", "Can see emails that failed to send and send them again"),
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.to)}: {self.subject}"

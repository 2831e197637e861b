"""Email as it arrived: each message once (by its Message-ID), with what became of it.

A message naming a complaint is filed on it as incoming correspondence, its attachments kept as
the complaint's documents; any other waits in the triage queue for someone to log it as a new
complaint, file it on a case or dismiss it. ``status`` changes only through the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.core.models import TimeStampedModel


class Source(models.TextChoices):
    IMAP = "imap", "Complaints mailbox"
    WEBHOOK = "webhook", "Email provider"


class MessageStatus(models.TextChoices):
    TRIAGE = "triage", "Awaiting triage"
    FILED = "filed", "Filed on a complaint"
    LOGGED = "logged", "Logged as a new complaint"
    DISMISSED = "dismissed", "Dismissed"


ON_A_COMPLAINT = (MessageStatus.FILED, MessageStatus.LOGGED)


class InboundMessage(TimeStampedModel):
    Source = Source
    Status = MessageStatus

    # RFC 5322 allows a line of up to 998 characters, so a Message-ID may be that long.
    message_id = models.CharField(max_length=998, unique=True)
    received_at = models.DateTimeField(
        help_text="When the landlord's mail server received it (not when the sender says they "
        "sent it): the receipt time of a complaint logged from it (Code 6.2)."
    )
    from_address = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to = models.TextField(blank=True)
    subject = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="The plain text body.")
    html = models.TextField(
        blank=True, help_text="The HTML body as sent: kept for the record, never shown as HTML."
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.TRIAGE
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_messages",
    )
    correspondence = models.ForeignKey(
        "complaints.Correspondence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when PutRight filed it itself, from the reference it carried.",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(blank=True)
    filing_problem = models.TextField(
        blank=True,
        help_text="Why a message naming a complaint could not be filed on it, and so waits "
        "in triage.",
    )

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_triage_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="inbound_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="inbound_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ON_A_COMPLAINT) | Q(complaint__isnull=False),
                name="inbound_filed_has_complaint",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.DISMISSED) | ~Q(dismiss_reason=""),
                name="inbound_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"

    @property
    def sender(self) -> str:
        """``Name <address>``, or whichever of them the message gave."""
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_name or self.from_address or "Unknown sender"


class InboundAttachment(TimeStampedModel):
    """A file that came with a message, stored privately like a complaint's documents. Filing
    the message copies it onto the complaint through the same size and type checks as an
    upload; one those checks refuse stays here, with the reason."""

    message = models.ForeignKey(
        InboundMessage, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="inbound/%Y/%m/", max_length=255)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="As the sender declared it.")
    size = models.PositiveBigIntegerField()
    document = models.ForeignKey(
        "complaints.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The complaint document made from it when the message was filed.",
    )
    refused = models.TextField(
        blank=True, help_text="Why it could not be kept on the complaint's record."
    )

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.name}"

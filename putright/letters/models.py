"""Letters as issued: what went to whom, on which date, and how it was delivered.

A row is written in the same transaction as the step it belongs to (an acknowledgement, an
extension, a refusal, a response) or on its own (an update on actions, a closure letter, a free
letter). It keeps the letter exactly as issued, so a later change to the record or the wording
never changes what the resident was sent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import models

from putright.complaints.models import Complaint, Document
from putright.core.models import TimeStampedModel
from putright.outbox.models import OutgoingEmail


class WordingVersion(models.Model):
    """One version of the letters' wording, as an administrator saved it. Versions are never
    changed or deleted: a change is a new version, and each issued letter names the version it
    was written in. The version in use is the highest number."""

    number = models.PositiveIntegerField(primary_key=True)
    # Every phrase of ``wording.PHRASES`` by key, as saved (a complete set, not the changes).
    texts = models.JSONField()
    note = models.CharField(max_length=300, help_text="What changed and why.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = "letter wording version"

    def __str__(self) -> str:
        return f"Wording version {self.number}"


class Delivery(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"


class IssuedLetter(TimeStampedModel):
    """One letter as it was issued. ``dated`` is the date the Code clock records for its step."""

    Delivery = Delivery

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="letters")
    stage_number = models.PositiveSmallIntegerField(null=True, blank=True)
    type_key = models.CharField(max_length=40)
    heading = models.CharField(max_length=200)
    dated = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The composed letter: sections keyed by element, the recipient and the sender as issued.
    sections = models.JSONField()
    recipient = models.JSONField()
    sender = models.JSONField()
    points = models.JSONField(default=list)
    points_answered = models.JSONField(default=list)
    wording_version = models.ForeignKey(
        WordingVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    # Filled in the background after issue: the PDF kept on the case, and the email if one went.
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    large_print = models.BooleanField(default=False)
    format_note = models.CharField(max_length=200, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.ForeignKey(
        OutgoingEmail, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "dated", "id"]
        indexes = [
            models.Index(fields=["complaint", "dated"], name="letter_complaint_idx"),
            # The "to print and post" list: letters for post not yet recorded as posted.
            models.Index(fields=["delivery", "posted_on", "dated"], name="letter_to_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.type_key} {self.dated.isoformat()}"

    @staticmethod
    def snapshot(value: Any) -> dict:
        """A composed letter's recipient or sender as stored (tuples become lists in JSON)."""
        return asdict(value)

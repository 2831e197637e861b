"""What the retention job has anonymised, so that it never does the same record twice.

The unlock for redacting history, ``privacy_historyunlock``, is not a model: see
``putright.privacy.append_only``.
"""

from __future__ import annotations

from django.db import models


class AnonymisedComplaint(models.Model):
    """A complaint whose personal data the retention job removed, and when."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="anonymised",
    )
    anonymised_on = models.DateField()

    class Meta:
        ordering = ["-anonymised_on", "complaint"]

    def __str__(self) -> str:
        return f"Complaint {self.complaint_id} anonymised {self.anonymised_on.isoformat()}"


class AnonymisedResident(models.Model):
    """A person whose record the retention job anonymised, and when."""

    resident = models.OneToOneField(
        "people.Resident",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="anonymised",
    )
    anonymised_on = models.DateField()

    class Meta:
        ordering = ["-anonymised_on", "resident"]

    def __str__(self) -> str:
        return f"Resident {self.resident_id} anonymised {self.anonymised_on.isoformat()}"

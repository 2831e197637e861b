"""Putting things right: compensation from the offer to the payment (Code 7.1 to 7.4).

A financial remedy issued in a stage's response (``complaints.Remedy``) becomes one
``Compensation`` once its offer is recorded, split by heads of loss. It then moves offered ->
accepted or declined -> approved -> paid, only through ``services``. Money is whole pence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.complaints.models import Complaint, Remedy, Stage
from putright.core.models import TimeStampedModel

# The heads of loss the Ombudsman itemises (distress and inconvenience; time and trouble;
# complaint handling failure) and two a landlord's own policy needs: (field, label).
HEADS_OF_LOSS: tuple[tuple[str, str], ...] = (
    ("distress_pence", "Distress and inconvenience"),
    ("time_trouble_pence", "Time and trouble"),
    ("complaint_handling_pence", "Complaint handling failure"),
    ("costs_pence", "Costs incurred"),
    ("other_pence", "Other"),
)
HEAD_FIELDS = tuple(field for field, _ in HEADS_OF_LOSS)


class Compensation(TimeStampedModel):
    """One financial remedy's money: how it is made up, and where it is in being paid."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    class Ombudsman(models.TextChoices):
        NONE = "none", "Landlord's own offer"
        RECOMMENDED = "recommended", "Recommended by the Ombudsman"
        ORDERED = "ordered", "Ordered by the Ombudsman"

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CHEQUE = "cheque", "Cheque"
        RENT_ARREARS_OFFSET = "rent_arrears_offset", "Offset against rent arrears"
        OTHER = "other", "Other"

    remedy = models.OneToOneField(Remedy, on_delete=models.PROTECT, related_name="compensation")
    # Copied from the remedy so the register filters and counts without joining through it.
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="compensations")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="compensations")
    amount_pence = models.PositiveIntegerField()
    distress_pence = models.PositiveIntegerField(default=0)
    time_trouble_pence = models.PositiveIntegerField(default=0)
    complaint_handling_pence = models.PositiveIntegerField(default=0)
    costs_pence = models.PositiveIntegerField(default=0)
    other_pence = models.PositiveIntegerField(default=0)
    ombudsman = models.CharField(max_length=12, choices=Ombudsman.choices, default=Ombudsman.NONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)

    offered_on = models.DateField()
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True, help_text="Accepted or declined on.")
    decision_note = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    # The Ombudsman's remedies guidance: offset only with the resident's agreement.
    offset_agreed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name_plural = "compensation"
        permissions = [
            ("view_payments_register", "Can see the compensation payments register"),
        ]
        indexes = [
            models.Index(fields=["offered_on", "status"], name="compensation_offered_idx"),
            models.Index(fields=["status", "offered_on"], name="compensation_status_idx"),
            models.Index(fields=["amount_pence"], name="compensation_amount_idx"),
            # The report's payments in a period (issue 22), counted from the index alone.
            models.Index(
                fields=["status", "paid_on", "amount_pence", "ombudsman"],
                name="compensation_paid_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="compensation_positive"),
            models.CheckConstraint(
                condition=Q(
                    amount_pence=F("distress_pence")
                    + F("time_trouble_pence")
                    + F("complaint_handling_pence")
                    + F("costs_pence")
                    + F("other_pence")
                ),
                name="compensation_heads_sum_to_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="compensation_paid_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(method="rent_arrears_offset") | Q(offset_agreed=True),
                name="compensation_offset_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} compensation {self.amount_pence}p {self.status}"

    def heads(self) -> dict[str, int]:
        return {field: getattr(self, field) for field in HEAD_FIELDS}


class BandConfirmation(TimeStampedModel):
    """An administrator's record that a compensation band (``rules.remedy_bands``) was checked
    against the Ombudsman's published guidance. Until then the band shows as unconfirmed."""

    band_key = models.CharField(max_length=20, unique=True)
    confirmed_on = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_checked = models.CharField(
        max_length=300, help_text="The guidance and its revision the band was checked against."
    )

    class Meta:
        ordering = ["band_key"]

    def __str__(self) -> str:
        return f"Band {self.band_key} confirmed {self.confirmed_on.isoformat()}"

"""Housing Ombudsman casework as the landlord sees it (regulatory-spec.md section 4).

A case carries the Ombudsman's reference and links one complaint or several (a wider
investigation). It moves through the Ombudsman's stages only through ``services``, each change
kept as a dated ``StageChange``. Requests for information, findings (one per complaint element),
orders, recommendations, failure orders or notices and the case review hang off it. Every change
writes an ``OmbudsmanEvent``. Dates the Ombudsman sets (an order's "no later than", a request's
due date) are stored as given, never computed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from putright.core.models import EventBase, TimeStampedModel
from putright.rules import malrate


class CaseStage(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    ASSESSMENT = "assessment", "Assessment"
    INVESTIGATION = "investigation", "Investigation"
    DETERMINATION = "determination", "Determination"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    SEVERE_MALADMINISTRATION = malrate.SEVERE_MALADMINISTRATION, "Severe maladministration"
    MALADMINISTRATION = malrate.MALADMINISTRATION, "Maladministration"
    SERVICE_FAILURE = malrate.SERVICE_FAILURE, "Service failure"
    MEDIATION = malrate.MEDIATION, "Mediation"
    REASONABLE_REDRESS = malrate.REASONABLE_REDRESS, "Reasonable redress"
    NO_MALADMINISTRATION = malrate.NO_MALADMINISTRATION, "No maladministration"
    OUTSIDE_JURISDICTION = malrate.OUTSIDE_JURISDICTION, "Outside jurisdiction"
    WITHDRAWN = malrate.WITHDRAWN, "Withdrawn"


class OmbudsmanCase(TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "One complaint"
        WIDER = "wider", "Wider investigation"

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    referred_on = models.DateField()
    stage = models.CharField(max_length=15, choices=CaseStage.choices, default=CaseStage.ENQUIRY)
    stage_since = models.DateField()
    determined_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    complaints = models.ManyToManyField(
        "complaints.Complaint", blank=True, related_name="ombudsman_cases"
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        permissions = [
            ("manage_ombudsmancase", "Can record Ombudsman casework"),
            ("view_ombudsman_summary", "Can see the anonymised Ombudsman summary"),
        ]
        indexes = [
            models.Index(fields=["referred_on", "id"], name="ombcase_referred_idx"),
            models.Index(fields=["stage", "referred_on"], name="ombcase_stage_idx"),
            models.Index(fields=["determined_on"], name="ombcase_determined_idx"),
        ]

    def __str__(self) -> str:
        return f"Ombudsman case {self.reference}"


class StageChange(models.Model):
    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=15, choices=CaseStage.choices)
    on = models.DateField()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} from {self.on.isoformat()}"


class InformationRequest(TimeStampedModel):
    """A request for information or evidence: the due date is the one the Ombudsman set."""

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.PROTECT, related_name="requests")
    what = models.TextField()
    requested_on = models.DateField()
    due_on = models.DateField()
    provided_on = models.DateField(null=True, blank=True)
    # The due date a reminder went out for: one reminder per due date, whatever reruns.
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["provided_on", "due_on"], name="ombrequest_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")), name="ombrequest_due_after"
            ),
        ]

    @property
    def in_time(self) -> bool | None:
        if self.provided_on is None:
            return None
        return self.provided_on <= self.due_on


class Finding(TimeStampedModel):
    """The Ombudsman's finding on one complaint element."""

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.PROTECT, related_name="findings")
    element = models.CharField(max_length=300)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    category = models.ForeignKey(
        "organisation.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ombudsman_findings",
    )

    class Meta:
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["outcome"], name="ombfinding_outcome_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "element"], name="ombfinding_one_per_element")
        ]

    @property
    def is_failure(self) -> bool:
        return self.outcome in malrate.FAILURES


class Order(TimeStampedModel):
    case = models.ForeignKey(OmbudsmanCase, on_delete=models.PROTECT, related_name="orders")
    what = models.TextField()
    due_on = models.DateField(help_text="The date set in the determination.")
    compensation_pence = models.PositiveIntegerField(default=0)
    # The payment in the register, once linked (redress.Compensation with ombudsman "ordered").
    compensation = models.OneToOneField(
        "redress.Compensation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ombudsman_order",
    )
    evidence = models.TextField(blank=True, help_text="Evidence of compliance sent.")
    complied_on = models.DateField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["complied_on", "due_on"], name="omborder_open_idx")]

    @property
    def in_time(self) -> bool | None:
        if self.complied_on is None:
            return None
        return self.complied_on <= self.due_on


class Recommendation(TimeStampedModel):
    case = models.ForeignKey(
        OmbudsmanCase, on_delete=models.PROTECT, related_name="recommendations"
    )
    what = models.TextField()
    accepted = models.BooleanField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was not accepted.")
    decided_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class FailureOrder(TimeStampedModel):
    """A Complaint Handling Failure Order (types 1 to 3) or Notice, with the landlord's answer."""

    class Kind(models.TextChoices):
        ORDER = "chfo", "Complaint Handling Failure Order"
        NOTICE = "chfn", "Complaint Handling Failure Notice"

    class OrderType(models.TextChoices):
        NONE = "", "Not given"
        TYPE_1 = "1", "Type 1"
        TYPE_2 = "2", "Type 2"
        TYPE_3 = "3", "Type 3"

    case = models.ForeignKey(
        OmbudsmanCase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="failure_orders",
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    order_type = models.CharField(max_length=1, choices=OrderType.choices, blank=True)
    issued_on = models.DateField()
    reason = models.TextField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]


class CaseReview(TimeStampedModel):
    """The landlord's own review of a case the Ombudsman found failure in (seed 002, 6.3)."""

    case = models.OneToOneField(OmbudsmanCase, on_delete=models.PROTECT, related_name="review")
    opened_on = models.DateField()
    what_went_wrong = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    lesson = models.ForeignKey(
        "learning.Lesson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ombudsman_reviews",
    )


class OmbudsmanEvent(EventBase):
    """Append-only history of Ombudsman casework: every service writes one."""

    case = models.ForeignKey(
        OmbudsmanCase, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    failure_order = models.ForeignKey(
        FailureOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["case", "recorded_at"], name="ombevent_case_idx")]

"""The Code self-assessment (Code 8.1 to 8.4) and the register of exceptional circumstances
(Code 8.5).

A **self-assessment** is made against one version of the Code (``putright.rules.code``): once a
year for the annual report (8.1 a), and again after a significant restructure, merger or change
of procedure (8.3) or when the Ombudsman asks after an investigation (8.4). It holds one
**answer** per provision of its Code version, in the Ombudsman's five columns: the provision,
its requirement, comply yes or no (blank while drafting), the evidence and the commentary; a
"no" also says what the landlord will do and by when. A new assessment starts from the answers of
the latest earlier one against the same Code version (``carried_from``), so the screen can show
what changed since.

An **exceptional circumstance** is an event (a cyber incident, say) that stops the landlord
complying with some provisions for a time: who was told when, and when compliance is expected
back. While one is running, a plain-language notice appears on the public reports page.

``version`` on each row is the optimistic-concurrency stamp: a save naming an older one is
refused. Every change goes through ``putright.selfassessment.services`` and writes a
``SelfAssessmentEvent``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.core.dates import long_date
from putright.core.models import EventBase, TimeStampedModel
from putright.reporting.periods import year_label
from putright.rules.code import LATEST

EVIDENCE_MAX = 10_000
COMMENTARY_MAX = 5_000
ACTION_MAX = 2_000
PROMPTED_BY_MAX = 2_000
NOTICE_MAX = 2_000


class Trigger(models.TextChoices):
    ANNUAL = "annual", "Annual self-assessment"
    RESTRUCTURE = "restructure", "After a significant restructure or merger"
    PROCEDURE = "procedure", "After a change of procedure"
    OMBUDSMAN = "ombudsman", "After an Ombudsman investigation"


class Status(models.TextChoices):
    """Prepared, reviewed, approved by the governing body (Code 8.2), published. Only a draft's
    answers change; an approved or published one is frozen, and a change to it is a new
    version (``services.assessment_revise``)."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved by the governing body"
    PUBLISHED = "published", "Published"


# Approved by the governing body, whether or not published yet: what the annual report shows.
APPROVED_STATUSES = (Status.APPROVED, Status.PUBLISHED)
MINUTE_MAX = 60
MEMBER_MAX = 150
RESPONSE_MAX = 10_000
REASON_MAX = 2_000


class SelfAssessment(TimeStampedModel):
    """One self-assessment against one version of the Code.

    ``as_at`` is the date the assessment speaks for: the last day of the reporting year for an
    annual one, the date given for any other. It orders assessments, so "the latest earlier one"
    is the one whose ``as_at`` comes last before this one's.
    """

    Trigger = Trigger
    Status = Status

    code_version = models.CharField(max_length=10, default=LATEST)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    reporting_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Annual only: the year it starts in (2025 is 2025-26)."
    )
    as_at = models.DateField(help_text="The date the assessment speaks for.")
    prompted_by = models.TextField(
        blank=True, help_text="What prompted an assessment outside the annual one."
    )
    ombudsman_case = models.ForeignKey(
        "ombudsman.OmbudsmanCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change, so a stale form cannot overwrite one."
    )
    # Versions: an approved assessment is frozen; a change to it is a new version in draft,
    # copying its answers, with the reason (``services.assessment_revise``).
    version_number = models.PositiveSmallIntegerField(default=1)
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    revision_reason = models.TextField(blank=True)
    # Submitted for review by whoever prepared it; reviewed by someone else.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    review_comments = models.TextField(blank=True)
    # The governing body's approval (Code 8.2): its meeting, minute, the Member Responsible for
    # Complaints, and its response, published alongside.
    approved_on = models.DateField(
        null=True, blank=True, help_text="The date of the governing body's meeting."
    )
    approval_minute = models.CharField(max_length=MINUTE_MAX, blank=True)
    responsible_member = models.CharField(
        max_length=MEMBER_MAX, blank=True, help_text="The Member Responsible for Complaints."
    )
    governing_body_response = models.TextField(blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-as_at", "-id"]
        permissions = [
            ("prepare_selfassessment", "Can prepare and change a self-assessment"),
            ("review_selfassessment", "Can review a self-assessment prepared by someone else"),
            (
                "approve_selfassessment",
                "Can record the governing body's approval of a self-assessment and its response",
            ),
        ]
        indexes = [models.Index(fields=["code_version", "as_at"], name="selfassess_code_asat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="selfassess_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="selfassess_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="selfassess_version_positive"),
            # The annual one covers a reporting year; the others a date.
            models.CheckConstraint(
                condition=Q(trigger=Trigger.ANNUAL, reporting_year__isnull=False)
                | (~Q(trigger=Trigger.ANNUAL) & Q(reporting_year__isnull=True)),
                name="selfassess_annual_has_year",
            ),
            # After an Ombudsman investigation: which one, always; otherwise none.
            models.CheckConstraint(
                condition=Q(trigger=Trigger.OMBUDSMAN, ombudsman_case__isnull=False)
                | (~Q(trigger=Trigger.OMBUDSMAN) & Q(ombudsman_case__isnull=True)),
                name="selfassess_ombudsman_has_case",
            ),
            # One annual assessment per year, in as many versions as it is revised.
            models.UniqueConstraint(
                fields=["reporting_year", "version_number"],
                condition=Q(trigger=Trigger.ANNUAL),
                name="selfassess_one_annual_per_year_version",
            ),
            models.CheckConstraint(
                condition=Q(version_number__gte=1), name="selfassess_version_number_positive"
            ),
            # A later version names the one it revises and why; the first names neither.
            models.CheckConstraint(
                condition=Q(version_number=1, revises__isnull=True, revision_reason="")
                | (Q(version_number__gt=1, revises__isnull=False) & ~Q(revision_reason="")),
                name="selfassess_revision_has_reason",
            ),
            # Approved (and so published): the meeting, the member and the response are kept.
            models.CheckConstraint(
                condition=~Q(status__in=APPROVED_STATUSES)
                | (
                    Q(approved_on__isnull=False)
                    & ~Q(responsible_member="")
                    & ~Q(governing_body_response="")
                ),
                name="selfassess_approved_has_approval",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.PUBLISHED, published_on__isnull=False)
                | (~Q(status=Status.PUBLISHED) & Q(published_on__isnull=True)),
                name="selfassess_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.trigger == Trigger.ANNUAL:
            return f"Self-assessment {year_label(self.reporting_year)}"
        return f"Self-assessment as at {long_date(self.as_at)}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_approved(self) -> bool:
        """Approved by the governing body (published or not): frozen."""
        return self.status in APPROVED_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def title_with_version(self) -> str:
        return (
            self.title
            if self.version_number == 1
            else f"{self.title}, version {self.version_number}"
        )


class Comply(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class Answer(TimeStampedModel):
    """The landlord's answer to one provision: the five columns of the Ombudsman's form, and,
    where it does not comply, the action it will take and the date by which."""

    Comply = Comply

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.PROTECT, related_name="answers")
    provision = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField(help_text="The provision's place in the Code.")
    comply = models.CharField(max_length=3, choices=Comply.choices, blank=True)
    evidence = models.TextField(blank=True)
    commentary = models.TextField(blank=True)
    action = models.TextField(blank=True, help_text="What will be done to comply.")
    action_due_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "provision"], name="answer_one_per_provision"
            ),
            models.UniqueConstraint(
                fields=["assessment", "position"], name="answer_one_per_position"
            ),
            models.CheckConstraint(
                condition=Q(comply__in=["", *Comply.values]), name="answer_comply_valid"
            ),
            # "No" says what will be done and by when; otherwise neither is kept.
            models.CheckConstraint(
                condition=(Q(comply=Comply.NO, action_due_on__isnull=False) & ~Q(action=""))
                | (~Q(comply=Comply.NO) & Q(action="", action_due_on__isnull=True)),
                name="answer_no_has_action_and_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="answer_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provision}: {self.comply or 'not answered'}"

    @property
    def is_answered(self) -> bool:
        return bool(self.comply)


class ExceptionalCircumstance(TimeStampedModel):
    """Something that stops the landlord complying with the Code for a time (Code 8.5)."""

    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    code_version = models.CharField(max_length=10, default=LATEST)
    provisions = models.JSONField(
        default=list, blank=True, help_text="The numbers of the provisions it affects."
    )
    started_on = models.DateField()
    residents_informed_on = models.DateField(null=True, blank=True)
    ombudsman_informed_on = models.DateField(null=True, blank=True)
    expected_return_on = models.DateField(help_text="When compliance is expected back.")
    ended_on = models.DateField(null=True, blank=True)
    public_notice = models.TextField(help_text="What the public reports page says while it runs.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-id"]
        permissions = [
            ("manage_exceptionalcircumstance", "Can record exceptional circumstances (Code 8.5)")
        ]
        indexes = [
            models.Index(fields=["ended_on", "started_on"], name="exccirc_running_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="exccirc_title_given"),
            models.CheckConstraint(condition=~Q(public_notice=""), name="exccirc_notice_given"),
            models.CheckConstraint(
                condition=Q(expected_return_on__gte=F("started_on")),
                name="exccirc_return_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="exccirc_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="exccirc_version_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"EC{self.pk:03d}"

    def is_running_on(self, day: date) -> bool:
        """Running from the day it started until the day it ended (that day is back to normal)."""
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class SelfAssessmentEvent(EventBase):
    """Append-only history of self-assessments, their answers and exceptional circumstances."""

    class Action(models.TextChoices):
        STARTED = "assessment_started", "Self-assessment started"
        ANSWERED = "provision_answered", "Provision answered"
        CIRCUMSTANCE_RECORDED = "circumstance_recorded", "Exceptional circumstances recorded"
        CIRCUMSTANCE_CHANGED = "circumstance_changed", "Exceptional circumstances changed"
        SUBMITTED = "assessment_submitted", "Submitted for review"
        RETURNED = "assessment_returned", "Returned to draft by the reviewer"
        REVIEWED = "assessment_reviewed", "Reviewed"
        APPROVED = "assessment_approved", "Approved by the governing body"
        PUBLISHED = "assessment_published", "Published"
        REVISED = "assessment_revised", "New version started"

    assessment = models.ForeignKey(
        SelfAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    provision = models.CharField(max_length=10, blank=True)
    circumstance = models.ForeignKey(
        ExceptionalCircumstance,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    class Meta(EventBase.Meta):
        indexes = [
            models.Index(fields=["assessment", "recorded_at"], name="saevent_assessment_idx"),
            models.Index(fields=["circumstance", "recorded_at"], name="saevent_circumstance_idx"),
        ]

    @property
    def action_label(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:
            return self.action

    def __str__(self) -> str:
        return f"{self.action} {self.happened_on.isoformat()}"


class DeadlineReminder(TimeStampedModel):
    """A reminder of the Ombudsman's submission deadline sent for one reporting year and one
    number of days before it: the unique row is the claim, so a rerun sends nothing more."""

    reporting_year = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-reporting_year", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_year", "days_before"], name="sa_reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{year_label(self.reporting_year)}: {self.days_before} days before"

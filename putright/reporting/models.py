"""Report editions and the year's TP09 survey result.

An **edition** is one version of one report: the annual complaints performance and service
improvement report of a reporting year (Code 8.1), or the board pack of one of its quarters
(Code 9.7). It starts as a draft holding the landlord's words (a foreword and commentary per
section of ``contents.SECTIONS[kind]``) and the governing body's response (Code 8.2); its figures
are worked out from the records each time it is shown. Publishing freezes it: the document as it
then stood (figures after small-group suppression, and the words) is kept as JSON, so the
published report never changes when records change later. A published version is never edited
or deleted; changing a published report means publishing the next version, with a reason.

``revision`` is the optimistic-concurrency stamp: every save of a draft bumps it, and a save that
names an older one is refused, so two managers editing one draft never overwrite each other.

Every change goes through ``putright.reporting.services`` and writes a ``ReportEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.core.models import EventBase, TimeStampedModel

# The kinds of ``reporting.contents`` (not imported: it reads other apps' models).
ANNUAL, QUARTER = "annual", "quarter"
FOREWORD_MAX = 5_000
COMMENTARY_MAX = 5_000
RESPONSE_MAX = 10_000
REASON_MAX = 1_000
METHOD_NOTE_MAX = 2_000


class EditionKind(models.TextChoices):
    ANNUAL = ANNUAL, "Annual complaints performance and service improvement report"
    QUARTER = QUARTER, "Quarterly board report"


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class EditionQuerySet(models.QuerySet):
    def delete(self):
        if self.filter(status=EditionStatus.PUBLISHED).exists():
            raise ValueError("A published report is never deleted")
        return super().delete()


class Edition(TimeStampedModel):
    """One version of a report for one period. ``quarter`` is 0 for the annual report (so one
    unique constraint covers both kinds: NULLs never clash in SQL)."""

    Kind = EditionKind
    Status = EditionStatus

    kind = models.CharField(max_length=10, choices=EditionKind.choices)
    reporting_year = models.PositiveSmallIntegerField(
        help_text="The year the reporting year starts in: 2025 is 2025-26."
    )
    quarter = models.PositiveSmallIntegerField(default=0, help_text="1 to 4; 0 for the year.")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    reason = models.TextField(
        blank=True, help_text="Why this version replaces the one before (version 2 onwards)."
    )
    revision = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change, so a stale form cannot overwrite one."
    )

    # The landlord's words.
    foreword = models.TextField(blank=True)
    commentary = models.JSONField(default=dict, blank=True, help_text="Section key -> text.")

    # The governing body's response (Code 8.2), published alongside the report.
    response = models.TextField("governing body's response", blank=True)
    response_meeting_on = models.DateField("date of the meeting", null=True, blank=True)
    response_minute = models.CharField("minute reference", max_length=60, blank=True)
    response_member = models.CharField(
        "Member Responsible for Complaints", max_length=150, blank=True
    )
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Set once, on publishing.
    document = models.JSONField(null=True, blank=True, help_text="The frozen report.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The small-group threshold the frozen figures used."
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-reporting_year", "kind", "-quarter", "-version"]
        permissions = [
            ("publish_edition", "Can publish a report"),
            ("record_governing_body_response", "Can record the governing body's response"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ANNUAL, quarter=0)
                | Q(kind=QUARTER, quarter__gte=1, quarter__lte=4),
                name="edition_kind_quarter_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values), name="edition_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="edition_version_positive"),
            models.UniqueConstraint(
                fields=["kind", "reporting_year", "quarter", "version"],
                name="edition_version_unique",
            ),
            # One draft at a time per report: two would be two truths in the making.
            models.UniqueConstraint(
                fields=["kind", "reporting_year", "quarter"],
                condition=Q(status=EditionStatus.DRAFT),
                name="edition_one_draft",
            ),
            # A later version says why it replaces the one before.
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="edition_new_version_has_reason"
            ),
            # Published means frozen, by someone, at a time; a draft holds no frozen copy.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=EditionStatus.PUBLISHED,
                        document__isnull=False,
                        published_at__isnull=False,
                        published_by__isnull=False,
                    )
                    | Q(
                        status=EditionStatus.DRAFT,
                        document__isnull=True,
                        published_at__isnull=True,
                    )
                ),
                name="edition_published_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    @property
    def period_label(self) -> str:
        from putright.reporting.periods import year_label

        label = year_label(self.reporting_year)
        return f"{label} Q{self.quarter}" if self.quarter else label

    @property
    def part(self) -> str:
        """The report within its year, as its public address names it: "annual", "q1" to "q4"."""
        return f"q{self.quarter}" if self.quarter else ANNUAL

    @property
    def title(self) -> str:
        if self.kind == ANNUAL:
            return f"Annual complaints report {self.period_label}"
        return f"Board report {self.period_label}"

    def delete(self, *args, **kwargs):
        if self.status == EditionStatus.PUBLISHED:
            raise ValueError("A published report is never deleted")
        return super().delete(*args, **kwargs)


class PerceptionSurveyResult(TimeStampedModel):
    """TSM TP09, "satisfaction with the landlord's approach to handling complaints", from the
    year's tenant perception survey: respondents satisfied (very or fairly) out of those asked it,
    separately for LCRA and LCHO as the regulator publishes perception measures. Entered by a
    complaints manager from the survey provider's results; PutRight does not run the survey."""

    reporting_year = models.PositiveSmallIntegerField(unique=True)
    lcra_satisfied = models.PositiveIntegerField("LCRA respondents satisfied", default=0)
    lcra_respondents = models.PositiveIntegerField("LCRA respondents", default=0)
    lcho_satisfied = models.PositiveIntegerField("LCHO respondents satisfied", default=0)
    lcho_respondents = models.PositiveIntegerField("LCHO respondents", default=0)
    method_note = models.TextField(
        "how the survey was carried out",
        help_text="Who carried it out, how (phone, post, online), when, and the sample.",
    )
    revision = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reporting_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lcra_satisfied__lte=models.F("lcra_respondents")),
                name="tp09_lcra_satisfied_within_respondents",
            ),
            models.CheckConstraint(
                condition=Q(lcho_satisfied__lte=models.F("lcho_respondents")),
                name="tp09_lcho_satisfied_within_respondents",
            ),
            models.CheckConstraint(condition=~Q(method_note=""), name="tp09_method_note_given"),
        ]

    def __str__(self) -> str:
        return f"TP09 {self.reporting_year}"


class ReportEvent(EventBase):
    """Append-only history of report editions and TP09 results."""

    class Action(models.TextChoices):
        STARTED = "edition_started", "Draft started"
        WORDS_SAVED = "words_saved", "Foreword and commentary saved"
        RESPONSE_RECORDED = "response_recorded", "Governing body's response recorded"
        PUBLISHED = "edition_published", "Published"
        TP09_RECORDED = "tp09_recorded", "TP09 survey result entered"

    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    survey_result = models.ForeignKey(
        PerceptionSurveyResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    class Meta(EventBase.Meta):
        indexes = [models.Index(fields=["edition", "recorded_at"], name="reportevent_edition_idx")]

    @property
    def action_label(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:
            return self.action

    def __str__(self) -> str:
        return f"{self.action} {self.happened_on.isoformat()}"

"""Learning from complaints (Code section 9): lessons learned, and the service improvement plan.

A **lesson** is recorded from one complaint or several (later also from an Ombudsman
determination), with its root cause from the complaints' own list, so themes can be counted
across categories and business areas. The **improvement plan** is one per financial year: goals,
each with actions that carry a lead, a due date, a percentage complete and a RAG status. An
action's current values are always its latest progress update's; a quarterly snapshot keeps
every action's values at a quarter's end for the board's reports.

Every change goes through ``putright.learning.services`` and writes a ``LearningEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.complaints.models import RootCause
from putright.core.models import EventBase, TimeStampedModel


class LessonStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    IN_PROGRESS = "in_progress", "In progress"
    EMBEDDED = "embedded", "Embedded"


class Lesson(TimeStampedModel):
    """What a complaint (or a group of them) taught the landlord, and the change it led to.

    The register is read by the board and residents' panels (Code 9.3), so the text fields are
    about the service, never about a resident: the complaints are linked, not described.
    """

    Status = LessonStatus

    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    root_cause = models.CharField(max_length=30, choices=RootCause.choices)
    learning = models.TextField(help_text="What the landlord has learned.")
    change_made = models.TextField(blank=True, help_text="The change made to the service.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_lessons"
    )
    status = models.CharField(
        max_length=20, choices=LessonStatus.choices, default=LessonStatus.IDENTIFIED
    )
    identified_on = models.DateField()
    done_on = models.DateField(null=True, blank=True, help_text="When the change was embedded.")
    category = models.ForeignKey(
        "organisation.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    business_area = models.ForeignKey(
        "organisation.BusinessArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    complaints = models.ManyToManyField("complaints.Complaint", blank=True, related_name="lessons")
    # Lessons from an Ombudsman determination (Code 9, and the Ombudsman's orders to review
    # practice): the Ombudsman casework app will add a nullable foreign key here, beside
    # ``complaints``; no model exists for determinations yet.

    class Meta:
        ordering = ["-identified_on", "-id"]
        indexes = [
            models.Index(fields=["status", "identified_on"], name="lesson_status_idx"),
            models.Index(fields=["identified_on"], name="lesson_identified_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LessonStatus.values), name="lesson_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(root_cause__in=RootCause.values), name="lesson_root_cause_valid"
            ),
            # Done means a change was made on a date; anything short of done has no date done.
            models.CheckConstraint(
                condition=(
                    Q(status=LessonStatus.EMBEDDED, done_on__isnull=False)
                    & ~Q(change_made="")
                    & Q(done_on__gte=F("identified_on"))
                )
                | (~Q(status=LessonStatus.EMBEDDED) & Q(done_on__isnull=True)),
                name="lesson_done_has_change_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"L{self.pk:04d}"


class ImprovementPlan(TimeStampedModel):
    """The service improvement plan for one financial year (``year`` is the year it starts:
    2025 is 1 April 2025 to 31 March 2026)."""

    year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        permissions = [("manage_improvementplan", "Can change the improvement plan")]

    def __str__(self) -> str:
        return self.title or f"Service improvement plan {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.year} to {self.year + 1}"


class Goal(TimeStampedModel):
    """A goal of the plan ("People", "Systems", "Processes"), numbered within it."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="goals")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_number_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"Goal {self.number}: {self.title}"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


NEEDS_REASON = (Rag.RED, Rag.AMBER)


def _rag_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The same rules for an action's current values and for each update that set them."""
    return [
        models.CheckConstraint(
            condition=Q(percent_complete__gte=0, percent_complete__lte=100),
            name=f"{prefix}_percent_range",
        ),
        models.CheckConstraint(condition=Q(rag__in=Rag.values), name=f"{prefix}_rag_valid"),
        models.CheckConstraint(
            condition=~Q(rag__in=NEEDS_REASON) | ~Q(rag_reason=""),
            name=f"{prefix}_red_amber_reason",
        ),
        models.CheckConstraint(
            condition=~Q(rag=Rag.COMPLETE) | Q(percent_complete=100),
            name=f"{prefix}_complete_is_100",
        ),
    ]


class PlanAction(TimeStampedModel):
    """One action towards a goal. ``percent_complete``, ``rag``, ``rag_reason`` and
    ``progress_on`` are copies of the latest ``ActionUpdate``, kept so the plan page and the
    RAG counts read one table."""

    Rag = Rag

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField()
    description = models.TextField()
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions"
    )
    due_on = models.DateField()
    percent_complete = models.PositiveSmallIntegerField(default=0)
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.TextField(blank=True)
    progress_on = models.DateField(help_text="The date of the latest progress update.")
    lessons = models.ManyToManyField(Lesson, blank=True, related_name="plan_actions")

    class Meta:
        ordering = ["goal__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="action_number_unique_in_goal"),
            *_rag_constraints("planaction"),
        ]

    def __str__(self) -> str:
        return f"Action {self.number}"


class ActionUpdate(models.Model):
    """A dated progress update on an action: who, when, how far along, its RAG and a note.
    Append-only; the first is written when the action is added."""

    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="updates")
    happened_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    percent_complete = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    rag_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["happened_on", "id"]
        indexes = [models.Index(fields=["action", "happened_on"], name="actionupdate_action_idx")]
        constraints = _rag_constraints("actionupdate")

    def __str__(self) -> str:
        return f"{self.action_id} {self.happened_on.isoformat()} {self.percent_complete}%"


class QuarterSnapshot(models.Model):
    """Every action's values at the end of one quarter of the plan's year, stored once."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="snapshots")
    quarter = models.PositiveSmallIntegerField()
    quarter_end = models.DateField()
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "quarter"]
        constraints = [
            # One snapshot per quarter: taking it again returns the one already stored.
            models.UniqueConstraint(fields=["plan", "quarter"], name="snapshot_one_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="snapshot_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} Q{self.quarter}"


class SnapshotRow(models.Model):
    """One action as it stood at the quarter's end (its wording copied, as the board read it)."""

    snapshot = models.ForeignKey(QuarterSnapshot, on_delete=models.CASCADE, related_name="rows")
    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="+")
    goal_number = models.PositiveSmallIntegerField()
    goal_title = models.CharField(max_length=200)
    action_number = models.PositiveSmallIntegerField()
    description = models.TextField()
    lead_name = models.CharField(max_length=200)
    due_on = models.DateField()
    percent_complete = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    rag_reason = models.TextField(blank=True)
    progress_on = models.DateField()

    class Meta:
        ordering = ["goal_number", "action_number"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "action"], name="snapshot_row_unique"),
            *_rag_constraints("snapshotrow"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_number}.{self.action_number} {self.percent_complete}% {self.rag}"


class LearningEvent(EventBase):
    """Append-only history of lessons and the plan: every learning service writes one."""

    class Action(models.TextChoices):
        LESSON_RECORDED = "lesson_recorded", "Lesson recorded"
        LESSON_UPDATED = "lesson_updated", "Lesson updated"
        PLAN_CREATED = "plan_created", "Improvement plan created"
        GOAL_ADDED = "goal_added", "Goal added"
        ACTION_ADDED = "action_added", "Action added"
        ACTION_CHANGED = "action_changed", "Action changed"
        PROGRESS_UPDATED = "progress_updated", "Progress updated"
        SNAPSHOT_TAKEN = "snapshot_taken", "Quarterly snapshot taken"

    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    plan = models.ForeignKey(
        ImprovementPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    plan_action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta(EventBase.Meta):
        indexes = [
            models.Index(fields=["lesson", "recorded_at"], name="learningevent_lesson_idx"),
            models.Index(fields=["plan", "recorded_at"], name="learningevent_plan_idx"),
        ]

    @property
    def action_label(self) -> str:
        """What happened, in words ("Lesson recorded"); the stored code for an unknown one."""
        try:
            return self.Action(self.action).label
        except ValueError:
            return self.action

    def __str__(self) -> str:
        return f"{self.action} {self.happened_on.isoformat()}"

"""Complaints, their (at most two) stages, and the append-only case history.

Due dates are stored on the stage because queues sort and filter on them; they are recomputed
through ``services.stage_deadlines_recompute`` when the calendar changes. Whether each Code
timescale was met is stored when the step happens, so reports count facts rather than recompute
history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.core.models import EventBase, TimeStampedModel
from putright.people.models import Tenure


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB_FORM = "web_form", "Web form"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    SOCIAL_MEDIA = "social_media", "Social media"
    MP_OR_COUNCILLOR = "mp_or_councillor", "Via MP or councillor"
    SURVEY_FOLLOW_UP = "survey_follow_up", "Via survey follow-up"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    STAGE1_OPEN = "stage1_open", "Stage 1 open"
    STAGE1_RESPONDED = "stage1_responded", "Stage 1 responded"
    STAGE2_OPEN = "stage2_open", "Stage 2 open"
    STAGE2_RESPONDED = "stage2_responded", "Stage 2 responded"
    CLOSED = "closed", "Closed"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    ESCALATION_REFUSED = "escalation_refused", "Escalation refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ClosureReason(models.TextChoices):
    NOT_ESCALATED = "not_escalated", "Escalation window passed"
    DUPLICATE = "duplicate", "Duplicate of another complaint"


class Complexity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Risk(models.TextChoices):
    NONE = "none", "None"
    SOME = "some", "Some"
    HIGH = "high", "High"


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class RootCause(models.TextChoices):
    DELAY = "delay", "Delay"
    FAILURE_TO_ACT = "failure_to_act", "Failure to act"
    QUALITY_OF_WORK = "quality_of_work", "Quality of work"
    COMMUNICATION = "communication", "Communication"
    STAFF_CONDUCT = "staff_conduct", "Staff conduct"
    POLICY = "policy", "Policy"
    OTHER = "other", "Other"


class DueKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    RESPONSE = "response", "Response"


class RemedyKind(models.TextChoices):
    """The remedies of Code 7.1, in its order, then two kept for records made before it was
    followed in full ("repair" is now an action on delay or an outstanding action)."""

    APOLOGY = "apology", "Apology"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledging what went wrong"
    EXPLANATION = "explanation", "Explanation, assistance or reasons"
    ACTION_ON_DELAY = "action_on_delay", "Action on delay"
    RECONSIDER_DECISION = "reconsider_decision", "Reconsidering or changing a decision"
    RECORD_AMENDED = "record_amended", "Amending a record or adding a correction"
    COMPENSATION = "compensation", "Financial remedy"
    SERVICE_CHANGE = "service_change", "Changing policies, procedures or practices"
    REPAIR = "repair", "Repair or works"
    OTHER = "other", "Other"


class ResidentAgreed(models.TextChoices):
    """Whether the resident agreed what a remedy will do and by when (Code 7.3)."""

    UNKNOWN = "unknown", "Not known yet"
    YES = "yes", "Yes"
    NO = "no", "No"


class ReferenceCounter(models.Model):
    """The last complaint number given out in a year of receipt (row-locked while allocating)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(TimeStampedModel):
    """One complaint, from receipt to its end. ``status`` changes only through services."""

    Channel = Channel
    Status = Status

    reference = models.CharField(max_length=12, unique=True, editable=False)
    complainant = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="complaints"
    )
    property = models.ForeignKey(
        "people.Property",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    tenure_at_receipt = models.CharField(
        max_length=30,
        choices=Tenure.choices,
        blank=True,
        help_text="How the home was held when the complaint arrived (TSM splits need it).",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(help_text="When anyone at the landlord first received it.")
    received_on = models.DateField(help_text="received_at as a date in Europe/London.")
    logged_at = models.DateTimeField(help_text="When it was entered into PutRight.")
    category = models.ForeignKey(
        "organisation.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    sub_category = models.ForeignKey(
        "organisation.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_category_complaints",
    )
    is_vulnerable = models.BooleanField(default=False)
    is_confidential = models.BooleanField(default=False)
    description = models.TextField(help_text="The complaint in the resident's own words.")
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Name, address and words to find it by, full-text indexed (complaints.search).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        help_text="The complaint this one repeats; set only through complaint_mark_duplicate.",
    )
    issue_date = models.DateField(
        null=True, blank=True, help_text="When the issue complained about happened (Code 2.3)."
    )
    aware_date = models.DateField(
        null=True, blank=True, help_text="When the resident became aware of the issue."
    )
    outside_time_limit = models.BooleanField(
        default=False, help_text="Raised more than the age limit after the issue or awareness."
    )
    discretion_note = models.TextField(
        blank=True, help_text="Why a complaint outside the age limit was accepted anyway."
    )
    representative = models.ForeignKey(
        "people.Representative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text="Someone acting for the complainant, if anyone.",
    )
    business_area = models.ForeignKey(
        "organisation.BusinessArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    service_request_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The service request the complaint grew from; it stays open (Code 1.5).",
    )
    received_by = models.CharField(
        max_length=200, blank=True, help_text="Who first received the complaint (Code 3.2)."
    )
    co_complainants = models.ManyToManyField(
        "people.Resident",
        blank=True,
        related_name="group_complaints",
        help_text="Other residents making the same complaint together.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change, so a stale form cannot overwrite one."
    )
    # Where the complaint stands now, copied from its latest stage by every service (``_finish``)
    # so that queues filter and sort one indexed table instead of joining stages per row.
    stage_number = models.PositiveSmallIntegerField(default=1)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
        help_text="The current stage's handler.",
    )
    next_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="The open stage's next Code deadline: acknowledgement, then response.",
    )
    next_due_kind = models.CharField(max_length=20, choices=DueKind.choices, blank=True)
    is_extended = models.BooleanField(default=False)
    is_breached = models.BooleanField(
        default=False, help_text="A Code timescale was missed at some stage (stored facts only)."
    )
    awaiting_sign_off = models.BooleanField(
        default=False, help_text="A response draft waits for its quality check."
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status"], name="complaint_status_idx"),
            # Queues sorted by date received (closed, with the Ombudsman): the index gives the
            # order and holds what each row is checked for (status, visibility), so a page, even
            # page 200, is picked from the index without reading a complaint row.
            models.Index(
                fields=["received_on", "id", "status", "is_confidential", "handler"],
                name="complaint_received_cover_idx",
            ),
            models.Index(fields=["next_due_on", "id"], name="complaint_next_due_idx"),
            models.Index(fields=["status", "next_due_on"], name="complaint_status_due_idx"),
            models.Index(fields=["handler", "next_due_on"], name="complaint_handler_due_idx"),
            models.Index(fields=["stage_number", "next_due_on"], name="complaint_stage_due_idx"),
            models.Index(fields=["category", "next_due_on"], name="complaint_category_due_idx"),
            models.Index(
                fields=["next_due_on"],
                name="complaint_sign_off_due_idx",
                condition=Q(awaiting_sign_off=True),
            ),
            models.Index(
                fields=["next_due_on"],
                name="complaint_unallocated_due_idx",
                condition=Q(handler__isnull=True),
            ),
            # Counts answered from an index alone, with the visibility filter (is_confidential,
            # handler) inside it, so no count reads the table row by row:
            # a handler's own cases and their deadlines (home page, "My cases"),
            models.Index(
                fields=["handler", "status", "next_due_on", "is_confidential"],
                name="complaint_handler_work_idx",
            ),
            # the open complaints only (a next deadline is set exactly while one is open):
            # overdue and due-soon counts and each handler's workload, which stay the size of
            # the live caseload however many closed complaints the table holds. It also holds
            # every column a queue of open complaints is filtered or sorted by, so a filtered
            # count, or a page sorted by date received or reference, reads the index alone,
            models.Index(
                fields=[
                    "next_due_on",
                    "handler",
                    "is_confidential",
                    "received_on",
                    "reference",
                    "stage_number",
                    "status",
                    "is_breached",
                    "channel",
                    "category",
                    "tenure_at_receipt",
                    "is_vulnerable",
                ],
                name="complaint_open_work_idx",
                condition=Q(next_due_on__isnull=False),
            ),
            # and a whole status (closed, with the Ombudsman) as a handler may see it.
            models.Index(
                fields=["status", "is_confidential", "handler"],
                name="complaint_status_visible_idx",
            ),
            # What the report counts a period's stages by (issue 22), reached from each stage by
            # the complaint's id: whether a refusal stands or it was withdrawn, tenure at receipt
            # (TSMs), channel, category, business area and complainant (equality profile). The
            # index holds them all, so joining a year's stages to their complaints reads the
            # index, not the wide rows with the description and search text.
            models.Index(
                fields=[
                    "id",
                    "status",
                    "tenure_at_receipt",
                    "channel",
                    "category",
                    "business_area",
                    "complainant",
                ],
                name="complaint_report_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="complaint_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="complaint_channel_valid"
            ),
        ]
        permissions = [
            ("handle_complaint", "Can handle complaints"),
            ("sign_off_response", "Can sign off a complaint response"),
            ("allocate_complaint", "Can allocate complaints to handlers"),
            ("act_on_any_complaint", "Can take steps on complaints allocated to colleagues"),
            ("view_confidential", "Can see confidential complaints"),
            ("reverse_refusal", "Can reverse a refusal to accept or escalate"),
            ("view_reports", "Can see complaint reports"),
        ]

    def __str__(self) -> str:
        return self.reference


def _copied_reference(to: str) -> models.ForeignKey:
    """A stage's copy of one of its complaint's references: read only by the report, through
    the stage's covering indexes, so it needs no index of its own."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )


class Stage(TimeStampedModel):
    """Stage 1 or stage 2 of a complaint, with its stored due dates and Code compliance flags."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField()
    received_on = models.DateField(
        help_text="Stage 1: the complaint's receipt. Stage 2: the escalation request."
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_stages",
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement_due = models.DateField()
    response_due = models.DateField(
        null=True, blank=True, help_text="Counted from the actual acknowledgement."
    )
    response_due_if_acknowledged_on_time = models.DateField(
        null=True,
        blank=True,
        help_text="Counted from the earlier of the acknowledgement and its due date.",
    )
    extended_due = models.DateField(null=True, blank=True)
    extension_cap = models.DateField(
        null=True, blank=True, help_text="Furthest extensions may reach without a good reason."
    )
    responded_on = models.DateField(null=True, blank=True)
    ack_within_code = models.BooleanField(null=True, blank=True)
    response_within_code = models.BooleanField(null=True, blank=True)
    response_within_extension = models.BooleanField(null=True, blank=True)
    not_responsible_for = models.TextField(
        blank=True, help_text="What the landlord is not responsible for (Code 5.7)."
    )
    complexity = models.CharField(max_length=10, choices=Complexity.choices, blank=True)
    risk = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    vulnerability_note = models.TextField(
        blank=True, help_text="How the resident's circumstances were considered (Code 6.1)."
    )
    outcome = models.CharField(
        max_length=20,
        choices=Finding.choices,
        blank=True,
        help_text="Derived from the decisions on each point when the response is recorded.",
    )
    # How many of the response's points were given each finding: stored with the response, as
    # ``outcome`` is, so a year's point outcomes are counted from the stages (the report's
    # covering index) instead of reading every point and decision of the year's responses.
    points_upheld = models.PositiveSmallIntegerField(null=True, blank=True)
    points_partly_upheld = models.PositiveSmallIntegerField(null=True, blank=True)
    points_not_upheld = models.PositiveSmallIntegerField(null=True, blank=True)
    root_causes = models.JSONField(default=list, blank=True)
    draft = models.JSONField(
        default=dict,
        blank=True,
        help_text="The response as drafted for its quality check; issued by stage_respond.",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_on = models.DateField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    update_interval_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Agreed working days between updates while the response is late (Code 5.9).",
    )
    update_interval_agreed_on = models.DateField(null=True, blank=True)
    # Updates to the resident on the actions the response promised (Code 6.6, 6.17).
    actions_update_interval_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Agreed working days between updates on outstanding actions; blank: the "
        "organisation's default (PUTRIGHT_ACTIONS_UPDATE_INTERVAL_DAYS).",
    )
    actions_updated_on = models.DateField(
        null=True, blank=True, help_text="Date of the last update letter on the actions."
    )
    actions_update_due = models.DateField(
        null=True,
        blank=True,
        help_text="When the next update on the actions is due: the last update (or the "
        "response) plus the interval. Kept by putright.tracking.",
    )
    # Copies of the complaint's facts the report counts stages by, so a year's figures are
    # counted from the stage table alone, never joined to its complaints (decision 22). The
    # first five never change once logged and are copied when the stage opens; the status is
    # kept in step by ``services._common._finish``, which every complaint step ends with.
    complaint_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    complaint_tenure = models.CharField(max_length=30, choices=Tenure.choices, blank=True)
    complaint_channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    complaint_category = _copied_reference("organisation.Category")
    complaint_business_area = _copied_reference("organisation.BusinessArea")
    complainant = _copied_reference("people.Resident")

    class Meta:
        ordering = ["complaint", "number"]
        indexes = [
            models.Index(fields=["response_due"], name="stage_response_due_idx"),
            models.Index(fields=["acknowledgement_due"], name="stage_ack_due_idx"),
            models.Index(fields=["handler", "response_due"], name="stage_handler_due_idx"),
            # The report's period filters (issue 22), each holding every column its figures
            # read, so a year's figures are counted from the index without reading a stage row:
            # responses issued in a period (timeliness, outcomes and point outcomes, CH02, days to
            # respond, and this month's breaches) by the complaint's tenure, category and area;
            # the date received third, so the pairs of dates for the days to respond come in
            # the index's order and are counted without sorting a year's responses,
            models.Index(
                fields=[
                    "responded_on",
                    "number",
                    "received_on",
                    "complaint",
                    "outcome",
                    "response_within_code",
                    "response_within_extension",
                    "extended_due",
                    "points_upheld",
                    "points_partly_upheld",
                    "points_not_upheld",
                    "complaint_tenure",
                    "complaint_category",
                    "complaint_business_area",
                ],
                name="stage_responded_cover_idx",
            ),
            # stages received in a period at one stage (CH01, channels, categories, months,
            # withdrawals, the complainants' equality profile),
            models.Index(
                fields=[
                    "number",
                    "received_on",
                    "complaint_status",
                    "complaint_tenure",
                    "complaint_channel",
                    "complaint_category",
                    "complainant",
                    "complaint",
                ],
                name="stage_received_cover_idx",
            ),
            # the root causes found by the responses in a period (a short list each),
            models.Index(fields=["responded_on", "root_causes"], name="stage_root_causes_idx"),
            # and stages acknowledged in a period at one stage, with whether on time.
            models.Index(
                fields=["number", "acknowledged_on", "ack_within_code"], name="stage_ack_cover_idx"
            ),
            models.Index(fields=["extended_due"], name="stage_extended_due_idx"),
            models.Index(fields=["actions_update_due"], name="stage_actions_update_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(number__in=(1, 2)), name="stage_number_1_or_2"),
            models.UniqueConstraint(fields=["complaint", "number"], name="stage_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} stage {self.number}"

    @property
    def current_due(self):
        """The date the response is due now: the latest extension, else the original date."""
        return self.extended_due or self.response_due


class Point(TimeStampedModel):
    """One point of complaint at a stage, with the outcome the resident seeks (Code 5.6)."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="points")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField()
    outcome_sought = models.TextField()
    added_on = models.DateField()
    added_after_acknowledgement = models.BooleanField(default=False)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "number"], name="point_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} point {self.number}"


class Decision(TimeStampedModel):
    """The finding on one point of complaint, with its reasons (Code 6.7)."""

    Finding = Finding

    point = models.OneToOneField(Point, on_delete=models.PROTECT, related_name="decision")
    finding = models.CharField(max_length=20, choices=Finding.choices)
    reasons = models.TextField()

    class Meta:
        ordering = ["point"]
        indexes = [
            # The findings on the points of a period's responses (the report's point outcomes),
            # counted from the index without reading the reasons.
            models.Index(fields=["point", "finding"], name="decision_point_finding_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__in=Finding.values), name="decision_finding_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point}: {self.finding}"


class Extension(TimeStampedModel):
    """One extension of a stage's response date; a stage may have several inside the cap."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="extensions")
    notice_on = models.DateField(help_text="When the resident was told.")
    previous_due = models.DateField()
    new_due = models.DateField()
    reason = models.TextField()
    good_reason = models.TextField(
        blank=True, help_text="Why the extension goes past the Code's cap, if it does."
    )
    ombudsman_details_given = models.BooleanField()
    voided_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the stage started again (a reversed refusal): the extension no longer "
        "applies, but stays on the record.",
    )

    class Meta:
        ordering = ["stage", "new_due", "id"]

    def __str__(self) -> str:
        return f"{self.stage} extended to {self.new_due.isoformat()}"


class Refusal(TimeStampedModel):
    """A decision not to accept a complaint (Code 2.1-2.5) or to refuse an escalation (5.11).

    Made for one complaint at a time (no bulk refusals, Code 2.5). A review or the Ombudsman may
    overturn it (Code 2.4); the reversal is recorded here and the decision itself stays.
    """

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", "Not accepted"
        ESCALATION = "escalation", "Escalation refused"

    class ReversalBasis(models.TextChoices):
        REVIEW = "review", "Landlord's own review"
        OMBUDSMAN = "ombudsman", "Housing Ombudsman instruction"

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="refusals")
    stage_number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.ForeignKey(
        "organisation.ExclusionReason", on_delete=models.PROTECT, related_name="refusals"
    )
    explanation = models.TextField(help_text="Why the reason applies to this complaint.")
    evidence = models.TextField()
    evidence_date = models.DateField(null=True, blank=True)
    resident_told_on = models.DateField()
    ombudsman_rights_given = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    reversed_on = models.DateField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversal_basis = models.CharField(max_length=10, choices=ReversalBasis.choices, blank=True)
    reversal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["complaint", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["acceptance", "escalation"]), name="refusal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(reversed_on__isnull=True) | ~Q(reversal_basis=""),
                name="refusal_reversal_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.decided_on.isoformat()}"


class ComplaintEvent(EventBase):
    """Append-only history of a complaint: every service writes one."""

    class Action(models.TextChoices):
        LOGGED = "logged", "Complaint logged"
        ACKNOWLEDGED = "acknowledged", "Stage acknowledged"
        ALLOCATED = "allocated", "Handler allocated"
        EXTENDED = "extended", "Response date extended"
        RESPONDED = "responded", "Stage responded"
        ESCALATED = "escalated", "Escalated to stage 2"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DEADLINES_RECOMPUTED = "deadlines_recomputed", "Due dates recomputed"
        NOT_ACCEPTED = "not_accepted", "Not accepted"
        ESCALATION_REFUSED = "escalation_refused", "Escalation refused"
        REFUSAL_REVERSED = "refusal_reversed", "Refusal reversed"
        CLOSED = "closed", "Closed"
        MARKED_DUPLICATE = "marked_duplicate", "Marked as a duplicate"
        DUPLICATE_LINKED = "duplicate_linked", "Duplicate linked"
        POINT_ADDED = "point_added", "Point of complaint added"
        SIGNED_OFF = "signed_off", "Response signed off"
        CORRESPONDENCE_RECORDED = "correspondence_recorded", "Correspondence recorded"
        DOCUMENT_UPLOADED = "document_uploaded", "Document uploaded"
        NOTE_ADDED = "note_added", "Note added"
        UPDATE_INTERVAL_AGREED = "update_interval_agreed", "Update interval agreed"
        DRAFTED = "drafted", "Response drafted for quality check"
        SIGN_OFF_DECLINED = "sign_off_declined", "Response returned for changes"
        ACTION_UPDATED = "action_updated", "Action updated"
        ACTION_COMPLETED = "action_completed", "Action completed"
        ACTION_REASSIGNED = "action_reassigned", "Action reassigned"
        ACTIONS_UPDATE_INTERVAL_AGREED = (
            "actions_update_interval_agreed",
            "Interval for updates on actions agreed",
        )
        VIEWED = "viewed", "Confidential case viewed"
        ANONYMISED = "anonymised", "Personal details removed at the end of the retention period"
        LETTER_ISSUED = "letter_issued", "Letter issued"
        LETTER_POSTED = "letter_posted", "Letter posted"
        LESSON_LINKED = "lesson_linked", "Lesson learned recorded"
        COMPENSATION_OFFERED = "compensation_offered", "Compensation offer recorded"
        COMPENSATION_ACCEPTED = "compensation_accepted", "Compensation accepted"
        COMPENSATION_DECLINED = "compensation_declined", "Compensation declined"
        COMPENSATION_APPROVED = "compensation_approved", "Compensation approved"
        COMPENSATION_PAID = "compensation_paid", "Compensation paid"
        # Records other apps keep that a complaint is part of (putright.ombudsman, contacts).
        OMBUDSMAN_REFERRED = "ombudsman_referred", "Referred to the Housing Ombudsman"
        OMBUDSMAN_DETERMINED = "ombudsman_determined", "Housing Ombudsman determination"
        SERVICE_REQUEST_LINKED = "service_request_linked", "Service request linked"
        ENQUIRY_LINKED = "enquiry_linked", "Enquiry linked"
        SURVEY_SENT = "survey_sent", "Satisfaction survey sent"
        RAISED_FROM_FOLLOW_UP = "raised_from_follow_up", "Made after a survey follow-up"

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    stage_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(EventBase.Meta):
        indexes = [
            models.Index(fields=["complaint", "recorded_at"], name="complaint_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.happened_on.isoformat()}"


class Direction(models.TextChoices):
    IN = "in", "Incoming"
    OUT = "out", "Outgoing"


class CorrespondenceChannel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "Text message"
    PORTAL = "portal", "Portal"
    OTHER = "other", "Other"


class Party(models.TextChoices):
    RESIDENT = "resident", "Resident"
    REPRESENTATIVE = "representative", "Representative"
    CONTRACTOR = "contractor", "Contractor"
    MP_OR_COUNCILLOR = "mp_or_councillor", "MP or councillor"
    OMBUDSMAN = "ombudsman", "Housing Ombudsman"
    INTERNAL = "internal", "Internal"
    OTHER = "other", "Other"


class DocumentKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    LETTER = "letter", "Letter"
    PHOTO = "photo", "Photo"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


class Document(TimeStampedModel):
    """A file kept on the complaint's record (Code 5.12); services never delete one."""

    Kind = DocumentKind

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to="complaints/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    uploaded_on = models.DateField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "uploaded_on", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.original_name}"


class Correspondence(TimeStampedModel):
    """One letter, email, call or meeting about the complaint (Code 5.12)."""

    Direction = Direction
    Channel = CorrespondenceChannel
    Party = Party

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="correspondence"
    )
    stage_number = models.PositiveSmallIntegerField(null=True, blank=True)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=20, choices=CorrespondenceChannel.choices)
    party = models.CharField(max_length=20, choices=Party.choices)
    happened_on = models.DateField()
    summary = models.TextField()
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correspondence",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "happened_on", "id"]
        verbose_name_plural = "correspondence"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.direction} {self.channel} {self.happened_on.isoformat()}"


class Note(TimeStampedModel):
    """A case note on the complaint's record."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    written_on = models.DateField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["complaint", "written_on", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} note {self.written_on.isoformat()}"


class Remedy(TimeStampedModel):
    """One remedy offered in a stage's response (Code 6.6, 7.1); money is kept in pence."""

    Kind = RemedyKind

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(max_length=20, choices=RemedyKind.choices)
    description = models.TextField(help_text="What will happen (Code 7.3).")
    amount_pence = models.PositiveIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="By when (Code 7.3).")
    resident_agreed = models.CharField(
        max_length=10, choices=ResidentAgreed.choices, default=ResidentAgreed.UNKNOWN
    )

    class Meta:
        ordering = ["stage", "id"]
        verbose_name_plural = "remedies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="compensation") | Q(amount_pence__isnull=False),
                name="remedy_compensation_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} remedy: {self.get_kind_display()}"


class Action(TimeStampedModel):
    """Something a response promised to do (Code 6.6, 6.17).

    It belongs to the stage that promised it and stays open after the complaint closes, until
    someone records it as done.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="actions")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_actions",
    )
    # A person, a team, or both: a team with no named person shares the reminders.
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    completion_document = models.ForeignKey(
        "Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completed_actions",
        help_text="Evidence the action was done: one of the complaint's documents.",
    )

    class Meta:
        ordering = ["due_on", "id"]
        permissions = [("reassign_action", "Can reassign a promised action")]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_due_idx"),
            models.Index(fields=["team", "status", "due_on"], name="action_team_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", completed_on__isnull=True)
                | Q(status="done", completed_on__isnull=False),
                name="action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} action due {self.due_on.isoformat()}"

"""Contacts beside complaints: the records a landlord keeps that are not complaints themselves
but sit next to them (Code 1.3 to 1.6).

- **Enquiry**: an MP, councillor, chief executive or board member asking on a resident's behalf,
  answered within the organisation's target (``PUTRIGHT_ENQUIRY_RESPONSE_DAYS``, 10 working days
  by default); linked to a complaint where the matter is one, and recording whether the resident
  was offered the choice to complain (1.3).
- **ServiceRequest**: a request to put something right, recorded here or referenced from the
  housing system; monitored and reviewed (1.4); a complaint raised from one leaves it open (1.5).
- **Compliment**: praise for a team, a person or a contractor.
- **SatisfactionSurvey**: the transactional survey sent after a complaint closes, and its
  response. A low score or a dissatisfied comment is not a complaint (1.6): it opens a
  **SurveyFollowUp** in which someone offers the resident the choice to complain.
- **Contact**: one contact logged by channel and type with a response target
  (``PUTRIGHT_CONTACT_RESPONSE_DAYS``, 2 working days by default), for the contact-demand table.

Every change goes through ``putright.contacts.services`` and writes a ``ContactsEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.core.models import EventBase, TimeStampedModel


class EnquirerRole(models.TextChoices):
    MP = "mp", "MP"
    COUNCILLOR = "councillor", "Councillor"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive or executive team"
    BOARD_MEMBER = "board_member", "Board member"


class Enquiry(TimeStampedModel):
    """An enquiry made for a resident by an MP, councillor, chief executive or board member.

    Handled outside the complaints process unless the matter is a complaint (seed 003, 13.1):
    then ``complaint`` links it, and the resident is offered the choice to complain (1.3).
    """

    Role = EnquirerRole

    received_on = models.DateField()
    enquirer_name = models.CharField("From", max_length=200)
    enquirer_role = models.CharField("Their role", max_length=20, choices=EnquirerRole.choices)
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="enquiries"
    )
    summary = models.TextField("What they asked")
    due_on = models.DateField(help_text="Computed from the date received and the policy target.")
    responded_on = models.DateField(null=True, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    choice_offered = models.BooleanField("Resident offered the choice to complain", default=False)
    choice_offered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["received_on"], name="enquiry_received_idx"),
            models.Index(fields=["responded_on", "due_on"], name="enquiry_due_idx"),
            models.Index(fields=["enquirer_role", "received_on"], name="enquiry_role_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquirer_role__in=EnquirerRole.values), name="enquiry_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("received_on")), name="enquiry_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("received_on")),
                name="enquiry_responded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(choice_offered=False, choice_offered_on__isnull=True)
                | Q(choice_offered=True, choice_offered_on__isnull=False),
                name="enquiry_choice_offered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} from {self.enquirer_name}"

    @property
    def reference(self) -> str:
        return f"EQ{self.pk:05d}"


class ServiceRequestCategory(models.TextChoices):
    REPAIRS = "repairs", "Repairs"
    DAMP_AND_MOULD = "damp_and_mould", "Damp and mould"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour", "Anti-social behaviour"
    RENT_AND_CHARGES = "rent_and_charges", "Rent and service charges"
    ESTATE_SERVICES = "estate_services", "Estate services"
    LETTINGS = "lettings", "Lettings and tenancy"
    OTHER = "other", "Other"


class ServiceRequestSource(models.TextChoices):
    HOUSING_SYSTEM = "housing_system", "Housing management system"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB_FORM = "web_form", "Web form"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class ServiceRequest(TimeStampedModel):
    """A request to put something right (Code 1.4): not a complaint, but recorded, monitored
    and reviewed. A complaint raised from it is linked while the request stays open (1.5)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    Category = ServiceRequestCategory
    Source = ServiceRequestSource

    # The housing system's job or request number, when it was raised there; complaints name it
    # in ``Complaint.service_request_reference``.
    external_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    source = models.CharField(max_length=20, choices=ServiceRequestSource.choices)
    category = models.CharField(max_length=30, choices=ServiceRequestCategory.choices)
    resident = models.ForeignKey(
        "people.Resident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    description = models.TextField()
    opened_on = models.DateField()
    target_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    complaints = models.ManyToManyField(
        "complaints.Complaint", blank=True, related_name="service_requests"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "target_on"], name="servicerequest_status_idx"),
            models.Index(fields=["opened_on"], name="servicerequest_opened_idx"),
            models.Index(fields=["category", "opened_on"], name="servicerequest_category_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False, closed_on__gte=F("opened_on")),
                name="servicerequest_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(target_on__gte=F("opened_on")),
                name="servicerequest_target_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | ~Q(review_note=""),
                name="servicerequest_review_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_category_display()}"

    @property
    def reference(self) -> str:
        return self.external_reference or f"SR{self.pk:06d}"


class ComplimentChannel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter or card"
    IN_PERSON = "in_person", "In person"
    WEB_FORM = "web_form", "Web form"
    SOCIAL_MEDIA = "social_media", "Social media"
    SURVEY = "survey", "Survey"
    OTHER = "other", "Other"


class Compliment(TimeStampedModel):
    """Praise received for a team, a person or a contractor (kept out of CH01 and CH02)."""

    Channel = ComplimentChannel

    received_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ComplimentChannel.choices)
    about_team = models.CharField("Team", max_length=200, blank=True)
    about_person = models.CharField("Person", max_length=200, blank=True)
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliments",
        verbose_name="Member of staff",
    )
    about_contractor = models.CharField("Contractor", max_length=200, blank=True)
    text = models.TextField("What they said")

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["received_on"], name="compliment_received_idx"),
            models.Index(fields=["channel", "received_on"], name="compliment_channel_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(about_team="", about_person="", about_contractor="")
                | Q(about_staff__isnull=False),
                name="compliment_about_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} received {self.received_on.isoformat()}"

    @property
    def reference(self) -> str:
        return f"CO{self.pk:05d}"

    @property
    def about(self) -> str:
        parts = [self.about_team, self.about_person, self.about_contractor]
        if self.about_staff_id:
            parts.insert(1, str(self.about_staff))
        return "; ".join(part for part in parts if part)


class SatisfactionSurvey(TimeStampedModel):
    """A transactional satisfaction survey sent after a complaint closed, and its response."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="surveys"
    )
    sent_on = models.DateField()
    # The survey provider's own id, so a re-imported file updates rather than duplicates.
    provider_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    comment_dissatisfied = models.BooleanField(
        "The comment expresses dissatisfaction", default=False
    )
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["sent_on"], name="survey_sent_idx"),
            models.Index(fields=["responded_on", "score"], name="survey_responded_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "sent_on"], name="survey_one_per_day"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="survey_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True, score__isnull=True)
                | Q(
                    responded_on__isnull=False, score__isnull=False, responded_on__gte=F("sent_on")
                ),
                name="survey_response_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} for {self.complaint_id}"

    @property
    def reference(self) -> str:
        return f"SV{self.pk:05d}"


class SurveyFollowUp(TimeStampedModel):
    """A task opened by a low score or a dissatisfied comment: contact the resident and offer
    the choice to complain (Code 1.6). It is never a complaint by itself."""

    class Reason(models.TextChoices):
        LOW_SCORE = "low_score", "Score of 2 or less"
        DISSATISFIED_COMMENT = "dissatisfied_comment", "Dissatisfied comment"

    survey = models.OneToOneField(
        SatisfactionSurvey, on_delete=models.PROTECT, related_name="follow_up"
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    opened_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    choice_offered = models.BooleanField("Resident offered the choice to complain", default=False)
    outcome = models.TextField(blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The new complaint, when the resident chose to make one.",
    )

    class Meta:
        ordering = ["opened_on", "id"]
        indexes = [models.Index(fields=["done_on", "opened_on"], name="followup_done_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | (~Q(outcome="") & Q(choice_offered=True)),
                name="followup_done_offers_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.survey_id}"


class ContactChannel(models.TextChoices):
    # The channels of the contact-demand table in seed 001 (section 9.3).
    WEBSITE = "website", "Website"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Telephone"
    TEXT = "text", "Text message"
    OTHER = "other", "Other"


class ContactType(models.TextChoices):
    REPAIR = "repair", "Repair"
    RENT = "rent", "Rent and charges"
    TENANCY = "tenancy", "Tenancy"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour", "Anti-social behaviour"
    COMPLAINT = "complaint", "Complaint"
    GENERAL = "general", "General enquiry"
    OTHER = "other", "Other"


class Contact(TimeStampedModel):
    """One contact from a resident, counted for contact demand; no personal data is held."""

    Channel = ContactChannel
    Type = ContactType

    external_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    received_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    contact_type = models.CharField("Type", max_length=30, choices=ContactType.choices)
    due_on = models.DateField(help_text="Computed from the date received and the policy target.")
    answered_on = models.DateField(null=True, blank=True)
    # Stored when answered, so the demand table counts facts, not a recomputation.
    answered_in_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(
                fields=["received_on", "channel", "contact_type"], name="contact_month_idx"
            ),
            models.Index(fields=["answered_on", "due_on"], name="contact_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True, answered_in_time__isnull=True)
                | Q(answered_on__isnull=False, answered_in_time__isnull=False),
                name="contact_answered_has_flag",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="contact_answered_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.channel} {self.received_on.isoformat()}"

    @property
    def reference(self) -> str:
        return self.external_reference or f"CT{self.pk:06d}"


class ContactsEvent(EventBase):
    """Append-only history of every record in this app: each contacts service writes one."""

    class Action(models.TextChoices):
        ENQUIRY_RECORDED = "enquiry_recorded", "Enquiry recorded"
        ENQUIRY_UPDATED = "enquiry_updated", "Enquiry updated"
        SERVICE_REQUEST_RECORDED = "service_request_recorded", "Service request recorded"
        SERVICE_REQUEST_UPDATED = "service_request_updated", "Service request updated"
        SERVICE_REQUEST_REVIEWED = "service_request_reviewed", "Service request reviewed"
        COMPLAINT_LINKED = "complaint_linked", "Complaint linked"
        COMPLIMENT_RECORDED = "compliment_recorded", "Compliment recorded"
        COMPLIMENT_UPDATED = "compliment_updated", "Compliment updated"
        SURVEY_SENT = "survey_sent", "Survey sent"
        SURVEY_RESPONSE = "survey_response", "Survey response recorded"
        FOLLOW_UP_OPENED = "follow_up_opened", "Follow-up opened"
        FOLLOW_UP_DONE = "follow_up_done", "Follow-up done"
        CONTACT_LOGGED = "contact_logged", "Contact logged"
        CONTACT_UPDATED = "contact_updated", "Contact updated"

    enquiry = models.ForeignKey(
        Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    service_request = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    compliment = models.ForeignKey(
        Compliment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    survey = models.ForeignKey(
        SatisfactionSurvey, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta(EventBase.Meta):
        indexes = [
            models.Index(fields=["enquiry", "recorded_at"], name="contactsevent_enquiry_idx"),
            models.Index(fields=["service_request", "recorded_at"], name="contactsevent_sr_idx"),
            models.Index(fields=["compliment", "recorded_at"], name="contactsevent_compl_idx"),
            models.Index(fields=["survey", "recorded_at"], name="contactsevent_survey_idx"),
            models.Index(fields=["contact", "recorded_at"], name="contactsevent_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.happened_on.isoformat()}"

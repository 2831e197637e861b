"""Residents, their homes and tenancies, representatives, adjustments and contact restrictions.

Special category data (health, disability, ethnicity and the other equality fields) lives in two
models only, ``DisclosedDisability`` and ``EqualityData``, so that who may see it is decided in one
place: the ``people.view_special_category`` permission.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from putright.core.models import EventBase, TimeStampedModel


def _in_choices(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices`` (Django only checks in forms)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def _not_blank(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


class Tenure(models.TextChoices):
    """How a home is held. The TSM reports split complaints and homes into LCRA and LCHO."""

    LCRA_GENERAL_NEEDS = "lcra_general_needs", "LCRA general needs"
    LCRA_SUPPORTED = "lcra_supported", "LCRA supported housing"
    LCRA_OLDER_PEOPLE = "lcra_older_people", "LCRA housing for older people"
    LCHO_SHARED_OWNERSHIP = "lcho_shared_ownership", "LCHO shared ownership"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    OTHER = "other", "Other"


LCRA_TENURES = frozenset(
    {Tenure.LCRA_GENERAL_NEEDS, Tenure.LCRA_SUPPORTED, Tenure.LCRA_OLDER_PEOPLE}
)
LCHO_TENURES = frozenset({Tenure.LCHO_SHARED_OWNERSHIP})


def tsm_group(tenure: str | None) -> str | None:
    """``"LCRA"`` (low-cost rental), ``"LCHO"`` (low-cost home ownership) or ``None``.

    Leaseholders and other tenures sit outside both Tenant Satisfaction Measures groups.
    """
    if tenure in LCRA_TENURES:
        return "LCRA"
    if tenure in LCHO_TENURES:
        return "LCHO"
    return None


# Choices are defined at module level and exposed on their models (``Resident.Kind``, ...) because a
# model's ``Meta`` cannot see names in the model's own class body, and the check constraints
# below need them.


class PropertyType(models.TextChoices):
    HOUSE = "house", "House"
    FLAT = "flat", "Flat"
    MAISONETTE = "maisonette", "Maisonette"
    BUNGALOW = "bungalow", "Bungalow"
    BEDSIT = "bedsit", "Bedsit"
    SHARED_HOUSING_ROOM = "shared_room", "Room in shared housing"
    OTHER = "other", "Other"


class ResidentKind(models.TextChoices):
    TENANT = "tenant", "Tenant"
    SHARED_OWNER = "shared_owner", "Shared owner"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    FORMER_RESIDENT = "former_resident", "Former resident"
    APPLICANT = "applicant", "Applicant for housing"
    OTHER = "other", "Other (not a resident)"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person"


class Format(models.TextChoices):
    STANDARD = "standard", "Standard"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    OTHER = "other", "Other"


class EndReason(models.TextChoices):
    MOVED_OUT = "moved_out", "Moved out"
    TRANSFER = "transfer", "Moved to another of our homes"
    DEATH = "death", "Death of the tenant"
    EVICTION = "eviction", "Eviction"
    ABANDONED = "abandoned", "Abandoned"
    SOLD = "sold", "Sold or staircased to full ownership"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    FAMILY_MEMBER = "family_member", "Family member"
    FRIEND = "friend", "Friend"
    ADVOCATE = "advocate", "Advocate"
    SOLICITOR = "solicitor", "Solicitor"
    MP = "mp", "MP"
    COUNCILLOR = "councillor", "Councillor"
    SUPPORT_WORKER = "support_worker", "Support worker"
    EXECUTOR = "executor", "Executor or administrator of the estate"
    OTHER = "other", "Other"


class AuthorityMethod(models.TextChoices):
    WRITTEN = "written", "Written authority"
    VERBAL = "verbal", "Verbal consent recorded"
    LASTING_POWER_OF_ATTORNEY = "lpa", "Lasting power of attorney"
    PROBATE = "probate", "Grant of probate or letters of administration"
    OTHER = "other", "Other"


class AdjustmentCategory(models.TextChoices):
    FORMAT = "format", "Written information in another format"
    CONTACT = "contact", "How or when we contact them"
    LANGUAGE = "language", "Translation or interpreting"
    SUPPORT = "support", "Someone to support them"
    MEETINGS = "meetings", "Accessible meetings or visits"
    TIME = "time", "More time to respond"
    OTHER = "other", "Other"


# Equality monitoring lists: short, each with "prefer not to say".


class AgeBand(models.TextChoices):
    UNDER_25 = "16_24", "16 to 24"
    FROM_25 = "25_34", "25 to 34"
    FROM_35 = "35_44", "35 to 44"
    FROM_45 = "45_54", "45 to 54"
    FROM_55 = "55_64", "55 to 64"
    FROM_65 = "65_74", "65 to 74"
    OVER_75 = "75_plus", "75 or over"
    PREFER_NOT_TO_SAY = "not_said", "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = "not_said", "Prefer not to say"


class Ethnicity(models.TextChoices):
    # The high-level groups of the 2021 Census for England and Wales.
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = "not_said", "Prefer not to say"


class Property(TimeStampedModel):
    """A home the landlord owns or manages. Its tenure at any date comes from its tenancies."""

    PropertyType = PropertyType

    uprn = models.CharField(
        "UPRN",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        help_text="Unique Property Reference Number, where known.",
    )
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    property_type = models.CharField(
        max_length=20, choices=PropertyType.choices, default=PropertyType.HOUSE
    )
    scheme = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="Scheme or block name, for example a sheltered or supported housing scheme.",
    )

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["postcode", "address_line_1"]
        indexes = [models.Index(fields=["address_line_1"], name="people_prop_address1_idx")]
        constraints = [
            _in_choices("property_type", PropertyType, "people_property_type_valid"),
            _not_blank("address_line_1", "people_property_address_required"),
            _not_blank("postcode", "people_property_postcode_required"),
            models.CheckConstraint(
                condition=Q(uprn__isnull=True) | Q(uprn__regex=r"^[0-9]{1,12}$"),
                name="people_property_uprn_digits",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(part for part in parts if part)


class Resident(TimeStampedModel):
    """Anyone who may complain: a tenant, shared owner, leaseholder or household member, a former
    resident, an applicant, or someone else receiving the landlord's services."""

    Kind = ResidentKind
    ContactMethod = ContactMethod
    Format = Format

    reference = models.CharField(
        max_length=30,
        null=True,
        blank=True,
        unique=True,
        help_text="The landlord's own reference for this person, for example from the housing "
        "management system.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TENANT)
    title = models.CharField(max_length=30, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True, db_index=True)
    correspondence_address = models.TextField(
        blank=True, help_text="Where to write when it is not the home of a current tenancy."
    )
    preferred_contact_method = models.CharField(
        max_length=20, choices=ContactMethod.choices, default=ContactMethod.LETTER
    )
    preferred_format = models.CharField(
        max_length=20, choices=Format.choices, default=Format.STANDARD
    )
    language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [
            ("view_special_category", "Can see health, disability and equality data"),
            ("export_subject_access", "Can export everything held about a person"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="people_res_name_idx"),
            models.Index(fields=["kind"], name="people_res_kind_idx"),
        ]
        constraints = [
            _in_choices("kind", ResidentKind, "people_resident_kind_valid"),
            _in_choices("preferred_contact_method", ContactMethod, "people_resident_contact_valid"),
            _in_choices("preferred_format", Format, "people_resident_format_valid"),
            _not_blank("last_name", "people_resident_last_name_required"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class Tenancy(TimeStampedModel):
    """A resident's tenancy, lease or shared ownership of a property.

    ``end_date`` is the last day of the tenancy (inclusive); empty while it is current. A joint
    tenancy is one row per joint tenant, each marked ``is_joint``.
    """

    EndReason = EndReason

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="tenancies")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    tenure = models.CharField(max_length=30, choices=Tenure.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    is_joint = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "tenancies"
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["resident", "start_date"], name="people_ten_resident_idx"),
            models.Index(fields=["property", "start_date"], name="people_ten_property_idx"),
            models.Index(fields=["tenure", "start_date"], name="people_ten_tenure_idx"),
            models.Index(fields=["end_date"], name="people_ten_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="people_tenancy_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_reason=""),
                name="people_tenancy_end_reason_only_when_ended",
            ),
            _in_choices("tenure", Tenure, "people_tenancy_tenure_valid"),
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(end_date__isnull=True),
                name="people_tenancy_one_current_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tenure_display()} from {self.start_date:%d/%m/%Y}"

    def get_tsm_group(self) -> str | None:
        # A method, not a @property: the ``property`` field shadows the builtin in this class.
        return tsm_group(self.tenure)

    def is_current_on(self, on_date) -> bool:
        return self.start_date <= on_date and (self.end_date is None or self.end_date >= on_date)


class Representative(TimeStampedModel):
    """Someone acting for a resident, with how the landlord was satisfied of their authority."""

    Relationship = Relationship
    AuthorityMethod = AuthorityMethod

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="representatives")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Firm, office or service they act through, if any."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    authority_received_on = models.DateField()
    authority_method = models.CharField(max_length=20, choices=AuthorityMethod.choices)
    authority_note = models.TextField(
        blank=True, help_text="How authority was given and checked, so that it can be audited."
    )
    is_active = models.BooleanField(default=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["resident", "is_active"], name="people_rep_resident_idx"),
            models.Index(fields=["name"], name="people_rep_name_idx"),
        ]
        constraints = [
            _in_choices("relationship", Relationship, "people_rep_relationship_valid"),
            _in_choices("authority_method", AuthorityMethod, "people_rep_authority_valid"),
            _not_blank("name", "people_rep_name_required"),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_on__isnull=True)
                | Q(is_active=False, ended_on__isnull=False),
                name="people_rep_ended_iff_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class ReasonableAdjustment(TimeStampedModel):
    """An adjustment agreed with a resident (Code 5.10), kept under review."""

    Category = AdjustmentCategory

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="adjustments")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField()
    agreed_on = models.DateField()
    next_review_on = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["next_review_on", "id"]
        indexes = [
            models.Index(fields=["is_active", "next_review_on"], name="people_adj_review_idx"),
            models.Index(fields=["resident", "is_active"], name="people_adj_resident_idx"),
        ]
        constraints = [
            _in_choices("category", AdjustmentCategory, "people_adj_category_valid"),
            _not_blank("description", "people_adj_description_required"),
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("agreed_on")),
                name="people_adj_review_after_agreed",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_on__isnull=True)
                | Q(is_active=False, ended_on__isnull=False),
                name="people_adj_ended_iff_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class DisclosedDisability(TimeStampedModel):
    """A disability or health condition the resident chose to tell us about (special category)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="disabilities")
    description = models.TextField()
    disclosed_on = models.DateField()
    next_review_on = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "disclosed disabilities"
        ordering = ["disclosed_on", "id"]
        indexes = [
            models.Index(fields=["is_active", "next_review_on"], name="people_dis_review_idx"),
            models.Index(fields=["resident", "is_active"], name="people_dis_resident_idx"),
        ]
        constraints = [
            _not_blank("description", "people_dis_description_required"),
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("disclosed_on")),
                name="people_dis_review_after_disclosed",
            ),
        ]

    def __str__(self) -> str:
        # Never the description: this string shows up in logs, history labels and admin links.
        return f"Disclosed disability recorded {self.disclosed_on:%d/%m/%Y}"


class ContactRestriction(TimeStampedModel):
    """A restriction on how a resident (or their representative) may contact us (Code 5.14-5.15).

    The reasons and evidence must be recorded, the restriction must be proportionate with regard
    to the Equality Act 2010, and it is reviewed by a set date.
    """

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="restrictions")
    representative = models.ForeignKey(
        Representative,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restrictions",
        help_text="When the behaviour was a representative's rather than the resident's.",
    )
    reason = models.TextField(help_text="The behaviour that led to the restriction.")
    evidence = models.TextField(help_text="What shows it happened: dates, calls, letters.")
    proportionality_note = models.TextField(
        help_text="Why the restriction is proportionate, and how the resident's needs and the "
        "Equality Act 2010 were considered."
    )
    restriction = models.TextField(help_text="What contact is restricted, and how to contact us.")
    starts_on = models.DateField()
    next_review_on = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["ends_on", "next_review_on"], name="people_rst_review_idx"),
            models.Index(fields=["resident", "ends_on"], name="people_rst_resident_idx"),
        ]
        constraints = [
            _not_blank("reason", "people_restriction_reason_required"),
            _not_blank("evidence", "people_restriction_evidence_required"),
            _not_blank("proportionality_note", "people_restriction_proportionality_required"),
            _not_blank("restriction", "people_restriction_terms_required"),
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("starts_on")),
                name="people_restriction_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="people_restriction_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact restriction from {self.starts_on:%d/%m/%Y}"

    def is_in_force(self, on_date) -> bool:
        return self.starts_on <= on_date and (self.ends_on is None or self.ends_on >= on_date)


class EqualityData(TimeStampedModel):
    """Equality monitoring answers (special category). Every answer is optional."""

    AgeBand = AgeBand
    Sex = Sex
    Ethnicity = Ethnicity

    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="equality_data", primary_key=True
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)

    class Meta:
        verbose_name_plural = "equality data"
        constraints = [
            models.CheckConstraint(
                condition=Q(age_band="") | Q(age_band__in=AgeBand.values),
                name="people_eq_age_band_valid",
            ),
            models.CheckConstraint(
                condition=Q(sex="") | Q(sex__in=Sex.values), name="people_eq_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(ethnicity="") | Q(ethnicity__in=Ethnicity.values),
                name="people_eq_ethnicity_valid",
            ),
        ]

    def __str__(self) -> str:
        return "Equality monitoring answers"


class ResidentEvent(EventBase):
    """Append-only history of changes to a person's record (and to homes, which have no person).

    Special category values are never copied here: the event says that they changed, not what
    they are, so history can be shown to anyone who may see the resident.
    """

    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    property = models.ForeignKey(
        Property, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta(EventBase.Meta):
        indexes = [
            models.Index(fields=["resident", "recorded_at"], name="people_event_resident_idx"),
            models.Index(fields=["property", "recorded_at"], name="people_event_property_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(property__isnull=False),
                name="people_event_about_someone_or_somewhere",
            )
        ]

    def __str__(self) -> str:
        return f"{self.happened_on:%d/%m/%Y} {self.action}"

"""The landlord running this deployment: its settings, calendar closures and reference lists.

One landlord per deployment, so ``Organisation`` holds exactly one row. Everything else here is a
list the administrator keeps (closure days, categories, exclusion reasons, business areas, stock
counts) and that the complaint engine and reports read through ``selectors``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from putright.core.dates import long_date
from putright.core.models import EventBase, TimeStampedModel
from putright.rules.calendar import england_and_wales_bank_holidays
from putright.rules.timescales import CODE

OMBUDSMAN_CONTACT_DEFAULT = (
    "Housing Ombudsman Service\n"
    "PO Box 1484, Unit D\n"
    "Preston\n"
    "PR2 0ET\n"
    "Telephone: 0300 111 3000\n"
    "Email: info@housing-ombudsman.org.uk\n"
    "Website: www.housing-ombudsman.org.uk"
)

BUILDING_SAFETY_REGULATOR_CONTACT_DEFAULT = (
    "Building Safety Regulator\n"
    "Online: the Building Safety Regulator's contact form on GOV.UK (www.gov.uk)\n"
    "Telephone: 0300 790 6787"
)

CLOSURE_DAY_WARNING = (
    "Closure days are your own policy, not part of the Complaint Handling Code, and PutRight has "
    "none unless you add them. Every closure day that falls inside a deadline moves that Code "
    "deadline one working day later for every open complaint, so only add days the office is "
    "really closed, list them in your published complaints policy, and expect each report to "
    "state the closure days it counted."
)

CLOSURE_DAY_REMOVAL_WARNING = (
    "Removing a closure day brings every deadline that spans it one working day earlier, so some "
    "open complaints may fall due sooner or become overdue. Update the published complaints "
    "policy to match."
)

# The Code's five working days to acknowledge at stage 1: a first-contact target is only useful
# if it comes sooner than that.
_FIRST_CONTACT_CEILING = CODE.stage1.acknowledge


class Organisation(TimeStampedModel):
    """The landlord's own details and complaint-handling settings (exactly one row).

    Code values (5, 10 and 20 working days) live in ``putright.rules.timescales.CODE`` and are not
    editable here; what is stored here is the landlord's policy beside them: the escalation window,
    a local first-contact target and who signs off responses.
    """

    class Month(models.IntegerChoices):
        JANUARY = 1, "January"
        FEBRUARY = 2, "February"
        MARCH = 3, "March"
        APRIL = 4, "April"
        MAY = 5, "May"
        JUNE = 6, "June"
        JULY = 7, "July"
        AUGUST = 8, "August"
        SEPTEMBER = 9, "September"
        OCTOBER = 10, "October"
        NOVEMBER = 11, "November"
        DECEMBER = 12, "December"

    # Always 1: with unique=True and the check constraint, a second row cannot exist.
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)

    name = models.CharField(
        max_length=200, help_text="The landlord's name as it appears on letters and reports."
    )
    address = models.TextField(blank=True)
    phone = models.CharField("telephone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    complaints_page_url = models.URLField(
        "complaints page",
        blank=True,
        help_text="Where the complaints policy and self-assessment are published.",
    )
    member_responsible_for_complaints = models.CharField(
        "Member Responsible for Complaints",
        max_length=150,
        blank=True,
        help_text="The governing body member with lead responsibility for complaints.",
    )
    senior_lead = models.CharField(
        "senior lead for complaints",
        max_length=150,
        blank=True,
        help_text="The senior officer accountable for complaint handling.",
    )
    ombudsman_contact = models.TextField(
        "Housing Ombudsman contact details",
        default=OMBUDSMAN_CONTACT_DEFAULT,
        help_text="Printed in letters that must tell the resident how to reach the Ombudsman.",
    )
    building_safety_regulator_contact = models.TextField(
        "Building Safety Regulator contact details",
        default=BUILDING_SAFETY_REGULATOR_CONTACT_DEFAULT,
        help_text="Printed in responses to complaints about building safety.",
    )
    reporting_year_start_month = models.PositiveSmallIntegerField(
        choices=Month.choices,
        default=Month.APRIL,
        help_text="First month of the reporting year (April for a 1 April to 31 March year).",
    )
    stage1_requires_sign_off = models.BooleanField(
        "stage 1 responses need sign-off",
        default=True,
        help_text="A senior officer checks each stage 1 response before it is sent.",
    )
    stage2_requires_sign_off = models.BooleanField(
        "stage 2 responses need sign-off",
        default=True,
        help_text="A head of service checks each stage 2 response before it is sent.",
    )
    escalation_window_days = models.PositiveSmallIntegerField(
        "escalation window (working days)",
        default=CODE.escalation_window,
        help_text=(
            "Working days after a stage 1 response before a complaint nobody has escalated is "
            "closed. This is your policy, not a Code limit: the Code sets no time limit for "
            "asking for stage 2, so a later request is still accepted or refused with reasons."
        ),
    )
    first_contact_target_days = models.PositiveSmallIntegerField(
        "first contact target (working days)",
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(_FIRST_CONTACT_CEILING)],
        help_text=(
            "Your own target for first contact with the resident after a complaint or "
            "escalation request arrives. It is reported beside the Code's timescales, never "
            f"instead of them. Between 1 and {_FIRST_CONTACT_CEILING}; leave empty for none."
        ),
    )
    tsm_includes_leaseholders = models.BooleanField(
        "count leaseholders in TSM complaint figures",
        default=False,
        help_text=(
            "Tenant Satisfaction Measures CH01 and CH02 normally count complaints from tenants "
            "(LCRA) and shared owners (LCHO) only. Tick this only if your published method "
            "also counts leaseholders; reports state which choice was used."
        ),
    )

    class Meta:
        verbose_name = "organisation"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=1), name="organisation_single_row"),
            models.CheckConstraint(
                condition=Q(reporting_year_start_month__gte=1)
                & Q(reporting_year_start_month__lte=12),
                name="organisation_reporting_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(first_contact_target_days__isnull=True)
                | (
                    Q(first_contact_target_days__gte=1)
                    & Q(first_contact_target_days__lte=_FIRST_CONTACT_CEILING)
                ),
                name="organisation_first_contact_target_range",
                violation_error_message=(
                    f"The first contact target must be between 1 and {_FIRST_CONTACT_CEILING} "
                    "working days, or empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name or "Organisation settings"

    def reporting_year_of(self, d: date) -> int:
        """The reporting year a date falls in, named by the calendar year it starts in.

        With an April start, 31 March 2026 is in 2025 (2025/26) and 1 April 2026 in 2026.
        """
        return d.year if d.month >= self.reporting_year_start_month else d.year - 1

    def reporting_year_bounds(self, reporting_year: int) -> tuple[date, date]:
        """First and last day of a reporting year (both inclusive)."""
        start = date(reporting_year, self.reporting_year_start_month, 1)
        if self.reporting_year_start_month == 1:
            return start, date(reporting_year, 12, 31)
        next_start = date(reporting_year + 1, self.reporting_year_start_month, 1)
        return start, date.fromordinal(next_start.toordinal() - 1)


class ClosureDay(TimeStampedModel):
    """A weekday the landlord's office is closed and does not count as a working day.

    The landlord's published policy choice (none by default), never a Code rule: see
    ``CLOSURE_DAY_WARNING``. Add and remove them through ``services`` so that the
    ``calendar_changed`` signal fires and open due dates are recomputed.
    """

    date = models.DateField(
        unique=True, error_messages={"unique": "That date is already a closure day."}
    )
    description = models.CharField(
        max_length=200, help_text="Why the office is closed, e.g. Christmas closure."
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "closure day"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.description}".strip()

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.date, date):
            return
        # A weekend or bank holiday is already not a working day; listing it would suggest
        # the closure changes deadlines when it does not.
        d = self.date
        try:
            bank_holidays = england_and_wales_bank_holidays(d.year, d.year)
        except ValueError as error:
            raise ValidationError({"date": str(error)}) from error
        if d.weekday() >= 5 or d in bank_holidays:
            raise ValidationError(
                {
                    "date": (
                        f"{d:%A} {long_date(d)} is a weekend day or a bank holiday, so it is "
                        "never a working day anyway; only a weekday can be a closure day."
                    )
                }
            )


class StockCount(TimeStampedModel):
    """Homes owned in one tenure at the end of a reporting year: the TSM CH01 denominator."""

    class Tenure(models.TextChoices):
        LCRA = "LCRA", "Low cost rental accommodation (LCRA)"
        LCHO = "LCHO", "Low cost home ownership (LCHO)"

    reporting_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The calendar year the reporting year starts in: 2025 for 2025/26.",
    )
    tenure = models.CharField(max_length=4, choices=Tenure.choices)
    homes = models.PositiveIntegerField(help_text="Homes owned at the end of the reporting year.")

    class Meta:
        ordering = ["-reporting_year", "tenure"]
        verbose_name = "stock count"
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_year", "tenure"], name="stockcount_one_per_year_and_tenure"
            ),
            models.CheckConstraint(
                condition=Q(reporting_year__gte=2000) & Q(reporting_year__lte=2100),
                name="stockcount_reporting_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(tenure__in=["LCRA", "LCHO"]), name="stockcount_tenure_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporting_year_label} {self.tenure}: {self.homes}"

    @property
    def reporting_year_label(self) -> str:
        return f"{self.reporting_year}/{(self.reporting_year + 1) % 100:02d}"


class Category(TimeStampedModel):
    """What a complaint is about: a top-level category, or a sub-category one level below one.

    Categories are retired with ``is_active`` rather than deleted, because complaints keep
    pointing at them and past reports must still add up.
    """

    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level category.",
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_in_parent"),
            # NULL parents never clash in a plain unique constraint, so top-level names need
            # their own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="category_unique_top_level",
                violation_error_message="There is already a top-level category with this name.",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name}: {self.name}"

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        """Sub-categories sit exactly one level below a top-level category."""
        super().clean()
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A category cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Choose a top-level category: sub-categories go one level deep only."}
            )
        if self.pk is not None and Category.objects.filter(parent_id=self.pk).exists():
            raise ValidationError(
                {"parent": "This category has sub-categories, so it must stay top-level."}
            )


class ExclusionReason(TimeStampedModel):
    """A reason in the published policy for not accepting a complaint or refusing an escalation.

    The Code lets a landlord refuse only for reasons its policy lists, judged case by case, and
    the resident must be told why and that they may take the decision to the Ombudsman (Code 2.2
    to 2.5 for new complaints, 5.11 for escalations).
    """

    class AppliesTo(models.TextChoices):
        ACCEPTANCE = "acceptance", "Not accepting a complaint"
        ESCALATION = "escalation", "Refusing an escalation"
        BOTH = "both", "Both"

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="Guidance for staff on when the reason applies."
    )
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    is_active = models.BooleanField(default=True)
    requires_date_evidence = models.BooleanField(
        default=False,
        help_text="Staff must record a date that shows the reason applies.",
    )
    evidence_date_label = models.CharField(
        max_length=150,
        blank=True,
        help_text="What the date is, e.g. 'Date the claim was filed at court'.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = "exclusion reason"
        constraints = [
            models.CheckConstraint(
                condition=Q(applies_to__in=["acceptance", "escalation", "both"]),
                name="exclusionreason_applies_to_valid",
            ),
            models.CheckConstraint(
                condition=Q(requires_date_evidence=False) | ~Q(evidence_date_label=""),
                name="exclusionreason_date_evidence_labelled",
                violation_error_message="Say which date must be recorded as evidence.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class BusinessArea(TimeStampedModel):
    """The part of the landlord's business a complaint is about, for learning and reports."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "business area"

    def __str__(self) -> str:
        return self.name


class OrganisationChange(EventBase):
    """History of changes to the organisation's settings and closure days (append-only)."""

    class Action(models.TextChoices):
        SETTINGS_CHANGED = "settings_changed", "Settings changed"
        CLOSURE_DAY_ADDED = "closure_day_added", "Closure day added"
        CLOSURE_DAY_CHANGED = "closure_day_changed", "Closure day changed"
        CLOSURE_DAY_REMOVED = "closure_day_removed", "Closure day removed"
        STOCK_COUNT_SET = "stock_count_set", "Stock count set"

    class Meta(EventBase.Meta):
        verbose_name = "organisation change"

    def __str__(self) -> str:
        try:
            what = self.Action(self.action).label
        except ValueError:
            what = self.action
        return f"{self.happened_on.isoformat()} {what}"

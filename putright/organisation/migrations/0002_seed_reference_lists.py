"""Starting lists for a new landlord: settings row, categories, exclusion reasons, business areas.

Every list is editable afterwards. Re-running (or reversing) touches only rows this migration
added, matched by name or code, so an administrator's own additions survive.
"""

from django.db import migrations

CATEGORIES = [
    (
        "Repairs",
        [
            "Reporting a repair",
            "Time taken to complete a repair",
            "Standard of repair work",
            "Missed or rearranged appointment",
            "Contractor behaviour",
            "Damage to belongings during a repair",
            "Planned works and improvements",
        ],
    ),
    (
        "Damp and mould",
        [
            "Inspection and diagnosis",
            "Treatment and remedial works",
            "Damp or mould that came back",
            "Advice and support",
        ],
    ),
    (
        "Estate and neighbourhood",
        [
            "Grounds maintenance",
            "Cleaning of shared areas",
            "Communal areas and facilities",
            "Parking",
            "Bins, bulky waste and fly-tipping",
        ],
    ),
    (
        "Anti-social behaviour handling",
        [
            "How a report was handled",
            "Keeping the resident informed",
            "Action taken or not taken",
        ],
    ),
    (
        "Staff conduct",
        [
            "Attitude or behaviour",
            "Wrong or misleading information",
            "Slow to respond",
        ],
    ),
    (
        "Charges and rent",
        [
            "Service charges",
            "Rent charged",
            "Rent account and arrears",
            "Recharges for repairs or damage",
            "Payments and Direct Debits",
        ],
    ),
    (
        "Moving home",
        [
            "Allocations and lettings",
            "Transfers",
            "Mutual exchange",
            "Temporary moves (decants)",
            "Condition of a home at letting",
        ],
    ),
    (
        "Defects",
        [
            "New-build defects",
            "Time taken to put a defect right",
            "Standard of defect work",
        ],
    ),
    (
        "Building safety",
        [
            "Fire safety",
            "Gas, electrical and water safety checks",
            "Lifts and door entry systems",
        ],
    ),
    (
        "Home ownership",
        [
            "Shared ownership",
            "Leasehold management",
            "Selling or buying a share",
        ],
    ),
    (
        "Communication",
        [
            "No reply or a late reply",
            "Unclear or inaccurate information",
            "Accessibility and reasonable adjustments",
        ],
    ),
    (
        "Complaint handling",
        [
            "Delay in handling a complaint",
            "Complaint not recognised or logged",
            "Promised remedy or action not delivered",
        ],
    ),
    ("Other", []),
]

# (code, label, description, applies_to, requires_date_evidence, evidence_date_label)
EXCLUSION_REASONS = [
    (
        "older-than-12-months",
        "The issue is more than 12 months old",
        "The resident raised the issue more than 12 months after it happened or after they "
        "became aware of it. Decide case by case whether to use discretion and accept it "
        "anyway, and record why discretion was or was not used.",
        "both",
        True,
        "Date the issue happened or the resident became aware of it",
    ),
    (
        "legal-proceedings",
        "Legal proceedings have started",
        "A claim form and particulars of claim about the same issue have been filed at court. "
        "A letter before claim or a pre-action protocol step is not enough on its own.",
        "both",
        True,
        "Date the claim was filed at court",
    ),
    (
        "already-considered",
        "Already considered under the complaints process",
        "The same matter has already been through the complaints process and had a response. "
        "A new issue, or new information about an old one, is a new complaint.",
        "acceptance",
        False,
        "",
    ),
    (
        "policy-not-application",
        "About a policy, not how it was applied",
        "The resident disagrees with one of our policies as written. A complaint that a policy "
        "was applied wrongly, unfairly or inconsistently to them must still be accepted.",
        "both",
        False,
        "",
    ),
    (
        "not-our-service",
        "A service we are not responsible for",
        "The service is provided by someone else, such as the council or a utility company. "
        "Accept any part about how we supported the resident where we could reasonably be "
        "expected to, and tell them who to contact for the rest.",
        "both",
        False,
        "",
    ),
    (
        "unacceptable-behaviour",
        "Unreasonable, threatening or abusive contact",
        "Use only when the unacceptable behaviour policy has been applied to this resident, "
        "and record when and how it was applied.",
        "both",
        False,
        "",
    ),
]

BUSINESS_AREAS = [
    "Repairs and maintenance",
    "Housing management",
    "Income and service charges",
    "Lettings and allocations",
    "Customer services",
    "Development and new homes",
    "Supported housing",
    "Asset management and compliance",
]


def seed(apps, schema_editor):
    Organisation = apps.get_model("organisation", "Organisation")
    Category = apps.get_model("organisation", "Category")
    ExclusionReason = apps.get_model("organisation", "ExclusionReason")
    BusinessArea = apps.get_model("organisation", "BusinessArea")

    Organisation.objects.get_or_create(singleton=1)

    for position, (name, children) in enumerate(CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(
            parent=None, name=name, defaults={"sort_order": position * 10}
        )
        for child_position, child in enumerate(children, start=1):
            Category.objects.get_or_create(
                parent=parent, name=child, defaults={"sort_order": child_position * 10}
            )

    for position, (code, label, description, applies_to, needs_date, date_label) in enumerate(
        EXCLUSION_REASONS, start=1
    ):
        ExclusionReason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "description": description,
                "applies_to": applies_to,
                "requires_date_evidence": needs_date,
                "evidence_date_label": date_label,
                "sort_order": position * 10,
            },
        )

    for name in BUSINESS_AREAS:
        BusinessArea.objects.get_or_create(name=name)


def unseed(apps, schema_editor):
    Category = apps.get_model("organisation", "Category")
    ExclusionReason = apps.get_model("organisation", "ExclusionReason")
    BusinessArea = apps.get_model("organisation", "BusinessArea")

    for name, children in CATEGORIES:
        Category.objects.filter(parent__parent=None, parent__name=name, name__in=children).delete()
        Category.objects.filter(parent=None, name=name, children__isnull=True).delete()
    ExclusionReason.objects.filter(code__in=[row[0] for row in EXCLUSION_REASONS]).delete()
    BusinessArea.objects.filter(name__in=BUSINESS_AREAS).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

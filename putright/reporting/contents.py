"""What a report holds, in order: the annual complaints performance and service improvement
report in the order of Code 8.1 (a) to (f), and the quarterly board pack with what Code 9.7 says
the governing body must see. Built from ``annual.figures`` and the landlord's own words, so every
format (``reporting.formats``) and the published page show the same thing.

The landlord's words are a mapping of section key to commentary; a section the product cannot fill
from the record says so in a statement rather than showing zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.db.models import Count

from putright.learning.models import Lesson
from putright.ombudsman.models import FailureOrder
from putright.reporting import tables
from putright.reporting.document import ReportDocument, Section
from putright.reporting.periods import Period
from putright.reporting.tables import Table

__all__ = ["ANNUAL", "QUARTER", "SECTIONS", "build", "register_section_provider"]

ANNUAL, QUARTER = "annual", "quarter"

# (key, heading) in the order each kind of report presents them. Only these keys take commentary.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    ANNUAL: [
        ("self_assessment", "Our self-assessment against the Complaint Handling Code"),
        ("performance", "How we handled complaints"),
        ("refused", "Complaints we did not accept"),
        ("tsm", "Tenant Satisfaction Measures"),
        ("remedies", "Putting things right"),
        ("code_compliance", "Housing Ombudsman findings about our complaint handling"),
        ("ombudsman", "Housing Ombudsman decisions on our complaints"),
        ("learning", "What we changed because of complaints"),
        ("ombudsman_reports", "The Housing Ombudsman's reports about us"),
    ],
    QUARTER: [
        ("performance", "Volumes, categories, outcomes and performance"),
        ("refused", "Complaints we did not accept"),
        ("tsm", "Tenant Satisfaction Measures"),
        ("remedies", "Putting things right"),
        ("ombudsman", "Housing Ombudsman decisions and orders"),
        ("code_compliance", "Housing Ombudsman findings about our complaint handling"),
        ("learning", "What we changed because of complaints"),
    ],
}

# The section each of ``tables.sections``' tables belongs to; any other table is performance.
_TABLE_SECTION = {"not_accepted": "refused", "compensation": "remedies"}

NOT_RECORDED = "Not recorded in PutRight for this period."

# What an app above reporting in the layers adds to a section: given the report's kind and
# period, the section's statements and tables, or None to leave the section as reporting writes
# it. Reporting may not import those apps (selfassessment fills the annual report's first
# section, Code 8.1 a), so they register here from their ``AppConfig.ready()``.
SectionProvider = Callable[[str, Period], "tuple[list[str], list[Table]] | None"]
_PROVIDERS: dict[str, SectionProvider] = {}


def register_section_provider(key: str, provider: SectionProvider) -> None:
    """Let ``provider`` fill section ``key`` of every report that has it (one per key: a
    second registration replaces the first, so reloading an app does not stack them)."""
    if not any(key == known for sections in SECTIONS.values() for known, _ in sections):
        raise ValueError(f"No report has a section {key!r}")
    _PROVIDERS[key] = provider


def build(
    kind: str,
    period: Period,
    this: dict,
    before: dict,
    *,
    landlord: str,
    commentary: Mapping[str, str] | None = None,
    foreword: str = "",
    governing_body_response: str = "",
    published_on: dt.date | None = None,
    version: int | None = None,
) -> ReportDocument:
    """The report of ``kind`` for ``period``; ``this`` and ``before`` are ``annual.figures`` of
    the period and of the same stretch a year earlier."""
    commentary = commentary or {}
    statements, section_tables = _contents(kind, period, this, before)
    sections = [
        Section(
            key,
            heading,
            commentary=commentary.get(key, "").strip(),
            statements=statements.get(key, []),
            tables=section_tables.get(key, []),
        )
        for key, heading in SECTIONS[kind]
    ]
    title = (
        f"Complaints performance and service improvement report {period.label}"
        if kind == ANNUAL
        else f"Complaints board report {period.label}"
    )
    return ReportDocument(
        kind=kind,
        title=title,
        landlord=landlord,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        sections=sections,
        foreword=foreword.strip(),
        governing_body_response=governing_body_response.strip(),
        published_on=published_on,
        version=version,
    )


def _contents(
    kind: str, period: Period, this: dict, before: dict
) -> tuple[dict[str, list[str]], dict[str, list[Table]]]:
    section_tables: dict[str, list[Table]] = {}
    for table in tables.sections(this, before):
        section_tables.setdefault(_TABLE_SECTION.get(table.key, "performance"), []).append(table)
    section_tables["tsm"] = [tables.tsm_table(this)]
    section_tables["ombudsman"] = [tables.ombudsman_table(this, before)]
    changes = _changes_made(period)
    if changes.rows:
        section_tables["learning"] = [changes]
    statements = {
        "self_assessment": [
            "The self-assessment against the Code is not recorded in PutRight yet; it is "
            "published separately."
        ],
        "tsm": list(this["tsm"]["notes"]),
        "code_compliance": [_failure_orders(period)],
        "learning": [] if changes.rows else [NOT_RECORDED],
        "ombudsman": []
        if this["ombudsman"]["determinations"]
        else ["The Housing Ombudsman made no determination on our complaints in this period."],
        "ombudsman_reports": [],
    }
    if not this["not_accepted"]["total"]:
        statements["refused"] = ["We accepted every complaint made to us in this period."]
    keys = {key for key, _ in SECTIONS[kind]}
    for key, provider in _PROVIDERS.items():
        provided = provider(kind, period) if key in keys else None
        if provided is not None:
            statements[key], section_tables[key] = provided
    return statements, section_tables


def _failure_orders(period: Period) -> str:
    """Code 8.1 (c): findings of non-compliance with the Code, by kind (a count: the orders'
    reasons name cases)."""
    counts = dict(
        FailureOrder.objects.filter(issued_on__range=(period.start, period.end))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not counts:
        return (
            "The Housing Ombudsman issued no complaint handling failure order or notice about "
            "us in this period."
        )
    parts = [
        f"{n} {FailureOrder.Kind(kind).label.lower()}{'' if n == 1 else 's'}"
        for kind in FailureOrder.Kind.values  # orders before notices
        if (n := counts.get(kind))
    ]
    return "The Housing Ombudsman issued " + " and ".join(parts) + " about us in this period."


def _changes_made(period: Period) -> Table:
    """Code 8.1 (d): lessons whose change to the service was made in the period, in the
    landlord's own words (the lesson's title and the change; never a complaint's details)."""
    lessons = (
        Lesson.objects.filter(done_on__range=(period.start, period.end))
        .exclude(change_made="")
        .order_by("done_on", "id")
        .values_list("title", "change_made", "done_on")
    )
    return Table(
        "changes_made",
        "Changes we made to our services",
        ["What we learned", "What we changed", "When"],
        [[title, change, f"{done:%B %Y}"] for title, change, done in lessons],
    )

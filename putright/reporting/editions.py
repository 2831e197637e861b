"""A report edition as a document: the draft worked out from today's records, what publishing
freezes, and the frozen copy read back.

Publishing shows counts, rates and the landlord's own words only. Before a document is frozen
(and on the draft's page, so managers see what will go out) breakdown tables go through
small-group suppression: a count from 1 to threshold - 1 is shown as "fewer than N" and a rate
worked out from fewer than N is withheld, so that nobody can be picked out of a small group
(docs/decisions/0019-report-editions-and-publishing.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from django.conf import settings

from putright.core.dates import long_date
from putright.organisation.selectors import organisation_name
from putright.reporting import contents
from putright.reporting.annual import figures_of
from putright.reporting.document import ReportDocument, Section
from putright.reporting.models import Edition, PerceptionSurveyResult
from putright.reporting.periods import Period, quarter, reporting_year, year_label
from putright.reporting.tables import Table
from putright.rules.ratios import percentage

__all__ = [
    "document_from_json",
    "document_json",
    "draft_document",
    "period_of",
    "publishable",
    "suppress",
    "threshold",
    "tp09_table",
]

# Tables of whole-landlord totals and regulatory measures, published as they are: the volumes
# and compensation totals, the Tenant Satisfaction Measures the regulator requires published
# (CH01, CH02, TP09), the Ombudsman's own published determinations, and changes made (words).
# Every other table breaks complaints down (by reason, category, channel, area, root cause,
# outcome, month, and any added later, such as equality groups) and is suppressed.
TOTALS = frozenset({"volumes", "tsm", "tp09", "ombudsman", "compensation", "changes_made"})
# For a rate column of a breakdown table, the column counting what it divides (its denominator).
# A rate column not named here is withheld whenever its table is suppressed: safe by default.
RATE_BASE: dict[str, dict[int, int]] = {"business_areas": {2: 1}}

_COUNT = re.compile(r"\d{1,3}(?:,\d{3})*")
_RATE = re.compile(r"-?\d+(?:\.\d+)?%")
_TOTAL_ROW = re.compile(r"(?i)^(total|all)\b")
WITHHELD = "withheld"


def threshold() -> int:
    """``PUTRIGHT_REPORT_SMALL_GROUP_THRESHOLD``: the smallest count shown as it is."""
    return max(1, int(settings.PUTRIGHT_REPORT_SMALL_GROUP_THRESHOLD))


def _count(cell: str) -> int | None:
    return int(cell.replace(",", "")) if _COUNT.fullmatch(cell) else None


def suppress(table: Table, limit: int) -> Table:
    """``table`` with every small count and every rate on a small base hidden, and a note
    saying so; a totals table (``TOTALS``), a total row and a row's label are left alone."""
    if table.key in TOTALS or limit <= 1:
        return table
    bases = RATE_BASE.get(table.key, {})
    changed = False
    rows = []
    for row in table.rows:
        if not row or _TOTAL_ROW.match(str(row[0])):
            rows.append(list(row))
            continue
        shown = [row[0]]
        for index, cell in enumerate(row[1:], start=1):
            new = cell
            n = _count(cell)
            if n is not None and 0 < n < limit:
                new = f"fewer than {limit}"
            elif _RATE.fullmatch(cell):
                base = _count(row[bases[index]]) if index in bases else None
                if base is None or base < limit:
                    new = WITHHELD
            changed |= new != cell
            shown.append(new)
        rows.append(shown)
    if not changed:
        return table
    note = (
        f"To protect people's privacy, counts from 1 to {limit - 1} are shown as "
        f'"fewer than {limit}", and a rate worked out from fewer than {limit} is withheld.'
    )
    return dataclasses.replace(table, rows=rows, note=f"{table.note} {note}".strip(), drill=[])


def publishable(document: ReportDocument, limit: int) -> ReportDocument:
    """The document as the public may read it: breakdowns suppressed, no links to case lists."""
    sections = [
        dataclasses.replace(
            section,
            tables=[dataclasses.replace(suppress(t, limit), drill=[]) for t in section.tables],
        )
        for section in document.sections
    ]
    return dataclasses.replace(document, sections=sections)


def period_of(edition: Edition) -> Period:
    if edition.kind == contents.ANNUAL:
        return reporting_year(edition.reporting_year)
    return quarter(edition.reporting_year, edition.quarter)


def tp09_table(year: int) -> Table | None:
    """TP09 for the reporting year, LCRA and LCHO apart, with the survey's method as the note;
    None when no result has been entered."""
    result = PerceptionSurveyResult.objects.filter(reporting_year=year).first()
    if result is None:
        return None

    def cell(satisfied: int, respondents: int) -> str:
        ratio = percentage(satisfied, respondents)
        return "n/a" if not respondents else f"{ratio.shown()} ({satisfied:,} of {respondents:,})"

    return Table(
        "tp09",
        f"Tenant perception survey, {year_label(year)}",
        ["Measure", "LCRA", "LCHO"],
        [
            [
                "TP09 satisfied with our approach to handling complaints",
                cell(result.lcra_satisfied, result.lcra_respondents),
                cell(result.lcho_satisfied, result.lcho_respondents),
            ]
        ],
        f"Respondents who were very or fairly satisfied, of those who answered. "
        f"{result.method_note.strip()}",
    )


def _with_tp09(document: ReportDocument, year: int) -> ReportDocument:
    """TP09 beside CH01 and CH02 in the Tenant Satisfaction Measures section."""
    table = tp09_table(year)
    sections = []
    for section in document.sections:
        if section.key == "tsm":
            if table is not None:
                section = dataclasses.replace(section, tables=[*section.tables, table])
            else:
                statement = (
                    f"The TP09 result of our tenant perception survey for {year_label(year)} "
                    "has not been entered yet."
                )
                section = dataclasses.replace(section, statements=[*section.statements, statement])
        sections.append(section)
    return dataclasses.replace(document, sections=sections)


def response_text(edition: Edition) -> str:
    """The governing body's response as published (Code 8.2): its words, then where and when it
    was agreed and who is the Member Responsible for Complaints."""
    words = edition.response.strip()
    if not words:
        return ""
    facts = []
    if edition.response_meeting_on:
        meeting = (
            f"Agreed at the governing body's meeting on {long_date(edition.response_meeting_on)}"
        )
        if edition.response_minute:
            meeting += f" (minute {edition.response_minute})"
        facts.append(meeting + ".")
    if edition.response_member:
        facts.append(f"Member Responsible for Complaints: {edition.response_member}.")
    return "\n\n".join([words, " ".join(facts)]) if facts else words


def draft_document(edition: Edition, *, published_on: dt.date | None = None) -> ReportDocument:
    """The edition as it stands: today's figures with its words (before suppression)."""
    period = period_of(edition)
    document = contents.build(
        edition.kind,
        period,
        *figures_of(period, period.year_before()),
        landlord=organisation_name(),
        commentary=edition.commentary,
        foreword=edition.foreword,
        governing_body_response=response_text(edition),
        published_on=published_on,
        version=edition.version,
    )
    return _with_tp09(document, edition.reporting_year)


# The frozen copy ---------------------------------------------------------------------------------


def document_json(document: ReportDocument) -> dict[str, Any]:
    """The document as plain JSON (dates as ISO strings)."""
    data = dataclasses.asdict(document)
    for name in ("period_start", "period_end", "published_on"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return data


def document_from_json(data: dict[str, Any]) -> ReportDocument:
    """The frozen document back as a ``ReportDocument`` for any format to draw."""

    def day(value: str | None) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)

    sections = [
        Section(
            section["key"],
            section["heading"],
            commentary=section["commentary"],
            statements=list(section["statements"]),
            tables=[Table(**table) for table in section["tables"]],
        )
        for section in data["sections"]
    ]
    return ReportDocument(
        **{
            **data,
            "sections": sections,
            "period_start": day(data["period_start"]),
            "period_end": day(data["period_end"]),
            "published_on": day(data["published_on"]),
        }
    )

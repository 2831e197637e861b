"""A self-assessment as a file to publish or hand on: a standalone HTML page, a tagged PDF and a
Word document, each in the Ombudsman's five columns (provision, requirement, comply yes or no,
evidence, commentary) with a table per section of the Code.

Every format reads one ``ExportDocument`` built from the assessment, so each shows the same
rows and words. The HTML page and the PDF come from one template
(``selfassessment/exports/assessment.html``, its CSS inline, sharing the published report's
type and table style from ``reporting/formats/report.css``); the PDF adds a print stylesheet for
WeasyPrint's page furniture, landscape so five columns have room. The Word document is written
with python-docx, headings in Word's heading styles and each table's header row repeated on
every page, so a screen reader and Word's navigation pane find their way round it.

A draft (anything the governing body has not approved) is marked as one in every format, so a
copy passed to the board before its meeting is not taken for the approved one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.template.loader import render_to_string

from putright.core.dates import long_date
from putright.core.pdf import html_to_pdf, stylesheet
from putright.core.text import blocks
from putright.organisation.selectors import organisation_name
from putright.rules.code import CODES
from putright.selfassessment import selectors
from putright.selfassessment.models import Comply, SelfAssessment, Status

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "published_assessments",
    "Rendered",
    "document_for",
    "filename",
    "render",
]

FORMATS = ("html", "pdf", "docx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The Ombudsman's self-assessment form's five columns.
COLUMNS = (
    "Code provision",
    "Code requirement",
    "Comply: yes / no",
    "Evidence",
    "Commentary / explanation",
)
DRAFT_NOTE = (
    "This self-assessment has not been approved by the governing body: its answers may still "
    "change."
)
RESPONSE_HEADING = "The governing body's response"

_TEMPLATE = "selfassessment/exports/assessment.html"
_PRINT_CSS = Path(__file__).resolve().parent / "templates" / "selfassessment" / "exports"
_PRINT_CSS = _PRINT_CSS / "print.css"


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class ExportRow:
    number: str
    requirement: str
    must: bool
    comply: str  # "yes", "no" or "" (not answered)
    evidence: str
    commentary: str
    action: str
    action_due_on: dt.date | None

    @property
    def comply_label(self) -> str:
        return {Comply.YES: "Yes", Comply.NO: "No"}.get(self.comply, "Not answered")


@dataclass(frozen=True)
class ExportSection:
    number: int
    title: str
    parts: list[tuple[str, list[ExportRow]]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Section {self.number}: {self.title}"


@dataclass(frozen=True)
class ExportDocument:
    landlord: str
    title: str
    code_title: str
    kind: str  # why it was made: "Annual self-assessment", ...
    covers: str
    status: str
    draft: bool
    version_number: int
    revision_reason: str
    approval: list[tuple[str, str]]
    response: str
    yes: int
    no: int
    unanswered: int
    sections: list[ExportSection]
    published_on: dt.date | None = None

    @property
    def total(self) -> int:
        return self.yes + self.no + self.unanswered


def status_text(assessment: SelfAssessment) -> str:
    """Which version this is and where it stands: approved, published, or a draft."""
    version = f"Version {assessment.version_number}"
    if assessment.is_published:
        return (
            f"{version}, approved by the governing body on {long_date(assessment.approved_on)} "
            f"and published on {long_date(assessment.published_on)}"
        )
    if assessment.is_approved:
        return f"{version}, approved by the governing body on {long_date(assessment.approved_on)}"
    return f"Draft ({assessment.get_status_display().lower()}). {DRAFT_NOTE}"


def document_for(assessment: SelfAssessment) -> ExportDocument:
    """What every format shows of ``assessment`` (two queries for the answers)."""
    code = CODES[assessment.code_version]
    grouped, summary = selectors.assessment_sections(assessment)
    sections = [
        ExportSection(
            group.section.number,
            group.section.title,
            [
                (
                    part,
                    [
                        ExportRow(
                            row.provision.number,
                            row.provision.summary,
                            row.provision.is_must,
                            row.answer.comply,
                            row.answer.evidence.strip(),
                            row.answer.commentary.strip(),
                            row.answer.action.strip(),
                            row.answer.action_due_on,
                        )
                        for row in rows
                    ],
                )
                for part, rows in group.parts
            ],
        )
        for group in grouped
        if group.rows
    ]
    approval: list[tuple[str, str]] = []
    if assessment.is_approved:
        meeting = long_date(assessment.approved_on)
        if assessment.approval_minute:
            meeting += f" (minute {assessment.approval_minute})"
        approval = [
            ("Approved by the governing body", meeting),
            ("Member Responsible for Complaints", assessment.responsible_member),
        ]
        if assessment.published_on:
            approval.append(("Published", long_date(assessment.published_on)))
    if assessment.reporting_year:
        covers = f"The reporting year to {long_date(assessment.as_at)}"
    else:
        covers = f"As at {long_date(assessment.as_at)}"
    return ExportDocument(
        landlord=organisation_name(),
        title=assessment.title,
        code_title=code.title,
        kind=assessment.get_trigger_display(),
        covers=covers,
        status=status_text(assessment),
        draft=not assessment.is_approved,
        version_number=assessment.version_number,
        revision_reason=assessment.revision_reason.strip(),
        approval=approval,
        response=assessment.governing_body_response.strip() if assessment.is_approved else "",
        yes=summary.yes,
        no=summary.no,
        unanswered=summary.unanswered,
        sections=sections,
        published_on=assessment.published_on,
    )


def render(assessment: SelfAssessment, fmt: str) -> Rendered:
    """``assessment`` as ``fmt``, one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(
            f"A self-assessment is written as one of {', '.join(FORMATS)}, not {fmt!r}"
        )
    document = document_for(assessment)
    writer = {"html": _html, "pdf": _pdf, "docx": _docx}[fmt]
    return Rendered(writer(document), CONTENT_TYPES[fmt], filename(assessment, fmt))


def filename(assessment: SelfAssessment, fmt: str) -> str:
    """``self-assessment-2025-26.pdf``, ``self-assessment-2025-26-version-2-draft.docx``."""
    stem = re.sub(r"[^a-z0-9]+", "-", assessment.title.lower()).strip("-")
    if assessment.reporting_year is None:
        stem = f"self-assessment-{assessment.as_at.isoformat()}"
    version = f"-version-{assessment.version_number}" if assessment.version_number > 1 else ""
    draft = "" if assessment.is_approved else "-draft"
    return f"{stem}{version}{draft}.{fmt}"


# HTML and PDF -----------------------------------------------------------------------------------


def page(document: ExportDocument, *, for_print: bool) -> str:
    contents = [
        ("summary", "Summary"),
        *((f"section-{section.number}", section.heading) for section in document.sections),
        *([("governing-body-response", RESPONSE_HEADING)] if document.response else []),
    ]
    return render_to_string(
        _TEMPLATE,
        {
            "document": document,
            "columns": COLUMNS,
            "contents": contents,
            "draft_note": DRAFT_NOTE,
            "response_heading": RESPONSE_HEADING,
            "response": blocks(document.response),
            "revision_reason": blocks(document.revision_reason),
            "for_print": for_print,
        },
    )


def _html(document: ExportDocument) -> bytes:
    return page(document, for_print=False).encode("utf-8")


@cache
def _print_stylesheets() -> tuple[CSS, ...]:
    return (stylesheet(_PRINT_CSS),)


def _pdf(document: ExportDocument) -> bytes:
    return html_to_pdf(page(document, for_print=True), _print_stylesheets())


# Word -------------------------------------------------------------------------------------------

# Column widths in the landscape page's 25.7 cm of text: the Ombudsman's form gives evidence and
# commentary the room.
_WIDTHS_CM = (2.0, 6.2, 2.3, 7.6, 7.6)
# Characters Word cannot hold (control characters pasted from elsewhere).
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    return _NOT_IN_XML.sub("", text)


def _paragraphs(cell, text: str, *, first_bold: str = "") -> None:
    """``text`` into a table cell, a paragraph per blank-line-separated block; the cell's own
    empty first paragraph is used for the first."""
    target = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    lines = [line for line in _clean(text).replace("\r\n", "\n").split("\n\n") if line.strip()]
    if first_bold:
        target.add_run(first_bold).bold = True
        if lines:
            target.add_run(" ")
    for index, block in enumerate(lines):
        paragraph = target if index == 0 else cell.add_paragraph()
        for number, line in enumerate(block.split("\n")):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(line.strip())


def _repeat_header(row) -> None:
    """Mark a table's first row as its header: repeated on every page, read as headings."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    properties.append(no_split)


def _language(document, tag: str = "en-GB") -> None:
    """The document's language, on the default run style, so a screen reader pronounces it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)


def _docx(document: ExportDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    word = Document()
    _language(word)
    word.core_properties.title = f"{document.title} – {document.landlord}"
    word.core_properties.author = document.landlord
    word.core_properties.subject = f"Self-assessment against the {document.code_title}"
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    page_setup = word.sections[0]
    page_setup.orientation = WD_ORIENT.LANDSCAPE
    page_setup.page_width, page_setup.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(page_setup, side, Cm(2.0))
    page_setup.top_margin = page_setup.bottom_margin = Cm(1.8)
    page_setup.header.paragraphs[0].text = f"{document.landlord}: {document.title}"
    page_setup.footer.paragraphs[0].text = document.status

    word.add_paragraph(document.landlord, style="Subtitle")
    word.add_heading(document.title, level=0)
    word.add_paragraph(f"{document.kind}, against the {document.code_title}. {document.covers}.")
    status = word.add_paragraph()
    status.add_run(document.status).bold = document.draft

    word.add_heading("Summary", level=1)
    word.add_paragraph(
        f"Of the {document.total} provisions of the {document.code_title}, we comply with "
        f"{document.yes} and do not yet comply with {document.no}"
        + (f"; {document.unanswered} are not answered yet." if document.unanswered else ".")
    )
    for label, value in document.approval:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_clean(value))
    if document.version_number > 1 and document.revision_reason:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"Why we made version {document.version_number}: ").bold = True
        paragraph.add_run(_clean(document.revision_reason))

    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for part, rows in section.parts:
            if part:
                word.add_heading(part, level=2)
            table = word.add_table(rows=1, cols=len(COLUMNS))
            table.style = "Table Grid"
            table.autofit = False
            header = table.rows[0]
            _repeat_header(header)
            for cell, heading, width in zip(header.cells, COLUMNS, _WIDTHS_CM, strict=True):
                cell.width = Cm(width)
                cell.paragraphs[0].add_run(heading).bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, width in zip(cells, _WIDTHS_CM, strict=True):
                    cell.width = Cm(width)
                cells[0].paragraphs[0].add_run(row.number).bold = True
                _paragraphs(cells[1], row.requirement + ("" if row.must else " (should)"))
                cells[2].paragraphs[0].add_run(row.comply_label)
                _paragraphs(cells[3], row.evidence)
                _paragraphs(cells[4], row.commentary)
                if row.comply == Comply.NO:
                    _paragraphs(cells[4], row.action, first_bold="Action:")
                    due = long_date(row.action_due_on) if row.action_due_on else ""
                    _paragraphs(cells[4], due, first_bold="By:")
            word.add_paragraph()

    if document.response:
        word.add_heading(RESPONSE_HEADING, level=1)
        for block in blocks(document.response):
            if block.is_list:
                for line in block.lines:
                    word.add_paragraph(_clean(line), style="List Bullet")
            else:
                paragraph = word.add_paragraph()
                for number, line in enumerate(block.lines):
                    if number:
                        paragraph.add_run().add_break()
                    paragraph.add_run(_clean(line))

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def published_assessments() -> QuerySet[SelfAssessment]:
    """Every published self-assessment, newest first: all the public pages read."""
    return SelfAssessment.objects.filter(status=Status.PUBLISHED).order_by(
        "-as_at", "-version_number", "-id"
    )

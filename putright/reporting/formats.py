"""A report as a file to publish or hand on: a standalone HTML page, a PDF, a spreadsheet, CSV.

Every format reads only the ``ReportDocument``, so each shows the same sections, tables and
words in the same order. The HTML page and the PDF come from one template
(``reporting/formats/report.html``, its CSS inline so the page needs nothing else); the PDF adds
a print stylesheet for WeasyPrint's page furniture (running header, page numbers, a contents list
with page numbers).

The spreadsheet has a cover sheet (the report's words) and one sheet per table. Cells hold the
text the tables show, except figures that are plainly numbers (a count, a decimal, a percentage,
an amount in pounds), which become numbers formatted to show the same text, so a board can sum
and chart them; a row's label, "n/a" and a figure with its counts ("66.7% (2 of 3)") stay text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from putright.core.dates import long_date
from putright.core.pdf import html_to_pdf, stylesheet
from putright.core.spreadsheets import kept_as_text
from putright.core.text import blocks
from putright.reporting.contents import ANNUAL
from putright.reporting.document import ReportDocument
from putright.reporting.tables import Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet
    from weasyprint import CSS

__all__ = ["FORMATS", "Rendered", "filename", "render"]

FORMATS = ("html", "pdf", "xlsx", "csv")

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

# A table's first column holds the row labels and often has no heading of its own; a header
# cell needs words (screen readers read it out, spreadsheets filter on it). The page says the same.
FIRST_HEADING = "Figure"
GOVERNING_BODY_RESPONSE = "The governing body's response"
DRAFT_NOTE = "This report has not been published: its figures and words may still change."

_TEMPLATE = "reporting/formats/report.html"
_PRINT_CSS = Path(__file__).resolve().parent / "templates" / "reporting" / "formats" / "print.css"

# A figure as ``tables`` writes one: a count, a decimal, a percentage or pounds, possibly with its
# counts in brackets ("66.7% (2 of 3)"). Columns of figures are aligned right, as GOV.UK does.
_FIGURE = re.compile(r"(n/a|£?\d[\d,]*(\.\d+)?%?)( \(.*\))?")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def render(document: ReportDocument, fmt: str) -> Rendered:
    """``document`` as ``fmt``, one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"A report is written as one of {', '.join(FORMATS)}, not {fmt!r}")
    writer = {"html": _html, "pdf": _pdf, "xlsx": _xlsx, "csv": _csv}[fmt]
    return Rendered(writer(document), CONTENT_TYPES[fmt], filename(document, fmt))


def filename(document: ReportDocument, fmt: str) -> str:
    """``complaints-report-2024-25.pdf``, ``complaints-board-report-2024-25-q3-draft.xlsx``: a
    draft says so, so a copy passed round before publication is not taken for the published one."""
    stem = "complaints-report" if document.kind == ANNUAL else "complaints-board-report"
    period = re.sub(r"[^a-z0-9]+", "-", document.period_label.lower()).strip("-")
    draft = "-draft" if document.published_on is None else ""
    return f"{stem}-{period}{draft}.{fmt}"


def status(document: ReportDocument) -> str:
    """Which version this is and when it was published, or that it is a draft."""
    if document.published_on is None:
        return f"Draft. {DRAFT_NOTE}"
    published = f"published on {long_date(document.published_on)}"
    return (
        f"Version {document.version}, {published}" if document.version else published.capitalize()
    )


def _headings(table: Table) -> list[str]:
    return [column or (FIRST_HEADING if i == 0 else "") for i, column in enumerate(table.columns)]


def _figure_columns(table: Table) -> list[bool]:
    """Per column, whether it holds figures (never the first: the rows' labels)."""
    return [
        i > 0 and all(_FIGURE.fullmatch(row[i]) for row in table.rows if row[i])
        for i in range(len(table.columns))
    ]


# HTML and PDF ---------------------------------------------------------------------------------


def _html(document: ReportDocument) -> bytes:
    return _page(document, for_print=False).encode("utf-8")


def _page(document: ReportDocument, *, for_print: bool) -> str:
    ids: set[str] = set()
    sections = [
        {
            "id": _unique(f"section-{section.key}", ids),
            "heading": section.heading,
            "commentary": blocks(section.commentary),
            "statements": section.statements,
            "tables": [
                _table_view(table, _unique(f"table-{table.key}", ids)) for table in section.tables
            ],
        }
        for section in document.sections
    ]
    contents = [
        *([("foreword", "Foreword")] if document.foreword else []),
        *((section["id"], section["heading"]) for section in sections),
        *(
            [("governing-body-response", GOVERNING_BODY_RESPONSE)]
            if document.governing_body_response
            else []
        ),
    ]
    context = {
        "document": document,
        "period": f"{long_date(document.period_start)} to {long_date(document.period_end)}",
        "status": status(document),
        "draft": document.published_on is None,
        "draft_note": DRAFT_NOTE,
        "contents": contents,
        "foreword": blocks(document.foreword),
        "sections": sections,
        "response_heading": GOVERNING_BODY_RESPONSE,
        "response": blocks(document.governing_body_response),
        "for_print": for_print,
    }
    return render_to_string(_TEMPLATE, context)


def _unique(wanted: str, ids: set[str]) -> str:
    """An id no other element of the page has (a caption labels its table by id)."""
    candidate, n = wanted, 1
    while candidate in ids:
        n += 1
        candidate = f"{wanted}-{n}"
    ids.add(candidate)
    return candidate


def _table_view(table: Table, element_id: str) -> dict[str, Any]:
    figures = _figure_columns(table)
    return {
        "id": element_id,
        "title": table.title,
        "headings": list(zip(_headings(table), figures, strict=True)),
        "rows": [list(zip(row, figures, strict=True)) for row in table.rows],
        "width": len(table.columns),
        "note": table.note,
        "none": table.empty,
    }


@cache
def _print_stylesheets() -> tuple[CSS, ...]:
    return (stylesheet(_PRINT_CSS),)


def _pdf(document: ReportDocument) -> bytes:
    return html_to_pdf(_page(document, for_print=True), _print_stylesheets())


# Spreadsheet ----------------------------------------------------------------------------------

# Short sheet names for the tables the report has today (a sheet name holds 31 characters); a
# table not named here gets its title, shortened.
_SHEET_NAMES = {
    "volumes": "Received and answered",
    "not_accepted": "Not accepted",
    "outcomes": "Outcomes",
    "categories": "Categories",
    "business_areas": "Business areas",
    "channels": "Channels",
    "root_causes": "Root causes",
    "months": "By month",
    "compensation": "Compensation",
    "tsm": "Tenant Satisfaction Measures",
    "ombudsman": "Housing Ombudsman",
    "changes_made": "Changes we made",
}
_COVER = "Report"
_SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# Excel keeps "History" for itself, and compares sheet names without regard to case.
_RESERVED = {"history"}

_COUNT = re.compile(r"\d{1,3}(,\d{3})*|\d+")
_DECIMAL = re.compile(r"\d+\.(\d+)")
_PERCENT = re.compile(r"(\d+\.(\d+))%")
_POUNDS = re.compile(r"£(\d{1,3}(?:,\d{3})*)\.(\d\d)")
_WIDTH_MIN, _WIDTH_MAX = 10, 60


def _number(text: str) -> tuple[int | Decimal, str] | None:
    """A figure that is plainly a number, with the number format that shows it as ``text``."""
    if _COUNT.fullmatch(text):
        return int(text.replace(",", "")), "#,##0"
    if match := _DECIMAL.fullmatch(text):
        return Decimal(text), "0." + "0" * len(match[1])
    if match := _PERCENT.fullmatch(text):
        return Decimal(match[1]) / 100, "0." + "0" * len(match[2]) + "%"
    if match := _POUNDS.fullmatch(text):
        return Decimal(f"{match[1].replace(',', '')}.{match[2]}"), '"£"#,##0.00'
    return None


def _put(sheet: Worksheet, row: int, column: int, text: str, *, figure: bool = False) -> Any:
    """Write a cell: a plain number as a number when ``figure``, anything else as text, never
    a formula (``core.spreadsheets``)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=column)
    number = _number(text) if figure else None
    if number is not None:
        cell.value, cell.number_format = number
        return cell
    # Control characters (pasted from a word processor) cannot be stored in the file at all.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    return kept_as_text(cell)


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words where it can be."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return (cut if len(cut) >= limit // 2 else text[:limit]).rstrip()


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name, unique in the workbook, as near ``wanted`` as the rules allow."""
    name = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", wanted).split()).strip("'").strip()
    name = _shorten(name, _SHEET_NAME_MAX) or "Table"
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = _shorten(name, _SHEET_NAME_MAX - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _xlsx(document: ReportDocument) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.title = document.title
    book.properties.creator = document.landlord
    book.properties.language = "en-GB"
    cover = book.active
    taken = set(_RESERVED)
    cover.title = _sheet_name(_COVER, taken)
    # Per section, the sheet of each of its tables, in order.
    sheets: list[list[str]] = []
    for section in document.sections:
        sheets.append([])
        for table in section.tables:
            name = _sheet_name(_SHEET_NAMES.get(table.key, table.title), taken)
            _table_sheet(book.create_sheet(name), table)
            sheets[-1].append(name)
    _cover_sheet(cover, document, sheets)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cover_sheet(sheet: Worksheet, document: ReportDocument, sheets: list[list[str]]) -> None:
    """The title, landlord, period and status, then each part's words and its tables' sheets,
    linked, in the report's order."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    _put(sheet, 1, 1, document.title).font = Font(bold=True, size=14)
    rows: list[tuple[str, str, str | None]] = [
        ("Landlord", document.landlord, None),
        (
            "Period",
            f"{document.period_label}: {long_date(document.period_start)} to "
            f"{long_date(document.period_end)}",
            None,
        ),
        ("Status", status(document), None),
        ("", "", None),
    ]
    if document.foreword:
        rows += [("Foreword", paragraph, None) for paragraph in _paragraphs(document.foreword)]
    for section, names in zip(document.sections, sheets, strict=True):
        words = [*_paragraphs(section.commentary), *section.statements]
        rows.append((section.heading, words[0] if words else "", None))
        rows += [("", text, None) for text in words[1:]]
        rows += [("", t.title, name) for t, name in zip(section.tables, names, strict=True)]
    if document.governing_body_response:
        rows += [
            (GOVERNING_BODY_RESPONSE, paragraph, None)
            for paragraph in _paragraphs(document.governing_body_response)
        ]
    for number, (label, text, link) in enumerate(rows, start=3):
        _put(sheet, number, 1, label).font = bold
        cell = _put(sheet, number, 2, text)
        cell.alignment = wrap
        if link:  # to the table's sheet, inside the workbook
            quoted = link.replace("'", "''")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1")
            cell.style = "Hyperlink"
            cell.alignment = wrap
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 100
    for number in range(3, 3 + len(rows)):
        sheet.cell(row=number, column=1).alignment = wrap


def _paragraphs(text: str) -> list[str]:
    """A cell per paragraph, its line breaks kept; a list's items as "- " lines in one cell."""
    return [
        "\n".join(f"- {line}" if block.is_list else line for line in block.lines)
        for block in blocks(text)
    ]


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    """The title, then the header row (bold, frozen, repeated on every printed page), the rows,
    and the note."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, right = Font(bold=True), Alignment(horizontal="right")
    figures = _figure_columns(table)
    _put(sheet, 1, 1, table.title).font = Font(bold=True, size=13)
    headings = _headings(table)
    for column, heading in enumerate(headings, start=1):
        cell = _put(sheet, 2, column, heading)
        cell.font = bold
        if figures[column - 1]:
            cell.alignment = right
    for number, row in enumerate(table.rows, start=3):
        for column, text in enumerate(row, start=1):
            cell = _put(sheet, number, column, text, figure=figures[column - 1])
            if figures[column - 1]:
                cell.alignment = right
    if not table.rows:
        _put(sheet, 3, 1, table.empty)
    if table.note:
        _put(sheet, 4 + max(len(table.rows), 1), 1, table.note)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    for column, heading in enumerate(headings, start=1):
        longest = max([len(heading), *(len(row[column - 1]) for row in table.rows)])
        width = min(max(longest + 2, _WIDTH_MIN), _WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(column)].width = width
        if longest + 2 > _WIDTH_MAX:  # long words (a lesson, a change made) wrap in the cell
            for number in range(3, 3 + len(table.rows)):
                sheet.cell(row=number, column=column).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )


# CSV ------------------------------------------------------------------------------------------

# A spreadsheet opening a CSV file takes a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(text: str) -> str:
    """``text``, with an apostrophe before it where a spreadsheet would read it as a formula
    (OWASP's advice for CSV files); a negative number stays as it is."""
    if text.startswith(_FORMULA_START) and not re.fullmatch(r"-\d[\d,]*(\.\d+)?%?", text):
        return "'" + text
    return text


def _csv_rows(document: ReportDocument) -> Iterator[list[str]]:
    for section in document.sections:
        for table in section.tables:
            yield [table.title]
            if table.columns:
                yield _headings(table)
            yield from table.rows or [[table.empty]]
            yield []


def _csv(document: ReportDocument) -> bytes:
    """The report's tables one after another: a title row, the header row, the rows and a blank
    row after each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _csv_rows(document):
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")

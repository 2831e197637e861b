"""The report as files: a standalone HTML page, a PDF, a spreadsheet and CSV, each read back.

The document is the hand-worked landlord's 2025-26 annual report (``conftest``): stage 1
received 5 (2024-25: 1), CH02 stage 1 for both tenures 66.7% (2 of 3).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import zipfile
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from putright.learning.models import Lesson, LessonStatus
from putright.reporting import contents, formats
from putright.reporting.annual import figures
from putright.reporting.document import ReportDocument, Section
from putright.reporting.periods import quarter, reporting_year
from putright.reporting.tables import NONE_IN_PERIOD, Table
from tests.letters.test_pdf import quiet_weasyprint, structure_types, words  # noqa: F401

pytestmark = pytest.mark.django_db

COMMENTARY = "We answered faster this year.\n\n- More staff on the phones\n- A new repairs team"
INJECTED_TITLE = '=HYPERLINK("http://example.com","Open me")'


def _build(kind: str, period, **words) -> ReportDocument:
    return contents.build(
        kind,
        period,
        figures(period),
        figures(period.year_before()),
        landlord="Greenway Homes",
        **words,
    )


@pytest.fixture
def document(landlord, set_today) -> ReportDocument:
    set_today(dt.date(2026, 6, 1))
    return _build(
        contents.ANNUAL,
        reporting_year(2025),
        commentary={"performance": COMMENTARY},
        foreword="A year of listening.",
        governing_body_response="The board accepts this report <and> its actions.",
    )


def _published(document: ReportDocument) -> ReportDocument:
    return dataclasses.replace(document, published_on=dt.date(2026, 7, 1), version=2)


def _tables(document: ReportDocument) -> list[Table]:
    return [table for section in document.sections for table in section.tables]


# Every format -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("html", "text/html; charset=utf-8"),
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_each_format_renders_the_document_as_a_draft_file(document, fmt, content_type):
    rendered = formats.render(document, fmt)

    assert rendered.content
    assert rendered.content_type == content_type
    assert rendered.filename == f"complaints-report-2025-26-draft.{fmt}"


def test_a_published_report_and_a_board_report_are_named_for_their_period(document):
    assert formats.render(_published(document), "csv").filename == "complaints-report-2025-26.csv"
    board = _build(contents.QUARTER, quarter(2025, 3))
    assert formats.filename(board, "xlsx") == "complaints-board-report-2025-26-q3-draft.xlsx"


def test_a_format_not_offered_is_refused(document):
    with pytest.raises(ValueError, match="html, pdf, xlsx, csv"):
        formats.render(document, "docx")


# HTML -------------------------------------------------------------------------------------------


class _Outline(HTMLParser):
    """What a structural check needs: headings, captions, header cells, anything external."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[tuple[str, str]] = []
        self.tables = self.captions = 0
        self.header_scopes: list[str | None] = []
        self.external: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag in ("h1", "h2", "h3"):
            self._open, self._text = tag, []
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th":
            self.header_scopes.append(attributes.get("scope"))
        if tag in ("script", "link", "img", "iframe") or "src" in attributes:
            self.external.append(tag)

    def handle_endtag(self, tag):
        if tag == self._open:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    return outline


def test_the_page_is_one_standalone_accessible_document_in_the_reports_order(document):
    html = formats.render(document, "html").content.decode()
    outline = _outline(html)

    assert outline.lang == "en-GB"
    assert [text for tag, text in outline.headings if tag == "h1"] == [document.title]
    assert [text for tag, text in outline.headings if tag == "h2"] == [
        "Contents",
        "Foreword",
        *(section.heading for section in document.sections),
        "The governing body's response",
    ]
    drawn = [table for table in _tables(document) if table.columns]
    assert outline.tables == outline.captions == len(drawn)
    # A table without columns (records not kept) is its title and the statement.
    for table in _tables(document):
        if not table.columns:
            assert f'<p class="report-statement">{table.empty}</p>' in html
    assert set(outline.header_scopes) == {"col", "row"}
    assert outline.external == []  # no scripts, stylesheets, images or frames to fetch
    assert "url(" not in html and "@import" not in html


def test_the_page_shows_the_figures_the_words_and_that_it_is_a_draft(document):
    html = formats.render(document, "html").content.decode()

    assert '<th scope="row">Stage 1 complaints received</th>' in html
    assert '<td class="figure">5</td><td class="figure">1</td>' in html
    assert "66.7% (2 of 3)" in html  # CH02 stage 1, both tenures
    assert "<p>We answered faster this year.</p>" in html
    assert "<li>More staff on the phones</li>" in html
    assert "The Housing Ombudsman made no determination on our complaints" in html
    assert "Counted in the year each thing happened" in html  # a table's note
    assert "The board accepts this report &lt;and&gt; its actions." in html  # escaped
    assert "1 April 2025 to 31 March 2026" in html
    assert "<strong>Draft.</strong> This report has not been published" in html
    assert "Version" not in html


def test_a_published_page_gives_its_version_and_date_and_no_draft_notice(document):
    html = formats.render(_published(document), "html").content.decode()

    assert "Version 2, published on 1 July 2026" in html
    assert "Draft" not in html
    assert '<meta name="dcterms.created" content="2026-07-01">' in html


# PDF --------------------------------------------------------------------------------------------


def test_weasyprint_understands_every_rule_of_the_print_stylesheet(quiet_weasyprint):  # noqa: F811
    # Parsed afresh: the PDF parses it once per process, so a warning shows only once.
    assert formats._print_stylesheets.__wrapped__()


def test_the_pdf_holds_every_heading_and_figure_on_numbered_pages(document, quiet_weasyprint):  # noqa: F811
    pdf = formats.render(document, "pdf").content
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    pages = [words(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)

    assert len(pages) >= 2
    assert document.title in pages[0]
    at = 0
    for section in document.sections:  # in order
        at = text.index(section.heading, at)
    assert "Stage 1 complaints received 5 1" in text
    assert "66.7% (2 of 3)" in text
    assert "We answered faster this year." in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Draft." in page  # a loose page says it is a draft
    # The running header, from the second page on (the first has the masthead and the title).
    assert pages[0].count("Greenway Homes") == 1
    assert all(f"Greenway Homes {document.title}" in page for page in pages[1:])


def test_the_pdf_is_tagged_with_its_language_title_and_tables(document, quiet_weasyprint):  # noqa: F811
    reader = PdfReader(io.BytesIO(formats.render(document, "pdf").content))
    catalog = reader.trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == f"{document.title} – Greenway Homes"
    assert reader.metadata.author == "Greenway Homes"
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_data()
    tags = structure_types(reader)
    assert tags.count("/H1") == 1
    # A table with nothing recorded is a statement under its title, not an empty grid.
    assert tags.count("/Table") == len([table for table in _tables(document) if table.columns])
    assert {"/TH", "/TD", "/Caption"} <= set(tags)


# XLSX -------------------------------------------------------------------------------------------


def _workbook(document: ReportDocument):
    return load_workbook(io.BytesIO(formats.render(document, "xlsx").content))


def _values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_spreadsheet_has_a_cover_and_a_sheet_per_table(document):
    book = _workbook(document)
    tables = _tables(document)

    assert len(book.sheetnames) == 1 + len(tables)
    cover = _values(book["Report"])
    assert cover[0][0] == document.title
    assert ["Landlord", "Greenway Homes"] in cover
    assert ["Period", "2025-26: 1 April 2025 to 31 March 2026"] in cover
    assert cover[4][1].startswith("Draft.")
    assert ["Foreword", "A year of listening."] in cover
    assert ["", "- More staff on the phones\n- A new repairs team"] in [
        [a or "", b] for a, b in cover
    ]
    for table, sheet in zip(tables, book.worksheets[1:], strict=True):
        rows = _values(sheet)
        assert rows[0][0] == table.title
        if table.columns:
            assert rows[1] == [column or "Figure" for column in table.columns]
            assert [cell.font.b for cell in sheet[2]] == [True] * len(table.columns)
        else:  # nothing recorded: the statement under the title
            assert [table.empty] in rows
        assert sheet.freeze_panes == "A3"
        # The cover links to the sheet.
        assert any(
            cell.hyperlink and sheet.title in cell.hyperlink.location
            for cell in book["Report"]["B"]
        )


def test_plain_figures_become_numbers_shown_as_the_report_shows_them(document):
    sheet = _workbook(document)["Received and answered"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}

    received = rows["Stage 1 complaints received"]
    assert [received[1].value, received[2].value] == [5, 1]
    within = rows["Stage 1 responses within the Code's timescales"][1]
    assert (within.value, within.number_format) == (0.667, "0.0%")  # 66.7%
    mean = rows["Stage 1 mean working days to respond"][1]
    assert (mean.value, mean.number_format) == (15.3, "0.0")
    assert rows["Stage 1 responses within the Code's timescales"][2].value == "n/a"
    money = _workbook(document)["Compensation"]
    total = next(row for row in money.iter_rows() if row[0].value == "Total paid")
    assert (total[1].value, total[1].number_format) == (0, '"£"#,##0.00')
    # A figure with its counts stays the text the report shows.
    tsm = _values(_workbook(document)["Tenant Satisfaction Measures"])
    assert tsm[4][3] == "66.7% (2 of 3)"


def test_text_that_looks_like_a_formula_stays_text(landlord, officer, set_today):
    set_today(dt.date(2026, 6, 1))
    Lesson.objects.create(
        title=INJECTED_TITLE,
        what_happened="Someone typed a formula.",
        root_cause=Lesson._meta.get_field("root_cause").choices[0][0],
        learning="Text is text.",
        change_made="+SUM(1,2)",
        identified_on=dt.date(2025, 5, 1),
        done_on=dt.date(2025, 11, 3),
        owner=officer,
        status=LessonStatus.EMBEDDED,
    )
    document = _build(contents.ANNUAL, reporting_year(2025))
    content = formats.render(document, "xlsx").content

    row = _values(load_workbook(io.BytesIO(content))["Changes we made"])[2]
    assert row == [INJECTED_TITLE, "+SUM(1,2)", "November 2025"]
    files = zipfile.ZipFile(io.BytesIO(content))
    sheets = [name for name in files.namelist() if name.startswith("xl/worksheets/sheet")]
    assert not [name for name in sheets if b"<f>" in files.read(name)]  # no formula anywhere
    csv_rows = list(csv.reader(io.StringIO(formats.render(document, "csv").content.decode())))
    assert ["'" + INJECTED_TITLE, "'+SUM(1,2)", "November 2025"] in csv_rows


def test_sheet_names_and_ids_are_valid_and_unique_whatever_the_tables(document):
    odd = Table("odd", "Odd: [complaints] / by * area? \\ and a title far too long", ["x"], [])
    extra = Section(
        "extra",
        "Extra",
        tables=[odd, odd, dataclasses.replace(odd, key="history", title="History")],
    )
    document = dataclasses.replace(document, sections=[*document.sections, extra])
    book = _workbook(document)
    names = book.sheetnames[-3:]

    assert names == [
        "Odd complaints by area and a",
        "Odd complaints by area and (2)",
        "History (2)",  # Excel keeps "History" for itself
    ]
    assert len({name.lower() for name in book.sheetnames}) == len(book.sheetnames)
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert _values(book[names[0]])[2] == [NONE_IN_PERIOD]
    # The page's captions label their tables by ids that stay unique too.
    html = formats.render(document, "html").content.decode()
    assert 'aria-labelledby="table-odd-caption"' in html
    assert 'aria-labelledby="table-odd-2-caption"' in html


# CSV --------------------------------------------------------------------------------------------


def test_the_csv_holds_every_table_one_after_another(document):
    rows = list(csv.reader(io.StringIO(formats.render(document, "csv").content.decode())))

    expected = []
    for table in _tables(document):
        headings = [[c or "Figure" for c in table.columns]] if table.columns else []
        expected += [[table.title], *headings, *(table.rows or [[table.empty]]), []]
    assert rows == expected
    assert ["Stage 1 complaints received", "5", "1"] in rows

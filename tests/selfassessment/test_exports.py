"""The self-assessment as files: a standalone HTML page, a tagged PDF and a Word document, each in
the Ombudsman's five columns with a table per section of the Code, the "no" action and date in
the commentary column, the approval and the governing body's response; a draft says so."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from putright.rules.code import CODES
from putright.selfassessment import exports
from tests.letters.test_pdf import quiet_weasyprint, structure_types, words  # noqa: F401
from tests.selfassessment.test_approval import answered, approve

pytestmark = pytest.mark.django_db
SECTIONS = len(CODES["2024"].sections)


@pytest.fixture
def approved(today, named_organisation, manager, reviewer, board):
    return approve(
        answered(manager, no=("6.2", "5.8")),
        manager=manager,
        reviewer=reviewer,
        board=board,
        publish=True,
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name, "#").split("#")[0]:
                self.external.append(values[name])


def test_the_html_is_one_standalone_page_with_a_table_per_part_of_each_section(approved):
    rendered = exports.render(approved, "html")
    assert rendered.content_type == "text/html; charset=utf-8"
    assert rendered.filename == "self-assessment-2024-25.html"
    page = rendered.content.decode()
    parser = _Tags()
    parser.feed(page)
    assert parser.external == []  # nothing to fetch
    assert "script" not in parser.tags and "img" not in parser.tags
    assert '<html lang="en-GB">' in page
    assert parser.tags.count("h1") == 1
    # Section 6 has its stage 1 and stage 2 parts; every other section one table.
    parts = sum(len({p.part for p in provisions}) for _, provisions in CODES["2024"].by_section())
    assert parser.tags.count("table") == parts
    assert page.count('<th scope="col">Commentary / explanation</th>') == parts
    assert page.count('<th scope="row">') == 72
    assert "Version 1, approved by the governing body on 10 February 2026" in page
    assert "Daily check of the acknowledgement queue." in page and "30 June 2026" in page
    assert "The board approves the self-assessment" in page
    assert "Draft." not in page


def test_a_draft_says_so_in_every_format(today, named_organisation, manager, quiet_weasyprint):  # noqa: F811
    draft = answered(manager)
    assert "<strong>Draft.</strong>" in exports.render(draft, "html").content.decode()
    assert exports.filename(draft, "pdf") == "self-assessment-2024-25-draft.pdf"
    reader = PdfReader(io.BytesIO(exports.render(draft, "pdf").content))
    assert all("Draft" in words(page.extract_text()) for page in reader.pages)
    document = _docx(exports.render(draft, "docx").content)
    assert "has not been approved by the governing body" in _docx_text(document)


def test_the_pdf_is_tagged_landscape_and_numbered(approved, quiet_weasyprint):  # noqa: F811
    rendered = exports.render(approved, "pdf")
    assert rendered.filename == "self-assessment-2024-25.pdf"
    reader = PdfReader(io.BytesIO(rendered.content))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == "Self-assessment 2024-25 – Greenway Homes"
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    pages = [words(page.extract_text()) for page in reader.pages]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    text = " ".join(pages)
    assert "Daily check of the acknowledgement queue." in text
    tags = structure_types(reader)
    assert tags.count("/H1") == 1
    assert {"/Table", "/TH", "/TD", "/Caption"} <= set(tags)


def _docx(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def _docx_text(document) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_word_document_has_the_five_columns_a_table_per_part_and_its_headings(approved):
    rendered = exports.render(approved, "docx")
    assert rendered.filename == "self-assessment-2024-25.docx"
    assert rendered.content_type.endswith("wordprocessingml.document")
    document = _docx(rendered.content)
    assert document.core_properties.title == "Self-assessment 2024-25 – Greenway Homes"
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "Summary" and headings[-1] == "The governing body's response"
    assert len([h for h in headings if h.startswith("Section ")]) == SECTIONS
    tables = document.tables
    assert all(
        [cell.text for cell in table.rows[0].cells] == list(exports.COLUMNS) for table in tables
    )
    # The header row repeats on every page, for readers and screen readers alike.
    assert all(table.rows[0]._tr.trPr.xml.count("w:tblHeader") == 1 for table in tables)
    rows = {
        table.rows[i].cells[0].text: [cell.text for cell in table.rows[i].cells]
        for table in tables
        for i in range(1, len(table.rows))
    }
    assert len(rows) == 72
    provision, requirement, comply, evidence, commentary = rows["6.2"]
    assert comply == "No" and evidence == "Audit of 20 cases."
    assert "3 of 20 acknowledged late." in commentary
    assert "Action: Daily check of the acknowledgement queue." in commentary
    assert "By: 30 June 2026" in commentary
    assert rows["1.2"][2] == "Yes"
    text = _docx_text(document)
    assert "Member Responsible for Complaints: Helen Ashworth" in text
    assert re.search(r"we comply with 70 and do not yet comply with 2", text)
    language = document.styles["Normal"].element.rPr.xml
    assert 'w:val="en-GB"' in language


def test_an_unknown_format_is_refused(approved):
    with pytest.raises(ValueError, match="html, pdf, docx"):
        exports.render(approved, "odt")

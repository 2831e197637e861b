"""Letters as PDF: every letter type printed from a real case record and read back with pypdf.

Records come from the composing tests (``COMPLETE``), built through the real services; the free
letter, which the handler writes, gets a body with a list.
"""

from __future__ import annotations

import io
import logging
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from putright.core.dates import long_date
from putright.letters.compose import Letter, compose
from putright.letters.pdf import _stylesheets, letter_pdf
from putright.letters.render import blocks
from putright.letters.wording import SECTION_HEADINGS
from putright.rules.letters import LETTER_TYPES
from tests.letters import records as r
from tests.letters.test_compose import COMPLETE

FREE_LETTER_BODY = (
    "Thank you for your call today about the damp in your bedroom.\n\n"
    "- Our surveyor will visit on Friday 6 February between 9am and 1pm.\n"
    "- Please call us if that time does not suit you.\n\n"
    "We will write again once the survey is done."
)
# RNIB: large print is at least 16 point.
LARGE_PRINT_POINTS = 16
ROOT = Path(__file__).resolve().parents[2]


def composed(key: str, log: Any, officer: Any) -> Letter:
    """A complete letter of type ``key``, composed from a case record built for it."""
    if key == "free":
        letter = compose("free", r.responded(log, officer), on=r.D(2026, 2, 2))
        return letter.edited(body=FREE_LETTER_BODY)
    build, on = COMPLETE[key]
    return compose(key, build(log, officer), on=on)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def words(text: str) -> str:
    """Whitespace made single spaces: a PDF breaks lines where the page width says."""
    return " ".join(text.split())


def page_texts(reader: PdfReader) -> list[str]:
    return [words(page.extract_text()) for page in reader.pages]


def missing_lines(letter: Letter, reader: PdfReader) -> list[str]:
    """The lines of the letter's sections that the PDF does not print."""
    text = " ".join(page_texts(reader))
    return [
        line
        for section in letter.sections.values()
        for block in blocks(section)
        for line in block.lines
        if words(line) not in text
    ]


def type_sizes(reader: PdfReader) -> list[float]:
    """The size in points of every run of visible text, from the font size and both the text
    and the page transformations (WeasyPrint draws in CSS pixels scaled to points)."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            scale = abs((tm[0] * tm[3] - tm[1] * tm[2]) * (cm[0] * cm[3] - cm[1] * cm[2]))
            sizes.append(size * math.sqrt(scale))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def structure_types(reader: PdfReader) -> list[str]:
    """The structure types in the tag tree (``/Document``, ``/H1``, ``/P``...), the root's first."""
    found = []
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, dict):
            if "/S" in node:
                found.append(str(node["/S"]))
            kids = node.get("/K", [])
            pending.extend(kids if isinstance(kids, list) else [kids])
    return found


@pytest.fixture
def quiet_weasyprint(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail on any WeasyPrint warning: an unsupported CSS rule or a missing language is a
    rendering fault, not noise."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        yield
    # Read in teardown, so the test's own records are the "call" phase's.
    logged = caplog.get_records("call")
    assert [record.getMessage() for record in logged if record.name == "weasyprint"] == []


@pytest.mark.parametrize("large_print", [False, True])
def test_weasyprint_understands_every_rule_of_the_print_stylesheets(large_print, quiet_weasyprint):
    # Parsed afresh: letter_pdf parses them once per process, so a warning shows only once.
    assert _stylesheets.__wrapped__(large_print)


@pytest.mark.parametrize("key", list(LETTER_TYPES))
def test_the_pdf_holds_every_section_with_the_letterhead_date_and_reference(
    key, log, officer, quiet_weasyprint
):
    letter = composed(key, log, officer)
    reader = read(letter_pdf(letter))
    pages = page_texts(reader)

    assert missing_lines(letter, reader) == []
    first = pages[0]
    assert letter.heading in first
    assert letter.recipient.salutation in first
    assert long_date(letter.date) in first
    assert f"Our reference: {letter.reference}" in first
    letterhead = ("Greenway Homes", "1 Station Road", "GW1 1AA", "Telephone: 0300 123 4567")
    for line in (*letterhead, "Email: complaints@greenway.example.org"):
        assert line in first, line
    for line in (letter.recipient.name, *letter.recipient.address):
        assert line in first, line
    assert words(letter.sender.sign_off) in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert page.count(f"Our reference: {letter.reference}") == (2 if number == 1 else 1)


@pytest.mark.parametrize("key", list(LETTER_TYPES))
def test_the_pdf_is_tagged_for_assistive_technology_with_its_language_and_title(
    key, log, officer, quiet_weasyprint
):
    letter = composed(key, log, officer)
    reader = read(letter_pdf(letter))
    catalog = reader.trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == f"{letter.heading} – {letter.reference}"
    assert reader.metadata.author == "Greenway Homes"
    # PDF/UA-1 says so in the XMP metadata, and every font is embedded, as it requires.
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_data()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], font
    tags = structure_types(reader)
    assert tags[0] == "/Document"
    assert "/Art" in tags  # the <article>: WeasyPrint makes one per page
    assert tags.count("/H1") == 1
    assert tags.count("/H2") == sum(1 for key in letter.sections if SECTION_HEADINGS.get(key))
    if any(block.is_list for section in letter.sections.values() for block in blocks(section)):
        assert {"/L", "/LI", "/Lbl", "/LBody"} <= set(tags)


@pytest.mark.parametrize("key", list(LETTER_TYPES))
def test_large_print_sets_everything_in_16_point_type_or_bigger(
    key, log, officer, quiet_weasyprint
):
    letter = composed(key, log, officer)
    standard = read(letter_pdf(letter))
    large = read(letter_pdf(letter, large_print=True))

    assert min(type_sizes(large)) >= LARGE_PRINT_POINTS - 0.01
    assert min(type_sizes(standard)) < LARGE_PRINT_POINTS
    assert max(type_sizes(large)) > max(type_sizes(standard))  # the headings grow too
    assert len(large.pages) >= len(standard.pages)
    assert missing_lines(letter, large) == []


def test_the_standard_letter_is_set_in_12_point_with_bigger_headings(log, officer):
    letter = composed("stage1_response", log, officer)
    sizes = sorted({round(size, 1) for size in type_sizes(read(letter_pdf(letter)))})
    assert 12.0 in sizes
    assert sizes[-1] >= 15


def test_the_app_starts_without_loading_weasyprint():
    """WeasyPrint needs Pango; only making a PDF may load it."""
    script = (
        "import sys, django; django.setup(); import putright.letters.pdf; "
        "sys.exit('weasyprint' in sys.modules)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "putright.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, check=False, timeout=60
    )
    assert done.returncode == 0

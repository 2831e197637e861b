"""A composed letter as a tagged, accessible PDF, from the same HTML as screen and email.

WeasyPrint lays out ``render_html(letter, standalone=True)`` with the print stylesheet beside
the templates (``letters/print.css``, plus ``letters/large-print.css`` for large print). The
stylesheets are handed to WeasyPrint as strings, so the site's Content Security Policy, which
governs pages in a browser, never comes into it.

The PDF is PDF/UA-1: tagged (headings, paragraphs, lists and the letter as an article in the
structure tree), with the document's language and title, and every font embedded. WeasyPrint
is imported when a PDF is made, not when the app starts, so a machine without Pango can still
run everything else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from putright.letters.compose import Letter
from putright.letters.render import render_html

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = ["letter_pdf"]

_STYLESHEETS = Path(__file__).resolve().parent / "templates" / "letters"
# PDF/UA-1 turns on tagging and PDF 1.7, and records the conformance in the XMP metadata.
_PDF_VARIANT = "pdf/ua-1"


@cache
def _stylesheets(large_print: bool) -> tuple[CSS, ...]:
    """The print stylesheets, parsed once per process: parsing costs about a tenth of a render,
    and WeasyPrint reuses a parsed stylesheet across documents."""
    from weasyprint import CSS

    names = ("print.css", "large-print.css") if large_print else ("print.css",)
    return tuple(CSS(string=(_STYLESHEETS / name).read_text(encoding="utf-8")) for name in names)


def letter_pdf(letter: Letter, *, large_print: bool = False) -> bytes:
    """The letter as an A4 PDF; with ``large_print``, set in type of at least 16 points for a
    resident who asked for large print (RNIB's clear and large print guidance)."""
    # Imported here, not at the top: WeasyPrint needs Pango (see the module docstring).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # A letter needs nothing from outside itself; refusing every URL means no text in a case
    # record can make the server fetch something while it renders.
    html = HTML(
        string=render_html(letter, standalone=True),
        url_fetcher=URLFetcher(allowed_protocols=frozenset()),
    )
    return html.write_pdf(stylesheets=list(_stylesheets(large_print)), pdf_variant=_PDF_VARIANT)

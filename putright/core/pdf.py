"""HTML to a tagged, accessible PDF with WeasyPrint: what letters and reports share.

Stylesheets are handed to WeasyPrint as strings, so the site's Content Security Policy, which
governs pages in a browser, never comes into it; and every URL is refused, so no text in a record
can make the server fetch something while it renders. The PDF is PDF/UA-1: tagged (headings,
paragraphs, lists and tables in the structure tree), with the document's language and title, and
every font embedded.

WeasyPrint is imported when a PDF is made, not when the app starts, so a machine without Pango can
still run everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = ["PDF_VARIANT", "html_to_pdf", "stylesheet"]

# PDF/UA-1 turns on tagging and PDF 1.7, and records the conformance in the XMP metadata.
PDF_VARIANT = "pdf/ua-1"


def stylesheet(path: Path) -> CSS:
    """A print stylesheet parsed for WeasyPrint. Parsing costs about a tenth of a render and a
    parsed sheet is reusable, so callers keep what this returns (``functools.cache``)."""
    from weasyprint import CSS

    return CSS(string=path.read_text(encoding="utf-8"))


def html_to_pdf(html: str, stylesheets: Iterable[CSS] = ()) -> bytes:
    """``html``, a whole document that needs nothing from outside itself, as a PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=frozenset()))
    return document.write_pdf(stylesheets=list(stylesheets), pdf_variant=PDF_VARIANT)

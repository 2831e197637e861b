"""A composed letter as a tagged, accessible PDF, from the same HTML as screen and email.

WeasyPrint lays out ``render_html(letter, standalone=True)`` with the print stylesheet beside
the templates (``letters/print.css``, plus ``letters/large-print.css`` for large print), through
``putright.core.pdf``: PDF/UA-1, tagged (the letter as an article in the structure tree), no URL
fetched, and WeasyPrint loaded only when a PDF is made.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from putright.core.pdf import html_to_pdf, stylesheet
from putright.letters.compose import Letter
from putright.letters.render import render_html

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = ["letter_pdf"]

_STYLESHEETS = Path(__file__).resolve().parent / "templates" / "letters"


@cache
def _stylesheets(large_print: bool) -> tuple[CSS, ...]:
    """The print stylesheets, parsed once per process: parsing costs about a tenth of a render,
    and WeasyPrint reuses a parsed stylesheet across documents."""
    names = ("print.css", "large-print.css") if large_print else ("print.css",)
    return tuple(stylesheet(_STYLESHEETS / name) for name in names)


def letter_pdf(letter: Letter, *, large_print: bool = False) -> bytes:
    """The letter as an A4 PDF; with ``large_print``, set in type of at least 16 points for a
    resident who asked for large print (RNIB's clear and large print guidance)."""
    return html_to_pdf(render_html(letter, standalone=True), _stylesheets(large_print))

"""A composed letter as HTML: one template per kind of letter, for screen, email and print.

A section's text is plain, read by ``putright.core.text.blocks`` into paragraphs and lists. The
templates are plain semantic HTML (no inline styles or scripts: the site's Content Security
Policy forbids them) with GOV.UK Frontend's typography classes for the screen; print and email
style the same classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from putright.core.dates import long_date
from putright.core.text import Block, blocks
from putright.letters.compose import Letter

__all__ = ["Block", "Section", "blocks", "render_html", "render_text"]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


def render_html(letter: Letter, *, standalone: bool = False, heading_level: int = 1) -> SafeString:
    """The letter as an ``<article>`` to place in a page, or with ``standalone`` a whole HTML
    document (an email body, or the source of a PDF). In a page, ``heading_level`` puts the
    letter's heading under the page's own (a page has one h1)."""
    sections = {
        key: Section(key, letter.words.section_heading(key), blocks(text))
        for key, text in letter.sections.items()
    }
    context = {
        "letter": letter,
        "heading": letter.heading,
        "long_date": long_date(letter.date),
        "sections": sections,
        "valediction": letter.words.text("valediction"),
        "heading_level": heading_level,
        "section_level": heading_level + 1,
    }
    # render_to_string returns a SafeString: autoescaped by the engine, not escaped again.
    article = render_to_string(f"letters/{letter.type.kind.value}.html", context)
    if not standalone:
        return article
    return render_to_string("letters/document.html", {"letter": letter, "article": article})


def render_text(letter: Letter) -> str:
    """The letter as plain text, for the text part of its email: the same words as the HTML and
    the PDF, in the same order, with bullets as "- " lines."""
    sender, recipient = letter.sender, letter.recipient
    lines = [
        letter.heading,
        "",
        long_date(letter.date),
        f"Our reference: {letter.reference}",
    ]
    if recipient.is_representative:
        lines.append(f"Complaint made by {recipient.on_behalf_of}")
    lines += ["", recipient.salutation]
    for key in letter.type.element_keys:
        text = letter.sections.get(key)
        if not text:
            continue
        heading = letter.words.section_heading(key)
        if heading:
            lines += ["", heading.upper()]
        for block in blocks(text):
            lines.append("")
            lines += [f"- {line}" for line in block.lines] if block.is_list else list(block.lines)
    lines += [
        "",
        letter.words.text("valediction"),
        "",
        sender.name,
        sender.job_title,
        sender.organisation,
    ]
    contact = [*sender.address, sender.phone and f"Telephone: {sender.phone}"]
    lines += ["", *[line for line in contact if line]]
    return "\n".join(lines).strip() + "\n"

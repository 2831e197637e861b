"""Plain text a person typed (a letter's section, a report's commentary) as paragraphs and lists.

Paragraphs are separated by a blank line, a line break inside a paragraph is kept as a line
break, and a paragraph whose every line starts with "- " is a bulleted list. Letters and reports
read text the same way, so what a landlord types looks the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Block", "blocks"]

_BULLET = "- "


@dataclass(frozen=True)
class Block:
    """A paragraph (its lines) or a bulleted list (its items)."""

    lines: tuple[str, ...]
    is_list: bool = False


def blocks(text: str) -> tuple[Block, ...]:
    """The paragraphs and lists of ``text``, in order."""
    found = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(_BULLET) for line in lines):
            found.append(Block(tuple(line[len(_BULLET) :].strip() for line in lines), True))
        else:
            found.append(Block(tuple(lines)))
    return tuple(found)

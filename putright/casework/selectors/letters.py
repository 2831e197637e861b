"""The response letter as the resident will receive it, composed from the record for the screens
that check and issue a response: its text, what it still lacks, and how easy it is to read."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from putright.complaints.models import Complaint, Stage
from putright.letters.compose import compose
from putright.letters.render import render_html
from putright.rules.letters import Problem
from putright.rules.readability import PLAIN_ENGLISH_SCORE, Readability, assess


@dataclass(frozen=True)
class LetterPreview:
    html: SafeString
    problems: list[Problem]
    readability: Readability

    @property
    def plain_english(self) -> bool:
        return self.readability.is_plain_english

    @property
    def target_score(self) -> int:
        return PLAIN_ENGLISH_SCORE


def response_letter_preview(complaint: Complaint, stage: Stage) -> LetterPreview:
    letter = compose("response", complaint, stage_number=stage.number)
    text = "\n".join(section for section in letter.sections.values() if section)
    return LetterPreview(
        html=render_html(letter, heading_level=3), problems=letter.check(), readability=assess(text)
    )

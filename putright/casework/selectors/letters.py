"""Letters as the resident will receive them, for the screens that check and issue a step: the
text, what it still lacks, how easy it is to read and how it will go."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from putright.complaints.models import Complaint, Stage
from putright.core.dates import long_date
from putright.letters.compose import Letter, compose
from putright.letters.models import Delivery, IssuedLetter
from putright.letters.render import render_html
from putright.letters.services import STEP_KINDS, delivery_for
from putright.outbox.models import EmailStatus
from putright.rules.letters import Problem
from putright.rules.readability import PLAIN_ENGLISH_SCORE, Readability, assess

EMAIL_STATUS = {
    EmailStatus.QUEUED: "Emailed to {to}: waiting to send.",
    EmailStatus.SENDING: "Emailed to {to}: sending.",
    EmailStatus.SENT: "Emailed to {to}.",
    EmailStatus.FAILED: "Email to {to} failed to send: resend it from Failed to send.",
}


@dataclass(frozen=True)
class LetterPreview:
    heading: str
    type_label: str
    delivery: str
    html: SafeString
    problems: list[Problem]
    readability: Readability
    is_step: bool = True  # issued with a step (an acknowledgement, say), not on its own

    @property
    def plain_english(self) -> bool:
        return self.readability.is_plain_english

    @property
    def target_score(self) -> int:
        return PLAIN_ENGLISH_SCORE


def _delivery_text(letter: Letter) -> str:
    delivery, large_print, note = delivery_for(letter)
    if delivery == Delivery.EMAIL:
        text = f"emailed to {letter.recipient.email} with the PDF attached"
    else:
        text = "printed for you to post (record the date it goes)"
    if large_print:
        text += ", in large print"
    return f"{text}. {note}" if note else text


def preview_of(letter: Letter) -> LetterPreview:
    text = "\n".join(section for section in letter.sections.values() if section)
    return LetterPreview(
        heading=letter.heading,
        type_label=letter.type.title.lower(),
        delivery=_delivery_text(letter),
        html=render_html(letter, heading_level=3),
        problems=letter.check(),
        readability=assess(text),
        is_step=letter.type.kind in STEP_KINDS,
    )


def response_letter_preview(complaint: Complaint, stage: Stage) -> LetterPreview:
    """The response letter composed from the draft, before it is issued."""
    return preview_of(compose("response", complaint, stage_number=stage.number))


def letters_for_complaint(complaint: Complaint) -> QuerySet[IssuedLetter]:
    """Every letter issued on the complaint, oldest first, with its PDF and email."""
    return (
        IssuedLetter.objects.filter(complaint=complaint)
        .select_related("document", "email", "issued_by", "posted_by")
        .order_by("dated", "id")
    )


def letter_delivery_status(letter: IssuedLetter) -> str:
    """Where the letter has got to, in a sentence (the PDF and email are made after issue)."""
    if letter.delivery == Delivery.POST:
        status = (
            f"Posted on {long_date(letter.posted_on)}."
            if letter.posted_on
            else "For post: print it and record the date it went."
        )
    elif letter.email is None:
        status = "Being prepared for email."
    else:
        status = EMAIL_STATUS.get(letter.email.status, "").format(to=", ".join(letter.email.to))
    if letter.format_note:
        status += f" {letter.format_note}."
    return status


def letter_delivery_needs_attention(letter: IssuedLetter) -> bool:
    """A letter for post not yet recorded as posted, or an email that failed to send."""
    if letter.delivery == Delivery.POST:
        return letter.posted_on is None
    return letter.email is not None and letter.email.status == EmailStatus.FAILED

"""A stored letter back as the composed ``Letter`` it was issued as, to render again (the PDF,
the email, the screen) with exactly the words that were sent."""

from __future__ import annotations

from putright.letters.compose import Letter, Recipient, Sender
from putright.letters.models import IssuedLetter
from putright.letters.versions import wording_of
from putright.letters.wording import BUILT_IN
from putright.rules.letters import LETTER_TYPES


def as_letter(row: IssuedLetter) -> Letter:
    recipient = {**row.recipient, "address": tuple(row.recipient.get("address", ()))}
    sender = {**row.sender, "address": tuple(row.sender.get("address", ()))}
    return Letter(
        type=LETTER_TYPES[row.type_key],
        recipient=Recipient(**recipient),
        date=row.dated,
        sections=dict(row.sections),
        points=tuple(row.points),
        points_answered=tuple(row.points_answered),
        reference=row.complaint.reference,
        sender=Sender(**sender),
        # Headings and the closing come from the version the letter was written in.
        words=BUILT_IN if row.wording_version is None else wording_of(row.wording_version),
    )

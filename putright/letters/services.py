"""Issuing letters: the step and its letter in one service call, one transaction.

A step that the Code says must be put in writing (an acknowledgement, an extension, a refusal, a
response) is taken here: the step's own service runs, the letter is composed from the record it
has just written, checked against the Code's required elements, and stored. A letter that fails
its check refuses the whole step, so nothing is recorded as sent that was not; the letter's date
is the date the step records (the acknowledgement date, the extension notice, the date the
resident was told of a refusal, the response date).

The complaints services stay callable without a letter for what happened outside PutRight (a
historic import, a letter sent by another system); the screens, and everything that sends, use
these.

After commit the worker renders the PDF, keeps it on the case and, for a resident who asked for
email, puts the email in the outbox (``tasks.letter_deliver``). Post is recorded when it goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from putright.complaints import services as complaint_services
from putright.complaints.models import Complaint, ComplaintEvent, DocumentKind, Party, Status
from putright.core import clock
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created
from putright.letters.compose import Letter, compose
from putright.letters.models import Delivery, IssuedLetter
from putright.letters.render import render_html, render_text
from putright.letters.stored import as_letter
from putright.letters.versions import wording_for_issue, wording_in_use
from putright.outbox import services as outbox
from putright.people.models import ContactMethod, Format
from putright.rules.letters import LETTER_TYPES, LetterKind, Problem

__all__ = [
    "LetterIncomplete",
    "acknowledgement_issue",
    "escalation_refusal_issue",
    "extension_issue",
    "letter_deliver",
    "letter_issue",
    "letter_preview",
    "letter_record_posted",
    "not_accepted_issue",
    "response_issue",
]

# Letters that belong to a step: issued with it, never on their own.
STEP_KINDS = frozenset(
    {
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.EXTENSION,
        LetterKind.NOT_ACCEPTED,
        LetterKind.ESCALATION_REFUSED,
        LetterKind.RESPONSE,
    }
)

# Formats PutRight cannot produce itself: the letter is issued and flagged for someone to arrange.
_ARRANGED_FORMATS = {Format.EASY_READ, Format.BRAILLE, Format.AUDIO, Format.OTHER}


class LetterIncomplete(StepRefused):
    """The letter misses something the Code requires: the step it belongs to is not taken."""

    def __init__(self, problems: list[Problem]):
        first, *rest = [self._one(problem) for problem in problems]
        super().__init__(first.code, first.message, field=first.field)
        self.also = rest
        self.problems = problems

    @staticmethod
    def _one(problem: Problem) -> StepRefused:
        return StepRefused(
            "letter_incomplete", f"The letter: {problem.message}", field=problem.field_id
        )


# --- the letter ---------------------------------------------------------------------------------


def _drafted(
    key: str,
    complaint: Complaint,
    *,
    acting_user: Any,
    stage_number: int | None,
    on: dt.date | None,
    sections: dict[str, str] | None,
    draft: bool = False,
) -> tuple[Letter, list[str]]:
    signer = acting_user if getattr(acting_user, "pk", None) else None
    return _edit(
        compose(
            key,
            complaint,
            stage_number=stage_number,
            on=on,
            signer=signer,
            # A draft shown on a screen reads the wording; only issuing stores version 1.
            words=wording_in_use() if draft else wording_for_issue(),
        ),
        sections,
    )


def _checked(key: str, complaint: Complaint, **arguments: Any) -> tuple[Letter, list[str]]:
    letter, changed = _drafted(key, complaint, **arguments)
    problems = letter.check()
    if problems:
        raise LetterIncomplete(problems)
    return letter, changed


def _edit(letter: Letter, sections: dict[str, str] | None) -> tuple[Letter, list[str]]:
    """The letter with the handler's own words for some sections, and which ones they changed."""
    if not sections:
        return letter, []
    try:
        edited = letter.edited(**sections)
    except ValueError as error:
        raise InvalidInput("letter_unknown_section", str(error)) from None
    changed = [key for key in sections if letter.sections[key] != edited.sections[key]]
    return edited, changed


def delivery_for(letter: Letter) -> tuple[Delivery, bool, str]:
    """How the letter goes, whether its PDF is large print, and a note for whoever sends it.

    Email goes to someone who asked for it and gave an address, and to someone with no postal
    address but an email one; everything else goes by post. A format PutRight cannot make is
    flagged for a person to arrange."""
    recipient = letter.recipient
    email = recipient.email.strip()
    wants_email = recipient.preferred_contact_method == ContactMethod.EMAIL
    notes = []
    if wants_email and email:
        delivery = Delivery.EMAIL
    elif not recipient.address and email:
        delivery = Delivery.EMAIL
        notes.append("No postal address is recorded: sent by email")
    else:
        delivery = Delivery.POST
        if wants_email:
            notes.append("Email asked for but no email address is recorded: sent by post")
        if not recipient.address:
            notes.append("No postal address is recorded: add one before posting it")
    if recipient.language.strip() and recipient.language.strip().lower() != "english":
        needs = "an interpreter" if recipient.interpreter_needed else "a translation if needed"
        notes.append(
            f"The letter is in English and they speak {recipient.language}: arrange {needs}"
        )
    if recipient.preferred_format in _ARRANGED_FORMATS:
        notes.append(
            f"{recipient.preferred_format_label} version asked for: arrange it and send it too"
        )
    return delivery, recipient.preferred_format == Format.LARGE_PRINT, ". ".join(notes)


def _store(
    letter: Letter, *, complaint: Complaint, acting_user: Any, changed: list[str]
) -> IssuedLetter:
    """Keep the issued letter, record it in the complaint's history (with the sections the
    handler rewrote) and, after commit, have the worker make its PDF and send it."""
    from putright.letters import tasks  # which imports this module

    delivery, large_print, note = delivery_for(letter)
    row = IssuedLetter.objects.create(
        complaint=complaint,
        stage_number=letter.type.stage,
        type_key=letter.type.key,
        heading=letter.heading,
        dated=letter.date,
        issued_by=acting_user if getattr(acting_user, "pk", None) else None,
        sections=letter.sections,
        recipient=IssuedLetter.snapshot(letter.recipient),
        sender=IssuedLetter.snapshot(letter.sender),
        points=list(letter.points),
        points_answered=list(letter.points_answered),
        wording_version_id=letter.words.version,
        delivery=delivery,
        large_print=large_print,
        format_note=note,
    )
    complaint_services.letter_history_record(
        acting_user=acting_user,
        complaint=complaint,
        action=ComplaintEvent.Action.LETTER_ISSUED,
        summary=f"{letter.heading} issued to {letter.recipient.name} by {delivery.label.lower()}",
        changes=created(
            {
                "letter": {"id": row.pk, "label": letter.heading},
                "delivery": delivery,
                "large_print": large_print,
                "sections_rewritten": changed,
            }
        ),
        on=letter.date,
        stage_number=letter.type.stage,
    )
    transaction.on_commit(lambda: tasks.letter_deliver.enqueue(row.pk))
    return row


# --- steps with their letters -------------------------------------------------------------------


@dataclass(frozen=True)
class _StepLetter:
    """A step's service, the letter it sends and which stage that letter is about."""

    step: Callable[..., Any]
    key: str
    stage: Callable[[Complaint, dict[str, Any]], int | None]


def _current(complaint: Complaint, arguments: dict[str, Any]) -> int | None:
    return arguments.get("stage") or complaint.stage_number


def _own(complaint: Complaint, arguments: dict[str, Any]) -> None:
    return None  # a refusal letter knows its own stage


def _compose_after(step_letter: _StepLetter, arguments: dict[str, Any]) -> tuple[Letter, list[str]]:
    """Take the step, then compose its letter from the record just written (in the caller's
    transaction), with any sections the handler rewrote."""
    arguments = dict(arguments)
    sections = arguments.pop("letter_sections", None)
    step_letter.step(**arguments)
    complaint = arguments["complaint"]
    number = step_letter.stage(complaint, arguments)
    signer = arguments["acting_user"] if getattr(arguments["acting_user"], "pk", None) else None
    letter = compose(
        step_letter.key, complaint, stage_number=number, signer=signer, words=wording_for_issue()
    )
    return _edit(letter, sections)


def _issue_with_step(step_letter: _StepLetter, arguments: dict[str, Any]) -> IssuedLetter:
    with transaction.atomic():
        letter, changed = _compose_after(step_letter, arguments)
        problems = letter.check()
        if problems:
            raise LetterIncomplete(problems)
        complaint, acting_user = arguments["complaint"], arguments["acting_user"]
        return _store(letter, complaint=complaint, acting_user=acting_user, changed=changed)


ACKNOWLEDGEMENT = _StepLetter(complaint_services.stage_acknowledge, "acknowledgement", _current)
EXTENSION = _StepLetter(complaint_services.stage_extend, "extension", _current)
NOT_ACCEPTED = _StepLetter(complaint_services.complaint_not_accept, "not_accepted", _own)
ESCALATION_REFUSED = _StepLetter(complaint_services.escalation_refuse, "escalation_refused", _own)
RESPONSE = _StepLetter(complaint_services.stage_respond, "response", _current)


def acknowledgement_issue(**arguments: Any) -> IssuedLetter:
    """Acknowledge a stage (``stage_acknowledge``'s arguments, plus ``letter_sections``, the
    handler's own words for any section) and issue the acknowledgement letter (6.2, 6.11)."""
    return _issue_with_step(ACKNOWLEDGEMENT, arguments)


def extension_issue(**arguments: Any) -> IssuedLetter:
    """Extend the response date (``stage_extend``) and issue the notice (6.4, 6.5, 6.15, 6.16)."""
    return _issue_with_step(EXTENSION, arguments)


def not_accepted_issue(**arguments: Any) -> IssuedLetter:
    """Decline to accept the complaint (``complaint_not_accept``) and say why in writing (2.4)."""
    return _issue_with_step(NOT_ACCEPTED, arguments)


def escalation_refusal_issue(**arguments: Any) -> IssuedLetter:
    """Refuse to escalate (``escalation_refuse``) and say why in writing (5.11)."""
    return _issue_with_step(ESCALATION_REFUSED, arguments)


def response_issue(**arguments: Any) -> IssuedLetter:
    """Issue the stage's response (``stage_respond``) as its letter (6.9, 6.19)."""
    return _issue_with_step(RESPONSE, arguments)


STEP_LETTERS: dict[Callable[..., IssuedLetter], _StepLetter] = {
    acknowledgement_issue: ACKNOWLEDGEMENT,
    extension_issue: EXTENSION,
    not_accepted_issue: NOT_ACCEPTED,
    escalation_refusal_issue: ESCALATION_REFUSED,
    response_issue: RESPONSE,
}


class _Rollback(Exception):
    def __init__(self, letter: Letter):
        self.letter = letter


def letter_preview(
    issue: Callable[..., IssuedLetter],
    *,
    before: Callable[[], dict[str, Any]] | None = None,
    **arguments: Any,
) -> Letter:
    """The letter ``issue`` (one of the ``*_issue`` services) would send with these arguments,
    composed by taking the step inside a transaction that is then rolled back, so the preview is
    the letter that would go, word for word. ``before`` runs first in the same transaction (a
    step the screen takes first, such as allocating a handler) and returns arguments to add.
    A step the rules refuse raises as it would; the letter's own problems are
    ``letter.check()``."""
    try:
        with transaction.atomic():
            if before is not None:
                arguments = {**arguments, **before()}
            raise _Rollback(_compose_after(STEP_LETTERS[issue], arguments)[0])
    except _Rollback as done:
        return done.letter


# --- letters of their own -----------------------------------------------------------------------


# A complaint whose process has ended: closed, or answered at stage 2 (the last stage).
_ENDED = frozenset({Status.CLOSED, Status.STAGE2_RESPONDED})


def _refuse_step_letter(key: str, complaint: Complaint) -> None:
    kind = LETTER_TYPES[key].kind if key in LETTER_TYPES else LetterKind(key)
    if kind in STEP_KINDS:
        raise StepRefused(
            "letter_belongs_to_step",
            f"A {kind.value.replace('_', ' ')} letter is issued with its step, not on its own.",
            field="letter_type",
        )
    if kind is LetterKind.CLOSURE and complaint.status not in _ENDED:
        raise StepRefused(
            "letter_not_closed",
            f"Complaint {complaint.reference} is not closed, so it cannot have a closure letter.",
            field="letter_type",
        )


def letter_issue(
    *,
    acting_user: Any,
    complaint: Complaint,
    letter_type_key: str,
    stage_number: int | None = None,
    sections: dict[str, str] | None = None,
    on: dt.date | None = None,
) -> IssuedLetter:
    """Issue a letter that is not a step of its own: an update on outstanding actions, a closure
    letter or a free letter. A letter that belongs to a step is issued with it."""
    on = on or clock.today()
    if on > clock.today():
        raise StepRefused("letter_future", "A letter cannot be dated in the future.", field="on")
    key = letter_type_key
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _refuse_step_letter(key, locked)
        letter, changed = _checked(
            key,
            locked,
            acting_user=acting_user,
            stage_number=stage_number,
            on=on,
            sections=sections,
        )
        return _store(letter, complaint=locked, acting_user=acting_user, changed=changed)


def letter_draft(
    *,
    acting_user: Any,
    complaint: Complaint,
    letter_type_key: str,
    stage_number: int | None = None,
    sections: dict[str, str] | None = None,
    on: dt.date | None = None,
) -> Letter:
    """The letter ``letter_issue`` would issue with these arguments, composed and not stored,
    for a screen to show and the handler to finish; what it still lacks is ``letter.check()``."""
    _refuse_step_letter(letter_type_key, complaint)
    letter, _ = _drafted(
        letter_type_key,
        complaint,
        acting_user=acting_user,
        stage_number=stage_number,
        on=on or clock.today(),
        sections=sections,
        draft=True,
    )
    return letter


@transaction.atomic
def letter_record_posted(*, acting_user: Any, letter: IssuedLetter, on: dt.date) -> IssuedLetter:
    """Record that a letter for post was printed and posted on ``on``: its correspondence entry."""
    locked = IssuedLetter.objects.select_for_update().get(pk=letter.pk)
    if locked.delivery != Delivery.POST:
        raise StepRefused("letter_not_for_post", "This letter goes by email, not by post.")
    if locked.posted_on is not None:
        raise StepRefused(
            "letter_already_posted",
            f"This letter was recorded as posted on {locked.posted_on:%d/%m/%Y}.",
        )
    if on > clock.today() or on < locked.dated:
        raise StepRefused(
            "letter_posted_date",
            "The date posted must be between the letter's date and today.",
            field="on",
        )
    complaint = locked.complaint
    correspondence = complaint_services.correspondence_record(
        acting_user=acting_user,
        complaint=complaint,
        direction="out",
        channel="letter",
        party=_party(as_letter(locked)),
        summary=f"{locked.heading} posted",
        on=on,
        stage_number=locked.stage_number,
        document=locked.document,
    )
    locked.posted_on = on
    locked.posted_by = acting_user
    locked.save(update_fields=["posted_on", "posted_by", "updated_at"])
    complaint_services.letter_history_record(
        acting_user=acting_user,
        complaint=complaint,
        action=ComplaintEvent.Action.LETTER_POSTED,
        summary=f"{locked.heading} posted",
        changes={"posted_on": [None, on.isoformat()], "correspondence": [None, correspondence.pk]},
        on=on,
        stage_number=locked.stage_number,
    )
    letter.posted_on, letter.posted_by = locked.posted_on, locked.posted_by
    return locked


# --- after issue: the PDF and the email ---------------------------------------------------------


def letter_deliver(*, letter_id: int) -> IssuedLetter:
    """Render the issued letter's PDF onto the case and, for email, put it in the outbox.

    Run by the worker after the issuing transaction commits. Idempotent: a letter with its PDF
    stored is not rendered again, and one whose email is queued is not queued twice.
    """
    from putright.letters.pdf import letter_pdf  # WeasyPrint loads only where PDFs are made

    with transaction.atomic():
        row = (
            IssuedLetter.objects.select_for_update(of=("self",))
            .select_related("complaint", "issued_by", "wording_version")
            .get(pk=letter_id)
        )
        letter = as_letter(row)
        if row.document_id is None:
            row.document = complaint_services.document_attach(
                acting_user=row.issued_by,
                complaint=row.complaint,
                name=f"{row.complaint.reference}-{row.type_key}-{row.dated.isoformat()}.pdf",
                content=letter_pdf(letter, large_print=row.large_print),
                content_type="application/pdf",
                kind=DocumentKind.LETTER,
                on=row.dated,
            )
        if row.delivery == Delivery.EMAIL and row.email_id is None:
            row.email = outbox.email_enqueue(
                to=[letter.recipient.email],
                subject=f"{letter.heading} (our reference {letter.reference})",
                text=render_text(letter),
                html=str(render_html(letter, standalone=True)),
                attachment=row.document,
                complaint=row.complaint,
                stage_number=row.stage_number,
                party=_party(letter),
                correspondence_summary=f"{letter.heading} emailed",
                acting_user=row.issued_by,
            )
        row.save(update_fields=["document", "email", "updated_at"])
        return row


def _party(letter: Letter) -> str:
    return Party.REPRESENTATIVE if letter.recipient.is_representative else Party.RESIDENT

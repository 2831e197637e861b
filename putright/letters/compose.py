"""Compose each Code letter from the case record.

``compose(letter_type_key, complaint)`` returns a ``Letter``: the letter type from
``putright.rules.letters``, who it goes to, its date, and one section of plain English per
required element of the type, keyed by the element's key, so ``Letter.check()`` (which runs
``check_letter``) can say what is still missing before it is sent.

Where the words come from:

- the record: points of complaint and outcomes sought, decisions and reasons (the Decision rows
  once the response is issued, the stage's draft before), remedies with amounts, actions with
  owners and dates, due dates, extensions, refusals, the handler and the organisation;
- fixed wording (``wording``): the Housing Ombudsman's details and the escalation route;
- the handler: what the record does not hold is left as filler in square brackets, which
  ``check_letter`` reports until someone writes it. Nothing is made up to fill a gap.

Reads are set-based: the complaint with its stages, points, decisions, remedies, actions,
extensions and refusals comes in a fixed number of queries however many rows each has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from putright.complaints.deadlines import escalation_window_end
from putright.complaints.models import (
    Action,
    ClosureReason,
    Complaint,
    Extension,
    Finding,
    Point,
    Refusal,
    Remedy,
    RemedyKind,
    Stage,
)
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import StepRefused
from putright.core.money import pounds
from putright.letters import wording as w
from putright.letters.versions import wording_in_use
from putright.organisation.models import Organisation
from putright.organisation.selectors import current_calendar, current_timescales, get_organisation
from putright.people.models import ContactMethod, Format, Tenancy
from putright.rules.letters import (
    LETTER_TYPES,
    LetterKind,
    LetterType,
    Problem,
    check_letter,
    letter_type,
)

__all__ = ["Letter", "Recipient", "Sender", "compose", "resolve_letter_type"]


# --- the letter ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who the letter goes to, and how the resident asked to be written to.

    When the complaint has an active representative the letter is addressed to them
    (``is_representative``, with the resident's name in ``on_behalf_of``); the format, contact
    method and language are always the resident's own, so later rendering and delivery can
    honour them (large print, easy read, braille, audio).
    """

    name: str
    salutation: str
    address: tuple[str, ...]
    email: str
    preferred_format: str = Format.STANDARD
    preferred_contact_method: str = ContactMethod.LETTER
    language: str = "English"
    interpreter_needed: bool = False
    organisation: str = ""
    is_representative: bool = False
    on_behalf_of: str = ""

    @property
    def preferred_format_label(self) -> str:
        return Format(self.preferred_format).label

    @property
    def preferred_contact_method_label(self) -> str:
        return ContactMethod(self.preferred_contact_method).label


@dataclass(frozen=True)
class Sender:
    """The organisation the letter comes from and the member of staff who signs it."""

    organisation: str
    name: str
    job_title: str
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""

    @property
    def sign_off(self) -> str:
        return "\n".join((self.name, self.job_title, self.organisation))


@dataclass(frozen=True)
class Letter:
    """A composed letter. ``sections`` maps each element key of ``type`` to its text.

    ``points`` are the numbers of the points of complaint the letter sets out, and
    ``points_answered`` those with a decision (responses only), as ``check_letter`` takes them.
    Treat ``sections`` as read-only; ``edited`` gives a copy with sections replaced.
    """

    type: LetterType
    recipient: Recipient
    date: dt.date
    sections: dict[str, str]
    points: tuple[int, ...] = ()
    points_answered: tuple[int, ...] = ()
    reference: str = ""
    sender: Sender = field(
        default_factory=lambda: Sender(w.FILL_ORGANISATION, w.FILL_HANDLER_NAME, w.FILL_JOB_TITLE)
    )
    # The wording the letter was composed in: its headings and standard sentences, and the
    # version number stored with the issued letter.
    words: w.Wording = w.BUILT_IN

    @property
    def heading(self) -> str:
        return self.words.heading(self.type.kind, self.type.stage)

    def check(self) -> list[Problem]:
        """Every problem ``check_letter`` finds, the sign-off included (an unnamed handler or
        organisation is filler too)."""
        sections = {**self.sections, "sign_off": self.sender.sign_off}
        if not self.type.answers_points:
            return check_letter(self.type, sections)
        return check_letter(
            self.type, sections, points=self.points, points_answered=self.points_answered
        )

    def edited(self, **sections: str) -> Letter:
        """A copy with the given sections replaced, e.g. after the handler writes one."""
        unknown = set(sections) - set(self.type.element_keys)
        if unknown:
            raise ValueError(f"{self.type.key} has no section {', '.join(sorted(unknown))}")
        return replace(self, sections={**self.sections, **sections})


# --- which letter -------------------------------------------------------------------------------


def resolve_letter_type(key: str, stage_number: int | None = None) -> LetterType:
    """A letter type from its key (``"stage2_response"``), or from a kind and a stage
    (``"response"``, 2). A stage that contradicts the key is an error, not a silent choice."""
    if key in LETTER_TYPES:
        found = LETTER_TYPES[key]
        if stage_number is not None and stage_number != found.stage:
            raise ValueError(f"A {key} letter belongs to stage {found.stage}, not {stage_number}")
        return found
    try:
        kind = LetterKind(key)
    except ValueError:
        known = ", ".join([*LETTER_TYPES, *LetterKind])
        raise ValueError(f"Unknown letter type {key!r}; known: {known}") from None
    return letter_type(kind, stage_number)


# --- reading the record -------------------------------------------------------------------------


def _load(complaint_pk: int, lt: LetterType) -> Complaint:
    """The complaint with exactly what the letter type reads, in a fixed number of queries."""
    kind = lt.kind
    prefetches: list[Any] = [
        # The home of the current tenancy, for a resident with no correspondence address.
        Prefetch(
            "complainant__tenancies",
            queryset=Tenancy.objects.filter(end_date__isnull=True).select_related("property"),
            to_attr="current_tenancies",
        )
    ]
    if kind in (LetterKind.NOT_ACCEPTED, LetterKind.ESCALATION_REFUSED):
        refusal_kind = (
            Refusal.Kind.ACCEPTANCE if kind is LetterKind.NOT_ACCEPTED else Refusal.Kind.ESCALATION
        )
        prefetches.append(
            Prefetch(
                "refusals",
                queryset=Refusal.objects.filter(kind=refusal_kind)
                .select_related("reason", "decided_by")
                .order_by("decided_on", "id"),
                to_attr="letter_refusals",
            )
        )
    elif kind is not LetterKind.FREE:
        stages = Stage.objects.select_related("handler").order_by("number")
        # A closure letter reports what every response up to the stage promised; every other
        # letter reads its own stage only.
        if kind is LetterKind.CLOSURE:
            stages = stages.filter(number__lte=lt.stage)
        else:
            stages = stages.filter(number=lt.stage)
        inner: list[Any] = []
        if kind in (LetterKind.ACKNOWLEDGEMENT, LetterKind.RESPONSE):
            inner.append(
                Prefetch(
                    "points", queryset=Point.objects.select_related("decision").order_by("number")
                )
            )
        if kind in (LetterKind.RESPONSE, LetterKind.CLOSURE):
            inner.append(Prefetch("remedies", queryset=Remedy.objects.order_by("id")))
        if kind in (LetterKind.RESPONSE, LetterKind.ACTIONS_UPDATE, LetterKind.CLOSURE):
            inner.append(
                Prefetch(
                    "actions",
                    queryset=Action.objects.select_related("owner").order_by("due_on", "id"),
                )
            )
        if kind is LetterKind.EXTENSION:
            inner.append(
                Prefetch(
                    "extensions",
                    queryset=Extension.objects.filter(voided_on__isnull=True).order_by(
                        "new_due", "id"
                    ),
                )
            )
        prefetches.append(
            Prefetch("stages", queryset=stages.prefetch_related(*inner), to_attr="letter_stages")
        )
    return (
        Complaint.objects.select_related("complainant", "representative", "handler")
        .prefetch_related(*prefetches)
        .get(pk=complaint_pk)
    )


def _stage(complaint: Complaint, number: int) -> Stage:
    for stage in complaint.letter_stages:
        if stage.number == number:
            return stage
    raise StepRefused(
        "no_such_stage",
        f"Complaint {complaint.reference} has no stage {number}, so it has no stage {number} "
        "letter.",
        field="stage",
    )


# --- recipient and sender -----------------------------------------------------------------------


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _home_address(complaint: Complaint) -> tuple[str, ...]:
    tenancies = complaint.complainant.current_tenancies
    if not tenancies:
        return ()
    home = tenancies[0].property
    parts = (home.address_line_1, home.address_line_2, home.town, home.postcode)
    return tuple(part for part in parts if part)


def _recipient(complaint: Complaint, words: w.Wording) -> Recipient:
    resident = complaint.complainant
    preferences = {
        "preferred_format": resident.preferred_format,
        "preferred_contact_method": resident.preferred_contact_method,
        "language": resident.language,
        "interpreter_needed": resident.interpreter_needed,
    }
    representative = complaint.representative
    if representative is not None and representative.is_active:
        return Recipient(
            name=representative.name,
            salutation=words.text("salutation", name=representative.name),
            address=_lines(representative.address),
            email=representative.email,
            organisation=representative.organisation,
            is_representative=True,
            on_behalf_of=resident.full_name,
            **preferences,
        )
    if resident.title:
        addressed_as = f"{resident.title} {resident.last_name}"
    else:
        addressed_as = " ".join(p for p in (resident.first_name, resident.last_name) if p)
    return Recipient(
        name=resident.full_name,
        salutation=words.text("salutation", name=addressed_as),
        address=_lines(resident.correspondence_address) or _home_address(complaint),
        email=resident.email,
        **preferences,
    )


def _sender(organisation: Organisation, staff: Any) -> Sender:
    return Sender(
        organisation=organisation.name.strip() or w.FILL_ORGANISATION,
        name=(staff.full_name.strip() if staff is not None else "") or w.FILL_HANDLER_NAME,
        job_title=(staff.job_title.strip() if staff is not None else "") or w.FILL_JOB_TITLE,
        address=_lines(organisation.address),
        phone=organisation.phone,
        email=organisation.email,
        website=organisation.website,
    )


# --- shared pieces of text ----------------------------------------------------------------------


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _ombudsman_block(organisation: Organisation) -> str:
    """The Ombudsman's details as the organisation keeps them, or the standard ones."""
    return organisation.ombudsman_contact.strip() or w.HOUSING_OMBUDSMAN.block


def _ways_to_ask(organisation: Organisation, words: w.Wording) -> str:
    ways = ["reply to this letter"]
    if organisation.phone.strip():
        ways.append(f"call us on {organisation.phone.strip()}")
    if organisation.email.strip():
        ways.append(f"email us at {organisation.email.strip()}")
    joined = ways[0] if len(ways) == 1 else f"{', '.join(ways[:-1])} or {ways[-1]}"
    return words.text("how_to_ask", ways=joined)


def _definition(kind: LetterKind, stage: int, points: Sequence[Point], words: w.Wording) -> str:
    if not points:
        return _paragraphs(words.text(f"definition_intro.{kind.value}.{stage}"), w.FILL_DEFINITION)
    return _paragraphs(
        words.text(f"definition_intro.{kind.value}.{stage}"),
        *(
            words.text("point_line", number=p.number, summary=w.sentence(p.summary))
            + "\n"
            + words.text("outcome_sought_line", outcome=w.sentence(p.outcome_sought))
            for p in points
        ),
    )


@dataclass(frozen=True)
class _Action:
    description: str
    owner: Any
    due_on: dt.date
    done_on: dt.date | None = None
    note: str = ""


def _who(owner: Any) -> str:
    if owner is None:
        return ""
    name = owner.full_name.strip() or str(owner)
    return f"{name}, {owner.job_title.strip()}," if owner.job_title.strip() else name


def _action_line(action: _Action, words: w.Wording) -> str:
    who = _who(action.owner)
    by = (
        words.text("action_by", who=who, date=long_date(action.due_on))
        if who
        else words.text("action_by_us", date=long_date(action.due_on))
    )
    return f"{w.sentence(action.description)} {by}"


def _remedy_line(
    words: w.Wording,
    kind: str,
    description: str,
    amount_pence: int | None,
    due_on: dt.date | None = None,
) -> str:
    label = RemedyKind(kind).label
    if amount_pence is not None:
        label = f"{label} of {pounds(amount_pence)}"
    line = f"{label}: {w.sentence(description)}"
    # Code 7.3: say by when, where the response set a date.
    return f"{line} {words.text('remedy_by', date=long_date(due_on))}" if due_on else line


def _remedy_text(
    remedies: Sequence[tuple[str, str, int | None, dt.date | None]], words: w.Wording
) -> str:
    if not remedies:
        return words.text("no_remedy")
    money = [amount for _, _, amount, _ in remedies if amount is not None]
    total = (
        words.text("remedy_total", amount=pounds(sum(money)))
        if len(money) > 1
        else ""  # one payment already shows its amount
    )
    return _paragraphs(
        words.text("remedy_intro"),
        _bullets(_remedy_line(words, *remedy) for remedy in remedies),
        total,
    )


def _actions_text(actions: Sequence[_Action], words: w.Wording) -> str:
    if not actions:
        return words.text("no_actions")
    return _paragraphs(
        words.text("actions_intro"), _bullets(_action_line(a, words) for a in actions)
    )


# --- each kind of letter ------------------------------------------------------------------------


@dataclass
class _Composed:
    sections: dict[str, str]
    date: dt.date | None
    signed_by: Any
    points: tuple[int, ...] = ()
    points_answered: tuple[int, ...] = ()


def _acknowledgement(
    lt: LetterType, complaint: Complaint, organisation: Organisation, words: w.Wording
) -> _Composed:
    stage = _stage(complaint, lt.stage)
    points = list(stage.points.all())
    if stage.not_responsible_for.strip():
        responsibilities = _paragraphs(
            words.text("we_will_look_into"),
            words.text("not_responsible_for"),
            _bullets(w.sentence(line) for line in _lines(stage.not_responsible_for)),
        )
    else:
        # The record keeps only what the landlord is NOT responsible for, and an empty field
        # cannot tell "nothing" from "not written yet": the handler says which.
        responsibilities = w.FILL_RESPONSIBILITIES
    return _Composed(
        sections={
            "complaint_definition": _definition(lt.kind, lt.stage, points, words),
            "responsibilities": responsibilities,
            "response_date": words.text(
                "response_by",
                # The date this acknowledgement set, not a later extension's: a reprint says
                # what the resident was told.
                date=long_date(stage.response_due) or w.FILL_RESPONSE_DATE,
            ),
        },
        date=stage.acknowledged_on,
        signed_by=stage.handler,
        points=tuple(p.number for p in points),
    )


def _extension(
    lt: LetterType, complaint: Complaint, organisation: Organisation, words: w.Wording
) -> _Composed:
    stage = _stage(complaint, lt.stage)
    extensions = list(stage.extensions.all())
    latest = extensions[-1] if extensions else None
    if latest is not None:
        reasons = _paragraphs(
            words.text("extension_apology"), latest.reason.strip(), latest.good_reason.strip()
        )
        new_date = _paragraphs(
            words.text("extension_new_date", new=long_date(latest.new_due)),
            words.text("extension_previous_date", previous=long_date(latest.previous_due)),
        )
    else:
        reasons = _paragraphs(words.text("extension_apology"), w.FILL_EXTENSION_REASONS)
        new_date = words.text("extension_new_date", new=w.FILL_NEW_DATE)
    if stage.update_interval_days:
        new_date = _paragraphs(
            new_date, words.text("update_interval", days=stage.update_interval_days)
        )
    return _Composed(
        sections={
            "reasons": reasons,
            "new_response_date": new_date,
            "ombudsman_contact_details": _paragraphs(
                words.text("ombudsman_advice"), _ombudsman_block(organisation)
            ),
        },
        date=latest.notice_on if latest is not None else None,
        signed_by=stage.handler,
    )


def _refusal(
    lt: LetterType, complaint: Complaint, organisation: Organisation, words: w.Wording
) -> _Composed:
    refusals = complaint.letter_refusals
    refusal = refusals[-1] if refusals else None
    stage = lt.stage
    if refusal is not None:
        reason = refusal.reason.label.strip().rstrip(".")
        explanation = refusal.explanation.strip()
    else:
        reason, explanation = w.FILL_REFUSAL_REASON, w.FILL_REFUSAL_EXPLANATION
    return _Composed(
        sections={
            "refusal_reason": _paragraphs(
                words.text(f"refusal_decision.{stage}"),
                words.text(f"refusal_policy.{stage}", reason=reason),
            ),
            "refusal_explanation": explanation or w.FILL_REFUSAL_EXPLANATION,
            "ombudsman_right": _paragraphs(
                words.text(f"ombudsman_review.{stage}"),
                words.text("ombudsman_contact_intro"),
                _ombudsman_block(organisation),
            ),
        },
        date=refusal.resident_told_on if refusal is not None else None,
        signed_by=(refusal.decided_by if refusal is not None else None) or complaint.handler,
    )


def _decisions(stage: Stage, points: Sequence[Point]) -> dict[int, tuple[str, str]]:
    """Finding and reasons per point number: the issued decisions, else the draft's."""
    if stage.responded_on is not None:
        found = {}
        for point in points:
            decision = getattr(point, "decision", None)
            if decision is not None:
                found[point.number] = (decision.finding, decision.reasons)
        return found
    drafted = (stage.draft or {}).get("decisions") or {}
    numbers = {p.number for p in points}
    found = {}
    for number, value in drafted.items():
        try:
            finding, reasons = value
        except (TypeError, ValueError):
            continue
        if int(number) in numbers and finding in Finding.values and str(reasons).strip():
            found[int(number)] = (finding, str(reasons))
    return found


def _decisions_text(
    points: Sequence[Point], decided: dict[int, tuple[str, str]], words: w.Wording
) -> str:
    if not points:
        return w.FILL_DECISION
    paragraphs = []
    for point in points:
        if point.number in decided:
            finding, reasons = decided[point.number]
            body = "\n".join(
                (
                    words.text("decision_line", finding=words.text(f"finding.{finding}")),
                    words.text("reasons_line", reasons=w.sentence(reasons)),
                )
            )
        else:
            body = w.FILL_DECISION
        line = words.text("point_line", number=point.number, summary=w.sentence(point.summary))
        paragraphs.append(f"{line}\n{body}")
    return _paragraphs(*paragraphs)


def _stage_actions(stage: Stage) -> list[_Action]:
    return [
        _Action(a.description, a.owner, a.due_on, a.completed_on, a.completion_note)
        for a in stage.actions.all()
    ]


def _content(stage: Stage) -> tuple[list | None, list | None]:
    """The remedies and actions of the response: the issued rows, else the draft's, else None
    (nothing decided yet, so nothing may be said)."""
    if stage.responded_on is not None:
        remedies = [(r.kind, r.description, r.amount_pence, r.due_on) for r in stage.remedies.all()]
        return remedies, _stage_actions(stage)
    draft = stage.draft or {}
    if "decisions" not in draft:
        return None, None
    remedies = [
        (
            r["kind"],
            r["description"],
            r.get("amount_pence"),
            dt.date.fromisoformat(r["due_on"]) if r.get("due_on") else None,
        )
        for r in draft.get("remedies") or ()
    ]
    drafted = draft.get("actions") or ()
    owner_ids = {a["owner_id"] for a in drafted if a.get("owner_id") is not None}
    owners = get_user_model().objects.in_bulk(owner_ids) if owner_ids else {}
    actions = [
        _Action(a["description"], owners.get(a.get("owner_id")), dt.date.fromisoformat(a["due_on"]))
        for a in drafted
    ]
    return remedies, actions


def _response(
    lt: LetterType,
    complaint: Complaint,
    organisation: Organisation,
    words: w.Wording,
    letter_date: dt.date | None,
) -> _Composed:
    stage = _stage(complaint, lt.stage)
    points = list(stage.points.all())
    decided = _decisions(stage, points)
    remedies, actions = _content(stage)
    if lt.stage == 1:
        escalation = {"escalate_to_stage2": _stage2_route(stage, organisation, words, letter_date)}
    else:
        escalation = {
            "escalate_to_ombudsman": _ombudsman_route(
                organisation, words, words.text("escalate_to_ombudsman")
            )
        }
    return _Composed(
        sections={
            "stage": words.text(f"stage_opening.{lt.stage}"),
            "complaint_definition": _definition(lt.kind, lt.stage, points, words),
            "decisions": _decisions_text(points, decided, words),
            "remedy": w.FILL_REMEDY if remedies is None else _remedy_text(remedies, words),
            "outstanding_actions": w.FILL_ACTIONS
            if actions is None
            else _actions_text(actions, words),
            **escalation,
        },
        date=stage.responded_on,
        signed_by=stage.handler,
        points=tuple(p.number for p in points),
        points_answered=tuple(p.number for p in points if p.number in decided),
    )


def _stage2_route(
    stage: Stage, organisation: Organisation, words: w.Wording, letter_date: dt.date | None
) -> str:
    """How to ask for stage 2, with the landlord's escalation window counted from the response
    (a policy, not a Code limit, so a later request is still considered)."""
    window = current_timescales().escalation_window
    start = stage.responded_on or letter_date or clock.today()
    last_day = escalation_window_end(current_calendar(), start, window)
    return _paragraphs(
        words.text("escalate_to_stage2"),
        words.text("escalation_window", days=window, date=long_date(last_day)),
        _ways_to_ask(organisation, words),
        words.text("ombudsman_any_time", website=w.HOUSING_OMBUDSMAN.website),
    )


def _ombudsman_route(organisation: Organisation, words: w.Wording, opening: str) -> str:
    return _paragraphs(
        opening, words.text("ombudsman_contact_intro"), _ombudsman_block(organisation)
    )


def _progress_line(action: _Action, words: w.Wording) -> str:
    if action.done_on is None:
        return f"{w.sentence(action.description)} {words.text('progress_open')}"
    done = words.text("progress_done", date=long_date(action.done_on))
    note = w.sentence(action.note) if action.note.strip() else ""
    return " ".join(part for part in (w.sentence(action.description), done, note) if part)


def _next_step_line(action: _Action, letter_date: dt.date, words: w.Wording) -> str:
    """An open action: who will do it by when, or, once its date has passed, that it is late.
    The record holds no new date for a late action, so the handler must give one."""
    if action.due_on >= letter_date:
        return _action_line(action, words)
    late = words.text("next_open_late", date=long_date(action.due_on))
    return f"{w.sentence(action.description)} {late} {w.FILL_LATE_ACTION}"


def _actions_update(
    lt: LetterType,
    complaint: Complaint,
    organisation: Organisation,
    words: w.Wording,
    letter_date: dt.date,
) -> _Composed:
    stage = _stage(complaint, lt.stage)
    if stage.responded_on is None:
        raise StepRefused(
            "not_responded",
            f"Stage {lt.stage} has no response yet, so there are no actions to report on.",
            field="stage",
        )
    actions = _stage_actions(stage)
    if actions:
        progress = _paragraphs(
            words.text("progress_intro", date=long_date(stage.responded_on)),
            _bullets(_progress_line(a, words) for a in actions),
        )
    else:
        progress = words.text("no_actions_promised")
    lines = [_next_step_line(a, letter_date, words) for a in actions if a.done_on is None]
    return _Composed(
        sections={
            "action_progress": progress,
            "next_steps": _bullets(lines) if lines else words.text("all_done"),
        },
        date=None,
        signed_by=stage.handler,
    )


def _closure(
    lt: LetterType,
    complaint: Complaint,
    organisation: Organisation,
    words: w.Wording,
    letter_date: dt.date,
) -> _Composed:
    stages = list(complaint.letter_stages)
    if not any(s.number == lt.stage for s in stages):
        _stage(complaint, lt.stage)  # raises: there is no such stage
    own = stages[-1]
    why = ""
    if complaint.closure_reason == ClosureReason.NOT_ESCALATED and lt.stage == 1:
        why = words.text(
            "closed_not_escalated",
            days=current_timescales().escalation_window,
            date=long_date(own.responded_on),
        )
    responded = [s for s in stages if s.responded_on is not None]
    remedies = [
        _remedy_line(words, r.kind, r.description, r.amount_pence, r.due_on)
        for s in responded
        for r in s.remedies.all()
    ]
    actions = [a for s in responded for a in _stage_actions(s)]
    parts = [" ".join(part for part in (words.text("closed"), why) if part)]
    if remedies:
        parts += [words.text("closure_remedies"), _bullets(remedies)]
    if actions:
        parts += [
            words.text("closure_actions"),
            _bullets(
                _progress_line(a, words)
                if a.done_on is not None
                else _next_step_line(a, letter_date, words)
                for a in actions
            ),
        ]
        if any(a.done_on is None for a in actions):
            parts.append(words.text("still_open_after_closure"))
    if responded and not remedies and not actions:
        parts.append(words.text("closure_nothing_promised"))
    if lt.stage == 1:
        route = _paragraphs(
            words.text("escalate_after_closure"),
            _ways_to_ask(organisation, words),
            words.text("ombudsman_any_time", website=w.HOUSING_OMBUDSMAN.website),
        )
        escalation = {"escalate_to_stage2": route}
    else:
        escalation = {
            "escalate_to_ombudsman": _ombudsman_route(
                organisation, words, words.text("escalate_to_ombudsman_after_closure")
            )
        }
    return _Composed(
        sections={"actions_completed": _paragraphs(*parts), **escalation},
        date=None,
        signed_by=own.handler or complaint.handler,
    )


def _free(
    lt: LetterType, complaint: Complaint, organisation: Organisation, words: w.Wording
) -> _Composed:
    return _Composed(sections={"body": w.FILL_BODY}, date=None, signed_by=complaint.handler)


# --- the dispatcher -----------------------------------------------------------------------------

# Kinds whose letters belong to one stage of their own (or none), whatever stage the complaint
# has reached.
_OWN_STAGE_KINDS = frozenset(
    {LetterKind.NOT_ACCEPTED, LetterKind.ESCALATION_REFUSED, LetterKind.FREE}
)


def compose(
    letter_type_key: str,
    complaint: Complaint,
    *,
    stage_number: int | None = None,
    on: dt.date | None = None,
    signer: Any = None,
    words: w.Wording | None = None,
) -> Letter:
    """The letter of ``letter_type_key`` for ``complaint``, filled from its record.

    ``letter_type_key`` is a key of ``LETTER_TYPES`` (``"stage1_acknowledgement"``) or a kind
    (``"acknowledgement"``) with ``stage_number``, which defaults to the complaint's current
    stage. ``on`` is the letter's date; without it the letter is dated when its step was
    recorded (the acknowledgement, the extension notice, the refusal, the response), or today.
    ``signer`` signs it when the record names nobody (an unallocated case): the person issuing.
    ``words`` is the wording to write it in; without it, the wording in use now.

    The record is read afresh, whatever state the instance passed in is in. Raises
    ``StepRefused`` (``no_such_stage``) for a stage the complaint does not have.
    """
    if (
        stage_number is None
        and letter_type_key not in LETTER_TYPES
        and letter_type_key not in _OWN_STAGE_KINDS
    ):
        stage_number = complaint.stage_number  # a kind without a stage: the current one
    lt = resolve_letter_type(letter_type_key, stage_number)
    record = _load(complaint.pk, lt)
    organisation = get_organisation()
    words = words or wording_in_use()
    kind = lt.kind
    if kind is LetterKind.ACKNOWLEDGEMENT:
        composed = _acknowledgement(lt, record, organisation, words)
    elif kind is LetterKind.EXTENSION:
        composed = _extension(lt, record, organisation, words)
    elif kind in (LetterKind.NOT_ACCEPTED, LetterKind.ESCALATION_REFUSED):
        composed = _refusal(lt, record, organisation, words)
    elif kind is LetterKind.RESPONSE:
        composed = _response(lt, record, organisation, words, on)
    elif kind is LetterKind.ACTIONS_UPDATE:
        composed = _actions_update(lt, record, organisation, words, on or clock.today())
    elif kind is LetterKind.CLOSURE:
        composed = _closure(lt, record, organisation, words, on or clock.today())
    else:
        composed = _free(lt, record, organisation, words)
    assert list(composed.sections) == list(lt.element_keys), (lt.key, list(composed.sections))
    return Letter(
        type=lt,
        recipient=_recipient(record, words),
        date=on or composed.date or clock.today(),
        sections=composed.sections,
        points=composed.points,
        points_answered=composed.points_answered,
        reference=record.reference,
        sender=_sender(organisation, composed.signed_by or signer),
        words=words,
    )

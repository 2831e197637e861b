"""The fixed wording of letters: the Housing Ombudsman's details, headings, standard sentences
and the filler left for the handler.

Everything a letter says that does not come from the case record is here, in one module: the
built-in wording. ``PHRASES`` lists each phrase an administrator may reword (everything but the
filler and the Ombudsman's address, which the organisation's settings hold), and ``Wording`` is
one complete set of them, the built-in defaults overlaid with an administrator's version
(``letters.models.WordingVersion``). Composing a letter reads its words from a ``Wording`` only.

Filler follows the convention in ``putright.rules.letters``: square brackets around words the
handler must write, which ``check_letter`` reports until they are replaced. Filler never stands
in for something the record holds; it marks what the record does not hold.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from putright.rules.letters import LetterKind, find_filler

# --- the Housing Ombudsman ----------------------------------------------------------------------


@dataclass(frozen=True)
class OmbudsmanDetails:
    name: str
    address: tuple[str, ...]
    phone: str
    email: str
    website: str

    @property
    def lines(self) -> tuple[str, ...]:
        """The details as a letter prints them, one line each."""
        return (
            self.name,
            *self.address,
            f"Telephone: {self.phone}",
            f"Email: {self.email}",
            f"Website: {self.website}",
        )

    @property
    def block(self) -> str:
        return "\n".join(self.lines)


HOUSING_OMBUDSMAN: Final = OmbudsmanDetails(
    name="Housing Ombudsman Service",
    address=("PO Box 1484, Unit D", "Preston", "PR2 0ET"),
    phone="0300 111 3000",
    email="info@housing-ombudsman.org.uk",
    website="www.housing-ombudsman.org.uk",
)
"""The Ombudsman's contact details (Code 3.7, 6.5, 6.16). The organisation's settings hold an
editable copy (``Organisation.ombudsman_contact``) whose default is this same text; a letter
prints the organisation's copy when one is set, so an administrator can follow a change of
address without a release."""


# --- headings -----------------------------------------------------------------------------------

LETTER_HEADINGS: Final[dict[tuple[LetterKind, int | None], str]] = {
    (LetterKind.ACKNOWLEDGEMENT, 1): "We have received your complaint",
    (LetterKind.ACKNOWLEDGEMENT, 2): "We have received your request for stage 2",
    (LetterKind.EXTENSION, 1): "We need more time to respond to your complaint",
    (LetterKind.EXTENSION, 2): "We need more time to respond to your complaint",
    (LetterKind.NOT_ACCEPTED, 1): "We cannot accept your complaint",
    (LetterKind.ESCALATION_REFUSED, 2): "We cannot take your complaint to stage 2",
    (LetterKind.RESPONSE, 1): "Our response to your complaint",
    (LetterKind.RESPONSE, 2): "Our final response to your complaint",
    (LetterKind.ACTIONS_UPDATE, 1): "An update on what we said we would do",
    (LetterKind.ACTIONS_UPDATE, 2): "An update on what we said we would do",
    (LetterKind.CLOSURE, 1): "We have closed your complaint",
    (LetterKind.CLOSURE, 2): "We have closed your complaint",
    (LetterKind.FREE, None): "Your complaint",
}
"""The letter's own heading, in the resident's words rather than the Code's."""

SECTION_HEADINGS: Final[dict[str, str]] = {
    "complaint_definition": "Your complaint",
    "responsibilities": "What we will and will not look into",
    "response_date": "When we will reply",
    "reasons": "Why we need more time",
    "new_response_date": "When we will reply",
    "ombudsman_contact_details": "The Housing Ombudsman",
    "refusal_reason": "Our decision",
    "refusal_explanation": "Why we made this decision",
    "ombudsman_right": "If you disagree",
    "decisions": "Our decision on each point",
    "remedy": "Putting things right",
    "outstanding_actions": "What we will do next",
    "escalate_to_stage2": "If you are still unhappy",
    "escalate_to_ombudsman": "If you are still unhappy",
    "action_progress": "What we have done",
    "next_steps": "What happens next",
    "actions_completed": "What we have done",
}
"""A short heading over each section where one helps the reader; the opening section of a
response (``stage``) and a free letter's body have none."""

SALUTATION: Final = "Dear {name}"
VALEDICTION: Final = "Yours sincerely"

# --- standard sentences -------------------------------------------------------------------------

FINDINGS: Final[dict[str, str]] = {
    "upheld": "Upheld. We agree with your complaint about this.",
    "partly_upheld": "Partly upheld. We agree with part of your complaint about this.",
    "not_upheld": "Not upheld. We do not agree with your complaint about this.",
}

DEFINITION_INTRO: Final[dict[LetterKind, dict[int, str]]] = {
    LetterKind.ACKNOWLEDGEMENT: {
        1: "We understand your complaint is about the points below. Please tell us if we "
        "have got anything wrong or missed anything out.",
        2: "You have asked us to look at your complaint again at stage 2 of our complaints "
        "process. We understand you are still unhappy about the points below. Please tell us "
        "if we have got anything wrong or missed anything out.",
    },
    LetterKind.RESPONSE: {
        1: "These are the points of your complaint, and what you told us you wanted us to do.",
        2: "These are the points you asked us to look at again, and what you told us you "
        "wanted us to do.",
    },
}

STAGE_OPENING: Final[dict[int, str]] = {
    1: "This is our response to your complaint at stage 1 of our complaints process. We have "
    "looked into each point of your complaint and give our decision on each one below.",
    2: "This is our response to your complaint at stage 2 of our complaints process. It is our "
    "final response. We have looked into each point again and give our decision on each one "
    "below.",
}

WE_WILL_LOOK_INTO: Final = "We will look into each point of your complaint set out above."
NOT_RESPONSIBLE_FOR: Final = "These things are not our responsibility, so we cannot look into them:"

POINT_LINE: Final = "Point {number}: {summary}"
OUTCOME_SOUGHT_LINE: Final = "What you want us to do: {outcome}"
DECISION_LINE: Final = "Our decision: {finding}"
REASONS_LINE: Final = "Why: {reasons}"

RESPONSE_BY: Final = "We will send you our full response by {date}."

EXTENSION_APOLOGY: Final = (
    "We need more time to give you a full response to your complaint. We are sorry for the delay."
)
EXTENSION_NEW_DATE: Final = "We will now send you our full response by {new}."
EXTENSION_PREVIOUS_DATE: Final = "We had told you we would reply by {previous}."
UPDATE_INTERVAL: Final = "Until then we will give you an update every {days} working days."
OMBUDSMAN_ADVICE: Final = (
    "If you are unhappy about the delay, you can contact the Housing Ombudsman for free, "
    "independent advice at any time:"
)

REFUSAL_DECISION: Final[dict[int, str]] = {
    1: "We have decided not to accept your complaint into our complaints process.",
    2: "We have decided not to take your complaint to stage 2 of our complaints process.",
}
REFUSAL_POLICY: Final[dict[int, str]] = {
    1: "Our complaints policy lists the reasons we may not accept a complaint. The reason that "
    "applies to yours is: {reason}.",
    2: "Our complaints policy lists the reasons we may refuse a request for stage 2. The "
    "reason that applies to yours is: {reason}.",
}
OMBUDSMAN_REVIEW: Final[dict[int, str]] = {
    1: "If you disagree with our decision, you can ask the Housing Ombudsman to look at it. "
    "The Ombudsman can tell us to accept your complaint.",
    2: "If you disagree with our decision, you can ask the Housing Ombudsman to look at it. "
    "The Ombudsman can tell us to take your complaint to stage 2.",
}
OMBUDSMAN_CONTACT_INTRO: Final = "You can contact the Housing Ombudsman at:"

REMEDY_INTRO: Final = "To put things right, we are offering you:"
REMEDY_TOTAL: Final = "In total we will pay you {amount}."
REMEDY_BY: Final = "We will do this by {date}."
NO_REMEDY: Final = "We are not offering a remedy for this complaint."

ACTIONS_INTRO: Final = "We will do the following:"
NO_ACTIONS: Final = "There are no outstanding actions from this complaint."
ACTION_BY: Final = "{who} will do this by {date}."
ACTION_BY_US: Final = "We will do this by {date}."

PROGRESS_INTRO: Final = "This is an update on what we said we would do in our response of {date}."
PROGRESS_DONE: Final = "Done on {date}."
PROGRESS_OPEN: Final = "Not done yet."
NO_ACTIONS_PROMISED: Final = "Our response did not promise any actions."
NEXT_OPEN_LATE: Final = "This was due by {date} and is late."
ALL_DONE: Final = "Everything we said we would do is now done, so there is nothing more to do."

CLOSED: Final = "We have now closed your complaint."
CLOSED_NOT_ESCALATED: Final = (
    "We have closed it because we did not hear from you within {days} working days of our "
    "stage 1 response of {date}."
)
CLOSURE_REMEDIES: Final = "In our response we offered you:"
CLOSURE_ACTIONS: Final = "We said we would do the following:"
CLOSURE_NOTHING_PROMISED: Final = "Our response did not promise any remedy or further action."
STILL_OPEN_AFTER_CLOSURE: Final = (
    "Any action not yet done stays open after the complaint is closed, and we will tell you "
    "when it is done."
)

ESCALATE_TO_STAGE2: Final = (
    "If you are unhappy with this response, you can ask us to look at your complaint again at "
    "stage 2 of our complaints process. Someone who has not been involved so far will look at "
    "it. You do not have to give a reason, but it helps if you tell us what you are still "
    "unhappy about."
)
ESCALATION_WINDOW: Final = (
    "Please ask within {days} working days of this letter, by {date}. If you ask after that, "
    "we will still consider your request."
)
ESCALATE_AFTER_CLOSURE: Final = (
    "If you are still unhappy with our response, you can still ask us to look at your "
    "complaint again at stage 2 of our complaints process. You do not have to give a reason."
)
OMBUDSMAN_ANY_TIME: Final = (
    "You can also contact the Housing Ombudsman for free, independent advice at any time, "
    "at {website}."
)
ESCALATE_TO_OMBUDSMAN: Final = (
    "This is our final response. If you are still unhappy, you can ask the Housing Ombudsman "
    "to look at your complaint. The Ombudsman's service is free, independent and impartial."
)
ESCALATE_TO_OMBUDSMAN_AFTER_CLOSURE: Final = (
    "Our stage 2 response was our final response. If you are still unhappy, you can ask the "
    "Housing Ombudsman to look at your complaint. The Ombudsman's service is free, independent "
    "and impartial."
)
HOW_TO_ASK: Final = "To ask, {ways}."

# --- filler left for the handler ----------------------------------------------------------------

FILL_DEFINITION: Final = (
    "[Set out each point of the complaint and the outcome the resident wants for each]"
)
FILL_RESPONSIBILITIES: Final = (
    "[Say what we are and are not responsible for, what we will do and what we need from the "
    "resident]"
)
FILL_RESPONSE_DATE: Final = "[date the response is due]"
FILL_EXTENSION_REASONS: Final = "[Give the reasons we need more time]"
FILL_NEW_DATE: Final = "[new response date]"
FILL_REFUSAL_REASON: Final = "[the reason in the complaints policy]"
FILL_REFUSAL_EXPLANATION: Final = "[Explain why the reason applies to this complaint]"
FILL_DECISION: Final = "[Give the decision on this point, with reasons]"
FILL_REMEDY: Final = "[Say what remedy we are offering, or that none is offered]"
FILL_ACTIONS: Final = "[List the outstanding actions, or say there are none]"
FILL_LATE_ACTION: Final = "[Say when it will now be done]"
FILL_BODY: Final = "[Write the letter]"
FILL_HANDLER_NAME: Final = "[your name]"
FILL_JOB_TITLE: Final = "[your job title]"
FILL_ORGANISATION: Final = "[organisation name]"


# --- small formats ------------------------------------------------------------------------------


def sentence(text: str) -> str:
    """``text`` stripped, with a full stop added unless it already ends a sentence."""
    text = text.strip()
    if text and text[-1] not in ".!?)\"'’”:":
        text += "."
    return text


# --- the phrases an administrator may reword ----------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """One piece of wording: its key (stored in a wording version), the group and label an
    administrator sees, and the built-in text. ``fields`` are the details the letter fills in
    (``{date}``); a rewording must keep exactly these."""

    key: str
    group: str
    label: str
    default: str

    @property
    def fields(self) -> frozenset[str]:
        return placeholders(self.default)


_KIND_LABELS: Final = {
    LetterKind.ACKNOWLEDGEMENT: "Acknowledgement",
    LetterKind.EXTENSION: "Extension",
    LetterKind.NOT_ACCEPTED: "Complaint not accepted",
    LetterKind.ESCALATION_REFUSED: "Stage 2 refused",
    LetterKind.RESPONSE: "Response",
    LetterKind.ACTIONS_UPDATE: "Update on actions",
    LetterKind.CLOSURE: "Closure",
    LetterKind.FREE: "Free letter",
}


def _stage_label(label: str, stage: int | None) -> str:
    return label if stage is None else f"{label}, stage {stage}"


def _phrases() -> tuple[Phrase, ...]:
    headings = "Letter headings"
    sections = "Section headings"
    every = "In every letter"
    ack, ext, refusal = "Acknowledgements", "Extensions", "Refusals"
    response, later = "Responses", "Updates on actions and closure"
    found: list[Phrase] = [
        Phrase(
            f"heading.{kind.value}.{stage or 'any'}",
            headings,
            _stage_label(_KIND_LABELS[kind], stage),
            text,
        )
        for (kind, stage), text in LETTER_HEADINGS.items()
    ]
    found += [
        Phrase(f"section.{key}", sections, f"Over the section: {key.replace('_', ' ')}", text)
        for key, text in SECTION_HEADINGS.items()
    ]
    found += [
        Phrase("salutation", every, "Greeting", SALUTATION),
        Phrase("valediction", every, "Closing", VALEDICTION),
        Phrase("point_line", every, "Each point of the complaint", POINT_LINE),
        Phrase("outcome_sought_line", every, "What the resident wants", OUTCOME_SOUGHT_LINE),
        Phrase("how_to_ask", every, "How to ask us", HOW_TO_ASK),
    ]
    for kind, by_stage in DEFINITION_INTRO.items():
        group = ack if kind is LetterKind.ACKNOWLEDGEMENT else response
        found += [
            Phrase(
                f"definition_intro.{kind.value}.{stage}",
                group,
                _stage_label("Before the points of the complaint", stage),
                text,
            )
            for stage, text in by_stage.items()
        ]
    found += [
        Phrase("we_will_look_into", ack, "We will look into every point", WE_WILL_LOOK_INTO),
        Phrase("not_responsible_for", ack, "Before what we cannot look into", NOT_RESPONSIBLE_FOR),
        Phrase("response_by", ack, "When we will reply", RESPONSE_BY),
        Phrase("extension_apology", ext, "Why we need more time: opening", EXTENSION_APOLOGY),
        Phrase("extension_new_date", ext, "The new date", EXTENSION_NEW_DATE),
        Phrase("extension_previous_date", ext, "The date we gave before", EXTENSION_PREVIOUS_DATE),
        Phrase("update_interval", ext, "How often we will update", UPDATE_INTERVAL),
        Phrase("ombudsman_advice", ext, "Before the Ombudsman's details", OMBUDSMAN_ADVICE),
    ]
    for key, label, texts in (
        ("refusal_decision", "Our decision", REFUSAL_DECISION),
        ("refusal_policy", "The reason in our policy", REFUSAL_POLICY),
        ("ombudsman_review", "The right to ask the Ombudsman", OMBUDSMAN_REVIEW),
    ):
        found += [
            Phrase(f"{key}.{stage}", refusal, _stage_label(label, stage), text)
            for stage, text in texts.items()
        ]
    found.append(
        Phrase(
            "ombudsman_contact_intro",
            refusal,
            "Before the Ombudsman's details",
            OMBUDSMAN_CONTACT_INTRO,
        )
    )
    found += [
        Phrase(f"stage_opening.{stage}", response, _stage_label("Opening", stage), text)
        for stage, text in STAGE_OPENING.items()
    ]
    found += [
        Phrase(f"finding.{value}", response, f"Finding: {value.replace('_', ' ')}", text)
        for value, text in FINDINGS.items()
    ]
    found += [
        Phrase("decision_line", response, "The decision on a point", DECISION_LINE),
        Phrase("reasons_line", response, "The reasons for a decision", REASONS_LINE),
        Phrase("remedy_intro", response, "Before the remedies", REMEDY_INTRO),
        Phrase("remedy_total", response, "The total paid", REMEDY_TOTAL),
        Phrase("remedy_by", response, "When a remedy will be done", REMEDY_BY),
        Phrase("no_remedy", response, "No remedy", NO_REMEDY),
        Phrase("actions_intro", response, "Before the actions", ACTIONS_INTRO),
        Phrase("no_actions", response, "No outstanding actions", NO_ACTIONS),
        Phrase("action_by", response, "Who will do an action by when", ACTION_BY),
        Phrase("action_by_us", response, "When we will do an action", ACTION_BY_US),
        Phrase("escalate_to_stage2", response, "How to ask for stage 2", ESCALATE_TO_STAGE2),
        Phrase("escalation_window", response, "When to ask for stage 2", ESCALATION_WINDOW),
        Phrase("ombudsman_any_time", response, "The Ombudsman at any time", OMBUDSMAN_ANY_TIME),
        Phrase(
            "escalate_to_ombudsman", response, "How to go to the Ombudsman", ESCALATE_TO_OMBUDSMAN
        ),
        Phrase("progress_intro", later, "Opening of an update", PROGRESS_INTRO),
        Phrase("progress_done", later, "An action done", PROGRESS_DONE),
        Phrase("progress_open", later, "An action not done yet", PROGRESS_OPEN),
        Phrase("no_actions_promised", later, "No actions were promised", NO_ACTIONS_PROMISED),
        Phrase("next_open_late", later, "An action that is late", NEXT_OPEN_LATE),
        Phrase("all_done", later, "Everything done", ALL_DONE),
        Phrase("closed", later, "The complaint is closed", CLOSED),
        Phrase(
            "closed_not_escalated",
            later,
            "Closed with no request for stage 2",
            CLOSED_NOT_ESCALATED,
        ),
        Phrase("closure_remedies", later, "Before the remedies offered", CLOSURE_REMEDIES),
        Phrase("closure_actions", later, "Before the actions promised", CLOSURE_ACTIONS),
        Phrase("closure_nothing_promised", later, "Nothing was promised", CLOSURE_NOTHING_PROMISED),
        Phrase("still_open_after_closure", later, "Actions stay open", STILL_OPEN_AFTER_CLOSURE),
        Phrase("escalate_after_closure", later, "Stage 2 after closure", ESCALATE_AFTER_CLOSURE),
        Phrase(
            "escalate_to_ombudsman_after_closure",
            later,
            "The Ombudsman after closure",
            ESCALATE_TO_OMBUDSMAN_AFTER_CLOSURE,
        ),
    ]
    return tuple(found)


PHRASES: Final[Mapping[str, Phrase]] = MappingProxyType({p.key: p for p in _phrases()})
"""Every phrase an administrator may reword, by key, in the order a form lists them."""

MAX_PHRASE_LENGTH: Final = 2000


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` a phrase fills in. Raises ``ValueError`` for a stray brace."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def phrase_problems(texts: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with each reworded phrase, by key: none of these may reach a letter.

    A phrase must not be blank or too long, must keep exactly the details its letter fills in
    (a response date cannot be dropped from "When we will reply"), and must hold no filler, which
    ``check_letter`` would then report in every letter and so block every one of them."""
    problems: dict[str, str] = {}
    for key, text in texts.items():
        phrase = PHRASES.get(key)
        if phrase is None:
            problems[key] = f"There is no phrase {key!r} to reword"
            continue
        text = text.strip()
        if not text:
            problems[key] = f"Enter the wording for “{phrase.label}”"
            continue
        if len(text) > MAX_PHRASE_LENGTH:
            problems[key] = f"“{phrase.label}” must be {MAX_PHRASE_LENGTH:,} characters or fewer"
            continue
        try:
            found = placeholders(text)
        except ValueError:
            problems[key] = (
                f"“{phrase.label}” has a curly bracket out of place: curly brackets may only "
                "mark a detail the letter fills in, such as {date}"
            )
            continue
        missing, extra = phrase.fields - found, found - phrase.fields
        if missing or extra:
            keep = " and ".join(f"{{{name}}}" for name in sorted(phrase.fields)) or "no details"
            problems[key] = (
                f"“{phrase.label}” must fill in exactly {keep}, as the built-in wording does"
            )
            continue
        filler = find_filler(text)
        if filler:
            problems[key] = (
                f"“{phrase.label}” holds “{filler[0]}”, which reads as words still to be written "
                "and would stop every letter from being sent"
            )
    return problems


class Wording:
    """One complete set of the phrases: the built-in ones overlaid with ``texts``.

    ``version`` is the number of the stored wording version the texts came from, or None for
    the built-in wording. A phrase added by a later release and missing from an older version
    reads as built in.
    """

    __slots__ = ("_texts", "version")

    def __init__(self, texts: Mapping[str, str] | None = None, version: int | None = None):
        self._texts = {key: p.default for key, p in PHRASES.items()}
        self._texts.update({k: v for k, v in (texts or {}).items() if k in PHRASES})
        self.version = version

    def text(self, key: str, **details: Any) -> str:
        """The phrase ``key`` with its details filled in."""
        text = self._texts[key]
        return text.format(**details) if details else text

    def heading(self, kind: LetterKind, stage: int | None) -> str:
        return self._texts[f"heading.{kind.value}.{stage or 'any'}"]

    def section_heading(self, key: str) -> str:
        return self._texts.get(f"section.{key}", "")

    @property
    def texts(self) -> Mapping[str, str]:
        return MappingProxyType(self._texts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Wording) and self._texts == other._texts

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._texts.items())))

    def __repr__(self) -> str:
        return f"Wording(version={self.version})"


BUILT_IN: Final = Wording()
"""The built-in wording, for a letter composed before any version is stored."""

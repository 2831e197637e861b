"""The letters the Complaint Handling Code asks for, what each must contain, and a checker.

Each letter type is data: an ordered tuple of required elements. An element has a snake_case key
(the name of the letter's section, and the field id an error summary links to), a label that
reads well after "Add" in an error message, the Code provision it satisfies, and where its words
come from (`Source`). Provisions that change with the stage come from `provisions.provision`, so
a stage 2 letter never cites a stage 1 provision.

`check_letter` takes a drafted letter as a mapping of section key to text and returns every
problem at once, in the letter type's element order: a required section that is missing or blank,
a section that still holds template filler, and (for responses) a point of the complaint
definition with no decision. Nothing here knows about models; callers pass text and point numbers.

Filler convention
-----------------
A template marks what is still to be written in one of these ways, and a letter holding any of
them, in any section, is not ready to send:

- text in square brackets that contains a letter, on one line: "[reason for the delay]", "[date]"
  ("[1]" and "[ ]" are left alone);
- the word TODO, in capitals: "TODO confirm the repair date";
- a run of two or more capital X standing as a word, as in "Dear Mr XXXX" or "XX/XX/XXXX";
- a template tag that was never rendered: "{{ new_due }}", "{% if remedy %}".

A section with nothing to report is never blank: a response that offers no remedy says so in the
remedy section, and one with no outstanding actions says there are none.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from .provisions import provision

__all__ = [
    "FILLER_PATTERN",
    "LETTER_TYPES",
    "Element",
    "LetterKind",
    "LetterType",
    "Problem",
    "ProblemKind",
    "Source",
    "check_letter",
    "find_filler",
    "letter_type",
]


class Source(StrEnum):
    """Where an element's words come from, so a screen knows who has to fix a gap."""

    RECORD = "record"
    """Filled from the case record: points, decisions, remedies, actions, dates."""

    HANDLER = "handler"
    """Free text the handler writes for this letter."""

    FIXED = "fixed"
    """Standard wording, the same in every letter of the type (the Ombudsman's details)."""


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    EXTENSION = "extension"
    NOT_ACCEPTED = "not_accepted"
    ESCALATION_REFUSED = "escalation_refused"
    RESPONSE = "response"
    ACTIONS_UPDATE = "actions_update"
    CLOSURE = "closure"
    FREE = "free"


_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@dataclass(frozen=True)
class Element:
    """One thing a letter must contain.

    when_none is how the handler says there is nothing to report, where that is a valid answer
    ("say there are none"); the message for a missing section offers it. per_point marks the
    element that must answer every point of the complaint definition (the decisions in a
    response). good_practice marks an element the Code does not itself require but the
    landlord's policy promises (the response date in an acknowledgement); it is checked all the
    same, and the provision cited is the one the content comes from.
    """

    key: str
    label: str
    provision: str | None
    source: Source
    when_none: str = ""
    per_point: bool = False
    good_practice: bool = False

    def __post_init__(self) -> None:
        if not _KEY.fullmatch(self.key):
            raise ValueError(f"An element key must be snake_case, got {self.key!r}")
        if not self.label or self.label != self.label.strip():
            raise ValueError(f"Element {self.key!r} needs a label without outer spaces")


@dataclass(frozen=True)
class LetterType:
    """A kind of letter at a stage, with its required elements in the order a letter gives them.

    provision is the duty the letter as a whole discharges, where the Code names one.
    """

    key: str
    kind: LetterKind
    stage: int | None
    title: str
    provision: str | None
    elements: tuple[Element, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "elements", tuple(self.elements))  # never a shared list
        keys = [e.key for e in self.elements]
        if len(keys) != len(set(keys)):
            raise ValueError(f"Letter type {self.key!r} repeats an element key: {keys}")
        if sum(e.per_point for e in self.elements) > 1:
            raise ValueError(f"Letter type {self.key!r} has more than one per-point element")

    @property
    def element_keys(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements)

    def element(self, key: str) -> Element:
        for e in self.elements:
            if e.key == key:
                return e
        raise KeyError(f"Letter type {self.key!r} has no element {key!r}")

    @property
    def answers_points(self) -> bool:
        """Whether the letter must give a decision on every point of the complaint definition."""
        return any(e.per_point for e in self.elements)


# --- the letter types --------------------------------------------------------------------------

# The Ombudsman may tell a landlord to take on a complaint it refused (2.4); a refused escalation
# must meet section 2's terms too (5.11), so both refusal letters carry the same 2.4 paragraph.
_OMBUDSMAN_RIGHT = Element(
    "ombudsman_right",
    "the right to ask the Housing Ombudsman to review this decision, and that the Ombudsman "
    "can tell us to take the complaint on",
    "2.4",
    Source.FIXED,
)

# What the resident can do next if still unhappy: ask for stage 2 after stage 1, go to the
# Ombudsman after stage 2. The key and label are the same in a response and a closure letter;
# only the provision differs (a closure letter is not the 6.9 / 6.19 response).
_ESCALATION_ELEMENT = {
    1: ("escalate_to_stage2", "the details of how to ask for stage 2"),
    2: (
        "escalate_to_ombudsman",
        "the details of how to refer the complaint to the Housing Ombudsman",
    ),
}


def _escalation(stage: int, provision_: str) -> Element:
    key, label = _ESCALATION_ELEMENT[stage]
    return Element(key, label, provision_, Source.FIXED)


def _acknowledgement(stage: int) -> LetterType:
    return LetterType(
        key=f"stage{stage}_acknowledgement",
        kind=LetterKind.ACKNOWLEDGEMENT,
        stage=stage,
        title=f"Stage {stage} acknowledgement",
        provision=provision(stage, "acknowledge"),
        elements=(
            Element(
                "complaint_definition",
                "the complaint definition: each point of the complaint and the outcome sought",
                "5.6",
                Source.RECORD,
            ),
            Element(
                "responsibilities",
                "the parts of the complaint we are and are not responsible for",
                "5.7",
                Source.HANDLER,
            ),
            Element(
                "response_date",
                "the date the response is due",
                provision(stage, "respond"),
                Source.RECORD,
                good_practice=True,
            ),
        ),
    )


def _extension(stage: int) -> LetterType:
    return LetterType(
        key=f"stage{stage}_extension",
        kind=LetterKind.EXTENSION,
        stage=stage,
        title=f"Stage {stage} extension",
        provision=provision(stage, "extend"),
        elements=(
            Element(
                "reasons",
                "the reasons for the extension",
                provision(stage, "extend"),
                Source.HANDLER,
            ),
            Element(
                "new_response_date",
                "the new response date",
                provision(stage, "extend"),
                Source.RECORD,
            ),
            Element(
                "ombudsman_contact_details",
                "the Housing Ombudsman's contact details",
                provision(stage, "extension_notice"),
                Source.FIXED,
            ),
        ),
    )


def _refusal(stage: int) -> LetterType:
    # A refusal at stage 1 is a complaint not accepted (2.4); at stage 2 it is an escalation
    # refused (5.11). The provisions map holds which is which.
    refused = "the complaint" if stage == 1 else "the request for stage 2"
    return LetterType(
        key="not_accepted" if stage == 1 else "escalation_refused",
        kind=LetterKind.NOT_ACCEPTED if stage == 1 else LetterKind.ESCALATION_REFUSED,
        stage=stage,
        title="Complaint not accepted" if stage == 1 else "Escalation refused",
        provision=provision(stage, "refuse"),
        elements=(
            Element(
                "refusal_reason",
                f"the reason in the complaints policy for not accepting {refused}",
                provision(stage, "refuse"),
                Source.RECORD,
            ),
            Element(
                "refusal_explanation",
                "the explanation of why that reason applies to this complaint",
                provision(stage, "refuse"),
                Source.HANDLER,
            ),
            _OMBUDSMAN_RIGHT,
        ),
    )


def _response(stage: int) -> LetterType:
    contents = provision(stage, "response_contents")
    return LetterType(
        key=f"stage{stage}_response",
        kind=LetterKind.RESPONSE,
        stage=stage,
        title="Stage 1 response" if stage == 1 else "Stage 2 (final) response",
        provision=contents,
        # The Code's list, items a to g; its c (decision) and d (reasons) are one element here
        # because a response gives them together, point by point.
        elements=(
            Element("stage", "the stage the complaint is at", contents, Source.RECORD),
            Element(
                "complaint_definition",
                "the complaint definition: each point of the complaint and the outcome sought",
                contents,
                Source.RECORD,
            ),
            Element(
                "decisions",
                "the decision on each point of the complaint, with reasons",
                contents,
                Source.RECORD,
                per_point=True,
            ),
            Element(
                "remedy",
                "the remedy offered, with what will happen and by when",
                contents,
                Source.RECORD,
                when_none="say that none is offered",
            ),
            Element(
                "outstanding_actions",
                "the outstanding actions",
                contents,
                Source.RECORD,
                when_none="say there are none",
            ),
            _escalation(stage, contents),
        ),
    )


def _actions_update(stage: int) -> LetterType:
    return LetterType(
        key=f"stage{stage}_actions_update",
        kind=LetterKind.ACTIONS_UPDATE,
        stage=stage,
        title=f"Update on actions from the stage {stage} response",
        provision=provision(stage, "track_actions"),
        elements=(
            Element(
                "action_progress",
                "the progress on each outstanding action since the last letter",
                provision(stage, "track_actions"),
                Source.RECORD,
            ),
            Element(
                "next_steps",
                "the next step on each action and when it will happen",
                "7.3",
                Source.RECORD,
            ),
        ),
    )


def _closure(stage: int) -> LetterType:
    return LetterType(
        key=f"stage{stage}_closure",
        kind=LetterKind.CLOSURE,
        stage=stage,
        title=f"Complaint closed after stage {stage}",
        provision=None,
        elements=(
            Element(
                "actions_completed",
                "the work done to complete each remedy and action promised",
                "7.3",
                Source.RECORD,
            ),
            _escalation(stage, provision(stage, "escalation_route")),
        ),
    )


_FREE = LetterType(
    key="free",
    kind=LetterKind.FREE,
    stage=None,
    title="Letter",
    provision=None,
    elements=(Element("body", "the text of the letter", None, Source.HANDLER),),
)


def _registry() -> Mapping[str, LetterType]:
    types = [
        *(build(stage) for build in (_acknowledgement, _extension) for stage in (1, 2)),
        _refusal(1),
        _refusal(2),
        *(build(stage) for build in (_response, _actions_update, _closure) for stage in (1, 2)),
        _FREE,
    ]
    return MappingProxyType({t.key: t for t in types})


LETTER_TYPES: Final[Mapping[str, LetterType]] = _registry()
"""Every letter type by key, e.g. LETTER_TYPES["stage2_response"]."""

# A refusal belongs to one stage only: not accepting a complaint happens before stage 1 starts,
# refusing to escalate happens when stage 2 is asked for.
_FIXED_STAGE = {LetterKind.NOT_ACCEPTED: 1, LetterKind.ESCALATION_REFUSED: 2, LetterKind.FREE: None}


def letter_type(kind: LetterKind | str, stage: int | None = None) -> LetterType:
    """The letter type for a kind at a stage: ``letter_type("extension", 2)``.

    Refusals and the free letter have a stage of their own, which ``stage`` may repeat or omit.
    """
    kind = LetterKind(kind)
    if kind in _FIXED_STAGE:
        own = _FIXED_STAGE[kind]
        if stage not in (None, own):
            raise ValueError(f"A {kind} letter belongs to stage {own}, not stage {stage}")
        stage = own
    for candidate in LETTER_TYPES.values():
        if candidate.kind is kind and candidate.stage == stage:
            return candidate
    raise ValueError(f"There is no {kind} letter at stage {stage!r}: give stage 1 or 2")


# --- the checker -------------------------------------------------------------------------------

FILLER_PATTERN: Final = re.compile(
    r"\[[^\[\]\n]*[A-Za-z][^\[\]\n]*\]"  # [reason for the delay]
    r"|\bTODO\b"  # TODO, in capitals
    r"|\bX{2,}\b"  # Mr XXXX, XX/XX/XXXX
    r"|\{\{.*?\}\}|\{%.*?%\}",  # an unrendered template tag
    re.DOTALL,
)
"""Template filler: see the module docstring."""


class ProblemKind(StrEnum):
    MISSING = "missing"
    FILLER = "filler"
    UNANSWERED_POINT = "unanswered_point"


@dataclass(frozen=True)
class Problem:
    """One thing to fix before the letter can go, phrased as a GOV.UK error message.

    key is the element (section) key; field_id adds the point number for a point with no
    decision, so each entry in an error summary can link to its own field.
    """

    key: str
    message: str
    provision: str | None
    kind: ProblemKind
    point: int | None = None
    filler: tuple[str, ...] = ()

    @property
    def field_id(self) -> str:
        return self.key if self.point is None else f"{self.key}-{self.point}"

    def as_error_summary_item(self) -> dict[str, str]:
        """The item GOV.UK Frontend's error summary takes: ``{"text": ..., "href": "#..."}``."""
        return {"text": self.message, "href": f"#{self.field_id}"}


def find_filler(text: str | None) -> list[str]:
    """Each distinct piece of template filler in ``text``, in the order it first appears."""
    if not text:
        return []
    return list(dict.fromkeys(m.group() for m in FILLER_PATTERN.finditer(text)))


def _quoted(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _filler_problem(key: str, label: str, provision_: str | None, text: str) -> Problem | None:
    filler = find_filler(text)
    if not filler:
        return None
    return Problem(
        key=key,
        message=f"Replace the filler text {_quoted(filler)} in {label}",
        provision=provision_,
        kind=ProblemKind.FILLER,
        filler=tuple(filler),
    )


def _missing_message(element: Element) -> str:
    if element.when_none:
        return f"Add {element.label}, or {element.when_none}"
    return f"Add {element.label}"


def _resolve(letter: LetterType | str) -> LetterType:
    if isinstance(letter, LetterType):
        return letter
    try:
        return LETTER_TYPES[letter]
    except KeyError:
        known = ", ".join(LETTER_TYPES)
        raise ValueError(f"Unknown letter type {letter!r}; known types: {known}") from None


def check_letter(
    letter: LetterType | str,
    sections: Mapping[str, str | None],
    *,
    points: Collection[int] | None = None,
    points_answered: Collection[int] | None = None,
) -> list[Problem]:
    """Every problem with a drafted letter, in the order of the letter type's elements.

    sections maps element keys to the text drafted for them; a key that is absent, None or only
    white space counts as missing. Sections that are not required elements (a greeting, a
    closing paragraph) are checked for filler too, after the elements, in the order given.

    points and points_answered are the numbers of the points in the complaint definition and of
    those with a decision. They apply to response letters only; a point with no decision is a
    problem against the per-point element, cited under the duty to address every point (6.7 at
    stage 1, 6.18 at stage 2). Leave points out to skip that check. An empty result means the
    letter may be sent.
    """
    letter = _resolve(letter)
    if points_answered is not None and points is None:
        raise ValueError("points_answered needs points: the numbers of the definition's points")
    if points is not None and not letter.answers_points:
        raise ValueError(f"A {letter.title.lower()} letter gives no decisions on points")

    problems: list[Problem] = []
    for element in letter.elements:
        text = sections.get(element.key)
        if text is None or not text.strip():
            problems.append(
                Problem(
                    key=element.key,
                    message=_missing_message(element),
                    provision=element.provision,
                    kind=ProblemKind.MISSING,
                )
            )
        elif found := _filler_problem(element.key, element.label, element.provision, text):
            problems.append(found)
        if element.per_point and points is not None:
            problems.extend(_unanswered(letter, element, points, points_answered or ()))

    required = set(letter.element_keys)
    for key, text in sections.items():
        if key in required or not text:
            continue
        label = f"the {key.replace('_', ' ')} section"
        if found := _filler_problem(key, label, None, text):
            problems.append(found)
    return problems


def _unanswered(
    letter: LetterType, element: Element, points: Collection[int], answered: Collection[int]
) -> list[Problem]:
    assert letter.stage is not None  # only responses answer points, and they have a stage
    answered = set(answered)
    return [
        Problem(
            key=element.key,
            message=f"Add the decision on point {point} of the complaint, with reasons",
            provision=provision(letter.stage, "address_points"),
            kind=ProblemKind.UNANSWERED_POINT,
            point=point,
        )
        for point in sorted(set(points) - answered)
    ]

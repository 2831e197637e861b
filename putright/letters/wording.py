"""The fixed wording of letters: the Housing Ombudsman's details, headings, standard sentences
and the filler left for the handler.

Everything a letter says that does not come from the case record is here, in one module, so
that the later editable templates have one place to start from and a test can read it all.

Filler follows the convention in ``putright.rules.letters``: square brackets around words the
handler must write, which ``check_letter`` reports until they are replaced. Filler never stands
in for something the record holds; it marks what the record does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from putright.rules.letters import LetterKind

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


def pounds(pence: int) -> str:
    """``£1,250.00`` from 125000 pence: always with pence, as a payment is written."""
    if isinstance(pence, bool) or not isinstance(pence, int) or pence < 0:
        raise ValueError(f"An amount must be a whole number of pence, got {pence!r}")
    return f"£{pence // 100:,}.{pence % 100:02d}"


def sentence(text: str) -> str:
    """``text`` stripped, with a full stop added unless it already ends a sentence."""
    text = text.strip()
    if text and text[-1] not in ".!?)\"'’”:":
        text += "."
    return text

"""The Housing Ombudsman's Complaint Handling Code 2024 (statutory from 1 April 2024).

The provisions are those of the Ombudsman's self-assessment form (Appendix 2 of the Code),
which lists every provision a landlord assesses itself against, 1.2 to 9.8. The summaries are
PutRight's own short paraphrases; the section titles and numbers are the Code's.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from .code import ComplaintHandlingCode, Obligation, Provision, Section

MUST, SHOULD = Obligation.MUST, Obligation.SHOULD
STAGE_1, STAGE_2 = "Stage 1", "Stage 2"

SECTIONS: Final = (
    Section(1, "Definition of a complaint"),
    Section(2, "Exclusions"),
    Section(3, "Accessibility and awareness"),
    Section(4, "Complaint handling staff"),
    Section(5, "The complaint handling process"),
    Section(6, "Complaints stages"),
    Section(7, "Putting things right"),
    Section(8, "Self-assessment, reporting and compliance"),
    Section(9, "Scrutiny and oversight: continuous learning and improvement"),
)


def _p(number: str, obligation: Obligation, summary: str, part: str = "") -> Provision:
    return Provision(
        number=number,
        section=int(number.split(".")[0]),
        obligation=obligation,
        summary=summary,
        part=part,
    )


PROVISIONS: Final = (
    # 1. Definition of a complaint
    _p(
        "1.2",
        MUST,
        "Use the Ombudsman's definition of a complaint: dissatisfaction, however expressed, "
        "with the service, actions or inaction of the landlord, its staff or anyone acting for "
        "it, affecting one resident or more.",
    ),
    _p(
        "1.3",
        MUST,
        "Treat dissatisfaction as a possible complaint even when the word is not used, offer "
        "the resident the choice of complaining, and handle complaints made through a "
        "representative or third party under the policy.",
    ),
    _p(
        "1.4",
        MUST,
        "Set out in the policy how a service request differs from a complaint; record, monitor "
        "and regularly review service requests.",
    ),
    _p(
        "1.5",
        MUST,
        "Raise a complaint when a resident is unhappy with the handling of a service request, "
        "and keep working on the request meanwhile.",
    ),
    _p(
        "1.6",
        MUST,
        "Dissatisfaction given in a survey is not in itself a complaint, but tell respondents "
        "how to complain where possible, and say how to complain whenever wider feedback is "
        "asked for.",
    ),
    # 2. Exclusions
    _p(
        "2.1",
        MUST,
        "Accept every complaint unless there is a valid reason not to, be able to evidence the "
        "reasoning for any refusal, and judge each complaint on its own merits.",
    ),
    _p(
        "2.2",
        MUST,
        "Say in the policy when a matter will not be taken on or escalated as a complaint; "
        "those exclusions are fair and reasonable (for example an issue over 12 months old, "
        "legal proceedings already filed, or a matter already considered).",
    ),
    _p(
        "2.3",
        MUST,
        "Accept complaints made within 12 months of the issue, or of the resident learning of "
        "it, and consider using discretion for older ones where there is good reason.",
    ),
    _p(
        "2.4",
        MUST,
        "When a complaint is not accepted, explain why it is not suitable for the process and "
        "tell the resident they may take that decision to the Ombudsman, who can direct the "
        "landlord to accept it.",
    ),
    _p(
        "2.5",
        MUST,
        "No blanket exclusions: consider the individual circumstances of every complaint.",
    ),
    # 3. Accessibility and awareness
    _p(
        "3.1",
        MUST,
        "Make complaining easy through several channels, and anticipate residents' needs and "
        "reasonable adjustments under the Equality Act 2010.",
    ),
    _p(
        "3.2",
        MUST,
        "Residents can complain in any way to any member of staff; every member of staff knows "
        "the process and can pass a complaint to the right person.",
    ),
    _p(
        "3.3",
        MUST,
        "Do not treat a high number of complaints as a bad sign; a low number may mean "
        "residents find it hard to complain.",
    ),
    _p(
        "3.4",
        MUST,
        "Publish a clear, accessible complaints policy on the website, describing the two "
        "stages, what happens at each and the response times.",
    ),
    _p(
        "3.5",
        MUST,
        "The policy explains how the landlord publicises it, including information about the "
        "Ombudsman and the Code.",
    ),
    _p(
        "3.6",
        MUST,
        "Residents may have a representative deal with their complaint, and be represented or "
        "accompanied at any meeting with the landlord.",
    ),
    _p(
        "3.7",
        MUST,
        "Tell residents about their right to go to the Ombudsman and how to engage with it "
        "about their complaint.",
    ),
    # 4. Complaint handling staff
    _p(
        "4.1",
        MUST,
        "Give a person or team (the 'complaints officer') responsibility for complaint "
        "handling, including liaison with the Ombudsman and reporting to the governing body.",
    ),
    _p(
        "4.2",
        MUST,
        "The complaints officer can reach staff at every level and has the authority and "
        "autonomy to resolve disputes promptly and fairly.",
    ),
    _p(
        "4.3",
        MUST,
        "Put complaint handling and learning first: train relevant staff and resource "
        "complaints as a core service.",
    ),
    # 5. The complaint handling process
    _p(
        "5.1",
        MUST,
        "One complaints policy for everything the Code covers; nobody is treated differently "
        "for having complained.",
    ),
    _p(
        "5.2",
        SHOULD,
        "Resolve issues early and locally, without extra named stages such as 'stage 0' or "
        "'informal complaint'.",
    ),
    _p("5.3", MUST, "Never have a process of more than two stages."),
    _p(
        "5.4",
        MUST,
        "A third party answering complaints (a contractor or an adjudicator) works within the "
        "landlord's two stages; residents never go through two processes.",
    ),
    _p("5.5", MUST, "Make sure any third party handles complaints in line with the Code."),
    _p(
        "5.6",
        MUST,
        "When logging at stage 1 or escalating to stage 2, write down the complaint definition "
        "(the landlord's understanding of the complaint and the outcomes sought) and ask the "
        "resident about anything unclear.",
    ),
    _p(
        "5.7",
        MUST,
        "When acknowledging at either stage, say which parts of the complaint the landlord is "
        "and is not responsible for, and clear up any doubt about that.",
    ),
    _p(
        "5.8",
        MUST,
        "Handlers at every stage judge complaints on their merits, independently and with an "
        "open mind, give the resident a fair chance to put their side, deal with any conflict "
        "of interest, and weigh all relevant evidence.",
    ),
    _p(
        "5.9",
        MUST,
        "Where a response will be later than the Code's timescales, agree with the resident how "
        "often they will be kept informed.",
    ),
    _p(
        "5.10",
        MUST,
        "Make reasonable adjustments under the Equality Act 2010; record adjustments agreed and "
        "disabilities disclosed, and keep adjustments under active review.",
    ),
    _p(
        "5.11",
        MUST,
        "Refuse to escalate a complaint only for valid reasons, stated clearly and consistent "
        "with section 2.",
    ),
    _p(
        "5.12",
        MUST,
        "Keep a full record of each complaint and its outcome at each stage: the original "
        "complaint and date received, all correspondence and the supporting documents.",
    ),
    _p(
        "5.13",
        MUST,
        "Be able to put a complaint right at any stage, without the resident having to "
        "escalate it.",
    ),
    _p(
        "5.14",
        MUST,
        "Have policies for unacceptable behaviour by residents or their representatives, "
        "evidence the reasons for any restriction and review restrictions regularly.",
    ),
    _p(
        "5.15",
        MUST,
        "Restrictions on contact are proportionate and show regard for the Equality Act 2010.",
    ),
    # 6. Complaints stages: stage 1
    _p(
        "6.1",
        MUST,
        "Decide which complaints can be answered straight away and which need investigating, "
        "weighing complexity and whether the resident is vulnerable or at risk.",
        STAGE_1,
    ),
    _p(
        "6.2",
        MUST,
        "Acknowledge, define and log a stage 1 complaint within 5 working days of receiving it.",
        STAGE_1,
    ),
    _p(
        "6.3",
        MUST,
        "Send the full stage 1 response within 10 working days of the acknowledgement.",
        STAGE_1,
    ),
    _p(
        "6.4",
        MUST,
        "Decide whether the complaint's complexity needs more time and tell the resident when "
        "to expect the response; an extension beyond 10 working days needs a good reason, "
        "explained to the resident.",
        STAGE_1,
    ),
    _p(
        "6.5",
        MUST,
        "Give the Ombudsman's contact details whenever a resident is told of an extension.",
        STAGE_1,
    ),
    _p(
        "6.6",
        MUST,
        "Respond once the answer is known, not once outstanding actions are finished; track "
        "those actions, complete them promptly and keep the resident updated.",
        STAGE_1,
    ),
    _p(
        "6.7",
        MUST,
        "Answer every point of the complaint definition with clear reasons, citing policy, law "
        "and good practice where relevant.",
        STAGE_1,
    ),
    _p(
        "6.8",
        MUST,
        "Add related new issues to the stage 1 response if it has not been sent; log a new "
        "complaint where it has, where the issues are unrelated, or where adding them would "
        "unreasonably delay the response.",
        STAGE_1,
    ),
    _p(
        "6.9",
        MUST,
        "At the end of stage 1 confirm in writing, in plain language: the stage, the complaint "
        "definition, the decision and its reasons, any remedy, outstanding actions, and how to "
        "escalate to stage 2.",
        STAGE_1,
    ),
    # 6. Complaints stages: stage 2
    _p(
        "6.10",
        MUST,
        "Take a complaint not wholly resolved at stage 1 to stage 2, the landlord's final "
        "response.",
        STAGE_2,
    ),
    _p(
        "6.11",
        MUST,
        "Acknowledge, define and log a stage 2 request within 5 working days of receiving it.",
        STAGE_2,
    ),
    _p(
        "6.12",
        MUST,
        "Never require residents to say why they want stage 2; make reasonable efforts to "
        "understand why they are still unhappy.",
        STAGE_2,
    ),
    _p(
        "6.13",
        MUST,
        "Stage 2 is considered by someone other than the person who considered stage 1.",
        STAGE_2,
    ),
    _p(
        "6.14",
        MUST,
        "Send the stage 2 final response within 20 working days of the acknowledgement.",
        STAGE_2,
    ),
    _p(
        "6.15",
        MUST,
        "Decide whether the complaint's complexity needs more time and tell the resident when "
        "to expect the response; an extension beyond 20 working days needs a good reason, "
        "explained to the resident.",
        STAGE_2,
    ),
    _p(
        "6.16",
        MUST,
        "Give the Ombudsman's contact details whenever a resident is told of an extension.",
        STAGE_2,
    ),
    _p(
        "6.17",
        MUST,
        "Respond once the answer is known, not once outstanding actions are finished; track "
        "those actions, complete them promptly and keep the resident updated.",
        STAGE_2,
    ),
    _p(
        "6.18",
        MUST,
        "Answer every point of the complaint definition with clear reasons, citing policy, law "
        "and good practice where relevant.",
        STAGE_2,
    ),
    _p(
        "6.19",
        MUST,
        "At the end of stage 2 confirm in writing, in plain language: the stage, the complaint "
        "definition, the decision and its reasons, any remedy, outstanding actions, and how to "
        "take the complaint to the Ombudsman.",
        STAGE_2,
    ),
    _p(
        "6.20",
        MUST,
        "Involve every member of staff needed to give the final stage 2 response.",
        STAGE_2,
    ),
    # 7. Putting things right
    _p(
        "7.1",
        MUST,
        "Where something went wrong, say so and set out what has been or will be done to put "
        "it right: for example an apology, an explanation, a changed decision, a corrected "
        "record, a payment, or a change of policy or practice.",
    ),
    _p("7.2", MUST, "A remedy reflects the impact on the resident of the failings found."),
    _p(
        "7.3",
        MUST,
        "A remedy says what will happen and by when, agreed with the resident where "
        "appropriate, and is followed through to completion.",
    ),
    _p("7.4", MUST, "Take the Ombudsman's remedies guidance into account when choosing remedies."),
    # 8. Self-assessment, reporting and compliance
    _p(
        "8.1",
        MUST,
        "Produce an annual complaints performance and service improvement report: the "
        "self-assessment, an analysis of performance (with the types of complaint refused), any "
        "Ombudsman findings of non-compliance with the Code, improvements made from learning, "
        "and the Ombudsman's annual and other relevant reports about the landlord.",
    ),
    _p(
        "8.2",
        MUST,
        "Report the annual report to the governing body and publish it in the complaints part "
        "of the website, with the governing body's response beside it.",
    ),
    _p(
        "8.3",
        MUST,
        "Assess against the Code again after a significant restructure, a merger or a change "
        "of procedures.",
    ),
    _p(
        "8.4",
        SHOULD,
        "After an Ombudsman investigation the landlord may be asked to review and update its "
        "self-assessment.",
    ),
    _p(
        "8.5",
        MUST,
        "When exceptional circumstances (a cyber incident, for example) stop the landlord "
        "complying, tell the Ombudsman, inform residents who may be affected, publish it on the "
        "website and give a timescale for returning to compliance.",
    ),
    # 9. Scrutiny and oversight: continuous learning and improvement
    _p(
        "9.1",
        MUST,
        "Look beyond the individual complaint for service improvements its learning suggests.",
    ),
    _p(
        "9.2",
        MUST,
        "Use complaints as intelligence to find issues and make positive changes to services.",
    ),
    _p(
        "9.3",
        MUST,
        "Report wider learning and improvements to stakeholders such as residents' panels, "
        "staff and committees.",
    ),
    _p(
        "9.4",
        MUST,
        "Appoint a suitably senior lead accountable for complaint handling, who looks at themes "
        "and trends for systemic issues, serious risks and policies or procedures to revise.",
    ),
    _p(
        "9.5",
        MUST,
        "Appoint a member of the governing body as Member Responsible for Complaints (MRC), "
        "leading on a positive complaint handling culture.",
    ),
    _p(
        "9.6",
        MUST,
        "The MRC makes sure the governing body regularly gets insight into complaint handling "
        "performance, and has the information and access to staff needed to do so and report "
        "findings.",
    ),
    _p(
        "9.7",
        MUST,
        "The MRC and governing body receive at least: regular updates on volumes, categories, "
        "outcomes and performance; regular reviews of issues and trends; updates on Ombudsman "
        "investigations and compliance with orders on severe maladministration; and the annual "
        "report.",
    ),
    _p(
        "9.8",
        MUST,
        "Give every relevant employee and third party a standard complaint handling objective: "
        "work together across teams, take collective responsibility for shortfalls rather than "
        "blame, and meet relevant professional standards.",
    ),
)

CODE_2024: Final = ComplaintHandlingCode(
    version="2024",
    title="Complaint Handling Code 2024",
    in_force_from=date(2024, 4, 1),
    sections=SECTIONS,
    provisions=PROVISIONS,
)

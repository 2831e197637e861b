"""Demo step: the self-assessment against the Code for the last complete reporting year,
answered with evidence and commentary (two provisions not yet met, with actions and dates),
reviewed, approved by the governing body and published, so the annual report opens with it
and the public reports page links to it.

Everything goes through ``putright.selfassessment.services`` (about 80 calls), each step dated
as it would have happened in the summer after the year ended. Run again (``--force``), it leaves
an existing self-assessment for that year alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from putright.accounts.roles import BOARD_MEMBER, COMPLAINTS_MANAGER, QUALITY_REVIEWER
from putright.core import clock
from putright.organisation.selectors import get_organisation
from putright.reporting.periods import reporting_year, year_label
from putright.rules.code import CODES, LATEST
from putright.selfassessment import evidence as from_record
from putright.selfassessment import services
from putright.selfassessment.models import Answer, SelfAssessment, Trigger

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

# Where each section's evidence is kept, in the landlord's own words.
SECTION_EVIDENCE = {
    1: "Complaints policy, section 2 (what a complaint is), published on our website; "
    "complaint logging guide for all staff.",
    2: "Complaints policy, section 4 (what we do not take on); register of complaints not "
    "accepted, with reasons, in PutRight.",
    3: "Complaints policy on the website, in print at every office and in easy read; contact "
    "centre scripts; staff induction module on recognising complaints.",
    4: "Job description of the Complaints and Resolution Manager; scheme of delegation; "
    "training records for complaint handling.",
    5: "Complaints procedure; PutRight case records (complaint definition, adjustments, "
    "history of every step); unacceptable behaviour policy.",
    6: "PutRight's record of every Code timescale met or missed at each stage; quarterly "
    "audit of 20 responses against the letter checklists.",
    7: "Remedies and compensation policy (based on the Ombudsman's remedies guidance); the "
    "register of remedies and promised actions tracked to completion.",
    8: "This self-assessment; the annual complaints performance and service improvement "
    "report; the register of exceptional circumstances.",
    9: "Lessons register and service improvement plan; quarterly board reports; terms of "
    "reference of the Member Responsible for Complaints.",
}
# A sentence of commentary for some provisions; the rest say nothing more than the evidence.
COMMENTARY = {
    "1.2": "The policy quotes the Ombudsman's definition word for word.",
    "2.1": "Every refusal names a reason from the policy's list and tells the resident they "
    "can go to the Ombudsman.",
    "3.4": "Reviewed with the residents' panel in March; reading age checked.",
    "5.3": "Two stages only: no stage 0 or informal stage.",
    "6.2": "Acknowledgements are checked daily from the queue ordered by due date.",
    "6.13": "PutRight refuses to allocate stage 2 to anyone involved at stage 1.",
    "9.5": "Helen Ashworth has been the Member Responsible for Complaints since April 2024.",
}
# Provisions the landlord does not yet comply with: (evidence, commentary, action, months
# after the year end by which it will comply).
NOT_YET = {
    "6.14": (
        "PutRight's record: 9 in 10 stage 2 final responses were sent within 20 working days "
        "of acknowledgement; the rest went out late without an agreed extension.",
        "Late responses came from one service area whose managers were new to stage 2.",
        "Stage 2 training for every head of service, and a weekly report of stage 2 "
        "responses due in the next five working days to the Director of Housing.",
        9,
    ),
    "9.8": (
        "Staff objectives for 2025-26: complaint handling objective set for 70% of employees.",
        "Objectives were set for front-line staff; office-based teams and contractors follow.",
        "A standard complaint handling objective for every employee in the annual review, "
        "and a clause in every contract renewed from April.",
        12,
    ),
}
RESPONSE = (
    "The board has reviewed the self-assessment and approves it. We are pleased that the "
    "complaint definition and the two-stage process are working, and that residents are told "
    "of their right to go to the Ombudsman at every step.\n\n"
    "We accept the two areas where we do not yet comply. The board will receive an update on "
    "stage 2 response times at every meeting until they meet the Code, and on staff "
    "objectives at the year end."
)


def _month_end(day: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after ``day``'s."""
    month = day.month + months  # 1-based, may run past December
    year, month = day.year + month // 12, month % 12 + 1  # the month after, to step back from
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def _commentary(number: str, found: from_record.Evidence | None) -> str:
    """The landlord's commentary on a provision it meets, owning any breach the record shows."""
    words = COMMENTARY.get(number, "")
    if found is None or not found.breach:
        return words
    owned = (
        f"The record shows {found.breach_count} case{'s' if found.breach_count != 1 else ''} "
        "outside this provision in the year. Each was reviewed with the team concerned and the "
        "causes are in our service improvement plan; our procedure meets the provision."
    )
    return f"{words} {owned}".strip()


def make_selfassessment(generator: DemoGenerator) -> None:
    today = min(generator.as_at, clock.today())
    year = get_organisation().reporting_year_of(today) - 1
    code = CODES[LATEST]
    period = reporting_year(year)
    if period.end < code.in_force_from:
        generator.say("Self-assessment: no complete reporting year under the 2024 Code yet.")
        return
    if SelfAssessment.objects.filter(trigger=Trigger.ANNUAL, reporting_year=year).exists():
        generator.say(f"Self-assessment: {year_label(year)} already exists; left as it is.")
        return
    by_role = generator.results["staff_by_role"]
    manager = by_role[COMPLAINTS_MANAGER][0]
    reviewer = by_role[QUALITY_REVIEWER][0]
    board = by_role[BOARD_MEMBER][0]

    # Prepared in the summer after the year end, reviewed, approved and published before the
    # Ombudsman's 30 September deadline; every step on or before the demo's date.
    def on(month: int, day: int) -> dt.date:
        return min(dt.date(period.end.year, month, day), today)

    with clock.fixed(on(6, 2)):
        assessment = services.assessment_start(
            acting_user=manager, trigger=Trigger.ANNUAL, reporting_year=year
        )
        answers = {answer.provision: answer for answer in assessment.answers.all()}
        # Where the record shows a breach, a "yes" must say so with the figure (as a real
        # landlord's commentary would), or the service refuses it.
        shown = from_record.evidence_for(assessment)
        for provision in code.provisions:
            current: Answer = answers[provision.number]
            if provision.number in NOT_YET:
                evidence, commentary, action, months = NOT_YET[provision.number]
                fields = {
                    "comply": "no",
                    "evidence": evidence,
                    "commentary": commentary,
                    "action": action,
                    "action_due_on": _month_end(period.end, months),
                }
            else:
                fields = {
                    "comply": "yes",
                    "evidence": SECTION_EVIDENCE[provision.section],
                    "commentary": _commentary(provision.number, shown.get(provision.number)),
                }
            services.provision_answer(
                acting_user=manager,
                assessment=assessment,
                provision=provision.number,
                expected_version=current.version,
                **fields,
            )
    with clock.fixed(on(7, 1)):
        assessment = services.assessment_submit(
            acting_user=manager, assessment=assessment, expected_version=assessment.version
        )
    with clock.fixed(on(7, 8)):
        assessment = services.assessment_review(
            acting_user=reviewer,
            assessment=assessment,
            expected_version=assessment.version,
            decision="reviewed",
            comments="Evidence checked against the record for sections 5 and 6.",
        )
    with clock.fixed(on(7, 22)):
        assessment = services.assessment_approve(
            acting_user=board,
            assessment=assessment,
            expected_version=assessment.version,
            meeting_on=on(7, 22),
            minute=f"{period.end.year}/31",
            member=board.get_full_name() or "Helen Ashworth",
            response=RESPONSE,
        )
    with clock.fixed(on(7, 29)):
        assessment = services.assessment_publish(
            acting_user=manager, assessment=assessment, expected_version=assessment.version
        )
    generator.results["selfassessment"] = {"id": assessment.pk}
    generator.say(
        f"Self-assessment: {assessment.title}, {len(NOT_YET)} provisions not yet met, "
        "approved and published."
    )

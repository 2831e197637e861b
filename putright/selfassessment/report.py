"""The annual report's first section (Code 8.1 a): the self-assessment the governing body
approved for the report's year, in summary: how many provisions the landlord complies with, the
ones it does not with what it is doing and by when, the approval, and where the whole
assessment is published.

Reporting builds the report but may not import this app (it sits above reporting in the
layers), so ``SelfAssessmentConfig.ready()`` registers ``annual_report_section`` with
``reporting.contents.register_section_provider``.
"""

from __future__ import annotations

from putright.core.dates import long_date
from putright.reporting.contents import ANNUAL
from putright.reporting.periods import Period
from putright.reporting.tables import Table
from putright.rules.code import CODES
from putright.selfassessment.models import Comply
from putright.selfassessment.services import latest_approved

SECTION = "self_assessment"
ACTIONS_TABLE = "self_assessment_actions"


def annual_report_section(kind: str, period: Period) -> tuple[list[str], list[Table]] | None:
    """The section's statements and table for the annual report of ``period``; None (the
    report's own statement stays) for any other report, or when no self-assessment for the
    year has been approved."""
    if kind != ANNUAL:
        return None
    assessment = latest_approved(reporting_year=period.reporting_year)
    if assessment is None:
        return None
    code = CODES[assessment.code_version]
    answers = list(assessment.answers.order_by("position"))
    yes = sum(1 for answer in answers if answer.comply == Comply.YES)
    not_yet = [answer for answer in answers if answer.comply == Comply.NO]
    meeting = long_date(assessment.approved_on)
    if assessment.approval_minute:
        meeting += f" (minute {assessment.approval_minute})"
    version = f", version {assessment.version_number}," if assessment.version_number > 1 else ""
    statements = [
        f"Our governing body approved our self-assessment against the {code.title}{version} "
        f"at its meeting on {meeting}. Our Member Responsible for Complaints is "
        f"{assessment.responsible_member}.",
        f"We comply with {yes} of the {len(answers)} provisions of the Code"
        + (
            f" and do not yet comply with {len(not_yet)}: the table says what we are doing "
            "about each and by when."
            if not_yet
            else "."
        ),
        (
            f"The whole self-assessment, with our evidence for each provision and the governing "
            f"body's response, was published on {long_date(assessment.published_on)} on our "
            "complaints reports pages, beside this report."
            if assessment.is_published
            # Approved but not yet published on its own: say so, never promise a page that
            # does not exist (a published report freezes this sentence).
            else "The whole self-assessment, with our evidence for each provision and the "
            "governing body's response, is not yet published on its own on our complaints "
            "reports pages."
        ),
    ]
    if not not_yet:
        return statements, []
    table = Table(
        ACTIONS_TABLE,
        "Provisions of the Code we do not yet comply with",
        ["Provision", "What the Code asks", "What we are doing", "By"],
        [
            [
                answer.provision,
                code.provision(answer.provision).summary,
                answer.action,
                long_date(answer.action_due_on) if answer.action_due_on else "",
            ]
            for answer in not_yet
        ],
    )
    return statements, [table]

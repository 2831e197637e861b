"""Every change to self-assessments and the register of exceptional circumstances.

Each service checks what it was given (every problem at once, ``InvalidInput`` for a missing or
malformed value, ``StepRefused`` for a step the rules forbid), runs in one transaction, locks the
rows it changes, refuses a stale ``expected_version`` with ``StaleVersion`` (nothing is saved, so
nobody's words silently replace anyone else's) and appends one ``SelfAssessmentEvent`` with the
old and new values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, Problems, StaleVersion, StepRefused
from putright.core.history import created, diff, snapshot
from putright.ombudsman.models import OmbudsmanCase
from putright.organisation.selectors import get_organisation
from putright.reporting.periods import reporting_year as reporting_year_period
from putright.reporting.periods import year_label
from putright.rules.code import CODES, LATEST, ComplaintHandlingCode
from putright.selfassessment.evidence import check_answer as check_against_record
from putright.selfassessment.models import (
    ACTION_MAX,
    APPROVED_STATUSES,
    COMMENTARY_MAX,
    EVIDENCE_MAX,
    MEMBER_MAX,
    MINUTE_MAX,
    NOTICE_MAX,
    PROMPTED_BY_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    Answer,
    Comply,
    ExceptionalCircumstance,
    SelfAssessment,
    SelfAssessmentEvent,
    Status,
    Trigger,
)

ANSWER_FIELDS = ["comply", "evidence", "commentary", "action", "action_due_on"]
START_FIELDS = ["code_version", "trigger", "reporting_year", "as_at", "prompted_by"]
CIRCUMSTANCE_FIELDS = [
    "title",
    "what_happened",
    "provisions",
    "started_on",
    "residents_informed_on",
    "ombudsman_informed_on",
    "expected_return_on",
    "ended_on",
    "public_notice",
]
# Ad hoc assessments say what prompted them, except after an Ombudsman investigation, which the
# linked case explains.
NEEDS_PROMPT = (Trigger.RESTRUCTURE, Trigger.PROCEDURE)


# Checks ------------------------------------------------------------------------------------------


def _code(version: str) -> ComplaintHandlingCode:
    try:
        return CODES[version]
    except KeyError:
        raise InvalidInput(
            "code_version_unknown", f"PutRight holds no Complaint Handling Code {version!r}."
        ) from None


def _text(
    problems: Problems,
    value: Any,
    *,
    field: str,
    limit: int,
    what: str,
    missing: str | None = None,
) -> str:
    """Trimmed text; ``missing`` is the message when it is required and blank."""
    text = value.strip() if isinstance(value, str) else ""
    if missing and not text:
        problems.add(InvalidInput(f"{field}_missing", missing, field=field))
    if len(text) > limit:
        problems.add(
            InvalidInput(
                f"{field}_too_long", f"{what} must be {limit:,} characters or fewer", field=field
            )
        )
    return text


def _day(
    problems: Problems, value: Any, *, field: str, what: str, required: bool = True
) -> date | None:
    if value is None:
        if required:
            problems.add(InvalidInput(f"{field}_missing", f"Enter {what}", field=field))
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, date):
        problems.add(InvalidInput(f"{field}_invalid", f"Enter {what} as a date", field=field))
        return None
    return value


def _not_future(problems: Problems, value: date | None, *, field: str, what: str) -> None:
    if value is not None and value > clock.today():
        problems.add(
            InvalidInput(f"{field}_in_future", f"{what} cannot be in the future", field=field)
        )


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


# Self-assessments --------------------------------------------------------------------------------


def latest_earlier(*, code_version: str, as_at: date) -> SelfAssessment | None:
    """The assessment a new one as at ``as_at`` starts from: the one against the same Code
    version whose date comes last on or before it (the later started on a tie). Answers to
    another version's provisions are not carried: its numbers may mean something else."""
    return (
        SelfAssessment.objects.filter(code_version=code_version, as_at__lte=as_at)
        .order_by("-as_at", "-id")
        .first()
    )


def assessment_start(
    *,
    acting_user: Any,
    trigger: str,
    reporting_year: int | None = None,
    as_at: date | None = None,
    prompted_by: str = "",
    ombudsman_case: OmbudsmanCase | None = None,
    code_version: str = LATEST,
) -> SelfAssessment:
    """Start a self-assessment: the annual one for ``reporting_year`` (Code 8.1 a), or one as at
    ``as_at`` after a restructure or merger, a change of procedure (8.3) or an Ombudsman
    investigation (8.4, naming the case). It gets an answer for every provision of its Code
    version, each starting as the latest earlier assessment answered it."""
    code = _code(code_version)
    trigger = _plain(trigger)
    if trigger not in Trigger.values:
        raise InvalidInput(
            "trigger_invalid", "Choose why the self-assessment is made", field="trigger"
        )
    problems = Problems()
    first_year = code.in_force_from
    if trigger == Trigger.ANNUAL:
        current = clock.today()
        if isinstance(reporting_year, bool) or not isinstance(reporting_year, int):
            problems.add(
                InvalidInput(
                    "reporting_year_missing",
                    "Enter the reporting year the self-assessment covers",
                    field="reporting_year",
                )
            )
        else:
            period = reporting_year_period(reporting_year)
            if period.end < first_year:
                first = get_organisation().reporting_year_of(first_year)
                problems.add(
                    StepRefused(
                        "reporting_year_before_code",
                        f"The {code.title} applies from {long_date(first_year)}: choose "
                        f"{year_label(first)} or later",
                        field="reporting_year",
                    )
                )
            elif period.start > current:
                problems.add(
                    StepRefused(
                        "reporting_year_in_future",
                        f"The reporting year {period.label} has not started yet",
                        field="reporting_year",
                    )
                )
            as_at = period.end
    else:
        reporting_year = None
        as_at = _day(problems, as_at, field="as_at", what="the date the assessment is made as at")
        _not_future(problems, as_at, field="as_at", what="The date of the assessment")
        if as_at is not None and as_at < first_year:
            problems.add(
                StepRefused(
                    "as_at_before_code",
                    f"The {code.title} applies from {long_date(first_year)}",
                    field="as_at",
                )
            )
    prompted_by = _text(
        problems,
        prompted_by,
        field="prompted_by",
        limit=PROMPTED_BY_MAX,
        what="What prompted it",
        missing="Say what changed: the restructure, merger or change of procedure"
        if trigger in NEEDS_PROMPT
        else None,
    )
    if trigger == Trigger.OMBUDSMAN:
        if not isinstance(ombudsman_case, OmbudsmanCase) or ombudsman_case.pk is None:
            problems.add(
                InvalidInput(
                    "ombudsman_case_missing",
                    "Choose the Ombudsman investigation that led to this self-assessment",
                    field="ombudsman_case",
                )
            )
    elif ombudsman_case is not None:
        problems.add(
            InvalidInput(
                "ombudsman_case_not_expected",
                "Only a self-assessment after an Ombudsman investigation names a case",
                field="ombudsman_case",
            )
        )
        ombudsman_case = None
    problems.raise_any()

    with transaction.atomic():
        if (
            trigger == Trigger.ANNUAL
            and SelfAssessment.objects.filter(
                trigger=Trigger.ANNUAL, reporting_year=reporting_year
            ).exists()
        ):
            raise StepRefused(
                "annual_exists",
                f"The self-assessment for {year_label(reporting_year)} has already been started",
                field="reporting_year",
            )
        earlier = latest_earlier(code_version=code.version, as_at=as_at)
        carried = {answer.provision: answer for answer in earlier.answers.all()} if earlier else {}
        try:
            with transaction.atomic():
                assessment = SelfAssessment.objects.create(
                    code_version=code.version,
                    trigger=trigger,
                    reporting_year=reporting_year,
                    as_at=as_at,
                    prompted_by=prompted_by,
                    ombudsman_case=ombudsman_case,
                    status=Status.DRAFT,
                    prepared_by=acting_user,
                    carried_from=earlier,
                )
        except IntegrityError:  # the same year's started at the same moment
            raise StepRefused(
                "annual_exists",
                f"The self-assessment for {year_label(reporting_year)} was started at the same "
                "moment by someone else",
                field="reporting_year",
            ) from None
        Answer.objects.bulk_create(
            [
                Answer(
                    assessment=assessment,
                    provision=provision.number,
                    position=position,
                    **(
                        {name: getattr(carried[provision.number], name) for name in ANSWER_FIELDS}
                        if provision.number in carried
                        else {}
                    ),
                )
                for position, provision in enumerate(code.provisions, start=1)
            ]
        )
        copied = sum(1 for provision in code.provisions if provision.number in carried)
        summary = f"{assessment.title}: {len(code)} provisions of the {code.title}"
        if earlier is not None:
            summary += f", {copied} answers carried from {earlier.title}"
        SelfAssessmentEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=SelfAssessmentEvent.Action.STARTED,
            summary=summary,
            changes=created(
                {
                    **snapshot(assessment, START_FIELDS),
                    "ombudsman_case": ombudsman_case.reference if ombudsman_case else None,
                    "carried_from": earlier.title if earlier else None,
                }
            ),
            assessment=assessment,
        )
    return assessment


def provision_answer(
    *,
    acting_user: Any,
    assessment: SelfAssessment,
    provision: str,
    comply: str,
    evidence: str = "",
    commentary: str = "",
    action: str = "",
    action_due_on: date | None = None,
    expected_version: int,
) -> Answer:
    """Answer one provision: comply yes, no or not yet (blank), the evidence and commentary.
    A "no" says what the landlord will do to comply and by when (Code self-assessment guidance:
    non-compliance needs actions and timescales); any other answer keeps neither.

    ``expected_version`` is the answer's version the form was drawn with."""
    code = _code(assessment.code_version)
    if provision not in code:
        raise InvalidInput(
            "provision_unknown",
            f"The {code.title} has no provision {provision}",
            field="provision",
        )
    comply = _plain(comply) or ""
    problems = Problems()
    if comply not in ("", *Comply.values):
        problems.add(
            InvalidInput("comply_invalid", "Choose yes, no or not answered yet", field="comply")
        )
    evidence = _text(problems, evidence, field="evidence", limit=EVIDENCE_MAX, what="The evidence")
    commentary = _text(
        problems, commentary, field="commentary", limit=COMMENTARY_MAX, what="The commentary"
    )
    if comply == Comply.NO:
        action = _text(
            problems,
            action,
            field="action",
            limit=ACTION_MAX,
            what="The action",
            missing=f"Say what you will do to comply with {provision}",
        )
        action_due_on = _day(
            problems,
            action_due_on,
            field="action_due_on",
            what=f"the date by which you will comply with {provision}",
        )
    else:
        action, action_due_on = "", None
    problems.raise_any()
    # A "yes" against evidence of a breach must address the figure (issue 23).
    check_against_record(
        assessment=assessment, provision=provision, comply=comply, commentary=commentary
    )

    with transaction.atomic():
        locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status != Status.DRAFT:
            raise StepRefused(
                "assessment_not_draft",
                f"{locked.title} is no longer a draft, so its answers cannot change",
            )
        answer = Answer.objects.select_for_update().get(assessment=locked, provision=provision)
        if answer.version != expected_version:
            raise StaleVersion(
                "stale_version",
                f"Someone else saved the answer to {provision} while you were working on it, so "
                "your answer was not saved. What you typed is below; check what they saved, "
                "then save again.",
                expected=expected_version,
                actual=answer.version,
            )
        before = snapshot(answer, ANSWER_FIELDS)
        answer.comply = comply
        answer.evidence = evidence
        answer.commentary = commentary
        answer.action = action
        answer.action_due_on = action_due_on
        changes = diff(before, snapshot(answer, ANSWER_FIELDS))
        if not changes:
            return answer
        answer.version += 1
        answer.save(update_fields=[*ANSWER_FIELDS, "version", "updated_at"])
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        SelfAssessmentEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=SelfAssessmentEvent.Action.ANSWERED,
            summary=f"{locked.title}, provision {provision}",
            changes=changes,
            assessment=locked,
            provision=provision,
        )
    assessment.version = locked.version
    return answer


# Exceptional circumstances (Code 8.5) -----------------------------------------------------------


def _check_circumstance(code: ComplaintHandlingCode, fields: dict[str, Any]) -> dict[str, Any]:
    problems = Problems()
    checked: dict[str, Any] = {}
    checked["title"] = _text(
        problems,
        fields.get("title"),
        field="title",
        limit=200,
        what="The title",
        missing="Enter what happened, in a few words",
    )
    checked["what_happened"] = _text(
        problems,
        fields.get("what_happened"),
        field="what_happened",
        limit=EVIDENCE_MAX,
        what="What happened",
        missing="Enter what happened and how it stops the landlord complying",
    )
    checked["public_notice"] = _text(
        problems,
        fields.get("public_notice"),
        field="public_notice",
        limit=NOTICE_MAX,
        what="The notice",
        missing="Enter the notice residents will see on the public reports page",
    )
    given = fields.get("provisions") or []
    numbers = [given] if isinstance(given, str) else list(given)
    unknown = [number for number in numbers if number not in code]
    if unknown:
        problems.add(
            InvalidInput(
                "provisions_unknown",
                f"The {code.title} has no provision {', '.join(map(str, unknown))}",
                field="provisions",
            )
        )
    elif not numbers:
        problems.add(
            InvalidInput(
                "provisions_missing",
                "Select the provisions of the Code you cannot comply with",
                field="provisions",
            )
        )
    checked["provisions"] = [p.number for p in code.provisions if p.number in set(numbers)]
    started = _day(
        problems, fields.get("started_on"), field="started_on", what="the date it started"
    )
    _not_future(problems, started, field="started_on", what="The date it started")
    checked["started_on"] = started
    for name, what in (
        ("residents_informed_on", "the date residents were informed"),
        ("ombudsman_informed_on", "the date the Ombudsman was informed"),
        ("ended_on", "the date it ended"),
    ):
        day = _day(problems, fields.get(name), field=name, what=what, required=False)
        _not_future(problems, day, field=name, what=what[:1].upper() + what[1:])
        checked[name] = day
    expected = _day(
        problems,
        fields.get("expected_return_on"),
        field="expected_return_on",
        what="when you expect to comply again",
    )
    checked["expected_return_on"] = expected
    if started and expected and expected < started:
        problems.add(
            InvalidInput(
                "expected_return_before_start",
                "The expected return to compliance cannot be before it started",
                field="expected_return_on",
            )
        )
    if started and checked["ended_on"] and checked["ended_on"] < started:
        problems.add(
            InvalidInput("ended_before_start", "It cannot end before it started", field="ended_on")
        )
    problems.raise_any()
    return checked


def circumstance_record(
    *,
    acting_user: Any,
    title: str,
    what_happened: str,
    provisions: Iterable[str],
    started_on: date | None,
    expected_return_on: date | None,
    public_notice: str,
    residents_informed_on: date | None = None,
    ombudsman_informed_on: date | None = None,
    ended_on: date | None = None,
    code_version: str = LATEST,
) -> ExceptionalCircumstance:
    """Record exceptional circumstances stopping compliance with the Code (8.5): what happened,
    the provisions affected, when residents and the Ombudsman were told, and when compliance is
    expected back. While it runs, ``public_notice`` is shown on the public reports page."""
    code = _code(code_version)
    checked = _check_circumstance(
        code,
        {
            "title": title,
            "what_happened": what_happened,
            "provisions": provisions,
            "started_on": started_on,
            "residents_informed_on": residents_informed_on,
            "ombudsman_informed_on": ombudsman_informed_on,
            "expected_return_on": expected_return_on,
            "ended_on": ended_on,
            "public_notice": public_notice,
        },
    )
    with transaction.atomic():
        circumstance = ExceptionalCircumstance.objects.create(
            code_version=code.version, recorded_by=acting_user, **checked
        )
        SelfAssessmentEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=SelfAssessmentEvent.Action.CIRCUMSTANCE_RECORDED,
            summary=circumstance.title,
            changes=created(snapshot(circumstance, CIRCUMSTANCE_FIELDS)),
            circumstance=circumstance,
        )
    return circumstance


def circumstance_update(
    *,
    acting_user: Any,
    circumstance: ExceptionalCircumstance,
    expected_version: int,
    **fields: Any,
) -> ExceptionalCircumstance:
    """Change a record of exceptional circumstances: any of ``CIRCUMSTANCE_FIELDS``, such as the
    dates residents and the Ombudsman were told, a new expected return, or the day it ended."""
    unknown = sorted(set(fields) - set(CIRCUMSTANCE_FIELDS))
    if unknown:
        raise TypeError(f"circumstance_update() got unexpected fields {unknown}")
    code = _code(circumstance.code_version)
    with transaction.atomic():
        locked = ExceptionalCircumstance.objects.select_for_update().get(pk=circumstance.pk)
        if locked.version != expected_version:
            raise StaleVersion(
                "stale_version",
                f"Someone else saved {locked.title} while you were working on it, so your "
                "changes were not saved. What you typed is below; check what they saved, then "
                "save again.",
                expected=expected_version,
                actual=locked.version,
            )
        before = snapshot(locked, CIRCUMSTANCE_FIELDS)
        checked = _check_circumstance(code, {**before_values(locked), **fields})
        for name, value in checked.items():
            setattr(locked, name, value)
        changes = diff(before, snapshot(locked, CIRCUMSTANCE_FIELDS))
        if not changes:
            return locked
        locked.version += 1
        locked.save(update_fields=[*CIRCUMSTANCE_FIELDS, "version", "updated_at"])
        SelfAssessmentEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=SelfAssessmentEvent.Action.CIRCUMSTANCE_CHANGED,
            summary=locked.title,
            changes=changes,
            circumstance=locked,
        )
    return locked


def before_values(circumstance: ExceptionalCircumstance) -> dict[str, Any]:
    """The record's values as a service takes them (dates as dates, not as text)."""
    return {name: getattr(circumstance, name) for name in CIRCUMSTANCE_FIELDS}


# Approval and publication (Code 8.1, 8.2) -------------------------------------------------------
#
# draft -> submitted (for review) -> reviewed -> approved (by the governing body) -> published.
# A reviewer may send a submitted assessment back to draft with comments. Only a draft's answers
# change (``provision_answer`` refuses any other); an approved or published assessment is frozen,
# and a change to it is a new version in draft (``assessment_revise``).

TRANSITIONS: dict[str, tuple[str, str]] = {
    "submit": (Status.DRAFT, Status.SUBMITTED),
    "return": (Status.SUBMITTED, Status.DRAFT),
    "review": (Status.SUBMITTED, Status.REVIEWED),
    "approve": (Status.REVIEWED, Status.APPROVED),
    "publish": (Status.APPROVED, Status.PUBLISHED),
}
APPROVAL_FIELDS = [
    "approved_on",
    "approval_minute",
    "responsible_member",
    "governing_body_response",
]
REVIEW_DECISIONS = ("reviewed", "returned")
COMMENTS_MAX = 5_000


def _locked_assessment(assessment: SelfAssessment, expected_version: int) -> SelfAssessment:
    """The assessment locked for the change, refused when someone changed it since the form."""
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.version != expected_version:
        raise StaleVersion(
            "stale_version",
            f"Someone else changed {locked.title_with_version} while you were working on it, so "
            "nothing was saved. What you typed is below; check what changed, then try again.",
            expected=expected_version,
            actual=locked.version,
        )
    return locked


def _move(
    locked: SelfAssessment,
    step: str,
    *,
    acting_user: Any,
    action: str,
    summary: str,
    fields: dict[str, Any],
) -> SelfAssessment:
    """The one way a status changes: checks ``TRANSITIONS``, saves ``fields`` with the new
    status and a new version, and appends the event with the old and new values."""
    before_status, after_status = TRANSITIONS[step]
    if locked.status != before_status:
        raise StepRefused(
            f"{step}_not_allowed",
            f"{locked.title_with_version} is {locked.get_status_display().lower()}: that step "
            f"is for one that is {Status(before_status).label.lower()}",
        )
    names = list(fields)
    before = {"status": locked.status, **snapshot(locked, names)}
    locked.status = after_status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=["status", *names, "version", "updated_at"])
    SelfAssessmentEvent.write(
        acting_user=acting_user,
        on=clock.today(),
        action=action,
        summary=summary,
        changes=diff(before, {"status": locked.status, **snapshot(locked, names)}),
        assessment=locked,
    )
    return locked


def submission_problems(assessment: SelfAssessment) -> list[str]:
    """What stops the assessment going for review: provisions not answered, and any "no"
    without its action and date (the database keeps the pair, this says it in words)."""
    code = _code(assessment.code_version)
    answers = list(assessment.answers.order_by("position"))
    problems = []
    unanswered = [answer.provision for answer in answers if not answer.comply]
    if unanswered:
        shown = ", ".join(unanswered[:12]) + (" and more" if len(unanswered) > 12 else "")
        problems.append(
            f"Answer every provision of the {code.title}: {len(unanswered)} not answered ({shown})"
        )
    missing = [
        answer.provision
        for answer in answers
        if answer.comply == Comply.NO and (not answer.action.strip() or not answer.action_due_on)
    ]
    if missing:
        problems.append(f"Say what you will do and by when for {', '.join(missing)}")
    if len(answers) != len(code):
        problems.append(f"The self-assessment should hold {len(code)} provisions")
    return problems


def assessment_submit(
    *, acting_user: Any, assessment: SelfAssessment, expected_version: int
) -> SelfAssessment:
    """Send the draft for review: every provision answered, every "no" with its action and
    date. Its answers are then fixed unless the reviewer returns it."""
    with transaction.atomic():
        locked = _locked_assessment(assessment, expected_version)
        if locked.status == Status.DRAFT:
            problems = Problems()
            for message in submission_problems(locked):
                problems.add(StepRefused("not_ready_for_review", message))
            problems.raise_any()
        return _move(
            locked,
            "submit",
            acting_user=acting_user,
            action=SelfAssessmentEvent.Action.SUBMITTED,
            summary=f"{locked.title_with_version} submitted for review",
            fields={
                "submitted_by": acting_user,
                "submitted_on": clock.today(),
                "review_comments": "",
            },
        )


def assessment_review(
    *,
    acting_user: Any,
    assessment: SelfAssessment,
    expected_version: int,
    decision: str,
    comments: str = "",
) -> SelfAssessment:
    """The review by someone other than whoever prepared or submitted it: ``decision``
    "reviewed" (ready for the governing body) or "returned" (back to draft, ``comments`` saying
    what to change)."""
    decision = _plain(decision)
    problems = Problems()
    if decision not in REVIEW_DECISIONS:
        problems.add(
            InvalidInput(
                "decision_invalid",
                "Choose whether it is ready for the governing body or goes back to draft",
                field="decision",
            )
        )
    comments = _text(
        problems,
        comments,
        field="comments",
        limit=COMMENTS_MAX,
        what="The comments",
        missing="Say what needs to change before it comes back for review"
        if decision == "returned"
        else None,
    )
    problems.raise_any()
    with transaction.atomic():
        locked = _locked_assessment(assessment, expected_version)
        user_id = getattr(acting_user, "pk", None)
        if user_id is not None and user_id in (locked.prepared_by_id, locked.submitted_by_id):
            raise StepRefused(
                "reviewer_not_independent",
                "Someone other than whoever prepared or submitted the self-assessment reviews it",
            )
        if decision == "returned":
            return _move(
                locked,
                "return",
                acting_user=acting_user,
                action=SelfAssessmentEvent.Action.RETURNED,
                summary=f"{locked.title_with_version} returned to draft",
                fields={"review_comments": comments, "submitted_by": None, "submitted_on": None},
            )
        return _move(
            locked,
            "review",
            acting_user=acting_user,
            action=SelfAssessmentEvent.Action.REVIEWED,
            summary=f"{locked.title_with_version} reviewed",
            fields={
                "reviewed_by": acting_user,
                "reviewed_on": clock.today(),
                "review_comments": comments,
            },
        )


def assessment_approve(
    *,
    acting_user: Any,
    assessment: SelfAssessment,
    expected_version: int,
    meeting_on: date | None,
    minute: str,
    member: str,
    response: str,
) -> SelfAssessment:
    """Record the governing body's approval (Code 8.2): the date of its meeting, the minute,
    the Member Responsible for Complaints, and its response, published alongside. From here
    the assessment is frozen."""
    problems = Problems()
    meeting_on = _day(problems, meeting_on, field="meeting_on", what="the date of the meeting")
    _not_future(problems, meeting_on, field="meeting_on", what="The date of the meeting")
    minute = _text(
        problems,
        minute,
        field="minute",
        limit=MINUTE_MAX,
        what="The minute reference",
        missing="Enter the minute reference of the approval",
    )
    member = _text(
        problems,
        member,
        field="member",
        limit=MEMBER_MAX,
        what="The member's name",
        missing="Enter the name of the Member Responsible for Complaints",
    )
    response = _text(
        problems,
        response,
        field="response",
        limit=RESPONSE_MAX,
        what="The response",
        missing="Enter the governing body's response",
    )
    problems.raise_any()
    with transaction.atomic():
        locked = _locked_assessment(assessment, expected_version)
        if meeting_on and locked.submitted_on and meeting_on < locked.submitted_on:
            raise StepRefused(
                "meeting_before_submission",
                f"The meeting cannot be before the self-assessment was submitted for review "
                f"({long_date(locked.submitted_on)})",
                field="meeting_on",
            )
        return _move(
            locked,
            "approve",
            acting_user=acting_user,
            action=SelfAssessmentEvent.Action.APPROVED,
            summary=f"{locked.title_with_version} approved by the governing body",
            fields={
                "approved_on": meeting_on,
                "approval_minute": minute,
                "responsible_member": member,
                "governing_body_response": response,
                "approval_recorded_by": acting_user,
            },
        )


def assessment_publish(
    *, acting_user: Any, assessment: SelfAssessment, expected_version: int
) -> SelfAssessment:
    """Publish the approved assessment, today: its page and files go on the public reports
    pages, with the governing body's response."""
    with transaction.atomic():
        locked = _locked_assessment(assessment, expected_version)
        return _move(
            locked,
            "publish",
            acting_user=acting_user,
            action=SelfAssessmentEvent.Action.PUBLISHED,
            summary=f"{locked.title_with_version} published",
            fields={"published_on": clock.today(), "published_by": acting_user},
        )


def assessment_revise(
    *, acting_user: Any, assessment: SelfAssessment, expected_version: int, reason: str
) -> SelfAssessment:
    """A new version of an approved (or published) assessment, in draft: the same answers, the
    version number one more, the reason recorded, linked to the one it revises (which stays as
    it was approved). Only the latest version is revised."""
    problems = Problems()
    reason = _text(
        problems,
        reason,
        field="reason",
        limit=REASON_MAX,
        what="The reason",
        missing="Say why the approved self-assessment needs a new version",
    )
    problems.raise_any()
    with transaction.atomic():
        locked = _locked_assessment(assessment, expected_version)
        if not locked.is_approved:
            raise StepRefused(
                "revise_not_approved",
                f"{locked.title_with_version} is not approved yet: change its answers instead",
            )
        newer = locked.revisions.first()
        if newer is not None:
            raise StepRefused(
                "revise_not_latest",
                f"{newer.title_with_version} already revises it: change that one instead",
            )
        try:
            with transaction.atomic():
                revision = SelfAssessment.objects.create(
                    code_version=locked.code_version,
                    trigger=locked.trigger,
                    reporting_year=locked.reporting_year,
                    as_at=locked.as_at,
                    prompted_by=locked.prompted_by,
                    ombudsman_case_id=locked.ombudsman_case_id,
                    status=Status.DRAFT,
                    prepared_by=acting_user,
                    # What changed is shown against the approved version.
                    carried_from=locked,
                    version_number=locked.version_number + 1,
                    revises=locked,
                    revision_reason=reason,
                )
        except IntegrityError:  # revised at the same moment by someone else
            raise StepRefused(
                "revise_not_latest", "Someone else started a new version at the same moment"
            ) from None
        Answer.objects.bulk_create(
            [
                Answer(
                    assessment=revision,
                    provision=answer.provision,
                    position=answer.position,
                    **{name: getattr(answer, name) for name in ANSWER_FIELDS},
                )
                for answer in locked.answers.all()
            ]
        )
        SelfAssessmentEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=SelfAssessmentEvent.Action.REVISED,
            summary=f"{revision.title_with_version}, revising version {locked.version_number}",
            changes=created(
                {
                    "version_number": revision.version_number,
                    "revises": locked.title_with_version,
                    "revision_reason": reason,
                }
            ),
            assessment=revision,
        )
    return revision


def latest_approved(*, reporting_year: int) -> SelfAssessment | None:
    """The year's annual assessment as the governing body last approved it (the newest
    approved or published version), or None."""
    return (
        SelfAssessment.objects.filter(
            trigger=Trigger.ANNUAL,
            reporting_year=reporting_year,
            status__in=APPROVED_STATUSES,
        )
        .order_by("-version_number")
        .first()
    )

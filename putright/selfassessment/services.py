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
    COMMENTARY_MAX,
    EVIDENCE_MAX,
    NOTICE_MAX,
    PROMPTED_BY_MAX,
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

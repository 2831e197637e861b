"""Every change to report editions and the TP09 survey result.

Each service runs in one transaction, locks the row it changes, checks the caller's
``expected_revision`` (a stale one raises ``StaleVersion``: nothing is saved, so nobody's words
silently replace anyone else's), refuses a change to anything published, and appends one
``ReportEvent`` with the old and new values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, Problems, StaleVersion, StepRefused
from putright.core.history import created, diff, snapshot
from putright.reporting import contents, editions
from putright.reporting.models import (
    COMMENTARY_MAX,
    FOREWORD_MAX,
    METHOD_NOTE_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    Edition,
    EditionStatus,
    PerceptionSurveyResult,
    ReportEvent,
)

WORD_FIELDS = ["foreword", "commentary", "reason"]
RESPONSE_FIELDS = ["response", "response_meeting_on", "response_minute", "response_member"]
COPIED_TO_NEXT_VERSION = ["foreword", "commentary", *RESPONSE_FIELDS]
TP09_FIELDS = [
    "lcra_satisfied",
    "lcra_respondents",
    "lcho_satisfied",
    "lcho_respondents",
    "method_note",
]


def _too_long(problems: Problems, text: str, limit: int, *, field: str, what: str) -> None:
    if len(text) > limit:
        problems.add(
            InvalidInput(
                f"{field}_too_long", f"{what} must be {limit:,} characters or fewer", field=field
            )
        )


def _locked_draft(edition: Edition, expected_revision: int) -> Edition:
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.status != EditionStatus.DRAFT:
        raise StepRefused(
            "edition_published",
            f"{locked} is published and can no longer change. Start a new version to change it.",
        )
    if locked.revision != expected_revision:
        raise StaleVersion(
            "stale_revision",
            f"Someone else saved {locked.title} while you were working on it, so your changes "
            "were not saved. What you typed is below; check what they saved, then save again.",
            expected=expected_revision,
            actual=locked.revision,
        )
    return locked


def _save(
    edition: Edition, fields: list[str], *, acting_user: Any, action: str, before: dict
) -> Edition:
    edition.revision += 1
    edition.save(update_fields=[*fields, "revision", "updated_at"])
    ReportEvent.write(
        acting_user=acting_user,
        on=clock.today(),
        action=action,
        summary=f"{edition.title}, version {edition.version}",
        changes=diff(before, snapshot(edition, fields)),
        edition=edition,
    )
    return edition


def edition_start(
    *, acting_user: Any, kind: str, reporting_year: int, quarter: int = 0, reason: str = ""
) -> Edition:
    """A draft of the report of ``kind`` for the period. Once a version is published, the draft
    is the next version, starting from its words, and must say why it replaces it."""
    if kind not in contents.SECTIONS:
        raise InvalidInput("kind_invalid", "Choose the annual report or a quarterly board report.")
    if (kind == contents.ANNUAL) != (quarter == 0) or not 0 <= quarter <= 4:
        raise InvalidInput("quarter_invalid", "A quarterly report covers quarter 1, 2, 3 or 4.")
    reason = (reason or "").strip()
    with transaction.atomic():
        versions = Edition.objects.select_for_update().filter(
            kind=kind, reporting_year=reporting_year, quarter=quarter
        )
        if versions.filter(status=EditionStatus.DRAFT).exists():
            raise StepRefused("draft_exists", "A draft of this report is already being written.")
        latest = versions.order_by("-version").first()
        problems = Problems()
        if latest is not None and not reason:
            problems.add(
                InvalidInput(
                    "reason_missing",
                    f"Say why version {latest.version + 1} will replace version {latest.version}",
                    field="reason",
                )
            )
        _too_long(problems, reason, REASON_MAX, field="reason", what="The reason")
        problems.raise_any()
        copied = {name: getattr(latest, name) for name in COPIED_TO_NEXT_VERSION} if latest else {}
        try:
            with transaction.atomic():
                edition = Edition.objects.create(
                    kind=kind,
                    reporting_year=reporting_year,
                    quarter=quarter,
                    version=(latest.version + 1) if latest else 1,
                    reason=reason if latest else "",
                    **copied,
                )
        except IntegrityError:  # someone started it at the same moment
            raise StepRefused(
                "draft_exists", "A draft of this report was started at the same moment."
            ) from None
        ReportEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=ReportEvent.Action.STARTED,
            summary=f"{edition.title}, version {edition.version}",
            changes=created(snapshot(edition, ["version", "reason"])),
            edition=edition,
        )
    return edition


def edition_save_words(
    *,
    acting_user: Any,
    edition: Edition,
    foreword: str,
    commentary: Mapping[str, str],
    expected_revision: int,
    reason: str | None = None,
) -> Edition:
    """Save the foreword and each section's commentary (blank commentary is dropped). Only the
    sections of the report's kind take commentary. ``reason`` (version 2 onwards) may change."""
    keys = {key for key, _ in contents.SECTIONS[edition.kind]}
    problems = Problems()
    unknown = sorted(set(commentary) - keys)
    if unknown:
        problems.add(
            InvalidInput(
                "commentary_section_unknown",
                f"This report has no section {', '.join(unknown)} to comment on.",
            )
        )
    foreword = (foreword or "").strip()
    _too_long(problems, foreword, FOREWORD_MAX, field="foreword", what="The foreword")
    words = {}
    headings = dict(contents.SECTIONS[edition.kind])
    for key, text in commentary.items():
        text = (text or "").strip()
        if key in keys and text:
            words[key] = text
            _too_long(
                problems,
                text,
                COMMENTARY_MAX,
                field=f"commentary_{key}",
                what=f"Commentary on {headings[key].lower()}",
            )
    if reason is not None:
        reason = reason.strip()
        if edition.version > 1 and not reason:
            problems.add(
                InvalidInput(
                    "reason_missing", "Say why this version replaces the one before", field="reason"
                )
            )
        _too_long(problems, reason, REASON_MAX, field="reason", what="The reason")
    problems.raise_any()
    with transaction.atomic():
        locked = _locked_draft(edition, expected_revision)
        before = snapshot(locked, WORD_FIELDS)
        locked.foreword = foreword
        # In the report's order, so the stored words read as the report does.
        locked.commentary = {
            key: words[key] for key, _ in contents.SECTIONS[locked.kind] if key in words
        }
        if reason is not None and locked.version > 1:
            locked.reason = reason
        return _save(
            locked,
            WORD_FIELDS,
            acting_user=acting_user,
            action=ReportEvent.Action.WORDS_SAVED,
            before=before,
        )


def edition_record_response(
    *,
    acting_user: Any,
    edition: Edition,
    response: str,
    meeting_on: date | None,
    minute: str,
    member: str,
    expected_revision: int,
) -> Edition:
    """The governing body's response to the report (Code 8.2), published alongside it: its
    words, the meeting that agreed it, the minute, and the Member Responsible for Complaints."""
    response, minute, member = (
        (response or "").strip(),
        (minute or "").strip(),
        (member or "").strip(),
    )
    problems = Problems()
    if not response:
        problems.add(
            InvalidInput(
                "response_missing", "Enter the governing body's response", field="response"
            )
        )
    _too_long(problems, response, RESPONSE_MAX, field="response", what="The response")
    if meeting_on is None:
        problems.add(
            InvalidInput("meeting_missing", "Enter the date of the meeting", field="meeting_on")
        )
    elif meeting_on > clock.today():
        problems.add(
            InvalidInput(
                "meeting_in_future",
                "The date of the meeting cannot be in the future",
                field="meeting_on",
            )
        )
    _too_long(problems, minute, 60, field="minute", what="The minute reference")
    if not member:
        problems.add(
            InvalidInput(
                "member_missing", "Enter the Member Responsible for Complaints", field="member"
            )
        )
    _too_long(problems, member, 150, field="member", what="The member's name")
    problems.raise_any()
    with transaction.atomic():
        locked = _locked_draft(edition, expected_revision)
        before = snapshot(locked, RESPONSE_FIELDS)
        locked.response = response
        locked.response_meeting_on = meeting_on
        locked.response_minute = minute
        locked.response_member = member
        locked.response_recorded_by = acting_user if getattr(acting_user, "pk", None) else None
        return _save(
            locked,
            [*RESPONSE_FIELDS, "response_recorded_by"],
            acting_user=acting_user,
            action=ReportEvent.Action.RESPONSE_RECORDED,
            before=before,
        )


def edition_publish(*, acting_user: Any, edition: Edition, expected_revision: int) -> Edition:
    """Freeze the draft as it stands: today's figures, suppressed, and its words, kept as JSON
    so the published report never changes. The annual report goes out with the governing body's
    response alongside (Code 8.2)."""
    with transaction.atomic():
        locked = _locked_draft(edition, expected_revision)
        if locked.kind == contents.ANNUAL and not locked.response.strip():
            raise StepRefused(
                "response_missing",
                "Record the governing body's response before publishing the annual report: "
                "the Code (8.2) has it published alongside.",
            )
        period = editions.period_of(locked)
        if period.end >= clock.today():
            raise StepRefused(
                "period_not_over",
                f"{period.label} ends on {long_date(period.end)}: a report is published once "
                "its period is over, so its figures are whole.",
            )
        now = timezone.now()
        limit = editions.threshold()
        document = editions.publishable(
            editions.draft_document(locked, published_on=clock.today()), limit
        )
        locked.document = editions.document_json(document)
        locked.status = EditionStatus.PUBLISHED
        locked.published_at = now
        locked.published_by = acting_user
        locked.suppression_threshold = limit
        locked.revision += 1
        locked.save(
            update_fields=[
                "document",
                "status",
                "published_at",
                "published_by",
                "suppression_threshold",
                "revision",
                "updated_at",
            ]
        )
        ReportEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=ReportEvent.Action.PUBLISHED,
            summary=f"{locked.title}, version {locked.version}",
            changes={"status": [EditionStatus.DRAFT, EditionStatus.PUBLISHED]},
            edition=locked,
        )
    return locked


def perception_result_record(
    *,
    acting_user: Any,
    reporting_year: int,
    lcra_satisfied: int,
    lcra_respondents: int,
    lcho_satisfied: int,
    lcho_respondents: int,
    method_note: str,
    expected_revision: int | None,
) -> PerceptionSurveyResult:
    """Enter (or correct) the year's TP09 result. ``expected_revision`` is None for a first
    entry, else the revision the person saw."""
    values = {
        "lcra_satisfied": lcra_satisfied,
        "lcra_respondents": lcra_respondents,
        "lcho_satisfied": lcho_satisfied,
        "lcho_respondents": lcho_respondents,
    }
    problems = Problems()
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.add(
                InvalidInput(f"{name}_invalid", "Enter a whole number, 0 or more", field=name)
            )
    for group in ("lcra", "lcho"):
        satisfied, asked = values[f"{group}_satisfied"], values[f"{group}_respondents"]
        if isinstance(satisfied, int) and isinstance(asked, int) and satisfied > asked:
            problems.add(
                InvalidInput(
                    "satisfied_over_respondents",
                    f"{group.upper()} respondents satisfied cannot be more than the "
                    f"{group.upper()} respondents ({asked:,})",
                    field=f"{group}_satisfied",
                )
            )
    method_note = (method_note or "").strip()
    if not method_note:
        problems.add(
            InvalidInput(
                "method_note_missing", "Say how the survey was carried out", field="method_note"
            )
        )
    _too_long(problems, method_note, METHOD_NOTE_MAX, field="method_note", what="The note")
    problems.raise_any()
    with transaction.atomic():
        result = (
            PerceptionSurveyResult.objects.select_for_update()
            .filter(reporting_year=reporting_year)
            .first()
        )
        current = None if result is None else result.revision
        if current != expected_revision:
            raise StaleVersion(
                "stale_revision",
                "Someone else saved this year's TP09 result while you were entering it, so "
                "yours was not saved. What you typed is below; check theirs, then save again.",
            )
        if result is None:
            result = PerceptionSurveyResult(reporting_year=reporting_year, revision=0)
            before = {}
        else:
            before = snapshot(result, TP09_FIELDS)
        for name, value in {**values, "method_note": method_note}.items():
            setattr(result, name, value)
        result.entered_by = acting_user
        result.revision += 1
        result.save()
        ReportEvent.write(
            acting_user=acting_user,
            on=clock.today(),
            action=ReportEvent.Action.TP09_RECORDED,
            summary=f"TP09 {reporting_year}",
            changes=diff(before, snapshot(result, TP09_FIELDS)),
            survey_result=result,
        )
    return result

"""CSV imports: survey responses from a survey provider, and contacts from a telephony or CRM
export. Both follow the same rules:

- every row is checked, through the same services a screen uses, and every bad row is reported
  with its line number and reason;
- nothing is written unless every row is good (one transaction, rolled back otherwise);
- importing the same file again changes nothing: rows are keyed by the provider's or system's
  own reference, and a row already recorded with the same values is counted as unchanged. A
  later file may add what was missing (a response to a survey, the date a contact was answered).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from putright.complaints.models import Complaint
from putright.contacts import services
from putright.contacts.models import Contact, ContactChannel, ContactType, SatisfactionSurvey
from putright.core.errors import DomainError

SURVEY_COLUMNS = (
    "reference",
    "complaint",
    "sent_on",
    "score",
    "comment",
    "dissatisfied",
    "responded_on",
)
CONTACT_COLUMNS = ("reference", "received_on", "channel", "type", "answered_on")
ACTOR = "CSV import"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def ok(self) -> bool:
        return not self.errors


class _BadRow(Exception):
    pass


def _date(value: str, what: str, *, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise _BadRow(f"{what} is missing")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _BadRow(f"{what} {value!r} is not a date like 2026-03-31") from None


def _choice(value: str, choices: Any, what: str) -> str:
    wanted = (value or "").strip().lower()
    for choice_value, label in choices.choices:
        if wanted in (choice_value, label.lower()):
            return choice_value
    raise _BadRow(f"{what} {value!r} is not one of: {', '.join(choices.values)}")


def _rows(lines: Iterable[str], columns: tuple[str, ...], result: ImportResult):
    reader = csv.DictReader(lines)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in columns if name not in header]
    if missing:
        result.errors.append((1, f"the header lacks the column(s) {', '.join(missing)}"))
        return
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        reference = (row.get("reference") or "").strip()
        if not reference:
            result.errors.append((line, "reference is missing"))
            continue
        if reference in seen:
            result.errors.append((line, f"reference {reference} is also on line {seen[reference]}"))
            continue
        seen[reference] = line
        yield line, reference, {k: (v or "").strip() for k, v in row.items() if k}


def _problem(error: DomainError) -> str:
    return "; ".join(problem.message for problem in error.every())


def _finish(result: ImportResult, *, dry_run: bool) -> ImportResult:
    if result.errors or dry_run:
        transaction.set_rollback(True)
        result.errors.sort()
    return result


@transaction.atomic
def surveys_import(lines: Iterable[str], *, dry_run: bool = False) -> ImportResult:
    """Import survey responses: reference (the provider's id), complaint, sent_on, score,
    comment, dissatisfied (yes or no), responded_on. A survey sent with no response yet has
    score and responded_on empty."""
    result = ImportResult()
    for line, reference, row in _rows(lines, SURVEY_COLUMNS, result):
        try:
            sent_on = _date(row["sent_on"], "sent_on")
            responded_on = _date(row["responded_on"], "responded_on", required=False)
            score = None
            if row["score"]:
                if not row["score"].isdigit():
                    raise _BadRow(f"score {row['score']!r} is not a whole number from 1 to 5")
                score = int(row["score"])
            if (score is None) != (responded_on is None):
                raise _BadRow("a response needs both a score and responded_on")
            dissatisfied = row["dissatisfied"].lower()
            if dissatisfied not in ("", "yes", "no", "y", "n", "true", "false", "1", "0"):
                raise _BadRow(f"dissatisfied {row['dissatisfied']!r} is not yes or no")
            response = {
                "score": score,
                "comment": row["comment"],
                "comment_dissatisfied": dissatisfied in ("yes", "y", "true", "1"),
                "responded_on": responded_on,
            }
            existing = SatisfactionSurvey.objects.filter(provider_reference=reference).first()
            if existing is not None:
                if existing.complaint.reference != row["complaint"].upper() or (
                    existing.sent_on != sent_on
                ):
                    raise _BadRow(
                        f"survey {reference} is already recorded for "
                        f"{existing.complaint.reference} sent {existing.sent_on.isoformat()}"
                    )
                stored = {
                    "score": existing.score,
                    "comment": existing.comment,
                    "comment_dissatisfied": existing.comment_dissatisfied,
                    "responded_on": existing.responded_on,
                }
                if score is None or stored == response:
                    result.unchanged += 1
                    continue
                services.survey_response_record(acting_user=ACTOR, survey=existing, **response)
                result.updated += 1
                continue
            complaint = Complaint.objects.filter(reference=row["complaint"].upper()).first()
            if complaint is None:
                raise _BadRow(f"there is no complaint {row['complaint']!r}")
            fields = response if score is not None else {}
            services.survey_send(
                acting_user=ACTOR,
                complaint=complaint,
                sent_on=sent_on,
                provider_reference=reference,
                **fields,
            )
            result.created += 1
        except _BadRow as error:
            result.errors.append((line, str(error)))
        except DomainError as error:
            result.errors.append((line, _problem(error)))
    return _finish(result, dry_run=dry_run)


@transaction.atomic
def contacts_import(lines: Iterable[str], *, dry_run: bool = False) -> ImportResult:
    """Import contacts: reference, received_on, channel, type, answered_on (empty if not yet
    answered). Channel and type are PutRight's values or labels ("email", "Telephone")."""
    result = ImportResult()
    for line, reference, row in _rows(lines, CONTACT_COLUMNS, result):
        try:
            values = {
                "received_on": _date(row["received_on"], "received_on"),
                "channel": _choice(row["channel"], ContactChannel, "channel"),
                "contact_type": _choice(row["type"], ContactType, "type"),
                "answered_on": _date(row["answered_on"], "answered_on", required=False),
            }
            existing = Contact.objects.filter(external_reference=reference).first()
            if existing is None:
                services.contact_log(acting_user=ACTOR, external_reference=reference, **values)
                result.created += 1
                continue
            stored = {name: getattr(existing, name) for name in values}
            if stored == values:
                result.unchanged += 1
                continue
            services.contact_update(acting_user=ACTOR, contact=existing, **values)
            result.updated += 1
        except _BadRow as error:
            result.errors.append((line, str(error)))
        except DomainError as error:
            result.errors.append((line, _problem(error)))
    return _finish(result, dry_run=dry_run)

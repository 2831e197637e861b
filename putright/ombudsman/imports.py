"""Import of the Ombudsman's findings from CSV or XLSX, through the same services as the screens.

One row per finding: Ombudsman reference, decision date, complaint category, element, finding,
and optionally the complaint reference. Every row is checked before anything is written; each
bad row is reported with its line, column and reason. Nothing is written unless every row is
clean, or the caller asks to skip the bad ones. Importing the same file again changes nothing:
a case already recorded is reused, and a finding already recorded on an element is skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from putright.complaints.models import Complaint
from putright.core import clock
from putright.ombudsman import services
from putright.ombudsman.models import OmbudsmanCase, Outcome
from putright.organisation.models import Category

ACTOR = "Import (putright import ombudsman-findings)"

# column key -> (heading as written in the file, required)
COLUMNS: dict[str, tuple[str, bool]] = {
    "reference": ("Ombudsman reference", True),
    "decided_on": ("Decision date", True),
    "category": ("Complaint category", False),
    "element": ("Element", True),
    "finding": ("Finding", True),
    "complaint": ("Complaint reference", False),
}
_ALIASES = {
    "redress": Outcome.REASONABLE_REDRESS,
    "no maladministration found": Outcome.NO_MALADMINISTRATION,
}


@dataclass
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}, column {self.column!r}: {self.reason}"


@dataclass
class Row:
    line: int
    reference: str
    decided_on: dt.date
    category: Category | None
    element: str
    outcome: str
    complaint: Complaint | None


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    cases_opened: int = 0
    findings_added: int = 0
    findings_unchanged: int = 0
    rows_skipped: int = 0
    written: bool = False


class ImportFileError(Exception):
    """The file cannot be read as a findings file at all."""


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and each (line, cells) of a CSV or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises several kinds for a broken file
            raise ImportFileError(f"{path.name} is not a readable XLSX file ({error}).") from None
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path.name} is not UTF-8 text (save it as CSV UTF-8)."
            ) from None
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportFileError(f"{path.name} is empty.")
    header = [str(cell or "").strip() for cell in rows[0]]
    body = [
        (number, list(cells))
        for number, cells in enumerate(rows[1:], start=2)
        if any(str(cell or "").strip() for cell in cells)
    ]
    return header, body


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _outcomes() -> dict[str, str]:
    known = {value: value for value in Outcome.values}
    known.update({label.lower(): value for value, label in Outcome.choices})
    known.update(_ALIASES)
    return known


def check(header: list[str], body: list[tuple[int, list[Any]]]) -> tuple[list[Row], list[Problem]]:
    """Every row checked against the file, the categories, complaints and cases recorded."""
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    lowered = [name.lower() for name in header]
    for key, (heading, required) in COLUMNS.items():
        if heading.lower() in lowered:
            positions[key] = lowered.index(heading.lower())
        elif required:
            problems.append(Problem(1, heading, "this column is missing from the header"))
    if problems:
        return [], problems

    cells = [
        (line, {key: (row[pos] if pos < len(row) else None) for key, pos in positions.items()})
        for line, row in body
    ]
    categories: dict[str, list[Category]] = defaultdict(list)
    for category in Category.objects.only("id", "name"):
        categories[category.name.strip().lower()].append(category)
    wanted = {str(c.get("complaint") or "").strip().upper() for _, c in cells} - {""}
    complaints = {c.reference: c for c in Complaint.objects.filter(reference__in=wanted)}
    references = {str(c.get("reference") or "").strip().upper() for _, c in cells} - {""}
    cases = {
        case.reference: case
        for case in OmbudsmanCase.objects.filter(reference__in=references).prefetch_related(
            "findings", "complaints"
        )
    }
    outcomes = _outcomes()
    today = clock.today()
    rows: list[Row] = []
    bad_lines: set[int] = set()

    def bad(line: int, key: str, reason: str) -> None:
        problems.append(Problem(line, COLUMNS[key][0], reason))
        bad_lines.add(line)

    for line, c in cells:
        reference = str(c.get("reference") or "").strip().upper()
        if not reference:
            bad(line, "reference", "enter the Ombudsman's reference")
        decided_on = _date(c.get("decided_on"))
        if decided_on is None:
            bad(line, "decided_on", "enter a date as YYYY-MM-DD or DD/MM/YYYY")
        elif decided_on > today:
            bad(line, "decided_on", "the decision date cannot be in the future")
        name = str(c.get("category") or "").strip()
        category = None
        if name:
            found = categories.get(name.lower(), [])
            if not found:
                bad(line, "category", f"no category is called {name!r}")
            elif len(found) > 1:
                bad(line, "category", f"more than one category is called {name!r}")
            else:
                category = found[0]
        element = str(c.get("element") or "").strip()
        if not element:
            bad(line, "element", "enter the complaint element the finding is about")
        elif len(element) > 300:
            bad(line, "element", "keep the element to 300 characters")
        typed = str(c.get("finding") or "").strip()
        finding = typed.lower()
        outcome = outcomes.get(finding) or outcomes.get(finding.replace(" ", "_"))
        if outcome is None:
            bad(line, "finding", f"{typed!r} is not one of the Ombudsman's eight findings")
        complaint_ref = str(c.get("complaint") or "").strip().upper()
        complaint = complaints.get(complaint_ref) if complaint_ref else None
        if complaint_ref and complaint is None:
            bad(line, "complaint", f"no complaint has the reference {complaint_ref}")
        if line not in bad_lines:
            rows.append(Row(line, reference, decided_on, category, element, outcome, complaint))

    # Across rows, and against what is recorded.
    by_case: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_case[row.reference].append(row)
    for reference, group in by_case.items():
        dates = {row.decided_on for row in group}
        case = cases.get(reference)
        if len(dates) > 1:
            for row in group:
                bad(row.line, "decided_on", f"case {reference} has more than one decision date")
            continue
        seen: set[str] = set()
        for row in group:
            if row.element.lower() in seen:
                bad(row.line, "element", f"this element appears twice for case {reference}")
            seen.add(row.element.lower())
        if case is None:
            continue
        if case.determined_on not in (None, group[0].decided_on):
            for row in group:
                bad(
                    row.line,
                    "decided_on",
                    f"case {reference} is recorded as determined on {case.determined_on}",
                )
            continue
        if case.determined_on is None and case.stage not in services.DETERMINABLE:
            for row in group:
                bad(
                    row.line,
                    "reference",
                    f"case {reference} is at {case.get_stage_display().lower()}, so no "
                    "determination can be recorded",
                )
            continue
        recorded = {f.element.lower(): f.outcome for f in case.findings.all()}
        linked = {c.pk for c in case.complaints.all()}
        for row in group:
            if recorded.get(row.element.lower(), row.outcome) != row.outcome:
                bad(
                    row.line, "finding", f"case {reference} records another finding on this element"
                )
            if row.complaint is not None and row.complaint.pk not in linked:
                bad(
                    row.line,
                    "complaint",
                    f"complaint {row.complaint.reference} is not linked to case {reference}",
                )
    clean = [row for row in rows if row.line not in bad_lines]
    problems.sort(key=lambda problem: problem.line)
    return clean, problems


def import_findings(path: Path, *, skip_invalid: bool = False, acting_user: Any = ACTOR) -> Result:
    header, body = read_rows(path)
    rows, problems = check(header, body)
    result = Result(problems=problems)
    if problems and not skip_invalid:
        return result
    bad_lines = {problem.line for problem in problems}
    result.rows_skipped = len(bad_lines)
    with transaction.atomic():
        by_case: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_case[row.reference].append(row)
        for reference, group in by_case.items():
            _write_case(reference, group, acting_user, result)
    result.written = True
    return result


def _write_case(reference: str, group: list[Row], acting_user: Any, result: Result) -> None:
    decided_on = group[0].decided_on
    case = OmbudsmanCase.objects.filter(reference=reference).first()
    if case is None:
        complaints = list(
            {row.complaint.pk: row.complaint for row in group if row.complaint}.values()
        )
        case = services.case_open(
            acting_user=acting_user,
            reference=reference,
            referred_on=decided_on,  # the file gives no referral date: the decision's stands in
            complaints=complaints,
            kind=OmbudsmanCase.Kind.WIDER if len(complaints) > 1 else OmbudsmanCase.Kind.INDIVIDUAL,
            stage="investigation",
            summary="Imported from the Ombudsman's findings; referral date not given.",
            complaints_unknown=True,
        )
        result.cases_opened += 1
    if case.determined_on is None:
        case = services.determination_record(acting_user=acting_user, case=case, on=decided_on)
    recorded = set(case.findings.values_list("element", flat=True))
    recorded = {element.lower() for element in recorded}
    for row in group:
        if row.element.lower() in recorded:
            result.findings_unchanged += 1
            continue
        services.finding_add(
            acting_user=acting_user,
            case=case,
            element=row.element,
            outcome=row.outcome,
            category=row.category,
            complaint=row.complaint,
        )
        result.findings_added += 1

"""The subject access archive: a readable ``index.html``, a JSON file per record type, and the
documents themselves.

The JSON files hold every column of every row (related records by id, with a label where the
record was read anyway); the index shows the same records for a person to read, without internal
ids and timestamps. Nothing here reads the database: the record comes prefetched
(``selectors.subject_access_record``), and files come through the storage API.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst, get_valid_filename

from putright.complaints.models import Complaint, Document, Point
from putright.privacy.selectors import SubjectRecord

# Not shown in the index: internal keys, when rows were written, a derived copy of the complaint's
# words, and the record a nested row belongs to (the nesting says that).
INDEX_SKIP = frozenset(
    {"id", "created_at", "updated_at", "search_text", "resident", "complaint", "stage", "point"}
)
HISTORY_SKIP = frozenset({"action", "happened_on"})  # the entry's title says what and when


@dataclass
class Entry:
    """One record as the index shows it."""

    title: str
    fields: list[tuple[str, str]]
    parts: list[Section] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (path in the archive, text)


@dataclass
class Section:
    slug: str
    title: str
    entries: list[Entry]


# Reading a row ----------------------------------------------------------------------------------


def _label(instance: models.Model, model_field: models.Field) -> str | None:
    """The related record's name, if it was read with this one (never a query per row)."""
    if getattr(instance, model_field.attname) is None or not model_field.is_cached(instance):
        return None
    return str(getattr(instance, model_field.name))


def row(instance: models.Model) -> dict[str, Any]:
    """Every column of ``instance``, for the JSON files."""
    data: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        value = model_field.value_from_object(instance)
        if isinstance(model_field, models.FileField):
            data[model_field.name] = value.name or ""
        elif model_field.is_relation:
            data[model_field.attname] = value
            label = _label(instance, model_field)
            if label is not None:
                data[model_field.name] = label
        else:
            data[model_field.name] = value
    return data


def _shown(value: Any, model_field: models.Field, instance: models.Model) -> str:
    if model_field.is_relation:
        return _label(instance, model_field) or ""
    if isinstance(model_field, models.FileField):
        return ""  # the file itself is linked instead
    if value is None or value == "" or value == {} or value == []:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value)
        return f"{local.day} {local:%B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if model_field.name == "changes" and isinstance(value, dict):
        return describe_changes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def describe_changes(changes: dict[str, Any]) -> str:
    """A history event's ``{field: [old, new]}`` as lines a person can read."""
    lines = []
    for name, change in changes.items():
        old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
        what = capfirst(name.replace("_", " "))
        if old in (None, "", [], {}):
            lines.append(f"{what}: {_plain(new)}")
        else:
            lines.append(f"{what}: {_plain(old)} changed to {_plain(new)}")
    return "\n".join(lines)


def _plain(value: Any) -> str:
    if value in (None, "", [], {}):
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "label" in value:  # a related record
            return str(value["label"])
        return ", ".join(f"{name.replace('_', ' ')} {_plain(item)}" for name, item in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return str(value)


def fields(instance: models.Model, *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(label, value) for every column with a value, as the index shows them."""
    hidden = INDEX_SKIP | set(skip)
    shown = []
    for model_field in instance._meta.concrete_fields:
        if model_field.name in hidden:
            continue
        value = model_field.value_from_object(instance)
        label = str(model_field.verbose_name)
        if model_field.name.endswith("_pence") and value is not None:
            # Money is kept in pence; people read pounds.
            label, value = label.removesuffix(" pence"), f"£{Decimal(value) / 100:,.2f}"
        text = _shown(value, model_field, instance)
        if text:
            shown.append((capfirst(label), text))
    return shown


def _entries(instances: Iterable[models.Model], title, skip: Iterable[str] = ()) -> list[Entry]:
    return [Entry(title=title(i), fields=fields(i, skip=skip)) for i in instances]


# The archive ------------------------------------------------------------------------------------


def document_path(complaint: Complaint, document: Document) -> str:
    name = get_valid_filename(document.original_name) or "document"
    return f"documents/{complaint.reference}/{document.pk}-{name}"


def build_archive(record: SubjectRecord, *, prepared_on: dt.date, organisation: str) -> bytes:
    """The ZIP file, as bytes."""
    _withhold_other_complainants(record)
    tables = _tables(record)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        missing = _copy_documents(archive, record.complaints)
        context = {
            "resident": record.resident,
            "organisation": organisation,
            "prepared_on": prepared_on,
            "sections": _resident_sections(record),
            "complaints": [_complaint_entry(c, record, missing) for c in record.complaints],
            "data_files": sorted(tables),
        }
        archive.writestr("index.html", render_to_string("privacy/subject_access.html", context))
        for name, rows in tables.items():
            text = json.dumps(rows, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
            archive.writestr(f"data/{name}.json", text)
    return buffer.getvalue()


OTHER_RESIDENT = "(another resident)"
PEOPLE_KEYS = ("complainant", "co_complainants")


def _withhold_other_complainants(record: SubjectRecord) -> None:
    """A joint complaint's history names everyone who made it: the others are someone else's
    personal data, so the export names them as another resident (on the rows read for it only;
    nothing is saved)."""
    own = record.resident.pk
    for complaint in record.complaints:
        for event in complaint.events.all():
            for key in PEOPLE_KEYS:
                if key in event.changes:
                    event.changes[key] = _others_withheld(event.changes[key], own)


def _others_withheld(value: Any, own: int) -> Any:
    if isinstance(value, list):
        return [_others_withheld(item, own) for item in value]
    if isinstance(value, dict) and value.get("id") != own:
        return {**value, "label": OTHER_RESIDENT}
    return value


def _copy_documents(archive: zipfile.ZipFile, complaints: list[Complaint]) -> set[int]:
    """Put every stored document in the archive; the ids of those not found in storage."""
    missing = set()
    for complaint in complaints:
        for document in complaint.documents.all():
            storage, name = document.file.storage, document.file.name
            if not name or not storage.exists(name):
                missing.add(document.pk)
                continue
            path = document_path(complaint, document)
            with storage.open(name, "rb") as source, archive.open(path, "w") as target:
                shutil.copyfileobj(source, target)
    return missing


def _tables(record: SubjectRecord) -> dict[str, list[dict[str, Any]]]:
    resident, complaints = record.resident, record.complaints
    stages = [stage for complaint in complaints for stage in complaint.stages.all()]
    points = [point for stage in stages for point in stage.points.all()]
    complaint_rows = []
    for complaint in complaints:
        data = row(complaint)
        data["your_part"] = _part_in(complaint, resident)
        # Who else made or joined a complaint is someone else's personal data: how many, not who.
        if complaint.complainant_id != resident.pk:
            data.pop("complainant_id")
            data.pop("complainant", None)
        data["other_complainants"] = len(complaint.co_complainants.all())
        complaint_rows.append(data)
    return {
        "resident": [row(resident)],
        "tenancies": [row(t) for t in resident.tenancies.all()],
        "representatives": [row(r) for r in resident.representatives.all()],
        "adjustments": [row(a) for a in resident.adjustments.all()],
        "restrictions": [row(r) for r in resident.restrictions.all()],
        "disabilities": [row(d) for d in resident.disabilities.all()],
        "equality_data": [row(record.equality_data)] if record.equality_data else [],
        "resident_history": [row(e) for e in resident.events.all()],
        "complaints": complaint_rows,
        "stages": [row(s) for s in stages],
        "points": [row(p) for p in points],
        "decisions": [row(p.decision) for p in points if _decision(p) is not None],
        "remedies": [row(r) for s in stages for r in s.remedies.all()],
        "actions": [row(a) for s in stages for a in s.actions.all()],
        "extensions": [row(e) for s in stages for e in s.extensions.all()],
        "refusals": [row(r) for c in complaints for r in c.refusals.all()],
        "correspondence": [row(r) for c in complaints for r in c.correspondence.all()],
        "notes": [row(n) for c in complaints for n in c.notes.all()],
        "documents": [row(d) for c in complaints for d in c.documents.all()],
        "complaint_history": [row(e) for c in complaints for e in c.events.all()],
    }


def _part_in(complaint: Complaint, resident: Any) -> str:
    return "complainant" if complaint.complainant_id == resident.pk else "joint complainant"


def _decision(point: Point):
    try:
        return point.decision
    except Point.decision.RelatedObjectDoesNotExist:
        return None


def _resident_sections(record: SubjectRecord) -> list[Section]:
    resident = record.resident
    equality = [record.equality_data] if record.equality_data else []
    return [
        Section("record", "Your record", _entries([resident], lambda r: r.full_name)),
        Section(
            "tenancies",
            "Homes and tenancies",
            _entries(resident.tenancies.all(), lambda t: str(t.property)),
        ),
        Section(
            "representatives",
            "People who act for you",
            _entries(resident.representatives.all(), lambda r: r.name),
        ),
        Section(
            "adjustments",
            "Reasonable adjustments",
            _entries(resident.adjustments.all(), lambda a: a.get_category_display()),
        ),
        Section(
            "restrictions",
            "Restrictions on contact",
            _entries(resident.restrictions.all(), lambda r: f"From {_on(r.starts_on)}"),
        ),
        Section(
            "disabilities",
            "Disabilities and health conditions you told us about",
            _entries(resident.disabilities.all(), lambda d: f"Told us on {_on(d.disclosed_on)}"),
        ),
        Section("equality", "Equality monitoring answers", _entries(equality, str)),
        Section(
            "history",
            "Changes to your record",
            _entries(resident.events.all(), _event_title, skip=HISTORY_SKIP),
        ),
    ]


def _event_title(event: Any) -> str:
    return f"{_on(event.happened_on)}: {event.action.replace('_', ' ')}"


def _complaint_entry(complaint: Complaint, record: SubjectRecord, missing: set[int]) -> Entry:
    stages = list(complaint.stages.all())
    points = []
    for stage in stages:
        for point in stage.points.all():
            entry = Entry(title=f"Stage {stage.number}, point {point.number}", fields=fields(point))
            decision = _decision(point)
            if decision is not None:
                entry.fields += [(f"Decision: {label.lower()}", v) for label, v in fields(decision)]
            points.append(entry)
    documents = []
    for document in complaint.documents.all():
        entry = Entry(title=document.original_name, fields=fields(document))
        if document.pk in missing:
            entry.fields.append(("File", "Not found in storage"))
        else:
            entry.link = (document_path(complaint, document), f"Open {document.original_name}")
        documents.append(entry)
    parts = [
        Section("stages", "Stages", _entries(stages, lambda s: f"Stage {s.number}")),
        Section("points", "Points of complaint and decisions", points),
        Section(
            "remedies",
            "Remedies",
            [
                Entry(f"Stage {s.number}: {r.get_kind_display()}", fields(r))
                for s in stages
                for r in s.remedies.all()
            ],
        ),
        Section(
            "actions",
            "Actions we promised",
            [Entry(f"Stage {s.number} action", fields(a)) for s in stages for a in s.actions.all()],
        ),
        Section(
            "extensions",
            "Extensions",
            [Entry(f"Stage {s.number}", fields(e)) for s in stages for e in s.extensions.all()],
        ),
        Section(
            "refusals",
            "Decisions not to accept or escalate",
            _entries(
                complaint.refusals.all(),
                lambda r: f"{r.get_kind_display()}, {_on(r.decided_on)}",
            ),
        ),
        Section(
            "correspondence",
            "Correspondence",
            _entries(complaint.correspondence.all(), lambda c: _on(c.happened_on)),
        ),
        Section(
            "notes",
            "Case notes",
            _entries(complaint.notes.all(), lambda n: _on(n.written_on)),
        ),
        Section("documents", "Documents", documents),
        Section("history", "History", _entries(complaint.events.all(), _event_title, HISTORY_SKIP)),
    ]
    # The complainant is this person, or, on a joint complaint, someone else.
    summary = fields(complaint, skip={"complainant"})
    summary.append(("Your part", capfirst(_part_in(complaint, record.resident))))
    return Entry(
        title=f"Complaint {complaint.reference}",
        fields=summary,
        parts=[part for part in parts if part.entries],
    )


def _on(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"

"""What anonymisation writes in place of personal data, and how it reads a history event.

Free text is replaced, not emptied, so that "was a reason given", "was there a note" and the
database's not-blank constraints survive. A history event keeps its shape (which fields
changed, their dates, numbers, yes/no values and codes from fixed lists) and loses every other
value, a date of birth included.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Case, Value, When

REDACTED = "[anonymised]"
ANONYMISED_NAME = "Anonymised"

# A date or a date and time as history stores them (isoformat).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")

# Keys of a history event's changes whose values are codes from a fixed list, or staff and the
# landlord's own lists (their labels included), never the resident: these stay.
KEPT_KEYS = frozenset(
    {
        "authority_method",
        "business_area",
        "category",
        "channel",
        "closure_reason",
        "complexity",
        "content_type",
        "decided_by",
        "direction",
        "drafted_by",
        "end_reason",
        "finding",
        "handler",
        "kind",
        "next_due_kind",
        "outcome",
        "owner",
        "party",
        "preferred_contact_method",
        "preferred_format",
        "property_type",
        "recorded_by",
        "relationship",
        "reversal_basis",
        "reversed_by",
        "risk",
        "root_causes",
        "signed_off_by",
        "status",
        "sub_category",
        "tenure",
        "tenure_at_receipt",
        "uploaded_by",
        "written_by",
    }
)


# Keys whose values identify someone even when they look like dates.
ALWAYS_REDACTED = frozenset({"date_of_birth"})


@cache
def _code_values() -> frozenset[str]:
    """Every value of a fixed list (a finding, a channel, a kind...) in the complaint and people
    records: a string that is exactly one of these is a code, not something someone wrote."""
    return frozenset(
        str(value)
        for label in ("complaints", "people")
        for model in apps.get_app_config(label).get_models()
        for model_field in model._meta.concrete_fields
        if model_field.choices
        for value, _ in model_field.flatchoices
        if value
    )


def redacted_text(field: str) -> Case:
    """A database expression: ``field`` replaced by the marker, or left empty if it was empty."""
    return Case(When(**{field: ""}, then=Value("")), default=Value(REDACTED))


def redact_changes(changes: Any) -> Any:
    """An event's ``{field: [old, new]}`` (or a stage's draft) without personal values."""
    if not isinstance(changes, dict):
        return _redact(changes, "")
    return {key: _redact(value, key) for key, value in changes.items()}


def _redact(value: Any, key: str) -> Any:
    if key in ALWAYS_REDACTED and value not in (None, ""):
        return REDACTED
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        if not value or key in KEPT_KEYS or _ISO_DATE.fullmatch(value):
            return value
        return value if value in _code_values() else REDACTED
    if isinstance(value, list | tuple):
        return [_redact(item, key) for item in value]
    if isinstance(value, dict):
        # A related record is {"id": ..., "label": ...}: the id stays, the label is judged by
        # the field it belongs to (a category's name stays, a person's name goes).
        return {
            name: item if name == "id" else _redact(item, key if name == "label" else name)
            for name, item in value.items()
        }
    return REDACTED


def event_summary(action: str, labels: dict[str, str] | None = None) -> str:
    """What an anonymised event says happened: its action's label, never the original text."""
    label = (labels or {}).get(action)
    return str(label) if label else action.replace("_", " ").capitalize()

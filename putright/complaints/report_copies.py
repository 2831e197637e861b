"""The complaint's facts each stage keeps a copy of, for the report (decision 22).

A year's figures count the stages received or answered in it by their complaint's status,
tenure at receipt, channel, category, business area and complainant. Kept on the stage, those
counts read the stage table alone instead of joining a year's stages to their complaints. The
stage takes the copies when it opens (``services._common._open_stage``); of them only the
status ever changes, and ``services._common._finish`` brings it up to date.
"""

from __future__ import annotations

from typing import Any

# Stage column: complaint column.
COPIES: dict[str, str] = {
    "complaint_status": "status",
    "complaint_tenure": "tenure_at_receipt",
    "complaint_channel": "channel",
    "complaint_category_id": "category_id",
    "complaint_business_area_id": "business_area_id",
    "complainant_id": "complainant_id",
}


def copied_from(complaint: Any) -> dict[str, Any]:
    """The copies for a stage of ``complaint``, as ``Stage`` field values."""
    return {stage: getattr(complaint, field) for stage, field in COPIES.items()}


def copy_onto_stages(connection: Any) -> None:
    """Write every stage's copies from its complaint in one ``UPDATE ... FROM`` (PostgreSQL,
    and SQLite since 3.33): for a migration, or a benchmark that writes rows directly."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(stage)} = c.{quote(field)}" for stage, field in COPIES.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE complaints_stage SET {columns} FROM complaints_complaint AS c "
            "WHERE c.id = complaints_stage.complaint_id"
        )

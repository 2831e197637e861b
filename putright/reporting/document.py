"""A report as a document: what the annual report and the quarterly board pack hold, in order,
independent of the format it is shown in (the page, HTML to publish, PDF, spreadsheet, CSV).

Whoever assembles a report (``reporting.editions``) builds a ``ReportDocument``; whoever draws
one (``reporting.formats``) reads only this, so every format shows the same sections, tables
and words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from putright.reporting.tables import Table

__all__ = ["ReportDocument", "Section"]


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, the landlord's own commentary (editable, may be blank),
    fixed statements the product writes (such as "nothing recorded in this period") and tables."""

    key: str
    heading: str
    commentary: str = ""
    statements: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDocument:
    """``kind`` is "annual" (Code 8.1) or "quarter" (the board pack, Code 9.7)."""

    kind: str
    title: str
    landlord: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    sections: list[Section]
    foreword: str = ""
    governing_body_response: str = ""
    published_on: dt.date | None = None
    version: int | None = None

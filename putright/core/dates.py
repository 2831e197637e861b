"""Dates as GOV.UK writes them: "9 January 2026", never "09 January 2026"."""

from __future__ import annotations

import datetime as dt


def long_date(value: dt.date | None) -> str:
    """``9 January 2026``; an empty string for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""

"""Dates as GOV.UK writes them: "9 January 2026", never "09 January 2026"; times as "2:05pm"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def long_date(value: dt.date | None) -> str:
    """``9 January 2026``; an empty string for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""


def long_moment(value: dt.date | dt.datetime) -> tuple[str, str]:
    """``("2026-03-03T14:05:00+00:00", "3 March 2026 at 2:05pm")``: the machine-readable value
    for a ``<time>`` element and the words, in Europe/London for an aware time; a date alone
    has no time of day."""
    if not isinstance(value, dt.datetime):
        return value.isoformat(), long_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    noon = "am" if value.hour < 12 else "pm"
    return value.isoformat(), f"{long_date(value)} at {hour}:{value.minute:02d}{noon}"

"""How values read on caseworking screens: dates as GOV.UK writes them, choices by their label."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from putright.core.dates import long_date


def display_value(field: forms.Field, value: Any) -> str:
    """A cleaned form value as a person reads it, e.g. on a confirmation page."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return long_date(value)
    choices = {str(key): label for key, label in getattr(field, "choices", ())}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(item), item)) for item in value)
    return str(choices.get(str(value), value))

"""System checks for the retention settings: a period of 0 would anonymise yesterday's work."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

RETENTION_SETTINGS = ("PUTRIGHT_RETAIN_COMPLAINT_YEARS", "PUTRIGHT_RETAIN_RESIDENT_YEARS")


@register()
def retention_periods(app_configs, **kwargs) -> list[Error]:
    errors = []
    for name in RETENTION_SETTINGS:
        years = getattr(settings, name)
        if not isinstance(years, int) or years < 1:
            errors.append(
                Error(
                    f"{name} is {years!r}: a retention period must be a whole number of years, "
                    "at least 1.",
                    hint="Set it to the period in the landlord's retention policy (default 6).",
                    id="putright.privacy.E001",
                )
            )
    return errors

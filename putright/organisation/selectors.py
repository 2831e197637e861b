"""Read queries for the organisation's settings, calendar and reference lists."""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import lru_cache

from django.db import DatabaseError
from django.db.models import Prefetch, Q, QuerySet

from putright.organisation.models import (
    Category,
    ClosureDay,
    ExclusionReason,
    Organisation,
    StockCount,
)
from putright.rules.calendar import WorkingDayCalendar
from putright.rules.timescales import CODE, Timescales

DEFAULT_NAME = "PutRight"


def organisation_name() -> str:
    """The landlord's name for page headers, or "PutRight" when none is set yet.

    Runs on every page, including before the first migration, so a missing table is not an error
    here. It never creates the settings row.
    """
    try:
        name = Organisation.objects.values_list("name", flat=True).first()
    except DatabaseError:
        return DEFAULT_NAME
    return name or DEFAULT_NAME


def get_organisation() -> Organisation:
    """The one settings row, created with the defaults if it does not exist yet."""
    organisation, _ = Organisation.objects.get_or_create(singleton=1)
    return organisation


def closure_days() -> frozenset[date]:
    """Every closure day the administrator has set (one query)."""
    return frozenset(ClosureDay.objects.values_list("date", flat=True))


@lru_cache(maxsize=8)
def calendar_for(closures: frozenset[date]) -> WorkingDayCalendar:
    """A working-day calendar for exactly these closure days, built once per process.

    Calendars are immutable and thread-safe, so one instance is shared by every caller asking
    for the same closures. ``calendar_for(frozenset())`` is the calendar without closure days.
    """
    return WorkingDayCalendar(closures)


def current_calendar() -> WorkingDayCalendar:
    """The calendar every deadline is computed with: bank holidays plus the stored closure days.

    Costs one small query. The closure days read from the database are themselves the cache
    key, so a change made by any process (or rolled back) is seen at once, and building the
    calendar, the expensive part, happens only when the set of closure days is new.
    """
    return calendar_for(closure_days())


def current_timescales() -> Timescales:
    """The Code's timescales with this landlord's escalation window and local targets."""
    organisation = get_organisation()
    local_targets: dict[str, int] = {}
    if organisation.first_contact_target_days is not None:
        local_targets["first_contact"] = organisation.first_contact_target_days
    return dataclasses.replace(
        CODE,
        escalation_window=organisation.escalation_window_days,
        local_targets=local_targets,
    )


def homes_by_tenure(reporting_year: int) -> dict[str, int | None]:
    """Homes owned per tenure for a reporting year, e.g. ``{"LCRA": 1200, "LCHO": 85}``.

    A tenure with no stock count recorded maps to ``None`` rather than 0, so a report cannot
    quietly divide by a number nobody entered.
    """
    counts: dict[str, int | None] = dict.fromkeys(StockCount.Tenure.values)
    counts.update(
        StockCount.objects.filter(reporting_year=reporting_year).values_list("tenure", "homes")
    )
    return counts


def active_categories() -> list[Category]:
    """Active top-level categories in display order, each with its active sub-categories.

    Two queries. Read the sub-categories with ``category.children.all()``.
    """
    children = Prefetch("children", queryset=Category.objects.filter(is_active=True))
    return list(
        Category.objects.filter(parent__isnull=True, is_active=True).prefetch_related(children)
    )


def exclusion_reasons(applies_to: str | None = None) -> QuerySet[ExclusionReason]:
    """Active exclusion reasons usable for a decision, in display order.

    ``applies_to="acceptance"`` (or ``"escalation"``) gives the reasons for that decision,
    including those that apply to both; ``None`` gives every active reason.
    """
    reasons = ExclusionReason.objects.filter(is_active=True)
    if applies_to is None:
        return reasons
    if applies_to not in ExclusionReason.AppliesTo.values:
        raise ValueError(
            f"applies_to must be one of {', '.join(ExclusionReason.AppliesTo.values)}, "
            f"not {applies_to!r}"
        )
    return reasons.filter(Q(applies_to=applies_to) | Q(applies_to=ExclusionReason.AppliesTo.BOTH))

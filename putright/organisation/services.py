"""Changes to the organisation's settings and calendar, one transaction and one history event each.

Closure-day changes send ``signals.calendar_changed`` and changes to the landlord's own timescales
send ``signals.timescales_changed``, inside the same transaction, so that apps which store due
dates can recompute them without this app knowing they exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from putright.core import clock
from putright.core.errors import InvalidInput
from putright.core.history import created, diff, snapshot
from putright.organisation import signals
from putright.organisation.models import ClosureDay, Organisation, OrganisationChange, StockCount
from putright.organisation.selectors import closure_days, get_organisation

# Fields organisation_update may change: everything an administrator edits.
ORGANISATION_FIELDS: tuple[str, ...] = (
    "name",
    "address",
    "phone",
    "email",
    "website",
    "complaints_page_url",
    "member_responsible_for_complaints",
    "senior_lead",
    "ombudsman_contact",
    "building_safety_regulator_contact",
    "reporting_year_start_month",
    "stage1_requires_sign_off",
    "stage2_requires_sign_off",
    "escalation_window_days",
    "first_contact_target_days",
    "tsm_includes_leaseholders",
)
_TIMESCALE_FIELDS = frozenset({"escalation_window_days", "first_contact_target_days"})


def _invalid(error: ValidationError, *, code: str) -> InvalidInput:
    """One InvalidInput carrying the first message, named after its field where there is one."""
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return InvalidInput(
            code,
            " ".join(messages),
            field=None if field == "__all__" else field,
            errors=error.message_dict,
        )
    return InvalidInput(code, " ".join(error.messages))


def _record(
    *, acting_user: Any, action: str, summary: str, changes: dict[str, list[Any]]
) -> OrganisationChange:
    return OrganisationChange.write(
        acting_user=acting_user,
        on=clock.today(),
        action=action,
        summary=summary,
        changes=changes,
    )


def _check_date(value: Any, *, field: str = "on") -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidInput("not_a_date", "Give a calendar date (not a date and time).", field=field)
    return value


@transaction.atomic
def closure_day_add(*, acting_user: Any, on: date, description: str) -> ClosureDay:
    """Make a weekday a closure day, record it and send ``calendar_changed``.

    Refuses a date that is already a closure day, a weekend or a bank holiday. Every open
    deadline spanning the date moves one working day later once receivers recompute.
    """
    on = _check_date(on)
    day = ClosureDay(date=on, description=description.strip())
    try:
        day.full_clean()
    except ValidationError as error:
        code = "closure_day_exists" if ClosureDay.objects.filter(date=on).exists() else "invalid"
        raise _invalid(error, code=code) from error
    day.save()
    _record(
        acting_user=acting_user,
        action=OrganisationChange.Action.CLOSURE_DAY_ADDED,
        summary=f"Closure day added: {on.isoformat()} ({day.description})",
        changes=created(snapshot(day, ["date", "description"])),
    )
    signals.calendar_changed.send(
        sender=ClosureDay,
        added=frozenset({on}),
        removed=frozenset(),
        closures=closure_days(),
        acting_user=acting_user,
    )
    return day


@transaction.atomic
def closure_day_describe(*, acting_user: Any, on: date, description: str) -> ClosureDay:
    """Change what a closure day says about itself; the calendar is unchanged, so no signal."""
    on = _check_date(on)
    day = ClosureDay.objects.select_for_update().filter(date=on).first()
    if day is None:
        raise InvalidInput("no_such_closure_day", f"{on.isoformat()} is not a closure day.")
    before = snapshot(day, ["description"])
    day.description = description.strip()
    try:
        day.full_clean()
    except ValidationError as error:
        raise _invalid(error, code="invalid") from error
    changes = diff(before, snapshot(day, ["description"]))
    if changes:
        day.save(update_fields=["description", "updated_at"])
        _record(
            acting_user=acting_user,
            action=OrganisationChange.Action.CLOSURE_DAY_CHANGED,
            summary=f"Closure day {on.isoformat()} renamed",
            changes=changes,
        )
    return day


@transaction.atomic
def closure_day_remove(*, acting_user: Any, on: date) -> None:
    """Stop treating a date as a closure day, record it and send ``calendar_changed``."""
    on = _check_date(on)
    day = ClosureDay.objects.select_for_update().filter(date=on).first()
    if day is None:
        raise InvalidInput("no_such_closure_day", f"{on.isoformat()} is not a closure day.")
    before = snapshot(day, ["date", "description"])
    day.delete()
    _record(
        acting_user=acting_user,
        action=OrganisationChange.Action.CLOSURE_DAY_REMOVED,
        summary=f"Closure day removed: {on.isoformat()} ({before['description']})",
        changes={name: [value, None] for name, value in before.items()},
    )
    signals.calendar_changed.send(
        sender=ClosureDay,
        added=frozenset(),
        removed=frozenset({on}),
        closures=closure_days(),
        acting_user=acting_user,
    )


@transaction.atomic
def organisation_update(*, acting_user: Any, **fields: Any) -> Organisation:
    """Change organisation settings, record old and new values, and tell listeners.

    Only the names in ``ORGANISATION_FIELDS`` may be given. Sends ``timescales_changed`` when
    the escalation window or the first-contact target changed.
    """
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {', '.join(sorted(unknown))}")
    get_organisation()  # make sure the row exists before locking it
    organisation = Organisation.objects.select_for_update().get(singleton=1)
    names = list(fields)
    before = snapshot(organisation, names)
    for name, value in fields.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    try:
        # Validate what is being changed (and the constraints), not fields nobody touched.
        organisation.full_clean(exclude=[f for f in ORGANISATION_FIELDS if f not in fields])
    except ValidationError as error:
        raise _invalid(error, code="invalid") from error
    changes = diff(before, snapshot(organisation, names))
    if not changes:
        return organisation
    organisation.save(update_fields=[*changes, "updated_at"])
    _record(
        acting_user=acting_user,
        action=OrganisationChange.Action.SETTINGS_CHANGED,
        summary="Organisation settings changed: " + ", ".join(changes),
        changes=changes,
    )
    timescale_changes = {k: v for k, v in changes.items() if k in _TIMESCALE_FIELDS}
    if timescale_changes:
        signals.timescales_changed.send(
            sender=Organisation, changes=timescale_changes, acting_user=acting_user
        )
    return organisation


@transaction.atomic
def stock_count_set(
    *, acting_user: Any, reporting_year: int, tenure: str, homes: int
) -> StockCount:
    """Record (or correct) the homes owned in one tenure at the end of a reporting year."""
    count = (
        StockCount.objects.select_for_update()
        .filter(reporting_year=reporting_year, tenure=tenure)
        .first()
    )
    is_new = count is None
    if count is None:
        count = StockCount(reporting_year=reporting_year, tenure=tenure)
    before = snapshot(count, ["homes"])
    count.homes = homes
    try:
        count.full_clean()
    except ValidationError as error:
        raise _invalid(error, code="invalid") from error
    if is_new:
        changes = created(snapshot(count, ["reporting_year", "tenure", "homes"]))
    else:
        changes = diff(before, snapshot(count, ["homes"]))
        if not changes:
            return count
    count.save()
    _record(
        acting_user=acting_user,
        action=OrganisationChange.Action.STOCK_COUNT_SET,
        summary=f"Homes owned at the end of {count.reporting_year_label}, {tenure}: {homes}",
        changes=changes,
    )
    return count

"""Every change to a person's record, home or tenancy goes through one of these functions.

Each runs in one transaction, checks what it is given, writes the change and appends one
``ResidentEvent`` with the old and new values. ``on`` is the date the step happened in the world
(today in Europe/London unless given), so historic records can be imported through the same
functions. Special category values (disability descriptions, equality answers) are never copied
into the event: it records that they changed and withholds what they are.

A step that would change nothing writes no event and returns the record as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q

from putright.core import clock
from putright.core.errors import InvalidInput, StepRefused
from putright.core.history import created, diff, snapshot
from putright.people.models import (
    AdjustmentCategory,
    AuthorityMethod,
    ContactMethod,
    ContactRestriction,
    DisclosedDisability,
    EndReason,
    EqualityData,
    Format,
    Property,
    PropertyType,
    ReasonableAdjustment,
    Relationship,
    Representative,
    Resident,
    ResidentEvent,
    ResidentKind,
    Tenancy,
    Tenure,
)

WITHHELD = "(special category: withheld)"

RESIDENT_FIELDS = [
    "reference",
    "kind",
    "title",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "correspondence_address",
    "preferred_contact_method",
    "preferred_format",
    "language",
    "interpreter_needed",
    "notes",
]
PROPERTY_FIELDS = [
    "uprn",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "property_type",
    "scheme",
]
TENANCY_FIELDS = ["property", "tenure", "start_date", "is_joint"]
REPRESENTATIVE_FIELDS = [
    "name",
    "relationship",
    "organisation",
    "email",
    "phone",
    "address",
    "authority_received_on",
    "authority_method",
    "authority_note",
]
ADJUSTMENT_FIELDS = ["category", "description", "agreed_on", "next_review_on"]
RESTRICTION_FIELDS = [
    "representative",
    "reason",
    "evidence",
    "proportionality_note",
    "restriction",
    "starts_on",
    "next_review_on",
    "ends_on",
]
EQUALITY_FIELDS = ["age_band", "sex", "ethnicity"]

# What kind of person holding a tenancy of each tenure is.
KIND_FOR_TENURE = {
    Tenure.LCRA_GENERAL_NEEDS: ResidentKind.TENANT,
    Tenure.LCRA_SUPPORTED: ResidentKind.TENANT,
    Tenure.LCRA_OLDER_PEOPLE: ResidentKind.TENANT,
    Tenure.LCHO_SHARED_OWNERSHIP: ResidentKind.SHARED_OWNER,
    Tenure.LEASEHOLDER: ResidentKind.LEASEHOLDER,
    Tenure.OTHER: ResidentKind.TENANT,
}

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


# --- helpers -----------------------------------------------------------------------------------


def _record(
    *,
    action: str,
    summary: str,
    changes: dict[str, Any],
    acting_user,
    on: dt.date,
    resident: Resident | None = None,
    property: Property | None = None,
    actor_description: str = "",
) -> ResidentEvent:
    return ResidentEvent.write(
        resident=resident,
        property=property,
        on=on,
        acting_user=acting_user,
        actor_description=actor_description,
        action=action,
        summary=summary,
        changes=changes,
    )


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _require_text(value: str, *, field: str, message: str) -> str:
    value = _clean_text(value)
    if not value:
        raise InvalidInput(f"{field}_required", message, field=field)
    return value


def _require_date(value: dt.date | None, *, field: str, message: str) -> dt.date:
    if value is None:
        raise InvalidInput(f"{field}_required", message, field=field)
    return value


def _check_email(value: str, *, field: str = "email") -> str:
    value = _clean_text(value)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(
                f"{field}_invalid",
                f"'{value}' is not an email address; check it or leave it empty.",
                field=field,
            ) from None
    return value


def _check_fields(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Django's own field checks (lengths, choices, formats) as domain errors.

    Uniqueness and constraints are checked by the services themselves (with messages a case
    handler understands) and enforced again by the database.
    """
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(
            f"{field}_invalid",
            f"{instance._meta.get_field(field).verbose_name.capitalize()}: {messages[0]}"
            if field != "__all__"
            else messages[0],
            field=None if field == "__all__" else field,
        ) from None


def _withheld(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Which special category values changed, without saying what they were or are."""

    def state(value: Any) -> str | None:
        return WITHHELD if value not in (None, "") else None

    return {
        name: [state(before.get(name)), state(after.get(name))]
        for name in after
        if (before.get(name) or None) != (after.get(name) or None)
    }


def _locked(model: type[models.Model], pk: Any):
    return model.objects.select_for_update().get(pk=pk)


def normalise_postcode(value: str) -> str:
    """``"sw1a1aa"`` becomes ``"SW1A 1AA"``; anything that is not a UK postcode is refused."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not _POSTCODE.match(compact):
        raise InvalidInput(
            "postcode_invalid",
            f"'{value}' is not a UK postcode; enter it as, for example, LS1 4DY.",
            field="postcode",
        )
    return f"{compact[:-3]} {compact[-3:]}"


# --- residents ---------------------------------------------------------------------------------


def _check_resident(resident: Resident, *, today: dt.date) -> None:
    resident.last_name = _require_text(
        resident.last_name,
        field="last_name",
        message="Enter the person's last name (or their only name, if they have one).",
    )
    resident.first_name = _clean_text(resident.first_name)
    resident.email = _check_email(resident.email)
    resident.phone = _clean_text(resident.phone)
    resident.reference = _clean_text(resident.reference) or None
    resident.language = _clean_text(resident.language) or "English"
    if resident.date_of_birth and resident.date_of_birth > today:
        raise InvalidInput(
            "date_of_birth_in_future",
            "The date of birth is in the future; check it.",
            field="date_of_birth",
        )
    method = resident.preferred_contact_method
    if method == ContactMethod.EMAIL and not resident.email:
        raise InvalidInput(
            "email_needed",
            "They prefer email but no email address is recorded; add one or choose another way.",
            field="email",
        )
    if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not resident.phone:
        raise InvalidInput(
            "phone_needed",
            "They prefer phone or text but no number is recorded; add one or choose another way.",
            field="phone",
        )
    _check_fields(resident)
    if (
        resident.reference
        and Resident.objects.filter(reference=resident.reference).exclude(pk=resident.pk).exists()
    ):
        raise InvalidInput(
            "reference_taken",
            f"Another person already has the reference {resident.reference}.",
            field="reference",
        )


@transaction.atomic
def resident_create(
    *,
    acting_user,
    on: dt.date | None = None,
    last_name: str,
    first_name: str = "",
    title: str = "",
    kind: str = ResidentKind.TENANT,
    reference: str | None = None,
    date_of_birth: dt.date | None = None,
    email: str = "",
    phone: str = "",
    correspondence_address: str = "",
    preferred_contact_method: str = ContactMethod.LETTER,
    preferred_format: str = Format.STANDARD,
    language: str = "English",
    interpreter_needed: bool = False,
    notes: str = "",
) -> Resident:
    on = on or clock.today()
    resident = Resident(
        reference=reference,
        kind=kind,
        title=_clean_text(title),
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        email=email,
        phone=phone,
        correspondence_address=_clean_text(correspondence_address),
        preferred_contact_method=preferred_contact_method,
        preferred_format=preferred_format,
        language=language,
        interpreter_needed=interpreter_needed,
        notes=notes or "",
    )
    _check_resident(resident, today=clock.today())
    resident.save()
    _record(
        resident=resident,
        action="resident_created",
        summary=f"Added {resident.full_name} ({resident.get_kind_display().lower()})",
        changes=created(snapshot(resident, RESIDENT_FIELDS)),
        acting_user=acting_user,
        on=on,
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    resident: Resident,
    data: Mapping[str, Any],
    acting_user,
    on: dt.date | None = None,
) -> Resident:
    """Change any of ``RESIDENT_FIELDS``; ``data`` maps field names to new values."""
    on = on or clock.today()
    unknown = sorted(set(data) - set(RESIDENT_FIELDS))
    if unknown:
        raise InvalidInput(
            "unknown_field",
            f"These cannot be changed here: {', '.join(unknown)}.",
            field=unknown[0],
        )
    resident = _locked(Resident, resident.pk)
    before = snapshot(resident, RESIDENT_FIELDS)
    for name, value in data.items():
        setattr(resident, name, value)
    _check_resident(resident, today=clock.today())
    changes = diff(before, snapshot(resident, RESIDENT_FIELDS))
    if not changes:
        return resident
    resident.save(update_fields=[*changes.keys(), "updated_at"])
    _record(
        resident=resident,
        action="resident_updated",
        summary=f"Changed {', '.join(name.replace('_', ' ') for name in changes)}",
        changes=changes,
        acting_user=acting_user,
        on=on,
    )
    return resident


# --- homes and tenancies -------------------------------------------------------------------------


@transaction.atomic
def property_create(
    *,
    acting_user,
    on: dt.date | None = None,
    address_line_1: str,
    town: str,
    postcode: str,
    address_line_2: str = "",
    uprn: str | None = None,
    property_type: str = PropertyType.HOUSE,
    scheme: str = "",
) -> Property:
    on = on or clock.today()
    uprn = re.sub(r"\s+", "", uprn or "") or None
    if uprn is not None and not re.fullmatch(r"[0-9]{1,12}", uprn):
        raise InvalidInput("uprn_invalid", "A UPRN is a number of up to 12 digits.", field="uprn")
    home = Property(
        uprn=uprn,
        address_line_1=_require_text(
            address_line_1, field="address_line_1", message="Enter the first line of the address."
        ),
        address_line_2=_clean_text(address_line_2),
        town=_require_text(town, field="town", message="Enter the town or city."),
        postcode=normalise_postcode(postcode),
        property_type=property_type,
        scheme=_clean_text(scheme),
    )
    _check_fields(home)
    if uprn is not None and Property.objects.filter(uprn=uprn).exists():
        raise InvalidInput("uprn_taken", f"Another home already has the UPRN {uprn}.", field="uprn")
    home.save()
    _record(
        property=home,
        action="property_created",
        summary=f"Added the home {home}",
        changes=created(snapshot(home, PROPERTY_FIELDS)),
        acting_user=acting_user,
        on=on,
    )
    return home


@transaction.atomic
def tenancy_start(
    *,
    resident: Resident,
    property: Property,
    tenure: str,
    start_date: dt.date,
    is_joint: bool = False,
    acting_user,
    on: dt.date | None = None,
) -> Tenancy:
    """Record that ``resident`` holds ``property`` from ``start_date``.

    A person holds one tenancy at a time, and a home is let to one household at a time: joint
    tenants each have a row marked ``is_joint`` with the same tenure.
    """
    on = on or clock.today()
    resident = _locked(Resident, resident.pk)
    start_date = _require_date(
        start_date, field="start_date", message="Enter the date the tenancy started."
    )
    tenancy = Tenancy(
        resident=resident,
        property=property,
        tenure=tenure,
        start_date=start_date,
        is_joint=is_joint,
    )
    _check_fields(tenancy, exclude=["resident", "property"])
    overlapping = Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    own = (
        Tenancy.objects.filter(resident=resident)
        .filter(overlapping)
        .select_related("property")
        .first()
    )
    if own is not None:
        raise InvalidInput(
            "tenancy_overlaps",
            f"{resident.full_name} already has a tenancy at {own.property} from "
            f"{own.start_date:%d/%m/%Y}; end it before this one starts.",
            field="start_date",
        )
    others = list(
        Tenancy.objects.filter(property=property).filter(overlapping).select_related("resident")
    )
    joint_with_all = is_joint and all(other.is_joint and other.tenure == tenure for other in others)
    if others and not joint_with_all:
        holder = others[0]
        raise InvalidInput(
            "property_let",
            f"{property} is let to {holder.resident.full_name} from "
            f"{holder.start_date:%d/%m/%Y}; end that tenancy first, or record both as joint "
            "tenants of the same tenure.",
            field="property",
        )
    tenancy.save()
    changes = created(snapshot(tenancy, TENANCY_FIELDS))
    new_kind = KIND_FOR_TENURE[Tenure(tenure)]
    if start_date <= clock.today() and resident.kind != new_kind:
        changes["kind"] = [resident.kind, new_kind]
        resident.kind = new_kind
        resident.save(update_fields=["kind", "updated_at"])
    _record(
        resident=resident,
        property=property,
        action="tenancy_started",
        summary=f"{tenancy.get_tenure_display()} tenancy of {property} from "
        f"{start_date:%d/%m/%Y}" + (" (joint)" if is_joint else ""),
        changes=changes,
        acting_user=acting_user,
        on=on,
    )
    return tenancy


@transaction.atomic
def tenancy_end(
    *,
    tenancy: Tenancy,
    end_date: dt.date,
    reason: str = EndReason.MOVED_OUT,
    acting_user,
    on: dt.date | None = None,
) -> Tenancy:
    """Record the last day of a tenancy. A person with no other tenancy becomes a former resident
    once that day has passed."""
    on = on or clock.today()
    tenancy = _locked(Tenancy, tenancy.pk)
    if tenancy.end_date is not None:
        raise StepRefused(
            "tenancy_already_ended",
            f"This tenancy already ended on {tenancy.end_date:%d/%m/%Y}.",
            field="end_date",
        )
    end_date = _require_date(
        end_date, field="end_date", message="Enter the last day of the tenancy."
    )
    if end_date < tenancy.start_date:
        raise InvalidInput(
            "end_before_start",
            f"The tenancy started on {tenancy.start_date:%d/%m/%Y}; it cannot end before then.",
            field="end_date",
        )
    before = {"end_date": None, "end_reason": ""}
    tenancy.end_date = end_date
    tenancy.end_reason = reason
    _check_fields(tenancy, exclude=["resident", "property"])
    tenancy.save(update_fields=["end_date", "end_reason", "updated_at"])
    changes = diff(before, snapshot(tenancy, ["end_date", "end_reason"]))
    resident = _locked(Resident, tenancy.resident_id)
    today = clock.today()
    still_housed = (
        Tenancy.objects.filter(resident=resident, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )
    if (
        end_date < today
        and not still_housed
        and resident.kind
        in (ResidentKind.TENANT, ResidentKind.SHARED_OWNER, ResidentKind.LEASEHOLDER)
    ):
        changes["kind"] = [resident.kind, ResidentKind.FORMER_RESIDENT]
        resident.kind = ResidentKind.FORMER_RESIDENT
        resident.save(update_fields=["kind", "updated_at"])
    _record(
        resident=resident,
        property=tenancy.property,
        action="tenancy_ended",
        summary=f"Tenancy of {tenancy.property} ended on {end_date:%d/%m/%Y} "
        f"({tenancy.get_end_reason_display().lower()})",
        changes=changes,
        acting_user=acting_user,
        on=on,
    )
    return tenancy


# --- representatives -----------------------------------------------------------------------------


@transaction.atomic
def representative_add(
    *,
    resident: Resident,
    name: str,
    relationship: str,
    authority_method: str,
    authority_received_on: dt.date,
    authority_note: str = "",
    organisation: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    acting_user,
    on: dt.date | None = None,
) -> Representative:
    """Record someone acting for ``resident`` and how we were satisfied of their authority."""
    on = on or clock.today()
    representative = Representative(
        resident=resident,
        name=_require_text(name, field="name", message="Enter the representative's name."),
        relationship=relationship,
        organisation=_clean_text(organisation),
        email=_check_email(email),
        phone=_clean_text(phone),
        address=_clean_text(address),
        authority_received_on=_require_date(
            authority_received_on,
            field="authority_received_on",
            message="Enter the date we received their authority to act.",
        ),
        authority_method=authority_method,
        authority_note=_clean_text(authority_note),
    )
    _check_fields(representative, exclude=["resident"])
    if authority_received_on > clock.today():
        raise InvalidInput(
            "authority_date_in_future",
            "The date authority was received is in the future; record it once received.",
            field="authority_received_on",
        )
    if relationship == Relationship.EXECUTOR and authority_method != AuthorityMethod.PROBATE:
        raise InvalidInput(
            "executor_needs_probate",
            "An executor or administrator must show a grant of probate or letters of "
            "administration before they can act for the estate.",
            field="authority_method",
        )
    if (
        authority_method in (AuthorityMethod.VERBAL, AuthorityMethod.OTHER)
        and not representative.authority_note
    ):
        raise InvalidInput(
            "authority_note_required",
            "Say how consent was given and checked (when, how and by whom), so that the "
            "authority can be audited.",
            field="authority_note",
        )
    if not (representative.email or representative.phone or representative.address):
        raise InvalidInput(
            "representative_contact_required",
            "Give at least one way to contact the representative: email, phone or address.",
            field="email",
        )
    representative.save()
    _record(
        resident=resident,
        action="representative_added",
        summary=f"{representative.name} ({representative.get_relationship_display().lower()}) "
        f"may act for {resident.full_name}: "
        f"{representative.get_authority_method_display().lower()} "
        f"received {authority_received_on:%d/%m/%Y}",
        changes=created(snapshot(representative, REPRESENTATIVE_FIELDS)),
        acting_user=acting_user,
        on=on,
    )
    return representative


@transaction.atomic
def representative_end(
    *,
    representative: Representative,
    reason: str = "",
    acting_user,
    on: dt.date | None = None,
) -> Representative:
    """Stop a representative acting (authority withdrawn or no longer needed) from ``on``."""
    on = on or clock.today()
    representative = _locked(Representative, representative.pk)
    if not representative.is_active:
        raise StepRefused(
            "representative_already_ended",
            f"{representative.name} stopped acting on {representative.ended_on:%d/%m/%Y}.",
        )
    representative.is_active = False
    representative.ended_on = on
    representative.save(update_fields=["is_active", "ended_on", "updated_at"])
    _record(
        resident=representative.resident,
        action="representative_ended",
        summary=f"{representative.name} no longer acts for the resident"
        + (f": {_clean_text(reason)}" if _clean_text(reason) else ""),
        changes={"is_active": [True, False], "ended_on": [None, on.isoformat()]},
        acting_user=acting_user,
        on=on,
    )
    return representative


# --- reasonable adjustments and disclosed disabilities (Code 5.10) -----------------------------


def _check_review_after(
    next_review_on: dt.date | None, after: dt.date, *, code: str, what: str
) -> dt.date:
    next_review_on = _require_date(
        next_review_on,
        field="next_review_on",
        message="Set a date to review this by; the Code asks that it is kept under review.",
    )
    if next_review_on <= after:
        raise InvalidInput(
            code,
            f"The review date must be after {what} ({after:%d/%m/%Y}).",
            field="next_review_on",
        )
    return next_review_on


@transaction.atomic
def adjustment_record(
    *,
    resident: Resident,
    description: str,
    agreed_on: dt.date,
    next_review_on: dt.date | None,
    category: str = AdjustmentCategory.OTHER,
    acting_user,
    on: dt.date | None = None,
) -> ReasonableAdjustment:
    on = on or clock.today()
    description = _require_text(
        description, field="description", message="Describe the adjustment agreed."
    )
    agreed_on = _require_date(
        agreed_on, field="agreed_on", message="Enter the date the adjustment was agreed."
    )
    if agreed_on > clock.today():
        raise InvalidInput(
            "agreed_in_future",
            "The date agreed is in the future; record the adjustment once it is agreed.",
            field="agreed_on",
        )
    next_review_on = _check_review_after(
        next_review_on, agreed_on, code="review_before_agreed", what="the date it was agreed"
    )
    adjustment = ReasonableAdjustment(
        resident=resident,
        category=category,
        description=description,
        agreed_on=agreed_on,
        next_review_on=next_review_on,
    )
    _check_fields(adjustment, exclude=["resident"])
    adjustment.save()
    _record(
        resident=resident,
        action="adjustment_recorded",
        summary=f"Reasonable adjustment agreed: {description}",
        changes=created(snapshot(adjustment, ADJUSTMENT_FIELDS)),
        acting_user=acting_user,
        on=on,
    )
    return adjustment


@transaction.atomic
def adjustment_review(
    *,
    adjustment: ReasonableAdjustment,
    next_review_on: dt.date | None = None,
    end: bool = False,
    description: str | None = None,
    note: str = "",
    acting_user,
    on: dt.date | None = None,
) -> ReasonableAdjustment:
    """Record a review on ``on``: keep the adjustment (perhaps reworded) until the next review,
    or end it."""
    on = on or clock.today()
    adjustment = _locked(ReasonableAdjustment, adjustment.pk)
    if not adjustment.is_active:
        raise StepRefused(
            "adjustment_ended",
            f"This adjustment ended on {adjustment.ended_on:%d/%m/%Y}; record a new one if it "
            "is needed again.",
        )
    if on < adjustment.agreed_on:
        raise InvalidInput(
            "review_before_agreed",
            f"The adjustment was agreed on {adjustment.agreed_on:%d/%m/%Y}; it cannot be "
            "reviewed before then.",
            field="on",
        )
    fields = ["description", "next_review_on", "last_reviewed_on", "is_active", "ended_on"]
    before = snapshot(adjustment, fields)
    adjustment.last_reviewed_on = on
    if description is not None:
        adjustment.description = _require_text(
            description, field="description", message="Describe the adjustment agreed."
        )
    if end:
        adjustment.is_active = False
        adjustment.ended_on = on
    else:
        adjustment.next_review_on = _check_review_after(
            next_review_on, on, code="next_review_not_after_review", what="this review"
        )
    adjustment.save(update_fields=[*fields, "updated_at"])
    _record(
        resident=adjustment.resident,
        action="adjustment_reviewed",
        summary=("Adjustment reviewed and ended" if end else "Adjustment reviewed and kept")
        + (f": {_clean_text(note)}" if _clean_text(note) else ""),
        changes=diff(before, snapshot(adjustment, fields)),
        acting_user=acting_user,
        on=on,
    )
    return adjustment


@transaction.atomic
def disability_record(
    *,
    resident: Resident,
    description: str,
    disclosed_on: dt.date,
    next_review_on: dt.date | None,
    acting_user,
    on: dt.date | None = None,
) -> DisclosedDisability:
    """Record a disability the resident told us about. The history says one was recorded, with
    its dates; the description stays in the restricted record only."""
    on = on or clock.today()
    description = _require_text(
        description, field="description", message="Describe what the resident told us."
    )
    disclosed_on = _require_date(
        disclosed_on, field="disclosed_on", message="Enter the date the resident told us."
    )
    next_review_on = _check_review_after(
        next_review_on, disclosed_on, code="review_before_disclosed", what="the date disclosed"
    )
    disability = DisclosedDisability(
        resident=resident,
        description=description,
        disclosed_on=disclosed_on,
        next_review_on=next_review_on,
    )
    _check_fields(disability, exclude=["resident"])
    disability.save()
    _record(
        resident=resident,
        action="disability_recorded",
        summary="Disclosed disability recorded (details restricted)",
        changes={
            "description": [None, WITHHELD],
            "disclosed_on": [None, disclosed_on.isoformat()],
            "next_review_on": [None, next_review_on.isoformat()],
        },
        acting_user=acting_user,
        on=on,
    )
    return disability


@transaction.atomic
def disability_review(
    *,
    disability: DisclosedDisability,
    next_review_on: dt.date | None = None,
    end: bool = False,
    description: str | None = None,
    acting_user,
    on: dt.date | None = None,
) -> DisclosedDisability:
    """Record a review of a disclosed disability: keep it until the next review, or close it."""
    on = on or clock.today()
    disability = _locked(DisclosedDisability, disability.pk)
    if not disability.is_active:
        raise StepRefused(
            "disability_closed", "This record is closed; record a new disclosure instead."
        )
    before = snapshot(disability, ["description", "next_review_on", "is_active"])
    if description is not None:
        disability.description = _require_text(
            description, field="description", message="Describe what the resident told us."
        )
    if end:
        disability.is_active = False
    else:
        disability.next_review_on = _check_review_after(
            next_review_on,
            max(on, disability.disclosed_on),
            code="next_review_not_after_review",
            what="this review",
        )
    disability.save(update_fields=["description", "next_review_on", "is_active", "updated_at"])
    after = snapshot(disability, ["description", "next_review_on", "is_active"])
    changes = diff(before, after)
    if "description" in changes:
        changes["description"] = [WITHHELD, WITHHELD]
    _record(
        resident=disability.resident,
        action="disability_reviewed",
        summary="Disclosed disability reviewed (details restricted)",
        changes=changes,
        acting_user=acting_user,
        on=on,
    )
    return disability


# --- contact restrictions (Code 5.14-5.15) -----------------------------------------------------


@transaction.atomic
def restriction_record(
    *,
    resident: Resident,
    reason: str,
    evidence: str,
    proportionality_note: str,
    restriction: str,
    starts_on: dt.date,
    next_review_on: dt.date | None,
    ends_on: dt.date | None = None,
    representative: Representative | None = None,
    acting_user,
    on: dt.date | None = None,
) -> ContactRestriction:
    """Restrict how a resident (or their representative) may contact us.

    The Code requires the reasons to be evidenced, the restriction to be proportionate with
    regard to the Equality Act 2010, and a review date.
    """
    on = on or clock.today()
    record = ContactRestriction(
        resident=resident,
        representative=representative,
        reason=_require_text(
            reason, field="reason", message="Say what behaviour led to the restriction."
        ),
        evidence=_require_text(
            evidence,
            field="evidence",
            message="Record the evidence for the restriction (dates, calls, letters).",
        ),
        proportionality_note=_require_text(
            proportionality_note,
            field="proportionality_note",
            message="Explain why the restriction is proportionate and how the resident's needs "
            "and the Equality Act 2010 were considered.",
        ),
        restriction=_require_text(
            restriction,
            field="restriction",
            message="Say what contact is restricted and how the resident can still reach us.",
        ),
        starts_on=_require_date(
            starts_on, field="starts_on", message="Enter the date the restriction starts."
        ),
        ends_on=ends_on,
    )
    record.next_review_on = _check_review_after(
        next_review_on, starts_on, code="review_before_start", what="the start date"
    )
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(
            "end_before_start",
            "The restriction cannot end before it starts.",
            field="ends_on",
        )
    if representative is not None and representative.resident_id != resident.pk:
        raise InvalidInput(
            "representative_of_someone_else",
            f"{representative.name} does not represent {resident.full_name}.",
            field="representative",
        )
    _check_fields(record, exclude=["resident", "representative"])
    record.save()
    _record(
        resident=resident,
        action="restriction_recorded",
        summary=f"Contact restricted from {starts_on:%d/%m/%Y}, review by "
        f"{record.next_review_on:%d/%m/%Y}",
        changes=created(snapshot(record, RESTRICTION_FIELDS)),
        acting_user=acting_user,
        on=on,
    )
    return record


@transaction.atomic
def restriction_review(
    *,
    restriction: ContactRestriction,
    note: str,
    next_review_on: dt.date | None = None,
    end: bool = False,
    acting_user,
    on: dt.date | None = None,
) -> ContactRestriction:
    """Record a review on ``on``: the restriction continues until the next review, or ends on
    ``on``. The note says what was considered, so the review is evidenced."""
    on = on or clock.today()
    restriction = _locked(ContactRestriction, restriction.pk)
    if restriction.ends_on is not None and restriction.ends_on < on:
        raise StepRefused(
            "restriction_ended",
            f"This restriction ended on {restriction.ends_on:%d/%m/%Y}; there is nothing to "
            "review.",
        )
    if on < restriction.starts_on:
        raise InvalidInput(
            "review_before_start",
            f"The restriction starts on {restriction.starts_on:%d/%m/%Y}; it cannot be "
            "reviewed before then.",
            field="on",
        )
    note = _require_text(
        note,
        field="note",
        message="Record what the review considered and why the restriction continues or ends.",
    )
    fields = ["next_review_on", "last_reviewed_on", "ends_on"]
    before = snapshot(restriction, fields)
    restriction.last_reviewed_on = on
    if end:
        restriction.ends_on = on
    else:
        restriction.next_review_on = _check_review_after(
            next_review_on, on, code="next_review_not_after_review", what="this review"
        )
    restriction.save(update_fields=[*fields, "updated_at"])
    _record(
        resident=restriction.resident,
        action="restriction_reviewed",
        summary=("Restriction reviewed and ended: " if end else "Restriction reviewed and kept: ")
        + note,
        changes=diff(before, snapshot(restriction, fields)),
        acting_user=acting_user,
        on=on,
    )
    return restriction


# --- equality data (special category) ------------------------------------------------------------


@transaction.atomic
def equality_data_record(
    *,
    resident: Resident,
    age_band: str = "",
    sex: str = "",
    ethnicity: str = "",
    acting_user,
    on: dt.date | None = None,
) -> EqualityData:
    """Set the resident's equality monitoring answers (an empty answer means not given).

    The history records which answers changed, never the answers.
    """
    on = on or clock.today()
    data = EqualityData.objects.select_for_update().filter(resident=resident).first()
    existed = data is not None
    if data is None:
        data = EqualityData(resident=resident)
    before = snapshot(data, EQUALITY_FIELDS) if existed else {}
    data.age_band, data.sex, data.ethnicity = age_band or "", sex or "", ethnicity or ""
    _check_fields(data, exclude=["resident"])
    changes = _withheld(before, snapshot(data, EQUALITY_FIELDS))
    if existed and not changes:
        return data
    data.save(force_insert=not existed)
    _record(
        resident=resident,
        action="equality_data_recorded",
        summary="Equality monitoring answers recorded (details restricted)",
        changes=changes,
        acting_user=acting_user,
        on=on,
    )
    return data

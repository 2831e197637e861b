"""Read queries about people and homes: a few set-based queries each, never one per row."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Replace

from putright.core import clock, security_log
from putright.people.models import (
    AdjustmentCategory,
    ContactRestriction,
    DisclosedDisability,
    EndReason,
    EqualityData,
    Format,
    Property,
    ReasonableAdjustment,
    Representative,
    Resident,
    ResidentEvent,
    Tenancy,
    tsm_group,
)

SPECIAL_CATEGORY_PERMISSION = "people.view_special_category"
SEARCH_MAX_TERMS = 6


def _current_on(on_date: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": on_date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on_date})
    )


# --- tenancies and homes -------------------------------------------------------------------------


def tenancy_at(resident: Resident | int, on_date: dt.date) -> Tenancy | None:
    """The tenancy ``resident`` held on ``on_date`` (with its property), or ``None``."""
    return (
        Tenancy.objects.filter(_current_on(on_date), resident=resident)
        .select_related("property")
        .order_by("-start_date", "-id")
        .first()
    )


def property_tenure_at(home: Property | int, on_date: dt.date) -> str | None:
    """The tenure of a home on ``on_date``: that of its latest tenancy begun by then.

    A home between lettings (void) keeps the tenure of its last tenancy; a home never let by
    then has none.
    """
    return (
        Tenancy.objects.filter(property=home, start_date__lte=on_date)
        .order_by("-start_date", "-id")
        .values_list("tenure", flat=True)
        .first()
    )


def homes_by_tenure(on_date: dt.date) -> dict[str, int]:
    """How many homes we held in each tenure on ``on_date``, in one query.

    A home's tenure is that of its latest tenancy begun by then (``property_tenure_at``), so a
    home between lettings still counts. A home whose latest tenancy ended by then because it was
    sold (right to buy, or a shared owner staircasing to full ownership) is no longer ours; a
    home never let by then is not counted yet.
    """
    later_start = Tenancy.objects.filter(
        property=OuterRef("property"),
        start_date__lte=on_date,
        start_date__gt=OuterRef("start_date"),
    )
    rows = (
        Tenancy.objects.filter(start_date__lte=on_date)
        .exclude(Exists(later_start))
        .exclude(end_reason=EndReason.SOLD, end_date__lte=on_date)
        .values("tenure")
        .annotate(homes=Count("property", distinct=True))  # joint tenants share one home
        .order_by()
    )
    return {row["tenure"]: row["homes"] for row in rows}


def homes_by_tsm_group(on_date: dt.date) -> dict[str, int]:
    """Homes in each Tenant Satisfaction Measures group on ``on_date``: ``{"LCRA": n, "LCHO": m}``.

    Leaseholders and other tenures are in neither group.
    """
    totals = {"LCRA": 0, "LCHO": 0}
    for tenure, homes in homes_by_tenure(on_date).items():
        group = tsm_group(tenure)
        if group is not None:
            totals[group] += homes
    return totals


# --- finding people -----------------------------------------------------------------------------


def _compact(expression: str):
    return Replace(Replace(expression, Value(" "), Value("")), Value("-"), Value(""))


def resident_search(query: str, limit: int = 20) -> list[Resident]:
    """People matching every word of ``query`` in their name, email, phone, reference, or the
    address or postcode of any home they have held. One query.

    Each result carries ``current_address``, ``current_postcode`` and ``current_property_id``
    from the tenancy current today (empty when there is none).
    """
    terms = [term for term in query.split() if term][:SEARCH_MAX_TERMS]
    if not terms:
        return []
    today = clock.today()
    homes_held = Tenancy.objects.filter(resident=OuterRef("pk")).annotate(
        postcode_compact=_compact("property__postcode")
    )
    residents = Resident.objects.annotate(phone_compact=_compact("phone"))
    for term in terms:
        compact = re.sub(r"[\s-]", "", term)
        matches = (
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(reference__iexact=term)
            | Q(correspondence_address__icontains=term)
            | Exists(
                homes_held.filter(
                    Q(postcode_compact__icontains=compact)
                    | Q(property__address_line_1__icontains=term)
                    | Q(property__address_line_2__icontains=term)
                )
            )
        )
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 4 and len(digits) == len(compact.lstrip("+")):
            matches |= Q(phone_compact__contains=digits)
        residents = residents.filter(matches)
    current = Tenancy.objects.filter(_current_on(today), resident=OuterRef("pk")).order_by(
        "-start_date", "-id"
    )
    residents = residents.annotate(
        current_property_id=Subquery(current.values("property_id")[:1]),
        current_address=Subquery(current.values("property__address_line_1")[:1]),
        current_postcode=Subquery(current.values("property__postcode")[:1]),
    ).order_by("last_name", "first_name", "id")
    return list(residents[:limit])


# --- one person's record --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentProfile:
    """Everything a case handler needs about a person, read in a fixed number of queries.

    ``disabilities`` and ``equality`` are ``None`` (not merely empty) when the user may not see
    special category data, so a template can tell "hidden" from "none recorded".
    """

    resident: Resident
    on_date: dt.date
    current_tenancy: Tenancy | None
    tenancies: list[Tenancy]
    representatives: list[Representative]
    adjustments: list[ReasonableAdjustment]
    restrictions: list[ContactRestriction]
    can_see_special_category: bool
    disabilities: list[DisclosedDisability] | None = None
    equality: EqualityData | None = None

    @property
    def current_property(self) -> Property | None:
        return self.current_tenancy.property if self.current_tenancy else None

    @property
    def format_need(self) -> str:
        """The preferred written format as a support need, or "" when there is none to add:
        standard print, or "another format" already spelt out by a format adjustment."""
        resident = self.resident
        if resident.preferred_format == Format.STANDARD:
            return ""
        if resident.preferred_format == Format.OTHER:
            spelt_out = any(a.category == AdjustmentCategory.FORMAT for a in self.adjustments)
            return (
                ""
                if spelt_out
                else "Written information in another format (not yet recorded which)"
            )
        return f"Written information in {resident.get_preferred_format_display().lower()}"


def resident_profile(resident_id: int, *, user, on_date: dt.date | None = None) -> ResidentProfile:
    """A person with their tenancies, active representatives, active adjustments and the
    restrictions in force or to come; disabilities and equality answers only for users with
    ``people.view_special_category``. Raises ``Resident.DoesNotExist``.
    """
    on_date = on_date or clock.today()
    allowed = bool(user is not None and user.has_perm(SPECIAL_CATEGORY_PERMISSION))
    prefetches = [
        # Every tenancy with its home in one query, newest first (Tenancy.Meta.ordering).
        Prefetch("tenancies", queryset=Tenancy.objects.select_related("property")),
        _active("representatives", Representative.objects.filter(is_active=True)),
        _active("adjustments", ReasonableAdjustment.objects.filter(is_active=True)),
        _active(
            "restrictions",
            ContactRestriction.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=on_date)
            ).select_related("representative"),
        ),
    ]
    queryset = Resident.objects.all()
    if allowed:
        prefetches.append(
            _active("disabilities", DisclosedDisability.objects.filter(is_active=True))
        )
        queryset = queryset.select_related("equality_data")
    resident = queryset.prefetch_related(*prefetches).get(pk=resident_id)
    tenancies = list(resident.tenancies.all())
    current = next((t for t in tenancies if t.is_current_on(on_date)), None)
    equality = None
    if allowed:
        try:
            equality = resident.equality_data
        except EqualityData.DoesNotExist:
            equality = None
        if resident.active_disabilities or equality is not None:
            special_category_read(
                acting_user=user,
                residents=[resident],
                where="resident profile",
                disabilities=len(resident.active_disabilities),
                equality_data=equality is not None,
            )
    return ResidentProfile(
        resident=resident,
        on_date=on_date,
        current_tenancy=current,
        tenancies=tenancies,
        representatives=resident.active_representatives,
        adjustments=resident.active_adjustments,
        restrictions=resident.active_restrictions,
        can_see_special_category=allowed,
        disabilities=resident.active_disabilities if allowed else None,
        equality=equality,
    )


def resident_label(resident: Resident) -> str:
    """How the security log names a person: their reference, never their name."""
    return resident.reference or f"id {resident.pk}"


def special_category_read(
    *, acting_user: Any, residents: list[Resident], where: str, **details: Any
) -> None:
    """Record in the security log that ``acting_user`` was shown health, disability or
    equality data about these people: one event, whatever the number of people."""
    labels = list(dict.fromkeys(resident_label(resident) for resident in residents))
    if labels:
        security_log.record(
            security_log.Kind.SPECIAL_CATEGORY_READ,
            actor=acting_user,
            subject=security_log.subject_for("resident", labels),
            where=where,
            residents=labels,
            resident_ids=list(dict.fromkeys(resident.pk for resident in residents)),
            **details,
        )


def _active(relation: str, queryset: QuerySet) -> Prefetch:
    return Prefetch(relation, queryset=queryset, to_attr=f"active_{relation}")


def resident_history(resident: Resident | int) -> QuerySet[ResidentEvent]:
    """The person's history, oldest first, with who recorded each step."""
    return ResidentEvent.objects.filter(resident=resident).select_related("actor")


# --- reviews due --------------------------------------------------------------------------------


def adjustments_due_for_review(on_date: dt.date) -> QuerySet[ReasonableAdjustment]:
    """Active reasonable adjustments whose review date is on or before ``on_date``."""
    return (
        ReasonableAdjustment.objects.filter(is_active=True, next_review_on__lte=on_date)
        .select_related("resident")
        .order_by("next_review_on", "id")
    )


def restrictions_due_for_review(on_date: dt.date) -> QuerySet[ContactRestriction]:
    """Contact restrictions still in force on ``on_date`` whose review date has come."""
    return (
        ContactRestriction.objects.filter(next_review_on__lte=on_date)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on_date))
        .select_related("resident", "representative")
        .order_by("next_review_on", "id")
    )

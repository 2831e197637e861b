"""Reads for putting things right: the payments register, its totals, and band guidance.

The register is one filtered queryset; its totals are one aggregate over the same filter, so the
page costs the same few queries at 100 payments or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from putright.redress.models import HEAD_FIELDS, BandConfirmation, Compensation
from putright.rules.remedy_bands import BANDS, SMALL_PAYMENT_PENCE, Band, band_by_key, band_for


@dataclass(frozen=True)
class RegisterFilters:
    """What the register is narrowed to; empty values mean "any"."""

    year: int | None = None  # financial year starting 1 April of this year, by date offered
    category_id: int | None = None
    head: str = ""  # a field of HEAD_FIELDS: payments with something under that head
    band: str = ""  # a band key, or "below" for amounts under the lowest band
    ombudsman: str = ""  # a Compensation.Ombudsman value
    status: str = ""  # a Compensation.Status value


def financial_year_bounds(year: int) -> tuple[date, date]:
    """1 April of ``year`` to 31 March of the next (DESIGN.md section 6)."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _band_query(key: str) -> Q:
    if key == "below":
        return Q(amount_pence__lt=BANDS[0].lower_pence)
    band = band_by_key(key)
    if band is None:
        return Q(pk__in=[])
    query = Q(amount_pence__gte=band.lower_pence)
    if band.upper_pence is not None:
        query &= Q(amount_pence__lt=band.upper_pence)
    return query


def register_queryset(filters: RegisterFilters) -> QuerySet[Compensation]:
    """The compensation matching ``filters``, newest offer first, with what a row shows."""
    rows = Compensation.objects.all()
    if filters.year:
        start, end = financial_year_bounds(filters.year)
        rows = rows.filter(offered_on__range=(start, end))
    if filters.category_id:
        rows = rows.filter(complaint__category_id=filters.category_id)
    if filters.head in HEAD_FIELDS:
        rows = rows.filter(**{f"{filters.head}__gt": 0})
    if filters.band:
        rows = rows.filter(_band_query(filters.band))
    if filters.ombudsman:
        rows = rows.filter(ombudsman=filters.ombudsman)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows.order_by("-offered_on", "-id")


def register_rows(rows: QuerySet[Compensation]) -> QuerySet[Compensation]:
    """The columns a page or an export shows, joined once."""
    return rows.select_related("complaint", "complaint__category", "stage", "approved_by").only(
        "amount_pence",
        *HEAD_FIELDS,
        "ombudsman",
        "status",
        "offered_on",
        "decided_on",
        "approved_on",
        "paid_on",
        "method",
        "payment_reference",
        "complaint__reference",
        "complaint__is_confidential",
        "complaint__category__name",
        "stage__number",
        "approved_by__full_name",
        "approved_by__email",
    )


@dataclass(frozen=True)
class RegisterTotals:
    """Every offer in the filter (count, sum, by head of loss) and, of them, the payments made:
    an offer declined or still waiting is not a payment, so the share of small payments is
    counted over what was paid."""

    count: int
    total_pence: int
    heads_pence: dict[str, int]
    paid_count: int
    paid_total_pence: int
    paid_small_count: int  # payments of £100 or less

    @property
    def small_share(self) -> float | None:
        """Share of payments of £100 or less: paid_small_count / paid_count (``None`` when
        nothing was paid). By number of payments, not by value, as landlords' reports give it."""
        return self.paid_small_count / self.paid_count if self.paid_count else None


def register_totals(rows: QuerySet[Compensation]) -> RegisterTotals:
    """Offers and their heads of loss, payments made and those of £100 or less: one query."""
    paid = Q(status=Compensation.Status.PAID)
    figures = rows.order_by().aggregate(
        count=Count("id"),
        total=Coalesce(Sum("amount_pence"), 0),
        paid_count=Count("id", filter=paid),
        paid_total=Coalesce(Sum("amount_pence", filter=paid), 0),
        paid_small=Count("id", filter=paid & Q(amount_pence__lte=SMALL_PAYMENT_PENCE)),
        **{field: Coalesce(Sum(field), 0) for field in HEAD_FIELDS},
    )
    return RegisterTotals(
        count=figures["count"],
        total_pence=figures["total"],
        heads_pence={field: figures[field] for field in HEAD_FIELDS},
        paid_count=figures["paid_count"],
        paid_total_pence=figures["paid_total"],
        paid_small_count=figures["paid_small"],
    )


def confirmed_band_keys() -> frozenset[str]:
    """The bands confirmed by the reference notes or by an administrator (one query)."""
    recorded = set(BandConfirmation.objects.values_list("band_key", flat=True))
    return frozenset({band.key for band in BANDS if band.confirmed} | recorded)


@dataclass(frozen=True)
class BandGuidance:
    band: Band | None
    confirmed: bool

    @property
    def text(self) -> str:
        if self.band is None:
            return "Below the Ombudsman's lowest band"
        suffix = "" if self.confirmed else " (unconfirmed)"
        return f"Ombudsman band {self.band.label}{suffix}"


def band_guidance(pence: int, confirmed: frozenset[str] | None = None) -> BandGuidance:
    """The band beside an amount, and whether it is confirmed; pass ``confirmed`` (from
    ``confirmed_band_keys``) when showing many amounts, to read it once."""
    band = band_for(pence)
    if confirmed is None:
        confirmed = confirmed_band_keys()
    return BandGuidance(band=band, confirmed=band is not None and band.key in confirmed)


def financial_years() -> list[int]:
    """The financial years with an offer, newest first (two queries on an indexed column)."""
    first = Compensation.objects.order_by("offered_on").values_list("offered_on", flat=True)[:1]
    last = Compensation.objects.order_by("-offered_on").values_list("offered_on", flat=True)[:1]
    if not first or not last:
        return []
    return list(range(financial_year_of(last[0]), financial_year_of(first[0]) - 1, -1))


def compensation_for_remedies(remedy_ids: list[int]) -> dict[int, Compensation]:
    """remedy id -> its compensation, for the case page (one query)."""
    return {
        row.remedy_id: row
        for row in Compensation.objects.filter(remedy_id__in=remedy_ids).select_related(
            "approved_by"
        )
    }


def export_rows(rows: QuerySet[Compensation]) -> Any:
    """The register's rows for CSV or XLSX, streamed in chunks, as plain values."""
    labels_status = dict(Compensation.Status.choices)
    labels_ombudsman = dict(Compensation.Ombudsman.choices)
    labels_method = dict(Compensation.Method.choices)
    confirmed = confirmed_band_keys()
    for row in register_rows(rows).iterator(chunk_size=2000):
        guidance = band_guidance(row.amount_pence, confirmed)
        yield [
            row.complaint.reference,
            row.stage.number,
            row.complaint.category.name if row.complaint.category_id else "",
            row.offered_on,
            row.amount_pence,
            *(getattr(row, field) for field in HEAD_FIELDS),
            guidance.band.label if guidance.band else "",
            labels_ombudsman.get(row.ombudsman, row.ombudsman),
            labels_status.get(row.status, row.status),
            row.approved_on,
            row.paid_on,
            labels_method.get(row.method, row.method),
            row.payment_reference,
        ]

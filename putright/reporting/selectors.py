"""Reads for report editions: the reports of each year and quarter with their versions, the
published ones for the public, and a report's history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from putright.reporting.contents import ANNUAL, QUARTER
from putright.reporting.models import (
    Edition,
    EditionStatus,
    PerceptionSurveyResult,
    ReportEvent,
)
from putright.reporting.periods import year_label

PARTS = [(ANNUAL, 0), *((QUARTER, n) for n in (1, 2, 3, 4))]


@dataclass
class ReportVersions:
    """One report (a year's annual report or one quarter's board pack) and its versions, newest
    first."""

    kind: str
    reporting_year: int
    quarter: int
    versions: list[Edition] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.kind == ANNUAL:
            return f"Annual complaints report {year_label(self.reporting_year)}"
        return f"Board report {year_label(self.reporting_year)} Q{self.quarter}"

    @property
    def part(self) -> str:
        return f"q{self.quarter}" if self.quarter else ANNUAL

    @property
    def draft(self) -> Edition | None:
        return next((e for e in self.versions if e.status == EditionStatus.DRAFT), None)

    @property
    def published(self) -> Edition | None:
        """The newest published version."""
        return next((e for e in self.versions if e.status == EditionStatus.PUBLISHED), None)

    @property
    def next_version(self) -> int:
        return self.versions[0].version + 1 if self.versions else 1


@dataclass
class YearReports:
    reporting_year: int
    reports: list[ReportVersions]
    tp09: PerceptionSurveyResult | None

    @property
    def label(self) -> str:
        return year_label(self.reporting_year)


def reports_by_year(years: list[int]) -> list[YearReports]:
    """For each year asked for, its annual report and four board packs with every version, and
    its TP09 result: two queries whatever the number of years."""
    found: dict[tuple[str, int, int], list[Edition]] = {}
    rows = Edition.objects.filter(reporting_year__in=years).defer("document")
    for edition in rows.order_by("-version"):
        found.setdefault((edition.kind, edition.reporting_year, edition.quarter), []).append(
            edition
        )
    surveys = PerceptionSurveyResult.objects.in_bulk(years, field_name="reporting_year")
    return [
        YearReports(
            year,
            [
                ReportVersions(kind, year, quarter, found.get((kind, year, quarter), []))
                for kind, quarter in PARTS
            ],
            surveys.get(year),
        )
        for year in years
    ]


def report_versions(*, kind: str, reporting_year: int, quarter: int) -> ReportVersions:
    versions = (
        Edition.objects.filter(kind=kind, reporting_year=reporting_year, quarter=quarter)
        .defer("document")
        .order_by("-version")
    )
    return ReportVersions(kind, reporting_year, quarter, list(versions))


def published_editions() -> QuerySet[Edition]:
    """Every published version, newest period first, for the public list."""
    return (
        Edition.objects.filter(status=EditionStatus.PUBLISHED)
        .defer("document")
        .order_by("-reporting_year", "kind", "-quarter", "-version")
    )


def published_edition(*, kind: str, reporting_year: int, quarter: int, version: int) -> Edition:
    return Edition.objects.get(
        status=EditionStatus.PUBLISHED,
        kind=kind,
        reporting_year=reporting_year,
        quarter=quarter,
        version=version,
    )


def report_history(edition: Edition) -> QuerySet[ReportEvent]:
    """The events of every version of this edition's report, newest first."""
    return (
        ReportEvent.objects.filter(
            Q(edition__kind=edition.kind)
            & Q(edition__reporting_year=edition.reporting_year)
            & Q(edition__quarter=edition.quarter)
        )
        .select_related("actor", "edition")
        .order_by("-recorded_at", "-id")
    )

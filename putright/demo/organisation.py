"""Demo step: the fictional landlord, its reporting period and its stock counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from putright.core.dates import long_date
from putright.organisation.models import StockCount
from putright.organisation.selectors import get_organisation
from putright.organisation.services import organisation_update, stock_count_set
from putright.people.selectors import homes_by_tsm_group

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

# A fictional landlord. GW is not a real postcode area and 01632 960xxx is an Ofcom drama number.
LANDLORD = {
    "name": "Greenway Homes",
    "address": "Greenway House\n1 Canal Wharf\nGreenway\nGW1 1AA",
    "phone": "01632 960000",
    "email": "complaints@greenwayhomes.example",
    "website": "https://www.greenwayhomes.example",
    "complaints_page_url": "https://www.greenwayhomes.example/complaints",
    "member_responsible_for_complaints": "Helen Ashworth",
    "senior_lead": "Marcus Bell, Director of Customer Services",
}


@dataclass(frozen=True)
class ReportingPeriod:
    """What the demo covers: the two complete reporting years before ``as_at``, and on to it."""

    first_day: dt.date  # start of the earlier complete reporting year
    as_at: dt.date
    years: tuple[int, int]  # e.g. (2024, 2025) for 2024/25 and 2025/26
    year_ends: tuple[dt.date, dt.date]


def reporting_period(generator: DemoGenerator) -> ReportingPeriod:
    organisation = get_organisation()
    current = organisation.reporting_year_of(generator.as_at)
    years = (current - 2, current - 1)
    bounds = [organisation.reporting_year_bounds(year) for year in years]
    return ReportingPeriod(
        first_day=bounds[0][0],
        as_at=generator.as_at,
        years=years,
        year_ends=(bounds[0][1], bounds[1][1]),
    )


def make_organisation(generator: DemoGenerator) -> None:
    organisation_update(acting_user=None, **LANDLORD)
    period = reporting_period(generator)
    generator.results["period"] = period
    generator.say(
        f"Organisation: {LANDLORD['name']}; demo history from {long_date(period.first_day)} "
        f"to {long_date(period.as_at)}."
    )


def make_stock_counts(generator: DemoGenerator) -> None:
    """Homes per TSM group at the end of each complete reporting year, counted from tenancies."""
    period: ReportingPeriod = generator.results.get("period") or reporting_period(generator)
    lines = []
    for year, year_end in zip(period.years, period.year_ends, strict=True):
        homes = homes_by_tsm_group(year_end)
        for tenure in (StockCount.Tenure.LCRA, StockCount.Tenure.LCHO):
            stock_count_set(
                acting_user=None, reporting_year=year, tenure=tenure, homes=homes[tenure]
            )
        lines.append(
            f"{year}/{(year + 1) % 100:02d}: LCRA {homes['LCRA']:,}, LCHO {homes['LCHO']:,}"
        )
    generator.say("Stock counts (homes at each year end): " + "; ".join(lines) + ".")

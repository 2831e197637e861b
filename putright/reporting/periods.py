"""The periods reports cover: the landlord's reporting year, its quarters and months.

A reporting year is named by the calendar year it starts in (2024 for 2024-25, as
``StockCount.reporting_year`` is) and starts in the organisation's ``reporting_year_start_month``
(April unless set otherwise). Both ends of a period are inclusive dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from putright.organisation.selectors import get_organisation

__all__ = ["Period", "parse_year", "quarter", "quarter_of", "reporting_year"]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    reporting_year: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start})")

    def months(self) -> list[dt.date]:
        """The first day of each month the period covers, in order."""
        first = self.start.replace(day=1)
        found = []
        while first <= self.end:
            found.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return found

    def year_before(self) -> Period:
        """The same stretch of the calendar a year earlier, for the "previous period" column."""
        return Period(
            _year_earlier(self.start),
            _year_earlier(self.end),
            self.label.replace(
                year_label(self.reporting_year), year_label(self.reporting_year - 1)
            ),
            self.reporting_year - 1,
        )


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_label(year: int) -> str:
    """2024 -> "2024-25"."""
    return f"{year}-{(year + 1) % 100:02d}"


def reporting_year(year: int) -> Period:
    start, end = get_organisation().reporting_year_bounds(year)
    return Period(start, end, year_label(year), year)


def quarter(year: int, number: int) -> Period:
    """Quarter 1 to 4 of a reporting year: three calendar months each."""
    if number not in (1, 2, 3, 4):
        raise ValueError(f"A reporting year has quarters 1 to 4, not {number}")
    year_start, _ = get_organisation().reporting_year_bounds(year)
    month = year_start.month + 3 * (number - 1)
    start = dt.date(year_start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    after = start
    for _ in range(3):
        after = (after + dt.timedelta(days=32)).replace(day=1)
    return Period(start, after - dt.timedelta(days=1), f"{year_label(year)} Q{number}", year)


def quarter_of(day: dt.date) -> Period:
    """The quarter of the reporting year that ``day`` falls in."""
    organisation = get_organisation()
    year = organisation.reporting_year_of(day)
    months_in = (day.month - organisation.reporting_year_start_month) % 12
    return quarter(year, months_in // 3 + 1)


def parse_year(text: str) -> int:
    """ "2024-25" or "2024" -> 2024; anything else is a ValueError with a message."""
    match = re.fullmatch(r"\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*", text)
    if not match:
        raise ValueError(f"Give the reporting year as 2024-25 (or 2024), not {text!r}")
    year = int(match.group(1))
    if match.group(2) and int(match.group(2)) % 100 != (year + 1) % 100:
        raise ValueError(f"{text!r} is not one reporting year: 2024-25 is, 2024-26 is not")
    return year

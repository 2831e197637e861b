"""The board's live dashboard: this quarter and the year to date, what is at risk today, and the
months of the year as charts with their tables.

Counts and rates only: no complaint, resident, reference or member of staff is named, so the
whole page is fit for the board. The period figures are ``annual.figures`` of the same periods
the reports show (``periods.quarter_of`` and ``periods.reporting_year``), so the dashboard and
the reports cannot disagree. What is due or overdue today comes from the definitions the queues,
the action tracker and the Ombudsman reminders use. A fixed number of queries, whatever the
number of complaints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from putright.complaints.due_windows import due_soon_q, due_soon_until, overdue_q
from putright.complaints.models import Complaint, DueKind
from putright.complaints.standing import OPEN_Q
from putright.core import clock
from putright.ombudsman.reminders import REMINDER_WORKING_DAYS
from putright.ombudsman.selectors import outstanding
from putright.organisation.selectors import current_calendar
from putright.reporting import metrics, tables
from putright.reporting.annual import figures_of
from putright.reporting.charts import LOOKS_IN_WORDS, LineChart, Series
from putright.reporting.periods import Period, quarter_of, reporting_year
from putright.reporting.tables import Table
from putright.rules.ratios import Ratio
from putright.tracking.selectors import overdue_total

__all__ = ["DUE_WITHIN_WORKING_DAYS", "Dashboard", "dashboard", "risks_now"]

# "Due in the next 5 working days": the week ahead a board asks about, and the Ombudsman
# reminders' window, so both risks count over the same days.
DUE_WITHIN_WORKING_DAYS = REMINDER_WORKING_DAYS


@dataclass(frozen=True)
class RisksNow:
    """Open complaints past or near their next Code deadline, promised actions past their date,
    and the Ombudsman's orders and requests for information not yet done."""

    today: dt.date
    due_until: dt.date  # the last day counted as "due in the next 5 working days"
    acknowledgements_overdue: int
    responses_overdue: int
    due_soon: int
    extended: int
    actions_overdue: int
    ombudsman_orders_overdue: int
    ombudsman_orders_due_soon: int
    ombudsman_requests_overdue: int
    ombudsman_requests_due_soon: int

    def table(self) -> Table:
        until = f"{self.due_until:%-d %B %Y}"
        rows = [
            ("Complaints not acknowledged by their Code deadline", self.acknowledgements_overdue),
            ("Complaints not responded to by their Code deadline", self.responses_overdue),
            (f"Complaints due today or by {until}", self.due_soon),
            ("Open complaints on an extension", self.extended),
            ("Promised actions overdue", self.actions_overdue),
            ("Housing Ombudsman orders overdue", self.ombudsman_orders_overdue),
            (f"Housing Ombudsman orders due by {until}", self.ombudsman_orders_due_soon),
            ("Housing Ombudsman requests for information overdue", self.ombudsman_requests_overdue),
            (
                f"Housing Ombudsman requests for information due by {until}",
                self.ombudsman_requests_due_soon,
            ),
        ]
        return Table(
            "risks",
            f"Breaches and risks on {self.today:%-d %B %Y}",
            ["", "Number"],
            [[label, f"{n:,}"] for label, n in rows],
            f"Due by {until}: today or within the next {DUE_WITHIN_WORKING_DAYS} working days. "
            "A complaint's deadline is its next one: the acknowledgement, then the response (the "
            "extended date when extended).",
        )


def risks_now(*, today: dt.date) -> RisksNow:
    """Four queries: open complaints, promised actions, Ombudsman orders, requests."""
    calendar = current_calendar()
    complaints = Complaint.objects.filter(OPEN_Q).aggregate(
        acknowledgements_overdue=Count(
            "id", filter=overdue_q(today) & Q(next_due_kind=DueKind.ACKNOWLEDGEMENT)
        ),
        responses_overdue=Count("id", filter=overdue_q(today) & Q(next_due_kind=DueKind.RESPONSE)),
        due_soon=Count("id", filter=due_soon_q(today, calendar, DUE_WITHIN_WORKING_DAYS)),
        extended=Count("id", filter=Q(is_extended=True)),
    )
    ombudsman = outstanding(today=today, calendar=calendar)
    return RisksNow(
        today=today,
        due_until=due_soon_until(today, calendar, DUE_WITHIN_WORKING_DAYS),
        actions_overdue=overdue_total(today=today),
        ombudsman_orders_overdue=ombudsman.orders_overdue,
        ombudsman_orders_due_soon=ombudsman.orders_due_soon,
        ombudsman_requests_overdue=ombudsman.requests_overdue,
        ombudsman_requests_due_soon=ombudsman.requests_due_soon,
        **complaints,
    )


# --- the months of the year ---------------------------------------------------------------------


def received_chart(
    year: Period, this: dict[str, int], before: dict[str, int], today: dt.date
) -> LineChart:
    """Stage 1 complaints received each month of the year, against the same month a year
    earlier. Months still to come are left out of this year's line, not drawn as 0."""
    months = year.months()
    came = tuple(None if month > today else this[f"{month:%Y-%m}"] for month in months)
    earlier = tuple(before.values())
    so_far = [i for i, n in enumerate(came) if n is not None]
    same_months = sum(earlier[i] for i in so_far)
    last_year = year.year_before().label
    first, second = LOOKS_IN_WORDS
    return LineChart(
        key="received",
        title="Stage 1 complaints received each month",
        summary=(
            f"Line chart of the stage 1 complaints received in each month of {year.label} "
            f"({first}) against {last_year} ({second}): "
            f"{sum(came[i] for i in so_far):,} so far this year, against {same_months:,} in the "
            f"same months of {last_year}. The table beside it gives each month's number."
        ),
        category_heading="Month",
        categories=tuple(f"{month:%b}" for month in months),
        category_names=tuple(f"{month:%B}" for month in months),
        series=(
            Series(year.label, came, tuple("" if n is not None else "not yet" for n in came)),
            Series(last_year, earlier),
        ),
    )


def timeliness_chart(year: Period, today: dt.date) -> LineChart:
    """The share of each month's responses within the Code's timescales, stage 1 and stage 2
    (TSM CH02 month by month), with the counts behind each share in the table."""
    months = year.months()
    series, counts = [], []
    for stage in metrics.STAGES:
        shares = metrics.monthly_within_code(year, stage)
        drawn = [_month_share(month, shares[f"{month:%Y-%m}"], today) for month in months]
        values, details = zip(*drawn, strict=True)
        series.append(Series(f"Stage {stage}", values, details))
        in_year = shares.values()
        counts.append(
            (stage, sum(s.numerator for s in in_year), sum(s.denominator for s in in_year))
        )
    totals = "; ".join(f"stage {stage}: {n:,} of {d:,}" for stage, n, d in counts)
    first, second = LOOKS_IN_WORDS
    return LineChart(
        key="timeliness",
        title="Responses within the Code's timescales each month",
        summary=(
            f"Line chart of the percentage of responses in each month of {year.label} that were "
            f"within the Code's timescales, stage 1 ({first}) and stage 2 ({second}). "
            f"So far this year, {totals}. The table beside it gives each month's share and "
            "counts."
        ),
        category_heading="Month",
        categories=tuple(f"{month:%b}" for month in months),
        category_names=tuple(f"{month:%B %Y}" for month in months),
        series=tuple(series),
        percent=True,
    )


def _month_share(month: dt.date, share: Ratio, today: dt.date) -> tuple[Decimal | None, str]:
    """A month's share as the chart draws it and the counts the table adds."""
    if month > today:
        return None, "not yet"
    if not share.denominator:
        return None, "no responses"
    return share.rounded(1), f"{share.numerator:,} of {share.denominator:,}"


# --- the page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    quarter: Period
    year: Period
    quarter_figures: dict[str, Any]  # annual.figures(quarter)
    year_figures: dict[str, Any]  # annual.figures(year)
    headline: Table
    risks: RisksNow
    charts: tuple[LineChart, ...]


def dashboard(*, today: dt.date | None = None) -> Dashboard:
    today = today or clock.today()
    quarter = quarter_of(today)
    year = reporting_year(quarter.reporting_year)
    # The dashboard shows no equality profile: neither period needs one worked out.
    quarter_figures, year_figures = figures_of(quarter, year, equality=False)
    return Dashboard(
        today=today,
        quarter=quarter,
        year=year,
        quarter_figures=quarter_figures,
        year_figures=year_figures,
        headline=tables.headline(quarter_figures, year_figures),
        risks=risks_now(today=today),
        charts=(
            received_chart(
                year,
                year_figures["monthly_received"],
                metrics.monthly_received(year.year_before()),
                today,
            ),
            timeliness_chart(year, today),
        ),
    )

"""The annual figures on screen: a page per reporting year, with the year before beside it,
and behind each count of complaints the list of them.

Who: ``complaints.view_reports`` (the board, complaints managers). The annual page holds counts
and rates only: no resident, reference or free text. The lists behind the figures name
complaints, so they are for staff who may also see complaints (``complaints.view_complaint``):
a board member sees no link and is refused the list.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from putright.complaints.models import Status
from putright.complaints.selectors import VIEW_CONFIDENTIAL, visible_to
from putright.complaints.services import confidential_complaints_read
from putright.core import clock
from putright.organisation.selectors import get_organisation
from putright.reporting import charts, drill, tables
from putright.reporting.annual import figures_of
from putright.reporting.dashboard import dashboard as dashboard_figures
from putright.reporting.periods import Period, reporting_year, year_label
from putright.rules.malrate import OUTCOMES

VIEW_REPORTS = "complaints.view_reports"
VIEW_COMPLAINTS = "complaints.view_complaint"
OUTCOME_LABELS = {key: key.replace("_", " ").capitalize() for key in OUTCOMES}
STATUS_LABELS = dict(Status.choices)
FIRST_YEAR = 2024  # the 2024 Code applies from 1 April 2024
PAGE_SIZE = 50


def _needs_reports(view):
    return login_required(permission_required(VIEW_REPORTS, raise_exception=True)(view))


def may_drill(user: Any) -> bool:
    """Whether ``user`` may open the complaints behind a figure: reports and complaints both."""
    return user.has_perm(VIEW_REPORTS) and user.has_perm(VIEW_COMPLAINTS)


def _current_year() -> int:
    return get_organisation().reporting_year_of(clock.today())


@_needs_reports
def index(request: HttpRequest) -> HttpResponse:
    years = [(year, year_label(year)) for year in range(_current_year(), FIRST_YEAR - 1, -1)]
    return render(request, "reporting/index.html", {"years": years})


def _year(year: int) -> Period:
    if not FIRST_YEAR <= year <= _current_year():
        raise Http404("No such reporting year")
    return reporting_year(year)


@_needs_reports
def annual(request: HttpRequest, year: int) -> HttpResponse:
    period = _year(year)
    this, before = figures_of(period, period.year_before())
    context = {
        "period": period,
        "can_drill": may_drill(request.user),
        "to_date": period.end > clock.today(),
        "sections": tables.sections(this, before),
        "tsm": tables.tsm_table(this),
        "notes": this["tsm"]["notes"],
        "ombudsman": this["ombudsman"],
        "ombudsman_findings": [
            (OUTCOME_LABELS.get(key, key), n) for key, n in this["ombudsman"]["findings"].items()
        ],
    }
    return render(request, "reporting/annual.html", context)


@require_GET
@_needs_reports
def complaints(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """The records behind one figure of a reporting year, as the figure counts them, one page of
    50 at a time in two queries (count and rows) whatever the page holds. Confidential
    complaints the reader may not see are left out and counted in a line of their own; those
    shown are recorded in the security log, as a queue records them."""
    user = request.user
    if not may_drill(user):
        raise PermissionDenied
    period = _year(year)
    found = drill.find(key)
    if found is None:
        raise Http404("No such figure")
    records = found.records(period)
    visible = records.filter(visible_to(user, via="complaint__"))
    hidden = 0 if user.has_perm(VIEW_CONFIDENTIAL) else records.count() - visible.count()
    page = Paginator(drill.rows(visible), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            **row,
            "url": reverse("casework:case", kwargs={"reference": row["reference"]}),
            "status": STATUS_LABELS.get(row["status"], row["status"]),
        }
        for row in page.object_list
    ]
    confidential_complaints_read(
        acting_user=user,
        references=[row["reference"] for row in rows if row["confidential"]],
        where=f"report {period.label} {key}",
    )
    context = {
        "period": period,
        "drill": found,
        "page_obj": page,
        "rows": rows,
        "total": page.paginator.count + hidden,
        "hidden": hidden,
    }
    return render(request, "reporting/complaints.html", context)


@_needs_reports
def dashboard(request: HttpRequest) -> HttpResponse:
    """This quarter, the year to date, today's risks and the months as charts with tables."""
    board = dashboard_figures()
    context = {
        "board": board,
        "charts": [
            {"key": chart.key, "svg": charts.svg(chart), "table": charts.table(chart)}
            for chart in board.charts
        ],
    }
    return render(request, "reporting/dashboard.html", context)

"""The annual figures on screen: a page per reporting year, with the year before beside it.

Who: ``complaints.view_reports`` (the board, complaints managers). The page holds counts and
rates only: no resident, reference or free text.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from putright.core import clock
from putright.organisation.selectors import get_organisation
from putright.reporting import tables
from putright.reporting.annual import figures
from putright.reporting.periods import reporting_year, year_label
from putright.rules.malrate import OUTCOMES

VIEW_REPORTS = "complaints.view_reports"
OUTCOME_LABELS = {key: key.replace("_", " ").capitalize() for key in OUTCOMES}
FIRST_YEAR = 2024  # the 2024 Code applies from 1 April 2024


def _needs_reports(view):
    return login_required(permission_required(VIEW_REPORTS, raise_exception=True)(view))


def _current_year() -> int:
    return get_organisation().reporting_year_of(clock.today())


@_needs_reports
def index(request: HttpRequest) -> HttpResponse:
    years = [(year, year_label(year)) for year in range(_current_year(), FIRST_YEAR - 1, -1)]
    return render(request, "reporting/index.html", {"years": years})


@_needs_reports
def annual(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= _current_year():
        raise Http404("No such reporting year")
    period = reporting_year(year)
    this, before = figures(period), figures(period.year_before())
    context = {
        "period": period,
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

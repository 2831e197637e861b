"""Published reports for anyone, without signing in: the list, and each published version as
accessible HTML. Only frozen documents are read here (counts, rates and the landlord's own
words, suppressed before they were frozen), never today's records."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from putright.reporting import editions, formats, selectors
from putright.reporting.edition_views import download, parse_part
from putright.reporting.models import Edition


@login_not_required
@require_http_methods(["GET"])
def published_list(request: HttpRequest) -> HttpResponse:
    reports: dict[tuple[int, str, int], list[Edition]] = {}
    for edition in selectors.published_editions():
        reports.setdefault((edition.reporting_year, edition.kind, edition.quarter), []).append(
            edition
        )
    return render(request, "reporting/public/index.html", {"reports": list(reports.values())})


def _published(year: int, part: str, version: int) -> Edition:
    kind, quarter = parse_part(part)
    try:
        return selectors.published_edition(
            kind=kind, reporting_year=year, quarter=quarter, version=version
        )
    except Edition.DoesNotExist:
        raise Http404("No such published report") from None


@login_not_required
@require_http_methods(["GET"])
def published_download(
    request: HttpRequest, year: int, part: str, version: int, fmt: str
) -> HttpResponse:
    """The frozen document as a file (PDF, spreadsheet, CSV or standalone HTML)."""
    edition = _published(year, part, version)
    return download(editions.document_from_json(edition.document), fmt)


@login_not_required
@require_http_methods(["GET"])
def published_edition(request: HttpRequest, year: int, part: str, version: int) -> HttpResponse:
    kind, quarter = parse_part(part)
    edition = _published(year, part, version)
    newest = selectors.report_versions(kind=kind, reporting_year=year, quarter=quarter).published
    return render(
        request,
        "reporting/public/edition.html",
        {
            "edition": edition,
            "document": editions.document_from_json(edition.document),
            "newest": newest if newest and newest.pk != edition.pk else None,
            "formats": formats.FORMATS,
        },
    )

"""The caseworking queues, their filters and bulk allocation.

- ``queues`` (``/cases/``) sends each person to their usual queue.
- ``queue`` (``/cases/queues/<slug>/``) lists one queue: filter panel (a GET form that works
  without JavaScript), search, sortable columns, 25 rows a page. Filters and the sort survive
  paging and re-sorting because every link keeps the rest of the query string.
- ``bulk-allocate`` (POST) gives the ticked complaints a handler, one service call each, and
  reports what was allocated and, for each complaint refused, the service's reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from putright.casework.forms.queues import BulkAllocateForm, QueueFilterForm
from putright.casework.permissions import ALLOCATE, HANDLE, visible_complaints
from putright.casework.selectors.queues import (
    QUEUES,
    QUEUES_BY_SLUG,
    SORT_LABELS,
    Queue,
    QueueRow,
    Sort,
    Whose,
    default_queue_slug,
    handler_choices,
    queue_page,
    top_level_categories,
)
from putright.complaints import services
from putright.complaints.models import Complaint, DueKind, Status
from putright.core.errors import DomainError

OUTCOME_KEY = "casework_bulk_allocation"
MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STATUS_LABELS = dict(Status.choices)
DUE_KIND_LABELS = dict(DueKind.choices)

# Sortable columns: the sort a first click gives, then the click on a sorted column reverses it.
SORTABLE = {
    "reference": (Sort.REFERENCE, Sort.REFERENCE_DESC),
    "received": (Sort.RECEIVED_DESC, Sort.RECEIVED),
    "due": (Sort.DUE, Sort.DUE_DESC),
}
ASCENDING = {Sort.REFERENCE, Sort.RECEIVED, Sort.DUE}


def _require_casework(user: Any) -> None:
    """Case data is for people who handle complaints; board members get aggregates only."""
    if not user.has_perm(HANDLE):
        raise PermissionDenied


def _queue_url(queue: Queue, query: str = "") -> str:
    url = reverse("casework:queue", kwargs={"queue": queue.slug})
    return f"{url}?{query}" if query else url


@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    _require_casework(request.user)
    return HttpResponseRedirect(_queue_url(QUEUES_BY_SLUG[default_queue_slug(request.user)]))


@require_GET
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    _require_casework(request.user)
    definition = QUEUES_BY_SLUG.get(queue)
    if definition is None:
        raise Http404("No such queue")
    return render_queue(request, definition)


def _sort_headers(request: HttpRequest, current: Sort) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (or reverses it) and its aria-sort."""
    headers = {}
    for column, (first, reverse_sort) in SORTABLE.items():
        is_current = current in (first, reverse_sort)
        target = reverse_sort if current == first else first
        query = request.GET.copy()
        query["sort"] = target.value
        query.pop("page", None)
        direction = "ascending" if current in ASCENDING else "descending"
        headers[column] = {
            "href": "?" + query.urlencode(),
            "aria_sort": direction if is_current else "none",
            "next_label": SORT_LABELS[target],
        }
    return headers


def _short_date(day: date | None) -> str:
    return f"{day.day} {MONTHS[day.month]} {day.year}" if day else ""


def _table_rows(rows: list[QueueRow], ticked: set[str]) -> list[dict[str, Any]]:
    """What each table row shows, as plain values: the page draws 25 rows of ten cells, and
    plain values keep the template's work per cell small."""
    table = []
    for row in rows:
        complaint = row.complaint
        table.append(
            {
                "pk": complaint.pk,
                "reference": complaint.reference,
                "url": reverse("casework:case", kwargs={"reference": complaint.reference}),
                "value": f"{complaint.pk}:{complaint.version}",
                "ticked": str(complaint.pk) in ticked,
                "confidential": complaint.is_confidential,
                "received": _short_date(complaint.received_on),
                "complainant": complaint.complainant.full_name,
                "vulnerable": complaint.is_vulnerable,
                "category": complaint.category.name if complaint.category else "Not set",
                "stage": complaint.stage_number,
                "status": STATUS_LABELS.get(complaint.status, complaint.status),
                "handler": str(complaint.handler) if complaint.handler else "Unallocated",
                "due": _short_date(complaint.next_due_on or row.waiting_until),
                "due_kind": "Escalation window ends"
                if row.waiting_until
                else DUE_KIND_LABELS.get(complaint.next_due_kind, ""),
                "missed": row.missed,
                "days_left": "–" if row.days_left is None else str(row.days_left),
                "tag": row.tag,
            }
        )
    return table


def render_queue(
    request: HttpRequest,
    definition: Queue,
    *,
    bulk_form: BulkAllocateForm | None = None,
    handlers: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue page; also drawn by ``bulk_allocate`` to show its form's errors."""
    user = request.user
    handlers = handler_choices() if handlers is None else handlers
    filter_form = QueueFilterForm(
        request.GET or None, handlers=handlers, categories=top_level_categories()
    )
    result = queue_page(
        definition,
        user=user,
        filters=filter_form.filters(),
        sort=filter_form.sort_value(),
        page_number=request.GET.get("page") or 1,
    )
    can_allocate = user.has_perm(ALLOCATE) and definition.allocatable
    if can_allocate and bulk_form is None:
        bulk_form = BulkAllocateForm(handlers=handlers, initial={"queue": definition.slug})
    ticked = set()
    if bulk_form is not None and bulk_form.is_bound:
        ticked = {value.partition(":")[0] for value in bulk_form.data.getlist("complaint")}
    query = request.GET.urlencode()
    context = {
        "queue": definition,
        "queue_nav": [
            {"text": q.title, "href": _queue_url(q), "active": q.slug == definition.slug}
            for q in QUEUES
        ],
        "filter_form": filter_form,
        "selected_filters": filter_form.selected(request.GET),
        "clear_filters_href": _queue_url(definition),
        "result": result,
        "page_obj": result.page,
        "rows": result.rows,
        "table_rows": _table_rows(result.rows, ticked),
        "complaint_error": bulk_form.errors.get("complaint") if bulk_form is not None else None,
        "sort": result.sort,
        "sort_label": SORT_LABELS[result.sort],
        "headers": _sort_headers(request, result.sort),
        "can_allocate": can_allocate,
        "bulk_form": bulk_form,
        "bulk_action": reverse("casework:bulk-allocate") + (f"?{query}" if query else ""),
        "has_errors": bool(filter_form.errors) or bool(bulk_form is not None and bulk_form.errors),
        "outcome": request.session.pop(OUTCOME_KEY, None),
        "no_team": definition.whose == Whose.MY_TEAM and getattr(user, "team_id", None) is None,
    }
    return render(request, "casework/queues/queue.html", context, status=status)


@require_POST
def bulk_allocate(request: HttpRequest) -> HttpResponse:
    """Allocate each ticked complaint through ``complaint_allocate``, one call (and one
    transaction, event and version check) per complaint, then go back to the queue."""
    user = request.user
    _require_casework(user)
    if not user.has_perm(ALLOCATE):
        raise PermissionDenied
    handlers = handler_choices()
    form = BulkAllocateForm(request.POST, handlers=handlers)
    definition = QUEUES_BY_SLUG.get(request.POST.get("queue", "")) or QUEUES_BY_SLUG["unallocated"]
    if not form.is_valid():
        return render_queue(request, definition, bulk_form=form, handlers=handlers, status=400)
    handler = form.handler_user
    selected = form.cleaned_data["complaint"]
    found = {
        complaint.pk: complaint
        for complaint in visible_complaints(
            user, Complaint.objects.filter(pk__in=[pk for pk, _ in selected])
        )
    }
    allocated: list[str] = []
    refused: list[dict[str, str]] = []
    for pk, version in selected:
        complaint = found.get(pk)
        if complaint is None:
            refused.append({"reference": "", "message": "A complaint you ticked no longer exists."})
            continue
        try:
            services.complaint_allocate(
                acting_user=user,
                complaint=complaint,
                handler=handler,
                expected_version=version,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            refused.append({"reference": complaint.reference, "message": error.message})
        else:
            allocated.append(complaint.reference)
    request.session[OUTCOME_KEY] = {
        "allocated": allocated,
        "handler": str(handler),
        "refused": refused,
    }
    return HttpResponseRedirect(_queue_url(definition, request.GET.urlencode()))


urlpatterns = [
    path("", queues, name="queues"),
    path("queues/bulk-allocate/", bulk_allocate, name="bulk-allocate"),
    path("queues/<slug:queue>/", queue, name="queue"),
]

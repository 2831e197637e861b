"""The case file: one complaint's summary, stages, deadlines, timeline and linked records.

Who may open it: anyone who handles complaints or may see confidential ones (a board member
gets 403: board views are aggregate only); a confidential case is 404 to whoever may not see it,
so its existence is not given away, and every opening of one is recorded.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe

from putright.casework.permissions import HANDLE, VIEW_CONFIDENTIAL, can_view
from putright.casework.selectors.case_file import (
    TIMELINE_KINDS,
    CaseFile,
    TimelineEntry,
    case_complaint,
    case_file,
)
from putright.casework.steps import available_steps, url_or_none
from putright.complaints import services
from putright.complaints.models import Complaint
from putright.contacts.selectors import contacts_for_complaint
from putright.learning.selectors import lessons_for_complaint


def may_open_case_files(user: Any) -> bool:
    return user.has_perm(HANDLE) or user.has_perm(VIEW_CONFIDENTIAL)


def case(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    if not may_open_case_files(user):
        raise PermissionDenied
    try:
        complaint = case_complaint(reference)
    except Complaint.DoesNotExist:
        raise Http404 from None
    if not can_view(user, complaint):
        raise Http404
    if complaint.is_confidential:
        record_view = getattr(services, "complaint_viewed", None)
        if record_view is not None:
            record_view(acting_user=user, complaint=complaint)
    record = case_file(complaint=complaint, user=user, show=request.GET.get("show", ""))
    case_url = reverse("casework:case", kwargs={"reference": complaint.reference})
    return render(
        request,
        "casework/case/case.html",
        {
            "case": record,
            "complaint": complaint,
            "profile": record.profile,
            "steps": available_steps(
                user,
                complaint,
                standing_refusal_id=record.standing_refusal.pk if record.standing_refusal else None,
            ),
            "timeline_items": [_timeline_item(entry) for entry in record.timeline],
            "timeline_filters": _timeline_filters(case_url, record),
            "back_url": url_or_none("queues"),
            "case_url": case_url,
            # Lessons learned from the complaint (putright.learning), for those who read them.
            "lessons": list(lessons_for_complaint(complaint=complaint))
            if user.has_perm("learning.view_lesson")
            else None,
            "may_record_lesson": user.has_perm("learning.add_lesson"),
            # Service requests, enquiries and surveys linked to it (putright.contacts).
            "contacts": contacts_for_complaint(complaint=complaint)
            if user.has_perm("contacts.view_servicerequest")
            else None,
        },
    )


def _timeline_filters(case_url: str, record: CaseFile) -> list[dict[str, Any]]:
    """Links (plain GET, so they work without JavaScript) that filter the timeline."""
    items = [{"text": "Everything", "href": f"{case_url}#timeline", "active": not record.show}]
    for key, label in TIMELINE_KINDS.items():
        items.append(
            {
                "text": label,
                "href": f"{case_url}?show={key}#timeline",
                "active": record.show == key,
            }
        )
    return items


def _timeline_item(entry: TimelineEntry) -> dict[str, Any]:
    """One entry as the MoJ timeline include takes it: the text as paragraphs, then a link to
    the document it carries."""
    # linebreaks escapes the text itself (autoescape=True), so its <p> markup is safe.
    parts = [mark_safe(linebreaks(entry.text, autoescape=True))] if entry.text else []  # noqa: S308
    if entry.document is not None:
        name = entry.document.original_name
        if entry.document_url:
            parts.append(
                format_html(
                    '<p class="govuk-body"><a class="govuk-link" href="{}">{}</a></p>',
                    entry.document_url,
                    name,
                )
            )
        else:
            parts.append(format_html('<p class="govuk-body">{}</p>', name))
    if entry.link is not None and entry.link[1]:
        text, url = entry.link
        parts.append(
            format_html(
                '<p class="govuk-body"><a class="govuk-link" href="{}">{}</a></p>', url, text
            )
        )
    return {
        "title": entry.title,
        "byline": entry.by,
        "datetime": entry.shown_at,
        "html": format_html_join("", "{}", ((part,) for part in parts)) if parts else "",
    }


urlpatterns: list = [path("<str:reference>/", case, name="case")]

"""Fixtures and helpers shared by the response screen tests (this module holds no tests).

Complaints are prepared through the real services: logged on Monday 5 January 2026,
acknowledged on Tuesday 6 January 2026 with two points of complaint, handled by ``handler``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from putright.complaints import services
from putright.complaints.models import Channel, Complaint
from putright.organisation.models import ExclusionReason
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory, StaffUserFactory

# Star-imported by the test modules for their fixtures; helpers are imported by name.
__all__ = [
    "board_member",
    "complaint",
    "drafted",
    "escalation_reason",
    "handler",
    "manager",
    "responded",
    "reviewer",
    "signed_off",
]

D = dt.date
LONDON = ZoneInfo("Europe/London")
RECEIVED_AT = dt.datetime(2026, 1, 5, 10, tzinfo=LONDON)
ACKNOWLEDGED_ON = D(2026, 1, 6)
POINTS = [
    ("The damp in the bedroom was not treated.", "Treat the damp and redecorate."),
    ("Nobody called back as promised.", "An apology."),
]
DECISIONS = {
    1: ("upheld", "The damp was reported in May and not treated."),
    2: ("partly_upheld", "One call back was missed; the second was made."),
}


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Hana Handler")


@pytest.fixture
def reviewer(db):
    return StaffUserFactory(role="Quality reviewer", full_name="Rhys Reviewer")


@pytest.fixture
def manager(db):
    return StaffUserFactory(role="Complaints manager", full_name="Mina Manager")


@pytest.fixture
def board_member(db):
    return StaffUserFactory(role="Board member")


def log_complaint(handler: Any, **kwargs: Any) -> Complaint:
    kwargs.setdefault("complainant", ResidentFactory())
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Nobody has fixed the damp in my bedroom since May.")
    kwargs.setdefault("received_at", RECEIVED_AT)
    return services.complaint_log(acting_user=handler, handler=handler, **kwargs)


def acknowledge(handler: Any, complaint: Complaint, points=POINTS) -> Complaint:
    return flow.acknowledge(
        acting_user=handler, complaint=complaint, on=ACKNOWLEDGED_ON, points=list(points)
    )


@pytest.fixture
def complaint(handler):
    """Stage 1 open, acknowledged with two points of complaint."""
    return acknowledge(handler, log_complaint(handler))


def draft(handler: Any, complaint: Complaint, **kwargs: Any) -> Complaint:
    kwargs.setdefault("decisions", DECISIONS)
    kwargs.setdefault("on", D(2026, 1, 15))
    return services.response_draft_submit(acting_user=handler, complaint=complaint, **kwargs)


@pytest.fixture
def drafted(complaint, handler):
    """The complaint with a drafted stage 1 response: a remedy and an action."""
    return draft(
        handler,
        complaint,
        remedies=[{"kind": "compensation", "description": "For the delay.", "amount_pence": 12550}],
        actions=[
            {"description": "Treat the damp.", "owner": handler, "due_on": D(2026, 2, 27)},
        ],
        root_causes=["delay"],
    )


@pytest.fixture
def signed_off(drafted, reviewer):
    return services.response_sign_off(acting_user=reviewer, complaint=drafted, on=D(2026, 1, 16))


@pytest.fixture
def responded(signed_off, handler):
    """Stage 1 responded on Tuesday 20 January 2026."""
    return flow.respond(acting_user=handler, complaint=signed_off, on=D(2026, 1, 20))


@pytest.fixture
def escalation_reason(db):
    return ExclusionReason.objects.create(
        code="test-court",
        label="The matter is before a court",
        description="Legal proceedings have started about the same issue.",
        applies_to=ExclusionReason.AppliesTo.ESCALATION,
    )


def url(name: str, complaint: Complaint, **kwargs: Any) -> str:
    return reverse(f"casework:{name}", kwargs={"reference": complaint.reference, **kwargs})


def date_data(name: str, value: D | tuple[str, str, str]) -> dict[str, str]:
    day, month, year = (
        (str(value.day), str(value.month), str(value.year)) if isinstance(value, D) else value
    )
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def assert_error_beside(response: Any, field_id: str, message: str) -> None:
    """The error message is shown in the field's form group and the field points to it."""
    html = response.content.decode()
    pattern = (
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">'
        rf'<span class="govuk-visually-hidden">Error:</span> {re.escape(escape(message))}</p>'
    )
    assert re.search(pattern, html), f"no error {message!r} beside {field_id}"
    assert re.search(rf'aria-describedby="[^"]*\b{re.escape(field_id)}-error\b', html), (
        f"{field_id} is not described by its error"
    )
    assert "govuk-error-summary" in html


def messages(response: Any) -> list[str]:
    """The success (or other) messages a response left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def error_summary(html: str) -> str:
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def assert_stale_message(response: Any, complaint: Complaint) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Complaint {complaint.reference} was changed by someone else" in html
    assert "Reload it to see the changes" in html

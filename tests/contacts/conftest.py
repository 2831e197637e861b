"""Fixtures for contacts: staff in each role, a resident with a housing-system reference, and
complaints open and closed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services as complaint_services
from putright.complaints.models import Channel, Complaint
from tests.accounts.helpers import make_staff
from tests.people.factories import ResidentFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 5, 20)  # a Wednesday, after Easter and the early May bank holiday


@pytest.fixture
def today(set_today):
    return set_today(TODAY)


@pytest.fixture
def handler(db):
    return make_staff("Case handler")


@pytest.fixture
def manager(db):
    return make_staff("Complaints manager")


@pytest.fixture
def board(db):
    return make_staff("Board member")


@pytest.fixture
def resident(db):
    return ResidentFactory(reference="T-10042", first_name="Ada", last_name="Okafor")


def log_complaint(handler, resident=None, *, service_request_reference: str = "") -> Complaint:
    return complaint_services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=resident or ResidentFactory(),
        channel=Channel.PHONE,
        received_at=dt.datetime(2026, 4, 14, 10, tzinfo=LONDON),
        description="The boiler repair was not finished.",
        service_request_reference=service_request_reference,
    )


@pytest.fixture
def complaint(handler, resident, today) -> Complaint:
    return log_complaint(handler, resident)


@pytest.fixture
def closed_complaint(handler, resident, today) -> Complaint:
    """A complaint that has closed (its route there is casework's business, tested there)."""
    complaint = log_complaint(handler, resident)
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    complaint.refresh_from_db()
    return complaint

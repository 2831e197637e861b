"""Fixtures for Ombudsman casework: staff in each role, complaints referred, a case."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services as complaint_services
from putright.complaints.models import Channel, Complaint
from putright.ombudsman import services
from putright.ombudsman.models import OmbudsmanCase
from putright.organisation.models import Category
from tests.accounts.helpers import make_staff
from tests.people.factories import ResidentFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 2, 10)  # a Tuesday, financial year 2025 to 2026


@pytest.fixture
def today(set_today):
    return set_today(TODAY)


@pytest.fixture
def manager(db):
    return make_staff("Complaints manager")


@pytest.fixture
def handler(db):
    return make_staff("Case handler")


@pytest.fixture
def board(db):
    return make_staff("Board member")


@pytest.fixture
def repairs(db):
    return Category.objects.create(name="Test repairs")


def log_complaint(handler, *, day: int = 5) -> Complaint:
    return complaint_services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(last_name="Okonkwo"),
        channel=Channel.PHONE,
        received_at=dt.datetime(2025, 6, day, 10, tzinfo=LONDON),
        description="The damp in the bedroom has come back.",
    )


@pytest.fixture
def complaint(handler, today) -> Complaint:
    return log_complaint(handler)


def open_case(manager, complaint, reference: str = "202512345", **overrides) -> OmbudsmanCase:
    fields = {
        "acting_user": manager,
        "reference": reference,
        "referred_on": dt.date(2025, 10, 1),
        "complaints": [complaint],
        **overrides,
    }
    return services.case_open(**fields)


def determined_case(manager, complaint, reference: str = "202512345") -> OmbudsmanCase:
    case = open_case(manager, complaint, reference, stage="investigation")
    return services.determination_record(acting_user=manager, case=case, on=dt.date(2026, 1, 8))


@pytest.fixture
def case(manager, complaint) -> OmbudsmanCase:
    return open_case(manager, complaint)

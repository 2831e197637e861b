"""Fixtures for learning: staff in each role, complaints to learn from, categories and areas."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services as complaint_services
from putright.complaints.models import Channel, Complaint
from putright.learning import services
from putright.learning.models import ImprovementPlan, Lesson
from putright.organisation.models import BusinessArea, Category
from tests.accounts.helpers import make_staff
from tests.people.factories import ResidentFactory

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 2, 10)  # in the financial year 2025 to 2026, quarter 4


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


@pytest.fixture
def damp(repairs):
    return Category.objects.create(name="Test damp", parent=repairs)


@pytest.fixture
def asb(db):
    return Category.objects.create(name="Test neighbours")


@pytest.fixture
def property_services(db):
    return BusinessArea.objects.create(name="Test property services")


@pytest.fixture
def housing(db):
    return BusinessArea.objects.create(name="Test housing management")


def log_complaint(handler, *, confidential: bool = False, day: int = 5) -> Complaint:
    complaint = complaint_services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(last_name="Okonkwo"),
        channel=Channel.PHONE,
        received_at=dt.datetime(2026, 1, day, 10, tzinfo=LONDON),
        description="The damp in the bedroom has come back.",
    )
    if confidential:
        Complaint.objects.filter(pk=complaint.pk).update(is_confidential=True)
        complaint.refresh_from_db()
    return complaint


@pytest.fixture
def complaint(handler, today) -> Complaint:
    return log_complaint(handler)


def lesson(acting_user, **overrides) -> Lesson:
    fields = {
        "acting_user": acting_user,
        "title": "Damp reports were closed before the cause was found",
        "what_happened": "Repairs closed damp jobs after a mould wash, without a survey.",
        "root_cause": "quality_of_work",
        "learning": "A mould wash treats the sign, not the cause.",
        "owner": acting_user,
        "identified_on": dt.date(2026, 1, 20),
        **overrides,
    }
    return services.lesson_record(**fields)


def plan(manager, year: int = 2025) -> ImprovementPlan:
    return services.plan_create(acting_user=manager, year=year)

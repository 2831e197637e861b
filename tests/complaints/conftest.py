"""Fixtures for complaint tests: a logged complaint and staff to act on it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services
from putright.complaints.models import Channel
from putright.organisation.selectors import get_organisation
from tests.complaints.helpers import stage_copies_out_of_step
from tests.people.factories import ResidentFactory, StaffUserFactory

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


MON_22_DEC_2025 = at(2025, 12, 22)


@pytest.fixture
def officer(db):
    return StaffUserFactory()


@pytest.fixture(autouse=True)
def sign_off_required(db) -> bool:
    """Whether the organisation asks for responses to be signed off: not here, so a test about
    something else can issue a response directly. Tests of the quality check override this."""
    organisation = get_organisation()
    organisation.stage1_requires_sign_off = organisation.stage2_requires_sign_off = False
    organisation.save()
    return False


@pytest.fixture(autouse=True)
def stage_copies_in_step(db):
    """After every engine test, whatever steps it took: each stage's copies of its complaint's
    facts, which the report counts by, still agree with the complaint."""
    yield
    assert stage_copies_out_of_step() == []


@pytest.fixture
def log(officer):
    """Log a complaint received (by default) on Mon 22 Dec 2025, allocated to ``officer``."""

    def _log(received_at: dt.datetime = MON_22_DEC_2025, **kwargs):
        kwargs.setdefault("handler", officer)
        kwargs.setdefault("complainant", ResidentFactory())
        kwargs.setdefault("channel", Channel.PHONE)
        kwargs.setdefault("description", "Nobody has fixed the damp in my bedroom since May.")
        return services.complaint_log(acting_user=officer, received_at=received_at, **kwargs)

    return _log

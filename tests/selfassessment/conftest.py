"""Fixtures for the self-assessment: staff in each role, a fixed today, answered assessments."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.ombudsman import services as ombudsman
from putright.ombudsman.models import OmbudsmanCase
from putright.selfassessment import services
from putright.selfassessment.models import Answer, SelfAssessment
from tests.accounts.helpers import make_staff

TODAY = dt.date(2026, 2, 10)  # in the reporting year 2025-26


@pytest.fixture
def today(set_today):
    return set_today(TODAY)


@pytest.fixture
def manager(db):
    return make_staff("Complaints manager")


@pytest.fixture
def board(db):
    return make_staff("Board member")


@pytest.fixture
def reviewer(db):
    return make_staff("Quality reviewer")


@pytest.fixture
def handler(db):
    return make_staff("Case handler")


@pytest.fixture
def ombudsman_case(manager, today) -> OmbudsmanCase:
    return ombudsman.case_open(
        acting_user=manager,
        reference="202512345",
        referred_on=dt.date(2025, 11, 3),
        complaints=[],
        complaints_unknown=True,
        stage="investigation",
    )


def annual(manager, year: int = 2024) -> SelfAssessment:
    return services.assessment_start(acting_user=manager, trigger="annual", reporting_year=year)


def answer(manager, assessment: SelfAssessment, provision: str, **fields) -> Answer:
    current = Answer.objects.get(assessment=assessment, provision=provision)
    return services.provision_answer(
        acting_user=manager,
        assessment=assessment,
        provision=provision,
        expected_version=fields.pop("expected_version", current.version),
        **{"comply": "yes", "evidence": "", **fields},
    )

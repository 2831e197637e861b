"""Fixtures for putting things right: a stage 1 response issued with financial remedies, and
compensation rows made directly for the register's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from putright.complaints.models import Remedy, RemedyKind, Stage
from putright.redress import services
from putright.redress.models import Compensation
from tests.casework.test_response_support import acknowledge, draft, log_complaint
from tests.complaints import helpers as flow
from tests.people.factories import StaffUserFactory

D = dt.date
RESPONDED_ON = D(2026, 1, 20)


@pytest.fixture(autouse=True)
def _named(named_organisation):
    """Responses issue letters, signed with the organisation's name."""


@pytest.fixture
def handler(db):
    return StaffUserFactory(role="Case handler", full_name="Hana Handler")


@pytest.fixture
def manager(db):
    return StaffUserFactory(role="Complaints manager", full_name="Mina Manager")


@pytest.fixture
def board_member(db):
    return StaffUserFactory(role="Board member")


def respond_with(handler: Any, remedies: list[dict]) -> Stage:
    """A complaint logged, acknowledged and answered at stage 1 on 20 January 2026 with these
    remedies (signed off by a colleague where the organisation requires it); returns the stage."""
    complaint = acknowledge(handler, log_complaint(handler))
    complaint = draft(handler, complaint, remedies=remedies)
    complaint = flow.respond(acting_user=handler, complaint=complaint, on=RESPONDED_ON)
    return Stage.objects.get(complaint=complaint, number=1)


def financial(amount_pence: int, description: str = "For the delay.") -> dict:
    return {"kind": "compensation", "description": description, "amount_pence": amount_pence}


@pytest.fixture
def remedy(handler) -> Remedy:
    """A financial remedy of £350 issued on 20 January 2026."""
    stage = respond_with(handler, [financial(35_000)])
    return stage.remedies.get()


def offer(remedy: Remedy, user: Any, **kwargs: Any) -> Compensation:
    kwargs.setdefault("heads", {"distress_pence": 25_000, "complaint_handling_pence": 10_000})
    return services.compensation_offer(acting_user=user, remedy=remedy, **kwargs)


@pytest.fixture
def offered(remedy, handler) -> Compensation:
    return offer(remedy, handler)


@pytest.fixture
def accepted(offered, handler) -> Compensation:
    return services.compensation_accept(
        acting_user=handler, compensation=offered, on=D(2026, 1, 22)
    )


@pytest.fixture
def approved(accepted, manager) -> Compensation:
    """Approved by a complaints manager: £350 is above a case handler's default limit."""
    return services.compensation_approve(
        acting_user=manager, compensation=accepted, on=D(2026, 1, 23)
    )


@pytest.fixture
def paid(approved, handler) -> Compensation:
    return services.compensation_pay(
        acting_user=handler,
        compensation=approved,
        method=Compensation.Method.BANK_TRANSFER,
        reference="BACS-0001",
        on=D(2026, 1, 26),
    )


def payment(stage: Stage, amount_pence: int, **fields: Any) -> Compensation:
    """A compensation row made directly (for the register's figures): all of it under one head
    unless heads are given."""
    remedy = Remedy.objects.create(
        stage=stage, kind=RemedyKind.COMPENSATION, description="Test", amount_pence=amount_pence
    )
    head = fields.pop("head", "distress_pence")
    fields.setdefault(head, amount_pence)
    fields.setdefault("offered_on", D(2025, 6, 1))
    return Compensation.objects.create(
        remedy=remedy,
        stage=stage,
        complaint_id=stage.complaint_id,
        amount_pence=amount_pence,
        **fields,
    )

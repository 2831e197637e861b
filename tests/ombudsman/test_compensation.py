"""An order's compensation flows into the payments register (putright.redress): the payment is
offered there as ordered by the Ombudsman, then linked to the order, so it is counted once."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.core.errors import InvalidInput, StepRefused
from putright.ombudsman import services
from tests.ombudsman.conftest import open_case
from tests.redress.conftest import financial, offer, respond_with


@pytest.fixture(autouse=True)
def _named(named_organisation):
    """Responses issue letters, signed with the organisation's name."""


def test_an_ordered_payment_is_linked_once_to_its_order(manager, handler):
    stage = respond_with(handler, [financial(35_000)])
    complaint = stage.complaint
    case = open_case(manager, complaint, stage="investigation", referred_on=dt.date(2026, 1, 25))
    services.determination_record(acting_user=manager, case=case, on=dt.date(2026, 2, 2))
    order = services.order_record(
        acting_user=manager,
        case=case,
        what="Pay £350",
        due_on=dt.date(2026, 3, 2),
        compensation_pence=35_000,
    )
    payment = offer(stage.remedies.get(), handler, ombudsman="ordered")
    linked = services.order_link_compensation(
        acting_user=manager, order=order, compensation=payment
    )
    assert linked.compensation == payment
    assert payment.ombudsman_order == linked
    with pytest.raises(StepRefused) as caught:
        services.order_link_compensation(acting_user=manager, order=order, compensation=payment)
    assert caught.value.code == "already_linked"


def test_a_payment_not_ordered_or_not_on_the_case_is_refused(manager, handler):
    stage = respond_with(handler, [financial(20_000)])
    other = respond_with(handler, [financial(20_000)])
    case = open_case(
        manager, stage.complaint, stage="investigation", referred_on=dt.date(2026, 1, 25)
    )
    services.determination_record(acting_user=manager, case=case, on=dt.date(2026, 2, 2))
    order = services.order_record(
        acting_user=manager,
        case=case,
        what="Pay",
        due_on=dt.date(2026, 3, 2),
        compensation_pence=20_000,
    )
    own = offer(stage.remedies.get(), handler, heads={"distress_pence": 20_000})
    with pytest.raises(InvalidInput) as caught:
        services.order_link_compensation(acting_user=manager, order=order, compensation=own)
    assert caught.value.code == "not_ordered"
    elsewhere = offer(
        other.remedies.get(), handler, heads={"distress_pence": 20_000}, ombudsman="ordered"
    )
    with pytest.raises(InvalidInput) as caught:
        services.order_link_compensation(acting_user=manager, order=order, compensation=elsewhere)
    assert caught.value.code == "compensation_not_on_case"

"""Logging extras: representative, business area, service request, receiver, co-complainants."""

from __future__ import annotations

import pytest

from putright.complaints.models import Complaint, ComplaintEvent, ReferenceCounter
from putright.core.errors import InvalidInput, StepRefused
from putright.organisation.models import BusinessArea
from tests.people.factories import RepresentativeFactory, ResidentFactory


def counts() -> tuple:
    return (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        list(ReferenceCounter.objects.values()),
    )


def test_the_extras_are_recorded(log):
    resident = ResidentFactory()
    representative = RepresentativeFactory(resident=resident)
    area, _ = BusinessArea.objects.get_or_create(name="Repairs (test)")
    neighbours = [ResidentFactory(), ResidentFactory()]
    complaint = log(
        complainant=resident,
        representative=representative,
        business_area=area,
        service_request_reference=" SR-1234 ",
        received_by=" Reception, Bow office ",
        other_complainants=[*neighbours, neighbours[0]],
    )
    complaint.refresh_from_db()
    assert complaint.representative == representative
    assert complaint.business_area == area
    assert complaint.service_request_reference == "SR-1234"
    assert complaint.received_by == "Reception, Bow office"
    assert set(complaint.co_complainants.all()) == set(neighbours)
    changes = complaint.events.get(action=ComplaintEvent.Action.LOGGED).changes
    assert changes["service_request_reference"] == [None, "SR-1234"]
    assert len(changes["co_complainants"][1]) == 2


def test_the_extras_are_optional(log):
    complaint = log()
    assert complaint.representative is None
    assert complaint.business_area is None
    assert complaint.service_request_reference == ""
    assert complaint.received_by == ""
    assert not complaint.co_complainants.exists()


def test_a_representative_of_someone_else_is_refused(log, db):
    representative = RepresentativeFactory()
    before = counts()
    with pytest.raises(StepRefused) as exc:
        log(complainant=ResidentFactory(), representative=representative)
    assert exc.value.code == "representative_mismatch"
    assert counts() == before


def test_a_representative_whose_authority_has_ended_is_refused(log, db):
    import datetime as dt

    resident = ResidentFactory()
    representative = RepresentativeFactory(
        resident=resident, is_active=False, ended_on=dt.date(2025, 6, 1)
    )
    before = counts()
    with pytest.raises(StepRefused) as exc:
        log(complainant=resident, representative=representative)
    assert exc.value.code == "representative_ended"
    assert "1 June 2025" in exc.value.message
    assert counts() == before


def test_the_complainant_cannot_also_be_a_co_complainant(log, db):
    resident = ResidentFactory()
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        log(complainant=resident, other_complainants=[resident])
    assert exc.value.code == "co_complainant_is_complainant"
    assert counts() == before

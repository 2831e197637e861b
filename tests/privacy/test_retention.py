"""The retention job anonymises what has passed its period and keeps every count the reports
need; nothing of the person is left anywhere; a second run changes nothing; recent records and
current tenants are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from putright.complaints import services
from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Document,
    Note,
    Point,
    Refusal,
    Remedy,
    Stage,
)
from putright.complaints.search import matching
from putright.people import services as people
from putright.people.models import (
    EqualityData,
    Representative,
    Resident,
    ResidentEvent,
    Tenancy,
    Tenure,
)
from putright.privacy.models import AnonymisedComplaint, AnonymisedResident
from putright.privacy.redaction import REDACTED
from putright.privacy.retention import complaints_past_retention, years_before
from putright.privacy.services import retention_sweep
from putright.privacy.tasks import anonymise_past_retention
from tests.complaints.conftest import at
from tests.complaints.helpers import acknowledge
from tests.people.factories import PropertyFactory, ResidentFactory
from tests.privacy import records
from tests.privacy.helpers import counts, everything, where_found

D = dt.date
BUILT_BY = D(2026, 3, 31)
# Six years (the default) after the last step on any of the four complaints (27 January and
# 2 March 2026) and after the tenancy ended (27 March 2026), with room to spare: records written
# today (created_at) must be older than the period as well.
JOB_DAY = D(2040, 6, 1)


@pytest.fixture
def zebedee(officer, set_today, media):
    set_today(BUILT_BY)
    built = records.build_person(officer)
    built.complaints = records.build_complaints(
        officer, built.person, built.home, built.representative
    )
    return built


@pytest.fixture
def recent(officer, set_today):
    """Someone who complained a month before the job runs: kept, whole."""
    set_today(D(2040, 5, 31))
    person = people.resident_create(
        acting_user=officer, first_name="Wilhelmina", last_name="Recentcombe", on=D(2040, 5, 1)
    )
    complaint = services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=person,
        channel="phone",
        received_at=at(2040, 5, 1),
        description="Wilhelmina Recentcombe: the boiler has failed.",
        tenure_at_receipt=Tenure.LCHO_SHARED_OWNERSHIP,
        category=records.categories()[1],
    )
    acknowledge(acting_user=officer, complaint=complaint, on=D(2040, 5, 2))
    services.complaint_withdraw(
        acting_user=officer, complaint=complaint, reason="Mended.", on=D(2040, 5, 3)
    )
    return person


def statistics() -> dict:
    """What the board's reports count: by stage, status, outcome, finding, category, tenure,
    channel, timeliness, refusal reason, and the money."""
    return {
        "stage": counts(Complaint, "stage_number"),
        "status": counts(Complaint, "status", "closure_reason"),
        "received": counts(Complaint, "received_on", "channel"),
        "category": counts(Complaint, "category", "sub_category"),
        "tenure": counts(Complaint, "tenure_at_receipt"),
        "flags": counts(Complaint, "is_vulnerable", "is_confidential", "is_breached"),
        "outcome": counts(Stage, "number", "outcome"),
        "finding": counts(Decision, "point__stage__number", "finding"),
        "timeliness": counts(
            Stage, "number", "ack_within_code", "response_within_code", "response_within_extension"
        ),
        "dates": counts(Stage, "number", "received_on", "acknowledged_on", "responded_on"),
        "refusals": counts(Refusal, "kind", "reason", "decided_on"),
        "remedies": counts(Remedy, "kind", "amount_pence"),
        "points": counts(Point, "stage__number"),
        "records": counts(Correspondence, "direction", "channel", "party", "happened_on"),
        "documents": counts(Document, "kind", "content_type", "size"),
        "events": counts(ComplaintEvent, "action", "happened_on"),
        "residents": counts(Resident, "kind"),
        "equality": counts(EqualityData, "age_band", "sex", "ethnicity"),
    }


def test_the_job_keeps_every_count_and_leaves_nothing_of_the_person(
    zebedee, recent, set_today, media
):
    assert where_found(*records.PERSONAL)  # the search can see them, index included
    if connection.vendor == "sqlite":
        assert ("complaints_complaint_fts_data", "block") in where_found(records.NAME[1])
    before = statistics()

    set_today(JOB_DAY)
    assert retention_sweep() == {"complaints": 4, "residents": 1}

    after = statistics()
    assert after.pop("events") == {
        **before.pop("events"),
        ("anonymised", JOB_DAY): 4,
    }
    assert after == before
    assert where_found(*records.PERSONAL) == set()
    # The home stays the landlord's, but nothing links the person to it any more.
    assert where_found(records.HOME_POSTCODE) == {("people_property", "postcode")}
    assert not Tenancy.objects.filter(resident=zebedee.person).exists()
    assert not Complaint.objects.filter(property=zebedee.home).exists()
    assert not ResidentEvent.objects.filter(property=zebedee.home).exists()
    # The files themselves are gone from storage, not only from the record.
    assert [path for path in media.rglob("*") if path.is_file()] == []
    assert not Complaint.objects.filter(matching("quillfeather")).exists()


def test_what_stays_and_what_goes_on_each_record(zebedee, set_today):
    set_today(JOB_DAY)
    retention_sweep()
    answered = Complaint.objects.get(pk=zebedee.complaints[0].pk)
    assert (answered.description, answered.search_text, answered.property) == (REDACTED, "", None)
    assert answered.status == "stage2_responded"
    assert answered.tenure_at_receipt == Tenure.LCRA_GENERAL_NEEDS
    assert answered.version == zebedee.complaints[0].version + 1
    assert set(Note.objects.filter(complaint=answered).values_list("text", flat=True)) == {REDACTED}
    document = Document.objects.get(complaint=answered)
    assert (document.original_name, document.file.name) == (REDACTED, "")
    assert Remedy.objects.get(stage__complaint=answered).amount_pence == 25000
    person = Resident.objects.get(pk=zebedee.person.pk)
    assert (person.full_name, person.reference, person.email, person.date_of_birth) == (
        "Anonymised",
        None,
        "",
        None,
    )
    assert Representative.objects.get(resident=person).name == "Anonymised"
    assert EqualityData.objects.get(resident=person).age_band == "75_plus"
    logged = ComplaintEvent.objects.get(complaint=answered, action="logged")
    assert logged.summary == "Complaint logged"
    assert logged.changes["channel"] == [None, "email"]
    assert logged.changes["received_on"] == [None, "2025-12-22"]
    assert logged.changes["complainant"] == [None, {"id": person.pk, "label": REDACTED}]
    responded = ComplaintEvent.objects.filter(complaint=answered, action="responded").first()
    assert responded.changes["decisions"] == [None, {"1": ["upheld", REDACTED]}]
    assert responded.changes["remedies"][1][0]["amount_pence"] == 25000
    marker = ComplaintEvent.objects.get(complaint=answered, action="anonymised")
    assert (marker.actor, marker.happened_on) == (None, JOB_DAY)
    assert AnonymisedComplaint.objects.count() == 4
    assert AnonymisedResident.objects.get().resident == person


def test_running_the_job_again_changes_nothing(zebedee, recent, set_today):
    set_today(JOB_DAY)
    retention_sweep()
    first = everything()
    assert anonymise_past_retention.call() == {"complaints": 0, "residents": 0}
    assert everything() == first


def test_someone_who_complained_recently_is_untouched(zebedee, recent, set_today):
    complaint = Complaint.objects.get(complainant=recent)
    rows_before = (
        list(Resident.objects.filter(pk=recent.pk).values()),
        list(Complaint.objects.filter(pk=complaint.pk).values()),
        list(ComplaintEvent.objects.filter(complaint=complaint).values()),
        list(ResidentEvent.objects.filter(resident=recent).values()),
    )
    set_today(JOB_DAY)
    retention_sweep()
    assert rows_before == (
        list(Resident.objects.filter(pk=recent.pk).values()),
        list(Complaint.objects.filter(pk=complaint.pk).values()),
        list(ComplaintEvent.objects.filter(complaint=complaint).values()),
        list(ResidentEvent.objects.filter(resident=recent).values()),
    )
    assert where_found("Recentcombe")


def test_a_complaint_is_kept_until_six_years_after_its_last_step(zebedee, set_today):
    # The last step on the complaint answered at stage 2 was its response, 27 January 2026.
    answered = zebedee.complaints[0]
    set_today(D(2032, 1, 27))
    assert answered not in complaints_past_retention(today=D(2032, 1, 27))
    set_today(D(2032, 1, 28))
    assert answered in complaints_past_retention(today=D(2032, 1, 28))
    assert years_before(D(2032, 2, 29), 6) == D(2026, 2, 28)


def test_a_current_tenant_keeps_their_record_when_their_old_complaints_go(officer, set_today):
    set_today(BUILT_BY)
    tenant = ResidentFactory(first_name="Ottoline", last_name="Stayput")
    people.tenancy_start(
        resident=tenant,
        property=PropertyFactory(),
        tenure=Tenure.LCRA_GENERAL_NEEDS,
        start_date=D(2010, 4, 5),
        acting_user=officer,
        on=D(2025, 12, 1),
    )
    complaint = services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=tenant,
        channel="phone",
        received_at=at(2025, 12, 22),
        description="Ottoline Stayput: the lift is broken.",
    )
    services.complaint_withdraw(acting_user=officer, complaint=complaint, on=D(2025, 12, 23))
    set_today(JOB_DAY)
    assert retention_sweep() == {"complaints": 1, "residents": 0}
    tenant.refresh_from_db()
    assert tenant.full_name == "Ottoline Stayput"
    assert Complaint.objects.get(pk=complaint.pk).description == REDACTED


def test_an_open_complaint_or_an_open_action_keeps_the_record(log, officer, set_today):
    set_today(BUILT_BY)
    open_complaint = log()
    promised = log()
    acknowledge(acting_user=officer, complaint=promised, on=D(2025, 12, 23))
    services.stage_respond(
        acting_user=officer,
        complaint=promised,
        on=D(2026, 1, 5),
        decisions={1: ("upheld", "Yes.")},
        actions=[{"description": "Fix it.", "due_on": D(2026, 2, 2)}],
    )
    services.complaint_escalate(acting_user=officer, complaint=promised, on=D(2026, 1, 6))
    services.complaint_withdraw(acting_user=officer, complaint=promised, on=D(2026, 1, 7))
    set_today(JOB_DAY)
    assert retention_sweep() == {"complaints": 0, "residents": 0}
    assert Complaint.objects.get(pk=open_complaint.pk).description != REDACTED
    assert Complaint.objects.get(pk=promised.pk).description != REDACTED


def test_a_retention_period_under_a_year_fails_the_system_checks(settings):
    from putright.privacy.checks import retention_periods

    assert retention_periods(None) == []
    settings.PUTRIGHT_RETAIN_COMPLAINT_YEARS = 0
    assert [error.id for error in retention_periods(None)] == ["putright.privacy.E001"]

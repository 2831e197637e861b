import datetime as dt

import pytest

from putright.accounts import roles
from putright.core.errors import InvalidInput, StepRefused
from putright.people import services
from putright.people.models import (
    AuthorityMethod,
    ContactMethod,
    EndReason,
    EqualityData,
    Property,
    Relationship,
    Resident,
    ResidentEvent,
    ResidentKind,
    Tenancy,
    Tenure,
)
from tests.people.factories import (
    AdjustmentFactory,
    DisabilityFactory,
    PropertyFactory,
    RepresentativeFactory,
    ResidentFactory,
    RestrictionFactory,
    StaffUserFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db

MON_6_JAN_2025 = dt.date(2025, 1, 6)


@pytest.fixture
def handler():
    return StaffUserFactory(role=roles.CASE_HANDLER)


def only_event(resident=None, **filters):
    events = ResidentEvent.objects.filter(**({"resident": resident} if resident else {}), **filters)
    assert events.count() == 1
    return events.get()


def refused(exc_info, code, field=None):
    assert exc_info.value.code == code, exc_info.value.message
    if field is not None:
        assert exc_info.value.field == field
    return exc_info.value


# --- residents ---------------------------------------------------------------------------------


def test_resident_create_records_who_when_and_every_value(handler):
    resident = services.resident_create(
        acting_user=handler,
        on=MON_6_JAN_2025,
        title="Ms",
        first_name=" Aisha ",
        last_name="Khan",
        email="aisha.khan@example.com",
        preferred_contact_method=ContactMethod.EMAIL,
        reference="GH0000001",
    )

    assert resident.first_name == "Aisha"
    event = only_event(resident)
    assert event.action == "resident_created"
    assert event.actor == handler
    assert event.happened_on == MON_6_JAN_2025
    assert event.changes["last_name"] == [None, "Khan"]
    assert event.changes["email"] == [None, "aisha.khan@example.com"]
    assert "date_of_birth" not in event.changes  # nothing recorded, nothing listed


def test_resident_create_defaults_the_step_date_to_today_in_london(handler, set_today):
    set_today(dt.date(2025, 3, 30))
    resident = services.resident_create(acting_user=handler, last_name="Okafor")
    assert only_event(resident).happened_on == dt.date(2025, 3, 30)


def test_resident_create_without_a_staff_user_records_no_actor():
    resident = services.resident_create(acting_user=None, last_name="Nowak")
    assert only_event(resident).actor is None


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"last_name": "  "}, "last_name_required", "last_name"),
        ({"email": "not-an-address"}, "email_invalid", "email"),
        ({"preferred_contact_method": ContactMethod.EMAIL}, "email_needed", "email"),
        ({"preferred_contact_method": ContactMethod.TEXT}, "phone_needed", "phone"),
        ({"date_of_birth": dt.date(2099, 1, 1)}, "date_of_birth_in_future", "date_of_birth"),
        ({"kind": "lodger"}, "kind_invalid", "kind"),
    ],
)
def test_resident_create_refuses_incomplete_or_inconsistent_details(handler, fields, code, field):
    values = {"last_name": "Evans", **fields}
    with pytest.raises(InvalidInput) as exc_info:
        services.resident_create(acting_user=handler, **values)
    refused(exc_info, code, field)
    assert not Resident.objects.exists()
    assert not ResidentEvent.objects.exists()


def test_resident_create_refuses_a_reference_someone_else_has(handler):
    ResidentFactory(reference="GH0000007")
    with pytest.raises(InvalidInput) as exc_info:
        services.resident_create(acting_user=handler, last_name="Ali", reference="GH0000007")
    refused(exc_info, "reference_taken", "reference")


def test_resident_update_records_old_and_new_values_of_what_changed(handler):
    resident = ResidentFactory(phone="07700 900001", language="English")
    services.resident_update(
        resident=resident,
        data={"phone": "07700 900002", "language": "Polish", "interpreter_needed": True},
        acting_user=handler,
        on=MON_6_JAN_2025,
    )

    resident.refresh_from_db()
    assert resident.language == "Polish"
    event = only_event(resident)
    assert event.action == "resident_updated"
    assert event.changes == {
        "phone": ["07700 900001", "07700 900002"],
        "language": ["English", "Polish"],
        "interpreter_needed": [False, True],
    }


def test_resident_update_that_changes_nothing_writes_no_history(handler):
    resident = ResidentFactory(language="English")
    services.resident_update(resident=resident, data={"language": "English"}, acting_user=handler)
    assert not ResidentEvent.objects.exists()


def test_resident_update_refuses_fields_it_does_not_manage(handler):
    resident = ResidentFactory()
    with pytest.raises(InvalidInput) as exc_info:
        services.resident_update(resident=resident, data={"id": 99}, acting_user=handler)
    refused(exc_info, "unknown_field", "id")


def test_resident_update_rolls_back_when_refused(handler):
    resident = ResidentFactory(email="", phone="07700 900003")
    with pytest.raises(InvalidInput):
        services.resident_update(
            resident=resident,
            data={"phone": "", "preferred_contact_method": ContactMethod.PHONE},
            acting_user=handler,
        )
    resident.refresh_from_db()
    assert resident.phone == "07700 900003"


# --- homes and tenancies -------------------------------------------------------------------------


def test_property_create_tidies_the_postcode_and_records_the_home(handler):
    home = services.property_create(
        acting_user=handler,
        on=MON_6_JAN_2025,
        address_line_1="14 Canal Wharf",
        town="Greenway",
        postcode="gw1 4aq",
        uprn="100090000123",
        scheme="Wharfside",
    )
    assert home.postcode == "GW1 4AQ"
    event = only_event(property=home)
    assert event.resident is None
    assert event.action == "property_created"
    assert event.changes["postcode"] == [None, "GW1 4AQ"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"postcode": "not a postcode"}, "postcode_invalid"),
        ({"uprn": "12AB"}, "uprn_invalid"),
        ({"address_line_1": ""}, "address_line_1_required"),
        ({"property_type": "castle"}, "property_type_invalid"),
    ],
)
def test_property_create_refuses_bad_details(handler, fields, code):
    values = {"address_line_1": "1 Mill Lane", "town": "Greenway", "postcode": "GW1 1AA"}
    with pytest.raises(InvalidInput) as exc_info:
        services.property_create(acting_user=handler, **(values | fields))
    refused(exc_info, code)
    assert not Property.objects.exists()


def test_property_create_refuses_a_uprn_already_used(handler):
    PropertyFactory(uprn="100090000001")
    with pytest.raises(InvalidInput) as exc_info:
        services.property_create(
            acting_user=handler,
            address_line_1="2 Mill Lane",
            town="Greenway",
            postcode="GW1 1AA",
            uprn="100090000001",
        )
    refused(exc_info, "uprn_taken", "uprn")


def test_tenancy_start_makes_an_applicant_a_tenant(handler):
    resident = ResidentFactory(kind=ResidentKind.APPLICANT)
    home = PropertyFactory()
    tenancy = services.tenancy_start(
        resident=resident,
        property=home,
        tenure=Tenure.LCRA_GENERAL_NEEDS,
        start_date=dt.date(2025, 4, 7),
        acting_user=handler,
        on=dt.date(2025, 4, 3),
    )
    resident.refresh_from_db()
    assert resident.kind == ResidentKind.TENANT
    event = only_event(resident)
    assert event.property == home
    assert event.happened_on == dt.date(2025, 4, 3)
    assert event.changes["kind"] == [ResidentKind.APPLICANT, ResidentKind.TENANT]
    assert event.changes["start_date"] == [None, "2025-04-07"]
    assert event.changes["property"] == [None, {"id": home.pk, "label": str(home)}]
    assert tenancy.get_tsm_group() == "LCRA"


def test_tenancy_start_for_shared_ownership_makes_a_shared_owner(handler):
    resident = ResidentFactory(kind=ResidentKind.APPLICANT)
    services.tenancy_start(
        resident=resident,
        property=PropertyFactory(),
        tenure=Tenure.LCHO_SHARED_OWNERSHIP,
        start_date=dt.date(2025, 4, 7),
        acting_user=handler,
    )
    resident.refresh_from_db()
    assert resident.kind == ResidentKind.SHARED_OWNER


def test_tenancy_start_refuses_a_second_tenancy_for_the_same_person(handler):
    current = TenancyFactory(start_date=dt.date(2020, 4, 6))
    with pytest.raises(InvalidInput) as exc_info:
        services.tenancy_start(
            resident=current.resident,
            property=PropertyFactory(),
            tenure=Tenure.LCRA_GENERAL_NEEDS,
            start_date=dt.date(2025, 4, 7),
            acting_user=handler,
        )
    refused(exc_info, "tenancy_overlaps", "start_date")


def test_tenancy_start_refuses_a_tenancy_that_overlaps_an_ended_one(handler):
    ended = TenancyFactory(
        start_date=dt.date(2020, 4, 6), end_date=dt.date(2025, 4, 6), end_reason="moved_out"
    )
    with pytest.raises(InvalidInput) as exc_info:
        services.tenancy_start(
            resident=ended.resident,
            property=PropertyFactory(),
            tenure=Tenure.LCRA_GENERAL_NEEDS,
            start_date=dt.date(2025, 4, 6),  # the old tenancy's last day
            acting_user=handler,
        )
    refused(exc_info, "tenancy_overlaps")

    # The day after is a move, not an overlap.
    services.tenancy_start(
        resident=ended.resident,
        property=PropertyFactory(),
        tenure=Tenure.LCRA_GENERAL_NEEDS,
        start_date=dt.date(2025, 4, 7),
        acting_user=handler,
    )


def test_tenancy_start_refuses_a_home_already_let_unless_both_are_joint(handler):
    first = TenancyFactory(is_joint=False)
    with pytest.raises(InvalidInput) as exc_info:
        services.tenancy_start(
            resident=ResidentFactory(),
            property=first.property,
            tenure=first.tenure,
            start_date=first.start_date,
            is_joint=True,
            acting_user=handler,
        )
    refused(exc_info, "property_let", "property")

    joint = TenancyFactory(is_joint=True)
    second = services.tenancy_start(
        resident=ResidentFactory(),
        property=joint.property,
        tenure=joint.tenure,
        start_date=joint.start_date,
        is_joint=True,
        acting_user=handler,
    )
    assert second.is_joint


def test_tenancy_end_records_the_last_day_and_makes_a_former_resident(handler):
    tenancy = TenancyFactory(start_date=dt.date(2019, 5, 13))
    services.tenancy_end(
        tenancy=tenancy,
        end_date=dt.date(2025, 2, 2),
        reason=EndReason.MOVED_OUT,
        acting_user=handler,
        on=dt.date(2025, 2, 3),
    )
    tenancy.refresh_from_db()
    tenancy.resident.refresh_from_db()
    assert tenancy.end_date == dt.date(2025, 2, 2)
    assert tenancy.resident.kind == ResidentKind.FORMER_RESIDENT
    event = only_event(tenancy.resident)
    assert event.action == "tenancy_ended"
    assert event.changes == {
        "end_date": [None, "2025-02-02"],
        "end_reason": ["", "moved_out"],
        "kind": ["tenant", "former_resident"],
    }


def test_tenancy_end_refuses_an_end_before_the_start(handler):
    tenancy = TenancyFactory(start_date=dt.date(2025, 4, 7))
    with pytest.raises(InvalidInput) as exc_info:
        services.tenancy_end(tenancy=tenancy, end_date=dt.date(2025, 4, 6), acting_user=handler)
    refused(exc_info, "end_before_start", "end_date")


def test_tenancy_end_refuses_a_tenancy_already_ended(handler):
    tenancy = TenancyFactory(end_date=dt.date(2024, 1, 1), end_reason="moved_out")
    with pytest.raises(StepRefused) as exc_info:
        services.tenancy_end(tenancy=tenancy, end_date=dt.date(2025, 1, 1), acting_user=handler)
    refused(exc_info, "tenancy_already_ended")


# --- representatives -----------------------------------------------------------------------------


def test_representative_add_records_the_authority(handler):
    resident = ResidentFactory()
    representative = services.representative_add(
        resident=resident,
        name="Dan Hughes",
        relationship=Relationship.ADVOCATE,
        organisation="Greenway Advocacy Service",
        email="dan.hughes@example.org",
        authority_method=AuthorityMethod.WRITTEN,
        authority_received_on=dt.date(2025, 2, 10),
        acting_user=handler,
        on=dt.date(2025, 2, 11),
    )
    assert representative.is_active
    event = only_event(resident)
    assert event.action == "representative_added"
    assert event.changes["authority_method"] == [None, "written"]
    assert event.changes["authority_received_on"] == [None, "2025-02-10"]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        (
            {"relationship": Relationship.EXECUTOR, "authority_method": AuthorityMethod.WRITTEN},
            "executor_needs_probate",
            "authority_method",
        ),
        (
            {"authority_method": AuthorityMethod.VERBAL, "authority_note": ""},
            "authority_note_required",
            "authority_note",
        ),
        ({"email": "", "phone": "", "address": ""}, "representative_contact_required", "email"),
        (
            {"authority_received_on": dt.date(2099, 1, 1)},
            "authority_date_in_future",
            "authority_received_on",
        ),
        ({"name": " "}, "name_required", "name"),
    ],
)
def test_representative_add_refuses_without_auditable_authority(handler, fields, code, field):
    values = {
        "name": "Sam Taylor",
        "relationship": Relationship.FAMILY_MEMBER,
        "authority_method": AuthorityMethod.WRITTEN,
        "authority_received_on": dt.date(2025, 2, 10),
        "email": "sam.taylor@example.org",
    }
    with pytest.raises(InvalidInput) as exc_info:
        services.representative_add(
            resident=ResidentFactory(), acting_user=handler, **(values | fields)
        )
    refused(exc_info, code, field)


def test_verbal_consent_is_accepted_with_a_note_of_how_it_was_given(handler):
    representative = services.representative_add(
        resident=ResidentFactory(),
        name="Maria Nowak",
        relationship=Relationship.FAMILY_MEMBER,
        phone="07700 900123",
        authority_method=AuthorityMethod.VERBAL,
        authority_note="Resident confirmed by phone on 10/02/2025 to K. Patel, after security "
        "questions.",
        authority_received_on=dt.date(2025, 2, 10),
        acting_user=handler,
    )
    assert representative.authority_method == AuthorityMethod.VERBAL


def test_representative_end_stops_them_acting_from_the_step_date(handler):
    representative = RepresentativeFactory()
    services.representative_end(
        representative=representative, acting_user=handler, on=dt.date(2025, 5, 1)
    )
    representative.refresh_from_db()
    assert not representative.is_active
    assert representative.ended_on == dt.date(2025, 5, 1)
    with pytest.raises(StepRefused) as exc_info:
        services.representative_end(representative=representative, acting_user=handler)
    refused(exc_info, "representative_already_ended")


# --- adjustments and disabilities ----------------------------------------------------------------


def test_adjustment_record_keeps_a_review_date(handler):
    resident = ResidentFactory()
    adjustment = services.adjustment_record(
        resident=resident,
        description="Letters in large print (16 point)",
        category="format",
        agreed_on=dt.date(2025, 3, 3),
        next_review_on=dt.date(2025, 9, 3),
        acting_user=handler,
    )
    assert adjustment.is_active
    event = only_event(resident)
    assert event.changes["next_review_on"] == [None, "2025-09-03"]
    assert event.changes["description"] == [None, "Letters in large print (16 point)"]


@pytest.mark.parametrize(
    ("agreed_on", "next_review_on", "code"),
    [
        (dt.date(2025, 3, 3), None, "next_review_on_required"),
        (dt.date(2025, 3, 3), dt.date(2025, 3, 2), "review_before_agreed"),
        (dt.date(2025, 3, 3), dt.date(2025, 3, 3), "review_before_agreed"),
        (dt.date(2099, 3, 3), dt.date(2099, 9, 3), "agreed_in_future"),
    ],
)
def test_adjustment_record_refuses_a_missing_or_impossible_review_date(
    handler, agreed_on, next_review_on, code
):
    with pytest.raises(InvalidInput) as exc_info:
        services.adjustment_record(
            resident=ResidentFactory(),
            description="Calls after 10am only",
            agreed_on=agreed_on,
            next_review_on=next_review_on,
            acting_user=handler,
        )
    error = refused(exc_info, code)
    assert error.message  # something a case handler can read


def test_adjustment_review_keeps_it_until_the_next_review(handler):
    adjustment = AdjustmentFactory(
        agreed_on=dt.date(2025, 1, 6), next_review_on=dt.date(2025, 7, 7)
    )
    services.adjustment_review(
        adjustment=adjustment,
        next_review_on=dt.date(2026, 1, 5),
        note="Still needed",
        acting_user=handler,
        on=dt.date(2025, 7, 7),
    )
    adjustment.refresh_from_db()
    assert adjustment.next_review_on == dt.date(2026, 1, 5)
    assert adjustment.last_reviewed_on == dt.date(2025, 7, 7)
    event = only_event(adjustment.resident)
    assert event.changes == {
        "next_review_on": ["2025-07-07", "2026-01-05"],
        "last_reviewed_on": [None, "2025-07-07"],
    }
    assert "Still needed" in event.summary


def test_adjustment_review_can_end_it_and_an_ended_one_cannot_be_reviewed(handler):
    adjustment = AdjustmentFactory()
    services.adjustment_review(
        adjustment=adjustment, end=True, acting_user=handler, on=dt.date(2025, 7, 7)
    )
    adjustment.refresh_from_db()
    assert not adjustment.is_active
    assert adjustment.ended_on == dt.date(2025, 7, 7)
    with pytest.raises(StepRefused) as exc_info:
        services.adjustment_review(
            adjustment=adjustment, next_review_on=dt.date(2026, 1, 5), acting_user=handler
        )
    refused(exc_info, "adjustment_ended")


def test_adjustment_review_refuses_a_next_review_not_after_the_review(handler):
    adjustment = AdjustmentFactory()
    with pytest.raises(InvalidInput) as exc_info:
        services.adjustment_review(
            adjustment=adjustment,
            next_review_on=dt.date(2025, 7, 7),
            acting_user=handler,
            on=dt.date(2025, 7, 7),
        )
    refused(exc_info, "next_review_not_after_review", "next_review_on")


def test_disability_record_keeps_the_description_out_of_history(handler):
    resident = ResidentFactory()
    disability = services.disability_record(
        resident=resident,
        description="Sight loss; uses a screen reader",
        disclosed_on=dt.date(2025, 3, 3),
        next_review_on=dt.date(2026, 3, 3),
        acting_user=handler,
    )
    assert disability.description == "Sight loss; uses a screen reader"
    event = only_event(resident)
    assert event.changes["description"] == [None, services.WITHHELD]
    assert "Sight" not in str(event.changes) + event.summary
    assert "screen reader" not in str(disability)


def test_disability_record_refuses_a_review_before_disclosure(handler):
    with pytest.raises(InvalidInput) as exc_info:
        services.disability_record(
            resident=ResidentFactory(),
            description="Hearing impairment",
            disclosed_on=dt.date(2025, 3, 3),
            next_review_on=dt.date(2025, 1, 1),
            acting_user=handler,
        )
    refused(exc_info, "review_before_disclosed", "next_review_on")


def test_disability_review_withholds_a_changed_description(handler):
    disability = DisabilityFactory(description="Hearing impairment")
    services.disability_review(
        disability=disability,
        description="Profound hearing loss; uses BSL",
        next_review_on=dt.date(2026, 3, 3),
        acting_user=handler,
        on=dt.date(2025, 3, 3),
    )
    event = only_event(disability.resident)
    assert event.changes["description"] == [services.WITHHELD, services.WITHHELD]
    assert "BSL" not in str(event.changes) + event.summary


# --- contact restrictions ------------------------------------------------------------------------


RESTRICTION = {
    "reason": "Abusive calls to the contact centre",
    "evidence": "Call records of 2, 5 and 9 June 2025",
    "proportionality_note": "Email keeps every route open; no need known that email would "
    "disadvantage; Equality Act 2010 considered.",
    "restriction": "Email to the named officer only",
    "starts_on": dt.date(2025, 6, 16),
    "next_review_on": dt.date(2025, 9, 16),
}


def test_restriction_record_keeps_reasons_evidence_and_review_date(handler):
    resident = ResidentFactory()
    restriction = services.restriction_record(
        resident=resident, acting_user=handler, on=dt.date(2025, 6, 13), **RESTRICTION
    )
    assert restriction.is_in_force(dt.date(2025, 7, 1))
    event = only_event(resident)
    assert event.action == "restriction_recorded"
    assert event.changes["proportionality_note"][1].startswith("Email keeps")


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"proportionality_note": ""}, "proportionality_note_required", "proportionality_note"),
        ({"next_review_on": None}, "next_review_on_required", "next_review_on"),
        ({"evidence": "  "}, "evidence_required", "evidence"),
        ({"reason": ""}, "reason_required", "reason"),
        ({"next_review_on": dt.date(2025, 6, 16)}, "review_before_start", "next_review_on"),
        ({"ends_on": dt.date(2025, 6, 1)}, "end_before_start", "ends_on"),
    ],
)
def test_restriction_record_refuses_without_what_the_code_requires(handler, fields, code, field):
    with pytest.raises(InvalidInput) as exc_info:
        services.restriction_record(
            resident=ResidentFactory(), acting_user=handler, **(RESTRICTION | fields)
        )
    error = refused(exc_info, code, field)
    if code == "proportionality_note_required":
        assert "Equality Act 2010" in error.message


def test_restriction_record_refuses_someone_elses_representative(handler):
    with pytest.raises(InvalidInput) as exc_info:
        services.restriction_record(
            resident=ResidentFactory(),
            representative=RepresentativeFactory(),
            acting_user=handler,
            **RESTRICTION,
        )
    refused(exc_info, "representative_of_someone_else")


def test_restriction_review_continues_or_ends_it_with_a_recorded_reason(handler):
    restriction = RestrictionFactory()
    services.restriction_review(
        restriction=restriction,
        note="Calls continued in August; restriction still needed",
        next_review_on=dt.date(2025, 12, 16),
        acting_user=handler,
        on=dt.date(2025, 9, 16),
    )
    restriction.refresh_from_db()
    assert restriction.next_review_on == dt.date(2025, 12, 16)
    services.restriction_review(
        restriction=restriction,
        note="No incidents since September",
        end=True,
        acting_user=handler,
        on=dt.date(2025, 12, 16),
    )
    restriction.refresh_from_db()
    assert restriction.ends_on == dt.date(2025, 12, 16)
    assert ResidentEvent.objects.filter(action="restriction_reviewed").count() == 2

    with pytest.raises(StepRefused) as exc_info:
        services.restriction_review(
            restriction=restriction,
            note="Again",
            next_review_on=dt.date(2026, 6, 1),
            acting_user=handler,
            on=dt.date(2026, 1, 5),
        )
    refused(exc_info, "restriction_ended")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"note": ""}, "note_required"),
        ({"next_review_on": None}, "next_review_on_required"),
        ({"next_review_on": dt.date(2025, 9, 16)}, "next_review_not_after_review"),
    ],
)
def test_restriction_review_refuses_an_unevidenced_review(handler, fields, code):
    values = {"note": "Reviewed", "next_review_on": dt.date(2025, 12, 16)}
    with pytest.raises(InvalidInput) as exc_info:
        services.restriction_review(
            restriction=RestrictionFactory(),
            acting_user=handler,
            on=dt.date(2025, 9, 16),
            **(values | fields),
        )
    refused(exc_info, code)


# --- equality data -------------------------------------------------------------------------------


def test_equality_data_record_stores_answers_but_history_withholds_them(handler):
    resident = ResidentFactory()
    services.equality_data_record(
        resident=resident,
        age_band=EqualityData.AgeBand.FROM_45,
        ethnicity=EqualityData.Ethnicity.BLACK,
        acting_user=handler,
    )
    stored = EqualityData.objects.get(resident=resident)
    assert stored.ethnicity == "black"
    event = only_event(resident)
    assert event.changes == {
        "age_band": [None, services.WITHHELD],
        "ethnicity": [None, services.WITHHELD],
    }
    assert "black" not in str(event.changes).lower() + event.summary.lower()

    services.equality_data_record(
        resident=resident,
        age_band=EqualityData.AgeBand.FROM_55,
        ethnicity=EqualityData.Ethnicity.BLACK,
        acting_user=handler,
    )
    latest = ResidentEvent.objects.filter(resident=resident).last()
    assert latest.changes == {"age_band": [services.WITHHELD, services.WITHHELD]}
    assert EqualityData.objects.get(resident=resident).age_band == "55_64"


def test_equality_data_record_refuses_answers_not_on_the_list(handler):
    with pytest.raises(InvalidInput) as exc_info:
        services.equality_data_record(resident=ResidentFactory(), sex="x", acting_user=handler)
    refused(exc_info, "sex_invalid", "sex")
    assert not EqualityData.objects.exists()


def test_every_service_step_is_in_one_transaction_with_its_event(handler, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("history could not be written")

    monkeypatch.setattr(services, "_record", fail)
    with pytest.raises(RuntimeError):
        services.resident_create(acting_user=handler, last_name="Hughes")
    assert not Resident.objects.exists()
    with pytest.raises(RuntimeError):
        services.tenancy_start(
            resident=ResidentFactory(),
            property=PropertyFactory(),
            tenure=Tenure.LCRA_SUPPORTED,
            start_date=dt.date(2025, 1, 6),
            acting_user=handler,
        )
    assert not Tenancy.objects.exists()

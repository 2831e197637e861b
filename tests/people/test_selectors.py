import datetime as dt

import pytest

from putright.accounts import roles
from putright.people import selectors, services
from putright.people.models import Resident, Tenure, tsm_group
from tests.people.factories import (
    AdjustmentFactory,
    DisabilityFactory,
    EqualityDataFactory,
    PropertyFactory,
    RepresentativeFactory,
    ResidentFactory,
    RestrictionFactory,
    StaffUserFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db


# --- tenure --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tenure", "group"),
    [
        (Tenure.LCRA_GENERAL_NEEDS, "LCRA"),
        (Tenure.LCRA_SUPPORTED, "LCRA"),
        (Tenure.LCRA_OLDER_PEOPLE, "LCRA"),
        (Tenure.LCHO_SHARED_OWNERSHIP, "LCHO"),
        (Tenure.LEASEHOLDER, None),
        (Tenure.OTHER, None),
        (None, None),
    ],
)
def test_tsm_group_puts_each_tenure_in_its_tsm_group(tenure, group):
    assert tsm_group(tenure) == group


def test_tenancy_at_finds_the_tenancy_held_on_a_date_counting_the_last_day():
    resident = ResidentFactory()
    old = TenancyFactory(
        resident=resident,
        start_date=dt.date(2018, 6, 4),
        end_date=dt.date(2024, 9, 30),
        end_reason="transfer",
    )
    new = TenancyFactory(resident=resident, start_date=dt.date(2024, 10, 1))

    assert selectors.tenancy_at(resident, dt.date(2018, 6, 3)) is None
    assert selectors.tenancy_at(resident, dt.date(2018, 6, 4)) == old
    assert selectors.tenancy_at(resident, dt.date(2024, 9, 30)) == old
    assert selectors.tenancy_at(resident, dt.date(2024, 10, 1)) == new
    assert selectors.tenancy_at(resident.pk, dt.date(2030, 1, 1)) == new


def test_a_home_between_lettings_keeps_its_last_tenure_and_a_sold_home_leaves_the_stock():
    void = PropertyFactory()
    TenancyFactory(
        property=void,
        tenure=Tenure.LCRA_OLDER_PEOPLE,
        start_date=dt.date(2015, 1, 5),
        end_date=dt.date(2025, 2, 28),
        end_reason="death",
    )
    sold = PropertyFactory()
    TenancyFactory(
        property=sold,
        tenure=Tenure.LCHO_SHARED_OWNERSHIP,
        start_date=dt.date(2016, 1, 4),
        end_date=dt.date(2025, 1, 31),
        end_reason="sold",
    )
    TenancyFactory(tenure=Tenure.LCHO_SHARED_OWNERSHIP, start_date=dt.date(2020, 1, 6))
    TenancyFactory(tenure=Tenure.LEASEHOLDER, start_date=dt.date(2020, 1, 6))
    TenancyFactory(tenure=Tenure.LCRA_GENERAL_NEEDS, start_date=dt.date(2025, 4, 1))  # new build
    PropertyFactory()  # never let

    assert selectors.property_tenure_at(void, dt.date(2025, 3, 31)) == Tenure.LCRA_OLDER_PEOPLE
    assert selectors.homes_by_tsm_group(dt.date(2024, 3, 31)) == {"LCRA": 1, "LCHO": 2}
    # 31 March 2025: the older people's home is void but still ours, the sold one is gone, and
    # the new build is not let yet.
    assert selectors.homes_by_tsm_group(dt.date(2025, 3, 31)) == {"LCRA": 1, "LCHO": 1}
    assert selectors.homes_by_tsm_group(dt.date(2025, 4, 1)) == {"LCRA": 2, "LCHO": 1}
    assert selectors.homes_by_tenure(dt.date(2025, 4, 1))[Tenure.LEASEHOLDER] == 1


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def people():
    khan = ResidentFactory(
        first_name="Aisha", last_name="Khan", email="a.khan@example.com", phone="07700 900456"
    )
    TenancyFactory(
        resident=khan,
        property=PropertyFactory(address_line_1="12 Mill Lane", postcode="GW3 2BX"),
    )
    moved = ResidentFactory(first_name="Peter", last_name="Mills", email="", phone="")
    TenancyFactory(
        resident=moved,
        property=PropertyFactory(address_line_1="3 Canal Wharf", postcode="GW1 4AQ"),
        start_date=dt.date(2010, 1, 4),
        end_date=dt.date(2022, 1, 3),
        end_reason="moved_out",
    )
    other = ResidentFactory(first_name="Aisha", last_name="Patel", reference="GH0001234")
    return khan, moved, other


def test_resident_search_matches_name_email_phone_reference_address_and_postcode(people):
    khan, moved, other = people

    def found(query):
        return {resident.pk for resident in selectors.resident_search(query)}

    assert found("aisha") == {khan.pk, other.pk}
    assert found("Aisha Khan") == {khan.pk}
    assert found("a.khan@example") == {khan.pk}
    assert found("07700900456") == {khan.pk}
    assert found("07700 900456") == {khan.pk}
    assert found("gh0001234") == {other.pk}
    assert found("mill lane") == {khan.pk}
    assert found("Mill") == {khan.pk, moved.pk}  # Mill Lane, and Mr Mills
    assert found("GW32BX") == {khan.pk}
    assert found("gw1 4aq") == {moved.pk}  # an address they held in the past
    assert found("   ") == set()
    assert found("nobody-by-this-name") == set()


def test_resident_search_shows_the_current_address_in_one_query(people, django_assert_num_queries):
    khan, moved, _ = people
    with django_assert_num_queries(1):
        results = selectors.resident_search("aisha")
    by_pk = {resident.pk: resident for resident in results}
    assert by_pk[khan.pk].current_address == "12 Mill Lane"
    assert by_pk[khan.pk].current_postcode == "GW3 2BX"
    with django_assert_num_queries(1):
        (former,) = selectors.resident_search("Peter Mills")
    assert former.current_address is None


def test_resident_search_stays_one_query_for_many_results(django_assert_num_queries):
    for _ in range(30):
        TenancyFactory(resident=ResidentFactory(last_name="Smith"))
    with django_assert_num_queries(1):
        results = selectors.resident_search("smith", limit=25)
    assert len(results) == 25


# --- profile ------------------------------------------------------------------------------------


@pytest.fixture
def resident_with_everything():
    resident = ResidentFactory()
    TenancyFactory(
        resident=resident,
        start_date=dt.date(2015, 3, 2),
        end_date=dt.date(2021, 3, 1),
        end_reason="transfer",
    )
    current = TenancyFactory(resident=resident, start_date=dt.date(2021, 3, 2))
    RepresentativeFactory(resident=resident)
    RepresentativeFactory(resident=resident, is_active=False, ended_on=dt.date(2024, 1, 1))
    AdjustmentFactory(resident=resident)
    AdjustmentFactory(resident=resident, is_active=False, ended_on=dt.date(2025, 6, 1))
    RestrictionFactory(resident=resident)
    RestrictionFactory(
        resident=resident,
        starts_on=dt.date(2023, 1, 2),
        next_review_on=dt.date(2023, 4, 3),
        ends_on=dt.date(2023, 4, 3),
    )
    DisabilityFactory(resident=resident, description="Uses a wheelchair")
    EqualityDataFactory(resident=resident)
    return resident, current


def test_profile_for_a_case_handler_leaves_out_special_category_data(
    resident_with_everything, django_assert_num_queries
):
    resident, current = resident_with_everything
    handler = StaffUserFactory(role=roles.CASE_HANDLER)
    handler.has_perm("people.view_resident")  # load the permission cache outside the count

    with django_assert_num_queries(5):
        profile = selectors.resident_profile(resident.pk, user=handler, on_date=dt.date(2025, 7, 1))

    assert profile.resident == resident
    assert profile.current_tenancy == current
    assert profile.current_property == current.property
    assert len(profile.tenancies) == 2
    assert len(profile.representatives) == 1
    assert len(profile.adjustments) == 1
    assert len(profile.restrictions) == 1
    assert profile.can_see_special_category is False
    assert profile.disabilities is None
    assert profile.equality is None


def test_profile_for_a_complaints_manager_includes_special_category_data(
    resident_with_everything, django_assert_num_queries
):
    resident, _ = resident_with_everything
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)
    manager.has_perm("people.view_resident")

    # Six reads, and one insert: the security log's record of the special category read.
    with django_assert_num_queries(7):
        profile = selectors.resident_profile(resident.pk, user=manager, on_date=dt.date(2025, 7, 1))

    assert profile.can_see_special_category is True
    assert [d.description for d in profile.disabilities] == ["Uses a wheelchair"]
    assert profile.equality.sex == "female"


def test_profile_query_count_does_not_grow_with_the_record(django_assert_num_queries):
    resident = ResidentFactory()
    for n in range(6):
        TenancyFactory(
            resident=resident,
            start_date=dt.date(2010 + n, 1, 4),
            end_date=dt.date(2010 + n, 12, 31),
            end_reason="moved_out",
        )
        RepresentativeFactory(resident=resident)
        AdjustmentFactory(resident=resident)
        DisabilityFactory(resident=resident)
    manager = StaffUserFactory(role=roles.COMPLAINTS_MANAGER)
    manager.has_perm("people.view_resident")
    with django_assert_num_queries(7):  # six reads and the security log's insert
        profile = selectors.resident_profile(resident.pk, user=manager)
    assert profile.current_tenancy is None
    assert len(profile.tenancies) == 6


def test_profile_without_a_user_hides_special_category_data(resident_with_everything):
    resident, _ = resident_with_everything
    profile = selectors.resident_profile(resident.pk, user=None)
    assert profile.disabilities is None and profile.equality is None


# --- reviews due --------------------------------------------------------------------------------


def test_adjustments_due_for_review_lists_active_ones_whose_date_has_come():
    due = AdjustmentFactory(next_review_on=dt.date(2025, 7, 1))
    due_today = AdjustmentFactory(next_review_on=dt.date(2025, 7, 7))
    AdjustmentFactory(next_review_on=dt.date(2025, 7, 8))
    AdjustmentFactory(
        next_review_on=dt.date(2025, 7, 1), is_active=False, ended_on=dt.date(2025, 6, 1)
    )

    assert list(selectors.adjustments_due_for_review(dt.date(2025, 7, 7))) == [due, due_today]


def test_restrictions_due_for_review_leaves_out_ended_ones(django_assert_num_queries):
    due = RestrictionFactory(next_review_on=dt.date(2025, 9, 16))
    RestrictionFactory(next_review_on=dt.date(2025, 9, 17))
    RestrictionFactory(
        starts_on=dt.date(2025, 1, 6),
        next_review_on=dt.date(2025, 4, 7),
        ends_on=dt.date(2025, 4, 7),
    )
    with django_assert_num_queries(1):
        found = list(selectors.restrictions_due_for_review(dt.date(2025, 9, 16)))
        assert found[0].resident.last_name  # resident loaded with it
    assert found == [due]


def test_profile_of_someone_who_does_not_exist_raises_does_not_exist():
    with pytest.raises(Resident.DoesNotExist):
        selectors.resident_profile(999_999, user=None)


def test_resident_history_lists_a_persons_events_oldest_first():
    resident = services.resident_create(acting_user=None, last_name="Begum")
    services.resident_update(resident=resident, data={"first_name": "Nasima"}, acting_user=None)
    actions = [event.action for event in selectors.resident_history(resident)]
    assert actions == ["resident_created", "resident_updated"]


@pytest.mark.parametrize(
    ("preferred", "adjustment_category", "expected"),
    [
        ("standard", None, ""),
        ("large_print", None, "Written information in large print"),
        ("other", None, "Written information in another format (not yet recorded which)"),
        # The adjustment names the format, so the preferred format adds nothing to it.
        ("other", "format", ""),
        ("braille", "format", "Written information in braille"),
    ],
)
def test_format_need_is_said_once(preferred, adjustment_category, expected):
    resident = ResidentFactory(preferred_format=preferred)
    if adjustment_category:
        AdjustmentFactory(resident=resident, category=adjustment_category)
    profile = selectors.resident_profile(resident.pk, user=None)
    assert profile.format_need == expected

"""Changing settings and closure days: history, validation and the calendar_changed signal."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model

from putright.core.errors import InvalidInput
from putright.organisation import selectors, services, signals
from putright.organisation.models import ClosureDay, Organisation, OrganisationChange, StockCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return get_user_model().objects.create_user(
        email="admin@example.org", password="a long enough password", full_name="Ada Admin"
    )


@pytest.fixture
def calendar_events():
    """Every calendar_changed sent during the test, with the calendar a receiver would see."""
    events = []

    def receiver(sender, **kwargs):
        events.append({**kwargs, "sender": sender, "calendar": selectors.current_calendar()})

    signals.calendar_changed.connect(receiver, dispatch_uid="test-calendar-events")
    yield events
    signals.calendar_changed.disconnect(dispatch_uid="test-calendar-events")


def add_christmas_2025(user) -> None:
    for day in (24, 29, 30, 31):
        services.closure_day_add(
            acting_user=user, on=date(2025, 12, day), description="Christmas closure"
        )


def test_adding_closure_days_changes_the_calendar_and_tells_listeners(
    administrator, calendar_events
):
    add_christmas_2025(administrator)

    assert selectors.current_calendar().add(date(2025, 12, 22), 5) == date(2026, 1, 7)
    assert len(calendar_events) == 4
    last = calendar_events[-1]
    assert last["sender"] is ClosureDay
    assert last["added"] == frozenset({date(2025, 12, 31)})
    assert last["removed"] == frozenset()
    assert last["closures"] == frozenset(
        {date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)}
    )
    assert last["acting_user"] == administrator
    # A receiver recomputing due dates already sees the new calendar.
    assert last["calendar"].add(date(2025, 12, 22), 5) == date(2026, 1, 7)


def test_adding_a_closure_day_is_recorded_with_who_did_it(administrator):
    services.closure_day_add(
        acting_user=administrator, on=date(2025, 12, 24), description=" Christmas Eve "
    )
    event = OrganisationChange.objects.get()
    assert event.action == OrganisationChange.Action.CLOSURE_DAY_ADDED
    assert event.actor == administrator
    assert event.changes == {
        "date": [None, "2025-12-24"],
        "description": [None, "Christmas Eve"],
    }
    assert "2025-12-24" in event.summary


def test_removing_a_closure_day_restores_the_calendar(administrator, calendar_events):
    add_christmas_2025(administrator)
    services.closure_day_remove(acting_user=administrator, on=date(2025, 12, 24))

    assert calendar_events[-1]["removed"] == frozenset({date(2025, 12, 24)})
    assert date(2025, 12, 24) not in calendar_events[-1]["closures"]
    # 23, 24 Dec, then 2, 5, 6 Jan.
    assert selectors.current_calendar().add(date(2025, 12, 22), 5) == date(2026, 1, 6)
    event = OrganisationChange.objects.latest("recorded_at", "id")
    assert event.action == OrganisationChange.Action.CLOSURE_DAY_REMOVED
    assert event.changes["date"] == ["2025-12-24", None]


def test_a_date_cannot_be_a_closure_day_twice(administrator, calendar_events):
    services.closure_day_add(acting_user=administrator, on=date(2025, 12, 24), description="Eve")
    with pytest.raises(InvalidInput) as error:
        services.closure_day_add(
            acting_user=administrator, on=date(2025, 12, 24), description="Again"
        )
    assert error.value.code == "closure_day_exists"
    assert error.value.field == "date"
    assert len(calendar_events) == 1


def test_a_weekend_or_bank_holiday_is_not_a_closure_day(administrator, calendar_events):
    for day in (date(2025, 12, 27), date(2025, 12, 26)):
        with pytest.raises(InvalidInput) as error:
            services.closure_day_add(acting_user=administrator, on=day, description="Closed")
        assert error.value.field == "date"
    assert not ClosureDay.objects.exists()
    assert calendar_events == []
    assert not OrganisationChange.objects.exists()


def test_a_closure_day_needs_a_date_not_a_datetime(administrator):
    with pytest.raises(InvalidInput) as error:
        services.closure_day_add(
            acting_user=administrator, on=datetime(2025, 12, 24, 9), description="Eve"
        )
    assert error.value.code == "not_a_date"


def test_a_closure_day_needs_a_description(administrator):
    with pytest.raises(InvalidInput) as error:
        services.closure_day_add(acting_user=administrator, on=date(2025, 12, 24), description="")
    assert error.value.field == "description"


def test_removing_a_day_that_is_not_a_closure_day_is_refused(administrator, calendar_events):
    with pytest.raises(InvalidInput) as error:
        services.closure_day_remove(acting_user=administrator, on=date(2025, 12, 24))
    assert error.value.code == "no_such_closure_day"
    assert calendar_events == []


def test_renaming_a_closure_day_leaves_the_calendar_alone(administrator, calendar_events):
    services.closure_day_add(acting_user=administrator, on=date(2025, 12, 24), description="Eve")
    services.closure_day_describe(
        acting_user=administrator, on=date(2025, 12, 24), description="Christmas Eve"
    )
    assert ClosureDay.objects.get().description == "Christmas Eve"
    assert len(calendar_events) == 1
    assert OrganisationChange.objects.latest("recorded_at", "id").changes == {
        "description": ["Eve", "Christmas Eve"]
    }


def test_organisation_update_records_old_and_new_values(administrator):
    services.organisation_update(
        acting_user=administrator, name="Riverside Example Homes", stage2_requires_sign_off=False
    )
    organisation = Organisation.objects.get()
    assert organisation.name == "Riverside Example Homes"
    assert organisation.stage2_requires_sign_off is False
    event = OrganisationChange.objects.get()
    assert event.action == OrganisationChange.Action.SETTINGS_CHANGED
    assert event.changes == {
        "name": ["", "Riverside Example Homes"],
        "stage2_requires_sign_off": [True, False],
    }


def test_organisation_update_without_a_change_writes_no_history(administrator):
    services.organisation_update(acting_user=administrator, escalation_window_days=20)
    assert not OrganisationChange.objects.exists()


def test_organisation_update_validates_what_it_changes(administrator):
    with pytest.raises(InvalidInput) as error:
        services.organisation_update(acting_user=administrator, first_contact_target_days=9)
    assert error.value.field == "first_contact_target_days"
    with pytest.raises(InvalidInput) as error:
        services.organisation_update(acting_user=administrator, email="not an address")
    assert error.value.field == "email"
    assert Organisation.objects.get().first_contact_target_days == 3
    assert not OrganisationChange.objects.exists()


def test_organisation_update_refuses_unknown_fields(administrator):
    with pytest.raises(TypeError, match="singleton"):
        services.organisation_update(acting_user=administrator, singleton=2)


def test_changing_the_escalation_window_tells_listeners(administrator):
    received = []
    signals.timescales_changed.connect(
        lambda sender, signal, **kwargs: received.append(kwargs),
        dispatch_uid="test-timescales",
        weak=False,
    )
    try:
        services.organisation_update(acting_user=administrator, name="Riverside")
        services.organisation_update(
            acting_user=administrator, escalation_window_days=15, first_contact_target_days=None
        )
    finally:
        signals.timescales_changed.disconnect(dispatch_uid="test-timescales")
    assert received == [
        {
            "changes": {
                "escalation_window_days": [20, 15],
                "first_contact_target_days": [3, None],
            },
            "acting_user": administrator,
        }
    ]
    assert selectors.current_timescales().escalation_window == 15


def test_organisation_update_creates_the_row_if_needed(administrator):
    Organisation.objects.all().delete()
    services.organisation_update(acting_user=administrator, name="Riverside")
    assert Organisation.objects.get().name == "Riverside"


def test_a_change_without_a_signed_in_user_says_so():
    services.organisation_update(acting_user=None, name="Riverside")
    event = OrganisationChange.objects.get()
    assert event.actor is None
    assert event.actor_description


def test_stock_count_set_records_and_corrects(administrator):
    services.stock_count_set(
        acting_user=administrator, reporting_year=2025, tenure="LCRA", homes=1200
    )
    services.stock_count_set(
        acting_user=administrator, reporting_year=2025, tenure="LCRA", homes=1210
    )
    assert StockCount.objects.get().homes == 1210
    first, second = OrganisationChange.objects.order_by("id")
    assert first.changes == {
        "reporting_year": [None, 2025],
        "tenure": [None, "LCRA"],
        "homes": [None, 1200],
    }
    assert second.changes == {"homes": [1200, 1210]}


def test_stock_count_set_refuses_an_unknown_tenure(administrator):
    with pytest.raises(InvalidInput) as error:
        services.stock_count_set(
            acting_user=administrator, reporting_year=2025, tenure="LEASE", homes=10
        )
    assert error.value.field == "tenure"
